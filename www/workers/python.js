// A Python "process": its own Pyodide interpreter, in a worker of the page's ProcessPool.
// It imports the program as CPython's spawn start method does, then runs pickled calls, one
// at a time, taken from the queue its executor's processes share. It tells the page what it
// prints, when it started, imported the program and slept, and when each task ran ({news},
// which the pool hands to its onNews); its answers go straight to the program's driver.
// Its interpreter may start before any executor wants it ({kind: start}, no reply: the page
// keeps such ready processes, as CPython's forkserver keeps a ready image); {kind: init} then
// only installs its role and imports the program.
import { Kind, news as newsMessage } from "../engine/protocol.js";
import { serve } from "../engine/serve.js";
import { CallQueueReader } from "../engine/call-queue.js";
import { ResultQueueWriter } from "../engine/result-queue.js";
import { now } from "../engine/measure.js";
import { queueBridge } from "../engine/shared-queue.js";
import { memoryBridge } from "../engine/shared-value.js";
import { pipeBridge } from "../engine/shared-pipe.js";
import { sharedMemoryBridge } from "../engine/shared-memory.js";
import { lineBatcher, memoryBytes, startPython } from "./python-runtime.js";

let python;
let booting = null;
let scale = 1;
const news = (item) => postMessage(newsMessage(item));
const output = lineBatcher((lines) => news({ type: "lines", lines }));
let pid = 0;
/** The program's multiprocessing queues this process was given at its start, and its own. */
const shared = queueBridge({
  prefix: () => `${pid}:`,
  onBlock: () => output.flush(),
  onWait: (from, to) => news({ type: "span", kind: "queue", from, to }),
  onMessage: output.mark,
});
/** The program's locks and values this process was given at its start, and its own. */
const memory = memoryBridge({
  prefix: () => `${pid}:`,
  me: () => pid,
  onBlock: () => output.flush(),
  onWait: (from, to) => news({ type: "span", kind: "lock", from, to }),
});
/** The program's pipes this process was given at its start, and its own. */
const pipes = pipeBridge({
  prefix: () => `${pid}:`,
  me: () => pid,
  queues: shared.queues,
  onBlock: () => output.flush(),
  onWait: (from, to) => news({ type: "span", kind: "queue", from, to }),
  onMessage: output.mark,
});
/** The program's shared memory blocks this process was given at its start, and its own. */
const blocks = sharedMemoryBridge();
/** Calls too big for the call queue, asked for and not here yet: id → resolve. */
const arriving = new Map();

/**
 * How often, at most, a busy process tells the page which tasks it ran (ms): the timeline's
 * bars, and the page's count of answers. One message per task cost the page's thread a turn
 * each, on the cores the tasks run on. A process also tells as soon as it has no call to run,
 * and before it ends.
 */
const TELL_EVERY_MS = 100;

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
    bridge: { ...shared.functions, ...memory.functions, ...pipes.functions, ...blocks.functions },
    sync: blocks.sync,
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

  async [Kind.init]({ source, init, cpus, name, scale: timeScale, canBlock, ...options }) {
    scale = timeScale;
    pid = options.pid;
    shared.adopt(options.shared);
    memory.adopt(options.shared);
    pipes.adopt(options.shared);
    blocks.adopt(options.shared);
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
  // processes do. Each answer goes at once into the executor's result queue, which the
  // driver reads (result-queue.js): an answer given must outlive a next call that ends this
  // process (os._exit), as in CPython. One too big for it, or that finds it full, goes to the
  // page, which forwards it. Python's own exceptions are values ([ok = false, pickled
  // (exception, traceback)]), raised again by the caller. A call too big for the call queue
  // comes by message ({kind: call}).
  async [Kind.run]({ context }) {
    const calls = new CallQueueReader(context.calls);
    const results = new ResultQueueWriter(context.results, context.bell);
    let ran = []; // tasks answered that the page has not heard of: {start, end, label}
    let toldAt = now();
    const tell = () => {
      if (ran.length > 0) news({ type: "ran", tasks: ran });
      ran = [];
      toldAt = now();
    };
    try {
      for (;;) {
        const call = calls.take(0) ?? (tell(), calls.take());
        const pickled = call.payload ?? (await byMessage(call.id));
        const start = now();
        blocks.sync(); // what the program wrote to its shared memory before the call
        const answer = python.playground.run_task(pickled);
        blocks.sync(); // and what this task wrote, before the program can hear of its end
        const end = now();
        output.flush();
        const [ok, result, label] = answer;
        answer.destroy?.();
        if (results.put(call.id, ok, result)) ran.push({ start, end, label });
        else news({ type: "result", id: call.id, ok, payload: result, label, start, end });
        if (end - toldAt >= TELL_EVERY_MS) tell();
      }
    } finally {
      tell(); // a call that ended this process: what it ran before is still on the timeline
    }
  },

  [Kind.call]({ id, payload }) {
    arriving.get(id)?.(payload);
    arriving.delete(id);
  },
});
