//! Lints: likely mistakes in scripts that parse, reported as warnings by `dlg check` and the
//! editor. Each lint has a kebab-case name and is silenced on a line by a comment
//! `// dlg-allow: NAME` on that line or the line above (see `docs/lints.md`).

mod allow;
mod calls;
mod flow;
mod keys;
mod conditions;
mod name;
mod variables;
mod walk;

use std::ops::Range;

use crate::syntax::ast::Program;

/// How serious a lint is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Probably a mistake; `dlg check --deny-warnings` fails on it.
    Warning,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lint {
    /// The lint's kebab-case name (`unused-variable`), as used in `// dlg-allow: NAME`.
    pub name: &'static str,
    /// What was found.
    pub message: String,
    /// Where, as byte offsets into the source.
    pub span: Range<usize>,
    /// How serious it is.
    pub severity: Severity,
    /// How to fix it, when known.
    pub help: Option<String>,
}

/// A user function's name and parameter count, for arity checks across files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// The name as declared, with its namespace (`automation.sync_invoice`, `format_name`).
    pub name: String,
    /// How many parameters it takes.
    pub params: usize,
}

/// What the lints know beyond the source text itself.
#[derive(Clone, Debug, Default)]
pub struct LintContext {
    /// The functions defined in the other sources of the workspace.
    pub functions: Vec<Signature>,
    /// The connection link names in the store; `None` when the store is not available (the
    /// `unknown-connection` lint is then skipped).
    pub connections: Option<Vec<String>>,
}

/// Every lint's name, in the order `docs/lints.md` lists them.
pub const LINT_NAMES: [&str; 10] = [
    "unused-variable",
    "unused-parameter",
    "assignment-never-read",
    "unreachable-code",
    "assign-as-comparison",
    "wrong-arg-count",
    "unknown-function",
    "unknown-method",
    "unknown-connection",
    "misspelt-key",
];

/// The signatures of the functions a parsed program defines.
pub fn signatures(program: &Program) -> Vec<Signature> {
    program
        .functions
        .iter()
        .map(|f| Signature {
            name: f
                .name
                .iter()
                .map(|i| i.name.as_ref())
                .collect::<Vec<_>>()
                .join("."),
            params: f.params.len(),
        })
        .collect()
}

/// Every lint of `source`, in source order; empty when the source has syntax errors (those are
/// reported instead).
pub fn lint_source(source: &str, context: &LintContext) -> Vec<Lint> {
    let parsed = crate::syntax::parse(source);
    if !parsed.errors.is_empty() {
        return Vec::new();
    }
    lint_program(source, &parsed.program, context)
}

/// Every lint of `program`, already parsed without errors from `source`, in source order.
/// Callers that hold the parse (the editor, `dlg check`) use this to avoid parsing again.
pub fn lint_program(source: &str, program: &Program, context: &LintContext) -> Vec<Lint> {
    let mut lints = Vec::new();
    variables::check(program, &mut lints);
    flow::check(program, &mut lints);
    conditions::check(source, program, &mut lints);
    calls::check(program, context, &mut lints);
    keys::check(program, context, &mut lints);
    let allowed = allow::Allowances::of(source);
    lints.retain(|lint| !allowed.silences(lint));
    lints.sort_by_key(|lint| (lint.span.start, lint.name));
    lints
}

/// A warning with its parts.
fn warning(
    name: &'static str,
    span: crate::syntax::span::Span,
    message: String,
    help: Option<String>,
) -> Lint {
    Lint {
        name,
        message,
        span: span.range(),
        severity: Severity::Warning,
        help,
    }
}
