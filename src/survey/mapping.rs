//! The survey mapping: a TOML file, written by an organiser, that says which
//! columns of a form export hold which answers and how to read them.
//!
//! Read with serde (every key not listed here is an error), then checked once
//! against its own questionnaire: a [`SurveyMapping`] that exists names only
//! topics, goals, slots and scales that exist.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::cell::{self, Words};
use crate::{Error, Objective, Rules, Weights};

/// How a survey export becomes a cohort: the questionnaire, which columns hold
/// which answers, and how the form's words translate into answers.
///
/// Read it from TOML with [`str::parse`] or [`SurveyMapping::from_toml`]; the
/// crate's README shows a complete mapping, and `examples/data/survey-mapping.toml`
/// one for the bundled sample export. Then [`SurveyMapping::import`] turns a
/// [`SurveyTable`](crate::SurveyTable) into a [`Cohort`](crate::Cohort).
///
/// ```
/// use mentor_match::{SurveyMapping, SurveyTable};
///
/// let mapping: SurveyMapping = r#"
///     [questionnaire]
///     topics = [{ id = "rust", label = "Rust" }, { id = "sql", label = "SQL" }]
///
///     [columns]
///     id = "Email"
///     role = "I want to"
///
///     [roles]
///     mentor = ["Mentor someone"]
///     mentee = ["Find a mentor"]
///
///     [[choices]]
///     column = { header = "Topics", occurrence = 1 }
///     field = "offers"
///     level = 4
///
///     [[choices]]
///     column = { header = "Topics", occurrence = 2 }
///     field = "seeks"
///     level = 5
/// "#.parse()?;
///
/// let export = SurveyTable::from_csv(
///     "Email,I want to,Topics,Topics\n\
///      Ana@Example.com ,Mentor someone,Rust; SQL,\n\
///      ben@example.com,Find a mentor,,SQL\n".as_bytes(),
/// )?;
/// let cohort = mapping.import(&export)?;
/// assert_eq!(cohort.participant("ana@example.com").unwrap().offers(), &[(0, 4), (1, 4)]);
/// assert_eq!(cohort.participant("ben@example.com").unwrap().seeks(), &[(1, 5)]);
/// # Ok::<(), mentor_match::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyMapping {
    pub(crate) file: MappingFile,
    /// The scales, their words normalised.
    pub(crate) scales: BTreeMap<String, Words<i64>>,
}

/// A column of the export as the mapping names it: by its header (the
/// `occurrence`-th column with that header when the header heads several),
/// or by its letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ColumnRef {
    Header {
        text: String,
        occurrence: Option<usize>,
    },
    Letter {
        letter: String,
        index: usize,
    },
}

impl fmt::Display for ColumnRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnRef::Header {
                text,
                occurrence: None,
            } => write!(f, "column {text:?}"),
            ColumnRef::Header {
                text,
                occurrence: Some(n),
            } => write!(f, "occurrence {n} of column {text:?}"),
            ColumnRef::Letter { letter, .. } => write!(f, "column {letter}"),
        }
    }
}

/// The table form of a column reference.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnTable {
    header: Option<String>,
    occurrence: Option<usize>,
    letter: Option<String>,
}

