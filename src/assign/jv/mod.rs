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
//! 1. A cheap start. On a square matrix of unit capacities, column reduction
//!    and reduction transfer. Then up to two passes of augmenting row
//!    reduction, an auction-like step that settles most rows: each free row
//!    takes its cheapest option, lowering that column's potential by the gap
//!    to its second-cheapest and displacing the row it held. Its work is capped,
//!    and so is each chain of displacements, because on matrices with many
//!    near-equal costs it turns into a long price war of tiny steps. When its
//!    first pass leaves more than half the rows of a square problem free, the
//!    matrix is structured (Machol–Wien and kin, where every later augmenting
//!    path would run through all the columns assigned so far), and a greedy
//!    start replaces it (`greedy.rs`): rows pick in order of regret, and
//!    potentials are built backwards so that most picks already satisfy the
//!    invariant below.
//! 2. For the rows still free, a Dijkstra search over reduced costs for the
//!    cheapest augmenting path to a column with room (or, when rows may stay
//!    unassigned, to a row's own "unassigned" option), then a potential update
//!    and the augmentation. A search starts from a few free rows at once (any
//!    subset of the free rows is a valid set of sources). All columns at the
//!    current distance are finalised together, and a column with room among
//!    them ends the search: with many equal costs this keeps paths short.
//!
//! Columns hold several rows natively: a column keeps a potential of its own and
//! a list of its rows, and a full column passes the search on to all of them. The
//! "unassigned" option of a row is virtual: a row reached at reduced distance `d`
//! with potential `u` can end there at `d + unmatched - u`, and a row once
//! unassigned never moves again (nothing else can reach it). On rectangular
//! problems the potentials of columns with room stay 0 and the others `<= 0`,
//! which with complementary slackness proves the result optimal.
//!
//! The inner loop (`scan.rs`) scans rows of the row-major cost matrix
//! contiguously, in fixed-width lanes that the compiler vectorises, several
//! rows per pass (the scans are bound by memory, and interleaved rows load in
//! parallel). Finalised columns are masked by a `-inf` potential rather than
//! skipped one by one, so the loop has no branches; spans of 64 columns that
//! are all finalised are skipped whole, which matters on structured matrices
//! (Machol–Wien `(i+1)(j+1)` and its kin), where every search finalises
//! thousands of columns one level at a time. The loop records per column only
//! which pass of rows last lowered its distance, not the row itself: the path
//! is recovered afterwards by recomputing, bit for bit, the distances from the
//! few rows of that pass.
//!
//! On large matrices the columns are split into one part per thread of the
//! pool from augmenting row reduction on (`parts.rs`): the threads relax
//! their parts at every level of a search, meet at a barrier of atomics that
//! costs far less than waking a thread, and the searching thread finalises
//! the columns at the smallest distance from the parts' lists; in augmenting
//! row reduction they find each row's two cheapest columns part by part.
//! Column reduction splits the columns the same way. Each column is
//! computed the same way whatever the split, so the result is the same on
//! any number of threads.
//!
//! On large square problems of unit capacities each row's 16 cheapest
//! columns at the start are listed, with a bound on the others
//! (`lists.rs`). Near the end, where searches are long and few columns have
//! room, a row that no column outside its list can take below the smallest
//! distance of a column with room is relaxed through its list alone
//! instead of being read whole: at n = 8000 every row a search scans lowers
//! at most 32 columns below the length of the path it finds, and 44 % of
//! them lower none.

// Distances and reduced costs are compared exactly on purpose: ties decide
// which columns a search finalises together, and a predecessor is recognised
// by recomputing its distance bit for bit.
#![allow(clippy::float_cmp)]

mod greedy;
mod lists;
mod parts;
mod scan;

use std::borrow::Cow;

use rayon::prelude::*;

use super::reduction::{RowReduction, augmenting_row_reduction};
use super::{DenseProblem, Solution};
use crate::Error;
use lists::{LISTED, Lists};
use parts::{Board, PARALLEL_PAIRS, default_parts, with_board};
use scan::{BATCH, smallest_reduced};

