//! The keys of an `invokeurl` task, checked and typed (language.md §7.1, §7.2).
//!
//! Keys are matched case-insensitively, and `content type`, `content_type` and `content-type`
//! are the same key. Each key may be given once. Bare constants such as `GET` or `FILE` arrive
//! as TEXT.

use std::rc::Rc;

use encoding_rs::Encoding;
use url::Url;

use super::request::Method;
use super::response::{encoding_for, ResponseFormat};
use crate::eval::render::display;
use crate::eval::value::{CollectionData, FileValue, Value};

/// Every key `invokeurl` accepts, in the order messages list them.
pub const KEYS: [&str; 11] = [
    "url",
    "type",
    "parameters",
    "body",
    "headers",
    "content-type",
    "files",
    "connection",
    "detailed",
    "response-format",
    "response-decoding",
];

/// A checked `invokeurl` task.
#[derive(Default)]
pub struct InvokeSpec {
    /// `url`
    pub url: Option<Url>,
    /// `type`, default GET.
    pub method: Option<Method>,
    /// `parameters`: TEXT, FILE or KEY-VALUE.
    pub parameters: Value,
    /// `body`: the raw payload.
    pub body: Value,
    /// `headers`, in order, null values left out.
    pub headers: Vec<(String, String)>,
    /// `content-type`
    pub content_type: Option<String>,
    /// `files`
    pub files: Vec<Rc<FileValue>>,
    /// `connection` link name.
    pub connection: Option<String>,
    /// `detailed`
    pub detailed: bool,
    /// `response-format`
    pub format: ResponseFormat,
    /// `response-decoding`
    pub charset: Option<&'static Encoding>,
}

/// Shows the method and host only: URLs, headers and bodies may hold credentials.
impl std::fmt::Debug for InvokeSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let host = self
            .url
            .as_ref()
            .map_or_else(String::new, super::request::host_port);
        write!(
            f,
            "InvokeSpec({} {host})",
            self.method.unwrap_or(Method::Get).as_str()
        )
    }
}

impl InvokeSpec {
    /// Checks every key and value. Errors name the key and what it expects.
    pub fn parse<K: AsRef<str>>(params: &[(K, Value)]) -> Result<InvokeSpec, String> {
        let mut spec = InvokeSpec::default();
        let mut seen: Vec<&'static str> = Vec::with_capacity(params.len());
        for (raw_key, value) in params {
            let key = canonical_key(raw_key.as_ref())?;
            if seen.contains(&key) {
                return Err(format!(
                    "invokeurl: the key '{key}' is given more than once"
                ));
            }
            seen.push(key);
            spec.set(key, value)?;
        }
        if spec.url.is_none() {
            return Err("invokeurl: the 'url' key is missing; add url: \"https://...\"".into());
        }
        Ok(spec)
    }

    fn set(&mut self, key: &'static str, value: &Value) -> Result<(), String> {
        match key {
            "url" => self.url = Some(parse_url(&text_of(key, value)?)?),
            "type" => self.method = Some(parse_method(value)?),
            "parameters" => self.parameters = value.clone(),
            "body" => self.body = value.clone(),
            "headers" => self.headers = header_pairs(value)?,
            "content-type" => self.content_type = optional_text(key, value)?,
            "files" => self.files = files_of(value)?,
            "connection" => self.connection = optional_text(key, value)?,
            "detailed" => self.detailed = boolean(key, value)?,
            "response-format" => self.format = parse_format(value)?,
            _ => self.charset = parse_charset(value)?,
        }
        Ok(())
    }
}

