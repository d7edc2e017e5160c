// The page: loads the core, wires the widgets, and runs jobs in the chosen mode.
import { compileCore, compileThreads, instantiate } from "./core.js";
import { measure } from "./measure.js";
import { MainThreadMode, ProcessMode, ThreadMode } from "./modes.js";
import { ensureIsolation } from "./isolation.js";
import { detect, modeSupport } from "./capabilities.js";
import { showCpuCount } from "./page/cpu.js";
import { showCapabilities, showThreadsReason } from "./page/capabilities.js";
import { runCounterExperiment } from "./page/memory.js";
import { Controls } from "./page/controls.js";
import { Log } from "./page/log.js";
import { History } from "./page/history.js";
import { ResultsView, MODE_LABEL, finishedLine, who } from "./page/results.js";

const $ = (id) => document.getElementById(id);
const cpus = showCpuCount();
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

function banner(text, kind = "error") {
  const el = $("banner");
  el.textContent = text;
  el.className = `banner ${kind}`;
  el.hidden = false;
}

/** Resolves once the browser has painted what was just put on screen (or after 100 ms). */
function nextPaint() {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        clearTimeout(timer);
        resolve();
      }),
    );
  });
}

async function boot() {
  // First, because it may reload the page: on a host without COOP/COEP, a service worker
  // adds them and one reload makes the page cross-origin isolated (threads need that).
  const isolation = await ensureIsolation();
  if (isolation.reloading) {
    banner("Reloading once to turn on cross-origin isolation, which threads need…", "info");
    return;
  }
  const caps = detect(isolation);
  const support = modeSupport(caps);
  showCapabilities($("caps"), caps, support);
  $("caps").dataset.json = JSON.stringify(caps);
  showThreadsReason($("threads-reason"), support.threads, caps);

  let module;
  const engine = { core: null };
  try {
    module = await compileCore();
    engine.core = await instantiate(module);
  } catch (error) {
    banner(`The WebAssembly core could not load, so nothing can run here: ${error.message}`);
    throw error;
  }
  // After a task panics on the page's thread its instance is suspect: swap in a fresh one.
  engine.replaceCore = async () => {
    engine.core = await instantiate(module);
  };
  const core = () => engine.core;

  const modes = {
    main: new MainThreadMode(engine),
    process: new ProcessMode(module),
    threads: new ThreadMode(compileThreads),
  };
  const available = {
    main: true,
    process: support.process === true ? "starting the pool…" : support.process,
    threads: support.threads,
  };
  const controls = new Controls($("controls"), core().workloads());
  const log = new Log($("log"));
  const view = new ResultsView();
  const runs = new History($("history"));
  let running = null;

  const parse = (pairs) => core().parseSettings(pairs, cpus);

  // A shared link carries its settings; whatever cannot be used is named, not ignored.
  const fromUrl = parse([...new URLSearchParams(location.search)]);
  controls.apply(fromUrl.settings);
  if (fromUrl.errors.length > 0) {
    banner(
      `Some settings in this link could not be used, so defaults stand in: ${fromUrl.errors
        .map((e) => e.message)
        .join("; ")}.`,
      "warn",
    );
  }

  const remember = (settings) => {
    const query = new URLSearchParams(core().settingsPairs(settings)).toString();
    history.replaceState(null, "", `${location.pathname}?${query}${location.hash}`);
  };

  function poolStatus(prep, mode = "process") {
    if (!prep?.memoryBytes) return;
    const started = prep.coldStartMs ? `, started in ${prep.coldStartMs.toFixed(0)} ms` : "";
    const plural = prep.workers > 1 ? "s" : "";
    $("pool-status").textContent =
      mode === "threads"
        ? `Thread pool: ${prep.workers} thread${plural}${started}; all share one wasm memory (${mib(prep.memoryBytes[0])}).`
        : `Process pool: ${prep.workers} worker${plural}${started}; each has its own wasm memory (${prep.memoryBytes.map(mib).join(", ")}).`;
  }

  /** Runs `settings` once, shows it, adds it to the history, and returns the record. */
  async function run(settings) {
    const mode = modes[settings.mode];
    const job = {
      workload: settings.workload,
      size: settings.size,
      tasks: settings.tasks,
      fail_task: settings.fail ?? null,
    };
    const specs = core().plan(job);
    const outcomes = new Array(specs.length);
    let done = 0;
    let finished = 0; // tasks the thread pool reported done (its results arrive all at once)
    log.clear();
    view.begin(specs.length, `Starting the ${MODE_LABEL[settings.mode]}…`);
    running = mode;

    let prep;
    try {
      if (available[settings.mode] !== true) {
        throw new Error(
          `the ${MODE_LABEL[settings.mode]} cannot run here: ${available[settings.mode]}`,
        );
      }
      prep = await mode.prepare(settings);
    } catch (error) {
      running = null;
      const record = failedRecord(settings, specs, error);
      view.end(record);
      return record;
    }
    if (settings.mode !== "main") poolStatus(prep, settings.mode);
    if (settings.mode === "main") {
      view.status(
        settings.workload === "sleeper"
          ? "Running on the page's thread. Sleeps are timers, so the page stays alive while a call sleeps."
          : "Running on the page's thread: the page is frozen until every task is done. That is the lesson.",
      );
    } else {
      const who = settings.mode === "threads" ? "threads" : "workers";
      const gil = settings.mode === "threads" && settings.gil ? ", under the model GIL" : "";
      view.status(`Running ${specs.length} tasks on ${prep.workers} ${who}${gil}…`);
    }
    // Let that paint first: in main-thread mode it would never show, and in pool modes the
    // repaint would otherwise compete with the first tasks for the CPU.
    await nextPaint();

    const timed = await measure(() =>
      mode.run(specs, {
        chunksize: settings.chunksize,
        context: { scale: settings.scale, gil: settings.mode === "threads" && settings.gil },
        onEvent: (event, worker) =>
          event.type === "line" && log.add(event.text, who(worker, settings.mode)),
        onResult: (outcome, i) => {
          outcomes[i] = outcome;
          view.progress(++done, specs.length);
        },
        onProgress: (n) => view.progress((finished = n), specs.length),
      }),
    );
    running = null;
    const status = !timed.error ? "done" : timed.error.name === "AbortError" ? "stopped" : "error";
    const finalOutcomes = timed.value ?? outcomes;
    const failures = finalOutcomes.flatMap((o, index) =>
      o?.error ? [{ index, message: o.error.message }] : [],
    );
    const partials = finalOutcomes.filter((o) => o?.value).map((o) => o.value.partial);
    const record = {
      settings,
      mode: settings.mode,
      workers: prep.workers,
      tasks: specs.length,
      ms: timed.ms,
      start: timed.start,
      coldStartMs: prep.coldStartMs,
      floorMs:
        settings.workload === "sleeper" ? core().longestSleepMs(settings.size) * settings.scale : 0,
      status,
      error: timed.error?.message,
      finished: Math.max(done, finished),
      outcomes: finalOutcomes,
      failures,
      summary:
        status === "done" ? core().summarize(settings.workload, settings.size, partials) : null,
    };
    log.add(
      status === "done"
        ? finishedLine(record.ms)
        : `Stopped after ${(record.ms / 1000).toFixed(2)} second(s)`,
    );
    log.flush();
    const baseline = runs.baselineFor(settings);
    view.end(record, baseline);
    if (status === "done" && settings.workload === "mandelbrot")
      view.draw(record, specs, settings.size);
    runs.add(record, baseline);
    if (status === "stopped" && settings.mode !== "main") {
      $("pool-status").textContent =
        settings.mode === "threads"
          ? "Thread pool stopped: its host worker and every thread in it were terminated. The next run starts afresh."
          : "Process pool stopped: its workers were terminated. The next run starts a fresh pool.";
    }
    return record;
  }

  function failedRecord(settings, specs, error) {
    return {
      settings,
      mode: settings.mode,
      workers: settings.workers,
      tasks: specs.length,
      ms: 0,
      status: "error",
      error: error.message,
      outcomes: [],
      failures: [],
      summary: null,
    };
  }

  /** Reads the form; on bad input shows why beside each field and returns null. */
  function formSettings() {
    const parsed = parse(controls.pairs());
    controls.showErrors(parsed.errors, { focus: true });
    return parsed.errors.length === 0 ? parsed.settings : null;
  }

  async function runAll(list) {
    controls.lock();
    let stopped = false;
    try {
      for (const settings of list) {
        const record = await run(settings);
        if (record.status !== "done") {
          stopped = true;
          break;
        }
      }
    } finally {
      controls.enable(available);
    }
    return !stopped;
  }

  $("controls").addEventListener("submit", (event) => {
    event.preventDefault();
    const settings = formSettings();
    if (settings) runAll([settings]);
  });
  $("compare").addEventListener("click", () => {
    const settings = formSettings();
    if (!settings) return;
    const other = settings.mode === "main" ? "process" : settings.mode;
    runAll([
      { ...settings, mode: "main" },
      { ...settings, mode: other },
    ]);
  });
  $("preset").addEventListener("click", () => {
    // ProcessPoolExecutor() with no arguments uses one worker per CPU; so does the preset.
    const scale = $("controls").elements.scale.value;
    const parsed = parse([
      ["workload", "sleeper"],
      ["mode", "process"],
      ["scale", scale],
    ]);
    controls.apply(parsed.settings);
    controls.showErrors([]);
    remember(parsed.settings);
    $("run-card").scrollIntoView({ behavior: "smooth", block: "start" });
    runAll([parsed.settings]);
  });
  $("counter-run").addEventListener("click", async () => {
    const { settings } = parse(controls.pairs());
    const info = core()
      .workloads()
      .find((w) => w.id === "counter");
    controls.lock();
    try {
      await runCounterExperiment({
        modes,
        plan: (job) => core().plan(job),
        workers: Math.max(settings.workers, 2),
        size: info.default_size,
        tasks: info.default_tasks,
        support: available,
      });
    } catch (error) {
      banner(`The counter experiment failed: ${error.message}`);
    } finally {
      controls.enable(available);
    }
  });
  $("stop").addEventListener("click", () => {
    running?.stop();
  });
  $("controls").addEventListener("change", (event) => {
    if (event.target.name === "workload") {
      // A new workload starts from its own sizes; the mode, workers and scale stay.
      const current = parse(controls.pairs()).settings;
      const fresh = core().defaultSettings(event.target.value, cpus);
      controls.apply({
        ...fresh,
        mode: current.mode,
        workers: current.workers,
        scale: current.scale,
      });
      controls.showErrors([]);
    }
    const parsed = parse(controls.pairs());
    if (parsed.errors.length === 0) remember(parsed.settings);
  });
  // Errors first appear when Run is pressed, never when a field loses focus: a message
  // appearing on blur would push the button away from under the pointer mid-click. Once
  // shown, an error follows the typing, so it clears as soon as the value is good.
  $("controls").addEventListener("input", () => {
    const shown = controls.shownErrors();
    if (shown.size === 0) return;
    controls.showErrors(parse(controls.pairs()).errors.filter((e) => shown.has(e.field)));
  });

  controls.enable(available);
  $("pool-status").textContent = "Starting the process pool…";
  if (typeof Worker === "undefined") {
    available.process = "this browser has no Web Workers";
    $("pool-status").textContent = "Process pool unavailable: this browser has no Web Workers.";
  } else {
    // Start the pool now, so the first run measures work rather than start-up.
    modes.process
      .prepare(fromUrl.settings)
      .then((prep) => {
        available.process = true;
        poolStatus(prep);
        if (!running) controls.enable(available);
      })
      .catch((error) => {
        available.process = `the worker pool failed to start: ${error.message}`;
        $("pool-status").textContent = `Process pool unavailable: ${error.message}`;
        if (!running) controls.enable(available);
      });
  }
  document.documentElement.dataset.ready = "true";
}

boot();
