//! Kendall's rank correlation tau-b, with ties, in `O(n log n)` (Knight's
//! algorithm).

use std::cmp::Ordering;

/// Kendall's tau-b of two paired samples: how well the order of `x` agrees
/// with the order of `y`, from -1 (reversed) through 0 (unrelated) to 1 (the
/// same order), with the tie correction of tau-b:
///
/// `tau_b = (concordant − discordant) / sqrt((n0 − n1) · (n0 − n2))`, where
/// `n0 = n(n−1)/2` and `n1`, `n2` are the pairs tied in `x` and in `y`.
/// This is the statistic of `SciPy`'s `scipy.stats.kendalltau` (its default
/// `variant="b"`).
///
/// Values compare by [`f64::total_cmp`], so equal values tie and a NaN ties
/// with an identical NaN. `None` when there are fewer than two values or
/// either sample is all ties (the denominator is 0; `SciPy` returns NaN).
///
/// Time `O(n log n)`: one sort by `(x, y)` counts the ties, a merge sort of
/// the `y` values in that order counts the discordant pairs as swaps
/// (W. R. Knight, "A computer method for calculating Kendall's tau with
/// ungrouped data", JASA 61 (1966) 436–439). Memory `O(n)`.
///
/// ```
/// use mentor_match::kendall_tau_b;
///
/// assert_eq!(kendall_tau_b(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]), Some(1.0));
/// assert_eq!(kendall_tau_b(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), Some(-1.0));
/// assert_eq!(kendall_tau_b(&[1.0, 1.0], &[1.0, 2.0]), None);
/// ```
///
/// # Panics
///
/// When `x` and `y` differ in length.
#[allow(clippy::many_single_char_names)] // the statistic's own names
pub fn kendall_tau_b(x: &[f64], y: &[f64]) -> Option<f64> {
    assert_eq!(
        x.len(),
        y.len(),
        "kendall_tau_b: samples of different lengths"
    );
    let n = x.len();
    if n < 2 {
        return None;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by(|&a, &b| x[a].total_cmp(&x[b]).then(y[a].total_cmp(&y[b])));

    // Pairs tied in x (n1), and tied in both (n3), from runs of the order.
    let (tied_x, tied_both) = {
        let (mut tied_x, mut tied_both) = (0u64, 0u64);
        let (mut run_x, mut run_both) = (1u64, 1u64);
        for k in 1..n {
            let (a, b) = (order[k - 1], order[k]);
            if x[a].total_cmp(&x[b]) == Ordering::Equal {
                run_x += 1;
                if y[a].total_cmp(&y[b]) == Ordering::Equal {
                    run_both += 1;
                } else {
                    tied_both += pairs(run_both);
                    run_both = 1;
                }
            } else {
                tied_x += pairs(run_x);
                tied_both += pairs(run_both);
                run_x = 1;
                run_both = 1;
            }
        }
        (tied_x + pairs(run_x), tied_both + pairs(run_both))
    };

    // Discordant pairs: inversions of y in this order (pairs tied in x are
    // sorted by y already, so they add none).
    let mut values: Vec<f64> = order.iter().map(|&k| y[k]).collect();
    let mut buffer = vec![0.0; n];
    let swaps = merge_count(&mut values, &mut buffer);

    // Pairs tied in y, from runs of the sorted y.
    let mut tied_y = 0u64;
    let mut run = 1u64;
    for k in 1..n {
        if values[k - 1].total_cmp(&values[k]) == Ordering::Equal {
            run += 1;
        } else {
            tied_y += pairs(run);
            run = 1;
        }
    }
    tied_y += pairs(run);

    let all = pairs(n as u64);
    if tied_x == all || tied_y == all {
        return None;
    }
    // concordant − discordant = all − n1 − n2 + n3 − 2·swaps; exact in i128.
    let difference = i128::from(all) - i128::from(tied_x) - i128::from(tied_y)
        + i128::from(tied_both)
        - 2 * i128::from(swaps);
    // One square root of the exact product (so that tau is exactly ±1 for
    // the same or reversed ties on both sides).
    let (untied_x, untied_y) = (all - tied_x, all - tied_y);
    let denominator = if untied_x == untied_y {
        untied_x as f64
    } else {
        ((u128::from(untied_x) * u128::from(untied_y)) as f64).sqrt()
    };
    Some((difference as f64 / denominator).clamp(-1.0, 1.0))
}

/// `k (k − 1) / 2`: the pairs among `k` items.
fn pairs(k: u64) -> u64 {
    k * k.saturating_sub(1) / 2
}

/// Sorts `values` (by [`f64::total_cmp`]) and returns the number of
/// inversions: pairs `a < b` with `values[a] > values[b]` (strictly).
fn merge_count(values: &mut [f64], buffer: &mut [f64]) -> u64 {
    let n = values.len();
    let mut swaps = 0u64;
    // Bottom-up: runs of `width` are merged pairwise.
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let middle = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j, mut k) = (start, middle, start);
            while i < middle && j < end {
                // Equal values are not inversions: the left one goes first.
                if values[j].total_cmp(&values[i]) == Ordering::Less {
                    buffer[k] = values[j];
                    swaps += (middle - i) as u64;
                    j += 1;
                } else {
                    buffer[k] = values[i];
                    i += 1;
                }
                k += 1;
            }
            buffer[k..k + middle - i].copy_from_slice(&values[i..middle]);
            k += middle - i;
            buffer[k..k + end - j].copy_from_slice(&values[j..end]);
            values[start..end].copy_from_slice(&buffer[start..end]);
            start = end;
        }
        width *= 2;
    }
    swaps
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, pair by pair: `O(n²)`.
    fn by_definition(x: &[f64], y: &[f64]) -> Option<f64> {
        let n = x.len();
        let (mut difference, mut untied_x, mut untied_y) = (0i64, 0i64, 0i64);
        for a in 0..n {
            for b in a + 1..n {
                let dx = x[a].total_cmp(&x[b]) as i64;
                let dy = y[a].total_cmp(&y[b]) as i64;
                difference += dx * dy;
                untied_x += dx.abs();
                untied_y += dy.abs();
            }
        }
        (untied_x > 0 && untied_y > 0)
            .then(|| difference as f64 / ((untied_x as f64).sqrt() * (untied_y as f64).sqrt()))
    }

    #[test]
    fn merge_count_counts_strict_inversions() {
        let mut values = vec![3.0, 1.0, 2.0, 2.0, 0.0];
        let mut buffer = vec![0.0; 5];
        // (3,1) (3,2) (3,2) (3,0) (1,0) (2,0) (2,0)
        assert_eq!(merge_count(&mut values, &mut buffer), 7);
        assert_eq!(values, [0.0, 1.0, 2.0, 2.0, 3.0]);
    }

    #[test]
    fn agrees_with_the_definition_on_many_ties() {
        let mut state = 12_345u64;
        let mut draw = |k: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) % k) as f64
        };
        for n in 0..60 {
            for levels in [2, 3, 5, 100] {
                let x: Vec<f64> = (0..n).map(|_| draw(levels)).collect();
                let y: Vec<f64> = (0..n).map(|_| draw(5)).collect();
                let fast = kendall_tau_b(&x, &y);
                let slow = by_definition(&x, &y);
                match (fast, slow) {
                    (Some(a), Some(b)) => assert!((a - b).abs() < 1e-12, "{a} {b}"),
                    (a, b) => assert_eq!(a, b),
                }
            }
        }
    }
}
