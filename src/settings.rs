//! Every setting of a run, parsed from text: the form's fields and the URL's parameters go
//! through the same [`parse`], so both give the same messages for the same mistakes.

use crate::error::{Got, InputError};
use crate::mix::group;
use crate::task::{check_range, max_tasks, CostModel, Job, Workload};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;

/// Most workers a process pool may have: past this a browser tab mostly thrashes.
pub const MAX_WORKERS: u32 = 64;

/// Most measured repeats per run.
pub const MAX_REPEATS: u32 = 20;

/// Longest one task may compute on the page's thread, in ms (estimated before the run): the
/// page cannot paint or hear Stop while a task runs there, only between tasks.
pub const MAIN_TASK_LIMIT_MS: f64 = 3_000.0;

/// Longest per-run timeout, in seconds (an hour).
pub const MAX_TIMEOUT_S: f64 = 3_600.0;

/// Every setting's name, in the order [`parse`] reads them: the form's field names and the
/// URL's parameters.
pub const NAMES: [&str; 12] = [
    "workload",
    "size",
    "tasks",
    "chunksize",
    "mode",
    "workers",
    "gil",
    "scale",
    "repeats",
    "warmup",
    "fail",
    "timeout",
];

/// URL parameters the page reads itself (not run settings), which [`parse`] leaves alone:
/// `isolate=0` opts out of the service worker; `embed=1` asks for the compact layout for an
/// iframe in a blog post; `py` carries the Python panel's program (compressed); `author` the
/// result the link's author measured (www/page/author.js).
pub const PAGE_PARAMETERS: [&str; 4] = ["isolate", "embed", "py", "author"];

/// Who runs the tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// One after another on the page's own thread: the serial baseline (the page freezes).
    Main,
    /// A pool of Web Workers, each with its own wasm memory, like processes.
    Process,
    /// Rayon threads sharing one wasm memory, driven from a worker.
    Threads,
}

impl Mode {
    /// Every mode, in the page's order.
    pub const ALL: [Mode; 3] = [Mode::Main, Mode::Process, Mode::Threads];

    /// The mode's name in URLs and on the wire.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Main => "main",
            Mode::Process => "process",
            Mode::Threads => "threads",
        }
    }
}

/// A complete, valid set of settings for one run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// What to run.
    pub workload: Workload,
    /// Problem size (see [`crate::workloads::Info::size_label`]).
    pub size: u64,
    /// How many tasks the work is split into.
    pub tasks: u32,
    /// Tasks per message to a worker, as in `executor.map(fn, items, chunksize=…)`, or auto.
    pub chunksize: Chunksize,
    /// Who runs the tasks.
    pub mode: Mode,
    /// Pool size: workers for the process pool, threads for the thread pool.
    pub workers: u32,
    /// Thread mode only: hold a model of CPython's GIL while computing.
    #[serde(default)]
    pub gil: bool,
    /// Multiplier for the sleeper's sleeps (1 = the article's seconds).
    pub scale: f64,
    /// A task index that should panic, or none.
    pub fail: Option<u32>,
    /// Measured runs of the same task list; the page reports their median, min and max.
    pub repeats: u32,
    /// Run once, unmeasured, before the repeats, so V8 has tiered the wasm up (it never
    /// tiers up a call that is already running) and the pool is warm.
    pub warmup: bool,
    /// Seconds a run may take before it is stopped, as `executor.map(timeout=…)`; none if
    /// `None`.
    #[serde(default)]
    pub timeout: Option<f64>,
}

/// Tasks per message to a pool worker: a number, or `auto`, which picks what
/// `multiprocessing.Pool.map` picks when given no chunksize: the tasks split into about four
/// messages per worker, so messages are few and the last ones still balance the load.
/// (`ProcessPoolExecutor.map` has no such default: it sends one task per message.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chunksize {
    /// `⌈tasks ÷ (4 × workers)⌉`, as `Pool.map` computes it.
    Auto,
    /// This many tasks per message.
    Fixed(u32),
}

