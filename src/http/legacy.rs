//! The deprecated `getUrl` and `postUrl` functions (language.md §7.5).
//!
//! `getUrl(url[, headerMap][, simple])` and `postUrl(url, body[, headerMap][, simple])`: with
//! `simple` true (the default) the result is the body as TEXT; with `simple` false it is
//! `{responseCode, responseHeader, responseText}`. A KEY-VALUE body is sent as a form, TEXT
//! as is. Timeouts, size cap and redirect policy are those of `invokeurl`.

use super::request::{Body, HttpRequest, Method};
use super::response::{decode_text, detailed_value, DecodeOptions, ResponseFormat};
use super::spec::{map_entries, parse_url};
use crate::eval::args::Args;
use crate::eval::builtin::NativeResult;
use crate::eval::context::NativeCtx;
use crate::eval::render::display;
use crate::eval::value::Value;

/// `getUrl(url[, headerMap][, simple])`
pub fn get_url(ctx: &mut NativeCtx<'_>, args: Args<'_>) -> NativeResult {
    let args = args.values();
    let (url, rest) = args
        .split_first()
        .ok_or("getUrl needs a URL: getUrl(url[, headerMap][, simple])")?;
    let request = new_request("getUrl", Method::Get, url, rest)?;
    run(ctx, "getUrl", request, rest)
}

/// `postUrl(url, body[, headerMap][, simple])`
pub fn post_url(ctx: &mut NativeCtx<'_>, args: Args<'_>) -> NativeResult {
    let args = args.values();
    let [url, body, rest @ ..] = args else {
        return Err(
            "postUrl needs a URL and a body: postUrl(url, body[, headerMap][, simple])".into(),
        );
    };
    let mut request = new_request("postUrl", Method::Post, url, rest)?;
    request.body = post_body("postUrl", body)?;
    run(ctx, "postUrl", request, rest)
}

/// Creator's legacy function form `invokeUrl(url, type[, body][, headerMap][, simple])`: like
/// `postUrl` with any method. A KEY-VALUE body goes into the query string for GET and DELETE
/// (as `invokeurl`'s parameters do) and is a form otherwise; TEXT is sent raw.
pub fn invoke_url_function(ctx: &mut NativeCtx<'_>, args: Args<'_>) -> NativeResult {
    let args = args.values();
    const USAGE: &str = "invokeUrl(url, type[, body][, headerMap][, simple])";
    let [url, method, rest @ ..] = args else {
        return Err(format!("invokeUrl needs a URL and a type: {USAGE}").into());
    };
    let method = method
        .as_text()
        .and_then(Method::parse)
        .filter(|m| *m != Method::Head)
        .ok_or_else(|| {
            format!(
                "invokeUrl: the type must be GET, POST, PUT, PATCH or DELETE, not {}",
                describe_type(method)
            )
        })?;
    let (body, rest) = match rest {
        [] | [Value::Bool(_)] => (&Value::Null, rest),
        [body, rest @ ..] => (body, rest),
    };
    let mut request = new_request("invokeUrl", method, url, rest)?;
    match post_body("invokeUrl", body)? {
        Body::Form(pairs) if method.takes_query_parameters() => {
            super::form::append_query(&mut request.url, &pairs)
        }
        Body::Raw { bytes, .. } if bytes.is_empty() => {}
        body => request.body = body,
    }
    run(ctx, "invokeUrl", request, rest)
}

/// How a bad `type` argument reads in an error: the text in quotes, else its type.
fn describe_type(value: &Value) -> String {
    match value.as_text() {
        Some(text) => format!("'{text}'"),
        None => value.value_type().to_string(),
    }
}

fn new_request(
    function: &str,
    method: Method,
    url: &Value,
    rest: &[Value],
) -> Result<HttpRequest, String> {
    let text = url
        .as_text()
        .ok_or_else(|| format!("{function}: the URL must be TEXT, not {}", url.value_type()))?;
    let url = parse_url(text).map_err(|error| error.replacen("invokeurl", function, 1))?;
    let mut request = HttpRequest::new(method, url);
    request.headers = headers(function, rest)?;
    Ok(request)
}

