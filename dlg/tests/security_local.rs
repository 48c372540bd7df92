//! Security round 2 (issue 22), local side: each test reproduces an attack by someone who can
//! write the store's files, a local neighbour, or a stray local request, and fails without the
//! protection it is named after.

#[path = "../../tests/support/mod.rs"]
mod support;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use deluge_lang::connections::catalog;
use deluge_lang::connections::model::{now, ApiKeyParam, Placement};
use deluge_lang::connections::oauth2::flow::{self, CodeFlowOptions};
use deluge_lang::connections::oauth2::ui::AuthorizationUi;
use deluge_lang::connections::oauth2::{Endpoints, ScopeJoin};
use deluge_lang::connections::{
    AuthSpec, Connection, ConnectionAuthorizer, Credentials, FileStoreAuthorizer, Secret, Service,
    ServiceSecrets, Status, Store,
};
use deluge_lang::http::request::{Body, HttpRequest, Method};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::{self, JoinHandle};
use std::time::Duration;
use support::browser::{Browser, Choice};
use support::oidc;
use url::Url;

const SECRET: &str = "s3cr3t-LOCAL-canary";
const MASTER_KEY: [u8; 32] = [7u8; 32];

fn store(dir: &Path) -> Store {
    Store::at(dir).with_master_key(None)
}

fn api_service() -> Service {
    let time = now();
    Service {
        link_name: "svc".into(),
        display_name: "svc".into(),
        builtin: false,
        allowed_hosts: vec!["api.example.com".into()],
        allow_insecure_http: false,
        api_base: None,
        auth: AuthSpec::ApiKey {
            params: vec![ApiKeyParam {
                key: "X-Api-Key".into(),
                label: "API key".into(),
                placement: Placement::Header,
            }],
        },
        created_at: time,
        updated_at: time,
    }
}

fn credentials() -> Credentials {
    Credentials::ApiKey {
        values: [("X-Api-Key".to_owned(), Secret::from(SECRET))]
            .into_iter()
            .collect(),
    }
}

fn add_connected(store: &Store) {
    store
        .update(|transaction| {
            transaction.add_service(api_service(), &ServiceSecrets::default())?;
            let mut connection = Connection::new("crm", "crm", "svc", now());
            connection.status = Status::Connected;
            transaction.add_connection(connection)?;
            transaction.set_credentials("crm", Some(&credentials()))
        })
        .unwrap();
}

fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() }
}

/// Changes the owner to `nobody` (65534); false (after saying why) when this user cannot.
fn give_to_another_user(path: &Path) -> bool {
    if euid() != 0 {
        eprintln!(
            "SKIPPED: changing {} to another owner needs root (this test runs as user id {}); \
             run the tests as root (e.g. in the CI container) to cover it",
            path.display(),
            euid()
        );
        return false;
    }
    std::os::unix::fs::chown(path, Some(65534), Some(65534)).unwrap();
    true
}

// ------------------------------------------------ finding 3: the store file is authenticated

/// Edits the store file as someone without the key would: change a field, keep the rest.
fn tamper(dir: &Path, edit: impl FnOnce(&mut Value)) {
    let path = dir.join("connections.json");
    let mut value: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    edit(&mut value);
    fs::write(&path, serde_json::to_vec_pretty(&value).unwrap()).unwrap();
}

#[test]
fn finding3_edited_allowed_hosts_are_refused_on_load() {
    let dir = tempfile::tempdir().unwrap();
    add_connected(&store(dir.path()));
    tamper(dir.path(), |value| {
        value["services"][0]["allowed_hosts"] = json!(["evil.example"]);
    });
    let error = store(dir.path()).load().unwrap_err().to_string();
    let file = dir.path().join("connections.json");
    assert!(
        error.contains(&format!(
            "the connection store {} was changed outside dlg",
            file.display()
        )),
        "{error}"
    );
    assert!(error.contains("has not changed it"), "{error}");
    assert!(!error.contains(SECRET), "{error}");
}