/// No row, no column.
const NONE: usize = usize::MAX;
/// The column of a row that stays unassigned (its virtual column).
const UNASSIGNED: usize = usize::MAX - 1;
const INF: f64 = f64::INFINITY;
/// The greedy start replaces the usual one when more than `1 / GREEDY_WHEN_FREE`
/// of the rows are still free after a pass of augmenting row reduction.
const GREEDY_WHEN_FREE: usize = 2;
/// Entries from which a square problem of unit capacities keeps each row's
/// cheapest columns (`lists.rs`).
const LISTS_FROM: usize = 1 << 22;
/// Lists are kept only when column reduction leaves at most this share of
/// the rows free (3 in 4): Machol–Wien and kin leave all but one.
const LISTS_FREE_SHARE: (usize, usize) = (3, 4);
/// Most columns with room for which a search works out where it will end at
/// every level, to relax rows through their lists.
const ROOM_MOST: usize = 256;

/// Rows relaxed through their lists, over every solve (for tests: the lists
/// are used).
#[cfg(test)]
pub(super) static LISTED_ROWS: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

/// Free rows a search starts from.
const SOURCES: usize = 4;

/// Solves `problem`, whose largest finite cost has magnitude `largest`: the
/// column of each row and, on problems with unit capacities where every row
/// must be assigned, the optimal dual potentials.
///
/// `O(n² m)` in the worst case for `n` rows and `m` columns, memory `O(n + m)`
/// besides the costs, which are copied only when not in standard layout or
/// when they are so large (beyond `2^980`) that sums of a few thousand of them
/// could overflow: then they are scaled by a power of two, which is exact.
///
/// # Errors
///
/// [`Error::Infeasible`] when every row must be assigned and cannot be.
pub(super) fn solve(problem: &DenseProblem<'_>, largest: f64) -> Result<Solution, Error> {
    solve_from(problem, largest, false, None, None)
}

/// [`solve`], always through the greedy start on square problems with unit
/// capacities (for tests: the start must never change the optimum).
#[cfg(test)]
pub(super) fn solve_greedy(problem: &DenseProblem<'_>, largest: f64) -> Result<Solution, Error> {
    solve_from(problem, largest, true, None, None)
}

/// [`solve`] with the search's columns split into `parts` parts (at least one
/// span each), whatever their number (for tests: the split must never change
/// the result).
#[cfg(test)]
pub(super) fn solve_in_parts(
    problem: &DenseProblem<'_>,
    largest: f64,
    parts: usize,
) -> Result<Solution, Error> {
    solve_from(problem, largest, false, Some(parts), None)
}

/// [`solve`] with each row's `width` cheapest columns listed whatever the
/// size, and relaxed through whenever they suffice (for tests: the lists
/// must never change the result).
#[cfg(test)]
pub(super) fn solve_listed(
    problem: &DenseProblem<'_>,
    largest: f64,
    width: usize,
) -> Result<Solution, Error> {
    solve_from(problem, largest, false, None, Some(width))
}

