//! Solvers and objectives read from text: the names, and errors that blame the
//! name rather than a cohort file.

use mentor_match::{Error, Objective, Solver};

#[test]
fn solver_names() {
    for name in ["jv", "jonker-volgenant", "jonker_volgenant"] {
        assert_eq!(name.parse::<Solver>(), Ok(Solver::JonkerVolgenant));
    }
    assert_eq!("hungarian".parse::<Solver>(), Ok(Solver::Hungarian));
    let error = "simplex".parse::<Solver>().unwrap_err();
    assert_eq!(
        error,
        Error::UnknownName {
            what: "solver",
            found: "simplex".to_owned(),
            expected: "jv (or jonker-volgenant) or hungarian",
        }
    );
    assert_eq!(
        error.to_string(),
        "unknown solver \"simplex\"; expected jv (or jonker-volgenant) or hungarian"
    );
}

#[test]
fn objective_names() {
    for objective in [Objective::Total, Objective::Coverage, Objective::Fairness] {
        assert_eq!(objective.name().parse::<Objective>(), Ok(objective));
    }
    let error = "fair".parse::<Objective>().unwrap_err();
    assert_eq!(
        error.to_string(),
        "unknown objective \"fair\"; expected total, coverage or fairness"
    );
    assert!(matches!(
        error,
        Error::UnknownName {
            what: "objective",
            ..
        }
    ));
    // The name is quoted with its control characters escaped.
    let error = "a\nb".parse::<Objective>().unwrap_err().to_string();
    assert!(error.contains(r#""a\nb""#), "{error}");
}