/// A change made to the store's JSON.
type Edit = Box<dyn Fn(&mut Value)>;

#[test]
fn finding3_every_kind_of_metadata_edit_is_refused() {
    let edits: Vec<(&str, Edit)> = vec![
        (
            "placement",
            Box::new(|v| v["services"][0]["auth"]["params"][0]["placement"] = json!("query")),
        ),
        (
            "extra host",
            Box::new(|v| v["connections"][0]["extra_hosts"] = json!(["evil.example"])),
        ),
        (
            "service switch",
            Box::new(|v| v["connections"][0]["service"] = json!("other")),
        ),
        (
            "auth type",
            Box::new(|v| {
                v["services"][0]["auth"] = json!({
                    "type": "oauth2", "grant": "authorization_code", "client_id": "x",
                    "token_url": "https://evil.example/token", "scope_delimiter": "comma",
                    "token_prefix": "Bearer", "pkce": false, "client_auth": "body"})
            }),
        ),
        (
            "downgrade to format 1",
            Box::new(|v| {
                v["format"] = json!(1);
                v.as_object_mut().unwrap().remove("mac");
            }),
        ),
        (
            "authentication code removed",
            Box::new(|v| {
                v.as_object_mut().unwrap().remove("mac");
            }),
        ),
        ("unknown field", Box::new(|v| v["extra"] = json!(true))),
    ];
    for (what, edit) in edits {
        let dir = tempfile::tempdir().unwrap();
        add_connected(&store(dir.path()));
        tamper(dir.path(), edit);
        let result = store(dir.path()).load();
        let error = match result {
            Ok(snapshot) => panic!("{what}: the edited store loaded: {snapshot:?}"),
            Err(error) => error.to_string(),
        };
        assert!(
            error.contains("was changed outside dlg") || error.contains("do not decrypt"),
            "{what}: {error}"
        );
    }
}

#[test]
fn finding3_untouched_store_still_loads_and_is_authenticated() {
    let dir = tempfile::tempdir().unwrap();
    add_connected(&store(dir.path()));
    let raw: Value =
        serde_json::from_slice(&fs::read(dir.path().join("connections.json")).unwrap()).unwrap();
    assert_eq!(raw["format"], json!(2));
    assert!(raw["mac"].as_str().is_some_and(|mac| mac.len() == 44));
    let snapshot = store(dir.path()).load().unwrap();
    assert_eq!(snapshot.credentials("crm").unwrap().unwrap(), credentials());
}

/// A format-1 store as older builds wrote it: records under the master key itself, key check
/// HMAC("deluge-lang master key check v1"), no authentication code.
fn write_legacy_store(dir: &Path, tamper_record: bool) -> Vec<u8> {
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&MASTER_KEY));
    let nonce = [1u8; 12];
    let mut plaintext = serde_json::to_vec(&credentials()).unwrap();
    if tamper_record {
        plaintext.push(b' ');
    }
    let aad = if tamper_record {
        "deluge-lang/connection/other"
    } else {
        "deluge-lang/connection/crm"
    };
    let ciphertext = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &plaintext,
                aad: aad.as_bytes(),
            },
        )
        .unwrap();
    let mut check = <Hmac<Sha256> as Mac>::new_from_slice(&MASTER_KEY).unwrap();
    check.update(b"deluge-lang master key check v1");
    let key_check = BASE64.encode(&check.finalize().into_bytes()[..16]);
    let mut service = serde_json::to_value(api_service()).unwrap();
    service["builtin"] = json!(false);
    let mut connection = serde_json::to_value(Connection::new("crm", "crm", "svc", now())).unwrap();
    connection["status"] = json!("connected");
    connection["credentials"] =
        json!({"nonce": BASE64.encode(nonce), "ciphertext": BASE64.encode(ciphertext)});
    let file = json!({
        "format": 1,
        "key_check": key_check,
        "services": [service],
        "connections": [connection],
    });
    let bytes = serde_json::to_vec_pretty(&file).unwrap();
    fs::write(dir.join("connections.json"), &bytes).unwrap();
    fs::write(
        dir.join("master.key"),
        format!("{}\n", BASE64.encode(MASTER_KEY)),
    )
    .unwrap();
    fs::set_permissions(dir.join("master.key"), fs::Permissions::from_mode(0o600)).unwrap();
    bytes
}

