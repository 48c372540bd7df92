//! The lints shown as editor warnings: the plug-in point for `crate::lint`.

use lsp_types::Diagnostic;

use super::workspace::Workspace;

/// The lint warnings of `source` as LSP diagnostics.
///
/// This adapts `crate::lint::lint_source(source, &LintContext) -> Vec<Lint>` (each `Lint` has
/// a `name` (the diagnostic code), a `message`, a `span: Range<usize>` of byte offsets (turned
/// into a range with the document's line index), a `severity` and a `help` (appended to the
/// message)); the `LintContext` is built from `workspace` (its functions and the connection
/// names of the store). Until the lint module is merged in, there are no lints to show.
pub fn lints(source: &str, workspace: &Workspace) -> Vec<Diagnostic> {
    let _ = (source, workspace);
    Vec::new()
}
