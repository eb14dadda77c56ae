//! The `match_cohort`, `solve_matrix`, `scale` and `generate_cohort` examples
//! as a user runs them: output formats, overrides, `--help`, and one line on
//! stderr with the right exit status for every error.
//!
//! The examples are built (once per test process) before they run, so that
//! `cargo test --test cli` alone checks their current code.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

mod support;

/// The command that runs example `name`, built first.
fn command(name: &str) -> Command {
    support::examples::command(name)
}

fn example(name: &str, args: &[&str], threads: Option<usize>) -> Output {
    let mut command = command(name);
    command.args(args);
    if let Some(threads) = threads {
        command.env("RAYON_NUM_THREADS", threads.to_string());
    }
    command.output().unwrap()
}

fn match_cohort(args: &[&str]) -> Output {
    example("match_cohort", args, None)
}

fn match_cohort_with_threads(args: &[&str], threads: Option<usize>) -> Output {
    example("match_cohort", args, threads)
}

fn solve_matrix(args: &[&str]) -> Output {
    example("solve_matrix", args, None)
}

/// A folder of its own for the files of one test.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("mentor-match-{test}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    /// Writes `contents` to `name` in the folder: its path.
    fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).unwrap();
        path.to_str().unwrap().to_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// An input error: exit status 1, one line on stderr holding `needle`, nothing on stdout.
fn assert_one_line_error(output: &Output, needle: &str) {
    assert_failure(output, 1, needle);
}

/// A usage error: exit status 2, one line on stderr holding `needle`, nothing on stdout.
fn assert_usage_error(output: &Output, needle: &str) {
    assert_failure(output, 2, needle);
}

fn assert_failure(output: &Output, code: i32, needle: &str) {
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    assert!(output.stdout.is_empty(), "stdout: {}", text(&output.stdout));
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(!stderr.trim_end().contains(char::is_control), "{stderr:?}");
    assert!(stderr.contains(needle), "{stderr}");
}

