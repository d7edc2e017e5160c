// The page's side of a request: every request sent to a worker waits in one RequestTable
// until its answer (protocol.js reply / failure) settles it. ProcessPool and PythonSession
// keep theirs here (the pool's run messages, answered by the thousand, it follows itself).
import { errorFromWire } from "./protocol.js";

export class RequestTable {
  #open = new Map();
  #nextId = 1;

  /** A fresh request id. */
  nextId() {
    return this.#nextId++;
  }

  /**
   * Waits for the answer to request `id`; `post({id, ...message})` sends it. `about` is kept
   * with the request (e.g. which worker has it); `about.onEvent(event)` hears its events.
   */
  ask(message, post, about = {}, id = this.nextId()) {
    return new Promise((resolve, reject) => {
      this.#open.set(id, { ...about, resolve, reject });
      post({ id, ...message });
    });
  }

  /** Settles the request an answer is for; false if none waits (it was cancelled). */
  settle({ id, result, error, event }) {
    const open = this.#open.get(id);
    if (!open) return false;
    if (event) {
      open.onEvent?.(event);
      return true;
    }
    this.#open.delete(id);
    if (error) open.reject(errorFromWire(error));
    else open.resolve(result);
    return true;
  }

  /** Forgets request `id` unanswered; whether it was waiting. */
  forget(id) {
    return this.#open.delete(id);
  }

  /** The waiting requests, [id, {resolve, reject, ...about}], oldest first. */
  entries() {
    return [...this.#open.entries()];
  }

  /** Rejects every waiting request with `reason` and forgets it. */
  rejectAll(reason) {
    for (const { reject } of this.#open.values()) reject(reason);
    this.#open.clear();
  }
}
