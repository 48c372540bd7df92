//! The whole program: function definitions mixed with top-level statements.

use chumsky::prelude::*;

use super::common::{ident, path, span, tok};
use super::expr::expression;
use super::stmt::{block, statement};
use super::{GrammarProblem, Label, ParseError, P};
use crate::syntax::ast::{Block, FunctionDef, Param, Program, Stmt};
use crate::syntax::lexer::Lexed;
use crate::syntax::token::Token;

/// One top-level item.
enum Item {
    Function(FunctionDef),
    Statement(Stmt),
    Skipped,
}

/// A whole source file.
pub fn program<'t, 's: 't>(lexed: &'t Lexed<'s>) -> P<'t, 's, Program> {
    let stmt = statement(expression(), lexed);
    let stray_brace = tok(Token::RBrace).validate(|_, e, emitter| {
        emitter.emit(ParseError::problem(e.span(), GrammarProblem::StrayBrace));
        Item::Skipped
    });
    choice((
        function_definition(block(stmt.clone())).map(Item::Function),
        stmt.map(|s| s.map_or(Item::Skipped, Item::Statement)),
        stray_brace,
    ))
    .labelled(Label::Statement)
    .repeated()
    .fold(Program::default(), |mut program, item| {
        match item {
            Item::Function(f) => program.functions.push(f),
            Item::Statement(s) => program.body.push(s),
            Item::Skipped => {}
        }
        program
    })
    .then_ignore(end())
    .boxed()
}

/// `<type> [ns.]name(<type> p, ...) { ... }`
fn function_definition<'t, 's: 't>(body: P<'t, 's, Block>) -> P<'t, 's, FunctionDef> {
    let param = ident().then(ident()).map(|(ty, name)| Param { ty, name });
    ident()
        .then(path())
        .then(
            param
                .separated_by(tok(Token::Comma))
                .collect::<Vec<_>>()
                .delimited_by(tok(Token::LParen), tok(Token::RParen)),
        )
        .then(body)
        .map_with(|(((return_type, name), params), body), e| FunctionDef {
            return_type,
            name,
            params,
            body,
            span: span(e.span()),
        })
        .boxed()
}
