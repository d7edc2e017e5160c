// The page: loads the core, wires the widgets, and runs series in the chosen mode.
import { compileCore, compileThreads, instantiate } from "./engine/core.js";
import { MainThreadMode, ProcessMode, ThreadMode } from "./engine/modes.js";
import { runSeries } from "./engine/runs.js";
import { ensureIsolation } from "./platform/isolation.js";
import { detect, modeSupport } from "./platform/capabilities.js";
import { showCpuCount } from "./page/cpu.js";
import { showCapabilities, showThreadsReason } from "./page/capability-panel.js";
import { runCounterExperiment } from "./page/memory.js";
import { Controls } from "./page/controls.js";
import { Log } from "./page/log.js";
import { History } from "./page/history.js";
import { ResultsView, finishedLine } from "./page/results.js";
import { MODES, poolStatus, who } from "./page/wording.js";
import { TimelineView } from "./page/timeline.js";
import { Meter } from "./page/meter.js";
import { explain } from "./page/explain.js";
import { showCode } from "./page/code.js";
import { SweepView, sweepCounts } from "./page/sweep.js";
import { copy, csv, download, markdown, report } from "./page/share.js";
import { plural, seconds } from "./page/format.js";

const $ = (id) => document.getElementById(id);
const cpus = showCpuCount();
/**
 * How often the live displays (clock, progress, log, timeline, meter) redraw during a run,
 * in ms: all at once, four times a second. On a 2-core machine every repaint takes CPU time
 * from the workers being measured; redrawing each display on its own timer cost about 8% of
 * a 250 ms process-pool run.
 */
const LIVE_MS = 250;
/** How long the process pool may take to start before the page says it could not. */
const POOL_START_S = 20;

function banner(text, kind = "error") {
  const el = $("banner");
  el.textContent = text;
  el.className = `banner ${kind}`;
  el.hidden = false;
}

/** Hides the banner if it still shows a warning about the link (not an error). */
function clearLinkBanner() {
  if ($("banner").classList.contains("warn")) $("banner").hidden = true;
}

