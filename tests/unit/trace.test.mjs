// The Trace Event Format files (www/page/trace.js), without a browser: names, ids, whole
// microseconds, and the Python panel's spans clipped to its run as its timeline draws them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pythonTrace, traceFile } from "../../www/page/trace.js";

test("a trace names each process and thread, and gives slices and instants in whole µs", () => {
  const { traceEvents, displayTimeUnit } = traceFile([
    {
      pid: 3,
      name: "a run",
      threads: [
        {
          tid: 2,
          name: "w0",
          slices: [{ name: "computing", cat: "run", from: 1.0004, to: 2.5006, args: { task: 7 } }],
          marks: [{ name: "sent", cat: "message", at: 0.0015 }],
        },
      ],
    },
  ]);
  assert.equal(displayTimeUnit, "ms");
  const named = traceEvents.filter((e) => e.ph === "M" && e.name.endsWith("_name"));
  assert.deepEqual(
    named.map((e) => [e.name, e.pid, e.tid, e.args.name]),
    [
      ["process_name", 3, 0, "a run"],
      ["thread_name", 3, 2, "w0"],
    ],
  );
  const slice = traceEvents.find((e) => e.ph === "X");
  assert.deepEqual(slice, {
    name: "computing",
    cat: "run",
    ph: "X",
    ts: 1000,
    dur: 1501, // 2501 − 1000: the end's own rounding, so that slices that touch still touch
    pid: 3,
    tid: 2,
    args: { task: 7 },
  });
  const mark = traceEvents.find((e) => e.ph === "i");
  assert.deepEqual(mark, { name: "sent", cat: "message", ph: "i", s: "t", ts: 2, pid: 3, tid: 2 });
});

test("a Python run's trace: the program is pid 1, spans clipped to the run, marks within it", () => {
  const lanes = new Map([
    [0, { id: 0 }],
    [2, { id: 2 }],
  ]);
  const run = { clicked: 100, ended: 300 };
  const spans = [
    { lane: 2, kind: "start", from: 50, to: 150 }, // began before Run: drawn from 0
    { lane: 2, kind: "run", from: 150, to: 250, label: "f(3)" },
    { lane: 0, kind: "await", from: 120, to: 400 }, // ends after the run: cut at its end
    { lane: 0, kind: "sleep", from: 10, to: 90 }, // wholly before: left out
  ];
  const marks = [
    { lane: 2, mark: "sent", at: 200 },
    { lane: 0, mark: "got", at: 50 }, // before the run: left out
  ];
  const trace = pythonTrace({
    lanes,
    spans,
    marks,
    run,
    mainLane: 0,
    nameOf: (id) => (id === 0 ? "main" : `process ${id}`),
  });
  const shown = trace.traceEvents
    .filter((e) => e.ph !== "M")
    .map((e) => [e.pid, e.ph, e.name, e.ts, e.dur]);
  assert.deepEqual(shown, [
    [1, "X", "waiting for results", 20_000, 180_000],
    [2, "X", "starting the worker (instantiating wasm, or starting Python)", 0, 50_000],
    [2, "X", "f(3)", 50_000, 100_000],
    [2, "i", "sent", 100_000, undefined],
  ]);
  const names = trace.traceEvents.filter((e) => e.name === "process_name").map((e) => e.args.name);
  assert.deepEqual(names, ["main", "process 2"]);
});
