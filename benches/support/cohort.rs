//! A seeded generator of realistic cohorts, shared by the benchmarks and the
//! `scale` example (included with `#[path]`).

use mentor_match::Cohort;
use serde_json::{Map, Value, json};

/// xorshift64*: small, seeded, and the same on every machine.
pub struct Random(u64);

impl Random {
    pub fn new(seed: u64) -> Random {
        Random(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).expect("below n, which is a usize")
    }
}

/// A cohort of `mentors` mentors and `mentees` mentees answering a
/// questionnaire of `topics` topics and `goals` goals: each mentor offers 2–4
/// topics, each mentee seeks 1–3 with a level on some, goals are sparse,
/// most people share a language, teams of about 20, capacities 1–2.
pub fn generate(mentors: usize, mentees: usize, topics: usize, goals: usize, seed: u64) -> Cohort {
    let mut r = Random::new(seed);
    let teams = (mentors + mentees).div_ceil(20).max(1);
    let answers = |r: &mut Random, most: usize, extra: usize, of: usize, prefix: &str, min: u64| {
        let mut map = Map::new();
        let count = most + r.below(extra + 1);
        for _ in 0..count {
            map.insert(
                format!("{prefix}{}", r.below(of)),
                json!(min + r.next() % (6 - min)),
            );
        }
        Value::Object(map)
    };
    let mut participants = Vec::with_capacity(mentors + mentees);
    for i in 0..mentors + mentees {
        let mentor = i < mentors;
        let languages = match r.below(10) {
            0 => json!(["fi"]),
            1 => json!(["sv", "en"]),
            _ => json!(["en", "fi"]),
        };
        let mut p = json!({
            "id": format!("{}{i}", if mentor { "mentor-" } else { "mentee-" }),
            "role": if mentor { "mentor" } else { "mentee" },
            "goals": answers(&mut r, 1, 2, goals, "g", 1),
            "hours_per_month": 1 + r.below(6),
            "languages": languages,
            "team": format!("team-{}", r.below(teams)),
            "seniority": r.below(6),
        });
        if mentor {
            p["offers"] = answers(&mut r, 2, 2, topics, "t", 1);
            p["capacity"] = json!(1 + r.below(2));
        } else {
            p["seeks"] = answers(&mut r, 1, 2, topics, "t", 1);
            p["level"] = answers(&mut r, 0, 1, topics, "t", 0);
        }
        participants.push(p);
    }
    let item = |prefix: &str, i: usize| json!({"id": format!("{prefix}{i}"), "label": format!("{prefix}{i}")});
    let file = json!({
        "questionnaire": {
            "topics": (0..topics).map(|t| item("t", t)).collect::<Vec<_>>(),
            "goals": (0..goals).map(|g| item("g", g)).collect::<Vec<_>>(),
        },
        "participants": participants,
    });
    Cohort::from_value(&file).expect("generated cohorts are valid")
}
