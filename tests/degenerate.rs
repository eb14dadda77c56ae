//! Degenerate cohorts and matrices: nobody on a side, no capacity, every
//! pair forbidden, everyone identical, a bare questionnaire, a mentee nobody
//! can teach; and the low-level solvers on NaN, wrong infinities, empty and
//! all-forbidden matrices. Each gives a valid, explained result or an error,
//! never a panic or a hang.

// Totals of small integer matrices and scores of identical pairs are exact:
// the tests compare them exactly on purpose.
#![allow(clippy::float_cmp)]

mod support;

use mentor_match::{Assignment, assign};
use mentor_match::{
    Cohort, Component, Error, Matching, Reason, Rule, Rules, Sense, Solver, Weights,
};
use ndarray::{Array2, array};
use serde_json::{Value, json};

use support::build::{mentees, mentors};
use support::watchdog::within_time;
use support::{SOLVERS, every_matching, every_matching_with};

fn cohort(value: &Value) -> Cohort {
    Cohort::from_value(value).unwrap_or_else(|e| panic!("a valid cohort: {e}"))
}

fn to_json(matching: &Matching) -> Value {
    serde_json::to_value(matching).expect("a matching serialises")
}

/// The quality of a matching without pairs: every mean `null`, no blocking pair.
fn quality(matched_share: Option<f64>, places_used: Option<f64>) -> Value {
    json!({
        "matched_share": matched_share, "places_used": places_used, "mean_score": null,
        "min_score": null, "score_quartiles": null, "topic_coverage": null,
        "goal_alignment": null, "preferred_share": null, "blocking_pairs": 0
    })
}

fn questionnaire() -> Value {
    json!({"topics": [{"id": "rust"}, {"id": "sql"}], "goals": [{"id": "career"}]})
}

#[test]
fn without_mentors_every_mentee_has_no_feasible_mentor() {
    let cohort = cohort(&json!({
        "questionnaire": questionnaire(),
        "participants": mentees(3, &json!({"rust": 3}))
    }));
    for (objective, solver, matching) in every_matching(&cohort) {
        let expected = json!({
            "objective": objective.name(),
            "matched": 0, "total_score": 0.0, "min_score": null, "pairs": [],
            "unmatched": [
                {"mentee": "mentee-0", "reason": "no_feasible_mentor", "ruled_out": {}},
                {"mentee": "mentee-1", "reason": "no_feasible_mentor", "ruled_out": {}},
                {"mentee": "mentee-2", "reason": "no_feasible_mentor", "ruled_out": {}}
            ],
            "short": [],
            // No pairs and no mentor places: only the matched share is a number.
            "quality": quality(Some(0.0), None)
        });
        assert_eq!(to_json(&matching), expected, "{objective} with {solver:?}");
    }
    let scores = serde_json::to_value(cohort.score_matrix()).expect("JSON");
    assert_eq!(
        scores,
        json!({"mentors": [], "mentees": ["mentee-0", "mentee-1", "mentee-2"], "scores": []})
    );
}

#[test]
fn without_mentees_or_anyone_the_matching_is_empty() {
    let only_mentors = json!({
        "questionnaire": questionnaire(),
        "participants": mentors(4, &json!({"rust": 5}), 2)
    });
    let nobody = json!({"questionnaire": questionnaire(), "participants": []});
    for (value, mentor_ids) in [
        (
            only_mentors,
            json!(["mentor-0", "mentor-1", "mentor-2", "mentor-3"]),
        ),
        (nobody, json!([])),
    ] {
        let cohort = cohort(&value);
        // Four mentors of capacity 2: none of the 8 places used.
        let places = (!cohort.mentors().is_empty()).then_some(0.0);
        for (objective, solver, matching) in every_matching(&cohort) {
            let expected = json!({
                "objective": objective.name(),
                "matched": 0, "total_score": 0.0, "min_score": null, "pairs": [], "unmatched": [],
                "short": [], "quality": quality(None, places)
            });
            assert_eq!(to_json(&matching), expected, "{objective} with {solver:?}");
            assert!(matching.is_complete());
        }
        let rows: Vec<Value> = mentor_ids
            .as_array()
            .expect("ids")
            .iter()
            .map(|_| json!([]))
            .collect();
        assert_eq!(
            serde_json::to_value(cohort.score_matrix()).expect("JSON"),
            json!({"mentors": mentor_ids, "mentees": [], "scores": rows})
        );
    }
}

