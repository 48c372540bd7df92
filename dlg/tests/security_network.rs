//! Security round 2, network side (issue 22): each test plays a hostile script or server on
//! 127.0.0.1 against dlg and checks that the credentials stay where they belong. Every test
//! is named after the finding it reproduces and fails without its fix.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::{Duration, Instant};

use deluge_lang::connections::model::{
    now, ApiKeyParam, ClientAuth, Connection, Grant, OAuth2Spec, Placement, ScopeDelimiter,
    ServiceSecrets, SignatureMethod, Status,
};
use deluge_lang::connections::oauth1::flow::{three_legged, Consumer, FlowOptions};
use deluge_lang::connections::oauth2::flow::{self, DeviceFlowOptions};
use deluge_lang::connections::oauth2::revoke::{revoke, TokenKind};
use deluge_lang::connections::oauth2::ui::AuthorizationUi;
use deluge_lang::connections::oauth2::{Endpoints, ScopeJoin};
use deluge_lang::connections::{
    AuthSpec, ConnectionAuthorizer, Credentials, FileStoreAuthorizer, Secret, Service, Store,
};
use deluge_lang::http::request::{HttpRequest, Method};
use deluge_lang::Engine;
use support::evil::{Captured, EvilServer, Reply};

#[path = "../../tests/support/mod.rs"]
mod support;

const SECRET: &str = "S3CRET-value-42";

// ---------------------------------------------------------------- helpers

fn new_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::at(dir.path()).with_master_key(None);
    (dir, store)
}

fn service(name: &str, hosts: &[&str], auth: AuthSpec) -> Service {
    let at = now();
    Service {
        link_name: name.into(),
        display_name: name.into(),
        builtin: false,
        allowed_hosts: hosts.iter().map(|h| h.to_string()).collect(),
        allow_insecure_http: false,
        api_base: None,
        auth,
        created_at: at,
        updated_at: at,
    }
}

/// Service `svc` (an API key sent as `X-Api-Key`) and its connected connection `acct`.
fn api_key_store(hosts: &[&str]) -> (tempfile::TempDir, Store) {
    let auth = AuthSpec::ApiKey {
        params: vec![ApiKeyParam {
            key: "X-Api-Key".into(),
            label: "API key".into(),
            placement: Placement::Header,
        }],
    };
    let values = BTreeMap::from([("X-Api-Key".to_owned(), Secret::from(SECRET))]);
    connected_store(service("svc", hosts, auth), Credentials::ApiKey { values })
}

/// Service `svc` using Basic and its connected connection `acct`.
fn basic_store(hosts: &[&str]) -> (tempfile::TempDir, Store) {
    let credentials = Credentials::Basic {
        username: Secret::from("alice"),
        password: Secret::from(SECRET),
    };
    connected_store(service("svc", hosts, AuthSpec::Basic), credentials)
}

fn connected_store(service: Service, credentials: Credentials) -> (tempfile::TempDir, Store) {
    let (dir, store) = new_store();
    store
        .update(|tx| {
            tx.add_service(service, &ServiceSecrets::default())?;
            let mut connection = Connection::new("acct", "Account", "svc", now());
            connection.status = Status::Connected;
            tx.add_connection(connection)?;
            tx.set_credentials("acct", Some(&credentials))
        })
        .expect("store setup");
    (dir, store)
}

fn oauth2_spec(base: &str, grant: Grant) -> OAuth2Spec {
    OAuth2Spec {
        grant,
        client_id: "client".into(),
        authorize_url: Some(format!("{base}/authorize")),
        token_url: format!("{base}/token"),
        refresh_url: None,
        revoke_url: Some(format!("{base}/revoke")),
        device_url: Some(format!("{base}/device")),
        scope_delimiter: ScopeDelimiter::Space,
        token_prefix: "Bearer".into(),
        auth_params: BTreeMap::new(),
        pkce: true,
        client_auth: ClientAuth::Basic,
    }
}

