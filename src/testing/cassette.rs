//! The cassette file: recorded HTTP exchanges as readable JSON (see docs/testing.md).
//!
//! A test file's cassette sits beside it (`leads_test.dg` -> `leads_test.cassette.json`) and
//! keeps each test's exchanges under the test's name, in the order they were made; names are
//! sorted and header names are lower case and sorted, so re-recording gives small diffs. A
//! `dlg run --record` cassette keeps one list, `exchanges`. Bodies are stored as `json` (when
//! the body is JSON without fractional numbers, which would not survive a round trip), `form`,
//! `text` or `base64`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::connections::ConnectionInfo;
use crate::http::{Body, HttpRequest, HttpResponse};

/// The format version written and understood.
pub const CASSETTE_VERSION: u32 = 1;

/// A cassette file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cassette {
    /// The format version (1).
    pub version: u32,
    /// The connections the recorded requests were signed by, described without secrets (their
    /// service and API hosts), so Zoho tasks know where their product's API lives on replay.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub connections: BTreeMap<String, RecordedConnection>,
    /// A test file's cassette: each test's exchanges, by test name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tests: BTreeMap<String, Vec<Exchange>>,
    /// A script's cassette (`dlg run --record`): its exchanges in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exchanges: Vec<Exchange>,
}

/// What a replayed Zoho task needs to know about a connection (never a secret): the fields of
/// [`ConnectionInfo`] but its link name, which is the key in [`Cassette::connections`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedConnection {
    /// Its service's link name, e.g. `zoho_crm_eu` (the data centre when nothing else says).
    pub service: String,
    /// The `api_domain` its token came with, e.g. `https://www.zohoapis.eu`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_domain: Option<String>,
    /// The service's `--api-base` URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_base: Option<String>,
}

impl RecordedConnection {
    /// The recorded form of `info`.
    pub fn from_info(info: &ConnectionInfo) -> RecordedConnection {
        RecordedConnection {
            service: info.service.clone(),
            api_domain: info.api_domain.clone(),
            api_base: info.api_base.clone(),
        }
    }

    /// The connection `link_name` as the Zoho tasks see it.
    pub fn to_info(&self, link_name: &str) -> ConnectionInfo {
        ConnectionInfo {
            link_name: link_name.to_owned(),
            service: self.service.clone(),
            api_domain: self.api_domain.clone(),
            api_base: self.api_base.clone(),
        }
    }
}

/// One request and what came back: a response, or an error when none did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exchange {
    /// What was sent.
    pub request: RecordedRequest,
    /// What came back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<RecordedResponse>,
    /// Why nothing came back (timeout, connection refused, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A recorded request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The full URL with its query string.
    pub url: String,
    /// Header names (lower case) and values; not used for matching.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// The body; a request without one matches any body.
    #[serde(flatten)]
    pub body: RecordedBody,
}

/// A recorded response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedResponse {
    /// The status code.
    pub status: u16,
    /// Header names (lower case) and values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// The body.
    #[serde(flatten)]
    pub body: RecordedBody,
}

/// A body in the most readable form that replays it faithfully; at most one field is set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordedBody {
    /// A JSON body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<serde_json::Value>,
    /// A form body (`application/x-www-form-urlencoded`) as name -> value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<BTreeMap<String, String>>,
    /// A text body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// A binary body, base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base64: Option<String>,
}

impl RecordedBody {
    /// True when no body is given.
    pub fn is_empty(&self) -> bool {
        self.json.is_none() && self.form.is_none() && self.text.is_none() && self.base64.is_none()
    }

    /// The readable form of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> RecordedBody {
        if bytes.is_empty() {
            return RecordedBody::default();
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            use base64::Engine as _;
            return RecordedBody {
                base64: Some(base64::engine::general_purpose::STANDARD.encode(bytes)),
                ..RecordedBody::default()
            };
        };
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(json) if (json.is_object() || json.is_array()) && !has_fraction(&json) => {
                RecordedBody {
                    json: Some(json),
                    ..RecordedBody::default()
                }
            }
            _ => RecordedBody {
                text: Some(text.to_owned()),
                ..RecordedBody::default()
            },
        }
    }

    /// The body's bytes as they are replayed (JSON compact).
    pub fn to_bytes(&self) -> Vec<u8> {
        if let Some(json) = &self.json {
            return json.to_string().into_bytes();
        }
        if let Some(form) = &self.form {
            let mut serializer = url::form_urlencoded::Serializer::new(String::new());
            serializer.extend_pairs(form.iter());
            return serializer.finish().into_bytes();
        }
        if let Some(text) = &self.text {
            return text.clone().into_bytes();
        }
        if let Some(encoded) = &self.base64 {
            use base64::Engine as _;
            return base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .unwrap_or_default();
        }
        Vec::new()
    }
}

/// True when a number in `json` has a fraction or exponent (stored as text instead).
fn has_fraction(json: &serde_json::Value) -> bool {
    match json {
        serde_json::Value::Number(n) => !(n.is_i64() || n.is_u64()),
        serde_json::Value::Array(items) => items.iter().any(has_fraction),
        serde_json::Value::Object(map) => map.values().any(has_fraction),
        _ => false,
    }
}

fn header_map(headers: &[(String, String)]) -> BTreeMap<String, String> {
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in headers {
        map.entry(name.to_ascii_lowercase())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(value);
            })
            .or_insert_with(|| value.clone());
    }
    map
}

