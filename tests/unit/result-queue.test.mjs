// The Python executors' result queues (www/engine/result-queue.js) and the driver's mailbox
// that reads them (www/engine/mailbox.js), without a browser: answers come out whole and in
// the order put, writers on other threads never damage or lose one, their bell wakes the
// reader, and what a process put in before the page's word comes out before it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import {
  INLINE_MAX,
  ResultQueueReader,
  ResultQueueWriter,
  resultQueueBuffer,
} from "../../www/engine/result-queue.js";
import { MailboxReader, MailboxWriter, mailboxBuffer } from "../../www/engine/mailbox.js";

const bytes = (n, seed) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255);

test("answers come out oldest first and whole; a full queue or a big answer is refused", () => {
  const buffer = resultQueueBuffer();
  const writer = new ResultQueueWriter(buffer, mailboxBuffer());
  const reader = new ResultQueueReader(buffer);
  assert.equal(reader.take(), undefined);
  assert.ok(writer.put(1, true, bytes(10, 1)));
  assert.ok(writer.put(2, false, new Uint8Array(0)));
  assert.deepEqual(reader.take(), { id: 1, ok: true, payload: bytes(10, 1) });
  assert.deepEqual(reader.take(), { id: 2, ok: false, payload: new Uint8Array(0) });
  assert.equal(reader.take(), undefined);
  assert.equal(writer.put(3, true, new Uint8Array(INLINE_MAX + 1)), false, "too big");
  let put = 0;
  while (writer.put(++put, true, bytes(INLINE_MAX, put)));
  assert.equal(put, 4, "three of the largest fit, the fourth does not");
  assert.deepEqual(reader.take(), { id: 1, ok: true, payload: bytes(INLINE_MAX, 1) });
  assert.ok(writer.put(4, true, bytes(INLINE_MAX, 4)), "room again once one was taken");
  for (let id = 2; id <= 4; id++) assert.equal(reader.take().id, id);
  // Thousands of odd sizes: the ring wraps many times, never cutting an answer.
  for (let id = 5; id < 5000; id++) {
    assert.ok(writer.put(id, id % 3 === 0, bytes(id % 997, id)));
    assert.deepEqual(reader.take(), { id, ok: id % 3 === 0, payload: bytes(id % 997, id) });
  }
});

test("the mailbox gives what a result queue holds before the page's word, and its bell wakes a wait", () => {
  const mail = mailboxBuffer();
  const results = resultQueueBuffer();
  const page = new MailboxWriter(mail);
  const reader = new MailboxReader(mail, () => page.took());
  const writer = new ResultQueueWriter(results, mail);
  reader.listen(1, new ResultQueueReader(results));
  writer.put(5, true, bytes(3, 5)); // a process answers, then dies, and the page says so
  page.send({ kind: "broken", pool: 1, message: "gone" });
  const first = reader.take(0);
  assert.deepEqual(first, { kind: "result", id: 5, ok: true, payload: bytes(3, 5) });
  assert.equal(reader.take(0).kind, "broken");
  assert.equal(reader.take(0), undefined);
  reader.forget(1);
  writer.put(6, true, bytes(1, 6));
  assert.equal(reader.take(0), undefined, "a queue forgotten is not read");
});

test("processes on other threads answer at once: each answer read once, whole, in each one's order", async () => {
  const mail = mailboxBuffer();
  const results = resultQueueBuffer();
  const reader = new MailboxReader(mail, () => {});
  reader.listen(1, new ResultQueueReader(results));
  const writers = 3;
  const each = 5000;
  const source = `
    const { workerData } = require("node:worker_threads");
    import(workerData.module).then(({ ResultQueueWriter }) => {
      const writer = new ResultQueueWriter(workerData.results, workerData.mail);
      const me = workerData.me;
      const pause = new Int32Array(new SharedArrayBuffer(4));
      for (let k = 0; k < ${each}; k++) {
        const id = me * 100000 + k;
        const payload = new Uint8Array(k % 300).fill(id & 255);
        // A full queue refuses: the process would send the page its answer; here it tries again.
        while (!writer.put(id, k % 2 === 0, payload)) Atomics.wait(pause, 0, 0, 1);
        if (k % 500 === 0) Atomics.wait(pause, 0, 0, 3); // the reader empties it and sleeps
      }
    });`;
  const module = new URL("../../www/engine/result-queue.js", import.meta.url).href;
  const threads = Array.from(
    { length: writers },
    (_, me) => new Worker(source, { eval: true, workerData: { results, mail, module, me } }),
  );
  const seen = Array.from({ length: writers }, () => []);
  try {
    readAll();
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
  for (const mine of seen) {
    assert.deepEqual(
      mine,
      Array.from({ length: each }, (_, k) => k),
      "each process's, in order",
    );
  }
  assert.equal(reader.take(0), undefined, "nothing more");

  function readAll() {
    for (let n = 0; n < writers * each; n++) {
      const answer = reader.take(5_000); // woken by the writers' bell; a lost answer times out
      assert.ok(answer, `answer ${n} came`);
      const me = Math.floor(answer.id / 100000);
      const k = answer.id % 100000;
      assert.equal(answer.ok, k % 2 === 0);
      assert.equal(answer.payload.length, k % 300);
      assert.ok(
        answer.payload.every((b) => b === (answer.id & 255)),
        `answer ${answer.id} whole`,
      );
      seen[me].push(k);
    }
  }
});
