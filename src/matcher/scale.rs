//! The scale path: the matching on a candidate graph (each mentee's best `k`
//! feasible mentors) instead of the full score matrix.
//!
//! Candidates come from `candidates.rs` (a topic index and score bounds, the
//! dense path's scores bit for bit). The objectives are those of the dense
//! path with the same integer weights, solved on sparse costs: one mentor
//! each by the sparse shortest-augmenting-path solver (under
//! [`Solver::JonkerVolgenant`](crate::Solver::JonkerVolgenant)), several by
//! the min-cost flow, which scans sparse rows; the fairness threshold by the
//! same bottleneck search. The result is explained as on the dense path, and
//! says whether it is proven optimal for the whole cohort
//! ([`Exactness::Proven`]) or only on the candidate graph.
//!
//! The proof: every mentee's list held all of its feasible mentors, or the
//! solvers' dual potentials certify the solution on the candidate graph and
//! on every pair the lists left out (`certify.rs`; one mentor each needs
//! [`Solver::JonkerVolgenant`](crate::Solver::JonkerVolgenant)'s potentials,
//! several mentors the flow's). Under fairness, the threshold found on the
//! candidate graph must also be proven the dense path's
//! ([`threshold_proven`]).

use super::{Matcher, Places, cardinality, certify, pair_weight, several};
use crate::candidates::{self, Candidates, Request};
use crate::matching::Exactness;
use crate::progress::Counter;
use crate::score::Scorer;
use crate::{Costs, Error, Matching, Objective, Problem, SparseCosts, Stage};

/// Which path [`Matcher::solve`] takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Mode {
    /// The dense path when its working matrix fits the memory limit
    /// ([`Matcher::estimate_bytes`]), else the sparse one when that fits
    /// ([`Matcher::estimate_sparse_bytes`]); when neither fits, the dense
    /// path's [`Error::MemoryLimit`]. The default.
    #[default]
    Auto,
    /// Every pair scored into a dense matrix, solved exactly.
    Dense,
    /// Each mentee's best `k` feasible mentors ([`Matcher::candidates`]),
    /// solved exactly on that candidate graph. With one mentor each, the
    /// solver of [`Matcher::solver`] gets the candidate graph as sparse
    /// costs: [`Solver::JonkerVolgenant`](crate::Solver::JonkerVolgenant)
    /// solves them as such, [`Solver::Hungarian`](crate::Solver::Hungarian)
    /// reads them as a dense matrix (as large as the dense path's).
    Sparse,
}

impl Mode {
    /// The mode's name on the command line: `auto`, `dense` or `sparse`.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Auto => "auto",
            Mode::Dense => "dense",
            Mode::Sparse => "sparse",
        }
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Mode {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let names = [
            ("auto", Mode::Auto),
            ("dense", Mode::Dense),
            ("sparse", Mode::Sparse),
        ];
        Error::by_name("mode", name, &names, "auto, dense or sparse")
    }
}

/// Candidate mentors kept per mentee on the scale path by default.
///
/// Chosen from measurements on generated cohorts of 10,000 × 10,000 (see
/// `BENCHMARKS.md`, "Scale path"): of 8, 16, 32 and 64, 16 was the smallest
/// whose total came within 0.1 % of the dense optimum with the same number of
/// mentees matched (0.0045 %); 32 came within 0.00012 % at about the same cost.
pub const DEFAULT_CANDIDATES: usize = 32;

/// Bytes per candidate on the scale path: its entry in the candidate lists
/// and in the solver's sparse costs (12 each), and the solver's own work.
const BYTES_PER_CANDIDATE: u64 = 40;

/// Bytes per mentor of each thread's scratch in candidate generation.
const BYTES_PER_MENTOR: u64 = 32;

