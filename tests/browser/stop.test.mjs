// Nothing hangs: Stop ends a whole series (warm-up and repeats) in every mode, and a start
// that never ends (in a run, in the counter experiment); a timeout stops a run as Stop does
// and names the unfinished tasks; settings that would freeze the page are refused before they
// run; and every mode runs the largest task count allowed.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { usePlayground, poolReady, fill, clickAndWait, latestRun } from "./helpers.mjs";
import { openPlayground, startServer } from "../../tools/browser.mjs";

const env = usePlayground();

// A second server, which never answers for the thread pool's worker script (serve.py
// --stall), as a host or a network that swallows one file would: the thread pool's start
// then hangs for as long as its own deadlines allow (a minute), and Stop must end it at once.
let stalling;
before(async () => {
  stalling = await startServer({ stall: ["www/workers/threads.js"] });
});
after(() => stalling?.close());
const openStalled = (query = "") => openPlayground(env.launched, stalling.url, { query });

/** The task numbers in a status's "unfinished: tasks 3, 7–9." list. */
function unfinishedTasks(status) {
  const list = status.match(/unfinished: tasks ([\d–, ]+)/)?.[1] ?? "";
  return list.split(", ").flatMap((part) => {
    const [a, b = a] = part.split("–").map(Number);
    return Array.from({ length: b - a + 1 }, (_, k) => a + k);
  });
}

const idle = (page) =>
  page.waitForFunction(() => !document.querySelector("#controls").hasAttribute("aria-busy"), null, {
    timeout: 60_000,
  });

for (const mode of ["main", "process", "threads"]) {
  test(`Stop ends a ${mode} series at once: no more tasks, repeats or warm-up`, async () => {
    // Four runs of about 1-2 s each: a series that Stop failed to end would finish "done".
    const page = await env.open({
      query: `?workload=primes&size=16000000&tasks=64&mode=${mode}&repeats=3&warmup=1`,
    });
    await poolReady(page);
    await page.click("#run");
    // Pressed once the first run has made progress, as a person would after seeing it move.
    await page.waitForFunction(() => document.querySelector("#progress").value >= 1, null, {
      timeout: 60_000,
      polling: 20,
    });
    // The press's own timestamp to the moment the controls unlock, measured in the page
    // (Playwright's click waits for frames, which a busy main thread delays).
    await page.evaluate(() => {
      document
        .querySelector("#stop")
        .addEventListener("click", (e) => (window.ppPressed = e.timeStamp), { once: true });
      new MutationObserver((_, observer) => {
        if (document.querySelector("#controls").hasAttribute("aria-busy")) return;
        window.ppUnlocked = performance.now();
        observer.disconnect();
      }).observe(document.querySelector("#controls"), { attributes: true });
    });
    await page.click("#stop");
    await idle(page);
    const tookMs = await page.evaluate(() => Math.round(window.ppUnlocked - window.ppPressed));
    const run = await latestRun(page);
    assert.equal(run.status, "stopped");
    assert.ok(Number(run.repeats) < 3, "the remaining repeats did not run");
    assert.match(await page.textContent("#status"), /^Stopped after \d+\.\d\d s/);
    assert.match(await page.textContent("#status"), /unfinished: tasks \d+/);
    // Informational, for the closing note: how long the press took to take effect.
    console.log(`${mode}: Stop took effect ${tookMs} ms after the press`);

    // And the next run works.
    await fill(page, { size: 100000, tasks: 4, repeats: 1 });
    const next = await clickAndWait(page);
    assert.equal(next.status, "done");
    assert.match(await page.textContent("#answer"), /^9,592 primes below 100,000/);
    await page.close();
  });
}

test("Stop ends a sweep, and the sweep says it stopped", async () => {
  const page = await env.open({ query: "?workload=primes&size=16000000&tasks=64&repeats=3" });
  await poolReady(page);
  await page.click("#sweep-run");
  await page.waitForFunction(() =>
    /Sweep 1 of/.test(document.querySelector("#sweep-status").textContent),
  );
  await page.click("#stop");
  await idle(page);
  assert.match(await page.textContent("#sweep-status"), /^The sweep stopped: /);
  await page.close();
});

