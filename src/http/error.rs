//! Failures of one HTTP exchange, worded for script authors.
//!
//! Messages name the host and port, never the path or query: URLs often carry API keys.

use std::fmt;
use std::time::Duration;

use crate::eval::failure::{ErrorKind, Failure, LimitKind};

/// Why an HTTP exchange failed. A response with any status code is not a failure.
///
/// A [`Transport`](crate::http::Transport) returns one; the script sees its `Display` text as
/// the error of the `invokeurl`, `getUrl` or `postUrl`.
///
/// ```
/// use std::time::Duration;
/// use deluge_lang::http::{HttpError, HttpRequest, HttpResponse, SendOptions, Transport};
///
/// struct Slow;
/// impl Transport for Slow {
///     fn send(&self, request: HttpRequest, _: &SendOptions) -> Result<HttpResponse, HttpError> {
///         let after = Duration::from_secs(40);
///         Err(HttpError::Timeout { host: request.host_port(), after })
///     }
/// }
///
/// let mut engine = deluge_lang::Engine::new();
/// engine.set_transport(Slow);
/// let error = engine.run(r#"getUrl("https://example.com/report?key=k-1");"#).unwrap_err();
/// let message = error.to_string();
/// assert!(message.contains(
///     "socket timeout error: no complete response from example.com:443 within 40 s"
/// ));
/// assert!(!message.contains("k-1"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpError {
    /// No complete response within the timeout. Prints as Zoho's documented
    /// `socket timeout error`, followed by the detail.
    Timeout {
        /// `host:port`
        host: String,
        /// The timeout that expired.
        after: Duration,
    },
    /// The TCP connection could not be made (refused, unreachable, reset).
    Connect {
        /// `host:port`
        host: String,
        /// What the operating system said, e.g. `connection refused`.
        detail: String,
    },
    /// The host name did not resolve.
    Dns {
        /// The host name.
        host: String,
        /// The resolver's message.
        detail: String,
    },
    /// The TLS handshake failed (bad or self-signed certificate, protocol mismatch).
    Tls {
        /// `host:port`
        host: String,
        /// The TLS library's message.
        detail: String,
    },
    /// The response body is larger than the configured cap.
    TooLarge {
        /// `host:port`
        host: String,
        /// The cap, in bytes.
        limit: usize,
    },
    /// More than the allowed number of redirects.
    TooManyRedirects {
        /// `host:port` of the first request.
        host: String,
        /// The number of redirects allowed.
        limit: usize,
    },
    /// The wait for the response was interrupted (Ctrl-C).
    Interrupted {
        /// `host:port`
        host: String,
    },
    /// The egress policy refused the host, an address it resolved to, or the port.
    Egress(crate::egress::Refusal),
    /// The request cannot be sent as built (bad header name, unsupported URL scheme, ...).
    InvalidRequest(String),
    /// Any other failure while sending or receiving.
    Other {
        /// `host:port`
        host: String,
        /// What went wrong.
        detail: String,
    },
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpError::Timeout { host, after } => write!(
                f,
                "socket timeout error: no complete response from {host} within {}",
                describe_duration(*after)
            ),
            HttpError::Connect { host, detail } => {
                write!(f, "could not connect to {host}: {detail}")
            }
            HttpError::Dns { host, detail } => {
                write!(f, "could not resolve host '{host}': {detail}")
            }
            HttpError::Tls { host, detail } => write!(
                f,
                "TLS handshake with {host} failed: {detail} (certificates must be valid and \
                 issued by a trusted authority; self-signed certificates are refused)"
            ),
            HttpError::TooLarge { host, limit } => write!(
                f,
                "the response from {host} is larger than the {} limit; \
                 raise the HTTP response size limit to accept it",
                describe_bytes(*limit)
            ),
            HttpError::TooManyRedirects { host, limit } => write!(
                f,
                "too many redirects: a request to {host} was redirected more than {limit} times"
            ),
            HttpError::Interrupted { host } => {
                write!(f, "interrupted (Ctrl-C) while waiting for {host}")
            }
            HttpError::Egress(refusal) => refusal.fmt(f),
            HttpError::InvalidRequest(detail) => f.write_str(detail),
            HttpError::Other { host, detail } => {
                write!(f, "HTTP request to {host} failed: {detail}")
            }
        }
    }
}

impl std::error::Error for HttpError {}

impl HttpError {
    /// The [`ErrorKind`] a run's error gets when this failure stops a request.
    ///
    /// ```
    /// use std::time::Duration;
    /// use deluge_lang::http::HttpError;
    /// use deluge_lang::ErrorKind;
    /// let timeout = HttpError::Timeout { host: "h:80".into(), after: Duration::from_secs(1) };
    /// assert_eq!(timeout.kind(), ErrorKind::Timeout);
    /// let refused = HttpError::Connect { host: "h:80".into(), detail: "refused".into() };
    /// assert_eq!(refused.kind(), ErrorKind::ConnectionRefused);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match self {
            HttpError::Timeout { .. } => ErrorKind::Timeout,
            HttpError::Connect { .. } => ErrorKind::ConnectionRefused,
            HttpError::Dns { .. }
            | HttpError::Tls { .. }
            | HttpError::TooManyRedirects { .. }
            | HttpError::Other { .. } => ErrorKind::Network,
            HttpError::TooLarge { .. } => ErrorKind::Limit(LimitKind::Size),
            HttpError::Interrupted { .. } => ErrorKind::Interrupted,
            HttpError::Egress(_) => ErrorKind::Egress,
            HttpError::InvalidRequest(_) => ErrorKind::Script,
        }
    }
}

impl From<HttpError> for Failure {
    /// A failure of the error's [`kind`](HttpError::kind), caused by it, with its text.
    fn from(error: HttpError) -> Failure {
        Failure::caused_by(error.kind(), error)
    }
}

/// `40 s`, `1.5 s`, `250 ms`.
pub fn describe_duration(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis < 1_000 {
        format!("{millis} ms")
    } else if millis.is_multiple_of(1_000) {
        format!("{} s", millis / 1_000)
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

/// `5 MiB`, `12 KiB`, `100 bytes`.
pub fn describe_bytes(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeout_uses_the_documented_wording() {
        let error = HttpError::Timeout {
            host: "127.0.0.1:80".into(),
            after: Duration::from_secs(40),
        };
        assert_eq!(
            error.to_string(),
            "socket timeout error: no complete response from 127.0.0.1:80 within 40 s"
        );
    }

    #[test]
    fn sizes_and_durations_read_naturally() {
        assert_eq!(describe_bytes(5 * 1024 * 1024), "5 MiB");
        assert_eq!(describe_bytes(2048), "2 KiB");
        assert_eq!(describe_bytes(100), "100 bytes");
        assert_eq!(describe_duration(Duration::from_millis(250)), "250 ms");
        assert_eq!(describe_duration(Duration::from_millis(1500)), "1.5 s");
    }

    #[test]
    fn too_large_names_the_limit() {
        let error = HttpError::TooLarge {
            host: "h:80".into(),
            limit: 1024,
        };
        assert!(error.to_string().contains("larger than the 1 KiB limit"));
    }
}
