//! `dlg test`: discovery, isolation, parallel runs, assertions, errors, exit codes, JUnit
//! (read by junitparser), coverage (rendered by genhtml), cassettes recorded against real
//! servers on 127.0.0.1 and replayed with them stopped, and `dlg run --record/--replay`.

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
            Some(at) if line.starts_with("PASS ") || line.starts_with("FAIL ") || line.starts_with("SKIP ") => {
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
        ("more/other_test.dg", "void testAlone() { assertTrue(1 < 2); }"),
        (".hidden/skipped_test.dg", "void testHidden() { fail(\"hidden folders are skipped\"); }"),
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
    assert_eq!(err, "error: notes.dg is not a test file: test files end in `_test.dg`\n");
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
"#;

#[test]
fn every_assertion_passes_and_fails_with_its_message() {
    let dir = project(&[("checks_test.dg", ASSERTIONS_TEST)]);
    let (code, out, _) = dlg_test(dir.path(), &["--jobs", "1"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("PASS checks_test.dg::testEveryAssertionPasses"), "{out}");
    assert!(out.contains("SKIP checks_test.dg::testSkip ("), "{out}");
    assert!(out.contains("): needs the sandbox\n"), "{out}");
    for expected in [
        "Error: assertEquals failed (status after sync): expected \"Open\", actual \"Closed\"",
        "Error: assertEquals failed: expected 1 (NUMBER), actual \"1\" (TEXT)",
        "Error: assertEquals failed: the LISTs differ",
        "expected: [1,2,3]\nactual:   [1,5]\ndifferences:\n  [1]: expected 2, actual 5\n  [2]: missing (expected 3)",
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
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    assert!(out.contains("--- checks_test.dg::testEqualsFails failed ---"), "{out}");
    assert!(out.contains("--- checks_test.dg::testContainsNeedsAContainer error ---"), "{out}");
    assert!(out.contains("checks_test.dg:16:5"), "the line and column of the assertion: {out}");
    assert!(
        out.contains(r#"    assertEquals("Open", "Closed", "status after sync");"#),
        "the source line: {out}"
    );
    assert_eq!(last_line(&out), "1 passed, 13 failed, 1 skipped");
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
    assert!(out.contains("--- calc_test.dg::testDivides error ---\nError: division by zero"), "{out}");
    assert!(out.contains("in function `calc.ratio` at calc.dg:2:12"), "{out}");
    assert!(out.contains("called from function `testDivides` at calc_test.dg:2:21"), "{out}");
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
    assert!(out.contains("--- a/broken_test.dg could not run ---"), "{out}");
    assert!(out.contains("a/broken_test.dg:2:9"), "{out}");
    assert!(out.contains("PASS b/fine_test.dg::testFine"), "{out}");
    assert_eq!(last_line(&out), "1 passed, 1 failed");
}

#[test]
fn assertions_are_available_in_test_files_only() {
    let dir = project(&[
        ("code.dg", "int f() {\n    assertTrue(true);\n    return 1;\n}\n"),
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
    let dir = project(&[("a_test.dg", "void testOne() { }\nvoid testTwo() { fail(\"two\"); }\n")]);
    let (code, out, _) = dlg_test(dir.path(), &["--filter", "testOne"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(test_lines(&out), ["PASS a_test.dg::testOne"]);
    let (code, _, err) = dlg_test(dir.path(), &["missing"]);
    assert_eq!((code, err.as_str()), (2, "error: missing: no such file or folder\n"));
    let (code, _, err) = dlg_test(dir.path(), &["--jobs", "0"]);
    assert_eq!((code, err.as_str()), (2, "error: --jobs needs at least 1\n"));
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
    assert!(lines.contains(&"calc_test.dg|testBoom|Error|division by zero"), "{read}");
    assert!(lines.contains(&"checks_test.dg|testEveryAssertionPasses|Passed|"), "{read}");
    assert!(
        lines.contains(&"checks_test.dg|testEqualsFails|Failure|assertEquals failed (status after sync): expected \"Open\", actual \"Closed\""),
        "{read}"
    );
    assert!(lines.contains(&"checks_test.dg|testSkip|Skipped|needs the sandbox"), "{read}");
    assert!(lines.iter().any(|l| l.starts_with("bad/syntax_test.dg|(compile)|Error|")), "{read}");
    assert_eq!(lines.last(), Some(&"totals 17 12 3 1"), "{read}");
}

#[test]
fn coverage_reports_lines_per_file_and_lcov_renders_with_genhtml() {
    let dir = project(&[
        ("crm/leads.dg", CRM_CODE),
        ("crm/leads_test.dg", "void testScore() { assertEquals(10, crm.score({\"email\": \"x\"})); }"),
    ]);
    let (code, out, _) = dlg_test(dir.path(), &["--coverage", "--lcov", "cov.info"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("coverage (lines):\n  crm/leads.dg      4/6       66.7%\n  total             4/6       66.7%\n"), "{out}");
    let lcov = std::fs::read_to_string(dir.path().join("cov.info")).unwrap();
    assert!(lcov.contains("DA:3,1\nDA:4,1\nDA:5,1\nDA:7,1\nDA:11,0\nDA:15,0\nLF:6\nLH:4\nend_of_record"), "{lcov}");
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
    assert!(output.status.success(), "genhtml: {}", String::from_utf8_lossy(&output.stderr));
    let index = std::fs::read_to_string(html.join("index.html")).unwrap();
    assert!(index.contains("66.7"), "{index}");
}