impl Chunksize {
    /// Tasks per message for `tasks` tasks on `workers` workers.
    pub fn resolve(self, tasks: u32, workers: u32) -> u32 {
        match self {
            Chunksize::Fixed(n) => n,
            // Pool.map: chunksize, extra = divmod(len(iterable), len(self._pool) * 4)
            Chunksize::Auto => tasks.div_ceil(4 * workers.max(1)).max(1),
        }
    }
}

impl fmt::Display for Chunksize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Chunksize::Auto => f.write_str("auto"),
            Chunksize::Fixed(n) => write!(f, "{n}"),
        }
    }
}

// On the wire as in the URL: the string "auto" or a number.
impl Serialize for Chunksize {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Chunksize::Auto => s.serialize_str("auto"),
            Chunksize::Fixed(n) => s.serialize_u32(*n),
        }
    }
}

impl<'de> Deserialize<'de> for Chunksize {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Chunksize, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Number(u32),
            Text(String),
        }
        match Wire::deserialize(d)? {
            Wire::Number(n) if n >= 1 => Ok(Chunksize::Fixed(n)),
            Wire::Text(t) if t == "auto" => Ok(Chunksize::Auto),
            _ => Err(serde::de::Error::custom(
                "chunksize is a number from 1, or \"auto\"",
            )),
        }
    }
}

/// What the page needs to know of a job before it runs (see [`Settings::facts`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// How many items the size splits into (numbers, rows, points, calls).
    pub items: u64,
    /// The longest single sleep, in ms at time scale 1: the floor under the wall time.
    pub longest_sleep_ms: u64,
    /// Whether the tasks sleep, so the time scale matters.
    pub sleeps: bool,
    /// Whether the tasks return pixels to draw.
    pub picture: bool,
    /// Tasks per message to a pool worker, `auto` resolved for these settings.
    pub chunksize: u32,
}

/// A job's task list and its facts (see [`Settings::plan`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    /// The tasks, in order.
    pub specs: Vec<crate::task::TaskSpec>,
    /// What the page needs to know of the job.
    pub facts: Facts,
}

/// A setting that could not be used, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The setting's name (`size`, `tasks`, …), which is also the form field's name.
    pub field: &'static str,
    /// What was expected, for the user.
    pub message: String,
}

/// The outcome of [`parse`]: usable settings (defaults where input was bad) and what was bad.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Parsed {
    /// Settings to use; each field that had an error holds its default instead.
    pub settings: Settings,
    /// One entry per bad field, in the order fields are read.
    pub errors: Vec<FieldError>,
    /// What was given but not used, in words: unknown names (with the likely intended
    /// one) and names given more than once.
    pub ignored: Vec<String>,
}

impl Settings {
    /// The settings a workload starts with.
    pub fn defaults(workload: Workload, default_workers: u32) -> Settings {
        let info = workload.info();
        let tasks = info
            .default_tasks
            .min(max_tasks(workload, info.default_size) as u32);
        Settings {
            workload,
            size: info.default_size,
            tasks,
            chunksize: Chunksize::Fixed(1),
            mode: Mode::Process,
            workers: default_workers.clamp(1, MAX_WORKERS),
            gil: false,
            scale: 1.0,
            fail: None,
            // The article ran its program once; every other workload is a benchmark.
            repeats: if info.benchmark { 3 } else { 1 },
            warmup: info.benchmark,
            timeout: None,
        }
    }

    /// What the page needs to know of these settings' job before it runs, without its task
    /// list: the item count, the longest sleep, whether it sleeps or draws.
    pub fn facts(&self) -> Facts {
        let info = self.workload.info();
        Facts {
            items: self.workload.items(self.size),
            longest_sleep_ms: self.workload.kernel().longest_sleep_ms(self.size),
            sleeps: info.sleeps,
            picture: info.picture,
            chunksize: self.chunksize.resolve(self.tasks, self.workers),
        }
    }

