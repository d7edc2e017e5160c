// "Memory you can see": the counter experiment. The process pool counts `size` racy
// increments, each worker in its own memory, so each ends with its own count; then the thread
// pool's threads race on one counter in one memory, load-then-store (updates lost) and then
// fetch_add (none lost); see counter::race in the core. No DOM here: the page hears each step.

/**
 * Runs the experiment with `counter`'s size and task count (the core's info of the counter
 * workload), on `settings.workers` workers (at least 2). `threads`: true, or why the thread pool cannot run here. Hooks:
 * onProcessCounts(size, answers), onRaceRunning(id), onRace(id, race, memoryBytes),
 * onNoThreads(id, why), with id "counter-racy" or "counter-atomic". `signal` (Stop) ends it
 * between steps and inside each.
 */
export async function runCounterExperiment({
  core,
  modes,
  counter,
  settings,
  threads,
  signal,
  hooks,
}) {
  const { default_size: size, default_tasks: tasks } = counter;
  const workers = Math.max(settings.workers, 2);
  const pool = modes.process;
  await pool.prepare({ workers }, { signal });
  await pool.inspect({ reset: true, signal });
  const racy = { ...settings, workload: "racy", size, tasks, chunksize: 1, fail: null };
  const { specs } = core.plan(racy);
  await pool.run(specs, { chunksize: 1, context: { scale: 1, gil: false }, signal });
  hooks.onProcessCounts(size, await pool.inspect({ reset: true, signal }));
  for (const [id, atomic] of [
    ["counter-racy", false],
    ["counter-atomic", true],
  ]) {
    if (threads !== true) {
      hooks.onNoThreads(id, threads);
      continue;
    }
    signal.throwIfAborted();
    hooks.onRaceRunning(id);
    await modes.threads.prepare({ workers }, { signal });
    const perThread = Math.floor(size / workers);
    const race = await modes.threads.race({ perThread, racy: !atomic, signal });
    const [memory] = await modes.threads.inspect({ signal });
    hooks.onRace(id, race, memory.memoryBytes);
  }
}
