//! The quality metrics of a matching (specification, "Quality metrics"):
//! hand-computed cases with the arithmetic in the comments, quartiles against
//! numpy, and the `quality` object of the result JSON.

mod support;

use mentor_match::{Cohort, Matching, Method, Objective, topic_coverage};
use serde_json::{Value, json};

/// Scores in these cases are sums of a few products of fifths: equal to the
/// hand arithmetic up to a few units in the last place.
fn close(found: Option<f64>, expected: f64) -> bool {
    found.is_some_and(|found| (found - expected).abs() < 1e-12)
}

/// Three topics, two goals, skills-only weights (score = the skills
/// component), preferences that do not change any score.
///
/// Feasible pairs (`require_topic_overlap` rules out the rest), with
/// `e = offers/5`, `s = seeks/5`, `c = level/5`:
/// - ana–cy: (0.8·(1 − 0) + 0.2·max(0, 0.4 − 0.4)) / (0.8 + 0.2) = 0.8
/// - bo–di: 0.4·0.8 / 0.4 = 0.8
/// - bo–ed: (0.2·max(0, 0 − 1) + 0.6·(0.8 − 0)) / (0.2 + 0.6) = 0.6
///
/// (ana–ed: `a` is at ed's level 5 and ana has no `c`: skills 0.)
fn three_pairs() -> Cohort {
    Cohort::from_value(&json!({
        "questionnaire": {
            "topics": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
            "goals": [{"id": "g1"}, {"id": "g2"}]
        },
        "participants": [
            {"id": "ana", "role": "mentor", "offers": {"a": 5, "b": 2}, "capacity": 2, "goals": {"g1": 5}},
            {"id": "bo", "role": "mentor", "offers": {"c": 4}, "capacity": 2, "goals": {"g2": 5}},
            {"id": "cy", "role": "mentee", "seeks": {"a": 4, "b": 1}, "level": {"b": 2},
             "goals": {"g1": 5}, "prefers": ["ana"]},
            {"id": "di", "role": "mentee", "seeks": {"c": 2}, "goals": {"g1": 3, "g2": 4},
             "prefers": ["cy"]},
            {"id": "ed", "role": "mentee", "seeks": {"a": 1, "c": 3}, "level": {"a": 5},
             "prefers": ["ana"]}
        ],
        "weights": {"skills": 1, "goals": 0, "availability": 0, "preference": 0}
    }))
    .unwrap()
}

#[test]
fn every_metric_of_a_hand_computed_matching() {
    let cohort = three_pairs();
    for method in [Method::Exact, Method::Greedy, Method::Stable] {
        // Every feasible pair fits (ana has 2 places, bo 2): each method
        // forms all three.
        let matching = cohort.matcher().method(method).solve().unwrap();
        assert_eq!(matching.pairs().len(), 3, "{method}");
        let q = matching.quality();
        // 3 of 3 mentees; 3 pairs of 2 + 2 places.
        assert_eq!(q.matched_share(), Some(1.0));
        assert_eq!(q.places_used(), Some(0.75));
        // (0.8 + 0.8 + 0.6) / 3 and the smallest, 0.6.
        assert!(close(q.mean_score(), 2.2 / 3.0), "{:?}", q.mean_score());
        assert!(close(q.min_score(), 0.6));
        // Sorted [0.6, 0.8, 0.8], n = 3: at (n − 1)·q = 0.5, 1, 1.5 the
        // quartiles are 0.6 + 0.5·0.2 = 0.7, 0.8, 0.8.
        let [q1, q2, q3] = q.score_quartiles().unwrap();
        assert!(close(Some(q1), 0.7) && close(Some(q2), 0.8) && close(Some(q3), 0.8));
        // Topic coverage, Σ s·[e > c] / Σ s on the answers: ana–cy
        // a (5 > 0) yes, b (2 > 2) no: 4 / 5; bo–di c: 2 / 2; bo–ed a (0 > 5)
        // no, c (4 > 0) yes: 3 / 4. Mean (0.8 + 1 + 0.75) / 3 = 0.85.
        assert!(close(q.topic_coverage(), 2.55 / 3.0));
        // Goals, cosines: ana (1, 0)·cy (1, 0) = 1; bo (0, 1)·di (0.6, 0.8)
        // = 0.8; ed gives none: 0. Mean 1.8 / 3 = 0.6.
        assert!(close(q.goal_alignment(), 0.6));
        // cy and ed list a mentor-side participant (di lists cy, a mentee
        // only); cy got ana, ed got bo: 1 of 2.
        assert_eq!(q.preferred_share(), Some(0.5));
        // Every feasible pair is matched: nothing can block.
        assert_eq!(q.blocking_pairs(), 0);
    }
}

