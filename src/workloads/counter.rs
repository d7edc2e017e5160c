//! The shared-counter experiment: one global counter in each wasm memory.
//!
//! Every task adds one per item. In the process pool each worker has its own memory and so
//! its own counter: N counts that sum to the total. Threads share one memory and one
//! counter: with `fetch_add` it reaches the total; with an unsynchronised read-modify-write
//! (load, then store) two threads can read the same value and both store value + 1, and
//! updates are lost. Processes cannot race, because nothing is shared.

use super::{Info, Kernel};
use crate::mix::group;
use crate::task::{Partial, TaskOutput};
use serde::Serialize;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Barrier;

// ANCHOR: kernel
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Adds `n` to this memory's counter, one increment at a time; `racy` uses a separate load
/// and store, which loses updates when threads interleave.
pub fn add(n: u64, racy: bool) {
    for _ in 0..n {
        if racy {
            // black_box keeps the compiler from fusing the loop into one store of v + n.
            let v = black_box(COUNTER.load(Relaxed));
            COUNTER.store(v + 1, Relaxed);
        } else {
            COUNTER.fetch_add(1, Relaxed);
        }
    }
}
// ANCHOR_END: kernel

/// The counter's value, then resets it to zero if `reset`.
pub fn read(reset: bool) -> u64 {
    if reset {
        COUNTER.swap(0, Relaxed)
    } else {
        COUNTER.load(Relaxed)
    }
}

/// Most rounds [`race`] runs while looking for a lost update.
pub const MAX_ROUNDS: u32 = 20;

/// What [`race`] saw: the last round's count against what was asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Race {
    /// Threads that counted at once, in one memory.
    pub threads: u32,
    /// Increments each thread made per round.
    pub per_thread: u64,
    /// `threads × per_thread`: what the counter reads if no update is lost.
    pub expected: u64,
    /// What the counter read after the last round.
    pub counted: u64,
    /// Rounds run: 1 for `fetch_add` or one thread; for load-then-store on two or more,
    /// until a round lost an update or [`MAX_ROUNDS`] ran without a loss.
    pub rounds: u32,
    /// Whether the increments were load-then-store.
    pub racy: bool,
}

/// Counts `per_thread` increments on each of `threads` threads sharing this memory's counter.
///
/// `on_every_thread` must call the closure it is given once on each of `threads` distinct
/// threads, all at the same time (rayon's `broadcast`, or `std::thread::scope`). The threads
/// wait at a barrier and start their loops together: a race needs overlap, and without the
/// barrier one thread could finish before the other started and lose nothing by luck. A
/// racy round that loses nothing is run again, up to [`MAX_ROUNDS`] rounds, and the result
/// says how many it took; whether updates are lost is still the scheduler's call.
pub fn race(
    threads: u32,
    per_thread: u64,
    racy: bool,
    on_every_thread: &dyn Fn(&(dyn Fn() + Sync)),
) -> Race {
    let expected = u64::from(threads) * per_thread;
    let mut result = Race {
        threads,
        per_thread,
        expected,
        counted: 0,
        rounds: 0,
        racy,
    };
    while result.rounds < MAX_ROUNDS {
        result.rounds += 1;
        read(true);
        let start = Barrier::new(threads as usize);
        on_every_thread(&|| {
            start.wait();
            add(per_thread, racy);
        });
        result.counted = read(true);
        // One thread cannot race with itself, so only two or more get another round.
        if !racy || threads < 2 || result.counted != expected {
            break;
        }
    }
    result
}

/// The shared-counter experiment's tasks: `fetch_add` or, with `racy`, load-then-store.
pub struct Counter {
    /// Load, then store: loses updates when threads interleave.
    pub racy: bool,
}

const PYTHON: &str = "counter = 0

def task(lo, hi):
    global counter
    for _ in range(lo, hi):
        counter += 1  # not atomic: even CPython threads can lose updates";