    /// The task list these settings run, with their [`Facts`].
    ///
    /// # Errors
    /// The job's [`Job::validate`] error (settings from [`parse`] never have one).
    pub fn plan(&self) -> Result<Plan, InputError> {
        Ok(Plan {
            specs: self.job().specs()?,
            facts: self.facts(),
        })
    }

    /// The job these settings run.
    pub fn job(&self) -> Job {
        Job {
            workload: self.workload,
            size: self.size,
            tasks: self.tasks,
            fail_task: self.fail,
        }
    }

    /// The settings as `(name, value)` pairs that [`parse`] reads back unchanged.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![
            ("workload", self.workload.name().to_string()),
            ("size", self.size.to_string()),
            ("tasks", self.tasks.to_string()),
            ("chunksize", self.chunksize.to_string()),
            ("mode", self.mode.name().to_string()),
            ("workers", self.workers.to_string()),
            ("scale", self.scale.to_string()),
            ("repeats", self.repeats.to_string()),
            ("warmup", u8::from(self.warmup).to_string()),
        ];
        if self.gil {
            pairs.push(("gil", "1".to_string()));
        }
        if let Some(f) = self.fail {
            pairs.push(("fail", f.to_string()));
        }
        if let Some(t) = self.timeout {
            pairs.push(("timeout", t.to_string()));
        }
        pairs
    }

    /// Whether these settings' tasks may run on the page's thread: each must compute for at
    /// most [`MAIN_TASK_LIMIT_MS`] (estimated), since the page hears Stop only between tasks.
    /// Checked for main-thread mode when parsing, and by the page before a comparison or a
    /// sweep runs the same list on the main thread.
    ///
    /// # Errors
    /// [`InputError::FreezesPage`] with the estimate and the fewest tasks that would do.
    pub fn check_main_thread(&self) -> Result<(), InputError> {
        let model = CostModel::new(self.workload, self.size);
        let longest = |tasks: u64| model.longest_task_ms(tasks as u32);
        let estimated_ms = longest(u64::from(self.tasks));
        if estimated_ms <= MAIN_TASK_LIMIT_MS {
            return Ok(());
        }
        let most = max_tasks(self.workload, self.size);
        // The longest task shrinks as the count grows (nearly always): bisect for the
        // fewest tasks under the limit.
        let min_tasks = (longest(most) <= MAIN_TASK_LIMIT_MS).then(|| {
            let (mut lo, mut hi) = (u64::from(self.tasks), most);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if longest(mid) <= MAIN_TASK_LIMIT_MS {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            hi
        });
        Err(InputError::FreezesPage {
            estimated_ms,
            limit_ms: MAIN_TASK_LIMIT_MS,
            min_tasks,
        })
    }
}

/// The known name closest to `name` (at most two edits away), for "did you mean".
fn closest(name: &str) -> Option<&'static str> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, &cb) in b.iter().enumerate() {
                let here = row[j + 1];
                row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(here + 1);
                prev = here;
            }
        }
        row[b.len()]
    }
    let lower = name.to_lowercase();
    NAMES
        .iter()
        // Two edits cannot bridge more than two characters of length: a long name is not
        // compared at all (its distance costs its length times each known name's).
        .filter(|known| lower.chars().count().abs_diff(known.len()) <= 2)
        .map(|&known| (distance(&lower, known), known))
        .filter(|&(d, _)| d <= 2)
        .min()
        .map(|(_, known)| known)
}

/// How many unknown names [`ignored`] names one by one; the rest are counted.
const UNKNOWN_NAMED: usize = 5;

