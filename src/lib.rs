//! deluge-lang: a runtime for the Deluge scripting language.
//!
//! The [`Engine`] compiles Deluge source to a [`Script`] and runs it; `info` output goes to an
//! [`Output`], Creator/CRM constructs to a [`Host`].

pub mod cli;
pub mod connections;
pub mod eval;
pub mod http;
pub mod repl;
pub mod stdlib;
pub mod syntax;

pub use eval::engine::{with_large_stack, Engine};
pub use eval::env::RunEnv;
pub use eval::error::{Error, ErrorPhase};
pub use eval::host::{Host, NoHost};
pub use eval::ir::Script;
pub use eval::limits::Limits;
pub use eval::output::{CaptureOutput, Output, StdoutOutput};
pub use eval::value::{Value, ValueType};
