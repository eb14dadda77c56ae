//! Mutations of keys: one the object does not know, or one misspelt.

use proptest::sample::Index;
use serde_json::Value;

use super::fallback;
use crate::doc::Doc;
use crate::expect::{Expect, Invalid, at, junk_expect};
use crate::junk::{UNKNOWN_KEYS, junk};
use crate::support::{
    ANSWER_FIELDS, COHORT_FIELDS, PARTICIPANT_FIELDS, RULE_FIELDS, SLOT_FIELDS, WEIGHT_FIELDS,
};

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
            owned(&["topics", "goals", "slots"]),
            None,
        ));
        for list in ["topics", "goals", "slots"] {
            let fields = if list == "slots" {
                &SLOT_FIELDS[..]
            } else {
                &["id", "label"][..]
            };
            for i in 0..doc.item_ids(list).len() {
                all.push(target(
                    format!("/questionnaire/{list}/{i}"),
                    "questionnaire".into(),
                    owned(fields),
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

pub fn unknown_key(doc: &mut Doc, target_pick: Index, which: Index, junk_pick: Index) -> Expect {
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

pub fn misspell(doc: &mut Doc, target_pick: Index, which: Index, edit: Index) -> Expect {
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
