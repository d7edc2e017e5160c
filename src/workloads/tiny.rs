//! "Tiny tasks": items that take a few nanoseconds each.
//!
//! With one item per task, sending a task to a worker and its result back costs thousands of
//! times more than the work, so a pool is slower than a plain loop on the page's thread until
//! the items are grouped into bigger tasks (chunksize). That overhead is the lesson.

use super::{Info, Kernel};
use crate::mix::group;
use crate::mix::mix64;
use crate::task::{Partial, TaskOutput};

// ANCHOR: kernel
/// The order-free sum of `mix64(i)` over the items `lo..hi`.
pub fn checksum(lo: u64, hi: u64) -> u64 {
    (lo..hi).fold(0u64, |acc, i| acc.wrapping_add(mix64(i)))
}
// ANCHOR_END: kernel

/// Tiny tasks as a workload.
pub struct Tiny;

static INFO: Info = Info {
    id: "tiny",
    label: "Tiny tasks",
    blurb: "Thousands of near-empty tasks: sending work to a worker costs more than doing it, unless tasks are chunked.",
    size_label: "items",
    tasks_note: "at most one per item",
    min_size: 1,
    max_size: 1_000_000,
    default_size: 5_000,
    quick_size: 2_000,
    default_tasks: 5_000,
    benchmark: true,
    sleeps: false,
    picture: false,
    experiment: false,
    kernel_file: "tiny.rs",
    python: "M = (1 << 64) - 1  # mix64 as in Monte-Carlo π

def task(lo, hi):  # a few nanoseconds of work per item
    return sum(mix64(i) for i in range(lo, hi)) & M",
    ns_per_unit: 2.0,
};

impl Kernel for Tiny {
    fn info(&self) -> &'static Info {
        &INFO
    }

    fn run(&self, _size: u64, lo: u64, hi: u64, out: &mut TaskOutput) {
        // Near-empty on purpose: no line either, or printing would be the work.
        out.partial = Partial {
            count: hi - lo,
            sum: checksum(lo, hi),
        };
    }

    fn headline(&self, total: Partial, _size: u64) -> String {
        format!("{} items, checksum {:016x}", group(total.count), total.sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_add_up() {
        let parts = checksum(0, 17).wrapping_add(checksum(17, 1000));
        assert_eq!(checksum(0, 1000), parts);
    }

    #[test]
    fn empty_range_is_zero() {
        assert_eq!(checksum(5, 5), 0);
        assert_eq!(checksum(0, 1), mix64(0));
    }
}
