//! The `#[wasm_bindgen]` exports: thin adapters that convert values, call the core and turn
//! its errors into JavaScript `Error`s. Structured values cross as plain JS objects
//! (serde-wasm-bindgen); byte buffers as `Uint8Array`.

use crate::error::InputError;
use crate::settings::{self, Settings};
use crate::task::{self, Partial, TaskSpec, Workload};
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    // Not `json_compatible()`: that turns byte buffers into arrays of numbers, which made
    // every Mandelbrot band cost milliseconds to convert and to post.
    Ok(value.serialize(&serde_wasm_bindgen::Serializer::new())?)
}

fn from_js<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, JsError> {
    Ok(serde_wasm_bindgen::from_value(value)?)
}

/// A whole number that came as a JavaScript number, read as serde reads one: exact, or refused.
fn whole(field: &'static str, value: f64) -> Result<u64, InputError> {
    const MAX_SAFE: u64 = (1 << 53) - 1;
    if value.fract() == 0.0 && (0.0..=MAX_SAFE as f64).contains(&value) {
        Ok(value as u64)
    } else {
        Err(InputError::OutOfRange {
            field,
            min: 0,
            max: MAX_SAFE,
            got: value.to_string(),
            note: "",
        })
    }
}

#[cfg(not(feature = "threads"))]
thread_local! {
    /// The task `runTask` is running, so that a panic names it.
    static RUNNING: std::cell::Cell<Option<u32>> = const { std::cell::Cell::new(None) };
}

/// Turns a panic into a JavaScript `PanicError` carrying its message. With panic=abort the
/// module would trap right after the hook, and the `RuntimeError` JavaScript sees says only
/// "unreachable"; throwing from the hook instead ends the call with the real message. The
/// instance is left as a trap would leave it, so its host replaces it (see engine/runner.js).
/// The threads flavour unwinds instead, and `run` catches the panic as a task's error.
#[wasm_bindgen(start)]
pub fn start() {
    #[cfg(not(feature = "threads"))]
    std::panic::set_hook(Box::new(|info| {
        let text = match info.payload().downcast_ref::<String>() {
            Some(s) => s.clone(),
            None => info
                .payload()
                .downcast_ref::<&str>()
                .map_or_else(|| info.to_string(), |s| s.to_string()),
        };
        let text = match RUNNING.with(std::cell::Cell::get) {
            Some(index) => crate::run::panic_report(index, &text),
            None => text,
        };
        let error = js_sys::Error::new(&text);
        error.set_name("PanicError");
        wasm_bindgen::throw_val(error.into());
    }));
}

/// The most workers any mode may have ([`settings::MAX_WORKERS`]).
#[wasm_bindgen(js_name = maxWorkers)]
pub fn max_workers() -> u32 {
    settings::MAX_WORKERS
}

