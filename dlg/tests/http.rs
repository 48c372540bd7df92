//! `invokeurl`, `getUrl` and `postUrl` against a real httpbin on 127.0.0.1, first through
//! `invoke_url` directly, then as scripts run by `dlg run`.
//!
//! Connections: the direct tests use a small test authorizer (below) to reach paths the store
//! cannot trigger on demand (a renewal after 401); the script tests use the real connection
//! store in a temporary DLG_HOME, set up with `dlg service create` / `dlg connection ...`.

#[path = "../../tests/support/mod.rs"]
mod support;

use std::io::Write;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use deluge_lang::eval::context::NativeCtx;
use deluge_lang::eval::env::RunEnv;
use deluge_lang::eval::render::display;
use deluge_lang::eval::value::{FileValue, Map, MapData, Value};
use deluge_lang::http::{
    invoke_url, Body, ConnectionAuthorizer, ConnectionError, HttpNetwork, HttpRequest,
};
use deluge_lang::stdlib::builtins_named;

use support::httpbin;

// ---------------------------------------------------------------------------------------------
// Helpers

fn invoke_with(env: &RunEnv, params: Vec<(&str, Value)>) -> Result<Value, String> {
    let params: Vec<(String, Value)> = params
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect();
    invoke_url(&mut NativeCtx::new(env), &params).map_err(|failure| failure.to_string())
}

fn invoke(params: Vec<(&str, Value)>) -> Result<Value, String> {
    invoke_with(&http_env(), params)
}

/// A run environment whose network is the HTTP engine with the built-in transport and no
/// connections (what `Engine::new` sets up, without the connection store).
fn http_env() -> RunEnv {
    RunEnv {
        network: Arc::new(HttpNetwork::default()),
        ..RunEnv::default()
    }
}

fn text(s: &str) -> Value {
    Value::text(s)
}

fn url(path: &str) -> Value {
    Value::text(httpbin::shared().url(path))
}

fn map(pairs: &[(&str, Value)]) -> Value {
    let mut data = MapData::default();
    for (key, value) in pairs {
        data.insert(Value::text(*key), value.clone());
    }
    Value::Map(Map::from_data(data))
}

/// `value.get(key)` on a KEY-VALUE; null when absent or not a map.
fn get(value: &Value, key: &str) -> Value {
    match value {
        Value::Map(map) => map
            .borrow()
            .get(&Value::text(key))
            .cloned()
            .unwrap_or_default(),
        _ => Value::Null,
    }
}

/// Follows a path of keys: `at(&v, &["headers", "Authorization"])`.
fn at(value: &Value, path: &[&str]) -> Value {
    path.iter()
        .fold(value.clone(), |current, key| get(&current, key))
}

fn shown(value: &Value) -> String {
    display(value)
}

fn file(name: &str, content_type: &str, bytes: &[u8]) -> Value {
    Value::File(Rc::new(FileValue {
        name: name.into(),
        content_type: Some(content_type.into()),
        charset: None,
        bytes: bytes.to_vec(),
        ..FileValue::default()
    }))
}

fn env_with_limits(timeout: Duration, max_bytes: usize) -> RunEnv {
    let mut env = http_env();
    env.limits.http_timeout = timeout;
    env.limits.http_max_response_bytes = max_bytes;
    env
}

// ---------------------------------------------------------------------------------------------
// Methods, parameters and bodies

#[test]
fn every_method_reaches_the_server() {
    for method in ["GET", "post", "Put", "PATCH", "delete"] {
        let reply = invoke(vec![("url", url("/anything/m")), ("type", text(method))]).unwrap();
        assert_eq!(
            shown(&get(&reply, "method")),
            method.to_ascii_uppercase(),
            "{method}"
        );
    }
}

#[test]
fn head_returns_headers_and_no_body() {
    let reply = invoke(vec![
        ("url", url("/get")),
        ("type", text("HEAD")),
        ("detailed", Value::Bool(true)),
    ])
    .unwrap();
    assert_eq!(shown(&get(&reply, "responseCode")), "200");
    assert_eq!(shown(&get(&reply, "responseText")), "");
    assert_eq!(
        shown(&at(&reply, &["responseHeader", "content-type"])),
        "application/json"
    );
}

#[test]
fn get_map_parameters_become_the_query_string() {
    let reply = invoke(vec![
        ("url", url("/get?fixed=1")),
        (
            "parameters",
            map(&[("q", text("a b&c")), ("n", Value::Number(42))]),
        ),
    ])
    .unwrap();
    assert_eq!(
        shown(&get(&reply, "args")),
        r#"{"fixed":"1","n":"42","q":"a b&c"}"#
    );
}

