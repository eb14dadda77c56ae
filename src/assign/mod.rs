//! Assignment solvers: pure matrix algorithms behind one entry point.
//!
//! The matcher hands a [`Problem`] (costs, column capacities, an optional cost
//! for leaving a row unassigned) to [`solve`]; users with their own matrix call
//! [`assign`], which has the semantics of `SciPy`'s `linear_sum_assignment`.
//! Both know nothing of mentors or topics.
//!
//! Two solvers answer the same question:
//!
//! - [`Solver::JonkerVolgenant`] (the default, `jv.rs`): a dense
//!   shortest-augmenting-path solver in the Jonker–Volgenant family, on `f64`
//!   costs, with column capacities and optional assignment handled natively;
//! - [`Solver::Hungarian`] (`hungarian.rs`): the `pathfinding` crate's
//!   `kuhn_munkres` on an integer view of the problem, kept as the reference.
//!
//! Under [`Solver::JonkerVolgenant`], costs stored as sparse rows (a candidate
//! graph, [`SparseCosts`]) go to a sparse solver of the same family
//! (`sparse.rs`): Dijkstra on a heap over the stored entries only, in memory
//! `O(rows + columns + entries)`.

mod costs;
pub(crate) mod flow;
mod hungarian;
mod jv;
mod reduction;
mod sparse;
mod text;

use ndarray::{Array2, ArrayView2};
use rayon::prelude::*;

use crate::Error;

pub use costs::{Costs, FnCosts, SparseCosts};
pub use text::{MatrixFormat, parse_matrix};

/// Which algorithm solves the assignment problem.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Solver {
    /// A dense shortest-augmenting-path solver in the Jonker–Volgenant family
    /// (column reduction, augmenting row reduction, Dijkstra-style
    /// augmentation): `O(n³)` in the worst case and much faster on typical
    /// matrices. Exact on integer-valued costs below 2^53 (as the matcher
    /// passes them); on fractional costs, optimal up to floating-point
    /// rounding. The default.
    #[default]
    JonkerVolgenant,
    /// The Hungarian algorithm of the `pathfinding` crate (`kuhn_munkres`), kept as the reference.
    ///
    /// It works on integers: integer costs are used exactly; other costs are
    /// scaled by a power of two and rounded (see [`assign`]). `O(n³)`, and it
    /// refuses problems whose integer arithmetic could overflow
    /// ([`Error::TooLarge`]).
    Hungarian,
}

/// A solver of [`Problem`]s: the crate's own ([`Solver`]) or one of yours,
/// given to [`Matcher::using`](crate::Matcher::using).
///
/// ```
/// use mentor_match::{AssignmentSolver, Error, Problem, Solver};
///
/// /// Logs each problem, then solves it with the default solver.
/// #[derive(Debug)]
/// struct Logged;
///
/// impl AssignmentSolver for Logged {
///     fn solve(&self, problem: &Problem<'_>) -> Result<Vec<Option<usize>>, Error> {
///         eprintln!("solving {} rows", problem.costs.rows());
///         Solver::default().solve(problem)
///     }
/// }
/// ```
pub trait AssignmentSolver: Send + Sync + std::fmt::Debug {
    /// Solves `problem` exactly: the column of each row, `None` for a row
    /// left unassigned (only when `problem.unmatched_cost` is `Some`).
    ///
    /// # Errors
    ///
    /// [`Error::Infeasible`] when every row must be assigned and cannot be;
    /// any other error of the solver.
    fn solve(&self, problem: &Problem<'_>) -> Result<Vec<Option<usize>>, Error>;

    /// Solves `problem` as [`AssignmentSolver::solve`] does, also returning
    /// dual potentials of the optimum when the solver has them, and telling
    /// `settled`, in order, how many rows are settled so far (ending with
    /// all of them) when the solver reports its progress.
    ///
    /// The default calls [`AssignmentSolver::solve`], reports every row
    /// settled at the end, and returns no potentials. [`Solver::JonkerVolgenant`]
    /// on sparse costs returns its potentials (see [`Duals`]) and reports
    /// once after its row reductions and then after each row it searches
    /// for; on dense costs it reports only at the end. The matcher checks any
    /// potentials it gets before it relies on them (the scale path's proof of
    /// optimality), so a solver that returns none, or wrong ones, only loses
    /// that proof.
    ///
    /// # Errors
    ///
    /// As [`AssignmentSolver::solve`].
    fn solve_with_duals(
        &self,
        problem: &Problem<'_>,
        settled: &dyn Fn(usize),
    ) -> Result<(Vec<Option<usize>>, Option<Duals>), Error> {
        let columns = self.solve(problem)?;
        settled(columns.len());
        Ok((columns, None))
    }

    /// Bytes of working memory per entry of the cost matrix, for the
    /// matcher's memory estimate (default 8: the costs themselves).
    fn bytes_per_pair(&self) -> u64 {
        8
    }
}

impl AssignmentSolver for Solver {
    fn solve(&self, problem: &Problem<'_>) -> Result<Vec<Option<usize>>, Error> {
        solve(problem, *self)
    }

