//! Removing secrets from recorded exchanges before they are written.
//!
//! Two rules: values whose *name* says they are secret (the `Authorization`, `Cookie` and
//! `Set-Cookie` headers, parameters and JSON keys such as `access_token`, `client_secret`,
//! `api_key`, `password`), and every occurrence of a *known secret*: the header values and
//! parameters a connection added while signing a request. Both become `<redacted>`.

use std::collections::BTreeMap;

use crate::testing::cassette::{Exchange, RecordedBody};

/// What a secret is replaced with.
pub const REDACTED: &str = "<redacted>";

/// Known secrets shorter than this are not searched for in text (too many false hits).
const MIN_SECRET_LEN: usize = 6;

/// True when a header, parameter or JSON key called `name` holds a secret.
pub fn is_secret_name(name: &str) -> bool {
    let key: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    const EXACT: [&str; 12] = [
        "authorization",
        "proxyauthorization",
        "cookie",
        "setcookie",
        "key",
        "apikey",
        "xapikey",
        "signature",
        "sig",
        "sessionid",
        "passwd",
        "oauthverifier",
    ];
    EXACT.contains(&key.as_str())
        || ["token", "secret", "password", "apikey"]
            .iter()
            .any(|part| key.contains(part))
}

/// Secret values to remove wherever they appear.
#[derive(Clone, Debug, Default)]
pub struct Secrets(Vec<String>);

impl Secrets {
    /// No known secrets (names still decide).
    pub fn none() -> Secrets {
        Secrets::default()
    }

    /// Adds `value`, and the credential inside it: the last word of `Scheme credential`
    /// (`Bearer abc` adds `abc`), or each quoted value (`OAuth oauth_signature="..."`).
    pub fn add(&mut self, value: &str) {
        let quoted: Vec<&str> = value.split('"').skip(1).step_by(2).collect();
        let inner: Vec<&str> = if !quoted.is_empty() {
            quoted
        } else {
            value.rsplit(' ').next().into_iter().collect()
        };
        for word in std::iter::once(value).chain(inner) {
            let word = word.trim();
            if word.len() >= MIN_SECRET_LEN && !self.0.iter().any(|s| s == word) {
                self.0.push(word.to_owned());
            }
        }
        self.0.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    /// `text` with every known secret (also percent-encoded) replaced.
    pub fn scrub_text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.0 {
            out = out.replace(secret.as_str(), REDACTED);
            let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
            if encoded != *secret {
                out = out.replace(encoded.as_str(), REDACTED);
            }
        }
        out
    }

    fn scrub_value(&self, name: &str, value: &str) -> String {
        if is_secret_name(name) {
            REDACTED.to_owned()
        } else {
            self.scrub_text(value)
        }
    }
}

/// Scrubs a whole exchange: URL, headers and bodies of request and response, and the error.
pub fn scrub_exchange(exchange: &mut Exchange, secrets: &Secrets) {
    exchange.request.url = scrub_url(&exchange.request.url, secrets);
    scrub_headers(&mut exchange.request.headers, secrets);
    scrub_body(&mut exchange.request.body, secrets);
    if let Some(response) = &mut exchange.response {
        scrub_headers(&mut response.headers, secrets);
        scrub_body(&mut response.body, secrets);
    }
    if let Some(error) = &mut exchange.error {
        *error = secrets.scrub_text(error);
    }
}

/// The URL with secret query parameters and known secrets replaced (`<redacted>` is written
/// as is, for readability).
pub fn scrub_url(url: &str, secrets: &Secrets) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return secrets.scrub_text(url);
    };
    if parsed.query().is_some() {
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(n, v)| {
                let value = secrets.scrub_value(&n, &v);
                (n.into_owned(), value)
            })
            .collect();
        parsed.query_pairs_mut().clear().extend_pairs(pairs);
    }
    secrets
        .scrub_text(parsed.as_str())
        .replace("%3Credacted%3E", REDACTED)
}

fn scrub_headers(headers: &mut BTreeMap<String, String>, secrets: &Secrets) {
    for (name, value) in headers.iter_mut() {
        *value = secrets.scrub_value(name, value);
    }
}

fn scrub_body(body: &mut RecordedBody, secrets: &Secrets) {
    if let Some(json) = &mut body.json {
        scrub_json(json, secrets);
    }
    if let Some(form) = &mut body.form {
        for (name, value) in form.iter_mut() {
            *value = secrets.scrub_value(name, value);
        }
    }
    if let Some(text) = &mut body.text {
        *text = scrub_form_text(text, secrets);
    }
}

/// A text body: form-encoded secrets by name, then known secrets anywhere.
fn scrub_form_text(text: &str, secrets: &Secrets) -> String {
    let looks_like_form = !text.contains(char::is_whitespace) && text.contains('=');
    if !looks_like_form {
        return secrets.scrub_text(text);
    }
    text.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_secret_name(name) => format!("{name}={REDACTED}"),
            _ => secrets.scrub_text(pair),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Replaces values under secret keys, and known secrets inside strings, recursively.
pub fn scrub_json(json: &mut serde_json::Value, secrets: &Secrets) {
    match json {
        serde_json::Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if is_secret_name(key) && !value.is_object() && !value.is_array() {
                    *value = serde_json::Value::String(REDACTED.to_owned());
                } else {
                    scrub_json(value, secrets);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| scrub_json(v, secrets)),
        serde_json::Value::String(text) => *text = secrets.scrub_text(text),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_are_recognised_in_any_spelling() {
        for name in [
            "Authorization",
            "access_token",
            "client-secret",
            "X-API-Key",
            "Set-Cookie",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in ["page", "email", "Content-Type", "id"] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn the_credential_inside_a_header_value_is_a_secret_but_not_its_scheme() {
        let mut secrets = Secrets::none();
        secrets.add("Bearer tok-123456");
        secrets.add(r#"OAuth oauth_consumer_key="ck-99887766", oauth_signature="c2lnbmF0dXJl""#);
        assert_eq!(
            secrets.scrub_text("Bearer: tok-123456 / ck-99887766 / c2lnbmF0dXJl / oauth_signature"),
            "Bearer: <redacted> / <redacted> / <redacted> / oauth_signature"
        );
    }

    #[test]
    fn urls_lose_secret_parameters_and_known_secrets() {
        let mut secrets = Secrets::none();
        secrets.add("Bearer canary-123456");
        let url = "https://api.example.com/v1/canary-123456/x?page=2&access_token=abc";
        assert_eq!(
            scrub_url(url, &secrets),
            "https://api.example.com/v1/<redacted>/x?page=2&access_token=<redacted>"
        );
    }

    #[test]
    fn json_values_under_secret_keys_and_known_secrets_in_strings_go() {
        let mut secrets = Secrets::none();
        secrets.add("canary-123456");
        let mut json = serde_json::json!({
            "access_token": "t", "headers": {"Authorization": "Bearer x"},
            "echo": "key is canary-123456", "n": 1
        });
        scrub_json(&mut json, &secrets);
        assert_eq!(
            json,
            serde_json::json!({
                "access_token": "<redacted>", "headers": {"Authorization": "<redacted>"},
                "echo": "key is <redacted>", "n": 1
            })
        );
    }
}
