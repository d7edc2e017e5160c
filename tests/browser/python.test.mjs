// The Python panel: the article's own program, run by CPython (Pyodide) with processes that
// are workers, each its own interpreter. One page for the file: every run starts fresh
// interpreters anyway, and each page would load Python again.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ENGINE,
  usePlayground,
  pythonProcessesReady,
  pythonReady,
  runPython,
  pythonRuns,
  pythonResult,
  offered,
  readTrace,
} from "./helpers.mjs";

let page;
// Before usePlayground's own: hooks run in the order they were added, and the page must close
// (saying whether it had errors) before its browser does.
after(() => page?.close());
const env = usePlayground();
/** The file's one page, opened by the first test that runs (filtered runs included). */
async function open() {
  if (!page) {
    page = await env.open();
    await pythonReady(page);
  }
  return page;
}

/**
 * The lines CPython (the machine's python3) prints for `source` run as a file's __main__ with
 * the start method `method`, by default spawn: each process imports the program again, as here (CPython 3.14's
 * default on Linux, forkserver, imports it the same way).
 */
function cpythonSays(source, method = "spawn") {
  const dir = mkdtempSync(join(tmpdir(), "pp-cpython-"));
  try {
    writeFileSync(join(dir, "main.py"), source);
    // Spawn as the default, not set: a program may still set it itself. The program's
    // globals are kept (g) until the interpreter exits, as a script's are: its processes
    // may still be starting, and need what it made (a Lock), when it ends.
    const run = [
      "import multiprocessing.context as c, runpy",
      `c._default_context._default_context = c._concrete_contexts['${method}']`,
      "g = runpy.run_path('main.py', run_name='__main__')",
    ].join("; ");
    // Buffered, as CPython's output to a pipe is by default: each process then writes its
    // lines at once (as it starts a process, and as it ends), whole. With PYTHONUNBUFFERED
    // (set on some machines, this one included), print() writes a line and its newline
    // apart, and two processes printing at once may interleave them ("…1000process 3: …").
    const { PYTHONUNBUFFERED, ...env } = process.env;
    const options = { cwd: dir, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] };
    return execFileSync("python3", ["-c", run], options).split("\n").filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Pids differ from run to run and machine to machine: "process id: 1234" reads "process id: N". */
const withoutPids = (lines) => lines.map((line) => line.replace(/\b\d{1,7}\b/g, "N"));

/**
 * Runs tests/browser/python/`file`, a program whose every check prints "OK <name>" (or
 * "FAILED <name>: why") and which ends with "done", in the file's page; asserts that it ran to
 * its end with every check OK, `checks` among them. Resolves with what the panel showed.
 */
async function runChecks(file, checks) {
  await open();
  const source = await readFile(new URL(`python/${file}`, import.meta.url), "utf8");
  const result = await runPython(page, { source });
  assert.equal(result.error, null, result.error ?? "");
  const said = mains(result);
  assert.deepEqual(
    said.filter((t) => !t.startsWith("OK ")),
    ["done"],
    "every check says OK, and the program ran to its end",
  );
  for (const check of checks) assert.ok(said.includes(`OK ${check}`), check);
  return result;
}

/**
 * Chooses the panel's example `id`, waits until the editor holds it (its text includes
 * `saying`), runs it and asserts that it ran without an error; resolves with what was shown.
 */
async function runExample(id, saying) {
  await open();
  await page.selectOption("#py-example", id);
  await page.waitForFunction(
    (text) => document.querySelector("#py-source").value.includes(text),
    saying,
  );
  const result = await runPython(page, {});
  assert.equal(result.error, null, result.error ?? "");
  return result;
}

const mains = (result) => result.lines.filter((l) => l.process === "main").map((l) => l.text);
const fromProcesses = (result) => result.lines.filter((l) => l.process !== "main");

test("the article's program, verbatim, prints its 30 tasks and a Finished line no shorter than its longest sleep", async () => {
  await open();
  const source = await page.inputValue("#py-source");
  for (const line of [
    'print("Number of cpu :", multiprocessing.cpu_count())',
    "if __name__ == '__main__':",
    "    with concurrent.futures.ProcessPoolExecutor() as executor:",
    "        results = executor.map(do_something, secs)  ",
    "    print(f'Finished in {round(end - start, 2)} second(s)')",
  ]) {
    assert.ok(source.split("\n").includes(line), `the editor holds ${line}`);
  }
  // The session starts cpu_count() processes ahead of any executor (at most 4); all at once,
  // except in WebKit once the service worker controls the page (one by one: then only the
  // first has begun when the main interpreter is ready).
  const cpus = await page.evaluate(() => navigator.hardwareConcurrency);
  await pythonProcessesReady(page);
  const ready = Number(await page.getAttribute("#py-status", "data-processes-ready"));
  if (ENGINE === "webkit") assert.ok(ready >= 1 && ready <= Math.min(cpus, 4), `${ready} ready`);
  else assert.equal(ready, Math.min(cpus, 4), "processes started ahead");
  const result = await runPython(page, { scale: "0.1" });
  assert.equal(result.error, null, result.error ?? "");
  const printed = fromProcesses(result).map((l) => l.text);
  for (let n = 0; n < 30; n++) {
    if (n === 8 || n === 12) {
      assert.ok(printed.includes(`Sleeping ${n} second(s)...`), `task ${n} slept`);
      assert.ok(printed.includes(`Done sleeping...${n}`), `task ${n} woke`);
    } else {
      assert.ok(printed.includes(String(n)), `task ${n} printed`);
    }
  }
  // Spawn imports the program in every process: its first print runs once per process.
  const counted = result.lines.filter((l) => l.text === `Number of cpu : ${cpus}`);
  assert.equal(counted.length, 1 + cpus, "once in main and once in each process");
  const finished = mains(result).find((t) => t.startsWith("Finished in"));
  const secondsTaken = Number(/^Finished in ([\d.]+) second\(s\)$/.exec(finished)?.[1]);
  assert.ok(secondsTaken >= 1.2, `Finished in ${secondsTaken} s: the 12 s sleep at 0.1× is 1.2 s`);
  // Their start-up is said to have come before the executor, and is not in the time from the
  // executor to its first result.
  const said = /(all|\d+ of them) started ahead of the program's request \(/.exec(result.status);
  assert.ok(said, result.status);
  const ahead = said[1] === "all" ? cpus : Number.parseInt(said[1], 10);
  assert.ok(ahead >= 1, "at least one process was ready");
  assert.match(result.status, /the first result \d+\.\d\d s after the program asked for them/);
  const lanes = await page.$$eval("#py-timeline .py-row-name", (rows) =>
    rows.map((r) => r.textContent),
  );
  assert.equal(lanes.length, 1 + cpus, "a timeline row for main and for each process");
  assert.ok((await page.count("#py-timeline .py-span.ph-sleep")) >= 2, "the two sleeps are drawn");
  // The timeline starts with the run: a process started for the executor has its start drawn;
  // one started ahead has it drawn only if it was still starting when the run began.
  const starts = await page.count("#py-timeline .py-span.ph-start");
  assert.ok(starts >= cpus - ahead && starts <= cpus, `${starts} start bars`);
  assert.equal(await page.count("#py-timeline .py-span.ph-import"), cpus, "each imported");
});

test("the executors' API works as CPython's: submit, map, as_completed, wait, timeout, initializer, Pool, shutdown(wait=False), limits, big calls and results", async () => {
  const result = await runChecks("executor_api.py", [
    "cpu_count",
    "submit",
    "map chunksize",
    "pids",
    "as_completed",
    "wait",
    "timeout",
    "pickling",
    "shutdown",
    "initializer",
    "broken",
    "Pool.map",
    "Pool.starmap",
    "Pool.apply_async",
    "Pool.imap_unordered",
    "shutdown(wait=False)",
    "big arguments",
    "a full queue",
    "big results",
    "a full result queue",
    "oversized result",
    "oversized argument",
    "after oversized",
    "live cap",
    "live cap released",
  ]);
  // Work left running by shutdown(wait=False) finishes before the program's end, as in CPython.
  const late = fromProcesses(result).map((l) => l.text);
  assert.ok(late.includes("finished after shutdown"), "the work left running was finished");
});

test("multiprocessing.Process works as CPython's: start, join with a timeout, exit codes, terminate, kill, close, subclasses, current and parent process", async () => {
  const result = await runChecks("process_api.py", [
    "initial",
    "pid",
    "exitcode 0",
    "repr",
    "args and kwargs",
    "an exception: exitcode 1",
    "sys.exit",
    "os._exit",
    "join timeout",
    "active_children",
    "terminate",
    "repr SIGTERM",
    "kill",
    "join before start",
    "start twice",
    "daemon after start",
    "closed",
    "pickling",
    "subclass",
    "current and parent",
    "three at once",
  ]);
  // The process whose target raised printed its traceback, as CPython's does; its lines are
  // tagged with its pid (Process-3 is the program's third process: pid 4).
  const failed = result.lines.filter((l) => l.process === "process 4").map((l) => l.text);
  assert.equal(failed[0], "Process Process-3:");
  assert.equal(failed[1], "Traceback (most recent call last):");
  assert.equal(failed.at(-1), "ValueError: no good");
});

/**
 * The library documentation's examples (tests/browser/python/docs/), each with what of its
 * output is certain: `same(lines)` gives what must match CPython's, in order; `method` is the
 * start method CPython runs it with.
 */
const DOC_EXAMPLES = {
  "pool_map.py": {},
  "process_hello.py": {},
  "process_info.py": { same: withoutPids },
  "start_method.py": {},
  "get_context.py": {},
  "queue.py": {},
  "pipe.py": {},
  // Ten processes print in whatever order they take the lock. CPython's spawn (and 3.14's
  // forkserver) fail on this example when the program ends before its processes have
  // opened the lock (FileNotFoundError, python/cpython#94765); fork prints the ten lines.
  "lock.py": { same: (lines) => lines.toSorted(), method: "fork" },
  "shared_memory.py": {},
  "shared_memory_repl.py": {},
  // imap_unordered's ten results come in any order; two lines are pids.
  "pool.py": {
    same: (lines) => [
      lines[0],
      ...lines.slice(1, 11).toSorted(),
      ...lines.slice(11, 12),
      ...withoutPids(lines.slice(12, 14)),
      ...lines.slice(14),
    ],
  },
  // Which process computed what, and in which order the results came, is the scheduler's.
  "workers.py": {
    same: (lines) => [
      lines[0],
      ...lines
        .slice(1, 21)
        .map((l) => l.replace(/Process-\d+/, "Process-N"))
        .toSorted(),
      ...lines
        .slice(21)
        .map((l) => l.replace(/Process-\d+/, "Process-N"))
        .toSorted(),
    ],
    scale: "0.1",
  },
};

test("the library documentation's multiprocessing examples, unchanged, print what CPython prints (what is certain of it)", async () => {
  await open();
  for (const [file, { same = (lines) => lines, method, scale = "1" }] of Object.entries(
    DOC_EXAMPLES,
  )) {
    const source = await readFile(new URL(`python/docs/${file}`, import.meta.url), "utf8");
    const result = await runPython(page, { source, scale });
    assert.equal(result.error, null, `${file}: ${result.error}`);
    const ours = result.lines.map((l) => l.text);
    assert.deepEqual(same(ours), same(cpythonSays(source, method)), file);
    if (file === "process_info.py") {
      // The child's parent is the program: its pid is the one the program printed.
      const pid = (label, i) => ours.filter((t) => t.startsWith(label))[i].split(": ")[1];
      assert.equal(pid("parent process", 1), pid("process id", 0));
      assert.notEqual(pid("process id", 1), pid("process id", 0));
    }
  }
});

test("at a program's end its daemonic processes are terminated and the others joined, as in CPython", async () => {
  await open();
  const source = [
    "from multiprocessing import Process",
    "import time",
    "",
    "def late():",
    "    time.sleep(0.5)",
    "    print('late, but joined')",
    "",
    "def forever():",
    "    time.sleep(60)",
    "    print('a daemon lived on')",
    "",
    "if __name__ == '__main__':",
    "    print('two processes start, and the program ends')",
    "    Process(target=late).start()",
    "    Process(target=forever, daemon=True).start()",
  ].join("\n");
  const result = await runPython(page, { source, scale: "1" });
  assert.equal(result.error, null, result.error ?? "");
  const ours = result.lines.map((l) => l.text);
  // The program's line is out before its first process starts (CPython flushes there too).
  assert.deepEqual(ours, ["two processes start, and the program ends", "late, but joined"]);
  assert.deepEqual(ours, cpythonSays(source));
});

test("a process that starts a process of its own is told why it cannot here, and exits with 1", async () => {
  await open();
  const result = await runPython(page, {
    source: [
      "from multiprocessing import Process",
      "",
      "def grandchild():",
      "    pass",
      "",
      "def child():",
      "    Process(target=grandchild).start()",
      "",
      "if __name__ == '__main__':",
      "    p = Process(target=child)",
      "    p.start()",
      "    p.join()",
      "    print('exit code', p.exitcode)",
    ].join("\n"),
  });
  assert.equal(result.error, null, result.error ?? "");
  assert.deepEqual(mains(result), ["exit code 1"]);
  const child = fromProcesses(result).map((l) => l.text);
  assert.equal(child[0], "Process Process-1:");
  assert.match(
    child.at(-1),
    /^RuntimeError: a process started here cannot start processes of its own: the page starts every interpreter for the program's main process/,
  );
});

test("a process whose import of the program fails exits with 1, and the reason is shown", async () => {
  await open();
  const source = [
    "from multiprocessing import Process",
    "",
    "if __name__ == '__mp_main__':",
    "    raise ImportError('only in a child')",
    "",
    "def f():",
    "    pass",
    "",
    "if __name__ == '__main__':",
    "    p = Process(target=f)",
    "    p.start()",
    "    p.join()",
    "    print('exit code', p.exitcode)",
  ].join("\n");
  const result = await runPython(page, { source });
  assert.equal(result.error, null, result.error ?? "");
  assert.deepEqual(mains(result).at(-1), "exit code 1");
  assert.deepEqual(cpythonSays(source), ["exit code 1"]);
  const texts = result.lines.map((l) => l.text);
  assert.ok(texts.includes("ImportError: only in a child"), texts.join("\n"));
});

test("the example 'processes share nothing': each child counts in its own memory, the parent's global stays 0", async () => {
  const result = await runExample("share", "share nothing");
  const children = fromProcesses(result).map((l) => l.text);
  assert.equal(children.length, 2);
  // Each line is tagged with the pid it prints.
  for (const { process, text } of fromProcesses(result)) {
    assert.match(text, /^process \d+: counter = 1000$/);
    assert.equal(text.split(":")[0], process);
  }
  assert.match(
    mains(result)[0],
    /^main process 1: counter = 0, after both children counted to 1000$/,
  );
  assert.deepEqual(mains(result)[1], "process 1: counter = 1");
  const source = await page.inputValue("#py-source");
  const sorted = (lines) => withoutPids(lines).sort();
  assert.deepEqual(sorted(result.lines.map((l) => l.text)), sorted(cpythonSays(source)));
});

test("multiprocessing's queues work as CPython's, between real processes: Queue, JoinableQueue, SimpleQueue, timeouts, Empty and Full, inheritance only", async () => {
  await runChecks("queue_api.py", [
    "empty",
    "qsize",
    "oldest first",
    "Empty after a timeout",
    "get_nowait",
    "a timeout already past",
    "full",
    "Full after a timeout",
    "put_nowait",
    "from a process",
    "both ways",
    "JoinableQueue",
    "task_done too often",
    "a waiting get is woken",
    "inheritance only",
    "a queue through Pool's initargs",
    "SimpleQueue",
    "closed",
  ]);
});

test("where a queue here differs from CPython's: an item over 256 KiB is refused with why, and the queue goes on", async () => {
  await open();
  const result = await runPython(page, {
    source: [
      "from multiprocessing import Queue",
      "",
      "if __name__ == '__main__':",
      "    q = Queue()",
      "    try:",
      "        q.put(bytes(300_000))",
      "    except ValueError as error:",
      "        print('refused:', error)",
      "    q.put('small')",
      "    print(q.get(timeout=5))",
    ].join("\n"),
  });
  assert.equal(result.error, null, result.error ?? "");
  const said = mains(result);
  assert.match(
    said[0],
    /^refused: an item pickles to 300,\d{3} bytes: a Queue or Pipe here holds items of at most 262,140 bytes/,
  );
  assert.equal(said[1], "small");
});

test("multiprocessing's Lock, RLock and Value work as CPython's, between real processes: a locked count loses nothing", async () => {
  await runChecks("value_api.py", [
    "initial",
    "set",
    "double by default 0.0",
    "a ctypes type",
    "a big long",
    "lock=False",
    "acquire",
    "acquire again times out",
    "release twice",
    "RLock again",
    "RLock not held",
    "a locked count loses nothing",
    "a racy count never gains",
    "held by another process",
    "taken once it is released",
  ]);
});

test("multiprocessing's Pipe, Semaphore, Event, Condition, Barrier, Array and shared_memory work as CPython's, between real processes; fork and Manager say why not", async () => {
  await runChecks("sync_api.py", [
    "start method set once",
    "a context's Process",
    "a pipe both ways",
    "poll waits for it",
    "EOFError once the other end closed",
    "what was sent outlives the sender",
    "then poll says EOF is there",
    "and recv raises EOFError",
    "EOFError once the process holding the other end died",
    "sending to no reader",
    "send_bytes with offset and size",
    "semaphore at 0 times out",
    "bounded released too often",
    "a semaphore of 2 lets 2 in at most",
    "set wakes its waiter",
    "notify wakes wait_for",
    "wait needs the lock",
    "a barrier of 2",
    "a barrier that times out breaks",
    "an array changed in a process",
    "slice assignment",
    "RawArray and RawValue",
    "a block written by a process",
    "a ShareableList written by a process",
    "no block of that name",
    "fork",
    "Manager",
    "os.fork",
  ]);
});

test("the example 'unless asked': two processes add to one shared Value, with its lock none of 40,000 is lost", async () => {
  const result = await runExample("value", "unless asked");
  const [without, withLock] = mains(result);
  // How many the racy count loses depends on how the processes interleave: not asserted.
  const lost = /^without the lock: ([\d,]+) of 40,000 \(([\d,]+) lost\)$/.exec(without);
  assert.ok(lost, without);
  const count = Number(lost[1].replaceAll(",", ""));
  assert.ok(count > 0 && count <= 40_000 && 40_000 - count === Number(lost[2].replaceAll(",", "")));
  assert.equal(withLock, "with the lock:    40,000 of 40,000 (0 lost)");
});

test("the example 'processes talk by message': a producer, a consumer and the program pass numbers through two Queues, each message marked on the timeline and in its trace", async () => {
  const result = await runExample("queue", "talk by message");
  const said = mains(result);
  assert.deepEqual(
    said.map((t) => t.replace(/, from process \d+$/, "")),
    Array.from({ length: 10 }, (_, i) => `main, process 1: ${i} squared is ${i * i}`),
  );
  // Every answer came from one process, the consumer, whose lines are tagged with that pid.
  const from = new Set(said.map((t) => t.split("from process ")[1]));
  assert.equal(from.size, 1);
  const producer = fromProcesses(result);
  assert.equal(producer.length, 1);
  assert.match(producer[0].text, /^producer, process (\d+): put 10 numbers, then None$/);
  assert.equal(producer[0].process, `process ${producer[0].text.match(/process (\d+)/)[1]}`);
  // The program's first get waited at least for both processes to start: drawn as a wait.
  assert.ok((await page.count("#py-timeline .py-span.ph-queue")) >= 1, "a wait on a queue drawn");
  // Every message is marked on its row, put (top) and taken (foot): 10 numbers and a None
  // each way. A mark stands for all of its row's in one pixel: its title says how many.
  const marks = await page.$$eval("#py-timeline .py-row", (rows) =>
    rows.map((row) => {
      const count = (kind) =>
        [...row.querySelectorAll(`.py-mark.mk-${kind}`)]
          .map((m) => Number(/^(\d+) × /.exec(m.title)?.[1] ?? 1))
          .reduce((a, b) => a + b, 0);
      return `${row.querySelector(".py-row-name").textContent}: ${count("sent")} sent, ${count("got")} got`;
    }),
  );
  const producerPid = producer[0].process.split(" ")[1];
  const consumerPid = [...from][0];
  assert.deepEqual(
    marks.toSorted(),
    [
      "main: 0 sent, 11 got",
      `process ${consumerPid}: 11 sent, 11 got`,
      `process ${producerPid}: 11 sent, 0 got`,
    ].toSorted(),
  );
  // The timeline as a profiler's trace: a process per interpreter, named as on the page,
  // with its start, import and run, and its messages, as many as the marks say.
  const trace = await offered(page, "#py-trace");
  assert.equal(trace.name, "python.trace.json");
  const interpreters = readTrace(trace.text);
  const counted = [...interpreters.values()].map(({ name, threads }) => {
    const { slices, marks } = threads.get(1);
    const of = (mark) => marks.filter((m) => m.name === mark).length;
    if (name !== "main") {
      assert.equal(slices.filter((s) => s.cat === "run").length, 1, `${name} ran its Process`);
      assert.equal(slices.filter((s) => s.cat === "import").length, 1, `${name} imported`);
    }
    return `${name}: ${of("sent")} sent, ${of("got")} got`;
  });
  assert.deepEqual(counted.toSorted(), marks.toSorted());
  const source = await page.inputValue("#py-source");
  const sorted = (lines) => withoutPids(lines).sort();
  assert.deepEqual(sorted(result.lines.map((l) => l.text)), sorted(cpythonSays(source)));
});

test("the example 'start methods': a spawn Pool starts fresh interpreters, a forkserver Pool ready ones, each measured", async () => {
  const result = await runExample("methods", "Start methods");
  const said = mains(result);
  assert.equal(said[0], "start methods here: ['forkserver', 'spawn'] default: forkserver");
  for (const [i, method] of [
    [1, "spawn"],
    [2, "forkserver"],
  ]) {
    assert.match(
      said[i],
      new RegExp(
        `^ *${method}: the first result [\\d,]+ ms after the pool was made; then 1,000 tiny tasks in [\\d,]+ ms$`,
      ),
    );
  }
  // The spawn Pool's processes (pids 2 and 3) started during the run, from nothing: at least
  // the one that answered has its start drawn on its row.
  const startsDrawn = await page.$$eval("#py-timeline .py-row", (rows) =>
    rows
      .filter((row) => /^process [23]$/.test(row.querySelector(".py-row-name").textContent))
      .map((row) => row.querySelectorAll(".py-span.ph-start").length),
  );
  assert.equal(startsDrawn.length, 2);
  assert.ok(
    startsDrawn.some((n) => n > 0),
    `start bars: ${startsDrawn}`,
  );
});

test("the example 'CPU-bound work': its loop and its processes count the same 25,997 primes below 300,000, each process taking the biggest pieces first", async () => {
  const result = await runExample("primes", "count_primes");
  const said = mains(result);
  const workers = Number(/^Starting (\d+) processes: \d+\.\d\d s /.exec(said[1])?.[1]);
  assert.ok(workers >= 1, said[1]);
  assert.match(said[0], /^A plain loop: 25,997 primes below 300,000 in \d+\.\d\d s$/);
  assert.match(said[2], new RegExp(`^${workers} processes: 25,997 primes in \\d+\\.\\d\\d s$`));
  assert.match(
    said[3],
    new RegExp(`^Speed-up of the work: \\d+\\.\\d\\dx with ${workers} processes$`),
  );
  // The pieces are handed out oldest call first, and the program sends the biggest first:
  // every process's own pieces go down. Bars of one task name it; a merged bar (narrow
  // tasks within a pixel) counts its tasks. Every piece and the first call, submit(0, 0), ran.
  const rows = await page.$$eval("#py-timeline .py-row", (els) =>
    els.map((row) => ({
      name: row.querySelector(".py-row-name").textContent,
      runs: [...row.querySelectorAll(".py-span.ph-run")].map((bar) => bar.title),
    })),
  );
  const pieces = 16 * workers;
  const from = (i) => 300_000 - Math.floor((i * 300_000) / pieces); // Python's N - i * N // pieces
  const piece = (i) => [from(i + 1), from(i)];
  const expected = new Set(Array.from({ length: pieces }, (_, i) => piece(i).join(", ")));
  let total = 0;
  const seen = new Set();
  for (const { name, runs } of rows.filter((r) => r.name !== "main")) {
    const los = [];
    for (const title of runs) {
      const one = /^count_primes\((\d+), (\d+)\): \d+ ms$/.exec(title);
      const many = /^computing, ([\d,]+) tasks: \d+ ms in all$/.exec(title);
      assert.ok(one || many, `${name}: ${title}`);
      total += many ? Number(many[1].replace(/,/g, "")) : 1;
      if (!one || (one[1] === "0" && one[2] === "0")) continue;
      const args = `${one[1]}, ${one[2]}`;
      assert.ok(expected.has(args) && !seen.has(args), `${name}: ${args}, once`);
      seen.add(args);
      los.push(Number(one[1]));
    }
    assert.deepEqual(
      los,
      [...los].sort((a, b) => b - a),
      `${name}'s pieces, in order`,
    );
  }
  assert.equal(total, pieces + 1, "every piece, and submit(0, 0), on the processes' rows");
});

test("calls wait in one queue, as in CPython: with both processes asleep, the next call waits for one to wake", async () => {
  await open();
  // Tasks 8 and 12 sleep, as in the article. Whichever process takes a call has finished
  // what it took before, and calls are taken oldest first: once both sleepers have been
  // taken, no later call can start before one of them ends. (A call sent ahead to a chosen
  // process could: it would run on the other while its own sleeps, or wait behind a sleep.)
  const result = await runPython(page, {
    source: [
      "import concurrent.futures, time",
      "",
      "def task(x):",
      "    start = time.time()",
      "    if x in (8, 12):",
      "        time.sleep(1)",
      "    return x, start, time.time()",
      "",
      "if __name__ == '__main__':",
      "    with concurrent.futures.ProcessPoolExecutor(2) as executor:",
      "        spans = {x: (a, b) for x, a, b in executor.map(task, range(30))}",
      "    woke = min(spans[8][1], spans[12][1])",
      "    early = [x for x in range(13, 30) if spans[x][0] < woke - 0.002]",
      "    print('started before a sleeper woke:', early)",
    ].join("\n"),
  });
  assert.equal(result.error, null, result.error ?? "");
  assert.deepEqual(mains(result), ["started before a sleeper woke: []"]);
});

test("a process that exits in a task breaks its executor as in CPython; answers it gave before are kept, and the program goes on", async () => {
  await open();
  // Task 0 is the first any process takes, and its process answers before it takes another:
  // its answer is out before task 3 (the fourth taken) ends a process.
  const result = await runPython(page, {
    source: [
      "import concurrent.futures, os, time",
      "",
      "def task(x):",
      "    if x == 3:",
      "        os._exit(3)",
      "    time.sleep(0.2)",
      "    return x",
      "",
      "if __name__ == '__main__':",
      "    with concurrent.futures.ProcessPoolExecutor(2) as executor:",
      "        futures = [executor.submit(task, i) for i in range(6)]",
      "        concurrent.futures.wait(futures)",
      "    print('first:', futures[0].result())",
      "    print('fourth:', type(futures[3].exception()).__name__, futures[3].exception())",
      "    with concurrent.futures.ProcessPoolExecutor(1) as executor:",
      "        print('a new executor:', executor.submit(abs, -5).result())",
    ].join("\n"),
  });
  assert.equal(result.error, null, result.error ?? "");
  const said = mains(result);
  assert.equal(said[0], "first: 0");
  assert.match(
    said[1],
    /^fourth: BrokenProcessPool A process in the process pool was terminated abruptly while the future was running or pending\. \(.*exit\(3\).*\)$/,
  );
  assert.equal(said[2], "a new executor: 5");
});

test("thousands of tiny tasks: the timeline draws them merged, every task counted, at most a bar per pixel", async () => {
  await open();
  const tasks = 4000;
  const result = await runPython(page, {
    source: [
      "import concurrent.futures",
      "",
      "def noop(x):",
      "    return x",
      "",
      "if __name__ == '__main__':",
      "    with concurrent.futures.ProcessPoolExecutor(2) as executor:",
      `        print(sum(executor.map(noop, range(${tasks}))))`,
    ].join("\n"),
  });
  assert.equal(result.error, null, result.error ?? "");
  assert.deepEqual(mains(result), [String((tasks * (tasks - 1)) / 2)]);
  // A bar a task made every live redraw rebuild thousands of elements on the thread that
  // hands out the tasks: runs like this one slowed down as they went. Narrow bars that follow
  // each other within a pixel are one, whose tooltip counts its tasks.
  const rows = await page.$$eval("#py-timeline .py-row", (els) =>
    els.map((row) => ({
      name: row.querySelector(".py-row-name").textContent,
      runs: [...row.querySelectorAll(".py-span.ph-run")].map((bar) => bar.title),
    })),
  );
  const width = await page.$eval("#py-timeline", (box) => box.clientWidth);
  const counted = (title) =>
    Number((/^computing, ([\d,]+) tasks:/.exec(title)?.[1] ?? "1").replace(/,/g, ""));
  let total = 0;
  for (const { name, runs } of rows.filter((r) => r.name !== "main")) {
    assert.ok(runs.length <= width, `${name}: ${runs.length} bars in ${width} px`);
    for (const title of runs) {
      assert.match(title, /^(noop\(\d+\)|computing, [\d,]+ tasks): \d+ ms( in all)?$/);
    }
    total += runs.reduce((sum, title) => sum + counted(title), 0);
  }
  assert.equal(total, tasks, "every task is in one bar");
  assert.ok(
    rows.some((r) => r.runs.some((t) => t.startsWith("computing, "))),
    "some bars hold many tasks",
  );
});

test("an exception in a task is raised again by map, with the process's traceback", async () => {
  await open();
  const result = await runPython(page, {
    source: [
      "import concurrent.futures",
      "",
      "def check(x):",
      "    if x == 3:",
      "        raise ValueError(f'bad value {x}')",
      "    return x",
      "",
      "if __name__ == '__main__':",
      "    with concurrent.futures.ProcessPoolExecutor(max_workers=1) as executor:",
      "        print(list(executor.map(check, range(5))))",
    ].join("\n"),
  });
  assert.match(result.status, /stopped with ValueError on line 10/);
  assert.match(result.error, /ValueError on line 10/);
  assert.match(result.error, /_RemoteTraceback/);
  assert.match(result.error, /File "main\.py", line 5, in check/);
  assert.match(result.error, /raise ValueError\(f'bad value \{x\}'\)/);
  assert.match(result.error, /ValueError: bad value 3/);
  assert.ok(!mains(result).some((t) => t.startsWith("[")), "map's list was never printed");
});

test("a package this Python does not have is named, with what it does have", async () => {
  await open();
  const result = await runPython(page, { source: "import math\nimport numpy\n" });
  assert.match(result.status, /stopped with ModuleNotFoundError on line 2/);
  assert.match(result.error, /No module named 'numpy'/);
  assert.match(result.error, /standard library only/);
});

test("a syntax error names its line and nothing runs", async () => {
  await open();
  const result = await runPython(page, {
    source: "print('before')\nvalues = (1, 2\nprint('after')\n",
  });
  assert.match(result.status, /stopped with SyntaxError on line 2/);
  assert.match(result.error, /SyntaxError on line 2/);
  assert.match(result.error, /was never closed/);
  assert.equal(result.lines.length, 0, "not even the first line ran");
});

/**
 * Runs `source` until a line of output reads `line`, then presses Stop: every interpreter is
 * terminated, the panel says so, and the next run works.
 */
async function stopOnceItSays(source, line) {
  await open();
  await page.fill("#py-source", source);
  const runs = await pythonRuns(page);
  await page.click("#py-run");
  await page.waitForFunction(
    (text) =>
      [...document.querySelectorAll("#py-output .line")].some((e) => e.textContent === text),
    line,
    { timeout: 180_000 },
  );
  await page.click("#py-stop");
  await page.waitForFunction((n) => Number(document.documentElement.dataset.pythonRuns) > n, runs);
  const stopped = await pythonResult(page);
  assert.match(stopped.status, /^Stopped after \d+\.\d\d s: every interpreter was terminated/);
  const next = await runPython(page, { source: "print(6 * 7)" });
  assert.equal(next.error, null);
  assert.deepEqual(mains(next), ["42"]);
  assert.match(next.status, /^Done in/);
}

test("Stop ends an endless loop in a process, and the next run works", async () => {
  await stopOnceItSays(
    [
      "import concurrent.futures",
      "",
      "def spin():",
      "    print('spinning')",
      "    while True:",
      "        pass",
      "",
      "if __name__ == '__main__':",
      "    with concurrent.futures.ProcessPoolExecutor(max_workers=1) as executor:",
      "        executor.submit(spin).result()",
    ].join("\n"),
    "spinning",
  );
});

test("Stop ends a program and a process each waiting on a Queue nobody puts in, and the next run works", async () => {
  await stopOnceItSays(
    [
      "from multiprocessing import Process, Queue",
      "",
      "def wait(q):",
      "    print('waiting')",
      "    q.get()",
      "",
      "if __name__ == '__main__':",
      "    never = Queue()",
      "    Process(target=wait, args=(never,)).start()",
      "    never.get()",
    ].join("\n"),
    "waiting",
  );
});

test("a program printing without end keeps the page answering: Stop works, the newest lines stay", async () => {
  await open();
  await page.fill("#py-source", "i = 0\nwhile True:\n    i += 1\n    print(i)");
  const runs = await pythonRuns(page);
  await page.click("#py-run");
  await page.waitForSelector("#py-dropped:not([hidden])", { timeout: 120_000 });
  await page.click("#py-stop");
  await page.waitForFunction((n) => Number(document.documentElement.dataset.pythonRuns) > n, runs);
  const stopped = await pythonResult(page);
  assert.match(stopped.status, /^Stopped after/);
  assert.equal(stopped.lines.length, 2000, "the newest 2,000 lines are kept");
  const numbers = stopped.lines.map((l) => Number(l.text));
  assert.ok(
    numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1),
    "in order, none missing",
  );
  const dropped = Number(
    (await page.textContent("#py-dropped")).match(/^([\d,]+)/)[1].replaceAll(",", ""),
  );
  assert.equal(dropped, numbers[0] - 1, "and the note counts every line before them");
});

