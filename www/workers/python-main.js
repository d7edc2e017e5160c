// The Python driver: runs the program as __main__ in its own interpreter, off the page's
// thread. Its executors' calls go into each executor's call queue (call-queue.js), from which
// the Python processes the page started for it ({spawn}, {shutdown}: www/engine/python.js)
// take them; their answers come back through each executor's result queue (result-queue.js),
// and the page's word through the mailbox (mailbox.js), on which the program blocks while it
// waits, as CPython's does.
import { MailboxReader } from "../engine/mailbox.js";
import { CallQueueWriter, INLINE_MAX, callQueueBuffer } from "../engine/call-queue.js";
import { ResultQueueReader, resultQueueBuffer } from "../engine/result-queue.js";
import { Driver, Kind } from "../engine/protocol.js";
import { queueBridge } from "../engine/shared-queue.js";
import { memoryBridge } from "../engine/shared-value.js";
import { pipeBridge } from "../engine/shared-pipe.js";
import { sharedMemoryBridge } from "../engine/shared-memory.js";
import { respond } from "../engine/serve.js";
import { now } from "../engine/measure.js";
import { lineBatcher, startPython } from "./python-runtime.js";

let python;
let mailbox = null;
let scale = 1;

const output = lineBatcher((lines) => postMessage(Driver.lines(lines)));

/** Waits shorter than this are not worth a span on the timeline. */
const WAIT_SHOWN_MS = 1;

/** Each executor's call queue, which submit() fills: pool id → {writer, submitted}. */
const queues = new Map();

/** The program's multiprocessing queues (playground.py's Queue), in shared memory. */
const shared = queueBridge({
  prefix: () => "",
  onBlock: () => output.flush(),
  onWait: (from, to) => postMessage(Driver.span("queue", from, to)),
  onMessage: output.mark,
});

/** The program's multiprocessing locks and values, in shared memory (its pid is 1). */
const memory = memoryBridge({
  prefix: () => "",
  me: () => 1,
  onBlock: () => output.flush(),
  onWait: (from, to) => postMessage(Driver.span("lock", from, to)),
});

/** The program's multiprocessing pipes: their holders, and their queues among `shared`'s. */
const pipes = pipeBridge({
  prefix: () => "",
  me: () => 1,
  queues: shared.queues,
  onBlock: () => output.flush(),
  onWait: (from, to) => postMessage(Driver.span("queue", from, to)),
  onMessage: output.mark,
});

/** The program's multiprocessing.shared_memory blocks, by name. */
const blocks = sharedMemoryBridge();

const bridge = {
  ...shared.functions,
  ...memory.functions,
  ...pipes.functions,
  ...blocks.functions,
  spawn(pool, names, init, pids, method) {
    // What the program printed before it started them comes first, as CPython flushes its
    // streams before it starts a process.
    output.flush();
    const calls = callQueueBuffer();
    const results = resultQueueBuffer();
    queues.set(pool, { writer: new CallQueueWriter(calls), submitted: 0 });
    mailbox.listen(pool, new ResultQueueReader(results));
    // Every queue, pipe, lock and value the program has made: one passed to a Process goes
    // with it (a process can only be given them at its start, as in CPython).
    const given = Object.fromEntries([
      ...[...shared.queues].map(([id, q]) => [id, q.buffer]),
      ...memory.buffers,
      ...pipes.buffers,
      ...Object.entries(blocks.given()),
    ]);
    postMessage(Driver.spawn(pool, names, pids, init, calls, results, given, method));
  },
  // The call goes into the queue the executor's processes take from, as CPython's submit
  // feeds its call queue: no message through the page, whose turn would cost every call a
  // wait. `payload` is this call's own copy of the pickle (to_js copies it out of the
  // interpreter's memory); a call too big for the queue also goes to the page, which hands
  // it to the process that takes it. Blocks while the queue is full.
  submit(pool, id, payload) {
    const queue = queues.get(pool);
    if (!queue) return;
    let call = payload;
    if (payload.length > INLINE_MAX) {
      const own = payload.byteLength === payload.buffer.byteLength;
      postMessage(Driver.big(pool, id, payload), own ? [payload.buffer] : []);
      call = null;
    }
    if (!queue.writer.put(id, call)) {
      output.flush(); // before a wait, as before any other
      if (!queue.writer.putWaiting(id, call)) return; // the executor ended meanwhile
    }
    queue.submitted += 1;
  },
  shutdown(pool, atOnce) {
    postMessage(Driver.shutdown(pool, atOnce, queues.get(pool)?.submitted ?? 0));
    queues.delete(pool);
  },
  // The executor's work is all answered, or will never be: its result queue is done with.
  release(pool) {
    mailbox?.forget(pool);
  },
  // Blocks until the page answers, or `ms` pass (ms < 0: no limit); undefined if none came.
  receive(ms) {
    output.flush();
    const from = now();
    const message = mailbox.take(ms < 0 ? Infinity : ms);
    const to = now();
    if (to - from >= WAIT_SHOWN_MS) postMessage(Driver.span("await", from, to));
    if (!message) return undefined;
    const { payload, ...head } = message;
    return { head: JSON.stringify(head), payload };
  },
};

const handlers = {
  // The first main interpreter of a page also takes the snapshot every later one, and every
  // process, starts from (python-runtime.js); the page keeps it.
  async [Kind.start]({ cpus, snapshot, runtime, canBlock }) {
    python = await startPython({
      canBlock,
      bridge,
      scale: () => scale,
      onLine: output.add,
      onSleep: (from, to) => postMessage(Driver.span("sleep", from, to)),
      onBlock: output.flush,
      sync: blocks.sync,
      snapshot,
      makeSnapshot: !snapshot,
      runtime,
    });
    python.playground.install("main", cpus, 1, canBlock);
    return { from: performance.timeOrigin, to: now(), snapshot: python.snapshot };
  },

  // Runs the program; resolves with null or its error {type, text, line}. Nothing else runs
  // in this worker until it returns: the program has the thread, as it would in CPython.
  [Kind.run]({ source, buffer, scale: timeScale }) {
    scale = timeScale;
    mailbox = buffer ? new MailboxReader(buffer, () => postMessage(Driver.took())) : null;
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

// No run queue: the program has this worker's thread until it ends, so requests are answered
// as they come (serve.js respond: one try/catch, errors as values).
self.onmessage = ({ data }) => respond(handlers, data);
