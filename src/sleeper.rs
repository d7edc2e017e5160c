//! The article's workload, `do_something(seconds)`, as data.
//!
//! ```python
//! def do_something(seconds):
//!     if seconds == 8 or seconds == 12:
//!         print(f'Sleeping {seconds} second(s)...')
//!         time.sleep(seconds)
//!         print(f'Done sleeping...{seconds}')
//!     else:
//!         print(seconds)
//! ```
//!
//! A wasm32 thread without atomics cannot sleep, so the core does not sleep: it returns the
//! [`Step`]s the function would take and the host (page, worker or rayon thread) carries them out,
//! scaling the sleeps by its time scale. Expect `range(30)` on 2 workers to finish in a little
//! over 12 s: one worker sleeps 8 s while the other prints 9..11, then sleeps 12 s.

use crate::task::Step;

/// The arguments that sleep in the article's program; they sleep that many seconds.
pub const SLEEPERS: [u64; 2] = [8, 12];

// ANCHOR: kernel
/// What `do_something(seconds)` does, step by step.
pub fn do_something(seconds: u64) -> Vec<Step> {
    if SLEEPERS.contains(&seconds) {
        vec![
            Step::Print {
                text: format!("Sleeping {seconds} second(s)..."),
            },
            Step::Sleep { ms: seconds * 1000 },
            Step::Print {
                text: format!("Done sleeping...{seconds}"),
            },
        ]
    } else {
        vec![Step::Print {
            text: seconds.to_string(),
        }]
    }
}
// ANCHOR_END: kernel

/// Milliseconds `do_something` sleeps for each argument in `lo..hi`, in total.
pub fn total_sleep_ms(lo: u64, hi: u64) -> u64 {
    SLEEPERS
        .iter()
        .filter(|s| (lo..hi).contains(s))
        .map(|s| s * 1000)
        .sum()
}

/// The longest single sleep among the arguments `0..size`, in milliseconds: the floor under any
/// run's wall time, however many workers there are.
pub fn longest_sleep_ms(size: u64) -> u64 {
    SLEEPERS
        .iter()
        .filter(|&&s| s < size)
        .max()
        .map_or(0, |s| s * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(steps: &[Step]) -> Vec<String> {
        steps
            .iter()
            .map(|s| match s {
                Step::Print { text } => text.clone(),
                Step::Sleep { ms } => format!("<sleep {ms}>"),
            })
            .collect()
    }

    #[test]
    fn plain_argument_prints_itself() {
        assert_eq!(texts(&do_something(3)), ["3"]);
    }

    #[test]
    fn eight_and_twelve_sleep_like_the_article() {
        assert_eq!(
            texts(&do_something(8)),
            [
                "Sleeping 8 second(s)...",
                "<sleep 8000>",
                "Done sleeping...8"
            ]
        );
        assert_eq!(
            texts(&do_something(12)),
            [
                "Sleeping 12 second(s)...",
                "<sleep 12000>",
                "Done sleeping...12"
            ]
        );
    }

    #[test]
    fn sleep_totals_match_the_article() {
        assert_eq!(total_sleep_ms(0, 30), 20_000);
        assert_eq!(total_sleep_ms(9, 12), 0);
        assert_eq!(longest_sleep_ms(30), 12_000);
        assert_eq!(longest_sleep_ms(10), 8_000);
        assert_eq!(longest_sleep_ms(8), 0);
    }
}
