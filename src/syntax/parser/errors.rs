//! Turning parser errors into [`SyntaxError`]s with Zoho-style messages and fix hints.

use super::parse_error::Expected;
use super::{GrammarProblem, Label, ParseError};
use crate::syntax::lexer::{lex_error, Lexed};
use crate::syntax::span::{line_col, Span};
use crate::syntax::token::{LexError, Token, KIND_COUNT, KIND_DESCRIPTIONS};
use crate::syntax::SyntaxError;

/// Converts every parser error, in source order, dropping exact duplicates.
pub fn convert(src: &str, lexed: &Lexed<'_>, errors: Vec<ParseError<'_>>) -> Vec<SyntaxError> {
    let mut out: Vec<SyntaxError> = errors
        .into_iter()
        .map(|e| convert_one(src, lexed, e))
        .collect();
    out.sort_by_key(|e| (e.span.start, e.span.end));
    out.dedup_by(|a, b| a.span == b.span && a.message == b.message);
    out
}

fn convert_one(src: &str, lexed: &Lexed<'_>, error: ParseError<'_>) -> SyntaxError {
    let span = Span::new(error.span.start, error.span.end);
    match &error.problem {
        Some(problem) => custom(src, problem, span, lexed),
        None => {
            let expected = simplify_expected(describe_expected(&error.expected));
            expected_found(src, lexed, span, expected, error.found)
        }
    }
}

fn custom(src: &str, problem: &GrammarProblem, span: Span, lexed: &Lexed<'_>) -> SyntaxError {
    let mut found = None;
    let (message, expected, hint) = match problem {
        GrammarProblem::MissingSemicolon => (
            format!("Expecting ';' but found {}", {
                let next = found_after(lexed, span);
                found = Some(next.clone());
                next
            }),
            vec!["';'".to_owned()],
            Some("end each statement with ';'".to_owned()),
        ),
        GrammarProblem::NumberTooBig => (
            "Number too big: integers are 64-bit (at most 9223372036854775807)".to_owned(),
            vec![],
            Some("use a decimal (add '.0') or keep the value as text (in quotes)".to_owned()),
        ),
        GrammarProblem::StrayBrace => (
            "Unexpected token found '}'".to_owned(),
            vec![],
            Some("this '}' closes no block; remove it or add the missing '{'".to_owned()),
        ),
        GrammarProblem::UnclosedBlock => (
            "Expecting '}' but found '<EOF>'".to_owned(),
            vec!["'}'".to_owned()],
            unclosed_brace_hint(src, lexed),
        ),
        GrammarProblem::Message { message, hint } => (message.clone(), vec![], hint.clone()),
    };
    SyntaxError {
        span,
        message,
        expected,
        found,
        hint,
    }
}

/// The description of the token that starts at or after `span`.
fn found_after(lexed: &Lexed<'_>, span: Span) -> String {
    let next = lexed
        .tokens
        .iter()
        .find(|(_, s)| s.start >= span.end as usize);
    next.map_or_else(|| "'<EOF>'".to_owned(), |(t, _)| t.describe())
}

fn describe_expected(expected: &Expected) -> Vec<String> {
    let mut out: Vec<String> = (0..KIND_COUNT)
        .filter(|k| expected.tokens & (1 << k) != 0)
        .map(|k| KIND_DESCRIPTIONS[k].to_owned())
        .collect();
    out.extend(
        Label::ALL
            .iter()
            .filter(|l| expected.has_label(**l))
            .map(|l| l.describe().to_owned()),
    );
    if expected.end {
        out.push("end of input".to_owned());
    }
    out.sort();
    out.dedup();
    out
}

/// Keeps the one expectation that matters most: a statement end or a closing delimiter rather
/// than the operators that could also have continued the expression.
fn simplify_expected(expected: Vec<String>) -> Vec<String> {
    if expected.iter().any(|e| e == "a value") {
        return vec!["an expression".to_owned()];
    }
    for key in ["';'", "')'", "']'", "'}'", "an expression"] {
        if expected.iter().any(|e| e == key) {
            return vec![key.to_owned()];
        }
    }
    expected
}