#[test]
fn with_every_capacity_zero_every_mentee_is_unmatched_for_capacity() {
    let mut people = mentors(3, &json!({"rust": 5, "sql": 4}), 0);
    people.extend(mentees(4, &json!({"rust": 2, "sql": 5})));
    let cohort = cohort(&json!({"questionnaire": questionnaire(), "participants": people}));
    for (objective, solver, matching) in every_matching(&cohort) {
        let unmatched: Vec<Value> = (0..4)
            .map(|i| json!({"mentee": format!("mentee-{i}"), "reason": "capacity"}))
            .collect();
        let expected = json!({
            "objective": objective.name(),
            "matched": 0, "total_score": 0.0, "min_score": null, "pairs": [], "unmatched": unmatched,
            "short": [],
            // Capacity 0 everywhere: no places, and no mentor can take anyone.
            "quality": quality(Some(0.0), None)
        });
        assert_eq!(to_json(&matching), expected, "{objective} with {solver:?}");
    }
    // The score matrix still shows the pairs as feasible: capacity is not a rule.
    let scores = cohort.score_matrix();
    assert!((0..3).all(|m| (0..4).all(|e| scores.is_feasible(m, e))));
}

#[test]
fn when_capacity_runs_out_the_rest_are_unmatched_for_capacity() {
    let mut people = mentors(2, &json!({"rust": 5}), 1);
    people[1]["capacity"] = json!(2);
    people.extend(mentees(5, &json!({"rust": 3})));
    let cohort = cohort(&json!({"questionnaire": questionnaire(), "participants": people}));
    for (objective, solver, matching) in every_matching(&cohort) {
        assert_eq!(matching.matched(), 3, "{objective} with {solver:?}");
        assert_eq!(matching.mentees_of("mentor-0").count(), 1);
        assert_eq!(matching.mentees_of("mentor-1").count(), 2);
        assert_eq!(matching.unmatched().len(), 2);
        for unmatched in matching.unmatched() {
            assert_eq!(unmatched.reason(), Reason::Capacity);
            assert!(unmatched.ruled_out().is_empty());
        }
    }
}

/// Mentee `x` is ruled out with each mentor by a different first rule, and
/// `y` (on both sides) with every mentor but themself by language.
fn forbidden_everywhere() -> Value {
    let mentor = |id: &str| json!({"id": id, "role": "mentor", "offers": {"rust": 5}, "languages": ["fi"], "seniority": 5});
    let mut people = vec![
        mentor("m-avoided"),
        mentor("m-earlier"),
        mentor("m-manager"),
        mentor("m-team"),
        mentor("m-swedish"),
        mentor("m-sql"),
        mentor("m-junior"),
        mentor("m-weak"),
    ];
    people[3]["team"] = json!("x-team");
    people[4]["languages"] = json!(["sv"]);
    people[5]["offers"] = json!({"sql": 5});
    people[6]["seniority"] = json!(1);
    people[7]["offers"] = json!({"rust": 1});
    people.push(json!({
        "id": "x", "role": "mentee", "seeks": {"rust": 5}, "languages": ["fi"], "team": "x-team",
        "seniority": 3, "manager": "m-manager", "avoids": ["m-avoided"]
    }));
    people.push(json!({
        "id": "y", "role": "both", "offers": {"rust": 5}, "seeks": {"rust": 3}, "languages": ["de"]
    }));
    json!({
        "questionnaire": questionnaire(),
        "participants": people,
        "history": [{"mentor": "m-earlier", "mentee": "x", "round": "autumn"}],
        "rules": {"forbid_same_team": true, "require_senior_mentor": true, "min_score": 0.9}
    })
}

#[test]
fn when_every_pair_is_forbidden_each_rule_is_counted_once_per_mentor() {
    let cohort = cohort(&forbidden_everywhere());
    assert_eq!(cohort.mentors().len(), 9);
    for (objective, solver, matching) in every_matching(&cohort) {
        let text = serde_json::to_string(&matching).expect("JSON");
        let expected = concat!(
            r#""unmatched":[{"mentee":"x","reason":"no_feasible_mentor","ruled_out":{"#,
            r#""avoids":1,"forbid_repeat":1,"forbid_manager":1,"forbid_same_team":1,"#,
            r#""require_shared_language":2,"require_topic_overlap":1,"require_senior_mentor":1,"#,
            r#""min_score":1}},"#,
            r#"{"mentee":"y","reason":"no_feasible_mentor","ruled_out":{"require_shared_language":8}}]"#
        );
        assert!(
            text.contains(expected),
            "{objective} with {solver:?}: {text}"
        );
        assert_eq!(matching.matched(), 0);
        for unmatched in matching.unmatched() {
            let counted: usize = unmatched.ruled_out().iter().map(|&(_, n)| n).sum();
            let themself = usize::from(unmatched.mentee() == "y");
            assert_eq!(
                counted,
                cohort.mentors().len() - themself,
                "{}",
                unmatched.mentee()
            );
        }
    }
    let scores = serde_json::to_value(cohort.score_matrix()).expect("JSON");
    assert!(
        scores["scores"]
            .as_array()
            .expect("rows")
            .iter()
            .flat_map(|row| row.as_array().expect("a row"))
            .all(Value::is_null)
    );
}

