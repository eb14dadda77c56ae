//! `SplitMix64` (Steele, Lea and Flood, "Fast splittable pseudorandom number
//! generators", OOPSLA 2014): small, seeded, the same on every machine and
//! easy to reproduce in Python. Shared by the benches and the tests that
//! generate larger matrices (included with `#[path]`).

/// The generator's state.
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A position in `0..n` (`n > 0`).
    pub fn index(&mut self, n: usize) -> usize {
        usize::try_from(self.below(n as u64)).expect("below n, which is a usize")
    }

    /// A whole number in `low..=high`, as `f64`.
    #[allow(clippy::cast_precision_loss)] // small numbers
    pub fn between(&mut self, low: u64, high: u64) -> f64 {
        (low + self.below(high - low + 1)) as f64
    }
}
