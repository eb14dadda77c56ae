//! Meeting times across time zones (specification 1.1, "Meeting times"):
//! known answers worked out by hand, the errors of bad slots and offsets,
//! and a property test against a plain minute-by-minute re-implementation.

// The answers are exact: every bound is a whole number of quarter-hours.
#![allow(clippy::float_cmp)]

use mentor_match::{Cohort, Component, Error, Location, Rule, Rules, Weights};
use proptest::prelude::*;
use serde_json::{Value, json};

/// A cohort of one mentor and one mentee who both seek and offer topic `t`,
/// with these meeting windows and offsets, scored on `schedule` alone.
fn pair(slots: &Value, mentor: (&[&str], f64), mentee: (&[&str], f64)) -> Cohort {
    json!({
        "questionnaire": {"topics": [{"id": "t"}], "slots": slots},
        "participants": [
            {"id": "m", "role": "mentor", "offers": {"t": 5},
             "slots": mentor.0, "utc_offset": mentor.1},
            {"id": "e", "role": "mentee", "seeks": {"t": 3},
             "slots": mentee.0, "utc_offset": mentee.1}
        ],
        "rules": {"min_common_hours": 0},
        "weights": {"skills": 0, "goals": 0, "availability": 0, "preference": 0, "schedule": 1}
    })
    .to_string()
    .parse()
    .expect("a valid cohort")
}

/// The schedule component of the one pair (its score, as only `schedule` weighs).
fn schedule(cohort: &Cohort) -> f64 {
    cohort.score_matrix().get(0, 0).expect("feasible")
}

/// Hours in common, from the rule: the largest `min_common_hours` in quarter
/// hours that still keeps the pair.
fn common_hours(cohort: &Cohort) -> f64 {
    let mut hours = 0.0;
    while cohort
        .matcher()
        .rules(
            Rules::default()
                .with(Rule::RequireTopicOverlap, false)
                .with_limit(Rule::MinCommonHours, hours + 0.25),
        )
        .solve()
        .expect("solves")
        .matched()
        == 1
    {
        hours += 0.25;
    }
    hours
}

fn slots() -> Value {
    json!([
        {"id": "mon-am", "label": "Monday morning", "day": 0, "start": 9, "end": 12},
        {"id": "mon-late", "label": "Monday late morning", "day": 0, "start": 11, "end": 13},
        {"id": "mon-pm", "label": "Monday after noon", "day": 0, "start": 12, "end": 14},
        {"id": "mon-night", "label": "Monday small hours", "day": 0, "start": 0, "end": 4},
        {"id": "mon-6-8", "label": "Monday 6–8", "day": 0, "start": 6, "end": 8},
        {"id": "sun-late", "label": "Sunday late", "day": 6, "start": 22, "end": 24},
        {"id": "sun-eve", "label": "Sunday evening", "day": 6, "start": 18, "end": 21}
    ])
}

#[test]
fn stockholm_and_new_york_mornings_share_no_hour() {
    // Monday 9–12 in Stockholm (UTC+1) is 08–11 UTC; in New York (UTC−5)
    // 14–17 UTC: six hours apart, no overlap.
    let cohort = pair(&slots(), (&["mon-am"], 1.0), (&["mon-am"], -5.0));
    assert_eq!(schedule(&cohort), 0.0);
    let strict = cohort
        .matcher()
        .rules(Rules::default())
        .solve()
        .expect("solves");
    assert_eq!(strict.matched(), 0);
    let ruled = cohort
        .matcher()
        .rules(Rules::default())
        .solve()
        .unwrap()
        .unmatched()[0]
        .ruled_out()
        .to_vec();
    assert_eq!(ruled, [(Rule::MinCommonHours, 1)]);
}

#[test]
fn a_window_crossing_the_end_of_sunday_continues_on_monday() {
    // Sunday 22–24 at UTC−3 is Monday 01–03 UTC; Monday 00–04 UTC overlaps
    // it for 2 hours, all of the shorter availability.
    let cohort = pair(&slots(), (&["sun-late"], -3.0), (&["mon-night"], 0.0));
    assert_eq!(schedule(&cohort), 1.0);
    assert_eq!(common_hours(&cohort), 2.0);
}

#[test]
fn sydney_monday_morning_is_new_york_sunday_evening() {
    // Monday 9–12 at UTC+10 is Sunday 23:00 – Monday 02:00 UTC; Sunday 18–21
    // at UTC−5 is Sunday 23:00 – Monday 02:00 UTC too.
    let cohort = pair(&slots(), (&["mon-am"], 10.0), (&["sun-eve"], -5.0));
    assert_eq!(schedule(&cohort), 1.0);
    assert_eq!(common_hours(&cohort), 3.0);
}

