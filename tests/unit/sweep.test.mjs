// The sweep's arithmetic (www/page/sweep.js, www/engine/sweep.js), without a browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gustafsonSerial, karpFlatt, sweepCounts } from "../../www/page/sweep.js";
import { gustafsonFit, repeatTasks, summarizeCopies } from "../../www/engine/sweep.js";

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

test("Gustafson's fit gives back the serial fraction of its own law, up to where it levels off", () => {
  const law = (s, n) => n - s * (n - 1);
  // A machine of 4 cores: past them the scaled speedup stays at what 4 gave.
  const points = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({
    workers: n,
    speedup: law(0.2, Math.min(n, 4)),
  }));
  const fit = gustafsonFit(points);
  assert.equal(fit.measured_cores, 4);
  assert.equal(fit.fitted_points, 4);
  assert.ok(close(fit.serial_fraction, 0.2), `${fit.serial_fraction}`);
  assert.equal(fit.curve.length, 8);
  for (let n = 1; n <= 8; n++) assert.ok(close(fit.curve[n - 1], law(0.2, n)), `n = ${n}`);
  for (let n = 2; n <= 4; n++) assert.ok(close(gustafsonSerial(law(0.2, n), n), 0.2));
  // Known answers: 2 workers doing 2× the work in 1.25× the time is a scaled speedup of 1.6, so
  // s = (2 − 1.6) / 1 = 0.4; the ideal is 0; better than ideal clamps to 0, no gain to 1.
  assert.ok(close(gustafsonSerial(1.6, 2), 0.4));
  assert.equal(gustafsonSerial(3, 3), 0);
  assert.equal(gustafsonSerial(1, 1), null);
  const superlinear = gustafsonFit([
    { workers: 1, speedup: 1 },
    { workers: 2, speedup: 2.3 },
  ]);
  assert.equal(superlinear.serial_fraction, 0);
  const flat = gustafsonFit([
    { workers: 1, speedup: 1 },
    { workers: 2, speedup: 0.9 },
  ]);
  assert.equal(flat.measured_cores, 1);
  assert.equal(flat.serial_fraction, 1, "one point in range says nothing: all serial");
  assert.equal(gustafsonFit([]), null);
  assert.equal(gustafsonFit([{ workers: 2, speedup: 0 }]), null);
});

test("weak scaling's n× the work is the task list n times over, numbered along, summarized per copy", () => {
  const specs = [
    { index: 0, lo: 0, hi: 5 },
    { index: 1, lo: 5, hi: 10 },
  ];
  assert.equal(repeatTasks(specs, 1), specs);
  assert.deepEqual(repeatTasks(specs, 3), [
    { index: 0, lo: 0, hi: 5 },
    { index: 1, lo: 5, hi: 10 },
    { index: 2, lo: 0, hi: 5 },
    { index: 3, lo: 5, hi: 10 },
    { index: 4, lo: 0, hi: 5 },
    { index: 5, lo: 5, hi: 10 },
  ]);
  const sum = (partials) => ({ digest: partials.reduce((a, b) => a + b, 0), headline: "h" });
  const seen = [];
  const spy = (partials) => (seen.push(partials), sum(partials));
  assert.deepEqual(summarizeCopies([1, 2, 1, 2, 1, 2], 3, spy), { digest: 3, headline: "h" });
  assert.deepEqual(seen, [
    [1, 2],
    [1, 2],
    [1, 2],
  ]);
  // Copies that disagree give no digest: not the job's answer.
  assert.equal(summarizeCopies([1, 2, 1, 3], 2, sum).digest, null);
  assert.equal(summarizeCopies([1, 2], 1, sum).digest, 3);
});
