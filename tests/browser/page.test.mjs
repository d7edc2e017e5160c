// The page loads, reports the CPU count like the article, and lays out at a phone's width.
import { test } from "node:test";
import assert from "node:assert/strict";
import { usePlayground, poolReady } from "./helpers.mjs";

const env = usePlayground();

test("the CPU count shown is navigator.hardwareConcurrency, beside its Python twin", async () => {
  const page = await env.open();
  const reported = await page.evaluate(() => navigator.hardwareConcurrency);
  assert.equal(await page.textContent("#cpu-count"), String(reported));
  assert.equal(await page.textContent("#cpu-python"), `Number of cpu : ${reported}`);
  assert.match(await page.textContent(".caveat"), /cap or round/);
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
