//! Where a store keeps its data: the [`StoreBackend`] trait, implemented by the file store
//! (`file_backend`) and the PostgreSQL store (`pg`), what both need to find the master key
//! ([`Origin`]), and the guard of a connection's refresh lock ([`ConnectionLock`]).

use super::crypto::{key_file, MasterKey};
use crate::connections::ConnectionError;
use super::lock::FileLock;
#[cfg(feature = "postgres")]
use super::pg::RefreshLock;
use super::store::Transaction;
use super::store_file::StoreFile;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// A place that holds services and connections. Implementations read and write whole
/// [`StoreFile`]s; encryption and the model stay in `store`.
pub(super) trait StoreBackend: Send + Sync {
    /// What messages call the store: the file path, or the URL (without password) and tenant.
    fn label(&self) -> &Path;
    /// The folder holding the key file, if this kind of store has one.
    fn key_dir(&self) -> Option<&Path>;
    /// The tenant (PostgreSQL stores), `None` for a file store.
    fn tenant(&self) -> Option<&str>;
    /// The current content, verified with the key (`None` key: the store is empty).
    fn load(&self, origin: &Origin) -> Result<(StoreFile, Option<MasterKey>), ConnectionError>;
    /// Runs `change` on the latest content under the store's write lock and saves the result
    /// if the transaction changed it; nothing is saved when `change` fails.
    fn update(
        &self,
        origin: &Origin,
        change: &mut dyn FnMut(&mut Transaction) -> Result<(), ConnectionError>,
    ) -> Result<(), ConnectionError>;
    /// Takes the lock that serializes the refreshes of one connection (across processes and,
    /// for a database, across machines).
    fn lock_connection(&self, link_name: &str) -> Result<ConnectionLock, ConnectionError>;
}

/// Where the master key of a store comes from, and the name messages give the store.
#[derive(Clone)]
pub(super) struct Origin {
    /// The store's label (see [`StoreBackend::label`]).
    pub label: PathBuf,
    /// The key file's folder (file stores only).
    pub key_dir: Option<PathBuf>,
    /// The value of `DLG_MASTER_KEY` (or the embedder's key).
    pub env_key: Option<Zeroizing<String>>,
}

impl Origin {
    fn env(&self) -> Option<&str> {
        self.env_key.as_deref().map(String::as_str)
    }

    /// The key if there is one: `DLG_MASTER_KEY`, else the key file (file stores).
    pub fn find_key(&self) -> Result<Option<MasterKey>, ConnectionError> {
        match &self.key_dir {
            Some(dir) => MasterKey::find(dir, self.env()),
            None => MasterKey::from_env(self.env()),
        }
    }

    /// The key of a store that already holds encrypted data: it must be there.
    pub fn require_key(&self) -> Result<MasterKey, ConnectionError> {
        self.find_key()?.ok_or_else(|| self.missing())
    }

    /// The key for a first write: a file store creates its key file; a database store needs
    /// `DLG_MASTER_KEY`.
    pub fn find_or_create_key(&self) -> Result<MasterKey, ConnectionError> {
        match &self.key_dir {
            Some(dir) => MasterKey::find_or_create(dir, self.env()),
            None => self.require_key(),
        }
    }

    fn missing(&self) -> ConnectionError {
        match &self.key_dir {
            Some(dir) => ConnectionError::KeyMissing {
                store: self.label.clone(),
                key_file: key_file(dir),
            },
            None => ConnectionError::KeyRequired {
                store: self.label.display().to_string(),
            },
        }
    }
}

/// Held while a connection's tokens are refreshed; released on drop or when the process dies.
#[derive(Debug)]
pub struct ConnectionLock {
    _held: Held,
}

#[derive(Debug)]
enum Held {
    File {
        _lock: FileLock,
    },
    #[cfg(feature = "postgres")]
    Database {
        _lock: Box<RefreshLock>,
    },
}

impl From<FileLock> for ConnectionLock {
    fn from(lock: FileLock) -> Self {
        ConnectionLock {
            _held: Held::File { _lock: lock },
        }
    }
}

#[cfg(feature = "postgres")]
impl From<RefreshLock> for ConnectionLock {
    fn from(lock: RefreshLock) -> Self {
        ConnectionLock {
            _held: Held::Database {
                _lock: Box::new(lock),
            },
        }
    }
}
