//! Writes a realistic generated cohort file, to try the crate at scale.
//!
//! ```text
//! cargo run --release --example generate_cohort -- --mentors 800 --mentees 1000 > big.json
//! cargo run --release --example generate_cohort -- --mentors 50 --mentees 60 \
//!     --topics 12 --goals 6 --seed 7 --rounds 3 --no-slots --output small.json
//! cargo run --release --example match_cohort -- big.json --html big.html
//! ```
//!
//! The cohort comes from the library's [`Generator`]: skewed topic
//! popularity, mentor capacities 1–3, teams with managers, languages, time
//! zones and meeting times, some mentees wanting two mentors, and earlier
//! rounds in the history; valid by construction, and the same for the same
//! settings on every machine.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use mentor_match::{Generator, Weights};

#[path = "support/cli.rs"]
mod cli;

/// Writes a realistic generated cohort file (JSON), the same for the same
/// settings on every machine.
///
/// People work in offices in several time zones, in teams with managers;
/// mentors offer 2-4 topics and take 1-3 mentees, mentees seek 1-3 topics
/// (the first topics are the most popular), some want two mentors, and
/// earlier rounds of rated pairs fill the history.
#[derive(Parser)]
#[command(
    name = "generate_cohort",
    bin_name = "generate_cohort",
    args_override_self = true,
    after_help = cli::EXIT_STATUS,
)]
struct Args {
    /// Number of mentors
    #[arg(long, value_name = "N", value_parser = people)]
    mentors: usize,
    /// Number of mentees
    #[arg(long, value_name = "M", value_parser = people)]
    mentees: usize,
    /// Topics in the questionnaire
    #[arg(long, value_name = "T", default_value_t = 16, value_parser = items)]
    topics: usize,
    /// Goals in the questionnaire
    #[arg(long, value_name = "G", default_value_t = 8, value_parser = goals)]
    goals: usize,
    /// The seed: the same seed and sizes give the same cohort
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Earlier rounds of pairs in the history
    #[arg(long, value_name = "R", default_value_t = 2, value_parser = rounds)]
    rounds: usize,
    /// A questionnaire without weekly meeting times
    #[arg(long)]
    no_slots: bool,
    /// The share of mentees who want two mentors, from 0 to 1
    #[arg(long, value_name = "SHARE", default_value_t = 0.2, value_parser = share)]
    two_mentors: f64,
    /// Draw the history's ratings from these hidden weights (a cohort
    /// file's `weights` object, e.g. '{"skills": 0.2, "goals": 0.4}')
    /// plus noise, instead of uniformly (to try learning weights from feedback)
    #[arg(long, value_name = "JSON", value_parser = weights)]
    rated_by: Option<Weights>,
    /// The standard deviation of the noise added to the hidden score (with --rated-by)
    #[arg(long, value_name = "SD", default_value_t = 0.05, requires = "rated_by", value_parser = noise)]
    rating_noise: f64,
    /// Write the cohort to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// The most people on a side: a cohort file of about 1 KiB per person.
const MOST_PEOPLE: usize = 1_000_000;

fn bounded(text: &str, low: usize, high: usize) -> Result<usize, String> {
    text.parse::<usize>()
        .ok()
        .filter(|n| (low..=high).contains(n))
        .ok_or_else(|| format!("expected a whole number from {low} to {high}"))
}

fn people(text: &str) -> Result<usize, String> {
    bounded(text, 0, MOST_PEOPLE)
}

fn items(text: &str) -> Result<usize, String> {
    bounded(text, 1, 10_000)
}

fn goals(text: &str) -> Result<usize, String> {
    bounded(text, 0, 10_000)
}

fn rounds(text: &str) -> Result<usize, String> {
    bounded(text, 0, 100)
}

fn share(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|share| (0.0..=1.0).contains(share))
        .ok_or_else(|| "expected a number from 0 to 1".to_owned())
}

/// A `weights` object of a cohort file, checked.
fn weights(text: &str) -> Result<Weights, String> {
    serde_json::from_str(text).map_err(|e| format!("expected a weights object: {e}"))
}

/// A finite number >= 0.
fn noise(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|sd| sd.is_finite() && *sd >= 0.0)
        .ok_or_else(|| "expected a finite number >= 0".to_owned())
}

fn main() -> ExitCode {
    let args: Args = match cli::parse() {
        Ok(args) => args,
        Err(code) => return code,
    };
    let mut generator = Generator::new(args.mentors, args.mentees)
        .topics(args.topics)
        .goals(args.goals)
        .seed(args.seed)
        .rounds(args.rounds)
        .slots(!args.no_slots)
        .two_mentors(args.two_mentors);
    if let Some(hidden) = args.rated_by {
        generator = generator.rated_by(hidden, args.rating_noise);
    }
    let cohort = generator.cohort();
    let text = match serde_json::to_string_pretty(&cohort) {
        Ok(text) => text,
        Err(error) => return cli::fail("generate_cohort", &error.to_string()),
    };
    match &args.output {
        Some(path) => match std::fs::write(path, text + "\n") {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => cli::fail("generate_cohort", &format!("{}: {error}", path.display())),
        },
        None => cli::print("generate_cohort", &text),
    }
}
