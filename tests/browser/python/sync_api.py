# multiprocessing's Pipe, Semaphore, BoundedSemaphore, Event, Condition, Barrier, Array and
# start methods as CPython's behave: every check prints "OK <name>", and the program ends with
# "done". It runs unchanged under CPython too (python3 this_file.py), which is how its
# expectations were checked; the checks of what cannot exist in a browser (fork, Manager) run
# only there.
import multiprocessing
import os
import sys
import threading
import time
from multiprocessing import shared_memory
from multiprocessing import (Array, Barrier, BoundedSemaphore, Condition, Event, Lock, Pipe,
                             Process, Queue, Semaphore)

IN_BROWSER = sys.platform == "emscripten"


def check(name, condition, detail=""):
    print(f"OK {name}" if condition else f"FAILED {name}: {detail}")


def check_raises(name, call, error_type, message=None):
    try:
        call()
    except error_type as error:
        check(name, message is None or message in str(error), error)
    else:
        check(name, False, "no error")


def echo(conn):
    # Answers each message doubled until it gets None, then closes its end and ends.
    while (item := conn.recv()) is not None:
        conn.send(item * 2)
    conn.close()


def send_then_end(conn):
    conn.send("last words")


def end_at_once():
    pass


def exit_holding(conn):
    os._exit(3)  # no cleanup: the end it holds closes with the process, as its files would


def take_slot(semaphore, inside, most, lock):
    # How many processes are inside at once: never more than the semaphore lets in.
    with semaphore:
        with lock:
            inside.value += 1
            most.value = max(most.value, inside.value)
        time.sleep(0.05)
        with lock:
            inside.value -= 1


def steps(event, condition, items, barrier, numbers, said):
    # One process for the event, the condition, the barrier and the array, in turn (each
    # process is a whole interpreter to start).
    said.put(("waiting", event.is_set()))
    said.put(("woke", event.wait(10)))
    with condition:
        condition.wait_for(lambda: items[0] > 0, 10)
        said.put(items[0])
    said.put(barrier.wait(10))
    for i in range(len(numbers)):
        numbers[i] = -numbers[i]


def write_block(name, items):
    # Attaches to the program's block by name, as another process would; the list comes
    # pickled, which attaches it by its name too.
    block = shared_memory.SharedMemory(name)
    block.buf[:5] = b"howdy"
    block.close()
    items[0] = "from a process"


