//! Pair scores: the components, their weights and the score matrix.
//!
//! One table ([`COMPONENTS`]) drives every component's name, order and
//! default weight; [`Scorer::evaluate`] computes them. A new component is a
//! variant, a table entry and its computation.

use std::collections::HashMap;
use std::fmt;

use ndarray::{Array2, ArrayView2, Zip};
use rayon::prelude::*;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Serialize, Serializer};

use crate::rules::{Facts, relation};
use crate::schedule::{Calendar, Week, Weeks};
use crate::{Cohort, Error, Location, MenteeIndex, MentorIndex, Rule, Rules};

mod tables;

use tables::{Lists, Table};

/// A component of the pair score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Component {
    /// How far the mentor's expertise goes beyond the mentee's level where the
    /// mentee wants to learn, weighted by the mentee's priorities.
    Skills,
    /// Cosine of the two goal vectors, clamped to [0, 1].
    Goals,
    /// Ratio of the smaller to the larger hours per month (1 when either is missing).
    Availability,
    /// 0.5 for each side that lists the other in `prefers`.
    Preference,
    /// The share of the shorter weekly availability that the two have in
    /// common (1 when either gives no meeting times).
    Schedule,
}

/// Every component in score order: the component, its name in files and
/// results, and its default weight (`schedule`'s when the questionnaire has
/// meeting times; without them it is 0, see [`Weights::for_questionnaire`]).
const COMPONENTS: [(Component, &str, f64); 5] = [
    (Component::Skills, "skills", 0.5),
    (Component::Goals, "goals", 0.3),
    (Component::Availability, "availability", 0.1),
    (Component::Preference, "preference", 0.1),
    (Component::Schedule, "schedule", 0.1),
];

/// Number of components.
const COUNT: usize = COMPONENTS.len();

impl Component {
    /// Every component, in score order.
    pub fn all() -> impl ExactSizeIterator<Item = Component> + Clone {
        COMPONENTS.iter().map(|&(component, _, _)| component)
    }

    /// The component's name in files and results, for example `"skills"`.
    pub fn name(self) -> &'static str {
        COMPONENTS[self as usize].1
    }

    /// The component with this name, if any.
    pub fn from_name(name: &str) -> Option<Component> {
        COMPONENTS
            .iter()
            .find(|&&(_, known, _)| known == name)
            .map(|&(component, _, _)| component)
    }

    /// The specification's default weight (for `schedule`, when the
    /// questionnaire has meeting times; 0 otherwise).
    pub fn default_weight(self) -> f64 {
        COMPONENTS[self as usize].2
    }

    /// Names of the keys of `weights` in a cohort file, in score order.
    pub(crate) fn keys() -> impl Iterator<Item = &'static str> {
        COMPONENTS.iter().map(|&(_, name, _)| name)
    }
}

impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Per component, in score order, a value: serialised as a map from the
/// components' names.
#[derive(Debug, Clone, Copy, PartialEq)]
struct PerComponent([f64; COUNT]);

impl Serialize for PerComponent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(COUNT))?;
        for (component, value) in Component::all().zip(self.0) {
            map.serialize_entry(component.name(), &value)?;
        }
        map.end()
    }
}

impl PerComponent {
    /// Reads a map from component names; names not given keep `defaults`.
    fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
        defaults: [f64; COUNT],
    ) -> Result<Self, D::Error> {
        struct Names([f64; COUNT]);
        impl<'de> Visitor<'de> for Names {
            type Value = PerComponent;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map from score components to numbers")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PerComponent, A::Error> {
                let mut values = self.0;
                while let Some(key) = map.next_key::<String>()? {
                    let component = Component::from_name(&key).ok_or_else(|| {
                        de::Error::custom(format_args!("unknown score component {key:?}"))
                    })?;
                    if let Some(value) = map.next_value::<Option<f64>>()? {
                        values[component as usize] = value;
                    }
                }
                Ok(PerComponent(values))
            }
        }
        deserializer.deserialize_map(Names(defaults))
    }
}

/// The weights of the score components.
///
/// Each is finite and `>= 0`, and they sum to more than 0 ([`Weights::check`],
/// which the matcher and the cohort builder call). Defaults (the
/// specification's): skills 0.5, goals 0.3, availability 0.1, preference 0.1,
/// and schedule 0.1 when the questionnaire has meeting times, 0 when it has
/// none ([`Weights::default`] is the latter, so that a cohort without meeting
/// times scores exactly as in version 1 of the specification).
///
/// ```
/// use mentor_match::{Component, Weights};
///
/// let weights = Weights::default().with(Component::Skills, 1.0).with(Component::Goals, 0.0);
/// assert_eq!(weights.skills(), 1.0);
/// assert_eq!(weights.get(Component::Availability), 0.1);
/// assert!(weights.check().is_ok());
/// assert!(Weights::default().with(Component::Goals, -1.0).check().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    values: PerComponent,
}

