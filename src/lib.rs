//! deluge-lang: a runtime for the Deluge scripting language.

pub mod eval;
pub mod http;
pub mod repl;
pub mod stdlib;
pub mod syntax;
