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
//! auction-like step). A chain of such displacements is cut after
//! [`CHAIN`] steps: longer chains are price wars between a few rows over
//! near-equal columns, which move potentials by tiny steps and settle no
//! row. Columns of larger capacity are taken while they have
//! room and never lowered (that would loosen their other rows); a row whose
//! cheapest option is to stay unassigned does so for good.

// Exact comparisons of reduced costs are intended: ties decide the steps.
#![allow(clippy::float_cmp)]

/// Augmenting row reduction stops after this many rounds per row it started
/// with: on matrices with many near-equal costs it turns into a long price war
/// of tiny steps, which the Dijkstra phase settles much faster.
const ROUNDS_PER_FREE_ROW: usize = 16;

/// Most displacements in one chain, from a row taken from the list to the
/// last row it displaced in turn; the row displaced last stays free for the
/// Dijkstra phase. On `mentor-like` matrices (see `benches/compare/`) chains
/// beyond a few steps are price wars: at 8,000 × 8,000, one chain ran for
/// almost 18,000 rounds and settled a single row; cut at 16, the phase left
/// fewer rows free for a fifth of the work (BENCHMARKS.md).
const CHAIN: usize = 16;

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
/// `min(free rows · columns, 16 · free rows)` rounds with lowering, then one
/// more per row left in the list.
pub(super) fn augmenting_row_reduction<S: RowReduction>(state: &mut S, free: &mut Vec<S::Index>) {
    let none = S::NONE;
    let count = free.len();
    let columns = state.columns();
    let mut current = 0;
    let mut kept = 0;
    let mut rounds = 0usize;
    // Rows taken from the list so far, and displacements in the current chain.
    let (mut taken, mut chain) = (0, 0);
    while current < count {
        rounds += 1;
        if current == taken {
            taken += 1;
            chain = 0;
        } else {
            chain += 1;
        }
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
            if chain < CHAIN
                && rounds < current.saturating_mul(columns)
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const NONE: usize = usize::MAX;
    const UNASSIGNED: usize = usize::MAX - 1;

    /// A square matrix of unit capacities, as the dense solver sees it,
    /// counting the rounds of each chain.
    struct Dense {
        costs: Vec<Vec<f64>>,
        v: Vec<f64>,
        row_of: Vec<usize>,
        column_of: Vec<usize>,
        /// The row displaced in the last round, and the length of the
        /// current chain of rows asked for one after the other, each
        /// displaced by the one before.
        displaced: usize,
        chain: usize,
        longest: usize,
    }

    impl Dense {
        fn new(costs: Vec<Vec<f64>>) -> Self {
            let n = costs.len();
            Self {
                costs,
                v: vec![0.0; n],
                row_of: vec![NONE; n],
                column_of: vec![NONE; n],
                displaced: NONE,
                chain: 0,
                longest: 0,
            }
        }

        fn reduced(&self, i: usize, j: usize) -> f64 {
            self.costs[i][j] - self.v[j]
        }
    }

    impl RowReduction for Dense {
        type Index = usize;
        const NONE: usize = NONE;
        const UNASSIGNED: usize = UNASSIGNED;

        fn columns(&self) -> usize {
            self.v.len()
        }

        fn two_cheapest(&mut self, row: usize) -> (f64, usize, f64, usize) {
            // A row displaced in the round before continues the chain.
            self.chain = if row == self.displaced {
                self.chain + 1
            } else {
                0
            };
            self.longest = self.longest.max(self.chain);
            self.displaced = NONE;
            let mut order: Vec<usize> = (0..self.v.len()).collect();
            order.sort_by(|&a, &b| self.reduced(row, a).total_cmp(&self.reduced(row, b)));
            (
                self.reduced(row, order[0]),
                order[0],
                self.reduced(row, order[1]),
                order[1],
            )
        }

        fn holds_one(&self, _: usize) -> bool {
            true
        }

        fn holder(&self, column: usize) -> usize {
            if column == UNASSIGNED {
                NONE
            } else {
                self.row_of[column]
            }
        }

        fn lower(&mut self, column: usize, by: f64) {
            self.v[column] -= by;
        }

        fn detach(&mut self, row: usize) {
            self.displaced = row;
            self.row_of[self.column_of[row]] = NONE;
            self.column_of[row] = NONE;
        }

        fn place(&mut self, row: usize, column: usize) {
            self.row_of[column] = row;
            self.column_of[row] = column;
        }
    }

    /// A seeded stream of costs in thousandths of 0 to 1.
    fn thousandths(seed: u64) -> impl FnMut() -> f64 {
        let mut next = crate::assign::xorshift(seed);
        move || f64::from(u32::try_from(next(1000)).expect("below 1000")) / 1000.0
    }

    /// Every assigned row sits at its cheapest column (complementary
    /// slackness with `u[i]` = its reduced cost there), up to the rounding
    /// of the potentials' updates; each column holds at most one row, and
    /// the free rows are exactly those the list kept.
    fn check(state: &Dense, free: &[usize]) {
        let n = state.v.len();
        for i in 0..n {
            let j = state.column_of[i];
            if j == NONE {
                assert!(free.contains(&i), "row {i} is free but not listed");
                continue;
            }
            assert_eq!(state.row_of[j], i);
            assert!(!free.contains(&i), "row {i} is assigned and listed");
            for k in 0..n {
                let (here, there) = (state.reduced(i, j), state.reduced(i, k));
                assert!(
                    here <= there + 1e-12 * here.abs().max(there.abs()),
                    "row {i} at column {j} though column {k} is cheaper: {here} > {there}"
                );
            }
        }
    }

    /// On random matrices of a thousand cost levels, chains grow long: before
    /// they were cut, 20 of these 37 matrices had a chain of more than 16
    /// displacements, up to 112 at 21 × 21.
    #[test]
    fn a_chain_of_displacements_is_cut() {
        let mut next = thousandths(0x9E37_79B9_7F4A_7C15);
        for n in 3..40 {
            let costs = (0..n).map(|_| (0..n).map(|_| next()).collect()).collect();
            let mut state = Dense::new(costs);
            let mut free: Vec<usize> = (0..n).collect();
            augmenting_row_reduction(&mut state, &mut free);
            check(&state, &free);
            assert!(
                state.longest <= CHAIN,
                "{n} x {n}: a chain of {} displacements",
                state.longest
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// On matrices with many ties (4 cost levels) or near ties (1,000,
        /// of them, maybe all within 1e-6), augmenting row reduction leaves a valid partial assignment at feasible
        /// potentials, with every chain cut at [`CHAIN`].
        #[test]
        fn row_reduction_keeps_rows_at_their_cheapest(
            n in 2usize..24,
            values in proptest::collection::vec(0u16..1000, 24 * 24),
            levels in prop_oneof![Just(4u16), Just(1000)],
            scale in prop_oneof![Just(1.0), Just(1e-9)],
        ) {
            let costs: Vec<Vec<f64>> = (0..n)
                .map(|i| {
                    (0..n)
                        .map(|j| f64::from(values[i * 24 + j] % levels) * scale)
                        .collect()
                })
                .collect();
            let mut state = Dense::new(costs);
            let mut free: Vec<usize> = (0..n).collect();
            augmenting_row_reduction(&mut state, &mut free);
            check(&state, &free);
            prop_assert!(state.longest <= CHAIN);
        }
    }
}
