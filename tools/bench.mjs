// ./build.sh bench [--quick] [--json] [--repeats N]
//
// Serves the built page on a free loopback port and drives headless Chromium through it, as
// a person would: set the form, press Run, read the History table. For each workload and
// mode the page runs once to warm up (V8 tiers wasm up between calls, never during one) and
// then --repeats times (default 3); the bench reports the median, min and max the page shows.
// Every mode runs the same task list. --quick uses smaller sizes and scales the article's sleeps by 0.1, for a run of
// about a minute. --json prints one JSON object on stdout; progress goes to stderr. The
// sweep (prime counting over 1 … 2× the reported CPUs) runs last; --no-sweep skips it.
//
// Beside the page's own numbers, in the same run: its per-task overhead (10,000 no-op tasks,
// chunksize 1 and auto) against npm workerpool and a bare postMessage echo in the same
// browser (tools/peers/); the pool's cold start with one worker and with all; the same
// kernels compiled natively (src/bin/native.rs), for wasm ÷ native; and CPython's own
// ProcessPoolExecutor on the article's program and on no-op tasks (tools/bench_python.py),
// when python3 is here. The Python panel (pyodide): the article's program verbatim in real
// CPython with worker processes, each interpreter's start-up, and pure-Python primes in a loop
// and on the processes. --only a,b runs just those parts (article, runs, overhead, peers,
// startup, native, paired, alone, python, pyodide, sweep). "paired" presses Run on the
// page's thread and on the pool by turns, one run each, for the CPU-bound workloads; "alone"
// runs their task lists through the page's pool and its main-thread loop with nothing drawn
// (the page's own modules, called from a script), beside the page's runs with its live
// displays.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { efficiencyOf, isBaseline, median as medianOfSorted } from "../www/engine/series.js";
import {
  clickAndWait,
  launchBrowser,
  logLines,
  openPlayground,
  poolReady,
  pythonProcessesReady,
  pythonReady,
  runPython,
  startServer,
} from "./browser.mjs";
import { canSample, cpuSplit, sampleCpu } from "./cpu.mjs";

const { values: opts } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    "no-sweep": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    repeats: { type: "string", default: "3" },
    only: { type: "string", default: "" },
  },
});
const PARTS = [
  "article",
  "runs",
  "overhead",
  "peers",
  "startup",
  "native",
  "paired",
  "alone",
  "python",
  "pyodide",
  "sweep",
];
const only = opts.only ? opts.only.split(",") : PARTS;
const unknown = only.filter((p) => !PARTS.includes(p));
if (unknown.length > 0) {
  console.error(`bench: --only takes ${PARTS.join(", ")} (got ${unknown.join(", ")})`);
  process.exit(2);
}
const wants = (part) => only.includes(part) && !(part === "sweep" && opts["no-sweep"]);
/** The per-task overhead's task count: 10,000 no-op tasks, as the peers run. */
const OVERHEAD_TASKS = 10_000;
const WORKERPOOL = JSON.parse(
  readFileSync(new URL("../node_modules/workerpool/package.json", import.meta.url)),
);
const repeats = Number(opts.repeats);
if (!Number.isInteger(repeats) || repeats < 1 || repeats > 50) {
  console.error(`bench: --repeats must be a whole number from 1 to 50 (got ${opts.repeats})`);
  process.exit(2);
}
const say = (...args) => console.error(...args);
/**
 * Rounds of the paired measures (native serial and rayon; the page's main and process presses;
 * the pool alone's main and process; the page against the queued echo; the primes example's
 * runs, each its loop and its processes): each round runs both, seconds apart, and the
 * figure is the median of the rounds' own (medianRatio).
 * This VM's speed drifts by several percent between runs a minute apart, so a ratio of two
 * series' medians moved by as much (rayon's read 105% once). One round's own efficiency
 * still ranges over 10 points (90.7–104.4% in one run of 5): at least 9 rounds.
 */
const ROUNDS = Math.max(repeats, 9);
/**
 * How often the bench looks whether a measured series has ended, in ms: each look is a script
 * run on the page's thread, which takes time from the workers on a 2-core machine (the tests
 * look every 50 ms).
 */
const LOOK_MS = 500;
/**
 * How long the paired measures let the browser settle after a press of Run or an echo run,
 * in ms, before the next: the page still draws a run after its History row appears, and
 * neither measure should run while the other's drawing does. (The echo still reads slower
 * in the rounds than in its own series, with this wait or without: docs/benchmarks.md.)
 */
const SETTLE_MS = 1000;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
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
    browser: `Chromium ${browser.playwright.version()}`,
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
  if (wants("article")) report.article = await article();
  if (wants("runs")) report.runs = await workloadRuns(facts);
  if (wants("overhead")) report.overhead = await overhead();
  if (wants("peers")) report.peers = await peers(report.hardwareConcurrency);
  if (wants("startup")) report.startup = await startup(report.hardwareConcurrency);
  if (wants("native")) report.native = await native(report.runs);
  if (wants("paired")) report.page_paired = await pagePaired(report.runs);
  if (wants("alone")) report.pool_alone = await poolAlone(report.runs);
  if (wants("python")) {
    report.python = python(report.hardwareConcurrency);
    report.cpython = cpythonFigures(report.python);
  }
  if (wants("pyodide")) report.pyodide = await pyodide();
  if (wants("sweep")) report.sweep = await sweep(report.hardwareConcurrency);

  report.targets = targets(report);
  report.targets_issue22 = targetsIssue22(report);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    printTable(report);
  }
} finally {
  await browser.close();
  server.close();
}

