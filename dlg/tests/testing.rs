//! `dlg test`: discovery, isolation, parallel runs, assertions, errors, exit codes, JUnit
//! (read by junitparser), coverage (rendered by genhtml), cassettes recorded against real
//! servers on 127.0.0.1 and replayed with them stopped, and `dlg run --record/--replay`.

#[path = "../../tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

/// A folder holding `files` (path, text).
fn project(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// `dlg ARGS` in `dir` with `home` as DLG_HOME.
fn dlg_in(dir: &Path, home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dlg"))
        .args(args)
        .current_dir(dir)
        .env("DLG_HOME", home)
        .env("NO_COLOR", "1")
        .env_remove("DLG_MASTER_KEY")
        .output()
        .unwrap()
}

/// `dlg test ARGS` in `dir` with an empty DLG_HOME: (exit code, standard output, standard error).
fn dlg_test(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let home = tempfile::tempdir().unwrap();
    let mut all = vec!["test"];
    all.extend_from_slice(args);
    let output = dlg_in(dir, home.path(), &all);
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The output without the times of the per-test lines.
fn without_times(out: &str) -> String {
    out.lines()
        .map(|line| match line.rfind(" (") {
            Some(at)
                if line.starts_with("PASS ")
                    || line.starts_with("FAIL ")
                    || line.starts_with("SKIP ") =>
            {
                let rest = &line[at..];
                let end = rest.find(')').map_or(rest.len(), |i| i + 1);
                format!("{}{}", &line[..at], &rest[end..])
            }
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The per-test lines, without times.
fn test_lines(out: &str) -> Vec<String> {
    without_times(out)
        .lines()
        .filter(|l| l.starts_with("PASS ") || l.starts_with("FAIL ") || l.starts_with("SKIP "))
        .map(str::to_owned)
        .collect()
}

fn last_line(out: &str) -> &str {
    out.trim_end().lines().last().unwrap_or("")
}

// ------------------------------------------------------------------ discovery and isolation

const CRM_CODE: &str = r#"
int crm.score(map lead) {
    score = 0;
    if (lead.get("email") != null) {
        score = score + 10;
    }
    return score;
}

string label(int score) {
    return "score " + score;
}

list defaults() {
    return {"new"};
}
"#;

#[test]
fn test_files_are_found_recursively_and_call_the_code_beside_them() {
    let dir = project(&[
        ("crm/leads.dg", CRM_CODE),
        (
            "crm/leads_test.dg",
            r#"
void testScoreCountsTheEmail() {
    assertEquals(10, crm.score({"email": "a@b.c"}));
    assertEquals(0, thisapp.crm.score({"name": "x"}));
}
void testLabel() {
    assertEquals("score 3", standalone.label(3));
    assertEquals("score 4", label(4));
}
string helperNotATest() {
    return "x";
}
"#,
        ),
        ("notes.dg", "info \"not a test\";"),
        (
            "more/other_test.dg",
            "void testAlone() { assertTrue(1 < 2); }",
        ),
        (
            ".hidden/skipped_test.dg",
            "void testHidden() { fail(\"hidden folders are skipped\"); }",
        ),
    ]);
    let (code, out, err) = dlg_test(dir.path(), &["--jobs", "1"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        test_lines(&out),
        [
            "PASS crm/leads_test.dg::testScoreCountsTheEmail",
            "PASS crm/leads_test.dg::testLabel",
            "PASS more/other_test.dg::testAlone",
        ]
    );
    assert_eq!(last_line(&out), "3 passed, 0 failed");
    let (code, _, err) = dlg_test(dir.path(), &["notes.dg"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: notes.dg is not a test file: test files end in `_test.dg`\n"
    );
}

#[test]
fn each_test_starts_from_fresh_state() {
    let dir = project(&[
        ("crm/leads.dg", CRM_CODE),
        (
            "crm/leads_test.dg",
            r#"
void testAddsToTheList() {
    items = defaults();
    items.add("changed");
    items.add("again");
    assertEquals(3, items.size());
}
void testTheListIsUntouched() {
    assertEquals({"new"}, defaults());
}
void testTextConstantsAreNotShared() {
    s = "base";
    s += "-more";
    assertEquals("base-more", s);
}
void testTextConstantsAreNotSharedEither() {
    s = "base";
    assertEquals("base", s);
}
"#,
        ),
    ]);
    for jobs in ["1", "4"] {
        let (code, out, _) = dlg_test(dir.path(), &["--jobs", jobs]);
        assert_eq!(code, 0, "{out}");
        assert_eq!(last_line(&out), "4 passed, 0 failed");
    }
}

#[test]
fn parallel_runs_give_the_same_results_as_one_job() {
    let mut tests = String::new();
    for n in 0..40 {
        let expected = if n % 7 == 0 { n + 1 } else { n };
        tests.push_str(&format!(
            "void test{n:02}() {{ total = 0; for each i in {{1,2,3,4,5,6,7,8,9,10}} {{ total = total + i; }} info total; assertEquals({expected}, {n}); }}\n"
        ));
    }
    let dir = project(&[("a/many_test.dg", &tests), ("b/more_test.dg", &tests)]);
    let (code_one, one, _) = dlg_test(dir.path(), &["--jobs", "1"]);
    let (code_many, many, _) = dlg_test(dir.path(), &["--jobs", "8"]);
    assert_eq!(code_one, 1);
    assert_eq!(code_many, 1);
    assert_eq!(without_times(&one), without_times(&many));
    assert_eq!(last_line(&one), "68 passed, 12 failed");
}

// ------------------------------------------------------------------ assertions and errors

const ASSERTIONS_TEST: &str = r#"
void testEveryAssertionPasses() {
    assertEquals(2, 1 + 1);
    assertEquals(1, 1.0);
    assertEquals({"a": {1, 2}}, {"a": {1, 2}}, "maps compare by value");
    assertNotEquals("a", "b");
    assertTrue(3 > 2);
    assertFalse(3 < 2, "never");
    assertNull(null);
    assertNotNull("x");
    assertContains("hello world", "lo w");
    assertContains({1, 2, 3}, 2);
    assertContains({"id": 1}, "id");
}
void testEqualsFails() {
    assertEquals("Open", "Closed", "status after sync");
}
void testEqualsShowsTypes() {
    assertEquals(1, "1");
}
void testListsDiffer() {
    assertEquals({1, 2, 3}, {1, 5});
}
void testNotEqualsFails() {
    assertNotEquals(4, 2 + 2);
}
void testTrueFails() {
    assertTrue("yes");
}
void testFalseFails() {
    assertFalse(true);
}
void testNullFails() {
    assertNull(0);
}
void testNotNullFails() {
    assertNotNull(null, "owner");
}
void testContainsTextFails() {
    assertContains("hello", "bye");
}
void testContainsListFails() {
    assertContains({1, 2}, 3);
}
void testContainsMapFails() {
    assertContains({"id": 1}, "name");
}
void testContainsNeedsAContainer() {
    assertContains(5, 1);
}
void testFail() {
    fail("not written yet");
}
void testSkip() {
    skip("needs the sandbox");
}
void testCaughtStillFails() {
    try {
        assertEquals(1, 2);
    } catch (e) {
        info "caught " + e;
    }
}
"#;

#[test]
fn every_assertion_passes_and_fails_with_its_message() {
    let dir = project(&[("checks_test.dg", ASSERTIONS_TEST)]);
    let (code, out, _) = dlg_test(dir.path(), &["--jobs", "1"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("PASS checks_test.dg::testEveryAssertionPasses"),
        "{out}"
    );
    assert!(out.contains("SKIP checks_test.dg::testSkip ("), "{out}");
    assert!(out.contains("): needs the sandbox\n"), "{out}");
    for expected in [
        "Error: assertEquals failed (status after sync): expected \"Open\", actual \"Closed\"",
        "Error: assertEquals failed: expected 1 (NUMBER), actual \"1\" (TEXT)",
        "Error: assertEquals failed: the LISTs differ",
        "expected: [1,2,3]\nactual:   [1,5]\ndifferences:\n  [1]: expected 2, actual 5\n  [2]: missing in actual (expected 3)",
        "Error: assertNotEquals failed: both are 4",
        "Error: assertTrue failed: expected true, actual TEXT \"yes\"",
        "Error: assertFalse failed: expected false, actual BOOLEAN true",
        "Error: assertNull failed: expected null, actual NUMBER 0",
        "Error: assertNotNull failed (owner): the value is null",
        "Error: assertContains failed: the text does not contain \"bye\"",
        "Error: assertContains failed: the LIST has no item 3",
        "Error: assertContains failed: the KEY-VALUE has no key \"name\"",
        "Error: assertContains needs TEXT, a LIST or a KEY-VALUE as its first argument, not NUMBER 5",
        "Error: fail failed: not written yet",
        "--- checks_test.dg::testCaughtStillFails failed ---\nassertEquals failed: expected 1, actual 2 (a try/catch in the test caught it; the test fails all the same)\nexpected: 1\nactual:   2\ninfo output:\n  caught assertEquals failed: expected 1, actual 2",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    assert!(
        out.contains("--- checks_test.dg::testEqualsFails failed ---"),
        "{out}"
    );
    assert!(
        out.contains("--- checks_test.dg::testContainsNeedsAContainer error ---"),
        "{out}"
    );
    assert!(
        out.contains("checks_test.dg:16:5"),
        "the line and column of the assertion: {out}"
    );
    assert!(
        out.contains(r#"    assertEquals("Open", "Closed", "status after sync");"#),
        "the source line: {out}"
    );
    assert_eq!(last_line(&out), "1 passed, 14 failed, 1 skipped");
}

#[test]
fn an_error_fails_its_test_with_the_call_chain_and_the_others_go_on() {
    let dir = project(&[
        ("calc.dg", "int calc.ratio(int a, int b) {\n    return a / b;\n}\n"),
        (
            "calc_test.dg",
            "void testDivides() {\n    assertEquals(0, calc.ratio(1, 0));\n}\nvoid testStillRuns() {\n    assertEquals(2, calc.ratio(4, 2));\n}\n",
        ),
    ]);
    let (code, out, _) = dlg_test(dir.path(), &["--jobs", "1"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("--- calc_test.dg::testDivides error ---\nError: division by zero"),
        "{out}"
    );
    assert!(
        out.contains("in function `calc.ratio` at calc.dg:2:12"),
        "{out}"
    );
    assert!(
        out.contains("called from function `testDivides` at calc_test.dg:2:21"),
        "{out}"
    );
    assert!(out.contains("PASS calc_test.dg::testStillRuns"), "{out}");
    assert_eq!(last_line(&out), "1 passed, 1 failed");
}

#[test]
fn a_syntax_error_in_a_test_file_exits_2_and_the_other_files_still_run() {
    let dir = project(&[
        ("a/broken_test.dg", "void testBroken() {\n    x = ;\n}\n"),
        ("b/fine_test.dg", "void testFine() { assertTrue(true); }"),
    ]);
    let (code, out, _) = dlg_test(dir.path(), &[]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("--- a/broken_test.dg could not run ---"),
        "{out}"
    );
    assert!(out.contains("a/broken_test.dg:2:9"), "{out}");
    assert!(out.contains("PASS b/fine_test.dg::testFine"), "{out}");
    assert_eq!(last_line(&out), "1 passed, 1 failed");
}

#[test]
fn assertions_are_available_in_test_files_only() {
    let dir = project(&[
        (
            "code.dg",
            "int f() {\n    assertTrue(true);\n    return 1;\n}\n",
        ),
        ("code_test.dg", "void testF() { assertEquals(1, f()); }"),
    ]);
    let (code, out, _) = dlg_test(dir.path(), &[]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("code.dg:2:5"), "{out}");
    assert!(
        out.contains("assertions are available in test files (`*_test.dg`) only"),
        "{out}"
    );
}

#[test]
fn filter_and_usage_errors() {
    let dir = project(&[(
        "a_test.dg",
        "void testOne() { }\nvoid testTwo() { fail(\"two\"); }\n",
    )]);
    let (code, out, _) = dlg_test(dir.path(), &["--filter", "testOne"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(test_lines(&out), ["PASS a_test.dg::testOne"]);
    let (code, _, err) = dlg_test(dir.path(), &["missing"]);
    assert_eq!(
        (code, err.as_str()),
        (2, "error: missing: no such file or folder\n")
    );
    let (code, out, _) = dlg_test(dir.path(), &["--filter", "nothing matches"]);
    assert_eq!((code, last_line(&out)), (0, "0 passed, 0 failed"));
    let empty = tempfile::tempdir().unwrap();
    let (code, _, err) = dlg_test(empty.path(), &[]);
    assert_eq!(
        (code, err.as_str()),
        (0, "no test files (names ending in `_test.dg`) were found\n")
    );
    let params = project(&[("p_test.dg", "void testWithParam(int a) { }")]);
    let (code, out, _) = dlg_test(params.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        out.contains("function `testWithParam` takes 1 argument, but 0 were given"),
        "{out}"
    );
    assert!(out.contains("test functions take no parameters: call the function under test with the values instead"), "{out}");
    let (code, _, err) = dlg_test(dir.path(), &["--junit", "no/such/folder/report.xml"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: cannot write no/such/folder/report.xml: "),
        "{err}"
    );
    let (code, _, err) = dlg_test(dir.path(), &["--jobs", "0"]);
    assert_eq!(
        (code, err.as_str()),
        (2, "error: --jobs needs at least 1\n")
    );
}

// ------------------------------------------------------------------ JUnit and coverage

#[test]
fn junit_output_is_read_by_junitparser() {
    let dir = project(&[
        ("checks_test.dg", ASSERTIONS_TEST),
        ("calc_test.dg", "void testBoom() { x = 1 / 0; }"),
        ("bad/syntax_test.dg", "void testX() { x = ; }"),
    ]);
    let (code, _, _) = dlg_test(dir.path(), &["--junit", "report.xml"]);
    assert_eq!(code, 2);
    let read = support::junitparser::read(&dir.path().join("report.xml"));
    let lines: Vec<&str> = read.lines().collect();
    assert!(
        lines.contains(&"calc_test.dg|testBoom|Error|division by zero"),
        "{read}"
    );
    assert!(
        lines.contains(&"checks_test.dg|testEveryAssertionPasses|Passed|"),
        "{read}"
    );
    assert!(
        lines.contains(&"checks_test.dg|testEqualsFails|Failure|assertEquals failed (status after sync): expected \"Open\", actual \"Closed\""),
        "{read}"
    );
    assert!(
        lines.contains(&"checks_test.dg|testSkip|Skipped|needs the sandbox"),
        "{read}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("bad/syntax_test.dg|(compile)|Error|")),
        "{read}"
    );
    assert_eq!(lines.last(), Some(&"totals 18 13 3 1"), "{read}");
}

#[test]
fn coverage_reports_lines_per_file_and_lcov_renders_with_genhtml() {
    let dir = project(&[
        ("crm/leads.dg", CRM_CODE),
        (
            "crm/leads_test.dg",
            "void testScore() { assertEquals(10, crm.score({\"email\": \"x\"})); }",
        ),
    ]);
    let (code, out, _) = dlg_test(dir.path(), &["--coverage", "--lcov", "cov.info"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("coverage (lines):\n  crm/leads.dg      4/6       66.7%\n  total             4/6       66.7%\n"), "{out}");
    let lcov = std::fs::read_to_string(dir.path().join("cov.info")).unwrap();
    assert!(
        lcov.contains(
            "DA:3,1\nDA:4,1\nDA:5,1\nDA:7,1\nDA:11,0\nDA:15,0\nLF:6\nLH:4\nend_of_record"
        ),
        "{lcov}"
    );
    if let Err(why) = support::genhtml::ensure() {
        eprintln!("skipping the genhtml check: {why}");
        return;
    }
    let html = dir.path().join("html");
    let output = Command::new("genhtml")
        .arg("cov.info")
        .arg("--output-directory")
        .arg(&html)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "genhtml: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let index = std::fs::read_to_string(html.join("index.html")).unwrap();
    assert!(index.contains("66.7"), "{index}");
}

// ------------------------------------------------------------------ cassettes

const CANARY_HEADER: &str = "canary-header-5d1f0a";
const CANARY_QUERY: &str = "canary-query-9b2c7e";

/// `dlg ARGS` in `dir` with `input` on standard input; panics unless it succeeds.
fn dlg_ok(dir: &Path, home: &Path, args: &[&str], input: &str) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dlg"));
    command
        .args(args)
        .current_dir(dir)
        .env("DLG_HOME", home)
        .env_remove("DLG_MASTER_KEY");
    let output = support::output_with_stdin(&mut command, input.as_bytes());
    assert!(
        output.status.success(),
        "dlg {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A connection store with `shop1` (API key: a header and a query parameter holding the
/// canaries) and `acct` (OAuth 2 client credentials from oidc-provider at `oidc_base`).
fn connections(home: &Path, oidc_base: &str) {
    let here = Path::new(".");
    dlg_ok(
        here,
        home,
        &[
            "service",
            "create",
            "shop",
            "--auth",
            "api-key",
            "--host",
            "127.0.0.1",
            "--param",
            "X-Shop-Key:header",
            "--param",
            "shopref:query",
        ],
        "",
    );
    dlg_ok(
        here,
        home,
        &["connection", "create", "shop1", "--service", "shop"],
        "",
    );
    dlg_ok(
        here,
        home,
        &[
            "connection",
            "authorize",
            "shop1",
            "--param",
            "X-Shop-Key=-",
            "--param",
            "shopref=-",
        ],
        &format!("{CANARY_HEADER}\n{CANARY_QUERY}\n"),
    );
    let token_url = format!("{oidc_base}/token");
    dlg_ok(
        here,
        home,
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
            "--client-id",
            "conf",
            "--client-secret",
            "-",
            "--scope-delimiter",
            "space",
            "--host",
            "127.0.0.1",
        ],
        "conf-secret\n",
    );
    dlg_ok(
        here,
        home,
        &[
            "connection",
            "create",
            "acct",
            "--service",
            "idp",
            "--scope",
            "read",
        ],
        "",
    );
    dlg_ok(here, home, &["connection", "authorize", "acct"], "");
}

/// A CRM-style client of httpbin and oidc-provider, and its tests.
fn crm_project(httpbin: &str, oidc: &str) -> TempDir {
    let code = format!(
        r#"
map crm.findLead(string name) {{
    return invokeurl [ url: "{httpbin}/anything/leads" type: GET parameters: {{"name": name}} connection: "shop1" ];
}}

map crm.createLead(map lead) {{
    return invokeurl [ url: "{httpbin}/post" type: POST parameters: lead.toString() headers: {{"Content-Type": "application/json"}} connection: "shop1" ];
}}

map crm.whoAmI() {{
    return invokeurl [ url: "{httpbin}/bearer" type: GET connection: "acct" ];
}}

string crm.note(string text) {{
    return postUrl("{httpbin}/post", {{"note": text}}).toMap().get("form").get("note");
}}

string crm.issuer() {{
    return getUrl("{oidc}/.well-known/openid-configuration").toMap().get("issuer");
}}
"#
    );
    let tests = r#"
void testFindLead() {
    found = crm.findLead("Ada");
    assertEquals("Ada", found.get("args").get("name"));
    info found.get("method");
}
void testCreateLead() {
    created = crm.createLead({"Last_Name": "Lovelace", "Company": "Analytical"});
    assertEquals({"Last_Name": "Lovelace", "Company": "Analytical"}, created.get("json"));
}
void testOAuthConnection() {
    assertEquals(true, crm.whoAmI().get("authenticated"));
}
void testPostUrl() {
    assertEquals("called back", crm.note("called back"));
}
void testIssuer() {
    assertContains(crm.issuer(), "http://");
}
void testRecordedFailureReplaysTheSame() {
    assertEquals("Grace", crm.findLead("Ada").get("args").get("name"));
}
"#;
    project(&[("crm/crm.dg", &code), ("crm/crm_test.dg", tests)])
}

#[test]
fn recorded_against_real_servers_then_replayed_offline_with_the_same_results() {
    let httpbin = support::httpbin::HttpBin::start();
    let oidc = support::oidc::start();
    let home = tempfile::tempdir().unwrap();
    connections(home.path(), &oidc.base_url());
    let dir = crm_project(&httpbin.url(""), &oidc.base_url());
    let recorded = dlg_in(
        dir.path(),
        home.path(),
        &["test", "--record", "--jobs", "1"],
    );
    let recorded_out = String::from_utf8_lossy(&recorded.stdout).into_owned();
    assert_eq!(recorded.status.code(), Some(1), "{recorded_out}");
    assert_eq!(last_line(&recorded_out), "5 passed, 1 failed");
    drop(httpbin);
    drop(oidc);

    let cassette = std::fs::read_to_string(dir.path().join("crm/crm_test.cassette.json")).unwrap();
    for secret in [CANARY_HEADER, CANARY_QUERY, "conf-secret"] {
        assert!(
            !cassette.contains(secret),
            "{secret} leaked into the cassette:\n{cassette}"
        );
    }
    let json: serde_json::Value = serde_json::from_str(&cassette).unwrap();
    let who = &json["tests"]["testOAuthConnection"][0];
    assert_eq!(who["request"]["headers"]["authorization"], "<redacted>");
    assert_eq!(who["response"]["json"]["token"], "<redacted>");
    let find = &json["tests"]["testFindLead"][0]["request"];
    assert!(
        find["url"]
            .as_str()
            .unwrap()
            .ends_with("/anything/leads?name=Ada&shopref=<redacted>"),
        "{find}"
    );
    assert_eq!(find["headers"]["x-shop-key"], "<redacted>");
    let names: Vec<&String> = json["tests"].as_object().unwrap().keys().collect();
    assert_eq!(
        names,
        [
            "testCreateLead",
            "testFindLead",
            "testIssuer",
            "testOAuthConnection",
            "testPostUrl",
            "testRecordedFailureReplaysTheSame"
        ]
    );

    for jobs in ["1", "3"] {
        let (code, replayed, err) = dlg_test(dir.path(), &["--jobs", jobs]);
        assert_eq!(code, 1, "{replayed}{err}");
        assert_eq!(without_times(&replayed), without_times(&recorded_out));
    }
}

const HAND_WRITTEN: &str = r#"{
  "version": 1,
  "tests": {
    "testLeadFromFixture": [
      {
        "request": { "method": "GET", "url": "https://crm.example.com/crm/v2/Leads/42?fields=Email" },
        "response": { "status": 200, "json": { "data": [ { "id": "42", "Email": "ada@example.com" } ] } }
      }
    ]
  }
}
"#;

#[test]
fn a_hand_written_cassette_is_a_fixture_and_mismatches_name_the_closest_request() {
    let code = r#"
string leadEmail(string id, string fields) {
    r = invokeurl [ url: "https://crm.example.com/crm/v2/Leads/" + id type: GET parameters: {"fields": fields} connection: "crm" ];
    return r.get("data").get(0).get("Email");
}
"#;
    let tests = r#"
void testLeadFromFixture() {
    assertEquals("ada@example.com", leadEmail("42", "Email"));
}
void testOtherFields() {
    try {
        leadEmail("42", "Phone");
    } catch (e) {
        info "caught: " + e;
    }
}
"#;
    let dir = project(&[("leads.dg", code), ("leads_test.dg", tests)]);
    let (code, out, _) = dlg_test(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAIL leads_test.dg::testLeadFromFixture"),
        "{out}"
    );
    assert!(
        out.contains("HTTP request to crm.example.com:443 failed: replaying from cassette leads_test.cassette.json, which does not exist: record it with `dlg test --record`"),
        "{out}"
    );

    std::fs::write(dir.path().join("leads_test.cassette.json"), HAND_WRITTEN).unwrap();
    let (code, out, _) = dlg_test(dir.path(), &["--jobs", "1"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("PASS leads_test.dg::testLeadFromFixture"),
        "{out}"
    );
    assert!(
        out.contains("--- leads_test.dg::testOtherFields error ---\nno recorded exchange matches GET https://crm.example.com/crm/v2/Leads/42?fields=Phone: the cassette has no exchanges for this test"),
        "a caught replay miss still fails the test: {out}"
    );
    let moved = HAND_WRITTEN.replace("testLeadFromFixture", "testOtherFields");
    std::fs::write(dir.path().join("leads_test.cassette.json"), moved).unwrap();
    let (_, out, _) = dlg_test(dir.path(), &["--filter", "testOtherFields"]);
    assert!(
        out.contains("no recorded exchange matches GET https://crm.example.com/crm/v2/Leads/42?fields=Phone; the closest recorded request (exchange 1 of 1) is GET https://crm.example.com/crm/v2/Leads/42?fields=Email, which differs in query `fields`: recorded \"Email\", sent \"Phone\" (cassette leads_test.cassette.json)"),
        "{out}"
    );
}

#[test]
fn scripts_record_and_replay_with_dlg_run() {
    let httpbin = support::httpbin::HttpBin::start();
    let home = tempfile::tempdir().unwrap();
    let script = format!(
        "r = invokeurl [ url: \"{}\" type: GET parameters: {{\"q\": \"deluge\"}} ];\ninfo r.get(\"args\");\n",
        httpbin.url("/get")
    );
    let dir = project(&[("fetch.dg", &script)]);
    let recorded = dlg_in(
        dir.path(),
        home.path(),
        &["run", "fetch.dg", "--record", "tape.json"],
    );
    assert!(
        recorded.status.success(),
        "{}",
        String::from_utf8_lossy(&recorded.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&recorded.stdout),
        "{\"q\":\"deluge\"}\n"
    );
    drop(httpbin);
    let replayed = dlg_in(
        dir.path(),
        home.path(),
        &["run", "fetch.dg", "--replay", "tape.json"],
    );
    assert!(
        replayed.status.success(),
        "{}",
        String::from_utf8_lossy(&replayed.stderr)
    );
    assert_eq!(replayed.stdout, recorded.stdout);
    let missing = dlg_in(
        dir.path(),
        home.path(),
        &["run", "fetch.dg", "--replay", "none.json"],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&missing.stderr),
        "error: cassette none.json does not exist: record it with `dlg run --record none.json ...`\n"
    );
}

#[test]
fn the_demo_project_passes_offline() {
    let root = support::workspace_root();
    let (code, out, err) = dlg_test(&root, &["examples/crm_testing"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(last_line(&out), "4 passed, 0 failed");
}

#[test]
fn recording_some_tests_keeps_the_tapes_of_the_others() {
    let tests = "void testLeadFromFixture() { }\nvoid testNoHttp() { assertTrue(true); }\n";
    let with_both = HAND_WRITTEN.replace(
        "\n  }\n}",
        ",\n    \"testNoHttp\": [ { \"request\": { \"method\": \"GET\", \"url\": \"https://old.example.com/\" }, \"error\": \"stale\" } ]\n  }\n}",
    );
    let dir = project(&[
        ("leads_test.dg", tests),
        ("leads_test.cassette.json", &with_both),
    ]);
    let (code, out, _) = dlg_test(dir.path(), &["--record", "--filter", "testNoHttp"]);
    assert_eq!(code, 0, "{out}");
    let written: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("leads_test.cassette.json")).unwrap(),
    )
    .unwrap();
    let names: Vec<&String> = written["tests"].as_object().unwrap().keys().collect();
    assert_eq!(
        names,
        ["testLeadFromFixture"],
        "testNoHttp made no request: its tape goes"
    );
}

#[test]
fn an_invalid_cassette_is_shown_where_it_is_wrong() {
    let dir = project(&[
        ("a_test.dg", "void testA() { }"),
        (
            "a_test.cassette.json",
            "{\"version\": 1,\n \"tests\": {\"testA\": [{\"request\": {}}]}}\n",
        ),
    ]);
    let (code, out, _) = dlg_test(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("--- a_test.dg could not run ---\nError: cassette a_test.cassette.json is not valid: missing field `method` at line 2 column 35 (see docs/testing.md for the format)"), "{out}");
    assert!(out.contains("a_test.cassette.json:2:35"), "{out}");
    assert_eq!(last_line(&out), "0 passed, 1 failed");
}

// ------------------------------------------------------------------ Zoho tasks and mail

const ZOHO_CANARY_SECRET: &str = "canary-zoho-client-secret-3e8a41";

const ZOHO_CODE: &str = r#"
string leadId(int id) {
    return zoho.crm.getRecordById("Leads", id).get("id");
}

string createLead(string name) {
    r = zoho.crm.createRecord("Leads", {"Last_Name": name});
    return r.get("id");
}
"#;

const ZOHO_TESTS: &str = r#"
void testReadLead() {
    assertEquals("42", leadId(42));
}
void testCreateLead() {
    assertNotNull(createLead("Lovelace"));
}
void testNotify() {
    assertEquals("ada@example.com", zoho.adminuserid);
    sendmail [ from: zoho.adminuserid to: "bob@example.com" subject: "Lead" message: "created" ];
}
"#;

#[test]
fn zoho_tasks_record_against_the_local_server_and_replay_without_it_or_a_connection_store() {
    let server = support::zoho::start(None);
    let home = tempfile::tempdir().unwrap();
    support::zoho::connect_with_secret(
        home.path(),
        &server,
        "zoho_crm_local",
        "crm",
        ZOHO_CANARY_SECRET,
    );
    let other = [
        "connection",
        "create",
        "crm2",
        "--service",
        "zoho_crm_local",
    ];
    support::zoho::dlg_ok(home.path(), &other);
    support::zoho::dlg_ok(home.path(), &["connection", "authorize", "crm2"]);
    let dir = project(&[
        (
            "dlg.toml",
            "[zoho.default_connection]\ncrm = \"crm\"\n[mail]\nadmin_address = \"ada@example.com\"\n",
        ),
        ("leads.dg", ZOHO_CODE),
        ("leads_test.dg", ZOHO_TESTS),
    ]);
    let recorded = dlg_in(
        dir.path(),
        home.path(),
        &["test", "--record", "--jobs", "1"],
    );
    let recorded_out = String::from_utf8_lossy(&recorded.stdout).into_owned();
    assert_eq!(
        last_line(&recorded_out),
        "3 passed, 0 failed",
        "{recorded_out}{}",
        String::from_utf8_lossy(&recorded.stderr)
    );
    assert!(
        !home.path().join("outbox").exists(),
        "dlg test keeps mail in a temporary outbox"
    );
    std::fs::write(
        dir.path().join("read.dg"),
        "info zoho.crm.getRecordById(\"Leads\", 42).get(\"id\");\n",
    )
    .unwrap();
    let script_run = dlg_in(
        dir.path(),
        home.path(),
        &["run", "read.dg", "--record", "run.cassette.json"],
    );
    assert_eq!(
        String::from_utf8_lossy(&script_run.stdout),
        "42\n",
        "{}",
        String::from_utf8_lossy(&script_run.stderr)
    );
    let tokens: Vec<String> = support::zoho::requests(&server)
        .iter()
        .map(|r| r["authorization"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(tokens.len(), 3, "{tokens:?}");
    let port = server.port;
    drop(server);

    let path = dir.path().join("leads_test.cassette.json");
    let cassette = std::fs::read_to_string(&path).unwrap();
    let token = tokens[0].trim_start_matches("Zoho-oauthtoken ");
    for secret in [ZOHO_CANARY_SECRET, token, "refresh-"] {
        assert!(
            !cassette.contains(secret),
            "{secret} leaked into the cassette:\n{cassette}"
        );
    }
    let json: serde_json::Value = serde_json::from_str(&cassette).unwrap();
    assert_eq!(
        json["connections"]["crm"],
        serde_json::json!({
            "service": "zoho_crm_local",
            "api_domain": format!("http://127.0.0.1:{port}"),
            "api_base": format!("http://127.0.0.1:{port}"),
        })
    );
    let read = &json["tests"]["testReadLead"][0]["request"];
    assert_eq!(
        read["url"],
        format!("http://127.0.0.1:{port}/crm/v2/Leads/42")
    );
    assert_eq!(read["headers"]["authorization"], "<redacted>");

    for jobs in ["1", "3"] {
        let (code, replayed, err) = dlg_test(dir.path(), &["--jobs", jobs]);
        assert_eq!(code, 0, "{replayed}{err}");
        assert_eq!(without_times(&replayed), without_times(&recorded_out));
    }
    let empty_home = tempfile::tempdir().unwrap();
    let replayed_run = dlg_in(
        dir.path(),
        empty_home.path(),
        &["run", "read.dg", "--replay", "run.cassette.json"],
    );
    assert_eq!(
        String::from_utf8_lossy(&replayed_run.stdout),
        "42\n",
        "dlg run --replay needs no server and no connection store: {}",
        String::from_utf8_lossy(&replayed_run.stderr)
    );
    let run_cassette = std::fs::read_to_string(dir.path().join("run.cassette.json")).unwrap();
    assert!(!run_cassette.contains(token), "{run_cassette}");

    let mut stripped = json.clone();
    stripped.as_object_mut().unwrap().remove("connections");
    std::fs::write(&path, serde_json::to_string_pretty(&stripped).unwrap()).unwrap();
    let (code, out, _) = dlg_test(dir.path(), &["--filter", "testReadLead"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("zoho.crm.getRecordById: replaying from cassette leads_test.cassette.json, which does not describe connection \"crm\": record it with `dlg test --record`, or add `\"connections\": {\"crm\": {\"service\": \"zoho_crm_com\"}}` (the service names the data centre; see docs/testing.md)"),
        "{out}"
    );
}

const ZOHO_FIXTURE: &str = r#"{
  "version": 1,
  "connections": {
    "crm": { "service": "zoho_crm_eu" }
  },
  "tests": {
    "testLeadEmail": [
      {
        "request": { "method": "GET", "url": "https://www.zohoapis.eu/crm/v2/Leads/42" },
        "response": { "status": 200, "json": { "data": [ { "id": "42", "Email": "ada@example.com" } ] } }
      }
    ]
  }
}
"#;

#[test]
fn a_hand_written_cassette_gives_zoho_crm_get_record_by_id_its_record() {
    let code = r#"
string leadEmail(string id) {
    return zoho.crm.getRecordById("Leads", id).get("Email");
}
"#;
    let tests = r#"
void testLeadEmail() {
    assertEquals("ada@example.com", leadEmail("42"));
}
"#;
    let dir = project(&[
        ("leads.dg", code),
        ("leads_test.dg", tests),
        ("leads_test.cassette.json", ZOHO_FIXTURE),
    ]);
    let (code, out, err) = dlg_test(dir.path(), &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(last_line(&out), "1 passed, 0 failed");
}
