// The sweep's results: speedup and efficiency against the number of workers (and threads),
// with the ideal line, the Amdahl fit, and where scaling levels off next to the CPU count
// the browser reports; under weak scaling (n× the tasks for n workers), the time of each point
// against the flat ideal and the scaled speedup with Gustafson's fit.

import { capitalize, inSeconds, percent, plural } from "./format.js";
import { MAIN, efficiencyOf } from "../engine/series.js";
import { MODES } from "./wording.js";
const $ = (id) => document.getElementById(id);

/** The smallest step of 0.5, 1, 2, 5, 10… at or above `v`: a scale's top. */
function niceTop(v) {
  if (v >= 0.5 && v <= 2) return Math.ceil(v * 2) / 2;
  const step = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((k) => k * step).find((top) => top >= v - 1e-9);
}

/**
 * An SVG line chart `W` px wide (drawn at the size it is shown, so 12 px text stays 12 px):
 * x = workers, y from 0 to a top that holds every point of `lines` ({className, points,
 * dash}), never less than `atLeast`.
 */
function chart({ W, title, xmax, atLeast, yFormat, lines, markers, label }) {
  const ymax = niceTop(Math.max(atLeast, ...lines.flatMap((l) => l.points.map(([, py]) => py))));
  const H = 260;
  const m = { left: 44, right: 12, top: 28, bottom: 40 };
  const x = (v) => m.left + ((v - 1) / Math.max(xmax - 1, 1)) * (W - m.left - m.right);
  const y = (v) => H - m.bottom - (v / ymax) * (H - m.top - m.bottom);
  const parts = [`<text class="chart-title" x="${m.left}" y="16">${title}</text>`];
  // Under one unit (seconds of a quick weak sweep), five steps of a round size.
  const ystep = ymax < 1 ? ymax / 5 : ymax <= 2.5 ? 0.5 : ymax <= 6 ? 1 : Math.ceil(ymax / 6);
  for (let v = 0; v <= ymax + 1e-9; v += ystep) {
    parts.push(
      `<line class="grid" x1="${m.left}" x2="${W - m.right}" y1="${y(v)}" y2="${y(v)}"/>`,
      `<text class="tick" x="${m.left - 6}" y="${y(v) + 4}" text-anchor="end">${yFormat(v)}</text>`,
    );
  }
  const xstep = xmax <= 12 ? 1 : Math.ceil(xmax / 12);
  for (let v = 1; v <= xmax; v += xstep) {
    parts.push(
      `<text class="tick" x="${x(v)}" y="${H - m.bottom + 16}" text-anchor="middle">${v}</text>`,
    );
  }
  parts.push(
    `<text class="tick" x="${(W + m.left) / 2}" y="${H - 6}" text-anchor="middle">workers or threads</text>`,
  );
  for (const mk of markers) {
    // A label near the right edge reads leftwards, so it is never cut off.
    const leftwards = x(mk.at) > W - 100;
    const lx = x(mk.at) + (leftwards ? -4 : 4);
    const anchor = leftwards ? ' text-anchor="end"' : "";
    parts.push(
      `<line class="marker ${mk.className}" x1="${x(mk.at)}" x2="${x(mk.at)}" y1="${m.top}" y2="${H - m.bottom}"/>`,
      `<text class="marker-label ${mk.className}" x="${lx}" y="${m.top + 10 + (mk.row ?? 0) * 14}"${anchor}>${mk.text}</text>`,
    );
  }
  for (const line of lines) {
    if (line.points.length === 0) continue;
    const d = line.points
      .map(([px, py], i) => `${i ? "L" : "M"}${x(px).toFixed(1)},${y(py).toFixed(1)}`)
      .join(" ");
    parts.push(
      `<path class="line ${line.className}" d="${d}"${line.dash ? ' stroke-dasharray="5 4"' : ""}/>`,
    );
    if (line.dots) {
      for (const [px, py] of line.points) {
        parts.push(
          `<circle class="dot ${line.className}" cx="${x(px).toFixed(1)}" cy="${y(py).toFixed(1)}" r="3.5"><title>${line.label}: ${px} → ${yFormat(py)}</title></circle>`,
        );
      }
    }
  }
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${label}">${parts.join("")}</svg>`;
}

