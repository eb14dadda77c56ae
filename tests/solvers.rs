//! The two assignment solvers held to the same optimum through the public
//! [`assign`] API: random matrices of every shape, ties, forbidden pairs,
//! brute force on tiny cases, dual certificates and a known answer.

// Totals of integer costs are exact, and so are the sums compared here.
#![allow(clippy::float_cmp)]

use mentor_match::{Assignment, Error, MatrixFormat, Sense, Solver, assign, parse_matrix};
use ndarray::Array2;
use proptest::prelude::*;

#[path = "../benches/support/random.rs"]
#[allow(dead_code)] // each user takes part of it
mod random;
use random::SplitMix64;

const SOLVERS: [Solver; 2] = [Solver::JonkerVolgenant, Solver::Hungarian];

/// The forbidden entry for `sense`.
fn forbidden(sense: Sense) -> f64 {
    match sense {
        Sense::Minimise => f64::INFINITY,
        Sense::Maximise => f64::NEG_INFINITY,
    }
}

/// Checks that `assignment` is a valid assignment of `matrix` (every shape)
/// and that its total is the sum of its entries.
fn check_valid(matrix: &Array2<f64>, assignment: &Assignment) {
    let (rows, columns) = matrix.dim();
    assert_eq!(assignment.columns().len(), rows);
    assert_eq!(assignment.len(), rows.min(columns));
    assert_eq!(assignment.pairs().count(), rows.min(columns));
    let mut used = vec![false; columns];
    let mut total = 0.0;
    for (row, column) in assignment.pairs() {
        assert!(!used[column], "column {column} assigned twice");
        used[column] = true;
        assert!(
            matrix[[row, column]].is_finite(),
            "forbidden pair ({row}, {column}) assigned"
        );
        assert_eq!(assignment.column_of(row), Some(column));
        total += matrix[[row, column]];
    }
    assert_eq!(assignment.total(), total);
}

/// The optimum over all assignments of `min(rows, columns)` pairs, by
/// enumeration (tiny matrices only); `None` when every one uses a forbidden pair.
fn brute_force(matrix: &Array2<f64>, sense: Sense) -> Option<f64> {
    let oriented = if matrix.nrows() <= matrix.ncols() {
        matrix.clone()
    } else {
        matrix.t().to_owned()
    };
    let (rows, columns) = oriented.dim();
    let better = |a: f64, b: f64| match sense {
        Sense::Minimise => a < b,
        Sense::Maximise => a > b,
    };
    let mut best = None;
    if rows == 0 {
        return Some(0.0);
    }
    extend(
        &oriented,
        0,
        &mut vec![false; columns],
        0.0,
        &mut best,
        &better,
    );
    best
}

/// Extends a partial assignment of rows `..row` (brute force).
fn extend(
    matrix: &Array2<f64>,
    row: usize,
    used: &mut [bool],
    total: f64,
    best: &mut Option<f64>,
    better: &dyn Fn(f64, f64) -> bool,
) {
    if row == matrix.nrows() {
        if best.is_none_or(|b| better(total, b)) {
            *best = Some(total);
        }
        return;
    }
    for column in 0..matrix.ncols() {
        let entry = matrix[[row, column]];
        if !used[column] && entry.is_finite() {
            used[column] = true;
            extend(matrix, row + 1, used, total + entry, best, better);
            used[column] = false;
        }
    }
}

/// Random matrices: shape, then integer entries from a small range (many ties)
/// or a wide one, with some forbidden entries.
fn matrices(max_side: usize) -> impl Strategy<Value = (Array2<f64>, Sense)> {
    (
        0..=max_side,
        0..=max_side,
        prop_oneof![Just(1i64), Just(3), Just(1000)],
        prop_oneof![Just(0u32), Just(5), Just(30)],
        prop_oneof![Just(Sense::Minimise), Just(Sense::Maximise)],
    )
        .prop_flat_map(|(rows, columns, range, forbidden_percent, sense)| {
            prop::collection::vec((0..range, 0u32..100), rows * columns).prop_map(move |entries| {
                let entries = entries
                    .into_iter()
                    .map(|(value, chance)| {
                        if chance < forbidden_percent {
                            forbidden(sense)
                        } else {
                            value as f64
                        }
                    })
                    .collect();
                (
                    Array2::from_shape_vec((rows, columns), entries).unwrap(),
                    sense,
                )
            })
        })
}

