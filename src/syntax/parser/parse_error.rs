//! The parser's error type: allocation-free "expected / found" sets (bitsets of token kinds and
//! labels), so failed alternatives during normal parsing cost almost nothing.

use std::fmt;

use chumsky::error::{Error, LabelError};
use chumsky::span::SimpleSpan;
use chumsky::util::MaybeRef;
use chumsky::DefaultExpected;

use super::Tokens;
use crate::syntax::token::Token;

/// Named things the grammar can expect, besides single tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Label {
    /// A name (identifier or soft keyword).
    Name,
    /// A literal value.
    Value,
    /// An expression.
    Expression,
    /// A statement.
    Statement,
    /// A call's argument list.
    Arguments,
    /// A task block key.
    TaskKey,
    /// `each` (after `for`).
    Each,
    /// `index`.
    Index,
    /// `into` (after `insert`).
    Into,
    /// `from` (after `delete` or `range`).
    From,
    /// `by` (after `sort`).
    By,
    /// `to` (in `range from a to b`).
    To,
    /// `not` (in `not in`).
    Not,
    /// Any other soft keyword.
    Keyword,
}

impl Label {
    /// How the label reads in an "expected ..." list.
    pub fn describe(self) -> &'static str {
        match self {
            Label::Name => "a name",
            Label::Value => "a value",
            Label::Expression => "an expression",
            Label::Statement => "a statement",
            Label::Arguments => "arguments",
            Label::TaskKey => "a task key",
            Label::Each => "'each'",
            Label::Index => "'index'",
            Label::Into => "'into'",
            Label::From => "'from'",
            Label::By => "'by'",
            Label::To => "'to'",
            Label::Not => "'not'",
            Label::Keyword => "a keyword",
        }
    }

    /// Every label, in bit order.
    pub const ALL: [Label; 14] = [
        Label::Name,
        Label::Value,
        Label::Expression,
        Label::Statement,
        Label::Arguments,
        Label::TaskKey,
        Label::Each,
        Label::Index,
        Label::Into,
        Label::From,
        Label::By,
        Label::To,
        Label::Not,
        Label::Keyword,
    ];
}

/// Problems the grammar reports itself (besides "expected X, found Y").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GrammarProblem {
    /// A statement that ends at a line break or `}` without its `;`.
    MissingSemicolon,
    /// An integer literal that does not fit in 64 bits (or a decimal beyond 28 digits).
    NumberTooBig,
    /// A `}` with no block to close.
    StrayBrace,
    /// A block still open at the end of the input.
    UnclosedBlock,
    /// Any other message, with an optional hint.
    Message {
        /// The headline.
        message: String,
        /// How to fix it.
        hint: Option<String>,
    },
}

/// What could have come next: token kinds, labels, and the end of input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Expected {
    /// Bit `k` set: a token of kind `k` ([`Token::kind`]).
    pub tokens: u64,
    /// Bit `l` set: label `l` ([`Label`] as `u8`).
    pub labels: u16,
    /// The end of the input.
    pub end: bool,
}

impl Expected {
    fn add_token(&mut self, token: &Token<'_>) {
        self.tokens |= 1 << token.kind();
    }

    fn union(&mut self, other: Expected) {
        self.tokens |= other.tokens;
        self.labels |= other.labels;
        self.end |= other.end;
    }

    /// Whether `label` is expected.
    pub fn has_label(&self, label: Label) -> bool {
        self.labels & (1 << label as u8) != 0
    }
}

/// One parse error: where, what was found, what was expected, or a [`GrammarProblem`].
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError<'s> {
    /// The offending range.
    pub span: SimpleSpan,
    /// The token found there, `None` at the end of input.
    pub found: Option<Token<'s>>,
    /// What would have been accepted.
    pub expected: Expected,
    /// A problem reported by the grammar itself, if this is one.
    pub problem: Option<Box<GrammarProblem>>,
}