export class SweepView {
  status(text) {
    $("sweep-status").textContent = text;
  }

  /** A step of a sweep under way (engine/sweep.js's onStep). */
  step({ step, total, kind, workers, run }) {
    const what =
      kind === MAIN ? "main thread" : `${MODES[kind].label}, ${plural(workers, MODES[kind].unit)}`;
    this.status(`Sweep ${step} of ${total}: ${what}, ${run.label}…`);
  }

  /** A sweep that ended: shown, or why it stopped. */
  end(sweep, error) {
    if (error) return this.status(`The sweep stopped: ${error.message}.`);
    this.show(sweep);
    const { repeats, warmup } = sweep.settings;
    const points = Object.values(sweep.results).flat().length;
    const warm = warmup ? " after a warm-up" : "";
    const kind =
      sweep.scaling === "weak" ? "weak scaling, n× the tasks on n workers" : "strong scaling";
    this.status(
      `Done: ${points} points (${kind}), each the median of ${plural(repeats, "run")}${warm}.`,
    );
  }

  /**
   * Shows a finished sweep: {baselineMs, cpus, results: {process: [...], threads: [...]},
   * fits: {process, threads}} where each point is {workers, ms, min, max, speedup}.
   */
  show(sweep) {
    const modes = Object.keys(sweep.results).filter((k) => sweep.results[k].length > 0);
    const weak = sweep.scaling === "weak";
    (weak ? showWeakCharts : showCharts)(sweep, modes);
    showTable(sweep, modes);
    (weak ? showWeakSummary : showSummary)(sweep, modes);
  }
}

/** The speedup and efficiency charts, with the reported-CPU and levels-off markers. */
function showCharts({ cpus, results, fits }, modes) {
  const xmax = Math.max(...modes.flatMap((k) => results[k].map((p) => p.workers)));
  const best = Math.max(...modes.flatMap((k) => results[k].map((p) => p.speedup)));
  const fit = fits.process ?? fits.threads;
  const markers = [reportedMarker(cpus, xmax)];
  if (fit) {
    const at = fit.measured_cores;
    markers.push({ at, text: `levels off at ${at}`, className: "measured", row: 1 });
  }
  const lines = speedupLines({ results, fits }, modes, xmax, "Amdahl");
  const flat = [
    [1, 1],
    [xmax, 1],
  ];
  const effLines = [{ className: "ideal", points: flat, dash: true, label: "ideal" }];
  for (const k of modes) {
    const label = MODES[k].label;
    const efficiency = results[k].map((p) => [p.workers, efficiencyOf(p.speedup, p.workers)]);
    effLines.push({ className: k, points: efficiency, dots: true, label });
  }
  const chartsHtml = (W) =>
    chart({
      W,
      title: "Speedup over the main thread",
      xmax,
      atLeast: 1.5,
      yFormat: (v) => `${Number.isInteger(v) ? v : v.toFixed(1)}×`,
      lines,
      markers,
      label: `Speedup against workers: best ${best.toFixed(2)}×`,
    }) +
    chart({
      W,
      title: "Parallel efficiency",
      xmax,
      atLeast: 1,
      yFormat: (v) => `${Math.round(v * 100)}%`,
      lines: effLines,
      markers: markers.slice(0, 1),
      label: "Efficiency against workers",
    }) +
    legend(modes, "Amdahl");
  placeCharts(chartsHtml);
}

/** Puts the charts `html(W)` draws on the page, each `W` px wide as the grid lays them out. */
function placeCharts(html) {
  const charts = $("sweep-charts");
  charts.hidden = false;
  // Drawn twice: once to let the grid lay the charts out, then at the width each one got.
  const draw = (W) => (charts.innerHTML = html(W));
  draw(420);
  const shown = charts.querySelector("svg").getBoundingClientRect().width;
  if (shown > 0) draw(shown);
}

