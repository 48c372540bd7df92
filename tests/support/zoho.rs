//! The local Zoho API server (`zoho_server.py`, Python standard library only) and a `dlg`
//! home with an OAuth 2 connection to it, for the Zoho task tests.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use super::peer::{support_dir, Peer};

/// Starts a fresh server (its data is per server); `check_url` makes it accept the tokens an
/// OpenID userinfo endpoint accepts instead of the ones it issued.
pub fn start(check_url: Option<&str>) -> Peer {
    let mut command = Command::new("python3");
    command.arg(support_dir().join("zoho_server.py"));
    if let Some(url) = check_url {
        command.env("ZOHO_TOKEN_CHECK_URL", url);
    }
    Peer::start("local Zoho API", command)
}

/// Runs `dlg ARGS` with `home` as `DLG_HOME` and no Zoho variables from the environment.
pub fn dlg(home: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(super::dlg_bin());
    command
        .args(args)
        .env("DLG_HOME", home)
        .env_remove("DLG_MASTER_KEY")
        .stdin(Stdio::null());
    for name in [
        "CRM",
        "BOOKS",
        "CREATOR",
        "DESK",
        "INVENTORY",
        "PARAMS",
        "CRM_API_VERSION",
    ] {
        command.env_remove(format!("DLG_ZOHO_{name}"));
    }
    command.output().expect("run dlg")
}

/// Runs `dlg ARGS` and panics with its output unless it succeeds; returns standard output.
pub fn dlg_ok(home: &Path, args: &[&str]) -> String {
    let output = dlg(home, args);
    assert!(
        output.status.success(),
        "dlg {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Writes `secret` to a file in `home` and returns the `@FILE` argument that reads it (dlg
/// refuses secrets written on the command line).
pub fn secret_arg(home: &Path, name: &str, secret: &str) -> String {
    let path = home.join(format!("{name}.secret"));
    std::fs::write(&path, secret).expect("write the secret file");
    format!("@{}", path.display())
}

/// Sets up service `service` (client credentials against the server's token endpoint,
/// `Zoho-oauthtoken`, `--api-base` the server) and an authorized connection `link`.
pub fn connect(home: &Path, server: &Peer, service: &str, link: &str) {
    connect_with_secret(home, server, service, link, "local-secret");
}

/// Like [`connect`] with `client_secret` as the service's client secret (a canary a test
/// looks for in recordings).
pub fn connect_with_secret(
    home: &Path,
    server: &Peer,
    service: &str,
    link: &str,
    client_secret: &str,
) {
    let base = server.base_url();
    let token_url = format!("{base}/oauth/v2/token");
    let secret = secret_arg(home, service, client_secret);
    dlg_ok(
        home,
        &[
            "service",
            "create",
            service,
            "--auth",
            "oauth2",
            "--grant",
            "client-credentials",
            "--token-url",
            &token_url,
            "--client-id",
            "local-client",
            "--client-secret",
            &secret,
            "--token-prefix",
            "Zoho-oauthtoken",
            "--api-base",
            &base,
        ],
    );
    dlg_ok(
        home,
        &[
            "connection",
            "create",
            link,
            "--service",
            service,
            "--scope",
            "ZohoCRM.modules.ALL",
        ],
    );
    dlg_ok(home, &["connection", "authorize", link]);
}

/// The requests the server logged, as JSON, oldest first. The server logs a request before
/// answering it; this waits until the log reader has caught up (no new line for 100 ms).
pub fn requests(server: &Peer) -> Vec<serde_json::Value> {
    let mut seen = server.stdout_lines().len();
    loop {
        std::thread::sleep(std::time::Duration::from_millis(100));
        let now = server.stdout_lines().len();
        if now == seen {
            break;
        }
        seen = now;
    }
    server
        .stdout_lines()
        .iter()
        .filter_map(|line| line.strip_prefix("REQUEST "))
        .map(|json| serde_json::from_str(json).expect("logged JSON"))
        .collect()
}

/// A server, a `dlg` home with service `zoho_crm_local` and connection `c` to it.
pub struct Fixture {
    /// The local Zoho API server.
    pub server: Peer,
    /// The `DLG_HOME` folder.
    pub home: tempfile::TempDir,
}

impl Fixture {
    /// Starts a server and sets up the home.
    pub fn new() -> Fixture {
        let server = start(None);
        let home = tempfile::tempdir().unwrap();
        connect(home.path(), &server, "zoho_crm_local", "c");
        Fixture { server, home }
    }

    /// Runs `script` with `dlg run [flags]`.
    pub fn run(&self, script: &str, flags: &[&str]) -> Output {
        let path = self.home.path().join("script.dg");
        std::fs::write(&path, script).unwrap();
        let mut args = vec!["run", path.to_str().unwrap()];
        args.extend_from_slice(flags);
        dlg(self.home.path(), &args)
    }

    /// Runs `script` and returns its `info` lines; panics when it fails.
    pub fn lines(&self, script: &str, flags: &[&str]) -> Vec<String> {
        let output = self.run(script, flags);
        assert!(
            output.status.success(),
            "the script failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// The API requests the server received (not token requests), oldest first.
    pub fn requests(&self) -> Vec<serde_json::Value> {
        requests(&self.server)
    }

    /// The `Authorization` value of the first request (`Zoho-oauthtoken tok-...`).
    pub fn token(&self) -> String {
        let auth = self.requests()[0]["authorization"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(auth.starts_with("Zoho-oauthtoken tok-"), "{auth}");
        auth
    }
}

/// Standard error of a finished command, as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
