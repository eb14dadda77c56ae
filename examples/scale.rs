//! Times scoring and matching of generated cohorts and reports peak memory.
//!
//! ```text
//! cargo run --release --example scale -- 1000 5000 10000
//! cargo run --release --example scale -- --objective fairness 1000
//! cargo run --release --example scale -- --help
//! ```
//!
//! Each size `n` is an `n` mentors × `n` mentees cohort with 16 topics and 8
//! goals from a seeded generator (`benches/support/cohort.rs`). Prints one
//! line per size; peak memory is the process's high-water mark so far, so
//! run the largest size alone for its own figure.

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

use mentor_match::{DEFAULT_MEMORY_LIMIT, Objective, Solver};

#[path = "../benches/support/cohort.rs"]
#[allow(dead_code)]
mod generator;

#[path = "support/cli.rs"]
mod cli;

/// Times scoring and matching of generated cohorts and reports peak memory.
///
/// Each size n is a cohort of n mentors and n mentees with 16 topics and 8
/// goals from a seeded generator. Prints one tab-separated line per size:
/// n, seconds to score, seconds to match, their sum, mentees matched, and the
/// peak memory of the process so far in MiB (run the largest size alone for
/// its own figure).
#[derive(Parser)]
#[command(
    name = "scale",
    bin_name = "scale",
    args_override_self = true,
    after_help = cli::EXIT_STATUS,
)]
struct Args {
    /// Cohort sizes: n mentors and n mentees each, one line of output per size
    #[arg(value_name = "N", default_values_t = [1000])]
    sizes: Vec<usize>,
    /// What to optimise: total, coverage or fairness
    #[arg(long, value_name = "NAME", default_value = "coverage")]
    objective: Objective,
    /// The assignment solver: jv (Jonker-Volgenant) or hungarian (the reference)
    #[arg(long, value_name = "NAME", default_value = "jv")]
    solver: Solver,
}

fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() -> ExitCode {
    let args: Args = match cli::parse() {
        Ok(args) => args,
        Err(code) => return code,
    };
    let mut stdout = std::io::stdout().lock();
    let header = "n\tscore_s\tmatch_s\ttotal_s\tmatched\tpeak_mib";
    if let Err(error) = writeln!(stdout, "{header}").and_then(|()| stdout.flush()) {
        return cli::write_failed("scale", &error);
    }
    for &n in &args.sizes {
        let line = match measure(n, args.objective, args.solver) {
            Ok(line) => line,
            Err(message) => return cli::fail("scale", &format!("n = {n}: {message}")),
        };
        // Flushed line by line: each size can take minutes.
        if let Err(error) = writeln!(stdout, "{line}").and_then(|()| stdout.flush()) {
            return cli::write_failed("scale", &error);
        }
    }
    ExitCode::SUCCESS
}

/// Scores and matches a generated cohort of `n` per side: one line of output.
fn measure(n: usize, objective: Objective, solver: Solver) -> Result<String, mentor_match::Error> {
    let cohort = generator::generate(n, n, 16, 8, 7);
    let start = Instant::now();
    let scores = cohort.try_score_matrix(DEFAULT_MEMORY_LIMIT)?;
    let score_seconds = start.elapsed().as_secs_f64();
    drop(scores);
    let start = Instant::now();
    let matching = cohort
        .matcher()
        .objective(objective)
        .solver(solver)
        .solve()?;
    let match_seconds = start.elapsed().as_secs_f64();
    Ok(format!(
        "{n}\t{score_seconds:.3}\t{match_seconds:.3}\t{:.3}\t{}\t{:.0}",
        score_seconds + match_seconds,
        matching.matched(),
        peak_memory_mib().unwrap_or(f64::NAN)
    ))
}