static ATOMIC: Info = Info {
    id: "counter",
    label: "Shared counter, fetch_add",
    blurb: "Every item adds one to a global counter in wasm memory with an atomic fetch_add.",
    size_label: "increments",
    tasks_note: "at most one per item",
    min_size: 1,
    max_size: 1_000_000_000,
    default_size: 4_000_000,
    quick_size: 1_000_000,
    default_tasks: 64,
    benchmark: false,
    sleeps: false,
    picture: false,
    experiment: true,
    kernel_file: "counter.rs",
    python: PYTHON,
    ns_per_unit: 1.0,
};

static RACY: Info = Info {
    id: "racy",
    label: "Shared counter, load then store",
    blurb: "Every item adds one to a global counter by loading it and storing the value plus one: a race when memory is shared.",
    ..ATOMIC
};

impl Kernel for Counter {
    fn info(&self) -> &'static Info {
        if self.racy {
            &RACY
        } else {
            &ATOMIC
        }
    }

    fn run(&self, _size: u64, lo: u64, hi: u64, out: &mut TaskOutput) {
        // The digest counts the increments asked for; what the counter saw is read from
        // each memory afterwards (read), which is the experiment.
        add(hi - lo, self.racy);
        out.partial = Partial {
            count: hi - lo,
            sum: 0,
        };
    }

    fn headline(&self, total: Partial, _size: u64) -> String {
        format!("{} increments", group(total.count))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Runs `f` on `n` fresh threads at once, as rayon's broadcast does on its pool.
    fn on_threads(n: u32) -> impl Fn(&(dyn Fn() + Sync)) {
        move |f| {
            std::thread::scope(|s| {
                for _ in 0..n {
                    s.spawn(f);
                }
            })
        }
    }

    // The counter is global: tests that touch it take turns.
    static SERIAL: Mutex<()> = Mutex::new(());

    #[test]
    fn one_thread_counts_exactly_either_way() {
        let _turn = SERIAL.lock().unwrap();
        read(true);
        add(1000, false);
        add(1000, true);
        assert_eq!(read(true), 2000);
        assert_eq!(read(false), 0);
    }

    #[test]
    fn fetch_add_never_loses_updates_across_threads() {
        let _turn = SERIAL.lock().unwrap();
        read(true);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| add(250_000, false));
            }
        });
        assert_eq!(read(true), 1_000_000);
    }

    #[test]
    fn racy_increments_never_gain() {
        // Whether updates are lost depends on the scheduler, so only the bound is certain
        // here; the browser tests show the loss on two real threads.
        let _turn = SERIAL.lock().unwrap();
        read(true);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| add(250_000, true));
            }
        });
        let n = read(true);
        assert!((250_000..=1_000_000).contains(&n), "{n}");
    }

    #[test]
    fn an_atomic_race_is_exact_in_one_round() {
        let _turn = SERIAL.lock().unwrap();
        let r = race(3, 100_000, false, &on_threads(3));
        assert_eq!((r.counted, r.expected, r.rounds), (300_000, 300_000, 1));
        assert_eq!(read(false), 0, "the counter is left at zero");
    }

    #[test]
    fn a_racy_race_stops_at_its_first_loss_or_its_last_round() {
        // Whether a round loses updates is the scheduler's call; what is certain is that it
        // never gains, and that the rounds stop at the first loss or at the bound.
        let _turn = SERIAL.lock().unwrap();
        let r = race(2, 200_000, true, &on_threads(2));
        assert!(r.counted <= r.expected && r.counted > 0, "{r:?}");
        assert!((1..=MAX_ROUNDS).contains(&r.rounds));
        assert!(r.counted < r.expected || r.rounds == MAX_ROUNDS, "{r:?}");
        // One thread alone cannot race: one round, exact.
        let alone = race(1, 200_000, true, &on_threads(1));
        assert_eq!((alone.counted, alone.rounds), (200_000, 1));
    }
}
