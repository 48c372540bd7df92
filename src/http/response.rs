//! An HTTP response and its conversion to the value a script receives (language.md §7.3).
//!
//! - `response-format: FILE`, or a binary content type (`image/*`, `application/pdf`, ...)
//!   gives a FILE;
//! - a JSON body (by content type, or a body that starts with `{` or `[`) gives a KEY-VALUE
//!   or LIST; a body that fails to parse stays TEXT;
//! - anything else is TEXT, decoded with `response-decoding`, else the charset the server
//!   declared, else UTF-8.
//! - `detailed: true` wraps the above in `{responseCode, responseHeader, responseText}`.

use std::rc::Rc;

use encoding_rs::Encoding;
use url::Url;

use crate::eval::value::{FileValue, Map, MapData, Value};

/// One response, whatever its status. `Debug` shows the status and sizes only: bodies and
/// headers may hold tokens.
///
/// ```
/// use deluge_lang::http::HttpResponse;
///
/// let response = HttpResponse {
///     status: 200,
///     headers: vec![("set-cookie".into(), "session=s-123".into())],
///     body: br#"{"token":"t-456"}"#.to_vec(),
///     url: "https://example.com/login".parse().unwrap(),
/// };
/// assert_eq!(format!("{response:?}"), "HttpResponse(200, 1 headers, 17 bytes)");
/// ```
#[derive(Clone)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Headers in order, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body (empty for HEAD).
    pub body: Vec<u8>,
    /// The URL that produced this response (after redirects).
    pub url: Url,
}

/// Shows status and size only: bodies and headers may hold tokens.
impl std::fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "HttpResponse({}, {} headers, {} bytes)",
            self.status,
            self.headers.len(),
            self.body.len()
        )
    }
}

