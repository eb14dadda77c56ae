//! The checks of a cohort that read: under every objective, with both
//! solvers, the matching is valid, explained and consistent with the score
//! matrix, and the solvers agree.

use std::collections::HashMap;

use mentor_match::{
    Cohort, Matching, MenteeIndex, MentorIndex, Objective, ParticipantIndex, Reason, ScoreMatrix,
};

use crate::support::{OBJECTIVES, SOLVERS};

/// Solves a cohort that read under every objective with both solvers and
/// checks each matching.
pub fn check_cohort(cohort: &Cohort) -> Result<(), String> {
    let matrix = cohort.score_matrix();
    serde_json::to_string(&matrix).map_err(|e| format!("score matrix JSON: {e}"))?;
    for objective in OBJECTIVES {
        let mut found = Vec::new();
        for solver in SOLVERS {
            let context = |e: String| format!("{objective} with {solver:?}: {e}");
            let matching = cohort
                .matcher()
                .objective(objective)
                .solver(solver)
                .solve()
                .map_err(|e| context(e.to_string()))?;
            check_matching(cohort, &matrix, &matching).map_err(context)?;
            found.push(matching);
        }
        let (jv, hungarian) = (&found[0], &found[1]);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * (jv.matched() as f64 + 1.0);
        if jv.matched() != hungarian.matched()
            || !close(jv.total_score(), hungarian.total_score())
            || (objective == Objective::Fairness
                && !close(
                    jv.min_score().unwrap_or(0.0),
                    hungarian.min_score().unwrap_or(0.0),
                ))
        {
            return Err(format!(
                "{objective}: the solvers disagree: {} pairs, total {}, min {:?} vs {} pairs, total {}, min {:?}",
                jv.matched(),
                jv.total_score(),
                jv.min_score(),
                hungarian.matched(),
                hungarian.total_score(),
                hungarian.min_score()
            ));
        }
    }
    Ok(())
}

/// A matching is valid: pairs in the mentees' file order (a mentee's pairs
/// in the mentors'), no pair twice, no mentee over `mentors_wanted`, every
/// mentor within capacity, pinned pairs present, other pairs feasible, every
/// unmatched mentee with the right reason, and the JSON as specified.
fn check_matching(
    cohort: &Cohort,
    matrix: &ScoreMatrix,
    matching: &Matching,
) -> Result<(), String> {
    let people = cohort.participants();
    let side = |list: &[ParticipantIndex]| -> HashMap<&str, usize> {
        list.iter()
            .enumerate()
            .map(|(k, &p)| (people[p.get()].id(), k))
            .collect()
    };
    let (mentor_at, mentee_at) = (side(cohort.mentors()), side(cohort.mentees()));
    let capacity = |m: usize| {
        people[cohort.mentors()[m].get()]
            .capacity()
            .min(cohort.mentees().len() as u64)
    };
    let mut used = vec![0u64; cohort.mentors().len()];
    let mut mentors_of: Vec<Vec<usize>> = vec![Vec::new(); cohort.mentees().len()];
    let mut previous = None;
    for pair in matching.pairs() {
        let m = *mentor_at
            .get(pair.mentor())
            .ok_or(format!("{:?} is not a mentor", pair.mentor()))?;
        let e = *mentee_at
            .get(pair.mentee())
            .ok_or(format!("{:?} is not a mentee", pair.mentee()))?;
        if pair.mentor() == pair.mentee() {
            return Err(format!("{:?} mentors themself", pair.mentor()));
        }
        if previous.is_some_and(|p| p >= (e, m)) {
            return Err(format!(
                "pairs out of file order or a pair twice at {:?}–{:?}",
                pair.mentor(),
                pair.mentee()
            ));
        }
        previous = Some((e, m));
        mentors_of[e].push(m);
        if mentors_of[e].len() as u64 > people[cohort.mentees()[e].get()].mentors_wanted() {
            return Err(format!("{:?} has more mentors than wanted", pair.mentee()));
        }
        used[m] += 1;
        if used[m] > capacity(m) {
            return Err(format!("{:?} is over capacity", pair.mentor()));
        }
        if pair.is_pinned()
            != cohort
                .pinned()
                .contains(&(MentorIndex::new(m), MenteeIndex::new(e)))
        {
            return Err(format!(
                "pair {:?}–{:?}: wrong pinned flag",
                pair.mentor(),
                pair.mentee()
            ));
        }
        if !pair.is_pinned() && !matrix.is_feasible(m, e) {
            return Err(format!(
                "pair {:?}–{:?} breaks {:?}",
                pair.mentor(),
                pair.mentee(),
                matrix.ruled_out_by(m, e)
            ));
        }
        let b = pair.breakdown();
        let unit = |x: f64| (0.0..=1.0).contains(&x);
        if !(unit(pair.score())
            && unit(b.skills())
            && unit(b.goals())
            && unit(b.availability())
            && unit(b.preference())
            && unit(b.schedule()))
        {
            return Err(format!(
                "pair {:?}–{:?}: score or breakdown outside [0, 1]: {} {b:?}",
                pair.mentor(),
                pair.mentee(),
                pair.score()
            ));
        }
        if !pair.is_pinned() && matrix.get(m, e) != Some(pair.score()) {
            return Err(format!(
                "pair {:?}–{:?}: score {} differs from the score matrix",
                pair.mentor(),
                pair.mentee(),
                pair.score()
            ));
        }
    }
    for &(m, e) in cohort.pinned() {
        if !mentors_of[e.get()].contains(&m.get()) {
            return Err(format!("pinned pair {m}–{e} is missing"));
        }
    }
    check_unmatched(cohort, matrix, matching, &mentors_of, &used)?;
    check_totals(matching, &mentors_of)
}

