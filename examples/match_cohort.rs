//! Match a cohort file from the command line.
//!
//! ```text
//! cargo run --release --example match_cohort                 # the bundled sample cohort
//! cargo run --release --example match_cohort -- FILE [--json | --scores | --csv | --markdown]
//!     [--objective total|coverage|fairness] [--solver jv|hungarian]
//!     [--method exact|greedy|stable|random [--seed S]]
//!     [--memory-limit MIB] [--mode auto|dense|sparse] [--candidates K]
//!     [--html REPORT] [--history-out HISTORY [--round NAME]]
//! cargo run --release --example match_cohort -- --help
//! ```
//!
//! Prints a table of pairs by default, the result JSON with `--json`, the
//! score-matrix JSON with `--scores`. `--html` also writes the report page,
//! `--history-out` this round's pairs as history entries for the next round's
//! file. `--mode sparse` (or `auto`, the default, when the score matrix would
//! not fit `--memory-limit`) matches on each mentee's best `--candidates`
//! mentors; the result then says whether it is proven exact. `--method` forms
//! the pairs by a baseline instead of exactly (`--seed`, default 0, only with
//! `random`), to compare their quality. Cohorts of 1000 × 1000 and more show a
//! progress bar on stderr when it is a terminal. Any error: one line on stderr, nothing
//! on stdout, exit status 1 (2 for a usage error).

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgGroup, Parser};

#[path = "support/bar.rs"]
mod bar;
#[path = "support/cli.rs"]
mod cli;

use mentor_match::{
    Cohort, Component, DEFAULT_CANDIDATES, Exactness, Matching, Method, Mode, Objective, Pair,
    Progress, Reason, Solver, Unmatched,
};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/data/design-pilot.json"
);

/// The default `--memory-limit`, in MiB.
const DEFAULT_MIB: u64 = mentor_match::DEFAULT_MEMORY_LIMIT >> 20;

