//! The exact integer arithmetic of the flow solver and its vectorised scans.
//!
//! Costs arrive as `f64` integers; potentials and distances are `i64` (or
//! `i128` for very large unit costs). Unreachable and masked entries are
//! handled by sentinels rather than branches, so that the inner loops have no
//! branches and vectorise: a forbidden pair converts to a large positive cost,
//! a masked column (finalised, held by the row being scanned, or of capacity
//! 0) has a very negative potential, and any distance at or above
//! [`Int::UNREACHED`] means "not reached". The size limits of the solver keep
//! every real value far enough from the sentinels that no sum overflows.
//!
//! Every distance a scan compares is `>= 0` (the search shifts them so), and
//! non-negative `i64` values below `0x7FF0…` are ordered like the `f64`
//! values with the same bits: the `i64` minimum is then one `f64` comparison,
//! which baseline x86-64 vectorises, unlike a 64-bit integer comparison.

use std::fmt::Debug;
use std::ops::{Add, Sub};

/// Lanes of the vectorised scans.
const LANES: usize = 8;

/// `1.5 · 2^52`: adding it to an integer-valued `f64` of magnitude below
/// `2^51` puts the integer in the low mantissa bits.
const MAGIC: f64 = 6_755_399_441_055_744.0;

/// The bits of [`MAGIC`].
#[allow(clippy::cast_possible_wrap)] // 0x4338… is below 2^63
const MAGIC_BITS: i64 = 0x4338_0000_0000_0000_u64 as i64;

/// An `f64` pair cost as an `i64`: exact for integers of magnitude at most
/// `2^50`; `+inf` (forbidden) becomes about `3.8 · 2^60`. Vectorises (an add
/// and an integer subtraction), unlike `as i64`.
#[inline]
#[allow(clippy::cast_possible_wrap)] // a bit pattern, reinterpreted on purpose
fn magic(c: f64) -> i64 {
    ((c + MAGIC).to_bits() as i64).wrapping_sub(MAGIC_BITS)
}

/// The integers potentials and distances are computed in.
pub(crate) trait Int:
    Copy + Ord + Add<Output = Self> + Sub<Output = Self> + Debug + Send + Sync + 'static
{
    /// Zero.
    const ZERO: Self;
    /// The distance of a column not reached yet: above every value a scan
    /// can produce.
    const FAR: Self;
    /// Distances at or above this are unreachable: above every real distance,
    /// below every sum with a sentinel.
    const UNREACHED: Self;
    /// The potential of a masked column.
    const MASK: Self;

    /// A pair cost, integer-valued and of magnitude at most `2^50`, or `+inf`.
    fn cost(c: f64) -> Self;

    /// A value known to fit.
    fn from_i128(x: i128) -> Self;

    /// The smaller of two values, both `>= 0` or sentinels.
    fn lower(a: Self, b: Self) -> Self;

    /// The value as an `i128`.
    fn to_i128(self) -> i128;
}

impl Int for i64 {
    const ZERO: i64 = 0;
    // The largest finite f64's bits: above every sum below.
    const FAR: i64 = 0x7FE0_0000_0000_0000;
    // With Q <= 2^57, real distances stay below 2^60; potentials are within
    // Q and `h` within 3Q. A forbidden cost is about 3.8 · 2^60 and the mask
    // 2.5 · 2^60, so a masked or forbidden sum is at least 2.37 · 2^60 and
    // every sum stays below 6.7 · 2^60 (and below the bits of +inf,
    // 7.996 · 2^60).
    const UNREACHED: i64 = 1 << 61;
    const MASK: i64 = -(5 << 59);

    #[inline]
    fn cost(c: f64) -> i64 {
        magic(c)
    }

    #[inline]
    fn lower(a: i64, b: i64) -> i64 {
        #[allow(clippy::cast_sign_loss)] // bit patterns of values >= 0
        let (x, y) = (f64::from_bits(a as u64), f64::from_bits(b as u64));
        if x < y { a } else { b }
    }

    fn from_i128(x: i128) -> i64 {
        i64::try_from(x).expect("within the i64 limit")
    }

    fn to_i128(self) -> i128 {
        i128::from(self)
    }
}

impl Int for i128 {
    const ZERO: i128 = 0;
    const FAR: i128 = i128::MAX;
    // Real values stay within 2^122 (Q <= 2^120).
    const UNREACHED: i128 = 1 << 123;
    const MASK: i128 = -(3 << 122);

    #[inline]
    fn cost(c: f64) -> i128 {
        if c == f64::INFINITY {
            1 << 124
        } else {
            i128::from(magic(c))
        }
    }

    fn from_i128(x: i128) -> i128 {
        x
    }

    #[inline]
    fn lower(a: i128, b: i128) -> i128 {
        if a < b { a } else { b }
    }

    fn to_i128(self) -> i128 {
        self
    }
}

/// Lowers `dist[k]` to `min over r of (c_r[k] - h[r] - v[k])` where that is
/// smaller, for the `R` rows `c_r` (dense, as long as `dist`), and returns the
/// smallest `dist`. Lanes of fixed width let the compiler vectorise the loop.
#[inline(never)] // inlined into the search, the loop is no longer vectorised
pub(crate) fn relax<T: Int, const R: usize>(
    rows: [&[f64]; R],
    h: [T; R],
    v: &[T],
    dist: &mut [T],
) -> T {
    let columns = dist.len();
    let full = columns - columns % LANES;
    let mut best = [T::FAR; LANES];
    let lanes = dist[..full]
        .chunks_exact_mut(LANES)
        .zip(v[..full].chunks_exact(LANES));
    for (chunk, (d, v)) in lanes.enumerate() {
        let at = chunk * LANES;
        for (row, &h) in rows.iter().zip(&h) {
            let c: &[f64; LANES] = row[at..at + LANES]
                .try_into()
                .expect("rows as long as dist");
            // c - h alone may be negative: subtract v first.
            for k in 0..LANES {
                d[k] = T::lower(T::cost(c[k]) - h - v[k], d[k]);
            }
        }
        for k in 0..LANES {
            best[k] = T::lower(d[k], best[k]);
        }
    }
    let mut smallest = best.into_iter().fold(T::FAR, T::lower);
    for k in full..columns {
        for r in 0..R {
            dist[k] = T::lower(T::cost(rows[r][k]) - h[r] - v[k], dist[k]);
        }
        smallest = T::lower(dist[k], smallest);
    }
    smallest
}