impl Matcher<'_> {
    /// Chooses the dense or the sparse path (default [`Mode::Auto`]).
    #[must_use]
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Candidate mentors kept per mentee on the sparse path (default
    /// [`DEFAULT_CANDIDATES`]; 0 counts as 1). With `k` at least the number
    /// of mentors the sparse path is exact.
    #[must_use]
    pub fn candidates(mut self, k: usize) -> Self {
        self.candidates = k;
        self
    }

    /// Bytes the sparse path would take, roughly: 40 per candidate (every
    /// mentee not fully pinned keeps `min(k, mentors)`), 32 per mentor
    /// for each thread's scratch, the topic index (per topic a mentor
    /// offers: its place, and its answers in the block's bounds), and what
    /// the dense path also holds besides its matrix (the scorer's tables,
    /// working lists, the result). Time `O(mentors)`.
    pub fn estimate_sparse_bytes(&self) -> u64 {
        let cohort = self.cohort;
        let mentors = cohort.mentors().len() as u64;
        let k = (self.candidates.max(1) as u64).min(mentors);
        let threads = rayon::current_num_threads() as u64;
        let index: u64 = cohort
            .mentors()
            .iter()
            .map(|&p| {
                let person = cohort.at(p);
                let (offers, goals) = (person.offers().len() as u64, person.goals().len() as u64);
                offers * (8 + 8 * offers + 16 * goals)
            })
            .sum();
        cohort.mentees().len() as u64 * k * BYTES_PER_CANDIDATE
            + threads * mentors * BYTES_PER_MENTOR
            + index
            + self.estimate_besides_scores()
    }

    /// Whether the sparse path fits the memory limit.
    pub(super) fn sparse_fits(&self) -> bool {
        self.estimate_sparse_bytes() <= self.memory_limit
    }

    /// The sparse path of [`Matcher::solve`] (its settings checked already).
    pub(super) fn solve_sparse(&self) -> Result<Matching, Error> {
        Error::check_memory(
            "the matching's candidate lists",
            self.estimate_sparse_bytes(),
            self.memory_limit,
            "`Matcher::memory_limit`",
        )?;
        let cohort = self.cohort;
        if let Some(scores) = self.scores {
            self.check_scores(scores)?;
        }
        let scorer = Scorer::new(cohort, &self.weights, &self.rules);
        let mentors = cohort.mentors().len();
        let places = self.places(&scorer);
        let Places {
            pinned,
            capacity,
            free,
            pinned_min,
            ..
        } = &places;

        let scoring = Counter::start(self.progress.0, Stage::Scoring, free.len() as u64);
        let candidates = candidates::generate(
            &Request {
                cohort,
                scorer: &scorer,
                rules: &self.rules,
                weights: &self.weights,
                mentees: free,
                excluded: pinned,
                k: self.candidates.max(1).min(mentors.max(1)),
            },
            &scoring,
        );
        scoring.finish();

        // Counted in free mentees settled, as the solvers report them.
        let total = (free.len() as u64).max(1);
        let solving = Counter::start(self.progress.0, Stage::Solving, total);
        let settled = |rows: usize| solving.set(rows as u64);
        // A free mentee's scores against every mentor, for the certificate.
        let full_row = |row: usize| {
            let mentee = free[row];
            let mut scores = vec![0.0; mentors];
            self.score_row(&scorer, mentee, &mut scores);
            for &mentor in &pinned[mentee] {
                scores[mentor] = f64::NEG_INFINITY;
            }
            scores
        };
        let (chosen, certified) = if places.one_each() {
            self.one_each(
                &candidates,
                capacity,
                mentors,
                *pinned_min,
                &settled,
                &full_row,
            )?
        } else {
            several_mentors(
                &candidates,
                mentors,
                &several::Places {
                    capacity,
                    demand: &places.demand(),
                    held: &places.held(),
                },
                self.objective,
                *pinned_min,
                &settled,
                &full_row,
            )?
        };
        solving.set(total);
        solving.finish();

        let mentors_of = places.mentors_of(chosen);
        let mut listed = vec![usize::MAX; cohort.mentees().len()];
        for (row, &mentee) in free.iter().enumerate() {
            if !candidates.is_complete(row) {
                listed[mentee] = candidates.row(row).0.len();
            }
        }
        let complete = (0..candidates.rows()).all(|row| candidates.is_complete(row));
        let exactness = if complete || certified {
            Exactness::Proven
        } else {
            Exactness::CandidateGraph
        };
        let thresholds = self.thresholds(&scorer, &mentors_of);
        let blocking = thresholds.count_candidates(free, &candidates, &mentors_of)
            + self.count_pinned_rows(&scorer, &thresholds, free, &mentors_of);
        Ok(self
            .explain(&scorer, &mentors_of, pinned, Some(&listed), blocking)
            .with_exactness(exactness))
    }

    /// One mentor each, as the dense `optimise`: the mentors of each free
    /// mentee (none or one), on the candidate graph, and whether the
    /// solver's potentials prove them optimal over every feasible pair
    /// ([`certify`]; for fairness, the threshold too, see [`threshold_proven`]).
    fn one_each(
        &self,
        candidates: &Candidates,
        capacity: &[usize],
        mentors: usize,
        pinned_min: Option<f64>,
        settled: &dyn Fn(usize),
        full_row: &(dyn Fn(usize) -> Vec<f64> + Sync),
    ) -> Result<(Vec<Vec<usize>>, bool), Error> {
        let rows = candidates.rows();
        if rows == 0 || mentors == 0 {
            return Ok((vec![Vec::new(); rows], false));
        }
        let cap = pinned_min.unwrap_or(1.0);
        let threshold = match self.objective {
            Objective::Fairness => {
                let negated = costs_of(candidates, mentors, 0..rows, |score| Some(-score))?;
                cardinality::bottleneck(&negated, capacity, 0.0, -cap).map_or(0.0, |cost| -cost)
            }
            Objective::Total | Objective::Coverage => f64::NEG_INFINITY,
        };
        let objective = self.objective;
        let cost = |score| -pair_weight(objective, rows, score);
        let costs = costs_of(candidates, mentors, 0..rows, |score| {
            (score >= threshold).then(|| cost(score))
        })?;
        let problem = Problem {
            costs: &costs,
            capacity,
            unmatched_cost: Some(0.0),
        };
        let (found, duals) = self.solver.solve_with_duals(&problem, settled)?;
        let chosen: Vec<Vec<usize>> = found
            .into_iter()
            .map(|mentor| mentor.into_iter().collect())
            .collect();
        let potentials = duals.and_then(|duals| {
            Some((
                certify::integers(duals.rows())?,
                certify::integers(duals.columns())?,
            ))
        });
        let Some((u, v)) = potentials else {
            return Ok((chosen, false));
        };
        let solved = certify::Solved {
            chosen: &chosen,
            demand: &vec![1; rows],
            held: &[],
            unit_cost: &[0],
            rows: &u,
            columns: &v,
        };
        let all: Vec<usize> = (0..rows).collect();
        let proven = certified(
            (candidates, capacity, full_row),
            (objective, threshold, cap),
            &cost,
            &solved,
            &all,
        );
        Ok((chosen, proven))
    }
}

