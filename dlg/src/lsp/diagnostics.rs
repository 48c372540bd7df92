//! The diagnostics of a document: every syntax error (the parser recovers and reports them all)
//! and the lints.

use lsp_types::{Diagnostic, DiagnosticSeverity, NumberOrString};

use super::lints::lints;
use super::workspace::{Document, Workspace};
use deluge_lang::syntax::SyntaxError;

/// Every diagnostic of `document`: syntax errors first, then the lints.
pub fn diagnostics(document: &Document, workspace: &Workspace) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = document
        .analysis
        .parse
        .errors
        .iter()
        .map(|error| syntax_diagnostic(document, error))
        .collect();
    let parse = &document.analysis.parse;
    if parse.errors.is_empty() {
        out.extend(lints(&document.text, &parse.program, workspace));
    }
    out
}

fn syntax_diagnostic(document: &Document, error: &SyntaxError) -> Diagnostic {
    let range = document.index.range(
        &document.text,
        error.span.start as usize,
        error.span.end as usize,
    );
    let mut message = error.message.clone();
    if let Some(hint) = &error.hint {
        message.push_str("\nhelp: ");
        message.push_str(hint);
    }
    Diagnostic {
        range,
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String("syntax".to_owned())),
        source: Some("dlg".to_owned()),
        message,
        ..Diagnostic::default()
    }
}
