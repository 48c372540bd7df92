//! The connection store: services and connections with every secret encrypted, kept in one
//! JSON file (`connections.json`) under `DLG_HOME` (else the user's configuration folder), or
//! in a PostgreSQL database shared by many machines (one tenant's rows per store handle).
//!
//! Reads see a complete state (the file is replaced atomically; the database is read in one
//! transaction). Writes go through [`Store::update`], which holds the store's write lock (a
//! lock file, or the tenant's row lock) around read-modify-write, so concurrent `dlg` processes
//! never lose each other's changes. A store that cannot be parsed or decrypted is reported and
//! never overwritten.
//!
//! Every load checks the whole store's authentication code (see `store_file`), so the key is
//! needed to read any existing store. The folder, key file and lock files are checked for
//! ownership and mode before use (see `ownership`).

pub use super::backend::ConnectionLock;
use super::backend::{Origin, StoreBackend};
use super::crypto::{MasterKey, Sealed, KEY_ENV};
use crate::connections::ConnectionError;
use super::file_backend::FileBackend;
use super::model::{
    validate_link_name, Connection, Credentials, NameKind, Service, ServiceSecrets,
};
use super::location::is_postgres_url;
#[cfg(feature = "postgres")]
use super::pg;
pub use super::store_file::FORMAT;
use super::store_file::{
    connection_context, service_context, StoreFile, StoredConnection, StoredService,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::OnceCell;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use zeroize::Zeroizing;

/// Environment variable naming the folder that holds the store (and other dlg state).
pub const HOME_ENV: &str = "DLG_HOME";
/// The store file's name.
pub const STORE_FILE_NAME: &str = "connections.json";
/// The lock file guarding writes to the store.
pub const LOCK_FILE_NAME: &str = "connections.lock";
/// Folder of per-connection lock files (OAuth refresh single-flight).
pub const LOCKS_DIR_NAME: &str = "locks";

/// The folder the store lives in: `DLG_HOME` if set, else the configuration folder of
/// `directories::ProjectDirs::from("", "", "deluge-lang")`.
pub fn default_dir() -> Result<PathBuf, ConnectionError> {
    match std::env::var_os(HOME_ENV) {
        Some(home) if !home.is_empty() => Ok(PathBuf::from(home)),
        _ => directories::ProjectDirs::from("", "", "deluge-lang")
            .map(|dirs| dirs.config_dir().to_path_buf())
            .ok_or(ConnectionError::NoConfigDir),
    }
}

/// Environment variable naming the store: a folder, or a `postgres://` URL.
pub const STORE_ENV: &str = "DLG_STORE";
/// Environment variable naming the tenant (default [`DEFAULT_TENANT`]).
pub const TENANT_ENV: &str = "DLG_TENANT";
/// The tenant used when none is chosen.
pub const DEFAULT_TENANT: &str = "default";
/// Sub-folder of a file store holding the other tenants' stores (`tenants/<name>/`).
pub const TENANTS_DIR_NAME: &str = "tenants";

/// The store and tenant the command line chose (`--store`, `--tenant`), if it chose one.
static CHOSEN: OnceLock<(Option<String>, Option<String>)> = OnceLock::new();

/// Sets the store and tenant that [`Store::open_default`] opens in this process (the command
/// line's `--store` and `--tenant`); `None` leaves the choice to `DLG_STORE` and `DLG_TENANT`.
/// Only the first call counts.
pub fn choose_default(store: Option<String>, tenant: Option<String>) {
    let _ = CHOSEN.set((store, tenant));
}

/// Handle on a store: a folder (file store) or a PostgreSQL database and tenant. Cheap to
/// clone (clones share the database connection); every operation reads the store afresh.
#[derive(Clone)]
pub struct Store {
    backend: Arc<dyn StoreBackend>,
    env_key: Option<Zeroizing<String>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("location", &self.backend.label())
            .finish()
    }
}

impl Store {
    /// The store chosen by `--store`/`DLG_STORE` and `--tenant`/`DLG_TENANT`, else the file
    /// store in `default_dir`; keyed by `DLG_MASTER_KEY` when it is set.
    pub fn open_default() -> Result<Store, ConnectionError> {
        let (chosen_store, chosen_tenant) = CHOSEN.get().cloned().unwrap_or_default();
        let from_env = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
        let tenant = chosen_tenant.or_else(|| from_env(TENANT_ENV));
        let store = match chosen_store.or_else(|| from_env(STORE_ENV)) {
            Some(location) => Store::open(&location, tenant.as_deref())?,
            None => Store::file_tenant(default_dir()?, tenant.as_deref())?,
        };
        log::debug!("connection store: {}", store.describe());
        Ok(store)
    }