impl RecordedRequest {
    /// The recorded form of `request` (not yet scrubbed).
    pub fn from_request(request: &HttpRequest) -> RecordedRequest {
        let body = match &request.body {
            Body::Empty => RecordedBody::default(),
            Body::Raw { bytes, .. } => RecordedBody::from_bytes(bytes),
            Body::Form(pairs) => RecordedBody {
                form: Some(pairs.iter().cloned().collect()),
                ..RecordedBody::default()
            },
            Body::Multipart(parts) => RecordedBody {
                text: Some(format!(
                    "<multipart: {}>",
                    parts
                        .iter()
                        .map(|p| p.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                ..RecordedBody::default()
            },
        };
        RecordedRequest {
            method: request.method.as_str().to_owned(),
            url: request.url.to_string(),
            headers: header_map(&request.headers),
            body,
        }
    }
}

/// Response headers left out of recordings: they change on every run (noise in diffs) or
/// describe the connection rather than the answer (the replayed body sets its own length).
const VOLATILE_HEADERS: [&str; 5] = [
    "date",
    "content-length",
    "connection",
    "keep-alive",
    "transfer-encoding",
];

impl RecordedResponse {
    /// The recorded form of `response` (not yet scrubbed).
    pub fn from_response(response: &HttpResponse) -> RecordedResponse {
        let mut headers = header_map(&response.headers);
        headers.retain(|name, _| !VOLATILE_HEADERS.contains(&name.as_str()));
        RecordedResponse {
            status: response.status,
            headers,
            body: RecordedBody::from_bytes(&response.body),
        }
    }

    /// The response to replay for a request to `url`.
    pub fn to_response(&self, url: url::Url) -> HttpResponse {
        let mut headers: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
            .collect();
        let has_type = headers.iter().any(|(n, _)| n == "content-type");
        if !has_type && self.body.json.is_some() {
            headers.push(("content-type".into(), "application/json".into()));
        }
        HttpResponse {
            status: self.status,
            headers,
            body: self.body.to_bytes(),
            url,
        }
    }
}

/// A cassette that cannot be read: the message, the file's text and the byte offset of the
/// problem in it.
#[derive(Clone, Debug)]
pub struct CassetteError {
    /// What is wrong.
    pub message: String,
    /// The file's text (empty when it could not be read).
    pub text: String,
    /// Where, as a byte offset into `text`.
    pub offset: usize,
}

/// The byte offset of 1-based `line` and `column` (serde_json's) in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// Where the cassette of test file `test_file` is: beside it, `NAME.cassette.json`.
pub fn cassette_path(test_file: &Path) -> PathBuf {
    let stem = test_file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    test_file.with_file_name(format!("{stem}.cassette.json"))
}

impl Cassette {
    /// Reads a cassette; `Ok(None)` when the file does not exist.
    pub fn load(path: &Path) -> Result<Option<Cassette>, String> {
        Cassette::load_located(path).map_err(|e| e.message)
    }

    /// Like [`Cassette::load`], with the file's text and where in it the problem is.
    pub fn load_located(path: &Path) -> Result<Option<Cassette>, CassetteError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(CassetteError {
                    message: format!("cannot read cassette {}: {e}", path.display()),
                    text: String::new(),
                    offset: 0,
                })
            }
        };
        let cassette: Cassette = match serde_json::from_str(&text) {
            Ok(cassette) => cassette,
            Err(e) => {
                let offset = offset_of(&text, e.line(), e.column());
                return Err(CassetteError {
                    message: format!(
                        "cassette {} is not valid: {e} (see docs/testing.md for the format)",
                        path.display()
                    ),
                    text,
                    offset,
                });
            }
        };
        if cassette.version != CASSETTE_VERSION {
            return Err(CassetteError {
                message: format!(
                    "cassette {} has version {}; this version of deluge-lang reads version {CASSETTE_VERSION}",
                    path.display(),
                    cassette.version
                ),
                offset: text.find("\"version\"").unwrap_or(0),
                text,
            });
        }
        Ok(Some(cassette))
    }

    /// Writes the cassette as indented JSON with a final newline.
    pub fn save(&self, path: &Path) -> Result<(), String> {
        let mut text = serde_json::to_string_pretty(self)
            .map_err(|e| format!("cannot write cassette {}: {e}", path.display()))?;
        text.push('\n');
        std::fs::write(path, text)
            .map_err(|e| format!("cannot write cassette {}: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_bodies_stay_json_unless_a_number_has_a_fraction() {
        assert!(RecordedBody::from_bytes(br#"{"id": 12}"#).json.is_some());
        assert_eq!(
            RecordedBody::from_bytes(br#"{"total": 12.50}"#)
                .text
                .as_deref(),
            Some(r#"{"total": 12.50}"#)
        );
        assert!(RecordedBody::from_bytes(&[0xff, 0x00]).base64.is_some());
    }

    #[test]
    fn the_cassette_sits_beside_the_test_file() {
        assert_eq!(
            cassette_path(Path::new("crm/leads_test.dg")),
            Path::new("crm/leads_test.cassette.json")
        );
    }

    #[test]
    fn an_unknown_field_or_version_is_refused_with_the_file_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        std::fs::write(&path, r#"{"version": 1, "tapes": {}}"#).unwrap();
        let err = Cassette::load(&path).unwrap_err();
        assert!(err.contains("unknown field `tapes`"), "{err}");
        std::fs::write(&path, r#"{"version": 7}"#).unwrap();
        let err = Cassette::load(&path).unwrap_err();
        assert!(
            err.ends_with("has version 7; this version of deluge-lang reads version 1"),
            "{err}"
        );
    }
}
