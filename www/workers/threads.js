// The thread pool's host: one worker that owns the threads flavour's shared memory and the
// rayon pool inside it. It runs a whole task list per request with par_iter, which blocks
// this worker until every task is done: the page's thread never waits on rayon. (Calling
// rayon from the page's thread, as wasm-bindgen-rayon's demo does, makes that thread spin
// while it waits, and on 2 cores 2 threads then ran slower than one.)
import init, * as threads from "../../pkg-threads/parallel_playground.js";
import { Kind } from "../engine/protocol.js";
import { serve } from "../engine/serve.js";

serve({
  async [Kind.init]({ module, threads: count }) {
    await init({ module_or_path: module });
    // Spawns `count` more workers on this memory; rayon's pool cannot be resized later.
    await threads.initThreadPool(count);
    return { memoryBytes: threads.memoryBytes(), shared: threads.memoryIsShared() };
  },

  // Outcomes come back in task order, each tagged with the rayon thread that ran it. A
  // task's error is already a wire error ({name, message}); it is never fatal here, since
  // the threads flavour catches a panic as the task's error.
  [Kind.run]({ tasks, context }) {
    const options = { scale: context.scale ?? 1, gil: Boolean(context.gil) };
    return threads
      .runThreads(tasks, options, context.channel)
      .map(({ value, error }) => ({ value, error, worker: (value ?? error).thread }));
  },

  // Every thread increments the one counter at once, behind a barrier (counter::race).
  [Kind.race]({ perThread, racy }) {
    return threads.counterRace(perThread, Boolean(racy));
  },

  // The GIL's convoy on two of the threads, under the model GIL or not (convoy::run).
  [Kind.convoy]({ plan }) {
    return threads.convoyRun(plan);
  },

  // One memory for every thread, so one counter.
  [Kind.inspect]({ reset }) {
    return {
      counter: threads.counterRead(Boolean(reset)),
      memoryBytes: threads.memoryBytes(),
      shared: threads.memoryIsShared(),
    };
  },
});
