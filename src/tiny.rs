//! "Tiny tasks": items that take a few nanoseconds each.
//!
//! With one item per task, sending a task to a worker and its result back costs thousands of
//! times more than the work, so a pool is slower than a plain loop on the page's thread until
//! the items are grouped into bigger tasks (chunksize). That overhead is the lesson.

use crate::mix::mix64;

// ANCHOR: kernel
/// The order-free sum of `mix64(i)` over the items `lo..hi`.
pub fn checksum(lo: u64, hi: u64) -> u64 {
    (lo..hi).fold(0u64, |acc, i| acc.wrapping_add(mix64(i)))
}
// ANCHOR_END: kernel

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
