//! Tune a cohort's score weights: the Pareto front of weight settings for
//! what the organiser wants, or the weights that best agree with how earlier
//! pairs rated their rounds.
//!
//! ```text
//! cargo run --release --example tune_weights                 # the bundled sample cohort
//! cargo run --release --example tune_weights -- FILE [--objective NAME]
//!     [--components LIST] [--step STEP] [--at-least METRIC=VALUE]...
//!     [--maximise LIST] [--top N]
//! cargo run --release --example tune_weights -- FILE --feedback [--components LIST] [--step STEP]
//! cargo run --release --example tune_weights -- --help
//! ```
//!
//! Timings go to stderr, so that stdout is the same on every run. Any error:
//! one line on stderr, nothing on stdout, exit status 1 (2 for a usage error).

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

#[path = "support/cli.rs"]
mod cli;

use mentor_match::{
    Cohort, Component, Feedback, Goals, Metric, Metrics, Objective, Tuner, Weights, simplex_grid,
};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/data/design-pilot.json"
);

/// Metrics shown in the table, in this order.
const SHOWN: [Metric; 6] = [
    Metric::MatchedShare,
    Metric::Pairs,
    Metric::MeanScore,
    Metric::MinScore,
    Metric::TopicCoverage,
    Metric::GoalAlignment,
];

/// Tunes the score weights of a cohort file.
///
/// Without --feedback: solves the cohort's matching under every weight
/// setting of a grid on the weight simplex (the components' weights are
/// multiples of --step summing to 1; the score components are computed once
/// and re-weighed), keeps the settings that meet every --at-least
/// constraint, and prints those not dominated on the --maximise metrics
/// (the Pareto front), with the weights to paste into the file.
///
/// With --feedback: finds the weights whose pair scores best agree
/// (Kendall's tau-b) with the ratings of the history's rated pairs whose
/// two people are still in the cohort, checks them round by round (fit on
/// the other rounds, measure on the one left out), and prints the agreement
/// of the file's weights and of the tuned ones, and the tuned weights.
///
/// Metrics (the result's quality metrics): matched_share, pairs,
/// total_score, mean_score, min_score, topic_coverage, goal_alignment. The
/// three score metrics are under each setting's own weights, so they compare
/// settings only loosely; the others do not depend on how pairs are scored.
// The help text names the metrics as they are typed, without backticks.
#[allow(clippy::doc_markdown)]
#[derive(Parser)]
#[command(
    name = "tune_weights",
    bin_name = "tune_weights",
    args_override_self = true,
    after_help = cli::EXIT_STATUS,
)]
struct Args {
    /// The cohort file (JSON); the bundled sample cohort when omitted
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// Learn the weights from the ratings of the history's pairs instead
    #[arg(long)]
    feedback: bool,
    /// The components to tune, comma-separated; the others keep weight 0
    /// (with --feedback: their share of the file's weights) [default: skills,
    /// goals, availability, preference, and schedule when the cohort has
    /// meeting times; without --feedback, less any that is the same for every
    /// feasible pair]
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = component)]
    components: Vec<Component>,
    /// The grid's step: 1/STEP must be a whole number [default: 0.1; 0.05 with --feedback]
    #[arg(long, value_name = "STEP", value_parser = step)]
    step: Option<usize>,
    /// What each setting's matching optimises: total, coverage or fairness
    /// [default: the cohort file's, else coverage]
    #[arg(long, value_name = "NAME", conflicts_with = "feedback")]
    objective: Option<Objective>,
    /// A constraint METRIC=VALUE: keep only settings whose metric is at
    /// least VALUE (repeat for several), e.g. --at-least matched_share=1
    #[arg(long, value_name = "METRIC=VALUE", value_parser = constraint, conflicts_with = "feedback")]
    at_least: Vec<(Metric, f64)>,
    /// The metrics to maximise together, comma-separated
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        value_parser = metric,
        default_value = "matched_share,topic_coverage,goal_alignment",
        conflicts_with = "feedback"
    )]
    maximise: Vec<Metric>,
    /// Show at most N settings of the front, best first by the first
    /// metric to maximise
    #[arg(
        long,
        value_name = "N",
        default_value_t = 20,
        conflicts_with = "feedback"
    )]
    top: usize,
}

