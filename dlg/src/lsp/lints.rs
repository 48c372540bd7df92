//! The lints shown as editor warnings: `deluge_lang::lint` over the document, with the workspace's
//! functions and the store's connection names as context.

use lsp_types::{Diagnostic, DiagnosticSeverity, NumberOrString};

use super::line_index::LineIndex;
use super::workspace::Workspace;
use deluge_lang::lint::{lint_program, Lint, LintContext, Severity, Signature};
use deluge_lang::syntax::ast::Program;

/// The lint warnings of `source`, parsed without errors as `program`, as LSP diagnostics.
pub fn lints(source: &str, program: &Program, workspace: &Workspace) -> Vec<Diagnostic> {
    let context = LintContext {
        functions: workspace_signatures(workspace),
        connections: Some(workspace.connection_names()),
    };
    let index = LineIndex::new(source);
    lint_program(source, program, &context)
        .into_iter()
        .map(|lint| diagnostic(source, &index, lint))
        .collect()
}

fn workspace_signatures(workspace: &Workspace) -> Vec<Signature> {
    workspace
        .functions()
        .map(|found| Signature {
            name: found.function.name.clone(),
            params: found.function.params.len(),
        })
        .collect()
}

fn diagnostic(source: &str, index: &LineIndex, lint: Lint) -> Diagnostic {
    let mut message = lint.message;
    if let Some(help) = lint.help {
        message.push_str("\nhelp: ");
        message.push_str(&help);
    }
    Diagnostic {
        range: index.range(source, lint.span.start, lint.span.end),
        severity: Some(match lint.severity {
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(lint.name.to_owned())),
        source: Some("dlg".to_owned()),
        message,
        ..Diagnostic::default()
    }
}
