//! The checks [`CohortBuilder::build`](super::CohortBuilder::build) runs on
//! the answers, one function per part of the file: each names the
//! participant (or the place) and the field at fault.

use std::collections::{HashMap, HashSet};

use super::answers::{Answers, HistoryEntry};
use super::{HistoryPair, Item, Participant, Role};
use crate::schedule::is_quarter;
use crate::{Error, Location, MenteeIndex, MentorIndex, ParticipantIndex, Slot};

/// A meeting window as given: id, label, day, start, end.
pub(super) type SlotAnswer = (String, Option<String>, i64, f64, f64);

/// Where errors about these answers point.
pub(super) fn place(answers: &Answers) -> Location {
    answers
        .origin
        .clone()
        .unwrap_or_else(|| Location::Participant(answers.id.clone()))
}

pub(super) fn items(list: Vec<(String, Option<String>)>, field: &str) -> Result<Vec<Item>, Error> {
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

pub(super) fn slots(list: Vec<SlotAnswer>) -> Result<Vec<Slot>, Error> {
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
pub(super) struct Questionnaire<'a> {
    pub(super) topics: &'a HashMap<&'a str, usize>,
    pub(super) goals: &'a HashMap<&'a str, usize>,
    pub(super) slots: &'a HashMap<&'a str, usize>,
}

pub(super) fn positions(items: &[Item]) -> HashMap<&str, usize> {
    items
        .iter()
        .enumerate()
        .map(|(k, item)| (item.id.as_str(), k))
        .collect()
}

/// Checks one participant's answers.
pub(super) fn participant(
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
pub(super) fn meeting_times(
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
pub(super) fn places(answers: &Answers, role: Role, at: &Location) -> Result<(u64, u64), Error> {
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
pub(super) fn other_side(answers: &Answers, role: Role, at: &Location) -> Result<(), Error> {
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
pub(super) fn references(
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
pub(super) fn scale(
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

pub(super) fn history(
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

pub(super) fn pinned(
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
