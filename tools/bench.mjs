// ./build.sh bench [--quick] [--json] [--repeats N]
//
// Serves the built page on a free loopback port and drives headless Chromium through it, as
// a person would: set the form, press Run, read the History table. For each workload and
// mode the page runs once to warm up (V8 tiers wasm up between calls, never during one) and
// then --repeats times (default 3); the bench reports the median, min and max the page shows.
// Every mode runs the same task list. --quick uses smaller sizes and scales the article's sleeps by 0.1, for a run of
// about a minute. --json prints one JSON object on stdout; progress goes to stderr. The
// sweep (prime counting over 1 … 2× the reported CPUs) runs last; --no-sweep skips it.
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import {
  clickAndWait,
  launchBrowser,
  logLines,
  openPlayground,
  poolReady,
  startServer,
} from "./browser.mjs";

const { values: opts } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    "no-sweep": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    repeats: { type: "string", default: "3" },
  },
});
const repeats = Number(opts.repeats);
if (!Number.isInteger(repeats) || repeats < 1 || repeats > 50) {
  console.error(`bench: --repeats must be a whole number from 1 to 50 (got ${opts.repeats})`);
  process.exit(2);
}
const say = (...args) => console.error(...args);
// Every workload runs in each of these; thread runs also with the model GIL.
const MODES = [
  { mode: "main" },
  { mode: "process" },
  { mode: "threads", gil: false },
  { mode: "threads", gil: true },
];
// The sleeper's table rows always use scale 0.1: at 1.0 the main thread alone sleeps 20 s a run.
const SLEEPER_SCALE = 0.1;
const ARTICLE_SCALE = opts.quick ? 0.1 : 1.0;

const server = await startServer();
const browser = await launchBrowser();
try {
  let page = await openPlayground(browser, server.url);
  await poolReady(page);
  const facts = await page.evaluate(() => ({
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    workloads: [...document.querySelectorAll("#workload option")].map((o) => o.value),
    capabilities: JSON.parse(document.querySelector("#caps").dataset.json),
    threads: !document.querySelector("input[name=mode][value=threads]").disabled,
  }));
  const report = {
    browser: `Chromium ${browser.version()}`,
    hardwareConcurrency: facts.hardwareConcurrency,
    crossOriginIsolated: facts.crossOriginIsolated,
    capabilities: facts.capabilities,
    quick: opts.quick,
    article: null,
    runs: [],
  };
  say(
    `${report.browser}; ${report.hardwareConcurrency} reported CPUs; cross-origin isolated: ${report.crossOriginIsolated}`,
  );
  await page.close();
  report.page = await pageWeight();
  say(
    `First load: ${report.page.requests} files, ${report.page.first_load_bytes} bytes (${report.page.first_load_gzip_bytes} gzipped)`,
  );
  page = await openPlayground(browser, server.url);

  await poolReady(page);

  // The article's experiment, exactly as its preset button runs it, after a short warm-up.
  say(`\nThe article's experiment at scale ${ARTICLE_SCALE} (one warm-up at 0.1 first)`);
  await page.check('input[name=scale][value="0.1"]');
  await clickAndWait(page, "#preset");
  await page.check(`input[name=scale][value="${ARTICLE_SCALE}"]`);
  const article = await clickAndWait(page, "#preset", { timeout: 120_000 });
  const lines = await logLines(page);
  const wallMs = Number(article.wallMs);
  // The longest sleep at this scale, as the page reports it (the core knows it).
  const floorMs = Number(await page.getAttribute("#finished", "data-floor-ms"));
  report.article = {
    scale: ARTICLE_SCALE,
    workers: Number(article.workers),
    wall_s: Math.round(wallMs) / 1000,
    overhead_ms: Math.round((wallMs - floorMs) * 10) / 10,
    lines,
  };
  say(`  (${report.article.overhead_ms} ms beyond the longest sleep)`);
  await page.close();

  // Workloads × modes, each on a fresh page so one run's garbage cannot slow the next.
  for (const workload of facts.workloads) {
    const probe = await openPlayground(browser, server.url, { query: `?workload=${workload}` });
    const defaults = await probe.evaluate(() => ({
      size: Number(document.querySelector("#size").value),
      tasks: Number(document.querySelector("#tasks").value),
    }));
    await probe.close();
    const info = await workloadInfo(workload);
    const size = opts.quick ? info.quick_size : defaults.size;
    const scale = info.sleeps ? SLEEPER_SCALE : 1;
    for (const { mode, gil } of MODES) {
      if (mode === "threads" && !facts.threads) continue;
      // The page itself runs the warm-up and the repeats and reports their median.
      const query = `?workload=${workload}&size=${size}&tasks=${defaults.tasks}&mode=${mode}&scale=${scale}&repeats=${repeats}&warmup=1${gil ? "&gil=1" : ""}`;
      const p = await openPlayground(browser, server.url, { query });
      if (mode === "process") await poolReady(p);
      const label = `${mode}${gil ? "+gil" : ""}`;
      say(`${workload} ${label}: warm-up + ${repeats} runs`);
      const row = await clickAndWait(p, "#run", { timeout: 1_200_000 });
      if (row.status !== "done") throw new Error(`${workload} ${label}: ${row.status}`);
      const median = Number(row.wallMs);
      report.runs.push({
        workload,
        mode,
        ...(mode === "threads" ? { gil } : {}),
        workers: Number(row.workers),
        tasks: Number(row.tasks),
        size,
        scale,
        wall_ms: {
          median,
          min: Number(row.minMs ?? median),
          max: Number(row.maxMs ?? median),
        },
        repeats: Number(row.repeats),
        // Long tasks on the page's thread during a run (the most in any repeat).
        long_tasks: Number(row.longTasks),
        digest: row.digest,
      });
      await p.close();
    }
  }

  if (!opts["no-sweep"]) report.sweep = await sweep(report.hardwareConcurrency);

  if (opts.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    printTable(report);
  }
} finally {
  await browser.close();
  server.close();
}

