// multiprocessing.Pipe's memory: each direction is a SharedQueue (shared-queue.js), and the
// pipe keeps, for each of its two ends, which interpreters hold it open. A recv() on an empty
// pipe whose other end nobody holds any more raises EOFError, as CPython's does once every
// copy of the writing end is closed, including the copy a process held when it ended; a
// send() to an end nobody holds raises BrokenPipeError.
//
// An end is held by pid: the interpreter that makes the pipe holds both ends, and a process
// an end goes to holds it from the moment its parent pickles it for the process (before the
// parent can close its own copy, as CPython duplicates the handle at spawn). Closing, a
// process's end, or its termination clears its pid; each wakes the readers on the other side.
import {
  MAX_QUEUES,
  QUEUE_BYTES,
  SharedQueue,
  sharedQueueBuffer,
  toldWait,
} from "./shared-queue.js";

/** How many interpreters may hold one end at once: the program and 32 live processes. */
export const HOLDERS = 40;
const END_WORDS = HOLDERS;

/** Whether `id`, among what a process is given at its start, names a pipe (its holders). */
export const isPipeId = (id) => /^(\d+:)?p\d+$/.test(id);

/** The holder tables of a pipe's two ends: HOLDERS pids (0: a free slot) each. */
export function pipeBuffer() {
  return new SharedArrayBuffer(2 * END_WORDS * 4);
}

/** One interpreter's view of a pipe's holders. `end` is 0 or 1 throughout. */
export class PipeHolders {
  #words;

  constructor(buffer) {
    this.#words = new Int32Array(buffer);
  }

  /** `pid` holds `end` (once, however often it is given it); false if the table is full. */
  hold(end, pid) {
    const words = this.#words;
    const from = end * END_WORDS;
    for (let i = from; i < from + END_WORDS; i++) if (Atomics.load(words, i) === pid) return true;
    for (let i = from; i < from + END_WORDS; i++) {
      if (Atomics.compareExchange(words, i, 0, pid) === 0) return true;
    }
    return false;
  }

  /** `pid` no longer holds `end`: true if it did. */
  drop(end, pid) {
    const words = this.#words;
    const from = end * END_WORDS;
    for (let i = from; i < from + END_WORDS; i++) {
      if (Atomics.compareExchange(words, i, pid, 0) === pid) return true;
    }
    return false;
  }

  /** Whether anyone holds `end`. */
  held(end) {
    const words = this.#words;
    const from = end * END_WORDS;
    for (let i = from; i < from + END_WORDS; i++) if (Atomics.load(words, i) !== 0) return true;
    return false;
  }
}

/**
 * Process `pid` has ended: it holds no end of the pipes `pipes` (id → holders' buffer) any
 * more, and whoever waits on their other ends looks again. `queueOf(id)` is the SharedQueue
 * of queue id `id`, if this interpreter (or the page) has it.
 */
export function forgetHolder(pid, pipes, queueOf) {
  for (const [id, buffer] of pipes) {
    const holders = new PipeHolders(buffer);
    const dropped = [0, 1].map((end) => holders.drop(end, pid));
    if (dropped.some(Boolean)) [0, 1].forEach((direction) => queueOf(`${id}q${direction}`)?.wake());
  }
}

/**
 * The `_pp` functions of an interpreter's pipes (playground.py's Pipe and Connection):
 * `prefix()` makes its ids its own, `me()` is its pid; `queues` is the queue bridge's map,
 * where each pipe's one or two queues live (so that they go to processes with the others);
 * `onBlock` and `onWait` tell a wait (toldWait), `onMessage("sent" | "got")` each message. A pipe's id names its holders' buffer; its
 * directions are the queues `${id}q0` (end 0 reads, end 1 writes) and, if duplex, `${id}q1`.
 */
export function pipeBridge({ prefix, me, queues, onBlock, onWait, onMessage }) {
  const buffers = new Map();
  const holders = new Map();
  let made = 0;
  const pipe = (id) => {
    let found = holders.get(id);
    if (!found) {
      const buffer = buffers.get(id);
      if (!buffer) throw new Error(`no pipe ${id} in this process (was it passed at its start?)`);
      holders.set(id, (found = new PipeHolders(buffer)));
    }
    return found;
  };
  // End e reads queue e and writes the other: end 0 reads q0, which end 1 writes; in a
  // duplex pipe end 1 reads q1, which end 0 writes.
  const queue = (id, direction) => queues.get(`${id}q${direction}`);
  const reads = (id, end) => queue(id, end);
  const writes = (id, end) => queue(id, 1 - end);
  // Whether nobody holds the end opposite `end` any more.
  const otherGone = (id, end) => () => !pipe(id).held(1 - end);
  // An end was dropped: the readers of what it wrote see it gone, its writers a broken pipe.
  const wake = (id) => [0, 1].forEach((direction) => queue(id, direction)?.wake());
  const waiting = (ms, op) => toldWait(ms, op, { onBlock, onWait });
  return {
    buffers,
    adopt(given) {
      for (const [id, buffer] of Object.entries(given ?? {})) {
        if (isPipeId(id) && !buffers.has(id)) buffers.set(id, buffer);
      }
    },
    functions: {
      /** A new pipe, both ends held by this interpreter: its id. */
      pipe_new(duplex) {
        if (made >= MAX_QUEUES) {
          throw new RangeError(
            `a program here may make at most ${MAX_QUEUES} pipes (each direction is ${QUEUE_BYTES >> 10} KiB of memory its processes share, kept until the program ends): pass one pipe around rather than making one per task`,
          );
        }
        const id = `${prefix()}p${++made}`;
        buffers.set(id, pipeBuffer());
        queues.set(`${id}q0`, new SharedQueue(sharedQueueBuffer()));
        if (duplex) queues.set(`${id}q1`, new SharedQueue(sharedQueueBuffer()));
        pipe(id).hold(0, me());
        pipe(id).hold(1, me());
        return id;
      },
      /** Process `pid` holds `end` from now (its parent pickles it for it): false if full. */
      pipe_hold: (id, end, pid) => pipe(id).hold(end, pid),
      /** This interpreter closes its copy of `end`. */
      pipe_close(id, end) {
        if (pipe(id).drop(end, me())) wake(id);
      },
      /** Process `pid` ended: it holds no end of any pipe this interpreter knows. */
      pipe_forget: (pid) => forgetHolder(pid, buffers, (id) => queues.get(id)),
      /**
       * Sends `payload` from `end`: "broken" if nobody holds the other end, else undefined.
       * Waits up to `ms` for room (a pipe holds 256 KiB of pickles unread).
       */
      pipe_send(id, end, payload, ms) {
        const gone = otherGone(id, end);
        if (gone()) return "broken";
        if (!waiting(ms, (limit) => writes(id, end).put(payload, limit, gone))) return "broken";
        onMessage?.("sent");
        return undefined;
      },
      /**
       * The next item `end` receives, waiting up to `ms` (< 0: no limit): the payload, "eof"
       * if none will come (the other end is closed everywhere), undefined if none came in time.
       */
      pipe_recv(id, end, ms) {
        const gone = otherGone(id, end);
        let eof = false;
        const got = waiting(ms, (limit) => reads(id, end).get(limit, () => (eof = gone())));
        if (got) onMessage?.("got");
        return got ?? (eof ? "eof" : undefined);
      },
      /** Whether `end` has something to read (or will never have), waiting up to `ms`. */
      pipe_poll: (id, end, ms) =>
        waiting(ms, (limit) => reads(id, end).readable(limit, otherGone(id, end))),
    },
  };
}
