//! The `invokeurl` overhead benchmark's peers: a keep-alive HTTP/1.1 server on 127.0.0.1 and a
//! plain reqwest client loop to compare `dlg` against. `benches/harness.py` builds and runs them.
//!
//! ```text
//! http-peer serve            prints the port, then answers every GET with {"ok":true}
//! http-peer get URL COUNT    COUNT sequential GETs on one client, each body parsed as JSON
//! ```

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};

/// The reply to every request: a small JSON object, kept alive.
const RESPONSE: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{\"ok\":true}";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["serve"] => serve(),
        ["get", url, count] => match count.parse() {
            Ok(count) => get_loop(url, count),
            Err(_) => eprintln!("http-peer get: COUNT must be a number, not {count}"),
        },
        _ => eprintln!("usage: http-peer serve | http-peer get URL COUNT"),
    }
}

/// Serves until killed; one thread per connection.
fn serve() {
    let listener = match TcpListener::bind("127.0.0.1:0") {
        Ok(listener) => listener,
        Err(e) => return eprintln!("http-peer serve: cannot listen on 127.0.0.1: {e}"),
    };
    match listener.local_addr() {
        Ok(addr) => println!("{}", addr.port()),
        Err(e) => return eprintln!("http-peer serve: no local address: {e}"),
    }
    let _ = std::io::stdout().flush();
    for stream in listener.incoming().flatten() {
        std::thread::spawn(move || answer(stream));
    }
}

/// Answers the requests of one connection until the client closes it.
fn answer(stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        let mut body_len = 0usize;
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if line == "\r\n" || line == "\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    body_len = value.trim().parse().unwrap_or(0);
                }
            }
        }
        if body_len > 0 {
            let mut body = vec![0; body_len];
            if std::io::Read::read_exact(&mut reader, &mut body).is_err() {
                return;
            }
        }
        if writer.write_all(RESPONSE).is_err() {
            return;
        }
    }
}

/// `count` sequential GETs on one client; prints how many bodies parsed.
fn get_loop(url: &str, count: u32) {
    let client = reqwest::blocking::Client::new();
    let mut parsed = 0u32;
    for _ in 0..count {
        let body = match client.get(url).send().and_then(|r| r.bytes()) {
            Ok(body) => body,
            Err(e) => return eprintln!("http-peer get: {e}"),
        };
        if serde_json::from_slice::<serde_json::Value>(&body).is_ok() {
            parsed += 1;
        }
    }
    println!("{parsed}");
}