/// Matches the mentors and mentees of a cohort file and prints the pairs, with
/// their scores and why each was formed.
///
/// Prints a table by default; --json, --scores, --csv and --markdown choose
/// another output (one at most).
// The four output flags are the command line's; clap keeps them exclusive.
#[allow(clippy::struct_excessive_bools)]
#[derive(Parser)]
#[command(
    name = "match_cohort",
    bin_name = "match_cohort",
    args_override_self = true,
    after_help = cli::EXIT_STATUS,
    group(ArgGroup::new("output").args(["json", "scores", "csv", "markdown"])),
)]
struct Args {
    /// The cohort file (JSON); the bundled sample cohort when omitted
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// Print the result as JSON (pairs, unmatched mentees, totals)
    #[arg(long)]
    json: bool,
    /// Print the score matrix as JSON (rows are mentors, null marks an infeasible pair)
    #[arg(long)]
    scores: bool,
    /// Print one CSV row per mentee, in file order, numbers at full precision
    #[arg(long)]
    csv: bool,
    /// Print the report as Markdown, for a wiki page or an e-mail
    #[arg(long)]
    markdown: bool,
    /// What to optimise: total, coverage or fairness [default: the cohort file's, else coverage]
    #[arg(long, value_name = "NAME")]
    objective: Option<Objective>,
    /// The assignment solver: jv (Jonker-Volgenant) or hungarian (the reference) [default: jv]
    #[arg(long, value_name = "NAME")]
    solver: Option<Solver>,
    /// How to form the pairs: exact (an optimum of the objective), or a baseline to
    /// compare with: greedy (best pair first), stable (the stable matching, the same
    /// pairs as greedy) or random [default: exact]
    #[arg(long, value_name = "NAME")]
    method: Option<Method>,
    /// The seed of --method random [default: 0]
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// The most memory the score matrix and the matcher may take, in MiB
    #[arg(long, value_name = "MIB", default_value_t = DEFAULT_MIB, value_parser = mebibytes)]
    memory_limit: u64,
    /// dense: score every pair; sparse: only each mentee's best K mentors
    /// (--candidates), for cohorts too large for the score matrix; auto: dense
    /// when the score matrix fits --memory-limit, else sparse
    #[arg(long, value_name = "MODE", default_value = "auto")]
    mode: Mode,
    /// Candidate mentors kept per mentee on the sparse path
    #[arg(long, value_name = "K", default_value_t = DEFAULT_CANDIDATES)]
    candidates: usize,
    /// Also write the report as one self-contained HTML page to FILE
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Also write this round's pairs to FILE as history entries (a JSON array)
    /// to append to the next round's `history`
    #[arg(long, value_name = "FILE")]
    history_out: Option<PathBuf>,
    /// The round's name in the history entries of --history-out
    #[arg(long, value_name = "NAME", requires = "history_out")]
    round: Option<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Output {
    Table,
    Json,
    Scores,
    Csv,
    Markdown,
}

impl Args {
    fn output(&self) -> Output {
        if self.json {
            Output::Json
        } else if self.scores {
            Output::Scores
        } else if self.csv {
            Output::Csv
        } else if self.markdown {
            Output::Markdown
        } else {
            Output::Table
        }
    }
}

/// A whole number of MiB whose bytes fit in `u64`.
fn mebibytes(text: &str) -> Result<u64, String> {
    text.parse::<u64>()
        .ok()
        .filter(|mib| mib.checked_mul(1 << 20).is_some())
        .ok_or_else(|| format!("expected a whole number of MiB up to {}", u64::MAX >> 20))
}

fn main() -> ExitCode {
    let args: Args = match cli::parse() {
        Ok(args) => args,
        Err(code) => return code,
    };
    if args.seed.is_some() && !matches!(args.method, Some(Method::Random { .. })) {
        eprintln!("match_cohort: --seed applies only to --method random (see --help)");
        return ExitCode::from(2);
    }
    // The two JSON outputs grow with the cohort: they go to stdout as they
    // are written, never whole in memory (the same bytes as `to_string`).
    let program = "match_cohort";
    match run(&args) {
        Ok(Printed::Text(text)) => cli::print(program, &text),
        Ok(Printed::Scores(scores)) => cli::stream(program, |out| {
            serde_json::to_writer(out, &scores).map_err(Into::into)
        }),
        Ok(Printed::Matching(matching)) => cli::stream(program, |out| {
            serde_json::to_writer_pretty(out, &matching).map_err(Into::into)
        }),
        Err(message) => cli::fail(program, &message),
    }
}

/// What to print: a text, or a value to write as JSON.
enum Printed {
    Text(String),
    Scores(mentor_match::ScoreMatrix),
    Matching(Matching),
}

/// An error as this command line says it: the memory limit is raised with
/// its flag, not with the library's setter.
fn message(mut error: mentor_match::Error) -> String {
    if let mentor_match::Error::MemoryLimit { raise_with, .. } = &mut error {
        *raise_with = "--memory-limit MIB";
    }
    error.to_string()
}

fn run(args: &Args) -> Result<Printed, String> {
    let path = args.file.as_deref().unwrap_or(Path::new(SAMPLE));
    let file = path.display();
    let memory_limit = args.memory_limit << 20; // checked by `mebibytes`
    // The file's length is checked before it is read: reading takes a
    // bounded multiple of it.
    let length = std::fs::metadata(path)
        .map_err(|e| format!("{file}: {e}"))?
        .len();
    Cohort::check_read_memory(length, memory_limit)
        .map_err(|e| format!("{file}: {}", message(e)))?;
    let bytes = std::fs::read(path).map_err(|e| format!("{file}: {e}"))?;
    let cohort = Cohort::from_slice(&bytes).map_err(|e| format!("{file}: {e}"))?;
    drop(bytes);
    let output = args.output();
    let files = args.html.is_some() || args.history_out.is_some();
    if output == Output::Scores {
        let scores = cohort.try_score_matrix(memory_limit).map_err(message)?;
        if files {
            write_files(args, &cohort, &solve(args, &cohort)?)?;
        }
        return Ok(Printed::Scores(scores));
    }
    let matching = solve(args, &cohort)?;
    write_files(args, &cohort, &matching)?;
    Ok(match output {
        Output::Json => Printed::Matching(matching),
        Output::Csv => Printed::Text(csv(&cohort, &matching)),
        Output::Markdown => Printed::Text(markdown(&cohort, &matching)),
        Output::Table | Output::Scores => Printed::Text(table(&cohort, &matching)),
    })
}

/// The matching the arguments ask for, with a progress bar for a large cohort.
fn solve(args: &Args, cohort: &Cohort) -> Result<Matching, String> {
    let memory_limit = args.memory_limit << 20; // checked by `mebibytes`
    let pairs = cohort.mentors().len() as u64 * cohort.mentees().len() as u64;
    let bar = bar::Bar::for_pairs(pairs);
    let mut matcher = cohort
        .matcher()
        .memory_limit(memory_limit)
        .mode(args.mode)
        .candidates(args.candidates);
    if let Some(bar) = &bar {
        matcher = matcher.progress(bar as &dyn Progress);
    }
    if let Some(objective) = args.objective {
        matcher = matcher.objective(objective);
    }
    if let Some(solver) = args.solver {
        matcher = matcher.solver(solver);
    }
    if let Some(method) = args.method {
        let method = match method {
            Method::Random { .. } => Method::Random {
                seed: args.seed.unwrap_or(0),
            },
            other => other,
        };
        matcher = matcher.method(method);
    }
    matcher.solve().map_err(message)
}

/// Writes the files asked for: the HTML report and the history entries.
fn write_files(args: &Args, cohort: &Cohort, matching: &Matching) -> Result<(), String> {
    let write = |path: &Path, text: String| {
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    if let Some(path) = &args.html {
        write(path, mentor_match::html_report(cohort, matching))?;
    }
    if let Some(path) = &args.history_out {
        let entries = matching.history(args.round.as_deref());
        let text = serde_json::to_string_pretty(&entries).map_err(|e| e.to_string())?;
        write(path, text + "\n")?;
    }
    Ok(())
}

/// Why a pair was formed, in words: the top topics (labels), goal alignment,
/// time, preference, and for a pinned pair the rules it breaks.
fn why(cohort: &Cohort, pair: &Pair) -> String {
    let label = |topic: &String| {
        cohort
            .topics()
            .iter()
            .find(|t| t.id() == topic)
            .map_or(topic.as_str(), |t| t.label())
            .to_owned()
    };
    let parts = pair.breakdown();
    let topics: Vec<String> = pair.topics().iter().take(3).map(label).collect();
    let mut why = if topics.is_empty() {
        "no topic overlap".to_owned()
    } else {
        topics.join(", ")
    };
    let _ = write!(
        why,
        "; goals {:.2}, time {:.2}",
        parts.goals(),
        parts.availability()
    );
    // Only a questionnaire with meeting times has something to say here.
    if !cohort.slots().is_empty() {
        let _ = write!(why, ", meeting times {:.2}", parts.schedule());
    }
    if parts.preference() > 0.0 {
        why.push_str(", preferred");
    }
    if pair.is_pinned() {
        why.push_str("; pinned");
        if !pair.broken_rules().is_empty() {
            let rules: Vec<&str> = pair.broken_rules().iter().map(|r| r.name()).collect();
            let _ = write!(why, " (breaks {})", rules.join(", "));
        }
    }
    why
}

/// Why a mentee has no mentor, in words.
fn reason(entry: &Unmatched) -> String {
    if entry.reason() == Reason::Capacity {
        "every feasible mentor was needed elsewhere".to_owned()
    } else if entry.reason() == Reason::NotInTopK {
        "not among the candidates kept (raise --candidates)".to_owned()
    } else {
        let counts: Vec<String> = entry
            .ruled_out()
            .iter()
            .map(|(rule, count)| format!("{rule} {count}"))
            .collect();
        format!("no feasible mentor ({})", counts.join(", "))
    }
}

fn summary(cohort: &Cohort, matching: &Matching) -> String {
    let exact = match matching.exactness() {
        None => "",
        Some(Exactness::Proven) => " (sparse path, proven exact)",
        Some(_) => " (sparse path, exact on the candidate graph only)",
    };
    let method = match matching.method() {
        Method::Exact => format!("objective {}", matching.objective()),
        Method::Random { seed } => format!("method random (seed {seed})"),
        other => format!("method {other}"),
    };
    format!(
        "{method}: {} of {} mentees matched, total score {:.3}, lowest {}{exact}",
        matching.matched(),
        cohort.mentees().len(),
        matching.total_score(),
        matching
            .min_score()
            .map_or_else(|| "-".into(), |s| format!("{s:.3}")),
    )
}

/// A readable table: each pair, its score, and why it was formed. Control
/// characters in ids, labels and the cohort name are escaped (`\n`), so each
/// pair stays on one line.
fn table(cohort: &Cohort, matching: &Matching) -> String {
    let plain = cli::escape_control;
    let width = |side: fn(&Pair) -> &str| {
        matching
            .pairs()
            .iter()
            .map(|p| plain(side(p)).chars().count())
            .max()
            .unwrap_or(6)
            .max(6)
    };
    let (mentor_width, mentee_width) = (width(Pair::mentor), width(Pair::mentee));
    let mut out = String::new();
    if let Some(name) = cohort.name() {
        let _ = writeln!(out, "{}", plain(name));
    }
    let _ = writeln!(out, "{}\n", summary(cohort, matching));
    let _ = writeln!(
        out,
        "{:<mentor_width$}  {:<mentee_width$}  score  why",
        "mentor", "mentee"
    );
    for pair in matching.pairs() {
        let _ = writeln!(
            out,
            "{:<mentor_width$}  {:<mentee_width$}  {:.3}  {}",
            plain(pair.mentor()),
            plain(pair.mentee()),
            pair.score(),
            plain(&why(cohort, pair))
        );
    }
    if !matching.unmatched().is_empty() {
        let _ = writeln!(out, "\nunmatched:");
        for entry in matching.unmatched() {
            let _ = writeln!(out, "  {}: {}", plain(entry.mentee()), reason(entry));
        }
    }
    out.trim_end().to_owned()
}

/// `text` for a Markdown table cell, heading or list item: `\` and `|` escaped
/// with a backslash, control characters written as escapes (`\n`).
fn markdown_text(text: &str) -> String {
    cli::escape_control(&text.replace('\\', "\\\\").replace('|', "\\|"))
}

/// The same report in Markdown, for a wiki page or an e-mail.
fn markdown(cohort: &Cohort, matching: &Matching) -> String {
    let cell = markdown_text;
    let mut out = format!("# {}\n\n", cell(cohort.name().unwrap_or("Mentoring pairs")));
    let _ = writeln!(out, "{}\n", summary(cohort, matching));
    out.push_str("| mentor | mentee | score | why |\n|---|---|---:|---|\n");
    for pair in matching.pairs() {
        let _ = writeln!(
            out,
            "| {} | {} | {:.3} | {} |",
            cell(pair.mentor()),
            cell(pair.mentee()),
            pair.score(),
            cell(&why(cohort, pair))
        );
    }
    if !matching.unmatched().is_empty() {
        out.push_str("\n## Unmatched\n\n");
        for entry in matching.unmatched() {
            let _ = writeln!(out, "- {}: {}", cell(entry.mentee()), reason(entry));
        }
    }
    if !matching.short().is_empty() {
        out.push_str("\n## Fewer mentors than wanted\n\n");
        for entry in matching.short() {
            let _ = writeln!(
                out,
                "- {}: {} of {} wanted",
                cell(entry.mentee()),
                entry.got(),
                entry.wanted()
            );
        }
    }
    out.push_str(&quality_markdown(matching));
    out.trim_end().to_owned()
}

/// The quality metrics as a Markdown list ("–" where there is nothing to measure).
fn quality_markdown(matching: &Matching) -> String {
    let q = matching.quality();
    let share = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{:.1}%", v * 100.0));
    let score = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{v:.3}"));
    let quartiles = q.score_quartiles().map_or_else(
        || "–".to_owned(),
        |[q1, q2, q3]| format!("{q1:.3} / {q2:.3} / {q3:.3}"),
    );
    format!(
        "\n## Quality\n\n\
         - matched mentees: {}\n\
         - mentor places used: {}\n\
         - mean score: {}; quartiles (q1 / median / q3): {quartiles}\n\
         - topic coverage: {}; goal alignment: {}\n\
         - preferred mentor, where one was named: {}\n\
         - blocking pairs: {}\n",
        share(q.matched_share()),
        share(q.places_used()),
        score(q.mean_score()),
        share(q.topic_coverage()),
        score(q.goal_alignment()),
        share(q.preferred_share()),
        q.blocking_pairs(),
    )
}

/// A CSV field: quoted (`"` doubled) when it holds `,`, `"` or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// A list in one CSV field, items separated by `;`: an item holding `;`, `"`
/// or a line break is quoted as a CSV field is (`"` doubled), so the list
/// reads back by splitting it as CSV with `;` as separator.
fn csv_list(items: &[String]) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|item| {
            if item.contains([';', '"', '\n', '\r']) {
                format!("\"{}\"", item.replace('"', "\"\""))
            } else {
                item.clone()
            }
        })
        .collect();
    items.join(";")
}

