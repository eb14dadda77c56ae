//! Tests of the flow solver: brute force on tiny problems, the assignment
//! solver when every demand is 1, the optimality certificate on larger ones,
//! and known answers.

// Totals of integer costs are exact; rows and columns index several arrays.
#![allow(clippy::float_cmp, clippy::needless_range_loop)]

use ndarray::{Array2, array};
use proptest::prelude::*;

use super::{Flow, FlowProblem, run, search, solve};
use crate::Error;
use crate::assign::{self, Costs, Problem, Solver, SparseCosts};

/// Checks that `flow` is a valid solution of `problem` (demands, capacities,
/// distinct allowed pairs) and returns its objective, recomputed.
fn objective(problem: &FlowProblem<'_>, flow: &Flow) -> i128 {
    let (rows, columns) = (problem.costs.rows(), problem.costs.columns());
    assert_eq!(flow.rows(), rows);
    let mut load = vec![0usize; columns];
    let mut total = 0i128;
    for row in 0..rows {
        let mine = flow.columns_of(row);
        assert!(mine.len() <= problem.demand[row], "row {row} over demand");
        assert!(
            mine.windows(2).all(|w| w[0] < w[1]),
            "row {row}: {mine:?} not ascending and distinct"
        );
        for &j in mine {
            load[j] += 1;
            assert!(load[j] <= problem.capacity[j], "column {j} over capacity");
            let c = problem.costs.at(row, j);
            assert!(c.is_finite(), "forbidden pair ({row}, {j}) used");
            #[allow(clippy::cast_possible_truncation)]
            let c = c as i128;
            total += c;
        }
        if !mine.is_empty() {
            let first = used(problem, row);
            total += problem.unit_cost[first..first + mine.len()]
                .iter()
                .sum::<i128>();
        }
    }
    assert_eq!(flow.cost(), total, "reported cost");
    assert_eq!(flow.len(), flow.pairs().count());
    total
}

/// Columns row `row` holds already outside the problem.
fn used(problem: &FlowProblem<'_>, row: usize) -> usize {
    problem.used.get(row).copied().unwrap_or(0)
}

/// Checks the complementary slackness conditions of [`Flow::rows_potential`].
fn certify(problem: &FlowProblem<'_>, flow: &Flow) {
    let (rows, columns) = (problem.costs.rows(), problem.costs.columns());
    let (u, v) = (flow.rows_potential(), flow.columns_potential());
    let mut load = vec![0usize; columns];
    for (_, j) in flow.pairs() {
        load[j] += 1;
    }
    for j in 0..columns {
        if problem.capacity[j] > 0 {
            assert!(v[j] <= 0, "column {j}: v = {}", v[j]);
            if load[j] < problem.capacity[j].min(rows) {
                assert_eq!(v[j], 0, "column {j} has room");
            }
        }
    }
    for i in 0..rows {
        let mine = flow.columns_of(i);
        for j in (0..columns).filter(|&j| problem.capacity[j] > 0) {
            let c = problem.costs.at(i, j);
            if !c.is_finite() {
                continue;
            }
            #[allow(clippy::cast_possible_truncation)]
            let reduced = c as i128 - u[i] - v[j];
            if mine.contains(&j) {
                assert!(reduced <= 0, "used pair ({i}, {j}): reduced cost {reduced}");
            } else {
                assert!(reduced >= 0, "free pair ({i}, {j}): reduced cost {reduced}");
            }
        }
        let (d, b) = (mine.len(), problem.demand[i].min(columns));
        let first = used(problem, i);
        if d >= 1 {
            assert!(
                u[i] <= -problem.unit_cost[first + d - 1],
                "row {i}: u above its last unit"
            );
        }
        if d < b {
            assert!(
                u[i] >= -problem.unit_cost[first + d],
                "row {i}: u below its next unit"
            );
        }
    }
}

