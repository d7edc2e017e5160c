//! The core's public API end to end, as the page drives it: settings text in, digest out.

use parallel_playground::run::{run_hosted, Host, Options, Outcome};
use parallel_playground::settings::{parse, Mode};
use parallel_playground::task::{run_task, summarize, Job, Partial, Step, TaskSpec, Workload};

/// A registered workload by name.
fn w(name: &str) -> Workload {
    Workload::named(name).unwrap()
}

/// A host that prints nothing and does not sleep: only answers matter here.
struct Quiet;

impl Host for Quiet {
    fn now(&self) -> f64 {
        0.0
    }
    fn print(&self, _: u32, _: usize, _: &str, _: f64) {}
    fn sleep(&self, _: f64) {}
}

fn partials(specs: &[TaskSpec]) -> Vec<Partial> {
    let options = Options {
        scale: 0.0,
        gil: false,
    };
    run_hosted(specs, options, &Quiet)
        .into_iter()
        .map(|o| match o {
            Outcome::Value(ran) => ran.partial,
            Outcome::Error(f) => panic!("{f:?}"),
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Runs the settings' job to its summary, as every mode does, task by task.
fn digest_of(list: &[(&str, &str)]) -> String {
    let parsed = parse(&pairs(list), 2);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let s = parsed.settings;
    summarize(s.workload, s.size, &partials(&s.job().specs().unwrap())).digest
}

#[test]
fn each_workload_has_one_digest_whatever_the_task_count() {
    for w in Workload::all() {
        let size = w.info().min_size.max(100);
        let digests: Vec<String> = [1, 2, 9, 60]
            .iter()
            .map(|&t| {
                if w.info().experiment {
                    // Not in the menu, so settings refuse them: build the job itself.
                    let specs = Job::new(w, size, t).specs().unwrap();
                    summarize(w, size, &partials(&specs)).digest
                } else {
                    let (size, tasks) = (size.to_string(), t.to_string());
                    digest_of(&[("workload", w.name()), ("size", &size), ("tasks", &tasks)])
                }
            })
            .collect();
        assert!(
            digests.windows(2).all(|d| d[0] == d[1]),
            "{w:?}: {digests:?}"
        );
    }
}

#[test]
fn the_article_is_the_default_and_prints_what_python_prints() {
    let s = parse(&[], 2).settings;
    assert_eq!(
        (s.workload, s.size, s.tasks, s.mode),
        (w("sleeper"), 30, 30, Mode::Process)
    );
    let mut printed = Vec::new();
    let mut slept = 0;
    for spec in s.job().specs().unwrap() {
        for step in run_task(&spec).unwrap().steps {
            match step {
                Step::Print { text } => printed.push(text),
                Step::Sleep { ms } => slept += ms,
            }
        }
    }
    assert_eq!(slept, 20_000);
    assert_eq!(printed[..3], ["0", "1", "2"]);
    assert!(printed.contains(&"Sleeping 12 second(s)...".to_string()));
    assert!(printed.contains(&"Done sleeping...12".to_string()));
}

#[test]
fn primes_below_a_million_through_the_whole_pipeline() {
    let parsed = parse(
        &pairs(&[
            ("workload", "primes"),
            ("size", "1,000,000"),
            ("tasks", "13"),
        ]),
        2,
    );
    let s = parsed.settings;
    let summary = summarize(s.workload, s.size, &partials(&s.job().specs().unwrap()));
    assert!(summary
        .headline
        .starts_with("78,498 primes below 1,000,000"));
}
