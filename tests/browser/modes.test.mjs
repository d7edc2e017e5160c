// Every workload gives one answer, whoever computes it and however it is split: the main
// thread, the process pool and the thread pool (with and without the model GIL).
import { test } from "node:test";
import assert from "node:assert/strict";
import { usePlayground, poolReady, fill, clickAndWait } from "./helpers.mjs";

const env = usePlayground();

const SMALL = {
  sleeper: 30,
  primes: 200_000,
  mandelbrot: 240,
  montecarlo: 2_000_000,
  tiny: 500,
};

for (const [workload, size] of Object.entries(SMALL)) {
  test(`${workload}: every mode agrees, for different task counts`, async () => {
    const page = await env.open({ query: "?scale=0.01" });
    await poolReady(page);
    await fill(page, { workload, size, tasks: 3, mode: "main" });
    const main = await clickAndWait(page);
    await fill(page, { tasks: 7, chunksize: 2, mode: "process" });
    const pool = await clickAndWait(page);
    await fill(page, { tasks: 5, mode: "threads" });
    const threads = await clickAndWait(page);
    await page.check("#gil");
    const gil = await clickAndWait(page);
    for (const run of [main, pool, threads, gil]) assert.equal(run.status, "done", run.mode);
    assert.match(main.digest, /^[0-9a-f]{16}$/);
    assert.equal(pool.digest, main.digest);
    assert.equal(pool.tasks, "7");
    assert.equal(threads.digest, main.digest);
    assert.equal(gil.digest, main.digest, "the model GIL changes timing, not answers");
    assert.deepEqual([threads.mode, threads.gil, gil.gil], ["threads", "false", "true"]);

    assert.equal(await page.textContent("#digest"), main.digest);
    if (workload === "primes") {
      assert.match(await page.textContent("#answer"), /^17,984 primes below 200,000/);
    }
    await page.close();
  });
}

test("chunksize auto sends about four messages per worker, as Pool.map picks, and the code says so", async () => {
  const page = await env.open({ query: "?workload=tiny&size=400&tasks=40&workers=2" });
  await poolReady(page);
  await fill(page, { mode: "main" });
  const main = await clickAndWait(page);
  await fill(page, { mode: "process", chunksize: "auto" });
  const auto = await clickAndWait(page);
  assert.equal(auto.status, "done");
  // ⌈40 ÷ (4 × 2)⌉ = 5 tasks per message, chosen by the core for these settings.
  assert.equal(auto.chunksize, "5");
  assert.equal(auto.digest, main.digest);
  await page.click("#code summary");
  await page.waitForFunction(() =>
    /chunksize=5/.test(document.querySelector("#code-python").textContent),
  );
  const python = await page.textContent("#code-python");
  assert.match(
    python,
    /chunksize auto: ⌈40 tasks ÷ \(4 × 2 workers\)⌉ = 5, as multiprocessing\.Pool\.map picks/,
  );
  // The pane of this page's code fills after the kernel's source arrives: wait for it too.
  await page.waitForFunction(() => document.querySelector("#code-ours").textContent !== "");
  assert.match(await page.textContent("#code-ours"), /pool\.map\(specs, \{ chunksize: 5 \}\)/);
  // The page writes the link as its settings change; wait for it rather than race it.
  await page.waitForFunction(() => new URLSearchParams(location.search).has("chunksize"));
  const link = new URLSearchParams(await page.evaluate(() => location.search));
  assert.equal(link.get("chunksize"), "auto", "the link keeps auto, not its number");
  await page.close();
});

test("compare runs the baseline and the pool, and shows the speedup of the same task list", async () => {
  const page = await env.open({ query: "?workload=primes&size=300000&tasks=8" });
  await poolReady(page);
  const pool = await clickAndWait(page, "#compare", { runs: 2 });
  assert.equal(pool.mode, "process");
  assert.ok(Number(pool.speedup) > 0);
  const text = await page.textContent("#speedup");
  assert.match(text, /× the speed of the main thread .* for the same 8 tasks/);
  assert.match(text, /\d+% parallel efficiency/);
  await page.close();
});

test("a Mandelbrot run draws its picture when done", async () => {
  const page = await env.open({ query: "?workload=mandelbrot&size=300&tasks=10" });
  await poolReady(page);
  await clickAndWait(page);
  const shades = await page.$eval("#picture", (canvas) => {
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    const seen = new Set();
    for (let i = 0; i < data.length; i += 4 * 97)
      seen.add(data[i] * 65536 + data[i + 1] * 256 + data[i + 2]);
    return { seen: seen.size, w: canvas.width, h: canvas.height, hidden: canvas.hidden };
  });
  assert.equal(shades.hidden, false);
  assert.deepEqual([shades.w, shades.h], [300, 200]);
  assert.ok(shades.seen > 10, `only ${shades.seen} colours: not a Mandelbrot picture`);
  await page.close();
});
