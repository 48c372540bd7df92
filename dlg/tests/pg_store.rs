//! The PostgreSQL connection store against a real PostgreSQL 15 started by the tests (see
//! tests/support/postgres.rs): CRUD through the CLI with `--store`, tenant isolation, no secret
//! in clear in the database, `dlg store copy` both ways (and its atomicity), idempotent
//! migrations, and one OAuth 2 refresh for four `dlg run` processes sharing the database.

#[path = "../../tests/support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::thread;
use std::time::Duration;

use deluge_lang::connections::model::{now, Connection};
use deluge_lang::connections::{Credentials, Store};
use support::postgres::{self, Postgres};
use support::{oidc, oidc_store};

/// The master key of the tests' stores (base64 of 32 bytes).
const KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
/// Another key, for copies re-encrypted under a different key.
const OTHER_KEY: &str = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";
/// A password stored in connections; must never appear in the database.
const SECRET: &str = "pa55-Very-Secret-4242";

// ---------------------------------------------------------------------------------------------
// helpers

fn server(test: &str) -> Option<Postgres> {
    postgres::start_or_skip(test)
}

/// `dlg` with its own DLG_HOME, the tests' key, and `--store URL --tenant TENANT` after `args`;
/// [`SECRET`] on standard input (for `--param password=-`).
fn dlg(home: &Path, store: &str, tenant: &str, args: &[&str]) -> Output {
    support::output_with_stdin(
        Command::new(env!("CARGO_BIN_EXE_dlg"))
            .args(args)
            .args(["--store", store, "--tenant", tenant])
            .env("DLG_HOME", home)
            .env("DLG_MASTER_KEY", KEY)
            .env_remove("DLG_STORE")
            .env_remove("DLG_TENANT"),
        format!("{SECRET}\n").as_bytes(),
    )
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Runs `dlg` and expects success; returns what it printed.
fn ok(home: &Path, store: &str, tenant: &str, args: &[&str]) -> String {
    let output = dlg(home, store, tenant, args);
    let printed = text(&output);
    assert!(output.status.success(), "dlg {args:?}: {printed}");
    assert!(
        !printed.contains("hunter2"),
        "URL password shown: {printed}"
    );
    printed
}

/// Runs `dlg` and expects failure; returns what it printed.
fn fails(home: &Path, store: &str, tenant: &str, args: &[&str]) -> String {
    let output = dlg(home, store, tenant, args);
    let printed = text(&output);
    assert!(
        !output.status.success(),
        "dlg {args:?} should fail: {printed}"
    );
    assert!(
        !printed.contains("hunter2"),
        "URL password shown: {printed}"
    );
    printed
}

/// A basic-auth service `shop` and its connection `shop_main`, authorized with [`SECRET`].
fn create_shop(home: &Path, store: &str, tenant: &str) {
    ok(
        home,
        store,
        tenant,
        &[
            "service",
            "create",
            "shop",
            "--auth",
            "basic",
            "--host",
            "127.0.0.1",
        ],
    );
    ok(
        home,
        store,
        tenant,
        &["connection", "create", "shop_main", "--service", "shop"],
    );
    ok(
        home,
        store,
        tenant,
        &[
            "connection",
            "authorize",
            "shop_main",
            "--param",
            "username=ann",
            "--param",
            "password=-",
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// CRUD, tenants, secrets

#[test]
fn crud_through_the_cli_with_a_postgres_store() {
    let Some(pg) = server("crud_through_the_cli_with_a_postgres_store") else {
        return;
    };
    pg.create_database("crud");
    let url = pg.url("crud");
    let home = tempfile::tempdir().unwrap();
    create_shop(home.path(), &url, "default");
    let list = ok(home.path(), &url, "default", &["connection", "list"]);
    assert!(list.contains("shop_main"), "{list}");
    let show = ok(
        home.path(),
        &url,
        "default",
        &["connection", "show", "shop_main", "--json"],
    );
    assert!(show.contains("\"connected\""), "{show}");
    assert!(!show.contains(SECRET), "{show}");
    let services = ok(home.path(), &url, "default", &["service", "show", "shop"]);
    assert!(services.contains("127.0.0.1"), "{services}");
    ok(
        home.path(),
        &url,
        "default",
        &["connection", "revoke", "shop_main"],
    );
    let show = ok(
        home.path(),
        &url,
        "default",
        &["connection", "show", "shop_main", "--json"],
    );
    assert!(show.contains("\"disconnected\""), "{show}");
    ok(
        home.path(),
        &url,
        "default",
        &["connection", "delete", "shop_main"],
    );
    ok(home.path(), &url, "default", &["service", "delete", "shop"]);
    let list = ok(
        home.path(),
        &url,
        "default",
        &["connection", "list", "--names"],
    );
    assert!(list.trim().is_empty(), "{list}");
    assert!(
        !home.path().join("connections.json").exists(),
        "nothing was written to the file store"
    );
}

#[test]
fn no_secret_reaches_the_database_in_clear() {
    let Some(pg) = server("no_secret_reaches_the_database_in_clear") else {
        return;
    };
    pg.create_database("secrets");
    let url = pg.url("secrets");
    let home = tempfile::tempdir().unwrap();
    create_shop(home.path(), &url, "default");
    let rows = pg.sql(
        "secrets",
        "SELECT * FROM dlg_tenants; SELECT * FROM dlg_services; SELECT * FROM dlg_connections;",
    );
    assert!(rows.contains("shop_main"), "the rows are there: {rows}");
    assert!(rows.contains("ciphertext"), "{rows}");
    let dump = pg.dump("secrets");
    assert!(
        !dump.contains(SECRET),
        "the password is in the database in clear"
    );
    assert!(!dump.contains(KEY), "the master key is in the database");
}

#[test]
fn one_tenant_never_sees_another_through_any_command() {
    let Some(pg) = server("one_tenant_never_sees_another_through_any_command") else {
        return;
    };
    pg.create_database("tenants");
    let url = pg.url("tenants");
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    create_shop(h, &url, "acme");
    assert!(ok(h, &url, "acme", &["connection", "list", "--names"]).contains("shop_main"));
    assert!(ok(h, &url, "globex", &["connection", "list", "--names"])
        .trim()
        .is_empty());
    assert!(!ok(h, &url, "globex", &["service", "list", "--json"]).contains("\"shop\""));
    for args in [
        &["connection", "show", "shop_main"][..],
        &["connection", "revoke", "shop_main"],
        &["connection", "delete", "shop_main"],
        &[
            "connection",
            "authorize",
            "shop_main",
            "--param",
            "username=x",
            "--param",
            "password=-",
        ],
        &["connection", "edit", "shop_main", "--display-name", "Mine"],
    ] {
        let printed = fails(h, &url, "globex", args);
        assert!(
            printed.contains("connection \"shop_main\" does not exist"),
            "{args:?}: {printed}"
        );
    }
    for args in [
        &["service", "show", "shop"][..],
        &["service", "delete", "shop"],
    ] {
        let printed = fails(h, &url, "globex", args);
        assert!(printed.contains("\"shop\""), "{args:?}: {printed}");
    }
    let printed = fails(
        h,
        &url,
        "globex",
        &["connection", "create", "mine", "--service", "shop"],
    );
    assert!(printed.contains("\"shop\""), "{printed}");
    // `dlg run`: invokeurl with another tenant's connection.
    let script = h.join("use.dg");
    std::fs::write(
        &script,
        "r = invokeurl\n[\n  url: \"http://127.0.0.1:9/x\"\n  type: GET\n  connection: \"shop_main\"\n];\ninfo r;\n",
    )
    .unwrap();
    let printed = fails(h, &url, "globex", &["run", script.to_str().unwrap()]);
    assert!(printed.contains("\"shop_main\""), "{printed}");
    assert!(printed.contains("does not exist"), "{printed}");
    // `dlg test --record` (the mode that uses the store's connections).
    let tests = h.join("suite");
    std::fs::create_dir(&tests).unwrap();
    std::fs::write(
        tests.join("use_test.dg"),
        "void testUse()\n{\n  r = invokeurl\n  [\n    url: \"http://127.0.0.1:9/x\"\n    type: GET\n    connection: \"shop_main\"\n  ];\n}\n",
    )
    .unwrap();
    let suite = tests.to_str().unwrap();
    let missing = "connection \"shop_main\" does not exist";
    let printed = text(&dlg(h, &url, "globex", &["test", "--record", suite]));
    assert!(printed.contains(missing), "{printed}");
    let printed = text(&dlg(h, &url, "acme", &["test", "--record", suite]));
    assert!(!printed.contains(missing), "{printed}");
    // The REPL's :connections.
    let repl = |tenant: &str| {
        let output = support::output_with_stdin(
            Command::new(env!("CARGO_BIN_EXE_dlg"))
                .args(["repl", "--store", &url, "--tenant", tenant])
                .env("DLG_HOME", h)
                .env("DLG_MASTER_KEY", KEY)
                .env("NO_COLOR", "1"),
            b":connections\n",
        );
        text(&output)
    };
    assert!(repl("acme").contains("shop_main"), "{}", repl("acme"));
    assert!(!repl("globex").contains("shop_main"), "{}", repl("globex"));
    // DLG_TENANT chooses the tenant too; the owner still has everything.
    let output = Command::new(env!("CARGO_BIN_EXE_dlg"))
        .args(["connection", "list", "--names", "--store", &url])
        .env("DLG_HOME", h)
        .env("DLG_MASTER_KEY", KEY)
        .env("DLG_TENANT", "acme")
        .output()
        .unwrap();
    assert!(text(&output).contains("shop_main"), "{}", text(&output));
    let printed = fails(h, &url, "../escape", &["connection", "list"]);
    assert!(
        printed.contains("the tenant name \"../escape\" is not valid"),
        "{printed}"
    );
}

#[test]
fn a_database_store_needs_the_key_and_refuses_another_one() {
    let Some(pg) = server("a_database_store_needs_the_key_and_refuses_another_one") else {
        return;
    };
    pg.create_database("keys");
    let url = pg.url("keys");
    let home = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_dlg"))
        .args([
            "service", "create", "shop", "--auth", "basic", "--store", &url,
        ])
        .env("DLG_HOME", home.path())
        .env_remove("DLG_MASTER_KEY")
        .output()
        .unwrap();
    let printed = text(&output);
    assert!(!output.status.success());
    assert!(printed.contains("needs DLG_MASTER_KEY"), "{printed}");
    assert!(!printed.contains("hunter2"), "{printed}");
    create_shop(home.path(), &url, "default");
    let store = Store::postgres(&url, "default")
        .unwrap()
        .with_master_key(Some(OTHER_KEY));
    let error = store.load().unwrap_err().to_string();
    assert!(
        error.contains("is not the key the connection store"),
        "{error}"
    );
    // Rows edited behind dlg's back (a host redirected) are refused.
    pg.sql(
        "keys",
        "UPDATE dlg_services SET definition = replace(definition, '127.0.0.1', 'evil.example')",
    );
    let printed = fails(home.path(), &url, "default", &["connection", "list"]);
    assert!(printed.contains("was changed outside dlg"), "{printed}");
}

#[test]
fn the_url_password_never_shows() {
    let unused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("postgres://app:hunter2@127.0.0.1:{unused}/nowhere");
    let home = tempfile::tempdir().unwrap();
    let printed = fails(
        home.path(),
        &url,
        "default",
        &["connection", "list", "--verbose"],
    );
    assert!(printed.contains("could not connect"), "{printed}");
    assert!(
        printed.contains("postgres://app:***@127.0.0.1"),
        "{printed}"
    );
    let store = Store::postgres(&url, "default").unwrap();
    assert!(!format!("{store:?}").contains("hunter2"));
    let error = Store::postgres("postgres://app:hunter2@127.0.0.1:notaport/x", "default")
        .unwrap_err()
        .to_string();
    assert!(error.contains("read the store URL"), "{error}");
    assert!(!error.contains("hunter2"), "{error}");
}

#[test]
fn migrations_are_idempotent_and_a_newer_schema_is_refused() {
    let Some(pg) = server("migrations_are_idempotent_and_a_newer_schema_is_refused") else {
        return;
    };
    pg.create_database("schema");
    let url = pg.url("schema");
    // Four processes meet an empty database at once: one creates the schema, none fails.
    let home = tempfile::tempdir().unwrap();
    let first: Vec<Child> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_dlg"))
                .args(["connection", "list", "--names", "--store", &url])
                .env("DLG_HOME", home.path())
                .env("DLG_MASTER_KEY", KEY)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in first {
        finished(child);
    }
    create_shop(home.path(), &url, "default");
    ok(home.path(), &url, "default", &["connection", "list"]);
    assert_eq!(
        pg.sql("schema", "SELECT version FROM dlg_schema_version")
            .trim(),
        "1"
    );
    pg.sql("schema", "UPDATE dlg_schema_version SET version = 99");
    let printed = fails(home.path(), &url, "default", &["connection", "list"]);
    assert!(
        printed.contains("has schema version 99, written by a newer dlg"),
        "{printed}"
    );
}

// ---------------------------------------------------------------------------------------------
// dlg store copy

fn copy(home: &Path, from: &str, to: &str, extra: &[&str], target_key: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dlg"));
    command
        .args(["store", "copy", "--from", from, "--to", to])
        .args(extra)
        .env("DLG_HOME", home)
        .env("DLG_MASTER_KEY", KEY)
        .env_remove("DLG_TARGET_MASTER_KEY");
    if let Some(key) = target_key {
        command.env("DLG_TARGET_MASTER_KEY", key);
    }
    command.output().unwrap()
}

fn basic_password(store: &Store) -> String {
    match store.load().unwrap().credentials("shop_main").unwrap() {
        Some(Credentials::Basic { password, .. }) => password.expose().to_owned(),
        other => panic!("basic credentials expected, got {other:?}"),
    }
}

#[test]
fn store_copy_both_ways_re_encrypting_secrets() {
    let Some(pg) = server("store_copy_both_ways_re_encrypting_secrets") else {
        return;
    };
    pg.create_database("copies");
    let url = pg.url("copies");
    let files = tempfile::tempdir().unwrap();
    let source = files.path().join("source");
    let source_str = source.to_str().unwrap();
    // A file store keyed by DLG_MASTER_KEY, copied to the database under another key.
    create_shop(files.path(), source_str, "default");
    let output = copy(
        files.path(),
        source_str,
        &url,
        &["--to-tenant", "acme"],
        Some(OTHER_KEY),
    );
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("copied 1 service(s) and 1 connection(s)"),
        "{}",
        text(&output)
    );
    assert!(!text(&output).contains("hunter2"), "{}", text(&output));
    let in_db = Store::postgres(&url, "acme")
        .unwrap()
        .with_master_key(Some(OTHER_KEY));
    assert_eq!(basic_password(&in_db), SECRET);
    let with_old_key = Store::postgres(&url, "acme")
        .unwrap()
        .with_master_key(Some(KEY));
    assert!(
        with_old_key.load().is_err(),
        "re-encrypted under the target key"
    );
    assert!(!pg.dump("copies").contains(SECRET));
    // And back to a new folder, under DLG_MASTER_KEY again.
    let back = files.path().join("back");
    let back_str = back.to_str().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_dlg"))
        .args([
            "store",
            "copy",
            "--from",
            &url,
            "--from-tenant",
            "acme",
            "--to",
            back_str,
        ])
        .env("DLG_MASTER_KEY", OTHER_KEY)
        .env("DLG_TARGET_MASTER_KEY", KEY)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    let in_files = Store::at(&back).with_master_key(Some(KEY));
    assert_eq!(basic_password(&in_files), SECRET);
    let raw = std::fs::read_to_string(back.join("connections.json")).unwrap();
    assert!(!raw.contains(SECRET));
    let printed = fails(
        files.path(),
        &url,
        "default",
        &["store", "copy", "--from", &url, "--to", &url],
    );
    assert!(printed.contains("--from and --to both name"), "{printed}");
}

/// Every row of the store's tables, in a stable order.
fn rows(pg: &Postgres, database: &str) -> String {
    pg.sql(
        database,
        "SELECT * FROM dlg_tenants ORDER BY 1; SELECT * FROM dlg_services ORDER BY 1, 2; \
         SELECT * FROM dlg_connections ORDER BY 1, 2;",
    )
}

#[test]
fn a_failed_store_copy_leaves_the_target_unchanged() {
    let Some(pg) = server("a_failed_store_copy_leaves_the_target_unchanged") else {
        return;
    };
    pg.create_database("atomic");
    let url = pg.url("atomic");
    let files = tempfile::tempdir().unwrap();
    let source = files.path().join("source");
    let source_str = source.to_str().unwrap();
    create_shop(files.path(), source_str, "default");
    ok(
        files.path(),
        source_str,
        "default",
        &["connection", "create", "boom", "--service", "shop"],
    );
    // A name the target already holds: nothing is copied.
    ok(
        files.path(),
        &url,
        "default",
        &["service", "create", "shop", "--auth", "basic"],
    );
    let before = rows(&pg, "atomic");
    let output = copy(files.path(), source_str, &url, &[], None);
    assert!(!output.status.success());
    assert!(
        text(&output).contains("already holds service \"shop\"; nothing was copied"),
        "{}",
        text(&output)
    );
    assert_eq!(rows(&pg, "atomic"), before);
    // The database fails half-way (a trigger refuses the second connection): rolled back.
    pg.sql(
        "atomic",
        "CREATE FUNCTION refuse_boom() RETURNS trigger AS $$ BEGIN \
           IF NEW.link_name = 'boom' THEN RAISE EXCEPTION 'refused by a test trigger'; END IF; \
           RETURN NEW; END $$ LANGUAGE plpgsql; \
         CREATE TRIGGER refuse_boom BEFORE INSERT ON dlg_connections \
           FOR EACH ROW EXECUTE FUNCTION refuse_boom();",
    );
    let output = copy(files.path(), source_str, &url, &["--replace"], None);
    assert!(!output.status.success());
    assert!(
        text(&output).contains("refused by a test trigger"),
        "{}",
        text(&output)
    );
    assert_eq!(rows(&pg, "atomic"), before);
    // A file target: a clash leaves the file byte for byte as it was.
    let target = files.path().join("target");
    let target_str = target.to_str().unwrap();
    ok(
        files.path(),
        target_str,
        "default",
        &["service", "create", "shop", "--auth", "basic"],
    );
    let file_before = std::fs::read(target.join("connections.json")).unwrap();
    let output = copy(files.path(), source_str, target_str, &[], None);
    assert!(!output.status.success());
    assert_eq!(
        std::fs::read(target.join("connections.json")).unwrap(),
        file_before
    );
}

// ---------------------------------------------------------------------------------------------
// One refresh for the fleet

/// A script making `calls` invokeurl calls with `acct` and printing how many saw the user.
fn calls_script(dir: &Path, base: &str, calls: usize) -> std::path::PathBuf {
    let list: Vec<String> = (1..=calls).map(|n| n.to_string()).collect();
    let script = dir.join("calls.dg");
    std::fs::write(
        &script,
        format!(
            "ok = 0;\nfor each n in {{{}}}\n{{\n  r = invokeurl\n  [\n    url: \"{base}/me\"\n    type: GET\n    connection: \"acct\"\n  ];\n  if(r.get(\"sub\") == \"alice\")\n  {{\n    ok = ok + 1;\n  }}\n}}\ninfo \"OK \" + ok;\n",
            list.join(",")
        ),
    )
    .unwrap();
    script
}

/// A `dlg run` of `script` against the database, with a DLG_HOME of its own.
fn spawn_run(url: &str, script: &Path, hold_lock: bool) -> (Child, tempfile::TempDir) {
    let home = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_dlg"));
    command
        .arg("run")
        .arg(script)
        .args(["--store", url])
        .env("DLG_HOME", home.path())
        .env("DLG_MASTER_KEY", KEY)
        .env_remove("DLG_TENANT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if hold_lock {
        command.env("DLG_TEST_HOLD_REFRESH_LOCK_MS", "120000");
    }
    (command.spawn().expect("dlg run"), home)
}

fn finished(child: Child) -> String {
    let output = child.wait_with_output().unwrap();
    let printed = text(&output);
    assert!(output.status.success(), "{printed}");
    printed
}

#[test]
fn four_processes_two_hundred_calls_one_refresh() {
    let Some(pg) = server("four_processes_two_hundred_calls_one_refresh") else {
        return;
    };
    pg.create_database("fleet");
    let url = pg.url("fleet");
    let peer = oidc::start();
    let base = peer.base_url();
    let store = oidc_store::authorized(&url, "default", KEY, &base);
    let scripts = tempfile::tempdir().unwrap();
    let script = calls_script(scripts.path(), &base, 50);
    let started = std::time::Instant::now();
    let runs: Vec<_> = (0..4).map(|_| spawn_run(&url, &script, false)).collect();
    for (child, _home) in runs {
        let printed = finished(child);
        assert!(printed.contains("OK 50"), "{printed}");
    }
    eprintln!(
        "MEASURE 4 dlg run processes x 50 invokeurl calls (shared database): {:?}",
        started.elapsed()
    );
    assert_eq!(oidc_store::refreshes(&peer), 1, "{:?}", peer.stdout_lines());
    // No refresh token was reused (oidc-provider would have revoked the grant): the stored
    // one still refreshes.
    oidc_store::expire(&store);
    let script = calls_script(scripts.path(), &base, 1);
    let (child, _home) = spawn_run(&url, &script, false);
    assert!(finished(child).contains("OK 1"));
    assert_eq!(oidc_store::refreshes(&peer), 2);
}

#[test]
fn a_process_killed_holding_the_refresh_lock_loses_nothing() {
    let Some(pg) = server("a_process_killed_holding_the_refresh_lock_loses_nothing") else {
        return;
    };
    pg.create_database("killed");
    let url = pg.url("killed");
    let peer = oidc::start();
    let base = peer.base_url();
    oidc_store::authorized(&url, "default", KEY, &base);
    let scripts = tempfile::tempdir().unwrap();
    let script = calls_script(scripts.path(), &base, 10);
    let (mut holder, _holder_home) = spawn_run(&url, &script, true);
    let mut stderr = BufReader::new(holder.stderr.take().unwrap());
    let mut line = String::new();
    while stderr.read_line(&mut line).unwrap() > 0 && !line.contains("holding the refresh lock") {
        line.clear();
    }
    assert!(
        line.contains("holding the refresh lock of \"acct\""),
        "{line}"
    );
    let others: Vec<_> = (0..3).map(|_| spawn_run(&url, &script, false)).collect();
    thread::sleep(Duration::from_millis(500));
    holder.kill().unwrap();
    holder.wait().unwrap();
    for (child, _home) in others {
        let printed = finished(child);
        assert!(printed.contains("OK 10"), "{printed}");
    }
    assert_eq!(oidc_store::refreshes(&peer), 1, "{:?}", peer.stdout_lines());
}

#[test]
fn concurrent_writers_lose_nothing() {
    let Some(pg) = server("concurrent_writers_lose_nothing") else {
        return;
    };
    pg.create_database("writers");
    let url = pg.url("writers");
    let home = tempfile::tempdir().unwrap();
    ok(
        home.path(),
        &url,
        "default",
        &["service", "create", "shop", "--auth", "basic"],
    );
    let threads: Vec<_> = (0..8)
        .map(|n| {
            let store = Store::postgres(&url, "default")
                .unwrap()
                .with_master_key(Some(KEY));
            thread::spawn(move || {
                store
                    .update(|tx| {
                        // A read inside a write (another session) must not wait on this one.
                        let seen = store.load()?.connections().count();
                        tx.add_connection(Connection::new(&format!("c{n}"), "C", "shop", now()))?;
                        Ok(seen)
                    })
                    .unwrap()
            })
        })
        .collect();
    for handle in threads {
        handle.join().unwrap();
    }
    let names = ok(
        home.path(),
        &url,
        "default",
        &["connection", "list", "--names"],
    );
    assert_eq!(names.lines().count(), 8, "{names}");
}
