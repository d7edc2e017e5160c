//! Parallel Playground's core: every workload the page can run, as plain Rust.
//!
//! Layout:
//! - [`task`]: the task model all modes share: a [`task::Job`] splits into
//!   [`task::TaskSpec`]s, [`task::run_task`] runs one, [`task::summarize`] folds the results
//!   into a digest that is the same in every mode and for every task count.
//! - [`workloads`]: one file per workload, each describing itself (facts, kernel, output,
//!   answer, cost), registered in [`workloads::REGISTRY`]: the article's `do_something`
//!   ([`workloads::sleeper`]), primes, Mandelbrot, Monte-Carlo π, tiny tasks and the
//!   shared-counter experiment; [`mix`] holds their shared hash.
//! - [`settings`] parses the page's form and URL into a run's settings; [`error`] says what
//!   was wrong with them.
//! - [`amdahl`] fits Amdahl's law to a sweep of worker counts.
//! - [`convoy`]: the GIL's convoy experiment, a model of CPython's GIL with its switch interval.

//! - [`run`]: a whole task list in one call for hosts that cannot step in between tasks,
//!   sequentially or (feature `threads`) with rayon, optionally under a model of Python's GIL.
//! - `wasm` (wasm32 only): the `#[wasm_bindgen]` exports, thin adapters over the above.
//!
//! Nothing here but `wasm` imports wasm-bindgen, so `cargo test` runs everything natively.
#![deny(missing_docs)]

pub mod amdahl;
pub mod convoy;
pub mod error;
pub mod mix;
pub mod run;
pub mod settings;
pub mod task;
pub mod workloads;

#[cfg(target_arch = "wasm32")]
mod wasm;