/// Checks that the duals of `assignment` certify it optimal for `matrix`.
fn check_duals(matrix: &Array2<f64>, sense: Sense, assignment: &Assignment) {
    let duals = assignment
        .duals()
        .expect("the default solver computes duals");
    let (rows, columns) = matrix.dim();
    assert_eq!((duals.rows().len(), duals.columns().len()), (rows, columns));
    for ((row, column), &entry) in matrix.indexed_iter() {
        if entry.is_finite() {
            let sum = duals.rows()[row] + duals.columns()[column];
            match sense {
                Sense::Minimise => assert!(sum <= entry, "dual infeasible at ({row}, {column})"),
                Sense::Maximise => assert!(sum >= entry, "dual infeasible at ({row}, {column})"),
            }
        }
    }
    // The longer side's potentials: signed, and 0 where unassigned.
    let (longer, assigned): (&[f64], Vec<bool>) = match rows.cmp(&columns) {
        std::cmp::Ordering::Less => {
            let mut assigned = vec![false; columns];
            assignment.pairs().for_each(|(_, c)| assigned[c] = true);
            (duals.columns(), assigned)
        }
        std::cmp::Ordering::Greater => {
            let assigned = assignment.columns().iter().map(Option::is_some).collect();
            (duals.rows(), assigned)
        }
        std::cmp::Ordering::Equal => (&[], Vec::new()),
    };
    for (&potential, &assigned) in longer.iter().zip(&assigned) {
        match sense {
            Sense::Minimise => assert!(potential <= 0.0),
            Sense::Maximise => assert!(potential >= 0.0),
        }
        if !assigned {
            assert_eq!(potential, 0.0);
        }
    }
    assert_eq!(duals.value(), assignment.total());
}

