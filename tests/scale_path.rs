//! The scale path held to the dense path on small random cohorts (the
//! property generator's: random rules, pinned pairs, `both` roles, here
//! with some mentees wanting two mentors) and on generated ones.
//!
//! - With `k` at least the number of mentors, the sparse path reaches the
//!   dense optimum under every objective: the same number of matched
//!   mentees and pairs, the same total (to the quantisation of the
//!   assignment, 1e-9 per pair) and, under fairness, the same smallest score;
//!   the same mentees without a feasible mentor, with the same counts; no
//!   `not_in_top_k`; and the result says it is proven exact.
//! - With a small `k`, the matching is valid (rules, capacities, distinct
//!   mentors, at most `mentors_wanted`), never better than the dense optimum,
//!   and a mentee is `not_in_top_k` only when it has a feasible mentor.
//! - Whenever the result says it is proven exact, whatever `k`, it has the
//!   dense optimum's matched count, pairs, total and smallest score; the
//!   proof does hold for real cohorts with `k` below the number of
//!   mentors, and does not where a pair left out of a list matters.
//!
//! Pairs themselves may differ where several matchings are optimal: the two
//! solvers break ties differently.
//!
//! `MENTOR_MATCH_PROPTEST_CASES` sets the number of cases (default 160).

#![allow(clippy::float_cmp)]

#[path = "support/mod.rs"]
mod support;

#[path = "properties/generate.rs"]
#[allow(dead_code)]
mod generate;

use std::collections::{HashMap, HashSet};

use mentor_match::{
    AssignmentSolver, Cohort, Duals, Error, Exactness, Generator, Matching, Mode, Objective,
    Problem, Reason, Solver,
};
use proptest::prelude::*;
use serde_json::Value;

use support::OBJECTIVES;

/// Cohorts of the property generator, each mentee wanting one or two mentors.
fn cohorts() -> impl Strategy<Value = Value> {
    (
        generate::cohorts(),
        proptest::collection::vec(proptest::bool::weighted(0.3), 8),
    )
        .prop_map(|(file, two)| {
            let mut file = file.0;
            let people = file["participants"].as_array_mut().unwrap();
            let mut next = two.iter().cycle();
            for person in people {
                if person["role"] != "mentor" && *next.next().unwrap() {
                    person["mentors_wanted"] = 2.into();
                }
            }
            file
        })
}

fn solve(cohort: &Cohort, objective: Objective, mode: Mode, k: usize) -> Matching {
    cohort
        .matcher()
        .objective(objective)
        .mode(mode)
        .candidates(k)
        .solve()
        .unwrap()
}

/// The mentees without a feasible mentor, with their counts.
fn no_feasible(matching: &Matching) -> Vec<(String, Vec<(String, usize)>)> {
    matching
        .unmatched()
        .iter()
        .filter(|u| u.reason() == Reason::NoFeasibleMentor)
        .map(|u| {
            let counts = u
                .ruled_out()
                .iter()
                .map(|(rule, count)| (rule.name().to_owned(), *count))
                .collect();
            (u.mentee().to_owned(), counts)
        })
        .collect()
}

/// The sparse result with every mentor a candidate equals the dense optimum.
fn check_agreement(cohort: &Cohort, objective: Objective) -> Result<(), TestCaseError> {
    let dense = solve(cohort, objective, Mode::Dense, 1);
    let k = cohort.mentors().len().max(1);
    let sparse = solve(cohort, objective, Mode::Sparse, k);
    prop_assert_eq!(dense.exactness(), None);
    prop_assert_eq!(sparse.exactness(), Some(Exactness::Proven));
    prop_assert_eq!(sparse.matched(), dense.matched());
    prop_assert_eq!(sparse.pairs().len(), dense.pairs().len());
    let tolerance = 1e-9 * (dense.pairs().len() as f64 + 1.0);
    prop_assert!(
        (sparse.total_score() - dense.total_score()).abs() <= tolerance,
        "{} vs {}",
        sparse.total_score(),
        dense.total_score()
    );
    if objective == Objective::Fairness {
        prop_assert_eq!(sparse.min_score(), dense.min_score());
    }
    prop_assert_eq!(no_feasible(&sparse), no_feasible(&dense));
    prop_assert!(
        sparse
            .unmatched()
            .iter()
            .all(|u| u.reason() != Reason::NotInTopK)
    );
    check_valid(cohort, &sparse)?;
    Ok(())
}

