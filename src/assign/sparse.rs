//! A sparse shortest-augmenting-path solver: the assignment problem on a
//! candidate graph stored as compressed sparse rows.
//!
//! The method is that of the dense solver (`jv.rs`), with the scans of whole
//! rows replaced by walks over each row's list of allowed entries and the
//! search driven by a heap; see R. Jonker and A. Volgenant, "A shortest
//! augmenting path algorithm for dense and sparse linear assignment problems",
//! Computing 38 (1987) 325–340, whose sparse variant this is, generalised to
//! column capacities and optional assignment.
//!
//! # Invariants
//!
//! Every column `j` has a potential `v[j] <= 0`, and `v[j] < 0` only when the
//! column is full. The potential of an assigned row is implicit,
//! `u[i] = c[i][col(i)] - v[col(i)]`; an unassigned row has `u[i] = unmatched`.
//! Every allowed entry has a reduced cost `c[i][j] - u[i] - v[j] >= 0`, assigned
//! entries have 0, and when rows may stay unassigned, `u[i] <= unmatched` for
//! every row. These are the complementary slackness conditions of the linear
//! program (rows take at most one column, column `j` at most `capacity[j]`
//! rows, an unassigned row costs `unmatched`), so when no free row is left the
//! assignment is optimal. Loads only grow, so a column never leaves "full".
//!
//! # Phases
//!
//! 1. A cheap start: two passes of augmenting row reduction. Each free row
//!    takes its cheapest option (a column, or staying unassigned); a column of
//!    capacity 1 is then priced up (its potential lowered) by the row's gap to
//!    its second-cheapest option, and the row it held, if any, is displaced
//!    and served next. The first pass, with all potentials 0, is the greedy
//!    cheapest-entry assignment. Its work is capped: on ties it turns into a
//!    long price war of tiny steps.
//! 2. For each row still free, a Dijkstra search over reduced costs from that
//!    row, on a binary heap keyed by (distance, full column last, column), for
//!    the cheapest augmenting path to a column with room or to the
//!    "unassigned" option of a row on the way (`d + unmatched - u[i]` for a row
//!    reached at distance `d`). The search stops as soon as the cheapest such
//!    end is no further than the top of the heap. Only the columns it
//!    finalised change potential, and per-column stamps mark what the search
//!    touched, so a search costs `O(e log e)` in the entries `e` it scans,
//!    never `O(columns)`.
//!
//! A column of capacity `c` keeps a list of its rows; finalising a full column
//! scans all of them. Rows with several places (a mentee taking several
//! distinct mentors) would keep a list of columns per row in the same way, in
//! place of `column_of` and `cost_of`, and an explicit row potential (it is no
//! longer implied by one column); a row reached through one of its columns
//! would then relax its entries other than those it holds. The heap, the
//! stamps and the potential update need no change.

// Distances are compared exactly on purpose: costs are integers in the
// matcher's use, and ties decide where a search stops.
#![allow(clippy::float_cmp)]

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::reduction::{RowReduction, augmenting_row_reduction};
use super::{Problem, Solution};
use crate::Error;

/// No row, no column.
const NONE: u32 = u32::MAX;
/// The column of a row that stays unassigned.
const UNASSIGNED: u32 = u32::MAX - 1;
const INF: f64 = f64::INFINITY;

/// The allowed entries of one row: columns and their costs.
type Row<'a> = (&'a [u32], &'a [f64]);

