//! oidc-provider 9.13.3 (npm), the strict OAuth 2 peer (connections.md §7.2).

use std::fs;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use super::peer::{ensure_installed, run_install_step, servers_dir, support_dir, Peer};

/// Installs oidc-provider from the committed lockfile (once) and returns the install folder.
pub fn install() -> PathBuf {
    let source = support_dir().join("oidc");
    let dir = servers_dir().join("oidc");
    let read = |name: &str| {
        fs::read_to_string(source.join(name))
            .unwrap_or_else(|e| panic!("cannot read tests/support/oidc/{name}: {e}"))
    };
    let (package, lock, server) = (
        read("package.json"),
        read("package-lock.json"),
        read("server.mjs"),
    );
    let fingerprint = format!("{package}\n{lock}\n{server}");
    ensure_installed("oidc", &dir, &fingerprint, |dir| {
        for (name, text) in [
            ("package.json", &package),
            ("package-lock.json", &lock),
            ("server.mjs", &server),
        ] {
            fs::write(dir.join(name), text)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", dir.join(name).display()));
        }
        run_install_step(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(dir),
            "`npm ci` for oidc-provider 9.13.3 (needs node and npm)",
        );
    });
    dir
}

/// A new oidc-provider instance on an ephemeral port.
pub fn start() -> Peer {
    let dir = install();
    let mut command = Command::new("node");
    command.arg("server.mjs").current_dir(&dir);
    Peer::start("oidc-provider", command)
}

/// One instance shared by the tests of this binary (stops when the test process exits).
pub fn shared() -> &'static Peer {
    static PEER: OnceLock<Peer> = OnceLock::new();
    PEER.get_or_init(start)
}
