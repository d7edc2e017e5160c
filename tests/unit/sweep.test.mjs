// The sweep's per-point arithmetic (www/page/sweep.js), without a browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { karpFlatt, sweepCounts } from "../../www/page/sweep.js";

const close = (a, b) => Math.abs(a - b) < 1e-12;

test("Karp–Flatt gives back the serial fraction of each point of Amdahl's own curve", () => {
  const amdahl = (s, n) => 1 / (s + (1 - s) / n);
  for (let n = 2; n <= 16; n++) assert.ok(close(karpFlatt(amdahl(0.1, n), n), 0.1), `n = ${n}`);
  // Known answers: 2 workers at 1.6× is (0.625 − 0.5) / 0.5 = 0.25; the ideal is 0; a
  // superlinear point is negative; one worker has none.
  assert.ok(close(karpFlatt(1.6, 2), 0.25));
  assert.ok(close(karpFlatt(4, 4), 0));
  assert.ok(karpFlatt(2.2, 2) < 0);
  assert.equal(karpFlatt(1, 1), null);
  assert.equal(karpFlatt(0, 4), null);
});

test("a sweep visits 1 … twice the reported CPUs, at least 2, at most the form's limit", () => {
  assert.deepEqual(sweepCounts(2, 64), [1, 2, 3, 4]);
  assert.deepEqual(sweepCounts(1, 64), [1, 2]);
  assert.equal(sweepCounts(64, 16).length, 16);
});
