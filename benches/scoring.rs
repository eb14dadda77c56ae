//! Scoring every mentor–mentee pair: 1k × 1k and 5k × 5k cohorts with 16
//! topics and 8 goals, on one thread and on all threads.
//!
//! `cargo bench --bench scoring`

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

#[path = "support/cohort.rs"]
#[allow(dead_code)]
mod generator;

fn scoring(c: &mut Criterion) {
    let mut group = c.benchmark_group("scoring");
    group.sample_size(10);
    let all = rayon::current_num_threads();
    for n in [1000, 5000] {
        let cohort = generator::generate(n, n, 16, 8, 42);
        for threads in [1, all] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            group.bench_with_input(
                BenchmarkId::new(format!("{threads}-threads"), n),
                &cohort,
                |b, cohort| {
                    b.iter(|| pool.install(|| cohort.score_matrix()));
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, scoring);
criterion_main!(benches);