if __name__ == "__main__":
    multiprocessing.set_start_method("forkserver")  # CPython 3.14's default on Linux, and here
    check_raises("start method set once", lambda: multiprocessing.set_start_method("spawn"),
                 RuntimeError, "context has already been set")
    check("get_start_method", multiprocessing.get_start_method() == "forkserver")
    check_raises("an unknown method", lambda: multiprocessing.get_context("vfork"), ValueError,
                 "cannot find context for 'vfork'")
    ctx = multiprocessing.get_context("spawn")
    check("a context's method", ctx.get_start_method() == "spawn")
    check("a context's Process", ctx.Process(target=end_at_once).name.startswith("SpawnProcess-"))

    # Pipe: both ways, poll, EOF once the other end is closed everywhere.
    here, there = Pipe()
    p = ctx.Process(target=echo, args=(there,))
    p.start()
    there.close()  # the process holds its own copy
    here.send(21)
    check("a pipe both ways", here.recv() == 42)
    check("poll with nothing sent", here.poll() is False)
    here.send([1, 2])
    check("poll waits for it", here.poll(10) is True)
    check("a list through a pipe", here.recv() == [1, 2, 1, 2])
    here.send(None)
    check_raises("EOFError once the other end closed", here.recv, EOFError)
    p.join()
    here.close()
    check_raises("a closed end", lambda: here.send(1), OSError, "handle is closed")

    reader, writer = Pipe(duplex=False)
    check_raises("a reader does not send", lambda: reader.send(1), OSError,
                 "connection is read-only")
    check_raises("a writer does not receive", writer.recv, OSError,
                 "connection is write-only")
    p = Process(target=send_then_end, args=(writer,))
    p.start()
    writer.close()
    p.join()
    check("what was sent outlives the sender", reader.recv() == "last words")
    check("then poll says EOF is there", reader.poll(0) is True)
    check_raises("and recv raises EOFError", reader.recv, EOFError)

    here, there = Pipe()
    p = Process(target=exit_holding, args=(there,))
    p.start()
    there.close()
    check_raises("EOFError once the process holding the other end died", here.recv, EOFError)
    p.join()
    check("and it exited with its code", p.exitcode == 3, p.exitcode)

    reader, writer = Pipe(duplex=False)
    reader.close()
    check_raises("sending to no reader", lambda: writer.send("x"), BrokenPipeError)
    a, b = Pipe()
    a.send_bytes(b"0123456789", 2, 5)
    check("send_bytes with offset and size", b.recv_bytes() == b"23456")

    # Semaphore and BoundedSemaphore.
    s = Semaphore(2)
    check("semaphore acquire", s.acquire() and s.acquire())
    check("semaphore at 0 times out", s.acquire(timeout=0.1) is False)
    s.release()
    s.release()
    s.release()  # an unbounded semaphore may go above its start
    check("semaphore above its start", s.get_value() == 3, s.get_value())
    b = BoundedSemaphore(1)
    b.acquire()
    b.release()
    check_raises("bounded released too often", b.release, ValueError,
                 "semaphore or lock released too many times")
    check_raises("a negative start", lambda: Semaphore(-1), OSError, "Invalid argument")
    inside, most, counts = multiprocessing.Value("i", 0), multiprocessing.Value("i", 0), Lock()
    gate = Semaphore(2)
    workers = [Process(target=take_slot, args=(gate, inside, most, counts)) for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    check("a semaphore of 2 lets 2 in at most", most.value <= 2 and inside.value == 0,
          most.value)

    # Event, Condition, Barrier and Array, with one process.
    event = Event()
    said = Queue()
    condition = Condition()
    items = Array("i", [0])
    barrier = Barrier(2)
    numbers = Array("i", range(10))
    p = Process(target=steps, args=(event, condition, items, barrier, numbers, said))
    p.start()
    check("an event starts unset", said.get(timeout=30) == ("waiting", False))
    check("event.wait times out", event.wait(0.05) is False)
    event.set()
    check("set wakes its waiter", said.get(timeout=30) == ("woke", True))
    check("is_set", event.is_set())
    event.clear()
    check("clear", not event.is_set())

    time.sleep(0.2)
    with condition:
        items[0] = 7
        condition.notify()
    check("notify wakes wait_for", said.get(timeout=30) == 7)
    check_raises("wait needs the lock", lambda: Condition().wait(0), AssertionError,
                 "must acquire() condition before using wait()")
    check_raises("notify needs the lock", Condition().notify, AssertionError, "lock is not owned")
    with condition:
        check("wait times out", condition.wait(0.05) is False)

    mine = barrier.wait(30)
    indices = sorted([mine, said.get(timeout=30)])
    check("a barrier of 2", indices == [0, 1], indices)
    check("barrier counts", barrier.parties == 2 and barrier.n_waiting == 0 and not barrier.broken)
    lonely = Barrier(2)
    check_raises("a barrier that times out breaks", lambda: lonely.wait(0.05),
                 threading.BrokenBarrierError)
    check("and stays broken", lonely.broken)

    p.join()
    check("an array changed in a process", numbers[:] == [0, -1, -2, -3, -4, -5, -6, -7, -8, -9],
          numbers[:])
    check("len, index, slice", len(numbers) == 10 and numbers[-1] == -9
          and numbers[2:8:3] == [-2, -5])
    numbers[1:3] = [11, 12]
    check("slice assignment", numbers[0:4] == [0, 11, 12, -3])
    check_raises("an index past the end", lambda: numbers[10], IndexError, "invalid index")
    check_raises("a slice of the wrong size", lambda: numbers.__setitem__(slice(0, 2), [1]),
                 ValueError, "Can only assign sequence of same size")
    raw = multiprocessing.RawArray("i", 3)
    raw[1] = 5
    check("RawArray and RawValue", raw[:] == [0, 5, 0] and multiprocessing.RawValue("d", 2.5).value
          == 2.5 and not hasattr(raw, "get_lock"))
    doubles = Array("d", 3, lock=False)
    doubles[0] = 1.5
    check("lock=False, zeros first", doubles[:] == [1.5, 0.0, 0.0]
          and not hasattr(doubles, "get_lock"))
    check("get_lock", hasattr(numbers.get_lock(), "acquire"))

    # shared_memory between processes: a block and a ShareableList, attached by name.
    block = shared_memory.SharedMemory(create=True, size=16)
    block.buf[:5] = b"hello"
    items = shared_memory.ShareableList(["room for sixteen", 1, 2.5])
    p = Process(target=write_block, args=(block.name, items))
    p.start()
    p.join()
    check("a block written by a process", bytes(block.buf[:5]) == b"howdy", bytes(block.buf[:5]))
    check("a ShareableList written by a process", list(items) == ["from a process", 1, 2.5],
          list(items))
    check_raises("no block of that name", lambda: shared_memory.SharedMemory("pp-none"),
                 FileNotFoundError, "No such file or directory")
    check_raises("a name taken", lambda: shared_memory.SharedMemory(block.name, create=True,
                                                                     size=4), FileExistsError)
    check_raises("a size of 0", lambda: shared_memory.SharedMemory(create=True, size=0),
                 ValueError, "'size' must be a positive number different from zero")
    items.shm.close()
    items.shm.unlink()
    block.close()
    block.unlink()
    check_raises("unlinked", lambda: shared_memory.SharedMemory(block.name),
                 FileNotFoundError)

    # What cannot exist in a browser says why, and what to use instead.
    if IN_BROWSER:
        check_raises("fork", lambda: multiprocessing.set_start_method("fork", force=True),
                     ValueError, "the 'fork' start method cannot work here")
        check_raises("Manager", multiprocessing.Manager, NotImplementedError,
                     "multiprocessing.Manager() cannot work here")
        check_raises("os.fork", os.fork, OSError, "a browser cannot copy a running interpreter")
    else:
        for name in ("fork", "Manager", "os.fork"):
            check(name, True)
    print("done")
