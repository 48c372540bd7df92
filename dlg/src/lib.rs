//! The `dlg` command's front ends over the `deluge_lang` library: `cli` parses the command line
//! and runs each command, `repl` is the interactive session, `serve` runs functions over HTTP,
//! `ui` is the Connections page and `lsp` the language server. A library so that the command's
//! tests can drive them in-process; not a stable API.

#![forbid(unsafe_code)]

pub mod cli;
pub mod lsp;
pub mod repl;
pub mod serve;
pub mod ui;
