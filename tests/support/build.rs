//! Small JSON builders for cohort files.

use std::fmt;

use proptest::sample::Index;
use serde_json::{Map, Value, json};

/// A cohort file a strategy generated; shown as its JSON text when a
/// property fails, so the shrunk case reads as a file.
#[derive(Clone)]
pub struct CohortFile(pub Value);

impl fmt::Debug for CohortFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// `{id: answer}` for the answers given, in questionnaire order.
pub fn answers<S: AsRef<str>>(ids: &[S], answers: &[Option<u8>]) -> Map<String, Value> {
    ids.iter()
        .zip(answers)
        .filter_map(|(id, answer)| answer.map(|a| (id.as_ref().to_owned(), json!(a))))
        .collect()
}

/// Questionnaire items (`topics` or `goals`) with these ids and labels.
pub fn items<S: AsRef<str>>(ids: &[S], label: impl Fn(&str) -> Option<String>) -> Vec<Value> {
    ids.iter()
        .map(|id| {
            let id = id.as_ref();
            match label(id) {
                Some(label) => json!({"id": id, "label": label}),
                None => json!({ "id": id }),
            }
        })
        .collect()
}

/// The pins `picks` choose among `mentors` and `mentees` (participant
/// positions), keeping only those that are valid together: each mentee
/// pinned once, no mentor over `capacity`, nobody pinned to themself.
pub fn valid_pins(
    mentors: &[usize],
    mentees: &[usize],
    capacity: impl Fn(usize) -> u64,
    picks: &[(Index, Index)],
) -> Vec<(usize, usize)> {
    let mut pins: Vec<(usize, usize)> = Vec::new();
    if mentors.is_empty() || mentees.is_empty() {
        return pins;
    }
    for &(a, b) in picks {
        let mentor = mentors[a.index(mentors.len())];
        let mentee = mentees[b.index(mentees.len())];
        let used = pins.iter().filter(|&&(m, _)| m == mentor).count() as u64;
        if mentor != mentee && pins.iter().all(|&(_, e)| e != mentee) && used < capacity(mentor) {
            pins.push((mentor, mentee));
        }
    }
    pins
}

/// `count` mentors with ids `mentor-0`, `mentor-1`, ..., the same offers and
/// capacity.
pub fn mentors(count: usize, offers: &Value, capacity: u64) -> Vec<Value> {
    (0..count)
        .map(|i| json!({"id": format!("mentor-{i}"), "role": "mentor", "offers": offers, "capacity": capacity}))
        .collect()
}

/// `count` mentees with ids `mentee-0`, `mentee-1`, ... and the same seeks.
pub fn mentees(count: usize, seeks: &Value) -> Vec<Value> {
    (0..count)
        .map(|i| json!({"id": format!("mentee-{i}"), "role": "mentee", "seeks": seeks}))
        .collect()
}
