//! Weight tuning: what other weights would give, and which weights agree
//! with how earlier pairs rated their rounds.
//!
//! - [`Tuner`] computes every pair's score components once and then solves
//!   the cohort's matching under any number of candidate [`Weights`]
//!   (re-weighing, not re-scoring), measuring each with [`Metrics`];
//!   [`simplex_grid`] lists candidates, [`Goals`] states what the organiser
//!   wants (constraints and metrics to maximise) and keeps the Pareto front
//!   ([`pareto_front`]).
//! - [`Feedback`] reads the rated pairs of the history and finds the weights
//!   whose scores best agree with the ratings ([`kendall_tau_b`]), checked
//!   round by round on rounds left out of the fit.

mod feedback;
mod grid;
mod kendall;
mod pareto;
mod tuner;

use std::fmt;
use std::str::FromStr;

pub use feedback::{CrossCheck, Feedback, HeldOut};
pub use grid::simplex_grid;
pub use kendall::kendall_tau_b;
pub use pareto::pareto_front;
pub use tuner::Tuner;

use crate::Error;

/// A measure of a matching, as the result's quality metrics define it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Metric {
    /// Matched mentees over mentees.
    MatchedShare,
    /// The number of pairs.
    Pairs,
    /// The sum of the pair scores (under the weights being measured).
    TotalScore,
    /// The mean pair score (under the weights being measured).
    MeanScore,
    /// The smallest pair score (under the weights being measured).
    MinScore,
    /// The mean topic coverage of the pairs: per pair, the share of the
    /// mentee's priorities `Σ_t s[t]·[e[t] > c[t]] / Σ_t s[t]` on topics
    /// where the mentor's expertise exceeds the mentee's level.
    TopicCoverage,
    /// The mean `goals` component of the pairs.
    GoalAlignment,
}

/// Every metric with its name, in display order.
const METRICS: [(Metric, &str); 7] = [
    (Metric::MatchedShare, "matched_share"),
    (Metric::Pairs, "pairs"),
    (Metric::TotalScore, "total_score"),
    (Metric::MeanScore, "mean_score"),
    (Metric::MinScore, "min_score"),
    (Metric::TopicCoverage, "topic_coverage"),
    (Metric::GoalAlignment, "goal_alignment"),
];

impl Metric {
    /// Every metric, in display order.
    pub fn all() -> impl ExactSizeIterator<Item = Metric> + Clone {
        METRICS.iter().map(|&(metric, _)| metric)
    }

    /// The metric's name, as in the result's `quality` object (for example
    /// `"topic_coverage"`).
    pub fn name(self) -> &'static str {
        METRICS[self as usize].1
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Metric {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let names = METRICS.map(|(metric, known)| (known, metric));
        Error::by_name(
            "metric",
            name,
            &names,
            "matched_share, pairs, total_score, mean_score, min_score, \
             topic_coverage or goal_alignment",
        )
    }
}

/// The metrics of one matching; a mean or share is `None` where its
/// denominator is 0 (no mentees, no pairs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    pub(crate) mentees: usize,
    pub(crate) matched: usize,
    pub(crate) pairs: usize,
    pub(crate) total_score: f64,
    pub(crate) min_score: Option<f64>,
    pub(crate) coverage_sum: f64,
    pub(crate) goals_sum: f64,
}

impl Metrics {
    /// The value of `metric`, `None` where its denominator is 0.
    pub fn get(&self, metric: Metric) -> Option<f64> {
        let mean = |sum: f64| (self.pairs > 0).then(|| sum / self.pairs as f64);
        match metric {
            Metric::MatchedShare => {
                (self.mentees > 0).then(|| self.matched as f64 / self.mentees as f64)
            }
            Metric::Pairs => Some(self.pairs as f64),
            Metric::TotalScore => Some(self.total_score),
            Metric::MeanScore => mean(self.total_score),
            Metric::MinScore => self.min_score,
            Metric::TopicCoverage => mean(self.coverage_sum),
            Metric::GoalAlignment => mean(self.goals_sum),
        }
    }

    /// Matched mentees (with at least one mentor).
    pub fn matched(&self) -> usize {
        self.matched
    }

    /// The number of pairs.
    pub fn pairs(&self) -> usize {
        self.pairs
    }
}

/// What an organiser wants of a matching: constraints (a metric at least a
/// value) and metrics to maximise together.
///
/// ```
/// use mentor_match::{Goals, Metric};
///
/// // "Everyone matched, topic coverage at least 0.7, then the best worst pair."
/// let goals = Goals::new()
///     .at_least(Metric::MatchedShare, 1.0)
///     .at_least(Metric::TopicCoverage, 0.7)
///     .maximise(Metric::MinScore);
/// assert_eq!(goals.objectives(), [Metric::MinScore]);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Goals {
    at_least: Vec<(Metric, f64)>,
    maximise: Vec<Metric>,
}

impl Goals {
    /// No constraints and nothing to maximise (every setting is on the front).
    pub fn new() -> Goals {
        Goals::default()
    }

    /// Requires `metric >= value` (none by default). A setting whose metric
    /// is undefined (`None`) does not meet it.
    #[must_use]
    pub fn at_least(mut self, metric: Metric, value: f64) -> Self {
        self.at_least.push((metric, value));
        self
    }

    /// Adds `metric` to the objectives maximised together (none by default;
    /// a metric named twice counts once).
    #[must_use]
    pub fn maximise(mut self, metric: Metric) -> Self {
        if !self.maximise.contains(&metric) {
            self.maximise.push(metric);
        }
        self
    }

    /// The constraints, in the order given.
    pub fn constraints(&self) -> &[(Metric, f64)] {
        &self.at_least
    }

    /// The objectives, in the order given.
    pub fn objectives(&self) -> &[Metric] {
        &self.maximise
    }

    /// Whether `metrics` meet every constraint.
    pub fn admits(&self, metrics: &Metrics) -> bool {
        self.at_least
            .iter()
            .all(|&(metric, value)| metrics.get(metric).is_some_and(|x| x >= value))
    }

    /// The positions, in input order, of the settings that meet every
    /// constraint and are not dominated, over the objectives, by another
    /// that does (an undefined metric counts as the worst value). Time as
    /// [`pareto_front`]'s.
    pub fn front(&self, metrics: &[Metrics]) -> Vec<usize> {
        let admitted: Vec<usize> = (0..metrics.len())
            .filter(|&k| self.admits(&metrics[k]))
            .collect();
        let points: Vec<Vec<f64>> = admitted
            .iter()
            .map(|&k| {
                self.maximise
                    .iter()
                    .map(|&m| metrics[k].get(m).unwrap_or(f64::NEG_INFINITY))
                    .collect()
            })
            .collect();
        pareto_front(&points)
            .into_iter()
            .map(|k| admitted[k])
            .collect()
    }
}
