//! Hostile input: cohort files mutated the way a broken export or a careless
//! hand edit mutates them never panic, overflow the stack or hang, never lose
//! an answer silently, and every error names where the bad value is (the
//! participant and the field, or the line and column of a syntax error).
//!
//! Each property runs `MENTOR_MATCH_FUZZ_CASES` cases (default 2000). Every
//! case runs on its own thread under a watchdog, so a hang fails the case
//! instead of the whole run.

use std::collections::HashMap;
use std::sync::LazyLock;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use mentor_match::{
    Cohort, Error, Location, Matching, MenteeIndex, MentorIndex, Objective, ParticipantIndex,
    Reason, ScoreMatrix, Solver,
};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Map, Value, json};

const PILOT: &str = include_str!("../examples/data/design-pilot.json");
const DEFAULT_CASES: u32 = 2000;
const CASE_TIMEOUT: Duration = Duration::from_secs(30);

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
const RULE_FIELDS: [&str; 7] = [
    "forbid_repeat",
    "forbid_manager",
    "forbid_same_team",
    "require_shared_language",
    "require_topic_overlap",
    "require_senior_mentor",
    "min_score",
];
const WEIGHT_FIELDS: [&str; 4] = ["skills", "goals", "availability", "preference"];
const ANSWER_FIELDS: [&str; 4] = ["offers", "seeks", "level", "goals"];
/// Keys a hand edit or a foreign export adds; filtered against the keys the
/// target object knows.
const UNKNOWN_KEYS: [&str; 21] = [
    "capacty",
    "Offers",
    "hours",
    "extra",
    "",
    "ID",
    "seek",
    "languages ",
    "goal",
    "prefer",
    "mentor",
    "topics",
    "x",
    "forbid-repeat",
    "skill",
    "min_scor",
    "labels",
    "rounds",
    "nmae",
    "__proto__",
    "ü",
];
/// Raw JSON text put where a value goes: wrong types, edge and huge numbers,
/// NaN-like strings, and text that is not JSON at all.
const RAW_JUNK: [&str; 56] = [
    "null",
    "true",
    "false",
    "0",
    "-0",
    "1",
    "2",
    "5",
    "6",
    "-1",
    "255",
    "256",
    "2.5",
    "3.0",
    "1e0",
    "5e-1",
    "1e308",
    "-1e308",
    "4.9e-324",
    "18446744073709551615",
    "18446744073709551616",
    "9223372036854775807",
    "-9223372036854775808",
    "-9223372036854775809",
    "\"\"",
    "\"NaN\"",
    "\"Infinity\"",
    "\"-inf\"",
    "\"3\"",
    "\"mentor\"",
    "\"both\"",
    "\"total\"",
    "\"\\u0000\"",
    "\"ü\"",
    "[]",
    "[1]",
    "[\"x\"]",
    "[[]]",
    "{}",
    "{\"a\":1}",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e400",
    "-1e400",
    "0x10",
    "+1",
    "01",
    ".5",
    "1.",
    "tru",
    "'x'",
    "undefined",
    "\"open",
    "[1,]",
    "{\"a\":1,}",
];
const BAD_UTF8: [&[u8]; 7] = [
    b"\xff",
    b"\xfe",
    b"\xc3",
    b"\x80",
    b"\xc0\xaf",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
];
const TOPIC_IDS: [&str; 4] = ["service-design", "rust", "Ω-topic", "sql"];
const GOAL_IDS: [&str; 3] = ["career", "competence", "autonomy"];
const ID_STEMS: [&str; 6] = ["p", "Å", "a b ", "q\"", "back\\", "😀"];
const LANGUAGES: [&str; 3] = ["fi", "en", "sv"];
const TEAMS: [&str; 3] = ["design", "web", "data"];
const ROLES: [&str; 3] = ["mentor", "mentee", "both"];

/// Every junk value: the raw texts, then a long string and deep nesting.
static JUNK: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut junk: Vec<String> = RAW_JUNK.iter().map(|&raw| raw.to_owned()).collect();
    junk.push(format!("\"{}\"", "x".repeat(100_000)));
    for depth in [2, 100, 127, 128, 129, 1000, 100_000] {
        junk.push(format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
    }
    for depth in [129, 100_000] {
        junk.push(format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)));
    }
    junk.push("[".repeat(100_000));
    junk
});

