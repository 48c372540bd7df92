//! The connection store: services and connections in one JSON file (`connections.json`) under
//! `DLG_HOME` (else the user's configuration folder), with every secret encrypted.
//!
//! Reads take no lock: writers replace the file atomically, so a reader always sees a complete
//! state. Writes go through [`Store::update`], which holds a cross-process lock around
//! read-modify-write, so concurrent `dlg` processes never lose each other's changes. A file that
//! cannot be parsed or decrypted is reported and never overwritten.
//!
//! Every load checks the whole file's authentication code (see `store_file`), so the key is
//! needed to read any existing store. The folder, key file and lock files are checked for
//! ownership and mode before use (see `ownership`).

use super::crypto::{key_file, MasterKey, Sealed, KEY_ENV};
use super::errors::ConnectionError;
use super::files::{create_private_dir, remove_stale_temps, write_atomic};
use super::lock::FileLock;
use super::model::{
    validate_link_name, Connection, Credentials, NameKind, Service, ServiceSecrets,
};
use super::ownership::check_dir;
pub use super::store_file::FORMAT;
use super::store_file::{
    self, connection_context, service_context, Parsed, StoreFile, StoredConnection, StoredService,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::OnceCell;
use std::ops::Deref;
use std::path::{Path, PathBuf};
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

/// Handle on a store folder. Cheap to create; every operation reads the file afresh.
#[derive(Clone)]
pub struct Store {
    dir: PathBuf,
    env_key: Option<Zeroizing<String>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("dir", &self.dir).finish()
    }
}

impl Store {
    /// The store in [`default_dir`], keyed by `DLG_MASTER_KEY` when it is set.
    pub fn open_default() -> Result<Store, ConnectionError> {
        let dir = default_dir()?;
        crate::http::verbose::log(|| format!("connection store: {}", dir.display()));
        Ok(Store::at(dir))
    }

    /// The store in `dir`, keyed by `DLG_MASTER_KEY` when it is set, else by `dir/master.key`.
    pub fn at(dir: impl Into<PathBuf>) -> Store {
        let env_key = std::env::var_os(KEY_ENV)
            .map(|value| Zeroizing::new(value.to_string_lossy().into_owned()));
        Store {
            dir: dir.into(),
            env_key,
        }
    }

    /// Replaces the key taken from the environment: `Some(base64)` to use that key, `None` to
    /// use the key file. For embedding and tests.
    pub fn with_master_key(mut self, key_base64: Option<&str>) -> Store {
        self.env_key = key_base64.map(|key| Zeroizing::new(key.to_owned()));
        self
    }

    /// The store folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The store file.
    pub fn file_path(&self) -> PathBuf {
        self.dir.join(STORE_FILE_NAME)
    }

    /// Reads the current state without locking. A missing store reads as empty; an existing
    /// one needs the key, and is refused if its authentication code does not match. A
    /// format-1 store is migrated first (under the lock).
    pub fn load(&self) -> Result<Snapshot, ConnectionError> {
        check_dir(&self.dir)?;
        let path = self.file_path();
        let Some(bytes) = store_file::read(&path)? else {
            return Ok(self.snapshot(StoreFile::empty(), None));
        };
        let bytes = match store_file::parse(&path, bytes)? {
            Parsed::Current(bytes) => bytes,
            Parsed::Legacy(_) => {
                self.update(|_| Ok(()))?;
                match store_file::read(&path)? {
                    Some(bytes) => bytes,
                    None => return Ok(self.snapshot(StoreFile::empty(), None)),
                }
            }
        };
        let key = self.require_key()?;
        let file = store_file::verify(&path, &bytes, &key)?;
        Ok(self.snapshot(file, Some(key)))
    }

