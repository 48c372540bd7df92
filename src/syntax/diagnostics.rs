//! Human-readable error reports (ariadne) for syntax and runtime errors.
//!
//! Every report names the file, line and column, shows the source line with the span underlined,
//! and carries a hint as a note when we know how to fix the problem. Spans are byte offsets
//! (`IndexType::Byte`); out-of-range or mid-character spans are clamped, so rendering never panics.

use std::ops::Range;

use ariadne::{Color, Config, IndexType, Label, Report, ReportKind, Source};

use super::span::Span;
use super::SyntaxError;

/// One error to show to a user: where it is, what went wrong, and how to fix it.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic<'a> {
    /// The file name shown in the report header (`script.dg`, `<repl>`).
    pub file: &'a str,
    /// The whole source text the span points into.
    pub src: &'a str,
    /// The offending range (byte offsets into `src`).
    pub span: Span,
    /// The headline: `Unexpected token found '?'`, `Division by zero`.
    pub message: String,
    /// The text attached to the underlined span.
    pub label: String,
    /// How to fix it, when known; printed as a note.
    pub hint: Option<String>,
    /// More notes printed after the hint (a runtime error's call chain).
    pub notes: Vec<String>,
}

/// Renders one diagnostic as an ariadne report (with ANSI colours when `color` is set).
pub fn render(d: &Diagnostic, color: bool) -> String {
    let source = Source::from(d.src);
    render_with_source(d, &source, color)
}

/// Renders diagnostics of one source text as warnings (lints): like [`render`], in yellow. The
/// source is indexed once for all of them.
pub fn render_warnings(diagnostics: &[Diagnostic], color: bool) -> String {
    let Some(first) = diagnostics.first() else {
        return String::new();
    };
    render_warnings_indexed(&SourceIndex::new(first.src), diagnostics, color)
}

/// The line index of a source text, which reports need: building it walks the whole text (some
/// 650 instructions a line), so a caller with a spare core can build it while it parses and
/// lints, as `dlg check` does for a large file.
pub struct SourceIndex<'a>(Source<&'a str>);

impl<'a> SourceIndex<'a> {
    /// Indexes the lines of `src`.
    pub fn new(src: &'a str) -> Self {
        Self(Source::from(src))
    }

    /// Whether this is the index of `src` itself (the same text in memory).
    fn indexes(&self, src: &str) -> bool {
        std::ptr::eq(self.0.text(), src)
    }
}

impl std::fmt::Debug for SourceIndex<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceIndex")
            .field("lines", &self.0.lines().len())
            .finish()
    }
}

/// Renders like [`render_warnings`], against `index`, the index of the diagnostics' source (an
/// index of any other text is not used: the source is indexed again).
pub fn render_warnings_indexed(
    index: &SourceIndex<'_>,
    diagnostics: &[Diagnostic],
    color: bool,
) -> String {
    let Some(first) = diagnostics.first() else {
        return String::new();
    };
    if !index.indexes(first.src) {
        return render_warnings_indexed(&SourceIndex::new(first.src), diagnostics, color);
    }
    diagnostics
        .iter()
        .map(|d| render_kind(d, &index.0, color, ReportKind::Warning))
        .collect()
}

/// Renders every syntax error of one file, in order, as consecutive reports.
pub fn render_syntax_errors(file: &str, src: &str, errors: &[SyntaxError], color: bool) -> String {
    let source = Source::from(src);
    let mut out = String::new();
    for error in errors {
        let diagnostic = Diagnostic {
            file,
            src,
            span: error.span,
            message: error.message.clone(),
            label: syntax_label(error),
            hint: error.hint.clone(),
            notes: Vec::new(),
        };
        out.push_str(&render_with_source(&diagnostic, &source, color));
    }
    out
}

/// The label under a syntax error's span: what was found and what was expected instead.
fn syntax_label(error: &SyntaxError) -> String {
    let found = error.found.as_deref().unwrap_or("end of input");
    match error.expected.as_slice() {
        [] if error.found.is_none() => "here".to_owned(),
        [] => format!("found {found}"),
        [only] => format!("expected {only}, found {found}"),
        many => format!("expected one of {}, found {found}", many.join(", ")),
    }
}

/// Renders `d` against an already indexed source (indexing is linear in the source size).
fn render_with_source(d: &Diagnostic, source: &Source<&str>, color: bool) -> String {
    render_kind(d, source, color, ReportKind::Error)
}

/// Renders `d` as an error or a warning.
fn render_kind(d: &Diagnostic, source: &Source<&str>, color: bool, kind: ReportKind<'_>) -> String {
    let warning = matches!(kind, ReportKind::Warning);
    let range = clamp_span(d.src, d.span);
    let config = Config::default()
        .with_color(color)
        .with_index_type(IndexType::Byte);
    let mut label = Label::new((d.file, range.clone())).with_message(&d.label);
    if color {
        label = label.with_color(if warning { Color::Yellow } else { Color::Red });
    }
    let mut builder = Report::build(kind, (d.file, range))
        .with_config(config)
        .with_message(&d.message)
        .with_label(label);
    if let Some(hint) = &d.hint {
        builder = builder.with_note(hint);
    }
    for note in &d.notes {
        builder = builder.with_note(note);
    }
    let mut buffer = Vec::new();
    let written = builder.finish().write((d.file, source), &mut buffer);
    match written {
        Ok(()) => String::from_utf8_lossy(&buffer).into_owned(),
        Err(_) => fallback_render(d),
    }
}

