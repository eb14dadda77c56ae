//! Every bad input listed in the specification is a typed error whose message
//! names the participant (or place) and the field.

use mentor_match::{Cohort, Error, Location};
use serde_json::{Value, json};

fn base() -> Value {
    json!({
        "questionnaire": {
            "topics": [{"id": "rust", "label": "Rust"}, {"id": "sql", "label": "SQL"}],
            "goals": [{"id": "career", "label": "Career"}]
        },
        "participants": [
            {"id": "ana", "role": "mentor", "offers": {"rust": 5}, "capacity": 1},
            {"id": "ben", "role": "mentee", "seeks": {"rust": 3}},
            {"id": "cy", "role": "both", "offers": {"sql": 4}, "seeks": {"rust": 2}}
        ]
    })
}

/// The error of `base()` after `edit`, with its message.
fn error_after(edit: impl FnOnce(&mut Value)) -> (Error, String) {
    let mut value = base();
    edit(&mut value);
    let error = Cohort::from_slice(value.to_string().as_bytes())
        .expect_err("the edit makes the cohort invalid");
    let message = error.to_string();
    (error, message)
}

fn participant(value: &mut Value, index: usize) -> &mut Value {
    &mut value["participants"][index]
}

#[test]
fn the_base_cohort_is_valid() {
    let cohort = Cohort::from_slice(base().to_string().as_bytes()).unwrap();
    assert_eq!(cohort.mentors().len(), 2);
    assert_eq!(cohort.mentees().len(), 2);
}

#[test]
fn syntax_errors_give_line_and_column() {
    let text = b"{\n  \"questionnaire\": [1,\n}";
    let error = Cohort::from_slice(text).unwrap_err();
    let Error::Syntax {
        line, column, byte, ..
    } = error
    else {
        panic!("{error:?}")
    };
    assert_eq!((line, column), (3, 1));
    // The closing brace is the last byte.
    assert_eq!(byte, text.len() - 1);
    assert!(
        error
            .to_string()
            .starts_with(&format!("line 3, column 1 (byte {byte}): ")),
        "{error}"
    );
    let invalid_utf8 = Cohort::from_slice(b"{\"name\": \"\xff\"}").unwrap_err();
    assert!(
        matches!(invalid_utf8, Error::Syntax { .. }),
        "{invalid_utf8:?}"
    );
}

#[test]
fn unknown_topic_and_goal_ids() {
    let (error, message) = error_after(|v| participant(v, 0)["offers"]["go"] = json!(3));
    assert!(matches!(error, Error::UnknownAnswer { kind: "topic", .. }));
    assert_eq!(
        message,
        "participant \"ana\": field `offers` names topic \"go\", which the questionnaire does not define"
    );
    let (_, message) = error_after(|v| participant(v, 1)["level"] = json!({"sq": 1}));
    assert!(
        message.contains("participant \"ben\"")
            && message.contains("`level`")
            && message.contains("\"sq\""),
        "{message}"
    );
    let (error, message) = error_after(|v| participant(v, 1)["goals"] = json!({"fame": 5}));
    assert!(
        matches!(error, Error::UnknownAnswer { kind: "goal", .. }),
        "{message}"
    );
}

