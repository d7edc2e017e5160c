// A ring of bytes in a SharedArrayBuffer: the body of the Python executors' call and result
// queues (call-queue.js, result-queue.js). An Int32 header of counters the queues define, then
// the ring, a power of two in size, so that positions counted since the start (wrapping at
// 2^32) wrap with it; an entry may run across the ring's end.

/**
 * Takes the lock word `header[index]` (0 free, 1 held) for a copy in or out of a ring shared
 * by several threads, sleeping while another holds it (a few microseconds).
 */
export function lockWord(header, index) {
  while (Atomics.compareExchange(header, index, 0, 1) !== 0) Atomics.wait(header, index, 1);
}

/** Lets the lock word `header[index]` go, waking one thread that waits for it. */
export function unlockWord(header, index) {
  Atomics.store(header, index, 0);
  Atomics.notify(header, index, 1);
}

export class ByteRing {
  /** `headerBytes`: the header's size (a multiple of 4); the ring is the rest of `buffer`. */
  constructor(buffer, headerBytes) {
    this.header = new Int32Array(buffer, 0, headerBytes / 4);
    this.data = new Uint8Array(buffer, headerBytes);
    this.mask = this.data.length - 1;
  }

  /** Bytes free when `head` and `tail` bytes have been taken and put. */
  free(head, tail) {
    return this.data.length - ((tail - head) >>> 0);
  }

  write(at, bytes) {
    const from = (at >>> 0) & this.mask;
    const first = Math.min(bytes.length, this.data.length - from);
    this.data.set(bytes.subarray(0, first), from);
    this.data.set(bytes.subarray(first), 0);
  }

  read(at, length) {
    const from = (at >>> 0) & this.mask;
    const out = new Uint8Array(length);
    const first = Math.min(length, this.data.length - from);
    out.set(this.data.subarray(from, from + first));
    out.set(this.data.subarray(0, length - first), first);
    return out;
  }
}
