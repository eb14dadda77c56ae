//! Candidate generation for the scale path: each mentee's best `k` feasible
//! mentors, without the full score matrix.
//!
//! For each mentee (in parallel blocks of mentees), mentors are scored
//! exactly only when an upper bound on their score could still enter the
//! mentee's top `k`, kept in a bounded heap:
//!
//! - **Topics.** Under `require_topic_overlap` a pair is feasible only when
//!   the mentor's expertise exceeds the mentee's level on a topic the mentee
//!   seeks. An inverted index lists, per topic, the mentors offering it,
//!   highest expertise first, so a mentee's possible mentors are a prefix of
//!   the list of each topic they seek; no other mentor is looked at.
//! - **Blocks.** Each list is cut into blocks of [`BLOCK_SIZE`] mentors of
//!   one expertise, alike inside (ordered by the goal they weigh most, then
//!   hours). A block keeps its mentors' highest expertise on every topic,
//!   their largest unit goal components and their range of hours, which bound
//!   the skills, goals and availability components of any of its mentors;
//!   with the schedule component taken as 1 that bounds the score. Blocks
//!   are visited best bound first, from a heap of one integer per block (the
//!   bound rounded up to 32 bits and the block number, see [`Ranked`]; a
//!   heap, not a sort: most are never reached) until the heap of
//!   candidates is full and the next bound is below its worst score.
//! - **Mentors.** Inside a block, each mentor's own bound decides whether it
//!   is scored exactly. When the index is compact it comes from the entry's
//!   own answers ([`TopicIndex::entry_partial`]): first with the schedule
//!   component taken as 1, tested at once against `min_score` (below it, the
//!   mentor is ruled out unscored) and the heap's worst score (below it, the
//!   mentor is skipped) with no bitset work; only a mentor that passes gets
//!   its exact schedule component, from its week against the mentee's week
//!   prepared once ([`Scorer::mentee_against`], [`Scorer::schedule_against`]),
//!   and is tested again with that tighter bound. Otherwise the bound is the
//!   pair's score itself, rules aside ([`Scorer::score_bound`]). The steps
//!   of the week in common found for a bound are handed on to the exact
//!   evaluation rather than counted again, and a pair they show to share
//!   fewer hours than `min_common_hours` (most of the pairs ruled out) is
//!   ruled out without it ([`Scorer::too_few_common_hours`]). Mentors
//!   related to the mentee (preferences, and the relations that rule pairs
//!   out) are looked at first, one by one, since block bounds leave
//!   preferences out. Languages, teams, seniority and the other rules are
//!   decided by the exact evaluation.
//! - **Skills terms.** Block and entry bounds look up each sought topic's
//!   term `s · max(0, e / 5 − c)` per expertise answer `e`, computed once
//!   per mentee ([`MenteeView`]).
//!
//! Without `require_topic_overlap` every mentor gets its own bound (its
//! score, rules aside) and the best `2k` bounds are scored first.
//!
//! Every bound is a true upper bound: the block and entry bounds add a
//! margin far above the rounding of sums taken in another order (and of the
//! goal vectors kept as `f32`), and the scorer's bound is the same formula
//! in the same order.
//!
//! The ranking is by score, highest first, ties by mentor file order; exact
//! scores are the dense path's bit for bit ([`Scorer::feasible_score`]), so
//! the candidate lists are what a full scan of the score matrix would keep.
//! A list is *complete* when it holds every feasible mentor of its mentee
//! (nothing was cut by `k` and no mentor not yet seen was skipped by a bound).
//!
//! Memory: `O(mentors)` of scratch per thread, the index (`O(offers)`, and
//! `topics + 8 · goals` bytes per block), and 12 bytes per candidate kept:
//! `O((mentors + mentees) · k)` for `k` of at least the offers per mentor.

use std::cmp::Ordering;

use rayon::prelude::*;

use crate::progress::Counter;
use crate::score::{MenteeWeek, Scorer};
use crate::{Cohort, Rule, Rules, Weights};

