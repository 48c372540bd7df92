//! Typed error causes: every [`ErrorKind`] from a run that produces it, checked through
//! `Error::kind()` and, where there is an underlying error, `std::error::Error::source`
//! downcast to it. All traffic stays on 127.0.0.1: a closed port for a refused connection, a
//! listener that accepts and never answers for a timeout.

mod support;

use std::error::Error as _;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use deluge_lang::http::{
    ConnectionAuthorizer, ConnectionError, ConnectionInfo, HttpError, HttpRequest,
};
use deluge_lang::zoho::ZohoHost;
use deluge_lang::{
    Args, Control, EgressPolicy, Engine, Error, ErrorKind, Failure, Host, LimitKind, Limits,
    NativeCtx, Value,
};

use support::evil::{EvilServer, Reply};

/// A loop that runs for minutes unless a limit stops it.
const ENDLESS: &str = "ten = {1,2,3,4,5,6,7,8,9,10};\nfor each a in ten { for each b in ten { \
    for each c in ten { for each d in ten { for each e in ten { for each f in ten { \
    for each g in ten { for each h in ten { x = 1; } } } } } } } }";

/// A port on 127.0.0.1 that nothing listens on.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    port
}

/// A server on 127.0.0.1 that accepts connections and never answers; the streams are kept
/// open for the life of the test process.
fn silent_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    let held: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            held.lock().expect("lock").push(stream);
        }
    });
    port
}

/// An engine whose HTTP requests time out after `timeout`.
fn engine_with_http_timeout(timeout: Duration) -> Engine {
    let mut engine = Engine::new();
    engine.set_limits(Limits {
        http_timeout: timeout,
        ..Limits::default()
    });
    engine
}

fn http_cause(err: &Error) -> &HttpError {
    err.source()
        .and_then(|cause| cause.downcast_ref::<HttpError>())
        .unwrap_or_else(|| panic!("no HttpError behind {err:?}"))
}

fn connection_cause(err: &Error) -> &ConnectionError {
    err.source()
        .and_then(|cause| cause.downcast_ref::<ConnectionError>())
        .unwrap_or_else(|| panic!("no ConnectionError behind {err:?}"))
}

/// A connection store that answers every connection with one error.
struct Refusing(fn(&str) -> ConnectionError);

impl ConnectionAuthorizer for Refusing {
    fn authorize(&self, link_name: &str, _: &mut HttpRequest) -> Result<(), ConnectionError> {
        Err((self.0)(link_name))
    }

    fn describe(&self, link_name: &str) -> Result<Option<ConnectionInfo>, ConnectionError> {
        Ok(Some(ConnectionInfo {
            link_name: link_name.to_owned(),
            service: "zoho".to_owned(),
            api_domain: None,
            api_base: Some(format!("http://127.0.0.1:{}", closed_port())),
        }))
    }
}

fn revoked(link_name: &str) -> ConnectionError {
    ConnectionError::Revoked {
        link_name: link_name.to_owned(),
    }
}

fn unknown(link_name: &str) -> ConnectionError {
    ConnectionError::UnknownConnection {
        link_name: link_name.to_owned(),
    }
}

fn engine_with_store(answer: fn(&str) -> ConnectionError) -> Engine {
    let mut engine = Engine::new();
    engine.set_connections(Some(Arc::new(Refusing(answer))));
    engine
}

#[test]
fn the_error_is_send_and_sync_and_a_script_error_has_no_cause() {
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<Error>();
    let err = Engine::new().run("x = 1 / 0;").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Script);
    assert!(err.source().is_none());
}

#[test]
fn syntax_and_compile_errors_have_their_kinds() {
    let engine = Engine::new();
    assert_eq!(engine.run("x = ;").unwrap_err().kind(), ErrorKind::Syntax);
    assert_eq!(
        engine.run("x = nope;").unwrap_err().kind(),
        ErrorKind::Compile
    );
}

#[test]
fn an_http_timeout_is_a_timeout_caused_by_the_http_error() {
    let url = format!("http://127.0.0.1:{}/slow", silent_server());
    let engine = engine_with_http_timeout(Duration::from_millis(300));
    for script in [
        format!(r#"invokeurl [ url: "{url}" type: GET ];"#),
        format!(r#"getUrl("{url}");"#),
    ] {
        let err = engine.run(&script).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Timeout, "{script}: {err}");
        assert!(err.message().starts_with("socket timeout error"), "{err}");
        assert!(matches!(http_cause(&err), HttpError::Timeout { .. }));
    }
}

#[test]
fn the_runs_own_time_limit_is_a_timeout() {
    let mut engine = Engine::new();
    engine.set_limits(Limits {
        timeout: Some(Duration::from_millis(50)),
        max_statements: None,
        ..Limits::default()
    });
    let err = engine.run(ENDLESS).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.source().is_none());
}

