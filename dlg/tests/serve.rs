//! `dlg serve` as a process on a free loopback port: the answers (Zoho's function REST API
//! shape), every error status, API keys, limits, the bounded queue, graceful shutdown, reload,
//! metrics and the access log, and a function calling httpbin with `invokeurl`.

#[path = "../../tests/support/mod.rs"]
mod support;

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::httpbin;
use support::serve::{client, Server};

const FUNCTIONS: &str = r#"string hello(string name)
{
	info "greeting " + name;
	return "Hello, " + name + "!";
}

int add(int a, int b)
{
	return a + b;
}

map tally(map data, list items)
{
	data.put("count", items.size());
	return data;
}

string fails(int n)
{
	x = 10 / n;
	return "ok";
}

string spin()
{
	l = {1,2,3,4,5,6,7,8,9,10};
	for each a in l { for each b in l { for each c in l { for each d in l {
		for each e in l { for each f in l { for each g in l { for each h in l { x = 1; } } } }
	} } } }
	return "never";
}

string slow(string base)
{
	r = invokeurl [ url: base + "/delay/2" type: GET ];
	return "done";
}

string fetch(string base, string who)
{
	r = invokeurl [ url: base + "/get?who=" + who type: GET ];
	return r.get("args").get("who");
}
"#;

