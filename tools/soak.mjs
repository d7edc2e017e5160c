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

/** Run `k` of the soak: its settings in the form, Run (and Stop, every 7th), its row. */
async function oneRun(page, k) {
  const fields = settingsFor(k);
  const runStarted = Date.now();
  await fill(page, fields);
  const before = await page.evaluate(
    () => document.querySelector("#history tbody tr")?.dataset.n ?? "0",
  );
  await page.click("#run");
  let stopped = false;
  if (k % 7 === 0) {
    // Stop some runs part-way.
    await page.waitForTimeout(20);
    // Pressed only if the run is still going (a short one may be done already).
    // force: the run may end between the check and the click, and a disabled Stop is fine.
    if (await page.isEnabled("#stop")) {
      await page.click("#stop", { force: true, timeout: 2000 }).catch(() => {});
      stopped = true;
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
  const failed = status === "error";
  if (failed) console.error(`run ${k} failed: ${await page.textContent("#status")}`);
  const tookMs = Date.now() - runStarted;
  if (tookMs > 5000) console.error(`run ${k} (${JSON.stringify(fields)}) took ${tookMs} ms`);
  return { fields, stopped, failed };
}

/**
 * What the page holds after run `k`, measured after the same reference run each time, so
 * the points show the same result card and timeline and differ only by what the page
 * accumulated. `pools`: how many workers each pool holds now.
 */
async function checkpoint(page, cdp, k, pools, started) {
  await fill(page, REFERENCE);
  await clickAndWait(page);
  pools.process = 2;
  // A stopped pool is gone until its next run; a live one holds its workers (the thread
  // pool: its host worker and one worker per thread).
  const alive = await page.textContent("#pool-status");
  const point = await snapshot(page, cdp);
  point.expectedWorkersAtMost = pools.process + (pools.threads ? 1 + pools.threads : 0);
  point.elapsedS = (Date.now() - started) / 1000;
  console.error(`after run ${k}: ${JSON.stringify(point)} (${alive})`);
  return point;
}

/**
 * What a main-thread panic costs: the trapped instance is replaced by a fresh one (a new
 * copy of the glue module, which the browser never unloads, and a new wasm memory).
 */
async function panicCost(page, cdp, panics = 5) {
  const before = await snapshot(page, cdp);
  for (let k = 0; k < panics; k++) {
    await fill(page, { ...REFERENCE, mode: "main", fail: "2" });
    await clickAndWait(page);
  }
  await fill(page, REFERENCE);
  await clickAndWait(page);
  const after = await snapshot(page, cdp);
  return { panics, heapKiBEach: Math.round(((after.heapMiB - before.heapMiB) * 1024) / panics) };
}

/** Whether the report shows a leak: workers beyond the pools', or growth past the limit. */
function leaks(report) {
  let leaked = false;
  for (const [k, p] of Object.entries(report.points)) {
    if (p.workers > p.expectedWorkersAtMost) {
      console.error(
        `after run ${k}: ${p.workers} workers alive, the pools hold ${p.expectedWorkersAtMost}`,
      );
      leaked = true;
    }
  }
  for (const [key, g] of Object.entries(report.growth)) {
    if (g >= GROWTH_LIMIT) {
      console.error(`${key} grew ${(100 * g).toFixed(1)}% between runs 10 and ${RUNS}`);
      leaked = true;
    }
  }
  return leaked;
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
    const run = await oneRun(page, k);
    stops += run.stopped ? 1 : 0;
    failed ||= run.failed;
    if (run.fields.mode !== "main") pools[run.fields.mode] = 2; // both pools are sized to 2 here
    if (CHECKPOINTS.includes(k)) points[k] = await checkpoint(page, cdp, k, pools, started);
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
  report.mainThreadPanics = await panicCost(page, cdp);
  console.log(JSON.stringify(report, null, 2));
  failed = leaks(report) || failed;
} finally {
  await browser.close();
  server.close();
}
console.error(failed ? "soak: FAILED" : "soak: passed");
process.exit(failed ? 1 : 0);