/// The canonical spelling of a key: lower case, `-` between words.
fn canonical_key(raw: &str) -> Result<&'static str, String> {
    let normal: String = raw
        .trim()
        .chars()
        .map(|c| match c {
            ' ' | '_' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    KEYS.iter()
        .find(|key| **key == normal)
        .copied()
        .ok_or_else(|| {
            format!(
                "invokeurl: unknown key '{raw}'; the keys are {}",
                KEYS.join(", ")
            )
        })
}

fn text_of(key: &str, value: &Value) -> Result<String, String> {
    match value {
        Value::Text(text) => Ok(text.as_str().to_owned()),
        Value::Null => Err(format!("invokeurl: '{key}' is empty (null)")),
        other => Err(format!(
            "invokeurl: '{key}' must be TEXT, not {}",
            other.value_type()
        )),
    }
}

fn optional_text(key: &str, value: &Value) -> Result<Option<String>, String> {
    match value {
        Value::Null => Ok(None),
        Value::Text(text) if text.trim().is_empty() => Ok(None),
        other => text_of(key, other).map(Some),
    }
}

fn boolean(key: &str, value: &Value) -> Result<bool, String> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(false),
        Value::Text(text) if text.trim().eq_ignore_ascii_case("true") => Ok(true),
        Value::Text(text) if text.trim().eq_ignore_ascii_case("false") => Ok(false),
        other => Err(format!(
            "invokeurl: '{key}' must be true or false, not {}",
            other.value_type()
        )),
    }
}

/// Parses an absolute http(s) URL. Messages show the URL up to its query only: queries often
/// hold API keys.
pub fn parse_url(text: &str) -> Result<Url, String> {
    let shown = &shown_url(text);
    let url = Url::parse(text.trim()).map_err(|error| {
        format!("invokeurl: '{shown}' is not a valid URL ({error}); write it as https://host/path")
    })?;
    match url.scheme() {
        "http" | "https" if url.host_str().is_some_and(|host| !host.is_empty()) => Ok(url),
        "http" | "https" => Err(format!("invokeurl: the URL '{shown}' has no host")),
        scheme => Err(format!(
            "invokeurl: the URL '{shown}' uses '{scheme}:'; only http and https are supported"
        )),
    }
}

/// The URL as messages may show it: without query, fragment or `user:password@`.
fn shown_url(text: &str) -> String {
    let without_query = text.split(['?', '#']).next().unwrap_or_default().trim();
    let Some((scheme, rest)) = without_query.split_once("://") else {
        return without_query.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => without_query.to_owned(),
    }
}

fn parse_method(value: &Value) -> Result<Method, String> {
    let name = text_of("type", value)?;
    Method::parse(&name).ok_or_else(|| {
        format!("invokeurl: unknown type '{name}'; use GET, POST, PUT, PATCH, DELETE or HEAD")
    })
}

fn parse_format(value: &Value) -> Result<ResponseFormat, String> {
    let Some(name) = optional_text("response-format", value)? else {
        return Ok(ResponseFormat::Auto);
    };
    ResponseFormat::parse(&name).ok_or_else(|| {
        format!("invokeurl: unknown response-format '{name}'; use FILE, TEXT or JSON")
    })
}

fn parse_charset(value: &Value) -> Result<Option<&'static Encoding>, String> {
    let Some(label) = optional_text("response-decoding", value)? else {
        return Ok(None);
    };
    encoding_for(&label).map(Some).ok_or_else(|| {
        format!(
            "invokeurl: unknown response-decoding '{label}'; use a charset name such as \
             UTF-8, ISO-8859-1, windows-1252 or Shift_JIS"
        )
    })
}

fn header_pairs(value: &Value) -> Result<Vec<(String, String)>, String> {
    if value.is_null() {
        return Ok(Vec::new());
    }
    let entries = map_entries(value).ok_or_else(|| {
        format!(
            "invokeurl: 'headers' must be a KEY-VALUE such as {{\"Accept\": \"application/json\"}}, not {}",
            value.value_type()
        )
    })?;
    Ok(entries
        .into_iter()
        .filter(|(_, value)| !value.is_null())
        .map(|(name, value)| (display(&name), display(&value)))
        .collect())
}

fn files_of(value: &Value) -> Result<Vec<Rc<FileValue>>, String> {
    let wrong = |got: &Value| {
        format!(
            "invokeurl: 'files' must be a FILE or a LIST of FILE, not {}",
            got.value_type()
        )
    };
    match value {
        Value::Null => Ok(Vec::new()),
        Value::File(file) => Ok(vec![file.clone()]),
        Value::List(list) => list
            .borrow()
            .iter()
            .map(|item| match item {
                Value::File(file) => Ok(file.clone()),
                other => Err(wrong(other)),
            })
            .collect(),
        other => Err(wrong(other)),
    }
}

