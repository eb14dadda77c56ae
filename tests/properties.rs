//! Properties on random small cohorts (up to 7 mentors × 7 mentees, 1–16 topics, 0–9 goals,
//! capacities 0–3, random rules, pinned pairs, `both` roles): scores equal a
//! plain re-implementation of the specification and lie in [0, 1]; parallel
//! scoring equals sequential; every matching is valid; every objective's
//! optimum equals an exhaustive search; both solvers agree.
//!
//! `MENTOR_MATCH_PROPTEST_CASES` sets the number of cases (default 160).

// The plain re-implementation mirrors the specification's formulas with
// their one-letter names, and compares optima exactly where they are exact.
#![allow(
    clippy::too_many_lines,
    clippy::many_single_char_names,
    clippy::cast_possible_truncation,
    clippy::float_cmp
)]

use std::collections::{HashMap, HashSet};

use mentor_match::{Cohort, Matching, Objective, Reason, Solver};
use proptest::prelude::*;
use serde_json::{Value, json};

const OBJECTIVES: [Objective; 3] = [Objective::Total, Objective::Coverage, Objective::Fairness];
const RULES: [&str; 9] = [
    "self",
    "avoids",
    "forbid_repeat",
    "forbid_manager",
    "forbid_same_team",
    "require_shared_language",
    "require_topic_overlap",
    "require_senior_mentor",
    "min_score",
];

/// A small seeded generator (xorshift64*), so a failing seed reproduces.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A random valid cohort file.
fn random_cohort(seed: u64) -> Value {
    let mut r = Random(seed | 1);
    let topics: Vec<String> = (0..=r.below(16)).map(|t| format!("t{t}")).collect();
    let goals: Vec<String> = (0..r.below(10)).map(|g| format!("g{g}")).collect();
    let mut roles = Vec::new();
    roles.extend(std::iter::repeat_n("mentor", r.below(5)));
    roles.extend(std::iter::repeat_n("mentee", r.below(5)));
    roles.extend(std::iter::repeat_n("both", r.below(4)));
    // Shuffle so that file order mixes roles.
    for i in (1..roles.len()).rev() {
        let j = r.below(i + 1);
        roles.swap(i, j);
    }
    let ids: Vec<String> = (0..roles.len()).map(|i| format!("p{i}")).collect();
    let answers = |r: &mut Random, keys: &[String], min: u64, percent: usize, non_empty: bool| {
        let mut map = serde_json::Map::new();
        for key in keys {
            if r.chance(percent) {
                map.insert(key.clone(), json!(min + r.next() % (6 - min)));
            }
        }
        if non_empty && map.is_empty() {
            map.insert(r.pick(keys).clone(), json!(1 + r.next() % 5));
        }
        Value::Object(map)
    };
    let mut participants = Vec::new();
    for (i, &role) in roles.iter().enumerate() {
        let mut p = serde_json::Map::new();
        p.insert("id".into(), json!(ids[i]));
        p.insert("role".into(), json!(role));
        if role != "mentee" {
            p.insert("offers".into(), answers(&mut r, &topics, 1, 50, true));
            if r.chance(80) {
                p.insert("capacity".into(), json!(r.below(4)));
            }
        }
        if role != "mentor" {
            p.insert("seeks".into(), answers(&mut r, &topics, 1, 50, true));
            if r.chance(50) {
                p.insert("level".into(), answers(&mut r, &topics, 0, 50, false));
            }
        }
        if r.chance(70) {
            p.insert("goals".into(), answers(&mut r, &goals, 1, 60, false));
        }
        if r.chance(60) {
            p.insert(
                "hours_per_month".into(),
                json!(*r.pick(&[1.0, 2.0, 2.5, 4.0, 8.0])),
            );
        }
        if r.chance(60) {
            let langs: Vec<&str> = ["fi", "en", "sv"]
                .into_iter()
                .filter(|_| r.chance(45))
                .collect();
            p.insert("languages".into(), json!(langs));
        }
        if r.chance(50) {
            p.insert("team".into(), json!(r.pick(&["web", "design"])));
        }
        if r.chance(50) {
            p.insert("seniority".into(), json!(r.below(5)));
        }
        let others: Vec<&String> = ids.iter().filter(|id| **id != ids[i]).collect();
        if !others.is_empty() {
            if r.chance(20) {
                p.insert("manager".into(), json!(r.pick(&others)));
            }
            for (field, percent) in [("prefers", 15), ("avoids", 8)] {
                let chosen: Vec<&&String> = others.iter().filter(|_| r.chance(percent)).collect();
                if !chosen.is_empty() {
                    p.insert(field.into(), json!(chosen));
                }
            }
        }
        participants.push(Value::Object(p));
    }
    let mentors: Vec<usize> = (0..roles.len()).filter(|&i| roles[i] != "mentee").collect();
    let mentees: Vec<usize> = (0..roles.len()).filter(|&i| roles[i] != "mentor").collect();
    let mut history = Vec::new();
    for &m in &mentors {
        for &e in &mentees {
            if m != e && r.chance(10) {
                history.push(json!({"mentor": ids[m], "mentee": ids[e], "round": "earlier"}));
            }
        }
    }
    if r.chance(20) {
        history.push(json!({"mentor": "someone-who-left", "mentee": ids.first().cloned().unwrap_or_default()}));
    }
    let capacity = |p: usize| {
        participants[p]
            .get("capacity")
            .map_or(1, |c| c.as_u64().unwrap())
    };
    let mut pinned = Vec::new();
    let mut used: HashMap<usize, u64> = HashMap::new();
    let mut pinned_mentees = HashSet::new();
    if !mentors.is_empty() && !mentees.is_empty() {
        for _ in 0..r.below(3) {
            let (m, e) = (*r.pick(&mentors), *r.pick(&mentees));
            if m != e
                && !pinned_mentees.contains(&e)
                && used.get(&m).copied().unwrap_or(0) < capacity(m)
            {
                *used.entry(m).or_default() += 1;
                pinned_mentees.insert(e);
                pinned.push(json!({"mentor": ids[m], "mentee": ids[e]}));
            }
        }
    }
    let weights: Vec<f64> = (0..4).map(|_| *r.pick(&[0.0, 0.1, 0.5, 1.0])).collect();
    let weights = if weights.iter().sum::<f64>() > 0.0 {
        weights
    } else {
        vec![0.5, 0.3, 0.1, 0.1]
    };
    json!({
        "questionnaire": {
            "topics": topics.iter().map(|t| json!({"id": t, "label": t})).collect::<Vec<_>>(),
            "goals": goals.iter().map(|g| json!({"id": g, "label": g})).collect::<Vec<_>>(),
        },
        "participants": participants,
        "history": history,
        "pinned": pinned,
        "rules": {
            "forbid_repeat": r.chance(70), "forbid_manager": r.chance(70),
            "forbid_same_team": r.chance(30), "require_shared_language": r.chance(60),
            "require_topic_overlap": r.chance(70), "require_senior_mentor": r.chance(30),
            "min_score": *r.pick(&[0.0, 0.0, 0.2, 0.35]),
        },
        "weights": {"skills": weights[0], "goals": weights[1], "availability": weights[2], "preference": weights[3]},
    })
}

