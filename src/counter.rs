//! The shared-counter experiment: one global counter in each wasm memory.
//!
//! Every task adds one per item. In the process pool each worker has its own memory and so
//! its own counter: N counts that sum to the total. Threads share one memory and one
//! counter: with `fetch_add` it reaches the total; with an unsynchronised read-modify-write
//! (load, then store) two threads can read the same value and both store value + 1, and
//! updates are lost. Processes cannot race, because nothing is shared.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

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
}
