// multiprocessing.Queue's memory: a queue of pickles in a SharedArrayBuffer that the program
// and its processes all map, so a put in one interpreter is a get in another with no message
// through the page, and a get that waits really sleeps (Atomics.wait) until a put wakes it,
// as CPython's processes block on their queue's pipe.
//
// Many writers, many readers (any interpreter may put or get), taking turns through a lock
// word held only while an item is copied in or out. A ring of bytes like the executors'
// queues (ring.js): each item is its length (4 bytes), then its pickle. A put waits while the
// queue holds maxsize items or has no room for the pickle; a get while it holds none. Waiters
// sleep on a counter the other side bumps (PUTS, TAKES), read under the lock, so a wake-up
// between the look and the sleep is never missed. UNFINISHED counts puts not yet matched by
// task_done(), for JoinableQueue.join().
import { ByteRing, lockWord, unlockWord } from "./ring.js";
import { now } from "./measure.js";

/** Waits shorter than this are not worth a span on the timeline. */
const WAIT_SHOWN_MS = 1;

/**
 * `op(limit)`, a put, get, join or acquire that may wait `ms` (0: it does not; < 0: as long
 * as it takes), told: `limit` is `ms` as the shared objects take it (Infinity for no limit);
 * `onBlock()` before it (the worker sends its printed lines first), `onWait(from, to)` after
 * it if it lasted WAIT_SHOWN_MS or more (for the timeline).
 */
export function toldWait(ms, op, { onBlock, onWait }) {
  if (ms === 0) return op(0);
  onBlock?.();
  const from = now();
  try {
    return op(ms < 0 ? Infinity : ms);
  } finally {
    const to = now();
    if (to - from >= WAIT_SHOWN_MS) onWait?.(from, to);
  }
}

const HEAD = 0;
const TAIL = 1;
const LOCK = 2;
const COUNT = 3;
const MAXSIZE = 4; // 0: no limit but the ring's room
const PUTS = 5;
const TAKES = 6;
const UNFINISHED = 7;
const HEADER_BYTES = 32;
const LENGTH_BYTES = 4;
/**
 * The ring's bytes: a power of two, so that positions wrap with the counters. Each queue is
 * this much shared memory for as long as the program runs, whatever it holds.
 */
export const QUEUE_BYTES = 1 << 18;
/** The most queues one interpreter may make: MAX_QUEUES × QUEUE_BYTES is 64 MiB. */
export const MAX_QUEUES = 256;
/** The biggest pickle one item may be. */
export const ITEM_MAX = QUEUE_BYTES - LENGTH_BYTES;

/** The memory of a new, empty queue of at most `maxsize` items (0: any number). */
export function sharedQueueBuffer(maxsize = 0) {
  const buffer = new SharedArrayBuffer(HEADER_BYTES + QUEUE_BYTES);
  new Int32Array(buffer, 0, HEADER_BYTES / 4)[MAXSIZE] = Math.max(0, maxsize | 0);
  return buffer;
}

/** One interpreter's view of a queue. Waits are in ms: Infinity blocks, 0 does not wait. */
export class SharedQueue {
  #ring;
  #length = new DataView(new ArrayBuffer(LENGTH_BYTES));

  constructor(buffer) {
    this.buffer = buffer;
    this.#ring = new ByteRing(buffer, HEADER_BYTES);
  }

