//! Prime counting by trial division: the classic CPU-bound task.
//!
//! Trial division is deliberately naive: the work per number grows with its square root, so
//! equal-width ranges cost different amounts, which is what dynamic scheduling is for.
//! Known answers: 78,498 primes below 10^6, summing to 37,550,402,023.

// ANCHOR: kernel
/// Whether `n` is prime, by trial division with the 6k ± 1 wheel.
pub fn is_prime(n: u32) -> bool {
    if n < 4 {
        return n >= 2;
    }
    if n.is_multiple_of(2) || n.is_multiple_of(3) {
        return false;
    }
    let mut d: u32 = 5;
    // d * d <= n, written to avoid overflow near u32::MAX.
    while d <= n / d {
        if n.is_multiple_of(d) || n.is_multiple_of(d + 2) {
            return false;
        }
        d += 6;
    }
    true
}

/// How many primes lie in `lo..hi`, and their sum.
pub fn count_and_sum(lo: u32, hi: u32) -> (u64, u64) {
    (lo..hi)
        .filter(|&n| is_prime(n))
        .fold((0, 0), |(count, sum), p| (count + 1, sum + u64::from(p)))
}
// ANCHOR_END: kernel

/// Roughly how many wheel steps `count_and_sum(lo, hi)` takes, for estimating a task's time
/// before running it. A prime `p` costs about √p / 6 steps (one per six numbers up to √p)
/// and there are about 1/ln x primes near x; composites mostly stop at a small divisor, about
/// one step each. Integrating √x / (6 ln x) gives (hi^1.5 − lo^1.5) / (9 ln hi).
pub fn work(lo: u32, hi: u32) -> f64 {
    let (lo, hi) = (f64::from(lo), f64::from(hi.max(3)));
    (hi.powf(1.5) - lo.powf(1.5)) / (9.0 * hi.ln()) + (hi - lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_numbers() {
        let primes: Vec<u32> = (0..30).filter(|&n| is_prime(n)).collect();
        assert_eq!(primes, [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
    }

    #[test]
    fn squares_of_primes_are_not_prime() {
        for p in [5u32, 7, 11, 13, 65_521] {
            assert!(!is_prime(p * p), "{p}^2");
        }
    }

    #[test]
    fn largest_u32_prime() {
        assert!(is_prime(4_294_967_291));
        assert!(!is_prime(u32::MAX));
    }

    #[test]
    fn primes_below_a_million() {
        assert_eq!(count_and_sum(0, 1_000_000), (78_498, 37_550_402_023));
    }

    #[test]
    fn ranges_add_up() {
        let whole = count_and_sum(0, 100_000);
        let (a, b) = (count_and_sum(0, 31_337), count_and_sum(31_337, 100_000));
        assert_eq!(whole, (a.0 + b.0, a.1 + b.1));
        assert_eq!(whole.0, 9_592);
    }
}
