//! Several mentors per mentee (specification 1.1, "Objectives"): the
//! matcher's optimum equals an exhaustive search over every valid matching
//! on small cohorts under every objective; a hand-worked case where copying
//! mentees would pair a mentee twice with one mentor; the `short` list; and
//! the errors of bad `mentors_wanted` and pins.

use mentor_match::{Cohort, Matching, Objective, Solver};
use proptest::prelude::*;
use serde_json::{Value, json};

/// The value of a matching under `objective`, as a tuple compared
/// lexicographically (larger is better): `total` the sum; `coverage`
/// matched mentees, pairs, sum; `fairness` matched mentees, smallest score,
/// pairs, sum.
fn value(objective: Objective, pairs: &[(usize, usize, f64)], mentees: usize) -> [f64; 4] {
    let mut matched = vec![false; mentees];
    for &(_, j, _) in pairs {
        matched[j] = true;
    }
    let matched = matched.iter().filter(|&&m| m).count() as f64;
    let sum = pairs.iter().fold(0.0, |total, &(_, _, s)| total + s);
    let min = pairs
        .iter()
        .map(|&(_, _, s)| s)
        .fold(f64::INFINITY, f64::min);
    let count = pairs.len() as f64;
    match objective {
        Objective::Total => [sum, 0.0, 0.0, 0.0],
        Objective::Coverage => [matched, count, sum, 0.0],
        Objective::Fairness => [
            matched,
            if pairs.is_empty() { 0.0 } else { min },
            count,
            sum,
        ],
    }
}

/// Whether `a` is better than `b`: counts and the smallest score compared
/// exactly (the threshold search compares scores as they are), sums with the
/// tolerance of the specification (scores are quantised to 1e-9 for the
/// solvers, so sums of a few pairs may differ by a few 1e-9).
fn better(objective: Objective, a: [f64; 4], b: [f64; 4]) -> bool {
    let exact = match objective {
        Objective::Total => 0,
        Objective::Coverage => 2,
        Objective::Fairness => 3,
    };
    for (k, (x, y)) in a.iter().zip(&b).enumerate() {
        let tolerance = if k < exact { 0.0 } else { 1e-7 };
        if x - y > tolerance {
            return true;
        }
        if y - x > tolerance {
            return false;
        }
    }
    false
}

/// The best value over every valid matching: each mentee at most its
/// `wanted` distinct mentors, each mentor at most its capacity, feasible
/// pairs only, pinned pairs always in.
fn brute_force(
    objective: Objective,
    feasible: &[Vec<Option<f64>>],
    capacity: &[usize],
    wanted: &[usize],
    pinned: &[(usize, usize, f64)],
) -> [f64; 4] {
    let (mentors, mentees) = (feasible.len(), wanted.len());
    let candidates: Vec<(usize, usize, f64)> = (0..mentors)
        .flat_map(|i| (0..mentees).map(move |j| (i, j)))
        .filter(|&(i, j)| !pinned.iter().any(|&(pi, pj, _)| (pi, pj) == (i, j)))
        .filter_map(|(i, j)| feasible[i][j].map(|s| (i, j, s)))
        .collect();
    let mut best: Option<[f64; 4]> = None;
    for subset in 0u32..1 << candidates.len() {
        let mut pairs: Vec<(usize, usize, f64)> = pinned.to_vec();
        pairs.extend(
            (0..candidates.len())
                .filter(|&k| subset & (1 << k) != 0)
                .map(|k| candidates[k]),
        );
        let mut load = vec![0; mentors];
        let mut got = vec![0; mentees];
        for &(i, j, _) in &pairs {
            load[i] += 1;
            got[j] += 1;
        }
        if (0..mentors).any(|i| load[i] > capacity[i]) || (0..mentees).any(|j| got[j] > wanted[j]) {
            continue;
        }
        let v = value(objective, &pairs, mentees);
        if best.is_none_or(|b| better(objective, v, b)) {
            best = Some(v);
        }
    }
    best.expect("the pinned pairs alone are a valid matching")
}

