// The ProcessPool class's own contract, exercised inside the real page: submit, map order,
// chunking, a panic replacing its worker, cancel and shutdown.
import { test } from "node:test";
import assert from "node:assert/strict";
import { usePlayground } from "./helpers.mjs";

const env = usePlayground();

/** Runs `body(pool, plan)` in the page with a fresh pool of `size` workers. */
async function withPool(size, body) {
  const page = await env.open();
  try {
    return await page.evaluate(
      async ({ size, body }) => {
        const { ProcessPool } = await import("./www/pool.js");
        const { compileCore, instantiate } = await import("./www/core.js");
        const module = await compileCore();
        const core = await instantiate(module);
        const plan = (job) => core.plan({ fail_task: null, ...job });
        const pool = new ProcessPool({ module, size });
        try {
          return await new Function("pool", "plan", `return (async () => { ${body} })()`)(
            pool,
            plan,
          );
        } finally {
          pool.shutdown();
        }
      },
      { size, body },
    );
  } finally {
    await page.context().close();
  }
}

test("submit resolves with the task's result", async () => {
  const partial = await withPool(
    1,
    `const [spec] = plan({ workload: "primes", size: 1000000, tasks: 1 });
     return (await pool.submit(spec)).partial;`,
  );
  assert.deepEqual(partial, { count: 78498, sum: (37550402023).toString(16).padStart(16, "0") });
});

test("map returns results in input order, whatever the chunksize, and spreads them over workers", async () => {
  const result = await withPool(
    3,
    `const specs = plan({ workload: "tiny", size: 50, tasks: 50 });
     const out = [];
     for (const chunksize of [1, 4, 50]) {
       const r = await pool.map(specs, { chunksize });
       out.push({ order: r.map((o) => o.value.index), workers: new Set(r.map((o) => o.worker)).size });
     }
     return out;`,
  );
  const inOrder = Array.from({ length: 50 }, (_, i) => i);
  for (const r of result) assert.deepEqual(r.order, inOrder);
  assert.ok(result[0].workers >= 2, "chunksize 1 uses more than one worker");
  assert.equal(result[2].workers, 1, "one chunk of 50 goes to one worker");
});

test("a panic fails its task only; the worker is replaced and the rest of its chunk runs elsewhere", async () => {
  const r = await withPool(
    2,
    `const specs = plan({ workload: "tiny", size: 12, tasks: 12, fail_task: 5 });
     const out = await pool.map(specs, { chunksize: 4 });
     const again = await pool.map(plan({ workload: "tiny", size: 12, tasks: 12 }));
     return {
       errors: out.map((o) => (o.error ? o.error.message : null)),
       done: out.filter((o) => o.value).length,
       respawns: pool.respawns,
       again: again.filter((o) => o.value).length,
     };`,
  );
  assert.equal(r.done, 11);
  assert.match(r.errors[5], /^task 5 panicked: task 5 failed on purpose/);
  assert.equal(r.errors.filter(Boolean).length, 1);
  assert.equal(r.respawns, 1);
  assert.equal(r.again, 12, "the pool keeps working");
});

test("cancel rejects running work with AbortError and the pool starts afresh", async () => {
  const r = await withPool(
    2,
    `const specs = plan({ workload: "sleeper", size: 30, tasks: 30 });
     const running = pool.map(specs, { context: { scale: 1 } });
     await new Promise((ok) => setTimeout(ok, 300));
     pool.cancel();
     const error = await running.then(() => null, (e) => e.name);
     const [spec] = plan({ workload: "primes", size: 100000, tasks: 1 });
     const value = await pool.submit(spec);
     return { error, count: value.partial.count, started: pool.started };`,
  );
  assert.deepEqual(r, { error: "AbortError", count: 9592, started: true });
});

test("after shutdown the pool refuses work", async () => {
  const r = await withPool(
    1,
    `pool.shutdown();
     return pool.map([]).then(() => "ran", (e) => e.message);`,
  );
  assert.equal(r, "this pool was shut down");
});
