// multiprocessing's Lock, RLock, Semaphore, Value and Array memory (www/engine/shared-value.js),
// without a browser: a lock is held against every other holder and waited for, an RLock
// counts, a semaphore counts and is bounded, the errors are CPython's, values round-trip in
// every code, an array's items are each their own, and threads counting under the lock, or
// taking a semaphore's slots, lose nothing and overrun nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import {
  LOCK_BYTES,
  SharedLock,
  SharedSemaphore,
  SharedValue,
  memoryBridge,
  valueBytes,
} from "../../www/engine/shared-value.js";

test("a lock is held against any other holder; a wait times out; releasing it twice is CPython's error", () => {
  const buffer = new SharedArrayBuffer(LOCK_BYTES);
  const mine = new SharedLock(buffer, false);
  const theirs = new SharedLock(buffer, false);
  assert.ok(mine.acquire(2, 0));
  assert.equal(mine.acquire(2, 0), false, "a Lock is not taken twice, even by its holder");
  const t0 = performance.now();
  assert.equal(theirs.acquire(3, 20), false);
  assert.ok(performance.now() - t0 >= 19, "it waited its 20 ms");
  assert.equal(theirs.release(3), undefined, "a Lock may be released by another process");
  assert.ok(theirs.acquire(3, 0));
  assert.equal(theirs.release(3), undefined);
  assert.equal(theirs.release(3), "semaphore or lock released too many times");
});

test("an RLock counts its holder's takes and refuses anyone else's release", () => {
  const buffer = new SharedArrayBuffer(LOCK_BYTES);
  const mine = new SharedLock(buffer, true);
  const theirs = new SharedLock(buffer, true);
  assert.ok(mine.acquire(2, 0));
  assert.ok(mine.acquire(2, 0));
  assert.equal(theirs.acquire(3, 0), false);
  assert.equal(theirs.release(3), "attempt to release recursive lock not owned by thread");
  assert.equal(mine.release(2), undefined);
  assert.equal(theirs.acquire(3, 0), false, "still held once");
  assert.equal(mine.release(2), undefined);
  assert.ok(theirs.acquire(3, 0));
});

test("values round-trip in every code, 64-bit ones beyond 2^53 as BigInt", () => {
  for (const [code, value] of [
    ["b", -5],
    ["B", 250],
    ["h", -30000],
    ["H", 60000],
    ["i", -2e9],
    ["I", 4e9],
    ["q", 2 ** 40],
    ["Q", 2n ** 60n],
    ["l", -(2n ** 62n)],
    ["f", 1.5],
    ["d", Math.PI],
  ]) {
    const shared = new SharedValue(new SharedArrayBuffer(8), code);
    shared.set(value);
    assert.equal(shared.get(), value, code);
  }
  assert.equal(valueBytes("u"), 0, "not a code a Value holds here");
});

test("four threads adding 5,000 each under the lock lose nothing, and the bridge's ids are its own", async () => {
  const bridge = memoryBridge({ prefix: () => "", me: () => 1 });
  const lockId = bridge.functions.memory_new(LOCK_BYTES);
  const countId = bridge.functions.memory_new(4);
  assert.deepEqual([lockId, countId], ["m1", "m2"]);
  const lock = bridge.buffers.get(lockId);
  const count = bridge.buffers.get(countId);
  const module = new URL("../../www/engine/shared-value.js", import.meta.url).href;
  const source = `
    const { workerData } = require("node:worker_threads");
    import(workerData.module).then(({ SharedLock, SharedValue }) => {
      const lock = new SharedLock(workerData.lock, false);
      const count = new SharedValue(workerData.count, "i");
      for (let k = 0; k < 5000; k++) {
        lock.acquire(workerData.me, Infinity);
        count.set(count.get() + 1); // a read, then a write: racy without the lock
        lock.release(workerData.me);
      }
    });`;
  const threads = [2, 3, 4, 5].map(
    (me) => new Worker(source, { eval: true, workerData: { module, lock, count, me } }),
  );
  await Promise.all(threads.map((t) => new Promise((resolve) => t.once("exit", resolve))));
  assert.equal(bridge.functions.value_get(countId, "i"), 20_000);
  const process = memoryBridge({ prefix: () => "4:", me: () => 4 });
  process.adopt({ [countId]: count, q1: new SharedArrayBuffer(8) });
  assert.deepEqual([...process.buffers.keys()], ["m2"], "a queue's id is not a value's");
  assert.equal(process.functions.value_get(countId, "i"), 20_000, "the same memory");
  assert.equal(process.functions.memory_new(8), "4:m1");
});