/// A folder with the functions file and a `DLG_HOME`.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir(site.scripts()).unwrap();
        std::fs::create_dir(site.home()).unwrap();
        site.write("api.dg", FUNCTIONS);
        site
    }

    fn scripts(&self) -> PathBuf {
        self.dir.path().join("scripts")
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.scripts().join(name), text).unwrap();
    }

    fn dlg(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_dlg"))
            .args(args)
            .env("DLG_HOME", self.home())
            .output()
            .unwrap()
    }

    /// Makes an API key and returns it.
    fn key(&self, name: &str) -> String {
        let out = self.dlg(&["serve", "key", "create", name]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    /// Starts `dlg serve` on the scripts folder with `flags`.
    fn serve(&self, flags: &[&str]) -> Server {
        Server::start(&self.home(), &self.scripts(), flags)
    }
}

/// Status and JSON body of a response.
fn answer(response: reqwest::blocking::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    (status, body)
}

fn post_json(server: &Server, function: &str, body: Value) -> (u16, Value) {
    answer(
        client()
            .post(server.url(&format!("/functions/{function}/execute")))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .unwrap(),
    )
}

#[test]
fn answers_like_zohos_function_api_with_output_and_info_lines() {
    let site = Site::new();
    let server = site.serve(&["--public"]);
    let (status, body) = post_json(&server, "hello", json!({"name": "Ada"}));
    assert_eq!(status, 200);
    assert_eq!(body["code"], "success");
    assert_eq!(body["message"], "function executed successfully");
    assert_eq!(body["details"]["output"], "Hello, Ada!");
    assert_eq!(body["details"]["output_type"], "string");
    assert_eq!(body["details"]["userMessage"], json!(["greeting Ada"]));
    assert!(body["details"]["id"]
        .as_str()
        .is_some_and(|id| !id.is_empty()));

    let (status, body) = post_json(&server, "tally", json!({"data": {"a": 1}, "items": [1, 2]}));
    assert_eq!(
        (status, body["details"]["output_type"].clone()),
        (200, json!("map"))
    );
    assert_eq!(
        serde_json::from_str::<Value>(body["details"]["output"].as_str().unwrap()).unwrap(),
        json!({"a": 1, "count": 2})
    );
}

#[test]
fn arguments_come_from_the_query_a_form_or_zohos_arguments_parameter() {
    let site = Site::new();
    let server = site.serve(&["--public"]);
    let get = client()
        .get(server.url("/functions/add/execute?a=2&b=40"))
        .send()
        .unwrap();
    assert_eq!(answer(get).1["details"]["output"], "42");
    let form = client()
        .post(server.url("/functions/ADD/execute"))
        .form(&[("a", "1"), ("b", "2")])
        .send()
        .unwrap();
    assert_eq!(answer(form).1["details"]["output"], "3");
    let zoho = client()
        .post(server.url("/functions/add/execute"))
        .form(&[("arguments", r#"{"a":5,"b":6}"#)])
        .send()
        .unwrap();
    assert_eq!(answer(zoho).1["details"]["output"], "11");
    let zoho_url = client()
        .get(server.url(
            "/functions/add/actions/execute?auth_type=apikey&arguments=%7B%22a%22%3A1%2C%22b%22%3A1%7D",
        ))
        .send()
        .unwrap();
    assert_eq!(answer(zoho_url).1["details"]["output"], "2");
}

#[test]
fn bad_arguments_are_400_with_the_reason() {
    let site = Site::new();
    let server = site.serve(&["--public"]);
    let cases = [
        (
            json!({"a": 1, "c": 2}),
            "`add` has no parameter `c` (parameters: int a, int b)",
        ),
        (
            json!({"a": "x", "b": 2}),
            "argument `a` is int, and \"x\" is not a whole number",
        ),
        (
            json!([1, 2]),
            "the JSON body must be an object of arguments by name, not a JSON array",
        ),
    ];
    for (body, message) in cases {
        let (status, answer) = post_json(&server, "add", body);
        assert_eq!(
            (status, answer["code"].clone()),
            (400, json!("INVALID_DATA"))
        );
        assert_eq!(answer["message"], message);
    }
    let broken = client()
        .post(server.url("/functions/add/execute"))
        .header("content-type", "application/json")
        .body("{\"a\": ")
        .send()
        .unwrap();
    let (status, body) = answer(broken);
    assert_eq!(status, 400);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .starts_with("the body is not valid JSON"));
}

#[test]
fn unknown_functions_and_paths_are_404() {
    let site = Site::new();
    let server = site.serve(&["--public"]);
    let (status, body) = post_json(&server, "nosuch", json!({}));
    assert_eq!(
        (status, body["code"].clone()),
        (404, json!("FUNCTION_NOT_FOUND"))
    );
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("no function named `nosuch`"));
    let (status, body) = answer(client().get(server.url("/elsewhere")).send().unwrap());
    assert_eq!(
        (status, body["code"].clone()),
        (404, json!("INVALID_URL_PATTERN"))
    );
}

#[test]
fn a_script_error_gives_its_message_and_line_and_no_trace() {
    let site = Site::new();
    let server = site.serve(&["--public"]);
    let (status, body) = post_json(&server, "fails", json!({"n": 0}));
    assert_eq!(status, 500);
    assert_eq!(
        body,
        json!({
            "code": "failure_in_execution",
            "details": {"id": body["details"]["id"], "line": 20},
            "message": "division by zero",
        })
    );
}

#[test]
fn api_keys_missing_wrong_and_revoked_are_401() {
    let site = Site::new();
    let key = site.key("ci");
    let stored = std::fs::read_to_string(site.home().join("serve-keys.json")).unwrap();
    assert!(!stored.contains(&key), "the key is stored in clear");
    let server = site.serve(&[]);
    let url = server.url("/functions/add/execute?a=1&b=2");

    let (status, body) = answer(client().get(&url).send().unwrap());
    assert_eq!(
        (status, body["code"].clone()),
        (401, json!("AUTHENTICATION_FAILURE"))
    );
    assert!(body["message"].as_str().unwrap().contains("zapikey"));
    let wrong = client()
        .get(format!("{url}&zapikey=dlg_wrong"))
        .send()
        .unwrap();
    assert_eq!(wrong.headers()["www-authenticate"], "Bearer");
    let (status, body) = answer(wrong);
    assert_eq!(
        (status, body["code"].clone()),
        (401, json!("INVALID_TOKEN"))
    );

    let by_query = client().get(format!("{url}&zapikey={key}")).send().unwrap();
    assert_eq!(answer(by_query).0, 200);
    let by_header = client().get(&url).bearer_auth(&key).send().unwrap();
    assert_eq!(answer(by_header).0, 200);

    let out = site.dlg(&["serve", "key", "list"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ci\t"));
    assert!(site.dlg(&["serve", "key", "revoke", "ci"]).status.success());
    let revoked = client().get(&url).bearer_auth(&key).send().unwrap();
    let (status, body) = answer(revoked);
    assert_eq!(
        (status, body["code"].clone()),
        (401, json!("INVALID_TOKEN"))
    );

    let log = server.log();
    assert!(!log.contains(&key), "the key reached the log:\n{log}");
    assert!(log.contains("query=\"a=1&b=2&zapikey=REDACTED\""), "{log}");
    assert!(log.contains("key=ci"), "{log}");
}

#[test]
fn a_body_over_the_limit_is_413() {
    let site = Site::new();
    let server = site.serve(&["--public", "--max-body", "100"]);
    let name = "x".repeat(1000);
    let (status, body) = post_json(&server, "hello", json!({ "name": name }));
    assert_eq!(
        (status, body["code"].clone()),
        (413, json!("REQUEST_ENTITY_TOO_LARGE"))
    );
    assert_eq!(
        body["message"],
        "the request body is larger than the limit of 100 bytes (--max-body)"
    );
    assert_eq!(post_json(&server, "hello", json!({"name": "Al"})).0, 200);
}

#[test]
fn the_time_and_statement_limits_are_408() {
    let site = Site::new();
    let timed = site.serve(&["--public", "--timeout", "0.3", "--max-statements", "0"]);
    let started = Instant::now();
    let (status, body) = post_json(&timed, "spin", json!({}));
    assert_eq!(
        (status, body["code"].clone()),
        (408, json!("LIMIT_EXCEEDED"))
    );
    assert_eq!(
        body["message"],
        "the script ran longer than its time limit of 0.3 s"
    );
    assert!(started.elapsed() < Duration::from_secs(10));

    let counted = site.serve(&["--public", "--max-statements", "1000"]);
    let (status, body) = post_json(&counted, "spin", json!({}));
    assert_eq!(status, 408);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .starts_with("Maximum number of executable statements exceeded"));
    assert!(body["details"]["line"].as_u64().is_some());
}

#[test]
fn a_full_queue_is_503() {
    let base = httpbin::shared().url("");
    let site = Site::new();
    let server = Arc::new(site.serve(&[
        "--public",
        "--allow-private",
        "--workers",
        "1",
        "--max-queue",
        "0",
    ]));
    let busy = Arc::clone(&server);
    let slow_base = base.clone();
    let slow = std::thread::spawn(move || post_json(&busy, "slow", json!({"base": slow_base})));
    std::thread::sleep(Duration::from_millis(500));
    let refused = client()
        .post(server.url("/functions/hello/execute"))
        .header("content-type", "application/json")
        .body(json!({"name": "B"}).to_string())
        .send()
        .unwrap();
    assert_eq!(refused.headers()["retry-after"], "1");
    let (status, body) = answer(refused);
    assert_eq!((status, body["code"].clone()), (503, json!("SERVER_BUSY")));
    assert_eq!(slow.join().unwrap().1["details"]["output"], "done");
    assert_eq!(post_json(&server, "hello", json!({"name": "C"})).0, 200);
}

#[test]
fn sigterm_finishes_calls_in_flight_and_refuses_new_ones() {
    let base = httpbin::shared().url("");
    let site = Site::new();
    let server = Arc::new(site.serve(&["--public", "--allow-private"]));
    let busy = Arc::clone(&server);
    let slow = std::thread::spawn(move || post_json(&busy, "slow", json!({"base": base})));
    std::thread::sleep(Duration::from_millis(500));
    server.terminate();
    server.wait_for_log("msg=shutting_down in_flight=1");
    let refused = client().get(server.url("/healthz")).send();
    assert!(refused.is_err(), "a new call was accepted after SIGTERM");
    let (status, body) = slow.join().unwrap();
    assert_eq!(
        (status, body["details"]["output"].clone()),
        (200, json!("done"))
    );
    server.wait_for_log("msg=stopped");
}

#[test]
fn a_changed_file_is_reloaded_and_a_broken_one_keeps_the_old_version() {
    let site = Site::new();
    site.write("version.dg", "int version() { return 1; }");
    let server = site.serve(&["--public"]);
    let version = || post_json(&server, "version", json!({})).1["details"]["output"].clone();
    assert_eq!(version(), "1");

    site.write("version.dg", "int version() { return 22; }");
    server.wait_for_log("msg=reloaded");
    assert_eq!(version(), "22");

    site.write("version.dg", "int version() { return 3 }}");
    server.wait_for_log("msg=reload_failed");
    assert_eq!(version(), "22");
    let log = server.log();
    assert!(
        log.contains("version.dg:1:"),
        "the reason is not logged:\n{log}"
    );
    assert!(log.contains("keeping the previous version"), "{log}");
}

#[test]
fn metrics_and_health() {
    let site = Site::new();
    let server = site.serve(&["--public"]);
    post_json(&server, "hello", json!({"name": "A"}));
    post_json(&server, "hello", json!({"name": "B"}));
    post_json(&server, "fails", json!({"n": 0}));
    post_json(&server, "nosuch", json!({}));
    let (status, health) = answer(client().get(server.url("/healthz")).send().unwrap());
    assert_eq!(
        (status, health),
        (200, json!({"status": "ok", "functions": 7}))
    );

    let metrics = client().get(server.url("/metrics")).send().unwrap();
    assert!(metrics.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = metrics.text().unwrap();
    for line in [
        "dlg_serve_requests_total{function=\"hello\",status=\"200\"} 2",
        "dlg_serve_requests_total{function=\"fails\",status=\"500\"} 1",
        "dlg_serve_requests_total{function=\"\",status=\"404\"} 1",
        "dlg_serve_request_duration_seconds_bucket{function=\"hello\",le=\"+Inf\"} 2",
        "dlg_serve_request_duration_seconds_count{function=\"hello\"} 2",
        "dlg_serve_in_flight 0",
        "dlg_serve_reloads_total{result=\"ok\"} 0",
        "dlg_serve_token_refreshes_total{result=\"ok\"} 0",
        "# TYPE dlg_serve_request_duration_seconds histogram",
    ] {
        assert!(text.contains(line), "no `{line}` in:\n{text}");
    }
}

#[test]
fn a_function_calls_httpbin_with_invokeurl() {
    let base = httpbin::shared().url("");
    let site = Site::new();
    let server = site.serve(&["--public", "--allow-private"]);
    let (status, body) = post_json(&server, "fetch", json!({"base": base, "who": "Ada"}));
    assert_eq!(
        (status, body["details"]["output"].clone()),
        (200, json!("Ada")),
        "{body}"
    );
}

#[test]
fn private_addresses_are_denied_by_default() {
    let base = httpbin::shared().url("");
    let site = Site::new();
    let server = site.serve(&["--public"]);
    let (status, body) = post_json(&server, "fetch", json!({"base": base, "who": "Ada"}));
    let text = body.to_string();
    assert_eq!(status, 500, "{text}");
    assert!(
        text.contains("127.0.0.1"),
        "the refusal names the address: {text}"
    );
    assert!(
        text.contains("loopback"),
        "the refusal names the rule: {text}"
    );
}

#[test]
fn the_access_log_has_one_line_per_request() {
    let site = Site::new();
    let server = site.serve(&["--public"]);
    post_json(&server, "hello", json!({"name": "A"}));
    server.wait_for_log("msg=request");
    let log = server.log();
    let line = log.lines().find(|l| l.contains("msg=request")).unwrap();
    assert!(line.starts_with("ts="), "{line}");
    for field in [
        "level=info",
        "method=POST",
        "path=/functions/hello/execute",
        "status=200",
        "function=hello",
        "duration_ms=",
    ] {
        assert!(line.contains(field), "no {field} in {line}");
    }
    assert!(log.contains("msg=\"PUBLIC: no API key is needed"), "{log}");
}

#[test]
fn serve_without_paths_or_with_a_broken_file_does_not_start() {
    let site = Site::new();
    let out = site.dlg(&["serve"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give the .dg files or folders to serve"));
    site.write("broken.dg", "int b() { return 1 }}");
    let scripts = site.scripts();
    let out = site.dlg(&[
        "serve",
        scripts.to_str().unwrap(),
        "--listen",
        "127.0.0.1:0",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.dg:1:"));
}
