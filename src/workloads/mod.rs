//! Every workload the playground runs, each described in one file: its facts ([`Info`]),
//! its kernel, what a task prints, its answer in words and an estimate of its cost. Adding a
//! workload means adding its file and one line to [`REGISTRY`]; the page, the build and the
//! tools learn everything else from here.

use crate::error::InputError;
use crate::task::{Partial, TaskOutput};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Declares each workload's module and lists its kernels in [`REGISTRY`], so that a new
/// workload is one line here (and its own file).
macro_rules! registry {
    ($($module:ident: [$($kernel:expr),+],)+) => {
        $(pub mod $module;)+
        /// Every workload, in menu order, the experiments last. The order is part of each
        /// digest, so a new workload goes at the end.
        pub static REGISTRY: &[&dyn Kernel] = &[$($({
            use self::$module::*;
            &$kernel as &dyn Kernel
        }),+),+];
    };
}

registry! {
    sleeper: [Sleeper],
    primes: [Primes],
    mandelbrot: [Mandelbrot],
    montecarlo: [MonteCarlo],
    tiny: [Tiny],
    counter: [Counter { racy: false }, Counter { racy: true }],
}

/// What the page, the build and the tools need to know of a workload.
#[derive(Clone, Debug, Serialize)]
pub struct Info {
    /// The name in URLs and on the wire (`"primes"`).
    pub id: &'static str,
    /// Short name for menus.
    pub label: &'static str,
    /// One sentence on what it does and what it teaches.
    pub blurb: &'static str,
    /// What `size` counts, for the size field's label.
    pub size_label: &'static str,
    /// How the task count is bounded, for its message: `"at most one per row"`.
    pub tasks_note: &'static str,
    /// Smallest allowed size.
    pub min_size: u64,
    /// Largest allowed size: about a minute on the page's thread on a 2020s laptop.
    pub max_size: u64,
    /// Size the page starts with.
    pub default_size: u64,
    /// Size `build.sh bench --quick` uses.
    pub quick_size: u64,
    /// Task count the page starts with.
    pub default_tasks: u32,
    /// Whether a series of it is a benchmark (a warm-up and 3 repeats) rather than a
    /// program run once, as the article runs its own.
    pub benchmark: bool,
    /// Whether its tasks sleep, so the time scale matters.
    pub sleeps: bool,
    /// Whether its tasks return pixels to draw.
    pub picture: bool,
    /// An experiment with its own card (the shared counter), not a menu entry.
    pub experiment: bool,
    /// Its source file under `src/workloads/`, whose `ANCHOR: kernel` part the page shows.
    pub kernel_file: &'static str,
    /// The same task in Python, for the page's code pane: module-level set-up then
    /// `def task(lo, hi)`. `{size}` and `{items}` stand for the job's size and item count.
    pub python: &'static str,
    /// What one unit of [`Kernel::work`] costs on the page's thread, in ns: wasm in Debian's
    /// Chromium 156 on this project's 2-core reference machine, the default size run on the
    /// main thread divided by its estimated units, rounded up.
    pub ns_per_unit: f64,
}

/// A workload's behaviour. Implementations are unit structs registered in [`REGISTRY`].
pub trait Kernel: Sync {
    /// Its facts.
    fn info(&self) -> &'static Info;

    /// How many items a job of `size` splits into tasks: numbers, rows, points or calls.
    fn items(&self, size: u64) -> u64 {
        size
    }

    /// Runs items `lo..hi` of a job of `size`, filling `out`'s partial, steps and pixels.
    fn run(&self, size: u64, lo: u64, hi: u64, out: &mut TaskOutput);

    /// The job's answer in words, from its combined partials.
    fn headline(&self, total: Partial, size: u64) -> String;

    /// The answer for a run at time scale `scale` (1 is the article's time). Only an answer
    /// that counts time asleep depends on it, and then it must say which time it counts.
    fn headline_at(&self, total: Partial, size: u64, _scale: f64) -> String {
        self.headline(total, size)
    }

