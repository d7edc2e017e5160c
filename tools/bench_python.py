#!/usr/bin/env python3
"""The benchmark's Python side (tools/bench.mjs runs it when python3 is present): CPython's own
ProcessPoolExecutor on this machine, beside the playground's numbers.

- The article's program: executor.map(do_something, range(30)), where calls 8 and 12 sleep
  that many seconds and the rest print their argument, as the playground's sleeper workload
  plans it, with every sleep multiplied by --scale as the page's time scale does. Its
  overhead is the wall time beyond the longest sleep.
- 10,000 no-op tasks through executor.map, chunksize 1 and chunksize len/(4·workers) (what
  multiprocessing.Pool.map picks by default), timed with the pool already started.
- An executor of `workers` processes, from its creation to the results of one no-op task per
  process, with each start method (spawn, forkserver, fork), medians of --starts runs: the
  same measure as tools/bench_startup.py, which the benchmark runs in the Python panel.

Prints one JSON object. No dependencies beyond the standard library.
"""
import argparse
import concurrent.futures
import json
import multiprocessing
import os
import platform
import statistics
import time


def do_something(seconds, scale):
    # The article's function, its sleeps scaled.
    if seconds == 8 or seconds == 12:
        print(f"Sleeping {seconds} second(s)...")
        time.sleep(seconds * scale)
        print(f"Done sleeping...{seconds}")
    else:
        print(seconds)


def noop(i):
    return i


def article(calls, scale):
    # As the article times it: the executor's start and shutdown inside the clock.
    start = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor() as executor:
        executor.map(do_something, range(calls), [scale] * calls)
    return time.perf_counter() - start


def per_task_us(tasks, workers, chunksize):
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as executor:
        # Started and warm: every worker has run something before the clock starts.
        list(executor.map(noop, range(workers * 4)))
        start = time.perf_counter()
        out = list(executor.map(noop, range(tasks), chunksize=chunksize))
        wall = time.perf_counter() - start
    assert out[-1] == tasks - 1
    return wall * 1e6 / tasks


def first_results_ms(method, workers):
    context = multiprocessing.get_context(method)
    start = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as executor:
        list(executor.map(noop, range(workers)))
        first = time.perf_counter()
    return (first - start) * 1000


def start_methods(workers, runs):
    methods = [m for m in ("spawn", "forkserver", "fork") if m in multiprocessing.get_all_start_methods()]
    return {
        method: round(statistics.median(first_results_ms(method, workers) for _ in range(runs)), 1)
        for method in methods
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--workers", type=int, default=os.cpu_count())
    ap.add_argument("--tasks", type=int, default=10_000)
    ap.add_argument("--calls", type=int, default=30, help="the article's range(30)")
    ap.add_argument("--starts", type=int, default=5, help="runs of each start method")
    args = ap.parse_args()
    # stdout carries only the JSON: everything printed, by this process or by the pool's
    # (which inherit the file descriptor), goes to stderr.
    out_fd = os.dup(1)
    os.dup2(2, 1)
    # The article's executor takes the default pool size (the CPU count), as the page does.
    wall = article(args.calls, args.scale)
    longest = max(s for s in (8, 12) if s < args.calls)
    chunked = max(1, -(-args.tasks // (4 * args.workers)))
    result = {
        "version": platform.python_version(),
        "cpus": os.cpu_count(),
        "scale": args.scale,
        "article_wall_s": round(wall, 3),
        "article_overhead_ms": round((wall - longest * args.scale) * 1000, 1),
        "tasks": args.tasks,
        "workers": args.workers,
        "per_task_us_chunksize1": round(per_task_us(args.tasks, args.workers, 1), 1),
        "chunksize_chunked": chunked,
        "per_task_us_chunked": round(per_task_us(args.tasks, args.workers, chunked), 2),
        "first_results_ms": start_methods(args.workers, args.starts),
    }
    os.write(out_fd, (json.dumps(result) + "\n").encode())


if __name__ == "__main__":
    main()
