// The page's controller: one App owns the core, the modes, the widgets and what the buttons
// start (a run, a comparison, the sweep, the counter experiment, the Python panel). What each
// experiment does lives in engine/ (runs.js, sweep.js, counter.js, python.js), how it looks
// in page/; the settings in force, with the link, in page/settings.js. main.js only boots it.
import { compileCore, compileThreads, instantiate } from "./engine/core.js";
import { MainThreadMode, ProcessMode, ThreadMode } from "./engine/modes.js";
import { endStatus, runSeries } from "./engine/runs.js";
import { MAIN, isBaseline, speedupOf } from "./engine/series.js";
import { isStop, withDeadline } from "./engine/stop.js";
import { ensureIsolation } from "./platform/isolation.js";
import { detect, modeSupport } from "./platform/capabilities.js";
import { banner, clearLinkBanner } from "./page/banner.js";
import { showCpuCount, showMeasuredCores } from "./page/cpu.js";
import { showCapabilities, showThreadsReason } from "./page/capability-panel.js";
import { Controls } from "./page/controls.js";
import { Settings } from "./page/settings.js";
import { Log } from "./page/log.js";
import { liveHooks } from "./page/live.js";
import { History } from "./page/history.js";
import { ResultsView } from "./page/results.js";
import { MODES, poolStatus } from "./page/wording.js";
import { TimelineView } from "./page/timeline.js";
import { Meter } from "./page/meter.js";
import { wireSharing } from "./page/share.js";
import {
  AUTHOR_PARAM,
  isEmbedded,
  linksOutOfFrame,
  reportHeight,
  wireEmbedChooser,
} from "./page/embed.js";
import { programInLink } from "./page/link.js";

const $ = (id) => document.getElementById(id);
/** How long the process pool may take to start before the page says it could not. */
const POOL_START_S = 20;

/**
 * "Explain this result" (page/explain.js), which loads with the first result: the first
 * load is every reader's. Where it cannot load, the explanation says so.
 */
function explainer() {
  return import("./page/explain.js").then(
    ({ explain }) => explain,
    (error) => () => `The explanation of this result could not be loaded (${error.message}).`,
  );
}

export class App {
  cpus = showCpuCount();
  /** Per mode: true, or why it cannot run here (said wherever the mode is offered). */
  available;
  /** Stop aborts this: the whole of what the last button started, warm-ups included. */
  #stopper = null;
  #lastSweep = null;
  #caps;
  #support;
  #modes;
  #controls;
  #settings;
  #log = new Log($("log"), $("log-dropped"));
  #view = new ResultsView();
  #history = new History($("history"));
  #timeline = new TimelineView($("timeline"), $("timeline-tip"));
  #meter = new Meter($("meter"));
  /** The sweep's view (page/sweep.js), once a sweep has run. */
  #sweepView = null;

  /**
   * Starts the page: isolation first (it may reload the page once), then what this browser
   * can do, then the core. Resolves with the App, or with null while the page reloads.
   */
  static async start() {
    // On a host without COOP/COEP a service worker adds them, and one reload makes the page
    // cross-origin isolated (threads need that).
    const isolation = await ensureIsolation();
    if (isolation.reloading) {
      banner("Reloading once to turn on cross-origin isolation, which threads need…", "info");
      return null;
    }
    const caps = detect(isolation);
    const support = modeSupport(caps);
    showCapabilities($("caps"), caps, support);
    $("caps").dataset.json = JSON.stringify(caps);
    let module;
    let core;
    try {
      module = await compileCore();
      core = await instantiate(module);
    } catch (error) {
      banner(`The WebAssembly core could not load, so nothing can run here: ${error.message}`);
      throw error;
    }
    const app = new App({ caps, support, module, core });
    app.#wire();
    const fromLink = app.#settings.fromLink();
    // A link may carry its author's result (page/author.js), shown before any run.
    if (new URLSearchParams(location.search).has(AUTHOR_PARAM))
      import("./page/author.js").then((a) => a.fromLink(fromLink, core.facts(fromLink)));
    app.#controls.enable(app.available);
    app.#startPool(fromLink);
    reportHeight();
    linksOutOfFrame();
    return app;
  }