/// [`solve`]; `greedy`: take the greedy start whenever it applies; `parts`:
/// the parts of the search's columns, by default one per thread of the pool
/// on large matrices.
fn solve_from(
    problem: &DenseProblem<'_>,
    largest: f64,
    greedy: bool,
    parts: Option<usize>,
    listed: Option<usize>,
) -> Result<Solution, Error> {
    let (rows, columns) = problem.costs.dim();
    let unmatched = problem.unmatched();
    let largest = largest.max(unmatched.map_or(0.0, f64::abs));
    let scale = super::safe_scale(largest);
    let costs: Cow<'_, [f64]> = match problem.costs.as_slice() {
        Some(costs) if scale == 1.0 => Cow::Borrowed(costs),
        _ => Cow::Owned(problem.costs.iter().map(|&c| c * scale).collect()),
    };
    let unmatched = unmatched.map(|c| c * scale);
    let capacity: Vec<usize> = problem.capacity.iter().map(|&c| c.min(rows)).collect();
    let plain = unmatched.is_none() && rows <= columns && capacity.iter().all(|&c| c == 1);

    let mut state = State::new(&costs, rows, capacity, unmatched);
    let mut free = if plain && rows == columns {
        state.column_reduction()
    } else {
        None
    }
    .unwrap_or_else(|| (0..rows).collect());
    // Each row's cheapest columns at the potentials of column reduction
    // (square problems of unit capacities, large ones or when forced), unless
    // column reduction left most rows free: a structured matrix, on which
    // the greedy start below would drop the lists.
    let listing = listed.is_some()
        || (rows * columns >= LISTS_FROM
            && free.len() * LISTS_FREE_SHARE.1 <= rows * LISTS_FREE_SHARE.0);
    if plain && rows == columns && listing {
        state.lists = Some(Lists::new(&costs, &state.v, listed.unwrap_or(LISTED)));
        state.room_most = if listed.is_some() {
            usize::MAX
        } else {
            ROOM_MOST
        };
        state.largest = largest * scale;
    }
    // From here on the potentials are in the parts of the board. Forced parts
    // (in tests) do everything on the crew.
    let (parts, pairs) = parts.map_or_else(|| (default_parts(columns), PARALLEL_PAIRS), |p| (p, 0));
    let v = std::mem::take(&mut state.v);
    let (failed, v) = with_board(&costs, &v, parts, pairs, |board| {
        augmenting_row_reduction(
            &mut Crewed {
                state: &mut state,
                board,
            },
            &mut free,
        );
        if plain && rows == columns && (greedy || free.len() > rows / GREEDY_WHEN_FREE) {
            // Augmenting row reduction made little headway: a structured matrix,
            // where a greedy start gives far shorter augmenting paths.
            state.v = board.potentials();
            // The greedy start may raise potentials: the lists' bounds no
            // longer hold.
            state.lists = None;
            free = state.greedy_start();
            board.set_potentials(&state.v);
        } else {
            augmenting_row_reduction(
                &mut Crewed {
                    state: &mut state,
                    board,
                },
                &mut free,
            );
        }
        // Search from a few free rows at once: their rows are relaxed in one
        // pass, and the cheapest augmenting path from any of them is as good
        // as any.
        if state.lists.is_some() {
            state.room = (0..columns)
                .filter(|&j| state.load[j] < state.capacity[j])
                .collect();
        }
        state.search(board, free)
    });
    state.v = v;
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
                (state.row(i)[j] - state.v[j]) / scale
            })
            .collect();
        (u, state.v.iter().map(|v| v / scale).collect())
    });
    Ok(Solution {
        columns: assignment,
        duals,
    })
}

