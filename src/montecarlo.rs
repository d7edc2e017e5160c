//! Monte-Carlo π: throw points into the unit square, count those inside the quarter circle.
//!
//! Sample `i` takes its coordinates from `mix64(seed + i)`, so each task seeds its generator
//! with its first sample's index and any split of the samples into tasks throws exactly the
//! same points: the hit count, and so the digest, is the same for every task count and mode.
//! With 10^6 samples expect π within about 0.005.

use crate::mix::{mix64, GOLDEN};

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