/// What in `pairs` [`parse`] will not use: unknown names and repeated ones, in words.
///
/// Linear in the number of pairs: a link can carry a hundred thousand of them (hosts refuse
/// such a request, but an offline copy or a file does not), and checking each name against
/// those seen before froze the page for seconds.
fn ignored(pairs: &[(String, String)]) -> Vec<String> {
    let mut notes = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut unknown = 0usize;
    for (name, _) in pairs {
        let name = name.as_str();
        if !seen.insert(name) || PAGE_PARAMETERS.contains(&name) {
            continue;
        }
        if !NAMES.contains(&name) {
            unknown += 1;
            if unknown > UNKNOWN_NAMED {
                continue;
            }
            let shown = Got(name);
            notes.push(match closest(name) {
                Some(known) => {
                    format!("{shown} is not a setting and was ignored (did you mean {known}?)")
                }
                None => format!("{shown} is not a setting and was ignored"),
            });
            continue;
        }
        let given: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect();
        if given.len() > 1 {
            notes.push(format!(
                "{name} was given {} times; the last, {}, is used",
                given.len(),
                Got(given[given.len() - 1])
            ));
        }
    }
    if unknown > UNKNOWN_NAMED {
        let more = unknown - UNKNOWN_NAMED;
        let names = if more == 1 { "name" } else { "names" };
        notes.push(format!(
            "{} more {names} that are not settings were ignored",
            group(more as u64)
        ));
    }
    notes
}

/// Reads settings from `(name, value)` pairs (URL query or form fields).
///
/// Missing or empty fields take the workload's defaults; a field that cannot be used also
/// takes its default and adds a [`FieldError`]. Unknown and repeated names are named in
/// [`Parsed::ignored`] (the last of a repeated name counts). Later fields are checked against
/// earlier ones (tasks against size, chunksize against tasks), and main-thread settings
/// against [`Settings::check_main_thread`].
pub fn parse(pairs: &[(String, String)], default_workers: u32) -> Parsed {
    let mut r = Reader {
        pairs,
        errors: Vec::new(),
    };
    let workload = r.workload();
    let mut s = Settings::defaults(workload, default_workers);
    r.job(&mut s);
    r.running(&mut s);
    r.main_thread(&mut s);
    Parsed {
        settings: s,
        errors: r.errors,
        ignored: ignored(pairs),
    }
}

/// The fields being read, and the errors found so far.
struct Reader<'a> {
    pairs: &'a [(String, String)],
    errors: Vec<FieldError>,
}

impl<'a> Reader<'a> {
    /// A field's value, trimmed; the last of a repeated name; None when missing or empty.
    fn get(&self, name: &str) -> Option<&'a str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Records an error and falls back to the default, so one bad field never blocks the rest.
    fn keep<T>(&mut self, r: Result<T, InputError>, default: T) -> T {
        r.unwrap_or_else(|e| {
            self.errors.push(FieldError {
                field: e.field(),
                message: e.to_string(),
            });
            default
        })
    }

    /// The workload: one of the menu's (the shared-counter workloads belong to their own
    /// experiment).
    fn workload(&mut self) -> Workload {
        let got = self.get("workload");
        let menu = got
            .map_or(Some(Workload::first()), Workload::named)
            .filter(|w| !w.info().experiment)
            .ok_or_else(|| InputError::UnknownChoice {
                field: "workload",
                got: got.unwrap_or_default().to_string(),
                choices: Workload::all()
                    .filter(|w| !w.info().experiment)
                    .map(Workload::name)
                    .collect(),
            });
        self.keep(menu, Workload::first())
    }

    /// The job: size, then tasks (at most what the size allows), then chunksize.
    fn job(&mut self, s: &mut Settings) {
        let workload = s.workload;
        let info = workload.info();
        if let Some(t) = self.get("size") {
            let size = whole("size", t, info.min_size, info.max_size, "");
            s.size = self.keep(size, s.size);
            s.tasks = s.tasks.min(max_tasks(workload, s.size) as u32);
        }
        if let Some(t) = self.get("tasks") {
            let note = info.tasks_note;
            let tasks = whole("tasks", t, 1, max_tasks(workload, s.size), note);
            s.tasks = self.keep(tasks, s.tasks.into()) as u32;
        }
        if let Some(t) = self.get("chunksize") {
            s.chunksize = if t.trim().eq_ignore_ascii_case("auto") {
                Chunksize::Auto
            } else {
                let note = "or auto: tasks per message, at most the task count";
                let chunk = whole("chunksize", t, 1, s.tasks.into(), note);
                Chunksize::Fixed(self.keep(chunk, 1) as u32)
            };
        }
    }

