//! Known answers, each with where it comes from.

mod support;

use mentor_match::{Cohort, Matching, Objective, Reason, Rule, Solver};
use serde_json::{Value, json};

use support::{PILOT as SAMPLE, SOLVERS, every_matching, pilot as sample, skills_only};

/// Two topics, `t1` and `t2`, these participants, and weights that score
/// skills only.
fn two_topics_skills_only(participants: &Value) -> Cohort {
    json!({
        "questionnaire": {"topics": [{"id": "t1", "label": "T1"}, {"id": "t2", "label": "T2"}]},
        "participants": participants,
        "weights": skills_only()
    })
    .to_string()
    .parse()
    .unwrap()
}

fn solve(cohort: &Cohort, objective: Objective, solver: Solver) -> Matching {
    cohort
        .matcher()
        .objective(objective)
        .solver(solver)
        .solve()
        .unwrap()
}

/// The sample's score matrix, computed by the independent implementation of
/// the specification in `tests/reference/brute_force.py` (`None` = infeasible).
#[test]
fn sample_scores_match_the_reference_implementation() {
    let expected: [[Option<f64>; 6]; 6] = [
        [
            Some(0.614_517_059_221_717_7),
            None,
            None,
            Some(0.630_347_937_899_744_9),
            None,
            Some(0.419_444_444_444_444_5),
        ],
        [
            None,
            Some(0.676_081_661_956_811_1),
            Some(0.205_648_997_174_086_63),
            None,
            None,
            None,
        ],
        [
            None,
            Some(0.457_745_593_256_211_2),
            Some(0.565_742_374_804_054_5),
            None,
            None,
            Some(0.225_157_330_423_444_55),
        ],
        [
            Some(0.320_613_883_008_419),
            None,
            None,
            None,
            None,
            Some(0.175),
        ],
        [
            None,
            Some(0.264_696_586_821_905_4),
            Some(0.276_595_729_870_921_07),
            None,
            Some(0.660_789_610_124_582_8),
            Some(0.111_111_111_111_111_12),
        ],
        [
            None,
            None,
            Some(0.309_803_921_568_627_46),
            Some(0.269_855_316_980_635_53),
            None,
            Some(0.782_420_619_895_928_1),
        ],
    ];
    let scores = sample().score_matrix();
    for (mentor, row) in expected.iter().enumerate() {
        for (mentee, &want) in row.iter().enumerate() {
            let got = scores.get(mentor, mentee);
            match (got, want) {
                (Some(got), Some(want)) => assert!(
                    (got - want).abs() < 1e-12,
                    "({mentor}, {mentee}): {got} vs {want}"
                ),
                (None, None) => {}
                _ => panic!("({mentor}, {mentee}): {got:?} vs {want:?}"),
            }
        }
    }
    // Why some pairs are out: the junior service designer's manager is the
    // creative director; the researcher-to-be had the UX researcher last round.
    assert_eq!(scores.ruled_out_by(5, 0), Some(Rule::ForbidManager));
    assert_eq!(scores.ruled_out_by(3, 3), Some(Rule::ForbidRepeat));
    assert_eq!(scores.ruled_out_by(2, 0), Some(Rule::RequireSharedLanguage));
    assert_eq!(scores.ruled_out_by(1, 0), Some(Rule::RequireTopicOverlap));
}

/// The sample's optimum, from the exhaustive search of
/// `tests/reference/brute_force.py` (all 3 objectives agree on this cohort).
#[test]
fn sample_optimum_for_every_objective_and_solver() {
    let expected = [
        ("junior-service-designer", "ux-researcher"),
        ("designer-learning-react", "frontend-lead"),
        ("visual-designer", "design-systems-architect"),
        ("researcher-to-be", "senior-service-designer"),
        ("frontend-developer", "accessibility-specialist"),
        ("product-designer", "creative-director"),
    ];
    for (objective, solver, matching) in every_matching(&sample()) {
        let pairs: Vec<(&str, &str)> = matching
            .pairs()
            .iter()
            .map(|p| (p.mentee(), p.mentor()))
            .collect();
        assert_eq!(pairs, expected, "{objective} {solver:?}");
        assert!((matching.total_score() - 3.635_996_087_689_54).abs() < 1e-12);
        assert_eq!(matching.min_score(), Some(0.320_613_883_008_419));
        assert!(matching.is_complete());
    }
}