/// One row per pair (a mentee with several mentors has a row for each, in
/// the mentors' file order) and per unmatched mentee, in the mentees' file
/// order, for a spreadsheet: full-precision numbers, `;` between topics (see
/// [`csv_list`]) and between rules, no mentor for the unmatched.
fn csv(cohort: &Cohort, matching: &Matching) -> String {
    let field = csv_field;
    let mut rows: std::collections::HashMap<&str, Vec<String>> = std::collections::HashMap::new();
    for pair in matching.pairs() {
        let parts: Vec<String> = pair
            .breakdown()
            .iter()
            .map(|(_, value)| value.to_string())
            .collect();
        let rules: Vec<&str> = pair.broken_rules().iter().map(|r| r.name()).collect();
        let row = format!(
            "{},{},{},{},{},{},{},",
            field(pair.mentee()),
            field(pair.mentor()),
            pair.score(),
            pair.is_pinned(),
            parts.join(","),
            field(&csv_list(pair.topics())),
            rules.join(";"),
        );
        rows.entry(pair.mentee()).or_default().push(row);
    }
    let blanks = ",".repeat(Component::all().len() + 6);
    for entry in matching.unmatched() {
        let reason = entry.reason().name();
        rows.entry(entry.mentee())
            .or_default()
            .push(format!("{}{blanks}{reason}", field(entry.mentee())));
    }
    let components: Vec<&str> = Component::all().map(Component::name).collect();
    let mut out = format!(
        "mentee,mentor,score,pinned,{},topics,broken_rules,reason",
        components.join(",")
    );
    for &mentee in cohort.mentees() {
        for row in rows.get(cohort.at(mentee).id()).into_iter().flatten() {
            out.push('\n');
            out.push_str(row);
        }
    }
    out
}