/// When the sparse result says it is proven exact, it has the dense optimum's
/// value: matched count, pairs, total (to 1e-9 per pair) and, under
/// fairness, the smallest score. Returns whether it was proven.
fn check_proven(cohort: &Cohort, objective: Objective, k: usize) -> Result<bool, TestCaseError> {
    let sparse = solve(cohort, objective, Mode::Sparse, k);
    if sparse.exactness() != Some(Exactness::Proven) {
        return Ok(false);
    }
    let dense = solve(cohort, objective, Mode::Dense, 1);
    prop_assert_eq!(sparse.matched(), dense.matched(), "{} k = {}", objective, k);
    prop_assert_eq!(sparse.pairs().len(), dense.pairs().len());
    let tolerance = 1e-9 * (dense.pairs().len() as f64 + 1.0);
    prop_assert!(
        (sparse.total_score() - dense.total_score()).abs() <= tolerance,
        "{} k = {}: {} vs {}",
        objective,
        k,
        sparse.total_score(),
        dense.total_score()
    );
    if objective == Objective::Fairness {
        prop_assert_eq!(sparse.min_score(), dense.min_score());
    }
    check_valid(cohort, &sparse)?;
    Ok(true)
}

/// Rules, capacities, distinct mentors, `mentors_wanted`, reasons.
fn check_valid(cohort: &Cohort, matching: &Matching) -> Result<(), TestCaseError> {
    let matrix = cohort.score_matrix();
    let mut load: HashMap<&str, u64> = HashMap::new();
    let mut mentors_of: HashMap<&str, HashSet<&str>> = HashMap::new();
    for pair in matching.pairs() {
        *load.entry(pair.mentor()).or_default() += 1;
        prop_assert!(
            mentors_of
                .entry(pair.mentee())
                .or_default()
                .insert(pair.mentor()),
            "a mentor twice"
        );
        if !pair.is_pinned() {
            prop_assert_eq!(
                matrix.score_of(pair.mentor(), pair.mentee()),
                Some(pair.score())
            );
        }
    }
    for (mentor, load) in load {
        prop_assert!(load <= cohort.participant(mentor).unwrap().capacity());
    }
    for (mentee, mentors) in &mentors_of {
        let wanted = cohort.participant(mentee).unwrap().mentors_wanted();
        prop_assert!(mentors.len() as u64 <= wanted);
    }
    for unmatched in matching.unmatched() {
        prop_assert!(!mentors_of.contains_key(unmatched.mentee()));
        let j = matrix.mentee_index(unmatched.mentee()).unwrap();
        let feasible = (0..matrix.mentors().len()).any(|i| matrix.get(i, j).is_some());
        match unmatched.reason() {
            Reason::NoFeasibleMentor => prop_assert!(!feasible),
            _ => prop_assert!(feasible),
        }
    }
    Ok(())
}

