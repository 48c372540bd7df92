//! Error recovery and statement ends: skipping a broken statement, and the `;` rule.

use chumsky::prelude::*;

use chumsky::input::InputRef;

use super::common::next_here;
use super::{Extra, GrammarProblem, Label, ParseError, Tokens, P};
use crate::syntax::lexer::Lexed;
use crate::syntax::token::{opens_block, Token};

/// Skips one broken statement: up to and including the next `;` outside blocks, or up to and
/// including the `}` that closes a block the statement opened (and any `else`/`catch` part
/// after it). Stops before a `}` that closes an enclosing block. Fails if it cannot skip a token.
///
/// A `{` right after a token that ends a header (`)`, `else`, `try`, a name, ...) opens a block;
/// after an operator, `=`, `(`, `,`, `:` or `return` it opens a literal, which a `;` may end
/// (an unclosed map literal must not swallow the rest of the file).
pub fn skip_statement<'t, 's: 't>() -> P<'t, 's, ()> {
    custom(|inp: &mut InputRef<'t, '_, Tokens<'t, 's>, Extra<'s>>| {
        let start = inp.cursor();
        let mut braces: Vec<bool> = Vec::new();
        let mut previous: Option<Token<'s>> = None;
        while let Some(token) = inp.peek() {
            let blocks_open = braces.iter().filter(|&&is_block| is_block).count();
            match token {
                Token::RBrace if braces.is_empty() => break,
                Token::Semi if blocks_open == 0 => {
                    inp.skip();
                    break;
                }
                Token::RBrace => {
                    inp.skip();
                    let closed_block = braces.pop().unwrap_or(false);
                    if closed_block
                        && blocks_open == 1
                        && !matches!(inp.peek(), Some(Token::Else | Token::Catch))
                    {
                        break;
                    }
                }
                Token::LBrace => {
                    inp.skip();
                    braces.push(opens_block(previous.as_ref()));
                }
                _ => inp.skip(),
            }
            if token == Token::Semi {
                braces.retain(|&is_block| is_block);
            }
            previous = Some(token);
        }
        if inp.cursor().inner() == start.inner() {
            let found = inp.peek();
            let span = inp.span_since(&start);
            return Err(ParseError::expected_label(Label::Statement, found, span));
        }
        Ok(())
    })
    .boxed()
}

/// The end of a statement: a `;`. A missing `;` before a line break, a `}` or the end of the
/// input is reported and the parse goes on; one missing after the `]` of a bracket block is
/// accepted, as real code often omits it. Anything else on the same line is a hard error.
pub fn statement_end<'t, 's: 't>(lexed: &'t Lexed<'s>) -> P<'t, 's, ()> {
    custom(
        move |inp: &mut InputRef<'t, '_, Tokens<'t, 's>, Extra<'s>>| {
            if let Some(Token::Semi) = inp.peek() {
                inp.skip();
                return Ok(());
            }
            let index = inp.cursor().inner().0;
            let previous = index.checked_sub(1).and_then(|i| lexed.tokens.get(i));
            if let Some((Token::RBracket, _)) = previous {
                return Ok(());
            }
            let at_break = match inp.peek() {
                None | Some(Token::RBrace) => true,
                Some(_) => lexed.line_break_before.get(index).copied().unwrap_or(true),
            };
            if at_break {
                let end = previous.map_or(0, |(_, s)| s.end);
                inp.emit(ParseError::problem(
                    SimpleSpan::from(end..end),
                    GrammarProblem::MissingSemicolon,
                ));
                return Ok(());
            }
            Err(expected_here(inp, Token::Semi))
        },
    )
    .boxed()
}

/// The `}` closing a block. At the end of the input a missing `}` is reported and the block
/// kept, so errors inside it are still reported.
pub fn close_brace<'t, 's: 't>() -> P<'t, 's, ()> {
    custom(|inp: &mut InputRef<'t, '_, Tokens<'t, 's>, Extra<'s>>| {
        if let Some(Token::RBrace) = inp.peek() {
            inp.skip();
            return Ok(());
        }
        if inp.peek().is_none() {
            let here = inp.cursor();
            let span = inp.span_since(&here);
            inp.emit(ParseError::problem(span, GrammarProblem::UnclosedBlock));
            return Ok(());
        }
        Err(expected_here(inp, Token::RBrace))
    })
    .boxed()
}

/// An "expected `token`" error at the next token, leaving the input where it is.
///
/// Built directly (not by running `just(token)`) so that a further error found earlier by an
/// alternative is kept as the one reported.
fn expected_here<'t, 's: 't>(
    inp: &mut InputRef<'t, '_, Tokens<'t, 's>, Extra<'s>>,
    token: Token<'s>,
) -> ParseError<'s> {
    let (found, span) = next_here(inp);
    ParseError::expected_token(token, found, span)
}
