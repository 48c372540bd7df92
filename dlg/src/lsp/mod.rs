//! `dlg lsp`: the Deluge language server, over standard input and output.
//!
//! Built on `lsp-server` and `lsp-types` (the crates rust-analyzer uses). The server keeps a
//! [`workspace::Workspace`] of the folder's Deluge sources and the open documents, analyses a
//! document on every change ([`analysis`]) and answers from that analysis: diagnostics (every
//! syntax error plus the lints of [`lints`]), hover, completion, signature help, definition,
//! references, rename, symbols, folding, formatting (through [`formatting`]) and semantic
//! tokens. One file per feature.

pub mod analysis;
pub mod catalog;
pub mod comments;
pub mod completion;
pub mod diagnostics;
pub mod folding;
pub mod formatting;
pub mod hover;
pub mod line_index;
pub mod lints;
pub mod navigation;
pub mod semantic;
mod server;
pub mod signature;
pub mod symbols;
pub mod types;
pub mod workspace;

pub use server::{capabilities, run_stdio};
