//! Blocking pairs of a matching (specification, quality metrics): feasible
//! pairs, not matched together, where the mentee has fewer mentors than
//! wanted or scores this mentor strictly above their worst-scored mentor, and
//! the mentor has a free place or scores this mentee strictly above their
//! worst-scored mentee (pinned pairs count like any other).
//!
//! A pair blocks exactly when its score is above both sides' *thresholds*:
//! `-inf` for a side with room, the worst score of its pairs for a full side,
//! `+inf` for a mentor of capacity 0. Counting needs every pair's score and
//! feasibility: the exact matcher reads them from the working matrix it has
//! solved (quantised, with the rare ties checked exactly), so no pair is
//! scored twice; the baselines read the feasible pairs they kept; mentees
//! outside those matrices (whose pinned mentors are all they want) are scored
//! again row by row. All passes are parallel over mentees and their sums are
//! integers, the same on every thread count.

use ndarray::Array2;
use rayon::prelude::*;

use super::SCALE;
use crate::Cohort;

/// Each side's threshold: a pair blocks when its score is above both.
pub(super) struct Thresholds {
    mentor: Vec<f64>,
    mentee: Vec<f64>,
}

impl Thresholds {
    /// The thresholds of the matching where mentee `j` has the mentors
    /// `mentors_of[j]` (pinned ones included), `score(i, j)` the score of
    /// matched pair (mentor `i`, mentee `j`). Time: linear in the pairs.
    pub(super) fn new(
        cohort: &Cohort,
        mentors_of: &[Vec<usize>],
        score: impl Fn(usize, usize) -> f64,
    ) -> Thresholds {
        let mentors = cohort.mentors().len();
        let mut worst = vec![f64::INFINITY; mentors];
        let mut taken = vec![0u64; mentors];
        let mentee = mentors_of
            .iter()
            .enumerate()
            .map(|(j, list)| {
                let mut own = f64::INFINITY;
                for &i in list {
                    let s = score(i, j);
                    own = own.min(s);
                    worst[i] = worst[i].min(s);
                    taken[i] += 1;
                }
                let wanted = cohort.mentee(crate::MenteeIndex::new(j)).mentors_wanted();
                if (list.len() as u64) < wanted {
                    f64::NEG_INFINITY
                } else {
                    own
                }
            })
            .collect();
        let mentor = (0..mentors)
            .map(|i| {
                if taken[i] < cohort.mentor(crate::MentorIndex::new(i)).capacity() {
                    f64::NEG_INFINITY
                } else {
                    worst[i]
                }
            })
            .collect();
        Thresholds { mentor, mentee }
    }

    /// Whether a feasible pair of this score, not matched together, blocks.
    fn blocks(&self, mentor: usize, mentee: usize, score: f64) -> bool {
        score > self.mentor[mentor] && score > self.mentee[mentee]
    }

    /// Blocking pairs of the mentees `mentees`, each row scored by
    /// `row(mentee, scores)` (a feasible pair's score, `-inf` otherwise).
    pub(super) fn count_scored(
        &self,
        mentees: &[usize],
        mentors_of: &[Vec<usize>],
        row: impl Fn(usize, &mut [f64]) + Sync,
    ) -> u64 {
        mentees
            .par_iter()
            .map_init(
                || vec![0.0; self.mentor.len()],
                |scores, &j| {
                    row(j, scores);
                    self.count_row(j, &mentors_of[j], scores.iter().copied().enumerate())
                },
            )
            .sum()
    }

    /// Blocking pairs of the free mentees `free`, whose feasible mentors are
    /// `rows[r]` as (mentor, score).
    pub(super) fn count_rows(
        &self,
        free: &[usize],
        rows: &[super::baseline::Row],
        mentors_of: &[Vec<usize>],
    ) -> u64 {
        free.par_iter()
            .zip(rows)
            .map(|(&j, row)| {
                let pairs = row.iter().map(|&(i, s)| (i as usize, s));
                self.count_row(j, &mentors_of[j], pairs)
            })
            .sum()
    }

