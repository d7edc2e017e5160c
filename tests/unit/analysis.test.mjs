// The timeline's arithmetic, without a browser: each task's phases, which task of a message
// carries its send and return spans, and where a run's time went.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  barOf,
  breakdown,
  computeMsOf,
  mergeSpans,
  timelineOf,
} from "../../www/engine/analysis.js";

/** A finished run on `workers` lanes; `tasks` are [worker, start, end] in ms after t0 = 1000. */
function run(tasks, { workers = 2, sent = 1000, received = null, sleeps = false } = {}) {
  const t0 = 1000;
  const last = Math.max(...tasks.map(([, , end]) => t0 + end));
  return {
    start: t0,
    end: received ?? last + 1,
    mode: "process",
    workers,
    sleeps,
    outcomes: tasks.map(([worker, start, end]) => ({
      worker,
      sent,
      received: received ?? last + 1,
      value: { start: t0 + start, computed: t0 + end, end: t0 + end },
    })),
  };
}

test("a one-task message: sent, computed, returned", () => {
  const r = run([[0, 2, 10]], { workers: 1, received: 1012 });
  const bar = barOf(r, 0);
  assert.deepEqual(
    bar.phases.map((p) => [p.kind, p.from, p.to]),
    [
      ["send", 0, 2],
      ["run", 2, 10],
      ["return", 10, 12],
    ],
  );
  assert.deepEqual([bar.lane, bar.from, bar.to, bar.ms], [0, 0, 12, 8]);
});

test("one message for every task, run out of index order: send and return go to the first to start and the last to end", () => {
  // As rayon may run them: task 2 first on lane 1, task 0 last on lane 0.
  const r = run(
    [
      [0, 6, 9],
      [1, 4, 8],
      [1, 1, 3],
    ],
    { received: 1011 },
  );
  const kinds = (i) => barOf(r, i).phases.map((p) => p.kind);
  assert.deepEqual(kinds(2), ["send", "run"]);
  assert.deepEqual(kinds(1), ["run"]);
  assert.deepEqual(kinds(0), ["run", "return"]);
  // So no two bars on one lane overlap.
  const lane1 = [1, 2].map((i) => barOf(r, i)).sort((a, b) => a.from - b.from);
  assert.ok(lane1[0].to <= lane1[1].from);
});

test("sleeping tasks split computing from sleeping", () => {
  const r = run([[0, 0, 100]], { workers: 1, sleeps: true });
  r.outcomes[0].value.computed = 1001;
  assert.deepEqual(
    barOf(r, 0)
      .phases.filter((p) => p.kind !== "send" && p.kind !== "return")
      .map((p) => p.kind),
    ["run", "sleep"],
  );
});

test("the breakdown adds up each lane's time, and older runs keep their compute total", () => {
  const r = run([
    [0, 0, 10],
    [1, 0, 20],
  ]);
  const b = breakdown(timelineOf(r));
  assert.equal(b.run, 30);
  assert.equal(computeMsOf(r), 30);
  assert.equal(computeMsOf({ outcomes: null, computeMs: 42 }), 42);
});

test("a task without timings has no bar", () => {
  const r = run([[0, 0, 10]]);
  r.outcomes.push(undefined);
  assert.equal(barOf(r, 1), null);
  assert.equal(timelineOf(r).bars.length, 1);
});

