//! Expressions: operators, postfix members and calls, operands and literals.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::{with_stack, Fail, Parsed, Parser};
use crate::syntax::ast::{BinaryOp, ConstructorArg, ConstructorKind, Expr, ExprKind, Ident, Path, UnaryOp};
use crate::syntax::parser::{apply_member, binary_op, climb, merge_pair_arguments, unescape, Tail};
use crate::syntax::span::Span;
use crate::syntax::token::{Soft, Token};

impl Parser<'_, '_> {
    /// A full expression: operands joined by operators, folded by precedence climbing.
    pub(super) fn expression(&mut self) -> Parsed<Expr> {
        with_stack(|| self.operators())
    }

    /// Operands joined by operators.
    fn operators(&mut self) -> Parsed<Expr> {
        let first = self.unary()?;
        let mut tails = Vec::new();
        while let Some(tail) = self.attempt(Self::tail)? {
            tails.push(tail);
        }
        if tails.is_empty() {
            return Ok(first);
        }
        Ok(climb(first, &mut tails.into_iter().peekable(), i32::MIN))
    }

    /// What may follow an operand: `op operand`, `is [not] null`, `not in operand`.
    fn tail(&mut self) -> Parsed<Tail> {
        let start = self.pos;
        let next = self.peek().ok_or(Fail::Miss)?;
        if let Some((op, level)) = binary_op(&next) {
            self.bump();
            return Ok(Tail::Infix(op, level, self.unary()?));
        }
        if self.soft(Soft::Is).is_ok() {
            let negated = self.soft(Soft::Not).is_ok();
            self.expect(Token::Null)?;
            let op = if negated {
                BinaryOp::Ne
            } else {
                BinaryOp::Eq
            };
            return Ok(Tail::IsNull(op, self.span_from(start)));
        }
        self.soft(Soft::Not)?;
        self.expect(Token::In)?;
        Ok(Tail::Infix(
            BinaryOp::NotIn,
            4,
            self.unary()?,
        ))
    }

    /// An operand with any number of prefix `!` / `-`.
    fn unary(&mut self) -> Parsed<Expr> {
        let start = self.pos;
        let op = match self.peek() {
            Some(Token::Bang) => UnaryOp::Not,
            Some(Token::Minus) => UnaryOp::Neg,
            _ => return self.postfix(),
        };
        self.bump();
        match with_stack(|| self.attempt(Self::unary))? {
            Some(operand) => Ok(Expr {
                kind: ExprKind::Unary {
                    op,
                    operand: Box::new(operand),
                },
                span: self.span_from(start),
            }),
            None => {
                self.pos = start;
                self.postfix()
            }
        }
    }

    /// An operand followed by any number of `.name` and `.name(args)`.
    fn postfix(&mut self) -> Parsed<Expr> {
        let start = self.pos;
        let mut expr = self.primary()?;
        while let Some((name, args)) = self.attempt(Self::member)? {
            expr = apply_member(expr, name, args, self.span_from(start));
        }
        Ok(expr)
    }

    /// `.name` with optional arguments.
    fn member(&mut self) -> Parsed<(Ident, Option<Vec<Expr>>)> {
        self.expect(Token::Dot)?;
        let name = self.ident()?;
        let args = self.attempt(Self::arguments)?;
        Ok((name, args))
    }

    /// The operand forms, in the chumsky grammar's order; the next token decides which can
    /// apply (only a word and `invokeurl` start more than one).
    fn primary(&mut self) -> Parsed<Expr> {
        match self.peek() {
            Some(Token::Word(w)) => {
                if w.soft == Soft::Insert {
                    if let Some(task) = self.attempt(Self::insert_into_expression)? {
                        return Ok(task);
                    }
                }
                self.name_or_call()
            }
            Some(Token::LParen) => self.parenthesised(),
            Some(Token::InvokeUrl) => match self.attempt(Self::keyed_task_expression)? {
                Some(task) => Ok(task),
                None => self.invoke_url_function(),
            },
            Some(Token::InvokeApi | Token::SendMail) => self.keyed_task_expression(),
            Some(Token::LBrace) => self.brace_literal(),
            Some(Token::LBracket) => self.bracket_list(),
            Some(Token::If) => self.conditional(),
            _ => self.literal(),
        }
    }

    /// A constructor, or a name with an optional fetch or call suffix.
    fn name_or_call(&mut self) -> Parsed<Expr> {
        if let Some(kind) = self.constructor_kind() {
            if let Some(constructor) = self.attempt(|p| p.constructor(kind))? {
                return Ok(constructor);
            }
        }
        let start = self.pos;
        let name = self.ident()?;
        let kind = match self.peek() {
            Some(Token::LBracket) => match self.attempt(Self::fetch_clauses)? {
                Some(clauses) => {
                    let fetch = clauses.into_fetch(name, self.span_from(start));
                    ExprKind::Fetch(Box::new(fetch))
                }
                None => ExprKind::Path(vec![name]),
            },
            Some(Token::LParen) => match self.attempt(Self::arguments)? {
                Some(args) => ExprKind::Call {
                    path: vec![name],
                    args,
                },
                None => ExprKind::Path(vec![name]),
            },
            _ => ExprKind::Path(self.path_with_room_for_members(name)),
        };
        Ok(Expr {
            kind,
            span: self.span_from(start),
        })
    }

    /// A path of `name`, with room for the `.word` members after the cursor, which the postfix
    /// loop appends (`parser::expr::apply_member`): a one-name path would grow to room for four,
    /// copied, and keep the spare room in the tree.
    fn path_with_room_for_members(&self, name: Ident) -> Path {
        let mut path = Vec::with_capacity(1 + self.members_at(self.pos));
        path.push(name);
        path
    }