/// Solves `problem`, whose costs are stored as sparse rows with valid entries
/// (no NaN, no `-inf`, columns in range), the largest finite one of magnitude
/// `largest`: the column of each row and optimal dual potentials `(u, v)`,
/// those of the module's invariants: `c[i][j] - u[i] - v[j] >= 0` on every
/// stored entry and 0 on the assigned ones; `v[j] <= 0`, 0 on a column with
/// room and `-inf` on a column of capacity 0; `u[i] <= unmatched`, equal for
/// a row left unassigned (when rows may stay unassigned).
///
/// `settled` is told, in order, how many rows are settled so far (assigned,
/// left unassigned, or found unable to be either), ending with all of them:
/// once after the row reductions, then after each search, `O(rows)` calls.
///
/// Time `O(n · e log e)` in the worst case for `n` rows and `e` stored entries,
/// far less on candidate graphs, where most searches stop after a few entries;
/// memory `O(rows + columns)` besides the costs, which are copied only when so
/// large (beyond `2^980`) that sums of a few thousand of them could overflow:
/// then they are scaled by a power of two, which is exact.
///
/// # Errors
///
/// [`Error::Infeasible`] when every row must be assigned and cannot be.
///
/// # Panics
///
/// When there are `2^32 - 2` rows or columns or more (indices are `u32`), or when
/// `problem` has no sparse rows (a programmer error).
pub(super) fn solve(
    problem: &Problem<'_>,
    largest: f64,
    settled: &dyn Fn(usize),
) -> Result<Solution, Error> {
    let rows = problem.costs.rows();
    let columns = problem.costs.columns();
    assert!(
        u32::try_from(rows.max(columns)).is_ok_and(|n| n < UNASSIGNED),
        "too many rows or columns for the sparse solver: {rows} × {columns}"
    );
    let unmatched = problem.unmatched_cost.filter(|c| c.is_finite());
    let largest = largest.max(unmatched.map_or(0.0, f64::abs));
    let scale = super::safe_scale(largest);
    let stored = |row| {
        problem
            .costs
            .sparse_row(row)
            .expect("the sparse solver reads sparse rows")
    };
    // Scaled copies of the costs, only when needed.
    let scaled: Vec<Vec<f64>> = if scale == 1.0 {
        Vec::new()
    } else {
        (0..rows)
            .map(|row| stored(row).1.iter().map(|c| c * scale).collect())
            .collect()
    };
    let lists: Vec<Row<'_>> = (0..rows)
        .map(|row| {
            let (columns, costs) = stored(row);
            (columns, scaled.get(row).map_or(costs, Vec::as_slice))
        })
        .collect();
    let unmatched = unmatched.map(|c| c * scale);
    let capacity: Vec<usize> = problem.capacity.iter().map(|&c| c.min(rows)).collect();

    let mut state = State::new(lists, capacity, unmatched);
    let mut free: Vec<u32> = (0..rows).map(as_u32).collect();
    augmenting_row_reduction(&mut state, &mut free);
    augmenting_row_reduction(&mut state, &mut free);
    let mut done = rows - free.len();
    settled(done);
    let mut failed = 0;
    for &root in &free {
        if !state.augment(root) {
            // No path now means none after any later augmentation either.
            failed += 1;
        }
        done += 1;
        settled(done);
    }
    if unmatched.is_none() && failed > 0 {
        return Err(Error::Infeasible {
            required: rows,
            possible: rows - failed,
        });
    }
    let assignment = state
        .column_of
        .iter()
        .map(|&j| (j < UNASSIGNED).then_some(j as usize))
        .collect();
    // A row that could not be assigned (only without an unmatched cost,
    // which fails above) never reaches the potentials.
    let u = (0..rows)
        .map(|i| match state.column_of[i] {
            j if j < UNASSIGNED => (state.cost_of[i] - state.v[j as usize]) / scale,
            _ => unmatched.map_or(0.0, |c| c / scale),
        })
        .collect();
    let v = state.v.iter().map(|v| v / scale).collect();
    Ok(Solution {
        columns: assignment,
        duals: Some((u, v)),
    })
}

/// `index` as a `u32`; the caller has checked that rows and columns fit.
fn as_u32(index: usize) -> u32 {
    u32::try_from(index).expect("indices fit in u32")
}

/// Where an augmenting path ends.
#[derive(Clone, Copy)]
enum Sink {
    /// A column with room.
    Column(u32),
    /// The unassigned option of a row.
    Unassigned(u32),
}

