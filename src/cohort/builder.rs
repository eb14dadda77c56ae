//! The typed builder every input path uses: answers in, a checked cohort out.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{Cohort, HistoryPair, Item, Participant, Role};
use crate::schedule::is_quarter;
use crate::{
    Error, Location, MenteeIndex, MentorIndex, Objective, ParticipantIndex, Rules, Slot, Weights,
};

/// One participant's answers as given, not yet checked: what an input format
/// (the JSON file, a survey export, code) hands to [`CohortBuilder`].
///
/// Setters never fail; [`CohortBuilder::build`] checks everything, naming the
/// participant (or the place set with [`Answers::at`]) and the field.
///
/// ```
/// use mentor_match::Answers;
///
/// let ana = Answers::mentor("ana")
///     .name("Ana")
///     .offers("service-design", 5)
///     .goal("relatedness", 4)
///     .hours_per_month(4.0)
///     .language("fi")
///     .capacity(2);
/// assert_eq!(ana.id(), "ana");
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Answers {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
    pub(crate) role: Option<Role>,
    /// `Some` once given, even empty: a field of the other side is an error.
    pub(crate) offers: Option<Vec<(String, Option<i64>)>>,
    pub(crate) seeks: Option<Vec<(String, Option<i64>)>>,
    pub(crate) level: Option<Vec<(String, Option<i64>)>>,
    pub(crate) goals: Vec<(String, Option<i64>)>,
    pub(crate) capacity: Option<u64>,
    pub(crate) mentors_wanted: Option<u64>,
    pub(crate) hours_per_month: Option<f64>,
    pub(crate) languages: Vec<String>,
    pub(crate) team: Option<String>,
    pub(crate) manager: Option<String>,
    pub(crate) seniority: Option<i64>,
    pub(crate) prefers: Vec<String>,
    pub(crate) avoids: Vec<String>,
    pub(crate) slots: Vec<String>,
    pub(crate) utc_offset: Option<f64>,
    /// Where the answers came from, for errors; the participant's id when `None`.
    pub(crate) origin: Option<Location>,
}

impl Answers {
    /// The answers of a participant with this id and role.
    pub fn new(id: impl Into<String>, role: Role) -> Answers {
        Answers {
            id: id.into(),
            role: Some(role),
            ..Answers::default()
        }
    }

    /// A mentor's answers.
    pub fn mentor(id: impl Into<String>) -> Answers {
        Answers::new(id, Role::Mentor)
    }

    /// A mentee's answers.
    pub fn mentee(id: impl Into<String>) -> Answers {
        Answers::new(id, Role::Mentee)
    }

    /// The answers of a participant on both sides.
    pub fn both(id: impl Into<String>) -> Answers {
        Answers::new(id, Role::Both)
    }

    /// The id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Where these answers are, for error messages (default: the participant
    /// by id), for example [`Location::Row`] for a row of a survey export.
    #[must_use]
    pub fn at(mut self, origin: Location) -> Self {
        self.origin = Some(origin);
        self
    }

    /// The free-text name (default none).
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Expertise in a topic, 1..=5 (mentor side; default: not offered).
    #[must_use]
    pub fn offers(mut self, topic: impl Into<String>, expertise: i64) -> Self {
        self.offers
            .get_or_insert_with(Vec::new)
            .push((topic.into(), Some(expertise)));
        self
    }

    /// Priority of a topic, 1..=5 (mentee side; default: not sought).
    #[must_use]
    pub fn seeks(mut self, topic: impl Into<String>, priority: i64) -> Self {
        self.seeks
            .get_or_insert_with(Vec::new)
            .push((topic.into(), Some(priority)));
        self
    }

    /// Current level in a topic, 0..=5 (mentee side; default 0).
    #[must_use]
    pub fn level(mut self, topic: impl Into<String>, level: i64) -> Self {
        self.level
            .get_or_insert_with(Vec::new)
            .push((topic.into(), Some(level)));
        self
    }

