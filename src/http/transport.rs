//! Sending one request and reading one response: the [`Transport`] trait and its reqwest
//! implementation.
//!
//! A transport makes exactly one exchange and never follows redirects: the redirect policy
//! (`super::redirect`) decides what to follow and which credentials may go along.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::multipart;
use reqwest::{Client, RequestBuilder};

use super::error::HttpError;
use super::io_thread::IoThread;
use super::request::{Body, HttpRequest, Method, MultipartPart};
use super::resolve::CheckedResolver;
use super::response::HttpResponse;
use crate::egress::{EgressPolicy, Refusal};

/// How long a connection attempt may take, at most (Zoho's invokeAPI figure).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How often a waiting exchange looks at its interrupt flag.
const INTERRUPT_POLL: Duration = Duration::from_millis(50);

/// Per-exchange settings.
///
/// ```
/// use std::sync::atomic::AtomicBool;
/// use std::sync::Arc;
/// use deluge_lang::{http::SendOptions, Limits};
///
/// let mut options = SendOptions::from_limits(&Limits::default());
/// options.interrupt = Some(Arc::new(AtomicBool::new(false)));
/// assert_eq!(options.max_response_bytes, Limits::default().http_max_response_bytes);
/// ```
#[derive(Clone, Debug)]
pub struct SendOptions {
    /// The whole exchange, from connecting to the last byte of the body, must fit in this.
    pub timeout: Duration,
    /// The largest response body accepted, in bytes. Reading stops past it.
    pub max_response_bytes: usize,
    /// Set from outside (Ctrl-C) to abandon the exchange: `send` then returns
    /// [`HttpError::Interrupted`] within about 50 ms.
    pub interrupt: Option<Arc<AtomicBool>>,
    /// The egress policy the exchange obeys ([`Engine::set_egress`](crate::Engine::set_egress)
    /// sets it): [`ReqwestTransport`] checks the URL and every address it connects to. A
    /// custom transport that connects by itself should check the addresses it connects to
    /// with [`EgressPolicy::check_address`].
    pub egress: Option<Arc<EgressPolicy>>,
}

impl SendOptions {
    /// The options set by a run's limits, with no interrupt flag and no egress policy.
    ///
    /// ```
    /// use std::time::Duration;
    /// use deluge_lang::{http::SendOptions, Limits};
    ///
    /// let limits = Limits { http_timeout: Duration::from_secs(5), ..Limits::default() };
    /// let options = SendOptions::from_limits(&limits);
    /// assert_eq!(options.timeout, Duration::from_secs(5));
    /// assert!(options.interrupt.is_none());
    /// ```
    pub fn from_limits(limits: &crate::eval::limits::Limits) -> SendOptions {
        SendOptions {
            timeout: limits.http_timeout,
            max_response_bytes: limits.http_max_response_bytes,
            interrupt: None,
            egress: None,
        }
    }

    fn interrupted(&self) -> bool {
        self.interrupt
            .as_ref()
            .is_some_and(|flag| flag.load(Ordering::SeqCst))
    }
}

/// Something that sends one HTTP request and returns the response, whatever its status.
///
/// [`Engine::set_transport`](crate::Engine::set_transport) routes `invokeurl`, `getUrl` and
/// `postUrl` through it, e.g. to a host's own HTTP client or to canned answers in tests.
///
/// ```
/// use deluge_lang::http::{HttpError, HttpRequest, HttpResponse, SendOptions, Transport};
///
/// /// Answers every request with 201 and the method it received.
/// struct Canned;
/// impl Transport for Canned {
///     fn send(&self, request: HttpRequest, _: &SendOptions) -> Result<HttpResponse, HttpError> {
///         let body = request.method.as_str().as_bytes().to_vec();
///         Ok(HttpResponse { status: 201, headers: vec![], body, url: request.url })
///     }
/// }
///
/// let mut engine = deluge_lang::Engine::new();
/// engine.set_transport(Canned);
/// let script = r#"r = invokeurl [ url: "https://example.com" type: PUT detailed: true ];
///     return r.get("responseCode") + " " + r.get("responseText");"#;
/// assert_eq!(engine.eval::<String>(script).unwrap(), "201 PUT");
/// ```
pub trait Transport: Send + Sync {
    /// Sends `request` once (no redirects followed) and reads the whole response.
    ///
    /// A response with any status is `Ok`; `Err` is for exchanges that got no response. When
    /// `options.interrupt` becomes true, give up and return [`HttpError::Interrupted`].
    ///
    /// ```
    /// use std::sync::{atomic::AtomicBool, Arc};
    /// use deluge_lang::http::{HttpError, HttpRequest, Method, ReqwestTransport};
    /// use deluge_lang::http::{SendOptions, Transport};
    ///
    /// let mut options = SendOptions::from_limits(&deluge_lang::Limits::default());
    /// options.interrupt = Some(Arc::new(AtomicBool::new(true)));
    /// let request = HttpRequest::new(Method::Get, "http://127.0.0.1:9/".parse().unwrap());
    /// let outcome = ReqwestTransport::new().send(request, &options);
    /// assert!(matches!(outcome, Err(HttpError::Interrupted { host }) if host == "127.0.0.1:9"));
    /// ```
    fn send(&self, request: HttpRequest, options: &SendOptions) -> Result<HttpResponse, HttpError>;
}

