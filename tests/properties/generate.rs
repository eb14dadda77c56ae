//! Small valid cohorts, as a proptest strategy over the cohort's structure:
//! 1–16 topics, 0–9 goals, up to 4 mentors, 4 mentees and 3 people on both
//! sides (at most 7 × 7 for the exhaustive search), capacities 0–3, answers,
//! details, references, history, pins, every rule switched on or off, a
//! minimum score, a minimum of common hours and weights, all written out
//! (the plain model reads them from the file). Version 1.1's fields come
//! too: meeting slots in the questionnaire (0–4, any day, quarter-hour
//! bounds), each person's slots and UTC offset (half- and quarter-hour
//! ones included), and mentees who want up to three mentors. A failure
//! shrinks toward fewer people and topics, answers left out, rules off, no
//! references, no slots, one mentor each and zero weights (which stand for
//! the defaults).

use proptest::bool::weighted as chance;
use proptest::collection::vec;
use proptest::option::weighted as sometimes;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::{Map, Value, json};

use crate::support::build::{CohortFile, answers, items, valid_pins};
use crate::support::{SWITCH_RULES, WEIGHT_FIELDS, default_weights};

const MAX_TOPICS: usize = 16;
const MAX_GOALS: usize = 9;
const ROLES: [&str; 3] = ["mentor", "mentee", "both"];
/// How many people of each of [`ROLES`] a cohort may have.
const ROLE_LIMITS: [usize; 3] = [4, 4, 3];
const MAX_PEOPLE: usize = 4 + 4 + 3;
/// The most mentors, and the most mentees.
const MAX_SIDE: usize = 4 + 3;
/// The chance that each of [`SWITCH_RULES`] is on.
const RULE_CHANCES: [f64; 6] = [0.7, 0.7, 0.3, 0.6, 0.7, 0.3];
/// The most meeting slots in a questionnaire.
const MAX_SLOTS: usize = 4;
/// Slot starts and lengths, in hours (an end past 24 is cut to 24).
const STARTS: [f64; 7] = [0.0, 6.0, 9.0, 9.25, 13.5, 22.0, 23.75];
const LENGTHS: [f64; 5] = [0.25, 1.0, 2.5, 3.0, 8.0];
/// UTC offsets, whole, half and three-quarter hours, the extremes included.
const OFFSETS: [f64; 9] = [-12.0, -5.0, 0.0, 0.0, 1.0, 2.0, 5.75, 9.5, 14.0];

/// Valid cohorts with every setting written out.
pub fn cohorts() -> impl Strategy<Value = CohortFile> {
    shape().prop_map(|shape| CohortFile(build_cohort(&shape)))
}

/// Answers to every topic (or goal) a questionnaire may have, each given
/// with probability `given`; when none is, the fallback's topic and answer.
#[derive(Debug, Clone)]
struct Answers {
    given: Vec<Option<u8>>,
    fallback: Option<(Index, u8)>,
}

fn answer_list(
    count: usize,
    given: f64,
    minimum: u8,
    non_empty: bool,
) -> impl Strategy<Value = Answers> {
    let fallback = if non_empty {
        (any::<Index>(), 1..=5u8).prop_map(Some).boxed()
    } else {
        Just(None).boxed()
    };
    (vec(sometimes(given, minimum..=5u8), count), fallback)
        .prop_map(|(given, fallback)| Answers { given, fallback })
}

/// One person; who they are depends on their place in the cohort.
#[derive(Debug, Clone)]
struct Person {
    /// An index into [`ROLES`].
    role: usize,
    offers: Answers,
    capacity: Option<u8>,
    seeks: Answers,
    level: Option<Answers>,
    goals: Option<Answers>,
    hours: Option<f64>,
    languages: Option<Vec<bool>>,
    team: Option<&'static str>,
    seniority: Option<u8>,
    /// Among the others, in file order.
    manager: Option<Index>,
    /// Whether each of the others (in file order) is preferred.
    prefers: Vec<bool>,
    /// Whether each of the others (in file order) is avoided.
    avoids: Vec<bool>,
    /// Whether each of the questionnaire's slots is chosen (an empty list
    /// is written too: it counts as not given).
    slots: Option<Vec<bool>>,
    utc_offset: Option<f64>,
    mentors_wanted: Option<u8>,
}

