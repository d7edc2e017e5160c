// The ProcessPool class's own contract, exercised inside the real page: map order,
// chunking, a panic replacing its worker, cancel, abort signals and shutdown. Test bodies are
// real functions run in the page (the page's CSP forbids evaluating strings, as it should).
import { test } from "node:test";
import assert from "node:assert/strict";
import { usePlayground } from "./helpers.mjs";

const env = usePlayground();

/**
 * Runs `body({pool, plan}, arg)` in the page with a fresh pool of `size` workers; `body` is
 * serialised by Playwright, so it may use only its arguments.
 */
async function withPool(size, body, arg = null) {
  const page = await env.open();
  try {
    await page.evaluate(() => {
      globalThis.ppTestPool = async (size) => {
        const { ProcessPool } = await import("./www/engine/pool.js");
        const { compileCore, instantiate } = await import("./www/engine/core.js");
        const module = await compileCore();
        const core = await instantiate(module);
        // A job {workload, size, tasks, fail_task} as settings, the shape the core plans.
        const plan = ({ workload, size, tasks, fail_task = null }) =>
          core.plan({ ...core.defaultSettings(workload, 2), size, tasks, fail: fail_task }).specs;
        return { pool: new ProcessPool({ module, size }), plan };
      };
    });
    // Playwright sends a function's source text to the browser's debugger protocol, which
    // the page's CSP does not govern; this does the same with the body and its arguments.
    return await page.evaluate(`(async () => {
      const { pool, plan } = await globalThis.ppTestPool(${size});
      try {
        return await (${body.toString()})({ pool, plan }, ${JSON.stringify(arg)});
      } finally {
        pool.shutdown();
      }
    })()`);
  } finally {
    await page.close();
  }
}

test("a map of one task resolves with its result", async () => {
  const partial = await withPool(1, async ({ pool, plan }) => {
    const [spec] = plan({ workload: "primes", size: 1000000, tasks: 1 });
    const [outcome] = await pool.map([spec]);
    // The sum is a BigInt: said as text, which every driver can bring back.
    return {
      ...outcome.value.partial,
      sum: `${typeof outcome.value.partial.sum} ${outcome.value.partial.sum}`,
    };
  });
  assert.deepEqual(partial, { count: 78498, sum: "bigint 37550402023" });
});

test("map returns results in input order, whatever the chunksize, and spreads them over workers", async () => {
  const result = await withPool(3, async ({ pool, plan }) => {
    const specs = plan({ workload: "tiny", size: 50, tasks: 50 });
    const out = [];
    for (const chunksize of [1, 4, 50]) {
      const r = await pool.map(specs, { chunksize });
      out.push({
        order: r.map((o) => o.value.index),
        workers: new Set(r.map((o) => o.worker)).size,
      });
    }
    return out;
  });
  const inOrder = Array.from({ length: 50 }, (_, i) => i);
  for (const r of result) assert.deepEqual(r.order, inOrder);
  // map() starts every worker first and hands one chunk to each idle worker at once.
  assert.equal(result[0].workers, 3, "chunksize 1 starts a task on every worker");
  assert.equal(result[2].workers, 1, "one chunk of 50 goes to one worker");
});

test("short tasks are pipelined, at most 200 messages to a worker, and every result comes back in order", async () => {
  const r = await withPool(2, async ({ pool, plan }) => {
    const specs = plan({ workload: "tiny", size: 3000, tasks: 3000 });
    // The most messages any worker had unanswered at once, during one map.
    const most = async (list, options) => {
      const open = new Map();
      let top = 0;
      const out = await pool.map(list, {
        ...options,
        onDispatch: (positions, worker) => {
          open.set(worker, (open.get(worker) ?? 0) + 1);
          top = Math.max(top, open.get(worker));
        },
        onResult: (outcome) => open.set(outcome.worker, open.get(outcome.worker) - 1),
      });
      return { out, top };
    };
    const piped = await most(specs, {});
    const alone = await most(specs.slice(0, 200), { pipeline: false });
    return {
      order: piped.out.map((o) => o.value?.index),
      messages: new Set(piped.out.map((o) => o.message)).size,
      piped: piped.top,
      alone: alone.top,
      aloneOrder: alone.out.map((o) => o.value?.index),
    };
  });
  const upTo = (n) => Array.from({ length: n }, (_, i) => i);
  assert.deepEqual(r.order, upTo(3000));
  assert.equal(r.messages, 3000, "chunksize 1: one message per task, each numbered");
  assert.ok(r.piped >= 1 && r.piped <= 200, `${r.piped} messages in flight to one worker`);
  assert.deepEqual(r.aloneOrder, upTo(200));
  assert.equal(r.alone, 1, "pipeline: false sends a worker one message at a time");
});