fn cases() -> u32 {
    std::env::var("MENTOR_MATCH_FUZZ_CASES")
        .ok()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

fn config() -> ProptestConfig {
    let mut config = ProptestConfig::with_cases(cases());
    // Failures are reported with their minimal input; no files are written.
    config.failure_persistence = None;
    config
}

// ---- generated cohorts ---------------------------------------------------

#[derive(Debug, Clone)]
struct Person {
    role: usize,
    offers: Vec<u8>,
    seeks: Vec<u8>,
    /// 6 = not given.
    level: Vec<u8>,
    goals: Vec<u8>,
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
}

fn person() -> impl Strategy<Value = Person> {
    let answers = (
        0..3usize,
        vec(0..=5u8, 4),
        vec(0..=5u8, 4),
        vec(0..=6u8, 4),
        vec(0..=5u8, 3),
    );
    let details = (
        option::of(0..4u8),
        option::of(1..12u8),
        vec(0..3usize, 0..3),
        option::of(0..3usize),
        option::of(-2..8i8),
    );
    let links = (
        option::of(any::<Index>()),
        vec(any::<Index>(), 0..3),
        vec(any::<Index>(), 0..2),
        option::of(any::<bool>()),
    );
    (answers, details, links).prop_map(
        |(
            (role, offers, seeks, level, goals),
            (capacity, half_hours, languages, team, seniority),
            (manager, prefers, avoids, named),
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
        },
    )
}

#[derive(Debug, Clone)]
struct Shape {
    topics: usize,
    goals: usize,
    people: Vec<Person>,
    pins: Vec<(Index, Index)>,
    history: Vec<(Index, Index, bool)>,
    rules: Option<(Vec<Option<bool>>, Option<usize>)>,
    weights: Option<Vec<Option<u8>>>,
    objective: Option<usize>,
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        1..=4usize,
        0..=3usize,
        vec(person(), 0..=8),
        vec(any::<(Index, Index)>(), 0..4),
        vec(any::<(Index, Index, bool)>(), 0..3),
        option::of((vec(option::of(any::<bool>()), 6), option::of(0..3usize))),
        option::of(vec(option::of(0..=4u8), 4)),
        option::of(0..3usize),
    )
        .prop_map(
            |(topics, goals, people, pins, history, rules, weights, objective)| Shape {
                topics,
                goals,
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

/// `{id: answer}` for the answers in `1..=5` (or `0..=5` with `zero_counts`).
fn answer_map(answers: &[u8], ids: &[&str], zero_counts: bool) -> Map<String, Value> {
    answers
        .iter()
        .zip(ids)
        .filter(|&(&a, _)| a <= 5 && (zero_counts || a > 0))
        .map(|(&a, &id)| (id.to_owned(), json!(a)))
        .collect()
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
    if person.role != 1 {
        let mut offers = answer_map(&person.offers[..shape.topics], topics, false);
        if offers.is_empty() {
            offers.insert(topics[me % topics.len()].to_owned(), json!(3));
        }
        entry.insert("offers".into(), Value::Object(offers));
        if let Some(capacity) = person.capacity {
            entry.insert("capacity".into(), json!(capacity));
        }
    }
    if person.role != 0 {
        let mut seeks = answer_map(&person.seeks[..shape.topics], topics, false);
        if seeks.is_empty() {
            seeks.insert(topics[(me + 1) % topics.len()].to_owned(), json!(4));
        }
        entry.insert("seeks".into(), Value::Object(seeks));
        let level = answer_map(&person.level[..shape.topics], topics, true);
        if !level.is_empty() {
            entry.insert("level".into(), Value::Object(level));
        }
    }
    let goals = answer_map(
        &person.goals[..shape.goals],
        &GOAL_IDS[..shape.goals],
        false,
    );
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
    match person.named {
        Some(true) => entry.insert("name".into(), json!(format!("Person {me}"))),
        Some(false) => entry.insert("name".into(), Value::Null),
        None => None,
    };
    Value::Object(entry)
}

/// Valid pins only: each mentee once, within capacity, never a self pair.
fn build_pins(shape: &Shape) -> Vec<Value> {
    let mentors: Vec<usize> = (0..shape.people.len())
        .filter(|&p| shape.people[p].role != 1)
        .collect();
    let mentees: Vec<usize> = (0..shape.people.len())
        .filter(|&p| shape.people[p].role != 0)
        .collect();
    let mut used = vec![0u8; shape.people.len()];
    let mut pinned = vec![false; shape.people.len()];
    let mut pins = Vec::new();
    if mentors.is_empty() || mentees.is_empty() {
        return pins;
    }
    for &(a, b) in &shape.pins {
        let mentor = mentors[a.index(mentors.len())];
        let mentee = mentees[b.index(mentees.len())];
        let capacity = shape.people[mentor].capacity.unwrap_or(1);
        if mentor == mentee || pinned[mentee] || used[mentor] >= capacity {
            continue;
        }
        pinned[mentee] = true;
        used[mentor] += 1;
        pins.push(json!({"mentor": person_id(mentor), "mentee": person_id(mentee)}));
    }
    pins
}

fn build_cohort(shape: &Shape) -> Value {
    let count = shape.people.len();
    let topics: Vec<Value> = TOPIC_IDS[..shape.topics]
        .iter()
        .map(|&id| json!({"id": id, "label": id.to_uppercase()}))
        .collect();
    let mut questionnaire = json!({ "topics": topics });
    if shape.goals > 0 {
        questionnaire["goals"] = GOAL_IDS[..shape.goals]
            .iter()
            .map(|&id| json!({ "id": id }))
            .collect();
    }
    let participants: Vec<Value> = (0..count).map(|me| build_person(shape, me)).collect();
    let mut top = json!({"questionnaire": questionnaire, "participants": participants});
    let pins = build_pins(shape);
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
    if let Some((switches, min_score)) = &shape.rules {
        let mut rules = Map::new();
        for (name, on) in RULE_FIELDS.iter().zip(switches) {
            if let Some(on) = on {
                rules.insert((*name).into(), json!(on));
            }
        }
        if let Some(min_score) = min_score {
            rules.insert("min_score".into(), json!([0.0, 0.05, 0.3][*min_score]));
        }
        top["rules"] = Value::Object(rules);
    }
    if let Some(values) = &shape.weights {
        let mut weights = Map::new();
        let defaults = [0.5, 0.3, 0.1, 0.1];
        let mut sum = 0.0;
        for ((name, value), default) in WEIGHT_FIELDS.iter().zip(values).zip(defaults) {
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
        top["objective"] = json!(["total", "coverage", "fairness"][objective]);
    }
    top
}

// ---- mutations -----------------------------------------------------------

#[derive(Debug, Clone)]
enum Mutation {
    /// Set one participant field to a junk value.
    ParticipantField {
        who: Index,
        field: Index,
        junk: Index,
    },
    /// Remove one participant field.
    RemoveField { who: Index, field: Index },
    /// Add a field the object does not know (a participant, an answer map,
    /// the top level, `rules`, a `pinned` entry, ...).
    UnknownKey {
        target: Index,
        key: Index,
        junk: Index,
    },
    /// Rename an existing key by one typing slip.
    Misspell {
        target: Index,
        key: Index,
        edit: Index,
    },
    /// Set one answer (`offers.rust = ...`) to junk, or name a topic that
    /// does not exist.
    Answer {
        who: Index,
        kind: Index,
        key: Index,
        junk: Index,
    },
    /// `manager`, `prefers` or `avoids` naming self, nobody, "" or someone.
    Reference {
        who: Index,
        field: Index,
        target: Index,
        other: Index,
    },
    /// Duplicate, empty, renamed or removed ids; a removed or copied participant.
    Identity {
        who: Index,
        how: Index,
        other: Index,
        junk: Index,
    },
    /// Empty, missing, duplicated or renamed topics and goals.
    Questionnaire {
        how: Index,
        item: Index,
        junk: Index,
    },
    /// A top-level field set to junk.
    Top { field: Index, junk: Index },
    /// A `rules` entry set to junk.
    Rule { key: Index, junk: Index },
    /// A `weights` entry set to junk.
    Weight { key: Index, junk: Index },
    /// A `history` entry added, broken in one way.
    History { how: Index, junk: Index, who: Index },
    /// A `pinned` entry added that conflicts (or, once, one that is fine).
    Pin { how: Index, a: Index, b: Index },
    /// The text cut at a byte.
    Truncate { at: Index },
    /// Bytes that are not UTF-8 inserted at a byte.
    BadUtf8 { at: Index, bytes: Index },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let i = any::<Index>;
    prop_oneof![
        6 => (i(), i(), i()).prop_map(|(who, field, junk)| Mutation::ParticipantField { who, field, junk }),
        2 => (i(), i()).prop_map(|(who, field)| Mutation::RemoveField { who, field }),
        3 => (i(), i(), i()).prop_map(|(target, key, junk)| Mutation::UnknownKey { target, key, junk }),
        3 => (i(), i(), i()).prop_map(|(target, key, edit)| Mutation::Misspell { target, key, edit }),
        4 => (i(), i(), i(), i()).prop_map(|(who, kind, key, junk)| Mutation::Answer { who, kind, key, junk }),
        2 => (i(), i(), i(), i()).prop_map(|(who, field, target, other)| Mutation::Reference { who, field, target, other }),
        2 => (i(), i(), i(), i()).prop_map(|(who, how, other, junk)| Mutation::Identity { who, how, other, junk }),
        2 => (i(), i(), i()).prop_map(|(how, item, junk)| Mutation::Questionnaire { how, item, junk }),
        2 => (i(), i()).prop_map(|(field, junk)| Mutation::Top { field, junk }),
        1 => (i(), i()).prop_map(|(key, junk)| Mutation::Rule { key, junk }),
        1 => (i(), i()).prop_map(|(key, junk)| Mutation::Weight { key, junk }),
        1 => (i(), i(), i()).prop_map(|(how, junk, who)| Mutation::History { how, junk, who }),
        3 => (i(), i(), i()).prop_map(|(how, a, b)| Mutation::Pin { how, a, b }),
        1 => i().prop_map(|at| Mutation::Truncate { at }),
        1 => (i(), i()).prop_map(|(at, bytes)| Mutation::BadUtf8 { at, bytes }),
    ]
}

/// Whether a value is acceptable where it was put.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Validity {
    /// The cohort must still read.
    Valid,
    /// Reading must fail.
    Invalid,
    /// Either (it depends on more than this test tracks).
    Unknown,
}

use Validity::{Invalid, Unknown, Valid};

fn valid_if(ok: bool) -> Validity {
    if ok { Valid } else { Invalid }
}

/// What reading a mutated file must give.
#[derive(Debug, Clone)]
enum Expect {
    /// A syntax error (line and column) or, when `must_fail` is false, `Ok`.
    Syntax { must_fail: bool },
    /// An error naming one of `places` and one of `fields`; a syntax error
    /// too when `syntax_ok` (values nested too deep for the parser).
    At {
        places: Vec<String>,
        fields: Vec<String>,
        validity: Validity,
        syntax_ok: bool,
    },
    /// Any error that says where it is (several mutations at once).
    Located,
}

fn at(places: &[&str], fields: &[&str], validity: Validity) -> Expect {
    Expect::At {
        places: places.iter().map(|&p| p.to_owned()).collect(),
        fields: fields.iter().map(|&f| f.to_owned()).collect(),
        validity,
        syntax_ok: false,
    }
}

/// A junk value: its text, its value when the text is JSON, and whether it
/// nests deep enough to hit the parser's depth limit where it is put.
struct Junk {
    raw: String,
    value: Option<Value>,
    deep: bool,
}

fn junk(pick: Index) -> Junk {
    let raw = JUNK[pick.index(JUNK.len())].clone();
    let value = serde_json::from_str(&raw).ok();
    let deep = raw.starts_with("[[[") || raw.starts_with("{\"a\":{");
    Junk { raw, value, deep }
}

/// The expectation for `junk` put somewhere: a syntax error when it is not
/// JSON, otherwise `validity` of its value at `places` / `fields`.
fn junk_expect(
    junk: &Junk,
    places: &[&str],
    fields: &[&str],
    validity: impl FnOnce(&Value) -> Validity,
) -> Expect {
    match &junk.value {
        None => Expect::Syntax { must_fail: true },
        Some(value) => {
            let mut expect = at(places, fields, validity(value));
            if let Expect::At { syntax_ok, .. } = &mut expect {
                *syntax_ok = junk.deep;
            }
            expect
        }
    }
}

/// A cohort file being mutated: its value, raw texts to splice in, and byte
/// edits to make after serialising.
struct Doc {
    value: Value,
    raws: Vec<String>,
    truncate: Option<Index>,
    inserts: Vec<(Index, &'static [u8])>,
}

impl Doc {
    fn new(value: Value) -> Doc {
        Doc {
            value,
            raws: Vec::new(),
            truncate: None,
            inserts: Vec::new(),
        }
    }

    /// A placeholder that [`Doc::bytes`] replaces by `junk`'s raw text.
    fn place(&mut self, junk: &Junk) -> Value {
        self.raws.push(junk.raw.clone());
        Value::String(format!("@@raw{}@@", self.raws.len() - 1))
    }

    fn bytes(&self, pretty: bool) -> Vec<u8> {
        let mut text = if pretty {
            serde_json::to_string_pretty(&self.value)
        } else {
            serde_json::to_string(&self.value)
        }
        .expect("a Value always serialises");
        for (k, raw) in self.raws.iter().enumerate() {
            text = text.replacen(&format!("\"@@raw{k}@@\""), raw, 1);
        }
        self.edit_bytes(text.into_bytes())
    }

    fn edit_bytes(&self, mut bytes: Vec<u8>) -> Vec<u8> {
        for &(at, insert) in &self.inserts {
            let at = at.index(bytes.len() + 1);
            bytes.splice(at..at, insert.iter().copied());
        }
        if let Some(at) = self.truncate {
            bytes.truncate(at.index(bytes.len().max(1)));
        }
        bytes
    }

    fn people(&self) -> &[Value] {
        self.value["participants"]
            .as_array()
            .map_or(&[], Vec::as_slice)
    }

    fn people_mut(&mut self) -> Option<&mut Vec<Value>> {
        self.value
            .get_mut("participants")
            .and_then(Value::as_array_mut)
    }

    fn ids(&self) -> Vec<String> {
        self.people()
            .iter()
            .filter_map(|p| p["id"].as_str().map(str::to_owned))
            .collect()
    }

    fn item_ids(&self, list: &str) -> Vec<String> {
        self.value["questionnaire"][list]
            .as_array()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|item| item["id"].as_str().map(str::to_owned))
            .collect()
    }

    fn pins(&self) -> Vec<(String, String)> {
        self.value["pinned"]
            .as_array()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|pin| {
                let side = |s: &str| pin[s].as_str().unwrap_or_default().to_owned();
                (side("mentor"), side("mentee"))
            })
            .collect()
    }

    /// Whether anyone's `manager`, `prefers`, `avoids` or a pin names `id`.
    fn referenced(&self, id: &str) -> bool {
        let names = |v: &Value| match v {
            Value::String(s) => s == id,
            Value::Array(list) => list.iter().any(|x| x.as_str() == Some(id)),
            _ => false,
        };
        self.people().iter().any(|p| {
            ["manager", "prefers", "avoids"]
                .iter()
                .any(|f| names(&p[*f]))
        }) || self.pins().iter().any(|(a, b)| a == id || b == id)
    }

    /// Whether a participant's answers in `field` use the id `answer`.
    fn answered(&self, fields: &[&str], answer: &str) -> bool {
        self.people().iter().any(|p| {
            fields
                .iter()
                .any(|f| p[*f].as_object().is_some_and(|m| m.contains_key(answer)))
        })
    }

    fn push(&mut self, list: &str, entry: Value) -> usize {
        let slot = &mut self.value[list];
        if !slot.is_array() {
            *slot = json!([]);
        }
        let list = slot.as_array_mut().expect("just made a list");
        list.push(entry);
        list.len() - 1
    }
}

/// One participant as a mutation sees it.
struct Who {
    index: usize,
    id: String,
    role: String,
    /// `participant "id"`, as errors name it.
    place: String,
    /// `participant #index`.
    anonymous: String,
}

impl Who {
    fn mentors(&self) -> bool {
        self.role != "mentee"
    }

    fn is_mentored(&self) -> bool {
        self.role != "mentor"
    }
}

fn who(doc: &Doc, pick: Index) -> Option<Who> {
    let people = doc.people();
    if people.is_empty() {
        return None;
    }
    let index = pick.index(people.len());
    let id = people[index]["id"].as_str().unwrap_or_default().to_owned();
    Some(Who {
        index,
        place: format!("participant {id:?}"),
        anonymous: format!("participant #{index}"),
        role: people[index]["role"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        id,
    })
}

/// `value[name]`, making `value` an object first when an earlier mutation
/// left something else there.
fn key<'a>(value: &'a mut Value, name: &str) -> &'a mut Value {
    if !value.is_object() {
        *value = json!({});
    }
    value
        .as_object_mut()
        .expect("just made an object")
        .entry(name)
        .or_insert(Value::Null)
}

/// Participant `index` as an object.
fn entry_mut(doc: &mut Doc, index: usize) -> &mut Value {
    let people = key(&mut doc.value, "participants");
    if !people.is_array() {
        *people = json!([]);
    }
    let people = people.as_array_mut().expect("a list");
    while people.len() <= index {
        people.push(json!({}));
    }
    let entry = &mut people[index];
    if !entry.is_object() {
        *entry = json!({});
    }
    entry
}

fn capacity_of(entry: &Value) -> u64 {
    entry["capacity"].as_u64().unwrap_or(1)
}

/// A top-level field that cannot exist: used when a mutation finds nothing
/// to work on (a cohort without participants, say).
fn fallback(doc: &mut Doc) -> Expect {
    doc.value["no-such-field"] = json!(1);
    at(&["cohort"], &["no-such-field"], Invalid)
}

fn apply(doc: &mut Doc, mutation: &Mutation) -> Expect {
    match mutation {
        Mutation::ParticipantField { who, field, junk } => {
            participant_field(doc, *who, *field, *junk)
        }
        Mutation::RemoveField { who, field } => remove_field(doc, *who, *field),
        Mutation::UnknownKey { target, key, junk } => unknown_key(doc, *target, *key, *junk),
        Mutation::Misspell { target, key, edit } => misspell(doc, *target, *key, *edit),
        Mutation::Answer {
            who,
            kind,
            key,
            junk,
        } => answer(doc, *who, *kind, *key, *junk),
        Mutation::Reference {
            who,
            field,
            target,
            other,
        } => reference(doc, *who, *field, *target, *other),
        Mutation::Identity {
            who,
            how,
            other,
            junk,
        } => identity(doc, *who, *how, *other, *junk),
        Mutation::Questionnaire { how, item, junk } => questionnaire(doc, *how, *item, *junk),
        Mutation::Top { field, junk } => top(doc, *field, *junk),
        Mutation::Rule { key, junk } => rule(doc, *key, *junk),
        Mutation::Weight { key, junk } => weight(doc, *key, *junk),
        Mutation::History { how, junk, who } => history(doc, *how, *junk, *who),
        Mutation::Pin { how, a, b } => pin(doc, *how, *a, *b),
        Mutation::Truncate { at } => {
            doc.truncate = Some(*at);
            Expect::Syntax { must_fail: false }
        }
        Mutation::BadUtf8 { at, bytes } => {
            doc.inserts
                .push((*at, BAD_UTF8[bytes.index(BAD_UTF8.len())]));
            Expect::Syntax { must_fail: true }
        }
    }
}

/// Whether `value` is acceptable as participant `field` (not `id`).
fn participant_validity(doc: &Doc, who: &Who, field: &str, value: &Value) -> Validity {
    let ids = doc.ids();
    let known_other = |v: &Value| {
        v.as_str()
            .is_some_and(|m| m != who.id && ids.iter().any(|i| i == m))
    };
    let empty_map = value.as_object().is_some_and(Map::is_empty);
    match field {
        "name" => valid_if(value.is_null() || value.is_string()),
        "role" => valid_if(value.as_str() == Some(&who.role)),
        "offers" => valid_if(!who.mentors() && value.is_null()),
        "seeks" => valid_if(!who.is_mentored() && value.is_null()),
        "level" => valid_if(value.is_null() || (who.is_mentored() && empty_map)),
        "goals" => valid_if(value.is_null() || empty_map),
        "capacity" if !who.mentors() => valid_if(value.is_null()),
        "capacity" => {
            let pinned = doc.pins().iter().filter(|(m, _)| *m == who.id).count() as u64;
            match value {
                Value::Null => valid_if(pinned <= 1),
                _ => value.as_u64().map_or(Invalid, |c| valid_if(pinned <= c)),
            }
        }
        "hours_per_month" => {
            valid_if(value.is_null() || value.as_f64().is_some_and(|h| h.is_finite() && h > 0.0))
        }
        "languages" => valid_if(
            value.is_null()
                || value.as_array().is_some_and(|codes| {
                    codes
                        .iter()
                        .all(|c| c.as_str().is_some_and(|c| !c.is_empty()))
                }),
        ),
        "team" => valid_if(value.is_null() || value.as_str().is_some_and(|t| !t.is_empty())),
        "seniority" => valid_if(value.is_null() || value.is_i64()),
        "manager" => valid_if(value.is_null() || known_other(value)),
        "prefers" | "avoids" => {
            valid_if(value.is_null() || value.as_array().is_some_and(|l| l.iter().all(known_other)))
        }
        _ => Unknown,
    }
}

fn participant_field(doc: &mut Doc, pick: Index, field: Index, junk_pick: Index) -> Expect {
    let Some(who) = who(doc, pick) else {
        return fallback(doc);
    };
    let field = PARTICIPANT_FIELDS[field.index(PARTICIPANT_FIELDS.len())];
    let junk = junk(junk_pick);
    let placeholder = doc.place(&junk);
    if field == "id" {
        return rename(doc, &who, &junk, placeholder);
    }
    let validity = |value: &Value| participant_validity(doc, &who, field, value);
    let expect = match field {
        "role" => junk_expect(
            &junk,
            &[&who.place],
            &["role", "offers", "seeks", "capacity", "level"],
            validity,
        ),
        "capacity" => junk_expect(&junk, &[&who.place, "pinned["], &["capacity"], validity),
        _ => junk_expect(&junk, &[&who.place], &[field], validity),
    };
    *key(entry_mut(doc, who.index), field) = placeholder;
    expect
}

/// Sets a participant's id to `junk`.
fn rename(doc: &mut Doc, who: &Who, junk: &Junk, placeholder: Value) -> Expect {
    let validity = |value: &Value| match value.as_str() {
        None | Some("") => Invalid,
        Some(new) if new == who.id => Valid,
        Some(new) => valid_if(!doc.referenced(&who.id) && !doc.ids().iter().any(|i| i == new)),
    };
    let expect = junk_expect(
        junk,
        &[&who.anonymous, "participant ", "pinned["],
        &[
            "id",
            "manager",
            "prefers",
            "avoids",
            "mentor",
            "mentee",
            "participants",
        ],
        validity,
    );
    *key(entry_mut(doc, who.index), "id") = placeholder;
    expect
}

fn remove_field(doc: &mut Doc, pick: Index, field: Index) -> Expect {
    let Some(who) = who(doc, pick) else {
        return fallback(doc);
    };
    let field = PARTICIPANT_FIELDS[field.index(PARTICIPANT_FIELDS.len())];
    let expect = if field == "id" {
        at(&[&who.anonymous], &["id"], Invalid)
    } else {
        let validity = participant_validity(doc, &who, field, &Value::Null);
        let places = if field == "capacity" {
            vec![&who.place[..], "pinned["]
        } else {
            vec![&who.place[..]]
        };
        at(&places, &[field, "role"], validity)
    };
    if let Some(entry) = entry_mut(doc, who.index).as_object_mut() {
        entry.remove(field);
    }
    expect
}

/// An object in the document that has a fixed set of keys.
struct Target {
    pointer: String,
    /// Where errors about its keys are.
    places: Vec<String>,
    allowed: Vec<String>,
    /// The field errors name for an unknown key: the key itself, or (for
    /// answer maps) the map's field.
    field: Option<&'static str>,
}

fn targets(doc: &Doc) -> Vec<Target> {
    let owned = |names: &[&str]| names.iter().map(|&n| n.to_owned()).collect::<Vec<_>>();
    let target = |pointer: String, place: String, allowed: Vec<String>, field| Target {
        pointer,
        places: vec![place],
        allowed,
        field,
    };
    let mut all = vec![target(
        String::new(),
        "cohort".into(),
        owned(&COHORT_FIELDS),
        None,
    )];
    if doc.value["questionnaire"].is_object() {
        all.push(target(
            "/questionnaire".into(),
            "questionnaire".into(),
            owned(&["topics", "goals"]),
            None,
        ));
        for list in ["topics", "goals"] {
            for i in 0..doc.item_ids(list).len() {
                all.push(target(
                    format!("/questionnaire/{list}/{i}"),
                    "questionnaire".into(),
                    owned(&["id", "label"]),
                    None,
                ));
            }
        }
    }
    let topics = doc.item_ids("topics");
    let goals = doc.item_ids("goals");
    for (i, person) in doc.people().iter().enumerate() {
        let id = person["id"].as_str().unwrap_or_default();
        let mut entry = target(
            format!("/participants/{i}"),
            format!("participant {id:?}"),
            owned(&PARTICIPANT_FIELDS),
            None,
        );
        entry.places.push(format!("participant #{i}"));
        all.push(entry);
        for field in ANSWER_FIELDS {
            if person[field].is_object() {
                let ids = if field == "goals" {
                    goals.clone()
                } else {
                    topics.clone()
                };
                all.push(target(
                    format!("/participants/{i}/{field}"),
                    format!("participant {id:?}"),
                    ids,
                    Some(field),
                ));
            }
        }
    }
    for (list, fields) in [
        ("history", &["mentor", "mentee", "round"][..]),
        ("pinned", &["mentor", "mentee"][..]),
    ] {
        let count = doc.value[list].as_array().map_or(0, Vec::len);
        for i in 0..count {
            all.push(target(
                format!("/{list}/{i}"),
                format!("{list}[{i}]"),
                owned(fields),
                None,
            ));
        }
    }
    for (name, fields) in [("rules", &RULE_FIELDS[..]), ("weights", &WEIGHT_FIELDS[..])] {
        if doc.value[name].is_object() {
            all.push(target(format!("/{name}"), name.into(), owned(fields), None));
        }
    }
    all
}

fn unknown_key(doc: &mut Doc, target_pick: Index, which: Index, junk_pick: Index) -> Expect {
    let targets = targets(doc);
    let target = &targets[target_pick.index(targets.len())];
    let start = which.index(UNKNOWN_KEYS.len());
    let key = (0..UNKNOWN_KEYS.len())
        .map(|k| UNKNOWN_KEYS[(start + k) % UNKNOWN_KEYS.len()])
        .find(|k| !target.allowed.iter().any(|a| a == k))
        .expect("no object knows every unknown key");
    let junk = junk(junk_pick);
    let placeholder = doc.place(&junk);
    let places: Vec<&str> = target.places.iter().map(String::as_str).collect();
    let field = target.field.unwrap_or(key);
    let mut expect = junk_expect(&junk, &places, &[field], |_| Invalid);
    if let Expect::At { syntax_ok, .. } = &mut expect {
        // Deep junk may end the parse before the key is looked at.
        *syntax_ok = junk.deep;
    }
    if let Some(object) = doc
        .value
        .pointer_mut(&target.pointer)
        .and_then(Value::as_object_mut)
    {
        object.insert(key.to_owned(), placeholder);
    }
    expect
}

/// One typing slip in `word`, chosen by `edit`.
fn slip(word: &str, edit: usize) -> String {
    let chars: Vec<char> = word.chars().collect();
    let at = (edit / 7) % chars.len().max(1);
    let mut out = chars.clone();
    match edit % 7 {
        0 if !chars.is_empty() => {
            out.remove(at);
        }
        1 if chars.len() > 1 => out.swap(at.min(chars.len() - 2), at.min(chars.len() - 2) + 1),
        2 if !chars.is_empty() => out.insert(at, chars[at]),
        3 => out = word.to_uppercase().chars().collect(),
        4 => out.push('s'),
        5 => out = word.replace('_', "-").replace('e', "a").chars().collect(),
        _ => out.push(' '),
    }
    out.into_iter().collect()
}

fn misspell(doc: &mut Doc, target_pick: Index, which: Index, edit: Index) -> Expect {
    let targets = targets(doc);
    let target = &targets[target_pick.index(targets.len())];
    let Some(object) = doc
        .value
        .pointer(&target.pointer)
        .and_then(Value::as_object)
    else {
        return fallback(doc);
    };
    let keys: Vec<String> = object.keys().cloned().collect();
    if keys.is_empty() {
        return unknown_key(doc, target_pick, which, edit);
    }
    let old = &keys[which.index(keys.len())];
    let mut new = slip(old, edit.index(1 << 16));
    while new == *old || target.allowed.contains(&new) || keys.contains(&new) {
        new.push('x');
    }
    let places: Vec<&str> = target.places.iter().map(String::as_str).collect();
    let expect = at(&places, &[target.field.unwrap_or(&new)], Invalid);
    let object = doc
        .value
        .pointer_mut(&target.pointer)
        .and_then(Value::as_object_mut)
        .expect("found above");
    let value = object.remove(old).expect("a key of the object");
    object.insert(new, value);
    expect
}

fn answer(doc: &mut Doc, pick: Index, kind: Index, which: Index, junk_pick: Index) -> Expect {
    let Some(who) = who(doc, pick) else {
        return fallback(doc);
    };
    let kind = ANSWER_FIELDS[kind.index(ANSWER_FIELDS.len())];
    let mut names = doc.item_ids(if kind == "goals" { "goals" } else { "topics" });
    let known = names.len();
    let shouted = names.first().map(|k| k.to_uppercase());
    names.extend(["nope".to_owned(), String::new(), " rust".to_owned()]);
    names.extend(shouted.filter(|s| !names.contains(s)));
    let index = which.index(names.len());
    let name = names[index].clone();
    let belongs = match kind {
        "offers" => who.mentors(),
        "seeks" | "level" => who.is_mentored(),
        _ => true,
    };
    let minimum = i64::from(kind != "level");
    let required = (kind == "offers" && who.mentors()) || (kind == "seeks" && who.is_mentored());
    let others = doc.people()[who.index][kind].as_object().map_or(0, |m| {
        m.iter()
            .filter(|&(k, v)| *k != name && !v.is_null())
            .count()
    });
    let validity = |value: &Value| {
        if !belongs || index >= known {
            Invalid
        } else if value.is_null() {
            valid_if(!required || others > 0)
        } else {
            valid_if(value.as_i64().is_some_and(|a| (minimum..=5).contains(&a)))
        }
    };
    let junk = junk(junk_pick);
    let expect = junk_expect(&junk, &[&who.place], &[kind], validity);
    let placeholder = doc.place(&junk);
    let slot = key(entry_mut(doc, who.index), kind);
    *key(slot, &name) = placeholder;
    expect
}

fn reference(doc: &mut Doc, pick: Index, field: Index, target: Index, other: Index) -> Expect {
    let Some(who) = who(doc, pick) else {
        return fallback(doc);
    };
    let field = ["manager", "prefers", "avoids"][field.index(3)];
    let ids = doc.ids();
    let someone = if ids.is_empty() {
        "nobody".to_owned()
    } else {
        ids[other.index(ids.len())].clone()
    };
    let shouted = someone.to_uppercase();
    let (name, validity) = match target.index(6) {
        0 => (json!(who.id), Invalid),
        1 => (json!("nobody"), Invalid),
        2 => (json!(""), Invalid),
        3 => (
            json!(someone),
            valid_if(someone != who.id && ids.contains(&someone)),
        ),
        4 => (
            json!(shouted),
            valid_if(shouted != who.id && ids.contains(&shouted)),
        ),
        _ => (json!(7), Invalid),
    };
    let slot = key(entry_mut(doc, who.index), field);
    if field == "manager" {
        *slot = name;
    } else {
        if !slot.is_array() {
            *slot = json!([]);
        }
        slot.as_array_mut().expect("a list").push(name);
    }
    at(&[&who.place], &[field], validity)
}

fn identity(doc: &mut Doc, pick: Index, how: Index, other: Index, junk_pick: Index) -> Expect {
    let Some(who) = who(doc, pick) else {
        return fallback(doc);
    };
    let ids = doc.ids();
    match how.index(5) {
        0 => {
            let copy = if ids.is_empty() {
                who.id.clone()
            } else {
                ids[other.index(ids.len())].clone()
            };
            if copy == who.id {
                // A copy-pasted entry.
                let entry = entry_mut(doc, who.index).clone();
                doc.push("participants", entry);
            } else {
                *key(entry_mut(doc, who.index), "id") = json!(copy);
            }
            at(
                &[&format!("participant {copy:?}")],
                &["participants"],
                Invalid,
            )
        }
        1 => {
            *key(entry_mut(doc, who.index), "id") = json!("");
            at(&[&who.anonymous], &["id"], Invalid)
        }
        2 => {
            entry_mut(doc, who.index)
                .as_object_mut()
                .map(|e| e.remove("id"));
            at(&[&who.anonymous], &["id"], Invalid)
        }
        3 => {
            if let Some(people) = doc.people_mut() {
                people.remove(who.index);
            }
            let validity = valid_if(!doc.referenced(&who.id));
            at(
                &["participant ", "pinned["],
                &["manager", "prefers", "avoids", "mentor", "mentee"],
                validity,
            )
        }
        _ => {
            let junk = junk(junk_pick);
            let placeholder = doc.place(&junk);
            rename(doc, &who, &junk, placeholder)
        }
    }
}

/// The items of `list` in the questionnaire, made a list if it is not one.
fn items_mut<'a>(doc: &'a mut Doc, list: &str) -> &'a mut Vec<Value> {
    let items = key(key(&mut doc.value, "questionnaire"), list);
    if !items.is_array() {
        *items = json!([]);
    }
    items.as_array_mut().expect("a list")
}

