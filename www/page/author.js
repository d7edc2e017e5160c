// The author's run beside the reader's. "Embed these settings" can put the result its author
// measured in the embed link (`author=…`); the embed shows it before any run and draws it beside
// the reader's own once they run. What a link says is the author's word, not measured here: it
// is labelled so, and a value the page cannot read, or cannot believe, is quoted as text and
// never drawn. Loaded only when a link carries a result or the author has one to offer.

import { inSeconds, plural } from "./format.js";
import { MODES } from "./wording.js";
import { AUTHOR_PARAM, isEmbedded, offerAuthorResult } from "./embed.js";
import { taskListKey } from "./history.js";
const $ = (id) => document.getElementById(id);

/** What the link said (readAuthor), and its task list (taskListKey); null without one. */
let fromAuthor = null;
let linkWork = null;

/** At start: the result the page's link carries, shown before any run. */
export function fromLink(settings, facts) {
  fromAuthor = readAuthor(new URLSearchParams(location.search).get(AUTHOR_PARAM));
  linkWork = taskListKey(settings, facts);
  if (fromAuthor) showAuthor(fromAuthor);
}

/**
 * After each finished pool `series` (`speedup` null without a main-thread run; `pairs` its
 * settings' link): drawn beside the link's result, if any, and on the full page offered to
 * the embed code as the author's own.
 */
export function afterRun(series, speedup, cpus, pairs) {
  const ua = navigator.userAgent;
  if (fromAuthor) {
    // Only a run of the link's own task list is the author's to compare with.
    const same = taskListKey(series.settings, series.facts) === linkWork;
    compareAuthor(fromAuthor, series, speedup, cpus, ua, same);
  }
  if (!isEmbedded()) offerAuthorResult(pairs, authorRecord(series, speedup, cpus, ua).value);
}

/** How a result is written in a link: cpus_mode_workers_ms_speedup_browser. */
const FORMAT =
  /^(\d{1,4})_(process|threads)_(\d{1,4})_(\d{1,9})_(\d{1,4}\.\d{2}|-)_([A-Za-z0-9 .]{1,24})$/;

