"""Processes for Python in the browser.

The page runs a program as ``__main__`` in a *driver* interpreter, in a worker
(www/workers/python-main.js). This module gives that program
``concurrent.futures.ProcessPoolExecutor`` and ``multiprocessing.Pool`` over the page's pool of
workers (www/engine/pool.js): each worker "process" is its own Pyodide interpreter with its
own memory (www/workers/python.js). A process imports the program the way CPython's *spawn*
start method does (as ``__mp_main__``, so the ``if __name__ == '__main__':`` block does not
run again, while everything above it does), then runs the functions it is sent on pickled
arguments and sends back pickled results. Exceptions come back with the worker's traceback
and are re-raised in the caller, as CPython does.

How the driver waits: ``_pp`` (the JavaScript bridge each interpreter is given) posts work
to the page, and ``_pp.receive`` blocks on ``Atomics.wait`` until the page writes an answer
into a shared mailbox (www/engine/mailbox.js). Nothing polls and nothing spins.

What is not here, on purpose: threads. Pyodide's CPython has none, so ThreadPoolExecutor and
threading.Thread say so instead of pretending (the page's thread pool, with its GIL switch,
models what CPython's threads would do).
"""

import builtins
import functools
import itertools
import json
import linecache
import os
import pickle
import sys
import time
import traceback
import threading
import types
from concurrent import futures as _cf
from concurrent.futures import _base

from pyodide.ffi import to_js

#: The bridge to JavaScript (www/workers/python-runtime.js), imported by install(): this
#: module is in the interpreters' memory snapshot, which cannot hold a JavaScript object.
_pp = None

#: How many processes one executor may start: each is a whole interpreter (tens of MB).
MAX_PROCESSES = 16
#: How many processes the executors of one program may hold at once, all together: 50
#: executors of 16 would be 800 interpreters, which no browser tab survives.
MAX_LIVE_PROCESSES = 32
#: The largest pickle a call or its result may be. A process is a WebAssembly interpreter
#: with at most 2 GiB of memory, and a result is there twice (the value and its pickle), then
#: in the caller twice more; past about 1 GiB it fails with a bare MemoryError. Under this
#: limit it always fits, and over it the caller is told why.
MAX_PICKLE_BYTES = 256 << 20

THREADS = (
    "ThreadPoolExecutor cannot start threads here: this Python (Pyodide, CPython compiled to "
    "WebAssembly) has no threads. To see what CPython's threads would do, run the page's "
    "thread pool with the GIL switch on (it models the GIL); for Python code that runs in "
    "parallel, use ProcessPoolExecutor."
)
ISOLATION = (
    "{what} needs this page cross-origin isolated: the program waits for its "
    "processes with Atomics.wait on shared memory (SharedArrayBuffer), which browsers allow "
    "only then. Serve the page with the headers Cross-Origin-Opener-Policy: same-origin and "
    "Cross-Origin-Embedder-Policy: require-corp, or let its service worker add them (reload "
    "once, and do not open it with ?isolate=0)."
)
BOOTSTRAP = (
    "An attempt has been made to start a new process before the current process has "
    "finished its bootstrapping phase. This probably means that you are not using the "
    "proper idiom in the main module:\n\n"
    "    if __name__ == '__main__':\n"
    "        ...\n\n"
    "(Each process imports your program again, as CPython's spawn start method does, so the "
    "code that starts processes must sit under that line.)"
)

CHILDREN = (
    "a process started here cannot start processes of its own: the page starts every "
    "interpreter for the program's main process, so start them all from there (pass what a "
    "process needs to do to it, e.g. through a Queue's results)"
)

try:  # CPython's own class, so `except BrokenProcessPool` in a program catches ours
    from concurrent.futures.process import BrokenProcessPool
except ImportError:  # pragma: no cover - depends on the Pyodide build

    class BrokenProcessPool(_cf.BrokenExecutor):
        """A process of the pool died or could not start."""


class ThreadsUnavailable(RuntimeError):
    """This Python has no threads (see THREADS)."""


class _RemoteTraceback(Exception):
    """The traceback of an exception raised in a process, as CPython shows it."""

    def __init__(self, tb):
        self.tb = tb

    def __str__(self):
        return self.tb


# CPython names it so; the same name in a traceback reads the same.
_RemoteTraceback.__module__ = "concurrent.futures.process"

_role = None  # "main" or "process"
_isolated = False
_bootstrapping = False  # a process is importing the program (start_process)


# ---- Both roles ------------------------------------------------------------------------


def _sleep(seconds):
    """time.sleep without burning a core: the bridge blocks on Atomics.wait (scaled)."""
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    _pp.sleep(float(seconds) * 1000.0)


def _no_threads(*args, **kwargs):
    raise ThreadsUnavailable(THREADS)


class ThreadPoolExecutor:
    """Stands in for concurrent.futures.ThreadPoolExecutor: says plainly why it cannot run."""

    def __init__(self, *args, **kwargs):
        _no_threads()


def install(role, cpus, pid, isolated):
    """Sets up this interpreter for `role`: the browser's CPU count, sleeps that block, the
    executors of this module. `pid` tells this interpreter's processes apart (Pyodide's own
    os.getpid() says 42 in every one)."""
    global _role, _isolated, _pp
    import multiprocessing
    import threading

    import _pp

    _role, _isolated = role, isolated
    if isolated:
        time.sleep = _sleep
    os.cpu_count = lambda: cpus
    os.process_cpu_count = lambda: cpus
    os.getpid = _as_os("getpid", lambda: pid)
    multiprocessing.cpu_count = lambda: cpus
    _cf.ProcessPoolExecutor = ProcessPoolExecutor
    _cf.ThreadPoolExecutor = ThreadPoolExecutor
    _cf.as_completed = _base.as_completed = as_completed
    _cf.wait = _base.wait = wait
    multiprocessing.Pool = Pool
    multiprocessing.Process = Process
    multiprocessing.active_children = active_children
    for name in ("Queue", "SimpleQueue", "JoinableQueue", "Pipe", "Lock", "RLock", "Semaphore",
                 "BoundedSemaphore", "Condition", "Event", "Barrier", "Value", "Array",
                 "RawValue", "RawArray", "Manager", "get_context", "get_start_method",
                 "set_start_method", "get_all_start_methods"):
        setattr(multiprocessing, name, globals()[name])
    os.fork = _no_fork
    _install_shared_memory()
    # The program is pid 1, its processes 2, 3, … (each started by it); the program itself
    # was started by the page, which has no pid: 0, as for a process the kernel started.
    os.getppid = _as_os("getppid", lambda: 1 if role == "process" else 0)
    threading.Thread.start = _no_threads
    sys.path.insert(0, os.getcwd())


def _as_os(name, function):
    """`function` as os.`name`: pickled by that name (pool.apply_async(os.getpid) in the
    library's documentation), so that a process calls its own."""
    function.__module__, function.__name__, function.__qualname__ = "os", name, name
    return function


def _write_main(source):
    # On disk, so that tracebacks show the program's lines, as they do for a file.
    with open("main.py", "w", encoding="utf-8") as file:
        file.write(source)
    linecache.checkcache("main.py")


def _fresh_module(name):
    module = types.ModuleType(name)
    module.__file__ = "main.py"
    module.__builtins__ = builtins
    sys.modules[name] = module
    return module


def _from_program(tb):
    """The traceback from the program's first frame on: the runner's frames are not the
    user's."""
    while tb is not None and tb.tb_frame.f_code.co_filename != "main.py":
        tb = tb.tb_next
    return tb


def _error(error):
    """{type, text, line}: the exception as Python prints it, and the program's line."""
    if isinstance(error, SyntaxError) and error.filename == "main.py":
        text = "".join(traceback.format_exception_only(error))
        line = error.lineno
    else:
        tb = _from_program(error.__traceback__)
        text = "".join(traceback.format_exception(type(error), error, tb))
        line = None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == "main.py":
                line = tb.tb_lineno
            tb = tb.tb_next
    return {"type": type(error).__name__, "text": text, "line": line}


