//! Connection store, credential injection and `dlg service` / `dlg connection` commands.
//!
//! Multi-process tests re-run this test binary as child processes (`child_process_entry`,
//! selected by the `DLG_TEST_CHILD` variable) that write to the same store.

use clap::{CommandFactory, Parser, Subcommand};
use deluge_lang::connections::model::{now, ApiKeyParam, Placement};
use deluge_lang::connections::{
    AuthSpec, Connection, ConnectionAuthorizer, ConnectionError, Credentials, FileStoreAuthorizer,
    Secret, Service, ServiceSecrets, Status, Store,
};
use deluge_lang::http::request::{Body, HttpRequest, Method};
use dlg::cli::connection::{self, ConnectionArgs};
use dlg::cli::secret_input::SecretSource;
use dlg::cli::service::{self, ServiceArgs};
use std::collections::{BTreeMap, VecDeque};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../../tests/support/mod.rs"]
mod support;

const CHILD_ENV: &str = "DLG_TEST_CHILD";
const DIR_ENV: &str = "DLG_TEST_STORE";
const SECRET: &str = "s3cr3t-VALUE-xyz";

// ---------------------------------------------------------------- helpers

fn store(dir: &Path) -> Store {
    Store::at(dir).with_master_key(None)
}

fn api_service(name: &str, hosts: &[&str]) -> Service {
    let time = now();
    Service {
        link_name: name.into(),
        display_name: name.into(),
        builtin: false,
        api_base: None,
        allowed_hosts: hosts.iter().map(|host| host.to_string()).collect(),
        allow_insecure_http: false,
        auth: AuthSpec::ApiKey {
            params: vec![
                ApiKeyParam {
                    key: "authtoken".into(),
                    label: "Auth token".into(),
                    placement: Placement::Query,
                },
                ApiKeyParam {
                    key: "X-Api-Key".into(),
                    label: "API key".into(),
                    placement: Placement::Header,
                },
                ApiKeyParam {
                    key: "client".into(),
                    label: "Client".into(),
                    placement: Placement::Form,
                },
            ],
        },
        created_at: time,
        updated_at: time,
    }
}

fn api_credentials(value: &str) -> Credentials {
    let values = ["authtoken", "X-Api-Key", "client"]
        .iter()
        .map(|key| {
            (
                key.to_string(),
                Secret::from(format!("{value}-{key}").as_str()),
            )
        })
        .collect();
    Credentials::ApiKey { values }
}

/// Adds a connected connection `link` (creating service `svc` if needed).
fn add_connected(store: &Store, link: &str, secret: &str) {
    store
        .update(|transaction| {
            if transaction.service("svc").is_none() {
                transaction.add_service(
                    api_service("svc", &["api.example.com"]),
                    &ServiceSecrets::default(),
                )?;
            }
            let mut connection = Connection::new(link, link, "svc", now());
            connection.status = Status::Connected;
            transaction.add_connection(connection)?;
            transaction.set_credentials(link, Some(&api_credentials(secret)))
        })
        .unwrap();
}

