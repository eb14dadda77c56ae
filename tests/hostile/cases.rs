//! Known cases: one hand-made hostile edit each, with the exact error it
//! must give.

use mentor_match::{Cohort, Error, Location};
use serde_json::{Value, json};

use crate::check::check_cohort;
use crate::doc::key;
use crate::junk::BAD_UTF8;
use crate::support::PILOT;
use crate::support::watchdog::guarded;

fn small() -> Value {
    json!({
        "questionnaire": {
            "topics": [{"id": "rust", "label": "Rust"}, {"id": "sql"}],
            "goals": [{"id": "career", "label": "Career"}]
        },
        "participants": [
            {"id": "ana", "role": "mentor", "offers": {"rust": 5}, "capacity": 2},
            {"id": "olu", "role": "both", "offers": {"sql": 4}, "seeks": {"rust": 3}},
            {"id": "ben", "role": "mentee", "seeks": {"sql": 4}, "goals": {"career": 2}}
        ],
        "history": [{"mentor": "ana", "mentee": "ben", "round": "spring"}],
        "pinned": [{"mentor": "ana", "mentee": "olu"}],
        "rules": {"forbid_repeat": false},
        "weights": {"skills": 1.0}
    })
}

fn read(value: &Value) -> Result<Cohort, Error> {
    Cohort::from_slice(&serde_json::to_vec(value).expect("JSON"))
}

fn read_error(value: &Value) -> Error {
    read(value).expect_err("the cohort must be refused")
}

#[test]
fn the_known_cases_read() {
    let cohort = read(&small()).expect("valid");
    check_cohort(&cohort).expect("valid matching");
    let pilot = Cohort::from_slice(PILOT.as_bytes()).expect("valid");
    check_cohort(&pilot).expect("valid matching");
}

#[test]
fn a_misspelt_capacity_suggests_capacity() {
    let mut cohort = small();
    let ana = cohort["participants"][0].as_object_mut().expect("object");
    let capacity = ana.remove("capacity").expect("given");
    ana.insert("capacty".into(), capacity);
    let error = read_error(&cohort);
    assert!(
        matches!(&error, Error::UnknownField { at: Location::Participant(id), field, suggestion: Some(s) }
            if id == "ana" && field == "capacty" && s == "capacity"),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("participant \"ana\""), "{message}");
    assert!(
        message.contains("`capacty`") && message.contains("did you mean `capacity`?"),
        "{message}"
    );
}

#[test]
fn a_misspelt_id_is_reported_as_a_misspelling() {
    let mut cohort = small();
    let ben = cohort["participants"][2].as_object_mut().expect("object");
    let id = ben.remove("id").expect("given");
    ben.insert("Id".into(), id);
    let message = read_error(&cohort).to_string();
    assert!(
        message.starts_with("participant #2: unknown field `Id`"),
        "{message}"
    );
    assert!(message.contains("did you mean `id`?"), "{message}");
}

#[test]
fn unknown_fields_are_errors_everywhere() {
    let cases: [(&str, Location, &str); 10] = [
        ("", Location::Cohort, "objectives"),
        ("/questionnaire", Location::Questionnaire, "topic"),
        (
            "/questionnaire/topics/1",
            Location::Questionnaire,
            "topics[1].lable",
        ),
        (
            "/questionnaire/goals/0",
            Location::Questionnaire,
            "goals[0].description",
        ),
        (
            "/participants/1",
            Location::Participant("olu".into()),
            "hours",
        ),
        ("/history/0", Location::History(0), "season"),
        ("/pinned/0", Location::Pinned(0), "mentors"),
        ("/rules", Location::Rules, "forbid_repeats"),
        ("/weights", Location::Weights, "skill"),
        ("/rules", Location::Rules, "min-score"),
    ];
    for (pointer, location, field) in cases {
        let mut cohort = small();
        let key = field.rsplit('.').next().expect("a key");
        cohort
            .pointer_mut(pointer)
            .and_then(Value::as_object_mut)
            .expect("an object")
            .insert(key.into(), json!(true));
        let error = read_error(&cohort);
        assert!(
            matches!(&error, Error::UnknownField { at, field: f, .. } if *at == location && f == field),
            "{pointer}: {error:?}"
        );
        assert!(
            error.to_string().starts_with(&location.to_string()),
            "{error}"
        );
    }
}

