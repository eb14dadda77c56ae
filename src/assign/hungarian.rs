//! The reference solver: the `pathfinding` crate's Hungarian algorithm
//! (`kuhn_munkres`) on an integer view of a [`DenseProblem`].
//!
//! `kuhn_munkres` maximises the weight of a matching that assigns every row, on
//! a matrix with no more rows than columns, in integers. The view below turns a
//! problem into that shape without copying a row per capacity slot:
//!
//! - column `j` of capacity `k` becomes `k` slots, each looked up through an
//!   index vector (`slot_column`);
//! - when rows may stay unassigned, one "unassigned" column per row follows the
//!   slots, all with the same weight;
//! - when every row must be assigned and there are fewer slots than rows,
//!   forbidden padding columns make the matrix wide enough;
//! - weights are `top - cost` (so that maximising minimises), and a forbidden
//!   pair weighs `-big`. When rows may stay unassigned, `-1` is enough (a free
//!   unassigned column is always better); otherwise `big` exceeds `rows` times
//!   the weight range, so that an optimum uses as few forbidden pairs as
//!   possible: the number it uses is exactly the number of rows that no
//!   assignment avoiding them can place, which is what [`Error::Infeasible`]
//!   reports.
//!
//! `kuhn_munkres` would loop forever on non-finite weights and panics on
//! overflow, so costs are checked and the size of every label it can compute
//! bounded before it runs.

use pathfinding::kuhn_munkres::{Weights, kuhn_munkres};

use super::DenseProblem;
use crate::Error;

/// Largest magnitude at which every integer is an `f64`.
const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53

/// Bound on `(rows + columns)² · weight range`, well inside `i128`: the labels of
/// `kuhn_munkres` stay within `(rows + columns) · range` and their sums within
/// `(rows + columns)² · range`. Weights are `i128` so that the matcher's
/// cardinality-first weights (about `rows · 10⁹`) fit for any cohort size.
const LABEL_BUDGET: u128 = 1 << 125;

/// The integer matrix `kuhn_munkres` sees, borrowed.
#[derive(Clone, Copy)]
struct SlotWeights<'a> {
    /// Weights of the real columns, rows × `columns`, row-major.
    weights: &'a [i128],
    /// Number of real columns.
    columns: usize,
    /// Real column of each capacity slot.
    slot_column: &'a [usize],
    /// Number of extra (unassigned or padding) columns after the slots.
    extra: usize,
    /// Weight of every extra column.
    extra_weight: i128,
    rows: usize,
    negated: bool,
}

impl Weights<i128> for SlotWeights<'_> {
    fn rows(&self) -> usize {
        self.rows
    }

    fn columns(&self) -> usize {
        self.slot_column.len() + self.extra
    }

    fn at(&self, row: usize, col: usize) -> i128 {
        let weight = match self.slot_column.get(col) {
            Some(&column) => self.weights[row * self.columns + column],
            None => self.extra_weight,
        };
        if self.negated { -weight } else { weight }
    }

    fn neg(&self) -> Self {
        Self {
            negated: !self.negated,
            ..*self
        }
    }
}

/// Solves `problem` with `kuhn_munkres`: the column of each row, `None` when unassigned.
///
/// `O(n² (s + e))` for `n` rows, `s` capacity slots (capacities clamped to `n`)
/// and `e` extra columns (`n` when rows may stay unassigned).
///
/// # Errors
///
/// [`Error::Infeasible`] when every row must be assigned and cannot be;
/// [`Error::TooLarge`] when the integer labels could overflow.
pub(super) fn solve(problem: &DenseProblem<'_>) -> Result<Vec<Option<usize>>, Error> {
    let (rows, columns) = problem.costs.dim();
    let unmatched = problem.unmatched();

    let slot_column: Vec<usize> = problem
        .capacity
        .iter()
        .enumerate()
        .flat_map(|(column, &capacity)| std::iter::repeat_n(column, capacity.min(rows)))
        .collect();
    let slots = slot_column.len();
    let extra = match unmatched {
        Some(_) => rows,
        None => rows.saturating_sub(slots),
    };
    let any_forbidden =
        problem.costs.iter().any(|c| c.is_infinite()) || (unmatched.is_none() && extra > 0);

    let scale = Scale::choose(problem, unmatched, rows + slots + extra, any_forbidden)?;
    let top = scale.top;
    let weight = |cost: f64| i128::from(top) - i128::from(scale.apply(cost));
    let big = if any_forbidden { scale.big } else { 0 };

    let weights: Vec<i128> = problem
        .costs
        .iter()
        .map(|&c| if c.is_finite() { weight(c) } else { -big })
        .collect();
    let view = SlotWeights {
        weights: &weights,
        columns,
        slot_column: &slot_column,
        extra,
        extra_weight: unmatched.map_or(-big, weight),
        rows,
        negated: false,
    };
    let (_, mates) = kuhn_munkres(&view);

    let mut placed = 0;
    let assignment: Vec<Option<usize>> = mates
        .iter()
        .enumerate()
        .map(|(row, &slot)| {
            let column = slot_column.get(slot).copied()?;
            problem.costs[[row, column]].is_finite().then_some(column)
        })
        .inspect(|column| placed += usize::from(column.is_some()))
        .collect();
    if unmatched.is_none() && placed < rows {
        return Err(Error::Infeasible {
            required: rows,
            possible: placed,
        });
    }
    Ok(assignment)
}