#[test]
fn values_outside_their_range() {
    for (field, value) in [
        ("offers", json!({"rust": 6})),
        ("offers", json!({"rust": 0})),
        ("goals", json!({"career": 0})),
    ] {
        let (error, message) = error_after(|v| participant(v, 0)[field] = value.clone());
        assert!(matches!(error, Error::OutOfRange { .. }), "{message}");
        assert!(
            message.starts_with("participant \"ana\": field `"),
            "{message}"
        );
        assert!(message.contains("an integer in 1..=5"), "{message}");
    }
    let (_, message) = error_after(|v| participant(v, 1)["level"] = json!({"rust": 6}));
    assert_eq!(
        message,
        "participant \"ben\": field `level.rust` must be an integer in 0..=5, found 6"
    );
    let (_, message) = error_after(|v| participant(v, 1)["level"] = json!({"rust": -1}));
    assert!(message.contains("`level.rust`"), "{message}");
    let (_, message) = error_after(|v| participant(v, 1)["seeks"] = json!({"rust": 9}));
    assert!(message.contains("`seeks.rust`"), "{message}");
    let (_, message) = error_after(|v| participant(v, 0)["capacity"] = json!(-1));
    assert_eq!(
        message,
        "participant \"ana\": field `capacity` must be an integer >= 0, found -1"
    );
    for hours in [json!(0), json!(-2.5)] {
        let (_, message) = error_after(|v| participant(v, 0)["hours_per_month"] = hours.clone());
        assert!(
            message.contains("`hours_per_month` must be a finite number > 0"),
            "{message}"
        );
    }
}

#[test]
fn fractional_numbers_where_integers_are_required() {
    for number in [json!(3.5), json!(3.0)] {
        let (error, message) =
            error_after(|v| participant(v, 0)["offers"]["rust"] = number.clone());
        assert!(matches!(error, Error::OutOfRange { .. }), "{message}");
        assert!(
            message.contains("`offers.rust` must be an integer in 1..=5"),
            "{message}"
        );
    }
    let (_, message) = error_after(|v| participant(v, 0)["capacity"] = json!(1.5));
    assert!(
        message.contains("`capacity` must be an integer >= 0, found 1.5"),
        "{message}"
    );
    let (_, message) = error_after(|v| participant(v, 0)["seniority"] = json!(2.5));
    assert!(
        message.contains("participant \"ana\": field `seniority` must be an integer"),
        "{message}"
    );
}

#[test]
fn duplicate_and_empty_ids() {
    let (error, message) = error_after(|v| participant(v, 1)["id"] = json!("ana"));
    assert!(matches!(error, Error::DuplicateId { .. }));
    assert_eq!(
        message,
        "participant \"ana\": id \"ana\" is used more than once in `participants`"
    );
    let (error, message) = error_after(|v| participant(v, 1)["id"] = json!(""));
    assert_eq!(
        error,
        Error::EmptyId {
            at: Location::ParticipantAt(1),
            field: "id".into()
        }
    );
    assert_eq!(message, "participant #1: field `id` must be a non-empty id");
    let (_, message) = error_after(|v| v["questionnaire"]["topics"][1]["id"] = json!("rust"));
    assert_eq!(
        message,
        "questionnaire: id \"rust\" is used more than once in `topics`"
    );
    let (_, message) = error_after(|v| v["questionnaire"]["goals"][0]["id"] = json!(""));
    assert_eq!(
        message,
        "questionnaire: field `goals[0].id` must be a non-empty id"
    );
    let (_, message) = error_after(|v| {
        participant(v, 1).as_object_mut().unwrap().remove("id");
    });
    assert_eq!(message, "participant #1: field `id` is required");
}

#[test]
fn a_questionnaire_needs_a_topic() {
    let (_, message) = error_after(|v| v["questionnaire"]["topics"] = json!([]));
    assert!(
        message.starts_with("questionnaire: field `topics`"),
        "{message}"
    );
    let (_, message) = error_after(|v| {
        v["questionnaire"].as_object_mut().unwrap().remove("topics");
    });
    assert_eq!(message, "questionnaire: field `topics` is required");
    let (_, message) = error_after(|v| {
        v.as_object_mut().unwrap().remove("participants");
    });
    assert_eq!(message, "cohort: field `participants` is required");
}

#[test]
fn references_to_nobody() {
    for field in ["manager", "prefers", "avoids"] {
        let value = if field == "manager" {
            json!("zoe")
        } else {
            json!(["cy", "zoe"])
        };
        let (error, message) = error_after(|v| participant(v, 1)[field] = value.clone());
        assert!(matches!(error, Error::UnknownParticipant { .. }));
        assert_eq!(
            message,
            format!("participant \"ben\": field `{field}` names \"zoe\", who is not a participant")
        );
    }
    let (_, message) = error_after(|v| v["pinned"] = json!([{"mentor": "ana", "mentee": "zoe"}]));
    assert_eq!(
        message,
        "pinned[0]: field `mentee` names \"zoe\", who is not a participant"
    );
}