test("ThreadPoolExecutor says plainly that it cannot start threads, and where to go instead", async () => {
  await open();
  const result = await runPython(page, {
    source: [
      "from concurrent.futures import ThreadPoolExecutor",
      "",
      "with ThreadPoolExecutor(max_workers=2) as executor:",
      "    print(list(executor.map(abs, [-1, -2])))",
    ].join("\n"),
  });
  assert.match(result.error, /ThreadsUnavailable on line 3/);
  assert.match(result.error, /ThreadPoolExecutor cannot start threads here/);
  assert.match(result.error, /GIL switch/);
  await page.click("#py-error button:last-of-type");
  assert.equal(await page.$eval("input[name=mode][value=threads]", (el) => el.checked), true);
  assert.equal(await page.$eval("#gil", (el) => el.checked), true);
});

test("the link carries a 10,000-character program in its fragment, which no server sees", async () => {
  await open();
  // A long program, pasted (typing 10,000 characters through a driver takes minutes).
  const lines = Array.from(
    { length: 400 },
    (_, i) => `x${String(i).padStart(3, "0")} = ${i} * 2  # a comment to pad`,
  );
  const program = `${lines.join("\n")}\nprint('shared', x399)`;
  assert.ok(program.length >= 10_000, `${program.length} characters`);
  await page.evaluate((text) => {
    const box = document.getElementById("py-source");
    box.value = text;
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }, program);
  // The link is written 0.4 s after the last keystroke: wait until it holds this program.
  let hash = "";
  for (let i = 0; i < 50; i++) {
    hash = await page.evaluate(() => location.hash);
    const packed = new URLSearchParams(hash.slice(1)).get("py");
    const text = packed
      ? await page.evaluate((p) => import("./www/page/link.js").then((m) => m.unpack(p)), packed)
      : null;
    if (text === program) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(await page.evaluate(() => new URLSearchParams(location.search).has("py")), false);
  // WebKit's driver has one tab at a time: this page closes before the next opens.
  await page.close();
  page = null;
  const served = env.server.requests.length;
  const shared = await env.open({ query: hash });
  await pythonReady(shared);
  assert.equal(await shared.inputValue("#py-source"), program);
  const result = await runPython(shared);
  assert.deepEqual(mains(result), ["shared 798"]);
  const asked = env.server.requests.slice(served).map((r) => r.path);
  assert.ok(asked.length > 0 && asked.every((path) => path.length < 300), "no request carried it");
  await shared.close();
});

test("an old ?py= link still opens, and its program moves to the fragment", async () => {
  const { pack } = await import("../../www/page/link.js");
  const program = "print('old link', 6 * 7)";
  const old = await env.open({ query: `?py=${await pack(program)}` });
  await pythonReady(old);
  assert.equal(await old.inputValue("#py-source"), program);
  await old.waitForFunction(
    () => location.hash.startsWith("#py=") && !location.search.includes("py="),
  );
  await old.close();
});

test("a damaged link, and one that would inflate to 100 MiB, are explained; the page goes on", async () => {
  const broken = await env.open({ query: "#py=not*base64" });
  await broken.waitForSelector("#py-error:not([hidden])");
  assert.match(
    await broken.textContent("#py-error"),
    /could not be read .*the article's program stands in/,
  );
  await broken.waitForFunction(() =>
    document.getElementById("py-source").value.includes("ProcessPoolExecutor()"),
  );
  await broken.close();

  const { pack } = await import("../../www/page/link.js");
  const bomb = await pack("a".repeat(100 * 1024 * 1024));
  const page = await env.open({ query: `?workload=primes&size=200000&tasks=8#py=${bomb}` });
  await page.waitForSelector("#py-error:not([hidden])", { timeout: 60_000 });
  assert.match(
    await page.textContent("#py-error"),
    /could not be read \(it would unpack to more than 1 MiB of text, more than a program link may carry\); the article's program stands in/,
  );
  // Nothing else is touched: the settings of the link hold, and a run works.
  assert.equal(await page.inputValue("#size"), "200000");
  await page.waitForSelector("input[name=mode][value=process]:not([disabled])");
  await page.click("#run");
  await page.waitForSelector("#history tbody tr[data-status=done]", { timeout: 60_000 });
  await page.close();
});
