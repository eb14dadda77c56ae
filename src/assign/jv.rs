//! A dense shortest-augmenting-path solver in the Jonker–Volgenant family.
//!
//! R. Jonker and A. Volgenant, "A shortest augmenting path algorithm for dense
//! and sparse linear assignment problems", Computing 38 (1987) 325–340; and
//! D. F. Crouse, "On implementing 2D rectangular assignment algorithms", IEEE
//! Transactions on Aerospace and Electronic Systems 52(4) (2016) 1679–1696.
//!
//! The solver keeps a potential `v[j]` per column; the potential of an assigned
//! row is implicit, `u[i] = c[i][col(i)] - v[col(i)]`, and every reduced cost
//! `c[i][j] - u[i] - v[j]` of an allowed pair stays `>= 0`, with equality on
//! assigned pairs. It runs in two phases:
//!
//! 1. A cheap start. On a square matrix of unit capacities: column reduction,
//!    reduction transfer and two passes of augmenting row reduction (an
//!    auction-like step that settles most rows). On other problems: each row
//!    takes its cheapest column when that column has room.
//! 2. For every row still free, a Dijkstra search over reduced costs for the
//!    cheapest augmenting path to a column with room (or, when rows may stay
//!    unassigned, to the row's own "unassigned" option), then a potential update
//!    and the augmentation. All columns at the current distance are taken at once,
//!    and a column with room among them ends the search: with many equal costs
//!    this keeps paths short.
//!
//! Columns hold several rows natively: a column keeps a potential of its own and
//! a list of its rows, and a full column passes the search on to all of them. The
//! "unassigned" option of a row is virtual: a row reached at reduced distance `d`
//! with potential `u` can end there at `d + unmatched - u`, and a row once
//! unassigned never moves again (nothing else can reach it). On rectangular
//! problems the potentials of columns with room stay 0 and the others `<= 0`,
//! which with complementary slackness proves the result optimal.
//!
//! The inner loop scans a row of the row-major cost matrix contiguously, in
//! fixed-width lanes that the compiler vectorises; finalised columns are masked
//! by a `-inf` potential rather than skipped, so the loop has no branches.

use std::borrow::Cow;

use super::{Problem, Solution};
use crate::Error;

/// No row, no column.
const NONE: usize = usize::MAX;
/// The column of a row that stays unassigned (its virtual column).
const UNASSIGNED: usize = usize::MAX - 1;
const INF: f64 = f64::INFINITY;
/// Lanes of the vectorised scans.
const LANES: usize = 8;

/// Solves `problem`: the column of each row and, on problems with unit
/// capacities where every row must be assigned, the optimal dual potentials.
///
/// `O(n² m)` in the worst case for `n` rows and `m` columns, memory `O(n + m)`
/// besides the costs (which are copied only when not in standard layout).
///
/// # Errors
///
/// [`Error::Infeasible`] when every row must be assigned and cannot be.
pub(super) fn solve(problem: &Problem<'_>) -> Result<Solution, Error> {
    let (rows, columns) = problem.costs.dim();
    let costs: Cow<'_, [f64]> = problem.costs.as_slice().map_or_else(
        || Cow::Owned(problem.costs.iter().copied().collect()),
        Cow::Borrowed,
    );
    let capacity: Vec<usize> = problem.capacity.iter().map(|&c| c.min(rows)).collect();
    let unmatched = problem.unmatched();
    let plain = unmatched.is_none() && rows <= columns && capacity.iter().all(|&c| c == 1);

    let mut state = State::new(&costs, rows, capacity, unmatched);
    let free = if plain {
        let mut free = if rows == columns {
            state.column_reduction()
        } else {
            None
        }
        .unwrap_or_else(|| (0..rows).collect());
        state.augmenting_row_reduction(&mut free);
        state.augmenting_row_reduction(&mut free);
        free
    } else {
        state.cheapest_columns()
    };
    let mut failed = 0;
    for root in free {
        if !state.augment(root) {
            failed += 1;
        }
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
        .map(|&j| (j < columns).then_some(j))
        .collect();
    let duals = plain.then(|| {
        let u = (0..rows)
            .map(|i| {
                let j = state.column_of[i];
                state.row(i)[j] - state.v[j]
            })
            .collect();
        (u, state.v.clone())
    });
    Ok(Solution {
        columns: assignment,
        duals,
    })
}

