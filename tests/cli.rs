//! The `match_cohort` example as a user runs it: output formats, overrides,
//! and one line on stderr with a non-zero exit for every error.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

/// The example binary, built by `cargo test` beside this test's own binary.
fn match_cohort(args: &[&str]) -> Output {
    let mut path = std::env::current_exe().unwrap();
    path.pop();
    if path.ends_with("deps") {
        path.pop();
    }
    let binary: PathBuf = path
        .join("examples")
        .join(format!("match_cohort{}", std::env::consts::EXE_SUFFIX));
    Command::new(&binary)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", binary.display()))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn assert_one_line_error(output: &Output, needle: &str) {
    assert!(!output.status.success());
    assert!(output.stdout.is_empty(), "stdout: {}", text(&output.stdout));
    let stderr = text(&output.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains(needle), "{stderr}");
}

#[test]
fn without_arguments_prints_a_table_of_the_sample() {
    let output = match_cohort(&[]);
    assert!(output.status.success());
    let stdout = text(&output.stdout);
    assert!(stdout.contains("6 of 6 mentees matched"), "{stdout}");
    assert!(stdout.contains("creative-director"), "{stdout}");
    assert!(stdout.contains("Workshop facilitation"), "{stdout}");
}

#[test]
fn json_output_is_the_result_format() {
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data/design-pilot.json"
    );
    for solver in ["jv", "hungarian"] {
        let output = match_cohort(&[
            sample,
            "--json",
            "--objective",
            "fairness",
            "--solver",
            solver,
        ]);
        assert!(output.status.success());
        let json: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(json["objective"], "fairness");
        assert_eq!(json["matched"], 6);
        assert_eq!(json["pairs"].as_array().unwrap().len(), 6);
    }
}

#[test]
fn scores_output_is_the_matrix_format() {
    let output = match_cohort(&["--scores"]);
    assert!(output.status.success());
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["mentors"].as_array().unwrap().len(), 6);
    assert_eq!(json["scores"][5][0], Value::Null);
}

#[test]
fn errors_are_one_line_on_stderr() {
    let dir = std::env::temp_dir().join(format!("mentor-match-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"questionnaire": {"topics": [{"id": "a"}]}, "participants": [{"id": "x", "role": "mentor", "offers": {"a": 7}}]}"#).unwrap();
    assert_one_line_error(
        &match_cohort(&[bad.to_str().unwrap()]),
        "participant \"x\": field `offers.a`",
    );
    let truncated = dir.join("truncated.json");
    std::fs::write(&truncated, b"{\"questionnaire\": ").unwrap();
    assert_one_line_error(
        &match_cohort(&[truncated.to_str().unwrap()]),
        "line 1, column 18",
    );
    let binary = dir.join("binary.json");
    std::fs::write(&binary, b"{\"name\": \"\xff\xfe\"}").unwrap();
    assert_one_line_error(&match_cohort(&[binary.to_str().unwrap()]), "line 1");
    assert_one_line_error(
        &match_cohort(&["/no/such/cohort.json"]),
        "/no/such/cohort.json",
    );
    assert_one_line_error(&match_cohort(&["--json", "--scores"]), "cannot be combined");
    assert_one_line_error(&match_cohort(&["--objective", "best"]), "unknown objective");
    assert_one_line_error(&match_cohort(&["--solver", "simplex"]), "unknown solver");
    std::fs::remove_dir_all(&dir).unwrap();
}