    /// How the job runs: mode, workers, GIL, time scale, repeats, warm-up, fault, timeout.
    fn running(&mut self, s: &mut Settings) {
        if let Some(t) = self.get("mode") {
            let mode = Mode::ALL
                .into_iter()
                .find(|m| m.name() == t)
                .ok_or_else(|| InputError::UnknownChoice {
                    field: "mode",
                    got: t.to_string(),
                    choices: Mode::ALL.iter().map(|m| m.name()).collect(),
                });
            s.mode = self.keep(mode, s.mode);
        }
        if let Some(t) = self.get("workers") {
            let w = whole("workers", t, 1, MAX_WORKERS.into(), "");
            s.workers = self.keep(w, s.workers.into()) as u32;
        }
        if let Some(t) = self.get("gil") {
            s.gil = self.keep(switch("gil", t), false);
        }
        // The model GIL belongs to threads: a process has its own interpreter and the page's
        // thread runs one task at a time, so elsewhere the switch means nothing. Decided here,
        // once, so nothing downstream asks "threads and GIL?" again.
        s.gil = s.gil && s.mode == Mode::Threads;
        if let Some(t) = self.get("scale") {
            s.scale = self.keep(decimal("scale", t, 0.01, 10.0), s.scale);
        }
        if let Some(t) = self.get("repeats") {
            let r = whole("repeats", t, 1, MAX_REPEATS.into(), "measured runs");
            s.repeats = self.keep(r, s.repeats.into()) as u32;
        }
        if let Some(t) = self.get("warmup") {
            s.warmup = self.keep(switch("warmup", t), s.warmup);
        }
        if let Some(t) = self.get("fail") {
            let f = whole("fail", t, 0, u64::from(s.tasks) - 1, "a task index");
            s.fail = self.keep(f.map(|v| Some(v as u32)), None);
        }
        if let Some(t) = self.get("timeout") {
            let seconds = decimal("timeout", t, 0.0, MAX_TIMEOUT_S).map(|v| (v > 0.0).then_some(v));
            s.timeout = self.keep(seconds, None);
        }
    }

    /// Main-thread settings must not freeze the page ([`Settings::check_main_thread`]).
    fn main_thread(&mut self, s: &mut Settings) {
        if s.mode != Mode::Main || self.errors.iter().any(|e| e.field == "tasks") {
            return;
        }
        if let Err(e) = s.check_main_thread() {
            // What stands in is the fewest tasks that keep the page alive, or the default.
            if let InputError::FreezesPage {
                min_tasks: Some(n), ..
            } = e
            {
                s.tasks = n as u32;
            }
            self.errors.push(FieldError {
                field: e.field(),
                message: e.to_string(),
            });
        }
    }
}

/// Parses a whole number within `min..=max`. Accepts digit separators (`1,000,000`,
/// `1_000_000`) and integral exponent forms (`1e6`), since people type both.
///
/// # Errors
/// [`InputError::OutOfRange`], showing the text as given.
pub fn whole(
    field: &'static str,
    text: &str,
    min: u64,
    max: u64,
    note: &'static str,
) -> Result<u64, InputError> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' '))
        .collect();
    let value = cleaned.parse::<u64>().ok().or_else(|| {
        let f = cleaned.parse::<f64>().ok()?;
        (f.fract() == 0.0 && (0.0..=9.0e15).contains(&f)).then_some(f as u64)
    });
    let bad = || InputError::OutOfRange {
        field,
        min,
        max,
        got: text.trim().to_string(),
        note,
    };
    let value = value.ok_or_else(bad)?;
    check_range(field, value, min, max, note).map_err(|_| bad())?;
    Ok(value)
}

