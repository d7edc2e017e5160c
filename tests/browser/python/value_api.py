# multiprocessing's Lock, RLock and Value as CPython's behave: every check prints "OK <name>",
# and the program ends with "done". It runs unchanged under CPython too (python3 this_file.py),
# which is how its expectations were checked.
import ctypes
import multiprocessing
from multiprocessing import Lock, Process, Queue, RLock, Value


def check(name, condition, detail=""):
    print(f"OK {name}" if condition else f"FAILED {name}: {detail}")


def check_raises(name, call, error_type, message=None):
    try:
        call()
    except error_type as error:
        check(name, message is None or str(error) == message, error)
    else:
        check(name, False, "no error")


def add(counter, n, locked):
    for _ in range(n):
        if locked:
            with counter.get_lock():
                counter.value += 1
        else:
            counter.value += 1


def hold(lock, held, go):
    with lock:
        held.put("held")
        go.get()


if __name__ == "__main__":
    multiprocessing.set_start_method("forkserver")  # CPython 3.14's default on Linux, and here
    v = Value("i", 5)
    check("initial", v.value == 5, v.value)
    v.value = 7
    check("set", v.value == 7, v.value)
    check("double by default 0.0", Value("d").value == 0.0)
    check("a ctypes type", Value(ctypes.c_double, 1.5).value == 1.5)
    check("a big long", Value("q", 2**60).value == 2**60)
    raw = Value("i", 3, lock=False)
    check("lock=False", raw.value == 3 and not hasattr(raw, "get_lock"))

    lock = Lock()
    check("acquire", lock.acquire())
    check("acquire again times out", lock.acquire(timeout=0.1) is False)
    lock.release()
    check_raises("release twice", lock.release, ValueError,
                 "semaphore or lock released too many times")
    rlock = RLock()
    rlock.acquire()
    check("RLock again", rlock.acquire(timeout=0))
    rlock.release()
    rlock.release()
    check_raises("RLock not held", rlock.release, AssertionError,
                 "attempt to release recursive lock not owned by thread")

    def counted_by_two(locked):
        counter = Value("i", 0)
        workers = [Process(target=add, args=(counter, 2000, locked)) for _ in range(2)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        return counter.value

    locked = counted_by_two(True)
    check("a locked count loses nothing", locked == 4000, locked)
    racy = counted_by_two(False)
    # How many it loses depends on how the two interleave: only this much is certain.
    check("a racy count never gains", 0 < racy <= 4000, racy)

    lock, held, go = Lock(), Queue(), Queue()
    p = Process(target=hold, args=(lock, held, go))
    p.start()
    held.get()
    check("held by another process", lock.acquire(timeout=0.1) is False)
    go.put("go")
    check("taken once it is released", lock.acquire(timeout=30))
    lock.release()
    p.join()
    print("done")
