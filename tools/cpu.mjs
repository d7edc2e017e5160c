// Where a browser's CPU time goes while a pool runs, for the benchmark: every thread of the
// Chromium it drives, read from Linux's /proc, sorted into the pool's workers, the page's own
// thread, painting (the compositor, raster and display threads: Chromium paints in software
// here, with no GPU) and the rest. Native rayon pays only for its threads; what the page's
// workers lose beside it is on the other lines.
import { readFileSync, readdirSync } from "node:fs";

/** /proc counts a thread's time in clock ticks: 100 a second on Linux (USER_HZ). */
const TICK_MS = 10;

/**
 * Which part of the browser a thread is, from its process's type, its own name and whether
 * it is its process's main thread (the page's, in a renderer).
 */
export function kindOf(processType, thread, isMain = false) {
  if (processType === "renderer") {
    if (isMain) return "page";
    if (thread === "DedicatedWorker") return "workers";
    if (thread.startsWith("Compositor") || thread.startsWith("ThreadPoolForeg")) return "painting";
    return "other";
  }
  if (processType === "gpu-process") return "painting";
  return "other";
}

/** Chromium's processes now: [{pid, type}] (type: its --type, or "browser"). */
export function chromiumProcesses() {
  const out = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (!/chrom/i.test(cmdline.split("\0")[0])) continue;
      out.push({ pid, type: /--type=([\w-]+)/.exec(cmdline)?.[1] ?? "browser" });
    } catch {
      // Gone while it was read.
    }
  }
  return out;
}

/** The threads of `processes` now: tid → {kind, ms} (CPU time so far, user and system). */
export function threadTimes(processes = chromiumProcesses()) {
  const out = new Map();
  for (const { pid, type } of processes) {
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
        const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
        // Fields after the name: state is the 1st, utime the 12th and stime the 13th.
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const ms = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
        out.set(tid, { kind: kindOf(type, name, tid === pid), ms });
      }
    } catch {
      // A process or thread that ended while it was read: it no longer runs.
    }
  }
  return out;
}

/** Whether this machine can be read this way (Linux's /proc). */
export function canSample() {
  try {
    readdirSync("/proc/self/task");
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads the CPU time of every thread of the Chromium processes running now, each `everyMs`,
 * until stop(), which returns {samples: [{at, threads}], samplerMs}: `at` on Date.now()'s
 * clock (the page's now() is on the same one); samplerMs, the CPU time the reading itself
 * took on this machine's cores (from the same cores the pool runs on).
 */
export function sampleCpu(everyMs = 20) {
  const processes = chromiumProcesses();
  const before = process.cpuUsage();
  const sample = () => ({ at: Date.now(), threads: threadTimes(processes) });
  const samples = [sample()];
  const timer = setInterval(() => samples.push(sample()), everyMs);
  return {
    stop() {
      clearInterval(timer);
      samples.push(sample());
      const { user, system } = process.cpuUsage(before);
      return { samples, samplerMs: (user + system) / 1000 };
    },
  };
}

/**
 * The CPU time each kind of thread took inside `spans` ([[from, to]] on the same clock): for
 * each span, from the first sample in it to the last. Returns {window_ms, workers_ms,
 * page_ms, painting_ms, other_ms}: window_ms is the time those samples cover; with `cores`
 * cores, cores × window_ms was there to take.
 */
export function cpuSplit(samples, spans) {
  const split = { window_ms: 0, workers_ms: 0, page_ms: 0, painting_ms: 0, other_ms: 0 };
  for (const [from, to] of spans) {
    const inside = samples.filter((s) => s.at >= from && s.at <= to);
    if (inside.length < 2) continue;
    const first = inside[0];
    const last = inside.at(-1);
    split.window_ms += last.at - first.at;
    for (const [tid, { kind, ms }] of last.threads) {
      split[`${kind}_ms`] += ms - (first.threads.get(tid)?.ms ?? 0);
    }
  }
  return split;
}