    /// Estimated units of work for items `lo..hi` of a job of `size` (see
    /// [`Info::ns_per_unit`]). Called once per job, so a kernel may sample the job first.
    fn work(&self, size: u64) -> Box<dyn Fn(u64, u64) -> f64 + '_> {
        let _ = size;
        Box::new(|lo, hi| hi.saturating_sub(lo) as f64)
    }

    /// The longest single sleep in a job of `size`, in ms at time scale 1: the floor under
    /// its wall time whatever the pool.
    fn longest_sleep_ms(&self, size: u64) -> u64 {
        let _ = size;
        0
    }
}

/// A registered workload: a handle on its [`Kernel`], named by [`Info::id`] on the wire.
#[derive(Clone, Copy)]
pub struct Workload(&'static dyn Kernel);

impl Workload {
    /// Every workload, in [`REGISTRY`] order.
    pub fn all() -> impl Iterator<Item = Workload> {
        REGISTRY.iter().map(|&k| Workload(k))
    }

    /// The workload called `name`, if there is one.
    pub fn named(name: &str) -> Option<Workload> {
        Workload::all().find(|w| w.name() == name.trim())
    }

    /// Parses a workload name as [`Workload::name`] prints it.
    ///
    /// # Errors
    /// [`InputError::UnknownChoice`] naming the valid workloads.
    pub fn parse(text: &str) -> Result<Workload, InputError> {
        Workload::named(text).ok_or_else(|| InputError::UnknownChoice {
            field: "workload",
            got: text.to_string(),
            choices: Workload::all().map(Workload::name).collect(),
        })
    }

    /// The workload the page starts with: the first in the menu (the article's).
    pub fn first() -> Workload {
        Workload(REGISTRY[0])
    }

    /// Its name on the wire and in URLs.
    pub fn name(self) -> &'static str {
        self.0.info().id
    }

    /// Its facts.
    pub fn info(self) -> &'static Info {
        self.0.info()
    }

    /// Its behaviour.
    pub fn kernel(self) -> &'static dyn Kernel {
        self.0
    }

    /// How many items a job of `size` splits into.
    pub fn items(self, size: u64) -> u64 {
        self.0.items(size)
    }

    /// Its position in [`REGISTRY`], part of every digest.
    pub fn position(self) -> usize {
        Workload::all().position(|w| w == self).unwrap_or(0)
    }
}

impl PartialEq for Workload {
    fn eq(&self, other: &Workload) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Workload {}

impl fmt::Debug for Workload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Workload {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Workload {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Workload, D::Error> {
        let name = String::deserialize(d)?;
        Workload::parse(&name).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let names: Vec<&str> = Workload::all().map(Workload::name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len(), "{names:?}");
        for w in Workload::all() {
            assert_eq!(Workload::parse(w.name()), Ok(w));
        }
        assert_eq!(
            Workload::parse("gpu").unwrap_err().to_string(),
            format!("workload must be one of {} (got \"gpu\")", names.join(", "))
        );
        assert_eq!(names[..2], ["sleeper", "primes"], "the article comes first");
    }

    #[test]
    fn every_workload_says_what_the_page_needs() {
        for w in Workload::all() {
            let i = w.info();
            assert!(
                i.min_size <= i.default_size && i.default_size <= i.max_size,
                "{w:?}"
            );
            assert!(
                i.min_size <= i.quick_size && i.quick_size <= i.max_size,
                "{w:?}"
            );
            assert!(i.python.contains("def task(lo, hi)"), "{w:?}");
            assert!(i.kernel_file.ends_with(".rs"), "{w:?}");
            let source = std::fs::read_to_string(format!("src/workloads/{}", i.kernel_file))
                .expect("the kernel file exists");
            assert!(source.contains("// ANCHOR: kernel"), "{w:?}");
        }
    }
}
