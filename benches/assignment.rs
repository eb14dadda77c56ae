//! Assignment solvers on square matrices from a seeded generator.
//!
//! Two kinds of matrix, both generated bit for bit the same by
//! `benches/compare/lap.py`, which times `SciPy` and LAPJV on them:
//!
//! - `uniform`: integers drawn uniformly from `[0, 10^6)`;
//! - `mentor-like`: `1 - cosine similarity` of sparse 32-dimensional answer
//!   vectors (2 to 5 answers of 1 to 5 each), so most pairs tie at exactly 1
//!   (no overlap) and the rest take few distinct values.
//!
//! Both solvers run at every size; at n = 4000 the Hungarian reference takes
//! about 4 s a solve, so the whole bench takes about 4 minutes.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use mentor_match::{Sense, Solver, assign};
use ndarray::Array2;

/// `SplitMix64` (Steele, Lea and Flood 2014): small, seeded, and easy to
/// reproduce in Python.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

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

/// Makes the `n × n` matrix of one kind.
type Generator = fn(usize) -> Array2<f64>;

const SIZES: [usize; 5] = [250, 500, 1000, 2000, 4000];

fn assignment(c: &mut Criterion) {
    let kinds: [(&str, Generator); 2] = [
        ("uniform", |n| uniform(n, 1, 1_000_000)),
        ("mentor-like", |n| mentor_like(n, 1)),
    ];
    let solvers = [
        ("jv", Solver::JonkerVolgenant, 4000),
        ("hungarian", Solver::Hungarian, 4000),
    ];
    for (kind, make) in kinds {
        let matrices: Vec<Array2<f64>> = SIZES.iter().map(|&n| make(n)).collect();
        for (name, solver, largest) in solvers {
            let mut group = c.benchmark_group(format!("{kind}/{name}"));
            group
                .sample_size(10)
                .warm_up_time(Duration::from_millis(500))
                .measurement_time(Duration::from_secs(3));
            for (n, matrix) in SIZES.iter().zip(&matrices).filter(|(n, _)| **n <= largest) {
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