    /// Importance of a goal, 1..=5 (default 0: not given).
    #[must_use]
    pub fn goal(mut self, goal: impl Into<String>, importance: i64) -> Self {
        self.goals.push((goal.into(), Some(importance)));
        self
    }

    /// Mentees taken as a mentor (mentor side; default 1).
    #[must_use]
    pub fn capacity(mut self, capacity: u64) -> Self {
        self.capacity = Some(capacity);
        self
    }

    /// How many distinct mentors this mentee wants, at least 1 (mentee side;
    /// default 1).
    #[must_use]
    pub fn mentors_wanted(mut self, mentors: u64) -> Self {
        self.mentors_wanted = Some(mentors);
        self
    }

    /// Hours per month, finite and > 0 (default: not given).
    #[must_use]
    pub fn hours_per_month(mut self, hours: f64) -> Self {
        self.hours_per_month = Some(hours);
        self
    }

    /// A language code spoken (default: none given).
    #[must_use]
    pub fn language(mut self, code: impl Into<String>) -> Self {
        self.languages.push(code.into());
        self
    }

    /// The team (default none).
    #[must_use]
    pub fn team(mut self, team: impl Into<String>) -> Self {
        self.team = Some(team.into());
        self
    }

    /// The manager's id (default none).
    #[must_use]
    pub fn manager(mut self, id: impl Into<String>) -> Self {
        self.manager = Some(id.into());
        self
    }

    /// The seniority (default: not given).
    #[must_use]
    pub fn seniority(mut self, seniority: i64) -> Self {
        self.seniority = Some(seniority);
        self
    }

    /// Someone this participant prefers to be paired with (default none).
    #[must_use]
    pub fn prefers(mut self, id: impl Into<String>) -> Self {
        self.prefers.push(id.into());
        self
    }

    /// Someone this participant must not be paired with (default none).
    #[must_use]
    pub fn avoids(mut self, id: impl Into<String>) -> Self {
        self.avoids.push(id.into());
        self
    }

    /// A meeting window of the questionnaire, by id, that this participant
    /// can meet in, in their local time (default: none given).
    #[must_use]
    pub fn slot(mut self, id: impl Into<String>) -> Self {
        self.slots.push(id.into());
        self
    }

    /// Hours the participant's local time is ahead of UTC: a multiple of 0.25
    /// in [-12, 14] (default 0).
    #[must_use]
    pub fn utc_offset(mut self, hours: f64) -> Self {
        self.utc_offset = Some(hours);
        self
    }
}

/// An entry of `history`: a pair of an earlier round, by ids.
///
/// [`Matching::history`](crate::Matching::history) writes a round's pairs in
/// this form, ready for the next round's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    /// The mentor's id.
    pub mentor: String,
    /// The mentee's id.
    pub mentee: String,
    /// The round's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<String>,
    /// How the pair rated their round, 1..=5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<i64>,
}

impl HistoryEntry {
    /// A pair of an earlier round, without round name or rating.
    pub fn new(mentor: impl Into<String>, mentee: impl Into<String>) -> HistoryEntry {
        HistoryEntry {
            mentor: mentor.into(),
            mentee: mentee.into(),
            round: None,
            rating: None,
        }
    }
}

/// Builds a [`Cohort`] from typed answers; start it with [`Cohort::builder`].
///
/// Setters never fail and state their default; [`CohortBuilder::build`] runs
/// every check of the specification once.
///
/// ```
/// use mentor_match::{Answers, Cohort, Objective};
///
/// let cohort = Cohort::builder()
///     .name("Pilot")
///     .topic("rust", "Rust")
///     .goal("career", "Career growth")
///     .participant(Answers::mentor("ana").offers("rust", 5).goal("career", 3))
///     .participant(Answers::mentee("ben").seeks("rust", 4).level("rust", 1))
///     .objective(Objective::Fairness)
///     .build()?;
/// assert_eq!(cohort.matcher().solve()?.mentor_of("ben"), Some("ana"));
/// # Ok::<(), mentor_match::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CohortBuilder {
    name: Option<String>,
    topics: Vec<(String, Option<String>)>,
    goals: Vec<(String, Option<String>)>,
    slots: Vec<SlotAnswer>,
    participants: Vec<Answers>,
    history: Vec<HistoryEntry>,
    pinned: Vec<(String, String)>,
    rules: Rules,
    weights: Option<Weights>,
    objective: Objective,
}

