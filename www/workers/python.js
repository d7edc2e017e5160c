// A Python "process": its own Pyodide interpreter, in a worker of the page's ProcessPool.
// It imports the program as CPython's spawn start method does, then runs pickled calls, one
// at a time, taken from the queue its executor's processes share. It tells the page what it
// prints, when it started, imported the program and slept, and each call's answer with when
// its task ran ({news}, which the pool hands to its onNews).
// Its interpreter may start before any executor wants it ({kind: start}, no reply: the page
// keeps such ready processes, as CPython's forkserver keeps a ready image); {kind: init} then
// only installs its role and imports the program.
import { Kind, news as newsMessage } from "../engine/protocol.js";
import { serve } from "../engine/serve.js";
import { CallQueueReader } from "../engine/call-queue.js";
import { now } from "../engine/measure.js";
import { lineBatcher, memoryBytes, startPython } from "./python-runtime.js";

let python;
let booting = null;
let scale = 1;
const news = (item) => postMessage(newsMessage(item));
const output = lineBatcher((lines) => news({ type: "lines", lines }));
/** Calls too big for the call queue, asked for and not here yet: id → resolve. */
const arriving = new Map();

/** The payload of call `id`, from the page: its process asks for it once it took the call. */
function byMessage(id) {
  return new Promise((resolve) => {
    arriving.set(id, resolve);
    news({ type: "claimed", id });
  });
}

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

  // The executor's calls, from the queue all its processes share (call-queue.js), for as
  // long as the process lives: it takes the oldest call whenever it is free, as CPython's
  // processes do. Each answer goes to the page at once, with its task's span on the timeline;
  // Python's own exceptions are values ([ok = false, pickled (exception, traceback)]), raised
  // again by the caller. A call too big for the queue comes by message ({kind: call}).
  async [Kind.run]({ context }) {
    const calls = new CallQueueReader(context.calls);
    for (;;) {
      const { id, payload } = calls.take();
      const pickled = payload ?? (await byMessage(id));
      const start = now();
      const answer = python.playground.run_task(pickled);
      const end = now();
      output.flush();
      const [ok, result, label] = answer;
      answer.destroy?.();
      // At once, not held to go with the next: if the next call ends this process (os._exit),
      // this one's answer must already be out, as in CPython.
      news({ type: "result", id, ok, payload: result, label, start, end });
    }
  },

  [Kind.call]({ id, payload }) {
    arriving.get(id)?.(payload);
    arriving.delete(id);
  },
});