/// The standard output of a run that must succeed with nothing on stderr.
fn stdout_of(output: &Output) -> String {
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(output.stderr.is_empty(), "{}", text(&output.stderr));
    text(&output.stdout)
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
fn method_chooses_a_baseline_and_seed_only_goes_with_random() {
    let json = |args: &[&str]| -> Value {
        serde_json::from_str(&stdout_of(&match_cohort(&[&["--json"], args].concat()))).unwrap()
    };
    let exact = json(&[]);
    assert!(exact.get("method").is_none(), "{exact}");
    assert!(exact["quality"]["blocking_pairs"].is_u64(), "{exact}");
    let stable = json(&["--method", "stable"]);
    assert_eq!(stable["method"], "stable");
    assert_eq!(stable["quality"]["blocking_pairs"], 0);
    let greedy = json(&["--method", "greedy"]);
    assert_eq!(greedy["pairs"], stable["pairs"]);
    let random = json(&["--method", "random", "--seed", "7"]);
    assert_eq!(
        (&random["method"], &random["seed"]),
        (&"random".into(), &7.into())
    );
    assert_eq!(random, json(&["--method=random", "--seed=7"]));
    assert_eq!(json(&["--method", "random"])["seed"], 0);
    assert_usage_error(
        &match_cohort(&["--method", "greedy", "--seed", "7"]),
        "--seed applies only to --method random",
    );
    assert_usage_error(&match_cohort(&["--seed", "7"]), "--seed applies only");
    assert_usage_error(&match_cohort(&["--method", "best"]), "unknown method");
    let table = stdout_of(&match_cohort(&["--method", "greedy"]));
    assert!(table.contains("method greedy: "), "{table}");
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
    assert_usage_error(
        &match_cohort(&["--csv", "--markdown"]),
        "'--csv' cannot be used with '--markdown'",
    );
    assert_usage_error(
        &match_cohort(&["--json", "--csv"]),
        "'--json' cannot be used with '--csv'",
    );
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
    assert_usage_error(
        &match_cohort(&["--json", "--scores"]),
        "cannot be used with",
    );
    assert_usage_error(
        &match_cohort(&["--objective", "best"]),
        "unknown objective \"best\"; expected total, coverage or fairness",
    );
    assert_usage_error(
        &match_cohort(&["--solver", "simplex"]),
        "unknown solver \"simplex\"; expected jv (or jonker-volgenant) or hungarian",
    );
    assert_usage_error(&match_cohort(&["--memory-limit", "lots"]), "--memory-limit");
    assert_usage_error(
        &match_cohort(&["--memory-limit=17592186044416"]),
        "--memory-limit",
    );
    // 0 MiB: reading the sample's few kilobytes is refused first, before
    // the file is read, and the message names the flag.
    assert_one_line_error(
        &match_cohort(&["--memory-limit", "0"]),
        "over the limit of 0 bytes; raise the limit with --memory-limit MIB",
    );
    assert_one_line_error(
        &match_cohort(&["--scores", "--memory-limit", "0"]),
        "reading the cohort file would need about ",
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

/// `-h` and `--help` print on stdout, exit 0, and describe every flag.
#[test]
fn help_describes_every_flag() {
    for (name, flags) in [
        (
            "match_cohort",
            &[
                "--json",
                "--scores",
                "--csv",
                "--markdown",
                "--objective",
                "--solver",
                "--memory-limit",
                "--help",
            ][..],
        ),
        ("solve_matrix", &["--maximize", "--solver", "--help"][..]),
        ("scale", &["--objective", "--solver", "--help"][..]),
    ] {
        let long = stdout_of(&example(name, &["--help"], None));
        assert!(long.contains(&format!("Usage: {name} ")), "{long}");
        assert!(long.contains("Exit status: 0"), "{long}");
        // The short help has one line per flag: the flag, then its description.
        let short = stdout_of(&example(name, &["-h"], None));
        for flag in flags {
            assert!(long.contains(flag), "{name} --help lacks {flag}:\n{long}");
            let line = short
                .lines()
                .find(|line| line.split([' ', ',']).any(|word| word == *flag))
                .unwrap_or_else(|| panic!("{name} -h lacks {flag}:\n{short}"));
            let description = line.split_once(flag).unwrap().1.trim_start();
            let description = description
                .strip_prefix("<NAME>")
                .or_else(|| description.strip_prefix("<MIB>"))
                .unwrap_or(description);
            assert!(
                description.split_whitespace().count() >= 2,
                "{name}: {flag} is not described: {line:?}"
            );
        }
    }
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    for name in ["match_cohort", "solve_matrix", "scale"] {
        assert_usage_error(
            &example(name, &["--no-such-flag"], None),
            "unexpected argument '--no-such-flag'",
        );
        assert_usage_error(
            &example(name, &["--solver"], None),
            "a value is required for '--solver <NAME>'",
        );
        assert_usage_error(
            &example(name, &["--solver=simplex"], None),
            "unknown solver",
        );
    }
    assert_usage_error(&solve_matrix(&[]), "<FILE>");
    assert_usage_error(
        &match_cohort(&["a.json", "b.json"]),
        "unexpected argument 'b.json'",
    );
    assert_usage_error(&example("scale", &["ten"], None), "invalid value 'ten'");
    assert_usage_error(
        &example("scale", &["--objective=best"], None),
        "unknown objective",
    );
    // A control character in an argument is escaped, not echoed.
    assert_usage_error(&match_cohort(&["--\u{1b}[2J"]), "--\\u{1b}[2J");
}

#[test]
fn flags_take_values_after_an_equals_sign_or_a_space() {
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data/design-pilot.json"
    );
    let spaced = stdout_of(&match_cohort(&[
        sample,
        "--json",
        "--objective",
        "fairness",
        "--solver",
        "hungarian",
        "--memory-limit",
        "64",
    ]));
    let joined = stdout_of(&match_cohort(&[
        "--json",
        "--objective=fairness",
        "--solver=hungarian",
        "--memory-limit=64",
        sample,
    ]));
    assert_eq!(spaced, joined);
    let json: Value = serde_json::from_str(&joined).unwrap();
    assert_eq!(json["objective"], "fairness");
    // Every spelling of the default solver.
    for solver in ["jv", "jonker-volgenant", "jonker_volgenant"] {
        let output = stdout_of(&match_cohort(&["--json", &format!("--solver={solver}")]));
        assert_eq!(output, stdout_of(&match_cohort(&["--json"])));
    }
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/assign100.txt");
    let json: Value =
        serde_json::from_str(&stdout_of(&solve_matrix(&["--solver=hungarian", file]))).unwrap();
    assert_eq!(json["total"].as_f64(), Some(305.0));
    let lines = stdout_of(&example(
        "scale",
        &["--objective=total", "--solver=jv", "3", "4"],
        None,
    ));
    let lines: Vec<&str> = lines.lines().collect();
    assert_eq!(lines[0], "n\tscore_s\tmatch_s\ttotal_s\tmatched\tpeak_mib");
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[1].starts_with("3\t") && lines[2].starts_with("4\t"),
        "{lines:?}"
    );
    let matched: usize = lines[2].split('\t').nth(4).unwrap().parse().unwrap();
    assert!(matched <= 4, "{lines:?}");
}

/// A reader that went away (`| head`) is not an error.
#[test]
fn a_closed_output_pipe_is_success() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/assign100.txt");
    for (name, args) in [
        ("match_cohort", &["--json"][..]),
        ("match_cohort", &["--help"][..]),
        ("solve_matrix", &[file][..]),
        ("scale", &["2", "3"][..]),
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let output = command(name)
            .args(args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{name} {args:?}: {}",
            text(&output.stderr)
        );
        assert!(output.stderr.is_empty(), "{name}: {}", text(&output.stderr));
    }
}