test("a longer task has one message waiting behind it, and only while more jobs wait than there are workers", async () => {
  const r = await withPool(2, async ({ pool, plan }) => {
    // 16 tasks of about 10 ms here: each computes for far more than the 2 ms that make a
    // task short (PIPELINE_MS), on any machine this runs on.
    const specs = plan({ workload: "primes", size: 8000000, tasks: 16 });
    const open = new Map();
    const dispatches = [];
    const out = await pool.map(specs, {
      onDispatch: (positions, worker) => {
        open.set(worker, (open.get(worker) ?? 0) + 1);
        dispatches.push({ first: positions[0], open: open.get(worker) });
      },
      onResult: (outcome) => open.set(outcome.worker, open.get(outcome.worker) - 1),
    });
    return { dispatches, order: out.map((o) => o.value?.index) };
  });
  assert.deepEqual(
    r.order,
    Array.from({ length: 16 }, (_, i) => i),
  );
  const most = Math.max(...r.dispatches.map((d) => d.open));
  assert.equal(most, 2, "a worker's first answer lets it have one message waiting");
  // Tasks leave in order, so task k leaves with 16 - k - 1 jobs still waiting on the page.
  for (const { first, open } of r.dispatches) {
    if (open === 2) assert.ok(16 - first - 1 >= 2, `task ${first} was sent to wait behind another`);
  }
  assert.equal(r.dispatches.at(-1).open, 1, "the last task goes to a worker with nothing else");
});

test("a panic with messages queued behind it fails its task only: the queued ones run elsewhere", async () => {
  const r = await withPool(2, async ({ pool, plan }) => {
    const specs = plan({ workload: "tiny", size: 400, tasks: 400, fail_task: 150 });
    const out = await pool.map(specs);
    return {
      failed: out.flatMap((o, i) => (o.error ? [i] : [])),
      order: out.map((o, i) => o.value?.index ?? i),
      respawns: pool.restarts.length,
    };
  });
  assert.deepEqual(r.failed, [150]);
  assert.deepEqual(
    r.order,
    Array.from({ length: 400 }, (_, i) => i),
  );
  assert.equal(r.respawns, 1);
});

test("a pipelined worker runs one task at a time, even while one sleeps", async () => {
  const spans = await withPool(2, async ({ pool, plan }) => {
    const specs = plan({ workload: "sleeper", size: 30, tasks: 30 });
    const out = await pool.map(specs, { context: { scale: 0.02 } });
    return out.map((o) => [o.worker, o.value.start, o.value.end]);
  });
  assert.equal(spans.length, 30);
  for (const worker of [0, 1]) {
    const mine = spans.filter(([w]) => w === worker).sort((a, b) => a[1] - b[1]);
    for (let k = 1; k < mine.length; k++) {
      assert.ok(mine[k][1] >= mine[k - 1][2], `worker ${worker} ran two tasks at once`);
    }
  }
});

test("a panic fails its task only; the worker is replaced and the rest of its chunk runs elsewhere", async () => {
  const r = await withPool(2, async ({ pool, plan }) => {
    const specs = plan({ workload: "tiny", size: 12, tasks: 12, fail_task: 5 });
    const out = await pool.map(specs, { chunksize: 4 });
    const again = await pool.map(plan({ workload: "tiny", size: 12, tasks: 12 }));
    return {
      errors: out.map((o) => (o.error ? o.error.message : null)),
      done: out.filter((o) => o.value).length,
      respawns: pool.restarts.length,
      again: again.filter((o) => o.value).length,
    };
  });
  assert.equal(r.done, 11);
  assert.match(r.errors[5], /^task 5 panicked: task 5 failed on purpose/);
  assert.equal(r.errors.filter(Boolean).length, 1);
  assert.equal(r.respawns, 1);
  assert.equal(r.again, 12, "the pool keeps working");
});

