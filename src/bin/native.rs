//! The same kernels and task lists as the page, compiled for this machine instead of wasm:
//! what the benchmark divides the page's times by (`./build.sh bench`, "wasm ÷ native").
//!
//! ```text
//! cargo run --release --features threads --bin native -- [--threads N] [--repeats R] WORKLOAD=SIZE:TASKS...
//! ```
//!
//! For each job: the task list the page would plan, serially (one `run_task` after another, as
//! the page's main-thread mode calls them) and on a rayon pool of `N` threads (one task per
//! rayon job, as the thread pool runs them): each once to warm up, then `R` rounds of both.
//! Prints one JSON array on stdout: per job the median of each, each round's times (a round's
//! two runs are seconds apart, so their ratio is what drift disturbs least), and both digests,
//! which must equal each other and the page's.

use parallel_playground::settings::Settings;
use parallel_playground::task::{run_task, summarize, Partial, TaskSpec};
use parallel_playground::workloads::Workload;
use rayon::prelude::*;
use std::time::Instant;

fn main() {
    match run(std::env::args().skip(1).collect()) {
        Ok(json) => println!("{json}"),
        Err(message) => {
            eprintln!("native: {message}");
            std::process::exit(2);
        }
    }
}

fn run(args: Vec<String>) -> Result<String, String> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (mut threads, mut repeats, mut jobs) = (cores, 3usize, Vec::new());
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<usize, String> {
            let text = args.next().ok_or(format!("{name} needs a number"))?;
            text.parse::<usize>()
                .ok()
                .filter(|&n| n >= 1)
                .ok_or(format!(
                    "{name} must be a whole number from 1 (got {text:?})"
                ))
        };
        match arg.as_str() {
            "--threads" => threads = number("--threads")?,
            "--repeats" => repeats = number("--repeats")?,
            job => jobs.push(parse_job(job)?),
        }
    }
    if jobs.is_empty() {
        return Err("name at least one job, e.g. primes=1000000:32".into());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| e.to_string())?;
    let results: Vec<String> = jobs
        .iter()
        .map(|(workload, settings)| {
            let specs = settings.plan().map_err(|e| e.to_string())?.specs;
            let serial = || specs.iter().map(one).collect::<Vec<_>>();
            let parallel = || pool.install(|| specs.par_iter().with_max_len(1).map(one).collect::<Vec<_>>());
            let ((serial_runs, serial_out), (parallel_runs, parallel_out)) =
                timed_pair(repeats, serial, parallel);
            let (serial_ms, parallel_ms) = (median(&serial_runs), median(&parallel_runs));
            let list = |ms: &[f64]| ms.iter().map(|m| format!("{m:.3}")).collect::<Vec<_>>().join(",");
            let digest = |p: &[Partial]| summarize(*workload, settings.size, p).digest;
            Ok(format!(
                r#"{{"workload":"{}","size":{},"tasks":{},"threads":{threads},"repeats":{repeats},"serial_ms":{serial_ms:.3},"parallel_ms":{parallel_ms:.3},"serial_runs_ms":[{}],"parallel_runs_ms":[{}],"serial_digest":"{}","parallel_digest":"{}"}}"#,
                workload.name(),
                settings.size,
                specs.len(),
                list(&serial_runs),
                list(&parallel_runs),
                digest(&serial_out),
                digest(&parallel_out),
            ))
        })
        .collect::<Result<_, String>>()?;
    Ok(format!("[{}]", results.join(",")))
}

fn one(spec: &TaskSpec) -> Partial {
    run_task(spec).expect("a planned task is valid").partial
}

/// A function's times in ms, round by round, and its last result.
type Timed<T> = (Vec<f64>, T);

/// Runs `a` and `b` once each to warm up, then `repeats` rounds of `a` and `b`. In rounds, not
/// every `a` before every `b`: this VM's speed drifts by several percent over seconds, and a
/// drift between two series skewed their ratio (rayon's efficiency once read 105%).
fn timed_pair<A, B>(repeats: usize, a: impl Fn() -> A, b: impl Fn() -> B) -> (Timed<A>, Timed<B>) {
    let (mut a_out, mut b_out) = (a(), b());
    let (mut a_ms, mut b_ms) = (Vec::new(), Vec::new());
    for _ in 0..repeats {
        let t0 = Instant::now();
        a_out = a();
        a_ms.push(t0.elapsed().as_secs_f64() * 1e3);
        let t0 = Instant::now();
        b_out = b();
        b_ms.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    ((a_ms, a_out), (b_ms, b_out))
}

fn median(ms: &[f64]) -> f64 {
    let mut ms = ms.to_vec();
    ms.sort_by(f64::total_cmp);
    ms[ms.len() / 2]
}

/// `WORKLOAD=SIZE:TASKS` as the page's settings, so the task list is the page's own.
fn parse_job(text: &str) -> Result<(Workload, Settings), String> {
    let bad = || format!("a job is WORKLOAD=SIZE:TASKS, e.g. primes=1000000:32 (got {text:?})");
    let (name, rest) = text.split_once('=').ok_or_else(bad)?;
    let (size, tasks) = rest.split_once(':').ok_or_else(bad)?;
    let workload = Workload::parse(name).map_err(|e| e.to_string())?;
    let mut settings = Settings::defaults(workload, 1);
    settings.size = size.parse().map_err(|_| bad())?;
    settings.tasks = tasks.parse().map_err(|_| bad())?;
    Ok((workload, settings))
}
