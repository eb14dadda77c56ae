//! Unit tests of the solvers on crate-internal problems: capacities, optional
//! assignment and forbidden pairs, against brute force on tiny cases.

// Totals of integer costs are exact.
#![allow(clippy::float_cmp)]

use ndarray::Array2;
use proptest::prelude::*;

use super::{Problem, Solver, solve, solve_with_duals};

#[path = "../../tests/support/assignment.rs"]
mod assignment;
use crate::Error;
use assignment::total_of;

const SOLVERS: [Solver; 2] = [Solver::JonkerVolgenant, Solver::Hungarian];

/// The optimum of `problem` by enumeration, or the largest number of rows that
/// can be placed when every row must be and cannot be.
fn brute_force(problem: &Problem<'_>) -> Result<f64, usize> {
    let (rows, columns) = (problem.costs.rows(), problem.costs.columns());
    let mut best: Option<f64> = None;
    let mut most_placed = 0;
    let mut choice = vec![0usize; rows]; // 0 = unassigned, j + 1 = column j
    loop {
        let mut load = vec![0usize; columns];
        let mut total = 0.0;
        let mut placed = 0;
        let mut allowed = true;
        for (i, &c) in choice.iter().enumerate() {
            if c == 0 {
                total += problem.unmatched_cost.unwrap_or(0.0);
            } else {
                let j = c - 1;
                load[j] += 1;
                let cost = problem.costs.at(i, j);
                allowed &= cost.is_finite() && load[j] <= problem.capacity[j];
                total += cost;
                placed += 1;
            }
        }
        if allowed {
            most_placed = most_placed.max(placed);
            if (problem.unmatched_cost.is_some() || placed == rows)
                && best.is_none_or(|b| total < b)
            {
                best = Some(total);
            }
        }
        // Next choice vector, like an odometer.
        let mut k = 0;
        loop {
            if k == rows {
                return best.ok_or(most_placed);
            }
            choice[k] += 1;
            if choice[k] <= columns {
                break;
            }
            choice[k] = 0;
            k += 1;
        }
    }
}