async function boot() {
  // First, because it may reload the page: on a host without COOP/COEP, a service worker
  // adds them and one reload makes the page cross-origin isolated (threads need that).
  const isolation = await ensureIsolation();
  if (isolation.reloading) {
    banner("Reloading once to turn on cross-origin isolation, which threads need…", "info");
    return "reloading";
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
  const workloadList = core().workloads();
  const workloadInfo = new Map(workloadList.map((w) => [w.id, w]));
  const controls = new Controls($("controls"), workloadList, core().settingNames());
  const log = new Log($("log"));
  const view = new ResultsView();
  const runs = new History($("history"));
  const timeline = new TimelineView($("timeline"), $("timeline-tip"));
  const meter = new Meter($("meter"));
  const sweepView = new SweepView();
  // Stop aborts this: the whole of what the last button started (a run, a comparison, a
  // sweep, the counter experiment), warm-ups and repeats included.
  let stopper = null;
  let lastSweep = null;

  const parse = (pairs) => core().parseSettings(pairs, cpus);
  const plan = (s) => core().plan(s);
  const summarizer = (s) => (partials) => core().summarize(s, partials);
  const showCodeFor = (s) => showCode(s, core().facts(s), workloadInfo.get(s.workload));

  /** Puts `settings` in the address bar, so a reload or a shared link reproduces them. */
  const remember = (settings) => {
    const query = new URLSearchParams(core().settingsPairs(settings));
    const keep = new URLSearchParams(location.search).get("isolate");
    if (keep) query.set("isolate", keep);
    try {
      history.replaceState(null, "", `${location.pathname}?${query}${location.hash}`);
    } catch {
      // A sandboxed frame may refuse; the settings still apply, only the link cannot show them.
    }
    if ($("code").open) showCodeFor(settings);
  };

  // A shared link carries its settings; whatever cannot be used is named, not ignored, and
  // the address bar then shows the settings in force rather than the rejected values.
  const fromUrl = parse([...new URLSearchParams(location.search)]);
  controls.apply(fromUrl.settings);
  const problems = [...fromUrl.errors.map((e) => e.message), ...fromUrl.ignored];
  if (problems.length > 0) {
    const standIn = fromUrl.errors.length > 0 ? ", so defaults stand in" : "";
    banner(`Some of this link could not be used${standIn}: ${problems.join("; ")}.`, "warn");
  }
  if (location.search) remember(fromUrl.settings);

  function showPool(prep, mode) {
    if (prep?.memoryBytes) $("pool-status").textContent = poolStatus(mode, prep);
  }

  /**
   * Runs the series `settings` ask for, shows it, adds it to History, and returns it;
   * `signal` is Stop.
   */
  async function runSettings(settings, signal) {
    const mode = modes[settings.mode];
    const { specs, facts } = plan(settings);
    log.clear();
    timeline.clear();
    view.begin(specs.length, `Starting the ${MODES[settings.mode].label}…`);
    let current = null;
    let live = 0;
    // Name the run only when there are several: "(warm-up)", "(run 2 of 3)".
    const which = (record) => (settings.repeats > 1 || settings.warmup ? ` (${record.label})` : "");
    const hooks = {
      meter,
      onPrepared: (prep) => settings.mode !== "main" && showPool(prep, settings.mode),
      onRunStart: (record) => {
        current = record;
        log.clear();
        const unit = `${MODES[settings.mode].unit}s`;
        const gil = settings.mode === "threads" && settings.gil ? ", under the model GIL" : "";
        view.status(
          settings.mode === "main"
            ? facts.sleeps
              ? `Running on the page's thread${which(record)}. Sleeps are timers, so the page stays alive while a call sleeps.`
              : `Running on the page's thread${which(record)}: while a task computes the page is frozen, and it only looks up between tasks (to paint, or hear Stop). That is the lesson.`
            : `Running ${specs.length} tasks on ${record.workers} ${unit}${gil}${which(record)}…`,
        );
        view.progress(0, specs.length);
        clearInterval(live);
        live = setInterval(() => {
          view.tick();
          log.flush();
          if (current?.start) timeline.live(current);
          meter.showLive();
        }, LIVE_MS);
      },
      onLine: (text, worker) => log.add(text, who(worker, settings.mode)),
      onProgress: (record) => view.progress(record.done, specs.length),
      onRunEnd: (record) => {
        clearInterval(live);
        if (record.start) timeline.show(record);
        meter.showResult(record.responsiveness);
        log.add(
          record.status === "done"
            ? `${finishedLine(record.ms)}${which(record)}`
            : record.status === "timed out"
              ? `TimeoutError after ${seconds(record.ms)} second(s)`
              : `Stopped after ${seconds(record.ms)} second(s)`,
        );

        log.flush();
      },
    };
    let series;
    try {
      if (available[settings.mode] !== true) {
        throw new Error(
          `the ${MODES[settings.mode].label} cannot run here: ${available[settings.mode]}`,
        );
      }
      series = await runSeries({
        mode,
        specs,
        facts,
        settings,
        hooks,
        signal,
        summarize: summarizer(settings),
      });
    } catch (error) {
      clearInterval(live);
      series = {
        settings,
        mode: settings.mode,
        workers: settings.workers,
        tasks: specs.length,
        status: "error",
        error: error.message,
        runs: [],
        facts,
      };
    }
    const baseline = runs.baselineFor(settings, facts);
    view.end(series, baseline);
    if (series.status === "done") {
      view.explain(explain(series, baseline, cpus));
      timeline.show(series.representative);
      meter.showResult(series.representative.responsiveness);
      if (facts.picture) {
        view.draw(series.representative, specs, settings.size);
      }
    }
    runs.add(series, baseline);
    for (const id of ["copy-markdown", "download-json", "download-csv"]) $(id).disabled = false;
    if (series.status === "done") clearLinkBanner();
    if (
      (series.status === "stopped" || series.status === "timed out") &&
      settings.mode !== "main"
    ) {
      $("pool-status").textContent = MODES[settings.mode].stoppedPool;
    }
    return series;
  }

  /**
   * Reads the form; on bad input shows why beside each field and returns null. With
   * `onMainThread`, the task list will also run on the page's thread (a comparison's or a
   * sweep's baseline), so it must fit there whatever the chosen mode.
   */
  function formSettings({ onMainThread = false } = {}) {
    const parsed = parse(controls.pairs());
    const errors = [...parsed.errors];
    if (onMainThread && errors.length === 0) {
      const problem = core().mainThreadProblem(parsed.settings);
      if (problem) errors.push({ field: "tasks", message: problem });
    }
    controls.showErrors(errors, { focus: true });
    return errors.length === 0 ? parsed.settings : null;
  }

  /** Locks the controls and runs `work(signal)`, which Stop aborts; then unlocks. */
  async function stoppable(work) {
    controls.lock();
    stopper = new AbortController();
    try {
      return await work(stopper.signal);
    } finally {
      stopper = null;
      controls.enable(available);
    }
  }

  /** Runs each settings in turn with the controls locked; stops at the first that fails. */
  function runAll(list) {
    return stoppable(async (signal) => {
      for (const settings of list) {
        if ((await runSettings(settings, signal)).status !== "done") return false;
      }
      return true;
    });
  }

  /**
   * The sweep: a main-thread baseline, then the pool with 1, 2, … twice the reported CPUs,
   * for processes and (where they can run) threads; then Amdahl's law fitted to each.
   */
  async function runSweep(settings, signal) {
    const { specs, facts } = plan(settings);
    const counts = sweepCounts(cpus);
    const kinds = ["process", ...(available.threads === true ? ["threads"] : [])];
    const total = 1 + counts.length * kinds.length;
    let step = 0;
    const measureWith = async (mode, s, what) => {
      step += 1;
      const hooks = {
        onRunStart: (r) => sweepView.status(`Sweep ${step} of ${total}: ${what}, ${r.label}…`),
      };
      const series = await runSeries({
        mode,
        specs,
        facts,
        settings: s,
        hooks,
        signal,
        summarize: summarizer(s),
      });
      if (series.status !== "done") throw new Error(series.error ?? series.status);
      return series;
    };
    const base = await measureWith(modes.main, { ...settings, mode: "main" }, "main thread");
    const results = {};
    const fits = {};
    for (const kind of kinds) {
      results[kind] = [];
      for (const n of counts) {
        const s = { ...settings, mode: kind, workers: n, gil: false };
        const label = `${MODES[kind].label}, ${plural(n, MODES[kind].unit)}`;
        const series = await measureWith(modes[kind], s, label);
        results[kind].push({
          workers: n,
          ms: series.ms,
          min: series.stats.min,
          max: series.stats.max,
          speedup: base.ms / series.ms,
          digest: series.summary?.digest,
        });
      }
      fits[kind] = core().amdahlFit(
        results[kind].map(({ workers, speedup }) => ({ workers, speedup })),
      );
    }
    return { settings, cpus, baselineMs: base.ms, digest: base.summary?.digest, results, fits };
  }

  $("controls").addEventListener("submit", (event) => {
    event.preventDefault();
    const settings = formSettings();
    if (settings) runAll([settings]);
  });
  $("compare").addEventListener("click", () => {
    const settings = formSettings({ onMainThread: true });
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
  $("sweep-run").addEventListener("click", async () => {
    const settings = formSettings({ onMainThread: true });
    if (!settings) return;
    sweepView.status("Starting the sweep…");
    await stoppable(async (signal) => {
      try {
        lastSweep = await runSweep(settings, signal);
        sweepView.show(lastSweep);
        sweepView.status(
          `Done: ${Object.values(lastSweep.results).flat().length} points, each the median of ${settings.repeats} run${settings.repeats > 1 ? "s" : ""}${settings.warmup ? " after a warm-up" : ""}.`,
        );
      } catch (error) {
        sweepView.status(`The sweep stopped: ${error.message}.`);
      }
    });
  });
  $("counter-run").addEventListener("click", async () => {
    const { settings } = parse(controls.pairs());
    const info = workloadInfo.get("counter");
    await stoppable(async (signal) => {
      try {
        await runCounterExperiment({
          signal,
          modes,
          plan: (s) => core().plan(s).specs,
          settings,
          workers: Math.max(settings.workers, 2),
          size: info.default_size,
          tasks: info.default_tasks,
          support: available,
        });
      } catch (error) {
        banner(`The counter experiment failed: ${error.message}`);
      }
    });
  });
  $("stop").addEventListener("click", () => stopper?.abort());
  // Listen on the document: the time-scale radios belong to the form (form="controls") but
  // sit outside it, and their events bubble through their own ancestors only.
  const ofForm = (listener) => (event) => event.target.form === $("controls") && listener(event);
  document.addEventListener(
    "change",
    ofForm((event) => {
      if (event.target.name === "workload") {
        // A new workload starts from its own sizes; the mode, workers and scale stay.
        const current = parse(controls.pairs()).settings;
        const fresh = core().defaultSettings(event.target.value, cpus);
        controls.apply({
          ...fresh,
          mode: current.mode,
          workers: current.workers,
          gil: current.gil,
          scale: current.scale,
        });
        controls.showErrors([]);
      }
      const parsed = parse(controls.pairs());
      if (parsed.errors.length === 0) remember(parsed.settings);
    }),
  );
  // Errors first appear when Run is pressed, never when a field loses focus: a message
  // appearing on blur would push the button away from under the pointer mid-click. Once
  // shown, an error follows the typing, so it clears as soon as the value is good.
  document.addEventListener(
    "input",
    ofForm(() => {
      const shown = controls.shownErrors();
      if (shown.size === 0) return;
      controls.showErrors(parse(controls.pairs()).errors.filter((e) => shown.has(e.field)));
    }),
  );

  $("code").addEventListener("toggle", () => {
    if (!$("code").open) return;
    const { settings } = parse(controls.pairs());
    showCodeFor(settings);
  });

  const pageInfo = () => ({
    url: location.href,
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    capabilities: caps,
    exported: new Date().toISOString(),
  });
  const shareStatus = (text) => ($("share-status").textContent = text);
  $("copy-markdown").addEventListener("click", async () => {
    const ok = await copy(markdown(runs));
    shareStatus(ok ? "Copied the table as Markdown." : "The browser refused the clipboard.");
  });
  $("download-json").addEventListener("click", () => {
    const data = { ...report(runs, pageInfo()), sweep: lastSweep };
    download("parallel-playground.json", "application/json", JSON.stringify(data, null, 2));
    shareStatus("Downloaded parallel-playground.json.");
  });
  $("download-csv").addEventListener("click", () => {
    download("parallel-playground.csv", "text/csv", csv(runs));
    shareStatus("Downloaded parallel-playground.csv (one row per task of every measured run).");
  });

  controls.enable(available);
  $("pool-status").textContent = "Starting the process pool…";
  if (available.process !== "starting the pool…") {
    $("pool-status").textContent = `Process pool unavailable: ${available.process}.`;
  } else {
    // Start the pool now, so the first run measures work rather than start-up.
    // A worker that never answers (blocked by the host, say) must not leave the page
    // "starting" forever.
    const tooLong = new Promise((_, reject) =>
      setTimeout(
        () => reject(new Error(`no worker answered in ${POOL_START_S} s`)),
        POOL_START_S * 1000,
      ),
    );
    Promise.race([modes.process.prepare(fromUrl.settings), tooLong])
      .then((prep) => {
        available.process = true;
        showPool(prep, "process");
        if (!stopper) controls.enable(available);
      })
      .catch((error) => {
        modes.process.pool?.shutdown();
        available.process = `the worker pool failed to start: ${error.message}`;
        $("pool-status").textContent = `Process pool unavailable: ${error.message}`;
        if (!stopper) controls.enable(available);
      });
  }
}

// Whatever happens while starting, the page settles and says so: a page that stays
// "starting…" with every control disabled is the worst answer.
boot()
  .catch((error) => {
    if ($("banner").hidden) banner(`The page could not start: ${error.message}`);
    document.documentElement.dataset.bootError = error.message;
  })
  .then((outcome) => {
    if (outcome !== "reloading") document.documentElement.dataset.ready = "true";
  });
