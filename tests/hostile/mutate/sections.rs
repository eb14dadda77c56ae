//! Mutations of the other sections: the questionnaire, top-level fields,
//! rules, weights, history and pinned pairs.

use proptest::sample::Index;
use serde_json::{Map, Value, json};

use crate::doc::{Doc, capacity_of, entry_mut, key, who};
use crate::expect::{Expect, Invalid, Unknown, Valid, Validity, at, junk_expect, valid_if};
use crate::junk::junk;
use crate::support::{COHORT_FIELDS, OBJECTIVE_NAMES, RULE_FIELDS, WEIGHT_FIELDS, default_weights};

/// The items of `list` in the questionnaire, made a list if it is not one.
fn items_mut<'a>(doc: &'a mut Doc, list: &str) -> &'a mut Vec<Value> {
    let items = key(key(&mut doc.value, "questionnaire"), list);
    if !items.is_array() {
        *items = json!([]);
    }
    items.as_array_mut().expect("a list")
}

pub fn questionnaire(
    doc: &mut Doc,
    how: Index,
    item: Index,
    junk_pick: Index,
    field: Index,
) -> Expect {
    let list = ["topics", "goals", "slots"][item.index(3)];
    let ids = doc.item_ids(list);
    let answer_fields: &[&str] = match list {
        "goals" => &["goals"],
        "slots" => &["slots"],
        _ => &["offers", "seeks", "level"],
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
            at(places, &fields, valid_if(list != "topics" && !used))
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
            let fields = if list == "slots" {
                &["label", "day", "start", "end"][..]
            } else {
                &["label"][..]
            };
            let field = fields[field.index(fields.len())];
            let slot = doc.value["questionnaire"][list][with_ids[i]].clone();
            let validity = |v: &Value| slot_field_validity(&slot, field, v);
            let expect = junk_expect(&junk, &["questionnaire"], &[list, field], validity);
            let placeholder = doc.place(&junk);
            *key(&mut items_mut(doc, list)[with_ids[i]], field) = placeholder;
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

/// Whether `value` is acceptable as `field` of a questionnaire item whose
/// other fields are as in `item` (a meeting slot's `day`, `start`, `end`).
fn slot_field_validity(item: &Value, field: &str, value: &Value) -> Validity {
    let quarter = |h: f64| (h * 4.0).fract() == 0.0;
    let hours = |name: &str| {
        if name == field {
            value.as_f64()
        } else {
            item[name].as_f64()
        }
    };
    match field {
        "label" => valid_if(value.is_null() || value.is_string()),
        "day" => valid_if(value.as_u64().is_some_and(|d| d <= 6)),
        _ => match (hours("start"), hours("end")) {
            (Some(start), Some(end)) => valid_if(
                quarter(start) && quarter(end) && 0.0 <= start && start < end && end <= 24.0,
            ),
            _ => Invalid,
        },
    }
}

pub fn top(doc: &mut Doc, field: Index, junk_pick: Index) -> Expect {
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
        _ => valid_if(v.is_null() || OBJECTIVE_NAMES.contains(&v.as_str().unwrap_or_default())),
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

pub fn rule(doc: &mut Doc, key: Index, junk_pick: Index) -> Expect {
    let key = RULE_FIELDS[key.index(RULE_FIELDS.len())];
    let junk = junk(junk_pick);
    let validity = |v: &Value| match key {
        "min_score" => {
            valid_if(v.is_null() || v.as_f64().is_some_and(|s| (0.0..=1.0).contains(&s)))
        }
        "min_common_hours" => {
            valid_if(v.is_null() || v.as_f64().is_some_and(|h| h.is_finite() && h >= 0.0))
        }
        _ => valid_if(v.is_null() || v.is_boolean()),
    };
    let expect = junk_expect(&junk, &["rules"], &[key], validity);
    let placeholder = doc.place(&junk);
    if !doc.value["rules"].is_object() {
        doc.value["rules"] = json!({});
    }
    doc.value["rules"][key] = placeholder;
    expect
}

pub fn weight(doc: &mut Doc, key: Index, junk_pick: Index) -> Expect {
    let key = WEIGHT_FIELDS[key.index(WEIGHT_FIELDS.len())];
    let junk = junk(junk_pick);
    let mut others = 0.0;
    let defaults = default_weights(!doc.item_ids("slots").is_empty());
    for (name, default) in WEIGHT_FIELDS.iter().zip(defaults) {
        if *name != key {
            others += doc.value["weights"][name].as_f64().unwrap_or(default);
        }
    }
    let validity = |v: &Value| match v {
        Value::Null => Unknown,
        _ => v.as_f64().map_or(Invalid, |w| {
            valid_if(w.is_finite() && w >= 0.0 && w + others > 0.0 && (w + others).is_finite())
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

pub fn history(doc: &mut Doc, how: Index, junk_pick: Index, pick: Index) -> Expect {
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

pub fn pin(doc: &mut Doc, how: Index, a: Index, b: Index) -> Expect {
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