fn request(url: &str) -> HttpRequest {
    HttpRequest {
        method: Method::Post,
        url: url.parse().unwrap(),
        headers: Vec::new(),
        body: Body::Empty,
    }
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[derive(Parser)]
struct TestCli {
    #[command(subcommand)]
    command: Top,
}

#[derive(Subcommand)]
enum Top {
    Service(ServiceArgs),
    Connection(ConnectionArgs),
}

/// Secret values typed at prompts or piped in, in order.
struct Scripted {
    interactive: bool,
    values: VecDeque<String>,
    asked: Vec<(String, bool)>,
}

impl Scripted {
    fn new(interactive: bool, values: &[&str]) -> Self {
        Scripted {
            interactive,
            values: values.iter().map(|value| value.to_string()).collect(),
            asked: Vec::new(),
        }
    }
}

impl SecretSource for Scripted {
    fn is_interactive(&self) -> bool {
        self.interactive
    }

    fn read(&mut self, label: &str, hidden: bool) -> Result<Secret, ConnectionError> {
        self.asked.push((label.to_owned(), hidden));
        self.values
            .pop_front()
            .map(|value| Secret::from(value.as_str()))
            .ok_or_else(|| ConnectionError::InvalidInput("standard input ended".into()))
    }
}

fn dlg_with(store: &Store, input: &mut Scripted, args: &[&str]) -> Result<String, ConnectionError> {
    let argv = std::iter::once("dlg").chain(args.iter().copied());
    match TestCli::try_parse_from(argv)
        .expect("arguments parse")
        .command
    {
        Top::Service(args) => service::execute(args, store, input),
        Top::Connection(args) => connection::execute(args, store, input),
    }
}

fn dlg(store: &Store, args: &[&str]) -> Result<String, ConnectionError> {
    dlg_with(store, &mut Scripted::new(false, &[]), args)
}

fn ok(store: &Store, args: &[&str]) -> String {
    dlg(store, args).unwrap_or_else(|error| panic!("dlg {args:?} failed: {error}"))
}

/// Like `err`, with `values` piped for the `-` flags.
fn err_with(store: &Store, values: &[&str], args: &[&str]) -> String {
    match dlg_with(store, &mut Scripted::new(false, values), args) {
        Ok(out) => panic!("dlg {args:?} succeeded: {out}"),
        Err(error) => error.to_string(),
    }
}

/// Like `ok`, with `values` piped for the `-` flags.
fn ok_with(store: &Store, values: &[&str], args: &[&str]) -> String {
    dlg_with(store, &mut Scripted::new(false, values), args)
        .unwrap_or_else(|error| panic!("dlg {args:?} failed: {error}"))
}

fn err(store: &Store, args: &[&str]) -> String {
    match dlg(store, args) {
        Ok(out) => panic!("dlg {args:?} succeeded: {out}"),
        Err(error) => error.to_string(),
    }
}

// ---------------------------------------------------------------- child processes

/// Entry point of child processes; a no-op in a normal test run.
#[test]
fn child_process_entry() {
    let Ok(role) = std::env::var(CHILD_ENV) else {
        return;
    };
    let store = store(Path::new(&std::env::var(DIR_ENV).unwrap()));
    match role.split_once(':') {
        Some(("writer", id)) => {
            for n in 0..10 {
                add_connected(&store, &format!("w{id}_{n}"), &format!("{SECRET}{id}{n}"));
            }
        }
        _ if role == "endless" => {
            for n in 0.. {
                add_connected(&store, &format!("e{n}"), SECRET);
            }
        }
        _ => panic!("unknown child role {role}"),
    }
}

fn spawn_child(dir: &Path, role: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_process_entry",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, role)
        .env(DIR_ENV, dir)
        .env_remove("DLG_MASTER_KEY")
        .stdout(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn concurrent_writers_lose_no_update() {
    let dir = tempfile::tempdir().unwrap();
    let children: Vec<Child> = (0..8)
        .map(|id| spawn_child(dir.path(), &format!("writer:{id}")))
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let snapshot = store(dir.path()).load().unwrap();
    assert_eq!(snapshot.services().count(), 1);
    assert_eq!(snapshot.connections().count(), 80);
    for id in 0..8 {
        for n in 0..10 {
            let link = format!("w{id}_{n}");
            let credentials = snapshot.credentials(&link).unwrap().unwrap();
            assert_eq!(credentials, api_credentials(&format!("{SECRET}{id}{n}")));
        }
    }
}

#[test]
fn writer_killed_mid_write_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    for (round, delay) in [(0, 150), (1, 230), (2, 310)] {
        let before = store.load().unwrap().connections().count();
        let mut child = spawn_child(dir.path(), "endless");
        let deadline = Instant::now() + Duration::from_secs(30);
        while store.load().unwrap().connections().count() < before + 3 && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let snapshot = store
            .load()
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        let count = snapshot.connections().count();
        assert!(count > before, "round {round}: nothing was written");
        for connection in snapshot
            .connections()
            .filter(|c| c.link_name.starts_with('e'))
        {
            let credentials = snapshot.credentials(&connection.link_name).unwrap();
            assert!(
                credentials.is_some(),
                "{} lost its credentials",
                connection.link_name
            );
        }
        // The next writer continues where the killed one stopped and cleans its temp file.
        store
            .update(|transaction| {
                let mut connection = Connection::new(&format!("after{round}"), "x", "svc", now());
                connection.status = Status::Connected;
                transaction.add_connection(connection)
            })
            .unwrap();
        let temps = fs::read_dir(dir.path())
            .unwrap()
            .filter(|entry| {
                entry
                    .as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains(".tmp.")
            })
            .count();
        assert_eq!(temps, 0);
        // The endless child restarts its numbering: let later rounds use fresh names.
        store
            .update(|transaction| {
                let names: Vec<String> = transaction
                    .connections()
                    .filter(|c| c.link_name.starts_with('e'))
                    .map(|c| c.link_name.clone())
                    .collect();
                for name in names {
                    transaction.remove_connection(&name)?;
                }
                Ok(())
            })
            .unwrap();
    }
}

// ---------------------------------------------------------------- store

#[test]
fn store_round_trip_keeps_everything_and_encrypts_secrets() {
    let dir = tempfile::tempdir().unwrap();
    add_connected(&store(dir.path()), "crm", SECRET);
    let snapshot = store(dir.path()).load().unwrap();
    assert_eq!(
        snapshot.service("svc").unwrap().allowed_hosts,
        vec!["api.example.com"]
    );
    let connection = snapshot.connection("crm").unwrap();
    assert_eq!(connection.status, Status::Connected);
    assert_eq!(
        snapshot.credentials("crm").unwrap().unwrap(),
        api_credentials(SECRET)
    );
    let raw = fs::read_to_string(dir.path().join("connections.json")).unwrap();
    assert!(!raw.contains(SECRET), "plaintext secret in the store file");
    assert!(raw.contains("\"nonce\"") && raw.contains("\"ciphertext\""));
    assert!(raw.contains("\"key_check\""));
}

#[test]
fn store_and_key_files_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    add_connected(&store(&home), "crm", SECRET);
    assert_eq!(mode(&home), 0o700);
    assert_eq!(mode(&home.join("connections.json")), 0o600);
    assert_eq!(mode(&home.join("master.key")), 0o600);
    assert_eq!(mode(&home.join("connections.lock")), 0o600);
    let _lock = store(&home).lock_connection("crm").unwrap();
    assert_eq!(mode(&home.join("locks/crm.lock")), 0o600);
}

#[test]
fn corrupt_store_is_reported_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("connections.json");
    fs::write(&path, b"{\"format\": 1, \"services\": [oops").unwrap();
    let store = store(dir.path());
    let error = store.load().unwrap_err().to_string();
    assert!(error.contains(&path.display().to_string()), "{error}");
    assert!(
        error.contains("is damaged") && error.contains("line 1 column"),
        "{error}"
    );
    assert!(error.contains("dlg has not changed it"), "{error}");
    let error = err(&store, &["service", "create", "x", "--auth", "basic"]);
    assert!(error.contains("is damaged"), "{error}");
    assert_eq!(
        fs::read(&path).unwrap(),
        b"{\"format\": 1, \"services\": [oops"
    );

    fs::write(&path, b"{\"format\": 7}").unwrap();
    let error = store.load().unwrap_err().to_string();
    assert!(
        error.contains("has format 7, written by a newer dlg"),
        "{error}"
    );

    fs::write(&path, b"[1, 2]").unwrap();
    assert!(store.load().unwrap_err().to_string().contains("is damaged"));
    assert_eq!(fs::read(&path).unwrap(), b"[1, 2]");
}

#[test]
fn unreadable_store_names_the_file_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("connections.json")).unwrap();
    let error = store(dir.path()).load().unwrap_err().to_string();
    assert!(
        error.contains("cannot read the connection store"),
        "{error}"
    );
    assert!(error.contains("connections.json"), "{error}");
}

#[test]
fn wrong_master_key_is_reported_and_store_kept() {
    let dir = tempfile::tempdir().unwrap();
    add_connected(&store(dir.path()), "crm", SECRET);
    let before = fs::read(dir.path().join("connections.json")).unwrap();
    let other =
        Store::at(dir.path()).with_master_key(Some("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
    let error = other.load().unwrap_err().to_string();
    assert!(
        error.contains("from DLG_MASTER_KEY is not the key"),
        "{error}"
    );
    let error = other
        .update(|t| t.set_credentials("crm", Some(&api_credentials("new"))))
        .unwrap_err()
        .to_string();
    assert!(error.contains("is not the key"), "{error}");
    assert_eq!(
        fs::read(dir.path().join("connections.json")).unwrap(),
        before
    );

    let bad = Store::at(dir.path()).with_master_key(Some("c2hvcnQ="));
    let error = bad.load().unwrap_err().to_string();
    assert!(error.contains("decodes to 5 bytes, not 32"), "{error}");
    assert!(!error.contains("c2hvcnQ"), "{error}");
}

#[test]
fn missing_key_file_is_not_silently_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    add_connected(&store, "crm", SECRET);
    fs::remove_file(dir.path().join("master.key")).unwrap();
    let error = store.load().unwrap_err().to_string();
    assert!(error.contains("no master key was found"), "{error}");
    let error = store
        .update(|t| t.set_credentials("crm", Some(&api_credentials("new"))))
        .unwrap_err()
        .to_string();
    assert!(error.contains("no master key was found"), "{error}");
    assert!(!dir.path().join("master.key").exists());
}

#[test]
fn readable_key_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    add_connected(&store, "crm", SECRET);
    let key = dir.path().join("master.key");
    fs::set_permissions(&key, fs::Permissions::from_mode(0o644)).unwrap();
    let error = store.load().unwrap_err().to_string();
    assert!(
        error.contains("its mode 644 lets other users have it read or written"),
        "{error}"
    );
    assert!(
        error.contains(&format!("chmod 600 {}", key.display())),
        "{error}"
    );
}