/// Several mentors for some mentee, as the dense `several::optimise`: the
/// mentors of each free mentee, on the candidate graph, and whether the
/// flow's potentials prove them optimal over every feasible pair.
fn several_mentors(
    candidates: &Candidates,
    mentors: usize,
    places: &several::Places<'_>,
    objective: Objective,
    pinned_min: Option<f64>,
    settled: &dyn Fn(usize),
    full_row: &(dyn Fn(usize) -> Vec<f64> + Sync),
) -> Result<(Vec<Vec<usize>>, bool), Error> {
    let rows = candidates.rows();
    if rows == 0 || mentors == 0 {
        return Ok((vec![Vec::new(); rows], false));
    }
    // As `several::threshold`: over the mentees without a pinned mentor.
    let searched: Vec<usize> = (0..rows).filter(|&row| places.held[row] == 0).collect();
    let cap = pinned_min.unwrap_or(1.0);
    let threshold = match objective {
        Objective::Fairness => {
            let negated = costs_of(candidates, mentors, searched.iter().copied(), |score| {
                Some(-score)
            })?;
            let reachable = (0..negated.rows()).any(|row| {
                negated.sparse_row(row).is_some_and(|(columns, _)| {
                    columns.iter().any(|&j| places.capacity[j as usize] > 0)
                })
            });
            if reachable {
                cardinality::bottleneck(&negated, places.capacity, 0.0, -cap)
                    .map_or(0.0, |cost| -cost)
            } else {
                cap
            }
        }
        Objective::Total | Objective::Coverage => f64::NEG_INFINITY,
    };
    let most_pairs = several::most_pairs(places, objective)?;
    let cost = |score| -several::pair_weight(objective, most_pairs, score);
    let costs = costs_of(candidates, mentors, 0..rows, |score| {
        (score >= threshold).then(|| cost(score))
    })?;
    let (chosen, flow, unit_cost) =
        several::flow_of(&costs, places, objective, most_pairs, settled)?;
    let solved = certify::Solved {
        chosen: &chosen,
        demand: places.demand,
        held: places.held,
        unit_cost: &unit_cost,
        rows: flow.rows_potential(),
        columns: flow.columns_potential(),
    };
    let proven = certified(
        (candidates, places.capacity, full_row),
        (objective, threshold, cap),
        &cost,
        &solved,
        &searched,
    );
    Ok((chosen, proven))
}

