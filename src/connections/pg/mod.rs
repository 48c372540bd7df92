//! The PostgreSQL store: every tenant's services and connections in `dlg_*` tables, with the
//! same model and encryption as the file store (AES-256-GCM records under `DLG_MASTER_KEY`, and
//! an authentication code over each tenant's content). One database serves many machines and
//! tenants: reads are one repeatable-read transaction, writes hold the tenant's row lock, and
//! refreshes hold an advisory lock per connection ([`RefreshLock`]).
//!
//! The driver is `postgres` (blocking, like the rest of the store) without TLS: use it on
//! loopback, a private network or a Unix socket (see docs/connections.md).

mod location;
mod refresh_lock;
mod rows;
mod schema;

pub use refresh_lock::RefreshLock;

use super::backend::{ConnectionLock, Origin, StoreBackend};
use super::crypto::MasterKey;
use crate::connections::ConnectionError;
use super::model::{validate_link_name, NameKind};
use super::store::{validate_tenant, Transaction};
use super::store_file::{scoped_code, scoped_code_matches, StoreFile};
use postgres::{Client, Config, IsolationLevel, NoTls};
use rows::{RowsError, TenantRows};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Most database sessions kept open between operations (more are opened when threads need
/// them at once, and closed after use).
const MAX_IDLE: usize = 4;

/// One tenant of one database, with sessions kept open between operations.
pub struct PgBackend {
    config: Config,
    tenant: String,
    /// The URL without password, for messages.
    url: String,
    /// The URL without password and the tenant, for messages.
    label: PathBuf,
    /// Open sessions not in use. A session is taken out for each operation, so operations on
    /// several threads (or nested ones) never wait for each other here.
    idle: Mutex<Vec<Client>>,
    /// Whether this process has checked (and if needed migrated) the schema.
    migrated: AtomicBool,
}

/// The backends opened in this process, by URL and tenant.
type Opened = HashMap<(String, String), Arc<PgBackend>>;

impl PgBackend {
    /// The backend of `url` and `tenant`, shared by every store handle of this process that
    /// names them (one database session, one migration check), opened on first request.
    pub fn shared(url: &str, tenant: &str) -> Result<Arc<PgBackend>, ConnectionError> {
        static OPENED: OnceLock<Mutex<Opened>> = OnceLock::new();
        let mut opened = OPENED
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let key = (url.to_owned(), tenant.to_owned());
        if let Some(backend) = opened.get(&key) {
            return Ok(Arc::clone(backend));
        }
        let backend = Arc::new(PgBackend::open(url, tenant)?);
        opened.insert(key, Arc::clone(&backend));
        Ok(backend)
    }

    /// The store at `url` for `tenant`; nothing is connected until first use.
    pub fn open(url: &str, tenant: &str) -> Result<PgBackend, ConnectionError> {
        validate_tenant(tenant)?;
        let config = location::config(url)?;
        let url = location::redact(url);
        let label = PathBuf::from(format!("{url} (tenant {tenant})"));
        Ok(PgBackend {
            config,
            tenant: tenant.to_owned(),
            url,
            label,
            idle: Mutex::new(Vec::new()),
            migrated: AtomicBool::new(false),
        })
    }

    /// Runs `work` on an idle session, or a new one (checking the schema on the first). A
    /// session the server closed is dropped, so the next operation reconnects.
    fn with_client<T>(
        &self,
        action: &'static str,
        work: impl FnOnce(&mut Client) -> Result<T, RowsError>,
    ) -> Result<T, ConnectionError> {
        let reused = self.idle_sessions().pop();
        let mut client = match reused {
            Some(client) if !client.is_closed() => client,
            _ => self.connect()?,
        };
        let result = work(&mut client);
        if !client.is_closed() {
            let mut idle = self.idle_sessions();
            if idle.len() < MAX_IDLE {
                idle.push(client);
            }
        }
        result.map_err(|error| match error {
            RowsError::Database(error) => self.database(action, describe(&error)),
            RowsError::Corrupt(detail) => ConnectionError::StoreCorrupt {
                path: self.label.clone(),
                detail,
            },
        })
    }

    fn idle_sessions(&self) -> std::sync::MutexGuard<'_, Vec<Client>> {
        self.idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn connect(&self) -> Result<Client, ConnectionError> {
        let mut client = self
            .config
            .connect(NoTls)
            .map_err(|error| self.database("connect", describe(&error)))?;
        if self.migrated.load(Ordering::Acquire) {
            return Ok(client);
        }
        match schema::migrate(&mut client) {
            Ok(schema::Outcome::Ready) => {
                self.migrated.store(true, Ordering::Release);
                Ok(client)
            }
            Ok(schema::Outcome::TooNew(version)) => Err(ConnectionError::SchemaTooNew {
                store: self.url.clone(),
                version,
            }),
            Err(error) => Err(self.database("create or migrate its tables", describe(&error))),
        }
    }

    fn database(&self, action: &'static str, detail: String) -> ConnectionError {
        ConnectionError::Database {
            store: self.label.display().to_string(),
            action,
            detail,
        }
    }

    /// The tenant's content checked against its code, and the key it was checked with.
    fn verified(
        &self,
        rows: TenantRows,
        origin: &Origin,
    ) -> Result<(StoreFile, Option<MasterKey>), ConnectionError> {
        let Some((key_check, code)) = rows.seal else {
            return Ok((rows.file, None));
        };
        let key = origin.require_key()?;
        if key_check.is_some_and(|check| check != key.check_value()) {
            return Err(ConnectionError::KeyMismatch {
                store: self.label.clone(),
                origin: key.origin().to_owned(),
            });
        }
        if !scoped_code_matches(&rows.file, &key, &self.scope(), &code)? {
            return Err(ConnectionError::DatabaseTampered {
                store: self.label.display().to_string(),
            });
        }
        Ok((rows.file, Some(key)))
    }

    /// What the authentication code binds the content to: this tenant.
    fn scope(&self) -> String {
        format!("deluge-lang/postgres/tenant/{}", self.tenant)
    }
}

impl StoreBackend for PgBackend {
    fn label(&self) -> &Path {
        &self.label
    }

    fn key_dir(&self) -> Option<&Path> {
        None
    }

    fn tenant(&self) -> Option<&str> {
        Some(&self.tenant)
    }

    fn load(&self, origin: &Origin) -> Result<(StoreFile, Option<MasterKey>), ConnectionError> {
        let rows = self.with_client("read the connections", |client| {
            let mut transaction = client
                .build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()?;
            let rows = rows::read(&mut transaction, &self.tenant, false)?;
            transaction.commit()?;
            Ok(rows)
        })?;
        self.verified(rows, origin)
    }

    fn update(
        &self,
        origin: &Origin,
        change: &mut dyn FnMut(&mut Transaction) -> Result<(), ConnectionError>,
    ) -> Result<(), ConnectionError> {
        let mut outcome = Ok(());
        self.with_client("save the connections", |client| {
            let mut transaction = client.transaction()?;
            let rows = rows::read(&mut transaction, &self.tenant, true)?;
            outcome = self.change_rows(&mut transaction, rows, origin, change);
            if outcome.is_ok() {
                transaction.commit()?;
            }
            Ok(())
        })?;
        outcome
    }

    fn lock_connection(&self, link_name: &str) -> Result<ConnectionLock, ConnectionError> {
        validate_link_name(NameKind::Connection, link_name)?;
        RefreshLock::acquire(&self.config, &self.tenant, link_name)
            .map(ConnectionLock::from)
            .map_err(|error| {
                if error.code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE) {
                    ConnectionError::LockTimeout {
                        path: self.label.join(format!("refresh lock of {link_name}")),
                    }
                } else {
                    self.database("take the refresh lock", describe(&error))
                }
            })
    }
}