#[test]
fn key_from_environment_needs_no_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    let store = Store::at(dir.path()).with_master_key(Some(key));
    add_connected(&store, "crm", SECRET);
    assert!(!dir.path().join("master.key").exists());
    assert!(store.load().unwrap().credentials("crm").unwrap().is_some());
}

#[test]
fn tampered_record_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    add_connected(&store, "aaa", SECRET);
    add_connected(&store, "bbb", "other");
    // Move aaa's encrypted credentials onto bbb: decryption must fail, not hand out aaa's.
    let path = dir.path().join("connections.json");
    let mut json: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    let sealed = json["connections"][0]["credentials"].clone();
    json["connections"][1]["credentials"] = sealed;
    fs::write(&path, serde_json::to_vec(&json).unwrap()).unwrap();
    let error = store.load().unwrap_err().to_string();
    assert!(error.contains("was changed outside dlg"), "{error}");
}

// ---------------------------------------------------------------- injection

#[test]
fn api_key_parameters_are_placed_as_the_service_says() {
    let dir = tempfile::tempdir().unwrap();
    add_connected(&store(dir.path()), "crm", "k");
    let authorizer = FileStoreAuthorizer::new(store(dir.path()));
    let mut request = request("https://API.example.com/v1/records?page=1");
    authorizer.authorize("crm", &mut request).unwrap();
    assert_eq!(
        request.url.as_str(),
        "https://api.example.com/v1/records?page=1&authtoken=k-authtoken"
    );
    assert_eq!(
        request.headers,
        vec![("X-Api-Key".to_owned(), "k-X-Api-Key".to_owned())]
    );
    match &request.body {
        Body::Form(pairs) => assert_eq!(pairs, &[("client".to_owned(), "k-client".to_owned())]),
        _ => panic!("expected a form body"),
    }
}

#[test]
fn basic_connection_sets_rfc_7617_header() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    ok(
        &store,
        &[
            "service",
            "create",
            "bin",
            "--auth",
            "basic",
            "--host",
            "127.0.0.1",
        ],
    );
    ok(
        &store,
        &["connection", "create", "bin_user", "--service", "bin"],
    );
    dlg_with(
        &store,
        &mut Scripted::new(false, &["123£"]),
        &[
            "connection",
            "authorize",
            "bin_user",
            "--param",
            "username=test",
            "--param",
            "password=-",
        ],
    )
    .unwrap();
    let mut request = request("http://127.0.0.1:8080/basic-auth/test/123%C2%A3");
    FileStoreAuthorizer::new(store)
        .authorize("bin_user", &mut request)
        .unwrap();
    assert_eq!(
        request.headers,
        vec![(
            "Authorization".to_owned(),
            "Basic dGVzdDoxMjPCow==".to_owned()
        )]
    );
}

#[test]
fn runtime_errors_name_the_connection_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    add_connected(&store, "crm", SECRET);
    let authorizer = FileStoreAuthorizer::new(store.clone());
    let message = |link: &str, url: &str| {
        let mut request = request(url);
        let error = authorizer
            .authorize(link, &mut request)
            .unwrap_err()
            .to_string();
        assert!(!error.contains(SECRET), "{error}");
        assert!(
            request.headers.is_empty(),
            "credentials added despite the error"
        );
        error
    };
    let error = message("nope", "https://api.example.com/");
    assert!(
        error.contains("connection \"nope\" does not exist"),
        "{error}"
    );
    assert!(
        error.contains("dlg connection create nope --service SERVICE"),
        "{error}"
    );

    let error = message("crm", "https://evil.example.net/steal");
    assert!(
        error.contains(
            "connection \"crm\" may not send its credentials to host \"evil.example.net\""
        ),
        "{error}"
    );
    assert!(
        error.contains(
            "`dlg connection edit crm --add-host HOST` adds a host (type the host yourself)"
        ) && !error.contains("--add-host evil"),
        "{error}"
    );
    ok(
        &store,
        &[
            "connection",
            "edit",
            "crm",
            "--add-host",
            "evil.example.net",
        ],
    );
    let mut request = request("https://evil.example.net/steal");
    authorizer.authorize("crm", &mut request).unwrap();

    ok(
        &store,
        &["connection", "create", "fresh", "--service", "svc"],
    );
    let error = message("fresh", "https://api.example.com/");
    assert!(error.contains("connection \"fresh\" is not connected; authorize it first (`dlg connection authorize fresh`)"), "{error}");

    ok(&store, &["connection", "revoke", "crm"]);
    let error = message("crm", "https://api.example.com/");
    assert!(error.contains("connection \"crm\" was revoked"), "{error}");
    assert!(error.contains("dlg connection authorize crm"), "{error}");
    assert!(store.load().unwrap().credentials("crm").unwrap().is_none());

    add_connected(&store, "stale", SECRET);
    store
        .update(|t| {
            let connection = t.connection_mut("stale")?;
            connection.status = Status::NeedsReauth;
            connection.last_refresh_error =
                Some("the provider rejected the refresh token (invalid_grant)".into());
            Ok(())
        })
        .unwrap();
    let error = message("stale", "https://api.example.com/");
    assert!(error.contains("connection \"stale\" needs re-authorization: the provider rejected the refresh token (invalid_grant)"), "{error}");
    assert!(error.contains("dlg connection authorize stale"), "{error}");
}

#[test]
fn script_header_never_silently_overrides_the_connection() {
    let dir = tempfile::tempdir().unwrap();
    add_connected(&store(dir.path()), "crm", SECRET);
    let mut request = request("https://api.example.com/");
    request
        .headers
        .push(("x-api-key".into(), "from-script".into()));
    let error = FileStoreAuthorizer::new(store(dir.path()))
        .authorize("crm", &mut request)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains(
            "connection \"crm\" sets the \"X-Api-Key\" header, but the request already has it"
        ),
        "{error}"
    );
    assert!(!error.contains(SECRET));
}

#[test]
fn renew_after_unauthorized_is_no_retry_for_api_keys() {
    let dir = tempfile::tempdir().unwrap();
    add_connected(&store(dir.path()), "crm", SECRET);
    let authorizer = FileStoreAuthorizer::new(store(dir.path()));
    assert!(!authorizer.renew_after_unauthorized("crm").unwrap());
}

// ---------------------------------------------------------------- command line

#[test]
fn command_line_definitions_are_valid() {
    TestCli::command().debug_assert();
}