    fn solve_with_duals(
        &self,
        problem: &Problem<'_>,
        settled: &dyn Fn(usize),
    ) -> Result<(Vec<Option<usize>>, Option<Duals>), Error> {
        let Solution { columns, duals } = solve_reporting(problem, *self, settled)?;
        settled(columns.len());
        Ok((
            columns,
            duals.map(|(rows, columns)| Duals { rows, columns }),
        ))
    }

    fn bytes_per_pair(&self) -> u64 {
        match self {
            // Its integer copy of the weights besides the costs.
            Solver::Hungarian => 24,
            Solver::JonkerVolgenant => 8,
        }
    }
}

impl std::str::FromStr for Solver {
    type Err = Error;

    /// Reads a solver's name: `jv` (also `jonker-volgenant` or
    /// `jonker_volgenant`) or `hungarian`.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownName`] for any other text, listing the names.
    fn from_str(name: &str) -> Result<Self, Error> {
        let names = [
            ("jv", Solver::JonkerVolgenant),
            ("jonker-volgenant", Solver::JonkerVolgenant),
            ("jonker_volgenant", Solver::JonkerVolgenant),
            ("hungarian", Solver::Hungarian),
        ];
        Error::by_name(
            "solver",
            name,
            &names,
            "jv (or jonker-volgenant) or hungarian",
        )
    }
}

/// Whether [`assign`] minimises or maximises the total.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Sense {
    /// Minimise the sum of the chosen entries; `+inf` marks a forbidden pair. The default.
    #[default]
    Minimise,
    /// Maximise the sum of the chosen entries; `-inf` marks a forbidden pair.
    Maximise,
}

/// An optimal assignment of rows to columns, as [`assign`] returns it.
///
/// Each row has at most one column and each column at most one row.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    columns: Vec<Option<usize>>,
    total: f64,
    len: usize,
    duals: Option<Duals>,
}

impl Assignment {
    /// The column of each row, `None` for a row left unassigned.
    pub fn columns(&self) -> &[Option<usize>] {
        &self.columns
    }

    /// The column of `row`, `None` when the row is unassigned or out of range.
    pub fn column_of(&self, row: usize) -> Option<usize> {
        self.columns.get(row).copied().flatten()
    }

    /// The sum of the chosen entries (0 for an empty assignment).
    pub fn total(&self) -> f64 {
        self.total
    }

    /// The number of assigned pairs: `min(rows, columns)` of the matrix.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no pair is assigned (the matrix has no rows or no columns).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The assigned `(row, column)` pairs, by increasing row.
    pub fn pairs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.columns
            .iter()
            .enumerate()
            .filter_map(|(row, column)| column.map(|column| (row, column)))
    }

    /// The optimal dual potentials, when the solver computes them
    /// ([`Solver::JonkerVolgenant`] does; [`Solver::Hungarian`] does not).
    pub fn duals(&self) -> Option<&Duals> {
        self.duals.as_ref()
    }
}