fn person() -> impl Strategy<Value = Person> {
    let answers = (
        0..ROLES.len(),
        answer_list(MAX_TOPICS, 0.5, 1, true),
        sometimes(0.8, 0..4u8),
        answer_list(MAX_TOPICS, 0.5, 1, true),
        sometimes(0.5, answer_list(MAX_TOPICS, 0.5, 0, false)),
        sometimes(0.7, answer_list(MAX_GOALS, 0.6, 1, false)),
    );
    let details = (
        sometimes(0.6, select(&[1.0, 2.0, 2.5, 4.0, 8.0][..])),
        sometimes(0.6, vec(chance(0.45), 3)),
        sometimes(0.5, select(&["web", "design"][..])),
        sometimes(0.5, 0..5u8),
    );
    let links = (
        sometimes(0.2, any::<Index>()),
        vec(chance(0.15), MAX_PEOPLE - 1),
        vec(chance(0.08), MAX_PEOPLE - 1),
    );
    let times = (
        sometimes(0.7, vec(chance(0.5), MAX_SLOTS)),
        sometimes(0.6, select(&OFFSETS[..])),
        sometimes(0.3, 1..=3u8),
    );
    (answers, details, links, times).prop_map(
        |(
            (role, offers, capacity, seeks, level, goals),
            (hours, languages, team, seniority),
            (manager, prefers, avoids),
            (slots, utc_offset, mentors_wanted),
        )| Person {
            role,
            offers,
            capacity,
            seeks,
            level,
            goals,
            hours,
            languages,
            team,
            seniority,
            manager,
            prefers,
            avoids,
            slots,
            utc_offset,
            mentors_wanted,
        },
    )
}

#[derive(Debug, Clone)]
struct Shape {
    topics: usize,
    goals: usize,
    /// People past their role's limit are left out.
    people: Vec<Person>,
    /// Whether each (mentor, mentee) pair met before, by their positions.
    history: Vec<bool>,
    /// A history entry naming someone who left.
    someone_left: bool,
    pins: Vec<(Index, Index)>,
    rules: Vec<bool>,
    min_score: f64,
    min_common_hours: f64,
    weights: Vec<f64>,
    /// The questionnaire's slots: day, start and length in hours.
    slots: Vec<(u8, f64, f64)>,
}

fn shape() -> impl Strategy<Value = Shape> {
    let questionnaire = (
        1..=MAX_TOPICS,
        0..=MAX_GOALS,
        vec(
            (0..7u8, select(&STARTS[..]), select(&LENGTHS[..])),
            0..=MAX_SLOTS,
        ),
    );
    let past = (
        vec(chance(0.1), MAX_SIDE * MAX_SIDE),
        chance(0.2),
        vec(any::<(Index, Index)>(), 0..3),
    );
    let settings = (
        RULE_CHANCES.map(chance),
        select(&[0.0, 0.0, 0.2, 0.35][..]),
        select(&[0.0, 0.5, 1.0, 3.0][..]),
        vec(select(&[0.0, 0.1, 0.5, 1.0][..]), WEIGHT_FIELDS.len()),
    );
    (questionnaire, vec(person(), 0..=MAX_PEOPLE), past, settings).prop_map(
        |(
            (topics, goals, slots),
            people,
            (history, someone_left, pins),
            (rules, min_score, min_common_hours, weights),
        )| Shape {
            topics,
            goals,
            people,
            history,
            someone_left,
            pins,
            rules: rules.to_vec(),
            min_score,
            min_common_hours,
            weights,
            slots,
        },
    )
}

/// The answer map of `answers` to `ids`.
fn answer_map(ids: &[String], list: &Answers) -> Value {
    let mut map = answers(ids, &list.given);
    if let (true, Some((pick, answer))) = (map.is_empty(), list.fallback) {
        map.insert(ids[pick.index(ids.len())].clone(), json!(answer));
    }
    Value::Object(map)
}

