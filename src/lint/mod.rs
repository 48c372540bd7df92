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
    other_checks(source, program, context, &mut lints);
    in_order_and_not_silenced(source, lints)
}

/// The same lints as [`lint_program`], in the same order, with the checks of a large source
/// (some 3,000 lines or more) split over two threads when `threads` allows: the variable checks
/// on one, the others on this one (`dlg check` uses this for a large file).
pub fn lint_program_on_threads(
    source: &str,
    program: &Program,
    context: &LintContext,
    threads: usize,
) -> Vec<Lint> {
    if threads < 2 || source.len() < MIN_SOURCE_BYTES_FOR_THREADS {
        return lint_program(source, program, context);
    }
    let lints = std::thread::scope(|scope| {
        let variables = std::thread::Builder::new()
            .name("dlg-lint".into())
            .stack_size(LINT_STACK_BYTES)
            .spawn_scoped(scope, || {
                let mut lints = Vec::new();
                variables::check(program, &mut lints);
                lints
            });
        let mut lints = Vec::new();
        other_checks(source, program, context, &mut lints);
        match variables.map(|thread| thread.join()) {
            Ok(Ok(found)) => lints.extend(found),
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(_) => variables::check(program, &mut lints),
        }
        lints
    });
    in_order_and_not_silenced(source, lints)
}

/// The smallest source worth a second thread: about 3,000 lines.
const MIN_SOURCE_BYTES_FOR_THREADS: usize = 64 * 1024;

/// Stack for a lint thread: the walks recurse once per nesting level, as on the main thread.
const LINT_STACK_BYTES: usize = 8 * 1024 * 1024;

/// Every check but the variable ones.
fn other_checks(source: &str, program: &Program, context: &LintContext, lints: &mut Vec<Lint>) {
    flow::check(program, lints);
    conditions::check(source, program, lints);
    calls::check(program, context, lints);
    keys::check(program, context, lints);
}

/// `lints` without those a `// dlg-allow:` comment silences, in source order (by start, then
/// name; the sort is stable, so one check's findings at one place keep their order).
fn in_order_and_not_silenced(source: &str, mut lints: Vec<Lint>) -> Vec<Lint> {
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
