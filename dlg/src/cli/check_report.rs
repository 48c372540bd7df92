//! The report of `dlg check`: every file's errors, a line per file with a problem, and a total;
//! or the same as JSON.

use serde_json::{json, Value as Json};

use super::check::{FileReport, Outcome};
use deluge_lang::lint::Lint;
use deluge_lang::syntax::diagnostics::{
    render_syntax_errors, render_warnings, render_warnings_indexed, Diagnostic, SourceIndex,
};
use deluge_lang::syntax::span::line_col;
use deluge_lang::syntax::SyntaxError;

/// Counts over all checked files.
#[derive(Debug, Default)]
struct Totals {
    files: usize,
    ok: usize,
    warnings: usize,
    with_errors: usize,
    errors: usize,
    not_deluge: usize,
    unreadable: usize,
}

impl Totals {
    fn of(reports: &[FileReport]) -> Totals {
        let mut totals = Totals {
            files: reports.len(),
            ..Totals::default()
        };
        for report in reports {
            match &report.outcome {
                Outcome::Ok(lints) => {
                    totals.ok += 1;
                    totals.warnings += lints.len();
                }
                Outcome::Errors(errors) => {
                    totals.with_errors += 1;
                    totals.errors += errors.len();
                }
                Outcome::NotDeluge(_) => totals.not_deluge += 1,
                Outcome::Unreadable(_) => totals.unreadable += 1,
            }
        }
        totals
    }

    /// `checked 4 files: 2 ok, 1 with errors (3 syntax errors), 1 not Deluge`
    fn line(&self) -> String {
        let mut parts = vec![format!("{} ok", self.ok)];
        if self.warnings > 0 {
            parts.push(plural(self.warnings, "warning"));
        }
        if self.with_errors > 0 {
            parts.push(format!(
                "{} with errors ({})",
                self.with_errors,
                plural(self.errors, "syntax error")
            ));
        }
        if self.not_deluge > 0 {
            parts.push(format!("{} not Deluge", self.not_deluge));
        }
        if self.unreadable > 0 {
            parts.push(format!("{} unreadable", self.unreadable));
        }
        format!(
            "checked {}: {}",
            plural(self.files, "file"),
            parts.join(", ")
        )
    }
}

/// Prints the text report on standard error: the rendered errors of each file, then one line
/// for each file with a problem, then the total.
pub fn print_text(reports: &[FileReport]) {
    for report in reports {
        eprint!("{}", report.rendered);
    }
    for report in reports {
        match &report.outcome {
            Outcome::Ok(lints) if lints.is_empty() => {}
            Outcome::Ok(lints) => {
                eprintln!("{}: {}", report.name, plural(lints.len(), "warning"));
            }
            Outcome::Errors(errors) => {
                eprintln!("{}: {}", report.name, plural(errors.len(), "syntax error"));
            }
            Outcome::NotDeluge(reason) => eprintln!("{}: skipped, {reason}", report.name),
            Outcome::Unreadable(reason) => eprintln!("{}: {reason}", report.name),
        }
    }
    eprintln!("{}", Totals::of(reports).line());
}

/// The rendered syntax errors or warnings of one file (named `file`, read as `text`), against
/// `index` when one was built for `text`.
pub fn render_report(
    file: &str,
    text: &str,
    outcome: &Outcome,
    index: Option<&SourceIndex<'_>>,
    color: bool,
) -> String {
    match outcome {
        Outcome::Errors(errors) => render_syntax_errors(file, text, errors, color),
        Outcome::Ok(lints) => render_lints(file, text, lints, index, color),
        Outcome::NotDeluge(_) | Outcome::Unreadable(_) => String::new(),
    }
}

/// Renders the lints of one file as ariadne warnings, each labelled with its name.
fn render_lints(
    file: &str,
    text: &str,
    lints: &[Lint],
    index: Option<&SourceIndex<'_>>,
    color: bool,
) -> String {
    let diagnostics: Vec<Diagnostic> = lints
        .iter()
        .map(|lint| Diagnostic {
            file,
            src: text,
            span: lint.span.clone().into(),
            message: lint.message.clone(),
            label: format!("{} (silence with `// dlg-allow: {}`)", lint.name, lint.name),
            hint: lint.help.clone(),
            notes: Vec::new(),
        })
        .collect();
    match index {
        Some(index) => render_warnings_indexed(index, &diagnostics, color),
        None => render_warnings(&diagnostics, color),
    }
}

/// Prints the JSON report on standard output.
pub fn print_json(reports: &[FileReport]) {
    let totals = Totals::of(reports);
    let files: Vec<Json> = reports.iter().map(file_json).collect();
    let report = json!({
        "files": files,
        "summary": {
            "files": totals.files,
            "ok": totals.ok,
            "warnings": totals.warnings,
            "with_errors": totals.with_errors,
            "errors": totals.errors,
            "not_deluge": totals.not_deluge,
            "unreadable": totals.unreadable,
        },
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&report).unwrap_or_default()
    );
}

fn file_json(report: &FileReport) -> Json {
    match &report.outcome {
        Outcome::Ok(lints) => json!({
            "path": report.name,
            "status": "ok",
            "errors": [],
            "warnings": lints_json(&report.text, lints),
        }),
        Outcome::Errors(errors) => json!({
            "path": report.name,
            "status": "errors",
            "errors": errors.iter().map(|e| error_json(&report.text, e)).collect::<Vec<_>>(),
        }),
        Outcome::NotDeluge(reason) => json!({
            "path": report.name, "status": "not_deluge", "reason": reason, "errors": [],
        }),
        Outcome::Unreadable(reason) => json!({
            "path": report.name, "status": "unreadable", "reason": reason, "errors": [],
        }),
    }
}

fn error_json(text: &str, error: &SyntaxError) -> Json {
    let at = line_col(text, error.span.start);
    json!({
        "line": at.line,
        "column": at.col,
        "message": error.message,
        "expected": error.expected,
        "found": error.found,
        "hint": error.hint,
    })
}

/// The lints of one file as JSON; lines and columns from one index of the line starts (lints
/// come in source order, so one scan would do, but a file can hold thousands of them).
fn lints_json(text: &str, lints: &[Lint]) -> Vec<Json> {
    let mut line_starts = vec![0];
    line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    lints
        .iter()
        .map(|lint| {
            let line = line_starts.partition_point(|&s| s <= lint.span.start);
            let start = line_starts.get(line - 1).copied().unwrap_or(0);
            let column = text
                .get(start..lint.span.start)
                .map_or(1, |before| before.chars().count() + 1);
            json!({
                "line": line,
                "column": column,
                "lint": lint.name,
                "message": lint.message,
                "help": lint.help,
            })
        })
        .collect()
}

/// `1 file`, `2 files`.
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
