//! Reading a cohort from JSON: every check of the specification, each failure
//! an [`Error`] naming where the value is and which field holds it.

use serde_json::{Map, Value};

use super::{Answers, Cohort, CohortBuilder, HistoryEntry, Role};
use crate::{Component, Error, Location, Objective, Rule, Rules, Weights};

const COHORT_FIELDS: [&str; 8] = [
    "name",
    "questionnaire",
    "participants",
    "history",
    "pinned",
    "rules",
    "weights",
    "objective",
];
const QUESTIONNAIRE_FIELDS: [&str; 3] = ["topics", "goals", "slots"];
const ITEM_FIELDS: [&str; 2] = ["id", "label"];
const SLOT_FIELDS: [&str; 5] = ["id", "label", "day", "start", "end"];
pub(crate) const PARTICIPANT_FIELDS: [&str; 18] = [
    "id",
    "name",
    "role",
    "offers",
    "seeks",
    "level",
    "capacity",
    "goals",
    "hours_per_month",
    "languages",
    "team",
    "manager",
    "seniority",
    "prefers",
    "avoids",
    "slots",
    "utc_offset",
    "mentors_wanted",
];
const HISTORY_FIELDS: [&str; 4] = ["mentor", "mentee", "round", "rating"];
const PINNED_FIELDS: [&str; 2] = ["mentor", "mentee"];

/// Turns a `serde_json` error on `text` into [`Error::Syntax`].
#[allow(clippy::needless_pass_by_value)] // used as `map_err(|e| syntax(text, e))`
pub(crate) fn syntax(text: &[u8], error: serde_json::Error) -> Error {
    let message = error.to_string();
    // serde_json appends " at line L column C"; the position is kept apart.
    let message = match message.rfind(" at line ") {
        Some(cut) => message[..cut].to_owned(),
        None => message,
    };
    let (line, column) = (error.line(), error.column());
    let line_start = if line <= 1 {
        0
    } else {
        text.iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
            .nth(line - 2)
            .map_or(text.len(), |(at, _)| at + 1)
    };
    Error::Syntax {
        line,
        column,
        byte: (line_start + column.saturating_sub(1)).min(text.len()),
        message,
    }
}

/// Reads a whole cohort: the shape of the JSON here, every other check in
/// the builder.
pub(crate) fn cohort(value: &Value) -> Result<Cohort, Error> {
    let top = object(value, &Location::Cohort, "cohort")?;
    known_fields(top, &COHORT_FIELDS, &Location::Cohort, "")?;
    let mut builder = Cohort::builder();
    if let Some(name) = optional_text(top, &Location::Cohort, "name")? {
        builder = builder.name(name);
    }

    let questionnaire = required(top, &Location::Cohort, "questionnaire")?;
    let questionnaire = object(questionnaire, &Location::Cohort, "questionnaire")?;
    known_fields(
        questionnaire,
        &QUESTIONNAIRE_FIELDS,
        &Location::Questionnaire,
        "",
    )?;
    let Some(topics) = present(questionnaire, "topics") else {
        return Err(Error::MissingField {
            at: Location::Questionnaire,
            field: "topics".into(),
        });
    };
    for (id, label) in items(topics, "topics")? {
        builder = match label {
            Some(label) => builder.topic(id, label),
            None => builder.topic_without_label(id),
        };
    }
    if let Some(goals) = present(questionnaire, "goals") {
        for (id, label) in items(goals, "goals")? {
            builder = match label {
                Some(label) => builder.goal(id, label),
                None => builder.goal_without_label(id),
            };
        }
    }
    let mut has_slots = false;
    if let Some(slots) = present(questionnaire, "slots") {
        for (index, slot) in array(slots, &Location::Questionnaire, "slots")?
            .iter()
            .enumerate()
        {
            builder = read_slot(builder, slot, index)?;
            has_slots = true;
        }
    }

    let list = required(top, &Location::Cohort, "participants")?;
    for (index, entry) in array(list, &Location::Cohort, "participants")?
        .iter()
        .enumerate()
    {
        builder = builder.participant(participant(entry, index)?);
    }
    if let Some(list) = present(top, "history") {
        for (index, entry) in array(list, &Location::Cohort, "history")?
            .iter()
            .enumerate()
        {
            builder = builder.history(history_entry(entry, index)?);
        }
    }
    if let Some(list) = present(top, "pinned") {
        for (index, entry) in array(list, &Location::Cohort, "pinned")?.iter().enumerate() {
            let at = Location::Pinned(index);
            let entry = object(entry, &Location::Cohort, &format!("pinned[{index}]"))?;
            known_fields(entry, &PINNED_FIELDS, &at, "")?;
            let mentor = text(required(entry, &at, "mentor")?, &at, "mentor")?;
            let mentee = text(required(entry, &at, "mentee")?, &at, "mentee")?;
            builder = builder.pin(mentor, mentee);
        }
    }
    builder
        .rules(rules(top)?)
        .weights(weights(top, has_slots)?)
        .objective(objective(top)?)
        .build()
}