/// A cohort whose name and ids hold line breaks, `|`, `;`, `"` and `\`.
const HOSTILE: &str = r#"{
    "name": "Pilot\nround | 2",
    "questionnaire": {"topics": [
        {"id": "ux;research", "label": "UX\nresearch"}, {"id": "a\"b"}, {"id": "plain"}
    ]},
    "participants": [
        {"id": "ana\n| x", "role": "mentor", "offers": {"ux;research": 5, "a\"b": 4, "plain": 3}},
        {"id": "bé|n", "role": "mentee", "seeks": {"ux;research": 5, "a\"b": 3, "plain": 2}},
        {"id": "kim\\", "role": "mentee", "seeks": {"plain": 2}}
    ]
}"#;

#[test]
fn table_and_markdown_escape_line_breaks_and_pipes() {
    let scratch = Scratch::new("hostile");
    let file = scratch.file("hostile.json", HOSTILE);
    let table = stdout_of(&match_cohort(&[&file]));
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines[0], "Pilot\\nround | 2", "{table}");
    // One line per pair, columns aligned by characters ("bé|n" is 4 wide).
    assert_eq!(lines[3], "mentor    mentee  score  why", "{table}");
    assert!(
        lines[4].starts_with("ana\\n| x  bé|n    0.530  UX\\nresearch, a\"b, plain;"),
        "{table}"
    );
    assert_eq!(
        lines[7],
        "  kim\\: every feasible mentor was needed elsewhere"
    );
    assert_eq!(lines.len(), 8, "{table}");

    let markdown = stdout_of(&match_cohort(&[&file, "--markdown"]));
    let lines: Vec<&str> = markdown.lines().collect();
    assert_eq!(lines[0], "# Pilot\\nround \\| 2", "{markdown}");
    assert!(
        lines[6].starts_with("| ana\\n\\| x | bé\\|n | 0.530 | UX\\nresearch, a\"b, plain;"),
        "{markdown}"
    );
    // Four cells: every `|` inside a cell is escaped.
    let unescaped = lines[6].replace("\\\\", "").replace("\\|", "");
    assert_eq!(unescaped.matches('|').count(), 5, "{}", lines[6]);
    assert_eq!(
        lines[10],
        "- kim\\\\: every feasible mentor was needed elsewhere"
    );
    // Then the quality: a blank line, the heading, a blank line, six items.
    assert_eq!(lines[12], "## Quality", "{markdown}");
    assert_eq!(lines[19], "- blocking pairs: 0", "{markdown}");
    assert_eq!(lines.len(), 20, "{markdown}");
}

#[test]
fn csv_quotes_topic_lists_whose_ids_hold_semicolons() {
    let scratch = Scratch::new("hostile-csv");
    let file = scratch.file("hostile.json", HOSTILE);
    let csv = stdout_of(&match_cohort(&[&file, "--csv"]));
    // The field, CSV-quoted, holds the list `"ux;research";"a""b";plain`.
    let expected = concat!(
        "mentee,mentor,score,pinned,skills,goals,availability,preference,schedule,topics,broken_rules,reason\n",
        "bé|n,\"ana\n| x\",0.53,false,0.86,0,1,0,1,\"\"\"ux;research\"\";\"\"a\"\"\"\"b\"\";plain\",,\n",
        "kim\\,,,,,,,,,,,capacity\n",
    );
    assert_eq!(csv, expected);
    // Plain ids are written as before: a bare `;`-separated list.
    let sample = stdout_of(&match_cohort(&["--csv"]));
    assert!(sample.contains(",react;frontend,"), "{sample}");
}