#[test]
fn half_and_quarter_hour_offsets_are_exact() {
    // India (UTC+5.5), Monday 9–12: 03:30–06:30 UTC. Monday 6–8 UTC shares
    // 06:00–06:30: half an hour of the shorter 2 hours.
    let india_utc = pair(&slots(), (&["mon-am"], 5.5), (&["mon-6-8"], 0.0));
    assert_eq!(common_hours(&india_utc), 0.5);
    assert_eq!(schedule(&india_utc), 0.25);
    // Nepal (UTC+5.75), Monday 9–12: 03:15–06:15 UTC; with India's
    // 03:30–06:30: 2.75 of 3 hours.
    let nepal_india = pair(&slots(), (&["mon-am"], 5.75), (&["mon-am"], 5.5));
    assert_eq!(common_hours(&nepal_india), 2.75);
    assert_eq!(schedule(&nepal_india), 2.75 / 3.0);
}

/// Found by the hostile-input fuzzing: an offset written `-0` next to one
/// of 0 made the scorer look up an offset it had merged away, and panic.
#[test]
fn an_offset_written_minus_zero_is_zero() {
    let text = r#"{
        "questionnaire": {"topics": [{"id": "t"}],
                          "slots": [{"id": "mon-am", "day": 0, "start": 9, "end": 12}]},
        "participants": [
            {"id": "m", "role": "mentor", "offers": {"t": 5}, "slots": ["mon-am"], "utc_offset": -0},
            {"id": "e", "role": "mentee", "seeks": {"t": 3}, "slots": ["mon-am"], "utc_offset": 0},
            {"id": "f", "role": "mentee", "seeks": {"t": 3}, "slots": ["mon-am"]}
        ]
    }"#;
    let cohort: Cohort = text.parse().expect("a valid cohort");
    let with_minus_zero = cohort.score_matrix();
    let plain: Cohort = text.replace("-0}", "0}").parse().expect("a valid cohort");
    assert_eq!(
        serde_json::to_string(&with_minus_zero).unwrap(),
        serde_json::to_string(&plain.score_matrix()).unwrap()
    );
    assert_eq!(with_minus_zero.get(0, 0), with_minus_zero.get(0, 1));
}

#[test]
fn windows_that_touch_do_not_overlap() {
    let cohort = pair(&slots(), (&["mon-am"], 0.0), (&["mon-pm"], 0.0));
    assert_eq!(schedule(&cohort), 0.0);
    assert_eq!(common_hours(&cohort), 0.0);
}

#[test]
fn a_participants_own_windows_that_overlap_count_once() {
    // 9–12 and 11–13 make 9–13: four hours, not five. Against 9–12 and
    // 12–14 (9–14, five hours) they share all four.
    let cohort = pair(
        &slots(),
        (&["mon-am", "mon-late"], 0.0),
        (&["mon-am", "mon-pm"], 0.0),
    );
    assert_eq!(common_hours(&cohort), 4.0);
    assert_eq!(schedule(&cohort), 1.0);
}

#[test]
fn without_slots_on_either_side_schedule_is_one_and_the_rule_is_silent() {
    let cohort = pair(&slots(), (&[], 1.0), (&["mon-am"], -5.0));
    assert_eq!(schedule(&cohort), 1.0);
    assert_eq!(
        cohort
            .matcher()
            .rules(Rules::default())
            .solve()
            .unwrap()
            .matched(),
        1
    );
}

#[test]
fn the_schedule_weight_defaults_to_a_tenth_only_with_slots() {
    let with: Cohort = json!({
        "questionnaire": {"topics": [{"id": "t"}], "slots": slots()},
        "participants": [{"id": "m", "role": "mentor", "offers": {"t": 5}}]
    })
    .to_string()
    .parse()
    .unwrap();
    assert_eq!(with.weights().schedule(), 0.1);
    let without: Cohort = json!({
        "questionnaire": {"topics": [{"id": "t"}], "slots": []},
        "participants": [{"id": "m", "role": "mentor", "offers": {"t": 5}}]
    })
    .to_string()
    .parse()
    .unwrap();
    assert_eq!(without.weights().schedule(), 0.0);
    assert_eq!(*without.weights(), Weights::default());
    assert_eq!(
        Weights::for_questionnaire(true).get(Component::Schedule),
        0.1
    );
}

