//! The structured log on standard error: one logfmt line per request and per server event
//! (`ts=... level=info msg=request method=POST path=/functions/f/execute status=200 ...`).
//! Keys never appear: the `zapikey` query parameter is redacted and only the key's name is
//! logged.

use std::fmt::Write as _;
use std::io::Write as _;

/// One finished request.
pub struct RequestLine<'a> {
    /// The request id (also the response's `details.id`).
    pub id: &'a str,
    /// HTTP method.
    pub method: &'a str,
    /// Path without the query.
    pub path: &'a str,
    /// The query, `zapikey` redacted by [`redact_query`].
    pub query: Option<&'a str>,
    /// Response status.
    pub status: u16,
    /// The function called, when known.
    pub function: Option<&'a str>,
    /// The name of the API key used, when one was.
    pub key: Option<&'a str>,
    /// Time from the request to the response, in milliseconds.
    pub millis: f64,
}

/// Writes the access line of one request.
pub fn request(line: &RequestLine<'_>) {
    let status = line.status.to_string();
    let millis = format!("{:.3}", line.millis);
    let mut fields: Vec<(&str, &str)> = vec![
        ("id", line.id),
        ("method", line.method),
        ("path", line.path),
    ];
    if let Some(query) = line.query {
        fields.push(("query", query));
    }
    fields.push(("status", &status));
    if let Some(function) = line.function {
        fields.push(("function", function));
    }
    if let Some(key) = line.key {
        fields.push(("key", key));
    }
    fields.push(("duration_ms", &millis));
    event("info", "request", &fields);
}

/// Writes one event line: `ts`, `level`, `msg`, then `fields` in order.
pub fn event(level: &str, msg: &str, fields: &[(&str, &str)]) {
    let mut line = format!(
        "ts={} level={level} msg={}",
        jiff::Timestamp::now(),
        quote(msg)
    );
    for (key, value) in fields {
        let _ = write!(line, " {key}={}", quote(value));
    }
    line.push('\n');
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// `query` with the value of every `zapikey` parameter replaced by `REDACTED`.
pub fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if name.eq_ignore_ascii_case("zapikey") => {
                format!("{name}=REDACTED")
            }
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A logfmt value: bare when it has no space, quote, `=` or control character, else quoted.
fn quote(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && c != '"' && c != '=');
    if plain {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zapikey_is_redacted_whatever_its_case() {
        assert_eq!(
            redact_query("a=1&zapikey=dlg_secret&ZAPIKEY=x"),
            "a=1&zapikey=REDACTED&ZAPIKEY=REDACTED"
        );
    }

    #[test]
    fn values_with_spaces_are_quoted() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("two words"), "\"two words\"");
        assert_eq!(quote("a\"b\n"), "\"a\\\"b\\n\"");
        assert_eq!(quote(""), "\"\"");
    }
}
