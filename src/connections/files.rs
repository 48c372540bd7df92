//! Private files and folders: created with owner-only permissions from the start (never changed
//! after creation), and replaced atomically.

use crate::connections::ConnectionError;
use rand::RngCore;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Permission bits of every file the store creates.
pub const FILE_MODE: u32 = 0o600;
/// Permission bits of folders the store creates.
pub const DIR_MODE: u32 = 0o700;

/// Creates `dir` and missing parents with owner-only permissions; an existing folder is kept.
pub fn create_private_dir(dir: &Path) -> Result<(), ConnectionError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(DIR_MODE);
    }
    builder
        .create(dir)
        .map_err(|source| io_error(dir, "create folder", source))
}

/// Options that create a file readable and writable by its owner only.
pub fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(FILE_MODE);
    }
    options
}

/// Replaces `path` with `bytes` so that readers see the old or the new content, never a mix,
/// even if the process dies: write a temporary file in the same folder, fsync it, rename it over
/// `path`, fsync the folder. The caller holds the store lock.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ConnectionError> {
    let dir = parent(path);
    let temp = temp_path(path);
    let result = write_new_file(&temp, bytes)
        .and_then(|()| fs::rename(&temp, path).map_err(|e| io_error(path, "replace", e)))
        .and_then(|()| sync_dir(&dir));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Removes temporary files left by writers that died mid-write. The caller holds the store lock,
/// so no live writer owns them.
pub fn remove_stale_temps(path: &Path) {
    let dir = parent(path);
    let Some(prefix) = temp_prefix(path) else {
        return;
    };
    let Ok(entries) = fs::read_dir(&dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Wraps an I/O error with the path and the action.
pub fn io_error(path: &Path, action: &'static str, source: io::Error) -> ConnectionError {
    ConnectionError::Io {
        path: path.to_path_buf(),
        action,
        source,
    }
}

fn write_new_file(temp: &Path, bytes: &[u8]) -> Result<(), ConnectionError> {
    let mut file = private_options()
        .write(true)
        .create_new(true)
        .open(temp)
        .map_err(|e| io_error(temp, "create", e))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| io_error(temp, "write", e))
}

fn sync_dir(dir: &Path) -> Result<(), ConnectionError> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|handle| handle.sync_all())
            .map_err(|e| io_error(dir, "sync folder", e))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn temp_prefix(path: &Path) -> Option<String> {
    path.file_name()
        .map(|name| format!(".{}.tmp.", name.to_string_lossy()))
}

fn temp_path(path: &Path) -> PathBuf {
    let prefix = temp_prefix(path).unwrap_or_else(|| ".dlg.tmp.".to_owned());
    let suffix = rand::rngs::OsRng.next_u64();
    parent(path).join(format!("{prefix}{}.{suffix:016x}", std::process::id()))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn atomic_write_creates_private_file_and_replaces_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn stale_temps_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.json");
        fs::write(dir.path().join(".x.json.tmp.1.2"), b"half").unwrap();
        fs::write(dir.path().join("other"), b"keep").unwrap();
        remove_stale_temps(&path);
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("other")]);
    }
}
