//! CSRF tokens: every form carries `csrf`, an HMAC of the session id; a POST without the
//! session's token is refused before any handler runs.

use super::guard::Admission;
use super::layout::refusal_page;
use super::state::UiState;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The form field that carries the token.
pub const FIELD: &str = "csrf";
/// The largest form accepted.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// The token of `session` under `key`.
pub fn token(key: &[u8; 32], session: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(session.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// Constant-time equality.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Middleware: a POST must carry the session's token in its form.
pub async fn check(State(state): State<UiState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(admission) = request.extensions().get::<Admission>().cloned() else {
        return refusal_page(StatusCode::FORBIDDEN, "no session").into_response();
    };
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return refusal_page(
            StatusCode::PAYLOAD_TOO_LARGE,
            "the form is larger than 64 KiB; nothing was changed",
        )
        .into_response();
    };
    let expected = state.csrf_token(&admission);
    let offered = url::form_urlencoded::parse(&bytes)
        .find(|(name, _)| name == FIELD)
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default();
    if expected.is_empty() || !same(expected.as_bytes(), offered.as_bytes()) {
        return refusal_page(
            StatusCode::FORBIDDEN,
            "the form's CSRF token is missing or wrong (an old tab, or a form from another \
             site); nothing was changed: reload the page and submit again",
        )
        .into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
