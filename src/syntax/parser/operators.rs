//! Prefix, binary and `is [not] null` operators: a flat `operand (operator operand)*` parse
//! folded by precedence climbing.
//!
//! Binding, loosest first: `||`, `&&`, equality, relational and `in` (with the `is [not] null`
//! postfix), additive, multiplicative, then prefix `!` and `-`. The trees, spans and errors are
//! those of the chumsky Pratt parser this replaces (same binding powers: infix level `n` binds
//! `2n` on the left and `2n + 1` on the right, the postfix `9`, prefixes tighter than all), but
//! each operand end costs one look at the next token instead of one failed parser per level.

use chumsky::input::InputRef;
use chumsky::prelude::*;

use super::common::{next_here, soft, span, tok};
use super::{Extra, Label, ParseError, Tokens, P};
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use crate::syntax::span::Span;
use crate::syntax::token::{Soft, Token};

/// What can follow an operand.
pub enum Tail {
    /// `op operand`, with the operator's precedence level.
    Infix(BinaryOp, u8, Expr),
    /// `is null` (`Eq`) or `is not null` (`Ne`), spanning those words.
    IsNull(BinaryOp, Span),
}

/// The binding power of the `is [not] null` postfix (the relational level's, as in `left(4)`
/// plus one: it applies to the right operand of `<` but not of `+`).
const IS_NULL_POWER: i32 = 9;

/// Operands joined by operators.
pub fn operators<'t, 's: 't>(operand: P<'t, 's, Expr>) -> P<'t, 's, Expr> {
    let unary = unary(operand);
    let not_in = soft(Soft::Not, Label::Not)
        .then(tok(Token::In))
        .to((BinaryOp::NotIn, 4));
    let tail = choice((
        binary_operator()
            .then(unary.clone())
            .map(|((op, level), rhs)| Tail::Infix(op, level, rhs)),
        is_null(),
        not_in
            .then(unary.clone())
            .map(|((op, level), rhs)| Tail::Infix(op, level, rhs)),
    ));
    unary
        .then(tail.repeated().collect::<Vec<_>>())
        .map(|(first, tail)| {
            let mut tail = tail.into_iter().peekable();
            climb(first, &mut tail, i32::MIN)
        })
        .boxed()
}

/// An operand with any number of prefix `!` / `-`, each spanning from itself to the operand's
/// end.
fn unary<'t, 's: 't>(operand: P<'t, 's, Expr>) -> P<'t, 's, Expr> {
    recursive(|unary| {
        let prefixed =
            prefix_operator()
                .then(unary)
                .map_with(|(op, operand): (UnaryOp, Expr), e| Expr {
                    kind: ExprKind::Unary {
                        op,
                        operand: Box::new(operand),
                    },
                    span: span(e.span()),
                });
        prefixed.or(operand)
    })
    .boxed()
}

/// `!` or `-` before an operand; fails as `just('!')` and `just('-')` would.
fn prefix_operator<'t, 's: 't>() -> P<'t, 's, UnaryOp> {
    custom(|inp: &mut InputRef<'t, '_, Tokens<'t, 's>, Extra<'s>>| {
        let op = match inp.peek() {
            Some(Token::Bang) => UnaryOp::Not,
            Some(Token::Minus) => UnaryOp::Neg,
            _ => {
                let (found, at) = next_here(inp);
                let mut error = ParseError::expected_token(Token::Bang, found, at);
                error.expected.tokens |= 1 << Token::Minus.kind();
                return Err(error);
            }
        };
        inp.skip();
        Ok(op)
    })
    .boxed()
}

/// A one-token binary operator with its precedence level (1 `||` to 6 `*`). Where none is, it
/// fails with what the Pratt parser's operators recorded there: `&&`, `||`, `not` (of
/// `not in`) and a keyword (`is` of `is null`).
fn binary_operator<'t, 's: 't>() -> P<'t, 's, (BinaryOp, u8)> {
    custom(|inp: &mut InputRef<'t, '_, Tokens<'t, 's>, Extra<'s>>| {
        let Some(op) = inp.peek().as_ref().and_then(binary_op) else {
            let (found, at) = next_here(inp);
            let mut error = ParseError::expected_token(Token::AndAnd, found, at);
            error.expected.tokens |= 1 << Token::OrOr.kind();
            error.expected.labels |= (1 << Label::Not as u8) | (1 << Label::Keyword as u8);
            return Err(error);
        };
        inp.skip();
        Ok(op)
    })
    .boxed()
}

/// The binary operator a token is, with its precedence level. `=` in an expression is
/// equality (assignment is a statement).
pub fn binary_op(token: &Token<'_>) -> Option<(BinaryOp, u8)> {
    let op = match token {
        Token::OrOr => (BinaryOp::Or, 1),
        Token::AndAnd => (BinaryOp::And, 2),
        Token::EqEq | Token::Assign => (BinaryOp::Eq, 3),
        Token::NotEq => (BinaryOp::Ne, 3),
        Token::Lt => (BinaryOp::Lt, 4),
        Token::Le => (BinaryOp::Le, 4),
        Token::Gt => (BinaryOp::Gt, 4),
        Token::Ge => (BinaryOp::Ge, 4),
        Token::In => (BinaryOp::In, 4),
        Token::Plus => (BinaryOp::Add, 5),
        Token::Minus => (BinaryOp::Sub, 5),
        Token::Star => (BinaryOp::Mul, 6),
        Token::Slash => (BinaryOp::Div, 6),
        Token::Percent => (BinaryOp::Rem, 6),
        _ => return None,
    };
    Some(op)
}

/// `is null` / `is not null` (Creator criteria), read as `== null` / `!= null`.
fn is_null<'t, 's: 't>() -> P<'t, 's, Tail> {
    soft(Soft::Is, Label::Keyword)
        .ignore_then(soft(Soft::Not, Label::Not).or_not())
        .then_ignore(tok(Token::Null))
        .map_with(|not, e| {
            let op = if not.is_some() {
                BinaryOp::Ne
            } else {
                BinaryOp::Eq
            };
            Tail::IsNull(op, span(e.span()))
        })
        .boxed()
}

/// Precedence climbing over the parsed tail: folds into `lhs` every operator that binds at
/// least `min_power`, parsing right operands with their operator's right power.
pub fn climb(
    mut lhs: Expr,
    tail: &mut std::iter::Peekable<std::vec::IntoIter<Tail>>,
    min_power: i32,
) -> Expr {
    loop {
        match tail.peek() {
            Some(Tail::IsNull(..)) if IS_NULL_POWER >= min_power => {
                if let Some(Tail::IsNull(op, at)) = tail.next() {
                    let null = Expr {
                        kind: ExprKind::Null,
                        span: at,
                    };
                    lhs = binary(lhs, op, null);
                }
            }
            Some(Tail::Infix(_, level, _)) if i32::from(*level) * 2 >= min_power => {
                if let Some(Tail::Infix(op, level, rhs)) = tail.next() {
                    let rhs = climb(rhs, tail, i32::from(level) * 2 + 1);
                    lhs = binary(lhs, op, rhs);
                }
            }
            _ => return lhs,
        }
    }
}

/// `l op r`, spanning both operands.
fn binary(l: Expr, op: BinaryOp, r: Expr) -> Expr {
    let span = l.span.to(r.span);
    Expr {
        kind: ExprKind::Binary {
            op,
            lhs: Box::new(l),
            rhs: Box::new(r),
        },
        span,
    }
}
