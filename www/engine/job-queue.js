// The pool's jobs waiting for a worker, oldest first (ProcessPool in pool.js). A job is a
// chunk of tasks; `first` is its first task's place in the map, which keeps a job put back in
// task order.

export class JobQueue {
  // Read from #head: Array.shift() moves every element, and with 100,000 queued tasks that
  // made dispatching quadratic.
  #jobs = [];
  #head = 0;

  /** How many jobs wait. */
  get length() {
    return this.#jobs.length - this.#head;
  }

  get empty() {
    return this.#head === this.#jobs.length;
  }

  /** The oldest job, left in the queue. */
  peek() {
    return this.#jobs[this.#head];
  }

  /** The oldest job, taken out. */
  take() {
    const job = this.#jobs[this.#head];
    this.#jobs[this.#head++] = undefined;
    if (this.empty) this.clear();
    return job;
  }

  push(job) {
    this.#jobs.push(job);
  }

  /**
   * Puts `job` back in task order, ahead of everything not yet sent (rare: a message a worker
   * handed back, or the rest of a chunk cut short by a crash).
   */
  requeue(job) {
    let at = this.#head;
    while (at < this.#jobs.length && this.#jobs[at].first < job.first) at += 1;
    if (at === this.#head && this.#head > 0) this.#jobs[--this.#head] = job;
    else this.#jobs.splice(at, 0, job);
  }

  /** Every waiting job, taken out. */
  drain() {
    const waiting = this.#jobs.slice(this.#head);
    this.clear();
    return waiting;
  }

  clear() {
    this.#jobs = [];
    this.#head = 0;
  }
}
