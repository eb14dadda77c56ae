//! The matcher: adapts a cohort to an assignment problem (capacities,
//! objectives, pinned pairs), solves it exactly and explains the result.

mod cardinality;
mod several;

use std::fmt;
use std::str::FromStr;

use ndarray::{Array2, Zip};
use serde::{Deserialize, Serialize};

use std::sync::Arc;

use crate::Costs;
use crate::assign::{AssignmentSolver, Problem};
use crate::matching::{Pair, Reason, Short, Unmatched};
use crate::progress::{Counter, Observer};
use crate::score::Scorer;
use crate::{
    Cohort, Error, Matching, MenteeIndex, MentorIndex, Progress, Rule, Rules, ScoreMatrix, Solver,
    Stage, Weights,
};

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
/// the crate default (solver, memory limit). Setters never fail; [`Matcher::solve`]
/// checks the settings once.
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
///
/// // A score matrix already computed is reused rather than scored again.
/// let scores = cohort.score_matrix();
/// assert_eq!(cohort.matcher().scores(&scores).solve()?, cohort.matcher().solve()?);
/// # Ok::<(), mentor_match::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Matcher<'c> {
    cohort: &'c Cohort,
    objective: Objective,
    solver: Arc<dyn AssignmentSolver>,
    rules: Rules,
    weights: Weights,
    memory_limit: u64,
    scores: Option<&'c ScoreMatrix>,
    progress: Observer<'c>,
}

