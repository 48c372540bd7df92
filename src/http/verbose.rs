//! What the `debug` log records of HTTP exchanges, redirects and credential renewals say (the
//! lines `dlg --verbose` prints), for users debugging API calls. The library logs through the
//! `log` facade; a program sees the records once it installs a logger (see docs/api.md).
//!
//! Records never carry secrets. Query values and headers that a connection added, and those
//! whose names look secret-bearing (`authorization`, `api_key`, `access_token`, ...), print as
//! `<redacted>`; user names and passwords in URLs are redacted; bodies are described by size
//! and field names only.

use std::time::Duration;

use url::Url;

use super::request::{Body, HttpRequest};

/// What a hidden value prints as.
pub const REDACTED: &str = "<redacted>";

/// Longest header value shown before it is cut.
const MAX_SHOWN_VALUE: usize = 120;

/// Whether a query parameter, form field or header name looks like it carries a secret.
pub fn is_secret_name(name: &str) -> bool {
    const WORDS: [&str; 13] = [
        "auth",
        "key",
        "token",
        "secret",
        "passw",
        "pwd",
        "sig",
        "session",
        "cookie",
        "credential",
        "code",
        "ticket",
        "bearer",
    ];
    let lower = name.to_ascii_lowercase();
    WORDS.iter().any(|word| lower.contains(word))
}

/// The lines describing a request about to be sent: `METHOD URL`, its headers and its body.
/// `unsigned` is the request as the script built it, `signed` what goes on the wire: anything
/// the connection added or changed is redacted.
pub fn describe_request(unsigned: &HttpRequest, signed: &HttpRequest) -> Vec<String> {
    let added = added_query_names(&unsigned.url, &signed.url);
    let mut lines = vec![format!(
        "http: {} {}",
        signed.method.as_str(),
        redacted_url(&signed.url, &added)
    )];
    if !signed.headers.is_empty() {
        let headers: Vec<String> = signed
            .headers
            .iter()
            .map(|(name, value)| {
                let from_script = unsigned
                    .headers
                    .iter()
                    .any(|(n, v)| n.eq_ignore_ascii_case(name) && v == value);
                if from_script && !is_secret_name(name) {
                    format!("{name}: {}", shorten(value))
                } else {
                    format!("{name}: {REDACTED}")
                }
            })
            .collect();
        lines.push(format!("http:   headers: {}", headers.join(", ")));
    }
    if let Some(body) = describe_body(&signed.body) {
        lines.push(format!("http:   body: {body}"));
    }
    lines
}

/// `200 from host:port in 12 ms, 345 bytes`.
pub fn describe_response(status: u16, host: &str, took: Duration, bytes: usize) -> String {
    format!(
        "http: {status} from {host} in {} ms, {bytes} bytes",
        took.as_millis()
    )
}

/// `url` with user name and password, fragment and the values of secret-looking query
/// parameters (and of `also_secret`) replaced by `<redacted>`. Other parameters are kept as
/// they are on the wire.
pub fn redacted_url(url: &Url, also_secret: &[String]) -> String {
    let mut text = format!("{}://", url.scheme());
    if !url.username().is_empty() || url.password().is_some() {
        text.push_str(REDACTED);
        text.push('@');
    }
    text.push_str(url.host_str().unwrap_or(""));
    if let Some(port) = url.port() {
        text.push_str(&format!(":{port}"));
    }
    text.push_str(url.path());
    if let Some(query) = url.query() {
        text.push('?');
        text.push_str(&redacted_query(query, also_secret));
    }
    text
}

fn redacted_query(query: &str, also_secret: &[String]) -> String {
    query
        .split('&')
        .map(|pair| {
            let (raw_name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = decoded(raw_name);
            let hidden = is_secret_name(&name) || also_secret.contains(&name);
            if hidden && !value.is_empty() {
                format!("{raw_name}={REDACTED}")
            } else {
                pair.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn decoded(raw: &str) -> String {
    url::form_urlencoded::parse(raw.as_bytes())
        .next()
        .map(|(name, _)| name.into_owned())
        .unwrap_or_default()
}

/// Names of the query parameters present in `signed` but not (with that value) in `unsigned`.
fn added_query_names(unsigned: &Url, signed: &Url) -> Vec<String> {
    let before: Vec<(String, String)> = unsigned.query_pairs().into_owned().collect();
    signed
        .query_pairs()
        .into_owned()
        .filter(|pair| !before.contains(pair))
        .map(|(name, _)| name)
        .collect()
}

fn describe_body(body: &Body) -> Option<String> {
    match body {
        Body::Empty => None,
        Body::Raw { bytes, .. } => Some(format!("{} bytes", bytes.len())),
        Body::Form(pairs) => Some(format!(
            "form fields {}",
            pairs
                .iter()
                .map(|(name, _)| name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Body::Multipart(parts) => Some(format!(
            "multipart parts {}",
            parts
                .iter()
                .map(|part| part.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn shorten(value: &str) -> String {
    if value.chars().count() <= MAX_SHOWN_VALUE {
        return value.to_owned();
    }
    let cut: String = value.chars().take(MAX_SHOWN_VALUE).collect();
    format!("{cut}...")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::request::Method;

    fn request(url: &str, headers: &[(&str, &str)]) -> HttpRequest {
        let mut request = HttpRequest::new(Method::Get, Url::parse(url).unwrap());
        for (name, value) in headers {
            request.set_header(name, *value);
        }
        request
    }

    #[test]
    fn secret_query_values_and_user_info_are_redacted() {
        let url = Url::parse("https://ana:pw@api.example.com:8443/v1/x?q=shoes&api_key=K1&n=2#f")
            .unwrap();
        assert_eq!(
            redacted_url(&url, &[]),
            "https://<redacted>@api.example.com:8443/v1/x?q=shoes&api_key=<redacted>&n=2"
        );
        let url = Url::parse("http://h/x?custom=V&q=1").unwrap();
        assert_eq!(
            redacted_url(&url, &["custom".to_owned()]),
            "http://h/x?custom=<redacted>&q=1"
        );
    }

    #[test]
    fn what_a_connection_adds_is_redacted_even_under_a_harmless_name() {
        let unsigned = request("http://h/x?q=1", &[("Accept", "application/json")]);
        let signed = request(
            "http://h/x?q=1&plain=CANARY",
            &[("Accept", "application/json"), ("X-Plain", "CANARY")],
        );
        let lines = describe_request(&unsigned, &signed).join("\n");
        assert!(!lines.contains("CANARY"), "{lines}");
        assert!(
            lines.contains("http: GET http://h/x?q=1&plain=<redacted>"),
            "{lines}"
        );
        assert!(
            lines.contains("headers: Accept: application/json, X-Plain: <redacted>"),
            "{lines}"
        );
    }

    #[test]
    fn secret_looking_headers_set_by_the_script_are_redacted() {
        let unsigned = request(
            "http://h/x",
            &[("Authorization", "Bearer T"), ("X-Session-Id", "S")],
        );
        let lines = describe_request(&unsigned, &unsigned).join("\n");
        assert!(lines.contains("Authorization: <redacted>, X-Session-Id: <redacted>"));
    }

    #[test]
    fn bodies_show_size_or_field_names_only() {
        assert_eq!(
            describe_body(&Body::Form(vec![("password".into(), "pw".into())])),
            Some("form fields password".into())
        );
        assert_eq!(
            describe_body(&Body::Raw {
                bytes: b"secret".to_vec(),
                content_type: None
            }),
            Some("6 bytes".into())
        );
    }
}
