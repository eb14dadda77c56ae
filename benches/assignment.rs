//! Assignment solvers on square matrices from a seeded generator.
//!
//! Six kinds of matrix, all generated bit for bit the same by
//! `benches/compare/matrices.py`, from which `lap.py` and `families.py` time
//! `SciPy`, LAPJV and Algorithm 1015 on them:
//!
//! - `uniform`: integers drawn uniformly from `[0, 10^6)`;
//! - `mentor-like`: `1 - cosine similarity` of sparse 32-dimensional answer
//!   vectors (2 to 5 answers of 1 to 5 each), so most pairs tie at exactly 1
//!   (no overlap) and the rest take few distinct values;
//! - structured matrices, hard for shortest-augmenting-path solvers because
//!   every augmenting path is long: `machol-wien` `(i + 1)(j + 1)` (Machol and
//!   Wien 1976), `product` `i · j`, `square-sum` `(i + j)²`, and `rank-1`
//!   `u_i · v_j` with integers `u`, `v` uniform in `[1, 1000]`.
//!
//! Both solvers run at every size; at n = 4000 the Hungarian reference takes
//! about 4 s a solve on uniform and mentor-like matrices, and the structured
//! families stop at n = 1000, so the whole bench takes about 6 minutes.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use mentor_match::{Sense, Solver, assign};
use ndarray::Array2;

#[path = "support/random.rs"]
#[allow(dead_code)] // each user takes part of it
mod random;
use random::SplitMix64;

/// `n × n` integers uniform in `[0, high)`, row by row.
fn uniform(n: usize, seed: u64, high: u64) -> Array2<f64> {
    let mut rng = SplitMix64(seed);
    Array2::from_shape_simple_fn((n, n), || rng.below(high) as f64)
}

/// Sparse answer vectors: 2 to 5 draws of (dimension, value 1..=5).
fn sparse_vectors(rng: &mut SplitMix64, count: usize) -> Vec<[f64; 32]> {
    (0..count)
        .map(|_| {
            let mut vector = [0.0; 32];
            for _ in 0..2 + rng.below(4) {
                let dimension = usize::try_from(rng.below(32)).expect("below 32");
                vector[dimension] = (1 + rng.below(5)) as f64;
            }
            vector
        })
        .collect()
}

/// `1 - cosine(mentee i, mentor j)`: many exact ties.
fn mentor_like(n: usize, seed: u64) -> Array2<f64> {
    let mut rng = SplitMix64(seed);
    let mentees = sparse_vectors(&mut rng, n);
    let mentors = sparse_vectors(&mut rng, n);
    let norm = |v: &[f64; 32]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    Array2::from_shape_fn((n, n), |(i, j)| {
        let dot: f64 = mentees[i].iter().zip(&mentors[j]).map(|(a, b)| a * b).sum();
        1.0 - dot / (norm(&mentees[i]) * norm(&mentors[j]))
    })
}

/// `u_i · v_j`, `u` then `v` drawn as integers in `[1, 1000]`.
fn rank_one(n: usize, seed: u64) -> Array2<f64> {
    let mut rng = SplitMix64(seed);
    let u: Vec<f64> = (0..n).map(|_| (1 + rng.below(1000)) as f64).collect();
    let v: Vec<f64> = (0..n).map(|_| (1 + rng.below(1000)) as f64).collect();
    Array2::from_shape_fn((n, n), |(i, j)| u[i] * v[j])
}

/// `f(i, j)` on row and column indices.
fn indexed(n: usize, f: fn(f64, f64) -> f64) -> Array2<f64> {
    Array2::from_shape_fn((n, n), |(i, j)| f(i as f64, j as f64))
}

/// Makes the `n × n` matrix of one kind.
type Generator = fn(usize) -> Array2<f64>;

const SIZES: [usize; 5] = [250, 500, 1000, 2000, 4000];
/// The structured families take `O(n³)` time on every solver.
const STRUCTURED_SIZES: [usize; 3] = [250, 500, 1000];

fn assignment(c: &mut Criterion) {
    let kinds: [(&str, Generator, &[usize]); 6] = [
        ("uniform", |n| uniform(n, 1, 1_000_000), &SIZES),
        ("mentor-like", |n| mentor_like(n, 1), &SIZES),
        (
            "machol-wien",
            |n| indexed(n, |i, j| (i + 1.0) * (j + 1.0)),
            &STRUCTURED_SIZES,
        ),
        ("product", |n| indexed(n, |i, j| i * j), &STRUCTURED_SIZES),
        (
            "square-sum",
            |n| indexed(n, |i, j| (i + j) * (i + j)),
            &STRUCTURED_SIZES,
        ),
        ("rank-1", |n| rank_one(n, 1), &STRUCTURED_SIZES),
    ];
    let solvers = [
        ("jv", Solver::JonkerVolgenant, 4000),
        ("hungarian", Solver::Hungarian, 4000),
    ];
    for (kind, make, sizes) in kinds {
        let matrices: Vec<Array2<f64>> = sizes.iter().map(|&n| make(n)).collect();
        for (name, solver, largest) in solvers {
            let mut group = c.benchmark_group(format!("{kind}/{name}"));
            group
                .sample_size(10)
                .warm_up_time(Duration::from_millis(500))
                .measurement_time(Duration::from_secs(3));
            for (n, matrix) in sizes.iter().zip(&matrices).filter(|(n, _)| **n <= largest) {
                group.bench_with_input(BenchmarkId::from_parameter(n), matrix, |b, matrix| {
                    b.iter(|| assign(black_box(matrix.view()), Sense::Minimise, solver).unwrap());
                });
            }
            group.finish();
        }
    }
}

criterion_group!(benches, assignment);
criterion_main!(benches);