/// How costs become integers: `round(cost · 2^shift)`, and the constants that
/// keep every label of `kuhn_munkres` inside `i128`.
struct Scale {
    /// Power of two applied to the costs.
    factor: f64,
    /// Largest scaled cost (including the unmatched cost): weights are `top - scaled`.
    top: i64,
    /// Magnitude of a forbidden weight: more than `rows` times the weight range.
    big: i128,
}

impl Scale {
    /// Chooses the scale for `problem`, with `size` = rows + columns of the view.
    fn choose(
        problem: &DenseProblem<'_>,
        unmatched: Option<f64>,
        size: usize,
        any_forbidden: bool,
    ) -> Result<Self, Error> {
        let rows = problem.costs.nrows();
        let finite = || {
            problem
                .costs
                .iter()
                .copied()
                .filter(|c| c.is_finite())
                .chain(unmatched)
        };
        let (low, high) = finite().fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), c| {
            (low.min(c), high.max(c))
        });
        let too_large = || Error::TooLarge {
            what: "the assignment size (rows plus columns) at this cost range",
            size,
            solver: "hungarian",
        };
        if low > high {
            // No finite cost at all: every pair is forbidden.
            return Ok(Self {
                factor: 1.0,
                top: 0,
                big: 1,
            });
        }
        let magnitude = low.abs().max(high.abs());
        let integral = finite().all(|c| c.fract() == 0.0) && magnitude < EXACT;
        let shift = if integral {
            0
        } else {
            // Largest shift keeping scaled costs exact-ish (below 2^52) and the
            // labels in budget; the budget check below is exact.
            let size = size as f64;
            let range = (high - low).max(f64::MIN_POSITIVE);
            let forbidden_factor = if any_forbidden {
                rows as f64 + 2.0
            } else {
                1.0
            };
            let by_magnitude = (EXACT / 2.0 / magnitude.max(f64::MIN_POSITIVE))
                .log2()
                .floor();
            let by_budget = ((LABEL_BUDGET as f64) / (size * size * forbidden_factor * range))
                .log2()
                .floor()
                - 1.0;
            let shift = by_magnitude.min(by_budget).min(1000.0);
            if shift < 0.0 {
                return Err(too_large());
            }
            #[allow(clippy::cast_possible_truncation)]
            let shift = shift as i32;
            shift
        };
        let factor = 2f64.powi(shift);
        #[allow(clippy::cast_possible_truncation)]
        let (low, top) = (
            (low * factor).round() as i64,
            (high * factor).round() as i64,
        );
        let range = u128::from(top.abs_diff(low));
        let big = match (any_forbidden, unmatched) {
            (false, _) => 0,
            // An unassigned column is always free, and better than a forbidden pair.
            (true, Some(_)) => 1,
            (true, None) => (rows as u128 + 1) * range + 1,
        };
        let width = range + big + 1;
        let size = size as u128;
        if size.saturating_mul(size).saturating_mul(width) > LABEL_BUDGET {
            return Err(too_large());
        }
        Ok(Self {
            factor,
            top,
            big: i128::try_from(big).map_err(|_| too_large())?,
        })
    }

    /// The scaled integer cost.
    #[allow(clippy::cast_possible_truncation)]
    fn apply(&self, cost: f64) -> i64 {
        (cost * self.factor).round() as i64
    }
}