/// A meeting window as given: id, label, day, start, end.
type SlotAnswer = (String, Option<String>, i64, f64, f64);

impl CohortBuilder {
    /// The round's name (default none).
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Adds a topic to the questionnaire (at least one is required).
    #[must_use]
    pub fn topic(mut self, id: impl Into<String>, label: impl Into<String>) -> Self {
        self.topics.push((id.into(), Some(label.into())));
        self
    }

    /// Adds a goal to the questionnaire (default: no goals).
    #[must_use]
    pub fn goal(mut self, id: impl Into<String>, label: impl Into<String>) -> Self {
        self.goals.push((id.into(), Some(label.into())));
        self
    }

    /// Adds a weekly meeting window to the questionnaire (default: none):
    /// `day` 0 (Monday) to 6, `start` and `end` hours with
    /// `0 <= start < end <= 24`, each a multiple of 0.25, in the local time of
    /// whoever picks it.
    #[must_use]
    pub fn slot(
        mut self,
        id: impl Into<String>,
        label: impl Into<String>,
        day: i64,
        start: f64,
        end: f64,
    ) -> Self {
        self.slots
            .push((id.into(), Some(label.into()), day, start, end));
        self
    }

    /// Adds a meeting window whose label is its id.
    pub(crate) fn slot_without_label(mut self, id: String, day: i64, start: f64, end: f64) -> Self {
        self.slots.push((id, None, day, start, end));
        self
    }

    /// Adds a topic whose label is its id.
    pub(crate) fn topic_without_label(mut self, id: String) -> Self {
        self.topics.push((id, None));
        self
    }

    /// Adds a goal whose label is its id.
    pub(crate) fn goal_without_label(mut self, id: String) -> Self {
        self.goals.push((id, None));
        self
    }

    /// Adds a participant's answers, in file order.
    #[must_use]
    pub fn participant(mut self, answers: Answers) -> Self {
        self.participants.push(answers);
        self
    }

    /// Adds a pair of an earlier round (default: no history). An entry naming
    /// someone not in the cohort, or not on that side, is ignored, as the
    /// specification says: people leave a programme between rounds.
    #[must_use]
    pub fn history(mut self, entry: HistoryEntry) -> Self {
        self.history.push(entry);
        self
    }

    /// Pins a pair by ids (default: nothing pinned).
    #[must_use]
    pub fn pin(mut self, mentor: impl Into<String>, mentee: impl Into<String>) -> Self {
        self.pinned.push((mentor.into(), mentee.into()));
        self
    }

    /// The rules (default [`Rules::default`]).
    #[must_use]
    pub fn rules(mut self, rules: Rules) -> Self {
        self.rules = rules;
        self
    }

    /// The weights (default [`Weights::for_questionnaire`]: the
    /// specification's, with `schedule` 0.1 when the questionnaire has slots
    /// and 0 when it has none).
    #[must_use]
    pub fn weights(mut self, weights: Weights) -> Self {
        self.weights = Some(weights);
        self
    }

    /// The objective (default [`Objective::Coverage`]).
    #[must_use]
    pub fn objective(mut self, objective: Objective) -> Self {
        self.objective = objective;
        self
    }

