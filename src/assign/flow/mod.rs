//! An exact solver for several distinct columns per row: a min-cost flow by
//! successive shortest paths.
//!
//! Rows (mentees) have a demand `b_i >= 0`, columns (mentors) a capacity, and
//! each (row, column) pair is used at most once. The objective is to minimise
//!
//! ```text
//! Σ_{pairs used} c[i][j]  +  Σ_rows Σ_{k = 1..=d_i} unit_cost[k - 1]
//! ```
//!
//! where `d_i <= b_i` is the number of columns row `i` gets: the `k`-th column
//! of a row costs `unit_cost[k - 1]` on top of its pair cost, and every unit of
//! demand may stay unused at cost 0. Unit costs are non-decreasing in `k` (a
//! row's first column is the most rewarding), which makes the problem a
//! min-cost flow with convex costs. Expanding a row into `b_i` copies for the
//! assignment solvers would not do: two copies could take the same column.
//!
//! # The network
//!
//! Each row sends exactly `b_i` units. A unit goes either through a pair arc
//! `row → column` (cost `c[i][j]`, capacity 1) and the column's arc to the sink
//! (cost 0, capacity the column's), or straight to the sink through one of the
//! row's `b_i` *dump* arcs, whose costs `-unit_cost[b_i - 1] <= … <=
//! -unit_cost[0]` are used cheapest first (so a row with `d_i` columns has
//! dumped its last `b_i - d_i` units). The total is the objective above minus
//! the constant `Σ_i Σ_{k <= b_i} unit_cost[k - 1]`.
//!
//! # The algorithm
//!
//! A transportation problem with fixed supplies can be solved one unit at a
//! time from any row with supply left, by a shortest path to the sink in the
//! residual graph (Ahuja, Magnanti and Orlin, *Network Flows*, 1993, §9.7,
//! successive shortest paths), which is what makes a row-by-row solver in the
//! Jonker–Volgenant style exact here too:
//!
//! 1. **Warm start.** Every column starts with potential 0. Each row scans
//!    its row once and lists its `b_i` cheapest columns; then the rows take
//!    their first listed column while it has room, then their second, and
//!    so on, each stopping at the first that is full. A row's potential is
//!    the largest label it took, which keeps every reduced cost `>= 0`.
//!    About half the units are placed here on mentor-like matrices.
//! 2. **Shortest paths.** For every unit still to place, a Dijkstra search
//!    from its row over reduced costs, as in the assignment solver: column
//!    potentials `v[j]`, row potentials `u[i]`, reduced cost `c[i][j] - u[i] -
//!    v[j] >= 0` on a free pair and `<= 0` on a used one. In the residual
//!    graph a row may gain a column it does not hold yet (the columns it holds
//!    are masked during its scan), a full column passes the search to the rows
//!    holding it (through the reverse arcs, whose reduced costs
//!    `u[i] + v[j] - c[i][j] >= 0` delay a row that holds the column loosely),
//!    who may switch to a column they do not hold, and any row reached may
//!    instead give up the unit (its next dump arc). The search ends at a column
//!    with room or at a dump, the potentials move by the distances, and the
//!    path is augmented. Every row's first unit is searched for before any
//!    row's second one.
//!
//! All columns at the current distance are finalised together, ascending,
//! as in the assignment solver, and rows come from a binary heap. Over a
//! dense matrix the inner loop scans rows of the row-major `f64` matrix
//! contiguously and vectorises, and the next distance is one pass over all
//! columns: each search costs `O(n + m)` per step besides the scans of its
//! rows (`O(m)` each), and resets only what it touched, apart from one
//! `O(m)` reset of the distances. Over sparse rows the columns a search
//! reaches go onto a second binary heap, keyed by (distance, column), and
//! only they are reset: a search costs `O((e + r) log(e + r))` for the `e`
//! entries and `r` reverse arcs it scans, never `O(m)`. Both pick the same
//! columns in the same order, and the same row as a column's predecessor
//! (the first scanned row to reach its distance), so the two give the same
//! pairs and potentials on the same costs. Ties are broken by index: the
//! result is deterministic.
//!
//! # Exact arithmetic
//!
//! Pair costs are read as `f64` and must be integers of magnitude at most
//! `2^50` (or `+inf`, forbidden); the matcher's `-round(score · 10^9)` are.
//! Unit costs are `i128`, because the lexicographic rewards of the matcher
//! exceed `2^53` at a few thousand rows. Potentials and distances are exact
//! integers: `i64` when `Q = max |unit cost| + max |pair cost| <= 2^57`
//! (about `1.4 · 10^17`), `i128` up to `Q <= 2^120`, and beyond that
//! [`Error::TooLarge`]. See [`solve`] for why these bounds suffice.

mod scan;
mod search;
#[cfg(test)]
mod tests;

use ndarray::ArrayView2;

use super::Costs;
use crate::Error;
use scan::Int;

/// Largest magnitude of a pair cost: integers up to here convert exactly
/// (and fast) from `f64`.
pub const MAX_PAIR_COST: f64 = (1u64 << 50) as f64;