const DEFAULT_CASES: u32 = 160;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(support::cases("MENTOR_MATCH_PROPTEST_CASES", DEFAULT_CASES)))]

    #[test]
    fn with_every_mentor_a_candidate_sparse_equals_dense(file in cohorts()) {
        let cohort = Cohort::from_value(&file).unwrap();
        for objective in OBJECTIVES {
            check_agreement(&cohort, objective)?;
        }
    }

    #[test]
    fn with_few_candidates_the_matching_is_valid_and_no_better(file in cohorts(), k in 1usize..3) {
        let cohort = Cohort::from_value(&file).unwrap();
        for objective in OBJECTIVES {
            let dense = solve(&cohort, objective, Mode::Dense, 1);
            let sparse = solve(&cohort, objective, Mode::Sparse, k);
            check_valid(&cohort, &sparse)?;
            prop_assert!(dense.unmatched().iter().all(|u| u.reason() != Reason::NotInTopK));
            prop_assert!(sparse.exactness().is_some());
            if objective == Objective::Total {
                let tolerance = 1e-9 * (dense.pairs().len() as f64 + 1.0);
                prop_assert!(sparse.total_score() <= dense.total_score() + tolerance);
            } else {
                // Coverage and fairness maximise the mentees matched first.
                prop_assert!(sparse.matched() <= dense.matched());
            }
        }
    }

    #[test]
    fn whenever_proven_the_sparse_optimum_is_the_dense_one(file in cohorts(), k in 1usize..5) {
        let cohort = Cohort::from_value(&file).unwrap();
        for objective in OBJECTIVES {
            check_proven(&cohort, objective, k)?;
        }
    }

    #[test]
    fn whenever_proven_a_generated_cohort_is_at_the_dense_optimum(
        mentors in 1usize..40,
        mentees in 1usize..50,
        seed in 0u64..1000,
        two in 0.0f64..0.5,
        k in 1usize..10,
    ) {
        let cohort = Generator::new(mentors, mentees).seed(seed).two_mentors(two).cohort();
        for objective in OBJECTIVES {
            check_proven(&cohort, objective, k)?;
        }
    }

    #[test]
    fn generated_cohorts_agree_with_every_mentor_a_candidate(
        mentors in 1usize..25,
        mentees in 1usize..30,
        seed in 0u64..1000,
        two in 0.0f64..0.5,
    ) {
        let cohort = Generator::new(mentors, mentees).seed(seed).two_mentors(two).cohort();
        for objective in OBJECTIVES {
            check_agreement(&cohort, objective)?;
        }
    }
}

/// A mentee whose only feasible mentors are all taken by better-placed
/// mentees, and whose list is cut, is `not_in_top_k`; with every mentor a
/// candidate it is `capacity`.
#[test]
fn a_mentee_cut_by_k_is_not_in_top_k() {
    let cohort: Cohort = r#"{
      "questionnaire": {"topics": [{"id": "rust", "label": "Rust"}, {"id": "go", "label": "Go"}]},
      "participants": [
        {"id": "ana", "role": "mentor", "offers": {"rust": 5}},
        {"id": "olu", "role": "mentor", "offers": {"rust": 4, "go": 5}},
        {"id": "ben", "role": "mentee", "seeks": {"rust": 5}},
        {"id": "cy", "role": "mentee", "seeks": {"go": 5}}
      ],
      "objective": "total"
    }"#
    .parse()
    .unwrap();
    // With one candidate each, ben keeps ana and cy keeps olu: both matched.
    // Ben's list left olu out, but olu scores lower with him than ana, and
    // olu's place is worth more to cy: the potentials prove it.
    let one = solve(&cohort, Objective::Total, Mode::Sparse, 1);
    assert_eq!(one.matched(), 2);
    assert_eq!(one.exactness(), Some(Exactness::Proven));
    let dense = solve(&cohort, Objective::Total, Mode::Dense, 1);
    assert!((one.total_score() - dense.total_score()).abs() < 1e-9);

    // Three mentees for two mentors: dan's best (ana) goes to ben, whose
    // score with her is higher; olu, dan's second, is not among dan's one
    // candidate.
    let cohort: Cohort = r#"{
      "questionnaire": {"topics": [{"id": "rust", "label": "Rust"}, {"id": "go", "label": "Go"}]},
      "participants": [
        {"id": "ana", "role": "mentor", "offers": {"rust": 5}},
        {"id": "olu", "role": "mentor", "offers": {"rust": 2, "go": 5}},
        {"id": "ben", "role": "mentee", "seeks": {"rust": 5}},
        {"id": "dan", "role": "mentee", "seeks": {"rust": 5}, "level": {"rust": 1}}
      ],
      "objective": "total"
    }"#
    .parse()
    .unwrap();
    let cut = solve(&cohort, Objective::Total, Mode::Sparse, 1);
    assert_eq!(cut.matched(), 1);
    assert_eq!(cut.mentor_of("ben"), Some("ana"));
    assert_eq!(cut.unmatched()[0].mentee(), "dan");
    assert_eq!(cut.unmatched()[0].reason(), Reason::NotInTopK);
    // Olu, left out of dan's list, would match dan: not proven.
    assert_eq!(cut.exactness(), Some(Exactness::CandidateGraph));
    assert_eq!(
        solve(&cohort, Objective::Total, Mode::Dense, 1).matched(),
        2
    );
    let json = serde_json::to_value(&cut).unwrap();
    assert_eq!(json["exact"], "candidate_graph");
    assert_eq!(json["unmatched"][0]["reason"], "not_in_top_k");
    let back: Matching = serde_json::from_value(json).unwrap();
    assert_eq!(back, cut);

    let all = solve(&cohort, Objective::Total, Mode::Sparse, 2);
    assert_eq!(all.matched(), 2);
    assert_eq!(all.exactness(), Some(Exactness::Proven));
    let dense = solve(&cohort, Objective::Total, Mode::Dense, 2);
    assert_eq!(dense.matched(), 2);
    let json = serde_json::to_value(&dense).unwrap();
    assert!(
        json.get("exact").is_none(),
        "the dense result has no exact key"
    );
}