#[test]
fn a_closed_port_is_a_refused_connection() {
    let url = format!("http://127.0.0.1:{}/", closed_port());
    let engine = Engine::new();
    for script in [
        format!(r#"invokeurl [ url: "{url}" type: GET ];"#),
        format!(r#"postUrl("{url}", "body");"#),
    ] {
        let err = engine.run(&script).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{script}: {err}");
        assert!(matches!(http_cause(&err), HttpError::Connect { .. }));
    }
}

#[test]
fn a_caught_network_failure_shows_the_same_text() {
    let url = format!("http://127.0.0.1:{}/", closed_port());
    let script = format!(
        r#"try {{ invokeurl [ url: "{url}" type: GET ]; }} catch (e) {{ return e.message; }}"#
    );
    let caught: String = Engine::new().eval(&script).unwrap();
    let direct = Engine::new()
        .run(&format!(r#"invokeurl [ url: "{url}" type: GET ];"#))
        .unwrap_err();
    assert_eq!(caught, direct.message());
}

#[test]
fn a_revoked_connection_is_a_rejected_credential() {
    let engine = engine_with_store(revoked);
    let url = format!("http://127.0.0.1:{}/", closed_port());
    let script = format!(r#"invokeurl [ url: "{url}" type: GET connection: "crm" ];"#);
    let err = engine.run(&script).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CredentialRejected);
    assert!(matches!(
        connection_cause(&err),
        ConnectionError::Revoked { .. }
    ));
    assert!(
        err.message().contains("connection \"crm\" was revoked"),
        "{err}"
    );
}

#[test]
fn a_zoho_task_keeps_the_connection_errors_kind() {
    let mut engine = engine_with_store(revoked);
    engine.set_host(ZohoHost::default());
    let err = engine
        .run(r#"info zoho.crm.getRecordById("Leads", 42, "crm");"#)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CredentialRejected, "{err}");
    assert!(matches!(
        connection_cause(&err),
        ConnectionError::Revoked { .. }
    ));
}

#[test]
fn a_missing_store_or_connection_is_no_connection() {
    let url = format!("http://127.0.0.1:{}/", closed_port());
    let script = format!(r#"invokeurl [ url: "{url}" type: GET connection: "crm" ];"#);
    let err = Engine::new().run(&script).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NoConnection);
    let err = engine_with_store(unknown).run(&script).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NoConnection);
    assert!(matches!(
        connection_cause(&err),
        ConnectionError::UnknownConnection { .. }
    ));
}

fn damaged(_: &str) -> ConnectionError {
    ConnectionError::StoreCorrupt {
        path: PathBuf::from("/nowhere/connections.json"),
        detail: "expected value at line 1 column 1".to_owned(),
    }
}

#[test]
fn a_damaged_store_is_a_connection_store_error() {
    let url = format!("http://127.0.0.1:{}/", closed_port());
    let script = format!(r#"invokeurl [ url: "{url}" type: GET connection: "crm" ];"#);
    let err = engine_with_store(damaged).run(&script).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionStore);
    assert!(matches!(
        connection_cause(&err),
        ConnectionError::StoreCorrupt { .. }
    ));
}

#[test]
fn a_redirect_loop_is_a_network_failure() {
    let server = EvilServer::start(|_, _| Reply::redirect(302, "/again"));
    let script = format!(
        r#"invokeurl [ url: "{}/start" type: GET ];"#,
        server.base_url()
    );
    let err = Engine::new().run(&script).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert!(matches!(
        http_cause(&err),
        HttpError::TooManyRedirects { .. }
    ));
}

#[test]
fn a_response_over_the_size_cap_is_a_size_limit() {
    let server = EvilServer::start(|_, _| Reply::Huge { total: 1 << 20 });
    let mut engine = Engine::new();
    engine.set_limits(Limits {
        http_max_response_bytes: 4096,
        ..Limits::default()
    });
    let err = engine
        .run(&format!(r#"getUrl("{}/big");"#, server.base_url()))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Limit(LimitKind::Size), "{err}");
    assert!(matches!(http_cause(&err), HttpError::TooLarge { .. }));
}

#[test]
fn limits_say_which_limit() {
    let mut engine = Engine::new();
    engine.set_limits(Limits {
        max_statements: Some(100_000),
        max_call_depth: 20,
        max_text_bytes: 1_000,
        max_http_calls: Some(0),
        ..Limits::default()
    });
    let cases = [
        (ENDLESS, LimitKind::Statements),
        (
            "int f(int n) { return f(n + 1); }\ninfo f(1);",
            LimitKind::CallDepth,
        ),
        (
            r#"t = "x"; for each i in {1,2,3,4,5,6,7,8,9,10,11} { t = t + t; }"#,
            LimitKind::Size,
        ),
        (r#"getUrl("http://127.0.0.1:9/");"#, LimitKind::Quota),
    ];
    for (script, limit) in cases {
        let err = engine.run(script).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Limit(limit), "{script}: {err}");
    }
}

#[test]
fn ctrl_c_and_a_host_cancel_are_interruptions() {
    let mut engine = Engine::new();
    engine.set_interrupt(Arc::new(AtomicBool::new(true)));
    let err = engine.run(ENDLESS).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Interrupted);

    let mut engine = Engine::new();
    engine.on_progress(10, |_| Control::Cancel);
    let err = engine.run(ENDLESS).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Interrupted);
}

#[test]
fn ctrl_c_during_a_request_is_an_interruption_caused_by_the_http_error() {
    let url = format!("http://127.0.0.1:{}/slow", silent_server());
    let mut engine = engine_with_http_timeout(Duration::from_secs(30));
    let flag = Arc::new(AtomicBool::new(false));
    engine.set_interrupt(Arc::clone(&flag));
    let pressed = thread::spawn(move || {
        thread::sleep(Duration::from_millis(200));
        flag.store(true, Ordering::SeqCst);
    });
    let script = format!(r#"try {{ getUrl("{url}"); }} catch (e) {{ info "caught"; }}"#);
    let err = engine.run(&script).unwrap_err();
    pressed.join().expect("thread");
    assert_eq!(err.kind(), ErrorKind::Interrupted);
    assert_eq!(err.message(), "interrupted (Ctrl-C)");
    assert!(matches!(http_cause(&err), HttpError::Interrupted { .. }));
}

#[test]
fn an_egress_refusal_is_egress() {
    let mut engine = Engine::new();
    engine.set_egress(EgressPolicy::deny_private());
    let url = format!("http://127.0.0.1:{}/", closed_port());
    let err = engine
        .run(&format!(r#"invokeurl [ url: "{url}" type: GET ];"#))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Egress);
    assert!(matches!(http_cause(&err), HttpError::Egress(_)));
}

struct Failing;

impl Host for Failing {
    fn call(&self, _: &str, _: &[Value]) -> Result<Value, Failure> {
        Err("the CRM is down for maintenance".into())
    }

    fn alert(&self, _: &str) -> Result<(), Failure> {
        Err("alerts are not shown here".into())
    }

    fn input_get(&self, _: &str) -> Result<Value, Failure> {
        Err(Failure::new(
            ErrorKind::Timeout,
            "the directory did not answer",
        ))
    }
}

#[test]
fn a_host_hook_that_chooses_a_kind_keeps_it() {
    let mut engine = Engine::new();
    engine.set_host(Failing);
    let err = engine.run("info input.Email;").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert_eq!(err.message(), "the directory did not answer");
}

#[test]
fn a_registered_native_keeps_the_kind_of_its_failure() {
    let mut engine = Engine::new();
    engine.register_native(
        "acme.lookup",
        None,
        &["TEXT"],
        |_: &mut NativeCtx<'_>, _: Args<'_>| {
            Err(Failure::new(
                ErrorKind::CredentialRejected,
                "the API key was revoked",
            ))
        },
    );
    let err = engine.run(r#"info acme.lookup("x");"#).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CredentialRejected, "{err}");
    let caught = engine
        .run(r#"try { acme.lookup("x"); } catch (e) { info e.message; }"#)
        .map(|ran| ran.to_string());
    assert!(
        caught.is_ok(),
        "a typed failure is still catchable: {caught:?}"
    );
}

#[test]
fn a_failed_host_hook_is_a_host_error() {
    let mut engine = Engine::new();
    engine.set_host(Failing);
    let err = engine
        .run(r#"info zoho.crm.getRecords("Leads");"#)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Host, "{err}");
    assert_eq!(err.message(), "the CRM is down for maintenance");
    let err = engine.run(r#"alert "hi";"#).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Host, "{err}");
}