#[test]
fn finding3_format1_store_is_migrated_to_an_authenticated_store() {
    let dir = tempfile::tempdir().unwrap();
    write_legacy_store(dir.path(), false);
    let snapshot = store(dir.path()).load().unwrap();
    assert_eq!(snapshot.credentials("crm").unwrap().unwrap(), credentials());
    let raw: Value =
        serde_json::from_slice(&fs::read(dir.path().join("connections.json")).unwrap()).unwrap();
    assert_eq!(raw["format"], json!(2));
    assert!(raw["mac"].is_string());
    // Records are sealed again under the derived key: the master key alone no longer opens them.
    let sealed = &raw["connections"][0]["credentials"];
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&MASTER_KEY));
    let opened = cipher.decrypt(
        Nonce::from_slice(&BASE64.decode(sealed["nonce"].as_str().unwrap()).unwrap()),
        Payload {
            msg: &BASE64
                .decode(sealed["ciphertext"].as_str().unwrap())
                .unwrap(),
            aad: b"deluge-lang/connection/crm",
        },
    );
    assert!(opened.is_err(), "records still under the raw master key");
    // And from now on an edit is caught.
    tamper(dir.path(), |value| {
        value["services"][0]["allowed_hosts"] = json!(["evil.example"]);
    });
    let error = store(dir.path()).load().unwrap_err().to_string();
    assert!(error.contains("was changed outside dlg"), "{error}");
}

#[test]
fn finding3_failed_migration_leaves_the_format1_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let before = write_legacy_store(dir.path(), true);
    let error = store(dir.path()).load().unwrap_err().to_string();
    assert!(
        error.contains("connection \"crm\"") && error.contains("do not decrypt"),
        "{error}"
    );
    assert_eq!(
        fs::read(dir.path().join("connections.json")).unwrap(),
        before
    );
}

// ------------------------------------------------ finding 5: local neighbour

#[test]
fn finding5_planted_store_lock_symlink_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("created-by-victim");
    symlink(&target, dir.path().join("connections.lock")).unwrap();
    let error = store(dir.path())
        .update(|transaction| transaction.add_service(api_service(), &ServiceSecrets::default()))
        .unwrap_err()
        .to_string();
    assert!(error.contains("it is a symbolic link"), "{error}");
    assert!(error.contains("connections.lock"), "{error}");
    assert!(!target.exists(), "the lock followed the planted link");
}

#[test]
fn finding5_planted_connection_lock_symlink_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    add_connected(&store(dir.path()));
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("created-by-victim");
    fs::create_dir_all(dir.path().join("locks")).unwrap();
    symlink(&target, dir.path().join("locks/crm.lock")).unwrap();
    let error = store(dir.path())
        .lock_connection("crm")
        .unwrap_err()
        .to_string();
    assert!(error.contains("it is a symbolic link"), "{error}");
    assert!(!target.exists(), "the lock followed the planted link");
}

#[test]
fn finding5_planted_key_file_symlink_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    add_connected(&store(dir.path()));
    let elsewhere = tempfile::tempdir().unwrap();
    let moved = elsewhere.path().join("master.key");
    fs::rename(dir.path().join("master.key"), &moved).unwrap();
    symlink(&moved, dir.path().join("master.key")).unwrap();
    let error = store(dir.path()).load().unwrap_err().to_string();
    assert!(
        error.contains("dlg refuses to use the master key file")
            && error.contains("it is a symbolic link"),
        "{error}"
    );
    assert!(error.contains("rm "), "{error}");
}

