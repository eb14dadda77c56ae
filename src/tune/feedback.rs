//! Learning weights from the ratings of earlier rounds' pairs.

use rayon::prelude::*;

use super::{kendall_tau_b, simplex_grid};
use crate::score::Scorer;
use crate::{Breakdown, Cohort, Component, Weights};

/// Tau-b values closer than this count as equal when the fit picks a best.
const TIE: f64 = 1e-12;

/// The rated pairs of a cohort's history, scored with the current answers:
/// the evidence for learning weights from feedback.
///
/// Only history entries with a `rating` whose two people are still in the
/// cohort count (the cohort keeps no others). Each pair's components come
/// from the participants' answers in this file, whatever the rules say of
/// the pair now (a past pair breaks `forbid_repeat` by definition).
///
/// Agreement is Kendall's tau-b ([`kendall_tau_b`]) between the pairs'
/// scores under some weights and their ratings: rank agreement, so the
/// scale of the weights and of the ratings does not matter, and ties (five
/// rating levels) are accounted for.
///
/// ```
/// use mentor_match::{Component, Generator, Weights};
/// use mentor_match::Feedback;
///
/// let hidden = Weights::default().with(Component::Skills, 0.2).with(Component::Goals, 0.7);
/// let cohort = Generator::new(60, 120).rounds(3).rated_by(hidden, 0.01).seed(3).cohort();
/// let feedback = Feedback::new(&cohort);
/// let components = [Component::Skills, Component::Goals, Component::Availability];
/// let tuned = feedback.fit(cohort.weights(), &components, 10);
/// assert!(feedback.agreement(&tuned) > feedback.agreement(cohort.weights()));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    parts: Vec<Breakdown>,
    ratings: Vec<f64>,
    /// Per pair, its round's place in `rounds`.
    round_of: Vec<usize>,
    /// The rounds' names in order of first appearance (`None`: no name).
    rounds: Vec<Option<String>>,
}

/// The agreement of one round left out of the fit.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldOut {
    round: Option<String>,
    pairs: usize,
    weights: Weights,
    start: Option<f64>,
    tuned: Option<f64>,
}

impl HeldOut {
    /// The round's name (`None` for the entries without one).
    pub fn round(&self) -> Option<&str> {
        self.round.as_deref()
    }

    /// Rated pairs in the round.
    pub fn pairs(&self) -> usize {
        self.pairs
    }

    /// The weights fitted on the other rounds.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// Agreement of the starting (file's) weights with the round's ratings;
    /// `None` when undefined (fewer than two pairs, or all tied).
    pub fn start(&self) -> Option<f64> {
        self.start
    }

    /// Agreement of the weights fitted on the other rounds with this
    /// round's ratings; `None` when undefined.
    pub fn tuned(&self) -> Option<f64> {
        self.tuned
    }
}

/// Leave-one-round-out agreement: each round in turn is left out, weights
/// are fitted on the others, and both they and the starting weights are
/// measured on the round left out.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossCheck {
    held_out: Vec<HeldOut>,
}

impl CrossCheck {
    /// One entry per round, in order of first appearance; empty when the
    /// pairs come from fewer than two rounds.
    pub fn held_out(&self) -> &[HeldOut] {
        &self.held_out
    }

    /// The mean agreement of the starting weights over the rounds where it
    /// is defined for both; `None` when there is none.
    pub fn mean_start(&self) -> Option<f64> {
        self.mean(HeldOut::start)
    }

    /// The mean agreement of the fitted weights over the rounds where it
    /// is defined for both; `None` when there is none.
    pub fn mean_tuned(&self) -> Option<f64> {
        self.mean(HeldOut::tuned)
    }

    fn mean(&self, value: fn(&HeldOut) -> Option<f64>) -> Option<f64> {
        let defined: Vec<f64> = self
            .held_out
            .iter()
            .filter(|h| h.start.is_some() && h.tuned.is_some())
            .filter_map(value)
            .collect();
        (!defined.is_empty()).then(|| defined.iter().sum::<f64>() / defined.len() as f64)
    }
}

impl Feedback {
    /// The rated pairs of `cohort`'s history with their components under
    /// the current answers. Time `O(pairs × (topics + goals))`.
    pub fn new(cohort: &Cohort) -> Feedback {
        let scorer = Scorer::new(cohort, cohort.weights(), cohort.rules());
        let mut feedback = Feedback {
            parts: Vec::new(),
            ratings: Vec::new(),
            round_of: Vec::new(),
            rounds: Vec::new(),
        };
        for entry in cohort.history() {
            let Some(rating) = entry.rating() else {
                continue;
            };
            let (Some(mentor), Some(mentee)) = (
                cohort.mentor_places()[entry.mentor().get()],
                cohort.mentee_places()[entry.mentee().get()],
            ) else {
                continue;
            };
            let round = entry.round().map(str::to_owned);
            let place = feedback
                .rounds
                .iter()
                .position(|r| *r == round)
                .unwrap_or_else(|| {
                    feedback.rounds.push(round);
                    feedback.rounds.len() - 1
                });
            feedback
                .parts
                .push(scorer.pair(mentor.get(), mentee.get()).0);
            feedback.ratings.push(f64::from(rating));
            feedback.round_of.push(place);
        }
        feedback
    }

    /// Number of rated pairs.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether there is no rated pair.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The rounds' names, in order of first appearance (`None` for entries
    /// without a round name, which count as one round).
    pub fn rounds(&self) -> &[Option<String>] {
        &self.rounds
    }

