//! The matcher: adapts a cohort to an assignment problem (capacities,
//! objectives, pinned pairs), solves it exactly and explains the result.

mod baseline;
mod blocking;
mod cardinality;
mod certify;
mod scale;
mod several;

pub use baseline::Method;
pub use scale::{DEFAULT_CANDIDATES, Mode};

use std::fmt;
use std::str::FromStr;

use ndarray::{Array2, Zip};
use serde::{Deserialize, Serialize};

use std::sync::Arc;

use crate::Costs;
use crate::assign::{AssignmentSolver, Problem};
use crate::matching::{Pair, Reason, Short, Unmatched};
use crate::progress::{Counter, Observer};
use crate::quality::Quality;
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
        let names = [
            ("total", Objective::Total),
            ("coverage", Objective::Coverage),
            ("fairness", Objective::Fairness),
        ];
        Error::by_name("objective", name, &names, "total, coverage or fairness")
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
    method: Method,
    solver: Arc<dyn AssignmentSolver>,
    rules: Rules,
    weights: Weights,
    memory_limit: u64,
    scores: Option<&'c ScoreMatrix>,
    progress: Observer<'c>,
    mode: Mode,
    candidates: usize,
}

impl<'c> Matcher<'c> {
    pub(crate) fn new(cohort: &'c Cohort) -> Matcher<'c> {
        Matcher {
            cohort,
            objective: cohort.objective(),
            method: Method::Exact,
            solver: Arc::new(Solver::default()),
            rules: *cohort.rules(),
            weights: *cohort.weights(),
            memory_limit: DEFAULT_MEMORY_LIMIT,
            scores: None,
            progress: Observer::default(),
            mode: Mode::Auto,
            candidates: DEFAULT_CANDIDATES,
        }
    }

    /// Sets the objective (default: the file's, else [`Objective::Coverage`]).
    #[must_use]
    pub fn objective(mut self, objective: Objective) -> Self {
        self.objective = objective;
        self
    }

    /// Sets how the pairs are formed (default: [`Method::Exact`], an optimum
    /// of the objective); the baselines ignore the objective and the solver,
    /// and their results name the method.
    #[must_use]
    pub fn method(mut self, method: Method) -> Self {
        self.method = method;
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

    /// Sets the most memory, in bytes, the matching may allocate (default
    /// [`DEFAULT_MEMORY_LIMIT`]): its working matrix (about 8 bytes per
    /// mentor–mentee pair, 24 with [`Solver::Hungarian`]), the scorer's
    /// tables and the result; see [`Matcher::estimate_bytes`]. The cohort
    /// itself is the caller's and is not counted.
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

    /// Bytes this matching would allocate, computed from counts before
    /// anything is allocated: the working matrix (per free mentee–mentor
    /// pair, 8, or what the solver says it needs,
    /// [`AssignmentSolver::bytes_per_pair`]: 24 for [`Solver::Hungarian`]),
    /// plus what grows with the answers and the people, never with people ×
    /// topics: the scorer's answer lists (and a table of the mentors'
    /// answers when the questionnaire has at most 64 topics or goals), the
    /// weekly calendar, per-person working lists and the explained result.
    /// The baselines of [`Matcher::method`] take 24 bytes per pair instead
    /// of the solver's (their feasible pairs with scores, and an order).
    /// Time `O(people + answers)`.
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
        let per_pair = if self.method.is_exact() {
            self.solver.bytes_per_pair()
        } else {
            baseline::BYTES_PER_PAIR
        };
        let matrix = free * cohort.mentors().len() as u64 * per_pair;
        matrix + self.estimate_besides_scores()
    }

    /// Bytes of what either path holds besides the scores: the scorer's
    /// tables, the per-person working lists (pins, places, capacities: a few
    /// words each; and the dense solver's list of each row's cheapest
    /// columns, 256 bytes a row) and the explained result.
    fn estimate_besides_scores(&self) -> u64 {
        let cohort = self.cohort;
        let people = (cohort.mentors().len() + cohort.mentees().len()) as u64;
        Scorer::estimate_bytes(cohort) + (64 + 256) * people + Matching::estimate_bytes(cohort)
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
        let dense_fits = Error::check_memory(
            "the matching",
            self.estimate_bytes(),
            self.memory_limit,
            "`Matcher::memory_limit`",
        );
        match self.mode {
            Mode::Sparse => return self.solve_sparse(),
            // Over the limit either way: the dense path's error, as before
            // the scale path existed.
            Mode::Auto if dense_fits.is_err() && self.sparse_fits() => {
                return self.solve_sparse();
            }
            Mode::Auto | Mode::Dense => dense_fits?,
        }
        let cohort = self.cohort;
        let scorer = Scorer::new(cohort, &self.weights, &self.rules);
        if let Some(scores) = self.scores {
            self.check_scores(scores)?;
        }
        let places = self.places(&scorer);
        if !self.method.is_exact() {
            return Ok(self.baseline(&scorer, &places));
        }
        let (mentors_of, working) =
            self.solve_dense(&places, |mentee, row| self.score_row(&scorer, mentee, row))?;
        let blocking = self.count_blocking(&scorer, &places.free, working, &mentors_of);
        Ok(self.explain(&scorer, &mentors_of, &places.pinned, None, blocking))
    }

    /// Every mentee's mentors (pinned ones first) under this matching's
    /// objective and solver, from the scores `row_of` writes: one mentee's
    /// score against every mentor, `-inf` for an infeasible pair.
    /// `pinned_min` is the smallest score of a pinned pair. The entry of the
    /// weight tuner, which re-weighs components computed once.
    ///
    /// # Errors
    ///
    /// As [`Matcher::solve`]'s solvers.
    pub(crate) fn choose(
        &self,
        row_of: impl Fn(usize, &mut [f64]) + Sync,
        pinned_min: Option<f64>,
    ) -> Result<Vec<Vec<usize>>, Error> {
        let places = self.places_with(pinned_min);
        Ok(self.solve_dense(&places, row_of)?.0)
    }

    /// The dense path's solve: the free mentees' rows of scores from
    /// `row_of`, solved under the objective; every mentee's mentors (pinned
    /// ones first) and the working matrix the solver left.
    fn solve_dense(
        &self,
        places: &Places,
        row_of: impl Fn(usize, &mut [f64]) + Sync,
    ) -> Result<(Vec<Vec<usize>>, Working), Error> {
        let Places {
            pinned,
            capacity,
            free,
            pinned_min,
            ..
        } = places;
        let mentors = self.cohort.mentors().len();
        // Free mentees × mentors: the score of a feasible pair, -inf otherwise
        // (and for a pair already pinned: a pair is formed once).
        let mut scores = crate::score::parallel_zeros((free.len(), mentors));
        let scoring = Counter::start(self.progress.0, Stage::Scoring, free.len() as u64);
        Zip::from(scores.rows_mut())
            .and(&ndarray::ArrayView1::from(free))
            .par_for_each(|mut row, &mentee| {
                let row = row
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
        let (chosen, working): (Vec<Vec<usize>>, _) = if places.one_each() {
            let (found, working) = optimise(
                scores,
                capacity,
                self.objective,
                self.solver.as_ref(),
                *pinned_min,
            )?;
            let found = found
                .into_iter()
                .map(|mentor| mentor.into_iter().collect())
                .collect();
            (found, working)
        } else {
            several::optimise(
                scores,
                &several::Places {
                    capacity,
                    demand: &places.demand(),
                    held: &places.held(),
                },
                self.objective,
                *pinned_min,
            )?
        };
        solving.add_one();
        solving.finish();
        Ok((places.mentors_of(chosen), working))
    }

    /// What the pinned pairs leave: each mentee's pinned mentors, each
    /// mentor's capacity left, the mentors each mentee wants, the mentees
    /// who want more than their pinned mentors (the free ones), and the
    /// smallest pinned score.
    fn places(&self, scorer: &Scorer<'_>) -> Places {
        let pinned_min = self
            .cohort
            .pinned()
            .iter()
            .map(|&(mentor, mentee)| scorer.pair(mentor.get(), mentee.get()).1)
            .reduce(f64::min);
        self.places_with(pinned_min)
    }

    /// [`Matcher::places`], with the smallest pinned score given.
    fn places_with(&self, pinned_min: Option<f64>) -> Places {
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
        Places {
            pinned,
            capacity,
            wanted,
            free,
            pinned_min,
        }
    }

    /// One mentee's scores against every mentor: a feasible pair's score,
    /// `-inf` otherwise (from the given score matrix when there is one).
    fn score_row(&self, scorer: &Scorer<'_>, mentee: usize, row: &mut [f64]) {
        match self.scores {
            Some(matrix) => matrix.mentee_column(mentee, row),
            None => scorer.mentee_row(mentee, row),
        }
    }

    /// The blocking thresholds of a matching (see [`blocking`]).
    fn thresholds(&self, scorer: &Scorer<'_>, mentors_of: &[Vec<usize>]) -> blocking::Thresholds {
        blocking::Thresholds::new(self.cohort, mentors_of, |i, j| scorer.pair(i, j).1)
    }

    /// Blocking pairs of an exact matching: the free mentees' from the
    /// working matrix the solver solved, the others' scored again.
    fn count_blocking(
        &self,
        scorer: &Scorer<'_>,
        free: &[usize],
        (costs, encoding): Working,
        mentors_of: &[Vec<usize>],
    ) -> u64 {
        let thresholds = self.thresholds(scorer, mentors_of);
        let blocking = thresholds.count_working(free, &costs, &encoding, mentors_of, |i, j| {
            scorer
                .first_broken(i, j)
                .is_none()
                .then(|| scorer.pair(i, j).1)
        });
        drop(costs);
        blocking + self.count_pinned_rows(scorer, &thresholds, free, mentors_of)
    }

    /// Blocking pairs of the mentees outside the working rows (those whose
    /// pinned mentors are all they want), scored again.
    fn count_pinned_rows(
        &self,
        scorer: &Scorer<'_>,
        thresholds: &blocking::Thresholds,
        free: &[usize],
        mentors_of: &[Vec<usize>],
    ) -> u64 {
        let mut is_free = vec![false; mentors_of.len()];
        for &j in free {
            is_free[j] = true;
        }
        let rest: Vec<usize> = (0..mentors_of.len()).filter(|&j| !is_free[j]).collect();
        thresholds.count_scored(&rest, mentors_of, |j, row| self.score_row(scorer, j, row))
    }

    /// A baseline matching ([`Method`]): the free mentees' feasible mentors
    /// scored once and kept, the pairs taken greedily or in random order.
    fn baseline(&self, scorer: &Scorer<'_>, places: &Places) -> Matching {
        use rayon::prelude::*;
        let (pinned, free) = (&places.pinned, &places.free);
        let mentors = self.cohort.mentors().len();
        let scoring = Counter::start(self.progress.0, Stage::Scoring, free.len() as u64);
        let mut rows: Vec<baseline::Row> = free
            .par_iter()
            .map_init(
                || vec![0.0; mentors],
                |scores, &mentee| {
                    self.score_row(scorer, mentee, scores);
                    for &mentor in &pinned[mentee] {
                        scores[mentor] = f64::NEG_INFINITY;
                    }
                    scoring.add_one();
                    (0u32..)
                        .zip(scores.iter())
                        .filter(|&(_, &s)| s > f64::NEG_INFINITY)
                        .map(|(i, &s)| (i, s))
                        .collect()
                },
            )
            .collect();
        scoring.finish();
        let solving = Counter::start(self.progress.0, Stage::Solving, 1);
        let (mut capacity, demand) = (places.capacity.clone(), places.demand());
        let chosen = match self.method {
            Method::Random { seed } => baseline::random(&rows, &mut capacity, &demand, seed),
            _ => baseline::greedy(&mut rows, &mut capacity, &demand),
        };
        solving.add_one();
        solving.finish();
        let mentors_of = places.mentors_of(chosen);
        let thresholds = self.thresholds(scorer, &mentors_of);
        let blocking = thresholds.count_rows(free, &rows, &mentors_of);
        drop(rows);
        let blocking = blocking + self.count_pinned_rows(scorer, &thresholds, free, &mentors_of);
        self.explain(scorer, &mentors_of, pinned, None, blocking)
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
    ///
    /// On the scale path `listed` gives, per mentee, the mentors its
    /// candidate list held: an unmatched mentee with more feasible mentors
    /// than that is [`Reason::NotInTopK`].
    fn explain(
        &self,
        scorer: &Scorer<'_>,
        mentors_of: &[Vec<usize>],
        pinned: &[Vec<usize>],
        listed: Option<&[usize]>,
        blocking_pairs: u64,
    ) -> Matching {
        use rayon::prelude::*;
        let cohort = self.cohort;
        let mentor_id = |i: usize| cohort.mentor(MentorIndex::new(i)).id().to_owned();
        let mut pairs = Vec::new();
        let mut places = Vec::new();
        let mut short = Vec::new();
        // Each reason reads every mentor: in parallel over the unmatched.
        let unmatched: Vec<Unmatched> = mentors_of
            .par_iter()
            .enumerate()
            .filter(|(_, mentors)| mentors.is_empty())
            .map(|(mentee, _)| {
                let mentee_id = cohort.mentee(MenteeIndex::new(mentee)).id().to_owned();
                let first_broken = |mentor: usize| match self.scores {
                    Some(matrix) => {
                        matrix.ruled_out_by(MentorIndex::new(mentor), MenteeIndex::new(mentee))
                    }
                    None => scorer.first_broken(mentor, mentee),
                };
                reason(
                    mentee_id,
                    (0..cohort.mentors().len()).map(first_broken),
                    listed.map_or(usize::MAX, |listed| listed[mentee]),
                )
            })
            .collect();
        // Each pair is scored again and explained: in parallel over the
        // mentees, gathered in mentee order.
        let explained: Vec<Explained> = mentors_of
            .par_iter()
            .enumerate()
            .filter(|(_, mentors)| !mentors.is_empty())
            .map(|(mentee, mentors)| {
                let mentee_id = cohort.mentee(MenteeIndex::new(mentee)).id().to_owned();
                let wanted = cohort.mentee(MenteeIndex::new(mentee)).mentors_wanted();
                let short = ((mentors.len() as u64) < wanted).then(|| {
                    let wanted = usize::try_from(wanted).unwrap_or(usize::MAX);
                    Short::new(mentee_id.clone(), wanted, mentors.len())
                });
                // A mentee's several pairs in the mentors' file order.
                let mut mentors = mentors.clone();
                mentors.sort_unstable();
                let explained = mentors
                    .into_iter()
                    .map(|mentor| {
                        let (breakdown, score, broken) = scorer.pair(mentor, mentee);
                        let is_pinned = pinned[mentee].contains(&mentor);
                        let pair = Pair::new(
                            mentor_id(mentor),
                            mentee_id.clone(),
                            score,
                            is_pinned,
                            breakdown,
                            scorer.topics(mentor, mentee),
                            if is_pinned { broken } else { Vec::new() },
                        );
                        (pair, (MentorIndex::new(mentor), MenteeIndex::new(mentee)))
                    })
                    .collect();
                (short, explained)
            })
            .collect();
        for (one_short, explained) in explained {
            short.extend(one_short);
            for (pair, place) in explained {
                pairs.push(pair);
                places.push(place);
            }
        }
        let matched = mentors_of.iter().filter(|m| !m.is_empty()).count();
        let quality = Quality::measure(cohort, &pairs, &places, matched, blocking_pairs);
        Matching::new(
            self.objective,
            self.method,
            pairs,
            unmatched,
            short,
            quality,
        )
    }
}

/// What the pinned pairs leave; see [`Matcher::places`].
struct Places {
    pinned: Vec<Vec<usize>>,
    capacity: Vec<usize>,
    wanted: Vec<usize>,
    free: Vec<usize>,
    pinned_min: Option<f64>,
}

impl Places {
    /// Whether every free mentee wants one mentor and has none pinned: the
    /// assignment problem of version 1.
    fn one_each(&self) -> bool {
        self.free
            .iter()
            .all(|&j| self.wanted[j] == 1 && self.pinned[j].is_empty())
    }

    /// Per free mentee, the mentors pinned to it.
    fn held(&self) -> Vec<usize> {
        self.free.iter().map(|&j| self.pinned[j].len()).collect()
    }

    /// Per free mentee, the mentors it still wants.
    fn demand(&self) -> Vec<usize> {
        self.free
            .iter()
            .map(|&j| self.wanted[j] - self.pinned[j].len())
            .collect()
    }

    /// Every mentee's mentors: its pinned ones, then, for free mentee
    /// `free[r]`, the mentors in `chosen[r]`.
    fn mentors_of(&self, chosen: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
        let mut mentors_of = self.pinned.clone();
        for (row, mentors) in chosen.into_iter().enumerate() {
            mentors_of[self.free[row]].extend(mentors);
        }
        mentors_of
    }
}

/// A matched mentee's shortfall (fewer mentors than wanted) and its pairs,
/// explained, with their places.
type Explained = (Option<Short>, Vec<(Pair, (MentorIndex, MenteeIndex))>);

/// Why a mentee has no mentor, from the first rule that rules out each
/// mentor (`None` for a feasible one), and the number of its candidates
/// (`usize::MAX` on the dense path, where every feasible mentor is one).
fn reason(
    mentee: String,
    verdicts: impl Iterator<Item = Option<Rule>>,
    listed: usize,
) -> Unmatched {
    let mut counts: Vec<(Rule, usize)> = Rule::all().map(|rule| (rule, 0)).collect();
    let mut feasible = 0usize;
    for verdict in verdicts {
        match verdict {
            None => feasible += 1,
            Some(Rule::SelfPair) => {}
            Some(rule) => counts[rule.index()].1 += 1,
        }
    }
    if feasible > listed {
        Unmatched::new(mentee, Reason::NotInTopK, Vec::new())
    } else if feasible > 0 {
        Unmatched::new(mentee, Reason::Capacity, Vec::new())
    } else {
        counts.retain(|&(_, count)| count > 0);
        Unmatched::new(mentee, Reason::NoFeasibleMentor, counts)
    }
}

/// The working matrix a solver solved and how it encodes scores, kept to
/// count blocking pairs without scoring again.
type Working = (Array2<f64>, blocking::Encoding);

/// Solves the free part of the matching: `scores` is free mentees × mentors
/// (`-inf` = infeasible), `capacity` what each mentor has left. Returns the
/// mentor of each free mentee, and the working matrix.
fn optimise(
    mut scores: Array2<f64>,
    capacity: &[usize],
    objective: Objective,
    solver: &dyn AssignmentSolver,
    pinned_min: Option<f64>,
) -> Result<(Vec<Option<usize>>, Working), Error> {
    let (rows, columns) = scores.dim();
    let slots = rows as f64 + 1.0;
    let (scale, offset) = match objective {
        Objective::Total => (slots, 1.0),
        Objective::Coverage | Objective::Fairness => (1.0, slots * SCALE),
    };
    let encoding = blocking::Encoding {
        scale,
        offset,
        hides: objective == Objective::Fairness,
    };
    if rows == 0 || columns == 0 {
        return Ok((vec![None; rows], (scores, encoding)));
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
    scores.par_mapv_inplace(|entry| {
        let score = if negated { -entry } else { entry };
        if score >= threshold && score.is_finite() {
            -pair_weight(objective, rows, score)
        } else {
            f64::INFINITY
        }
    });
    let problem = Problem {
        costs: &scores,
        capacity,
        unmatched_cost: Some(0.0),
    };
    let found = solver.solve(&problem)?;
    Ok((found, (scores, encoding)))
}

/// The weight (maximised) of a pair of score `score` in an assignment of
/// `rows` mentees with one mentor each: integers, exact in f64 below 2^53;
/// see [`SCALE`].
fn pair_weight(objective: Objective, rows: usize, score: f64) -> f64 {
    let slots = rows as f64 + 1.0;
    let quantised = (score * SCALE).round();
    match objective {
        // The sum first; among equal sums, more pairs.
        Objective::Total => quantised * slots + 1.0,
        // More pairs first (one more pair outweighs any sum of scores);
        // among equal counts, the sum.
        Objective::Coverage | Objective::Fairness => slots * SCALE + quantised,
    }
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