fn questionnaire(doc: &mut Doc, how: Index, item: Index, junk_pick: Index) -> Expect {
    let list = ["topics", "goals"][item.index(2)];
    let ids = doc.item_ids(list);
    let answer_fields: &[&str] = if list == "goals" {
        &["goals"]
    } else {
        &["offers", "seeks", "level"]
    };
    let used = ids.iter().any(|id| doc.answered(answer_fields, id));
    let places = &["questionnaire", "participant "][..];
    let mut fields = vec![list];
    fields.extend_from_slice(answer_fields);
    // Positions of the items that have an id, so that `ids[i]` is `items[at[i]]`.
    let with_ids: Vec<usize> = doc.value["questionnaire"][list]
        .as_array()
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .enumerate()
        .filter(|(_, item)| item["id"].is_string())
        .map(|(k, _)| k)
        .collect();
    let i = if ids.is_empty() {
        0
    } else {
        item.index(ids.len())
    };
    match how.index(6) {
        0 | 1 => {
            if how.index(6) == 0 {
                *key(key(&mut doc.value, "questionnaire"), list) = json!([]);
            } else if let Some(q) = doc.value["questionnaire"].as_object_mut() {
                q.remove(list);
            }
            at(places, &fields, valid_if(list == "goals" && !used))
        }
        2 if !ids.is_empty() => {
            let copy = items_mut(doc, list)[with_ids[i]].clone();
            items_mut(doc, list).push(copy);
            at(&["questionnaire"], &[list], Invalid)
        }
        3 if !ids.is_empty() => {
            items_mut(doc, list).remove(with_ids[i]);
            let only_topic = list == "topics" && ids.len() == 1;
            at(
                places,
                &fields,
                valid_if(!only_topic && !doc.answered(answer_fields, &ids[i])),
            )
        }
        4 if !ids.is_empty() => {
            let junk = junk(junk_pick);
            let validity = |value: &Value| match value.as_str() {
                None | Some("") => Invalid,
                Some(new) if new == ids[i] => Valid,
                Some(new) => valid_if(
                    !ids.iter().any(|id| id == new) && !doc.answered(answer_fields, &ids[i]),
                ),
            };
            let expect = junk_expect(&junk, places, &fields, validity);
            let placeholder = doc.place(&junk);
            *key(&mut items_mut(doc, list)[with_ids[i]], "id") = placeholder;
            expect
        }
        5 if !ids.is_empty() => {
            let junk = junk(junk_pick);
            let expect = junk_expect(&junk, &["questionnaire"], &[list], |v| {
                valid_if(v.is_null() || v.is_string())
            });
            let placeholder = doc.place(&junk);
            *key(&mut items_mut(doc, list)[with_ids[i]], "label") = placeholder;
            expect
        }
        _ => {
            let junk = junk(junk_pick);
            let expect = junk_expect(&junk, &["questionnaire"], &[list], |_| Invalid);
            let placeholder = doc.place(&junk);
            items_mut(doc, list).insert(0, placeholder);
            expect
        }
    }
}

