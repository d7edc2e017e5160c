// A Python "process": its own Pyodide interpreter, in a worker of the page's ProcessPool.
// It imports the program as CPython's spawn start method does, then runs the pickled calls it
// is sent, one at a time. It tells the page what it prints, and when it started, imported the
// program, ran each task and slept ({news}, which the pool hands to its onNews).
import { Kind, news as newsMessage } from "../engine/protocol.js";
import { serve } from "../engine/serve.js";
import { now } from "../engine/measure.js";
import { lineBatcher, memoryBytes, startPython } from "./python-runtime.js";

let python;
const news = (item) => postMessage(newsMessage(item));
const output = lineBatcher((lines) => news({ type: "lines", lines }));

serve({
  async [Kind.init]({ source, init, cpus, pid, name, scale, snapshot, runtime, canBlock }) {
    python = await startPython({
      canBlock,
      role: "process",
      snapshot,
      runtime,
      cpus,
      pid,
      scale: () => scale,
      onLine: output.add,
      onSleep: (from, to) => news({ type: "span", kind: "sleep", from, to }),
      onBlock: output.flush,
    });
    const loaded = now();
    // A worker's clock starts when the worker is created: its start-up is all of this.
    news({ type: "span", kind: "start", from: performance.timeOrigin, to: loaded });
    const failed = python.playground.start_process(source, init ?? undefined, name);
    output.flush();
    news({ type: "span", kind: "import", from: loaded, to: now() });
    if (failed) {
      const error = new Error(`${name} could not start:\n${failed}`);
      error.name = "BrokenProcessPool";
      throw error;
    }
    return { memoryBytes: memoryBytes(python.pyodide) };
  },

  // One pickled call per task (a chunk of a map is one call). Python's own exceptions come
  // back as values ([ok = false, pickled (exception, traceback)]), raised again by the caller.
  [Kind.run]({ tasks }) {
    return tasks.map((payload) => {
      const start = now();
      const answer = python.playground.run_task(payload);
      const end = now();
      output.flush();
      const [ok, pickled, label] = answer;
      answer.destroy?.();
      news({ type: "span", kind: "run", from: start, to: end, label });
      return { value: { ok, payload: pickled, label, start, end } };
    });
  },
});