/// The (id, label) entries of a questionnaire list.
fn items(list: &Value, field: &str) -> Result<Vec<(String, Option<String>)>, Error> {
    let at = Location::Questionnaire;
    let list = array(list, &at, field)?;
    let mut items = Vec::with_capacity(list.len());
    for (index, entry) in list.iter().enumerate() {
        let path = format!("{field}[{index}]");
        let entry = object(entry, &at, &path)?;
        known_fields(entry, &ITEM_FIELDS, &at, &path)?;
        let id_field = format!("{path}.id");
        let id = text(required(entry, &at, &id_field)?, &at, &id_field)?;
        let label = match present(entry, "label") {
            Some(label) => Some(text(label, &at, &format!("{path}.label"))?.to_owned()),
            None => None,
        };
        items.push((id.to_owned(), label));
    }
    Ok(items)
}

/// Reads one participant's answers as the file gives them.
fn participant(entry: &Value, index: usize) -> Result<Answers, Error> {
    // Paths for errors are written only when there is an error.
    let Some(entry) = entry.as_object() else {
        return Err(wrong_type(
            &Location::Cohort,
            &format!("participants[{index}]"),
            "an object",
            entry,
        ));
    };
    // The id first, so that every later error can name the participant.
    let anonymous = Location::ParticipantAt(index);
    if present(entry, "id").is_none() {
        // A misspelt `id` ("Id", "ID ") is reported as the misspelling it is,
        // with the suggestion, rather than as a missing id.
        known_fields(entry, &PARTICIPANT_FIELDS, &anonymous, "")?;
    }
    let id = text(required(entry, &anonymous, "id")?, &anonymous, "id")?;
    let at = if id.is_empty() {
        anonymous
    } else {
        Location::Participant(id.to_owned())
    };
    known_fields(entry, &PARTICIPANT_FIELDS, &at, "")?;

    let role_text = text(required(entry, &at, "role")?, &at, "role")?;
    let role = Role::from_name(role_text).ok_or_else(|| Error::WrongType {
        at: at.clone(),
        field: "role".into(),
        expected: "\"mentor\", \"mentee\" or \"both\"",
        found: shorten(&Value::String(role_text.to_owned())),
    })?;
    let mut answers = Answers::new(id, role);
    answers.offers = optional(entry, "offers", |v| scale(v, &at, "offers", 1))?;
    answers.seeks = optional(entry, "seeks", |v| scale(v, &at, "seeks", 1))?;
    answers.level = optional(entry, "level", |v| scale(v, &at, "level", 0))?;
    answers.goals = optional(entry, "goals", |v| scale(v, &at, "goals", 1))?.unwrap_or_default();
    answers.capacity = optional(entry, "capacity", |v| {
        unsigned_integer(v, &at, "capacity", "an integer >= 0")
    })?;
    answers.mentors_wanted = optional(entry, "mentors_wanted", |v| {
        unsigned_integer(v, &at, "mentors_wanted", "an integer >= 1")
    })?;
    answers.hours_per_month = optional(entry, "hours_per_month", |v| {
        v.as_f64()
            .ok_or_else(|| wrong_type(&at, "hours_per_month", "a finite number > 0", v))
    })?;
    answers.languages = optional(entry, "languages", |v| {
        array(v, &at, "languages")?
            .iter()
            .enumerate()
            .map(|(i, code)| match code.as_str() {
                Some(code) => Ok(code.to_owned()),
                None => Err(wrong_type(
                    &at,
                    &format!("languages[{i}]"),
                    "a string",
                    code,
                )),
            })
            .collect()
    })?
    .unwrap_or_default();
    answers.team = optional(entry, "team", |v| text(v, &at, "team").map(str::to_owned))?;
    answers.seniority = optional(entry, "seniority", |v| {
        integer(v, &at, "seniority", "an integer")
    })?;
    answers.name = optional_text(entry, &at, "name")?;
    answers.manager = optional(entry, "manager", |v| {
        text(v, &at, "manager").map(str::to_owned)
    })?;
    answers.prefers = ids(entry, &at, "prefers")?;
    answers.avoids = ids(entry, &at, "avoids")?;
    answers.slots = ids(entry, &at, "slots")?;
    answers.utc_offset = optional(entry, "utc_offset", |v| {
        v.as_f64()
            .ok_or_else(|| wrong_type(&at, "utc_offset", "a multiple of 0.25 in [-12, 14]", v))
    })?;
    Ok(answers)
}

