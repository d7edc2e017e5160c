// A Python "process": its own Pyodide interpreter, in a worker of the page's ProcessPool.
// It imports the program as CPython's spawn start method does, then runs the pickled calls it
// is sent, one at a time. It tells the page what it prints, and when it started, imported the
// program and slept ({news}, which the pool hands to its onNews); each answer says when its
// task ran.
// Its interpreter may start before any executor wants it ({kind: start}, no reply: the page
// keeps such ready processes, as CPython's forkserver keeps a ready image); {kind: init} then
// only installs its role and imports the program.
import { Kind, news as newsMessage } from "../engine/protocol.js";
import { serve } from "../engine/serve.js";
import { now } from "../engine/measure.js";
import { lineBatcher, memoryBytes, startPython } from "./python-runtime.js";

let python;
let booting = null;
let scale = 1;
const news = (item) => postMessage(newsMessage(item));
const output = lineBatcher((lines) => news({ type: "lines", lines }));

/** Starts this process's interpreter, once: ahead of an executor, or when one asks. */
function boot({ snapshot, runtime, canBlock }) {
  booting ??= startPython({
    canBlock,
    snapshot,
    runtime,
    scale: () => scale,
    onLine: output.add,
    onSleep: (from, to) => news({ type: "span", kind: "sleep", from, to }),
    onBlock: output.flush,
  }).then((started) => {
    // A worker's clock starts when the worker is created: its start-up is all of this.
    news({ type: "span", kind: "start", from: performance.timeOrigin, to: now() });
    return started;
  });
  return booting;
}

serve({
  async [Kind.start](options) {
    await boot(options);
  },

  async [Kind.init]({ source, init, cpus, pid, name, scale: timeScale, canBlock, ...options }) {
    scale = timeScale;
    python = await boot({ canBlock, ...options });
    const from = now();
    python.playground.install("process", cpus, pid, canBlock);
    const failed = python.playground.start_process(source, init ?? undefined, name);
    output.flush();
    news({ type: "span", kind: "import", from, to: now() });
    if (failed) {
      const error = new Error(`${name} could not start:\n${failed}`);
      error.name = "BrokenProcessPool";
      throw error;
    }
    return { memoryBytes: memoryBytes(python.pyodide) };
  },

  // One pickled call per task (a chunk of a map is one call). Python's own exceptions come
  // back as values ([ok = false, pickled (exception, traceback)]), raised again by the caller.
  // The answer's start and end are the task's span on the timeline (no news of its own: one
  // message per task fewer for the page).
  [Kind.run]({ tasks }) {
    return tasks.map((payload) => {
      const start = now();
      const answer = python.playground.run_task(payload);
      const end = now();
      output.flush();
      const [ok, pickled, label] = answer;
      answer.destroy?.();
      return { value: { ok, payload: pickled, label, start, end } };
    });
  },
});
