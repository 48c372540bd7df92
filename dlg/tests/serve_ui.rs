//! The Connections pages under `dlg serve` at `/connections`: only an admin key opens them
//! (through the login form and its `HttpOnly`, `SameSite=Strict` session cookie), a function
//! key does not, forms need their CSRF token, the Host must be the configured one, no secret
//! reaches the HTML, and `--tenant` shows only that tenant's connections.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[path = "../../tests/support/mod.rs"]
mod support;

use reqwest::blocking::{Client, Response};
use reqwest::redirect::Policy;

const FUNCTIONS: &str = "int add(int a, int b)\n{\n\treturn a + b;\n}\n";

/// A scripts folder and a `DLG_HOME`.
struct Site {
    dir: tempfile::TempDir,
    /// Extra environment of every `dlg` it runs (e.g. `DLG_MASTER_KEY`).
    env: Vec<(&'static str, String)>,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("scripts")).expect("scripts");
        std::fs::create_dir(dir.path().join("home")).expect("home");
        std::fs::write(dir.path().join("scripts/api.dg"), FUNCTIONS).expect("write");
        Site {
            dir,
            env: Vec::new(),
        }
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    fn dlg(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_dlg"))
            .args(args)
            .env("DLG_HOME", self.home())
            .env_remove("DLG_STORE")
            .env_remove("DLG_TENANT")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .output()
            .expect("dlg")
    }

    /// Makes a key (`--admin` in `extra` for an admin key) and returns it.
    fn key(&self, name: &str, extra: &[&str]) -> String {
        let mut args = vec!["serve", "key", "create", name];
        args.extend_from_slice(extra);
        let out = self.dlg(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .expect("utf-8")
            .trim()
            .to_owned()
    }

    /// Starts `dlg [global] serve SCRIPTS --listen 127.0.0.1:0 [flags]`.
    fn serve(&self, global: &[&str], flags: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dlg"))
            .args(global)
            .arg("serve")
            .arg(self.dir.path().join("scripts"))
            .args(["--listen", "127.0.0.1:0"])
            .args(flags)
            .env("DLG_HOME", self.home())
            .env_remove("DLG_STORE")
            .env_remove("DLG_TENANT")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dlg serve");
        let log = Arc::new(Mutex::new(String::new()));
        let (ports, port_rx) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().expect("stderr");
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("address=http://127.0.0.1:").nth(1) {
                    if let Ok(port) = rest.split(' ').next().unwrap_or("").parse::<u16>() {
                        let _ = ports.send(port);
                    }
                }
                if let Ok(mut log) = sink.lock() {
                    log.push_str(&line);
                    log.push('\n');
                }
            }
        });
        let Ok(port) = port_rx.recv_timeout(Duration::from_secs(30)) else {
            let _ = child.kill();
            panic!("dlg serve did not start: {}", log.lock().expect("log"));
        };
        Server { child, port, log }
    }
}

/// A running `dlg serve`, killed on drop.
struct Server {
    child: Child,
    port: u16,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn get(&self, cookie: &str, path: &str) -> (u16, String) {
        let response = client()
            .get(self.url(path))
            .header("cookie", cookie)
            .send()
            .expect("GET");
        (response.status().as_u16(), response.text().expect("body"))
    }

    fn post(&self, cookie: &str, path: &str, form: &[(&str, &str)]) -> Response {
        client()
            .post(self.url(path))
            .header("cookie", cookie)
            .form(form)
            .send()
            .expect("POST")
    }

