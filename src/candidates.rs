//! Candidate generation for the scale path: each mentee's best `k` feasible
//! mentors, without the full score matrix.
//!
//! For each mentee (in parallel blocks), the mentors that can be feasible at
//! all are listed, an upper bound on each one's score is computed cheaply,
//! and only the mentors whose bound could still enter the mentee's top `k`
//! are scored exactly, best bounds first, into a bounded heap:
//!
//! - **Topics.** Under `require_topic_overlap` a pair is feasible only when
//!   the mentor's expertise exceeds the mentee's level on a topic the mentee
//!   seeks. An inverted index lists, per topic, the mentors offering it by
//!   expertise, highest first, so a mentee's possible mentors are a prefix of
//!   the list of each topic they seek; the others are never looked at.
//! - **Bounds.** A pair's score with its schedule component taken as 1
//!   ([`Scorer::score_bound`]: skills, goals, hours and preference exactly,
//!   no bitset work) is never below its score. Mentors are scored exactly in
//!   order of their bound until the heap holds `k` and the next bound cannot
//!   beat its worst entry; a bound below `min_score` rules a mentor out
//!   unscored. Languages, teams, seniority and meeting times are decided by
//!   the exact evaluation.
//!
//! The ranking is by score, highest first, ties by mentor file order; exact
//! scores are the dense path's bit for bit ([`Scorer::feasible_score`]), so
//! the candidate lists are what a full scan of the score matrix would keep.
//!
//! Memory: `O(mentors)` of scratch per thread and 12 bytes per candidate kept,
//! `O((mentors + mentees) · k)` in all.

use std::cmp::Ordering;

use rayon::prelude::*;

use crate::progress::Counter;
use crate::score::Scorer;
use crate::{Cohort, Rule, Rules};

/// Mentees per parallel task (and per progress step of a block).
const BLOCK: usize = 64;

/// How many mentors are scored exactly before the heap's worst entry is
/// used to skip the others: this many times `k`, best bounds first.
const FIRST_ROUND: usize = 2;

/// The candidate mentors of each row (a free mentee), best first, as
/// compressed sparse rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Candidates {
    /// Row `r` owns `mentor[starts[r]..starts[r + 1]]` and the same `score`s.
    starts: Vec<usize>,
    mentor: Vec<u32>,
    score: Vec<f64>,
    /// Per row: whether the list holds every feasible mentor of the mentee
    /// (nothing was cut by `k` or skipped by a bound).
    complete: Vec<bool>,
}

impl Candidates {
    /// Number of rows.
    pub(crate) fn rows(&self) -> usize {
        self.complete.len()
    }

    /// The candidates of `row`: mentors and their scores, best first (ties
    /// by mentor file order).
    pub(crate) fn row(&self, row: usize) -> (&[u32], &[f64]) {
        let range = self.starts[row]..self.starts[row + 1];
        (&self.mentor[range.clone()], &self.score[range])
    }

    /// Whether `row` lists every feasible mentor of its mentee.
    pub(crate) fn is_complete(&self, row: usize) -> bool {
        self.complete[row]
    }
}

/// Per topic, the mentors who offer it with their expertise (the answer,
/// 1..=5), highest expertise first, ties by mentor file order.
pub(crate) struct TopicIndex {
    /// Topic `t` owns `entries[starts[t]..starts[t + 1]]`.
    starts: Vec<usize>,
    entries: Vec<(u8, u32)>,
}

impl TopicIndex {
    /// Builds the index of `cohort`'s mentor side. `O(offers · log)`.
    pub(crate) fn new(cohort: &Cohort) -> TopicIndex {
        let topics = cohort.topics().len();
        let mut lists: Vec<Vec<(u8, u32)>> = vec![Vec::new(); topics];
        for (mentor, &p) in cohort.mentors().iter().enumerate() {
            let mentor = u32::try_from(mentor).expect("fewer than 2^32 mentors");
            for &(topic, expertise) in cohort.at(p).offers() {
                lists[topic].push((expertise, mentor));
            }
        }
        let mut starts = vec![0];
        let mut entries = Vec::new();
        for mut list in lists {
            list.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            entries.extend(list);
            starts.push(entries.len());
        }
        TopicIndex { starts, entries }
    }