#[test]
fn finding5_group_writable_store_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    add_connected(&store(dir.path()));
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o770)).unwrap();
    for error in [
        store(dir.path()).load().unwrap_err(),
        store(dir.path()).update(|_| Ok(())).unwrap_err(),
    ] {
        let error = error.to_string();
        assert!(
            error.contains("dlg refuses to use the connection store folder")
                && error.contains("mode 770 lets other users have it written"),
            "{error}"
        );
        assert!(
            error.contains(&format!("chmod 700 {}", dir.path().display())),
            "{error}"
        );
    }
}

#[test]
fn finding5_store_folder_owned_by_another_user_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    add_connected(&store(dir.path()));
    if !give_to_another_user(dir.path()) {
        return;
    }
    let error = store(dir.path()).load().unwrap_err().to_string();
    assert!(
        error.contains("the connection store folder")
            && error.contains("belongs to user id 65534, not to you"),
        "{error}"
    );
    assert!(
        error.contains("set DLG_HOME") && error.contains("chown"),
        "{error}"
    );
}

#[test]
fn finding5_key_file_owned_by_another_user_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    add_connected(&store(dir.path()));
    let key = dir.path().join("master.key");
    if !give_to_another_user(&key) {
        return;
    }
    let error = store(dir.path()).load().unwrap_err().to_string();
    assert!(
        error.contains("the master key file") && error.contains("belongs to user id 65534"),
        "{error}"
    );
}

#[test]
fn finding5_lock_file_owned_by_another_user_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    add_connected(&store(dir.path()));
    let lock = dir.path().join("connections.lock");
    if !give_to_another_user(&lock) {
        return;
    }
    let error = store(dir.path())
        .update(|_| Ok(()))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("the lock file") && error.contains("belongs to user id 65534"),
        "{error}"
    );
}

// ------------------------------------------------ finding 6: the loopback callback

/// The browser side of an authorization while a local neighbour fires callbacks at the
/// listener first: with no state, a wrong state, a code of their own and an error.
struct NeighbourAndBrowser {
    worker: Option<JoinHandle<Vec<u16>>>,
}