    /// The constructor a `list` / `map` / `collection` word would start.
    fn constructor_kind(&self) -> Option<ConstructorKind> {
        match self.peek() {
            Some(Token::Word(w)) => match w.soft {
                Soft::List => Some(ConstructorKind::List),
                Soft::Map => Some(ConstructorKind::Map),
                Soft::Collection => Some(ConstructorKind::Collection),
                _ => None,
            },
            _ => None,
        }
    }

    /// `List()`, `list:String()`, `Map()`, `Collection("a": 1)`.
    fn constructor(&mut self, kind: ConstructorKind) -> Parsed<Expr> {
        let start = self.pos;
        self.bump();
        let elem_type = self.attempt(|p| {
            p.expect(Token::Colon)?;
            p.ident()
        })?;
        let args = self.parenthesised_list(Self::constructor_arg)?;
        Ok(Expr {
            kind: ExprKind::Constructor {
                kind,
                elem_type,
                args,
            },
            span: self.span_from(start),
        })
    }

    /// `value` or `key : value` in a constructor.
    fn constructor_arg(&mut self) -> Parsed<ConstructorArg> {
        Ok(match self.element()? {
            (first, Some(value)) => ConstructorArg::Pair(first, value),
            (value, None) => ConstructorArg::Value(value),
        })
    }

    /// `expression [: expression]`: an argument, a brace literal's element.
    fn element(&mut self) -> Parsed<(Expr, Option<Expr>)> {
        let first = self.expression()?;
        let value = self.attempt(|p| {
            p.expect(Token::Colon)?;
            p.expression()
        })?;
        Ok((first, value))
    }

    /// `( a, b, ... )`, runs of `key : value` pairs merged into one map argument.
    pub(super) fn arguments(&mut self) -> Parsed<Vec<Expr>> {
        let items = self.parenthesised_list(Self::element)?;
        Ok(merge_pair_arguments(items))
    }

    /// A literal token. An out-of-range number is an error the chumsky grammar reports.
    fn literal(&mut self) -> Parsed<Expr> {
        let (token, at) = self.tokens.get(self.pos).ok_or(Fail::Miss)?;
        let kind = match token {
            Token::Str(s) => ExprKind::Text(unescape(s).into()),
            Token::SingleQuoted(s) => ExprKind::SingleQuoted(unescape(s).into()),
            Token::True => ExprKind::Bool(true),
            Token::False => ExprKind::Bool(false),
            Token::Null => ExprKind::Null,
            Token::Int(text) => ExprKind::Number(text.parse().map_err(|_| Fail::GiveUp)?),
            Token::Decimal(text) => {
                ExprKind::Decimal(Decimal::from_str(text).map_err(|_| Fail::GiveUp)?)
            }
            _ => return Err(Fail::Miss),
        };
        self.bump();
        Ok(Expr {
            kind,
            span: Span::new(at.start, at.end),
        })
    }

    /// `( e )`: the inner expression, with its own span.
    fn parenthesised(&mut self) -> Parsed<Expr> {
        self.expect(Token::LParen)?;
        let inner = self.expression()?;
        self.expect(Token::RParen)?;
        Ok(inner)
    }

    /// Creator's `invokeUrl(url, type, ...)`: a call of the built-in `invokeUrl`.
    fn invoke_url_function(&mut self) -> Parsed<Expr> {
        let start = self.pos;
        self.expect(Token::InvokeUrl)?;
        let name = Ident {
            name: "invokeUrl".into(),
            span: self.span_from(start),
        };
        let args = self.arguments()?;
        Ok(Expr {
            kind: ExprKind::Call {
                path: vec![name],
                args,
            },
            span: self.span_from(start),
        })
    }

    /// `{}`, `{k: v, ...}` or `{a, b}`. Mixed elements are an error the chumsky grammar reports.
    fn brace_literal(&mut self) -> Parsed<Expr> {
        let start = self.pos;
        let elements = self.delimited(Token::LBrace, Self::element, Token::RBrace)?;
        let is_map = elements.first().is_none_or(|(_, value)| value.is_some());
        let kind = if is_map {
            let pairs = elements
                .into_iter()
                .map(|(key, value)| value.map(|value| (key, value)))
                .collect::<Option<Vec<_>>>();
            ExprKind::Map(pairs.ok_or(Fail::GiveUp)?)
        } else {
            let items = elements
                .into_iter()
                .map(|(item, value)| value.is_none().then_some(item))
                .collect::<Option<Vec<_>>>();
            ExprKind::List(items.ok_or(Fail::GiveUp)?)
        };
        Ok(Expr {
            kind,
            span: self.span_from(start),
        })
    }

    /// `[a, b]`
    fn bracket_list(&mut self) -> Parsed<Expr> {
        let start = self.pos;
        let items = self.delimited(Token::LBracket, Self::expression, Token::RBracket)?;
        Ok(Expr {
            kind: ExprKind::List(items),
            span: self.span_from(start),
        })
    }

    /// `if(cond, a, b)` in expression position.
    fn conditional(&mut self) -> Parsed<Expr> {
        let start = self.pos;
        self.expect(Token::If)?;
        self.expect(Token::LParen)?;
        let cond = self.expression()?;
        self.expect(Token::Comma)?;
        let then = self.expression()?;
        self.expect(Token::Comma)?;
        let otherwise = self.expression()?;
        self.expect(Token::RParen)?;
        Ok(Expr {
            kind: ExprKind::Conditional {
                cond: Box::new(cond),
                then: Box::new(then),
                otherwise: Box::new(otherwise),
            },
            span: self.span_from(start),
        })
    }
}