/// Small problems: integer costs, some forbidden, capacities 0..=3.
fn problems() -> impl Strategy<Value = (Array2<f64>, Vec<usize>, Option<f64>)> {
    (0usize..=5, 1usize..=4).prop_flat_map(|(rows, columns)| {
        (
            prop::collection::vec(
                prop_oneof![8 => (0i32..6).prop_map(f64::from), 1 => Just(f64::INFINITY)],
                rows * columns,
            )
            .prop_map(move |v| Array2::from_shape_vec((rows, columns), v).unwrap()),
            prop::collection::vec(0usize..=3, columns),
            prop::option::of((0i32..8).prop_map(f64::from)),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn solvers_equal_brute_force((costs, capacity, unmatched_cost) in problems()) {
        let problem = Problem { costs: &costs, capacity: &capacity, unmatched_cost };
        let expected = brute_force(&problem);
        for solver in SOLVERS {
            match (solve(&problem, solver), expected) {
                (Ok(columns), Ok(best)) => prop_assert_eq!(total_of(&problem, &columns), best, "{:?}", solver),
                (Err(Error::Infeasible { required, possible }), Err(most)) => {
                    prop_assert_eq!(required, costs.nrows());
                    prop_assert_eq!(possible, most, "{:?}", solver);
                }
                (got, want) => prop_assert!(false, "{:?}: got {:?}, want {:?}", solver, got, want),
            }
        }
    }

    #[test]
    fn fractional_costs_agree((costs, capacity, unmatched_cost) in problems(), scale in 0.01f64..10.0) {
        let costs = costs.mapv(|c| c * scale + 0.125);
        let problem = Problem { costs: &costs, capacity: &capacity, unmatched_cost };
        let expected = brute_force(&problem);
        for solver in SOLVERS {
            match (solve(&problem, solver), expected) {
                (Ok(columns), Ok(best)) => {
                    let total = total_of(&problem, &columns);
                    prop_assert!((total - best).abs() <= 1e-9 * (1.0 + best.abs()), "{:?}: {} vs {}", solver, total, best);
                }
                (Err(Error::Infeasible { possible, .. }), Err(most)) => prop_assert_eq!(possible, most),
                (got, want) => prop_assert!(false, "{:?}: got {:?}, want {:?}", solver, got, want),
            }
        }
    }
}

/// Medium problems with capacities, ties and forbidden pairs: beyond brute
/// force, the two solvers must still agree.
fn medium_problems() -> impl Strategy<Value = (Array2<f64>, Vec<usize>, Option<f64>)> {
    (1usize..=40, 1usize..=15).prop_flat_map(|(rows, columns)| {
        (
            prop::collection::vec(
                prop_oneof![9 => (0i32..4).prop_map(f64::from), 1 => Just(f64::INFINITY)],
                rows * columns,
            )
            .prop_map(move |v| Array2::from_shape_vec((rows, columns), v).unwrap()),
            prop::collection::vec(0usize..=4, columns),
            prop::option::of((0i32..5).prop_map(f64::from)),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn solvers_agree_with_capacities((costs, capacity, unmatched_cost) in medium_problems()) {
        let problem = Problem { costs: &costs, capacity: &capacity, unmatched_cost };
        match (solve(&problem, Solver::JonkerVolgenant), solve(&problem, Solver::Hungarian)) {
            (Ok(jv), Ok(hungarian)) => {
                prop_assert_eq!(total_of(&problem, &jv), total_of(&problem, &hungarian));
            }
            (Err(Error::Infeasible { possible: a, .. }), Err(Error::Infeasible { possible: b, .. })) => {
                prop_assert_eq!(a, b);
            }
            (jv, hungarian) => prop_assert!(false, "jv {:?}, hungarian {:?}", jv, hungarian),
        }
    }
}

/// Square problems with ties and forbidden pairs, some structured (the
/// greedy start's home ground), some random (where the greedy start is far
/// from optimal and the Dijkstra phase must repair it).
fn square_problems() -> impl Strategy<Value = Array2<f64>> {
    (1usize..=30, 0..3usize, 0..4i32).prop_flat_map(|(n, kind, spread)| {
        prop::collection::vec((0i32..=(1 << (3 * spread)), 0u8..10), n * n).prop_map(move |v| {
            Array2::from_shape_fn((n, n), |(i, j)| {
                let (value, chance) = v[i * n + j];
                let (x, y) = (i as f64, j as f64);
                match (kind, chance) {
                    (_, 0) => f64::INFINITY,
                    (0, _) => (x + 1.0) * (y + 1.0) + f64::from(value % 3),
                    (1, _) => (x + y) * (x + y) - f64::from(value),
                    _ => f64::from(value),
                }
            })
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// The greedy start, forced on any square problem, never changes the
    /// optimum, and the duals still certify it.
    #[test]
    fn greedy_start_keeps_the_optimum(costs in square_problems()) {
        check_square(&costs, super::jv::solve_greedy)?;
    }
}

/// `solve` of the square problem `costs` (unit capacities, every row
/// assigned) against the reference solver: the same optimum (and brute
/// force's up to 6 × 6), duals that certify it exactly, or the same
/// infeasibility.
fn check_square(
    costs: &Array2<f64>,
    solve_with: impl Fn(&super::DenseProblem<'_>, f64) -> Result<super::Solution, Error>,
) -> Result<(), TestCaseError> {
    let n = costs.nrows();
    let capacity = vec![1; n];
    let problem = Problem {
        costs,
        capacity: &capacity,
        unmatched_cost: None,
    };
    let dense = super::DenseProblem {
        costs: costs.view(),
        capacity: &capacity,
        unmatched_cost: None,
    };
    let largest = costs
        .iter()
        .filter(|c| c.is_finite())
        .fold(0.0f64, |m, c| m.max(c.abs()));
    match (
        solve_with(&dense, largest),
        solve(&problem, Solver::Hungarian),
    ) {
        (Ok(found), Ok(hungarian)) => {
            let total = total_of(&problem, &found.columns);
            prop_assert_eq!(total, total_of(&problem, &hungarian));
            if n <= 6 {
                prop_assert_eq!(Ok(total), brute_force(&problem));
            }
            let (u, v) = found.duals.expect("duals on a square problem");
            for ((i, j), &c) in costs.indexed_iter() {
                if c.is_finite() {
                    prop_assert!(u[i] + v[j] <= c, "dual infeasible at ({}, {})", i, j);
                }
            }
            prop_assert_eq!(u.iter().sum::<f64>() + v.iter().sum::<f64>(), total);
        }
        (
            Err(Error::Infeasible { possible: a, .. }),
            Err(Error::Infeasible { possible: b, .. }),
        ) => {
            prop_assert_eq!(a, b);
        }
        (found, hungarian) => prop_assert!(
            false,
            "found {:?}, hungarian {:?}",
            found.map(|s| s.columns),
            hungarian
        ),
    }
    Ok(())
}

/// Square problems with many ties and near ties, and some forbidden pairs.
fn tied_square_problems() -> impl Strategy<Value = Array2<f64>> {
    (2usize..=40, prop_oneof![Just(3i32), Just(20), Just(1000)]).prop_flat_map(|(n, levels)| {
        prop::collection::vec(
            prop_oneof![20 => (0..levels).prop_map(f64::from), 1 => Just(f64::INFINITY)],
            n * n,
        )
        .prop_map(move |v| Array2::from_shape_vec((n, n), v).unwrap())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Rows relaxed through their cheapest columns alone, whenever the
    /// bound on the others allows, on any square problem: the optimum of
    /// the reference solver, certified by the duals.
    #[test]
    fn listed_rows_keep_the_optimum(costs in prop_oneof![square_problems(), tied_square_problems()], width in 1usize..=4) {
        check_square(&costs, |dense, largest| super::jv::solve_listed(dense, largest, width))?;
    }
}

/// The lists are used at all: on seeded matrices of few cost levels, some
/// rows are relaxed through them, and the optimum is the reference solver's.
#[test]
fn lists_are_used_and_keep_the_optimum() {
    use std::sync::atomic::Ordering;
    let mut next = crate::assign::xorshift(0x5DEE_CE66_D1CE_4E5B);
    let before = super::jv::LISTED_ROWS.load(Ordering::Relaxed);
    for n in [20usize, 60, 150] {
        let costs = Array2::from_shape_fn((n, n), |_| next(50) as f64);
        for width in [1, 4, 16] {
            check_square(&costs, |dense, largest| {
                super::jv::solve_listed(dense, largest, width)
            })
            .expect("the reference optimum");
        }
    }
    assert!(
        super::jv::LISTED_ROWS.load(Ordering::Relaxed) > before,
        "no row was relaxed through its list"
    );
}

/// Problems wide enough for the search's columns to be split into parts of
/// whole spans of 64 columns, with column counts that leave a short last
/// part (and short lanes), many ties (costs 0 to 3, so that columns at the
/// same distance straddle the boundaries), forbidden pairs, capacities
/// (some 0) and optional rows.
fn wide_problems() -> impl Strategy<Value = (Array2<f64>, Vec<usize>, Option<f64>)> {
    (1usize..=48, 65usize..=330).prop_flat_map(|(rows, columns)| {
        (
            prop::collection::vec(
                prop_oneof![12 => (0i32..4).prop_map(f64::from), 1 => Just(f64::INFINITY)],
                rows * columns,
            )
            .prop_map(move |v| Array2::from_shape_vec((rows, columns), v).unwrap()),
            prop::collection::vec(prop_oneof![6 => Just(1usize), 1 => 0usize..=3], columns),
            prop::option::of((0i32..6).prop_map(f64::from)),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The search's columns split into 1 to 5 parts, relaxed by pools of 1 to
    /// 3 threads: the same columns and duals, bit for bit, and the optimum of
    /// the reference solver.
    #[test]
    fn parts_and_threads_change_nothing((costs, capacity, unmatched_cost) in wide_problems()) {
        let dense = super::DenseProblem { costs: costs.view(), capacity: &capacity, unmatched_cost };
        let largest = costs.iter().filter(|c| c.is_finite()).fold(0.0f64, |m, c| m.max(c.abs()));
        let run = |parts: usize, threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| super::jv::solve_in_parts(&dense, largest, parts)).map(|solution| {
                let bits = |x: &[f64]| x.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                let duals = solution.duals.as_ref().map(|(u, v)| (bits(u), bits(v)));
                (solution.columns, duals)
            })
        };
        let one = run(1, 1);
        for (parts, threads) in [(2, 2), (3, 2), (5, 3), (2, 1), (4, 4)] {
            prop_assert_eq!(&run(parts, threads), &one, "{} parts, {} threads", parts, threads);
        }
        let problem = Problem { costs: &costs, capacity: &capacity, unmatched_cost };
        match (one, solve(&problem, Solver::Hungarian)) {
            (Ok((columns, _)), Ok(hungarian)) => {
                prop_assert_eq!(total_of(&problem, &columns), total_of(&problem, &hungarian));
            }
            (Err(Error::Infeasible { possible: a, .. }), Err(Error::Infeasible { possible: b, .. })) => {
                prop_assert_eq!(a, b);
            }
            (jv, hungarian) => prop_assert!(false, "jv {:?}, hungarian {:?}", jv, hungarian),
        }
    }
}

#[test]
fn capacity_larger_than_rows_is_clamped() {
    let costs = ndarray::array![[1.0, 5.0], [1.0, 5.0], [1.0, 5.0]];
    let problem = Problem {
        costs: &costs,
        capacity: &[usize::MAX, 0],
        unmatched_cost: None,
    };
    for solver in SOLVERS {
        assert_eq!(solve(&problem, solver).unwrap(), vec![Some(0); 3]);
    }
}

#[test]
fn no_columns() {
    let costs = Array2::<f64>::zeros((3, 0));
    for solver in SOLVERS {
        let optional = Problem {
            costs: &costs,
            capacity: &[],
            unmatched_cost: Some(1.0),
        };
        assert_eq!(solve(&optional, solver).unwrap(), vec![None; 3]);
        let required = Problem {
            unmatched_cost: None,
            ..optional
        };
        assert_eq!(
            solve(&required, solver),
            Err(Error::Infeasible {
                required: 3,
                possible: 0
            })
        );
    }
}

#[test]
fn bad_entries_are_errors() {
    let costs = ndarray::array![[1.0, f64::NAN], [f64::NEG_INFINITY, 0.0]];
    let problem = Problem {
        costs: &costs,
        capacity: &[1, 1],
        unmatched_cost: None,
    };
    for solver in SOLVERS {
        assert!(matches!(
            solve(&problem, solver),
            Err(Error::BadEntry {
                row: 0,
                column: 1,
                ..
            })
        ));
    }
}

#[test]
fn hungarian_refuses_what_could_overflow() {
    let mut costs = Array2::<f64>::eye(4);
    costs[[0, 1]] = 1e300;
    costs[[1, 0]] = f64::INFINITY;
    let problem = Problem {
        costs: &costs,
        capacity: &[1; 4],
        unmatched_cost: None,
    };
    assert!(matches!(
        solve(&problem, Solver::Hungarian),
        Err(Error::TooLarge { .. })
    ));
    let columns = solve(&problem, Solver::JonkerVolgenant).unwrap();
    assert_eq!(total_of(&problem, &columns), 0.0);
}

#[test]
fn duals_certify_square_optimum() {
    let costs = ndarray::array![[4.0, 1.0, 3.0], [2.0, 0.0, 5.0], [3.0, 2.0, 2.0]];
    let problem = Problem {
        costs: &costs,
        capacity: &[1, 1, 1],
        unmatched_cost: None,
    };
    let solution = solve_with_duals(&problem, Solver::JonkerVolgenant).unwrap();
    let (u, v) = solution.duals.unwrap();
    for i in 0..3 {
        for j in 0..3 {
            assert!(u[i] + v[j] <= costs[[i, j]]);
        }
    }
    assert_eq!(u.iter().sum::<f64>() + v.iter().sum::<f64>(), 5.0);
}

#[test]
fn huge_costs_are_scaled_exactly() {
    let small = ndarray::array![[4.0, 1.0, 3.0], [2.0, 0.0, 5.0], [3.0, 2.0, 2.0]];
    let factor = 2f64.powi(1015);
    let huge = small.mapv(|c| c * factor);
    let capacity = [1; 3];
    let problem = |costs| Problem {
        costs,
        capacity: &capacity,
        unmatched_cost: None,
    };
    let expected = solve(&problem(&small), Solver::JonkerVolgenant).unwrap();
    let solution = solve_with_duals(&problem(&huge), Solver::JonkerVolgenant).unwrap();
    assert_eq!(solution.columns, expected);
    let (u, v) = solution.duals.unwrap();
    for i in 0..3 {
        for j in 0..3 {
            assert!(u[i] + v[j] <= huge[[i, j]]);
        }
    }
    assert_eq!(u.iter().chain(&v).map(|x| x / factor).sum::<f64>(), 5.0);
}
