// A pool worker: one "process". It instantiates its own copy of the core (its own memory)
// from the module the page compiled, then runs the tasks it is sent, one at a time.
import { instantiate } from "../engine/core.js";
import { runTask } from "../engine/runner.js";
import { Kind, errorToWire, event as eventMessage } from "../engine/protocol.js";
import { serve } from "../engine/serve.js";
import { now } from "../engine/measure.js";

let core;

serve({
  async [Kind.init]({ module }) {
    core = await instantiate(module);
    return { memoryBytes: core.memoryBytes() };
  },

  // Runs a chunk of tasks; each outcome is {value} or {error}. After a fatal error (a panic)
  // this instance is unusable, so the rest of the chunk, and every message queued behind it,
  // goes back to the pool to run elsewhere. A task about to sleep hands the queue back too.
  async [Kind.run]({ id, tasks, context }, control) {
    const outcomes = [];
    const emit = (event) =>
      event.type === "sleep" ? control.handBack() : postMessage(eventMessage(id, event));
    for (const spec of tasks) {
      try {
        outcomes.push({ value: await runTask(core, spec, context, emit) });
      } catch (error) {
        outcomes.push({ error: errorToWire(error) });
        if (error.fatal) {
          control.handBack({ forGood: true });
          break;
        }
      }
    }
    return outcomes;
  },

  // A role in the GIL's convoy, from `at` (ms since the epoch) on the page's plan: "io" wakes
  // every period and computes a moment; "cpu" computes until the last wake is past. Each
  // process has its own interpreter, so its own GIL: nothing here waits for a lock.
  async [Kind.convoy]({ plan, role, at }) {
    const sleepUntil = (t) => new Promise((ok) => setTimeout(ok, Math.max(0, t - now())));
    await sleepUntil(at);
    if (role === "idle") return {};
    if (role === "cpu") {
      const end = at + (plan.wakes + 1) * plan.period_ms;
      const from = now();
      let x = 1;
      let chunks = 0;
      while (now() < end) {
        x = core.convoyChunk(x);
        chunks += 1;
      }
      return { cpu: [[from, now()]], cpu_chunks: chunks };
    }
    // Due times on this worker's own clock, and no wake before its time: a timer may fire a
    // fraction of a millisecond early by performance.now(), and the rest is waited out here
    // (another timer would be clamped to 4 ms, as nested timers are).
    const base = now();
    const wakes = [];
    for (let i = 1; i <= plan.wakes; i++) {
      const due = base + i * plan.period_ms;
      await sleepUntil(due);
      while (now() < due);
      const woke = now();
      let x = i;
      for (let k = 0; k < plan.io_chunks; k++) x = core.convoyChunk(x);
      wakes.push({ due, woke, ran: woke, held: false, done: now() });
    }
    return { wakes };
  },

  // What this process's own memory holds: its size and its copy of the shared counter.
  [Kind.inspect]({ reset }) {
    return { counter: core.counterRead(Boolean(reset)), memoryBytes: core.memoryBytes() };
  },
});
