//! A repository of scripts (issue 18, point 6): `dlg check` on folders with per-file and total
//! summaries (text and `--json`), non-Deluge files, the `dlg.toml` source selection, `dlg run`
//! resolving `standalone.`/`thisapp.` calls from the project's sources, and `dlg.toml` errors.

use std::path::Path;
use std::process::Command;

/// A temporary project folder.
struct Repo {
    dir: tempfile::TempDir,
}

/// What a `dlg` run printed and returned.
struct Ran {
    code: i32,
    out: String,
    err: String,
}

impl Repo {
    fn new() -> Repo {
        Repo {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn file(&self, name: &str, text: &str) -> &Repo {
        let path = self.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folders");
        }
        std::fs::write(path, text).expect("a file");
        self
    }

    /// Runs `dlg ARGS` in the sub-folder `cwd` of the project.
    fn dlg_in(&self, cwd: &str, args: &[&str]) -> Ran {
        let home = self.path().join(".dlg-home");
        let output = Command::new(env!("CARGO_BIN_EXE_dlg"))
            .args(args)
            .current_dir(self.path().join(cwd))
            .env("NO_COLOR", "1")
            .env("DLG_HOME", home)
            .env("TZ", "UTC")
            .output()
            .expect("dlg runs");
        Ran {
            code: output.status.code().unwrap_or(-1),
            out: String::from_utf8_lossy(&output.stdout).into_owned(),
            err: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn dlg(&self, args: &[&str]) -> Ran {
        self.dlg_in(".", args)
    }
}

const CLIENT_JS: &str = "import { api } from './api';\n\
    export const load = async (id) => {\n  const r = await api.get(`/x/${id}`);\n  \
    if (r.status === 200) { console.log(r); }\n};\n";

/// A repository as real ones look: functions in several extensions, one of them client-side
/// JavaScript, a broken file, an archive folder.
fn sample_repo() -> Repo {
    let repo = Repo::new();
    repo.file(
        "dlg.toml",
        "[sources]\ninclude = [\"functions/**/*.ts\"]\nexclude = [\"archive/**\"]\n",
    )
    .file(
        "functions/greet.ts",
        "string standalone.greet(string name) { return \"Hello \" + name; }\n",
    )
    .file(
        "functions/util/shout.deluge",
        "string util.shout(string s) { return s.toUpperCase() + \"!\"; }\n",
    )
    .file(
        "functions/main.dg",
        "info thisapp.util.shout(standalone.greet(\"Ada\"));\n",
    )
    .file(
        "functions/broken.ds",
        "total = = 1;\nname = \"x\"\ncount = ;\n",
    )
    .file("functions/client/load.ts", CLIENT_JS)
    .file("archive/old.dg", "this is not = = checked")
    .file("notes.txt", "not a source at all = =");
    repo
}

#[test]
fn check_on_a_folder_reports_every_file_with_a_per_file_and_total_summary() {
    let repo = sample_repo();
    let ran = repo.dlg(&["check", "."]);
    assert_eq!(ran.code, 2, "{}", ran.err);
    assert_eq!(ran.out, "");
    assert!(
        ran.err.contains("functions/broken.ds:1:9"),
        "the broken file's errors are shown in full:\n{}",
        ran.err
    );
    let summary: Vec<&str> = ran.err.lines().rev().take(3).collect();
    assert_eq!(
        summary,
        vec![
            "checked 5 files: 3 ok, 1 with errors (3 syntax errors), 1 not Deluge",
            "functions/client/load.ts: skipped, looks like JavaScript (`import` on line 1, `export` on line 2, `=>` on line 2), not Deluge",
            "functions/broken.ds: 3 syntax errors",
        ]
    );
    assert!(!ran.err.contains("archive"), "excluded:\n{}", ran.err);
    assert!(!ran.err.contains("notes.txt"), "not a source:\n{}", ran.err);
}

#[test]
fn check_without_a_path_checks_the_current_folder() {
    let repo = sample_repo();
    let ran = repo.dlg_in("functions/util", &["check"]);
    assert_eq!(ran.code, 0, "{}", ran.err);
    assert_eq!(ran.err, "checked 1 file: 1 ok\n");
}

#[test]
fn check_json_lists_each_file_with_its_status_errors_and_a_summary() {
    let repo = sample_repo();
    let ran = repo.dlg(&["check", "--json", "functions"]);
    assert_eq!(ran.code, 2, "{}", ran.err);
    let report: serde_json::Value = serde_json::from_str(&ran.out).expect("JSON on stdout");
    let statuses: Vec<(String, String)> = report["files"]
        .as_array()
        .expect("a file list")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or("").replace('\\', "/"),
                f["status"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let expected = [
        ("functions/broken.ds", "errors"),
        ("functions/client/load.ts", "not_deluge"),
        ("functions/greet.ts", "ok"),
        ("functions/main.dg", "ok"),
        ("functions/util/shout.deluge", "ok"),
    ];
    assert_eq!(
        statuses,
        expected
            .iter()
            .map(|(p, s)| (p.to_string(), s.to_string()))
            .collect::<Vec<_>>()
    );
    let broken = &report["files"][0]["errors"];
    assert_eq!(broken.as_array().map(Vec::len), Some(3));
    assert_eq!(broken[0]["line"], 1);
    assert_eq!(broken[0]["column"], 9);
    assert_eq!(
        broken[0]["message"],
        "Expecting an expression but found '='"
    );
    assert_eq!(
        report["summary"],
        serde_json::json!({
            "files": 5, "ok": 3, "warnings": 0, "with_errors": 1, "errors": 3, "not_deluge": 1,
            "unreadable": 0
        })
    );
}

#[test]
fn without_a_project_file_only_deluge_extensions_are_checked_and_named_files_always() {
    let repo = Repo::new();
    repo.file("a.dg", "x = 1;\ninfo x;")
        .file("b.ts", "x = = 1;")
        .file("sub/c.deluge", "y = 2;\ninfo y;");
    let ran = repo.dlg(&["check"]);
    assert_eq!(ran.code, 0, "{}", ran.err);
    assert_eq!(ran.err, "checked 2 files: 2 ok\n");
    let ran = repo.dlg(&["check", "b.ts", "missing.dg"]);
    assert_eq!(ran.code, 2);
    assert!(ran.err.contains("b.ts: 1 syntax error\n"), "{}", ran.err);
    assert!(
        ran.err.contains("missing.dg: cannot read it: "),
        "{}",
        ran.err
    );
    assert!(
        ran.err
            .ends_with("checked 2 files: 0 ok, 1 with errors (1 syntax error), 1 unreadable\n"),
        "{}",
        ran.err
    );
}

#[test]
fn run_resolves_standalone_and_thisapp_calls_from_the_project_sources() {
    let repo = sample_repo();
    let ran = repo.dlg(&["run", "functions/main.dg"]);
    assert_eq!(ran.code, 0, "{}", ran.err);
    assert_eq!(ran.out, "HELLO ADA!\n");
    let ran = repo.dlg_in("functions/util", &["run", "../main.dg"]);
    assert_eq!(ran.code, 0, "{}", ran.err);
    assert_eq!(ran.out, "HELLO ADA!\n");
}

#[test]
fn an_unresolved_call_names_the_project_sources() {
    let repo = sample_repo();
    repo.file("functions/lost.dg", "info standalone.missing(1);\n");
    let ran = repo.dlg(&["run", "functions/lost.dg"]);
    assert_eq!(ran.code, 2, "{}", ran.err);
    assert!(
        ran.err.contains("unknown function `standalone.missing`"),
        "{}",
        ran.err
    );
    let root = std::fs::canonicalize(repo.path()).expect("the project folder");
    let expected = format!(
        "Note: no file among the project's sources (*.dg, *.deluge, *.ds, functions/**/*.ts under {}, selected by {}) defines it",
        root.display(),
        root.join("dlg.toml").display()
    );
    assert!(ran.err.contains(&expected), "{}", ran.err);
}

#[test]
fn run_include_folder_reads_every_deluge_extension_recursively() {
    let repo = Repo::new();
    repo.file("lib/a.dg", "int one() { return 1; }")
        .file("lib/deep/b.ds", "int two() { return 2; }")
        .file("lib/deep/c.deluge", "int three() { return 3; }")
        .file("lib/skip.txt", "not deluge = =")
        .file("main.dg", "info one() + two() + three();");
    let ran = repo.dlg(&["run", "main.dg", "--include", "lib"]);
    assert_eq!(ran.code, 0, "{}", ran.err);
    assert_eq!(ran.out, "6\n");
}

#[test]
fn a_bad_project_file_is_a_clear_error_with_file_line_and_problem() {
    let repo = Repo::new();
    repo.file("dlg.toml", "[sources]\ninclude = \"functions/*.ts\"\n")
        .file("main.dg", "info 1;");
    let file = std::fs::canonicalize(repo.path())
        .expect("the project folder")
        .join("dlg.toml");
    let expected = format!(
        "error: {}:2:11: [sources] include must be a list of glob patterns: include = [\"functions/**/*.ts\"]\n",
        file.display()
    );
    for args in [&["check"][..], &["run", "main.dg"][..]] {
        let ran = repo.dlg(args);
        assert_eq!(ran.code, 2, "{args:?}");
        assert_eq!(ran.err, expected, "{args:?}");
    }
    repo.file("dlg.toml", "[mail\nsmtp_url = 1\n");
    let ran = repo.dlg(&["check"]);
    assert_eq!(ran.code, 2);
    assert!(
        ran.err
            .starts_with(&format!("error: {}:1:", file.display())),
        "{}",
        ran.err
    );
    assert!(ran.err.contains("not valid TOML"), "{}", ran.err);
}

#[test]
fn functions_called_from_an_included_file_come_from_the_project_too() {
    let repo = sample_repo();
    repo.file(
        "scratch/helper.txt",
        "string twice(string s) { return standalone.greet(s) + \" \" + standalone.greet(s); }",
    )
    .file("scratch/try.dg", "info twice(\"Bo\");");
    let ran = repo.dlg(&["run", "scratch/try.dg", "--include", "scratch/helper.txt"]);
    assert_eq!(ran.code, 0, "{}", ran.err);
    assert_eq!(ran.out, "Hello Bo Hello Bo\n");
}

/// The `.eml` files in `dir`.
fn eml_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect()
}

#[test]
fn dlg_toml_mail_settings_apply_below_variables_and_flags() {
    let repo = Repo::new();
    repo.file(
        "dlg.toml",
        "[mail]\noutbox = \"sent\"\nadmin_address = \"ada@example.com\"\n",
    )
    .file(
        "scripts/notify.dg",
        "sendmail [ from: zoho.adminuserid to: \"bob@example.com\" subject: \"Hi\" message: \"Hello\" ];\ninfo zoho.adminuserid;\n",
    );
    let ran = repo.dlg_in("scripts", &["run", "notify.dg"]);
    assert_eq!(
        (ran.code, ran.out.as_str()),
        (0, "ada@example.com\n"),
        "{}",
        ran.err
    );
    let sent = eml_files(&repo.path().join("sent"));
    assert_eq!(
        sent.len(),
        1,
        "the outbox of dlg.toml, relative to it: {}",
        ran.err
    );
    let mail = std::fs::read_to_string(&sent[0]).expect("the mail");
    assert!(mail.contains("From: ada@example.com"), "{mail}");

    let ran = repo.dlg_in(
        "scripts",
        &[
            "run",
            "notify.dg",
            "--system",
            "zoho.adminuserid=eve@example.com",
            "--outbox",
            "flagged",
        ],
    );
    assert_eq!(
        (ran.code, ran.out.as_str()),
        (0, "eve@example.com\n"),
        "{}",
        ran.err
    );
    assert_eq!(
        eml_files(&repo.path().join("scripts/flagged")).len(),
        1,
        "the flag wins"
    );
    assert_eq!(eml_files(&repo.path().join("sent")).len(), 1);

    repo.file("dlg.toml", "[mail]\nmode = \"pigeon\"\n");
    let ran = repo.dlg_in("scripts", &["run", "notify.dg"]);
    assert_eq!(ran.code, 2);
    assert_eq!(
        ran.err,
        "error: dlg.toml: mail.mode: mail.mode is `pigeon`; use outbox, smtp or log\n"
    );
    let with_env = Command::new(env!("CARGO_BIN_EXE_dlg"))
        .args(["run", "notify.dg"])
        .current_dir(repo.path().join("scripts"))
        .env("DLG_HOME", repo.path().join(".dlg-home"))
        .env("DLG_MAIL_MODE", "log")
        .output()
        .expect("dlg runs");
    assert!(
        with_env.status.success(),
        "DLG_MAIL_MODE wins over dlg.toml: {}",
        String::from_utf8_lossy(&with_env.stderr)
    );
}
