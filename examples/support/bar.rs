//! A progress bar on stderr for long matchings: the library's
//! [`Progress`] shown with `indicatif`, one bar per stage.

use std::io::IsTerminal as _;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mentor_match::{Progress, Stage};

/// Cohorts with at least this many mentor–mentee pairs show a bar: a
/// matching of 1000 × 1000 takes about a fifth of a second on two cores,
/// and time grows faster than the pairs.
pub const PAIRS_FOR_A_BAR: u64 = 1000 * 1000;

/// Bars on stderr, one per stage of the matching.
pub struct Bar {
    current: Mutex<Option<ProgressBar>>,
}

impl Bar {
    /// A bar for a cohort of `pairs` mentor–mentee pairs: `None` when the
    /// cohort is small or stderr is not a terminal (a file, a pipe, a test).
    pub fn for_pairs(pairs: u64) -> Option<Bar> {
        (pairs >= PAIRS_FOR_A_BAR && std::io::stderr().is_terminal()).then(|| Bar {
            current: Mutex::new(None),
        })
    }

    fn with(&self, action: impl FnOnce(&mut Option<ProgressBar>)) {
        // A poisoned lock only means another thread panicked while drawing.
        let mut current = self
            .current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        action(&mut current);
    }
}

impl Progress for Bar {
    fn start(&self, stage: Stage, total: u64) {
        let bar = if stage == Stage::Scoring {
            ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()).with_style(
                ProgressStyle::with_template("{prefix:>8} [{wide_bar}] {pos}/{len} mentees")
                    .expect("the template is valid")
                    .progress_chars("=> "),
            )
        } else {
            // Solving reports no steps: a spinner shows it is alive.
            let spinner = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
                .with_style(
                    ProgressStyle::with_template("{prefix:>8} {spinner} {elapsed}")
                        .expect("the template is valid"),
                );
            spinner.enable_steady_tick(Duration::from_millis(120));
            spinner
        };
        bar.set_prefix(stage.name());
        self.with(|current| {
            if let Some(old) = current.replace(bar) {
                old.finish_and_clear();
            }
        });
    }

    fn advance(&self, _stage: Stage, done: u64) {
        self.with(|current| {
            if let Some(bar) = current {
                // Threads report out of order: never move back.
                bar.set_position(done.max(bar.position()));
            }
        });
    }

    fn finish(&self, _stage: Stage) {
        self.with(|current| {
            if let Some(bar) = current.take() {
                bar.finish_and_clear();
            }
        });
    }
}
