// workerpool's worker with one method that does nothing: its own per-task cost, and no more.
importScripts("workerpool.min.js");
workerpool.worker({ noop: (i) => i });
