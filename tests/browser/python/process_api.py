# multiprocessing.Process as CPython's behaves: every check prints "OK <name>", and the
# program ends with "done". It runs unchanged under CPython too (python3 this_file.py), which
# is how its expectations were checked.
import multiprocessing
import os
import sys
import time
from multiprocessing import Process


def check(name, condition, detail=""):
    print(f"OK {name}" if condition else f"FAILED {name}: {detail}")


def check_raises(name, call, error_type, message):
    try:
        call()
    except error_type as error:
        check(name, str(error) == message, error)
    else:
        check(name, False, "no error")


def nothing():
    pass


def say(word, *, times=1):
    print(word * times)


def fail():
    raise ValueError("no good")


def leave(code):
    sys.exit(code)


def leave_now(code):
    os._exit(code)


def nap(seconds):
    time.sleep(seconds)


def who(queue_file):
    me = multiprocessing.current_process()
    parent = multiprocessing.parent_process()
    print(f"child {me.name} {me.pid == os.getpid()} {parent.name} {parent.pid == os.getppid()}")


class Counter(Process):
    def __init__(self, n):
        super().__init__(name="counter")
        self.n = n

    def run(self):
        print(f"counted {sum(range(self.n))} in {multiprocessing.current_process().name}")


if __name__ == "__main__":
    multiprocessing.set_start_method("forkserver")  # CPython 3.14's default on Linux, and here
    p = Process(target=nothing)
    check("initial", p.exitcode is None and p.pid is None and not p.is_alive(), repr(p))
    check("name", p.name.startswith("Process-"), p.name)
    p.start()
    check("pid", isinstance(p.pid, int) and p.pid != os.getpid(), p.pid)
    p.join()
    check("exitcode 0", p.exitcode == 0 and not p.is_alive(), p.exitcode)
    check("repr", "stopped exitcode=0" in repr(p), repr(p))

    p = Process(target=say, args=("ab",), kwargs={"times": 2}, name="sayer")
    p.start()
    p.join()
    check("args and kwargs", p.exitcode == 0 and p.name == "sayer")

    p = Process(target=fail)
    p.start()
    p.join()
    check("an exception: exitcode 1", p.exitcode == 1, p.exitcode)

    codes = []
    for code in (0, 3, None, "bye"):
        p = Process(target=leave, args=(code,))
        p.start()
        p.join()
        codes.append(p.exitcode)
    check("sys.exit", codes == [0, 3, 0, 1], codes)

    p = Process(target=leave_now, args=(4,))
    p.start()
    p.join()
    check("os._exit", p.exitcode == 4, p.exitcode)

    p = Process(target=nap, args=(30,))
    p.start()
    p.join(timeout=0.2)
    check("join timeout", p.is_alive() and p.exitcode is None, repr(p))
    check("active_children", p in multiprocessing.active_children())
    p.terminate()
    p.join()
    check("terminate", p.exitcode == -15 and not p.is_alive(), p.exitcode)
    check("repr SIGTERM", "exitcode=-SIGTERM" in repr(p), repr(p))
    check("active_children after", p not in multiprocessing.active_children())

    p = Process(target=nap, args=(30,), daemon=True)
    p.start()
    p.kill()
    p.join()
    check("kill", p.exitcode == -9, p.exitcode)

    p = Process(target=nap, args=(0,))
    check_raises("join before start", p.join, AssertionError, "can only join a started process")
    p.start()
    check_raises("start twice", p.start, AssertionError, "cannot start a process twice")

    def make_daemon():
        p.daemon = True

    check_raises("daemon after start", make_daemon, AssertionError, "process has already started")
    p.join()
    p.close()
    check_raises("closed", p.is_alive, ValueError, "process object is closed")

    try:
        Process(target=lambda: None).start()
        check("pickling", False, "no error")
    except Exception as error:  # CPython: PicklingError (or AttributeError) in the parent
        check("pickling", "lambda" in str(error), error)

    p = Counter(1000)
    p.start()
    p.join()
    check("subclass", p.exitcode == 0 and p.name == "counter")

    p = Process(target=who, args=(None,))
    p.start()
    p.join()
    check("current and parent", multiprocessing.parent_process() is None and
          multiprocessing.current_process().name == "MainProcess")

    started = [Process(target=nap, args=(0.3,)) for _ in range(3)]
    t0 = time.monotonic()
    for p in started:
        p.start()
    for p in started:
        p.join()
    check("three at once", [p.exitcode for p in started] == [0, 0, 0])
    print("done")
