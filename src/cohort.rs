//! A checked cohort: the questionnaire, the participants' answers, history,
//! pinned pairs, rules, weights and objective of one round.
//!
//! Every input path goes through one typed builder ([`CohortBuilder`], fed
//! with [`Answers`]): the JSON reader (`read.rs`) is a thin front end over it
//! that reports shape errors in JSON terms, and the builder runs every check
//! of the specification. `write.rs` writes a cohort back as a cohort file.

mod answers;
mod builder;
mod checks;
mod json;
mod read;
mod write;

use std::collections::HashMap;
use std::str::FromStr;

use serde::{Deserialize, Deserializer};

pub use answers::{Answers, HistoryEntry};
pub use builder::CohortBuilder;

use crate::{
    Error, Matcher, MenteeIndex, MentorIndex, Objective, ParticipantIndex, Rules, ScoreMatrix,
    Slot, Weights,
};

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

    /// The role of a name used in the cohort file.
    pub fn from_name(name: &str) -> Option<Role> {
        match name {
            "mentor" => Some(Role::Mentor),
            "mentee" => Some(Role::Mentee),
            "both" => Some(Role::Both),
            _ => None,
        }
    }
}

/// One participant's answers, checked.
///
/// Answers to topics and goals are held sparsely, as (position in the
/// questionnaire, answer) in questionnaire order; references to other
/// participants are [`ParticipantIndex`]es.
#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
    pub(crate) role: Role,
    pub(crate) offers: Vec<(usize, u8)>,
    pub(crate) seeks: Vec<(usize, u8)>,
    pub(crate) level: Vec<(usize, u8)>,
    pub(crate) goals: Vec<(usize, u8)>,
    pub(crate) capacity: u64,
    pub(crate) mentors_wanted: u64,
    pub(crate) hours_per_month: Option<f64>,
    pub(crate) languages: Vec<String>,
    pub(crate) team: Option<String>,
    pub(crate) manager: Option<ParticipantIndex>,
    pub(crate) seniority: Option<i64>,
    pub(crate) prefers: Vec<ParticipantIndex>,
    pub(crate) avoids: Vec<ParticipantIndex>,
    pub(crate) slots: Vec<usize>,
    pub(crate) utc_offset: f64,
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

    /// Expertise as (topic position, 1..=5), in questionnaire order; topics
    /// not listed are not offered.
    pub fn offers(&self) -> &[(usize, u8)] {
        &self.offers
    }

    /// Priority as (topic position, 1..=5), in questionnaire order; topics
    /// not listed are not sought.
    pub fn seeks(&self) -> &[(usize, u8)] {
        &self.seeks
    }

    /// Current level as (topic position, 1..=5), in questionnaire order;
    /// topics not listed are at level 0.
    pub fn level(&self) -> &[(usize, u8)] {
        &self.level
    }

    /// Importance as (goal position, 1..=5), in questionnaire order; goals
    /// not listed are 0.
    pub fn goals(&self) -> &[(usize, u8)] {
        &self.goals
    }

    /// Mentees this participant takes as a mentor (0 for a mentee-only participant).
    pub fn capacity(&self) -> u64 {
        self.capacity
    }

    /// Distinct mentors this participant wants as a mentee (0 for a
    /// mentor-only participant, else at least 1).
    pub fn mentors_wanted(&self) -> u64 {
        self.mentors_wanted
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

    /// The manager, if given.
    pub fn manager(&self) -> Option<ParticipantIndex> {
        self.manager
    }

    /// The seniority, if given.
    pub fn seniority(&self) -> Option<i64> {
        self.seniority
    }

    /// The participants this one prefers, ascending, each once.
    pub fn prefers(&self) -> &[ParticipantIndex] {
        &self.prefers
    }

    /// The participants this one avoids, ascending, each once.
    pub fn avoids(&self) -> &[ParticipantIndex] {
        &self.avoids
    }

    /// The meeting windows this participant can meet in, as positions in
    /// [`Cohort::slots`], ascending, each once; empty when not given.
    pub fn slots(&self) -> &[usize] {
        &self.slots
    }

    /// Hours the participant's local time is ahead of UTC (0 when not given).
    pub fn utc_offset(&self) -> f64 {
        self.utc_offset
    }
}

/// A pair of an earlier round whose two people are in this cohort, on those sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryPair {
    pub(crate) mentor: ParticipantIndex,
    pub(crate) mentee: ParticipantIndex,
    pub(crate) round: Option<String>,
    pub(crate) rating: Option<u8>,
}

impl HistoryPair {
    /// The mentor.
    pub fn mentor(&self) -> ParticipantIndex {
        self.mentor
    }

