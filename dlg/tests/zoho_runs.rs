//! Zoho tasks in whole runs against the local Zoho API server: connection and transport
//! failures, wrong arguments, which connection a task uses, token renewal (also with a real
//! OAuth 2 connection to oidc-provider), `--verbose` redaction, allowed hosts, the REPL's
//! `:zoho`, Ctrl-C, embedding, and real-world scripts with checked-in output
//! (tests/zoho_golden).

#[path = "../../tests/support/mod.rs"]
mod support;

use std::path::Path;

use serde_json::{json, Value};
use support::zoho::{self, stderr, Fixture};

#[test]
fn connection_failures_are_catchable_runtime_errors_and_api_errors_are_values() {
    let f = Fixture::new();
    let out = f.lines(
        r#"
try {
    r = zoho.crm.getRecordById("Leads", 42, "zz");
} catch (e) {
    info "caught: " + e;
}
try {
    r = zoho.crm.getRecords("Broken");
} catch (e) {
    info "caught: " + e;
}
info zoho.crm.getRecordById("Leads", 999).get("code");
"#,
        &[],
    );
    assert_eq!(
        out[0],
        "caught: zoho.crm.getRecordById: connection \"zz\" does not exist; create it with `dlg connection create zz --service SERVICE` (`dlg connection list` shows the existing ones)"
    );
    assert_eq!(
        out[1],
        format!(
            "caught: zoho.crm.getRecords: the reply from 127.0.0.1:{} (HTTP 502) is not JSON (no object or array): <html><body>502 Bad Gateway</body></html>",
            f.server.port
        )
    );
    assert_eq!(out[2], "INVALID_DATA");
}

