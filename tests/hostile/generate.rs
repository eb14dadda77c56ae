//! Valid cohorts to mutate, as a proptest strategy over the cohort's
//! structure: the numbers of topics, goals and people, each person's role,
//! answers, details and references, pins, history, rules, weights and the
//! objective, and version 1.1's meeting slots, UTC offsets and mentees who
//! want several mentors. A failure shrinks toward a small cohort: fewer people, one
//! topic, no goals, answers left out, optional fields missing, references to
//! the next person, and the first of every list of choices.
//!
//! Ids, topics and names mix in characters that JSON escapes or that take
//! several bytes, so that errors quoting them are checked too.

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Map, Value, json};

use crate::support::build::{CohortFile, answers, items, valid_pins};
use crate::support::{OBJECTIVE_NAMES, SWITCH_RULES, WEIGHT_FIELDS, default_weights};

const TOPIC_IDS: [&str; 4] = ["service-design", "rust", "Ω-topic", "sql"];
const GOAL_IDS: [&str; 3] = ["career", "competence", "autonomy"];
const ID_STEMS: [&str; 6] = ["p", "Å", "a b ", "q\"", "back\\", "😀"];
const LANGUAGES: [&str; 3] = ["fi", "en", "sv"];
const TEAMS: [&str; 3] = ["design", "web", "data"];
const ROLES: [&str; 3] = ["mentor", "mentee", "both"];
const MIN_SCORES: [f64; 3] = [0.0, 0.05, 0.3];
const MIN_COMMON_HOURS: [f64; 3] = [0.0, 1.0, 2.5];
/// The questionnaire's meeting slots a cohort may have: id, day, start, end.
const SLOTS: [(&str, u8, f64, f64); 3] = [
    ("mon-am", 0, 9.0, 12.0),
    ("Ω-late", 6, 22.5, 24.0),
    ("wed \"pm\"", 2, 13.25, 17.75),
];
const OFFSETS: [f64; 5] = [-12.0, -5.0, 0.0, 5.75, 14.0];

/// Valid cohorts of up to 8 people on up to 4 topics and 3 goals.
pub fn cohorts() -> impl Strategy<Value = CohortFile> {
    shape().prop_map(|shape| CohortFile(build_cohort(&shape)))
}

/// One person's answers and details. Answers are given for every topic and
/// goal the questionnaire may have; the cohort uses those it has.
#[derive(Debug, Clone)]
struct Person {
    /// An index into [`ROLES`].
    role: usize,
    offers: Vec<Option<u8>>,
    seeks: Vec<Option<u8>>,
    level: Vec<Option<u8>>,
    goals: Vec<Option<u8>>,
    capacity: Option<u8>,
    half_hours: Option<u8>,
    languages: Vec<usize>,
    team: Option<usize>,
    seniority: Option<i8>,
    manager: Option<Index>,
    prefers: Vec<Index>,
    avoids: Vec<Index>,
    /// `Some(true)`: a name; `Some(false)`: `"name": null`.
    named: Option<bool>,
    /// Whether each of [`SLOTS`] is chosen.
    slots: Option<Vec<bool>>,
    /// An index into [`OFFSETS`].
    utc_offset: Option<usize>,
    mentors_wanted: Option<u8>,
}

impl Person {
    fn mentors(&self) -> bool {
        ROLES[self.role] != "mentee"
    }

    fn is_mentored(&self) -> bool {
        ROLES[self.role] != "mentor"
    }
}

/// An answer in `range`, left out with probability `1 / (values + 1)`.
fn answer(range: std::ops::RangeInclusive<u8>) -> impl Strategy<Value = Option<u8>> {
    let values = f64::from(range.end() - range.start() + 1);
    option::weighted(values / (values + 1.0), range)
}

fn person() -> impl Strategy<Value = Person> {
    let answers = (
        0..ROLES.len(),
        vec(answer(1..=5), TOPIC_IDS.len()),
        vec(answer(1..=5), TOPIC_IDS.len()),
        vec(answer(0..=5), TOPIC_IDS.len()),
        vec(answer(1..=5), GOAL_IDS.len()),
    );
    let details = (
        option::of(0..4u8),
        option::of(1..12u8),
        vec(0..LANGUAGES.len(), 0..3),
        option::of(0..TEAMS.len()),
        option::of(-2..8i8),
    );
    let links = (
        option::of(any::<Index>()),
        vec(any::<Index>(), 0..3),
        vec(any::<Index>(), 0..2),
        option::of(any::<bool>()),
    );
    let times = (
        option::of(vec(any::<bool>(), SLOTS.len())),
        option::of(0..OFFSETS.len()),
        option::of(1..=3u8),
    );
    (answers, details, links, times).prop_map(
        |(
            (role, offers, seeks, level, goals),
            (capacity, half_hours, languages, team, seniority),
            (manager, prefers, avoids, named),
            (slots, utc_offset, mentors_wanted),
        )| Person {
            role,
            offers,
            seeks,
            level,
            goals,
            capacity,
            half_hours,
            languages,
            team,
            seniority,
            manager,
            prefers,
            avoids,
            named,
            slots,
            utc_offset,
            mentors_wanted,
        },
    )
}

