// The Python driver's mailbox: how answers reach an interpreter that is blocked.
//
// The program runs as __main__ in a worker, and `executor.map(...)` or `future.result()` must
// block it, as they block CPython, until a process answers. A blocked worker runs no event
// loop, so a postMessage would never be read; instead the page writes each answer into a
// SharedArrayBuffer the driver sleeps on with Atomics.wait (which is why Python's processes
// need the page cross-origin isolated). One writer (the page), one reader (the driver), one
// fill of the box at a time: the reader empties it and says so by postMessage ({took}), and
// the writer then puts in the next. A fill holds every message that waits and fits, so that
// answers arriving faster than the reader's {took} can come back do not each wait for one (a
// round trip through the page's event loop per answer was most of a tiny task's cost); a
// message bigger than the box goes in pieces.
//
// Most answers do not come this way: each process puts its own straight into its executor's
// result queue (result-queue.js), which the reader also empties. The reader sleeps on one
// word, the bell, which the page and every process ring after they put something in, and it
// looks at the result queues before the box: what a process put in before it died is read
// before the page's word that it died (a box the reader saw filled before it looked).

import { MailKind } from "./protocol.js";

/** Bytes of payload the box holds at once; bigger messages go in pieces. */
const CAPACITY = 1 << 20;
// Int32 header slots.
const STATE = 0; // 0 empty, 1 full
const LENGTH = 1; // bytes in this piece
const MORE = 2; // 1 when another piece of the same message follows
const COUNT = 3; // whole messages in this fill, each after its length; 0: a piece of one
const BELL = 4; // bumped by whoever put something in for the reader: the box or a result queue
const HEADER_BYTES = 32;

/** A fresh box, to hand to both sides. */
export function mailboxBuffer() {
  return new SharedArrayBuffer(HEADER_BYTES + CAPACITY);
}

/** Wakes the reader of the mailbox in `buffer`: something was put in for it. */
export function ringBell(buffer) {
  const header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
  Atomics.add(header, BELL, 1);
  Atomics.notify(header, BELL);
}

/** A message as bytes: its JSON head, then its binary payload (a pickle), if any. */
function encode(head, payload) {
  const json = new TextEncoder().encode(JSON.stringify(head));
  const body = payload ?? new Uint8Array(0);
  const bytes = new Uint8Array(4 + json.length + body.length);
  new DataView(bytes.buffer).setUint32(0, json.length);
  bytes.set(json, 4);
  bytes.set(body, 4 + json.length);
  return bytes;
}

function decode(bytes) {
  const size = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
  const head = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + size)));
  return { ...head, payload: bytes.slice(4 + size) };
}

/** The page's end: send() queues; a fill goes in whenever the box is empty. */
export class MailboxWriter {
  #buffer;
  #header;
  #data;
  #lengths;
  /** Encoded messages waiting, oldest first. */
  #waiting = [];
  /** The pieces still to send of a message too big for one fill. */
  #pieces = [];
  #full = false;

  constructor(buffer) {
    this.#buffer = buffer;
    this.#header = new Int32Array(buffer, 0, 4);
    this.#data = new Uint8Array(buffer, HEADER_BYTES);
    this.#lengths = new DataView(buffer, HEADER_BYTES);
  }

  /** Queues `head` (JSON-able) with an optional Uint8Array `payload`. */
  send(head, payload) {
    this.#waiting.push(encode(head, payload)); // never empty: it starts with the head's length
    this.#next();
  }

  /** The reader emptied the box (its {took} message). */
  took() {
    this.#full = false;
    this.#next();
  }

  #next() {
    if (this.#full) return;
    if (this.#pieces.length === 0 && 4 + (this.#waiting[0]?.length ?? 0) > CAPACITY) {
      const bytes = this.#waiting.shift();
      for (let at = 0; at < bytes.length; at += CAPACITY) {
        const piece = bytes.subarray(at, at + CAPACITY);
        this.#pieces.push({ piece, more: at + CAPACITY < bytes.length });
      }
    }
    let length = 0;
    let count = 0;
    let more = false;
    if (this.#pieces.length > 0) {
      const next = this.#pieces.shift();
      this.#data.set(next.piece);
      length = next.piece.length;
      more = next.more;
    } else {
      while (this.#waiting.length > 0 && length + 4 + this.#waiting[0].length <= CAPACITY) {
        const bytes = this.#waiting.shift();
        this.#lengths.setUint32(length, bytes.length);
        this.#data.set(bytes, length + 4);
        length += 4 + bytes.length;
        count += 1;
      }
      if (count === 0) return;
    }
    this.#header[LENGTH] = length;
    this.#header[MORE] = more ? 1 : 0;
    this.#header[COUNT] = count;
    this.#full = true;
    Atomics.store(this.#header, STATE, 1);
    ringBell(this.#buffer);
  }
}

/**
 * The driver's end: take(ms) blocks up to `ms` (Infinity: until one comes) for the next
 * message and returns {...head, payload}, or undefined if none came in time: from the box, or
 * {kind: result, id, ok, payload} from a result queue it listens to. `onTook` tells the
 * writer the box is empty again (a postMessage to the page).
 */
export class MailboxReader {
  #header;
  #data;
  #onTook;
  /** Messages of the last fill not yet taken. */
  #taken = [];
  /** Result queues (result-queue.js ResultQueueReader): id → reader. */
  #results = new Map();

  constructor(buffer, onTook) {
    this.#header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.#data = new Uint8Array(buffer, HEADER_BYTES);
    this.#onTook = onTook;
  }

  /** From now on take() also returns the answers in result queue `reader`, known as `id`. */
  listen(id, reader) {
    this.#results.set(id, reader);
  }

  /** Result queue `id` will have nothing more that anyone waits for. */
  forget(id) {
    this.#results.delete(id);
  }

  /** An answer a process put in its result queue, as a message. */
  #answer() {
    for (const reader of this.#results.values()) {
      const answer = reader.take();
      if (answer) return { kind: MailKind.result, ...answer };
    }
    return undefined;
  }

  take(ms = Infinity) {
    const header = this.#header;
    const deadline = performance.now() + ms;
    const pieces = [];
    for (;;) {
      const bell = Atomics.load(header, BELL);
      // The box first, then the result queues: see the top of this file.
      const full = Atomics.load(header, STATE) === 1;
      if (pieces.length === 0) {
        const message = this.#answer() ?? this.#taken.shift();
        if (message) return message;
      }
      if (full) {
        const length = header[LENGTH];
        const more = header[MORE] === 1;
        const count = header[COUNT];
        const fill = this.#data.slice(0, length);
        Atomics.store(header, STATE, 0);
        this.#onTook();
        if (count > 0) return this.#unpack(fill, count);
        pieces.push(fill);
        if (!more) break;
        continue;
      }
      // Once a message has begun, the rest of it is already on its way: wait it out.
      const left = pieces.length > 0 ? Infinity : deadline - performance.now();
      if (left <= 0) return undefined;
      Atomics.wait(header, BELL, bell, left);
    }
    if (pieces.length === 1) return decode(pieces[0]);
    const whole = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of pieces) {
      whole.set(p, at);
      at += p.length;
    }
    return decode(whole);
  }

  /** The first of a fill's `count` messages; the rest wait in #taken. */
  #unpack(fill, count) {
    const lengths = new DataView(fill.buffer);
    for (let at = 0, i = 0; i < count; i++) {
      const size = lengths.getUint32(at);
      this.#taken.push(decode(fill.subarray(at + 4, at + 4 + size)));
      at += 4 + size;
    }
    return this.#taken.shift();
  }
}