impl<'de> Deserialize<'de> for ColumnRef {
    /// A header (`"Hours"`), `{ header = "Hours", occurrence = 2 }` or
    /// `{ letter = "K" }`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Reference;
        impl<'de> Visitor<'de> for Reference {
            type Value = ColumnRef;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a column header, { header = \"...\", occurrence = N } or { letter = \"K\" }",
                )
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<ColumnRef, E> {
                Ok(ColumnRef::Header {
                    text: text.to_owned(),
                    occurrence: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ColumnRef, A::Error> {
                let table = ColumnTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
                match (table.header, table.occurrence, table.letter) {
                    (Some(text), occurrence, None) => {
                        if occurrence == Some(0) {
                            return Err(de::Error::custom(
                                "`occurrence` counts from 1 (the first column with that header)",
                            ));
                        }
                        Ok(ColumnRef::Header { text, occurrence })
                    }
                    (None, None, Some(letter)) => {
                        let index = cell::letter_index(&letter).ok_or_else(|| {
                            de::Error::custom(format!(
                                "{letter:?} is not a column letter (A, B, ..., Z, AA, ...)"
                            ))
                        })?;
                        Ok(ColumnRef::Letter { letter, index })
                    }
                    _ => Err(de::Error::custom(
                        "name a column with `header` (and optionally `occurrence`) or with `letter`",
                    )),
                }
            }
        }
        deserializer.deserialize_any(Reference)
    }
}

/// The mapping file as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MappingFile {
    pub name: Option<String>,
    pub objective: Option<Objective>,
    pub rules: Option<Rules>,
    pub weights: Option<Weights>,
    pub questionnaire: QuestionnaireFile,
    #[serde(default)]
    pub form: Form,
    pub columns: Columns,
    #[serde(default)]
    pub roles: RoleWords,
    #[serde(default)]
    pub values: Values,
    #[serde(default)]
    pub languages: BTreeMap<String, String>,
    #[serde(default)]
    pub time_zone: TimeZoneFile,
    #[serde(default)]
    pub meeting_times: MeetingTimes,
    #[serde(default)]
    pub ratings: Vec<Rating>,
    #[serde(default)]
    pub choices: Vec<Choice>,
    #[serde(default)]
    pub goals: Vec<GoalColumn>,
    #[serde(default)]
    pub scales: BTreeMap<String, BTreeMap<String, i64>>,
}

/// The questionnaire, as in the cohort file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct QuestionnaireFile {
    pub topics: Vec<ItemFile>,
    #[serde(default)]
    pub goals: Vec<ItemFile>,
    #[serde(default)]
    pub slots: Vec<SlotFile>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ItemFile {
    pub id: String,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SlotFile {
    pub id: String,
    pub label: Option<String>,
    pub day: i64,
    pub start: f64,
    pub end: f64,
}

/// What to do with a respondent who answered twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Duplicates {
    /// Two rows with the same id are an error.
    #[default]
    Error,
    /// The row later in the export replaces the earlier one.
    KeepLatest,
}

/// Settings of the whole form.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Form {
    /// What separates the options of a multi-select cell (default `;`).
    #[serde(default = "semicolon")]
    pub separator: String,
    #[serde(default)]
    pub duplicates: Duplicates,
}

fn semicolon() -> String {
    ";".into()
}

impl Default for Form {
    fn default() -> Form {
        Form {
            separator: semicolon(),
            duplicates: Duplicates::Error,
        }
    }
}

/// The columns of single answers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Columns {
    pub id: ColumnRef,
    pub role: ColumnRef,
    pub name: Option<ColumnRef>,
    pub team: Option<ColumnRef>,
    pub manager: Option<ColumnRef>,
    pub languages: Option<ColumnRef>,
    pub hours: Option<ColumnRef>,
    pub capacity: Option<ColumnRef>,
    pub mentors_wanted: Option<ColumnRef>,
    pub seniority: Option<ColumnRef>,
    pub prefers: Option<ColumnRef>,
    pub avoids: Option<ColumnRef>,
    pub time_zone: Option<ColumnRef>,
    pub meeting_times: Option<ColumnRef>,
}

/// The form's words for each role, besides `mentor`, `mentee` and `both`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RoleWords {
    #[serde(default)]
    pub mentor: Vec<String>,
    #[serde(default)]
    pub mentee: Vec<String>,
    #[serde(default)]
    pub both: Vec<String>,
}

/// Words a form uses for numbers, per column of `[columns]`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Values {
    #[serde(default)]
    pub hours: BTreeMap<String, f64>,
    #[serde(default)]
    pub capacity: BTreeMap<String, u64>,
    #[serde(default)]
    pub mentors_wanted: BTreeMap<String, u64>,
    #[serde(default)]
    pub seniority: BTreeMap<String, i64>,
}

/// How time zones are read.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TimeZoneFile {
    /// The date (`YYYY-MM-DD`) at which place names are converted to offsets.
    pub date: Option<String>,
    /// The form's words for time zones: text → place name or offset.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
}

/// How meeting times are read.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MeetingTimes {
    /// The checkbox options: text → slot id (default: the slots' labels and ids).
    #[serde(default)]
    pub options: BTreeMap<String, String>,
    /// A grid exported as one column per day.
    #[serde(default)]
    pub grid: Vec<GridColumn>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GridColumn {
    pub column: ColumnRef,
    /// Text → slot id.
    pub options: BTreeMap<String, String>,
}

/// The answer field a topic column feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum TopicField {
    Offers,
    Seeks,
    Level,
}