    /// The components that take more than one value among the rated pairs,
    /// in score order: the only ones the ratings can say anything about.
    pub fn varying(&self) -> Vec<Component> {
        let all: Vec<usize> = (0..self.len()).collect();
        Component::all().filter(|&c| self.varies(c, &all)).collect()
    }

    fn varies(&self, component: Component, pairs: &[usize]) -> bool {
        let mut values = pairs.iter().map(|&k| self.parts[k].get(component));
        values
            .next()
            .is_some_and(|first| values.any(|v| v.total_cmp(&first).is_ne()))
    }

    /// Kendall's tau-b between the pairs' scores under `weights` and their
    /// ratings; `None` when undefined (fewer than two pairs, or all scores
    /// or all ratings tied). Time `O(pairs · log pairs)`.
    pub fn agreement(&self, weights: &Weights) -> Option<f64> {
        let all: Vec<usize> = (0..self.len()).collect();
        self.agreement_on(weights, &all)
    }

    /// The weights whose scores best agree with the ratings (largest
    /// tau-b), searched on a grid.
    ///
    /// `start` (the file's weights, normalised to sum 1) is where the search
    /// starts from: the `components` to tune that take more than one value
    /// among the rated pairs get the multiples of `1 / divisions` (summing
    /// to 1) of [`simplex_grid`], scaled to the share of the total that
    /// `start` gives them (all of it when `start` gives them none; the other
    /// components then get 0); every other component keeps its
    /// share of `start`, since the ratings say nothing about it. Among
    /// weights that agree equally well (within 1e-12) the one nearest to
    /// `start` (sum of absolute differences) wins, then the first on the
    /// grid. Returns `start`, normalised, when there is nothing to tune or
    /// no agreement is defined.
    ///
    /// Time: `C(divisions + k − 1, k − 1)` candidates for `k` tuned
    /// components, each `O(pairs · log pairs)`, in parallel.
    pub fn fit(&self, start: &Weights, components: &[Component], divisions: usize) -> Weights {
        let all: Vec<usize> = (0..self.len()).collect();
        self.fit_on(start, components, divisions, &all)
    }

    /// Leaves each round out in turn: fits on the others ([`Feedback::fit`])
    /// and measures both `start` and the fitted weights on the round left
    /// out. Time: one fit per round.
    pub fn cross_check(
        &self,
        start: &Weights,
        components: &[Component],
        divisions: usize,
    ) -> CrossCheck {
        let mut held_out = Vec::new();
        if self.rounds.len() >= 2 {
            for (place, round) in self.rounds.iter().enumerate() {
                let (test, train): (Vec<usize>, Vec<usize>) =
                    (0..self.len()).partition(|&k| self.round_of[k] == place);
                let weights = self.fit_on(start, components, divisions, &train);
                held_out.push(HeldOut {
                    round: round.clone(),
                    pairs: test.len(),
                    weights,
                    start: self.agreement_on(start, &test),
                    tuned: self.agreement_on(&weights, &test),
                });
            }
        }
        CrossCheck { held_out }
    }

    fn agreement_on(&self, weights: &Weights, pairs: &[usize]) -> Option<f64> {
        let scores: Vec<f64> = pairs
            .iter()
            .map(|&k| weights.score(&self.parts[k]))
            .collect();
        let ratings: Vec<f64> = pairs.iter().map(|&k| self.ratings[k]).collect();
        kendall_tau_b(&scores, &ratings)
    }

    fn fit_on(
        &self,
        start: &Weights,
        components: &[Component],
        divisions: usize,
        pairs: &[usize],
    ) -> Weights {
        let start = normalised(start);
        let tuned: Vec<Component> = Component::all()
            .filter(|c| components.contains(c))
            .filter(|&c| self.varies(c, pairs))
            .collect();
        let share: f64 = tuned.iter().map(|&c| start.get(c)).sum();
        // With no share in `start`, the tuned components take all of it.
        let (share, base) = if share > 0.0 {
            (share, start)
        } else {
            (1.0, Component::all().fold(start, |w, c| w.with(c, 0.0)))
        };
        let candidates: Vec<Weights> = simplex_grid(&tuned, divisions)
            .into_iter()
            .map(|grid| {
                tuned
                    .iter()
                    .fold(base, |w, &c| w.with(c, share * grid.get(c)))
            })
            .collect();
        let distance = |w: &Weights| -> f64 {
            Component::all()
                .map(|c| (w.get(c) - start.get(c)).abs())
                .sum()
        };
        let scored: Vec<(f64, f64)> = candidates
            .par_iter()
            .map(|w| {
                (
                    self.agreement_on(w, pairs).unwrap_or(f64::NEG_INFINITY),
                    distance(w),
                )
            })
            .collect();
        let best = scored
            .iter()
            .map(|&(tau, _)| tau)
            .fold(f64::NEG_INFINITY, f64::max);
        if best == f64::NEG_INFINITY {
            return start;
        }
        let mut chosen: Option<usize> = None;
        for (k, &(tau, far)) in scored.iter().enumerate() {
            if tau >= best - TIE && chosen.is_none_or(|c| far < scored[c].1) {
                chosen = Some(k);
            }
        }
        chosen.map_or(start, |k| candidates[k])
    }
}

/// `weights` divided by their sum (which [`Weights::check`] makes positive).
fn normalised(weights: &Weights) -> Weights {
    let sum: f64 = Component::all().map(|c| weights.get(c)).sum();
    if sum > 0.0 && sum.is_finite() {
        Component::all().fold(*weights, |w, c| w.with(c, w.get(c) / sum))
    } else {
        *weights
    }
}
