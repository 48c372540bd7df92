//! Adding a connection's values to a request without silently replacing the script's own.
//!
//! Rule (docs/decisions-local.md, "Connections"): the connection supplies its credentials; if
//! the request already has a header, query parameter or form field of the same name, the request
//! fails with a conflict error instead of either value being dropped.

use crate::connections::ConnectionError;
use super::secret::Secret;
use crate::http::request::{Body, HttpRequest, MultipartPart};

/// Adds header `name: value`; a header of the same name (any case) already set is a conflict.
pub fn add_header(
    link_name: &str,
    request: &mut HttpRequest,
    name: &str,
    value: &Secret,
) -> Result<(), ConnectionError> {
    if value.expose().contains(['\r', '\n', '\0']) {
        return Err(ConnectionError::UnusableCredential {
            link_name: link_name.into(),
            field: format!("value of header \"{name}\""),
            reason: "contains a line break or NUL, which a header cannot carry".into(),
        });
    }
    if request
        .headers
        .iter()
        .any(|(existing, _)| existing.eq_ignore_ascii_case(name))
    {
        return Err(ConnectionError::Conflict {
            link_name: link_name.into(),
            what: format!("the \"{name}\" header"),
            fix: format!(
                "remove \"{name}\" from the invokeurl headers (the connection supplies it), or \
                 drop the connection key to send your own"
            ),
        });
    }
    request
        .headers
        .push((name.to_owned(), value.expose().to_owned()));
    Ok(())
}

/// Appends `key=value` to the URL's query string; an existing parameter `key` is a conflict.
pub fn add_query(
    link_name: &str,
    request: &mut HttpRequest,
    key: &str,
    value: &Secret,
) -> Result<(), ConnectionError> {
    if request
        .url
        .query_pairs()
        .any(|(existing, _)| existing == key)
    {
        return Err(ConnectionError::Conflict {
            link_name: link_name.into(),
            what: format!("the query parameter \"{key}\""),
            fix: format!("remove \"{key}\" from the URL (the connection supplies it)"),
        });
    }
    request
        .url
        .query_pairs_mut()
        .append_pair(key, value.expose());
    Ok(())
}

/// Adds form field `key=value`: an empty body becomes a form; a multipart body gets a text part;
/// an existing field `key` is a conflict; a raw body cannot take it.
pub fn add_form_field(
    link_name: &str,
    request: &mut HttpRequest,
    key: &str,
    value: &Secret,
) -> Result<(), ConnectionError> {
    let conflict = || ConnectionError::Conflict {
        link_name: link_name.into(),
        what: format!("the form field \"{key}\""),
        fix: format!("remove \"{key}\" from the invokeurl parameters (the connection supplies it)"),
    };
    match &mut request.body {
        Body::Empty => {
            request.body = Body::Form(vec![(key.to_owned(), value.expose().to_owned())]);
        }
        Body::Form(pairs) => {
            if pairs.iter().any(|(existing, _)| existing == key) {
                return Err(conflict());
            }
            pairs.push((key.to_owned(), value.expose().to_owned()));
        }
        Body::Multipart(parts) => {
            if parts.iter().any(|part| part.name == key) {
                return Err(conflict());
            }
            parts.push(MultipartPart {
                name: key.to_owned(),
                file_name: None,
                content_type: None,
                bytes: value.expose().as_bytes().to_vec(),
            });
        }
        Body::Raw { .. } => {
            return Err(ConnectionError::BodyNotForm {
                link_name: link_name.into(),
                key: key.into(),
            })
        }
    }
    Ok(())
}
