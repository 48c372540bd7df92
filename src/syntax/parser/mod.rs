//! The chumsky grammar over logos tokens, one file per area.
//!
//! Every grammar function returns a boxed parser (unboxed combinator types make rustc slow).
//! Statements recover from errors at the next `;` or balanced `}` so that every independent
//! syntax error in a file is reported.

mod common;
mod creator;
mod errors;
mod expr;
mod function;
mod literal;
mod operators;
mod parse_error;
mod recovery;
mod stmt;
mod task;

use chumsky::input::{Input as _, MappedInput};
use chumsky::prelude::*;

use super::ast::Program;
use super::lexer::Lexed;
use super::token::Token;

pub use errors::convert;
// Tree-building pieces the recursive-descent parser (`syntax::descent`) shares, so both parsers
// build the same nodes the same way.
pub(super) use creator::FetchClauses;
pub(super) use expr::{apply_member, merge_pair_arguments};
pub(super) use literal::unescape;
pub(super) use operators::{binary_op, climb, Tail};
pub(super) use stmt::{assign_op, for_each_kind};
pub(super) use task::RECIPIENT_KEYS;
pub use parse_error::{GrammarProblem, Label, ParseError};

/// The token input the grammar runs over.
pub type Tokens<'t, 's> = MappedInput<'t, Token<'s>, SimpleSpan, &'t [(Token<'s>, SimpleSpan)]>;

/// Parser state and error configuration.
pub type Extra<'s> = extra::Err<ParseError<'s>>;

/// A boxed grammar parser producing `O`.
pub type P<'t, 's, O> = Boxed<'t, 't, Tokens<'t, 's>, O, Extra<'s>>;

/// Parses lexed tokens into a program, returning what was recovered and every error.
pub fn parse_tokens<'t, 's: 't>(
    src_len: usize,
    lexed: &'t Lexed<'s>,
) -> (Program, Vec<ParseError<'s>>) {
    let input = lexed
        .tokens
        .as_slice()
        .split_token_span(SimpleSpan::from(src_len..src_len));
    let parser = function::program(lexed);
    let (program, errors) = parser.parse(input).into_output_errors();
    (program.unwrap_or_default(), errors)
}
