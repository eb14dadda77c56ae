//! Mutations of one participant: a field set to junk or removed, an answer,
//! a reference to someone, the id.

use proptest::sample::Index;
use serde_json::{Map, Value, json};

use super::fallback;
use crate::doc::{Doc, Who, entry_mut, key, who};
use crate::expect::{Expect, Invalid, Unknown, Valid, Validity, at, junk_expect, valid_if};
use crate::junk::{Junk, junk};
use crate::support::{ANSWER_FIELDS, PARTICIPANT_FIELDS};

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
        "slots" => {
            let slots = doc.item_ids("slots");
            valid_if(
                value.is_null()
                    || value.as_array().is_some_and(|chosen| {
                        chosen
                            .iter()
                            .all(|s| s.as_str().is_some_and(|s| slots.iter().any(|k| k == s)))
                    }),
            )
        }
        "utc_offset" => valid_if(
            value.is_null()
                || value
                    .as_f64()
                    .is_some_and(|h| (-12.0..=14.0).contains(&h) && (h * 4.0).fract() == 0.0),
        ),
        "mentors_wanted" if !who.is_mentored() => valid_if(value.is_null()),
        "mentors_wanted" => {
            let pinned = doc.pins().iter().filter(|(_, e)| *e == who.id).count() as u64;
            match value {
                Value::Null => valid_if(pinned <= 1),
                _ => value
                    .as_u64()
                    .map_or(Invalid, |w| valid_if(w >= 1 && pinned <= w)),
            }
        }
        _ => Unknown,
    }
}

pub fn participant_field(doc: &mut Doc, pick: Index, field: Index, junk_pick: Index) -> Expect {
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
            &[
                "role",
                "offers",
                "seeks",
                "capacity",
                "level",
                "mentors_wanted",
            ],
            validity,
        ),
        "capacity" | "mentors_wanted" => {
            junk_expect(&junk, &[&who.place, "pinned["], &[field], validity)
        }
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

pub fn remove_field(doc: &mut Doc, pick: Index, field: Index) -> Expect {
    let Some(who) = who(doc, pick) else {
        return fallback(doc);
    };
    let field = PARTICIPANT_FIELDS[field.index(PARTICIPANT_FIELDS.len())];
    let expect = if field == "id" {
        at(&[&who.anonymous], &["id"], Invalid)
    } else {
        let validity = participant_validity(doc, &who, field, &Value::Null);
        let places = if field == "capacity" || field == "mentors_wanted" {
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

pub fn answer(doc: &mut Doc, pick: Index, kind: Index, which: Index, junk_pick: Index) -> Expect {
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

pub fn reference(doc: &mut Doc, pick: Index, field: Index, target: Index, other: Index) -> Expect {
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

pub fn identity(doc: &mut Doc, pick: Index, how: Index, other: Index, junk_pick: Index) -> Expect {
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
