//! The same answer every time: for the same cohort, the result JSON and the
//! score matrix JSON are byte-identical across repeated runs and across rayon
//! thread counts (1, 2 and 7), for every objective, on cohorts of a few
//! hundred participants per side full of ties.

mod support;

use mentor_match::{Cohort, Solver};
use serde_json::{Value, json};

use support::{OBJECTIVES, pilot_value};

const THREADS: [usize; 3] = [1, 2, 7];
const RUNS: usize = 2;

#[path = "../benches/support/random.rs"]
#[allow(dead_code)] // each user takes part of it
mod random;
use random::SplitMix64;

/// A cohort of `per_side` mentors and `per_side` mentees (a tenth of the
/// mentors on both sides) whose answers come from a handful of templates,
/// so that many pairs tie; with history, pins, preferences and rules.
fn generated(seed: u64, per_side: usize) -> Value {
    let mut rng = SplitMix64(seed);
    let offers = [
        json!({"rust": 5, "sql": 3}),
        json!({"rust": 3, "design": 4}),
        json!({"sql": 5}),
        json!({"design": 5, "research": 4, "rust": 1}),
    ];
    let seeks = [
        json!({"rust": 4}),
        json!({"sql": 3, "design": 2}),
        json!({"research": 5, "rust": 1}),
        json!({"design": 4, "sql": 4}),
    ];
    let goals = [
        json!({"career": 5}),
        json!({"career": 3, "craft": 3}),
        Value::Null,
    ];
    let hours = [json!(2), json!(4), Value::Null];
    let languages = [
        json!(["en"]),
        json!(["fi", "en"]),
        json!(["fi"]),
        Value::Null,
    ];
    let teams = [json!("web"), json!("data"), json!("design")];
    let mut people = Vec::new();
    for i in 0..per_side {
        let both = i % 10 == 9;
        let mut mentor = json!({
            "id": format!("mentor-{i:03}"),
            "role": if both { "both" } else { "mentor" },
            "offers": &offers[rng.index(offers.len())],
            "capacity": rng.index(3),
            "goals": &goals[rng.index(goals.len())],
            "hours_per_month": &hours[rng.index(hours.len())],
            "languages": &languages[rng.index(languages.len())],
            "team": &teams[rng.index(teams.len())],
            "seniority": 2 + rng.index(4),
        });
        if both {
            mentor["seeks"] = seeks[rng.index(seeks.len())].clone();
        }
        people.push(mentor);
    }
    for i in 0..per_side {
        let mut mentee = json!({
            "id": format!("mentee-{i:03}"),
            "role": "mentee",
            "seeks": &seeks[rng.index(seeks.len())],
            "level": {"rust": rng.index(3)},
            "goals": &goals[rng.index(goals.len())],
            "hours_per_month": &hours[rng.index(hours.len())],
            "languages": &languages[rng.index(languages.len())],
            "team": &teams[rng.index(teams.len())],
            "seniority": 1 + rng.index(3),
        });
        if rng.index(8) == 0 {
            mentee["prefers"] = json!([format!("mentor-{:03}", rng.index(per_side))]);
        }
        if rng.index(10) == 0 {
            mentee["manager"] = json!(format!("mentor-{:03}", rng.index(per_side)));
        }
        people.push(mentee);
    }
    let history: Vec<Value> = (0..per_side / 10)
        .map(|_| {
            json!({
                "mentor": format!("mentor-{:03}", rng.index(per_side)),
                "mentee": format!("mentee-{:03}", rng.index(per_side)),
            })
        })
        .collect();
    // Pins on mentors with capacity, each mentee once.
    let mut pinned = Vec::new();
    for k in 0..5 {
        let mentor = (0..per_side).find(|&m| {
            people[m]["capacity"].as_u64() > Some(0)
                && !pinned
                    .iter()
                    .any(|pin: &Value| pin["mentor"] == people[m]["id"])
                && m > k * 7
        });
        if let Some(mentor) = mentor {
            pinned.push(
                json!({"mentor": people[mentor]["id"], "mentee": format!("mentee-{:03}", k * 11)}),
            );
        }
    }
    json!({
        "questionnaire": {
            "topics": [{"id": "rust"}, {"id": "sql"}, {"id": "design"}, {"id": "research"}],
            "goals": [{"id": "career"}, {"id": "craft"}]
        },
        "participants": people,
        "history": history,
        "pinned": pinned,
        "rules": {"forbid_same_team": seed.is_multiple_of(2), "require_senior_mentor": true}
    })
}

/// `count` identical mentors (capacity 1) and `count` identical mentees:
/// every pair ties.
fn identical(count: usize) -> Value {
    let mut people: Vec<Value> = (0..count)
        .map(|i| json!({"id": format!("m{i}"), "role": "mentor", "offers": {"rust": 4}, "goals": {"career": 2}}))
        .collect();
    people.extend(
        (0..count).map(|i| json!({"id": format!("e{i}"), "role": "mentee", "seeks": {"rust": 3}, "goals": {"career": 2}})),
    );
    json!({
        "questionnaire": {"topics": [{"id": "rust"}], "goals": [{"id": "career"}]},
        "participants": people
    })
}

/// The score matrix JSON, then the result JSON of every objective (and of
/// coverage with the Hungarian solver).
fn outputs(cohort: &Cohort) -> Vec<String> {
    let mut all = vec![serde_json::to_string(&cohort.score_matrix()).expect("JSON")];
    for objective in OBJECTIVES {
        let matching = cohort
            .matcher()
            .objective(objective)
            .solve()
            .expect("solves");
        all.push(serde_json::to_string(&matching).expect("JSON"));
    }
    let hungarian = cohort
        .matcher()
        .solver(Solver::Hungarian)
        .solve()
        .expect("solves");
    all.push(serde_json::to_string(&hungarian).expect("JSON"));
    all
}

fn same_everywhere(name: &str, value: &Value) {
    let text = serde_json::to_vec(value).expect("JSON");
    let cohort = Cohort::from_slice(&text).expect("a valid cohort");
    let reference = outputs(&cohort);
    // The default pool first, then each thread count, each run twice.
    for threads in THREADS {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool");
        for run in 0..RUNS {
            let again = pool.install(|| {
                let cohort = Cohort::from_slice(&text).expect("a valid cohort");
                outputs(&cohort)
            });
            for (k, (expected, found)) in reference.iter().zip(&again).enumerate() {
                assert!(
                    expected == found,
                    "{name}: output {k} differs on {threads} threads, run {run}"
                );
            }
        }
    }
    // The matchings are real ones, not all empty.
    let coverage: Value = serde_json::from_str(&reference[2]).expect("JSON");
    assert!(
        coverage["matched"].as_u64() > Some(0),
        "{name}: nothing matched"
    );
}

#[test]
fn generated_cohorts_give_the_same_bytes_on_any_thread_count() {
    for seed in [1, 2] {
        same_everywhere(&format!("seed {seed}"), &generated(seed, 300));
    }
}

#[test]
fn a_cohort_of_identical_participants_gives_the_same_bytes_on_any_thread_count() {
    same_everywhere("identical", &identical(250));
}

#[test]
fn the_bundled_pilot_gives_the_same_bytes_on_any_thread_count() {
    same_everywhere("pilot", &pilot_value());
}
