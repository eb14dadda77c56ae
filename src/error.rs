//! The one error type of the crate.

use std::fmt;

/// Where in a cohort file a bad value was found.
///
/// Displayed as the organiser would look for it: `participant "ana"`,
/// `participant #3` (when the participant has no usable id), `rules`,
/// `pinned[2]`, and so on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Location {
    /// The top level of the cohort file.
    Cohort,
    /// The `questionnaire` object.
    Questionnaire,
    /// A participant, by id.
    Participant(String),
    /// A participant without a usable id, by position in `participants` (0-based).
    ParticipantAt(usize),
    /// An entry of `history`, by position (0-based).
    History(usize),
    /// An entry of `pinned`, by position (0-based).
    Pinned(usize),
    /// The `rules` object.
    Rules,
    /// The `weights` object.
    Weights,
    /// A row of a table such as a survey export, as a spreadsheet numbers it
    /// (the header is row 1).
    Row(usize),
    /// A cell of a table: its row as a spreadsheet numbers it, and its
    /// column's header.
    Cell {
        /// The row (the header is row 1).
        row: usize,
        /// The column's header.
        column: String,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Cohort => f.write_str("cohort"),
            Location::Questionnaire => f.write_str("questionnaire"),
            Location::Participant(id) => write!(f, "participant {}", quoted(id)),
            Location::ParticipantAt(index) => write!(f, "participant #{index}"),
            Location::History(index) => write!(f, "history[{index}]"),
            Location::Pinned(index) => write!(f, "pinned[{index}]"),
            Location::Rules => f.write_str("rules"),
            Location::Weights => f.write_str("weights"),
            Location::Row(row) => write!(f, "row {row}"),
            Location::Cell { row, column } => write!(f, "row {row}, column {}", quoted(column)),
        }
    }
}

