//! `dlg ui`, the Connections page: security (session, Host, CSRF, headers, no secret in any
//! page) over HTTP, and the whole journey in a real browser (Debian's chromium driven by
//! Selenium): a catalog API-key connection used by `dlg run` against httpbin, a custom OAuth 2
//! service connected through oidc-provider's consent page, edit, revoke, delete, every status.

#[path = "../../tests/support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::blocking::{Client, Response};
use reqwest::redirect::Policy;
use support::{debian, httpbin, oidc, pyvenv};

/// A running `dlg ui --no-browser` over a store of its own.
struct Ui {
    child: Child,
    home: tempfile::TempDir,
    start_url: String,
    origin: String,
}

impl Ui {
    fn start() -> Ui {
        let home = tempfile::tempdir().expect("temporary DLG_HOME");
        let mut child = Command::new(env!("CARGO_BIN_EXE_dlg"))
            .args(["ui", "--no-browser"])
            .env("DLG_HOME", home.path())
            .env_remove("DLG_MASTER_KEY")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dlg ui starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("dlg ui prints its address");
        let start_url = line
            .trim()
            .strip_prefix("Connections page: ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_owned();
        let origin = start_url.split("/start").next().expect("origin").to_owned();
        Ui {
            child,
            home,
            start_url,
            origin,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    fn host(&self) -> String {
        self.origin.trim_start_matches("http://").to_owned()
    }

    /// Runs `dlg ARGS` over this page's store.
    fn dlg(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_dlg"))
            .args(args)
            .env("DLG_HOME", self.home.path())
            .env_remove("DLG_MASTER_KEY")
            .stdin(Stdio::null())
            .output()
            .expect("dlg runs")
    }

    /// Stops it as Ctrl-C does (SIGINT) and returns its exit status and standard error.
    fn interrupt(mut self) -> (std::process::ExitStatus, String) {
        let pid = i32::try_from(self.child.id()).expect("pid");
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(pid, libc::SIGINT) };
        let status = self.child.wait().expect("dlg ui exits");
        let mut stderr = String::new();
        if let Some(mut err) = self.child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut err, &mut stderr);
        }
        (status, stderr)
    }
}