    /// Blocking pairs of the free mentees `free` among their candidate
    /// lists (`candidates.row(r)` for `free[r]`): on the scale path a pair
    /// outside the lists is not scored, so this is a lower bound of the
    /// count, equal to it when every list holds all feasible mentors.
    pub(super) fn count_candidates(
        &self,
        free: &[usize],
        candidates: &crate::candidates::Candidates,
        mentors_of: &[Vec<usize>],
    ) -> u64 {
        free.par_iter()
            .enumerate()
            .map(|(r, &j)| {
                let (mentors, scores) = candidates.row(r);
                let pairs = mentors.iter().zip(scores).map(|(&i, &s)| (i as usize, s));
                self.count_row(j, &mentors_of[j], pairs)
            })
            .sum()
    }

    fn count_row(
        &self,
        mentee: usize,
        matched: &[usize],
        pairs: impl Iterator<Item = (usize, f64)>,
    ) -> u64 {
        let mut count = 0;
        for (mentor, score) in pairs {
            if self.blocks(mentor, mentee, score) && !matched.contains(&mentor) {
                count += 1;
            }
        }
        count
    }

    /// Blocking pairs of the free mentees `free`, read from the working
    /// matrix the exact matcher solved: `costs[r][i]` encodes the score of
    /// (mentor `i`, mentee `free[r]`) as `encoding` says, `+inf` for a pair
    /// that is infeasible, pinned, or (with `encoding.hides`) below every
    /// matched pair's score. `exact(i, j)` is a pair's score when it is
    /// feasible, read only for the pairs the matrix cannot decide.
    pub(super) fn count_working(
        &self,
        free: &[usize],
        costs: &Array2<f64>,
        encoding: &Encoding,
        mentors_of: &[Vec<usize>],
        exact: impl Fn(usize, usize) -> Option<f64> + Sync,
    ) -> u64 {
        // The cost a pair needs to beat a threshold: `round` is monotone, so
        // `q(s) > q(t)` means `s > t`, and `q(s) < q(t)` means `s < t`; only
        // equal quantised scores are checked exactly.
        let mentor_limit: Vec<f64> = self.mentor.iter().map(|&t| encoding.cost(t)).collect();
        let costs = costs.as_standard_layout();
        let width = costs.ncols().max(1);
        let cells = costs.as_slice().expect("a standard layout is one slice");
        cells
            .par_chunks(width)
            .zip(free)
            .map(|(row, &j)| {
                let own = encoding.cost(self.mentee[j]);
                // Most rows hold no candidate but their own pairs (which
                // meet their thresholds): one branch-free pass finds out.
                #[allow(clippy::needless_bitwise_bool)]
                let candidate = |cost: f64, limit: f64| (cost <= limit) & (cost <= own);
                let candidates: usize = row
                    .iter()
                    .zip(&mentor_limit)
                    .map(|(&cost, &limit)| usize::from(candidate(cost, limit)))
                    .sum();
                let matched = &mentors_of[j];
                let own_pairs = matched
                    .iter()
                    .filter(|&&i| candidate(row[i], mentor_limit[i]))
                    .count();
                if candidates == own_pairs {
                    return 0;
                }
                let mut count = 0;
                for (i, (&cost, &limit)) in row.iter().zip(&mentor_limit).enumerate() {
                    let limit = limit.min(own);
                    if cost < limit {
                        count += u64::from(!matched.contains(&i));
                    } else if equal(cost, limit) && !matched.contains(&i) {
                        let undecided = cost.is_finite() || encoding.hides;
                        if undecided && exact(i, j).is_some_and(|s| self.blocks(i, j, s)) {
                            count += 1;
                        }
                    }
                }
                count
            })
            .sum()
    }
}

/// Whether two costs are the same: integers (or infinities), compared exactly.
#[allow(clippy::float_cmp)]
fn equal(a: f64, b: f64) -> bool {
    a == b
}

/// How the exact matcher's working matrix encodes a score `s` as a cost:
/// `-(scale · q + offset)` with `q = round(s · SCALE)`, the same operations
/// in the same order, so equal quantised scores give equal costs.
pub(super) struct Encoding {
    pub scale: f64,
    pub offset: f64,
    /// Whether `+inf` may also mark a feasible pair scoring below every
    /// matched pair (the fairness threshold).
    pub hides: bool,
}

impl Encoding {
    /// The cost of a threshold `t`: `+inf` for `-inf` (every feasible pair
    /// beats it), `-inf` for `+inf` (none does).
    fn cost(&self, threshold: f64) -> f64 {
        if threshold.is_finite() {
            -((threshold * SCALE).round() * self.scale + self.offset)
        } else {
            -threshold
        }
    }
}