/// Largest `max |unit cost| + max |pair cost|` solved in `i64` arithmetic.
const LIMIT_I64: i128 = 1 << 57;

/// Largest `max |unit cost| + max |pair cost|` solved at all (in `i128`).
pub const MAX_MAGNITUDE: i128 = 1 << 120;

/// A min-cost flow problem with several distinct columns per row, as
/// [`solve`] takes it.
#[derive(Clone, Copy)]
pub struct FlowProblem<'a> {
    /// Pair costs, rows × columns: integers of magnitude at most
    /// `MAX_PAIR_COST` (`2^50`), or `+inf` for a forbidden pair. Dense matrices are
    /// scanned row by row (copied first when not row-major); sparse rows are
    /// scanned entry by entry; other [`Costs`] are copied into a dense matrix.
    pub costs: &'a dyn Costs,
    /// Capacity of each column (values above the number of rows act as the
    /// number of rows: a column takes each row at most once).
    pub capacity: &'a [usize],
    /// Demand of each row: the most columns it may take (0 is allowed).
    pub demand: &'a [usize],
    /// `unit_cost[k - 1]` is the cost of a row's `k`-th column, common to all
    /// rows, added to its pair cost; non-decreasing in `k`. At least
    /// `min(largest demand, columns)` entries (more with `used`).
    pub unit_cost: &'a [i128],
    /// Columns each row holds already outside this problem (such as pinned
    /// pairs): a row with `used[i]` of them pays `unit_cost[used[i]]` for its
    /// next column here, `unit_cost[used[i] + 1]` for the one after. Empty
    /// means none; otherwise one per row, and `unit_cost` has at least
    /// `used[i] + min(demand[i], columns)` entries for every row.
    pub used: &'a [usize],
}

impl std::fmt::Debug for FlowProblem<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlowProblem")
            .field("rows", &self.costs.rows())
            .field("columns", &self.costs.columns())
            .field("capacity", &self.capacity)
            .field("demand", &self.demand)
            .field("unit_cost", &self.unit_cost)
            .field("used", &self.used)
            .finish()
    }
}

/// An optimal solution of a [`FlowProblem`]: the columns of each row, the
/// objective, and dual potentials that certify it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// Row `i` owns `columns[starts[i]..starts[i + 1]]`.
    starts: Vec<usize>,
    columns: Vec<usize>,
    cost: i128,
    rows_potential: Vec<i128>,
    columns_potential: Vec<i128>,
}

impl Flow {
    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.starts.len() - 1
    }

    /// The columns of `row`, ascending.
    ///
    /// # Panics
    ///
    /// When `row` is out of range.
    pub fn columns_of(&self, row: usize) -> &[usize] {
        &self.columns[self.starts[row]..self.starts[row + 1]]
    }

    /// The used `(row, column)` pairs, by row, then column.
    pub fn pairs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..self.rows()).flat_map(move |row| self.columns_of(row).iter().map(move |&j| (row, j)))
    }

    /// Number of pairs used.
    pub fn len(&self) -> usize {
        self.columns.len()
    }

    /// Whether no pair is used.
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// The minimum: `Σ c[i][j]` over the pairs used plus `Σ_{k <= d_i}
    /// unit_cost[k - 1]` over the rows.
    pub fn cost(&self) -> i128 {
        self.cost
    }

    /// Row potentials `u` of the optimality certificate.
    ///
    /// With `d_i` the number of columns of row `i`, `v` the column
    /// potentials and `r[i][j] = c[i][j] - u[i] - v[j]`: `r >= 0` on every
    /// allowed pair not used and `r <= 0` on every pair used; `v[j] <= 0`,
    /// and `v[j] = 0` when column `j` has room (columns of capacity 0 take no
    /// part and report 0); `u[i] <= -unit_cost[d_i - 1]` when `d_i >= 1`, and
    /// `u[i] >= -unit_cost[d_i]` when `d_i < b_i`. These are the
    /// complementary slackness conditions of the flow: they prove the
    /// solution optimal. A row's potential is what one more unit of its
    /// demand is worth at the margin; a column's, minus the price of its
    /// last place.
    pub fn rows_potential(&self) -> &[i128] {
        &self.rows_potential
    }

    /// Column potentials `v` of the optimality certificate; see
    /// [`Flow::rows_potential`].
    pub fn columns_potential(&self) -> &[i128] {
        &self.columns_potential
    }
}

