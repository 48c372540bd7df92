//! When each connection was last used: one empty file per connection under `usage/` in the
//! store folder, whose modification time is the last use. Kept apart from the encrypted store
//! so that a use never rewrites it; recorded at most once a minute per connection and process,
//! and best-effort (a failure to record never fails the request). A database store has no
//! folder: its connections' last use is not recorded (a known gap, see decisions-local.md).

use super::files::{create_private_dir, private_options};
use super::store::Store;
use jiff::Timestamp;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

/// Uses of one connection closer together than this are recorded once.
pub const RECORD_INTERVAL: Duration = Duration::from_secs(60);

fn usage_file(store: &Store, link_name: &str) -> Option<PathBuf> {
    Some(store.dir()?.join("usage").join(link_name))
}

fn recent() -> &'static Mutex<HashMap<PathBuf, Instant>> {
    static RECENT: OnceLock<Mutex<HashMap<PathBuf, Instant>>> = OnceLock::new();
    RECENT.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Records that `link_name` was used now (at most once per [`RECORD_INTERVAL`]).
pub fn record(store: &Store, link_name: &str) {
    let Some(path) = usage_file(store, link_name) else {
        return;
    };
    if let Ok(mut recent) = recent().lock() {
        let now = Instant::now();
        if recent
            .get(&path)
            .is_some_and(|last| now.duration_since(*last) < RECORD_INTERVAL)
        {
            return;
        }
        recent.insert(path.clone(), now);
    }
    let Some(dir) = path.parent() else { return };
    if create_private_dir(dir).is_err() {
        return;
    }
    if let Ok(file) = private_options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
    {
        let _ = file.set_modified(SystemTime::now());
    }
}

/// When `link_name` was last used, if it ever was.
pub fn last_used(store: &Store, link_name: &str) -> Option<Timestamp> {
    let modified = std::fs::metadata(usage_file(store, link_name)?)
        .and_then(|metadata| metadata.modified())
        .ok()?;
    Timestamp::try_from(modified).ok()
}

/// Forgets the uses of a deleted connection.
pub fn forget(store: &Store, link_name: &str) {
    let Some(path) = usage_file(store, link_name) else {
        return;
    };
    let _ = std::fs::remove_file(&path);
    if let Ok(mut recent) = recent().lock() {
        recent.remove(&path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_use_is_recorded_read_back_and_forgotten() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let store = Store::at(dir.path());
        assert_eq!(last_used(&store, "crm"), None);
        let before = Timestamp::now().as_second();
        record(&store, "crm");
        let used = last_used(&store, "crm").expect("recorded");
        assert!(used.as_second() >= before - 1, "{used}");
        forget(&store, "crm");
        assert_eq!(last_used(&store, "crm"), None);
    }
}
