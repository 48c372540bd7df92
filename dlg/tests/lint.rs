//! Lints (`deluge_lang::lint`) and how `dlg check` shows them.

use std::path::{Path, PathBuf};
use std::process::Command;

use deluge_lang::lint::{
    lint_program, lint_program_on_threads, lint_source, signatures, Lint, LintContext, Severity,
    Signature, LINT_NAMES,
};

#[path = "../../tests/support/root.rs"]
mod root;
use root::workspace_root;

fn lints(source: &str) -> Vec<Lint> {
    lint_source(source, &LintContext::default())
}

/// The names of the lints found, in source order.
fn names(source: &str) -> Vec<&'static str> {
    lints(source).into_iter().map(|l| l.name).collect()
}

/// The one lint named `name` in `source`.
fn only(source: &str, name: &str) -> Lint {
    let found: Vec<Lint> = lints(source)
        .into_iter()
        .filter(|l| l.name == name)
        .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    found.into_iter().next().expect("one lint")
}

#[test]
fn unused_variable() {
    let source = "x = 1;\ny = 2;\ninfo y;\n";
    let lint = only(source, "unused-variable");
    assert_eq!(lint.message, "variable `x` is assigned but never used");
    assert_eq!(&source[lint.span.clone()], "x");
    assert_eq!(lint.severity, Severity::Warning);
    assert_eq!(
        names("for each r in rows { info 1; }\ntry { a = 1; info a; } catch (e) { }"),
        Vec::<&str>::new()
    );
}

#[test]
fn unused_parameter() {
    let source = "void f(string used, int spare)\n{\n\tinfo used;\n}\n";
    let lint = only(source, "unused-parameter");
    assert_eq!(lint.message, "parameter `spare` is never used");
    assert_eq!(&source[lint.span.clone()], "spare");
}

#[test]
fn assignment_never_read() {
    let source = "x = 1;\nx = 2;\ninfo x;\n";
    let lint = only(source, "assignment-never-read");
    assert!(lint.message.contains("`x`"), "{}", lint.message);
    assert_eq!(lint.span, 0..1);
    // A read in between, a self-referencing update or a jump keeps the first assignment.
    assert!(names("x = 1;\ninfo x;\nx = 2;\ninfo x;").is_empty());
    assert!(names("x = 1;\nx = x + 1;\ninfo x;").is_empty());
    assert!(
        names("for each r in rows\n{\nx = 1;\nif (r) { break; }\nx = 2;\n}\ninfo x;").is_empty()
    );
}

#[test]
fn unreachable_code() {
    let source = "void f()\n{\n\treturn;\n\tinfo 1;\n\tinfo 2;\n}\n";
    let lint = only(source, "unreachable-code");
    assert_eq!(
        lint.message,
        "this code never runs: it comes after `return`"
    );
    assert_eq!(&source[lint.span.clone()], "info 1;\n\tinfo 2;");
    let in_loop = only(
        "for each r in rows\n{\n\tbreak;\n\tinfo r;\n}\n",
        "unreachable-code",
    );
    assert!(in_loop.message.contains("`break`"));
}

#[test]
fn assign_as_comparison() {
    let source = "a = 1;\nif (a = 1)\n{\n\tinfo a;\n}\n";
    let lint = only(source, "assign-as-comparison");
    assert_eq!(
        lint.message,
        "`=` in a condition compares, it does not assign"
    );
    assert_eq!(
        lint.help.as_deref(),
        Some("write `==` to make the comparison plain")
    );
    assert_eq!(&source[lint.span.clone()], "=");
    assert!(names("a = 1;\nif (a == 1) { info a; }\nb = if(a == 1, 2, 3);\ninfo b;").is_empty());
}

