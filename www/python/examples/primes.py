# CPU-bound work in pure Python: count the primes below N in a plain loop, then split over a
# ProcessPoolExecutor. Each process is its own interpreter with its own GIL, so they really
# compute at the same time: the work speeds up about N times with N cores.
import concurrent.futures
import os
import time


def count_primes(lo, hi):
    count = 0
    for n in range(max(lo, 2), hi):
        if all(n % d for d in range(2, int(n**0.5) + 1)):
            count += 1
    return count


if __name__ == '__main__':
    N = 300_000
    workers = os.cpu_count()
    pieces = 16 * workers
    # Larger numbers take longer to test, so the pieces go biggest first: the last ones handed
    # out are then the smallest, and no process waits long for the other at the end.
    his = [N - i * N // pieces for i in range(pieces)]
    los = [N - (i + 1) * N // pieces for i in range(pieces)]

    start = time.perf_counter()
    found = sum(map(count_primes, los, his))
    loop = time.perf_counter() - start
    print(f'A plain loop: {found:,} primes below {N:,} in {loop:.2f} s')

    start = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(workers) as executor:
        executor.submit(count_primes, 0, 0).result()  # every process started and imported
        ready = time.perf_counter()
        found = sum(executor.map(count_primes, los, his))
        end = time.perf_counter()
    print(f'Starting {workers} processes: {ready - start:.2f} s (each one a whole interpreter)')
    print(f'{workers} processes: {found:,} primes in {end - ready:.2f} s')
    print(f'Speed-up of the work: {loop / (end - ready):.2f}x with {workers} processes')
