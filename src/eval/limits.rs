//! Execution limits. All are configurable; the defaults follow decisions.md.

use std::time::Duration;

/// Bounds on one run.
///
/// ```
/// use std::time::Duration;
/// use deluge_lang::{Engine, Limits};
/// let mut engine = Engine::new();
/// engine.set_limits(Limits {
///     max_statements: Some(5_000),
///     timeout: Some(Duration::from_secs(2)),
///     ..Limits::default()
/// });
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Statements executed; `None` = unlimited (Zoho Creator uses 5,000).
    pub max_statements: Option<u64>,
    /// Nested user-function calls.
    pub max_call_depth: u32,
    /// Wall time for a run; `None` = unlimited. Also bounds each HTTP wait.
    pub timeout: Option<Duration>,
    /// Largest TEXT, in bytes.
    pub max_text_bytes: usize,
    /// Most entries in one LIST, MAP or COLLECTION.
    pub max_collection_len: usize,
    /// `invokeurl` response timeout.
    pub http_timeout: Duration,
    /// `invokeurl` response size cap, in bytes.
    pub http_max_response_bytes: usize,
    /// HTTP calls per run (`invokeurl`, `getUrl`/`postUrl`, Zoho tasks; a call's redirects
    /// are part of it); `None` = unlimited.
    pub max_http_calls: Option<u64>,
    /// Bytes of HTTP response bodies received per run; `None` = unlimited.
    pub max_http_bytes: Option<u64>,
    /// Mails sent per run (`sendmail`); `None` = unlimited.
    pub max_emails: Option<u64>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_statements: None,
            max_call_depth: 1_000,
            timeout: None,
            max_text_bytes: 64 * 1024 * 1024,
            max_collection_len: 10_000_000,
            http_timeout: Duration::from_secs(40),
            http_max_response_bytes: 5 * 1024 * 1024,
            max_http_calls: None,
            max_http_bytes: None,
            max_emails: None,
        }
    }
}
