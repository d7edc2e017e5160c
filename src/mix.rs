//! A stateless 64-bit mixer (the SplitMix64 finaliser).
//!
//! Kernels use it where they need "random-looking" numbers that depend only on an index, so
//! that any split of the work into tasks sees exactly the same numbers and every mode gets the
//! same digest.

/// The golden-ratio increment SplitMix64 adds between outputs.
pub const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// Mixes `x` into a well-distributed 64-bit value (SplitMix64's output function).
pub fn mix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(GOLDEN);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Formats `n` with thin-space-free comma grouping, as people read it: `78,498`.
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mix64_matches_splitmix64_reference() {
        // First output of the reference SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        assert_eq!(mix64(0), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn group_inserts_commas_every_three_digits() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1_000), "1,000");
        assert_eq!(group(78_498), "78,498");
        assert_eq!(group(1_000_000), "1,000,000");
    }
}
