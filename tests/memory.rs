//! The memory limit bounds the whole process: `match_cohort` runs under an
//! address-space limit (`prlimit --as`) on cohorts shaped to blow up each
//! large allocation (many topics, many people, a huge file, a large
//! output), and either finishes or stops with a clean one-line error that
//! names the limit and its flag, never with a signal (an abort on a failed
//! allocation).
//!
//! The cohorts are generated here. Without `prlimit` (util-linux) the tests
//! say so and pass; continuous integration has it.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

mod support;

const MIB: u64 = 1 << 20;

/// Whether `prlimit` can run; when it cannot, says so on stderr.
fn have_prlimit() -> bool {
    let found = Command::new("prlimit")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !found {
        eprintln!("prlimit (util-linux) is not installed: the address-space tests are skipped");
    }
    found
}

/// Runs `match_cohort` with `args` in at most `address_space` bytes of
/// address space; stdout goes to `stdout` (a file) when given.
fn match_cohort_within(address_space: u64, args: &[&str], stdout: Option<&PathBuf>) -> Output {
    let binary = support::examples::command("match_cohort")
        .get_program()
        .to_owned();
    let mut command = Command::new("prlimit");
    // glibc reserves 64 MiB of address space for each thread's malloc
    // arena, used or not; with one arena the address space follows the
    // memory the program takes.
    command
        .env("MALLOC_ARENA_MAX", "1")
        .arg(format!("--as={address_space}"))
        .arg("--")
        .arg(binary)
        .args(args);
    if let Some(path) = stdout {
        command.stdout(Stdio::from(std::fs::File::create(path).unwrap()));
    }
    command.output().unwrap()
}

/// A file of this test process, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str, text: &str) -> Scratch {
        let path =
            std::env::temp_dir().join(format!("mentor-match-memory-{}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        Scratch(path)
    }

    fn arg(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Exit status 1 and one line on stderr holding every one of `needles`:
/// not a signal.
fn assert_clean_error(output: &Output, needles: &[&str]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "expected exit status 1, got {:?} (a signal?): {stderr}",
        output.status
    );
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "{needle:?} not in: {stderr}");
    }
}

fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "expected success, got {:?}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A cohort of `mentors` and `mentees` who each answer one topic of their
/// own, in a questionnaire of one topic per person: dense people × topics
/// tables would take `8 · people · topics` bytes per table.
fn one_topic_each(mentors: usize, mentees: usize) -> String {
    let people = mentors + mentees;
    let mut text = String::from(r#"{"questionnaire": {"topics": ["#);
    for t in 0..people {
        let comma = if t == 0 { "" } else { "," };
        let _ = write!(text, r#"{comma}{{"id": "t{t}"}}"#);
    }
    text.push_str(r#"]}, "participants": ["#);
    for p in 0..people {
        let comma = if p == 0 { "" } else { "," };
        let (role, field) = if p < mentors {
            ("mentor", "offers")
        } else {
            ("mentee", "seeks")
        };
        let _ = write!(
            text,
            r#"{comma}{{"id": "p{p}", "role": "{role}", "{field}": {{"t{p}": 5, "t{}": 3}}}}"#,
            (p + 1) % people
        );
    }
    text.push_str("]}");
    text
}

/// A cohort of `n` mentors and `n` mentees answering 10 topics, so that
/// every pair is feasible and its score has many digits.
fn feasible_pairs(n: usize) -> String {
    let mut text = String::from(r#"{"questionnaire": {"topics": ["#);
    for t in 0..10 {
        let comma = if t == 0 { "" } else { "," };
        let _ = write!(text, r#"{comma}{{"id": "t{t}"}}"#);
    }
    text.push_str(r#"]}, "participants": ["#);
    for p in 0..2 * n {
        let comma = if p == 0 { "" } else { "," };
        let (role, field) = if p < n {
            ("mentor", "offers")
        } else {
            ("mentee", "seeks")
        };
        let _ = write!(
            text,
            r#"{comma}{{"id": "p{p}", "role": "{role}", "{field}": {{"t{}": {}, "t{}": 3}}, "hours_per_month": {}}}"#,
            p % 5,
            1 + p % 5,
            5 + (p / 5) % 5,
            1 + p % 7
        );
    }
    text.push_str("]}");
    text
}

#[test]
fn many_topics_take_memory_by_the_answers_not_by_people_times_topics() {
    if !have_prlimit() {
        return;
    }
    // 3,000 × 3,000 people and 6,000 topics: dense tables of mentors and
    // mentees × topics would take 144 MB each (four of them); the answer
    // lists take kilobytes, the matrix 72 MB.
    let file = Scratch::new("topics.json", &one_topic_each(3_000, 3_000));
    let output = match_cohort_within(
        400 * MIB,
        &[file.arg(), "--memory-limit", "300", "--csv"],
        None,
    );
    assert_success(&output);
    let csv = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        csv.lines().count(),
        1 + 3_000,
        "a header and a row per mentee"
    );
}

#[test]
fn many_people_are_refused_before_the_matrix_is_allocated() {
    if !have_prlimit() {
        return;
    }
    // 6,000 × 6,000: 288 MB of working matrix, over a limit of 100 MiB,
    // in an address space where it could not be allocated anyway.
    let file = Scratch::new("people.json", &one_topic_each(6_000, 6_000));
    // The default mode takes the scale path, whose candidate lists and
    // topic index fit (they grow with the answers, not with 12,000 topics
    // times the mentors).
    let output = match_cohort_within(200 * MIB, &[file.arg(), "--memory-limit", "100"], None);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = match_cohort_within(
        200 * MIB,
        &[file.arg(), "--mode", "dense", "--memory-limit", "100"],
        None,
    );
    assert_clean_error(
        &output,
        &[
            "the matching would need about",
            "over the limit of 104857600 bytes",
            "raise the limit with --memory-limit MIB",
        ],
    );
    let output = match_cohort_within(
        200 * MIB,
        &[file.arg(), "--scores", "--memory-limit", "100"],
        None,
    );
    assert_clean_error(
        &output,
        &["the score matrix would need about", "--memory-limit MIB"],
    );
}

#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    if !have_prlimit() {
        return;
    }
    // 40 MB of long languages lists: parsed, every code would take tens of
    // bytes per byte of the file.
    let mut text = String::from(
        r#"{"questionnaire": {"topics": [{"id": "t"}]}, "participants": [
        {"id": "m", "role": "mentor", "offers": {"t": 5}, "languages": ["#,
    );
    for k in 0..10_000_000 {
        text.push_str(if k == 0 { r#""a""# } else { r#","a""# });
    }
    text.push_str(r#"]}, {"id": "e", "role": "mentee", "seeks": {"t": 5}}]}"#);
    let file = Scratch::new("huge.json", &text);
    drop(text);
    let output = match_cohort_within(300 * MIB, &[file.arg(), "--memory-limit", "200"], None);
    assert_clean_error(
        &output,
        &[
            "reading the cohort file would need about",
            "over the limit of 209715200 bytes",
            "--memory-limit MIB",
        ],
    );
    // With room to read it, it is read and matched.
    let output = match_cohort_within(
        4096 * MIB,
        &[file.arg(), "--memory-limit", "3000", "--csv"],
        None,
    );
    assert_success(&output);
}

#[test]
fn the_score_matrix_output_is_streamed_not_built_in_memory() {
    if !have_prlimit() {
        return;
    }
    // 3,000 × 3,000: 81 MB of matrix, about 80 MB of JSON text (which, built
    // as one string, would take up to 128 MB while it grows).
    let file = Scratch::new("scores.json", &feasible_pairs(3_000));
    let out = Scratch::new("scores.out.json", "");
    let output = match_cohort_within(
        180 * MIB,
        &[file.arg(), "--scores", "--memory-limit", "100"],
        Some(&out.0),
    );
    assert_success(&output);
    let written = std::fs::read(&out.0).unwrap();
    assert!(
        written.len() > 60_000_000,
        "{} bytes of scores",
        written.len()
    );
    assert!(written.starts_with(br#"{"mentors":["p0","p1","#));
    assert!(written.ends_with(b"]]}\n"));
}

#[test]
fn the_library_names_its_own_setter() {
    let cohort: mentor_match::Cohort = one_topic_each(3, 3).parse().unwrap();
    let error = cohort.matcher().memory_limit(10).solve().unwrap_err();
    let message = error.to_string();
    assert!(
        message.ends_with("raise the limit with `Matcher::memory_limit`"),
        "{message}"
    );
    assert!(!message.contains("--memory-limit"), "{message}");
    let message = cohort.try_score_matrix(10).unwrap_err().to_string();
    assert!(
        message.contains("`memory_limit` argument of `Cohort::try_score_matrix`"),
        "{message}"
    );
}

#[test]
fn estimates_do_not_grow_with_people_times_topics() {
    // The same people answering from 2 topics or from 20,000: the
    // matcher's estimate grows with the answers (a few bytes per topic of
    // the questionnaire at most), not with people × topics.
    let small: mentor_match::Cohort = one_topic_each(1_000, 1_000).parse().unwrap();
    let estimate = small.matcher().estimate_bytes();
    let matrix = 1_000 * 1_000 * 8;
    assert!(estimate >= matrix, "{estimate}");
    assert!(
        estimate < matrix + 2_000 * 4_096,
        "{estimate}: more than 4 KiB a person beyond the matrix"
    );
    assert!(
        mentor_match::Cohort::estimate_read_bytes(1_000)
            >= 1_000 * mentor_match::READ_BYTES_PER_BYTE
    );
}

#[test]
fn wide_questionnaires_score_bit_for_bit_as_narrow_ones() {
    // The same answers in a questionnaire of 30 topics and goals (the
    // mentors' answers in a dense table) and of 200 (sorted lists walked
    // together): every score, bit for bit, and the matching are the same.
    let cohort = |width: usize| -> mentor_match::Cohort {
        let items = |prefix: &str| -> String {
            (0..width)
                .map(|k| format!(r#"{{"id": "{prefix}{}"}}"#, k * 7 % 30))
                .take(width.min(30))
                .chain((30..width).map(|k| format!(r#"{{"id": "{prefix}x{k}"}}"#)))
                .collect::<Vec<_>>()
                .join(",")
        };
        let mut people = Vec::new();
        for p in 0..40 {
            let (role, field) = if p < 20 {
                ("mentor", "offers")
            } else {
                ("mentee", "seeks")
            };
            let level = if p < 20 {
                String::new()
            } else {
                format!(r#", "level": {{"t{}": {}}}"#, (p * 5) % 30, p % 4)
            };
            people.push(format!(
                r#"{{"id": "p{p}", "role": "{role}", "{field}": {{"t{}": {}, "t{}": {}, "t{}": 2}}{level}, "goals": {{"g{}": {}, "g{}": 5}}, "hours_per_month": {}}}"#,
                p % 10,
                1 + p % 5,
                10 + (p * 3) % 10,
                1 + p % 3,
                20 + (p * 7) % 10,
                p % 15,
                1 + p % 5,
                15 + (p * 11) % 15,
                1 + p % 6
            ));
        }
        format!(
            r#"{{"questionnaire": {{"topics": [{}], "goals": [{}]}}, "participants": [{}]}}"#,
            items("t"),
            items("g"),
            people.join(",")
        )
        .parse()
        .unwrap()
    };
    let (narrow, wide) = (cohort(30), cohort(200));
    assert_eq!(wide.topics().len(), 200);
    let (a, b) = (narrow.score_matrix(), wide.score_matrix());
    for (x, y) in a.scores().iter().zip(b.scores()) {
        assert_eq!(x.to_bits(), y.to_bits());
    }
    assert!(a.scores().iter().any(|&s| s > 0.0));
    assert_eq!(
        narrow.matcher().solve().unwrap(),
        wide.matcher().solve().unwrap()
    );
}