/// Dual potentials that certify an [`Assignment`] optimal.
///
/// When minimising, `rows()[i] + columns()[j] <= c[i][j]` for every allowed
/// pair; when maximising, `>=`. On a rectangular matrix the potentials of the
/// longer side are `<= 0` when minimising (`>= 0` when maximising) and are 0 on
/// the lines left unassigned. Their sum, [`Duals::value`], equals the total of
/// the assignment, which proves it optimal by linear programming duality (up to
/// floating-point rounding for non-integer costs).
///
/// From [`AssignmentSolver::solve_with_duals`] on a [`Problem`] (minimised,
/// with capacities), the conditions are those of that linear program: `u[i] +
/// v[j] <= c[i][j]` on every allowed pair, equality on the assigned ones;
/// `v[j] <= 0`, 0 on a column with room left, `-inf` on a column of capacity
/// 0; `u[i] <= unmatched_cost` when rows may stay unassigned, equality on a
/// row left so. The dual value is then `Σ u + Σ capacity[j] · v[j]` (over
/// the columns of positive capacity).
#[derive(Debug, Clone, PartialEq)]
pub struct Duals {
    rows: Vec<f64>,
    columns: Vec<f64>,
}

impl Duals {
    /// Potentials of the rows and of the columns, as a solver of your own
    /// returns them from [`AssignmentSolver::solve_with_duals`].
    pub fn new(rows: Vec<f64>, columns: Vec<f64>) -> Duals {
        Duals { rows, columns }
    }

    /// The potential of each row.
    pub fn rows(&self) -> &[f64] {
        &self.rows
    }

    /// The potential of each column.
    pub fn columns(&self) -> &[f64] {
        &self.columns
    }

    /// The sum of all potentials: the dual objective.
    pub fn value(&self) -> f64 {
        self.rows.iter().sum::<f64>() + self.columns.iter().sum::<f64>()
    }
}

