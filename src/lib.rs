//! Exact, explained mentor–mentee pairs from questionnaire answers.
//!
//! A cohort file (JSON) holds one round of a mentoring programme: the
//! questionnaire, every participant's answers, earlier rounds' pairs, pinned
//! pairs, rules and weights. The crate turns the answers into vectors, scores
//! every mentor–mentee pair in parallel, and solves the pairing exactly as an
//! assignment problem under one of three objectives, explaining each pair.
//!
//! ```
//! use mentor_match::{Cohort, Objective};
//!
//! let cohort: Cohort = r#"{
//!   "questionnaire": {
//!     "topics": [{"id": "rust", "label": "Rust"}, {"id": "sql", "label": "SQL"}],
//!     "goals": [{"id": "career", "label": "Career growth"}]
//!   },
//!   "participants": [
//!     {"id": "ana", "role": "mentor", "offers": {"rust": 5, "sql": 2}, "goals": {"career": 3}},
//!     {"id": "olu", "role": "mentor", "offers": {"sql": 5}, "hours_per_month": 2},
//!     {"id": "ben", "role": "mentee", "seeks": {"sql": 4}, "hours_per_month": 2},
//!     {"id": "cy", "role": "mentee", "seeks": {"rust": 5}, "level": {"rust": 2}, "goals": {"career": 5}}
//!   ]
//! }"#.parse()?;
//!
//! let matching = cohort.matcher().objective(Objective::Coverage).solve()?;
//! assert_eq!(matching.matched(), 2);
//! assert_eq!(matching.mentor_of("cy"), Some("ana"));
//! let pair = matching.pair_of("ben").unwrap();
//! assert_eq!(pair.mentor(), "olu");
//! assert_eq!(pair.topics(), ["sql"]);
//! println!("{}", serde_json::to_string_pretty(&matching).unwrap());
//! # Ok::<(), mentor_match::Error>(())
//! ```
//!
//! The pieces, in the order data flows: [`Cohort`] (the checked file),
//! [`Vectors`], [`ScoreMatrix`] with [`Weights`] and [`Rules`], the
//! [`Matcher`] that solves an [`Objective`] with a [`Solver`] (or forms a
//! baseline's pairs, [`Method`]), and the [`Matching`] it returns with its
//! [`Quality`]. [`Tuner`] and [`Feedback`] tune the weights: the Pareto front
//! of weight settings for what an organiser wants, and the weights that best
//! agree with how earlier pairs rated their rounds.

mod assign;
mod candidates;
mod cohort;
mod error;
mod generate;
mod index;
mod matcher;
mod matching;
mod progress;
mod quality;
mod report;
mod rules;
mod schedule;
mod score;
mod survey;
mod tune;
mod vectors;

pub use assign::{
    Assignment, AssignmentSolver, Costs, Duals, FnCosts, MatrixFormat, Problem, Sense, Solver,
    SparseCosts, assign, parse_matrix,
};
pub use cohort::{
    Answers, Cohort, CohortBuilder, HistoryEntry, HistoryPair, Item, Participant,
    READ_BYTES_PER_BYTE, Role,
};
pub use error::{Error, Location};
pub use generate::Generator;
pub use index::{MenteeIndex, MentorIndex, ParticipantIndex};
pub use matcher::{
    DEFAULT_CANDIDATES, DEFAULT_MEMORY_LIMIT, Matcher, Method, Mode, Objective, SCALE,
};
pub use matching::{Exactness, Matching, Pair, Reason, Short, Unmatched};
pub use progress::{Progress, Stage};
pub use quality::{Quality, topic_coverage};
pub use report::html_report;
pub use rules::{Rule, Rules};
pub use schedule::Slot;
pub use score::{Breakdown, Component, ScoreMatrix, Weights};
pub use survey::{SurveyMapping, SurveyTable};
pub use tune::{
    CrossCheck, Feedback, Goals, HeldOut, Metric, Metrics, Tuner, kendall_tau_b, pareto_front,
    simplex_grid,
};
pub use vectors::Vectors;

/// Solver internals timed by the crate's own benchmarks (`benches/flow.rs`):
/// not part of the API, and may change in any release.
#[doc(hidden)]
pub mod internals {
    pub use crate::assign::flow::{Flow, FlowProblem, solve as solve_flow};

    /// The assignment path of the matcher: [`crate::Problem`] with column
    /// capacities and an optional unmatched cost.
    ///
    /// # Errors
    ///
    /// As the solver's.
    pub fn solve_assignment(
        problem: &crate::Problem<'_>,
        solver: crate::Solver,
    ) -> Result<Vec<Option<usize>>, crate::Error> {
        crate::assign::solve(problem, solver)
    }
}

/// Keeps the README's library example compiling and running.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;