  /** How many items it holds now. */
  get size() {
    return Atomics.load(this.#ring.header, COUNT);
  }

  /**
   * Puts `payload` (a Uint8Array, at most ITEM_MAX bytes: RangeError beyond), waiting up to
   * `ms` for room; false if there was none in time, or if `gone()` (a pipe's reader closed
   * everywhere) became true first.
   */
  put(payload, ms = Infinity, gone = undefined) {
    if (payload.length > ITEM_MAX) {
      throw new RangeError(
        `an item pickles to ${payload.length.toLocaleString("en-US")} bytes: a Queue or Pipe here holds items of at most ${ITEM_MAX.toLocaleString("en-US")} bytes (send it in pieces)`,
      );
    }
    const ring = this.#ring;
    const { header } = ring;
    let refused = false;
    const put = this.#waitFor(TAKES, ms, () => {
      if (gone?.()) return (refused = true);
      const max = header[MAXSIZE];
      const full = max > 0 && header[COUNT] >= max;
      if (full || LENGTH_BYTES + payload.length > ring.free(header[HEAD], header[TAIL]))
        return false;
      const tail = header[TAIL];
      this.#length.setUint32(0, payload.length, true);
      ring.write(tail, new Uint8Array(this.#length.buffer));
      ring.write(tail + LENGTH_BYTES, payload);
      header[TAIL] = (tail + LENGTH_BYTES + payload.length) | 0;
      header[COUNT] += 1;
      header[UNFINISHED] += 1;
      header[PUTS] += 1;
      return true;
    });
    return put && !refused;
  }

  /**
   * The oldest item, waiting up to `ms` for one; undefined if none came in time, or if the
   * queue was empty when `gone()` (a pipe's writer closed everywhere) said true.
   */
  get(ms = Infinity, gone = undefined) {
    const ring = this.#ring;
    const { header } = ring;
    let item;
    const got = this.#waitFor(PUTS, ms, () => {
      if (header[COUNT] === 0) return gone?.() ?? false;
      const head = header[HEAD];
      const length = new DataView(ring.read(head, LENGTH_BYTES).buffer).getUint32(0, true);
      item = ring.read(head + LENGTH_BYTES, length);
      header[HEAD] = (head + LENGTH_BYTES + length) | 0;
      header[COUNT] -= 1;
      header[TAKES] += 1;
      return true;
    });
    return got ? item : undefined;
  }

  /** Whether it holds an item, or `gone()` says none will come, waiting up to `ms`. */
  readable(ms, gone) {
    const { header } = this.#ring;
    return this.#waitFor(PUTS, ms, () => header[COUNT] > 0 || gone());
  }

  /** Wakes every waiter on either side to look again (a pipe's end was closed). */
  wake() {
    const { header } = this.#ring;
    lockWord(header, LOCK);
    header[PUTS] += 1;
    header[TAKES] += 1;
    unlockWord(header, LOCK);
    Atomics.notify(header, PUTS);
    Atomics.notify(header, TAKES);
  }

  /** JoinableQueue.task_done(): false if more were called than items were put. */
  taskDone() {
    const { header } = this.#ring;
    lockWord(header, LOCK);
    try {
      if (header[UNFINISHED] <= 0) return false;
      header[UNFINISHED] -= 1;
      return true;
    } finally {
      unlockWord(header, LOCK);
      Atomics.notify(header, UNFINISHED);
    }
  }

  /** JoinableQueue.join(): waits up to `ms` until every item put was task_done(). */
  join(ms = Infinity) {
    const { header } = this.#ring;
    const deadline = performance.now() + ms;
    for (;;) {
      const left = Atomics.load(header, UNFINISHED);
      if (left <= 0) return true;
      const wait = deadline - performance.now();
      if (wait <= 0) return false;
      Atomics.wait(header, UNFINISHED, left, wait);
    }
  }

  // Tries `attempt()` under the lock until it succeeds or `ms` pass, sleeping between tries
  // on the counter `word` the other side bumps; wakes that side's sleepers after a success.
  #waitFor(word, ms, attempt) {
    const { header } = this.#ring;
    const other = word === PUTS ? TAKES : PUTS;
    const deadline = performance.now() + ms;
    for (;;) {
      lockWord(header, LOCK);
      let done;
      let seen;
      try {
        done = attempt();
        seen = header[word];
      } finally {
        unlockWord(header, LOCK);
      }
      if (done) {
        Atomics.notify(header, other);
        return true;
      }
      const wait = deadline - performance.now();
      if (!(wait > 0)) return false;
      Atomics.wait(header, word, seen, wait);
    }
  }
}

/**
 * The `_pp` functions of an interpreter's queues (playground.py's Queue): `prefix()` makes its
 * ids its own (each interpreter may make queues); `onBlock()` is called before any wait (the
 * worker sends its printed lines first), and `onWait(from, to)` after one that lasted (for the
 * timeline), `onMessage("sent" | "got")` after each item put or taken. `queues` maps id →
 * SharedQueue: the driver hands their buffers to each process it starts, which adopt()s them.
 */
export function queueBridge({ prefix, onBlock, onWait, onMessage }) {
  const queues = new Map();
  let made = 0;
  const queue = (id) => {
    const found = queues.get(id);
    if (!found) throw new Error(`no queue ${id} in this process (was it passed at its start?)`);
    return found;
  };
  const waiting = (ms, op) => toldWait(ms, op, { onBlock, onWait });
  return {
    queues,
    adopt(buffers) {
      for (const [id, buffer] of Object.entries(buffers ?? {})) {
        if (/^(\d+:)?(p\d+)?q\d+$/.test(id) && !queues.has(id))
          queues.set(id, new SharedQueue(buffer));
      }
    },
    functions: {
      queue_new(maxsize) {
        if (made >= MAX_QUEUES) {
          throw new RangeError(
            `a program here may make at most ${MAX_QUEUES} queues (each is ${QUEUE_BYTES >> 10} KiB of memory its processes share, kept until the program ends): pass one queue around rather than making one per task`,
          );
        }
        const id = `${prefix()}q${++made}`;
        queues.set(id, new SharedQueue(sharedQueueBuffer(maxsize)));
        return id;
      },
      queue_put(id, payload, ms) {
        const put = waiting(ms, (limit) => queue(id).put(payload, limit));
        if (put) onMessage?.("sent");
        return put;
      },
      queue_get(id, ms) {
        const item = waiting(ms, (limit) => queue(id).get(limit));
        if (item) onMessage?.("got");
        return item;
      },
      queue_size: (id) => queue(id).size,
      queue_task_done: (id) => queue(id).taskDone(),
      queue_join: (id, ms) => waiting(ms, (limit) => queue(id).join(limit)),
    },
  };
}