/// Mentees per parallel task (and per progress step of a block).
const MENTEES_PER_TASK: usize = 64;

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
/// 1..=5), highest expertise first, cut into blocks of at most [`BLOCK_SIZE`]
/// mentors of one expertise, each with what bounds its mentors' scores.
pub(crate) struct TopicIndex {
    /// Topic `t` owns `blocks[starts[t]..starts[t + 1]]`, highest expertise first.
    starts: Vec<usize>,
    blocks: Vec<Block>,
    /// The mentors of every block, in block order.
    mentors: Vec<u32>,
    /// Per block, the highest expertise answer (0..=5) of its mentors on
    /// every topic.
    expertise: BlockAnswers<u8>,
    /// Per block, the largest component of its mentors' unit goal vectors
    /// (`g / |g|`) on every goal.
    goals: BlockAnswers<f64>,
    topics: usize,
    goal_count: usize,
    /// Whether the entries below are kept (at most [`COMPACT`] topics and
    /// goals): per entry of `mentors`, in the same order, what bounds that
    /// mentor's score, read in sequence rather than from the scorer.
    compact: bool,
    /// Per entry, the mentor's expertise answer (0..=5) on every topic.
    entry_expertise: Vec<u8>,
    /// Per entry, the mentor's unit goal vector (`f32`: see [`ENTRY_MARGIN`]).
    entry_goals: Vec<f32>,
    /// Per entry, the mentor's hours per month.
    entry_hours: Vec<Option<f64>>,
}

/// The most topics, and goals, for which the index keeps each entry's answers.
const COMPACT: usize = 64;

/// Added to an entry's bound: its goal vector is rounded to `f32` (a
/// relative error of 6e-8 in each of at most 64 components, each at most 1).
const ENTRY_MARGIN: f64 = 1e-5;

/// Mentors per block of the topic index.
const BLOCK_SIZE: usize = 4;

/// `pairs` sorted by key, one pair per key with the `max` of its values.
fn highest<T: Copy>(mut pairs: Vec<(u32, T)>, max: impl Fn(T, T) -> T) -> Vec<(u32, T)> {
    pairs.sort_by_key(|&(key, _)| key);
    let mut out: Vec<(u32, T)> = Vec::with_capacity(pairs.len());
    for (key, value) in pairs {
        match out.last_mut() {
            Some(last) if last.0 == key => last.1 = max(last.1, value),
            _ => out.push((key, value)),
        }
    }
    out
}

/// One answer per block and topic (or goal), 0 where no mentor of the block
/// gives it: a row per block when the index is compact (at most
/// [`COMPACT`] topics and goals, read directly), otherwise each block's
/// given answers as a list by key, so that the index grows with the
/// answers, never with blocks × topics.
enum BlockAnswers<T> {
    Rows {
        width: usize,
        values: Vec<T>,
    },
    Lists {
        values: Vec<(u32, T)>,
        at: Vec<usize>,
    },
}

impl<T: Copy + Default> BlockAnswers<T> {
    fn new(compact: bool, width: usize) -> Self {
        if compact {
            BlockAnswers::Rows {
                width,
                values: Vec::new(),
            }
        } else {
            BlockAnswers::Lists {
                values: Vec::new(),
                at: vec![0],
            }
        }
    }

    /// Adds the next block's answers (from [`highest`]: by key, one each).
    fn push(&mut self, answers: Vec<(u32, T)>) {
        match self {
            BlockAnswers::Rows { width, values } => {
                let from = values.len();
                values.resize(from + *width, T::default());
                for (key, value) in answers {
                    values[from + key as usize] = value;
                }
            }
            BlockAnswers::Lists { values, at } => {
                values.extend(answers);
                at.push(values.len());
            }
        }
    }

    /// Appends the blocks of `other` (of the same kind) after these.
    fn append(&mut self, other: Self) {
        match (self, other) {
            (BlockAnswers::Rows { values, .. }, BlockAnswers::Rows { values: more, .. }) => {
                values.extend(more);
            }
            (
                BlockAnswers::Lists { values, at },
                BlockAnswers::Lists {
                    values: more,
                    at: more_at,
                },
            ) => {
                let base = values.len();
                values.extend(more);
                at.extend(more_at[1..].iter().map(|&a| a + base));
            }
            _ => unreachable!("the blocks of one index are of one kind"),
        }
    }

    /// `Σ term(item, answer of block b on key(item))` over `items`, in order.
    fn sum<I: Copy>(
        &self,
        b: usize,
        items: &[I],
        key: impl Fn(I) -> usize,
        term: impl Fn(I, T) -> f64,
    ) -> f64 {
        match self {
            BlockAnswers::Rows { width, values } => {
                let row = &values[b * width..(b + 1) * width];
                items.iter().fold(0.0, |sum, &i| sum + term(i, row[key(i)]))
            }
            BlockAnswers::Lists { values, at } => {
                let list = &values[at[b]..at[b + 1]];
                let answer = |k: usize| {
                    u32::try_from(k)
                        .ok()
                        .and_then(|k| list.binary_search_by_key(&k, |&(key, _)| key).ok())
                        .map_or_else(T::default, |found| list[found].1)
                };
                items
                    .iter()
                    .fold(0.0, |sum, &i| sum + term(i, answer(key(i))))
            }
        }
    }
}

