//! The quality table: every objective and every baseline against every
//! quality metric, on the bundled sample and generated cohorts, as Markdown.
//!
//! ```text
//! cargo run --release --example quality_report               # sample, 100, 1000, 5000 per side
//! cargo run --release --example quality_report -- 100 1000   # the sample and these sizes
//! ```
//!
//! A last table has half as many mentors as mentees (500 × 1,000), where
//! places are scarce and the methods differ in who is left out.
//!
//! Generated cohorts come from `Generator::new(n, n).seed(42)` (time zones,
//! about a fifth of the mentees wanting two mentors, earlier rounds in the
//! history). `greedy` and `stable` form the same pairs (the program checks),
//! so they share a row. Each row's time is one run of `Matcher::solve`,
//! scoring included, on all threads.

use std::fmt::Write as _;
use std::time::Instant;

use mentor_match::{Cohort, Generator, Matching, Method, Objective};

const SAMPLE: &str = include_str!("data/design-pilot.json");

/// The rows of a table: a name and how to match.
const ROWS: [(&str, Method, Objective); 6] = [
    ("exact, total", Method::Exact, Objective::Total),
    ("exact, coverage", Method::Exact, Objective::Coverage),
    ("exact, fairness", Method::Exact, Objective::Fairness),
    ("greedy = stable", Method::Greedy, Objective::Coverage),
    ("stable", Method::Stable, Objective::Coverage),
    (
        "random (seed 0)",
        Method::Random { seed: 0 },
        Objective::Coverage,
    ),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let parsed: Result<Vec<usize>, _> = std::env::args().skip(1).map(|a| a.parse()).collect();
    let sizes = match parsed {
        Ok(sizes) if !sizes.is_empty() => sizes,
        Ok(_) => vec![100, 1000, 5000],
        Err(e) => return Err(format!("sizes are whole numbers: {e}").into()),
    };
    let sample: Cohort = SAMPLE.parse()?;
    print!(
        "{}",
        table(
            "Bundled sample (`examples/data/design-pilot.json`)",
            &sample
        )?
    );
    for n in sizes {
        let cohort = Generator::new(n, n).seed(42).cohort();
        let title = format!("Generated, {n} mentors × {n} mentees");
        print!("\n{}", table(&title, &cohort)?);
    }
    let scarce = Generator::new(500, 1000).seed(42).cohort();
    let title = "Generated, 500 mentors × 1000 mentees (scarce places)";
    print!("\n{}", table(title, &scarce)?);
    Ok(())
}

/// One cohort's table.
fn table(title: &str, cohort: &Cohort) -> Result<String, mentor_match::Error> {
    let mut out = format!("### {title}\n\n");
    out.push_str(
        "| method | matched | places used | total | mean | min | q1 | median | q3 \
         | topic coverage | goals | preferred | blocking pairs | time (s) |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let mut greedy: Option<Matching> = None;
    for (name, method, objective) in ROWS {
        let start = Instant::now();
        let matching = cohort
            .matcher()
            .method(method)
            .objective(objective)
            .solve()?;
        let seconds = start.elapsed().as_secs_f64();
        if method == Method::Stable {
            let greedy = greedy.as_ref().expect("greedy runs first");
            assert_eq!(greedy.pairs(), matching.pairs(), "stable is greedy");
            continue;
        }
        let _ = writeln!(out, "{}", row(name, &matching, seconds));
        if method == Method::Greedy {
            greedy = Some(matching);
        }
    }
    Ok(out)
}

/// One row: shares in percent, scores to three places, `–` where there is
/// nothing to measure.
fn row(name: &str, matching: &Matching, seconds: f64) -> String {
    let q = matching.quality();
    let share = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{:.1}%", v * 100.0));
    let score = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{v:.3}"));
    let quartile = |k: usize| score(q.score_quartiles().map(|quartiles| quartiles[k]));
    format!(
        "| {name} | {} | {} | {:.2} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {seconds:.2} |",
        share(q.matched_share()),
        share(q.places_used()),
        matching.total_score(),
        score(q.mean_score()),
        score(q.min_score()),
        quartile(0),
        quartile(1),
        quartile(2),
        share(q.topic_coverage()),
        score(q.goal_alignment()),
        share(q.preferred_share()),
        q.blocking_pairs(),
    )
}
