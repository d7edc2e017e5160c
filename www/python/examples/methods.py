# Start methods: how a new process begins. 'spawn' starts a fresh Python interpreter; here
# that means starting Python from nothing in a new worker, as CPython's spawn runs a new
# python. 'forkserver' starts it from a ready image: here, the page's snapshot of a Python
# that has just started, or a process it started ahead of time. Either way the new process
# then imports this program (the code under the __main__ line does not run again).
#
# Python 3.14 made forkserver the default on Linux, in place of 'fork': fork copies the
# running program, locks held by its other threads included, which could deadlock it.
# fork cannot exist in a browser at all: no page can copy a running interpreter.
import multiprocessing as mp
import time


def square(x):
    return x * x


if __name__ == '__main__':
    print('start methods here:', mp.get_all_start_methods(), 'default:', mp.get_start_method())
    for method in ('spawn', 'forkserver'):
        start = time.perf_counter()
        with mp.get_context(method).Pool(2) as pool:
            pool.apply(square, (7,))  # a process has started and imported the program
            first = time.perf_counter()
            pool.map(square, range(1_000))
            end = time.perf_counter()
        print(f'{method:>10}: the first result {(first - start) * 1000:,.0f} ms after the pool '
              f'was made; then 1,000 tiny tasks in {(end - first) * 1000:,.0f} ms')
    print('(The timeline shows each process starting: compare their first bars.)')