/// Where an augmenting path ends.
enum Sink {
    /// A column with room.
    Column(usize),
    /// The unassigned option of a row.
    Unassigned(usize),
}

/// The solver's working state: potentials, the current assignment, scratch space.
struct State<'a> {
    /// Costs, row-major.
    costs: &'a [f64],
    columns: usize,
    /// Column potentials; `-inf` for a column of capacity 0 (never reachable)
    /// and, during a search, for a finalised column.
    v: Vec<f64>,
    capacity: Vec<usize>,
    /// Rows currently in each column.
    load: Vec<usize>,
    /// Column of each row: a column, [`NONE`] (free) or [`UNASSIGNED`].
    column_of: Vec<usize>,
    /// First row of each column's list of rows.
    first: Vec<usize>,
    /// Next and previous row in the list of the row's column.
    next: Vec<usize>,
    prev: Vec<usize>,
    unmatched: Option<f64>,
    /// Search scratch: tentative reduced distance and predecessor row of each column.
    dist: Vec<f64>,
    pred: Vec<usize>,
    /// Columns finalised by the current search: (column, potential, distance).
    done: Vec<(usize, f64, f64)>,
    /// Finalised columns whose rows are still to be scanned: (column, potential).
    scan: Vec<(usize, f64)>,
}

impl<'a> State<'a> {
    fn new(costs: &'a [f64], rows: usize, capacity: Vec<usize>, unmatched: Option<f64>) -> Self {
        let columns = capacity.len();
        let v = capacity
            .iter()
            .map(|&c| if c == 0 { f64::NEG_INFINITY } else { 0.0 })
            .collect();
        Self {
            costs,
            columns,
            v,
            capacity,
            load: vec![0; columns],
            column_of: vec![NONE; rows],
            first: vec![NONE; columns],
            next: vec![NONE; rows],
            prev: vec![NONE; rows],
            unmatched,
            dist: vec![INF; columns],
            pred: vec![NONE; columns],
            done: Vec::new(),
            scan: Vec::new(),
        }
    }

