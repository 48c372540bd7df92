//! Who may call: the API key from `Authorization: Bearer KEY` or the `zapikey` query
//! parameter (as Zoho takes it), checked against the key file; nothing with `--public`.

use axum::http::{header, HeaderMap};

use super::access_log;
use super::args::{Raw, KEY_PARAM};
use super::response::Failure;
use super::state::State;

/// The name of the key the request carries (`None` when the server is public), or why it may
/// not call.
pub fn check(
    state: &State,
    headers: &HeaderMap,
    query: &[(String, Raw)],
) -> Result<Option<String>, Failure> {
    let Some(keys) = &state.keys else {
        return Ok(None);
    };
    let key = bearer(headers)
        .or_else(|| query_key(query))
        .ok_or(Failure::MissingKey)?;
    match keys.verify(key) {
        Ok(Some(name)) => Ok(Some(name)),
        Ok(None) => Err(Failure::WrongKey),
        Err(problem) => {
            access_log::event("error", "key_file_unreadable", &[("error", &problem)]);
            Err(Failure::Internal)
        }
    }
}

/// The token of an `Authorization: Bearer TOKEN` header.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The value of the `zapikey` query parameter.
fn query_key(query: &[(String, Raw)]) -> Option<&str> {
    query.iter().find_map(|(name, raw)| match raw {
        Raw::Text(value) if name.eq_ignore_ascii_case(KEY_PARAM) && !value.is_empty() => {
            Some(value.as_str())
        }
        _ => None,
    })
}
