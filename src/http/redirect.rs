//! The redirect policy (docs/decisions-local.md, "HTTP").
//!
//! - Up to [`MAX_REDIRECTS`] redirects (301, 302, 303, 307, 308) are followed; one more is an
//!   error.
//! - 303, and 301/302 after a POST, continue as GET without a body; 307 and 308 keep the method
//!   and body.
//! - A request signed by a connection follows redirects only within its origin (scheme, host
//!   and port); each hop is signed afresh from the unsigned request, so no credential is ever
//!   copied from one hop to the next. A redirect to another origin is not followed: the 3xx
//!   response is returned to the script.
//! - An unsigned request follows redirects anywhere, but every header of the script whose name
//!   looks secret-bearing (`Authorization`, `Proxy-Authorization`, `Cookie`, `X-Api-Key`,
//!   `X-Auth-Token`, ...: the names the debug log redacts, see [`verbose::is_secret_name`]) is
//!   dropped as soon as a hop leaves the original origin.

use std::time::Instant;

use url::Url;

use super::error::HttpError;
use super::request::{Body, HttpRequest, Method};
use super::response::HttpResponse;
use super::transport::{SendOptions, Transport};
use super::verbose;
use crate::eval::failure::Failure;

/// The most redirects followed for one request.
pub const MAX_REDIRECTS: usize = 10;

/// Adds a connection's credentials to one outgoing hop.
pub type Signer<'a> = &'a dyn Fn(&mut HttpRequest) -> Result<(), Failure>;

/// Why a fetch failed: the transport failed, or the connection refused to sign.
#[derive(Clone, Debug)]
pub enum FetchError {
    /// A network-level failure.
    Http(HttpError),
    /// The connection could not sign the request (its message is used as is).
    Sign(Failure),
}

impl From<FetchError> for Failure {
    fn from(error: FetchError) -> Failure {
        match error {
            FetchError::Http(error) => Failure::from(error),
            FetchError::Sign(failure) => failure,
        }
    }
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Http(error) => error.fmt(f),
            FetchError::Sign(failure) => failure.fmt(f),
        }
    }
}

/// Sends `unsigned` (signed per hop by `signer`, when given) and follows redirects under the
/// policy above. Every hop shares the time left until `deadline`.
pub fn send_following_redirects(
    transport: &dyn Transport,
    unsigned: HttpRequest,
    options: &SendOptions,
    deadline: Instant,
    signer: Option<Signer<'_>>,
) -> Result<HttpResponse, FetchError> {
    let first_host = unsigned.host_port();
    let first_url = unsigned.url.clone();
    let mut current = unsigned;
    for hop in 0..=MAX_REDIRECTS {
        let response = send_hop(transport, &current, options, deadline, signer)?;
        let Some(next) = next_hop(&current, &response, &first_url, signer.is_some()) else {
            return Ok(response);
        };
        log::debug!(
            "http: redirect {} to {}",
            response.status,
            verbose::redacted_url(&next.url, &[])
        );
        if hop == MAX_REDIRECTS {
            break;
        }
        current = next;
    }
    Err(FetchError::Http(HttpError::TooManyRedirects {
        host: first_host,
        limit: MAX_REDIRECTS,
    }))
}

fn send_hop(
    transport: &dyn Transport,
    request: &HttpRequest,
    options: &SendOptions,
    deadline: Instant,
    signer: Option<Signer<'_>>,
) -> Result<HttpResponse, FetchError> {
    let timed_out = || {
        FetchError::Http(HttpError::Timeout {
            host: request.host_port(),
            after: options.timeout,
        })
    };
    let remaining = deadline
        .checked_duration_since(Instant::now())
        .filter(|left| !left.is_zero())
        .ok_or_else(timed_out)?;
    let mut outgoing = request.clone();
    if let Some(sign) = signer {
        sign(&mut outgoing).map_err(FetchError::Sign)?;
    }
    let hop_options = SendOptions {
        timeout: remaining,
        ..options.clone()
    };
    if log::log_enabled!(log::Level::Debug) {
        for line in verbose::describe_request(request, &outgoing) {
            log::debug!("{line}");
        }
    }
    let started = Instant::now();
    let host = request.host_port();
    let result = transport.send(outgoing, &hop_options);
    match &result {
        Ok(response) => log::debug!(
            "{}",
            verbose::describe_response(
                response.status,
                &host,
                started.elapsed(),
                response.body.len(),
            )
        ),
        Err(error) => log::debug!(
            "http: failed after {} ms: {error}",
            started.elapsed().as_millis()
        ),
    }
    result.map_err(|error| match error {
        HttpError::Timeout { .. } => timed_out(),
        other => FetchError::Http(other),
    })
}