fn error_of(edit: impl FnOnce(&mut Value)) -> Error {
    let mut file = json!({
        "questionnaire": {"topics": [{"id": "t"}], "slots": slots()},
        "participants": [
            {"id": "ana", "role": "mentor", "offers": {"t": 5}, "slots": ["mon-am"], "utc_offset": 1},
            {"id": "ben", "role": "mentee", "seeks": {"t": 5}}
        ]
    });
    edit(&mut file);
    file.to_string().parse::<Cohort>().unwrap_err()
}

#[test]
fn bad_slots_and_offsets_name_the_place_and_the_field() {
    type Edit = fn(&mut Value);
    let cases: [(Edit, &str); 10] = [
        (
            |f| f["participants"][0]["slots"] = json!(["tue-am"]),
            "participant \"ana\": field `slots` names slot \"tue-am\", which the questionnaire does not define",
        ),
        (
            |f| f["participants"][0]["utc_offset"] = json!(15),
            "participant \"ana\": field `utc_offset` must be a multiple of 0.25 in [-12, 14], found 15",
        ),
        (
            |f| f["participants"][0]["utc_offset"] = json!(5.3),
            "participant \"ana\": field `utc_offset` must be a multiple of 0.25 in [-12, 14], found 5.3",
        ),
        (
            |f| f["participants"][0]["utc_offset"] = json!("+1"),
            "participant \"ana\": field `utc_offset` must be a multiple of 0.25 in [-12, 14], found \"+1\"",
        ),
        (
            |f| f["questionnaire"]["slots"][1]["start"] = json!(9.1),
            "questionnaire: field `slots[1].start` must be a multiple of 0.25 in [0, 24], found 9.1",
        ),
        (
            |f| f["questionnaire"]["slots"][1]["end"] = json!(25),
            "questionnaire: field `slots[1].end` must be a multiple of 0.25 in [0, 24], found 25",
        ),
        (
            |f| f["questionnaire"]["slots"][0]["end"] = json!(9),
            "questionnaire: field `slots[0].end` must be an hour after `start`, found 9 (start 9)",
        ),
        (
            |f| f["questionnaire"]["slots"][0]["day"] = json!(7),
            "questionnaire: field `slots[0].day` must be an integer in 0..=6 (0 = Monday), found 7",
        ),
        (
            |f| f["questionnaire"]["slots"][0]["day"] = json!(1.5),
            "questionnaire: field `slots[0].day` must be an integer in 0..=6 (0 = Monday), found 1.5",
        ),
        (
            |f| f["questionnaire"]["slots"][2]["id"] = json!("mon-am"),
            "questionnaire: id \"mon-am\" is used more than once in `slots`",
        ),
    ];
    for (edit, message) in cases {
        assert_eq!(error_of(edit).to_string(), message);
    }
    let error = error_of(|f| f["rules"] = json!({"min_common_hours": -1}));
    assert!(
        matches!(&error, Error::OutOfRange { at: Location::Rules, field, .. } if field == "min_common_hours"),
        "{error}"
    );
    let error = error_of(|f| f["questionnaire"]["slots"][0]["weekday"] = json!(1));
    assert_eq!(
        error.to_string(),
        "questionnaire: unknown field `slots[0].weekday`"
    );
}

// ---- against a plain re-implementation ------------------------------------

/// Minutes of the week (UTC) a participant can meet in, one by one.
fn minutes(slots: &[(i64, f64, f64)], chosen: &[usize], offset: f64) -> Vec<bool> {
    const WEEK: i64 = 7 * 24 * 60;
    let mut free = vec![false; 7 * 24 * 60];
    for &k in chosen {
        let (day, start, end) = slots[k];
        #[allow(clippy::cast_possible_truncation)]
        let (from, to, shift) = (
            (start * 60.0) as i64,
            (end * 60.0) as i64,
            (offset * 60.0) as i64,
        );
        for minute in from..to {
            let utc = (day * 24 * 60 + minute - shift).rem_euclid(WEEK);
            free[usize::try_from(utc).unwrap()] = true;
        }
    }
    free
}

fn hours(free: &[bool]) -> f64 {
    free.iter().filter(|&&f| f).count() as f64 / 60.0
}

prop_compose! {
    fn questionnaire_slots()(
        slots in prop::collection::vec((0i64..7, 0u32..96, 1u32..=24), 1..6)
    ) -> Vec<(i64, f64, f64)> {
        slots
            .into_iter()
            .map(|(day, start, length)| {
                let end = (start + length).min(96);
                (day, f64::from(start) / 4.0, f64::from(end) / 4.0)
            })
            .collect()
    }
}

