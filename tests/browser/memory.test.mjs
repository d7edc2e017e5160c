// The shared-counter experiment: separate memories cannot race, one shared memory can. Whether
// a racing round loses updates is the scheduler's call, so this asserts only what is certain:
// exact counts where nothing can race, and, for the racing threads, numbers and words that
// agree with each other whichever way the race went.
import { test } from "node:test";
import assert from "node:assert/strict";
import { usePlayground, poolReady } from "./helpers.mjs";

const env = usePlayground();
const MAX_ROUNDS = 20; // counter::MAX_ROUNDS

test("processes count exactly in N memories; threads race behind a barrier; fetch_add is exact", async () => {
  const page = await env.open();
  await poolReady(page);
  await page.click("#counter-run");
  await page.waitForFunction(
    () => document.querySelector("#counter-atomic").dataset.counted,
    null,
    { timeout: 60_000 },
  );
  const read = (id) => page.$eval(`#${id}`, (card) => ({ ...card.dataset }));
  const text = (id) => page.textContent(`#${id} [data-part=detail]`);
  const [processes, racy, atomic] = await Promise.all(
    ["counter-process", "counter-racy", "counter-atomic"].map(read),
  );
  const workers = Number(await page.inputValue("#workers"));
  const threads = Math.max(workers, 2);

  // One memory per worker, each with its own count, together exact, even with racy code.
  assert.equal(Number(processes.memories), threads);
  const counts = processes.counts.split(",").map(Number);
  assert.equal(counts.length, threads);
  assert.equal(
    counts.reduce((a, b) => a + b, 0),
    Number(processes.expected),
  );
  assert.equal(processes.state, "exact");

  // One shared memory, every thread an equal share. Load-then-store can only lose updates;
  // the rounds stop at the first loss or at the bound, and the words match the numbers.
  assert.equal(racy.memories, "1");
  const [counted, expected, rounds] = [racy.counted, racy.expected, racy.rounds].map(Number);
  assert.equal(expected, threads * Math.floor(4_000_000 / threads));
  assert.ok(counted > 0 && counted <= expected, `${counted} of ${expected}`);
  assert.ok(rounds >= 1 && rounds <= MAX_ROUNDS);
  if (counted < expected) {
    assert.equal(racy.state, "lost");
    assert.match(
      await text("counter-racy"),
      /started together\. [\d,]+ updates \(\d+\.\d%\) were lost/,
    );
  } else {
    assert.equal(rounds, MAX_ROUNDS, "a race that lost nothing ran every round");
    assert.equal(racy.state, "exact");
    assert.match(
      await text("counter-racy"),
      /no updates were lost this time\. A race depends on timing; run it again\./,
    );
  }
  console.log(`racy threads: ${counted} of ${expected} after ${rounds} round(s)`);

  // fetch_add cannot lose an update: exact, in one round.
  assert.equal(atomic.memories, "1");
  assert.equal(atomic.counted, atomic.expected);
  assert.equal(atomic.rounds, "1");
  assert.match(await text("counter-atomic"), /^One shared memory of .* No update was lost/);
  await page.close();
});