fn top(doc: &mut Doc, field: Index, junk_pick: Index) -> Expect {
    let field = COHORT_FIELDS[field.index(COHORT_FIELDS.len())];
    let junk = junk(junk_pick);
    let has_pins = !doc.pins().is_empty();
    let empty_list = |v: &Value| v.as_array().is_some_and(Vec::is_empty);
    let empty_map = |v: &Value| v.as_object().is_some_and(Map::is_empty);
    let validity = |v: &Value| match field {
        "name" => valid_if(v.is_null() || v.is_string()),
        "questionnaire" => Invalid,
        "participants" => valid_if(empty_list(v) && !has_pins),
        "history" | "pinned" => valid_if(v.is_null() || empty_list(v)),
        "rules" | "weights" => valid_if(v.is_null() || empty_map(v)),
        _ => valid_if(
            v.is_null()
                || ["total", "coverage", "fairness"].contains(&v.as_str().unwrap_or_default()),
        ),
    };
    let mut fields = vec![field, "topics", "mentor", "mentee"];
    if let Some(Value::Object(map)) = &junk.value {
        fields.extend(map.keys().map(String::as_str));
    }
    let fields: Vec<String> = fields.into_iter().map(str::to_owned).collect();
    let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
    let expect = junk_expect(&junk, &["cohort", field, "pinned["], &fields, validity);
    let placeholder = doc.place(&junk);
    doc.value[field] = placeholder;
    expect
}