/// `count` mentors and `count` mentees with the very same answers.
fn identical(count: usize) -> Value {
    let answers =
        json!({"goals": {"career": 4}, "hours_per_month": 3, "languages": ["en"], "team": "t"});
    let mut people = Vec::new();
    for i in 0..count {
        let mut mentor = answers.clone();
        mentor["id"] = json!(format!("mentor-{i}"));
        mentor["role"] = json!("mentor");
        mentor["offers"] = json!({"rust": 4, "sql": 2});
        people.push(mentor);
    }
    for i in 0..count {
        let mut mentee = answers.clone();
        mentee["id"] = json!(format!("mentee-{i}"));
        mentee["role"] = json!("mentee");
        mentee["seeks"] = json!({"rust": 5, "sql": 1});
        mentee["level"] = json!({"rust": 1});
        people.push(mentee);
    }
    json!({"questionnaire": questionnaire(), "participants": people})
}

#[test]
fn identical_participants_all_match_the_same_way_every_time() {
    let cohort = cohort(&identical(60));
    let all = every_matching(&cohort);
    let pairs = |m: &Matching| -> Vec<(String, String)> {
        m.pairs()
            .iter()
            .map(|p| (p.mentor().to_owned(), p.mentee().to_owned()))
            .collect()
    };
    let (_, _, first) = &all[0];
    let score = first.pairs()[0].score();
    for (objective, solver, matching) in &all {
        assert!(matching.is_complete(), "{objective} with {solver:?}");
        assert_eq!(matching.matched(), 60);
        let mut mentors: Vec<&str> = matching
            .pairs()
            .iter()
            .map(mentor_match::Pair::mentor)
            .collect();
        mentors.sort_unstable();
        mentors.dedup();
        assert_eq!(
            mentors.len(),
            60,
            "{objective} with {solver:?}: a mentor twice"
        );
        assert!(matching.pairs().iter().all(|p| p.score() == score));
        assert_eq!(matching.min_score(), Some(score));
        let repeat = cohort
            .matcher()
            .objective(*objective)
            .solver(*solver)
            .solve()
            .expect("solves");
        assert_eq!(
            serde_json::to_string(&repeat).expect("JSON"),
            serde_json::to_string(matching).expect("JSON"),
            "{objective} with {solver:?}: a second run differs"
        );
    }
    // Among equally good matchings each solver picks one, always the same
    // for the same solver; the two solvers need not pick the same one.
    for (objective, solver, matching) in &all {
        let (_, _, same_solver) = all
            .iter()
            .find(|(_, other, _)| other == solver)
            .expect("the solver itself");
        assert_eq!(
            pairs(matching),
            pairs(same_solver),
            "{objective} with {solver:?} breaks the tie differently"
        );
    }
}

#[test]
fn identical_participants_on_both_sides_never_mentor_themselves() {
    let people: Vec<Value> = (0..40)
        .map(|i| {
            json!({"id": format!("p{i}"), "role": "both", "offers": {"rust": 4}, "seeks": {"rust": 3},
                   "languages": ["en"]})
        })
        .collect();
    let pinned = json!([{"mentor": "p7", "mentee": "p3"}, {"mentor": "p3", "mentee": "p7"}]);
    let cohort = cohort(
        &json!({"questionnaire": questionnaire(), "participants": people, "pinned": pinned}),
    );
    for (objective, solver, matching) in every_matching(&cohort) {
        assert!(matching.is_complete(), "{objective} with {solver:?}");
        assert_eq!(matching.matched(), 40);
        assert!(matching.pairs().iter().all(|p| p.mentor() != p.mentee()));
        for i in 0..40 {
            assert!(matching.mentees_of(&format!("p{i}")).count() <= 1);
        }
        assert!(
            matching
                .pair_of("p3")
                .is_some_and(|p| p.mentor() == "p7" && p.is_pinned())
        );
        assert!(
            matching
                .pair_of("p7")
                .is_some_and(|p| p.mentor() == "p3" && p.is_pinned())
        );
        assert_eq!(matching.pairs().iter().filter(|p| p.is_pinned()).count(), 2);
    }
}