/// The optimum of `problem` by enumeration of every valid set of pairs.
fn brute_force(problem: &FlowProblem<'_>) -> i128 {
    fn go(problem: &FlowProblem<'_>, row: usize, left: &mut [usize]) -> i128 {
        if row == problem.costs.rows() {
            return 0;
        }
        let columns = problem.costs.columns();
        let mut best = i128::MAX;
        'subsets: for subset in 0u32..1 << columns {
            let count = subset.count_ones() as usize;
            if count > problem.demand[row] {
                continue;
            }
            let first = used(problem, row);
            let mut cost: i128 = if count == 0 {
                0
            } else {
                problem.unit_cost[first..first + count].iter().sum()
            };
            for j in (0..columns).filter(|&j| subset & (1 << j) != 0) {
                let c = problem.costs.at(row, j);
                if !c.is_finite() || left[j] == 0 {
                    continue 'subsets;
                }
                #[allow(clippy::cast_possible_truncation)]
                let c = c as i128;
                cost += c;
            }
            let taken = |j: usize| usize::from(subset & (1 << j) != 0);
            for (j, l) in left.iter_mut().enumerate() {
                *l -= taken(j);
            }
            best = best.min(cost + go(problem, row + 1, left));
            for (j, l) in left.iter_mut().enumerate() {
                *l += taken(j);
            }
        }
        best
    }
    go(problem, 0, &mut problem.capacity.to_vec())
}

/// Tiny problems: up to 4 × 4, integer costs, some forbidden, capacities
/// 0..=3, demands 1..=3, non-decreasing unit costs.
fn tiny() -> impl Strategy<Value = (Array2<f64>, Vec<usize>, Vec<usize>, Vec<i128>)> {
    (0usize..=4, 0usize..=4).prop_flat_map(|(rows, columns)| {
        (
            prop::collection::vec(
                prop_oneof![5 => (-6i32..6).prop_map(f64::from), 1 => Just(f64::INFINITY)],
                rows * columns,
            )
            .prop_map(move |v| Array2::from_shape_vec((rows, columns), v).unwrap()),
            prop::collection::vec(0usize..=3, columns),
            prop::collection::vec(1usize..=3, rows),
            prop::collection::vec(-12i128..6, 3).prop_map(|mut u| {
                u.sort_unstable();
                u
            }),
        )
    })
}

/// Larger problems for the certificate and the agreements: up to 30 × 12,
/// many ties, demands 0..=4.
fn medium() -> impl Strategy<Value = (Array2<f64>, Vec<usize>, Vec<usize>, Vec<i128>)> {
    (1usize..=30, 1usize..=12).prop_flat_map(|(rows, columns)| {
        (
            prop::collection::vec(
                prop_oneof![8 => (-4i32..4).prop_map(f64::from), 2 => Just(f64::INFINITY)],
                rows * columns,
            )
            .prop_map(move |v| Array2::from_shape_vec((rows, columns), v).unwrap()),
            prop::collection::vec(0usize..=4, columns),
            prop::collection::vec(0usize..=4, rows),
            prop::collection::vec(-20i128..6, 4).prop_map(|mut u| {
                u.sort_unstable();
                u
            }),
        )
    })
}