/// A small cohort: mentors offering some of three topics, mentees seeking
/// them with `mentors_wanted` 1 to 3, capacities 0 to 3, a few pins.
fn cohorts() -> impl Strategy<Value = Value> {
    (1usize..=3, 1usize..=3).prop_flat_map(|(mentors, mentees)| {
        (
            prop::collection::vec((prop::collection::vec(0u8..=5, 3), 0u64..=3), mentors),
            prop::collection::vec(
                (
                    prop::collection::vec(0u8..=5, 3),
                    1u64..=3,
                    prop::collection::vec(1u8..=9, 1),
                ),
                mentees,
            ),
            prop::collection::vec((0..mentors, 0..mentees), 0..=2),
            prop::bool::ANY,
        )
            .prop_map(move |(mentor_answers, mentee_answers, pins, strict)| {
                let topics = ["a", "b", "c"];
                let answers = |levels: &[u8], floor: u8| -> Value {
                    let mut map = serde_json::Map::new();
                    for (t, &level) in topics.iter().zip(levels) {
                        if level >= floor && level > 0 {
                            map.insert((*t).into(), json!(level));
                        }
                    }
                    if map.is_empty() {
                        map.insert("a".into(), json!(1));
                    }
                    Value::Object(map)
                };
                let mut people = Vec::new();
                for (i, (offers, capacity)) in mentor_answers.iter().enumerate() {
                    people.push(json!({
                        "id": format!("m{i}"), "role": "mentor",
                        "offers": answers(offers, 1), "capacity": capacity,
                    }));
                }
                for (j, (seeks, wanted, hours)) in mentee_answers.iter().enumerate() {
                    people.push(json!({
                        "id": format!("e{j}"), "role": "mentee",
                        "seeks": answers(seeks, 1), "mentors_wanted": wanted,
                        "hours_per_month": hours[0],
                    }));
                }
                // Keep the pins valid: within capacities and wants, distinct.
                let mut load = vec![0u64; mentors];
                let mut got = vec![0u64; mentees];
                let mut kept: Vec<(usize, usize)> = Vec::new();
                for (i, j) in pins {
                    if !kept.contains(&(i, j))
                        && load[i] < mentor_answers[i].1
                        && got[j] < mentee_answers[j].1
                    {
                        load[i] += 1;
                        got[j] += 1;
                        kept.push((i, j));
                    }
                }
                let pinned: Vec<Value> = kept
                    .iter()
                    .map(|&(i, j)| json!({"mentor": format!("m{i}"), "mentee": format!("e{j}")}))
                    .collect();
                json!({
                    "questionnaire": {"topics": topics.map(|t| json!({"id": t}))},
                    "participants": people,
                    "pinned": pinned,
                    "rules": {"require_topic_overlap": strict, "min_score": 0.0},
                })
            })
    })
}