/// Two mentors of one place, two mentees, skills only:
/// - ana–xi 1.0 (a: 5 from level 0), bo–xi 0.8 (a: 4);
/// - ana–yu: b 5 from level 1: 1 − 0.2 = 0.8; bo offers no b: infeasible.
///
/// Coverage pairs both mentees: ana–yu 0.8 and bo–xi 0.8, total 1.6. Then
/// ana–xi blocks: 1.0 beats xi's 0.8 (bo) and ana's 0.8 (yu). The stable
/// matching takes the best pair first, ana–xi, and yu is left out (its
/// only feasible mentor is taken): total 1.0, one mentee, nothing blocks.
fn crossing() -> Cohort {
    Cohort::from_value(&json!({
        "questionnaire": {"topics": [{"id": "a"}, {"id": "b"}]},
        "participants": [
            {"id": "ana", "role": "mentor", "offers": {"a": 5, "b": 5}},
            {"id": "bo", "role": "mentor", "offers": {"a": 4}},
            {"id": "xi", "role": "mentee", "seeks": {"a": 5}, "prefers": ["bo"]},
            {"id": "yu", "role": "mentee", "seeks": {"b": 5}, "level": {"b": 1}, "prefers": ["ana"]}
        ],
        "weights": {"skills": 1, "goals": 0, "availability": 0, "preference": 0}
    }))
    .unwrap()
}

#[test]
fn what_the_exact_objective_buys_and_what_stable_matching_buys() {
    let cohort = crossing();
    let exact = cohort
        .matcher()
        .objective(Objective::Coverage)
        .solve()
        .unwrap();
    assert_eq!(exact.mentor_of("xi"), Some("bo"));
    assert_eq!(exact.mentor_of("yu"), Some("ana"));
    let q = exact.quality();
    assert_eq!(q.matched_share(), Some(1.0));
    assert!(close(q.mean_score(), 0.8));
    // Both mentees got the mentor they prefer.
    assert_eq!(q.preferred_share(), Some(1.0));
    assert_eq!(q.blocking_pairs(), 1);

    let stable = cohort.matcher().method(Method::Stable).solve().unwrap();
    assert_eq!(stable.mentor_of("xi"), Some("ana"));
    assert_eq!(stable.mentor_of("yu"), None);
    assert_eq!(stable.unmatched()[0].reason().name(), "capacity");
    let q = stable.quality();
    assert_eq!(q.matched_share(), Some(0.5));
    assert_eq!(q.places_used(), Some(0.5));
    assert_eq!(q.mean_score(), Some(1.0));
    assert_eq!(q.score_quartiles(), Some([1.0, 1.0, 1.0]));
    // xi prefers bo and got ana.
    assert_eq!(q.preferred_share(), Some(0.0));
    assert_eq!(q.blocking_pairs(), 0);
}

