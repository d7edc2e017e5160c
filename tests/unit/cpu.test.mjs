// The benchmark's CPU split (tools/cpu.mjs): which thread is which, and the time each kind took
// inside the measured runs only.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpuSplit, kindOf } from "../../tools/cpu.mjs";

test("threads are sorted by their process's type and their own name", () => {
  assert.equal(kindOf("renderer", "DedicatedWorker"), "workers");
  assert.equal(kindOf("renderer", "chromium", true), "page");
  assert.equal(kindOf("renderer", "Compositor"), "painting");
  assert.equal(kindOf("renderer", "ThreadPoolForeg"), "painting");
  assert.equal(kindOf("gpu-process", "VizCompositorTh"), "painting");
  assert.equal(kindOf("renderer", "Chrome_ChildIOT"), "other");
  assert.equal(kindOf("renderer", "chromium"), "other");
  assert.equal(kindOf("browser", "chromium", true), "other");
});

test("only the samples inside the runs count, from the first to the last of each run", () => {
  const at = (t, worker, page) => ({
    at: t,
    threads: new Map([
      ["1", { kind: "workers", ms: worker }],
      ["2", { kind: "page", ms: page }],
    ]),
  });
  const samples = [
    at(0, 0, 0),
    at(100, 50, 10), // first in run 1
    at(200, 240, 20),
    at(300, 430, 30), // last in run 1
    at(400, 480, 90), // between runs: the page drew the results
    at(500, 500, 100), // first in run 2
    at(600, 700, 110), // last in run 2
  ];
  const split = cpuSplit(samples, [
    [90, 350],
    [450, 650],
  ]);
  assert.deepEqual(split, {
    window_ms: 300,
    workers_ms: 380 + 200,
    page_ms: 20 + 10,
    painting_ms: 0,
    other_ms: 0,
  });
});

test("a run with fewer than two samples inside it is left out, not guessed", () => {
  const one = { at: 50, threads: new Map([["1", { kind: "workers", ms: 5 }]]) };
  assert.equal(cpuSplit([one], [[0, 100]]).window_ms, 0);
});
