// A Python executor's call queue: the calls its processes take their work from, in one
// SharedArrayBuffer they all share, as CPython's processes share the executor's call queue.
//
// Sending each call by message to a process chosen by the page made every process wait a
// round trip (its answer to the page, the page's turn, the next call back) after each task:
// about 400 µs a task here, most of a small task's cost. Sending a process more than one call
// at a time would remove the wait but change what CPython does: a call queued behind a task
// that sleeps or computes for long would wait for it while other processes are free, and
// calls would start out of order. From one shared queue, whichever process is free takes the
// oldest call, as in CPython.
//
// One writer (the program's driver, whose submit() puts its calls here itself: no message per
// call through the page), any number of readers (the processes, which block in take() while
// the queue is empty; the writer blocks in putWaiting() while it is full). A ring of bytes:
// each call is its length, its id and its flags (12 bytes), then its pickled (fn, args,
// kwargs). HEAD and TAIL count bytes taken and put since the start (wrapping at 2^32); a
// reader claims a call by moving HEAD past it with compareExchange, so each call is taken
// exactly once. It reads the call before it claims it: until HEAD moves the writer cannot
// reuse those bytes, and if another reader claimed them first the compareExchange fails and
// the copy is dropped. A call too big for the ring (over INLINE_MAX) is put without its
// payload (BY_MESSAGE): the process that takes it asks the page for it (workers/python.js).

import { ByteRing } from "./ring.js";

const HEAD = 0; // the writer sleeps on it while the queue is full
const TAIL = 1;
const WAKE = 2; // bumped on every put: readers sleep on it with Atomics.wait
const WANTS_ROOM = 3; // 1 while the writer waits for readers to take
const CLOSED = 4; // 1 once the executor has ended: the writer puts nothing more
const HEADER_BYTES = 32;
const ENTRY_BYTES = 12;
/** The ring's bytes: a power of two, so that positions wrap with the counters. */
const CAPACITY = 1 << 20;
/** A call bigger than this goes by message to the process that takes it. */
export const INLINE_MAX = CAPACITY / 4;
const BY_MESSAGE = 1;

/** A fresh, empty queue, to hand to the writer and every process's reader. */
export function callQueueBuffer() {
  return new SharedArrayBuffer(HEADER_BYTES + CAPACITY);
}

/** Ends the queue (its executor has ended): a writer waiting for room stops waiting. */
export function closeCallQueue(buffer) {
  const header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
  Atomics.store(header, CLOSED, 1);
  Atomics.notify(header, HEAD);
}

/** The writer's end. */
export class CallQueueWriter {
  #ring;
  #entry = new Uint8Array(ENTRY_BYTES);
  #fields = new DataView(this.#entry.buffer);

  constructor(buffer) {
    this.#ring = new ByteRing(buffer, HEADER_BYTES);
  }

  /**
   * Puts call `id` (a positive integer) with its pickled `payload` (Uint8Array) at the back
   * of the queue and wakes a process that waits; false if it does not fit now (put it again
   * once processes have taken calls). A payload that is null, or over INLINE_MAX, is not
   * put: the process that takes the call asks for it.
   */
  put(id, payload) {
    const ring = this.#ring;
    const inline = payload !== null && payload.length <= INLINE_MAX;
    const length = inline ? payload.length : 0;
    const head = Atomics.load(ring.header, HEAD);
    const tail = Atomics.load(ring.header, TAIL);
    if (ENTRY_BYTES + length > ring.free(head, tail)) return false;
    this.#fields.setUint32(0, length, true);
    this.#fields.setUint32(4, id, true);
    this.#fields.setUint32(8, inline ? 0 : BY_MESSAGE, true);
    ring.write(tail, this.#entry);
    if (inline) ring.write(tail + ENTRY_BYTES, payload);
    Atomics.store(ring.header, TAIL, (tail + ENTRY_BYTES + length) | 0);
    Atomics.add(ring.header, WAKE, 1);
    Atomics.notify(ring.header, WAKE, 1);
    return true;
  }

  /**
   * put(), waiting while the queue is full for the processes to take calls; false if the
   * queue was closed meanwhile (its executor ended: the call will never run).
   */
  putWaiting(id, payload) {
    const { header } = this.#ring;
    for (;;) {
      if (Atomics.load(header, CLOSED) === 1) return false;
      if (this.put(id, payload)) return true;
      Atomics.store(header, WANTS_ROOM, 1);
      const head = Atomics.load(header, HEAD);
      if (this.put(id, payload)) break;
      // A take moves HEAD, so none is missed; the bound is for a close that came just now.
      Atomics.wait(header, HEAD, head, 50);
    }
    Atomics.store(header, WANTS_ROOM, 0);
    return true;
  }

  /** Whether every call put has been taken. */
  get empty() {
    return Atomics.load(this.#ring.header, HEAD) === Atomics.load(this.#ring.header, TAIL);
  }
}

/** A process's end. */
export class CallQueueReader {
  #ring;

  constructor(buffer) {
    this.#ring = new ByteRing(buffer, HEADER_BYTES);
  }

  /**
   * Takes the oldest call, blocking up to `ms` (Infinity: until one comes) while the queue
   * is empty: {id, payload}, payload null for a call that comes by message; undefined if
   * none came in time.
   */
  take(ms = Infinity) {
    const { header } = this.#ring;
    const deadline = performance.now() + ms;
    for (;;) {
      const wake = Atomics.load(header, WAKE);
      const head = Atomics.load(header, HEAD);
      const used = (Atomics.load(header, TAIL) - head) >>> 0;
      if (used === 0) {
        const left = deadline - performance.now();
        if (left <= 0) return undefined;
        Atomics.wait(header, WAKE, wake, left);
        continue;
      }
      const call = this.#read(head, used);
      if (call && Atomics.compareExchange(header, HEAD, head, call.next) === head) {
        if (Atomics.load(header, WANTS_ROOM) === 1) Atomics.notify(header, HEAD);
        return { id: call.id, payload: call.payload };
      }
    }
  }

  /** The call at `head`, or null if what is there cannot be one (another reader took it). */
  #read(head, used) {
    const entry = new DataView(this.#ring.read(head, ENTRY_BYTES).buffer);
    const length = entry.getUint32(0, true);
    if (ENTRY_BYTES + length > used) return null;
    const byMessage = entry.getUint32(8, true) === BY_MESSAGE;
    return {
      id: entry.getUint32(4, true),
      payload: byMessage ? null : this.#ring.read(head + ENTRY_BYTES, length),
      next: (head + ENTRY_BYTES + length) | 0,
    };
  }
}