/// Cases per property: `MENTOR_MATCH_SOLVER_CASES`, default 2000.
fn cases() -> u32 {
    std::env::var("MENTOR_MATCH_SOLVER_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// Both solvers agree with each other and with brute force, on every shape.
    #[test]
    fn tiny_matrices_match_brute_force((matrix, sense) in matrices(6)) {
        let expected = brute_force(&matrix, sense);
        for solver in SOLVERS {
            match (assign(matrix.view(), sense, solver), expected) {
                (Ok(assignment), Some(best)) => {
                    check_valid(&matrix, &assignment);
                    prop_assert_eq!(assignment.total(), best, "{:?}", solver);
                }
                (Err(Error::Infeasible { required, possible }), None) => {
                    prop_assert_eq!(required, matrix.nrows().min(matrix.ncols()));
                    prop_assert!(possible < required);
                }
                (got, want) => prop_assert!(false, "{:?}: got {:?}, want {:?}", solver, got, want),
            }
        }
    }

    /// On larger matrices, the solvers reach the same optimum and the default
    /// solver's duals prove it.
    #[test]
    fn solvers_agree((matrix, sense) in matrices(40)) {
        let jv = assign(matrix.view(), sense, Solver::JonkerVolgenant);
        let hungarian = assign(matrix.view(), sense, Solver::Hungarian);
        match (jv, hungarian) {
            (Ok(jv), Ok(hungarian)) => {
                check_valid(&matrix, &jv);
                check_valid(&matrix, &hungarian);
                prop_assert_eq!(jv.total(), hungarian.total());
                check_duals(&matrix, sense, &jv);
            }
            (Err(Error::Infeasible { possible: a, .. }), Err(Error::Infeasible { possible: b, .. })) => {
                prop_assert_eq!(a, b);
            }
            (jv, hungarian) => prop_assert!(false, "jv {:?}, hungarian {:?}", jv, hungarian),
        }
    }

    /// Fractional costs: the Hungarian solver rounds scaled costs, so the totals
    /// agree to within its documented precision.
    #[test]
    fn fractional_costs_agree(entries in prop::collection::vec(-1.0f64..1.0, 1..=144), width in 1usize..=12) {
        let rows = entries.len() / width;
        prop_assume!(rows > 0);
        let matrix = Array2::from_shape_vec((rows, width), entries[..rows * width].to_vec()).unwrap();
        let jv = assign(matrix.view(), Sense::Maximise, Solver::JonkerVolgenant).unwrap();
        let hungarian = assign(matrix.view(), Sense::Maximise, Solver::Hungarian).unwrap();
        check_valid(&matrix, &jv);
        check_valid(&matrix, &hungarian);
        prop_assert!((jv.total() - hungarian.total()).abs() < 1e-9, "{} vs {}", jv.total(), hungarian.total());
        prop_assert!(jv.total() >= hungarian.total() - 1e-12);
        check_duals_close(&matrix, &jv);
    }
}

/// [`check_duals`] with a tolerance, for fractional costs when maximising.
fn check_duals_close(matrix: &Array2<f64>, assignment: &Assignment) {
    let duals = assignment.duals().unwrap();
    for ((row, column), &entry) in matrix.indexed_iter() {
        assert!(duals.rows()[row] + duals.columns()[column] >= entry - 1e-9);
    }
    assert!((duals.value() - assignment.total()).abs() < 1e-9);
}

#[test]
fn all_equal_entries() {
    for (rows, columns) in [(1, 1), (5, 5), (3, 7), (7, 3), (50, 50)] {
        let matrix = Array2::from_elem((rows, columns), 2.0);
        for solver in SOLVERS {
            let assignment = assign(matrix.view(), Sense::Minimise, solver).unwrap();
            check_valid(&matrix, &assignment);
            assert_eq!(assignment.total(), 2.0 * rows.min(columns) as f64);
        }
    }
}

#[test]
fn empty_matrices_give_empty_assignments() {
    for (rows, columns) in [(0, 0), (0, 4), (4, 0)] {
        let matrix = Array2::<f64>::zeros((rows, columns));
        for solver in SOLVERS {
            for sense in [Sense::Minimise, Sense::Maximise] {
                let assignment = assign(matrix.view(), sense, solver).unwrap();
                assert!(assignment.is_empty());
                assert_eq!(assignment.total(), 0.0);
                assert_eq!(assignment.columns(), vec![None; rows]);
            }
        }
    }
}

#[test]
fn bad_entries_name_row_and_column() {
    let matrix = ndarray::array![[1.0, 2.0], [f64::NEG_INFINITY, 0.0], [f64::NAN, 1.0]];
    for solver in SOLVERS {
        assert!(matches!(
            assign(matrix.view(), Sense::Minimise, solver),
            Err(Error::BadEntry {
                row: 1,
                column: 0,
                ..
            })
        ));
        assert!(matches!(
            assign(matrix.view(), Sense::Maximise, solver),
            Err(Error::BadEntry {
                row: 2,
                column: 0,
                ..
            })
        ));
    }
    let wrong = ndarray::array![[1.0, f64::INFINITY]];
    assert!(matches!(
        assign(wrong.view(), Sense::Maximise, Solver::default()),
        Err(Error::BadEntry {
            row: 0,
            column: 1,
            ..
        })
    ));
}

#[test]
fn infeasible_matrices_say_how_many_rows_fit() {
    let inf = f64::INFINITY;
    // Rows 0 and 1 can only use column 0.
    let matrix = ndarray::array![[1.0, inf, inf], [2.0, inf, inf], [3.0, 4.0, 5.0]];
    for solver in SOLVERS {
        assert_eq!(
            assign(matrix.view(), Sense::Minimise, solver),
            Err(Error::Infeasible {
                required: 3,
                possible: 2
            })
        );
        // The same through the transposed (wide) orientation.
        let wide = matrix.t().to_owned();
        assert_eq!(
            assign(wide.view(), Sense::Minimise, solver),
            Err(Error::Infeasible {
                required: 3,
                possible: 2
            })
        );
    }
}

#[test]
fn any_memory_layout() {
    let matrix = ndarray::array![
        [4.0, 1.0, 3.0],
        [2.0, 0.0, 5.0],
        [3.0, 2.0, 2.0],
        [9.0, 9.0, 0.5]
    ];
    let columns_first = matrix.t().as_standard_layout().into_owned();
    let view = columns_first.t();
    for solver in SOLVERS {
        let a = assign(matrix.view(), Sense::Minimise, solver).unwrap();
        let b = assign(view, Sense::Minimise, solver).unwrap();
        assert_eq!(a.columns(), b.columns());
        assert_eq!(a.total(), 3.5);
    }
}

/// OR-Library instance assign100 (J. E. Beasley, "OR-Library: distributing test
/// problems by electronic mail", Journal of the Operational Research Society
/// 41(11), 1990): published optimal cost 305.
#[test]
fn or_library_assign100() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/assign100.txt"
    ))
    .unwrap();
    let matrix = parse_matrix(&text, MatrixFormat::guess(&text), Sense::Minimise).unwrap();
    assert_eq!(matrix.dim(), (100, 100));
    for solver in SOLVERS {
        let assignment = assign(matrix.view(), Sense::Minimise, solver).unwrap();
        check_valid(&matrix, &assignment);
        assert_eq!(assignment.total(), 305.0, "{solver:?}");
    }
    let jv = assign(matrix.view(), Sense::Minimise, Solver::JonkerVolgenant).unwrap();
    check_duals(&matrix, Sense::Minimise, &jv);
}

