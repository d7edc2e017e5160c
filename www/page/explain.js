// "Explain this result": a short paragraph, generated from what was measured, on why a run
// took as long as it did.
import { timelineOf, breakdown, computeMsOf } from "../engine/analysis.js";

import { capitalize, fmt, plural } from "./format.js";
import { MODES } from "./wording.js";
import { efficiencyOf, isBaseline, speedupOf } from "../engine/series.js";
const ms = (x) => `${fmt.format(Math.round(x))} ms`;
const pct = (part, whole) => `${Math.round((100 * part) / Math.max(whole, 1e-9))}%`;

/**
 * Explains `series` (compared with `baseline`, the main-thread series, if any) on a machine
 * that reports `cpus` logical CPUs.
 */
export function explain(series, baseline, cpus) {
  if (series.status !== "done") return "";
  const run = series.representative;
  const b = breakdown(timelineOf(run));
  const { settings } = series;
  const n = series.workers;
  const { unit } = MODES[series.mode];
  const units = plural(n, unit);
  const out = [];

  if (series.facts.sleeps) {
    const floor = series.facts.longest_sleep_ms * settings.scale;
    if (isBaseline(series)) {
      return `One call after another, so every sleep adds up: ${ms(run.ms)} in all. Sleeping uses no CPU, so even this one thread could have overlapped the sleeps, had it not waited for each.`;
    }
    return `No schedule can beat the longest single sleep, ${ms(floor)}: ${units} finished ${ms(run.ms - floor)} after it. The sleeps overlapped because sleeping uses no CPU${settings.gil ? " and releases the GIL" : ""}; the other calls ran while the sleepers slept.`;
  }

  if (isBaseline(series)) {
    const r = run.responsiveness;
    out.push(
      `One task after another on the page's own thread: this is the baseline. ${plural(series.tasks, "task")} took ${ms(run.ms)}, a median of ${ms(b.medianTask)} each.`,
    );
    if (r?.longTasks) {
      out.push(
        `Meanwhile the page could not paint or react for ${ms(r.blockedMs)} (${r.longTasks} long task${r.longTasks > 1 ? "s" : ""}): in a real app, that is a frozen screen.`,
      );
    }
    return out.join(" ");
  }

  const speedup = speedupOf(series, baseline);
  const cores = `${cpus} reported CPU${cpus > 1 ? "s" : ""}`;
  if (speedup) {
    out.push(
      `${capitalize(units)} on ${cores}: ${speedup.toFixed(2)}× faster than the main thread, ${pct(efficiencyOf(speedup, n), 1)} efficient.`,
    );
  } else {
    out.push(`${capitalize(units)} on ${cores}.`);
  }
  out.push(
    `Of the ${n} × ${ms(b.wall)} of ${unit} time, ${ms(b.run)} went to computing, ${ms(b.messages)} to messages${b.wait > 0 ? `, ${ms(b.wait)} to waiting for the GIL` : ""} and ${ms(b.idle)} to waiting for work.`,
  );
  if (b.page > 0) {
    out.push(
      `The page's own thread ran ${ms(b.page)} of JavaScript for the run (handing out tasks, taking results, redrawing: ${pct(b.page, b.wall)} of the run's time), on the same cores as the ${unit}s.`,
    );
  }
  if (b.wait > b.run * 0.3) {
    out.push(
      "Under the model GIL only one thread computes at a time, so adding threads cannot speed up CPU-bound work; that is why the article reaches for processes.",
    );
  } else if (b.messages > b.run) {
    out.push(
      `Each task computed for ${(b.run / series.tasks).toFixed(3)} ms on average but its messages cost ${(b.messages / series.tasks).toFixed(3)} ms: the messages, not the work, set the pace. A larger chunksize sends fewer, bigger messages.`,
    );
  } else if (n > cpus) {
    out.push(
      `There are more ${unit}s than CPUs, so they take turns on the cores: more ${unit}s cannot add speed here.`,
    );
  } else if (b.tail > b.wall * 0.05 && n > 1) {
    out.push(
      `The last ${ms(b.tail)} only one ${unit} still had work: tasks differ in cost (the slowest took ${(b.slowestTask / Math.max(b.medianTask, 1e-9)).toFixed(1)}× the median), and the last ones finished unevenly. More, smaller tasks even this out.`,
    );
  } else if (speedup && efficiencyOf(speedup, n) < 0.9) {
    const base = computeMsOf(baseline.representative);
    const slower = b.run / Math.max(base, 1e-9) - 1;
    out.push(
      slower > 0.03
        ? `The tasks themselves computed ${Math.round(100 * slower)}% longer than on the main thread (${ms(b.run)} against ${ms(base)}): the ${unit}s share the cores with the page's own thread, the browser and the OS.`
        : "The rest of the gap is the page's own thread, the browser and the OS sharing the same cores.",
    );
  }

  return out.join(" ");
}
