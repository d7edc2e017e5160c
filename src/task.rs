//! The task model every mode shares.
//!
//! A [`Job`] is what the user asked for: a workload, a problem size and a task count. It splits
//! into [`TaskSpec`]s that are self-contained, so any host (the page's thread, a worker
//! "process", a rayon thread) runs one with [`run_task`] and gets a [`TaskOutput`]. Outputs fold
//! into a [`Summary`] with [`summarize`]; its digest depends only on the job's workload and size,
//! never on the mode, the task count or the order results arrive in.

use crate::error::InputError;
use crate::mix::mix64;
pub use crate::workloads::Workload;
use serde::{Deserialize, Serialize};

/// Most tasks a job may split into: beyond this the page's bookkeeping, not the work, dominates.
pub const MAX_TASKS: u32 = 100_000;

/// A run's work: which workload, how big, and into how many tasks it is split.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// The workload.
    pub workload: Workload,
    /// Problem size; what it counts depends on the workload ([`crate::workloads::Info::size_label`]).
    pub size: u64,
    /// How many tasks the items are split into.
    pub tasks: u32,
    /// A task that should panic, to show how each mode survives a failing task.
    #[serde(default)]
    pub fail_task: Option<u32>,
}

impl Job {
    /// A job without fault injection (not yet checked: see [`Job::validate`]).
    pub fn new(workload: Workload, size: u64, tasks: u32) -> Job {
        Job {
            workload,
            size,
            tasks,
            fail_task: None,
        }
    }

    /// Checks the size and task count against the workload's bounds.
    ///
    /// # Errors
    /// [`InputError::OutOfRange`] for the first field out of bounds.
    pub fn validate(&self) -> Result<(), InputError> {
        let info = self.workload.info();
        check_range("size", self.size, info.min_size, info.max_size, "")?;
        let max = max_tasks(self.workload, self.size);
        check_range("tasks", u64::from(self.tasks), 1, max, info.tasks_note)?;
        if let Some(t) = self.fail_task {
            check_range("fail", u64::from(t), 0, u64::from(self.tasks) - 1, "")?;
        }
        Ok(())
    }

    /// The job's tasks, in order; task `i` covers items `i·n/t .. (i+1)·n/t`.
    ///
    /// # Errors
    /// The job's [`Job::validate`] error.
    pub fn specs(&self) -> Result<Vec<TaskSpec>, InputError> {
        self.validate()?;
        let items = self.workload.items(self.size);
        let tasks = u64::from(self.tasks);
        let bound = |i: u64| split_point(items, tasks, i);
        Ok((0..self.tasks)
            .map(|i| TaskSpec {
                workload: self.workload,
                size: self.size,
                index: i,
                lo: bound(u64::from(i)),
                hi: bound(u64::from(i) + 1),
                fail: self.fail_task == Some(i),
            })
            .collect())
    }
}

/// Where task `i` of `tasks` starts among `items` items: every task gets `items / tasks`
/// items, give or take one, and the split never depends on anything else.
fn split_point(items: u64, tasks: u64, i: u64) -> u64 {
    (u128::from(i) * u128::from(items) / u128::from(tasks)) as u64
}

/// The largest task count for a workload at a size: one item per task at most.
pub fn max_tasks(workload: Workload, size: u64) -> u64 {
    workload.items(size).min(u64::from(MAX_TASKS))
}

pub(crate) fn check_range(
    field: &'static str,
    value: u64,
    min: u64,
    max: u64,
    note: &'static str,
) -> Result<(), InputError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(InputError::OutOfRange {
            field,
            min,
            max,
            got: value.to_string(),
            note,
        })
    }
}

/// One task: a contiguous range of a job's items, with everything needed to run it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskSpec {
    /// The workload.
    pub workload: Workload,
    /// The job's size (Mandelbrot needs it to know the frame).
    pub size: u64,
    /// Position in the job's task list; results come back in this order.
    pub index: u32,
    /// First item.
    pub lo: u64,
    /// One past the last item.
    pub hi: u64,
    /// Panic instead of working (fault injection).
    #[serde(default)]
    pub fail: bool,
}

/// Estimates how long ranges of one job's items compute on the page's thread, before
/// anything runs: the workload's [`Kernel::work`] estimate times what one unit cost there
/// ([`Info::ns_per_unit`]). Sleeps are not counted: they are timers.
///
/// [`Kernel::work`]: crate::workloads::Kernel::work
/// [`Info::ns_per_unit`]: crate::workloads::Info::ns_per_unit
pub struct CostModel {
    items: u64,
    ns_per_unit: f64,
    work: Box<dyn Fn(u64, u64) -> f64>,
}