/// An OAuth 2 connection `acct` whose access token `access` was obtained `age` seconds ago
/// and expires `expires_in` seconds from now (negative: already expired).
fn oauth2_store(base: &str, access: &str, age: i64, expires_in: i64) -> (tempfile::TempDir, Store) {
    let (dir, store) = new_store();
    let spec = oauth2_spec(base, Grant::AuthorizationCode);
    let secrets = ServiceSecrets {
        client_secret: Some(Secret::from("client-secret")),
    };
    let credentials = Credentials::OAuth2 {
        access_token: Secret::from(access),
        refresh_token: Some(Secret::from("refresh-1")),
        token_type: Some("Bearer".into()),
        metadata: BTreeMap::new(),
    };
    let at = |offset: i64| jiff::Timestamp::from_second(now().as_second() + offset).unwrap();
    store
        .update(|tx| {
            tx.add_service(
                service("svc", &["127.0.0.1"], AuthSpec::OAuth2(spec)),
                &secrets,
            )?;
            let mut connection = Connection::new("acct", "Account", "svc", now());
            connection.status = Status::Connected;
            connection.last_refresh_at = Some(at(-age));
            connection.expires_at = Some(at(expires_in));
            tx.add_connection(connection)?;
            tx.set_credentials("acct", Some(&credentials))
        })
        .expect("store setup");
    (dir, store)
}

fn endpoints(base: &str) -> Endpoints {
    Endpoints {
        client_id: "client".into(),
        client_secret: Some(Secret::from(SECRET)),
        authorize_url: Some(format!("{base}/authorize")),
        token_url: format!("{base}/p4th-MARK/token"),
        refresh_url: None,
        revoke_url: Some(format!("{base}/p4th-MARK/revoke")),
        device_url: Some(format!("{base}/device")),
        scope_join: ScopeJoin::Space,
        basic_client_auth: false,
        pkce: true,
        auth_params: Vec::new(),
    }
}

/// Runs `script` in an engine signing with the store's connections.
fn run(store: &Store, script: &str) -> Result<String, String> {
    let mut engine = Engine::new();
    engine.set_connections(Some(Arc::new(FileStoreAuthorizer::new(store.clone()))));
    engine
        .eval::<String>(script)
        .map_err(|error| error.to_string())
}

fn dlg(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dlg"));
    command.env("DLG_HOME", home).env_remove("DLG_MASTER_KEY");
    for name in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        command.env_remove(name);
    }
    command
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn requests_to(server: &EvilServer, path: &str) -> Vec<Captured> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.target().starts_with(path))
        .collect()
}

fn assert_contains(haystack: &str, needle: &str) {
    assert!(
        haystack.contains(needle),
        "expected {needle:?} in:\n{haystack}"
    );
}

/// A user who never does anything.
struct Nobody;

impl AuthorizationUi for Nobody {
    fn present_authorize_url(&mut self, _url: &str) {}
    fn present_device_code(&mut self, _: &str, _: &str, _: Option<&str>) {}
}

// ---------------------------------------------------------------- finding 1

#[test]
fn finding_1_script_host_headers_are_refused_on_signed_requests() {
    let server = EvilServer::start(|_, _| Reply::json("{}"));
    let (_dir, store) = api_key_store(&["127.0.0.1"]);
    for header in ["Host", "forwarded", "X-Forwarded-Host"] {
        let script = format!(
            r#"r = invokeurl [ url: "{}/x" type: GET headers: {{"{header}": "evil.example"}}
               connection: "acct" ]; return r.toString();"#,
            server.base_url()
        );
        let error = run(&store, &script).unwrap_err();
        assert_contains(
            &error,
            &format!(
                "the header \"{header}\" cannot be set on a request signed by connection \"acct\": \
                 a front end that routes by it could deliver the credentials to a different site"
            ),
        );
    }
    assert!(server.requests().is_empty(), "nothing was sent");
    // Without a connection the header is the script's own business.
    let script = format!(
        r#"r = invokeurl [ url: "{}/x" type: GET headers: {{"Host": "other.example"}} ];
           return r.toString();"#,
        server.base_url()
    );
    run(&store, &script).expect("unsigned request");
    assert_eq!(
        server.requests()[0].header_values("host"),
        ["other.example"]
    );
}

// ---------------------------------------------------------------- finding 2

