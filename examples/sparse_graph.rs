//! Writes the benchmark's candidate graphs to files and solves them, so that
//! `benches/compare/sparse.py` can time other solvers on the very same graphs.
//!
//! ```text
//! cargo run --release --example sparse_graph -- write N K SEED FILE
//! cargo run --release --example sparse_graph -- solve FILE
//! ```
//!
//! `write` generates `N` mentees × `N` mentors with `K` candidates each
//! (`benches/support/candidates.rs`) and writes them in its binary format.
//! `solve` reads such a file and solves it with the crate's sparse solver; it
//! prints one JSON object, `{"optimum": ..., "matched": ..., "solve_seconds": ...}`,
//! where `optimum` is the total cost (unmatched rows included) and
//! `solve_seconds` times the solve alone, not the reading.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use mentor_match::{Problem, Solver};

#[path = "../benches/support/candidates.rs"]
#[allow(dead_code)]
mod candidates;
#[path = "support/cli.rs"]
mod cli;

/// Writes the sparse benchmark's candidate graphs to files, or solves one
/// with the crate's sparse solver.
#[derive(Parser)]
#[command(name = "sparse_graph", after_help = cli::EXIT_STATUS)]
struct Arguments {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generates `N` mentees × `N` mentors with `K` candidates each and writes
    /// them in the benchmark's binary format; prints the rows and entries.
    Write {
        /// Mentees (rows), and as many mentors.
        n: usize,
        /// Candidate mentors per mentee.
        k: usize,
        /// Seed of the generator.
        seed: u64,
        /// The file to write.
        file: PathBuf,
    },
    /// Reads a graph file and solves it; prints `{"optimum", "matched",
    /// "solve_seconds"}` (the solve alone, not the reading).
    Solve {
        /// The graph file.
        file: PathBuf,
    },
}

fn main() -> ExitCode {
    let arguments = match cli::parse::<Arguments>() {
        Ok(arguments) => arguments,
        Err(code) => return code,
    };
    match run(&arguments.command) {
        Ok(text) => cli::print("sparse_graph", &text),
        Err(message) => cli::fail("sparse_graph", &message),
    }
}

fn run(command: &Command) -> Result<String, String> {
    match command {
        Command::Write { n, k, seed, file } => {
            let graph = candidates::Graph::generate(*n, *k, *seed);
            let shown = file.display();
            graph.write(file).map_err(|e| format!("{shown}: {e}"))?;
            Ok(format!(
                "{{\"rows\": {}, \"entries\": {}}}",
                graph.rows,
                graph.column.len()
            ))
        }
        Command::Solve { file } => {
            let shown = file.display();
            let graph = candidates::Graph::read(file).map_err(|e| format!("{shown}: {e}"))?;
            let costs = graph.sparse_costs();
            let capacity = graph.capacities();
            #[allow(clippy::cast_precision_loss)] // integers below 2^53
            let unmatched = graph.unmatched as f64;
            let problem = Problem {
                costs: &costs,
                capacity: &capacity,
                unmatched_cost: Some(unmatched),
            };
            let start = Instant::now();
            let columns = problem
                .solve(Solver::JonkerVolgenant)
                .map_err(|e| format!("{shown}: {e}"))?;
            let solve_seconds = start.elapsed().as_secs_f64();
            // The optimum in integers, from the file's own costs.
            let mut optimum = 0i64;
            let mut matched = 0;
            for (i, column) in columns.iter().enumerate() {
                optimum += match column {
                    Some(j) => {
                        matched += 1;
                        let range = graph.starts[i]..graph.starts[i + 1];
                        let e = range
                            .clone()
                            .find(|&e| graph.column[e] as usize == *j)
                            .expect("the solver picks a candidate");
                        graph.cost[e]
                    }
                    None => graph.unmatched,
                };
            }
            Ok(format!(
                "{{\"optimum\": {optimum}, \"matched\": {matched}, \"solve_seconds\": {solve_seconds}}}"
            ))
        }
    }
}
