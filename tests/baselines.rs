//! The baselines (specification, "Quality metrics"): the spec's claim that
//! the stable matching is unique and is what `greedy` builds, proved by an
//! exhaustive search over every valid matching of small cohorts (capacities,
//! several mentors per mentee, `both` participants, ties); `greedy` against
//! a plain re-implementation of its definition; `random` valid, maximal and
//! deterministic; and the blocking-pair count of every method against a
//! plain count.

mod support;

use mentor_match::{Cohort, Matching, Method, Objective, ScoreMatrix};
use proptest::prelude::*;
use serde_json::{Value, json};

/// A small cohort: 1–3 mentor-side and 1–3 mentee-side participants (some
/// `both`), answers of few levels on two topics so that scores tie,
/// capacities 0–2, `mentors_wanted` 1–2, an `avoids` now and then, and
/// (with `pins`) a few valid pinned pairs.
fn cohorts(pins: bool) -> impl Strategy<Value = Value> {
    let person = (
        prop::collection::vec(0u8..=3, 2),
        prop::collection::vec(0u8..=3, 2),
        0u64..=2,
        1u64..=2,
        0u8..=9,
    );
    (1usize..=3, 1usize..=3, 0usize..=1).prop_flat_map(move |(mentors, mentees, both)| {
        (
            prop::collection::vec(person.clone(), mentors + mentees - both.min(mentors.min(mentees))),
            prop::collection::vec((0..mentors, 0..mentees), if pins { 0..=2 } else { 0..=0 }),
        )
            .prop_map(move |(people, picks)| {
                let topics = ["a", "b"];
                let answers = |values: &[u8]| -> Value {
                    let mut map = serde_json::Map::new();
                    for (t, &v) in topics.iter().zip(values) {
                        if v > 0 {
                            map.insert((*t).into(), json!(v + 2));
                        }
                    }
                    if map.is_empty() {
                        map.insert("a".into(), json!(3));
                    }
                    Value::Object(map)
                };
                // Participants 0..mentors are on the mentor side, the last
                // `mentees` on the mentee side: `both` of them on each.
                let count = people.len();
                let first_mentee = count - mentees;
                let mut file_people = Vec::new();
                for (k, (offers, seeks, capacity, wanted, extra)) in people.iter().enumerate() {
                    let is_mentor = k < mentors;
                    let is_mentee = k >= first_mentee;
                    let mut p = json!({"id": format!("p{k}")});
                    p["role"] = json!(match (is_mentor, is_mentee) {
                        (true, true) => "both",
                        (true, false) => "mentor",
                        _ => "mentee",
                    });
                    if is_mentor {
                        p["offers"] = answers(offers);
                        p["capacity"] = json!(capacity);
                    }
                    if is_mentee {
                        p["seeks"] = answers(seeks);
                        p["mentors_wanted"] = json!(wanted);
                    }
                    if *extra == 0 && count > 1 {
                        p["avoids"] = json!([format!("p{}", (k + 1) % count)]);
                    }
                    if *extra == 1 {
                        p["hours_per_month"] = json!(2);
                    }
                    file_people.push(p);
                }
                let file = json!({
                    "questionnaire": {"topics": topics.map(|t| json!({"id": t}))},
                    "participants": file_people,
                    "weights": {"skills": 0.6, "goals": 0, "availability": 0.4, "preference": 0},
                });
                // Keep the pins valid: distinct, within capacities and
                // wants, nobody with themself, no avoided pair.
                let cohort = Cohort::from_value(&file).unwrap();
                let mut load = vec![0u64; cohort.mentors().len()];
                let mut got = vec![0u64; cohort.mentees().len()];
                let mut kept: Vec<(usize, usize)> = Vec::new();
                for (i, j) in picks {
                    let (mentor, mentee) = (cohort.mentor(i.into()), cohort.mentee(j.into()));
                    if mentor.id() != mentee.id()
                        && !kept.contains(&(i, j))
                        && load[i] < mentor.capacity()
                        && got[j] < mentee.mentors_wanted()
                    {
                        load[i] += 1;
                        got[j] += 1;
                        kept.push((i, j));
                    }
                }
                let mut file = file;
                file["pinned"] = kept
                    .iter()
                    .map(|&(i, j)| {
                        json!({"mentor": cohort.mentor(i.into()).id(), "mentee": cohort.mentee(j.into()).id()})
                    })
                    .collect();
                file
            })
    })
}

