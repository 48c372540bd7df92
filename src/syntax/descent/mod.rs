//! A hand-written recursive-descent parser for sources without syntax errors.
//!
//! Every parse first runs this parser over the tokens. It reads the grammar of
//! `grammar/deluge.ebnf` with the same ordered alternatives and the same backtracking as the
//! chumsky grammar in [`super::parser`], and builds the same tree with the same spans, at a
//! fraction of the cost: each alternative is chosen by a look at its first tokens instead of a
//! boxed combinator call that records what it expected. It knows nothing of errors: at the
//! first point where the chumsky grammar would report an error or recover from one, it gives up
//! ([`Fail::GiveUp`]), and [`super::parse`] runs the chumsky grammar, which owns every
//! diagnostic and all recovery. So a source with an error costs both parses, and a clean source
//! one cheap parse.
//!
//! The two must agree on every input this parser accepts: `tests.rs` checks that over every
//! script in the repository and thousands of mutations of the parser corpus, and the `parse`
//! fuzz target on every input it makes (`syntax::parser_disagreement`).

mod expr;
mod stmt;
mod task;
#[cfg(test)]
mod tests;

use chumsky::span::SimpleSpan;
use foldhash::{HashSet, HashSetExt};

use super::ast::{Ident, Path, Program};
use super::span::Span;
use super::token::{Soft, Token, Word};

/// The program in `tokens`, or `None` when the chumsky grammar must parse them because the
/// source has a syntax error.
pub fn parse(tokens: &[(Token<'_>, SimpleSpan)]) -> Option<Program> {
    Parser {
        tokens,
        pos: 0,
        failed_lists: HashSet::new(),
    }
    .program()
    .ok()
}

/// Why a parse function did not produce its node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fail {
    /// The form is not here: the caller rewinds and tries its next alternative, as the chumsky
    /// grammar's `choice`, `or_not` and `repeated` do.
    Miss,
    /// The chumsky grammar would report an error here: the whole parse stops.
    GiveUp,
}

/// The result of a parse function.
type Parsed<T> = Result<T, Fail>;

/// Runs `parse` with at least 64 KiB of stack left, continuing on a new 1 MiB segment when the
/// thread's stack is short, as chumsky's `recursive` does. Nesting is bounded
/// (`lexer::MAX_NESTING`), but 256 levels of `List(` take more than a 2 MiB thread stack in a
/// debug build. Called where nesting recurses: expressions, prefix operators and blocks.
fn with_stack<T>(parse: impl FnOnce() -> T) -> T {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, parse)
}

/// The token cursor.
struct Parser<'t, 's> {
    tokens: &'t [(Token<'s>, SimpleSpan)],
    pos: usize,
    /// Where a parenthesised list (call or constructor arguments) was read and missed. A list
    /// reads the same wherever it is used, so it is not read again: `list:T(..)` that misses is
    /// read again as `list` followed by the pair `: T(..)`, a call with the same list, and
    /// without this, nested ones (`list:T(list:T(..`) doubled the work at each level.
    failed_lists: HashSet<usize>,
}

