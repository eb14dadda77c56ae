//! Solves an assignment problem read from a file and prints the result as JSON.
//!
//! ```text
//! cargo run --release --example solve_matrix -- FILE [--maximize] [--solver jv|hungarian]
//! cargo run --release --example solve_matrix -- --help
//! ```
//!
//! `FILE` is an OR-Library assignment file (the size `n`, then `n · n`
//! numbers) or a CSV matrix (every line a row, rectangular allowed, an empty
//! cell for a forbidden pair): CSV when the name ends in `.csv` or the text
//! holds a comma. The output is one JSON object,
//! `{"total": ..., "assignment": [column of each row or null], "solve_seconds": ...}`,
//! where `solve_seconds` times the solve alone. Any error is one line on
//! standard error: exit status 1 for bad input (including a total beyond the
//! range of `f64`, which JSON cannot hold), 2 for a usage error.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use ndarray::{Array2, ArrayView2};

use mentor_match::{Error, MatrixFormat, Sense, Solver, assign, parse_matrix};

#[path = "support/cli.rs"]
mod cli;

/// Solves the linear assignment problem of a matrix file (each row to at most
/// one column, each column to at most one row, min(rows, columns) pairs, the
/// smallest total) and prints the result as JSON:
/// `{"total": ..., "assignment": [column of each row, or null], "solve_seconds": ...}`.
#[derive(Parser)]
#[command(
    name = "solve_matrix",
    bin_name = "solve_matrix",
    args_override_self = true,
    after_help = cli::EXIT_STATUS,
)]
struct Args {
    /// The matrix: an OR-Library assignment file (the size n, then n·n numbers)
    /// or a CSV file (every line a row, an empty cell for a forbidden pair);
    /// read as CSV when the name ends in .csv or the text holds a comma.
    /// When minimising, inf marks a forbidden pair; when maximising, -inf.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Maximise the total instead of minimising it
    #[arg(long, visible_alias = "maximise")]
    maximize: bool,
    /// The assignment solver: jv (Jonker-Volgenant) or hungarian (the reference)
    #[arg(long, value_name = "NAME", default_value = "jv")]
    solver: Solver,
}

fn main() -> ExitCode {
    let args: Args = match cli::parse() {
        Ok(args) => args,
        Err(code) => return code,
    };
    match run(&args) {
        Ok(json) => cli::print("solve_matrix", &json),
        Err(message) => cli::fail("solve_matrix", &message),
    }
}

fn run(args: &Args) -> Result<String, String> {
    let file = args.file.display();
    let sense = if args.maximize {
        Sense::Maximise
    } else {
        Sense::Minimise
    };
    let text = std::fs::read_to_string(&args.file).map_err(|e| format!("{file}: {e}"))?;
    let csv_name = args
        .file
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("csv"));
    let format = if csv_name {
        MatrixFormat::Csv
    } else {
        MatrixFormat::guess(&text)
    };
    let matrix = parse_matrix(&text, format, sense).map_err(|e| format!("{file}: {e}"))?;

    let start = Instant::now();
    let assignment = assign(matrix.view(), sense, args.solver).map_err(|e| match e {
        Error::Infeasible { required, possible } => {
            format!("{file}: {}", infeasible(&matrix, sense, required, possible))
        }
        e => format!("{file}: {e}"),
    })?;
    let solve_seconds = start.elapsed().as_secs_f64();

    let total = assignment.total();
    if !total.is_finite() {
        return Err(format!(
            "{file}: the total of the optimal assignment overflows f64 (it is beyond \
             ±1.8e308, which JSON cannot hold); scale the entries down"
        ));
    }
    let output = Output {
        total,
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

/// Why no assignment avoids the forbidden pairs, in the matrix's own terms:
/// how many of the lines of the shorter side (rows, or columns when there are
/// more rows) can be assigned, and a set of those lines that together allow
/// fewer lines of the other side than they number (Hall's condition fails).
fn infeasible(matrix: &Array2<f64>, sense: Sense, required: usize, possible: usize) -> String {
    // Work on the shorter side as rows.
    let (line, other, oriented) = if matrix.nrows() > matrix.ncols() {
        ("column", "row", matrix.t())
    } else {
        ("row", "column", matrix.view())
    };
    let mut message = format!(
        "no assignment avoids the forbidden pairs: at most {possible} of the {required} {line}s \
         can each get a {other} of their own ({} × {} matrix)",
        matrix.nrows(),
        matrix.ncols()
    );
    if let Some((stuck, allowed)) = hall_witness(&oriented, sense) {
        let allow = if stuck.len() == 1 { "allows" } else { "allow" };
        let stuck = named(line, &stuck);
        let _ = if allowed.is_empty() {
            write!(message, "; {stuck} {allow} no {other}")
        } else {
            write!(message, "; {stuck} {allow} only {}", named(other, &allowed))
        };
    }
    message
}

/// `row 3`, or `rows 0, 1, 4` (up to 10 indices, then how many more).
fn named(kind: &str, indices: &[usize]) -> String {
    let mut text: Vec<String> = indices.iter().take(10).map(ToString::to_string).collect();
    if indices.len() > 10 {
        text.push(format!("and {} more", indices.len() - 10));
    }
    let plural = if indices.len() == 1 { "" } else { "s" };
    format!("{kind}{plural} {}", text.join(", "))
}

/// Rows `S` and the columns `N(S)` they allow, with `|N(S)| < |S|`, when not
/// every row can be given its own allowed column (`rows <= columns`).
///
/// A maximum matching of allowed pairs comes from the solver itself (cost 0
/// for an allowed pair, 1 for a forbidden one); the rows reachable from a row
/// it leaves on a forbidden pair, by alternating allowed and matched pairs, are
/// such a set (König). `O(n² m)` for the solve, `O(n m)` for the search.
fn hall_witness(matrix: &ArrayView2<'_, f64>, sense: Sense) -> Option<(Vec<usize>, Vec<usize>)> {
    let allowed = |x: f64| match sense {
        Sense::Minimise => x < f64::INFINITY,
        Sense::Maximise => x > f64::NEG_INFINITY,
    };
    let pattern = matrix.mapv(|x| if allowed(x) { 0.0 } else { 1.0 });
    let matching = assign(pattern.view(), Sense::Minimise, Solver::default()).ok()?;
    let row_of_column = {
        let mut row_of = vec![None; matrix.ncols()];
        for (row, column) in matching.pairs() {
            if allowed(matrix[[row, column]]) {
                row_of[column] = Some(row);
            }
        }
        row_of
    };
    let start = matching
        .pairs()
        .find(|&(row, column)| !allowed(matrix[[row, column]]))?
        .0;
    let mut row_seen = vec![false; matrix.nrows()];
    let mut column_seen = vec![false; matrix.ncols()];
    row_seen[start] = true;
    let mut queue = vec![start];
    while let Some(row) = queue.pop() {
        for column in 0..matrix.ncols() {
            if allowed(matrix[[row, column]]) && !column_seen[column] {
                column_seen[column] = true;
                // A maximum matching leaves no allowed column free for a
                // reachable row, so `column` is matched.
                let next = row_of_column[column]?;
                if !row_seen[next] {
                    row_seen[next] = true;
                    queue.push(next);
                }
            }
        }
    }
    let indices = |seen: &[bool]| -> Vec<usize> {
        seen.iter()
            .enumerate()
            .filter_map(|(i, &s)| s.then_some(i))
            .collect()
    };
    Some((indices(&row_seen), indices(&column_seen)))
}