#[test]
fn a_full_mentee_or_mentor_blocks_only_for_a_strictly_better_score() {
    // ana–xi and bo–xi both 0.8 (a tie), one place each, xi wants one: the
    // matching xi–ana leaves bo free, but xi does not strictly prefer bo.
    let cohort = Cohort::from_value(&json!({
        "questionnaire": {"topics": [{"id": "a"}]},
        "participants": [
            {"id": "ana", "role": "mentor", "offers": {"a": 4}},
            {"id": "bo", "role": "mentor", "offers": {"a": 4}},
            {"id": "xi", "role": "mentee", "seeks": {"a": 5}}
        ]
    }))
    .unwrap();
    for method in [Method::Exact, Method::Greedy, Method::Random { seed: 3 }] {
        let matching = cohort.matcher().method(method).solve().unwrap();
        assert_eq!(matching.quality().blocking_pairs(), 0, "{method}");
    }
    // Greedy breaks the tie by mentor file order.
    let greedy = cohort.matcher().method(Method::Greedy).solve().unwrap();
    assert_eq!(greedy.mentor_of("xi"), Some("ana"));
}

#[test]
fn a_mentee_short_of_mentors_blocks_with_any_free_feasible_mentor() {
    // xi wants two mentors; a pinned pair gives it bo, and the fairness
    // objective keeps ana out (ana–xi 0.2 would lower the minimum below
    // the pinned 0.8): xi is short and ana has a place, so ana–xi blocks.
    let cohort = Cohort::from_value(&json!({
        "questionnaire": {"topics": [{"id": "a"}]},
        "participants": [
            {"id": "ana", "role": "mentor", "offers": {"a": 1}},
            {"id": "bo", "role": "mentor", "offers": {"a": 4}},
            {"id": "xi", "role": "mentee", "seeks": {"a": 5}, "mentors_wanted": 2}
        ],
        "pinned": [{"mentor": "bo", "mentee": "xi"}],
        "weights": {"skills": 1, "goals": 0, "availability": 0, "preference": 0}
    }))
    .unwrap();
    let fairness = cohort
        .matcher()
        .objective(Objective::Fairness)
        .solve()
        .unwrap();
    assert_eq!(fairness.mentors_of("xi").collect::<Vec<_>>(), ["bo"]);
    assert_eq!(fairness.quality().blocking_pairs(), 1);
    let coverage = cohort
        .matcher()
        .objective(Objective::Coverage)
        .solve()
        .unwrap();
    assert_eq!(coverage.pairs().len(), 2);
    assert_eq!(coverage.quality().blocking_pairs(), 0);
}

/// The bundled pilot under `coverage`: six pairs, so the quartiles fall at
/// (n − 1)·q = 1.25, 2.5 and 3.75, below, at and above the midpoint of
/// numpy's interpolation.
#[test]
fn quartiles_agree_with_numpy() {
    let matching = support::pilot()
        .matcher()
        .objective(Objective::Coverage)
        .solve()
        .unwrap();
    let scores: Vec<f64> = matching
        .pairs()
        .iter()
        .map(mentor_match::Pair::score)
        .collect();
    // The pair scores as the result prints them (full precision).
    let mut sorted = scores.clone();
    sorted.sort_by(f64::total_cmp);
    assert_eq!(
        sorted, PILOT_SCORES,
        "the pilot's scores changed; recompute the quartiles with numpy"
    );
    // Source: numpy 2.4.6, `numpy.percentile(PILOT_SCORES, [25, 50, 75])`
    // with the default method "linear", printed with `repr`.
    assert_eq!(
        matching.quality().score_quartiles(),
        Some(PILOT_QUARTILES),
        "{scores:?}"
    );
}

// As the result and numpy print them.
#[allow(clippy::unreadable_literal)]
const PILOT_SCORES: [f64; 6] = [
    0.320613883008419,
    0.5657423748040545,
    0.6303479378997449,
    0.6607896101245828,
    0.6760816619568111,
    0.7824206198959281,
];
#[allow(clippy::unreadable_literal)]
const PILOT_QUARTILES: [f64; 3] = [0.5818937655779771, 0.6455687740121638, 0.672258648998754];