// The article's experiment, exactly as its preset button runs it, after a short warm-up.
async function article() {
  const page = await openPlayground(browser, server.url);

  await poolReady(page);

  say(`\nThe article's experiment at scale ${ARTICLE_SCALE} (one warm-up at 0.1 first)`);
  await page.check('input[name=scale][value="0.1"]');
  await clickAndWait(page, "#preset");
  await page.check(`input[name=scale][value="${ARTICLE_SCALE}"]`);
  const row = await clickAndWait(page, "#preset", { timeout: 120_000, every: LOOK_MS });
  const lines = await logLines(page);
  const wallMs = Number(row.wallMs);
  // The longest sleep at this scale, as the page reports it (the core knows it).
  const floorMs = Number(await page.getAttribute("#finished", "data-floor-ms"));
  const result = {
    scale: ARTICLE_SCALE,
    workers: Number(row.workers),
    wall_s: Math.round(wallMs) / 1000,
    overhead_ms: Math.round((wallMs - floorMs) * 10) / 10,
    lines,
  };
  say(`  (${result.overhead_ms} ms beyond the longest sleep)`);
  await page.close();
  return result;
}

// Workloads × modes, each on a fresh page so one run's garbage cannot slow the next.
async function workloadRuns(facts) {
  const runs = [];
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
      const row = await clickAndWait(p, "#run", { timeout: 1_200_000, every: LOOK_MS });
      if (row.status !== "done") throw new Error(`${workload} ${label}: ${row.status}`);
      const median = Number(row.wallMs);
      runs.push({
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
      // Where the browser's CPU time went during a pool's runs (the workers' cores are the
      // page's too): the same series once more, with its threads read every 50 ms, which
      // costs CPU itself (reported), so the timed series above ran without it.
      if (mode !== "main" && !gil && isCpuBound(workload, scale) && canSample()) {
        say(`${workload} ${label}: once more, reading each thread's CPU time`);
        const sampler = sampleCpu(50);
        let again;
        try {
          again = await clickAndWait(p, "#run", { timeout: 1_200_000, every: LOOK_MS });
        } finally {
          const read = sampler.stop();
          if (again) runs.at(-1).cpu = cpuFigures(read, again, facts.hardwareConcurrency);
        }
      }
      await p.close();
    }
  }

  return runs;
}

/**
 * The CPU-bound workloads at full size: what native.rs runs too, and where the CPU split is
 * read. (The sleeper's rows run at scale 0.1; tiny and counter measure messages, not work.)
 */
function isCpuBound(workload, scale) {
  return scale === 1 && !["tiny", "counter"].includes(workload);
}

/**
 * The CPU split of a series' measured runs (cpuSplit), the idle rest of the cores, and the
 * share of the cores the reading itself took over the whole series.
 */
function cpuFigures({ samples, samplerMs }, row, cores) {
  const spans = row.spans
    .split(" ")
    .filter(Boolean)
    .map((pair) => pair.split("-").map(Number));
  const split = cpuSplit(samples, spans);
  const used = split.workers_ms + split.page_ms + split.painting_ms + split.other_ms;
  const seriesMs = samples.at(-1).at - samples[0].at;
  return {
    cores,
    ...split,
    idle_ms: Math.max(cores * split.window_ms - used, 0),
    sampler_share: round2(samplerMs / (cores * seriesMs)),
  };
}

// The page's own per-task overhead: 10,000 tiny tasks of one item each (a few ns of work)
// through the process pool, chunksize 1 and auto, as a reader would run them; and the same
// list on the page's thread, the work itself.
async function overhead() {
  const result = { tasks: OVERHEAD_TASKS };
  for (const [key, mode, chunksize] of [
    ["main_per_task_us", "main", 1],
    ["per_task_us_chunksize1", "process", 1],
    ["per_task_us_auto", "process", "auto"],
  ]) {
    const query = `?workload=tiny&size=${OVERHEAD_TASKS}&tasks=${OVERHEAD_TASKS}&chunksize=${chunksize}&mode=${mode}&repeats=${repeats}&warmup=1`;
    const p = await openPlayground(browser, server.url, { query });
    if (mode === "process") await poolReady(p);
    say(
      `overhead: ${OVERHEAD_TASKS.toLocaleString("en-US")} tiny tasks, ${mode}, chunksize ${chunksize}`,
    );
    const row = await clickAndWait(p, "#run", { timeout: 600_000, every: LOOK_MS });
    if (row.status !== "done") throw new Error(`overhead ${mode} ${chunksize}: ${row.status}`);
    result[key] = round2((Number(row.wallMs) * 1000) / OVERHEAD_TASKS);
    if (chunksize === "auto") result.auto_chunksize = Number(row.chunksize);
    result.workers ??= mode === "process" ? Number(row.workers) : undefined;
    await p.close();
  }
  say(
    `  ${result.per_task_us_chunksize1} µs a task (chunksize 1), ${result.per_task_us_auto} µs (auto)`,
  );
  return result;
}