/// Auto takes the dense path while its matrix fits, and the sparse one beyond.
#[test]
fn auto_chooses_by_the_memory_limit() {
    let cohort = Generator::new(40, 50).seed(5).cohort();
    let dense_bytes = cohort.matcher().estimate_bytes();
    let roomy = cohort.matcher().memory_limit(dense_bytes).solve().unwrap();
    assert_eq!(roomy.exactness(), None);
    let sparse = cohort.matcher().candidates(2);
    let tight = sparse.estimate_sparse_bytes();
    assert!(tight < dense_bytes, "{tight} vs {dense_bytes}");
    let matching = sparse.memory_limit(tight).solve().unwrap();
    assert!(matching.exactness().is_some());
    // Neither fits: the dense path's error, as before.
    let error = cohort
        .matcher()
        .candidates(2)
        .memory_limit(tight - 1)
        .solve()
        .unwrap_err();
    assert!(
        error.to_string().starts_with("the matching would need"),
        "{error}"
    );
}

/// The sparse path gives the same result, byte for byte, on any number of threads.
#[test]
fn the_sparse_path_is_the_same_on_any_number_of_threads() {
    let cohort = Generator::new(300, 400).seed(11).cohort();
    for objective in OBJECTIVES {
        let results: Vec<String> = [1, 2, 7]
            .into_iter()
            .map(|threads| {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                let matching = pool.install(|| solve(&cohort, objective, Mode::Sparse, 6));
                serde_json::to_string(&matching).unwrap()
            })
            .collect();
        assert_eq!(results[0], results[1], "{objective}");
        assert_eq!(results[0], results[2], "{objective}");
    }
}

/// Generated cohorts of 50 mentors and 50 mentees (seeds 0 to 3, one mentor
/// each or a fifth wanting two), with 8 candidates each: every list is cut,
/// and still the optimum is proven under each objective, and it is the
/// dense one.
#[test]
fn eight_candidates_of_fifty_mentors_are_proven() {
    for two in [0.0, 0.2] {
        for seed in 0..4 {
            let cohort = Generator::new(50, 50).seed(seed).two_mentors(two).cohort();
            for objective in OBJECTIVES {
                let cut = solve(&cohort, objective, Mode::Sparse, 8);
                assert!(
                    cut.unmatched()
                        .iter()
                        .all(|u| u.reason() != Reason::NotInTopK)
                );
                assert!(
                    check_proven(&cohort, objective, 8).unwrap(),
                    "{objective}, seed {seed}, two {two}"
                );
            }
        }
    }
}

/// A solver that returns the default solver's assignment with wrong
/// potentials (all 0).
#[derive(Debug)]
struct WrongPotentials;

impl AssignmentSolver for WrongPotentials {
    fn solve(&self, problem: &Problem<'_>) -> Result<Vec<Option<usize>>, Error> {
        Solver::default().solve(problem)
    }