def _label(fn, args):
    """What a task is called on the timeline: `do_something(8)`."""
    if isinstance(fn, functools.partial) and fn.func is _process_chunk:  # an executor's map
        fn, args = _process_chunk, (fn.args[0], args[0])
    if fn is _bootstrap:  # a Process's whole life
        process = args[0]
        if process._target is None:
            return f"{type(process).__name__}.run()"
        return _label(process._target, process._args)
    if fn is _process_chunk:  # one message of a map: a chunk of calls
        inner, chunk = args
        if len(chunk) == 1:
            return _label(inner, chunk[0])
        return f"{getattr(inner, '__name__', 'task')} ×{len(chunk)}"
    text = ", ".join(repr(a) for a in args)
    name = getattr(fn, "__name__", "task")
    return f"{name}({text if len(text) <= 40 else text[:39] + '…'})"


def _process_chunk(fn, chunk):
    """Runs one message's worth of a map: the calls of one chunk, in order (CPython's
    concurrent.futures.process._process_chunk)."""
    return [fn(*args) for args in chunk]


# ---- The process role --------------------------------------------------------------------


def start_process(source, init, name):
    """Imports the program as spawn does, as __mp_main__ (also under __main__, so the
    functions pickled by the driver as `__main__.f` are found), then runs the executor's
    initializer. Returns None, or the traceback text if either raised."""
    import multiprocessing

    multiprocessing.current_process().name = name
    _write_main(source)
    module = _fresh_module("__mp_main__")
    sys.modules["__main__"] = module
    global _bootstrapping
    _bootstrapping = True
    try:
        exec(compile(source, "main.py", "exec"), module.__dict__)
        if init is not None:
            initializer, initargs = pickle.loads(init.to_bytes())
            initializer(*initargs)
    except BaseException as error:  # noqa: BLE001 - the program's errors are the user's to see
        tb = _from_program(error.__traceback__)
        return "".join(traceback.format_exception(type(error), error, tb))
    finally:
        _bootstrapping = False
    return None


def _too_large(what, size):
    """The error for a pickle over MAX_PICKLE_BYTES (size None: too large to make at all)."""
    measured = "could not be pickled in memory" if size is None else f"pickles to {size:,} bytes"
    error = ValueError(
        f"{what} {measured}: more than the {MAX_PICKLE_BYTES >> 20} MiB that may pass "
        "between processes here (each is a WebAssembly interpreter with at most 2 GiB of "
        "memory, and the value is copied from one to the other). Send it in smaller pieces, "
        "e.g. one chunk per task."
    )
    error.limit = True  # the runtime's own check: no traceback of ours to show with it
    return error


def _pickled_result(value, label):
    try:
        data = pickle.dumps(value)
    except MemoryError:
        raise _too_large(f"the result of {label}", None) from None
    if len(data) > MAX_PICKLE_BYTES:
        raise _too_large(f"the result of {label}", len(data))
    return data


def run_task(payload):
    """Runs one pickled (fn, args, kwargs); returns [ok, pickled result or (exception,
    traceback text), label] for JavaScript."""
    label = "task"
    try:
        fn, args, kwargs = pickle.loads(payload.to_bytes())
        label = _label(fn, args)
        data = _pickled_result(fn(*args, **kwargs), label)
        ok = True
    except BaseException as error:  # noqa: BLE001 - sent back to be raised in the caller
        tb = error.__traceback__.tb_next if not getattr(error, "limit", False) else None
        tb = "".join(traceback.format_exception(type(error), error, tb))
        try:
            data = pickle.dumps((error, tb))
        except Exception:  # an exception that cannot be pickled still says what it was
            data = pickle.dumps((RuntimeError(f"{type(error).__name__}: {error}"), tb))
        ok = False
    return to_js([ok, to_js(data), label])


# ---- The main (driver) role ---------------------------------------------------------------

_task_ids = itertools.count(1)
_pool_ids = itertools.count(1)
_process_numbers = itertools.count(1)
_waiting = {}  # task id -> (future, executor): work the page has not answered yet
_executors = {}  # pool id -> executor, while its processes run (started, work not all done)
_holding = {}  # pool id -> executor, from its creation until its processes are gone


def run_main(source):
    """Runs `source` as __main__. Returns None, or {type, text, line} for what it raised."""
    _write_main(source)
    main = _fresh_module("__main__")
    try:
        exec(compile(source, "main.py", "exec"), main.__dict__)
        _shutdown_all(wait=True)  # CPython's exit waits for its executors, too
    except SystemExit as exit_:
        if exit_.code not in (None, 0):
            return _error(exit_)
    except BaseException as error:  # noqa: BLE001 - the program's errors are the user's to see
        return _error(error)
    finally:
        _shutdown_all(wait=False)
    return None


def _shutdown_all(wait):
    if wait:  # CPython's exit terminates daemonic processes and joins the others
        for process in list(_children):
            if process.daemon and process.is_alive():
                process.terminate()
    else:
        for process in list(_children):
            process._ended_by_exit()
    _children.clear()
    for executor in list(_executors.values()):
        if wait:
            executor.shutdown(wait=True)
        else:
            executor._terminate()
    _holding.clear()


def _release(executor):
    """Its processes are gone (or never started), or its work is all answered: they count
    against no later executor, and its result queue is done with."""
    _executors.pop(executor._id, None)
    _holding.pop(executor._id, None)
    _pp.release(executor._id)


def _pump(timeout=None):
    """Takes one answer from the page and settles its future; waits up to `timeout` seconds
    (None: until one comes). Returns False if none came in time."""
    if not _waiting:
        raise RuntimeError(
            "waiting for a result that no process is working on (a future from elsewhere?)"
        )
    message = _pp.receive(-1 if timeout is None else max(0.0, timeout * 1000.0))
    if message is None:
        return False
    head = json.loads(message.head)
    if head["kind"] == "broken":  # a process could not start, or died: the pool is unusable
        executor = _executors.get(head["pool"])
        if executor is not None:
            executor._break(head["message"])
        return True
    waiting = _waiting.pop(head["id"], None)
    if waiting is None:  # its pool broke, or was terminated, before it was answered
        return True
    future, executor = waiting
    executor._pending.discard(head["id"])
    if executor._shutdown and not executor._pending:
        _release(executor)  # shut down without waiting: its last work is done
    if future.done():  # cancelled, or the pool broke meanwhile
        return True
    try:
        if head["ok"]:
            future.set_result(pickle.loads(message.payload.to_bytes()))
        else:
            error, tb = pickle.loads(message.payload.to_bytes())
            error.__cause__ = _RemoteTraceback(f'\n"""\n{tb}"""')
            future.set_exception(error)
    except Exception as error:  # an answer that cannot be unpickled here
        future.set_exception(error)
    return True


