//! Whole task lists in one call, for hosts that cannot step in between tasks: rayon's threads
//! run a `par_iter` to the end, so the core itself must carry out each task's steps (print,
//! sleep) and time it. The sequential and parallel runners differ by one adapter (`iter` vs
//! `par_iter`); both call [`run_hosted_one`].
//!
//! The optional lock models CPython's global interpreter lock: a task holds it while it
//! computes or prints and releases it while it sleeps, so computation is serialised and
//! sleeps overlap. (CPython hands its lock over every 5 ms; this one is held for a task's
//! whole computation. Either way, only one thread computes at a time.)

use crate::task::{run_task, Partial, Step, TaskSpec};
use serde::Serialize;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// What a thread running tasks needs from its environment.
pub trait Host: Sync {
    /// Milliseconds on a clock every thread shares.
    fn now(&self) -> f64;
    /// Shows a line the moment a task prints it.
    fn print(&self, task: u32, thread: usize, text: &str, at: f64);
    /// Blocks the calling thread for `ms` milliseconds.
    fn sleep(&self, ms: f64);
    /// Hears how each task ended, as it ends, for live progress.
    fn finished(&self, _outcome: &Outcome) {}
}

/// How to run a task list.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Deserialize)]
pub struct Options {
    /// Multiplier for sleeps (1 = the article's seconds).
    pub scale: f64,
    /// Hold the model GIL while computing and printing.
    pub gil: bool,
}

/// A task that ran, with its timings (ms on the host's clock).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ran {
    /// The task's index in its job.
    pub index: u32,
    /// Its part of the digest.
    pub partial: Partial,
    /// Image rows, for Mandelbrot.
    #[serde(with = "serde_bytes", skip_serializing_if = "Vec::is_empty")]
    pub pixels: Vec<u8>,
    /// The thread that ran it (rayon's index).
    pub thread: usize,
    /// When it asked for the lock (equal to `start` without the GIL model).
    pub requested: f64,
    /// When it started computing.
    pub start: f64,
    /// When the computation finished, before its steps.
    pub computed: f64,
    /// When its last step finished.
    pub end: f64,
    /// Every line it printed, in order. A host that shows lines live may miss the last few
    /// in flight when the run ends (the threads flavour's channel); it fills in from here.
    pub lines: Vec<Printed>,
}

/// A line a task printed, and when (ms on the host's clock).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Printed {
    /// The line, without its newline.
    pub text: String,
    /// When it was printed.
    pub at: f64,
    /// When it asked for the lock to print (equal to `at` without the GIL model): under the
    /// GIL a task that has computed may wait here while another computes, and that wait is
    /// not computing.
    pub asked: f64,
}

/// Why a task produced no result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// `PanicError` for a panic, `InputError` for an invalid spec.
    pub name: &'static str,
    /// What happened, for the user.
    pub message: String,
    /// The failed task's index.
    pub index: u32,
    /// The thread it failed on.
    pub thread: usize,
}

/// One task's outcome: `{"value": Ran}` or `{"error": Failure}` on the wire.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The task ran.
    Value(Ran),
    /// The task failed; the others are unaffected.
    Error(Failure),
}

static GIL: Mutex<()> = Mutex::new(());

fn gil(options: Options) -> Option<MutexGuard<'static, ()>> {
    // A task that panicked while holding the lock poisons it; the lock itself is still fine.
    options
        .gil
        .then(|| GIL.lock().unwrap_or_else(PoisonError::into_inner))
}

