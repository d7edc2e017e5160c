// What the page shows while something runs: every live display redraws at once, LIVE_MS
// apart, and a measured series' runs are followed in the status line, the progress bar, the
// log, the timeline and the responsiveness meter.
import { addSpan, now } from "../engine/measure.js";
import { isBaseline, isLastOfSeveral, namesRuns } from "../engine/series.js";
import { seconds } from "./format.js";
import { finishedLine } from "./results.js";
import { MODES, who } from "./wording.js";

/**
 * In ms: all at once, twice a second. On a 2-core machine every repaint takes CPU time from
 * the workers being measured: redrawing each display on its own timer cost about 8% of a
 * 250 ms process-pool run, and redrawing them together four times a second still took about
 * 3% of both cores from a Mandelbrot run, half of which this saves (docs/benchmarks.md).
 */
export const LIVE_MS = 500;

/** Calls `redraw` every LIVE_MS until the returned stop() is called. */
export function redrawEvery(redraw) {
  const timer = setInterval(redraw, LIVE_MS);
  return () => clearInterval(timer);
}

/**
 * The runSeries hooks (runs.js) that show a series of `settings` as it runs, on `widgets`
 * {view, log, timeline, meter}; `onPrepared(prep)` hears the pool ready (not for the
 * main thread). Returns {hooks, stop()}: stop ends the redraws.
 */
export function liveHooks({ widgets, settings, tasks, facts, onPrepared }) {
  const { view, log, timeline, meter } = widgets;
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
    view.tick();
    log.flush();
    if (current?.start) timeline.live(current);
    meter.showLive();
    // The redraw's own JavaScript, on the run's page lane (the browser's painting after it
    // cannot be timed from here).
    if (current?.start && !isBaseline(settings)) addSpan(current.page, t0, now());
  };
  const hooks = {
    meter,
    onPrepared: (prep) => !isBaseline(settings) && onPrepared(prep),
    onRunStart: (record) => {
      current = record;
      log.clear();
      const run = { tasks, workers: record.workers, gil: settings.gil, sleeps: facts.sleeps };
      view.status(MODES[mode].running({ ...run, which: which(record) }));
      view.progress(0, tasks);
      stopRedraws();
      stopRedraws = redrawEvery(redraw);
    },
    onLine: (text, worker) => log.add(text, who(worker, mode)),
    onProgress: (record) => view.progress(record.done, tasks),
    onRunEnd: (record) => {
      stopRedraws();
      if (record.start) timeline.show(record);
      meter.showResult(record.responsiveness);
      log.add(`${endLine(record)}${record.status === "done" ? ended(record) : ""}`);
      log.flush();
    },
  };
  return { hooks, stop: () => stopRedraws() };
}

/** The log's last line for a run: Python's "Finished in …", a TimeoutError, or Stopped. */
function endLine(record) {
  if (record.status === "done") return finishedLine(record.ms);
  if (record.status === "timed out") return `TimeoutError after ${seconds(record.ms)} second(s)`;
  return `Stopped after ${seconds(record.ms)} second(s)`;
}