def _until(done, timeout):
    """Pumps answers until done() is true; TimeoutError after `timeout` seconds."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while not done():
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            raise TimeoutError()
        _pump(left)


class _Future(_base.Future):
    """A future the page's processes settle: waiting on it takes answers from the mailbox
    (CPython's waits on a condition that a thread of its executor signals)."""

    def result(self, timeout=None):
        _until(self.done, timeout)
        return super().result(timeout=0)

    def exception(self, timeout=None):
        _until(self.done, timeout)
        return super().exception(timeout=0)


def as_completed(fs, timeout=None):
    """concurrent.futures.as_completed for futures the page's processes settle."""
    fs = set(fs)
    total = len(fs)
    deadline = None if timeout is None else time.monotonic() + timeout
    pending = set()
    for future in fs:
        if future.done():
            yield future
        else:
            pending.add(future)
    while pending:
        for future in [f for f in pending if f.done()]:
            pending.discard(future)
            yield future
        if not pending:
            return
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            raise TimeoutError(f"{len(pending)} (of {total}) futures unfinished")
        _pump(left)


def wait(fs, timeout=None, return_when=_cf.ALL_COMPLETED):
    """concurrent.futures.wait for futures the page's processes settle."""
    fs = set(fs)

    def enough():
        done = [f for f in fs if f.done()]
        if return_when == _cf.FIRST_COMPLETED:
            return bool(done)
        if return_when == _cf.FIRST_EXCEPTION and any(
            not f.cancelled() and f.exception(timeout=0) is not None for f in done
        ):
            return True
        return len(done) == len(fs)

    try:
        _until(enough, timeout)
    except TimeoutError:
        pass
    done = {f for f in fs if f.done()}
    return _base.DoneAndNotDoneFutures(done, fs - done)


class ProcessPoolExecutor(_base.Executor):
    """concurrent.futures.ProcessPoolExecutor over the page's pool: `max_workers` processes,
    each its own interpreter, started at the first submit (spawn start method)."""

    def __init__(
        self,
        max_workers=None,
        mp_context=None,
        initializer=None,
        initargs=(),
        *,
        max_tasks_per_child=None,
    ):
        if _role != "main":
            raise RuntimeError(BOOTSTRAP)
        if not _isolated:
            raise RuntimeError(ISOLATION.format(what="ProcessPoolExecutor"))
        if max_workers is None:
            # As CPython caps its default on Windows (at 61), silently: a machine with many
            # cores still runs the article's program.
            max_workers = min(os.process_cpu_count() or 1, MAX_PROCESSES)
        elif max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")
        if max_workers > MAX_PROCESSES:
            raise ValueError(
                f"max_workers={max_workers}: this page starts at most {MAX_PROCESSES} "
                "processes per executor (each one is a whole Python interpreter, tens of MB)"
            )
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        if max_tasks_per_child is not None:
            raise NotImplementedError(
                "max_tasks_per_child is not supported here: each process lives as long as "
                "its executor"
            )
        held = sum(e._max_workers for e in _holding.values())
        if held + max_workers > MAX_LIVE_PROCESSES:
            raise RuntimeError(
                f"an executor of {max_workers} more processes would make {held + max_workers}: "
                f"this page runs at most {MAX_LIVE_PROCESSES} Python processes at once (each is "
                f"a whole interpreter, tens of MB), and executors not yet shut down (or still "
                f"finishing their work) hold {held}. Shut one down first (a `with` block does "
                "it for you)."
            )
        self._max_workers = max_workers
        # How its processes start: the context's method, else the program's default.
        self._method = mp_context.get_start_method() if mp_context else get_start_method()
        self._init = (initializer, tuple(initargs)) if initializer is not None else None
        self._id = next(_pool_ids)
        _holding[self._id] = self
        self._pending = set()
        self._started = False
        self._shutdown = False
        self._broken = None
        self._processes = None  # [(name, pid)], or None: named when they start

    def _start(self):
        global _spawning
        if self._processes is None:  # an executor's own: numbered when they start
            numbers = [next(_process_numbers) for _ in range(self._max_workers)]
            self._processes = [(f"SpawnProcess-{n}", 1 + n) for n in numbers]
        names, pids = zip(*self._processes)
        was, _spawning = _spawning, pids  # initargs go to processes as they start
        try:
            init = to_js(pickle.dumps(self._init)) if self._init is not None else None
        finally:
            _spawning = was
        _pp.spawn(self._id, to_js(list(names)), init, to_js(list(pids)), self._method)
        _executors[self._id] = self
        self._started = True

    def submit(self, fn, /, *args, **kwargs):
        if self._broken is not None:
            raise BrokenProcessPool(self._broken)
        if self._shutdown:
            raise RuntimeError("cannot schedule new futures after shutdown")
        if not self._started:
            self._start()
        future = _Future()
        try:
            payload = pickle.dumps((fn, args, kwargs))
        except MemoryError:
            payload = None
        except Exception as error:  # CPython sets it on the future, too
            future.set_exception(error)
            return future
        if payload is None or len(payload) > MAX_PICKLE_BYTES:
            size = None if payload is None else len(payload)
            future.set_exception(_too_large(f"the call {_label(fn, args)}", size))
            return future
        task = next(_task_ids)
        _waiting[task] = (future, self)
        self._pending.add(task)
        _pp.submit(self._id, task, to_js(payload))
        return future

    def map(self, fn, *iterables, timeout=None, chunksize=1, buffersize=None):
        if chunksize < 1:
            raise ValueError("chunksize must be >= 1.")
        extra = {} if buffersize is None else {"buffersize": buffersize}
        results = super().map(
            functools.partial(_process_chunk, fn),
            itertools.batched(zip(*iterables), chunksize),
            timeout=timeout,
            **extra,
        )
        return _chain(results)

    def shutdown(self, wait=True, *, cancel_futures=False):
        if cancel_futures:
            for task in list(self._pending):
                _waiting[task][0].cancel()
        if self._started and not self._shutdown:
            # As CPython's: work already submitted still runs, waited for or not, and its
            # futures settle; the page ends the processes once it is done.
            _pp.shutdown(self._id, False)
        self._shutdown = True
        if wait and self._started:
            _until(lambda: not self._pending or self._broken is not None, None)
        if not self._pending:
            _release(self)

    def _break(self, message):
        """A process died or could not start: every waiting future fails with why."""
        self._broken = message
        for task in list(self._pending):
            future, _ = _waiting.pop(task)
            if not future.done():
                future.set_exception(BrokenProcessPool(message))
        self._pending.clear()
        _release(self)  # the page has ended its processes

    def _terminate(self):
        """Ends the pool now (Pool.terminate, or a program that raised): waiting futures
        are cancelled and the processes terminated."""
        for task in list(self._pending):
            _waiting.pop(task)[0].cancel()
        self._pending.clear()
        self._shutdown = True
        if self._started and self._id in _executors:
            _pp.shutdown(self._id, True)
        _release(self)


def _chain(results):
    # Executor.map's generator hands back one chunk's list per item.
    for chunk in results:
        yield from chunk


class AsyncResult:
    """multiprocessing.pool.AsyncResult over a list of futures (one for apply_async)."""

    def __init__(self, futures, single, callback, error_callback):
        self._futures = futures
        self._single = single
        self._callback = callback
        self._error_callback = error_callback
        self._told = False

    def ready(self):
        return all(f.done() for f in self._futures)

    def successful(self):
        if not self.ready():
            raise ValueError(f"{self!r} not ready")
        return all(f.exception(timeout=0) is None for f in self._futures)

    def wait(self, timeout=None):
        try:
            _until(self.ready, timeout)
        except TimeoutError:
            pass

    def get(self, timeout=None):
        import multiprocessing

        try:
            _until(self.ready, timeout)
        except TimeoutError:
            raise multiprocessing.TimeoutError from None
        try:
            values = [f.result(timeout=0) for f in self._futures]
        except BaseException as error:
            self._tell(self._error_callback, error)
            raise
        value = values[0] if self._single else [v for chunk in values for v in chunk]
        self._tell(self._callback, value)
        return value

    def _tell(self, callback, value):
        if callback is not None and not self._told:
            self._told = True
            callback(value)


class Pool:
    """multiprocessing.Pool over ProcessPoolExecutor: the same processes, Pool's API."""

    def __init__(
        self, processes=None, initializer=None, initargs=(), maxtasksperchild=None, context=None
    ):
        if processes is None:
            processes = min(os.process_cpu_count() or 1, MAX_PROCESSES)
        if processes < 1:
            raise ValueError("Number of processes must be at least 1")
        if maxtasksperchild is not None:
            raise NotImplementedError(
                "maxtasksperchild is not supported here: each process lives as long as its pool"
            )
        self._processes = processes
        self._executor = ProcessPoolExecutor(
            processes, mp_context=context, initializer=initializer, initargs=initargs
        )
        self._state = "RUN"

    def _check_running(self):
        if self._state != "RUN":
            raise ValueError("Pool not running")

    def _chunks(self, iterable, chunksize, star):
        items = list(iterable)
        if chunksize is None:
            # multiprocessing.Pool's own rule: about four chunks per process.
            chunksize, extra = divmod(len(items), self._processes * 4)
            chunksize += 1 if extra else 0
        calls = items if star else [(item,) for item in items]
        return itertools.batched(calls, max(1, chunksize))

    def apply_async(self, func, args=(), kwds={}, callback=None, error_callback=None):
        self._check_running()
        future = self._executor.submit(func, *args, **kwds)
        return AsyncResult([future], True, callback, error_callback)

    def apply(self, func, args=(), kwds={}):
        return self.apply_async(func, args, kwds).get()

    def map_async(
        self, func, iterable, chunksize=None, callback=None, error_callback=None, *, star=False
    ):
        self._check_running()
        futures = [
            self._executor.submit(_process_chunk, func, chunk)
            for chunk in self._chunks(iterable, chunksize, star)
        ]
        return AsyncResult(futures, False, callback, error_callback)

    def map(self, func, iterable, chunksize=None):
        return self.map_async(func, iterable, chunksize).get()

    def starmap_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        return self.map_async(func, iterable, chunksize, callback, error_callback, star=True)

    def starmap(self, func, iterable, chunksize=None):
        return self.starmap_async(func, iterable, chunksize).get()

    def imap(self, func, iterable, chunksize=1):
        self._check_running()
        futures = [
            self._executor.submit(_process_chunk, func, chunk)
            for chunk in self._chunks(iterable, chunksize, False)
        ]
        for future in futures:
            yield from future.result()

    def imap_unordered(self, func, iterable, chunksize=1):
        self._check_running()
        futures = [
            self._executor.submit(_process_chunk, func, chunk)
            for chunk in self._chunks(iterable, chunksize, False)
        ]
        for future in as_completed(futures):
            yield from future.result()

    def close(self):
        if self._state == "RUN":
            self._state = "CLOSE"

    def terminate(self):
        self._state = "TERMINATE"
        self._executor._terminate()

    def join(self):
        if self._state == "RUN":
            raise ValueError("Pool is still running")
        if self._state == "CLOSE":
            self._executor.shutdown(wait=True)

    def __enter__(self):
        self._check_running()
        return self

    def __exit__(self, *exc):
        self.terminate()  # as multiprocessing.Pool does: `with` does not wait


# ---- multiprocessing.Process ---------------------------------------------------------------

#: The program's started processes, until joined (CPython's multiprocessing.process._children).
_children = set()

#: CPython's names for the exit codes of processes it ended by a signal.
_SIGNALS = {-9: "-SIGKILL", -15: "-SIGTERM"}


class _ParentProcess:
    """parent_process() in a process: the program's main process, alive for as long as any
    of its processes runs (the page ends them all when the program ends)."""

    name = "MainProcess"
    pid = ident = 1
    daemon = False

    def is_alive(self):
        return True

    def __repr__(self):
        return "<_ParentProcess name='MainProcess' parent=None unknown>"


def _bootstrap(process):
    """A Process's life in its own interpreter, as CPython's BaseProcess._bootstrap: run(),
    then the exit code; an exception's traceback goes to this process's stderr."""
    import multiprocessing.process as mp

    mp._current_process = process
    mp._parent_process = _ParentProcess()
    try:
        process.run()
        code = 0
    except SystemExit as exit_:
        if exit_.code is None:
            code = 0
        elif isinstance(exit_.code, int):
            code = exit_.code
        else:
            sys.stderr.write(str(exit_.code) + "\n")
            code = 1
    except BaseException as error:  # noqa: BLE001 - CPython prints it and exits with 1
        sys.stderr.write(f"Process {process.name}:\n")
        tb = _from_program(error.__traceback__)
        sys.stderr.write("".join(traceback.format_exception(type(error), error, tb)))
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        _close_connections()
    return code


def _exit_code(message):
    """The exit code in the page's word on a process that ended a call (os._exit(3) reads
    "exit(3)"), or 1 if it does not say (it crashed)."""
    import re

    found = re.search(r"exit\((-?\d+)\)", message or "")
    return int(found.group(1)) if found else 1


class Process:
    """multiprocessing.Process: runs `target(*args, **kwargs)`, or run() in a subclass, in a
    process of its own: an interpreter started for it alone, which imports the program as
    CPython's spawn start method does and ends when run() returns."""

    _start_method = None  # the program's default; a context's Process has its own

    def __init__(self, group=None, target=None, name=None, args=(), kwargs={}, *, daemon=None):
        assert group is None, "group argument must be None for now"
        self._identity = (next(_process_numbers),)
        self._target = target
        self._args = tuple(args)
        self._kwargs = dict(kwargs)
        self._name = name or f"{type(self).__name__}-{self._identity[0]}"
        self._daemon = bool(daemon)
        self._parent_pid = os.getpid()
        self._popen = None  # (executor, future) once started, as CPython's Popen object
        self._code = None  # the exit code, once known
        self._closed = False

    def __getstate__(self):
        # What goes to the new process (CPython pickles the whole object for spawn too),
        # without the parent's hold on it.
        state = dict(self.__dict__)
        state["_popen"] = None
        return state

    def run(self):
        if self._target is not None:
            self._target(*self._args, **self._kwargs)

    def start(self):
        self._check_closed()
        assert self._popen is None, "cannot start a process twice"
        assert self._parent_pid == os.getpid(), (
            "can only start a process object created by current process"
        )
        if _role != "main":
            raise RuntimeError(BOOTSTRAP if _bootstrapping else CHILDREN)
        if not _isolated:
            raise RuntimeError(ISOLATION.format(what="multiprocessing.Process"))
        global _spawning
        # A Queue or Pipe among its arguments may go along.
        was, _spawning = _spawning, (self._spawned_pid,)
        try:
            pickle.dumps(self)  # what cannot go to the process fails here, as in CPython
            executor = ProcessPoolExecutor(1)
            executor._method = self._start_method or get_start_method()
            executor._processes = [(self._name, self._spawned_pid)]
            future = executor.submit(_bootstrap, self)
        finally:
            _spawning = was
        executor.shutdown(wait=False)
        self._popen = (executor, future)
        _children.add(self)

    @property
    def _spawned_pid(self):
        return 1 + self._identity[0]

    def _poll(self):
        """The exit code if the process has ended, else None; takes answers already here."""
        if self._code is not None or self._popen is None:
            return self._code
        _, future = self._popen
        while not future.done() and _waiting and _pump(0):
            pass
        if future.done():
            if future.cancelled():
                self._code = -15
            elif future.exception() is not None:  # its worker died, or could not start
                said = str(future.exception())
                self._code = _exit_code(said)
                if "exit(" not in said:  # a crash, or the program failed to import there
                    sys.stderr.write(said.rstrip("\n") + "\n")
            else:
                self._code = future.result()
            _pp.pipe_forget(self._spawned_pid)  # its pipe ends are closed with it
        return self._code

    def join(self, timeout=None):
        self._check_closed()
        assert self._parent_pid == os.getpid(), "can only join a child process"
        assert self._popen is not None, "can only join a started process"
        _, future = self._popen
        try:
            _until(lambda: self._poll() is not None, timeout)
        except TimeoutError:
            return
        _children.discard(self)

    def is_alive(self):
        self._check_closed()
        if self is _current():
            return True
        assert self._parent_pid == os.getpid(), "can only test a child process"
        if self._popen is None:
            return False
        if self._poll() is None:
            return True
        _children.discard(self)
        return False

    def _end(self, code):
        """terminate() and kill(): the page terminates the process's worker at once."""
        self._check_closed()
        if self._popen is not None and self._poll() is None:
            executor, _ = self._popen
            executor._terminate()
            self._code = code
            _pp.pipe_forget(self._spawned_pid)

    def terminate(self):
        self._end(-15)

    def kill(self):
        self._end(-9)

    def _ended_by_exit(self):
        # The program ended (or raised) without joining: the page ends what still runs.
        if self._popen is not None and self._code is None:
            self._code = -15

    def close(self):
        if self._popen is not None and self._poll() is None:
            raise ValueError(
                "Cannot close a process while it is still running. "
                "You should first call join() or terminate()."
            )
        _children.discard(self)
        self._closed = True

    def _check_closed(self):
        if self._closed:
            raise ValueError("process object is closed")

    @property
    def exitcode(self):
        self._check_closed()
        return self._poll()

    @property
    def pid(self):
        self._check_closed()
        if self is _current():
            return os.getpid()
        return None if self._popen is None else self._spawned_pid

    ident = pid

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, name):
        assert isinstance(name, str), "name must be a string"
        self._name = name

    @property
    def daemon(self):
        return self._daemon

    @daemon.setter
    def daemon(self, daemonic):
        assert self._popen is None, "process has already started"
        self._daemon = bool(daemonic)

    def __repr__(self):
        code = None
        if self is _current():
            status = "started"
        elif self._closed:
            status = "closed"
        elif self._parent_pid != os.getpid():
            status = "unknown"
        elif self._popen is None:
            status = "initial"
        else:
            code = self._poll()
            status = "started" if code is None else "stopped"
        info = [type(self).__name__, f"name={self._name!r}"]
        if self._popen is not None:
            info.append(f"pid={self._spawned_pid}")
        info.append(f"parent={self._parent_pid}")
        info.append(status)
        if code is not None:
            info.append(f"exitcode={_SIGNALS.get(code, code)}")
        if self._daemon:
            info.append("daemon")
        return "<" + " ".join(info) + ">"


