// Seeing why: timelines of measured runs, the method behind each number, the sweep and its
// Amdahl fit, the responsiveness meter, and results that can be shared.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ENGINE,
  usePlayground,
  poolReady,
  fill,
  clickAndWait,
  logLines,
  needsPlaywright,
  offered,
  readTrace,
} from "./helpers.mjs";

const env = usePlayground();

/** The drawn timeline: lanes and, per lane, its bars' [from, to] in order. */
function timeline(page) {
  return page.$eval("#timeline", (root) => {
    const lanes = root.querySelectorAll("rect.lane").length;
    const bars = [...root.querySelectorAll("g.bar")].map((g) => ({
      task: Number(g.dataset.task),
      lane: g.dataset.lane,
      from: Number(g.dataset.from),
      to: Number(g.dataset.to),
    }));
    return { lanes, bars };
  });
}

/**
 * `tick`: the clock's resolution in ms as the page measured it (Chromium 0.005, WebKit 0.02):
 * two readings on one worker may be one tick out of order, and bars are rounded to 0.01 ms.
 */
function assertOneBarPerTaskNoOverlap({ bars }, tasks, tick) {
  assert.deepEqual(
    bars.map((b) => b.task).sort((a, b) => a - b),
    Array.from({ length: tasks }, (_, i) => i),
    "one bar per task",
  );
  const byLane = new Map();
  for (const b of bars) byLane.set(b.lane, [...(byLane.get(b.lane) ?? []), b]);
  for (const [lane, list] of byLane) {
    list.sort((a, b) => a.from - b.from);
    for (let k = 1; k < list.length; k++) {
      assert.ok(
        list[k].from >= list[k - 1].to - (tick + 0.01),
        `lane ${lane}: task ${list[k].task} starts at ${list[k].from} before task ${list[k - 1].task} ends at ${list[k - 1].to}`,
      );
    }
  }
  return byLane;
}

for (const [mode, workers] of [
  ["process", 3],
  ["threads", 2],
  ["main", 1],
]) {
  test(`${mode}: the timeline has one lane per ${mode === "main" ? "thread" : "worker"} and one bar per task, never overlapping`, async () => {
    const page = await env.open();
    await poolReady(page);
    await fill(page, { workload: "primes", size: 400000, tasks: 40, workers, mode, repeats: 2 });
    const run = await clickAndWait(page);
    assert.equal(run.status, "done");
    const drawn = await timeline(page);
    assert.equal(drawn.lanes, workers);
    const { timerResolutionMs } = JSON.parse(await page.getAttribute("#caps", "data-json"));
    const byLane = assertOneBarPerTaskNoOverlap(drawn, 40, timerResolutionMs);
    assert.ok(byLane.size <= workers);
    if (mode === "process")
      assert.ok(byLane.size >= 2, "dynamic dispatch used more than one worker");

    // The numbers behind each bar, by keyboard.
    await page.focus("#timeline");
    await page.press("ArrowRight");
    assert.match(await page.textContent("#timeline-tip"), /^Task 1 on (w|t)?\d*|^Task 1 on main/);
    assert.match(await page.textContent("#timeline-tip"), /computing \d+\.\d ms/);
    // The method behind the number: median of the repeats, after a warm-up.
    assert.match(
      await page.textContent("#method"),
      /^Median of 2 runs \(fastest \d+\.\d\d s, slowest \d+\.\d\d s\), after a warm-up run of/,
    );
    await page.close();
  });
}

test("the page's own work during a pool run is measured and drawn under the lanes; a main-thread run has none", async () => {
  const page = await env.open({ query: "?workload=tiny&size=500&tasks=500&workers=2&repeats=1" });
  await poolReady(page);
  await clickAndWait(page, "#compare", { runs: 2 });
  const strip = await page.evaluate(() => ({
    lane: document.querySelectorAll("#timeline rect.page-lane").length,
    busy: document.querySelectorAll("#timeline rect.page-busy").length,
    legend: document.querySelector("#timeline .legend").textContent,
  }));
  assert.equal(strip.lane, 1);
  assert.ok(strip.busy >= 1);
  assert.match(strip.legend, /the page's own JavaScript/);
  assert.match(
    await page.textContent("#explain"),
    /The page's own thread ran [\d,]+ ms of JavaScript for the run \(handing out tasks, taking results, redrawing: \d+% of the run's time\)/,
  );
  await fill(page, { mode: "main" });
  await clickAndWait(page);
  assert.equal(await page.count("#timeline rect.page-lane"), 0);
  await page.close();
});