fn query(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

impl AuthorizationUi for NeighbourAndBrowser {
    fn present_authorize_url(&mut self, _url: &str) {
        panic!("the code flow must offer a local start address for the browser");
    }

    fn present_authorize_url_via(&mut self, url: &str, launch_url: &str) {
        let url = Url::parse(url).unwrap();
        let state = query(&url, "state").unwrap();
        assert!(
            launch_url.starts_with("http://127.0.0.1:") && !launch_url.contains(&state),
            "{launch_url}"
        );
        assert_eq!(
            query(&url, "code_challenge_method").as_deref(),
            Some("S256")
        );
        let callback = query(&url, "redirect_uri").unwrap();
        let launch = Url::parse(launch_url).unwrap();
        self.worker = Some(thread::spawn(move || {
            let mut browser = Browser::new();
            let statuses = [
                "?code=evil",
                "?code=evil&state=forged",
                "?error=access_denied",
                "?error=access_denied&state=forged",
            ]
            .iter()
            .map(|query| {
                let forged = Url::parse(&format!("{callback}{query}")).unwrap();
                browser.get(&forged).status
            })
            .collect();
            let start = browser.get(&launch);
            assert_eq!(start.status, 302);
            assert_eq!(start.location.as_ref(), Some(&url));
            let target = browser
                .walk_to_redirect(&url, Choice::Approve)
                .expect("the provider redirects back");
            assert_eq!(browser.get(&target).status, 200);
            statuses
        }));
    }

    fn present_device_code(&mut self, _: &str, _: &str, _: Option<&str>) {}
}

#[test]
fn finding6_stray_callbacks_neither_abort_nor_inject_and_the_flow_completes() {
    let base = oidc::shared().base_url();
    let endpoints = Endpoints {
        client_id: "conf".into(),
        client_secret: Some(Secret::from("conf-secret")),
        authorize_url: Some(format!("{base}/auth")),
        token_url: format!("{base}/token"),
        refresh_url: None,
        revoke_url: None,
        device_url: None,
        scope_join: ScopeJoin::Space,
        basic_client_auth: true,
        pkce: true,
        auth_params: Vec::new(),
    };
    let mut ui = NeighbourAndBrowser { worker: None };
    let options = CodeFlowOptions {
        port: None,
        timeout: Duration::from_secs(60),
    };
    let result = flow::authorization_code(&endpoints, &["openid".to_owned()], options, &mut ui);
    let statuses = ui.worker.take().unwrap().join().unwrap();
    let tokens = result.expect("the neighbour's callbacks are ignored");
    assert_eq!(statuses, vec![400, 400, 400, 400]);
    assert!(!tokens.access_token.is_empty());
}

#[test]
fn finding6_zoho_catalog_services_send_pkce() {
    for name in ["zoho_crm_com", "zoho_books_eu", "zoho_desk_in", "docusign"] {
        let service = catalog::service(name).unwrap();
        let AuthSpec::OAuth2(spec) = service.auth else {
            panic!("{name} is not OAuth 2");
        };
        assert!(spec.pkce, "{name} must use PKCE");
    }
}

// ------------------------------------------------ finding 11: secrets off the command line

/// Runs the `dlg` binary with `DLG_HOME=home`; (success, stdout, stderr).
fn dlg(home: &Path, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_dlg"))
        .args(args)
        .env("DLG_HOME", home)
        .env_remove("DLG_MASTER_KEY")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn secret_file(dir: &Path, name: &str, value: &str) -> String {
    let path = dir.join(name);
    fs::write(&path, format!("{value}\n")).unwrap();
    path.display().to_string()
}

#[test]
fn finding11_client_secret_on_the_command_line_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let create = |secret: &str| {
        dlg(
            home.path(),
            &[
                "service",
                "create",
                "app",
                "--auth",
                "oauth2",
                "--token-url",
                "https://idp.example/token",
                "--authorize-url",
                "https://idp.example/auth",
                "--client-id",
                "id",
                "--client-secret",
                secret,
                "--host",
                "api.example",
            ],
        )
    };
    let (ok, _, err) = create(SECRET);
    assert!(!ok);
    assert!(
        err.contains("--client-secret was given a secret on the command line")
            && err.contains("`--client-secret -`")
            && err.contains("`--client-secret @FILE`"),
        "{err}"
    );
    assert!(!err.contains(SECRET), "{err}");
    let files = tempfile::tempdir().unwrap();
    let file = format!("@{}", secret_file(files.path(), "client", SECRET));
    let (ok, _, err) = create(&file);
    assert!(ok, "{err}");
    let snapshot = store(home.path()).load().unwrap();
    let secrets = snapshot.service_secrets("app").unwrap();
    assert_eq!(
        secrets.client_secret.as_ref().map(Secret::expose),
        Some(SECRET)
    );
}

#[test]
fn finding11_secret_params_on_the_command_line_are_refused() {
    let home = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    for args in [
        &[
            "service",
            "create",
            "keys",
            "--auth",
            "api-key",
            "--param",
            "X-Api-Key:header",
            "--host",
            "api.example",
        ][..],
        &["connection", "create", "k", "--service", "keys"],
        &[
            "service",
            "create",
            "bin",
            "--auth",
            "basic",
            "--host",
            "api.example",
        ],
        &["connection", "create", "b", "--service", "bin"],
    ] {
        let (ok, _, err) = dlg(home.path(), args);
        assert!(ok, "{args:?}: {err}");
    }
    let plain = format!("X-Api-Key={SECRET}");
    let (ok, _, err) = dlg(
        home.path(),
        &["connection", "authorize", "k", "--param", &plain],
    );
    assert!(!ok);
    assert!(
        err.contains("--param X-Api-Key was given a secret on the command line")
            && err.contains("`--param X-Api-Key=-`")
            && err.contains("`--param X-Api-Key=@FILE`"),
        "{err}"
    );
    assert!(!err.contains(SECRET), "{err}");
    let password = format!("password={SECRET}");
    let (ok, _, err) = dlg(
        home.path(),
        &[
            "connection",
            "authorize",
            "b",
            "--param",
            "username=ana",
            "--param",
            &password,
        ],
    );
    assert!(
        !ok && err.contains("--param password was given a secret"),
        "{err}"
    );
    // The user name is not a secret and may be given as is; the password comes from a file.
    let password = format!("password=@{}", secret_file(files.path(), "pw", SECRET));
    let (ok, _, err) = dlg(
        home.path(),
        &[
            "connection",
            "authorize",
            "b",
            "--param",
            "username=ana",
            "--param",
            &password,
        ],
    );
    assert!(ok, "{err}");
    let credentials = store(home.path()).load().unwrap().credentials("b").unwrap();
    let Some(Credentials::Basic { username, password }) = credentials else {
        panic!("basic credentials expected");
    };
    assert_eq!((username.expose(), password.expose()), ("ana", SECRET));
}

#[test]
fn finding11_registrable_wildcards_are_replaced_by_the_tenants_own_host() {
    let home = tempfile::tempdir().unwrap();
    let (ok, _, err) = dlg(
        home.path(),
        &["connection", "create", "shop", "--service", "shopify"],
    );
    assert!(!ok);
    assert!(
        err.contains("name your subdomain with --subdomain")
            && err.contains("SUBDOMAIN.myshopify.com"),
        "{err}"
    );
    let (ok, _, err) = dlg(
        home.path(),
        &[
            "connection",
            "create",
            "shop",
            "--service",
            "shopify",
            "--subdomain",
            "evil.example#",
        ],
    );
    assert!(!ok && err.contains("is not a single DNS label"), "{err}");
    let (ok, _, err) = dlg(
        home.path(),
        &[
            "connection",
            "create",
            "shop",
            "--service",
            "shopify",
            "--subdomain",
            "MyShop",
        ],
    );
    assert!(ok, "{err}");
    let (_, show, _) = dlg(home.path(), &["connection", "show", "shop", "--json"]);
    let show: Value = serde_json::from_str(&show).unwrap();
    assert_eq!(show["allowed_hosts"], json!(["myshop.myshopify.com"]));
    let files = tempfile::tempdir().unwrap();
    let token = format!(
        "X-Shopify-Access-Token=@{}",
        secret_file(files.path(), "t", SECRET)
    );
    let (ok, _, err) = dlg(
        home.path(),
        &["connection", "authorize", "shop", "--param", &token],
    );
    assert!(ok, "{err}");
    let authorizer = FileStoreAuthorizer::new(store(home.path()));
    let mut other_tenant = request("https://attacker-shop.myshopify.com/admin/api/orders.json");
    let error = authorizer
        .authorize("shop", &mut other_tenant)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("may not send its credentials to host \"attacker-shop.myshopify.com\""),
        "{error}"
    );
    let mut own = request("https://myshop.myshopify.com/admin/api/orders.json");
    authorizer.authorize("shop", &mut own).unwrap();
    assert!(own.headers.iter().any(|(_, value)| value == SECRET));
}

fn request(url: &str) -> HttpRequest {
    HttpRequest {
        method: Method::Get,
        url: url.parse().unwrap(),
        headers: Vec::new(),
        body: Body::Empty,
    }
}

#[test]
fn finding11_decrypted_secrets_are_masked_and_zeroizing() {
    let dir = tempfile::tempdir().unwrap();
    add_connected(&store(dir.path()));
    let snapshot = store(dir.path()).load().unwrap();
    let credentials = snapshot.credentials("crm").unwrap();
    let debug = format!("{credentials:?} {snapshot:?} {:?}", store(dir.path()));
    assert!(!debug.contains(SECRET), "{debug}");
    assert!(debug.contains("***"), "{debug}");
}