/// Everything that can go wrong in this crate.
///
/// Input errors name where the bad value is ([`Location`]) and the field, so
/// that a message can be shown to an organiser as it is.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text is not well-formed JSON (or not UTF-8).
    #[error("line {line}, column {column} (byte {byte}): {message}")]
    Syntax {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem, in bytes (0 for an empty text).
        column: usize,
        /// 0-based byte offset of the problem in the text.
        byte: usize,
        /// What the JSON parser found.
        message: String,
    },
    /// A field that the cohort format does not have (often a misspelling).
    #[error("{at}: unknown field `{}`{}", shorten(field), suggest(suggestion.as_deref()))]
    UnknownField {
        /// Where the field was found.
        at: Location,
        /// The field as written.
        field: String,
        /// The known field closest to it, if one is close.
        suggestion: Option<String>,
    },
    /// A required field is missing or `null`.
    #[error("{at}: field `{}` is required", shorten(field))]
    MissingField {
        /// Where the field was expected.
        at: Location,
        /// The missing field.
        field: String,
    },
    /// A value of the wrong JSON type.
    #[error("{at}: field `{}` must be {expected}, found {found}", shorten(field))]
    WrongType {
        /// Where the value was found.
        at: Location,
        /// The field (a path such as `offers.frontend` for nested values).
        field: String,
        /// What the field takes.
        expected: &'static str,
        /// The value as written (shortened).
        found: String,
    },
    /// A number outside the range its field allows, or a fractional number
    /// where an integer is required.
    #[error("{at}: field `{}` must be {expected}, found {found}", shorten(field))]
    OutOfRange {
        /// Where the value was found.
        at: Location,
        /// The field (a path such as `offers.frontend`).
        field: String,
        /// The allowed values, for example `an integer in 1..=5`.
        expected: &'static str,
        /// The value as written.
        found: String,
    },
    /// A topic or goal id that the questionnaire does not define.
    #[error(
        "{at}: field `{}` names {kind} {}, which the questionnaire does not define",
        shorten(field),
        quoted(id)
    )]
    UnknownAnswer {
        /// Where the answer was found.
        at: Location,
        /// The field holding the answer (`offers`, `seeks`, `level` or `goals`).
        field: String,
        /// `"topic"` or `"goal"`.
        kind: &'static str,
        /// The unknown id.
        id: String,
    },
    /// An id that is empty.
    #[error("{at}: field `{}` must be a non-empty id", shorten(field))]
    EmptyId {
        /// Where the id was found.
        at: Location,
        /// The field holding it.
        field: String,
    },
    /// An id used twice where ids must be unique.
    #[error(
        "{at}: id {} is used more than once in `{}`",
        quoted(id),
        shorten(field)
    )]
    DuplicateId {
        /// The second holder of the id.
        at: Location,
        /// The list in which ids must be unique.
        field: String,
        /// The duplicated id.
        id: String,
    },
    /// An id that names no participant of the cohort.
    #[error(
        "{at}: field `{}` names {}, who is not a participant",
        shorten(field),
        quoted(id)
    )]
    UnknownParticipant {
        /// Where the id was found.
        at: Location,
        /// The field holding it.
        field: String,
        /// The unknown id.
        id: String,
    },
    /// A participant that names themself as their own manager, preferred or avoided partner.
    #[error("{at}: field `{}` names the participant themself", shorten(field))]
    SelfReference {
        /// The participant.
        at: Location,
        /// The field.
        field: String,
    },
    /// A mentor without `offers` or a mentee without `seeks` (or an empty one).
    #[error(
        "{at}: field `{}` is required and must not be empty for a {side}",
        shorten(field)
    )]
    MissingAnswers {
        /// The participant.
        at: Location,
        /// `offers` or `seeks`.
        field: String,
        /// `"mentor"` or `"mentee"`.
        side: &'static str,
    },
    /// A field of the other side, such as `seeks` on a mentor.
    #[error(
        "{at}: field `{}` belongs to a {side}, but the role is {role:?}; use role \"both\"",
        shorten(field)
    )]
    OtherSideField {
        /// The participant.
        at: Location,
        /// The field.
        field: String,
        /// The side the field belongs to.
        side: &'static str,
        /// The participant's role.
        role: &'static str,
    },
    /// A pinned pair that cannot be honoured.
    #[error("{at}: {problem}")]
    BadPin {
        /// The pinned entry.
        at: Location,
        /// What is wrong with it.
        problem: String,
    },
    /// Weights that do not sum to a finite number above zero.
    #[error("weights: the weights must sum to a finite number above 0, found {sum}")]
    WeightSum {
        /// The sum found.
        sum: f64,
    },
    /// A matrix entry that is NaN or the wrong infinity.
    #[error("matrix entry ({row}, {column}) is {value}; {expected}")]
    BadEntry {
        /// Row of the entry.
        row: usize,
        /// Column of the entry.
        column: usize,
        /// The entry.
        value: f64,
        /// What the entry may be.
        expected: &'static str,
    },
    /// A matrix whose rows do not all have the same length (text input only).
    #[error("line {line}: row has {found} entries, expected {expected}")]
    RaggedMatrix {
        /// 1-based line of the row.
        line: usize,
        /// Entries found.
        found: usize,
        /// Entries of the first row.
        expected: usize,
    },
    /// A matrix text (OR-Library or CSV) that cannot be read.
    #[error("line {line}: {problem}")]
    MatrixText {
        /// 1-based line of the problem.
        line: usize,
        /// What is wrong.
        problem: String,
    },
    /// No assignment avoids the forbidden pairs.
    ///
    /// For [`assign`](crate::assign) the lines that must all be assigned are
    /// those of the shorter side (rows or columns); for the matcher they are the
    /// rows of its problem.
    #[error(
        "no assignment avoids the forbidden pairs: at most {possible} of the {required} pairs needed can be formed"
    )]
    Infeasible {
        /// Pairs needed: `min(rows, columns)` for [`assign`](crate::assign).
        required: usize,
        /// Pairs that can be formed at most without a forbidden one.
        possible: usize,
    },
    /// The work would need more memory than the configured limit.
    #[error(
        "{what} would need about {estimate_bytes} bytes, over the limit of {limit_bytes} bytes; raise the limit with {raise_with}"
    )]
    MemoryLimit {
        /// What was about to be allocated.
        what: &'static str,
        /// The estimate, in bytes.
        estimate_bytes: u64,
        /// The configured limit, in bytes.
        limit_bytes: u64,
        /// How the caller raises the limit, as the message says it: the
        /// library's setter or argument (such as `` `Matcher::memory_limit` ``);
        /// a command line replaces it with its flag.
        raise_with: &'static str,
    },
    /// A score matrix given to the matcher that is not of its cohort,
    /// weights or rules.
    #[error("the score matrix cannot be reused: {problem}; score the cohort again")]
    ScoresMismatch {
        /// What differs.
        problem: &'static str,
    },
    /// A name given as text that is none of the choices, such as an unknown
    /// solver or objective (from [`str::parse`]).
    #[error("unknown {what} {found:?}; expected {expected}")]
    UnknownName {
        /// What the name names, such as `"solver"` or `"objective"`.
        what: &'static str,
        /// The name as given.
        found: String,
        /// The accepted names.
        expected: &'static str,
    },
    /// A survey mapping (TOML) that is not well-formed, or has an unknown
    /// key or a value of the wrong type.
    #[error("mapping: line {line}, column {column}: {message}")]
    MappingSyntax {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem, in characters.
        column: usize,
        /// What the TOML reader found.
        message: String,
    },
    /// A survey mapping whose value cannot be used, such as a topic id the
    /// questionnaire does not define or a column letter that is no letter.
    #[error("mapping: `{field}` is {}: {problem}", quoted(value))]
    BadMapping {
        /// The key, as a path such as `ratings[2].topic`.
        field: String,
        /// The value as written.
        value: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A column that the survey mapping names and the export does not have.
    #[error("mapping: `{field}` names {column}, which the export does not have")]
    MissingColumn {
        /// The key of the mapping, such as `columns.hours`.
        field: String,
        /// The column as the mapping names it, for example `column "Hours"`,
        /// `the 2nd column "Hours"` or `column K`.
        column: String,
    },
    /// A header that heads several columns of the export, named by the
    /// mapping without saying which.
    #[error(
        "mapping: `{field}` names column {}, which heads columns {}; say which with `occurrence` or `letter`",
        quoted(header),
        letters.join(", ")
    )]
    AmbiguousColumn {
        /// The key of the mapping.
        field: String,
        /// The header.
        header: String,
        /// The letters of the columns it heads.
        letters: Vec<String>,
    },
    /// A survey export that cannot be read as a table (CSV or Excel).
    #[error("export: {}{problem}", row.map_or_else(String::new, |row| format!("row {row}: ")))]
    BadExport {
        /// The row of the problem as a spreadsheet numbers it (the header
        /// is row 1), when there is one.
        row: Option<usize>,
        /// What is wrong.
        problem: String,
    },
    /// A cell of a survey export that the mapping cannot interpret.
    #[error("{at} ({letter}): cell {}: {problem}", quoted(value))]
    BadCell {
        /// The cell: [`Location::Cell`], its row as a spreadsheet numbers it
        /// and its column's header.
        at: Location,
        /// The column's letter, as a spreadsheet names it (`A`, ..., `AA`).
        letter: String,
        /// The cell as written.
        value: String,
        /// Why it cannot be read, and what it may hold.
        problem: String,
    },
    /// A respondent who answered the survey twice (the same id on two rows)
    /// where the mapping does not say to keep the latest answer.
    #[error(
        "{at}: respondent {} already answered on row {first_row}; set `form.duplicates = \"keep-latest\"` in the mapping to keep the latest answer",
        quoted(id)
    )]
    DuplicateRespondent {
        /// The later row ([`Location::Row`]).
        at: Location,
        /// The id, trimmed and lower-cased.
        id: String,
        /// The earlier row.
        first_row: usize,
    },
    /// A problem too large for the integer arithmetic of the chosen solver.
    #[error("{what}: {size} is too large for the {solver} solver; use the default solver")]
    TooLarge {
        /// What is too large.
        what: &'static str,
        /// The size found.
        size: usize,
        /// The solver.
        solver: &'static str,
    },
}