/// Every `=` of every condition is reported once: conditions of `else if`, of `if(..)`
/// expressions (their first argument only), an `if(..)` nested in a condition, and an `if(..)`
/// in a branch between two conditions.
#[test]
fn assign_as_comparison_in_every_condition_once() {
    let source = "a = 1;\n\
                  if (a == 2) { b = if(a = 3, 4, a = 5); info b; }\n\
                  else if (if(a = 6, true, false)) { info a; }\n\
                  else if (f(a = 7) == [1 = 1]) { info a; }\n\
                  // if (a = 8) in a comment\n\
                  c = \"if (a = 9)\";\ninfo c;\n";
    let found: Vec<&str> = lints(source)
        .iter()
        .filter(|l| l.name == "assign-as-comparison")
        .map(|l| &source[l.span.start - 2..l.span.end + 2])
        .collect();
    assert_eq!(found, ["a = 3", "a = 6", "a = 7", "1 = 1"]);
}

#[test]
fn wrong_arg_count() {
    let source = "string greet(string name)\n{\n\treturn \"hi \" + name;\n}\ninfo greet(\"a\", \"b\");\ninfo standalone.greet();\ninfo greet(\"ok\");\n";
    let found: Vec<Lint> = lints(source)
        .into_iter()
        .filter(|l| l.name == "wrong-arg-count")
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(
        found[0].message,
        "`greet` takes 1 argument but is called with 2 arguments"
    );
    assert_eq!(
        found[1].message,
        "`standalone.greet` takes 1 argument but is called with 0 arguments"
    );
    let context = LintContext {
        functions: vec![Signature {
            name: "automation.sync".into(),
            params: 2,
        }],
        connections: None,
    };
    let across = lint_source("thisapp.automation.sync(1);", &context);
    assert_eq!(across.len(), 1, "{across:#?}");
    assert_eq!(across[0].name, "wrong-arg-count");
    assert!(lint_source("thisapp.automation.sync(1, 2);", &context).is_empty());
}

#[test]
fn unknown_function_and_method_with_did_you_mean() {
    let lint = only("x = ifnul(a, 1);\ninfo x;", "unknown-function");
    assert_eq!(lint.message, "unknown function `ifnul`");
    assert_eq!(lint.help.as_deref(), Some("did you mean `ifnull`?"));
    let lint = only("s = \"a\";\ninfo s.toUpperCse();", "unknown-method");
    assert_eq!(lint.message, "unknown method `toUpperCse`");
    assert_eq!(lint.help.as_deref(), Some("did you mean `toUpperCase`?"));
    let chained = only("m = Map();\ninfo m.get(\"a\").lenght();", "unknown-method");
    assert!(chained.message.contains("lenght"));
    // A Creator namespace call and `dlg test` assertions are not unknown.
    assert!(names("info Billing.order_total(1);\nassertEquals(1, 1);").is_empty());
    assert!(names("m = Map();\nm.put(\"a\", 1);\ninfo m.get(\"a\").toString();\nopenUrl(\"https://x.test\", \"same window\");").is_empty());
}

#[test]
fn unknown_connection() {
    let source = "r = invokeurl\n[\n\turl :\"https://x.test\"\n\ttype :GET\n\tconnection:\"crm_conection\"\n];\ninfo r;\n";
    let context = LintContext {
        functions: Vec::new(),
        connections: Some(vec!["crm_connection".into()]),
    };
    let found = lint_source(source, &context);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].name, "unknown-connection");
    assert_eq!(
        found[0].message,
        "no connection named `crm_conection` in the connection store"
    );
    assert!(found[0]
        .help
        .as_deref()
        .unwrap_or("")
        .starts_with("did you mean `crm_connection`?"));
    assert!(lints(source).is_empty(), "no store, no lint");
}

