//! The sparse solver (costs stored as [`SparseCosts`], solved under
//! [`Solver::JonkerVolgenant`]) held to the optimum of the dense solvers on the
//! same problems: the sparse rows are the finite entries of a dense matrix, and
//! the dense JV and the Hungarian reference solve that matrix.

// Totals of integer costs are exact.
#![allow(clippy::float_cmp)]

use mentor_match::{Costs, Error, MatrixFormat, Problem, Sense, Solver, SparseCosts, parse_matrix};
use ndarray::Array2;
use proptest::prelude::*;

#[path = "../benches/support/random.rs"]
#[allow(dead_code)] // each user takes part of it
mod random;
use random::SplitMix64;

#[path = "support/assignment.rs"]
mod assignment;
use assignment::total_of;

/// The finite entries of `matrix`, as sparse rows.
fn sparse_of(matrix: &Array2<f64>) -> SparseCosts {
    SparseCosts::from_rows(
        matrix.ncols(),
        matrix.outer_iter().map(|row| {
            row.iter()
                .enumerate()
                .filter(|(_, c)| c.is_finite())
                .map(|(j, &c)| (j, c))
                .collect::<Vec<_>>()
        }),
    )
    .unwrap()
}

/// The outcome of solving: the optimum, or the most rows that can be placed.
fn outcome(problem: &Problem<'_>, solver: Solver) -> Result<f64, usize> {
    match problem.solve(solver) {
        Ok(columns) => Ok(total_of(problem, &columns)),
        Err(Error::Infeasible { required, possible }) => {
            assert_eq!(required, problem.costs.rows());
            Err(possible)
        }
        Err(other) => panic!("{solver:?}: unexpected error {other}"),
    }
}

/// Checks that the sparse solver reaches the optimum of the dense JV and of
/// the Hungarian reference on `matrix` (or the same infeasibility).
fn agree(matrix: &Array2<f64>, capacity: &[usize], unmatched_cost: Option<f64>) {
    let sparse = sparse_of(matrix);
    let on_sparse = Problem {
        costs: &sparse,
        capacity,
        unmatched_cost,
    };
    let on_dense = Problem {
        costs: matrix,
        capacity,
        unmatched_cost,
    };
    let ours = outcome(&on_sparse, Solver::JonkerVolgenant);
    assert_eq!(
        ours,
        outcome(&on_dense, Solver::JonkerVolgenant),
        "dense JV"
    );
    assert_eq!(ours, outcome(&on_dense, Solver::Hungarian), "Hungarian");
    // The reference also reads sparse rows (densified), with the same answer.
    assert_eq!(
        ours,
        outcome(&on_sparse, Solver::Hungarian),
        "sparse Hungarian"
    );
}