#[test]
fn messages_stay_on_one_line() {
    let (_, message) = error_after(|v| participant(v, 0)["capa\ncity"] = json!(2));
    assert_eq!(
        message,
        "participant \"ana\": unknown field `capa\\ncity`; did you mean `capacity`?"
    );
    let (_, message) = error_after(|v| participant(v, 0)["offers"] = json!({"ru\nst": 9}));
    assert!(!message.contains('\n'), "{message}");
    let error = Cohort::from_slice(b"{\"a\\nb\": 1, \"a\\nb\": 2}").unwrap_err();
    assert!(
        error.to_string().contains("field `a\\nb` is given twice"),
        "{error}"
    );
    assert!(!error.to_string().contains('\n'), "{error}");
}

#[test]
fn participants_naming_themselves() {
    for field in ["manager", "prefers", "avoids"] {
        let value = if field == "manager" {
            json!("ben")
        } else {
            json!(["ben"])
        };
        let (error, message) = error_after(|v| participant(v, 1)[field] = value.clone());
        assert!(matches!(error, Error::SelfReference { .. }));
        assert_eq!(
            message,
            format!("participant \"ben\": field `{field}` names the participant themself")
        );
    }
}

#[test]
fn missing_or_empty_answers_for_a_side() {
    let (_, message) = error_after(|v| {
        participant(v, 0).as_object_mut().unwrap().remove("offers");
    });
    assert_eq!(
        message,
        "participant \"ana\": field `offers` is required and must not be empty for a mentor"
    );
    let (_, message) = error_after(|v| participant(v, 0)["offers"] = json!({}));
    assert!(
        message.contains("`offers` is required and must not be empty"),
        "{message}"
    );
    let (_, message) = error_after(|v| participant(v, 1)["seeks"] = json!(null));
    assert_eq!(
        message,
        "participant \"ben\": field `seeks` is required and must not be empty for a mentee"
    );
    let (_, message) = error_after(|v| participant(v, 2)["seeks"] = json!({}));
    assert!(
        message.starts_with("participant \"cy\": field `seeks`"),
        "{message}"
    );
}

#[test]
fn fields_of_the_other_side() {
    for (index, field, value) in [
        (0, "seeks", json!({"rust": 1})),
        (0, "level", json!({"rust": 1})),
        (1, "offers", json!({"rust": 1})),
        (1, "capacity", json!(2)),
    ] {
        let (error, message) = error_after(|v| participant(v, index)[field] = value.clone());
        assert!(matches!(error, Error::OtherSideField { .. }), "{message}");
        assert!(
            message.contains(&format!("field `{field}` belongs to a")),
            "{message}"
        );
        assert!(message.ends_with("use role \"both\""), "{message}");
    }
}

#[test]
fn unknown_fields_are_errors_with_a_suggestion() {
    let (error, message) = error_after(|v| participant(v, 0)["capacty"] = json!(2));
    assert_eq!(
        error,
        Error::UnknownField {
            at: Location::Participant("ana".into()),
            field: "capacty".into(),
            suggestion: Some("capacity".into())
        }
    );
    assert_eq!(
        message,
        "participant \"ana\": unknown field `capacty`; did you mean `capacity`?"
    );
    let (_, message) = error_after(|v| v["objectve"] = json!("total"));
    assert_eq!(
        message,
        "cohort: unknown field `objectve`; did you mean `objective`?"
    );
    let (_, message) = error_after(|v| v["rules"] = json!({"forbid_repeats": false}));
    assert_eq!(
        message,
        "rules: unknown field `forbid_repeats`; did you mean `forbid_repeat`?"
    );
    let (_, message) = error_after(|v| v["weights"] = json!({"skill": 1}));
    assert_eq!(
        message,
        "weights: unknown field `skill`; did you mean `skills`?"
    );
    let (_, message) = error_after(|v| v["questionnaire"]["topics"][0]["text"] = json!("x"));
    assert_eq!(message, "questionnaire: unknown field `topics[0].text`");
    let (_, message) =
        error_after(|v| v["history"] = json!([{"mentor": "ana", "mentee": "ben", "when": 1}]));
    assert_eq!(message, "history[0]: unknown field `when`");
}