/** The browser and its major version as the user agent names it: "Firefox 153", "Chrome 156". */
export function browserName(ua) {
  const known = [
    ["Edge", /Edg\/(\d+)/],
    ["Firefox", /Firefox\/(\d+)/],
    ["Chrome", /Chrome\/(\d+)/],
    ["Safari", /Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//],
  ];
  for (const [name, pattern] of known) {
    const match = pattern.exec(ua);
    if (match) return `${name} ${match[1]}`;
  }
  return "a browser";
}

/**
 * The link's value for a finished pool `series` measured on `cpus` reported CPUs, with its
 * `speedup` over the main thread (null when none was measured), and in words for the offer.
 */
export function authorRecord(series, speedup, cpus, ua) {
  const result = {
    cpus,
    mode: series.mode,
    workers: series.workers,
    ms: Math.max(1, Math.round(series.ms)),
    speedup: speedup ? Number(speedup.toFixed(2)) : null,
    browser: browserName(ua),
  };
  const { mode, workers, ms, browser } = result;
  const x = result.speedup ? result.speedup.toFixed(2) : "-";
  return { value: [cpus, mode, workers, ms, x, browser].join("_"), words: describe(result) };
}

/**
 * What a link's `text` says, or null if it says nothing: {result: {cpus, mode, workers, ms,
 * speedup, browser}}, or {text, why} when it is not in the form the page writes or its
 * numbers cannot be (no CPUs, a speedup beyond twice the workers).
 */
export function readAuthor(text) {
  if (text == null) return null;
  const match = FORMAT.exec(text);
  if (!match) return { text, why: "it is not in the form this page writes" };
  const [, cpus, mode, workers, ms, x, browser] = match;
  const result = {
    cpus: Number(cpus),
    mode,
    workers: Number(workers),
    ms: Number(ms),
    speedup: x === "-" ? null : Number(x),
    browser,
  };
  const why =
    result.cpus < 1 || result.workers < 1 || result.ms < 1
      ? "it counts no CPUs, workers or time"
      : result.speedup !== null && (result.speedup <= 0 || result.speedup > 2 * result.workers)
        ? `${result.speedup}× on ${plural(result.workers, MODES[mode].unit)} cannot be`
        : null;
  return why ? { text, why } : { result };
}

/** A result in words: "3.62× on 8 CPUs: the process pool, 8 workers, 2.140 s, in Chrome 131". */
function describe({ cpus, mode, workers, ms, speedup, browser }) {
  const pool = `the ${MODES[mode].label}, ${plural(workers, MODES[mode].unit)}, ${inSeconds(ms)}`;
  const head = speedup ? `${speedup.toFixed(2)}× on ${plural(cpus, "CPU")}` : plural(cpus, "CPU");
  return `${head}: ${pool}, in ${browser}`;
}

/** Before any run: what the link says the author measured, or why it cannot be used. */
export function showAuthor(read) {
  const box = $("author-run");
  box.hidden = false;
  const line = document.createElement("p");
  if (read.result) {
    line.textContent = `The author measured ${describe(read.result)}${read.result.speedup ? "" : " (no speedup recorded)"}. Run it to see yours beside it.`;
  } else {
    line.className = "author-bad";
    line.textContent = `This link also carries a result the page cannot use, as ${read.why}: “${read.text.slice(0, 120)}”.`;
  }
  box.replaceChildren(line);
}

/**
 * After the reader's finished pool `series` (its `speedup` null without a main-thread run):
 * both results as bars, labelled whose is whose; speedups when both have one (each over its
 * own main thread), else wall times. `sameWork`: whether the reader ran the link's work.
 */
export function compareAuthor(read, series, speedup, cpus, ua, sameWork) {
  if (!read.result) return;
  const box = $("author-run");
  const theirs = read.result;
  const mine = {
    cpus,
    mode: series.mode,
    workers: series.workers,
    ms: series.ms,
    speedup: speedup ?? null,
    browser: browserName(ua),
  };
  const caption = document.createElement("p");
  if (!sameWork) {
    caption.textContent = `The author measured ${describe(theirs)}, for the link's work; your run changed the work (workload, size, tasks, fault or the sleeps' time scale), so the two are not drawn side by side.`;
    return box.replaceChildren(caption);
  }
  const bySpeedup = theirs.speedup !== null && mine.speedup !== null;
  const value = bySpeedup ? (r) => r.speedup : (r) => r.ms;
  const top = Math.max(value(theirs), value(mine));
  const row = (who, r, className) => {
    const div = document.createElement("div");
    div.className = `author-row ${className}`;
    const label = document.createElement("span");
    label.className = "who";
    label.textContent = `${who}: ${plural(r.cpus, "CPU")}, ${r.browser}`;
    const track = document.createElement("span");
    track.className = "track";
    const bar = document.createElement("span");
    bar.className = "bar";
    bar.style.width = `${((100 * value(r)) / top).toFixed(1)}%`;
    track.append(bar);
    const figure = document.createElement("span");
    figure.className = "figure";
    const x = r.speedup !== null ? `${r.speedup.toFixed(2)}×, ` : "";
    figure.textContent = `${x}${inSeconds(r.ms)}`;
    div.append(label, track, figure);
    div.title = `${who}: ${describe(r)}`;
    return div;
  };
  caption.className = "author-note";
  caption.textContent = bySpeedup
    ? "Speedup, each over its own main thread (longer is faster); times are each machine's wall time for the same work."
    : `Wall time for the same work (shorter is faster): ${theirs.speedup === null ? "the author recorded no speedup" : "press Compare for your speedup"}.`;
  box.replaceChildren(row("The author", theirs, "theirs"), row("You", mine, "yours"), caption);
}