#[test]
fn solve_matrix_keeps_every_csv_line_as_a_row() {
    let scratch = Scratch::new("rows");
    // One column, the first cell forbidden: row 2 takes column 0.
    let file = scratch.file("one-column.csv", "\n5\n1\n");
    let json: Value = serde_json::from_str(&stdout_of(&solve_matrix(&[&file]))).unwrap();
    assert_eq!(json["assignment"], serde_json::json!([null, null, 0]));
    assert_eq!(json["total"].as_f64(), Some(1.0));
    // A 1 × 1 forbidden matrix is infeasible, not empty.
    let file = scratch.file("forbidden.csv", "\n");
    assert_one_line_error(
        &solve_matrix(&[&file]),
        "at most 0 of the 1 rows can each get a column of their own (1 × 1 matrix); row 0 allows no column",
    );
    // An empty line in a wider matrix is an error naming it.
    let file = scratch.file("gap.csv", "1,2\n\n3,4\n");
    assert_one_line_error(
        &solve_matrix(&[&file]),
        "gap.csv: line 2: the line is empty",
    );
    // A byte-order mark and `-0`.
    let file = scratch.file("bom.csv", "\u{feff}-0,2\r\n3,-0\r\n");
    let json: Value = serde_json::from_str(&stdout_of(&solve_matrix(&[&file]))).unwrap();
    assert_eq!(json["assignment"], serde_json::json!([0, 1]));
    assert_eq!(json["total"].as_f64(), Some(0.0));
    let file = scratch.file("zero.txt", "-0\n");
    let json: Value = serde_json::from_str(&stdout_of(&solve_matrix(&[&file]))).unwrap();
    assert_eq!(json["assignment"], serde_json::json!([]));
}

#[test]
fn solve_matrix_never_answers_silently() {
    let scratch = Scratch::new("silent");
    // The optimum exists, but its total overflows f64: an error, not `null`.
    let file = scratch.file("huge.csv", "1e308,1e308\n1e308,1e308\n");
    assert_one_line_error(
        &solve_matrix(&[&file]),
        "huge.csv: the total of the optimal assignment overflows f64",
    );
    // A literal beyond f64 is an error naming its line and entry, not +inf.
    let file = scratch.file("overflow.csv", "1,2\n3,1e999\n");
    assert_one_line_error(
        &solve_matrix(&[&file]),
        "overflow.csv: line 2: matrix entry (1, 1) `1e999` is too large for f64",
    );
    // Control characters from a cell are escaped.
    let file = scratch.file("control.csv", "1,\u{1b}[31mred\n");
    assert_one_line_error(&solve_matrix(&[&file]), "`\\u{1b}[31mred` is not a number");
    // Infeasible with more rows than columns: the columns are what cannot all
    // be assigned, and the message names them and the rows they allow.
    let file = scratch.file("tall.csv", "1,inf,inf\n2,inf,inf\n3,4,5\n4,inf,inf\n");
    for solver in ["jv", "hungarian"] {
        assert_one_line_error(
            &solve_matrix(&[&file, "--solver", solver]),
            "at most 2 of the 3 columns can each get a row of their own (4 × 3 matrix); \
             columns 1, 2 allow only row 2",
        );
    }
    let file = scratch.file("wide.csv", "1,2,3\n-inf,-inf,-inf\n");
    assert_one_line_error(
        &solve_matrix(&[&file, "--maximise"]),
        "at most 1 of the 2 rows can each get a column of their own (2 × 3 matrix); \
         row 1 allows no column",
    );
}

const PILOT_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/data/design-pilot.json"
);
const GLOBAL_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/data/global-pilot.json"
);

