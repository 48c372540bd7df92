//! A hostile HTTP/1.1 server on 127.0.0.1 for the security tests: it records every request it
//! receives (head and body, so a test can look for leaked credentials) and answers with whatever
//! the test's handler says, including bodies far larger than any sane response.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// One request as received.
#[derive(Clone, Debug)]
pub struct Captured {
    /// The request line, e.g. `GET /x HTTP/1.1`.
    pub line: String,
    /// Header names (lowercase) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// When it arrived.
    pub at: Instant,
}

impl Captured {
    /// The path and query of the request line.
    pub fn target(&self) -> &str {
        self.line.split(' ').nth(1).unwrap_or("")
    }

    /// The values of header `name` (any case).
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The whole request as text, to search for a leaked secret.
    pub fn text(&self) -> String {
        let mut text = self.line.clone();
        for (name, value) in &self.headers {
            text.push_str(&format!("\n{name}: {value}"));
        }
        text.push('\n');
        text.push_str(&String::from_utf8_lossy(&self.body));
        text
    }
}

/// What the server answers.
pub enum Reply {
    /// A complete response.
    Fixed {
        /// Status code.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// Body.
        body: Vec<u8>,
    },
    /// A `200` with a chunked JSON-looking body of `total` bytes, written as long as the client
    /// keeps reading. Stands for an endless response without filling the test machine.
    Huge {
        /// How many bytes at most.
        total: usize,
    },
}

impl Reply {
    /// `200` with a JSON body.
    pub fn json(body: &str) -> Reply {
        Reply::status_json(200, body)
    }

    /// `status` with a JSON body.
    pub fn status_json(status: u16, body: &str) -> Reply {
        Reply::Fixed {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// A redirect to `location`.
    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::Fixed {
            status,
            headers: vec![("Location".into(), location.into())],
            body: Vec::new(),
        }
    }
}

type Handler = dyn Fn(&Captured, usize) -> Reply + Send + Sync;

/// A running hostile server; stops when dropped.
pub struct EvilServer {
    /// Its port on 127.0.0.1.
    pub port: u16,
    requests: Arc<Mutex<Vec<Captured>>>,
    bytes_sent: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl EvilServer {
    /// Starts a server whose `handler` gets each request and its 0-based number.
    pub fn start(handler: impl Fn(&Captured, usize) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local address").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let bytes_sent = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let (seen, sent, stopping) = (requests.clone(), bytes_sent.clone(), stop.clone());
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (seen, sent, handler) = (seen.clone(), sent.clone(), handler.clone());
                thread::spawn(move || serve(stream, &seen, &sent, handler.as_ref()));
            }
        });
        EvilServer {
            port,
            requests,
            bytes_sent,
            stop,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Captured> {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Body bytes written so far (for huge replies: how much the client read).
    pub fn bytes_sent(&self) -> usize {
        self.bytes_sent.load(Ordering::SeqCst)
    }
}

impl Drop for EvilServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(stream: TcpStream, seen: &Mutex<Vec<Captured>>, sent: &AtomicUsize, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut writer = stream;
    loop {
        let Some(request) = read_request(&mut reader) else {
            return;
        };
        let number = {
            let mut all = seen.lock().unwrap_or_else(|e| e.into_inner());
            all.push(request.clone());
            all.len() - 1
        };
        if write_reply(&mut writer, handler(&request, number), sent).is_err() {
            return;
        }
    }
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Captured> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Captured {
        line: line.trim_end().to_owned(),
        headers,
        body,
        at: Instant::now(),
    })
}

fn write_reply(writer: &mut TcpStream, reply: Reply, sent: &AtomicUsize) -> std::io::Result<()> {
    match reply {
        Reply::Fixed {
            status,
            headers,
            body,
        } => {
            let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\n", body.len());
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            writer.write_all(head.as_bytes())?;
            writer.write_all(&body)?;
            sent.fetch_add(body.len(), Ordering::SeqCst);
            writer.flush()
        }
        Reply::Huge { total } => {
            writer.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                  Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
            )?;
            let chunk = vec![b' '; 64 * 1024];
            writer.write_all(format!("{:x}\r\n{{\"access_token\":\"", 17).as_bytes())?;
            writer.write_all(b"\r\n")?;
            let mut written = 0;
            while written < total {
                writer.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())?;
                writer.write_all(&chunk)?;
                writer.write_all(b"\r\n")?;
                written += chunk.len();
                sent.fetch_add(chunk.len(), Ordering::SeqCst);
            }
            writer.write_all(b"0\r\n\r\n")?;
            let _ = writer.shutdown(Shutdown::Write);
            Ok(())
        }
    }
}