    fn solve_with_duals(
        &self,
        problem: &Problem<'_>,
        settled: &dyn Fn(usize),
    ) -> Result<(Vec<Option<usize>>, Option<Duals>), Error> {
        let (columns, duals) = Solver::default().solve_with_duals(problem, settled)?;
        let duals = duals.unwrap();
        let zero = Duals::new(
            vec![0.0; duals.rows().len()],
            vec![0.0; duals.columns().len()],
        );
        Ok((columns, Some(zero)))
    }
}

/// The matcher checks the potentials it is given: with the default
/// solver's the cut lists are proven, with wrong ones (the same assignment)
/// they are not, and with none (the reference solver) neither.
#[test]
fn potentials_are_checked_not_trusted() {
    let cohort = Generator::new(50, 50).seed(1).two_mentors(0.0).cohort();
    let matcher = || {
        cohort
            .matcher()
            .objective(Objective::Total)
            .mode(Mode::Sparse)
            .candidates(8)
    };
    let proven = matcher().solve().unwrap();
    assert_eq!(proven.exactness(), Some(Exactness::Proven));
    let wrong = matcher().using(WrongPotentials).solve().unwrap();
    assert_eq!(wrong.exactness(), Some(Exactness::CandidateGraph));
    assert_eq!(wrong.pairs(), proven.pairs());
    let none = matcher().solver(Solver::Hungarian).solve().unwrap();
    assert_eq!(none.exactness(), Some(Exactness::CandidateGraph));
    assert!((none.total_score() - proven.total_score()).abs() < 1e-9 * 51.0);
}

/// Records the solving stage's calls.
#[derive(Default)]
struct SolvingLog(std::sync::Mutex<Vec<(&'static str, u64)>>);

impl mentor_match::Progress for SolvingLog {
    fn start(&self, stage: mentor_match::Stage, total: u64) {
        if stage == mentor_match::Stage::Solving {
            self.0.lock().unwrap().push(("start", total));
        }
    }
    fn advance(&self, stage: mentor_match::Stage, done: u64) {
        if stage == mentor_match::Stage::Solving {
            self.0.lock().unwrap().push(("advance", done));
        }
    }
    fn finish(&self, stage: mentor_match::Stage) {
        if stage == mentor_match::Stage::Solving {
            self.0.lock().unwrap().push(("finish", 0));
        }
    }
}

/// On the scale path the solving stage counts mentees settled: the sparse
/// solver (one mentor each) and the flow (several) report as they go,
/// rising counts, at least two and about a hundred calls, ending at the
/// total. The dense path's solving stage stays one unit.
#[test]
fn the_sparse_solver_reports_its_progress() {
    for two in [0.0, 0.2] {
        let cohort = Generator::new(300, 1000).seed(4).two_mentors(two).cohort();
        let free = cohort.mentees().len() as u64;
        for objective in OBJECTIVES {
            let log = SolvingLog::default();
            cohort
                .matcher()
                .objective(objective)
                .mode(Mode::Sparse)
                .candidates(4)
                .progress(&log)
                .solve()
                .unwrap();
            let calls = log.0.into_inner().unwrap();
            assert_eq!(calls[0], ("start", free), "{objective}");
            assert_eq!(calls[calls.len() - 1], ("finish", 0));
            let advances: Vec<u64> = calls[1..calls.len() - 1]
                .iter()
                .map(|&(what, done)| {
                    assert_eq!(what, "advance");
                    done
                })
                .collect();
            assert!(
                (2..=101).contains(&advances.len()),
                "{objective}: {advances:?}"
            );
            assert!(advances.windows(2).all(|w| w[0] < w[1]));
            assert_eq!(advances.last(), Some(&free));
        }
    }
    let cohort = Generator::new(30, 40).seed(4).two_mentors(0.0).cohort();
    let log = SolvingLog::default();
    cohort
        .matcher()
        .mode(Mode::Dense)
        .progress(&log)
        .solve()
        .unwrap();
    assert_eq!(
        log.0.into_inner().unwrap(),
        [("start", 1), ("advance", 1), ("finish", 0)]
    );
}
