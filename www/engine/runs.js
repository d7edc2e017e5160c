// A measured series: one task list in one mode, an optional warm-up run, then the repeats,
// each timed by measure() and watched by the responsiveness meter. No DOM here: the page
// follows along through hooks.
import { addSpan, measure, now } from "./measure.js";
import { timeoutError } from "./stop.js";
import { runLabel, summarizeRuns } from "./series.js";

/** Resolves once the browser has painted what was just put on screen (or after 100 ms). */
export function nextPaint() {
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

/** How a run that threw `error` ended: "stopped" (Stop), "timed out" or "error". */
export function endStatus(error) {
  return { AbortError: "stopped", TimeoutError: "timed out" }[error.name] ?? "error";
}

/** What a run asks of its mode (modes.js run()): how to send the tasks, and what to hear. */
function runOptions({ record, facts, settings, hooks, signal }) {
  const { outcomes } = record;
  return {
    signal,
    chunksize: facts.chunksize, // "auto" resolved by the core
    // Tasks that sleep go one at a time, so they start in order, as from Python's queue.
    pipeline: !facts.sleeps,
    context: { scale: settings.scale, gil: settings.gil },
    onEvent: (event, worker) => event.type === "line" && hooks.onLine?.(event.text, worker),
    onDispatch: (positions, worker, sentAt) => {
      for (const task of positions) record.inFlight.set(task, { task, worker, sentAt });
    },
    onBusy: (from, to) => addSpan(record.page, from, to),
    onResult: (outcome, i) => {
      if (!outcomes[i]) record.done += 1;
      record.inFlight.delete(i);
      if (!(outcomes[i] && outcome.live)) outcomes[i] = outcome;
      hooks.onProgress?.(record);
    },
  };
}

/**
 * Runs `specs` once with a prepared `mode`; returns the run's record:
 * {label, mode, workers, tasks, start, end, ms, status, error, outcomes, inFlight, lanes,
 * restarts, responsiveness, summary, failures}.
 */
async function runOnce({ mode, specs, facts, settings, prep, label, hooks, summarize, signal }) {
  const outcomes = new Array(specs.length);
  const restartsBefore = mode.restarts.length;
  const record = {
    label,
    workload: settings.workload,
    sleeps: facts.sleeps,
    mode: mode.name,

    workers: prep.workers,
    tasks: specs.length,
    start: null,
    end: null,
    status: "running",
    outcomes,
    done: 0,
    inFlight: new Map(), // task → {task, worker, sentAt}: a task handed back and sent again is sent once
    // When the page's own thread worked for the run (the pool's sending and taking answers,
    // the live redraws): [[from, to]] on now()'s clock. The workers' cores are its cores too.
    page: [],

    lanes: prep.lanes ?? [],
    restarts: [],
  };
  hooks.onRunStart?.(record);
  // Let the status paint first: in main-thread mode it would not show until the end, and
  // in pool modes the repaint would compete with the first tasks for the CPU.
  await nextPaint();
  hooks.meter?.start();
  // This run ends on the series' Stop or at its own timeout, whichever comes first.
  const ending = new AbortController();
  const stop = () => ending.abort(signal.reason);
  signal?.addEventListener("abort", stop, { once: true });
  if (signal?.aborted) stop();
  const timeout =
    settings.timeout &&
    setTimeout(() => ending.abort(timeoutError(settings.timeout)), settings.timeout * 1000);
  const timed = await measure(() => {
    record.start = now();
    return mode.run(specs, runOptions({ record, facts, settings, hooks, signal: ending.signal }));
  });
  clearTimeout(timeout);
  signal?.removeEventListener("abort", stop);
  record.responsiveness = (await hooks.meter?.stop()) ?? null;

  Object.assign(record, { start: timed.start, end: timed.end, ms: timed.ms });
  record.outcomes = timed.value ?? outcomes;
  record.inFlight = new Map();
  record.restarts = mode.restarts.slice(restartsBefore);
  record.status = !timed.error ? "done" : endStatus(timed.error);
  record.error = timed.error?.message;
  // Like executor.map(timeout=…), say which tasks never finished.
  record.unfinished = [];
  for (let i = 0; i < specs.length; i++) if (!record.outcomes[i]) record.unfinished.push(i);
  record.failures = record.outcomes.flatMap((o, index) =>
    o?.error ? [{ index, message: o.error.message }] : [],
  );
  if (record.status === "done") {
    const partials = record.outcomes.filter((o) => o?.value).map((o) => o.value.partial);
    record.summary = summarize(partials);
  }
  hooks.onRunEnd?.(record);
  return record;
}

/**
 * Prepares `mode` (starting its pool if needed, timed as the cold start) and runs the series
 * that `settings` asks for: `specs` and `facts` are the core's plan for them. `signal` (Stop)
 * ends the series: the run under way, the repeats after it and any warm-up;
 * `settings.timeout` ends one run and so the series. Returns {settings, mode, workers, tasks,
 * coldStartMs, facts, status, warmup, runs, stats: {median, min, max}, representative,
 * summary, failures}; the representative run is the measured run closest to the median,
 * whose details are shown.
 */
export async function runSeries({ mode, specs, facts, settings, hooks = {}, summarize, signal }) {
  const prep = await mode.prepare(settings, { signal });
  hooks.onPrepared?.(prep);
  const series = {
    settings,
    mode: mode.name,
    workers: prep.workers,
    tasks: specs.length,
    coldStartMs: prep.coldStartMs,
    facts,
    warmup: null,
    runs: [],
    status: "done",
  };
  const total = settings.repeats + (settings.warmup ? 1 : 0);
  for (let i = 0; i < total; i++) {
    const isWarmup = settings.warmup && i === 0;
    const label = runLabel(i, settings);
    const record = await runOnce({
      signal,
      mode,
      specs,
      facts,
      settings,
      // Only the series' first run shows the pool starting; later runs find it warm.
      prep: i === 0 ? prep : { ...prep, lanes: [] },
      label,
      hooks,
      summarize,
    });
    if (isWarmup) series.warmup = record;
    else series.runs.push(record);
    if (record.status !== "done") {
      series.status = record.status;
      series.error = record.error;
      series.representative = record;
      return series;
    }
  }
  Object.assign(series, summarizeRuns(series.runs));
  series.ms = series.stats.median;
  series.summary = series.representative.summary;
  series.failures = series.representative.failures;
  series.digestsAgree = series.runs.every((r) => r.summary?.digest === series.summary?.digest);
  return series;
}
