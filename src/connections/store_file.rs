//! The store file on disk: its JSON shape, its authentication code, and the migration of
//! format-1 files.
//!
//! Format 2 (this build) carries `"mac"`: HMAC-SHA256, under a key derived from the master key,
//! of the compact JSON of everything else in the file (key order as written). Every load checks
//! it, so a file edited by someone without the key (a synced folder, a restored backup) is
//! refused instead of sending a connection's secrets where the edit points.
//!
//! Format 1 (older builds) has no code and encrypts records under the master key itself. It is
//! migrated on first use with the key: every record is decrypted and sealed again under the
//! derived encryption key, and the file is rewritten as format 2 in one atomic replace (a
//! failed write leaves the format-1 file as it was).

use super::crypto::{MasterKey, Sealed};
use crate::connections::ConnectionError;
use super::files::io_error;
use super::model::{Connection, Service};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fs;
use std::io;
use std::path::Path;

/// The store format this build writes.
pub const FORMAT: u64 = 2;
/// The last format without an authentication code (migrated on first use).
pub const LEGACY_FORMAT: u64 = 1;
/// The field holding the authentication code.
const MAC_FIELD: &str = "mac";

/// The file's content.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct StoreFile {
    pub format: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_check: Option<String>,
    #[serde(default)]
    pub services: Vec<StoredService>,
    #[serde(default)]
    pub connections: Vec<StoredConnection>,
}

impl StoreFile {
    /// An empty store of the current format.
    pub fn empty() -> StoreFile {
        StoreFile {
            format: FORMAT,
            ..StoreFile::default()
        }
    }

    /// Whether any record is encrypted (so the key must already exist).
    fn has_sealed_records(&self) -> bool {
        self.services.iter().any(|s| s.secrets.is_some())
            || self.connections.iter().any(|c| c.credentials.is_some())
    }
}

/// A service and its encrypted secrets.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct StoredService {
    #[serde(flatten)]
    pub service: Service,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Sealed>,
}

/// A connection and its encrypted credentials.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct StoredConnection {
    #[serde(flatten)]
    pub connection: Connection,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<Sealed>,
}

/// What the file holds, before its authentication code is checked.
pub(super) enum Parsed {
    /// A format-2 file (still to be verified with the key).
    Current(Vec<u8>),
    /// A format-1 file, to be migrated.
    Legacy(StoreFile),
}

impl Parsed {
    /// Whether the file must be migrated, and whether it already needs an existing key.
    pub fn legacy_needs_existing_key(&self) -> Option<bool> {
        match self {
            Parsed::Legacy(file) => Some(file.key_check.is_some() || file.has_sealed_records()),
            Parsed::Current(_) => None,
        }
    }
}

/// The record's identity, bound to its ciphertext.
pub(super) fn connection_context(link_name: &str) -> String {
    format!("deluge-lang/connection/{link_name}")
}

/// The record's identity, bound to its ciphertext.
pub(super) fn service_context(name: &str) -> String {
    format!("deluge-lang/service/{name}")
}

/// The file's bytes; `None` when there is no store yet.
pub(super) fn read(path: &Path) -> Result<Option<Vec<u8>>, ConnectionError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(io_error(path, "read the connection store", error)),
    }
}

#[derive(Deserialize)]
struct FormatOnly {
    format: u64,
}

/// Reads the format and sorts the file into current or legacy.
pub(super) fn parse(path: &Path, bytes: Vec<u8>) -> Result<Parsed, ConnectionError> {
    let format = serde_json::from_slice::<FormatOnly>(&bytes)
        .map_err(|e| corrupt(path, e))?
        .format;
    if format > FORMAT {
        return Err(ConnectionError::StoreTooNew {
            path: path.to_path_buf(),
            format,
        });
    }
    if format <= LEGACY_FORMAT {
        let file = serde_json::from_slice(&bytes).map_err(|e| corrupt(path, e))?;
        return Ok(Parsed::Legacy(file));
    }
    Ok(Parsed::Current(bytes))
}

/// Checks a format-2 file against `key` (key check, then authentication code) and decodes it.
pub(super) fn verify(
    path: &Path,
    bytes: &[u8],
    key: &MasterKey,
) -> Result<StoreFile, ConnectionError> {
    let mut value: Value = serde_json::from_slice(bytes).map_err(|e| corrupt(path, e))?;
    let tampered = || ConnectionError::StoreTampered {
        path: path.to_path_buf(),
    };
    let object = value.as_object_mut().ok_or_else(tampered)?;
    let code = match object.shift_remove(MAC_FIELD) {
        Some(Value::String(code)) => code,
        _ => return Err(tampered()),
    };
    if let Some(check) = object.get("key_check").and_then(Value::as_str) {
        if check != key.check_value() {
            return Err(ConnectionError::KeyMismatch {
                store: path.to_path_buf(),
                origin: key.origin().to_owned(),
            });
        }
    }
    let content = serde_json::to_vec(&value).map_err(|e| corrupt(path, e))?;
    if !key.verify(&content, &code) {
        return Err(tampered());
    }
    serde_json::from_value(value).map_err(|e| corrupt(path, e))
}

