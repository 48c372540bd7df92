//! `assign-as-comparison`: a single `=` inside the condition of an `if` statement or of an
//! `if(c, a, b)` expression. Deluge reads it as `==`, but it reads like an assignment and other
//! languages treat it as one.
//!
//! The conditions come from the syntax tree; only their text is lexed again, token by token
//! with nothing kept (the tree does not say which of `=` and `==` was written).

use logos::Logos;

use super::walk::{self, Visitor};
use super::{warning, Lint};
use crate::syntax::ast::{Expr, ExprKind, Program, Stmt, StmtKind};
use crate::syntax::span::Span;
use crate::syntax::token::Token;

/// Reports every `=` inside a condition.
pub fn check(source: &str, program: &Program, lints: &mut Vec<Lint>) {
    let mut conditions = Conditions::default();
    walk::program(&mut conditions, program);
    for condition in outermost(conditions.spans) {
        let range = condition.range();
        let text = source.get(range.clone()).unwrap_or_default();
        let mut tokens = Token::lexer(text);
        while let Some(token) = tokens.next() {
            if token == Ok(Token::Assign) {
                let at = tokens.span();
                lints.push(warning(
                    "assign-as-comparison",
                    Span::new(range.start + at.start, range.start + at.end),
                    "`=` in a condition compares, it does not assign".into(),
                    Some("write `==` to make the comparison plain".into()),
                ));
            }
        }
    }
}

/// The spans not inside another one (an `if(..)` within a condition is read with it), in
/// source order.
fn outermost(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_by_key(|span| (span.start, std::cmp::Reverse(span.end)));
    let mut kept: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        if kept.last().is_none_or(|last| span.start >= last.end) {
            kept.push(span);
        }
    }
    kept
}

/// The spans of every condition in the program.
#[derive(Default)]
struct Conditions {
    spans: Vec<Span>,
}

impl Visitor<'_> for Conditions {
    fn stmt(&mut self, stmt: &Stmt) {
        if let StmtKind::If { branches, .. } = &stmt.kind {
            self.spans.extend(branches.iter().map(|(cond, _)| cond.span));
        }
    }

    fn expr(&mut self, expr: &Expr) {
        if let ExprKind::Conditional { cond, .. } = &expr.kind {
            self.spans.push(cond.span);
        }
    }
}
