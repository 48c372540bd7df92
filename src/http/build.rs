//! Building the HTTP request an `invokeurl` task describes (docs/decisions-local.md, "HTTP").
//!
//! - `files`, a FILE in `parameters` (or as a value of a `parameters` map), or a
//!   `multipart/form-data` content type make a multipart body: map entries become text parts
//!   (FILE values become file parts named by their key), `files` become parts named `file`.
//! - Otherwise `body` is the raw payload (TEXT as is, KEY-VALUE or LIST as JSON, FILE as its
//!   bytes) and a `parameters` map goes into the query string.
//! - Otherwise a `parameters` map becomes the query string for GET, DELETE and HEAD and a
//!   form body for POST, PUT and PATCH (JSON when the content type is JSON); TEXT `parameters`
//!   is the raw body.
//! - The content type is the `content-type` key, else a `Content-Type` header, else the
//!   default for the body: form for maps, `text/plain` for text, JSON for `body` maps.

use std::rc::Rc;

use super::form;
use super::request::{Body, HttpRequest, Method, MultipartPart};
use super::spec::{map_entries, InvokeSpec};
use crate::eval::render::{display, to_json};
use crate::eval::value::{FileValue, Value};

/// The multipart field name of `files` entries.
pub const FILE_FIELD: &str = "file";

/// The request described by `spec` (unsigned: a connection signs it later).
pub fn build_request(spec: &InvokeSpec) -> Result<HttpRequest, String> {
    let url = spec
        .url
        .clone()
        .ok_or("invokeurl: the 'url' key is missing")?;
    let method = spec.method.unwrap_or(Method::Get);
    let mut request = HttpRequest::new(method, url);
    request.headers = spec.headers.clone();
    if let Some(content_type) = &spec.content_type {
        request.set_header("Content-Type", content_type.clone());
    }
    if is_multipart(spec, &request) {
        if !spec.body.is_null() {
            return Err(
                "invokeurl: 'body' cannot be combined with files; put text fields in 'parameters'"
                    .into(),
            );
        }
        request.body = Body::Multipart(multipart_parts(spec)?);
    } else if !spec.body.is_null() {
        set_raw_body(&mut request, &spec.body);
        match &spec.parameters {
            Value::Null => {}
            Value::Text(_) => {
                return Err(
                    "invokeurl: both 'body' and TEXT 'parameters' give a request body; \
                     use one of them (or make 'parameters' a KEY-VALUE for the query string)"
                        .into(),
                )
            }
            parameters => {
                let pairs = form_pairs(parameters)?;
                form::append_query(&mut request.url, &pairs);
            }
        }
    } else {
        set_parameters(&mut request, &spec.parameters)?;
    }
    Ok(request)
}

fn is_multipart(spec: &InvokeSpec, request: &HttpRequest) -> bool {
    let map_has_file = map_entries(&spec.parameters)
        .is_some_and(|entries| entries.iter().any(|(_, v)| matches!(v, Value::File(_))));
    let multipart_type = request.header("content-type").is_some_and(|ct| {
        ct.trim()
            .to_ascii_lowercase()
            .starts_with("multipart/form-data")
    });
    !spec.files.is_empty()
        || matches!(spec.parameters, Value::File(_))
        || map_has_file
        || multipart_type
}

fn multipart_parts(spec: &InvokeSpec) -> Result<Vec<MultipartPart>, String> {
    let mut parts = Vec::new();
    match &spec.parameters {
        Value::Null => {}
        Value::File(file) => parts.push(file_part(FILE_FIELD, file)),
        Value::Text(text) => parts.push(MultipartPart {
            name: "parameters".into(),
            file_name: None,
            content_type: None,
            bytes: text.as_bytes().to_vec(),
        }),
        other => {
            let entries = map_entries(other).ok_or_else(|| parameters_type_error(other))?;
            for (key, value) in entries {
                let name = display(&key);
                parts.push(match &value {
                    Value::File(file) => file_part(&name, file),
                    other => MultipartPart {
                        name,
                        file_name: None,
                        content_type: None,
                        bytes: field_text(other).into_bytes(),
                    },
                });
            }
        }
    }
    parts.extend(spec.files.iter().map(|file| {
        let name = file.param_name.borrow().clone();
        file_part(name.as_deref().unwrap_or(FILE_FIELD), file)
    }));
    Ok(parts)
}

fn file_part(name: &str, file: &Rc<FileValue>) -> MultipartPart {
    MultipartPart {
        name: name.to_owned(),
        file_name: Some(if file.name.is_empty() {
            "file".to_owned()
        } else {
            file.name.clone()
        }),
        content_type: Some(
            file.content_type
                .clone()
                .unwrap_or_else(|| "application/octet-stream".to_owned()),
        ),
        bytes: file.bytes.clone(),
    }
}

/// `body`: TEXT as is, KEY-VALUE/LIST as JSON, FILE as its bytes.
fn set_raw_body(request: &mut HttpRequest, body: &Value) {
    let (bytes, default_type) = match body {
        Value::Text(text) => (
            text.as_bytes().to_vec(),
            "text/plain; charset=UTF-8".to_owned(),
        ),
        Value::File(file) => (
            file.bytes.clone(),
            file.content_type
                .clone()
                .unwrap_or_else(|| "application/octet-stream".to_owned()),
        ),
        Value::Map(_) | Value::List(_) | Value::Collection(_) => {
            (to_json(body).into_bytes(), "application/json".to_owned())
        }
        other => (
            display(other).into_bytes(),
            "text/plain; charset=UTF-8".to_owned(),
        ),
    };
    request.body = Body::Raw {
        bytes,
        content_type: Some(default_type),
    };
}