#[test]
fn finding_2_signed_plain_http_is_refused_except_to_the_loopback() {
    // The hostile server sits on the network path (an HTTP proxy, as on a shared network).
    let proxy = EvilServer::start(|_, _| Reply::json(r#"{"ok":true}"#));
    let (dir, _store) = api_key_store(&["api.example.test"]);
    let script = dir.path().join("call.dg");
    std::fs::write(
        &script,
        "r = invokeurl [ url: \"http://api.example.test/v1\" type: GET connection: \"acct\" ];\n\
         info r;\n",
    )
    .unwrap();
    let run_script = || {
        dlg(dir.path())
            .arg("run")
            .arg(&script)
            .env("HTTP_PROXY", proxy.base_url())
            .env("http_proxy", proxy.base_url())
            .output()
            .expect("dlg run")
    };
    let refused = run_script();
    assert!(!refused.status.success(), "{}", text(&refused));
    assert_contains(
        &text(&refused),
        "connection \"acct\" will not send its credentials over plain http:// to \
         \"api.example.test\": anyone on the network path could read them; use an https:// URL, \
         or, if the service only speaks plain http, allow it with `dlg service edit svc \
         --allow-insecure-http`",
    );
    assert!(proxy.requests().is_empty(), "the proxy saw nothing");

    let edit = dlg(dir.path())
        .args(["service", "edit", "svc", "--allow-insecure-http"])
        .output()
        .unwrap();
    assert!(edit.status.success(), "{}", text(&edit));
    let show = dlg(dir.path())
        .args(["service", "show", "svc"])
        .output()
        .unwrap();
    assert_contains(
        &text(&show),
        "plain http:     allowed to any allowed host (--allow-insecure-http)",
    );
    let json = dlg(dir.path())
        .args(["service", "show", "svc", "--json"])
        .output()
        .unwrap();
    assert_contains(&text(&json), "\"allow_insecure_http\": true");
    let allowed = run_script();
    assert!(allowed.status.success(), "{}", text(&allowed));
    assert!(
        proxy.requests()[0].text().contains(SECRET),
        "the opt-in sends the key over plain http"
    );
    let back = dlg(dir.path())
        .args(["service", "edit", "svc", "--require-https"])
        .output()
        .unwrap();
    assert!(back.status.success(), "{}", text(&back));
    assert!(!run_script().status.success());
}

#[test]
fn finding_2_the_loopback_stays_allowed_over_plain_http() {
    let server = EvilServer::start(|_, _| Reply::json(r#"{"ok":true}"#));
    let (_dir, store) = api_key_store(&["127.0.0.1"]);
    let script = format!(
        r#"r = invokeurl [ url: "{}/x" type: GET connection: "acct" ]; return r.toString();"#,
        server.base_url()
    );
    run(&store, &script).expect("loopback over http");
    assert_eq!(server.requests()[0].header_values("x-api-key"), [SECRET]);
}

#[test]
fn finding_2_service_edit_explains_its_errors() {
    let (dir, _store) = api_key_store(&["api.example.test"]);
    let nothing = dlg(dir.path())
        .args(["service", "edit", "svc"])
        .output()
        .unwrap();
    assert!(!nothing.status.success());
    assert_contains(
        &text(&nothing),
        "nothing to change: give --allow-insecure-http, --require-https or --api-base URL|none",
    );
    let unknown = dlg(dir.path())
        .args(["service", "edit", "nope", "--allow-insecure-http"])
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    assert_contains(
        &text(&unknown),
        "service \"nope\" is not set up in this store (`dlg service list` shows the stored ones); \
         create it first with `dlg service create nope ...`",
    );
    let created = dlg(dir.path())
        .args([
            "service",
            "create",
            "legacy",
            "--auth",
            "basic",
            "--host",
            "old.example.test",
            "--allow-insecure-http",
        ])
        .output()
        .unwrap();
    assert!(created.status.success(), "{}", text(&created));
    let show = dlg(dir.path())
        .args(["service", "show", "legacy"])
        .output()
        .unwrap();
    assert_contains(
        &text(&show),
        "plain http:     allowed to any allowed host (--allow-insecure-http)",
    );
}

// ---------------------------------------------------------------- finding 4

/// A port nothing listens on.
fn closed_port_base() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[test]
fn finding_4_oauth_flow_errors_never_print_the_request_url() {
    let base = closed_port_base();
    let request_token_url = format!("{base}/p4th-MARK/request_token");
    let authorize_url = format!("{base}/authorize");
    let access_token_url = format!("{base}/access_token");
    let consumer = Consumer {
        request_token_url: &request_token_url,
        authorize_url: &authorize_url,
        access_token_url: &access_token_url,
        key: "consumer",
        secret: SECRET,
        method: SignatureMethod::Plaintext,
        placement: Placement::Query,
    };
    let options = FlowOptions {
        out_of_band: true,
        ..FlowOptions::default()
    };
    let error = three_legged(&consumer, options, &mut Nobody)
        .unwrap_err()
        .to_string();
    let port = base.rsplit(':').next().unwrap();
    assert_contains(&error, &format!("could not connect to 127.0.0.1:{port}"));
    for leaked in [SECRET, "p4th-MARK", "oauth_signature"] {
        assert!(!error.contains(leaked), "{leaked} in {error}");
    }

    let endpoints = endpoints(&base);
    let error = flow::client_credentials(&endpoints, &[])
        .unwrap_err()
        .to_string();
    assert_contains(
        &error,
        "client credentials request failed: could not connect to",
    );
    assert!(!error.contains("p4th-MARK"), "{error}");
    let error = revoke(&endpoints, SECRET, TokenKind::Refresh)
        .unwrap_err()
        .to_string();
    assert_contains(&error, "revocation failed: could not connect to");
    assert!(
        !error.contains("p4th-MARK") && !error.contains(SECRET),
        "{error}"
    );
}

// ---------------------------------------------------------------- finding 7

#[test]
fn finding_7_device_polling_is_throttled_obeys_slow_down_and_is_capped() {
    let server = EvilServer::start(|request, _| match request.target() {
        "/device" => Reply::json(
            r#"{"device_code":"dc","user_code":"ABCD","verification_uri":"https://x.example/d",
                "expires_in":999999999,"interval":0}"#,
        ),
        _ => Reply::status_json(400, r#"{"error":"slow_down"}"#),
    });
    let mut endpoints = endpoints(&server.base_url());
    endpoints.token_url = format!("{}/token", server.base_url());
    // 13 s leaves 3 s between the second poll (at 10 s) and the cap: with 1 s, a loaded CI
    // machine once delayed the second poll past the cap.
    let options = DeviceFlowOptions {
        max_wait: Duration::from_secs(13),
    };
    let started = Instant::now();
    let (done, outcome) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(flow::device(&endpoints, &[], options, &mut Nobody));
    });
    let error = outcome
        .recv_timeout(Duration::from_secs(30))
        .expect("the device flow gives up by itself")
        .unwrap_err();
    let took = started.elapsed();
    assert_eq!(
        error.to_string(),
        "gave up after 13 s waiting for the device approval (wait longer with --max-wait SECONDS)"
    );
    assert!(took < Duration::from_secs(16), "took {took:?}");
    let polls = requests_to(&server, "/token");
    // interval 0 is raised to 5 s, and the first slow_down makes it 10 s.
    assert_eq!(polls.len(), 2, "polls at 0 s and 10 s");
    let gap = polls[1].at - polls[0].at;
    assert!(gap >= Duration::from_millis(9_500), "gap {gap:?}");
}

#[test]
fn finding_7_the_total_wait_is_configurable_on_the_command_line() {
    let server = EvilServer::start(|request, _| match request.target() {
        "/device" => Reply::json(
            r#"{"device_code":"dc","user_code":"ABCD","verification_uri":"https://x.example/d",
                "expires_in":999999999,"interval":0}"#,
        ),
        _ => Reply::status_json(400, r#"{"error":"authorization_pending"}"#),
    });
    let (dir, store) = new_store();
    let spec = oauth2_spec(&server.base_url(), Grant::Device);
    store
        .update(|tx| {
            tx.add_service(
                service("svc", &["127.0.0.1"], AuthSpec::OAuth2(spec)),
                &ServiceSecrets::default(),
            )?;
            tx.add_connection(Connection::new("acct", "Account", "svc", now()))
        })
        .unwrap();
    let output = dlg(dir.path())
        .args([
            "connection",
            "authorize",
            "acct",
            "--no-browser",
            "--max-wait",
            "2",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert_contains(
        &text(&output),
        "gave up after 2 s waiting for the device approval (wait longer with --max-wait SECONDS)",
    );
    assert_eq!(requests_to(&server, "/token").len(), 1, "one poll in 2 s");
    let zero = dlg(dir.path())
        .args(["connection", "authorize", "acct", "--max-wait", "0"])
        .output()
        .unwrap();
    assert_contains(
        &text(&zero),
        "invalid value '0' for '--max-wait <SECONDS>': 0 is not in 1..=86400",
    );
}

// ---------------------------------------------------------------- finding 8

#[test]
fn finding_8_oauth_response_bodies_are_capped_at_1_mib() {
    let server = EvilServer::start(|_, _| Reply::Huge {
        total: 256 * 1024 * 1024,
    });
    let mut endpoints = endpoints(&server.base_url());
    endpoints.token_url = format!("{}/token", server.base_url());
    let error = flow::client_credentials(&endpoints, &[])
        .unwrap_err()
        .to_string();
    assert_contains(
        &error,
        &format!(
            "client credentials request failed: the answer from 127.0.0.1:{} is larger than \
             1 MiB, far more than any OAuth response needs",
            server.port
        ),
    );
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        server.bytes_sent() < 16 * 1024 * 1024,
        "read only about the cap, not {} bytes",
        server.bytes_sent()
    );
}

#[test]
fn finding_8_a_refresh_inside_dlg_run_is_capped_too() {
    let server = EvilServer::start(|request, _| match request.target() {
        "/token" => Reply::Huge {
            total: 256 * 1024 * 1024,
        },
        _ => Reply::json("{}"),
    });
    let (_dir, store) = oauth2_store(&server.base_url(), "old", 3600, -10);
    let script = format!(
        r#"return invokeurl [ url: "{}/api" type: GET connection: "acct" ];"#,
        server.base_url()
    );
    let error = run(&store, &script).unwrap_err();
    assert_contains(
        &error,
        "larger than 1 MiB, far more than any OAuth response needs",
    );
    assert!(requests_to(&server, "/api").is_empty());
}

#[test]
fn finding_8_oauth1_endpoints_are_capped_too() {
    let server = EvilServer::start(|_, _| Reply::Huge {
        total: 256 * 1024 * 1024,
    });
    let base = server.base_url();
    let (request_token_url, authorize_url, access_token_url) = (
        format!("{base}/request_token"),
        format!("{base}/authorize"),
        format!("{base}/access_token"),
    );
    let consumer = Consumer {
        request_token_url: &request_token_url,
        authorize_url: &authorize_url,
        access_token_url: &access_token_url,
        key: "consumer",
        secret: SECRET,
        method: SignatureMethod::HmacSha1,
        placement: Placement::Header,
    };
    let options = FlowOptions {
        out_of_band: true,
        ..FlowOptions::default()
    };
    let error = three_legged(&consumer, options, &mut Nobody)
        .unwrap_err()
        .to_string();
    assert_contains(&error, "larger than 1 MiB");
}

// ---------------------------------------------------------------- finding 9

#[test]
fn finding_9_device_output_is_cleaned_and_only_https_is_opened() {
    let bin = tempfile::tempdir().unwrap();
    let opened = bin.path().join("opened.txt");
    let opener = bin.path().join("xdg-open");
    std::fs::write(
        &opener,
        format!("#!/bin/sh\necho \"$@\" >> '{}'\n", opened.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );

    for (complete, should_open) in [
        ("file:///etc/passwd", false),
        ("https://device.example/activate?code=WXYZ", true),
    ] {
        let device = format!(
            r#"{{"device_code":"dc","user_code":"\u001b]0;owned\u0007WXYZ-1234",
                "verification_uri":"https://device.example/activate",
                "verification_uri_complete":"{complete}","expires_in":600,"interval":5}}"#
        );
        let server = EvilServer::start(move |request, _| match request.target() {
            "/device" => Reply::json(&device),
            _ => Reply::status_json(
                400,
                r#"{"error":"access_denied","error_description":"no \u001b[31mred\u001b[0m"}"#,
            ),
        });
        let (dir, store) = new_store();
        let spec = oauth2_spec(&server.base_url(), Grant::Device);
        store
            .update(|tx| {
                tx.add_service(
                    service("svc", &["127.0.0.1"], AuthSpec::OAuth2(spec)),
                    &ServiceSecrets::default(),
                )?;
                tx.add_connection(Connection::new("acct", "Account", "svc", now()))
            })
            .unwrap();
        let output = dlg(dir.path())
            .args(["connection", "authorize", "acct"])
            .env("PATH", &path)
            .output()
            .unwrap();
        let shown = text(&output);
        assert!(!output.status.success(), "{shown}");
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "control characters reached the terminal: {shown:?}"
        );
        assert_contains(&shown, "]0;ownedWXYZ-1234");
        assert_contains(&shown, "access_denied (no [31mred[0m)");
        std::thread::sleep(Duration::from_millis(500));
        let opened_urls = std::fs::read_to_string(&opened).unwrap_or_default();
        assert_eq!(
            opened_urls.contains(complete),
            should_open,
            "{complete}: opened {opened_urls:?}"
        );
    }
}

// ---------------------------------------------------------------- finding 10

#[test]
fn finding_10_secret_headers_are_dropped_on_cross_origin_redirects() {
    let target = EvilServer::start(|_, _| Reply::json(r#""landed""#));
    let location = format!("{}/collect", target.base_url());
    let origin = EvilServer::start(move |_, _| Reply::redirect(302, &location));
    let headers = r#"{"X-Api-Key": "k-1", "X-Auth-Token": "t-1", "Authorization": "Bearer b-1",
        "Private-Token": "p-1", "Accept": "application/json"}"#;
    let (_dir, store) = new_store();
    let invoke = format!(
        r#"r = invokeurl [ url: "{}/start" type: GET headers: {headers} ]; return r.toString();"#,
        origin.base_url()
    );
    let get_url = format!(
        r#"return getUrl("{}/start", {headers});"#,
        origin.base_url()
    );
    for script in [invoke, get_url] {
        run(&store, &script).expect("redirect followed");
    }
    let landed = target.requests();
    assert_eq!(landed.len(), 2);
    for request in landed {
        let text = request.text();
        for secret in ["k-1", "t-1", "b-1", "p-1"] {
            assert!(!text.contains(secret), "{secret} crossed origins:\n{text}");
        }
        assert_eq!(request.header_values("accept"), ["application/json"]);
    }
    assert!(
        origin.requests()[0].text().contains("k-1"),
        "sent to the first origin"
    );
}

// ---------------------------------------------------------------- finding 11

fn authorize_error(store: &Store, url: &str) -> String {
    let mut request = HttpRequest::new(Method::Get, url::Url::parse(url).unwrap());
    FileStoreAuthorizer::new(store.clone())
        .authorize("acct", &mut request)
        .unwrap_err()
        .to_string()
}

#[test]
fn finding_11_the_host_check_trims_exactly_one_trailing_dot() {
    let (_dir, store) = api_key_store(&["localhost"]);
    let mut fine = HttpRequest::new(Method::Get, "http://localhost.:1/x".parse().unwrap());
    FileStoreAuthorizer::new(store.clone())
        .authorize("acct", &mut fine)
        .expect("one trailing dot is the same name");
    let error = authorize_error(&store, "http://localhost..:1/x");
    assert_contains(
        &error,
        "connection \"acct\" may not send its credentials to host \"localhost.\"",
    );
}

#[test]
fn finding_11_the_host_error_suggests_no_command_with_the_script_host() {
    let (_dir, store) = api_key_store(&["api.example.com"]);
    let error = authorize_error(&store, "https://attacker.example/x");
    assert_contains(
        &error,
        "a script chose that host, so check that it belongs to the service before allowing it: \
         `dlg connection edit acct --add-host HOST` adds a host (type the host yourself)",
    );
    assert!(!error.contains("--add-host attacker"), "{error}");
}

#[test]
fn finding_11_userinfo_and_a_basic_connection_conflict() {
    let server = EvilServer::start(|_, _| Reply::json("{}"));
    let (_dir, store) = basic_store(&["127.0.0.1"]);
    let script = format!(
        r#"r = invokeurl [ url: "http://mallory:pw@127.0.0.1:{}/x" type: GET connection: "acct" ];
           return r.toString();"#,
        server.port
    );
    let error = run(&store, &script).unwrap_err();
    assert_contains(
        &error,
        "connection \"acct\" sets the \"Authorization\" header, but the request already has it; \
         the URL's user name and password (user:password@host) would become a second one",
    );
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

#[test]
fn finding_11_empty_tokens_and_endless_lifetimes_are_refused() {
    for (body, expected) in [
        (
            r#"{"access_token":"","token_type":"Bearer"}"#,
            "client credentials request failed: the provider's answer has an empty access_token",
        ),
        (
            r#"{"access_token":"at","token_type":"Bearer","expires_in":400000000000}"#,
            "client credentials request failed: the provider's answer says the access token \
             lives 400000000000 s, past the year 9999; refusing it",
        ),
    ] {
        let server = EvilServer::start(move |_, _| Reply::json(body));
        let mut endpoints = endpoints(&server.base_url());
        endpoints.token_url = format!("{}/token", server.base_url());
        let error = flow::client_credentials(&endpoints, &[]).unwrap_err();
        assert_eq!(error.to_string(), expected);
    }
}

/// Answers `/token` with a fresh token each time (lifetime `ttl` seconds) and every other
/// path with `api_status`.
fn token_server(ttl: u64, api_status: u16) -> EvilServer {
    EvilServer::start(move |request, number| match request.target() {
        "/token" => Reply::json(&format!(
            r#"{{"access_token":"tok-{number}","token_type":"Bearer","expires_in":{ttl},
                "refresh_token":"refresh-1"}}"#
        )),
        _ => Reply::status_json(api_status, r#"{"called":true}"#),
    })
}

#[test]
fn finding_11_a_host_answering_401_forever_costs_one_refresh() {
    let server = token_server(3600, 401);
    let (_dir, store) = oauth2_store(&server.base_url(), "tok-start", 10, 3600);
    let script = format!(
        r#"codes = list();
           for each i in {{1, 2, 3, 4, 5}} {{
             r = invokeurl [ url: "{}/api" type: GET connection: "acct" detailed: true ];
             codes.add(r.get("responseCode"));
           }}
           return codes.toString();"#,
        server.base_url()
    );
    let codes = run(&store, &script).expect("script");
    assert_eq!(codes, "401,401,401,401,401");
    assert_eq!(requests_to(&server, "/token").len(), 1, "one refresh");
    assert_eq!(
        requests_to(&server, "/api").len(),
        6,
        "one retry after the refresh"
    );
}

// ---------------------------------------------------------------- issue 18, point 4

#[test]
fn issue_18_eight_runs_refresh_a_five_second_token_once() {
    let server = token_server(5, 200);
    let (dir, _store) = oauth2_store(&server.base_url(), "tok-start", 7, -2);
    let script = dir.path().join("call.dg");
    std::fs::write(
        &script,
        format!(
            "r = invokeurl [ url: \"{}/api\" type: GET connection: \"acct\" ];\ninfo r;\n",
            server.base_url()
        ),
    )
    .unwrap();
    let children: Vec<_> = (0..8)
        .map(|_| {
            dlg(dir.path())
                .arg("run")
                .arg(&script)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("dlg run")
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", text(&output));
    }
    assert_eq!(
        requests_to(&server, "/token").len(),
        1,
        "exactly one refresh"
    );
    let tokens: Vec<Vec<String>> = requests_to(&server, "/api")
        .iter()
        .map(|r| {
            r.header_values("authorization")
                .iter()
                .map(|v| v.to_string())
                .collect()
        })
        .collect();
    assert_eq!(tokens.len(), 8);
    assert!(tokens.iter().all(|t| t == &["Bearer tok-0"]), "{tokens:?}");
}
