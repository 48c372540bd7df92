//! The oauthlib 4.0.1 OAuth 1.0a provider (connections.md §7.4), in a virtual environment.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use super::peer::{ensure_installed, run_install_step, servers_dir, support_dir, Peer};

const REQUIREMENT: &str = "oauthlib==4.0.1";

/// Creates the virtual environment with oauthlib (once) and returns its Python.
pub fn install() -> PathBuf {
    let dir = servers_dir().join("oauthlib-venv");
    ensure_installed("oauthlib", &dir, REQUIREMENT, |dir| {
        run_install_step(
            Command::new("python3").args(["-m", "venv"]).arg(dir),
            "`python3 -m venv` (needs Python 3 with the venv module)",
        );
        run_install_step(
            Command::new(dir.join("bin/python")).args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                REQUIREMENT,
            ]),
            "`pip install oauthlib==4.0.1`",
        );
    });
    dir.join("bin/python")
}

/// A new provider; `timestamp_lifetime` in seconds (huge to replay fixed-timestamp vectors).
pub fn start(timestamp_lifetime: u64) -> Peer {
    let python = install();
    let mut command = Command::new(python);
    command
        .arg(support_dir().join("oauth1_provider.py"))
        .env("OAUTH1_TIMESTAMP_LIFETIME", timestamp_lifetime.to_string());
    Peer::start("oauthlib OAuth 1 provider", command)
}

/// One provider with the default 600 s timestamp window, shared by this binary's tests.
pub fn shared() -> &'static Peer {
    static PEER: OnceLock<Peer> = OnceLock::new();
    PEER.get_or_init(|| start(600))
}