    /// Checks everything and builds the cohort.
    ///
    /// # Errors
    ///
    /// The first bad answer, naming the participant (or the place given with
    /// [`Answers::at`], `questionnaire`, `history[i]`, `pinned[i]`, `rules`,
    /// `weights`) and the field: an empty or duplicate id, an unknown topic
    /// or goal, a value outside its range, a field of the other side, missing
    /// answers for a side, a reference to nobody or to oneself, a pinned pair
    /// that cannot be honoured, bad rules or weights.
    pub fn build(self) -> Result<Cohort, Error> {
        let topics = items(self.topics, "topics")?;
        let goals = items(self.goals, "goals")?;
        if topics.is_empty() {
            return Err(Error::OutOfRange {
                at: Location::Questionnaire,
                field: "topics".into(),
                expected: "a list of at least one topic",
                found: "[]".into(),
            });
        }
        let slots = slots(self.slots)?;
        let topic_at = positions(&topics);
        let goal_at = positions(&goals);
        let slot_at: HashMap<&str, usize> = slots
            .iter()
            .enumerate()
            .map(|(k, slot)| (slot.id.as_str(), k))
            .collect();
        let questionnaire = Questionnaire {
            topics: &topic_at,
            goals: &goal_at,
            slots: &slot_at,
        };

        let mut by_id: HashMap<String, ParticipantIndex> =
            HashMap::with_capacity(self.participants.len());
        for (index, answers) in self.participants.iter().enumerate() {
            if answers.id.is_empty() {
                return Err(Error::EmptyId {
                    at: answers
                        .origin
                        .clone()
                        .unwrap_or(Location::ParticipantAt(index)),
                    field: "id".into(),
                });
            }
            if by_id
                .insert(answers.id.clone(), ParticipantIndex::new(index))
                .is_some()
            {
                return Err(Error::DuplicateId {
                    at: place(answers),
                    field: "participants".into(),
                    id: answers.id.clone(),
                });
            }
        }
        let mut participants = Vec::with_capacity(self.participants.len());
        // The answers are moved into the checked participants, not copied.
        for (index, answers) in self.participants.into_iter().enumerate() {
            participants.push(participant(answers, index, &questionnaire, &by_id)?);
        }

        let mut mentor_place = vec![None; participants.len()];
        let mut mentee_place = vec![None; participants.len()];
        let mut mentors = Vec::new();
        let mut mentees = Vec::new();
        for (p, person) in participants.iter().enumerate() {
            if person.role.mentors() {
                mentor_place[p] = Some(MentorIndex::new(mentors.len()));
                mentors.push(ParticipantIndex::new(p));
            }
            if person.role.is_mentored() {
                mentee_place[p] = Some(MenteeIndex::new(mentees.len()));
                mentees.push(ParticipantIndex::new(p));
            }
        }

        let history = history(self.history, &by_id, &participants)?;
        let pinned = pinned(
            &self.pinned,
            &by_id,
            &participants,
            &mentor_place,
            &mentee_place,
        )?;
        self.rules.check()?;
        let weights = self
            .weights
            .unwrap_or_else(|| Weights::for_questionnaire(!slots.is_empty()));
        weights.check()?;

        Ok(Cohort {
            name: self.name,
            topics,
            goals,
            slots,
            participants,
            by_id,
            mentors,
            mentees,
            mentor_place,
            mentee_place,
            history,
            pinned,
            rules: self.rules,
            weights,
            objective: self.objective,
        })
    }
}

/// Where errors about these answers point.
fn place(answers: &Answers) -> Location {
    answers
        .origin
        .clone()
        .unwrap_or_else(|| Location::Participant(answers.id.clone()))
}

fn items(list: Vec<(String, Option<String>)>, field: &str) -> Result<Vec<Item>, Error> {
    let at = Location::Questionnaire;
    let mut seen = HashSet::new();
    let mut items = Vec::with_capacity(list.len());
    for (index, (id, label)) in list.into_iter().enumerate() {
        if id.is_empty() {
            return Err(Error::EmptyId {
                at,
                field: format!("{field}[{index}].id"),
            });
        }
        if !seen.insert(id.clone()) {
            return Err(Error::DuplicateId {
                at,
                field: field.into(),
                id,
            });
        }
        let label = label.unwrap_or_else(|| id.clone());
        items.push(Item { id, label });
    }
    Ok(items)
}

