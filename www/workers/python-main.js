// The Python driver: runs the program as __main__ in its own interpreter, off the page's
// thread. Its executors' work goes to the page ({spawn}, {submit}, {shutdown}), which runs it
// on Python processes (www/engine/python.js); their answers come back through the mailbox
// (www/engine/mailbox.js), on which the program blocks while it waits, as CPython's does.
import { MailboxReader } from "../engine/mailbox.js";
import { errorToWire } from "../engine/protocol.js";
import { now } from "../engine/measure.js";
import { lineBatcher, startPython } from "./python-runtime.js";

let python;
let mailbox = null;
let scale = 1;

const output = lineBatcher((lines) => postMessage({ lines }));

/** Waits shorter than this are not worth a span on the timeline. */
const WAIT_SHOWN_MS = 1;

const bridge = {
  spawn: (pool, names, init) => postMessage({ spawn: { pool, names: [...names], init } }),
  submit: (pool, id, payload, label) => postMessage({ submit: { pool, id, payload, label } }),
  shutdown: (pool, now_) => postMessage({ shutdown: { pool, now: now_ } }),
  // Blocks until the page answers, or `ms` pass (ms < 0: no limit); undefined if none came.
  receive(ms) {
    output.flush();
    const from = now();
    const message = mailbox.take(ms < 0 ? Infinity : ms);
    const to = now();
    if (to - from >= WAIT_SHOWN_MS) postMessage({ span: { kind: "wait", from, to } });
    if (!message) return undefined;
    const { payload, ...head } = message;
    return { head: JSON.stringify(head), payload };
  },
};

const handlers = {
  // The first main interpreter of a page also takes the snapshot every later one, and every
  // process, starts from (python-runtime.js); the page keeps it.
  async start({ cpus, snapshot }) {
    python = await startPython({
      role: "main",
      cpus,
      pid: 1,
      bridge,
      scale: () => scale,
      onLine: output.add,
      onSleep: (from, to) => postMessage({ span: { kind: "sleep", from, to } }),
      onBlock: output.flush,
      snapshot,
      makeSnapshot: !snapshot,
    });
    return { from: performance.timeOrigin, to: now(), snapshot: python.snapshot };
  },

  // Runs the program; resolves with null or its error {type, text, line}. Nothing else runs
  // in this worker until it returns: the program has the thread, as it would in CPython.
  run({ source, buffer, scale: timeScale }) {
    scale = timeScale;
    mailbox = buffer ? new MailboxReader(buffer, () => postMessage({ took: true })) : null;
    let error;
    try {
      error = python.playground.run_main(source);
    } finally {
      output.flush();
    }
    const result = error ? error.toJs({ dict_converter: Object.fromEntries }) : null;
    error?.destroy();
    return result;
  },
};

// A dispatch table and one try/catch: each request {id, kind} gets {id, result} or {id, error}.
self.onmessage = async ({ data }) => {
  try {
    postMessage({ id: data.id, result: await handlers[data.kind](data) });
  } catch (error) {
    postMessage({ id: data.id, error: errorToWire(error) });
  }
};
