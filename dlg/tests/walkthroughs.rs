//! The README's connection walk-throughs, run as written. Each `<!-- walkthrough: NAME -->`
//! block of README.md is extracted and run by `bash` against the local test servers, with only
//! the provider-specific values swapped for the local peer's (each swap must match, so the
//! README cannot drift from what is tested):
//!
//! - the API-key service and the day-to-day commands run against httpbin;
//! - GitHub's device flow and Google's authorization code with PKCE run against oidc-provider,
//!   whose consent pages a scripted browser approves when `dlg` prints the URL. The catalog
//!   services are first pointed at the peer with `dlg service create NAME --...-url ...`, which
//!   `dlg service configure` then completes as it would the catalog entry.

#[path = "../../tests/support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use support::browser::{Browser, Choice};
use support::{httpbin, oidc};
use url::Url;

const README: &str = include_str!("../../README.md");

/// The fenced `sh` block that follows `<!-- walkthrough: NAME -->` in README.md.
fn walkthrough(name: &str) -> String {
    let marker = format!("<!-- walkthrough: {name} -->");
    let start = README
        .find(&marker)
        .unwrap_or_else(|| panic!("README.md has no {marker}"));
    let rest = &README[start + marker.len()..];
    let fence = rest
        .find("```sh\n")
        .unwrap_or_else(|| panic!("no ```sh block after {marker}"));
    let body = &rest[fence + "```sh\n".len()..];
    let end = body
        .find("\n```")
        .unwrap_or_else(|| panic!("unclosed block after {marker}"));
    body[..end + 1].to_owned()
}

/// Replaces each `from` (which must occur) by `to`.
fn swap(mut script: String, swaps: &[(&str, String)]) -> String {
    for (from, to) in swaps {
        assert!(
            script.contains(from),
            "the README walk-through no longer contains {from:?}:\n{script}"
        );
        script = script.replace(from, to);
    }
    script
}

/// `PATH` with the folder of the `dlg` under test first, as after installing it.
fn path_with_dlg() -> std::ffi::OsString {
    let bin = Path::new(env!("CARGO_BIN_EXE_dlg"))
        .parent()
        .expect("bin folder")
        .to_path_buf();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&rest))).expect("PATH")
}

/// A working folder with its own store, as a user's shell would be.
struct Shell {
    work: tempfile::TempDir,
}

impl Shell {
    fn new() -> Shell {
        Shell {
            work: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn home(&self) -> PathBuf {
        self.work.path().join("dlg-home")
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .current_dir(self.work.path())
            .env("PATH", path_with_dlg())
            .env("DLG_HOME", self.home())
            .env_remove("DLG_MASTER_KEY");
        command
    }

    /// Runs a `dlg` command directly (set-up steps that are not in the README).
    fn dlg(&self, args: &[&str]) -> String {
        let output = self.command("dlg").args(args).output().expect("run dlg");
        assert!(
            output.status.success(),
            "dlg {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8")
    }

    /// Runs `script` in `bash -euo pipefail` with `input` on standard input. Every URL of the
    /// OAuth peer that `dlg` prints on its own line is handed to a scripted browser.
    fn run(&self, script: &str, input: &str) -> Output {
        let mut child = self
            .command("bash")
            .args(["-euo", "pipefail", "-c", script])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start bash");
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(input.as_bytes()).expect("write stdin");
        drop(stdin);
        let mut stdout = child.stdout.take().expect("stdout");
        let stdout_reader = thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = stdout.read_to_end(&mut bytes);
            bytes
        });
        let (lines_tx, lines) = mpsc::channel();
        let stderr = child.stderr.take().expect("stderr");
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if lines_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut stderr_text = String::new();
        let mut browsers = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                Ok(line) => {
                    if let Some(url) = peer_url(&line) {
                        browsers.push(thread::spawn(move || approve(url)));
                    }
                    stderr_text.push_str(&line);
                    stderr_text.push('\n');
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let _ = child.kill();
                    panic!("the walk-through did not finish in 120 s:\n{stderr_text}");
                }
            }
        }
        let status = child.wait().expect("wait for bash");
        for browser in browsers {
            browser.join().expect("browser thread");
        }
        Output {
            status,
            stdout: stdout_reader.join().expect("stdout thread"),
            stderr: stderr_text.into_bytes(),
        }
    }
}

