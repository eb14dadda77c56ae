//! Writes the cohorts of the fairness benchmark as cohort files.
//!
//! ```text
//! cargo run --release --example fairness_cohorts -- random N FILE [SEED]
//! cargo run --release --example fairness_cohorts -- paths N FILE [SEED]
//! cargo run --release --example fairness_cohorts -- fine N FILE [SEED]
//! ```
//!
//! Both families have `N` mentors (capacity 1) and `N` mentees, default rules
//! and weights, and come from a seeded generator (`SplitMix64`, seed 1 by
//! default), so the same arguments always give the same file.
//!
//! - `random`: one topic `a` (every mentor offers it at 5, every mentee seeks
//!   it at 5) and `hours_per_month` drawn uniformly from 1..=10 on both sides.
//!   A pair scores `0.5 + 0.1 · availability`: few distinct scores, every
//!   pair feasible.
//! - `fine`: as `random`, with hours drawn from 1.00..=10.00 in steps of 0.01,
//!   so that pairs above a threshold form a narrow band of hours.
//! - `paths`: built to make augmenting paths long. A tenth of the mentors
//!   are *exit* mentors offering topic `b`; the others, *core* mentors, offer
//!   `a`. The first nine tenths of the mentees seek `a` at level 4 (a pair
//!   with a core mentor scores `0.1 + 0.1 · availability`, and exit mentors
//!   are infeasible for them); the last tenth seek both `a` and `b` (any pair
//!   scores `0.25 + 0.1 · availability`). Hours are drawn from 1.00..=10.00
//!   in steps of 0.01 on both sides. Every mentee can be matched only if the
//!   last mentees take the exits, and the fairness optimum is then set by the
//!   core alone: near it a core mentee may only take a core mentor of almost
//!   the same hours, a narrow band, so a mentee left out at one end of the
//!   band reaches an exit only by shifting mentees all along it.

use std::process::ExitCode;

use serde_json::{Value, json};

const USAGE: &str = "usage: fairness_cohorts random|fine|paths N FILE [SEED]";

#[path = "../benches/support/random.rs"]
#[allow(dead_code)] // the example takes part of it
mod random;
use random::SplitMix64;

fn random(n: usize, rng: &mut SplitMix64, fine: bool) -> Value {
    let mut hours = || {
        if fine {
            json!((100 + rng.below(901)) as f64 / 100.0)
        } else {
            json!(1 + rng.below(10))
        }
    };
    let mut participants = Vec::with_capacity(2 * n);
    for i in 0..n {
        participants.push(json!({
            "id": format!("mentor-{i}"), "role": "mentor",
            "offers": {"a": 5}, "hours_per_month": hours(),
        }));
    }
    for i in 0..n {
        participants.push(json!({
            "id": format!("mentee-{i}"), "role": "mentee",
            "seeks": {"a": 5}, "hours_per_month": hours(),
        }));
    }
    json!({
        "name": format!("fairness benchmark: random, {n} per side"),
        "questionnaire": {"topics": [{"id": "a", "label": "A"}]},
        "participants": participants,
    })
}

fn paths(n: usize, rng: &mut SplitMix64) -> Value {
    let exits = n / 10;
    let mut hours = || (100 + rng.below(901)) as f64 / 100.0;
    let mut participants = Vec::with_capacity(2 * n);
    for i in 0..n {
        let offers = if i < n - exits {
            json!({"a": 5})
        } else {
            json!({"b": 5})
        };
        participants.push(json!({
            "id": format!("mentor-{i}"), "role": "mentor",
            "offers": offers, "hours_per_month": hours(),
        }));
    }
    for i in 0..n {
        let mut mentee = json!({
            "id": format!("mentee-{i}"), "role": "mentee", "hours_per_month": hours(),
        });
        if i < n - exits {
            mentee["seeks"] = json!({"a": 5});
            mentee["level"] = json!({"a": 4});
        } else {
            mentee["seeks"] = json!({"a": 5, "b": 5});
        }
        participants.push(mentee);
    }
    json!({
        "name": format!("fairness benchmark: long paths, {n} per side"),
        "questionnaire": {"topics": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]},
        "participants": participants,
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(family), Some(n), Some(file)) = (args.first(), args.get(1), args.get(2)) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("fairness_cohorts: not a size: {n}\n{USAGE}");
        return ExitCode::from(2);
    };
    let seed = match args.get(3).map(|seed| seed.parse::<u64>()) {
        None => 1,
        Some(Ok(seed)) => seed,
        Some(Err(_)) => {
            eprintln!("fairness_cohorts: not a seed: {}\n{USAGE}", args[3]);
            return ExitCode::from(2);
        }
    };
    let mut rng = SplitMix64(seed);
    let cohort = match family.as_str() {
        "random" => random(n, &mut rng, false),
        "fine" => random(n, &mut rng, true),
        "paths" => paths(n, &mut rng),
        other => {
            eprintln!("fairness_cohorts: unknown family {other:?}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match std::fs::write(file, cohort.to_string()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("fairness_cohorts: cannot write {file}: {error}");
            ExitCode::FAILURE
        }
    }
}
