//! Pair scores: the weights, the four components and the score matrix.

use std::collections::HashMap;

use ndarray::{Array2, ArrayView2, Zip};
use rayon::prelude::*;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::rules::{PairFacts, relation};
use crate::{Cohort, Error, Location, Rule, Rules};

/// Weights of the four score components.
///
/// Each is finite and `>= 0`, and they sum to more than 0. Defaults (the
/// specification's): skills 0.5, goals 0.3, availability 0.1, preference 0.1.
///
/// ```
/// use mentor_match::Weights;
///
/// let weights = Weights::new(1.0, 0.0, 0.0, 0.0)?;
/// assert_eq!(weights.skills(), 1.0);
/// assert!(Weights::new(0.0, 0.0, 0.0, 0.0).is_err());
/// # Ok::<(), mentor_match::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Weights {
    skills: f64,
    goals: f64,
    availability: f64,
    preference: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            skills: 0.5,
            goals: 0.3,
            availability: 0.1,
            preference: 0.1,
        }
    }
}

impl Weights {
    /// Names of the keys of `weights` in a cohort file, in component order.
    pub(crate) const FIELDS: [&'static str; 4] = ["skills", "goals", "availability", "preference"];

    /// Checked weights.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] for a weight that is negative, NaN or infinite;
    /// [`Error::WeightSum`] when they sum to 0 or past the largest `f64`.
    pub fn new(
        skills: f64,
        goals: f64,
        availability: f64,
        preference: f64,
    ) -> Result<Weights, Error> {
        let values = [skills, goals, availability, preference];
        for (value, name) in values.into_iter().zip(Self::FIELDS) {
            if !(value.is_finite() && value >= 0.0) {
                return Err(Error::OutOfRange {
                    at: Location::Weights,
                    field: name.into(),
                    expected: "a finite number >= 0",
                    found: value.to_string(),
                });
            }
        }
        let sum = skills + goals + availability + preference;
        if !(sum > 0.0 && sum.is_finite()) {
            return Err(Error::WeightSum { sum });
        }
        Ok(Weights {
            skills,
            goals,
            availability,
            preference,
        })
    }

    /// Weight of the skills component.
    pub fn skills(&self) -> f64 {
        self.skills
    }

    /// Weight of the goals component.
    pub fn goals(&self) -> f64 {
        self.goals
    }

    /// Weight of the availability component.
    pub fn availability(&self) -> f64 {
        self.availability
    }

    /// Weight of the preference component.
    pub fn preference(&self) -> f64 {
        self.preference
    }

    /// The weighted score of a breakdown, in [0, 1].
    pub fn score(&self, parts: &Breakdown) -> f64 {
        let total = self.skills + self.goals + self.availability + self.preference;
        (self.skills * parts.skills
            + self.goals * parts.goals
            + self.availability * parts.availability
            + self.preference * parts.preference)
            / total
    }
}

/// The four unweighted components of a pair's score, each in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Breakdown {
    /// How far the mentor's expertise goes beyond the mentee's level where the
    /// mentee wants to learn, weighted by the mentee's priorities.
    pub skills: f64,
    /// Cosine of the two goal vectors, clamped to [0, 1].
    pub goals: f64,
    /// Ratio of the smaller to the larger hours per month (1 when either is missing).
    pub availability: f64,
    /// 0.5 for each side that lists the other in `prefers`.
    pub preference: f64,
}

/// Scores and feasibility of every mentor–mentee pair of a cohort.
///
/// Rows are mentors, columns mentees, both in file order (a `both` participant
/// is in each list). Every pair has its real score; infeasible pairs also
/// record the first rule that ruled them out.
///
/// Serialises to `{"mentors": [ids], "mentees": [ids], "scores": [[score or null]]}`
/// with `null` for infeasible pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreMatrix {
    mentors: Vec<String>,
    mentees: Vec<String>,
    scores: Array2<f64>,
    /// 0 for a feasible pair, else `rule.index() + 1` of the first broken rule.
    ruled_out: Array2<u8>,
}

impl ScoreMatrix {
    /// Bytes a score matrix of this shape takes.
    pub fn estimate_bytes(mentors: usize, mentees: usize) -> u64 {
        (mentors as u64) * (mentees as u64) * 9
    }

    /// Scores every pair of `cohort` under `weights` and `rules`, in parallel over rows.
    pub(crate) fn new(cohort: &Cohort, weights: &Weights, rules: &Rules) -> ScoreMatrix {
        ScoreMatrix::from_scorer(&Scorer::new(cohort, weights, rules))
    }