    /// The mentors whose expertise on `topic` is above `level`.
    fn above(&self, topic: usize, level: u8) -> &[(u8, u32)] {
        let list = &self.entries[self.starts[topic]..self.starts[topic + 1]];
        let end = list.partition_point(|&(expertise, _)| expertise > level);
        &list[..end]
    }
}

/// The inputs of [`generate`].
pub(crate) struct Request<'a> {
    pub cohort: &'a Cohort,
    pub scorer: &'a Scorer<'a>,
    pub rules: &'a Rules,
    /// The mentees to find candidates for, one row each.
    pub mentees: &'a [usize],
    /// Per mentee (all of them, by mentee index): mentors that must not be
    /// candidates (pinned to the mentee already), ascending or not.
    pub excluded: &'a [Vec<usize>],
    /// Candidates kept per mentee, at least 1.
    pub k: usize,
}

/// Each requested mentee's best `k` feasible mentors; see the module
/// documentation.
///
/// Time: per mentee, `O(p)` for the `p` mentors it could be paired with
/// (every mentor, or under `require_topic_overlap` those that teach one of
/// its topics) to bound them, and the exact evaluation of the few whose
/// bound reaches the top `k`; in parallel over blocks of mentees. Memory:
/// `O(mentors)` per thread and 12 bytes per candidate. `scoring` is told of
/// every mentee done.
pub(crate) fn generate(request: &Request<'_>, scoring: &Counter<'_>) -> Candidates {
    let index = request
        .rules
        .is_on(Rule::RequireTopicOverlap)
        .then(|| TopicIndex::new(request.cohort));
    let mentors = request.cohort.mentors().len();
    let k = request.k.max(1);
    let blocks: Vec<Block> = request
        .mentees
        .par_chunks(BLOCK)
        .map_init(
            || Scratch::new(mentors),
            |scratch, mentees| {
                let mut block = Block::default();
                for &mentee in mentees {
                    let complete =
                        scratch.top(request, index.as_ref(), mentee, k, &mut block.entries);
                    block.complete.push(complete);
                    block.lengths.push(scratch.kept);
                    scoring.add_one();
                }
                block
            },
        )
        .collect();
    let mut candidates = Candidates {
        starts: vec![0],
        ..Candidates::default()
    };
    for block in blocks {
        for &length in &block.lengths {
            let start = *candidates.starts.last().expect("starts at 0");
            candidates.starts.push(start + length);
        }
        candidates.complete.extend(block.complete);
        for (mentor, score) in block.entries {
            candidates.mentor.push(mentor);
            candidates.score.push(score);
        }
    }
    candidates
}

/// The candidates of one block of mentees, in order.
#[derive(Default)]
struct Block {
    entries: Vec<(u32, f64)>,
    lengths: Vec<usize>,
    complete: Vec<bool>,
}

/// One thread's working memory, reused from mentee to mentee.
struct Scratch {
    /// Per mentor: the mentee (plus 1) that last looked at it, so that a
    /// mentor listed under two sought topics is taken once.
    seen: Vec<u32>,
    /// Per mentor: its relation flags with the current mentee, valid when
    /// `related[mentor] == stamp`.
    flags: Vec<u8>,
    related: Vec<u32>,
    /// The possible mentors of the current mentee: (bound, mentor, flags).
    open: Vec<(f64, u32, u8)>,
    /// The best feasible mentors so far: (score, mentor), worst on top.
    heap: Vec<(f64, u32)>,
    /// Candidates of the last mentee.
    kept: usize,
}

/// `a` ranks before `b`: a higher score, or the same score and an earlier mentor.
fn better(a: (f64, u32), b: (f64, u32)) -> bool {
    match a.0.total_cmp(&b.0) {
        Ordering::Greater => true,
        Ordering::Less => false,
        Ordering::Equal => a.1 < b.1,
    }
}

impl Scratch {
    fn new(mentors: usize) -> Scratch {
        Scratch {
            seen: vec![0; mentors],
            flags: vec![0; mentors],
            related: vec![0; mentors],
            open: Vec::new(),
            heap: Vec::new(),
            kept: 0,
        }
    }

