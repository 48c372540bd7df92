//! The loopback redirect listener of RFC 8252 §7.3: bound to 127.0.0.1 only, on an ephemeral
//! port (or the one asked for), it serves the single redirect back from the provider, answers
//! "you can close this tab", and shuts down.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use super::error::OAuthError;

/// The path of the redirect URI.
pub const CALLBACK_PATH: &str = "/cb";
const POLL_PAUSE: Duration = Duration::from_millis(25);
const MAX_REQUEST_HEAD: usize = 16 * 1024;

/// A bound redirect listener.
#[derive(Debug)]
pub struct LoopbackListener {
    listener: TcpListener,
    port: u16,
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
        Ok(LoopbackListener { listener, port })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The redirect URI to send to the provider: `http://127.0.0.1:<port>/cb`.
    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}{CALLBACK_PATH}", self.port)
    }

    /// Serves requests until the redirect arrives or `deadline` passes. Returns the redirect's
    /// query parameters, or `None` when out of time.
    pub fn wait(&self, deadline: Instant) -> Option<Vec<(String, String)>> {
        while Instant::now() < deadline {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    if let Some(params) = serve(stream) {
                        return Some(params);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => thread::sleep(POLL_PAUSE),
                Err(_) => thread::sleep(POLL_PAUSE),
            }
        }
        None
    }
}

/// Serves one connection: the redirect (returns its parameters) or anything else (404).
fn serve(mut stream: TcpStream) -> Option<Vec<(String, String)>> {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let head = read_head(&mut stream)?;
    let target = request_target(&head)?;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if path != CALLBACK_PATH {
        respond(&mut stream, "404 Not Found", "Not found.");
        return None;
    }
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
            &mut stream,
            "400 Bad Request",
            "This address expects the provider's redirect.",
        );
        return None;
    };
    respond(&mut stream, "200 OK", message);
    Some(params)
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
            .wait(Instant::now() + Duration::from_secs(10))
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
            .wait(Instant::now() + Duration::from_millis(60))
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
}