/// `parameters` without `body` or files.
fn set_parameters(request: &mut HttpRequest, parameters: &Value) -> Result<(), String> {
    match parameters {
        Value::Null => Ok(()),
        Value::Text(text) => {
            request.body = Body::Raw {
                bytes: text.as_bytes().to_vec(),
                content_type: Some("text/plain; charset=UTF-8".into()),
            };
            Ok(())
        }
        Value::List(_) => {
            set_raw_body(request, parameters);
            Ok(())
        }
        other => {
            let pairs = form_pairs(other)?;
            if request.method.takes_query_parameters() {
                form::append_query(&mut request.url, &pairs);
            } else if request.header("content-type").is_some_and(is_json_type) {
                request.body = Body::Raw {
                    bytes: to_json(other).into_bytes(),
                    content_type: None,
                };
            } else {
                request.body = Body::Form(pairs);
            }
            Ok(())
        }
    }
}

fn is_json_type(content_type: &str) -> bool {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    media == "application/json" || media.ends_with("+json")
}

/// The name=value pairs of a KEY-VALUE, values printed as `toString` prints them.
fn form_pairs(value: &Value) -> Result<Vec<(String, String)>, String> {
    let entries = map_entries(value).ok_or_else(|| parameters_type_error(value))?;
    Ok(entries
        .into_iter()
        .map(|(name, value)| (display(&name), field_text(&value)))
        .collect())
}

/// A form or query value: null is empty, everything else prints as `toString` does.
fn field_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        other => display(other),
    }
}

fn parameters_type_error(value: &Value) -> String {
    format!(
        "invokeurl: 'parameters' must be a KEY-VALUE, TEXT or FILE, not {}",
        value.value_type()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::value::{Map, MapData};

    fn map(pairs: &[(&str, Value)]) -> Value {
        let mut data = MapData::default();
        for (k, v) in pairs {
            data.insert(Value::text(*k), v.clone());
        }
        Value::Map(Map::from_data(data))
    }

    fn spec(method: Method, parameters: Value) -> InvokeSpec {
        InvokeSpec {
            url: Some(url::Url::parse("http://127.0.0.1/p?x=1").unwrap()),
            method: Some(method),
            parameters,
            ..InvokeSpec::default()
        }
    }

    #[test]
    fn get_parameters_go_to_the_query() {
        let params = map(&[("a", Value::text("1 2")), ("b", Value::Null)]);
        let request = build_request(&spec(Method::Get, params)).unwrap();
        assert_eq!(request.url.as_str(), "http://127.0.0.1/p?x=1&a=1+2&b=");
        assert!(matches!(request.body, Body::Empty));
    }

    #[test]
    fn post_parameters_are_a_form_or_json() {
        let params = map(&[("a", Value::Number(1))]);
        let request = build_request(&spec(Method::Post, params.clone())).unwrap();
        assert!(matches!(&request.body, Body::Form(pairs) if pairs == &[("a".into(), "1".into())]));
        let mut json = spec(Method::Put, params);
        json.content_type = Some("application/json".into());
        let request = build_request(&json).unwrap();
        assert!(matches!(&request.body, Body::Raw { bytes, .. } if bytes == b"{\"a\":1}"));
        assert_eq!(request.header("content-type"), Some("application/json"));
    }

    #[test]
    fn body_with_map_parameters_uses_the_query() {
        let mut with_body = spec(Method::Post, map(&[("q", Value::text("v"))]));
        with_body.body = map(&[("k", Value::Bool(true))]);
        let request = build_request(&with_body).unwrap();
        assert_eq!(request.url.query(), Some("x=1&q=v"));
        assert!(
            matches!(&request.body, Body::Raw { bytes, content_type } if bytes == b"{\"k\":true}"
                && content_type.as_deref() == Some("application/json"))
        );
    }

    #[test]
    fn body_with_text_parameters_is_an_error() {
        let mut both = spec(Method::Post, Value::text("raw"));
        both.body = Value::text("raw too");
        let error = build_request(&both).unwrap_err();
        assert!(
            error.contains("both 'body' and TEXT 'parameters'"),
            "{error}"
        );
    }

    #[test]
    fn files_make_a_multipart_body() {
        let file = Rc::new(FileValue {
            name: "a.txt".into(),
            content_type: Some("text/plain".into()),
            charset: None,
            bytes: b"hello".to_vec(),
            ..FileValue::default()
        });
        let mut upload = spec(
            Method::Post,
            map(&[
                ("note", Value::text("n")),
                ("doc", Value::File(file.clone())),
            ]),
        );
        upload.files = vec![file];
        let request = build_request(&upload).unwrap();
        let Body::Multipart(parts) = &request.body else {
            panic!("expected multipart")
        };
        let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["note", "doc", "file"]);
        assert_eq!(parts[1].file_name.as_deref(), Some("a.txt"));
    }

    #[test]
    fn a_file_with_a_param_name_is_uploaded_under_it() {
        let file = Rc::new(FileValue {
            name: "q.pdf".into(),
            ..FileValue::default()
        });
        *file.param_name.borrow_mut() = Some("attachment".into());
        let mut upload = spec(Method::Post, Value::Null);
        upload.files = vec![file];
        let request = build_request(&upload).unwrap();
        let Body::Multipart(parts) = &request.body else {
            panic!("expected multipart")
        };
        assert_eq!(parts[0].name, "attachment");
    }

    #[test]
    fn wrong_parameter_types_are_named() {
        let error = build_request(&spec(Method::Post, Value::Bool(true))).unwrap_err();
        assert_eq!(
            error,
            "invokeurl: 'parameters' must be a KEY-VALUE, TEXT or FILE, not BOOLEAN"
        );
    }
}
