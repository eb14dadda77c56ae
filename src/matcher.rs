//! The matcher: adapts a cohort to an assignment problem (capacities,
//! objectives, pinned pairs), solves it exactly and explains the result.

mod cardinality;

use std::fmt;
use std::str::FromStr;

use ndarray::{Array2, Zip};
use serde::{Deserialize, Serialize};

use crate::assign::{self, Problem};
use crate::matching::{Pair, Reason, Unmatched};
use crate::score::Scorer;
use crate::{Cohort, Error, Matching, Rule, Rules, Solver, Weights};

/// What the matching optimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// Maximise the sum of pair scores.
    Total,
    /// Maximise the number of matched mentees, then the sum of scores (the default).
    #[default]
    Coverage,
    /// Maximise the number of matched mentees, then the smallest pair score,
    /// then the sum of scores.
    Fairness,
}

impl Objective {
    /// The objective's name in files and results.
    pub fn name(self) -> &'static str {
        match self {
            Objective::Total => "total",
            Objective::Coverage => "coverage",
            Objective::Fairness => "fairness",
        }
    }
}

impl fmt::Display for Objective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Objective {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "total" => Ok(Objective::Total),
            "coverage" => Ok(Objective::Coverage),
            "fairness" => Ok(Objective::Fairness),
            other => Err(Error::UnknownName {
                what: "objective",
                found: other.to_owned(),
                expected: "total, coverage or fairness",
            }),
        }
    }
}

/// Scores are quantised to integers `round(score · SCALE)` for the exact
/// integer arithmetic of the assignment: each pair's score is off by at most
/// `0.5 / SCALE = 5e-10`, so the optimum found is within `1e-9` per pair of the
/// `f64` optimum.
pub const SCALE: f64 = 1e9;

/// Default limit of the memory the matcher's working matrix may take: 8 GiB.
pub const DEFAULT_MEMORY_LIMIT: u64 = 8 << 30;

/// Builds and solves one matching of a cohort; start it with [`Cohort::matcher`].
///
/// Every setting starts from the cohort file (objective, rules, weights) or
/// the crate default (solver, memory limit).
///
/// ```
/// use mentor_match::{Cohort, Objective};
///
/// let cohort: Cohort = r#"{
///   "questionnaire": {"topics": [{"id": "rust", "label": "Rust"}, {"id": "sql", "label": "SQL"}]},
///   "participants": [
///     {"id": "ana", "role": "mentor", "offers": {"rust": 5}},
///     {"id": "olu", "role": "mentor", "offers": {"sql": 4}},
///     {"id": "ben", "role": "mentee", "seeks": {"sql": 3}},
///     {"id": "cy", "role": "mentee", "seeks": {"rust": 5, "sql": 1}}
///   ]
/// }"#.parse()?;
/// let matching = cohort.matcher().objective(Objective::Fairness).solve()?;
/// assert_eq!(matching.mentor_of("ben"), Some("olu"));
/// assert_eq!(matching.mentor_of("cy"), Some("ana"));
/// # Ok::<(), mentor_match::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Matcher<'c> {
    cohort: &'c Cohort,
    objective: Objective,
    solver: Solver,
    rules: Rules,
    weights: Weights,
    memory_limit: u64,
}

