// Nothing waits on a start that never ends. This file's server never answers for the thread
// pool's worker script (serve.py --stall), as a host or a network that swallows one file
// would: the thread pool's start then hangs for as long as its own deadlines allow (a
// minute), and Stop must end it at once, in a run and in the shared-counter experiment.
import { test } from "node:test";
import assert from "node:assert/strict";
import { usePlayground, poolReady, fill, clickAndWait, latestRun } from "./helpers.mjs";

const env = usePlayground({ stall: ["www/workers/threads.js"] });

const idle = (page) =>
  page.waitForFunction(() => !document.querySelector("#controls").hasAttribute("aria-busy"), null, {
    timeout: 20_000,
  });

test("Stop while the thread pool is starting ends the run at once, and says no task ran", async () => {
  const page = await env.open({ query: "?workload=primes&size=100000&tasks=4&mode=threads" });
  await poolReady(page);
  await page.click("#run");
  await page.waitForFunction(() =>
    document.querySelector("#status").textContent.startsWith("Starting the thread pool"),
  );
  await page.click("#stop");
  await idle(page);
  assert.match(
    await page.textContent("#status"),
    /^Stopped while the thread pool was starting: no task ran\. /,
  );
  assert.equal((await latestRun(page)).status, "stopped");
  // The page goes on: the process pool runs.
  await fill(page, { mode: "process" });
  const next = await clickAndWait(page);
  assert.equal(next.status, "done");
  assert.match(await page.textContent("#answer"), /^9,592 primes below 100,000/);
  await page.close();
});

test("Stop during the counter experiment's thread step ends it, and the cards say so", async () => {
  const page = await env.open();
  await poolReady(page);
  await page.click("#counter-run");
  // The process pool's count is in; the first thread race waits for its pool's start.
  await page.waitForFunction(
    () =>
      document.querySelector("#counter-process").dataset.counted &&
      document.querySelector("#counter-racy [data-part=detail]").textContent === "Running…",
  );
  await page.click("#stop");
  await idle(page);
  const detail = (id) => page.textContent(`#${id} [data-part=detail]`);
  for (const id of ["counter-racy", "counter-atomic"]) {
    assert.equal(await detail(id), "Stopped before it finished: its workers were terminated.");
  }
  assert.match(await detail("counter-process"), /memories, one per worker/);
  assert.doesNotMatch(await page.textContent("#banner"), /failed/, "a Stop is no failure");
  await page.close();
});