impl<'s> Parser<'_, 's> {
    /// The next token.
    fn peek(&self) -> Option<Token<'s>> {
        self.peek_nth(0)
    }

    /// The token `n` places after the next one.
    fn peek_nth(&self, n: usize) -> Option<Token<'s>> {
        self.tokens.get(self.pos + n).map(|(token, _)| *token)
    }

    /// Moves past the next token.
    fn bump(&mut self) {
        self.pos += 1;
    }

    /// Whether the token at index `i` is `token`, a token without data (`;`, `(`, `if`, ...):
    /// compared by variant alone, inline (the derived `==` compares the text of words).
    fn is_at(&self, i: usize, token: Token<'s>) -> bool {
        self.tokens
            .get(i)
            .is_some_and(|(next, _)| std::mem::discriminant(next) == std::mem::discriminant(&token))
    }

    /// Consumes the next token if it is `token` (a token without data).
    fn eat(&mut self, token: Token<'s>) -> bool {
        let found = self.is_at(self.pos, token);
        if found {
            self.bump();
        }
        found
    }

    /// Consumes `token` (a token without data), or misses.
    fn expect(&mut self, token: Token<'s>) -> Parsed<()> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(Fail::Miss)
        }
    }

    /// Consumes a word with the soft-keyword meaning `kind`, or misses.
    fn soft(&mut self, kind: Soft) -> Parsed<Word<'s>> {
        match self.peek() {
            Some(Token::Word(w)) if w.soft == kind => {
                self.bump();
                Ok(w)
            }
            _ => Err(Fail::Miss),
        }
    }

    /// Consumes any word (a name or a soft keyword) as an [`Ident`], or misses.
    fn ident(&mut self) -> Parsed<Ident> {
        match self.tokens.get(self.pos) {
            Some((Token::Word(w), span)) => {
                self.bump();
                Ok(Ident {
                    name: w.text.into(),
                    span: Span::new(span.start, span.end),
                })
            }
            _ => Err(Fail::Miss),
        }
    }

    /// A dotted chain of names: the longest `name (. name)*`.
    fn path(&mut self) -> Parsed<Path> {
        let mut path = vec![self.ident()?];
        while self.is_at(self.pos, Token::Dot) && matches!(self.peek_nth(1), Some(Token::Word(_))) {
            self.bump();
            path.push(self.ident()?);
        }
        Ok(path)
    }

    /// Where the path starting at the cursor would end, without reading it.
    fn path_end(&self) -> Option<usize> {
        if !matches!(self.token_at(self.pos), Some(Token::Word(_))) {
            return None;
        }
        let members = self.members_at(self.pos + 1);
        Some(self.pos + 1 + 2 * members)
    }

    /// How many `.word` members follow one another from token `i` on.
    fn members_at(&self, i: usize) -> usize {
        let member_at = |dot: usize| {
            self.is_at(dot, Token::Dot) && matches!(self.token_at(dot + 1), Some(Token::Word(_)))
        };
        (0..).take_while(|&n| member_at(i + 2 * n)).count()
    }

    /// The token at index `i`.
    fn token_at(&self, i: usize) -> Option<Token<'s>> {
        self.tokens.get(i).map(|(token, _)| *token)
    }

    /// The span from the token at `start` to the last token consumed, as chumsky spans a parser
    /// that consumed those tokens.
    fn span_from(&self, start: usize) -> Span {
        let begin = self.tokens.get(start).map_or(0, |(_, s)| s.start);
        let end = self
            .pos
            .checked_sub(1)
            .and_then(|last| self.tokens.get(last))
            .map_or(begin, |(_, s)| s.end);
        Span::new(begin, end)
    }

    /// Runs `parse`; on a miss, rewinds to where it started and yields `None`.
    fn attempt<T>(&mut self, parse: impl FnOnce(&mut Self) -> Parsed<T>) -> Parsed<Option<T>> {
        let start = self.pos;
        match parse(self) {
            Ok(node) => Ok(Some(node)),
            Err(Fail::Miss) => {
                self.pos = start;
                Ok(None)
            }
            Err(Fail::GiveUp) => Err(Fail::GiveUp),
        }
    }

    /// Zero or more `item`s separated by commas (chumsky's `separated_by`: a comma not followed
    /// by an item is left unread).
    fn separated<T>(&mut self, item: impl Fn(&mut Self) -> Parsed<T>) -> Parsed<Vec<T>> {
        match self.attempt(&item)? {
            Some(first) => self.separated_tail(vec![first], item),
            None => Ok(Vec::new()),
        }
    }

    /// `items` followed by any number of `, item`, with no spare capacity (see
    /// [`Parser::statements_in_braces`]).
    fn separated_tail<T>(
        &mut self,
        mut items: Vec<T>,
        item: impl Fn(&mut Self) -> Parsed<T>,
    ) -> Parsed<Vec<T>> {
        loop {
            let before_comma = self.pos;
            if !self.eat(Token::Comma) {
                break;
            }
            match self.attempt(&item)? {
                Some(next) => items.push(next),
                None => {
                    self.pos = before_comma;
                    break;
                }
            }
        }
        items.shrink_to_fit();
        Ok(items)
    }

    /// `( item, item, ... )`, remembering where such a list missed (see `failed_lists`).
    fn parenthesised_list<T>(&mut self, item: impl Fn(&mut Self) -> Parsed<T>) -> Parsed<Vec<T>> {
        let start = self.pos;
        if self.failed_lists.contains(&start) {
            return Err(Fail::Miss);
        }
        let list = self.delimited(Token::LParen, item, Token::RParen);
        if matches!(list, Err(Fail::Miss)) {
            self.failed_lists.insert(start);
        }
        list
    }

    /// `open item, item, ... close`.
    fn delimited<T>(
        &mut self,
        open: Token<'s>,
        item: impl Fn(&mut Self) -> Parsed<T>,
        close: Token<'s>,
    ) -> Parsed<Vec<T>> {
        self.expect(open)?;
        let items = self.separated(item)?;
        self.expect(close)?;
        Ok(items)
    }
}