// The peers, in the same browser: a bare postMessage echo (one message in flight per worker,
// and every message queued at once) and npm workerpool, each over as many workers as the
// page's pool and 10,000 no-op tasks (tools/peers/).
async function peers(workers) {
  const dir = mkdtempSync(join(tmpdir(), "pp-peers-"));
  cpSync(new URL("peers/", import.meta.url).pathname, dir, { recursive: true });
  cpSync(
    new URL("../node_modules/workerpool/dist/workerpool.min.js", import.meta.url).pathname,
    join(dir, "workerpool.min.js"),
  );
  cpSync(new URL("../dist/_headers", import.meta.url).pathname, join(dir, "_headers"));
  const peerServer = await startServer({ dir });
  try {
    const tab = await browser.open(peerServer.url);
    await tab.waitForFunction(() => document.documentElement.dataset.ready === "true");
    const result = { tasks: OVERHEAD_TASKS, workers };
    for (const [key, fn] of [
      ["postmessage_per_task_us", "echoOneInFlight"],
      ["postmessage_queued_per_task_us", "echoQueued"],
      ["workerpool_per_task_us", "workerpoolExec"],
    ]) {
      say(`peers: ${fn}, ${OVERHEAD_TASKS.toLocaleString("en-US")} tasks on ${workers} workers`);
      const runs = [];
      for (let r = 0; r < repeats; r++) {
        runs.push(
          await tab.evaluate(
            ([f, n, w]) => globalThis.peers[f](n, w),
            [fn, OVERHEAD_TASKS, workers],
          ),
        );
      }
      result[key] = round2(median(runs));
    }
    result.workerpool_version = WORKERPOOL.version;
    result.paired_echo = await pairedEcho(tab, workers);
    await tab.close();
    return result;
  } finally {
    peerServer.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The page's per-task overhead (10,000 no-op tasks, chunksize 1, through its Run button)
 * against the queued echo in `tab`, paired: a warm-up round, then ROUNDS rounds, each one
 * press of Run (a warm-up run and one measured run) and one echo run, seconds apart. The two
 * figures above are each a series minutes apart from the other, and this VM's speed drifts
 * between them by more than the target's margin; a round's two are seconds apart.
 * Each waits SETTLE_MS after the other. Returns {rounds, ours_us, echo_us, ours_over_echo}:
 * the per-task µs of every measured round and the median of their ratios.
 */
async function pairedEcho(tab, workers) {
  const query = `?workload=tiny&size=${OVERHEAD_TASKS}&tasks=${OVERHEAD_TASKS}&chunksize=1&mode=process&repeats=1&warmup=1`;
  const ours = await openPlayground(browser, server.url, { query });
  await poolReady(ours);
  say(`peers: the page and the queued echo, paired, a warm-up round + ${ROUNDS} rounds`);
  const result = { rounds: ROUNDS, ours_us: [], echo_us: [] };
  for (let r = 0; r <= ROUNDS; r++) {
    const row = await clickAndWait(ours, "#run", { timeout: 600_000, every: LOOK_MS });
    if (row.status !== "done") throw new Error(`paired overhead: ${row.status}`);
    await settle();
    const echo = await tab.evaluate(
      ([n, w]) => globalThis.peers.echoQueued(n, w),
      [OVERHEAD_TASKS, workers],
    );
    await settle();
    if (r === 0) continue;
    result.ours_us.push(round2((Number(row.wallMs) * 1000) / OVERHEAD_TASKS));
    result.echo_us.push(round2(echo));
  }
  await ours.close();
  result.ours_over_echo = round2(medianRatio(result.ours_us, result.echo_us));
  say(`  the page ÷ the echo: ${result.ours_over_echo}× (median of ${ROUNDS} rounds' own)`);
  return result;
}

// Starting the process pool from nothing (fetch and compile the core, spawn the workers, each
// instantiates its own memory), with one worker and with `workers`, alternately, `repeats`
// times each in one page; medians.
async function startup(workers) {
  const p = await openPlayground(browser, server.url);
  const times = await p.evaluate(
    async ([n, rounds]) => {
      const { ProcessPool } = await import("./www/engine/pool.js");
      const { compileCore } = await import("./www/engine/core.js");
      const once = async (size) => {
        const t0 = performance.now();
        const pool = new ProcessPool({ module: await compileCore(), size });
        await pool.start();
        const ms = performance.now() - t0;
        pool.shutdown();
        return ms;
      };
      const out = { one: [], all: [] };
      await once(1); // the worker script's first fetch
      for (let r = 0; r < rounds; r++) {
        out.one.push(await once(1));
        out.all.push(await once(n));
      }
      return out;
    },
    [workers, Math.max(repeats, 3)],
  );
  await p.close();
  const result = {
    workers,
    one_worker_cold_ms: round2(median(times.one)),
    pool_cold_ms: round2(median(times.all)),
  };
  say(
    `startup: one worker ${result.one_worker_cold_ms} ms, ${workers} workers ${result.pool_cold_ms} ms`,
  );
  return result;
}

// The CPU-bound workloads' task lists, natively (src/bin/native.rs): serial and on one rayon
// thread per reported CPU, beside the page's main-thread and thread-pool medians.
async function native(runs) {
  const jobs = [...new Set(runs.filter((r) => isBaseline(r)).map((r) => r.workload))]
    .map((w) => runs.find((r) => r.workload === w && isBaseline(r)))
    .filter((r) => isCpuBound(r.workload, r.scale));
  if (jobs.length === 0) return null;
  say("native: cargo build --release --features threads --bin native");
  execFileSync(
    "cargo",
    ["build", "--release", "--quiet", "--features", "threads", "--bin", "native"],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const out = JSON.parse(
    execFileSync(new URL("../target/release/native", import.meta.url).pathname, [
      "--repeats",
      String(ROUNDS),
      ...jobs.map((r) => `${r.workload}=${r.size}:${r.tasks}`),
    ]).toString(),
  );
  const result = {};
  for (const n of out) {
    const wasm = (mode) => runs.find((r) => r.workload === n.workload && r.mode === mode && !r.gil);
    if (n.serial_digest !== n.parallel_digest || n.serial_digest !== wasm("main").digest) {
      throw new Error(`native ${n.workload}: digests differ from each other or from the page's`);
    }
    result[n.workload] = {
      size: n.size,
      tasks: n.tasks,
      threads: n.threads,
      serial_ms: n.serial_ms,
      parallel_ms: n.parallel_ms,
      serial_runs_ms: n.serial_runs_ms,
      parallel_runs_ms: n.parallel_runs_ms,
      efficiency: pairedEfficiency(n.serial_runs_ms, n.parallel_runs_ms, n.threads),
      wasm_over_native: round2(wasm("main").wall_ms.median / n.serial_ms),
      ...(wasm("threads")
        ? { threads_over_native: round2(wasm("threads").wall_ms.median / n.parallel_ms) }
        : {}),
    };
  }
  return result;
}

/**
 * Runs `measure(job, workers)` for each CPU-bound workload that ran on the process pool (its
 * main-thread row `job`: size, tasks, digest), which resolves with each round's ms
 * {main: [], process: []}; returns each workload's medians, rounds and paired efficiency.
 */
async function inRounds(runs, measure) {
  const result = {};
  for (const job of runs.filter((r) => isBaseline(r) && isCpuBound(r.workload, r.scale))) {
    const pool = runs.find((r) => r.workload === job.workload && r.mode === "process");
    if (!pool) continue;
    const ms = await measure(job, pool.workers);
    result[job.workload] = {
      size: job.size,
      tasks: job.tasks,
      workers: pool.workers,
      main_ms: round2(median(ms.main)),
      process_ms: round2(median(ms.process)),
      runs_ms: { main: ms.main.map(round2), process: ms.process.map(round2) },
      efficiency: pairedEfficiency(ms.main, ms.process, pool.workers),
    };
  }
  return Object.keys(result).length > 0 ? result : null;
}

/**
 * The page's efficiency in rounds: each CPU-bound workload's task list (the runs' size and
 * tasks) in one page, pressing Run on the page's thread and then on the process pool, one
 * measured run each (after a warm-up press of each mode, with the page's warm-up run; later
 * presses without, as the pool stays warm), ROUNDS rounds, SETTLE_MS after each press. The
 * page's own series run each mode's repeats back to back, seconds apart from the other
 * mode's, and this VM's speed drifts between them; a round's two runs are seconds apart.
 * Digests are checked.
 */
async function pagePaired(runs) {
  return inRounds(runs, async (job) => {
    const query = `?workload=${job.workload}&size=${job.size}&tasks=${job.tasks}&mode=main&repeats=1&warmup=1`;
    const p = await openPlayground(browser, server.url, { query });
    await poolReady(p);
    say(
      `${job.workload}, paired through the page: a warm-up press + ${ROUNDS} rounds of main and process`,
    );
    const ms = { main: [], process: [] };
    for (let i = 0; i <= ROUNDS; i++) {
      if (i === 1) await p.uncheck("#warmup");
      for (const mode of ["main", "process"]) {
        await p.check(`input[name=mode][value=${mode}]`);
        const row = await clickAndWait(p, "#run", { timeout: 600_000, every: LOOK_MS });
        if (row.status !== "done" || row.mode !== mode || row.digest !== job.digest) {
          throw new Error(
            `${job.workload} ${mode}, paired: ${row.status}, ${row.mode}, digest ${row.digest}`,
          );
        }
        if (i > 0) ms[mode].push(Number(row.wallMs));
        await settle();
      }
    }
    await p.close();
    return ms;
  });
}

/**
 * The pool alone: each CPU-bound workload's task list (the runs' size and tasks) through the
 * page's own modes, called from a script in the page with no hooks, so nothing is drawn while
 * it runs: the page's loop on its thread and the process pool, a warm-up of each, then
 * ROUNDS rounds of both. Against the page's runs (the same modes with their live displays
 * and meter) it shows what drawing a run costs the workers on the same cores, which native
 * rayon never pays (docs/benchmarks.md). Digests are checked against the page's.
 */
async function poolAlone(runs) {
  return inRounds(runs, async (job, workers) => {
    const p = await openPlayground(browser, server.url);
    say(`${job.workload}, the pool alone: warm-up + ${ROUNDS} rounds of main and process`);
    const measured = await p.evaluate(
      async ({ workload, size, tasks, workers, repeats }) => {
        const { compileCore, instantiate } = await import("./www/engine/core.js");
        const { MainThreadMode, ProcessMode } = await import("./www/engine/modes.js");
        const { measure } = await import("./www/engine/measure.js");
        const module = await compileCore();
        const core = await instantiate(module);
        const settings = { ...core.defaultSettings(workload, workers), size, tasks, workers };
        const { specs, facts } = core.plan(settings);
        const modes = { main: new MainThreadMode(module, core), process: new ProcessMode(module) };
        await modes.process.prepare({ workers });
        const options = { chunksize: facts.chunksize, pipeline: !facts.sleeps, context: {} };
        const ms = { main: [], process: [] };
        const digests = new Set();
        try {
          for (let i = 0; i <= repeats; i++) {
            for (const [name, mode] of Object.entries(modes)) {
              const timed = await measure(() => mode.run(specs, options));
              if (timed.error) throw timed.error;
              const failed = timed.value.find((o) => o.error);
              if (failed) throw failed.error;
              digests.add(
                core.summarize(
                  settings,
                  timed.value.map((o) => o.value.partial),
                ).digest,
              );
              if (i > 0) ms[name].push(timed.ms);
            }
          }
        } finally {
          modes.process.pool.shutdown();
        }
        return { ms, digests: [...digests] };
      },
      { workload: job.workload, size: job.size, tasks: job.tasks, workers, repeats: ROUNDS },
    );
    await p.close();
    if (measured.digests.length !== 1 || measured.digests[0] !== job.digest) {
      throw new Error(`${job.workload}, the pool alone: digests ${measured.digests} ≠ the page's`);
    }
    return measured.ms;
  });
}

// CPython's own ProcessPoolExecutor on this machine (tools/bench_python.py), or why not.
function python(workers) {
  try {
    execFileSync("python3", ["--version"], { stdio: "ignore" });
  } catch {
    say("python: no python3 here; its column stays empty");
    return { note: "python3 was not found, so CPython was not measured" };
  }
  say(
    `python: the article's program at scale ${ARTICLE_SCALE}, ${OVERHEAD_TASKS.toLocaleString("en-US")} no-op tasks`,
  );
  const out = execFileSync(
    "python3",
    [
      new URL("bench_python.py", import.meta.url).pathname,
      "--scale",
      String(ARTICLE_SCALE),
      "--workers",
      String(workers),
      "--tasks",
      String(OVERHEAD_TASKS),
    ],
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  return JSON.parse(out.toString());
}

// Issue 22's CPython figures, from bench_python.py's report (null where not measured).
function cpythonFigures(py) {
  if (py.note) return { note: py.note };
  return {
    spawn_ms: py.first_results_ms?.spawn ?? null,
    forkserver_ms: py.first_results_ms?.forkserver ?? null,
    fork_ms: py.first_results_ms?.fork ?? null,
    per_task_us_chunksize1: py.per_task_us_chunksize1,
    article_overhead_ms: py.article_overhead_ms,
    article_scale: py.scale,
  };
}

// The Python panel, driven as a person would: the start-up program (tools/bench_startup.py,
// CPython's measures) --repeats times, the article's program as the editor holds it (after
// one warm-up run at 0.1), then the primes example ROUNDS times (the medians; its speed-up,
// the median of each run's own, loop and processes timed seconds apart). Before each
// run it waits until the panel's processes started ahead are ready, as a reader who reads
// the status would; their start-up, and every other, is read from the panel's status.
async function pyodide() {
  const page = await openPlayground(browser, server.url);
  await pythonReady(page);
  // Looking every LOOK_MS, not the tests' 50: the looks are the page's thread's work while
  // the processes compute (primes on the processes took 403 ms against 417, medians of 6).
  const run = async (options) => {
    await pythonProcessesReady(page);
    return runPython(page, { ...options, every: LOOK_MS });
  };
  const status = (key) =>
    page.evaluate((k) => document.getElementById("py-status").dataset[k] ?? null, key);
  const mainStartMs = Number(await status("mainStartMs"));
  say(`\nThe Python panel: tools/bench_startup.py, ${repeats} times`);
  const source = readFileSync(new URL("bench_startup.py", import.meta.url), "utf8");
  const firsts = [];
  const perTask = [];
  const laterStarts = [];
  for (let i = 0; i < repeats; i++) {
    const text = (await run({ source, scale: "1" })).lines.map((l) => l.text).join("\n");
    firsts.push(Number(/first results: ([\d.]+) ms/.exec(text)?.[1]));
    perTask.push(Number(/per task at chunksize 1: ([\d.]+) us/.exec(text)?.[1]));
    laterStarts.push(...JSON.parse((await status("startsMs")) ?? "[]"));
    say(`  first results ${firsts.at(-1)} ms, per task ${perTask.at(-1)} µs`);
  }
  await page.selectOption("#py-example", "article");
  await page.waitForFunction(() =>
    document.getElementById("py-source").value.includes("do_something"),
  );
  say(`The Python panel: the article's program at scale ${ARTICLE_SCALE} (a warm-up at 0.1 first)`);
  await run({ scale: "0.1" });
  const article = await run({ scale: String(ARTICLE_SCALE) });
  const finished = article.lines.find((l) => l.text.startsWith("Finished in"))?.text ?? "";
  const wallS = Number(/Finished in ([\d.]+)/.exec(finished)?.[1]);
  const starts = await page.evaluate(() =>
    JSON.parse(document.getElementById("py-status").dataset.startsMs ?? "[]"),
  );
  say(`  ${finished}; interpreters started in ${starts.map(Math.round).join(", ")} ms`);
  say(`The Python panel: primes.py (a plain loop, then the processes), ${ROUNDS} times`);
  await page.selectOption("#py-example", "primes");
  await page.waitForFunction(() =>
    document.getElementById("py-source").value.includes("count_primes"),
  );
  // The example as it is, but its times printed to 0.1 ms instead of 10 ms: 10 ms is 2.5% of
  // the processes' time, more than the speed-up's distance from its target.
  const example = await page.inputValue("#py-source");
  if (!example.includes(":.2f} s")) throw new Error("primes.py no longer prints its times as :.2f");
  await page.fill("#py-source", example.replaceAll(":.2f} s", ":.4f} s"));
  const loops = [];
  const pools = [];
  // Each run times its loop and its processes seconds apart: a pair, as the rounds above.
  for (let i = 0; i < ROUNDS; i++) {
    const primes = await run({ scale: "1" });
    const text = primes.lines.map((l) => l.text).join("\n");
    const ms = (pattern) => Math.round(Number(pattern.exec(text)?.[1]) * 10_000) / 10;
    loops.push(ms(/A plain loop: .* in ([\d.]+) s/));
    pools.push(ms(/\d+ processes: .* in ([\d.]+) s/));
    say(`  loop ${loops.at(-1)} ms, processes ${pools.at(-1)} ms`);
  }
  await page.close();
  const runtime = readdirSync(new URL("../dist/pyodide/", import.meta.url)).map((name) =>
    readFileSync(new URL(`../dist/pyodide/${name}`, import.meta.url)),
  );
  return {
    article_wall_s: wallS,
    article_overhead_ms: Math.round((wallS - 12 * ARTICLE_SCALE) * 1000),
    article_scale: ARTICLE_SCALE,
    interpreter_start_ms: Math.round(median(starts)),
    interpreter_start_all_ms: starts.map(Math.round),
    interpreter_start_first_ms: Math.round(mainStartMs),
    interpreter_start_later_ms: Math.round(median([...laterStarts, ...starts])),
    executor_first_result_ms: round2(median(firsts)),
    executor_first_result_runs_ms: firsts,
    per_task_us_chunksize1: round2(median(perTask)),
    workers: starts.length,
    primes_serial_ms: Math.round(median(loops)),
    primes_pool_ms: Math.round(median(pools)),
    primes_speedup: round2(medianRatio(loops, pools)),
    primes_runs: loops.map((loop, i) => ({
      serial_ms: loop,
      pool_ms: pools[i],
      speedup: round2(loop / pools[i]),
    })),
    runtime_bytes: runtime.reduce((n, b) => n + b.length, 0),
    runtime_gzip_bytes: runtime.reduce((n, b) => n + gzipSync(b).length, 0),
  };
}

/** The median of each round's efficiency: `serial[i]` against `parallel[i]` on `n` workers. */
function pairedEfficiency(serial, parallel, n) {
  return Math.round(1000 * efficiencyOf(medianRatio(serial, parallel), n)) / 1000;
}

/** The median of each round's own ratio, `a[i] / b[i]`: the two taken seconds apart. */
function medianRatio(a, b) {
  return median(a.map((x, i) => x / b[i]));
}

/** The median of `xs` in any order: the page's own rule (runs.js). */
function median(xs) {
  return medianOfSorted([...xs].sort((a, b) => a - b));
}

function round2(x) {
  return Math.round(x * 100) / 100;
}

// What a first visit downloads before anything runs: every distinct file the page and its
// pool's workers fetch, raw and gzipped (as most static hosts serve them), read from dist/
// (a response's body can be gone by the time it is asked for). The service worker's offline
// copy of the whole build, which it fetches in the background afterwards, counts apart.
async function pageWeight() {
  const context = await browser.playwright.newContext();
  const paths = { page: new Set(), offline: new Set() };
  context.on("requestfinished", async (request) => {
    // A worker that closes meanwhile takes its response with it (it crashed the bench once).
    const response = await request.response().catch(() => null);
    if (response?.status() !== 200) return;
    const path = new URL(request.url()).pathname.replace(/\/$/, "/index.html");
    (request.serviceWorker() ? paths.offline : paths.page).add(path);
  });
  const p = await context.newPage();
  await p.goto(server.url);
  await p.waitForSelector("html[data-ready=true]");
  await poolReady(p);
  await p.waitForTimeout(1000);
  await context.close();
  const weigh = (set) => {
    const bodies = [...set].map((path) => readFileSync(new URL(`../dist${path}`, import.meta.url)));
    return {
      files: bodies.length,
      bytes: bodies.reduce((n, b) => n + b.length, 0),
      gzip_bytes: bodies.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0),
    };
  };
  const page = weigh(paths.page);
  const offline = weigh(new Set([...paths.offline].filter((path) => !paths.page.has(path))));
  return {
    requests: page.files,
    first_load_bytes: page.bytes,
    first_load_gzip_bytes: page.gzip_bytes,
    offline_copy_extra_bytes: offline.bytes,
    offline_copy_extra_gzip_bytes: offline.gzip_bytes,
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
    { timeout: 1_800_000, every: LOOK_MS },
  );
  const status = await p.textContent("#sweep-status");
  if (!status.startsWith("Done")) throw new Error(status);
  const rows = await p.$$eval("#sweep-table tbody tr", (trs) =>
    trs.map((r) => ({
      mode: r.dataset.mode,
      workers: Number(r.dataset.workers),
      median_ms: Number(r.dataset.ms),
      speedup: Number(r.dataset.speedup),
    })),
  );
  // In Node, not in the page: series.js is this script's import, not a global of the page.
  const points = rows.map((r) => ({ ...r, efficiency: efficiencyOf(r.speedup, r.workers) }));
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

// Issue 12's targets, each with what this run measured (null where a part did not run).
function targets(report) {
  const { list, add } = targetList();
  const o = report.overhead;
  const p = report.peers;
  if (o && p) {
    add(
      "per-task overhead, chunksize 1, vs workerpool",
      `${o.per_task_us_chunksize1} µs vs ${p.workerpool_per_task_us} µs`,
      "≤ ½ of workerpool's",
      o.per_task_us_chunksize1 <= p.workerpool_per_task_us / 2,
    );
    // Judged on the paired rounds (pairedEcho) where they ran; the series' medians beside.
    const paired = p.paired_echo;
    add(
      "per-task overhead, chunksize 1, vs queued postMessage",
      `${o.per_task_us_chunksize1} µs vs ${p.postmessage_queued_per_task_us} µs${paired ? `; paired, ${median(paired.ours_us)} vs ${median(paired.echo_us)} µs, ${paired.ours_over_echo}× (median of ${paired.rounds} rounds' own)` : ""}`,
      "≤ 1.1×",
      paired
        ? paired.ours_over_echo <= 1.1
        : o.per_task_us_chunksize1 <= 1.1 * p.postmessage_queued_per_task_us,
    );
  }
  for (const workload of ["primes", "mandelbrot"]) {
    const main = report.runs.find((r) => r.workload === workload && isBaseline(r));
    for (const mode of ["process", "threads"]) {
      const r = report.runs.find((x) => x.workload === workload && x.mode === mode && !x.gil);
      if (!main || !r) continue;
      const efficiency = efficiencyOf(main.wall_ms.median / r.wall_ms.median, r.workers);
      add(
        `${mode} efficiency, ${workload}, ${r.workers} workers`,
        `${(100 * efficiency).toFixed(1)}%`,
        "≥ 95%",
        efficiency >= 0.95,
      );
    }
  }
  for (const [workload, n] of Object.entries(report.native ?? {})) {
    add(
      `wasm ÷ native, ${workload}, one thread`,
      `${n.wasm_over_native}×`,
      "≤ 1.15×",
      n.wasm_over_native <= 1.15,
    );
  }
  const st = report.startup;
  if (st) {
    const ratio = st.pool_cold_ms / st.one_worker_cold_ms;
    add(
      `pool cold start, ${st.workers} workers vs one`,
      `${st.pool_cold_ms} ms vs ${st.one_worker_cold_ms} ms (${ratio.toFixed(2)}×)`,
      "≤ 1.5×",
      ratio <= 1.5,
    );
  }
  if (report.article) {
    add(
      `article overhead at scale ${report.article.scale}`,
      `${report.article.overhead_ms} ms`,
      "≤ 10 ms",
      report.article.overhead_ms <= 10,
    );
  }
  const gz = report.page.first_load_gzip_bytes;
  add(
    "first load, gzipped",
    `${gz.toLocaleString("en-US")} bytes`,
    "≤ 150,000 bytes",
    gz <= 150_000,
  );
  return list;
}

/** A list of targets, and add(figure, measured, target, met) (met: null if not measured). */
function targetList() {
  const list = [];
  const add = (figure, measured, target, met) =>
    list.push({ figure, measured, target, met: measured == null ? null : met });
  return { list, add };
}

// Issue 22's targets: the Python panel against CPython measured in this same run, and the
// pool's efficiency against native rayon's on the same kernels.
function targetsIssue22(report) {
  const { list, add } = targetList();
  const cp = report.cpython;
  const pz = report.pyodide;
  if (cp?.spawn_ms != null && pz) {
    add(
      `Python executor of ${pz.workers} processes, to first results, vs CPython's spawn`,
      `${pz.executor_first_result_ms} ms vs ${cp.spawn_ms} ms`,
      "≤ 2×",
      pz.executor_first_result_ms <= 2 * cp.spawn_ms,
    );
  }
  if (pz) {
    add(
      `Python article overhead over the longest sleep, at scale ${pz.article_scale}`,
      `${pz.article_overhead_ms} ms`,
      "≤ 300 ms at scale 1",
      pz.article_scale === 1 ? pz.article_overhead_ms <= 300 : null,
    );
    add(
      `Python pure primes on ${pz.workers} processes vs the loop`,
      `${pz.primes_speedup}×`,
      "≥ 1.8×",
      pz.primes_speedup >= 1.8,
    );
  }
  if (cp?.per_task_us_chunksize1 != null && pz) {
    add(
      "Python per-task overhead, chunksize 1, vs CPython's ProcessPoolExecutor",
      `${pz.per_task_us_chunksize1} µs vs ${cp.per_task_us_chunksize1} µs`,
      "≤ 1×",
      pz.per_task_us_chunksize1 <= cp.per_task_us_chunksize1,
    );
  }
  // The pool's per-task targets are issue 12's, and printed with them.
  for (const [workload, n] of Object.entries(report.native ?? {})) {
    const main = report.runs.find((r) => r.workload === workload && isBaseline(r));
    const pool = report.runs.find((r) => r.workload === workload && r.mode === "process");
    if (!main || !pool || !n.parallel_ms) continue;
    const series = efficiencyOf(main.wall_ms.median / pool.wall_ms.median, pool.workers);
    const rayon = n.efficiency;
    // Judged on the paired rounds through the page (pagePaired) where they ran, as rayon's
    // are paired; the page's two series' figure beside.
    const paired = report.page_paired?.[workload];
    const ours = paired ? paired.efficiency : series;
    const pct = (x) => `${(100 * x).toFixed(1)}%`;
    add(
      `Rust pool efficiency, ${workload}, ${pool.workers} workers, vs native rayon's`,
      paired
        ? `${pct(ours)} (${paired.runs_ms.main.length} paired rounds; the series ${pct(series)}) vs ${pct(rayon)}`
        : `${pct(ours)} vs ${pct(rayon)}`,
      "≥ 0.97×",
      ours >= 0.97 * rayon,
    );
    // The same, with nothing drawn while it runs (poolAlone): the pool's own share.
    const alone = report.pool_alone?.[workload];
    if (alone) {
      add(
        `Rust pool efficiency, ${workload}, ${alone.workers} workers, the pool alone (nothing drawn), vs native rayon's`,
        `${(100 * alone.efficiency).toFixed(1)}% vs ${(100 * rayon).toFixed(1)}%`,
        "≥ 0.97×",
        alone.efficiency >= 0.97 * rayon,
      );
    }
  }
  return list;
}

/** The benchmark's report, as a person reads it. */
function printTable(report) {
  printFigures(report);
  printRuns(report);
  printSweep(report);
  printTargets(report);
}

// A declaration, not a const: printTable runs from the top-level code above this line.
function out(s = "") {
  process.stdout.write(`${s}\n`);
}

/** The one-line figures: the browser, the article, the page's weight, overheads, peers. */
function printFigures(report) {
  out(
    `${report.browser}, ${report.hardwareConcurrency} reported CPUs, cross-origin isolated: ${report.crossOriginIsolated}`,
  );

  if (report.article) {
    out();
    for (const line of report.article.lines) out(line);
    out(
      `(article at scale ${report.article.scale} on ${report.article.workers} workers: ${report.article.overhead_ms} ms beyond the longest sleep)`,
    );
  }
  out(
    `First load: ${report.page.requests} files, ${report.page.first_load_bytes.toLocaleString("en-US")} bytes, ${report.page.first_load_gzip_bytes.toLocaleString("en-US")} gzipped; the offline copy fetches ${report.page.offline_copy_extra_gzip_bytes.toLocaleString("en-US")} more gzipped bytes afterwards`,
  );
  const o = report.overhead;
  if (o) {
    out();
    out(
      `Per-task overhead, ${o.tasks.toLocaleString("en-US")} tiny tasks on ${o.workers} workers: ${o.per_task_us_chunksize1} µs a task at chunksize 1, ${o.per_task_us_auto} µs at chunksize auto (${o.auto_chunksize}); the work alone on the page's thread: ${o.main_per_task_us} µs`,
    );
  }
  const p = report.peers;
  if (p) {
    out(
      `Peers, same browser, ${p.tasks.toLocaleString("en-US")} no-op tasks on ${p.workers} workers: workerpool ${p.workerpool_version} ${p.workerpool_per_task_us} µs; postMessage echo ${p.postmessage_per_task_us} µs one in flight, ${p.postmessage_queued_per_task_us} µs all queued${p.paired_echo ? `; the page against the queued echo in ${p.paired_echo.rounds} paired rounds ${p.paired_echo.ours_over_echo}× (the page ${p.paired_echo.ours_us.join(", ")} µs; the echo ${p.paired_echo.echo_us.join(", ")} µs)` : ""}`,
    );
  }
  const py = report.python;
  if (py?.note) out(`Python: ${py.note}`);
  else if (py) {
    out(
      `Python ${py.version} ProcessPoolExecutor, ${py.workers} workers: article at scale ${py.scale} ${py.article_wall_s} s (${py.article_overhead_ms} ms beyond the longest sleep); no-op tasks ${py.per_task_us_chunksize1} µs at chunksize 1, ${py.per_task_us_chunked} µs at chunksize ${py.chunksize_chunked}; an executor of ${py.workers} to its first results: ${Object.entries(
        py.first_results_ms ?? {},
      )
        .map(([m, ms]) => `${m} ${ms} ms`)
        .join(", ")} (medians)`,
    );
  }
  const pz = report.pyodide;
  if (pz) {
    out(
      `Python panel (Pyodide, ${pz.workers} processes): the article at scale ${pz.article_scale} ${pz.article_wall_s} s (${pz.article_overhead_ms} ms beyond the longest sleep); interpreters start in ${pz.interpreter_start_first_ms} ms the first time, ${pz.interpreter_start_later_ms} ms later (median; the processes start ahead of their executor); an executor of ${pz.workers} has its first results in ${pz.executor_first_result_ms} ms; a task at chunksize 1 costs ${pz.per_task_us_chunksize1} µs; pure-Python primes ${pz.primes_serial_ms} ms in a loop, ${pz.primes_pool_ms} ms on the processes (medians of ${pz.primes_runs.length}; ${pz.primes_speedup}×, the median of each run's own); runtime ${pz.runtime_bytes.toLocaleString("en-US")} bytes, ${pz.runtime_gzip_bytes.toLocaleString("en-US")} gzipped`,
    );
  }
  if (report.startup) {
    const st = report.startup;
    out(
      `Pool cold start (fetch, compile, spawn, instantiate): 1 worker ${st.one_worker_cold_ms} ms, ${st.workers} workers ${st.pool_cold_ms} ms`,
    );
  }
  for (const [w, n] of Object.entries(report.native ?? {})) {
    out(
      `Native ${w}: serial ${n.serial_ms} ms, ${n.threads} threads ${n.parallel_ms} ms (medians of ${n.serial_runs_ms.length} rounds; efficiency ${(100 * n.efficiency).toFixed(1)}%, the rounds' median); the page's main thread ÷ native serial ${n.wasm_over_native}×${n.threads_over_native ? `, thread pool ÷ native threads ${n.threads_over_native}×` : ""}`,
    );
  }
  for (const [w, a] of Object.entries(report.page_paired ?? {})) {
    out(
      `Through the page in rounds, ${w} (${a.runs_ms.process.length} rounds of one run each): main thread ${a.main_ms} ms, ${a.workers} workers ${a.process_ms} ms (medians), efficiency ${(100 * a.efficiency).toFixed(1)}% (the rounds' median)`,
    );
  }
  for (const [w, a] of Object.entries(report.pool_alone ?? {})) {
    out(
      `The pool alone, ${w} (nothing drawn; ${a.runs_ms.process.length} rounds): main thread ${a.main_ms} ms, ${a.workers} workers ${a.process_ms} ms (medians), efficiency ${(100 * a.efficiency).toFixed(1)}% (the rounds' median)`,
    );
  }
  const split = report.runs.filter((r) => r.cpu?.window_ms > 0);
  if (split.length > 0) {
    out();
    out("Where the CPU went during the pools' runs (every Chromium thread, from /proc):");
  }
  for (const r of split) {
    const c = r.cpu;
    const of = (ms) => `${Math.round((100 * ms) / (c.cores * c.window_ms))}%`;
    out(
      `  ${r.workload} ${r.mode}: ${c.cores} cores × ${(c.window_ms / 1000).toFixed(2)} s: workers ${of(c.workers_ms)}, the page's thread ${of(c.page_ms)}, painting ${of(c.painting_ms)}, the rest of the browser ${of(c.other_ms)}, idle ${of(c.idle_ms)} (the reading itself: ${Math.round(100 * c.sampler_share)}% of the cores)`,
    );
  }
}

/** The runs' table: every workload and mode, with its speedup over the main thread. */
function printRuns(report) {
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
    const main = report.runs.find((m) => m.workload === r.workload && isBaseline(m));
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
}

/** The sweep's points and Amdahl fits. */
function printSweep(report) {
  if (!report.sweep) return;
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

/** Each target, met or not. */
function printTargets(report) {
  for (const [title, list] of [
    ["Targets (issue 12):", report.targets],
    ["Targets (issue 22):", report.targets_issue22],
  ]) {
    out();
    out(title);
    for (const t of list) {
      const mark = t.met == null ? "not measured" : t.met ? "met" : "NOT met";
      out(`  ${mark.padEnd(12)} ${t.figure}: ${t.measured} (target ${t.target})`);
    }
  }
}