/// A topic or goal number as stored in the index.
fn as_u32(k: usize) -> u32 {
    u32::try_from(k).expect("fewer than 2^32 topics and goals")
}

/// A block of mentors with the same expertise on the topic of its list.
struct Block {
    /// Its mentors: `TopicIndex::mentors[from..to]`.
    from: usize,
    to: usize,
    /// Their expertise answer on the topic of the list.
    level: u8,
    /// The fewest and most hours per month among those who give hours, and
    /// whether someone gives none (then availability may be 1).
    hours: (f64, f64),
    some_without_hours: bool,
}

impl TopicIndex {
    /// Builds the index of `cohort`'s mentor side, the topics' lists in
    /// parallel. `O(offers · log)`.
    pub(crate) fn new(cohort: &Cohort) -> TopicIndex {
        let topics = cohort.topics().len();
        let goal_count = cohort.goals().len();
        // Unit goal vectors, and the goal each mentor weighs most and their
        // hours (the order inside a level, so that a block's mentors are
        // alike), once per mentor.
        let unit_vectors: Vec<Vec<(usize, f64)>> = cohort
            .mentors()
            .iter()
            .map(|&p| unit_goals(cohort.at(p).goals()))
            .collect();
        let main_goal: Vec<usize> = cohort
            .mentors()
            .iter()
            .map(|&p| {
                cohort
                    .at(p)
                    .goals()
                    .iter()
                    .max_by_key(|&&(k, g)| (g, std::cmp::Reverse(k)))
                    .map_or(usize::MAX, |&(k, _)| k)
            })
            .collect();
        let hours_key: Vec<f64> = cohort
            .mentors()
            .iter()
            .map(|&p| cohort.at(p).hours_per_month().unwrap_or(f64::INFINITY))
            .collect();
        let mut lists: Vec<Vec<(u8, u32)>> = vec![Vec::new(); topics];
        for (mentor, &p) in cohort.mentors().iter().enumerate() {
            let mentor = u32::try_from(mentor).expect("fewer than 2^32 mentors");
            for &(topic, expertise) in cohort.at(p).offers() {
                lists[topic].push((expertise, mentor));
            }
        }
        let compact = topics <= COMPACT && goal_count <= COMPACT;
        let empty = || TopicIndex {
            starts: vec![0],
            blocks: Vec::new(),
            mentors: Vec::new(),
            expertise: BlockAnswers::new(compact, topics),
            goals: BlockAnswers::new(compact, goal_count),
            topics,
            goal_count,
            compact,
            entry_expertise: Vec::new(),
            entry_goals: Vec::new(),
            entry_hours: Vec::new(),
        };
        // The index of one topic's list.
        let of_list = |mut list: Vec<(u8, u32)>| {
            let mut index = empty();
            // A total order (the mentor last): unstable sorting is as good.
            list.sort_unstable_by(|&(e, a), &(f, b)| {
                let (a, b) = (a as usize, b as usize);
                f.cmp(&e)
                    .then(main_goal[a].cmp(&main_goal[b]))
                    .then(hours_key[a].total_cmp(&hours_key[b]))
                    .then(a.cmp(&b))
            });
            for level in list.chunk_by(|a, b| a.0 == b.0) {
                for chunk in level.chunks(BLOCK_SIZE) {
                    index.push_block(cohort, chunk, &unit_vectors);
                }
            }
            index.starts.push(index.blocks.len());
            index
        };
        // The lists in parallel, then one after the other.
        let parts: Vec<TopicIndex> = lists.into_par_iter().map(of_list).collect();
        let mut index = empty();
        for part in parts {
            index.append(part);
        }
        index
    }

