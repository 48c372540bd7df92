//! Where the REPL keeps its history, and how the file is created.
//!
//! History lives in the data dir (`ProjectDirs::from("", "", "deluge-lang")`), or in `DLG_HOME`
//! when it is set. Entries can hold secrets typed by the user (an API key in a header), so the
//! folder is created private (0700) and the file is created readable by its owner only (0600).

use std::fs::{self, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// The environment variable that overrides the config and data dirs with one folder.
pub const HOME_VAR: &str = "DLG_HOME";

/// The file name of the history inside the data dir.
pub const FILE_NAME: &str = "repl_history";

/// The folder for the REPL's data: `DLG_HOME` when set and not empty, else the platform's
/// data dir for deluge-lang; `None` when neither can be found (no home directory).
pub fn data_dir() -> Option<PathBuf> {
    match std::env::var_os(HOME_VAR) {
        Some(home) if !home.is_empty() => Some(PathBuf::from(home)),
        _ => directories::ProjectDirs::from("", "", "deluge-lang")
            .map(|dirs| dirs.data_dir().to_path_buf()),
    }
}

/// The history file's path, if there is a data dir.
pub fn history_path() -> Option<PathBuf> {
    data_dir().map(|dir| dir.join(FILE_NAME))
}

/// Creates the history file's folder (0700) and the file itself (0600) when they are missing.
/// An existing file keeps its permissions.
pub fn prepare(path: &Path) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    let mut options = OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop)
}

/// Creates `dir` and its missing parents; the new folders are private on Unix.
fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn prepare_creates_a_private_folder_and_file() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a").join("b").join(FILE_NAME);
        prepare(&path).unwrap();
        let file_mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        let dir_mode = fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(file_mode, 0o600);
        assert_eq!(dir_mode, 0o700);
        prepare(&path).unwrap();
    }

    #[test]
    fn prepare_reports_a_path_that_cannot_be_a_folder() {
        let tmp = tempfile::NamedTempFile::new().unwrap();
        let path = tmp.path().join(FILE_NAME);
        assert!(prepare(&path).is_err());
    }
}
