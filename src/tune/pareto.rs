//! The Pareto front: the points no other point dominates.

use std::cmp::Ordering;

/// The positions, in input order, of the points on the Pareto front when
/// every coordinate is maximised: the points that no other point dominates
/// (is at least as large in every coordinate and larger in one). Equal
/// points do not dominate each other, so they are on the front together.
/// NaN counts as smaller than every number.
///
/// Time `O(n log n + n·f·d)` for `n` points of `d` coordinates and a front
/// of `f` points: after a sort in decreasing lexicographic order, a point
/// can only be dominated by one before it, and if it is, then by one on the
/// front (domination is transitive), so each point is compared with the
/// front found so far.
///
/// ```
/// use mentor_match::pareto_front;
///
/// let points = [vec![1.0, 0.0], vec![0.5, 0.5], vec![0.4, 0.4], vec![0.0, 1.0], vec![0.5, 0.5]];
/// assert_eq!(pareto_front(&points), [0, 1, 3, 4]);
/// ```
///
/// # Panics
///
/// When the points differ in length.
pub fn pareto_front<P: AsRef<[f64]>>(points: &[P]) -> Vec<usize> {
    // NaN as -inf, and -0 as +0, so that the sort's order agrees with `>=`.
    let key = |x: f64| {
        if x.is_nan() {
            f64::NEG_INFINITY
        } else {
            x + 0.0
        }
    };
    let coordinates: Vec<Vec<f64>> = points
        .iter()
        .map(|p| p.as_ref().iter().map(|&x| key(x)).collect())
        .collect();
    if let Some(first) = coordinates.first() {
        assert!(
            coordinates.iter().all(|p| p.len() == first.len()),
            "pareto_front: points of different lengths"
        );
    }
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| lexicographic(&coordinates[b], &coordinates[a]));
    let mut front: Vec<usize> = Vec::new();
    for &k in &order {
        if !front
            .iter()
            .any(|&f| dominates(&coordinates[f], &coordinates[k]))
        {
            front.push(k);
        }
    }
    front.sort_unstable();
    front
}

/// Whether `a` dominates `b` (maximising every coordinate).
fn dominates(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x >= y) && a.iter().zip(b).any(|(x, y)| x > y)
}

fn lexicographic(a: &[f64], b: &[f64]) -> Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| x.total_cmp(y))
        .find(|&o| o != Ordering::Equal)
        .unwrap_or(Ordering::Equal)
}