fn check(cohort: &Cohort, objective: Objective, matching: &Matching) -> Result<(), TestCaseError> {
    let scores = cohort.score_matrix();
    let (mentors, mentees) = (cohort.mentors().len(), cohort.mentees().len());
    let feasible: Vec<Vec<Option<f64>>> = (0..mentors)
        .map(|i| (0..mentees).map(|j| scores.get(i, j)).collect())
        .collect();
    let capacity: Vec<usize> = cohort
        .mentors()
        .iter()
        .map(|&p| usize::try_from(cohort.at(p).capacity()).unwrap())
        .collect();
    let wanted: Vec<usize> = cohort
        .mentees()
        .iter()
        .map(|&p| usize::try_from(cohort.at(p).mentors_wanted()).unwrap())
        .collect();
    let pinned: Vec<(usize, usize, f64)> = cohort
        .pinned()
        .iter()
        .map(|&(i, j)| {
            let pair = matching
                .pairs_of(cohort.mentee(j).id())
                .find(|p| p.mentor() == cohort.mentor(i).id())
                .expect("a pinned pair is in the result");
            (i.get(), j.get(), pair.score())
        })
        .collect();
    // The matching is valid, and its value is the brute force's.
    let mut pairs = Vec::new();
    let mut load = vec![0; mentors];
    let mut got = vec![0; mentees];
    for pair in matching.pairs() {
        let i = cohort.mentor_index(pair.mentor()).unwrap().get();
        let j = cohort.mentee_index(pair.mentee()).unwrap().get();
        prop_assert!(
            pair.is_pinned() || feasible[i][j].is_some(),
            "infeasible pair {}–{}",
            pair.mentor(),
            pair.mentee()
        );
        load[i] += 1;
        got[j] += 1;
        pairs.push((i, j, pair.score()));
    }
    prop_assert!(
        (0..mentors).all(|i| load[i] <= capacity[i]),
        "over capacity"
    );
    prop_assert!(
        (0..mentees).all(|j| got[j] <= wanted[j]),
        "over mentors_wanted"
    );
    let mut distinct = pairs.iter().map(|&(i, j, _)| (i, j)).collect::<Vec<_>>();
    distinct.sort_unstable();
    distinct.dedup();
    prop_assert_eq!(distinct.len(), pairs.len(), "a pair formed twice");
    let found = value(objective, &pairs, mentees);
    let best = brute_force(objective, &feasible, &capacity, &wanted, &pinned);
    prop_assert!(
        !better(objective, best, found) && !better(objective, found, best),
        "{objective}: found {found:?}, best {best:?}"
    );
    // The short list: matched mentees with fewer mentors than wanted.
    let short: Vec<(String, usize, usize)> = matching
        .short()
        .iter()
        .map(|s| (s.mentee().to_owned(), s.wanted(), s.got()))
        .collect();
    let expected: Vec<(String, usize, usize)> = (0..mentees)
        .filter(|&j| got[j] > 0 && got[j] < wanted[j])
        .map(|j| (cohort.mentee(j.into()).id().to_owned(), wanted[j], got[j]))
        .collect();
    prop_assert_eq!(short, expected);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("MENTOR_MATCH_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400)
    ))]

    #[test]
    fn the_optimum_equals_an_exhaustive_search(file in cohorts()) {
        let cohort: Cohort = file.to_string().parse().unwrap();
        for objective in [Objective::Total, Objective::Coverage, Objective::Fairness] {
            let matching = cohort.matcher().objective(objective).solve().unwrap();
            check(&cohort, objective, &matching)?;
        }
    }

    /// When every mentee wants one mentor, both solvers of the assignment
    /// path agree with the exhaustive search as well (version 1 files).
    #[test]
    fn one_mentor_each_stays_on_the_assignment_path(file in cohorts()) {
        let mut file = file;
        for person in file["participants"].as_array_mut().unwrap() {
            if person["role"] == "mentee" {
                person["mentors_wanted"] = json!(1);
            }
        }
        let mut pins: Vec<Value> = Vec::new();
        for pin in file["pinned"].as_array().unwrap() {
            if !pins.iter().any(|p| p["mentee"] == pin["mentee"]) {
                pins.push(pin.clone());
            }
        }
        file["pinned"] = Value::Array(pins);
        let cohort: Cohort = file.to_string().parse().unwrap();
        for objective in [Objective::Total, Objective::Coverage, Objective::Fairness] {
            for solver in [Solver::JonkerVolgenant, Solver::Hungarian] {
                let matching = cohort.matcher().objective(objective).solver(solver).solve().unwrap();
                check(&cohort, objective, &matching)?;
            }
        }
    }
}

/// Two mentees, two mentors who can each take both. Ana is the better
/// mentor for both (0.8 against Olu's 0.4: the skills component alone,
/// 5 · (1 − 0.2) / 5 and 5 · (0.6 − 0.2) / 5). Ben wants two mentors, Cy one.
///
/// Copying Ben into two mentees for the assignment solver would let both
/// copies take Ana (0.8 + 0.8 with Cy on Olu, 2.0 as well): a pair formed
/// twice. The valid optimum under `total` gives Ben both mentors and Cy Ana:
/// 0.8 + 0.4 + 0.8 = 2.0.
#[test]
fn a_mentee_never_gets_the_same_mentor_twice() {
    let cohort: Cohort = json!({
        "questionnaire": {"topics": [{"id": "t"}, {"id": "u"}]},
        "participants": [
            {"id": "ana", "role": "mentor", "offers": {"t": 5, "u": 5}, "capacity": 2},
            {"id": "olu", "role": "mentor", "offers": {"t": 3, "u": 3}, "capacity": 2},
            {"id": "ben", "role": "mentee", "seeks": {"t": 5}, "level": {"t": 1}, "mentors_wanted": 2},
            {"id": "cy", "role": "mentee", "seeks": {"u": 5}, "level": {"u": 1}}
        ],
        "weights": {"skills": 1, "goals": 0, "availability": 0, "preference": 0}
    })
    .to_string()
    .parse()
    .unwrap();
    let matching = cohort
        .matcher()
        .objective(Objective::Total)
        .solve()
        .unwrap();
    assert_eq!(
        matching.mentors_of("ben").collect::<Vec<_>>(),
        ["ana", "olu"]
    );
    assert_eq!(matching.mentors_of("cy").collect::<Vec<_>>(), ["ana"]);
    assert!((matching.total_score() - (0.8 + 0.4 + 0.8)).abs() < 1e-12);
    assert!(matching.short().is_empty());
}

