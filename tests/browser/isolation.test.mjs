// Any static host: served without COOP/COEP, the page either isolates itself with its
// service worker (one reload) or explains why threads cannot run, and processes still work.
import { test } from "node:test";
import assert from "node:assert/strict";
import { usePlayground, poolReady, clickAndWait } from "./helpers.mjs";

const env = usePlayground({ isolation: false });

async function openHeaderless(serviceWorkers) {
  const context = await env.browser.newContext({ serviceWorkers });
  const page = await context.newPage();
  await page.goto(`${env.server.url}?workload=primes&size=200000&tasks=8`);
  await page.waitForSelector("html[data-ready=true]", { timeout: 30_000 });
  await poolReady(page);
  return page;
}

const capability = (page, name) =>
  page.$$eval(
    "#caps div",
    (rows, wanted) =>
      rows.find((r) => r.querySelector("dt").textContent === wanted)?.querySelector("dd")
        .textContent,
    name,
  );

test("without headers or a service worker, the panel and the thread mode say why", async () => {
  const page = await openHeaderless("block");
  assert.equal(await page.evaluate(() => crossOriginIsolated), false);
  assert.match(
    await capability(page, "Cross-origin isolated"),
    /^no · this host does not send COOP\/COEP/,
  );
  assert.match(await capability(page, "SharedArrayBuffer"), /^no/);
  assert.match(await capability(page, "performance.now() resolution"), /µs · browsers coarsen it/);
  assert.match(await capability(page, "Thread pool"), /^no · threads need cross-origin isolation/);
  assert.equal(await page.isDisabled("input[name=mode][value=threads]"), true);
  assert.equal(await page.isDisabled("#gil"), true);
  assert.match(
    await page.textContent("#threads-reason"),
    /^Unavailable: threads need cross-origin isolation: this host does not send COOP\/COEP/,
  );
  assert.equal(await page.evaluate(() => document.querySelector("#caps-panel").open), true);

  // Processes need no shared memory: they work on any host.
  const run = await clickAndWait(page);
  assert.equal(run.mode, "process");
  assert.equal(run.status, "done");

  // The counter experiment runs what it can and says why it skips the rest.
  await page.click("#counter-run");
  await page.waitForFunction(() => document.querySelector("#counter-process").dataset.counted);
  assert.match(
    await page.textContent("#counter-racy [data-part=detail]"),
    /^Cannot run here: threads need cross-origin isolation/,
  );
  await page.context().close();
});

test("a link can carry ?isolate=0, and then the panel offers an isolated copy", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.url}?isolate=0`);
  await page.waitForSelector("html[data-ready=true]");
  assert.match(await page.textContent("#threads-reason"), /switched off with \?isolate=0/);
  const href = await page.getAttribute("#threads-reason a", "href");
  assert.ok(href && !href.includes("isolate=0"), href);
  await context.close();
});

test("with its service worker, a header-less host becomes isolated after one reload", async () => {
  const page = await openHeaderless("allow");
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  assert.equal(await capability(page, "Cross-origin isolated"), "yes · via service worker");
  assert.equal(await capability(page, "Thread pool"), "yes");
  const loads = await page.evaluate(() => performance.getEntriesByType("navigation")[0].type);
  assert.equal(loads, "reload", "isolation took exactly one reload");

  await page.check("input[name=mode][value=main]");
  const main = await clickAndWait(page);
  await page.check("input[name=mode][value=threads]");
  const threads = await clickAndWait(page);
  assert.equal(threads.mode, "threads");
  assert.equal(threads.digest, main.digest);
  await page.context().close();
});

test("the build ships a _headers file for hosts that read one", async () => {
  const text = await (await fetch(`${env.server.url}_headers`)).text();
  assert.match(text, /^\/\*$/m);
  assert.match(text, /^\s+Cross-Origin-Opener-Policy: same-origin$/m);
  assert.match(text, /^\s+Cross-Origin-Embedder-Policy: require-corp$/m);
});