/// The solver's working state: potentials, the assignment, search scratch.
struct State<'a> {
    /// The allowed entries of each row.
    lists: Vec<Row<'a>>,
    /// Column potentials: `<= 0`, `-inf` for a column of capacity 0 (never
    /// reachable).
    v: Vec<f64>,
    capacity: Vec<usize>,
    /// Rows currently in each column.
    load: Vec<usize>,
    /// Column of each row: a column, [`NONE`] (free) or [`UNASSIGNED`].
    column_of: Vec<u32>,
    /// Cost of each assigned row's entry, so that `u[i] = cost_of[i] - v[col(i)]`.
    cost_of: Vec<f64>,
    /// The cheapest column and its cost found by the last
    /// [`RowReduction::two_cheapest`], so that placing the row there needs
    /// no look-up.
    cheapest: (u32, f64),
    /// First row of each column's list of rows.
    first: Vec<u32>,
    /// Next and previous row in the list of the row's column.
    next: Vec<u32>,
    prev: Vec<u32>,
    unmatched: Option<f64>,
    /// Search scratch, per column: the tentative distance and the row it came
    /// from, valid when `mark[j]` is the current search's stamp (reached) or
    /// the one after it (finalised); older marks mean "not touched".
    dist: Vec<f64>,
    from: Vec<u32>,
    mark: Vec<u32>,
    /// Stamp of the current search: odd, `stamp + 1` marks finalised columns.
    stamp: u32,
    /// Columns finalised by the current search, with their distances.
    done: Vec<(u32, f64)>,
    /// Reached columns keyed by (distance, full, column), smallest first.
    heap: BinaryHeap<Reverse<u128>>,
}

