//! Augmenting row reduction, the warm start of the shortest augmenting path
//! solvers (Jonker and Volgenant, "A shortest augmenting path algorithm for
//! dense and sparse linear assignment problems", Computing 38, 1987), written
//! once for the dense solver ([`super::jv`]) and the sparse one
//! ([`super::sparse`]): each reads its costs its own way through
//! [`RowReduction`].
//!
//! Each free row takes its cheapest option. When that is a column of capacity
//! 1, the row lowers the column's potential by the gap to its second-cheapest
//! option and displaces the row the column held, which is served next (an
//! auction-like step). Columns of larger capacity are taken while they have
//! room and never lowered (that would loosen their other rows); a row whose
//! cheapest option is to stay unassigned does so for good.

// Exact comparisons of reduced costs are intended: ties decide the steps.
#![allow(clippy::float_cmp)]

/// Augmenting row reduction stops after this many rounds per row it started
/// with: on matrices with many near-equal costs it turns into a long price war
/// of tiny steps, which the Dijkstra phase settles much faster.
const ROUNDS_PER_FREE_ROW: usize = 16;

/// A solver state that augmenting row reduction can work on. Rows and
/// columns are positions of type `Index`; [`RowReduction::NONE`] is no row,
/// and [`RowReduction::UNASSIGNED`] the virtual column of a row that stays
/// unassigned.
pub(super) trait RowReduction {
    /// A row or column position.
    type Index: Copy + PartialEq;
    /// No row (or no column).
    const NONE: Self::Index;
    /// The column of a row that stays unassigned.
    const UNASSIGNED: Self::Index;

    /// The number of real columns.
    fn columns(&self) -> usize;
    /// The two cheapest options of free row `row` at the current potentials,
    /// `(u1, j1, u2, j2)`: reduced cost and column of the cheapest, then of
    /// the second; the unassigned option counts as [`Self::UNASSIGNED`] and
    /// comes after real columns on ties. A missing option is `(+inf, NONE)`.
    fn two_cheapest(&mut self, row: Self::Index) -> (f64, Self::Index, f64, Self::Index);
    /// Whether real column `column` holds at most one row.
    fn holds_one(&self, column: Self::Index) -> bool;
    /// The row `column` would have to give up to take one more: `NONE` when
    /// it has room, or for [`Self::UNASSIGNED`].
    fn holder(&self, column: Self::Index) -> Self::Index;
    /// Lowers the potential of real column `column` by `by`.
    fn lower(&mut self, column: Self::Index, by: f64);
    /// Takes `row` out of its column, leaving it free.
    fn detach(&mut self, row: Self::Index);
    /// Puts free row `row` into `column`, one of the two options the last
    /// [`RowReduction::two_cheapest`] of `row` returned, or leaves it
    /// unassigned for good when `column` is [`Self::UNASSIGNED`].
    fn place(&mut self, row: Self::Index, column: Self::Index);
}

/// Augmenting row reduction over the rows in `free`; leaves in `free` the
/// rows still free, in order.
///
/// Time: one pass over a row's options per round, at most
/// `min(free rows · columns, 16 · free rows)` rounds.
pub(super) fn augmenting_row_reduction<S: RowReduction>(state: &mut S, free: &mut Vec<S::Index>) {
    let none = S::NONE;
    let count = free.len();
    let columns = state.columns();
    let mut current = 0;
    let mut kept = 0;
    let mut rounds = 0usize;
    while current < count {
        rounds += 1;
        let i = free[current];
        current += 1;
        let (u1, mut j1, u2, j2) = state.two_cheapest(i);
        if u1 == f64::INFINITY {
            // Nothing allowed: the search will find the row infeasible.
            free[kept] = i;
            kept += 1;
            continue;
        }
        if j1 == S::UNASSIGNED {
            state.place(i, j1);
            continue;
        }
        let mut displaced = state.holder(j1);
        if state.holds_one(j1) {
            let lowers = u1 < u2 && u2 < f64::INFINITY;
            if rounds < current.saturating_mul(columns)
                && rounds < ROUNDS_PER_FREE_ROW.saturating_mul(count)
            {
                if lowers {
                    state.lower(j1, u2 - u1);
                } else if displaced != none && u2 < f64::INFINITY {
                    // A tie: take the second option instead, maybe with room.
                    j1 = j2;
                    displaced = state.holder(j1);
                }
                if displaced != none {
                    if lowers {
                        // Served next, in the slot `i` came from.
                        current -= 1;
                        free[current] = displaced;
                    } else {
                        free[kept] = displaced;
                        kept += 1;
                    }
                }
            } else if displaced != none {
                free[kept] = displaced;
                kept += 1;
            }
        } else if displaced != none {
            if u1 == u2 && state.holder(j2) == none {
                j1 = j2;
                displaced = none;
            } else {
                // Full, and lowering it would loosen its other rows.
                free[kept] = i;
                kept += 1;
                continue;
            }
        }
        if displaced != none {
            state.detach(displaced);
        }
        state.place(i, j1);
    }
    free.truncate(kept);
}