#[test]
fn misspelt_task_and_map_keys() {
    let source = "r = invokeurl\n[\n\turl :\"https://x.test\"\n\ttype :POST\n\tparamters:{\"a\": 1}\n];\ninfo r;\n";
    let lint = only(source, "misspelt-key");
    assert_eq!(lint.message, "unknown key `paramters`");
    assert_eq!(lint.help.as_deref(), Some("did you mean `parameters`?"));
    let maps = "m = Map();\nm.put(\"Account_Name\", 1);\ninfo m.get(\"Account_Name\");\ninfo m.get(\"Acount_Name\");\n";
    let lint = only(maps, "misspelt-key");
    assert_eq!(
        lint.message,
        "map key \"Acount_Name\" is used once; \"Account_Name\" is used 2 times"
    );
    // Case, digits and suffixes differ legitimately.
    assert!(names("m = {\"Contact\": 1, \"Contacts\": 2, \"line_1\": 3, \"line_2\": 4, \"Status\": 5};\nn = {\"Contact\": 1, \"status\": 2, \"Status\": 3};\ninfo m;\ninfo n;").is_empty());
}

#[test]
fn a_comment_silences_a_lint_on_its_line_or_the_next() {
    assert!(names("x = 1; // dlg-allow: unused-variable").is_empty());
    assert!(names("// dlg-allow: unused-variable, unknown-function\nx = foo();").is_empty());
    assert_eq!(
        names("// dlg-allow: unused-parameter\nx = 1;"),
        vec!["unused-variable"]
    );
    assert_eq!(
        names("// dlg-allow: unused-variable\n\nx = 1;"),
        vec!["unused-variable"]
    );
}

#[test]
fn every_lint_is_documented() {
    let docs =
        std::fs::read_to_string(workspace_root().join("docs/lints.md")).expect("docs/lints.md");
    for name in LINT_NAMES {
        assert!(
            docs.contains(&format!("`{name}`")),
            "docs/lints.md misses {name}"
        );
    }
}

#[test]
fn syntax_errors_give_no_lints() {
    assert!(names("x = ;").is_empty());
}

// ---- dlg check ----

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dlg-lint-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn check(args: &[&str], dir: &Path) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_dlg"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("DLG_HOME", dir.join("home"))
        .output()
        .expect("dlg runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn check_shows_warnings_and_deny_warnings_fails() {
    let dir = temp_dir("check");
    std::fs::write(dir.join("a.dg"), "x = 1;\n").expect("write");
    let (_, err, code) = check(&["a.dg"], &dir);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("Warning: variable `x` is assigned but never used"),
        "{err}"
    );
    assert!(
        err.contains("unused-variable (silence with `// dlg-allow: unused-variable`)"),
        "{err}"
    );
    assert!(err.contains("a.dg: 1 warning"), "{err}");
    assert!(err.contains("checked 1 file: 1 ok, 1 warning"), "{err}");
    let (_, _, denied) = check(&["--deny-warnings", "a.dg"], &dir);
    assert_eq!(denied, 1);
    std::fs::write(dir.join("b.dg"), "x = 1;\ninfo x;\n").expect("write");
    let (_, _, clean) = check(&["--deny-warnings", "b.dg"], &dir);
    assert_eq!(clean, 0);
}

#[test]
fn check_json_includes_warnings() {
    let dir = temp_dir("json");
    std::fs::write(dir.join("a.dg"), "x = 1;\n").expect("write");
    let (out, _, code) = check(&["--json", "a.dg"], &dir);
    assert_eq!(code, 0);
    let report: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(report["summary"]["warnings"], 1);
    let warning = &report["files"][0]["warnings"][0];
    assert_eq!(warning["lint"], "unused-variable");
    assert_eq!(warning["line"], 1);
    assert_eq!(warning["column"], 1);
}

#[test]
fn check_knows_the_functions_of_every_checked_file() {
    let dir = temp_dir("workspace");
    std::fs::write(
        dir.join("lib.dg"),
        "string greet(string name)\n{\n\treturn name;\n}\n",
    )
    .expect("write");
    std::fs::write(dir.join("use.dg"), "info standalone.greet(\"a\", \"b\");\n").expect("write");
    let (_, err, code) = check(&["--deny-warnings", "."], &dir);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("`standalone.greet` takes 1 argument but is called with 2 arguments"),
        "{err}"
    );
}