/// Coverage: a mentee's second mentor never costs another mentee their
/// first. One mentor of capacity 2; Ben wants two mentors and scores far
/// higher, Cy wants one: Cy still gets a place, and Ben is short by one.
#[test]
fn a_second_mentor_never_costs_another_mentee_their_first() {
    let cohort: Cohort = json!({
        "questionnaire": {"topics": [{"id": "t"}]},
        "participants": [
            {"id": "ana", "role": "mentor", "offers": {"t": 5}, "capacity": 2},
            {"id": "olu", "role": "mentor", "offers": {"t": 2}, "capacity": 0},
            {"id": "ben", "role": "mentee", "seeks": {"t": 5}, "mentors_wanted": 2},
            {"id": "cy", "role": "mentee", "seeks": {"t": 1}, "level": {"t": 4}}
        ]
    })
    .to_string()
    .parse()
    .unwrap();
    for objective in [Objective::Coverage, Objective::Fairness] {
        let matching = cohort.matcher().objective(objective).solve().unwrap();
        assert_eq!(matching.matched(), 2, "{objective}");
        let json = serde_json::to_value(&matching).unwrap();
        assert_eq!(
            json["short"],
            json!([{"mentee": "ben", "wanted": 2, "got": 1}]),
            "{objective}"
        );
    }
}

#[test]
fn bad_mentors_wanted_and_pins_name_the_place_and_field() {
    let base = || {
        json!({
            "questionnaire": {"topics": [{"id": "t"}]},
            "participants": [
                {"id": "ana", "role": "mentor", "offers": {"t": 5}, "capacity": 3},
                {"id": "olu", "role": "mentor", "offers": {"t": 4}},
                {"id": "ben", "role": "mentee", "seeks": {"t": 5}, "mentors_wanted": 2}
            ]
        })
    };
    let error = |edit: &dyn Fn(&mut Value)| {
        let mut file = base();
        edit(&mut file);
        file.to_string().parse::<Cohort>().unwrap_err().to_string()
    };
    assert_eq!(
        error(&|f| f["participants"][0]["mentors_wanted"] = json!(2)),
        "participant \"ana\": field `mentors_wanted` belongs to a mentee, but the role is \"mentor\"; use role \"both\""
    );
    assert_eq!(
        error(&|f| f["participants"][2]["mentors_wanted"] = json!(0)),
        "participant \"ben\": field `mentors_wanted` must be an integer >= 1, found 0"
    );
    assert_eq!(
        error(&|f| f["participants"][2]["mentors_wanted"] = json!(1.5)),
        "participant \"ben\": field `mentors_wanted` must be an integer >= 1, found 1.5"
    );
    assert_eq!(
        error(&|f| f["pinned"] = json!([
            {"mentor": "ana", "mentee": "ben"}, {"mentor": "olu", "mentee": "ben"},
            {"mentor": "ana", "mentee": "ben"}
        ])),
        "pinned[2]: pins mentee \"ben\" to mentor \"ana\" again (already in pinned[0])"
    );
    assert_eq!(
        error(&|f| {
            f["participants"][2]["mentors_wanted"] = json!(1);
            f["pinned"] =
                json!([{"mentor": "ana", "mentee": "ben"}, {"mentor": "olu", "mentee": "ben"}]);
        }),
        "pinned[1]: pins more mentors to mentee \"ben\" than the 1 they want (`mentors_wanted`)"
    );
    // Two pinned mentors for a mentee who wants two are fine.
    let mut file = base();
    file["pinned"] =
        json!([{"mentor": "ana", "mentee": "ben"}, {"mentor": "olu", "mentee": "ben"}]);
    let cohort: Cohort = file.to_string().parse().unwrap();
    let matching = cohort.matcher().solve().unwrap();
    assert_eq!(
        matching.mentors_of("ben").collect::<Vec<_>>(),
        ["ana", "olu"]
    );
    assert!(matching.pairs().iter().all(mentor_match::Pair::is_pinned));
}