/// Medium matrices with many ties, where augmenting row reduction stops early
/// and the Dijkstra phase does most of the work.
#[test]
fn many_ties_at_medium_size() {
    let mut rng = SplitMix64(0x2545_F491_4F6C_DD1D);
    for (rows, columns, range) in [
        (200, 200, 3),
        (150, 220, 5),
        (220, 150, 2),
        (200, 200, 1000),
    ] {
        let matrix = Array2::from_shape_fn((rows, columns), |_| rng.between(0, range - 1));
        let jv = assign(matrix.view(), Sense::Minimise, Solver::JonkerVolgenant).unwrap();
        let hungarian = assign(matrix.view(), Sense::Minimise, Solver::Hungarian).unwrap();
        check_valid(&matrix, &jv);
        assert_eq!(jv.total(), hungarian.total());
        check_duals(&matrix, Sense::Minimise, &jv);
    }
}

/// Structured matrices that are hard for shortest-augmenting-path solvers
/// (long augmenting paths, many ties), of any shape: `(i + 1)(j + 1)`
/// (Machol and Wien), `i · j`, `(i + j)²`, and a rank-1 product `u_i · v_j`.
fn structured(family: usize, rows: usize, columns: usize, u: &[f64], v: &[f64]) -> Array2<f64> {
    Array2::from_shape_fn((rows, columns), |(i, j)| {
        let (x, y) = (i as f64, j as f64);
        match family {
            0 => (x + 1.0) * (y + 1.0),
            1 => x * y,
            2 => (x + y) * (x + y),
            _ => u[i] * v[j],
        }
    })
}

/// A structured matrix with a random shape and, for the rank-1 family,
/// random integer factors; an offset and a sign give rows or columns a
/// reversed order, so the structure shows up in every orientation.
fn structured_matrices(max_side: usize) -> impl Strategy<Value = (Array2<f64>, Sense)> {
    (
        1..=max_side,
        1..=max_side,
        0..4usize,
        prop::collection::vec(1..1000i32, max_side),
        prop::collection::vec(1..1000i32, max_side),
        prop_oneof![Just(Sense::Minimise), Just(Sense::Maximise)],
        any::<bool>(),
    )
        .prop_map(|(rows, columns, family, u, v, sense, flip)| {
            let u: Vec<f64> = u.into_iter().map(f64::from).collect();
            let v: Vec<f64> = v.into_iter().map(f64::from).collect();
            let mut matrix = structured(family, rows, columns, &u, &v);
            if flip {
                matrix.invert_axis(ndarray::Axis(1));
            }
            (matrix, sense)
        })
}

/// Runs `f` in a pool of `threads` threads.
fn with_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases() / 4))]

    /// Structured families: the default solver reaches the reference's optimum
    /// (and brute force's on tiny cases), with duals that prove it.
    #[test]
    fn structured_families_reach_the_optimum((matrix, sense) in structured_matrices(24)) {
        let jv = assign(matrix.view(), sense, Solver::JonkerVolgenant).unwrap();
        let hungarian = assign(matrix.view(), sense, Solver::Hungarian).unwrap();
        check_valid(&matrix, &jv);
        prop_assert_eq!(jv.total(), hungarian.total());
        check_duals(&matrix, sense, &jv);
        if matrix.nrows().min(matrix.ncols()) <= 6 && matrix.nrows().max(matrix.ncols()) <= 7 {
            prop_assert_eq!(Some(jv.total()), brute_force(&matrix, sense));
        }
    }
}