fn run(
    ctx: &mut NativeCtx<'_>,
    function: &str,
    request: HttpRequest,
    rest: &[Value],
) -> NativeResult {
    let simple = simple_flag(function, rest)?;
    let response = super::invoke::fetch(ctx, request, None)?;
    let options = DecodeOptions {
        format: ResponseFormat::Text,
        charset: None,
        max_text_bytes: ctx.env.limits.max_text_bytes,
    };
    let text = Value::text(decode_text(&response, &options)?);
    Ok(if simple {
        text
    } else {
        detailed_value(&response, text)
    })
}

/// The optional arguments after the URL (and body): a header map and/or the `simple` flag.
fn headers(function: &str, rest: &[Value]) -> Result<Vec<(String, String)>, String> {
    match rest.first() {
        None | Some(Value::Null) | Some(Value::Bool(_)) => Ok(Vec::new()),
        Some(value) => {
            let entries = map_entries(value).ok_or_else(|| {
                format!(
                    "{function}: the header map must be a KEY-VALUE, not {}",
                    value.value_type()
                )
            })?;
            Ok(entries
                .into_iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(name, value)| (display(&name), display(&value)))
                .collect())
        }
    }
}

fn simple_flag(function: &str, rest: &[Value]) -> Result<bool, String> {
    let flag = match rest {
        [Value::Bool(simple)] | [_, Value::Bool(simple)] => return Ok(*simple),
        [] | [_] => return Ok(true),
        [_, flag] => flag,
        [_, _, extra, ..] => {
            return Err(format!(
                "{function}: too many arguments (unexpected {})",
                extra.value_type()
            ))
        }
    };
    Err(format!(
        "{function}: the 'simple' flag must be true or false, not {}",
        flag.value_type()
    ))
}

fn post_body(function: &str, body: &Value) -> Result<Body, String> {
    match body {
        Value::Null => Ok(Body::Empty),
        Value::Text(text) => Ok(Body::Raw {
            bytes: text.as_bytes().to_vec(),
            content_type: Some("text/plain; charset=UTF-8".into()),
        }),
        other => {
            let entries = map_entries(other).ok_or_else(|| {
                format!(
                    "{function}: the body must be a KEY-VALUE or TEXT, not {}",
                    other.value_type()
                )
            })?;
            Ok(Body::Form(
                entries
                    .into_iter()
                    .map(|(key, value)| {
                        let text = if value.is_null() {
                            String::new()
                        } else {
                            display(&value)
                        };
                        (display(&key), text)
                    })
                    .collect(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_arguments_are_recognised_by_type() {
        assert!(simple_flag("getUrl", &[]).unwrap());
        assert!(!simple_flag("getUrl", &[Value::Bool(false)]).unwrap());
        assert!(!simple_flag("getUrl", &[Value::new_map(), Value::Bool(false)]).unwrap());
        let error = simple_flag("getUrl", &[Value::new_map(), Value::Number(1)]).unwrap_err();
        assert_eq!(
            error,
            "getUrl: the 'simple' flag must be true or false, not NUMBER"
        );
        let error = headers("postUrl", &[Value::Number(1)]).unwrap_err();
        assert_eq!(
            error,
            "postUrl: the header map must be a KEY-VALUE, not NUMBER"
        );
    }

    #[test]
    fn bad_urls_name_the_function() {
        let error = new_request("getUrl", Method::Get, &Value::text("nope"), &[]).unwrap_err();
        assert!(
            error.starts_with("getUrl: 'nope' is not a valid URL"),
            "{error}"
        );
    }

    #[test]
    fn post_bodies_are_forms_or_raw_text() {
        assert!(matches!(
            post_body("postUrl", &Value::new_map()).unwrap(),
            Body::Form(_)
        ));
        assert!(matches!(
            post_body("postUrl", &Value::text("x")).unwrap(),
            Body::Raw { .. }
        ));
        let error = post_body("postUrl", &Value::Number(3)).unwrap_err();
        assert_eq!(
            error,
            "postUrl: the body must be a KEY-VALUE or TEXT, not NUMBER"
        );
    }
}