    /// Adds the block of the mentors of `chunk` (one expertise, with the
    /// mentors' unit goal vectors in `unit_goals`).
    fn push_block(
        &mut self,
        cohort: &Cohort,
        chunk: &[(u8, u32)],
        unit_goals: &[Vec<(usize, f64)>],
    ) {
        let person = |mentor: u32| cohort.mentor(crate::MentorIndex::new(mentor as usize));
        let from = self.mentors.len();
        self.mentors.extend(chunk.iter().map(|&(_, m)| m));
        let mut expertise: Vec<(u32, u8)> = Vec::new();
        let mut goals: Vec<(u32, f64)> = Vec::new();
        let mut hours = (f64::INFINITY, f64::NEG_INFINITY);
        let mut some_without_hours = false;
        for &(_, mentor) in chunk {
            let offers = person(mentor).offers();
            let unit = &unit_goals[mentor as usize];
            expertise.extend(offers.iter().map(|&(t, e)| (as_u32(t), e)));
            goals.extend(unit.iter().map(|&(k, g)| (as_u32(k), g)));
            if self.compact {
                self.push_entry(offers, unit, person(mentor).hours_per_month());
            }
            match person(mentor).hours_per_month() {
                Some(h) => hours = (hours.0.min(h), hours.1.max(h)),
                None => some_without_hours = true,
            }
        }
        self.expertise.push(highest(expertise, Ord::max));
        self.goals.push(highest(goals, f64::max));
        self.blocks.push(Block {
            from,
            to: self.mentors.len(),
            level: chunk[0].0,
            hours,
            some_without_hours,
        });
    }

    /// Appends the blocks of `part`, an index of one topic, as the next topic.
    fn append(&mut self, part: TopicIndex) {
        let (mentors, blocks) = (self.mentors.len(), self.blocks.len());
        self.mentors.extend(part.mentors);
        self.blocks
            .extend(part.blocks.into_iter().map(|block| Block {
                from: block.from + mentors,
                to: block.to + mentors,
                ..block
            }));
        self.starts
            .extend(part.starts[1..].iter().map(|&start| start + blocks));
        self.expertise.append(part.expertise);
        self.goals.append(part.goals);
        self.entry_expertise.extend(part.entry_expertise);
        self.entry_goals.extend(part.entry_goals);
        self.entry_hours.extend(part.entry_hours);
    }

    /// Keeps one entry's answers, in full (only when the index is compact).
    fn push_entry(
        &mut self,
        offers: &[(usize, u8)],
        unit_goals: &[(usize, f64)],
        hours: Option<f64>,
    ) {
        let mut expertise = vec![0u8; self.topics];
        let mut goals = vec![0.0f32; self.goal_count];
        for &(t, e) in offers {
            expertise[t] = e;
        }
        for &(k, g) in unit_goals {
            #[allow(clippy::cast_possible_truncation)] // on purpose
            let rounded = g as f32;
            goals[k] = rounded;
        }
        self.entry_expertise.extend(expertise);
        self.entry_goals.extend(goals);
        self.entry_hours.push(hours);
    }

    /// The blocks of `topic` whose mentors' expertise is above `level`, as
    /// a range of block numbers.
    fn above(&self, topic: usize, level: u8) -> std::ops::Range<usize> {
        let (from, to) = (self.starts[topic], self.starts[topic + 1]);
        let end = from + self.blocks[from..to].partition_point(|block| block.level > level);
        from..end
    }

    /// The mentors of block `b`.
    fn mentors_of(&self, b: usize) -> &[u32] {
        let block = &self.blocks[b];
        &self.mentors[block.from..block.to]
    }

    /// An upper bound on the score of any mentor of block `b` with `mentee`
    /// (neither related to the other: preference 0); see [`MenteeView`].
    fn bound(&self, b: usize, mentee: &MenteeView, weights: &Weights, weight_sum: f64) -> f64 {
        let block = &self.blocks[b];
        let taught = self.expertise.sum(
            b,
            &mentee.sought,
            |(topic, _)| topic,
            |(_, gains), e| gains[usize::from(e)],
        );
        let skills = taught / mentee.priority_sum;
        let goals = if mentee.unit_goals.is_empty() {
            0.0
        } else {
            let dot = self
                .goals
                .sum(b, &mentee.unit_goals, |(k, _)| k, |(_, g), most| g * most);
            dot.min(1.0)
        };
        let availability = match mentee.hours {
            Some(h) if !block.some_without_hours => {
                let (low, high) = block.hours;
                if h < low {
                    h / low
                } else if h > high {
                    high / h
                } else {
                    1.0
                }
            }
            _ => 1.0,
        };
        let weighted = weights.skills() * skills
            + weights.goals() * goals
            + weights.availability() * availability
            + weights.schedule();
        // Computed in another order than the scores: a margin far above
        // the rounding of either covers the difference.
        weighted / weight_sum + MARGIN
    }