test("a cold pool's timeline shows each worker starting before the first task", async () => {
  const page = await env.open({
    query: "?workload=primes&size=200000&tasks=8&workers=2&repeats=1&warmup=0",
  });
  await poolReady(page);
  // A new pool size needs a new pool: this run starts it.
  await fill(page, { workers: 3 });
  const run = await clickAndWait(page);

  assert.equal(run.status, "done");
  const starts = await page.$$eval("#timeline rect.ph-start", (r) => r.length);
  assert.equal(starts, 3);
  assert.match(await page.textContent("#method"), /Starting the pool took \d+ ms, not counted/);
  await page.close();
});

test("the meter records long tasks when the main thread computes for over a second", async () => {
  const page = await env.open({
    query: "?workload=primes&size=16000000&mode=main&repeats=1&warmup=0",
  });
  await poolReady(page);
  const run = await clickAndWait(page);
  assert.ok(Number(run.wallMs) > 1000, `the run took only ${run.wallMs} ms`);
  assert.ok(Number(run.longTasks) >= 1, "a second-long freeze is a long task");
  assert.match(await page.textContent("#meter"), /long tasks? \(longest [\d,]+ ms\)/);
  assert.match(await page.textContent("#explain"), /the page could not paint or react for/);
  await page.close();
});

test("the meter reads the page's frame rate in bursts, not by asking for every frame", async () => {
  const page = await env.open({
    query: "?workload=primes&size=16000000&tasks=64&mode=process&repeats=1&warmup=0",
  });
  await poolReady(page);
  // Every frame the page asks for during the run: the meter's bursts and the run's own
  // wait for a paint before it starts (two frames).
  await page.evaluate(() => {
    const ask = window.requestAnimationFrame.bind(window);
    window.ppFramesAsked = 0;
    window.requestAnimationFrame = (callback) => (window.ppFramesAsked++, ask(callback));
  });
  const run = await clickAndWait(page);
  const asked = await page.evaluate(() => window.ppFramesAsked);
  assert.equal(run.status, "done");
  const wall = Number(run.wallMs);
  // At most a burst of 4 frames every 500 ms the meter runs (the run, and a little either
  // side), and 2 for the wait: asking for every frame would be about 60 a second.
  const most = 4 * (Math.ceil(wall / 500) + 2) + 2;
  assert.ok(asked <= most, `${asked} frames asked for in a run of ${wall} ms (at most ${most})`);
  const fps = Number(/(\d+) fps/.exec(await page.textContent("#meter"))?.[1]);
  assert.ok(fps > 0, "the page drew frames while the pool computed");
  await page.close();
});

