//! A loopback HTTPS server with a self-signed certificate (made with `openssl`), served by
//! Python's standard library. Stopped on drop, or when the test process exits.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdin, Command, Stdio};

const SERVER: &str = r#"
import http.server, ssl, sys, threading
server = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[1], sys.argv[2])
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.buffer.read()
"#;

/// A running self-signed HTTPS server.
pub struct SelfSignedServer {
    child: Child,
    stdin: Option<ChildStdin>,
    port: u16,
    _dir: tempfile::TempDir,
}

impl SelfSignedServer {
    /// Makes a certificate for 127.0.0.1 and starts the server. Panics with a clear message
    /// when `openssl` or `python3` is missing.
    pub fn start() -> SelfSignedServer {
        let dir = tempfile::tempdir().expect("no temporary directory");
        let cert = dir.path().join("cert.pem");
        let key = dir.path().join("key.pem");
        let status = Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            ])
            .args([
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
            ])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("TLS test setup: cannot run openssl (install the openssl package)");
        assert!(
            status.success(),
            "TLS test setup: openssl could not make a certificate"
        );
        let mut child =
            Command::new(std::env::var("DLG_TEST_PYTHON").unwrap_or_else(|_| "python3".into()))
                .arg("-c")
                .arg(SERVER)
                .arg(&cert)
                .arg(&key)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .expect("TLS test setup: cannot run python3");
        let stdin = child.stdin.take();
        let mut line = String::new();
        let stdout = child.stdout.take().expect("piped stdout");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("TLS test setup: the HTTPS server printed no port");
        let port = line.trim().parse().unwrap_or_else(|_| {
            panic!("TLS test setup: the HTTPS server failed to start ({line:?})")
        });
        SelfSignedServer {
            child,
            stdin,
            port,
            _dir: dir,
        }
    }

    /// `https://127.0.0.1:PORT{path}`
    pub fn url(&self, path: &str) -> String {
        format!("https://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for SelfSignedServer {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
