// `./build.sh soak`: long use in one page. 200 consecutive runs, mixing modes, workloads,
// panicking tasks and Stops, then a report of what the page holds after run 10 and after run
// 200: workers alive (against what the live pools should hold), the page's JS heap and DOM
// after a forced garbage collection, and the wasm memories of the live pools. Fails (exit 1)
// if there are more workers than the pools hold, or if the heap or the DOM grew by 10% or
// more between the two points.
import {
  launchBrowser,
  openPlayground,
  startServer,
  poolReady,
  fill,
  clickAndWait,
} from "./browser.mjs";

const RUNS = Number(process.argv[2] ?? 200);
const CHECKPOINTS = [10, RUNS];
const GROWTH_LIMIT = 0.1;
const REFERENCE = {
  workload: "primes",
  size: 200000,
  tasks: 8,
  mode: "process",
  repeats: 1,
  fail: "",
};

/**
 * Run k's settings: every mode, every workload, a panic in a pool now and then. (A panic on
 * the page's own thread replaces the page's wasm instance, which costs memory by design: it is
 * measured on its own at the end, not mixed into the growth.)
 */
function settingsFor(k) {
  const mode = ["main", "process", "threads"][k % 3];
  const workloads = [
    { workload: "primes", size: 200000, tasks: 8 },
    { workload: "mandelbrot", size: 120, tasks: 8 },
    { workload: "montecarlo", size: 2000000, tasks: 8 },
    { workload: "tiny", size: 2000, tasks: 500 },
    { workload: "sleeper", size: 30, tasks: 30 },
  ];
  const fields = { ...workloads[Math.floor(k / 3) % workloads.length], mode, repeats: 1 };
  fields.fail = k % 11 === 5 && mode !== "main" ? "2" : "";
  return fields;
}

async function snapshot(page, cdp) {
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = await cdp.send("Runtime.getHeapUsage");
  const dom = await cdp.send("Memory.getDOMCounters");
  const pools = await page.evaluate(() => {
    // Nodes in the document (elements and text): what the page shows and keeps.
    const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
    let nodes = 0;
    while (walker.nextNode()) nodes += 1;
    return {
      nodes,
      status: document.querySelector("#pool-status").textContent,
      rows: document.querySelectorAll("#history tbody tr").length,
    };
  });
  return {
    workers: page.workers().length,
    heapMiB: heap.usedSize / 2 ** 20,
    domNodes: pools.nodes,
    // Blink's own count also holds detached nodes its collector has not reached yet.
    blinkNodes: dom.nodes,
    listeners: dom.jsEventListeners,
    historyRows: pools.rows,
    poolStatus: pools.status,
  };
}

const server = await startServer();
const browser = await launchBrowser();
let failed = false;
try {
  const page = await openPlayground(browser, server.url, { query: "?scale=0.01" });
  page.on("pageerror", (e) => {
    console.error(`page error: ${e.message}`);
    failed = true;
  });
  const cdp = await page.raw.context().newCDPSession(page.raw);
  await poolReady(page);
  await page.uncheck("#warmup");
  const points = {};
  const pools = { process: 0, threads: 0 };
  let stops = 0;
  const started = Date.now();
  for (let k = 1; k <= RUNS; k++) {
    const fields = settingsFor(k);
    const runStarted = Date.now();
    await fill(page, fields);
    const before = await page.evaluate(
      () => document.querySelector("#history tbody tr")?.dataset.n ?? "0",
    );
    await page.click("#run");
    if (k % 7 === 0) {
      // Stop some runs part-way.
      await page.waitForTimeout(20);
      // Pressed only if the run is still going (a short one may be done already).
      // force: the run may end between the check and the click, and a disabled Stop is fine.
      if (await page.isEnabled("#stop")) {
        await page.click("#stop", { force: true, timeout: 2000 }).catch(() => {});
        stops += 1;
      }
    }
    await page.waitForFunction(
      (n) =>
        (document.querySelector("#history tbody tr")?.dataset.n ?? "0") !== n &&
        !document.querySelector("#controls").hasAttribute("aria-busy"),
      before,
      { timeout: 60_000 },
    );
    const status = await page.locator("#history tbody tr").first().getAttribute("data-status");
    if (status === "error") {
      console.error(`run ${k} failed: ${await page.textContent("#status")}`);
      failed = true;
    }
    if (fields.mode !== "main") pools[fields.mode] = 2; // both pools are sized to 2 here
    const tookMs = Date.now() - runStarted;
    if (tookMs > 5000) console.error(`run ${k} (${JSON.stringify(fields)}) took ${tookMs} ms`);
    if (CHECKPOINTS.includes(k)) {
      // Measured after the same reference run each time, so the two points show the same
      // result card and timeline, and differ only by what the page accumulated.
      await fill(page, REFERENCE);
      await clickAndWait(page);
      pools.process = 2;
      // A stopped pool is gone until its next run; a live one holds its workers (the thread
      // pool: its host worker and one worker per thread).
      const alive = await page.textContent("#pool-status");
      points[k] = await snapshot(page, cdp);
      points[k].expectedWorkersAtMost = pools.process + (pools.threads ? 1 + pools.threads : 0);
      points[k].elapsedS = (Date.now() - started) / 1000;
      console.error(`after run ${k}: ${JSON.stringify(points[k])} (${alive})`);
    }
  }
  const [a, b] = CHECKPOINTS.map((k) => points[k]);
  const growth = (key) => (b[key] - a[key]) / a[key];
  const report = {
    runs: RUNS,
    stops,
    points,
    growth: {
      heap: growth("heapMiB"),
      domNodes: growth("domNodes"),
      listeners: growth("listeners"),
    },
  };
  // What a main-thread panic costs: the trapped instance is replaced by a fresh one (a new
  // copy of the glue module, which the browser never unloads, and a new wasm memory).
  const panics = 5;
  const beforePanics = await snapshot(page, cdp);
  for (let k = 0; k < panics; k++) {
    await fill(page, { ...REFERENCE, mode: "main", fail: "2" });
    await clickAndWait(page);
  }
  await fill(page, REFERENCE);
  await clickAndWait(page);
  const afterPanics = await snapshot(page, cdp);
  report.mainThreadPanics = {
    panics,
    heapKiBEach: Math.round(((afterPanics.heapMiB - beforePanics.heapMiB) * 1024) / panics),
  };
  console.log(JSON.stringify(report, null, 2));
  for (const [k, p] of Object.entries(points)) {
    if (p.workers > p.expectedWorkersAtMost) {
      console.error(
        `after run ${k}: ${p.workers} workers alive, the pools hold ${p.expectedWorkersAtMost}`,
      );
      failed = true;
    }
  }
  for (const [key, g] of Object.entries(report.growth)) {
    if (g >= GROWTH_LIMIT) {
      console.error(`${key} grew ${(100 * g).toFixed(1)}% between runs 10 and ${RUNS}`);
      failed = true;
    }
  }
} finally {
  await browser.close();
  server.close();
}
console.error(failed ? "soak: FAILED" : "soak: passed");
process.exit(failed ? 1 : 0);
