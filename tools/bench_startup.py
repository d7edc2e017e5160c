# The benchmark's start-up program (tools/bench.mjs types it into the Python panel; CPython runs
# the same measures in tools/bench_python.py): an executor of cpu_count() processes, from its
# creation to the results of one no-op task per process, then what one more task costs when
# each travels alone (chunksize 1), with the processes started and warm.
import concurrent.futures
import os
import time

TASKS = 2_000


def noop(x):
    return x


if __name__ == '__main__':
    workers = os.cpu_count()
    start = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(workers) as executor:
        list(executor.map(noop, range(workers)))
        first = time.perf_counter()
        list(executor.map(noop, range(4 * workers)))
        begin = time.perf_counter()
        list(executor.map(noop, range(TASKS)))
        end = time.perf_counter()
    print(f'first results: {(first - start) * 1000:.1f} ms')
    print(f'per task at chunksize 1: {(end - begin) * 1e6 / TASKS:.1f} us')
