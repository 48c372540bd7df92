//! Statement coverage: which statements runs executed, for `dlg test --coverage`.
//!
//! The hook costs nothing when off: the interpreter already counts statements and checks
//! limits only when the count reaches its next checkpoint; with coverage on, every statement is
//! a checkpoint and the cold path records where it is. Each run collects its hits locally and
//! adds them to the shared [`Coverage`] when it ends.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use crate::eval::ir::Source;

/// One run's hits: (source index, statement offset), with a fast hasher (one insert per
/// statement while coverage is on).
pub(crate) type CoverageHits = HashSet<(u32, u32), foldhash::fast::RandomState>;

/// The statements executed so far, by file name and the statement's byte offset.
#[derive(Debug, Default)]
pub struct Coverage {
    hits: Mutex<HashMap<Arc<str>, BTreeSet<u32>>>,
}

impl Coverage {
    /// An empty record.
    pub fn new() -> Coverage {
        Coverage::default()
    }

    /// The byte offsets of the statements executed in `file` (empty when none ran).
    pub fn hits(&self, file: &str) -> BTreeSet<u32> {
        self.hits
            .lock()
            .map(|hits| hits.get(file).cloned().unwrap_or_default())
            .unwrap_or_default()
    }

    /// Adds one run's hits: (source index, statement offset) pairs of `sources`.
    pub(crate) fn merge(&self, sources: &[Source], run: &CoverageHits) {
        let Ok(mut hits) = self.hits.lock() else {
            return;
        };
        for &(source, offset) in run {
            if let Some(source) = sources.get(source as usize) {
                hits.entry(source.name.clone()).or_default().insert(offset);
            }
        }
    }
}