impl<'c> Matcher<'c> {
    pub(crate) fn new(cohort: &'c Cohort) -> Matcher<'c> {
        Matcher {
            cohort,
            objective: cohort.objective(),
            solver: Solver::default(),
            rules: *cohort.rules(),
            weights: *cohort.weights(),
            memory_limit: DEFAULT_MEMORY_LIMIT,
        }
    }

    /// Sets the objective (default: the file's, else coverage).
    #[must_use]
    pub fn objective(mut self, objective: Objective) -> Self {
        self.objective = objective;
        self
    }

    /// Sets the solver (default: [`Solver::default`]).
    #[must_use]
    pub fn solver(mut self, solver: Solver) -> Self {
        self.solver = solver;
        self
    }

    /// Sets the rules (default: the file's).
    #[must_use]
    pub fn rules(mut self, rules: Rules) -> Self {
        self.rules = rules;
        self
    }

    /// Sets the weights (default: the file's).
    #[must_use]
    pub fn weights(mut self, weights: Weights) -> Self {
        self.weights = weights;
        self
    }

    /// Sets the most memory, in bytes, the working matrices may take (default
    /// [`DEFAULT_MEMORY_LIMIT`]). The matcher needs about 8 bytes per
    /// mentor–mentee pair, 24 with [`Solver::Hungarian`]; see
    /// [`Matcher::estimate_bytes`].
    #[must_use]
    pub fn memory_limit(mut self, bytes: u64) -> Self {
        self.memory_limit = bytes;
        self
    }

    /// Bytes the working matrices of this matching would take: 8 per free
    /// mentee–mentor pair, and 16 more with [`Solver::Hungarian`] (its
    /// integer copy of the weights).
    pub fn estimate_bytes(&self) -> u64 {
        let pinned = self.cohort.pinned().len();
        let free = (self.cohort.mentees().len() - pinned) as u64;
        let per_pair = match self.solver {
            Solver::Hungarian => 24,
            _ => 8,
        };
        free * self.cohort.mentors().len() as u64 * per_pair
    }

    /// Finds an optimal matching and explains it.
    ///
    /// Time: scoring `O(mentors × mentees × (topics + goals))` in parallel,
    /// then the assignment (cubic in the worst case); the fairness objective
    /// adds a search of at most 64 maximum-cardinality matchings. The same
    /// input gives the same pairs on every run and any number of threads.
    ///
    /// # Errors
    ///
    /// [`Error::MemoryLimit`] when the working matrix would exceed the memory
    /// limit; [`Error::TooLarge`] when the problem is too large for the
    /// integer arithmetic of [`Solver::Hungarian`].
    ///
    /// # Panics
    ///
    /// Only on a bug: the solvers never return an infeasible answer here.
    pub fn solve(&self) -> Result<Matching, Error> {
        Error::check_memory(
            "the matching's score matrix",
            self.estimate_bytes(),
            self.memory_limit,
        )?;
        let cohort = self.cohort;
        let scorer = Scorer::new(cohort, &self.weights, &self.rules);
        let mentors = cohort.mentors().len();
        let mentees = cohort.mentees().len();

        let mut pinned_mentor = vec![None; mentees];
        let mut capacity: Vec<usize> = cohort
            .mentors()
            .iter()
            .map(|&p| {
                usize::try_from(cohort.participants()[p].capacity())
                    .map_or(mentees, |c| c.min(mentees))
            })
            .collect();
        for &(mentor, mentee) in cohort.pinned() {
            pinned_mentor[mentee] = Some(mentor);
            capacity[mentor] -= 1;
        }
        let free: Vec<usize> = (0..mentees)
            .filter(|&j| pinned_mentor[j].is_none())
            .collect();
        let pinned_min = cohort
            .pinned()
            .iter()
            .map(|&(mentor, mentee)| scorer.pair(mentor, mentee).1.score)
            .reduce(f64::min);

        // Free mentees × mentors: the score of a feasible pair, -inf otherwise.
        let mut scores = crate::score::parallel_zeros((free.len(), mentors));
        Zip::from(scores.rows_mut())
            .and(&ndarray::ArrayView1::from(&free))
            .par_for_each(|mut row, &mentee| {
                let row = row
                    .as_slice_mut()
                    .expect("rows of a new matrix are contiguous");
                scorer.mentee_row(mentee, row);
            });
        let chosen = optimise(scores, &capacity, self.objective, self.solver, pinned_min)?;

        let mut mentor_of = pinned_mentor.clone();
        for (row, mentor) in chosen.into_iter().enumerate() {
            if let Some(mentor) = mentor {
                mentor_of[free[row]] = Some(mentor);
            }
        }
        Ok(self.explain(&scorer, &mentor_of, &pinned_mentor))
    }

    fn explain(
        &self,
        scorer: &Scorer<'_>,
        mentor_of: &[Option<usize>],
        pinned: &[Option<usize>],
    ) -> Matching {
        let cohort = self.cohort;
        let id = |p: usize| cohort.participants()[p].id().to_owned();
        let mut pairs = Vec::new();
        let mut unmatched = Vec::new();
        for (mentee, &mentor) in mentor_of.iter().enumerate() {
            let mentee_id = id(cohort.mentees()[mentee]);
            if let Some(mentor) = mentor {
                let (breakdown, facts) = scorer.pair(mentor, mentee);
                let is_pinned = pinned[mentee].is_some();
                let broken = if is_pinned {
                    scorer.rules().all_broken(&facts)
                } else {
                    Vec::new()
                };
                pairs.push(Pair::new(
                    id(cohort.mentors()[mentor]),
                    mentee_id,
                    facts.score,
                    is_pinned,
                    breakdown,
                    scorer.topics(mentor, mentee),
                    broken,
                ));
            } else {
                let mut counts = [0usize; Rule::ALL.len()];
                let mut feasible = false;
                for mentor in 0..cohort.mentors().len() {
                    let (_, facts) = scorer.pair(mentor, mentee);
                    match scorer.rules().first_broken(&facts) {
                        None => feasible = true,
                        Some(Rule::SelfPair) => {}
                        Some(rule) => counts[rule.index()] += 1,
                    }
                }
                let entry = if feasible {
                    Unmatched::new(mentee_id, Reason::Capacity, Vec::new())
                } else {
                    let ruled_out = Rule::ALL
                        .into_iter()
                        .zip(counts)
                        .filter(|&(_, count)| count > 0)
                        .collect();
                    Unmatched::new(mentee_id, Reason::NoFeasibleMentor, ruled_out)
                };
                unmatched.push(entry);
            }
        }
        Matching::new(self.objective, pairs, unmatched)
    }
}

/// Solves the free part of the matching: `scores` is free mentees × mentors
/// (`-inf` = infeasible), `capacity` what each mentor has left. Returns the
/// mentor of each free mentee.
fn optimise(
    mut scores: Array2<f64>,
    capacity: &[usize],
    objective: Objective,
    solver: Solver,
    pinned_min: Option<f64>,
) -> Result<Vec<Option<usize>>, Error> {
    let (rows, columns) = scores.dim();
    if rows == 0 || columns == 0 {
        return Ok(vec![None; rows]);
    }
    let threshold = match objective {
        Objective::Fairness => fairness_threshold(&scores, capacity, pinned_min),
        Objective::Total | Objective::Coverage => f64::NEG_INFINITY,
    };
    // Integer weights (exact in f64 below 2^53), maximised; see `SCALE`.
    let slots = rows as f64 + 1.0;
    let weight = |score: f64| -> f64 {
        let quantised = (score * SCALE).round();
        match objective {
            // The sum first; among equal sums, more pairs.
            Objective::Total => quantised * slots + 1.0,
            // More pairs first (one more pair outweighs any sum of scores);
            // among equal counts, the sum.
            Objective::Coverage | Objective::Fairness => slots * SCALE + quantised,
        }
    };
    scores.par_mapv_inplace(|score| {
        if score >= threshold && score.is_finite() {
            -weight(score)
        } else {
            f64::INFINITY
        }
    });
    let problem = Problem {
        costs: &scores,
        capacity,
        unmatched_cost: Some(0.0),
    };
    assign::solve(&problem, solver)
}

/// The largest `t` such that pairs scoring at least `t` still match as many
/// mentees as all feasible pairs do, capped at the smallest pinned score
/// (past which the overall minimum cannot rise).
fn fairness_threshold(scores: &Array2<f64>, capacity: &[usize], pinned_min: Option<f64>) -> f64 {
    let count = |threshold: f64| cardinality::max_cardinality(scores, capacity, threshold);
    let most = count(0.0);
    if most == 0 {
        return 0.0;
    }
    let cap = pinned_min.unwrap_or(1.0);
    if count(cap) == most {
        return cap;
    }
    // Scores are non-negative, so their order is the order of their bits.
    let (mut low, mut high) = (0.0f64.to_bits(), cap.to_bits());
    while high - low > 1 {
        let middle = low + (high - low) / 2;
        if count(f64::from_bits(middle)) == most {
            low = middle;
        } else {
            high = middle;
        }
    }
    f64::from_bits(low)
}