#[test]
fn one_topic_and_no_goals_still_score_and_explain() {
    let cohort = cohort(&json!({
        "questionnaire": {"topics": [{"id": "only"}]},
        "participants": [
            {"id": "ana", "role": "mentor", "offers": {"only": 5}, "hours_per_month": 4},
            {"id": "ben", "role": "mentee", "seeks": {"only": 3}, "level": {"only": 1}, "hours_per_month": 2}
        ]
    }));
    assert!(cohort.goals().is_empty());
    for (objective, solver, matching) in every_matching(&cohort) {
        let json = to_json(&matching);
        let pair = &json["pairs"][0];
        assert_eq!(pair["mentor"], "ana", "{objective} with {solver:?}");
        assert_eq!(pair["topics"], json!(["only"]));
        assert_eq!(pair["broken_rules"], json!([]));
        let breakdown = &pair["breakdown"];
        let near = |value: &Value, expected: f64| {
            (value.as_f64().expect("a number") - expected).abs() < 1e-12
        };
        assert!(near(&breakdown["skills"], 0.8), "{breakdown}");
        assert!(near(&breakdown["goals"], 0.0), "{breakdown}");
        assert!(near(&breakdown["availability"], 0.5), "{breakdown}");
        assert!(near(&breakdown["preference"], 0.0), "{breakdown}");
        // The goals weight stays in the denominator: (0.5·0.8 + 0.1·0.5) / 1.
        assert!(near(&pair["score"], 0.45), "{pair}");
        assert_eq!(json["matched"], 1);
    }
}

fn seeks_what_nobody_offers() -> Value {
    let mut people = mentors(3, &json!({"rust": 5}), 1);
    people
        .push(json!({"id": "sam", "role": "mentee", "seeks": {"sql": 4}, "goals": {"career": 3}}));
    people.push(json!({"id": "ben", "role": "mentee", "seeks": {"rust": 4}}));
    json!({"questionnaire": questionnaire(), "participants": people})
}

#[test]
fn a_mentee_nobody_can_teach_has_no_feasible_mentor() {
    let cohort = cohort(&seeks_what_nobody_offers());
    for (objective, solver, matching) in every_matching(&cohort) {
        let json = to_json(&matching);
        assert_eq!(
            json["unmatched"],
            json!([{"mentee": "sam", "reason": "no_feasible_mentor", "ruled_out": {"require_topic_overlap": 3}}]),
            "{objective} with {solver:?}"
        );
        assert_eq!(json["matched"], 1);
        assert_eq!(
            matching.pair_of("ben").map(|p| p.topics().to_vec()),
            Some(vec!["rust".to_owned()])
        );
    }
}

#[test]
fn without_the_overlap_rule_a_pair_that_teaches_nothing_is_still_formed() {
    let cohort = cohort(&seeks_what_nobody_offers());
    let rules = Rules::default().with(Rule::RequireTopicOverlap, false);
    let skills_only = Weights::default()
        .with(Component::Goals, 0.0)
        .with(Component::Availability, 0.0)
        .with(Component::Preference, 0.0)
        .with(Component::Skills, 1.0);
    for (objective, solver, matching) in
        every_matching_with(&cohort, |matcher| matcher.rules(rules).weights(skills_only))
    {
        assert_eq!(matching.matched(), 2, "{objective} with {solver:?}");
        let sam = matching.pair_of("sam").expect("sam is matched");
        assert_eq!(sam.score(), 0.0);
        assert_eq!(sam.breakdown().skills(), 0.0);
        assert!(sam.topics().is_empty());
        assert_eq!(matching.min_score(), Some(0.0));
    }
}

#[test]
fn the_memory_limit_is_an_error_that_states_estimate_and_limit() {
    let mut people = mentors(12, &json!({"rust": 5}), 1);
    people.extend(mentees(12, &json!({"rust": 3})));
    let cohort = cohort(&json!({"questionnaire": questionnaire(), "participants": people}));
    let matcher = cohort.matcher().memory_limit(1000);
    let estimate = matcher.estimate_bytes();
    assert!(
        estimate > 1000,
        "12 × 12 pairs need more than 1000 bytes, estimated {estimate}"
    );
    let error = matcher.solve().expect_err("over the limit");
    assert!(
        matches!(error, Error::MemoryLimit { estimate_bytes, limit_bytes: 1000, .. } if estimate_bytes == estimate),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains(&format!("{estimate} bytes")) && message.contains("1000 bytes"),
        "{message}"
    );
    assert!(
        message.contains("memory_limit"),
        "says how to raise it: {message}"
    );
    let matching = cohort
        .matcher()
        .memory_limit(estimate)
        .solve()
        .expect("at the limit is fine");
    assert_eq!(matching.matched(), 12);
}