fn slots(list: Vec<SlotAnswer>) -> Result<Vec<Slot>, Error> {
    let at = Location::Questionnaire;
    let mut seen = HashSet::new();
    let mut slots = Vec::with_capacity(list.len());
    for (index, (id, label, day, start, end)) in list.into_iter().enumerate() {
        let bad = |field: &str, expected: &'static str, found: String| Error::OutOfRange {
            at: at.clone(),
            field: format!("slots[{index}].{field}"),
            expected,
            found,
        };
        if id.is_empty() {
            return Err(Error::EmptyId {
                at,
                field: format!("slots[{index}].id"),
            });
        }
        if !seen.insert(id.clone()) {
            return Err(Error::DuplicateId {
                at,
                field: "slots".into(),
                id,
            });
        }
        let day = u8::try_from(day)
            .ok()
            .filter(|day| *day <= 6)
            .ok_or_else(|| bad("day", "an integer in 0..=6 (0 = Monday)", day.to_string()))?;
        let hour = "a multiple of 0.25 in [0, 24]";
        for (field, value) in [("start", start), ("end", end)] {
            if !((0.0..=24.0).contains(&value) && is_quarter(value)) {
                return Err(bad(field, hour, value.to_string()));
            }
        }
        if start >= end {
            return Err(bad(
                "end",
                "an hour after `start`",
                format!("{end} (start {start})"),
            ));
        }
        let label = label.unwrap_or_else(|| id.clone());
        slots.push(Slot {
            id,
            label,
            day,
            start,
            end,
        });
    }
    Ok(slots)
}

/// Positions of the questionnaire's ids, for the answers that name them.
struct Questionnaire<'a> {
    topics: &'a HashMap<&'a str, usize>,
    goals: &'a HashMap<&'a str, usize>,
    slots: &'a HashMap<&'a str, usize>,
}

fn positions(items: &[Item]) -> HashMap<&str, usize> {
    items
        .iter()
        .enumerate()
        .map(|(k, item)| (item.id.as_str(), k))
        .collect()
}

/// Checks one participant's answers.
fn participant(
    mut answers: Answers,
    index: usize,
    questionnaire: &Questionnaire<'_>,
    ids: &HashMap<String, ParticipantIndex>,
) -> Result<Participant, Error> {
    let (topics, goals) = (questionnaire.topics, questionnaire.goals);
    let at = place(&answers);
    let role = answers.role.ok_or_else(|| Error::MissingField {
        at: at.clone(),
        field: "role".into(),
    })?;
    other_side(&answers, role, &at)?;
    let side_answers =
        |field: &str, side: &'static str, given: &Option<Vec<(String, Option<i64>)>>| {
            let scaled = scale(
                given.as_deref().unwrap_or(&[]),
                &at,
                field,
                "topic",
                topics,
                1,
            )?;
            if scaled.is_empty() {
                return Err(Error::MissingAnswers {
                    at: at.clone(),
                    field: field.into(),
                    side,
                });
            }
            Ok(scaled)
        };
    let offers = if role.mentors() {
        side_answers("offers", "mentor", &answers.offers)?
    } else {
        Vec::new()
    };
    let seeks = if role.is_mentored() {
        side_answers("seeks", "mentee", &answers.seeks)?
    } else {
        Vec::new()
    };
    let level = scale(
        answers.level.as_deref().unwrap_or(&[]),
        &at,
        "level",
        "topic",
        topics,
        0,
    )?;
    let goal_answers = scale(&answers.goals, &at, "goals", "goal", goals, 1)?;
    let (capacity, mentors_wanted) = places(&answers, role, &at)?;
    if let Some(hours) = answers.hours_per_month
        && !(hours.is_finite() && hours > 0.0)
    {
        return Err(Error::OutOfRange {
            at,
            field: "hours_per_month".into(),
            expected: "a finite number > 0",
            found: hours.to_string(),
        });
    }
    let mut languages = std::mem::take(&mut answers.languages);
    if let Some(k) = languages.iter().position(String::is_empty) {
        return Err(Error::EmptyId {
            at,
            field: format!("languages[{k}]"),
        });
    }
    languages.sort();
    languages.dedup();
    if answers.team.as_deref() == Some("") {
        return Err(Error::EmptyId {
            at,
            field: "team".into(),
        });
    }

    let (manager, prefers, avoids) = references(&answers, index, ids, &at)?;
    let (slots, utc_offset) = meeting_times(&answers, questionnaire.slots, &at)?;

    Ok(Participant {
        id: answers.id,
        name: answers.name,
        role,
        offers,
        seeks,
        level,
        goals: goal_answers,
        capacity,
        mentors_wanted,
        hours_per_month: answers.hours_per_month,
        languages,
        team: answers.team,
        manager,
        seniority: answers.seniority,
        prefers,
        avoids,
        slots,
        utc_offset,
    })
}