fn switch(field: &'static str, text: &str) -> Result<bool, InputError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "on" | "yes" => Ok(true),
        "0" | "false" | "off" | "no" => Ok(false),
        _ => Err(InputError::UnknownChoice {
            field,
            got: text.trim().to_string(),
            choices: vec!["1", "0"],
        }),
    }
}

fn decimal(field: &'static str, text: &str, min: f64, max: f64) -> Result<f64, InputError> {
    let t = text.trim().trim_end_matches(['x', '×']);
    match t.parse::<f64>() {
        Ok(v) if (min..=max).contains(&v) => Ok(v),
        _ => Err(InputError::DecimalOutOfRange {
            field,
            min,
            max,
            got: text.trim().to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A registered workload by name.
    fn w(name: &str) -> Workload {
        Workload::named(name).unwrap()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn empty_input_gives_the_article() {
        let p = parse(&[], 2);
        assert!(p.errors.is_empty());
        assert_eq!(p.settings, Settings::defaults(w("sleeper"), 2));
        assert_eq!(p.settings.size, 30);
        assert_eq!(p.settings.tasks, 30);
        assert_eq!(p.settings.workers, 2);
    }

    #[test]
    fn pairs_round_trip() {
        let mut s = Settings::defaults(w("mandelbrot"), 4);
        s.tasks = 7;
        s.chunksize = Chunksize::Fixed(3);
        s.scale = 0.1;
        s.fail = Some(6);
        s.mode = Mode::Threads;
        s.gil = true;
        s.repeats = 5;
        s.warmup = false;
        let back: Vec<(String, String)> = s
            .to_pairs()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let p = parse(&back, 2);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.settings, s);
    }

    #[test]
    fn bad_fields_fall_back_and_say_why() {
        let p = parse(
            &pairs(&[
                ("workload", "primes"),
                ("size", "-5"),
                ("tasks", "abc"),
                ("workers", "1000"),
                ("scale", "0"),
            ]),
            2,
        );
        let fields: Vec<&str> = p.errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["size", "tasks", "workers", "scale"]);
        assert_eq!(
            p.errors[0].message,
            "size must be a whole number from 1,000 to 100,000,000 (got -5)"
        );
        assert_eq!(p.settings, Settings::defaults(w("primes"), 2));
    }

    #[test]
    fn huge_numbers_are_out_of_range_not_garbage() {
        let e = whole("size", "99999999999999999999999999", 1, 10, "").unwrap_err();
        assert_eq!(
            e.to_string(),
            "size must be a whole number from 1 to 10 (got 99999999999999999999999999)"
        );
        assert!(whole("size", "1e400", 1, 10, "").is_err());
        assert!(whole("size", "NaN", 1, 10, "").is_err());
        assert!(whole("size", "2.5", 1, 10, "").is_err());
    }

    #[test]
    fn separators_and_exponents_are_read() {
        assert_eq!(whole("size", "1,000,000", 1, u64::MAX, ""), Ok(1_000_000));
        assert_eq!(whole("size", "2_000", 1, u64::MAX, ""), Ok(2_000));
        assert_eq!(whole("size", " 1e6 ", 1, u64::MAX, ""), Ok(1_000_000));
    }

    #[test]
    fn tasks_are_bounded_by_the_size() {
        let p = parse(
            &pairs(&[("workload", "tiny"), ("size", "10"), ("tasks", "11")]),
            2,
        );
        assert_eq!(
            p.errors[0].message,
            "tasks must be a whole number from 1 to 10, at most one per item (got 11)"
        );
        assert_eq!(p.settings.tasks, 10, "default clamped to the size");
    }

    #[test]
    fn unknown_workload_and_mode_are_named() {
        let p = parse(&pairs(&[("workload", "x"), ("mode", "gpu")]), 2);
        assert_eq!(p.errors.len(), 2);
        assert!(p.errors[1]
            .message
            .starts_with("mode must be one of main, process"));
    }

    #[test]
    fn auto_chunksize_picks_what_pool_map_picks() {
        // multiprocessing.Pool.map: divmod(len, 4 * workers), plus one if anything is left.
        assert_eq!(Chunksize::Auto.resolve(10_000, 2), 1250);
        assert_eq!(Chunksize::Auto.resolve(30, 2), 4);
        assert_eq!(Chunksize::Auto.resolve(3, 8), 1);
        assert_eq!(Chunksize::Fixed(7).resolve(10_000, 2), 7);
        for text in ["auto", "AUTO", " Auto "] {
            let p = parse(&pairs(&[("tasks", "30"), ("chunksize", text)]), 2);
            assert!(p.errors.is_empty(), "{text}: {:?}", p.errors);
            assert_eq!(p.settings.chunksize, Chunksize::Auto);
            assert_eq!(p.settings.facts().chunksize, 4, "{text}");
            assert!(p
                .settings
                .to_pairs()
                .contains(&("chunksize", "auto".into())));
        }
        let p = parse(&pairs(&[("tasks", "30"), ("chunksize", "automatic")]), 2);
        assert_eq!(p.settings.chunksize, Chunksize::Fixed(1));
        assert_eq!(
            p.errors[0].message,
            "chunksize must be a whole number from 1 to 30, or auto: tasks per message, at most the task count (got \"automatic\")"
        );
    }

    #[test]
    fn the_gil_applies_to_threads_only() {
        for (mode, on) in [("threads", true), ("process", false), ("main", false)] {
            let p = parse(&pairs(&[("mode", mode), ("gil", "1")]), 2);
            assert!(p.errors.is_empty(), "{:?}", p.errors);
            assert_eq!(p.settings.gil, on, "{mode}");
        }
    }

    #[test]
    fn the_gil_switch_reads_like_a_checkbox() {
        for (text, on) in [
            ("1", true),
            ("on", true),
            ("true", true),
            ("0", false),
            ("off", false),
        ] {
            let p = parse(&pairs(&[("mode", "threads"), ("gil", text)]), 2);
            assert!(p.errors.is_empty());
            assert_eq!(p.settings.gil, on, "{text}");
        }
        let p = parse(&pairs(&[("gil", "maybe")]), 2);
        assert_eq!(
            p.errors[0].message,
            "gil must be one of 1, 0 (got \"maybe\")"
        );
    }

    #[test]
    fn benchmarks_repeat_and_the_article_runs_once() {
        let article = Settings::defaults(w("sleeper"), 2);
        assert_eq!((article.repeats, article.warmup), (1, false));
        let primes = Settings::defaults(w("primes"), 2);
        assert_eq!((primes.repeats, primes.warmup), (3, true));
        let p = parse(&pairs(&[("repeats", "0"), ("warmup", "later")]), 2);
        assert_eq!(
            p.errors[0].message,
            "repeats must be a whole number from 1 to 20, measured runs (got 0)"
        );
        assert_eq!(p.errors[1].field, "warmup");
    }

    #[test]
    fn scale_accepts_a_times_suffix() {
        let p = parse(&pairs(&[("scale", "0.1×")]), 2);
        assert!(p.errors.is_empty());
        assert_eq!(p.settings.scale, 0.1);
    }

    #[test]
    fn unknown_and_repeated_names_are_named() {
        let p = parse(
            &pairs(&[
                ("worker", "8"),
                ("foo", "bar"),
                ("size", "100"),
                ("size", "200"),
                ("isolate", "0"),
                ("embed", "1"),
            ]),
            2,
        );
        assert_eq!(
            p.ignored,
            [
                "\"worker\" is not a setting and was ignored (did you mean workers?)",
                "\"foo\" is not a setting and was ignored",
                "size was given 2 times; the last, 200, is used",
            ]
        );
        assert_eq!(p.settings.size, 200);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
    }

    #[test]
    fn a_hundred_thousand_unknown_names_are_counted_not_listed() {
        let many: Vec<(String, String)> = (0..100_000)
            .map(|i| (format!("x{i}"), "1".to_string()))
            .chain([("workeres".to_string(), "3".to_string())])
            .collect();
        let p = parse(&many, 2);
        assert_eq!(
            p.ignored,
            [
                "\"x0\" is not a setting and was ignored",
                "\"x1\" is not a setting and was ignored",
                "\"x2\" is not a setting and was ignored",
                "\"x3\" is not a setting and was ignored",
                "\"x4\" is not a setting and was ignored",
                "99,996 more names that are not settings were ignored",
            ]
        );
        assert_eq!(p.settings, Settings::defaults(w("sleeper"), 2));
        // A repeated unknown name counts once; one long name is not compared letter by letter.
        let long = "w".repeat(1_000_000);
        let p = parse(
            &pairs(&[("foo", "1"), ("foo", "2"), (long.as_str(), "1")]),
            2,
        );
        assert_eq!(p.ignored.len(), 2);
        assert!(p.ignored[1].starts_with(&format!("\"{}…\" is not a setting", "w".repeat(40))));
    }

    #[test]
    fn experiments_are_not_menu_workloads() {
        for name in ["counter", "racy"] {
            let p = parse(&pairs(&[("workload", name)]), 2);
            // Every menu workload is offered, and no experiment.
            let menu: Vec<&str> = Workload::all()
                .filter(|w| !w.info().experiment)
                .map(Workload::name)
                .collect();
            assert_eq!(
                p.errors[0].message,
                format!(
                    "workload must be one of {} (got \"{name}\")",
                    menu.join(", ")
                )
            );
            assert!(menu.starts_with(&["sleeper", "primes"]) && !menu.contains(&name));
            assert_eq!(p.settings.workload, w("sleeper"));
        }
    }

    #[test]
    fn a_timeout_is_seconds_and_zero_means_none() {
        let p = parse(&pairs(&[("timeout", "2.5")]), 2);
        assert_eq!(p.settings.timeout, Some(2.5));
        assert_eq!(parse(&pairs(&[("timeout", "0")]), 2).settings.timeout, None);
        let p = parse(&pairs(&[("timeout", "-1")]), 2);
        assert_eq!(
            p.errors[0].message,
            "timeout must be a number from 0 to 3600 (got -1)"
        );
        let mut s = Settings::defaults(w("primes"), 2);
        s.timeout = Some(1.5);
        let back: Vec<(String, String)> = s
            .to_pairs()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        assert_eq!(parse(&back, 2).settings, s);
    }

    #[test]
    fn one_huge_main_thread_task_is_refused_with_the_estimate_and_a_way_out() {
        let p = parse(
            &pairs(&[
                ("workload", "primes"),
                ("size", "100000000"),
                ("tasks", "1"),
                ("mode", "main"),
            ]),
            2,
        );
        assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
        assert_eq!(p.errors[0].field, "tasks");
        let m = &p.errors[0].message;
        assert!(
            m.starts_with("on the main thread one task would freeze the page for about 31 s"),
            "{m}"
        );
        assert!(
            m.contains("(estimated)") && m.contains("at most 3.0 s"),
            "{m}"
        );
        // What stands in is the fewest tasks that fit, and they do fit.
        let n = p.settings.tasks;
        assert!(
            m.ends_with(&format!("use at least {n} tasks, or a pool")),
            "{m}"
        );
        assert!(p.settings.check_main_thread().is_ok());
        let mut fewer = p.settings.clone();
        fewer.tasks = n - 1;
        assert!(fewer.check_main_thread().is_err());
        // The same task list is fine for a pool: only the page's thread is protected.
        let pool = parse(
            &pairs(&[
                ("workload", "primes"),
                ("size", "100000000"),
                ("tasks", "1"),
            ]),
            2,
        );
        assert!(pool.errors.is_empty());
    }

    #[test]
    fn every_default_runs_on_the_main_thread() {
        for w in Workload::all().filter(|w| !w.info().experiment) {
            let s = Settings::defaults(w, 2);
            assert!(s.check_main_thread().is_ok(), "{w:?}");
        }
    }
}
