//! The egress policy (issue 20) against a real httpbin on 127.0.0.1: names that resolve
//! inside, redirects to internal addresses, other spellings of an address, allowed hosts,
//! `getUrl`/`postUrl`, and `dlg run --egress/--allow-host/--deny-private`.

#[path = "../../tests/support/mod.rs"]
mod support;

use std::net::IpAddr;

use deluge_lang::http::ReqwestTransport;
use deluge_lang::{EgressPolicy, Engine};
use support::httpbin;

const LOOPBACK: &str = "127.0.0.0/8 is loopback, denied by the private-network preset";

fn port() -> u16 {
    httpbin::shared().port()
}

fn localhost() -> IpAddr {
    "127.0.0.1".parse().unwrap()
}

/// An engine whose transport resolves `name` to 127.0.0.1 (the test's DNS answer), under
/// `policy`.
fn engine_resolving(name: &str, policy: EgressPolicy) -> Engine {
    let mut engine = Engine::new();
    engine.set_transport(ReqwestTransport::new().resolve_to(name, &[localhost()]));
    engine.set_egress(policy);
    engine
}

fn get(url: &str) -> String {
    format!("r = invokeurl [ url: \"{url}\" type: GET detailed: true ];\nreturn r.get(\"responseCode\");")
}

fn error_of(engine: &Engine, script: &str) -> String {
    engine.run(script).unwrap_err().to_string()
}

#[test]
fn a_public_looking_name_resolving_to_loopback_is_refused_under_the_preset() {
    let url = format!("http://api.partner-example.com:{}/get", port());
    let open = engine_resolving("api.partner-example.com", EgressPolicy::allow_all());
    assert_eq!(open.run(&get(&url)).unwrap().to_string(), "200");
    let guarded = engine_resolving("api.partner-example.com", EgressPolicy::deny_private());
    let message = error_of(&guarded, &get(&url));
    assert!(
        message.contains(&format!(
            "egress policy: refused api.partner-example.com (address 127.0.0.1): {LOOPBACK}"
        )),
        "{message}"
    );
}

#[test]
fn a_redirect_from_an_allowed_host_to_a_private_address_is_refused() {
    let mut policy = EgressPolicy::deny_private();
    // Any host, and the test's httpbin exempt from the preset (it plays a public host).
    policy.allow("*").unwrap().allow("127.0.0.1/32").unwrap();
    let engine = engine_resolving("metadata.internal.example", policy);
    let straight = format!("http://127.0.0.1:{}/get", port());
    assert_eq!(engine.run(&get(&straight)).unwrap().to_string(), "200");
    let to_metadata = format!(
        "http://127.0.0.1:{}/redirect-to?url=http://169.254.169.254/latest/meta-data/",
        port()
    );
    let message = error_of(&engine, &get(&to_metadata));
    assert!(
        message.contains(
            "egress policy: refused 169.254.169.254 (address 169.254.169.254): 169.254.0.0/16 is \
             link-local (cloud metadata at 169.254.169.254), denied by the private-network preset"
        ),
        "{message}"
    );
}

#[test]
fn a_redirect_to_a_name_that_resolves_inside_is_refused_at_connect_time() {
    let mut policy = EgressPolicy::deny_private();
    policy.allow("*").unwrap().allow("127.0.0.1/32").unwrap();
    let mut engine = Engine::new();
    let inside: IpAddr = "10.0.0.7".parse().unwrap();
    engine.set_transport(ReqwestTransport::new().resolve_to("db.internal.example", &[inside]));
    engine.set_egress(policy);
    let url = format!(
        "http://127.0.0.1:{}/redirect-to?url=http://db.internal.example:5432/",
        port()
    );
    let message = error_of(&engine, &get(&url));
    assert!(
        message.contains(
            "egress policy: refused db.internal.example (address 10.0.0.7): 10.0.0.0/8 is \
             private (RFC 1918), denied by the private-network preset"
        ),
        "{message}"
    );
}

#[test]
fn other_spellings_of_loopback_cannot_bypass_the_preset() {
    let open = Engine::new();
    let guarded = {
        let mut engine = Engine::new();
        engine.set_egress(EgressPolicy::deny_private());
        engine
    };
    let port = port();
    for host in [
        "2130706433",
        "0x7f.1",
        "0177.0.0.1",
        "127.1",
        "[::ffff:127.0.0.1]",
    ] {
        let url = format!("http://{host}:{port}/get");
        if !host.starts_with('[') {
            // Each spelling really reaches the server when nothing guards it.
            assert_eq!(open.run(&get(&url)).unwrap().to_string(), "200", "{host}");
        }
        let message = error_of(&guarded, &get(&url));
        assert!(
            message.contains(&format!(
                "egress policy: refused 127.0.0.1 (address 127.0.0.1): {LOOPBACK}"
            )),
            "{host}: {message}"
        );
    }
    for url in ["http://2130706433/", "http://0x7f.1/"] {
        let message = error_of(&guarded, &get(url));
        assert!(message.contains(LOOPBACK), "{url}: {message}");
    }
}

#[test]
fn an_allowed_host_works_and_others_are_refused() {
    let mut policy = EgressPolicy::allow_all();
    policy.allow("api.partner-example.com").unwrap();
    let engine = engine_resolving("api.partner-example.com", policy);
    let allowed = format!("http://api.partner-example.com:{}/get", port());
    assert_eq!(engine.run(&get(&allowed)).unwrap().to_string(), "200");
    let other = format!("http://127.0.0.1:{}/get", port());
    let message = error_of(&engine, &get(&other));
    assert!(
        message.contains(
            "egress policy: refused 127.0.0.1 (address 127.0.0.1): neither 127.0.0.1 nor this \
             address is in the allow list (api.partner-example.com)"
        ),
        "{message}"
    );
    let named = format!("http://localhost:{}/get", port());
    let message = error_of(&engine, &get(&named));
    assert!(
        message.contains(
            "egress policy: refused localhost: not in the allow list (api.partner-example.com)"
        ),
        "{message}"
    );
}

