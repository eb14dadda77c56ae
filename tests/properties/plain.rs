//! The specification written plainly: every score and broken rule of a
//! cohort file, read straight from its JSON, and the best matching of every
//! objective by exhaustive search.

// The plain re-implementation mirrors the specification's formulas with
// their one-letter names, in one function as the specification lists them.
#![allow(
    clippy::many_single_char_names,
    clippy::too_many_lines,
    clippy::cast_possible_truncation
)]

use std::collections::HashSet;

use serde_json::Value;

use crate::support::{FIXED_RULES, RULE_FIELDS};

/// Every rule's name, in the order the specification checks them.
pub fn rule_order() -> impl Iterator<Item = &'static str> {
    FIXED_RULES.into_iter().chain(RULE_FIELDS)
}

/// The specification's scores and rules, written plainly from the JSON:
/// per (mentor, mentee) the score and every broken rule, in rule order.
pub struct Plain {
    pub mentors: Vec<String>,
    pub mentees: Vec<String>,
    pub capacity: Vec<usize>,
    pub score: Vec<Vec<f64>>,
    pub broken: Vec<Vec<Vec<&'static str>>>,
    pub pinned: Vec<(usize, usize)>,
}

pub fn plain(file: &Value) -> Plain {
    let item_ids = |list: &str| -> Vec<&str> {
        file["questionnaire"][list]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap())
            .collect()
    };
    let (topics, goals) = (item_ids("topics"), item_ids("goals"));
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
            broken[i][j] = rule_order()
                .zip(checks)
                .filter_map(|(name, hit)| hit.then_some(name))
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
pub struct Optimum {
    pub total: f64,
    pub coverage: (usize, f64),
    pub fairness: (usize, f64, f64),
}

pub fn exhaustive(plain: &Plain) -> Optimum {
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
