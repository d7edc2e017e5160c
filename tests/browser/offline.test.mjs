// Offline after the first visit: the service worker keeps this build's files, so with the
// server gone a reload still brings the page back, isolated, and it runs; and once the
// Python panel has loaded Python, Python too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ENGINE } from "./helpers.mjs";
import { launchEngine } from "../../tools/engines.mjs";
import {
  clickAndWait,
  openPlayground,
  poolReady,
  runPython,
  startServer,
} from "../../tools/browser.mjs";

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

test("once the Python panel has loaded Python, it runs with the network cut", async () => {
  const server = await startServer({ isolation: true });
  const engine = await launchEngine(ENGINE);
  try {
    const page = await openPlayground(engine, server.url);
    await page.waitForFunction(
      () => navigator.serviceWorker.ready.then(() => Boolean(navigator.serviceWorker.controller)),
      null,
      { timeout: 30_000 },
    );
    const program = [
      "import concurrent.futures",
      "if __name__ == '__main__':",
      "    with concurrent.futures.ProcessPoolExecutor(max_workers=1) as executor:",
      "        print(executor.submit(sum, [1, 2, 3]).result())",
    ].join("\n");
    const online = await runPython(page, { source: program });
    assert.equal(online.error, null);
    // The runtime is not in the build's copy: the service worker keeps each file as it passes.
    const runtime = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"];
    await page.waitForFunction(
      async (files) => {
        const cache = await caches.open("pp-python-runtime");
        const kept = (await cache.keys()).map((r) => new URL(r.url).pathname.split("/").pop());
        return files.every((f) => kept.includes(f));
      },
      runtime,
      { timeout: 60_000 },
    );

    server.close();
    await assert.rejects(fetch(server.url), "the server is really gone");
    await page.reload(); // the link carries the program, and opens the panel
    await page.waitForSelector("html[data-ready=true]", { timeout: 60_000 });
    const offline = await runPython(page);
    assert.equal(offline.error, null, offline.error ?? "");
    assert.deepEqual(
      offline.lines.map((l) => l.text),
      ["6"],
    );
    await page.close();
  } finally {
    server.close();
    await engine.close();
  }
});
