//! The specification written plainly: every score and broken rule of a
//! cohort file, read straight from its JSON, and the best matching of every
//! objective by exhaustive search (a dynamic programme over the mentees and
//! the mentors' places left, which tries every set of mentors for every
//! mentee).

// The plain re-implementation mirrors the specification's formulas with
// their one-letter names, in one function as the specification lists them.
#![allow(
    clippy::many_single_char_names,
    clippy::too_many_lines,
    clippy::cast_possible_truncation
)]

use std::collections::{HashMap, HashSet};

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
    /// `mentors_wanted` of each mentee.
    pub wanted: Vec<usize>,
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
    let (ws, wg, wa, wp, wt) = (
        w["skills"].as_f64().unwrap(),
        w["goals"].as_f64().unwrap(),
        w["availability"].as_f64().unwrap(),
        w["preference"].as_f64().unwrap(),
        w["schedule"].as_f64().unwrap(),
    );
    // Each person's week in UTC, one flag per quarter-hour; `None` when they
    // give no slots.
    let slots = file["questionnaire"]["slots"].as_array().unwrap();
    let week = |p: &Value| -> Option<Vec<bool>> {
        let chosen = list(p, "slots");
        if chosen.is_empty() {
            return None;
        }
        let offset = (p["utc_offset"].as_f64().unwrap_or(0.0) * 4.0) as i64;
        let mut free = vec![false; 672];
        for slot in slots
            .iter()
            .filter(|s| chosen.iter().any(|c| s["id"] == c.as_str()))
        {
            let day = slot["day"].as_i64().unwrap();
            let start = (slot["start"].as_f64().unwrap() * 4.0) as i64;
            let end = (slot["end"].as_f64().unwrap() * 4.0) as i64;
            for q in start..end {
                free[(96 * day + q - offset).rem_euclid(672) as usize] = true;
            }
        }
        Some(free)
    };
    let quarters = |free: &[bool]| free.iter().filter(|&&f| f).count() as f64;
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
            let (wm, we) = (week(m), week(e));
            let common = match (&wm, &we) {
                (Some(a), Some(b)) => {
                    let both: Vec<bool> = a.iter().zip(b).map(|(x, y)| *x && *y).collect();
                    Some((quarters(&both), quarters(a).min(quarters(b))))
                }
                _ => None,
            };
            let schedule = common.map_or(1.0, |(both, least)| both / least);
            let total =
                (ws * skills + wg * goal + wa * availability + wp * preference + wt * schedule)
                    / (ws + wg + wa + wp + wt);
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
                common.is_some_and(|(both, _)| {
                    both / 4.0 < rules["min_common_hours"].as_f64().unwrap()
                }),
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
        wanted: mentees
            .iter()
            .map(|e| e["mentors_wanted"].as_u64().unwrap_or(1) as usize)
            .collect(),
        mentors: mentors.iter().map(|p| id(p)).collect(),
        mentees: mentees.iter().map(|p| id(p)).collect(),
        score,
        broken,
        pinned,
    }
}

/// The best value of every objective over every valid matching: `total`
/// the sum of scores; `coverage` (matched mentees, pairs, sum); `fairness`
/// (matched mentees, smallest score, pairs, sum), the smallest score
/// `+inf` when there is no pair.
#[derive(Debug)]
pub struct Optimum {
    pub total: f64,
    pub coverage: (usize, usize, f64),
    pub fairness: (usize, f64, usize, f64),
}

/// What the mentees from some point on add: matched mentees, pairs, sum.
type Gain = (usize, usize, f64);