/// Solves the rectangular linear assignment problem on `matrix`, as `SciPy`'s
/// `linear_sum_assignment` does.
///
/// Assigns `min(rows, columns)` pairs, each row and each column at most once,
/// with the smallest (or, with [`Sense::Maximise`], largest) total. When
/// minimising `+inf` marks a forbidden pair, when maximising `-inf`; a
/// forbidden pair is never assigned. A matrix with no rows or no columns gives
/// an empty assignment with total 0. The matrix may have any memory layout.
///
/// Costs are used as they are by [`Solver::JonkerVolgenant`]. [`Solver::Hungarian`]
/// works on integers: integer costs below `2^53` in magnitude are exact; other
/// costs are multiplied by the largest power of two `2^s` that keeps them below
/// `2^52` and the integer arithmetic from overflowing, then rounded, so the
/// assignment is optimal to within `min(rows, columns) · 2^-s` of the total.
///
/// Time `O(n² m)` in the worst case for an `n × m` matrix with `n <= m`
/// (either orientation), much less on typical matrices with the default
/// solver; memory `O(n m)` when maximising or when there are more rows than
/// columns (a transformed copy), `O(n + m)` otherwise.
///
/// # Errors
///
/// - [`Error::BadEntry`] for a NaN entry, or `-inf` when minimising (`+inf` when
///   maximising), naming its row and column;
/// - [`Error::Infeasible`] when no assignment of `min(rows, columns)` pairs avoids
///   the forbidden pairs;
/// - [`Error::TooLarge`] when [`Solver::Hungarian`]'s integer arithmetic could
///   overflow on this matrix.
///
/// # Examples
///
/// ```
/// use mentor_match::{assign, Sense, Solver};
/// use ndarray::array;
///
/// let costs = array![[4.0, 1.0, 3.0], [2.0, 0.0, 5.0], [3.0, 2.0, 2.0]];
/// let best = assign(costs.view(), Sense::Minimise, Solver::default())?;
/// assert_eq!(best.columns(), &[Some(1), Some(0), Some(2)]);
/// assert_eq!(best.total(), 5.0);
/// # Ok::<(), mentor_match::Error>(())
/// ```
// A view is the argument ndarray users expect; it is as cheap as a reference.
#[allow(clippy::needless_pass_by_value)]
pub fn assign(
    matrix: ArrayView2<'_, f64>,
    sense: Sense,
    solver: Solver,
) -> Result<Assignment, Error> {
    let (rows, columns) = matrix.dim();
    let largest = check_entries(&matrix, sense)?;
    if rows == 0 || columns == 0 {
        return Ok(Assignment {
            columns: vec![None; rows],
            total: 0.0,
            len: 0,
            duals: Some(Duals {
                rows: vec![0.0; rows],
                columns: vec![0.0; columns],
            }),
        });
    }
    // The solvers minimise with rows <= columns over a row-major matrix:
    // transpose and negate into a copy only when needed.
    let transposed = rows > columns;
    let oriented = if transposed {
        matrix.t()
    } else {
        matrix.view()
    };
    let owned: Option<Array2<f64>> = match sense {
        Sense::Maximise => Some(oriented.mapv(|x| -x)),
        Sense::Minimise if !oriented.is_standard_layout() => {
            Some(oriented.as_standard_layout().into_owned())
        }
        Sense::Minimise => None,
    };
    let costs = owned.as_ref().map_or(oriented, |owned| owned.view());
    let capacity = vec![1; costs.ncols()];
    let problem = DenseProblem {
        costs,
        capacity: &capacity,
        unmatched_cost: None,
    };
    let Solution {
        columns: mates,
        duals,
    } = solve_checked(&problem, solver, largest)?; // `matrix` was checked above

    let mut assigned = vec![None; rows];
    // Without an unmatched cost, a solution assigns every line of the shorter side.
    for (line, mate) in mates.iter().enumerate() {
        if let Some(mate) = *mate {
            let (row, column) = if transposed {
                (mate, line)
            } else {
                (line, mate)
            };
            assigned[row] = Some(column);
        }
    }
    let total = assigned
        .iter()
        .enumerate()
        .filter_map(|(row, column)| column.map(|column| matrix[[row, column]]))
        // From +0.0, so that an empty assignment totals 0 rather than -0.
        .fold(0.0, |sum, entry| sum + entry);
    let duals = duals.map(|(mut u, mut v)| {
        if sense == Sense::Maximise {
            u.iter_mut().chain(v.iter_mut()).for_each(|x| *x = -*x);
        }
        if transposed {
            std::mem::swap(&mut u, &mut v);
        }
        Duals {
            rows: u,
            columns: v,
        }
    });
    Ok(Assignment {
        columns: assigned,
        total,
        len: rows.min(columns),
        duals,
    })
}

/// Entries per part of [`check_entries`]'s parallel scan.
const CHECK_PART: usize = 1 << 16;

/// The position of the first entry of `entries` that is `bad`, and the
/// largest `magnitude`. Whole chunks are tested without branches
/// (vectorised); only a chunk holding a bad entry is searched.
fn scan_entries(
    entries: &[f64],
    bad: impl Fn(&f64) -> bool,
    magnitude: impl Fn(&f64) -> f64,
) -> (Option<usize>, f64) {
    let mut lanes = [0.0f64; 16];
    let chunk = entries.chunks(16).position(|chunk| {
        let mut any = false;
        for (x, lane) in chunk.iter().zip(&mut lanes) {
            any |= bad(x);
            let m = magnitude(x);
            *lane = if m > *lane { m } else { *lane };
        }
        any
    });
    let largest = lanes.iter().fold(0.0, |a: f64, &b| a.max(b));
    let at = chunk.map(|c| {
        c * 16
            + entries[c * 16..]
                .iter()
                .position(&bad)
                .expect("a bad entry in the chunk")
    });
    (at, largest)
}

