//! Typed error causes: what kind of failure an [`Error`](crate::Error) is ([`ErrorKind`]) and
//! the typed [`Failure`] natives, the host and the HTTP and connection layers hand to the
//! interpreter, so the kind and the underlying error (an
//! [`HttpError`](crate::http::HttpError), a `ConnectionError`) survive to the top.

use std::fmt;
use std::sync::Arc;

/// The underlying typed error of a failure, shared so errors stay cheap to clone.
pub type Cause = Arc<dyn std::error::Error + Send + Sync>;

/// What kind of failure an [`Error`](crate::Error) is, for a program to act on without
/// reading the message: retry a [`Timeout`](ErrorKind::Timeout), ask the user to
/// re-authorize on [`CredentialRejected`](ErrorKind::CredentialRejected), and so on.
///
/// ```
/// use deluge_lang::{Engine, ErrorKind, LimitKind, Limits};
/// let mut engine = Engine::new();
/// assert_eq!(engine.run("x = ;").unwrap_err().kind(), ErrorKind::Syntax);
/// assert_eq!(engine.run("x = y;").unwrap_err().kind(), ErrorKind::Compile);
/// assert_eq!(engine.run("x = 1 / 0;").unwrap_err().kind(), ErrorKind::Script);
/// engine.set_limits(Limits { max_call_depth: 20, ..Limits::default() });
/// let deep = engine.run("int f(int n) { return f(n + 1); }\ninfo f(1);").unwrap_err();
/// assert_eq!(deep.kind(), ErrorKind::Limit(LimitKind::CallDepth));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text does not parse.
    Syntax,
    /// It parses but does not compile (unknown variable or function, wrong argument count).
    Compile,
    /// The script's own error: wrong types, division by zero, a bad argument, `throw`.
    Script,
    /// Time ran out: the run's [`Limits::timeout`](crate::Limits::timeout), or an HTTP
    /// request's own timeout.
    Timeout,
    /// An HTTP connection could not be made (refused, unreachable, reset).
    ConnectionRefused,
    /// Any other network failure: the host name did not resolve, the TLS handshake failed,
    /// too many redirects, a failure while receiving, or the run has no network.
    Network,
    /// A connection's credentials cannot be used: not authorized yet, revoked, the refresh
    /// was rejected (re-authorization needed), the stored secret is unusable.
    CredentialRejected,
    /// The script names a connection the engine cannot provide: the engine has no
    /// connection store, or the store has no such connection (or its service is gone).
    NoConnection,
    /// The connection store itself failed (damaged, unreadable, a master key problem).
    ConnectionStore,
    /// A limit or quota of the engine was reached; which one is in the [`LimitKind`].
    Limit(LimitKind),
    /// The run was stopped from outside: Ctrl-C, or the progress callback returned
    /// [`Control::Cancel`](crate::Control::Cancel).
    Interrupted,
    /// The egress policy refused the destination (host, address or port), or a connection
    /// may not send its credentials to the host the script chose.
    Egress,
    /// A [`Host`](crate::Host) hook failed (a Creator statement, `zoho.*` task, fetch...).
    Host,
}

/// Which limit an [`ErrorKind::Limit`] error hit.
///
/// ```
/// use deluge_lang::{Engine, ErrorKind, LimitKind, Limits};
/// let mut engine = Engine::new();
/// engine.set_limits(Limits { max_statements: Some(100), ..Limits::default() });
/// let err = engine.run("l = {1,2,3,4,5,6,7,8,9,10};\n\
///     for each a in l { for each b in l { for each c in l { x = 1; } } }").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Limit(LimitKind::Statements));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LimitKind {
    /// [`Limits::max_statements`](crate::Limits::max_statements).
    Statements,
    /// [`Limits::max_call_depth`](crate::Limits::max_call_depth).
    CallDepth,
    /// A size limit: a text past [`Limits::max_text_bytes`](crate::Limits::max_text_bytes),
    /// an HTTP response past its size cap.
    Size,
    /// A per-run quota: HTTP calls, HTTP bytes, mails.
    Quota,
}