#[test]
fn service_commands_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let out = ok(
        &store,
        &[
            "service",
            "create",
            "shop",
            "--auth",
            "api-key",
            "--display-name",
            "Shop API",
            "--host",
            "https://API.shop.example/v2",
            "--host",
            "*.cdn.example",
            "--param",
            "X-Api-Key:header:API key",
            "--param",
            "token:query",
        ],
    );
    assert!(out.contains("created service \"shop\" (API key)"), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(&store, &["service", "show", "shop", "--json"])).unwrap();
    assert_eq!(json["link_name"], "shop");
    assert_eq!(json["display_name"], "Shop API");
    assert_eq!(json["builtin"], false);
    assert_eq!(
        json["allowed_hosts"],
        serde_json::json!(["api.shop.example", "*.cdn.example"])
    );
    assert_eq!(json["auth"]["type"], "api_key");
    assert_eq!(
        json["auth"]["params"][0],
        serde_json::json!({"key": "X-Api-Key", "label": "API key", "placement": "header"})
    );
    assert_eq!(json["auth"]["params"][1]["label"], "token");
    assert_eq!(json["client_secret_set"], false);
    let list: serde_json::Value =
        serde_json::from_str(&ok(&store, &["service", "list", "--json"])).unwrap();
    assert_eq!(list["services"][0]["link_name"], "shop");
    let text = ok(&store, &["service", "list"]);
    assert!(text.starts_with("NAME"), "{text}");
    let shop_line = text.lines().nth(1).unwrap();
    assert!(
        shop_line.starts_with("shop ") && shop_line.contains("api-key"),
        "{text}"
    );

    let error = err(&store, &["service", "create", "shop", "--auth", "basic"]);
    assert!(error.contains("service \"shop\" already exists"), "{error}");
    let error = err(
        &store,
        &["service", "create", "Bad-Name", "--auth", "basic"],
    );
    assert!(
        error
            .contains("invalid service link name: \"Bad-Name\" must start with a lowercase letter"),
        "{error}"
    );
    let error = err(
        &store,
        &[
            "service",
            "create",
            "b",
            "--auth",
            "basic",
            "--token-url",
            "https://x/t",
        ],
    );
    assert!(
        error.contains("--token-url applies only to --auth oauth2, not to --auth basic"),
        "{error}"
    );
    let error = err(&store, &["service", "create", "k", "--auth", "api-key"]);
    assert!(error.contains("needs at least one --param"), "{error}");
    let error = err(
        &store,
        &[
            "service", "create", "k", "--auth", "api-key", "--param", "key:body",
        ],
    );
    assert!(error.contains("unknown placement \"body\""), "{error}");
    let error = err(
        &store,
        &[
            "service",
            "create",
            "k",
            "--auth",
            "api-key",
            "--param",
            "k:query",
            "--host",
            "a.com:443",
        ],
    );
    assert!(
        error.contains("\"a.com:443\" is not a host name"),
        "{error}"
    );

    ok(
        &store,
        &["connection", "create", "shop_main", "--service", "shop"],
    );
    let error = err(&store, &["service", "delete", "shop"]);
    assert!(error.contains("service \"shop\" is used by connection(s) \"shop_main\"; delete them first (`dlg connection delete shop_main`)"), "{error}");
    ok(&store, &["connection", "delete", "shop_main"]);
    assert!(ok(&store, &["service", "delete", "shop"]).contains("deleted service \"shop\""));
    let error = err(&store, &["service", "show", "shop"]);
    assert!(error.contains("service \"shop\" does not exist"), "{error}");
}

#[test]
fn oauth_services_are_stored_with_secret_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    ok_with(
        &store,
        &[SECRET],
        &[
            "service",
            "create",
            "zoho",
            "--auth",
            "oauth2",
            "--host",
            "www.zohoapis.com",
            "--authorize-url",
            "https://accounts.zoho.com/oauth/v2/auth",
            "--token-url",
            "https://accounts.zoho.com/oauth/v2/token",
            "--revoke-url",
            "https://accounts.zoho.com/oauth/v2/token/revoke",
            "--client-id",
            "1000.ABC",
            "--client-secret",
            "-",
            "--scope-delimiter",
            "comma",
            "--token-prefix",
            "Zoho-oauthtoken",
            "--auth-param",
            "access_type=offline",
        ],
    );
    let mut input = Scripted::new(false, &[SECRET]);
    dlg_with(
        &store,
        &mut input,
        &[
            "service",
            "create",
            "tw",
            "--auth",
            "oauth1",
            "--host",
            "api.twitter.com",
            "--request-token-url",
            "https://api.twitter.com/oauth/request_token",
            "--authorize-url",
            "https://api.twitter.com/oauth/authorize",
            "--access-token-url",
            "https://api.twitter.com/oauth/access_token",
            "--consumer-key",
            "xvz1evFS4wEEPTGEFPHBog",
            "--consumer-secret",
            "-",
        ],
    )
    .unwrap();
    assert_eq!(input.asked, vec![("Consumer secret".to_owned(), true)]);
    let snapshot = store.load().unwrap();
    assert_eq!(
        snapshot
            .service_secrets("zoho")
            .unwrap()
            .client_secret
            .unwrap()
            .expose(),
        SECRET
    );
    assert_eq!(
        snapshot
            .service_secrets("tw")
            .unwrap()
            .client_secret
            .unwrap()
            .expose(),
        SECRET
    );
    let json = ok(&store, &["service", "show", "zoho", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["auth"]["type"], "oauth2");
    assert_eq!(value["auth"]["token_prefix"], "Zoho-oauthtoken");
    assert_eq!(value["auth"]["auth_params"]["access_type"], "offline");
    assert_eq!(value["client_secret_set"], true);
    for output in [
        json,
        ok(&store, &["service", "show", "zoho"]),
        ok(&store, &["service", "list", "--json"]),
    ] {
        assert!(!output.contains(SECRET), "{output}");
    }
    assert!(!fs::read_to_string(dir.path().join("connections.json"))
        .unwrap()
        .contains(SECRET));
    let error = err(
        &store,
        &[
            "service",
            "create",
            "o",
            "--auth",
            "oauth2",
            "--token-url",
            "https://t/x",
            "--client-id",
            "c",
        ],
    );
    assert!(
        error.contains("--authorize-url is required for the authorization-code grant"),
        "{error}"
    );

    ok(
        &store,
        &[
            "connection",
            "create",
            "crm",
            "--service",
            "zoho",
            "--scope",
            "ZohoCRM.modules.ALL",
        ],
    );
    let error = err(
        &store,
        &["connection", "authorize", "crm", "--param", "token=x"],
    );
    assert!(
        error.contains("--param applies only to API key and Basic connections; connection \"crm\" uses OAuth 2"),
        "{error}"
    );
}

