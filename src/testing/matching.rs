//! Which recorded exchange answers a request during replay.
//!
//! The rules (also in docs/testing.md): a recorded request matches when
//! - the methods are equal,
//! - the URLs without their query are equal (scheme, host, port, path),
//! - the query parameters are equal as a set of name/value pairs, leaving out every parameter
//!   whose name is secret or whose recorded value is `<redacted>`,
//! - the bodies are equal when the recording has one: JSON structurally, forms as pairs,
//!   text exactly; a recorded `<redacted>` value matches anything and secret names are left
//!   out. Headers never take part.
//!
//! Exchanges are used in the order they were recorded: the first unused match answers; once
//! every match has been used, the last of them answers again (a repeated request).

use std::collections::BTreeMap;

use crate::eval::value::Value;
use crate::http::HttpRequest;
use crate::testing::cassette::{Exchange, RecordedBody, RecordedRequest};
use crate::testing::diff::{diff_with, Sides};
use crate::testing::scrub::{is_secret_name, REDACTED};

/// How much of a body is shown in a difference.
const SHOWN_BODY_CHARS: usize = 120;

/// The index of the exchange that answers `request`, or why none does (the closest recorded
/// request and what differs).
pub fn find(tape: &[Exchange], used: &[bool], request: &HttpRequest) -> Result<usize, String> {
    let live = RecordedRequest::from_request(request);
    let matching: Vec<usize> = tape
        .iter()
        .enumerate()
        .filter(|(_, e)| differences(&e.request, &live).is_empty())
        .map(|(i, _)| i)
        .collect();
    let unused = matching
        .iter()
        .find(|&&i| !used.get(i).copied().unwrap_or(false));
    if let Some(&index) = unused.or(matching.last()) {
        return Ok(index);
    }
    Err(no_match(tape, &live))
}

fn no_match(tape: &[Exchange], live: &RecordedRequest) -> String {
    let sent = format!("{} {}", live.method, shown_url(&live.url));
    let closest = tape
        .iter()
        .enumerate()
        .map(|(i, e)| (i, differences(&e.request, live)))
        .min_by_key(|(_, d)| d.len());
    match closest {
        None => format!(
            "no recorded exchange matches {sent}: the cassette has no exchanges for this test (record them with `HttpMode::Record`)"
        ),
        Some((index, diffs)) => {
            let recorded = &tape[index].request;
            format!(
                "no recorded exchange matches {sent}; the closest recorded request (exchange {} of {}) is {} {}, which differs in {}",
                index + 1,
                tape.len(),
                recorded.method,
                shown_url(&recorded.url),
                diffs.join("; ")
            )
        }
    }
}

fn shown_url(url: &str) -> String {
    url.replace("%3Credacted%3E", REDACTED)
}

/// What differs between a recorded request and the one sent; empty when they match.
pub fn differences(recorded: &RecordedRequest, live: &RecordedRequest) -> Vec<String> {
    let mut diffs = Vec::new();
    if !recorded.method.eq_ignore_ascii_case(&live.method) {
        diffs.push(format!(
            "method: recorded {}, sent {}",
            recorded.method, live.method
        ));
    }
    let (recorded_url, live_url) = (url::Url::parse(&recorded.url), url::Url::parse(&live.url));
    match (recorded_url, live_url) {
        (Ok(r), Ok(l)) => {
            let (rb, lb) = (without_query(&r), without_query(&l));
            if rb != lb {
                diffs.push(format!("URL: recorded {rb}, sent {lb}"));
            }
            let pairs = |u: &url::Url| -> Vec<(String, String)> {
                u.query_pairs()
                    .map(|(n, v)| (n.into_owned(), v.into_owned()))
                    .collect()
            };
            diffs.extend(compare_pairs("query", &pairs(&r), &pairs(&l)));
        }
        _ if recorded.url != live.url => {
            diffs.push(format!("URL: recorded {}, sent {}", recorded.url, live.url))
        }
        _ => {}
    }
    if let Some(diff) = compare_bodies(&recorded.body, &live.body) {
        diffs.push(diff);
    }
    diffs
}

fn without_query(url: &url::Url) -> String {
    let mut base = url.clone();
    base.set_query(None);
    base.set_fragment(None);
    base.to_string()
}

/// Compares name/value pairs, leaving out secret names and names recorded as `<redacted>`.
fn compare_pairs(
    what: &str,
    recorded: &[(String, String)],
    live: &[(String, String)],
) -> Vec<String> {
    let ignored = |name: &str| {
        is_secret_name(name) || recorded.iter().any(|(n, v)| n == name && v == REDACTED)
    };
    let collect = |pairs: &[(String, String)]| -> BTreeMap<String, Vec<String>> {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, value) in pairs.iter().filter(|(n, _)| !ignored(n)) {
            map.entry(name.clone()).or_default().push(value.clone());
        }
        map.values_mut().for_each(|v| v.sort());
        map
    };
    let (recorded, live) = (collect(recorded), collect(live));
    let mut diffs = Vec::new();
    for (name, values) in &recorded {
        match live.get(name) {
            None => diffs.push(format!(
                "{what} `{name}`: recorded {}, not sent",
                values.join(", ")
            )),
            Some(sent) if sent != values => diffs.push(format!(
                "{what} `{name}`: recorded {}, sent {}",
                quoted(values),
                quoted(sent)
            )),
            Some(_) => {}
        }
    }
    for (name, values) in &live {
        if !recorded.contains_key(name) {
            diffs.push(format!(
                "{what} `{name}`: sent {}, not recorded",
                quoted(values)
            ));
        }
    }
    diffs
}

fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn compare_bodies(recorded: &RecordedBody, live: &RecordedBody) -> Option<String> {
    if recorded.is_empty() {
        return None;
    }
    if let Some(form) = &recorded.form {
        let live_form: Vec<(String, String)> = match &live.form {
            Some(f) => f.clone().into_iter().collect(),
            None => url::form_urlencoded::parse(&live.to_bytes())
                .into_owned()
                .collect(),
        };
        let recorded_form: Vec<(String, String)> = form.clone().into_iter().collect();
        let diffs = compare_pairs("form field", &recorded_form, &live_form);
        return (!diffs.is_empty()).then(|| diffs.join("; "));
    }
    if let Some(json) = &recorded.json {
        let sent: Option<serde_json::Value> = live
            .json
            .clone()
            .or_else(|| serde_json::from_slice(&live.to_bytes()).ok());
        return match sent {
            Some(sent) if json_matches(json, &sent) => None,
            Some(sent) => Some(json_difference(json, &sent)),
            None => Some(body_difference(&recorded.to_bytes(), &live.to_bytes())),
        };
    }
    let (r, l) = (recorded.to_bytes(), live.to_bytes());
    (r != l).then(|| body_difference(&r, &l))
}

/// The JSON paths at which the bodies differ, or both bodies when no path says it.
fn json_difference(recorded: &serde_json::Value, sent: &serde_json::Value) -> String {
    let sides = Sides {
        wanted: "recorded",
        got: "sent",
    };
    let lines = diff_with(&Value::from_json(recorded), &Value::from_json(sent), sides);
    if lines.is_empty() {
        return body_difference(recorded.to_string().as_bytes(), sent.to_string().as_bytes());
    }
    format!("body at {}", lines.join(", "))
}

fn body_difference(recorded: &[u8], live: &[u8]) -> String {
    let cut = |bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes);
        if text.chars().count() > SHOWN_BODY_CHARS {
            format!(
                "{}...",
                text.chars().take(SHOWN_BODY_CHARS).collect::<String>()
            )
        } else {
            text.into_owned()
        }
    };
    format!("body: recorded {}, sent {}", cut(recorded), cut(live))
}

/// Structural JSON equality where a recorded `<redacted>` matches anything and values under
/// secret keys are not compared.
fn json_matches(recorded: &serde_json::Value, sent: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (recorded, sent) {
        (J::String(r), _) if r == REDACTED => true,
        (J::Object(r), J::Object(s)) => {
            let keys = |m: &serde_json::Map<String, J>| -> Vec<String> {
                let mut k: Vec<String> = m.keys().filter(|k| !is_secret_name(k)).cloned().collect();
                k.sort();
                k
            };
            keys(r) == keys(s)
                && r.iter()
                    .filter(|(k, _)| !is_secret_name(k))
                    .all(|(k, v)| s.get(k).is_some_and(|sv| json_matches(v, sv)))
        }
        (J::Array(r), J::Array(s)) => {
            r.len() == s.len() && r.iter().zip(s).all(|(a, b)| json_matches(a, b))
        }
        _ => recorded == sent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{Body, Method};

    fn exchange(method: &str, url: &str, json: Option<serde_json::Value>) -> Exchange {
        Exchange {
            request: RecordedRequest {
                method: method.into(),
                url: url.into(),
                headers: BTreeMap::new(),
                body: RecordedBody {
                    json,
                    ..RecordedBody::default()
                },
            },
            response: None,
            error: None,
        }
    }

    fn get(url: &str) -> HttpRequest {
        HttpRequest::new(Method::Get, url.parse().unwrap())
    }

    #[test]
    fn query_order_and_redacted_parameters_do_not_matter() {
        let tape = [exchange("GET", "http://h/x?b=2&a=1&key=<redacted>", None)];
        assert_eq!(find(&tape, &[false], &get("http://h/x?a=1&b=2")), Ok(0));
    }

    #[test]
    fn the_closest_request_and_its_differences_are_named() {
        let tape = [
            exchange("POST", "http://h/other", None),
            exchange("GET", "http://h/x?page=1", None),
        ];
        let err = find(&tape, &[false, false], &get("http://h/x?page=2")).unwrap_err();
        assert_eq!(
            err,
            "no recorded exchange matches GET http://h/x?page=2; the closest recorded request (exchange 2 of 2) is GET http://h/x?page=1, which differs in query `page`: recorded \"1\", sent \"2\""
        );
    }

    #[test]
    fn json_bodies_match_structurally_and_repeats_reuse_the_last_match() {
        let tape = [exchange(
            "POST",
            "http://h/x",
            Some(serde_json::json!({"a": 1, "b": [true]})),
        )];
        let mut request = HttpRequest::new(Method::Post, "http://h/x".parse().unwrap());
        request.body = Body::Raw {
            bytes: br#"{"b":[true],"a":1}"#.to_vec(),
            content_type: None,
        };
        assert_eq!(find(&tape, &[true], &request), Ok(0));
        request.body = Body::Raw {
            bytes: br#"{"b":[false],"a":1}"#.to_vec(),
            content_type: None,
        };
        let err = find(&tape, &[true], &request).unwrap_err();
        assert!(
            err.ends_with(r#"which differs in body at ["b"][0]: recorded true, sent false"#),
            "{err}"
        );
    }

    #[test]
    fn an_empty_tape_says_to_record() {
        let err = find(&[], &[], &get("http://h/")).unwrap_err();
        assert!(
            err.ends_with("(record them with `HttpMode::Record`)"),
            "{err}"
        );
    }
}