/// A typed failure of a native, a host task or the HTTP and connection layers: its kind, the
/// message the script sees (the text of its runtime error, what a `catch` variable holds)
/// and, when there is one, the underlying error.
///
/// A plain `String` converts into a failure of kind [`ErrorKind::Script`]. A failure of kind
/// [`ErrorKind::Interrupted`] stops the run with "interrupted (Ctrl-C)", which `try/catch`
/// cannot catch; every other kind is an ordinary runtime error with the failure's message.
///
/// ```
/// use deluge_lang::{ErrorKind, Failure};
/// let failure = Failure::from("the URL must be TEXT".to_owned());
/// assert_eq!(failure.kind(), ErrorKind::Script);
/// assert_eq!(failure.to_string(), "the URL must be TEXT");
/// assert!(std::error::Error::source(&failure).is_none());
/// ```
#[derive(Clone, Debug)]
pub struct Failure {
    kind: ErrorKind,
    message: String,
    cause: Option<Cause>,
}

impl Failure {
    /// A failure of `kind` with `message` and no underlying error.
    ///
    /// ```
    /// use deluge_lang::{ErrorKind, Failure};
    /// let failure = Failure::new(ErrorKind::Host, "the form is read-only");
    /// assert_eq!((failure.kind(), failure.message()), (ErrorKind::Host, "the form is read-only"));
    /// ```
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            message: message.into(),
            cause: None,
        }
    }

    /// A failure of `kind` caused by `cause`, whose `Display` text is the message.
    ///
    /// ```
    /// use deluge_lang::{ErrorKind, Failure};
    /// use deluge_lang::http::HttpError;
    /// let http = HttpError::Interrupted { host: "h:80".into() };
    /// let failure = Failure::caused_by(ErrorKind::Interrupted, http);
    /// assert_eq!(failure.message(), "interrupted (Ctrl-C) while waiting for h:80");
    /// assert!(failure.cause().is_some_and(|c| c.is::<HttpError>()));
    /// ```
    pub fn caused_by(
        kind: ErrorKind,
        cause: impl std::error::Error + Send + Sync + 'static,
    ) -> Failure {
        Failure {
            kind,
            message: cause.to_string(),
            cause: Some(Arc::new(cause)),
        }
    }

    /// What kind of failure it is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message the script sees.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The underlying typed error, if any.
    pub fn cause(&self) -> Option<&Cause> {
        self.cause.as_ref()
    }

    /// The same failure with its message rewritten (e.g. prefixed with the task's name); the
    /// kind and the cause stay.
    ///
    /// ```
    /// use deluge_lang::{ErrorKind, Failure};
    /// let failure = Failure::new(ErrorKind::Timeout, "too slow").map_message(|m| format!("task: {m}"));
    /// assert_eq!((failure.kind(), failure.message()), (ErrorKind::Timeout, "task: too slow"));
    /// ```
    pub fn map_message(mut self, rewrite: impl FnOnce(String) -> String) -> Failure {
        self.message = rewrite(self.message);
        self
    }

    /// The same failure as another kind; the message and the cause stay.
    ///
    /// ```
    /// use deluge_lang::{ErrorKind, Failure};
    /// let failure = Failure::from("the form is read-only").with_kind(ErrorKind::Host);
    /// assert_eq!((failure.kind(), failure.message()), (ErrorKind::Host, "the form is read-only"));
    /// ```
    pub fn with_kind(mut self, kind: ErrorKind) -> Failure {
        self.kind = kind;
        self
    }

    /// The kind, message and cause, taken apart.
    pub(crate) fn into_parts(self) -> (ErrorKind, String, Option<Cause>) {
        (self.kind, self.message, self.cause)
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::new(ErrorKind::Script, message)
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Failure {
        Failure::new(ErrorKind::Script, message)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause
            .as_deref()
            .map(|cause| cause as &(dyn std::error::Error + 'static))
    }
}
