// The one clock and the one timing helper every mode uses.

/**
 * Milliseconds since the Unix epoch, at performance.now()'s resolution. Each worker has its
 * own performance.timeOrigin, so adding it puts timestamps from the page and from every
 * worker on one timeline.
 */
export function now() {
  return ORIGIN + performance.now();
}

// Read once: it never changes in a page or a worker, and the getter showed in profiles of
// 10,000-task runs, which read the clock several times per task.
const ORIGIN = performance.timeOrigin;

/**
 * Adds the span [from, to] (ms, as now()) to `spans`, joined to the last one when they touch
 * (within 0.1 ms): how the page's own thread was busy during a run, in few spans.
 */
export function addSpan(spans, from, to) {
  const last = spans.at(-1);
  if (last && from - last[1] < 0.1) last[1] = Math.max(last[1], to);
  else spans.push([from, to]);
}

/**
 * Times a whole run. What it includes: from just before the first task is handed out to just
 * after the last result is back on the page, so message transfer, the workers' work and any
 * sleeps count. What it excludes: starting a pool (spawning workers and instantiating wasm,
 * reported separately as the cold start), planning the task list, and drawing the results.
 * Never throws: a run that fails or is stopped resolves with {error} and the time it took.
 */
export async function measure(run) {
  const start = now();
  try {
    const value = await run();
    const end = now();
    return { value, start, end, ms: end - start };
  } catch (error) {
    // A stopped or failed run still took time; report it with the error.
    const end = now();
    return { error, start, end, ms: end - start };
  }
}