// What a first visit downloads before anything runs: every distinct file the page and its
// pool's workers fetch, raw and gzipped (as most static hosts serve them).
async function pageWeight() {
  const context = await browser.newContext();
  const bodies = new Map();
  context.on("response", async (response) => {
    const body = await response.body().catch(() => null);
    if (body && response.status() === 200) bodies.set(response.url(), body);
  });
  const p = await context.newPage();
  await p.goto(server.url);
  await p.waitForSelector("html[data-ready=true]");
  await poolReady(p);
  await p.waitForTimeout(300);
  await context.close();
  const list = [...bodies.values()];
  return {
    requests: list.length,
    first_load_bytes: list.reduce((n, b) => n + b.length, 0),
    first_load_gzip_bytes: list.reduce((n, b) => n + gzipSync(b).length, 0),
  };
}

// The sweep, through the page's own button, on prime counting at this run's size.
async function sweep(cpus) {
  const size = opts.quick ? (await workloadInfo("primes")).quick_size : undefined;
  const query = `?workload=primes${size ? `&size=${size}` : ""}&repeats=${repeats}`;
  const p = await openPlayground(browser, server.url, { query });
  await poolReady(p);
  say(`sweep: primes, 1 … ${2 * cpus} workers and threads`);
  await p.click("#sweep-run");
  await p.waitForFunction(
    () => /^(Done|The sweep stopped)/.test(document.querySelector("#sweep-status").textContent),
    null,
    { timeout: 1_800_000 },
  );
  const status = await p.textContent("#sweep-status");
  if (!status.startsWith("Done")) throw new Error(status);
  const points = await p.$$eval("#sweep-table tbody tr", (rows) =>
    rows.map((r) => ({
      mode: r.dataset.mode,
      workers: Number(r.dataset.workers),
      median_ms: Number(r.dataset.ms),
      speedup: Number(r.dataset.speedup),
      efficiency: Number(r.dataset.speedup) / Number(r.dataset.workers),
    })),
  );
  const { fits, baselineMs } = JSON.parse(await p.getAttribute("#sweep-summary", "data-json"));
  const settings = await p.evaluate(() => ({
    size: Number(document.querySelector("#size").value),
    tasks: Number(document.querySelector("#tasks").value),
  }));
  await p.close();
  const fit = (f) =>
    f && {
      serial_fraction: f.serial_fraction,
      measured_cores: f.measured_cores,
      max_speedup: f.max_speedup ?? null,
    };
  return {
    workload: "primes",
    ...settings,
    repeats,
    main_median_ms: baselineMs,
    points,
    fits: { process: fit(fits.process), threads: fit(fits.threads) },
  };
}

// A workload's facts, as the core describes it (workloads::Info).
async function workloadInfo(workload) {
  const p = await openPlayground(browser, server.url);
  const info = await p.evaluate(async (w) => {
    const core = await import("./pkg/parallel_playground.js");
    return core.workloads().find((i) => i.id === w);
  }, workload);
  await p.close();
  return info;
}

function printTable(report) {
  const out = (s = "") => process.stdout.write(`${s}\n`);
  out(
    `${report.browser}, ${report.hardwareConcurrency} reported CPUs, cross-origin isolated: ${report.crossOriginIsolated}`,
  );

  out();
  for (const line of report.article.lines) out(line);
  out(
    `(article at scale ${report.article.scale} on ${report.article.workers} workers: ${report.article.overhead_ms} ms beyond the longest sleep)`,
  );
  out(
    `First load: ${report.page.requests} files, ${report.page.first_load_bytes.toLocaleString("en-US")} bytes, ${report.page.first_load_gzip_bytes.toLocaleString("en-US")} gzipped`,
  );

  out();
  const head = [
    "workload",
    "size",
    "tasks",
    "mode",
    "workers",
    "median s",
    "min s",
    "max s",
    "speedup",
    "digest",
  ];
  const rows = report.runs.map((r) => {
    const main = report.runs.find((m) => m.workload === r.workload && m.mode === "main");
    const speedup = main.wall_ms.median / r.wall_ms.median;
    return [
      r.workload,
      r.size.toLocaleString("en-US"),
      r.tasks,
      r.gil ? `${r.mode}+gil` : r.mode,
      r.workers,
      (r.wall_ms.median / 1000).toFixed(3),
      (r.wall_ms.min / 1000).toFixed(3),
      (r.wall_ms.max / 1000).toFixed(3),
      `${speedup.toFixed(2)}×`,
      r.digest,
    ].map(String);
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (cells) =>
    cells
      .map((c, i) => (i < 1 || i === 3 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ");
  out(fmt(head));
  for (const r of rows) out(fmt(r));
  if (report.sweep) {
    out();
    out(
      `Sweep (primes, ${report.sweep.size.toLocaleString("en-US")}; main thread ${(report.sweep.main_median_ms / 1000).toFixed(3)} s):`,
    );
    for (const p of report.sweep.points) {
      out(
        `  ${p.mode.padEnd(8)} ${String(p.workers).padStart(2)}  ${(p.median_ms / 1000).toFixed(3)} s  ${p.speedup.toFixed(2)}×  ${Math.round(100 * p.efficiency)}%`,
      );
    }
    for (const [mode, f] of Object.entries(report.sweep.fits)) {
      if (f)
        out(
          `  ${mode}: serial fraction ${(100 * f.serial_fraction).toFixed(1)}%, scaling levels off at ${f.measured_cores}`,
        );
    }
  }
}
