//! What bounds and watches a run: the statement count and the clock (checked every few
//! statements by [`Interp::tick`]), Ctrl-C, the quota counters, the host's progress callback,
//! coverage, and the size limits on TEXT and collections.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use crate::eval::coverage::{Coverage, CoverageHits};
use crate::eval::error::{RtResult, RuntimeError};
use crate::eval::failure::{ErrorKind, Failure, LimitKind};
use crate::eval::interp::Interp;
use crate::eval::progress::{cancelled_message, Checkpoint, Control, Progress, ProgressHook};
use crate::eval::render::TooLarge;
use crate::eval::value::Value;
use crate::syntax::span::Span;

/// Statements between two wall-clock checks when a timeout is set.
const TIME_CHECK_INTERVAL: u64 = 1024;

/// The message of a run stopped by Ctrl-C.
const INTERRUPTED: &str = "interrupted (Ctrl-C)";

impl<'r> Interp<'r> {
    /// Calls `hook` every `hook.every` statements and before each `invokeurl`.
    pub(crate) fn set_progress(&mut self, hook: &'r ProgressHook) {
        self.progress = Some((hook, hook.every.max(1)));
        self.schedule_check();
    }

    /// Asks the progress callback, if any, whether to go on; `Cancel` stops the run.
    pub(crate) fn report_progress(&mut self, checkpoint: Checkpoint, span: Span) -> RtResult<()> {
        let Some((hook, _)) = self.progress else {
            return Ok(());
        };
        let progress = Progress {
            checkpoint,
            statements: self.steps,
            elapsed: self.started.elapsed(),
        };
        match (hook.callback)(&progress) {
            Control::Continue => Ok(()),
            Control::Cancel => Err(RuntimeError::limit(
                ErrorKind::Interrupted,
                cancelled_message(self.steps),
                span,
            )),
        }
    }

    /// Records every statement executed into `coverage` (when the run ends).
    pub(crate) fn set_coverage(&mut self, coverage: &'r Coverage) {
        self.coverage = Some((coverage, CoverageHits::default()));
        self.schedule_check();
    }

    /// Stops the run with an uncatchable error soon after `flag` becomes true.
    pub fn set_interrupt(&mut self, flag: Arc<AtomicBool>) {
        self.interrupt = Some(flag);
        self.schedule_check();
    }

    /// Counts one statement; checks the statement limit and the clock now and then.
    #[inline(always)]
    pub(crate) fn tick(&mut self, span: Span) -> RtResult<()> {
        self.steps += 1;
        if self.steps >= self.next_check {
            self.check_limits(span)
        } else {
            Ok(())
        }
    }

    /// The error for a failed native, host task or HTTP call at `span`: a limit error (not
    /// catchable) when Ctrl-C stopped it or the run went over a quota or its time, an
    /// ordinary one with the failure's kind and cause otherwise.
    pub(crate) fn call_failed(&self, failure: Failure, span: Span) -> Box<RuntimeError> {
        if failure.kind() == ErrorKind::Interrupted {
            let mut err = RuntimeError::limit(ErrorKind::Interrupted, INTERRUPTED, span);
            err.cause = failure.cause().cloned();
            err
        } else if let Some((kind, quota)) = self.usage.breached() {
            RuntimeError::limit(kind, quota, span)
        } else {
            RuntimeError::failed(failure, span)
        }
    }

    /// Whether Ctrl-C asked the run to stop.
    pub(crate) fn interrupted(&self) -> bool {
        self.interrupt
            .as_ref()
            .is_some_and(|flag| flag.load(Ordering::Relaxed))
    }

    #[cold]
    #[inline(never)]
    fn check_limits(&mut self, span: Span) -> RtResult<()> {
        if let Some((_, hits)) = &mut self.coverage {
            hits.insert((self.source, span.start));
        }
        if self.interrupted() {
            return Err(RuntimeError::limit(
                ErrorKind::Interrupted,
                INTERRUPTED,
                span,
            ));
        }
        if let Some((kind, quota)) = self.usage.breached() {
            return Err(RuntimeError::limit(kind, quota, span));
        }
        if let Some((hook, due)) = self.progress {
            if self.steps >= due {
                self.progress = Some((hook, self.steps.saturating_add(hook.every.max(1))));
                self.report_progress(Checkpoint::Statements, span)?;
            }
        }
        if self.steps > self.max_steps {
            return Err(RuntimeError::limit(
                ErrorKind::Limit(LimitKind::Statements),
                format!(
                    "Maximum number of executable statements exceeded: the script ran more than {} statements",
                    self.max_steps
                ),
                span,
            )
            .with_help("raise the limit with `Limits::max_statements`, or look for a loop that never ends"));
        }
        if let (Some(deadline), Some(timeout)) = (self.deadline, self.env.limits.timeout) {
            if Instant::now() >= deadline {
                return Err(RuntimeError::limit(
                    ErrorKind::Timeout,
                    format!(
                        "the script ran longer than its time limit of {} s",
                        timeout.as_secs_f64()
                    ),
                    span,
                )
                .with_help("raise the limit with `Limits::timeout`"));
            }
        }
        self.schedule_check();
        Ok(())
    }

    pub(crate) fn schedule_check(&mut self) {
        let limit = self.max_steps.saturating_add(1);
        let next = if self.deadline.is_some() || self.interrupt.is_some() {
            self.steps.saturating_add(TIME_CHECK_INTERVAL).min(limit)
        } else {
            limit
        };
        self.next_check = match self.progress {
            Some((_, due)) => next.min(due),
            None => next,
        };
        if self.coverage.is_some() {
            self.next_check = self.steps.saturating_add(1);
        }
    }

    /// Fails when a LIST or MAP grew past the size limit.
    pub(crate) fn check_len(&self, len: usize, span: Span) -> RtResult<()> {
        let max = self.env.limits.max_collection_len;
        if len > max {
            return Err(RuntimeError::new(
                format!("a LIST or KEY-VALUE grew past {max} entries (the size limit)"),
                span,
            ));
        }
        Ok(())
    }
}

/// Fails when `value` is a TEXT longer than the limit.
pub(crate) fn check_text_size(value: &Value, max: usize, span: Span) -> RtResult<()> {
    match value {
        Value::Text(t) if t.len() > max => Err(text_too_long(t.len(), max, span)),
        _ => Ok(()),
    }
}

/// Printing a value for `info` or a text append passed the text size limit.
pub(crate) fn too_large(error: TooLarge, span: Span) -> Box<RuntimeError> {
    RuntimeError::new(error.to_string(), span)
        .with_help(TooLarge::HELP)
        .of_kind(ErrorKind::Limit(LimitKind::Size))
}

pub(crate) fn text_too_long(len: usize, max: usize, span: Span) -> Box<RuntimeError> {
    RuntimeError::new(
        format!("a TEXT grew to {len} bytes, past the size limit of {max} bytes"),
        span,
    )
    .of_kind(ErrorKind::Limit(LimitKind::Size))
}
