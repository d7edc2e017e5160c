// The page's controller: one App owns the core, the modes, the widgets and what the buttons
// start (a run, a comparison, a sweep, the counter experiment), the link in the address bar
// and the exports. main.js only boots it.
import { compileCore, compileThreads, instantiate } from "./engine/core.js";
import { MainThreadMode, ProcessMode, ThreadMode } from "./engine/modes.js";
import { endStatus, runSeries } from "./engine/runs.js";
import { MAIN, isBaseline, isLastOfSeveral, namesRuns, speedupOf } from "./engine/series.js";
import { addSpan, now } from "./engine/measure.js";
import { isStop, withDeadline } from "./engine/stop.js";
import { ensureIsolation } from "./platform/isolation.js";
import { detect, modeSupport } from "./platform/capabilities.js";
import { showCpuCount, showMeasuredCores } from "./page/cpu.js";
import { showCapabilities, showThreadsReason } from "./page/capability-panel.js";
import {
  resetCounterCards,
  showCounterStopped,
  showNoThreads,
  showProcessCounts,
  showRace,
  showRaceRunning,
} from "./page/memory.js";
import { Controls } from "./page/controls.js";
import { Log } from "./page/log.js";
import { redrawEvery } from "./page/live.js";
import { History } from "./page/history.js";
import { ResultsView, finishedLine } from "./page/results.js";
import { MODES, poolStatus, who } from "./page/wording.js";
import { TimelineView } from "./page/timeline.js";
import { Meter } from "./page/meter.js";
import { explain } from "./page/explain.js";
import { showArticleExcerpt, showCode } from "./page/code.js";
import { SweepView, sweepCounts } from "./page/sweep.js";
import { copy, csv, download, markdown, report } from "./page/share.js";
import { plural, seconds } from "./page/format.js";
import {
  embedSnippets,
  fullPlaygroundUrl,
  isEmbedded,
  linksOutOfFrame,
  reportHeight,
} from "./page/embed.js";
import { programInLink, putSettingsInLink } from "./page/link.js";

const $ = (id) => document.getElementById(id);
/** Inputs in which Enter does not submit a form (so does not run here either). */
const NOT_TYPED = new Set(["button", "checkbox", "radio", "submit", "reset", "file", "range"]);
/** How long the process pool may take to start before the page says it could not. */
const POOL_START_S = 20;

/** Shows `text` in the banner at the top; `kind` is error, warn or info. */
export function banner(text, kind = "error") {
  const el = $("banner");
  el.textContent = text;
  el.className = `banner ${kind}`;
  el.hidden = false;
}

/** Hides the banner if it still shows a warning about the link (not an error). */
function clearLinkBanner() {
  if ($("banner").classList.contains("warn")) $("banner").hidden = true;
}

