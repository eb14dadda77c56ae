//! One weight setting of the tuner against a whole `Matcher::solve` with the
//! same weights: re-weighing the components computed once, then solving,
//! against scoring every pair again and solving. A generated cohort
//! (`Generator`, seed 7, 16 topics, 8 goals, meeting times, a fifth of the
//! mentees wanting two mentors) at 1,000 per side; the whole search is timed
//! by the `tune_weights` example (see BENCHMARKS.md).
//!
//! `cargo bench --bench tune`

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use mentor_match::{Component, Generator, Tuner, Weights};

fn one_setting(c: &mut Criterion) {
    let mut group = c.benchmark_group("tune_one_setting");
    group.sample_size(20);
    let n = 1000;
    let cohort = Generator::new(n, n).seed(7).cohort();
    let tuner = Tuner::new(&cohort);
    let weights = Weights::for_questionnaire(true)
        .with(Component::Skills, 0.4)
        .with(Component::Goals, 0.2)
        .with(Component::Availability, 0.3)
        .with(Component::Preference, 0.0)
        .with(Component::Schedule, 0.1);
    // Alternated: re-weigh, then re-score, at each size.
    group.bench_with_input(BenchmarkId::new("reweigh", n), &weights, |b, w| {
        b.iter(|| tuner.evaluate(w).unwrap());
    });
    group.bench_with_input(BenchmarkId::new("rescore", n), &weights, |b, w| {
        b.iter(|| cohort.matcher().weights(*w).solve().unwrap());
    });
    group.finish();
}

criterion_group!(benches, one_setting);
criterion_main!(benches);
