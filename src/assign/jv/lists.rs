//! Each row's cheapest columns, with a bound on all the others, so that a
//! search can relax a row through a few columns instead of reading the row.
//!
//! The lists are built once, from the potentials `v0` after column
//! reduction (square problems of unit capacities only): for row `i`, the
//! [`LISTED`] columns of smallest `c[i][k] - v0[k]`, with their costs, and
//! `s[i]`, the next smallest value, which no column outside the list is
//! below. The potentials only fall from then on (augmenting row reduction
//! lowers them, and so does each search's update), so outside the list
//! `c[i][k] - v[k] >= s[i]` holds for ever, and a row scanned with
//! `h = u[i] - distance` gives a column outside its list a distance of at
//! least `s[i] - h`. When that is above an upper bound on where the search
//! will end (the smallest distance of a column with room), the search
//! relaxes the row through its list alone: every column it finalises gets
//! the same distance, and the path found is as short.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use super::INF;

/// Columns listed per row.
pub(super) const LISTED: usize = 16;

/// Each row's [`LISTED`] cheapest columns at the potentials of the start,
/// and a bound on the others.
pub(super) struct Lists {
    width: usize,
    /// Row by row, `width` pairs of (cost, column), cheapest first.
    entries: Vec<(f64, u32)>,
    /// Row by row, the smallest `c - v0` of a column outside the list
    /// (`+inf` when every column is listed).
    bound: Vec<f64>,
}

/// A value and its column, ordered by value (then column) for the heap.
#[derive(PartialEq)]
struct Entry(f64, u32);

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}

impl Lists {
    /// The lists of every row of the row-major `costs` (of `v0.len()`
    /// columns) at potentials `v0`, `width` columns each, built on the pool.
    pub(super) fn new(costs: &[f64], v0: &[f64], width: usize) -> Self {
        let columns = v0.len();
        let width = width.min(columns);
        let rows = costs.len() / columns.max(1);
        let mut entries = vec![(INF, 0u32); rows * width];
        let mut bound = vec![INF; rows];
        entries
            .par_chunks_mut(width.max(1))
            .zip(bound.par_iter_mut())
            .zip(costs.par_chunks(columns.max(1)))
            .for_each(|((entries, bound), row)| {
                // The `width + 1` smallest, the largest of them on top.
                let mut heap = BinaryHeap::with_capacity(width + 2);
                let mut top = INF;
                for (k, (&c, &v)) in row.iter().zip(v0).enumerate() {
                    let x = c - v;
                    if heap.len() <= width || x < top {
                        heap.push(Entry(x, u32::try_from(k).expect("columns fit in u32")));
                        if heap.len() > width + 1 {
                            heap.pop();
                        }
                        if heap.len() == width + 1 {
                            top = heap.peek().map_or(INF, |e| e.0);
                        }
                    }
                }
                if heap.len() == width + 1 {
                    *bound = heap.pop().map_or(INF, |e| e.0);
                }
                for (slot, Entry(_, k)) in entries.iter_mut().zip(heap.into_sorted_vec()) {
                    *slot = (row[k as usize], k);
                }
            });
        Self {
            width,
            entries,
            bound,
        }
    }

    /// Row `i`'s listed columns, as (cost, column).
    pub(super) fn of(&self, i: usize) -> &[(f64, u32)] {
        &self.entries[i * self.width..(i + 1) * self.width]
    }

    /// No column outside row `i`'s list has `c - v` below this, at any
    /// potentials `v` at or below those the lists were built from.
    pub(super) fn bound(&self, i: usize) -> f64 {
        self.bound[i]
    }
}
