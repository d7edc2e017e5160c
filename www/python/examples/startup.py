# Tiny tasks: when each call does almost nothing, processes cost more than they give. Every
# process is a whole interpreter to start, and every call is pickled, sent and answered.
# Sending calls in chunks (chunksize) pays the messages once per chunk.
import concurrent.futures
import time


def square(x):
    return x * x


if __name__ == '__main__':
    numbers = range(2_000)

    start = time.perf_counter()
    squares = [square(n) for n in numbers]
    print(f'A plain loop: {len(squares):,} squares in {(time.perf_counter() - start) * 1000:.1f} ms')

    start = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor() as executor:
        executor.submit(square, 0).result()  # every process started and imported
        ready = time.perf_counter()
        squares = list(executor.map(square, numbers))
        one_by_one = time.perf_counter()
        squares = list(executor.map(square, numbers, chunksize=250))
        end = time.perf_counter()
    print(f'Starting {executor._max_workers} processes: {ready - start:.2f} s')
    print(f'The same squares, one call per message: {one_by_one - ready:.2f} s')
    print(f'In chunks of 250 calls: {(end - one_by_one) * 1000:.1f} ms')
