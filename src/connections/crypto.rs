//! Encryption at rest: AES-256-GCM with a random 12-byte nonce per record, and the master key
//! that drives it (from `DLG_MASTER_KEY`, else a `0600` key file beside the store).
//!
//! The master key is never used directly (except to read format-1 stores while migrating them):
//! HKDF-SHA256 derives one key for encrypting records, one for the store's authentication code
//! (HMAC-SHA256 over the whole file) and one for the key check.

use crate::connections::ConnectionError;
use super::files::{io_error, write_atomic};
use super::ownership::{open_existing, KEY_FILE};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::io::Read;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// Environment variable holding the master key (base64 of 32 bytes).
pub const KEY_ENV: &str = "DLG_MASTER_KEY";
/// Name of the key file created beside the store when `DLG_MASTER_KEY` is not set.
pub const KEY_FILE_NAME: &str = "master.key";

const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 12;
/// The key check of format-1 stores: HMAC of this label under the master key itself.
const LEGACY_CHECK_LABEL: &[u8] = b"deluge-lang master key check v1";
/// HKDF `info` of each derived key.
const ENCRYPTION_INFO: &[u8] = b"deluge-lang store v2 record encryption";
const MAC_INFO: &[u8] = b"deluge-lang store v2 file authentication";
const CHECK_INFO: &[u8] = b"deluge-lang store v2 key check";
const CHECK_LABEL: &[u8] = b"deluge-lang master key check v2";

/// An encrypted record: nonce and ciphertext (with its 16-byte tag), both base64.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
    /// The 12-byte nonce.
    pub nonce: String,
    /// Ciphertext followed by the GCM tag.
    pub ciphertext: String,
}

/// The 256-bit master key and the keys derived from it. Zeroed on drop; never printed.
pub struct MasterKey {
    bytes: Zeroizing<[u8; KEY_LEN]>,
    encryption: Zeroizing<[u8; KEY_LEN]>,
    authentication: Zeroizing<[u8; KEY_LEN]>,
    check: Zeroizing<[u8; KEY_LEN]>,
    origin: String,
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MasterKey(*** from {})", self.origin)
    }
}

impl MasterKey {
    /// The key from `env_key` (the value of `DLG_MASTER_KEY`), else from the key file in `dir`;
    /// `None` if neither exists.
    pub fn find(dir: &Path, env_key: Option<&str>) -> Result<Option<MasterKey>, ConnectionError> {
        if let Some(text) = env_key {
            return Self::decode(text, KEY_ENV.to_owned()).map(Some);
        }
        let path = key_file(dir);
        let Some(mut file) = open_existing(&path, KEY_FILE)? else {
            return Ok(None);
        };
        let mut text = Zeroizing::new(String::with_capacity(64));
        file.read_to_string(&mut text)
            .map_err(|error| io_error(&path, "read the key file", error))?;
        Self::decode(&text, path.display().to_string()).map(Some)
    }

    /// The key from `env_key` (the value of `DLG_MASTER_KEY`) only: for stores without a key
    /// file (PostgreSQL).
    pub fn from_env(env_key: Option<&str>) -> Result<Option<MasterKey>, ConnectionError> {
        env_key
            .map(|text| Self::decode(text, KEY_ENV.to_owned()))
            .transpose()
    }

    /// Like [`MasterKey::find`], but creates a new random key file when there is no key.
    /// Call only while holding the store lock.
    pub fn find_or_create(dir: &Path, env_key: Option<&str>) -> Result<MasterKey, ConnectionError> {
        if let Some(key) = Self::find(dir, env_key)? {
            return Ok(key);
        }
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        rand::rngs::OsRng.fill_bytes(bytes.as_mut());
        let text = Zeroizing::new(format!("{}\n", BASE64.encode(bytes.as_ref())));
        let path = key_file(dir);
        write_atomic(&path, text.as_bytes())?;
        Ok(MasterKey::from_bytes(bytes, path.display().to_string()))
    }