/** The marker of the CPUs the browser reports, at most at the chart's last worker count. */
const reportedMarker = (cpus, xmax) => ({
  at: Math.min(cpus, xmax),
  text: plural(cpus, "reported CPU"),
  className: "reported",
});

/**
 * A speedup chart's lines: the ideal (n× on n), each mode's measured points, and the curve of
 * `law` ("Amdahl" or "Gustafson") fitted to them.
 */
function speedupLines({ results, fits }, modes, xmax, law) {
  const ideal = Array.from({ length: xmax }, (_, i) => [i + 1, i + 1]);
  const lines = [{ className: "ideal", points: ideal, dash: true, label: "ideal" }];
  for (const k of modes) {
    const label = MODES[k].label;
    const points = results[k].map((p) => [p.workers, p.speedup]);
    lines.push({ className: k, points, dots: true, label });
    if (fits[k]) {
      const curve = fits[k].curve.map((v, i) => [i + 1, v]);
      lines.push({
        className: `fit ${k}`,
        points: curve,
        dash: true,
        label: `${law} fit, ${label}`,
      });
    }
  }
  return lines;
}

/** The legend under the charts: each mode, the ideal, and the law fitted. */
const legend = (modes, law) =>
  `<p class="legend">${modes.map((k) => `<span class="key"><i class="swatch ${k}"></i>${MODES[k].label}</span>`).join("")}<span class="key"><i class="swatch ideal"></i>ideal</span><span class="key"><i class="swatch fit"></i>${law} fit</span></p>`;

/**
 * Weak scaling's charts: each point's time for its n× the work against the main thread's time
 * for 1× (ideal: flat), and the scaled speedup n × T₁ / Tₙ with Gustafson's fit.
 */
function showWeakCharts({ cpus, results, fits, baselineMs }, modes) {
  const xmax = Math.max(...modes.flatMap((k) => results[k].map((p) => p.workers)));
  const markers = [reportedMarker(cpus, xmax)];
  const base = baselineMs / 1000;
  const flat = [
    [1, base],
    [xmax, base],
  ];
  const timeLines = [{ className: "ideal", points: flat, dash: true, label: "ideal" }];
  for (const k of modes) {
    const times = results[k].map((p) => [p.workers, p.ms / 1000]);
    timeLines.push({ className: k, points: times, dots: true, label: MODES[k].label });
  }
  const speedLines = speedupLines({ results, fits }, modes, xmax, "Gustafson");
  const slowest = Math.max(...modes.flatMap((k) => results[k].map((p) => p.ms / 1000)));
  placeCharts(
    (W) =>
      chart({
        W,
        title: "Time for n× the work (s)",
        xmax,
        atLeast: 1.25 * base,
        yFormat: (v) => `${Number(v.toPrecision(3))}`,
        lines: timeLines,
        markers,
        label: `Time against workers, each n× the work: main thread ${base.toFixed(3)} s for 1×, slowest point ${slowest.toFixed(3)} s`,
      }) +
      chart({
        W,
        title: "Scaled speedup (n × T₁ ÷ Tₙ)",
        xmax,
        atLeast: 1.5,
        yFormat: (v) => `${Number.isInteger(v) ? v : v.toFixed(1)}×`,
        lines: speedLines,
        markers,
        label: "Scaled speedup against workers",
      }) +
      legend(modes, "Gustafson"),
  );
}

/**
 * The Karp–Flatt metric: the serial fraction that one measured `speedup` on `workers` implies,
 * e = (1/S − 1/n) / (1 − 1/n) (Amdahl's law solved for its serial fraction at one point):
 * constant across n when the serial part is fixed, growing with n when overhead grows with the
 * workers. Null for one worker, where it is not defined. (Here, not in the core with the
 * Amdahl fit: it is a point's arithmetic, as efficiency is, and only the sweep shows it.)
 */