#[test]
fn a_server_that_is_down_is_a_catchable_error() {
    let f = Fixture::new();
    let port = f.server.port;
    drop(f.server);
    let path = f.home.path().join("down.dg");
    std::fs::write(
        &path,
        "try { r = zoho.crm.getRecords(\"Leads\"); } catch (e) { info e; }",
    )
    .unwrap();
    let output = zoho::dlg(f.home.path(), &["run", path.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        text.starts_with("zoho.crm.getRecords: ") && text.contains(&format!("127.0.0.1:{port}")),
        "{text}"
    );
}

#[test]
fn wrong_arguments_name_the_task_and_its_signature() {
    let f = Fixture::new();
    let cases = [
        (
            r#"r = zoho.crm.getRecordById("Leads");"#,
            "zoho.crm.getRecordById: needs at least 2 arguments, got 1; usage: zoho.crm.getRecordById(module TEXT, record_id NUMBER|TEXT, [query_value MAP], [connection TEXT])",
        ),
        (
            r#"r = zoho.crm.createRecord("Leads", "x", {}, "c", "d");"#,
            "zoho.crm.createRecord: takes at most 4 arguments, got 5; usage: zoho.crm.createRecord(module TEXT, record_details MAP, [options_map MAP], [connection TEXT])",
        ),
        (
            r#"r = zoho.books.getRecords("Invoices", true);"#,
            "zoho.books.getRecords: argument 2 (org_id) must be NUMBER|TEXT, not BOOLEAN; usage: zoho.books.getRecords(module TEXT, org_id NUMBER|TEXT, [search MAP|TEXT], [connection TEXT])",
        ),
        (
            r#"r = zoho.desk.update(7, "Tickets", 8, {}, 5);"#,
            "zoho.desk.update: the connection (last argument) must be TEXT, not NUMBER; usage: zoho.desk.update(orgId NUMBER|TEXT, module TEXT, record_id NUMBER|TEXT, record_value MAP, [connection TEXT])",
        ),
        (
            r#"r = zoho.crm.deleteRecord("Leads", 1);"#,
            "no such task: zoho.crm.deleteRecord; delete with zoho.crm.invokeConnector(\"crm.delete\", {\"module\": MODULE, \"id\": ID}) or invokeurl (DELETE /crm/v2/MODULE/ID)",
        ),
        (
            r#"r = zoho.creator.deleteRecord("ada", "shop", "All_Orders", 1);"#,
            "no such task: zoho.creator.deleteRecord; Creator has no delete task; use invokeurl with DELETE …/report/REPORT/ID",
        ),
        (
            r#"r = zoho.desk.getTicket(1);"#,
            "`zoho.desk.getTicket` is not supported: deluge-lang runs these Zoho Desk tasks under zoho.desk: getRecordById, getRecords, searchRecords, create, update",
        ),
        (
            r#"r = zoho.crm.invokeConnector("crm.set", {"apiname": "x", "value": 1});"#,
            "zoho.crm.invokeConnector: connector crm.set is not available outside Zoho (only crm.delete is)",
        ),
        (
            r#"r = zoho.books.getRecords("Invoices", "", "", "c");"#,
            "zoho.books.getRecords: no organization_id given: pass it as argument 2 or set it for the run with `--zoho-param books.organization_id=VALUE`",
        ),
        (
            r#"r = zoho.projects.getRecords("x");"#,
            "`zoho.projects.getRecords` is a Zoho Projects task; no Zoho Projects host is connected to this run",
        ),
    ];
    for (script, message) in cases {
        let output = f.run(script, &[]);
        assert_eq!(output.status.code(), Some(1), "{script}");
        let text = stderr(&output);
        assert!(
            text.starts_with(&format!("Error: {message}")),
            "{script}\n{text}"
        );
    }
    assert!(
        f.requests().is_empty(),
        "nothing was sent: {:?}",
        f.requests()
    );
}

#[test]
fn without_a_connection_argument_the_default_or_the_only_product_connection_is_used() {
    let f = Fixture::new();
    let script = r#"info zoho.crm.getRecordById("Leads", 42).get("id");"#;
    assert_eq!(
        f.lines(script, &[]),
        vec!["42"],
        "the only zoho_crm_* connection"
    );
    zoho::dlg_ok(
        f.home.path(),
        &["connection", "create", "c2", "--service", "zoho_crm_local"],
    );
    zoho::dlg_ok(f.home.path(), &["connection", "authorize", "c2"]);
    let output = f.run(script, &[]);
    assert!(
        stderr(&output).starts_with("Error: zoho.crm.getRecordById: no connection given and several Zoho CRM connections (c, c2); pass the connection's link name as the task's last argument, or set a default with `dlg run --zoho crm=LINK` (DLG_ZOHO_CRM; `:zoho crm LINK` in the REPL)"),
        "{}",
        stderr(&output)
    );
    assert_eq!(f.lines(script, &["--zoho", "crm=c2"]), vec!["42"]);
    let books = r#"info zoho.books.getOrganizations().get("code");"#;
    let output = f.run(books, &[]);
    assert!(
        stderr(&output).starts_with("Error: zoho.books.getOrganizations: no connection given and no default Zoho Books connection (dlg connection create … --service zoho_books_com); pass the connection's link name as the task's last argument, or set a default with `dlg run --zoho books=LINK` (DLG_ZOHO_BOOKS; `:zoho books LINK` in the REPL)"),
        "{}",
        stderr(&output)
    );
    let with_env = std::process::Command::new(env!("CARGO_BIN_EXE_dlg"))
        .args(["run", f.home.path().join("script.dg").to_str().unwrap()])
        .env("DLG_HOME", f.home.path())
        .env("DLG_ZOHO_BOOKS", "c")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&with_env.stdout),
        "0\n",
        "{}",
        stderr(&with_env)
    );
    let output = f.run(script, &["--zoho", "mail=c"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: unknown Zoho product `mail`; use crm, books, creator, desk or inventory\n"
    );
}

#[test]
fn a_rejected_token_is_renewed_once_and_the_task_succeeds() {
    let f = Fixture::new();
    assert_eq!(
        f.lines(
            r#"info zoho.crm.getRecordById("Leads", 42).get("id");"#,
            &[]
        ),
        vec!["42"]
    );
    let old = f.token();
    let expire = format!("{}/_admin/expire", f.server.base_url());
    let answer = std::process::Command::new("python3")
        .args([
            "-c",
            &format!("import urllib.request as u; u.urlopen(u.Request('{expire}', method='POST'))"),
        ])
        .output()
        .unwrap();
    assert!(answer.status.success());
    assert_eq!(
        f.lines(
            r#"info zoho.crm.getRecordById("Leads", 42).get("id");"#,
            &["-v"]
        ),
        vec!["42"]
    );
    let requests = f.requests();
    assert_eq!(
        requests.len(),
        3,
        "first call, the rejected retry, the renewed one"
    );
    assert_eq!(requests[1]["authorization"], old.as_str());
    assert_ne!(requests[2]["authorization"], old.as_str());
    let refreshes = f
        .server
        .stdout_lines()
        .iter()
        .filter(|l| l.as_str() == "EVENT token refresh_token")
        .count();
    assert_eq!(refreshes, 1);
}