fn component(text: &str) -> Result<Component, String> {
    Component::from_name(text).ok_or_else(|| {
        let names: Vec<&str> = Component::all().map(Component::name).collect();
        format!(
            "unknown component {text:?}; expected one of {}",
            names.join(", ")
        )
    })
}

fn metric(text: &str) -> Result<Metric, String> {
    text.parse::<Metric>().map_err(|e| e.to_string())
}

/// `METRIC=VALUE` with a finite value.
fn constraint(text: &str) -> Result<(Metric, f64), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("expected METRIC=VALUE, found {text:?}"))?;
    let value: f64 = value
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| format!("expected a number after '=', found {value:?}"))?;
    Ok((metric(name.trim())?, value))
}

/// A step whose inverse is a whole number from 1 to 1000: the divisions.
fn step(text: &str) -> Result<usize, String> {
    let bad = || {
        format!(
            "expected a step such as 0.1, 0.05 or 0.25 (1/STEP a whole number up to 1000), found {text:?}"
        )
    };
    let step: f64 = text.parse().map_err(|_| bad())?;
    let divisions = (1.0 / step).round();
    if !(step > 0.0 && (1.0..=1000.0).contains(&divisions) && (divisions * step - 1.0).abs() < 1e-9)
    {
        return Err(bad());
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // checked: 1..=1000
    Ok(divisions as usize)
}

fn main() -> ExitCode {
    let args: Args = match cli::parse() {
        Ok(args) => args,
        Err(code) => return code,
    };
    match run(&args) {
        Ok(text) => cli::print("tune_weights", &text),
        Err(message) => cli::fail("tune_weights", &message),
    }
}

fn run(args: &Args) -> Result<String, String> {
    let path = args.file.as_deref().unwrap_or(Path::new(SAMPLE));
    let file = path.display();
    let bytes = std::fs::read(path).map_err(|e| format!("{file}: {e}"))?;
    let cohort = Cohort::from_slice(&bytes).map_err(|e| format!("{file}: {e}"))?;
    let defaults = || {
        Component::all()
            .filter(|&c| c.default_weight() > 0.0)
            .filter(|&c| c != Component::Schedule || !cohort.slots().is_empty())
    };
    if args.feedback {
        let components = if args.components.is_empty() {
            defaults().collect()
        } else {
            args.components.clone()
        };
        return Ok(feedback(&cohort, &components, args.step.unwrap_or(20)));
    }
    let started = Instant::now();
    let mut tuner = Tuner::new(&cohort);
    if let Some(objective) = args.objective {
        tuner = tuner.objective(objective);
    }
    eprintln!(
        "tune_weights: components of {} pairs computed in {:.2} s",
        cohort.mentors().len() * cohort.mentees().len(),
        started.elapsed().as_secs_f64(),
    );
    let mut notes = Vec::new();
    let components = if args.components.is_empty() {
        // A component the same for every feasible pair only shifts and
        // rescales every score: searching its weight is wasted time.
        let varying = tuner.varying();
        defaults()
            .filter(|c| {
                let keep = varying.contains(c);
                if !keep {
                    notes.push(format!(
                        "{c} is the same for every feasible pair: left at 0 \
                         (name it in --components to search it anyway)"
                    ));
                }
                keep
            })
            .collect()
    } else {
        args.components.clone()
    };
    front(
        args,
        &cohort,
        &tuner,
        &components,
        args.step.unwrap_or(10),
        &notes,
    )
}

/// The Pareto front of the grid's settings.
fn front(
    args: &Args,
    cohort: &Cohort,
    tuner: &Tuner<'_>,
    components: &[Component],
    divisions: usize,
    notes: &[String],
) -> Result<String, String> {
    let started = Instant::now();
    let grid = simplex_grid(components, divisions);
    let metrics = tuner.explore(&grid).map_err(|e| e.to_string())?;
    let file_metrics = tuner
        .evaluate(cohort.weights())
        .map_err(|e| e.to_string())?;
    eprintln!(
        "tune_weights: {} settings solved in {:.2} s",
        grid.len(),
        started.elapsed().as_secs_f64(),
    );

    let goals = args
        .at_least
        .iter()
        .fold(Goals::new(), |g, &(m, v)| g.at_least(m, v));
    let goals = args.maximise.iter().fold(goals, |g, &m| g.maximise(m));
    let mut front = goals.front(&metrics);
    let admitted = metrics.iter().filter(|m| goals.admits(m)).count();
    let groups = ranked(&goals, &metrics, &grid, cohort.weights(), &mut front);

    let mut out = String::new();
    let names: Vec<&str> = components.iter().map(|c| c.name()).collect();
    let _ = writeln!(
        out,
        "{}: {} mentors, {} mentees; objective {}",
        cohort.name().unwrap_or("cohort"),
        cohort.mentors().len(),
        cohort.mentees().len(),
        args.objective.unwrap_or(cohort.objective()),
    );
    let _ = writeln!(
        out,
        "Grid: {} settings of {} in steps of 1/{divisions}; other components 0",
        grid.len(),
        names.join(", "),
    );
    for note in notes {
        let _ = writeln!(out, "Note: {note}");
    }
    let constraints: Vec<String> = goals
        .constraints()
        .iter()
        .map(|(m, v)| format!("{m} >= {v}"))
        .collect();
    if constraints.is_empty() {
        let _ = writeln!(out, "Constraints: none");
    } else {
        let _ = writeln!(
            out,
            "Constraints: {} ({admitted} of {} settings meet them)",
            constraints.join(", "),
            grid.len()
        );
    }
    let maximised: Vec<&str> = goals.objectives().iter().map(|m| m.name()).collect();
    let _ = writeln!(
        out,
        "Maximising: {}; {} on the Pareto front, {} distinct{}",
        maximised.join(", "),
        if front.len() == 1 {
            "1 setting".to_owned()
        } else {
            format!("{} settings", front.len())
        },
        groups.len(),
        if groups.len() > args.top {
            format!(", the best {} shown", args.top)
        } else {
            String::new()
        }
    );
    out.push('\n');
    table(
        &mut out,
        components,
        std::iter::once(("file".to_owned(), *cohort.weights(), file_metrics, 1)).chain(
            groups
                .iter()
                .take(args.top)
                .enumerate()
                .map(|(row, &(k, count))| (format!("{}", row + 1), grid[k], metrics[k], count)),
        ),
    );
    let _ = writeln!(
        out,
        "\n(\"file\" is the cohort file's weights; it {} the constraints. \
         \"alike\" counts the settings with the same values of the maximised \
         metrics; the one nearest the file's weights is shown.)",
        if goals.admits(&file_metrics) {
            "meets"
        } else {
            "does not meet"
        }
    );
    let _ = writeln!(out, "\nWeights to paste into the cohort file:");
    for (row, &(k, _)) in groups.iter().take(args.top).enumerate() {
        let _ = writeln!(out, "{:>4}  \"weights\": {}", row + 1, json(&grid[k]));
    }
    Ok(out.trim_end().to_owned())
}

/// Sorts `front` best first by the objectives in order and groups the
/// settings with the same values: (the setting that stands for them, the
/// group's size). Among settings with the same values, the one nearest the
/// file's weights stands for them all.
fn ranked(
    goals: &Goals,
    metrics: &[Metrics],
    grid: &[Weights],
    file: &Weights,
    front: &mut [usize],
) -> Vec<(usize, usize)> {
    let key = |k: usize| -> Vec<f64> {
        goals
            .objectives()
            .iter()
            .map(|&m| metrics[k].get(m).unwrap_or(f64::NEG_INFINITY))
            .collect()
    };
    let file_share = normalised(file);
    let distance = |k: usize| -> f64 {
        Component::all()
            .map(|c| (grid[k].get(c) - file_share.get(c)).abs())
            .sum()
    };
    front.sort_by(|&a, &b| {
        let (ka, kb) = (key(a), key(b));
        ka.iter()
            .zip(&kb)
            .map(|(x, y)| y.total_cmp(x))
            .find(|o| o.is_ne())
            .unwrap_or_else(|| distance(a).total_cmp(&distance(b)).then(a.cmp(&b)))
    });
    let mut groups: Vec<(usize, usize)> = Vec::new(); // (representative, settings)
    for &k in front.iter() {
        match groups.last_mut() {
            Some((first, count)) if key(*first) == key(k) => *count += 1,
            _ => groups.push((k, 1)),
        }
    }
    groups
}

/// A table of settings: label, the tuned components' weights, the metrics.
fn table(
    out: &mut String,
    components: &[Component],
    rows: impl Iterator<Item = (String, Weights, Metrics, usize)>,
) {
    let _ = write!(out, "{:>4}", "#");
    for c in components {
        let _ = write!(out, " {:>12}", c.name());
    }
    let _ = write!(out, " |");
    for m in SHOWN {
        let _ = write!(out, " {:>14}", m.name());
    }
    let _ = write!(out, " {:>6}", "alike");
    out.push('\n');
    for (label, weights, metrics, alike) in rows {
        let _ = write!(out, "{label:>4}");
        for &c in components {
            let _ = write!(out, " {:>12}", short(weights.get(c)));
        }
        let _ = write!(out, " |");
        for m in SHOWN {
            let value = match (m, metrics.get(m)) {
                (Metric::Pairs, Some(v)) => format!("{v}"),
                (_, Some(v)) => format!("{v:.4}"),
                (_, None) => "-".to_owned(),
            };
            let _ = write!(out, " {value:>14}");
        }
        let _ = write!(out, " {alike:>6}");
        out.push('\n');
    }
}

/// `weights` divided by their sum.
fn normalised(weights: &Weights) -> Weights {
    let sum: f64 = Component::all().map(|c| weights.get(c)).sum();
    Component::all().fold(*weights, |w, c| w.with(c, w.get(c) / sum))
}

/// The weights as a cohort file's `weights` object, every component.
fn json(weights: &Weights) -> String {
    let parts: Vec<String> = Component::all()
        .map(|c| format!("\"{}\": {}", c.name(), short(weights.get(c))))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

/// A weight rounded to four decimals, without trailing zeros.
fn short(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() || text == "-" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// Learning from the ratings of the history's pairs.
fn feedback(cohort: &Cohort, components: &[Component], divisions: usize) -> String {
    let started = Instant::now();
    let feedback = Feedback::new(cohort);
    let mut out = String::new();
    let names: Vec<&str> = components.iter().map(|c| c.name()).collect();
    let _ = writeln!(
        out,
        "{}: {} rated pairs whose two people are in the cohort, from {} round(s)",
        cohort.name().unwrap_or("cohort"),
        feedback.len(),
        feedback.rounds().len(),
    );
    let _ = writeln!(
        out,
        "Agreement: Kendall's tau-b between the pairs' scores (current answers) and their ratings"
    );
    let _ = writeln!(
        out,
        "Tuned: {} on a grid in steps of 1/{divisions}",
        names.join(", ")
    );
    let varying = feedback.varying();
    for c in components.iter().filter(|c| !varying.contains(c)) {
        let _ = writeln!(
            out,
            "Note: {c} takes one value among the rated pairs: it keeps its share of the file's weights"
        );
    }
    let file = cohort.weights();
    let tuned = feedback.fit(file, components, divisions);
    let check = feedback.cross_check(file, components, divisions);
    let tau = |t: Option<f64>| t.map_or_else(|| "-".to_owned(), |t| format!("{t:.4}"));
    out.push('\n');
    if check.held_out().is_empty() {
        let _ = writeln!(
            out,
            "Leave-one-round-out check: needs rated pairs from at least two rounds."
        );
    } else {
        let _ = writeln!(
            out,
            "Leave one round out (fit on the other rounds, agreement on this one):"
        );
        let _ = writeln!(
            out,
            "{:<24} {:>6} {:>14} {:>14}",
            "round", "pairs", "file weights", "tuned weights"
        );
        for held in check.held_out() {
            let _ = writeln!(
                out,
                "{:<24} {:>6} {:>14} {:>14}",
                held.round().unwrap_or("(no round name)"),
                held.pairs(),
                tau(held.start()),
                tau(held.tuned()),
            );
        }
        let _ = writeln!(
            out,
            "{:<24} {:>6} {:>14} {:>14}",
            "mean",
            "",
            tau(check.mean_start()),
            tau(check.mean_tuned())
        );
    }
    let _ = writeln!(
        out,
        "\nAll rounds: file weights {}, tuned weights {} (fitted on these pairs)",
        tau(feedback.agreement(file)),
        tau(feedback.agreement(&tuned)),
    );
    let _ = writeln!(
        out,
        "\nWeights to paste into the cohort file (tuned on all rounds, sum 1):"
    );
    let _ = writeln!(out, "  \"weights\": {}", json(&tuned));
    eprintln!(
        "tune_weights: {} rated pairs, fit and check in {:.2} s",
        feedback.len(),
        started.elapsed().as_secs_f64()
    );
    out.trim_end().to_owned()
}
