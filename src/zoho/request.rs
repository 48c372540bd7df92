//! Building a task's HTTP request (zoho-tasks.md §1.4) and sending it the way `invokeurl`
//! does: the run's transport, the connection's signature, allowed hosts, one refresh and
//! retry after a 401, redirects without credentials, the timeout and size cap, debug
//! logging with secrets redacted, and Ctrl-C.

use url::Url;

use crate::eval::context::NativeCtx;
use crate::eval::failure::{ErrorKind, Failure};
use crate::eval::value::Value;
use crate::http::request::{Body, HttpRequest, Method, MultipartPart};

use super::args::id_text;
use super::json::{entries, items, to_json};

/// A request being built: method, URL (path and query so far), body and extra headers.
#[derive(Debug)]
pub struct TaskRequest {
    method: Method,
    url: Url,
    body: Body,
    headers: Vec<(String, String)>,
}

impl TaskRequest {
    /// A request to `root` (e.g. `https://www.zohoapis.com/crm/v2`) plus `segments`, each
    /// percent-encoded as one path segment.
    pub fn new(
        task: &str,
        method: Method,
        root: &str,
        segments: &[&str],
    ) -> Result<TaskRequest, String> {
        let mut url = Url::parse(root)
            .map_err(|e| format!("{task}: the API base `{root}` is not a URL ({e})"))?;
        if url.cannot_be_a_base() {
            return Err(format!(
                "{task}: the API base `{root}` is not an http(s) URL"
            ));
        }
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty();
            for segment in segments {
                path.push(segment);
            }
        }
        Ok(TaskRequest {
            method,
            url,
            body: Body::Empty,
            headers: Vec::new(),
        })
    }

    /// Adds `key=value` to the query.
    pub fn query(mut self, key: &str, value: &str) -> TaskRequest {
        self.url.query_pairs_mut().append_pair(key, value);
        self
    }

    /// Adds every non-empty key of a MAP to the query; LIST values are joined with `,`, and
    /// the key `""` is dropped (Zoho's `{"":""}` means no query).
    pub fn query_map(mut self, map: Option<&Value>) -> TaskRequest {
        for (key, value) in map.map(entries).unwrap_or_default() {
            if key.is_empty() {
                continue;
            }
            let text = match &value {
                Value::List(_) | Value::Collection(_) => items(&value)
                    .iter()
                    .map(id_text)
                    .collect::<Vec<_>>()
                    .join(","),
                other => id_text(other),
            };
            self = self.query(&key, &text);
        }
        self
    }

    /// Appends an already encoded `k=v&k2=v2` query text as it is.
    pub fn raw_query(mut self, text: &str) -> TaskRequest {
        let text = text.trim().trim_start_matches(['?', '&']);
        if text.is_empty() {
            return self;
        }
        let joined = match self.url.query() {
            Some(existing) if !existing.is_empty() => format!("{existing}&{text}"),
            _ => text.to_owned(),
        };
        self.url.set_query(Some(&joined));
        self
    }

    /// Adds a header (Desk's `orgId`, Creator's `environment`).
    pub fn header(mut self, name: &str, value: &str) -> TaskRequest {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets a JSON body.
    pub fn json(mut self, ctx: &NativeCtx<'_>, body: &Value) -> Result<TaskRequest, String> {
        let text = to_json(body, &ctx.env.time_zone)?;
        self.body = Body::Raw {
            bytes: text.into_bytes(),
            content_type: Some("application/json".into()),
        };
        Ok(self)
    }

    /// Sets a `multipart/form-data` body with one file part.
    pub fn file(mut self, field: &str, file: &crate::eval::value::FileValue) -> TaskRequest {
        self.body = Body::Multipart(vec![MultipartPart {
            name: field.to_owned(),
            file_name: Some(if file.name.is_empty() {
                "file".to_owned()
            } else {
                file.name.clone()
            }),
            content_type: Some(
                file.content_type
                    .clone()
                    .unwrap_or_else(|| "application/octet-stream".into()),
            ),
            bytes: file.bytes.clone(),
        }]);
        self
    }

    /// Sends the request signed by connection `link_name` and reads the reply.
    pub fn send(self, ctx: &NativeCtx<'_>, task: &str, link_name: &str) -> Result<Reply, Failure> {
        let mut request = HttpRequest::new(self.method, self.url);
        request.body = self.body;
        for (name, value) in &self.headers {
            request.set_header(name, value.clone());
        }
        let host = request.host_port();
        let response = crate::http::fetch(ctx, request, Some(link_name))
            .map_err(|failure| failure.map_message(|m| format!("{task}: {m}")))?;
        let body = if response.status == 204 || response.body.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            let text = String::from_utf8_lossy(&response.body);
            let not_json = |why: String| {
                format!(
                    "{task}: the reply from {host} (HTTP {}) is not JSON ({why}): {}",
                    response.status,
                    excerpt(&text)
                )
            };
            if !text.trim_start().starts_with(['{', '[']) {
                return Err((not_json("no object or array".into())).into());
            }
            let mut parsed =
                crate::stdlib::json::parse_limited(&text, ctx.env.limits.max_collection_len)
                    .map_err(not_json)?;
            super::json::big_integers_as_text(&mut parsed);
            Some(parsed)
        };
        let reply = Reply {
            status: response.status,
            body,
        };
        reply.check_token(ctx, task, link_name)?;
        Ok(reply)
    }
}

/// The start of a reply body, for error messages.
fn excerpt(text: &str) -> String {
    let mut cut: String = text.chars().take(200).collect();
    if cut.len() < text.len() {
        cut.push_str("...");
    }
    cut
}

/// A reply: its status and parsed JSON body (`None` for 204 or an empty body).
#[derive(Debug)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body as a value.
    pub body: Option<Value>,
}

impl Reply {
    /// After the connection's one refresh and retry, a 401 whose body says the token is
    /// invalid is a connection failure (a runtime error), not a value, and the connection is
    /// marked `needs_reauth` (zoho-tasks.md §1.5 step 4).
    fn check_token(&self, ctx: &NativeCtx<'_>, task: &str, link_name: &str) -> Result<(), Failure> {
        if self.status != 401 {
            return Ok(());
        }
        let code = self
            .body
            .as_ref()
            .and_then(|body| {
                super::json::get(body, "code").or_else(|| super::json::get(body, "errorCode"))
            })
            .map(|code| id_text(&code))
            .unwrap_or_default();
        if !matches!(
            code.as_str(),
            "INVALID_TOKEN" | "INVALID_OAUTHTOKEN" | "AUTHENTICATION_FAILURE" | "57"
        ) {
            return Ok(());
        }
        let reason = format!("Zoho rejected its access token ({code}) even after renewing it");
        let marked = match crate::http::connections_of(ctx.env) {
            Some(store) => store.mark_needs_reauth(link_name, &reason),
            None => Ok(()),
        };
        let unmarked = match marked {
            Ok(()) => String::new(),
            Err(e) => format!(" (its status could not be set to needs_reauth: {e})"),
        };
        let message = format!(
            "{task}: Zoho rejected the access token of connection \"{link_name}\" ({code}) \
             even after renewing it; authorize connection \"{link_name}\" again in the engine's connection store{unmarked}"
        );
        Err(Failure::new(ErrorKind::CredentialRejected, message))
    }

    /// The body, or `fallback` when the reply had none.
    pub fn body_or(self, fallback: Value) -> Value {
        self.body.unwrap_or(fallback)
    }
}