/// The value of an optional field, read by `read` when present.
fn optional<T>(
    entry: &Map<String, Value>,
    field: &str,
    read: impl FnOnce(&Value) -> Result<T, Error>,
) -> Result<Option<T>, Error> {
    present(entry, field).map(read).transpose()
}

/// A list of participant ids (`prefers`, `avoids`).
fn ids(entry: &Map<String, Value>, at: &Location, field: &str) -> Result<Vec<String>, Error> {
    let Some(list) = present(entry, field) else {
        return Ok(Vec::new());
    };
    array(list, at, field)?
        .iter()
        .map(|id| text(id, at, field).map(str::to_owned))
        .collect()
}

/// Reads an `{id: integer}` object of answers on a `min..=5` scale; `null`
/// answers count as not given. Ranges and ids are the builder's to check.
fn scale(
    value: &Value,
    at: &Location,
    field: &str,
    min: i64,
) -> Result<Vec<(String, Option<i64>)>, Error> {
    let expected = if min == 0 {
        "an integer in 0..=5"
    } else {
        "an integer in 1..=5"
    };
    let answers = object(value, at, field)?;
    let mut given = Vec::with_capacity(answers.len());
    for (id, answer) in answers {
        let number = match answer {
            Value::Null => None,
            Value::Number(number) if number.is_i64() => number.as_i64(),
            // The path is written only for an error.
            _ => Some(integer(answer, at, &format!("{field}.{id}"), expected)?),
        };
        given.push((id.clone(), number));
    }
    Ok(given)
}

fn history_entry(entry: &Value, index: usize) -> Result<HistoryEntry, Error> {
    let at = Location::History(index);
    let entry = object(entry, &Location::Cohort, &format!("history[{index}]"))?;
    known_fields(entry, &HISTORY_FIELDS, &at, "")?;
    Ok(HistoryEntry {
        mentor: text(required(entry, &at, "mentor")?, &at, "mentor")?.to_owned(),
        mentee: text(required(entry, &at, "mentee")?, &at, "mentee")?.to_owned(),
        round: optional_text(entry, &at, "round")?,
        rating: optional(entry, "rating", |v| {
            integer(v, &at, "rating", "an integer in 1..=5")
        })?,
    })
}

fn rules(top: &Map<String, Value>) -> Result<Rules, Error> {
    let mut rules = Rules::default();
    let Some(value) = present(top, "rules") else {
        return Ok(rules);
    };
    let entries = object(value, &Location::Cohort, "rules")?;
    let keys: Vec<&str> = Rule::keys().collect();
    known_fields(entries, &keys, &Location::Rules, "")?;
    for (name, value) in entries {
        if !value.is_null() {
            rules.set_key(name, value)?;
        }
    }
    Ok(rules)
}

/// One meeting window of the questionnaire.
fn read_slot(builder: CohortBuilder, slot: &Value, index: usize) -> Result<CohortBuilder, Error> {
    let at = Location::Questionnaire;
    let path = format!("slots[{index}]");
    let slot = object(slot, &at, &path)?;
    known_fields(slot, &SLOT_FIELDS, &at, &path)?;
    let field = |name: &str| format!("{path}.{name}");
    let id = text(required(slot, &at, &field("id"))?, &at, &field("id"))?.to_owned();
    let day = integer(
        required(slot, &at, &field("day"))?,
        &at,
        &field("day"),
        "an integer in 0..=6 (0 = Monday)",
    )?;
    let hour = |name: &str| -> Result<f64, Error> {
        let value = required(slot, &at, &field(name))?;
        value
            .as_f64()
            .ok_or_else(|| wrong_type(&at, &field(name), "a multiple of 0.25 in [0, 24]", value))
    };
    let (start, end) = (hour("start")?, hour("end")?);
    Ok(match present(slot, "label") {
        Some(label) => {
            let label = text(label, &at, &field("label"))?;
            builder.slot(id, label, day, start, end)
        }
        None => builder.slot_without_label(id, day, start, end),
    })
}

fn weights(top: &Map<String, Value>, has_slots: bool) -> Result<Weights, Error> {
    let at = Location::Weights;
    let mut weights = Weights::for_questionnaire(has_slots);
    let Some(value) = present(top, "weights") else {
        return Ok(weights);
    };
    let entries = object(value, &Location::Cohort, "weights")?;
    let keys: Vec<&str> = Component::keys().collect();
    known_fields(entries, &keys, &at, "")?;
    for component in Component::all() {
        if let Some(value) = present(entries, component.name()) {
            let weight = value
                .as_f64()
                .ok_or_else(|| wrong_type(&at, component.name(), "a number >= 0", value))?;
            weights = weights.with(component, weight);
        }
    }
    Ok(weights)
}