fn rule(doc: &mut Doc, key: Index, junk_pick: Index) -> Expect {
    let key = RULE_FIELDS[key.index(RULE_FIELDS.len())];
    let junk = junk(junk_pick);
    let validity = |v: &Value| {
        if key == "min_score" {
            valid_if(v.is_null() || v.as_f64().is_some_and(|s| (0.0..=1.0).contains(&s)))
        } else {
            valid_if(v.is_null() || v.is_boolean())
        }
    };
    let expect = junk_expect(&junk, &["rules"], &[key], validity);
    let placeholder = doc.place(&junk);
    if !doc.value["rules"].is_object() {
        doc.value["rules"] = json!({});
    }
    doc.value["rules"][key] = placeholder;
    expect
}

fn weight(doc: &mut Doc, key: Index, junk_pick: Index) -> Expect {
    let key = WEIGHT_FIELDS[key.index(WEIGHT_FIELDS.len())];
    let junk = junk(junk_pick);
    let mut others = 0.0;
    for (name, default) in WEIGHT_FIELDS.iter().zip([0.5, 0.3, 0.1, 0.1]) {
        if *name != key {
            others += doc.value["weights"][name].as_f64().unwrap_or(default);
        }
    }
    let validity = |v: &Value| match v {
        Value::Null => Unknown,
        _ => v.as_f64().map_or(Invalid, |w| {
            valid_if(w.is_finite() && w >= 0.0 && w + others > 0.0)
        }),
    };
    let expect = junk_expect(&junk, &["weights"], &[key, "sum"], validity);
    let placeholder = doc.place(&junk);
    if !doc.value["weights"].is_object() {
        doc.value["weights"] = json!({});
    }
    doc.value["weights"][key] = placeholder;
    expect
}

fn history(doc: &mut Doc, how: Index, junk_pick: Index, pick: Index) -> Expect {
    let someone = who(doc, pick).map_or_else(|| "gone".to_owned(), |w| w.id);
    let junk = junk(junk_pick);
    let placeholder = doc.place(&junk);
    let count = doc.value["history"].as_array().map_or(0, Vec::len);
    let place = format!("history[{count}]");
    let text = |v: &Value| valid_if(v.is_string());
    match how.index(5) {
        0 => {
            let expect = junk_expect(&junk, &[&place], &["mentor"], text);
            doc.push("history", json!({"mentor": placeholder, "mentee": someone}));
            expect
        }
        1 => {
            doc.push("history", json!({"mentor": someone}));
            at(&[&place], &["mentee"], Invalid)
        }
        2 => {
            let expect = junk_expect(&junk, &[&place], &["round"], |v| {
                valid_if(v.is_null() || v.is_string())
            });
            doc.push(
                "history",
                json!({"mentor": someone, "mentee": "gone", "round": placeholder}),
            );
            expect
        }
        3 => {
            doc.push("history", json!({"mentor": someone, "mentee": someone}));
            at(&[&place], &["mentor"], Valid)
        }
        _ => {
            let expect = junk_expect(&junk, &["cohort", &place], &[&place, "mentor"], |_| Invalid);
            doc.push("history", placeholder);
            expect
        }
    }
}

fn pin(doc: &mut Doc, how: Index, a: Index, b: Index) -> Expect {
    let people = doc.people().to_vec();
    let role = |p: &Value| p["role"].as_str().unwrap_or_default().to_owned();
    let id = |p: &Value| p["id"].as_str().unwrap_or_default().to_owned();
    let mentors: Vec<usize> = (0..people.len())
        .filter(|&p| role(&people[p]) != "mentee")
        .collect();
    let mentees: Vec<usize> = (0..people.len())
        .filter(|&p| role(&people[p]) != "mentor")
        .collect();
    let pins = doc.pins();
    let first = pins.len();
    let expect = at(&["pinned["], &["mentor", "mentee", "capacity"], Invalid);
    let entry = |m: &str, e: &str| json!({"mentor": m, "mentee": e});
    if mentors.is_empty() || mentees.is_empty() {
        doc.push("pinned", entry("nobody", "nobody"));
        return expect;
    }
    let mentor = mentors[a.index(mentors.len())];
    let mentee = mentees[b.index(mentees.len())];
    let (mentor_id, mentee_id) = (id(&people[mentor]), id(&people[mentee]));
    match how.index(10) {
        0 => {
            doc.push("pinned", entry(&mentor_id, &mentee_id));
            doc.push("pinned", entry(&mentor_id, &mentee_id));
        }
        1 => {
            let capacity = capacity_of(&people[mentor]).min(6);
            for k in 0..=capacity {
                let other = mentees
                    [(b.index(mentees.len()) + usize::try_from(k).expect("small")) % mentees.len()];
                doc.push("pinned", entry(&mentor_id, &id(&people[other])));
            }
        }
        2 => {
            *key(entry_mut(doc, mentor), "capacity") = json!(0);
            doc.push("pinned", entry(&mentor_id, &mentee_id));
        }
        3 => {
            let wrong = people.iter().find(|p| role(p) == "mentee").map(id);
            match wrong {
                Some(wrong) => doc.push("pinned", entry(&wrong, &mentee_id)),
                None => doc.push("pinned", entry(&mentor_id, &mentor_id)),
            };
        }
        4 => {
            doc.push("pinned", entry(&mentee_id, &mentee_id));
        }
        5 => {
            doc.push("pinned", entry(&mentor_id, "nobody"));
        }
        6 => {
            doc.push("pinned", entry("", &mentee_id));
        }
        7 => {
            doc.push("pinned", json!({ "mentor": mentor_id }));
        }
        8 => {
            doc.push(
                "pinned",
                entry(&mentor_id.to_uppercase(), &format!(" {mentee_id}")),
            );
        }
        _ => return fine_pin(doc, &people, &mentors, &mentees, first),
    }
    expect
}

/// Pins a free mentee to a mentor with room: must be accepted.
fn fine_pin(
    doc: &mut Doc,
    people: &[Value],
    mentors: &[usize],
    mentees: &[usize],
    count: usize,
) -> Expect {
    let pins = doc.pins();
    let id = |p: usize| people[p]["id"].as_str().unwrap_or_default().to_owned();
    let used = |m: usize| pins.iter().filter(|(a, _)| *a == id(m)).count() as u64;
    for &mentee in mentees {
        if pins.iter().any(|(_, e)| *e == id(mentee)) {
            continue;
        }
        if let Some(&mentor) = mentors
            .iter()
            .find(|&&m| m != mentee && used(m) < capacity_of(&people[m]))
        {
            doc.push(
                "pinned",
                json!({"mentor": id(mentor), "mentee": id(mentee)}),
            );
            return at(&[&format!("pinned[{count}]")], &["mentor"], Valid);
        }
    }
    at(&["pinned["], &["mentor"], Valid)
}

