//! A real SMTP server on 127.0.0.1: aiosmtpd (pinned in `smtp-requirements.txt`, installed on
//! first use into `target/test-servers/aiosmtpd-venv`) under `smtp_server.py`, which writes
//! every accepted message, as Python's email package parses it, to a folder the test reads.
//! Options: refuse a recipient, require a login, offer STARTTLS or speak implicit TLS with a
//! self-signed certificate for 127.0.0.1 (made with `openssl`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::peer::{support_dir, Peer};
use super::pyvenv;

const REQUIREMENTS: &str = include_str!("smtp-requirements.txt");

/// How the server secures connections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// Plain SMTP, no STARTTLS offered.
    Plain,
    /// STARTTLS offered.
    StartTls,
    /// TLS from the first byte (`smtps://`).
    Implicit,
}

/// What the server should do.
#[derive(Clone, Debug)]
pub struct Options {
    /// Recipients answered with 550 at RCPT TO.
    pub refuse: Vec<String>,
    /// `user:password` the server requires.
    pub auth: Option<String>,
    /// Plain, STARTTLS or implicit TLS.
    pub security: Security,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            refuse: Vec::new(),
            auth: None,
            security: Security::Plain,
        }
    }
}

/// A running SMTP server, stopped on drop.
pub struct SmtpServer {
    peer: Peer,
    dir: tempfile::TempDir,
    security: Security,
}

/// One accepted message: the server's JSON record.
pub type Received = serde_json::Value;

impl SmtpServer {
    /// Starts a server with `options` (installs aiosmtpd on first use).
    pub fn start(options: Options) -> SmtpServer {
        let venv = ensure_installed();
        let dir = tempfile::tempdir().expect("a temporary folder");
        let maildir = dir.path().join("mail");
        fs::create_dir_all(&maildir).expect("a mail folder");
        let mut command = Command::new(pyvenv::venv_python(&venv));
        command
            .arg(support_dir().join("smtp_server.py"))
            .arg("--maildir")
            .arg(&maildir);
        for address in &options.refuse {
            command.args(["--refuse", address]);
        }
        if let Some(auth) = &options.auth {
            command.args(["--auth", auth]);
        }
        if options.security != Security::Plain {
            let (cert, key) = make_certificate(dir.path());
            command.arg("--cert").arg(cert).arg("--key").arg(key);
        }
        if options.security == Security::Implicit {
            command.arg("--implicit-tls");
        }
        let peer = Peer::start("aiosmtpd", command);
        SmtpServer {
            peer,
            dir,
            security: options.security,
        }
    }

    /// `smtp://127.0.0.1:PORT`, or `smtps://` for implicit TLS.
    pub fn url(&self) -> String {
        let scheme = match self.security {
            Security::Implicit => "smtps",
            Security::Plain | Security::StartTls => "smtp",
        };
        format!("{scheme}://127.0.0.1:{}", self.peer.port)
    }

    /// The self-signed certificate (PEM), to trust with `mail.smtp.ca_file`.
    pub fn certificate(&self) -> PathBuf {
        self.dir.path().join("cert.pem")
    }

    /// The messages accepted so far, in order.
    pub fn messages(&self) -> Vec<Received> {
        self.records(|name| !name.starts_with("auth-"))
    }

    /// The AUTH attempts seen so far (login, mechanism, TLS; never the password).
    pub fn logins(&self) -> Vec<Received> {
        self.records(|name| name.starts_with("auth-"))
    }

    fn records(&self, keep: impl Fn(&str) -> bool) -> Vec<Received> {
        let mut files: Vec<(u64, PathBuf)> = fs::read_dir(self.dir.path().join("mail"))
            .expect("the mail folder")
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter_map(|path| {
                let name = path.file_name()?.to_str()?.to_owned();
                let stem = name.strip_suffix(".json")?;
                let number = stem.trim_start_matches("auth-").parse().ok()?;
                keep(&name).then_some((number, path))
            })
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|(_, path)| {
                let text = fs::read_to_string(&path).expect("a message record");
                serde_json::from_str(&text).expect("valid JSON from the SMTP server")
            })
            .collect()
    }
}

/// Parses an `.eml` file with Python's email package, as the server parses what it receives.
pub fn parse_eml(path: &Path) -> Received {
    let venv = ensure_installed();
    let output = Command::new(pyvenv::venv_python(&venv))
        .arg(support_dir().join("smtp_server.py"))
        .arg("--parse")
        .arg(path)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "parsing {} failed: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("valid JSON from the parser")
}

fn make_certificate(dir: &Path) -> (PathBuf, PathBuf) {
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    let output = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=127.0.0.1"])
        .args(["-addext", "subjectAltName=IP:127.0.0.1"])
        .args(["-addext", "basicConstraints=critical,CA:FALSE"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("SMTP TLS test setup: cannot run openssl (install the openssl package)");
    assert!(
        output.status.success(),
        "SMTP TLS test setup: openssl failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (cert, key)
}

fn ensure_installed() -> PathBuf {
    pyvenv::pinned_venv("aiosmtpd", REQUIREMENTS)
}
