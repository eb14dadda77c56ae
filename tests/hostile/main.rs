//! Hostile input: cohort files mutated the way a broken export or a careless
//! hand edit mutates them never panic, overflow the stack or hang, never lose
//! an answer silently, and every error names where the bad value is (the
//! participant and the field, or the line and column of a syntax error).
//!
//! Each property runs `MENTOR_MATCH_FUZZ_CASES` cases (default 2000). Every
//! case runs on its own thread under a watchdog, so a hang fails the case
//! instead of the whole run.
//!
//! - [`generate`]: valid cohorts, as proptest strategies that shrink toward
//!   fewer people, fewer topics and simpler answers;
//! - [`junk`]: the values a mutation puts where they do not belong;
//! - [`doc`]: a cohort file being edited;
//! - [`mutate`]: the edits, each with what reading the result must give;
//! - [`expect`]: those expectations, and the judge of an outcome;
//! - [`check`]: the checks of a cohort that read and of its matchings;
//! - [`properties`] and [`cases`]: the tests.

#[path = "../support/mod.rs"]
mod support;

mod cases;
mod check;
mod doc;
mod expect;
mod generate;
mod junk;
mod mutate;
mod properties;
