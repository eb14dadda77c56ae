//! Properties on random small cohorts (up to 7 mentors × 7 mentees, 1–16 topics, 0–9 goals,
//! capacities 0–3, random rules, pinned pairs, `both` roles, meeting slots
//! across time zones, mentees who want several mentors): scores equal a
//! plain re-implementation of the specification and lie in [0, 1]; parallel
//! scoring equals sequential; every matching is valid; every objective's
//! optimum equals an exhaustive search; both solvers agree.
//!
//! `MENTOR_MATCH_PROPTEST_CASES` sets the number of cases (default 160).
//! The cohorts come from a proptest strategy ([`generate`]), so a failure
//! shrinks to a small cohort, shown as its JSON file; [`plain`] holds the
//! plain model of the specification.

// The tests compare optima exactly where they are exact.
#![allow(clippy::float_cmp)]

#[path = "../support/mod.rs"]
mod support;

mod generate;
mod plain;

use std::collections::HashSet;

use mentor_match::{Cohort, Matching, Objective, Reason};
use proptest::prelude::*;

use generate::cohorts;
use plain::{Plain, exhaustive, plain, rule_order};
use support::{OBJECTIVES, SOLVERS};

/// Validity of a matching against the plain model: every pair once, in
/// the mentees' file order (a mentee's pairs in the mentors'), no mentee
/// over `mentors_wanted`, no mentor over capacity, pinned pairs present and
/// reported with the rules they break, other pairs feasible; unmatched
/// mentees with the right reason and counts; `short` as specified.
fn check_valid(plain: &Plain, matching: &Matching) {
    let position = |list: &[String], id: &str| list.iter().position(|m| m == id).unwrap();
    let mut seen = HashSet::new();
    let mut load = vec![0; plain.mentors.len()];
    let mut got = vec![0; plain.mentees.len()];
    let mut order = Vec::new();
    for pair in matching.pairs() {
        let i = position(&plain.mentors, pair.mentor());
        let j = position(&plain.mentees, pair.mentee());
        assert!(
            seen.insert((i, j)),
            "{}-{} twice",
            pair.mentor(),
            pair.mentee()
        );
        order.push((j, i));
        load[i] += 1;
        got[j] += 1;
        assert!((0.0..=1.0).contains(&pair.score()));
        assert!((pair.score() - plain.score[i][j]).abs() < 1e-12);
        let is_pinned = plain.pinned.contains(&(i, j));
        assert_eq!(pair.is_pinned(), is_pinned);
        let broken: Vec<&str> = pair.broken_rules().iter().map(|r| r.name()).collect();
        if is_pinned {
            assert_eq!(broken, plain.broken[i][j]);
        } else {
            assert!(
                plain.broken[i][j].is_empty(),
                "infeasible pair {i}-{j} used: {:?}",
                plain.broken[i][j]
            );
            assert!(broken.is_empty());
        }
    }
    assert!(order.is_sorted(), "pairs out of file order: {order:?}");
    for (i, mentor) in plain.mentors.iter().enumerate() {
        assert!(load[i] <= plain.capacity[i], "{mentor} over capacity");
    }
    for (j, mentee) in plain.mentees.iter().enumerate() {
        assert!(got[j] <= plain.wanted[j], "{mentee} has too many mentors");
    }
    for &(i, j) in &plain.pinned {
        assert!(seen.contains(&(i, j)), "pinned pair {i}-{j} missing");
    }
    let matched = got.iter().filter(|&&g| g > 0).count();
    assert_eq!(matching.matched(), matched);
    assert_eq!(matched + matching.unmatched().len(), plain.mentees.len());
    let short: Vec<(&str, usize, usize)> = matching
        .short()
        .iter()
        .map(|s| (s.mentee(), s.wanted(), s.got()))
        .collect();
    let expected: Vec<(&str, usize, usize)> = (0..plain.mentees.len())
        .filter(|&j| got[j] > 0 && got[j] < plain.wanted[j])
        .map(|j| (plain.mentees[j].as_str(), plain.wanted[j], got[j]))
        .collect();
    assert_eq!(short, expected);
    let unmatched: Vec<usize> = matching
        .unmatched()
        .iter()
        .map(|entry| position(&plain.mentees, entry.mentee()))
        .collect();
    let expected: Vec<usize> = (0..plain.mentees.len()).filter(|&j| got[j] == 0).collect();
    assert_eq!(unmatched, expected);
    for entry in matching.unmatched() {
        let j = position(&plain.mentees, entry.mentee());
        let feasible = (0..plain.mentors.len()).any(|i| plain.broken[i][j].is_empty());
        let expected = if feasible {
            Reason::Capacity
        } else {
            Reason::NoFeasibleMentor
        };
        assert_eq!(entry.reason(), expected, "{}", entry.mentee());
        if !feasible {
            let mut counts: Vec<(&str, usize)> = Vec::new();
            for name in rule_order().skip(1) {
                let n = (0..plain.mentors.len())
                    .filter(|&i| plain.broken[i][j].first() == Some(&name))
                    .count();
                if n > 0 {
                    counts.push((name, n));
                }
            }
            let got: Vec<(&str, usize)> = entry
                .ruled_out()
                .iter()
                .map(|(r, n)| (r.name(), *n))
                .collect();
            assert_eq!(got, counts);
        }
    }
}