impl<'s> ParseError<'s> {
    /// A problem found by the grammar at `span`.
    pub fn problem(span: SimpleSpan, problem: GrammarProblem) -> Self {
        ParseError {
            span,
            found: None,
            expected: Expected::default(),
            problem: Some(Box::new(problem)),
        }
    }

    /// "Expected `wanted`, found `found`" at `span`.
    pub fn expected_token(wanted: Token<'s>, found: Option<Token<'s>>, span: SimpleSpan) -> Self {
        let mut expected = Expected::default();
        expected.add_token(&wanted);
        ParseError {
            span,
            found,
            expected,
            problem: None,
        }
    }

    /// "Expected `label`, found `found`" at `span`.
    pub fn expected_label(label: Label, found: Option<Token<'s>>, span: SimpleSpan) -> Self {
        let expected = Expected {
            labels: 1 << label as u8,
            ..Expected::default()
        };
        ParseError {
            span,
            found,
            expected,
            problem: None,
        }
    }
}

impl fmt::Display for ParseError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.problem, &self.found) {
            (Some(problem), _) => write!(f, "{problem:?}"),
            (None, Some(found)) => write!(f, "unexpected {}", found.describe()),
            (None, None) => f.write_str("unexpected end of input"),
        }
    }
}

impl<'t, 's: 't> Error<'t, Tokens<'t, 's>> for ParseError<'s> {
    #[inline]
    fn merge(mut self, other: Self) -> Self {
        self.expected.union(other.expected);
        if self.problem.is_none() {
            self.problem = other.problem;
        }
        self
    }
}

impl<'t, 's: 't> LabelError<'t, Tokens<'t, 's>, DefaultExpected<'t, Token<'s>>> for ParseError<'s> {
    #[inline]
    fn expected_found<E: IntoIterator<Item = DefaultExpected<'t, Token<'s>>>>(
        expected: E,
        found: Option<MaybeRef<'t, Token<'s>>>,
        span: SimpleSpan,
    ) -> Self {
        let mut error = ParseError {
            span,
            found: found.map(|t| *t),
            expected: Expected::default(),
            problem: None,
        };
        add_default_expected(&mut error.expected, expected);
        error
    }

    #[inline]
    fn merge_expected_found<E: IntoIterator<Item = DefaultExpected<'t, Token<'s>>>>(
        mut self,
        expected: E,
        _found: Option<MaybeRef<'t, Token<'s>>>,
        _span: SimpleSpan,
    ) -> Self {
        add_default_expected(&mut self.expected, expected);
        self
    }

    #[inline]
    fn replace_expected_found<E: IntoIterator<Item = DefaultExpected<'t, Token<'s>>>>(
        mut self,
        expected: E,
        found: Option<MaybeRef<'t, Token<'s>>>,
        span: SimpleSpan,
    ) -> Self {
        self.span = span;
        self.found = found.map(|t| *t);
        self.expected = Expected::default();
        self.problem = None;
        add_default_expected(&mut self.expected, expected);
        self
    }
}

fn add_default_expected<'t, 's: 't>(
    into: &mut Expected,
    expected: impl IntoIterator<Item = DefaultExpected<'t, Token<'s>>>,
) {
    for item in expected {
        match item {
            DefaultExpected::Token(token) => into.add_token(&token),
            DefaultExpected::EndOfInput => into.end = true,
            _ => {}
        }
    }
}

impl<'t, 's: 't> LabelError<'t, Tokens<'t, 's>, Label> for ParseError<'s> {
    #[inline]
    fn expected_found<E: IntoIterator<Item = Label>>(
        expected: E,
        found: Option<MaybeRef<'t, Token<'s>>>,
        span: SimpleSpan,
    ) -> Self {
        let mut labels = 0;
        for label in expected {
            labels |= 1 << label as u8;
        }
        ParseError {
            span,
            found: found.map(|t| *t),
            expected: Expected {
                labels,
                ..Expected::default()
            },
            problem: None,
        }
    }

    #[inline]
    fn label_with(&mut self, label: Label) {
        self.expected = Expected {
            labels: 1 << label as u8,
            ..Expected::default()
        };
    }
}