// ---- judging -------------------------------------------------------------

const PLACES: [&str; 8] = [
    "cohort",
    "questionnaire",
    "participant ",
    "history[",
    "pinned[",
    "rules",
    "weights",
    "line ",
];

/// Checks what reading gave against what the mutation expects; returns the
/// cohort when it read.
fn judge(read: Result<Cohort, Error>, expect: &Expect) -> Result<Option<Cohort>, String> {
    let error = match read {
        Ok(cohort) => {
            let must_fail = match expect {
                Expect::Syntax { must_fail } => *must_fail,
                Expect::At { validity, .. } => *validity == Invalid,
                Expect::Located => false,
            };
            if must_fail {
                return Err("accepted silently, but the change must be an error".into());
            }
            return Ok(Some(cohort));
        }
        Err(error) => error,
    };
    let message = error.to_string();
    let is_syntax = matches!(error, Error::Syntax { .. });
    if is_syntax && !(message.contains("line ") && message.contains("column ")) {
        return Err(format!("syntax error without line and column: {message}"));
    }
    match expect {
        Expect::Syntax { .. }
        | Expect::At {
            syntax_ok: true, ..
        } if is_syntax => Ok(None),
        Expect::Syntax { .. } => Err(format!("expected a syntax error, got: {message}")),
        Expect::At {
            validity: Valid, ..
        } => Err(format!("a valid change was refused: {message}")),
        Expect::At { places, fields, .. } => {
            let place = places.iter().any(|p| message.contains(p.as_str()));
            let field = fields
                .iter()
                .any(|f| message.contains(&format!("`{f}")) || message.contains(f.as_str()));
            if place && field {
                Ok(None)
            } else {
                Err(format!(
                    "error does not name one of {places:?} and one of {fields:?}: {message}"
                ))
            }
        }
        Expect::Located => {
            if PLACES.iter().any(|p| message.starts_with(p)) {
                Ok(None)
            } else {
                Err(format!("error does not say where: {message}"))
            }
        }
    }
}

/// Runs `work` on its own thread: a panic or a hang is a failure, not a crash.
fn guarded<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    let (sender, receiver) = mpsc::channel();
    let worker = thread::spawn(move || {
        // The receiver only goes away after a timeout, which fails the case anyway.
        let _ = sender.send(work());
    });
    match receiver.recv_timeout(CASE_TIMEOUT) {
        Ok(result) => {
            let _ = worker.join();
            result
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            Err(format!("no answer within {CASE_TIMEOUT:?}: it hangs"))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => {
                let text = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                Err(format!("panicked: {text}"))
            }
            Ok(()) => Err("the worker ended without an answer".into()),
        },
    }
}

/// Reads `bytes`, judges the outcome and, when it reads, matches it.
fn run_case(bytes: Vec<u8>, expect: Expect) -> Result<(), TestCaseError> {
    let shown = String::from_utf8_lossy(&bytes)
        .chars()
        .take(3000)
        .collect::<String>();
    guarded(move || {
        let read = Cohort::from_slice(&bytes);
        if let Some(cohort) = judge(read, &expect)? {
            check_cohort(&cohort)?;
        }
        Ok(())
    })
    .map_err(|problem| TestCaseError::fail(format!("{problem}\ninput: {shown}")))
}

// ---- checking matchings --------------------------------------------------

/// Solves a cohort that read under every objective with both solvers and
/// checks each matching.
fn check_cohort(cohort: &Cohort) -> Result<(), String> {
    let matrix = cohort.score_matrix();
    serde_json::to_string(&matrix).map_err(|e| format!("score matrix JSON: {e}"))?;
    let w = cohort.weights();
    // Weights whose sum overflows f64 give NaN scores: a known bug of
    // `Weights::new` (see `weights_near_f64_max_give_real_scores`); the
    // structure of the matching is still checked.
    let sane = (w.skills() + w.goals() + w.availability() + w.preference()).is_finite();
    for objective in [Objective::Total, Objective::Coverage, Objective::Fairness] {
        let mut found = Vec::new();
        for solver in [Solver::JonkerVolgenant, Solver::Hungarian] {
            let context = |e: String| format!("{objective} with {solver:?}: {e}");
            let matching = cohort
                .matcher()
                .objective(objective)
                .solver(solver)
                .solve()
                .map_err(|e| context(e.to_string()))?;
            check_matching(cohort, &matrix, &matching, sane).map_err(context)?;
            found.push(matching);
        }
        let (jv, hungarian) = (&found[0], &found[1]);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * (jv.matched() as f64 + 1.0);
        if sane
            && (jv.matched() != hungarian.matched()
                || !close(jv.total_score(), hungarian.total_score())
                || (objective == Objective::Fairness
                    && !close(
                        jv.min_score().unwrap_or(0.0),
                        hungarian.min_score().unwrap_or(0.0),
                    )))
        {
            return Err(format!(
                "{objective}: the solvers disagree: {} pairs, total {}, min {:?} vs {} pairs, total {}, min {:?}",
                jv.matched(),
                jv.total_score(),
                jv.min_score(),
                hungarian.matched(),
                hungarian.total_score(),
                hungarian.min_score()
            ));
        }
    }
    Ok(())
}

/// A matching is valid: each mentee at most once and in file order, every
/// mentor within capacity, pinned pairs present, other pairs feasible, every
/// unmatched mentee with the right reason, and the JSON as specified.
fn check_matching(
    cohort: &Cohort,
    matrix: &ScoreMatrix,
    matching: &Matching,
    sane: bool,
) -> Result<(), String> {
    let people = cohort.participants();
    let side = |list: &[ParticipantIndex]| -> HashMap<&str, usize> {
        list.iter()
            .enumerate()
            .map(|(k, &p)| (people[p.get()].id(), k))
            .collect()
    };
    let (mentor_at, mentee_at) = (side(cohort.mentors()), side(cohort.mentees()));
    let capacity = |m: usize| {
        people[cohort.mentors()[m].get()]
            .capacity()
            .min(cohort.mentees().len() as u64)
    };
    let mut used = vec![0u64; cohort.mentors().len()];
    let mut mentor_of = vec![None; cohort.mentees().len()];
    let mut previous = None;
    for pair in matching.pairs() {
        let m = *mentor_at
            .get(pair.mentor())
            .ok_or(format!("{:?} is not a mentor", pair.mentor()))?;
        let e = *mentee_at
            .get(pair.mentee())
            .ok_or(format!("{:?} is not a mentee", pair.mentee()))?;
        if pair.mentor() == pair.mentee() {
            return Err(format!("{:?} mentors themself", pair.mentor()));
        }
        if previous.is_some_and(|p| p >= e) {
            return Err(format!(
                "pairs out of mentee order or a mentee twice at {:?}",
                pair.mentee()
            ));
        }
        previous = Some(e);
        mentor_of[e] = Some(m);
        used[m] += 1;
        if used[m] > capacity(m) {
            return Err(format!("{:?} is over capacity", pair.mentor()));
        }
        if pair.is_pinned()
            != cohort
                .pinned()
                .contains(&(MentorIndex::new(m), MenteeIndex::new(e)))
        {
            return Err(format!(
                "pair {:?}–{:?}: wrong pinned flag",
                pair.mentor(),
                pair.mentee()
            ));
        }
        if !pair.is_pinned() && !matrix.is_feasible(m, e) {
            return Err(format!(
                "pair {:?}–{:?} breaks {:?}",
                pair.mentor(),
                pair.mentee(),
                matrix.ruled_out_by(m, e)
            ));
        }
        let b = pair.breakdown();
        let unit = |x: f64| (0.0..=1.0).contains(&x);
        if sane
            && !(unit(pair.score())
                && unit(b.skills())
                && unit(b.goals())
                && unit(b.availability())
                && unit(b.preference()))
        {
            return Err(format!(
                "pair {:?}–{:?}: score or breakdown outside [0, 1]: {} {b:?}",
                pair.mentor(),
                pair.mentee(),
                pair.score()
            ));
        }
        if sane && !pair.is_pinned() && matrix.get(m, e) != Some(pair.score()) {
            return Err(format!(
                "pair {:?}–{:?}: score {} differs from the score matrix",
                pair.mentor(),
                pair.mentee(),
                pair.score()
            ));
        }
    }
    for &(m, e) in cohort.pinned() {
        if mentor_of[e.get()] != Some(m.get()) {
            return Err(format!("pinned pair {m}–{e} is missing"));
        }
    }
    check_unmatched(cohort, matrix, matching, &mentor_of, &used)?;
    check_totals(matching, sane)
}

fn check_unmatched(
    cohort: &Cohort,
    matrix: &ScoreMatrix,
    matching: &Matching,
    mentor_of: &[Option<usize>],
    used: &[u64],
) -> Result<(), String> {
    let people = cohort.participants();
    let expected: Vec<&str> = (0..mentor_of.len())
        .filter(|&e| mentor_of[e].is_none())
        .map(|e| people[cohort.mentees()[e].get()].id())
        .collect();
    let found: Vec<&str> = matching
        .unmatched()
        .iter()
        .map(mentor_match::Unmatched::mentee)
        .collect();
    if expected != found {
        return Err(format!("unmatched {found:?}, expected {expected:?}"));
    }
    let mentors = cohort.mentors().len();
    for (unmatched, e) in matching
        .unmatched()
        .iter()
        .zip((0..mentor_of.len()).filter(|&e| mentor_of[e].is_none()))
    {
        let feasible: Vec<usize> = (0..mentors).filter(|&m| matrix.is_feasible(m, e)).collect();
        let counted: usize = unmatched.ruled_out().iter().map(|&(_, n)| n).sum();
        let themself = usize::from(people[cohort.mentees()[e].get()].role().mentors());
        let in_order = unmatched.ruled_out().windows(2).all(|w| w[0].0 < w[1].0)
            && unmatched.ruled_out().iter().all(|&(_, n)| n > 0);
        match unmatched.reason() {
            Reason::NoFeasibleMentor
                if feasible.is_empty() && counted == mentors - themself && in_order => {}
            Reason::Capacity
                if !feasible.is_empty()
                    && unmatched.ruled_out().is_empty()
                    && feasible.iter().all(|&m| {
                        used[m]
                            >= people[cohort.mentors()[m].get()]
                                .capacity()
                                .min(mentor_of.len() as u64)
                    }) => {}
            reason => {
                return Err(format!(
                    "{:?} unmatched with {reason:?}, ruled out {:?}, feasible mentors {feasible:?}, used {used:?}",
                    unmatched.mentee(),
                    unmatched.ruled_out()
                ));
            }
        }
    }
    Ok(())
}