/// Checks a participant's meeting windows and UTC offset.
fn meeting_times(
    answers: &Answers,
    questionnaire: &HashMap<&str, usize>,
    at: &Location,
) -> Result<(Vec<usize>, f64), Error> {
    let mut slots = answers
        .slots
        .iter()
        .map(|id| {
            questionnaire
                .get(id.as_str())
                .copied()
                .ok_or_else(|| Error::UnknownAnswer {
                    at: at.clone(),
                    field: "slots".into(),
                    kind: "slot",
                    id: id.clone(),
                })
        })
        .collect::<Result<Vec<usize>, Error>>()?;
    slots.sort_unstable();
    slots.dedup();
    let utc_offset = answers.utc_offset.unwrap_or(0.0);
    if !((-12.0..=14.0).contains(&utc_offset) && is_quarter(utc_offset)) {
        return Err(Error::OutOfRange {
            at: at.clone(),
            field: "utc_offset".into(),
            expected: "a multiple of 0.25 in [-12, 14]",
            found: utc_offset.to_string(),
        });
    }
    // `-0` is 0: one offset, so that equal offsets share a calendar column.
    Ok((slots, utc_offset + 0.0))
}

/// How many mentees a participant takes and how many mentors they want.
fn places(answers: &Answers, role: Role, at: &Location) -> Result<(u64, u64), Error> {
    if answers.mentors_wanted == Some(0) {
        return Err(Error::OutOfRange {
            at: at.clone(),
            field: "mentors_wanted".into(),
            expected: "an integer >= 1",
            found: "0".into(),
        });
    }
    Ok((
        answers.capacity.unwrap_or(u64::from(role.mentors())),
        answers
            .mentors_wanted
            .unwrap_or(u64::from(role.is_mentored())),
    ))
}

/// Rejects a field of the other side, such as `seeks` on a mentor.
fn other_side(answers: &Answers, role: Role, at: &Location) -> Result<(), Error> {
    let fields = [
        ("offers", "mentor", role.mentors(), answers.offers.is_some()),
        (
            "capacity",
            "mentor",
            role.mentors(),
            answers.capacity.is_some(),
        ),
        (
            "seeks",
            "mentee",
            role.is_mentored(),
            answers.seeks.is_some(),
        ),
        (
            "level",
            "mentee",
            role.is_mentored(),
            answers.level.is_some(),
        ),
        (
            "mentors_wanted",
            "mentee",
            role.is_mentored(),
            answers.mentors_wanted.is_some(),
        ),
    ];
    for (field, side, belongs, given) in fields {
        if given && !belongs {
            return Err(Error::OtherSideField {
                at: at.clone(),
                field: field.into(),
                side,
                role: role.as_str(),
            });
        }
    }
    Ok(())
}

/// Resolves `manager`, `prefers` and `avoids` to participants.
#[allow(clippy::type_complexity)]
fn references(
    answers: &Answers,
    index: usize,
    ids: &HashMap<String, ParticipantIndex>,
    at: &Location,
) -> Result<
    (
        Option<ParticipantIndex>,
        Vec<ParticipantIndex>,
        Vec<ParticipantIndex>,
    ),
    Error,
