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

use super::{Info, Kernel};
use crate::mix::group;
use crate::task::Step;
use crate::task::{Partial, TaskOutput};

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

/// The article's program as a workload.
pub struct Sleeper;

/// The article's program, the one copy every other view of it is built from (the Python
/// panel runs it; the page's article card and this workload's Python twin quote it).
pub const ARTICLE: &str = include_str!("../../www/python/examples/article.py");

/// The article's `do_something`, as it defines it: from its `def` to the blank line after.
const DO_SOMETHING: &str = between(ARTICLE, b"def do_something", b"\n\n");

/// What the twin adds: the task that calls `do_something` over one slice of the range.
const TASK: &str = "\n\ndef task(lo, hi):\n    for seconds in range(lo, hi):\n        do_something(seconds)";

/// The Python twin, joined at compile time (no allocation, nothing run at start).
const TWIN_BYTES: [u8; DO_SOMETHING.len() + TASK.len()] = join(DO_SOMETHING, TASK);
const TWIN: &str = match std::str::from_utf8(&TWIN_BYTES) {
    Ok(text) => text,
    Err(_) => panic!("the twin is UTF-8"),
};

/// `text` from the first `from` up to (not including) the next `to` after it, or to its end.
const fn between(text: &'static str, from: &[u8], to: &[u8]) -> &'static str {
    let bytes = text.as_bytes();
    let start = match find(bytes, from, 0) {
        Some(at) => at,
        None => panic!("article.py defines do_something"),
    };
    let end = match find(bytes, to, start) {
        Some(at) => at,
        None => bytes.len(),
    };
    let (_, rest) = bytes.split_at(start);
    let (section, _) = rest.split_at(end - start);
    match std::str::from_utf8(section) {
        Ok(text) => text,
        Err(_) => panic!("the section is UTF-8"),
    }
}

/// Where `needle` first occurs in `hay` at or after `from`.
const fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while at + needle.len() <= hay.len() {
        let mut k = 0;
        while k < needle.len() && hay[at + k] == needle[k] {
            k += 1;
        }
        if k == needle.len() {
            return Some(at);
        }
        at += 1;
    }
    None
}

/// `a` then `b`, as one array of `N` (= both lengths) bytes.
const fn join<const N: usize>(a: &str, b: &str) -> [u8; N] {
    let mut out = [0; N];
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut k = 0;
    while k < a.len() {
        out[k] = a[k];
        k += 1;
    }
    while k < N {
        out[k] = b[k - a.len()];
        k += 1;
    }
    out
}

static INFO: Info = Info {
    id: "sleeper",
    label: "The article: do_something(0…29)",
    blurb: "The article's experiment: every call prints its argument, except 8 and 12, which sleep that many seconds. Sleeping uses no CPU, so even one core overlaps the sleeps.",
    size_label: "calls, range(n)",
    tasks_note: "at most one per item",
    min_size: 1,
    max_size: 1_000,
    default_size: 30,
    quick_size: 30,
    default_tasks: 30,
    benchmark: false,
    sleeps: true,
    picture: false,
    experiment: false,
    kernel_file: "sleeper.rs",
    python: TWIN,
    ns_per_unit: 0.0,
};

impl Kernel for Sleeper {
    fn info(&self) -> &'static Info {
        &INFO
    }

    fn run(&self, _size: u64, lo: u64, hi: u64, out: &mut TaskOutput) {
        out.steps = (lo..hi).flat_map(do_something).collect();
        out.partial = Partial {
            count: hi - lo,
            sum: total_sleep_ms(lo, hi),
        };
    }

    fn headline(&self, total: Partial, _size: u64) -> String {
        format!(
            "{} calls; {} s of sleeping in all",
            group(total.count),
            total.sum as f64 / 1000.0
        )
    }

    /// The sleeps are the article's seconds; a run at another scale slept for scale × as long,
    /// and says both, or "20 s of sleeping" would sit beside "Finished in 1.2 s".
    fn headline_at(&self, total: Partial, size: u64, scale: f64) -> String {
        let whole = self.headline(total, size);
        if scale == 1.0 {
            return whole;
        }
        let slept_ms = (total.sum as f64 * scale).round();
        format!(
            "{whole} at the article's 1× time; {} s at this run's {scale}×",
            slept_ms / 1000.0
        )
    }

    /// Sleeps are timers, not computation: nothing to estimate.
    fn work(&self, _size: u64) -> Box<dyn Fn(u64, u64) -> f64 + '_> {
        Box::new(|_, _| 0.0)
    }

    fn longest_sleep_ms(&self, size: u64) -> u64 {
        longest_sleep_ms(size)
    }
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
    fn the_headline_names_the_scale_it_counts_at() {
        let total = Partial {
            count: 30,
            sum: total_sleep_ms(0, 30),
        };
        assert_eq!(
            Sleeper.headline_at(total, 30, 1.0),
            "30 calls; 20 s of sleeping in all"
        );
        assert_eq!(
            Sleeper.headline_at(total, 30, 0.1),
            "30 calls; 20 s of sleeping in all at the article's 1× time; 2 s at this run's 0.1×"
        );
    }

    #[test]
    fn the_python_twin_quotes_the_articles_function_whole() {
        let twin = Sleeper.info().python;
        assert!(twin.starts_with("def do_something(seconds):\n    if seconds == 8 or seconds == 12:"));
        assert!(twin.contains("        print(seconds)\n\ndef task(lo, hi):"));
        assert!(ARTICLE.contains(DO_SOMETHING));
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