#[test]
fn near_misses_are_suggested() {
    for (pointer, wrong, right) in [
        ("", "participant", "participants"),
        ("/rules", "forbid_repeats", "forbid_repeat"),
        ("/weights", "skill", "skills"),
        ("/pinned/0", "mentors", "mentor"),
        ("/history/0", "rounds", "round"),
        ("/participants/0", "Offers", "offers"),
        ("/participants/0", "hours_per_mnth", "hours_per_month"),
    ] {
        let mut cohort = small();
        cohort
            .pointer_mut(pointer)
            .and_then(Value::as_object_mut)
            .expect("an object")
            .insert(wrong.into(), json!(1));
        let message = read_error(&cohort).to_string();
        assert!(
            message.contains(&format!("did you mean `{right}`?")),
            "{pointer}: {message}"
        );
    }
}

#[test]
fn deep_nesting_is_a_syntax_error_not_a_stack_overflow() {
    let depth = 100_000;
    let texts = [
        "[".repeat(depth) + &"]".repeat(depth),
        "[".repeat(depth),
        "{\"a\":".repeat(depth) + "1" + &"}".repeat(depth),
        format!(
            "{{\"questionnaire\": {{\"topics\": {}{}}}, \"participants\": []}}",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    ];
    for text in texts {
        let error = guarded(move || Ok(Cohort::from_slice(text.as_bytes()))).expect("no crash");
        let error = error.expect_err("too deep");
        assert!(matches!(error, Error::Syntax { line: 1, .. }), "{error:?}");
        assert!(error.to_string().contains("column"), "{error}");
    }
}

#[test]
fn every_cut_of_a_cohort_is_a_syntax_error() {
    let small = serde_json::to_string_pretty(&small())
        .expect("JSON")
        .replace("sql", "sqł-データ");
    for text in [PILOT, &small] {
        let end = text.trim_end().len();
        for cut in 0..end {
            let error = Cohort::from_slice(&text.as_bytes()[..cut]).expect_err("a cut cohort");
            let message = error.to_string();
            assert!(
                matches!(error, Error::Syntax { .. })
                    && message.contains("line ")
                    && message.contains("column "),
                "cut at {cut}: {message}"
            );
        }
    }
}

#[test]
fn bytes_that_are_not_utf8_are_syntax_errors_on_their_line() {
    for bad in BAD_UTF8 {
        for at in (0..=PILOT.len()).step_by(7) {
            let mut bytes = PILOT.as_bytes().to_vec();
            bytes.splice(at..at, bad.iter().copied());
            let error = Cohort::from_slice(&bytes).expect_err("not UTF-8");
            let line = PILOT.as_bytes()[..at].split(|&b| b == b'\n').count();
            assert!(
                matches!(error, Error::Syntax { line: l, .. } if l == line),
                "{bad:x?} at byte {at} (line {line}): {error}"
            );
        }
    }
}

#[test]
fn huge_and_fractional_numbers_are_out_of_range() {
    let cases = [
        ("/participants/0/capacity", "18446744073709551616"),
        ("/participants/0/capacity", "-1"),
        ("/participants/0/capacity", "1.0"),
        ("/participants/0/capacity", "-9223372036854775809"),
        ("/participants/0/offers/rust", "1e308"),
        ("/participants/0/offers/rust", "4.5"),
        ("/participants/0/offers/rust", "0"),
        ("/participants/0/offers/rust", "6"),
        ("/participants/2/seeks/sql", "18446744073709551615"),
        ("/participants/1/level/rust", "-1"),
        ("/participants/2/goals/career", "0"),
        ("/participants/2/seniority", "9223372036854775808"),
        ("/participants/2/seniority", "-9223372036854775809"),
        ("/participants/2/seniority", "2.0"),
        ("/participants/2/hours_per_month", "0"),
        ("/participants/2/hours_per_month", "-1e308"),
        ("/rules/min_score", "1e308"),
        ("/rules/min_score", "-0.5"),
        ("/weights/skills", "-1e308"),
    ];
    for (pointer, raw) in cases {
        let mut cohort = small();
        let mut slot = &mut cohort;
        for step in pointer.split('/').skip(1) {
            slot = match step.parse::<usize>() {
                Ok(i) => &mut slot[i],
                Err(_) => key(slot, step),
            };
        }
        *slot = json!("@@raw@@");
        let field = pointer.rsplit('/').next().expect("a field");
        let text = serde_json::to_string(&cohort)
            .expect("JSON")
            .replace("\"@@raw@@\"", raw);
        let error = Cohort::from_slice(text.as_bytes()).expect_err(pointer);
        assert!(
            matches!(error, Error::OutOfRange { .. }),
            "{pointer} = {raw}: {error:?}"
        );
        let message = error.to_string();
        assert!(message.contains(field), "{pointer} = {raw}: {message}");
    }
    // Big but valid.
    let mut cohort = small();
    cohort["participants"][2]["hours_per_month"] = json!(1e308);
    cohort["participants"][1]["hours_per_month"] = json!(5e-324);
    cohort["participants"][0]["capacity"] = json!(u64::MAX);
    cohort["participants"][0]["seniority"] = json!(i64::MIN);
    cohort["participants"][2]["seniority"] = json!(i64::MAX);
    check_cohort(&read(&cohort).expect("valid")).expect("valid matching");
}

#[test]
fn bad_references_name_the_participant_and_field() {
    let cases: [(&str, Value, &str); 9] = [
        ("manager", json!("ana"), "SelfReference"),
        ("prefers", json!(["ben", "ana"]), "SelfReference"),
        ("avoids", json!(["ana"]), "SelfReference"),
        ("manager", json!("Ben"), "UnknownParticipant"),
        ("prefers", json!(["nobody"]), "UnknownParticipant"),
        ("avoids", json!([""]), "EmptyId"),
        ("manager", json!(3), "WrongType"),
        ("prefers", json!("ben"), "WrongType"),
        ("avoids", json!([null]), "WrongType"),
    ];
    for (field, value, kind) in cases {
        let mut cohort = small();
        cohort["participants"][0][field] = value.clone();
        let error = read_error(&cohort);
        assert!(
            format!("{error:?}").starts_with(kind),
            "{field} = {value}: {error:?}"
        );
        let message = error.to_string();
        assert!(
            message.starts_with("participant \"ana\"") && message.contains(field),
            "{message}"
        );
    }
}

#[test]
fn bad_ids_are_errors() {
    let mut duplicate = small();
    duplicate["participants"][2]["id"] = json!("ana");
    assert!(matches!(read_error(&duplicate), Error::DuplicateId { id, .. } if id == "ana"));
    let mut empty = small();
    empty["participants"][1]["id"] = json!("");
    assert_eq!(
        read_error(&empty).to_string(),
        "participant #1: field `id` must be a non-empty id"
    );
    let mut topics = small();
    topics["questionnaire"]["topics"][1]["id"] = json!("rust");
    assert!(matches!(
        read_error(&topics),
        Error::DuplicateId {
            at: Location::Questionnaire,
            ..
        }
    ));
    let mut no_topics = small();
    no_topics["questionnaire"]["topics"] = json!([]);
    let message = read_error(&no_topics).to_string();
    assert!(
        message.starts_with("questionnaire: field `topics`"),
        "{message}"
    );
    let mut dangling = small();
    dangling["participants"]
        .as_array_mut()
        .expect("list")
        .remove(2);
    dangling["participants"][0]["prefers"] = json!(["ben"]);
    let message = read_error(&dangling).to_string();
    assert!(
        message.contains("participant \"ana\"")
            && message.contains("`prefers`")
            && message.contains("\"ben\""),
        "{message}"
    );
}

#[test]
fn conflicting_pins_are_errors() {
    let pins = [
        (
            json!([{"mentor": "ana", "mentee": "olu"}, {"mentor": "olu", "mentee": "olu"}]),
            "pinned[1]",
            "own mentor",
        ),
        (
            json!([{"mentor": "ana", "mentee": "olu"}, {"mentor": "ana", "mentee": "olu"}]),
            "pinned[1]",
            "again",
        ),
        (
            json!([{"mentor": "ana", "mentee": "olu"}, {"mentor": "ana", "mentee": "ben"}]),
            "pinned[1]",
            "capacity of 1",
        ),
        (
            json!([{"mentor": "olu", "mentee": "ben"}, {"mentor": "olu", "mentee": "ana"}]),
            "pinned[1]",
            "mentee",
        ),
        (
            json!([{"mentor": "ben", "mentee": "olu"}]),
            "pinned[0]",
            "mentor",
        ),
        (
            json!([{"mentor": "ana", "mentee": "nobody"}]),
            "pinned[0]",
            "nobody",
        ),
        (
            json!([{"mentor": "", "mentee": "ben"}]),
            "pinned[0]",
            "mentor",
        ),
        (json!([{"mentee": "ben"}]), "pinned[0]", "mentor"),
        (
            json!([{"mentor": "ana", "mentee": 1}]),
            "pinned[0]",
            "mentee",
        ),
        (json!(["ana", "ben"]), "pinned[0]", "object"),
    ];
    for (mut list, place, word) in pins {
        let mut cohort = small();
        if place == "pinned[1]" && word == "capacity of 1" {
            cohort["participants"][0]["capacity"] = json!(1);
        }
        if word == "own mentor" {
            // olu is `both`: pinning them to themself is the self pair.
            list[0] = json!({"mentor": "ana", "mentee": "ben"});
        }
        cohort["pinned"] = list;
        let message = read_error(&cohort).to_string();
        assert!(
            message.contains(place) && message.contains(word),
            "{message}"
        );
    }
    let mut zero = small();
    zero["participants"][0]["capacity"] = json!(0);
    let message = read_error(&zero).to_string();
    assert!(
        message.starts_with("pinned[0]") && message.contains("capacity of 0"),
        "{message}"
    );
}

#[test]
fn a_pin_that_breaks_rules_is_kept_and_reported() {
    let mut cohort = small();
    cohort["participants"][1]["avoids"] = json!(["ana"]);
    let cohort = read(&cohort).expect("valid");
    let matching = cohort.matcher().solve().expect("solves");
    let pair = matching.pair_of("olu").expect("pinned pair kept");
    assert!(pair.is_pinned());
    assert_eq!(
        pair.broken_rules()
            .iter()
            .map(|r| r.name())
            .collect::<Vec<_>>(),
        ["avoids"]
    );
    check_cohort(&cohort).expect("valid matching");
}

/// A copy-pasted line inside an object (`"capacity": 3, "capacity": 0`)
/// must not silently keep the last value: it is an error with its position.
#[test]
fn duplicate_keys_are_errors() {
    for text in [
        r#"{"questionnaire": {"topics": [{"id": "rust"}]}, "participants": [
            {"id": "ana", "role": "mentor", "offers": {"rust": 5}, "capacity": 3, "capacity": 0}]}"#,
        r#"{"questionnaire": {"topics": [{"id": "rust"}]}, "participants": [
            {"id": "ben", "role": "mentee", "seeks": {"rust": 5, "rust": 1}}]}"#,
    ] {
        let error = Cohort::from_slice(text.as_bytes()).expect_err("a duplicate key");
        let message = error.to_string();
        assert!(
            message.contains("line ") || message.contains("participant"),
            "{message}"
        );
    }
}

/// Weights that are each finite but sum past `f64::MAX` would make every
/// score NaN (inf / inf): they are refused, naming the sum.
#[test]
fn weights_that_sum_past_f64_max_are_refused() {
    let mut cohort = small();
    cohort["weights"] =
        json!({"skills": 1e308, "goals": 1e308, "availability": 1e308, "preference": 1e308});
    let error = read_error(&cohort);
    assert!(
        matches!(error, Error::WeightSum { sum } if sum == f64::INFINITY),
        "{error:?}"
    );
    assert!(error.to_string().starts_with("weights: "), "{error}");
}
