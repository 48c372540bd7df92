//! API keys for `dlg serve`: made by `dlg serve key create NAME`, shown once, and stored as the
//! SHA-256 of the key (a 256-bit random value, so a plain hash is enough) in `serve-keys.json`
//! under `DLG_HOME`, written atomically. The server rereads the file when it changes, so a
//! revoked key stops working without a restart.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use deluge_lang::connections::files::{create_private_dir, write_atomic};
use deluge_lang::connections::store::default_dir;

/// The key file's name, in the `DLG_HOME` folder.
pub const KEYS_FILE_NAME: &str = "serve-keys.json";
/// Every key starts with this, so that a leaked one is recognisable.
pub const KEY_PREFIX: &str = "dlg_";

/// One stored key: its name, the SHA-256 of the key, when it was made.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct KeyEntry {
    /// The name given at creation (what the access log shows).
    pub name: String,
    /// Hex SHA-256 of the key.
    pub sha256: String,
    /// RFC 3339 creation time.
    pub created: String,
    /// An admin key opens the Connections pages at `/connections` (it may call functions too);
    /// a function key only calls functions. Absent in older files: a function key.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub admin: bool,
}

#[derive(Default, Serialize, Deserialize)]
struct KeysDoc {
    keys: Vec<KeyEntry>,
}

/// The key file, with a cache reread when the file's modification time changes.
pub struct KeyFile {
    path: PathBuf,
    cache: Mutex<Option<(Option<SystemTime>, Vec<KeyEntry>)>>,
}

impl std::fmt::Debug for KeyFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyFile").field("path", &self.path).finish()
    }
}

impl KeyFile {
    /// The key file in `dir`.
    pub fn in_dir(dir: &Path) -> KeyFile {
        KeyFile {
            path: dir.join(KEYS_FILE_NAME),
            cache: Mutex::new(None),
        }
    }

    /// The key file in `DLG_HOME` (else the user's configuration folder).
    pub fn open_default() -> Result<KeyFile, String> {
        default_dir()
            .map(|dir| KeyFile::in_dir(&dir))
            .map_err(|e| e.to_string())
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes a key called `name` (an admin key when `admin`) and returns it (the only time it
    /// is visible).
    pub fn create(&self, name: &str, admin: bool) -> Result<String, String> {
        check_name(name)?;
        let mut doc = self.read()?;
        if doc.keys.iter().any(|k| k.name == name) {
            return Err(format!(
                "a key named `{name}` exists already; revoke it first (dlg serve key revoke {name}) or choose another name"
            ));
        }
        let key = new_key();
        doc.keys.push(KeyEntry {
            name: name.to_owned(),
            sha256: digest_hex(&key),
            created: jiff::Timestamp::now().to_string(),
            admin,
        });
        self.write(&doc)?;
        Ok(key)
    }

    /// The stored keys (names and creation times; the hashes are not secrets but stay here).
    pub fn list(&self) -> Result<Vec<KeyEntry>, String> {
        Ok(self.read()?.keys)
    }

    /// Removes the key called `name`.
    pub fn revoke(&self, name: &str) -> Result<(), String> {
        let mut doc = self.read()?;
        let before = doc.keys.len();
        doc.keys.retain(|k| k.name != name);
        if doc.keys.len() == before {
            let names: Vec<&str> = doc.keys.iter().map(|k| k.name.as_str()).collect();
            return Err(format!(
                "no key named `{name}` (keys: {}); see dlg serve key list",
                if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                }
            ));
        }
        self.write(&doc)
    }

    /// The name of the stored key equal to `key`, if any (rereading the file if it changed).
    pub fn verify(&self, key: &str) -> Result<Option<String>, String> {
        Ok(self.verify_entry(key)?.map(|entry| entry.name))
    }

    /// The stored key equal to `key` (name, hash, role), if any.
    pub fn verify_entry(&self, key: &str) -> Result<Option<KeyEntry>, String> {
        let digest = digest_hex(key);
        let modified = std::fs::metadata(&self.path)
            .and_then(|m| m.modified())
            .ok();
        let mut cache = self
            .cache
            .lock()
            .map_err(|_| "the key cache is unusable".to_owned())?;
        let fresh = matches!(&*cache, Some((seen, _)) if *seen == modified);
        if !fresh {
            *cache = Some((modified, self.read()?.keys));
        }
        Ok(cache.as_ref().and_then(|(_, keys)| {
            keys.iter()
                .find(|k| same(k.sha256.as_bytes(), digest.as_bytes()))
                .cloned()
        }))
    }

    fn read(&self) -> Result<KeysDoc, String> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                format!(
                    "{} is not a valid key file ({e}); fix or remove it",
                    self.path.display()
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(KeysDoc::default()),
            Err(e) => Err(format!("cannot read {}: {e}", self.path.display())),
        }
    }

    fn write(&self, doc: &KeysDoc) -> Result<(), String> {
        if let Some(dir) = self.path.parent() {
            create_private_dir(dir).map_err(|e| e.to_string())?;
        }
        let mut bytes = serde_json::to_vec_pretty(doc).map_err(|e| e.to_string())?;
        bytes.push(b'\n');
        write_atomic(&self.path, &bytes).map_err(|e| e.to_string())
    }
}

/// A name is 1 to 64 letters, digits, `-`, `_` or `.`.
fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a key name: use 1 to 64 letters, digits, `-`, `_` or `.`"
        ))
    }
}

/// A new key: the prefix and 32 random bytes from the OS, in hex.
fn new_key() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{KEY_PREFIX}{}", hex(&bytes))
}

fn digest_hex(key: &str) -> String {
    hex(&Sha256::digest(key.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Equality in time independent of where the inputs differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_created_key_verifies_and_is_stored_hashed() {
        let dir = tempfile::tempdir().unwrap();
        let keys = KeyFile::in_dir(dir.path());
        let key = keys.create("ci", false).unwrap();
        let admin = keys.create("boss", true).unwrap();
        assert!(keys.verify_entry(&admin).unwrap().unwrap().admin);
        assert!(!keys.verify_entry(&key).unwrap().unwrap().admin);
        assert!(key.starts_with(KEY_PREFIX) && key.len() == 4 + 64);
        let text = std::fs::read_to_string(keys.path()).unwrap();
        assert!(!text.contains(&key) && text.contains(&digest_hex(&key)));
        assert_eq!(keys.verify(&key).unwrap().as_deref(), Some("ci"));
        assert_eq!(keys.verify("dlg_wrong").unwrap(), None);
    }

    #[test]
    fn names_are_checked_and_unique() {
        let dir = tempfile::tempdir().unwrap();
        let keys = KeyFile::in_dir(dir.path());
        keys.create("a", false).unwrap();
        assert!(keys
            .create("a", false)
            .unwrap_err()
            .contains("exists already"));
        assert!(keys
            .create("a b", false)
            .unwrap_err()
            .contains("not a key name"));
        assert!(keys
            .revoke("zz")
            .unwrap_err()
            .contains("no key named `zz` (keys: a)"));
    }
}
