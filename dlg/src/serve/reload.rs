//! Reload on change: a thread compares the served files' times and sizes every interval and
//! recompiles when they change; a version that does not compile is logged and the previous one
//! kept.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::access_log;
use super::catalog::{self, Stamp};
use super::state::State;

/// Starts the watcher thread over `paths` (it lives as long as the process).
pub fn watch(state: Arc<State>, paths: Vec<PathBuf>, every: Duration) {
    let spawned = std::thread::Builder::new()
        .name("dlg-serve-reload".into())
        .spawn(move || {
            let mut seen = state.catalog().stamp.clone();
            loop {
                std::thread::sleep(every);
                seen = check(&state, &paths, seen);
            }
        });
    if let Err(e) = spawned {
        access_log::event("warn", "reload_disabled", &[("error", &e.to_string())]);
    }
}

/// One check: recompiles when the files changed since `seen`; returns the stamp now seen.
pub fn check(state: &State, paths: &[PathBuf], seen: Stamp) -> Stamp {
    let now = match catalog::source_files(paths) {
        Ok(files) => catalog::stamp(&files),
        Err(e) => {
            access_log::event("warn", "reload_failed", &[("error", &e.0)]);
            return seen;
        }
    };
    if now == seen {
        return seen;
    }
    match catalog::load(&state.engine, paths) {
        Ok(new) => {
            let functions = new.script.functions.len().to_string();
            let loaded = new.stamp.clone();
            state.replace_catalog(new);
            state.metrics.reloaded(true);
            access_log::event("info", "reloaded", &[("functions", &functions)]);
            loaded
        }
        Err(e) => {
            state.metrics.reloaded(false);
            access_log::event(
                "error",
                "reload_failed",
                &[
                    ("error", &e.0),
                    (
                        "action",
                        "keeping the previous version until the files compile",
                    ),
                ],
            );
            now
        }
    }
}