/// The switches of [`SWITCH_RULES`], and indices into [`MIN_SCORES`] and
/// [`MIN_COMMON_HOURS`]; `None` leaves a rule out.
type RuleChoices = (Vec<Option<bool>>, Option<usize>, Option<usize>);

/// A cohort's structure; [`build_cohort`] writes it out.
#[derive(Debug, Clone)]
struct Shape {
    topics: usize,
    goals: usize,
    /// How many of [`SLOTS`] the questionnaire has.
    slots: usize,
    people: Vec<Person>,
    pins: Vec<(Index, Index)>,
    history: Vec<(Index, Index, bool)>,
    rules: Option<RuleChoices>,
    /// Each weight in halves.
    weights: Option<Vec<Option<u8>>>,
    objective: Option<usize>,
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        (1..=TOPIC_IDS.len(), 0..=GOAL_IDS.len(), 0..=SLOTS.len()),
        vec(person(), 0..=8),
        vec(any::<(Index, Index)>(), 0..4),
        vec(any::<(Index, Index, bool)>(), 0..3),
        option::of((
            vec(option::of(any::<bool>()), SWITCH_RULES.len()),
            option::of(0..MIN_SCORES.len()),
            option::of(0..MIN_COMMON_HOURS.len()),
        )),
        option::of(vec(option::of(0..=4u8), WEIGHT_FIELDS.len())),
        option::of(0..OBJECTIVE_NAMES.len()),
    )
        .prop_map(
            |((topics, goals, slots), people, pins, history, rules, weights, objective)| Shape {
                topics,
                goals,
                slots,
                people,
                pins,
                history,
                rules,
                weights,
                objective,
            },
        )
}

fn person_id(index: usize) -> String {
    format!("{}{index}", ID_STEMS[index % ID_STEMS.len()])
}

/// Another participant than `me`, chosen by `pick`, if there is one.
fn other(pick: Index, me: usize, count: usize) -> Option<usize> {
    (count > 1).then(|| (me + 1 + pick.index(count - 1)) % count)
}

fn build_person(shape: &Shape, me: usize) -> Value {
    let person = &shape.people[me];
    let count = shape.people.len();
    let topics = &TOPIC_IDS[..shape.topics];
    let mut entry = Map::new();
    entry.insert("id".into(), json!(person_id(me)));
    entry.insert("role".into(), json!(ROLES[person.role]));
    if person.mentors() {
        let mut offers = answers(topics, &person.offers);
        if offers.is_empty() {
            offers.insert(topics[me % topics.len()].to_owned(), json!(3));
        }
        entry.insert("offers".into(), Value::Object(offers));
        if let Some(capacity) = person.capacity {
            entry.insert("capacity".into(), json!(capacity));
        }
    }
    if person.is_mentored() {
        if let Some(wanted) = person.mentors_wanted {
            entry.insert("mentors_wanted".into(), json!(wanted));
        }
        let mut seeks = answers(topics, &person.seeks);
        if seeks.is_empty() {
            seeks.insert(topics[(me + 1) % topics.len()].to_owned(), json!(4));
        }
        entry.insert("seeks".into(), Value::Object(seeks));
        let level = answers(topics, &person.level);
        if !level.is_empty() {
            entry.insert("level".into(), Value::Object(level));
        }
    }
    let goals = answers(&GOAL_IDS[..shape.goals], &person.goals);
    if !goals.is_empty() {
        entry.insert("goals".into(), Value::Object(goals));
    }
    if let Some(half_hours) = person.half_hours {
        entry.insert("hours_per_month".into(), json!(f64::from(half_hours) / 2.0));
    }
    if !person.languages.is_empty() {
        let codes: Vec<&str> = person.languages.iter().map(|&l| LANGUAGES[l]).collect();
        entry.insert("languages".into(), json!(codes));
    }
    if let Some(team) = person.team {
        entry.insert("team".into(), json!(TEAMS[team]));
    }
    if let Some(seniority) = person.seniority {
        entry.insert("seniority".into(), json!(seniority));
    }
    if let Some(manager) = person.manager.and_then(|pick| other(pick, me, count)) {
        entry.insert("manager".into(), json!(person_id(manager)));
    }
    for (field, picks) in [("prefers", &person.prefers), ("avoids", &person.avoids)] {
        let ids: Vec<String> = picks
            .iter()
            .filter_map(|&pick| other(pick, me, count))
            .map(person_id)
            .collect();
        if !ids.is_empty() {
            entry.insert(field.into(), json!(ids));
        }
    }
    if let Some(chosen) = &person.slots {
        let ids: Vec<&str> = SLOTS[..shape.slots]
            .iter()
            .zip(chosen)
            .filter_map(|(slot, &yes)| yes.then_some(slot.0))
            .collect();
        entry.insert("slots".into(), json!(ids));
    }
    if let Some(offset) = person.utc_offset {
        entry.insert("utc_offset".into(), json!(OFFSETS[offset]));
    }
    match person.named {
        Some(true) => entry.insert("name".into(), json!(format!("Person {me}"))),
        Some(false) => entry.insert("name".into(), Value::Null),
        None => None,
    };
    Value::Object(entry)
}

