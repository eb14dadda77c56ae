//! What the test targets share: the names the specification gives to the
//! fields of a cohort file, every objective and solver, the bundled pilot
//! cohort, the number of property cases, and a watchdog that turns a hang or
//! a panic into a failure with a message ([`watchdog`]), small JSON
//! builders for cohort files ([`build`]), and the command-line examples built
//! for the test that runs them ([`examples`]).
//!
//! The names are written out here on purpose rather than read from the
//! crate: a test that restates the specification catches a renamed field.

// Each test target uses only part of this module.
#![allow(dead_code)]

pub mod build;
pub mod examples;
pub mod watchdog;

use mentor_match::{Cohort, Matcher, Matching, Objective, Solver};
use serde_json::Value;

/// The top-level fields of a cohort file.
pub const COHORT_FIELDS: [&str; 8] = [
    "name",
    "questionnaire",
    "participants",
    "history",
    "pinned",
    "rules",
    "weights",
    "objective",
];

/// The fields of a participant.
pub const PARTICIPANT_FIELDS: [&str; 18] = [
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
    "slots",
    "utc_offset",
    "mentors_wanted",
];

/// The fields of a questionnaire meeting slot.
pub const SLOT_FIELDS: [&str; 5] = ["id", "label", "day", "start", "end"];

/// The participant fields that are answer maps (`{topic or goal id: answer}`).
pub const ANSWER_FIELDS: [&str; 4] = ["offers", "seeks", "level", "goals"];

/// The fields of `rules`, in the order the specification checks them.
pub const RULE_FIELDS: [&str; 8] = [
    "forbid_repeat",
    "forbid_manager",
    "forbid_same_team",
    "require_shared_language",
    "min_common_hours",
    "require_topic_overlap",
    "require_senior_mentor",
    "min_score",
];

/// The rules of [`RULE_FIELDS`] that are switched on or off, in order.
pub const SWITCH_RULES: [&str; 6] = [
    "forbid_repeat",
    "forbid_manager",
    "forbid_same_team",
    "require_shared_language",
    "require_topic_overlap",
    "require_senior_mentor",
];

/// The rules of [`RULE_FIELDS`] that hold a number, with their defaults.
pub const LIMIT_RULES: [(&str, f64); 2] = [("min_common_hours", 1.0), ("min_score", 0.0)];

/// The rules that always hold, checked before [`RULE_FIELDS`]: nobody
/// mentors themself, and nobody is paired with someone they avoid.
pub const FIXED_RULES: [&str; 2] = ["self", "avoids"];

/// The fields of `weights`, in the order of the score's components.
pub const WEIGHT_FIELDS: [&str; 5] = ["skills", "goals", "availability", "preference", "schedule"];

/// The default weight of each of [`WEIGHT_FIELDS`] in a cohort whose
/// questionnaire has meeting slots; see [`default_weights`].
pub const DEFAULT_WEIGHTS: [f64; 5] = [0.5, 0.3, 0.1, 0.1, 0.1];

/// The default weights: `schedule` is 0.1 when the questionnaire lists
/// meeting slots and 0 when it lists none.
pub fn default_weights(has_slots: bool) -> [f64; 5] {
    let mut weights = DEFAULT_WEIGHTS;
    if !has_slots {
        weights[4] = 0.0;
    }
    weights
}

/// The names `objective` takes.
pub const OBJECTIVE_NAMES: [&str; 3] = ["total", "coverage", "fairness"];

/// Every objective.
pub const OBJECTIVES: [Objective; 3] = [Objective::Total, Objective::Coverage, Objective::Fairness];

/// Every solver.
pub const SOLVERS: [Solver; 2] = [Solver::JonkerVolgenant, Solver::Hungarian];

/// The bundled design pilot, as written.
pub const PILOT: &str = include_str!("../../examples/data/design-pilot.json");

/// The bundled design pilot, read.
pub fn pilot() -> Cohort {
    PILOT.parse().expect("the bundled cohort is valid")
}

/// The bundled design pilot as a JSON value.
pub fn pilot_value() -> Value {
    serde_json::from_str(PILOT).expect("the bundled cohort is JSON")
}

/// Weights that score skills only.
pub fn skills_only() -> Value {
    serde_json::json!({"skills": 1, "goals": 0, "availability": 0, "preference": 0})
}

/// The number of property cases: the environment variable `variable` when it
/// holds a number, otherwise `default`.
pub fn cases(variable: &str, default: u32) -> u32 {
    std::env::var(variable)
        .ok()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(default)
}

/// `cohort` solved under every objective with every solver.
///
/// # Panics
///
/// When a solve fails.
pub fn every_matching(cohort: &Cohort) -> Vec<(Objective, Solver, Matching)> {
    every_matching_with(cohort, |matcher| matcher)
}

/// `cohort` solved under every objective with every solver, each matcher
/// first given the `settings`.
///
/// # Panics
///
/// When a solve fails.
pub fn every_matching_with<'c>(
    cohort: &'c Cohort,
    settings: impl Fn(Matcher<'c>) -> Matcher<'c>,
) -> Vec<(Objective, Solver, Matching)> {
    let mut all = Vec::new();
    for objective in OBJECTIVES {
        for solver in SOLVERS {
            let matching = settings(cohort.matcher().objective(objective).solver(solver))
                .solve()
                .unwrap_or_else(|e| panic!("{objective} with {solver:?}: {e}"));
            all.push((objective, solver, matching));
        }
    }
    all
}
