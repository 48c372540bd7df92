//! What one run has used of its quotas ([`Limits`]: HTTP calls, bytes received over HTTP,
//! mails), counted as it goes. Going over a quota stops the run with an error `try/catch`
//! cannot catch: the counter records the breach, and the interpreter turns the failing call's
//! error into a limit error.

use std::cell::{Cell, RefCell};
use std::time::{Duration, Instant};

use super::failure::{ErrorKind, LimitKind};
use super::limits::Limits;

/// The quota counters of one run (the interpreter makes one per run).
///
/// ```
/// use deluge_lang::{eval::usage::Usage, Limits};
///
/// let limits = Limits { max_http_calls: Some(1), ..Limits::default() };
/// let usage = Usage::new(None);
/// assert!(usage.count_http_call(&limits).is_ok());
/// let error = usage.count_http_call(&limits).unwrap_err();
/// assert!(error.contains("max_http_calls"));
/// assert!(usage.exceeded().is_some());
/// ```
#[derive(Debug, Default)]
pub struct Usage {
    http_calls: Cell<u64>,
    http_bytes: Cell<u64>,
    emails: Cell<u64>,
    deadline: Option<Instant>,
    exceeded: RefCell<Option<(ErrorKind, String)>>,
}

impl Usage {
    /// Counters at zero for a run that must end by `deadline` (its wall-time limit).
    ///
    /// ```
    /// let usage = deluge_lang::eval::usage::Usage::new(None);
    /// assert!(usage.time_left().is_none());
    /// ```
    pub fn new(deadline: Option<Instant>) -> Usage {
        Usage {
            deadline,
            ..Usage::default()
        }
    }

    /// Counts one HTTP call (an `invokeurl`, `getUrl`/`postUrl` or Zoho task request, its
    /// redirects included) before it is sent; `Err` when it would go over `max_http_calls`.
    pub fn count_http_call(&self, limits: &Limits) -> Result<(), String> {
        let made = self.http_calls.get();
        if let Some(max) = limits.max_http_calls.filter(|max| made >= *max) {
            return Err(self.quota_breach(format!(
                "quota exceeded: this run may make at most {max} HTTP request{} (max_http_calls; \
                 raise it with --max-http-calls N)",
                plural(max)
            )));
        }
        self.http_calls.set(made + 1);
        Ok(())
    }

    /// The bytes the run may still receive over HTTP (`None`: no quota).
    pub fn http_bytes_left(&self, limits: &Limits) -> Option<u64> {
        limits
            .max_http_bytes
            .map(|max| max.saturating_sub(self.http_bytes.get()))
    }

    /// Counts `bytes` of response body received; `Err` when that goes over `max_http_bytes`.
    pub fn count_http_bytes(&self, bytes: u64, limits: &Limits) -> Result<(), String> {
        let total = self.http_bytes.get().saturating_add(bytes);
        self.http_bytes.set(total);
        match limits.max_http_bytes {
            Some(max) if total > max => Err(self.http_bytes_breach(max)),
            _ => Ok(()),
        }
    }

    /// The error for a response that would take the run past `max_http_bytes` (recorded as a
    /// breach).
    pub fn http_bytes_breach(&self, max: u64) -> String {
        self.quota_breach(format!(
            "quota exceeded: this run may receive at most {max} byte{} of HTTP responses \
             (max_http_bytes; raise it with --max-http-bytes N)",
            plural(max)
        ))
    }

    /// Counts one mail before it is sent; `Err` when it would go over `max_emails`.
    pub fn count_email(&self, limits: &Limits) -> Result<(), String> {
        let sent = self.emails.get();
        if let Some(max) = limits.max_emails.filter(|max| sent >= *max) {
            return Err(self.quota_breach(format!(
                "quota exceeded: this run may send at most {max} mail{} (max_emails; raise it \
                 with --max-emails N)",
                plural(max)
            )));
        }
        self.emails.set(sent + 1);
        Ok(())
    }

    /// The time left before the run's wall-time limit (`None`: no limit).
    pub fn time_left(&self) -> Option<Duration> {
        self.deadline
            .map(|deadline| deadline.saturating_duration_since(Instant::now()))
    }

    /// Records that a wait ended at the run's wall-time limit; returns the error to report.
    pub fn time_breach(&self, limits: &Limits, waiting_for: &str) -> String {
        let seconds = limits.timeout.unwrap_or_default().as_secs_f64();
        self.breach(
            ErrorKind::Timeout,
            format!(
                "the script ran longer than its time limit of {seconds} s (while waiting for \
             {waiting_for}; raise it with --timeout SECONDS)"
            ),
        )
    }

    /// The message of the quota the run went over, if it did.
    pub fn exceeded(&self) -> Option<String> {
        self.breached().map(|(_, message)| message)
    }

    /// The kind and message of the quota or time limit the run went over, if it did.
    pub(crate) fn breached(&self) -> Option<(ErrorKind, String)> {
        self.exceeded.borrow().clone()
    }

    fn quota_breach(&self, message: String) -> String {
        self.breach(ErrorKind::Limit(LimitKind::Quota), message)
    }

    fn breach(&self, kind: ErrorKind, message: String) -> String {
        let mut exceeded = self.exceeded.borrow_mut();
        exceeded.get_or_insert((kind, message)).1.clone()
    }
}

fn plural(count: u64) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_may_reach_the_quota_but_not_pass_it() {
        let limits = Limits {
            max_http_bytes: Some(10),
            ..Limits::default()
        };
        let usage = Usage::new(None);
        assert!(usage.count_http_bytes(10, &limits).is_ok());
        assert_eq!(usage.http_bytes_left(&limits), Some(0));
        let error = usage.count_http_bytes(1, &limits).unwrap_err();
        assert!(error.contains("at most 10 bytes"), "{error}");
    }

    #[test]
    fn mails_stop_at_the_quota() {
        let limits = Limits {
            max_emails: Some(1),
            ..Limits::default()
        };
        let usage = Usage::new(None);
        assert!(usage.count_email(&limits).is_ok());
        let error = usage.count_email(&limits).unwrap_err();
        assert!(error.contains("at most 1 mail (max_emails"), "{error}");
    }
}