    /// The weighted skills, goals and availability of the mentor of entry
    /// `entry` with `mentee` (not related: preference 0), from the entry's
    /// own answers, in the order of the score's formula: at least the
    /// score's terms but for the rounding of the goal vector to `f32` (see
    /// [`ENTRY_MARGIN`]). Only when the index is compact.
    fn entry_partial(&self, entry: usize, mentee: &MenteeView, weights: &Weights) -> f64 {
        let expertise = &self.entry_expertise[entry * self.topics..(entry + 1) * self.topics];
        let mut taught = 0.0;
        for (topic, gains) in &mentee.sought {
            taught += gains[usize::from(expertise[*topic])];
        }
        let skills = taught / mentee.priority_sum;
        let goals = if mentee.unit_goals.is_empty() {
            0.0
        } else {
            let own = &self.entry_goals[entry * self.goal_count..(entry + 1) * self.goal_count];
            let dot: f64 = mentee
                .unit_goals
                .iter()
                .map(|&(k, g)| g * f64::from(own[k]))
                .sum();
            dot.min(1.0)
        };
        let availability = match (self.entry_hours[entry], mentee.hours) {
            (Some(a), Some(b)) => a.min(b) / a.max(b),
            _ => 1.0,
        };
        weights.skills() * skills + weights.goals() * goals + weights.availability() * availability
    }
}

/// The bound of an entry of a compact index, from its
/// [`TopicIndex::entry_partial`] and a schedule component: the pair's own,
/// or 1 for a looser bound that reads no meeting times.
fn entry_bound(partial: f64, schedule: f64, weights: &Weights, weight_sum: f64) -> f64 {
    // Computed in another order than the score, and from goals rounded to
    // `f32`: the margin covers both.
    (partial + weights.schedule() * schedule) / weight_sum + ENTRY_MARGIN
}

/// The entry of `mentor` with the mentee of `week` and relation flags
/// `flags`: its bound (its score, rules aside, [`Scorer::score_bound`]),
/// itself, its flags and the steps of the week they have in common.
fn entry_of(
    request: &Request<'_>,
    mentor: usize,
    (mentee, week): (usize, &MenteeWeek),
    flags: u8,
) -> Entry {
    let common = request.scorer.common_against(mentor, week);
    let bound = request.scorer.score_bound(mentor, mentee, flags, common);
    let mentor = u32::try_from(mentor).expect("fewer than 2^32 mentors");
    (bound, mentor, flags, common)
}

/// The non-zero entries of the unit goal vector of a person's `goals`
/// (importance 1..=5 each, divided by 5), as (goal, value); empty when no
/// goal is given.
fn unit_goals(goals: &[(usize, u8)]) -> Vec<(usize, f64)> {
    let norm = goals
        .iter()
        .map(|&(_, g)| (f64::from(g) / 5.0).powi(2))
        .sum::<f64>()
        .sqrt();
    if norm > 0.0 {
        goals
            .iter()
            .map(|&(k, g)| (k, f64::from(g) / 5.0 / norm))
            .collect()
    } else {
        Vec::new()
    }
}

/// Added to a block's bound: rounding moves a score by about 1e-16.
const MARGIN: f64 = 1e-12;

/// What the block bounds read of one mentee.
struct MenteeView {
    /// The topics sought, each with its term of the skills sum
    /// `s · max(0, e / 5 − c)` for every expertise answer `e` (0..=5), so
    /// that a bound looks the term up.
    sought: Vec<(usize, [f64; 6])>,
    priority_sum: f64,
    /// The unit goal vector's non-zero entries (empty when no goal is given).
    unit_goals: Vec<(usize, f64)>,
    hours: Option<f64>,
}

impl MenteeView {
    fn new(cohort: &Cohort, mentee: usize) -> MenteeView {
        let person = cohort.mentee(crate::MenteeIndex::new(mentee));
        let level_of = |topic: usize| {
            person
                .level()
                .iter()
                .find(|&&(t, _)| t == topic)
                .map_or(0, |&(_, level)| level)
        };
        let priority_sum = person
            .seeks()
            .iter()
            .map(|&(_, s)| f64::from(s) / 5.0)
            .sum();
        let sought = person
            .seeks()
            .iter()
            .map(|&(t, s)| {
                let (s, c) = (f64::from(s) / 5.0, f64::from(level_of(t)) / 5.0);
                let mut gains = [0.0; 6];
                for (e, gain) in (0u8..).zip(&mut gains) {
                    *gain = s * (f64::from(e) / 5.0 - c).max(0.0);
                }
                (t, gains)
            })
            .collect();
        MenteeView {
            sought,
            priority_sum,
            unit_goals: unit_goals(person.goals()),
            hours: person.hours_per_month(),
        }
    }
}