impl Error {
    /// The value `name` stands for in `names` (each name with its value),
    /// or [`Error::UnknownName`] naming `what` and listing `expected`.
    pub(crate) fn by_name<T: Copy>(
        what: &'static str,
        name: &str,
        names: &[(&str, T)],
        expected: &'static str,
    ) -> Result<T, Error> {
        names
            .iter()
            .find(|&&(known, _)| known == name)
            .map(|&(_, value)| value)
            .ok_or_else(|| Error::UnknownName {
                what,
                found: name.to_owned(),
                expected,
            })
    }

    /// `Ok` when `estimate_bytes` fits in `limit_bytes`, else [`Error::MemoryLimit`].
    pub(crate) fn check_memory(
        what: &'static str,
        estimate_bytes: u64,
        limit_bytes: u64,
        raise_with: &'static str,
    ) -> Result<(), Error> {
        if estimate_bytes > limit_bytes {
            return Err(Error::MemoryLimit {
                what,
                estimate_bytes,
                limit_bytes,
                raise_with,
            });
        }
        Ok(())
    }
}

/// Longest value, in characters, that an error shows in full.
const SHOWN: usize = 40;

/// A value as written, cut to a length that fits in one line of an error,
/// with control characters escaped.
pub(crate) fn shorten(text: &str) -> String {
    let long = text.chars().nth(SHOWN).is_some();
    let head: String = text.chars().take(SHOWN).collect();
    // Escaped as `Debug` escapes a string, without its quotes.
    let debug = format!("{head:?}");
    let escaped = &debug[1..debug.len() - 1];
    if long {
        format!("{escaped}…")
    } else {
        escaped.to_owned()
    }
}

/// A text that is already escaped (such as a JSON value as written), cut to
/// a length that fits in one line of an error.
pub(crate) fn cut(text: &str) -> String {
    if text.chars().nth(SHOWN).is_none() {
        return text.to_owned();
    }
    let head: String = text.chars().take(SHOWN).collect();
    format!("{head}…")
}

/// A value in quotes, shortened and escaped as [`shorten`] does.
pub(crate) fn quoted(text: &str) -> String {
    format!("\"{}\"", shorten(text))
}

fn suggest(suggestion: Option<&str>) -> String {
    suggestion.map_or_else(String::new, |s| format!("; did you mean `{s}`?"))
}
