//! The scale path's certificate: dual potentials that prove the optimum on
//! the candidate graph (each mentee's best `k` feasible mentors) optimal
//! over every feasible pair, as the dense path would solve it.
//!
//! Both solvers of the scale path minimise integer costs (the negated pair
//! weights) over a flow network: rows (free mentees) with a demand, columns
//! (mentors) with a capacity, each pair at most once, and per row a cost for
//! its `k`-th mentor (the unit costs of `assign::flow`; one mentor each is
//! the case of demand 1 and unit cost 0, a row left unmatched costing 0). A
//! solution is optimal when potentials `u` (rows) and `v` (columns) satisfy
//! the complementary slackness conditions, with `r = c - u[i] - v[j]`:
//!
//! - `r >= 0` on every allowed pair not used, `r <= 0` on every pair used;
//! - `v[j] <= 0`, and `v[j] = 0` on a column with room left;
//! - for a row with `d` mentors here and `h` held already (pinned), of
//!   demand `b`: `u <= -unit_cost[h + d - 1]` when `d >= 1`, and
//!   `u >= -unit_cost[h + d]` when `d < b`.
//!
//! [`check`] verifies them on the candidate graph, in exact integer
//! arithmetic (costs and potentials must be integers of magnitude at most
//! `2^53`, or there is no proof), and then on the pairs the lists left out.
//! A list that is not complete holds `k` mentors and every feasible mentor
//! it left out scores at most its lowest listed score, so costs at least as
//! much as that pair (the weights grow with the score). Such a pair `(i, j)`
//! is not used, so it needs `c[i][j] - u[i] - v[j] >= 0`, which holds for all
//! of them when `c_low(i) - u[i] - max v[j] >= 0`, the maximum over the
//! columns of positive capacity not in row `i`'s list (the first of the
//! `k + 1` largest potentials that is not in it). A row whose bound fails
//! is scored in full, as the dense path scores it, and its pairs left out
//! are checked one by one (at most a hundredth of the rows, or 64: beyond,
//! no proof). When every condition holds, the same potentials certify the
//! same solution on the full graph: its value is the dense optimum. Columns
//! of capacity 0 take no part.
//!
//! Time `O(entries + columns log k)`, and `O(columns)` with one row of
//! scoring per row scored in full; memory `O(columns)`: a small part of the
//! solve.

use rayon::prelude::*;

use crate::candidates::Candidates;

/// Largest magnitude of a cost or potential taken as an exact integer.
const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53

/// A solution of the candidate graph with the potentials to check.
pub(super) struct Solved<'a> {
    /// The mentors of each row.
    pub chosen: &'a [Vec<usize>],
    /// Mentors each row may take here (one mentor each: 1).
    pub demand: &'a [usize],
    /// Mentors each row holds already, pinned (empty: none).
    pub held: &'a [usize],
    /// The cost of a row's `k`-th mentor, `unit_cost[k - 1]` (one mentor
    /// each: `[0]`).
    pub unit_cost: &'a [i128],
    /// Row potentials.
    pub rows: &'a [i128],
    /// Column potentials.
    pub columns: &'a [i128],
}

/// The graph the solution was found on.
pub(super) struct Graph<'a> {
    /// The candidate lists, best first.
    pub candidates: &'a Candidates,
    /// Capacity each mentor has left.
    pub capacity: &'a [usize],
    /// Pairs scoring below it were not allowed (fairness); `-inf` otherwise.
    pub threshold: f64,
    /// A row's scores against every mentor (`-inf` for a pair not feasible
    /// or pinned already), as the dense path scores them: for the few rows
    /// whose bound fails, checked pair by pair.
    pub full_row: &'a (dyn Fn(usize) -> Vec<f64> + Sync),
}

/// The most rows [`check`] scores in full: a hundredth of them, or 64.
fn rescored(rows: usize) -> usize {
    (rows / 100).max(64)
}

/// Potentials as exact integers: `None` when one is not an integer of
/// magnitude at most `2^53`; a `-inf` (a column of capacity 0, whose value
/// does not matter) reads as 0.
pub(super) fn integers(potentials: &[f64]) -> Option<Vec<i128>> {
    potentials
        .iter()
        .map(|&x| {
            if x == f64::NEG_INFINITY {
                Some(0)
            } else {
                exact(x)
            }
        })
        .collect()
}

/// `x` as an exact integer, when it is one of magnitude at most `2^53`.
fn exact(x: f64) -> Option<i128> {
    #[allow(clippy::cast_possible_truncation)] // an integer below 2^53
    (x.is_finite() && x.fract() == 0.0 && x.abs() <= EXACT).then_some(x as i128)
}