/// The smallest entry (`FAR` for none).
pub(crate) fn smallest<T: Int>(values: &[T]) -> T {
    let mut best = [T::FAR; LANES];
    let mut lanes = values.chunks_exact(LANES);
    for lane in &mut lanes {
        for k in 0..LANES {
            best[k] = T::lower(lane[k], best[k]);
        }
    }
    lanes
        .remainder()
        .iter()
        .copied()
        .chain(best)
        .fold(T::FAR, T::lower)
}

/// The first `k >= from` with `values[k] == level`, testing whole lanes at once.
pub(crate) fn find_equal<T: Int>(values: &[T], from: usize, level: T) -> Option<usize> {
    let rest = values.get(from..)?;
    let mut lanes = rest.chunks_exact(LANES);
    let mut offset = from;
    for lane in &mut lanes {
        // `|`, not `||`: no branch per entry, so the test vectorises.
        #[allow(clippy::needless_bitwise_bool)]
        if lane.iter().fold(false, |any, &x| any | (x == level)) {
            return lane.iter().position(|&x| x == level).map(|k| offset + k);
        }
        offset += LANES;
    }
    lanes
        .remainder()
        .iter()
        .position(|&x| x == level)
        .map(|k| offset + k)
}

/// `out[j] = c[j] - h - v[j]`: the labels of a dense row.
pub(crate) fn labels<T: Int>(row: &[f64], h: T, v: &[T], out: &mut [T]) {
    for ((o, &c), &v) in out.iter_mut().zip(row).zip(v) {
        *o = T::cost(c) - h - v;
    }
}

/// Checks dense costs: each `+inf` or an integer of magnitude at most
/// `2^50`. Returns the largest magnitude of a finite entry, or the index of
/// the first bad entry.
pub(crate) fn check_dense(entries: &[f64]) -> Result<f64, usize> {
    let limit = super::MAX_PAIR_COST;
    // Exact on purpose: an integer survives the round trip through MAGIC.
    // `&` and `|`, not `&&` and `||`: no branch per entry, so it vectorises.
    #[allow(clippy::float_cmp, clippy::needless_bitwise_bool)]
    let good = |x: f64| (x == f64::INFINITY) | ((x.abs() <= limit) & ((x + MAGIC) - MAGIC == x));
    let mut largest = [0.0f64; LANES];
    let mut all_good = true;
    let mut lanes = entries.chunks_exact(LANES);
    for lane in &mut lanes {
        for k in 0..LANES {
            let x = lane[k];
            all_good &= good(x);
            let m = if x.abs() <= limit { x.abs() } else { 0.0 };
            largest[k] = if m > largest[k] { m } else { largest[k] };
        }
    }
    for &x in lanes.remainder() {
        all_good &= good(x);
        if x.abs() <= limit {
            largest[0] = largest[0].max(x.abs());
        }
    }
    if !all_good {
        return Err(entries
            .iter()
            .position(|&x| !good(x))
            .expect("a bad entry was seen"));
    }
    Ok(largest.into_iter().fold(0.0, f64::max))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_conversion_is_exact_on_integers() {
        for x in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            1e9,
            -1e9,
            2f64.powi(50),
            -(2f64.powi(50)),
        ] {
            #[allow(clippy::cast_possible_truncation)]
            let expected = x as i64;
            assert_eq!(i64::cost(x), expected, "{x}");
            assert_eq!(i128::cost(x), i128::from(expected), "{x}");
        }
        assert!(i64::cost(f64::INFINITY) > i64::UNREACHED + (1 << 60));
        assert!(i128::cost(f64::INFINITY) > i128::UNREACHED);
    }

    #[test]
    fn dense_check_finds_bad_entries() {
        assert_eq!(check_dense(&[1.0, -3.0, f64::INFINITY]), Ok(3.0));
        assert_eq!(check_dense(&[1.0, 0.5]), Err(1));
        assert_eq!(
            check_dense(
                &[1.0; 9]
                    .map(|x| x)
                    .iter()
                    .copied()
                    .chain([f64::NAN])
                    .collect::<Vec<_>>()
            ),
            Err(9)
        );
        assert_eq!(check_dense(&[f64::NEG_INFINITY]), Err(0));
        assert_eq!(check_dense(&[2f64.powi(51)]), Err(0));
    }

    #[test]
    fn relax_takes_the_smallest_and_ignores_masks() {
        let rows = [
            &[1.0, 5.0, f64::INFINITY, 2.0][..],
            &[3.0, 1.0, 1.0, 0.0][..],
        ];
        let v = [0i64, 0, 0, i64::MASK];
        let mut dist = [i64::FAR; 4];
        let smallest = relax(rows, [0, 1], &v, &mut dist);
        assert_eq!(&dist[..3], &[1, 0, 0]);
        assert!(dist[3] >= i64::UNREACHED);
        assert_eq!(smallest, 0);
    }
}