    pub(crate) fn from_scorer(scorer: &Scorer<'_>) -> ScoreMatrix {
        let cohort = scorer.cohort;
        let shape = (cohort.mentors().len(), cohort.mentees().len());
        // Zero-filled in parallel: a large allocation that reuses freed
        // memory is otherwise cleared by one thread before the work starts.
        let mut scores = parallel_zeros::<f64>(shape);
        let mut ruled_out = parallel_zeros::<u8>(shape);
        Zip::indexed(scores.rows_mut())
            .and(ruled_out.rows_mut())
            .par_for_each(|mentor, mut scores, mut ruled_out| {
                let scores = scores
                    .as_slice_mut()
                    .expect("rows of a new matrix are contiguous");
                let ruled_out = ruled_out
                    .as_slice_mut()
                    .expect("rows of a new matrix are contiguous");
                scorer.row(mentor, scores, ruled_out);
            });
        let ids = |side: &[usize]| {
            side.iter()
                .map(|&p| cohort.participants()[p].id().to_owned())
                .collect()
        };
        ScoreMatrix {
            mentors: ids(cohort.mentors()),
            mentees: ids(cohort.mentees()),
            scores,
            ruled_out,
        }
    }

    /// Mentor ids, one per row.
    pub fn mentors(&self) -> &[String] {
        &self.mentors
    }

    /// Mentee ids, one per column.
    pub fn mentees(&self) -> &[String] {
        &self.mentees
    }

    /// Every pair's score, feasible or not (rows = mentors).
    pub fn scores(&self) -> ArrayView2<'_, f64> {
        self.scores.view()
    }

    /// The score of a pair, `None` when it is infeasible.
    ///
    /// # Panics
    ///
    /// When `mentor` or `mentee` is out of range.
    pub fn get(&self, mentor: usize, mentee: usize) -> Option<f64> {
        self.is_feasible(mentor, mentee)
            .then(|| self.scores[(mentor, mentee)])
    }

    /// Whether the pair breaks no rule.
    ///
    /// # Panics
    ///
    /// When `mentor` or `mentee` is out of range.
    pub fn is_feasible(&self, mentor: usize, mentee: usize) -> bool {
        self.ruled_out[(mentor, mentee)] == 0
    }

    /// The first rule, in rule order, that rules the pair out.
    ///
    /// # Panics
    ///
    /// When `mentor` or `mentee` is out of range.
    pub fn ruled_out_by(&self, mentor: usize, mentee: usize) -> Option<Rule> {
        Rule::from_code(self.ruled_out[(mentor, mentee)])
    }
}

impl Serialize for ScoreMatrix {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Rows<'a>(&'a ScoreMatrix);
        struct Row<'a>(&'a ScoreMatrix, usize);
        impl Serialize for Rows<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(Some(self.0.mentors.len()))?;
                for row in 0..self.0.mentors.len() {
                    seq.serialize_element(&Row(self.0, row))?;
                }
                seq.end()
            }
        }
        impl Serialize for Row<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let Row(matrix, row) = *self;
                let mut seq = serializer.serialize_seq(Some(matrix.mentees.len()))?;
                for column in 0..matrix.mentees.len() {
                    seq.serialize_element(&matrix.get(row, column))?;
                }
                seq.end()
            }
        }
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("mentors", &self.mentors)?;
        map.serialize_entry("mentees", &self.mentees)?;
        map.serialize_entry("scores", &Rows(self))?;
        map.end()
    }
}

/// Everything needed to score one pair quickly, computed once per cohort.
pub(crate) struct Scorer<'c> {
    cohort: &'c Cohort,
    weights: Weights,
    rules: Rules,
    topic_count: usize,
    goal_count: usize,
    /// The vectors of [`Vectors`], flattened row-major for the inner loop.
    expertise: Vec<f64>,
    priority: Vec<f64>,
    level: Vec<f64>,
    mentor_goals: Vec<f64>,
    /// Per mentee, the topics they seek as (topic, s, c), in questionnaire
    /// order: mentee `j` owns `sought[sought_at[j]..sought_at[j + 1]]`.
    sought: Vec<(usize, f64, f64)>,
    sought_at: Vec<usize>,
    /// Per mentee, the goals they give as (goal, g), likewise.
    wanted: Vec<(usize, f64)>,
    wanted_at: Vec<usize>,
    mentor_facts: Vec<PersonFacts>,
    mentee_facts: Vec<PersonFacts>,
    /// `Σ_t s_j[t]` per mentee.
    priority_sums: Vec<f64>,
    mentor_goal_norms: Vec<f64>,
    mentee_goal_norms: Vec<f64>,
    /// Per mentor: (mentee, relation flags), ascending by mentee.
    by_mentor: Vec<Vec<(usize, u8)>>,
    /// Per mentee: (mentor, relation flags), ascending by mentor.
    by_mentee: Vec<Vec<(usize, u8)>>,
    /// Whether every language has a bit of its own in `language_mask`
    /// (at most 64 distinct languages in the cohort).
    exact_language_masks: bool,
}

