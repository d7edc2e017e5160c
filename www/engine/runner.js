// Runs one task on whatever thread calls it: the page's (main-thread mode) or a worker's
// (process pool). The computation is one call into the core; the host only carries out the
// steps the core returns — print a line, sleep — since the core cannot sleep itself.
import { now } from "./measure.js";
import { abortError } from "./stop.js";

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? abortError());
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason ?? abortError());
      },
      { once: true },
    );
  });
}

/**
 * A panic ends the core's call with a PanicError carrying its report, "task N panicked: …"
 * (see `start` in src/wasm.rs); anything else that traps says only "unreachable". Either way the instance
 * may hold half-updated state, so the error is marked fatal: its host must replace the
 * instance before running more.
 */
function taskError(error, spec) {
  const panicked = error?.name === "PanicError";
  if (!panicked && !(error instanceof WebAssembly.RuntimeError)) return error;
  const wrapped = new Error(
    panicked ? error.message : `task ${spec.index} crashed its wasm instance (${error.message})`,
  );
  wrapped.name = "PanicError";
  wrapped.fatal = true;
  return wrapped;
}

/**
 * Runs `spec` with `core` and returns {index, partial, start, computed, end, pixels?}
 * (timestamps from measure.now(); in this order, which serve.js's replies counts on). `emit`
 * receives each printed line as it happens, and `{type: "sleep"}` just before each sleep.
 */
export async function runTask(core, spec, { scale = 1, signal } = {}, emit = () => {}) {
  const start = now();
  let output;
  try {
    const { workload, size, index, lo, hi, fail = false } = spec;
    output = core.runTask(workload, size, index, lo, hi, fail);
  } catch (error) {
    throw taskError(error, spec);
  }
  const computed = now();
  for (const step of output.steps) {
    if (step.kind === "print") emit({ type: "line", task: spec.index, text: step.text, at: now() });
    else if (step.kind === "sleep") {
      // Said first, so a worker can hand back what is queued behind this task (serve.js).
      emit({ type: "sleep", task: spec.index, ms: step.ms * scale });
      await sleep(step.ms * scale, signal);
    }
  }
  const value = { index: output.index, partial: output.partial, start, computed, end: now() };
  if (output.pixels) value.pixels = output.pixels;
  return value;
}