test("Stop ends the GIL's convoy while its threads are blocked in it, and the page runs again", async () => {
  const page = await env.open({ query: "?workload=primes&size=100000&tasks=4&mode=process" });
  await poolReady(page);
  // 200 wakes 200 ms apart: 40 s per condition, far longer than the test waits. The first
  // condition blocks the thread pool's host in the core, as each does.
  await page.fill("#convoy-period", "200");
  await page.fill("#convoy-wakes", "200");
  await page.click("#convoy-run");
  await page.waitForFunction(() =>
    /the i\/o task alone/.test(document.querySelector("#convoy-status").textContent),
  );
  await page.click("#stop");
  await idle(page);
  assert.equal(await page.textContent("#convoy-status"), "The experiment stopped.");
  const next = await clickAndWait(page);
  assert.equal(next.status, "done");
  assert.match(await page.textContent("#answer"), /^9,592 primes below 100,000/);
  await page.close();
});

test("Stop while the thread pool is starting ends the run at once, and says no task ran", async () => {
  const page = await openStalled("?workload=primes&size=100000&tasks=4&mode=threads");
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
  const page = await openStalled();
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

for (const mode of ["process", "main", "threads"]) {
  test(`a timeout stops a ${mode} run and names the unfinished tasks`, async () => {
    // Calls 8 and 12 sleep 8 and 12 s; a 1 s timeout ends the run while both still sleep.
    // Two workers whatever the CPU count the engine reports, so which tasks are left is certain.
    const page = await env.open({ query: `?mode=${mode}&workers=2&scale=1&timeout=1` });
    await poolReady(page);
    assert.equal(await page.inputValue("#timeout"), "1");
    const run = await clickAndWait(page);
    assert.equal(run.status, "timed out");
    const status = await page.textContent("#status");
    assert.match(status, /^Timed out after 1\.\d\d s, past its timeout of 1 s: \d+ of 30 tasks/);
    // Tasks 8 and 12 are asleep at 1 s in every mode. Which others are is certain where tasks
    // are handed out one by one (main; a pool of 2); rayon's threads report progress in
    // batches, so there only the sleepers are certain.
    const unfinished = unfinishedTasks(status);
    assert.ok(unfinished.includes(8) && unfinished.includes(12), status);
    const exact = { main: "tasks 8–29", process: "tasks 8, 12–29" }[mode];
    if (exact) assert.ok(status.includes(`unfinished: ${exact}.`), status);
    assert.ok((await page.textContent("#log")).includes("TimeoutError after 1."));
    await page.close();
  });
}

test("a main-thread task that would freeze the page is refused, with the estimate", async () => {
  const page = await env.open();
  await poolReady(page);
  await fill(page, { workload: "primes", size: "100,000,000", tasks: 1, mode: "main" });
  await page.click("#run");
  await page.waitForSelector("#tasks-error:not([hidden])");
  const message = await page.textContent("#tasks-error");
  assert.match(
    message,
    /^on the main thread one task would freeze the page for about \d+ s \(estimated\), and a task there may take at most 3\.0 s so that Stop can answer between tasks: use at least \d+ tasks, or a pool$/,
  );
  assert.equal(await page.count("#history tbody tr"), 0, "nothing ran");

  // The pools may run it (the page stays alive), but a comparison's baseline may not.
  await page.check("input[name=mode][value=process]");
  await page.click("#compare");
  await page.waitForSelector("#tasks-error:not([hidden])");
  assert.match(await page.textContent("#tasks-error"), /^on the main thread one task would freeze/);
  assert.equal(await page.count("#history tbody tr"), 0, "nothing ran");
  await page.close();
});

for (const [mode, chunksizes] of [
  ["main", [1]],
  ["process", [1, 7, 100000]],
  ["threads", [1]],
]) {
  test(`${mode} runs the most tasks the form allows (100,000) at chunksize ${chunksizes.join(", ")}`, async () => {
    const page = await env.open();
    await poolReady(page);
    for (const chunksize of chunksizes) {
      await fill(page, {
        workload: "tiny",
        size: 100000,
        tasks: 100000,
        chunksize,
        mode,
        repeats: 1,
      });
      await page.uncheck("#warmup");
      const run = await clickAndWait(page, "#run", { timeout: 180_000 });
      assert.equal(
        run.status,
        "done",
        `chunksize ${chunksize}: ${await page.textContent("#status")}`,
      );
      assert.equal(run.tasks, "100000");
      assert.equal(run.failures, "0");
    }
    await page.close();
  });
}
