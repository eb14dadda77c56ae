//! A greedy start for square problems where column reduction and augmenting
//! row reduction leave most rows free: structured matrices such as
//! Machol–Wien `(i+1)(j+1)`, `i · j`, `(i+j)²` or a rank-1 product, on which
//! every later augmenting path would otherwise run through all the columns
//! assigned so far (`O(n³)` work with a large constant).
//!
//! 1. Rows take, in decreasing order of regret (the gap between their two
//!    cheapest columns), their cheapest column still free: the rows with the
//!    most to lose choose first. On the structured families this greedy
//!    assignment is already optimal.
//! 2. Potentials are then built backwards: row by row in reverse greedy order,
//!    every column not yet fixed is lowered until it costs that row at least as
//!    much as the row's own column, which is then fixed. Each row's column is
//!    thereby its cheapest among the columns fixed after it.
//! 3. A row keeps its column only when that is its cheapest over all columns
//!    (the solver's invariant); the others are freed for the Dijkstra phase,
//!    which repairs what the greedy step got wrong, so the result is exact
//!    whatever the matrix.

// Reduced costs are compared exactly: a row keeps its column only when no
// column is cheaper, bit for bit.
#![allow(clippy::float_cmp)]

use super::scan::{lower_to, smallest_reduced, two_smallest};
use super::{INF, NONE, State};

impl State<'_> {
    /// Replaces the assignment and the potentials by the greedy start (square
    /// problems with unit capacities, every row free) and returns the rows left
    /// free. `O(n²)` time, four passes over the matrix.
    pub(super) fn greedy_start(&mut self) -> Vec<usize> {
        let rows = self.column_of.len();
        for i in 0..rows {
            if self.column_of[i] != NONE {
                self.detach(i);
            }
        }
        self.v.fill(0.0);
        // 1. Regret order (a row with one allowed column first, one with none last).
        // Among equal regrets, the row whose cheapest column costs most first.
        let mut order: Vec<(f64, f64, usize)> = (0..rows)
            .map(|i| {
                let (u1, _, u2, _) = two_smallest(self.row(i), &self.v);
                let regret = if u1 == INF {
                    f64::NEG_INFINITY
                } else {
                    u2 - u1
                };
                (regret, u1, i)
            })
            .collect();
        order.sort_by(|a, b| {
            (b.0.total_cmp(&a.0))
                .then(b.1.total_cmp(&a.1))
                .then(a.2.cmp(&b.2))
        });
        // Greedy: a taken column has potential -inf, so it costs +inf.
        let mut taken = vec![0.0; self.columns];
        let mut picks = Vec::with_capacity(rows);
        for &(_, _, i) in &order {
            let (u1, j, _, _) = two_smallest(self.row(i), &taken);
            if u1 < INF {
                taken[j] = f64::NEG_INFINITY;
                picks.push((i, j));
            }
        }
        // 2. Potentials, backwards; a fixed column has `+inf` in `fixed`.
        let mut fixed = vec![0.0; self.columns];
        for &(i, j) in picks.iter().rev() {
            let row = self.row(i);
            lower_to(row, row[j] - self.v[j], &fixed, &mut self.v);
            fixed[j] = INF;
        }
        // 3. Keep the pairs that satisfy the invariant.
        for &(i, j) in &picks {
            let row = self.row(i);
            if row[j] - self.v[j] == smallest_reduced(row, &self.v) {
                self.attach(i, j);
            }
        }
        (0..rows).filter(|&i| self.column_of[i] == NONE).collect()
    }
}
