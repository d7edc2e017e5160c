// multiprocessing's Lock, RLock, Semaphore, Value and Array: a few words of a SharedArrayBuffer that the program
// and its processes all map, so a lock taken in one interpreter is held against every other,
// and a Value written in one is read in another. A waiting acquire sleeps on Atomics.wait
// until a release wakes it, as CPython's processes block on their semaphore.
import { toldWait } from "./shared-queue.js";

const OWNER = 0; // 0: free; else the pid of the interpreter that holds it
const COUNT = 1; // how many times its holder took it (RLock), 1 for a Lock
/** A lock's bytes: two Int32 words. */
export const LOCK_BYTES = 8;

/** A lock over `buffer`'s first two words; `reentrant`: an RLock, which its holder may retake. */
export class SharedLock {
  #words;
  #reentrant;

  constructor(buffer, reentrant) {
    this.#words = new Int32Array(buffer, 0, 2);
    this.#reentrant = reentrant;
  }

  /** Takes it for `me` (a pid), waiting up to `ms` (Infinity: no limit); false if not in time. */
  acquire(me, ms = Infinity) {
    const words = this.#words;
    if (this.#reentrant && Atomics.load(words, OWNER) === me) {
      words[COUNT] += 1;
      return true;
    }
    const deadline = performance.now() + ms;
    for (;;) {
      const holder = Atomics.compareExchange(words, OWNER, 0, me);
      if (holder === 0) {
        words[COUNT] = 1;
        return true;
      }
      const wait = deadline - performance.now();
      if (!(wait > 0)) return false;
      Atomics.wait(words, OWNER, holder, wait);
    }
  }

  /**
   * Lets it go for `me`: undefined, or an error message (CPython's) if it may not: an RLock
   * held by another, or a lock not held at all.
   */
  release(me) {
    const words = this.#words;
    const holder = Atomics.load(words, OWNER);
    if (this.#reentrant && holder !== me) {
      return "attempt to release recursive lock not owned by thread";
    }
    if (holder === 0) return "semaphore or lock released too many times";
    if (this.#reentrant && words[COUNT] > 1) {
      words[COUNT] -= 1;
      return undefined;
    }
    words[COUNT] = 0;
    Atomics.store(words, OWNER, 0);
    Atomics.notify(words, OWNER, 1);
    return undefined; // not null: Python would see it as jsnull, not None
  }

