//! Reading a cohort from JSON: every check of the specification, each failure
//! an [`Error`] naming where the value is and which field holds it.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{Cohort, HistoryPair, Item, Participant, Role};
use crate::{Error, Location, Objective, Rules, Weights};

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
const QUESTIONNAIRE_FIELDS: [&str; 2] = ["topics", "goals"];
const ITEM_FIELDS: [&str; 2] = ["id", "label"];
const PARTICIPANT_FIELDS: [&str; 15] = [
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
];
const HISTORY_FIELDS: [&str; 3] = ["mentor", "mentee", "round"];
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

/// Reads and checks a whole cohort.
pub(crate) fn cohort(value: &Value) -> Result<Cohort, Error> {
    let top = object(value, &Location::Cohort, "cohort")?;
    known_fields(top, &COHORT_FIELDS, &Location::Cohort, "")?;
    let name = optional_text(top, &Location::Cohort, "name")?;

    let questionnaire = required(top, &Location::Cohort, "questionnaire")?;
    let questionnaire = object(questionnaire, &Location::Cohort, "questionnaire")?;
    known_fields(
        questionnaire,
        &QUESTIONNAIRE_FIELDS,
        &Location::Questionnaire,
        "",
    )?;
    let topics = items(questionnaire, "topics", true)?;
    let goals = items(questionnaire, "goals", false)?;

    let list = required(top, &Location::Cohort, "participants")?;
    let list = array(list, &Location::Cohort, "participants")?;
    let answers = Answers {
        topics: index_of(&topics),
        goals: index_of(&goals),
    };
    let mut participants = Vec::with_capacity(list.len());
    let mut ids: HashMap<&str, usize> = HashMap::with_capacity(list.len());
    let mut entries = Vec::with_capacity(list.len());
    for (index, entry) in list.iter().enumerate() {
        let entry = object(entry, &Location::Cohort, &format!("participants[{index}]"))?;
        entries.push(entry);
        let (participant, id) = participant_answers(entry, index, &answers)?;
        if ids.insert(id, index).is_some() {
            return Err(Error::DuplicateId {
                at: Location::Participant(id.to_owned()),
                field: "participants".into(),
                id: id.to_owned(),
            });
        }
        participants.push(participant);
    }
    for (index, entry) in entries.into_iter().enumerate() {
        resolve_references(entry, &mut participants[index], index, &ids)?;
    }

    let mentors: Vec<usize> = (0..participants.len())
        .filter(|&i| participants[i].role.mentors())
        .collect();
    let mentees: Vec<usize> = (0..participants.len())
        .filter(|&i| participants[i].role.is_mentored())
        .collect();

    let history = history(top, &ids, &participants)?;
    let pinned = pinned(top, &ids, &participants, &mentors, &mentees)?;
    let rules = rules(top)?;
    let weights = weights(top)?;
    let objective = objective(top)?;

    Ok(Cohort {
        name,
        topics,
        goals,
        participants,
        mentors,
        mentees,
        history,
        pinned,
        rules,
        weights,
        objective,
    })
}

struct Answers<'a> {
    topics: HashMap<&'a str, usize>,
    goals: HashMap<&'a str, usize>,
}

fn index_of(items: &[Item]) -> HashMap<&str, usize> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.id.as_str(), i))
        .collect()
}

fn items(
    questionnaire: &Map<String, Value>,
    field: &str,
    at_least_one: bool,
) -> Result<Vec<Item>, Error> {
    let at = Location::Questionnaire;
    let Some(list) = present(questionnaire, field) else {
        if at_least_one {
            return Err(Error::MissingField {
                at,
                field: field.into(),
            });
        }
        return Ok(Vec::new());
    };
    let list = array(list, &at, field)?;
    if at_least_one && list.is_empty() {
        return Err(Error::OutOfRange {
            at,
            field: field.into(),
            expected: "a list of at least one topic",
            found: "[]".into(),
        });
    }
    let mut items: Vec<Item> = Vec::with_capacity(list.len());
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (index, entry) in list.iter().enumerate() {
        let path = format!("{field}[{index}]");
        let entry = object(entry, &at, &path)?;
        known_fields(entry, &ITEM_FIELDS, &at, &path)?;
        let id_field = format!("{path}.id");
        let id = required(entry, &at, &id_field)?;
        let id = non_empty_id(id, &at, &id_field)?;
        if !seen.insert(id) {
            return Err(Error::DuplicateId {
                at,
                field: field.into(),
                id: id.into(),
            });
        }
        let label = match present(entry, "label") {
            Some(label) => text(label, &at, &format!("{path}.label"))?.to_owned(),
            None => id.to_owned(),
        };
        items.push(Item {
            id: id.to_owned(),
            label,
        });
    }
    Ok(items)
}

