//! The `match_cohort` and `solve_matrix` examples as a user runs them: output formats, overrides,
//! and one line on stderr with a non-zero exit for every error.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

/// The example binary, built by `cargo test` beside this test's own binary.
fn match_cohort(args: &[&str]) -> Output {
    match_cohort_with_threads(args, None)
}

fn match_cohort_with_threads(args: &[&str], threads: Option<usize>) -> Output {
    example("match_cohort", args, threads)
}

fn example(name: &str, args: &[&str], threads: Option<usize>) -> Output {
    let mut path = std::env::current_exe().unwrap();
    path.pop();
    if path.ends_with("deps") {
        path.pop();
    }
    let binary: PathBuf = path
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let mut command = Command::new(&binary);
    command.args(args);
    if let Some(threads) = threads {
        command.env("RAYON_NUM_THREADS", threads.to_string());
    }
    command
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
fn csv_and_markdown_reports() {
    let output = match_cohort(&["--csv"]);
    assert!(output.status.success());
    let stdout = text(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 7, "{stdout}");
    assert!(lines[0].starts_with("mentee,mentor,score,pinned,"));
    // Mentees in file order, with the sample's known pairs.
    assert!(
        lines[1].starts_with("junior-service-designer,ux-researcher,0.320613883008419,false,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[6].starts_with("product-designer,creative-director,"),
        "{}",
        lines[6]
    );
    let output = match_cohort(&["--markdown"]);
    assert!(output.status.success());
    let stdout = text(&output.stdout);
    assert!(
        stdout.starts_with("# Design team mentoring pilot"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| mentor | mentee | score | why |"),
        "{stdout}"
    );
    assert_one_line_error(
        &match_cohort(&["--csv", "--markdown"]),
        "cannot be combined",
    );
    assert_one_line_error(&match_cohort(&["--json", "--csv"]), "cannot be combined");
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
    assert_one_line_error(&match_cohort(&["--memory-limit", "lots"]), "--memory-limit");
    // 0 MiB: the sample's 36 pairs need a few hundred bytes.
    assert_one_line_error(
        &match_cohort(&["--memory-limit", "0"]),
        "over the limit of 0 bytes",
    );
    assert_one_line_error(
        &match_cohort(&["--scores", "--memory-limit", "0"]),
        "the score matrix would need about 324 bytes",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A cohort of `n` per side with many equal answers, written as a file.
fn tied_cohort(n: usize) -> String {
    let mut participants = Vec::new();
    for i in 0..n {
        participants.push(format!(
            r#"{{"id": "m{i}", "role": "mentor", "offers": {{"t{}": {}, "t{}": 5}}, "capacity": {}, "hours_per_month": {}}}"#,
            i % 4,
            1 + i % 5,
            (i % 4 + 1 + (i / 4) % 3) % 4,
            1 + i % 2,
            1 + i % 3
        ));
        participants.push(format!(
            r#"{{"id": "e{i}", "role": "mentee", "seeks": {{"t{}": {}}}, "level": {{"t{}": 1}}, "hours_per_month": {}}}"#,
            i % 3,
            1 + i % 5,
            i % 4,
            1 + i % 4
        ));
    }
    format!(
        r#"{{"questionnaire": {{"topics": [{{"id": "t0"}}, {{"id": "t1"}}, {{"id": "t2"}}, {{"id": "t3"}}]}}, "participants": [{}]}}"#,
        participants.join(",")
    )
}

#[test]
fn output_is_byte_identical_on_any_number_of_threads() {
    let dir = std::env::temp_dir().join(format!("mentor-match-threads-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("tied.json");
    std::fs::write(&file, tied_cohort(200)).unwrap();
    let file = file.to_str().unwrap();
    for args in [
        vec![file, "--json", "--objective", "total"],
        vec![file, "--json", "--objective", "coverage"],
        vec![file, "--json", "--objective", "fairness"],
        vec![file, "--scores"],
    ] {
        let outputs: Vec<Vec<u8>> = [1, 2, 7, 1]
            .into_iter()
            .map(|threads| {
                let output = match_cohort_with_threads(&args, Some(threads));
                assert!(output.status.success(), "{}", text(&output.stderr));
                output.stdout
            })
            .collect();
        assert!(
            outputs.windows(2).all(|w| w[0] == w[1]),
            "{args:?} differs between thread counts"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// OR-Library `assign100` (J. E. Beasley, "OR-Library: distributing test
/// problems by electronic mail", JORS 41(11), 1990): minimum cost 305.
#[test]
fn solve_matrix_gives_the_published_optimum() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/assign100.txt");
    for solver in ["jv", "hungarian"] {
        let output = example("solve_matrix", &[file, "--solver", solver], None);
        assert!(output.status.success(), "{}", text(&output.stderr));
        let json: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(json["total"].as_f64(), Some(305.0), "{solver}");
        assert_eq!(json["assignment"].as_array().unwrap().len(), 100);
        assert!(json["solve_seconds"].as_f64().unwrap() >= 0.0);
    }
    let missing = example("solve_matrix", &["/no/such/matrix.txt"], None);
    assert_one_line_error(&missing, "/no/such/matrix.txt");
}
