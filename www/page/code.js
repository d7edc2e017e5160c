// Side-by-side code: the Python program the current settings correspond to, and what this
// page runs for them (the Rust kernel, fetched from the built site, and the JavaScript or
// Rust that drives it in the chosen mode).

const KERNELS = {
  sleeper: "sleeper",
  primes: "primes",
  mandelbrot: "mandelbrot",
  montecarlo: "montecarlo",
  tiny: "tiny",
  counter: "counter",
  racy: "counter",
};

const PY_FUNCTION = {
  sleeper: `def do_something(seconds):
    if seconds == 8 or seconds == 12:
        print(f'Sleeping {seconds} second(s)...')
        time.sleep(seconds)
        print(f'Done sleeping...{seconds}')
    else:
        print(seconds)

def task(lo, hi):
    for seconds in range(lo, hi):
        do_something(seconds)`,
  primes: `def is_prime(n):
    if n < 4:
        return n >= 2
    if n % 2 == 0 or n % 3 == 0:
        return False
    d = 5
    while d * d <= n:
        if n % d == 0 or n % (d + 2) == 0:
            return False
        d += 6
    return True

def task(lo, hi):
    return sum(1 for n in range(lo, hi) if is_prime(n))`,
  mandelbrot: `MAX_ITER = 500

def escape_time(cx, cy):
    x = y = 0.0
    for n in range(MAX_ITER):
        if x * x + y * y > 4.0:
            return n
        x, y = x * x - y * y + cx, 2 * x * y + cy
    return MAX_ITER

def task(y0, y1):  # a band of rows
    return [[escape_time(-2.25 + (x + 0.5) * 3 / W, 1 - (y + 0.5) * 2 / H)
             for x in range(W)] for y in range(y0, y1)]`,
  montecarlo: `M = (1 << 64) - 1

def mix64(x):  # SplitMix64: sample i's point depends only on i
    z = (x + 0x9E3779B97F4A7C15) & M
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return z ^ (z >> 31)

def task(lo, hi):
    hits = 0
    for i in range(lo, hi):
        r = mix64((SEED + i * 0x9E3779B97F4A7C15) & M)
        x, y = (r >> 32) / 2**32, (r & 0xFFFFFFFF) / 2**32
        hits += x * x + y * y < 1.0
    return hits`,
  tiny: `def task(lo, hi):  # a few nanoseconds of work per item
    return sum(mix64(i) for i in range(lo, hi)) & M`,
  counter: `counter = 0

def task(lo, hi):
    global counter
    for _ in range(lo, hi):
        counter += 1  # not atomic: even CPython threads can lose updates`,
};
PY_FUNCTION.racy = PY_FUNCTION.counter;

/** The Python program these settings correspond to. */
export function pythonProgram(s, items) {
  const split = `tasks = [(i * ${items} // ${s.tasks}, (i + 1) * ${items} // ${s.tasks}) for i in range(${s.tasks})]`;
  const imports = ["import time"];
  let run;
  if (s.mode === "main") {
    run = "results = [task(lo, hi) for lo, hi in tasks]";
  } else {
    const executor = s.mode === "threads" ? "ThreadPoolExecutor" : "ProcessPoolExecutor";
    imports.unshift(`from concurrent.futures import ${executor}`);
    run = `with ${executor}(max_workers=${s.workers}) as executor:
        los, his = zip(*tasks)
        results = list(executor.map(task, los, his, chunksize=${s.chunksize}))`;
  }
  const note =
    s.mode === "threads"
      ? "\n# CPython's GIL lets one of these threads run Python at a time: CPU-bound work does\n# not speed up (the page's GIL switch models this). Sleeps and I/O release it.\n"
      : "";
  const constants = {
    mandelbrot: `W, H = ${s.size}, ${items}  # image size\n\n`,
    montecarlo: "SEED = 0x5EED0F91\n\n",
    tiny: "M = (1 << 64) - 1  # mix64 as in Monte-Carlo π\n\n",
  };
  return `${imports.join("\n")}
${note}
${constants[s.workload] ?? ""}${PY_FUNCTION[s.workload]}


if __name__ == '__main__':
    ${split}
    start = time.perf_counter()
    ${run}
    print(f'Finished in {round(time.perf_counter() - start, 2)} second(s)')
`;
}

/** What this page runs for these settings: the driver for the mode. */
export function driverCode(s) {
  const plan = `const specs = core.plan({ workload: "${s.workload}", size: ${s.size}, tasks: ${s.tasks} });`;
  if (s.mode === "main") {
    return `// www/modes.js, main thread: one wasm call per task, in turn
${plan}
for (const spec of specs) results.push(await runTask(core, spec, { scale: ${s.scale} }));`;
  }
  if (s.mode === "process") {
    return `// www/modes.js, process pool: each worker has its own wasm memory
${plan}
const pool = new ProcessPool({ module, size: ${s.workers} }); // module compiled once
const results = await pool.map(specs, { chunksize: ${s.chunksize} });`;
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
export async function kernelSource(workload) {
  const file = KERNELS[workload];
  if (!sources.has(file)) {
    sources.set(
      file,
      fetch(new URL(`../../src/${file}.rs`, import.meta.url))
        .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`HTTP ${r.status}`))))
        .then((text) => {
          const m = text.match(/\/\/ ANCHOR: kernel\n([\s\S]*?)\/\/ ANCHOR_END: kernel/);
          return m ? m[1].trimEnd() : text;
        }),
    );
  }
  return sources.get(file);
}

/** Fills the two panes for `settings` (items: how many items the size splits into). */
export async function showCode(settings, items) {
  document.getElementById("code-python").textContent = pythonProgram(settings, items);
  const file = `src/${KERNELS[settings.workload]}.rs`;
  let kernel;
  try {
    kernel = `// ${file}\n${await kernelSource(settings.workload)}`;
  } catch (error) {
    kernel = `// ${file} could not be loaded (${error.message})`;
  }
  document.getElementById("code-ours").textContent = `${driverCode(settings)}\n\n${kernel}`;
}