export function karpFlatt(speedup, workers) {
  if (!(workers >= 2) || !(speedup > 0)) return null;
  return (1 / speedup - 1 / workers) / (1 - 1 / workers);
}

/** A serial fraction as a percentage with one decimal ("–" where there is none). */
const fraction = (e) => (e == null ? "–" : `${(100 * e).toFixed(1)}%`);

/**
 * Gustafson's serial fraction that one weak-scaling point implies: its scaled speedup S on n
 * workers solved for s in S = n − s·(n − 1). Null for one worker. As Karp–Flatt's under strong
 * scaling: constant when the serial part is, growing when overhead grows with the workers.
 */
export function gustafsonSerial(speedup, workers) {
  if (!(workers >= 2) || !(speedup > 0)) return null;
  return (workers - speedup) / (workers - 1);
}

/** The table's columns for each kind of sweep (its header is written here, as the History's is). */
const COLUMNS = {
  strong: ["Mode", "Workers", "Median (s)", "Speedup", "Efficiency", "Amdahl", "Karp–Flatt"],
  weak: [
    "Mode",
    "Workers",
    "Tasks",
    "Median (s)",
    "Scaled speedup",
    "Efficiency",
    "Gustafson",
    "Serial fraction",
  ],
};

/**
 * One row per point. Strong: mode, workers, time, speedup, efficiency, the fit's prediction,
 * and the Karp–Flatt serial fraction its own speedup implies. Weak: the same with the point's
 * task count, its scaled speedup, Gustafson's fit and the serial fraction Gustafson's law gives
 * the point.
 */
