//! Matchings under other weights, from score components computed once.

use rayon::prelude::*;

use super::Metrics;
use crate::score::Scorer;
use crate::{
    Breakdown, Cohort, Component, Error, MenteeIndex, MentorIndex, Objective, Rule, Weights,
};

/// Solves a cohort's matching under candidate weights without scoring
/// again: every pair's components are computed once, and each candidate
/// re-weighs them (`score = Σ w_c·x_c / Σ w_c`, bit for bit the scorer's).
///
/// A candidate is solved exactly as [`crate::Matcher::solve`] would with
/// those weights: the file's rules (the `min_score` rule is applied to the
/// re-weighed score), capacities, pinned pairs, `mentors_wanted`, and the
/// objective (the file's unless [`Tuner::objective`] sets another), with the
/// default solver.
///
/// Memory: 40 bytes per mentor–mentee pair (the components; 88 while they
/// are computed), plus a solve's working matrix per candidate solved at the
/// same time. No memory limit is applied: at 1,000 per side this is about
/// 100 MB in all.
///
/// ```
/// use mentor_match::{Cohort, Component, Metric, Tuner, Weights};
///
/// let cohort: Cohort = r#"{
///   "questionnaire": {"topics": [{"id": "rust", "label": "Rust"}],
///                     "goals": [{"id": "career", "label": "Career"}, {"id": "craft", "label": "Craft"}]},
///   "participants": [
///     {"id": "ana", "role": "mentor", "offers": {"rust": 5}, "goals": {"career": 5}},
///     {"id": "olu", "role": "mentor", "offers": {"rust": 3}, "goals": {"craft": 5}},
///     {"id": "ben", "role": "mentee", "seeks": {"rust": 4}, "level": {"rust": 2}, "goals": {"craft": 4}}
///   ]
/// }"#.parse()?;
/// let tuner = Tuner::new(&cohort);
/// let skills = Weights::default().with(Component::Goals, 0.0);
/// let goals = Weights::default().with(Component::Skills, 0.0);
/// // Ana teaches more Rust; Olu shares Ben's goal.
/// assert_eq!(tuner.evaluate(&skills)?.get(Metric::GoalAlignment), Some(0.0));
/// assert_eq!(tuner.evaluate(&goals)?.get(Metric::GoalAlignment), Some(1.0));
/// # Ok::<(), mentor_match::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Tuner<'c> {
    cohort: &'c Cohort,
    objective: Objective,
    /// Per component in score order, per mentee, per mentor (mentee-major):
    /// the pair's component, NaN where a rule other than `min_score` rules
    /// the pair out. One array per component, so that a weight of 0 skips
    /// its array (adding `+0·x = +0` to a sum `>= +0` changes no bit).
    parts: [Vec<f64>; PARTS],
    mentors: usize,
    /// The components of each pinned pair (which may break rules).
    pinned: Vec<(usize, usize, [f64; PARTS])>,
}

/// Number of score components.
const PARTS: usize = 5;

/// A breakdown's components in score order.
fn values(parts: &Breakdown) -> [f64; PARTS] {
    let mut values = [0.0; PARTS];
    for (value, (_, x)) in values.iter_mut().zip(parts.iter()) {
        *value = x;
    }
    values
}

/// A weighting as the components' weights in score order, and their sum.
fn weighting(weights: &Weights) -> ([f64; PARTS], f64) {
    let mut values = [0.0; PARTS];
    for (value, component) in values.iter_mut().zip(Component::all()) {
        *value = weights.get(component);
    }
    // Left to right, as `Weights::score` sums them.
    let sum = values.iter().fold(0.0, |sum, &w| sum + w);
    (values, sum)
}

/// `Weights::score`, bit for bit: the numerator left to right in score order
/// from +0, over the sum of the weights.
#[inline]
fn score(weights: &[f64; PARTS], sum: f64, parts: &[f64; PARTS]) -> f64 {
    let mut weighted = 0.0;
    for k in 0..PARTS {
        weighted += weights[k] * parts[k];
    }
    weighted / sum
}

