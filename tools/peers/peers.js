// The peers the playground's pool is measured against, each over `workers` workers and
// `tasks` no-op tasks, timed from the first message sent to the last answer back (workers
// already started). Each runs a tenth of its tasks once first, to warm up. Resolves with µs
// per task.

const perTask = (ms, tasks) => (ms * 1000) / tasks;

async function echoWorkers(workers) {
  const list = Array.from({ length: workers }, () => new Worker("echo.js"));
  // Started: each has answered once.
  await Promise.all(list.map((w) => roundTrip(w, -1)));
  return list;
}

function roundTrip(worker, i) {
  return new Promise((resolve) => {
    worker.onmessage = ({ data }) => resolve(data);
    worker.postMessage({ index: i });
  });
}

/** A bare postMessage echo with one message in flight per worker, as a pool of chunksize 1. */
export async function echoOneInFlight(tasks, workers) {
  const list = await echoWorkers(workers);
  const once = async (n) => {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      list.map(async (w) => {
        while (next < n) await roundTrip(w, next++);
      }),
    );
    return performance.now() - t0;
  };
  await once(Math.ceil(tasks / 10));
  const ms = await once(tasks);
  list.forEach((w) => w.terminate());
  return perTask(ms, tasks);
}

/** The same echo with every message posted at once (round robin): the floor of messaging. */
export async function echoQueued(tasks, workers) {
  const list = await echoWorkers(workers);
  const once = (n) =>
    new Promise((resolve) => {
      let back = 0;
      const t0 = performance.now();
      for (const w of list) {
        w.onmessage = () => {
          if (++back === n) resolve(performance.now() - t0);
        };
      }
      for (let i = 0; i < n; i++) list[i % workers].postMessage({ index: i });
    });
  await once(Math.ceil(tasks / 10));
  const ms = await once(tasks);
  list.forEach((w) => w.terminate());
  return perTask(ms, tasks);
}

/** npm workerpool: pool.exec("noop", [i]) for every task, all submitted at once. */
export async function workerpoolExec(tasks, workers) {
  const pool = globalThis.workerpool.pool("wp-worker.js", {
    minWorkers: workers,
    maxWorkers: workers,
    workerType: "web",
  });
  const once = async (n) => {
    const t0 = performance.now();
    await Promise.all(Array.from({ length: n }, (_, i) => pool.exec("noop", [i])));
    return performance.now() - t0;
  };
  await once(Math.ceil(tasks / 10));
  const ms = await once(tasks);
  await pool.terminate();
  return perTask(ms, tasks);
}

// The benchmark calls these through the page (globalThis.peers) once it is ready.
globalThis.peers = { echoOneInFlight, echoQueued, workerpoolExec };
document.documentElement.dataset.ready = "true";
