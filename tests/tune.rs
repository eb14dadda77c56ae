//! Weight tuning: Kendall's tau-b against `SciPy` and its properties, the
//! Pareto front against a brute-force filter, re-weighing against the
//! matcher's own solve, and learning hidden weights back from ratings.

use mentor_match::{
    Cohort, Component, Feedback, Generator, Goals, Matching, Metric, Objective, Tuner, Weights,
    kendall_tau_b, pareto_front, simplex_grid,
};
use proptest::prelude::*;

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-12)
}

/// Values from `SciPy` 1.17.1, `scipy.stats.kendalltau(x, y).statistic`
/// (tau-b, the default variant); the first pair is the example of `SciPy`'s
/// documentation (-0.47140452079103173).
#[test]
fn kendall_tau_b_matches_scipy() {
    let cases: [(&[f64], &[f64], f64); 5] = [
        (
            &[12.0, 2.0, 1.0, 12.0, 2.0],
            &[1.0, 4.0, 7.0, 1.0, 0.0],
            -0.471_404_520_791_031_6,
        ),
        (
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
            &[3.0, 1.0, 2.0, 5.0, 4.0, 8.0, 6.0, 7.0],
            0.642_857_142_857_142_8,
        ),
        (
            &[0.5, 0.5, 0.7, 0.1, 0.9, 0.7, 0.3, 0.5, 0.2, 0.8],
            &[3.0, 3.0, 4.0, 1.0, 5.0, 2.0, 2.0, 4.0, 1.0, 5.0],
            0.765_490_437_403_431_9,
        ),
        (
            &[1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 3.0, 3.0, 3.0],
            &[1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 1.0, 2.0, 3.0],
            0.0,
        ),
        (&[1.0, 2.0, 3.0, 4.0], &[4.0, 3.0, 2.0, 1.0], -1.0),
    ];
    for (x, y, expected) in cases {
        let tau = kendall_tau_b(x, y);
        assert!(
            close(tau, expected),
            "{x:?} {y:?}: {tau:?}, SciPy {expected}"
        );
    }
    // SciPy returns NaN where tau-b is undefined.
    assert_eq!(kendall_tau_b(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None);
    assert_eq!(kendall_tau_b(&[1.0], &[1.0]), None);
    assert_eq!(kendall_tau_b(&[], &[]), None);
}

/// Samples with many ties: values 0..levels.
fn tied(len: std::ops::Range<usize>) -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    len.prop_flat_map(|n| {
        (
            proptest::collection::vec(0u8..6, n),
            proptest::collection::vec(0u8..4, n),
        )
    })
    .prop_map(|(x, y)| {
        (
            x.into_iter().map(f64::from).collect(),
            y.into_iter().map(f64::from).collect(),
        )
    })
}

proptest! {
    #[test]
    fn kendall_tau_b_properties((x, y) in tied(0..40)) {
        let tau = kendall_tau_b(&x, &y);
        // Symmetric, bit for bit.
        prop_assert_eq!(tau.map(f64::to_bits), kendall_tau_b(&y, &x).map(f64::to_bits));
        if let Some(tau) = tau {
            prop_assert!((-1.0..=1.0).contains(&tau));
            // 1 for identical rankings, -1 for reversed ones.
            prop_assert_eq!(kendall_tau_b(&x, &x), Some(1.0));
            let reversed: Vec<f64> = x.iter().map(|v| -v).collect();
            prop_assert_eq!(kendall_tau_b(&x, &reversed), Some(-1.0));
            prop_assert_eq!(kendall_tau_b(&reversed, &y), Some(-tau));
        }
        // Invariant under strictly increasing transforms of either sample.
        let monotone: Vec<f64> = x.iter().map(|v| (v / 3.0).exp() * 7.0 - 2.0).collect();
        let cubed: Vec<f64> = y.iter().map(|v| v * v * v + 10.0).collect();
        prop_assert_eq!(tau, kendall_tau_b(&monotone, &cubed));
    }

    #[test]
    fn pareto_front_is_the_brute_force_non_dominated_set(
        points in (1usize..4).prop_flat_map(|d| {
            proptest::collection::vec(proptest::collection::vec(0u8..5, d), 0..40)
        })
    ) {
        let points: Vec<Vec<f64>> = points
            .into_iter()
            .map(|p| p.into_iter().map(f64::from).collect())
            .collect();
        prop_assert_eq!(pareto_front(&points), brute_force_front(&points));
    }
}

/// The points no other point dominates, by the definition.
fn brute_force_front(points: &[Vec<f64>]) -> Vec<usize> {
    (0..points.len())
        .filter(|&a| {
            !(0..points.len()).any(|b| {
                points[b].iter().zip(&points[a]).all(|(x, y)| x >= y)
                    && points[b].iter().zip(&points[a]).any(|(x, y)| x > y)
            })
        })
        .collect()
}

