//! Per-run quotas (issue 20): HTTP calls, bytes received over HTTP, mails and wall time, each
//! stopping a script at exactly its limit with an error that names it and that `try/catch`
//! cannot catch. HTTP goes to a real httpbin on 127.0.0.1.

#[path = "../../tests/support/mod.rs"]
mod support;

use std::time::Duration;

use deluge_lang::{CaptureOutput, Engine, Limits};
use support::httpbin;

fn engine_with(limits: Limits) -> (Engine, CaptureOutput) {
    let mut engine = Engine::new();
    engine.set_limits(limits);
    let output = CaptureOutput::new();
    engine.set_output(output.clone());
    (engine, output)
}

/// A loop of `times` guarded calls: `info` after each success, `info "caught"` in the catch.
fn guarded_loop(times: usize, call: &str) -> String {
    let items: Vec<String> = (1..=times).map(|n| n.to_string()).collect();
    format!(
        "for each n in {{{}}} {{\n  try {{\n    {call};\n    info n;\n  }} catch (e) {{\n    \
         info \"caught\";\n  }}\n}}",
        items.join(", ")
    )
}

#[test]
fn http_calls_stop_at_exactly_the_quota() {
    let (engine, output) = engine_with(Limits {
        max_http_calls: Some(3),
        ..Limits::default()
    });
    let url = httpbin::shared().url("/get");
    let call = format!("r = invokeurl [ url: \"{url}\" type: GET ]");
    let message = engine.run(&guarded_loop(5, &call)).unwrap_err().to_string();
    assert_eq!(output.lines(), ["1", "2", "3"]);
    assert!(
        message.contains(
            "quota exceeded: this run may make at most 3 HTTP requests (max_http_calls; raise it \
             with --max-http-calls N)"
        ),
        "{message}"
    );
}

#[test]
fn get_url_counts_as_an_http_call() {
    let (engine, output) = engine_with(Limits {
        max_http_calls: Some(1),
        ..Limits::default()
    });
    let call = format!("r = getUrl(\"{}\")", httpbin::shared().url("/get"));
    let message = engine.run(&guarded_loop(2, &call)).unwrap_err().to_string();
    assert_eq!(output.lines(), ["1"]);
    assert!(
        message.contains("at most 1 HTTP request (max_http_calls"),
        "{message}"
    );
}

#[test]
fn bytes_received_stop_at_exactly_the_quota() {
    let (engine, output) = engine_with(Limits {
        max_http_bytes: Some(300),
        ..Limits::default()
    });
    let url = httpbin::shared().url("/range/100");
    let call = format!("r = invokeurl [ url: \"{url}\" type: GET ]");
    let message = engine.run(&guarded_loop(5, &call)).unwrap_err().to_string();
    assert_eq!(output.lines(), ["1", "2", "3"]);
    assert!(
        message.contains(
            "quota exceeded: this run may receive at most 300 bytes of HTTP responses \
             (max_http_bytes; raise it with --max-http-bytes N)"
        ),
        "{message}"
    );
}

#[test]
fn a_response_that_crosses_the_byte_quota_stops_the_run() {
    let (engine, output) = engine_with(Limits {
        max_http_bytes: Some(150),
        ..Limits::default()
    });
    let url = httpbin::shared().url("/range/100");
    let call = format!("r = invokeurl [ url: \"{url}\" type: GET ]");
    let message = engine.run(&guarded_loop(3, &call)).unwrap_err().to_string();
    assert_eq!(output.lines(), ["1"]);
    assert!(
        message.contains("at most 150 bytes of HTTP responses"),
        "{message}"
    );
}

#[test]
fn mails_stop_at_exactly_the_quota() {
    let (engine, output) = engine_with(Limits {
        max_emails: Some(2),
        ..Limits::default()
    });
    let mut engine = engine;
    let mut settings = deluge_lang::mail::MailSettings::default();
    settings.set("mail.mode", "log").unwrap();
    let inner = engine.host();
    deluge_lang::mail::install(&mut engine, settings, inner);
    let call =
        "sendmail [ from: zoho.adminuserid to: \"ada@example.com\" subject: \"s\" message: \"m\" ]";
    let message = engine.run(&guarded_loop(4, call)).unwrap_err().to_string();
    assert_eq!(output.lines(), ["1", "2"]);
    assert!(
        message.contains(
            "quota exceeded: this run may send at most 2 mails (max_emails; raise it with \
             --max-emails N)"
        ),
        "{message}"
    );
}

#[test]
fn wall_time_bounds_a_wait_for_a_slow_server() {
    let (engine, output) = engine_with(Limits {
        timeout: Some(Duration::from_secs(1)),
        ..Limits::default()
    });
    let url = httpbin::shared().url("/delay/5");
    let call = format!("r = invokeurl [ url: \"{url}\" type: GET ]");
    let message = engine.run(&guarded_loop(2, &call)).unwrap_err().to_string();
    assert!(output.lines().is_empty(), "{:?}", output.lines());
    assert!(
        message.contains(
            "the script ran longer than its time limit of 1 s (while waiting for 127.0.0.1:"
        ),
        "{message}"
    );
}

#[test]
fn each_run_has_its_own_counters() {
    let (engine, _) = engine_with(Limits {
        max_http_calls: Some(1),
        ..Limits::default()
    });
    let script = format!(
        "return getUrl(\"{}\").length() > 0;",
        httpbin::shared().url("/get")
    );
    for _ in 0..3 {
        assert!(engine.eval::<bool>(&script).unwrap());
    }
}

#[test]
fn dlg_run_takes_the_http_quotas_as_flags() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calls.dg");
    let url = httpbin::shared().url("/get");
    std::fs::write(&path, guarded_loop(3, &format!("r = getUrl(\"{url}\")"))).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dlg"))
        .arg("run")
        .arg(&path)
        .args(["--max-http-calls", "2", "--max-http-bytes", "100000"])
        .env("DLG_HOME", dir.path().join("home"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "1\n2\n");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("at most 2 HTTP requests (max_http_calls"),
        "{stderr}"
    );
}