def _current():
    import multiprocessing.process as mp

    return mp._current_process


def active_children():
    """multiprocessing.active_children: the program's processes still running (a process
    started here has none)."""
    for process in list(_children):
        process.is_alive()  # a process that has ended leaves the set
    return list(_children)


# ---- multiprocessing.Queue -------------------------------------------------------------------

#: While a Process (or an executor's initargs) is pickled for the processes it starts, their
#: pids: the one time a queue, pipe or lock may be pickled, and who will hold a pipe's end.
_spawning = ()


def _check_spawning(obj):
    # CPython's multiprocessing.context.assert_spawning, with its words.
    if not _spawning:
        raise RuntimeError(
            f"{type(obj).__name__} objects should only be shared between processes through "
            "inheritance"
        )


def _wait_ms(block, timeout):
    """What the bridge's waits take: -1 blocks, 0 does not wait, else milliseconds."""
    if not block:
        return 0
    if timeout is None:
        return -1
    return max(timeout, 0) * 1000.0  # CPython's: a timeout already past is no wait


class Queue:
    """multiprocessing.Queue: pickles in shared memory that the program and its processes
    all map (www/engine/shared-queue.js). A put in one interpreter is a get in another, with
    no message through the page, and a get that waits sleeps until a put wakes it. Give a
    queue to a process when it starts (in its args), as CPython requires."""

    def __init__(self, maxsize=0, *, ctx=None):
        if not _isolated:
            raise RuntimeError(ISOLATION.format(what=f"multiprocessing.{type(self).__name__}"))
        self._maxsize = maxsize if maxsize > 0 else 0
        try:
            self._id = _pp.queue_new(self._maxsize)
        except Exception as error:  # too many queues: the bridge says why
            raise RuntimeError(str(error).removeprefix("RangeError: ")) from None
        self._closed = False

    def __getstate__(self):
        _check_spawning(self)
        return {"_maxsize": self._maxsize, "_id": self._id, "_closed": False}

    def _check_closed(self):
        if self._closed:
            raise ValueError(f"Queue {self!r} is closed")

    def put(self, obj, block=True, timeout=None):
        self._check_closed()
        data = to_js(pickle.dumps(obj))
        try:
            put = _pp.queue_put(self._id, data, _wait_ms(block, timeout))
        except Exception as error:  # an item over the queue's size: the bridge says so
            raise ValueError(str(error).removeprefix("RangeError: ")) from None
        if not put:
            raise _queue().Full

    def get(self, block=True, timeout=None):
        self._check_closed()
        data = _pp.queue_get(self._id, _wait_ms(block, timeout))
        if data is None:
            raise _queue().Empty
        return pickle.loads(data.to_bytes())

    def put_nowait(self, obj):
        return self.put(obj, False)

    def get_nowait(self):
        return self.get(False)

    def qsize(self):
        return _pp.queue_size(self._id)

    def empty(self):
        return self.qsize() == 0

    def full(self):
        return self._maxsize > 0 and self.qsize() >= self._maxsize

    def close(self):
        self._closed = True

    def join_thread(self):
        # CPython joins the queue's feeder thread; here a put is in the queue when it returns.
        assert self._closed, f"Queue {self!r} not closed"

    def cancel_join_thread(self):
        pass


