//! The file store: services and connections in one JSON file (`connections.json`) in a folder,
//! replaced atomically; writes under a cross-process lock file; refreshes under one lock file
//! per connection (`locks/<link>.lock`).

use super::backend::{ConnectionLock, Origin, StoreBackend};
use super::crypto::MasterKey;
use crate::connections::ConnectionError;
use super::files::{create_private_dir, remove_stale_temps, write_atomic};
use super::lock::FileLock;
use super::model::{validate_link_name, NameKind};
use super::ownership::check_dir;
use super::store::{Transaction, LOCKS_DIR_NAME, LOCK_FILE_NAME, STORE_FILE_NAME};
use super::store_file::{self, Parsed, StoreFile};
use std::path::{Path, PathBuf};

/// A store folder.
pub(super) struct FileBackend {
    dir: PathBuf,
    path: PathBuf,
}

impl FileBackend {
    /// The store in `dir` (nothing is read or created yet).
    pub fn new(dir: PathBuf) -> FileBackend {
        let path = dir.join(STORE_FILE_NAME);
        FileBackend { dir, path }
    }

    /// The verified file and its key, migrating a format-1 file (the flag says so).
    fn read_for_update(
        &self,
        origin: &Origin,
    ) -> Result<(StoreFile, Option<MasterKey>, bool), ConnectionError> {
        let path = &self.path;
        let Some(bytes) = store_file::read(path)? else {
            return Ok((StoreFile::empty(), None, false));
        };
        let parsed = store_file::parse(path, bytes)?;
        let key = match parsed.legacy_needs_existing_key() {
            Some(false) => origin.find_or_create_key()?,
            _ => origin.require_key()?,
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
}

impl StoreBackend for FileBackend {
    fn label(&self) -> &Path {
        &self.path
    }

    fn key_dir(&self) -> Option<&Path> {
        Some(&self.dir)
    }

    fn tenant(&self) -> Option<&str> {
        None
    }

    /// Reads without locking (writers replace the file atomically). A format-1 store is
    /// migrated first, under the lock.
    fn load(&self, origin: &Origin) -> Result<(StoreFile, Option<MasterKey>), ConnectionError> {
        check_dir(&self.dir)?;
        let path = &self.path;
        let Some(bytes) = store_file::read(path)? else {
            return Ok((StoreFile::empty(), None));
        };
        let bytes = match store_file::parse(path, bytes)? {
            Parsed::Current(bytes) => bytes,
            Parsed::Legacy(_) => {
                self.update(origin, &mut |_| Ok(()))?;
                match store_file::read(path)? {
                    Some(bytes) => bytes,
                    None => return Ok((StoreFile::empty(), None)),
                }
            }
        };
        let key = origin.require_key()?;
        let file = store_file::verify(path, &bytes, &key)?;
        Ok((file, Some(key)))
    }

    fn update(
        &self,
        origin: &Origin,
        change: &mut dyn FnMut(&mut Transaction) -> Result<(), ConnectionError>,
    ) -> Result<(), ConnectionError> {
        create_private_dir(&self.dir)?;
        check_dir(&self.dir)?;
        let _lock = FileLock::acquire(&self.dir.join(LOCK_FILE_NAME))?;
        remove_stale_temps(&self.path);
        let (file, key, migrated) = self.read_for_update(origin)?;
        let mut transaction = Transaction::begin(file, origin.clone(), key, migrated);
        change(&mut transaction)?;
        if let Some((file, key)) = transaction.finish()? {
            write_atomic(&self.path, &store_file::encode(&file, &key)?)?;
        }
        Ok(())
    }

    fn lock_connection(&self, link_name: &str) -> Result<ConnectionLock, ConnectionError> {
        validate_link_name(NameKind::Connection, link_name)?;
        let locks = self.dir.join(LOCKS_DIR_NAME);
        create_private_dir(&locks)?;
        check_dir(&self.dir)?;
        check_dir(&locks)?;
        FileLock::acquire(&locks.join(format!("{link_name}.lock"))).map(ConnectionLock::from)
    }
}