impl Default for Weights {
    /// The defaults for a questionnaire without meeting times (`schedule` 0).
    fn default() -> Self {
        Weights::for_questionnaire(false)
    }
}

impl Weights {
    /// The specification's defaults for a questionnaire with or without
    /// meeting times: `schedule` is 0.1 with them and 0 without.
    pub fn for_questionnaire(has_slots: bool) -> Weights {
        let weights = Weights {
            values: PerComponent(COMPONENTS.map(|(_, _, default)| default)),
        };
        if has_slots {
            weights
        } else {
            weights.with(Component::Schedule, 0.0)
        }
    }

    /// The weight of `component`.
    pub fn get(&self, component: Component) -> f64 {
        self.values.0[component as usize]
    }

    /// Sets the weight of `component` (defaults: see [`Weights`]). A bad value
    /// is reported by [`Weights::check`].
    #[must_use]
    pub fn with(mut self, component: Component, weight: f64) -> Self {
        self.values.0[component as usize] = weight;
        self
    }

    /// Weight of the skills component (default 0.5).
    pub fn skills(&self) -> f64 {
        self.get(Component::Skills)
    }

    /// Weight of the goals component (default 0.3).
    pub fn goals(&self) -> f64 {
        self.get(Component::Goals)
    }

    /// Weight of the availability component (default 0.1).
    pub fn availability(&self) -> f64 {
        self.get(Component::Availability)
    }

    /// Weight of the preference component (default 0.1).
    pub fn preference(&self) -> f64 {
        self.get(Component::Preference)
    }

    /// Weight of the schedule component (default 0.1 when the questionnaire
    /// has meeting times, 0 otherwise).
    pub fn schedule(&self) -> f64 {
        self.get(Component::Schedule)
    }

    /// Checks the weights.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] (at [`Location::Weights`], naming the component)
    /// for a weight that is negative, NaN or infinite; [`Error::WeightSum`]
    /// when they sum to 0 or past the largest `f64`.
    pub fn check(&self) -> Result<(), Error> {
        for (component, value) in Component::all().zip(self.values.0) {
            if !(value.is_finite() && value >= 0.0) {
                return Err(Error::OutOfRange {
                    at: Location::Weights,
                    field: component.name().into(),
                    expected: "a finite number >= 0",
                    found: value.to_string(),
                });
            }
        }
        let sum = self.sum();
        if !(sum > 0.0 && sum.is_finite()) {
            return Err(Error::WeightSum { sum });
        }
        Ok(())
    }

    /// The sum of the weights, left to right in score order.
    pub(crate) fn sum(&self) -> f64 {
        self.values.0.iter().fold(0.0, |sum, &w| sum + w)
    }

    /// The weighted score of a breakdown, in [0, 1].
    pub fn score(&self, parts: &Breakdown) -> f64 {
        self.weighted(parts) / self.sum()
    }

    /// The numerator of [`Weights::score`]: left to right in score order, as
    /// the formula reads; starting from +0 adds nothing to a sum of
    /// non-negative terms.
    fn weighted(&self, parts: &Breakdown) -> f64 {
        self.values
            .0
            .iter()
            .zip(parts.values.0)
            .fold(0.0, |sum, (&w, c)| sum + w * c)
    }
}

impl Serialize for Weights {
    /// The `weights` object of a cohort file, every component in score order.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.values.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Weights {
    /// Reads the `weights` object of a cohort file through [`Weights::check`];
    /// components not given keep their defaults.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let values = PerComponent::deserialize(deserializer, Weights::default().values.0)?;
        let weights = Weights { values };
        weights.check().map_err(de::Error::custom)?;
        Ok(weights)
    }
}

/// The unweighted components of a pair's score, each in [0, 1].
///
/// Serialises as a map from the components' names, in score order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Breakdown {
    values: PerComponent,
}

impl Breakdown {
    /// The value of `component`.
    pub fn get(&self, component: Component) -> f64 {
        self.values.0[component as usize]
    }

    /// Every component with its value, in score order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (Component, f64)> + '_ {
        Component::all().zip(self.values.0)
    }

    /// How far the mentor's expertise goes beyond the mentee's level where the
    /// mentee wants to learn, weighted by the mentee's priorities.
    pub fn skills(&self) -> f64 {
        self.get(Component::Skills)
    }

    /// Cosine of the two goal vectors, clamped to [0, 1].
    pub fn goals(&self) -> f64 {
        self.get(Component::Goals)
    }

    /// Ratio of the smaller to the larger hours per month (1 when either is missing).
    pub fn availability(&self) -> f64 {
        self.get(Component::Availability)
    }

    /// 0.5 for each side that lists the other in `prefers`.
    pub fn preference(&self) -> f64 {
        self.get(Component::Preference)
    }

    /// Hours both can meet in, over the smaller of their weekly hours (1
    /// when either gives no meeting times).
    pub fn schedule(&self) -> f64 {
        self.get(Component::Schedule)
    }
}