#[test]
fn bad_weights_rules_and_objective() {
    let (_, message) = error_after(|v| v["weights"] = json!({"goals": -0.1}));
    assert_eq!(
        message,
        "weights: field `goals` must be a finite number >= 0, found -0.1"
    );
    let (error, _) = error_after(|v| {
        v["weights"] = json!({"skills": 0, "goals": 0, "availability": 0, "preference": 0});
    });
    assert!(matches!(error, Error::WeightSum { .. }));
    let (_, message) = error_after(|v| v["weights"] = json!({"skills": "high"}));
    assert_eq!(
        message,
        "weights: field `skills` must be a number >= 0, found \"high\""
    );
    let (_, message) = error_after(|v| v["rules"] = json!({"min_score": 1.5}));
    assert_eq!(
        message,
        "rules: field `min_score` must be a number in [0, 1], found 1.5"
    );
    let (_, message) = error_after(|v| v["rules"] = json!({"forbid_manager": "yes"}));
    assert_eq!(
        message,
        "rules: field `forbid_manager` must be true or false, found \"yes\""
    );
    let (_, message) = error_after(|v| v["objective"] = json!("speed"));
    assert!(
        message.starts_with("cohort: field `objective` must be"),
        "{message}"
    );
}

#[test]
fn wrong_types_name_the_field() {
    let (_, message) = error_after(|v| participant(v, 1)["languages"] = json!("fi"));
    assert_eq!(
        message,
        "participant \"ben\": field `languages` must be a list, found \"fi\""
    );
    let (_, message) = error_after(|v| participant(v, 1)["role"] = json!("teacher"));
    assert!(
        message.starts_with("participant \"ben\": field `role` must be"),
        "{message}"
    );
    let (_, message) = error_after(|v| participant(v, 1)["team"] = json!(""));
    assert_eq!(
        message,
        "participant \"ben\": field `team` must be a non-empty id"
    );
    let (_, message) = error_after(|v| v["participants"][1] = json!(7));
    assert_eq!(
        message,
        "cohort: field `participants[1]` must be an object, found 7"
    );
}

#[test]
fn pinned_pairs_that_cannot_be_honoured() {
    let cases = [
        (
            json!([{"mentor": "ben", "mentee": "cy"}]),
            "pinned[0]: field `mentor` names \"ben\", whose role \"mentee\" is not on the mentor side",
        ),
        (
            json!([{"mentor": "cy", "mentee": "cy"}]),
            "pinned[0]: pins \"cy\" as their own mentor",
        ),
        (
            json!([{"mentor": "ana", "mentee": "ben"}, {"mentor": "ana", "mentee": "cy"}]),
            "pinned[1]: pins more mentees to mentor \"ana\" than their capacity of 1",
        ),
        // Specification 1.1: a second pinned mentor is refused because the
        // mentee wants one (`mentors_wanted` 1), and the same pair twice as a repeat.
        (
            json!([{"mentor": "ana", "mentee": "ben"}, {"mentor": "cy", "mentee": "ben"}]),
            "pinned[1]: pins more mentors to mentee \"ben\" than the 1 they want (`mentors_wanted`)",
        ),
        (
            json!([{"mentor": "cy", "mentee": "ben"}, {"mentor": "cy", "mentee": "ben"}]),
            "pinned[1]: pins mentee \"ben\" to mentor \"cy\" again (already in pinned[0])",
        ),
    ];
    for (pinned, expected) in cases {
        let (error, message) = error_after(|v| v["pinned"] = pinned.clone());
        assert!(matches!(
            error,
            Error::BadPin { .. } | Error::UnknownParticipant { .. }
        ));
        assert_eq!(message, expected);
    }
    let (_, message) = error_after(|v| {
        participant(v, 0)["capacity"] = json!(0);
        v["pinned"] = json!([{"mentor": "ana", "mentee": "ben"}]);
    });
    assert_eq!(
        message,
        "pinned[0]: pins more mentees to mentor \"ana\" than their capacity of 0"
    );
}

