//! The judge of a solver's answer, shared by the crate's unit tests of the
//! solvers and the sparse solver's integration tests (included with
//! `#[path]`; the including module brings `Problem` into scope).

use super::Problem;

/// Checks that `columns` is a valid solution of `problem` (capacities, allowed
/// pairs, unassigned rows only when allowed) and returns its total.
pub fn total_of(problem: &Problem<'_>, columns: &[Option<usize>]) -> f64 {
    let (rows, width) = (problem.costs.rows(), problem.costs.columns());
    assert_eq!(columns.len(), rows);
    let mut load = vec![0usize; width];
    let mut total = 0.0;
    for (i, column) in columns.iter().enumerate() {
        if let Some(j) = *column {
            load[j] += 1;
            assert!(load[j] <= problem.capacity[j], "column {j} over capacity");
            let cost = problem.costs.at(i, j);
            assert!(cost.is_finite(), "forbidden pair ({i}, {j}) used");
            total += cost;
        } else {
            let unmatched = problem
                .unmatched_cost
                .filter(|c| c.is_finite())
                .expect("a row left unassigned without an unmatched cost");
            total += unmatched;
        }
    }
    total
}