fn expected_found(
    src: &str,
    lexed: &Lexed<'_>,
    span: Span,
    mut expected: Vec<String>,
    found: Option<Token<'_>>,
) -> SyntaxError {
    let found_text = found.map(|t| t.describe());
    let mut hint = found.and_then(|t| hint_for(&t));
    if matches!(found, Some(Token::Else)) && !else_has_a_block(lexed, span) {
        hint = Some(BRACES_HINT.to_owned());
    }
    let braceless = hint.is_none() && is_braceless_body(&expected, found.as_ref());
    if braceless {
        expected = vec!["'{'".to_owned()];
        hint = Some(BRACES_HINT.to_owned());
    }
    let message = match (found, lex_error_of(found)) {
        (_, Some(LexError::UnterminatedComment)) => {
            "Comment Task is not closed properly".to_owned()
        }
        (_, Some(LexError::UnterminatedString)) => {
            hint = Some("close the string with a matching quote on the same line".to_owned());
            "String is not closed properly".to_owned()
        }
        (_, Some(LexError::UnexpectedChar)) => {
            let text = src.get(span.range()).unwrap_or("?");
            hint = Some(unexpected_char_hint(text));
            format!("Unexpected character '{text}'")
        }
        (None, _) if expected.iter().any(|e| e == "'}'") => {
            hint = unclosed_brace_hint(src, lexed);
            "Expecting '}' but found '<EOF>'".to_owned()
        }
        (None, _) => "Unexpected end of input".to_owned(),
        (Some(t), _) if expected.len() == 1 && (hint.is_none() || braceless) => {
            format!("Expecting {} but found {}", expected[0], t.describe())
        }
        (Some(t), _) => format!("Unexpected token found {}", t.describe()),
    };
    SyntaxError {
        span,
        message,
        expected,
        found: found_text,
        hint,
    }
}

/// How to write a body: Deluge has no brace-less `if`/`for each` bodies.
const BRACES_HINT: &str = "Deluge needs braces around every if, else, for each, try and catch \
     body, even a single statement: if (x > 1) { info x; }";

/// A `{` was expected where a statement starts: a body written without braces.
fn is_braceless_body(expected: &[String], found: Option<&Token<'_>>) -> bool {
    expected.iter().any(|e| e == "'{'")
        && matches!(
            found,
            Some(
                Token::Word(_)
                    | Token::Return
                    | Token::Break
                    | Token::Continue
                    | Token::If
                    | Token::For
                    | Token::Try
                    | Token::InvokeUrl
                    | Token::SendMail
            )
        )
}

/// Whether the `else` at `span` is followed by `{` or `if` (else its body lacks braces).
fn else_has_a_block(lexed: &Lexed<'_>, span: Span) -> bool {
    let next = lexed
        .tokens
        .iter()
        .find(|(_, s)| s.start >= span.end as usize);
    matches!(next, Some((Token::LBrace | Token::If, _)) | None)
}

fn lex_error_of(found: Option<Token<'_>>) -> Option<LexError> {
    found.as_ref().and_then(lex_error)
}

/// Known mistakes, recognised by the token found.
fn hint_for(token: &Token<'_>) -> Option<String> {
    let hint = match token {
        Token::While => "Deluge has no while loop; iterate a list with for each",
        Token::Question => "Deluge has no ?: operator; use if(condition, a, b)",
        Token::PlusPlus => "Deluge has no ++ operator; use x = x + 1",
        Token::MinusMinus => "Deluge has no -- operator; use x = x - 1",
        Token::Finally => "Deluge has no finally; put the code after the try/catch",
        Token::Else => "'else' must directly follow the '}' of an if or else if block",
        Token::Catch => "'catch' must directly follow the '}' of a try block",
        _ => return None,
    };
    Some(hint.to_owned())
}

fn unexpected_char_hint(text: &str) -> String {
    match text {
        "\u{201c}" | "\u{201d}" | "\u{2018}" | "\u{2019}" => {
            "curly quotes are not string delimiters; use straight quotes \" or '".to_owned()
        }
        "&" => "use && for logical and".to_owned(),
        "|" => "use || for logical or".to_owned(),
        _ => "remove this character; outside strings and comments only ASCII is allowed".to_owned(),
    }
}

/// Where the innermost `{` that is never closed was opened.
fn unclosed_brace_hint(src: &str, lexed: &Lexed<'_>) -> Option<String> {
    let mut open = Vec::new();
    for (token, span) in &lexed.tokens {
        match token {
            Token::LBrace => open.push(span.start),
            Token::RBrace => {
                open.pop();
            }
            _ => {}
        }
    }
    let start = *open.last()?;
    let at = line_col(src, start as u32);
    Some(format!(
        "the '{{' on line {} column {} is never closed; add a matching '}}'",
        at.line, at.col
    ))
}
