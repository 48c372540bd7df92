//! `dlg fmt`: one canonical layout for Deluge source, close to what Zoho's editor writes.
//!
//! The formatter works on the token stream, not on the syntax tree: it keeps every token's text,
//! every comment, and the line breaks the author chose inside expressions; it decides the
//! indentation, the spaces between tokens on a line, and the breaks the layout requires (one
//! statement per line, Allman braces, task blocks over several lines). Because only whitespace
//! changes, the syntax tree stays the same; the output is re-lexed and compared token by token
//! before it is returned, so a formatter fault is an error, never a changed script.
//! The rules are written down in `docs/fmt.md`.

mod items;
mod layout;
mod roles;
mod spacing;

use std::fmt;

use crate::syntax::diagnostics::render_syntax_errors;
use crate::syntax::lexer::{lex, Lexed};
use crate::syntax::SyntaxError;

/// Why a source text was not formatted.
#[derive(Clone, Debug, PartialEq)]
pub enum FormatError {
    /// The text has syntax errors; it is left as it is.
    Syntax(Vec<SyntaxError>),
    /// The formatter would have changed the tokens (a bug); the text is left as it is.
    Internal(String),
}

impl FormatError {
    /// The errors rendered like `dlg check` renders them, for the file named `file`.
    pub fn render(&self, file: &str, source: &str, color: bool) -> String {
        match self {
            FormatError::Syntax(errors) => render_syntax_errors(file, source, errors, color),
            FormatError::Internal(message) => format!("{file}: {message}\n"),
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::Syntax(errors) => {
                let n = errors.len();
                let first = errors.first().map_or("", |e| e.message.as_str());
                write!(f, "{n} syntax error(s), not formatted: {first}")
            }
            FormatError::Internal(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for FormatError {}

/// Formats a whole source text. A text with syntax errors is refused with every error.
pub fn format_source(source: &str) -> Result<String, FormatError> {
    let errors = crate::syntax::parse(source).errors;
    if !errors.is_empty() {
        return Err(FormatError::Syntax(errors));
    }
    let lexed = lex(source);
    let formatted = layout::format_tokens(source, &lexed);
    verify_tokens(&lexed, &formatted)?;
    Ok(formatted)
}

/// Formats the whole statements overlapping lines `start_line..=end_line` (1-based) and returns
/// the whole text with only those lines changed. Used by editors' range formatting.
pub fn format_range(
    source: &str,
    start_line: usize,
    end_line: usize,
) -> Result<String, FormatError> {
    let formatted = format_source(source)?;
    Ok(layout::splice_range(
        source, &formatted, start_line, end_line,
    ))
}

/// Checks that `formatted` has exactly the tokens `lexed` of the source.
fn verify_tokens(lexed: &Lexed<'_>, formatted: &str) -> Result<(), FormatError> {
    let before = &lexed.tokens;
    let after = lex(formatted).tokens;
    let same =
        before.len() == after.len() && before.iter().zip(&after).all(|((a, _), (b, _))| a == b);
    if same {
        Ok(())
    } else {
        Err(FormatError::Internal(
            "the formatter would change the tokens of this file; it was left unchanged \
             (please report this file as a dlg fmt bug)"
                .into(),
        ))
    }
}