class JoinableQueue(Queue):
    """multiprocessing.JoinableQueue: a Queue whose join() waits until every item put was
    marked task_done()."""

    def task_done(self):
        if not _pp.queue_task_done(self._id):
            raise ValueError("task_done() called too many times")

    def join(self):
        _pp.queue_join(self._id, -1)


class SimpleQueue(Queue):
    """multiprocessing.SimpleQueue: put, get, empty and close."""

    def __init__(self, *, ctx=None):
        super().__init__()

    def put(self, obj):
        super().put(obj)

    def get(self):
        return super().get()


def _queue():
    import queue

    return queue


# ---- multiprocessing.Pipe --------------------------------------------------------------------

#: This interpreter's pipe ends not closed yet: a process closes its own when it ends.
_connections = set()


class Connection:
    """multiprocessing.connection.Connection: one end of a Pipe, over memory the program and
    its processes share (www/engine/shared-pipe.js). recv() on a pipe whose other end is
    closed in every process (or held only by processes that ended) raises EOFError."""

    def __init__(self, pipe, end, readable, writable):
        self._pipe = pipe
        self._end = end
        self._readable = readable
        self._writable = writable
        self._closed = False
        _connections.add(self)

    def __getstate__(self):
        _check_spawning(self)
        self._check_closed()
        # Each process it goes to holds this end from now, as CPython duplicates the handle
        # for the child before the parent can close its own copy.
        for pid in _spawning:
            if not _pp.pipe_hold(self._pipe, self._end, pid):
                raise RuntimeError("too many processes hold this end of the pipe")
        return {k: v for k, v in self.__dict__.items() if k != "_closed"}

    def __setstate__(self, state):
        self.__dict__.update(state, _closed=False)
        _connections.add(self)

    def _check_closed(self):
        if self._closed:
            raise OSError("handle is closed")

    def _check_readable(self):
        if not self._readable:
            raise OSError("connection is write-only")

    def _check_writable(self):
        if not self._writable:
            raise OSError("connection is read-only")

    @property
    def closed(self):
        return self._closed

    @property
    def readable(self):
        return self._readable

    @property
    def writable(self):
        return self._writable

    def send_bytes(self, buf, offset=0, size=None):
        self._check_closed()
        self._check_writable()
        view = memoryview(buf).cast("B")
        if offset < 0:
            raise ValueError("offset is negative")
        if len(view) < offset:
            raise ValueError("buffer length < offset")
        if size is None:
            size = len(view) - offset
        elif size < 0:
            raise ValueError("size is negative")
        elif offset + size > len(view):
            raise ValueError("buffer length < offset + size")
        self._send(to_js(bytes(view[offset : offset + size])))

    def send(self, obj):
        self._check_closed()
        self._check_writable()
        self._send(to_js(pickle.dumps(obj)))

    def _send(self, data):
        try:
            broken = _pp.pipe_send(self._pipe, self._end, data, -1)
        except Exception as error:  # an item over the pipe's size: the bridge says so
            raise ValueError(str(error).removeprefix("RangeError: ")) from None
        if broken:
            raise BrokenPipeError(32, "Broken pipe")

    def _recv(self):
        data = _pp.pipe_recv(self._pipe, self._end, -1)
        if isinstance(data, str):  # "eof": nobody holds the other end any more
            raise EOFError
        return data.to_bytes()

    def recv_bytes(self, maxlength=None):
        self._check_closed()
        self._check_readable()
        if maxlength is not None and maxlength < 0:
            raise ValueError("negative maxlength")
        data = self._recv()
        if maxlength is not None and len(data) > maxlength:
            self.close()
            raise OSError("bad message length")
        return data

    def recv_bytes_into(self, buf, offset=0):
        self._check_closed()
        self._check_readable()
        with memoryview(buf) as whole, whole.cast("B") as view:
            if not 0 <= offset <= len(view):
                raise ValueError("negative offset" if offset < 0 else "offset too large")
            data = self._recv()
            if len(data) > len(view) - offset:
                from multiprocessing import BufferTooShort

                raise BufferTooShort(data)
            view[offset : offset + len(data)] = data
        return len(data)

    def recv(self):
        self._check_closed()
        self._check_readable()
        return pickle.loads(self._recv())

    def poll(self, timeout=0.0):
        self._check_closed()
        self._check_readable()
        return bool(_pp.pipe_poll(self._pipe, self._end, _wait_ms(True, timeout)))

    def close(self):
        if not self._closed:
            self._closed = True
            _connections.discard(self)
            _pp.pipe_close(self._pipe, self._end)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def Pipe(duplex=True):
    """multiprocessing.Pipe: two Connections; each sends to the other, or (duplex=False) the
    first only receives and the second only sends."""
    if not _isolated:
        raise RuntimeError(ISOLATION.format(what="multiprocessing.Pipe"))
    try:
        pipe = _pp.pipe_new(bool(duplex))
    except Exception as error:  # too many pipes: the bridge says why
        raise RuntimeError(str(error).removeprefix("RangeError: ")) from None
    if duplex:
        return Connection(pipe, 0, True, True), Connection(pipe, 1, True, True)
    return Connection(pipe, 0, True, False), Connection(pipe, 1, False, True)