  /** The pid that holds it, 0 if none. */
  get owner() {
    return Atomics.load(this.#words, OWNER);
  }

  /** How many times `me` holds it: 0 if it does not (Condition.wait lets it go that often). */
  heldBy(me) {
    return Atomics.load(this.#words, OWNER) === me ? this.#words[COUNT] : 0;
  }
}

const VALUE = 0; // a semaphore's count
const MAX = 1; // a BoundedSemaphore's bound; -1: none

/** A counting semaphore over `buffer`'s first two words (its value, its bound). */
export class SharedSemaphore {
  #words;

  constructor(buffer) {
    this.#words = new Int32Array(buffer, 0, 2);
  }

  /** A new semaphore's words: `value`, and `bound` for a BoundedSemaphore (-1: none). */
  static init(buffer, value, bound) {
    const words = new Int32Array(buffer, 0, 2);
    words[VALUE] = value;
    words[MAX] = bound;
  }

  get value() {
    return Atomics.load(this.#words, VALUE);
  }

  /** Takes one, waiting up to `ms` (Infinity: no limit) while it is 0; false if not in time. */
  acquire(ms = Infinity) {
    const words = this.#words;
    const deadline = performance.now() + ms;
    for (;;) {
      const value = Atomics.load(words, VALUE);
      if (value > 0) {
        if (Atomics.compareExchange(words, VALUE, value, value - 1) === value) return true;
        continue;
      }
      const wait = deadline - performance.now();
      if (!(wait > 0)) return false;
      Atomics.wait(words, VALUE, 0, wait);
    }
  }

  /** Gives one back: undefined, or CPython's message if a BoundedSemaphore is at its bound. */
  release() {
    const words = this.#words;
    for (;;) {
      const value = Atomics.load(words, VALUE);
      if (words[MAX] >= 0 && value >= words[MAX]) {
        return "semaphore or lock released too many times";
      }
      if (Atomics.compareExchange(words, VALUE, value, value + 1) === value) break;
    }
    Atomics.notify(words, VALUE, 1);
    return undefined;
  }
}

/** The struct codes a Value may hold: [bytes, DataView getter, setter]. */
const CODES = {
  b: [1, "getInt8", "setInt8"],
  B: [1, "getUint8", "setUint8"],
  h: [2, "getInt16", "setInt16"],
  H: [2, "getUint16", "setUint16"],
  i: [4, "getInt32", "setInt32"],
  I: [4, "getUint32", "setUint32"],
  l: [8, "getBigInt64", "setBigInt64"],
  L: [8, "getBigUint64", "setBigUint64"],
  q: [8, "getBigInt64", "setBigInt64"],
  Q: [8, "getBigUint64", "setBigUint64"],
  f: [4, "getFloat32", "setFloat32"],
  d: [8, "getFloat64", "setFloat64"],
};

/** The bytes a Value of struct code `code` takes, or 0 if it is not one a Value holds here. */
export function valueBytes(code) {
  return CODES[code]?.[0] ?? 0;
}

/**
 * Numbers of struct code `code` from the start of `buffer` (a Value is one, an Array many),
 * each read and written whole.
 */
export class SharedValue {
  #view;
  #bytes;
  #get;
  #set;
  #big;

  constructor(buffer, code) {
    const [bytes, get, set] = CODES[code];
    this.#view = new DataView(buffer);
    this.#bytes = bytes;
    this.#get = get;
    this.#set = set;
    this.#big = get.startsWith("getBig");
  }

  get(index = 0) {
    const value = this.#view[this.#get](index * this.#bytes, true);
    // Python gets an int either way; a Number is quicker where it is exact.
    return this.#big && Number.isSafeInteger(Number(value)) ? Number(value) : value;
  }

  set(value, index = 0) {
    this.#view[this.#set](index * this.#bytes, this.#big ? BigInt(value) : value, true);
  }

  /** Items `start` to `stop` (not included), as an array. */
  slice(start, stop) {
    const out = [];
    for (let i = start; i < stop; i++) out.push(this.get(i));
    return out;
  }

  /** Writes `values` from item `start` on. */
  write(start, values) {
    values.forEach((value, i) => this.set(value, start + i));
  }
}

/**
 * The `_pp` functions of an interpreter's locks and values (playground.py's Lock, RLock and
 * Value): `prefix()` makes its ids its own, `me()` is its pid (a lock's holder); `onBlock`
 * and `onWait` tell a wait (toldWait). `buffers` maps id → buffer: the driver hands them to
 * each process it starts, which adopt()s them.
 */
export function memoryBridge({ prefix, me, onBlock, onWait }) {
  const buffers = new Map();
  const locks = new Map();
  const values = new Map();
  const semaphores = new Map();
  let made = 0;
  // One view per object and interpreter, made at its first use.
  const view = (views, id, make) => {
    let found = views.get(id);
    if (!found) views.set(id, (found = make(buffer(id))));
    return found;
  };
  const lock = (id, reentrant) => view(locks, id, (b) => new SharedLock(b, reentrant));
  const semaphore = (id) => view(semaphores, id, (b) => new SharedSemaphore(b));
  const value = (id, code) => view(values, id, (b) => new SharedValue(b, code));
  // A lock or semaphore taken with `take(wait)`, waiting up to `ms` (< 0: no limit): one
  // that is free is taken with no wait to tell; a wait is told (toldWait).
  const taken = (ms, take) => take(0) || (ms !== 0 && toldWait(ms, take, { onBlock, onWait }));
  const create = (bytes) => {
    const id = `${prefix()}m${++made}`;
    buffers.set(id, new SharedArrayBuffer(Math.max(bytes, LOCK_BYTES)));
    return id;
  };
  const buffer = (id) => {
    const found = buffers.get(id);
    if (!found)
      throw new Error(`no shared object ${id} in this process (was it passed at its start?)`);
    return found;
  };
  return {
    buffers,
    adopt(given) {
      for (const [id, shared] of Object.entries(given ?? {})) {
        if (/^(\d+:)?m\d+$/.test(id) && !buffers.has(id)) buffers.set(id, shared);
      }
    },
    functions: {
      memory_new: create,
      lock_acquire: (id, reentrant, ms) =>
        taken(ms, (wait) => lock(id, reentrant).acquire(me(), wait)),
      lock_release: (id, reentrant) => lock(id, reentrant).release(me()),
      lock_held: (id, reentrant) => lock(id, reentrant).heldBy(me()),
      lock_owner: (id, reentrant) => lock(id, reentrant).owner,
      semaphore_new(start, bound) {
        const id = create(8);
        SharedSemaphore.init(buffer(id), start, bound);
        return id;
      },
      semaphore_acquire: (id, ms) => taken(ms, (wait) => semaphore(id).acquire(wait)),
      semaphore_release: (id) => semaphore(id).release(),
      semaphore_value: (id) => semaphore(id).value,
      value_get: (id, code) => value(id, code).get(),
      value_set: (id, code, to) => value(id, code).set(to),
      array_get: (id, code, start, stop) => value(id, code).slice(start, stop),
      array_set: (id, code, start, values) => value(id, code).write(start, values),
    },
  };
}