    /// Signs in with `key` and returns the session cookie (`name=value`).
    fn login(&self, key: &str) -> String {
        let response = self.post("", "/connections/login", &[("key", key)]);
        assert_eq!(response.status(), 303);
        assert_eq!(
            response.headers().get("location").expect("location"),
            "/connections"
        );
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .expect("a session cookie")
            .to_owned();
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Strict")
                && cookie.contains("Path=/connections"),
            "{cookie}"
        );
        cookie.split(';').next().expect("pair").to_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> Client {
    Client::builder()
        .no_proxy()
        .redirect(Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

/// The CSRF token in a page's form.
fn csrf(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("a CSRF field") + marker.len();
    html[start..].split('"').next().expect("token").to_owned()
}

#[test]
fn only_an_admin_key_opens_the_pages_and_a_function_key_does_not() {
    let site = Site::new();
    let function_key = site.key("caller", &[]);
    let admin_key = site.key("boss", &["--admin"]);
    let listed = site.dlg(&["serve", "key", "list"]);
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert!(
        listed.contains("\tfunctions") && listed.contains("\tadmin"),
        "{listed}"
    );
    let server = site.serve(&[], &[]);

    for path in ["/connections", "/connections/services", "/connections/new"] {
        let (status, body) = server.get("", path);
        assert_eq!(status, 401, "{path}: {body}");
        assert!(body.contains("sign in with an admin key at /connections/login"));
    }
    let (status, _) = server.get("", "/connections/");
    assert_eq!(status, 308, "/connections/ leads to the list");
    let (status, body) = server.get("dlg_serve_admin=forged", "/connections");
    assert_eq!((status, body.contains("/connections/login")), (401, true));

    let form = client()
        .get(server.url("/connections/login"))
        .send()
        .expect("GET");
    assert_eq!(form.status(), 200);
    assert!(form
        .headers()
        .get("content-security-policy")
        .is_some_and(|csp| csp.to_str().unwrap_or("").contains("default-src 'none'")));
    assert!(form.text().expect("body").contains("type=\"password\""));

    let refused = server.post("", "/connections/login", &[("key", &function_key)]);
    assert_eq!(refused.status(), 403);
    assert!(refused.headers().get("set-cookie").is_none());
    assert!(refused
        .text()
        .expect("body")
        .contains("this key calls functions but does not open the Connections pages"));
    let wrong = server.post("", "/connections/login", &[("key", "dlg_wrong")]);
    assert_eq!(wrong.status(), 401);
    assert!(wrong
        .text()
        .expect("body")
        .contains("this is not a current API key"));

    let cookie = server.login(&admin_key);
    let (status, body) = server.get(&cookie, "/connections");
    assert_eq!(status, 200, "{body}");
    assert!(!body.contains(&admin_key));

    let call = |key: &str| {
        client()
            .get(server.url("/functions/add/execute?a=1&b=2"))
            .bearer_auth(key)
            .send()
            .expect("call")
            .status()
    };
    assert_eq!(call(&admin_key), 200, "an admin key may call functions");
    assert_eq!(call(&function_key), 200);

    let public = site.serve(&[], &["--public"]);
    let (status, _) = public.get("", "/connections");
    assert_eq!(status, 401, "--public opens the functions, never the pages");
    let refused = public.post("", "/connections/login", &[("key", &function_key)]);
    assert_eq!(refused.status(), 403);

    assert!(site
        .dlg(&["serve", "key", "revoke", "boss"])
        .status
        .success());
    let (status, _) = server.get(&cookie, "/connections");
    assert_eq!(status, 401, "revoking the admin key closes its sessions");
    assert!(server
        .log
        .lock()
        .expect("log")
        .contains("admin_login key=boss"));
}

#[test]
fn the_admin_lists_connections_forms_need_csrf_and_no_secret_is_shown() {
    let site = Site::new();
    let admin_key = site.key("boss", &["--admin"]);
    let server = site.serve(&[], &[]);
    let cookie = server.login(&admin_key);
    let secret = "sk-serve-never-shown-7713";
    let form = [
        ("service", "anthropic"),
        ("link_name", "claude"),
        ("value:x-api-key", secret),
    ];
    let refused = server.post(&cookie, "/connections/new", &form);
    assert_eq!(refused.status(), 403);
    assert!(refused
        .text()
        .expect("body")
        .contains("CSRF token is missing or wrong"));
    let (_, list) = server.get(&cookie, "/connections");
    assert!(!list.contains("claude"), "nothing was created");

    let (_, page) = server.get(&cookie, "/connections/new?service=anthropic");
    let token = csrf(&page);
    let mut valid = form.to_vec();
    valid.push(("csrf", &token));
    let created = server.post(&cookie, "/connections/new", &valid);
    assert_eq!(created.status(), 303);
    assert!(created
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .is_some_and(|l| l.starts_with("/connections")));

    let (status, list) = server.get(&cookie, "/connections");
    assert_eq!(status, 200);
    assert!(list.contains("claude"), "{list}");
    for path in [
        "/connections",
        "/connections/c/claude/done",
        "/connections/c/claude/edit",
        "/connections/c/claude/delete",
    ] {
        let (status, body) = server.get(&cookie, path);
        assert_eq!(status, 200, "{path}: {body}");
        assert!(!body.contains(secret), "{path} shows the secret");
        assert!(!body.contains(&admin_key), "{path} shows the admin key");
    }
    let shown = site.dlg(&["connection", "show", "claude"]);
    assert!(String::from_utf8_lossy(&shown.stdout).contains("claude"));
}

#[test]
fn the_host_must_be_the_configured_one() {
    let site = Site::new();
    let server = site.serve(&[], &[]);
    for path in [
        "/connections/login",
        "/connections",
        "/connections/style.css",
    ] {
        let response = client()
            .get(server.url(path))
            .header("host", "attacker.example")
            .send()
            .expect("GET");
        assert_eq!(response.status(), 421, "{path}");
        assert!(response
            .text()
            .expect("body")
            .contains("DNS-rebinding guard"));
    }
    let behind_proxy = site.serve(&[], &["--public-host", "https://dlg.example.test"]);
    let response = client()
        .get(behind_proxy.url("/connections/login"))
        .header("host", "dlg.example.test")
        .send()
        .expect("GET");
    assert_eq!(response.status(), 200);
    let own_address = client()
        .get(behind_proxy.url("/connections/login"))
        .send()
        .expect("GET");
    assert_eq!(own_address.status(), 421);
    assert!(own_address.text().expect("body").contains("--public-host"));
}

#[test]
fn with_a_tenant_only_its_connections_are_listed() {
    let site = Site::new();
    let admin_key = site.key("boss", &["--admin"]);
    for (tenant, link) in [("acme", "acme_board"), ("default", "home_board")] {
        let out = site.dlg(&[
            "--tenant",
            tenant,
            "connection",
            "create",
            link,
            "--service",
            "trello",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let acme = site.serve(&["--tenant", "acme"], &[]);
    let cookie = acme.login(&admin_key);
    let (status, list) = acme.get(&cookie, "/connections");
    assert_eq!(status, 200);
    assert!(
        list.contains("acme_board") && !list.contains("home_board"),
        "{list}"
    );
    let (status, _) = acme.get(&cookie, "/connections/c/home_board/edit");
    assert_ne!(status, 200, "another tenant's connection is not reachable");

    let default = site.serve(&[], &[]);
    let cookie = default.login(&admin_key);
    let (_, list) = default.get(&cookie, "/connections");
    assert!(
        list.contains("home_board") && !list.contains("acme_board"),
        "{list}"
    );
}

#[test]
fn over_a_postgres_store_the_pages_show_the_servers_tenant() {
    let Some(pg) = support::postgres::start_or_skip("over_a_postgres_store") else {
        return;
    };
    pg.create_database("serveui");
    let url = pg.url("serveui");
    let mut site = Site::new();
    site.env.push((
        "DLG_MASTER_KEY",
        "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=".to_owned(),
    ));
    let admin_key = site.key("boss", &["--admin"]);
    for (tenant, link) in [("acme", "acme_board"), ("beta", "beta_board")] {
        let out = site.dlg(&[
            "--store",
            &url,
            "--tenant",
            tenant,
            "connection",
            "create",
            link,
            "--service",
            "trello",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let server = site.serve(&["--store", &url, "--tenant", "acme"], &[]);
    let cookie = server.login(&admin_key);
    let (status, list) = server.get(&cookie, "/connections");
    assert_eq!(status, 200, "{list}");
    assert!(
        list.contains("acme_board") && !list.contains("beta_board"),
        "{list}"
    );
    assert!(
        !list.contains("hunter2"),
        "the database password is not shown"
    );

    let secret = "sk-pg-never-shown-5120";
    let (_, page) = server.get(&cookie, "/connections/new?service=anthropic");
    let token = csrf(&page);
    let created = server.post(
        &cookie,
        "/connections/new",
        &[
            ("csrf", &token),
            ("service", "anthropic"),
            ("link_name", "claude"),
            ("value:x-api-key", secret),
        ],
    );
    assert_eq!(created.status(), 303);
    let listed = site.dlg(&["--store", &url, "--tenant", "acme", "connection", "list"]);
    assert!(String::from_utf8_lossy(&listed.stdout).contains("claude"));
    let other = site.dlg(&["--store", &url, "--tenant", "beta", "connection", "list"]);
    assert!(!String::from_utf8_lossy(&other.stdout).contains("claude"));
    assert!(
        !pg.dump("serveui").contains(secret),
        "no secret in clear in the database"
    );
    assert!(!server
        .get(&cookie, "/connections/c/claude/done")
        .1
        .contains(secret));
}