/// Rejects NaN and the infinity that does not mean "forbidden" for `sense`;
/// returns the largest magnitude of a finite entry (0 when there is none).
fn check_entries(matrix: &ArrayView2<'_, f64>, sense: Sense) -> Result<f64, Error> {
    let (wrong, expected) = match sense {
        Sense::Minimise => (
            f64::NEG_INFINITY,
            "a number or +inf (forbidden) when minimising",
        ),
        Sense::Maximise => (
            f64::INFINITY,
            "a number or -inf (forbidden) when maximising",
        ),
    };
    #[allow(clippy::float_cmp)] // an infinity compares exactly
    let bad = |x: &f64| x.is_nan() || *x == wrong;
    let magnitude = |x: &f64| {
        let m = x.abs();
        if m < f64::INFINITY { m } else { 0.0 }
    };
    let mut largest = 0.0f64;
    let found = match matrix.as_slice() {
        // The common case, a row-major matrix, as a flat scan in parts on the
        // pool (a large matrix is read from memory in this scan alone); the
        // first bad entry is the first of the first part holding one.
        Some(entries) => {
            let parts: Vec<(Option<usize>, f64)> = if entries.len() < 2 * CHECK_PART {
                vec![scan_entries(entries, bad, magnitude)]
            } else {
                entries
                    .par_chunks(CHECK_PART)
                    .map(|part| scan_entries(part, bad, magnitude))
                    .collect()
            };
            largest = parts.iter().fold(0.0, |a, &(_, b)| a.max(b));
            parts
                .iter()
                .enumerate()
                .find_map(|(p, &(at, _))| at.map(|k| p * CHECK_PART + k))
                .map(|k| (k / matrix.ncols(), k % matrix.ncols()))
        }
        None => matrix
            .indexed_iter()
            .inspect(|(_, x)| largest = largest.max(magnitude(x)))
            .find(|(_, x)| bad(x))
            .map(|(at, _)| at),
    };
    match found {
        Some((row, column)) => Err(Error::BadEntry {
            row,
            column,
            value: matrix[[row, column]],
            expected,
        }),
        None => Ok(largest),
    }
}

/// A minimisation problem, as the matcher hands it to a solver.
///
/// Rows take at most one column each; column `j` takes at most `capacity[j]`
/// rows. Costs are read through [`Costs`]: finite, or `+inf` for a forbidden
/// pair that is never used.
#[derive(Clone, Copy)]
pub struct Problem<'a> {
    /// Costs, rows × columns.
    pub costs: &'a dyn Costs,
    /// Capacity of each column.
    pub capacity: &'a [usize],
    /// `Some(c)`: any row may stay unassigned at cost `c`; `None`: every row must be assigned.
    pub unmatched_cost: Option<f64>,
}

impl Problem<'_> {
    /// Solves the problem exactly: the column of each row, `None` for a row
    /// left unassigned.
    ///
    /// Capacities larger than the number of rows count as the number of rows.
    /// A row is left unassigned only when `unmatched_cost` is finite, and then
    /// only when that is part of an optimum. Costs stored as sparse rows
    /// ([`Costs::sparse_row`], e.g. [`SparseCosts`]) are solved on their
    /// stored entries by a sparse shortest-augmenting-path solver under
    /// [`Solver::JonkerVolgenant`]: time `O(n · e log e)` in the worst case for
    /// `n` rows and `e` entries, and far less on candidate graphs; memory
    /// `O(rows + columns)` besides the costs. Other costs are solved densely,
    /// `O(n² m)` in the worst case for `n` rows and `m` columns.
    ///
    /// ```
    /// use mentor_match::{Problem, Solver, SparseCosts};
    ///
    /// // Two mentees, two mentors of capacity 1; mentee 1 may only take mentor 0.
    /// let costs = SparseCosts::from_rows(2, [vec![(0, 1.0), (1, 3.0)], vec![(0, 2.0)]])?;
    /// let problem = Problem { costs: &costs, capacity: &[1, 1], unmatched_cost: None };
    /// assert_eq!(problem.solve(Solver::default())?, vec![Some(1), Some(0)]);
    /// # Ok::<(), mentor_match::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::Infeasible`] when `unmatched_cost` is `None` (or `+inf`) and
    ///   not every row can be assigned;
    /// - [`Error::BadEntry`] for a NaN or `-inf` cost, a stored column out of
    ///   range (or a NaN or `-inf` `unmatched_cost`, reported at row 0, column
    ///   `columns`);
    /// - [`Error::TooLarge`] when [`Solver::Hungarian`]'s integer arithmetic could overflow.
    ///
    /// # Panics
    ///
    /// When `capacity.len()` differs from the number of columns.
    pub fn solve(&self, solver: Solver) -> Result<Vec<Option<usize>>, Error> {
        solve(self, solver)
    }
}

