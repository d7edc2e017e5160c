// The Result card: progress while a series runs, then the headline number with its method
// (median of the repeats, min–max, warm-up, cold start), the speedup against the main
// thread, the answer, failures, the page's responsiveness, the picture and the per-task table.
import { efficiencyOf, isBaseline, namesRuns, speedupOf } from "../engine/series.js";
import { fmt, percent, plural, seconds as s2 } from "./format.js";
import { MODES, who } from "./wording.js";

const TABLE_ROWS = 500;
const $ = (id) => document.getElementById(id);

/** "Finished in 12.01 second(s)", as the article's program prints it. */
export function finishedLine(ms) {
  return `Finished in ${s2(ms)} second(s)`;
}

/** Task numbers as ranges, "3, 7–12, 40", at most 12 ranges shown. */
export function taskList(indices) {
  const ranges = [];
  for (const i of indices) {
    const last = ranges.at(-1);
    if (last && last[1] === i - 1) last[1] = i;
    else ranges.push([i, i]);
  }
  const shown = ranges.slice(0, 12).map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`));
  if (ranges.length > 12) shown.push(`and ${ranges.length - 12} more ranges`);
  return shown.length > 0 ? `tasks ${shown.join(", ")}` : "none";
}

export class ResultsView {
  #startedAt = 0;
  #done = [0, 0];

  /** Resets the card for a new series of `total`-task runs. */
  begin(total, status) {
    for (const id of ["finished", "method", "speedup", "answer", "failures", "explain"]) {
      $(id).hidden = true;
    }
    $("picture").hidden = true;
    $("task-table").tBodies[0].replaceChildren();
    $("task-table-note").textContent = "";
    $("run-card").setAttribute("aria-busy", "true");
    this.progress(0, total);
    this.status(status);
    $("status").classList.remove("explain");
    this.#startedAt = performance.now();
    this.tick();
  }

  /**
   * Redraws the elapsed time and the progress bar; the page calls it on its live refresh.
   * A timer on the page's thread on purpose: when that thread is busy the clock stops, which
   * is the freeze made visible.
   */
  tick() {
    $("elapsed").textContent = `${((performance.now() - this.#startedAt) / 1000).toFixed(1)} s`;
    this.#drawProgress();
  }

  status(text) {
    $("status").textContent = text;
  }

  /** Records progress; the bar shows it on the next tick(). */
  progress(done, total) {
    this.#done = [done, total];
  }

  #drawProgress() {
    const [done, total] = this.#done;
    const bar = $("progress");
    bar.max = Math.max(total, 1);
    bar.value = done;
    bar.setAttribute("aria-valuetext", `${done} of ${total} tasks done`);
  }

  /**
   * Brings the result's headline into view when it is out of sight: in an embed, a frame of
   * fixed height (DEV's, 300 px say) shows only the controls, and its reader pressed Run there.
   */
  reveal() {
    const headline = $("finished");
    const box = (headline.hidden ? $("run-card") : headline).getBoundingClientRect();
    if (box.top >= 0 && box.bottom <= innerHeight) return;
    const still = matchMedia("(prefers-reduced-motion: reduce)").matches;
    $("run-card").scrollIntoView({ behavior: still ? "auto" : "smooth", block: "start" });
  }

  /** Shows a finished (or stopped) series; `baseline` is the main-thread series to compare. */
  end(series, baseline) {
    $("run-card").removeAttribute("aria-busy");
    $("elapsed").textContent = "";
    const shown = series.representative;
    const done = shown ? shown.outcomes.filter(Boolean).length : 0;
    this.progress(done, series.tasks);
    this.#drawProgress();
    if (series.status === "stopped" || series.status === "timed out") {
      this.status(stoppedLine(series, done));
      return;
    }
    if (series.status === "error") {
      this.status(`The run could not finish: ${series.error}`);
      return;
    }
    showFinished(series);
    showMethod(series);
    showSpeedup(series, baseline);
    showAnswer(series);
    showFailures(series);
    this.status(describe(series));
    $("status").classList.add("explain");
    this.#table(shown);
  }

  /** Shows the generated explanation under the run. */
  explain(text) {
    $("explain").textContent = text;
    $("explain").hidden = !text;
  }

  #table(record) {
    const body = $("task-table").tBodies[0];
    const rows = record.outcomes.slice(0, TABLE_ROWS).map((outcome, i) => {
      const tr = document.createElement("tr");
      const v = outcome?.value;
      const cells = [
        String(i),
        outcome ? who(outcome.worker, record.mode) : "–",
        v ? (v.start - record.start).toFixed(1) : "–",
        v ? (v.end - v.start).toFixed(1) : "–",
        outcome?.error ? outcome.error.message : v ? "ok" : "not run",
      ];
      for (const text of cells) tr.insertCell().textContent = text;
      if (outcome?.error) tr.className = "failed";
      return tr;
    });
    body.replaceChildren(...rows);
    $("task-table-note").textContent =
      (record.outcomes.length > TABLE_ROWS
        ? `Showing the first ${TABLE_ROWS} of ${fmt.format(record.outcomes.length)} tasks. `
        : "") + `From ${record.label}, the one closest to the median.`;
  }

  /** Draws a Mandelbrot run's bands into the canvas, `width` pixels wide. */
  draw(record, specs, width) {
    const height = specs.at(-1).hi;
    const canvas = $("picture");
    canvas.width = width;
    canvas.height = height;
    const image = new ImageData(width, height);
    record.outcomes.forEach((outcome, i) => {
      if (outcome?.value?.pixels) image.data.set(outcome.value.pixels, specs[i].lo * width * 4);
    });
    canvas.getContext("2d").putImageData(image, 0, 0);
    canvas.hidden = false;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `The Mandelbrot set, ${width} by ${height} pixels`);
  }
}

