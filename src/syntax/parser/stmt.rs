//! Statements and blocks.

use chumsky::prelude::*;

use super::common::{ident, path, soft, span, tok};
use super::recovery::{close_brace, skip_statement, statement_end};
use super::{creator, Label, P};
use crate::syntax::ast::{AssignOp, Block, Expr, Ident, Stmt, StmtKind};
use crate::syntax::lexer::Lexed;
use crate::syntax::token::{Soft, Token};

/// The statements of a block, with the ones that failed to parse left out.
pub struct Statements(pub Block);

impl FromIterator<Option<Stmt>> for Statements {
    fn from_iter<T: IntoIterator<Item = Option<Stmt>>>(iter: T) -> Self {
        Statements(iter.into_iter().flatten().collect())
    }
}

/// One statement; `None` when it was broken and skipped (its error is reported).
///
/// The common statements come first: `if` (before the simple statements, as `if(c, a, b);` is
/// an expression statement), the simple ones, then `for each`, `try` and a lone `;`. Forms that
/// start with different tokens cannot both match, so the order only saves failed tries.
pub fn statement<'t, 's: 't>(
    expr: P<'t, 's, Expr>,
    lexed: &'t Lexed<'s>,
) -> P<'t, 's, Option<Stmt>> {
    recursive(|stmt| {
        let block = block(stmt.boxed());
        let simple = simple_statement(expr.clone()).then_ignore(statement_end(lexed));
        let statement = choice((
            if_statement(expr.clone(), block.clone()),
            simple,
            for_each(expr, block.clone()),
            try_catch(block),
        ))
        .map_with(|kind, e| {
            Some(Stmt {
                kind,
                span: span(e.span()),
            })
        });
        statement
            .or(empty_statement())
            .labelled(Label::Statement)
            .recover_with(via_parser(skip_statement().map(|()| None)))
    })
    .boxed()
}

/// A lone `;` (`x = 1;;`): an empty statement, left out of the tree.
fn empty_statement<'t, 's: 't>() -> P<'t, 's, Option<Stmt>> {
    tok(Token::Semi).to(None).boxed()
}

/// `{ statement* }`
pub fn block<'t, 's: 't>(stmt: P<'t, 's, Option<Stmt>>) -> P<'t, 's, Block> {
    stmt.repeated()
        .collect::<Statements>()
        .map(|s| s.0)
        .delimited_by(tok(Token::LBrace), close_brace())
        .boxed()
}

/// The statements that end with `;`.
fn simple_statement<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, StmtKind> {
    let info = soft(Soft::Info, Label::Keyword)
        .ignore_then(expr.clone())
        .map(StmtKind::Info);
    let ret = tok(Token::Return)
        .ignore_then(expr.clone().or_not())
        .map(StmtKind::Return);
    let jump = select! {
        Token::Break => StmtKind::Break,
        Token::Continue => StmtKind::Continue,
    };
    choice((
        assignment(expr.clone()),
        creator::update_record(expr.clone()),
        creator::field_ui(expr.clone()),
        info,
        ret,
        jump,
        creator::form_ui(),
        creator::alert(expr.clone()),
        creator::cancel(),
        creator::delete_from(expr.clone()),
        expr.map(StmtKind::Expr),
    ))
    .boxed()
}

/// The assignment operator a token is (`=`, `+=`, ...): the one table of both parsers.
pub fn assign_op(token: &Token<'_>) -> Option<AssignOp> {
    let op = match token {
        Token::Assign => AssignOp::Set,
        Token::PlusAssign => AssignOp::Add,
        Token::MinusAssign => AssignOp::Sub,
        Token::StarAssign => AssignOp::Mul,
        Token::SlashAssign => AssignOp::Div,
        Token::PercentAssign => AssignOp::Rem,
        _ => return None,
    };
    Some(op)
}

/// `target = value`, `target += value`, ...
fn assignment<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, StmtKind> {
    let op = chumsky::primitive::select(|token: Token<'s>, _| assign_op(&token));
    path()
        .then(op)
        .then(expr)
        .map(|((target, op), value)| StmtKind::Assign { target, op, value })
        .boxed()
}

/// `( condition )`
fn condition<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, Expr> {
    expr.delimited_by(tok(Token::LParen), tok(Token::RParen))
        .boxed()
}

/// `if (c) {..} else if (c) {..} else {..}`
fn if_statement<'t, 's: 't>(expr: P<'t, 's, Expr>, block: P<'t, 's, Block>) -> P<'t, 's, StmtKind> {
    let first = tok(Token::If)
        .ignore_then(condition(expr.clone()))
        .then(block.clone());
    let else_if = tok(Token::Else)
        .ignore_then(tok(Token::If))
        .ignore_then(condition(expr))
        .then(block.clone());
    let otherwise = tok(Token::Else).ignore_then(block);
    first
        .then(else_if.repeated().collect::<Vec<_>>())
        .then(otherwise.or_not())
        .map(|((first, mut rest), otherwise)| {
            rest.insert(0, first);
            StmtKind::If {
                branches: rest,
                otherwise,
            }
        })
        .boxed()
}

/// `for each x in e {..}` and `for each index i in e {..}`
fn for_each<'t, 's: 't>(expr: P<'t, 's, Expr>, block: P<'t, 's, Block>) -> P<'t, 's, StmtKind> {
    let indexed = soft(Soft::Index, Label::Index)
        .ignore_then(ident())
        .then_ignore(tok(Token::In))
        .map(|var| (true, var));
    let plain = ident().then_ignore(tok(Token::In)).map(|var| (false, var));
    tok(Token::For)
        .ignore_then(soft(Soft::Each, Label::Each))
        .ignore_then(indexed.or(plain))
        .then(expr)
        .then(block)
        .map(|(((is_index, var), iterable), body)| for_each_kind(is_index, var, iterable, body))
        .boxed()
}

/// `for each index var in iterable {body}` when `is_index`, else `for each var in ...`.
pub fn for_each_kind(is_index: bool, var: Ident, iterable: Expr, body: Block) -> StmtKind {
    if is_index {
        StmtKind::ForEachIndex {
            var,
            iterable,
            body,
        }
    } else {
        StmtKind::ForEach {
            var,
            iterable,
            body,
        }
    }
}

/// `try {..} catch (e) {..}`
fn try_catch<'t, 's: 't>(block: P<'t, 's, Block>) -> P<'t, 's, StmtKind> {
    tok(Token::Try)
        .ignore_then(block.clone())
        .then_ignore(tok(Token::Catch))
        .then(ident().delimited_by(tok(Token::LParen), tok(Token::RParen)))
        .then(block)
        .map(|((body, var), handler)| StmtKind::Try { body, var, handler })
        .boxed()
}
