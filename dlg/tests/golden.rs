//! Golden tests: every `tests/golden/NAME.dg` runs through the built `dlg` binary and its
//! standard output, standard error and exit code are compared with the files next to it:
//!
//! - `NAME.out`: expected standard output (absent = empty);
//! - `NAME.err`: expected standard error, rendered without colour (absent = empty);
//! - `NAME.args`: extra command-line arguments, one per line (optional);
//! - `NAME.code`: expected exit code (absent = 1 when `NAME.err` exists, else 0).
//!
//! Runs use `--time-zone UTC` and `NO_COLOR`. `BLESS=1 cargo test --test golden` rewrites the
//! expectation files from the actual results (review the diff before committing).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "../../tests/support/root.rs"]
mod root;
use root::workspace_root;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn dlg(dir: &Path, args: &[String]) -> Output {
    let home = std::env::temp_dir().join(format!("dlg-golden-home-{}", std::process::id()));
    Command::new(env!("CARGO_BIN_EXE_dlg"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("DLG_HOME", &home)
        .env("TZ", "UTC")
        .output()
        .expect("the dlg binary runs")
}

fn read_or_empty(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn scripts_in(dir: &Path) -> Vec<PathBuf> {
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/golden exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "dg"))
        .collect();
    scripts.sort();
    scripts
}

#[test]
fn golden_scripts_print_what_their_expectation_files_say() {
    let dir = golden_dir();
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    let scripts = scripts_in(&dir);
    assert!(
        scripts.len() >= 40,
        "expected 40+ golden scripts, found {}",
        scripts.len()
    );
    for script in scripts {
        let name = script.file_name().unwrap().to_string_lossy().into_owned();
        let stem = script.with_extension("");
        let mut args = vec![
            "run".to_owned(),
            name.clone(),
            "--time-zone".into(),
            "UTC".into(),
        ];
        args.extend(
            read_or_empty(&stem.with_extension("args"))
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_owned),
        );
        let output = dlg(&dir, &args);
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let code = output.status.code().unwrap_or(-1);
        if bless {
            bless_file(&stem.with_extension("out"), &stdout);
            bless_file(&stem.with_extension("err"), &stderr);
            let default_code = if stderr.is_empty() { 0 } else { 1 };
            bless_file(
                &stem.with_extension("code"),
                &if code == default_code {
                    String::new()
                } else {
                    format!("{code}\n")
                },
            );
            continue;
        }
        let expected_out = read_or_empty(&stem.with_extension("out"));
        let expected_err = read_or_empty(&stem.with_extension("err"));
        let expected_code = match read_or_empty(&stem.with_extension("code")).trim() {
            "" if expected_err.is_empty() => 0,
            "" => 1,
            text => text.parse().expect("NAME.code holds an integer"),
        };
        if stdout != expected_out || stderr != expected_err || code != expected_code {
            failures.push(format!(
                "--- {name}: exit {code} (expected {expected_code})\n[stdout]\n{stdout}[expected stdout]\n{expected_out}[stderr]\n{stderr}[expected stderr]\n{expected_err}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn bless_file(path: &Path, content: &str) {
    if content.is_empty() {
        let _ = std::fs::remove_file(path);
    } else {
        std::fs::write(path, content).expect("expectation file is writable");
    }
}

/// Every `.dg` file under `dir` (none when it does not exist).
fn all_dg_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let files = walkdir::WalkDir::new(dir).into_iter().flatten();
    out.extend(
        files
            .map(walkdir::DirEntry::into_path)
            .filter(|path| path.is_file() && path.extension().is_some_and(|x| x == "dg")),
    );
}

#[test]
fn no_script_under_tests_makes_dlg_panic() {
    let root = workspace_root();
    let mut files = Vec::new();
    all_dg_files(&root.join("tests"), &mut files);
    all_dg_files(&root.join("dlg/tests"), &mut files);
    all_dg_files(&root.join("scripts"), &mut files);
    assert!(!files.is_empty());
    for file in files {
        let path = file.display().to_string();
        for args in [
            vec![
                "run".to_owned(),
                path.clone(),
                "--max-statements".into(),
                "2000000".into(),
                "--timeout".into(),
                "20".into(),
            ],
            vec!["check".to_owned(), path.clone()],
        ] {
            let output = dlg(&root, &args);
            let stderr = String::from_utf8_lossy(&output.stderr);
            let code = output.status.code();
            assert!(!stderr.contains("panicked"), "{args:?} panicked:\n{stderr}");
            assert!(
                matches!(code, Some(0..=2)),
                "{args:?} exited with {code:?}:\n{stderr}"
            );
        }
    }
}

#[test]
fn usage_errors_exit_with_2() {
    let dir = golden_dir();
    for args in [
        vec!["run".to_owned()],
        vec!["run".to_owned(), "does-not-exist.dg".into()],
        vec![
            "run".to_owned(),
            "hello.dg".into(),
            "--time-zone".into(),
            "Mars/Olympus".into(),
        ],
        vec!["frobnicate".to_owned()],
    ] {
        let output = dlg(&dir, &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!output.stderr.is_empty(), "{args:?} explains the problem");
    }
}

#[test]
fn timeout_stops_a_long_run_with_an_uncatchable_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let args: Vec<String> = ["run", "tests/long_loop.dg", "--timeout", "0.2"]
        .map(str::to_owned)
        .to_vec();
    let started = std::time::Instant::now();
    let output = dlg(root, &args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the script ran longer than its time limit of 0.2 s"),
        "{stderr}"
    );
    assert!(stderr.contains("--timeout SECONDS"), "{stderr}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}
