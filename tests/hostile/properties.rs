//! The properties: one or several mutations of a generated cohort or of the
//! bundled pilot.

use mentor_match::Cohort;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use crate::check::check_cohort;
use crate::doc::Doc;
use crate::expect::{Expect, judge};
use crate::generate::cohorts;
use crate::mutate::{Mutation, apply, mutation};
use crate::support::watchdog::guarded;
use crate::support::{self, PILOT, pilot_value};

/// Reads `bytes`, judges the outcome and, when it reads, matches it.
fn run_case(bytes: Vec<u8>, expect: Expect) -> Result<(), TestCaseError> {
    let shown = String::from_utf8_lossy(&bytes)
        .chars()
        .take(3000)
        .collect::<String>();
    guarded(move || {
        let read = Cohort::from_slice(&bytes);
        if let Some(cohort) = judge(read, &expect)? {
            check_cohort(&cohort)?;
        }
        Ok(())
    })
    .map_err(|problem| TestCaseError::fail(format!("{problem}\ninput: {shown}")))
}

/// Property cases by default; `MENTOR_MATCH_FUZZ_CASES` overrides.
const DEFAULT_CASES: u32 = 2000;

fn config() -> ProptestConfig {
    let mut config =
        ProptestConfig::with_cases(support::cases("MENTOR_MATCH_FUZZ_CASES", DEFAULT_CASES));
    // Failures are reported with their minimal input; no files are written.
    config.failure_persistence = None;
    config
}

proptest! {
    #![proptest_config(config())]

    /// One mutation of a small generated cohort.
    #[test]
    fn generated_cohorts_survive_one_mutation(cohort in cohorts(), change in mutation(), pretty in any::<bool>()) {
        let base = cohort.0;
        let text = serde_json::to_vec(&base).expect("JSON");
        if let Err(error) = Cohort::from_slice(&text) {
            return Err(TestCaseError::fail(format!("the generated cohort is refused: {error}\n{base}")));
        }
        let mut doc = Doc::new(base);
        let expect = apply(&mut doc, &change);
        run_case(doc.bytes(pretty), expect)?;
    }

    /// One mutation of the bundled design pilot (byte edits also on the
    /// file as written).
    #[test]
    fn the_pilot_survives_one_mutation(change in mutation(), pretty in any::<bool>(), as_written in any::<bool>()) {
        let mut doc = Doc::new(pilot_value());
        let expect = apply(&mut doc, &change);
        let bytes = match change {
            Mutation::Truncate { .. } | Mutation::BadUtf8 { .. } if as_written => doc.edit_bytes(PILOT.as_bytes().to_vec()),
            _ => doc.bytes(pretty),
        };
        run_case(bytes, expect)?;
    }

    /// Several mutations at once, of either base: any error must still say
    /// where it is, and anything that reads must match validly.
    #[test]
    fn several_mutations_never_panic(cohort in option::of(cohorts()), changes in vec(mutation(), 2..=5), pretty in any::<bool>()) {
        let base = cohort.map_or_else(pilot_value, |cohort| cohort.0);
        let mut doc = Doc::new(base);
        for change in &changes {
            apply(&mut doc, change);
        }
        run_case(doc.bytes(pretty), Expect::Located)?;
    }
}