  constructor({ caps, support, module, core }) {
    this.#caps = caps;
    this.#support = support;
    showThreadsReason($("threads-reason"), support.threads, caps);
    this.#modes = {
      main: new MainThreadMode(module, core),
      process: new ProcessMode(module),
      threads: new ThreadMode(compileThreads),
    };
    this.available = {
      main: true,
      // Until #startPool hears from the workers.
      process: support.process === true ? "the process pool is still starting" : support.process,
      threads: support.threads,
    };
    const workloads = core.workloads();
    this.#controls = new Controls($("controls"), workloads, core.settingNames(), core.maxWorkers());
    this.#settings = new Settings({
      core: () => this.#core,
      controls: this.#controls,
      cpus: this.cpus,
      workloads,
    });
  }

  /** The page's own wasm instance (main-thread mode runs tasks in it, and may replace it). */
  get #core() {
    return this.#modes.main.core;
  }

  // ---- Running ----

  /** Locks the controls and runs `work(signal)`, which Stop aborts; then unlocks. */
  async #stoppable(work) {
    const starter = document.activeElement; // the button pressed
    this.#controls.lock();
    // Locking disables the button just pressed, which would drop a keyboard user's focus to
    // the page itself: it goes to Stop instead, and back when Stop disables itself.
    if (starter?.disabled) $("stop").focus({ preventScroll: true });
    this.#stopper = new AbortController();
    try {
      return await work(this.#stopper.signal);
    } finally {
      this.#stopper = null;
      const onStop = document.activeElement === $("stop");
      this.#controls.enable(this.available);
      // Without scrolling: the result may just have been brought into view (revealResult).
      const back = starter?.isConnected && !starter.disabled ? starter : $("run");
      if (onStop) back.focus({ preventScroll: true });
    }
  }

  /** Runs each settings in turn with the controls locked; stops at the first that fails. */
  #runAll(list) {
    return this.#stoppable(async (signal) => {
      for (const settings of list) {
        if ((await this.#runSettings(settings, signal)).status !== "done") return false;
      }
      return true;
    });
  }

  /** The chosen settings, then the same on the process pool (or threads) to compare. */
  #compare(settings) {
    const other = isBaseline(settings) ? "process" : settings.mode;
    return this.#runAll([
      this.#settings.variant(settings, { mode: MAIN }),
      this.#settings.variant(settings, { mode: other }),
    ]);
  }

  /**
   * Runs the series `settings` ask for, shows it, adds it to History, and returns it;
   * `signal` is Stop.
   */
  async #runSettings(settings, signal) {
    const { specs, facts } = this.#core.plan(settings);
    this.#log.clear();
    this.#timeline.clear();
    this.#view.begin(specs.length, `Starting the ${MODES[settings.mode].label}…`);
    const live = liveHooks({
      widgets: { view: this.#view, log: this.#log, timeline: this.#timeline, meter: this.#meter },
      settings,
      tasks: specs.length,
      facts,
      onPrepared: (prep) => this.#showPool(prep, settings.mode),
    });
    let series;
    try {
      if (this.available[settings.mode] !== true) {
        const why = this.available[settings.mode];
        throw new Error(`the ${MODES[settings.mode].label} cannot run here: ${why}`);
      }
      series = await runSeries({
        mode: this.#modes[settings.mode],
        specs,
        facts,
        settings,
        hooks: live.hooks,
        signal,
        summarize: (partials) => this.#core.summarize(settings, partials),
      });
    } catch (error) {
      // A failure, or Stop (or a timeout) before any run began: while the pool was starting.
      series = { settings, mode: settings.mode, workers: settings.workers, tasks: specs.length };
      Object.assign(series, { status: endStatus(error), error: error.message, runs: [], facts });
    } finally {
      live.stop();
    }
    await this.#showSeries(series, specs);
    return series;
  }

  /** A finished series: its result, explanation, timeline and picture, and a History row. */
  async #showSeries(series, specs) {
    const explain = await explainer();
    const { settings, facts } = series;
    const baseline = this.#history.baselineFor(settings, facts);
    this.#view.end(series, baseline);
    if (series.status === "done") {
      this.#view.explain(explain(series, baseline, this.cpus));
      this.#timeline.show(series.representative);
      this.#meter.showResult(series.representative.responsiveness);
      if (facts.picture) this.#view.draw(series.representative, specs, settings.size);
      clearLinkBanner();
    }
    this.#history.add(series, baseline);
    if (series.status === "done" && !isBaseline(settings)) {
      const pairs = this.#core.settingsPairs(settings);
      const speedup = speedupOf(series, baseline);
      import("./page/author.js").then((a) => a.afterRun(series, speedup, this.cpus, pairs));
    }
    if (isEmbedded()) this.#view.reveal();
    for (const id of ["copy-markdown", "download-json", "download-csv", "download-trace"])
      $(id).disabled = false;
    const stopped = series.status === "stopped" || series.status === "timed out";
    if (stopped && !isBaseline(settings)) {
      $("pool-status").textContent = MODES[settings.mode].stoppedPool;
    }
  }

  #showPool(prep, mode) {
    if (prep?.memoryBytes) $("pool-status").textContent = poolStatus(mode, prep);
  }

  /**
   * The sweep (engine/sweep.js) of `settings`, strong or weak as the sweep's card asks, shown as
   * it goes and when it is done. It and its view load with the first sweep: most readers never
   * run one, and the first load is everyone's.
   */
  async #runSweep(settings) {
    await this.#stoppable(async (signal) => {
      let view = this.#sweepView;
      try {
        const [{ SweepView, sweepCounts }, { measureSweep }] = await Promise.all([
          import("./page/sweep.js"),
          import("./engine/sweep.js"),
        ]);
        view = this.#sweepView ??= new SweepView();
        view.status("Starting the sweep…");
        const kinds = ["process", ...(this.available.threads === true ? ["threads"] : [])];
        const counts = sweepCounts(this.cpus, this.#core.maxWorkers());
        const variant = (s, changes) => this.#settings.variant(s, changes);
        const onStep = (step) => view.step(step);
        const sweep = await measureSweep({
          core: this.#core,
          modes: this.#modes,
          settings,
          variant,
          kinds,
          counts,
          scaling: document.querySelector("input[name=scaling]:checked").value,
          signal,
          onStep,
        });
        this.#lastSweep = { ...sweep, cpus: this.cpus };
        view.end(this.#lastSweep);
        showMeasuredCores(this.#lastSweep);
      } catch (error) {
        if (view) view.end(null, error);
        else $("sweep-status").textContent = `The sweep could not start: ${error.message}.`;
      }
    });
  }

  /**
   * The counter experiment (engine/counter.js), with the form's workers (at least 2). It and
   * its cards' code load with the first click.
   */
  async #runCounter() {
    const settings = this.#settings.current();
    await this.#stoppable(async (signal) => {
      const [memory, { runCounterExperiment }] = await Promise.all([
        import("./page/memory.js"),
        import("./engine/counter.js"),
      ]);
      try {
        memory.resetCounterCards();
        await runCounterExperiment({
          core: this.#core,
          modes: this.#modes,
          counter: this.#settings.workload("counter"),
          threads: this.available.threads,
          settings,
          signal,
          hooks: memory.counterHooks,
        });
      } catch (error) {
        if (isStop(error)) memory.showCounterStopped();
        else banner(`The counter experiment failed: ${error.message}`);
      }
    });
  }

  /**
   * The GIL's convoy (engine/convoy.js) with the card's plan, on pools of 2. It and its view
   * load with the first click.
   */
  async #runConvoy() {
    await this.#stoppable(async (signal) => {
      const [{ ConvoyView, readPlan }, { runConvoy }] = await Promise.all([
        import("./page/convoy.js"),
        import("./engine/convoy.js"),
      ]);
      const plan = readPlan();
      if (!plan) return;
      const view = new ConvoyView();
      try {
        const threads = this.available.threads;
        const onStep = (id) => view.step(id);
        view.show(await runConvoy({ modes: this.#modes, plan, threads, signal, onStep }), plan);
      } catch (error) {
        view.status(`The experiment ${isStop(error) ? "stopped" : `failed: ${error.message}`}.`);
      }
    });
  }

  /**
   * Starts the process pool now, sized for `settings`, so the first run measures work rather
   * than start-up. A worker that never answers (blocked by the host, say) must not leave the
   * page "starting" forever.
   */
  #startPool(settings) {
    if (this.#support.process !== true) {
      $("pool-status").textContent = `Process pool unavailable: ${this.#support.process}.`;
      return;
    }
    $("pool-status").textContent = "Starting the process pool…";
    const settle = (status) => {
      this.available.process = status;
      if (!this.#stopper) this.#controls.enable(this.available);
    };
    withDeadline(this.#modes.process.prepare(settings), POOL_START_S, "the pool's workers")
      .then((prep) => {
        this.#showPool(prep, "process");
        settle(true);
      })
      .catch((error) => {
        this.#modes.process.pool?.shutdown();
        $("pool-status").textContent = `Process pool unavailable: ${error.message}`;
        settle(`the worker pool failed to start: ${error.message}`);
      });
  }

  // ---- Events ----

  #wire() {
    this.#wireButtons();
    this.#controls.listen({
      onChange: (event) => {
        if (event.target.name === "workload") this.#settings.switchWorkload(event.target.value);
        const parsed = this.#settings.parse(this.#controls.pairs());
        if (parsed.errors.length === 0) this.#settings.remember(parsed.settings);
      },
      onErrorsMayClear: (shown) => {
        const { errors } = this.#settings.parse(this.#controls.pairs());
        this.#controls.showErrors(errors.filter((e) => shown.has(e.field)));
      },
      onEnter: () => !$("run").disabled && $("run").click(),
    });
    wireSharing(this.#history, () => ({ caps: this.#caps, sweep: this.#lastSweep }));
    wireEmbedChooser();
    this.#wirePython();
  }

  #wireButtons() {
    // Run is a plain button, never a form submission: a frame sandboxed without allow-forms
    // (common in CMS embed wrappers) blocks submitting, and Run did nothing there. A run puts
    // its settings in the link, whether or not the field typed last has fired its change (it
    // fires on blur, and Enter or a scripted click may not blur it).
    const fromForm =
      ({ onMainThread = false, remember = true }, then) =>
      () => {
        const settings = this.#settings.fromForm({ onMainThread });
        if (!settings) return;
        if (remember) this.#settings.remember(settings);
        then(settings);
      };
    const baseline = { onMainThread: true };
    $("run").addEventListener(
      "click",
      fromForm({}, (s) => this.#runAll([s])),
    );
    $("compare").addEventListener(
      "click",
      fromForm(baseline, (s) => this.#compare(s)),
    );
    // (A sweep visits many settings; the link keeps the form's as they were.)
    const sweep = { ...baseline, remember: false };
    $("sweep-run").addEventListener(
      "click",
      fromForm(sweep, (s) => this.#runSweep(s)),
    );
    $("preset").addEventListener("click", () => {
      // ProcessPoolExecutor() with no arguments uses one worker per CPU; so does the preset.
      const scale = $("controls").elements.scale.value;
      const pairs = [
        ["workload", "sleeper"],
        ["mode", "process"],
        ["scale", scale],
      ];
      const { settings } = this.#settings.parse(pairs);
      this.#settings.apply(settings);
      const still = matchMedia("(prefers-reduced-motion: reduce)").matches;
      $("run-card").scrollIntoView({ behavior: still ? "auto" : "smooth", block: "start" });
      this.#runAll([settings]);
    });
    $("counter-run").addEventListener("click", () => this.#runCounter());
    $("convoy-run").addEventListener("click", () => this.#runConvoy());
    $("stop").addEventListener("click", () => this.#stopper?.abort());
    $("code").addEventListener("toggle", () => {
      if ($("code").open) this.#settings.showCode(this.#settings.current());
    });
  }

  /**
   * The Python panel (its module and the runtime) loads only when opened; a link that carries
   * a program opens it (not in an embed, which shows one experiment: a program link there is
   * not read at all).
   */
  #wirePython() {
    const python = $("python-panel");
    python.addEventListener("toggle", () => {
      if (!python.open) return;
      import("./page/python.js").then(
        ({ openPython }) =>
          openPython({ cpus: this.cpus, processes: this.#support.pythonProcesses }),
        (error) =>
          ($("python-body").textContent = `The Python panel could not load: ${error.message}`),
      );
    });
    if (programInLink() && !isEmbedded()) python.open = true;
  }
}
