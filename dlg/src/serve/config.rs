//! The server's configuration, as `dlg serve`'s flags give it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Default address: loopback only, port 8080.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// How `dlg serve` runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// The `.dg` files and folders whose functions are served.
    pub paths: Vec<PathBuf>,
    /// The address to listen on.
    pub listen: SocketAddr,
    /// No API key needed (explicit opt-out, logged loudly).
    pub public: bool,
    /// Wall time of one call.
    pub timeout: Duration,
    /// Statements one call may execute.
    pub max_statements: Option<u64>,
    /// Calls run at once (blocking threads).
    pub workers: usize,
    /// Calls that may wait for a worker; one more gets 503.
    pub max_queue: usize,
    /// Largest request body, in bytes (413 above).
    pub max_body_bytes: usize,
    /// Let `invokeurl` reach private and loopback networks.
    pub allow_private: bool,
    /// How often the script files are checked for changes.
    pub reload_interval: Duration,
    /// Set `SO_REUSEPORT`, so that several processes can listen on one port.
    pub reuse_port: bool,
    /// The addresses browsers use for the Connections pages (`HOST[:PORT]` or a URL); empty:
    /// the address listened on.
    pub public_hosts: Vec<String>,
}

impl Config {
    /// A configuration serving `paths` with the defaults of `dlg serve`.
    pub fn new(paths: Vec<PathBuf>) -> Config {
        Config {
            paths,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public: false,
            timeout: Duration::from_secs(30),
            max_statements: Some(500_000),
            workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            max_queue: 64,
            max_body_bytes: 1024 * 1024,
            allow_private: false,
            reload_interval: Duration::from_secs(1),
            reuse_port: false,
            public_hosts: Vec::new(),
        }
    }
}
