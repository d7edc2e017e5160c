// Side-by-side code: the Python program the current settings correspond to, and what this
// page runs for them (the Rust kernel, fetched from the built site, and the JavaScript or
// Rust that drives it in the chosen mode).
import { isBaseline } from "../engine/series.js";

/**
 * The Python program these settings correspond to; `info` is the workload's (its `python`
 * holds the task function, with `{size}` and `{items}` for the job's numbers).
 */
export function pythonProgram(s, { items, chunksize }, info) {
  const split = taskSplit(s, items);
  const imports = ["import time"];
  let run;
  if (isBaseline(s)) {
    run = "results = [task(lo, hi) for lo, hi in tasks]";
  } else {
    const executor = s.mode === "threads" ? "ThreadPoolExecutor" : "ProcessPoolExecutor";
    imports.unshift(`from concurrent.futures import ${executor}`);
    run = `with ${executor}(max_workers=${s.workers}) as executor:
        los, his = zip(*tasks)
        results = list(executor.map(task, los, his, chunksize=${chunksize}))${autoNote(s, chunksize, "        #")}`;
  }
  const note =
    s.mode === "threads"
      ? "\n# CPython's GIL lets one of these threads run Python at a time: CPU-bound work does\n# not speed up (the page's GIL switch models this). Sleeps and I/O release it.\n"
      : "";
  const task = taskSource(s, items, info);
  return `${imports.join("\n")}
${note}
${task}


if __name__ == '__main__':
    ${split}
    start = time.perf_counter()
    ${run}
    print(f'Finished in {round(time.perf_counter() - start, 2)} second(s)')
`;
}

/**
 * The same program for engines that spread one pool over many machines: Ray's drop-in
 * `multiprocessing.Pool` and Dask's `Client.map`. Code to run elsewhere: this page runs none
 * of it. Returns {ray, dask}.
 */
export function clusterPrograms(s, { items, chunksize }, info) {
  const split = taskSplit(s, items);
  const task = taskSource(s, items, info);
  const finish = "print(f'Finished in {round(time.perf_counter() - start, 2)} second(s)')";
  const ray = `# To run elsewhere, on a Ray cluster (pip install "ray[default]"): this page runs none of it.
import time

import ray
from ray.util.multiprocessing import Pool  # multiprocessing.Pool's API, one process per CPU of the cluster

${task}


if __name__ == '__main__':
    ray.init()  # a local cluster; ray.init(address="auto") joins a running one
    ${split}
    start = time.perf_counter()
    with Pool() as pool:
        results = pool.starmap(task, tasks, chunksize=${chunksize})
    ${finish}
`;
  const dask = `# To run elsewhere, on a Dask cluster (pip install "dask[distributed]"): this page runs none of it.
import time

from dask.distributed import Client

${task}


if __name__ == '__main__':
    client = Client()  # a local cluster; Client("tcp://scheduler:8786") joins a running one
    ${split}
    start = time.perf_counter()
    los, his = zip(*tasks)
    results = client.gather(client.map(task, los, his, pure=False))  # one task each, as chunksize 1
    ${finish}
`;
  return { ray, dask };
}

/** The Python line that splits the job's `items` into the settings' tasks. */
function taskSplit(s, items) {
  return `tasks = [(i * ${items} // ${s.tasks}, (i + 1) * ${items} // ${s.tasks}) for i in range(${s.tasks})]`;
}

/** The workload's task function in Python, with the job's numbers in it. */
function taskSource(s, items, info) {
  return info.python.replaceAll("{size}", s.size).replaceAll("{items}", items);
}

/** Where chunksize is auto, a comment (`comment`: its indent and marker) saying where its number came from. */
function autoNote(s, chunksize, comment) {
  if (s.chunksize !== "auto") return "";
  return `\n${comment} chunksize auto: ⌈${s.tasks} tasks ÷ (4 × ${s.workers} workers)⌉ = ${chunksize}, as multiprocessing.Pool.map picks`;
}

/** What this page runs for these settings: the driver for the mode. */
export function driverCode(s, { chunksize }) {
  const plan = `const { specs } = core.plan(settings); // ${s.workload}, size ${s.size}, ${s.tasks} tasks`;
  if (isBaseline(s)) {
    return `// www/engine/modes.js, main thread: one wasm call per task, in turn
${plan}
for (const spec of specs) results.push(await runTask(core, spec, { scale: ${s.scale} }));`;
  }
  if (s.mode === "process") {
    return `// www/engine/modes.js, process pool: each worker has its own wasm memory
${plan}
const pool = new ProcessPool({ module, size: ${s.workers} }); // module compiled once
const results = await pool.map(specs, { chunksize: ${chunksize} });${autoNote(s, chunksize, "//")}`;
  }
  return `// src/run.rs, thread pool: rayon on one shared memory, in a worker
// (the page sends the whole task list; ${s.workers} rayon thread${s.workers > 1 ? "s" : ""}${s.gil ? ", model GIL held while computing" : ""})
specs
    .par_iter()
    .with_max_len(1) // an idle thread takes the next task
    .map(|spec| run_hosted_one(spec, options, host, thread))
    .collect()`;
}

const sources = new Map();

/** The kernel's source between its ANCHOR markers, from the built site's src/ folder. */
export async function kernelSource(file) {
  if (!sources.has(file)) {
    sources.set(
      file,
      fetch(new URL(`../../${file}`, import.meta.url))
        .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`HTTP ${r.status}`))))
        .then((text) => {
          const m = text.match(/\/\/ ANCHOR: kernel\n([\s\S]*?)\/\/ ANCHOR_END: kernel/);
          return m ? m[1].trimEnd() : text;
        }),
    );
  }
  return sources.get(file);
}

/**
 * Fills the two panes for `settings`; `facts` is the core's for their job (the item count),
 * `info` their workload's (its Python and its kernel's file).
 */
export async function showCode(settings, facts, info) {
  document.getElementById("code-python").textContent = pythonProgram(settings, facts, info);
  const cluster = clusterPrograms(settings, facts, info);
  document.getElementById("code-ray").textContent = cluster.ray;
  document.getElementById("code-dask").textContent = cluster.dask;
  const file = `src/workloads/${info.kernel_file}`;
  let kernel;
  try {
    kernel = `// ${file}\n${await kernelSource(file)}`;
  } catch (error) {
    kernel = `// ${file} could not be loaded (${error.message})`;
  }
  document.getElementById("code-ours").textContent = `${driverCode(settings, facts)}\n\n${kernel}`;
}

/**
 * What the article card quotes of the article's program: `do_something`, then the `with`
 * block that maps it, out of its `if __name__ == '__main__':`. The build writes it into the
 * page (quote_article in build.sh).
 */
export function articleExcerpt(source) {
  const lines = source.replaceAll("\r\n", "\n").split("\n");
  const block = (first) => {
    const at = lines.findIndex((line) => line.trimStart().startsWith(first));
    if (at < 0) return [];
    const indent = lines[at].length - lines[at].trimStart().length;
    const end = lines.findIndex(
      (line, i) => i > at && line.trim() !== "" && line.length - line.trimStart().length <= indent,
    );
    const body = lines.slice(at, end < 0 ? lines.length : end);
    while (body.length > 0 && body.at(-1).trim() === "") body.pop();
    return body.map((line) => line.slice(indent).trimEnd());
  };
  return [...block("def do_something"), "", ...block("with concurrent.futures")].join("\n");
}