    /// The store at `location`: a `postgres://` (or `postgresql://`) URL, else a folder; for
    /// `tenant` (`None`: `DEFAULT_TENANT` (`default`)). Nothing is connected or read yet.
    pub fn open(location: &str, tenant: Option<&str>) -> Result<Store, ConnectionError> {
        if is_postgres_url(location) {
            Store::postgres(location, tenant.unwrap_or(DEFAULT_TENANT))
        } else {
            Store::file_tenant(PathBuf::from(location), tenant)
        }
    }

    /// The PostgreSQL store at `url`, for `tenant`. The schema is created or migrated on first
    /// use; the key must come from `DLG_MASTER_KEY` (or [`Store::with_master_key`]). Handles
    /// opened in one process for the same URL and tenant share one database session.
    #[cfg(feature = "postgres")]
    pub fn postgres(url: &str, tenant: &str) -> Result<Store, ConnectionError> {
        Ok(Store::with_backend(pg::PgBackend::shared(url, tenant)?))
    }

    /// Without the `postgres` feature there is no PostgreSQL store: an error that says so (and
    /// does not repeat the URL, which may hold a password).
    #[cfg(not(feature = "postgres"))]
    pub fn postgres(_url: &str, _tenant: &str) -> Result<Store, ConnectionError> {
        Err(ConnectionError::InvalidInput(
            "the store location is a PostgreSQL URL, and this build of deluge-lang has no \
             PostgreSQL store: build it with the cargo feature `postgres`"
                .into(),
        ))
    }

    /// The file store in `dir`, keyed by `DLG_MASTER_KEY` when it is set, else by `dir/master.key`.
    pub fn at(dir: impl Into<PathBuf>) -> Store {
        Store::with_backend(Arc::new(FileBackend::new(dir.into())))
    }

    /// The file store of `tenant` under `dir`: `dir` itself for the default tenant, else
    /// `dir/tenants/<tenant>`.
    fn file_tenant(dir: PathBuf, tenant: Option<&str>) -> Result<Store, ConnectionError> {
        match tenant {
            None => Ok(Store::at(dir)),
            Some(name) => {
                validate_tenant(name)?;
                if name == DEFAULT_TENANT {
                    Ok(Store::at(dir))
                } else {
                    Ok(Store::at(dir.join(TENANTS_DIR_NAME).join(name)))
                }
            }
        }
    }

    fn with_backend(backend: Arc<dyn StoreBackend>) -> Store {
        let env_key = std::env::var_os(KEY_ENV)
            .map(|value| Zeroizing::new(value.to_string_lossy().into_owned()));
        Store { backend, env_key }
    }

    /// Replaces the key taken from the environment: `Some(base64)` to use that key, `None` to
    /// use the key file. For embedding and tests.
    pub fn with_master_key(mut self, key_base64: Option<&str>) -> Store {
        self.env_key = key_base64.map(|key| Zeroizing::new(key.to_owned()));
        self
    }

    /// The store folder (`None` for a database store).
    pub fn dir(&self) -> Option<&Path> {
        self.backend.key_dir()
    }

    /// The store file (`None` for a database store).
    pub fn file_path(&self) -> Option<PathBuf> {
        self.dir().map(|dir| dir.join(STORE_FILE_NAME))
    }

    /// The tenant of a database store (`None` for a file store).
    pub fn tenant(&self) -> Option<&str> {
        self.backend.tenant()
    }

    /// What messages call the store: its file, or its URL without the password and its tenant.
    pub fn describe(&self) -> String {
        self.backend.label().display().to_string()
    }

    /// Reads the current state. A missing store reads as empty; an existing one needs the key,
    /// and is refused if its authentication code does not match. A format-1 file store is
    /// migrated first (under the lock).
    pub fn load(&self) -> Result<Snapshot, ConnectionError> {
        let origin = self.origin();
        let (file, key) = self.backend.load(&origin)?;
        Ok(Snapshot::new(file, origin, key))
    }

    /// Reads, changes and saves the store under the store's write lock. `change` sees the
    /// latest state; if it fails, nothing is written. Returns what `change` returns.
    pub fn update<T>(
        &self,
        change: impl FnOnce(&mut Transaction) -> Result<T, ConnectionError>,
    ) -> Result<T, ConnectionError> {
        let mut change = Some(change);
        let mut result = None;
        self.backend.update(&self.origin(), &mut |transaction| {
            let change = change.take().ok_or_else(|| {
                ConnectionError::InvalidInput("a store transaction ran twice".into())
            })?;
            result = Some(change(transaction)?);
            Ok(())
        })?;
        result
            .ok_or_else(|| ConnectionError::InvalidInput("a store transaction did not run".into()))
    }

