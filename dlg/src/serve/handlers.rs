//! The HTTP handlers: a function call, `/healthz`, `/metrics`, and the JSON 404 for anything
//! else. Each call is counted in the metrics and written to the access log.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Path, State as Shared};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::access_log::{self, RequestLine};
use super::args::{self, Raw};
use super::response::{Failure, Success};
use super::state::State;
use super::{auth, execute, metrics};

/// What one call came to, for the answer, the metrics and the log.
struct Handled {
    result: Result<Success, Failure>,
    function: Option<String>,
    key: Option<String>,
}

/// `GET|POST /functions/{name}/execute`: runs the function with the request's arguments.
pub async fn execute(
    Shared(state): Shared<Arc<State>>,
    Path(name): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let started = Instant::now();
    let _in_flight = state.metrics.start();
    let id = rand::random::<u64>().to_string();
    let handled = handle(&state, &name, &headers, uri.query(), body).await;
    let status = match &handled.result {
        Ok(_) => StatusCode::OK,
        Err(failure) => failure.status(),
    };
    let seconds = started.elapsed().as_secs_f64();
    let label = handled.function.as_deref().unwrap_or(metrics::NO_FUNCTION);
    state.metrics.record(label, status.as_u16(), seconds);
    let query = uri.query().map(access_log::redact_query);
    access_log::request(&RequestLine {
        id: &id,
        method: method.as_str(),
        path: uri.path(),
        query: query.as_deref(),
        status: status.as_u16(),
        function: handled.function.as_deref(),
        key: handled.key.as_deref(),
        millis: seconds * 1000.0,
    });
    match handled.result {
        Ok(success) => success.into_response(&id),
        Err(failure) => failure.into_response(&id),
    }
}

/// Access, body, function, arguments, run: the first failure stops.
async fn handle(
    state: &Arc<State>,
    name: &str,
    headers: &HeaderMap,
    query: Option<&str>,
    body: Body,
) -> Handled {
    let mut handled = Handled {
        result: Err(Failure::Internal),
        function: None,
        key: None,
    };
    let query_pairs = query.map(args::form_pairs).unwrap_or_default();
    match auth::check(state, headers, &query_pairs) {
        Ok(key) => handled.key = key,
        Err(failure) => {
            handled.result = Err(failure);
            return handled;
        }
    }
    let catalog = state.catalog();
    let (index, full_name) = match execute::resolve(&catalog, name) {
        Ok(found) => found,
        Err(failure) => {
            handled.result = Err(failure);
            return handled;
        }
    };
    handled.function = Some(full_name);
    handled.result = match body_pairs(state.max_body_bytes, headers, body).await {
        Ok(mut pairs) => {
            let mut all = query_pairs;
            all.append(&mut pairs);
            execute::call(state, catalog, index, all).await
        }
        Err(failure) => Err(failure),
    };
    handled
}

/// The arguments in the body: a JSON object or a form; nothing for an empty body.
async fn body_pairs(
    limit: usize,
    headers: &HeaderMap,
    body: Body,
) -> Result<Vec<(String, Raw)>, Failure> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(Failure::TooLarge(limit));
    }
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| Failure::TooLarge(limit))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Vec::new());
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| Failure::BadArguments("the form body is not UTF-8".to_owned()))?;
        return Ok(args::form_pairs(text));
    }
    if content_type.is_empty() || content_type.contains("json") {
        return args::json_pairs(&bytes).map_err(|e| Failure::BadArguments(e.0));
    }
    Err(Failure::BadArguments(format!(
        "cannot read a body of type {content_type}: send application/json or \
         application/x-www-form-urlencoded"
    )))
}

/// `GET /healthz`: 200 with the number of functions served.
pub async fn healthz(Shared(state): Shared<Arc<State>>) -> Response {
    let functions = state.catalog().script.functions.len();
    axum::Json(json!({ "status": "ok", "functions": functions })).into_response()
}

/// `GET /metrics`: the Prometheus text format.
pub async fn metrics(Shared(state): Shared<Arc<State>>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}

/// Any other path: a JSON 404.
pub async fn not_found() -> Response {
    Failure::NoRoute.into_response("")
}