#[test]
fn post_map_parameters_are_a_form() {
    let reply = invoke(vec![
        ("url", url("/post")),
        ("type", text("POST")),
        (
            "parameters",
            map(&[("name", text("Zoë")), ("empty", Value::Null)]),
        ),
    ])
    .unwrap();
    assert_eq!(shown(&get(&reply, "form")), r#"{"empty":"","name":"Zoë"}"#);
    assert_eq!(
        shown(&at(&reply, &["headers", "Content-Type"])),
        "application/x-www-form-urlencoded"
    );
}

#[test]
fn text_parameters_are_a_raw_body() {
    let reply = invoke(vec![
        ("url", url("/put")),
        ("type", text("PUT")),
        ("parameters", text("plain words")),
    ])
    .unwrap();
    assert_eq!(shown(&get(&reply, "data")), "plain words");
    assert!(shown(&at(&reply, &["headers", "Content-Type"])).starts_with("text/plain"));
}

#[test]
fn json_text_with_a_json_header_is_parsed_by_the_server() {
    let payload = map(&[("a", Value::Number(1)), ("b", text("x"))]);
    let reply = invoke(vec![
        ("url", url("/post")),
        ("type", text("POST")),
        ("parameters", text(&shown(&payload))),
        (
            "headers",
            map(&[("Content-Type", text("application/json"))]),
        ),
    ])
    .unwrap();
    assert_eq!(shown(&get(&reply, "json")), r#"{"a":1,"b":"x"}"#);
}

#[test]
fn content_type_key_overrides_the_header_and_map_bodies_follow_it() {
    let reply = invoke(vec![
        ("url", url("/patch")),
        ("type", text("PATCH")),
        ("parameters", map(&[("k", Value::Bool(true))])),
        ("headers", map(&[("Content-Type", text("text/plain"))])),
        ("content-type", text("application/json")),
    ])
    .unwrap();
    assert_eq!(
        shown(&at(&reply, &["headers", "Content-Type"])),
        "application/json"
    );
    assert_eq!(shown(&get(&reply, "json")), r#"{"k":true}"#);
}

#[test]
fn body_key_is_raw_and_map_parameters_then_go_to_the_query() {
    let reply = invoke(vec![
        ("url", url("/post")),
        ("type", text("POST")),
        ("body", map(&[("x", Value::Number(2))])),
        ("parameters", map(&[("page", Value::Number(3))])),
    ])
    .unwrap();
    assert_eq!(shown(&get(&reply, "json")), r#"{"x":2}"#);
    assert_eq!(shown(&get(&reply, "args")), r#"{"page":"3"}"#);
}

#[test]
fn files_are_uploaded_as_multipart_with_text_fields() {
    let reply = invoke(vec![
        ("url", url("/post")),
        ("type", text("POST")),
        ("parameters", map(&[("title", text("report"))])),
        ("files", file("notes.txt", "text/plain", b"file body")),
    ])
    .unwrap();
    assert_eq!(shown(&get(&reply, "files")), r#"{"file":"file body"}"#);
    assert_eq!(shown(&get(&reply, "form")), r#"{"title":"report"}"#);
    assert!(shown(&at(&reply, &["headers", "Content-Type"]))
        .starts_with("multipart/form-data; boundary="));
}

#[test]
fn file_values_in_parameters_are_named_by_their_key() {
    let reply = invoke(vec![
        ("url", url("/post")),
        ("type", text("POST")),
        (
            "parameters",
            map(&[("attachment", file("a.csv", "text/csv", b"a,b"))]),
        ),
    ])
    .unwrap();
    assert_eq!(shown(&get(&reply, "files")), r#"{"attachment":"a,b"}"#);
}

#[test]
fn headers_are_sent() {
    let reply = invoke(vec![
        ("url", url("/headers")),
        (
            "headers",
            map(&[
                ("X-Custom", text("v1")),
                ("Accept", text("application/json")),
            ]),
        ),
    ])
    .unwrap();
    assert_eq!(shown(&at(&reply, &["headers", "X-Custom"])), "v1");
}

#[test]
fn a_bad_header_name_is_a_clear_error() {
    let error = invoke(vec![
        ("url", url("/headers")),
        ("headers", map(&[("Bad Name", text("v"))])),
    ])
    .unwrap_err();
    assert!(
        error.contains("'Bad Name' is not a valid HTTP header name"),
        "{error}"
    );
}

// ---------------------------------------------------------------------------------------------
// Responses

#[test]
fn error_statuses_are_returned_not_thrown() {
    let reply = invoke(vec![
        ("url", url("/status/404")),
        ("detailed", Value::Bool(true)),
    ])
    .unwrap();
    assert_eq!(shown(&get(&reply, "responseCode")), "404");
    let plain = invoke(vec![("url", url("/status/500"))]).unwrap();
    assert_eq!(shown(&plain), "");
}

#[test]
fn detailed_responses_have_code_lower_case_headers_and_parsed_text() {
    let reply = invoke(vec![
        ("url", url("/response-headers?X-Trace-Id=abc")),
        ("detailed", Value::Bool(true)),
    ])
    .unwrap();
    assert_eq!(shown(&get(&reply, "responseCode")), "200");
    assert_eq!(shown(&at(&reply, &["responseHeader", "x-trace-id"])), "abc");
    assert!(matches!(get(&reply, "responseText"), Value::Map(_)));
    assert_eq!(shown(&at(&reply, &["responseText", "X-Trace-Id"])), "abc");
}

#[test]
fn json_responses_become_maps_and_lists() {
    let reply = invoke(vec![("url", url("/json"))]).unwrap();
    assert!(matches!(reply, Value::Map(_)));
    assert!(matches!(
        at(&reply, &["slideshow", "slides"]),
        Value::List(_)
    ));
}

#[test]
fn text_responses_stay_text() {
    let reply = invoke(vec![("url", url("/robots.txt"))]).unwrap();
    assert!(shown(&reply).contains("Disallow: /deny"), "{reply:?}");
    let html = invoke(vec![("url", url("/html"))]).unwrap();
    assert!(matches!(html, Value::Text(_)));
}

#[test]
fn binary_responses_become_files() {
    let reply = invoke(vec![("url", url("/image/png"))]).unwrap();
    let Value::File(file) = reply else {
        panic!("expected a FILE, got {reply:?}")
    };
    assert_eq!(file.content_type.as_deref(), Some("image/png"));
    assert!(file.bytes.starts_with(b"\x89PNG"));
    assert_eq!(file.name, "png");
}

#[test]
fn response_format_file_forces_a_file() {
    let reply = invoke(vec![
        ("url", url("/json")),
        ("response-format", text("FILE")),
    ])
    .unwrap();
    let Value::File(file) = reply else {
        panic!("expected a FILE")
    };
    assert!(file.bytes.starts_with(b"{"));
}

#[test]
fn response_decoding_overrides_the_declared_charset() {
    // /encoding/utf8 is UTF-8 text declared as such; read as ISO-8859-1 (windows-1252, as
    // browsers do) the bytes E2 88 AE of "∮" become "âˆ®".
    let declared = invoke(vec![("url", url("/encoding/utf8"))]).unwrap();
    assert!(shown(&declared).contains('∮'));
    let latin1 = invoke(vec![
        ("url", url("/encoding/utf8")),
        ("response-decoding", text("ISO-8859-1")),
    ])
    .unwrap();
    assert!(shown(&latin1).contains("âˆ®"));
    assert!(!shown(&latin1).contains('∮'));
}

// ---------------------------------------------------------------------------------------------
// Redirects

#[test]
fn redirects_within_the_host_keep_script_headers() {
    let server = httpbin::shared();
    let target = server.url("/headers");
    let reply = invoke(vec![
        (
            "url",
            url(&format!("/redirect-to?url={target}&status_code=302")),
        ),
        (
            "headers",
            map(&[("Authorization", text("Bearer script-token"))]),
        ),
    ])
    .unwrap();
    assert_eq!(
        shown(&at(&reply, &["headers", "Authorization"])),
        "Bearer script-token"
    );
}

#[test]
fn redirects_to_another_host_drop_script_credentials() {
    let server = httpbin::shared();
    let target = server.other_origin_url("/headers");
    let reply = invoke(vec![
        (
            "url",
            url(&format!("/redirect-to?url={target}&status_code=307")),
        ),
        (
            "headers",
            map(&[
                ("Authorization", text("Bearer script-token")),
                ("Cookie", text("session=1")),
                ("X-Other", text("kept")),
            ]),
        ),
    ])
    .unwrap();
    let headers = get(&reply, "headers");
    assert_eq!(
        shown(&get(&headers, "Host")),
        format!("localhost:{}", server.port())
    );
    assert!(
        get(&headers, "Authorization").is_null(),
        "{}",
        shown(&headers)
    );
    assert!(get(&headers, "Cookie").is_null());
    assert_eq!(shown(&get(&headers, "X-Other")), "kept");
}

#[test]
fn more_than_ten_redirects_fail() {
    let error = invoke(vec![("url", url("/redirect/11"))]).unwrap_err();
    assert!(error.starts_with("too many redirects"), "{error}");
    let reply = invoke(vec![("url", url("/redirect/10"))]).unwrap();
    assert!(matches!(reply, Value::Map(_)));
}

// ---------------------------------------------------------------------------------------------
// Limits and network failures

#[test]
fn slow_responses_hit_the_socket_timeout() {
    let env = env_with_limits(Duration::from_secs(1), 5 * 1024 * 1024);
    let target = url("/delay/3");
    let started = Instant::now();
    let error = invoke_with(&env, vec![("url", target)]).unwrap_err();
    assert!(error.starts_with("socket timeout error"), "{error}");
    assert!(error.contains("within 1 s"), "{error}");
    assert!(started.elapsed() < Duration::from_millis(2900));
}

#[test]
fn a_body_that_trickles_in_too_slowly_hits_the_timeout() {
    let env = env_with_limits(Duration::from_secs(1), 5 * 1024 * 1024);
    let target = url("/drip?duration=3&numbytes=6&delay=0");
    let started = Instant::now();
    let error = invoke_with(&env, vec![("url", target)]).unwrap_err();
    assert!(error.starts_with("socket timeout error"), "{error}");
    assert!(started.elapsed() < Duration::from_millis(2900));
}

#[test]
fn responses_over_the_cap_are_refused() {
    let env = env_with_limits(Duration::from_secs(10), 1000);
    let error = invoke_with(&env, vec![("url", url("/bytes/5000"))]).unwrap_err();
    assert!(
        error.contains("larger than the 1000 bytes limit"),
        "{error}"
    );
    // Chunked, no Content-Length: stopped while reading.
    let error = invoke_with(
        &env,
        vec![("url", url("/stream-bytes/5000?chunk_size=100"))],
    )
    .unwrap_err();
    assert!(
        error.contains("larger than the 1000 bytes limit"),
        "{error}"
    );
    let small = invoke_with(&env, vec![("url", url("/bytes/1000"))]).unwrap();
    assert!(matches!(small, Value::File(ref f) if f.bytes.len() == 1000));
}

#[test]
fn a_closed_port_is_connection_refused() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let error = invoke(vec![(
        "url",
        text(&format!("http://127.0.0.1:{port}/x?key=SECRET")),
    )])
    .unwrap_err();
    assert!(
        error.starts_with(&format!(
            "could not connect to 127.0.0.1:{port}: connection refused"
        )),
        "{error}"
    );
    assert!(!error.contains("SECRET"));
}

/// A loopback server that answers every connection with a plain-text HTTP error, whatever it
/// receives: a TLS client sees garbage instead of a handshake.
fn plain_text_server() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten().take(4) {
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
    });
    port
}

#[test]
fn tls_to_a_plain_http_server_fails_clearly() {
    let port = plain_text_server();
    let env = env_with_limits(Duration::from_secs(5), 1024);
    let error = invoke_with(
        &env,
        vec![("url", text(&format!("https://127.0.0.1:{port}/")))],
    )
    .unwrap_err();
    assert!(
        error.starts_with(&format!("TLS handshake with 127.0.0.1:{port} failed")),
        "{error}"
    );
}

/// A loopback HTTP/1.1 server that answers `ok` to every request, keeps connections open and
/// counts the connections it accepted.
fn keep_alive_server() -> (u16, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten().take(8) {
            counter.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || answer_until_closed(stream));
        }
    });
    (port, accepted)
}

fn answer_until_closed(stream: std::net::TcpStream) {
    use std::io::BufRead;
    let mut writer = stream.try_clone().unwrap();
    let mut reader = std::io::BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) if line == "\r\n" => {
                let reply = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
                if writer.write_all(reply).is_err() {
                    return;
                }
            }
            Ok(_) => {}
        }
    }
}