function showTable({ results, fits, scaling }, modes) {
  const weak = scaling === "weak";
  const row = (k, p) => {
    const tr = document.createElement("tr");
    const predicted = fits[k] ? `${fits[k].curve[p.workers - 1].toFixed(2)}×` : "–";
    const serial = weak ? gustafsonSerial(p.speedup, p.workers) : karpFlatt(p.speedup, p.workers);
    const cells = [
      MODES[k].label,
      String(p.workers),
      ...(weak ? [String(p.tasks)] : []),
      (p.ms / 1000).toFixed(3),
      `${p.speedup.toFixed(2)}×`,
      percent(efficiencyOf(p.speedup, p.workers)),
      predicted,
      fraction(serial),
    ];
    for (const c of cells) tr.insertCell().textContent = c;
    const ms = p.ms.toFixed(3);
    const speedup = p.speedup.toFixed(4);
    // The point's answer: the same digest as the main thread's (each copy's, under weak
    // scaling), or none if its copies disagreed.
    Object.assign(tr.dataset, { mode: k, workers: p.workers, ms, speedup, digest: p.digest ?? "" });
    if (weak) tr.dataset.tasks = p.tasks;
    return tr;
  };
  const table = $("sweep-table");
  const head = document.createElement("tr");
  for (const name of COLUMNS[weak ? "weak" : "strong"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = name;
    head.append(th);
  }
  table.tHead.replaceChildren(head);
  table.tBodies[0].replaceChildren(...modes.flatMap((k) => results[k].map((p) => row(k, p))));
  $("sweep-table-wrap").hidden = false;
}

/** Amdahl's fit in words, per mode, set against the CPUs the browser reports. */
function showSummary({ cpus, fits, baselineMs, results, digest }, modes) {
  const words = (k) => {
    const f = fits[k];
    if (!f) return `${MODES[k].label}: no fit.`;
    const limit = Number.isFinite(f.max_speedup)
      ? `at most ${f.max_speedup.toFixed(1)}× however many cores`
      : "no limit from the serial part";
    const versus =
      f.measured_cores === cpus
        ? `the same as the ${cpus} CPUs the browser reports`
        : f.measured_cores < cpus
          ? `fewer than the ${cpus} CPUs the browser reports (other work shares them, or some are not real cores)`
          : `more than the ${cpus} CPUs the browser reports (it may cap the number)`;
    const points = results[k].map((p) => [p.workers, karpFlatt(p.speedup, p.workers)]);
    return `${capitalize(MODES[k].label)}: Amdahl's law fits a serial fraction of ${(100 * f.serial_fraction).toFixed(1)}% (${limit}; whatever did not run in parallel counts here: start-up, messages, cores shared with the browser). Scaling levels off
 at ${f.measured_cores} ${MODES[k].unit}s: measured cores ${f.measured_cores}, ${versus}.${fractionWords("Karp–Flatt's", points, f.measured_cores)}`;
  };
  const summary = $("sweep-summary");
  summary.textContent = modes.map(words).join(" ");
  summary.dataset.json = JSON.stringify({ cpus, fits, baselineMs, digest });
  summary.hidden = false;
}

/**
 * Each point's serial fraction [[workers, fraction]] (`whose`: "Karp–Flatt's" or
 * "Gustafson's") in words, with its trend up to the measured cores (beyond them the cores are
 * shared, and the fraction grows for that reason alone): constant if the serial part is fixed,
 * rising if overhead grows with the workers.
 */
function fractionWords(whose, points, cores) {
  const defined = points.filter(([, e]) => e != null);
  if (defined.length === 0) return "";
  const listed = defined.map(([n, e]) => `${fraction(e)} at ${n}`).join(", ");
  const within = defined.filter(([n]) => n <= cores);
  let trend = "";
  if (within.length >= 2) {
    const rise = within.at(-1)[1] - within[0][1];
    trend =
      Math.abs(rise) < 0.02
        ? "; up to the measured cores about constant: a fixed serial part"
        : rise > 0
          ? "; up to the measured cores rising: overhead that grows with the workers, not only a fixed serial part"
          : "; up to the measured cores falling";
  }
  return ` ${whose} serial fraction of each point: ${listed}${trend}.`;
}

/**
 * Weak scaling in words: the ideal (every point as fast as the main thread's 1×), how far each
 * mode's time rose, Gustafson's fit and where the scaled speedup levels off.
 */
function showWeakSummary({ cpus, fits, baselineMs, results, digest }, modes) {
  const intro = `Weak scaling: n workers ran n× the main thread's ${plural(results[modes[0]][0].tasks, "task")}; ideally every point takes what the main thread took for 1×, ${inSeconds(baselineMs)}. Gustafson's law: with a serial fraction s, n workers do n − s·(n − 1) times the work in the time one does 1× (whatever did not run in parallel counts in s: start-up, messages, cores shared with the browser).`;
  const words = (k) => {
    const f = fits[k];
    const points = results[k];
    const first = points[0];
    const last = points.at(-1);
    const unit = MODES[k].unit;
    const times = `${inSeconds(first.ms)} with 1 ${unit}, ${inSeconds(last.ms)} with ${last.workers} ${unit}s doing ${last.workers}× the work`;
    if (!f) return `${capitalize(MODES[k].label)}: ${times}; no fit.`;
    const serial = points.map((p) => [p.workers, gustafsonSerial(p.speedup, p.workers)]);
    return `${capitalize(MODES[k].label)}: ${times}; Gustafson's law fits a serial fraction of ${(100 * f.serial_fraction).toFixed(1)}%. Its scaled speedup levels off at ${plural(f.measured_cores, unit)} (the browser reports ${plural(cpus, "CPU")}): past the cores the extra tasks wait their turn.${fractionWords("Gustafson's", serial, f.measured_cores)}`;
  };
  const summary = $("sweep-summary");
  summary.textContent = [intro, ...modes.map(words)].join(" ");
  summary.dataset.json = JSON.stringify({ cpus, fits, baselineMs, digest, scaling: "weak" });
  summary.hidden = false;
}

/** Worker counts a sweep visits: 1 … twice the reported CPUs (at most `maxWorkers`). */
export function sweepCounts(cpus, maxWorkers) {
  return Array.from({ length: Math.min(maxWorkers, Math.max(2, 2 * cpus)) }, (_, i) => i + 1);
}