fn objective(top: &Map<String, Value>) -> Result<Objective, Error> {
    let Some(value) = present(top, "objective") else {
        return Ok(Objective::default());
    };
    let wrong = || Error::WrongType {
        at: Location::Cohort,
        field: "objective".into(),
        expected: "\"total\", \"coverage\" or \"fairness\"",
        found: shorten(value),
    };
    value
        .as_str()
        .ok_or_else(wrong)?
        .parse()
        .map_err(|_| wrong())
}

// ---- small readers -------------------------------------------------------

/// The value of `field`, treating `null` as missing.
fn present<'v>(map: &'v Map<String, Value>, field: &str) -> Option<&'v Value> {
    map.get(field).filter(|v| !v.is_null())
}

fn required<'v>(
    map: &'v Map<String, Value>,
    at: &Location,
    field: &str,
) -> Result<&'v Value, Error> {
    let key = field.rsplit('.').next().unwrap_or(field);
    present(map, key).ok_or_else(|| Error::MissingField {
        at: at.clone(),
        field: field.into(),
    })
}

fn object<'v>(
    value: &'v Value,
    at: &Location,
    field: &str,
) -> Result<&'v Map<String, Value>, Error> {
    value
        .as_object()
        .ok_or_else(|| wrong_type(at, field, "an object", value))
}

fn array<'v>(value: &'v Value, at: &Location, field: &str) -> Result<&'v Vec<Value>, Error> {
    value
        .as_array()
        .ok_or_else(|| wrong_type(at, field, "a list", value))
}

fn text<'v>(value: &'v Value, at: &Location, field: &str) -> Result<&'v str, Error> {
    value
        .as_str()
        .ok_or_else(|| wrong_type(at, field, "a string", value))
}

fn optional_text(
    map: &Map<String, Value>,
    at: &Location,
    field: &str,
) -> Result<Option<String>, Error> {
    present(map, field)
        .map(|value| text(value, at, field).map(str::to_owned))
        .transpose()
}

/// An integer written as an integer (`3`, not `3.0`).
fn integer(
    value: &Value,
    at: &Location,
    field: &str,
    expected: &'static str,
) -> Result<i64, Error> {
    match value {
        Value::Number(number) => {
            if let Some(i) = number.as_i64() {
                Ok(i)
            } else {
                // Fractional, written with a decimal point or exponent, or
                // beyond 64 bits.
                Err(out_of_range(at, field, expected, value))
            }
        }
        _ => Err(wrong_type(at, field, expected, value)),
    }
}

/// A whole number `>= 0` written as an integer; `expected` says what the
/// field takes (the builder checks any larger lower bound).
fn unsigned_integer(
    value: &Value,
    at: &Location,
    field: &str,
    expected: &'static str,
) -> Result<u64, Error> {
    match value {
        Value::Number(number) => number
            .as_u64()
            .ok_or_else(|| out_of_range(at, field, expected, value)),
        _ => Err(wrong_type(at, field, expected, value)),
    }
}

fn wrong_type(at: &Location, field: &str, expected: &'static str, value: &Value) -> Error {
    Error::WrongType {
        at: at.clone(),
        field: field.into(),
        expected,
        found: shorten(value),
    }
}

fn out_of_range(at: &Location, field: &str, expected: &'static str, value: &Value) -> Error {
    Error::OutOfRange {
        at: at.clone(),
        field: field.into(),
        expected,
        found: shorten(value),
    }
}

/// A value as written, cut to a length that fits in one line of an error.
fn shorten(value: &Value) -> String {
    crate::error::cut(&value.to_string())
}

/// Rejects fields not in `allowed`, suggesting the closest known one.
fn known_fields(
    map: &Map<String, Value>,
    allowed: &[&str],
    at: &Location,
    prefix: &str,
) -> Result<(), Error> {
    for key in map.keys() {
        if !allowed.contains(&key.as_str()) {
            let field = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            return Err(Error::UnknownField {
                at: at.clone(),
                field,
                suggestion: closest(key, allowed).map(str::to_owned),
            });
        }
    }
    Ok(())
}

/// The known name nearest to `word` in edit distance, if it is near enough
/// to be a likely misspelling.
fn closest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    known
        .iter()
        .map(|&name| (edit_distance(&lower, name), name))
        .filter(|&(distance, name)| distance <= (name.len() / 3).max(1))
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, name)| name)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspellings_find_their_field() {
        assert_eq!(closest("capacty", &PARTICIPANT_FIELDS), Some("capacity"));
        assert_eq!(closest("Offers", &PARTICIPANT_FIELDS), Some("offers"));
        assert_eq!(closest("hours", &PARTICIPANT_FIELDS), None);
        assert_eq!(closest("languges", &PARTICIPANT_FIELDS), Some("languages"));
    }

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