    fn row(&self, i: usize) -> &'a [f64] {
        &self.costs[i * self.columns..(i + 1) * self.columns]
    }

    /// Puts `row` into `column`.
    fn attach(&mut self, row: usize, column: usize) {
        let head = self.first[column];
        self.next[row] = head;
        self.prev[row] = NONE;
        if head != NONE {
            self.prev[head] = row;
        }
        self.first[column] = row;
        self.load[column] += 1;
        self.column_of[row] = column;
    }

    /// Takes `row` out of its column, leaving it free.
    fn detach(&mut self, row: usize) {
        let column = self.column_of[row];
        let (prev, next) = (self.prev[row], self.next[row]);
        if prev == NONE {
            self.first[column] = next;
        } else {
            self.next[prev] = next;
        }
        if next != NONE {
            self.prev[next] = prev;
        }
        self.load[column] -= 1;
        self.column_of[row] = NONE;
    }

    /// Start for general problems (potentials 0): a row whose cheapest option is
    /// leaving it unassigned stays unassigned; one whose cheapest column has room
    /// takes it. Returns the rows left free.
    fn cheapest_columns(&mut self) -> Vec<usize> {
        let mut free = Vec::new();
        for i in 0..self.column_of.len() {
            let (best, column) = smallest(self.row(i), &self.v);
            if self.unmatched.is_some_and(|c| c <= best) {
                self.column_of[i] = UNASSIGNED;
            } else if best < INF && self.load[column] < self.capacity[column] {
                self.attach(i, column);
            } else {
                free.push(i);
            }
        }
        free
    }

    /// Column reduction and reduction transfer (square, unit capacities):
    /// `v[j]` becomes the minimum of column `j`, which goes to its minimum row
    /// when that row is not taken yet. Returns the rows left free, or `None`
    /// (state unchanged) when a column has no allowed entry.
    fn column_reduction(&mut self) -> Option<Vec<usize>> {
        let (rows, columns) = (self.column_of.len(), self.columns);
        let mut minimum = vec![INF; columns];
        let mut argmin = vec![0; columns];
        for i in 0..rows {
            let row = self.row(i);
            for ((m, a), &c) in minimum.iter_mut().zip(argmin.iter_mut()).zip(row) {
                let lower = c < *m;
                *m = if lower { c } else { *m };
                *a = if lower { i } else { *a };
            }
        }
        if minimum.iter().any(|m| !m.is_finite()) {
            return None;
        }
        self.v = minimum;
        // Scan columns from the last, as Jonker and Volgenant do; a row that is
        // the minimum of several columns keeps the first one it gets.
        let mut unique = vec![true; rows];
        for j in (0..columns).rev() {
            let i = argmin[j];
            if self.column_of[i] == NONE {
                self.attach(i, j);
            } else {
                unique[i] = false;
            }
        }
        let mut free = Vec::new();
        for i in 0..rows {
            let j = self.column_of[i];
            if j == NONE {
                free.push(i);
            } else if unique[i] {
                // Reduction transfer: lower v[j] as far as row i allows, so that
                // j costs row i as much as its second-best column.
                let row = self.row(i);
                let second = row
                    .iter()
                    .zip(&self.v)
                    .enumerate()
                    .filter(|&(k, _)| k != j)
                    .fold(INF, |m, (_, (&c, &v))| m.min(c - v));
                if second.is_finite() {
                    self.v[j] -= second;
                }
            }
        }
        Some(free)
    }

    /// Augmenting row reduction (unit capacities, rows <= columns): each free row
    /// takes its cheapest column, lowering that column's potential by the gap to
    /// its second-cheapest, and the row it displaces is processed next. Leaves
    /// in `free` the rows still free.
    fn augmenting_row_reduction(&mut self, free: &mut Vec<usize>) {
        let columns = self.columns;
        let count = free.len();
        let mut current = 0;
        let mut kept = 0;
        let mut rounds = 0usize;
        while current < count {
            rounds += 1;
            let i = free[current];
            current += 1;
            let (u1, mut j1, u2, j2) = two_smallest(self.row(i), &self.v);
            if u1 == INF {
                // No allowed column: the search will find the row infeasible.
                free[kept] = i;
                kept += 1;
                continue;
            }
            let mut i0 = self.first[j1];
            let lowers = u2 < INF && u1 < u2;
            if rounds < current.saturating_mul(columns) {
                if lowers {
                    self.v[j1] -= u2 - u1;
                } else if i0 != NONE && u2 < INF {
                    j1 = j2;
                    i0 = self.first[j1];
                }
                if i0 != NONE {
                    if lowers {
                        current -= 1;
                        free[current] = i0;
                    } else {
                        free[kept] = i0;
                        kept += 1;
                    }
                }
            } else if i0 != NONE {
                free[kept] = i0;
                kept += 1;
            }
            if i0 != NONE {
                self.detach(i0);
            }
            self.attach(i, j1);
        }
        free.truncate(kept);
    }

    /// Finds a cheapest augmenting path from the free row `root` and augments
    /// along it, updating the potentials. Returns `false`, changing nothing,
    /// when no path exists.
    fn augment(&mut self, root: usize) -> bool {
        self.dist.fill(INF);
        self.done.clear();
        let mut active_min = relax(
            self.row(root),
            &self.v,
            &mut self.dist,
            &mut self.pred,
            root,
            0.0,
        );
        let mut unassigned = self.unmatched.map_or((INF, NONE), |c| (c, root));
        let (sink, length) = 'search: loop {
            let level = active_min;
            if unassigned.1 != NONE && unassigned.0 <= level {
                break (Sink::Unassigned(unassigned.1), unassigned.0);
            }
            if level == INF {
                for &(j, v, _) in &self.done {
                    self.v[j] = v;
                }
                return false;
            }
            // Finalise every column at this distance; one with room ends the search.
            self.scan.clear();
            for j in 0..self.columns {
                if self.dist[j] == level {
                    let v = self.v[j];
                    self.done.push((j, v, level));
                    self.v[j] = f64::NEG_INFINITY;
                    self.dist[j] = INF;
                    if self.load[j] < self.capacity[j] {
                        break 'search (Sink::Column(j), level);
                    }
                    self.scan.push((j, v));
                }
            }
            while let Some((j, v)) = self.scan.pop() {
                let mut i = self.first[j];
                while i != NONE {
                    let row = self.row(i);
                    // h = u[i] - (distance of row i): reduced costs from row i
                    // are c[i][k] - v[k] - h.
                    let h = row[j] - v - level;
                    active_min = relax(row, &self.v, &mut self.dist, &mut self.pred, i, h);
                    if let Some(c) = self.unmatched
                        && c - h < unassigned.0
                    {
                        unassigned = (c - h, i);
                    }
                    i = self.next[i];
                }
            }
        };
        for &(j, v, d) in &self.done {
            self.v[j] = v + d - length;
        }
        let (mut column, mut i) = match sink {
            Sink::Column(j) => (j, self.pred[j]),
            Sink::Unassigned(i) => (UNASSIGNED, i),
        };
        loop {
            let old = self.column_of[i];
            if old != NONE {
                self.detach(i);
            }
            if column == UNASSIGNED {
                self.column_of[i] = UNASSIGNED;
            } else {
                self.attach(i, column);
            }
            if i == root {
                return true;
            }
            column = old;
            i = self.pred[old];
        }
    }
}