/// The unsigned request for the next hop, or `None` when `response` is final.
fn next_hop(
    current: &HttpRequest,
    response: &HttpResponse,
    first_url: &Url,
    signed: bool,
) -> Option<HttpRequest> {
    if !response.is_redirect() {
        return None;
    }
    let target = current.url.join(response.header("location")?.trim()).ok()?;
    if !matches!(target.scheme(), "http" | "https") {
        return None;
    }
    let leaves_origin = !same_origin(&target, first_url);
    if signed && leaves_origin {
        return None;
    }
    let mut next = current.clone();
    next.url = target;
    if changes_to_get(response.status, current.method) {
        next.method = Method::Get;
        next.body = Body::Empty;
        next.remove_header("content-type");
        next.remove_header("content-length");
    }
    if leaves_origin {
        next.headers
            .retain(|(name, _)| !verbose::is_secret_name(name));
    }
    Some(next)
}

fn changes_to_get(status: u16, method: Method) -> bool {
    match status {
        303 => method != Method::Head,
        301 | 302 => method == Method::Post,
        _ => false,
    }
}

/// Same scheme, host and port.
pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::time::Duration;

    use super::*;

    /// Answers from a script of responses and records what it was sent.
    struct Scripted {
        replies: Mutex<Vec<(u16, Option<&'static str>)>>,
        seen: Mutex<Vec<HttpRequest>>,
    }

    impl Scripted {
        fn new(mut replies: Vec<(u16, Option<&'static str>)>) -> Scripted {
            replies.reverse();
            Scripted {
                replies: Mutex::new(replies),
                seen: Mutex::new(Vec::new()),
            }
        }

        fn seen(&self) -> Vec<HttpRequest> {
            self.seen.lock().unwrap().clone()
        }
    }

    impl Transport for Scripted {
        fn send(
            &self,
            request: HttpRequest,
            _options: &SendOptions,
        ) -> Result<HttpResponse, HttpError> {
            let (status, location) = self.replies.lock().unwrap().pop().unwrap_or((200, None));
            let url = request.url.clone();
            self.seen.lock().unwrap().push(request);
            Ok(HttpResponse {
                status,
                headers: location
                    .map(|to| vec![("location".to_owned(), to.to_owned())])
                    .unwrap_or_default(),
                body: Vec::new(),
                url,
            })
        }
    }

    fn options() -> SendOptions {
        SendOptions {
            timeout: Duration::from_secs(5),
            max_response_bytes: 1024,
            interrupt: None,
            egress: None,
        }
    }

    fn post(url: &str) -> HttpRequest {
        let mut request = HttpRequest::new(Method::Post, Url::parse(url).unwrap());
        request.set_header("Authorization", "Bearer script-token");
        request.set_header("Content-Type", "text/plain");
        request.body = Body::Raw {
            bytes: b"x".to_vec(),
            content_type: None,
        };
        request
    }

    fn run(
        transport: &Scripted,
        request: HttpRequest,
        signer: Option<Signer<'_>>,
    ) -> Result<HttpResponse, FetchError> {
        let deadline = Instant::now() + Duration::from_secs(5);
        send_following_redirects(transport, request, &options(), deadline, signer)
    }

    #[test]
    fn cross_origin_hops_drop_script_credentials() {
        let transport = Scripted::new(vec![(307, Some("http://other:81/x"))]);
        let response = run(&transport, post("http://first/a"), None).unwrap();
        assert_eq!(response.status, 200);
        let seen = transport.seen();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[1].url.as_str(), "http://other:81/x");
        assert_eq!(seen[1].method, Method::Post);
        assert!(seen[1].header("authorization").is_none());
        assert!(matches!(seen[1].body, Body::Raw { .. }));
    }

    #[test]
    fn cross_origin_hops_drop_every_secret_looking_header() {
        let transport = Scripted::new(vec![(302, Some("http://other/x"))]);
        let mut request = HttpRequest::new(Method::Get, Url::parse("http://first/a").unwrap());
        for (name, value) in [
            ("X-Api-Key", "k"),
            ("X-Auth-Token", "t"),
            ("Cookie", "c"),
            ("Proxy-Authorization", "p"),
            ("Accept", "application/json"),
        ] {
            request.set_header(name, value);
        }
        run(&transport, request, None).unwrap();
        let second = &transport.seen()[1];
        let names: Vec<&str> = second.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["Accept"]);
    }

    #[test]
    fn same_origin_hops_keep_headers_and_303_becomes_get() {
        let transport = Scripted::new(vec![(303, Some("/b"))]);
        run(&transport, post("http://first/a"), None).unwrap();
        let seen = transport.seen();
        assert_eq!(seen[1].url.as_str(), "http://first/b");
        assert_eq!(seen[1].method, Method::Get);
        assert!(matches!(seen[1].body, Body::Empty));
        assert!(seen[1].header("content-type").is_none());
        assert_eq!(seen[1].header("authorization"), Some("Bearer script-token"));
    }

    #[test]
    fn signed_requests_stop_at_a_cross_origin_redirect() {
        let transport = Scripted::new(vec![(302, Some("/same")), (302, Some("http://evil/"))]);
        let sign: Signer<'_> = &|request: &mut HttpRequest| {
            request.set_header("X-Key", "secret");
            Ok(())
        };
        let response = run(&transport, post("http://first/a"), Some(sign)).unwrap();
        assert_eq!(response.status, 302);
        let seen = transport.seen();
        assert_eq!(seen.len(), 2);
        assert!(seen.iter().all(|r| r.header("x-key") == Some("secret")));
        assert!(seen.iter().all(|r| r.url.host_str() == Some("first")));
    }

    #[test]
    fn signing_failures_stop_the_request() {
        let transport = Scripted::new(vec![]);
        let sign: Signer<'_> = &|_: &mut HttpRequest| Err("connection \"x\" does not exist".into());
        let error = run(&transport, post("http://first/a"), Some(sign)).unwrap_err();
        assert_eq!(error.to_string(), "connection \"x\" does not exist");
        assert!(transport.seen().is_empty());
    }

    #[test]
    fn more_than_ten_redirects_is_an_error() {
        let transport = Scripted::new(vec![(302, Some("/loop")); 11]);
        let error = run(&transport, post("http://first/a"), None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "too many redirects: a request to first:80 was redirected more than 10 times"
        );
        assert_eq!(transport.seen().len(), 11);
    }

    #[test]
    fn ten_redirects_are_followed() {
        let transport = Scripted::new(vec![(302, Some("/loop")); 10]);
        let response = run(&transport, post("http://first/a"), None).unwrap();
        assert_eq!(response.status, 200);
    }

    #[test]
    fn non_http_locations_are_not_followed() {
        let transport = Scripted::new(vec![(302, Some("file:///etc/passwd"))]);
        let response = run(&transport, post("http://first/a"), None).unwrap();
        assert_eq!(response.status, 302);
    }

    #[test]
    fn an_expired_deadline_is_a_socket_timeout() {
        let transport = Scripted::new(vec![]);
        let error = send_following_redirects(
            &transport,
            post("http://first/a"),
            &options(),
            Instant::now(),
            None,
        )
        .unwrap_err();
        assert!(error.to_string().starts_with("socket timeout error"));
    }
}
