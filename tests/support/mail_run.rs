//! Running `dlg` for the mail tests (tests/mail.rs, tests/mail_outbox.rs): a private
//! `DLG_HOME` with the mail variables cleared, a Basic connection for the SMTP login, and
//! readers for the JSON records of tests/support/smtp_server.py.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::Engine;
use serde_json::Value as Json;

/// A password that must never appear in any output.
pub const CANARY: &str = "CANARY-pw-7f3a";

/// A `dlg` run in its own `DLG_HOME`, with the mail environment variables cleared.
pub struct Run {
    pub home: tempfile::TempDir,
}

impl Run {
    pub fn new() -> Run {
        Run {
            home: tempfile::tempdir().unwrap(),
        }
    }

    pub fn command(&self) -> Command {
        let mut command = Command::new(super::dlg_bin());
        command
            .env("DLG_HOME", self.home.path())
            .env("NO_COLOR", "1")
            .env_remove("DLG_MASTER_KEY");
        for (name, _) in std::env::vars() {
            if name.starts_with("DLG_SMTP")
                || name.starts_with("DLG_SYSTEM")
                || name.starts_with("DLG_MAIL")
                || name == "DLG_OUTBOX"
            {
                command.env_remove(name);
            }
        }
        command
    }

    /// Runs `script` with `dlg run SCRIPT args...`.
    pub fn script(&self, script: &str, args: &[&str]) -> Output {
        let path = self.home.path().join("script.dg");
        std::fs::write(&path, script).unwrap();
        self.command()
            .arg("run")
            .arg(&path)
            .args(args)
            .output()
            .unwrap()
    }

    /// A Basic service allowed to reach 127.0.0.1 and an authorized connection `mailer`.
    pub fn basic_connection(&self, username: &str, password: &str) {
        let dlg = |args: &[&str]| {
            let output = self.command().args(args).output().unwrap();
            assert!(
                output.status.success(),
                "{args:?}: {}",
                text(&output.stderr)
            );
        };
        dlg(&[
            "service",
            "create",
            "smtp_login",
            "--auth",
            "basic",
            "--host",
            "127.0.0.1",
        ]);
        dlg(&["connection", "create", "mailer", "--service", "smtp_login"]);
        let output = super::output_with_stdin(
            self.command().args([
                "connection",
                "authorize",
                "mailer",
                "--param",
                &format!("username={username}"),
                "--param",
                "password=-",
            ]),
            format!("{password}\n").as_bytes(),
        );
        assert!(output.status.success(), "{}", text(&output.stderr));
    }

    /// Writes `script` to a file in the run's home and returns its path.
    pub fn write_script(&self, script: &str) -> PathBuf {
        let path = self.home.path().join("env-script.dg");
        std::fs::write(&path, script).unwrap();
        path
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn assert_no_canary(output: &Output) {
    let all = format!("{}{}", text(&output.stdout), text(&output.stderr));
    assert!(!all.contains(CANARY), "the password leaked: {all}");
    let encoded = base64::engine::general_purpose::STANDARD.encode(CANARY);
    assert!(
        !all.contains(&encoded),
        "the password leaked in base64: {all}"
    );
}

pub fn succeeded(output: &Output) {
    assert!(
        output.status.success(),
        "dlg failed: {}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
}

pub fn header<'a>(mail: &'a Json, name: &str) -> Vec<&'a str> {
    mail["headers"][name]
        .as_array()
        .map(|values| values.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default()
}

pub fn part(mail: &Json, index: usize) -> &Json {
    &mail["parts"][index]
}

pub fn decoded(part: &Json) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(part["base64"].as_str().unwrap())
        .unwrap()
}

pub fn outbox_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files
}
