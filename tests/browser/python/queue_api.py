# multiprocessing's queues as CPython's behave: every check prints "OK <name>", and the
# program ends with "done". It runs unchanged under CPython too (python3 this_file.py), which
# is how its expectations were checked.
import multiprocessing
import pickle
import queue
import time
from multiprocessing import JoinableQueue, Process, Queue, SimpleQueue


def check(name, condition, detail=""):
    print(f"OK {name}" if condition else f"FAILED {name}: {detail}")


def check_raises(name, call, error_type, message=None):
    try:
        call()
    except error_type as error:
        check(name, message is None or str(error) == message, error)
    else:
        check(name, False, "no error")


def produce(q, n):
    for i in range(n):
        q.put(i)
    q.put(None)


def double(inbox, outbox):
    while (item := inbox.get()) is not None:
        outbox.put(item * 2)
    outbox.put(None)


def square(tasks, results):
    while True:
        item = tasks.get()
        results.put(item * item)
        tasks.task_done()


def keep(q):
    global kept
    kept = q


def report(x):
    kept.put(x)
    return x


def put_late(q):
    time.sleep(0.3)
    q.put("late")


if __name__ == "__main__":
    multiprocessing.set_start_method("forkserver")  # CPython 3.14's default on Linux, and here
    q = Queue()
    check("empty", q.empty() and q.qsize() == 0)
    q.put({"a": [1, 2]})
    q.put("two")
    check("qsize", q.qsize() == 2, q.qsize())
    check("oldest first", q.get() == {"a": [1, 2]} and q.get() == "two")
    check_raises("Empty after a timeout", lambda: q.get(timeout=0.1), queue.Empty)
    check_raises("get_nowait", q.get_nowait, queue.Empty)
    check_raises("a timeout already past", lambda: q.get(timeout=-1), queue.Empty)

    small = Queue(maxsize=1)
    small.put(1)
    check("full", small.full())
    check_raises("Full after a timeout", lambda: small.put(2, timeout=0.1), queue.Full)
    check_raises("put_nowait", lambda: small.put_nowait(2), queue.Full)

    q = Queue()
    p = Process(target=produce, args=(q, 200))
    p.start()
    got = []
    while (item := q.get()) is not None:
        got.append(item)
    p.join()
    check("from a process", got == list(range(200)) and p.exitcode == 0, got[:5])

    inbox, outbox = Queue(), Queue()
    p = Process(target=double, args=(inbox, outbox))
    p.start()
    for i in range(50):
        inbox.put(i)
    inbox.put(None)
    out = []
    while (item := outbox.get()) is not None:
        out.append(item)
    p.join()
    check("both ways", out == [2 * i for i in range(50)], out[:5])

    tasks, results = JoinableQueue(), Queue()
    workers = [Process(target=square, args=(tasks, results), daemon=True) for _ in range(2)]
    for w in workers:
        w.start()
    for i in range(20):
        tasks.put(i)
    tasks.join()
    check("JoinableQueue", sorted(results.get() for _ in range(20)) == [i * i for i in range(20)])
    check_raises("task_done too often", JoinableQueue().task_done, ValueError,
                 "task_done() called too many times")

    q = Queue()
    p = Process(target=put_late, args=(q,))
    p.start()
    check("a waiting get is woken", q.get(timeout=30) == "late")
    p.join()

    check_raises("inheritance only", lambda: pickle.dumps(Queue()), RuntimeError,
                 "Queue objects should only be shared between processes through inheritance")

    q = Queue()
    with multiprocessing.Pool(2, initializer=keep, initargs=(q,)) as pool:
        pool.map(report, range(5))
    check("a queue through Pool's initargs", sorted(q.get(timeout=30) for _ in range(5)) == [0, 1, 2, 3, 4])

    simple = SimpleQueue()
    simple.put(3)
    check("SimpleQueue", simple.get() == 3 and simple.empty())

    q = Queue()
    q.close()
    check_raises("closed", lambda: q.put(1), ValueError)
    print("done")