    fn from_bytes(bytes: Zeroizing<[u8; KEY_LEN]>, origin: String) -> MasterKey {
        let derive = |info: &[u8]| {
            let mut key = Zeroizing::new([0u8; KEY_LEN]);
            // 32 bytes is far below HKDF-SHA256's 8160-byte limit, so expand cannot fail.
            let _ = Hkdf::<Sha256>::new(None, bytes.as_ref()).expand(info, key.as_mut());
            key
        };
        MasterKey {
            encryption: derive(ENCRYPTION_INFO),
            authentication: derive(MAC_INFO),
            check: derive(CHECK_INFO),
            bytes,
            origin,
        }
    }

    /// Where the key came from: `DLG_MASTER_KEY` or the key file path.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// A value that identifies the key without revealing it (HMAC of a fixed label under the
    /// derived check key).
    pub fn check_value(&self) -> String {
        BASE64.encode(&hmac(self.check.as_ref(), CHECK_LABEL)[..16])
    }

    /// The key check of format-1 stores (HMAC of a label under the master key itself).
    pub fn legacy_check_value(&self) -> String {
        BASE64.encode(&hmac(self.bytes.as_ref(), LEGACY_CHECK_LABEL)[..16])
    }

    /// The authentication code of a store file's content (HMAC-SHA256, base64).
    pub fn authenticate(&self, content: &[u8]) -> String {
        BASE64.encode(hmac(self.authentication.as_ref(), content))
    }

    /// Whether `code` is the authentication code of `content`, compared in constant time.
    pub fn verify(&self, content: &[u8], code: &str) -> bool {
        let Ok(code) = BASE64.decode(code) else {
            return false;
        };
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(self.authentication.as_ref())
        else {
            return false;
        };
        mac.update(content);
        mac.verify_slice(&code).is_ok()
    }

    /// Encrypts `plaintext`, bound to `context` (e.g. `connection:crm`) so that a record cannot
    /// be moved to another place in the store.
    pub fn seal(&self, context: &str, plaintext: &[u8]) -> Result<Sealed, ConnectionError> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let payload = Payload {
            msg: plaintext,
            aad: context.as_bytes(),
        };
        let ciphertext = self
            .cipher()
            .encrypt(Nonce::from_slice(&nonce), payload)
            .map_err(|_| {
                ConnectionError::InvalidInput("the data is too large to encrypt".into())
            })?;
        Ok(Sealed {
            nonce: BASE64.encode(nonce),
            ciphertext: BASE64.encode(ciphertext),
        })
    }

    /// Decrypts a record sealed with the same `context`; `None` if it does not authenticate.
    pub fn open(&self, context: &str, sealed: &Sealed) -> Option<Zeroizing<Vec<u8>>> {
        let nonce = BASE64.decode(&sealed.nonce).ok()?;
        if nonce.len() != NONCE_LEN {
            return None;
        }
        let ciphertext = BASE64.decode(&sealed.ciphertext).ok()?;
        let payload = Payload {
            msg: &ciphertext,
            aad: context.as_bytes(),
        };
        self.cipher()
            .decrypt(Nonce::from_slice(&nonce), payload)
            .ok()
            .map(Zeroizing::new)
    }

    /// Decrypts a record of a format-1 store (encrypted under the master key itself); used
    /// only to migrate such a store.
    pub fn open_legacy(&self, context: &str, sealed: &Sealed) -> Option<Zeroizing<Vec<u8>>> {
        let nonce = BASE64.decode(&sealed.nonce).ok()?;
        if nonce.len() != NONCE_LEN {
            return None;
        }
        let ciphertext = BASE64.decode(&sealed.ciphertext).ok()?;
        let payload = Payload {
            msg: &ciphertext,
            aad: context.as_bytes(),
        };
        Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(self.bytes.as_ref()))
            .decrypt(Nonce::from_slice(&nonce), payload)
            .ok()
            .map(Zeroizing::new)
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(self.encryption.as_ref()))
    }

    fn decode(text: &str, origin: String) -> Result<MasterKey, ConnectionError> {
        let decoded = Zeroizing::new(BASE64.decode(text.trim()).map_err(|_| {
            ConnectionError::InvalidKey {
                origin: origin.clone(),
                reason: "it is not valid base64".into(),
            }
        })?);
        if decoded.len() != KEY_LEN {
            return Err(ConnectionError::InvalidKey {
                origin,
                reason: format!("it decodes to {} bytes, not {KEY_LEN}", decoded.len()),
            });
        }
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        bytes.copy_from_slice(&decoded);
        Ok(MasterKey::from_bytes(bytes, origin))
    }
}

