//! Match a cohort file from the command line.
//!
//! ```text
//! cargo run --release --example match_cohort                 # the bundled sample cohort
//! cargo run --release --example match_cohort -- FILE [--json | --scores | --csv | --markdown]
//!     [--objective total|coverage|fairness] [--solver jv|hungarian]
//!     [--memory-limit MIB]
//! ```
//!
//! Prints a table of pairs by default, the result JSON with `--json`, the
//! score-matrix JSON with `--scores`. Any error: one line on stderr, nothing
//! on stdout, exit code 1 (2 for a usage error).

use std::process::ExitCode;

use std::fmt::Write;

#[path = "support/cli.rs"]
mod cli;

use mentor_match::{Cohort, Matching, Objective, Pair, Reason, Solver, Unmatched};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/data/design-pilot.json"
);
const USAGE: &str = "usage: match_cohort [FILE] [--json | --scores | --csv | --markdown] [--objective total|coverage|fairness] [--solver jv|hungarian] [--memory-limit MIB]";

#[derive(Clone, Copy, PartialEq)]
enum Output {
    Table,
    Json,
    Scores,
    Csv,
    Markdown,
}

struct Options {
    file: String,
    output: Output,
    objective: Option<Objective>,
    solver: Option<Solver>,
    memory_limit: u64,
}