/// How every mode reports a task's panic: the page's, a process's and a thread's alike.
pub fn panic_report(index: u32, message: &str) -> String {
    format!("task {index} panicked: {message}")
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// Runs one task on the calling thread, carrying out its steps; a panic becomes a
/// [`Failure`] (where panics unwind: natively and in the threads flavour).
pub fn run_hosted_one(
    spec: &TaskSpec,
    options: Options,
    host: &dyn Host,
    thread: usize,
) -> Outcome {
    let outcome = run_steps(spec, options, host, thread);
    host.finished(&outcome);
    outcome
}

fn run_steps(spec: &TaskSpec, options: Options, host: &dyn Host, thread: usize) -> Outcome {
    let asked = host.now();
    let held = gil(options);
    let start = host.now();
    // Without the model GIL nothing is waited for.
    let requested = if options.gil { asked } else { start };

    let result = catch_unwind(AssertUnwindSafe(|| run_task(spec)));
    let computed = host.now();
    drop(held);
    let output = match result {
        Ok(Ok(output)) => output,
        Ok(Err(e)) => {
            return Outcome::Error(Failure {
                name: "InputError",
                message: e.to_string(),
                index: spec.index,
                thread,
            })
        }
        Err(payload) => {
            return Outcome::Error(Failure {
                name: "PanicError",
                message: panic_report(spec.index, &panic_message(&*payload)),
                index: spec.index,
                thread,
            })
        }
    };
    let mut lines = Vec::new();
    for step in &output.steps {
        match step {
            Step::Print { text } => {
                let asked = host.now();
                let _held = gil(options);
                let at = host.now();
                host.print(spec.index, thread, text, at);
                lines.push(Printed {
                    text: text.clone(),
                    at,
                    asked: if options.gil { asked } else { at },
                });
            }
            // Sleeping releases the GIL, as time.sleep does in CPython.
            Step::Sleep { ms } => host.sleep(*ms as f64 * options.scale),
        }
    }
    Outcome::Value(Ran {
        index: output.index,
        partial: output.partial,
        pixels: output.pixels,
        thread,
        requested,
        start,
        computed,
        end: host.now(),
        lines,
    })
}

/// Runs every task in order on the calling thread.
pub fn run_hosted(specs: &[TaskSpec], options: Options, host: &dyn Host) -> Vec<Outcome> {
    specs
        .iter()
        .map(|spec| run_hosted_one(spec, options, host, 0))
        .collect()
}

/// Runs the tasks on rayon's pool; outcomes come back in task order, as with [`run_hosted`].
#[cfg(any(test, feature = "threads"))]
pub fn run_hosted_par(specs: &[TaskSpec], options: Options, host: &dyn Host) -> Vec<Outcome> {
    use rayon::prelude::*;
    // One task per rayon job, so an idle thread can always take the next task (as the process
    // pool's workers do), rather than rayon splitting the list into halves up front.
    specs
        .par_iter()
        .with_max_len(1)
        .map(|spec| {
            let thread = rayon::current_thread_index().unwrap_or(0);
            run_hosted_one(spec, options, host, thread)
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A registered workload by name.
    fn w(name: &str) -> Workload {
        Workload::named(name).unwrap()
    }
    use crate::task::{Job, Workload};
    use std::time::{Duration, Instant};

    /// A native host: a monotonic clock, lines collected in order, real sleeps.
    pub struct TestHost {
        origin: Instant,
        pub lines: Mutex<Vec<(u32, String)>>,
        pub finished: Mutex<Vec<(u32, bool)>>,
    }

    impl TestHost {
        pub fn new() -> TestHost {
            TestHost {
                origin: Instant::now(),
                lines: Mutex::new(Vec::new()),
                finished: Mutex::new(Vec::new()),
            }
        }
    }

    impl Host for TestHost {
        fn now(&self) -> f64 {
            self.origin.elapsed().as_secs_f64() * 1e3
        }
        fn print(&self, task: u32, _thread: usize, text: &str, _at: f64) {
            self.lines.lock().unwrap().push((task, text.to_string()));
        }
        fn sleep(&self, ms: f64) {
            std::thread::sleep(Duration::from_secs_f64(ms / 1e3));
        }
        fn finished(&self, outcome: &Outcome) {
            let heard = match outcome {
                Outcome::Value(r) => (r.index, true),
                Outcome::Error(f) => (f.index, false),
            };
            self.finished.lock().unwrap().push(heard);
        }
    }

    fn partials(outcomes: &[Outcome]) -> Vec<Option<Partial>> {
        outcomes
            .iter()
            .map(|o| match o {
                Outcome::Value(r) => Some(r.partial),
                Outcome::Error(_) => None,
            })
            .collect()
    }

    const FAST: Options = Options {
        scale: 0.001,
        gil: false,
    };

    #[test]
    fn parallel_equals_sequential_for_every_workload() {
        for w in Workload::all() {
            let size = w.info().quick_size.min(200_000);
            let specs = Job::new(w, size, 24).specs().unwrap();
            let seq = run_hosted(&specs, FAST, &TestHost::new());
            let par = run_hosted_par(&specs, FAST, &TestHost::new());
            assert_eq!(partials(&seq), partials(&par), "{w:?}");
            assert!(seq.iter().all(|o| matches!(o, Outcome::Value(_))));
        }
    }

    #[test]
    fn the_gil_changes_timing_not_answers() {
        let specs = Job::new(w("primes"), 300_000, 16).specs().unwrap();
        let free = run_hosted_par(&specs, FAST, &TestHost::new());
        let gil = Options { gil: true, ..FAST };
        let locked = run_hosted_par(&specs, gil, &TestHost::new());
        assert_eq!(partials(&free), partials(&locked));
    }

    #[test]
    fn under_the_gil_computations_never_overlap() {
        let specs = Job::new(w("primes"), 400_000, 12).specs().unwrap();
        let gil = Options { gil: true, ..FAST };
        let mut spans: Vec<(f64, f64)> = run_hosted_par(&specs, gil, &TestHost::new())
            .into_iter()
            .map(|o| match o {
                Outcome::Value(r) => (r.start, r.computed),
                Outcome::Error(f) => panic!("{f:?}"),
            })
            .collect();
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        for pair in spans.windows(2) {
            assert!(pair[0].1 <= pair[1].0, "{pair:?} overlap");
        }
    }

    #[test]
    fn a_line_waits_for_the_gil_only_under_it() {
        let specs = Job::new(w("primes"), 200_000, 8).specs().unwrap();
        for gil in [false, true] {
            let options = Options { gil, ..FAST };
            for outcome in run_hosted_par(&specs, options, &TestHost::new()) {
                let Outcome::Value(ran) = outcome else {
                    panic!("{outcome:?}")
                };
                assert!(!ran.lines.is_empty());
                for line in &ran.lines {
                    assert!(
                        ran.computed <= line.asked && line.asked <= line.at,
                        "{line:?}"
                    );
                    if !gil {
                        assert_eq!(line.asked, line.at, "nothing to wait for");
                    }
                }
            }
        }
    }

    #[test]
    fn sleeps_overlap_even_under_the_gil() {
        // Calls 8 and 12 sleep 80 and 120 ms at scale 0.01. Under the model GIL they still
        // sleep at the same time, because sleeping releases the lock.
        let specs: Vec<_> = Job::new(w("sleeper"), 13, 13)
            .specs()
            .unwrap()
            .into_iter()
            .filter(|s| s.lo == 8 || s.lo == 12)
            .collect();
        let host = TestHost::new();
        let gil = Options {
            scale: 0.01,
            gil: true,
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let sleeps: Vec<(f64, f64)> = pool
            .install(|| run_hosted_par(&specs, gil, &host))
            .into_iter()
            .map(|o| match o {
                Outcome::Value(r) => (r.computed, r.end),
                Outcome::Error(f) => panic!("{f:?}"),
            })
            .collect();
        let (a, b) = (sleeps[0], sleeps[1]);
        assert!(
            a.0 < b.1 && b.0 < a.1,
            "sleeps {a:?} and {b:?} did not overlap"
        );
        assert_eq!(host.lines.lock().unwrap().len(), 4);
    }

    #[test]
    fn a_panicking_task_fails_alone() {
        let mut j = Job::new(w("tiny"), 40, 8);
        j.fail_task = Some(5);
        let host = TestHost::new();
        let outcomes = run_hosted_par(&j.specs().unwrap(), FAST, &host);
        let mut heard = host.finished.lock().unwrap().clone();
        heard.sort();
        let expected: Vec<(u32, bool)> = (0..8).map(|i| (i, i != 5)).collect();
        assert_eq!(
            heard, expected,
            "the host hears of every task, failed or not"
        );
        for (i, o) in outcomes.iter().enumerate() {
            match o {
                Outcome::Error(f) => {
                    assert_eq!(i, 5);
                    assert_eq!(f.name, "PanicError");
                    assert!(f
                        .message
                        .starts_with("task 5 panicked: task 5 failed on purpose"));
                }
                Outcome::Value(r) => assert_eq!(r.index as usize, i),
            }
        }
        let ok = Options { gil: true, ..FAST };
        j.fail_task = Some(0);
        let after = run_hosted(&j.specs().unwrap(), ok, &TestHost::new());
        assert!(
            matches!(after[0], Outcome::Error(_)),
            "the panic poisoned nothing"
        );
        assert!(matches!(after[1], Outcome::Value(_)));
    }

    #[test]
    fn printed_lines_are_shown_live_and_kept() {
        let specs = Job::new(w("sleeper"), 30, 5).specs().unwrap();
        let host = TestHost::new();
        let outcomes = run_hosted(&specs, FAST, &host);
        let kept: Vec<(u32, String)> = outcomes
            .iter()
            .flat_map(|o| match o {
                Outcome::Value(r) => r.lines.iter().map(|l| (r.index, l.text.clone())).collect(),
                Outcome::Error(_) => vec![],
            })
            .collect();
        assert_eq!(kept.len(), 32);
        assert_eq!(
            *host.lines.lock().unwrap(),
            kept,
            "live and kept agree, in order"
        );
        assert_eq!(kept[8].1, "Sleeping 8 second(s)...");
    }
}
