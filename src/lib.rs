//! deluge-lang: a runtime for the Deluge scripting language.

pub mod connections;
pub mod eval;
pub mod http;
pub mod stdlib;
pub mod syntax;
