//! Parallel Playground's core: every workload the page can run, as plain Rust.
//!
//! Layout:
//! - [`task`]: the task model all modes share: a [`task::Job`] splits into
//!   [`task::TaskSpec`]s, [`task::run_task`] runs one, [`task::summarize`] folds the results
//!   into a digest that is the same in every mode and for every task count.
//! - One module per workload: [`sleeper`] (the article's `do_something`), [`primes`],
//!   [`mandelbrot`], [`montecarlo`], [`tiny`], and the shared-counter experiment
//!   ([`counter`]); [`mix`] holds their shared hash.
//! - [`settings`] parses the page's form and URL into a run's settings; [`error`] says what
//!   was wrong with them.
//! - [`amdahl`] fits Amdahl's law to a sweep of worker counts.

//! - [`run`]: a whole task list in one call for hosts that cannot step in between tasks,
//!   sequentially or (feature `threads`) with rayon, optionally under a model of Python's GIL.
//! - `wasm` (wasm32 only): the `#[wasm_bindgen]` exports, thin adapters over the above.
//!
//! Nothing here but `wasm` imports wasm-bindgen, so `cargo test` runs everything natively.
#![deny(missing_docs)]

pub mod amdahl;
pub mod counter;
pub mod error;
pub mod mandelbrot;
pub mod mix;
pub mod montecarlo;
pub mod primes;
pub mod run;
pub mod settings;
pub mod sleeper;
pub mod task;
pub mod tiny;

#[cfg(target_arch = "wasm32")]
mod wasm;