def _close_connections():
    """A process that ends closes the pipe ends it holds, as its exit closes its handles."""
    for connection in list(_connections):
        connection.close()


# ---- multiprocessing's locks, semaphores, conditions, events and barriers ----------------------


class Lock:
    """multiprocessing.Lock: a word of memory every process shares (www/engine/shared-value.js).
    Held against every other interpreter; a waiting acquire sleeps until a release wakes it."""

    _reentrant = False

    def __init__(self, *, ctx=None):
        if not _isolated:
            raise RuntimeError(ISOLATION.format(what=f"multiprocessing.{type(self).__name__}"))
        self._id = _pp.memory_new(8)

    def __getstate__(self):
        _check_spawning(self)
        return {"_id": self._id}

    def acquire(self, block=True, timeout=None):
        return bool(_pp.lock_acquire(self._id, self._reentrant, _wait_ms(block, timeout)))

    def release(self):
        why = _pp.lock_release(self._id, self._reentrant)
        if why is not None:
            raise (AssertionError if self._reentrant else ValueError)(why)

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()

    def _count(self):
        """How many times this process holds it (0: it does not)."""
        return _pp.lock_held(self._id, self._reentrant)

    def __repr__(self):
        # CPython's words: the holder's name if it is this process, else whether anyone.
        count = self._count()
        owner = _pp.lock_owner(self._id, self._reentrant)
        name = _current().name if count else "None" if owner == 0 else "SomeOtherProcess"
        if self._reentrant:
            held = count if count else 0 if owner == 0 else "nonzero"
            return f"<{type(self).__name__}({name}, {held})>"
        return f"<{type(self).__name__}(owner={name})>"


class RLock(Lock):
    """multiprocessing.RLock: a Lock its holder may take again (and must release as often)."""

    _reentrant = True


class Semaphore:
    """multiprocessing.Semaphore: a count in memory every process shares; acquire() takes one,
    sleeping while it is 0, release() gives one back and wakes a sleeper."""

    _bounded = False

    def __init__(self, value=1, *, ctx=None):
        if not _isolated:
            raise RuntimeError(ISOLATION.format(what=f"multiprocessing.{type(self).__name__}"))
        if value < 0:
            raise OSError(22, "Invalid argument")  # CPython's, from sem_open
        self._id = _pp.semaphore_new(value, value if self._bounded else -1)
        self._maxvalue = value

    def __getstate__(self):
        _check_spawning(self)
        return dict(self.__dict__)

    def acquire(self, block=True, timeout=None):
        return bool(_pp.semaphore_acquire(self._id, _wait_ms(block, timeout)))

    def release(self):
        why = _pp.semaphore_release(self._id)
        if why is not None:
            raise ValueError(why)

    def get_value(self):
        return _pp.semaphore_value(self._id)

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()

    def __repr__(self):
        return f"<{type(self).__name__}(value={self.get_value()})>"


class BoundedSemaphore(Semaphore):
    """multiprocessing.BoundedSemaphore: a Semaphore that may not be released above its start."""

    _bounded = True

    def __repr__(self):
        return f"<{type(self).__name__}(value={self.get_value()}, maxvalue={self._maxvalue})>"


class _WithLock:
    """An object that is taken and released as its lock (`_lock`) is: a Condition, and a
    Value or Array with a lock."""

    def acquire(self, *args):
        return self._lock.acquire(*args)

    def release(self):
        return self._lock.release()

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *exc):
        return self._lock.__exit__(*exc)


class Condition(_WithLock):
    """multiprocessing.Condition, as CPython builds it: a lock (an RLock unless given one) and
    three semaphores that count the sleepers, wake them and hear that they woke."""

    def __init__(self, lock=None, *, ctx=None):
        self._lock = lock or RLock()
        self._sleeping_count = Semaphore(0)
        self._woken_count = Semaphore(0)
        self._wait_semaphore = Semaphore(0)

    def __getstate__(self):
        _check_spawning(self)
        return dict(self.__dict__)

    def wait(self, timeout=None):
        count = self._lock._count()
        assert count, "must acquire() condition before using wait()"
        self._sleeping_count.release()  # one more sleeper
        for _ in range(count):  # let the lock go however often this process holds it
            self._lock.release()
        try:
            return self._wait_semaphore.acquire(True, timeout)
        finally:
            self._woken_count.release()  # tell notify() this sleeper woke
            for _ in range(count):
                self._lock.acquire()

    def notify(self, n=1):
        assert self._lock._count(), "lock is not owned"
        assert not self._wait_semaphore.acquire(False)
        # Sleepers whose wait timed out since the last notify are sleepers no more.
        while self._woken_count.acquire(False):
            assert self._sleeping_count.acquire(False)
        sleepers = 0
        while sleepers < n and self._sleeping_count.acquire(False):
            self._wait_semaphore.release()  # wake one
            sleepers += 1
        if sleepers:
            for _ in range(sleepers):
                self._woken_count.acquire()  # until it has woken
            while self._wait_semaphore.acquire(False):  # one that timed out meanwhile
                pass

    def notify_all(self):
        self.notify(n=sys.maxsize)

    def wait_for(self, predicate, timeout=None):
        result = predicate()
        if result:
            return result
        end = None if timeout is None else time.monotonic() + timeout
        wait = None
        while not result:
            if end is not None:
                wait = end - time.monotonic()
                if wait <= 0:
                    break
            self.wait(wait)
            result = predicate()
        return result

    def __repr__(self):
        waiters = self._sleeping_count.get_value() - self._woken_count.get_value()
        return f"<{type(self).__name__}({self._lock}, {waiters})>"