// ---- the low-level solvers -------------------------------------------------

fn solve(matrix: &Array2<f64>, sense: Sense, solver: Solver) -> Result<Assignment, Error> {
    let matrix = matrix.clone();
    within_time(&format!("{sense:?} with {solver:?}"), move || {
        assign(matrix.view(), sense, solver)
    })
}

#[test]
fn nan_and_the_wrong_infinity_are_errors_naming_the_entry() {
    let cases = [
        (array![[1.0, f64::NAN], [2.0, 3.0]], Sense::Minimise, (0, 1)),
        (array![[1.0, 2.0], [3.0, f64::NAN]], Sense::Maximise, (1, 1)),
        (
            array![[1.0, f64::NEG_INFINITY], [2.0, 3.0]],
            Sense::Minimise,
            (0, 1),
        ),
        (
            array![[1.0, 2.0], [f64::INFINITY, 3.0]],
            Sense::Maximise,
            (1, 0),
        ),
        (array![[f64::NAN]], Sense::Minimise, (0, 0)),
        (
            array![[f64::NAN, f64::NAN, f64::NAN]],
            Sense::Maximise,
            (0, 0),
        ),
    ];
    for (matrix, sense, (row, column)) in cases {
        for solver in SOLVERS {
            let error = solve(&matrix, sense, solver).expect_err("a bad entry");
            assert!(
                matches!(error, Error::BadEntry { row: r, column: c, .. } if r == row && c == column),
                "{matrix:?} {sense:?} {solver:?}: {error:?}"
            );
            assert!(
                error.to_string().contains(&format!("({row}, {column})")),
                "{error}"
            );
        }
    }
}

/// Large matrices are checked in parts on the thread pool: the entry named
/// is still the first bad one in row-major order, wherever the parts split.
#[test]
fn the_first_bad_entry_of_a_large_matrix_is_named() {
    let (rows, columns) = (700, 300);
    for (first, second) in [
        ((3, 5), (650, 1)),
        ((400, 299), (401, 0)),
        ((699, 298), (699, 299)),
    ] {
        let mut matrix =
            Array2::from_shape_fn((rows, columns), |(i, j)| ((i * 7 + j * 13) % 101) as f64);
        matrix[second] = f64::NAN;
        matrix[first] = f64::NEG_INFINITY;
        let error = assign(matrix.view(), Sense::Minimise, Solver::JonkerVolgenant)
            .expect_err("a bad entry");
        assert!(
            matches!(error, Error::BadEntry { row, column, .. } if (row, column) == first),
            "{first:?}: {error:?}"
        );
    }
}

#[test]
fn empty_matrices_give_empty_assignments() {
    for (rows, columns) in [(0, 0), (0, 5), (5, 0)] {
        for sense in [Sense::Minimise, Sense::Maximise] {
            for solver in SOLVERS {
                let best = solve(&Array2::zeros((rows, columns)), sense, solver).expect("solves");
                assert_eq!(
                    best.columns(),
                    vec![None; rows].as_slice(),
                    "{rows}×{columns}"
                );
                assert_eq!(best.total(), 0.0);
                assert_eq!(best.len(), 0);
                assert!(best.is_empty());
                assert_eq!(best.pairs().count(), 0);
            }
        }
    }
}

