//! The DATE-TIME built-ins table.

use crate::stdlib::registry::Builtin;

/// DATE-TIME methods and functions.
pub static BUILTINS: &[Builtin] = &[];
