//! Source text to syntax tree: tokens (logos), the parser (chumsky), spans and diagnostics.

pub mod ast;
mod descent;
pub mod diagnostics;
pub mod lexer;
mod parser;
pub mod span;
mod split;
pub mod token;

use span::Span;

/// The result of parsing one source text: the recovered program and every syntax error found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParseOutput {
    /// Everything that could be parsed; statements with errors are left out.
    pub program: ast::Program,
    /// Every independent syntax error, in source order.
    pub errors: Vec<SyntaxError>,
}

/// One syntax error: where, what went wrong, what was expected and found, and how to fix it.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    /// The offending range.
    pub span: Span,
    /// The headline, e.g. `Unexpected token found '?'`.
    pub message: String,
    /// What would have been accepted here (`';'`, `an expression`, ...).
    pub expected: Vec<String>,
    /// What was found instead, `None` at the end of input.
    pub found: Option<String>,
    /// How to fix it, when known.
    pub hint: Option<String>,
}

/// The largest source text accepted: spans are 32-bit byte offsets.
pub const MAX_SOURCE_LEN: usize = u32::MAX as usize;

/// Parses a Deluge source text. Never panics; every syntax error is reported in `errors`.
pub fn parse(src: &str) -> ParseOutput {
    parse_with(src, lexer::lex, descent::parse)
}

/// Parses like [`parse`], with the same result, reading a large script without syntax errors
/// on up to `threads` threads: its top-level function definitions are cut into parts of at
/// least some 3,000 lines, read at once (`dlg check` uses this for a large file). A smaller
/// script, or one with a syntax error, is read on this thread alone.
pub fn parse_on_threads(src: &str, threads: usize) -> ParseOutput {
    parse_with(
        src,
        |src| split::lex_on_threads(src, threads),
        |tokens| split::parse_on_threads(tokens, threads),
    )
}

/// Lexes `src` with `lex`, checks its nesting, reads it with `fast` (the recursive-descent
/// parser, whole or in parts), and when that gives up, with the chumsky grammar, which reports
/// the errors.
fn parse_with<'s>(
    src: &'s str,
    lex: impl FnOnce(&'s str) -> lexer::Lexed<'s>,
    fast: impl FnOnce(&[(token::Token<'s>, chumsky::span::SimpleSpan)]) -> Option<ast::Program>,
) -> ParseOutput {
    if src.len() > MAX_SOURCE_LEN {
        return single_error(
            Span::new(0, 0),
            "Source too large (more than 4 GiB)",
            "split the script into smaller files",
        );
    }
    let lexed = lex(src);
    if let Some(problem) = lexer::check_structure(&lexed.tokens) {
        return single_error(
            problem.span,
            &problem.message,
            "split deeply nested or very long expressions into several statements",
        );
    }
    if let Some(program) = fast(&lexed.tokens) {
        return ParseOutput {
            program,
            errors: Vec::new(),
        };
    }
    let (program, errors) = parser::parse_tokens(src.len(), &lexed);
    let errors = parser::convert(src, &lexed, errors);
    ParseOutput { program, errors }
}

/// Where the recursive-descent parser and the chumsky grammar disagree on `src`, if they do:
/// on a source the descent parser accepts, the grammar must find no error and build the same
/// tree; and the source lexed in two halves, and read by the descent parser cut at every
/// top-level function definition (as [`parse_on_threads`] does), must give what it gives whole. For the fuzz targets and tests (the descent parser is checked against the grammar,
/// which stays the reference); not part of the API.
#[doc(hidden)]
pub fn parser_disagreement(src: &str) -> Option<String> {
    let lexed = lexer::lex(src);
    if src.len() > MAX_SOURCE_LEN || lexer::check_structure(&lexed.tokens).is_some() {
        return None;
    }
    if !split::lexes_the_same_in_two(src, &lexed) {
        return Some("lexed in two halves, the source gives other tokens than whole".into());
    }
    let whole = descent::parse(&lexed.tokens);
    if split::parse_in_parts(&lexed.tokens, usize::MAX) != whole {
        return Some(format!(
            "read cut at its top-level functions, the source gives another result than whole \
             (whole: {})",
            if whole.is_some() { "a tree" } else { "given up" }
        ));
    }
    let fast = whole?;
    let (program, errors) = parser::parse_tokens(src.len(), &lexed);
    if !errors.is_empty() {
        return Some(format!(
            "the descent parser accepted a source the grammar rejects: {errors:?}"
        ));
    }
    (fast != program).then(|| format!("the trees differ:\n{fast:#?}\n{program:#?}"))
}

fn single_error(span: Span, message: &str, hint: &str) -> ParseOutput {
    ParseOutput {
        program: ast::Program::default(),
        errors: vec![SyntaxError {
            span,
            message: message.to_owned(),
            expected: Vec::new(),
            found: None,
            hint: Some(hint.to_owned()),
        }],
    }
}