#[test]
fn null_means_missing() {
    let mut value = base();
    participant(&mut value, 0)["capacity"] = json!(null);
    participant(&mut value, 1)["manager"] = json!(null);
    participant(&mut value, 1)["level"] = json!({"rust": null});
    value["rules"] = json!(null);
    let cohort = Cohort::from_slice(value.to_string().as_bytes()).unwrap();
    assert_eq!(cohort.participant("ana").unwrap().capacity(), 1);
    assert_eq!(cohort.participant("ben").unwrap().manager(), None);
}

#[test]
fn history_naming_people_who_left_is_ignored() {
    let mut value = base();
    value["history"] = json!([
        {"mentor": "ana", "mentee": "ben", "round": "spring"},
        {"mentor": "gone", "mentee": "ben"},
        {"mentor": "ben", "mentee": "ana"}
    ]);
    let cohort = Cohort::from_slice(value.to_string().as_bytes()).unwrap();
    assert_eq!(cohort.history().len(), 1);
    assert_eq!(cohort.history()[0].round(), Some("spring"));
}

#[test]
fn serde_goes_through_the_same_checks() {
    let mut value = base();
    participant(&mut value, 0)["offers"]["rust"] = json!(7);
    let error = serde_json::from_value::<Cohort>(value).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("participant \"ana\": field `offers.rust`"),
        "{error}"
    );
    let cohort: Cohort = serde_json::from_value(base()).unwrap();
    assert_eq!(cohort.participants().len(), 3);
}

/// A huge value never makes a huge message: ids and field names are cut to
/// 40 characters, and control characters are escaped.
#[test]
fn long_values_are_shortened_in_messages() {
    let long = "x".repeat(1 << 20);
    let (_, message) = error_after(|v| {
        participant(v, 1)["id"] = json!(long.clone());
        participant(v, 2)["id"] = json!(long.clone());
    });
    assert!(message.len() < 200, "{} bytes", message.len());
    assert!(message.contains("is used more than once"), "{message}");
    assert!(message.contains('…'), "{message}");
    let (_, message) = error_after(|v| participant(v, 1)["manager"] = json!("a\nb\u{1b}[31m"));
    assert!(
        !message.contains('\n') && !message.contains('\u{1b}'),
        "{message:?}"
    );
}

#[test]
fn minus_zero_is_an_integer_and_minus_zero_point_zero_is_not() {
    // JSON's grammar makes `-0` an integer; serde_json reads it as the float
    // −0.0, which was refused as "found -0.0".
    let text = base()
        .to_string()
        .replace(
            r#""seeks":{"rust":3}"#,
            r#""seeks":{"rust":3},"level":{"rust":-0},"seniority":-0"#,
        )
        .replace(r#""capacity":1"#, r#""capacity":-0"#);
    assert!(
        text.contains("-0,") && text.contains(r#""level":{"rust":-0}"#),
        "{text}"
    );
    let cohort = Cohort::from_slice(text.as_bytes()).expect("-0 is the integer 0");
    let ben = cohort.participant("ben").unwrap();
    assert_eq!(ben.level(), []);
    assert_eq!(ben.seniority(), Some(0));
    assert_eq!(cohort.participant("ana").unwrap().capacity(), 0);
    let (error, message) = error_after(|v| participant(v, 0)["capacity"] = json!(-0.0));
    assert!(matches!(error, Error::OutOfRange { .. }), "{message}");
    assert!(message.contains("found -0.0"), "{message}");
}
