//! What can go wrong in an OAuth 2 exchange, in words a user can act on. No message ever holds a
//! token, a code, a verifier or a client secret.

use std::fmt;

use oauth2::basic::BasicErrorResponse;
use oauth2::{DeviceCodeErrorResponse, ErrorResponse, RequestTokenError};

/// A failed OAuth 2 step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OAuthError {
    /// The service definition cannot drive this step (a URL missing or malformed).
    Config(String),
    /// The provider answered with an OAuth error (`invalid_grant`, `access_denied`, ...).
    Provider {
        /// The step: "token exchange", "refresh", "authorization", ...
        step: &'static str,
        /// The `error` code.
        code: String,
        /// The `error_description`, if any.
        description: Option<String>,
    },
    /// The provider could not be reached, or answered something that is not OAuth.
    Transport {
        /// The step.
        step: &'static str,
        /// What happened.
        detail: String,
    },
    /// The redirect back from the provider is unusable (wrong state, no code, bad URL).
    Callback(String),
    /// Nobody completed the authorization in time.
    Timeout {
        /// What was being waited for.
        waiting_for: &'static str,
        /// Seconds waited.
        seconds: u64,
    },
    /// The local redirect listener could not be opened.
    Listener(String),
}

impl OAuthError {
    /// True when the provider says the grant (refresh token or code) is dead: the connection
    /// needs to be authorized again.
    pub fn is_invalid_grant(&self) -> bool {
        matches!(self, OAuthError::Provider { code, .. } if code == "invalid_grant")
    }

    /// The provider's error code, if the provider answered with one.
    pub fn provider_code(&self) -> Option<&str> {
        match self {
            OAuthError::Provider { code, .. } => Some(code),
            _ => None,
        }
    }
}

impl fmt::Display for OAuthError {
    /// Every part a server may have chosen (codes, descriptions, details) is printed without
    /// control characters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let clean = super::ui::printable;
        match self {
            OAuthError::Config(message) => write!(f, "{}", clean(message)),
            OAuthError::Provider {
                step,
                code,
                description,
            } => {
                write!(f, "the provider rejected the {step}: {}", clean(code))?;
                if let Some(description) = description.as_deref().filter(|d| !d.is_empty()) {
                    write!(f, " ({})", clean(description))?;
                }
                Ok(())
            }
            OAuthError::Transport { step, detail } => {
                write!(f, "{step} failed: {}", clean(detail))
            }
            OAuthError::Callback(message) => write!(f, "{}", clean(message)),
            OAuthError::Timeout {
                waiting_for,
                seconds,
            } => write!(f, "gave up after {seconds} s waiting for {waiting_for}"),
            OAuthError::Listener(message) => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for OAuthError {}

/// Converts an `oauth2` crate error for `step` into an [`OAuthError`].
pub fn from_token_error<RE: std::error::Error + 'static>(
    step: &'static str,
    error: RequestTokenError<RE, BasicErrorResponse>,
) -> OAuthError {
    match error {
        RequestTokenError::ServerResponse(response) => OAuthError::Provider {
            step,
            code: response.error().to_string(),
            description: response.error_description().cloned(),
        },
        other => from_other_error(step, other),
    }
}

/// Converts a device-flow polling error into an [`OAuthError`].
pub fn from_device_error<RE: std::error::Error + 'static>(
    step: &'static str,
    error: RequestTokenError<RE, DeviceCodeErrorResponse>,
) -> OAuthError {
    match error {
        RequestTokenError::ServerResponse(response) => OAuthError::Provider {
            step,
            code: response.error().to_string(),
            description: response.error_description().cloned(),
        },
        other => from_other_error(step, other),
    }
}

fn from_other_error<RE: std::error::Error + 'static, T: ErrorResponse + 'static>(
    step: &'static str,
    error: RequestTokenError<RE, T>,
) -> OAuthError {
    match error {
        RequestTokenError::ServerResponse(_) => OAuthError::Transport {
            step,
            detail: "unexpected error response".to_owned(),
        },
        RequestTokenError::Request(source) => OAuthError::Transport {
            step,
            detail: describe_request_error(&source),
        },
        RequestTokenError::Parse(_, body) => describe_unparsable(step, &body),
        RequestTokenError::Other(message) => OAuthError::Transport {
            step,
            detail: message,
        },
    }
}

fn describe_request_error(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Reads what it can from a body the crate could not parse: an RFC 9457 problem document, an
/// `error` field with an unusual shape, or nothing. Never echoes a body that may hold tokens.
fn describe_unparsable(step: &'static str, body: &[u8]) -> OAuthError {
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let text_field = |name: &str| {
        json.as_ref()
            .and_then(|v| v.get(name))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    if let Some(code) = text_field("error") {
        return OAuthError::Provider {
            step,
            code,
            description: text_field("error_description"),
        };
    }
    if let Some(title) = text_field("title") {
        return OAuthError::Provider {
            step,
            code: title,
            description: text_field("detail"),
        };
    }
    OAuthError::Transport {
        step,
        detail: "the provider's answer is not a valid OAuth 2 token response".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_errors_read_well() {
        let error = OAuthError::Provider {
            step: "refresh",
            code: "invalid_grant".into(),
            description: Some("grant request is invalid".into()),
        };
        assert!(error.is_invalid_grant());
        assert_eq!(
            error.to_string(),
            "the provider rejected the refresh: invalid_grant (grant request is invalid)"
        );
    }

    #[test]
    fn problem_json_and_odd_bodies_are_understood_without_echoing_tokens() {
        let problem = describe_unparsable(
            "token exchange",
            br#"{"type":"about:blank","title":"invalid_grant","detail":"code expired"}"#,
        );
        assert_eq!(
            problem.to_string(),
            "the provider rejected the token exchange: invalid_grant (code expired)"
        );
        let token_body = describe_unparsable("refresh", br#"{"access_token":"SECRET","x":1}"#);
        assert!(!token_body.to_string().contains("SECRET"));
        assert!(token_body
            .to_string()
            .contains("not a valid OAuth 2 token response"));
    }
}
