//! `dlg check FILE...`: parse only, report every syntax error.

use std::path::PathBuf;

use clap::Args;

use super::{stderr_color, EXIT_OK, EXIT_USAGE};
use crate::syntax::diagnostics::render_syntax_errors;

/// Arguments of `dlg check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The scripts to check.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// Checks every file; exit 0 when all parse, 2 otherwise.
pub fn check(args: CheckArgs) -> i32 {
    let color = stderr_color();
    let mut failed = false;
    for path in &args.files {
        let name = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) => {
                eprintln!("error: cannot read {name}: {err}");
                failed = true;
                continue;
            }
        };
        let parsed = crate::syntax::parse(&text);
        if !parsed.errors.is_empty() {
            eprint!(
                "{}",
                render_syntax_errors(&name, &text, &parsed.errors, color)
            );
            failed = true;
        }
    }
    if failed {
        EXIT_USAGE
    } else {
        EXIT_OK
    }
}
