// The Python panel's plumbing that needs no browser: the driver's mailbox (one fill at a
// time, waiting messages together, big ones in pieces, a wait that times out) and the program link's packing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MailboxReader, MailboxWriter, mailboxBuffer } from "../../www/engine/mailbox.js";
import { MAX_PROGRAM_BYTES, pack, unpack } from "../../www/page/link.js";

/** Both ends of a fresh box; the reader's "took" reaches the writer directly, and is counted. */
function mailbox() {
  const buffer = mailboxBuffer();
  const writer = new MailboxWriter(buffer);
  const ends = { writer, took: 0 };
  ends.reader = new MailboxReader(buffer, () => {
    ends.took += 1;
    writer.took();
  });
  return ends;
}

test("the mailbox hands over messages in order, one at a time, each with its payload", () => {
  const box = mailbox();
  const { writer, reader } = box;
  writer.send({ kind: "result", id: 1, ok: true }, new Uint8Array([1, 2, 3]));
  writer.send({ kind: "broken", pool: 2, message: "worker 0 crashed" });
  const first = reader.take(0);
  assert.deepEqual(
    { ...first, payload: [...first.payload] },
    {
      kind: "result",
      id: 1,
      ok: true,
      payload: [1, 2, 3],
    },
  );
  const second = reader.take(0);
  assert.equal(second.message, "worker 0 crashed");
  assert.equal(second.payload.length, 0);
  assert.equal(box.took, 2);
});

test("a message bigger than the box arrives whole, in pieces", () => {
  const { writer, reader } = mailbox();
  const big = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => i % 251);
  writer.send({ kind: "result", id: 7, ok: true }, big);
  const message = reader.take(0);
  assert.equal(message.id, 7);
  assert.equal(message.payload.length, big.length);
  assert.ok(message.payload.every((b, i) => b === i % 251));
});

test("messages that wait while the box is full go in together, in order, big ones in pieces", () => {
  const box = mailbox();
  const { writer, reader } = box;
  const big = new Uint8Array(2 * 1024 * 1024 + 5).map((_, i) => i % 253);
  writer.send({ id: 1 }); // goes in at once
  for (const id of [2, 3, 4]) writer.send({ id }, new Uint8Array([id]));
  writer.send({ id: 5 }, big);
  writer.send({ id: 6 });
  const ids = [];
  for (let i = 0; i < 6; i++) {
    const message = reader.take(0);
    ids.push(message.id);
    if (message.id >= 2 && message.id <= 4) assert.deepEqual([...message.payload], [message.id]);
    if (message.id === 5) assert.ok(message.payload.every((b, k) => b === k % 253));
  }
  assert.deepEqual(ids, [1, 2, 3, 4, 5, 6]);
  // 1; then 2, 3 and 4 in one fill; 5 in three pieces; then 6.
  assert.equal(box.took, 6);
  assert.equal(reader.take(0), undefined, "nothing more");
});

test("an empty mailbox times out with undefined after about the time asked", () => {
  const reader = new MailboxReader(mailboxBuffer(), () => {});
  const start = performance.now();
  assert.equal(reader.take(30), undefined);
  assert.ok(performance.now() - start >= 29, "it waited");
});

test("a program survives the trip through a link, and a damaged link says why", async () => {
  const program = "print('héllo')\nfor i in range(3):\n    print(i)\n";
  const packed = await pack(program);
  assert.match(packed, /^[A-Za-z0-9_-]+$/, "only characters a URL keeps as they are");
  assert.equal(await unpack(packed), program);
  await assert.rejects(unpack("not*base64"), /characters a program link never has/);
  await assert.rejects(unpack(packed.slice(0, 8)), /cut short or damaged/);
  await assert.rejects(unpack("abcde"), /not valid base64url/);
});

test("a link that would unpack past 1 MiB is refused before more than that is held", async () => {
  // 100 MiB of one letter packs to about 100 KB: a bomb.
  const bomb = await pack("a".repeat(100 * 1024 * 1024));
  assert.ok(bomb.length < 200_000, `the bomb's link is ${bomb.length} characters`);
  await assert.rejects(unpack(bomb), /more than 1 MiB of text/);
  const largest = "b".repeat(MAX_PROGRAM_BYTES);
  assert.equal(await unpack(await pack(largest)), largest, "exactly 1 MiB still opens");
});