    /// Takes the per-connection lock that serializes token refreshes across processes (and,
    /// for a database store, across machines). Re-read the store after acquiring it.
    pub fn lock_connection(&self, link_name: &str) -> Result<ConnectionLock, ConnectionError> {
        self.backend.lock_connection(link_name)
    }

    fn origin(&self) -> Origin {
        Origin {
            label: self.backend.label().to_path_buf(),
            key_dir: self.backend.key_dir().map(Path::to_path_buf),
            env_key: self.env_key.clone(),
        }
    }
}

/// Checks a tenant name: 1 to 63 letters, digits, `_`, `-` or `.`, not starting with `.`.
pub fn validate_tenant(name: &str) -> Result<(), ConnectionError> {
    let valid = !name.is_empty()
        && name.len() <= 63
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if valid {
        Ok(())
    } else {
        Err(ConnectionError::InvalidInput(format!(
            "the tenant name \"{name}\" is not valid: use 1 to 63 letters, digits, '_', '-' or \
             '.' (not starting with '.'), e.g. --tenant acme"
        )))
    }
}

/// A consistent view of the store. Secrets stay encrypted until asked for.
pub struct Snapshot {
    file: StoreFile,
    origin: Origin,
    key: OnceCell<MasterKey>,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("store", &self.origin.label)
            .field("services", &self.file.services.len())
            .field("connections", &self.file.connections.len())
            .finish_non_exhaustive()
    }
}

impl Snapshot {
    fn new(file: StoreFile, origin: Origin, key: Option<MasterKey>) -> Snapshot {
        let cell = OnceCell::new();
        if let Some(key) = key {
            let _ = cell.set(key);
        }
        Snapshot {
            file,
            origin,
            key: cell,
        }
    }

    /// All services, in creation order.
    pub fn services(&self) -> impl Iterator<Item = &Service> {
        self.file.services.iter().map(|stored| &stored.service)
    }

    /// The service with this link name.
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services().find(|service| service.link_name == name)
    }

    /// The service with this link name, or an error naming it.
    pub fn require_service(&self, name: &str) -> Result<&Service, ConnectionError> {
        self.service(name)
            .ok_or_else(|| ConnectionError::UnknownService { name: name.into() })
    }

    /// All connections, in creation order.
    pub fn connections(&self) -> impl Iterator<Item = &Connection> {
        self.file
            .connections
            .iter()
            .map(|stored| &stored.connection)
    }

    /// The connection with this link name.
    pub fn connection(&self, link_name: &str) -> Option<&Connection> {
        self.connections()
            .find(|connection| connection.link_name == link_name)
    }

    /// The connection with this link name, or an error naming it.
    pub fn require_connection(&self, link_name: &str) -> Result<&Connection, ConnectionError> {
        self.connection(link_name)
            .ok_or_else(|| ConnectionError::UnknownConnection {
                link_name: link_name.into(),
            })
    }

    /// The link names of the connections that use a service.
    pub fn connections_of(&self, service: &str) -> Vec<String> {
        self.connections()
            .filter(|connection| connection.service == service)
            .map(|connection| connection.link_name.clone())
            .collect()
    }

    /// Whether the connection has stored credentials.
    pub fn has_credentials(&self, link_name: &str) -> bool {
        self.stored_connection(link_name)
            .is_some_and(|stored| stored.credentials.is_some())
    }

    /// Whether the service has a stored secret (client or consumer secret).
    pub fn has_service_secrets(&self, name: &str) -> bool {
        self.stored_service(name)
            .is_some_and(|stored| stored.secrets.is_some())
    }

    /// Decrypts the connection's credentials; `None` if it has none.
    pub fn credentials(&self, link_name: &str) -> Result<Option<Credentials>, ConnectionError> {
        let stored = self.stored_connection(link_name).ok_or_else(|| {
            ConnectionError::UnknownConnection {
                link_name: link_name.into(),
            }
        })?;
        let Some(sealed) = &stored.credentials else {
            return Ok(None);
        };
        let record = format!("connection \"{link_name}\"");
        self.decrypt(&connection_context(link_name), sealed, &record)
            .map(Some)
    }

    /// Decrypts the service's secrets (empty when it has none).
    pub fn service_secrets(&self, name: &str) -> Result<ServiceSecrets, ConnectionError> {
        let stored = self
            .stored_service(name)
            .ok_or_else(|| ConnectionError::UnknownService { name: name.into() })?;
        let Some(sealed) = &stored.secrets else {
            return Ok(ServiceSecrets::default());
        };
        let record = format!("service \"{name}\"");
        self.decrypt(&service_context(name), sealed, &record)
    }

    fn stored_service(&self, name: &str) -> Option<&StoredService> {
        self.file
            .services
            .iter()
            .find(|stored| stored.service.link_name == name)
    }

    fn stored_connection(&self, link_name: &str) -> Option<&StoredConnection> {
        self.file
            .connections
            .iter()
            .find(|stored| stored.connection.link_name == link_name)
    }

    fn store_path(&self) -> PathBuf {
        self.origin.label.clone()
    }

    fn decrypt<T: DeserializeOwned>(
        &self,
        context: &str,
        sealed: &Sealed,
        record: &str,
    ) -> Result<T, ConnectionError> {
        let key = self.read_key()?;
        let tampered = || ConnectionError::RecordTampered {
            store: self.store_path(),
            record: record.to_owned(),
        };
        let plaintext = key.open(context, sealed).ok_or_else(tampered)?;
        serde_json::from_slice(&plaintext).map_err(|_| tampered())
    }

    /// The key for decryption: it must exist and match the store's key check.
    fn read_key(&self) -> Result<&MasterKey, ConnectionError> {
        if let Some(key) = self.key.get() {
            return Ok(key);
        }
        let key = self.origin.require_key()?;
        self.verify(&key)?;
        Ok(self.key.get_or_init(|| key))
    }

    fn verify(&self, key: &MasterKey) -> Result<(), ConnectionError> {
        match &self.file.key_check {
            Some(check) if *check != key.check_value() => Err(ConnectionError::KeyMismatch {
                store: self.store_path(),
                origin: key.origin().to_owned(),
            }),
            _ => Ok(()),
        }
    }
}

