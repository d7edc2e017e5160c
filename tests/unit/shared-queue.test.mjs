// multiprocessing.Queue's memory (www/engine/shared-queue.js), without a browser: items come
// out whole and oldest first, maxsize and the ring's room hold puts back, waits time out,
// task_done/join count, and producers and consumers on other threads lose or repeat nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import {
  ITEM_MAX,
  MAX_QUEUES,
  SharedQueue,
  queueBridge,
  sharedQueueBuffer,
} from "../../www/engine/shared-queue.js";

const bytes = (n, seed) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255);

test("items come out oldest first and whole, across the ring's end many times", () => {
  const queue = new SharedQueue(sharedQueueBuffer());
  assert.equal(queue.get(0), undefined, "empty: a get that does not wait gets nothing");
  for (let n = 1; n < 3000; n++) {
    assert.ok(queue.put(bytes(n % 1500, n), 0));
    assert.ok(queue.put(bytes(n % 700, -n), 0));
    assert.equal(queue.size, 2);
    assert.deepEqual(queue.get(0), bytes(n % 1500, n));
    assert.deepEqual(queue.get(0), bytes(n % 700, -n));
  }
  assert.equal(queue.size, 0);
});

test("maxsize and the ring's room hold puts back; a wait times out; an item too big is refused", () => {
  const small = new SharedQueue(sharedQueueBuffer(2));
  assert.ok(small.put(bytes(1, 1), 0));
  assert.ok(small.put(bytes(1, 2), 0));
  assert.equal(small.put(bytes(1, 3), 0), false, "maxsize 2 is full");
  const t0 = performance.now();
  assert.equal(small.put(bytes(1, 3), 30), false);
  assert.ok(performance.now() - t0 >= 29, "it waited its 30 ms");
  assert.deepEqual(small.get(0), bytes(1, 1));
  assert.ok(small.put(bytes(1, 3), 0), "room once one was taken");
  const t1 = performance.now();
  const empty = new SharedQueue(sharedQueueBuffer());
  assert.equal(empty.get(30), undefined);
  assert.ok(performance.now() - t1 >= 29, "a get waited its 30 ms");
  const big = new SharedQueue(sharedQueueBuffer());
  assert.ok(big.put(new Uint8Array(ITEM_MAX), 0), "the largest item fits an empty queue");
  assert.equal(big.put(new Uint8Array(1), 0), false, "and nothing more");
  assert.throws(() => big.put(new Uint8Array(ITEM_MAX + 1), 0), /at most 262,140 bytes/);
});

test("an interpreter's queues: ids of its own, what it was given adopted, and a limit that says why", () => {
  const waits = [];
  const program = queueBridge({ prefix: () => "", onWait: (from, to) => waits.push(to - from) });
  const process = queueBridge({ prefix: () => "7:" });
  const id = program.functions.queue_new(0);
  process.adopt({ [id]: program.queues.get(id).buffer });
  assert.ok(process.functions.queue_put(id, bytes(5, 1), 0));
  assert.deepEqual(program.functions.queue_get(id, 0), bytes(5, 1), "one queue, two views");
  assert.equal(program.functions.queue_get(id, 20), undefined);
  assert.equal(waits.length, 1, "the get that waited 20 ms was told");
  assert.match(process.functions.queue_new(0), /^7:q1$/);
  assert.throws(() => process.functions.queue_get("q99", 0), /no queue q99 in this process/);
  for (let n = 1; n < MAX_QUEUES; n++) program.functions.queue_new(0);
  assert.throws(() => program.functions.queue_new(0), /at most 256 queues/);
});

test("task_done counts the puts, once each, and join waits for all of them", () => {
  const queue = new SharedQueue(sharedQueueBuffer());
  assert.equal(queue.taskDone(), false, "nothing was put");
  assert.ok(queue.join(0));
  queue.put(bytes(3, 1), 0);
  queue.put(bytes(3, 2), 0);
  queue.get(0);
  assert.equal(queue.join(10), false, "two puts, none done");
  assert.ok(queue.taskDone());
  assert.ok(queue.taskDone());
  assert.equal(queue.taskDone(), false, "called too many times");
  assert.ok(queue.join(0));
});

test("three producers and two consumers on other threads: every item arrives once, whole, in each producer's order", async () => {
  const producers = 3;
  const each = 4000;
  const buffer = sharedQueueBuffer(50); // small: the producers wait for room, often
  const module = new URL("../../www/engine/shared-queue.js", import.meta.url).href;
  const produce = `
    const { workerData } = require("node:worker_threads");
    import(workerData.module).then(({ SharedQueue }) => {
      const queue = new SharedQueue(workerData.buffer);
      for (let k = 0; k < ${each}; k++) {
        const id = workerData.me * 100000 + k;
        const item = new Uint8Array(4 + (k % 200)).fill(id & 255);
        new DataView(item.buffer).setUint32(0, id, true);
        if (!queue.put(item, 5000)) throw new Error("no room for 5 s");
      }
    });`;
  const consume = `
    const { workerData, parentPort } = require("node:worker_threads");
    import(workerData.module).then(({ SharedQueue }) => {
      const queue = new SharedQueue(workerData.buffer);
      const got = [];
      for (;;) {
        const item = queue.get(5000);
        if (!item) throw new Error("nothing for 5 s");
        const id = new DataView(item.buffer).getUint32(0, true);
        if (id === 0xffffffff) break; // the test's own end mark
        const whole = item.length === 4 + ((id % 100000) % 200) && item.subarray(4).every((b) => b === (id & 255));
        got.push(whole ? id : -1);
      }
      parentPort.postMessage(got);
    });`;
  const start = (source, data) =>
    new Worker(source, { eval: true, workerData: { module, buffer, ...data } });
  const done = (worker) =>
    new Promise((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.once("exit", () => resolve(null));
    });
  const consumers = [0, 1].map(() => start(consume, {}));
  const consumed = consumers.map(done);
  const made = Array.from({ length: producers }, (_, me) => start(produce, { me }));
  await Promise.all(
    made.map(
      (w) => new Promise((resolve, reject) => w.once("exit", resolve).once("error", reject)),
    ),
  );
  const queue = new SharedQueue(buffer);
  const end = new Uint8Array(4).fill(255);
  for (const _ of consumers) assert.ok(queue.put(end, 5000));
  const lists = await Promise.all(consumed);
  const all = lists.flat();
  assert.equal(all.length, producers * each, "every item arrived once");
  assert.ok(!all.includes(-1), "every item whole");
  for (const list of lists) {
    for (let me = 0; me < producers; me++) {
      const mine = list.filter((id) => Math.floor(id / 100000) === me);
      assert.deepEqual(
        mine,
        [...mine].sort((a, b) => a - b),
        "each producer's in its order",
      );
    }
  }
  assert.deepEqual([...new Set(all)].length, producers * each, "none twice");
});
