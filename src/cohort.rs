//! A checked cohort: the questionnaire, the participants' answers, history,
//! pinned pairs, rules, weights and objective of one round.

mod json;
mod read;

use std::str::FromStr;

use serde::{Deserialize, Deserializer};

use crate::{Error, Matcher, Objective, Rules, ScoreMatrix, Weights};

/// A topic or goal of the questionnaire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub(crate) id: String,
    pub(crate) label: String,
}

impl Item {
    /// The id answers refer to.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The text shown to people (the id when the file gives no label).
    pub fn label(&self) -> &str {
        &self.label
    }
}

/// Which side(s) of the programme a participant is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Mentors only.
    Mentor,
    /// Is mentored only.
    Mentee,
    /// On each side: may mentor and be mentored (by someone else).
    Both,
}

impl Role {
    /// Whether the participant is on the mentor side.
    pub fn mentors(self) -> bool {
        matches!(self, Role::Mentor | Role::Both)
    }

    /// Whether the participant is on the mentee side.
    pub fn is_mentored(self) -> bool {
        matches!(self, Role::Mentee | Role::Both)
    }

    /// The name used in the cohort file.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Mentor => "mentor",
            Role::Mentee => "mentee",
            Role::Both => "both",
        }
    }
}

/// One participant's answers, checked.
///
/// Answers to topics and goals are held densely in questionnaire order
/// (0 where not given); references to other participants are indices into
/// [`Cohort::participants`].
#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
    pub(crate) role: Role,
    pub(crate) offers: Vec<u8>,
    pub(crate) seeks: Vec<u8>,
    pub(crate) level: Vec<u8>,
    pub(crate) goals: Vec<u8>,
    pub(crate) capacity: u64,
    pub(crate) hours_per_month: Option<f64>,
    pub(crate) languages: Vec<String>,
    pub(crate) team: Option<String>,
    pub(crate) manager: Option<usize>,
    pub(crate) seniority: Option<i64>,
    pub(crate) prefers: Vec<usize>,
    pub(crate) avoids: Vec<usize>,
}

impl Participant {
    /// The unique id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The free-text name, if given.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// Expertise per topic (questionnaire order), 1..=5, 0 where not offered.
    pub fn offers(&self) -> &[u8] {
        &self.offers
    }

    /// Priority per topic (questionnaire order), 1..=5, 0 where not sought.
    pub fn seeks(&self) -> &[u8] {
        &self.seeks
    }

    /// Current level per topic (questionnaire order), 0..=5.
    pub fn level(&self) -> &[u8] {
        &self.level
    }

    /// Importance per goal (questionnaire order), 1..=5, 0 where not given.
    pub fn goals(&self) -> &[u8] {
        &self.goals
    }

    /// Mentees this participant takes as a mentor (0 for a mentee-only participant).
    pub fn capacity(&self) -> u64 {
        self.capacity
    }

    /// Hours per month the participant can give, if given.
    pub fn hours_per_month(&self) -> Option<f64> {
        self.hours_per_month
    }

    /// Language codes, sorted, each once; empty when not given.
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// The team, if given.
    pub fn team(&self) -> Option<&str> {
        self.team.as_deref()
    }

    /// The manager's index in [`Cohort::participants`], if given.
    pub fn manager(&self) -> Option<usize> {
        self.manager
    }

    /// The seniority, if given.
    pub fn seniority(&self) -> Option<i64> {
        self.seniority
    }

    /// Indices of the participants this one prefers, ascending, each once.
    pub fn prefers(&self) -> &[usize] {
        &self.prefers
    }

    /// Indices of the participants this one avoids, ascending, each once.
    pub fn avoids(&self) -> &[usize] {
        &self.avoids
    }
}

/// A pair of an earlier round, as participant indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryPair {
    pub(crate) mentor: usize,
    pub(crate) mentee: usize,
    pub(crate) round: Option<String>,
}

impl HistoryPair {
    /// The mentor's index in [`Cohort::participants`].
    pub fn mentor(&self) -> usize {
        self.mentor
    }

    /// The mentee's index in [`Cohort::participants`].
    pub fn mentee(&self) -> usize {
        self.mentee
    }

    /// The round's name, if given.
    pub fn round(&self) -> Option<&str> {
        self.round.as_deref()
    }
}