/// Worked out by hand. Weights: skills only, so a pair scores
/// `(offers - level) / 5` on the one topic its mentee seeks.
/// A-X = 1.0, A-Y = 0.2, B-X = 0.2, B-Y infeasible (no overlap).
/// `total`: {A-X} = 1.0 beats {A-Y, B-X} = 0.4; `coverage` and `fairness`
/// take the two pairs.
#[test]
fn total_gives_up_a_mentee_that_coverage_keeps() {
    let cohort = two_topics_skills_only(&json!([
        {"id": "A", "role": "mentor", "offers": {"t1": 5, "t2": 1}},
        {"id": "B", "role": "mentor", "offers": {"t1": 1}},
        {"id": "X", "role": "mentee", "seeks": {"t1": 3}},
        {"id": "Y", "role": "mentee", "seeks": {"t2": 3}}
    ]));
    for solver in SOLVERS {
        let total = solve(&cohort, Objective::Total, solver);
        assert_eq!(total.mentor_of("X"), Some("A"));
        assert_eq!(total.mentor_of("Y"), None);
        assert_eq!(total.unmatched()[0].reason(), Reason::Capacity);
        assert!((total.total_score() - 1.0).abs() < 1e-12);
        for objective in [Objective::Coverage, Objective::Fairness] {
            let covered = solve(&cohort, objective, solver);
            assert_eq!(covered.mentor_of("X"), Some("B"));
            assert_eq!(covered.mentor_of("Y"), Some("A"));
            assert!((covered.total_score() - 0.4).abs() < 1e-12);
        }
    }
}

/// Worked out by hand, weights as above. C-U = 1.0, C-V = 0.4, D-U = 0.6,
/// D-V = 0.2. `coverage`: {C-U, D-V} (sum 1.2, lowest 0.2) beats {C-V, D-U}
/// (sum 1.0); `fairness` prefers the lowest 0.4 of {C-V, D-U}.
#[test]
fn fairness_raises_the_worst_pair() {
    let cohort = two_topics_skills_only(&json!([
        {"id": "C", "role": "mentor", "offers": {"t1": 5, "t2": 2}},
        {"id": "D", "role": "mentor", "offers": {"t1": 3, "t2": 1}},
        {"id": "U", "role": "mentee", "seeks": {"t1": 4}},
        {"id": "V", "role": "mentee", "seeks": {"t2": 4}}
    ]));
    for solver in SOLVERS {
        let coverage = solve(&cohort, Objective::Coverage, solver);
        assert_eq!(
            (coverage.mentor_of("U"), coverage.mentor_of("V")),
            (Some("C"), Some("D"))
        );
        let fairness = solve(&cohort, Objective::Fairness, solver);
        assert_eq!(
            (fairness.mentor_of("U"), fairness.mentor_of("V")),
            (Some("D"), Some("C"))
        );
        assert!((fairness.min_score().unwrap() - 0.4).abs() < 1e-12);
        assert!((fairness.total_score() - 1.0).abs() < 1e-12);
    }
}

/// The result JSON of the specification, field by field, on the sample with
/// a pinned pair that breaks a rule and a stricter rule set (worked out from
/// the reference matrix above).
#[test]
fn result_json_has_the_specified_shape() {
    let mut value: Value = serde_json::from_str(SAMPLE).unwrap();
    // The creative director manages the junior service designer: pinning the
    // pair keeps it and reports `forbid_manager`.
    value["pinned"] = json!([{"mentor": "creative-director", "mentee": "junior-service-designer"}]);
    value["rules"] = json!({"forbid_same_team": true, "require_shared_language": false});
    value["objective"] = json!("total");
    let cohort = Cohort::from_value(&value).unwrap();
    let matching = cohort.matcher().solve().unwrap();
    let text = serde_json::to_string(&matching).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_in_order(
        &text,
        &[
            "\"objective\":",
            "\"matched\":",
            "\"total_score\":",
            "\"min_score\":",
            "\"pairs\":",
            "\"unmatched\":",
        ],
    );
    assert_in_order(
        &text,
        &[
            "\"mentor\":",
            "\"mentee\":",
            "\"score\":",
            "\"pinned\":",
            "\"breakdown\":",
            "\"topics\":",
            "\"broken_rules\":",
        ],
    );
    assert_in_order(
        &text,
        &[
            "\"skills\":",
            "\"goals\":",
            "\"availability\":",
            "\"preference\":",
            "\"schedule\":",
        ],
    );
    assert_eq!(json["objective"], "total");
    let first = &json["pairs"][0];
    assert_eq!(first["mentor"], "creative-director");
    assert_eq!(first["mentee"], "junior-service-designer");
    assert_eq!(first["pinned"], true);
    assert_eq!(
        first["broken_rules"],
        json!(["forbid_manager", "forbid_same_team"])
    );
    assert_eq!(first.as_object().unwrap().len(), 7);
    // Specification 1.1: every breakdown has all five components; without
    // meeting times `schedule` is 1.
    assert_eq!(first["breakdown"].as_object().unwrap().len(), 5);
    assert_eq!(first["breakdown"]["schedule"], 1.0);
    // Researcher-to-be: last round's mentor (the UX researcher) falls to
    // forbid_repeat first, the other three design-team mentors to
    // forbid_same_team, the two web-team mentors offer no UX research.
    let unmatched = json["unmatched"].as_array().unwrap();
    let researcher = unmatched
        .iter()
        .find(|u| u["mentee"] == "researcher-to-be")
        .unwrap();
    assert_eq!(researcher["reason"], "no_feasible_mentor");
    assert_eq!(
        researcher["ruled_out"],
        json!({"forbid_repeat": 1, "forbid_same_team": 3, "require_topic_overlap": 2})
    );
    assert_eq!(
        json["matched"].as_u64().unwrap() + unmatched.len() as u64,
        cohort.mentees().len() as u64
    );
    let min = matching
        .pairs()
        .iter()
        .map(mentor_match::Pair::score)
        .fold(f64::INFINITY, f64::min);
    assert_eq!(json["min_score"].as_f64(), Some(min));
    assert_eq!(
        matching.pairs()[0].broken_rules(),
        [Rule::ForbidManager, Rule::ForbidSameTeam]
    );
}

