//! A cohort file being edited: its JSON value, raw texts spliced in where a
//! value goes, and byte edits made after it is written out.

use proptest::sample::Index;
use serde_json::{Value, json};

use crate::junk::Junk;

/// A cohort file being mutated: its value, raw texts to splice in, and byte
/// edits to make after serialising.
pub struct Doc {
    pub value: Value,
    pub raws: Vec<String>,
    pub truncate: Option<Index>,
    pub inserts: Vec<(Index, &'static [u8])>,
}

impl Doc {
    pub fn new(value: Value) -> Doc {
        Doc {
            value,
            raws: Vec::new(),
            truncate: None,
            inserts: Vec::new(),
        }
    }

    /// A placeholder that [`Doc::bytes`] replaces by `junk`'s raw text.
    pub fn place(&mut self, junk: &Junk) -> Value {
        self.raws.push(junk.raw.clone());
        Value::String(format!("@@raw{}@@", self.raws.len() - 1))
    }

    pub fn bytes(&self, pretty: bool) -> Vec<u8> {
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

    pub fn edit_bytes(&self, mut bytes: Vec<u8>) -> Vec<u8> {
        for &(at, insert) in &self.inserts {
            let at = at.index(bytes.len() + 1);
            bytes.splice(at..at, insert.iter().copied());
        }
        if let Some(at) = self.truncate {
            bytes.truncate(at.index(bytes.len().max(1)));
        }
        bytes
    }

    pub fn people(&self) -> &[Value] {
        self.value["participants"]
            .as_array()
            .map_or(&[], Vec::as_slice)
    }

    pub fn people_mut(&mut self) -> Option<&mut Vec<Value>> {
        self.value
            .get_mut("participants")
            .and_then(Value::as_array_mut)
    }

    pub fn ids(&self) -> Vec<String> {
        self.people()
            .iter()
            .filter_map(|p| p["id"].as_str().map(str::to_owned))
            .collect()
    }

    pub fn item_ids(&self, list: &str) -> Vec<String> {
        self.value["questionnaire"][list]
            .as_array()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|item| item["id"].as_str().map(str::to_owned))
            .collect()
    }

    pub fn pins(&self) -> Vec<(String, String)> {
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
    pub fn referenced(&self, id: &str) -> bool {
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

    /// Whether a participant's answers in `fields` (answer maps, or lists
    /// such as `slots`) use the id `answer`.
    pub fn answered(&self, fields: &[&str], answer: &str) -> bool {
        self.people().iter().any(|p| {
            fields.iter().any(|f| match &p[*f] {
                Value::Object(map) => map.contains_key(answer),
                Value::Array(list) => list.iter().any(|x| x.as_str() == Some(answer)),
                _ => false,
            })
        })
    }

    pub fn push(&mut self, list: &str, entry: Value) -> usize {
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
pub struct Who {
    pub index: usize,
    pub id: String,
    pub role: String,
    /// `participant "id"`, as errors name it.
    pub place: String,
    /// `participant #index`.
    pub anonymous: String,
}

impl Who {
    pub fn mentors(&self) -> bool {
        self.role != "mentee"
    }

    pub fn is_mentored(&self) -> bool {
        self.role != "mentor"
    }
}

/// The participant `pick` chooses, if there is anyone.
pub fn who(doc: &Doc, pick: Index) -> Option<Who> {
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
pub fn key<'a>(value: &'a mut Value, name: &str) -> &'a mut Value {
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
pub fn entry_mut(doc: &mut Doc, index: usize) -> &mut Value {
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

/// A mentor's capacity as written (1 when not given).
pub fn capacity_of(entry: &Value) -> u64 {
    entry["capacity"].as_u64().unwrap_or(1)
}