fn check_unmatched(
    cohort: &Cohort,
    matrix: &ScoreMatrix,
    matching: &Matching,
    mentors_of: &[Vec<usize>],
    used: &[u64],
) -> Result<(), String> {
    let people = cohort.participants();
    let expected: Vec<&str> = (0..mentors_of.len())
        .filter(|&e| mentors_of[e].is_empty())
        .map(|e| people[cohort.mentees()[e].get()].id())
        .collect();
    let found: Vec<&str> = matching
        .unmatched()
        .iter()
        .map(mentor_match::Unmatched::mentee)
        .collect();
    if expected != found {
        return Err(format!("unmatched {found:?}, expected {expected:?}"));
    }
    let mentors = cohort.mentors().len();
    for (unmatched, e) in matching
        .unmatched()
        .iter()
        .zip((0..mentors_of.len()).filter(|&e| mentors_of[e].is_empty()))
    {
        let feasible: Vec<usize> = (0..mentors).filter(|&m| matrix.is_feasible(m, e)).collect();
        let counted: usize = unmatched.ruled_out().iter().map(|&(_, n)| n).sum();
        let themself = usize::from(people[cohort.mentees()[e].get()].role().mentors());
        let in_order = unmatched.ruled_out().windows(2).all(|w| w[0].0 < w[1].0)
            && unmatched.ruled_out().iter().all(|&(_, n)| n > 0);
        match unmatched.reason() {
            Reason::NoFeasibleMentor
                if feasible.is_empty() && counted == mentors - themself && in_order => {}
            Reason::Capacity
                if !feasible.is_empty()
                    && unmatched.ruled_out().is_empty()
                    && feasible.iter().all(|&m| {
                        used[m]
                            >= people[cohort.mentors()[m].get()]
                                .capacity()
                                .min(mentors_of.len() as u64)
                    }) => {}
            reason => {
                return Err(format!(
                    "{:?} unmatched with {reason:?}, ruled out {:?}, feasible mentors {feasible:?}, used {used:?}",
                    unmatched.mentee(),
                    unmatched.ruled_out()
                ));
            }
        }
    }
    Ok(())
}

fn check_totals(matching: &Matching, mentors_of: &[Vec<usize>]) -> Result<(), String> {
    if matching.matched() != mentors_of.iter().filter(|m| !m.is_empty()).count() {
        return Err("matched differs from the number of mentees with a mentor".into());
    }
    let json = serde_json::to_value(matching).map_err(|e| format!("result JSON: {e}"))?;
    if json["objective"] != matching.objective().name() || json["matched"] != matching.matched() {
        return Err(format!("result JSON head: {json}"));
    }
    if json["min_score"].is_null() != matching.pairs().is_empty() {
        return Err(format!("min_score in JSON: {}", json["min_score"]));
    }
    for (entry, unmatched) in json["unmatched"]
        .as_array()
        .into_iter()
        .flatten()
        .zip(matching.unmatched())
    {
        let with_counts = unmatched.reason() == Reason::NoFeasibleMentor;
        if entry.get("ruled_out").is_some() != with_counts {
            return Err(format!("unmatched JSON: {entry}"));
        }
    }
    let total: f64 = matching
        .pairs()
        .iter()
        .map(mentor_match::Pair::score)
        .fold(0.0, |sum, score| sum + score);
    let min = matching
        .pairs()
        .iter()
        .map(mentor_match::Pair::score)
        .reduce(f64::min);
    // The same additions in the same order: the very same bits.
    if total.to_bits() != matching.total_score().to_bits()
        || min.map(f64::to_bits) != matching.min_score().map(f64::to_bits)
    {
        return Err("total_score or min_score differ from the pairs".into());
    }
    Ok(())
}
