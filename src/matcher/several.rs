//! Several mentors per mentee: the objectives as a min-cost flow.
//!
//! When some mentee wants more than one mentor (or already has a pinned one
//! and wants another), the assignment solvers do not apply: two copies of a
//! mentee could take the same mentor. The flow solver (`assign::flow`) takes
//! each mentee's demand, each mentor's capacity, distinct pairs, and rewards
//! per unit: a mentee's first mentor can be worth more than anyone's second.
//!
//! Weights, all exact integers (`q = round(score · SCALE)`, `P` the most
//! pairs that can be formed):
//!
//! - `total`: a pair is worth `q · (P + 1) + 1`: the sum first; among equal
//!   sums, more pairs (as with one mentor each);
//! - `coverage` and `fairness`: a pair is worth `q`, a mentee's first mentor
//!   adds `R1` and every later one `R2`, with `R2 = P · SCALE + 1` (one more
//!   pair outweighs any sum of scores) and `R1 = P · (R2 + SCALE) + 1` (one
//!   more matched mentee outweighs any number of pairs and scores). A mentee
//!   with a pinned mentor is matched already: every mentor it gets here is
//!   a later one. `fairness` first drops the pairs below its threshold.

use ndarray::Array2;

use super::{Objective, SCALE, Working, blocking, fairness_threshold};
use crate::Error;
use crate::assign::flow::{self, FlowProblem};

/// What the free mentees and the mentors have left.
pub(super) struct Places<'a> {
    /// Mentees each mentor can still take.
    pub capacity: &'a [usize],
    /// Mentors each free mentee still wants.
    pub demand: &'a [usize],
    /// Mentors each free mentee has already (pinned).
    pub held: &'a [usize],
}

/// Solves the free part of the matching: `scores` is free mentees × mentors
/// (`-inf` = infeasible or already pinned). Returns the mentors of each free
/// mentee, and the working matrix.
///
/// # Errors
///
/// [`Error::TooLarge`] when the weights of `total` would not be exact (more
/// than about a million pairs) or the flow solver's arithmetic would overflow.
pub(super) fn optimise(
    mut scores: Array2<f64>,
    places: &Places<'_>,
    objective: Objective,
    pinned_min: Option<f64>,
) -> Result<(Vec<Vec<usize>>, Working), Error> {
    let (rows, columns) = scores.dim();
    if rows == 0 || columns == 0 {
        let encoding = blocking::Encoding {
            scale: 1.0,
            offset: 0.0,
            hides: false,
        };
        return Ok((vec![Vec::new(); rows], (scores, encoding)));
    }
    let threshold = match objective {
        Objective::Fairness => threshold(&scores, places, pinned_min),
        Objective::Total | Objective::Coverage => f64::NEG_INFINITY,
    };
    let most_pairs = most_pairs(places, objective)?;
    scores.par_mapv_inplace(|score| {
        if score >= threshold && score.is_finite() {
            -pair_weight(objective, most_pairs, score)
        } else {
            f64::INFINITY
        }
    });
    let (chosen, ..) = flow_of(&scores, places, objective, most_pairs, &|_| {})?;
    #[allow(clippy::cast_precision_loss)] // exact: checked below 2^50
    let pairs = most_pairs as f64;
    // The weights above, as `blocking` reads them back.
    let encoding = match objective {
        Objective::Total => blocking::Encoding {
            scale: pairs + 1.0,
            offset: 1.0,
            hides: false,
        },
        Objective::Coverage | Objective::Fairness => blocking::Encoding {
            scale: 1.0,
            offset: 0.0,
            hides: objective == Objective::Fairness,
        },
    };
    Ok((chosen, (scores, encoding)))
}

/// The most pairs that can be formed (the demand or the capacity left,
/// whichever is smaller).
///
/// # Errors
///
/// [`Error::TooLarge`] when the weights of `total` would not be exact.
pub(super) fn most_pairs(places: &Places<'_>, objective: Objective) -> Result<usize, Error> {
    let most_pairs = places
        .demand
        .iter()
        .sum::<usize>()
        .min(places.capacity.iter().sum());
    #[allow(clippy::cast_precision_loss)] // exact: checked below 2^50
    let pairs = most_pairs as f64;
    if objective == Objective::Total && SCALE * (pairs + 1.0) + 1.0 > flow::MAX_PAIR_COST {
        return Err(Error::TooLarge {
            what: "pairs that can be formed under the total objective with several mentors per mentee",
            size: most_pairs,
            solver: "several-mentors flow",
        });
    }
    Ok(most_pairs)
}

