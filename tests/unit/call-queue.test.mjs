// The Python executors' shared call queue (www/engine/call-queue.js), without a browser:
// calls come out in order and whole, across the ring's end, each taken exactly once by
// readers on other threads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import {
  CallQueueReader,
  CallQueueWriter,
  INLINE_MAX,
  callQueueBuffer,
  closeCallQueue,
} from "../../www/engine/call-queue.js";

const bytes = (n, seed) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255);

test("calls come out oldest first, whole; an empty queue times out", () => {
  const buffer = callQueueBuffer();
  const writer = new CallQueueWriter(buffer);
  const reader = new CallQueueReader(buffer);
  assert.equal(reader.take(0), undefined);
  assert.ok(writer.put(1, bytes(10, 1)));
  assert.ok(writer.put(2, new Uint8Array(0)));
  assert.ok(writer.put(3, bytes(1000, 3)));
  assert.equal(writer.empty, false);
  assert.deepEqual(reader.take(0), { id: 1, payload: bytes(10, 1) });
  assert.deepEqual(reader.take(0), { id: 2, payload: new Uint8Array(0) });
  assert.deepEqual(reader.take(0), { id: 3, payload: bytes(1000, 3) });
  assert.equal(writer.empty, true);
  const t0 = performance.now();
  assert.equal(reader.take(30), undefined);
  assert.ok(performance.now() - t0 >= 29, "it waited for its timeout");
});

test("a full queue refuses a call until readers take; calls wrap around the ring's end", () => {
  const buffer = callQueueBuffer();
  const writer = new CallQueueWriter(buffer);
  const reader = new CallQueueReader(buffer);
  const big = INLINE_MAX; // the largest that goes inline: four fill the ring but for entries
  let put = 0;
  while (writer.put(++put, bytes(big, put)));
  assert.equal(put, 4, "three fit, the fourth does not");
  assert.deepEqual(reader.take(0), { id: 1, payload: bytes(big, 1) });
  assert.ok(writer.put(4, bytes(big, 4)), "room again once one was taken");
  for (let id = 2; id <= 4; id++) assert.deepEqual(reader.take(0), { id, payload: bytes(big, id) });
  // Thousands of odd-sized calls: the ring wraps many times, never cutting one.
  for (let id = 5; id < 5000; id++) {
    assert.ok(writer.put(id, bytes(id % 997, id)));
    assert.deepEqual(reader.take(0), { id, payload: bytes(id % 997, id) });
  }
});

test("a call too big for the ring, or put as null, has no payload in it: its process asks for it", () => {
  const buffer = callQueueBuffer();
  const writer = new CallQueueWriter(buffer);
  const reader = new CallQueueReader(buffer);
  assert.ok(writer.put(7, new Uint8Array(INLINE_MAX + 1)));
  assert.ok(writer.put(8, bytes(3, 8)));
  assert.ok(writer.put(9, null));
  assert.deepEqual(reader.take(0), { id: 7, payload: null });
  assert.deepEqual(reader.take(0), { id: 8, payload: bytes(3, 8) });
  assert.deepEqual(reader.take(0), { id: 9, payload: null });
});

test("readers on other threads, blocked while it is empty, take every call exactly once and in order", async () => {
  const buffer = callQueueBuffer();
  const writer = new CallQueueWriter(buffer);
  const calls = 20_000;
  const source = `
    const { workerData, parentPort } = require("node:worker_threads");
    import(workerData.module).then(({ CallQueueReader }) => {
      const reader = new CallQueueReader(workerData.buffer);
      const taken = [];
      for (;;) {
        const call = reader.take();
        if (call.id === 0) break; // the end: one per reader
        if (call.payload.length !== call.id % 50 || call.payload.some((b) => b !== (call.id & 255))) {
          throw new Error("call " + call.id + " came out damaged");
        }
        taken.push(call.id);
      }
      parentPort.postMessage(taken);
    });`;
  const module = new URL("../../www/engine/call-queue.js", import.meta.url).href;
  const readers = Array.from({ length: 3 }, () => {
    const worker = new Worker(source, { eval: true, workerData: { buffer, module } });
    return new Promise((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
  });
  // Put in bursts of 1,000, with a pause after each in which the readers empty the queue
  // and block; a full queue waits for them.
  const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  for (let id = 1; id <= calls;) {
    const payload = new Uint8Array(id % 50).fill(id & 255);
    if (!writer.put(id, payload)) await pause(1);
    else if (id++ % 1000 === 0) await pause(5);
  }
  for (let k = 0; k < 3; k++) while (!writer.put(0, new Uint8Array(0))) await pause(1);
  const taken = await Promise.all(readers);
  const all = taken.flat().sort((a, b) => a - b);
  assert.equal(all.length, calls, "every call taken once");
  assert.deepEqual(
    all,
    Array.from({ length: calls }, (_, k) => k + 1),
  );
  for (const mine of taken) {
    assert.ok(
      mine.every((v, k) => k === 0 || v > mine[k - 1]),
      "each reader took them oldest first",
    );
  }
});

/** Runs `body` (a function's source, given the queue's module and buffer) on another thread. */
function onAnotherThread(body, buffer) {
  const module = new URL("../../www/engine/call-queue.js", import.meta.url).href;
  const source = `
    const { workerData } = require("node:worker_threads");
    import(workerData.module).then((queue) => (${body})(queue, workerData.buffer));`;
  return new Worker(source, { eval: true, workerData: { buffer, module } });
}

test("a writer waits while the queue is full, and goes on once a process takes a call", async () => {
  const buffer = callQueueBuffer();
  const writer = new CallQueueWriter(buffer);
  while (writer.put(1, new Uint8Array(INLINE_MAX)));
  const reader = onAnotherThread(
    `({ CallQueueReader }, buffer) => setTimeout(() => new CallQueueReader(buffer).take(0), 100)`,
    buffer,
  );
  const t0 = performance.now();
  assert.equal(writer.putWaiting(2, new Uint8Array(INLINE_MAX)), true);
  assert.ok(performance.now() - t0 >= 50, "it waited for the take");
  await reader.terminate();
});

test("a writer waiting for room stops, with false, when its executor ends", async () => {
  const buffer = callQueueBuffer();
  const writer = new CallQueueWriter(buffer);
  while (writer.put(1, new Uint8Array(INLINE_MAX)));
  const closer = onAnotherThread(
    `({ closeCallQueue }, buffer) => setTimeout(() => closeCallQueue(buffer), 100)`,
    buffer,
  );
  assert.equal(writer.putWaiting(2, new Uint8Array(INLINE_MAX)), false);
  assert.equal(writer.putWaiting(3, new Uint8Array(1)), false, "and at once after");
  await closer.terminate();
});