> {
    let reference = |id: &str, field: &str| -> Result<ParticipantIndex, Error> {
        if id.is_empty() {
            return Err(Error::EmptyId {
                at: at.clone(),
                field: field.into(),
            });
        }
        match ids.get(id) {
            Some(&other) if other.get() == index => Err(Error::SelfReference {
                at: at.clone(),
                field: field.into(),
            }),
            Some(&other) => Ok(other),
            None => Err(Error::UnknownParticipant {
                at: at.clone(),
                field: field.into(),
                id: id.into(),
            }),
        }
    };
    let manager = answers
        .manager
        .as_deref()
        .map(|id| reference(id, "manager"))
        .transpose()?;
    let set = |list: &[String], field: &str| -> Result<Vec<ParticipantIndex>, Error> {
        let mut others = list
            .iter()
            .map(|id| reference(id, field))
            .collect::<Result<Vec<_>, _>>()?;
        others.sort_unstable();
        others.dedup();
        Ok(others)
    };
    Ok((
        manager,
        set(&answers.prefers, "prefers")?,
        set(&answers.avoids, "avoids")?,
    ))
}

/// Checks answers on a `min..=5` scale and returns the non-zero ones as
/// (position, answer) in questionnaire order. An answer of `None` (a `null`
/// in a file) is not given, but its id must still be known.
fn scale(
    answers: &[(String, Option<i64>)],
    at: &Location,
    field: &str,
    kind: &'static str,
    ids: &HashMap<&str, usize>,
    min: i64,
) -> Result<Vec<(usize, u8)>, Error> {
    let expected = if min == 0 {
        "an integer in 0..=5"
    } else {
        "an integer in 1..=5"
    };
    let mut given: Vec<(usize, u8)> = Vec::with_capacity(answers.len());
    // Whether each position is answered once is checked at the end, on the
    // sorted answers (and the rare answers of 0, kept apart); the first
    // repeat in the order given (the error the answer-by-answer check would
    // report first) is looked for only when there is one.
    let mut zeros: Vec<usize> = Vec::new();
    let repeated = |given: &[(String, Option<i64>)]| -> Option<Error> {
        let mut seen = HashSet::new();
        given
            .iter()
            .filter(|(_, answer)| answer.is_some())
            .find(|(id, _)| !seen.insert(ids[id.as_str()]))
            .map(|(id, _)| Error::DuplicateId {
                at: at.clone(),
                field: field.into(),
                id: id.clone(),
            })
    };
    for (k, (id, answer)) in answers.iter().enumerate() {
        let Some(&position) = ids.get(id.as_str()) else {
            return Err(
                repeated(&answers[..k]).unwrap_or_else(|| Error::UnknownAnswer {
                    at: at.clone(),
                    field: field.into(),
                    kind,
                    id: id.clone(),
                }),
            );
        };
        let Some(answer) = answer else { continue };
        let Some(value) = u8::try_from(*answer)
            .ok()
            .filter(|&value| (min..=5).contains(&i64::from(value)))
        else {
            return Err(
                repeated(&answers[..k]).unwrap_or_else(|| Error::OutOfRange {
                    at: at.clone(),
                    field: format!("{field}.{id}"),
                    expected,
                    found: answer.to_string(),
                }),
            );
        };
        if value > 0 {
            given.push((position, value));
        } else {
            zeros.push(position);
        }
    }
    given.sort_unstable();
    if (given.windows(2).any(|pair| pair[0].0 == pair[1].0) || !zeros.is_empty())
        && let Some(error) = repeated(answers)
    {
        return Err(error);
    }
    Ok(given)
}