/// What the plain counts need of a cohort: scores of feasible pairs,
/// capacities, wants and pins, by position.
struct Plain {
    feasible: Vec<Vec<Option<f64>>>,
    capacity: Vec<usize>,
    wanted: Vec<usize>,
    pinned: Vec<(usize, usize)>,
}

impl Plain {
    fn new(cohort: &Cohort, scores: &ScoreMatrix) -> Plain {
        let (mentors, mentees) = (cohort.mentors().len(), cohort.mentees().len());
        Plain {
            feasible: (0..mentors)
                .map(|i| (0..mentees).map(|j| scores.get(i, j)).collect())
                .collect(),
            capacity: (0..mentors)
                .map(|i| usize::try_from(cohort.mentor(i.into()).capacity()).unwrap())
                .collect(),
            wanted: (0..mentees)
                .map(|j| usize::try_from(cohort.mentee(j.into()).mentors_wanted()).unwrap())
                .collect(),
            pinned: cohort
                .pinned()
                .iter()
                .map(|&(i, j)| (i.get(), j.get()))
                .collect(),
        }
    }

    /// The real score of any pair (pinned ones may break rules).
    fn score(scores: &ScoreMatrix, i: usize, j: usize) -> f64 {
        scores.scores()[(i, j)]
    }
}

/// The pairs of a matching as sorted (mentor, mentee) positions.
fn positions(cohort: &Cohort, matching: &Matching) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> = matching
        .pairs()
        .iter()
        .map(|p| {
            (
                cohort.mentor_index(p.mentor()).unwrap().get(),
                cohort.mentee_index(p.mentee()).unwrap().get(),
            )
        })
        .collect();
    pairs.sort_unstable();
    pairs
}

/// Blocking pairs by the definition, pair by pair. With `ranked`, a side
/// prefers by score and then by file order (the strict ranks under which
/// the stable matching is unique); without, by strictly higher score only
/// (the specification's count).
fn blocking_pairs(
    plain: &Plain,
    scores: &ScoreMatrix,
    pairs: &[(usize, usize)],
    ranked: bool,
) -> usize {
    let (mentors, mentees) = (plain.capacity.len(), plain.wanted.len());
    let score = |i: usize, j: usize| Plain::score(scores, i, j);
    let mut count = 0;
    for i in 0..mentors {
        for j in 0..mentees {
            let Some(s) = plain.feasible[i][j] else {
                continue;
            };
            if pairs.contains(&(i, j)) {
                continue;
            }
            let mentors_of_j: Vec<usize> = pairs.iter().filter(|p| p.1 == j).map(|p| p.0).collect();
            let mentees_of_i: Vec<usize> = pairs.iter().filter(|p| p.0 == i).map(|p| p.1).collect();
            // Whether `s` with partner `new` beats `old` with score `t`
            // (scores compared exactly, as the definition does).
            #[allow(clippy::float_cmp)]
            let beats = |t: f64, new: usize, old: usize| s > t || (ranked && s == t && new < old);
            let mentee_wants = mentors_of_j.len() < plain.wanted[j]
                || mentors_of_j.iter().any(|&m| {
                    // Worse than the worst is worse than one; so "beats the
                    // worst" is "beats some current mentor".
                    beats(score(m, j), i, m)
                });
            let mentor_wants = mentees_of_i.len() < plain.capacity[i]
                || mentees_of_i.iter().any(|&e| beats(score(i, e), j, e));
            if mentee_wants && mentor_wants {
                count += 1;
            }
        }
    }
    count
}

/// Every valid matching: pinned pairs plus any set of other feasible pairs
/// within capacities and wants.
fn every_matching(plain: &Plain) -> Vec<Vec<(usize, usize)>> {
    let (mentors, mentees) = (plain.capacity.len(), plain.wanted.len());
    let candidates: Vec<(usize, usize)> = (0..mentors)
        .flat_map(|i| (0..mentees).map(move |j| (i, j)))
        .filter(|&(i, j)| plain.feasible[i][j].is_some() && !plain.pinned.contains(&(i, j)))
        .collect();
    let mut all = Vec::new();
    for subset in 0u32..1 << candidates.len() {
        let mut pairs = plain.pinned.clone();
        pairs.extend(
            (0..candidates.len())
                .filter(|&k| subset & (1 << k) != 0)
                .map(|k| candidates[k]),
        );
        let over_capacity =
            (0..mentors).any(|i| pairs.iter().filter(|p| p.0 == i).count() > plain.capacity[i]);
        let over_wanted =
            (0..mentees).any(|j| pairs.iter().filter(|p| p.1 == j).count() > plain.wanted[j]);
        if !over_capacity && !over_wanted {
            pairs.sort_unstable();
            all.push(pairs);
        }
    }
    all
}

