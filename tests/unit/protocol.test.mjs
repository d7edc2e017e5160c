// The message shapes of www/engine/protocol.js: each codec's two ends agree, and the one
// constant kept in two places (the frame's height message) is the same in both.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  Driver,
  Frame,
  Kind,
  ThreadNews,
  batch,
  driverMessage,
  errorFromWire,
  errorToWire,
  failure,
  reply,
  unbatch,
  unreply,
} from "../../www/engine/protocol.js";
import { replies } from "../../www/engine/serve.js";

test("an error crosses as a plain value and comes back with its name, message and fatal flag", () => {
  const error = new RangeError("size must be at most 64");
  error.fatal = true;
  const wire = errorToWire(error);
  assert.deepEqual(Object.keys(wire).sort(), ["fatal", "message", "name", "stack"]);
  assert.equal(JSON.stringify(JSON.parse(JSON.stringify(wire))), JSON.stringify(wire));
  const back = errorFromWire(wire);
  assert.ok(back instanceof Error);
  assert.deepEqual([back.name, back.message, back.fatal], ["RangeError", error.message, true]);
  assert.equal(errorToWire("plain text").message, "plain text");
});

test("a batch unpacks into the run requests it was made of, shared context or not", () => {
  const shared = { scale: 1 };
  const requests = [1, 2, 3].map((id) => ({ id, kind: Kind.run, tasks: [id], context: shared }));
  assert.deepEqual(unbatch(batch(requests)), requests);
  assert.equal(batch(requests).batch.contexts, undefined, "a shared context travels once");
  const mixed = requests.map((r, k) => ({ ...r, context: { scale: k } }));
  assert.deepEqual(unbatch(batch(mixed)), mixed);
  const single = { id: 9, kind: Kind.init };
  assert.deepEqual(unbatch(single), [single]);
});

test("held answers travel as one message and come out as they went in", () => {
  const value = (index, sum) => ({
    index,
    partial: { count: index * 3, sum },
    start: 1.7e12 + index / 7,
    computed: 1.7e12 + index / 7 + 0.004,
    end: 1.7e12 + index / 7 + 0.0051,
  });
  const pixels = { ...value(4, 5n), pixels: new Uint8Array([1, 2, 3, 4]) };
  const broken = errorToWire(new Error("task 5 panicked"));
  const held = [
    reply(1, [{ value: value(0, 0n) }, { value: value(1, 2n ** 64n - 1n) }]),
    failure(2, new Error("the instance broke")),
    reply(3, [{ value: value(2, 12345678901234567890n) }, { error: broken }, { value: pixels }]),
    reply(4, []),
    reply(5, [
      { value: { ...value(6, 1n), extra: true } },
      { value: { ...value(7, 1n), partial: { count: 1, sum: "f" } } },
    ]),
  ];
  const wire = replies(held);
  // The ordinary outcomes are numbers in typed arrays; the rest as they were.
  assert.ok(wire.replies.numbers instanceof Float64Array);
  assert.equal(wire.replies.sums.length, 7);
  assert.deepEqual(Object.keys(wire.replies.odd.outcomes), ["3", "4", "5", "6"]);
  assert.deepEqual(unreply(structuredClone(wire)), held);
  assert.deepEqual(unreply(replies([held[0]])), [held[0]]);
});

test("every Driver message is told apart from a reply, and from each other", () => {
  const made = [
    Driver.took(),
    Driver.lines([{ text: "hi" }]),
    Driver.span("wait", 1, 2),
    Driver.spawn(1, ["p1"], [2], null, new SharedArrayBuffer(8)),
    Driver.big(1, 7, new Uint8Array(1)),
    Driver.shutdown(1, false, 3),
  ];
  assert.deepEqual(
    made.map((m) => driverMessage(m)[0]),
    ["took", "lines", "span", "spawn", "big", "shutdown"],
  );
  assert.equal(driverMessage(reply(3, null)), null);
  assert.deepEqual(driverMessage(Driver.span("sleep", 5, 6))[1], { kind: "sleep", from: 5, to: 6 });
});

test("a thread's done news reads back as the records src/wasm.rs writes, a partial one ignored", () => {
  const tasks = new Float64Array([0, 1, 10, 100, 150, 160, 4, 0, 10, NaN, NaN, NaN, 9]);
  assert.deepEqual(
    ThreadNews.finished(tasks).map((t) => [t.index, t.thread, t.start]),
    [
      [0, 1, 100],
      [4, 0, NaN],
    ],
  );
  const wasm = readFileSync(new URL("../../src/wasm.rs", import.meta.url), "utf8");
  assert.match(wasm, /index, thread, requested, start, computed, end/);
});

test("the embed script's copy of the height message is protocol.js's", () => {
  const script = readFileSync(new URL("../../www/embed.js", import.meta.url), "utf8");
  const [, copy] = script.match(/const HEIGHT_MESSAGE = "([^"]+)"/);
  assert.equal(copy, Frame.HEIGHT);
});
