//! `dlg serve PATH... [--listen ADDR] ...` and `dlg serve key create|list|revoke NAME`: the
//! flags of the HTTP server (see docs/serve.md), handed to `crate::serve`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};

use super::{EXIT_OK, EXIT_RUNTIME, EXIT_USAGE};
use crate::serve::config::{Config, DEFAULT_LISTEN};
use crate::serve::keys::KeyFile;

/// `dlg serve`
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ServeArgs {
    /// Manage API keys instead of serving.
    #[command(subcommand)]
    pub command: Option<KeyCommand>,
    /// The `.dg` files and folders whose functions are served (folders with the source
    /// selection of their project; `*_test.dg` files are left out).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = DEFAULT_LISTEN)]
    pub listen: SocketAddr,
    /// Serve without API keys: anyone who can reach the address may call every function.
    #[arg(long)]
    pub public: bool,
    /// Wall time of one call, in seconds (408 above it).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub timeout: f64,
    /// Statements one call may execute (408 above it); 0 = unlimited.
    #[arg(long, value_name = "N", default_value_t = 500_000)]
    pub max_statements: u64,
    /// Calls run at once, each on its own thread [default: the number of CPUs].
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
    /// Calls that may wait for a free worker; beyond them calls get 503 at once.
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub max_queue: usize,
    /// Largest request body, in bytes (413 above it).
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024)]
    pub max_body: usize,
    /// Let `invokeurl` reach private, loopback and link-local addresses (denied by default).
    #[arg(long)]
    pub allow_private: bool,
    /// How often to check the files for changes, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    pub reload_interval: u64,
    /// Let several `dlg serve` processes listen on the same port (SO_REUSEPORT).
    #[arg(long)]
    pub reuse_port: bool,
    /// The address browsers use for the Connections pages at /connections: HOST[:PORT], or a
    /// URL such as https://dlg.example.com behind a proxy; the only Host headers accepted
    /// there (repeatable) [default: the --listen address].
    #[arg(long, value_name = "HOST")]
    pub public_host: Vec<String>,
}

/// `dlg serve key ...`
#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// API keys: `create NAME` (printed once), `list`, `revoke NAME`.
    Key {
        /// What to do with keys.
        #[command(subcommand)]
        action: KeyAction,
    },
}

/// The `dlg serve key` actions.
#[derive(Debug, Subcommand)]
pub enum KeyAction {
    /// Make a key and print it (the only time it is shown; only its SHA-256 is stored).
    Create {
        /// A name for the key (letters, digits, `-`, `_`, `.`), shown in the access log.
        name: String,
        /// An admin key: it opens the Connections pages at /connections (and calls functions).
        #[arg(long)]
        admin: bool,
    },
    /// List the keys' names and creation times.
    List,
    /// Remove a key: calls with it get 401 from then on, on running servers too.
    Revoke {
        /// The key's name.
        name: String,
    },
}

/// Runs `dlg serve ...` and returns the exit code.
pub fn run(args: ServeArgs) -> i32 {
    if let Some(KeyCommand::Key { action }) = args.command {
        return keys(action);
    }
    let config = match config(args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    match crate::serve::run(config) {
        Ok(()) => EXIT_OK,
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_RUNTIME
        }
    }
}

/// The server configuration from the flags.
fn config(args: ServeArgs) -> Result<Config, String> {
    if args.paths.is_empty() {
        return Err("give the .dg files or folders to serve: dlg serve PATH...".to_owned());
    }
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        return Err(format!(
            "--timeout {}: give a number of seconds above 0",
            args.timeout
        ));
    }
    let mut config = Config::new(args.paths);
    config.listen = args.listen;
    config.public = args.public;
    config.timeout = Duration::from_secs_f64(args.timeout);
    config.max_statements = (args.max_statements > 0).then_some(args.max_statements);
    if let Some(workers) = args.workers {
        if workers == 0 {
            return Err("--workers 0: give at least 1".to_owned());
        }
        config.workers = workers;
    }
    config.max_queue = args.max_queue;
    config.max_body_bytes = args.max_body;
    config.allow_private = args.allow_private;
    config.reload_interval = Duration::from_millis(args.reload_interval.max(10));
    config.reuse_port = args.reuse_port;
    config.public_hosts = args.public_host;
    Ok(config)
}

/// `dlg serve key create|list|revoke`.
fn keys(action: KeyAction) -> i32 {
    let result = KeyFile::open_default().and_then(|file| match action {
        KeyAction::Create { name, admin } => file.create(&name, admin).map(|key| {
            println!("{key}");
            let usage = if admin {
                "Sign in with it at /connections/login (it calls functions too)."
            } else {
                "Pass it as ?zapikey=KEY or Authorization: Bearer KEY."
            };
            eprintln!(
                "API key `{name}` created. It is shown only this once: store it now. {usage}"
            );
        }),
        KeyAction::List => file.list().map(|keys| {
            if keys.is_empty() {
                println!("no API keys (make one with dlg serve key create NAME)");
            }
            for key in keys {
                let role = if key.admin { "admin" } else { "functions" };
                println!("{}\t{}\t{role}", key.name, key.created);
            }
        }),
        KeyAction::Revoke { name } => file
            .revoke(&name)
            .map(|()| println!("API key `{name}` revoked")),
    });
    match result {
        Ok(()) => EXIT_OK,
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_RUNTIME
        }
    }
}
