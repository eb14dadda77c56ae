//! The cost of meeting times in scoring: the same generated cohort of
//! 10,000 mentors × 10,000 mentees (16 topics, 8 goals) scored with and
//! without weekly slots and time zones, on all threads.
//!
//! `cargo bench --bench schedule`

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use mentor_match::Generator;

fn schedule(c: &mut Criterion) {
    let mut group = c.benchmark_group("schedule");
    group.sample_size(10);
    let n = 10_000;
    for slots in [false, true] {
        let cohort = Generator::new(n, n).seed(42).slots(slots).cohort();
        let name = if slots { "with-slots" } else { "without-slots" };
        group.bench_with_input(BenchmarkId::new(name, n), &cohort, |b, cohort| {
            b.iter(|| cohort.score_matrix());
        });
    }
    group.finish();
}

criterion_group!(benches, schedule);
criterion_main!(benches);