/// A plain `file:line:col: message` line, used only if ariadne cannot write the report.
fn fallback_render(d: &Diagnostic) -> String {
    let at = super::span::line_col(d.src, d.span.start);
    let mut out = format!("{}:{}:{}: error: {}\n", d.file, at.line, at.col, d.message);
    for note in d.hint.iter().chain(&d.notes) {
        out.push_str(&format!("  note: {note}\n"));
    }
    out
}

/// The span as a byte range inside `src`, with both ends moved back onto character boundaries.
fn clamp_span(src: &str, span: Span) -> Range<usize> {
    let start = floor_char_boundary(src, span.start as usize);
    let end = floor_char_boundary(src, (span.end as usize).max(start));
    start..end
}

/// The largest character boundary of `src` that is `<= index`.
fn floor_char_boundary(src: &str, index: usize) -> usize {
    let mut i = index.min(src.len());
    while !src.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag<'a>(src: &'a str, span: Span, hint: Option<&str>) -> Diagnostic<'a> {
        Diagnostic {
            file: "script.dg",
            src,
            span,
            message: "Unexpected token found '?'".into(),
            label: "here".into(),
            hint: hint.map(str::to_owned),
            notes: Vec::new(),
        }
    }

    #[test]
    fn report_names_file_line_and_column_and_shows_the_line() {
        let src = "a = 1;\nb = a ? 1 : 2;\n";
        let out = render(
            &diag(src, Span::new(13, 14), Some("use if(c, a, b)")),
            false,
        );
        assert!(out.contains("script.dg:2:7"), "{out}");
        assert!(out.contains("b = a ? 1 : 2;"), "{out}");
        assert!(out.contains("Unexpected token found '?'"), "{out}");
        assert!(out.contains("use if(c, a, b)"), "{out}");
        assert!(out.contains("here"), "{out}");
    }

    #[test]
    fn color_off_has_no_escape_codes_and_color_on_has_them() {
        let src = "x = ;";
        assert!(!render(&diag(src, Span::new(4, 5), None), false).contains('\x1b'));
        assert!(render(&diag(src, Span::new(4, 5), None), true).contains('\x1b'));
    }

    #[test]
    fn odd_spans_never_panic() {
        let src = "é = \"ü\";";
        for (start, end) in [(0, 1), (1, 2), (3, 100), (100, 200), (5, 2), (0, 0)] {
            let out = render(&diag(src, Span::new(start, end), None), false);
            assert!(out.contains("script.dg"), "{out}");
        }
        assert!(render(&diag("", Span::new(0, 0), None), false).contains("script.dg"));
    }

    #[test]
    fn syntax_errors_render_in_order_with_found_and_expected() {
        let src = "a = 1\nb = ;\n";
        let errors = vec![
            SyntaxError {
                span: Span::new(5, 6),
                message: "first".into(),
                expected: vec!["';'".into()],
                found: Some("'b'".into()),
                hint: None,
            },
            SyntaxError {
                span: Span::new(10, 11),
                message: "second".into(),
                expected: vec!["an expression".into(), "'('".into()],
                found: None,
                hint: Some("a hint".into()),
            },
        ];
        let out = render_syntax_errors("f.dg", src, &errors, false);
        let first = out.find("first").unwrap();
        let second = out.find("second").unwrap();
        assert!(first < second);
        assert!(out.contains("expected ';', found 'b'"), "{out}");
        assert!(out.contains("expected one of an expression, '(', found end of input"));
        assert!(out.contains("a hint"));
    }

    #[test]
    fn warnings_rendered_against_a_prebuilt_index_are_the_same_and_a_foreign_index_is_not_used() {
        let src = "a = 1;\nb = a ? 1 : 2;\nc = 3;\n";
        let warnings = [
            diag(src, Span::new(13, 14), Some("use if(c, a, b)")),
            diag(src, Span::new(22, 23), None),
        ];
        let expected = render_warnings(&warnings, false);
        assert!(expected.contains("script.dg:3:1"), "{expected}");
        assert_eq!(render_warnings_indexed(&SourceIndex::new(src), &warnings, false), expected);
        let copy = src.to_owned();
        let foreign = "x\n";
        for index in [SourceIndex::new(&copy), SourceIndex::new(foreign)] {
            assert_eq!(render_warnings_indexed(&index, &warnings, false), expected);
        }
        assert_eq!(format!("{:?}", SourceIndex::new(src)), "SourceIndex { lines: 3 }");
    }
}