/// A generated cohort with pinned pairs, a `min_score` rule and some
/// mentees wanting two mentors, so that re-weighing meets every rule.
fn small_cohort(seed: u64) -> Cohort {
    let cohort = Generator::new(9, 14)
        .topics(5)
        .goals(3)
        .two_mentors(0.3)
        .seed(seed)
        .cohort();
    let mut file = serde_json::to_value(&cohort).unwrap();
    file["pinned"] = serde_json::json!([{"mentor": "mentor-1", "mentee": "mentee-2"}]);
    file["rules"]["min_score"] = serde_json::json!(0.35);
    Cohort::from_value(&file).unwrap()
}

/// The metrics of a matching the matcher solved, computed from its pairs.
fn metrics_of(cohort: &Cohort, matching: &Matching) -> Vec<Option<f64>> {
    let pairs = matching.pairs();
    let n = pairs.len() as f64;
    let mean = |sum: f64| (!pairs.is_empty()).then(|| sum / n);
    vec![
        Some(matching.matched() as f64 / cohort.mentees().len() as f64),
        Some(n),
        Some(matching.total_score()),
        mean(matching.total_score()),
        matching.min_score(),
        matching.quality().topic_coverage(),
        matching.quality().goal_alignment(),
    ]
}

#[test]
fn re_weighing_gives_the_matchers_own_matching_under_every_weighting() {
    let all: Vec<Component> = Component::all().collect();
    let grid = simplex_grid(&all, 3);
    assert_eq!(grid.len(), 35);
    for seed in [1, 2, 3] {
        let cohort = small_cohort(seed);
        for objective in [Objective::Total, Objective::Coverage, Objective::Fairness] {
            let tuner = Tuner::new(&cohort).objective(objective);
            let explored = tuner.explore(&grid).unwrap();
            let mut solved = Vec::new();
            for (weights, metrics) in grid.iter().zip(&explored) {
                let matching = cohort
                    .matcher()
                    .objective(objective)
                    .weights(*weights)
                    .solve()
                    .unwrap();
                let expected = metrics_of(&cohort, &matching);
                let found: Vec<Option<f64>> = Metric::all().map(|m| metrics.get(m)).collect();
                // Bit for bit: the same scores, the same pairs, the same sums.
                assert_eq!(found, expected, "seed {seed}, {objective}, {weights:?}");
                solved.push(expected);
            }

            // The front of the goals, against the brute-force filter of
            // the matcher's metrics.
            let goals = Goals::new()
                .at_least(Metric::MatchedShare, 0.5)
                .maximise(Metric::MinScore)
                .maximise(Metric::TopicCoverage)
                .maximise(Metric::GoalAlignment);
            let admitted: Vec<usize> = (0..grid.len())
                .filter(|&k| solved[k][0].is_some_and(|share| share >= 0.5))
                .collect();
            let points: Vec<Vec<f64>> = admitted
                .iter()
                .map(|&k| {
                    [4, 5, 6]
                        .iter()
                        .map(|&m| solved[k][m].unwrap_or(f64::NEG_INFINITY))
                        .collect()
                })
                .collect();
            let expected: Vec<usize> = brute_force_front(&points)
                .into_iter()
                .map(|k| admitted[k])
                .collect();
            assert_eq!(goals.front(&explored), expected);
            assert!(!expected.is_empty());
        }
    }
}

#[test]
fn bad_weights_are_errors() {
    let cohort = small_cohort(1);
    let tuner = Tuner::new(&cohort);
    let zero = Component::all().fold(Weights::default(), |w, c| w.with(c, 0.0));
    assert!(tuner.evaluate(&zero).is_err());
    assert!(
        tuner
            .evaluate(&Weights::default().with(Component::Goals, -1.0))
            .is_err()
    );
}

/// Hidden weights on the four components that vary in a generated cohort
/// (nobody lists `prefers`, so `preference` is 0 for every pair).
fn hidden() -> Weights {
    Weights::default()
        .with(Component::Skills, 0.2)
        .with(Component::Goals, 0.4)
        .with(Component::Availability, 0.3)
        .with(Component::Preference, 0.0)
        .with(Component::Schedule, 0.1)
}

/// The four learnable components of `weights`, normalised to sum 1.
fn learnable_share(weights: &Weights) -> [f64; 4] {
    let parts = [
        Component::Skills,
        Component::Goals,
        Component::Availability,
        Component::Schedule,
    ]
    .map(|c| weights.get(c));
    let sum: f64 = parts.iter().sum();
    parts.map(|w| w / sum)
}