/// One round of a mentoring programme, checked: a `Cohort` that exists is valid.
///
/// Read it from the JSON cohort file of the specification with [`str::parse`],
/// [`Cohort::from_slice`] or serde; every check runs on the way in.
///
/// ```
/// use mentor_match::Cohort;
///
/// let cohort: Cohort = r#"{
///   "questionnaire": {"topics": [{"id": "rust", "label": "Rust"}]},
///   "participants": [
///     {"id": "ana", "role": "mentor", "offers": {"rust": 5}},
///     {"id": "ben", "role": "mentee", "seeks": {"rust": 4}}
///   ]
/// }"#.parse()?;
/// assert_eq!(cohort.mentors().len(), 1);
/// assert_eq!(cohort.participant("ben").unwrap().seeks(), &[4]);
/// # Ok::<(), mentor_match::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Cohort {
    pub(crate) name: Option<String>,
    pub(crate) topics: Vec<Item>,
    pub(crate) goals: Vec<Item>,
    pub(crate) participants: Vec<Participant>,
    pub(crate) mentors: Vec<usize>,
    pub(crate) mentees: Vec<usize>,
    pub(crate) history: Vec<HistoryPair>,
    /// Pinned pairs as (mentor side index, mentee side index), in file order.
    pub(crate) pinned: Vec<(usize, usize)>,
    pub(crate) rules: Rules,
    pub(crate) weights: Weights,
    pub(crate) objective: Objective,
}

impl Cohort {
    /// Reads a cohort from JSON bytes (which must be UTF-8).
    ///
    /// # Errors
    ///
    /// [`Error::Syntax`] for text that is not JSON (or gives a key twice in
    /// one object), otherwise the error of the
    /// first bad answer, naming the participant and the field.
    pub fn from_slice(bytes: &[u8]) -> Result<Cohort, Error> {
        let value = json::parse(bytes).map_err(|error| read::syntax(bytes, error))?;
        Cohort::from_value(&value)
    }

    /// Reads a cohort from a parsed JSON value.
    ///
    /// # Errors
    ///
    /// The error of the first bad answer, naming the participant and the field.
    pub fn from_value(value: &serde_json::Value) -> Result<Cohort, Error> {
        read::cohort(value)
    }

    /// The round's name, if given.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The questionnaire's topics, in order.
    pub fn topics(&self) -> &[Item] {
        &self.topics
    }

    /// The questionnaire's goals, in order.
    pub fn goals(&self) -> &[Item] {
        &self.goals
    }

    /// All participants, in file order.
    pub fn participants(&self) -> &[Participant] {
        &self.participants
    }

    /// The participant with this id (ids match byte for byte).
    pub fn participant(&self, id: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }

    /// Indices (into [`Cohort::participants`]) of the mentor side, in file order.
    ///
    /// A `both` participant is on each side.
    pub fn mentors(&self) -> &[usize] {
        &self.mentors
    }

    /// Indices (into [`Cohort::participants`]) of the mentee side, in file order.
    pub fn mentees(&self) -> &[usize] {
        &self.mentees
    }

    /// Earlier rounds' pairs whose mentor and mentee are both in this cohort,
    /// on the right sides; other entries are ignored, as the specification says.
    pub fn history(&self) -> &[HistoryPair] {
        &self.history
    }

    /// Pinned pairs as (mentor side index, mentee side index), in file order.
    ///
    /// The indices point into [`Cohort::mentors`] and [`Cohort::mentees`].
    pub fn pinned(&self) -> &[(usize, usize)] {
        &self.pinned
    }

    /// The hard rules given in the file (defaults where not given).
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// The score weights given in the file (defaults where not given).
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// The objective given in the file (default: coverage).
    pub fn objective(&self) -> Objective {
        self.objective
    }

    /// Scores every mentor–mentee pair with the file's weights and rules.
    ///
    /// Rows are mentors, columns mentees, both in file order. Runs in parallel
    /// over rows; the result is the same on any number of threads.
    ///
    /// Time `O(mentors × mentees × (topics + goals))`, memory 9 bytes a pair.
    /// [`Matcher::solve`] and [`Cohort::try_score_matrix`] check the memory
    /// against a limit first; this call does not.
    pub fn score_matrix(&self) -> ScoreMatrix {
        ScoreMatrix::new(self, &self.weights, &self.rules)
    }

    /// [`Cohort::score_matrix`], after checking that it fits in `memory_limit` bytes.
    ///
    /// # Errors
    ///
    /// [`Error::MemoryLimit`] when the matrix would take more than
    /// `memory_limit` bytes (9 bytes per pair; see [`ScoreMatrix::estimate_bytes`]).
    pub fn try_score_matrix(&self, memory_limit: u64) -> Result<ScoreMatrix, Error> {
        let estimate = ScoreMatrix::estimate_bytes(self.mentors.len(), self.mentees.len());
        Error::check_memory("the score matrix", estimate, memory_limit)?;
        Ok(self.score_matrix())
    }

    /// Starts a matching with the file's objective, rules and weights, and the
    /// default solver; change any of them on the returned [`Matcher`].
    pub fn matcher(&self) -> Matcher<'_> {
        Matcher::new(self)
    }
}

impl FromStr for Cohort {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Cohort::from_slice(text.as_bytes())
    }
}

impl<'de> Deserialize<'de> for Cohort {
    /// Deserialises through the same checks as [`Cohort::from_value`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = json::from_deserializer(deserializer)?;
        Cohort::from_value(&value).map_err(serde::de::Error::custom)
    }
}