/// `--html` writes the library's report page, beside any output on stdout.
#[test]
fn html_writes_the_report_beside_the_other_outputs() {
    let scratch = Scratch::new("html");
    let page = scratch.0.join("report.html");
    let page = page.to_str().unwrap();
    let cohort: mentor_match::Cohort = std::fs::read_to_string(GLOBAL_FILE)
        .unwrap()
        .parse()
        .unwrap();
    let matching = cohort.matcher().solve().unwrap();
    let expected = mentor_match::html_report(&cohort, &matching);
    for output in ["--json", "--csv", "--markdown", "--scores"] {
        let _ = std::fs::remove_file(page);
        let printed = stdout_of(&match_cohort(&[GLOBAL_FILE, output, "--html", page]));
        let alone = stdout_of(&match_cohort(&[GLOBAL_FILE, output]));
        assert_eq!(printed, alone, "{output}: stdout changed with --html");
        assert_eq!(std::fs::read_to_string(page).unwrap(), expected, "{output}");
    }
    // The table, and the objective given on the command line.
    stdout_of(&match_cohort(&[
        GLOBAL_FILE,
        "--objective=fairness",
        "--html",
        page,
    ]));
    let fairness = cohort
        .matcher()
        .objective(mentor_match::Objective::Fairness)
        .solve()
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(page).unwrap(),
        mentor_match::html_report(&cohort, &fairness)
    );
}

/// Files that cannot be written are input errors: one line, nothing on stdout.
#[test]
fn an_unwritable_output_file_is_an_input_error() {
    let scratch = Scratch::new("unwritable");
    let missing = scratch.0.join("no-such-folder").join("out");
    let missing = missing.to_str().unwrap();
    for flag in ["--html", "--history-out"] {
        assert_one_line_error(&match_cohort(&[flag, missing]), "no-such-folder");
        assert_one_line_error(&match_cohort(&["--json", flag, missing]), "no-such-folder");
    }
    assert_usage_error(&match_cohort(&["--round", "r1"]), "--history-out <FILE>");
    assert_usage_error(
        &match_cohort(&["--html"]),
        "a value is required for '--html <FILE>'",
    );
}

/// This round's `--history-out`, appended to the next round's file, keeps
/// every pair of this round apart in the next.
#[test]
fn history_out_forbids_the_same_pairs_next_round() {
    let scratch = Scratch::new("history");
    for file in [PILOT_FILE, GLOBAL_FILE] {
        let history = scratch.0.join("history.json");
        let history = history.to_str().unwrap();
        let result: Value = serde_json::from_str(&stdout_of(&match_cohort(&[
            file,
            "--json",
            "--history-out",
            history,
            "--round",
            "2026-spring",
        ])))
        .unwrap();
        let entries: Value =
            serde_json::from_str(&std::fs::read_to_string(history).unwrap()).unwrap();
        let entries = entries.as_array().unwrap();
        let pairs = result["pairs"].as_array().unwrap();
        assert!(!pairs.is_empty());
        assert_eq!(entries.len(), pairs.len(), "{file}");
        for (entry, pair) in entries.iter().zip(pairs) {
            assert_eq!(
                entry,
                &serde_json::json!({
                    "mentor": pair["mentor"], "mentee": pair["mentee"], "round": "2026-spring"
                })
            );
        }

        let mut next: Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let old = next["history"].as_array().map_or(0, Vec::len);
        let appended = next["history"].as_array().cloned().unwrap_or_default();
        next["history"] = Value::Array(appended.into_iter().chain(entries.clone()).collect());
        assert_eq!(
            next["history"].as_array().unwrap().len(),
            old + entries.len()
        );
        let next_file = scratch.file("next.json", next.to_string());
        let again: Value =
            serde_json::from_str(&stdout_of(&match_cohort(&[&next_file, "--json"]))).unwrap();
        let before: Vec<(&Value, &Value)> =
            pairs.iter().map(|p| (&p["mentor"], &p["mentee"])).collect();
        let repeated: Vec<&Value> = again["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| before.contains(&(&p["mentor"], &p["mentee"])))
            .collect();
        assert!(repeated.is_empty(), "{file}: pairs repeat: {repeated:?}");
        // Without a round name, the entries have none.
        stdout_of(&match_cohort(&[file, "--history-out", history]));
        let entries: Value =
            serde_json::from_str(&std::fs::read_to_string(history).unwrap()).unwrap();
        assert!(
            entries
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e.get("round").is_none())
        );
    }
}