#[test]
fn one_engine_reuses_one_connection() {
    let (port, accepted) = keep_alive_server();
    let env = http_env();
    let copy = env.clone();
    for run in [&env, &copy, &env] {
        let reply = invoke_with(
            run,
            vec![("url", text(&format!("http://127.0.0.1:{port}/")))],
        );
        assert_eq!(reply.unwrap().as_text(), Some("ok"));
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[test]
fn self_signed_certificates_are_refused() {
    let server = support::tls::SelfSignedServer::start();
    let env = env_with_limits(Duration::from_secs(10), 1024);
    let error = invoke_with(&env, vec![("url", text(&server.url("/")))]).unwrap_err();
    assert!(
        error.starts_with("TLS handshake with 127.0.0.1:"),
        "{error}"
    );
    assert!(error.contains("certificate"), "{error}");
    assert!(
        error.contains("self-signed certificates are refused"),
        "{error}"
    );
}

// ---------------------------------------------------------------------------------------------
// Legacy functions

fn call(name: &str, args: &[Value]) -> Result<Value, String> {
    let builtin = builtins_named(name)
        .first()
        .unwrap_or_else(|| panic!("{name} is not registered"));
    builtin
        .call(&mut NativeCtx::new(&http_env()), args)
        .map_err(|failure| failure.to_string())
}

#[test]
fn get_url_returns_text_or_a_detailed_map() {
    let body = call("getUrl", &[url("/get?x=1")]).unwrap();
    assert!(matches!(body, Value::Text(_)));
    assert!(shown(&body).contains("\"x\": \"1\""));
    let detailed = call(
        "getURL",
        &[
            url("/status/418"),
            map(&[("X-A", text("1"))]),
            Value::Bool(false),
        ],
    )
    .unwrap();
    assert_eq!(shown(&get(&detailed, "responseCode")), "418");
    assert!(matches!(get(&detailed, "responseHeader"), Value::Map(_)));
}

#[test]
fn post_url_sends_forms_and_raw_text() {
    let body = call("postUrl", &[url("/post"), map(&[("a", text("1"))])]).unwrap();
    assert!(shown(&body).contains("\"a\": \"1\""), "{}", shown(&body));
    let body = call(
        "postUrl",
        &[
            url("/post"),
            text("raw"),
            map(&[("X-A", text("b"))]),
            Value::Bool(false),
        ],
    )
    .unwrap();
    assert_eq!(shown(&get(&body, "responseCode")), "200");
    assert!(shown(&get(&body, "responseText")).contains("\"data\": \"raw\""));
}

// ---------------------------------------------------------------------------------------------
// Connections through a test authorizer

#[derive(Clone)]
enum Credential {
    Basic(&'static str, &'static str),
    Bearer(&'static str),
    QueryKey(&'static str, &'static str),
    FormKey(&'static str, &'static str),
    HeaderKey(&'static str, &'static str),
}

/// Signs requests for one link name, only towards 127.0.0.1; `renew` replaces the credential
/// after a 401.
struct TestAuthorizer {
    link: &'static str,
    credential: Mutex<Credential>,
    renewed: Option<Credential>,
    renew_calls: AtomicUsize,
}

impl TestAuthorizer {
    fn new(link: &'static str, credential: Credential) -> Arc<TestAuthorizer> {
        Arc::new(TestAuthorizer {
            link,
            credential: Mutex::new(credential),
            renewed: None,
            renew_calls: AtomicUsize::new(0),
        })
    }
}

impl ConnectionAuthorizer for TestAuthorizer {
    fn authorize(&self, link_name: &str, request: &mut HttpRequest) -> Result<(), ConnectionError> {
        if link_name != self.link {
            return Err(ConnectionError::UnknownConnection {
                link_name: link_name.into(),
            });
        }
        if request.url.host_str() != Some("127.0.0.1") {
            return Err(ConnectionError::HostNotAllowed {
                link_name: link_name.into(),
                host: request.url.host_str().unwrap_or_default().into(),
                allowed: vec!["127.0.0.1".into()],
            });
        }
        match self.credential.lock().unwrap().clone() {
            Credential::Basic(user, pass) => {
                let token =
                    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
                request.set_header("Authorization", format!("Basic {token}"));
            }
            Credential::Bearer(token) => {
                request.set_header("Authorization", format!("Bearer {token}"))
            }
            Credential::QueryKey(name, value) => {
                request.url.query_pairs_mut().append_pair(name, value);
            }
            Credential::FormKey(name, value) => match &mut request.body {
                Body::Form(pairs) => pairs.push((name.into(), value.into())),
                body => *body = Body::Form(vec![(name.into(), value.into())]),
            },
            Credential::HeaderKey(name, value) => request.set_header(name, value),
        }
        Ok(())
    }

    fn renew_after_unauthorized(&self, _link_name: &str) -> Result<bool, ConnectionError> {
        self.renew_calls.fetch_add(1, Ordering::SeqCst);
        match &self.renewed {
            Some(next) => {
                *self.credential.lock().unwrap() = next.clone();
                Ok(true)
            }
            None => Ok(false),
        }
    }
}

fn env_with(authorizer: Arc<TestAuthorizer>) -> RunEnv {
    let network = HttpNetwork {
        connections: Some(authorizer),
        ..HttpNetwork::default()
    };
    RunEnv {
        network: Arc::new(network),
        ..RunEnv::default()
    }
}

#[test]
fn basic_auth_connection_is_accepted() {
    let env = env_with(TestAuthorizer::new(
        "site",
        Credential::Basic("ana", "pässword"),
    ));
    let reply = invoke_with(
        &env,
        vec![
            ("url", url("/basic-auth/ana/pässword")),
            ("connection", text("site")),
            ("detailed", Value::Bool(true)),
        ],
    )
    .unwrap();
    assert_eq!(shown(&get(&reply, "responseCode")), "200");
    assert_eq!(shown(&at(&reply, &["responseText", "user"])), "ana");
}

#[test]
fn bearer_connection_is_accepted_and_missing_auth_is_401() {
    let env = env_with(TestAuthorizer::new("api", Credential::Bearer("tok-123")));
    let reply = invoke_with(
        &env,
        vec![("url", url("/bearer")), ("connection", text("api"))],
    )
    .unwrap();
    assert_eq!(shown(&get(&reply, "token")), "tok-123");
    let unsigned = invoke(vec![
        ("url", url("/bearer")),
        ("detailed", Value::Bool(true)),
    ])
    .unwrap();
    assert_eq!(shown(&get(&unsigned, "responseCode")), "401");
}

#[test]
fn api_keys_land_where_the_connection_puts_them() {
    let query = env_with(TestAuthorizer::new(
        "k",
        Credential::QueryKey("api_key", "Q1"),
    ));
    let reply = invoke_with(
        &query,
        vec![("url", url("/anything")), ("connection", text("k"))],
    )
    .unwrap();
    assert_eq!(shown(&at(&reply, &["args", "api_key"])), "Q1");

    let form = env_with(TestAuthorizer::new(
        "k",
        Credential::FormKey("api_key", "F1"),
    ));
    let reply = invoke_with(
        &form,
        vec![
            ("url", url("/anything")),
            ("type", text("POST")),
            ("parameters", map(&[("a", text("1"))])),
            ("connection", text("k")),
        ],
    )
    .unwrap();
    assert_eq!(shown(&get(&reply, "form")), r#"{"a":"1","api_key":"F1"}"#);

    let header = env_with(TestAuthorizer::new(
        "k",
        Credential::HeaderKey("Authorization", "Zoho-oauthtoken 1000.abc"),
    ));
    let reply = invoke_with(
        &header,
        vec![("url", url("/anything")), ("connection", text("k"))],
    )
    .unwrap();
    assert_eq!(
        shown(&at(&reply, &["headers", "Authorization"])),
        "Zoho-oauthtoken 1000.abc"
    );
}

#[test]
fn a_401_renews_the_connection_once_and_retries() {
    let authorizer = Arc::new(TestAuthorizer {
        link: "site",
        credential: Mutex::new(Credential::Basic("ana", "old")),
        renewed: Some(Credential::Basic("ana", "new")),
        renew_calls: AtomicUsize::new(0),
    });
    let env = env_with(authorizer.clone());
    let reply = invoke_with(
        &env,
        vec![
            ("url", url("/basic-auth/ana/new")),
            ("connection", text("site")),
            ("detailed", Value::Bool(true)),
        ],
    )
    .unwrap();
    assert_eq!(shown(&get(&reply, "responseCode")), "200");
    assert_eq!(authorizer.renew_calls.load(Ordering::SeqCst), 1);
}

#[test]
fn a_401_that_cannot_be_renewed_is_returned() {
    let authorizer = TestAuthorizer::new("site", Credential::Basic("ana", "wrong"));
    let env = env_with(authorizer.clone());
    let reply = invoke_with(
        &env,
        vec![
            ("url", url("/basic-auth/ana/right")),
            ("connection", text("site")),
            ("detailed", Value::Bool(true)),
        ],
    )
    .unwrap();
    assert_eq!(shown(&get(&reply, "responseCode")), "401");
    assert_eq!(authorizer.renew_calls.load(Ordering::SeqCst), 1);
}

#[test]
fn signed_requests_do_not_follow_redirects_to_another_host() {
    let server = httpbin::shared();
    let env = env_with(TestAuthorizer::new("api", Credential::Bearer("tok")));
    let target = server.other_origin_url("/headers");
    let reply = invoke_with(
        &env,
        vec![
            (
                "url",
                url(&format!("/redirect-to?url={target}&status_code=302")),
            ),
            ("connection", text("api")),
            ("detailed", Value::Bool(true)),
        ],
    )
    .unwrap();
    assert_eq!(shown(&get(&reply, "responseCode")), "302");
    assert_eq!(shown(&at(&reply, &["responseHeader", "location"])), target);
}

#[test]
fn signed_requests_follow_redirects_within_the_host_signed_again() {
    let server = httpbin::shared();
    let env = env_with(TestAuthorizer::new("api", Credential::QueryKey("key", "K")));
    let target = server.url("/anything/final");
    let reply = invoke_with(
        &env,
        vec![
            (
                "url",
                url(&format!("/redirect-to?url={target}&status_code=302")),
            ),
            ("connection", text("api")),
        ],
    )
    .unwrap();
    assert_eq!(shown(&get(&reply, "url")), format!("{target}?key=K"));
}

#[test]
fn connection_errors_reach_the_script() {
    let env = env_with(TestAuthorizer::new("api", Credential::Bearer("tok")));
    let error = invoke_with(
        &env,
        vec![("url", url("/bearer")), ("connection", text("nope"))],
    )
    .unwrap_err();
    assert!(
        error.starts_with("connection \"nope\" does not exist"),
        "{error}"
    );
    let error = invoke(vec![("url", url("/bearer")), ("connection", text("api"))]).unwrap_err();
    assert!(
        error.contains("this engine has no connection store; the program running the script attaches one with `Engine::set_connections`"),
        "{error}"
    );
}

// ---------------------------------------------------------------------------------------------
// Scripts run by `dlg run`, with connections from a real store in a temporary DLG_HOME

/// A temporary DLG_HOME with two connections for httpbin on 127.0.0.1: `binc` (Basic, ana/pw)
/// and `keysc` (API keys in the query, a header and the form).
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        let home = Home {
            dir: tempfile::tempdir().expect("temporary DLG_HOME"),
        };
        home.dlg_ok(&[
            "service",
            "create",
            "--auth",
            "basic",
            "--host",
            "127.0.0.1",
            "bin",
        ]);
        home.dlg_ok(&["connection", "create", "--service", "bin", "binc"]);
        home.dlg_ok(&[
            "connection",
            "authorize",
            "binc",
            "--param",
            "username=ana",
            "--param",
            &home.secret_file("password", "pw"),
        ]);
        home.dlg_ok(&[
            "service",
            "create",
            "--auth",
            "api-key",
            "--host",
            "127.0.0.1",
            "--param",
            "api_key:query",
            "--param",
            "X-Api-Key:header",
            "--param",
            "token:form",
            "keys",
        ]);
        home.dlg_ok(&["connection", "create", "--service", "keys", "keysc"]);
        home.dlg_ok(&[
            "connection",
            "authorize",
            "keysc",
            "--param",
            &home.secret_file("api_key", "QSECRET"),
            "--param",
            &home.secret_file("X-Api-Key", "HSECRET"),
            "--param",
            &home.secret_file("token", "FSECRET"),
        ]);
        home
    }

    /// `KEY=@FILE` for `--param`, with `value` written to a file (secrets never go on the
    /// command line).
    fn secret_file(&self, key: &str, value: &str) -> String {
        let path = self.dir.path().join(format!("{key}.secret"));
        std::fs::write(&path, value).expect("write the secret file");
        format!("{key}=@{}", path.display())
    }

    fn dlg(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_dlg"))
            .args(args)
            .env("DLG_HOME", self.dir.path())
            .env_remove("DLG_MASTER_KEY")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run dlg")
    }

    fn dlg_ok(&self, args: &[&str]) {
        let output = self.dlg(args);
        assert!(
            output.status.success(),
            "dlg {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Runs `script` with `dlg run`: (exit code, stdout, stderr).
    fn run(&self, script: &str) -> (i32, String, String) {
        let path = self.dir.path().join("script.dg");
        std::fs::write(&path, script).expect("write the script");
        let output = self.dlg(&["run", path.to_str().expect("UTF-8 path")]);
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }
}

#[test]
fn script_with_a_basic_connection() {
    let home = Home::new();
    let base = httpbin::shared().url("");
    let (code, out, err) = home.run(&format!(
        r#"resp = invokeurl
[
    url: "{base}/basic-auth/ana/pw"
    type: GET
    connection: "binc"
    detailed: true
];
info resp.get("responseCode");
info resp.get("responseText").get("user");
"#
    ));
    assert_eq!((code, out.as_str()), (0, "200\nana\n"), "{err}");
}

#[test]
fn script_with_api_keys_in_query_header_and_form() {
    let home = Home::new();
    let base = httpbin::shared().url("");
    let (code, out, err) = home.run(&format!(
        r#"params = Map();
params.put("a", "1");
r = invokeurl
[
    url: "{base}/anything"
    type: POST
    parameters: params
    connection: "keysc"
];
info r.get("args").get("api_key");
info r.get("headers").get("X-Api-Key");
info r.get("form");
"#
    ));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "QSECRET\nHSECRET\n{\"a\":\"1\",\"token\":\"FSECRET\"}\n"
    );
}

#[test]
fn script_errors_name_the_connection_and_hide_secrets() {
    let home = Home::new();
    let server = httpbin::shared();
    let (code, _, err) = home.run(&format!(
        "r = invokeurl [ url: \"{}\" connection: \"missing\" ];",
        server.url("/get")
    ));
    assert_eq!(code, 1);
    assert!(
        err.contains("connection \"missing\" does not exist"),
        "{err}"
    );
    assert!(err.contains("dlg connection create missing"), "{err}");

    let (code, _, err) = home.run(&format!(
        "r = invokeurl [ url: \"{}\" connection: \"keysc\" ];",
        server.other_origin_url("/get")
    ));
    assert_eq!(code, 1);
    assert!(err.contains("keysc"), "{err}");
    assert!(err.contains("localhost"), "{err}");
    assert!(!err.contains("SECRET"), "{err}");
}

#[test]
fn script_catches_network_errors_and_reads_statuses() {
    let home = Home::new();
    let server = httpbin::shared();
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (code, out, err) = home.run(&format!(
        r#"try
{{
    r = invokeurl [ url: "http://127.0.0.1:{closed}/x" connection: "keysc" ];
}}
catch (e)
{{
    info "caught: " + e;
}}
notFound = invokeurl [ url: "{}" type: DELETE detailed: true ];
info notFound.get("responseCode");
text = invokeurl [ url: "{}" ];
info text.contains("Disallow");
"#,
        server.url("/status/404"),
        server.url("/robots.txt"),
    ));
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with(&format!("caught: could not connect to 127.0.0.1:{closed}")),
        "{out}"
    );
    assert!(!out.contains("SECRET"));
    assert_eq!(&lines[1..], ["404", "true"]);
}

#[test]
fn script_signed_redirect_to_another_host_is_returned() {
    let home = Home::new();
    let server = httpbin::shared();
    let target = server.other_origin_url("/headers");
    let (code, out, err) = home.run(&format!(
        r#"r = invokeurl
[
    url: "{}"
    connection: "binc"
    detailed: true
];
info r.get("responseCode");
info r.get("responseHeader").get("location");
"#,
        server.url(&format!("/redirect-to?url={target}&status_code=302"))
    ));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, format!("302\n{target}\n"));
}

#[test]
fn script_uses_get_url_and_post_url() {
    let home = Home::new();
    let server = httpbin::shared();
    let (code, out, err) = home.run(&format!(
        r#"body = getUrl("{}");
info body.toMap().get("args").get("q");
form = Map();
form.put("k", "v");
reply = postUrl("{}", form, false);
info reply.get("responseCode");
info reply.get("responseText").toMap().get("form").get("k");
"#,
        server.url("/get?q=1"),
        server.url("/post"),
    ));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "1\n200\nv\n");
}

#[test]
fn creator_invoke_url_function_form_runs_like_post_url_with_a_method() {
    let home = Home::new();
    let server = httpbin::shared();
    let (code, out, err) = home.run(&format!(
        r#"params = Map();
params.put("k", "v");
headers = {{"X-Test": "yes"}};
body = invokeUrl("{put}", "PUT", params, headers);
info body.toMap().get("form").get("k");
info body.toMap().get("headers").get("X-Test");
query = invokeUrl("{get}", "get", params, headers, false);
info query.get("responseCode");
info query.get("responseText").toMap().get("args").get("k");
plain = invokeUrl("{get}", "GET");
info plain.toMap().get("args").size();
try {{ invokeUrl("{get}", "FETCH"); }} catch (e) {{ info e.message; }}
"#,
        put = server.url("/put"),
        get = server.url("/get"),
    ));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "v\nyes\n200\nv\n0\ninvokeUrl: the type must be GET, POST, PUT, PATCH or DELETE, not 'FETCH'\n"
    );
}
