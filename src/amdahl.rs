//! Amdahl's law, fitted to a measured sweep of worker counts.
//!
//! If a fraction `s` of a run cannot be parallelised, `n` workers give at most
//! `S(n) = 1 / (s + (1 − s) / n)`, and no number of workers beats `1 / s`. A sweep measures
//! `S(n)` for `n = 1, 2, …`; past the machine's real core count the speedup stops growing,
//! so the fit uses only the points up to where scaling levels off (the measured cores).

use serde::{Deserialize, Serialize};

/// One measured point of a sweep.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Workers (or threads) used.
    pub workers: u32,
    /// Speedup over the main thread's run of the same task list.
    pub speedup: f64,
}

/// What a sweep says about the machine and the workload.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fit {
    /// The fitted serial fraction `s`, in [0, 1].
    pub serial_fraction: f64,
    /// `1 / s`: the most any number of workers could give (infinite when `s` is 0).
    pub max_speedup: f64,
    /// The fewest workers that reach 95% of the best measured speedup: where scaling levels
    /// off, which is the machine's usable core count for this workload.
    pub measured_cores: u32,
    /// How many points (those up to `measured_cores`) the fit used.
    pub fitted_points: usize,
    /// `S(n)` under the fit for `n = 1 ..= ` the largest measured worker count.
    pub curve: Vec<f64>,
}

/// Amdahl's speedup for serial fraction `s` on `n` workers.
pub fn speedup(s: f64, n: u32) -> f64 {
    1.0 / (s + (1.0 - s) / f64::from(n.max(1)))
}

/// Fits Amdahl's law to `points`; `None` without a point or with a non-positive speedup.
///
/// The law is linear in `s` once rearranged, `1/S − 1/n = s·(1 − 1/n)`, so the least-squares
/// `s` has a closed form; it is clamped to [0, 1] because measurements can beat the ideal.
pub fn fit(points: &[Point]) -> Option<Fit> {
    if points.is_empty()
        || points
            .iter()
            .any(|p| p.speedup.is_nan() || p.speedup <= 0.0)
    {
        return None;
    }
    let best = points.iter().map(|p| p.speedup).fold(f64::MIN, f64::max);
    let measured_cores = points
        .iter()
        .filter(|p| p.speedup >= 0.95 * best)
        .map(|p| p.workers)
        .min()?;
    let used: Vec<&Point> = points
        .iter()
        .filter(|p| p.workers <= measured_cores)
        .collect();
    let (mut num, mut den) = (0.0, 0.0);
    for p in &used {
        let n = f64::from(p.workers.max(1));
        let x = 1.0 - 1.0 / n;
        num += x * (1.0 / p.speedup - 1.0 / n);
        den += x * x;
    }
    // Only n = 1 in range: one worker says nothing about parallel parts; call it all serial
    // if it was no faster than the main thread, else all parallel.
    let s = if den > 0.0 {
        (num / den).clamp(0.0, 1.0)
    } else {
        1.0
    };
    let largest = points.iter().map(|p| p.workers).max().unwrap_or(1);
    Some(Fit {
        serial_fraction: s,
        max_speedup: if s > 0.0 { 1.0 / s } else { f64::INFINITY },
        measured_cores,
        fitted_points: used.len(),
        curve: (1..=largest).map(|n| speedup(s, n)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn the_law_itself() {
        assert!(close(speedup(0.0, 8), 8.0));
        assert!(close(speedup(1.0, 8), 1.0));
        assert!(close(speedup(0.5, 2), 4.0 / 3.0));
    }

    #[test]
    fn recovers_the_serial_fraction_of_ideal_data() {
        let points: Vec<Point> = (1..=8)
            .map(|n| Point {
                workers: n,
                speedup: speedup(0.1, n),
            })
            .collect();
        let f = fit(&points).unwrap();
        assert!(
            (f.serial_fraction - 0.1).abs() < 1e-9,
            "{}",
            f.serial_fraction
        );
        assert!(close(f.max_speedup, 10.0));
        assert_eq!(f.measured_cores, 8);
        assert_eq!(f.curve.len(), 8);
    }

    #[test]
    fn levels_off_where_the_cores_run_out() {
        // Two real cores: 1.0, 1.9, then flat, as a 2-core machine measures.
        let points = [(1, 0.99), (2, 1.88), (3, 1.86), (4, 1.87)].map(|(w, s)| Point {
            workers: w,
            speedup: s,
        });
        let f = fit(&points).unwrap();
        assert_eq!(f.measured_cores, 2);
        assert_eq!(f.fitted_points, 2);
        assert!(
            f.serial_fraction > 0.0 && f.serial_fraction < 0.1,
            "{}",
            f.serial_fraction
        );
        assert_eq!(f.curve.len(), 4);
    }

    #[test]
    fn better_than_ideal_clamps_to_zero_and_no_scaling_to_one() {
        let super_linear = [(1, 1.0), (2, 2.2)].map(|(w, s)| Point {
            workers: w,
            speedup: s,
        });
        assert_eq!(fit(&super_linear).unwrap().serial_fraction, 0.0);
        assert!(fit(&super_linear).unwrap().max_speedup.is_infinite());
        let flat = [(1, 1.0), (2, 0.5), (3, 0.4)].map(|(w, s)| Point {
            workers: w,
            speedup: s,
        });
        let f = fit(&flat).unwrap();
        assert_eq!(f.measured_cores, 1);
        assert_eq!(f.serial_fraction, 1.0);
    }

    #[test]
    fn no_points_or_bad_points_give_no_fit() {
        assert!(fit(&[]).is_none());
        assert!(fit(&[Point {
            workers: 2,
            speedup: 0.0
        }])
        .is_none());
        assert!(fit(&[Point {
            workers: 2,
            speedup: f64::NAN
        }])
        .is_none());
    }
}