impl Serialize for Breakdown {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.values.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Breakdown {
    /// Reads a breakdown as a result writes it; a component not given is 1
    /// (what a component without answers on either side is).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let values = PerComponent::deserialize(deserializer, [1.0; COUNT])?;
        Ok(Breakdown { values })
    }
}

/// Scores and feasibility of every mentor–mentee pair of a cohort.
///
/// Rows are mentors, columns mentees, both in file order (a `both` participant
/// is in each list). Every pair has its real score; infeasible pairs also
/// record the first rule that ruled them out. Pairs are found by typed index
/// ([`ScoreMatrix::get`]) or by ids ([`ScoreMatrix::score_of`]) in constant time.
///
/// Serialises to `{"mentors": [ids], "mentees": [ids], "scores": [[score or null]]}`
/// with `null` for infeasible pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreMatrix {
    mentors: Vec<String>,
    mentees: Vec<String>,
    mentor_at: HashMap<String, MentorIndex>,
    mentee_at: HashMap<String, MenteeIndex>,
    scores: Array2<f64>,
    /// 0 for a feasible pair, else [`Rule::code`] of the first broken rule.
    ruled_out: Array2<u8>,
    /// The weights and rules the scores were computed with.
    weights: Weights,
    rules: Rules,
}

impl ScoreMatrix {
    /// Bytes the cells of a score matrix of this shape take (9 a pair);
    /// [`Cohort::try_score_matrix`] also counts the ids and the scorer.
    pub fn estimate_bytes(mentors: usize, mentees: usize) -> u64 {
        (mentors as u64) * (mentees as u64) * 9
    }

    /// Bytes scoring `cohort` allocates: the cells, the ids with their
    /// lookups, and the scorer's tables ([`Scorer::estimate_bytes`]).
    pub(crate) fn estimate_for(cohort: &Cohort) -> u64 {
        const PER_ID: u64 = 2 * (24 + 16) + 64;
        let ids: u64 = cohort
            .participants()
            .iter()
            .map(|p| 2 * (p.id().len() as u64 + PER_ID))
            .sum();
        ScoreMatrix::estimate_bytes(cohort.mentors().len(), cohort.mentees().len())
            + ids
            + Scorer::estimate_bytes(cohort)
    }

