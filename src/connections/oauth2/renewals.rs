//! Process-wide counts of OAuth 2 token renewals (sent to the provider by this process), for a
//! server's metrics (`dlg serve` `/metrics`).

use std::sync::atomic::{AtomicU64, Ordering};

static SUCCEEDED: AtomicU64 = AtomicU64::new(0);
static FAILED: AtomicU64 = AtomicU64::new(0);

/// Counts one renewal request and its outcome.
pub fn record(ok: bool) {
    let counter = if ok { &SUCCEEDED } else { &FAILED };
    counter.fetch_add(1, Ordering::Relaxed);
}

/// Renewals that succeeded and that failed since the process started.
pub fn counts() -> (u64, u64) {
    (
        SUCCEEDED.load(Ordering::Relaxed),
        FAILED.load(Ordering::Relaxed),
    )
}
