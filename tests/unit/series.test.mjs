// Series arithmetic (www/engine/series.js): the numbers every widget shows about a series
// beside its baseline, with known answers.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  MAIN,
  efficiencyOf,
  isBaseline,
  isLastOfSeveral,
  lanesOf,
  median,
  namesRuns,
  runLabel,
  speedupOf,
  summarizeRuns,
} from "../../www/engine/series.js";

const baseline = { mode: MAIN, status: "done", ms: 4000 };
const pool = { mode: "process", status: "done", ms: 1000, workers: 4 };

test("speedup is the baseline's time over the series', and only where both are measured", () => {
  assert.equal(speedupOf(pool, baseline), 4);
  assert.equal(speedupOf(pool, null), null, "no baseline yet");
  assert.equal(speedupOf(baseline, baseline), null, "the baseline is not sped up by itself");
  assert.equal(speedupOf({ ...pool, status: "stopped" }, baseline), null);
  assert.equal(speedupOf({ ...pool, ms: 0 }, baseline), null, "no division by zero");
});

test("efficiency is the speedup per worker", () => {
  assert.equal(efficiencyOf(4, 4), 1);
  assert.equal(efficiencyOf(1.5, 2), 0.75);
});

test("the baseline is the main thread, on one lane; a pool has a lane per worker", () => {
  assert.ok(isBaseline(baseline) && !isBaseline(pool));
  assert.deepEqual(lanesOf({ mode: MAIN, workers: 8 }), [MAIN]);
  assert.deepEqual(lanesOf({ mode: "threads", workers: 3 }), [0, 1, 2]);
});

test("runs are named warm-up, then run k of n, and only named when there are several", () => {
  const settings = { repeats: 3, warmup: true };
  assert.deepEqual(
    [0, 1, 2, 3].map((k) => runLabel(k, settings)),
    ["warm-up", "run 1 of 3", "run 2 of 3", "run 3 of 3"],
  );
  assert.deepEqual(
    [0, 1].map((k) => runLabel(k, { repeats: 2, warmup: false })),
    ["run 1 of 2", "run 2 of 2"],
  );
  assert.ok(namesRuns(settings) && namesRuns({ repeats: 1, warmup: true }));
  assert.ok(!namesRuns({ repeats: 1, warmup: false }));
  assert.ok(isLastOfSeveral({ label: "run 3 of 3" }, settings));
  assert.ok(!isLastOfSeveral({ label: "run 2 of 3" }, settings));
  assert.ok(!isLastOfSeveral({ label: "run 1 of 1" }, { repeats: 1 }), "one run is not several");
});

test("a series' runs sum up to their median, range, and the run closest to the median", () => {
  assert.equal(median([1, 2, 10]), 2);
  assert.equal(median([1, 2, 3, 10]), 2.5);
  const runs = [{ ms: 40 }, { ms: 10 }, { ms: 31 }, { ms: 50 }, { ms: 22 }];
  const { stats, representative } = summarizeRuns(runs);
  assert.deepEqual(stats, { median: 31, min: 10, max: 50 });
  assert.equal(representative, runs[2]);
  const even = [{ ms: 10 }, { ms: 24 }, { ms: 30 }, { ms: 90 }];
  assert.equal(summarizeRuns(even).stats.median, 27);
  assert.equal(summarizeRuns(even).representative, even[1], "a tie goes to the earlier run");
});