impl std::fmt::Debug for Problem<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Problem")
            .field("rows", &self.costs.rows())
            .field("columns", &self.costs.columns())
            .field("capacity", &self.capacity)
            .field("unmatched_cost", &self.unmatched_cost)
            .finish()
    }
}

/// A [`Problem`] over a dense row-major matrix, as the dense solvers take it.
pub(crate) struct DenseProblem<'a> {
    /// Costs, rows × columns, standard (row-major) layout.
    pub costs: ArrayView2<'a, f64>,
    /// Capacity of each column.
    pub capacity: &'a [usize],
    /// `Some(c)`: any row may stay unassigned at cost `c`; `None`: every row must be assigned.
    pub unmatched_cost: Option<f64>,
}

impl DenseProblem<'_> {
    /// The cost of leaving a row unassigned, when allowed: `+inf` means "not allowed".
    fn unmatched(&self) -> Option<f64> {
        self.unmatched_cost.filter(|c| c.is_finite())
    }
}

/// What a solver returns: the column of each row and, when it computes them,
/// optimal dual potentials (rows, columns) of the minimisation.
pub(crate) struct Solution {
    pub columns: Vec<Option<usize>>,
    pub duals: Option<(Vec<f64>, Vec<f64>)>,
}

/// Solves `problem` exactly with `solver`: the column of each row, `None` when unassigned.
///
/// Capacities larger than the number of rows count as the number of rows. A
/// row is left unassigned only when `unmatched_cost` is `Some`, and then only
/// when that is part of an optimum. `O(n² m)` in the worst case for `n` rows
/// and `m` columns.
///
/// # Errors
///
/// - [`Error::Infeasible`] when `unmatched_cost` is `None` and not every row can be assigned;
/// - [`Error::BadEntry`] for a NaN or `-inf` cost (or a NaN `unmatched_cost`, reported at row 0,
///   column `columns`);
/// - [`Error::TooLarge`] when [`Solver::Hungarian`]'s integer arithmetic could overflow.
///
/// # Panics
///
/// When `capacity.len()` differs from the number of columns (a programmer error).
pub(crate) fn solve(problem: &Problem<'_>, solver: Solver) -> Result<Vec<Option<usize>>, Error> {
    solve_with_duals(problem, solver).map(|solution| solution.columns)
}

/// [`solve`], keeping the dual potentials when the solver computes them.
///
/// Costs stored as sparse rows ([`Costs::sparse_row`]) go to the sparse
/// solver (`sparse.rs`) under [`Solver::JonkerVolgenant`], with only the
/// stored entries checked; [`Solver::Hungarian`], the reference, and every
/// other input read the costs as a dense matrix.
pub(crate) fn solve_with_duals(problem: &Problem<'_>, solver: Solver) -> Result<Solution, Error> {
    solve_reporting(problem, solver, &|_| {})
}

/// [`solve_with_duals`], telling `settled` how many rows are settled so far
/// when the solver reports it (the sparse solver; the others do not).
fn solve_reporting(
    problem: &Problem<'_>,
    solver: Solver,
    settled: &dyn Fn(usize),
) -> Result<Solution, Error> {
    let sparse = problem.costs.rows() > 0 && problem.costs.sparse_row(0).is_some();
    if sparse && solver == Solver::JonkerVolgenant {
        let largest = check_sparse_entries(problem.costs)?;
        check_unmatched_cost(problem.unmatched_cost, problem.costs.columns())?;
        check_capacity(problem.capacity, problem.costs.columns());
        return sparse::solve(problem, largest, settled);
    }
    let dense = costs::Dense::of(problem.costs);
    let problem = &DenseProblem {
        costs: dense.view(),
        capacity: problem.capacity,
        unmatched_cost: problem.unmatched_cost,
    };
    let largest = check_entries(&problem.costs, Sense::Minimise)?;
    check_unmatched_cost(problem.unmatched_cost, problem.costs.ncols())?;
    solve_checked(problem, solver, largest)
}