impl State<'_> {
    /// The Dijkstra phase: augments from every row of `free`, a few at a
    /// time, over the columns of `board`; returns the number of rows that
    /// could not be assigned.
    fn search(&mut self, board: &Board<'_>, free: Vec<usize>) -> usize {
        let mut queue = free.into_iter();
        let mut sources: Vec<usize> = queue.by_ref().take(SOURCES).collect();
        let mut failed = 0;
        while !sources.is_empty() {
            if let Some(root) = self.augment(board, &sources) {
                let k = sources.iter().position(|&r| r == root).expect("a source");
                match queue.next() {
                    Some(next) => sources[k] = next,
                    None => {
                        sources.swap_remove(k);
                    }
                }
            } else {
                // No source can be assigned, now or after any later augmentation.
                failed += sources.len();
                sources.clear();
                sources.extend(queue.by_ref().take(SOURCES));
            }
        }
        failed
    }
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
    /// Column potentials; `-inf` for a column of capacity 0 (never
    /// reachable). Moved into the parts of a [`Board`] for the Dijkstra phase.
    v: Vec<f64>,
    capacity: Vec<usize>,
    /// Rows currently in each column.
    load: Vec<usize>,
    /// Column of each row: a column, [`NONE`] (free) or [`UNASSIGNED`].
    column_of: Vec<usize>,
    /// The cost of each row in its column, kept so that a search scanning
    /// the row does not read the matrix at a random place for it.
    held: Vec<f64>,
    /// First row of each column's list of rows.
    first: Vec<usize>,
    /// Next and previous row in the list of the row's column.
    next: Vec<usize>,
    prev: Vec<usize>,
    unmatched: Option<f64>,
    /// Search scratch: the position in `done` of each finalised column.
    slot: Vec<usize>,
    /// Columns finalised by the current search, in order: (column, potential,
    /// distance, number of rows scanned before it).
    done: Vec<(usize, f64, f64, usize)>,
    /// Rows scanned by the current search, in order, with `h = u[i] - distance`.
    scanned: Vec<(usize, f64)>,
    /// Each row's cheapest columns, when kept.
    lists: Option<Lists>,
    /// With lists: the columns with room.
    room: Vec<usize>,
    /// With lists: most columns with room for which they are used.
    room_most: usize,
    /// Scratch: rows of a level relaxed through their lists.
    listed: Vec<(usize, f64)>,
    /// The largest magnitude of a finite cost, as solved.
    largest: f64,
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
            held: vec![0.0; rows],
            first: vec![NONE; columns],
            next: vec![NONE; rows],
            prev: vec![NONE; rows],
            unmatched,
            slot: vec![NONE; columns],
            done: Vec::new(),
            scanned: Vec::new(),
            lists: None,
            room: Vec::new(),
            room_most: 0,
            listed: Vec::new(),
            largest: 0.0,
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
        self.held[row] = self.costs[row * self.columns + column];
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

    /// Column reduction and reduction transfer (square, unit capacities):
    /// `v[j]` becomes the minimum of column `j`, which goes to its minimum row
    /// when that row is not taken yet. Returns the rows left free, or `None`
    /// (state unchanged) when a column has no allowed entry.
    fn column_reduction(&mut self) -> Option<Vec<usize>> {
        let (rows, columns) = (self.column_of.len(), self.columns);
        let mut minimum = vec![INF; columns];
        // Row indices as f64 (exact below 2^53): selecting between two f64
        // vectors on an f64 comparison vectorises; mixing in usize does not.
        let mut argmin = vec![0.0; columns];
        // Parts of the columns on the threads of the pool: each column's
        // minimum is found the same way whatever the split.
        let chunk = columns.div_ceil(default_parts(columns));
        let costs = self.costs;
        minimum
            .par_chunks_mut(chunk)
            .zip(argmin.par_chunks_mut(chunk))
            .enumerate()
            .for_each(|(part, (minimum, argmin))| {
                let offset = part * chunk;
                for (i, row) in costs.chunks_exact(columns).enumerate() {
                    let row = &row[offset..offset + minimum.len()];
                    #[allow(clippy::cast_precision_loss)]
                    let index = i as f64;
                    for ((m, a), &c) in minimum.iter_mut().zip(argmin.iter_mut()).zip(row) {
                        let lower = c < *m;
                        *m = if lower { c } else { *m };
                        *a = if lower { index } else { *a };
                    }
                }
            });
        if minimum.iter().any(|m| !m.is_finite()) {
            return None;
        }
        self.v = minimum;
        // Scan columns from the last, as Jonker and Volgenant do; a row that is
        // the minimum of several columns keeps the first one it gets.
        let mut unique = vec![true; rows];
        for j in (0..columns).rev() {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let i = argmin[j] as usize;
            if self.column_of[i] == NONE {
                self.attach(i, j);
            } else {
                unique[i] = false;
            }
        }
        let mut free = Vec::new();
        for (i, &unique) in unique.iter().enumerate() {
            let j = self.column_of[i];
            if j == NONE {
                free.push(i);
            } else if unique {
                // Reduction transfer: lower v[j] as far as row i allows, so that
                // j costs row i as much as its second-best column.
                let row = self.row(i);
                let second = smallest_reduced(&row[..j], &self.v[..j])
                    .min(smallest_reduced(&row[j + 1..], &self.v[j + 1..]));
                if second.is_finite() {
                    self.v[j] -= second;
                }
            }
        }
        Some(free)
    }

    /// Finds a cheapest augmenting path from any of the free rows `roots` and
    /// augments along it, updating the potentials. Returns the root that was
    /// assigned (or left unassigned, when that is cheapest), or `None`,
    /// changing nothing, when no path exists from any root.
    ///
    /// Free rows take potential 0, so the distances start at `c[root][j] - v[j]`;
    /// edges out of the roots may be negative in reduced terms, which Dijkstra
    /// allows for the edges out of the sources. The potential update then keeps
    /// every reduced cost of the newly assigned root `>= 0`.
    ///
    /// Predecessors are not recorded during the search (that would cost a
    /// store per column per scanned row): only the pass of up to [`BATCH`]
    /// rows that last lowered each column's distance is; the path is
    /// recovered afterwards, see [`State::predecessor`].
    fn augment(&mut self, board: &Board<'_>, roots: &[usize]) -> Option<usize> {
        self.done.clear();
        self.scanned.clear();
        self.scanned.extend(roots.iter().map(|&root| (root, 0.0)));
        let mut nearest = board.relax(&self.scanned, 0);
        let mut unassigned = self.unmatched.map_or((INF, NONE), |c| (c, roots[0]));
        let (sink, length) = 'search: loop {
            let level = nearest;
            if unassigned.1 != NONE && unassigned.0 <= level {
                break (Sink::Unassigned(unassigned.1), unassigned.0);
            }
            if level == INF {
                board.end_search(&self.done, None);
                return None;
            }
            // Finalise every column at this distance; one with room ends the search.
            let first_new = self.done.len();
            let (slot, done, load, capacity) =
                (&mut self.slot, &mut self.done, &self.load, &self.capacity);
            let scanned = self.scanned.len();
            let take = |j: usize, v: f64| {
                slot[j] = done.len();
                done.push((j, v, level, scanned));
                load[j] < capacity[j]
            };
            if let Some(j) = board.finalise(level, take) {
                break 'search (Sink::Column(j), level);
            }
            // Scan the rows of the new columns, several per pass over the
            // distances: the passes are bound by memory, and interleaving rows
            // lets their loads overlap.
            let first_row = self.scanned.len();
            for index in first_new..self.done.len() {
                let (j, v, _, _) = self.done[index];
                let mut i = self.first[j];
                while i != NONE {
                    // h = u[i] - (distance of row i): reduced costs from row i
                    // are c[i][k] - h - v[k].
                    let h = self.held[i] - v - level;
                    self.scanned.push((i, h));
                    if let Some(c) = self.unmatched
                        && c - h < unassigned.0
                    {
                        unassigned = (c - h, i);
                    }
                    i = self.next[i];
                }
            }
            let full = self.split_listed(board, first_row);
            nearest = board.relax(&self.scanned[first_row..full], first_row);
        };
        board.end_search(&self.done, Some(length));
        if let Sink::Column(j) = sink
            && self.lists.is_some()
            && self.load[j] + 1 >= self.capacity[j]
        {
            self.room.retain(|&c| c != j);
        }
        let (mut column, mut i) = match sink {
            Sink::Column(j) => (j, self.predecessor(board, self.done.len() - 1)),
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
            if old == NONE {
                return Some(i);
            }
            column = old;
            i = self.predecessor(board, self.slot[old]);
        }
    }

    /// With lists, and few enough columns with room: moves to the end of the
    /// rows scanned from `first_row` on those that no column outside their
    /// list can take below the smallest distance of a column with room
    /// (where the search will end at the latest), and relaxes them through
    /// their lists; returns where the rows to relax in full end.
    fn split_listed(&mut self, board: &Board<'_>, first_row: usize) -> usize {
        let end = self.scanned.len();
        let Some(lists) = &self.lists else {
            return end;
        };
        if self.room.len() > self.room_most || first_row == end {
            return end;
        }
        let ends = board.smallest_of(&self.room);
        if ends == INF {
            return end;
        }
        // A margin far above the rounding of `(c - h) - v` and of the
        // bound's own `c - v`.
        let largest = self.largest;
        let listed = |i: usize, h: f64| {
            let bound = lists.bound(i) - h;
            bound > ends + 1e-9 * (bound.abs() + ends.abs() + h.abs() + largest)
        };
        self.listed.clear();
        let mut kept = first_row;
        for k in first_row..end {
            let (i, h) = self.scanned[k];
            if listed(i, h) {
                self.listed.push((i, h));
            } else {
                self.scanned[kept] = (i, h);
                kept += 1;
            }
        }
        self.scanned.truncate(kept);
        self.scanned.extend_from_slice(&self.listed);
        #[cfg(test)]
        LISTED_ROWS.fetch_add(self.listed.len(), std::sync::atomic::Ordering::Relaxed);
        board.relax_listed(
            self.listed
                .iter()
                .enumerate()
                .map(|(k, &(i, h))| (lists.of(i), h, kept + k)),
        );
        kept
    }

    /// The row through which the search reached the finalised column
    /// `done[index]`: a row of the pass that last lowered the column's
    /// distance, scanned before the column was finalised, whose reduced
    /// distance to it, computed exactly as during the search, equals the
    /// column's distance. Rows scanned earlier were reached through columns
    /// finalised earlier, so following predecessors never loops.
    fn predecessor(&self, board: &Board<'_>, index: usize) -> usize {
        let (j, v, d, scanned) = self.done[index];
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let pass = board.via(j) as usize;
        self.scanned[pass..scanned.min(pass + BATCH)]
            .iter()
            .find(|&&(i, h)| self.costs[i * self.columns + j] - h - v == d)
            .expect("the column's distance came from a row of its pass")
            .0
    }
}