    /// Scores every pair of `cohort` under `weights` and `rules`, in parallel over rows.
    pub(crate) fn new(cohort: &Cohort, weights: &Weights, rules: &Rules) -> ScoreMatrix {
        let scorer = Scorer::new(cohort, weights, rules);
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
        let ids = |side: &[crate::ParticipantIndex]| -> Vec<String> {
            side.iter()
                .map(|&p| cohort.participants()[p.get()].id().to_owned())
                .collect()
        };
        let mentors = ids(cohort.mentors());
        let mentees = ids(cohort.mentees());
        ScoreMatrix {
            mentor_at: index_by_id(&mentors, MentorIndex::new),
            mentee_at: index_by_id(&mentees, MenteeIndex::new),
            mentors,
            mentees,
            scores,
            ruled_out,
            weights: *weights,
            rules: *rules,
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

    /// The mentor-side place of a mentor id.
    pub fn mentor_index(&self, id: &str) -> Option<MentorIndex> {
        self.mentor_at.get(id).copied()
    }

    /// The mentee-side place of a mentee id.
    pub fn mentee_index(&self, id: &str) -> Option<MenteeIndex> {
        self.mentee_at.get(id).copied()
    }

    /// Every pair's score, feasible or not (rows = mentors).
    pub fn scores(&self) -> ArrayView2<'_, f64> {
        self.scores.view()
    }

    /// The weights the scores were computed with.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// The rules feasibility was decided by.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// The score of a pair, `None` when it is infeasible. Places are typed
    /// indices or plain positions (row, column).
    ///
    /// # Panics
    ///
    /// When `mentor` or `mentee` is out of range.
    pub fn get(
        &self,
        mentor: impl Into<MentorIndex>,
        mentee: impl Into<MenteeIndex>,
    ) -> Option<f64> {
        let (mentor, mentee) = (mentor.into().get(), mentee.into().get());
        (self.ruled_out[(mentor, mentee)] == 0).then(|| self.scores[(mentor, mentee)])
    }

    /// The score of the pair of these ids: `None` when either id is not on
    /// its side or the pair is infeasible.
    pub fn score_of(&self, mentor: &str, mentee: &str) -> Option<f64> {
        self.get(self.mentor_index(mentor)?, self.mentee_index(mentee)?)
    }

    /// Whether the pair breaks no rule.
    ///
    /// # Panics
    ///
    /// When `mentor` or `mentee` is out of range.
    pub fn is_feasible(
        &self,
        mentor: impl Into<MentorIndex>,
        mentee: impl Into<MenteeIndex>,
    ) -> bool {
        self.ruled_out[(mentor.into().get(), mentee.into().get())] == 0
    }

    /// The first rule, in rule order, that rules the pair out.
    ///
    /// # Panics
    ///
    /// When `mentor` or `mentee` is out of range.
    pub fn ruled_out_by(
        &self,
        mentor: impl Into<MentorIndex>,
        mentee: impl Into<MenteeIndex>,
    ) -> Option<Rule> {
        Rule::from_code(self.ruled_out[(mentor.into().get(), mentee.into().get())])
    }

    /// One mentee's column as the matcher reads it: the score of a feasible
    /// pair, `-inf` for an infeasible one.
    pub(crate) fn mentee_column(&self, mentee: usize, scores: &mut [f64]) {
        for (mentor, score) in scores.iter_mut().enumerate() {
            *score = if self.ruled_out[(mentor, mentee)] == 0 {
                self.scores[(mentor, mentee)]
            } else {
                f64::NEG_INFINITY
            };
        }
    }
}

/// Ids to their typed positions.
fn index_by_id<I>(ids: &[String], index: fn(usize) -> I) -> HashMap<String, I> {
    ids.iter()
        .enumerate()
        .map(|(k, id)| (id.clone(), index(k)))
        .collect()
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
                    seq.serialize_element(
                        &matrix.get(MentorIndex::new(row), MenteeIndex::new(column)),
                    )?;
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
    /// The sum of the weights, the denominator of every score.
    weight_sum: f64,
    rules: Rules,
    /// What the rules read about people and their relations.
    facts: Facts,
    /// Mentor expertise `e` by (mentor, topic).
    expertise: Table,
    /// Mentor goal vectors `g` by (mentor, goal).
    mentor_goals: Table,
    /// Per mentee, the topics they seek as (topic, s, c), in questionnaire order.
    sought: Lists<(usize, f64, f64)>,
    /// Per mentee, the goals they give as (goal, g), likewise.
    wanted: Lists<(usize, f64)>,
    mentor_hours: Vec<Option<f64>>,
    mentee_hours: Vec<Option<f64>>,
    /// Weekly availability (a count of 0 for those who give no meeting times).
    calendar: Calendar,
    mentor_weeks: Weeks,
    mentee_weeks: Weeks,
    /// `Σ_t s_j[t]` per mentee.
    priority_sums: Vec<f64>,
    mentor_goal_norms: Vec<f64>,
    mentee_goal_norms: Vec<f64>,
}

impl<'c> Scorer<'c> {
    pub(crate) fn new(cohort: &'c Cohort, weights: &Weights, rules: &Rules) -> Scorer<'c> {
        let fifth = |answer: u8| f64::from(answer) / 5.0;
        let mentees = || cohort.mentees().iter().map(|&p| cohort.at(p));
        let sought = Lists::new(mentees(), |person| {
            let mut level = person.level().iter().peekable();
            person.seeks().iter().map(move |&(topic, s)| {
                while level.next_if(|&&(t, _)| t < topic).is_some() {}
                let c = level
                    .peek()
                    .filter(|&&&(t, _)| t == topic)
                    .map_or(0, |&&(_, c)| c);
                (topic, fifth(s), fifth(c))
            })
        });
        let wanted = Lists::new(mentees(), |person| {
            person
                .goals()
                .iter()
                .map(move |&(goal, g)| (goal, fifth(g)))
        });
        // Plain left-to-right sums in questionnaire order, as the formulas
        // read (ndarray's `sum` and `dot` reorder additions, which can move
        // a score by one bit and across an exactly compared `min_score`).
        // Only the answers given are added: the dense formula's other terms
        // are +0, and adding +0 to a sum of non-negative terms changes no bit.
        let priority_sums = (0..cohort.mentees().len())
            .map(|j| sought.of(j).iter().fold(0.0, |sum, &(_, s, _)| sum + s))
            .collect();
        let norms = |side: &[crate::ParticipantIndex]| -> Vec<f64> {
            side.iter()
                .map(|&p| {
                    let goals = cohort.at(p).goals().iter();
                    goals
                        .fold(0.0, |sum, &(_, g)| sum + fifth(g) * fifth(g))
                        .sqrt()
                })
                .collect()
        };
        let hours = |side: &[crate::ParticipantIndex]| -> Vec<Option<f64>> {
            side.iter()
                .map(|&p| cohort.participants()[p.get()].hours_per_month())
                .collect()
        };
        let calendar = Calendar::new(
            cohort.slots(),
            cohort
                .participants()
                .iter()
                .map(crate::Participant::utc_offset),
        );
        let weeks = |side: &[crate::ParticipantIndex]| -> Weeks {
            Weeks::new(
                &calendar,
                side.iter().map(|&p| {
                    let person = cohort.at(p);
                    (person.slots(), person.utc_offset())
                }),
            )
        };
        // The relations and the two sides' weeks, the larger parts, at once.
        let (facts, (mentor_weeks, mentee_weeks)) = rayon::join(
            || Facts::new(cohort),
            || rayon::join(|| weeks(cohort.mentors()), || weeks(cohort.mentees())),
        );

        Scorer {
            cohort,
            weights: *weights,
            weight_sum: weights.sum(),
            rules: *rules,
            facts,
            expertise: Table::new(
                cohort,
                cohort.mentors(),
                cohort.topics().len(),
                crate::Participant::offers,
            ),
            mentor_goals: Table::new(
                cohort,
                cohort.mentors(),
                cohort.goals().len(),
                crate::Participant::goals,
            ),
            sought,
            wanted,
            mentor_hours: hours(cohort.mentors()),
            mentee_hours: hours(cohort.mentees()),
            mentor_weeks,
            mentee_weeks,
            calendar,
            priority_sums,
            mentor_goal_norms: norms(cohort.mentors()),
            mentee_goal_norms: norms(cohort.mentees()),
        }
    }

    /// Bytes [`Scorer::new`] and the scoring of rows allocate for `cohort`,
    /// an upper bound computed from counts, without allocating: the answer
    /// lists and tables, per-person facts and relations, hours, goal norms,
    /// the weekly calendar and bitsets, and each thread's row buffers.
    /// Linear in the answers given and the people (plus slots × time zones
    /// for the calendar), never in people × topics.
    pub(crate) fn estimate_bytes(cohort: &Cohort) -> u64 {
        // Generous per-item sizes: a vector may hold up to twice what it
        // keeps while it grows.
        const PER_SIDE_PERSON: u64 = 256;
        const PER_ANSWER: u64 = 2 * 24;
        const PER_RELATION: u64 = 2 * 2 * 16;
        const WORDS: u64 = 11;
        const ZONES: u64 = 105; // quarter hours from −12 to +14
        let count = |side: &[crate::ParticipantIndex], list: fn(&crate::Participant) -> usize| {
            side.iter().map(|&p| list(cohort.at(p)) as u64).sum::<u64>()
        };
        let (mentors, mentees) = (cohort.mentors(), cohort.mentees());
        let people = (mentors.len() + mentees.len()) as u64;
        let answers = count(mentees, |p| {
            p.seeks().len() + p.level().len() + p.goals().len()
        }) + count(mentors, |p| p.goals().len());
        let relations = count(mentors, |p| 1 + p.prefers().len() + p.avoids().len())
            + count(mentees, |p| 1 + p.prefers().len() + p.avoids().len())
            + cohort.history().len() as u64;
        let languages =
            count(mentors, |p| p.languages().len()) + count(mentees, |p| p.languages().len());
        let slots = cohort.slots().len() as u64;
        let picked = count(mentors, |p| p.slots().len()) + count(mentees, |p| p.slots().len());
        let zones = ZONES.min(cohort.participants().len() as u64 + 1);
        let calendar = slots * zones * WORDS * 8;
        let weeks = people * (WORDS * 8 + 16) + picked * 16 + slots * zones * 8;
        let threads = rayon::current_num_threads() as u64;
        let row_buffers = threads * (slots * zones * 2 + (people + 1) * 2);
        let tables = tables::Table::estimate_bytes(
            mentors.len() as u64,
            count(mentors, |p| p.offers().len()),
            cohort.topics().len(),
        ) + tables::Table::estimate_bytes(
            mentors.len() as u64,
            count(mentors, |p| p.goals().len()),
            cohort.goals().len(),
        );
        people * PER_SIDE_PERSON
            + answers * PER_ANSWER
            + relations * PER_RELATION
            + languages * 8
            + calendar
            + weeks
            + row_buffers
            + tables
    }

    /// Scores one mentor's row into `scores` and `ruled_out` (codes).
    fn row(&self, mentor: usize, scores: &mut [f64], ruled_out: &mut [u8]) {
        // The overlap of meeting times is chosen once per row, so that a row
        // without them runs a loop without any bitset work.
        match self.mentor_weeks.against(mentor, &self.calendar) {
            Some(against) => {
                let mut common = vec![0u16; scores.len()];
                self.mentee_weeks.common_with_all(&against, &mut common);
                self.fill_row(mentor, scores, ruled_out, |mentee| {
                    u32::from(common[mentee])
                });
            }
            None if self.mentor_weeks.count(mentor) == 0 => {
                self.fill_row(mentor, scores, ruled_out, |_| 0);
            }
            None => self.fill_row(mentor, scores, ruled_out, |mentee| {
                self.mentor_weeks.common(mentor, &self.mentee_weeks, mentee)
            }),
        }
    }

    /// [`Scorer::fill_row_with`], with the dense answer tables alone when
    /// the questionnaire is narrow: chosen once per row, so that the loop
    /// over pairs has no path that calls out (a call in the loop costs its
    /// values their registers, about 30 instructions a pair).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn fill_row(
        &self,
        mentor: usize,
        scores: &mut [f64],
        ruled_out: &mut [u8],
        common: impl Fn(usize) -> u32,
    ) {
        if self.has_lists() {
            self.fill_row_with::<true>(mentor, scores, ruled_out, common);
        } else {
            self.fill_row_with::<false>(mentor, scores, ruled_out, common);
        }
    }