#[test]
fn forbidden_rows_are_infeasible_only_when_they_must_be_assigned() {
    let inf = f64::INFINITY;
    let infeasible = [
        (
            array![[inf, inf, inf], [1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
            3,
            2,
        ),
        (array![[1.0, 2.0, 3.0], [inf, inf, inf]], 2, 1),
        (array![[inf, inf], [inf, inf]], 2, 0),
        (array![[inf]], 1, 0),
        (array![[1.0, inf], [2.0, inf]], 2, 1),
    ];
    for (matrix, required, possible) in infeasible {
        for sense in [Sense::Minimise, Sense::Maximise] {
            let matrix = match sense {
                Sense::Minimise => matrix.clone(),
                Sense::Maximise => matrix.mapv(|x| -x),
            };
            for solver in SOLVERS {
                let error = solve(&matrix, sense, solver).expect_err("infeasible");
                assert!(
                    matches!(error, Error::Infeasible { required: r, possible: p } if r == required && p == possible),
                    "{matrix:?} {sense:?} {solver:?}: {error:?}"
                );
            }
        }
    }
    // With more rows than columns a forbidden row can stay unassigned.
    let tall = array![[inf, inf], [1.0, 2.0], [3.0, 4.0]];
    for solver in SOLVERS {
        let best = solve(&tall, Sense::Minimise, solver).expect("feasible");
        assert_eq!(best.column_of(0), None);
        assert_eq!(best.total(), 5.0);
        assert_eq!(best.len(), 2);
        let best = solve(&tall.mapv(|x| -x), Sense::Maximise, solver).expect("feasible");
        assert_eq!(best.column_of(0), None);
        assert_eq!(best.total(), -5.0);
    }
}

#[test]
fn forbidden_pairs_are_avoided_in_either_sense() {
    let inf = f64::INFINITY;
    let costs = array![[inf, 1.0, 9.0], [1.0, inf, 9.0], [9.0, 9.0, inf]];
    for solver in SOLVERS {
        let best = solve(&costs, Sense::Minimise, solver).expect("feasible");
        assert!(best.pairs().all(|(r, c)| costs[(r, c)].is_finite()));
        // r2 must take c0 or c1 at 9; the other two then cost 1 + 9.
        assert_eq!(best.total(), 19.0, "{solver:?}");
        let best = solve(&costs.mapv(|x| -x), Sense::Maximise, solver).expect("feasible");
        assert_eq!(best.total(), -19.0, "{solver:?}");
    }
}

/// The smallest total of a square matrix over every permutation (small
/// matrices only), adding in row order as [`Assignment::total`] does.
fn brute_force_minimum(matrix: &Array2<f64>) -> f64 {
    fn permutations(
        rest: &mut Vec<usize>,
        chosen: &mut Vec<usize>,
        each: &mut dyn FnMut(&[usize]),
    ) {
        if rest.is_empty() {
            each(chosen);
        }
        for k in 0..rest.len() {
            let column = rest.remove(k);
            chosen.push(column);
            permutations(rest, chosen, each);
            chosen.pop();
            rest.insert(k, column);
        }
    }
    let mut best = f64::INFINITY;
    let mut columns: Vec<usize> = (0..matrix.ncols()).collect();
    permutations(&mut columns, &mut Vec::new(), &mut |chosen| {
        let total: f64 = chosen
            .iter()
            .enumerate()
            .map(|(r, &c)| matrix[(r, c)])
            .sum();
        best = best.min(total);
    });
    best
}

#[test]
fn extreme_finite_entries_never_hang_or_panic() {
    let big = f64::MAX;
    let tiny = f64::MIN_POSITIVE * f64::EPSILON;
    let matrices = [
        array![[big, -big], [-big, big]],
        array![
            [1e308, 1e308, 1e308],
            [1e308, -1e308, 0.0],
            [0.0, 1e308, -1e308]
        ],
        array![[tiny, 0.0], [0.0, tiny]],
        array![[1e300, 1.0], [1.0, 1e-300]],
        array![[big, f64::INFINITY], [f64::INFINITY, big]],
    ];
    for matrix in matrices {
        for solver in SOLVERS {
            // Either an answer that uses no forbidden pair or an error; the
            // point is that it returns.
            if let Ok(best) = solve(&matrix, Sense::Minimise, solver) {
                assert_eq!(best.len(), matrix.nrows().min(matrix.ncols()));
                assert!(
                    best.pairs().all(|(r, c)| matrix[(r, c)] < f64::INFINITY),
                    "{matrix:?} {solver:?}"
                );
                let mut used: Vec<usize> = best.pairs().map(|(_, c)| c).collect();
                used.sort_unstable();
                used.dedup();
                assert_eq!(used.len(), best.pairs().count(), "a column twice");
                let optimum = brute_force_minimum(&matrix);
                // Hungarian rounds scaled costs: optimal to within
                // min(rows, columns) · 2^-s, as documented (s < 1075).
                let slack = 1e-9 * optimum.abs() + 1e-300;
                assert!(
                    best.total() == optimum || (best.total() - optimum).abs() <= slack,
                    "{matrix:?} {solver:?}: total {} but the optimum is {optimum}",
                    best.total()
                );
            }
        }
    }
}