fn build_person(shape: &Shape, people: &[&Person], ids: &[String], me: usize) -> Value {
    let person = people[me];
    let role = ROLES[person.role];
    let topics: Vec<String> = (0..shape.topics).map(|t| format!("t{t}")).collect();
    let goals: Vec<String> = (0..shape.goals).map(|g| format!("g{g}")).collect();
    let mut p = Map::new();
    p.insert("id".into(), json!(ids[me]));
    p.insert("role".into(), json!(role));
    if role != "mentee" {
        p.insert("offers".into(), answer_map(&topics, &person.offers));
        if let Some(capacity) = person.capacity {
            p.insert("capacity".into(), json!(capacity));
        }
    }
    if role != "mentor" {
        p.insert("seeks".into(), answer_map(&topics, &person.seeks));
        if let Some(level) = &person.level {
            p.insert("level".into(), answer_map(&topics, level));
        }
        if let Some(wanted) = person.mentors_wanted {
            p.insert("mentors_wanted".into(), json!(wanted));
        }
    }
    if let (Some(chosen), false) = (&person.slots, shape.slots.is_empty()) {
        let ids: Vec<String> = (0..shape.slots.len())
            .filter(|&k| chosen[k])
            .map(|k| format!("s{k}"))
            .collect();
        p.insert("slots".into(), json!(ids));
    }
    if let Some(offset) = person.utc_offset {
        p.insert("utc_offset".into(), json!(offset));
    }
    if let Some(answers) = &person.goals {
        p.insert("goals".into(), answer_map(&goals, answers));
    }
    if let Some(hours) = person.hours {
        p.insert("hours_per_month".into(), json!(hours));
    }
    if let Some(spoken) = &person.languages {
        let codes: Vec<&str> = ["fi", "en", "sv"]
            .into_iter()
            .zip(spoken)
            .filter_map(|(code, &yes)| yes.then_some(code))
            .collect();
        p.insert("languages".into(), json!(codes));
    }
    if let Some(team) = person.team {
        p.insert("team".into(), json!(team));
    }
    if let Some(seniority) = person.seniority {
        p.insert("seniority".into(), json!(seniority));
    }
    let others: Vec<&String> = ids.iter().filter(|id| **id != ids[me]).collect();
    if !others.is_empty() {
        if let Some(pick) = person.manager {
            p.insert("manager".into(), json!(others[pick.index(others.len())]));
        }
        for (field, flags) in [("prefers", &person.prefers), ("avoids", &person.avoids)] {
            let chosen: Vec<&&String> = others
                .iter()
                .zip(flags)
                .filter_map(|(other, &yes)| yes.then_some(other))
                .collect();
            if !chosen.is_empty() {
                p.insert(field.into(), json!(chosen));
            }
        }
    }
    Value::Object(p)
}

fn build_cohort(shape: &Shape) -> Value {
    let mut seen = [0; ROLES.len()];
    let people: Vec<&Person> = shape
        .people
        .iter()
        .filter(|p| {
            seen[p.role] += 1;
            seen[p.role] <= ROLE_LIMITS[p.role]
        })
        .collect();
    let ids: Vec<String> = (0..people.len()).map(|i| format!("p{i}")).collect();
    let participants: Vec<Value> = (0..people.len())
        .map(|me| build_person(shape, &people, &ids, me))
        .collect();
    let mentors: Vec<usize> = (0..people.len())
        .filter(|&i| ROLES[people[i].role] != "mentee")
        .collect();
    let mentees: Vec<usize> = (0..people.len())
        .filter(|&i| ROLES[people[i].role] != "mentor")
        .collect();
    let mut history = Vec::new();
    for (i, &m) in mentors.iter().enumerate() {
        for (j, &e) in mentees.iter().enumerate() {
            if m != e && shape.history[i * MAX_SIDE + j] {
                history.push(json!({"mentor": ids[m], "mentee": ids[e], "round": "earlier"}));
            }
        }
    }
    if shape.someone_left {
        history.push(json!({"mentor": "someone-who-left", "mentee": ids.first().cloned().unwrap_or_default()}));
    }
    let capacity = |p: usize| people[p].capacity.map_or(1, u64::from);
    let pinned: Vec<Value> = valid_pins(&mentors, &mentees, capacity, &shape.pins)
        .into_iter()
        .map(|(m, e)| json!({"mentor": ids[m], "mentee": ids[e]}))
        .collect();
    let weights = if shape.weights.iter().sum::<f64>() > 0.0 {
        shape.weights.clone()
    } else {
        default_weights(!shape.slots.is_empty()).to_vec()
    };
    let slots: Vec<Value> = shape
        .slots
        .iter()
        .enumerate()
        .map(|(k, &(day, start, length))| {
            json!({"id": format!("s{k}"), "day": day, "start": start, "end": (start + length).min(24.0)})
        })
        .collect();
    let topics: Vec<String> = (0..shape.topics).map(|t| format!("t{t}")).collect();
    let goals: Vec<String> = (0..shape.goals).map(|g| format!("g{g}")).collect();
    let mut rules: Map<String, Value> = SWITCH_RULES
        .iter()
        .zip(&shape.rules)
        .map(|(name, &on)| ((*name).to_owned(), json!(on)))
        .collect();
    rules.insert("min_score".into(), json!(shape.min_score));
    rules.insert("min_common_hours".into(), json!(shape.min_common_hours));
    json!({
        "questionnaire": {
            "topics": items(&topics, |t| Some(t.to_owned())),
            "goals": items(&goals, |g| Some(g.to_owned())),
            "slots": slots,
        },
        "participants": participants,
        "history": history,
        "pinned": pinned,
        "rules": rules,
        "weights": WEIGHT_FIELDS.iter().zip(weights).map(|(name, w)| ((*name).to_owned(), json!(w))).collect::<Map<String, Value>>(),
    })
}