/// A snapshot being changed inside [`Store::update`]. Reads go through `Deref<Target=Snapshot>`.
pub struct Transaction {
    snapshot: Snapshot,
    changed: bool,
}

impl Deref for Transaction {
    type Target = Snapshot;

    fn deref(&self) -> &Snapshot {
        &self.snapshot
    }
}

impl Transaction {
    /// A transaction over `file` as read under the write lock (`changed`: it must be saved even
    /// if nothing changes, e.g. after a migration).
    pub(super) fn begin(
        file: StoreFile,
        origin: Origin,
        key: Option<MasterKey>,
        changed: bool,
    ) -> Transaction {
        Transaction {
            snapshot: Snapshot::new(file, origin, key),
            changed,
        }
    }

    /// What to save, if anything changed: the content and the key it is sealed with.
    pub(super) fn finish(mut self) -> Result<Option<(StoreFile, MasterKey)>, ConnectionError> {
        if !self.changed {
            return Ok(None);
        }
        self.write_key()?;
        let Snapshot { file, key, .. } = self.snapshot;
        let key = key.into_inner().ok_or_else(|| {
            ConnectionError::InvalidInput("the store key was not available to save".into())
        })?;
        Ok(Some((file, key)))
    }

    /// Adds a service with its secrets.
    pub fn add_service(
        &mut self,
        service: Service,
        secrets: &ServiceSecrets,
    ) -> Result<(), ConnectionError> {
        validate_link_name(NameKind::Service, &service.link_name)?;
        if self.service(&service.link_name).is_some() {
            return Err(ConnectionError::ServiceExists {
                name: service.link_name,
            });
        }
        let sealed = self.seal_service_secrets(&service.link_name, secrets)?;
        self.snapshot.file.services.push(StoredService {
            service,
            secrets: sealed,
        });
        self.changed = true;
        Ok(())
    }

    /// The service, for changing it.
    pub fn service_mut(&mut self, name: &str) -> Result<&mut Service, ConnectionError> {
        self.changed = true;
        self.snapshot
            .file
            .services
            .iter_mut()
            .find(|stored| stored.service.link_name == name)
            .map(|stored| &mut stored.service)
            .ok_or_else(|| ConnectionError::UnknownService { name: name.into() })
    }

    /// Replaces the service's secrets.
    pub fn set_service_secrets(
        &mut self,
        name: &str,
        secrets: &ServiceSecrets,
    ) -> Result<(), ConnectionError> {
        self.require_service(name)?;
        let sealed = self.seal_service_secrets(name, secrets)?;
        if let Some(stored) = self
            .snapshot
            .file
            .services
            .iter_mut()
            .find(|stored| stored.service.link_name == name)
        {
            stored.secrets = sealed;
        }
        self.changed = true;
        Ok(())
    }

