//! The built-in functions and methods, one file per value type.
//!
//! Each file exports a `BUILTINS: &[Builtin]` table; [`TABLES`] lists them all and
//! [`builtins_named`] finds the entries for a name, case-insensitively.

pub mod http_functions;
pub mod registry;

use std::collections::HashMap;
use std::sync::OnceLock;

use registry::Builtin;

/// Every table of built-ins. Add a file's `BUILTINS` here to register it.
static TABLES: &[&[Builtin]] = &[http_functions::BUILTINS];

/// Every built-in, in table order.
pub fn all_builtins() -> impl Iterator<Item = &'static Builtin> {
    TABLES.iter().flat_map(|table| table.iter())
}

/// The built-ins spelled `name` (any case), for every receiver type; empty when unknown.
pub fn builtins_named(name: &str) -> &'static [&'static Builtin] {
    static INDEX: OnceLock<HashMap<String, Vec<&'static Builtin>>> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut index: HashMap<String, Vec<&'static Builtin>> = HashMap::new();
        for builtin in all_builtins() {
            index
                .entry(builtin.name.to_ascii_lowercase())
                .or_default()
                .push(builtin);
        }
        index
    });
    index
        .get(&name.to_ascii_lowercase())
        .map_or(&[], |entries| entries.as_slice())
}