fn check_totals(matching: &Matching, sane: bool) -> Result<(), String> {
    if matching.matched() != matching.pairs().len() {
        return Err("matched differs from the number of pairs".into());
    }
    let json = serde_json::to_value(matching).map_err(|e| format!("result JSON: {e}"))?;
    if json["objective"] != matching.objective().name() || json["matched"] != matching.matched() {
        return Err(format!("result JSON head: {json}"));
    }
    if json["min_score"].is_null() != matching.pairs().is_empty() && sane {
        return Err(format!("min_score in JSON: {}", json["min_score"]));
    }
    for (entry, unmatched) in json["unmatched"]
        .as_array()
        .into_iter()
        .flatten()
        .zip(matching.unmatched())
    {
        let with_counts = unmatched.reason() == Reason::NoFeasibleMentor;
        if entry.get("ruled_out").is_some() != with_counts {
            return Err(format!("unmatched JSON: {entry}"));
        }
    }
    if sane {
        let total: f64 = matching
            .pairs()
            .iter()
            .map(mentor_match::Pair::score)
            .fold(0.0, |sum, score| sum + score);
        let min = matching
            .pairs()
            .iter()
            .map(mentor_match::Pair::score)
            .reduce(f64::min);
        // The same additions in the same order: the very same bits.
        if total.to_bits() != matching.total_score().to_bits()
            || min.map(f64::to_bits) != matching.min_score().map(f64::to_bits)
        {
            return Err("total_score or min_score differ from the pairs".into());
        }
    }
    Ok(())
}

// ---- properties ----------------------------------------------------------

fn pilot_value() -> Value {
    serde_json::from_str(PILOT).expect("the bundled cohort is JSON")
}

proptest! {
    #![proptest_config(config())]

    /// One mutation of a small generated cohort.
    #[test]
    fn generated_cohorts_survive_one_mutation(shape in shape(), change in mutation(), pretty in any::<bool>()) {
        let base = build_cohort(&shape);
        let text = serde_json::to_vec(&base).expect("JSON");
        if let Err(error) = Cohort::from_slice(&text) {
            return Err(TestCaseError::fail(format!("the generated cohort is refused: {error}\n{base}")));
        }
        let mut doc = Doc::new(base);
        let expect = apply(&mut doc, &change);
        run_case(doc.bytes(pretty), expect)?;
    }

    /// One mutation of the bundled design pilot (byte edits also on the
    /// file as written).
    #[test]
    fn the_pilot_survives_one_mutation(change in mutation(), pretty in any::<bool>(), as_written in any::<bool>()) {
        let mut doc = Doc::new(pilot_value());
        let expect = apply(&mut doc, &change);
        let bytes = match change {
            Mutation::Truncate { .. } | Mutation::BadUtf8 { .. } if as_written => doc.edit_bytes(PILOT.as_bytes().to_vec()),
            _ => doc.bytes(pretty),
        };
        run_case(bytes, expect)?;
    }

    /// Several mutations at once, of either base: any error must still say
    /// where it is, and anything that reads must match validly.
    #[test]
    fn several_mutations_never_panic(shape in option::of(shape()), changes in vec(mutation(), 2..=5), pretty in any::<bool>()) {
        let base = shape.as_ref().map_or_else(pilot_value, build_cohort);
        let mut doc = Doc::new(base);
        for change in &changes {
            apply(&mut doc, change);
        }
        run_case(doc.bytes(pretty), Expect::Located)?;
    }
}

// ---- known cases -----------------------------------------------------------

fn small() -> Value {
    json!({
        "questionnaire": {
            "topics": [{"id": "rust", "label": "Rust"}, {"id": "sql"}],
            "goals": [{"id": "career", "label": "Career"}]
        },
        "participants": [
            {"id": "ana", "role": "mentor", "offers": {"rust": 5}, "capacity": 2},
            {"id": "olu", "role": "both", "offers": {"sql": 4}, "seeks": {"rust": 3}},
            {"id": "ben", "role": "mentee", "seeks": {"sql": 4}, "goals": {"career": 2}}
        ],
        "history": [{"mentor": "ana", "mentee": "ben", "round": "spring"}],
        "pinned": [{"mentor": "ana", "mentee": "olu"}],
        "rules": {"forbid_repeat": false},
        "weights": {"skills": 1.0}
    })
}

fn read(value: &Value) -> Result<Cohort, Error> {
    Cohort::from_slice(&serde_json::to_vec(value).expect("JSON"))
}

fn read_error(value: &Value) -> Error {
    read(value).expect_err("the cohort must be refused")
}

#[test]
fn the_known_cases_read() {
    let cohort = read(&small()).expect("valid");
    check_cohort(&cohort).expect("valid matching");
    let pilot = Cohort::from_slice(PILOT.as_bytes()).expect("valid");
    check_cohort(&pilot).expect("valid matching");
}

#[test]
fn a_misspelt_capacity_suggests_capacity() {
    let mut cohort = small();
    let ana = cohort["participants"][0].as_object_mut().expect("object");
    let capacity = ana.remove("capacity").expect("given");
    ana.insert("capacty".into(), capacity);
    let error = read_error(&cohort);
    assert!(
        matches!(&error, Error::UnknownField { at: Location::Participant(id), field, suggestion: Some(s) }
            if id == "ana" && field == "capacty" && s == "capacity"),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("participant \"ana\""), "{message}");
    assert!(
        message.contains("`capacty`") && message.contains("did you mean `capacity`?"),
        "{message}"
    );
}

#[test]
fn a_misspelt_id_is_reported_as_a_misspelling() {
    let mut cohort = small();
    let ben = cohort["participants"][2].as_object_mut().expect("object");
    let id = ben.remove("id").expect("given");
    ben.insert("Id".into(), id);
    let message = read_error(&cohort).to_string();
    assert!(
        message.starts_with("participant #2: unknown field `Id`"),
        "{message}"
    );
    assert!(message.contains("did you mean `id`?"), "{message}");
}

#[test]
fn unknown_fields_are_errors_everywhere() {
    let cases: [(&str, Location, &str); 10] = [
        ("", Location::Cohort, "objectives"),
        ("/questionnaire", Location::Questionnaire, "topic"),
        (
            "/questionnaire/topics/1",
            Location::Questionnaire,
            "topics[1].lable",
        ),
        (
            "/questionnaire/goals/0",
            Location::Questionnaire,
            "goals[0].description",
        ),
        (
            "/participants/1",
            Location::Participant("olu".into()),
            "hours",
        ),
        ("/history/0", Location::History(0), "season"),
        ("/pinned/0", Location::Pinned(0), "mentors"),
        ("/rules", Location::Rules, "forbid_repeats"),
        ("/weights", Location::Weights, "skill"),
        ("/rules", Location::Rules, "min-score"),
    ];
    for (pointer, location, field) in cases {
        let mut cohort = small();
        let key = field.rsplit('.').next().expect("a key");
        cohort
            .pointer_mut(pointer)
            .and_then(Value::as_object_mut)
            .expect("an object")
            .insert(key.into(), json!(true));
        let error = read_error(&cohort);
        assert!(
            matches!(&error, Error::UnknownField { at, field: f, .. } if *at == location && f == field),
            "{pointer}: {error:?}"
        );
        assert!(
            error.to_string().starts_with(&location.to_string()),
            "{error}"
        );
    }
}

#[test]
fn near_misses_are_suggested() {
    for (pointer, wrong, right) in [
        ("", "participant", "participants"),
        ("/rules", "forbid_repeats", "forbid_repeat"),
        ("/weights", "skill", "skills"),
        ("/pinned/0", "mentors", "mentor"),
        ("/history/0", "rounds", "round"),
        ("/participants/0", "Offers", "offers"),
        ("/participants/0", "hours_per_mnth", "hours_per_month"),
    ] {
        let mut cohort = small();
        cohort
            .pointer_mut(pointer)
            .and_then(Value::as_object_mut)
            .expect("an object")
            .insert(wrong.into(), json!(1));
        let message = read_error(&cohort).to_string();
        assert!(
            message.contains(&format!("did you mean `{right}`?")),
            "{pointer}: {message}"
        );
    }
}