#[test]
fn verbose_logging_redacts_the_token() {
    let f = Fixture::new();
    let output = f.run(
        r#"info zoho.crm.getRecordById("Leads", 42).get("id");"#,
        &["--verbose"],
    );
    assert!(output.status.success());
    let log = stderr(&output);
    let token = f.token();
    let token = token.trim_start_matches("Zoho-oauthtoken ");
    assert!(log.contains("GET http://127.0.0.1"), "{log}");
    assert!(log.contains("signing with connection \"c\""), "{log}");
    assert!(
        log.contains("zoho: API call 1: zoho.crm.getRecordById over connection \"c\""),
        "{log}"
    );
    assert!(!log.contains(token), "the token leaked: {log}");
}

#[test]
fn a_host_outside_the_allowed_hosts_gets_no_credentials() {
    let server = zoho::start(None);
    let home = tempfile::tempdir().unwrap();
    let base = server.base_url();
    let token_url = format!("{base}/oauth/v2/token");
    zoho::dlg_ok(
        home.path(),
        &[
            "service",
            "create",
            "zoho_crm_other",
            "--auth",
            "oauth2",
            "--grant",
            "client-credentials",
            "--token-url",
            &token_url,
            "--client-id",
            "i",
            "--client-secret",
            &zoho::secret_arg(home.path(), "other", "s"),
            "--token-prefix",
            "Zoho-oauthtoken",
            "--host",
            "www.zohoapis.com",
        ],
    );
    zoho::dlg_ok(
        home.path(),
        &["connection", "create", "o", "--service", "zoho_crm_other"],
    );
    zoho::dlg_ok(home.path(), &["connection", "authorize", "o"]);
    let script = home.path().join("s.dg");
    std::fs::write(&script, r#"r = zoho.crm.getRecordById("Leads", 42, "o");"#).unwrap();
    let output = zoho::dlg(home.path(), &["run", script.to_str().unwrap()]);
    let text = stderr(&output);
    assert!(
        text.starts_with(
            "Error: zoho.crm.getRecordById: connection \"o\" may not send its credentials to host \"127.0.0.1\" (it allows only \"www.zohoapis.com\")"
        ),
        "the token's api_domain is the local server, which the service does not allow: {text}"
    );
    assert!(zoho::requests(&server).is_empty());
    zoho::dlg_ok(
        home.path(),
        &["service", "edit", "zoho_crm_other", "--api-base", &base],
    );
    let output = zoho::dlg(home.path(), &["run", script.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn the_repl_sets_a_product_connection_with_the_zoho_command() {
    let f = Fixture::new();
    zoho::dlg_ok(
        f.home.path(),
        &["connection", "create", "c2", "--service", "zoho_crm_local"],
    );
    zoho::dlg_ok(f.home.path(), &["connection", "authorize", "c2"]);
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_dlg"));
    command
        .args(["repl", "--no-history"])
        .env("DLG_HOME", f.home.path());
    let output = support::output_with_stdin(
        &mut command,
        b":zoho crm c2\ninfo zoho.crm.getRecordById(\"Leads\", 42).get(\"Company\");\n:zoho crm\n",
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("Zoho CRM tasks now use connection \"c2\".\nZylker\n"),
        "{text}{}",
        stderr(&output)
    );
    assert!(
        stderr(&output)
            .contains("error: `:zoho` needs a product and a connection: `:zoho crm LINK`"),
        "{}",
        stderr(&output)
    );
}

/// Runs `dlg connection authorize LINK`, plays the browser on oidc-provider's consent pages
/// and lets the redirect reach dlg's loopback listener.
fn authorize_in_browser(home: &Path, link: &str) {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_dlg"))
        .args(["connection", "authorize", link])
        .env("DLG_HOME", home)
        .env_remove("DLG_MASTER_KEY")
        .env("PATH", "/nonexistent")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dlg");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let url = loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).expect("read") > 0,
            "dlg printed no URL"
        );
        if let Some(rest) = line.trim().strip_prefix("http://127.0.0.1") {
            break url::Url::parse(&format!("http://127.0.0.1{rest}")).expect("URL");
        }
    };
    let mut browser = support::browser::Browser::new();
    let target = browser
        .walk_to_redirect(&url, support::browser::Choice::Approve)
        .expect("redirect");
    assert_eq!(browser.get(&target).status, 200);
    let output = child.wait_with_output().expect("dlg output");
    assert!(output.status.success(), "authorize failed");
}

#[test]
fn tasks_signed_by_a_real_oauth2_connection_refresh_an_expired_token_once() {
    use deluge_lang::connections::Store;
    let oidc = support::oidc::start();
    let oidc_base = oidc.base_url();
    let server = zoho::start(Some(&format!("{oidc_base}/me")));
    let home = tempfile::tempdir().unwrap();
    let api = server.base_url();
    zoho::dlg_ok(
        home.path(),
        &[
            "service",
            "create",
            "zoho_crm_oidc",
            "--auth",
            "oauth2",
            "--authorize-url",
            &format!("{oidc_base}/auth"),
            "--token-url",
            &format!("{oidc_base}/token"),
            "--client-id",
            "short",
            "--client-secret",
            &zoho::secret_arg(home.path(), "oidc", "short-secret"),
            "--scope-delimiter",
            "space",
            "--token-prefix",
            "Zoho-oauthtoken",
            "--api-base",
            &api,
        ],
    );
    zoho::dlg_ok(
        home.path(),
        &[
            "connection",
            "create",
            "crm",
            "--service",
            "zoho_crm_oidc",
            "--scope",
            "openid",
            "--scope",
            "offline_access",
        ],
    );
    authorize_in_browser(home.path(), "crm");
    let script = home.path().join("s.dg");
    std::fs::write(
        &script,
        r#"info zoho.crm.updateRecord("Deals", 5, {"Stage": "Won"}).get("id");"#,
    )
    .unwrap();
    let run = || zoho::dlg(home.path(), &["run", script.to_str().unwrap()]);
    let refreshes = || {
        oidc.stdout_lines()
            .iter()
            .filter(|l| l.starts_with("EVENT grant.success refresh_token"))
            .count()
    };
    // The token expired (2 s) and the store knows it: one refresh before the call. (One task
    // per run: tokens this short are renewed before every use.)
    std::thread::sleep(std::time::Duration::from_millis(3200));
    let output = run();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "5\n");
    assert_eq!(refreshes(), 1);
    // Expired again, but the store believes it good for an hour: Zoho's 401, one refresh,
    // one retry.
    std::thread::sleep(std::time::Duration::from_millis(3200));
    let store = Store::at(home.path()).with_master_key(None);
    store
        .update(|tx| {
            let later = jiff::Timestamp::now().as_second() + 3600;
            tx.connection_mut("crm")?.expires_at =
                Some(jiff::Timestamp::from_second(later).unwrap());
            Ok(())
        })
        .unwrap();
    let output = run();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "5\n");
    // Zoho's 401 made dlg renew the token (oidc-provider's 2 s tokens are also renewed again
    // before the retry, being inside the 60 s renewal margin).
    assert!(refreshes() >= 2, "{:?}", oidc.stdout_lines());
    let paths: Vec<Value> = zoho::requests(&server)
        .iter()
        .map(|r| r["path"].clone())
        .collect();
    assert_eq!(
        paths,
        vec![json!("/crm/v2/Deals/5"); 3],
        "the second run's first call was rejected once and retried"
    );
}