/// Greedy as the specification words it: pinned pairs first, then
/// repeatedly the best pair by (score, then mentor, then mentee file order)
/// among feasible pairs whose mentor has a place and whose mentee wants more.
fn plain_greedy(plain: &Plain) -> Vec<(usize, usize)> {
    let (mentors, mentees) = (plain.capacity.len(), plain.wanted.len());
    let mut pairs = plain.pinned.clone();
    loop {
        let mut best: Option<(f64, usize, usize)> = None;
        for i in 0..mentors {
            for j in 0..mentees {
                let Some(s) = plain.feasible[i][j] else {
                    continue;
                };
                let load = pairs.iter().filter(|p| p.0 == i).count();
                let got = pairs.iter().filter(|p| p.1 == j).count();
                if pairs.contains(&(i, j)) || load >= plain.capacity[i] || got >= plain.wanted[j] {
                    continue;
                }
                // Strictly better only: an equal score keeps the earlier mentor, then mentee.
                if best.is_none_or(|(b, _, _)| s > b) {
                    best = Some((s, i, j));
                }
            }
        }
        match best {
            Some((_, i, j)) => pairs.push((i, j)),
            None => break,
        }
    }
    pairs.sort_unstable();
    pairs
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(support::cases("MENTOR_MATCH_PROPTEST_CASES", 300)))]

    /// The claim of the specification: exactly one valid matching has no
    /// blocking pair under the strict ranks, it is the greedy matching, and
    /// the `stable` method returns it with a blocking-pair count of 0.
    #[test]
    fn the_stable_matching_is_unique_and_is_greedy(file in cohorts(false)) {
        let cohort = Cohort::from_value(&file).unwrap();
        let scores = cohort.score_matrix();
        let plain = Plain::new(&cohort, &scores);
        let stable: Vec<Vec<(usize, usize)>> = every_matching(&plain)
            .into_iter()
            .filter(|pairs| blocking_pairs(&plain, &scores, pairs, true) == 0)
            .collect();
        prop_assert_eq!(stable.len(), 1, "stable matchings: {:?}", stable);
        let greedy = cohort.matcher().method(Method::Greedy).solve().unwrap();
        let from_stable = cohort.matcher().method(Method::Stable).solve().unwrap();
        prop_assert_eq!(&positions(&cohort, &greedy), &stable[0]);
        prop_assert_eq!(&positions(&cohort, &from_stable), &stable[0]);
        prop_assert_eq!(from_stable.quality().blocking_pairs(), 0);
        prop_assert_eq!(greedy.pairs(), from_stable.pairs());
    }

    /// Greedy follows its definition, pinned pairs included.
    #[test]
    fn greedy_is_the_plain_greedy(file in cohorts(true)) {
        let cohort = Cohort::from_value(&file).unwrap();
        let scores = cohort.score_matrix();
        let plain = Plain::new(&cohort, &scores);
        let greedy = cohort.matcher().method(Method::Greedy).solve().unwrap();
        prop_assert_eq!(positions(&cohort, &greedy), plain_greedy(&plain));
    }

    /// Every method's blocking-pair count is the plain count of the
    /// definition (strictly higher scores), with pins, several mentors and
    /// the fairness objective's threshold; scored by the matcher or read
    /// from a given score matrix.
    #[test]
    fn blocking_pairs_agree_with_a_plain_count(file in cohorts(true), seed in 0u64..4) {
        let cohort = Cohort::from_value(&file).unwrap();
        let scores = cohort.score_matrix();
        let plain = Plain::new(&cohort, &scores);
        let mut runs: Vec<(String, Matching)> = Vec::new();
        for objective in [Objective::Total, Objective::Coverage, Objective::Fairness] {
            let matcher = cohort.matcher().objective(objective);
            runs.push((objective.to_string(), matcher.clone().solve().unwrap()));
            runs.push((format!("{objective}, given scores"), matcher.scores(&scores).solve().unwrap()));
        }
        for method in [Method::Greedy, Method::Stable, Method::Random { seed }] {
            runs.push((method.to_string(), cohort.matcher().method(method).solve().unwrap()));
        }
        for (name, matching) in runs {
            let pairs = positions(&cohort, &matching);
            let expected = blocking_pairs(&plain, &scores, &pairs, false);
            prop_assert_eq!(
                matching.quality().blocking_pairs(), expected as u64, "{}: {:?}", name, pairs
            );
        }
    }

    /// Random: pinned pairs in, feasible pairs only, within capacities and
    /// wants, maximal (no feasible pair could still be added), and the same
    /// pairs for the same seed.
    #[test]
    fn random_is_valid_maximal_and_deterministic(file in cohorts(true), seed in any::<u64>()) {
        let cohort = Cohort::from_value(&file).unwrap();
        let scores = cohort.score_matrix();
        let plain = Plain::new(&cohort, &scores);
        let matching = cohort.matcher().method(Method::Random { seed }).solve().unwrap();
        let pairs = positions(&cohort, &matching);
        prop_assert!(every_matching(&plain).contains(&pairs), "not valid: {:?}", pairs);
        for i in 0..plain.capacity.len() {
            for j in 0..plain.wanted.len() {
                let addable = plain.feasible[i][j].is_some()
                    && !pairs.contains(&(i, j))
                    && pairs.iter().filter(|p| p.0 == i).count() < plain.capacity[i]
                    && pairs.iter().filter(|p| p.1 == j).count() < plain.wanted[j];
                prop_assert!(!addable, "({}, {}) could be added to {:?}", i, j, pairs);
            }
        }
        let again = cohort.matcher().method(Method::Random { seed }).solve().unwrap();
        prop_assert_eq!(again, matching);
    }
}