/// HMAC-SHA256 of `message` under `key`.
fn hmac(key: &[u8], message: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut out = Zeroizing::new([0u8; 32]);
    if let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(key) {
        mac.update(message);
        out.copy_from_slice(&mac.finalize().into_bytes());
    }
    out
}

/// The key file's path in the store folder.
pub fn key_file(dir: &Path) -> PathBuf {
    dir.join(KEY_FILE_NAME)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> MasterKey {
        MasterKey::decode(&BASE64.encode([byte; KEY_LEN]), "test".into()).unwrap()
    }

    #[test]
    fn seal_then_open_round_trips_with_fresh_nonces() {
        let key = key(7);
        let first = key.seal("connection:a", b"secret").unwrap();
        let second = key.seal("connection:a", b"secret").unwrap();
        assert_ne!(first.nonce, second.nonce);
        assert_ne!(first.ciphertext, second.ciphertext);
        assert_eq!(&key.open("connection:a", &first).unwrap()[..], b"secret");
    }

    #[test]
    fn wrong_key_or_context_fails() {
        let sealed = key(7).seal("connection:a", b"secret").unwrap();
        assert!(key(8).open("connection:a", &sealed).is_none());
        assert!(key(7).open("connection:b", &sealed).is_none());
    }

    #[test]
    fn check_value_differs_per_key() {
        assert_eq!(key(1).check_value(), key(1).check_value());
        assert_ne!(key(1).check_value(), key(2).check_value());
        assert_ne!(key(1).check_value(), key(1).legacy_check_value());
    }

    #[test]
    fn derived_keys_are_separate_from_the_master_key() {
        let key = key(7);
        let sealed = key.seal("connection:a", b"secret").unwrap();
        assert!(key.open_legacy("connection:a", &sealed).is_none());
        assert_ne!(key.encryption.as_ref(), key.authentication.as_ref());
        assert_ne!(key.encryption.as_ref(), key.bytes.as_ref());
        assert_ne!(key.check.as_ref(), key.authentication.as_ref());
    }

    #[test]
    fn authentication_codes_detect_any_change() {
        let seven = key(7);
        let code = seven.authenticate(b"{\"a\":1}");
        assert!(seven.verify(b"{\"a\":1}", &code));
        assert!(!seven.verify(b"{\"a\":2}", &code));
        assert!(!key(8).verify(b"{\"a\":1}", &code));
        assert!(!seven.verify(b"{\"a\":1}", "not base64!"));
    }

    #[test]
    fn malformed_keys_are_explained() {
        let error = MasterKey::decode("not base64!", "DLG_MASTER_KEY".into()).unwrap_err();
        assert!(error.to_string().contains("not valid base64"), "{error}");
        let error = MasterKey::decode(&BASE64.encode([0u8; 16]), "X".into()).unwrap_err();
        assert!(error.to_string().contains("16 bytes, not 32"), "{error}");
    }

    #[test]
    fn debug_hides_the_key() {
        assert_eq!(format!("{:?}", key(1)), "MasterKey(*** from test)");
    }
}
