//! `dlg lsp` end to end: the pytest-lsp suite under tests/lsp/ drives the server as an editor
//! would (pinned pytest-lsp, installed on first use), and a headless Neovim attaches to it and
//! reads a file's diagnostics.

#[path = "../../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::debian;
use support::pyvenv::{pinned_venv, venv_program};

/// The pinned pytest-lsp packages (`pip freeze` of `pytest-lsp==1.0.1`).
const REQUIREMENTS: &str = include_str!("lsp/requirements.txt");

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn dlg() -> &'static str {
    env!("CARGO_BIN_EXE_dlg")
}

fn pytest(filter: Option<&str>) {
    let venv = pinned_venv("pytest-lsp", REQUIREMENTS);
    let home = tempfile::tempdir().expect("temp dir");
    let mut command = Command::new(venv_program(&venv, "pytest"));
    command
        .args(["-q", "-s", "-p", "no:cacheprovider", "tests/lsp"])
        .env("DLG_BIN", dlg())
        // An empty connection store, so completion never reads the user's.
        .env("DLG_HOME", home.path())
        .current_dir(manifest_dir());
    if let Some(filter) = filter {
        command.args(["-k", filter]);
    }
    let output = command.output().expect("cannot start pytest");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}\n{stderr}");
    assert!(
        output.status.success(),
        "pytest-lsp failed:\n{stdout}\n{stderr}"
    );
}

#[test]
fn pytest_lsp_suite_drives_the_server_like_an_editor() {
    pytest(None);
}

#[test]
fn neovim_attaches_and_reads_the_diagnostics_of_a_file() {
    if let Err(why) = debian::ensure("nvim", &["neovim"]) {
        panic!("Neovim is needed for this test: {why}");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("broken.dg");
    std::fs::write(&file, "void f()\n{\n\tx = 1 +;\n\ty = (2;\n}\n").expect("write file");
    let init = manifest_dir().join("tests/lsp/nvim_init.lua");
    let output = Command::new("nvim")
        .args(["--headless", "-u"])
        .arg(&init)
        .arg(&file)
        .env("DLG_BIN", dlg())
        .env("DLG_HOME", dir.path())
        .env("XDG_STATE_HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path())
        .current_dir(dir.path())
        .output()
        .expect("cannot start nvim");
    let transcript = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    println!("--- Neovim transcript ---\n{transcript}--- end ---");
    assert!(output.status.success(), "nvim failed:\n{transcript}");
    assert!(transcript.contains("attached: dlg"), "{transcript}");
    let errors = transcript
        .lines()
        .filter(|l| l.starts_with("diagnostic "))
        .count();
    assert!(errors >= 2, "expected both syntax errors:\n{transcript}");
    assert!(!Path::new(&file).with_extension("dg.swp").exists());
}

#[test]
fn a_client_that_hangs_up_before_initialize_gets_exit_1_and_the_reason() {
    let output = support::output_with_stdin(Command::new(dlg()).arg("lsp"), b"");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: lsp: the initialize handshake failed:"),
        "{stderr}"
    );
}