class Event:
    """multiprocessing.Event, as CPython builds it: a flag (a Semaphore of 0 or 1) and a
    Condition its waiters sleep on."""

    def __init__(self, *, ctx=None):
        self._cond = Condition(Lock())
        self._flag = Semaphore(0)

    def __getstate__(self):
        _check_spawning(self)
        return dict(self.__dict__)

    def is_set(self):
        with self._cond:
            if self._flag.acquire(False):
                self._flag.release()
                return True
            return False

    def set(self):
        with self._cond:
            self._flag.acquire(False)
            self._flag.release()
            self._cond.notify_all()

    def clear(self):
        with self._cond:
            self._flag.acquire(False)

    def wait(self, timeout=None):
        with self._cond:
            if self._flag.acquire(False):
                self._flag.release()
            else:
                self._cond.wait(timeout)
            if self._flag.acquire(False):
                self._flag.release()
                return True
            return False

    def __repr__(self):
        return f"<{type(self).__module__}.{type(self).__qualname__} at {id(self):#x}: " + (
            "set>" if self.is_set() else "unset>"
        )


class Barrier(threading.Barrier):
    """multiprocessing.Barrier, as CPython builds it: threading.Barrier's logic over a
    Condition and two numbers (its state and count) that every process shares."""

    def __init__(self, parties, action=None, timeout=None, *, ctx=None):
        if parties < 1:
            raise ValueError("parties must be >= 1")
        self._cond = Condition()
        self._action = action
        self._timeout = timeout
        self._parties = parties
        self._array = Array("i", 2, lock=False)

    def __getstate__(self):
        _check_spawning(self)
        return dict(self.__dict__)

    def __setstate__(self, state):
        self.__dict__.update(state)

    @property
    def _state(self):
        return self._array[0]

    @_state.setter
    def _state(self, value):
        self._array[0] = value

    @property
    def _count(self):
        return self._array[1]

    @_count.setter
    def _count(self, value):
        self._array[1] = value


#: ctypes' type codes by name, for Value(ctypes.c_int, …) as well as Value('i', …).
_CTYPES = {"c_byte": "b", "c_ubyte": "B", "c_short": "h", "c_ushort": "H", "c_int": "i",
           "c_uint": "I", "c_long": "l", "c_ulong": "L", "c_longlong": "q", "c_ulonglong": "Q",
           "c_float": "f", "c_double": "d", "c_int8": "b", "c_uint8": "B", "c_int16": "h",
           "c_uint16": "H", "c_int32": "i", "c_uint32": "I", "c_int64": "q", "c_uint64": "Q"}
_SIZES = {"b": 1, "B": 1, "h": 2, "H": 2, "i": 4, "I": 4, "l": 8, "L": 8, "q": 8, "Q": 8,
          "f": 4, "d": 8}


class _SharedNumber:
    """What Value() returns without a lock (CPython's is a ctypes object): `.value`, read and
    written whole in memory every process shares."""

    def __init__(self, code, value):
        self._code = code
        self._id = _pp.memory_new(_SIZES[code])
        self.value = value

    def __getstate__(self):
        _check_spawning(self)
        return dict(self.__dict__)

    @property
    def value(self):
        return _pp.value_get(self._id, self._code)

    @value.setter
    def value(self, value):
        _pp.value_set(self._id, self._code, _number(self._code, value))

    def __repr__(self):
        return f"<shared {self._code!r} {self.value!r}>"


class _SynchronizedBase(_WithLock):
    """What a Value or Array with a lock shares (CPython's sharedctypes.SynchronizedBase): the
    object (`get_obj()`), its lock (`get_lock()`), and the lock's methods."""

    def __init__(self, raw, lock):
        self._raw = raw
        self._lock = lock

    def get_lock(self):
        return self._lock

    def get_obj(self):
        return self._raw


class _Synchronized(_SynchronizedBase):
    """What Value() returns with a lock (CPython's multiprocessing.sharedctypes.Synchronized):
    its `value` is read and written under the lock, and get_lock() gives it for `+=`."""

    @property
    def value(self):
        with self._lock:
            return self._raw.value

    @value.setter
    def value(self, value):
        with self._lock:
            self._raw.value = value

    def __repr__(self):
        return f"<Synchronized wrapper for {self._raw._code!r} {self.value!r}>"


def _typecode(typecode_or_type, what):
    """The struct code of a Value's or Array's items, from a code ('i') or a ctypes type."""
    code = typecode_or_type
    if not isinstance(code, str):
        code = _CTYPES.get(getattr(code, "__name__", ""), "")
    if code not in _SIZES:
        raise TypeError(
            f"{what} here holds numbers of the struct codes {' '.join(_SIZES)} (or the ctypes "
            f"types c_int, c_double, …), not {typecode_or_type!r}"
        )
    return code


def _guarded(raw, lock, wrapper):
    # CPython's sharedctypes.synchronized: an RLock of its own unless given one, or none.
    if lock is False:
        return raw
    if lock in (True, None):
        lock = RLock()
    if not hasattr(lock, "acquire"):
        raise AttributeError(f"{lock!r} has no method 'acquire'")
    return wrapper(raw, lock)


def Value(typecode_or_type, *args, lock=True, ctx=None):
    """multiprocessing.Value: a number in memory every process shares, guarded by an RLock
    unless `lock=False` (or by the lock given)."""
    if not _isolated:
        raise RuntimeError(ISOLATION.format(what="multiprocessing.Value"))
    code = _typecode(typecode_or_type, "Value")
    value = args[0] if args else (0.0 if code in "fd" else 0)
    return _guarded(_SharedNumber(code, value), lock, _Synchronized)


def _number(code, value):
    """`value` as an item of struct code `code` holds it, or CPython's TypeError."""
    if code in "fd":
        if not isinstance(value, (int, float)):
            raise TypeError(f"must be real number, not {type(value).__name__}")
        return float(value)
    if not isinstance(value, int):
        raise TypeError(f"'{type(value).__name__}' object cannot be interpreted as an integer")
    return value


class _SharedArray:
    """What Array() returns without a lock (CPython's is a ctypes array): items read and
    written one at a time, or a slice at once, in memory every process shares."""

    def __init__(self, code, length, items):
        self._code = code
        self._length = length
        self._id = _pp.memory_new(max(1, length) * _SIZES[code])
        if items is not None:
            self[:] = items

    def __getstate__(self):
        _check_spawning(self)
        return dict(self.__dict__)

    def __len__(self):
        return self._length

    def _index(self, index):
        index = index.__index__()
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("invalid index")
        return index

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self._length)
            if step == 1:
                return _pp.array_get(self._id, self._code, start, max(start, stop)).to_py()
            return [self[i] for i in range(start, stop, step)]
        i = self._index(index)
        return _pp.array_get(self._id, self._code, i, i + 1)[0]

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            span = range(*index.indices(self._length))
            items = [_number(self._code, v) for v in value]
            if len(items) != len(span):
                raise ValueError("Can only assign sequence of same size")
            if span.step == 1:
                _pp.array_set(self._id, self._code, span.start, to_js(items))
            else:
                for i, item in zip(span, items):
                    _pp.array_set(self._id, self._code, i, to_js([item]))
            return
        i = self._index(index)
        _pp.array_set(self._id, self._code, i, to_js([_number(self._code, value)]))

    def __iter__(self):
        return iter(self[:])

    def __repr__(self):
        return f"<shared array {self._code!r} {self[:]!r}>"


class _SynchronizedArray(_SynchronizedBase):
    """What Array() returns with a lock (CPython's sharedctypes.SynchronizedArray): each item
    and slice read and written under the lock, and get_lock() for a longer change."""

    def __len__(self):
        return len(self._raw)

    def __getitem__(self, index):
        with self._lock:
            return self._raw[index]

    def __setitem__(self, index, value):
        with self._lock:
            self._raw[index] = value

    def __iter__(self):
        return iter(self[:])

    def __repr__(self):
        return f"<SynchronizedArray wrapper for {self._raw!r}>"


def RawValue(typecode_or_type, *args):
    """multiprocessing.RawValue: a Value with no lock."""
    return Value(typecode_or_type, *args, lock=False)


def RawArray(typecode_or_type, size_or_initializer):
    """multiprocessing.RawArray: an Array with no lock."""
    return Array(typecode_or_type, size_or_initializer, lock=False)


