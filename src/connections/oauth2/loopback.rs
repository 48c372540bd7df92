//! The loopback redirect listener of RFC 8252 §7.3: bound to 127.0.0.1 only, on an ephemeral
//! port (or the one asked for), it serves the single redirect back from the provider, answers
//! "you can close this tab", and shuts down.
//!
//! Any local user can connect to it, so a redirect counts only when the flow recognises it as
//! its own (OAuth 2: the `state` it sent; OAuth 1: its request token); anything else is answered
//! and ignored, and the listener keeps waiting until the deadline. It can also serve a one-time
//! start address (`/start/<random>`) that redirects the browser to the authorize URL, so the
//! URL with its `state` is not on the browser's command line, where `ps` shows it.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener, TcpStream};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use rand::RngCore;

use super::error::OAuthError;

/// The path of the redirect URI.
pub const CALLBACK_PATH: &str = "/cb";
const POLL_PAUSE: Duration = Duration::from_millis(25);
const MAX_REQUEST_HEAD: usize = 16 * 1024;

/// Decides whether a redirect's query parameters belong to the flow in progress.
pub type RedirectFilter<'a> = &'a dyn Fn(&[(String, String)]) -> bool;

/// A bound redirect listener. `Debug` shows the port only (the start target holds the
/// authorize URL with its `state`).
pub struct LoopbackListener {
    listener: TcpListener,
    port: u16,
    /// The one-time start path and the URL it redirects to.
    start: Mutex<Option<(String, String)>>,
}

impl std::fmt::Debug for LoopbackListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoopbackListener")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl LoopbackListener {
    /// Binds `127.0.0.1:port`, or an ephemeral port when `port` is `None`.
    pub fn bind(port: Option<u16>) -> Result<Self, OAuthError> {
        let address = SocketAddrV4::new(Ipv4Addr::LOCALHOST, port.unwrap_or(0));
        let listener = TcpListener::bind(address).map_err(|e| {
            OAuthError::Listener(format!(
                "cannot listen for the OAuth redirect on {address}: {e}{}",
                if port.is_some() {
                    "; choose another --port or leave it out"
                } else {
                    ""
                }
            ))
        })?;
        let port = listener
            .local_addr()
            .map_err(|e| OAuthError::Listener(format!("cannot read the listener's port: {e}")))?
            .port();
        listener
            .set_nonblocking(true)
            .map_err(|e| OAuthError::Listener(format!("cannot configure the listener: {e}")))?;
        Ok(LoopbackListener {
            listener,
            port,
            start: Mutex::new(None),
        })
    }

    /// A one-time local address (`http://127.0.0.1:<port>/start/<random>`) that redirects to
    /// `target`: hand it to the browser instead of `target`, which stays off command lines.
    pub fn start_url(&self, target: &str) -> String {
        let mut nonce = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let path = format!(
            "/start/{}",
            nonce.iter().map(|b| format!("{b:02x}")).collect::<String>()
        );
        let url = format!("http://127.0.0.1:{}{path}", self.port);
        if let Ok(mut start) = self.start.lock() {
            *start = Some((path, target.to_owned()));
        }
        url
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The redirect URI to send to the provider: `http://127.0.0.1:<port>/cb`.
    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}{CALLBACK_PATH}", self.port)
    }

    /// Serves requests until a redirect `is_ours` accepts arrives or `deadline` passes.
    /// Returns the redirect's query parameters, or `None` when out of time.
    pub fn wait(
        &self,
        deadline: Instant,
        is_ours: RedirectFilter<'_>,
    ) -> Option<Vec<(String, String)>> {
        while Instant::now() < deadline {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    if let Some(params) = self.serve(stream, is_ours) {
                        return Some(params);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => thread::sleep(POLL_PAUSE),
                Err(_) => thread::sleep(POLL_PAUSE),
            }
        }
        None
    }

    /// Serves one connection: the start redirect (once), the flow's own redirect (returns its
    /// parameters), or anything else (answered and ignored).
    fn serve(
        &self,
        mut stream: TcpStream,
        is_ours: RedirectFilter<'_>,
    ) -> Option<Vec<(String, String)>> {
        let _ = stream.set_nonblocking(false);
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        let head = read_head(&mut stream)?;
        let target = request_target(&head)?;
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        if let Some(location) = self.take_start(path) {
            redirect(&mut stream, &location);
            return None;
        }
        if path != CALLBACK_PATH {
            respond(&mut stream, "404 Not Found", "Not found.");
            return None;
        }
        callback(&mut stream, query, is_ours)
    }

    /// The start redirect's target, once, if `path` is the start path.
    fn take_start(&self, path: &str) -> Option<String> {
        let mut start = self.start.lock().ok()?;
        if start
            .as_ref()
            .is_some_and(|(start_path, _)| start_path == path)
        {
            return start.take().map(|(_, target)| target);
        }
        None
    }
}