fn person() -> impl Strategy<Value = (Vec<usize>, f64)> {
    (
        prop::collection::vec(0usize..6, 0..4),
        (-48i32..=56).prop_map(|q| f64::from(q) / 4.0),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn schedule_and_the_rule_agree_with_counting_minutes(
        slots in questionnaire_slots(),
        mentor in person(),
        mentee in person(),
        min_quarters in 0u32..16,
    ) {
        let keep = |chosen: &[usize]| -> Vec<usize> {
            chosen.iter().copied().filter(|&k| k < slots.len()).collect()
        };
        let (mentor_slots, mentee_slots) = (keep(&mentor.0), keep(&mentee.0));
        let ids = |chosen: &[usize]| -> Vec<String> {
            chosen.iter().map(|k| format!("s{k}")).collect()
        };
        let limit = f64::from(min_quarters) / 4.0;
        let file = json!({
            "questionnaire": {
                "topics": [{"id": "t"}],
                "slots": slots.iter().enumerate().map(|(k, &(day, start, end))| json!({
                    "id": format!("s{k}"), "day": day, "start": start, "end": end
                })).collect::<Vec<_>>()
            },
            "participants": [
                {"id": "m", "role": "mentor", "offers": {"t": 5},
                 "slots": ids(&mentor_slots), "utc_offset": mentor.1},
                {"id": "e", "role": "mentee", "seeks": {"t": 3},
                 "slots": ids(&mentee_slots), "utc_offset": mentee.1}
            ],
            "rules": {"min_common_hours": limit},
            "weights": {"skills": 0, "goals": 0, "availability": 0, "preference": 0, "schedule": 1}
        });
        let cohort: Cohort = file.to_string().parse().unwrap();
        let matrix = cohort.score_matrix();

        let a = minutes(&slots, &mentor_slots, mentor.1);
        let b = minutes(&slots, &mentee_slots, mentee.1);
        let both: Vec<bool> = a.iter().zip(&b).map(|(x, y)| *x && *y).collect();
        let given = !mentor_slots.is_empty() && !mentee_slots.is_empty();
        let expected_schedule = if given {
            hours(&both) / hours(&a).min(hours(&b))
        } else {
            1.0
        };
        let expected_rule = given && hours(&both) < limit;
        prop_assert_eq!(matrix.scores()[[0, 0]], expected_schedule);
        prop_assert_eq!(
            matrix.ruled_out_by(0, 0),
            expected_rule.then_some(Rule::MinCommonHours)
        );
    }
}

// ---- the bundled cohort across four offices ---------------------------------

const GLOBAL: &str = include_str!("../examples/data/global-pilot.json");

#[test]
fn the_global_pilot_keeps_apart_a_pair_that_cannot_meet() {
    let cohort: Cohort = GLOBAL.parse().unwrap();
    let scores = cohort.score_matrix();
    let at = |mentor: &str, mentee: &str| {
        (
            cohort.mentor_index(mentor).unwrap(),
            cohort.mentee_index(mentee).unwrap(),
        )
    };
    // Astrid teaches exactly what Noah seeks, but her Stockholm mornings are
    // 08–11 UTC and his New York mornings 14–17 UTC.
    let (astrid, noah) = at("astrid", "noah");
    assert_eq!(
        scores.ruled_out_by(astrid, noah),
        Some(Rule::MinCommonHours)
    );
    // Oliver's Thursday 08–11 in Sydney (UTC+11) is Wednesday 21–24 UTC;
    // Emma's Wednesday evening in New York is 23:00–02:00 UTC: exactly the
    // one hour the rule asks for, so the pair is feasible.
    let (oliver, emma) = at("oliver", "emma");
    assert!(scores.is_feasible(oliver, emma));
    // Across the date line: Maya's Thursday evening in New York (Thursday
    // 23:00 – Friday 02:30 UTC) and Lucas's Friday morning in Sydney
    // (Thursday 22:00 – Friday 01:00 UTC) share 2 hours, of Lucas's 12 a week
    // (four mornings of 3 hours, the shorter availability).
    let matching = cohort.matcher().solve().unwrap();
    assert_eq!(matching.mentor_of("lucas"), Some("maya"));
    assert_eq!(matching.matched(), cohort.mentees().len());
    let lucas = matching.pair_of("lucas").unwrap();
    assert_eq!(lucas.breakdown().schedule(), 2.0 / 12.0);
}
