// The page loads, reports the CPU count like the article, quotes its program, lays out at a phone's width, and
// says nothing in the console in a normal session.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  usePlayground,
  poolReady,
  fill,
  clickAndWait,
  needsPlaywright,
  runPython,
} from "./helpers.mjs";

const env = usePlayground();

test("the CPU count shown is navigator.hardwareConcurrency, beside its Python twin", async () => {
  const page = await env.open();
  const reported = await page.evaluate(() => navigator.hardwareConcurrency);
  assert.equal(await page.textContent("#cpu-count"), String(reported));
  assert.equal(await page.textContent("#cpu-python"), `Number of cpu : ${reported}`);
  assert.match(await page.textContent(".caveat"), /cap or round/);
  await page.close();
});

test("the article card quotes the article's own program", async () => {
  const page = await env.open();
  await page.waitForFunction(() => document.getElementById("article-code").textContent !== "");
  const quote = await page.textContent("#article-code");
  assert.match(quote, /^def do_something\(seconds\):\n {4}if seconds == 8 or seconds == 12:/);
  assert.match(quote, /\nwith concurrent\.futures\.ProcessPoolExecutor\(\) as executor:\n/);
  assert.match(quote, /results = executor\.map\(do_something, secs\)$/);
  await page.close();
});

test("the pool starts with one worker per CPU, each with its own memory", async () => {
  const page = await env.open();
  await poolReady(page);
  const n = await page.evaluate(() => navigator.hardwareConcurrency);
  assert.equal(await page.inputValue("#workers"), String(n));
  const status = await page.textContent("#pool-status");
  assert.match(status, new RegExp(`${n} workers?, started in \\d+ ms`));
  const memories = status.match(/\d+\.\d MiB/g) ?? [];
  assert.equal(memories.length, n, status);
  await page.close();
});

test("at a phone's width nothing overflows sideways", async () => {
  const page = await env.open({ viewport: { width: 360, height: 740 } });
  await poolReady(page);
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  assert.ok(scroll <= width, `page is ${scroll}px wide in a ${width}px window`);
  await page.close();
});

test(
  "a normal session says nothing in the console: runs in every mode, the counter, Python",
  needsPlaywright("its console, and its workers', are read through Playwright"),
  async () => {
    const page = await env.open({ query: "?workload=primes&size=200000&tasks=8" });
    await poolReady(page);
    for (const mode of ["process", "threads", "main"]) {
      await fill(page, { mode });
      assert.equal((await clickAndWait(page)).status, "done");
    }
    await page.click("#counter-run");
    await page.waitForFunction(
      () => document.querySelector("#counter-atomic").dataset.counted,
      null,
      { timeout: 60_000 },
    );
    const python = await runPython(page, {
      source: [
        "import concurrent.futures",
        "if __name__ == '__main__':",
        "    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as executor:",
        "        print(sum(executor.map(abs, range(-5, 5))))",
      ].join("\n"),
    });
    assert.equal(python.error, null, python.error ?? "");
    // Every thread start once said "using deprecated parameters for the initialization
    // function" (wasm-bindgen-rayon's helper; build.sh patch_rayon_helper).
    assert.deepEqual(page.warnings(), []);
    await page.close();
  },
);
