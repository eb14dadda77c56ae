//! Progress of a long matching: an observer the matcher tells how far scoring
//! and solving have gone. The library never prints; a program shows a bar.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

/// A stage of [`Matcher::solve`](crate::Matcher::solve).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Stage {
    /// Scoring every free mentee's row of mentors (on the sparse path,
    /// finding its candidate mentors); counted in mentee rows.
    Scoring,
    /// Solving the assignment; counted in steps (at least its start and end).
    Solving,
}

impl Stage {
    /// The stage's name, for example `"scoring"`.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Scoring => "scoring",
            Stage::Solving => "solving",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Receives the progress of a matching ([`Matcher::progress`](crate::Matcher::progress)).
///
/// For each stage the matcher calls [`start`](Progress::start) once with the
/// total amount of work, then [`advance`](Progress::advance) any number of
/// times with the amount done so far (never more than the total; the calls
/// may come from several threads, and a later call may carry a smaller count
/// than an earlier one from another thread), and [`finish`](Progress::finish)
/// once, after which all of the total is done. Stages come in order:
/// scoring (over the mentees not pinned; with a score matrix given, its rows
/// are read rather than scored), then solving:
///
/// - on the dense path, one unit: its solvers do not report inside;
/// - on the scale path ([`Mode::Sparse`](crate::Mode::Sparse)), counted in
///   the mentees not pinned (at least 1), each done once the solver has
///   settled it. With one mentor each, the sparse assignment solver (under
///   [`Solver::JonkerVolgenant`](crate::Solver::JonkerVolgenant)) reports
///   after its cheap start and then as it searches for each mentee left;
///   the fairness objective's threshold search before it does not report.
///   With several mentors, the min-cost flow reports after its warm start
///   and then after each augmenting search, in mentees' worth of units
///   placed. A solver of your own reports only at its end unless it reports
///   through [`AssignmentSolver::solve_with_duals`](crate::AssignmentSolver::solve_with_duals).
///
/// When [`Matcher::solve`](crate::Matcher::solve) fails, the stage under way
/// is not finished. The matcher makes about a hundred calls per stage,
/// whatever its size.
///
/// ```
/// use std::sync::Mutex;
/// use mentor_match::{Cohort, Mode, Progress, Stage};
///
/// #[derive(Default)]
/// struct Log(Mutex<Vec<String>>);
///
/// impl Progress for Log {
///     fn start(&self, stage: Stage, total: u64) {
///         self.0.lock().unwrap().push(format!("{stage} of {total}"));
///     }
///     fn advance(&self, stage: Stage, done: u64) {
///         self.0.lock().unwrap().push(format!("{stage} {done}"));
///     }
///     fn finish(&self, stage: Stage) {
///         self.0.lock().unwrap().push(format!("{stage} done"));
///     }
/// }
///
/// let cohort: Cohort = r#"{
///   "questionnaire": {"topics": [{"id": "rust", "label": "Rust"}]},
///   "participants": [
///     {"id": "ana", "role": "mentor", "offers": {"rust": 5}},
///     {"id": "ben", "role": "mentee", "seeks": {"rust": 4}},
///     {"id": "cy", "role": "mentee", "seeks": {"rust": 3}}]}"#.parse()?;
/// let log = Log::default();
/// cohort.matcher().progress(&log).solve()?;
/// assert_eq!(
///     *log.0.lock().unwrap(),
///     ["scoring of 2", "scoring 1", "scoring 2", "scoring done",
///      "solving of 1", "solving 1", "solving done"]
/// );
///
/// // The scale path counts solving in mentees settled.
/// let log = Log::default();
/// cohort.matcher().mode(Mode::Sparse).progress(&log).solve()?;
/// assert_eq!(
///     log.0.lock().unwrap()[4..],
///     ["solving of 2", "solving 1", "solving 2", "solving done"]
/// );
/// # Ok::<(), mentor_match::Error>(())
/// ```
pub trait Progress: Sync {
    /// `stage` begins, with `total` units of work.
    fn start(&self, stage: Stage, total: u64);
    /// `done` units of `stage` are done so far.
    fn advance(&self, stage: Stage, done: u64);
    /// `stage` is over: all of its total is done.
    fn finish(&self, stage: Stage);
}

/// A progress that ignores everything: the matcher's default.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Silent;

impl Progress for Silent {
    fn start(&self, _stage: Stage, _total: u64) {}
    fn advance(&self, _stage: Stage, _done: u64) {}
    fn finish(&self, _stage: Stage) {}
}

/// The matcher's observer: [`Silent`] unless a program gives one.
#[derive(Clone, Copy)]
pub(crate) struct Observer<'p>(pub(crate) &'p dyn Progress);

impl Default for Observer<'_> {
    fn default() -> Self {
        Observer(&Silent)
    }
}