/// Real-world-style scripts in tests/zoho_golden: each runs unchanged against a fresh server
/// with the flags of its `.args` file (one per line, `{base}` standing for the server's URL)
/// and must print its `.out` file. `ZOHO_GOLDEN_BLESS=1` rewrites the `.out` files.
#[test]
fn real_world_scripts_print_their_expected_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/zoho_golden");
    let mut scripts: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "dg"))
        .collect();
    scripts.sort();
    assert_eq!(scripts.len(), 10, "{scripts:?}");
    let bless = std::env::var_os("ZOHO_GOLDEN_BLESS").is_some();
    let mut failures = Vec::new();
    for script in scripts {
        let f = Fixture::new();
        let base = f.server.base_url();
        let args_text = std::fs::read_to_string(script.with_extension("args")).unwrap_or_default();
        let flags: Vec<String> = args_text
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| l.replace("{base}", &base))
            .collect();
        let mut args = vec!["run".to_owned(), script.display().to_string()];
        args.extend(flags);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = zoho::dlg(f.home.path(), &args);
        let actual = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let expected_path = script.with_extension("out");
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected || !output.status.success() {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- actual\n{actual}",
                script.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn ctrl_c_stops_a_task_waiting_for_zoho() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let f = Fixture::new();
    let script = f.home.path().join("slow.dg");
    std::fs::write(
        &script,
        "info \"sent\";\nr = zoho.crm.getRecords(\"Slow\");\ninfo \"never\";",
    )
    .unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_dlg"))
        .arg("run")
        .arg(&script)
        .env("DLG_HOME", f.home.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let waiting = Instant::now();
    while !f
        .server
        .stdout_lines()
        .iter()
        .any(|l| l.contains("/crm/v2/Slow"))
    {
        assert!(
            waiting.elapsed() < Duration::from_secs(20),
            "the request never arrived"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(200));
    let pressed = Instant::now();
    // SAFETY: sends SIGINT to the child this test started and still owns.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let output = child.wait_with_output().unwrap();
    assert!(
        pressed.elapsed() < Duration::from_secs(3),
        "took {:?}",
        pressed.elapsed()
    );
    let text = stderr(&output);
    assert!(text.starts_with("Error: interrupted (Ctrl-C)"), "{text}");
    assert!(text.contains("slow.dg:2:"), "{text}");
    assert_eq!(output.status.code(), Some(130), "{text}");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "sent\n");
}

/// An embedder's own transport and connection store: the Zoho host sends through the engine's
/// transport (what `dlg test` records) and asks the store where the connection's API lives.
#[test]
fn embedders_route_zoho_tasks_through_their_transport_and_store() {
    use deluge_lang::http::{
        ConnectionAuthorizer, ConnectionError, ConnectionInfo, HttpError, HttpRequest,
        HttpResponse, SendOptions, Transport,
    };
    use deluge_lang::zoho::{ZohoHost, ZohoProduct};
    use std::sync::{Arc, Mutex};

    struct Store;
    impl ConnectionAuthorizer for Store {
        fn authorize(&self, _: &str, request: &mut HttpRequest) -> Result<(), ConnectionError> {
            request.set_header("Authorization", "Zoho-oauthtoken embedded");
            Ok(())
        }
        fn describe(&self, link: &str) -> Result<Option<ConnectionInfo>, ConnectionError> {
            Ok(Some(ConnectionInfo {
                link_name: link.into(),
                service: "zoho_crm_eu".into(),
                api_domain: Some("https://www.zohoapis.eu".into()),
                api_base: None,
            }))
        }
    }
    struct Recorder(Arc<Mutex<Vec<String>>>);
    impl Transport for Recorder {
        fn send(&self, request: HttpRequest, _: &SendOptions) -> Result<HttpResponse, HttpError> {
            let auth = request.header("authorization").unwrap_or("").to_owned();
            self.0.lock().unwrap().push(format!(
                "{} {} {auth}",
                request.method.as_str(),
                request.url
            ));
            let body = br#"{"data":[{"id":"1","Last_Name":"Lovelace"}]}"#.to_vec();
            Ok(HttpResponse {
                status: 200,
                headers: vec![],
                body,
                url: request.url,
            })
        }
    }
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut engine = deluge_lang::Engine::new();
    engine.set_transport(Recorder(Arc::clone(&log)));
    engine.set_connections(Some(Arc::new(Store)));
    engine.set_host(ZohoHost::default());
    engine
        .zoho_settings_mut()
        .set_default_connection(ZohoProduct::Crm, "mine");
    let name: String = engine
        .eval(r#"zoho.crm.getRecordById("Leads", 1).get("Last_Name")"#)
        .unwrap();
    assert_eq!(name, "Lovelace");
    let desk: String = engine
        .eval(r#"zoho.desk.getRecordById(7, "Tickets", 8, "mine").keys().toString()"#)
        .unwrap();
    assert_eq!(desk, "data", "Desk gets the reply unchanged");
    assert_eq!(
        *log.lock().unwrap(),
        vec![
            "GET https://www.zohoapis.eu/crm/v2/Leads/1 Zoho-oauthtoken embedded".to_owned(),
            "GET https://desk.zoho.eu/api/v1/tickets/8 Zoho-oauthtoken embedded".to_owned(),
        ]
    );
}

#[test]
fn a_token_zoho_keeps_rejecting_after_renewal_is_a_runtime_error_and_marks_needs_reauth() {
    // Every token check fails (nothing listens on port 1), so even the renewed token is refused.
    let server = zoho::start(Some("http://127.0.0.1:1/me"));
    let home = tempfile::tempdir().unwrap();
    zoho::connect(home.path(), &server, "zoho_crm_local", "c");
    let script = home.path().join("s.dg");
    std::fs::write(&script, r#"r = zoho.crm.getRecordById("Leads", 42);"#).unwrap();
    let output = zoho::dlg(home.path(), &["run", script.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).starts_with("Error: zoho.crm.getRecordById: Zoho rejected the access token of connection \"c\" (INVALID_TOKEN) even after renewing it; authorize it again with `dlg connection authorize c`"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        zoho::requests(&server).len(),
        2,
        "one retry after the renewal"
    );
    let shown = zoho::dlg_ok(home.path(), &["connection", "show", "c", "--json"]);
    let shown: Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown["status"], "needs_reauth", "{shown}");
    let output = zoho::dlg(home.path(), &["run", script.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).starts_with("Error: zoho.crm.getRecordById: connection \"c\" needs re-authorization: Zoho rejected its access token (INVALID_TOKEN) even after renewing it; run `dlg connection authorize c`"),
        "the next run stops before sending: {}",
        stderr(&output)
    );
    assert_eq!(zoho::requests(&server).len(), 2, "nothing more was sent");
}

#[test]
fn api_base_urls_are_checked_and_edits_need_an_existing_service() {
    let home = tempfile::tempdir().unwrap();
    let output = zoho::dlg(
        home.path(),
        &[
            "service",
            "create",
            "s",
            "--auth",
            "basic",
            "--api-base",
            "ftp://files.example",
        ],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("--api-base \"ftp://files.example\": not http or https; give an http(s) URL such as https://www.zohoapis.eu"),
        "{}",
        stderr(&output)
    );
    let output = zoho::dlg(
        home.path(),
        &["service", "edit", "nope", "--api-base", "https://x.example"],
    );
    assert!(!output.status.success());
    assert!(stderr(&output).contains("nope"), "{}", stderr(&output));
    zoho::dlg_ok(
        home.path(),
        &[
            "service",
            "create",
            "s",
            "--auth",
            "basic",
            "--api-base",
            "https://api.example/zoho/",
        ],
    );
    let shown = zoho::dlg_ok(home.path(), &["service", "show", "s", "--json"]);
    let shown: Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown["api_base"], "https://api.example/zoho");
    assert_eq!(shown["allowed_hosts"], json!(["api.example"]));
    let edited = zoho::dlg_ok(home.path(), &["service", "edit", "s", "--api-base", "none"]);
    assert_eq!(
        edited,
        "service \"s\": Zoho tasks use the data centre's hosts again\n"
    );
}

#[test]
fn bulk_writes_refuse_more_than_100_records_before_sending() {
    let f = Fixture::new();
    let output = f.run(
        r#"records = List();
for each a in {1,2,3,4,5,6,7,8,9,10,11}
{
	for each b in {1,2,3,4,5,6,7,8,9,10}
	{
		records.add({"Last_Name": "L" + a + "-" + b});
	}
}
r = zoho.crm.bulkCreate("Leads", records);"#,
        &[],
    );
    assert!(
        stderr(&output)
            .starts_with("Error: zoho.crm.bulkCreate: at most 100 records per call, got 110"),
        "{}",
        stderr(&output)
    );
    assert!(f.requests().is_empty());
}

#[test]
fn a_store_that_cannot_describe_connections_says_so() {
    use deluge_lang::http::{ConnectionAuthorizer, ConnectionError, HttpRequest};
    use std::sync::Arc;
    struct Opaque;
    impl ConnectionAuthorizer for Opaque {
        fn authorize(&self, _: &str, _: &mut HttpRequest) -> Result<(), ConnectionError> {
            Ok(())
        }
    }
    let mut engine = deluge_lang::Engine::new();
    engine.set_connections(Some(Arc::new(Opaque)));
    engine.set_host(deluge_lang::zoho::ZohoHost::default());
    let error = engine
        .run(r#"r = zoho.desk.getRecordById(1, "Tickets", 2, "desk");"#)
        .unwrap_err();
    assert_eq!(
        error.message(),
        "zoho.desk.getRecordById: the connection store cannot tell which Zoho data centre connection \"desk\" uses"
    );
}

/// `dlg ARGS` in `dir` with the fixture's home, the given extra variables and `input` on
/// standard input; (stdout, stderr).
fn dlg_with_env(
    f: &Fixture,
    dir: &Path,
    args: &[&str],
    vars: &[(&str, &str)],
    input: &str,
) -> (String, String) {
    use std::io::Write;
    use std::process::Stdio;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_dlg"));
    command
        .args(args)
        .current_dir(dir)
        .env("DLG_HOME", f.home.path())
        .env_remove("DLG_ZOHO_CRM")
        .env_remove("DLG_ZOHO_DEFAULT_CONNECTION_CRM")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in vars {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr(&output),
    )
}

/// The connection the verbose log says the task went over.
fn used_connection(log: &str) -> String {
    let at = log
        .find("zoho.crm.getRecordById over connection \"")
        .unwrap_or_else(|| panic!("no Zoho call in the log: {log}"));
    let rest = &log[at + "zoho.crm.getRecordById over connection \"".len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

#[test]
fn dlg_toml_sets_the_default_connection_below_variables_and_flags() {
    let f = Fixture::new();
    for link in ["c2", "c3"] {
        zoho::dlg_ok(
            f.home.path(),
            &["connection", "create", link, "--service", "zoho_crm_local"],
        );
        zoho::dlg_ok(f.home.path(), &["connection", "authorize", link]);
    }
    let project = tempfile::tempdir().unwrap();
    std::fs::create_dir(project.path().join("functions")).unwrap();
    let script = project.path().join("functions/lead.dg");
    std::fs::write(
        &script,
        r#"info zoho.crm.getRecordById("Leads", 42).get("id");"#,
    )
    .unwrap();
    let script = script.to_str().unwrap();
    let run = |flags: &[&str], vars: &[(&str, &str)]| {
        let mut args = vec!["run", "-v", script];
        args.extend_from_slice(flags);
        let (out, log) = dlg_with_env(&f, project.path(), &args, vars, "");
        assert_eq!(out, "42\n", "{log}");
        used_connection(&log)
    };
    let (_, log) = dlg_with_env(&f, project.path(), &["run", script], &[], "");
    assert!(
        log.contains("no connection given and several Zoho CRM connections (c, c2, c3)"),
        "{log}"
    );
    std::fs::write(
        f.home.path().join("config.toml"),
        "[zoho.default_connection]\ncrm = \"c3\"\n",
    )
    .unwrap();
    assert_eq!(run(&[], &[]), "c3", "the user's config.toml");
    std::fs::write(
        project.path().join("dlg.toml"),
        "[zoho.default_connection]\ncrm = \"c2\"\n",
    )
    .unwrap();
    assert_eq!(run(&[], &[]), "c2", "dlg.toml over config.toml");
    assert_eq!(
        run(&[], &[("DLG_ZOHO_CRM", "c")]),
        "c",
        "DLG_ZOHO_CRM over dlg.toml"
    );
    assert_eq!(
        run(&[], &[("DLG_ZOHO_DEFAULT_CONNECTION_CRM", "c3")]),
        "c3",
        "the key's DLG_ variable over dlg.toml"
    );
    assert_eq!(
        run(&["--zoho", "crm=c3"], &[("DLG_ZOHO_CRM", "c")]),
        "c3",
        "the flag over the variable"
    );
    let (out, log) = dlg_with_env(
        &f,
        project.path().join("functions").as_path(),
        &["-v", "repl"],
        &[],
        "info zoho.crm.getRecordById(\"Leads\", 42).get(\"id\");\n",
    );
    assert_eq!(out, "42\n", "{log}");
    assert_eq!(
        used_connection(&log),
        "c2",
        "the REPL reads the dlg.toml of its folder"
    );
    std::fs::write(
        project.path().join("dlg.toml"),
        "[zoho.crm]\nlegacy_api_version = \"v9\"\n",
    )
    .unwrap();
    let (_, log) = dlg_with_env(&f, project.path(), &["run", script], &[], "");
    assert_eq!(
        log,
        "error: dlg.toml: zoho.crm.legacy_api_version: zoho.crm.legacy_api_version must be v2 ... v8, not `v9`\n"
    );
}
