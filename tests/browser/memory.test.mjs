// The shared-counter experiment: separate memories cannot race, one shared memory can. Whether
// a racing round loses updates is the scheduler's call, so this asserts only what is certain:
// exact counts where nothing can race, and, for the racing threads, numbers and words that
// agree with each other whichever way the race went.
import { test } from "node:test";
import assert from "node:assert/strict";
import { usePlayground, poolReady, runConvoy } from "./helpers.mjs";

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

test("the GIL's convoy: a bad input is named, then each condition's wakes are measured and the GIL's wait is at least its interval", async () => {
  const page = await env.open();
  await poolReady(page);
  // Out of range: the card says what it takes, and nothing runs.
  await page.fill("#convoy-switch", "0");
  await page.click("#convoy-run");
  await page.waitForSelector("#convoy-error:not([hidden])");
  assert.equal(
    await page.textContent("#convoy-error"),
    "The switch interval must be a number from 0.5 to 100 (got “0”).",
  );
  assert.equal(await page.textContent("#convoy-status"), "");
  await page.fill("#convoy-switch", "5");
  await page.fill("#convoy-period", "8");
  await page.fill("#convoy-wakes", "12");
  await runConvoy(page);
  assert.equal(await page.textContent("#convoy-status"), "Done.");
  assert.equal(await page.isVisible("#convoy-error"), false);
  const rows = await page.$$eval("#convoy-table tbody tr", (trs) =>
    trs.map((tr) => ({ ...tr.dataset, cells: [...tr.cells].map((c) => c.textContent) })),
  );
  assert.deepEqual(
    rows.map((r) => r.condition),
    ["alone", "gil", "nogil", "processes"],
  );
  for (const r of rows) {
    assert.equal(Number(r.wakes), 12, r.condition);
    // No wake runs before it is due: latency and timer lateness are never negative.
    assert.ok(Number(r.latency) >= 0, `${r.condition}: ${r.latency}`);
    assert.match(r.cells[1], /^\d+\.\d\d ms$/);
  }
  const [, gil, nogil, processes] = rows;
  assert.equal(nogil.cells[3], "no GIL to wait for");
  assert.equal(processes.cells[3], "no GIL to wait for");
  // The first wake always finds the CPU-bound thread holding the GIL (it takes it before
  // either starts), so it waits a whole switch interval before asking it to let go: 5 ms,
  // less half a millisecond for the clocks of the wait and of performance.now().
  const waits = await page.$$eval("figure[data-condition=gil] .cv-wait title", (titles) =>
    titles.map((t) => t.textContent),
  );
  assert.ok(waits.length >= 1);
  const first = Number(/^waited (\d+\.\d+) ms for the GIL$/.exec(waits[0])[1]);
  assert.ok(first >= 4.5, `the first wake waited ${first} ms`);
  assert.equal(await page.count("figure[data-condition=nogil] .cv-wait"), 0);
  assert.equal(await page.count("figure[data-condition=processes] .cv-wait"), 0);
  assert.equal(await page.count(".convoy-timeline"), 4);
  assert.match(
    await page.textContent("#convoy-summary"),
    /^Under the GIL, with a switch interval of 5\.00 ms, each wake waited a median \d+\.\d\d ms for the GIL/,
  );
  await page.close();
});