#[test]
fn the_repo_scripts_and_examples_are_lint_clean() {
    let (_, err, code) = check(
        &["--deny-warnings", "scripts", "examples"],
        &workspace_root(),
    );
    assert_eq!(code, 0, "{err}");
}

// ---- threads ----

/// A script of `copies` functions, each with every kind of lint the file finds and one lint
/// silenced by a comment: some 11 lines a copy.
fn many_functions_with_lints(copies: usize) -> String {
    (0..copies)
        .map(|n| {
            format!(
                "void f{n}(int spare, int used)\n{{\n\tx = 1;\n\ty = 1;\n\ty = 2;\n\tinfo y + used;\n\
                 \tif (used = 2)\n\t{{\n\t\treturn;\n\t\tinfo 1;\n\t}}\n\tinfo standalone.f{n}(1);\n\
                 \t// dlg-allow: unused-variable\n\tz = 3;\n}}\n"
            )
        })
        .collect()
}

#[test]
fn lints_split_over_threads_are_the_same_lints_in_the_same_order() {
    let source = many_functions_with_lints(800);
    assert!(source.len() > 64 * 1024, "large enough to split");
    let parsed = deluge_lang::syntax::parse(&source);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let context = LintContext {
        functions: signatures(&parsed.program),
        connections: None,
    };
    let alone = lint_program(&source, &parsed.program, &context);
    let names: std::collections::BTreeSet<_> = alone.iter().map(|l| l.name).collect();
    assert_eq!(names.len(), 6, "{names:?}");
    for threads in [2, 3, 8] {
        let split = lint_program_on_threads(&source, &parsed.program, &context, threads);
        assert!(split == alone, "{threads} threads");
    }
}

#[test]
fn check_reports_the_same_whatever_the_jobs() {
    let dir = temp_dir("jobs");
    std::fs::write(dir.join("large.dg"), many_functions_with_lints(800)).expect("write");
    let (_, alone, code) = check(&["--jobs", "1", "large.dg"], &dir);
    assert_eq!(code, 0, "{alone}");
    assert!(
        alone.contains("large.dg: 4800 warnings"),
        "{}",
        &alone[alone.len() - 300..]
    );
    for jobs in ["2", "5"] {
        let (_, threaded, code) = check(&["--jobs", jobs, "large.dg"], &dir);
        assert_eq!(code, 0);
        assert!(threaded == alone, "--jobs {jobs} on one large file");
    }
    std::fs::write(dir.join("broken.dg"), "x = ;\n").expect("write");
    std::fs::write(dir.join("small.dg"), "a = 1;\na = 2;\ninfo a;\n").expect("write");
    std::fs::write(dir.join("binary.dg"), [0xff, 0xfe]).expect("write");
    let (out_alone, folder_alone, code) = check(&["--jobs", "1", "."], &dir);
    assert_eq!(code, 2, "{folder_alone}");
    let (json_alone, _, _) = check(&["--json", "--jobs", "1", "."], &dir);
    for jobs in ["2", "4"] {
        let (out, folder, code) = check(&["--jobs", jobs, "."], &dir);
        assert_eq!((code, out == out_alone), (2, true));
        assert!(folder == folder_alone, "--jobs {jobs} on a folder");
        let (json, _, _) = check(&["--json", "--jobs", jobs, "."], &dir);
        assert!(json == json_alone, "--json --jobs {jobs}");
    }
    assert!(
        folder_alone.contains(
            "checked 4 files: 2 ok, 4801 warnings, 1 with errors (1 syntax error), 1 not Deluge"
        ),
        "{}",
        &folder_alone[folder_alone.len() - 400..]
    );
    let (_, err, code) = check(&["--jobs", "0", "."], &dir);
    assert_eq!(
        (code, err.as_str()),
        (2, "error: --jobs needs at least 1\n")
    );
}