impl CostModel {
    /// The model for a job of `workload` at `size` (Mandelbrot samples every row once).
    pub fn new(workload: Workload, size: u64) -> CostModel {
        CostModel {
            items: workload.items(size),
            ns_per_unit: workload.info().ns_per_unit,
            work: workload.kernel().work(size),
        }
    }

    /// Estimated ms for items `lo..hi` on the page's thread.
    pub fn ms(&self, lo: u64, hi: u64) -> f64 {
        (self.work)(lo, hi) * self.ns_per_unit / 1e6
    }

    /// Estimated ms of the longest task when the job's items split into `tasks` tasks.
    pub fn longest_task_ms(&self, tasks: u32) -> f64 {
        let tasks = u64::from(tasks.max(1));
        let bound = |i: u64| split_point(self.items, tasks, i);
        (0..tasks)
            .map(|i| self.ms(bound(i), bound(i + 1)))
            .fold(0.0, f64::max)
    }
}

/// Something the host must do for a task, in order: print a line or sleep.
///
/// The core never sleeps itself; see [`crate::workloads::sleeper`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Step {
    /// Print one line to the run's output.
    Print {
        /// The line, without a newline.
        text: String,
    },
    /// Sleep, before the time scale is applied.
    Sleep {
        /// Milliseconds at time scale 1.
        ms: u64,
    },
}

/// A task's contribution to the job's digest: two counters added with wrapping arithmetic,
/// so partials combine in any order and any grouping.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partial {
    /// The workload's count: primes, hits, iterations, items or calls.
    pub count: u64,
    /// A second sum (prime sum, pixel hash, checksum); a `BigInt` on the wire since it may
    /// exceed a JavaScript number's exact range.
    #[serde(with = "bigint")]
    pub sum: u64,
}

impl std::ops::Add for Partial {
    type Output = Partial;

    /// The two partials combined (wrapping).
    fn add(self, other: Partial) -> Partial {
        Partial {
            count: self.count.wrapping_add(other.count),
            sum: self.sum.wrapping_add(other.sum),
        }
    }
}

/// What running a task produced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskOutput {
    /// The task's index in its job.
    pub index: u32,
    /// Its part of the digest.
    pub partial: Partial,
    /// Lines to print and sleeps to take, in order, after the computation.
    pub steps: Vec<Step>,
    /// RGBA rows for image workloads (Mandelbrot); a `Uint8Array` on the wire.
    #[serde(with = "serde_bytes", default, skip_serializing_if = "Vec::is_empty")]
    pub pixels: Vec<u8>,
}

/// Runs one task.
///
/// # Errors
/// [`InputError`] when the spec does not belong to a valid job (only possible for specs built
/// by hand; [`Job::specs`] never makes one).
///
/// # Panics
/// When the spec asks for it (`fail`), to demonstrate failure handling.
pub fn run_task(spec: &TaskSpec) -> Result<TaskOutput, InputError> {
    let info = spec.workload.info();
    check_range("size", spec.size, info.min_size, info.max_size, "")?;
    let items = spec.workload.items(spec.size);
    if spec.lo > spec.hi || spec.hi > items {
        return Err(InputError::OutOfRange {
            field: "task range",
            min: 0,
            max: items,
            got: format!("{}..{}", spec.lo, spec.hi),
            note: "a task covers part of its job's items",
        });
    }
    if spec.fail {
        panic!(
            "task {} failed on purpose (the fault-injection setting asked for it)",
            spec.index
        );
    }
    let mut out = TaskOutput {
        index: spec.index,
        partial: Partial::default(),
        steps: Vec::new(),
        pixels: Vec::new(),
    };
    spec.workload
        .kernel()
        .run(spec.size, spec.lo, spec.hi, &mut out);
    Ok(out)
}

/// A finished job's answer, identical in every mode and for every task count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// 16 hex digits from the workload, the size and the combined partials.
    pub digest: String,
    /// The answer in words, e.g. "78,498 primes below 1,000,000".
    pub headline: String,
}

/// Folds a job's partials (in any order) into its [`Summary`], at the article's time scale.
pub fn summarize(workload: Workload, size: u64, partials: &[Partial]) -> Summary {
    summarize_at(workload, size, 1.0, partials)
}

/// [`summarize`] for a run at time scale `scale`: the digest is the same at every scale;
/// the headline of a sleeping workload also says how long this run slept.
pub fn summarize_at(workload: Workload, size: u64, scale: f64, partials: &[Partial]) -> Summary {
    let total = partials.iter().fold(Partial::default(), |a, &p| a + p);
    let id = workload.position() as u64;
    let digest = mix64(total.sum ^ mix64(total.count ^ mix64(size ^ mix64(id))));
    Summary {
        digest: format!("{digest:016x}"),
        headline: workload.kernel().headline_at(total, size, scale),
    }
}