    /// One pair's evaluation outside the row loops, on the tables or the
    /// lists, whichever the scorer holds.
    fn evaluate_any(
        &self,
        mentor: usize,
        mentee: usize,
        flags: u8,
        common: u32,
    ) -> (Breakdown, (f64, Option<Rule>)) {
        if self.has_lists() {
            self.evaluate::<true>(mentor, mentee, flags, common)
        } else {
            self.evaluate::<false>(mentor, mentee, flags, common)
        }
    }

    /// Whether either answer table of the mentors is held as lists.
    fn has_lists(&self) -> bool {
        self.expertise.sparse.is_some() || self.mentor_goals.sparse.is_some()
    }

    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn fill_row_with<const LISTS: bool>(
        &self,
        mentor: usize,
        scores: &mut [f64],
        ruled_out: &mut [u8],
        common: impl Fn(usize) -> u32,
    ) {
        let mut related = self.facts.of_mentor(mentor).iter().peekable();
        for (mentee, (score, code)) in scores.iter_mut().zip(ruled_out.iter_mut()).enumerate() {
            let flags = next_flags(&mut related, mentee);
            let (_, verdict) = self.evaluate::<LISTS>(mentor, mentee, flags, common(mentee));
            *score = verdict.0;
            *code = verdict.1.map_or(0, Rule::code);
        }
    }