    /// Appends the best `k` feasible mentors of `mentee` to `out`, best
    /// first; returns whether they are all its feasible mentors.
    fn top(
        &mut self,
        request: &Request<'_>,
        index: Option<&TopicIndex>,
        mentee: usize,
        k: usize,
        out: &mut Vec<(u32, f64)>,
    ) -> bool {
        let stamp = u32::try_from(mentee + 1).expect("fewer than 2^32 - 1 mentees");
        let scorer = request.scorer;
        for &(mentor, flags) in scorer.relations_of_mentee(mentee) {
            self.related[mentor] = stamp;
            self.flags[mentor] = flags;
        }
        for &mentor in &request.excluded[mentee] {
            // Taken already: as if seen.
            self.seen[mentor] = stamp;
        }
        self.open.clear();
        let min_score = request.rules.min_score();
        let consider = |this: &mut Scratch, mentor: usize| {
            if this.seen[mentor] == stamp {
                return;
            }
            this.seen[mentor] = stamp;
            let flags = if this.related[mentor] == stamp {
                this.flags[mentor]
            } else {
                0
            };
            let bound = scorer.score_bound(mentor, mentee, flags);
            // A bound below `min_score` rules the pair out (the score is lower still).
            if bound >= min_score {
                let mentor = u32::try_from(mentor).expect("fewer than 2^32 mentors");
                this.open.push((bound, mentor, flags));
            }
        };
        match index {
            Some(index) => {
                let person = request.cohort.mentee(crate::MenteeIndex::new(mentee));
                for &(topic, _) in person.seeks() {
                    let level = person
                        .level()
                        .iter()
                        .find(|&&(t, _)| t == topic)
                        .map_or(0, |&(_, level)| level);
                    for &(_, mentor) in index.above(topic, level) {
                        consider(self, mentor as usize);
                    }
                }
            }
            None => {
                for mentor in 0..self.seen.len() {
                    consider(self, mentor);
                }
            }
        }

        // Best bounds first: the first round fills the heap with good
        // scores, so that the worst of them skips the rest.
        let first = (FIRST_ROUND * k).min(self.open.len());
        let by_bound =
            |a: &(f64, u32, u8), b: &(f64, u32, u8)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if first < self.open.len() && first > 0 {
            self.open.select_nth_unstable_by(first - 1, by_bound);
        }
        self.open[..first].sort_unstable_by(by_bound);
        self.heap.clear();
        let mut complete = true;
        let mut feasible = 0usize;
        for at in 0..self.open.len() {
            let (bound, mentor, flags) = self.open[at];
            if self.heap.len() == k {
                let worst = self.heap[0];
                if !better((bound, mentor), worst) {
                    // Its score is at most its bound: it cannot enter.
                    complete = false;
                    continue;
                }
            }
            let Some(score) = scorer.feasible_score(mentor as usize, mentee, flags) else {
                continue;
            };
            feasible += 1;
            self.push((score, mentor), k);
        }
        if feasible > self.heap.len() {
            complete = false;
        }
        // Best first.
        self.heap.sort_unstable_by(|&a, &b| {
            if better(a, b) {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        });
        out.extend(self.heap.iter().map(|&(score, mentor)| (mentor, score)));
        self.kept = self.heap.len();
        complete
    }

    /// Adds a feasible mentor to the heap of the best `k` (worst on top).
    fn push(&mut self, entry: (f64, u32), k: usize) {
        let heap = &mut self.heap;
        if heap.len() < k {
            heap.push(entry);
            let mut at = heap.len() - 1;
            // Sift up: a worse entry moves towards the top.
            while at > 0 {
                let parent = (at - 1) / 2;
                if better(heap[parent], heap[at]) {
                    heap.swap(parent, at);
                    at = parent;
                } else {
                    break;
                }
            }
        } else if better(entry, heap[0]) {
            heap[0] = entry;
            let mut at = 0;
            loop {
                let (left, right) = (2 * at + 1, 2 * at + 2);
                let mut worst = at;
                if left < heap.len() && better(heap[worst], heap[left]) {
                    worst = left;
                }
                if right < heap.len() && better(heap[worst], heap[right]) {
                    worst = right;
                }
                if worst == at {
                    break;
                }
                heap.swap(at, worst);
                at = worst;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Generator;
    use crate::progress::Silent;

    /// Every mentee's best `k` by a full scan of its row, as the dense path scores it.
    fn by_full_scan(cohort: &Cohort, k: usize) -> Vec<Vec<(u32, f64)>> {
        let scorer = Scorer::new(cohort, cohort.weights(), cohort.rules());
        let mentors = cohort.mentors().len();
        (0..cohort.mentees().len())
            .map(|mentee| {
                let mut row = vec![0.0; mentors];
                scorer.mentee_row(mentee, &mut row);
                let mut feasible: Vec<(u32, f64)> = row
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.is_finite())
                    .map(|(m, &s)| (u32::try_from(m).unwrap(), s))
                    .collect();
                feasible.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                feasible.truncate(k);
                feasible
            })
            .collect()
    }

    fn generated(cohort: &Cohort, k: usize) -> Candidates {
        let scorer = Scorer::new(cohort, cohort.weights(), cohort.rules());
        let mentees: Vec<usize> = (0..cohort.mentees().len()).collect();
        let excluded = vec![Vec::new(); mentees.len()];
        let request = Request {
            cohort,
            scorer: &scorer,
            rules: cohort.rules(),
            mentees: &mentees,
            excluded: &excluded,
            k,
        };
        let counter = Counter::start(&Silent, crate::Stage::Scoring, mentees.len() as u64);
        generate(&request, &counter)
    }

    #[test]
    fn the_lists_are_the_best_k_of_a_full_scan_bit_for_bit() {
        for (seed, k) in [(1, 1), (2, 3), (3, 8), (4, 40), (5, 1000)] {
            let cohort = Generator::new(60, 80).seed(seed).cohort();
            let candidates = generated(&cohort, k);
            let expected = by_full_scan(&cohort, k);
            for (row, expected) in expected.iter().enumerate() {
                let (mentors, scores) = candidates.row(row);
                let found: Vec<(u32, f64)> = mentors
                    .iter()
                    .copied()
                    .zip(scores.iter().copied())
                    .collect();
                assert_eq!(&found, expected, "seed {seed}, k {k}, mentee {row}");
            }
        }
    }

    #[test]
    fn a_list_is_complete_when_k_covers_every_mentor() {
        let cohort = Generator::new(30, 40).seed(9).cohort();
        let candidates = generated(&cohort, 30);
        assert!((0..candidates.rows()).all(|row| candidates.is_complete(row)));
        let cut = generated(&cohort, 2);
        let expected = by_full_scan(&cohort, 30);
        for (row, all) in expected.iter().enumerate() {
            // Complete means every feasible mentor is listed; a bound may
            // also skip mentors that turn out infeasible, so the converse
            // need not hold.
            if cut.is_complete(row) {
                assert!(all.len() <= 2, "mentee {row}");
            }
            if all.len() > 2 {
                assert!(!cut.is_complete(row), "mentee {row}");
            }
        }
    }

    #[test]
    fn without_the_topic_rule_every_mentor_is_considered() {
        let cohort = Generator::new(40, 50).seed(3).cohort();
        let rules = cohort.rules().with(Rule::RequireTopicOverlap, false);
        let scorer = Scorer::new(&cohort, cohort.weights(), &rules);
        let mentees: Vec<usize> = (0..50).collect();
        let excluded = vec![Vec::new(); 50];
        let request = Request {
            cohort: &cohort,
            scorer: &scorer,
            rules: &rules,
            mentees: &mentees,
            excluded: &excluded,
            k: 5,
        };
        let counter = Counter::start(&Silent, crate::Stage::Scoring, 50);
        let candidates = generate(&request, &counter);
        for mentee in 0..50 {
            let mut row = vec![0.0; 40];
            scorer.mentee_row(mentee, &mut row);
            let mut best: Vec<(u32, f64)> = row
                .iter()
                .enumerate()
                .filter(|(_, s)| s.is_finite())
                .map(|(m, &s)| (u32::try_from(m).unwrap(), s))
                .collect();
            best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            best.truncate(5);
            let (mentors, scores) = candidates.row(mentee);
            let found: Vec<(u32, f64)> = mentors
                .iter()
                .copied()
                .zip(scores.iter().copied())
                .collect();
            assert_eq!(found, best, "mentee {mentee}");
        }
    }
}