/// Reads one participant's own answers; references to others come later.
fn participant_answers<'v>(
    entry: &'v Map<String, Value>,
    index: usize,
    answers: &Answers<'_>,
) -> Result<(Participant, &'v str), Error> {
    // The id first, so that every later error can name the participant.
    let anonymous = Location::ParticipantAt(index);
    if present(entry, "id").is_none() {
        // A misspelt `id` ("Id", "ID ") is reported as the misspelling it is,
        // with the suggestion, rather than as a missing id.
        known_fields(entry, &PARTICIPANT_FIELDS, &anonymous, "")?;
    }
    let id = required(entry, &anonymous, "id")?;
    let id = non_empty_id(id, &anonymous, "id")?;
    let at = Location::Participant(id.to_owned());
    known_fields(entry, &PARTICIPANT_FIELDS, &at, "")?;

    let role = match text(required(entry, &at, "role")?, &at, "role")? {
        "mentor" => Role::Mentor,
        "mentee" => Role::Mentee,
        "both" => Role::Both,
        other => {
            return Err(Error::WrongType {
                at,
                field: "role".into(),
                expected: "\"mentor\", \"mentee\" or \"both\"",
                found: shorten(&Value::String(other.to_owned())),
            });
        }
    };
    for (field, side, belongs) in [
        ("offers", "mentor", role.mentors()),
        ("capacity", "mentor", role.mentors()),
        ("seeks", "mentee", role.is_mentored()),
        ("level", "mentee", role.is_mentored()),
    ] {
        if !belongs && present(entry, field).is_some() {
            return Err(Error::OtherSideField {
                at,
                field: field.into(),
                side,
                role: role.as_str(),
            });
        }
    }

    let topic_count = answers.topics.len();
    let offers = if role.mentors() {
        side_answers(entry, &at, "offers", "mentor", &answers.topics)?
    } else {
        vec![0; topic_count]
    };
    let seeks = if role.is_mentored() {
        side_answers(entry, &at, "seeks", "mentee", &answers.topics)?
    } else {
        vec![0; topic_count]
    };
    let level = match present(entry, "level") {
        Some(level) => scale(level, &at, "level", "topic", &answers.topics, 0)?,
        None => vec![0; topic_count],
    };
    let goals = match present(entry, "goals") {
        Some(goals) => scale(goals, &at, "goals", "goal", &answers.goals, 1)?,
        None => vec![0; answers.goals.len()],
    };
    let capacity = match present(entry, "capacity") {
        Some(value) => non_negative_integer(value, &at, "capacity")?,
        None if role.mentors() => 1,
        None => 0,
    };
    let hours_per_month = match present(entry, "hours_per_month") {
        Some(value) => Some(positive_number(value, &at, "hours_per_month")?),
        None => None,
    };
    let mut languages = match present(entry, "languages") {
        Some(value) => array(value, &at, "languages")?
            .iter()
            .enumerate()
            .map(|(i, code)| non_empty_id(code, &at, &format!("languages[{i}]")).map(str::to_owned))
            .collect::<Result<Vec<_>, _>>()?,
        None => Vec::new(),
    };
    languages.sort();
    languages.dedup();
    let team = match present(entry, "team") {
        Some(value) => Some(non_empty_id(value, &at, "team")?.to_owned()),
        None => None,
    };
    let seniority = match present(entry, "seniority") {
        Some(value) => Some(integer(value, &at, "seniority", "an integer")?),
        None => None,
    };
    let participant = Participant {
        id: id.to_owned(),
        name: optional_text(entry, &at, "name")?,
        role,
        offers,
        seeks,
        level,
        goals,
        capacity,
        hours_per_month,
        languages,
        team,
        manager: None,
        seniority,
        prefers: Vec::new(),
        avoids: Vec::new(),
    };
    Ok((participant, id))
}