#[test]
fn deep_nesting_is_a_syntax_error_not_a_stack_overflow() {
    let depth = 100_000;
    let texts = [
        "[".repeat(depth) + &"]".repeat(depth),
        "[".repeat(depth),
        "{\"a\":".repeat(depth) + "1" + &"}".repeat(depth),
        format!(
            "{{\"questionnaire\": {{\"topics\": {}{}}}, \"participants\": []}}",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    ];
    for text in texts {
        let error = guarded(move || Ok(Cohort::from_slice(text.as_bytes()))).expect("no crash");
        let error = error.expect_err("too deep");
        assert!(matches!(error, Error::Syntax { line: 1, .. }), "{error:?}");
        assert!(error.to_string().contains("column"), "{error}");
    }
}

#[test]
fn every_cut_of_a_cohort_is_a_syntax_error() {
    let small = serde_json::to_string_pretty(&small())
        .expect("JSON")
        .replace("sql", "sqł-データ");
    for text in [PILOT, &small] {
        let end = text.trim_end().len();
        for cut in 0..end {
            let error = Cohort::from_slice(&text.as_bytes()[..cut]).expect_err("a cut cohort");
            let message = error.to_string();
            assert!(
                matches!(error, Error::Syntax { .. })
                    && message.contains("line ")
                    && message.contains("column "),
                "cut at {cut}: {message}"
            );
        }
    }
}

#[test]
fn bytes_that_are_not_utf8_are_syntax_errors_on_their_line() {
    for bad in BAD_UTF8 {
        for at in (0..=PILOT.len()).step_by(7) {
            let mut bytes = PILOT.as_bytes().to_vec();
            bytes.splice(at..at, bad.iter().copied());
            let error = Cohort::from_slice(&bytes).expect_err("not UTF-8");
            let line = PILOT.as_bytes()[..at].split(|&b| b == b'\n').count();
            assert!(
                matches!(error, Error::Syntax { line: l, .. } if l == line),
                "{bad:x?} at byte {at} (line {line}): {error}"
            );
        }
    }
}

#[test]
fn huge_and_fractional_numbers_are_out_of_range() {
    let cases = [
        ("/participants/0/capacity", "18446744073709551616"),
        ("/participants/0/capacity", "-1"),
        ("/participants/0/capacity", "1.0"),
        ("/participants/0/capacity", "-9223372036854775809"),
        ("/participants/0/offers/rust", "1e308"),
        ("/participants/0/offers/rust", "4.5"),
        ("/participants/0/offers/rust", "0"),
        ("/participants/0/offers/rust", "6"),
        ("/participants/2/seeks/sql", "18446744073709551615"),
        ("/participants/1/level/rust", "-1"),
        ("/participants/2/goals/career", "0"),
        ("/participants/2/seniority", "9223372036854775808"),
        ("/participants/2/seniority", "-9223372036854775809"),
        ("/participants/2/seniority", "2.0"),
        ("/participants/2/hours_per_month", "0"),
        ("/participants/2/hours_per_month", "-1e308"),
        ("/rules/min_score", "1e308"),
        ("/rules/min_score", "-0.5"),
        ("/weights/skills", "-1e308"),
    ];
    for (pointer, raw) in cases {
        let mut cohort = small();
        let mut slot = &mut cohort;
        for step in pointer.split('/').skip(1) {
            slot = match step.parse::<usize>() {
                Ok(i) => &mut slot[i],
                Err(_) => key(slot, step),
            };
        }
        *slot = json!("@@raw@@");
        let field = pointer.rsplit('/').next().expect("a field");
        let text = serde_json::to_string(&cohort)
            .expect("JSON")
            .replace("\"@@raw@@\"", raw);
        let error = Cohort::from_slice(text.as_bytes()).expect_err(pointer);
        assert!(
            matches!(error, Error::OutOfRange { .. }),
            "{pointer} = {raw}: {error:?}"
        );
        let message = error.to_string();
        assert!(message.contains(field), "{pointer} = {raw}: {message}");
    }
    // Big but valid.
    let mut cohort = small();
    cohort["participants"][2]["hours_per_month"] = json!(1e308);
    cohort["participants"][1]["hours_per_month"] = json!(5e-324);
    cohort["participants"][0]["capacity"] = json!(u64::MAX);
    cohort["participants"][0]["seniority"] = json!(i64::MIN);
    cohort["participants"][2]["seniority"] = json!(i64::MAX);
    check_cohort(&read(&cohort).expect("valid")).expect("valid matching");
}

#[test]
fn bad_references_name_the_participant_and_field() {
    let cases: [(&str, Value, &str); 9] = [
        ("manager", json!("ana"), "SelfReference"),
        ("prefers", json!(["ben", "ana"]), "SelfReference"),
        ("avoids", json!(["ana"]), "SelfReference"),
        ("manager", json!("Ben"), "UnknownParticipant"),
        ("prefers", json!(["nobody"]), "UnknownParticipant"),
        ("avoids", json!([""]), "EmptyId"),
        ("manager", json!(3), "WrongType"),
        ("prefers", json!("ben"), "WrongType"),
        ("avoids", json!([null]), "WrongType"),
    ];
    for (field, value, kind) in cases {
        let mut cohort = small();
        cohort["participants"][0][field] = value.clone();
        let error = read_error(&cohort);
        assert!(
            format!("{error:?}").starts_with(kind),
            "{field} = {value}: {error:?}"
        );
        let message = error.to_string();
        assert!(
            message.starts_with("participant \"ana\"") && message.contains(field),
            "{message}"
        );
    }
}

#[test]
fn bad_ids_are_errors() {
    let mut duplicate = small();
    duplicate["participants"][2]["id"] = json!("ana");
    assert!(matches!(read_error(&duplicate), Error::DuplicateId { id, .. } if id == "ana"));
    let mut empty = small();
    empty["participants"][1]["id"] = json!("");
    assert_eq!(
        read_error(&empty).to_string(),
        "participant #1: field `id` must be a non-empty id"
    );
    let mut topics = small();
    topics["questionnaire"]["topics"][1]["id"] = json!("rust");
    assert!(matches!(
        read_error(&topics),
        Error::DuplicateId {
            at: Location::Questionnaire,
            ..
        }
    ));
    let mut no_topics = small();
    no_topics["questionnaire"]["topics"] = json!([]);
    let message = read_error(&no_topics).to_string();
    assert!(
        message.starts_with("questionnaire: field `topics`"),
        "{message}"
    );
    let mut dangling = small();
    dangling["participants"]
        .as_array_mut()
        .expect("list")
        .remove(2);
    dangling["participants"][0]["prefers"] = json!(["ben"]);
    let message = read_error(&dangling).to_string();
    assert!(
        message.contains("participant \"ana\"")
            && message.contains("`prefers`")
            && message.contains("\"ben\""),
        "{message}"
    );
}

#[test]
fn conflicting_pins_are_errors() {
    let pins = [
        (
            json!([{"mentor": "ana", "mentee": "olu"}, {"mentor": "olu", "mentee": "olu"}]),
            "pinned[1]",
            "own mentor",
        ),
        (
            json!([{"mentor": "ana", "mentee": "olu"}, {"mentor": "ana", "mentee": "olu"}]),
            "pinned[1]",
            "again",
        ),
        (
            json!([{"mentor": "ana", "mentee": "olu"}, {"mentor": "ana", "mentee": "ben"}]),
            "pinned[1]",
            "capacity of 1",
        ),
        (
            json!([{"mentor": "olu", "mentee": "ben"}, {"mentor": "olu", "mentee": "ana"}]),
            "pinned[1]",
            "mentee",
        ),
        (
            json!([{"mentor": "ben", "mentee": "olu"}]),
            "pinned[0]",
            "mentor",
        ),
        (
            json!([{"mentor": "ana", "mentee": "nobody"}]),
            "pinned[0]",
            "nobody",
        ),
        (
            json!([{"mentor": "", "mentee": "ben"}]),
            "pinned[0]",
            "mentor",
        ),
        (json!([{"mentee": "ben"}]), "pinned[0]", "mentor"),
        (
            json!([{"mentor": "ana", "mentee": 1}]),
            "pinned[0]",
            "mentee",
        ),
        (json!(["ana", "ben"]), "pinned[0]", "object"),
    ];
    for (mut list, place, word) in pins {
        let mut cohort = small();
        if place == "pinned[1]" && word == "capacity of 1" {
            cohort["participants"][0]["capacity"] = json!(1);
        }
        if word == "own mentor" {
            // olu is `both`: pinning them to themself is the self pair.
            list[0] = json!({"mentor": "ana", "mentee": "ben"});
        }
        cohort["pinned"] = list;
        let message = read_error(&cohort).to_string();
        assert!(
            message.contains(place) && message.contains(word),
            "{message}"
        );
    }
    let mut zero = small();
    zero["participants"][0]["capacity"] = json!(0);
    let message = read_error(&zero).to_string();
    assert!(
        message.starts_with("pinned[0]") && message.contains("capacity of 0"),
        "{message}"
    );
}

#[test]
fn a_pin_that_breaks_rules_is_kept_and_reported() {
    let mut cohort = small();
    cohort["participants"][1]["avoids"] = json!(["ana"]);
    let cohort = read(&cohort).expect("valid");
    let matching = cohort.matcher().solve().expect("solves");
    let pair = matching.pair_of("olu").expect("pinned pair kept");
    assert!(pair.is_pinned());
    assert_eq!(
        pair.broken_rules()
            .iter()
            .map(|r| r.name())
            .collect::<Vec<_>>(),
        ["avoids"]
    );
    check_cohort(&cohort).expect("valid matching");
}

/// A copy-pasted line inside an object (`"capacity": 3, "capacity": 0`)
/// must not silently keep the last value: it is an error with its position.
#[test]
fn duplicate_keys_are_errors() {
    for text in [
        r#"{"questionnaire": {"topics": [{"id": "rust"}]}, "participants": [
            {"id": "ana", "role": "mentor", "offers": {"rust": 5}, "capacity": 3, "capacity": 0}]}"#,
        r#"{"questionnaire": {"topics": [{"id": "rust"}]}, "participants": [
            {"id": "ben", "role": "mentee", "seeks": {"rust": 5, "rust": 1}}]}"#,
    ] {
        let error = Cohort::from_slice(text.as_bytes()).expect_err("a duplicate key");
        let message = error.to_string();
        assert!(
            message.contains("line ") || message.contains("participant"),
            "{message}"
        );
    }
}

/// Weights that are each finite but sum past `f64::MAX` would make every
/// score NaN (inf / inf): they are refused, or give real scores.
#[test]
fn weights_near_f64_max_give_real_scores() {
    let mut cohort = small();
    cohort["weights"] =
        json!({"skills": 1e308, "goals": 1e308, "availability": 1e308, "preference": 1e308});
    match read(&cohort) {
        Err(error) => assert!(error.to_string().starts_with("weights"), "{error}"),
        Ok(cohort) => {
            let matching = cohort.matcher().solve().expect("solves");
            for pair in matching.pairs() {
                assert!(
                    (0.0..=1.0).contains(&pair.score()),
                    "{}: {}",
                    pair.mentee(),
                    pair.score()
                );
            }
            assert!(matching.total_score().is_finite());
        }
    }
}