    /// The mentee.
    pub fn mentee(&self) -> ParticipantIndex {
        self.mentee
    }

    /// The round's name, if given.
    pub fn round(&self) -> Option<&str> {
        self.round.as_deref()
    }

    /// How the pair rated their round (1..=5), if given.
    pub fn rating(&self) -> Option<u8> {
        self.rating
    }
}

/// One round of a mentoring programme, checked: a `Cohort` that exists is valid.
///
/// Read it from the JSON cohort file of the specification with [`str::parse`],
/// [`Cohort::from_slice`] or serde, or build it in code with
/// [`Cohort::builder`]; every check runs on the way in. It serialises back to
/// a cohort file with the same meaning.
///
/// ```
/// use mentor_match::{Answers, Cohort};
///
/// let cohort: Cohort = r#"{
///   "questionnaire": {"topics": [{"id": "rust", "label": "Rust"}]},
///   "participants": [
///     {"id": "ana", "role": "mentor", "offers": {"rust": 5}},
///     {"id": "ben", "role": "mentee", "seeks": {"rust": 4}}
///   ]
/// }"#.parse()?;
/// assert_eq!(cohort.mentors().len(), 1);
/// assert_eq!(cohort.participant("ben").unwrap().seeks(), &[(0, 4)]);
///
/// let built = Cohort::builder()
///     .topic("rust", "Rust")
///     .participant(Answers::mentor("ana").offers("rust", 5))
///     .participant(Answers::mentee("ben").seeks("rust", 4))
///     .build()?;
/// assert_eq!(built, cohort);
/// let text = serde_json::to_string(&built).unwrap();
/// assert_eq!(text.parse::<Cohort>()?, built);
/// # Ok::<(), mentor_match::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Cohort {
    pub(crate) name: Option<String>,
    pub(crate) topics: Vec<Item>,
    pub(crate) goals: Vec<Item>,
    pub(crate) slots: Vec<Slot>,
    pub(crate) participants: Vec<Participant>,
    pub(crate) by_id: HashMap<String, ParticipantIndex>,
    pub(crate) mentors: Vec<ParticipantIndex>,
    pub(crate) mentees: Vec<ParticipantIndex>,
    /// Per participant, its place on each side (when on it).
    pub(crate) mentor_place: Vec<Option<MentorIndex>>,
    pub(crate) mentee_place: Vec<Option<MenteeIndex>>,
    pub(crate) history: Vec<HistoryPair>,
    pub(crate) pinned: Vec<(MentorIndex, MenteeIndex)>,
    pub(crate) rules: Rules,
    pub(crate) weights: Weights,
    pub(crate) objective: Objective,
}

impl Cohort {
    /// Starts a cohort in code; see [`CohortBuilder`].
    pub fn builder() -> CohortBuilder {
        CohortBuilder::default()
    }

    /// Reads a cohort from JSON bytes (UTF-8, with or without a byte-order mark).
    ///
    /// # Errors
    ///
    /// [`Error::Syntax`] for text that is not JSON (or gives a key twice in
    /// one object), otherwise the error of the
    /// first bad answer, naming the participant and the field.
    pub fn from_slice(bytes: &[u8]) -> Result<Cohort, Error> {
        // A byte-order mark is what some editors and spreadsheet exports put
        // first; it says nothing, so it is passed over.
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let value = json::parse(bytes).map_err(|error| read::syntax(bytes, error))?;
        Cohort::from_value(&value)
    }

    /// Bytes reading a cohort file of `file_bytes` bytes may take at most,
    /// the text itself included: [`READ_BYTES_PER_BYTE`] per byte of the
    /// file (the parsed JSON tree, every answer as given, and the checked
    /// cohort live at the same time). Measured on files shaped to make each
    /// of them as large as it gets; see the README's limits.
    pub fn estimate_read_bytes(file_bytes: u64) -> u64 {
        file_bytes.saturating_mul(READ_BYTES_PER_BYTE)
    }

