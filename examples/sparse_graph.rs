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

use std::process::ExitCode;
use std::time::Instant;

use mentor_match::{Problem, Solver};

#[path = "../benches/support/candidates.rs"]
#[allow(dead_code)]
mod candidates;
#[path = "support/cli.rs"]
mod cli;

const USAGE: &str = "usage: sparse_graph write N K SEED FILE | sparse_graph solve FILE";

fn main() -> ExitCode {
    match cli::utf8_args().and_then(|args| run(&args)) {
        Ok(text) => cli::print("sparse_graph", &text),
        Err(message) => {
            eprintln!("sparse_graph: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<String, String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let number = |text: &str| {
        text.parse::<u64>()
            .map_err(|_| format!("not a number: `{text}`; {USAGE}"))
    };
    match args[..] {
        ["write", n, k, seed, file] => {
            let size =
                |text| number(text).and_then(|x| usize::try_from(x).map_err(|e| e.to_string()));
            let graph = candidates::Graph::generate(size(n)?, size(k)?, number(seed)?);
            graph.write(file).map_err(|e| format!("{file}: {e}"))?;
            Ok(format!(
                "{{\"rows\": {}, \"entries\": {}}}",
                graph.rows,
                graph.column.len()
            ))
        }
        ["solve", file] => {
            let graph = candidates::Graph::read(file).map_err(|e| format!("{file}: {e}"))?;
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
                .map_err(|e| format!("{file}: {e}"))?;
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
        _ => Err(USAGE.to_owned()),
    }
}
