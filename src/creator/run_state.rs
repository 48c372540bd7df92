//! The per-thread state of a Creator host: the current record (`input`) as script values, and
//! the records handed to scripts by fetches, so that `record.Field = value` can be persisted.
//!
//! Script values are reference-counted and stay on the thread that runs the script, so this
//! state lives in a thread-local table keyed by the host's identity; the host itself stays
//! `Send + Sync`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::eval::value::{Map, MapData, Value, WeakMap};

/// A record a fetch returned: which form and ID the map stands for.
struct Tracked {
    map: WeakMap,
    form: Rc<str>,
    id: i64,
}

/// One host's state on this thread.
#[derive(Default)]
pub struct RunState {
    /// The current record's fields (`None` until first used, then seeded from `--input`).
    input: Option<Map>,
    tracked: HashMap<usize, Tracked>,
    pruned_at: usize,
}

thread_local! {
    static STATES: RefCell<HashMap<u64, RunState>> = RefCell::new(HashMap::new());
}

/// Runs `f` on the state of host `host` on this thread.
pub fn with_state<R>(host: u64, f: impl FnOnce(&mut RunState) -> R) -> R {
    STATES.with(|states| f(states.borrow_mut().entry(host).or_default()))
}

/// Forgets host `host`'s state on this thread.
pub fn forget(host: u64) {
    let _ = STATES.try_with(|states| states.borrow_mut().remove(&host));
}

impl RunState {
    /// The current record, seeded from `seed` (a JSON object) on first use.
    pub fn input(&mut self, seed: &serde_json::Value) -> Map {
        self.input
            .get_or_insert_with(|| match Value::from_json(seed) {
                Value::Map(map) => map,
                _ => Map::from_data(MapData::default()),
            })
            .clone()
    }

    /// Remembers that `map` is record `id` of `form`.
    pub fn track(&mut self, map: &Map, form: &Rc<str>, id: i64) {
        if self.tracked.len() >= 1024 && self.tracked.len() >= 2 * self.pruned_at {
            self.tracked.retain(|_, t| t.map.is_alive());
            self.pruned_at = self.tracked.len();
        }
        self.tracked.insert(
            map.identity(),
            Tracked {
                map: map.downgrade(),
                form: Rc::clone(form),
                id,
            },
        );
    }

    /// The form and ID of a fetched record (`None` for any other map). The weak reference keeps
    /// the address from being reused, so the identity is exact.
    pub fn record_of(&self, map: &Map) -> Option<(Rc<str>, i64)> {
        let tracked = self.tracked.get(&(map.identity()))?;
        tracked
            .map
            .upgrade()
            .filter(|live| live.same(map))
            .map(|_| (Rc::clone(&tracked.form), tracked.id))
    }
}
