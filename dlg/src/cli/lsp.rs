//! `dlg lsp`: starts the language server on standard input and output.

use clap::Args;

use super::{EXIT_OK, EXIT_RUNTIME};

/// Arguments of `dlg lsp`.
#[derive(Args, Debug, Default)]
pub struct LspArgs {
    /// Accepted for editors that pass it (VS Code's client does); the server always uses stdio.
    #[arg(long)]
    pub stdio: bool,
}

/// Runs the server until the editor shuts it down; exit 1 when the protocol fails.
pub fn run(args: LspArgs) -> i32 {
    let _ = args.stdio;
    match crate::lsp::run_stdio() {
        Ok(()) => EXIT_OK,
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_RUNTIME
        }
    }
}