/// The default transport: `reqwest` clients (rustls, keep-alive) driven by the transport's own
/// I/O thread, created on first use and shared by every request of the engine that owns it.
///
/// The caller's thread only waits for the answer, so the engine's run methods work the same on
/// plain threads and on tokio runtime threads. TLS certificates must be valid, redirects are
/// left to the caller, and a set interrupt flag abandons the exchange (here before it starts,
/// so nothing is sent):
///
/// ```
/// use std::sync::{atomic::AtomicBool, Arc};
/// use deluge_lang::http::{HttpRequest, Method, ReqwestTransport, SendOptions, Transport};
///
/// let transport = ReqwestTransport::new();
/// let mut options = SendOptions::from_limits(&deluge_lang::Limits::default());
/// options.interrupt = Some(Arc::new(AtomicBool::new(true)));
/// let request = HttpRequest::new(Method::Get, "https://example.com/".parse().unwrap());
/// let error = transport.send(request, &options).unwrap_err();
/// assert_eq!(error.to_string(), "interrupted (Ctrl-C) while waiting for example.com:443");
/// ```
#[derive(Default)]
pub struct ReqwestTransport {
    io: OnceLock<Result<IoThread, String>>,
    /// Names answered without asking the system resolver (tests, split-horizon setups).
    fixed: Arc<HashMap<String, Vec<IpAddr>>>,
    /// One client per egress policy met (an engine has one; `None` is no policy).
    clients: Mutex<Vec<(Option<Arc<EgressPolicy>>, Client)>>,
}

impl ReqwestTransport {
    /// A transport whose I/O thread and client start on the first request.
    ///
    /// ```
    /// let mut engine = deluge_lang::Engine::new();
    /// // The default already; a host sets its own instance to share one client between engines.
    /// engine.set_transport(deluge_lang::http::ReqwestTransport::new());
    /// assert_eq!(engine.eval::<i64>("1 + 1").unwrap(), 2);
    /// ```
    pub fn new() -> ReqwestTransport {
        ReqwestTransport::default()
    }

    /// Answers `name` with `addresses` instead of asking the system resolver (like an
    /// `/etc/hosts` line for this transport only). The egress policy still checks them.
    ///
    /// ```
    /// use deluge_lang::http::ReqwestTransport;
    /// let transport = ReqwestTransport::new()
    ///     .resolve_to("api.example.com", &["192.0.2.10".parse().unwrap()]);
    /// ```
    pub fn resolve_to(mut self, name: &str, addresses: &[IpAddr]) -> ReqwestTransport {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        Arc::make_mut(&mut self.fixed).insert(name, addresses.to_vec());
        self
    }

    fn io(&self) -> Result<&IoThread, HttpError> {
        self.io
            .get_or_init(IoThread::start)
            .as_ref()
            .map_err(|detail| HttpError::InvalidRequest(detail.clone()))
    }