/// The entries of a KEY-VALUE (or a map-like COLLECTION), in order; `None` for other values.
pub fn map_entries(value: &Value) -> Option<Vec<(Value, Value)>> {
    match value {
        Value::Map(map) => Some(
            map.borrow()
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        Value::Collection(collection) => match &*collection.borrow() {
            CollectionData::Map(data) => {
                Some(data.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            }
            CollectionData::Empty => Some(Vec::new()),
            CollectionData::List(_) => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(key: &str, value: Value) -> (String, Value) {
        (key.to_owned(), value)
    }

    #[test]
    fn keys_are_case_and_separator_insensitive() {
        let spec = InvokeSpec::parse(&[
            param("URL", Value::text("http://127.0.0.1/x")),
            param("Content Type", Value::text("application/json")),
            param("response_decoding", Value::text("iso-8859-1")),
            param("type", Value::text("post")),
        ])
        .unwrap();
        assert_eq!(spec.content_type.as_deref(), Some("application/json"));
        assert_eq!(spec.method, Some(Method::Post));
        assert_eq!(spec.charset.map(|e| e.name()), Some("windows-1252"));
    }

    #[test]
    fn unknown_and_repeated_keys_are_errors() {
        let error = InvokeSpec::parse(&[param("uri", Value::text("x"))]).unwrap_err();
        assert!(error.starts_with("invokeurl: unknown key 'uri'; the keys are url, type"));
        let error = InvokeSpec::parse(&[
            param("url", Value::text("http://a/")),
            param("url", Value::text("http://b/")),
        ])
        .unwrap_err();
        assert_eq!(error, "invokeurl: the key 'url' is given more than once");
    }

    #[test]
    fn missing_url_is_an_error() {
        let error = InvokeSpec::parse(&[param("type", Value::text("GET"))]).unwrap_err();
        assert!(error.contains("'url' key is missing"));
    }

    #[test]
    fn bad_urls_are_explained_without_their_query() {
        let error = parse_url("example.com/x?apikey=SECRET").unwrap_err();
        assert!(
            error.contains("'example.com/x' is not a valid URL"),
            "{error}"
        );
        assert!(!error.contains("SECRET"));
        let error = parse_url("http://user:SECRET@ho st/x").unwrap_err();
        assert!(error.contains("'http://ho st/x'"), "{error}");
        assert!(!error.contains("SECRET"));
        let error = parse_url("ftp://h/x").unwrap_err();
        assert!(error.contains("only http and https"), "{error}");
    }

    #[test]
    fn bad_values_name_the_key_and_type() {
        let error = InvokeSpec::parse(&[
            param("url", Value::text("http://a/")),
            param("type", Value::text("TRACE")),
        ])
        .unwrap_err();
        assert!(error.contains("unknown type 'TRACE'"));
        let error = InvokeSpec::parse(&[
            param("url", Value::text("http://a/")),
            param("headers", Value::text("x")),
        ])
        .unwrap_err();
        assert!(error.contains("'headers' must be a KEY-VALUE"), "{error}");
        let error = InvokeSpec::parse(&[
            param("url", Value::text("http://a/")),
            param("files", Value::Number(1)),
        ])
        .unwrap_err();
        assert!(error.contains("'files' must be a FILE or a LIST of FILE, not NUMBER"));
        let error = InvokeSpec::parse(&[
            param("url", Value::text("http://a/")),
            param("response-decoding", Value::text("klingon")),
        ])
        .unwrap_err();
        assert!(error.contains("unknown response-decoding 'klingon'"));
        let error = InvokeSpec::parse(&[
            param("url", Value::text("http://a/")),
            param("detailed", Value::Number(1)),
        ])
        .unwrap_err();
        assert!(error.contains("'detailed' must be true or false"));
    }
}
