//! The progress a matching reports: each stage starts and finishes once, in
//! order, its counts grow to its total, and the same calls come on one
//! thread as on several.

mod support;

use std::sync::Mutex;

use mentor_match::{Cohort, Generator, Matching, Progress, Stage};

/// One call the matcher made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    Start(Stage, u64),
    Advance(Stage, u64),
    Finish(Stage),
}

/// Records every call, in the order they came.
#[derive(Default)]
struct Record(Mutex<Vec<Call>>);

impl Progress for Record {
    fn start(&self, stage: Stage, total: u64) {
        self.0.lock().unwrap().push(Call::Start(stage, total));
    }
    fn advance(&self, stage: Stage, done: u64) {
        self.0.lock().unwrap().push(Call::Advance(stage, done));
    }
    fn finish(&self, stage: Stage) {
        self.0.lock().unwrap().push(Call::Finish(stage));
    }
}

/// What a stage reported: its total and every count, in the order given.
#[derive(Debug, PartialEq)]
struct Reported {
    total: u64,
    counts: Vec<u64>,
}

/// Solves `cohort` on a pool of `threads` threads, recording the progress;
/// the matching and, per stage in order, what it reported. Checks that each
/// stage starts once, advances only between its start and finish, never past
/// its total, and finishes once, and that the stages come in order.
fn solve_on(cohort: &Cohort, threads: usize) -> (Matching, Vec<(Stage, Reported)>) {
    let record = Record::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let matching = pool.install(|| cohort.matcher().progress(&record).solve().unwrap());
    let calls = record.0.into_inner().unwrap();
    let mut stages: Vec<(Stage, Reported)> = Vec::new();
    let mut open: Option<Stage> = None;
    for call in calls {
        match call {
            Call::Start(stage, total) => {
                assert_eq!(open, None, "{stage} starts inside another stage");
                assert!(
                    stages.iter().all(|&(s, _)| s != stage),
                    "{stage} starts twice"
                );
                open = Some(stage);
                stages.push((
                    stage,
                    Reported {
                        total,
                        counts: Vec::new(),
                    },
                ));
            }
            Call::Advance(stage, done) => {
                assert_eq!(open, Some(stage), "{stage} advances outside itself");
                let reported = &mut stages.last_mut().unwrap().1;
                assert!(
                    done >= 1 && done <= reported.total,
                    "{stage}: {done} of {}",
                    reported.total
                );
                reported.counts.push(done);
            }
            Call::Finish(stage) => {
                assert_eq!(open, Some(stage), "{stage} finishes outside itself");
                open = None;
            }
        }
    }
    assert_eq!(open, None, "a stage never finished");
    let order: Vec<Stage> = stages.iter().map(|&(stage, _)| stage).collect();
    assert_eq!(order, [Stage::Scoring, Stage::Solving]);
    (matching, stages)
}

/// The counts of every stage reach its total, and at most about a hundred
/// are reported.
fn assert_complete(stages: &[(Stage, Reported)]) {
    for (stage, reported) in stages {
        let most = reported.counts.iter().copied().max();
        assert_eq!(most, Some(reported.total), "{stage}: {reported:?}");
        assert!(
            reported.counts.len() <= 101,
            "{stage}: {} calls",
            reported.counts.len()
        );
    }
}

#[test]
fn the_pilot_reports_every_mentee_row_and_the_solve() {
    let cohort = support::pilot();
    let (matching, stages) = solve_on(&cohort, 1);
    assert_eq!(matching, cohort.matcher().solve().unwrap());
    assert_complete(&stages);
    // Six mentees, none pinned: six rows, each reported (the step is 1).
    assert_eq!(
        stages[0].1,
        Reported {
            total: 6,
            counts: vec![1, 2, 3, 4, 5, 6]
        }
    );
    assert_eq!(
        stages[1].1,
        Reported {
            total: 1,
            counts: vec![1]
        }
    );
}

#[test]
fn parallel_reports_the_same_counts_as_sequential() {
    for (mentors, mentees, seed) in [(300, 457, 1), (40, 1000, 2), (7, 3, 3)] {
        let cohort = Generator::new(mentors, mentees).seed(seed).cohort();
        let (one, sequential) = solve_on(&cohort, 1);
        assert_complete(&sequential);
        assert_eq!(sequential[0].1.total, mentees as u64);
        // On one thread the counts come in order: every step, then the last.
        let step = (mentees as u64).div_ceil(100);
        let mut expected: Vec<u64> = (1..=mentees as u64).filter(|d| d % step == 0).collect();
        if expected.last() != Some(&(mentees as u64)) {
            expected.push(mentees as u64);
        }
        assert_eq!(sequential[0].1.counts, expected);
        for threads in [2, 4] {
            let (many, mut parallel) = solve_on(&cohort, threads);
            assert_eq!(many, one, "{threads} threads");
            assert_complete(&parallel);
            // Threads report in any order, but the same counts.
            parallel[0].1.counts.sort_unstable();
            assert_eq!(parallel, sequential, "{threads} threads");
        }
    }
}

#[test]
fn pinned_mentees_are_not_scored_again() {
    let mut file = support::pilot_value();
    let cohort = support::pilot();
    let matching = cohort.matcher().solve().unwrap();
    let pair = &matching.pairs()[0];
    file["pinned"] = serde_json::json!([{"mentor": pair.mentor(), "mentee": pair.mentee()}]);
    let pinned = Cohort::from_value(&file).unwrap();
    let (_, stages) = solve_on(&pinned, 2);
    assert_complete(&stages);
    assert_eq!(stages[0].1.total, 5);
}

#[test]
fn a_given_score_matrix_is_read_with_progress_too() {
    let cohort = Generator::new(20, 30).seed(4).cohort();
    let scores = cohort.score_matrix();
    let record = Record::default();
    let matching = cohort
        .matcher()
        .scores(&scores)
        .progress(&record)
        .solve()
        .unwrap();
    assert_eq!(matching, cohort.matcher().solve().unwrap());
    let calls = record.0.into_inner().unwrap();
    assert_eq!(calls[0], Call::Start(Stage::Scoring, 30));
    assert_eq!(calls.last(), Some(&Call::Finish(Stage::Solving)));
}

#[test]
fn a_matching_refused_before_scoring_reports_nothing() {
    let cohort = support::pilot();
    let record = Record::default();
    assert!(
        cohort
            .matcher()
            .memory_limit(1)
            .progress(&record)
            .solve()
            .is_err()
    );
    assert!(record.0.into_inner().unwrap().is_empty());
}
