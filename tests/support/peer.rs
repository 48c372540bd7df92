//! Installing and running third-party test servers: a per-install file lock, idempotent
//! installs into `target/test-servers/`, and child processes that print `READY <port>`, stop
//! when their standard input closes, and are killed by id when dropped.

use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// `target/test-servers` (honours `CARGO_TARGET_DIR`).
pub fn servers_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| super::workspace_root().join("target"));
    let dir = target.join("test-servers");
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// The source folder of test support files.
pub fn support_dir() -> PathBuf {
    super::workspace_root().join("tests/support")
}

/// Runs `install` under an exclusive lock on `target/test-servers/<name>.lock`, unless the
/// marker file `<dir>/.installed` already holds `fingerprint`. A failed install panics with
/// a message that says what failed and how to retry.
pub fn ensure_installed(name: &str, dir: &Path, fingerprint: &str, install: impl FnOnce(&Path)) {
    let lock_path = servers_dir().join(format!("{name}.lock"));
    let lock = File::create(&lock_path)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", lock_path.display()));
    lock.lock()
        .unwrap_or_else(|e| panic!("cannot lock {}: {e}", lock_path.display()));
    let marker = dir.join(".installed");
    if fs::read_to_string(&marker).ok().as_deref() == Some(fingerprint) {
        return;
    }
    if dir.exists() {
        fs::remove_dir_all(dir).unwrap_or_else(|e| panic!("cannot clean {}: {e}", dir.display()));
    }
    fs::create_dir_all(dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    install(dir);
    fs::write(&marker, fingerprint)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", marker.display()));
}

/// Runs an install command, panicking with its output when it fails.
pub fn run_install_step(command: &mut Command, what: &str) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("test server install failed: cannot run {what}: {e}"));
    if !output.status.success() {
        panic!(
            "test server install failed: {what} exited with {}\n--- stdout\n{}\n--- stderr\n{}\n\
             Fix the cause (network access to the package registry?) and run the tests again.",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// A running test server.
pub struct Peer {
    name: String,
    child: Child,
    _stdin: ChildStdin,
    /// Its port on 127.0.0.1.
    pub port: u16,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Peer {
    /// Starts `command` and waits (up to 30 s) for its `READY <port>` line.
    pub fn start(name: &str, mut command: Command) -> Peer {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the {name} test server: {e}"));
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (ready_tx, ready_rx) = mpsc::channel();
        let collected = Arc::clone(&lines);
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(port) = line.strip_prefix("READY ") {
                    let _ = ready_tx.send(port.trim().parse::<u16>().ok());
                }
                collected
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(line);
            }
        });
        let errors = Arc::new(Mutex::new(String::new()));
        let error_sink = Arc::clone(&errors);
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut sink = error_sink.lock().unwrap_or_else(|e| e.into_inner());
                sink.push_str(&line);
                sink.push('\n');
            }
        });
        match ready_rx.recv_timeout(Duration::from_secs(30)) {
            Ok(Some(port)) => Peer {
                name: name.to_owned(),
                child,
                _stdin: stdin,
                port,
                lines,
            },
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                thread::sleep(Duration::from_millis(100));
                panic!(
                    "the {name} test server did not become ready within 30 s; its stderr:\n{}",
                    errors.lock().unwrap_or_else(|e| e.into_inner())
                );
            }
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Lines the server printed on stdout so far (events).
    pub fn stdout_lines(&self) -> Vec<String> {
        self.lines.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = &self.name;
    }
}