fn main() -> ExitCode {
    let options = match cli::utf8_args().and_then(|args| parse_args(args.into_iter())) {
        Ok(Some(options)) => options,
        Ok(None) => {
            return cli::print("match_cohort", USAGE);
        }
        Err(message) => {
            eprintln!("match_cohort: {message} (see --help)");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(text) => cli::print("match_cohort", &text),
        Err(message) => {
            eprintln!("match_cohort: {message}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut file = None;
    let mut output = Output::Table;
    let mut objective = None;
    let mut solver = None;
    let mut memory_limit = mentor_match::DEFAULT_MEMORY_LIMIT;
    let mut args = args.peekable();
    let set_output = |wanted: Output, flag: &str, output: &mut Output| {
        if *output != Output::Table && *output != wanted {
            return Err(format!(
                "{flag} cannot be combined with another output format"
            ));
        }
        *output = wanted;
        Ok(())
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--json" => set_output(Output::Json, "--json", &mut output)?,
            "--scores" => set_output(Output::Scores, "--scores", &mut output)?,
            "--csv" => set_output(Output::Csv, "--csv", &mut output)?,
            "--markdown" => set_output(Output::Markdown, "--markdown", &mut output)?,
            "--objective" => {
                let name = args.next().ok_or("--objective needs a value")?;
                objective = Some(name.parse().map_err(|_| {
                    format!("unknown objective {name:?}: use total, coverage or fairness")
                })?);
            }
            "--solver" => {
                let name = args.next().ok_or("--solver needs a value")?;
                solver = Some(parse_solver(&name)?);
            }
            "--memory-limit" => {
                let mib = args.next().ok_or("--memory-limit needs a value in MiB")?;
                memory_limit = mib
                    .parse::<u64>()
                    .ok()
                    .and_then(|m| m.checked_mul(1 << 20))
                    .ok_or_else(|| {
                        format!("--memory-limit takes a whole number of MiB, not {mib:?}")
                    })?;
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path => {
                if file.replace(path.to_owned()).is_some() {
                    return Err("give at most one cohort file".into());
                }
            }
        }
    }
    Ok(Some(Options {
        file: file.unwrap_or_else(|| SAMPLE.to_owned()),
        output,
        objective,
        solver,
        memory_limit,
    }))
}

fn parse_solver(name: &str) -> Result<Solver, String> {
    match name {
        "hungarian" => Ok(Solver::Hungarian),
        "jv" | "jonker-volgenant" => Ok(Solver::JonkerVolgenant),
        other => Err(format!("unknown solver {other:?}: use jv or hungarian")),
    }
}

fn run(options: &Options) -> Result<String, String> {
    let bytes = std::fs::read(&options.file).map_err(|e| format!("{}: {e}", options.file))?;
    let cohort = Cohort::from_slice(&bytes).map_err(|e| format!("{}: {e}", options.file))?;
    if options.output == Output::Scores {
        let scores = cohort
            .try_score_matrix(options.memory_limit)
            .map_err(|e| e.to_string())?;
        return serde_json::to_string(&scores).map_err(|e| e.to_string());
    }
    let mut matcher = cohort.matcher().memory_limit(options.memory_limit);
    if let Some(objective) = options.objective {
        matcher = matcher.objective(objective);
    }
    if let Some(solver) = options.solver {
        matcher = matcher.solver(solver);
    }
    let matching = matcher.solve().map_err(|e| e.to_string())?;
    match options.output {
        Output::Json => serde_json::to_string_pretty(&matching).map_err(|e| e.to_string()),
        Output::Csv => Ok(csv(&cohort, &matching)),
        Output::Markdown => Ok(markdown(&cohort, &matching)),
        Output::Table | Output::Scores => Ok(table(&cohort, &matching)),
    }
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
    format!(
        "objective {}: {} of {} mentees matched, total score {:.3}, lowest {}",
        matching.objective(),
        matching.matched(),
        cohort.mentees().len(),
        matching.total_score(),
        matching
            .min_score()
            .map_or_else(|| "-".into(), |s| format!("{s:.3}")),
    )
}

/// A readable table: each pair, its score, and why it was formed.
fn table(cohort: &Cohort, matching: &Matching) -> String {
    let width = |side: fn(&Pair) -> &str| {
        matching
            .pairs()
            .iter()
            .map(|p| side(p).len())
            .max()
            .unwrap_or(6)
            .max(6)
    };
    let (mentor_width, mentee_width) = (width(Pair::mentor), width(Pair::mentee));
    let mut out = String::new();
    if let Some(name) = cohort.name() {
        let _ = writeln!(out, "{name}");
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
            pair.mentor(),
            pair.mentee(),
            pair.score(),
            why(cohort, pair)
        );
    }
    if !matching.unmatched().is_empty() {
        let _ = writeln!(out, "\nunmatched:");
        for entry in matching.unmatched() {
            let _ = writeln!(out, "  {}: {}", entry.mentee(), reason(entry));
        }
    }
    out.trim_end().to_owned()
}

/// The same report in Markdown, for a wiki page or an e-mail.
fn markdown(cohort: &Cohort, matching: &Matching) -> String {
    let cell = |text: &str| text.replace('|', "\\|");
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
            let _ = writeln!(out, "- {}: {}", entry.mentee(), reason(entry));
        }
    }
    out.trim_end().to_owned()
}

/// One row per mentee in file order, for a spreadsheet: full-precision
/// numbers, `;` between topics and between rules, no mentor for the unmatched.
fn csv(cohort: &Cohort, matching: &Matching) -> String {
    fn field(text: &str) -> String {
        if text.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_owned()
        }
    }
    let mut rows: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for pair in matching.pairs() {
        let parts = pair.breakdown();
        let rules: Vec<&str> = pair.broken_rules().iter().map(|r| r.name()).collect();
        let row = format!(
            "{},{},{},{},{},{},{},{},{},{},",
            field(pair.mentee()),
            field(pair.mentor()),
            pair.score(),
            pair.is_pinned(),
            parts.skills(),
            parts.goals(),
            parts.availability(),
            parts.preference(),
            field(&pair.topics().join(";")),
            rules.join(";"),
        );
        rows.insert(pair.mentee(), row);
    }
    for entry in matching.unmatched() {
        let reason = entry.reason().name();
        rows.insert(
            entry.mentee(),
            format!("{},,,,,,,,,,{reason}", field(entry.mentee())),
        );
    }
    let mut out = String::from(
        "mentee,mentor,score,pinned,skills,goals,availability,preference,topics,broken_rules,reason",
    );
    for &mentee in cohort.mentees() {
        if let Some(row) = rows.get(cohort.at(mentee).id()) {
            out.push('\n');
            out.push_str(row);
        }
    }
    out
}
