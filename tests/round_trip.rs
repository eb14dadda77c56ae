//! Serde round trips: a cohort back to a file of the same meaning, a result
//! back to the same matching, and a matching into next round's history.

use mentor_match::{
    Answers, Cohort, Component, HistoryEntry, Matching, Objective, Rule, Rules, Weights,
};

const PILOT: &str = include_str!("../examples/data/design-pilot.json");

fn pilot() -> Cohort {
    PILOT.parse().expect("the bundled sample reads")
}

#[test]
fn a_cohort_written_and_read_again_is_the_same_cohort() {
    let cohort = pilot();
    let text = serde_json::to_string_pretty(&cohort).unwrap();
    let again: Cohort = text.parse().unwrap();
    assert_eq!(again, cohort);
    // And it scores and matches the same, to the bit.
    assert_eq!(again.score_matrix(), cohort.score_matrix());
    assert_eq!(
        again.matcher().solve().unwrap(),
        cohort.matcher().solve().unwrap()
    );
}

#[test]
fn settings_away_from_their_defaults_survive_the_round_trip() {
    let cohort = Cohort::builder()
        .name("Round two")
        .topic("rust", "Rust")
        .topic("sql", "SQL")
        .goal("career", "Career")
        .participant(
            Answers::both("ana")
                .offers("rust", 5)
                .seeks("sql", 3)
                .level("sql", 2)
                .goal("career", 4)
                .capacity(3)
                .hours_per_month(2.5)
                .language("fi")
                .language("en")
                .team("core")
                .seniority(7)
                .prefers("ben")
                .name("Ana"),
        )
        .participant(
            Answers::mentee("ben")
                .seeks("rust", 5)
                .manager("ana")
                .avoids("cy"),
        )
        .participant(Answers::mentor("cy").offers("sql", 4).capacity(0))
        .history(HistoryEntry {
            round: Some("spring".into()),
            rating: Some(4),
            ..HistoryEntry::new("cy", "ana")
        })
        .history(HistoryEntry::new("gone", "ana"))
        .pin("ana", "ben")
        .rules(
            Rules::default()
                .with(Rule::ForbidManager, false)
                .with_limit(Rule::MinScore, 0.125),
        )
        .weights(Weights::default().with(Component::Goals, 0.75))
        .objective(Objective::Fairness)
        .build()
        .unwrap();
    let text = serde_json::to_string(&cohort).unwrap();
    let again: Cohort = text.parse().unwrap();
    assert_eq!(again, cohort);
    // The entry naming someone who left is ignored on the way in, as specified.
    assert_eq!(again.history().len(), 1);
    assert_eq!(again.history()[0].rating(), Some(4));
}

#[test]
fn the_builder_and_the_json_reader_build_the_same_cohort() {
    let from_json: Cohort = r#"{
      "questionnaire": {"topics": [{"id": "rust"}], "goals": [{"id": "g", "label": "G"}]},
      "participants": [
        {"id": "ana", "role": "mentor", "offers": {"rust": 5}, "goals": {"g": 2}},
        {"id": "ben", "role": "mentee", "seeks": {"rust": 4}, "level": {"rust": 0}}
      ]
    }"#
    .parse()
    .unwrap();
    let built = Cohort::builder()
        .topic("rust", "rust")
        .goal("g", "G")
        .participant(Answers::mentor("ana").offers("rust", 5).goal("g", 2))
        .participant(Answers::mentee("ben").seeks("rust", 4).level("rust", 0))
        .build()
        .unwrap();
    assert_eq!(built, from_json);
}

#[test]
fn a_result_reads_back_as_the_same_matching() {
    let cohort = pilot();
    for objective in [Objective::Total, Objective::Coverage, Objective::Fairness] {
        let matching = cohort.matcher().objective(objective).solve().unwrap();
        let text = serde_json::to_string(&matching).unwrap();
        let again: Matching = serde_json::from_str(&text).unwrap();
        assert_eq!(again, matching, "{objective}");
        assert_eq!(serde_json::to_string(&again).unwrap(), text);
    }
}

