//! The JSON answers, shaped like Zoho's function REST API: `{"code": "success", "details":
//! {"output": ..., "output_type": ..., "id": ..., "userMessage": [info lines]}, "message":
//! "function executed successfully"}`, and `{"code", "details", "message"}` for every error.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Why a call was not answered with its result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No API key was given (401).
    MissingKey,
    /// The key given is not a current key (401).
    WrongKey,
    /// No served function has that name (404).
    UnknownFunction(String),
    /// No such route (404).
    NoRoute,
    /// The arguments could not be read or converted (400).
    BadArguments(String),
    /// The body is over the limit (413).
    TooLarge(usize),
    /// The call went over its time or statement limit (408).
    Limit {
        /// The limit's message.
        message: String,
        /// Where the script was.
        line: u32,
    },
    /// The script failed (500, `failure_in_execution`).
    Script {
        /// The error message, as `e.message` would give it.
        message: String,
        /// The 1-based line.
        line: u32,
    },
    /// Every worker is busy and the queue is full (503).
    Busy,
    /// The server failed (500); details only in the log.
    Internal,
}

impl Failure {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            Failure::MissingKey | Failure::WrongKey => StatusCode::UNAUTHORIZED,
            Failure::UnknownFunction(_) | Failure::NoRoute => StatusCode::NOT_FOUND,
            Failure::BadArguments(_) => StatusCode::BAD_REQUEST,
            Failure::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Failure::Limit { .. } => StatusCode::REQUEST_TIMEOUT,
            Failure::Script { .. } | Failure::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Failure::Busy => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The `code` member.
    pub fn code(&self) -> &'static str {
        match self {
            Failure::MissingKey => "AUTHENTICATION_FAILURE",
            Failure::WrongKey => "INVALID_TOKEN",
            Failure::UnknownFunction(_) => "FUNCTION_NOT_FOUND",
            Failure::NoRoute => "INVALID_URL_PATTERN",
            Failure::BadArguments(_) => "INVALID_DATA",
            Failure::TooLarge(_) => "REQUEST_ENTITY_TOO_LARGE",
            Failure::Limit { .. } => "LIMIT_EXCEEDED",
            Failure::Script { .. } => "failure_in_execution",
            Failure::Busy => "SERVER_BUSY",
            Failure::Internal => "INTERNAL_ERROR",
        }
    }

    /// The `message` member: what went wrong and how to fix it.
    pub fn message(&self) -> String {
        match self {
            Failure::MissingKey => "an API key is needed: pass it as the zapikey query parameter or \
                as Authorization: Bearer KEY (make one with dlg serve key create NAME)"
                .to_owned(),
            Failure::WrongKey => "the API key is not valid (wrong or revoked); see dlg serve key list".to_owned(),
            Failure::UnknownFunction(name) => format!(
                "no function named `{name}` is served; check the name (any case, or its last segment \
                 when unique) and the files given to dlg serve"
            ),
            Failure::NoRoute => "no such endpoint: call /functions/NAME/execute".to_owned(),
            Failure::BadArguments(message) => message.clone(),
            Failure::TooLarge(limit) => format!(
                "the request body is larger than the limit of {limit} bytes (--max-body)"
            ),
            Failure::Limit { message, .. } | Failure::Script { message, .. } => message.clone(),
            Failure::Busy => "every worker is busy and the queue is full; retry later".to_owned(),
            Failure::Internal => "the server failed to run the function; see its log".to_owned(),
        }
    }

    /// The JSON answer for the request `id`.
    pub fn into_response(self, id: &str) -> Response {
        let mut details = json!({ "id": id });
        if let Failure::Limit { line, .. } | Failure::Script { line, .. } = &self {
            details["line"] = json!(line);
        }
        let body = json!({
            "code": self.code(),
            "details": details,
            "message": self.message(),
        });
        let mut response = (self.status(), axum::Json(body)).into_response();
        let headers = response.headers_mut();
        match self {
            Failure::MissingKey | Failure::WrongKey => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            Failure::Busy => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        response
    }
}

/// A function's result: its value as text, its declared return type, its `info` lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Success {
    /// The returned value as `info` prints it (JSON text for a map or list).
    pub output: String,
    /// The declared return type (`string`, `map`, `void`, ...).
    pub output_type: String,
    /// The `info` lines, in order.
    pub info: Vec<String>,
}

impl Success {
    /// The JSON answer for the request `id`.
    pub fn into_response(self, id: &str) -> Response {
        let body = json!({
            "code": "success",
            "details": {
                "output": self.output,
                "output_type": self.output_type,
                "id": id,
                "userMessage": self.info,
            },
            "message": "function executed successfully",
        });
        (StatusCode::OK, axum::Json(body)).into_response()
    }
}