/// The solver's state with its potentials in the parts of a board, for
/// augmenting row reduction: each row's two cheapest columns are found by
/// the crew, part by part.
struct Crewed<'s, 'a, 'b> {
    state: &'s mut State<'a>,
    board: &'s Board<'b>,
}

impl RowReduction for Crewed<'_, '_, '_> {
    type Index = usize;
    const NONE: usize = NONE;
    const UNASSIGNED: usize = UNASSIGNED;

    fn columns(&self) -> usize {
        self.state.columns
    }

    fn two_cheapest(&mut self, row: usize) -> (f64, usize, f64, usize) {
        let (mut u1, mut j1, mut u2, mut j2) = self.board.two_cheapest(row);
        // The row's own unassigned option, after real columns on ties.
        if let Some(c) = self.state.unmatched {
            if c < u1 {
                (u2, j2) = (u1, j1);
                (u1, j1) = (c, UNASSIGNED);
            } else if c < u2 {
                (u2, j2) = (c, UNASSIGNED);
            }
        }
        (u1, j1, u2, j2)
    }

    fn holds_one(&self, column: usize) -> bool {
        self.state.capacity[column] == 1
    }

    fn holder(&self, column: usize) -> usize {
        let state = &*self.state;
        if column == UNASSIGNED || state.load[column] < state.capacity[column] {
            NONE
        } else {
            state.first[column]
        }
    }

    fn lower(&mut self, column: usize, by: f64) {
        self.board.lower(column, by);
    }

    fn detach(&mut self, row: usize) {
        self.state.detach(row);
    }

    fn place(&mut self, row: usize, column: usize) {
        if column == UNASSIGNED {
            self.state.column_of[row] = UNASSIGNED;
        } else {
            self.state.attach(row, column);
        }
    }
}