/// What the rules and the availability component read of one participant.
struct PersonFacts {
    hours: Option<f64>,
    team: Option<usize>,
    seniority: Option<i64>,
    has_languages: bool,
    /// Bit `id % 64` for each language id: disjoint masks mean disjoint sets.
    language_mask: u64,
    /// Language ids, ascending, for the exact check beyond 64 languages.
    languages: Vec<usize>,
}

impl<'c> Scorer<'c> {
    pub(crate) fn new(cohort: &'c Cohort, weights: &Weights, rules: &Rules) -> Scorer<'c> {
        let vectors = cohort.vectors();
        // Plain left-to-right sums in questionnaire order, as the formulas
        // read (ndarray's `sum` and `dot` reorder additions, which can move
        // a score by one bit and across an exactly compared `min_score`).
        let priority_sums = vectors
            .priority()
            .rows()
            .into_iter()
            .map(|r| r.iter().fold(0.0, |sum, &s| sum + s))
            .collect();
        let norms = |goals: &Array2<f64>| -> Vec<f64> {
            goals
                .rows()
                .into_iter()
                .map(|r| r.iter().fold(0.0, |sum, &g| sum + g * g).sqrt())
                .collect()
        };
        let participants = cohort.participants();
        let by_mentor = relations(cohort);

        let mut languages: HashMap<&str, usize> = HashMap::new();
        for participant in participants {
            for code in participant.languages() {
                let next = languages.len();
                languages.entry(code).or_insert(next);
            }
        }
        let mut teams: HashMap<&str, usize> = HashMap::new();
        let mut facts_of = |side: &[usize]| -> Vec<PersonFacts> {
            side.iter()
                .map(|&p| {
                    let person = &participants[p];
                    PersonFacts {
                        hours: person.hours_per_month(),
                        team: person.team().map(|team| {
                            let next = teams.len();
                            *teams.entry(team).or_insert(next)
                        }),
                        seniority: person.seniority(),
                        has_languages: !person.languages().is_empty(),
                        language_mask: person.languages().iter().fold(0, |mask, code| {
                            mask | 1u64 << (languages[code.as_str()] % 64)
                        }),
                        languages: {
                            let mut ids: Vec<usize> = person
                                .languages()
                                .iter()
                                .map(|code| languages[code.as_str()])
                                .collect();
                            ids.sort_unstable();
                            ids
                        },
                    }
                })
                .collect()
        };
        let mentor_facts = facts_of(cohort.mentors());
        let mentee_facts = facts_of(cohort.mentees());

        let flat = |matrix: &Array2<f64>| matrix.iter().copied().collect::<Vec<f64>>();
        let (sought, sought_at, wanted, wanted_at) = sparse_mentee_answers(&vectors);

        Scorer {
            cohort,
            weights: *weights,
            rules: *rules,
            topic_count: cohort.topics().len(),
            goal_count: cohort.goals().len(),
            expertise: flat(vectors.expertise()),
            priority: flat(vectors.priority()),
            level: flat(vectors.level()),
            mentor_goals: flat(vectors.mentor_goals()),
            sought,
            sought_at,
            wanted,
            wanted_at,
            mentor_facts,
            mentee_facts,
            priority_sums,
            mentor_goal_norms: norms(vectors.mentor_goals()),
            mentee_goal_norms: norms(vectors.mentee_goals()),
            by_mentee: transpose(&by_mentor, cohort.mentees().len()),
            by_mentor,
            exact_language_masks: languages.len() <= 64,
        }
    }

    pub(crate) fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Scores one mentor's row into `scores` and `ruled_out` (codes).
    fn row(&self, mentor: usize, scores: &mut [f64], ruled_out: &mut [u8]) {
        let mut related = self.by_mentor[mentor].iter().peekable();
        for (mentee, (score, code)) in scores.iter_mut().zip(ruled_out.iter_mut()).enumerate() {
            let flags = next_flags(&mut related, mentee);
            let (_, facts) = self.evaluate(mentor, mentee, flags);
            *score = facts.score;
            *code = self.rules.first_broken(&facts).map_or(0, |rule| {
                u8::try_from(rule.index() + 1).expect("nine rules")
            });
        }
    }

    /// Scores one mentee against every mentor into `scores`: the score of a
    /// feasible pair, `-inf` for an infeasible one.
    pub(crate) fn mentee_row(&self, mentee: usize, scores: &mut [f64]) {
        let mut related = self.by_mentee[mentee].iter().peekable();
        for (mentor, score) in scores.iter_mut().enumerate() {
            let flags = next_flags(&mut related, mentor);
            let (_, facts) = self.evaluate(mentor, mentee, flags);
            *score = if self.rules.first_broken(&facts).is_none() {
                facts.score
            } else {
                f64::NEG_INFINITY
            };
        }
    }

    /// The breakdown and rule facts of one pair.
    pub(crate) fn pair(&self, mentor: usize, mentee: usize) -> (Breakdown, PairFacts) {
        let related = &self.by_mentor[mentor];
        let flags = related
            .binary_search_by_key(&mentee, |&(m, _)| m)
            .map_or(0, |at| related[at].1);
        self.evaluate(mentor, mentee, flags)
    }

    // The body of both scoring loops: inlined, the processor overlaps the
    // divisions of neighbouring pairs (about a fifth faster, scoring bench).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn evaluate(&self, mentor: usize, mentee: usize, flags: u8) -> (Breakdown, PairFacts) {
        // Only the topics a mentee seeks and the goals they give contribute:
        // the other terms are exactly 0, and adding 0 to a non-negative sum
        // changes no bit, so these sparse sums equal the dense formula's.
        let expertise = &self.expertise[mentor * self.topic_count..][..self.topic_count];
        let mut taught = 0.0;
        for &(topic, s, c) in &self.sought[self.sought_at[mentee]..self.sought_at[mentee + 1]] {
            taught += s * (expertise[topic] - c).max(0.0);
        }
        let skills = taught / self.priority_sums[mentee];

        let norms = self.mentor_goal_norms[mentor] * self.mentee_goal_norms[mentee];
        let goals = if norms == 0.0 {
            0.0
        } else {
            let mentor_goals = &self.mentor_goals[mentor * self.goal_count..][..self.goal_count];
            let mut dot = 0.0;
            for &(goal, g) in &self.wanted[self.wanted_at[mentee]..self.wanted_at[mentee + 1]] {
                dot += mentor_goals[goal] * g;
            }
            (dot / norms).clamp(0.0, 1.0)
        };

        let (a, b) = (&self.mentor_facts[mentor], &self.mentee_facts[mentee]);
        let availability = match (a.hours, b.hours) {
            (Some(a), Some(b)) => a.min(b) / a.max(b),
            _ => 1.0,
        };
        let preference = 0.5 * f64::from(u8::from(flags & relation::MENTEE_PREFERS != 0))
            + 0.5 * f64::from(u8::from(flags & relation::MENTOR_PREFERS != 0));

        let breakdown = Breakdown {
            skills,
            goals,
            availability,
            preference,
        };
        let same_team = matches!((a.team, b.team), (Some(x), Some(y)) if x == y);
        let no_shared_language = a.has_languages
            && b.has_languages
            && (a.language_mask & b.language_mask == 0
                || (!self.exact_language_masks && disjoint(&a.languages, &b.languages)));
        let junior_mentor = matches!((a.seniority, b.seniority), (Some(x), Some(y)) if x < y);
        let facts = PairFacts {
            relation: flags,
            same_team,
            no_shared_language,
            junior_mentor,
            skills,
            score: self.weights.score(&breakdown),
        };
        (breakdown, facts)
    }

