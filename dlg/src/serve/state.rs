//! What the handlers share: the current catalog, the engine, the keys, the pool and metrics.

use std::sync::{Arc, RwLock};

use deluge_lang::api::engine::Engine;

use super::catalog::Catalog;
use super::config::Config;
use super::keys::KeyFile;
use super::metrics::Metrics;
use super::pool::Pool;

/// The server's shared state.
pub struct State {
    catalog: RwLock<Arc<Catalog>>,
    /// The engine calls run on (cloned per call for its `info` capture).
    pub engine: Engine,
    /// The API keys; `None` with `--public`.
    pub keys: Option<KeyFile>,
    /// The blocking threads and the bounded queue.
    pub pool: Pool,
    /// Counters for `/metrics`.
    pub metrics: Metrics,
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
}

impl State {
    /// The state serving `catalog` with `engine`, as `config` says.
    pub fn new(config: &Config, engine: Engine, catalog: Catalog, keys: Option<KeyFile>) -> State {
        State {
            catalog: RwLock::new(Arc::new(catalog)),
            engine,
            keys,
            pool: Pool::new(config.workers, config.max_queue),
            metrics: Metrics::default(),
            max_body_bytes: config.max_body_bytes,
        }
    }

    /// The catalog calls use now.
    pub fn catalog(&self) -> Arc<Catalog> {
        match self.catalog.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Replaces the catalog (calls already running keep the one they started with).
    pub fn replace_catalog(&self, catalog: Catalog) {
        let new = Arc::new(catalog);
        match self.catalog.write() {
            Ok(mut guard) => *guard = new,
            Err(poisoned) => *poisoned.into_inner() = new,
        }
    }
}