    /// The client for `policy`, built on first use.
    fn client(
        &self,
        io: &IoThread,
        policy: Option<&Arc<EgressPolicy>>,
    ) -> Result<Client, HttpError> {
        let mut clients = self
            .clients
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let same = |known: &Option<Arc<EgressPolicy>>| known.as_deref() == policy.map(Arc::as_ref);
        if let Some((_, client)) = clients.iter().find(|(known, _)| same(known)) {
            return Ok(client.clone());
        }
        let resolver = CheckedResolver {
            fixed: Arc::clone(&self.fixed),
            policy: policy.cloned(),
        };
        let client = io
            .within(|| build_client(resolver))
            .map_err(HttpError::InvalidRequest)?;
        clients.push((policy.cloned(), client.clone()));
        Ok(client)
    }
}

fn build_client(resolver: CheckedResolver) -> Result<Client, String> {
    let guarded = resolver.policy.is_some();
    let mut builder = Client::builder()
        .use_rustls_tls()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("deluge-lang/", env!("CARGO_PKG_VERSION")))
        .dns_resolver(Arc::new(resolver));
    if guarded {
        // A proxy resolves names itself, out of the policy's reach.
        builder = builder.no_proxy();
    }
    builder
        .build()
        .map_err(|error| format!("could not start the HTTP client: {error}"))
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest, options: &SendOptions) -> Result<HttpResponse, HttpError> {
        let host = request.host_port();
        if options.interrupted() {
            return Err(HttpError::Interrupted { host });
        }
        if let Some(policy) = &options.egress {
            policy.check_url(&request.url).map_err(HttpError::Egress)?;
        }
        let io = self.io()?;
        let client = self.client(io, options.egress.as_ref())?;
        let (done, outcome) = mpsc::channel();
        let worker_options = options.clone();
        let task = io.spawn(async move {
            let _ = done.send(exchange(client, request, worker_options).await);
        });
        let result = wait(&outcome, options, &host);
        if result.is_err() {
            task.abort();
        }
        result
    }
}

/// Waits for the I/O thread's answer, giving up as soon as the interrupt flag is set.
fn wait(
    outcome: &mpsc::Receiver<Result<HttpResponse, HttpError>>,
    options: &SendOptions,
    host: &str,
) -> Result<HttpResponse, HttpError> {
    let stopped = || HttpError::Other {
        host: host.to_owned(),
        detail: "the HTTP I/O thread stopped without an answer".into(),
    };
    if options.interrupt.is_none() {
        return outcome.recv().map_err(|_| stopped())?;
    }
    loop {
        match outcome.recv_timeout(INTERRUPT_POLL) {
            Ok(result) => return result,
            Err(RecvTimeoutError::Timeout) if options.interrupted() => {
                return Err(HttpError::Interrupted {
                    host: host.to_owned(),
                })
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Err(stopped()),
        }
    }
}

/// Sends one request and reads the whole response (on the I/O thread), within the timeout.
async fn exchange(
    client: Client,
    request: HttpRequest,
    options: SendOptions,
) -> Result<HttpResponse, HttpError> {
    let host = request.host_port();
    let timed_out = || HttpError::Timeout {
        host: host.clone(),
        after: options.timeout,
    };
    tokio::time::timeout(options.timeout, exchange_now(client, request, &options))
        .await
        .map_err(|_| timed_out())?
}

async fn exchange_now(
    client: Client,
    request: HttpRequest,
    options: &SendOptions,
) -> Result<HttpResponse, HttpError> {
    let host = request.host_port();
    let url = request.url.clone();
    let is_head = request.method == Method::Head;
    let builder = to_reqwest(&client, request)?.timeout(options.timeout);
    let mut response = builder
        .send()
        .await
        .map_err(|error| classify(&error, &host, options))?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = if is_head {
        Vec::new()
    } else {
        read_capped(&mut response, &host, options).await?
    };
    Ok(HttpResponse {
        status,
        headers,
        body,
        url,
    })
}

/// Converts the neutral request into a reqwest request.
fn to_reqwest(client: &Client, request: HttpRequest) -> Result<RequestBuilder, HttpError> {
    let method = reqwest::Method::from_bytes(request.method.as_str().as_bytes())
        .map_err(|_| HttpError::InvalidRequest("unsupported HTTP method".into()))?;
    let mut builder = client.request(method, request.url);
    let has_content_type = request
        .headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
    let is_multipart = matches!(request.body, Body::Multipart(_));
    for (name, value) in &request.headers {
        // reqwest writes the multipart content type itself, with its boundary.
        if is_multipart && name.eq_ignore_ascii_case("content-type") {
            continue;
        }
        builder = builder.header(header_name(name)?, header_value(name, value)?);
    }
    Ok(match request.body {
        Body::Empty => builder,
        Body::Raw {
            bytes,
            content_type,
        } => {
            if let (Some(content_type), false) = (content_type, has_content_type) {
                builder =
                    builder.header(CONTENT_TYPE, header_value("content-type", &content_type)?);
            }
            builder.body(bytes)
        }
        Body::Form(pairs) => {
            if !has_content_type {
                builder = builder.header(
                    CONTENT_TYPE,
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                );
            }
            builder.body(super::form::encode(&pairs))
        }
        Body::Multipart(parts) => builder.multipart(to_multipart(parts)?),
    })
}

fn to_multipart(parts: Vec<MultipartPart>) -> Result<multipart::Form, HttpError> {
    let mut form = multipart::Form::new();
    for part in parts {
        let mut piece = multipart::Part::bytes(part.bytes);
        if let Some(file_name) = part.file_name {
            piece = piece.file_name(file_name);
        }
        if let Some(content_type) = part.content_type {
            piece = piece.mime_str(&content_type).map_err(|_| {
                HttpError::InvalidRequest(format!(
                    "'{content_type}' is not a valid content type for the multipart part '{}'",
                    part.name
                ))
            })?;
        }
        form = form.part(part.name, piece);
    }
    Ok(form)
}

fn header_name(name: &str) -> Result<HeaderName, HttpError> {
    HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| {
        HttpError::InvalidRequest(format!(
            "'{name}' is not a valid HTTP header name (letters, digits and -, no spaces)"
        ))
    })
}

