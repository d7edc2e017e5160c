// The GIL's convoy card: its inputs read and checked, each condition's figures in a table, a
// timeline per condition (the CPU-bound thread's holds above, each wake of the I/O task below:
// its wait for the GIL in red, its moment of work after it), and what the figures say.
import { plural } from "./format.js";
const $ = (id) => document.getElementById(id);

/** Each condition as the card names it. */
const NAMES = {
  alone: "The I/O task alone",
  gil: "Beside a CPU-bound thread, under the GIL",
  nogil: "Beside a CPU-bound thread, no GIL",
  processes: "CPU-bound work in another process",
};

/** The inputs, their limits and what they mean, for the messages. */
const FIELDS = [
  ["convoy-switch", 0.5, 100, "The switch interval"],
  ["convoy-period", 1, 200, "The time between wakes"],
  ["convoy-wakes", 2, 200, "The number of wakes"],
];

/**
 * The plan the card's inputs ask for, {wakes, period_ms, switch_ms, io_chunks}; or null,
 * with each bad input's message shown beside the button.
 */
export function readPlan() {
  const problems = [];
  const values = FIELDS.map(([id, min, max, what]) => {
    const text = $(id).value.trim();
    const v = Number(text);
    const whole = id === "convoy-wakes";
    if (text === "" || !Number.isFinite(v) || v < min || v > max || (whole && !Number.isInteger(v)))
      problems.push(
        `${what} must be ${whole ? "a whole number" : "a number"} from ${min} to ${max} (got “${text.slice(0, 20)}”).`,
      );
    return v;
  });
  const error = $("convoy-error");
  error.hidden = problems.length === 0;
  error.textContent = problems.join(" ");
  if (problems.length) return null;
  const [switchMs, period, wakes] = values;
  return { wakes, period_ms: period, switch_ms: switchMs, io_chunks: 8 };
}

const ms = (v) => `${v.toFixed(2)} ms`;

export class ConvoyView {
  status(text) {
    $("convoy-status").textContent = text;
  }

  step(id) {
    this.status(`Running: ${NAMES[id].toLowerCase()}…`);
  }

  /** The finished experiment: a row and a timeline per condition, and what they say. */
  show(results, plan) {
    const body = $("convoy-table").tBodies[0];
    body.replaceChildren(
      ...results.map((r) => {
        const tr = document.createElement("tr");
        tr.dataset.condition = r.id;
        const cells = r.unavailable
          ? [NAMES[r.id], "–", "–", "–", "–"]
          : [
              NAMES[r.id],
              ms(r.stats.latency),
              ms(r.stats.slowest),
              r.plan.gil ? ms(r.stats.gilWait) : "no GIL to wait for",
              ms(r.stats.timerLate),
            ];
        for (const c of cells) tr.insertCell().textContent = c;
        if (!r.unavailable) {
          Object.assign(tr.dataset, {
            latency: r.stats.latency.toFixed(3),
            gilWait: r.stats.gilWait.toFixed(3),
            wakes: r.wakes.length,
          });
        }
        return tr;
      }),
    );
    $("convoy-table-wrap").hidden = false;
    const timelines = $("convoy-timelines");
    timelines.replaceChildren(...results.filter((r) => !r.unavailable).map(timeline));
    timelines.hidden = false;
    const by = Object.fromEntries(results.map((r) => [r.id, r]));
    const words = [];
    if (by.gil?.stats) {
      words.push(
        `Under the GIL, with a switch interval of ${ms(plan.switch_ms)}, each wake waited a median ${ms(by.gil.stats.gilWait)} for the GIL: the CPU-bound thread lets go only when asked, and the I/O task asks only after a whole interval without a switch. That is the convoy: an I/O-bound thread beside a CPU-bound one runs at the pace of the switch interval, however quick its own work.`,
      );
    }
    if (by.nogil?.stats) {
      words.push(
        `Without the GIL (as in free-threaded Python 3.13t and later) the same wakes ran a median ${ms(by.nogil.stats.latency)} after they were due.`,
      );
    }
    if (by.processes?.stats) {
      words.push(
        `With the CPU-bound work in another process, each with its own interpreter and GIL: ${ms(by.processes.stats.latency)}.`,
      );
    }
    for (const r of results.filter((x) => x.unavailable)) {
      words.push(`${NAMES[r.id]}: not run, as ${r.unavailable.replace(/\.?$/, ".")}`);
    }
    words.push(
      `Each figure is over ${plural(plan.wakes, "wake")}, measured in this browser: due → running from a wake's deadline to its work starting, of which the timer's lateness (due to waking) and the GIL wait (waking to holding the GIL). The GIL is a model of CPython's (its algorithm, on wasm threads), not CPython itself.`,
    );
    $("convoy-summary").textContent = words.join(" ");
    $("convoy-summary").hidden = false;
    this.status("Done.");
  }
}

/**
 * A condition's timeline, as SVG: the CPU-bound thread's spans of computing (under the GIL,
 * each a hold of it) on the top lane, each wake of the I/O task on the bottom lane: a tick
 * when it was due, red from waking to running (waiting for the GIL), dark while it ran.
 */
function timeline(r) {
  const W = 640;
  const H = 64;
  const left = 60;
  const end = r.start + (r.plan.wakes + 1) * r.plan.period_ms;
  const x = (t) => (left + ((t - r.start) / (end - r.start)) * (W - left - 8)).toFixed(1);
  const w = (a, b) => Math.max(0.8, x(b) - x(a)).toFixed(1);
  const parts = [
    `<text class="lane-label" x="0" y="20">CPU</text>`,
    `<text class="lane-label" x="0" y="48">I/O</text>`,
  ];
  for (const [a, b] of r.cpu) {
    parts.push(`<rect class="cv-cpu" x="${x(a)}" y="8" width="${w(a, b)}" height="16"/>`);
  }
  for (const k of r.wakes) {
    parts.push(`<line class="cv-due" x1="${x(k.due)}" x2="${x(k.due)}" y1="32" y2="60"/>`);
    if (k.ran - k.woke > 0.05) {
      parts.push(
        `<rect class="cv-wait" x="${x(k.woke)}" y="36" width="${w(k.woke, k.ran)}" height="16"><title>waited ${ms(k.ran - k.woke)} for the GIL</title></rect>`,
      );
    }
    parts.push(
      `<rect class="cv-run" x="${x(k.ran)}" y="36" width="${w(k.ran, k.done)}" height="16"><title>ran ${ms(k.ran - k.due)} after it was due</title></rect>`,
    );
  }
  const figure = document.createElement("figure");
  figure.className = "convoy-timeline";
  figure.tabIndex = 0; // it may scroll sideways on a phone
  figure.dataset.condition = r.id;
  figure.innerHTML = `<figcaption>${NAMES[r.id]} · ${ms(end - r.start)} in all</figcaption><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${NAMES[r.id]}: median ${ms(r.stats.latency)} from due to running">${parts.join("")}</svg>`;
  return figure;
}
