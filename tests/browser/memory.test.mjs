// The shared-counter experiment: separate memories cannot race, one shared memory can.
import { test } from "node:test";
import assert from "node:assert/strict";
import { usePlayground, poolReady } from "./helpers.mjs";

const env = usePlayground();

test("processes count exactly in N memories; racy threads lose updates; fetch_add does not", async () => {
  const page = await env.open();
  await poolReady(page);
  await page.click("#counter-run");
  await page.waitForFunction(
    () => document.querySelector("#counter-atomic").dataset.counted,
    null,
    {
      timeout: 60_000,
    },
  );
  const read = (id) => page.$eval(`#${id}`, (card) => ({ ...card.dataset }));
  const [processes, racy, atomic] = await Promise.all(
    ["counter-process", "counter-racy", "counter-atomic"].map(read),
  );
  const workers = Number(await page.inputValue("#workers"));

  // One memory per worker, each with its own count, together exact, even with racy code.
  assert.equal(Number(processes.memories), Math.max(workers, 2));
  const counts = processes.counts.split(",").map(Number);
  assert.equal(counts.length, Number(processes.memories));
  assert.equal(
    counts.reduce((a, b) => a + b, 0),
    Number(processes.expected),
  );
  assert.equal(processes.state, "exact");

  // One shared memory: load-then-store from two threads loses updates, fetch_add cannot.
  assert.equal(racy.memories, "1");
  assert.ok(Number(racy.counted) < Number(racy.expected), `${racy.counted} of ${racy.expected}`);
  assert.ok(Number(racy.counted) > 0);
  assert.equal(racy.state, "lost");
  assert.match(
    await page.textContent("#counter-racy [data-part=detail]"),
    /updates \(\d+\.\d%\) were lost/,
  );
  assert.equal(atomic.memories, "1");
  assert.equal(atomic.counted, atomic.expected);
  assert.match(
    await page.textContent("#counter-atomic [data-part=detail]"),
    /One shared memory of/,
  );
  await page.context().close();
});
