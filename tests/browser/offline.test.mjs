// Offline after the first visit, wherever the site lives: the service worker keeps this
// build's files, so with the server gone a reload still brings the page back, isolated, and it
// runs (a panic on the page's thread included); once the Python panel has loaded Python,
// Python too. And it keeps one build, the newest: a deploy replaces the copy (past a host's
// 10-minute HTTP cache), a file planted in the copy is refused, and `?isolate=0` takes the
// worker away.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ENGINE, controlled, copyOfBuild } from "./helpers.mjs";
import { launchEngine } from "../../tools/engines.mjs";
import {
  clickAndWait,
  fill,
  openPlayground,
  poolReady,
  pythonProcessesReady,
  runPython,
  startServer,
} from "../../tools/browser.mjs";
import { stamp } from "../../tools/stamp.mjs";

const SUBPATH = "/parallel-playground/";

/** This site's caches: {names, files of the build's copy (paths)}. */
function offlineCopy(page) {
  return page.evaluate(async () => {
    const names = (await caches.keys()).filter(
      (n) => n.startsWith("pp-") && n !== "pp-python-runtime",
    );
    const cache = await caches.open(names[0]);
    return { names, files: (await cache.keys()).map((r) => new URL(r.url).pathname) };
  });
}

for (const { isolation, base } of [
  { isolation: true, base: "/" },
  { isolation: false, base: SUBPATH },
]) {
  const host = isolation
    ? "a host that sends COOP/COEP, at /"
    : `a header-less host, under ${SUBPATH} (a GitHub Pages project site)`;
  test(`on ${host}, a reload with the network cut still runs the page`, async () => {
    // Its own server, which the test stops: the network cut, for every engine alike.
    const server = await startServer({ isolation, base });
    const engine = await launchEngine(ENGINE);
    try {
      const page = await openPlayground(engine, server.url, {
        query: "?workload=primes&size=200000&tasks=8&repeats=1",
      });
      await controlled(page);
      const scope = await page.evaluate(() =>
        navigator.serviceWorker.getRegistration().then((r) => new URL(r.scope).pathname),
      );
      assert.equal(scope, base, "the worker's scope is the site's own folder");
      const copied = await offlineCopy(page);
      assert.equal(copied.names.length, 1, "one copy, for this build");
      for (const file of ["", "www/app.js", "pkg/parallel_playground_bg.wasm"]) {
        assert.ok(copied.files.includes(base + file), `${base + file} is not in the offline copy`);
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
      // A panic on the page's thread replaces its wasm instance (a fresh import of the core's
      // glue, under a new query): offline too, from the copy.
      await fill(page, { mode: "main", fail: 3 });
      const failed = await clickAndWait(page);
      assert.equal(failed.failures, "1");
      assert.match(await page.textContent("#failures"), /^Task 3 failed: task 3 panicked/);
      await page.fill("#fail", "");
      const after = await clickAndWait(page);
      assert.equal(after.status, "done");
      assert.equal(after.failures, "0");
      assert.match(await page.textContent("#answer"), /^17,984 primes below 200,000/);
      await page.close();
    } finally {
      server.close();
      await engine.close();
    }
  });
}

test(`under ${SUBPATH} without headers, Python's processes run, and once loaded, run offline`, async () => {
  const server = await startServer({ isolation: false, base: SUBPATH });
  const engine = await launchEngine(ENGINE);
  try {
    const page = await openPlayground(engine, server.url);
    await controlled(page);
    assert.equal(await page.evaluate(() => crossOriginIsolated), true, "isolated by the worker");
    const program = [
      "import concurrent.futures, os",
      "if __name__ == '__main__':",
      "    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as executor:",
      "        print(sorted(executor.map(abs, [-1, -2, -3])))",
    ].join("\n");
    const online = await runPython(page, { source: program });
    assert.equal(online.error, null, online.error ?? "");
    assert.deepEqual(
      online.lines.map((l) => l.text),
      ["[1, 2, 3]"],
    );
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

    // The network goes once the page is quiet: after a run the panel starts the next run's
    // interpreters, and a download cut mid-way is a different test (Firefox reports it as
    // the page's error).
    await pythonProcessesReady(page);
    server.close();
    await assert.rejects(fetch(server.url), "the server is really gone");
    await page.reload(); // the link carries the program, and opens the panel
    await page.waitForSelector("html[data-ready=true]", { timeout: 60_000 });
    const offline = await runPython(page);
    assert.equal(offline.error, null, offline.error ?? "");
    assert.deepEqual(
      offline.lines.map((l) => l.text),
      ["[1, 2, 3]"],
    );
    await page.close();
  } finally {
    server.close();
    await engine.close();
  }
});

// A copy of the build that a test may deploy anew.
let copy;
let site;
before(async () => {
  copy = await copyOfBuild();
  site = copy.dir;
});
after(() => copy?.remove());

/** A new build of the copy: one changed page and a freshly stamped sw.js. */
async function deploy(marker) {
  const page = join(site, "index.html");
  const html = (await readFile(page, "utf8")).replace(
    /<meta name="pp-test-build"[^>]*>|<\/head>/,
    (match) =>
      `<meta name="pp-test-build" content="${marker}" />${match === "</head>" ? "</head>" : ""}`,
  );
  await writeFile(page, html);
  return stamp(site);
}

const buildShown = (page) =>
  page.evaluate(() => document.querySelector("meta[name=pp-test-build]")?.content ?? null);

test("a deploy replaces the offline copy, past a host's 10-minute HTTP cache, and a planted file is refused", async () => {
  const first = await deploy("A");
  // Like GitHub Pages: browsers may keep every file for 10 minutes without asking.
  const server = await startServer({ dir: site, isolation: false, base: SUBPATH, maxAge: 600 });
  const engine = await launchEngine(ENGINE);
  try {
    const page = await openPlayground(engine, server.url);
    await controlled(page);
    assert.equal(await buildShown(page), "A");
    assert.deepEqual((await offlineCopy(page)).names, [`pp-${first}`]);

    const second = await deploy("B");
    assert.notEqual(second, first);
    // The next visit finds the new worker; it copies build B, takes over and drops A's copy.
    await page.reload();
    await page.waitForFunction(
      (name) =>
        caches
          .keys()
          .then(
            (names) =>
              names.includes(name) &&
              !names.some((n) => n.startsWith("pp-") && n !== name && n !== "pp-python-runtime"),
          ),
      `pp-${second}`,
      { timeout: 30_000 },
    );

    // A page's script (Pyodide's `js` reaches the Cache API) plants a file in the copy.
    await page.evaluate(async (name) => {
      const cache = await caches.open(name);
      const planted = new Response("document.title = 'planted'; export function openPython() {}", {
        headers: { "content-type": "text/javascript" },
      });
      await cache.put(new URL("www/page/python.js", location.href), planted);
    }, `pp-${second}`);

    server.close();
    await assert.rejects(fetch(server.url), "the server is really gone");
    await page.reload();
    await page.waitForSelector("html[data-ready=true]", { timeout: 60_000 });
    assert.equal(await buildShown(page), "B", "offline, the page is the new build");
    await poolReady(page);
    const run = await clickAndWait(page);
    assert.equal(run.status, "done", "and all of it is there");

    // The planted module is not served: the panel says it could not load, and it is gone.
    await page.click("#python-panel summary");
    await page.waitForFunction(() =>
      document
        .getElementById("python-body")
        .textContent.startsWith("The Python panel could not load"),
    );
    assert.notEqual(await page.evaluate(() => document.title), "planted");
    const kept = await page.evaluate(
      (name) =>
        caches
          .open(name)
          .then((c) => c.match(new URL("www/page/python.js", location.href)))
          .then(Boolean),
      `pp-${second}`,
    );
    assert.equal(kept, false, "the planted entry was removed");
    // The refused module is the page's one error (Firefox reports the load that failed).
    const errors = await page.errors();
    assert.ok(
      errors.every((e) => e.includes("www/page/python.js")),
      `errors besides the refused module: ${errors.join(" | ")}`,
    );
    await page.close().catch((error) => {
      if (errors.length === 0) throw error;
    });
  } finally {
    server.close();
    await engine.close();
  }
});

test("?isolate=0 takes the service worker away, as the README says", async () => {
  const server = await startServer({ isolation: false, base: SUBPATH });
  const engine = await launchEngine(ENGINE);
  try {
    const page = await openPlayground(engine, server.url);
    await controlled(page);
    await page.goto(`${server.url}?isolate=0`);
    await page.waitForSelector("html[data-ready=true]", { timeout: 60_000 });
    assert.equal(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), false);
    assert.equal(
      await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length)),
      0,
    );
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    assert.match(
      await page.textContent("#threads-reason"),
      /isolation was switched off with \?isolate=0/,
    );
    await page.close();
  } finally {
    server.close();
    await engine.close();
  }
});