    /// Reads, changes and saves the store under the cross-process lock. `change` sees the
    /// latest state; if it fails, nothing is written. Returns what `change` returns.
    pub fn update<T>(
        &self,
        change: impl FnOnce(&mut Transaction) -> Result<T, ConnectionError>,
    ) -> Result<T, ConnectionError> {
        create_private_dir(&self.dir)?;
        check_dir(&self.dir)?;
        let _lock = FileLock::acquire(&self.dir.join(LOCK_FILE_NAME))?;
        let path = self.file_path();
        remove_stale_temps(&path);
        let (file, key, migrated) = self.read_for_update(&path)?;
        let mut transaction = Transaction {
            snapshot: self.snapshot(file, key),
            changed: migrated,
        };
        let result = change(&mut transaction)?;
        if transaction.changed {
            transaction.write_key()?;
            let snapshot = &transaction.snapshot;
            let key = snapshot.read_key()?;
            write_atomic(&path, &store_file::encode(&snapshot.file, key)?)?;
        }
        Ok(result)
    }

    /// The verified file and its key, migrating a format-1 file (the flag says so).
    fn read_for_update(
        &self,
        path: &Path,
    ) -> Result<(StoreFile, Option<MasterKey>, bool), ConnectionError> {
        let Some(bytes) = store_file::read(path)? else {
            return Ok((StoreFile::empty(), None, false));
        };
        let parsed = store_file::parse(path, bytes)?;
        let key = match parsed.legacy_needs_existing_key() {
            Some(false) => MasterKey::find_or_create(&self.dir, self.env_key())?,
            _ => self.require_key()?,
        };
        match parsed {
            Parsed::Current(bytes) => {
                let file = store_file::verify(path, &bytes, &key)?;
                Ok((file, Some(key), false))
            }
            Parsed::Legacy(file) => {
                let file = store_file::migrate(path, file, &key)?;
                Ok((file, Some(key), true))
            }
        }
    }

    fn env_key(&self) -> Option<&str> {
        self.env_key.as_deref().map(String::as_str)
    }

    /// The key of an existing store: it must be there.
    fn require_key(&self) -> Result<MasterKey, ConnectionError> {
        MasterKey::find(&self.dir, self.env_key())?.ok_or_else(|| ConnectionError::KeyMissing {
            store: self.file_path(),
            key_file: key_file(&self.dir),
        })
    }

    /// Takes the per-connection lock (`locks/<link>.lock`) that serializes token refreshes
    /// across processes. Re-read the store after acquiring it.
    pub fn lock_connection(&self, link_name: &str) -> Result<FileLock, ConnectionError> {
        validate_link_name(NameKind::Connection, link_name)?;
        let locks = self.dir.join(LOCKS_DIR_NAME);
        create_private_dir(&locks)?;
        check_dir(&self.dir)?;
        check_dir(&locks)?;
        FileLock::acquire(&locks.join(format!("{link_name}.lock")))
    }

    fn snapshot(&self, file: StoreFile, key: Option<MasterKey>) -> Snapshot {
        let cell = OnceCell::new();
        if let Some(key) = key {
            let _ = cell.set(key);
        }
        Snapshot {
            file,
            dir: self.dir.clone(),
            env_key: self.env_key.clone(),
            key: cell,
        }
    }
}

/// A consistent view of the store. Secrets stay encrypted until asked for.
pub struct Snapshot {
    file: StoreFile,
    dir: PathBuf,
    env_key: Option<Zeroizing<String>>,
    key: OnceCell<MasterKey>,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("dir", &self.dir)
            .field("services", &self.file.services.len())
            .field("connections", &self.file.connections.len())
            .finish_non_exhaustive()
    }
}

impl Snapshot {
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
        self.dir.join(STORE_FILE_NAME)
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
        let env_key = self.env_key.as_deref().map(String::as_str);
        let key =
            MasterKey::find(&self.dir, env_key)?.ok_or_else(|| ConnectionError::KeyMissing {
                store: self.store_path(),
                key_file: key_file(&self.dir),
            })?;
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
            let env_key = snapshot.env_key.as_deref().map(String::as_str);
            let key = if snapshot.file.key_check.is_some() {
                snapshot.read_key().map(|_| None)?
            } else {
                Some(MasterKey::find_or_create(&snapshot.dir, env_key)?)
            };
            if let Some(key) = key {
                self.snapshot.file.key_check = Some(key.check_value());
                let _ = self.snapshot.key.set(key);
            }
        }
        self.snapshot.read_key()
    }
}
