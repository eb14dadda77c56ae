//! Times scoring and matching of generated cohorts and reports peak memory.
//!
//! ```text
//! cargo run --release --example scale -- 1000 5000 10000
//! cargo run --release --example scale -- --objective fairness 1000
//! ```
//!
//! Each size `n` is an `n` mentors × `n` mentees cohort with 16 topics and 8
//! goals from a seeded generator (`benches/support/cohort.rs`). Prints one
//! line per size; peak memory is the process's high-water mark so far, so
//! run the largest size alone for its own figure.

use std::time::Instant;

use mentor_match::Objective;

#[path = "../benches/support/cohort.rs"]
#[allow(dead_code)]
mod generator;

fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let mut objective = Objective::Coverage;
    let mut sizes: Vec<usize> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--objective" {
            let name = args.next().expect("--objective needs a value");
            objective = name.parse().expect("total, coverage or fairness");
        } else {
            sizes.push(arg.parse().unwrap_or_else(|_| panic!("not a size: {arg}")));
        }
    }
    let sizes = if sizes.is_empty() { vec![1000] } else { sizes };
    println!("n\tscore_s\tmatch_s\ttotal_s\tmatched\tpeak_mib");
    for n in sizes {
        let cohort = generator::generate(n, n, 16, 8, 7);
        let start = Instant::now();
        let scores = cohort.score_matrix();
        let score_seconds = start.elapsed().as_secs_f64();
        drop(scores);
        let start = Instant::now();
        let matching = cohort
            .matcher()
            .objective(objective)
            .solve()
            .expect("a generated cohort matches");
        let match_seconds = start.elapsed().as_secs_f64();
        println!(
            "{n}\t{score_seconds:.3}\t{match_seconds:.3}\t{:.3}\t{}\t{:.0}",
            score_seconds + match_seconds,
            matching.matched(),
            peak_memory_mib().unwrap_or(f64::NAN)
        );
    }
}