/// The command line drives a real OAuth 2 provider (oidc-provider on 127.0.0.1) through the
/// client-credentials grant: authorize, sign a request, revoke at the provider, delete.
#[test]
fn oauth2_connection_on_the_command_line() {
    let base = support::oidc::shared().base_url();
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let token_url = format!("{base}/token");
    let revoke_url = format!("{base}/token/revocation");
    let mut input = Scripted::new(false, &["conf-secret"]);
    dlg_with(
        &store,
        &mut input,
        &[
            "service",
            "create",
            "idp",
            "--auth",
            "oauth2",
            "--grant",
            "client-credentials",
            "--token-url",
            &token_url,
            "--revoke-url",
            &revoke_url,
            "--client-id",
            "conf",
            "--client-secret",
            "-",
            "--scope-delimiter",
            "space",
            "--host",
            "127.0.0.1",
        ],
    )
    .unwrap();
    ok(
        &store,
        &[
            "connection",
            "create",
            "acct",
            "--service",
            "idp",
            "--scope",
            "read",
        ],
    );
    assert_eq!(
        ok(&store, &["connection", "authorize", "acct"]),
        "connection \"acct\" is connected\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&store, &["connection", "show", "acct", "--json"])).unwrap();
    assert_eq!(json["status"], "connected");
    assert_eq!(json["credentials"]["access_token"], "***");
    assert!(json["expires_at"].is_string());
    let mut request = request(&format!("{base}/me"));
    FileStoreAuthorizer::new(store.clone())
        .authorize("acct", &mut request)
        .unwrap();
    assert_eq!(request.headers[0].0, "Authorization");
    assert!(request.headers[0].1.starts_with("Bearer "));

    let out = ok(&store, &["connection", "revoke", "acct"]);
    assert!(
        out.contains("was revoked") && out.contains("the provider revoked the grant too"),
        "{out}"
    );
    assert_eq!(
        store.load().unwrap().connection("acct").unwrap().status,
        Status::Disconnected
    );
    assert!(ok(&store, &["connection", "delete", "acct"]).contains("deleted connection \"acct\""));
}

#[test]
fn builtin_services_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let json: serde_json::Value =
        serde_json::from_str(&ok(&store, &["service", "show", "stripe", "--json"])).unwrap();
    assert_eq!(json["builtin"], true);
    assert_eq!(
        json["allowed_hosts"],
        serde_json::json!(["api.stripe.com", "files.stripe.com"])
    );
    let listing = ok(&store, &["service", "list"]);
    let github = listing
        .lines()
        .find(|line| line.starts_with("github "))
        .unwrap_or_else(|| panic!("no github row in:\n{listing}"));
    assert!(github.contains(" catalog "), "{github}");
    assert!(ok(&store, &["service", "show", "github"]).contains("kind:           catalog"));
    let error = err(&store, &["service", "delete", "stripe"]);
    assert!(
        error.contains("service \"stripe\" is built into dlg and cannot be deleted"),
        "{error}"
    );

    // An API-key catalog service is usable at once: the connection copies its definition.
    ok(
        &store,
        &["connection", "create", "pay", "--service", "stripe"],
    );
    ok_with(
        &store,
        &[&format!("Bearer {SECRET}")],
        &[
            "connection",
            "authorize",
            "pay",
            "--param",
            "Authorization=-",
        ],
    );
    let mut charge = request("https://api.stripe.com/v1/charges");
    FileStoreAuthorizer::new(store.clone())
        .authorize("pay", &mut charge)
        .unwrap();
    assert_eq!(
        charge.headers[0],
        ("Authorization".to_owned(), format!("Bearer {SECRET}"))
    );
    let mut evil = request("https://api.stripe.com.evil.net/");
    let error = FileStoreAuthorizer::new(store.clone())
        .authorize("pay", &mut evil)
        .unwrap_err();
    assert!(
        error.to_string().contains("may not send its credentials"),
        "{error}"
    );

    // An OAuth catalog service needs the user's own OAuth app first.
    let error = err(
        &store,
        &["connection", "create", "crm", "--service", "zoho_crm_com"],
    );
    assert!(
        error.contains(
            "configure it with `dlg service configure zoho_crm_com --client-id ID --client-secret -`"
        ),
        "{error}"
    );
    let error = err(
        &store,
        &[
            "service",
            "create",
            "zoho_crm_com",
            "--auth",
            "api-key",
            "--param",
            "k:query",
        ],
    );
    assert!(
        error.contains("is built in and uses OAuth 2; set it up with --auth oauth2"),
        "{error}"
    );
    let error = err(
        &store,
        &["service", "create", "zoho_crm_com", "--auth", "oauth2"],
    );
    assert!(error.contains("--client-id is required"), "{error}");
    ok_with(
        &store,
        &[SECRET],
        &[
            "service",
            "create",
            "zoho_crm_com",
            "--auth",
            "oauth2",
            "--client-id",
            "1000.ABC",
            "--client-secret",
            "-",
        ],
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&store, &["service", "show", "zoho_crm_com", "--json"])).unwrap();
    assert_eq!(json["builtin"], true);
    assert_eq!(json["auth"]["client_id"], "1000.ABC");
    assert_eq!(
        json["auth"]["token_url"],
        "https://accounts.zoho.com/oauth/v2/token"
    );
    assert_eq!(json["auth"]["token_prefix"], "Zoho-oauthtoken");
    assert_eq!(json["auth"]["auth_params"]["access_type"], "offline");
    assert_eq!(
        json["allowed_hosts"],
        serde_json::json!(["www.zohoapis.com"])
    );
    assert_eq!(json["client_secret_set"], true);
    ok(
        &store,
        &["connection", "create", "crm", "--service", "zoho_crm_com"],
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&store, &["connection", "show", "crm", "--json"])).unwrap();
    assert!(json["scopes"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("ZohoCRM.modules.ALL")));
    ok(&store, &["connection", "delete", "crm"]);
    let out = ok(&store, &["service", "delete", "zoho_crm_com"]);
    assert!(
        out.contains("the built-in definition stays available"),
        "{out}"
    );
}

