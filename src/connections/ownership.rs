//! Refusing files and folders another local user could control: the store folder, the key file
//! and lock files must belong to the current user and must not be writable by group or others
//! (the key file not readable either). Files are opened with `O_NOFOLLOW` and checked on the
//! opened handle (`fstat`), so a planted symbolic link or a swap between check and use is caught.

use crate::connections::ConnectionError;
use super::files::private_options;
use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// What a checked path is, for messages: "the connection store folder", "the master key file"...
#[derive(Clone, Copy, Debug)]
pub struct Role {
    /// Its name in messages.
    pub what: &'static str,
    /// Permission bits other users must not have (`0o022` for "not writable by group or others").
    pub forbidden_bits: u32,
    /// The `chmod` that fixes the mode.
    pub chmod: &'static str,
}

/// The store folder (`DLG_HOME`) and its `locks/` folder.
pub const STORE_DIR: Role = Role {
    what: "the connection store folder",
    forbidden_bits: 0o022,
    chmod: "700",
};
/// The master key file.
pub const KEY_FILE: Role = Role {
    what: "the master key file",
    forbidden_bits: 0o077,
    chmod: "600",
};
/// A lock file.
pub const LOCK_FILE: Role = Role {
    what: "the lock file",
    forbidden_bits: 0o022,
    chmod: "600",
};

/// Checks an existing folder: owned by the current user, not writable by group or others.
/// A missing folder is fine (it is created private).
pub fn check_dir(dir: &Path) -> Result<(), ConnectionError> {
    match File::open(dir) {
        Ok(handle) => check_handle(&handle, dir, STORE_DIR),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(super::files::io_error(dir, "open folder", error)),
    }
}

/// Opens an existing file for reading without following a symbolic link, then checks the
/// opened file. `Ok(None)` when it does not exist.
pub fn open_existing(path: &Path, role: Role) -> Result<Option<File>, ConnectionError> {
    let mut options = OpenOptions::new();
    options.read(true);
    no_follow(&mut options);
    match options.open(path) {
        Ok(file) => check_handle(&file, path, role).map(|()| Some(file)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(open_error(path, role, error)),
    }
}

/// Opens (creating `0600` if missing) a lock file without following a symbolic link, then
/// checks the opened file.
pub fn open_lock_file(path: &Path) -> Result<File, ConnectionError> {
    let mut options = private_options();
    options.read(true).write(true).create(true).truncate(false);
    no_follow(&mut options);
    let file = options
        .open(path)
        .map_err(|error| open_error(path, LOCK_FILE, error))?;
    check_handle(&file, path, LOCK_FILE)?;
    Ok(file)
}

#[cfg(unix)]
fn no_follow(options: &mut OpenOptions) {
    use std::os::unix::fs::OpenOptionsExt;
    options.custom_flags(libc::O_NOFOLLOW);
}

#[cfg(not(unix))]
fn no_follow(_options: &mut OpenOptions) {}

/// A symbolic link where a file should be reads as `ELOOP` under `O_NOFOLLOW`.
fn open_error(path: &Path, role: Role, error: io::Error) -> ConnectionError {
    #[cfg(unix)]
    if error.raw_os_error() == Some(libc::ELOOP) {
        return ConnectionError::UnsafePath {
            what: role.what,
            path: path.to_path_buf(),
            problem: "it is a symbolic link, which dlg never follows here (another user may have \
                      planted it)"
                .into(),
            fix: format!(
                "remove it (`rm {}`) and run the command again",
                path.display()
            ),
        };
    }
    let _ = role;
    super::files::io_error(path, "open", error)
}

/// Owner and mode of the opened file.
#[cfg(unix)]
fn check_handle(handle: &File, path: &Path, role: Role) -> Result<(), ConnectionError> {
    use std::os::unix::fs::MetadataExt;
    let metadata = handle
        .metadata()
        .map_err(|error| super::files::io_error(path, "inspect", error))?;
    let me = rustix::process::geteuid().as_raw();
    if metadata.uid() != me {
        return Err(ConnectionError::UnsafePath {
            what: role.what,
            path: path.to_path_buf(),
            problem: format!(
                "it belongs to user id {}, not to you (user id {me}), so that user could change \
                 or read what dlg keeps there",
                metadata.uid()
            ),
            fix: format!(
                "use a folder of your own (set DLG_HOME), or take it over with \
                 `chown {me} {}` if it is really yours",
                path.display()
            ),
        });
    }
    let mode = metadata.mode() & 0o777;
    if mode & role.forbidden_bits != 0 {
        let access = if role.forbidden_bits & 0o044 != 0 {
            "read or written"
        } else {
            "written"
        };
        return Err(ConnectionError::UnsafePath {
            what: role.what,
            path: path.to_path_buf(),
            problem: format!("its mode {mode:o} lets other users have it {access}"),
            fix: format!("restrict it with `chmod {} {}`", role.chmod, path.display()),
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_handle(_handle: &File, _path: &Path, _role: Role) -> Result<(), ConnectionError> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_group_writable_folder_is_refused_with_the_chmod() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o770)).unwrap();
        let error = check_dir(dir.path()).unwrap_err().to_string();
        assert!(
            error.contains("mode 770 lets other users have it written"),
            "{error}"
        );
        assert!(error.contains("chmod 700"), "{error}");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(check_dir(dir.path()).is_ok());
    }

    #[test]
    fn a_readable_key_file_is_refused_on_the_open_handle() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        std::fs::write(&path, "x").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let error = open_existing(&path, KEY_FILE).unwrap_err().to_string();
        assert!(error.contains("read or written"), "{error}");
        assert!(error.contains("chmod 600"), "{error}");
        assert!(open_existing(&dir.path().join("none"), KEY_FILE)
            .unwrap()
            .is_none());
    }
}
