// A pool worker: one "process". It instantiates its own copy of the core (its own memory)
// from the module the page compiled, then runs the tasks it is sent, one at a time.
import { instantiate } from "../engine/core.js";
import { runTask } from "../engine/runner.js";
import { Kind, errorToWire, serve } from "../engine/protocol.js";

let core;

serve({
  async [Kind.init]({ module }) {
    core = await instantiate(module);
    return { memoryBytes: core.memoryBytes() };
  },

  // Runs a chunk of tasks; each outcome is {value} or {error}. After a fatal error (a panic)
  // this instance is unusable, so the rest of the chunk goes back to the pool to run elsewhere.
  async [Kind.run]({ id, tasks, context }) {
    const outcomes = [];
    for (const spec of tasks) {
      try {
        const value = await runTask(core, spec, context, (event) => postMessage({ id, event }));
        outcomes.push({ value });
      } catch (error) {
        outcomes.push({ error: errorToWire(error) });
        if (error.fatal) break;
      }
    }
    return outcomes;
  },

  // What this process's own memory holds: its size and its copy of the shared counter.
  [Kind.inspect]({ reset }) {
    return { counter: core.counterRead(Boolean(reset)), memoryBytes: core.memoryBytes() };
  },
});
