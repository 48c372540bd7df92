//! A real httpbin (0.10.4 under gunicorn) on 127.0.0.1, for HTTP tests.
//!
//! On first use the pinned packages of `httpbin-requirements.txt` are installed into a virtual
//! environment under `target/test-servers/` (once per requirements file, under the file lock
//! of `pyvenv::pinned_venv`, so concurrent test processes wait for one installer). A failed install fails the test with
//! pip's output: it is never skipped.
//!
//! The server runs under `httpbin_launcher.py`, which stops gunicorn when its standard input
//! closes: on [`HttpBin`]'s drop, or when the test process exits in any way.
//! Set `DLG_TEST_PYTHON` to choose the Python interpreter (default `python3`).

use std::fs::{self, File};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::peer::servers_dir;
use super::pyvenv;

const REQUIREMENTS: &str = include_str!("httpbin-requirements.txt");
const LAUNCHER: &str = include_str!("httpbin_launcher.py");
const START_ATTEMPTS: usize = 3;
const READY_TIMEOUT: Duration = Duration::from_secs(30);

/// A running httpbin, stopped on drop.
pub struct HttpBin {
    child: Child,
    stdin: Option<ChildStdin>,
    port: u16,
}

/// One httpbin shared by every test of the process (stopped when the process exits).
pub fn shared() -> &'static HttpBin {
    static SERVER: OnceLock<HttpBin> = OnceLock::new();
    SERVER.get_or_init(HttpBin::start)
}

impl HttpBin {
    /// Installs httpbin if needed and starts it on a free loopback port. Panics with a clear
    /// message when that is impossible.
    pub fn start() -> HttpBin {
        let venv = ensure_installed();
        let mut last_error = String::new();
        for _ in 0..START_ATTEMPTS {
            match try_start(&venv) {
                Ok(server) => return server,
                Err(error) => last_error = error,
            }
        }
        panic!("httpbin did not start after {START_ATTEMPTS} attempts: {last_error}");
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT{path}`
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// `http://localhost:PORT{path}`: the same server under another origin.
    pub fn other_origin_url(&self, path: &str) -> String {
        format!("http://localhost:{}{path}", self.port)
    }
}

impl Drop for HttpBin {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The virtual environment holding the pinned packages, installed once under a file lock.
fn ensure_installed() -> PathBuf {
    let venv = pyvenv::pinned_venv("httpbin", REQUIREMENTS);
    fs::write(venv.join("httpbin_launcher.py"), LAUNCHER)
        .unwrap_or_else(|e| panic!("cannot write the httpbin launcher: {e}"));
    venv
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("no free loopback port")
}

fn try_start(venv: &Path) -> Result<HttpBin, String> {
    let port = free_port();
    let log_path = servers_dir().join(format!("httpbin-{port}.log"));
    let log = File::create(&log_path).map_err(|e| format!("cannot create the log: {e}"))?;
    let log_err = log.try_clone().map_err(|e| e.to_string())?;
    let mut child = Command::new(pyvenv::venv_python(venv))
        .arg(venv.join("httpbin_launcher.py"))
        .arg(port.to_string())
        .current_dir(venv)
        .stdin(Stdio::piped())
        .stdout(log)
        .stderr(log_err)
        .spawn()
        .map_err(|e| format!("cannot run the httpbin launcher: {e}"))?;
    let stdin = child.stdin.take();
    let mut server = HttpBin { child, stdin, port };
    let deadline = Instant::now() + READY_TIMEOUT;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = server.child.try_wait() {
            let log = fs::read_to_string(&log_path).unwrap_or_default();
            return Err(format!("gunicorn exited ({status}) on port {port}:\n{log}"));
        }
        if answers_get(port) {
            return Ok(server);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(server.stdin.take());
    Err(format!(
        "httpbin on port {port} did not answer GET /get within {READY_TIMEOUT:?}; log: {}",
        log_path.display()
    ))
}

/// True when `GET /get` answers 200.
fn answers_get(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET /get HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.ends_with(b"200")
}