    /// Topics with a positive contribution `s·max(0, e − c)`, largest first,
    /// ties in questionnaire order.
    pub(crate) fn topics(&self, mentor: usize, mentee: usize) -> Vec<String> {
        let topics = self.topic_count;
        let expertise = &self.expertise[mentor * topics..][..topics];
        let priority = &self.priority[mentee * topics..][..topics];
        let level = &self.level[mentee * topics..][..topics];
        let mut contributions: Vec<(usize, f64)> = (0..self.cohort.topics().len())
            .map(|t| (t, priority[t] * (expertise[t] - level[t]).max(0.0)))
            .filter(|&(_, c)| c > 0.0)
            .collect();
        // A stable sort keeps questionnaire order among equal contributions.
        contributions.sort_by(|a, b| b.1.total_cmp(&a.1));
        contributions
            .into_iter()
            .map(|(t, _)| self.cohort.topics()[t].id().to_owned())
            .collect()
    }
}

/// Per mentee, the topics sought as (topic, s, c) and the goals given as
/// (goal, g), in questionnaire order, flattened with start offsets.
#[allow(clippy::type_complexity)]
fn sparse_mentee_answers(
    vectors: &crate::Vectors,
) -> (
    Vec<(usize, f64, f64)>,
    Vec<usize>,
    Vec<(usize, f64)>,
    Vec<usize>,
) {
    let (mut sought, mut sought_at) = (Vec::new(), vec![0]);
    for (priority, level) in vectors
        .priority()
        .rows()
        .into_iter()
        .zip(vectors.level().rows())
    {
        for (topic, (&s, &c)) in priority.iter().zip(level.iter()).enumerate() {
            if s > 0.0 {
                sought.push((topic, s, c));
            }
        }
        sought_at.push(sought.len());
    }
    let (mut wanted, mut wanted_at) = (Vec::new(), vec![0]);
    for goals in vectors.mentee_goals().rows() {
        wanted.extend(
            goals
                .iter()
                .enumerate()
                .filter(|&(_, &g)| g > 0.0)
                .map(|(k, &g)| (k, g)),
        );
        wanted_at.push(wanted.len());
    }
    (sought, sought_at, wanted, wanted_at)
}