fn build_cohort(shape: &Shape) -> Value {
    let people = &shape.people;
    let count = people.len();
    let mut questionnaire = json!({
        "topics": items(&TOPIC_IDS[..shape.topics], |id| Some(id.to_uppercase()))
    });
    if shape.goals > 0 {
        questionnaire["goals"] = Value::Array(items(&GOAL_IDS[..shape.goals], |_| None));
    }
    if shape.slots > 0 {
        let slots = SLOTS[..shape.slots].iter().map(
            |&(id, day, start, end)| json!({"id": id, "day": day, "start": start, "end": end}),
        );
        questionnaire["slots"] = Value::Array(slots.collect());
    }
    let participants: Vec<Value> = (0..count).map(|me| build_person(shape, me)).collect();
    let mut top = json!({"questionnaire": questionnaire, "participants": participants});
    let mentors: Vec<usize> = (0..count).filter(|&p| people[p].mentors()).collect();
    let mentees: Vec<usize> = (0..count).filter(|&p| people[p].is_mentored()).collect();
    let capacity = |p: usize| u64::from(people[p].capacity.unwrap_or(1));
    let pins: Vec<Value> = valid_pins(&mentors, &mentees, capacity, &shape.pins)
        .into_iter()
        .map(|(m, e)| json!({"mentor": person_id(m), "mentee": person_id(e)}))
        .collect();
    if !pins.is_empty() {
        top["pinned"] = Value::Array(pins);
    }
    let history: Vec<Value> = shape
        .history
        .iter()
        .enumerate()
        .map(|(k, &(a, b, known))| {
            let name = |pick: Index| {
                if known && count > 0 {
                    person_id(pick.index(count))
                } else {
                    format!("gone-{k}")
                }
            };
            json!({"mentor": name(a), "mentee": name(b), "round": "earlier"})
        })
        .collect();
    if !history.is_empty() {
        top["history"] = Value::Array(history);
    }
    if let Some((switches, min_score, min_common_hours)) = &shape.rules {
        let mut rules = Map::new();
        for (name, on) in SWITCH_RULES.iter().zip(switches) {
            if let Some(on) = on {
                rules.insert((*name).into(), json!(on));
            }
        }
        if let Some(min_score) = min_score {
            rules.insert("min_score".into(), json!(MIN_SCORES[*min_score]));
        }
        if let Some(hours) = min_common_hours {
            rules.insert("min_common_hours".into(), json!(MIN_COMMON_HOURS[*hours]));
        }
        top["rules"] = Value::Object(rules);
    }
    if let Some(values) = &shape.weights {
        let mut weights = Map::new();
        // The sum without the `schedule` default, which a mutation of the
        // slots may take away.
        let mut sum = 0.0;
        for ((name, value), default) in WEIGHT_FIELDS.iter().zip(values).zip(default_weights(false))
        {
            let weight = value.map_or(default, |v| f64::from(v) / 2.0);
            sum += weight;
            if value.is_some() {
                weights.insert((*name).into(), json!(weight));
            }
        }
        if sum == 0.0 {
            weights.insert("skills".into(), json!(1.0));
        }
        top["weights"] = Value::Object(weights);
    }
    if let Some(objective) = shape.objective {
        top["objective"] = json!(OBJECTIVE_NAMES[objective]);
    }
    top
}
