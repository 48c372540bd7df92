//! Small shared pieces: span conversion, names, dotted paths and soft keywords.

use chumsky::prelude::*;

use super::{Label, P};
use crate::syntax::ast::{Ident, Path};
use crate::syntax::span::Span;
use crate::syntax::token::{Soft, Token, Word};

/// A chumsky span as an AST span.
pub fn span(s: SimpleSpan) -> Span {
    Span::new(s.start, s.end)
}

/// Any word (name or soft keyword) as an [`Ident`].
pub fn ident<'t, 's: 't>() -> P<'t, 's, Ident> {
    select! {
        Token::Word(w) = e => Ident { name: w.text.into(), span: span(e.span()) },
    }
    .labelled(Label::Name)
    .boxed()
}

/// A word with a particular soft-keyword meaning (`each`, `hide`, ...).
pub fn soft<'t, 's: 't>(kind: Soft, label: Label) -> P<'t, 's, Word<'s>> {
    select! {
        Token::Word(w) if w.soft == kind => w,
    }
    .labelled(label)
    .boxed()
}

/// A dotted chain of names: `x`, `input.Field`, `automation.sync`.
pub fn path<'t, 's: 't>() -> P<'t, 's, Path> {
    ident()
        .separated_by(just(Token::Dot))
        .at_least(1)
        .collect::<Vec<_>>()
        .boxed()
}