def Array(typecode_or_type, size_or_initializer, *, lock=True, ctx=None):
    """multiprocessing.Array: numbers in memory every process shares, guarded by an RLock
    unless `lock=False` (or by the lock given)."""
    if not _isolated:
        raise RuntimeError(ISOLATION.format(what="multiprocessing.Array"))
    code = _typecode(typecode_or_type, "Array")
    if isinstance(size_or_initializer, int):
        length, items = size_or_initializer, None
    else:
        items = list(size_or_initializer)
        length = len(items)
    if length < 0:
        raise ValueError("Array length must be >= 0")
    return _guarded(_SharedArray(code, length, items), lock, _SynchronizedArray)


# ---- Start methods, contexts, and what cannot exist here --------------------------------------

#: The start methods here, the default first (CPython 3.14's on Linux): forkserver starts a
#: process from a ready image (the page's snapshot of a fresh interpreter, or a process it
#: started ahead), spawn starts a fresh interpreter. Either way the process imports the
#: program again, as CPython's do.
_METHODS = ("forkserver", "spawn")
FORK = (
    "the 'fork' start method cannot work here: it copies the running process's memory into "
    "a new one, and a browser cannot copy a running interpreter into a new worker. Use "
    "'forkserver' (a ready image, CPython 3.14's default on Linux) or 'spawn' (a fresh "
    "interpreter); each imports the program again, so keep the code that starts processes "
    "under `if __name__ == '__main__':`."
)
MANAGER = (
    "multiprocessing.Manager() cannot work here: a manager is a server process that the "
    "others reach over a socket, and a page cannot open one. Share data through "
    "multiprocessing.Value, Array, Queue or Pipe, which are real shared memory here."
)

_start_method = None  # set_start_method's choice; None: not chosen yet


def _process_class(method):
    """The Process class of a context (CPython's SpawnProcess, ForkServerProcess)."""
    return {"spawn": SpawnProcess, "forkserver": ForkServerProcess}[method]


class SpawnProcess(Process):
    _start_method = "spawn"


class ForkServerProcess(Process):
    _start_method = "forkserver"


class _Context:
    """What multiprocessing.get_context(method) returns: this module's Process, Queue, Lock,
    Pool, … under the context's start method (CPython's SpawnContext, ForkServerContext)."""

    def __init__(self, method):
        self._name = method
        self.Process = _process_class(method)

    def get_start_method(self, allow_none=False):
        return self._name

    def get_context(self, method=None):
        return get_context(method)

    def Pool(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None):
        return Pool(processes, initializer, initargs, maxtasksperchild, context=self)

    def __getattr__(self, name):
        import multiprocessing

        return getattr(multiprocessing, name)


def _check_method(method):
    if method == "fork":
        raise ValueError(FORK)
    if method not in _METHODS:
        raise ValueError(f"cannot find context for {method!r}")


def get_context(method=None):
    """multiprocessing.get_context: a context for `method`, or the current default."""
    if method is None:
        method = get_start_method()
    _check_method(method)
    return _Context(method)


def get_start_method(allow_none=False):
    global _start_method
    if _start_method is None:
        if allow_none:
            return None
        _start_method = _METHODS[0]
    return _start_method


def set_start_method(method, force=False):
    global _start_method
    if _start_method is not None and not force:
        raise RuntimeError("context has already been set")
    if method is None and force:
        _start_method = None
        return
    _check_method(method)
    _start_method = method


def get_all_start_methods():
    return list(_METHODS)


def Manager(*args, **kwargs):
    raise NotImplementedError(MANAGER)


def _no_fork():
    # Pyodide's os.fork exists and fails with a bare "Function not implemented": say why.
    import errno

    raise OSError(
        errno.ENOSYS,
        "os.fork() cannot work here: a browser cannot copy a running interpreter into a new "
        "worker. Start a multiprocessing.Process instead: it imports the program again, as "
        "the 'spawn' start method does.",
    )


# ---- multiprocessing.shared_memory ------------------------------------------------------------

#: This interpreter's copy of each shared memory block it has attached (shared-memory.js: the
#: copies meet their blocks at every call into the bridge), and how many SharedMemory use it.
_shm_copies = {}
_shm_users = {}

SHM_VISIBLE = (
    "Here a process sees the shared memory blocks the program made before starting it, and "
    "those it made itself: pass the name of one the program made first."
)


class SharedMemory:
    """multiprocessing.shared_memory.SharedMemory: a named block of memory that the program
    and its processes share (www/engine/shared-memory.js). `buf` is a memoryview of this
    interpreter's copy of it; what one process writes there reaches the block, and the
    others' copies, whenever each next calls into the page (a sleep, a lock, a queue, a
    join…), as a lock or a queue orders the writes of CPython's processes."""

    _buf = None

    def __init__(self, name=None, create=False, size=0, *, track=True):
        import errno
        import secrets

        if not size >= 0:
            raise ValueError("'size' must be a positive integer")
        if not _isolated:
            raise RuntimeError(ISOLATION.format(what="multiprocessing.shared_memory"))
        if create:
            if size == 0:
                raise ValueError("'size' must be a positive number different from zero")
            try:
                if name is None:  # CPython's names: psm_ and 8 hex digits
                    while not _pp.shm_new(name := f"psm_{secrets.token_hex(4)}", size):
                        pass
                elif not _pp.shm_new(name, size):
                    raise FileExistsError(errno.EEXIST, "File exists", "/" + name)
            except FileExistsError:
                raise
            except Exception as error:  # a block too big: the bridge says why
                raise ValueError(str(error).removeprefix("RangeError: ")) from None
        else:
            if name is None:
                raise ValueError("'name' can only be None if create=True")
            size = _pp.shm_size(name)
            if size < 0:
                error = FileNotFoundError(errno.ENOENT, "No such file or directory", "/" + name)
                error.add_note(SHM_VISIBLE)
                raise error
        self._name = name
        self._size = size
        copy = _shm_copies.get(name)
        if copy is None:
            copy = _shm_copies[name] = bytearray(size)
            _pp.shm_map(name, copy)
        _shm_users[name] = _shm_users.get(name, 0) + 1
        self._buf = memoryview(copy)

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - as CPython's, a finaliser says nothing
            pass

    def __reduce__(self):
        return (self.__class__, (self.name, False, self.size))

    def __repr__(self):
        return f"{self.__class__.__name__}({self.name!r}, size={self.size})"

    @property
    def buf(self):
        return self._buf

    @property
    def name(self):
        return self._name

    @property
    def size(self):
        return self._size

    def close(self):
        if self._buf is None:
            return
        self._buf.release()
        self._buf = None
        _shm_users[self._name] -= 1
        if _shm_users[self._name] == 0:  # nobody here uses the copy any more
            del _shm_users[self._name], _shm_copies[self._name]
            _pp.shm_unmap(self._name)

    def unlink(self):
        import errno

        if not _pp.shm_unlink(self._name):
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", "/" + self._name)


def _install_shared_memory():
    """Makes `multiprocessing.shared_memory` importable, with SharedMemory this module's:
    CPython's own module (its ShareableList included) needs _posixshmem, which this Python
    lacks, and its resource tracker, a process of its own."""
    import importlib

    if "_posixshmem" not in sys.modules:
        sys.modules["_posixshmem"] = types.ModuleType("_posixshmem")
    try:
        importlib.import_module("multiprocessing.resource_tracker")
    except ImportError:  # it needs _multiprocessing: here nothing is left behind to track
        tracker = types.ModuleType("multiprocessing.resource_tracker")
        tracker.register = tracker.unregister = lambda name, rtype: None
        sys.modules["multiprocessing.resource_tracker"] = tracker
    shared_memory = importlib.import_module("multiprocessing.shared_memory")
    shared_memory.SharedMemory = SharedMemory
    SharedMemory.__module__ = "multiprocessing.shared_memory"