/// Without a terminal on stderr, a cohort large enough for a progress bar
/// writes nothing on stderr.
#[test]
fn no_progress_bar_without_a_terminal() {
    let scratch = Scratch::new("no-bar");
    // One mentor each: one CSV row per mentee.
    let cohort = mentor_match::Generator::new(1000, 1000)
        .seed(3)
        .two_mentors(0.0)
        .cohort();
    let file = scratch.file("large.json", serde_json::to_string(&cohort).unwrap());
    let output = match_cohort(&[&file, "--csv"]);
    let rows = stdout_of(&output);
    assert_eq!(rows.lines().count(), 1 + 1000);
}

fn generate_cohort(args: &[&str]) -> Output {
    example("generate_cohort", args, None)
}

/// `generate_cohort` writes the library generator's cohort, which reads
/// back as the same cohort.
#[test]
fn generate_cohort_writes_the_generators_cohort() {
    let scratch = Scratch::new("generate");
    for (args, generator) in [
        (
            vec![
                "--mentors",
                "12",
                "--mentees",
                "15",
                "--topics",
                "5",
                "--goals",
                "3",
                "--seed",
                "9",
            ],
            mentor_match::Generator::new(12, 15)
                .topics(5)
                .goals(3)
                .seed(9),
        ),
        (
            vec![
                "--mentors=40",
                "--mentees=30",
                "--no-slots",
                "--rounds=4",
                "--two-mentors=0.5",
            ],
            mentor_match::Generator::new(40, 30)
                .slots(false)
                .rounds(4)
                .two_mentors(0.5),
        ),
        (
            vec![
                "--mentors",
                "0",
                "--mentees",
                "3",
                "--goals",
                "0",
                "--rounds",
                "0",
            ],
            mentor_match::Generator::new(0, 3).goals(0).rounds(0),
        ),
    ] {
        let printed = stdout_of(&generate_cohort(&args));
        let cohort: mentor_match::Cohort = printed.parse().unwrap();
        assert_eq!(cohort, generator.cohort(), "{args:?}");
        let file = scratch.0.join("cohort.json");
        let file = file.to_str().unwrap();
        let mut with_output = args.clone();
        with_output.extend(["--output", file]);
        assert!(stdout_of(&generate_cohort(&with_output)).is_empty());
        assert_eq!(std::fs::read_to_string(file).unwrap(), printed);
        // And match_cohort takes it.
        let result: Value =
            serde_json::from_str(&stdout_of(&match_cohort(&[file, "--json"]))).unwrap();
        // Every mentee is matched (with one or more mentors) or unmatched.
        assert_eq!(
            usize::try_from(result["matched"].as_u64().unwrap()).unwrap()
                + result["unmatched"].as_array().unwrap().len(),
            cohort.mentees().len()
        );
    }
    let cohort: mentor_match::Cohort =
        stdout_of(&generate_cohort(&["--mentors", "30", "--mentees", "200"]))
            .parse()
            .unwrap();
    let two = cohort
        .mentees()
        .iter()
        .filter(|&&p| cohort.at(p).mentors_wanted() == 2)
        .count();
    assert!((15..=70).contains(&two), "{two} of 200 want two mentors");
    assert!(!cohort.slots().is_empty() && !cohort.history().is_empty());
}

#[test]
fn generate_cohort_usage_errors_exit_2() {
    assert_usage_error(&generate_cohort(&[]), "--mentors <N>");
    assert_usage_error(&generate_cohort(&["--mentors", "3"]), "--mentees <M>");
    assert_usage_error(
        &generate_cohort(&["--mentors=-1", "--mentees", "3"]),
        "invalid value '-1' for '--mentors <N>'",
    );
    assert_usage_error(
        &generate_cohort(&["--mentors", "1", "--mentees", "3", "--topics", "0"]),
        "expected a whole number from 1 to 10000",
    );
    assert_usage_error(
        &generate_cohort(&["--mentors", "1", "--mentees", "2000000"]),
        "expected a whole number from 0 to 1000000",
    );
    assert_usage_error(
        &generate_cohort(&["--mentors", "1", "--mentees", "3", "--two-mentors", "1.5"]),
        "expected a number from 0 to 1",
    );
    let help = stdout_of(&generate_cohort(&["--help"]));
    for flag in [
        "--mentors",
        "--mentees",
        "--topics",
        "--goals",
        "--seed",
        "--rounds",
        "--no-slots",
        "--two-mentors",
        "--output",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}:\n{help}");
    }
    let scratch = Scratch::new("generate-unwritable");
    let missing = scratch.0.join("no-such-folder").join("c.json");
    assert_one_line_error(
        &generate_cohort(&[
            "--mentors",
            "1",
            "--mentees",
            "1",
            "-o",
            missing.to_str().unwrap(),
        ]),
        "no-such-folder",
    );
}

