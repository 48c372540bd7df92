//! Literal values: strings with escapes, integers, decimals, `true`/`false`/`null`.

use std::str::FromStr;

use chumsky::input::{Cursor, InputRef};
use chumsky::prelude::*;
use rust_decimal::Decimal;

use super::common::{next_here, span};
use super::{Extra, GrammarProblem, Label, ParseError, Tokens, P};
use crate::syntax::ast::{Expr, ExprKind};
use crate::syntax::token::Token;

/// Any literal token as an expression: one look at the next token (see [`super::common`]).
pub fn literal<'t, 's: 't>() -> P<'t, 's, Expr> {
    custom(|inp: &mut InputRef<'t, '_, Tokens<'t, 's>, Extra<'s>>| {
        let before = inp.cursor();
        let kind = match inp.peek() {
            Some(Token::Str(s)) => ExprKind::Text(unescape(s).into()),
            Some(Token::SingleQuoted(s)) => ExprKind::SingleQuoted(unescape(s).into()),
            Some(Token::True) => ExprKind::Bool(true),
            Some(Token::False) => ExprKind::Bool(false),
            Some(Token::Null) => ExprKind::Null,
            Some(Token::Int(text)) => return Ok(number(inp, before, text, false)),
            Some(Token::Decimal(text)) => return Ok(number(inp, before, text, true)),
            _ => {
                let (found, s) = next_here(inp);
                return Err(ParseError::expected_label(Label::Value, found, s));
            }
        };
        inp.skip();
        Ok(Expr {
            kind,
            span: span(inp.span_since(&before)),
        })
    })
    .boxed()
}

/// Consumes an integer (64-bit) or decimal literal. Out-of-range literals are reported and read
/// as 0.
fn number<'t, 's: 't, 'p>(
    inp: &mut InputRef<'t, 'p, Tokens<'t, 's>, Extra<'s>>,
    before: Cursor<'t, 'p, Tokens<'t, 's>>,
    text: &str,
    is_decimal: bool,
) -> Expr {
    inp.skip();
    let s = inp.span_since(&before);
    let kind = if is_decimal {
        Decimal::from_str(text).map(ExprKind::Decimal).ok()
    } else {
        text.parse::<i64>().map(ExprKind::Number).ok()
    };
    let kind = kind.unwrap_or_else(|| {
        inp.emit_at(before, ParseError::problem(s, GrammarProblem::NumberTooBig));
        ExprKind::Number(0)
    });
    Expr {
        kind,
        span: span(s),
    }
}

/// The text of a quoted literal (quotes included) with escapes processed.
///
/// `\" \' \\ \/ \b \f \n \r \t \uXXXX` are escapes; any other backslash is kept as written, so
/// regular expressions such as `"\s+"` keep their meaning.
pub fn unescape(quoted: &str) -> String {
    let inner = quoted.get(1..quoted.len().saturating_sub(1)).unwrap_or("");
    if !inner.contains('\\') {
        return inner.to_owned();
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('"') => out.push('"'),
            Some('\'') => out.push('\''),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => push_unicode_escape(&mut out, &mut chars),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Handles the `XXXX` after `\u`; an invalid escape is kept as written.
fn push_unicode_escape(out: &mut String, chars: &mut std::str::Chars<'_>) {
    let rest = chars.as_str();
    let hex = rest
        .get(..4)
        .filter(|h| h.chars().all(|c| c.is_ascii_hexdigit()));
    match hex
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .and_then(char::from_u32)
    {
        Some(c) => {
            out.push(c);
            *chars = rest[4..].chars();
        }
        None => out.push_str("\\u"),
    }
}

#[cfg(test)]
mod tests {
    use super::unescape;

    #[test]
    fn escapes_are_processed_and_unknown_ones_kept() {
        assert_eq!(unescape(r#""a\"b""#), "a\"b");
        assert_eq!(unescape(r#""\\ \/ \n\t\r""#), "\\ / \n\t\r");
        assert_eq!(unescape(r#""\u00e9\u263A""#), "é☺");
        assert_eq!(unescape(r#""\s+\d""#), "\\s+\\d");
        assert_eq!(unescape(r#""\uZZ""#), "\\uZZ");
        assert_eq!(unescape(r"'it\'s'"), "it's");
        assert_eq!(unescape("\"\""), "");
    }
}