/// Header values are never echoed: they often hold tokens.
fn header_value(name: &str, value: &str) -> Result<HeaderValue, HttpError> {
    HeaderValue::from_str(value).map_err(|_| {
        HttpError::InvalidRequest(format!(
            "the value of header '{name}' contains characters that HTTP headers cannot carry \
             (line breaks or control characters)"
        ))
    })
}

/// Reads the body, failing as soon as it grows past the cap: never buffers more than the cap.
async fn read_capped(
    response: &mut reqwest::Response,
    host: &str,
    options: &SendOptions,
) -> Result<Vec<u8>, HttpError> {
    let limit = options.max_response_bytes;
    let too_large = || HttpError::TooLarge {
        host: host.to_owned(),
        limit,
    };
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(too_large());
    }
    let initial = response
        .content_length()
        .map_or(8 * 1024, |length| length as usize);
    let mut body = Vec::with_capacity(initial);
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| classify_body(&error, host, options))?
    {
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Turns a reqwest failure into a message that says what happened, without the URL.
fn classify(error: &reqwest::Error, host: &str, options: &SendOptions) -> HttpError {
    if let Some(refusal) = refusal_in(error) {
        return HttpError::Egress(refusal);
    }
    let failure = Failure {
        timed_out: error.is_timeout(),
        connecting: error.is_connect(),
        chain: error_chain(error),
    };
    failure.classify(host, options)
}

/// What is known about a failed exchange: reqwest's flags and the messages of its causes.
struct Failure {
    timed_out: bool,
    connecting: bool,
    chain: Vec<String>,
}

impl Failure {
    fn classify(&self, host: &str, options: &SendOptions) -> HttpError {
        let chain = &self.chain;
        let host = host.to_owned();
        if self.timed_out || chain.iter().any(|text| text.contains("timed out")) {
            return HttpError::Timeout {
                host,
                after: options.timeout,
            };
        }
        if chain.iter().any(|text| text.starts_with("dns error")) {
            let name = host
                .rsplit_once(':')
                .map_or(host.as_str(), |(name, _)| name);
            return HttpError::Dns {
                host: name.to_owned(),
                detail: innermost(chain).cloned().unwrap_or_default(),
            };
        }
        if let Some(tls) = chain.iter().find(|text| is_tls_message(text)) {
            return HttpError::Tls {
                host,
                detail: tls.clone(),
            };
        }
        if self.connecting {
            return HttpError::Connect {
                host,
                detail: connect_detail(chain),
            };
        }
        HttpError::Other {
            host,
            detail: innermost(chain)
                .cloned()
                .unwrap_or_else(|| "the connection closed unexpectedly".into()),
        }
    }
}

/// A failure while reading the body.
fn classify_body(error: &reqwest::Error, host: &str, options: &SendOptions) -> HttpError {
    let chain = error_chain(error);
    if error.is_timeout() || chain.iter().any(|text| text.contains("timed out")) {
        return HttpError::Timeout {
            host: host.to_owned(),
            after: options.timeout,
        };
    }
    HttpError::Other {
        host: host.to_owned(),
        detail: format!(
            "the connection broke while reading the response: {}",
            innermost(&chain).map_or("connection closed", String::as_str)
        ),
    }
}

/// The egress refusal among the causes of `error`, if the resolver refused the name.
fn refusal_in(error: &(dyn std::error::Error + 'static)) -> Option<Refusal> {
    let mut current = error.source();
    while let Some(source) = current {
        if let Some(refusal) = source.downcast_ref::<Refusal>() {
            return Some(refusal.clone());
        }
        current = source.source();
    }
    None
}

/// The messages of an error and all its sources, outermost first. reqwest's own top-level
/// message contains the URL and is skipped.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut chain = Vec::new();
    let mut current = error.source();
    while let Some(source) = current {
        chain.push(source.to_string());
        current = source.source();
    }
    chain
}

fn innermost(chain: &[String]) -> Option<&String> {
    chain.last()
}

fn is_tls_message(text: &str) -> bool {
    const TLS_WORDS: [&str; 7] = [
        "certificate",
        "tls",
        "handshake",
        "corrupt message",
        "alert",
        "peer is incompatible",
        "peer misbehaved",
    ];
    let lower = text.to_ascii_lowercase();
    TLS_WORDS.iter().any(|word| lower.contains(word))
}

fn connect_detail(chain: &[String]) -> String {
    let inner = innermost(chain).map_or("connection failed", String::as_str);
    if inner.to_ascii_lowercase().contains("refused") {
        "connection refused (is the server running and listening on that port?)".into()
    } else {
        inner.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(timed_out: bool, connecting: bool, chain: &[&str]) -> String {
        let failure = Failure {
            timed_out,
            connecting,
            chain: chain.iter().map(|text| text.to_string()).collect(),
        };
        let options = SendOptions {
            timeout: Duration::from_secs(40),
            max_response_bytes: 1,
            interrupt: None,
            egress: None,
        };
        failure
            .classify("api.example.com:443", &options)
            .to_string()
    }

    #[test]
    fn dns_failures_name_the_host() {
        let message = classify(
            false,
            true,
            &[
                "client error (Connect)",
                "dns error: failed to lookup address information: Name or service not known",
                "failed to lookup address information: Name or service not known",
            ],
        );
        assert_eq!(
            message,
            "could not resolve host 'api.example.com': failed to lookup address information: \
             Name or service not known"
        );
    }

    #[test]
    fn refused_connections_suggest_checking_the_server() {
        let message = classify(
            false,
            true,
            &[
                "client error (Connect)",
                "tcp connect error",
                "Connection refused (os error 111)",
            ],
        );
        assert_eq!(
            message,
            "could not connect to api.example.com:443: connection refused (is the server running \
             and listening on that port?)"
        );
    }

    #[test]
    fn certificate_problems_are_tls_errors() {
        let message = classify(
            false,
            true,
            &[
                "client error (Connect)",
                "invalid peer certificate: UnknownIssuer",
            ],
        );
        assert!(message.starts_with(
            "TLS handshake with api.example.com:443 failed: invalid peer certificate: UnknownIssuer"
        ));
    }

    #[test]
    fn timeouts_win_over_everything_else() {
        let message = classify(true, true, &["operation timed out"]);
        assert!(message.starts_with("socket timeout error"));
    }

    #[test]
    fn other_failures_keep_the_innermost_cause() {
        let message = classify(false, false, &["connection reset by peer"]);
        assert_eq!(
            message,
            "HTTP request to api.example.com:443 failed: connection reset by peer"
        );
    }
}