    /// Removes a service no connection uses. For a stored copy of a built-in service this only
    /// removes the copy: the built-in catalog still offers it.
    pub fn remove_service(&mut self, name: &str) -> Result<Service, ConnectionError> {
        self.require_service(name)?;
        let users = self.connections_of(name);
        if !users.is_empty() {
            return Err(ConnectionError::ServiceInUse {
                name: name.into(),
                connections: users,
            });
        }
        let services = &mut self.snapshot.file.services;
        let index = services
            .iter()
            .position(|stored| stored.service.link_name == name)
            .ok_or_else(|| ConnectionError::UnknownService { name: name.into() })?;
        self.changed = true;
        Ok(services.remove(index).service)
    }

    /// Adds a connection for an existing service.
    pub fn add_connection(&mut self, connection: Connection) -> Result<(), ConnectionError> {
        validate_link_name(NameKind::Connection, &connection.link_name)?;
        if self.connection(&connection.link_name).is_some() {
            return Err(ConnectionError::ConnectionExists {
                link_name: connection.link_name,
            });
        }
        self.require_service(&connection.service)?;
        self.snapshot.file.connections.push(StoredConnection {
            connection,
            credentials: None,
        });
        self.changed = true;
        Ok(())
    }

    /// The connection, for changing it (its link name must stay as it is).
    pub fn connection_mut(&mut self, link_name: &str) -> Result<&mut Connection, ConnectionError> {
        self.changed = true;
        self.stored_connection_mut(link_name)
            .map(|stored| &mut stored.connection)
    }

    /// Stores (encrypted) or drops the connection's credentials.
    pub fn set_credentials(
        &mut self,
        link_name: &str,
        credentials: Option<&Credentials>,
    ) -> Result<(), ConnectionError> {
        self.require_connection(link_name)?;
        let sealed = match credentials {
            Some(credentials) => Some(self.seal(&connection_context(link_name), credentials)?),
            None => None,
        };
        self.stored_connection_mut(link_name)?.credentials = sealed;
        self.changed = true;
        Ok(())
    }

    /// Removes a connection and its credentials.
    pub fn remove_connection(&mut self, link_name: &str) -> Result<Connection, ConnectionError> {
        let connections = &mut self.snapshot.file.connections;
        let index = connections
            .iter()
            .position(|stored| stored.connection.link_name == link_name)
            .ok_or_else(|| ConnectionError::UnknownConnection {
                link_name: link_name.into(),
            })?;
        self.changed = true;
        Ok(connections.remove(index).connection)
    }

    fn stored_connection_mut(
        &mut self,
        link_name: &str,
    ) -> Result<&mut StoredConnection, ConnectionError> {
        self.snapshot
            .file
            .connections
            .iter_mut()
            .find(|stored| stored.connection.link_name == link_name)
            .ok_or_else(|| ConnectionError::UnknownConnection {
                link_name: link_name.into(),
            })
    }

    fn seal_service_secrets(
        &mut self,
        name: &str,
        secrets: &ServiceSecrets,
    ) -> Result<Option<Sealed>, ConnectionError> {
        if secrets.is_empty() {
            return Ok(None);
        }
        self.seal(&service_context(name), secrets).map(Some)
    }

    fn seal<T: Serialize>(&mut self, context: &str, value: &T) -> Result<Sealed, ConnectionError> {
        let plaintext =
            Zeroizing::new(serde_json::to_vec(value).map_err(|e| {
                ConnectionError::InvalidInput(format!("cannot encode secret: {e}"))
            })?);
        self.write_key()?.seal(context, &plaintext)
    }

    /// The key for encryption: created on first use, unless the store already holds data
    /// encrypted with a key that is now missing.
    fn write_key(&mut self) -> Result<&MasterKey, ConnectionError> {
        if self.snapshot.key.get().is_none() {
            let snapshot = &self.snapshot;
            let key = if snapshot.file.key_check.is_some() {
                snapshot.read_key().map(|_| None)?
            } else {
                Some(snapshot.origin.find_or_create_key()?)
            };
            if let Some(key) = key {
                self.snapshot.file.key_check = Some(key.check_value());
                let _ = self.snapshot.key.set(key);
            }
        }
        self.snapshot.read_key()
    }
}

#[cfg(all(test, not(feature = "postgres")))]
mod without_postgres {
    use super::*;

    #[test]
    fn a_postgres_location_is_refused_without_repeating_the_url() {
        let Err(error) = Store::open("postgres://me:s3cret@db.example/dlg", None) else {
            panic!("a build without PostgreSQL opened a postgres:// store");
        };
        let message = error.to_string();
        assert!(message.contains("cargo feature `postgres`"), "{message}");
        assert!(!message.contains("s3cret"), "{message}");
    }
}