#[test]
fn this_rounds_pairs_become_next_rounds_history_and_are_not_repeated() {
    let cohort = pilot();
    let first = cohort.matcher().solve().unwrap();
    let mut file: serde_json::Value = serde_json::from_str(PILOT).unwrap();
    let history = file["history"].as_array_mut().unwrap();
    for entry in first.history(Some("this round")) {
        history.push(serde_json::to_value(entry).unwrap());
    }
    let next: Cohort = file.to_string().parse().unwrap();
    let second = next.matcher().solve().unwrap();
    for pair in second.pairs() {
        assert_ne!(
            first.mentor_of(pair.mentee()),
            Some(pair.mentor()),
            "{} and {} paired again",
            pair.mentor(),
            pair.mentee()
        );
    }
    assert!(second.matched() > 0);
}

#[test]
fn lookups_by_id_agree_with_the_lists() {
    let cohort = pilot();
    let scores = cohort.score_matrix();
    for (i, &mentor) in cohort.mentors().iter().enumerate() {
        let mentor_id = cohort.at(mentor).id();
        assert_eq!(cohort.mentor_index(mentor_id), Some(i.into()));
        for (j, &mentee) in cohort.mentees().iter().enumerate() {
            let mentee_id = cohort.at(mentee).id();
            assert_eq!(cohort.mentee_index(mentee_id), Some(j.into()));
            assert_eq!(scores.score_of(mentor_id, mentee_id), scores.get(i, j));
        }
    }
    assert_eq!(scores.score_of("nobody", "ben"), None);
    let matching = cohort.matcher().solve().unwrap();
    for pair in matching.pairs() {
        assert_eq!(matching.mentor_of(pair.mentee()), Some(pair.mentor()));
        assert!(
            matching
                .mentees_of(pair.mentor())
                .any(|m| m == pair.mentee())
        );
    }
}

#[test]
fn a_score_matrix_of_other_weights_is_not_reused() {
    let cohort = pilot();
    let scores = cohort.score_matrix();
    let other = Weights::default().with(Component::Skills, 0.9);
    let error = cohort
        .matcher()
        .weights(other)
        .scores(&scores)
        .solve()
        .unwrap_err();
    assert!(error.to_string().contains("other weights"), "{error}");
    for objective in [Objective::Total, Objective::Coverage, Objective::Fairness] {
        let reused = cohort
            .matcher()
            .objective(objective)
            .scores(&scores)
            .solve()
            .unwrap();
        assert_eq!(
            reused,
            cohort.matcher().objective(objective).solve().unwrap()
        );
    }
}

#[test]
fn bad_settings_are_reported_once_at_the_end() {
    let cohort = pilot();
    let error = cohort
        .matcher()
        .rules(Rules::default().with_limit(Rule::MinScore, 2.0))
        .solve()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "rules: field `min_score` must be a number in [0, 1], found 2"
    );
    let error = cohort
        .matcher()
        .weights(Weights::default().with(Component::Preference, f64::NAN))
        .solve()
        .unwrap_err();
    assert!(
        error.to_string().starts_with("weights: field `preference`"),
        "{error}"
    );
    assert!(
        Rules::default()
            .with(Rule::SelfPair, false)
            .check()
            .is_err()
    );
}

#[test]
fn a_generated_cohort_written_and_read_again_is_the_same_cohort() {
    for (mentors, mentees, seed) in [(0, 5, 1), (7, 0, 2), (40, 60, 3), (150, 120, 4)] {
        let cohort = mentor_match::Generator::new(mentors, mentees)
            .topics(6)
            .goals(3)
            .seed(seed)
            .cohort();
        let text = serde_json::to_string(&cohort).unwrap();
        let again: Cohort = text.parse().unwrap();
        assert_eq!(again, cohort, "{mentors} × {mentees}, seed {seed}");
        assert_eq!(again.mentors().len(), mentors);
        assert_eq!(again.mentees().len(), mentees);
        if mentors > 0 && mentees > 0 {
            assert!(!cohort.slots().is_empty());
            assert!(!cohort.history().is_empty());
            assert!(cohort.matcher().solve().unwrap().matched() > 0);
        }
    }
}