impl<'c> Tuner<'c> {
    /// Computes the components of every pair of `cohort`, in parallel over
    /// mentees. Time `O(mentors × mentees × (topics + goals))`, as scoring.
    pub fn new(cohort: &'c Cohort) -> Tuner<'c> {
        // `min_score` 0 rules nothing out: each candidate applies the file's
        // own limit to its own scores.
        let rules = cohort.rules().with_limit(Rule::MinScore, 0.0);
        let scorer = Scorer::new(cohort, cohort.weights(), &rules);
        let rows: Vec<Vec<(Breakdown, bool)>> = (0..cohort.mentees().len())
            .into_par_iter()
            .map(|mentee| scorer.mentee_breakdowns(mentee))
            .collect();
        let mentors = cohort.mentors().len();
        let mut parts: [Vec<f64>; PARTS] =
            std::array::from_fn(|_| Vec::with_capacity(rows.len() * mentors));
        for (breakdown, allowed) in rows.iter().flatten() {
            let pair = if *allowed {
                values(breakdown)
            } else {
                [f64::NAN; PARTS]
            };
            for (component, value) in parts.iter_mut().zip(pair) {
                component.push(value);
            }
        }
        drop(rows);
        let pinned = cohort
            .pinned()
            .iter()
            .map(|&(mentor, mentee)| {
                let parts = scorer.pair(mentor.get(), mentee.get()).0;
                (mentor.get(), mentee.get(), values(&parts))
            })
            .collect();
        Tuner {
            cohort,
            objective: cohort.objective(),
            parts,
            mentors,
            pinned,
        }
    }

    /// The components that take more than one value among the pairs no
    /// rule (but `min_score`) rules out, in score order. The weight of any
    /// other component only shifts and rescales every feasible score alike,
    /// so a search can leave it out. Time `O(mentors × mentees)`.
    pub fn varying(&self) -> Vec<Component> {
        Component::all()
            .zip(&self.parts)
            .filter(|(_, part)| {
                let mut values = part.iter().filter(|x| !x.is_nan());
                values
                    .next()
                    .is_some_and(|first| values.any(|x| x.total_cmp(first).is_ne()))
            })
            .map(|(component, _)| component)
            .collect()
    }

    /// Sets the objective every candidate is solved for (default: the
    /// file's).
    #[must_use]
    pub fn objective(mut self, objective: Objective) -> Self {
        self.objective = objective;
        self
    }

    /// The metrics of the matching under `weights`.
    ///
    /// Time: re-weighing every pair (`O(mentors × mentees)`, in parallel),
    /// then the matcher's solve.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] or [`Error::WeightSum`] for bad weights; the
    /// matcher's errors for a problem too large for its arithmetic.
    pub fn evaluate(&self, weights: &Weights) -> Result<Metrics, Error> {
        let mentors_of = self.solve(weights)?;
        Ok(self.measure(weights, &mentors_of))
    }

    /// The metrics of every candidate, in order, solved in parallel.
    ///
    /// # Errors
    ///
    /// The first error of [`Tuner::evaluate`], in candidate order.
    pub fn explore(&self, candidates: &[Weights]) -> Result<Vec<Metrics>, Error> {
        candidates
            .par_iter()
            .map(|weights| self.evaluate(weights))
            .collect()
    }

    /// Every mentee's mentors under `weights` (pinned ones included).
    fn solve(&self, weights: &Weights) -> Result<Vec<Vec<usize>>, Error> {
        weights.check()?;
        let cohort = self.cohort;
        let min_score = cohort.rules().min_score();
        let (w, sum) = weighting(weights);
        let pinned_min = self
            .pinned
            .iter()
            .map(|(_, _, parts)| score(&w, sum, parts))
            .reduce(f64::min);
        let matcher = cohort.matcher().objective(self.objective).weights(*weights);
        let used: Vec<(f64, &[f64])> = w
            .iter()
            .zip(&self.parts)
            .filter(|&(&weight, _)| weight != 0.0)
            .map(|(&weight, part)| (weight, part.as_slice()))
            .collect();
        let mentors = self.mentors;
        matcher.choose(
            |mentee, row| {
                // `score`, one component at a time over the row: the same
                // additions in the same order, without the terms of weight 0.
                row.fill(0.0);
                for &(weight, part) in &used {
                    let part = &part[mentee * mentors..][..mentors];
                    for (entry, &x) in row.iter_mut().zip(part) {
                        *entry += weight * x;
                    }
                }
                for entry in row.iter_mut() {
                    let value = *entry / sum;
                    // The `min_score` rule: infeasible when below, exactly
                    // (and NaN, a pair another rule rules out, never passes).
                    *entry = if value >= min_score {
                        value
                    } else {
                        f64::NEG_INFINITY
                    };
                }
            },
            pinned_min,
        )
    }

    /// The metrics of a matching, summed over its pairs in result order
    /// (mentees in file order, each one's mentors in file order).
    fn measure(&self, weights: &Weights, mentors_of: &[Vec<usize>]) -> Metrics {
        let (w, sum) = weighting(weights);
        let mut metrics = Metrics {
            mentees: mentors_of.len(),
            matched: 0,
            pairs: 0,
            total_score: 0.0,
            min_score: None,
            coverage_sum: 0.0,
            goals_sum: 0.0,
        };
        for (mentee, mentors) in mentors_of.iter().enumerate() {
            if mentors.is_empty() {
                continue;
            }
            metrics.matched += 1;
            let mut mentors = mentors.clone();
            mentors.sort_unstable();
            for mentor in mentors {
                // A pinned pair may break rules: its own components.
                let parts = self
                    .pinned
                    .iter()
                    .find(|&&(i, j, _)| (i, j) == (mentor, mentee))
                    .map_or_else(|| self.pair(mentor, mentee), |&(_, _, parts)| parts);
                let score = score(&w, sum, &parts);
                metrics.pairs += 1;
                metrics.total_score += score;
                metrics.min_score = Some(metrics.min_score.map_or(score, |m: f64| m.min(score)));
                metrics.coverage_sum += crate::topic_coverage(
                    self.cohort.mentor(MentorIndex::new(mentor)),
                    self.cohort.mentee(MenteeIndex::new(mentee)),
                )
                .unwrap_or(0.0);
                metrics.goals_sum += parts[Component::Goals as usize];
            }
        }
        metrics
    }

    /// The stored components of one pair.
    fn pair(&self, mentor: usize, mentee: usize) -> [f64; PARTS] {
        std::array::from_fn(|k| self.parts[k][mentee * self.mentors + mentor])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn re_weighing_is_the_scorers_score_bit_for_bit() {
        assert_eq!(Component::all().len(), PARTS);
        let cohort = crate::Generator::new(30, 40).seed(5).cohort();
        let tuner = Tuner::new(&cohort);
        let scorer = Scorer::new(&cohort, cohort.weights(), cohort.rules());
        for weights in crate::simplex_grid(&Component::all().collect::<Vec<_>>(), 3) {
            let (w, sum) = weighting(&weights);
            for mentee in 0..40 {
                for mentor in 0..30 {
                    let parts = &tuner.pair(mentor, mentee);
                    let breakdown = scorer.pair(mentor, mentee).0;
                    let expected = weights.score(&breakdown);
                    if parts[0].is_nan() {
                        assert!(!scorer.pair(mentor, mentee).2.is_empty());
                    } else {
                        assert_eq!(score(&w, sum, parts).to_bits(), expected.to_bits());
                    }
                }
            }
        }
    }
}
