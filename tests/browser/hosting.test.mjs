// Every hosting path in this engine: a host that sends COOP/COEP, and a header-less one (GitHub
// Pages) where the service worker adds them after one reload. Each mode this engine can run
// runs and agrees on the answer; each it cannot is named with exactly what is missing. Prints
// one "[matrix]" line per engine × path × mode for the record.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ENGINE, clickAndWait, fill, poolReady, capability } from "./helpers.mjs";
import { launchEngine } from "../../tools/engines.mjs";
import { openPlayground, startServer } from "../../tools/browser.mjs";

const PATHS = { headers: { isolation: true }, "service worker": { isolation: false } };
const servers = {};
let engine;
before(async () => {
  for (const [name, options] of Object.entries(PATHS)) servers[name] = await startServer(options);
  engine = await launchEngine(ENGINE);
});
after(async () => {
  await engine?.close();
  for (const server of Object.values(servers)) server.close();
});

/** Runs a small prime count in every mode the page offers; returns {mode: digest | reason}. */
async function everyMode(page) {
  const seen = {};
  for (const mode of ["main", "process", "threads"]) {
    const offered = !(await page.isDisabled(`input[name=mode][value=${mode}]`));
    if (!offered) {
      seen[mode] = { reason: await page.textContent("#threads-reason") };
      continue;
    }
    await fill(page, { mode });
    const run = await clickAndWait(page);
    assert.equal(run.status, "done", `${mode}: ${run.status}`);
    seen[mode] = { digest: run.digest, workers: run.workers };
  }
  return seen;
}

for (const path of Object.keys(PATHS)) {
  test(`${ENGINE}, ${path}: every mode it offers runs and agrees; what it cannot do is named`, async () => {
    const page = await openPlayground(engine, servers[path].url, {
      query: "?workload=primes&size=200000&tasks=8",
    });
    await poolReady(page);
    const isolated = await page.evaluate(() => crossOriginIsolated);
    const sab = await page.evaluate(() => typeof SharedArrayBuffer === "function");
    const how = await capability(page, "Cross-origin isolated");
    if (path === "service worker" && isolated) {
      assert.equal(how, "yes · via service worker");
      const load = await page.evaluate(() => performance.getEntriesByType("navigation")[0].type);
      // WebKit reports a location.reload() as "navigate"; the others as "reload".
      assert.equal(load, ENGINE === "webkit" ? "navigate" : "reload", "isolated by one reload");
    }
    if (path === "headers") assert.equal(isolated, true, "COOP/COEP isolate the page");

    const seen = await everyMode(page);
    for (const [mode, what] of Object.entries(seen)) {
      const text = what.digest ? `ran on ${what.workers}, digest ${what.digest}` : what.reason;
      console.log(`[matrix] ${ENGINE} | ${path} | ${mode} | ${text}`);
    }
    assert.ok(seen.main.digest && seen.process.digest, "main thread and processes run anywhere");
    assert.equal(seen.process.digest, seen.main.digest);
    if (isolated && sab) {
      assert.equal(seen.threads.digest, seen.main.digest, "threads run where they can");
    } else if (!isolated) {
      assert.match(seen.threads.reason, /^Unavailable: threads need cross-origin isolation/);
    } else {
      assert.equal(
        seen.threads.reason,
        "Unavailable: this page is cross-origin isolated, but this browser does not offer SharedArrayBuffer, which threads share memory through.",
      );
    }
    await page.close();
  });
}

// WebKitGTK hides SharedArrayBuffer unless a JSC option shows it (Safari shows it to isolated
// pages); the rest of the WebKit suite runs with it shown, this test as WebKitGTK ships.
test(
  "webkit as shipped: SharedArrayBuffer hidden, and the page says exactly that",
  ENGINE === "webkit" ? {} : { skip: "only WebKitGTK hides SharedArrayBuffer by default" },
  async () => {
    const shipped = await launchEngine("webkit", { sharedArrayBuffer: false });
    try {
      const page = await openPlayground(shipped, servers.headers.url);
      await poolReady(page);
      assert.equal(await page.evaluate(() => crossOriginIsolated), true);
      assert.equal(await page.evaluate(() => typeof SharedArrayBuffer), "undefined");
      assert.equal(
        await page.textContent("#threads-reason"),
        "Unavailable: this page is cross-origin isolated, but this browser does not offer SharedArrayBuffer, which threads share memory through.",
      );
      assert.equal(await page.isDisabled("input[name=mode][value=threads]"), true);
      const run = await clickAndWait(page);
      assert.equal(run.status, "done", "processes still run");
      console.log(
        `[matrix] webkit (SharedArrayBuffer hidden) | headers | threads | ${await page.textContent("#threads-reason")}`,
      );
      await page.close();
    } finally {
      await shipped.close();
    }
  },
);