impl<'a> State<'a> {
    fn new(lists: Vec<Row<'a>>, capacity: Vec<usize>, unmatched: Option<f64>) -> Self {
        let rows = lists.len();
        let columns = capacity.len();
        let v = capacity
            .iter()
            .map(|&c| if c == 0 { f64::NEG_INFINITY } else { 0.0 })
            .collect();
        Self {
            lists,
            v,
            capacity,
            load: vec![0; columns],
            column_of: vec![NONE; rows],
            cost_of: vec![0.0; rows],
            cheapest: (NONE, INF),
            first: vec![NONE; columns],
            next: vec![NONE; rows],
            prev: vec![NONE; rows],
            unmatched,
            dist: vec![INF; columns],
            from: vec![NONE; columns],
            mark: vec![0; columns],
            stamp: 1,
            done: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// Puts `row` into `column` at cost `cost`.
    fn attach(&mut self, row: u32, column: u32, cost: f64) {
        let (i, j) = (row as usize, column as usize);
        let head = self.first[j];
        self.next[i] = head;
        self.prev[i] = NONE;
        if head != NONE {
            self.prev[head as usize] = row;
        }
        self.first[j] = row;
        self.load[j] += 1;
        self.column_of[i] = column;
        self.cost_of[i] = cost;
    }

    /// Takes `row` out of its column, leaving it free.
    fn detach(&mut self, row: u32) {
        let i = row as usize;
        let j = self.column_of[i] as usize;
        let (prev, next) = (self.prev[i], self.next[i]);
        if prev == NONE {
            self.first[j] = next;
        } else {
            self.next[prev as usize] = next;
        }
        if next != NONE {
            self.prev[next as usize] = prev;
        }
        self.load[j] -= 1;
        self.column_of[i] = NONE;
    }

    /// Whether `column` can take one more row.
    fn has_room(&self, column: u32) -> bool {
        self.load[column as usize] < self.capacity[column as usize]
    }

    /// The row `column` would have to give up to take one more: [`NONE`] when
    /// it has room, or for the unassigned option.
    fn holder(&self, column: u32) -> u32 {
        if column == UNASSIGNED || self.has_room(column) {
            NONE
        } else {
            self.first[column as usize]
        }
    }

    /// The two cheapest options of free row `row` at the current potentials,
    /// `(u1, j1, c1, u2, j2)`: reduced value, column and cost of the cheapest,
    /// then the second; the unassigned option counts as column [`UNASSIGNED`]
    /// and comes after real columns on ties. A missing one is `(+inf, NONE)`.
    fn two_cheapest(&self, row: u32) -> (f64, u32, f64, f64, u32) {
        let (columns, costs) = self.lists[row as usize];
        let (mut u1, mut j1, mut c1, mut u2, mut j2) = (INF, NONE, INF, INF, NONE);
        for (&j, &c) in columns.iter().zip(costs) {
            let x = c - self.v[j as usize];
            if x < u1 {
                (u2, j2) = (u1, j1);
                (u1, j1, c1) = (x, j, c);
            } else if x < u2 {
                (u2, j2) = (x, j);
            }
        }
        if let Some(c) = self.unmatched {
            if c < u1 {
                (u2, j2) = (u1, j1);
                (u1, j1, c1) = (c, UNASSIGNED, c);
            } else if c < u2 {
                (u2, j2) = (c, UNASSIGNED);
            }
        }
        (u1, j1, c1, u2, j2)
    }

    /// The cost of `column` in `row`'s list (it is there).
    fn cost(&self, row: u32, column: u32) -> f64 {
        let (columns, costs) = self.lists[row as usize];
        // Lists are short and usually sorted; a linear scan is as fast and
        // does not rely on the order.
        let k = columns
            .iter()
            .position(|&j| j == column)
            .expect("the column is in the row's list");
        costs[k]
    }

    /// Relaxes the entries of `row`, reached at `h = u[row] - distance`: a
    /// column `k` not finalised gets distance `c[row][k] - h - v[k]` when
    /// that is shorter.
    fn relax(&mut self, row: u32, h: f64) {
        let (columns, costs) = self.lists[row as usize];
        let (reached, finalised) = (self.stamp, self.stamp + 1);
        for (&k, &c) in columns.iter().zip(costs) {
            let k_ = k as usize;
            let mark = self.mark[k_];
            if mark == finalised {
                continue;
            }
            let d = c - h - self.v[k_];
            if mark != reached || d < self.dist[k_] {
                if d == INF {
                    continue; // a forbidden entry, or a column of capacity 0
                }
                self.mark[k_] = reached;
                self.dist[k_] = d;
                self.from[k_] = row;
                let full = u128::from(!self.has_room(k));
                self.heap.push(Reverse(
                    (u128::from(order(d)) << 64) | (full << 32) | u128::from(k),
                ));
            }
        }
    }

    /// Finds a cheapest augmenting path from the free row `root` and augments
    /// along it, updating the potentials. Returns whether the root was
    /// assigned (or left unassigned, when that is cheapest); when no path
    /// exists, changes nothing and returns `false`.
    ///
    /// The root takes potential 0, so distances start at `c[root][j] - v[j]`
    /// (possibly negative: only the edges out of the source may be); every
    /// later edge is a reduced cost, `>= 0`.
    fn augment(&mut self, root: u32) -> bool {
        self.done.clear();
        self.heap.clear();
        let mut end = self.unmatched.map_or((INF, NONE), |c| (c, root));
        self.relax(root, 0.0);
        let finalised = self.stamp + 1;
        let (sink, length) = loop {
            let top = self.heap.peek().map(|&Reverse(key)| key);
            let level = top.map_or(INF, |key| unorder((key >> 64) as u64));
            if end.1 != NONE && end.0 <= level {
                break (Sink::Unassigned(end.1), end.0);
            }
            let Some(key) = top else {
                // Nothing reachable: undo nothing, potentials are unchanged.
                self.next_stamp();
                return false;
            };
            self.heap.pop();
            #[allow(clippy::cast_possible_truncation)] // the low 32 bits
            let j = key as u32;
            let j_ = j as usize;
            if self.mark[j_] == finalised {
                continue; // a stale entry: the column was reached again, shorter
            }
            self.mark[j_] = finalised;
            self.done.push((j, level));
            if self.has_room(j) {
                break (Sink::Column(j), level);
            }
            let v = self.v[j_];
            let mut i = self.first[j_];
            while i != NONE {
                // h = u[i] - (distance of row i): reduced costs from row i are
                // c[i][k] - h - v[k].
                let h = self.cost_of[i as usize] - v - level;
                if let Some(c) = self.unmatched
                    && c - h < end.0
                {
                    end = (c - h, i);
                }
                self.relax(i, h);
                i = self.next[i as usize];
            }
        };
        for &(j, d) in &self.done {
            self.v[j as usize] += d - length;
        }
        // Walk the path back from its end: each row on it takes the column
        // (or the unassigned option) after it, and hands its old column to
        // the row that reached that column, until the root.
        let (mut column, mut i) = match sink {
            Sink::Column(j) => (j, self.from[j as usize]),
            Sink::Unassigned(i) => (UNASSIGNED, i),
        };
        loop {
            let old = self.column_of[i as usize];
            if old != NONE {
                self.detach(i);
            }
            if column == UNASSIGNED {
                self.column_of[i as usize] = UNASSIGNED;
            } else {
                let cost = self.cost(i, column);
                self.attach(i, column, cost);
            }
            if old == NONE {
                break;
            }
            column = old;
            i = self.from[old as usize];
        }
        self.next_stamp();
        true
    }

    /// Starts a new search: every column becomes "not touched" at no cost,
    /// except once every `2^31` searches, when the marks are cleared.
    fn next_stamp(&mut self) {
        if self.stamp >= u32::MAX - 2 {
            self.mark.fill(0);
            self.stamp = 1;
        } else {
            self.stamp += 2;
        }
    }
}

/// A key for `x` whose unsigned order is the order of the floats (no NaN here).
fn order(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// The inverse of [`order`].
fn unorder(key: u64) -> f64 {
    f64::from_bits(if key >> 63 == 1 {
        key & !(1 << 63)
    } else {
        !key
    })
}

impl RowReduction for State<'_> {
    type Index = u32;
    const NONE: u32 = NONE;
    const UNASSIGNED: u32 = UNASSIGNED;

    fn columns(&self) -> usize {
        self.v.len()
    }

    fn two_cheapest(&mut self, row: u32) -> (f64, u32, f64, u32) {
        let (u1, j1, c1, u2, j2) = State::two_cheapest(self, row);
        self.cheapest = (j1, c1);
        (u1, j1, u2, j2)
    }

    fn holds_one(&self, column: u32) -> bool {
        self.capacity[column as usize] == 1
    }

    fn holder(&self, column: u32) -> u32 {
        State::holder(self, column)
    }

    fn lower(&mut self, column: u32, by: f64) {
        self.v[column as usize] -= by;
    }

    fn detach(&mut self, row: u32) {
        State::detach(self, row);
    }

    fn place(&mut self, row: u32, column: u32) {
        if column == UNASSIGNED {
            self.column_of[row as usize] = UNASSIGNED;
        } else {
            let cost = if column == self.cheapest.0 {
                self.cheapest.1
            } else {
                self.cost(row, column)
            };
            self.attach(row, column, cost);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{order, unorder};
    use crate::assign::{Problem, Solver, SparseCosts, solve_with_duals};

    #[test]
    fn order_keys_sort_like_floats() {
        let values = [
            f64::NEG_INFINITY,
            -1e300,
            -2.5,
            -0.0,
            0.0,
            1e-300,
            3.0,
            f64::INFINITY,
        ];
        for pair in values.windows(2) {
            assert!(order(pair[0]) < order(pair[1]), "{pair:?}");
        }
        for x in values {
            assert_eq!(unorder(order(x)).to_bits(), x.to_bits());
        }
    }

    /// On unit capacities with every row assigned, the duals certify the
    /// optimum: `u[i] + v[j] <= c[i][j]` on every stored entry, equality on
    /// the assigned ones, `v <= 0` and 0 on unassigned columns, and the dual
    /// value equals the total.
    #[test]
    fn duals_certify_the_optimum() {
        let mut next = crate::assign::xorshift(0x2545_F491_4F6C_DD1Du64);
        for (rows, columns, k) in [(30, 30, 5), (40, 60, 4), (200, 200, 8)] {
            let lists: Vec<Vec<(usize, f64)>> = (0..rows)
                .map(|i| {
                    // The diagonal keeps the problem feasible.
                    let mut list = vec![(i, (next(50) * 10) as f64)];
                    for _ in 0..k {
                        let j = usize::try_from(next(columns as u64)).unwrap();
                        if list.iter().all(|&(c, _)| c != j) {
                            list.push((j, (next(50) * 10) as f64));
                        }
                    }
                    list
                })
                .collect();
            let costs = SparseCosts::from_rows(columns, lists.clone()).unwrap();
            let capacity = vec![1; columns];
            let problem = Problem {
                costs: &costs,
                capacity: &capacity,
                unmatched_cost: None,
            };
            let solution = solve_with_duals(&problem, Solver::JonkerVolgenant).unwrap();
            let (u, v) = solution.duals.expect("duals on a plain problem");
            let mut total = 0.0;
            let mut used = vec![false; columns];
            for (i, list) in lists.iter().enumerate() {
                let j = solution.columns[i].expect("every row assigned");
                used[j] = true;
                for &(c, cost) in list {
                    assert!(u[i] + v[c] <= cost, "({i}, {c})");
                    if c == j {
                        assert_eq!(u[i] + v[c], cost);
                        total += cost;
                    }
                }
            }
            for (j, &used) in used.iter().enumerate() {
                assert!(v[j] <= 0.0);
                if !used {
                    assert_eq!(v[j], 0.0);
                }
            }
            let value: f64 = u.iter().sum::<f64>() + v.iter().sum::<f64>();
            assert_eq!(value, total);
        }
    }

    /// With capacities (some 0) and rows allowed to stay unassigned, the
    /// potentials satisfy the conditions of that linear program: reduced
    /// costs `>= 0` on every stored entry and 0 on the assigned ones; `v <= 0`,
    /// 0 on a column with room, `-inf` on a column of capacity 0; `u <=
    /// unmatched`, equal on a row left unassigned; and the dual value
    /// `Σ u + Σ capacity · v` equals the total.
    #[test]
    fn duals_certify_capacities_and_rows_left_out() {
        let mut next = crate::assign::xorshift(0x9E37_79B9_7F4A_7C15u64);
        for (rows, columns, k) in [(30, 10, 4), (60, 40, 5), (300, 120, 8)] {
            let lists: Vec<Vec<(usize, f64)>> = (0..rows)
                .map(|_| {
                    let mut list: Vec<(usize, f64)> = Vec::new();
                    for _ in 0..k {
                        let j = usize::try_from(next(columns as u64)).unwrap();
                        if list.iter().all(|&(c, _)| c != j) {
                            list.push((j, -((next(50) * 10) as f64)));
                        }
                    }
                    list
                })
                .collect();
            let costs = SparseCosts::from_rows(columns, lists.clone()).unwrap();
            let capacity: Vec<usize> = (0..columns)
                .map(|_| usize::try_from(next(4)).unwrap())
                .collect();
            let unmatched = -25.0;
            let problem = Problem {
                costs: &costs,
                capacity: &capacity,
                unmatched_cost: Some(unmatched),
            };
            let solution = solve_with_duals(&problem, Solver::JonkerVolgenant).unwrap();
            let (u, v) = solution.duals.expect("duals on every sparse problem");
            let mut load = vec![0; columns];
            let mut total = 0.0;
            for (i, list) in lists.iter().enumerate() {
                let assigned = solution.columns[i];
                assert!(u[i] <= unmatched, "row {i}");
                if assigned.is_none() {
                    assert_eq!(u[i], unmatched, "row {i} unassigned");
                    total += unmatched;
                }
                for &(j, cost) in list {
                    let reduced = cost - u[i] - v[j];
                    assert!(reduced >= 0.0, "({i}, {j}): {reduced}");
                    if assigned == Some(j) {
                        assert_eq!(reduced, 0.0, "({i}, {j}) assigned");
                        load[j] += 1;
                        total += cost;
                    }
                }
            }
            let mut value: f64 = u.iter().sum();
            for j in 0..columns {
                assert!(load[j] <= capacity[j]);
                if capacity[j] == 0 {
                    assert_eq!(v[j], f64::NEG_INFINITY);
                    continue;
                }
                assert!(v[j] <= 0.0);
                if load[j] < capacity[j] {
                    assert_eq!(v[j], 0.0, "column {j} has room");
                }
                value += capacity[j] as f64 * v[j];
            }
            assert_eq!(value, total);
        }
    }
}