impl<'c> Matcher<'c> {
    pub(crate) fn new(cohort: &'c Cohort) -> Matcher<'c> {
        Matcher {
            cohort,
            objective: cohort.objective(),
            solver: Arc::new(Solver::default()),
            rules: *cohort.rules(),
            weights: *cohort.weights(),
            memory_limit: DEFAULT_MEMORY_LIMIT,
            scores: None,
            progress: Observer::default(),
        }
    }

    /// Sets the objective (default: the file's, else [`Objective::Coverage`]).
    #[must_use]
    pub fn objective(mut self, objective: Objective) -> Self {
        self.objective = objective;
        self
    }

    /// Sets one of the crate's solvers (default: [`Solver::default`]).
    #[must_use]
    pub fn solver(mut self, solver: Solver) -> Self {
        self.solver = Arc::new(solver);
        self
    }

    /// Solves with a solver of your own (default: [`Solver::default`]).
    #[must_use]
    pub fn using(mut self, solver: impl AssignmentSolver + 'static) -> Self {
        self.solver = Arc::new(solver);
        self
    }

    /// Sets the rules (default: the file's). They replace the file's for this
    /// matching.
    #[must_use]
    pub fn rules(mut self, rules: Rules) -> Self {
        self.rules = rules;
        self
    }

    /// Sets the weights (default: the file's). They replace the file's for
    /// this matching.
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

    /// Reuses a score matrix of this cohort instead of scoring every pair
    /// again (default: score). It must have been computed with this
    /// matching's weights and rules ([`Matcher::solve`] checks).
    #[must_use]
    pub fn scores(mut self, scores: &'c ScoreMatrix) -> Self {
        self.scores = Some(scores);
        self
    }

    /// Tells `progress` how far scoring and solving have gone (default:
    /// nobody is told). See [`Progress`] for the calls it receives.
    #[must_use]
    pub fn progress(mut self, progress: &'c dyn Progress) -> Self {
        self.progress = Observer(progress);
        self
    }

    /// Bytes the working matrices of this matching would take: per free
    /// mentee–mentor pair, 8, or what the solver says it needs
    /// ([`AssignmentSolver::bytes_per_pair`]: 24 for [`Solver::Hungarian`]).
    pub fn estimate_bytes(&self) -> u64 {
        // Mentees whose pinned mentors are all they want take no row.
        let cohort = self.cohort;
        let mut pins = vec![0u64; cohort.mentees().len()];
        for &(_, mentee) in cohort.pinned() {
            pins[mentee.get()] += 1;
        }
        let free = (0..pins.len())
            .filter(|&j| pins[j] < cohort.mentee(MenteeIndex::new(j)).mentors_wanted())
            .count() as u64;
        free * cohort.mentors().len() as u64 * self.solver.bytes_per_pair()
    }

    /// Finds an optimal matching and explains it.
    ///
    /// Time: scoring `O(mentors × mentees × (topics + goals))` in parallel
    /// (none when a score matrix is given), then the assignment (cubic in the
    /// worst case; a min-cost flow when a mentee wants several mentors); the
    /// fairness objective adds a threshold search (a maximum matching, then
    /// probes at entry values, each repaired from the last). The same input
    /// gives the same pairs on every run and any number of threads.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] or [`Error::WeightSum`] for bad rules or weights;
    /// [`Error::ScoresMismatch`] for a score matrix of other weights, rules
    /// or people; [`Error::MemoryLimit`] when the working matrix would exceed
    /// the memory limit; [`Error::TooLarge`] when the problem is too large for
    /// the integer arithmetic of [`Solver::Hungarian`].
    ///
    /// # Panics
    ///
    /// Only on a bug: the solvers never return an infeasible answer here.
    pub fn solve(&self) -> Result<Matching, Error> {
        self.rules.check()?;
        self.weights.check()?;
        Error::check_memory(
            "the matching's score matrix",
            self.estimate_bytes(),
            self.memory_limit,
        )?;
        let cohort = self.cohort;
        let scorer = Scorer::new(cohort, &self.weights, &self.rules);
        if let Some(scores) = self.scores {
            self.check_scores(scores)?;
        }
        let pinned_min = cohort
            .pinned()
            .iter()
            .map(|&(mentor, mentee)| scorer.pair(mentor.get(), mentee.get()).1)
            .reduce(f64::min);
        let mentors_of = self.choose(
            |mentee, row| match self.scores {
                Some(matrix) => matrix.mentee_column(mentee, row),
                None => scorer.mentee_row(mentee, row),
            },
            pinned_min,
        )?;
        let mut pinned: Vec<Vec<usize>> = vec![Vec::new(); cohort.mentees().len()];
        for &(mentor, mentee) in cohort.pinned() {
            pinned[mentee.get()].push(mentor.get());
        }
        Ok(self.explain(&scorer, &mentors_of, &pinned))
    }

    /// Every mentee's mentors (pinned ones first) under this matching's
    /// objective and solver, from the scores `row_of` writes: one mentee's score
    /// against every mentor, `-inf` for an infeasible pair. `pinned_min` is
    /// the smallest score of a pinned pair. The entry shared by
    /// [`Matcher::solve`] and the weight tuner, which re-weighs components
    /// computed once.
    ///
    /// # Errors
    ///
    /// As [`Matcher::solve`]'s solvers.
    pub(crate) fn choose(
        &self,
        row_of: impl Fn(usize, &mut [f64]) + Sync,
        pinned_min: Option<f64>,
    ) -> Result<Vec<Vec<usize>>, Error> {
        let cohort = self.cohort;
        let mentors = cohort.mentors().len();
        let mentees = cohort.mentees().len();

        let mut pinned: Vec<Vec<usize>> = vec![Vec::new(); mentees];
        let mut capacity: Vec<usize> = cohort
            .mentors()
            .iter()
            .map(|&p| usize::try_from(cohort.at(p).capacity()).map_or(mentees, |c| c.min(mentees)))
            .collect();
        for &(mentor, mentee) in cohort.pinned() {
            pinned[mentee.get()].push(mentor.get());
            capacity[mentor.get()] -= 1;
        }
        // Mentors each mentee still wants (a mentee never gets more than
        // there are mentors).
        let wanted: Vec<usize> = cohort
            .mentees()
            .iter()
            .map(|&p| {
                usize::try_from(cohort.at(p).mentors_wanted()).map_or(mentors, |w| w.min(mentors))
            })
            .collect();
        let free: Vec<usize> = (0..mentees)
            .filter(|&j| pinned[j].len() < wanted[j])
            .collect();

        // Free mentees × mentors: the score of a feasible pair, -inf otherwise
        // (and for a pair already pinned: a pair is formed once).
        let mut scores = crate::score::parallel_zeros((free.len(), mentors));
        let scoring = Counter::start(self.progress.0, Stage::Scoring, free.len() as u64);
        Zip::from(scores.rows_mut())
            .and(&ndarray::ArrayView1::from(&free))
            .par_for_each(|mut place, &mentee| {
                let row = place
                    .as_slice_mut()
                    .expect("rows of a new matrix are contiguous");
                row_of(mentee, row);
                for &mentor in &pinned[mentee] {
                    row[mentor] = f64::NEG_INFINITY;
                }
                scoring.add_one();
            });
        scoring.finish();
        let solving = Counter::start(self.progress.0, Stage::Solving, 1);
        // One mentor each and nothing pinned to the free mentees: the
        // assignment problem of version 1, on the fast assignment solvers.
        let one_each = free.iter().all(|&j| wanted[j] == 1 && pinned[j].is_empty());
        let chosen: Vec<Vec<usize>> = if one_each {
            optimise(
                scores,
                &capacity,
                self.objective,
                self.solver.as_ref(),
                pinned_min,
            )?
            .into_iter()
            .map(|mentor| mentor.into_iter().collect())
            .collect()
        } else {
            let held: Vec<usize> = free.iter().map(|&j| pinned[j].len()).collect();
            let demand: Vec<usize> = free.iter().map(|&j| wanted[j] - pinned[j].len()).collect();
            several::optimise(
                scores,
                &several::Places {
                    capacity: &capacity,
                    demand: &demand,
                    held: &held,
                },
                self.objective,
                pinned_min,
            )?
        };
        solving.add_one();
        solving.finish();

        let mut mentors_of = pinned;
        for (row, mentors) in chosen.into_iter().enumerate() {
            mentors_of[free[row]].extend(mentors);
        }
        Ok(mentors_of)
    }

    /// Checks that a given score matrix is of this cohort, weights and rules.
    fn check_scores(&self, scores: &ScoreMatrix) -> Result<(), Error> {
        let cohort = self.cohort;
        let same_side = |ids: &[String], side: &[crate::ParticipantIndex]| {
            ids.len() == side.len()
                && ids
                    .iter()
                    .zip(side)
                    .all(|(id, &p)| id.as_str() == cohort.at(p).id())
        };
        let problem = if !same_side(scores.mentors(), cohort.mentors())
            || !same_side(scores.mentees(), cohort.mentees())
        {
            Some("its mentors and mentees are not this cohort's")
        } else if *scores.weights() != self.weights {
            Some("it was computed with other weights")
        } else if *scores.rules() != self.rules {
            Some("it was computed with other rules")
        } else {
            None
        };
        problem.map_or(Ok(()), |problem| Err(Error::ScoresMismatch { problem }))
    }

    /// The matching: every mentee's mentors (pinned ones included) with
    /// their explanations, the unmatched with their reasons, and the mentees
    /// with fewer mentors than they wanted.
    fn explain(
        &self,
        scorer: &Scorer<'_>,
        mentors_of: &[Vec<usize>],
        pinned: &[Vec<usize>],
    ) -> Matching {
        let cohort = self.cohort;
        let mentor_id = |i: usize| cohort.mentor(MentorIndex::new(i)).id().to_owned();
        let mut pairs = Vec::new();
        let mut unmatched = Vec::new();
        let mut short = Vec::new();
        for (mentee, mentors) in mentors_of.iter().enumerate() {
            let mentee_id = cohort.mentee(MenteeIndex::new(mentee)).id().to_owned();
            if mentors.is_empty() {
                let first_broken = |mentor: usize| match self.scores {
                    Some(matrix) => {
                        matrix.ruled_out_by(MentorIndex::new(mentor), MenteeIndex::new(mentee))
                    }
                    None => scorer.first_broken(mentor, mentee),
                };
                unmatched.push(reason(
                    mentee_id,
                    (0..cohort.mentors().len()).map(first_broken),
                ));
                continue;
            }
            let wanted = cohort.mentee(MenteeIndex::new(mentee)).mentors_wanted();
            if (mentors.len() as u64) < wanted {
                let wanted = usize::try_from(wanted).unwrap_or(usize::MAX);
                short.push(Short::new(mentee_id.clone(), wanted, mentors.len()));
            }
            // A mentee's several pairs in the mentors' file order.
            let mut mentors = mentors.clone();
            mentors.sort_unstable();
            for mentor in mentors {
                let (breakdown, score, broken) = scorer.pair(mentor, mentee);
                let is_pinned = pinned[mentee].contains(&mentor);
                pairs.push(Pair::new(
                    mentor_id(mentor),
                    mentee_id.clone(),
                    score,
                    is_pinned,
                    breakdown,
                    scorer.topics(mentor, mentee),
                    if is_pinned { broken } else { Vec::new() },
                ));
            }
        }
        Matching::new(self.objective, pairs, unmatched, short)
    }
}

/// Why a mentee has no mentor, from the first rule that rules out each
/// mentor (`None` for a feasible one).
fn reason(mentee: String, verdicts: impl Iterator<Item = Option<Rule>>) -> Unmatched {
    let mut counts: Vec<(Rule, usize)> = Rule::all().map(|rule| (rule, 0)).collect();
    let mut feasible = false;
    for verdict in verdicts {
        match verdict {
            None => feasible = true,
            Some(Rule::SelfPair) => {}
            Some(rule) => counts[rule.index()].1 += 1,
        }
    }
    if feasible {
        Unmatched::new(mentee, Reason::Capacity, Vec::new())
    } else {
        counts.retain(|&(_, count)| count > 0);
        Unmatched::new(mentee, Reason::NoFeasibleMentor, counts)
    }
}

/// Solves the free part of the matching: `scores` is free mentees × mentors
/// (`-inf` = infeasible), `capacity` what each mentor has left. Returns the
/// mentor of each free mentee.
fn optimise(
    mut scores: Array2<f64>,
    capacity: &[usize],
    objective: Objective,
    solver: &dyn AssignmentSolver,
    pinned_min: Option<f64>,
) -> Result<Vec<Option<usize>>, Error> {
    let (rows, columns) = scores.dim();
    if rows == 0 || columns == 0 {
        return Ok(vec![None; rows]);
    }
    let (threshold, negated) = match objective {
        Objective::Fairness => {
            // The search reads costs: `score >= t` exactly when `-score <= -t`
            // (negation is exact), and `-inf` becomes the forbidden `+inf`.
            scores.par_mapv_inplace(|score| -score);
            (fairness_threshold(&scores, capacity, pinned_min), true)
        }
        Objective::Total | Objective::Coverage => (f64::NEG_INFINITY, false),
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
    scores.par_mapv_inplace(|entry| {
        let score = if negated { -entry } else { entry };
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
    solver.solve(&problem)
}

/// The largest `t` such that pairs scoring at least `t` still match as many
/// mentees as all feasible pairs do, capped at the smallest pinned score
/// (past which the overall minimum cannot rise); 0 when no pair is feasible.
///
/// `costs` are the negated scores (`+inf` = infeasible), so the pairs scoring
/// at least `t` are the entries of cost at most `-t`; see
/// [`cardinality::bottleneck`].
fn fairness_threshold(costs: &dyn Costs, capacity: &[usize], pinned_min: Option<f64>) -> f64 {
    let cap = pinned_min.unwrap_or(1.0);
    cardinality::bottleneck(costs, capacity, 0.0, -cap).map_or(0.0, |cost| -cost)
}