test("the sweep measures every worker count, fits a serial fraction in [0, 1], and gives each point's Karp–Flatt fraction", async () => {
  const page = await env.open({ query: "?workload=primes&size=300000&tasks=16&repeats=1" });
  await poolReady(page);
  await page.click("#sweep-run");
  await page.waitForFunction(
    () => /^(Done|The sweep stopped)/.test(document.querySelector("#sweep-status").textContent),
    null,
    { timeout: 120_000 },
  );
  assert.match(await page.textContent("#sweep-status"), /^Done/);
  const cpus = await page.evaluate(() => navigator.hardwareConcurrency);
  const counts = Array.from({ length: Math.min(64, Math.max(2, 2 * cpus)) }, (_, i) => i + 1);
  const points = await page.$$eval("#sweep-table tbody tr", (rows) =>
    rows.map((r) => ({
      mode: r.dataset.mode,
      workers: Number(r.dataset.workers),
      speedup: Number(r.dataset.speedup),
      karpFlatt: r.cells[6].textContent,
      digest: r.dataset.digest,
    })),
  );
  // Every point computed the main thread's answer.
  const { digest } = JSON.parse(await page.getAttribute("#sweep-summary", "data-json"));
  assert.match(digest, /^[0-9a-f]{16}$/);
  assert.deepEqual(
    points.filter((p) => p.digest !== digest),
    [],
  );
  for (const kind of ["process", "threads"]) {
    assert.deepEqual(
      points.filter((p) => p.mode === kind).map((p) => p.workers),
      counts,
      `${kind}: a point per worker count`,
    );
  }
  assert.ok(points.every((p) => p.speedup > 0));
  // Each point's Karp–Flatt serial fraction is the one its own speedup implies (none at 1):
  // shown to 0.1%, from the speedup the row keeps to 4 decimals (±0.00005), which moves it by
  // at most 100 × 0.00005 / S² / (1 − 1/n) points.
  for (const { workers: n, speedup, karpFlatt } of points) {
    if (n === 1) assert.equal(karpFlatt, "–");
    else {
      const e = (100 * (1 / speedup - 1 / n)) / (1 - 1 / n);
      const tolerance = 0.05 + (100 * 0.00005) / (speedup - 0.00005) ** 2 / (1 - 1 / n) + 1e-9;
      assert.match(karpFlatt, /^-?\d+\.\d%$/);
      assert.ok(Math.abs(Number.parseFloat(karpFlatt) - e) <= tolerance, `${karpFlatt} vs ${e}`);
    }
  }
  const { fits } = JSON.parse(await page.getAttribute("#sweep-summary", "data-json"));
  for (const kind of ["process", "threads"]) {
    const s = fits[kind].serial_fraction;
    assert.ok(s >= 0 && s <= 1, `${kind}: serial fraction ${s}`);
    assert.ok(fits[kind].measured_cores >= 1 && fits[kind].measured_cores <= counts.length);
  }
  // Reported and measured cores side by side in "Your machine".
  const measured = await page.getAttribute("#cpu-measured", "data-cores");
  assert.equal(Number(measured), fits.process.measured_cores);
  assert.match(
    await page.textContent("#cpu-measured-label"),
    /^cores measured by the sweep: the process pool's speedup levels off at \d+ workers? \((as reported|the browser reports \d+)\)$/,
  );
  assert.equal(await page.count("#sweep-charts svg"), 2);
  assert.match(await page.textContent("#sweep-summary"), /serial fraction of \d+\.\d%/);
  assert.match(
    await page.textContent("#sweep-summary"),
    /Karp–Flatt's serial fraction of each point: -?\d+\.\d% at 2[,.;]/,
  );
  await page.close();
});