test("under the model GIL, a line that waits for the lock waits: it is not computing", () => {
  // Two threads, GIL on: task 0 computes 0–10 and prints at once; task 1 waits for the lock
  // 0–10, computes 10–20, then asks to print at 20 while task 2 (lane 0) holds the lock for
  // its computing 20–30, and prints at 30.
  const r = run([
    [0, 0, 10],
    [1, 10, 31],
    [0, 20, 30],
  ]);
  const v = (i) => r.outcomes[i].value;
  v(0).lines = [{ text: "a", at: 1010, asked: 1010 }];
  Object.assign(v(1), { requested: 1000, computed: 1020 });
  v(1).lines = [{ text: "b", at: 1030, asked: 1020 }];
  Object.assign(v(2), { requested: 1010 });
  v(2).lines = [{ text: "c", at: 1030, asked: 1030 }];
  const spans = (i) =>
    barOf(r, i)
      .phases.filter((p) => p.kind !== "send" && p.kind !== "return")
      .map((p) => [p.kind, p.from, p.to]);
  assert.deepEqual(spans(1), [
    ["wait", 0, 10],
    ["run", 10, 20],
    ["wait", 20, 30],
    ["run", 30, 31],
  ]);
  const b = breakdown(timelineOf(r));
  // Computing: 10 + 10 + 1 + 10 ms, never two lanes at once; waiting: 10 + 10 + 10 ms.
  assert.equal(b.run, 31);
  assert.equal(b.wait, 30);
  assert.ok(b.run <= b.wall, "one lane computes at a time");
});

test("pipelined messages on one lane: each lane's time is spent once, even for tasks shorter than a clock tick", () => {
  // Three one-task messages, all sent at 0 to worker 0; each computes in under a tick
  // (start === end), and their answers come back together at 10.
  const r = run(
    [
      [0, 2, 2],
      [0, 3, 3],
      [0, 4, 4],
    ],
    { workers: 1, received: 1010 },
  );
  r.outcomes.forEach((o, i) => (o.message = i + 1));
  const t = timelineOf(r);
  const spans = t.bars.flatMap((b) => b.phases).sort((a, b) => a.from - b.from || a.to - b.to);
  for (let k = 1; k < spans.length; k++) {
    assert.ok(
      spans[k].from >= spans[k - 1].to,
      `${JSON.stringify(spans[k - 1])} overlaps ${JSON.stringify(spans[k])}`,
    );
  }
  const b = breakdown(t);
  assert.equal(b.messages, 2 + 8, "sent 0–2, back 4–10: the rest is computing or nothing");
  assert.ok(b.messages + b.run + b.idle <= b.laneTime + 1e-9);
});

test("the Python timeline merges narrow spans that follow each other, and keeps wide ones", () => {
  const span = (lane, kind, from, to, label) => ({ lane, kind, from, to, label });
  const bars = mergeSpans(
    [
      span(1, "run", 10, 10.5, "f(2)"), // out of order: merged by time, not arrival
      span(1, "run", 0, 0.5, "f(0)"),
      span(1, "run", 1, 1.5, "f(1)"),
      span(1, "run", 20, 30, "f(3)"), // 10 px: its own bar, even right after narrow ones
      span(1, "run", 30, 31, "f(4)"), // narrow after a wide one: a new bar
      span(2, "run", 0, 0.5, "f(5)"), // another lane
      span(1, "sleep", 0.5, 1, undefined), // another kind
    ],
    1, // 1 ms per pixel: narrow is under 2 ms, a gap of at most 1 ms joins
  );
  assert.deepEqual(
    bars.map((b) => [b.lane, b.kind, b.from, b.to, b.count, b.ms, b.label]),
    [
      [1, "run", 0, 1.5, 2, 1, undefined],
      [1, "run", 10, 10.5, 1, 0.5, "f(2)"],
      [1, "run", 20, 30, 1, 10, "f(3)"],
      [1, "run", 30, 31, 1, 1, "f(4)"],
      [2, "run", 0, 0.5, 1, 0.5, "f(5)"],
      [1, "sleep", 0.5, 1, 1, 0.5, undefined],
    ],
  );
});

test("ten thousand tiny tasks back to back are one bar that counts them", () => {
  const spans = Array.from({ length: 10_000 }, (_, i) => ({
    lane: 1,
    kind: "run",
    from: i * 0.1,
    to: i * 0.1 + 0.09,
  }));
  const bars = mergeSpans(spans, 1000 / 500); // 1 s over 500 px
  assert.equal(bars.length, 1);
  assert.equal(bars[0].count, 10_000);
  assert.ok(Math.abs(bars[0].ms - 900) < 1e-6);
});
