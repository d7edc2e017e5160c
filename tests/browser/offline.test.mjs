// Offline after the first visit: the service worker keeps this build's files, so with the
// server gone a reload still brings the page back, isolated, and it runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ENGINE } from "./helpers.mjs";
import { launchEngine } from "../../tools/engines.mjs";
import { clickAndWait, openPlayground, poolReady, startServer } from "../../tools/browser.mjs";

for (const isolation of [true, false]) {
  const host = isolation ? "a host that sends COOP/COEP" : "a header-less host";
  test(`on ${host}, a reload with the network cut still runs the page`, async () => {
    // Its own server, which the test stops: the network cut, for every engine alike.
    const server = await startServer({ isolation });
    const engine = await launchEngine(ENGINE);
    try {
      const page = await openPlayground(engine, server.url, {
        query: "?workload=primes&size=200000&tasks=8&repeats=1",
      });
      // The worker controls the page once it has copied every file (install finishes first).
      await page.waitForFunction(
        () => navigator.serviceWorker.ready.then(() => Boolean(navigator.serviceWorker.controller)),
        null,
        { timeout: 30_000 },
      );
      const copied = await page.evaluate(async () => {
        const names = (await caches.keys()).filter((n) => n.startsWith("pp-"));
        const cache = await caches.open(names[0]);
        return { names, files: (await cache.keys()).map((r) => new URL(r.url).pathname) };
      });
      assert.equal(copied.names.length, 1, "one copy, for this build");
      for (const file of ["/", "/index.html", "/www/app.js", "/pkg/parallel_playground_bg.wasm"]) {
        assert.ok(copied.files.includes(file), `${file} is not in the offline copy`);
      }

      server.close();
      await assert.rejects(fetch(server.url), "the server is really gone");
      await page.reload();
      await page.waitForSelector("html[data-ready=true]", { timeout: 60_000 });
      assert.equal(await page.evaluate(() => crossOriginIsolated), true);
      await poolReady(page);
      const run = await clickAndWait(page);
      assert.equal(run.status, "done");
      assert.match(await page.textContent("#answer"), /^17,984 primes below 200,000/);
      await page.close();
    } finally {
      server.close();
      await engine.close();
    }
  });
}