/// Reads `manager`, `prefers` and `avoids`, which name other participants.
fn resolve_references(
    entry: &Map<String, Value>,
    participant: &mut Participant,
    index: usize,
    ids: &HashMap<&str, usize>,
) -> Result<(), Error> {
    let at = Location::Participant(participant.id.clone());
    let reference = |value: &Value, field: &str| -> Result<usize, Error> {
        let id = non_empty_id(value, &at, field)?;
        match ids.get(id) {
            Some(&other) if other == index => Err(Error::SelfReference {
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
    if let Some(manager) = present(entry, "manager") {
        participant.manager = Some(reference(manager, "manager")?);
    }
    for field in ["prefers", "avoids"] {
        let Some(list) = present(entry, field) else {
            continue;
        };
        let mut others = array(list, &at, field)?
            .iter()
            .map(|id| reference(id, field))
            .collect::<Result<Vec<_>, _>>()?;
        others.sort_unstable();
        others.dedup();
        if field == "prefers" {
            participant.prefers = others;
        } else {
            participant.avoids = others;
        }
    }
    Ok(())
}

fn side_answers(
    entry: &Map<String, Value>,
    at: &Location,
    field: &str,
    side: &'static str,
    topics: &HashMap<&str, usize>,
) -> Result<Vec<u8>, Error> {
    let missing = || Error::MissingAnswers {
        at: at.clone(),
        field: field.into(),
        side,
    };
    let value = present(entry, field).ok_or_else(missing)?;
    let answers = scale(value, at, field, "topic", topics, 1)?;
    if answers.iter().all(|&a| a == 0) {
        return Err(missing());
    }
    Ok(answers)
}

/// Reads an `{id: integer}` object of answers on a `min..=5` scale, densely
/// in questionnaire order.
fn scale(
    value: &Value,
    at: &Location,
    field: &str,
    kind: &'static str,
    ids: &HashMap<&str, usize>,
    min: i64,
) -> Result<Vec<u8>, Error> {
    let answers = object(value, at, field)?;
    let mut dense = vec![0u8; ids.len()];
    for (id, answer) in answers {
        let path = format!("{field}.{id}");
        let Some(&position) = ids.get(id.as_str()) else {
            return Err(Error::UnknownAnswer {
                at: at.clone(),
                field: field.into(),
                kind,
                id: id.clone(),
            });
        };
        if answer.is_null() {
            continue;
        }
        let expected = if min == 0 {
            "an integer in 0..=5"
        } else {
            "an integer in 1..=5"
        };
        let number = integer(answer, at, &path, expected)?;
        if !(min..=5).contains(&number) {
            return Err(out_of_range(at, &path, expected, answer));
        }
        dense[position] = u8::try_from(number).expect("checked to be in 0..=5");
    }
    Ok(dense)
}

fn history(
    top: &Map<String, Value>,
    ids: &HashMap<&str, usize>,
    participants: &[Participant],
) -> Result<Vec<HistoryPair>, Error> {
    let Some(list) = present(top, "history") else {
        return Ok(Vec::new());
    };
    let mut pairs = Vec::new();
    for (index, entry) in array(list, &Location::Cohort, "history")?
        .iter()
        .enumerate()
    {
        let at = Location::History(index);
        let entry = object(entry, &Location::Cohort, &format!("history[{index}]"))?;
        known_fields(entry, &HISTORY_FIELDS, &at, "")?;
        let mentor = text(required(entry, &at, "mentor")?, &at, "mentor")?;
        let mentee = text(required(entry, &at, "mentee")?, &at, "mentee")?;
        let round = optional_text(entry, &at, "round")?;
        // People leave a programme between rounds: entries naming someone
        // who is not here (or not on that side) are ignored, as specified.
        if let (Some(&mentor), Some(&mentee)) = (ids.get(mentor), ids.get(mentee))
            && participants[mentor].role.mentors()
            && participants[mentee].role.is_mentored()
        {
            {
                pairs.push(HistoryPair {
                    mentor,
                    mentee,
                    round,
                });
            }
        }
    }
    Ok(pairs)
}

fn pinned(
    top: &Map<String, Value>,
    ids: &HashMap<&str, usize>,
    participants: &[Participant],
    mentors: &[usize],
    mentees: &[usize],
) -> Result<Vec<(usize, usize)>, Error> {
    let Some(list) = present(top, "pinned") else {
        return Ok(Vec::new());
    };
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut pinned_mentee: HashMap<usize, usize> = HashMap::new();
    let mut used = vec![0u64; mentors.len()];
    for (index, entry) in array(list, &Location::Cohort, "pinned")?.iter().enumerate() {
        let at = Location::Pinned(index);
        let entry = object(entry, &Location::Cohort, &format!("pinned[{index}]"))?;
        known_fields(entry, &PINNED_FIELDS, &at, "")?;
        let bad = |problem: String| Error::BadPin {
            at: at.clone(),
            problem,
        };
        let side =
            |field: &str, side_list: &[usize], side: &str| -> Result<(usize, usize), Error> {
                let id = non_empty_id(required(entry, &at, field)?, &at, field)?;
                let &person = ids.get(id).ok_or_else(|| Error::UnknownParticipant {
                    at: at.clone(),
                    field: field.into(),
                    id: id.into(),
                })?;
                let position = side_list.binary_search(&person).map_err(|_| {
                    bad(format!(
                        "field `{field}` names {id:?}, whose role {:?} is not on the {side} side",
                        participants[person].role.as_str()
                    ))
                })?;
                Ok((person, position))
            };
        let (mentor, mentor_side) = side("mentor", mentors, "mentor")?;
        let (mentee, mentee_side) = side("mentee", mentees, "mentee")?;
        if mentor == mentee {
            return Err(bad(format!(
                "pins {:?} as their own mentor",
                participants[mentor].id
            )));
        }
        if let Some(first) = pinned_mentee.insert(mentee_side, index) {
            return Err(bad(format!(
                "pins mentee {:?} again (already in pinned[{first}])",
                participants[mentee].id
            )));
        }
        used[mentor_side] += 1;
        if used[mentor_side] > participants[mentor].capacity {
            return Err(bad(format!(
                "pins more mentees to mentor {:?} than their capacity of {}",
                participants[mentor].id, participants[mentor].capacity
            )));
        }
        pairs.push((mentor_side, mentee_side));
    }
    Ok(pairs)
}

fn rules(top: &Map<String, Value>) -> Result<Rules, Error> {
    let at = Location::Rules;
    let mut rules = Rules::default();
    let Some(value) = present(top, "rules") else {
        return Ok(rules);
    };
    let entries = object(value, &Location::Cohort, "rules")?;
    known_fields(entries, &Rules::FIELDS, &at, "")?;
    for (name, value) in entries {
        if value.is_null() {
            continue;
        }
        if name == "min_score" {
            let found = shorten(value);
            let number = value.as_f64().ok_or_else(|| Error::WrongType {
                at: at.clone(),
                field: name.clone(),
                expected: "a number in [0, 1]",
                found,
            })?;
            rules = rules.with_min_score(number)?;
        } else {
            let on = value.as_bool().ok_or_else(|| Error::WrongType {
                at: at.clone(),
                field: name.clone(),
                expected: "true or false",
                found: shorten(value),
            })?;
            rules.set(name, on);
        }
    }
    Ok(rules)
}

fn weights(top: &Map<String, Value>) -> Result<Weights, Error> {
    let at = Location::Weights;
    let Some(value) = present(top, "weights") else {
        return Ok(Weights::default());
    };
    let entries = object(value, &Location::Cohort, "weights")?;
    known_fields(entries, &Weights::FIELDS, &at, "")?;
    let default = Weights::default();
    let mut values = [
        default.skills(),
        default.goals(),
        default.availability(),
        default.preference(),
    ];
    for (slot, name) in values.iter_mut().zip(Weights::FIELDS) {
        if let Some(value) = present(entries, name) {
            *slot = value.as_f64().ok_or_else(|| Error::WrongType {
                at: at.clone(),
                field: name.into(),
                expected: "a number >= 0",
                found: shorten(value),
            })?;
        }
    }
    Weights::new(values[0], values[1], values[2], values[3])
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

fn non_empty_id<'v>(value: &'v Value, at: &Location, field: &str) -> Result<&'v str, Error> {
    let id = text(value, at, field)?;
    if id.is_empty() {
        return Err(Error::EmptyId {
            at: at.clone(),
            field: field.into(),
        });
    }
    Ok(id)
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

fn non_negative_integer(value: &Value, at: &Location, field: &str) -> Result<u64, Error> {
    const EXPECTED: &str = "an integer >= 0";
    match value {
        Value::Number(number) => number
            .as_u64()
            .ok_or_else(|| out_of_range(at, field, EXPECTED, value)),
        _ => Err(wrong_type(at, field, EXPECTED, value)),
    }
}

fn positive_number(value: &Value, at: &Location, field: &str) -> Result<f64, Error> {
    const EXPECTED: &str = "a finite number > 0";
    let number = value
        .as_f64()
        .ok_or_else(|| wrong_type(at, field, EXPECTED, value))?;
    if number.is_finite() && number > 0.0 {
        Ok(number)
    } else {
        Err(out_of_range(at, field, EXPECTED, value))
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
    const LIMIT: usize = 40;
    let text = value.to_string();
    if text.chars().count() <= LIMIT {
        return text;
    }
    let cut: String = text.chars().take(LIMIT).collect();
    format!("{cut}…")
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