#[test]
fn stable_matchings_of_generated_cohorts_have_no_blocking_pair() {
    for (n, share) in [(60, 0.0), (80, 0.3)] {
        let cohort = mentor_match::Generator::new(n, n)
            .seed(5)
            .two_mentors(share)
            .cohort();
        let stable = cohort.matcher().method(Method::Stable).solve().unwrap();
        if cohort.pinned().is_empty() {
            assert_eq!(stable.quality().blocking_pairs(), 0, "{n}");
        }
        let greedy = cohort.matcher().method(Method::Greedy).solve().unwrap();
        assert_eq!(greedy.pairs(), stable.pairs());
        // The exact optimum never has a smaller total than the baselines.
        let exact = cohort
            .matcher()
            .objective(Objective::Total)
            .solve()
            .unwrap();
        assert!(exact.total_score() >= stable.total_score() - 1e-6);
    }
}

#[test]
fn different_seeds_shuffle_differently() {
    let cohort = mentor_match::Generator::new(40, 40).seed(2).cohort();
    let pairs = |seed| {
        positions(
            &cohort,
            &cohort
                .matcher()
                .method(Method::Random { seed })
                .solve()
                .unwrap(),
        )
    };
    assert_ne!(pairs(1), pairs(2));
    assert_eq!(pairs(1), pairs(1));
}

#[test]
fn unmatched_mentees_of_a_baseline_have_the_specifications_reasons() {
    // bo is taken by the better pair with xi; yu can only have bo
    // (capacity); zed shares no language with anyone (no feasible mentor).
    let cohort = Cohort::from_value(&json!({
        "questionnaire": {"topics": [{"id": "a"}]},
        "participants": [
            {"id": "bo", "role": "mentor", "offers": {"a": 5}, "languages": ["en"]},
            {"id": "xi", "role": "mentee", "seeks": {"a": 5}, "languages": ["en"]},
            {"id": "yu", "role": "mentee", "seeks": {"a": 5}, "level": {"a": 2}, "languages": ["en"]},
            {"id": "zed", "role": "mentee", "seeks": {"a": 5}, "languages": ["fi"]}
        ]
    }))
    .unwrap();
    for method in [Method::Greedy, Method::Stable] {
        let matching = cohort.matcher().method(method).solve().unwrap();
        assert_eq!(matching.mentor_of("xi"), Some("bo"));
        let reasons: Vec<(&str, &str)> = matching
            .unmatched()
            .iter()
            .map(|u| (u.mentee(), u.reason().name()))
            .collect();
        assert_eq!(reasons, [("yu", "capacity"), ("zed", "no_feasible_mentor")]);
    }
}

#[test]
fn a_baseline_needs_memory_for_its_pairs() {
    let cohort = mentor_match::Generator::new(50, 50).seed(1).cohort();
    let exact = cohort.matcher().estimate_bytes();
    let greedy = cohort.matcher().method(Method::Greedy).estimate_bytes();
    let pairs = (cohort.mentors().len() * cohort.mentees().len()) as u64;
    assert_eq!(greedy - exact, 16 * pairs, "24 bytes a pair against 8");
    let error = cohort
        .matcher()
        .method(Method::Greedy)
        .memory_limit(greedy - 1)
        .solve()
        .unwrap_err();
    assert!(
        matches!(error, mentor_match::Error::MemoryLimit { .. }),
        "{error}"
    );
}