    /// Scores one mentee against every mentor into `scores`: the score of a
    /// feasible pair, `-inf` for an infeasible one.
    pub(crate) fn mentee_row(&self, mentee: usize, scores: &mut [f64]) {
        match self.mentee_weeks.against(mentee, &self.calendar) {
            Some(against) => {
                let mut common = vec![0u16; scores.len()];
                self.mentor_weeks.common_with_all(&against, &mut common);
                self.fill_mentee_row(mentee, scores, |mentor| u32::from(common[mentor]));
            }
            None if self.mentee_weeks.count(mentee) == 0 => {
                self.fill_mentee_row(mentee, scores, |_| 0);
            }
            None => self.fill_mentee_row(mentee, scores, |mentor| {
                self.mentor_weeks.common(mentor, &self.mentee_weeks, mentee)
            }),
        }
    }

    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn fill_mentee_row(&self, mentee: usize, scores: &mut [f64], common: impl Fn(usize) -> u32) {
        if self.has_lists() {
            self.fill_mentee_row_with::<true>(mentee, scores, common);
        } else {
            self.fill_mentee_row_with::<false>(mentee, scores, common);
        }
    }

    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn fill_mentee_row_with<const LISTS: bool>(
        &self,
        mentee: usize,
        scores: &mut [f64],
        common: impl Fn(usize) -> u32,
    ) {
        let mut related = self.facts.of_mentee(mentee).iter().peekable();
        for (mentor, score) in scores.iter_mut().enumerate() {
            let flags = next_flags(&mut related, mentor);
            let (_, (value, broken)) =
                self.evaluate::<LISTS>(mentor, mentee, flags, common(mentor));
            *score = if broken.is_none() {
                value
            } else {
                f64::NEG_INFINITY
            };
        }
    }

    /// One mentee against every mentor, for the weight tuner: each pair's
    /// breakdown, in mentor order, with whether no rule rules it out (the
    /// scorer's own weights decide `min_score`: build it with `min_score` 0
    /// to leave that rule to whoever re-weighs).
    pub(crate) fn mentee_breakdowns(&self, mentee: usize) -> Vec<(Breakdown, bool)> {
        let mentors = self.mentor_hours.len();
        let fill = |common: &dyn Fn(usize) -> u32| {
            let mut related = self.facts.of_mentee(mentee).iter().peekable();
            (0..mentors)
                .map(|mentor| {
                    let flags = next_flags(&mut related, mentor);
                    let (parts, (_, broken)) =
                        self.evaluate_any(mentor, mentee, flags, common(mentor));
                    (parts, broken.is_none())
                })
                .collect()
        };
        match self.mentee_weeks.against(mentee, &self.calendar) {
            Some(against) => {
                let mut common = vec![0u16; mentors];
                self.mentor_weeks.common_with_all(&against, &mut common);
                fill(&|mentor| u32::from(common[mentor]))
            }
            None if self.mentee_weeks.count(mentee) == 0 => fill(&|_| 0),
            None => fill(&|mentor| self.mentor_weeks.common(mentor, &self.mentee_weeks, mentee)),
        }
    }

    /// The breakdown, score and every broken rule of one pair.
    pub(crate) fn pair(&self, mentor: usize, mentee: usize) -> (Breakdown, f64, Vec<Rule>) {
        let flags = self.facts.relation(mentor, mentee);
        let (breakdown, common, score) =
            self.components::<true>(mentor, mentee, flags, self.common(mentor, mentee));
        let facts = self
            .facts
            .pair(mentor, mentee, flags, &breakdown, common, score);
        (breakdown, score, self.rules.all_broken(&facts))
    }