/// Lowers `dist[k]` to `c[k] - v[k] - h` where that is smaller, recording
/// `row` as the predecessor, and returns the smallest `dist` (columns with a
/// `-inf` potential are left alone and have `dist` `+inf`).
fn relax(
    costs: &[f64],
    v: &[f64],
    dist: &mut [f64],
    pred: &mut [usize],
    row: usize,
    h: f64,
) -> f64 {
    let mut best = [INF; LANES];
    let mut costs_lanes = costs.chunks_exact(LANES);
    let mut v_lanes = v.chunks_exact(LANES);
    let mut dist_lanes = dist.chunks_exact_mut(LANES);
    let mut pred_lanes = pred.chunks_exact_mut(LANES);
    for (((c, v), d), p) in (&mut costs_lanes)
        .zip(&mut v_lanes)
        .zip(&mut dist_lanes)
        .zip(&mut pred_lanes)
    {
        for k in 0..LANES {
            let candidate = c[k] - v[k] - h;
            let lower = candidate < d[k];
            d[k] = if lower { candidate } else { d[k] };
            p[k] = if lower { row } else { p[k] };
            best[k] = if d[k] < best[k] { d[k] } else { best[k] };
        }
    }
    let tail = costs_lanes
        .remainder()
        .iter()
        .zip(v_lanes.remainder())
        .zip(dist_lanes.into_remainder())
        .zip(pred_lanes.into_remainder());
    let mut smallest = best.iter().fold(INF, |m, &b| m.min(b));
    for (((&c, &v), d), p) in tail {
        let candidate = c - v - h;
        if candidate < *d {
            *d = candidate;
            *p = row;
        }
        smallest = smallest.min(*d);
    }
    smallest
}

/// The smallest `c[j] - v[j]` and its first column (`NONE` when all are `+inf`).
fn smallest(costs: &[f64], v: &[f64]) -> (f64, usize) {
    costs.iter().zip(v).enumerate().fold(
        (INF, NONE),
        |(m, a), (j, (&c, &v))| if c - v < m { (c - v, j) } else { (m, a) },
    )
}

/// The two smallest `c[j] - v[j]` with their columns: `(u1, j1, u2, j2)`,
/// `u1 <= u2`, `j1 != j2`; a missing one is `(+inf, NONE)`.
fn two_smallest(costs: &[f64], v: &[f64]) -> (f64, usize, f64, usize) {
    let (mut u1, mut j1, mut u2, mut j2) = (INF, NONE, INF, NONE);
    for (j, (&c, &v)) in costs.iter().zip(v).enumerate() {
        let r = c - v;
        if r < u2 {
            if r < u1 {
                (u2, j2) = (u1, j1);
                (u1, j1) = (r, j);
            } else {
                (u2, j2) = (r, j);
            }
        }
    }
    (u1, j1, u2, j2)
}
