//! Small shared pieces: span conversion, single tokens, names, dotted paths and soft keywords.
//!
//! The one-token parsers here are `custom` parsers that look at the next token once. They fail
//! with exactly the error chumsky's `just` / labelled `select!` would record (same position,
//! found token, span and expected set) but skip its generic bookkeeping (saving and restoring
//! the pending error around a label, building the expected set from an iterator), which the
//! profile showed on every failed alternative.

use chumsky::input::InputRef;
use chumsky::prelude::*;

use super::{Extra, Label, ParseError, Tokens, P};
use crate::syntax::ast::{Ident, Path};
use crate::syntax::span::Span;
use crate::syntax::token::{Soft, Token, Word};

/// A chumsky span as an AST span.
pub fn span(s: SimpleSpan) -> Span {
    Span::new(s.start, s.end)
}

/// The next token and its span, leaving the input where it is (`None` at the end of input,
/// with the end-of-input span).
///
/// Read straight from the token slice: this runs on every failed alternative.
pub fn next_here<'t, 's: 't>(
    inp: &mut InputRef<'t, '_, Tokens<'t, 's>, Extra<'s>>,
) -> (Option<Token<'s>>, SimpleSpan) {
    let index = inp.cursor().inner().0;
    if let Some((token, span)) = inp.full_slice().get(index) {
        return (Some(*token), *span);
    }
    let before = inp.save();
    let found = inp.next();
    let span = inp.span_since(before.cursor());
    inp.rewind(before);
    (found, span)
}

/// Consumes the next token, returning its span.
fn take<'t, 's: 't>(inp: &mut InputRef<'t, '_, Tokens<'t, 's>, Extra<'s>>) -> SimpleSpan {
    let start = inp.cursor();
    inp.skip();
    inp.span_since(&start)
}

/// An "expected `label`" error at the next token, leaving the input where it is.
fn expected_label_here<'t, 's: 't>(
    inp: &mut InputRef<'t, '_, Tokens<'t, 's>, Extra<'s>>,
    label: Label,
) -> ParseError<'s> {
    let (found, span) = next_here(inp);
    ParseError::expected_label(label, found, span)
}

/// Exactly `token` (a token without data: `;`, `(`, `if`, ...); the same as `just(token)`.
pub fn tok<'t, 's: 't>(token: Token<'s>) -> P<'t, 's, Token<'s>> {
    custom(
        move |inp: &mut InputRef<'t, '_, Tokens<'t, 's>, Extra<'s>>| match inp.peek() {
            Some(next) if next == token => {
                inp.skip();
                Ok(token)
            }
            _ => {
                let (found, span) = next_here(inp);
                Err(ParseError::expected_token(token, found, span))
            }
        },
    )
    .boxed()
}

/// Exactly `token`, failing with "expected `label`": the same as `just(token)` at the start of
/// a parser labelled `label`, whose errors at its first token read as the label.
pub fn tok_labelled<'t, 's: 't>(token: Token<'s>, label: Label) -> P<'t, 's, Token<'s>> {
    custom(
        move |inp: &mut InputRef<'t, '_, Tokens<'t, 's>, Extra<'s>>| match inp.peek() {
            Some(next) if next == token => {
                inp.skip();
                Ok(token)
            }
            _ => Err(expected_label_here(inp, label)),
        },
    )
    .boxed()
}

/// Any word (name or soft keyword) as an [`Ident`].
pub fn ident<'t, 's: 't>() -> P<'t, 's, Ident> {
    custom(
        |inp: &mut InputRef<'t, '_, Tokens<'t, 's>, Extra<'s>>| match inp.peek() {
            Some(Token::Word(w)) => Ok(Ident {
                name: w.text.into(),
                span: span(take(inp)),
            }),
            _ => Err(expected_label_here(inp, Label::Name)),
        },
    )
    .boxed()
}

/// A word with a particular soft-keyword meaning (`each`, `hide`, ...).
pub fn soft<'t, 's: 't>(kind: Soft, label: Label) -> P<'t, 's, Word<'s>> {
    custom(
        move |inp: &mut InputRef<'t, '_, Tokens<'t, 's>, Extra<'s>>| match inp.peek() {
            Some(Token::Word(w)) if w.soft == kind => {
                inp.skip();
                Ok(w)
            }
            _ => Err(expected_label_here(inp, label)),
        },
    )
    .boxed()
}

/// A dotted chain of names: `x`, `input.Field`, `automation.sync`.
pub fn path<'t, 's: 't>() -> P<'t, 's, Path> {
    ident()
        .separated_by(tok(Token::Dot))
        .at_least(1)
        .collect::<Vec<_>>()
        .boxed()
}