/// The file's bytes with its authentication code (pretty JSON, code last).
pub(super) fn encode(file: &StoreFile, key: &MasterKey) -> Result<Vec<u8>, ConnectionError> {
    let encoding = |e: serde_json::Error| {
        ConnectionError::InvalidInput(format!("cannot encode the connection store: {e}"))
    };
    let mut value = serde_json::to_value(file).map_err(encoding)?;
    let content = serde_json::to_vec(&value).map_err(encoding)?;
    let code = key.authenticate(&content);
    if let Some(object) = value.as_object_mut() {
        object.insert(MAC_FIELD.to_owned(), Value::String(code));
    }
    let mut bytes = serde_json::to_vec_pretty(&value).map_err(encoding)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The authentication code of a database tenant's content: HMAC (as for a file) of `scope`
/// (which names the tenant, so rows cannot be moved to another tenant), a zero byte, and the
/// compact JSON of `file` without code.
#[cfg(feature = "postgres")]
pub(super) fn scoped_code(
    file: &StoreFile,
    key: &MasterKey,
    scope: &str,
) -> Result<String, ConnectionError> {
    Ok(key.authenticate(&scoped_message(file, scope)?))
}

/// Whether `code` is the [`scoped_code`] of `file`, compared in constant time.
#[cfg(feature = "postgres")]
pub(super) fn scoped_code_matches(
    file: &StoreFile,
    key: &MasterKey,
    scope: &str,
    code: &str,
) -> Result<bool, ConnectionError> {
    Ok(key.verify(&scoped_message(file, scope)?, code))
}

#[cfg(feature = "postgres")]
fn scoped_message(file: &StoreFile, scope: &str) -> Result<Vec<u8>, ConnectionError> {
    let encoding = |e: serde_json::Error| {
        ConnectionError::InvalidInput(format!("cannot encode the connection store: {e}"))
    };
    let content =
        serde_json::to_vec(&serde_json::to_value(file).map_err(encoding)?).map_err(encoding)?;
    let mut message = Vec::with_capacity(scope.len() + 1 + content.len());
    message.extend_from_slice(scope.as_bytes());
    message.push(0);
    message.extend_from_slice(&content);
    Ok(message)
}

/// Turns a format-1 file into format 2: checks the key against the old key check, then seals
/// every record again under the derived encryption key.
pub(super) fn migrate(
    path: &Path,
    mut file: StoreFile,
    key: &MasterKey,
) -> Result<StoreFile, ConnectionError> {
    if let Some(check) = &file.key_check {
        if *check == key.check_value() {
            // A format-2 file relabelled as format 1 to shed its authentication code.
            return Err(ConnectionError::StoreTampered {
                path: path.to_path_buf(),
            });
        }
        if *check != key.legacy_check_value() {
            return Err(ConnectionError::KeyMismatch {
                store: path.to_path_buf(),
                origin: key.origin().to_owned(),
            });
        }
    }
    for stored in &mut file.services {
        if let Some(sealed) = &stored.secrets {
            let context = service_context(&stored.service.link_name);
            let record = format!("service \"{}\"", stored.service.link_name);
            stored.secrets = Some(reseal(path, key, &context, sealed, &record)?);
        }
    }
    for stored in &mut file.connections {
        if let Some(sealed) = &stored.credentials {
            let context = connection_context(&stored.connection.link_name);
            let record = format!("connection \"{}\"", stored.connection.link_name);
            stored.credentials = Some(reseal(path, key, &context, sealed, &record)?);
        }
    }
    file.format = FORMAT;
    file.key_check = Some(key.check_value());
    Ok(file)
}

fn reseal(
    path: &Path,
    key: &MasterKey,
    context: &str,
    sealed: &Sealed,
    record: &str,
) -> Result<Sealed, ConnectionError> {
    let plaintext =
        key.open_legacy(context, sealed)
            .ok_or_else(|| ConnectionError::RecordTampered {
                store: path.to_path_buf(),
                record: record.to_owned(),
            })?;
    key.seal(context, &plaintext)
}

fn corrupt(path: &Path, error: serde_json::Error) -> ConnectionError {
    ConnectionError::StoreCorrupt {
        path: path.to_path_buf(),
        detail: error.to_string(),
    }
}
