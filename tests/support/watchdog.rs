//! A watchdog: work runs on its own thread, so a hang or a panic fails the
//! test (or the property case) with a message instead of stopping the run.

use std::any::Any;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// How long a watched piece of work may take before it counts as a hang.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// Why watched work gave no answer.
enum Stopped {
    /// No answer within [`TIMEOUT`].
    Hung,
    /// It panicked, with this payload.
    Panicked(Box<dyn Any + Send>),
}

impl Stopped {
    /// Says what happened, with the panic's message.
    fn describe(&self) -> String {
        match self {
            Stopped::Hung => format!("no answer within {TIMEOUT:?}: it hangs"),
            Stopped::Panicked(payload) => {
                let text = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                format!("panicked: {text}")
            }
        }
    }
}

/// Runs `work` on its own thread under a watchdog: a hang or a panic comes
/// back as [`Stopped`] instead of stopping the test run.
fn watched<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, Stopped> {
    let (sender, receiver) = mpsc::channel();
    let worker = thread::spawn(move || {
        // The receiver only goes away after a timeout, which fails anyway.
        let _ = sender.send(work());
    });
    match receiver.recv_timeout(TIMEOUT) {
        Ok(value) => {
            // The value is sent last: the worker can only end now.
            let _ = worker.join();
            Ok(value)
        }
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Stopped::Hung),
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(payload) => Err(Stopped::Panicked(payload)),
            Ok(()) => unreachable!("a worker that returns has sent its value"),
        },
    }
}

/// Runs `work` under the watchdog; a hang fails the test, and a panic
/// inside `work` goes on as the test's own panic.
///
/// # Panics
///
/// When `work` panics or hangs.
pub fn within_time<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    match watched(work) {
        Ok(value) => value,
        Err(Stopped::Panicked(payload)) => std::panic::resume_unwind(payload),
        Err(hung) => panic!("{what}: {}", hung.describe()),
    }
}

/// Runs fallible `work` under the watchdog; a hang or a panic becomes an
/// error message like the ones `work` returns.
///
/// # Errors
///
/// The error of `work`, or what stopped it.
pub fn guarded<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    watched(work).map_err(|stopped| stopped.describe())?
}