#[test]
fn the_quality_object_follows_short_with_the_specifications_keys() {
    let matching = support::pilot().matcher().solve().unwrap();
    let text = serde_json::to_string(&matching).unwrap();
    let keys: Vec<String> = serde_json::from_str::<serde_json::Map<String, Value>>(&text)
        .unwrap()
        .keys()
        .cloned()
        .collect();
    // serde_json's map keeps the order only with a feature; read the text.
    let position = |key: &str| text.find(&format!("\"{key}\":")).unwrap();
    assert!(position("short") < position("quality"), "{text}");
    assert!(
        !keys.contains(&"method".to_owned()),
        "an exact result names no method"
    );
    let quality = serde_json::to_value(matching.quality()).unwrap();
    let names: Vec<&str> = quality
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = [
        "matched_share",
        "places_used",
        "mean_score",
        "min_score",
        "score_quartiles",
        "topic_coverage",
        "goal_alignment",
        "preferred_share",
        "blocking_pairs",
    ];
    expected.sort_unstable();
    assert_eq!(names, expected);
    let inner = &text[position("quality")..];
    let order: Vec<usize> = [
        "matched_share",
        "places_used",
        "mean_score",
        "min_score",
        "score_quartiles",
        "topic_coverage",
        "goal_alignment",
        "preferred_share",
        "blocking_pairs",
    ]
    .iter()
    .map(|key| inner.find(&format!("\"{key}\":")).unwrap())
    .collect();
    assert!(order.is_sorted(), "{inner}");
}

#[test]
fn baseline_results_name_their_method_and_read_back() {
    let cohort = support::pilot();
    for method in [
        Method::Greedy,
        Method::Stable,
        Method::Random { seed: 11 },
        Method::Exact,
    ] {
        let matching = cohort.matcher().method(method).solve().unwrap();
        assert_eq!(matching.method(), method);
        let value = serde_json::to_value(&matching).unwrap();
        if method == Method::Exact {
            assert!(value.get("method").is_none());
        } else {
            assert_eq!(value["method"], method.name());
        }
        assert_eq!(value.get("seed").and_then(Value::as_u64), method.seed());
        let again: Matching = serde_json::from_value(value).unwrap();
        assert_eq!(again, matching);
    }
    let mut value = serde_json::to_value(cohort.matcher().solve().unwrap()).unwrap();
    value["seed"] = json!(3);
    let error = serde_json::from_value::<Matching>(value).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("a seed belongs to method random"),
        "{error}"
    );
}

#[test]
fn topic_coverage_of_one_pair() {
    let cohort = three_pairs();
    let person = |id| cohort.participant(id).unwrap();
    // ana–cy: a (5 > 0) covered, b (2 > 2) not: 4 / (4 + 1).
    assert_eq!(topic_coverage(person("ana"), person("cy")), Some(0.8));
    // bo–cy: bo offers neither a nor b.
    assert_eq!(topic_coverage(person("bo"), person("cy")), Some(0.0));
    // A mentor-only participant seeks nothing.
    assert_eq!(topic_coverage(person("cy"), person("ana")), None);
}

#[test]
fn the_html_report_shows_the_quality_and_the_short_list() {
    // xi wants two mentors and can have only ana (bo has capacity 0).
    let cohort = Cohort::from_value(&json!({
        "questionnaire": {"topics": [{"id": "a"}]},
        "participants": [
            {"id": "ana", "role": "mentor", "offers": {"a": 5}},
            {"id": "bo", "role": "mentor", "offers": {"a": 5}, "capacity": 0},
            {"id": "xi", "role": "mentee", "seeks": {"a": 5}, "mentors_wanted": 2}
        ]
    }))
    .unwrap();
    let matching = cohort.matcher().method(Method::Greedy).solve().unwrap();
    let page = mentor_match::html_report(&cohort, &matching);
    assert!(page.contains("<section class=\"panel\" id=\"quality\">"));
    assert!(page.contains("Method <b>greedy</b>"));
    // One pair of one place: every share is 100%.
    assert!(page.contains(
        "data-metric=\"places-used\"><td>Mentor places used</td><td class=\"score\">100%"
    ));
    assert!(
        page.contains("data-metric=\"blocking\"><td>Blocking pairs</td><td class=\"score\">0<")
    );
    assert!(page.contains("<tr class=\"short\" data-mentee=\"xi\">"));
    assert!(page.contains("1 of 2 wanted"));
}