#[test]
fn ports_outside_the_allowed_ones_are_refused() {
    let mut policy = EgressPolicy::allow_all();
    policy.allow_ports(&[443]);
    let mut engine = Engine::new();
    engine.set_egress(policy);
    let message = error_of(&engine, &get(&format!("http://127.0.0.1:{}/get", port())));
    assert!(
        message.contains(&format!(
            "egress policy: refused 127.0.0.1: port {} is not an allowed port (443)",
            port()
        )),
        "{message}"
    );
}

#[test]
fn get_url_and_post_url_obey_the_policy_too() {
    let mut engine = Engine::new();
    engine.set_egress(EgressPolicy::deny_private());
    let url = format!("http://127.0.0.1:{}/anything", port());
    for script in [
        format!("return getUrl(\"{url}\");"),
        format!("return postUrl(\"{url}\", {{\"a\": 1}});"),
    ] {
        let message = error_of(&engine, &script);
        assert!(message.contains(LOOPBACK), "{script}: {message}");
    }
}

#[test]
fn a_transport_set_after_the_policy_is_guarded_as_well() {
    let mut engine = Engine::new();
    engine.set_egress(EgressPolicy::deny_private());
    engine.set_transport(ReqwestTransport::new());
    let message = error_of(&engine, &get(&format!("http://127.0.0.1:{}/get", port())));
    assert!(message.contains(LOOPBACK), "{message}");
}

// ------------------------------------------------------------------------------------ dlg run

fn dlg_run(dir: &std::path::Path, script: &str, flags: &[&str]) -> std::process::Output {
    let path = dir.join("script.dg");
    std::fs::write(&path, script).unwrap();
    std::process::Command::new(env!("CARGO_BIN_EXE_dlg"))
        .arg("run")
        .arg(&path)
        .args(flags)
        .env("DLG_HOME", dir.join("home"))
        .output()
        .unwrap()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn dlg_run_deny_private_refuses_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let script = get(&format!("http://127.0.0.1:{}/get", port())).replace("return ", "info ");
    let output = dlg_run(dir.path(), &script, &["--deny-private"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains(LOOPBACK), "{}", stderr(&output));
    let output = dlg_run(dir.path(), &script, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn dlg_run_egress_file_and_allow_host() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("egress.toml");
    std::fs::write(&policy, "deny_private = true\nallow = [\"127.0.0.1/32\"]\n").unwrap();
    let policy = policy.to_str().unwrap();
    let script = get(&format!("http://127.0.0.1:{}/get", port())).replace("return ", "info ");
    let output = dlg_run(dir.path(), &script, &["--egress", policy]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "200\n");
    let output = dlg_run(dir.path(), &script, &["--allow-host", "api.example.com"]);
    assert!(
        stderr(&output)
            .contains("neither 127.0.0.1 nor this address is in the allow list (api.example.com)"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn dlg_run_reports_bad_policies_as_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("egress.toml");
    std::fs::write(&policy, "allow = [\"10.0.0.0/40\"]\n").unwrap();
    let output = dlg_run(
        dir.path(),
        "info 1;",
        &["--egress", policy.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("egress policy"), "{message}");
    assert!(
        message.contains("allow: '10.0.0.0/40' is not an IP address or range"),
        "{message}"
    );
    let output = dlg_run(dir.path(), "info 1;", &["--allow-host", "bad host!"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--allow-host 'bad host!' is not a host name"),
        "{}",
        stderr(&output)
    );
    let missing = dir.path().join("missing.toml");
    let output = dlg_run(
        dir.path(),
        "info 1;",
        &["--egress", missing.to_str().unwrap()],
    );
    assert!(
        stderr(&output).contains("cannot read the egress policy"),
        "{}",
        stderr(&output)
    );
}

// ---------------------------------------------------------------------------- Zoho tasks

/// A connection `crm` whose service's API base is httpbin (a stand-in Zoho API on 127.0.0.1).
struct LocalCrm;

impl deluge_lang::http::ConnectionAuthorizer for LocalCrm {
    fn authorize(
        &self,
        _: &str,
        request: &mut deluge_lang::http::HttpRequest,
    ) -> Result<(), deluge_lang::http::ConnectionError> {
        request.set_header("Authorization", "Zoho-oauthtoken t-1");
        Ok(())
    }

    fn describe(
        &self,
        link_name: &str,
    ) -> Result<Option<deluge_lang::http::ConnectionInfo>, deluge_lang::http::ConnectionError> {
        Ok(Some(deluge_lang::http::ConnectionInfo {
            link_name: link_name.to_owned(),
            service: "zoho_crm".into(),
            api_domain: None,
            api_base: Some(httpbin::shared().url("")),
        }))
    }
}

#[test]
fn zoho_tasks_obey_the_policy_too() {
    let mut engine = Engine::new();
    engine.set_host(deluge_lang::zoho::ZohoHost::default());
    engine.set_connections(Some(std::sync::Arc::new(LocalCrm)));
    engine.set_egress(EgressPolicy::deny_private());
    let message = error_of(
        &engine,
        "r = zoho.crm.getRecordById(\"Leads\", 42, \"crm\");",
    );
    assert!(
        message.contains(&format!(
            "egress policy: refused 127.0.0.1 (address 127.0.0.1): {LOOPBACK}"
        )),
        "{message}"
    );
}
