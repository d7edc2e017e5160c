// multiprocessing.Pipe's memory (www/engine/shared-pipe.js), without a browser: who holds each
// end, EOF once the writing end is held nowhere (closed, or its holder ended), a broken pipe
// once the reading end is, and a reader on another thread woken by the close it waits for.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import { HOLDERS, PipeHolders, pipeBridge, pipeBuffer } from "../../www/engine/shared-pipe.js";

const bridgeOf = (pid, queues = new Map()) =>
  pipeBridge({ prefix: () => (pid === 1 ? "" : `${pid}:`), me: () => pid, queues });
const bytes = (...values) => new Uint8Array(values);

test("each end is held by pid, once however often it is given, by at most HOLDERS at once", () => {
  const holders = new PipeHolders(pipeBuffer());
  assert.equal(holders.held(0), false);
  assert.ok(holders.hold(0, 7) && holders.hold(0, 7));
  assert.ok(holders.drop(0, 7));
  assert.equal(holders.held(0), false, "given twice, dropped once: held no more");
  assert.equal(holders.drop(0, 7), false);
  for (let pid = 1; pid <= HOLDERS; pid++) assert.ok(holders.hold(1, pid));
  assert.equal(holders.hold(1, HOLDERS + 1), false, "the table is full");
  assert.equal(holders.held(0), false, "the other end's table is its own");
});

test("a duplex pipe carries both ways; recv says eof once the other end is closed, after what was sent", () => {
  const main = bridgeOf(1);
  const { pipe_new, pipe_send, pipe_recv, pipe_poll, pipe_close } = main.functions;
  const id = pipe_new(true);
  assert.equal(id, "p1");
  assert.equal(pipe_send(id, 0, bytes(1, 2), -1), undefined);
  assert.equal(pipe_send(id, 1, bytes(3), -1), undefined);
  assert.deepEqual(pipe_recv(id, 1, 0), bytes(1, 2));
  assert.deepEqual(pipe_recv(id, 0, 0), bytes(3));
  assert.equal(pipe_recv(id, 0, 0), undefined, "nothing there, and the other end is held");
  assert.equal(pipe_poll(id, 0, 0), false);
  pipe_send(id, 1, bytes(4), -1);
  pipe_close(id, 1);
  assert.equal(pipe_poll(id, 0, 0), true);
  assert.deepEqual(pipe_recv(id, 0, -1), bytes(4), "what was sent outlives the sender");
  assert.equal(pipe_poll(id, 0, 0), true, "EOF is something to read");
  assert.equal(pipe_recv(id, 0, -1), "eof");
  assert.equal(pipe_send(id, 0, bytes(5), -1), "broken", "nobody holds the reading end");
});

test("an end a process held is let go when it ends (forget), and a one-way pipe has one queue", () => {
  const main = bridgeOf(1);
  const { pipe_new, pipe_hold, pipe_close, pipe_recv, pipe_forget } = main.functions;
  const id = pipe_new(false);
  assert.deepEqual([...main.buffers.keys()], ["p1"]);
  pipe_hold(id, 1, 5); // the writing end goes to process 5
  pipe_close(id, 1); // the program closes its own copy
  assert.equal(pipe_recv(id, 0, 0), undefined, "process 5 still holds it");
  pipe_forget(5);
  assert.equal(pipe_recv(id, 0, 0), "eof");
});

test(
  "a reader on another thread, waiting with no limit, wakes to EOF when the writer closes",
  { timeout: 10_000 },
  async () => {
    const queues = new Map();
    const main = bridgeOf(1, queues);
    const id = main.functions.pipe_new(false);
    main.functions.pipe_hold(id, 0, 2);
    const module = new URL("../../www/engine/shared-pipe.js", import.meta.url).href;
    const given = {
      [id]: main.buffers.get(id),
      [`${id}q0`]: queues.get(`${id}q0`).buffer,
    };
    const source = `
    const { workerData, parentPort } = require("node:worker_threads");
    Promise.all([import(workerData.module), import(workerData.queueModule)]).then(
      ([{ pipeBridge }, { SharedQueue }]) => {
        const queues = new Map([[workerData.q, new SharedQueue(workerData.given[workerData.q])]]);
        const pipes = pipeBridge({ prefix: () => "2:", me: () => 2, queues });
        pipes.adopt(workerData.given);
        const got = [];
        for (;;) {
          const item = pipes.functions.pipe_recv(workerData.id, 0, -1);
          if (item === "eof") break;
          got.push(item[0]);
        }
        parentPort.postMessage(got);
      },
    );`;
    const queueModule = new URL("../../www/engine/shared-queue.js", import.meta.url).href;
    const reader = new Worker(source, {
      eval: true,
      workerData: { module, queueModule, given, id, q: `${id}q0` },
    });
    const got = new Promise((resolve) => reader.once("message", resolve));
    for (let i = 0; i < 100; i++) main.functions.pipe_send(id, 1, bytes(i), -1);
    // Closed once the reader has taken all and sleeps in recv (most likely, 100 ms on): the
    // close must wake it. Were it still awake, it would find the end gone anyway: the test
    // passes either way when a close wakes readers, and hangs when not and the reader slept.
    while (queues.get(`${id}q0`).size > 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 100));
    main.functions.pipe_close(id, 1);
    assert.deepEqual(
      await got,
      Array.from({ length: 100 }, (_, i) => i),
    );
  },
);