test("a weak sweep gives n workers n× the tasks, and its scaled speedups and Gustafson's fit agree with its times", async () => {
  const page = await env.open({ query: "?workload=primes&size=200000&tasks=8&repeats=1" });
  await poolReady(page);
  await page.check("input[name=scaling][value=weak]");
  await page.click("#sweep-run");
  await page.waitForFunction(
    () => /^(Done|The sweep stopped)/.test(document.querySelector("#sweep-status").textContent),
    null,
    { timeout: 120_000 },
  );
  assert.match(
    await page.textContent("#sweep-status"),
    /^Done: \d+ points \(weak scaling, n× the tasks on n workers\)/,
  );
  const headers = await page.$$eval("#sweep-table thead th", (ths) =>
    ths.map((th) => th.textContent),
  );
  assert.deepEqual(headers, [
    "Mode",
    "Workers",
    "Tasks",
    "Median (s)",
    "Scaled speedup",
    "Efficiency",
    "Gustafson",
    "Serial fraction",
  ]);
  const { baselineMs, fits, scaling, digest } = JSON.parse(
    await page.getAttribute("#sweep-summary", "data-json"),
  );
  assert.equal(scaling, "weak");
  const points = await page.$$eval("#sweep-table tbody tr", (rows) =>
    rows.map((r) => ({
      mode: r.dataset.mode,
      workers: Number(r.dataset.workers),
      tasks: Number(r.dataset.tasks),
      ms: Number(r.dataset.ms),
      speedup: Number(r.dataset.speedup),
      serial: r.cells[7].textContent,
      digest: r.dataset.digest,
    })),
  );
  // Every copy of the task list, at every point, computed the main thread's answer.
  assert.match(digest, /^[0-9a-f]{16}$/);
  assert.deepEqual(
    points.filter((p) => p.digest !== digest),
    [],
  );
  const cpus = await page.evaluate(() => navigator.hardwareConcurrency);
  const counts = Array.from({ length: Math.min(64, Math.max(2, 2 * cpus)) }, (_, i) => i + 1);
  for (const kind of ["process", "threads"]) {
    const mine = points.filter((p) => p.mode === kind);
    assert.deepEqual(
      mine.map((p) => p.workers),
      counts,
    );
    // n workers, n× the 8 tasks.
    assert.deepEqual(
      mine.map((p) => p.tasks),
      counts.map((n) => 8 * n),
    );
    const s = fits[kind].serial_fraction;
    assert.ok(s >= 0 && s <= 1, `${kind}: serial fraction ${s}`);
  }
  for (const { workers: n, ms, speedup, serial } of points) {
    // The scaled speedup is n × T₁ / Tₙ of the times shown (kept to 3 decimals of a ms).
    const expected = (n * baselineMs) / ms;
    assert.ok(Math.abs(speedup - expected) <= 1e-4 + expected * 1e-5, `${speedup} vs ${expected}`);
    if (n === 1) assert.equal(serial, "–");
    else {
      // Gustafson's serial fraction of the point, shown to 0.1%, from the speedup the row keeps
      // to 4 decimals (moves it at most 100 × 0.00005 / (n − 1) points).
      const e = (100 * (n - speedup)) / (n - 1);
      assert.match(serial, /^-?\d+\.\d%$/);
      assert.ok(
        Math.abs(Number.parseFloat(serial) - e) <= 0.05 + 0.005 + 1e-9,
        `${serial} vs ${e}`,
      );
    }
  }
  assert.deepEqual(
    await page.$$eval("#sweep-charts .chart-title", (ts) => ts.map((t) => t.textContent)),
    ["Time for n× the work (s)", "Scaled speedup (n × T₁ ÷ Tₙ)"],
  );
  const summary = await page.textContent("#sweep-summary");
  assert.match(summary, /^Weak scaling: n workers ran n× the main thread's 8 tasks/);
  assert.match(summary, /Gustafson's law fits a serial fraction of \d+\.\d%/);
  assert.match(summary, /Gustafson's serial fraction of each point: -?\d+\.\d% at 2[,.;]/);
  // Back to strong scaling: the table takes its own columns again.
  await page.check("input[name=scaling][value=strong]");
  await page.click("#sweep-run");
  await page.waitForFunction(
    () =>
      /^(Done: \d+ points \(strong|The sweep stopped)/.test(
        document.querySelector("#sweep-status").textContent,
      ),
    null,
    { timeout: 120_000 },
  );
  assert.match(await page.textContent("#sweep-status"), /^Done: \d+ points \(strong scaling\)/);
  assert.equal(await page.textContent("#sweep-table thead th:nth-child(3)"), "Median (s)");
  await page.close();
});

test("every setting lives in the URL: a reload brings them all back", async () => {
  const page = await env.open();
  await poolReady(page);
  await fill(page, {
    workload: "mandelbrot",
    size: 500,
    tasks: 9,
    chunksize: 2,
    workers: 3,
    mode: "threads",
    repeats: 4,
    fail: 2,
  });
  await page.check("#gil");
  await page.uncheck("#warmup");
  await page.check('input[name=scale][value="0.1"]');
  const before = await page.evaluate(() => location.search);
  for (const part of [
    "workload=mandelbrot",
    "size=500",
    "tasks=9",
    "chunksize=2",
    "mode=threads",
    "workers=3",
    "gil=1",
    "scale=0.1",
    "repeats=4",
    "warmup=0",
    "fail=2",
  ]) {
    assert.ok(before.includes(part), `${part} in ${before}`);
  }
  await page.reload();
  await page.waitForSelector("html[data-ready=true]");
  const fields = await page.evaluate(() => {
    const f = document.querySelector("#controls").elements;
    return {
      workload: f.workload.value,
      size: f.size.value,
      tasks: f.tasks.value,
      chunksize: f.chunksize.value,
      workers: f.workers.value,
      mode: f.mode.value,
      gil: f.gil.checked,
      repeats: f.repeats.value,
      warmup: f.warmup.checked,
      scale: f.scale.value,
      fail: f.fail.value,
    };
  });
  assert.deepEqual(fields, {
    workload: "mandelbrot",
    size: "500",
    tasks: "9",
    chunksize: "2",
    workers: "3",
    mode: "threads",
    gil: true,
    repeats: "4",
    warmup: false,
    scale: "0.1",
    fail: "2",
  });
  assert.equal(await page.evaluate(() => location.search), before);
  await page.close();
});

test("results can be copied as Markdown and downloaded as JSON, CSV and a profiler's trace that match the run shown", async () => {
  const page = await env.open({ query: "?workload=primes&size=200000&tasks=12&repeats=2" });
  // Only Chromium lets a test read the clipboard back (Firefox over BiDi cannot grant
  // clipboard-read); elsewhere only the page's own report of the copy is checked.
  const readable = ENGINE === "chromium";
  if (readable) await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await poolReady(page);
  const main = await clickAndWait(page, "#compare", { runs: 2 });
  // The log shows the last run's time; it says the headline is a median, not that run.
  assert.match(
    (await logLines(page)).at(-1),
    /^Finished in \d+\.\d\d second\(s\) \(run 2 of 2; the result above is the median of all 2\)$/,
  );
  const rows = await page.$$eval("#history tbody tr", (trs) => trs.map((r) => ({ ...r.dataset })));

  await page.click("#copy-markdown");
  await page.waitForFunction(() =>
    /Copied/.test(document.querySelector("#share-status").textContent),
  );
  if (readable) {
    const md = await page.evaluate(() => navigator.clipboard.readText());
    const lines = md.trim().split("\n");
    assert.equal(lines.length, 4, md);
    assert.match(lines[0], /^\| # \| Workload \| Size .*\| Digest \|$/);
    assert.ok(lines[3].includes(main.digest) && lines[3].includes("process pool"), lines[3]);
  }

  const jsonFile = await offered(page, "#download-json");
  assert.equal(jsonFile.name, "parallel-playground.json");
  const json = JSON.parse(jsonFile.text);
  assert.equal(json.series.length, 2);
  const pool = json.series[1];
  const shown = rows.find((r) => r.mode === "process");
  assert.ok(
    Math.abs(pool.median_ms - Number(shown.wallMs)) <= 0.001,
    `${pool.median_ms} vs ${shown.wallMs}`,
  );

  assert.equal(pool.digest, shown.digest);
  assert.equal(pool.runs.length, 2);
  assert.equal(pool.runs[0].tasks.length, 12);
  assert.ok(
    pool.runs.every((r) => r.tasks.every((t) => t.outcome === "ok" && t.end_ms >= t.start_ms)),
  );
  assert.ok(pool.speedup > 0);
  assert.equal(
    json.page.hardwareConcurrency,
    await page.evaluate(() => navigator.hardwareConcurrency),
  );

  const csvFile = await offered(page, "#download-csv");
  assert.equal(csvFile.name, "parallel-playground.csv");
  const csv = csvFile.text.trim().split("\n");
  const head = csv[0].split(",");
  assert.deepEqual(head.slice(0, 3), ["series", "workload", "size"]);
  assert.equal(csv.length, 1 + 2 * 2 * 12, "a row per task of each measured run of both series");
  const poolRows = csv
    .slice(1)
    .map((l) => Object.fromEntries(l.split(",").map((v, i) => [head[i], v])))
    .filter((r) => r.mode === "process");
  assert.equal(poolRows.length, 24);
  // Each run's wall time, by its run number: two runs can take the same time at a coarse
  // clock (WebKit's read 6.520 ms twice), so the times alone do not tell the runs apart.
  const wallOfRun = new Map(poolRows.map((r) => [r.run, Number(r.run_wall_ms)]));
  assert.deepEqual([...wallOfRun.keys()].sort(), ["1", "2"]);
  assert.ok(poolRows.every((r) => Number(r.run_wall_ms) === wallOfRun.get(r.run)));
  // Each run's time is rounded to the microsecond in the CSV; their median may differ by one.
  const median = (wallOfRun.get("1") + wallOfRun.get("2")) / 2;
  assert.ok(Math.abs(median - Number(shown.wallMs)) < 0.002, `${median} vs ${shown.wallMs}`);

  // The trace: a process per measured run (2 of each series), its wall time and each task's
  // start the CSV's, to the microsecond either may round.
  const traceFile = await offered(page, "#download-trace");
  assert.equal(traceFile.name, "parallel-playground.trace.json");
  const runs = [...readTrace(traceFile.text).values()];
  assert.equal(runs.length, 4);
  const csvRows = csv
    .slice(1)
    .map((l) => Object.fromEntries(l.split(",").map((v, i) => [head[i], v])));
  runs.forEach((run, r) => {
    const [series, k] = [Math.floor(r / 2) + 1, (r % 2) + 1];
    assert.match(run.name, new RegExp(`^series ${series}, run ${k}: primes \\(200000\\) on the `));
    const rows = csvRows.filter((row) => Number(row.series) === series && Number(row.run) === k);
    const wall = run.threads.get(0).slices[0];
    assert.ok(Math.abs(wall.dur - Number(rows[0].run_wall_ms) * 1000) <= 1, `${wall.dur} µs`);
    const lanes = [...run.threads.entries()].filter(([tid]) => tid !== 0 && tid !== 1000);
    const names = lanes.map(([, t]) => t.name);
    if (series === 1) assert.deepEqual(names, ["main"]);
    else assert.ok(names.every((n) => /^w\d+$/.test(n)) && names.length <= pool.workers, names);
    const computing = lanes.flatMap(([, t]) => t.slices.filter((s) => s.cat === "run"));
    for (const row of rows) {
      const first = computing.find((s) => s.args.task === Number(row.task));
      assert.ok(first, `task ${row.task} is in the trace`);
      const start = first.ts - wall.ts;
      assert.ok(
        Math.abs(start - Number(row.start_ms) * 1000) <= 2,
        `task ${row.task}: ${start} µs`,
      );
    }
  });

  await page.close();
});

test("each result is explained, and the code panes show the Python and the Rust it corresponds to", async () => {
  const page = await env.open({
    query: "?workload=primes&size=300000&tasks=8&workers=2&repeats=1",
  });
  await poolReady(page);
  await clickAndWait(page, "#compare", { runs: 2 });
  assert.match(
    await page.textContent("#explain"),
    /^2 workers on \d+ reported CPUs?: \d+\.\d\d× faster than the main thread, \d+% efficient\. Of the 2 × [\d,]+ ms of worker time, [\d,]+ ms went to computing/,
  );
  await page.click("#code summary");
  await page.waitForFunction(() =>
    document.querySelector("#code-ours").textContent.includes("fn is_prime"),
  );
  const python = await page.textContent("#code-python");
  assert.match(python, /with ProcessPoolExecutor\(max_workers=2\) as executor:/);
  assert.match(python, /chunksize=1/);
  assert.match(python, /for i in range\(8\)/);
  const ours = await page.textContent("#code-ours");
  assert.match(ours, /pool\.map\(specs, \{ chunksize: 1 \}\)/);
  assert.match(ours, /\/\/ src\/workloads\/primes\.rs\n/);
  assert.ok(!ours.includes("ANCHOR"));
  // The same program for a cluster, labelled as code to run elsewhere.
  await page.click("#cluster summary");
  const ray = await page.textContent("#code-ray");
  assert.match(ray, /^# To run elsewhere, on a Ray cluster .*: this page runs none of it\./);
  assert.match(ray, /from ray\.util\.multiprocessing import Pool/);
  assert.match(ray, /pool\.starmap\(task, tasks, chunksize=1\)/);
  assert.match(ray, /def task\(lo, hi\):/);
  const dask = await page.textContent("#code-dask");
  assert.match(dask, /^# To run elsewhere, on a Dask cluster .*: this page runs none of it\./);
  assert.match(dask, /client\.gather\(client\.map\(task, los, his, pure=False\)\)/);
  assert.match(dask, /for i in range\(8\)/);
  await fill(page, { mode: "threads" });
  await page.waitForFunction(() =>
    document.querySelector("#code-python").textContent.includes("ThreadPoolExecutor"),
  );
  assert.match(await page.textContent("#code-ours"), /par_iter\(\)/);
  await page.close();
});
