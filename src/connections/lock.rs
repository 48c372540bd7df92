//! Cross-process locks on lock files (`std::fs::File::lock`), released on drop or process death.

use crate::connections::ConnectionError;
use super::files::io_error;
use super::ownership::open_lock_file;
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

/// How long to wait for another process before giving up.
const LOCK_TIMEOUT: Duration = Duration::from_secs(30);
/// Pause between attempts while another process holds the lock.
const RETRY_PAUSE: Duration = Duration::from_millis(2);

/// An exclusive lock held on a lock file until dropped.
#[derive(Debug)]
pub struct FileLock {
    file: File,
    path: PathBuf,
}

impl FileLock {
    /// Takes the exclusive lock on `path` (created `0600` if missing), waiting up to 30 s. A
    /// symbolic link or a file another user owns or can write is refused, never followed.
    pub fn acquire(path: &Path) -> Result<FileLock, ConnectionError> {
        let file = open_lock_file(path)?;
        let deadline = Instant::now() + LOCK_TIMEOUT;
        loop {
            match file.try_lock() {
                Ok(()) => {
                    return Ok(FileLock {
                        file,
                        path: path.to_path_buf(),
                    })
                }
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    thread::sleep(RETRY_PAUSE)
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(ConnectionError::LockTimeout {
                        path: path.to_path_buf(),
                    })
                }
                Err(TryLockError::Error(error)) => return Err(io_error(path, "lock", error)),
            }
        }
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connections::files::private_options;

    #[test]
    fn second_handle_waits_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let first = FileLock::acquire(&path).unwrap();
        let other = private_options().write(true).open(&path).unwrap();
        assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)));
        drop(first);
        assert!(other.try_lock().is_ok());
    }
}