/** One sentence on who ran what. */
function describe(series) {
  const { settings } = series;
  const where = {
    main: "on the page's own thread, one task after another",
    process: `on ${plural(series.workers, "worker")}, each with its own memory`,
    threads: `on ${plural(series.workers, "thread")} sharing one memory${settings.gil ? ", taking turns under the model GIL" : ""}`,
  }[series.mode];
  return `${plural(series.tasks, "task")} ran ${where}.`;
}

/** A stopped or timed-out series: when, how many tasks finished, which did not. */
function stoppedLine(series, done) {
  const shown = series.representative;
  const { timeout } = series.settings;
  if (!shown) {
    const why = series.status === "timed out" ? `Timed out (${series.error})` : "Stopped";
    return `${why} while the ${MODES[series.mode].label} was starting: no task ran.${MODES[series.mode].stoppedRun}`;
  }
  const which = namesRuns(series.settings) ? ` (${shown.label})` : "";
  const how =
    series.status === "timed out"
      ? `Timed out after ${s2(shown.ms)} s${which}, past its timeout of ${timeout} s`
      : `Stopped after ${s2(shown.ms)} s${which}`;
  const unfinished = taskList(shown.unfinished);
  const after = MODES[series.mode].stoppedRun;
  return `${how}: ${done} of ${series.tasks} tasks had finished; unfinished: ${unfinished}.${after}`;
}

/** The article's "Finished in … second(s)", with the sleeps' floor for reading back. */
function showFinished(series) {
  const finished = $("finished");
  finished.textContent = finishedLine(series.ms);
  finished.dataset.ms = series.ms.toFixed(3);
  // The floor under a sleeping job's wall time (its longest sleep), for reading back.
  const { sleeps, longest_sleep_ms: longest } = series.facts;
  if (sleeps) finished.dataset.floorMs = (longest * series.settings.scale).toFixed(3);
  else delete finished.dataset.floorMs;
  finished.hidden = false;
}

/** How the number was measured: median of how many runs, warm-up, pool start-up. */
function showMethod(series) {
  const method = $("method");
  const { median, min, max } = series.stats;
  const runs = series.runs.length;
  method.textContent =
    (runs > 1 ? `Median of ${runs} runs (fastest ${s2(min)} s, slowest ${s2(max)} s)` : `One run`) +
    (series.warmup ? `, after a warm-up run of ${s2(series.warmup.ms)} s` : ", no warm-up") +
    (series.coldStartMs > 0
      ? `. Starting the pool took ${fmt.format(Math.round(series.coldStartMs))} ms, not counted.`
      : ".");
  method.dataset.median = median.toFixed(3);
  method.hidden = false;
}

/** Speedup and efficiency against the main-thread `baseline`, or how to get one. */
function showSpeedup(series, baseline) {
  const speedup = $("speedup");
  speedup.hidden = false;
  const s = speedupOf(series, baseline);
  if (isBaseline(series)) {
    speedup.textContent = "This is the baseline: every other mode is compared with it.";
  } else if (s) {
    const on = plural(series.workers, MODES[series.mode].unit);
    const efficiency = percent(efficiencyOf(s, series.workers));
    speedup.innerHTML = `<strong>${s.toFixed(2)}×</strong> the speed of the main thread (${s2(baseline.ms)} s for the same ${plural(series.tasks, "task")}) · <strong>${efficiency}</strong> parallel efficiency on ${on}`;
  } else {
    speedup.textContent =
      "No main-thread run of these settings yet: press “Compare with the main thread” to see the speedup.";
  }
}

/** The workload's answer in words and its digest (the same in every mode). */
function showAnswer(series) {
  const answer = $("answer");
  answer.hidden = !series.summary;
  if (!series.summary) return;
  answer.innerHTML = "";
  answer.append(series.summary.headline, " · digest ");
  const digest = document.createElement("code");
  digest.className = "digest";
  digest.id = "digest";
  digest.textContent = series.summary.digest;
  digest.title = "Digest of the result: the same in every mode and for every task count";
  answer.append(digest);
  if (series.failures.length > 0) answer.append(" (incomplete: some tasks failed)");
  if (!series.digestsAgree) answer.append(" (the repeats disagree!)");
}

/** Which task failed first and why, and what the mode did about it. */
function showFailures(series) {
  const failures = $("failures");
  failures.hidden = series.failures.length === 0;
  if (series.failures.length === 0) return;
  const [first] = series.failures;
  const more = series.failures.length > 1 ? ` and ${series.failures.length - 1} more` : "";
  const others = series.tasks - series.failures.length;
  failures.textContent = `Task ${first.index} failed${more}: ${first.message}. The other ${plural(others, "task")} finished${MODES[series.mode].failed}.`;
}
