// A pool worker: one "process". It instantiates its own copy of the core (its own memory)
// from the module the page compiled, then runs the tasks it is sent, one at a time.
import { instantiate } from "../engine/core.js";
import { runTask } from "../engine/runner.js";
import { Kind, errorToWire, event as eventMessage } from "../engine/protocol.js";
import { serve } from "../engine/serve.js";
import { playRole } from "../engine/convoy.js";

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

  // A role in the GIL's convoy (engine/convoy.js), with this instance's chunk of work.
  [Kind.convoy](request) {
    return playRole((x) => core.convoyChunk(x), request);
  },

  // What this process's own memory holds: its size and its copy of the shared counter.
  [Kind.inspect]({ reset }) {
    return { counter: core.counterRead(Boolean(reset)), memoryBytes: core.memoryBytes() };
  },
});
