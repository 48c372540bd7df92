//! The progress/cancel hook: a host callback the interpreter calls every N statements and
//! before every `invokeurl`, which can stop the run.

use std::time::Duration;

/// Where the run is when the progress callback is called.
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Why the callback is called now.
    pub checkpoint: Checkpoint,
    /// Statements executed so far in this run.
    pub statements: u64,
    /// Time since the run started.
    pub elapsed: Duration,
}

/// The progress callback's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
