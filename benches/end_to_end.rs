//! A generated cohort from questionnaire answers to an explained matching
//! (coverage objective, default solver), at 1k × 1k and 2k × 2k. The 5k and
//! 10k figures of BENCHMARKS.md come from `cargo run --release --example scale`.
//!
//! `cargo bench --bench end_to_end`

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use mentor_match::Objective;

#[path = "support/cohort.rs"]
#[allow(dead_code)]
mod generator;

fn end_to_end(c: &mut Criterion) {
    let mut group = c.benchmark_group("end_to_end");
    group.sample_size(10);
    for n in [1000, 2000] {
        let cohort = generator::generate(n, n, 16, 8, 42);
        group.bench_with_input(BenchmarkId::from_parameter(n), &cohort, |b, cohort| {
            b.iter(|| {
                cohort
                    .matcher()
                    .objective(Objective::Coverage)
                    .solve()
                    .unwrap()
            });
        });
    }
    group.finish();
}

criterion_group!(benches, end_to_end);
criterion_main!(benches);