    /// The first rule that rules one pair out, `None` when it is feasible.
    pub(crate) fn first_broken(&self, mentor: usize, mentee: usize) -> Option<Rule> {
        let flags = self.facts.relation(mentor, mentee);
        self.evaluate::<true>(mentor, mentee, flags, self.common(mentor, mentee))
            .1
            .1
    }

    /// Steps of the week one pair has in common, from their bitsets (0 when
    /// either gives no meeting times).
    fn common(&self, mentor: usize, mentee: usize) -> u32 {
        if self.mentor_weeks.count(mentor) == 0 {
            return 0;
        }
        self.mentor_weeks.common(mentor, &self.mentee_weeks, mentee)
    }

    // The body of both scoring loops: inlined, the processor overlaps the
    // divisions of neighbouring pairs (about a fifth faster, scoring bench).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn evaluate<const LISTS: bool>(
        &self,
        mentor: usize,
        mentee: usize,
        flags: u8,
        common: u32,
    ) -> (Breakdown, (f64, Option<Rule>)) {
        let (breakdown, common, score) = self.components::<LISTS>(mentor, mentee, flags, common);
        let facts = self
            .facts
            .pair(mentor, mentee, flags, &breakdown, common, score);
        (breakdown, (score, self.rules.first_broken(&facts)))
    }

    /// The breakdown of one pair, given the steps of the week they have in
    /// common; the hours they have in common (when both give meeting times);
    /// and its score.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn components<const LISTS: bool>(
        &self,
        mentor: usize,
        mentee: usize,
        flags: u8,
        common: u32,
    ) -> (Breakdown, Option<f64>, f64) {
        // Only the topics a mentee seeks and the goals they give contribute:
        // the other terms are exactly 0, and adding 0 to a non-negative sum
        // changes no bit, so these sparse sums equal the dense formula's.
        // Where the mentor offers nothing (e = 0) a term `s·max(0, −c)` is
        // ±0 too, and a goal the mentor does not give adds `0·g = +0`.
        let sought = self.sought.of(mentee);
        // `LISTS` false: both tables are dense, and the lists' code is not
        // compiled into the loop.
        let taught = if let Some(lists) = self.expertise.sparse.as_ref().filter(|_| LISTS) {
            tables::sparse_sum(
                lists.of(mentor),
                sought,
                |&(topic, _, _)| topic,
                |e, &(_, s, c)| s * (e - c).max(0.0),
            )
        } else {
            let width = self.expertise.width;
            let expertise = &self.expertise.dense[mentor * width..][..width];
            let mut taught = 0.0;
            for &(topic, s, c) in sought {
                taught += s * (expertise[topic] - c).max(0.0);
            }
            taught
        };
        let skills = taught / self.priority_sums[mentee];

        let norms = self.mentor_goal_norms[mentor] * self.mentee_goal_norms[mentee];
        let goals = if norms == 0.0 {
            0.0
        } else {
            let wanted = self.wanted.of(mentee);
            let dot = if let Some(lists) = self.mentor_goals.sparse.as_ref().filter(|_| LISTS) {
                tables::sparse_sum(
                    lists.of(mentor),
                    wanted,
                    |&(goal, _)| goal,
                    |m, &(_, g)| m * g,
                )
            } else {
                let width = self.mentor_goals.width;
                let mentor_goals = &self.mentor_goals.dense[mentor * width..][..width];
                let mut dot = 0.0;
                for &(goal, g) in wanted {
                    dot += mentor_goals[goal] * g;
                }
                dot
            };
            (dot / norms).clamp(0.0, 1.0)
        };

        let availability = match (self.mentor_hours[mentor], self.mentee_hours[mentee]) {
            (Some(a), Some(b)) => a.min(b) / a.max(b),
            _ => 1.0,
        };
        let preference = 0.5 * f64::from(u8::from(flags & relation::MENTEE_PREFERS != 0))
            + 0.5 * f64::from(u8::from(flags & relation::MENTOR_PREFERS != 0));

        let shorter = self
            .mentor_weeks
            .count(mentor)
            .min(self.mentee_weeks.count(mentee));
        let (schedule, common) = self.schedule_of(shorter, common);

        let breakdown = Breakdown {
            values: PerComponent([skills, goals, availability, preference, schedule]),
        };
        // `Weights::score`, with the sum of the weights computed once.
        let score = self.weights.weighted(&breakdown) / self.weight_sum;
        (breakdown, common, score)
    }

    /// Topics with a positive contribution `s·max(0, e − c)`, largest first,
    /// ties in questionnaire order.
    pub(crate) fn topics(&self, mentor: usize, mentee: usize) -> Vec<String> {
        let mut contributions: Vec<(usize, f64)> = Vec::new();
        let mut add = |e: f64, &(t, s, c): &(usize, f64, f64)| {
            let contribution = s * (e - c).max(0.0);
            if contribution > 0.0 {
                contributions.push((t, contribution));
            }
            contribution
        };
        if let Some(lists) = &self.expertise.sparse {
            tables::sparse_sum(
                lists.of(mentor),
                self.sought.of(mentee),
                |&(t, _, _)| t,
                add,
            );
        } else {
            let width = self.expertise.width;
            let expertise = &self.expertise.dense[mentor * width..][..width];
            for entry in self.sought.of(mentee) {
                add(expertise[entry.0], entry);
            }
        }
        // A stable sort keeps questionnaire order among equal contributions.
        contributions.sort_by(|a, b| b.1.total_cmp(&a.1));
        contributions
            .into_iter()
            .map(|(t, _)| self.cohort.topics()[t].id().to_owned())
            .collect()
    }
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