/// The weight (maximised, before the unit rewards) of a pair of score
/// `score`, with at most `most_pairs` pairs.
pub(super) fn pair_weight(objective: Objective, most_pairs: usize, score: f64) -> f64 {
    #[allow(clippy::cast_precision_loss)] // exact: checked below 2^50
    let pairs = most_pairs as f64;
    let quantised = (score * SCALE).round();
    match objective {
        Objective::Total => quantised * (pairs + 1.0) + 1.0,
        Objective::Coverage | Objective::Fairness => quantised,
    }
}

/// What [`flow_of`] returns: the mentors of each free mentee, the flow,
/// and the unit costs it was solved with.
pub(super) type Solved = (Vec<Vec<usize>>, flow::Flow, Vec<i128>);

/// Solves the flow on `costs` (the negated pair weights, `+inf` for a pair
/// not allowed): the mentors of each free mentee, the flow (with its
/// potentials) and the unit costs it was solved with.
///
/// `settled` is told how far the flow has come, in rows settled (rising,
/// ending with all of them; see [`flow::solve_reporting`]): the scale path
/// feeds the solving stage's counter.
///
/// # Errors
///
/// [`Error::TooLarge`] when the flow solver's arithmetic would overflow.
pub(super) fn flow_of(
    costs: &dyn crate::Costs,
    places: &Places<'_>,
    objective: Objective,
    most_pairs: usize,
    settled: &dyn Fn(usize),
) -> Result<Solved, Error> {
    let rows = costs.rows();
    let units = places
        .demand
        .iter()
        .zip(places.held)
        .map(|(&demand, &held)| demand + held)
        .max()
        .unwrap_or(0);
    let unit_cost: Vec<i128> = match objective {
        Objective::Total => vec![0; units],
        Objective::Coverage | Objective::Fairness => {
            let pairs = i128::try_from(most_pairs).unwrap_or(i128::MAX);
            #[allow(clippy::cast_possible_truncation)] // SCALE is 10^9
            let scale = SCALE as i128;
            let later = pairs.saturating_mul(scale).saturating_add(1);
            let first = pairs
                .saturating_mul(later.saturating_add(scale))
                .saturating_add(1);
            (0..units)
                .map(|k| if k == 0 { -first } else { -later })
                .collect()
        }
    };
    let problem = FlowProblem {
        costs,
        capacity: places.capacity,
        demand: places.demand,
        unit_cost: &unit_cost,
        used: places.held,
    };
    let found = flow::solve_reporting(&problem, settled)?;
    let chosen = (0..rows)
        .map(|row| found.columns_of(row).to_vec())
        .collect();
    Ok((chosen, found, unit_cost))
}

/// The fairness threshold with several mentors: the largest `t` such that
/// pairs scoring at least `t` still match as many of the mentees without a
/// mentor as all feasible pairs do, capped at the smallest pinned score.
/// Mentees with a pinned mentor are matched already; their further mentors
/// must not score below the minimum either.
fn threshold(scores: &Array2<f64>, places: &Places<'_>, pinned_min: Option<f64>) -> f64 {
    let unmatched: Vec<usize> = (0..scores.nrows())
        .filter(|&row| places.held[row] == 0)
        .collect();
    let cap = pinned_min.unwrap_or(1.0);
    let reachable = unmatched.iter().any(|&row| {
        scores
            .row(row)
            .iter()
            .zip(places.capacity)
            .any(|(score, &capacity)| score.is_finite() && capacity > 0)
    });
    if !reachable {
        // No mentee without a mentor can get one: the minimum is the
        // pinned pairs', and no further pair may go below it.
        return cap;
    }
    // The search reads costs: the negated scores (exact), `+inf` infeasible.
    let costs = scores
        .select(ndarray::Axis(0), &unmatched)
        .mapv_into(|score| -score);
    fairness_threshold(&costs, places.capacity, pinned_min)
}
