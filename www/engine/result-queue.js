// A Python executor's result queue: its processes' answers, straight to the program's driver,
// as CPython's processes put theirs on their executor's result queue.
//
// Through the page, every answer cost the page's thread a turn (the process's message, the
// mailbox's copy, the driver's {took} back) before the program could see it, on the same two
// cores the processes compute on. Here a process copies its answer into memory the driver
// reads, and rings the driver's bell (mailbox.js): the driver sleeps on that one word for its
// mailbox and for every executor's result queue.
//
// Many writers (the processes), one reader (the driver). A ring of bytes like the call queue's
// (call-queue.js): each answer is its length, its call's id and whether the call raised (12
// bytes), then its pickled result or (exception, traceback). Writers take turns through a
// lock word, held only while an answer is copied in. A writer never waits for room: an answer
// that does not fit now, or is over INLINE_MAX, goes by message through the page instead
// (which holds any number), so that a driver blocked on a full call queue and processes on a
// full result queue can never wait for each other. Answers taken in an order other than they
// ran in are fine: each settles its own future.
import { ringBell } from "./mailbox.js";
import { ByteRing, lockWord, unlockWord } from "./ring.js";

const HEAD = 0;
const TAIL = 1;
const LOCK = 2; // 1 while a writer copies an answer in
const HEADER_BYTES = 16;
const ENTRY_BYTES = 12;
/** The ring's bytes: a power of two, so that positions wrap with the counters. */
const CAPACITY = 1 << 19;
/** A bigger answer goes by message through the page. */
export const INLINE_MAX = CAPACITY / 4;

/** A fresh, empty queue, to hand to the reader and every process's writer. */
export function resultQueueBuffer() {
  return new SharedArrayBuffer(HEADER_BYTES + CAPACITY);
}

/** A process's end. `bell`: the driver's mailbox buffer, whose bell each put rings. */
export class ResultQueueWriter {
  #ring;
  #bell;
  #entry = new Uint8Array(ENTRY_BYTES);
  #fields = new DataView(this.#entry.buffer);

  constructor(buffer, bell) {
    this.#ring = new ByteRing(buffer, HEADER_BYTES);
    this.#bell = bell;
  }

  /**
   * Puts the answer to call `id` (`ok`: whether it returned; `payload`, its pickle, a
   * Uint8Array) and wakes the driver; false if it is over INLINE_MAX or does not fit now:
   * then send it another way.
   */
  put(id, ok, payload) {
    if (payload.length > INLINE_MAX) return false;
    const ring = this.#ring;
    const { header } = ring;
    lockWord(header, LOCK); // another process may be copying its answer in
    try {
      const head = Atomics.load(header, HEAD);
      const tail = Atomics.load(header, TAIL);
      if (ENTRY_BYTES + payload.length > ring.free(head, tail)) return false;
      this.#fields.setUint32(0, payload.length, true);
      this.#fields.setUint32(4, id, true);
      this.#fields.setUint32(8, ok ? 1 : 0, true);
      ring.write(tail, this.#entry);
      ring.write(tail + ENTRY_BYTES, payload);
      Atomics.store(header, TAIL, (tail + ENTRY_BYTES + payload.length) | 0);
    } finally {
      unlockWord(header, LOCK);
    }
    ringBell(this.#bell);
    return true;
  }
}

/** The driver's end (it never blocks here: the driver waits on its bell, see mailbox.js). */
export class ResultQueueReader {
  #ring;

  constructor(buffer) {
    this.#ring = new ByteRing(buffer, HEADER_BYTES);
  }

  /** The oldest answer, {id, ok, payload}, or undefined if there is none now. */
  take() {
    const ring = this.#ring;
    const { header } = ring;
    const head = Atomics.load(header, HEAD);
    if (head === Atomics.load(header, TAIL)) return undefined;
    const entry = new DataView(ring.read(head, ENTRY_BYTES).buffer);
    const length = entry.getUint32(0, true);
    const answer = {
      id: entry.getUint32(4, true),
      ok: entry.getUint32(8, true) === 1,
      payload: ring.read(head + ENTRY_BYTES, length),
    };
    Atomics.store(header, HEAD, (head + ENTRY_BYTES + length) | 0);
    return answer;
  }
}