/// What the candidate generation of the scale path (`candidates.rs`) reads
/// of a scorer: the same pair evaluation as the dense rows, one pair at a
/// time, with one mentee's meeting times prepared once for many mentors,
/// and a pair's score without its rules as an upper bound.
impl Scorer<'_> {
    /// The relations (avoids, history, manager, preferences) of one mentee,
    /// as (mentor, flags), ascending by mentor; every other mentor's flags are 0.
    pub(crate) fn relations_of_mentee(&self, mentee: usize) -> &[(usize, u8)] {
        self.facts.of_mentee(mentee)
    }

    /// One mentee's meeting times, prepared once for
    /// [`Scorer::common_against`] and [`Scorer::schedule_against`] with
    /// many mentors.
    pub(crate) fn mentee_against(&self, mentee: usize) -> MenteeWeek {
        MenteeWeek {
            week: self.mentee_weeks.week(mentee),
            count: self.mentee_weeks.count(mentee),
        }
    }

    /// Steps of the week `mentor` has in common with the mentee of `week`:
    /// what the pair's scoring uses (0 when either gives no meeting times).
    #[inline]
    pub(crate) fn common_against(&self, mentor: usize, week: &MenteeWeek) -> u32 {
        if self.mentor_weeks.count(mentor) == 0 {
            return 0;
        }
        self.mentor_weeks.common_against(mentor, &week.week)
    }

    /// The schedule component of `mentor` with the mentee of `week`, bit for
    /// bit the pair's, and the steps they have in common (0 when either
    /// gives no meeting times: then the component is 1 and the steps are
    /// not read).
    #[inline]
    pub(crate) fn schedule_against(&self, mentor: usize, week: &MenteeWeek) -> (f64, u32) {
        let shorter = self.mentor_weeks.count(mentor).min(week.count);
        let common = self.common_against(mentor, week);
        (self.schedule_of(shorter, common).0, common)
    }

    /// Whether `min_common_hours` rules out one pair with `common` steps of
    /// the week in common: both give meeting times and share fewer hours
    /// than the limit, decided as the pair's evaluation decides it, so that
    /// such a pair need not be evaluated.
    #[inline]
    pub(crate) fn too_few_common_hours(&self, mentor: usize, mentee: usize, common: u32) -> bool {
        let shorter = self
            .mentor_weeks
            .count(mentor)
            .min(self.mentee_weeks.count(mentee));
        self.rules
            .too_few_hours(self.schedule_of(shorter, common).1)
    }

    /// The schedule component of a pair whose shorter week has `shorter`
    /// steps and who have `common` steps in common, and their hours in
    /// common: 1 and `None` when either gives no meeting times. Counts of
    /// steps, exactly: a ratio of counts equals the ratio of hours.
    #[inline]
    fn schedule_of(&self, shorter: u32, common: u32) -> (f64, Option<f64>) {
        if shorter == 0 {
            (1.0, None)
        } else {
            (
                f64::from(common) / f64::from(shorter),
                Some(f64::from(common) / self.calendar.per_hour()),
            )
        }
    }

    /// The score of one pair with relation flags `flags` and `common` steps
    /// of the week in common ([`Scorer::common_against`]), `None` when it is
    /// infeasible: bit for bit what [`Scorer::mentee_row`] writes.
    pub(crate) fn feasible_score(
        &self,
        mentor: usize,
        mentee: usize,
        flags: u8,
        common: u32,
    ) -> Option<f64> {
        let (_, (score, broken)) = self.evaluate_any(mentor, mentee, flags, common);
        broken.is_none().then_some(score)
    }

    /// The score of one pair with relation flags `flags` and `common` steps
    /// of the week in common, whether or not a rule rules it out: an upper
    /// bound on the score of [`Scorer::feasible_score`] (the same bits when
    /// the pair is feasible) that skips the rules.
    pub(crate) fn score_bound(&self, mentor: usize, mentee: usize, flags: u8, common: u32) -> f64 {
        if self.has_lists() {
            self.components::<true>(mentor, mentee, flags, common).2
        } else {
            self.components::<false>(mentor, mentee, flags, common).2
        }
    }
}

/// One mentee's meeting times, prepared to be compared with many mentors.
pub(crate) struct MenteeWeek {
    week: Week,
    /// Steps in the mentee's week.
    count: u32,
}
