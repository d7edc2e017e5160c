//! Monte-Carlo π: throw points into the unit square, count those inside the quarter circle.
//!
//! Sample `i` takes its coordinates from `mix64(seed + i)`, so each task seeds its generator
//! with its first sample's index and any split of the samples into tasks throws exactly the
//! same points: the hit count, and so the digest, is the same for every task count and mode.
//! With 10^6 samples expect π within about 0.005.

use super::{Info, Kernel};
use crate::mix::group;
use crate::mix::{mix64, GOLDEN};
use crate::task::{Partial, Step, TaskOutput};

/// The fixed seed every run uses, so results are reproducible.
pub const SEED: u64 = 0x5EED_0F91;

// ANCHOR: kernel
/// How many of the samples `lo..hi` land inside the quarter circle.
pub fn hits(lo: u64, hi: u64) -> u64 {
    (lo..hi)
        .filter(|&i| {
            let r = mix64(SEED.wrapping_add(i.wrapping_mul(GOLDEN)));
            // Two 32-bit coordinates in [0, 1) from one 64-bit draw.
            let x = (r >> 32) as f64 / 4_294_967_296.0;
            let y = (r & 0xFFFF_FFFF) as f64 / 4_294_967_296.0;
            x * x + y * y < 1.0
        })
        .count() as u64
}
// ANCHOR_END: kernel

/// The estimate of π from `hits` out of `samples`.
pub fn estimate(hits: u64, samples: u64) -> f64 {
    4.0 * hits as f64 / samples as f64
}

/// Monte-Carlo π as a workload.
pub struct MonteCarlo;

static INFO: Info = Info {
    id: "montecarlo",
    label: "Monte-Carlo π",
    blurb: "Throws seeded random points at a quarter circle; the share that lands inside estimates π/4.",
    size_label: "random points",
    tasks_note: "at most one per item",
    min_size: 1_000,
    max_size: 10_000_000_000,
    default_size: 600_000_000,
    quick_size: 150_000_000,
    default_tasks: 64,
    benchmark: true,
    sleeps: false,
    picture: false,
    experiment: false,
    kernel_file: "montecarlo.rs",
    python: "M = (1 << 64) - 1
SEED = 0x5EED0F91

def mix64(x):  # SplitMix64: sample i's point depends only on i
    z = (x + 0x9E3779B97F4A7C15) & M
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return z ^ (z >> 31)

def task(lo, hi):
    hits = 0
    for i in range(lo, hi):
        r = mix64((SEED + i * 0x9E3779B97F4A7C15) & M)
        x, y = (r >> 32) / 2**32, (r & 0xFFFFFFFF) / 2**32
        hits += x * x + y * y < 1.0
    return hits",
    // 600,000,000 points on the main thread: 1.39 s.
    ns_per_unit: 2.5,
};

impl Kernel for MonteCarlo {
    fn info(&self) -> &'static Info {
        &INFO
    }

    fn run(&self, _size: u64, lo: u64, hi: u64, out: &mut TaskOutput) {
        let hits = hits(lo, hi);
        out.partial = Partial {
            count: hits,
            sum: hi - lo,
        };
        out.steps.push(Step::Print {
            text: format!(
                "points {}–{}: {} inside",
                group(lo),
                group(hi.saturating_sub(1)),
                group(hits)
            ),
        });
    }

    fn headline(&self, total: Partial, _size: u64) -> String {
        format!(
            "π ≈ {:.6} from {} points",
            estimate(total.count, total.sum),
            group(total.sum)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_million_samples_estimate_pi() {
        let n = 1_000_000;
        let pi = estimate(hits(0, n), n);
        assert!((pi - std::f64::consts::PI).abs() < 0.005, "{pi}");
    }

    #[test]
    fn splits_throw_the_same_points() {
        let whole = hits(0, 100_000);
        let parts: u64 = [(0, 1), (1, 4_999), (4_999, 77_777), (77_777, 100_000)]
            .iter()
            .map(|&(lo, hi)| hits(lo, hi))
            .sum();
        assert_eq!(whole, parts);
    }
}