/// Answers a request to the callback path: the flow's redirect (returns its parameters), a
/// stray request or someone else's redirect (ignored).
fn callback(
    stream: &mut TcpStream,
    query: &str,
    is_ours: RedirectFilter<'_>,
) -> Option<Vec<(String, String)>> {
    let params: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let has = |name: &str| params.iter().any(|(k, _)| k == name);
    let message = if has("code") || has("oauth_verifier") {
        "Authorization received. You can close this tab and return to the terminal."
    } else if has("error") || has("denied") || has("state") {
        "The provider reported an error. Return to the terminal for details."
    } else {
        // A stray request (prefetch, reload without parameters): keep waiting.
        respond(
            stream,
            "400 Bad Request",
            "This address expects the provider's redirect.",
        );
        return None;
    };
    if !is_ours(&params) {
        // Not the authorization in progress (missing or wrong state): it can neither end nor
        // feed the flow, which keeps waiting.
        respond(
            stream,
            "400 Bad Request",
            "This redirect does not belong to the authorization in progress and was ignored.",
        );
        return None;
    }
    respond(stream, "200 OK", message);
    Some(params)
}

fn redirect(stream: &mut TcpStream, location: &str) {
    let response = format!(
        "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\
         Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n"
    );
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
}

fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_REQUEST_HEAD {
        let read = stream.read(&mut buffer).ok()?;
        if read == 0 {
            break;
        }
        head.extend_from_slice(&buffer[..read]);
    }
    String::from_utf8(head).ok()
}

fn request_target(head: &str) -> Option<&str> {
    let mut parts = head.lines().next()?.split_whitespace();
    let method = parts.next()?;
    (method == "GET").then_some(())?;
    parts.next()
}

fn respond(stream: &mut TcpStream, status: &str, message: &str) {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>dlg</title></head>\
         <body><p>{message}</p></body></html>"
    );
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(port: u16, target: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(stream, "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        reply
    }

    #[test]
    fn serves_one_redirect_and_ignores_other_paths() {
        let listener = LoopbackListener::bind(None).unwrap();
        let port = listener.port();
        assert_eq!(
            listener.redirect_uri(),
            format!("http://127.0.0.1:{port}/cb")
        );
        let client = thread::spawn(move || {
            let bare = get(port, "/cb");
            assert!(bare.starts_with("HTTP/1.1 400"), "{bare}");
            let favicon = get(port, "/favicon.ico");
            let redirect = get(port, "/cb?code=abc&state=x%20y");
            (favicon, redirect)
        });
        let params = listener
            .wait(Instant::now() + Duration::from_secs(10), &|_| true)
            .unwrap();
        let (favicon, redirect) = client.join().unwrap();
        assert!(favicon.starts_with("HTTP/1.1 404"));
        assert!(redirect.contains("You can close this tab"));
        assert_eq!(
            params,
            vec![
                ("code".into(), "abc".into()),
                ("state".into(), "x y".into())
            ]
        );
    }

    #[test]
    fn gives_up_at_the_deadline() {
        let listener = LoopbackListener::bind(None).unwrap();
        assert!(listener
            .wait(Instant::now() + Duration::from_millis(60), &|_| true)
            .is_none());
    }

    #[test]
    fn a_busy_port_is_reported_with_a_fix() {
        let first = LoopbackListener::bind(None).unwrap();
        let error = LoopbackListener::bind(Some(first.port())).unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("cannot listen for the OAuth redirect on 127.0.0.1:"),
            "{text}"
        );
        assert!(text.contains("choose another --port"), "{text}");
    }

    #[test]
    fn the_start_address_redirects_once_to_the_authorize_url() {
        let listener = LoopbackListener::bind(None).unwrap();
        let start = listener.start_url("https://idp.example/auth?state=s1");
        assert!(!format!("{listener:?}").contains("state"));
        let path = start
            .strip_prefix(&format!("http://127.0.0.1:{}", listener.port()))
            .unwrap()
            .to_owned();
        assert_eq!(path.len(), "/start/".len() + 32);
        let port = listener.port();
        let client = thread::spawn(move || {
            let first = get(port, &path);
            let second = get(port, &path);
            let done = get(port, "/cb?code=c&state=s1");
            (first, second, done)
        });
        let params = listener.wait(Instant::now() + Duration::from_secs(10), &|_| true);
        let (first, second, _) = client.join().unwrap();
        assert!(first.starts_with("HTTP/1.1 302"), "{first}");
        assert!(
            first.contains("Location: https://idp.example/auth?state=s1\r\n"),
            "{first}"
        );
        assert!(second.starts_with("HTTP/1.1 404"), "{second}");
        assert!(params.is_some());
    }
}
