import concurrent.futures as cf
import multiprocessing
import os
import time


def double(x):
    return 2 * x


def add(a, b):
    return a + b


def pid_after(seconds):
    time.sleep(seconds)
    return os.getpid()


factor = 1


def set_factor(value):
    global factor
    factor = value


def scaled(x):
    return factor * x


def slow_double(x):
    time.sleep(5)
    return 2 * x


def blob(size):
    return b'x' * size


def announce(text):
    time.sleep(5)
    print(text)


def fail_init():
    raise OSError('no database here')


def check(name, ok):
    print('OK' if ok else 'FAILED', name)


if __name__ == '__main__':
    check('cpu_count', multiprocessing.cpu_count() == os.cpu_count() >= 1)
    with cf.ProcessPoolExecutor(max_workers=2) as executor:
        check('submit', executor.submit(double, 21).result() == 42)
        pairs = executor.map(add, range(10), range(10), chunksize=3)
        check('map chunksize', list(pairs) == [2 * i for i in range(10)])
        # Each idle process takes one call; neither can finish before its 2 s sleep ends.
        pids = {f.result() for f in [executor.submit(pid_after, 20) for _ in range(2)]}
        check('pids', len(pids) == 2 and os.getpid() not in pids)
        futures = [executor.submit(double, i) for i in range(6)]
        doubled = sorted(f.result() for f in cf.as_completed(futures))
        check('as_completed', doubled == [0, 2, 4, 6, 8, 10])
        done, pending = cf.wait([executor.submit(double, 1), executor.submit(double, 2)])
        check('wait', len(done) == 2 and not pending)
        try:
            list(executor.map(time.sleep, [5], timeout=0.1))
            check('timeout', False)
        except TimeoutError:
            check('timeout', True)
        try:
            executor.submit(lambda: 1).result()
            check('pickling', False)
        except Exception as error:
            check('pickling', 'lambda' in str(error) or 'pickle' in str(error).lower())
        # Arguments too big for the call queue reach their process by message, in their turn.
        sizes = [10, 3_000_000, 20, 1_000_000, 30]
        check('big arguments', list(executor.map(len, [b'a' * n for n in sizes])) == sizes)
        # More than the call queue holds at once (2.4 MB in 1 MiB): submit waits for room.
        sizes = [200_000 + n for n in range(12)]
        check('a full queue', list(executor.map(len, [b'a' * n for n in sizes])) == sizes)
        # Results too big for the result queue (128 KiB) reach the program through the page.
        sizes = [10, 300_000, 20, 2_000_000, 30]
        check('big results', [len(b) for b in executor.map(blob, sizes)] == sizes)
        # Answers the program does not read for a while: more than its result queue holds
        # (1.2 MB in 512 KiB); those that find it full go through the page instead.
        futures = [executor.submit(blob, 100_000 + n) for n in range(12)]
        time.sleep(2)
        check('a full result queue', [len(f.result()) for f in futures] == [100_000 + n for n in range(12)])
        # A result, or an argument, too large to pass between processes is refused with why.
        too_large = (256 << 20) + 1
        try:
            executor.submit(blob, too_large).result()
            check('oversized result', False)
        except ValueError as error:
            check('oversized result', 'the result of blob(268435457) pickles to 268,435,4' in str(error))
        try:
            executor.submit(len, b'x' * too_large).result()
            check('oversized argument', False)
        except ValueError as error:
            check('oversized argument', 'the call len(' in str(error) and 'MiB that may pass' in str(error))
        check('after oversized', executor.submit(double, 2).result() == 4)
    try:
        executor.submit(double, 1)
        check('shutdown', False)
    except RuntimeError:
        check('shutdown', True)
    with cf.ProcessPoolExecutor(1, initializer=set_factor, initargs=(10,)) as executor:
        check('initializer', executor.submit(scaled, 4).result() == 40)
    with cf.ProcessPoolExecutor(1, initializer=fail_init) as executor:
        try:
            executor.submit(double, 1).result()
            check('broken', False)
        except cf.BrokenExecutor as error:
            check('broken', 'no database here' in str(error))
    with multiprocessing.Pool(1) as pool:
        check('Pool.map', pool.map(double, range(5)) == [0, 2, 4, 6, 8])
        check('Pool.starmap', pool.starmap(add, [(1, 2), (3, 4)]) == [3, 7])
        check('Pool.apply_async', pool.apply_async(add, (2, 3)).get(timeout=60) == 5)
        check('Pool.imap_unordered', sorted(pool.imap_unordered(double, range(4))) == [0, 2, 4, 6])
    # At most 32 processes at once, in all: a third executor waits for one to shut down.
    held = [cf.ProcessPoolExecutor(16), cf.ProcessPoolExecutor(15)]
    try:
        cf.ProcessPoolExecutor(2)
        check('live cap', False)
    except RuntimeError as error:
        check('live cap', 'at most 32 Python processes at once' in str(error))
    held.pop().shutdown()
    cf.ProcessPoolExecutor(16).shutdown()
    check('live cap released', True)
    held.pop().shutdown()
    # shutdown(wait=False) with work queued: the work still runs and its futures settle; work
    # never asked for again still ends before the program does, as CPython's exit waits for it.
    executor = cf.ProcessPoolExecutor(2)
    futures = [executor.submit(slow_double, i) for i in range(4)]
    executor.submit(announce, 'finished after shutdown')
    executor.shutdown(wait=False)
    check('shutdown(wait=False)', [f.result(timeout=120) for f in futures] == [0, 2, 4, 6])
    print('done')
