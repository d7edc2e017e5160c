//! The `#[wasm_bindgen]` exports: thin adapters that convert values, call the core and turn
//! its errors into JavaScript `Error`s. Structured values cross as plain JS objects
//! (serde-wasm-bindgen); byte buffers as `Uint8Array`.

use crate::settings::{self, Settings};
use crate::task::{self, Job, Partial, TaskSpec, Workload};
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

/// Keeps a panic's message where JavaScript can read it: with panic=abort the module traps
/// right after the hook, and the `RuntimeError` JavaScript sees says only "unreachable".
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let text = match info.payload().downcast_ref::<String>() {
            Some(s) => s.clone(),
            None => info
                .payload()
                .downcast_ref::<&str>()
                .map_or_else(|| info.to_string(), |s| s.to_string()),
        };
        let _ = js_sys::Reflect::set(
            &js_sys::global(),
            &JsValue::from_str("ppLastPanic"),
            &JsValue::from_str(&text),
        );
    }));
}

/// Every workload's names, bounds and defaults, in menu order.
#[wasm_bindgen]
pub fn workloads() -> Result<JsValue, JsError> {
    to_js(&Workload::ALL.map(Workload::info))
}

/// Parses settings from `[name, value]` pairs (a form or a URL query); see
/// [`settings::parse`]. Returns `{settings, errors}`.
#[wasm_bindgen(js_name = parseSettings)]
pub fn parse_settings(pairs: JsValue, default_workers: u32) -> Result<JsValue, JsError> {
    let pairs: Vec<(String, String)> = from_js(pairs)?;
    to_js(&settings::parse(&pairs, default_workers))
}

/// The default settings for a workload.
#[wasm_bindgen(js_name = defaultSettings)]
pub fn default_settings(workload: &str, default_workers: u32) -> Result<JsValue, JsError> {
    let w = Workload::parse(workload)?;
    to_js(&Settings::defaults(w, default_workers))
}

/// The task list for a job `{workload, size, tasks, fail_task}`.
#[wasm_bindgen]
pub fn plan(job: JsValue) -> Result<JsValue, JsError> {
    let job: Job = from_js(job)?;
    to_js(&job.specs()?)
}

/// Runs one task spec; returns `{index, partial, steps, pixels?}`.
#[wasm_bindgen(js_name = runTask)]
pub fn run_task(spec: JsValue) -> Result<JsValue, JsError> {
    let spec: TaskSpec = from_js(spec)?;
    to_js(&task::run_task(&spec)?)
}

/// Folds a job's partials into `{digest, headline}`.
#[wasm_bindgen]
pub fn summarize(workload: &str, size: f64, partials: JsValue) -> Result<JsValue, JsError> {
    let partials: Vec<Partial> = from_js(partials)?;
    to_js(&task::summarize(
        Workload::parse(workload)?,
        size as u64,
        &partials,
    ))
}

/// The longest single sleep (ms, unscaled) in a sleeper job of `size` calls: the floor under
/// its wall time whatever the pool size.
#[wasm_bindgen(js_name = longestSleepMs)]
pub fn longest_sleep_ms(size: f64) -> f64 {
    crate::sleeper::longest_sleep_ms(size as u64) as f64
}

/// Bytes in this instance's linear memory: each worker "process" has its own.
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as f64
}

/// Settings as `[name, value]` pairs for a URL query; [`parse_settings`] reads them back.
#[wasm_bindgen(js_name = settingsPairs)]
pub fn settings_pairs(settings: JsValue) -> Result<JsValue, JsError> {
    let settings: Settings = from_js(settings)?;
    to_js(&settings.to_pairs())
}