/// Whether `solved` is optimal on `graph` with pair costs `cost(score)`
/// (integers, non-increasing in the score) and, for every list that is not
/// complete, on the pairs it left out: then it is optimal over every
/// feasible pair. See the module documentation.
pub(super) fn check(
    graph: &Graph<'_>,
    cost: impl Fn(f64) -> f64 + Sync,
    solved: &Solved<'_>,
) -> bool {
    let candidates = graph.candidates;
    let rows = candidates.rows();
    let mentors = graph.capacity.len();
    if solved.rows.len() != rows || solved.columns.len() != mentors || solved.chosen.len() != rows {
        return false;
    }
    let capacity: Vec<usize> = graph.capacity.iter().map(|&c| c.min(rows)).collect();
    let column_potential = solved.columns;

    // Columns: loads within capacity, v <= 0, and 0 with room left.
    let mut load = vec![0usize; mentors];
    for &mentor in solved.chosen.iter().flatten() {
        if mentor >= mentors {
            return false;
        }
        load[mentor] += 1;
    }
    let columns_hold = (0..mentors).all(|j| {
        let v = column_potential[j];
        load[j] <= capacity[j]
            && (capacity[j] == 0 || (v <= 0 && (load[j] == capacity[j] || v == 0)))
    });
    // The rows in parallel: each reads its list and the potentials.
    if !columns_hold
        || !(0..rows)
            .into_par_iter()
            .all(|row| row_holds(graph, &cost, solved, &capacity, row))
    {
        return false;
    }

    // The pairs left out: the largest potentials of columns that take part.
    let longest = (0..rows)
        .filter(|&row| !candidates.is_complete(row))
        .map(|row| candidates.row(row).0.len())
        .max()
        .unwrap_or(0);
    let mut top: Vec<(i128, usize)> = (0..mentors)
        .filter(|&j| capacity[j] > 0)
        .map(|j| (column_potential[j], j))
        .collect();
    let keep = (longest + 1).min(top.len());
    if keep < top.len() {
        top.select_nth_unstable_by(keep, |a, b| b.cmp(a));
        top.truncate(keep);
    }
    top.sort_unstable_by(|a, b| b.cmp(a));
    let mut failed = (0..rows)
        .filter(|&row| !candidates.is_complete(row))
        .filter(|&row| {
            !(|| {
                let (listed, scores) = candidates.row(row);
                let Some(low) = scores.iter().copied().reduce(f64::min) else {
                    return false; // a list cut short holds its k mentors
                };
                if low < graph.threshold {
                    // Every mentor left out scores below the threshold.
                    return true;
                }
                let Some(c_low) = exact(cost(low)) else {
                    return false;
                };
                let Some(&(best, _)) = top
                    .iter()
                    .find(|&&(_, j)| listed.iter().all(|&m| m as usize != j))
                else {
                    return true; // every column that takes part is listed
                };
                c_low - solved.rows[row] - best >= 0
            })()
        });
    // The rows whose bound failed, few or none: their pairs one by one.
    let budget = rescored(rows);
    let mut checked = 0;
    failed.all(|row| {
        checked += 1;
        checked <= budget && row_holds_in_full(graph, &cost, solved, &capacity, row)
    })
}

/// Whether every feasible pair of `row` left out of its list, scored, has
/// a reduced cost `>= 0` (those below the threshold are not allowed).
/// `O(mentors)` and one row of scoring.
fn row_holds_in_full(
    graph: &Graph<'_>,
    cost: &impl Fn(f64) -> f64,
    solved: &Solved<'_>,
    capacity: &[usize],
    row: usize,
) -> bool {
    let listed = graph.candidates.row(row).0;
    let scores = (graph.full_row)(row);
    let mut in_list = vec![false; capacity.len()];
    for &mentor in listed {
        in_list[mentor as usize] = true;
    }
    scores.iter().enumerate().all(|(mentor, &score)| {
        if in_list[mentor]
            || capacity[mentor] == 0
            || score == f64::NEG_INFINITY
            || score < graph.threshold
        {
            return true;
        }
        exact(cost(score)).is_some_and(|c| c - solved.rows[row] - solved.columns[mentor] >= 0)
    })
}

