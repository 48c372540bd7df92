//! The fleet-wide refresh lock of one connection: a transaction-scoped advisory lock on a
//! connection of its own, so that it is released when the guard is dropped or, if the process
//! dies, when PostgreSQL sees the session end.

use postgres::{Client, Config, NoTls};

/// How long to wait for another machine's refresh before giving up (as the file lock).
const LOCK_TIMEOUT: &str = "30s";

/// A held advisory lock (its own session, inside an open transaction).
pub struct RefreshLock {
    client: Client,
}

impl std::fmt::Debug for RefreshLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RefreshLock")
    }
}

impl RefreshLock {
    /// Opens a session and takes the lock named after `tenant` and `link_name`, waiting up to
    /// 30 s.
    pub fn acquire(
        config: &Config,
        tenant: &str,
        link_name: &str,
    ) -> Result<RefreshLock, postgres::Error> {
        let mut client = config.connect(NoTls)?;
        client.batch_execute(&format!("SET lock_timeout = '{LOCK_TIMEOUT}'; BEGIN"))?;
        let name = format!("dlg refresh/{tenant}/{link_name}");
        client.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            &[&name],
        )?;
        Ok(RefreshLock { client })
    }
}

impl Drop for RefreshLock {
    fn drop(&mut self) {
        let _ = self.client.batch_execute("COMMIT");
    }
}
