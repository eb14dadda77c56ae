//! One participant's answers and a history entry as given, before any check.

use serde::{Deserialize, Serialize};

use super::Role;
use crate::Location;

/// One participant's answers as given, not yet checked: what an input format
/// (the JSON file, a survey export, code) hands to [`CohortBuilder`](crate::CohortBuilder).
///
/// Setters never fail; [`CohortBuilder::build`](crate::CohortBuilder::build) checks everything, naming the
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