test("a semaphore counts down to 0 and waits there; a bounded one refuses a release past its start", () => {
  const buffer = new SharedArrayBuffer(8);
  SharedSemaphore.init(buffer, 2, -1);
  const free = new SharedSemaphore(buffer);
  assert.ok(free.acquire(0) && free.acquire(0));
  const t0 = performance.now();
  assert.equal(free.acquire(20), false);
  assert.ok(performance.now() - t0 >= 19, "it waited its 20 ms");
  for (let i = 0; i < 3; i++) assert.equal(free.release(), undefined);
  assert.equal(free.value, 3, "an unbounded one goes past its start");
  const bounded = new SharedArrayBuffer(8);
  SharedSemaphore.init(bounded, 1, 1);
  const held = new SharedSemaphore(bounded);
  assert.equal(held.release(), "semaphore or lock released too many times");
  assert.ok(held.acquire(0));
  assert.equal(held.release(), undefined);
  assert.equal(held.value, 1);
});

test("a lock says who holds it and how often: Condition.wait lets it go that many times", () => {
  const buffer = new SharedArrayBuffer(LOCK_BYTES);
  const rlock = new SharedLock(buffer, true);
  assert.equal(rlock.owner, 0);
  rlock.acquire(2, 0);
  rlock.acquire(2, 0);
  assert.equal(rlock.owner, 2);
  assert.equal(rlock.heldBy(2), 2);
  assert.equal(rlock.heldBy(3), 0, "not held by another");
});

test("an array's items are read and written each in its place, slices too", () => {
  const ints = new SharedValue(new SharedArrayBuffer(5 * 4), "i");
  ints.write(0, [1, -2, 3, -4, 5]);
  ints.set(40, 3);
  assert.deepEqual(ints.slice(0, 5), [1, -2, 3, 40, 5]);
  assert.deepEqual(ints.slice(2, 4), [3, 40]);
  const longs = new SharedValue(new SharedArrayBuffer(2 * 8), "q");
  longs.write(0, [2 ** 40, 2n ** 62n]);
  assert.deepEqual(longs.slice(0, 2), [2 ** 40, 2n ** 62n]);
});

test("three threads through a semaphore of 2: never more than 2 inside at once", async () => {
  const bridge = memoryBridge({ prefix: () => "", me: () => 1 });
  const id = bridge.functions.semaphore_new(2, 2);
  const gate = bridge.buffers.get(id);
  const counts = new SharedArrayBuffer(8); // [inside now, most inside at once]
  const module = new URL("../../www/engine/shared-value.js", import.meta.url).href;
  const source = `
    const { workerData } = require("node:worker_threads");
    import(workerData.module).then(({ SharedSemaphore }) => {
      const gate = new SharedSemaphore(workerData.gate);
      const counts = new Int32Array(workerData.counts);
      for (let k = 0; k < 2000; k++) {
        gate.acquire(Infinity);
        const inside = Atomics.add(counts, 0, 1) + 1;
        for (;;) {
          const most = Atomics.load(counts, 1);
          if (inside <= most || Atomics.compareExchange(counts, 1, most, inside) === most) break;
        }
        Atomics.sub(counts, 0, 1);
        gate.release();
      }
    });`;
  const threads = [2, 3, 4].map(
    () => new Worker(source, { eval: true, workerData: { module, gate, counts } }),
  );
  await Promise.all(threads.map((t) => new Promise((resolve) => t.once("exit", resolve))));
  const [inside, most] = new Int32Array(counts);
  assert.equal(inside, 0);
  assert.ok(most >= 1 && most <= 2, `${most} inside at once`);
  assert.equal(bridge.functions.semaphore_value(id), 2, "every slot given back");
});