/// The link's parameters that belong to the page, not to the settings
/// ([`settings::PAGE_PARAMETERS`]).
#[wasm_bindgen(js_name = pageParameters)]
pub fn page_parameters() -> Vec<String> {
    settings::PAGE_PARAMETERS
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// Every workload's names, bounds and defaults, in menu order.
#[wasm_bindgen]
pub fn workloads() -> Result<JsValue, JsError> {
    to_js(&Workload::all().map(Workload::info).collect::<Vec<_>>())
}

/// Parses settings from `[name, value]` pairs (a form or a URL query); see
/// [`settings::parse`]. Returns `{settings, errors}`.
#[wasm_bindgen(js_name = parseSettings)]
pub fn parse_settings(pairs: JsValue, default_workers: u32) -> Result<JsValue, JsError> {
    let pairs: Vec<(String, String)> = from_js(pairs)?;
    to_js(&settings::parse(&pairs, default_workers))
}

/// Why `settings` must not run on the page's thread (see
/// [`Settings::check_main_thread`]), or `undefined` when they may.
#[wasm_bindgen(js_name = mainThreadProblem)]
pub fn main_thread_problem(settings: JsValue) -> Result<Option<String>, JsError> {
    let settings: Settings = from_js(settings)?;
    Ok(settings.check_main_thread().err().map(|e| e.to_string()))
}

/// Every setting's name, in the order settings are read ([`settings::NAMES`]): the form's
/// field names and the URL's parameters.
#[wasm_bindgen(js_name = settingNames)]
pub fn setting_names() -> Vec<String> {
    settings::NAMES.iter().map(|n| n.to_string()).collect()
}

/// The default settings for a workload.
#[wasm_bindgen(js_name = defaultSettings)]
pub fn default_settings(workload: &str, default_workers: u32) -> Result<JsValue, JsError> {
    let w = Workload::parse(workload)?;
    to_js(&Settings::defaults(w, default_workers))
}

/// The task list for `settings`, with its facts: `{specs, facts: {items, longest_sleep_ms,
/// sleeps, picture}}` (see [`Settings::plan`]).
#[wasm_bindgen]
pub fn plan(settings: JsValue) -> Result<JsValue, JsError> {
    let settings: Settings = from_js(settings)?;
    to_js(&settings.plan()?)
}

/// What the page needs to know of `settings`' job without its task list: `{items,
/// longest_sleep_ms, sleeps, picture}`.
#[wasm_bindgen]
pub fn facts(settings: JsValue) -> Result<JsValue, JsError> {
    let settings: Settings = from_js(settings)?;
    to_js(&settings.facts())
}

/// Runs one task spec, given field by field; returns `{index, partial, steps, pixels?}`.
/// Not the spec object: reading its six fields one by one across the boundary took 0.55 µs
/// here, fifteen times what a tiny task computes, and a pool runs 10,000 of those; as
/// arguments, 0.06 µs (docs/benchmarks.md).
#[wasm_bindgen(js_name = runTask)]
pub fn run_task(
    workload: &str,
    size: f64,
    index: u32,
    lo: f64,
    hi: f64,
    fail: bool,
) -> Result<JsValue, JsError> {
    let spec = TaskSpec {
        workload: Workload::parse(workload)?,
        size: whole("size", size)?,
        index,
        lo: whole("lo", lo)?,
        hi: whole("hi", hi)?,
        fail,
    };
    #[cfg(not(feature = "threads"))]
    RUNNING.with(|r| r.set(Some(spec.index)));
    let output = task::run_task(&spec);
    #[cfg(not(feature = "threads"))]
    RUNNING.with(|r| r.set(None));
    to_js(&output?)
}

/// Folds the partials of `settings`' job into `{digest, headline}`.
#[wasm_bindgen]
pub fn summarize(settings: JsValue, partials: JsValue) -> Result<JsValue, JsError> {
    let settings: Settings = from_js(settings)?;
    let partials: Vec<Partial> = from_js(partials)?;
    to_js(&task::summarize_at(
        settings.workload,
        settings.size,
        settings.scale,
        &partials,
    ))
}

/// Bytes in this instance's linear memory: each worker "process" has its own; threads
/// share one.
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    let buffer = wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer();
    // Read the property rather than call ArrayBuffer's getter: with threads the buffer is a
    // SharedArrayBuffer, which ArrayBuffer.prototype.byteLength rejects.
    js_sys::Reflect::get(&buffer, &JsValue::from_str("byteLength"))
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

/// Whether this instance's memory is shared between threads (the threads flavour).
#[wasm_bindgen(js_name = memoryIsShared)]
pub fn memory_is_shared() -> bool {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .is_instance_of::<js_sys::SharedArrayBuffer>()
}

/// This memory's shared counter (see [`crate::workloads::counter`]), reset to zero if `reset`.
#[wasm_bindgen(js_name = counterRead)]
pub fn counter_read(reset: bool) -> f64 {
    crate::workloads::counter::read(reset) as f64
}

/// One chunk of the convoy experiment's CPU-bound work ([`crate::convoy::chunk`]): a process
/// of the page's plays a role of the experiment with it, timed by the worker's clock.
#[wasm_bindgen(js_name = convoyChunk)]
pub fn convoy_chunk(seed: u32) -> u32 {
    crate::convoy::chunk(u64::from(seed)) as u32
}

/// Settings as `[name, value]` pairs for a URL query; [`parse_settings`] reads them back.
#[wasm_bindgen(js_name = settingsPairs)]
pub fn settings_pairs(settings: JsValue) -> Result<JsValue, JsError> {
    let settings: Settings = from_js(settings)?;
    to_js(&settings.to_pairs())
}

/// The threads flavour: rayon over the same kernels, on one shared memory.
#[cfg(feature = "threads")]
mod threads {
    use super::{from_js, to_js};
    use crate::run::{run_hosted_par, Host, Options, Outcome};

    use crate::task::TaskSpec;
    use std::cell::RefCell;
    use wasm_bindgen::prelude::*;

    // Re-exported so the linker keeps its #[wasm_bindgen] export, `initThreadPool(n)`.
    #[allow(unused_imports)]
    pub use wasm_bindgen_rayon::init_thread_pool;

    thread_local! {
        // JS objects belong to the thread (worker) that made them, so each rayon thread opens
        // its own channel, once.
        static CHANNEL: RefCell<Option<(String, web_sys::BroadcastChannel)>> =
            const { RefCell::new(None) };
        // Tasks this thread finished since it last told the page, as
        // [index, thread, requested, start, computed, end] (times NaN for a failed task), and
        // when it last told the page.
        static UNREPORTED: RefCell<(Vec<f64>, f64)> =
            const { RefCell::new((Vec::new(), f64::NEG_INFINITY)) };
        static PERFORMANCE: web_sys::Performance = js_sys::Reflect::get(
            &js_sys::global(),
            &JsValue::from_str("performance"),
        )
        .expect("every worker has performance")
        .unchecked_into();
    }

    /// How often a thread may report progress, in ms.
    const PROGRESS_MS: f64 = 50.0;

    /// This thread's clock in ms since the epoch, as the page's `now()` reads it.
    fn epoch_ms() -> f64 {
        PERFORMANCE.with(|p| p.time_origin() + p.now())
    }

    /// A rayon thread's view of the world: the worker's clock, a BroadcastChannel to the
    /// page for live news (the thread's own parent worker is busy waiting for the par_iter,
    /// so it could not relay it), and std's sleep, which blocks this worker. The news's wire
    /// shapes are declared in one place, `ThreadNews` in www/engine/protocol.js.
    struct JsHost {
        channel: String,
    }

    impl Host for JsHost {
        fn now(&self) -> f64 {
            epoch_ms()
        }

        fn print(&self, task: u32, thread: usize, text: &str, at: f64) {
            self.post(&[
                ("type", JsValue::from_str("line")),
                ("task", JsValue::from(task)),
                ("thread", JsValue::from(thread as u32)),
                ("text", JsValue::from_str(text)),
                ("at", JsValue::from_f64(at)),
            ]);
        }

        fn sleep(&self, ms: f64) {
            // Report finished tasks first: this thread may be quiet for a while.
            self.report_progress(true);
            // In a worker with shared memory, std sleeps with memory.atomic.wait32.
            std::thread::sleep(std::time::Duration::from_secs_f64(ms.max(0.0) / 1000.0));
        }

        fn finished(&self, outcome: &Outcome) {
            let record = match outcome {
                Outcome::Value(r) => [
                    f64::from(r.index),
                    r.thread as f64,
                    r.requested,
                    r.start,
                    r.computed,
                    r.end,
                ],
                Outcome::Error(f) => [
                    f64::from(f.index),
                    f.thread as f64,
                    f64::NAN,
                    f64::NAN,
                    f64::NAN,
                    f64::NAN,
                ],
            };
            UNREPORTED.with(|u| u.borrow_mut().0.extend_from_slice(&record));
            self.report_progress(false);
        }
    }

    impl JsHost {
        /// Tells the page which tasks this thread finished since it last did, with their
        /// times: at most once every PROGRESS_MS unless `now`, so that thousands of tiny
        /// tasks measure threads, not messaging. (Exact results come back with the run.)
        fn report_progress(&self, now: bool) {
            let at = self.now();
            let due = UNREPORTED.with(|u| {
                let mut u = u.borrow_mut();
                if u.0.is_empty() || (!now && at - u.1 < PROGRESS_MS) {
                    return None;
                }
                let tasks = std::mem::take(&mut u.0);
                u.1 = at;
                Some(tasks)
            });
            if let Some(tasks) = due {
                self.post(&[
                    ("type", JsValue::from_str("done")),
                    ("tasks", js_sys::Float64Array::from(tasks.as_slice()).into()),
                ]);
            }
        }

        /// Sends `{key: value, ...}` to the page on this run's channel.
        fn post(&self, fields: &[(&str, JsValue)]) {
            let event = js_sys::Object::new();
            for (key, value) in fields {
                let _ = js_sys::Reflect::set(&event, &JsValue::from_str(key), value);
            }
            CHANNEL.with(|slot| {
                let mut slot = slot.borrow_mut();
                if slot.as_ref().is_none_or(|(name, _)| *name != self.channel) {
                    *slot = web_sys::BroadcastChannel::new(&self.channel)
                        .ok()
                        .map(|c| (self.channel.clone(), c));
                }
                if let Some((_, channel)) = slot.as_ref() {
                    let _ = channel.post_message(&event);
                }
            });
        }
    }

    /// Runs a task list on the rayon pool (call `initThreadPool` first, from a worker: it
    /// blocks until every task is done). `options` is `{scale, gil}`; printed lines go to
    /// the BroadcastChannel named `channel`. Returns `[{value} | {error}]` in task order.
    #[wasm_bindgen(js_name = runThreads)]
    pub fn run_threads(
        specs: JsValue,
        options: JsValue,
        channel: String,
    ) -> Result<JsValue, JsError> {
        let specs: Vec<TaskSpec> = from_js(specs)?;
        let options: Options = from_js(options)?;
        let host = JsHost { channel };
        // A new run: every thread's progress count starts from zero.
        rayon::broadcast(|_| {
            UNREPORTED.with(|u| *u.borrow_mut() = (Vec::new(), f64::NEG_INFINITY))
        });
        to_js(&run_hosted_par(&specs, options, &host))
    }

    /// The GIL's convoy (see [`crate::convoy::run`]) on two of the pool's threads, the first
    /// computing and the second waking every `plan.period_ms`; returns `{wakes, cpu,
    /// cpu_chunks, forced_switches}`, times in ms since the epoch. Blocks the calling worker
    /// until it is done, like `runThreads`.
    #[wasm_bindgen(js_name = convoyRun)]
    pub fn convoy_run(plan: JsValue) -> Result<JsValue, JsError> {
        use crate::convoy::{run, Plan, Role, RoleBody};
        let plan: Plan = from_js(plan)?;
        if rayon::current_num_threads() < 2 {
            return Err(JsError::new("the convoy needs two threads"));
        }
        let sleep =
            |ms: f64| std::thread::sleep(std::time::Duration::from_secs_f64(ms.max(0.0) / 1000.0));
        // broadcast runs the closure on every thread at once: two of them play the roles.
        let on_two_threads = |f: RoleBody| {
            rayon::broadcast(|ctx| match ctx.index() {
                0 => f(Role::Cpu),
                1 => f(Role::Io),
                _ => {}
            });
        };
        to_js(&run(plan, &epoch_ms, &sleep, &on_two_threads))
    }

    /// The shared-counter race (see [`crate::workloads::counter::race`]) on every rayon thread at once,
    /// `per_thread` increments each; returns `{threads, per_thread, expected, counted,
    /// rounds, racy}`. Blocks the calling worker until it is done, like `runThreads`.
    #[wasm_bindgen(js_name = counterRace)]
    pub fn counter_race(per_thread: f64, racy: bool) -> Result<JsValue, JsError> {
        let threads = rayon::current_num_threads() as u32;
        // broadcast runs the closure once on every thread of the pool, all of them at once.
        let on_every_thread = |f: &(dyn Fn() + Sync)| {
            rayon::broadcast(|_| f());
        };
        to_js(&crate::workloads::counter::race(
            threads,
            per_thread as u64,
            racy,
            &on_every_thread,
        ))
    }
}

/// Fits Amdahl's law to `[{workers, speedup}]`; `null` when the points allow no fit.
#[wasm_bindgen(js_name = amdahlFit)]
pub fn amdahl_fit(points: JsValue) -> Result<JsValue, JsError> {
    let points: Vec<crate::amdahl::Point> = from_js(points)?;
    to_js(&crate::amdahl::fit(&points))
}