/// The same costs stored sparsely.
fn sparse(costs: &Array2<f64>) -> SparseCosts {
    SparseCosts::from_rows(
        costs.ncols(),
        costs
            .outer_iter()
            .map(|row| row.iter().copied().enumerate().collect::<Vec<_>>()),
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Rows that hold columns already (pinned pairs) pay the later unit
    /// costs for the columns they take here.
    #[test]
    fn equals_brute_force_with_columns_already_held(
        (costs, capacity, demand, _) in tiny(),
        held in prop::collection::vec(0usize..=2, 4),
        unit_cost in prop::collection::vec(-12i128..6, 5),
    ) {
        let mut unit_cost = unit_cost;
        unit_cost.sort_unstable();
        let used = &held[..costs.nrows()];
        let problem = FlowProblem { costs: &costs, capacity: &capacity, demand: &demand, unit_cost: &unit_cost, used };
        let flow = solve(&problem).unwrap();
        prop_assert_eq!(objective(&problem, &flow), brute_force(&problem));
        certify(&problem, &flow);
    }

    #[test]
    fn equals_brute_force((costs, capacity, demand, unit_cost) in tiny()) {
        let problem = FlowProblem { costs: &costs, capacity: &capacity, demand: &demand, unit_cost: &unit_cost, used: &[] };
        let flow = solve(&problem).unwrap();
        prop_assert_eq!(objective(&problem, &flow), brute_force(&problem));
        certify(&problem, &flow);
    }

    /// With every demand 1 the problem is an assignment with optional rows:
    /// the assignment solver, on pair costs that include the unit cost,
    /// finds the same optimum.
    #[test]
    fn equals_the_assignment_solver_when_every_demand_is_one(
        (costs, capacity, _, unit_cost) in medium(),
    ) {
        let demand = vec![1; costs.nrows()];
        let problem = FlowProblem { costs: &costs, capacity: &capacity, demand: &demand, unit_cost: &unit_cost, used: &[] };
        let flow = solve(&problem).unwrap();
        #[allow(clippy::cast_precision_loss)]
        let first = unit_cost[0] as f64;
        let shifted = costs.mapv(|c| c + first);
        let assignment = assign::solve(
            &Problem { costs: &shifted, capacity: &capacity, unmatched_cost: Some(0.0) },
            Solver::JonkerVolgenant,
        ).unwrap();
        let total: f64 = assignment
            .iter()
            .enumerate()
            .filter_map(|(i, j)| j.map(|j| shifted[[i, j]]))
            .sum();
        #[allow(clippy::cast_precision_loss)]
        let ours = objective(&problem, &flow) as f64;
        prop_assert_eq!(ours, total);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Beyond brute force: the certificate proves the optimum, and the
    /// sparse input and the `i128` arithmetic give the same pairs.
    #[test]
    fn certified_and_the_same_on_every_path((costs, capacity, demand, unit_cost) in medium()) {
        let problem = FlowProblem { costs: &costs, capacity: &capacity, demand: &demand, unit_cost: &unit_cost, used: &[] };
        let flow = solve(&problem).unwrap();
        objective(&problem, &flow);
        certify(&problem, &flow);

        let stored = sparse(&costs);
        let from_sparse = solve(&FlowProblem { costs: &stored, ..problem }).unwrap();
        prop_assert_eq!(&from_sparse, &flow);

        let demand: Vec<usize> = demand.iter().map(|&b| b.min(costs.ncols())).collect();
        let capacity: Vec<usize> = capacity.iter().map(|&c| c.min(costs.nrows())).collect();
        let entries = costs.as_slice().unwrap();
        let wide = run::<i128>(&search::Input {
            largest_pair: 4,
            matrix: search::Matrix::Dense(entries, costs.ncols()),
            capacity: &capacity,
            demand: &demand,
            unit_cost: &unit_cost[..demand.iter().copied().max().unwrap_or(0)],
            used: &vec![0; demand.len()],
        }, &|_| {});
        prop_assert_eq!(&wide, &flow);
    }
}

/// Coverage weights as the matcher builds them: first mentor `-r1`, later
/// ones `-r2`, pairs `-round(score · 1e9)`; the brute force compares the
/// lexicographic (matched, pairs, sum) directly.
fn coverage_weights(pairs: usize) -> (i128, i128) {
    let pairs = i128::try_from(pairs).unwrap();
    let r2 = pairs * 1_000_000_000 + 1;
    let r1 = pairs * (r2 + 1_000_000_000) + 1;
    (r1, r2)
}

/// The best (matched rows, pairs, sum of scores) by enumeration.
fn best_coverage(
    scores: &Array2<f64>,
    capacity: &[usize],
    demand: &[usize],
) -> (usize, usize, i128) {
    fn go(
        scores: &Array2<f64>,
        demand: &[usize],
        row: usize,
        left: &mut [usize],
        now: (usize, usize, i128),
        best: &mut (usize, usize, i128),
    ) {
        if row == scores.nrows() {
            *best = (*best).max(now);
            return;
        }
        let columns = scores.ncols();
        for subset in 0u32..1 << columns {
            let picked: Vec<usize> = (0..columns).filter(|&j| subset & (1 << j) != 0).collect();
            if picked.len() > demand[row]
                || picked
                    .iter()
                    .any(|&j| left[j] == 0 || scores[[row, j]] < 0.0)
            {
                continue;
            }
            #[allow(clippy::cast_possible_truncation)]
            let sum: i128 = picked
                .iter()
                .map(|&j| (scores[[row, j]] * 1e9).round() as i128)
                .sum();
            for &j in &picked {
                left[j] -= 1;
            }
            let next = (
                now.0 + usize::from(!picked.is_empty()),
                now.1 + picked.len(),
                now.2 + sum,
            );
            go(scores, demand, row + 1, left, next, best);
            for &j in &picked {
                left[j] += 1;
            }
        }
    }
    let mut best = (0, 0, 0);
    go(
        scores,
        demand,
        0,
        &mut capacity.to_vec(),
        (0, 0, 0),
        &mut best,
    );
    best
}

/// Scores in `[0, 1]` (9 decimals, as quantised) or -1 for an infeasible pair.
fn tiny_cohorts() -> impl Strategy<Value = (Array2<f64>, Vec<usize>, Vec<usize>)> {
    (1usize..=4, 1usize..=4).prop_flat_map(|(rows, columns)| {
        (
            prop::collection::vec(
                prop_oneof![
                    4 => (0u32..=1000).prop_map(|s| f64::from(s) / 1000.0),
                    1 => (0u64..=1_000_000_000).prop_map(|s| s as f64 / 1e9),
                    1 => Just(-1.0),
                ],
                rows * columns,
            )
            .prop_map(move |v| Array2::from_shape_vec((rows, columns), v).unwrap()),
            prop::collection::vec(0usize..=3, columns),
            prop::collection::vec(1usize..=3, rows),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    /// Coverage, with the lexicographic weights: the same (matched, pairs,
    /// sum) as enumeration.
    #[test]
    fn coverage_weights_give_the_lexicographic_optimum((scores, capacity, demand) in tiny_cohorts()) {
        let (r1, r2) = coverage_weights(demand.iter().sum());
        let unit_cost = [-r1, -r2, -r2];
        let costs = scores.mapv(|s| if s < 0.0 { f64::INFINITY } else { -(s * 1e9).round() });
        let problem = FlowProblem { costs: &costs, capacity: &capacity, demand: &demand, unit_cost: &unit_cost, used: &[] };
        let flow = solve(&problem).unwrap();
        objective(&problem, &flow);
        certify(&problem, &flow);
        let matched = (0..flow.rows()).filter(|&i| !flow.columns_of(i).is_empty()).count();
        #[allow(clippy::cast_possible_truncation)]
        let sum: i128 = flow.pairs().map(|(i, j)| -(costs[[i, j]] as i128)).sum();
        prop_assert_eq!((matched, flow.len(), sum), best_coverage(&scores, &capacity, &demand));
    }

    /// Total: unit costs 0, the sum of scores alone.
    #[test]
    fn total_weights_give_the_largest_sum((scores, capacity, demand) in tiny_cohorts()) {
        let unit_cost = [0, 0, 0];
        let costs = scores.mapv(|s| if s < 0.0 { f64::INFINITY } else { -(s * 1e9).round() });
        let problem = FlowProblem { costs: &costs, capacity: &capacity, demand: &demand, unit_cost: &unit_cost, used: &[] };
        let flow = solve(&problem).unwrap();
        prop_assert_eq!(objective(&problem, &flow), brute_force(&problem));
    }
}

/// The trick the issue rules out, worked by hand. Mentee A wants two mentors,
/// B one; mentor X has 2 places, Y one. Costs (lower is better) A–X 1, A–Y 20,
/// B–X 5, B–Y 6; a first mentor is worth 100, a second 50.
///
/// The valid choices: A {X, Y} and B {X}: 1 + 20 + 5 - 250 = -224, the
/// optimum; A {X} and B {X}: 6 - 200 = -194; A {X} and B {Y}: 7 - 200 =
/// -193; the others are worse. Expanding A into two copies (the second
/// worth 50) and X into two places for the assignment solver gives
/// A₁–X, A₂–X, B–Y: 1 + 1 + 6 - 250 = -242, with X twice for A.
#[test]
fn copies_of_a_row_would_take_the_same_column_twice() {
    let costs = array![[1.0, 20.0], [5.0, 6.0]];
    let unit_cost = [-100, -50];

    // Rows A₁, A₂, B; columns X, X, Y.
    let copies = array![
        [1.0 - 100.0, 1.0 - 100.0, 20.0 - 100.0],
        [1.0 - 50.0, 1.0 - 50.0, 20.0 - 50.0],
        [5.0 - 100.0, 5.0 - 100.0, 6.0 - 100.0],
    ];
    let expanded = assign::solve(
        &Problem {
            costs: &copies,
            capacity: &[1, 1, 1],
            unmatched_cost: Some(0.0),
        },
        Solver::JonkerVolgenant,
    )
    .unwrap();
    let mut a = [expanded[0].unwrap(), expanded[1].unwrap()];
    a.sort_unstable();
    assert_eq!(a, [0, 1], "both copies of A take a place of X");
    assert_eq!(expanded[2], Some(2));

    let problem = FlowProblem {
        costs: &costs,
        capacity: &[2, 1],
        demand: &[2, 1],
        unit_cost: &unit_cost,
        used: &[],
    };
    let flow = solve(&problem).unwrap();
    assert_eq!(flow.columns_of(0), &[0, 1]);
    assert_eq!(flow.columns_of(1), &[0]);
    assert_eq!(flow.cost(), -224);
    assert_eq!(brute_force(&problem), -224);
}

/// A second mentor never costs another mentee their first: A could have
/// two good mentors, but B's only feasible mentor is one of them.
#[test]
fn a_second_unit_yields_to_a_first_one() {
    let inf = f64::INFINITY;
    let costs = array![[-9.0, -8.0], [-1.0, inf]];
    let unit_cost = [-1000, -100];
    let flow = solve(&FlowProblem {
        costs: &costs,
        capacity: &[1, 1],
        demand: &[2, 1],
        unit_cost: &unit_cost,
        used: &[],
    })
    .unwrap();
    assert_eq!(flow.columns_of(0), &[1]);
    assert_eq!(flow.columns_of(1), &[0]);
}

#[test]
fn empty_problems() {
    let none = Array2::<f64>::zeros((0, 3));
    let flow = solve(&FlowProblem {
        costs: &none,
        capacity: &[1, 1, 1],
        demand: &[],
        unit_cost: &[],
        used: &[],
    })
    .unwrap();
    assert_eq!((flow.rows(), flow.len(), flow.cost()), (0, 0, 0));
    let no_columns = Array2::<f64>::zeros((2, 0));
    let flow = solve(&FlowProblem {
        costs: &no_columns,
        capacity: &[],
        demand: &[2, 1],
        unit_cost: &[],
        used: &[],
    })
    .unwrap();
    assert!(flow.is_empty());
    assert_eq!(flow.columns_of(1), &[] as &[usize]);
}

#[test]
fn bad_entries_and_sizes_are_errors() {
    let problem = |costs: &Array2<f64>, unit_cost: &[i128]| {
        solve(&FlowProblem {
            costs,
            capacity: &[1, 1],
            demand: &[1],
            unit_cost,
            used: &[],
        })
    };
    for (bad, column) in [(0.5, 1), (f64::NAN, 0), (f64::NEG_INFINITY, 1), (3e15, 0)] {
        let mut costs = array![[1.0, 2.0]];
        costs[[0, column]] = bad;
        match problem(&costs, &[0]) {
            Err(Error::BadEntry {
                row: 0, column: c, ..
            }) => assert_eq!(c, column),
            other => panic!("{bad}: {other:?}"),
        }
    }
    let costs = array![[1.0, 2.0]];
    assert!(matches!(
        problem(&costs, &[-(1 << 121)]),
        Err(Error::TooLarge { .. })
    ));
    // Past the i64 limit, the i128 arithmetic gives the same answer.
    let huge = problem(&costs, &[-(1 << 100)]).unwrap();
    assert_eq!(huge.columns_of(0), &[0]);
    assert_eq!(huge.cost(), 1 - (1 << 100));
}

#[test]
fn sparse_and_computed_costs_are_read_too() {
    let dense = array![[3.0, f64::INFINITY, 1.0], [2.0, 2.0, f64::INFINITY]];
    let problem = FlowProblem {
        costs: &dense,
        capacity: &[1, 2, 1],
        demand: &[2, 2],
        unit_cost: &[-5, -5],
        used: &[],
    };
    let expected = solve(&problem).unwrap();
    let stored = sparse(&dense);
    assert_eq!(
        solve(&FlowProblem {
            costs: &stored,
            ..problem
        })
        .unwrap(),
        expected
    );
    let computed = crate::FnCosts::new(2, 3, |i, j| dense[[i, j]]);
    assert_eq!(
        solve(&FlowProblem {
            costs: &computed,
            ..problem
        })
        .unwrap(),
        expected
    );
    let transposed = dense.t().to_owned();
    let column_major = transposed.t();
    assert_eq!(
        solve(&FlowProblem {
            costs: &column_major,
            ..problem
        })
        .unwrap(),
        expected
    );
    // Row 0 can take columns 0 and 2, row 1 columns 0 and 1; column 0 has
    // one place, and it is worth more to row 1 (whose other column costs 2)
    // than to row 0: {2} and {0, 1}, 1 + 2 + 2 - 15 = -10, against
    // {0, 2} and {1}, 3 + 1 + 2 - 15 = -9.
    assert_eq!(expected.columns_of(0), &[2]);
    assert_eq!(expected.columns_of(1), &[0, 1]);
    assert_eq!(objective(&problem, &expected), -10);
}

/// Sparse problems: up to 60 rows × 40 columns, each row listing up to 6
/// columns at costs in steps of 10 (many ties), capacities 0..=3, demands
/// 0..=3, rows holding 0 or 1 column already, unit costs that leave some
/// rows unmatched when their entries cost more than they are worth.
#[allow(clippy::type_complexity)]
fn sparse_problems()
-> impl Strategy<Value = (SparseCosts, Vec<usize>, Vec<usize>, Vec<usize>, Vec<i128>)> {
    (1usize..=60, 1usize..=40).prop_flat_map(|(rows, columns)| {
        (
            prop::collection::vec(prop::collection::vec((0..columns, -5i32..5), 0..=6), rows)
                .prop_map(move |lists| {
                    let rows = lists.into_iter().map(|mut list| {
                        list.sort_by_key(|&(j, _)| j);
                        list.dedup_by_key(|&mut (j, _)| j);
                        list.into_iter().map(|(j, c)| (j, f64::from(c * 10)))
                    });
                    SparseCosts::from_rows(columns, rows).unwrap()
                }),
            prop::collection::vec(0usize..=3, columns),
            prop::collection::vec(0usize..=3, rows),
            prop::collection::vec(0usize..=1, rows),
            prop::collection::vec(-60i128..10, 5).prop_map(|mut u| {
                u.sort_unstable();
                u
            }),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// The searches over sparse rows (a heap of the columns they reach)
    /// give exactly what the scans of the same costs stored densely give:
    /// the same pairs and the same potentials, in `i64` and in `i128`.
    #[test]
    fn the_sparse_searches_equal_the_dense_scans(
        (stored, capacity, demand, used, unit_cost) in sparse_problems(),
    ) {
        let (rows, columns) = (stored.rows(), stored.columns());
        let dense = Array2::from_shape_fn((rows, columns), |(i, j)| stored.at(i, j));
        let problem = FlowProblem {
            costs: &dense,
            capacity: &capacity,
            demand: &demand,
            unit_cost: &unit_cost,
            used: &used,
        };
        let scanned = solve(&problem).unwrap();
        objective(&problem, &scanned);
        certify(&problem, &scanned);
        let from_sparse = solve(&FlowProblem { costs: &stored, ..problem }).unwrap();
        prop_assert_eq!(&from_sparse, &scanned);

        let demand: Vec<usize> = demand.iter().map(|&b| b.min(columns)).collect();
        let capacity: Vec<usize> = capacity.iter().map(|&c| c.min(rows)).collect();
        let wide = run::<i128>(&search::Input {
            largest_pair: 50,
            matrix: search::Matrix::Sparse(&stored),
            capacity: &capacity,
            demand: &demand,
            unit_cost: &unit_cost,
            used: &used,
        }, &|_| {});
        prop_assert_eq!(&wide, &scanned);
    }
}
