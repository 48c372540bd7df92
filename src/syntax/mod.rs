//! Source text to syntax tree: tokens (logos), the parser (chumsky), spans and diagnostics.

pub mod ast;
pub mod span;