/// The structured families at sizes where whole spans of columns are
/// finalised in one search and paths are hundreds of columns long, square
/// and rectangular, against the reference.
#[test]
fn structured_families_at_medium_size() {
    let mut rng = SplitMix64(0x9E37_79B9_7F4A_7C15);
    let u: Vec<f64> = (0..300).map(|_| rng.between(1, 1000)).collect();
    let v: Vec<f64> = (0..300).map(|_| rng.between(1, 1000)).collect();
    for family in 0..4 {
        for (rows, columns) in [(300, 300), (130, 300), (300, 170)] {
            let matrix = structured(family, rows, columns, &u, &v);
            for sense in [Sense::Minimise, Sense::Maximise] {
                let jv = assign(matrix.view(), sense, Solver::JonkerVolgenant).unwrap();
                let hungarian = assign(matrix.view(), sense, Solver::Hungarian).unwrap();
                check_valid(&matrix, &jv);
                assert_eq!(
                    jv.total(),
                    hungarian.total(),
                    "family {family}, {rows} × {columns}, {sense:?}"
                );
                check_duals(&matrix, sense, &jv);
            }
        }
    }
}

/// `1 - cosine` of sparse answer vectors, as the matcher's scores are: few
/// distinct values and many exact ties.
fn mentor_like(rows: usize, columns: usize, seed: u64) -> Array2<f64> {
    let mut rng = SplitMix64(seed);
    let mut vectors = |count: usize| -> Vec<[f64; 16]> {
        (0..count)
            .map(|_| {
                let mut vector = [0.0; 16];
                for _ in 0..2 + rng.below(3) {
                    vector[rng.index(16)] = rng.between(1, 5);
                }
                vector
            })
            .collect()
    };
    let (a, b) = (vectors(rows), vectors(columns));
    let norm = |x: &[f64; 16]| x.iter().map(|x| x * x).sum::<f64>().sqrt();
    Array2::from_shape_fn((rows, columns), |(i, j)| {
        let dot: f64 = a[i].iter().zip(&b[j]).map(|(x, y)| x * y).sum();
        1.0 - dot / (norm(&a[i]) * norm(&b[j]))
    })
}

/// Large enough that the columns of a pass are split between threads: the
/// same pairs, total and duals, bit for bit, on 1, 2 and 7 threads.
#[test]
fn same_result_on_any_number_of_threads() {
    let mut rng = SplitMix64(0x2545_F491_4F6C_DD1D);
    let ones: Vec<f64> = vec![1.0; 3000];
    let matrices = [
        mentor_like(2500, 2500, 7),
        mentor_like(400, 3000, 11),
        mentor_like(3000, 500, 13),
        Array2::from_shape_simple_fn((2200, 2200), || rng.between(0, 49)),
        structured(0, 900, 2400, &ones, &ones),
    ];
    for matrix in &matrices {
        for sense in [Sense::Minimise, Sense::Maximise] {
            let one =
                with_threads(1, || assign(matrix.view(), sense, Solver::JonkerVolgenant)).unwrap();
            check_valid(matrix, &one);
            for threads in [2, 7] {
                let many = with_threads(threads, || {
                    assign(matrix.view(), sense, Solver::JonkerVolgenant)
                })
                .unwrap();
                assert_eq!(one.columns(), many.columns(), "{threads} threads");
                assert_eq!(one.total().to_bits(), many.total().to_bits());
                let (a, b) = (one.duals().unwrap(), many.duals().unwrap());
                assert!(
                    a.rows()
                        .iter()
                        .zip(b.rows())
                        .all(|(x, y)| x.to_bits() == y.to_bits())
                );
                assert!(
                    a.columns()
                        .iter()
                        .zip(b.columns())
                        .all(|(x, y)| x.to_bits() == y.to_bits())
                );
            }
        }
    }
    // The mentor-like matrix against the reference, once.
    let jv = assign(matrices[0].view(), Sense::Minimise, Solver::JonkerVolgenant).unwrap();
    let hungarian = assign(matrices[0].view(), Sense::Minimise, Solver::Hungarian).unwrap();
    assert!((jv.total() - hungarian.total()).abs() < 1e-9);
}
