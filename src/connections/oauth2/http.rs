//! The HTTP client for every authorization-server call (OAuth 2 token, refresh, device and
//! revocation endpoints; OAuth 1 request-token and access-token endpoints).
//!
//! It sends through dlg's own transport, so the same guarantees hold as for `invokeurl`:
//! redirects are never followed (RFC 6749 §3.2 forbids following them with credentials),
//! response bodies are read up to [`MAX_RESPONSE_BYTES`] and no further (an endless token
//! response cannot exhaust memory), and error messages name the host and port, never the URL
//! (an OAuth 1 URL with query placement carries the consumer secret).

use std::fmt;

use super::client::REQUEST_TIMEOUT;
use crate::http::error::describe_bytes;
use crate::http::request::{Body, HttpRequest, Method};
use crate::http::response::HttpResponse;
use crate::http::transport::{ReqwestTransport, SendOptions, Transport};
use crate::http::HttpError;

/// The largest answer accepted from an authorization server: token responses are a few KiB.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// Why an authorization-server exchange failed. Never holds a URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthHttpError(String);

impl fmt::Display for OAuthHttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OAuthHttpError {}

impl From<HttpError> for OAuthHttpError {
    fn from(error: HttpError) -> Self {
        OAuthHttpError(match error {
            HttpError::TooLarge { host, limit } => format!(
                "the answer from {host} is larger than {}, far more than any OAuth response \
                 needs; it was not read further",
                describe_bytes(limit)
            ),
            other => other.to_string(),
        })
    }
}

/// Sends requests to authorization servers.
#[derive(Default)]
pub struct OAuthHttp {
    transport: ReqwestTransport,
}

impl OAuthHttp {
    /// A client; the underlying connection pool is built on the first request.
    pub fn new() -> OAuthHttp {
        OAuthHttp::default()
    }

    /// Sends `request` once, within the 30 s request timeout, reading at most 1 MiB.
    pub fn send(&self, request: HttpRequest) -> Result<HttpResponse, OAuthHttpError> {
        let options = SendOptions {
            timeout: REQUEST_TIMEOUT,
            max_response_bytes: MAX_RESPONSE_BYTES,
            interrupt: None,
            egress: None,
        };
        Ok(self.transport.send(request, &options)?)
    }
}

impl oauth2::SyncHttpClient for OAuthHttp {
    type Error = OAuthHttpError;

    fn call(&self, request: oauth2::HttpRequest) -> Result<oauth2::HttpResponse, OAuthHttpError> {
        let response = self.send(from_oauth2(request)?)?;
        to_oauth2(response)
    }
}

fn from_oauth2(request: oauth2::HttpRequest) -> Result<HttpRequest, OAuthHttpError> {
    let method = match request.method().as_str() {
        "GET" => Method::Get,
        "POST" => Method::Post,
        other => {
            return Err(OAuthHttpError(format!(
                "unsupported method {other} for an authorization server"
            )))
        }
    };
    let url = url::Url::parse(&request.uri().to_string())
        .map_err(|e| OAuthHttpError(format!("the endpoint is not a valid URL: {e}")))?;
    let mut converted = HttpRequest::new(method, url);
    for (name, value) in request.headers() {
        converted.headers.push((
            name.as_str().to_owned(),
            String::from_utf8_lossy(value.as_bytes()).into_owned(),
        ));
    }
    let body = request.into_body();
    if !body.is_empty() {
        converted.body = Body::Raw {
            bytes: body,
            content_type: None,
        };
    }
    Ok(converted)
}

fn to_oauth2(response: HttpResponse) -> Result<oauth2::HttpResponse, OAuthHttpError> {
    let mut builder = oauth2::http::Response::builder().status(response.status);
    for (name, value) in &response.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder
        .body(response.body)
        .map_err(|e| OAuthHttpError(format!("unreadable response headers: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_large_answers_are_described_without_the_http_limit_advice() {
        let error = OAuthHttpError::from(HttpError::TooLarge {
            host: "127.0.0.1:9".into(),
            limit: MAX_RESPONSE_BYTES,
        });
        assert_eq!(
            error.to_string(),
            "the answer from 127.0.0.1:9 is larger than 1 MiB, far more than any OAuth response \
             needs; it was not read further"
        );
    }

    #[test]
    fn requests_keep_method_headers_and_body() {
        let request = oauth2::http::Request::builder()
            .method("POST")
            .uri("https://auth.example.com/token")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(b"grant_type=x".to_vec())
            .unwrap();
        let converted = from_oauth2(request).unwrap();
        assert_eq!(converted.method, Method::Post);
        assert_eq!(converted.url.as_str(), "https://auth.example.com/token");
        assert_eq!(
            converted.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert!(matches!(converted.body, Body::Raw { ref bytes, .. } if bytes == b"grant_type=x"));
    }
}