#[test]
fn match_cohort_help_describes_the_report_and_round_flags() {
    let help = stdout_of(&match_cohort(&["--help"]));
    for flag in ["--html", "--history-out", "--round"] {
        assert!(help.contains(flag), "--help lacks {flag}:\n{help}");
    }
}

/// The README's recipe for a mentor who leaves mid-round: the surviving
/// pairs pinned, the mentor's capacity 0; the surviving pairs stay and the
/// left mentee gets another mentor (a generated cohort with spare places).
#[test]
fn rematching_after_a_mentor_leaves_keeps_the_surviving_pairs() {
    let scratch = Scratch::new("rematch");
    let cohort = mentor_match::Generator::new(30, 24)
        .seed(5)
        .two_mentors(0.0)
        .cohort();
    let mut file = serde_json::to_value(&cohort).unwrap();
    let first = scratch.file("first.json", file.to_string());
    let history = scratch.0.join("pairs.json");
    let history = history.to_str().unwrap();
    stdout_of(&match_cohort(&[
        &first,
        "--history-out",
        history,
        "--round",
        "r1",
    ]));
    let pairs: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(history).unwrap()).unwrap();
    let gone = pairs[0]["mentor"].clone();
    let left: Vec<&Value> = pairs.iter().filter(|p| p["mentor"] == gone).collect();
    let surviving: Vec<Value> = pairs
        .iter()
        .filter(|p| p["mentor"] != gone)
        .map(|p| serde_json::json!({"mentor": p["mentor"], "mentee": p["mentee"]}))
        .collect();
    file["pinned"] = Value::Array(surviving.clone());
    for person in file["participants"].as_array_mut().unwrap() {
        if person["id"] == gone {
            person["capacity"] = 0.into();
        }
    }
    let again = scratch.file("again.json", file.to_string());
    let result: Value =
        serde_json::from_str(&stdout_of(&match_cohort(&[&again, "--json"]))).unwrap();
    let new_pairs = result["pairs"].as_array().unwrap();
    for pinned in &surviving {
        assert!(
            new_pairs.iter().any(|p| p["mentor"] == pinned["mentor"]
                && p["mentee"] == pinned["mentee"]
                && p["pinned"] == true),
            "{pinned} was not kept"
        );
    }
    assert!(new_pairs.iter().all(|p| p["mentor"] != gone));
    for pair in left {
        let mentee = &pair["mentee"];
        let new = new_pairs.iter().find(|p| &p["mentee"] == mentee);
        let new = new.unwrap_or_else(|| panic!("{mentee} has no new mentor"));
        assert_eq!(new["pinned"], false);
    }
}

/// On a terminal (a pseudo-terminal from util-linux's `script`), a cohort
/// of 1000 × 1000 shows the progress bar on stderr, and one just below the
/// threshold shows nothing.
#[test]
fn a_progress_bar_on_a_terminal() {
    let scratch = Scratch::new("bar");
    let binary = PathBuf::from(command("match_cohort").get_program());
    let on_terminal = |mentors: usize| -> String {
        let cohort = mentor_match::Generator::new(mentors, 1000).seed(3).cohort();
        let file = scratch.file("cohort.json", serde_json::to_string(&cohort).unwrap());
        let run = format!("'{}' '{file}' --csv > /dev/null", binary.display());
        let output = Command::new("script")
            .args(["-qec", &run, "/dev/null"])
            .stdin(Stdio::null())
            .output()
            .expect("util-linux `script` runs a command on a pseudo-terminal");
        assert!(output.status.success(), "{}", text(&output.stderr));
        text(&output.stdout)
    };
    let shown = on_terminal(1000);
    assert!(shown.contains("scoring"), "{shown:?}");
    assert!(shown.contains("/1000 mentees"), "{shown:?}");
    assert_eq!(on_terminal(999), "");
}