fn history(
    entries: Vec<HistoryEntry>,
    ids: &HashMap<String, ParticipantIndex>,
    participants: &[Participant],
) -> Result<Vec<HistoryPair>, Error> {
    let mut pairs = Vec::new();
    for (index, entry) in entries.into_iter().enumerate() {
        let at = Location::History(index);
        let rating = entry
            .rating
            .map(|rating| {
                u8::try_from(rating)
                    .ok()
                    .filter(|r| (1..=5).contains(r))
                    .ok_or_else(|| Error::OutOfRange {
                        at: at.clone(),
                        field: "rating".into(),
                        expected: "an integer in 1..=5",
                        found: rating.to_string(),
                    })
            })
            .transpose()?;
        // People leave a programme between rounds: entries naming someone
        // who is not here (or not on that side) are ignored, as specified.
        if let (Some(&mentor), Some(&mentee)) = (ids.get(&entry.mentor), ids.get(&entry.mentee))
            && participants[mentor.get()].role.mentors()
            && participants[mentee.get()].role.is_mentored()
        {
            pairs.push(HistoryPair {
                mentor,
                mentee,
                round: entry.round,
                rating,
            });
        }
    }
    Ok(pairs)
}

fn pinned(
    pins: &[(String, String)],
    ids: &HashMap<String, ParticipantIndex>,
    participants: &[Participant],
    mentor_place: &[Option<MentorIndex>],
    mentee_place: &[Option<MenteeIndex>],
) -> Result<Vec<(MentorIndex, MenteeIndex)>, Error> {
    let mut pairs = Vec::with_capacity(pins.len());
    let mut pinned_pair: HashMap<(MentorIndex, MenteeIndex), usize> = HashMap::new();
    let mut pinned_mentors: HashMap<MenteeIndex, u64> = HashMap::new();
    let mut used: HashMap<MentorIndex, u64> = HashMap::new();
    for (index, (mentor_id, mentee_id)) in pins.iter().enumerate() {
        let at = Location::Pinned(index);
        let bad = |problem: String| Error::BadPin {
            at: at.clone(),
            problem,
        };
        let person = |field: &str, id: &str| -> Result<ParticipantIndex, Error> {
            if id.is_empty() {
                return Err(Error::EmptyId {
                    at: at.clone(),
                    field: field.into(),
                });
            }
            ids.get(id)
                .copied()
                .ok_or_else(|| Error::UnknownParticipant {
                    at: at.clone(),
                    field: field.into(),
                    id: id.into(),
                })
        };
        let off_side = |field: &str, person: ParticipantIndex, side: &str| {
            bad(format!(
                "field `{field}` names {:?}, whose role {:?} is not on the {side} side",
                participants[person.get()].id,
                participants[person.get()].role.as_str()
            ))
        };
        let mentor = person("mentor", mentor_id)?;
        let mentor_side =
            mentor_place[mentor.get()].ok_or_else(|| off_side("mentor", mentor, "mentor"))?;
        let mentee = person("mentee", mentee_id)?;
        let mentee_side =
            mentee_place[mentee.get()].ok_or_else(|| off_side("mentee", mentee, "mentee"))?;
        if mentor == mentee {
            return Err(bad(format!(
                "pins {:?} as their own mentor",
                participants[mentor.get()].id
            )));
        }
        if let Some(first) = pinned_pair.insert((mentor_side, mentee_side), index) {
            return Err(bad(format!(
                "pins mentee {:?} to mentor {:?} again (already in pinned[{first}])",
                participants[mentee.get()].id,
                participants[mentor.get()].id
            )));
        }
        let mentors = pinned_mentors.entry(mentee_side).or_insert(0);
        *mentors += 1;
        let wanted = participants[mentee.get()].mentors_wanted;
        if *mentors > wanted {
            return Err(bad(format!(
                "pins more mentors to mentee {:?} than the {wanted} they want (`mentors_wanted`)",
                participants[mentee.get()].id
            )));
        }
        let load = used.entry(mentor_side).or_insert(0);
        *load += 1;
        let capacity = participants[mentor.get()].capacity;
        if *load > capacity {
            return Err(bad(format!(
                "pins more mentees to mentor {:?} than their capacity of {capacity}",
                participants[mentor.get()].id
            )));
        }
        pairs.push((mentor_side, mentee_side));
    }
    Ok(pairs)
}
