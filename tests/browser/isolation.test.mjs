// Any static host: served without COOP/COEP, the page either isolates itself with its
// service worker (one reload) or explains why threads cannot run, and processes still work.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ENGINE,
  usePlayground,
  poolReady,
  clickAndWait,
  needsPlaywright,
  capability,
  runPython,
  runConvoy,
} from "./helpers.mjs";

const env = usePlayground({ isolation: false });

/** The page from a host that sends no COOP/COEP; `serviceWorkers`: "allow" or "block". */
async function openHeaderless(serviceWorkers) {
  const query = "?workload=primes&size=200000&tasks=8";
  const page = await env.open({ query, contextOptions: { serviceWorkers } });
  await poolReady(page);
  return page;
}

test(
  "without headers or a service worker, the panel and the thread mode say why",
  needsPlaywright("cannot block service workers for one session"),
  async () => {
    const page = await openHeaderless("block");
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    assert.match(
      await capability(page, "Cross-origin isolated"),
      /^no · this host does not send COOP\/COEP/,
    );
    assert.match(await capability(page, "SharedArrayBuffer"), /^no/);
    assert.match(
      await capability(page, "performance.now() resolution"),
      /µs · browsers coarsen it/,
    );
    assert.match(
      await capability(page, "Thread pool"),
      /^no · threads need cross-origin isolation/,
    );
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
    await page.close();
  },
);

test("a link can carry ?isolate=0, and then the panel offers an isolated copy", async () => {
  const page = await env.open({ query: "?isolate=0" });
  assert.match(await page.textContent("#threads-reason"), /switched off with \?isolate=0/);
  const href = await page.getAttribute("#threads-reason a", "href");
  assert.ok(href && !href.includes("isolate=0"), href);
  await page.close();
});

test("without threads, the GIL's convoy measures the task alone and beside another process, and says why not the rest", async () => {
  const page = await env.open({ query: "?isolate=0" });
  await poolReady(page);
  await page.fill("#convoy-wakes", "4");
  await runConvoy(page);
  assert.equal(await page.textContent("#convoy-status"), "Done.");
  const rows = await page.$$eval("#convoy-table tbody tr", (trs) =>
    trs.map((tr) => [tr.dataset.condition, tr.dataset.wakes ?? null]),
  );
  assert.deepEqual(rows, [
    ["alone", "4"],
    ["gil", null],
    ["nogil", null],
    ["processes", "4"],
  ]);
  const summary = await page.textContent("#convoy-summary");
  assert.match(
    summary,
    /Beside a CPU-bound thread, under the GIL: not run, as threads need cross-origin isolation: [^.]*\?isolate=0\./,
  );
  assert.equal(await page.count(".convoy-timeline"), 2);
  await page.close();
});

test("the build ships a _headers file for hosts that read one", async () => {
  const text = await (await fetch(`${env.server.url}_headers`)).text();
  assert.match(text, /^\/\*$/m);
  assert.match(text, /^\s+Cross-Origin-Opener-Policy: same-origin$/m);
  assert.match(text, /^\s+Cross-Origin-Embedder-Policy: require-corp$/m);
});

test(
  "without isolation, plain Python runs and ProcessPoolExecutor says what it needs",
  needsPlaywright("cannot block service workers for one session"),
  async () => {
    const page = await openHeaderless("block");
    const result = await runPython(page, {
      source: [
        "print('plain Python runs')",
        "import concurrent.futures",
        "concurrent.futures.ProcessPoolExecutor()",
      ].join("\n"),
    });
    assert.deepEqual(
      result.lines.map((l) => l.text),
      ["plain Python runs"],
    );
    assert.match(result.error, /RuntimeError on line 3/);
    assert.match(result.error, /ProcessPoolExecutor needs this page cross-origin isolated/);
    assert.match(result.error, /Cross-Origin-Opener-Policy: same-origin/);
    await page.close();
  },
);

// Firefox's private windows offer no service workers; the same switch in its preferences
// takes them away from a normal window, as no driver can open a private one.
test(
  "a browser without service workers (Firefox's private windows) says so, and runs what it can",
  ENGINE === "firefox" ? {} : { skip: "the preference is Firefox's" },
  async () => {
    const { launchFirefox } = await import("../../tools/engines.mjs");
    const browser = await launchFirefox({ "dom.serviceWorkers.enabled": false });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${env.server.url}?workload=primes&size=200000&tasks=8`);
      await page.waitForSelector("html[data-ready=true]");
      await page.waitForSelector("input[name=mode][value=process]:not([disabled])");
      assert.equal(await page.evaluate(() => "serviceWorker" in navigator), false);
      const row = (name) =>
        page.$$eval(
          "#caps div",
          (rows, wanted) =>
            rows.find((r) => r.querySelector("dt").textContent === wanted)?.querySelector("dd")
              .textContent,
          name,
        );
      assert.equal(
        await row("Service workers"),
        "no · this browser offers none here (a private window, or site data turned off): no offline copy",
      );
      assert.match(
        await page.textContent("#threads-reason"),
        /service workers \(the fallback\) are unavailable: this browser offers none here \(a private window/,
      );
      await page.click("#run");
      await page.waitForSelector("#history tbody tr[data-status=done]", { timeout: 60_000 });
      await context.close();
    } finally {
      await browser.close();
    }
  },
);