/// Rejects a NaN or `-inf` cost of leaving a row unassigned, reported at row 0
/// and column `columns`.
fn check_unmatched_cost(unmatched_cost: Option<f64>, columns: usize) -> Result<(), Error> {
    match unmatched_cost.filter(|c| c.is_nan() || *c == f64::NEG_INFINITY) {
        Some(value) => Err(Error::BadEntry {
            row: 0,
            column: columns,
            value,
            expected: "a number or +inf as the cost of leaving a row unassigned",
        }),
        None => Ok(()),
    }
}

/// Panics unless there is one capacity per column (a programmer error).
fn check_capacity(capacity: &[usize], columns: usize) {
    assert_eq!(
        capacity.len(),
        columns,
        "one capacity per column: {} capacities for {columns} columns",
        capacity.len()
    );
}

/// [`check_entries`] for costs stored as sparse rows, on the stored entries
/// only: rejects NaN, `-inf` and a column out of range; returns the largest
/// magnitude of a finite entry (0 when there is none). `O(stored entries)`.
fn check_sparse_entries(costs: &dyn Costs) -> Result<f64, Error> {
    let columns = costs.columns();
    let mut largest = 0.0f64;
    for row in 0..costs.rows() {
        let (indices, values) = costs.sparse_row(row).unwrap_or((&[], &[]));
        assert_eq!(
            indices.len(),
            values.len(),
            "one cost per stored column in row {row}"
        );
        for (&column, &value) in indices.iter().zip(values) {
            let column = column as usize;
            let expected = if column >= columns {
                "an entry inside the matrix"
            } else if value.is_nan() || value == f64::NEG_INFINITY {
                "a number or +inf (forbidden) when minimising"
            } else {
                if value < f64::INFINITY {
                    largest = largest.max(value.abs());
                }
                continue;
            };
            return Err(Error::BadEntry {
                row,
                column,
                value,
                expected,
            });
        }
    }
    Ok(largest)
}

/// [`solve_with_duals`] on a problem whose entries are known to be valid, the
/// largest finite one of magnitude `largest`.
fn solve_checked(
    problem: &DenseProblem<'_>,
    solver: Solver,
    largest: f64,
) -> Result<Solution, Error> {
    let (rows, columns) = problem.costs.dim();
    check_capacity(problem.capacity, columns);
    if rows == 0 {
        return Ok(Solution {
            columns: Vec::new(),
            duals: Some((Vec::new(), vec![0.0; columns])),
        });
    }
    match solver {
        Solver::JonkerVolgenant => jv::solve(problem, largest),
        Solver::Hungarian => hungarian::solve(problem).map(|columns| Solution {
            columns,
            duals: None,
        }),
    }
}

/// Costs up to `2^SAFE_EXPONENT` in magnitude are used as they are by the
/// shortest-path solvers.
const SAFE_EXPONENT: i32 = 980;

/// The power of two the shortest-path solvers scale costs by, exactly, when
/// the largest magnitude among them (unmatched cost included) is beyond
/// `2^980`: potentials and distances are sums of a few times `n` costs, and
/// must stay finite. 1 otherwise.
pub(crate) fn safe_scale(largest: f64) -> f64 {
    if largest > 2f64.powi(SAFE_EXPONENT) {
        #[allow(clippy::cast_possible_truncation)] // at most 1024
        let exponent = largest.log2().ceil() as i32;
        2f64.powi(SAFE_EXPONENT - exponent)
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests;

/// A seeded xorshift stream for the unit tests of the solvers: each call
/// steps the state (never 0: the seed's lowest bit is set) and returns it
/// modulo `n`.
#[cfg(test)]
pub(crate) fn xorshift(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut state = seed | 1;
    move |n| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    }
}
