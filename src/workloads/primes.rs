//! Prime counting by trial division: the classic CPU-bound task.
//!
//! Trial division is deliberately naive: the work per number grows with its square root, so
//! equal-width ranges cost different amounts, which is what dynamic scheduling is for.
//! Known answers: 78,498 primes below 10^6, summing to 37,550,402,023.
use super::{Info, Kernel};
use crate::mix::group;
use crate::task::{Partial, Step, TaskOutput};

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

/// Prime counting as a workload.
pub struct Primes;

static INFO: Info = Info {
    id: "primes",
    label: "Prime counting",
    blurb: "Counts primes below n by trial division: pure CPU work, and later numbers cost more than early ones.",
    size_label: "count primes below",
    tasks_note: "at most one per item",
    min_size: 1_000,
    max_size: 100_000_000,
    default_size: 16_000_000,
    quick_size: 6_000_000,
    default_tasks: 64,
    benchmark: true,
    sleeps: false,
    picture: false,
    experiment: false,
    kernel_file: "primes.rs",
    python: "def is_prime(n):
    if n < 4:
        return n >= 2
    if n % 2 == 0 or n % 3 == 0:
        return False
    d = 5
    while d * d <= n:
        if n % d == 0 or n % (d + 2) == 0:
            return False
        d += 6
    return True

def task(lo, hi):
    return sum(1 for n in range(lo, hi) if is_prime(n))",
    // 16,000,000 on the main thread: 2.29 s.
    ns_per_unit: 5.0,
};

impl Kernel for Primes {
    fn info(&self) -> &'static Info {
        &INFO
    }

    fn run(&self, _size: u64, lo: u64, hi: u64, out: &mut TaskOutput) {
        // Sizes are bounded far below u32::MAX, so the kernel can use 32-bit division.
        let (count, sum) = count_and_sum(lo as u32, hi as u32);
        out.partial = Partial { count, sum };
        out.steps.push(Step::Print {
            text: format!("primes in [{}, {}): {}", group(lo), group(hi), group(count)),
        });
    }

    fn headline(&self, total: Partial, size: u64) -> String {
        format!(
            "{} primes below {} (their sum: {})",
            group(total.count),
            group(size),
            group(total.sum)
        )
    }

    fn work(&self, _size: u64) -> Box<dyn Fn(u64, u64) -> f64 + '_> {
        Box::new(|lo, hi| work(lo as u32, hi as u32))
    }
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
