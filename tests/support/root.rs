//! The workspace's root folder, for the library's tests (`tests/`) and the `dlg` package's
//! (`dlg/tests/`) alike. Also included on its own by tests that need no test server.

use std::path::{Path, PathBuf};

/// The workspace's root folder (`scripts/`, `examples/`, `docs/`, `target/`).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    match env!("CARGO_PKG_NAME") {
        "dlg" => manifest
            .parent()
            .expect("dlg/ is inside the workspace")
            .to_path_buf(),
        _ => manifest.to_path_buf(),
    }
}
