// Bad input gets a clear message and loses nothing; a stopped or panicking run leaves a
// working pool behind.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  usePlayground,
  poolReady,
  fill,
  clickAndWait,
  historyCount,
  latestRun,
} from "./helpers.mjs";

const env = usePlayground();

test("a bad size is explained beside the field and nothing runs until it is fixed", async () => {
  const page = await env.open();
  await poolReady(page);
  await fill(page, { workload: "primes" });
  const cases = {
    "-5": "size must be a whole number from 1,000 to 100,000,000 (got -5)",
    "1e99": "size must be a whole number from 1,000 to 100,000,000 (got 1e99)",
    "99999999999999999999999": "(got 99999999999999999999999)",
    abc: 'size must be a whole number from 1,000 to 100,000,000 (got "abc")',
  };
  for (const [typed, message] of Object.entries(cases)) {
    await page.fill("#size", typed);
    await page.click("#run");
    await page.waitForSelector("#size-error:not([hidden])");
    assert.ok((await page.textContent("#size-error")).includes(message), typed);
    assert.equal(await page.getAttribute("#size", "aria-invalid"), "");
    assert.equal(await historyCount(page), 0, "nothing ran");
    assert.equal(await page.evaluate(() => document.activeElement.id), "size");
  }
  await page.fill("#size", "50,000");
  await page.fill("#tasks", "5");
  const run = await clickAndWait(page);
  assert.equal(run.status, "done");
  assert.equal(await page.isHidden("#size-error"), true);
  assert.match(await page.textContent("#answer"), /^5,133 primes below 50,000/);
  await page.close();
});

test("a bad link is named in a banner and its defaults stand in", async () => {
  const page = await env.open({ query: "?workload=primes&size=lots&workers=0&mode=gpu" });
  const banner = await page.textContent("#banner");
  assert.match(banner, /size must be a whole number .* \(got "lots"\)/);
  assert.match(banner, /workers must be a whole number from 1 to 64 \(got 0\)/);
  assert.match(banner, /mode must be one of main, process, threads \(got "gpu"\)/);
  assert.equal(await page.inputValue("#workload"), "primes");
  assert.equal(await page.inputValue("#size"), "16000000");
  await page.close();
});

test("Stop terminates the pool mid-run and the next run starts a fresh one", async () => {
  const page = await env.open();
  await poolReady(page);
  await page.check('input[name=scale][value="1"]');
  await page.click("#preset");
  await page.waitForFunction(() =>
    [...document.querySelectorAll("#log .line")].some((e) => e.textContent.startsWith("Sleeping")),
  );
  await page.click("#stop");
  await page.waitForFunction(() => document.querySelector("#history tbody tr"));
  const stopped = await latestRun(page);
  assert.equal(stopped.status, "stopped");
  assert.ok(Number(stopped.wallMs) < 8000, "stopped before the 8 s sleep could end");
  assert.match(await page.textContent("#status"), /^Stopped after \d+\.\d\d s: \d+ of 30 tasks/);
  assert.match(await page.textContent("#pool-status"), /next run starts a fresh pool/);

  await fill(page, { workload: "primes", size: 100000, tasks: 4 });
  const next = await clickAndWait(page);
  assert.equal(next.status, "done");
  assert.match(await page.textContent("#pool-status"), /started in \d+ ms/);
  assert.match(await page.textContent("#answer"), /^9,592 primes below 100,000/);
  await page.close();
});

for (const mode of ["process", "main", "threads"]) {
  test(`a panicking task is reported beside it in ${mode} mode, and the next run works`, async () => {
    const page = await env.open();
    await poolReady(page);
    await fill(page, { workload: "primes", size: 100000, tasks: 8, mode, fail: 3 });
    const failed = await clickAndWait(page);
    assert.equal(failed.status, "done");
    assert.equal(failed.failures, "1");
    const report = await page.textContent("#failures");
    assert.match(report, /^Task 3 failed: task 3 panicked: task 3 failed on purpose/);
    assert.match(report, /The other 7 tasks finished/);
    assert.equal(failed.mode, mode);

    const row = await page.$$eval("#task-table tbody tr", (rows) =>
      rows.map((r) => r.cells[4].textContent),
    );
    assert.match(row[3], /panicked/);
    assert.deepEqual(
      row.filter((c) => c === "ok"),
      Array(7).fill("ok"),
    );

    await page.fill("#fail", "");
    const next = await clickAndWait(page);
    assert.equal(next.failures, "0");
    assert.match(await page.textContent("#answer"), /^9,592 primes below 100,000/);
    await page.close();
  });
}

test("Stop terminates the thread pool too, and the next thread run starts afresh", async () => {
  const page = await env.open({ query: "?mode=threads&scale=1" });
  await poolReady(page);
  await page.click("#run");
  await page.waitForFunction(() =>
    [...document.querySelectorAll("#log .line")].some((e) => e.textContent.startsWith("Sleeping")),
  );
  await page.click("#stop");
  await page.waitForFunction(() => !document.querySelector("#controls").hasAttribute("aria-busy"));
  const stopped = await latestRun(page);
  assert.equal(stopped.status, "stopped");
  assert.match(await page.textContent("#status"), /died with the thread pool's memory/);
  assert.match(await page.textContent("#pool-status"), /^Thread pool stopped/);

  await fill(page, { workload: "primes", size: 100000, tasks: 4 });
  const next = await clickAndWait(page);
  assert.equal(next.status, "done");
  assert.equal(next.mode, "threads");
  assert.match(await page.textContent("#answer"), /^9,592 primes below 100,000/);
  await page.close();
});
