//! A fleet of `dlg serve` processes (each its own DLG_HOME: no shared files) sharing one
//! PostgreSQL store and an OAuth 2 connection to oidc-provider: one refresh for the whole
//! fleet under 200 concurrent calls, a process killed holding the refresh lock loses nothing,
//! and a server of one tenant cannot use another tenant's connection.

#[path = "../../tests/support/mod.rs"]
mod support;

use std::path::PathBuf;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::oidc;
use support::oidc_store;
use support::postgres::{self, Postgres};
use support::serve::{client, Server};

/// The master key of the tests' store (base64 of 32 bytes).
const KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

/// The function the fleet serves: one `invokeurl` to the provider's `/me` with `acct`.
const FUNCTIONS: &str = r#"string whoami(string base)
{
	r = invokeurl
	[
		url: base + "/me"
		type: GET
		connection: "acct"
	];
	return r.get("sub");
}
"#;

/// One "machine": a scripts folder and a DLG_HOME of its own.
struct Machine {
    dir: tempfile::TempDir,
}

impl Machine {
    fn new() -> Machine {
        let machine = Machine {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir(machine.scripts()).unwrap();
        std::fs::create_dir(machine.home()).unwrap();
        std::fs::write(machine.scripts().join("api.dg"), FUNCTIONS).unwrap();
        machine
    }

    fn scripts(&self) -> PathBuf {
        self.dir.path().join("scripts")
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// `dlg serve` of this machine on the database `url` as `tenant`; `hold_lock` sets the
    /// test hook that makes it sleep while holding the refresh lock.
    fn serve(&self, url: &str, tenant: &str, hold_lock: bool) -> Server {
        let flags = [
            "--store",
            url,
            "--tenant",
            tenant,
            "--public",
            "--allow-private",
            "--max-queue",
            "256",
        ];
        let mut env = vec![("DLG_MASTER_KEY", KEY)];
        if hold_lock {
            env.push(("DLG_TEST_HOLD_REFRESH_LOCK_MS", "120000"));
        }
        Server::start_with_env(&self.home(), &self.scripts(), &flags, &env)
    }
}

fn database(test: &str) -> Option<(Postgres, String)> {
    let pg = postgres::start_or_skip(test)?;
    pg.create_database("fleet");
    let url = pg.url("fleet");
    Some((pg, url))
}

/// Calls `whoami` on `server`: the status and the JSON answer (or the transport error).
fn whoami(server_url: &str, base: &str) -> Result<(u16, Value), String> {
    let response = client()
        .post(format!("{server_url}/functions/whoami/execute"))
        .form(&[("base", base)])
        .send()
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let text = response.text().map_err(|e| e.to_string())?;
    let body = serde_json::from_str(&text).map_err(|_| format!("not JSON: {text}"))?;
    Ok((status, body))
}

/// The answer says the call succeeded and saw the provider's user.
fn assert_alice(answer: &Result<(u16, Value), String>) {
    let (status, body) = answer.as_ref().expect("an answer");
    assert_eq!(*status, 200, "{body}");
    assert_eq!(body["details"]["output"], "alice", "{body}");
}

/// `calls` concurrent calls (one thread each, released together), spread round-robin over
/// `servers`; returns every answer.
fn concurrent_calls(
    servers: &[String],
    base: &str,
    calls: usize,
) -> Vec<Result<(u16, Value), String>> {
    let start = Arc::new(Barrier::new(calls));
    let threads: Vec<_> = (0..calls)
        .map(|n| {
            let (server, base, start) = (
                servers[n % servers.len()].clone(),
                base.to_owned(),
                Arc::clone(&start),
            );
            thread::spawn(move || {
                start.wait();
                whoami(&server, &base)
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

#[test]
fn four_servers_two_hundred_concurrent_calls_one_refresh() {
    let Some((_pg, url)) = database("four_servers_two_hundred_concurrent_calls_one_refresh") else {
        return;
    };
    let peer = oidc::start();
    let base = peer.base_url();
    let store = oidc_store::authorized(&url, "default", KEY, &base);
    let machines: Vec<Machine> = (0..4).map(|_| Machine::new()).collect();
    let servers: Vec<Server> = machines
        .iter()
        .map(|m| m.serve(&url, "default", false))
        .collect();
    let urls: Vec<String> = servers.iter().map(|s| s.url("")).collect();
    let started = Instant::now();
    let answers = concurrent_calls(&urls, &base, 200);
    let wall = started.elapsed();
    for answer in &answers {
        assert_alice(answer);
    }
    eprintln!(
        "MEASURE 4 dlg serve processes, 200 concurrent invokeurl calls (shared database, token expired): {wall:?}, {} refresh(es)",
        oidc_store::refreshes(&peer)
    );
    assert_eq!(oidc_store::refreshes(&peer), 1, "{:?}", peer.stdout_lines());
    let mut renewals = 0;
    for server in &servers {
        let metrics = client()
            .get(server.url("/metrics"))
            .send()
            .unwrap()
            .text()
            .unwrap();
        let served = "dlg_serve_requests_total{function=\"whoami\",status=\"200\"}";
        assert_eq!(metric(&metrics, served), 50, "each server took its share");
        assert_eq!(
            metric(
                &metrics,
                "dlg_serve_token_refreshes_total{result=\"failed\"}"
            ),
            0
        );
        renewals += metric(&metrics, "dlg_serve_token_refreshes_total{result=\"ok\"}");
    }
    assert_eq!(
        renewals, 1,
        "one server refreshed, the others used its token"
    );
    // No refresh token was reused (oidc-provider would have revoked the whole grant): the
    // stored one still refreshes, through another server than the first time.
    oidc_store::expire(&store);
    for server in &urls {
        assert_alice(&whoami(server, &base));
    }
    assert_eq!(oidc_store::refreshes(&peer), 2, "{:?}", peer.stdout_lines());
}

/// The value of the sample `name` (with its labels) in Prometheus text, 0 when absent.
fn metric(metrics: &str, name: &str) -> u64 {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn a_server_killed_holding_the_refresh_lock_loses_nothing() {
    let Some((_pg, url)) = database("a_server_killed_holding_the_refresh_lock_loses_nothing")
    else {
        return;
    };
    let peer = oidc::start();
    let base = peer.base_url();
    oidc_store::authorized(&url, "default", KEY, &base);
    let machines: Vec<Machine> = (0..4).map(|_| Machine::new()).collect();
    let mut holder = machines[0].serve(&url, "default", true);
    let others: Vec<Server> = machines[1..]
        .iter()
        .map(|m| m.serve(&url, "default", false))
        .collect();
    let holder_url = holder.url("");
    let base_for_holder = base.clone();
    let doomed = thread::spawn(move || whoami(&holder_url, &base_for_holder));
    holder.wait_for_log("holding the refresh lock of \"acct\"");
    let urls: Vec<String> = others.iter().map(|s| s.url("")).collect();
    let (urls_for_calls, base_for_calls) = (urls.clone(), base.clone());
    let waiting = thread::spawn(move || concurrent_calls(&urls_for_calls, &base_for_calls, 30));
    thread::sleep(Duration::from_millis(500));
    holder.kill();
    assert!(
        doomed.join().unwrap().is_err(),
        "the killed server answered"
    );
    for answer in &waiting.join().unwrap() {
        assert_alice(answer);
    }
    assert_eq!(oidc_store::refreshes(&peer), 1, "{:?}", peer.stdout_lines());
    // Nothing lost: the token the survivors stored keeps serving new calls.
    for answer in &concurrent_calls(&urls, &base, 9) {
        assert_alice(answer);
    }
    assert_eq!(oidc_store::refreshes(&peer), 1);
}

#[test]
fn a_server_of_one_tenant_cannot_use_another_tenants_connection() {
    let Some((_pg, url)) = database("a_server_of_one_tenant_cannot_use_another_tenants_connection")
    else {
        return;
    };
    let peer = oidc::start();
    let base = peer.base_url();
    oidc_store::authorized(&url, "b", KEY, &base);
    let (machine_a, machine_b) = (Machine::new(), Machine::new());
    let server_a = machine_a.serve(&url, "a", false);
    let server_b = machine_b.serve(&url, "b", false);
    let (status, body) = whoami(&server_a.url(""), &base).unwrap();
    let text = body.to_string();
    assert_eq!(status, 500, "{text}");
    assert_eq!(body["code"], "failure_in_execution", "{text}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("connection \"acct\" does not exist"),
        "the error names the connection: {text}"
    );
    assert_eq!(body["details"]["line"], 3, "{text}");
    assert_no_secret(&text);
    assert_no_secret(&server_a.log());
    assert_eq!(
        oidc_store::refreshes(&peer),
        0,
        "tenant a never reached the provider"
    );
    // The same call on tenant b's server works: the connection is there, only not for a.
    assert_alice(&whoami(&server_b.url(""), &base));
    assert_no_secret(&server_b.log());
}

/// Neither the client secret nor the master key appear in `text`.
fn assert_no_secret(text: &str) {
    for secret in ["conf-secret", KEY] {
        assert!(!text.contains(secret), "a secret leaked: {text}");
    }
}