impl TopicField {
    pub fn name(self) -> &'static str {
        match self {
            TopicField::Offers => "offers",
            TopicField::Seeks => "seeks",
            TopicField::Level => "level",
        }
    }

    pub fn side(self) -> Side {
        match self {
            TopicField::Offers => Side::Mentor,
            TopicField::Seeks | TopicField::Level => Side::Mentee,
        }
    }
}

/// A block of the form that only one side fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Side {
    Mentor,
    Mentee,
}

impl Side {
    pub fn name(self) -> &'static str {
        match self {
            Side::Mentor => "mentor",
            Side::Mentee => "mentee",
        }
    }
}

/// A rating column for one topic.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Rating {
    pub column: ColumnRef,
    pub topic: String,
    pub field: TopicField,
    pub scale: Option<String>,
}

/// A multi-select column listing topics.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Choice {
    pub column: ColumnRef,
    pub field: TopicField,
    /// The answer every listed topic gets.
    pub level: Option<i64>,
    /// Or the column whose rating every listed topic gets.
    pub level_column: Option<ColumnRef>,
    /// The scale of `level_column`.
    pub level_scale: Option<String>,
    /// Overrides `form.separator`.
    pub separator: Option<String>,
    /// A prefix options may carry, such as `Skill:`.
    pub prefix: Option<String>,
    /// Option text → topic id (besides the topics' labels and ids).
    #[serde(default)]
    pub options: BTreeMap<String, String>,
}

/// A goal (Likert) column.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GoalColumn {
    pub column: ColumnRef,
    pub goal: String,
    pub scale: Option<String>,
    /// The block the column is in, when only one side fills it.
    pub side: Option<Side>,
}

impl SurveyMapping {
    /// Reads and checks a mapping from TOML text.
    ///
    /// Time linear in the text's length.
    ///
    /// # Errors
    ///
    /// [`Error::MappingSyntax`] for text that is not TOML or a key the mapping
    /// does not have or a value of the wrong type (with its line and column);
    /// [`Error::BadMapping`] for a value that names a topic, goal, slot or
    /// scale the mapping does not define, an answer outside 0..=5, an empty
    /// separator, a date that is not `YYYY-MM-DD` or a time zone that is
    /// neither an offset nor a place name.
    pub fn from_toml(text: &str) -> Result<SurveyMapping, Error> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let file: MappingFile = toml::from_str(text).map_err(|error| syntax(text, &error))?;
        check(file)
    }
}

impl FromStr for SurveyMapping {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        SurveyMapping::from_toml(text)
    }
}

/// A TOML error as [`Error::MappingSyntax`], with its line and column.
fn syntax(text: &str, error: &toml::de::Error) -> Error {
    let (line, column) = error.span().map_or((0, 0), |span| {
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before
            .rsplit('\n')
            .next()
            .map_or(0, |last| last.chars().count())
            + 1;
        (line, column)
    });
    Error::MappingSyntax {
        line,
        column,
        message: error.message().trim_end().to_owned(),
    }
}

fn bad(field: impl Into<String>, value: impl Into<String>, problem: impl Into<String>) -> Error {
    Error::BadMapping {
        field: field.into(),
        value: value.into(),
        problem: problem.into(),
    }
}

/// Checks everything the mapping names against its own questionnaire.
fn check(file: MappingFile) -> Result<SurveyMapping, Error> {
    let mut scales = BTreeMap::new();
    for (name, words) in &file.scales {
        let mut scale = Words::default();
        for (word, &answer) in words {
            if !(0..=5).contains(&answer) {
                return Err(bad(
                    format!("scales.{name}.{word}"),
                    answer.to_string(),
                    "answers are integers in 0..=5 (0: not given)",
                ));
            }
            scale.insert(word, answer);
        }
        scales.insert(name.clone(), scale);
    }
    separator_ok("form.separator", &file.form.separator)?;
    answer_columns(&file, &scales)?;
    words(&file)?;
    Ok(SurveyMapping { file, scales })
}

fn separator_ok(field: &str, separator: &str) -> Result<(), Error> {
    if separator.trim().is_empty() {
        Err(bad(
            field,
            separator,
            "a separator must have a character other than a space",
        ))
    } else {
        Ok(())
    }
}