/// A line that is only a URL of the OAuth peer: an authorize or device verification URL.
fn peer_url(line: &str) -> Option<Url> {
    let text = line.trim();
    if text.contains(' ') || !text.starts_with(&oidc::shared().base_url()) {
        return None;
    }
    Url::parse(text).ok()
}

/// Does in the scripted browser what the user does: log in and approve; for the code flow, follow
/// the redirect back to `dlg`'s loopback listener.
fn approve(url: Url) {
    let mut browser = Browser::new();
    let back = browser.walk_to_redirect(&url, Choice::Approve);
    if url.path().starts_with("/device") {
        assert!(back.is_none(), "the device flow ends at the provider");
        return;
    }
    let query = |name: &str| {
        url.query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    };
    assert_eq!(query("code_challenge_method").as_deref(), Some("S256"));
    assert!(query("code_challenge").is_some_and(|c| c.len() == 43));
    let back = back.expect("the provider redirects back to dlg");
    assert_eq!(back.host_str(), Some("127.0.0.1"));
    assert_eq!(browser.get(&back).status, 200);
}

fn succeeded(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "walk-through failed ({:?}):\nstdout:\n{stdout}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[test]
fn api_key_walkthrough_then_day_to_day_commands() {
    let shell = Shell::new();
    let httpbin = httpbin::shared();
    let base = httpbin.url("");
    let script = swap(
        walkthrough("api-key"),
        &[
            (
                "https://api.example.com/v1/forecast",
                format!("{}/anything/v1/forecast", base.trim_end_matches('/')),
            ),
            ("--host api.example.com", "--host 127.0.0.1".to_owned()),
        ],
    );
    let output = shell.run(&script, "wx-KEY-1234\n");
    let stdout = succeeded(&output);
    assert!(stdout.contains(r#""X-Api-Key":"wx-KEY-1234""#), "{stdout}");
    assert!(stdout.contains(r#""city":"Oslo""#), "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("wx-KEY-1234"), "{stderr}");
    assert!(
        stdout.contains("connection \"weather_main\" is connected"),
        "{stdout}"
    );

    let output = shell.run(&walkthrough("manage"), "wx-TEST-5678\n");
    let stdout = succeeded(&output);
    assert!(
        stdout.contains(r#""link_name": "weather_main""#),
        "{stdout}"
    );
    assert!(
        stdout.contains("connection \"weather_test\" is connected"),
        "{stdout}"
    );
    assert!(!stdout.contains("wx-"), "a secret was printed: {stdout}");
    assert_eq!(
        shell.dlg(&["connection", "list", "--names"]),
        "weather_main\n"
    );
    let shown = shell.dlg(&["connection", "show", "weather_main"]);
    assert!(shown.contains("Weather (production)"), "{shown}");
}

#[test]
fn github_device_flow_walkthrough() {
    let shell = Shell::new();
    let peer = oidc::shared().base_url();
    shell.dlg(&[
        "service",
        "create",
        "github",
        "--auth",
        "oauth2",
        "--client-id",
        "placeholder",
        "--authorize-url",
        &format!("{peer}/auth"),
        "--token-url",
        &format!("{peer}/token"),
        "--device-url",
        &format!("{peer}/device/auth"),
        "--host",
        "127.0.0.1",
    ]);
    let script = swap(
        walkthrough("github"),
        &[
            ("Iv1.0123456789abcdef", "public".to_owned()),
            ("--scope read:user", "--scope openid".to_owned()),
            ("https://api.github.com/user", format!("{peer}/me")),
            ("me.get(\"login\")", "me.get(\"sub\")".to_owned()),
        ],
    );
    let output = shell.run(&script, "");
    let stdout = succeeded(&output);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("enter the code:"), "{stderr}");
    assert!(
        stdout.contains("connection \"gh\" is connected"),
        "{stdout}"
    );
    assert!(stdout.lines().any(|line| line == "alice"), "{stdout}");
    let json = shell.dlg(&["service", "show", "github", "--json"]);
    assert!(json.contains(r#""grant": "device""#), "{json}");
}

#[test]
fn google_authorization_code_with_pkce_walkthrough() {
    let shell = Shell::new();
    let peer = oidc::shared().base_url();
    shell.dlg(&[
        "service",
        "create",
        "google",
        "--auth",
        "oauth2",
        "--client-id",
        "placeholder",
        "--authorize-url",
        &format!("{peer}/auth"),
        "--token-url",
        &format!("{peer}/token"),
        "--revoke-url",
        &format!("{peer}/token/revocation"),
        "--host",
        "127.0.0.1",
    ]);
    let script = swap(
        walkthrough("google"),
        &[
            ("1234-abc.apps.googleusercontent.com", "post".to_owned()),
            (
                "--scope https://www.googleapis.com/auth/drive.metadata.readonly",
                "--scope openid".to_owned(),
            ),
            (
                "https://www.googleapis.com/drive/v3/files",
                format!("{peer}/me"),
            ),
        ],
    );
    let output = shell.run(&script, "post-secret\n");
    let stdout = succeeded(&output);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("post-secret") && !stdout.contains("post-secret"));
    assert!(
        stdout.contains("connection \"drive\" is connected"),
        "{stdout}"
    );
    assert!(stdout.contains(r#""sub":"alice""#), "{stdout}");
    let json = shell.dlg(&["service", "show", "google", "--json"]);
    assert!(json.contains(r#""client_secret_set": true"#), "{json}");
    assert!(json.contains(r#""pkce": true"#), "{json}");
}

#[test]
fn every_walkthrough_is_a_complete_script() {
    for name in ["api-key", "github", "google", "manage"] {
        let script = walkthrough(name);
        assert!(
            script.lines().any(|line| line.starts_with("dlg ")),
            "{name}"
        );
        let output = Command::new("bash")
            .args(["-n", "-c", &script])
            .output()
            .expect("bash -n");
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Splits one shell command line into words (single and double quotes; no expansions).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_with(String::new).push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                word.get_or_insert_with(String::new);
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

/// Every concrete `dlg ...` command in the fenced blocks of `text` (continuation lines joined,
/// comments dropped); synopsis lines with `[`, `|` or `...` and lines with redirections or
/// substitutions are left out.
fn documented_commands(text: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut in_block = false;
    let mut pending = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if !in_block {
            continue;
        }
        let code = line.split(" #").next().unwrap_or_default().trim_end();
        if !pending.is_empty() || code.trim_start().starts_with("dlg ") {
            pending.push_str(code.trim_end_matches('\\'));
            pending.push(' ');
            if !code.ends_with('\\') {
                let command = std::mem::take(&mut pending);
                let concrete = !["[", "|", "...", "$(", ">", "<"]
                    .iter()
                    .any(|mark| command.contains(mark));
                if concrete {
                    commands.push(command.trim().to_owned());
                }
            }
        }
    }
    commands
}

#[test]
fn every_documented_command_parses() {
    use clap::Parser;
    let guide = include_str!("../../docs/connections.md");
    let mut checked = 0;
    for (file, text) in [("README.md", README), ("docs/connections.md", guide)] {
        for command in documented_commands(text) {
            let words = shell_words(&command);
            if let Err(error) = dlg::cli::Cli::try_parse_from(&words) {
                panic!("{file}: `{command}` does not parse:\n{error}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 25, "only {checked} commands found");
}