/// Exhaustive search. The mentees are taken in turn, each given every set
/// of feasible mentors (distinct, with places left, no more than they still
/// want, every score at least `floor`), and the best of what follows is
/// remembered per (mentee, places left). Fairness maximises the matched
/// count first, then the floor: the best floor is the highest score (or
/// pinned pair's score) at which the matched count is still the most.
pub fn exhaustive(plain: &Plain) -> Optimum {
    let mut left = plain.capacity.clone();
    let mut held = vec![0; plain.mentees.len()];
    let mut pinned: Gain = (0, 0, 0.0);
    let mut pinned_low = f64::INFINITY;
    for &(i, j) in &plain.pinned {
        left[i] -= 1;
        held[j] += 1;
        pinned.1 += 1;
        pinned.2 += plain.score[i][j];
        pinned_low = pinned_low.min(plain.score[i][j]);
    }
    pinned.0 = held.iter().filter(|&&h| h > 0).count();
    let best = |floor: f64, by_sum: bool| -> Gain {
        let mut search = Search {
            plain,
            held: &held,
            floor,
            by_sum,
            memo: HashMap::new(),
        };
        let gain = search.from(0, &mut left.clone());
        (pinned.0 + gain.0, pinned.1 + gain.1, pinned.2 + gain.2)
    };
    let total = best(f64::NEG_INFINITY, true).2;
    let coverage = best(f64::NEG_INFINITY, false);
    // Every floor worth trying, up to the smallest pinned score.
    let mut floors: Vec<f64> = (0..plain.mentors.len())
        .flat_map(|i| (0..plain.mentees.len()).map(move |j| (i, j)))
        .filter(|&(i, j)| plain.broken[i][j].is_empty())
        .map(|(i, j)| plain.score[i][j])
        .chain([pinned_low])
        .filter(|&s| s <= pinned_low)
        .collect();
    floors.sort_by(f64::total_cmp);
    floors.dedup();
    let mut fairness = (coverage.0, f64::NEG_INFINITY, 0, 0.0);
    for &floor in &floors {
        let gain = best(floor, false);
        if gain.0 == coverage.0 {
            fairness = (gain.0, floor, gain.1, gain.2);
        }
    }
    Optimum {
        total,
        coverage,
        fairness,
    }
}

struct Search<'a> {
    plain: &'a Plain,
    /// Pinned mentors of each mentee.
    held: &'a [usize],
    floor: f64,
    /// Compare by the sum alone (`total`), else by (matched, pairs, sum).
    by_sum: bool,
    memo: HashMap<(usize, Vec<usize>), Gain>,
}

impl Search<'_> {
    fn better(&self, a: Gain, b: Gain) -> bool {
        if self.by_sum {
            a.2 > b.2
        } else {
            (a.0, a.1) > (b.0, b.1) || ((a.0, a.1) == (b.0, b.1) && a.2 > b.2)
        }
    }

    /// The best gain of mentees `j..` with `left` places.
    fn from(&mut self, j: usize, left: &mut Vec<usize>) -> Gain {
        if j == self.plain.mentees.len() {
            return (0, 0, 0.0);
        }
        if let Some(&gain) = self.memo.get(&(j, left.clone())) {
            return gain;
        }
        let plain = self.plain;
        let pinned_here: Vec<usize> = plain
            .pinned
            .iter()
            .filter(|&&(_, e)| e == j)
            .map(|&(i, _)| i)
            .collect();
        let open = plain.wanted[j].saturating_sub(self.held[j]);
        let usable: Vec<usize> = (0..plain.mentors.len())
            .filter(|&i| {
                plain.broken[i][j].is_empty()
                    && plain.score[i][j] >= self.floor
                    && !pinned_here.contains(&i)
            })
            .collect();
        let mut best = None;
        // Every subset of the usable mentors, as a bit mask.
        for mask in 0u32..(1 << usable.len()) {
            let chosen: Vec<usize> = (0..usable.len())
                .filter(|&k| mask & (1 << k) != 0)
                .map(|k| usable[k])
                .collect();
            if chosen.len() > open || chosen.iter().any(|&i| left[i] == 0) {
                continue;
            }
            for &i in &chosen {
                left[i] -= 1;
            }
            let rest = self.from(j + 1, left);
            for &i in &chosen {
                left[i] += 1;
            }
            let matched = usize::from(self.held[j] == 0 && !chosen.is_empty());
            let sum: f64 = chosen.iter().map(|&i| plain.score[i][j]).sum();
            let gain = (rest.0 + matched, rest.1 + chosen.len(), rest.2 + sum);
            if best.is_none_or(|b| self.better(gain, b)) {
                best = Some(gain);
            }
        }
        let best = best.expect("the empty set is always allowed");
        self.memo.insert((j, left.clone()), best);
        best
    }
}
