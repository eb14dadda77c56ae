//! The sparse solver on candidate graphs from a seeded generator
//! (`benches/support/candidates.rs`): `n` mentees × `n` mentors, `k`
//! candidates per mentee at costs from mentor-like scores, capacities 1–3,
//! every mentee free to stay unmatched at cost 0.
//!
//! `benches/compare/sparse.py` times the public solvers (LEMON, OR-Tools,
//! `SciPy`, `lap`) on the same graphs, written to files by the `sparse_graph`
//! example, and our solver in the same run.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use mentor_match::{Problem, Solver};

#[path = "support/candidates.rs"]
#[allow(dead_code)]
mod candidates;

fn sparse(c: &mut Criterion) {
    for k in [16, 64] {
        let mut group = c.benchmark_group(format!("sparse/k={k}"));
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(10));
        for n in [10_000, 50_000, 100_000] {
            let graph = candidates::Graph::generate(n, k, 1);
            let costs = graph.sparse_costs();
            let capacity = graph.capacities();
            let problem = Problem {
                costs: &costs,
                capacity: &capacity,
                unmatched_cost: Some(0.0),
            };
            group.bench_with_input(BenchmarkId::from_parameter(n), &problem, |b, problem| {
                b.iter(|| black_box(problem.solve(Solver::JonkerVolgenant).unwrap()));
            });
        }
        group.finish();
    }
}

criterion_group!(benches, sparse);
criterion_main!(benches);
