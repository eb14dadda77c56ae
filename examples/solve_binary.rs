//! Times the assignment solvers on a matrix stored in a binary file, for the
//! side-by-side comparisons of `benches/compare/families.py`.
//!
//! ```text
//! cargo run --release --example solve_binary -- FILE [--solver jv|hungarian] [--threads N] [--runs N]
//! ```
//!
//! `FILE` holds two little-endian `u64` (rows, columns), then `rows · columns`
//! little-endian `f64`, row by row: what numpy writes with `tofile` after the
//! header, read without parsing, so that matrices of 64 million entries load in
//! a second. The costs are minimised. `--threads` sets the size of the thread
//! pool the solve runs in (default: all cores); `--runs` solves that many times.
//! The output is one JSON object,
//! `{"total": ..., "solve_seconds": [...], "assignment": [...]}`, where each
//! `solve_seconds` entry times one solve alone.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use mentor_match::{Sense, Solver, assign};
use ndarray::Array2;

#[path = "support/cli.rs"]
mod cli;

/// Times the assignment solvers on a matrix stored in a binary file (two
/// little-endian u64, rows and columns, then the f64 entries row by row),
/// minimising; prints a JSON object with `total`, `solve_seconds` and `assignment`.
#[derive(Parser)]
#[command(name = "solve_binary", after_help = cli::EXIT_STATUS)]
struct Arguments {
    /// The binary matrix file.
    file: PathBuf,
    /// The solver: jv (the default) or hungarian.
    #[arg(long, default_value = "jv")]
    solver: Solver,
    /// Threads of the pool the solve runs in (0, the default: all cores).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Solves this many times, timing each (default 1).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    runs: u64,
}

fn main() -> ExitCode {
    let arguments = match cli::parse::<Arguments>() {
        Ok(arguments) => arguments,
        Err(code) => return code,
    };
    match run(&arguments) {
        Ok(json) => cli::print("solve_binary", &json),
        Err(message) => cli::fail("solve_binary", &message),
    }
}

fn run(arguments: &Arguments) -> Result<String, String> {
    let file = arguments.file.display();
    let bytes = std::fs::read(&arguments.file).map_err(|e| format!("{file}: {e}"))?;
    let matrix = read_matrix(&bytes).map_err(|e| format!("{file}: {e}"))?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(arguments.threads)
        .build()
        .map_err(|e| e.to_string())?;

    let mut solve_seconds = Vec::new();
    let mut last = None;
    for _ in 0..arguments.runs {
        let start = Instant::now();
        let assignment = pool
            .install(|| assign(matrix.view(), Sense::Minimise, arguments.solver))
            .map_err(|e| format!("{file}: {e}"))?;
        solve_seconds.push(start.elapsed().as_secs_f64());
        last = Some(assignment);
    }
    let assignment = last.expect("at least one run");
    let output = Output {
        total: assignment.total(),
        solve_seconds,
        assignment: assignment.columns(),
    };
    serde_json::to_string(&output).map_err(|e| e.to_string())
}

/// The matrix of a binary file: a header of two `u64`, then the entries.
fn read_matrix(bytes: &[u8]) -> Result<Array2<f64>, String> {
    let word = |k: usize| -> Option<[u8; 8]> { bytes.get(8 * k..8 * k + 8)?.try_into().ok() };
    let dimension = |k: usize| {
        word(k)
            .and_then(|w| usize::try_from(u64::from_le_bytes(w)).ok())
            .ok_or("the file is shorter than its 16-byte header")
    };
    let (rows, columns) = (dimension(0)?, dimension(1)?);
    let body = &bytes[16..];
    if rows.checked_mul(columns).and_then(|n| n.checked_mul(8)) != Some(body.len()) {
        return Err(format!(
            "a {rows} × {columns} matrix needs {} bytes after the header, the file has {}",
            rows.saturating_mul(columns).saturating_mul(8),
            body.len()
        ));
    }
    let entries = body
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes")))
        .collect();
    Array2::from_shape_vec((rows, columns), entries).map_err(|e| e.to_string())
}

/// The printed result, fields in this order.
#[derive(serde::Serialize)]
struct Output<'a> {
    total: f64,
    solve_seconds: Vec<f64>,
    assignment: &'a [Option<usize>],
}