/// Checks the topic and goal columns: the topics, goals and scales they name.
fn answer_columns(file: &MappingFile, scales: &BTreeMap<String, Words<i64>>) -> Result<(), Error> {
    let q = &file.questionnaire;
    let topics: HashSet<&str> = q.topics.iter().map(|t| t.id.as_str()).collect();
    let goals: HashSet<&str> = q.goals.iter().map(|g| g.id.as_str()).collect();
    let scale_known = |field: String, scale: Option<&String>| match scale {
        Some(name) if !scales.contains_key(name) => {
            Err(bad(field, name.as_str(), "names no scale of `[scales]`"))
        }
        _ => Ok(()),
    };
    for (k, rating) in file.ratings.iter().enumerate() {
        if !topics.contains(rating.topic.as_str()) {
            return Err(bad(
                format!("ratings[{k}].topic"),
                rating.topic.as_str(),
                "names no topic of the questionnaire",
            ));
        }
        scale_known(format!("ratings[{k}].scale"), rating.scale.as_ref())?;
    }
    for (k, choice) in file.choices.iter().enumerate() {
        match (choice.level, &choice.level_column) {
            (Some(level), None) => {
                if !(1..=5).contains(&level) {
                    return Err(bad(
                        format!("choices[{k}].level"),
                        level.to_string(),
                        "must be an integer in 1..=5",
                    ));
                }
            }
            (None, Some(_)) => {}
            _ => {
                return Err(bad(
                    format!("choices[{k}]"),
                    "",
                    "give either `level` (the answer of every listed topic) or `level_column`",
                ));
            }
        }
        if choice.level_scale.is_some() && choice.level_column.is_none() {
            return Err(bad(
                format!("choices[{k}].level_scale"),
                choice.level_scale.clone().unwrap_or_default(),
                "is the scale of `level_column`, which is not given",
            ));
        }
        scale_known(
            format!("choices[{k}].level_scale"),
            choice.level_scale.as_ref(),
        )?;
        if let Some(separator) = &choice.separator {
            separator_ok(&format!("choices[{k}].separator"), separator)?;
        }
        for (option, topic) in &choice.options {
            if !topics.contains(topic.as_str()) {
                return Err(bad(
                    format!("choices[{k}].options.{option}"),
                    topic.as_str(),
                    "names no topic of the questionnaire",
                ));
            }
        }
    }
    for (k, goal) in file.goals.iter().enumerate() {
        if !goals.contains(goal.goal.as_str()) {
            return Err(bad(
                format!("goals[{k}].goal"),
                goal.goal.as_str(),
                "names no goal of the questionnaire",
            ));
        }
        scale_known(format!("goals[{k}].scale"), goal.scale.as_ref())?;
    }
    Ok(())
}

/// Checks the form's words: slots of meeting times, time zones, numbers.
fn words(file: &MappingFile) -> Result<(), Error> {
    let slots: HashSet<&str> = file
        .questionnaire
        .slots
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    let slot_options = file
        .meeting_times
        .options
        .iter()
        .map(|(o, s)| (format!("meeting_times.options.{o}"), s))
        .chain(
            file.meeting_times
                .grid
                .iter()
                .enumerate()
                .flat_map(|(k, g)| {
                    g.options
                        .iter()
                        .map(move |(o, s)| (format!("meeting_times.grid[{k}].options.{o}"), s))
                }),
        );
    for (field, slot) in slot_options {
        if !slots.contains(slot.as_str()) {
            return Err(bad(
                field,
                slot.as_str(),
                "names no slot of the questionnaire",
            ));
        }
    }
    let date = file
        .time_zone
        .date
        .as_deref()
        .map(|date| {
            cell::parse_date(date)
                .ok_or_else(|| bad("time_zone.date", date, "must be a date written YYYY-MM-DD"))
        })
        .transpose()?;
    for (word, zone) in &file.time_zone.names {
        if let Err(problem) = cell::utc_offset(zone, date) {
            return Err(bad(
                format!("time_zone.names.{word}"),
                zone.as_str(),
                problem,
            ));
        }
    }
    for (word, &hours) in &file.values.hours {
        if !(hours.is_finite() && hours > 0.0) {
            return Err(bad(
                format!("values.hours.{word}"),
                hours.to_string(),
                "hours are a finite number > 0",
            ));
        }
    }
    for (word, &wanted) in &file.values.mentors_wanted {
        if wanted == 0 {
            return Err(bad(
                format!("values.mentors_wanted.{word}"),
                "0",
                "a mentee wants at least 1 mentor",
            ));
        }
    }
    Ok(())
}