    /// Checks, before a file is read, that reading a cohort file of
    /// `file_bytes` bytes fits in `memory_limit` bytes
    /// ([`Cohort::estimate_read_bytes`]).
    ///
    /// # Errors
    ///
    /// [`Error::MemoryLimit`] when it does not.
    pub fn check_read_memory(file_bytes: u64, memory_limit: u64) -> Result<(), Error> {
        Error::check_memory(
            "reading the cohort file",
            Cohort::estimate_read_bytes(file_bytes),
            memory_limit,
            "the `memory_limit` argument of `Cohort::check_read_memory`",
        )
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

    /// The questionnaire's weekly meeting windows, in order (empty when it has none).
    pub fn slots(&self) -> &[Slot] {
        &self.slots
    }

    /// All participants, in file order.
    pub fn participants(&self) -> &[Participant] {
        &self.participants
    }

    /// The participant with this id (ids match byte for byte), in constant time.
    pub fn participant(&self, id: &str) -> Option<&Participant> {
        self.index_of(id).map(|p| &self.participants[p.get()])
    }

    /// The index of the participant with this id, in constant time.
    pub fn index_of(&self, id: &str) -> Option<ParticipantIndex> {
        self.by_id.get(id).copied()
    }

    /// The participant at `index`.
    ///
    /// # Panics
    ///
    /// When `index` is not of this cohort.
    pub fn at(&self, index: ParticipantIndex) -> &Participant {
        &self.participants[index.get()]
    }

    /// The participants of the mentor side, in file order: position `i` is
    /// [`MentorIndex`] `i`, a row of the score matrix. A `both` participant is
    /// on each side.
    pub fn mentors(&self) -> &[ParticipantIndex] {
        &self.mentors
    }

    /// The participants of the mentee side, in file order: position `j` is
    /// [`MenteeIndex`] `j`, a column of the score matrix.
    pub fn mentees(&self) -> &[ParticipantIndex] {
        &self.mentees
    }

    /// The mentor-side place of the participant with this id, in constant time.
    pub fn mentor_index(&self, id: &str) -> Option<MentorIndex> {
        self.mentor_place[self.index_of(id)?.get()]
    }

    /// The mentee-side place of the participant with this id, in constant time.
    pub fn mentee_index(&self, id: &str) -> Option<MenteeIndex> {
        self.mentee_place[self.index_of(id)?.get()]
    }

    /// The participant at a mentor-side place.
    ///
    /// # Panics
    ///
    /// When `mentor` is not of this cohort.
    pub fn mentor(&self, mentor: MentorIndex) -> &Participant {
        self.at(self.mentors[mentor.get()])
    }

    /// The participant at a mentee-side place.
    ///
    /// # Panics
    ///
    /// When `mentee` is not of this cohort.
    pub fn mentee(&self, mentee: MenteeIndex) -> &Participant {
        self.at(self.mentees[mentee.get()])
    }

    /// Per participant, its mentor-side place.
    pub(crate) fn mentor_places(&self) -> &[Option<MentorIndex>] {
        &self.mentor_place
    }

    /// Per participant, its mentee-side place.
    pub(crate) fn mentee_places(&self) -> &[Option<MenteeIndex>] {
        &self.mentee_place
    }

    /// Earlier rounds' pairs whose mentor and mentee are both in this cohort,
    /// on the right sides; other entries are ignored, as the specification says.
    pub fn history(&self) -> &[HistoryPair] {
        &self.history
    }

    /// Pinned pairs, in file order.
    pub fn pinned(&self) -> &[(MentorIndex, MenteeIndex)] {
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
    /// Time `O(mentors × mentees × (topics + goals))`, memory 9 bytes a pair
    /// plus the scorer's answer lists.
    /// [`Matcher::solve`] and [`Cohort::try_score_matrix`] check the memory
    /// against a limit first; this call does not.
    pub fn score_matrix(&self) -> ScoreMatrix {
        ScoreMatrix::new(self, &self.weights, &self.rules)
    }

    /// [`Cohort::score_matrix`], after checking that it fits in `memory_limit` bytes.
    ///
    /// # Errors
    ///
    /// [`Error::MemoryLimit`] when scoring would allocate more than
    /// `memory_limit` bytes: the matrix (9 bytes per pair; see
    /// [`ScoreMatrix::estimate_bytes`]), its ids, and the scorer's answer
    /// lists and tables, all counted before anything is allocated.
    pub fn try_score_matrix(&self, memory_limit: u64) -> Result<ScoreMatrix, Error> {
        Error::check_memory(
            "the score matrix",
            ScoreMatrix::estimate_for(self),
            memory_limit,
            "the `memory_limit` argument of `Cohort::try_score_matrix`",
        )?;
        Ok(self.score_matrix())
    }

    /// Starts a matching with the file's objective, rules and weights, and the
    /// default solver; change any of them on the returned [`Matcher`].
    pub fn matcher(&self) -> Matcher<'_> {
        Matcher::new(self)
    }
}

/// The most bytes reading a cohort file takes per byte of the file, the
/// text included ([`Cohort::estimate_read_bytes`]).
pub const READ_BYTES_PER_BYTE: u64 = 64;

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