test("cancel rejects running work with AbortError and the pool starts afresh", async () => {
  const r = await withPool(2, async ({ pool, plan }) => {
    const specs = plan({ workload: "sleeper", size: 30, tasks: 30 });
    const running = pool.map(specs, { context: { scale: 1 } });
    await new Promise((ok) => setTimeout(ok, 300));
    pool.cancel();
    const error = await running.then(
      () => null,
      (e) => e.name,
    );
    const [spec] = plan({ workload: "primes", size: 100000, tasks: 1 });
    const [{ value }] = await pool.map([spec]);
    return { error, count: value.partial.count, started: pool.started };
  });
  assert.deepEqual(r, { error: "AbortError", count: 9592, started: true });
});

test("an aborted signal rejects map with its reason, before or during the run", async () => {
  const r = await withPool(2, async ({ pool, plan }) => {
    const specs = plan({ workload: "sleeper", size: 30, tasks: 30 });
    const early = new AbortController();
    early.abort(new DOMException("too late", "TimeoutError"));
    const before = await pool.map(specs, { signal: early.signal }).catch((e) => e.name);
    const during = new AbortController();
    const running = pool.map(specs, { context: { scale: 1 }, signal: during.signal });
    await new Promise((ok) => setTimeout(ok, 300));
    during.abort(new DOMException("stop", "AbortError"));
    const after = await running.catch((e) => e.name);
    const again = await pool.map(plan({ workload: "tiny", size: 4, tasks: 4 }));
    return { before, after, again: again.length };
  });
  assert.deepEqual(r, { before: "TimeoutError", after: "AbortError", again: 4 });
});

test("after shutdown the pool refuses work", async () => {
  const r = await withPool(1, async ({ pool }) => {
    pool.shutdown();
    return pool.map([]).then(
      () => "ran",
      (e) => e.message,
    );
  });
  assert.equal(r, "this pool was shut down");
});

test("a worker that goes silent while it starts fails the start, and the next start is fresh", async () => {
  const r = await withPool(1, async () => {
    const { ProcessPool } = await import("./www/engine/pool.js");
    // Says it is alive once, as every worker does on its init request, then keeps its thread
    // for a minute: what Firefox does to the thread pool's host now and then.
    const source = `self.onmessage = ({ data }) => {
      postMessage({ id: data.id, event: { type: "alive" } });
      const end = Date.now() + 60000;
      while (Date.now() < end);
    };`;
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    const frozen = new ProcessPool({ module: null, size: 1, url });
    const t0 = performance.now();
    const error = await frozen.start().then(
      () => null,
      (e) => ({ name: e.name, message: e.message }),
    );
    const waitedMs = performance.now() - t0;
    // The failed start left nothing behind (its worker is terminated, its promise dropped).
    await new Promise((ok) => setTimeout(ok, 0));
    const started = frozen.started;
    frozen.shutdown();
    return { error, waitedMs, started };
  });
  assert.equal(r.error?.name, "TimeoutError");
  assert.match(r.error.message, /^the worker stopped answering as it started \(silent \d+ s\)$/);
  assert.ok(r.waitedMs >= 4000, `gave up after ${r.waitedMs} ms, before 4 s of silence`);
  assert.equal(r.started, false);
});

test("a worker that never says a word (its script never runs) fails the start with why", async () => {
  const r = await withPool(1, async () => {
    const { ProcessPool } = await import("./www/engine/pool.js");
    // Loads, and never answers: what a worker whose script a host swallowed looks like.
    const url = URL.createObjectURL(new Blob([""], { type: "text/javascript" }));
    const mute = new ProcessPool({ module: null, size: 1, url, firstWordMs: 1000 });
    const error = await mute.start().then(
      () => null,
      (e) => ({ name: e.name, message: e.message }),
    );
    await new Promise((ok) => setTimeout(ok, 0));
    const started = mute.started;
    mute.shutdown();
    return { error, started };
  });
  assert.equal(r.error?.name, "TimeoutError");
  assert.match(
    r.error.message,
    /^the worker never answered as it started: its script did not run in \d+ s$/,
  );
  assert.equal(r.started, false);
});
