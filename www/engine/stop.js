// How work ends on purpose: Stop (AbortError), a run's timeout or a start that never answers
// (TimeoutError). Anything else that ends a run is a failure.

export function abortError(message = "The run was stopped") {
  return new DOMException(message, "AbortError");
}

/** What a run's `signal` aborts with when the run's timeout passes (Python: TimeoutError). */
export function timeoutError(seconds) {
  return new DOMException(`The run took longer than its timeout of ${seconds} s`, "TimeoutError");
}

/**
 * `promise`, or a TimeoutError saying `who` did not answer in `seconds`: for starts that may
 * never finish (a worker the host blocks, a thread that never reports).
 */
export function withDeadline(promise, seconds, who) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new DOMException(`${who} did not answer in ${seconds} s`, "TimeoutError")),
      seconds * 1000,
    );
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Whether `error` ended a run on purpose (Stop or a timeout) rather than by failing. */
export function isStop(error) {
  return error?.name === "AbortError" || error?.name === "TimeoutError";
}
