//! A real PostgreSQL 15 (Debian's `postgresql-15`) started by the tests: `initdb` and `pg_ctl`
//! in a temporary folder, listening on a free port of 127.0.0.1 only, run as `nobody` when the
//! tests run as root, stopped (immediately) when the [`Postgres`] is dropped.

use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Command, Output};

use super::debian;

/// Where Debian puts the server's programs.
pub const BIN_DIR: &str = "/usr/lib/postgresql/15/bin";
/// The superuser `initdb` creates.
const SUPERUSER: &str = "postgres";
/// The user the server runs as when the tests run as root.
const UNPRIVILEGED: &str = "nobody";

/// A running server; stopped on drop.
pub struct Postgres {
    dir: tempfile::TempDir,
    port: u16,
    as_user: Option<&'static str>,
}

/// Starts a fresh server, or says why it cannot (then the test skips).
pub fn start() -> Result<Postgres, String> {
    let initdb = format!("{BIN_DIR}/initdb");
    debian::ensure(&initdb, &["postgresql-15"])?;
    let as_user = is_root().then_some(UNPRIVILEGED);
    let dir = tempfile::tempdir().map_err(|e| format!("temp folder: {e}"))?;
    if let Some(user) = as_user {
        let status = Command::new("chown")
            .args(["-R", &format!("{user}:")])
            .arg(dir.path())
            .status()
            .map_err(|e| format!("chown: {e}"))?;
        if !status.success() {
            return Err("cannot give the temp folder to nobody".into());
        }
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("chmod: {e}"))?;
    }
    let server = Postgres {
        port: free_port(),
        dir,
        as_user,
    };
    let data = server.data_dir();
    server.checked(
        server
            .program("initdb")
            .args([
                "-U",
                SUPERUSER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
                "-D",
            ])
            .arg(&data),
        "initdb",
    )?;
    let options = format!(
        "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
        server.port,
        server.dir.path().display()
    );
    server.checked(
        server
            .program("pg_ctl")
            .args(["-w", "-t", "60", "-D"])
            .arg(&data)
            .args(["-l"])
            .arg(server.dir.path().join("server.log"))
            .args(["-o", &options, "start"]),
        "pg_ctl start",
    )?;
    Ok(server)
}

/// Starts a server, or prints why the test is skipped and returns `None`.
pub fn start_or_skip(test: &str) -> Option<Postgres> {
    match start() {
        Ok(server) => Some(server),
        Err(why) => {
            eprintln!("SKIPPED {test}: PostgreSQL 15 is not available: {why}");
            None
        }
    }
}

impl Postgres {
    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The port it listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A `postgres://` URL of database `database` (created by [`Postgres::create_database`]),
    /// with a password in it so that tests can check it is never shown (trust auth ignores it).
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://{SUPERUSER}:pw-{database}-hunter2@127.0.0.1:{}/{database}",
            self.port
        )
    }

    /// Creates an empty database.
    pub fn create_database(&self, name: &str) {
        self.sql("postgres", &format!("CREATE DATABASE {name}"));
    }

    /// Runs `sql` with psql in `database` and returns what it printed (unaligned, no headers).
    pub fn sql(&self, database: &str, sql: &str) -> String {
        let output = Command::new(format!("{BIN_DIR}/psql"))
            .args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1"])
            .args([
                "-p",
                &self.port.to_string(),
                "-U",
                SUPERUSER,
                "-d",
                database,
            ])
            .args(["-c", sql])
            .output()
            .expect("psql");
        assert!(
            output.status.success(),
            "psql {sql}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Everything database `database` holds, as SQL text (pg_dump --inserts).
    pub fn dump(&self, database: &str) -> String {
        let output = Command::new(format!("{BIN_DIR}/pg_dump"))
            .args(["--inserts", "-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(["-U", SUPERUSER, database])
            .output()
            .expect("pg_dump");
        assert!(output.status.success(), "pg_dump failed");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn program(&self, name: &str) -> Command {
        let path = format!("{BIN_DIR}/{name}");
        match self.as_user {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--", &path]);
                command
            }
            None => Command::new(path),
        }
    }

    fn checked(&self, command: &mut Command, what: &str) -> Result<Output, String> {
        let output = command
            .current_dir(self.dir.path())
            .output()
            .map_err(|e| format!("{what}: {e}"))?;
        if output.status.success() {
            Ok(output)
        } else {
            Err(format!(
                "{what} failed: {}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.data_dir();
        let _ = self
            .program("pg_ctl")
            .args(["-D"])
            .arg(&data)
            .args(["-m", "immediate", "-w", "stop"])
            .current_dir(self.dir.path())
            .output();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}