/// The inputs of [`generate`].
pub(crate) struct Request<'a> {
    pub cohort: &'a Cohort,
    pub scorer: &'a Scorer<'a>,
    pub rules: &'a Rules,
    pub weights: &'a Weights,
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
    let weight_sum = request.weights.sum();
    let blocks: Vec<Chunk> = request
        .mentees
        .par_chunks(MENTEES_PER_TASK)
        .map_init(
            || Scratch::new(mentors),
            |scratch, mentees| {
                let mut block = Chunk::default();
                for &mentee in mentees {
                    let complete = match &index {
                        Some(index) => scratch.top_indexed(request, index, weight_sum, mentee, k),
                        None => scratch.top_of_all(request, mentee, k),
                    };
                    scratch.write(&mut block.entries);
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
struct Chunk {
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
    /// The possible mentors of the current mentee.
    open: Vec<Entry>,
    /// The best feasible mentors so far: (score, mentor), worst on top.
    heap: Vec<(f64, u32)>,
    /// Feasible mentors scored for the current mentee.
    feasible: usize,
    /// The index's blocks for the current mentee, by bound.
    blocks: Vec<Ranked>,
    /// Candidates of the last mentee.
    kept: usize,
}

/// A possible mentor: its bound, itself, its relation flags with the mentee
/// and the steps of the week they have in common.
type Entry = (f64, u32, u8, u32);

/// A block of the topic index in the heap of blocks, as one integer that
/// orders blocks by bound, the highest first, ties by block number: the
/// high 32 bits of the bound's float, rounded up (so still a bound, within
/// a millionth), in the high half, the block number complemented in the low
/// one. Cheaper to compare and move than a float and a number.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Ranked(u64);

impl Ranked {
    fn new(bound: f64, b: usize) -> Ranked {
        // A positive float's bits order as it does; their high half, rounded
        // up, is the float rounded up to 20 bits of mantissa. Any other
        // bound is ranked as 0, which is still at least the bound.
        let key = if bound > 0.0 {
            (bound.to_bits() + u64::from(u32::MAX)) >> 32
        } else {
            0
        };
        let b = u32::try_from(b).expect("fewer than 2^32 blocks");
        Ranked(key << 32 | u64::from(!b))
    }

    /// The bound, rounded up: at least the bound given to [`Ranked::new`].
    fn bound(self) -> f64 {
        f64::from_bits(self.0 >> 32 << 32)
    }

    fn block(self) -> usize {
        #[allow(clippy::cast_possible_truncation)] // the low half on purpose
        let b = !(self.0 as u32);
        b as usize
    }
}

/// A mentor not scored: its bound could not beat the heap's worst entry.
struct Skipped;

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
            feasible: 0,
            blocks: Vec::new(),
            kept: 0,
        }
    }

    /// Starts the search of `mentee`: marks its relations and the mentors
    /// excluded, clears the lists; returns its stamp.
    fn begin(&mut self, request: &Request<'_>, mentee: usize) -> u32 {
        let stamp = u32::try_from(mentee + 1).expect("fewer than 2^32 - 1 mentees");
        for &(mentor, flags) in request.scorer.relations_of_mentee(mentee) {
            self.related[mentor] = stamp;
            self.flags[mentor] = flags;
        }
        for &mentor in &request.excluded[mentee] {
            // Taken already: as if seen.
            self.seen[mentor] = stamp;
        }
        self.open.clear();
        self.heap.clear();
        stamp
    }

    /// Marks `mentor` seen; when it was not seen yet, its entry: its bound
    /// (its score with the mentee of `week`, rules aside), itself, its flags
    /// and the steps of the week they have in common.
    fn look(
        &mut self,
        request: &Request<'_>,
        stamp: u32,
        mentor: usize,
        (mentee, week): (usize, &MenteeWeek),
    ) -> Option<Entry> {
        if self.seen[mentor] == stamp {
            return None;
        }
        self.seen[mentor] = stamp;
        let flags = if self.related[mentor] == stamp {
            self.flags[mentor]
        } else {
            0
        };
        Some(entry_of(request, mentor, (mentee, week), flags))
    }

    /// Whether a mentor (or block) of bound `bound` cannot enter the full
    /// heap of the best `k`: the bound is below its worst score (a bound
    /// equal to it may still win its tie).
    fn beaten(&self, bound: f64, k: usize) -> bool {
        self.heap.len() == k && bound < self.heap[0].0
    }

    /// Scores `mentor` exactly unless its bound cannot beat the heap's
    /// worst entry (then [`Skipped`]), or is below `min_score`, or its
    /// steps in common fall short of `min_common_hours` (both rule it out).
    fn offer(
        &mut self,
        request: &Request<'_>,
        mentee: usize,
        k: usize,
        entry: Entry,
    ) -> Result<(), Skipped> {
        let (bound, mentor, flags, common) = entry;
        // A bound below `min_score` rules the pair out (the score is lower still).
        if bound < request.rules.min_score() {
            return Ok(());
        }
        if self.beaten(bound, k) {
            return Err(Skipped);
        }
        // Most pairs ruled out are ruled out by their meeting times, known
        // already: no evaluation for them.
        if request
            .scorer
            .too_few_common_hours(mentor as usize, mentee, common)
        {
            return Ok(());
        }
        if let Some(score) = request
            .scorer
            .feasible_score(mentor as usize, mentee, flags, common)
        {
            self.feasible += 1;
            self.push((score, mentor), k);
        }
        Ok(())
    }

    /// The best `k` feasible mentors of `mentee` under
    /// `require_topic_overlap`, through the topic index: blocks in order of
    /// their bounds, until the next cannot beat the heap's worst entry.
    /// Returns whether they are all its feasible mentors.
    fn top_indexed(
        &mut self,
        request: &Request<'_>,
        index: &TopicIndex,
        weight_sum: f64,
        mentee: usize,
        k: usize,
    ) -> bool {
        let stamp = self.begin(request, mentee);
        self.feasible = 0;
        let mut complete = true;
        let week = request.scorer.mentee_against(mentee);
        // Related mentors (preferences among them) one by one, first.
        for &(mentor, _) in request.scorer.relations_of_mentee(mentee) {
            if let Some(entry) = self.look(request, stamp, mentor, (mentee, &week)) {
                self.open.push(entry);
            }
        }
        for at in 0..self.open.len() {
            let entry = self.open[at];
            if self.offer(request, mentee, k, entry).is_err() {
                complete = false;
            }
        }
        let view = MenteeView::new(request.cohort, mentee);
        let person = request.cohort.mentee(crate::MenteeIndex::new(mentee));
        self.blocks.clear();
        let min_score = request.rules.min_score();
        for &(topic, _) in person.seeks() {
            let level = person
                .level()
                .iter()
                .find(|&&(t, _)| t == topic)
                .map_or(0, |&(_, level)| level);
            for b in index.above(topic, level) {
                let bound = index.bound(b, &view, request.weights, weight_sum);
                // Below `min_score`: every mentor of the block is infeasible.
                if bound >= min_score {
                    self.blocks.push(Ranked::new(bound, b));
                }
            }
        }
        // Best bound first, without sorting them all: most are never reached.
        let mut blocks = std::collections::BinaryHeap::from(std::mem::take(&mut self.blocks));
        while let Some(ranked) = blocks.pop() {
            let (bound, b) = (ranked.bound(), ranked.block());
            if self.beaten(bound, k) {
                // Neither this block nor any later one can enter; the list
                // is cut unless all their mentors were seen already
                // (through a relation or another topic).
                let unseen = |b: usize| {
                    index
                        .mentors_of(b)
                        .iter()
                        .any(|&mentor| self.seen[mentor as usize] != stamp)
                };
                if unseen(b) || blocks.iter().any(|ranked| unseen(ranked.block())) {
                    complete = false;
                }
                break;
            }
            let block = &index.blocks[b];
            for entry in block.from..block.to {
                let mentor = index.mentors[entry];
                if self.seen[mentor as usize] == stamp {
                    continue;
                }
                self.seen[mentor as usize] = stamp;
                // Related mentors were seen first: the flags here are 0.
                let entry = if index.compact {
                    let partial = index.entry_partial(entry, &view, request.weights);
                    // First with the schedule component at 1: a mentor
                    // that cannot enter even so costs no bitset work.
                    let loose = entry_bound(partial, 1.0, request.weights, weight_sum);
                    if loose < min_score {
                        continue;
                    }
                    if self.beaten(loose, k) {
                        complete = false;
                        continue;
                    }
                    let (schedule, common) =
                        request.scorer.schedule_against(mentor as usize, &week);
                    let bound = entry_bound(partial, schedule, request.weights, weight_sum);
                    (bound, mentor, 0, common)
                } else {
                    entry_of(request, mentor as usize, (mentee, &week), 0)
                };
                if self.offer(request, mentee, k, entry).is_err() {
                    complete = false;
                }
            }
        }
        self.blocks = blocks.into_vec();
        complete && self.feasible == self.heap.len()
    }

    /// The best `k` feasible mentors of `mentee` among all mentors (without
    /// `require_topic_overlap`): each mentor's bound, the best `2k` bounds
    /// scored first. Returns whether they are all its feasible mentors.
    fn top_of_all(&mut self, request: &Request<'_>, mentee: usize, k: usize) -> bool {
        let stamp = self.begin(request, mentee);
        self.feasible = 0;
        let week = request.scorer.mentee_against(mentee);
        for mentor in 0..self.seen.len() {
            if let Some(entry) = self.look(request, stamp, mentor, (mentee, &week)) {
                self.open.push(entry);
            }
        }
        // Best bounds first: the first round fills the heap with good
        // scores, so that the worst of them skips the rest.
        let first = (FIRST_ROUND * k).min(self.open.len());
        let by_bound = |a: &Entry, b: &Entry| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if first < self.open.len() && first > 0 {
            self.open.select_nth_unstable_by(first - 1, by_bound);
        }
        self.open[..first].sort_unstable_by(by_bound);
        let mut complete = true;
        for at in 0..self.open.len() {
            let entry = self.open[at];
            if self.offer(request, mentee, k, entry).is_err() {
                complete = false;
            }
        }
        complete && self.feasible == self.heap.len()
    }

    /// Appends the heap, best first, to `out`.
    fn write(&mut self, out: &mut Vec<(u32, f64)>) {
        self.heap.sort_unstable_by(|&a, &b| {
            if better(a, b) {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        });
        out.extend(self.heap.iter().map(|&(score, mentor)| (mentor, score)));
        self.kept = self.heap.len();
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
    use proptest::prelude::*;

    use super::*;
    use crate::progress::Silent;
    use crate::{Component, Generator};

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
            weights: cohort.weights(),
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
            weights: cohort.weights(),
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

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Every block bound (also as rounded up in the heap of blocks) and
        /// every mentor's own bound (with its exact schedule component, and
        /// the looser one with the schedule at 1) is at least the exact
        /// score of each feasible unrelated pair it covers, and a pair ruled
        /// out by its common hours alone is infeasible, on generated
        /// cohorts with meeting times in several time zones, under random
        /// weights; with 70 topics the index is not compact and the
        /// mentors' bounds come from the scorer.
        #[test]
        fn no_bound_is_below_the_exact_score_of_a_pair_it_covers(
            seed in 0u64..10_000,
            mentors in 1usize..40,
            mentees in 1usize..30,
            topics in prop::sample::select(vec![4usize, 16, 70]),
            weights in prop::array::uniform5(0.0f64..1.0),
        ) {
            let cohort = Generator::new(mentors, mentees).topics(topics).seed(seed).cohort();
            let weights = Component::all()
                .zip(weights)
                .fold(*cohort.weights(), |all, (component, w)| all.with(component, w));
            prop_assume!(weights.check().is_ok());
            let scorer = Scorer::new(&cohort, &weights, cohort.rules());
            let weight_sum = weights.sum();
            let index = TopicIndex::new(&cohort);
            prop_assert_eq!(index.compact, topics <= COMPACT);
            for mentee in 0..mentees {
                let view = MenteeView::new(&cohort, mentee);
                let week = scorer.mentee_against(mentee);
                let related = scorer.relations_of_mentee(mentee);
                for (b, block) in index.blocks.iter().enumerate() {
                    let bound = index.bound(b, &view, &weights, weight_sum);
                    let ranked = Ranked::new(bound, b);
                    prop_assert!(ranked.bound() >= bound);
                    prop_assert_eq!(ranked.block(), b);
                    for entry in block.from..block.to {
                        let mentor = index.mentors[entry] as usize;
                        if related.iter().any(|&(other, _)| other == mentor) {
                            continue;
                        }
                        let common = scorer.common_against(mentor, &week);
                        let found = scorer.feasible_score(mentor, mentee, 0, common);
                        // The shortcut for `min_common_hours` agrees with
                        // the evaluation.
                        if scorer.too_few_common_hours(mentor, mentee, common) {
                            prop_assert!(found.is_none());
                        }
                        let Some(score) = found else {
                            continue;
                        };
                        prop_assert!(bound >= score, "block {}, mentor {}, mentee {}", b, mentor, mentee);
                        prop_assert!(scorer.score_bound(mentor, mentee, 0, common) >= score);
                        if index.compact {
                            let partial = index.entry_partial(entry, &view, &weights);
                            let (schedule, steps) = scorer.schedule_against(mentor, &week);
                            let own = entry_bound(partial, schedule, &weights, weight_sum);
                            let loose = entry_bound(partial, 1.0, &weights, weight_sum);
                            prop_assert!(own >= score, "mentor {}, mentee {}", mentor, mentee);
                            prop_assert!(loose >= own);
                            prop_assert!(steps == common || (steps == 0 && schedule >= 1.0));
                        }
                    }
                }
            }
        }
    }
}