/// Integer costs, some forbidden, capacities 0..=3, an unmatched cost or none.
fn problems(
    rows: std::ops::RangeInclusive<usize>,
    columns: std::ops::RangeInclusive<usize>,
    values: i32,
) -> impl Strategy<Value = (Array2<f64>, Vec<usize>, Option<f64>)> {
    (rows, columns).prop_flat_map(move |(rows, columns)| {
        (
            prop::collection::vec(
                prop_oneof![
                    3 => (0..values).prop_map(f64::from),
                    2 => Just(f64::INFINITY),
                ],
                rows * columns,
            )
            .prop_map(move |v| Array2::from_shape_vec((rows, columns), v).unwrap()),
            prop::collection::vec(0usize..=3, columns),
            prop::option::of(prop_oneof![
                4 => (0..values + 2).prop_map(f64::from),
                1 => Just(f64::INFINITY),
            ]),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn small_problems_agree_with_the_dense_solvers(
        (matrix, capacity, unmatched_cost) in problems(0..=7, 1..=6, 6),
    ) {
        agree(&matrix, &capacity, unmatched_cost);
    }

    #[test]
    fn fractional_costs_agree(
        (matrix, capacity, unmatched_cost) in problems(1..=6, 1..=5, 6),
        scale in 0.01f64..10.0,
    ) {
        let matrix = matrix.mapv(|c| c * scale + 0.125);
        let unmatched_cost = unmatched_cost.map(|c| c * scale);
        let sparse = sparse_of(&matrix);
        let on_sparse = Problem { costs: &sparse, capacity: &capacity, unmatched_cost };
        let on_dense = Problem { costs: &matrix, capacity: &capacity, unmatched_cost };
        match (outcome(&on_sparse, Solver::JonkerVolgenant), outcome(&on_dense, Solver::Hungarian)) {
            (Ok(ours), Ok(reference)) => {
                prop_assert!((ours - reference).abs() <= 1e-9 * (1.0 + reference.abs()), "{} vs {}", ours, reference);
            }
            (ours, reference) => prop_assert_eq!(ours, reference),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Larger problems with many ties, where the searches go deep.
    #[test]
    fn medium_problems_agree_with_the_dense_solvers(
        (matrix, capacity, unmatched_cost) in problems(1..=40, 1..=25, 4),
    ) {
        agree(&matrix, &capacity, unmatched_cost);
    }
}

/// A candidate graph like the matcher's: `n` mentees × `n` mentors of
/// capacity 1–3, `k` candidates per mentee at negated integer scores (few
/// distinct values, so many ties), every other pair forbidden.
fn candidate_graph(n: usize, k: usize, seed: u64) -> (Array2<f64>, Vec<usize>) {
    let mut rng = SplitMix64(seed);
    let mut matrix = Array2::from_elem((n, n), f64::INFINITY);
    for i in 0..n {
        for _ in 0..k {
            let j = rng.index(n);
            matrix[[i, j]] = -((rng.index(20) * 50_000_000) as f64);
        }
    }
    let capacity = (0..n).map(|_| 1 + rng.index(3)).collect();
    (matrix, capacity)
}

/// The matcher's three objectives turn a quantised score `q` into integer
/// costs of very different ranges (`SCALE` = 10⁹, `slots` = rows + 1):
/// total `-(q · slots + 1)`, coverage and fairness `-(slots · SCALE + q)`.
#[test]
fn objective_shaped_costs_agree_with_the_dense_solvers() {
    for (n, k, seed) in [(120, 4, 11), (250, 6, 12)] {
        let (matrix, capacity) = candidate_graph(n, k, seed);
        let slots = n as f64 + 1.0;
        let total = matrix.mapv(|c| {
            if c.is_finite() {
                -(-c * slots + 1.0)
            } else {
                c
            }
        });
        let coverage = matrix.mapv(|c| if c.is_finite() { -(slots * 1e9 - c) } else { c });
        for costs in [&total, &coverage] {
            agree(costs, &capacity, Some(0.0));
            agree(costs, &vec![1; n], Some(0.0));
        }
    }
}

#[test]
fn candidate_graphs_agree_with_the_dense_solvers() {
    for (n, k, seed) in [(50, 3, 1), (200, 5, 2), (400, 8, 3), (300, 2, 4)] {
        let (matrix, capacity) = candidate_graph(n, k, seed);
        agree(&matrix, &capacity, Some(0.0));
        let unit = vec![1; n];
        agree(&matrix, &unit, Some(0.0));
        // Every row must be assigned: feasible or not, the same answer.
        agree(&matrix, &capacity, None);
        agree(&matrix, &unit, None);
    }
}

/// OR-Library instance assign100 (J. E. Beasley, "OR-Library: distributing test
/// problems by electronic mail", Journal of the Operational Research Society
/// 41(11), 1990): published optimal cost 305, here read as sparse rows holding
/// every entry.
#[test]
fn or_library_assign100_as_sparse_rows() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/assign100.txt"
    ))
    .unwrap();
    let matrix = parse_matrix(&text, MatrixFormat::guess(&text), Sense::Minimise).unwrap();
    let sparse = sparse_of(&matrix);
    assert_eq!(sparse.stored(), 100 * 100);
    let problem = Problem {
        costs: &sparse,
        capacity: &[1; 100],
        unmatched_cost: None,
    };
    let columns = problem.solve(Solver::JonkerVolgenant).unwrap();
    assert_eq!(total_of(&problem, &columns), 305.0);
}

#[test]
fn the_same_answer_on_every_run() {
    let (matrix, capacity) = candidate_graph(300, 6, 7);
    let sparse = sparse_of(&matrix);
    let problem = Problem {
        costs: &sparse,
        capacity: &capacity,
        unmatched_cost: Some(0.0),
    };
    let first = problem.solve(Solver::JonkerVolgenant).unwrap();
    for _ in 0..3 {
        assert_eq!(problem.solve(Solver::JonkerVolgenant).unwrap(), first);
    }
}

#[test]
fn infeasible_rows_are_counted() {
    // Three mentees who can only take mentor 0, of capacity 2, and one who can
    // take mentor 1: three of the four can be placed.
    let costs = SparseCosts::from_rows(
        2,
        [
            vec![(0, 1.0)],
            vec![(0, 2.0)],
            vec![(0, 3.0)],
            vec![(1, 1.5)],
        ],
    )
    .unwrap();
    let problem = Problem {
        costs: &costs,
        capacity: &[2, 1],
        unmatched_cost: None,
    };
    assert!(matches!(
        problem.solve(Solver::JonkerVolgenant),
        Err(Error::Infeasible {
            required: 4,
            possible: 3
        })
    ));
    // With an unmatched cost of 2.5, the mentee at 3.0 stays out.
    let problem = Problem {
        unmatched_cost: Some(2.5),
        ..problem
    };
    assert_eq!(
        problem.solve(Solver::JonkerVolgenant).unwrap(),
        vec![Some(0), Some(0), None, Some(1)]
    );
}

/// A user's own sparse type may store what [`SparseCosts`] refuses: those
/// entries are errors, found by scanning the stored entries only.
struct Stored {
    columns: Vec<u32>,
    costs: Vec<f64>,
}

impl Costs for Stored {
    fn rows(&self) -> usize {
        1
    }

    fn columns(&self) -> usize {
        3
    }

    fn at(&self, _row: usize, column: usize) -> f64 {
        self.columns
            .iter()
            .position(|&j| j as usize == column)
            .map_or(f64::INFINITY, |k| self.costs[k])
    }

    fn sparse_row(&self, _row: usize) -> Option<(&[u32], &[f64])> {
        Some((&self.columns, &self.costs))
    }
}

#[test]
fn bad_stored_entries_are_errors() {
    for (columns, costs, column) in [
        (vec![0, 2], vec![1.0, f64::NAN], 2),
        (vec![1], vec![f64::NEG_INFINITY], 1),
        (vec![0, 5], vec![1.0, 2.0], 5),
    ] {
        let stored = Stored { columns, costs };
        let problem = Problem {
            costs: &stored,
            capacity: &[1, 1, 1],
            unmatched_cost: None,
        };
        match problem.solve(Solver::JonkerVolgenant) {
            Err(Error::BadEntry {
                row: 0, column: c, ..
            }) => assert_eq!(c, column),
            other => panic!("expected a bad entry at column {column}, got {other:?}"),
        }
    }
    let costs = SparseCosts::from_rows(2, [vec![(0, 1.0)]]).unwrap();
    let problem = Problem {
        costs: &costs,
        capacity: &[1, 1],
        unmatched_cost: Some(f64::NAN),
    };
    assert!(matches!(
        problem.solve(Solver::JonkerVolgenant),
        Err(Error::BadEntry {
            row: 0,
            column: 2,
            ..
        })
    ));
}

#[test]
fn huge_costs_are_scaled_exactly() {
    let big = 2f64.powi(1000);
    let matrix = ndarray::array![
        [big, 3.0 * big, f64::INFINITY],
        [2.0 * big, big, 4.0 * big],
        [f64::INFINITY, 2.0 * big, big]
    ];
    let sparse = sparse_of(&matrix);
    let problem = Problem {
        costs: &sparse,
        capacity: &[1, 1, 1],
        unmatched_cost: None,
    };
    let columns = problem.solve(Solver::JonkerVolgenant).unwrap();
    assert_eq!(columns, vec![Some(0), Some(1), Some(2)]);
    assert_eq!(total_of(&problem, &columns), 3.0 * big);
}
