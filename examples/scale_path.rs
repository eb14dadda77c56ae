//! Holds the scale path to the dense optimum on one generated cohort: for
//! several `k`, the gap in total score and in matched mentees, and the
//! speed ratio, all measured in the same process on the same cohort.
//!
//! ```text
//! cargo run --release --example scale_path -- 10000 --candidates 8 16 32 64 --rounds 3
//! cargo run --release --example scale_path -- --help
//! ```
//!
//! The cohort is `mentor_match::Generator`'s with `n` mentors and `n`
//! mentees (16 topics, 8 goals, capacities 1–3, some mentees wanting two
//! mentors). Each round times `Matcher::solve` once in dense mode and once
//! in sparse mode per `k`, alternating; the line per mode gives the
//! fastest and the median of its rounds.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

use mentor_match::{Generator, Matching, Mode, Objective};

#[path = "support/cli.rs"]
mod cli;

/// Holds the sparse (scale) path to the dense optimum on one generated
/// cohort: gap in total and matched mentees, and the speed ratio, per k.
///
/// Prints one tab-separated line per mode: the mode, k, the fastest and the
/// median seconds of the matching over the rounds, the dense median over
/// this mode's median, mentees matched, pairs, total score, the gap of the
/// total to the dense optimum in percent, and whether the result is proven
/// exact.
#[derive(Parser)]
#[command(
    name = "scale_path",
    bin_name = "scale_path",
    args_override_self = true,
    after_help = cli::EXIT_STATUS,
)]
struct Args {
    /// Mentors, and as many mentees
    #[arg(value_name = "N", default_value_t = 2000)]
    n: usize,
    /// Candidate mentors per mentee, one sparse run each
    #[arg(long, value_name = "K", num_args = 1.., default_values_t = [8, 16, 32, 64])]
    candidates: Vec<usize>,
    /// Rounds: each times every mode once, alternating
    #[arg(long, value_name = "R", default_value_t = 3)]
    rounds: usize,
    /// What to optimise: total, coverage or fairness
    #[arg(long, value_name = "NAME", default_value = "coverage")]
    objective: Objective,
    /// The share of mentees who want two mentors
    #[arg(long, value_name = "SHARE", default_value_t = 0.2)]
    two_mentors: f64,
    /// The generator's seed
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
}

fn main() -> ExitCode {
    let args: Args = match cli::parse() {
        Ok(args) => args,
        Err(code) => return code,
    };
    let cohort = Generator::new(args.n, args.n)
        .seed(args.seed)
        .two_mentors(args.two_mentors)
        .cohort();
    // `None` is the dense path, `Some(k)` the sparse one with k candidates.
    let modes: Vec<Option<usize>> = std::iter::once(None)
        .chain(args.candidates.iter().copied().map(Some))
        .collect();
    let mut seconds: Vec<Vec<f64>> = vec![Vec::new(); modes.len()];
    let mut results: Vec<Option<Matching>> = vec![None; modes.len()];
    for _ in 0..args.rounds.max(1) {
        for (at, mode) in modes.iter().enumerate() {
            let matcher = cohort.matcher().objective(args.objective);
            let matcher = match mode {
                None => matcher.mode(Mode::Dense).memory_limit(u64::MAX),
                Some(k) => matcher.mode(Mode::Sparse).candidates(*k),
            };
            let start = Instant::now();
            let matching = match matcher.solve() {
                Ok(matching) => matching,
                Err(error) => return cli::fail("scale_path", &error.to_string()),
            };
            seconds[at].push(start.elapsed().as_secs_f64());
            results[at] = Some(matching);
        }
    }
    let median = |times: &[f64]| {
        let mut sorted = times.to_vec();
        sorted.sort_by(f64::total_cmp);
        sorted[sorted.len() / 2]
    };
    let dense_median = median(&seconds[0]);
    let dense_total = results[0].as_ref().map_or(0.0, Matching::total_score);
    let mut out = String::from(
        "mode\tk\tfastest_s\tmedian_s\tspeed_up\tmatched\tpairs\ttotal\tgap_pct\texact\n",
    );
    for (at, mode) in modes.iter().enumerate() {
        let matching = results[at].as_ref().expect("every mode ran");
        let fastest = seconds[at].iter().copied().fold(f64::INFINITY, f64::min);
        let this_median = median(&seconds[at]);
        let gap = 100.0 * (dense_total - matching.total_score()) / dense_total;
        let exact = match matching.exactness() {
            None => "dense".to_owned(),
            Some(exactness) => format!("{exactness:?}"),
        };
        let _ = writeln!(
            out,
            "{}\t{}\t{fastest:.3}\t{this_median:.3}\t{:.2}\t{}\t{}\t{:.6}\t{gap:.5}\t{exact}",
            if mode.is_some() { "sparse" } else { "dense" },
            mode.map_or("-".to_owned(), |k| k.to_string()),
            dense_median / this_median,
            matching.matched(),
            matching.pairs().len(),
            matching.total_score(),
        );
    }
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => cli::write_failed("scale_path", &error),
    }
}
