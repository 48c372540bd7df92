//! Outbox mode (zoho-tasks.md §3.2): each mail becomes `<outbox>/<UTC timestamp>-<n>.eml`, the
//! exact bytes an SMTP server would have received, as a web framework's file mail backend does.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The default outbox: `outbox` in `DLG_HOME`, else in the dlg configuration folder.
pub fn default_dir() -> Result<PathBuf, String> {
    crate::connections::store::default_dir()
        .map(|home| home.join("outbox"))
        .map_err(|e| {
            format!("sendmail: no outbox folder: {e}; or give one with `MailSettings::outbox`")
        })
}

/// Writes `bytes` as a new `.eml` file in `dir` (created if needed); returns its path.
pub fn write(dir: &Path, bytes: &[u8]) -> Result<PathBuf, String> {
    let fail = |what: &str, path: &Path, e: std::io::Error| {
        format!(
            "sendmail: cannot {what} {} ({e}); choose another folder with `MailSettings::outbox`",
            path.display()
        )
    };
    std::fs::create_dir_all(dir).map_err(|e| fail("create the outbox folder", dir, e))?;
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    for n in 1u32.. {
        let path = dir.join(format!("{stamp}-{n}.eml"));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                file.write_all(bytes).map_err(|e| fail("write", &path, e))?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(fail("create", &path, e)),
        }
    }
    Err(format!("sendmail: no free file name in {}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_mail_gets_its_own_file() {
        let dir = tempfile::tempdir().unwrap();
        let outbox = dir.path().join("out");
        let first = write(&outbox, b"one").unwrap();
        let second = write(&outbox, b"two").unwrap();
        assert_ne!(first, second);
        assert_eq!(std::fs::read(&second).unwrap(), b"two");
        assert!(first.to_string_lossy().ends_with(".eml"));
    }

    #[test]
    fn an_unwritable_folder_is_explained() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain-file");
        std::fs::write(&file, b"x").unwrap();
        let error = write(&file.join("sub"), b"x").unwrap_err();
        assert!(
            error.starts_with("sendmail: cannot create the outbox folder"),
            "{error}"
        );
        assert!(
            error.ends_with("choose another folder with `MailSettings::outbox`"),
            "{error}"
        );
    }
}