impl HttpResponse {
    /// The first header called `name` (any case).
    ///
    /// ```
    /// use deluge_lang::http::HttpResponse;
    ///
    /// let response = HttpResponse {
    ///     status: 200,
    ///     headers: vec![("etag".into(), "\"v1\"".into())],
    ///     body: Vec::new(),
    ///     url: "https://example.com/".parse().unwrap(),
    /// };
    /// assert_eq!(response.header("ETag"), Some("\"v1\""));
    /// assert_eq!(response.header("Location"), None);
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The media type without parameters, in lower case: `application/json`.
    ///
    /// ```
    /// use deluge_lang::http::HttpResponse;
    ///
    /// let response = HttpResponse {
    ///     status: 200,
    ///     headers: vec![("content-type".into(), "Application/JSON; charset=utf-8".into())],
    ///     body: Vec::new(),
    ///     url: "https://example.com/".parse().unwrap(),
    /// };
    /// assert_eq!(response.media_type().as_deref(), Some("application/json"));
    /// ```
    pub fn media_type(&self) -> Option<String> {
        self.header("content-type").map(|value| {
            value
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
    }

    /// The `charset` parameter of the content type, if any.
    ///
    /// ```
    /// use deluge_lang::http::HttpResponse;
    ///
    /// let response = HttpResponse {
    ///     status: 200,
    ///     headers: vec![("content-type".into(), "text/plain; charset=\"ISO-8859-1\"".into())],
    ///     body: Vec::new(),
    ///     url: "https://example.com/".parse().unwrap(),
    /// };
    /// assert_eq!(response.declared_charset(), Some("ISO-8859-1"));
    /// ```
    pub fn declared_charset(&self) -> Option<&str> {
        let content_type = self.header("content-type")?;
        content_type.split(';').skip(1).find_map(|param| {
            let (name, value) = param.split_once('=')?;
            name.trim()
                .eq_ignore_ascii_case("charset")
                .then(|| value.trim().trim_matches('"'))
        })
    }

    /// True for 3xx statuses that point somewhere else.
    ///
    /// ```
    /// use deluge_lang::http::HttpResponse;
    ///
    /// let status = |status| HttpResponse {
    ///     status,
    ///     headers: Vec::new(),
    ///     body: Vec::new(),
    ///     url: "https://example.com/".parse().unwrap(),
    /// };
    /// assert!(status(307).is_redirect());
    /// assert!(!status(304).is_redirect());
    /// ```
    pub fn is_redirect(&self) -> bool {
        matches!(self.status, 301 | 302 | 303 | 307 | 308)
    }
}

/// What `response-format` asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ResponseFormat {
    /// By content type and body shape.
    #[default]
    Auto,
    /// Always TEXT, never parsed as JSON.
    Text,
    /// Always a FILE.
    File,
    /// Always parsed as JSON; a body that is not JSON is an error.
    Json,
}

impl ResponseFormat {
    /// Parses `FILE`, `TEXT` or `JSON` (any case).
    pub fn parse(name: &str) -> Option<ResponseFormat> {
        match name.trim().to_ascii_uppercase().as_str() {
            "FILE" => Some(ResponseFormat::File),
            "TEXT" | "STRING" => Some(ResponseFormat::Text),
            "JSON" => Some(ResponseFormat::Json),
            _ => None,
        }
    }
}

/// How to turn a body into a value.
#[derive(Clone, Copy, Debug)]
pub struct DecodeOptions {
    /// `response-format`.
    pub format: ResponseFormat,
    /// `response-decoding`, already resolved to an encoding.
    pub charset: Option<&'static Encoding>,
    /// The largest TEXT allowed (Limits::max_text_bytes).
    pub max_text_bytes: usize,
}

/// Resolves a charset label (`UTF-8`, `ISO-8859-1`, `latin1`, `Shift_JIS`, ...).
pub fn encoding_for(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// The value a non-detailed `invokeurl` returns.
pub fn body_value(response: &HttpResponse, options: &DecodeOptions) -> Result<Value, String> {
    let format = match options.format {
        ResponseFormat::Auto if is_binary(response) => ResponseFormat::File,
        other => other,
    };
    match format {
        ResponseFormat::File => Ok(file_value(response, options)),
        ResponseFormat::Text => Ok(Value::text(decode_text(response, options)?)),
        ResponseFormat::Json => {
            let text = decode_text(response, options)?;
            crate::eval::json::parse(&text).map_err(|error| {
                format!(
                    "the response is not valid JSON (response-format: JSON): {error}; \
                     it starts with: {}",
                    preview(&text)
                )
            })
        }
        ResponseFormat::Auto => {
            let text = decode_text(response, options)?;
            if looks_like_json(response, &text) {
                if let Ok(value) = crate::eval::json::parse(&text) {
                    return Ok(value);
                }
            }
            Ok(Value::text(text))
        }
    }
}

/// The `detailed: true` value: `{responseCode, responseHeader, responseText}`.
pub fn detailed_value(response: &HttpResponse, body: Value) -> Value {
    let mut map = MapData::with_capacity_and_hasher(3, Default::default());
    map.insert(
        Value::text("responseCode"),
        Value::Number(i64::from(response.status)),
    );
    map.insert(Value::text("responseHeader"), header_map(response));
    map.insert(Value::text("responseText"), body);
    Value::Map(Map::from_data(map))
}

/// Response headers as a KEY-VALUE with lower-case names; repeated headers are joined by `, `.
pub fn header_map(response: &HttpResponse) -> Value {
    let mut map = MapData::with_capacity_and_hasher(response.headers.len(), Default::default());
    for (name, value) in &response.headers {
        let key = Value::text(name.to_ascii_lowercase());
        match map.get_mut(&key) {
            Some(Value::Text(existing)) => {
                let joined = existing.make_mut();
                joined.push_str(", ");
                joined.push_str(value);
            }
            _ => {
                map.insert(key, Value::text(value.clone()));
            }
        }
    }
    Value::Map(Map::from_data(map))
}

/// Decodes the body to text with the requested, declared or default (UTF-8) charset.
pub fn decode_text(response: &HttpResponse, options: &DecodeOptions) -> Result<String, String> {
    let encoding = options
        .charset
        .or_else(|| response.declared_charset().and_then(encoding_for))
        .unwrap_or(encoding_rs::UTF_8);
    let (text, _, _) = encoding.decode(&response.body);
    if text.len() > options.max_text_bytes {
        return Err(format!(
            "the response text is {} bytes, more than the largest TEXT allowed ({} bytes)",
            text.len(),
            options.max_text_bytes
        ));
    }
    Ok(text.into_owned())
}

fn looks_like_json(response: &HttpResponse, text: &str) -> bool {
    let by_type = response
        .media_type()
        .is_some_and(|media| media == "application/json" || media.ends_with("+json"));
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    by_type || trimmed.starts_with('{') || trimmed.starts_with('[')
}

/// True when the content type says the body is not text: images, PDF, archives, octet streams.
/// Without a content type, a body that is not valid UTF-8 counts as binary.
fn is_binary(response: &HttpResponse) -> bool {
    match response.media_type() {
        Some(media) if !media.is_empty() => !is_textual_media(&media),
        _ => std::str::from_utf8(&response.body).is_err(),
    }
}

fn is_textual_media(media: &str) -> bool {
    const TEXTUAL_APPLICATION: [&str; 8] = [
        "application/json",
        "application/xml",
        "application/javascript",
        "application/ecmascript",
        "application/x-www-form-urlencoded",
        "application/x-ndjson",
        "application/yaml",
        "application/graphql",
    ];
    media.starts_with("text/")
        || media.ends_with("+json")
        || media.ends_with("+xml")
        || TEXTUAL_APPLICATION.contains(&media)
}

fn file_value(response: &HttpResponse, options: &DecodeOptions) -> Value {
    let charset = options
        .charset
        .map(|encoding| encoding.name().to_owned())
        .or_else(|| response.declared_charset().map(str::to_owned));
    Value::File(Rc::new(FileValue {
        name: file_name(response),
        content_type: response.header("content-type").map(str::to_owned),
        charset,
        bytes: response.body.clone(),
        ..FileValue::default()
    }))
}

/// The file name from `Content-Disposition`, else the last segment of the URL path, else
/// `response`.
fn file_name(response: &HttpResponse) -> String {
    response
        .header("content-disposition")
        .and_then(disposition_file_name)
        .or_else(|| {
            response
                .url
                .path_segments()
                .and_then(|mut segments| segments.next_back())
                .filter(|segment| !segment.is_empty())
                .map(|segment| {
                    percent_encoding::percent_decode_str(segment)
                        .decode_utf8_lossy()
                        .into_owned()
                })
        })
        .unwrap_or_else(|| "response".to_owned())
}

/// `attachment; filename="a.pdf"` or `filename*=UTF-8''a%20b.pdf` (the latter preferred).
fn disposition_file_name(value: &str) -> Option<String> {
    let mut plain = None;
    for param in value.split(';').skip(1) {
        let Some((name, raw)) = param.split_once('=') else {
            continue;
        };
        let name = name.trim().to_ascii_lowercase();
        let raw = raw.trim();
        if name == "filename*" {
            let encoded = raw.rsplit('\'').next().unwrap_or(raw);
            return Some(
                percent_encoding::percent_decode_str(encoded)
                    .decode_utf8_lossy()
                    .into_owned(),
            );
        }
        if name == "filename" {
            plain = Some(raw.trim_matches('"').to_owned());
        }
    }
    plain.filter(|name| !name.is_empty()).map(|name| {
        name.rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .to_owned()
    })
}

fn preview(text: &str) -> String {
    let mut shown: String = text.chars().take(60).collect();
    if shown.len() < text.len() {
        shown.push_str("...");
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::render::display;

    fn response(content_type: Option<&str>, body: &[u8]) -> HttpResponse {
        HttpResponse {
            status: 200,
            headers: content_type
                .map(|value| vec![("content-type".to_owned(), value.to_owned())])
                .unwrap_or_default(),
            body: body.to_vec(),
            url: Url::parse("http://127.0.0.1/files/report%201.pdf").unwrap(),
        }
    }

    fn options() -> DecodeOptions {
        DecodeOptions {
            format: ResponseFormat::Auto,
            charset: None,
            max_text_bytes: 1 << 20,
        }
    }

    #[test]
    fn json_by_shape_becomes_a_map() {
        let value = body_value(&response(Some("text/plain"), b" {\"a\":1}"), &options()).unwrap();
        assert!(matches!(value, Value::Map(_)));
        assert_eq!(display(&value), "{\"a\":1}");
    }

    #[test]
    fn broken_json_stays_text() {
        let value = body_value(&response(Some("application/json"), b"{oops"), &options());
        assert_eq!(value.unwrap().as_text(), Some("{oops"));
    }

    #[test]
    fn text_format_skips_json_parsing() {
        let opts = DecodeOptions {
            format: ResponseFormat::Text,
            ..options()
        };
        let value = body_value(&response(None, b"[1,2]"), &opts).unwrap();
        assert_eq!(value.as_text(), Some("[1,2]"));
    }

    #[test]
    fn json_format_reports_non_json() {
        let opts = DecodeOptions {
            format: ResponseFormat::Json,
            ..options()
        };
        let error = body_value(&response(None, b"{oops"), &opts).unwrap_err();
        assert!(error.contains("not valid JSON"), "{error}");
    }

    #[test]
    fn binary_content_types_become_files_named_after_the_url() {
        let value = body_value(&response(Some("application/pdf"), b"%PDF"), &options()).unwrap();
        let Value::File(file) = value else {
            panic!("expected a file")
        };
        assert_eq!(file.name, "report 1.pdf");
        assert_eq!(file.bytes, b"%PDF");
    }

    #[test]
    fn content_disposition_names_the_file() {
        assert_eq!(
            disposition_file_name("attachment; filename=\"../x/a.txt\"").as_deref(),
            Some("a.txt")
        );
        assert_eq!(
            disposition_file_name("attachment; filename=a; filename*=UTF-8''b%20c.txt").as_deref(),
            Some("b c.txt")
        );
    }

    #[test]
    fn declared_and_requested_charsets_decode_latin1() {
        let latin1 = response(Some("text/plain; charset=ISO-8859-1"), b"caf\xe9");
        assert_eq!(decode_text(&latin1, &options()).unwrap(), "café");
        let undeclared = response(Some("text/plain"), b"caf\xe9");
        let opts = DecodeOptions {
            charset: encoding_for("ISO-8859-1"),
            ..options()
        };
        assert_eq!(decode_text(&undeclared, &opts).unwrap(), "café");
    }

    #[test]
    fn text_over_the_limit_is_an_error() {
        let opts = DecodeOptions {
            max_text_bytes: 2,
            ..options()
        };
        let error = decode_text(&response(None, b"abc"), &opts).unwrap_err();
        assert!(error.contains("largest TEXT"), "{error}");
    }

    #[test]
    fn detailed_has_lower_case_headers_joined() {
        let mut reply = response(Some("text/plain"), b"ok");
        reply.headers.push(("Set-Cookie".into(), "a=1".into()));
        reply.headers.push(("set-cookie".into(), "b=2".into()));
        let value = detailed_value(&reply, Value::text("ok"));
        assert_eq!(
            display(&value),
            r#"{"responseCode":200,"responseHeader":{"content-type":"text/plain","set-cookie":"a=1, b=2"},"responseText":"ok"}"#
        );
    }
}
