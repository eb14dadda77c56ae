//! A grid on the weight simplex.

use crate::{Component, Weights};

/// Every weighting of `components` whose weights are multiples of
/// `1 / divisions` summing to 1 (other components 0): the points of a
/// regular grid on the simplex, in lexicographic order of the counts, the
/// first component's largest first. There are `C(divisions + k − 1, k − 1)`
/// of them for `k` components (for example 1,001 for five components and
/// steps of 0.1, 126 for steps of 0.2).
///
/// Empty when `components` is empty or `divisions` is 0. A component named
/// twice counts once.
///
/// Time and memory: linear in the number of points.
///
/// ```
/// use mentor_match::{Component, simplex_grid};
///
/// let grid = simplex_grid(&[Component::Skills, Component::Goals], 4);
/// let skills: Vec<f64> = grid.iter().map(|w| w.skills()).collect();
/// assert_eq!(skills, [1.0, 0.75, 0.5, 0.25, 0.0]);
/// assert!(grid.iter().all(|w| w.skills() + w.goals() == 1.0 && w.availability() == 0.0));
/// assert_eq!(simplex_grid(&Component::all().collect::<Vec<_>>(), 10).len(), 1001);
/// ```
pub fn simplex_grid(components: &[Component], divisions: usize) -> Vec<Weights> {
    let mut distinct: Vec<Component> = Vec::with_capacity(components.len());
    for &component in components {
        if !distinct.contains(&component) {
            distinct.push(component);
        }
    }
    let mut grid = Vec::new();
    if distinct.is_empty() || divisions == 0 {
        return grid;
    }
    let zero = Component::all().fold(Weights::default(), |w, c| w.with(c, 0.0));
    let mut counts = vec![0usize; distinct.len()];
    place(
        &distinct,
        divisions,
        divisions,
        0,
        &mut counts,
        &zero,
        &mut grid,
    );
    grid
}

/// Fills `counts[at..]` with every split of `left` in decreasing order of
/// `counts[at]`, pushing each finished point.
fn place(
    components: &[Component],
    divisions: usize,
    left: usize,
    at: usize,
    counts: &mut [usize],
    zero: &Weights,
    grid: &mut Vec<Weights>,
) {
    if at + 1 == components.len() {
        counts[at] = left;
        let weights = components
            .iter()
            .zip(counts.iter())
            .fold(*zero, |w, (&c, &count)| {
                w.with(c, count as f64 / divisions as f64)
            });
        grid.push(weights);
        return;
    }
    for count in (0..=left).rev() {
        counts[at] = count;
        place(
            components,
            divisions,
            left - count,
            at + 1,
            counts,
            zero,
            grid,
        );
    }
}