impl fmt::Debug for Observer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Observer")
    }
}

/// Counts the units of one stage done by many threads and tells the
/// observer about every hundredth of the total and the last unit: one atomic
/// addition per unit, about a hundred calls in all.
pub(crate) struct Counter<'p> {
    progress: &'p dyn Progress,
    stage: Stage,
    done: AtomicU64,
    step: u64,
    total: u64,
}

impl<'p> Counter<'p> {
    /// Starts `stage` with `total` units on `progress`.
    pub(crate) fn start(progress: &'p dyn Progress, stage: Stage, total: u64) -> Counter<'p> {
        progress.start(stage, total);
        Counter {
            progress,
            stage,
            done: AtomicU64::new(0),
            step: total.div_ceil(100).max(1),
            total,
        }
    }

    /// One more unit is done.
    pub(crate) fn add_one(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if done.is_multiple_of(self.step) || done == self.total {
            self.progress.advance(self.stage, done);
        }
    }

    /// `done` units are done so far, as one thread counts them (never
    /// fewer than at its previous call; more than the total counts as the
    /// total): the observer hears of it when it passes another hundredth of
    /// the total or reaches the total, so about a hundred calls in all
    /// however often this is called. For a solver that knows how far it is
    /// rather than adding units one by one.
    pub(crate) fn set(&self, done: u64) {
        let done = done.min(self.total);
        let before = self.done.swap(done, Ordering::Relaxed);
        if done > before && (done / self.step > before / self.step || done == self.total) {
            self.progress.advance(self.stage, done);
        }
    }

    /// The stage is over.
    pub(crate) fn finish(self) {
        self.progress.finish(self.stage);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[derive(Default)]
    struct Calls(Mutex<Vec<(Stage, &'static str, u64)>>);

    impl Calls {
        /// The counts of the `advance` calls, in order.
        fn advances(self) -> Vec<u64> {
            self.0
                .into_inner()
                .unwrap()
                .into_iter()
                .filter(|&(_, what, _)| what == "advance")
                .map(|(_, _, done)| done)
                .collect()
        }
    }

    impl Progress for Calls {
        fn start(&self, stage: Stage, total: u64) {
            self.0.lock().unwrap().push((stage, "start", total));
        }
        fn advance(&self, stage: Stage, done: u64) {
            self.0.lock().unwrap().push((stage, "advance", done));
        }
        fn finish(&self, stage: Stage) {
            self.0.lock().unwrap().push((stage, "finish", 0));
        }
    }

    #[test]
    fn a_counter_reports_every_hundredth_and_the_end() {
        let calls = Calls::default();
        let counter = Counter::start(&calls, Stage::Scoring, 1000);
        for _ in 0..1000 {
            counter.add_one();
        }
        counter.finish();
        let calls = calls.0.into_inner().unwrap();
        assert_eq!(calls.len(), 102);
        assert_eq!(calls[0], (Stage::Scoring, "start", 1000));
        assert_eq!(calls[1], (Stage::Scoring, "advance", 10));
        assert_eq!(calls[100], (Stage::Scoring, "advance", 1000));
        assert_eq!(calls[101], (Stage::Scoring, "finish", 0));
    }

    #[test]
    fn the_last_unit_is_reported_when_it_is_no_step() {
        let calls = Calls::default();
        let counter = Counter::start(&calls, Stage::Scoring, 257);
        (0..257).for_each(|_| counter.add_one());
        counter.finish();
        let calls = calls.0.into_inner().unwrap();
        assert_eq!(calls[calls.len() - 2], (Stage::Scoring, "advance", 257));
        assert_eq!(calls[calls.len() - 3], (Stage::Scoring, "advance", 255));
        assert_eq!(calls.len(), 1 + 85 + 1 + 1);
    }

    #[test]
    fn setting_the_count_reports_each_hundredth_passed_and_the_end() {
        let calls = Calls::default();
        let counter = Counter::start(&calls, Stage::Solving, 1000);
        // A solver's counts: a jump, then one by one, repeats, past the end.
        for done in [0, 0, 450, 450]
            .into_iter()
            .chain(451..=1000)
            .chain([1000, 1200])
        {
            counter.set(done);
        }
        counter.finish();
        let advances = calls.advances();
        let expected: Vec<u64> = std::iter::once(450)
            .chain((46..=100).map(|h| h * 10))
            .collect();
        assert_eq!(advances, expected);
    }

    #[test]
    fn a_small_stage_reports_every_unit() {
        let calls = Calls::default();
        let counter = Counter::start(&calls, Stage::Solving, 3);
        (0..3).for_each(|_| counter.add_one());
        counter.finish();
        let advances = calls.advances();
        assert_eq!(advances, [1, 2, 3]);
    }
}
