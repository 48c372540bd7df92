//! What the page's handlers share: the guard, the CSRF key, where the page is mounted, and the
//! OAuth grants and background authorizations in progress.

use super::guard::{Admission, Guard};
use super::oauth::{Job, PendingGrant};
use deluge_lang::connections::ConnectionError;
use rand::RngCore;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The page's shared state; cheap to clone.
#[derive(Clone)]
pub struct UiState {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub guard: Arc<dyn Guard>,
    pub base: String,
    pub origin: String,
    pub csrf_key: [u8; 32],
    pub pending: Mutex<Vec<PendingGrant>>,
    pub jobs: Mutex<HashMap<(String, String), Job>>,
}

impl std::fmt::Debug for UiState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UiState")
            .field("base", &self.inner.base)
            .field("origin", &self.inner.origin)
            .finish_non_exhaustive()
    }
}

impl UiState {
    /// The state of a page served at `origin` (e.g. `http://127.0.0.1:8080`) under the path
    /// `base` (`""` for `dlg ui`, `"/connections"` under `dlg serve`), admitting requests with
    /// `guard`. The OAuth 2 callback is `{origin}{base}/cb`.
    pub fn new(guard: Arc<dyn Guard>, origin: &str, base: &str) -> UiState {
        let mut csrf_key = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut csrf_key);
        UiState {
            inner: Arc::new(Inner {
                guard,
                base: base.trim_end_matches('/').to_owned(),
                origin: origin.trim_end_matches('/').to_owned(),
                csrf_key,
                pending: Mutex::new(Vec::new()),
                jobs: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// The path of page `path` (starting with `/`) under the mount point. The list (`/`) is
    /// the mount point itself when mounted (`/connections`: a router nested there answers at
    /// that path, not at `/connections/`).
    pub(super) fn link(&self, path: &str) -> String {
        if path == "/" && !self.inner.base.is_empty() {
            return self.inner.base.clone();
        }
        format!("{}{path}", self.inner.base)
    }

    /// The OAuth 2 redirect URI: this page's own callback.
    pub fn callback_url(&self) -> String {
        format!("{}{}/cb", self.inner.origin, self.inner.base)
    }

    /// The CSRF token of the session `admission` belongs to.
    pub(super) fn csrf_token(&self, admission: &Admission) -> String {
        super::csrf::token(&self.inner.csrf_key, &admission.session)
    }
}

/// Runs store work (file I/O, OAuth HTTP) off the async threads.
pub(super) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ConnectionError> + Send + 'static,
) -> Result<T, ConnectionError> {
    tokio::task::spawn_blocking(work).await.unwrap_or_else(|_| {
        Err(ConnectionError::InvalidInput(
            "the operation stopped unexpectedly; nothing more was done, try again".into(),
        ))
    })
}
