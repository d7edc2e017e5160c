// The GIL's convoy figures (www/engine/convoy.js), without a browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { convoyStats, playRole } from "../../www/engine/convoy.js";
import { now } from "../../www/engine/measure.js";

test("a convoy run's figures: latency from due to running, the GIL's wait, the timer's lateness", () => {
  const wakes = [
    { due: 10, woke: 10.5, ran: 15.5, done: 15.6 },
    { due: 20, woke: 20.1, ran: 25.2, done: 25.3 },
    { due: 30, woke: 30.2, ran: 35.0, done: 35.1 },
    { due: 40, woke: 40.3, ran: 52.3, done: 52.4 },
  ];
  const stats = convoyStats({ wakes });
  const close = (a, b) => Math.abs(a - b) < 1e-9;
  // Latencies 5.5, 5.2, 5.0, 12.3: median (5.2 + 5.5) / 2, slowest 12.3.
  assert.ok(close(stats.latency, 5.35), stats.latency);
  assert.ok(close(stats.slowest, 12.3));
  // GIL waits 5.0, 5.1, 4.8, 12.0: median 5.05; timer 0.5, 0.1, 0.2, 0.3: median 0.25.
  assert.ok(close(stats.gilWait, 5.05), stats.gilWait);
  assert.ok(close(stats.timerLate, 0.25), stats.timerLate);
  const odd = convoyStats({ wakes: wakes.slice(0, 3) });
  assert.ok(close(odd.latency, 5.2), "an odd count's median is its middle");
});

test("a process's roles: the waking task never runs before its time, the CPU-bound one computes past the last wake", async () => {
  const plan = { wakes: 4, period_ms: 3, io_chunks: 2 };
  let calls = 0;
  const chunk = (x) => (calls++, x + 1);
  const at = now() + 5;
  const [io, cpu, idle] = await Promise.all([
    playRole(chunk, { plan, role: "io", at }),
    playRole(chunk, { plan, role: "cpu", at }),
    playRole(chunk, { plan, role: "idle", at }),
  ]);
  assert.deepEqual(idle, {});
  assert.equal(io.wakes.length, 4);
  for (const [i, w] of io.wakes.entries()) {
    if (i > 0) assert.ok(Math.abs(w.due - io.wakes[i - 1].due - 3) < 1e-9, "due every period");
    assert.ok(w.due <= w.woke && w.woke === w.ran && w.ran <= w.done, JSON.stringify(w));
    assert.equal(w.held, false, "a process has a GIL of its own");
  }
  // It computes until the last wake is one period past: (4 + 1) × 3 ms after `at`.
  const [[from, to]] = cpu.cpu;
  assert.ok(from <= to && to >= at + 5 * 3, `${from}–${to}`);
  assert.ok(cpu.cpu_chunks > 0);
  assert.equal(calls, cpu.cpu_chunks + 4 * 2, "every chunk counted, the task's two a wake");
});
