// Timelines as a trace any profiler opens: the Trace Event Format (JSON), which Perfetto UI
// (ui.perfetto.dev) and the Firefox Profiler load as they are. A run is a process, each of its
// workers, threads or interpreters a thread, each phase of the page's timeline a slice (a
// complete event, "X") on it, each message through a Queue or Pipe an instant ("i").
// Timestamps and durations are in microseconds, as the format has them, from the first run
// shown; every one is the page's own measurement (analysis.js's timelineOf, the Python
// panel's spans), rounded to the microsecond. Loaded when a trace is first asked for.
import { PHASES, timelineOf } from "../engine/analysis.js";
import { MAIN } from "../engine/series.js";
import { modeLabel, who } from "./wording.js";

const us = (ms) => Math.round(ms * 1000);

/**
 * The trace of `processes`: [{pid, name, threads: [{tid, name, slices: [{name, cat, from,
 * to, args}], marks: [{name, cat, at}]}]}], times in ms.
 */
export function traceFile(processes) {
  const traceEvents = [];
  for (const { pid, name, threads } of processes) {
    traceEvents.push({ name: "process_name", ph: "M", pid, tid: 0, args: { name } });
    traceEvents.push({
      name: "process_sort_index",
      ph: "M",
      pid,
      tid: 0,
      args: { sort_index: pid },
    });
    for (const { tid, name: thread, slices = [], marks = [] } of threads) {
      traceEvents.push({ name: "thread_name", ph: "M", pid, tid, args: { name: thread } });
      traceEvents.push({ name: "thread_sort_index", ph: "M", pid, tid, args: { sort_index: tid } });
      for (const s of slices) {
        const ts = us(s.from);
        const dur = Math.max(0, us(s.to) - ts);
        traceEvents.push({
          name: s.name,
          cat: s.cat,
          ph: "X",
          ts,
          dur,
          pid,
          tid,
          args: s.args ?? {},
        });
      }
      for (const m of marks) {
        traceEvents.push({ name: m.name, cat: m.cat, ph: "i", s: "t", ts: us(m.at), pid, tid });
      }
    }
  }
  return { traceEvents, displayTimeUnit: "ms" };
}

/**
 * The History's runs that kept their tasks' timings, one process each, in the order they
 * ran: a thread "run" with the run's wall time, then the main thread or each worker with its
 * phases (the task each belongs to in `args.task`), and the page's own thread where it worked.
 */
export function historyTrace(history) {
  const runs = history.series.flatMap((series) =>
    series.runs
      .filter((run) => run.outcomes && Number.isFinite(run.start))
      .map((run, k) => ({ series, run, k })),
  );
  const origin = Math.min(...runs.map(({ run }) => run.start));
  return traceFile(
    runs.map(({ series, run, k }, i) => {
      const at = run.start - origin;
      const timeline = timelineOf(run);
      const threads = new Map();
      const thread = (lane) => {
        const tid = lane === MAIN ? 1 : lane + 2;
        if (!threads.has(tid)) threads.set(tid, { tid, name: who(lane, series.mode), slices: [] });
        return threads.get(tid);
      };
      const wall = {
        tid: 0,
        name: "run",
        slices: [{ name: "run", cat: "run", from: at, to: at + run.ms, args: { ms: run.ms } }],
      };
      for (const bar of timeline.bars) {
        for (const p of bar.phases) {
          thread(bar.lane).slices.push({
            name: PHASES[p.kind],
            cat: p.kind,
            from: at + p.from,
            to: at + p.to,
            args: { task: bar.task },
          });
        }
      }
      for (const s of timeline.starts) {
        thread(s.lane).slices.push({
          name: PHASES.start,
          cat: "start",
          from: at + s.from,
          to: at + s.to,
        });
      }
      const page = timeline.page.map((s) => ({
        name: "the page's thread",
        cat: "page",
        from: at + s.from,
        to: at + s.to,
      }));
      const others = page.length > 0 ? [{ tid: 1000, name: "page", slices: page }] : [];
      const { workload, size } = series.settings;
      return {
        pid: i + 1,
        name: `series ${series.n}, run ${k + 1}: ${workload} (${size}) on the ${modeLabel(series)}`,
        threads: [wall, ...[...threads.values()].sort((a, b) => a.tid - b.tid), ...others],
      };
    }),
  );
}

/**
 * The Python panel's last run: one process per interpreter (the program is pid 1, its
 * processes their own pids), on one thread, its spans from Run (0) to the run's end (a
 * task's slice named as the panel names it, "f(3)"), its messages as instants "sent" and
 * "got". `nameOf(lane)` is the panel's name for an interpreter.
 */
export function pythonTrace({ lanes, spans, marks, run, mainLane, nameOf }) {
  const from = run.clicked;
  const width = run.ended - from;
  const within = (t) => Math.min(Math.max(t - from, 0), width);
  return traceFile(
    [...lanes.values()].map((lane) => ({
      pid: lane.id === mainLane ? 1 : lane.id,
      name: nameOf(lane.id),
      threads: [
        {
          tid: 1,
          name: "interpreter",
          slices: spans
            .filter((s) => s.lane === lane.id && s.to > from && s.from < run.ended)
            .map((s) => ({
              name: s.label ?? PHASES[s.kind],
              cat: s.kind,
              from: within(s.from),
              to: within(s.to),
            })),
          marks: marks
            .filter((m) => m.lane === lane.id && m.at >= from && m.at <= run.ended)
            .map((m) => ({ name: m.mark, cat: "message", at: m.at - from })),
        },
      ],
    })),
  );
}
