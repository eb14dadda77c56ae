//! Several mentors per mentee: the flow solver against the assignment path,
//! on the same generated mentor-like cohort matrix.
//!
//! A seeded generator builds `n` mentees × `n` mentors of scores in `[0, 1]`
//! computed like the crate's score (skills from sparse topic vectors with
//! levels, goal cosine, hours), with about 20% of the pairs forbidden and
//! mentor capacities 1–3. Three solves of it, in the same run:
//!
//! - `assignment/one`: the matcher's coverage problem for one mentor each,
//!   through the Jonker–Volgenant assignment path (weights
//!   `(mentees + 1) · 10^9 + round(score · 10^9)`, unmatched cost 0);
//! - `flow/one`: the flow solver on the same cohort, every demand 1;
//! - `flow/two`: the flow solver with every third mentee wanting two mentors.
//!
//! The flow solver gets pair costs `-round(score · 10^9)` and the coverage
//! rewards as unit costs (first mentor `-r1`, later ones `-r2`).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use mentor_match::internals::{FlowProblem, solve_assignment, solve_flow};
use mentor_match::{Problem, Solver};
use ndarray::Array2;

#[path = "support/random.rs"]
#[allow(dead_code)] // each user takes part of it
mod random;
use random::SplitMix64;

const TOPICS: usize = 16;
const GOALS: usize = 8;

/// One side's answers: topic vector (expertise or priority), level, goals, hours.
struct Answers {
    topics: [f64; TOPICS],
    level: [f64; TOPICS],
    goals: [f64; GOALS],
    hours: f64,
}

fn answers(rng: &mut SplitMix64, topics: (u64, u64), levels: bool) -> Answers {
    let mut a = Answers {
        topics: [0.0; TOPICS],
        level: [0.0; TOPICS],
        goals: [0.0; GOALS],
        hours: rng.between(1, 6),
    };
    for _ in 0..topics.0 + rng.next() % (topics.1 - topics.0 + 1) {
        let t = rng.index(TOPICS);
        a.topics[t] = rng.between(1, 5) / 5.0;
        if levels && rng.index(3) == 0 {
            a.level[t] = rng.between(0, 5) / 5.0;
        }
    }
    for _ in 0..=rng.index(3) {
        a.goals[rng.index(GOALS)] = rng.between(1, 5) / 5.0;
    }
    a
}

/// The score of a mentor for a mentee, as the crate computes it with the
/// default weights (skills 0.5, goals 0.3, availability 0.1, preference 0.1).
fn score(mentor: &Answers, mentee: &Answers) -> f64 {
    let seeks: f64 = mentee.topics.iter().sum();
    let skills = (0..TOPICS)
        .map(|t| mentee.topics[t] * (mentor.topics[t] - mentee.level[t]).max(0.0))
        .sum::<f64>()
        / seeks;
    let dot: f64 = mentor
        .goals
        .iter()
        .zip(&mentee.goals)
        .map(|(a, b)| a * b)
        .sum();
    let norm = |g: &[f64; GOALS]| g.iter().map(|x| x * x).sum::<f64>().sqrt();
    let goals = (dot / (norm(&mentor.goals) * norm(&mentee.goals))).clamp(0.0, 1.0);
    let availability = mentor.hours.min(mentee.hours) / mentor.hours.max(mentee.hours);
    0.5 * skills + 0.3 * goals + 0.1 * availability
}

/// Mentees × mentors quantised scores (`-1` for a forbidden pair) and capacities.
fn cohort(n: usize, seed: u64) -> (Array2<f64>, Vec<usize>) {
    let mut rng = SplitMix64(seed);
    let mentors: Vec<Answers> = (0..n).map(|_| answers(&mut rng, (2, 4), false)).collect();
    let mentees: Vec<Answers> = (0..n).map(|_| answers(&mut rng, (1, 3), true)).collect();
    let capacity = (0..n).map(|_| 1 + rng.index(3)).collect();
    let scores = Array2::from_shape_fn((n, n), |(i, j)| {
        if rng.index(5) == 0 {
            -1.0
        } else {
            (score(&mentors[j], &mentees[i]) * 1e9).round()
        }
    });
    (scores, capacity)
}

/// The coverage rewards for at most `pairs` pairs: one more matched mentee
/// outweighs any number of pairs and scores, one more pair any sum of scores.
fn coverage_rewards(pairs: usize) -> (i128, i128) {
    let pairs = i128::try_from(pairs).expect("small");
    let r2 = pairs * 1_000_000_000 + 1;
    (pairs * (r2 + 1_000_000_000) + 1, r2)
}

fn several_mentors(c: &mut Criterion) {
    let n = 5000;
    let (scores, capacity) = cohort(n, 7);
    let slots = (n + 1) as f64 * 1e9;
    let assignment_costs = scores.mapv(|q| if q < 0.0 { f64::INFINITY } else { -(slots + q) });
    let flow_costs = scores.mapv(|q| if q < 0.0 { f64::INFINITY } else { -q });
    let places: usize = capacity.iter().sum();

    let mut group = c.benchmark_group(format!("several-mentors-{n}"));
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    let one = vec![1; n];
    let two: Vec<usize> = (0..n).map(|i| if i % 3 == 0 { 2 } else { 1 }).collect();
    group.bench_function(BenchmarkId::new("assignment", "one"), |b| {
        let problem = Problem {
            costs: &assignment_costs,
            capacity: &capacity,
            unmatched_cost: Some(0.0),
        };
        b.iter(|| solve_assignment(black_box(&problem), Solver::JonkerVolgenant).unwrap());
    });
    for (name, demand) in [("one", &one), ("two", &two)] {
        let (r1, r2) = coverage_rewards(places.min(demand.iter().sum()));
        let unit_cost = [-r1, -r2];
        let problem = FlowProblem {
            costs: &flow_costs,
            capacity: &capacity,
            demand,
            unit_cost: &unit_cost,
            used: &[],
        };
        group.bench_function(BenchmarkId::new("flow", name), |b| {
            b.iter(|| solve_flow(black_box(&problem)).unwrap());
        });
    }
    group.finish();
}

criterion_group!(benches, several_mentors);
criterion_main!(benches);
