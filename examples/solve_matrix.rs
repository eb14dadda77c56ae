//! Solves an assignment problem read from a file and prints the result as JSON.
//!
//! ```text
//! cargo run --release --example solve_matrix -- FILE [--maximize] [--solver jv|hungarian]
//! ```
//!
//! `FILE` is an OR-Library assignment file (the size `n`, then `n · n`
//! numbers) or a CSV matrix (one row per line, rectangular allowed, an empty
//! cell for a forbidden pair): CSV when the name ends in `.csv` or the text
//! holds a comma. The output is one JSON object,
//! `{"total": ..., "assignment": [column of each row or null], "solve_seconds": ...}`,
//! where `solve_seconds` times the solve alone. Any error is one line on
//! standard error and a non-zero exit status.

use std::process::ExitCode;
use std::time::Instant;

use mentor_match::{MatrixFormat, Sense, Solver, assign, parse_matrix};

#[path = "support/cli.rs"]
mod cli;

const USAGE: &str = "usage: solve_matrix FILE [--maximize] [--solver jv|hungarian]";

fn main() -> ExitCode {
    match cli::utf8_args().and_then(run) {
        Ok(json) => cli::print("solve_matrix", &json),
        Err(message) => {
            eprintln!("solve_matrix: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<String, String> {
    let mut file = None;
    let mut sense = Sense::Minimise;
    let mut solver = Solver::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--maximize" | "--maximise" => sense = Sense::Maximise,
            "--solver" => {
                solver = match args.next().as_deref() {
                    Some("jv") => Solver::JonkerVolgenant,
                    Some("hungarian") => Solver::Hungarian,
                    Some(other) => return Err(format!("unknown solver `{other}`; {USAGE}")),
                    None => return Err(format!("--solver needs a value; {USAGE}")),
                }
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option `{flag}`; {USAGE}"));
            }
            path if file.is_none() => file = Some(path.to_owned()),
            extra => return Err(format!("unexpected argument `{extra}`; {USAGE}")),
        }
    }
    let file = file.ok_or_else(|| USAGE.to_owned())?;
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{file}: {e}"))?;
    let format = if file.to_ascii_lowercase().ends_with(".csv") {
        MatrixFormat::Csv
    } else {
        MatrixFormat::guess(&text)
    };
    let matrix = parse_matrix(&text, format, sense).map_err(|e| format!("{file}: {e}"))?;

    let start = Instant::now();
    let assignment = assign(matrix.view(), sense, solver).map_err(|e| format!("{file}: {e}"))?;
    let solve_seconds = start.elapsed().as_secs_f64();

    let output = Output {
        total: assignment.total(),
        assignment: assignment.columns(),
        solve_seconds,
    };
    serde_json::to_string(&output).map_err(|e| e.to_string())
}

/// The printed result, fields in this order.
#[derive(serde::Serialize)]
struct Output<'a> {
    total: f64,
    assignment: &'a [Option<usize>],
    solve_seconds: f64,
}
