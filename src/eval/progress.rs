//! The progress/cancel hook: a host callback the interpreter calls every N statements and
//! before every `invokeurl`, which can stop the run.

use std::time::Duration;

/// Where the run is when the progress callback is called.
///
/// ```
/// use deluge_lang::{Checkpoint, Control, Engine};
/// let mut engine = Engine::new();
/// // Refuse network access: cancel before any request is sent.
/// engine.on_progress(u64::MAX, |p| match p.checkpoint() {
///     Checkpoint::HttpRequest => Control::Cancel,
///     _ => Control::Continue,
/// });
/// let err = engine.run(r#"r = invokeurl [ url: "https://example.com" type: GET ];"#);
/// assert!(err.unwrap_err().message().starts_with("the host cancelled the run"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Checkpoint {
    /// Another batch of statements ran (every `every` statements, see
    /// [`Engine::on_progress`](crate::Engine::on_progress)).
    Statements,
    /// An `invokeurl` is about to send its request.
    HttpRequest,
}

/// What the progress callback sees.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use deluge_lang::{Control, Engine};
/// let seen = Arc::new(Mutex::new(Vec::new()));
/// let log = Arc::clone(&seen);
/// let mut engine = Engine::new();
/// engine.on_progress(2, move |p| {
///     log.lock().unwrap().push(p.statements());
///     Control::Continue
/// });
/// engine.run("a = 1; b = 2; c = 3; d = 4; e = 5;").unwrap();
/// assert_eq!(*seen.lock().unwrap(), [2, 4]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    pub(crate) checkpoint: Checkpoint,
    pub(crate) statements: u64,
    pub(crate) elapsed: Duration,
}

impl Progress {
    /// Why the callback is called now.
    pub fn checkpoint(&self) -> Checkpoint {
        self.checkpoint
    }

    /// Statements executed so far in this run.
    pub fn statements(&self) -> u64 {
        self.statements
    }

    /// Time since the run started.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }
}

/// The progress callback's answer.
///
/// ```
/// use deluge_lang::{Control, Engine};
/// let mut engine = Engine::new();
/// engine.on_progress(10, |p| if p.elapsed().as_secs() > 30 { Control::Cancel } else { Control::Continue });
/// engine.run("x = 1;").unwrap();
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Control {
    /// Go on running.
    Continue,
    /// Stop the run now with an error `try/catch` cannot catch.
    Cancel,
}

/// The callback type stored by the engine.
pub(crate) type ProgressFn = dyn Fn(&Progress) -> Control + Send + Sync;

/// A registered progress callback and how often it runs.
pub(crate) struct ProgressHook {
    /// Statements between two calls (at least 1).
    pub every: u64,
    /// The callback.
    pub callback: Box<ProgressFn>,
}

/// The message of a run stopped by the progress callback.
pub(crate) fn cancelled_message(statements: u64) -> String {
    format!("the host cancelled the run after {statements} statements")
}