#[test]
fn connection_lifecycle_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    ok(
        &store,
        &[
            "service",
            "create",
            "shop",
            "--auth",
            "api-key",
            "--host",
            "api.shop.example",
            "--param",
            "X-Api-Key:header:API key",
            "--param",
            "token:query:Token",
        ],
    );
    let out = ok(
        &store,
        &[
            "connection",
            "create",
            "shop_main",
            "--service",
            "shop",
            "--display-name",
            "Main shop",
        ],
    );
    assert!(
        out.contains("(not connected); authorize it with `dlg connection authorize shop_main`"),
        "{out}"
    );
    let list = ok(&store, &["connection", "list"]);
    assert!(
        list.contains("shop_main  shop     not connected  Main shop"),
        "{list}"
    );

    // Interactive: every value asked at a hidden prompt.
    let mut input = Scripted::new(true, &[SECRET, "tok-1"]);
    dlg_with(
        &store,
        &mut input,
        &["connection", "authorize", "shop_main"],
    )
    .unwrap();
    assert_eq!(
        input.asked,
        vec![("API key".to_owned(), true), ("Token".to_owned(), true)]
    );
    // Piped: `KEY=-` reads standard input, in flag order.
    let mut input = Scripted::new(false, &[SECRET, "tok-2"]);
    let out = dlg_with(
        &store,
        &mut input,
        &[
            "connection",
            "authorize",
            "shop_main",
            "--param",
            "X-Api-Key=-",
            "--param",
            "token=-",
        ],
    )
    .unwrap();
    assert_eq!(out, "connection \"shop_main\" is connected\n");
    // Not a terminal and a value missing: a clear error, nothing asked.
    let error = err_with(
        &store,
        &["t"],
        &["connection", "authorize", "shop_main", "--param", "token=-"],
    );
    assert!(
        error.contains(
            "missing a value for parameter \"X-Api-Key\" (API key); pass --param X-Api-Key=-"
        ),
        "{error}"
    );
    let error = err_with(
        &store,
        &["a", "t", "1"],
        &[
            "connection",
            "authorize",
            "shop_main",
            "--param",
            "X-Api-Key=-",
            "--param",
            "token=-",
            "--param",
            "other=-",
        ],
    );
    assert!(
        error.contains("service \"shop\" has no parameter \"other\""),
        "{error}"
    );

    let show = ok(&store, &["connection", "show", "shop_main"]);
    assert!(show.contains("status:         connected"), "{show}");
    assert!(
        show.contains("credentials:    X-Api-Key=***, token=***"),
        "{show}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&store, &["connection", "show", "shop_main", "--json"])).unwrap();
    assert_eq!(json["status"], "connected");
    assert_eq!(json["auth"], "api-key");
    assert_eq!(
        json["credentials"],
        serde_json::json!({"X-Api-Key": "***", "token": "***"})
    );
    assert_eq!(json["has_credentials"], true);
    assert_eq!(
        json["allowed_hosts"],
        serde_json::json!(["api.shop.example"])
    );
    let list: serde_json::Value =
        serde_json::from_str(&ok(&store, &["connection", "list", "--json"])).unwrap();
    assert_eq!(list["connections"][0]["link_name"], "shop_main");
    assert!(list["connections"][0].get("credentials").is_none());
    for args in [
        &["connection", "show", "shop_main"][..],
        &["connection", "show", "shop_main", "--json"],
        &["connection", "list"],
        &["connection", "list", "--json"],
    ] {
        let output = ok(&store, args);
        assert!(
            !output.contains(SECRET) && !output.contains("tok-2"),
            "{output}"
        );
    }

    let out = ok(
        &store,
        &[
            "connection",
            "edit",
            "shop_main",
            "--display-name",
            "Shop",
            "--add-host",
            "*.shop-cdn.example",
        ],
    );
    assert!(out.starts_with("updated connection \"shop_main\""), "{out}");
    let error = err(
        &store,
        &["connection", "edit", "shop_main", "--scope", "read"],
    );
    assert!(
        error
            .contains("--scope applies only to OAuth 2 connections; service \"shop\" uses API key"),
        "{error}"
    );
    let error = err(&store, &["connection", "edit", "shop_main"]);
    assert!(error.contains("nothing to change"), "{error}");

    let out = ok(&store, &["connection", "revoke", "shop_main"]);
    assert!(out.contains("was revoked"), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(&store, &["connection", "show", "shop_main", "--json"])).unwrap();
    assert_eq!(json["status"], "disconnected");
    assert_eq!(json["credentials"], serde_json::Value::Null);
    assert_eq!(json["display_name"], "Shop");
    assert!(ok(&store, &["connection", "list"]).contains("disconnected"));
    assert!(ok(&store, &["connection", "revoke", "shop_main"])
        .contains("holds no credentials; nothing to revoke"));

    let error = err(
        &store,
        &["connection", "create", "shop_main", "--service", "shop"],
    );
    assert!(
        error.contains("connection \"shop_main\" already exists"),
        "{error}"
    );
    let error = err(
        &store,
        &["connection", "create", "other", "--service", "nope"],
    );
    assert!(error.contains("service \"nope\" does not exist"), "{error}");
    ok(
        &store,
        &["connection", "create", "second", "--service", "shop"],
    );
    assert!(ok(&store, &["connection", "delete", "shop_main"])
        .contains("deleted connection \"shop_main\""));
    let error = err(&store, &["connection", "show", "shop_main"]);
    assert!(
        error.contains("connection \"shop_main\" does not exist"),
        "{error}"
    );
}

#[test]
fn link_name_rules_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    ok(
        &store,
        &[
            "service",
            "create",
            "b",
            "--auth",
            "basic",
            "--host",
            "h.example",
        ],
    );
    let cases = [
        ("", "the name is empty"),
        ("My_conn", "\"My_conn\" must start with a lowercase letter (a-z), not 'M'"),
        ("9lives", "not '9'"),
        ("my-conn", "\"my-conn\" contains '-' at position 3; only lowercase letters (a-z), digits and _ are allowed"),
        (&"a".repeat(51), "is 51 characters long; the limit is 50"),
    ];
    for (name, expected) in cases {
        let error = err(&store, &["connection", "create", name, "--service", "b"]);
        assert!(
            error.starts_with("invalid connection link name: "),
            "{error}"
        );
        assert!(error.contains(expected), "{name}: {error}");
    }
    ok(
        &store,
        &["connection", "create", &"a".repeat(50), "--service", "b"],
    );
}

#[test]
fn basic_authorize_prompts_username_visibly_and_password_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    ok(
        &store,
        &[
            "service",
            "create",
            "b",
            "--auth",
            "basic",
            "--host",
            "h.example",
        ],
    );
    ok(&store, &["connection", "create", "c", "--service", "b"]);
    let mut input = Scripted::new(true, &["alice", SECRET]);
    dlg_with(&store, &mut input, &["connection", "authorize", "c"]).unwrap();
    assert_eq!(
        input.asked,
        vec![
            ("Username".to_owned(), false),
            ("Password".to_owned(), true)
        ]
    );
    let error = err_with(
        &store,
        &["p"],
        &[
            "connection",
            "authorize",
            "c",
            "--param",
            "username=a:b",
            "--param",
            "password=-",
        ],
    );
    assert!(error.contains("the username contains ':'"), "{error}");
    let show = ok(&store, &["connection", "show", "c"]);
    assert!(
        show.contains("username=***, password=***") && !show.contains("alice"),
        "{show}"
    );
}

#[test]
fn secrets_never_show_in_debug() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    add_connected(&store, "crm", SECRET);
    let snapshot = store.load().unwrap();
    let credentials = snapshot.credentials("crm").unwrap().unwrap();
    let parsed = TestCli::try_parse_from([
        "dlg",
        "connection",
        "authorize",
        "crm",
        "--param",
        &format!("X-Api-Key={SECRET}"),
    ])
    .unwrap();
    let Top::Connection(args) = parsed.command else {
        panic!()
    };
    for debug in [
        format!("{credentials:?}"),
        format!("{store:?}"),
        format!("{args:?}"),
        format!(
            "{:?}",
            ServiceSecrets {
                client_secret: Some(Secret::from(SECRET))
            }
        ),
    ] {
        assert!(!debug.contains(SECRET), "{debug}");
    }
    let map: BTreeMap<String, Secret> = BTreeMap::from([("k".to_owned(), Secret::from(SECRET))]);
    assert_eq!(format!("{map:?}"), "{\"k\": ***}");
}

// ---------------------------------------------------------------- the dlg binary

fn dlg_binary(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dlg"));
    command.env("DLG_HOME", home).env_remove("DLG_MASTER_KEY");
    command
}