/// A matrix of zeros, filled in parallel: a large allocation that reuses
/// freed memory is otherwise cleared by one thread before the work starts.
pub(crate) fn parallel_zeros<T: Default + Copy + Send + Sync>(shape: (usize, usize)) -> Array2<T> {
    let mut cells = Vec::new();
    (0..shape.0 * shape.1)
        .into_par_iter()
        .map(|_| T::default())
        .collect_into_vec(&mut cells);
    Array2::from_shape_vec(shape, cells).expect("the length is rows × columns")
}

/// Whether two ascending lists have no element in common.
fn disjoint(a: &[usize], b: &[usize]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return false,
        }
    }
    true
}

/// The flags of `position` from a list sorted by position, advancing past it.
fn next_flags<'a>(
    related: &mut std::iter::Peekable<impl Iterator<Item = &'a (usize, u8)>>,
    position: usize,
) -> u8 {
    match related.peek() {
        Some(&&(other, flags)) if other == position => {
            related.next();
            flags
        }
        _ => 0,
    }
}

/// The same relations listed per mentee, ascending by mentor.
fn transpose(by_mentor: &[Vec<(usize, u8)>], mentees: usize) -> Vec<Vec<(usize, u8)>> {
    let mut by_mentee = vec![Vec::new(); mentees];
    for (mentor, row) in by_mentor.iter().enumerate() {
        for &(mentee, flags) in row {
            by_mentee[mentee].push((mentor, flags));
        }
    }
    by_mentee
}

/// Per mentor, the mentees with a relation that rules or preferences look at.
fn relations(cohort: &Cohort) -> Vec<Vec<(usize, u8)>> {
    let participants = cohort.participants();
    let mut mentor_at = vec![None; participants.len()];
    for (i, &p) in cohort.mentors().iter().enumerate() {
        mentor_at[p] = Some(i);
    }
    let mut mentee_at = vec![None; participants.len()];
    for (j, &p) in cohort.mentees().iter().enumerate() {
        mentee_at[p] = Some(j);
    }
    let mut rows: Vec<Vec<(usize, u8)>> = vec![Vec::new(); cohort.mentors().len()];
    // (mentor participant, mentee participant, flag)
    let mut mark = |mentor: usize, mentee: usize, flag: u8| {
        if let (Some(i), Some(j)) = (mentor_at[mentor], mentee_at[mentee]) {
            rows[i].push((j, flag));
        }
    };
    for (p, person) in participants.iter().enumerate() {
        if person.role == crate::Role::Both {
            mark(p, p, relation::SELF);
        }
        for &other in &person.avoids {
            mark(p, other, relation::AVOIDS);
            mark(other, p, relation::AVOIDS);
        }
        for &other in &person.prefers {
            mark(p, other, relation::MENTOR_PREFERS);
            mark(other, p, relation::MENTEE_PREFERS);
        }
        if let Some(manager) = person.manager {
            mark(p, manager, relation::MANAGER);
            mark(manager, p, relation::MANAGER);
        }
    }
    for pair in cohort.history() {
        mark(pair.mentor, pair.mentee, relation::HISTORY);
    }
    for row in &mut rows {
        row.sort_unstable_by_key(|&(j, _)| j);
        row.dedup_by(|later, earlier| {
            if later.0 == earlier.0 {
                earlier.1 |= later.1;
                true
            } else {
                false
            }
        });
    }
    rows
}