/// Whether `solved`, found on the candidate graph with pairs below
/// `threshold` left out, is proven optimal over every feasible pair: its
/// potentials pass [`certify::check`] and, for fairness, the threshold is
/// the dense path's ([`threshold_proven`], over the `searched` rows).
fn certified(
    (candidates, capacity, full_row): (&Candidates, &[usize], &(dyn Fn(usize) -> Vec<f64> + Sync)),
    (objective, threshold, cap): (Objective, f64, f64),
    cost: &(dyn Fn(f64) -> f64 + Sync),
    solved: &certify::Solved<'_>,
    searched: &[usize],
) -> bool {
    let graph = |threshold| certify::Graph {
        candidates,
        capacity,
        threshold,
        full_row,
    };
    certify::check(&graph(threshold), cost, solved)
        && (objective != Objective::Fairness
            || threshold_proven(&Search {
                candidates,
                capacity,
                rows: searched,
                chosen: solved.chosen,
                found: threshold,
                cap,
                without: &|| certify::check(&graph(f64::NEG_INFINITY), cost, solved),
            }))
}

/// The fairness threshold found on the candidate graph, with what proves
/// it the dense path's; see [`threshold_proven`].
struct Search<'a> {
    candidates: &'a Candidates,
    capacity: &'a [usize],
    /// The rows the threshold search matched (those without a pinned mentor).
    rows: &'a [usize],
    /// The mentors of each row in the solution (certified optimal at the
    /// threshold already).
    chosen: &'a [Vec<usize>],
    found: f64,
    /// The smallest pinned score, or 1: the threshold is at most this.
    cap: f64,
    /// Whether the solution's potentials also certify it with no threshold
    /// (then it matches as many searched rows as any feasible pairs can).
    without: &'a dyn Fn() -> bool,
}

/// Whether the fairness threshold `t` found on the candidate graph is the one
/// the dense path finds on every feasible pair, `t_D`.
///
/// Both are the largest threshold at which the searched rows still match as
/// many as all pairs allow (`M` on the candidate graph, `M_D` on all
/// pairs), capped at `cap`; with no searched row matchable, the same
/// constant. The solution, certified optimal at `t`, matches `M` searched
/// rows. First `M_D = M`: `M` reaches the bound `min(rows that may have a
/// feasible mentor, places left)`, or the solution's potentials also
/// certify it on every feasible pair with no threshold. Then `t <= t_D`
/// (the candidate pairs at or above `t` match `M_D`), and `t_D <= t` when
/// `t` is the cap, or when the feasible pairs scoring above `t` match fewer
/// than `M`: at once when every list cut short lists a mentor scoring at
/// most `t` (the feasible pairs above `t` are then listed ones, which match
/// fewer than `M` by the choice of `t`), else by a vertex cover
/// ([`certify::nothing_above`]).
fn threshold_proven(search: &Search<'_>) -> bool {
    let candidates = search.candidates;
    let covered = search
        .rows
        .iter()
        .filter(|&&row| !search.chosen[row].is_empty())
        .count();
    let possible = search
        .rows
        .iter()
        .filter(|&&row| {
            let listed = candidates.row(row).0;
            !candidates.is_complete(row) || listed.iter().any(|&j| search.capacity[j as usize] > 0)
        })
        .count();
    let places = search
        .capacity
        .iter()
        .fold(0usize, |sum, &c| sum.saturating_add(c));
    if covered < possible.min(places) && !(search.without)() {
        return false;
    }
    if covered == 0 || search.found >= search.cap {
        return true;
    }
    let listed_below = search.rows.iter().all(|&row| {
        candidates.is_complete(row)
            || candidates
                .row(row)
                .1
                .iter()
                .any(|&score| score <= search.found)
    });
    listed_below
        || certify::nothing_above(
            candidates,
            search.capacity,
            search.rows,
            search.chosen,
            search.found,
            covered,
        )
}

/// The candidate lists of `rows` as sparse costs over `mentors` columns:
/// `cost(score)` for each candidate, none for `None`. The rows in parallel.
fn costs_of(
    candidates: &Candidates,
    mentors: usize,
    rows: impl Iterator<Item = usize>,
    cost: impl Fn(f64) -> Option<f64> + Sync,
) -> Result<SparseCosts, Error> {
    let rows: Vec<usize> = rows.collect();
    SparseCosts::from_rows_parallel(mentors, &rows, |row| {
        let (listed, scores) = candidates.row(row);
        listed
            .iter()
            .zip(scores)
            .filter_map(|(&mentor, &score)| cost(score).map(|c| (mentor as usize, c)))
    })
}