/// Serde adapter: a `u64` as a JavaScript `BigInt`, exact (serde-wasm-bindgen makes one of a
/// `u128`, whatever its size). It was 16 hex digits: making that string cost a worker more
/// than a tiny task's whole call into the core (0.67 µs a call with it, 0.43 without).
mod bigint {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u128(u128::from(*v))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let v = u128::deserialize(d)?;
        u64::try_from(v).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A registered workload by name.
    fn w(name: &str) -> Workload {
        Workload::named(name).unwrap()
    }

    fn digest(job: &Job) -> Summary {
        let partials: Vec<Partial> = job
            .specs()
            .unwrap()
            .iter()
            .map(|s| run_task(s).unwrap().partial)
            .collect();
        summarize(job.workload, job.size, &partials)
    }

    #[test]
    fn tasks_cover_every_item_once_in_order() {
        for (w, size, tasks) in [
            (w("primes"), 1_000, 7),
            (w("mandelbrot"), 100, 66),
            (w("tiny"), 10, 10),
        ] {
            let specs = Job::new(w, size, tasks).specs().unwrap();
            assert_eq!(specs.len(), tasks as usize);
            assert_eq!(specs[0].lo, 0);
            assert_eq!(specs.last().unwrap().hi, w.items(size));
            for pair in specs.windows(2) {
                assert_eq!(pair[0].hi, pair[1].lo);
                assert!(pair[0].lo < pair[0].hi, "no empty task");
            }
        }
    }

    #[test]
    fn digest_does_not_depend_on_task_count() {
        for w in Workload::all() {
            let size = w.info().min_size.max(40);
            let one = digest(&Job::new(w, size, 1));
            let many = digest(&Job::new(w, size, 13));
            assert_eq!(one, many, "{w:?}");
        }
    }

    #[test]
    fn digests_differ_between_sizes_and_workloads() {
        let a = digest(&Job::new(w("tiny"), 100, 1));
        let b = digest(&Job::new(w("tiny"), 101, 1));
        let c = digest(&Job::new(w("sleeper"), 100, 1));
        assert_ne!(a.digest, b.digest);
        assert_ne!(a.digest, c.digest);
    }

    #[test]
    fn primes_headline_has_the_known_answer() {
        let s = digest(&Job::new(w("primes"), 1_000_000, 8));
        assert_eq!(
            s.headline,
            "78,498 primes below 1,000,000 (their sum: 37,550,402,023)"
        );
    }

    #[test]
    fn article_job_prints_every_call_in_order() {
        let specs = Job::new(w("sleeper"), 30, 30).specs().unwrap();
        let steps: Vec<Step> = specs
            .iter()
            .flat_map(|s| run_task(s).unwrap().steps)
            .collect();
        let printed: Vec<&str> = steps
            .iter()
            .filter_map(|s| match s {
                Step::Print { text } => Some(text.as_str()),
                Step::Sleep { .. } => None,
            })
            .collect();
        assert_eq!(printed.len(), 28 + 2 * 2);
        assert_eq!(
            &printed[8..10],
            ["Sleeping 8 second(s)...", "Done sleeping...8"]
        );
        assert_eq!(printed.last(), Some(&"29"));
    }

    #[test]
    fn mandelbrot_tasks_return_their_rows() {
        let specs = Job::new(w("mandelbrot"), 30, 4).specs().unwrap();
        let total: usize = specs
            .iter()
            .map(|s| run_task(s).unwrap().pixels.len())
            .sum();
        assert_eq!(total, 4 * 30 * 20);
    }

    #[test]
    fn out_of_range_jobs_are_refused_with_the_bounds() {
        let err = Job::new(w("primes"), 10, 1).specs().unwrap_err();
        assert_eq!(
            err.to_string(),
            "size must be a whole number from 1,000 to 100,000,000 (got 10)"
        );
        let err = Job::new(w("mandelbrot"), 30, 21).specs().unwrap_err();
        assert_eq!(
            err.to_string(),
            "tasks must be a whole number from 1 to 20, at most one per row (got 21)"
        );
    }

    #[test]
    fn hand_made_specs_outside_their_job_are_refused() {
        let mut spec = Job::new(w("tiny"), 10, 1).specs().unwrap().remove(0);
        spec.hi = 11;
        assert!(run_task(&spec).is_err());
    }

    #[test]
    #[should_panic(expected = "task 2 failed on purpose")]
    fn fault_injection_panics() {
        let mut j = Job::new(w("tiny"), 10, 5);
        j.fail_task = Some(2);
        let specs = j.specs().unwrap();
        let _ = run_task(&specs[2]);
    }
}