#[test]
fn binary_prints_json_and_sets_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let output = dlg_binary(dir.path())
        .args(["service", "list", "--json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let services = json["services"].as_array().unwrap();
    assert!(services.iter().all(|service| service["builtin"] == true));
    assert!(services
        .iter()
        .any(|service| service["link_name"] == "stripe"));

    let output = dlg_binary(dir.path())
        .args(["connection", "show", "nope"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: connection \"nope\" does not exist"),
        "{stderr}"
    );

    let output = dlg_binary(dir.path())
        .args(["service", "create", "Shop", "--auth", "basic"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8(output.stderr)
        .unwrap()
        .contains("invalid service link name"));
}

#[test]
fn binary_reads_dash_values_from_piped_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    ok(
        &store,
        &[
            "service",
            "create",
            "b",
            "--auth",
            "basic",
            "--host",
            "127.0.0.1",
        ],
    );
    ok(&store, &["connection", "create", "c", "--service", "b"]);
    let output = support::output_with_stdin(
        dlg_binary(dir.path()).args([
            "connection",
            "authorize",
            "c",
            "--param",
            "username=-",
            "--param",
            "password=-",
        ]),
        b"test\n123\xc2\xa3\n",
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!String::from_utf8_lossy(&output.stdout).contains("123"));
    let mut request = request("http://127.0.0.1/basic-auth");
    FileStoreAuthorizer::new(store)
        .authorize("c", &mut request)
        .unwrap();
    assert_eq!(request.headers[0].1, "Basic dGVzdDoxMjPCow==");
}

/// A pseudo-terminal: the parent's side and the side given to the child as its terminal.
fn open_pty() -> (fs::File, fs::File) {
    use std::os::fd::FromRawFd;
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two new file descriptors on success.
    let result = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(result, 0, "openpty failed");
    // SAFETY: both descriptors are fresh and owned by nobody else.
    unsafe { (fs::File::from_raw_fd(master), fs::File::from_raw_fd(slave)) }
}

#[test]
fn terminal_prompt_hides_the_password() {
    use std::io::{Read, Write};
    use std::sync::mpsc;
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    ok(
        &store,
        &[
            "service",
            "create",
            "b",
            "--auth",
            "basic",
            "--host",
            "127.0.0.1",
        ],
    );
    ok(&store, &["connection", "create", "c", "--service", "b"]);
    let (mut master, slave) = open_pty();
    let mut child = dlg_binary(dir.path())
        .args(["connection", "authorize", "c"])
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(slave))
        .spawn()
        .unwrap();
    let (sender, received) = mpsc::channel();
    let mut reader = master.try_clone().unwrap();
    std::thread::spawn(move || {
        let mut buffer = [0u8; 256];
        while let Ok(count) = reader.read(&mut buffer) {
            if count == 0 || sender.send(buffer[..count].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut screen = Vec::new();
    let wait_for = |text: &str, screen: &mut Vec<u8>| {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !String::from_utf8_lossy(screen).contains(text) {
            let left = deadline.saturating_duration_since(Instant::now());
            let chunk = received.recv_timeout(left).unwrap_or_else(|_| {
                panic!(
                    "no {text:?} on the terminal: {}",
                    String::from_utf8_lossy(screen)
                )
            });
            screen.extend(chunk);
        }
    };
    wait_for("Username: ", &mut screen);
    master.write_all(b"alice\n").unwrap();
    wait_for("Password: ", &mut screen);
    master
        .write_all("TOPSECRET\u{7f}\u{7f}ET£\u{7f}\n".as_bytes())
        .unwrap();
    wait_for("is connected", &mut screen);
    assert!(child.wait().unwrap().success());
    let screen = String::from_utf8_lossy(&screen).into_owned();
    assert!(screen.contains("alice"), "the username is echoed: {screen}");
    assert!(
        !screen.contains("TOP") && !screen.contains("ET"),
        "password echoed: {screen}"
    );
    let mut request = request("http://127.0.0.1/");
    FileStoreAuthorizer::new(store)
        .authorize("c", &mut request)
        .unwrap();
    let expected = deluge_lang::connections::basic::header_value("alice", "TOPSECRET");
    assert_eq!(request.headers[0].1, expected.expose());
}

// ---------------------------------------------------------------- dlg service configure

#[test]
fn configure_gives_a_catalog_service_its_client_in_one_step() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let before = ok(&store, &["service", "show", "github"]);
    assert!(
        before.contains(
            "configured:     no; configure it with \
             `dlg service configure github --client-id ID --client-secret -`"
        ),
        "{before}"
    );
    assert!(
        !before.contains("created:") && !before.contains("1970"),
        "{before}"
    );
    assert!(before.contains("client id:      not set\n"), "{before}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(&store, &["service", "show", "github", "--json"])).unwrap();
    assert_eq!(json["configured"], false);
    assert_eq!(json["created_at"], serde_json::Value::Null);
    assert!(!ok(&store, &["service", "list", "--json"]).contains("1970"));
    let listing = ok(&store, &["service", "list"]);
    assert!(listing.lines().next().unwrap().contains("CONFIGURED"));
    let row = |listing: &str, name: &str| {
        listing
            .lines()
            .find(|line| line.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no {name} row in:\n{listing}"))
            .to_owned()
    };
    assert!(row(&listing, "github").contains(" no "), "{listing}");
    assert!(row(&listing, "stripe").contains(" yes "), "{listing}");

    let error = err(
        &store,
        &["connection", "create", "gh", "--service", "github"],
    );
    assert_eq!(
        error,
        "service \"github\" is built in and uses OAuth 2, which needs the client id of your own \
         app registered with the provider; configure it with \
         `dlg service configure github --client-id ID --client-secret -`"
    );

    let mut input = Scripted::new(true, &[SECRET]);
    let out = dlg_with(
        &store,
        &mut input,
        &[
            "service",
            "configure",
            "github",
            "--client-id",
            "Iv1.abc",
            "--client-secret",
            "-",
        ],
    )
    .unwrap();
    assert_eq!(input.asked, vec![("Client secret".to_owned(), true)]);
    assert_eq!(
        out,
        "configured service \"github\" (secret set)\nconnect to it with \
         `dlg connection create LINK --service github`, then `dlg connection authorize LINK`\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&store, &["service", "show", "github", "--json"])).unwrap();
    assert_eq!(json["configured"], true);
    assert_eq!(json["builtin"], true);
    assert_eq!(json["client_secret_set"], true);
    assert_eq!(json["auth"]["client_id"], "Iv1.abc");
    assert_eq!(
        json["auth"]["device_url"],
        "https://github.com/login/device/code"
    );
    assert_eq!(
        json["allowed_hosts"],
        serde_json::json!(["api.github.com", "uploads.github.com"])
    );
    assert!(json["created_at"].is_string());
    let shown = ok(&store, &["service", "show", "github"]);
    assert!(shown.contains("configured:     yes"), "{shown}");
    assert!(shown.contains("created:"), "{shown}");
    assert!(!shown.contains(SECRET) && !out.contains(SECRET));
    assert!(row(&ok(&store, &["service", "list"]), "github").contains(" yes "));

    // Reconfiguring changes what is given and keeps the rest, the secret included.
    ok(
        &store,
        &["service", "configure", "github", "--grant", "device"],
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&store, &["service", "show", "github", "--json"])).unwrap();
    assert_eq!(json["auth"]["grant"], "device");
    assert_eq!(json["auth"]["client_id"], "Iv1.abc");
    assert_eq!(json["client_secret_set"], true);
    ok(
        &store,
        &["connection", "create", "gh", "--service", "github"],
    );
    ok(
        &store,
        &["connection", "create", "gh_work", "--service", "github"],
    );
    assert_eq!(
        ok(&store, &["connection", "list", "--names"]),
        "gh\ngh_work\n"
    );

    // A new secret replaces the old one; deleting the set-up brings back the catalog entry.
    let mut input = Scripted::new(false, &["new-secret"]);
    dlg_with(
        &store,
        &mut input,
        &["service", "configure", "github", "--client-secret", "-"],
    )
    .unwrap();
    let secrets = store.load().unwrap().service_secrets("github").unwrap();
    assert_eq!(secrets.client_secret.unwrap().expose(), "new-secret");
    ok(&store, &["connection", "delete", "gh"]);
    ok(&store, &["connection", "delete", "gh_work"]);
    assert_eq!(
        ok(&store, &["service", "delete", "github"]),
        "deleted your set-up of service \"github\"; the built-in definition stays available\n"
    );
    assert!(ok(&store, &["service", "show", "github"]).contains("configured:     no"));
}

#[test]
fn configure_reads_secrets_from_a_file_and_never_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let error = err(
        &store,
        &[
            "service",
            "configure",
            "google",
            "--client-id",
            "x",
            "--client-secret",
            SECRET,
        ],
    );
    assert_eq!(
        error,
        "--client-secret takes `-` (typed hidden, or one line of standard input) or @FILE, never \
         the secret itself: a command line shows in `ps` and in shell history (value not shown)"
    );
    assert!(store.load().unwrap().service("google").is_none());
    // A secret that starts with a dash is still taken as the (refused) value, never echoed.
    let error = err(
        &store,
        &[
            "service",
            "configure",
            "google",
            "--client-id",
            "x",
            "--client-secret",
            "-s3cr3t-dash",
        ],
    );
    assert!(error.starts_with("--client-secret takes `-`"), "{error}");
    assert!(!error.contains("s3cr3t"), "{error}");
    let missing = dir.path().join("missing.txt");
    let error = err(
        &store,
        &[
            "service",
            "configure",
            "google",
            "--client-id",
            "x",
            "--client-secret",
            &format!("@{}", missing.display()),
        ],
    );
    assert!(
        error.starts_with(&format!(
            "--client-secret @{}: cannot read the file: ",
            missing.display()
        )),
        "{error}"
    );
    let file = dir.path().join("secret.txt");
    fs::write(&file, format!("{SECRET}\n")).unwrap();
    ok(
        &store,
        &[
            "service",
            "configure",
            "google",
            "--client-id",
            "123.apps.googleusercontent.com",
            "--client-secret",
            &format!("@{}", file.display()),
        ],
    );
    let snapshot = store.load().unwrap();
    let secrets = snapshot.service_secrets("google").unwrap();
    assert_eq!(secrets.client_secret.unwrap().expose(), SECRET);
    fs::write(&file, "\n").unwrap();
    let error = err(
        &store,
        &[
            "service",
            "configure",
            "google",
            "--client-secret",
            &format!("@{}", file.display()),
        ],
    );
    assert_eq!(error, "--client-secret: the secret is empty");

    // OAuth 1: the consumer key and secret.
    let mut input = Scripted::new(false, &["consumer-secret"]);
    dlg_with(
        &store,
        &mut input,
        &[
            "service",
            "configure",
            "twitter",
            "--consumer-key",
            "ck",
            "--consumer-secret",
            "-",
        ],
    )
    .unwrap();
    assert_eq!(input.asked, vec![("Consumer secret".to_owned(), true)]);
    let json: serde_json::Value =
        serde_json::from_str(&ok(&store, &["service", "show", "twitter", "--json"])).unwrap();
    assert_eq!(json["auth"]["consumer_key"], "ck");
    assert_eq!(json["configured"], true);
    assert_eq!(
        json["auth"]["request_token_url"],
        "https://api.twitter.com/oauth/request_token"
    );
}

#[test]
fn configure_errors_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let cases: [(&[&str], &str); 8] = [
        (
            &["service", "configure", "nosuch", "--client-id", "x"],
            "service \"nosuch\" does not exist; create it with `dlg service create nosuch --auth \
             api-key|basic|oauth1|oauth2 --host HOST` (`dlg service list` shows the existing ones)",
        ),
        (
            &["service", "configure", "stripe", "--client-id", "x"],
            "service \"stripe\" uses API key and needs no configuration; create a connection with \
             `dlg connection create LINK --service stripe` and enter the values with \
             `dlg connection authorize LINK`",
        ),
        (
            &["service", "configure", "github", "--consumer-key", "x"],
            "--consumer-key does not apply to service \"github\", which uses OAuth 2",
        ),
        (
            &["service", "configure", "twitter", "--client-id", "x"],
            "--client-id does not apply to service \"twitter\", which uses OAuth 1",
        ),
        (
            &["service", "configure", "github"],
            "nothing to configure for service \"github\"; configure it with \
             `dlg service configure github --client-id ID --client-secret -`",
        ),
        (
            &["service", "configure", "twitter"],
            "nothing to configure for service \"twitter\"; configure it with \
             `dlg service configure twitter --consumer-key KEY --consumer-secret -`",
        ),
        (
            &["service", "configure", "github", "--grant", "device"],
            "service \"github\" has no client id yet; add --client-id ID",
        ),
        (
            &["service", "configure", "zoho_crm_com", "--client-id", "x", "--grant", "device"],
            "--grant device needs a device authorization URL, and service \"zoho_crm_com\" has none",
        ),
    ];
    for (args, expected) in cases {
        assert_eq!(err(&store, args), expected, "dlg {args:?}");
    }
    assert_eq!(
        err(
            &store,
            &["service", "configure", "twitter", "--consumer-key", " "]
        ),
        "--consumer-key is empty"
    );
    assert_eq!(
        err(
            &store,
            &[
                "service",
                "configure",
                "twitter",
                "--consumer-secret",
                "@/nonexistent"
            ]
        ),
        "service \"twitter\" has no consumer key yet; add --consumer-key KEY"
    );
    assert_eq!(
        err(
            &store,
            &[
                "service",
                "configure",
                "paypal",
                "--client-id",
                "x",
                "--grant",
                "authorization-code"
            ]
        ),
        "--grant authorization-code needs an authorize URL, and service \"paypal\" has none"
    );
    assert_eq!(
        err(
            &store,
            &["service", "configure", "Bad-Name", "--client-id", "x"]
        )
        .split(':')
        .next(),
        Some("invalid service link name")
    );
    assert!(store.load().unwrap().services().next().is_none());
}
