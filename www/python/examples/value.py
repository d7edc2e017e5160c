# Processes share nothing unless asked. A Value asks: it is a number in memory that every
# process shares. Two processes each add 1 to the same Value 20,000 times, at the same time.
# Without its lock, an update made between another's read and write of the value is lost,
# and the count comes out short; with the lock held around each += 1, none is.
from multiprocessing import Process, Queue, Value

TIMES = 20_000


def add(counter, locked, ready, go):
    ready.put('ready')
    go.get()  # both start adding at the same moment
    for _ in range(TIMES):
        if locked:
            with counter.get_lock():
                counter.value += 1
        else:
            counter.value += 1


if __name__ == '__main__':
    for locked in (False, True):
        counter, ready, go = Value('i', 0), Queue(), Queue()
        adders = [Process(target=add, args=(counter, locked, ready, go)) for _ in range(2)]
        for adder in adders:
            adder.start()
        for adder in adders:
            ready.get()
        for adder in adders:
            go.put('go')
        for adder in adders:
            adder.join()
        how = 'with the lock:   ' if locked else 'without the lock:'
        print(f'{how} {counter.value:,} of {2 * TIMES:,} ({2 * TIMES - counter.value:,} lost)')
