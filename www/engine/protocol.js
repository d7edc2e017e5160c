// Page ⇄ worker messages. Requests are {id, kind, ...}; a worker answers each with
// {id, result} or {id, error}, and may send {id, event} while it works (printed lines).
// Errors cross as plain values {name, message, stack, fatal} and become Errors again here.

export const Kind = Object.freeze({
  init: "init",
  run: "run",
  inspect: "inspect",
  race: "race",
});

export function errorToWire(error) {
  return {
    name: error?.name ?? "Error",
    message: error?.message ?? String(error),
    stack: error?.stack ?? "",
    fatal: Boolean(error?.fatal),
  };
}

export function errorFromWire(wire) {
  const error = new Error(wire.message);
  error.name = wire.name;
  error.stack = wire.stack;
  error.fatal = wire.fatal;
  return error;
}

export function abortError(message = "The run was stopped") {
  return new DOMException(message, "AbortError");
}

/** What a run's `signal` aborts with when the run's timeout passes (Python: TimeoutError). */
export function timeoutError(seconds) {
  return new DOMException(`The run took longer than its timeout of ${seconds} s`, "TimeoutError");
}

/** Whether `error` ended a run on purpose (Stop or a timeout) rather than by failing. */
export function isStop(error) {
  return error?.name === "AbortError" || error?.name === "TimeoutError";
}

/** The ArrayBuffers behind typed arrays in a reply, so they move instead of being copied. */
export function transferables(outcomes) {
  return outcomes.flatMap(({ value }) =>
    value && ArrayBuffer.isView(value.pixels) && value.pixels.byteLength > 0
      ? [value.pixels.buffer]
      : [],
  );
}

/**
 * Makes the calling worker answer requests with `handlers[kind](request)`: one try/catch,
 * errors sent back as values, typed-array results moved rather than copied.
 */
export function serve(handlers) {
  self.onmessage = async ({ data }) => {
    try {
      const result = await handlers[data.kind](data);
      postMessage({ id: data.id, result }, data.kind === Kind.run ? transferables(result) : []);
    } catch (error) {
      postMessage({ id: data.id, error: errorToWire(error) });
    }
  };
}