export class App {
  cpus = showCpuCount();
  /** Per mode: true, or why it cannot run here (said wherever the mode is offered). */
  available;
  /** Stop aborts this: the whole of what the last button started, warm-ups included. */
  #stopper = null;
  #lastSweep = null;
  #module;
  #core;
  #caps;
  #modes;
  #workloads;
  #controls;
  #log = new Log($("log"), $("log-dropped"));
  #view = new ResultsView();
  #history = new History($("history"));
  #timeline = new TimelineView($("timeline"), $("timeline-tip"));
  #meter = new Meter($("meter"));
  #sweepView = new SweepView();
  #support;

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
    showArticleExcerpt($("article-code"));
    const app = new App({ caps, support, module, core });
    app.#wire();
    app.#applyLink();
    app.#controls.enable(app.available);
    app.#startPool();
    reportHeight();
    linksOutOfFrame();
    return app;
  }

  constructor({ caps, support, module, core }) {
    this.#caps = caps;
    this.#support = support;
    this.#module = module;
    this.#core = core;
    showThreadsReason($("threads-reason"), support.threads, caps);
    this.#modes = {
      main: new MainThreadMode(this),
      process: new ProcessMode(module),
      threads: new ThreadMode(compileThreads),
    };
    this.available = {
      main: true,
      // Until #startPool hears from the workers.
      process: support.process === true ? "the process pool is still starting" : support.process,
      threads: support.threads,
    };
    const list = core.workloads();
    this.#workloads = new Map(list.map((w) => [w.id, w]));
    this.#controls = new Controls($("controls"), list, core.settingNames(), core.maxWorkers());
  }

  /** The page's own wasm instance (main-thread mode runs tasks in it). */
  get core() {
    return this.#core;
  }

  /** After a task panics on the page's thread its instance is suspect: swap in a fresh one. */
  async replaceCore() {
    this.#core = await instantiate(this.#module);
  }

  // ---- Settings: the form, the link, variants ----

  #parse(pairs) {
    return this.#core.parseSettings(pairs, this.cpus);
  }

  /**
   * `settings` with some fields changed, read again by the core so its rules still hold
   * (the GIL belongs to threads only, for one).
   */
  #variant(settings, changes) {
    const pairs = this.#core.settingsPairs({ ...settings, ...changes });
    return this.#parse(pairs).settings;
  }

  /**
   * A shared link carries its settings; whatever cannot be used is named, not ignored, and
   * the address bar then shows the settings in force rather than the rejected values.
   */
  #applyLink() {
    const pairs = [...new URLSearchParams(location.search)];
    // A workload's own page (primes.html, written for oEmbed by tools/site-address.mjs) opens on it.
    const own = document.querySelector("meta[name=pp-workload]")?.content;
    if (own && !pairs.some(([name]) => name === "workload")) pairs.unshift(["workload", own]);
    const fromUrl = this.#parse(pairs);
    this.#controls.apply(fromUrl.settings);
    const problems = [...fromUrl.errors.map((e) => e.message), ...fromUrl.ignored];
    if (problems.length > 0) {
      const standIn = fromUrl.errors.length > 0 ? ", so defaults stand in" : "";
      banner(`Some of this link could not be used${standIn}: ${problems.join("; ")}.`, "warn");
    }
    if (location.search) this.#remember(fromUrl.settings);
    else this.#showLinks(fromUrl.settings);
    this.linkSettings = fromUrl.settings;
  }

  /** Puts `settings` in the address bar, so a reload or a shared link reproduces them. */
  #remember(settings) {
    putSettingsInLink(this.#core.settingsPairs(settings), this.#core.pageParameters());
    if ($("code").open) this.#showCode(settings);
    this.#showLinks(settings);
  }

  /** Links that carry the settings: out of an embed, and the embed snippets for a post. */
  #showLinks(settings) {
    const here = new URL(location.pathname, location.href);
    here.search = new URLSearchParams(this.#core.settingsPairs(settings)).toString();
    const label = this.#workloads.get(settings.workload)?.label ?? settings.workload;
    for (const link of document.querySelectorAll("a.open-full")) {
      link.href = fullPlaygroundUrl(here.href);
    }
    $("embed-name").textContent = `Parallel Playground · ${label}`;
    // A post's readers have their own CPU counts: a worker count that is only this machine's
    // default is left out, so each reader gets one worker per CPU of theirs.
    const forPost = new URL(here);
    const { workers } = this.#parse([["workload", settings.workload]]).settings;
    if (settings.workers === workers) forPost.searchParams.delete("workers");
    const snippets = embedSnippets(forPost.href, `Parallel Playground: ${label}`, {
      workload: settings.workload,
    });
    for (const platform of ["iframe", "element", "dev", "wordpress", "markdown"]) {
      $(`embed-${platform}`).textContent = snippets[platform];
    }
    $("embed-dev-note").textContent = snippets.devNote;
    $("embed-wordpress-note").textContent = snippets.wordpressNote;
  }

  #showCode(settings) {
    showCode(settings, this.#core.facts(settings), this.#workloads.get(settings.workload));
  }

  /**
   * Reads the form; on bad input shows why beside each field and returns null. With
   * `onMainThread`, the task list will also run on the page's thread (a comparison's or a
   * sweep's baseline), so it must fit there whatever the chosen mode.
   */
  #formSettings({ onMainThread = false } = {}) {
    const parsed = this.#parse(this.#controls.pairs());
    const errors = [...parsed.errors];
    if (onMainThread && errors.length === 0) {
      const problem = this.#core.mainThreadProblem(parsed.settings);
      if (problem) errors.push({ field: "tasks", message: problem });
    }
    this.#controls.showErrors(errors, { focus: true });
    return errors.length === 0 ? parsed.settings : null;
  }

  /** A new workload starts from its own sizes; the mode, workers, GIL and scale stay. */
  #switchWorkload(workload) {
    const current = this.#parse(this.#controls.pairs()).settings;
    const fresh = this.#core.defaultSettings(workload, this.cpus);
    const { mode, workers, scale } = current;
    this.#controls.apply({ ...fresh, mode, workers, scale, gil: $("gil").checked });
    this.#controls.showErrors([]);
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
  runAll(list) {
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
    return this.runAll([
      this.#variant(settings, { mode: MAIN }),
      this.#variant(settings, { mode: other }),
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
    const live = this.#liveHooks(settings, specs.length, facts);
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
    this.#showSeries(series, specs);
    return series;
  }

  /**
   * What a run shows while it goes: the status line, progress, the log and a redraw of the
   * live displays every LIVE_MS (live.js). Returns the runSeries hooks and stop() for the redraws.
   */
  #liveHooks(settings, tasks, facts) {
    let current = null;
    let stopRedraws = () => {};
    const { mode } = settings;
    // Name the run only when there are several: "(warm-up)", "(run 2 of 3)".
    const which = (record) => (namesRuns(settings) ? ` (${record.label})` : "");
    // The last run's time is not the headline's (a median of every run), so its line says so.
    const ended = (record) =>
      isLastOfSeveral(record, settings)
        ? ` (${record.label}; the result above is the median of all ${settings.repeats})`
        : which(record);
    const redraw = () => {
      const t0 = now();
      this.#view.tick();
      this.#log.flush();
      if (current?.start) this.#timeline.live(current);
      this.#meter.showLive();
      // The redraw's own JavaScript, on the run's page lane (the browser's painting after it
      // cannot be timed from here).
      if (current?.start && !isBaseline(settings)) addSpan(current.page, t0, now());
    };
    const hooks = {
      meter: this.#meter,
      onPrepared: (prep) => !isBaseline(settings) && this.#showPool(prep, mode),
      onRunStart: (record) => {
        current = record;
        this.#log.clear();
        const run = { tasks, workers: record.workers, gil: settings.gil, sleeps: facts.sleeps };
        this.#view.status(MODES[mode].running({ ...run, which: which(record) }));
        this.#view.progress(0, tasks);
        stopRedraws();
        stopRedraws = redrawEvery(redraw);
      },
      onLine: (text, worker) => this.#log.add(text, who(worker, mode)),
      onProgress: (record) => this.#view.progress(record.done, tasks),
      onRunEnd: (record) => {
        stopRedraws();
        if (record.start) this.#timeline.show(record);
        this.#meter.showResult(record.responsiveness);
        this.#log.add(`${endLine(record)}${record.status === "done" ? ended(record) : ""}`);
        this.#log.flush();
      },
    };
    return { hooks, stop: () => stopRedraws() };
  }

  /** A finished series: its result, explanation, timeline and picture, and a History row. */
  #showSeries(series, specs) {
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
    if (isEmbedded()) revealResult();
    for (const id of ["copy-markdown", "download-json", "download-csv"]) $(id).disabled = false;
    const stopped = series.status === "stopped" || series.status === "timed out";
    if (stopped && !isBaseline(settings)) {
      $("pool-status").textContent = MODES[settings.mode].stoppedPool;
    }
  }

  #showPool(prep, mode) {
    if (prep?.memoryBytes) $("pool-status").textContent = poolStatus(mode, prep);
  }

  /**
   * The sweep: a main-thread baseline, then the pool with 1, 2, … twice the reported CPUs,
   * for processes and (where they can run) threads; then Amdahl's law fitted to each.
   */
  async #sweep(settings, signal) {
    const { specs, facts } = this.#core.plan(settings);
    const counts = sweepCounts(this.cpus, this.#core.maxWorkers());
    const kinds = ["process", ...(this.available.threads === true ? ["threads"] : [])];
    const total = 1 + counts.length * kinds.length;
    let step = 0;
    const measure = async (s, what) => {
      step += 1;
      const status = (r) =>
        this.#sweepView.status(`Sweep ${step} of ${total}: ${what}, ${r.label}…`);
      const series = await runSeries({
        mode: this.#modes[s.mode],
        specs,
        facts,
        settings: s,
        hooks: { onRunStart: status },
        signal,
        summarize: (partials) => this.#core.summarize(s, partials),
      });
      if (series.status !== "done") throw new Error(series.error ?? series.status);
      return series;
    };
    const base = await measure(this.#variant(settings, { mode: MAIN }), "main thread");
    const results = {};
    const fits = {};
    for (const kind of kinds) {
      results[kind] = [];
      for (const n of counts) {
        const s = this.#variant(settings, { mode: kind, workers: n, gil: false });
        const series = await measure(s, `${MODES[kind].label}, ${plural(n, MODES[kind].unit)}`);
        const { min, max } = series.stats;
        const speedup = speedupOf(series, base);
        results[kind].push({ workers: n, ms: series.ms, min, max, speedup });
        results[kind].at(-1).digest = series.summary?.digest;
      }
      const points = results[kind].map(({ workers, speedup }) => ({ workers, speedup }));
      fits[kind] = this.#core.amdahlFit(points);
    }
    const { cpus } = this;
    return { settings, cpus, baselineMs: base.ms, digest: base.summary?.digest, results, fits };
  }

  async #runSweep(settings) {
    this.#sweepView.status("Starting the sweep…");
    await this.#stoppable(async (signal) => {
      try {
        const sweep = await this.#sweep(settings, signal);
        this.#lastSweep = sweep;
        this.#sweepView.show(sweep);
        showMeasuredCores(sweep);
        const points = Object.values(sweep.results).flat().length;
        const warm = settings.warmup ? " after a warm-up" : "";
        this.#sweepView.status(
          `Done: ${points} points, each the median of ${plural(settings.repeats, "run")}${warm}.`,
        );
      } catch (error) {
        this.#sweepView.status(`The sweep stopped: ${error.message}.`);
      }
    });
  }

  /**
   * "Memory you can see": the process pool counts `size` racy increments, each worker in its
   * own memory; then the thread pool's threads race on one counter, load-then-store and then
   * fetch_add (see counter::race in the core). Stop ends it between steps.
   */
  async #runCounter() {
    const { settings } = this.#parse(this.#controls.pairs());
    const { default_size: size, default_tasks: tasks } = this.#workloads.get("counter");
    const workers = Math.max(settings.workers, 2);
    await this.#stoppable(async (signal) => {
      try {
        resetCounterCards();
        const pool = this.#modes.process;
        await pool.prepare({ workers }, { signal });
        await pool.inspect({ reset: true, signal });
        const racy = { ...settings, workload: "racy", size, tasks, chunksize: 1, fail: null };
        const { specs } = this.#core.plan(racy);
        await pool.run(specs, { chunksize: 1, context: { scale: 1, gil: false }, signal });
        showProcessCounts(size, await pool.inspect({ reset: true, signal }));
        for (const [id, atomic] of [
          ["counter-racy", false],
          ["counter-atomic", true],
        ]) {
          if (this.available.threads !== true) {
            showNoThreads(id, this.available.threads);
            continue;
          }
          signal.throwIfAborted();
          showRaceRunning(id);
          const threads = this.#modes.threads;
          await threads.prepare({ workers }, { signal });
          const perThread = Math.floor(size / workers);
          const race = await threads.race({ perThread, racy: !atomic, signal });
          const [memory] = await threads.inspect({ signal });
          showRace(id, race, memory.memoryBytes);
        }
      } catch (error) {
        if (isStop(error)) showCounterStopped();
        else banner(`The counter experiment failed: ${error.message}`);
      }
    });
  }

  /**
   * Starts the process pool now, so the first run measures work rather than start-up. A
   * worker that never answers (blocked by the host, say) must not leave the page
   * "starting" forever.
   */
  #startPool() {
    if (this.#support.process !== true) {
      $("pool-status").textContent = `Process pool unavailable: ${this.#support.process}.`;
      return;
    }
    $("pool-status").textContent = "Starting the process pool…";
    const settle = (status) => {
      this.available.process = status;
      if (!this.#stopper) this.#controls.enable(this.available);
    };
    withDeadline(this.#modes.process.prepare(this.linkSettings), POOL_START_S, "the pool's workers")
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

  // ---- Exports ----

  #pageInfo() {
    return {
      url: location.href,
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      capabilities: this.#caps,
      exported: new Date().toISOString(),
    };
  }

  async #copyMarkdown() {
    const ok = await copy(markdown(this.#history));
    return ok ? "Copied the table as Markdown." : "The browser refused the clipboard.";
  }

  #downloadJson() {
    const data = { ...report(this.#history, this.#pageInfo()), sweep: this.#lastSweep };
    download("parallel-playground.json", "application/json", JSON.stringify(data, null, 2));
    return "Downloaded parallel-playground.json.";
  }

  #downloadCsv() {
    download("parallel-playground.csv", "text/csv", csv(this.#history));
    return "Downloaded parallel-playground.csv (one row per task of every measured run).";
  }

  // ---- Events ----

  #wire() {
    this.#wireButtons();
    this.#wireForm();
    const share = (make) => async () => ($("share-status").textContent = await make());
    $("copy-markdown").addEventListener(
      "click",
      share(() => this.#copyMarkdown()),
    );
    $("download-json").addEventListener(
      "click",
      share(() => this.#downloadJson()),
    );
    $("download-csv").addEventListener(
      "click",
      share(() => this.#downloadCsv()),
    );
    const platform = () => document.querySelector("input[name=embed-platform]:checked").value;
    document.querySelector(".embed-platforms").addEventListener("change", () => {
      for (const choice of document.querySelectorAll(".embed-choice")) {
        choice.hidden = choice.dataset.platform !== platform();
      }
      $("embed-status").textContent = "";
    });
    $("copy-embed").addEventListener("click", async () => {
      const ok = await copy($(`embed-${platform()}`).textContent);
      $("embed-status").textContent = ok
        ? "Copied. Paste it into your post."
        : "The browser refused the clipboard; select the code above and copy it.";
    });
  }

  #wireButtons() {
    // Run is a plain button, never a form submission: a frame sandboxed without allow-forms
    // (common in CMS embed wrappers) blocks submitting, and Run did nothing there. A run puts
    // its settings in the link, whether or not the field typed last has fired its change (it
    // fires on blur, and Enter or a scripted click may not blur it).
    $("run").addEventListener("click", () => {
      const settings = this.#formSettings();
      if (!settings) return;
      this.#remember(settings);
      this.runAll([settings]);
    });
    // Enter in a field runs, as it would submit a form; the form itself is never submitted.
    $("controls").addEventListener("submit", (event) => event.preventDefault());
    document.addEventListener("keydown", (event) => {
      const field = event.target;
      if (event.key !== "Enter" || event.isComposing || field.form !== $("controls")) return;
      // Where a form submits implicitly: text-like fields, not boxes or buttons.
      if (!(field instanceof HTMLInputElement) || NOT_TYPED.has(field.type)) return;
      event.preventDefault();
      if (!$("run").disabled) $("run").click();
    });
    $("compare").addEventListener("click", () => {
      const settings = this.#formSettings({ onMainThread: true });
      if (!settings) return;
      this.#remember(settings);
      this.#compare(settings);
    });
    $("preset").addEventListener("click", () => {
      // ProcessPoolExecutor() with no arguments uses one worker per CPU; so does the preset.
      const scale = $("controls").elements.scale.value;
      const pairs = [
        ["workload", "sleeper"],
        ["mode", "process"],
        ["scale", scale],
      ];
      const { settings } = this.#parse(pairs);
      this.#controls.apply(settings);
      this.#controls.showErrors([]);
      this.#remember(settings);
      const still = matchMedia("(prefers-reduced-motion: reduce)").matches;
      $("run-card").scrollIntoView({ behavior: still ? "auto" : "smooth", block: "start" });
      this.runAll([settings]);
    });
    $("sweep-run").addEventListener("click", () => {
      const settings = this.#formSettings({ onMainThread: true });
      if (settings) this.#runSweep(settings);
    });
    $("counter-run").addEventListener("click", () => this.#runCounter());
    $("stop").addEventListener("click", () => this.#stopper?.abort());
    $("code").addEventListener("toggle", () => {
      if ($("code").open) this.#showCode(this.#parse(this.#controls.pairs()).settings);
    });
    // The Python panel (its module, its stylesheet, the runtime) loads only when opened; a
    // link that carries a program opens it.
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
    // (Not in an embed, which shows one experiment: a program link there is not read at all.)
    if (programInLink() && !isEmbedded()) python.open = true;
  }

  #wireForm() {
    // Listen on the document: the time-scale radios belong to the form (form="controls") but
    // sit outside it, and their events bubble through their own ancestors only.
    const ofForm = (listener) => (event) => event.target.form === $("controls") && listener(event);
    document.addEventListener(
      "change",
      ofForm((event) => {
        if (event.target.name === "workload") this.#switchWorkload(event.target.value);
        const parsed = this.#parse(this.#controls.pairs());
        if (parsed.errors.length === 0) this.#remember(parsed.settings);
      }),
    );
    // Errors first appear when Run is pressed, never when a field loses focus: a message
    // appearing on blur would push the button away from under the pointer mid-click. Once
    // shown, an error follows the typing, so it clears as soon as the value is good.
    document.addEventListener(
      "input",
      ofForm(() => {
        const shown = this.#controls.shownErrors();
        if (shown.size === 0) return;
        const errors = this.#parse(this.#controls.pairs()).errors;
        this.#controls.showErrors(errors.filter((e) => shown.has(e.field)));
      }),
    );
  }
}

/**
 * In an embed, brings the result's headline into view when it is out of sight: a frame of
 * fixed height (DEV's, 300 px say) shows only the controls, and its reader pressed Run there.
 */
function revealResult() {
  const headline = $("finished");
  const box = (headline.hidden ? $("run-card") : headline).getBoundingClientRect();
  if (box.top >= 0 && box.bottom <= innerHeight) return;
  const still = matchMedia("(prefers-reduced-motion: reduce)").matches;
  $("run-card").scrollIntoView({ behavior: still ? "auto" : "smooth", block: "start" });
}

/** The log's last line for a run: Python's "Finished in …", a TimeoutError, or Stopped. */
function endLine(record) {
  if (record.status === "done") return finishedLine(record.ms);
  if (record.status === "timed out") return `TimeoutError after ${seconds(record.ms)} second(s)`;
  return `Stopped after ${seconds(record.ms)} second(s)`;
}