impl Drop for Ui {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> Client {
    Client::builder()
        .redirect(Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

/// Opens the one-time URL and returns the session cookie (`name=value`).
fn session(ui: &Ui) -> String {
    let response = client().get(&ui.start_url).send().expect("start");
    assert_eq!(response.status(), 303);
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    cookie.split(';').next().expect("pair").to_owned()
}

fn get(ui: &Ui, cookie: &str, path: &str) -> (u16, String) {
    let response = client()
        .get(ui.url(path))
        .header("cookie", cookie)
        .send()
        .expect("GET");
    (response.status().as_u16(), response.text().expect("body"))
}

fn post(ui: &Ui, cookie: &str, path: &str, form: &[(&str, &str)]) -> Response {
    client()
        .post(ui.url(path))
        .header("cookie", cookie)
        .form(form)
        .send()
        .expect("POST")
}

/// The CSRF token in a page's form.
fn csrf(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a CSRF field") + marker.len();
    html[start..].split('"').next().expect("token").to_owned()
}

#[test]
fn a_request_without_the_session_is_refused() {
    let ui = Ui::start();
    for path in ["/", "/services", "/services/new", "/c/x/edit"] {
        let (status, body) = get(&ui, "dlg_ui_session=forged", path);
        assert_eq!(status, 403, "{path}");
        assert!(body.contains("the session is unknown"), "{body}");
        let response = client().get(ui.url(path)).send().expect("GET");
        assert_eq!(response.status(), 403, "{path}");
        assert!(response
            .text()
            .expect("body")
            .contains("no session: open the address"));
    }
    let response = client()
        .post(ui.url("/services"))
        .form(&[("name", "x"), ("auth", "basic")])
        .send()
        .expect("POST");
    assert_eq!(response.status(), 403);
}

#[test]
fn the_one_time_token_works_once_and_the_session_cookie_is_strict() {
    let ui = Ui::start();
    let cookie = session(&ui);
    let again = client().get(&ui.start_url).send().expect("start again");
    assert_eq!(again.status(), 403);
    assert!(again
        .text()
        .expect("body")
        .contains("wrong or was used already"));
    let (status, body) = get(&ui, &cookie, "/");
    assert_eq!(status, 200);
    assert!(body.contains("My connections"));
}

#[test]
fn a_wrong_host_header_is_refused() {
    let ui = Ui::start();
    let cookie = session(&ui);
    for path in ["/", "/cb?state=x&code=y", "/style.css", "/start?token=x"] {
        let response = client()
            .get(ui.url(path))
            .header("host", "attacker.example")
            .header("cookie", &cookie)
            .send()
            .expect("GET");
        assert_eq!(response.status(), 421, "{path}");
        let body = response.text().expect("body");
        assert!(body.contains("DNS-rebinding guard"), "{body}");
        assert!(body.contains(&format!("http://{}/", ui.host())), "{body}");
    }
}

#[test]
fn a_form_without_its_csrf_token_is_refused_and_changes_nothing() {
    let ui = Ui::start();
    let cookie = session(&ui);
    let form = [
        ("name", "mine"),
        ("auth", "basic"),
        ("hosts", "example.com"),
    ];
    let response = post(&ui, &cookie, "/services", &form);
    assert_eq!(response.status(), 403);
    assert!(response
        .text()
        .expect("body")
        .contains("CSRF token is missing or wrong"));
    let mut forged = form.to_vec();
    forged.push(("csrf", "forged"));
    assert_eq!(post(&ui, &cookie, "/services", &forged).status(), 403);
    let listed = ui.dlg(&["service", "show", "mine"]);
    assert!(!listed.status.success(), "the service was not created");
    let (_, page) = get(&ui, &cookie, "/services/new");
    let mut valid = form.to_vec();
    let token = csrf(&page);
    valid.push(("csrf", &token));
    assert_eq!(post(&ui, &cookie, "/services", &valid).status(), 303);
    assert!(ui.dlg(&["service", "show", "mine"]).status.success());
}

#[test]
fn every_response_carries_a_strict_content_security_policy() {
    let ui = Ui::start();
    let cookie = session(&ui);
    for path in ["/", "/services", "/style.css", "/nowhere"] {
        let response = client()
            .get(ui.url(path))
            .header("cookie", &cookie)
            .send()
            .expect("GET");
        let csp = response
            .headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe"), "{csp}");
    }
}

#[test]
fn invalid_input_is_explained_on_the_page() {
    let ui = Ui::start();
    let cookie = session(&ui);
    let (_, page) = get(&ui, &cookie, "/new?service=trello");
    let token = csrf(&page);
    let response = post(
        &ui,
        &cookie,
        "/new",
        &[
            ("csrf", &token),
            ("service", "trello"),
            ("link_name", "Bad Name"),
        ],
    );
    assert_eq!(response.status(), 400);
    let body = response.text().expect("body");
    assert!(
        body.contains("must start with a lowercase letter"),
        "{body}"
    );
    let (status, body) = get(&ui, &cookie, "/new?service=nothing_like_it");
    assert_eq!(status, 400);
    assert!(body.contains("nothing_like_it"), "{body}");
}

#[test]
fn no_secret_appears_in_any_page() {
    let ui = Ui::start();
    let cookie = session(&ui);
    let api_secret = "sk-ui-never-shown-4821";
    let client_secret = "client-secret-never-shown-9931";
    let (_, page) = get(&ui, &cookie, "/services/new");
    let token = csrf(&page);
    let created = post(
        &ui,
        &cookie,
        "/services",
        &[
            ("csrf", &token),
            ("name", "provider"),
            ("auth", "oauth2"),
            ("hosts", "api.example.com"),
            ("grant", "authorization-code"),
            ("authorize_url", "https://auth.example.com/authorize"),
            ("token_url", "https://auth.example.com/token"),
            ("client_id", "my-client"),
            ("client_secret", client_secret),
            ("scope_delimiter", "space"),
        ],
    );
    assert_eq!(created.status(), 303, "{:?}", created.text());
    let connected = post(
        &ui,
        &cookie,
        "/new",
        &[
            ("csrf", &token),
            ("service", "anthropic"),
            ("link_name", "claude"),
            ("value:x-api-key", api_secret),
        ],
    );
    assert_eq!(connected.status(), 303);
    let pages = [
        "/",
        "/services",
        "/services?q=provider",
        "/services/new",
        "/new?service=provider",
        "/new?service=anthropic",
        "/c/claude/done",
        "/c/claude/edit",
        "/c/claude/connect",
        "/c/claude/revoke",
        "/c/claude/delete",
    ];
    for path in pages {
        let (status, body) = get(&ui, &cookie, path);
        assert_eq!(status, 200, "{path}: {body}");
        assert!(
            !body.contains(api_secret) && !body.contains(client_secret),
            "{path} shows a secret"
        );
    }
    let (_, summary) = get(&ui, &cookie, "/c/claude/done");
    assert!(summary.contains("x-api-key=***"), "{summary}");
}

#[test]
fn ctrl_c_stops_the_page() {
    let ui = Ui::start();
    let (status, stderr) = ui.interrupt();
    assert!(status.success(), "{status:?} {stderr}");
    assert!(stderr.contains("dlg ui: stopped"), "{stderr}");
}

/// Where the screenshots go: `target/ui-screenshots/`.
fn screenshots_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| support::workspace_root().join("target"));
    target.join("ui-screenshots")
}

#[test]
fn the_whole_journey_in_a_real_browser() {
    for (program, package) in [
        ("chromium", "chromium"),
        ("chromedriver", "chromium-driver"),
    ] {
        if let Err(why) = debian::ensure(program, &[package]) {
            panic!("the browser test needs {program}: {why}");
        }
    }
    let venv = pyvenv::pinned_venv("selenium", include_str!("ui/selenium-requirements.txt"));
    let httpbin = httpbin::shared();
    let oidc_base = oidc::shared().base_url();
    let ui = Ui::start();
    let legacy = ui.dlg(&[
        "service",
        "create",
        "legacy",
        "--auth",
        "oauth2",
        "--authorize-url",
        &format!("{oidc_base}/auth"),
        "--token-url",
        &format!("{oidc_base}/token"),
        "--client-id",
        "public",
        "--host",
        "127.0.0.1",
    ]);
    assert!(legacy.status.success(), "{legacy:?}");
    assert!(ui
        .dlg(&["connection", "create", "legacy_acct", "--service", "legacy"])
        .status
        .success());
    let store = deluge_lang::connections::Store::at(ui.home.path());
    deluge_lang::connections::oauth2::connection::mark_needs_reauth(
        &store,
        "legacy_acct",
        "the provider rejected the refresh token (invalid_grant)",
    )
    .expect("marked");
    let shots = screenshots_dir();
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    let output = Command::new(pyvenv::venv_python(&venv))
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui/browser_journey.py"))
        .args([&ui.start_url, &httpbin.url(""), &oidc_base])
        .arg(&shots)
        .arg(env!("CARGO_BIN_EXE_dlg"))
        .env("DLG_HOME", ui.home.path())
        .env_remove("DLG_MASTER_KEY")
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "browser journey failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("JOURNEY OK"), "{stdout}\n{stderr}");
    for name in [
        "01-connections",
        "03-pick-service",
        "05-summary",
        "10-consent",
    ] {
        assert!(
            shots.join(format!("{name}.png")).exists(),
            "{name}.png missing"
        );
    }
}

#[test]
fn a_callback_without_a_consent_started_here_is_refused() {
    let ui = Ui::start();
    let response = client()
        .get(ui.url("/cb?code=stolen&state=forged"))
        .send()
        .expect("GET");
    assert_eq!(response.status(), 400);
    let body = response.text().expect("body");
    assert!(
        body.contains("does not belong to a consent started on this page"),
        "{body}"
    );
}

#[test]
fn revoke_and_delete_need_the_confirmation() {
    let ui = Ui::start();
    let cookie = session(&ui);
    assert!(ui
        .dlg(&["connection", "create", "tr", "--service", "trello"])
        .status
        .success());
    let (_, page) = get(&ui, &cookie, "/c/tr/delete");
    assert!(page.contains("Delete this connection?"), "{page}");
    let token = csrf(&page);
    for action in ["revoke", "delete"] {
        let response = post(
            &ui,
            &cookie,
            &format!("/c/tr/{action}"),
            &[("csrf", &token)],
        );
        assert_eq!(response.status(), 400);
        assert!(response
            .text()
            .expect("body")
            .contains("not confirmed; nothing was changed"));
    }
    assert!(ui.dlg(&["connection", "show", "tr"]).status.success());
    let confirmed = post(
        &ui,
        &cookie,
        "/c/tr/delete",
        &[("csrf", &token), ("confirm", "yes")],
    );
    assert_eq!(confirmed.status(), 200);
    assert!(confirmed
        .text()
        .expect("body")
        .contains("deleted connection"));
    assert!(!ui.dlg(&["connection", "show", "tr"]).status.success());
}

#[test]
fn a_busy_port_is_reported_with_the_fix() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = taken.local_addr().expect("address").port().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_dlg"))
        .args(["ui", "--no-browser", "--port", &port])
        .env("DLG_HOME", tempfile::tempdir().expect("home").path())
        .output()
        .expect("dlg ui");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on 127.0.0.1:{port}"))
            && stderr.contains("--port N"),
        "{stderr}"
    );
}