/// Asserts that the first occurrences of `keys` in `text` come in this order.
fn assert_in_order(text: &str, keys: &[&str]) {
    let positions: Vec<usize> = keys
        .iter()
        .map(|key| text.find(key).unwrap_or_else(|| panic!("{key} missing")))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "{keys:?} out of order in {text}"
    );
}

#[test]
fn score_matrix_json_marks_infeasible_pairs_with_null() {
    let json: Value = serde_json::to_value(sample().score_matrix()).unwrap();
    assert_eq!(json["mentors"][5], "creative-director");
    assert_eq!(json["mentees"][0], "junior-service-designer");
    assert_eq!(json["scores"][5][0], Value::Null);
    assert_eq!(json["scores"][3][5].as_f64(), Some(0.175));
    assert_eq!(json["scores"].as_array().unwrap().len(), 6);
}

/// A `both` participant is on each side; two of them may mentor each other.
#[test]
fn two_both_participants_mentor_each_other() {
    let cohort: Cohort = json!({
        "questionnaire": {"topics": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]},
        "participants": [
            {"id": "p", "role": "both", "offers": {"a": 5}, "seeks": {"b": 5}},
            {"id": "q", "role": "both", "offers": {"b": 5}, "seeks": {"a": 5}}
        ]
    })
    .to_string()
    .parse()
    .unwrap();
    let scores = cohort.score_matrix();
    assert_eq!(scores.ruled_out_by(0, 0), Some(Rule::SelfPair));
    let matching = cohort.matcher().solve().unwrap();
    assert_eq!(matching.mentor_of("p"), Some("q"));
    assert_eq!(matching.mentor_of("q"), Some("p"));
    assert_eq!(matching.mentees_of("p").collect::<Vec<_>>(), ["q"]);
}

/// `min_score` is compared exactly: a `min_score` written with the 17 digits
/// the crate prints for a pair's score keeps that pair (the number must be
/// read back to the same `f64`).
#[test]
fn min_score_equal_to_a_score_keeps_the_pair() {
    let cohort: Cohort = include_str!("data/min-score-17-digits.json")
        .parse()
        .unwrap();
    let scores = cohort.score_matrix();
    assert_eq!(scores.get(0, 0), Some(0.233_333_333_333_333_34));
    assert_eq!(cohort.matcher().solve().unwrap().matched(), 1);
}

/// Eight topics, default weights, `min_score` 0.1 and a pair whose score is
/// exactly 0.1 when summed left to right as the formula reads (found by an
/// independent implementation; a reordered sum gives 0.09999999999999999).
#[test]
fn scores_are_summed_in_questionnaire_order() {
    let cohort: Cohort = include_str!("data/min-score-exact-tenth.json")
        .parse()
        .unwrap();
    let matching = cohort.matcher().solve().unwrap();
    assert_eq!(matching.matched(), 1);
    assert_eq!(matching.min_score(), Some(0.1));
}

/// An empty matching totals 0, not -0.
#[test]
fn an_empty_matching_totals_plus_zero() {
    let cohort: Cohort = serde_json::json!({
        "questionnaire": {"topics": [{"id": "a"}]},
        "participants": [{"id": "e", "role": "mentee", "seeks": {"a": 1}}]
    })
    .to_string()
    .parse()
    .unwrap();
    let json = serde_json::to_string(&cohort.matcher().solve().unwrap()).unwrap();
    assert!(json.contains("\"total_score\":0.0"), "{json}");
}

/// Past 64 distinct languages, two language sets whose codes fall on the same
/// bit of the quick mask are still told apart exactly.
#[test]
fn shared_language_is_exact_beyond_64_languages() {
    let many: Vec<String> = (0..70).map(|i| format!("l{i}")).collect();
    let cohort: Cohort = json!({
        "questionnaire": {"topics": [{"id": "a"}]},
        "participants": [
            {"id": "m", "role": "mentor", "offers": {"a": 5}, "languages": many, "capacity": 2},
            // l69 is one of the mentor's languages.
            {"id": "shares", "role": "mentee", "seeks": {"a": 3}, "languages": ["l69"]},
            // The 71st language: its mask bit (70 % 64 = 6) is the mentor's l6's.
            {"id": "collides", "role": "mentee", "seeks": {"a": 3}, "languages": ["other"]}
        ]
    })
    .to_string()
    .parse()
    .unwrap();
    let scores = cohort.score_matrix();
    assert!(scores.is_feasible(0, 0));
    assert_eq!(scores.ruled_out_by(0, 1), Some(Rule::RequireSharedLanguage));
}
