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

/**
 * Runs the experiment: the process pool (prepared with `workers`) runs `size` racy
 * increments in `tasks` tasks, each worker counting in its own memory; then the thread pool's
 * `workers` threads race on one counter, `size / workers` increments each, load-then-store and
 * then fetch_add. `plan(settings)` makes the process task list from the page's `settings`;
 * `support` says whether threads can run.
 * Each card gets data-expected, data-counted, data-memories (and data-counts per worker,
 * data-rounds per race) for reading back. `signal` (Stop) ends it between steps.
 */
export async function runCounterExperiment({
  modes,
  plan,
  settings,
  workers,
  size,
  tasks,
  support,
  signal,
}) {
  const cards = ["counter-process", "counter-racy", "counter-atomic"];
  for (const id of cards) {
    const card = document.getElementById(id);
    for (const key of ["counted", "expected", "counts", "memories", "rounds"]) {
      delete card.dataset[key];
    }
    show(id, { value: "…", detail: "Waiting…" });
  }

  show("counter-process", { value: "…", detail: "Running…" });
  const pool = modes.process;
  await pool.prepare({ workers });
  await pool.inspect({ reset: true });
  const specs = plan({ ...settings, workload: "racy", size, tasks, chunksize: 1, fail: null });
  await pool.run(specs, { chunksize: 1, context: { scale: 1, gil: false }, signal });
  const memories = await pool.inspect({ reset: true });
  const counts = memories.map((m) => m.counter);
  const counted = counts.reduce((a, b) => a + b, 0);
  Object.assign(document.getElementById("counter-process").dataset, {
    expected: String(size),
    counted: String(counted),
    counts: counts.join(","),
    memories: String(memories.length),
  });
  show("counter-process", {
    value: `${fmt.format(counted)} of ${fmt.format(size)}`,
    detail: `${memories.length} memories, one per worker (${memories
      .map((m, i) => `worker ${i}: ${fmt.format(m.counter)} in ${mib(m.memoryBytes)}`)
      .join("; ")}). Together they add up.`,
    state: counted === size ? "exact" : "lost",
  });

  for (const [id, racy] of [
    ["counter-racy", true],
    ["counter-atomic", false],
  ]) {
    if (support.threads !== true) {
      show(id, { value: "–", detail: `Cannot run here: ${support.threads}.`, state: "off" });
      continue;
    }
    signal?.throwIfAborted();
    show(id, { value: "…", detail: "Running…" });
    const threads = modes.threads;
    await threads.prepare({ workers });
    const race = await threads.race({ perThread: Math.floor(size / workers), racy });
    const [memory] = await threads.inspect();
    Object.assign(document.getElementById(id).dataset, {
      expected: String(race.expected),
      counted: String(race.counted),
      rounds: String(race.rounds),
      memories: "1",
    });
    show(id, {
      value: `${fmt.format(race.counted)} of ${fmt.format(race.expected)}`,
      detail: describeRace(race, memory.memoryBytes),
      state: race.counted === race.expected ? "exact" : "lost",
    });
  }
}