/// The specification's scores and rules, written plainly from the JSON:
/// per (mentor, mentee) the score and every broken rule, in rule order.
struct Plain {
    mentors: Vec<String>,
    mentees: Vec<String>,
    capacity: Vec<usize>,
    score: Vec<Vec<f64>>,
    broken: Vec<Vec<Vec<&'static str>>>,
    pinned: Vec<(usize, usize)>,
}

fn plain(file: &Value) -> Plain {
    let topics: Vec<&str> = file["questionnaire"]["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    let goals: Vec<&str> = file["questionnaire"]["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    let people = file["participants"].as_array().unwrap();
    let side = |roles: [&str; 2]| -> Vec<&Value> {
        people
            .iter()
            .filter(|p| roles.contains(&p["role"].as_str().unwrap()))
            .collect()
    };
    let mentors = side(["mentor", "both"]);
    let mentees = side(["mentee", "both"]);
    let vector = |p: &Value, field: &str, ids: &[&str]| -> Vec<f64> {
        ids.iter()
            .map(|id| p[field][*id].as_f64().unwrap_or(0.0) / 5.0)
            .collect()
    };
    let list = |p: &Value, field: &str| -> Vec<String> {
        p[field]
            .as_array()
            .map(|a| a.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
            .unwrap_or_default()
    };
    let rules = &file["rules"];
    let on = |name: &str| rules[name].as_bool().unwrap();
    let w = &file["weights"];
    let (ws, wg, wa, wp) = (
        w["skills"].as_f64().unwrap(),
        w["goals"].as_f64().unwrap(),
        w["availability"].as_f64().unwrap(),
        w["preference"].as_f64().unwrap(),
    );
    let history: HashSet<(String, String)> = file["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["mentor"].as_str().unwrap().to_owned(),
                h["mentee"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let id = |p: &Value| p["id"].as_str().unwrap().to_owned();

    let mut score = vec![vec![0.0; mentees.len()]; mentors.len()];
    let mut broken = vec![vec![Vec::new(); mentees.len()]; mentors.len()];
    for (i, m) in mentors.iter().enumerate() {
        for (j, e) in mentees.iter().enumerate() {
            let (ex, s, c) = (
                vector(m, "offers", &topics),
                vector(e, "seeks", &topics),
                vector(e, "level", &topics),
            );
            let skills = (0..topics.len())
                .map(|t| s[t] * (ex[t] - c[t]).max(0.0))
                .sum::<f64>()
                / s.iter().sum::<f64>();
            let (gm, ge) = (vector(m, "goals", &goals), vector(e, "goals", &goals));
            let (nm, ne) = (
                gm.iter().map(|x| x * x).sum::<f64>().sqrt(),
                ge.iter().map(|x| x * x).sum::<f64>().sqrt(),
            );
            let goal = if nm == 0.0 || ne == 0.0 {
                0.0
            } else {
                (gm.iter().zip(&ge).map(|(a, b)| a * b).sum::<f64>() / (nm * ne)).clamp(0.0, 1.0)
            };
            let availability = match (m["hours_per_month"].as_f64(), e["hours_per_month"].as_f64())
            {
                (Some(a), Some(b)) => a.min(b) / a.max(b),
                _ => 1.0,
            };
            let preference = 0.5 * f64::from(u8::from(list(e, "prefers").contains(&id(m))))
                + 0.5 * f64::from(u8::from(list(m, "prefers").contains(&id(e))));
            let total = (ws * skills + wg * goal + wa * availability + wp * preference)
                / (ws + wg + wa + wp);
            score[i][j] = total;
            let (lm, le) = (list(m, "languages"), list(e, "languages"));
            let checks = [
                id(m) == id(e),
                list(m, "avoids").contains(&id(e)) || list(e, "avoids").contains(&id(m)),
                on("forbid_repeat") && history.contains(&(id(m), id(e))),
                on("forbid_manager")
                    && (m["manager"].as_str() == Some(&id(e))
                        || e["manager"].as_str() == Some(&id(m))),
                on("forbid_same_team") && m["team"].is_string() && m["team"] == e["team"],
                on("require_shared_language")
                    && !lm.is_empty()
                    && !le.is_empty()
                    && !lm.iter().any(|l| le.contains(l)),
                on("require_topic_overlap") && skills == 0.0,
                on("require_senior_mentor")
                    && matches!((m["seniority"].as_i64(), e["seniority"].as_i64()), (Some(a), Some(b)) if a < b),
                total < rules["min_score"].as_f64().unwrap(),
            ];
            broken[i][j] = RULES
                .iter()
                .zip(checks)
                .filter(|(_, hit)| *hit)
                .map(|(name, _)| *name)
                .collect();
        }
    }
    let position =
        |list: &[&Value], wanted: &str| list.iter().position(|p| p["id"] == wanted).unwrap();
    let pinned = file["pinned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                position(&mentors, p["mentor"].as_str().unwrap()),
                position(&mentees, p["mentee"].as_str().unwrap()),
            )
        })
        .collect();
    Plain {
        capacity: mentors
            .iter()
            .map(|m| m["capacity"].as_u64().unwrap_or(1) as usize)
            .collect(),
        mentors: mentors.iter().map(|p| id(p)).collect(),
        mentees: mentees.iter().map(|p| id(p)).collect(),
        score,
        broken,
        pinned,
    }
}

/// The best (count, min, sum) per objective over every valid matching.
#[derive(Debug, Default)]
struct Optimum {
    total: f64,
    coverage: (usize, f64),
    fairness: (usize, f64, f64),
}

fn exhaustive(plain: &Plain) -> Optimum {
    let mut left = plain.capacity.clone();
    let mut fixed = vec![false; plain.mentees.len()];
    let (mut count, mut sum, mut low) = (0, 0.0, f64::INFINITY);
    for &(i, j) in &plain.pinned {
        left[i] -= 1;
        fixed[j] = true;
        count += 1;
        sum += plain.score[i][j];
        low = low.min(plain.score[i][j]);
    }
    let free: Vec<usize> = (0..plain.mentees.len()).filter(|&j| !fixed[j]).collect();
    let mut best = Optimum {
        total: f64::NEG_INFINITY,
        coverage: (0, f64::NEG_INFINITY),
        fairness: (0, f64::NEG_INFINITY, f64::NEG_INFINITY),
    };
    search(plain, &free, 0, &mut left, count, sum, low, &mut best);
    best
}

#[allow(clippy::too_many_arguments)]
fn search(
    plain: &Plain,
    free: &[usize],
    at: usize,
    left: &mut [usize],
    count: usize,
    sum: f64,
    low: f64,
    best: &mut Optimum,
) {
    if at == free.len() {
        best.total = best.total.max(sum);
        if (count, sum) > best.coverage {
            best.coverage = (count, sum);
        }
        if (count, low, sum) > best.fairness {
            best.fairness = (count, low, sum);
        }
        return;
    }
    let j = free[at];
    search(plain, free, at + 1, left, count, sum, low, best);
    for i in 0..plain.mentors.len() {
        if left[i] > 0 && plain.broken[i][j].is_empty() {
            left[i] -= 1;
            let s = plain.score[i][j];
            search(
                plain,
                free,
                at + 1,
                left,
                count + 1,
                sum + s,
                low.min(s),
                best,
            );
            left[i] += 1;
        }
    }
}

/// Validity of a matching against the plain model.
fn check_valid(plain: &Plain, matching: &Matching) {
    let mut seen = HashSet::new();
    let mut load: HashMap<&str, usize> = HashMap::new();
    for pair in matching.pairs() {
        assert!(
            seen.insert(pair.mentee()),
            "{} matched twice",
            pair.mentee()
        );
        *load.entry(pair.mentor()).or_default() += 1;
        let i = plain
            .mentors
            .iter()
            .position(|m| m == pair.mentor())
            .unwrap();
        let j = plain
            .mentees
            .iter()
            .position(|m| m == pair.mentee())
            .unwrap();
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
    for (i, mentor) in plain.mentors.iter().enumerate() {
        assert!(
            load.get(mentor.as_str()).copied().unwrap_or(0) <= plain.capacity[i],
            "{mentor} over capacity"
        );
    }
    for &(i, j) in &plain.pinned {
        assert_eq!(
            matching.mentor_of(&plain.mentees[j]),
            Some(plain.mentors[i].as_str())
        );
    }
    assert_eq!(
        matching.pairs().len() + matching.unmatched().len(),
        plain.mentees.len()
    );
    for entry in matching.unmatched() {
        let j = plain
            .mentees
            .iter()
            .position(|m| m == entry.mentee())
            .unwrap();
        let feasible = (0..plain.mentors.len()).any(|i| plain.broken[i][j].is_empty());
        let expected = if feasible {
            Reason::Capacity
        } else {
            Reason::NoFeasibleMentor
        };
        assert_eq!(entry.reason(), expected, "{}", entry.mentee());
        if !feasible {
            let mut counts: Vec<(&str, usize)> = Vec::new();
            for name in RULES.iter().skip(1) {
                let n = (0..plain.mentors.len())
                    .filter(|&i| plain.broken[i][j].first() == Some(name))
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

fn cases() -> u32 {
    std::env::var("MENTOR_MATCH_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(160)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn scores_follow_the_specification(seed in any::<u64>()) {
        let file = random_cohort(seed);
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
    fn parallel_scoring_equals_sequential(seed in any::<u64>()) {
        let cohort = Cohort::from_value(&random_cohort(seed)).unwrap();
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let sequential = one.install(|| cohort.score_matrix());
        let parallel = cohort.score_matrix();
        prop_assert_eq!(serde_json::to_string(&sequential).unwrap(), serde_json::to_string(&parallel).unwrap());
        for (a, b) in sequential.scores().iter().zip(parallel.scores().iter()) {
            prop_assert_eq!(a.to_bits(), b.to_bits());
        }
    }

    #[test]
    fn every_objective_reaches_the_exhaustive_optimum(seed in any::<u64>()) {
        let file = random_cohort(seed);
        let cohort = Cohort::from_value(&file).unwrap();
        let plain = plain(&file);
        let best = exhaustive(&plain);
        // Quantisation to 1e-9 (see `SCALE`) may cost at most 1e-9 per pair.
        let tolerance = 1e-9 * (plain.mentees.len() as f64 + 1.0);
        for solver in [Solver::JonkerVolgenant, Solver::Hungarian] {
            for objective in OBJECTIVES {
                let matching = cohort.matcher().objective(objective).solver(solver).solve().unwrap();
                check_valid(&plain, &matching);
                let sum = matching.total_score();
                let low = matching.min_score().unwrap_or(f64::INFINITY);
                match objective {
                    Objective::Total => prop_assert!((sum - best.total).abs() <= tolerance, "{:?} total {} vs {}", solver, sum, best.total),
                    Objective::Coverage => {
                        prop_assert_eq!(matching.matched(), best.coverage.0);
                        prop_assert!((sum - best.coverage.1).abs() <= tolerance, "{:?} coverage {} vs {:?}", solver, sum, best.coverage);
                    }
                    Objective::Fairness => {
                        prop_assert_eq!(matching.matched(), best.fairness.0);
                        prop_assert_eq!(low, best.fairness.1, "{:?} fairness min", solver);
                        prop_assert!((sum - best.fairness.2).abs() <= tolerance, "{:?} fairness {} vs {:?}", solver, sum, best.fairness);
                    }
                }
            }
        }
    }
}
