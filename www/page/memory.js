// "Memory you can see": the shared-counter experiment. The same increments run three ways and
// each memory's counter is read afterwards: per worker in the process pool, once for the
// thread pool's one shared memory.

import { fmt, mib } from "./format.js";

function show(id, { value, detail, state = "" }) {
  const card = document.getElementById(id);
  card.querySelector("[data-part=value]").textContent = value;
  card.querySelector("[data-part=detail]").textContent = detail;
  card.dataset.state = state;
}

/**
 * Runs the experiment with `modes` (prepared with `workers` each) on `size` increments in
 * `tasks` tasks; `plan` makes the task list; `support` says whether threads can run.
 * Each card gets data-expected, data-counted (and data-counts per worker) for reading back.
 */
export async function runCounterExperiment({ modes, plan, workers, size, tasks, support }) {
  const runs = [
    { id: "counter-process", mode: modes.process, workload: "racy" },
    { id: "counter-racy", mode: modes.threads, workload: "racy" },
    { id: "counter-atomic", mode: modes.threads, workload: "counter" },
  ];
  for (const { id, mode, workload } of runs) {
    const card = document.getElementById(id);
    delete card.dataset.counted;
    if (mode.name === "threads" && support.threads !== true) {
      show(id, { value: "–", detail: `Cannot run here: ${support.threads}.`, state: "off" });
      continue;
    }
    show(id, { value: "…", detail: "Running…" });
    await mode.prepare({ workers });
    await mode.inspect({ reset: true });
    const specs = plan({ workload, size, tasks, fail_task: null });
    await mode.run(specs, { chunksize: 1, context: { scale: 1, gil: false } });
    const memories = await mode.inspect({ reset: true });
    const counts = memories.map((m) => m.counter);
    const counted = counts.reduce((a, b) => a + b, 0);
    Object.assign(card.dataset, {
      expected: String(size),
      counted: String(counted),
      counts: counts.join(","),
      memories: String(memories.length),
    });
    const lost = size - counted;
    if (mode.name === "process") {
      show(id, {
        value: `${fmt.format(counted)} of ${fmt.format(size)}`,
        detail: `${memories.length} memories, one per worker (${memories
          .map((m, i) => `worker ${i}: ${fmt.format(m.counter)} in ${mib(m.memoryBytes)}`)
          .join("; ")}). Together they add up.`,
        state: lost === 0 ? "exact" : "lost",
      });
    } else {
      const shared = memories[0].shared ? "shared" : "unshared";
      show(id, {
        value: `${fmt.format(counted)} of ${fmt.format(size)}`,
        detail:
          `One ${shared} memory of ${mib(memories[0].memoryBytes)} for ${workers} threads. ` +
          (lost > 0
            ? `${fmt.format(lost)} updates (${((100 * lost) / size).toFixed(1)}%) were lost.`
            : "No update was lost."),
        state: lost === 0 ? "exact" : "lost",
      });
    }
  }
}
