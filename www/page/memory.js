// "Memory you can see": the shared-counter experiment. The same increments run three ways and
// each memory's counter is read afterwards: per worker in the process pool, once for the
// thread pool's one shared memory.

import { fmt, mib, plural } from "./format.js";

function show(id, { value, detail, state = "" }) {
  const card = document.getElementById(id);
  card.querySelector("[data-part=value]").textContent = value;
  card.querySelector("[data-part=detail]").textContent = detail;
  card.dataset.state = state;
}

/**
 * What a thread race's numbers mean, in words. Whether a round loses updates is the
 * scheduler's call, so a round that lost nothing is reported as such, never hidden.
 */
export function describeRace(race, memoryBytes) {
  const { threads, expected, counted, rounds, racy } = race;
  const lost = expected - counted;
  const memory = `One shared memory of ${mib(memoryBytes)} for ${plural(threads, "thread")}`;
  const tries = rounds > 1 ? ` (round ${rounds}: the ${rounds - 1} before lost nothing)` : "";
  if (lost > 0) {
    return `${memory}, started together. ${fmt.format(lost)} updates (${((100 * lost) / expected).toFixed(1)}%) were lost${tries}.`;
  }
  if (!racy) return `${memory}, started together. No update was lost: fetch_add cannot lose one.`;
  if (threads < 2) return `${memory}: one thread cannot race with itself, so nothing was lost.`;
  return `${memory}, started together, ${plural(rounds, "round")}: no updates were lost this time. A race depends on timing; run it again.`;
}

const CARDS = ["counter-process", "counter-racy", "counter-atomic"];

/** Clears the three cards' numbers: the process card runs first, the others wait. */
export function resetCounterCards() {
  for (const id of CARDS) {
    const card = document.getElementById(id);
    for (const key of ["counted", "expected", "counts", "memories", "rounds"]) {
      delete card.dataset[key];
    }
    show(id, { value: "…", detail: "Waiting…" });
  }
  show("counter-process", { value: "…", detail: "Running…" });
}

/**
 * The process pool's card: each worker's own counter (`memories`, from inspect()), which
 * together add up to `expected`. The card's data-* attributes hold the numbers for reading
 * back (data-expected, data-counted, data-counts, data-memories).
 */
export function showProcessCounts(expected, memories) {
  const counts = memories.map((m) => m.counter);
  const counted = counts.reduce((a, b) => a + b, 0);
  Object.assign(document.getElementById("counter-process").dataset, {
    expected: String(expected),
    counted: String(counted),
    counts: counts.join(","),
    memories: String(memories.length),
  });
  const each = memories.map(
    (m, i) => `worker ${i}: ${fmt.format(m.counter)} in ${mib(m.memoryBytes)}`,
  );
  show("counter-process", {
    value: `${fmt.format(counted)} of ${fmt.format(expected)}`,
    detail: `${memories.length} memories, one per worker (${each.join("; ")}). Together they add up.`,
    state: counted === expected ? "exact" : "lost",
  });
}

/** A thread card (`id`) that cannot run here, and why. */
export function showNoThreads(id, reason) {
  show(id, { value: "–", detail: `Cannot run here: ${reason}.`, state: "off" });
}

/**
 * Stop ended the experiment: each card without a result says so (a race cut short leaves no
 * count: its threads were terminated with their memory).
 */
export function showCounterStopped() {
  for (const id of CARDS) {
    const card = document.getElementById(id);
    if (card.dataset.counted || card.dataset.state === "off") continue;
    show(id, {
      value: "–",
      detail: "Stopped before it finished: its workers were terminated.",
      state: "off",
    });
  }
}

/** A thread card while its race runs. */
export function showRaceRunning(id) {
  show(id, { value: "…", detail: "Running…" });
}

/** A thread card's race (see describeRace), with data-expected, data-counted, data-rounds. */
export function showRace(id, race, memoryBytes) {
  Object.assign(document.getElementById(id).dataset, {
    expected: String(race.expected),
    counted: String(race.counted),
    rounds: String(race.rounds),
    memories: "1",
  });
  show(id, {
    value: `${fmt.format(race.counted)} of ${fmt.format(race.expected)}`,
    detail: describeRace(race, memoryBytes),
    state: race.counted === race.expected ? "exact" : "lost",
  });
}

/** The counter experiment's hooks (engine/counter.js): each step shown on its card. */
export const counterHooks = {
  onProcessCounts: showProcessCounts,
  onRaceRunning: showRaceRunning,
  onRace: showRace,
  onNoThreads: showNoThreads,
};