#[test]
fn the_device_flow_shows_the_code_and_connects_once_approved() {
    let base = oidc::shared().base_url();
    let ui = Ui::start();
    let cookie = session(&ui);
    let created = ui.dlg(&[
        "service",
        "create",
        "dev",
        "--auth",
        "oauth2",
        "--grant",
        "device",
        "--device-url",
        &format!("{base}/device/auth"),
        "--token-url",
        &format!("{base}/token"),
        "--client-id",
        "public",
        "--scope-delimiter",
        "space",
        "--host",
        "127.0.0.1",
    ]);
    assert!(created.status.success(), "{created:?}");
    let (_, page) = get(&ui, &cookie, "/new?service=dev");
    assert!(page.contains("a code to enter"), "{page}");
    let token = csrf(&page);
    let started = post(
        &ui,
        &cookie,
        "/new",
        &[
            ("csrf", &token),
            ("service", "dev"),
            ("link_name", "tv"),
            ("scopes", "openid"),
        ],
    );
    assert_eq!(started.status(), 303);
    let mut code_page = String::new();
    for _ in 0..100 {
        let (_, body) = get(&ui, &cookie, "/c/tv/progress");
        if body.contains("Enter the code") {
            code_page = body;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(code_page.contains("usercode"), "{code_page}");
    let marker = "Or open <a href=\"";
    let start = code_page.find(marker).expect("the complete link") + marker.len();
    let complete = code_page[start..]
        .split('"')
        .next()
        .expect("URL")
        .replace("&amp;", "&");
    let complete = url::Url::parse(&complete).expect("a URL");
    let mut browser = support::browser::Browser::new();
    assert!(browser
        .walk_to_redirect(&complete, support::browser::Choice::Approve)
        .is_none());
    let mut status = 0;
    for _ in 0..150 {
        let response = client()
            .get(ui.url("/c/tv/progress"))
            .header("cookie", &cookie)
            .send()
            .expect("GET");
        status = response.status().as_u16();
        if status == 303 {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(status, 303, "the page never saw the approval");
    let (_, summary) = get(&ui, &cookie, "/c/tv/done");
    assert!(summary.contains("status connected"), "{summary}");
}

#[test]
fn an_oauth1_service_created_on_the_page_connects() {
    let base = support::oauth1_peer::shared().base_url();
    let ui = Ui::start();
    let cookie = session(&ui);
    let (_, form) = get(&ui, &cookie, "/services/new");
    let token = csrf(&form);
    let (request_url, authorize_url, access_url) = (
        format!("{base}/oauth/request_token"),
        format!("{base}/oauth/authorize"),
        format!("{base}/oauth/access_token"),
    );
    let created = post(
        &ui,
        &cookie,
        "/services",
        &[
            ("csrf", &token),
            ("name", "o1"),
            ("auth", "oauth1"),
            ("hosts", "127.0.0.1"),
            ("request_token_url", &request_url),
            ("oauth1_authorize_url", &authorize_url),
            ("access_token_url", &access_url),
            ("consumer_key", "deluge-consumer"),
            ("consumer_secret", "deluge-consumer-secret"),
            ("signature", ""),
            ("placement", ""),
        ],
    );
    assert_eq!(created.status(), 303, "{:?}", created.text());
    let started = post(
        &ui,
        &cookie,
        "/new",
        &[("csrf", &token), ("service", "o1"), ("link_name", "acct")],
    );
    assert_eq!(started.status(), 303);
    let marker = "<p><a href=\"";
    let mut visit = None;
    for _ in 0..100 {
        let (_, body) = get(&ui, &cookie, "/c/acct/progress");
        if body.contains("Continue to the provider") {
            let start = body.find(marker).expect("the link") + marker.len();
            visit = body[start..]
                .split('"')
                .next()
                .map(|u| u.replace("&amp;", "&"));
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let visit = url::Url::parse(&visit.expect("the provider's page")).expect("URL");
    let mut browser = support::browser::Browser::new();
    let callback = browser
        .get(&visit)
        .location
        .expect("the provider redirects back");
    assert_eq!(browser.get(&callback).status, 200);
    let mut status = 0;
    for _ in 0..100 {
        let response = client()
            .get(ui.url("/c/acct/progress"))
            .header("cookie", &cookie)
            .send()
            .expect("GET");
        status = response.status().as_u16();
        if status == 303 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(status, 303, "the page never saw the connection");
    let (_, summary) = get(&ui, &cookie, "/c/acct/done");
    assert!(summary.contains("status connected"), "{summary}");
    assert!(summary.contains("token=***"), "{summary}");
    assert!(!summary.contains("deluge-consumer-secret"));
}