impl PgBackend {
    /// Runs `change` on the rows read under the lock and writes the result back in the same
    /// database transaction (the caller commits only when this succeeds).
    fn change_rows(
        &self,
        transaction: &mut postgres::Transaction<'_>,
        rows: TenantRows,
        origin: &Origin,
        change: &mut dyn FnMut(&mut Transaction) -> Result<(), ConnectionError>,
    ) -> Result<(), ConnectionError> {
        let (file, key) = self.verified(rows, origin)?;
        let mut store_transaction = Transaction::begin(file, origin.clone(), key, false);
        change(&mut store_transaction)?;
        let Some((file, key)) = store_transaction.finish()? else {
            return Ok(());
        };
        let code = scoped_code(&file, &key, &self.scope())?;
        rows::write(transaction, &self.tenant, &file, &code).map_err(|error| match error {
            RowsError::Database(error) => self.database("save the connections", describe(&error)),
            RowsError::Corrupt(detail) => ConnectionError::InvalidInput(detail),
        })
    }
}

/// The driver's message with its cause (the server's message for database errors).
fn describe(error: &postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        return format!("{}: {}", db.severity(), db.message());
    }
    match std::error::Error::source(error) {
        Some(source) => format!("{error}: {source}"),
        None => error.to_string(),
    }
}