/// Whether the conditions of `row` hold on the candidate graph: reduced
/// costs on its allowed pairs, its mentors among them, and its potential
/// between its unit costs.
fn row_holds(
    graph: &Graph<'_>,
    cost: &impl Fn(f64) -> f64,
    solved: &Solved<'_>,
    capacity: &[usize],
    row: usize,
) -> bool {
    let (listed, scores) = graph.candidates.row(row);
    let mine = &solved.chosen[row];
    let potential = solved.rows[row];
    let allowed = |score: f64| score >= graph.threshold;
    // Every mentor used is an allowed candidate.
    let used_allowed = mine.iter().all(|&mentor| {
        listed
            .iter()
            .zip(scores)
            .any(|(&m, &score)| m as usize == mentor && allowed(score))
    });
    let pairs_hold = listed.iter().zip(scores).all(|(&mentor, &score)| {
        let mentor = mentor as usize;
        if !allowed(score) || capacity[mentor] == 0 {
            return true;
        }
        exact(cost(score)).is_some_and(|c| {
            let reduced = c - potential - solved.columns[mentor];
            if mine.contains(&mentor) {
                reduced <= 0
            } else {
                reduced >= 0
            }
        })
    });
    let (taken, demand) = (mine.len(), solved.demand[row].min(capacity.len()));
    let first = solved.held.get(row).copied().unwrap_or(0);
    used_allowed
        && pairs_hold
        && taken <= demand
        && (taken == 0 || potential <= -solved.unit_cost[first + taken - 1])
        && (taken == demand || potential >= -solved.unit_cost[first + taken])
}

/// Whether the feasible pairs scoring above `threshold` match fewer than
/// `needed` of `rows` (the rows of the fairness search, one mentor each,
/// mentor `j` taking at most `capacity[j]`), when the lists are all that is
/// known of them: a list not complete whose lowest score is above the
/// threshold may leave out pairs above it, to any mentor.
///
/// A maximum matching of the listed pairs above the threshold, grown from
/// the solution's pairs above it (`chosen`, within the capacities) by
/// breadth-first searches for augmenting paths from all unmatched rows at
/// once, is smaller than `needed`, or there is no proof. The last search,
/// which finds no path, gives a vertex cover of König's theorem as large as
/// the matching: the rows it did not reach and the (full) mentors it
/// reached. Every listed pair above the threshold has an end in it; so does
/// every pair left out above it when each list that may leave one out
/// belongs to a row the search did not reach. Then no set of feasible pairs
/// above the threshold matches more rows than the cover's size.
///
/// Time `O((a + 1) · e)` for the `e` listed pairs above the threshold and
/// the `a` augmentations (the solution's pairs at exactly the threshold,
/// usually one).
pub(super) fn nothing_above(
    candidates: &Candidates,
    capacity: &[usize],
    rows: &[usize],
    chosen: &[Vec<usize>],
    threshold: f64,
    needed: usize,
) -> bool {
    let mentors = capacity.len();
    let above = |row: usize| {
        let (listed, scores) = candidates.row(row);
        listed
            .iter()
            .zip(scores)
            .filter(|&(&j, &score)| score > threshold && capacity[j as usize] > 0)
            .map(|(&j, _)| j as usize)
    };
    // The solution's pairs above the threshold, one per row.
    let mut mate: Vec<Option<usize>> = vec![None; candidates.rows()];
    let mut holders: Vec<Vec<usize>> = vec![Vec::new(); mentors];
    let mut size = 0;
    for &row in rows {
        let mentor = above(row).find(|j| chosen[row].contains(j));
        if let Some(j) = mentor
            && holders[j].len() < capacity[j]
        {
            mate[row] = Some(j);
            holders[j].push(row);
            size += 1;
        }
    }
    loop {
        if size >= needed {
            return false;
        }
        // A search from every unmatched row at once.
        let mut reached_row = vec![false; candidates.rows()];
        let mut from_row = vec![usize::MAX; mentors]; // the row that reached a mentor
        let mut from_mentor = vec![usize::MAX; candidates.rows()];
        let mut queue: std::collections::VecDeque<usize> = rows
            .iter()
            .copied()
            .filter(|&row| mate[row].is_none())
            .collect();
        for &row in &queue {
            reached_row[row] = true;
        }
        let mut end = None;
        'search: while let Some(row) = queue.pop_front() {
            for j in above(row) {
                if from_row[j] != usize::MAX {
                    continue;
                }
                from_row[j] = row;
                if holders[j].len() < capacity[j] {
                    end = Some(j);
                    break 'search;
                }
                for &holder in &holders[j] {
                    if !reached_row[holder] {
                        reached_row[holder] = true;
                        from_mentor[holder] = j;
                        queue.push_back(holder);
                    }
                }
            }
        }
        let Some(mut j) = end else {
            // No augmenting path: the cover is the rows not reached and the
            // mentors reached; the pairs left out must have their row in it.
            return rows.iter().all(|&row| {
                let scores = candidates.row(row).1;
                candidates.is_complete(row)
                    || scores.iter().any(|&score| score <= threshold)
                    || !reached_row[row]
            });
        };
        // Augment: each row on the path takes the mentor after it.
        loop {
            let row = from_row[j];
            let old = mate[row];
            mate[row] = Some(j);
            holders[j].push(row);
            let Some(previous) = old else {
                break;
            };
            let at = holders[previous]
                .iter()
                .position(|&h| h == row)
                .expect("a row is among its mentor's holders");
            holders[previous].swap_remove(at);
            j = previous;
        }
        size += 1;
    }
}