/// Property cases by default; `MENTOR_MATCH_PROPTEST_CASES` overrides.
const DEFAULT_CASES: u32 = 160;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(support::cases("MENTOR_MATCH_PROPTEST_CASES", DEFAULT_CASES)))]

    #[test]
    fn scores_follow_the_specification(file in cohorts()) {
        let file = file.0;
        let cohort = Cohort::from_value(&file).unwrap();
        let plain = plain(&file);
        let matrix = cohort.score_matrix();
        prop_assert_eq!(matrix.mentors(), &plain.mentors[..]);
        prop_assert_eq!(matrix.mentees(), &plain.mentees[..]);
        for i in 0..plain.mentors.len() {
            for j in 0..plain.mentees.len() {
                let score = matrix.scores()[(i, j)];
                prop_assert!((0.0..=1.0).contains(&score));
                // Bit for bit: both add up in the order the formulas are written.
                prop_assert_eq!(score.to_bits(), plain.score[i][j].to_bits(), "({}, {}) {} vs {}", i, j, score, plain.score[i][j]);
                prop_assert_eq!(matrix.ruled_out_by(i, j).map(mentor_match::Rule::name), plain.broken[i][j].first().copied());
            }
        }
    }

    #[test]
    fn parallel_scoring_equals_sequential(file in cohorts()) {
        let cohort = Cohort::from_value(&file.0).unwrap();
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let sequential = one.install(|| cohort.score_matrix());
        let parallel = cohort.score_matrix();
        prop_assert_eq!(serde_json::to_string(&sequential).unwrap(), serde_json::to_string(&parallel).unwrap());
        for (a, b) in sequential.scores().iter().zip(parallel.scores().iter()) {
            prop_assert_eq!(a.to_bits(), b.to_bits());
        }
    }

    #[test]
    fn every_objective_reaches_the_exhaustive_optimum(file in cohorts()) {
        let file = file.0;
        let cohort = Cohort::from_value(&file).unwrap();
        let plain = plain(&file);
        let best = exhaustive(&plain);
        // Quantisation to 1e-9 (see `SCALE`) may cost at most 1e-9 per pair.
        let tolerance = 1e-9 * ((plain.mentors.len() * plain.mentees.len()) as f64 + 1.0);
        for solver in SOLVERS {
            for objective in OBJECTIVES {
                let matching = cohort.matcher().objective(objective).solver(solver).solve().unwrap();
                check_valid(&plain, &matching);
                let sum = matching.total_score();
                let low = matching.min_score().unwrap_or(f64::INFINITY);
                let pairs = matching.pairs().len();
                match objective {
                    Objective::Total => prop_assert!((sum - best.total).abs() <= tolerance, "{:?} total {} vs {}", solver, sum, best.total),
                    Objective::Coverage => {
                        prop_assert_eq!((matching.matched(), pairs), (best.coverage.0, best.coverage.1), "{:?} coverage", solver);
                        prop_assert!((sum - best.coverage.2).abs() <= tolerance, "{:?} coverage {} vs {:?}", solver, sum, best.coverage);
                    }
                    Objective::Fairness => {
                        prop_assert_eq!(matching.matched(), best.fairness.0);
                        prop_assert_eq!(low, best.fairness.1, "{:?} fairness min", solver);
                        prop_assert_eq!(pairs, best.fairness.2, "{:?} fairness pairs", solver);
                        prop_assert!((sum - best.fairness.3).abs() <= tolerance, "{:?} fairness {} vs {:?}", solver, sum, best.fairness);
                    }
                }
            }
        }
    }
}