/// Solves `problem` exactly: a set of pairs, at most `demand[i]` per row and
/// `capacity[j]` per column, each pair at most once, no forbidden pair, of
/// least cost (see the documentation of the `flow` module).
///
/// Time: `O(n m)` for the warm start on an `n × m` dense matrix, then one
/// shortest-path search per unit the warm start could not place, each
/// `O(m)` per row it scans (`O(Σ b · n m)` in the worst case, far less on
/// typical problems). On sparse rows with `e` stored entries, `O(e log e)`
/// for the warm start and `O(e log e)` per search in the worst case (a
/// search touches only the entries of the rows it scans). Memory `O(Σ b + Σ capacity + n + m)` besides the costs
/// (a dense copy when the costs are neither row-major nor sparse).
///
/// Exactness: with `Q = max |unit cost| + max |pair cost|`, every potential
/// stays in `[-Q, Q]` (a row holding a column has an unused dump arc, so
/// `u[i] <= max |unit cost|`, and a full column's `v[j] >= c[i][j] - u[i]`
/// for a row `i` holding it), distances stay in `[0, 2Q]` and the values a
/// scan computes within `4Q + 2^50`, so `i64` holds them with room for its
/// sentinels when `Q <= 2^57`, and `i128` when `Q <= 2^120`.
///
/// # Errors
///
/// - [`Error::BadEntry`] for a cost that is NaN, `-inf`, not an integer, or
///   larger than `MAX_PAIR_COST` (`2^50`) in magnitude;
/// - [`Error::TooLarge`] when `Q` exceeds `MAX_MAGNITUDE` (`2^120`).
///
/// # Panics
///
/// When `capacity` or `demand` has the wrong length, or `unit_cost` is too
/// short or decreasing (programmer errors).
pub fn solve(problem: &FlowProblem<'_>) -> Result<Flow, Error> {
    solve_reporting(problem, &|_| {})
}

/// [`solve`], telling `settled` how far it has come, in rows: after each
/// augmenting search, the units placed so far as a share of all to place
/// after the warm start, times the number of rows; rising, ending with all
/// rows (`O(rows · demand)` calls, each a cheap callback is expected to
/// throttle).
///
/// # Errors
///
/// As [`solve`].
///
/// # Panics
///
/// As [`solve`].
pub fn solve_reporting(problem: &FlowProblem<'_>, settled: &dyn Fn(usize)) -> Result<Flow, Error> {
    let (rows, columns) = (problem.costs.rows(), problem.costs.columns());
    assert_eq!(
        problem.capacity.len(),
        columns,
        "one capacity per column: {} capacities for {columns} columns",
        problem.capacity.len()
    );
    assert_eq!(
        problem.demand.len(),
        rows,
        "one demand per row: {} demands for {rows} rows",
        problem.demand.len()
    );
    // A row never takes more columns than there are.
    let demand: Vec<usize> = problem.demand.iter().map(|&b| b.min(columns)).collect();
    let used = if problem.used.is_empty() {
        vec![0; rows]
    } else {
        assert_eq!(
            problem.used.len(),
            rows,
            "one count of used columns per row: {} for {rows} rows",
            problem.used.len()
        );
        problem.used.to_vec()
    };
    let most = demand
        .iter()
        .zip(&used)
        .filter(|&(&b, _)| b > 0)
        .map(|(&b, &u)| b + u)
        .max()
        .unwrap_or(0);
    assert!(
        problem.unit_cost.len() >= most,
        "unit costs for {most} columns per row needed, {} given",
        problem.unit_cost.len()
    );
    let unit_cost = &problem.unit_cost[..most];
    assert!(
        unit_cost.windows(2).all(|w| w[0] <= w[1]),
        "unit costs must be non-decreasing: {unit_cost:?}"
    );
    let capacity: Vec<usize> = problem.capacity.iter().map(|&c| c.min(rows)).collect();

    let dense_copy;
    let matrix = if problem.costs.sparse_row(0).is_some() {
        search::Matrix::Sparse(problem.costs)
    } else {
        let view = problem.costs.as_dense();
        let standard = view.as_ref().and_then(ArrayView2::to_slice);
        if let Some(slice) = standard {
            search::Matrix::Dense(slice, columns)
        } else {
            dense_copy = match view {
                Some(view) => view.as_standard_layout().into_owned(),
                None => {
                    ndarray::Array2::from_shape_fn((rows, columns), |(i, j)| problem.costs.at(i, j))
                }
            };
            search::Matrix::Dense(
                dense_copy.as_slice().expect("a new matrix is row-major"),
                columns,
            )
        }
    };
    let largest_pair = matrix.check()?;
    let largest_unit = unit_cost
        .iter()
        .map(|c| c.unsigned_abs())
        .max()
        .unwrap_or(0);
    // Both below 2^127: the sum does not overflow.
    let magnitude = largest_unit + largest_pair.unsigned_abs();
    if magnitude > MAX_MAGNITUDE.unsigned_abs() {
        return Err(Error::TooLarge {
            what: "largest unit cost plus largest pair cost",
            size: usize::try_from(magnitude).unwrap_or(usize::MAX),
            solver: "several-columns flow",
        });
    }
    let input = search::Input {
        largest_pair,
        matrix,
        capacity: &capacity,
        demand: &demand,
        unit_cost,
        used: &used,
    };
    if magnitude <= LIMIT_I64.unsigned_abs() {
        Ok(run::<i64>(&input, settled))
    } else {
        Ok(run::<i128>(&input, settled))
    }
}

/// Runs the solver in the arithmetic `T` and collects its result.
fn run<T: Int>(input: &search::Input<'_>, settled: &dyn Fn(usize)) -> Flow {
    let mut state = search::State::<T>::new(input);
    state.solve(settled);
    state.into_flow()
}