#[test]
fn feedback_recovers_hidden_weights_from_noisy_ratings() {
    // 150 mentors, 300 mentees, five rounds of about 100 rated pairs each;
    // ratings are the quintiles of score under the hidden weights plus
    // Gaussian noise of standard deviation 0.02.
    let cohort = Generator::new(150, 300)
        .rounds(5)
        .rated_by(hidden(), 0.02)
        .seed(11)
        .cohort();
    let feedback = Feedback::new(&cohort);
    assert!(feedback.len() > 400, "{}", feedback.len());
    assert_eq!(feedback.rounds().len(), 5);
    let components: Vec<Component> = Component::all().collect();
    let start = cohort.weights();
    let tuned = feedback.fit(start, &components, 20);

    // Within 0.05 of the hidden weights on each learnable component
    // (normalised over the four); `preference` keeps its file share.
    let (found, wanted) = (learnable_share(&tuned), learnable_share(&hidden()));
    for (f, w) in found.iter().zip(&wanted) {
        assert!((f - w).abs() <= 0.05, "tuned {found:?}, hidden {wanted:?}");
    }
    let file_share = start.preference() / Component::all().map(|c| start.get(c)).sum::<f64>();
    assert!((tuned.preference() - file_share).abs() < 1e-12);

    // Checked on rounds left out of the fit, the tuned weights agree with
    // the ratings better than the file's (default) weights do.
    let check = feedback.cross_check(start, &components, 20);
    assert_eq!(check.held_out().len(), 5);
    let (file, tuned) = (check.mean_start().unwrap(), check.mean_tuned().unwrap());
    assert!(tuned > file + 0.1, "held out: tuned {tuned}, file {file}");
    for held in check.held_out() {
        assert!(held.tuned() > held.start(), "{held:?}");
    }
}

#[test]
fn uniform_ratings_teach_nothing_beyond_noise() {
    // Without a hidden weighting the generator's ratings are uniform and
    // unrelated to the pairs: held out, no weighting agrees much.
    let cohort = Generator::new(60, 150).rounds(4).seed(5).cohort();
    let feedback = Feedback::new(&cohort);
    let components: Vec<Component> = Component::all().collect();
    let check = feedback.cross_check(cohort.weights(), &components, 10);
    let tuned = check.mean_tuned().unwrap();
    assert!(tuned.abs() < 0.15, "{tuned}");
}

#[test]
fn feedback_without_ratings_or_rounds() {
    let cohort = small_cohort(4);
    let mut file = serde_json::to_value(&cohort).unwrap();
    file["history"] = serde_json::json!([]);
    let bare = Cohort::from_value(&file).unwrap();
    let feedback = Feedback::new(&bare);
    assert!(feedback.is_empty());
    assert_eq!(feedback.agreement(bare.weights()), None);
    let components: Vec<Component> = Component::all().collect();
    assert!(
        feedback
            .cross_check(bare.weights(), &components, 10)
            .held_out()
            .is_empty()
    );
    // Nothing to learn from: the file's weights, normalised.
    let tuned = feedback.fit(bare.weights(), &components, 10);
    let sum: f64 = Component::all().map(|c| bare.weights().get(c)).sum();
    for c in Component::all() {
        assert!((tuned.get(c) - bare.weights().get(c) / sum).abs() < 1e-12);
    }
}

mod support;

fn tune_weights(args: &[&str]) -> std::process::Output {
    support::examples::command("tune_weights")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn tune_weights_prints_the_front_and_weights_to_paste() {
    let output = tune_weights(&[
        "--at-least",
        "matched_share=1",
        "--maximise",
        "topic_coverage,min_score",
    ]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("Constraints: matched_share >= 1"), "{text}");
    assert!(
        text.contains("Maximising: topic_coverage, min_score"),
        "{text}"
    );
    // Every line to paste is a cohort file's `weights` object.
    let pasted: Vec<&str> = text
        .lines()
        .filter_map(|line| line.split_once("\"weights\": ").map(|(_, json)| json))
        .collect();
    assert!(!pasted.is_empty(), "{text}");
    for json in pasted {
        let weights: Weights = serde_json::from_str(json).unwrap();
        let sum: f64 = Component::all().map(|c| weights.get(c)).sum();
        assert!((sum - 1.0).abs() < 1e-3, "{json}");
    }
    // The same output on every run (timings go to stderr).
    let again = tune_weights(&[
        "--at-least",
        "matched_share=1",
        "--maximise",
        "topic_coverage,min_score",
    ]);
    assert_eq!(String::from_utf8(again.stdout).unwrap(), text);
}

#[test]
fn tune_weights_feedback_and_usage_errors() {
    let dir = std::env::temp_dir().join(format!("tune-weights-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("rated.json");
    let cohort = Generator::new(40, 80)
        .rounds(3)
        .rated_by(hidden(), 0.02)
        .seed(3)
        .cohort();
    std::fs::write(&path, serde_json::to_string(&cohort).unwrap()).unwrap();
    let output = tune_weights(&[path.to_str().unwrap(), "--feedback", "--step", "0.1"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    for needle in [
        "round-1",
        "round-3",
        "mean",
        "Kendall's tau-b",
        "\"weights\": {",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }

    for (args, needle) in [
        (&["--step", "0.3"][..], "step"),
        (&["--at-least", "coverage=1"][..], "metric"),
        (&["--maximise", "speed"][..], "metric"),
        (&["--components", "looks"][..], "component"),
        (
            &["--feedback", "--objective", "total"][..],
            "cannot be used",
        ),
    ] {
        let output = tune_weights(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
}
