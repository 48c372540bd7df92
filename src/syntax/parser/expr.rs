//! Expressions: postfix member access and calls, and primary forms (operators are in
//! [`super::operators`]).

use chumsky::prelude::*;

use super::common::{ident, span, tok, tok_labelled};
use super::operators::operators;
use super::{creator, literal, task, GrammarProblem, Label, ParseError, P};
use crate::syntax::ast::{ConstructorArg, ConstructorKind, Expr, ExprKind, Ident};
use crate::syntax::span::Span;
use crate::syntax::token::{Soft, Token};

/// A full expression. `=` inside an expression is equality (assignment is a statement).
pub fn expression<'t, 's: 't>() -> P<'t, 's, Expr> {
    recursive(|expr| {
        let expr: P<'t, 's, Expr> = expr.boxed();
        operators(postfix(primary(expr.clone()), expr))
    })
    .labelled(Label::Expression)
    .boxed()
}

/// `.name` and `.name(args)` after an operand. On a plain path, `.name` extends the path and
/// `.name(args)` makes a [`ExprKind::Call`] on it; on anything else they make a
/// [`ExprKind::Field`] or [`ExprKind::MethodCall`].
fn postfix<'t, 's: 't>(atom: P<'t, 's, Expr>, expr: P<'t, 's, Expr>) -> P<'t, 's, Expr> {
    let member = tok(Token::Dot)
        .ignore_then(ident())
        .then(arguments(expr).or_not());
    atom.foldl_with(member.repeated(), |object, (name, args), e| {
        let whole = span(e.span());
        apply_member(object, name, args, whole)
    })
    .boxed()
}

/// Builds the node for `object.name` / `object.name(args)`.
pub fn apply_member(object: Expr, name: Ident, args: Option<Vec<Expr>>, whole: Span) -> Expr {
    let kind = match (object.kind, args) {
        (ExprKind::Path(mut path), None) => {
            path.push(name);
            ExprKind::Path(path)
        }
        (ExprKind::Path(mut path), Some(args)) => {
            path.push(name);
            ExprKind::Call { path, args }
        }
        (kind, None) => ExprKind::Field {
            object: Box::new(Expr {
                kind,
                span: object.span,
            }),
            field: name,
        },
        (kind, Some(args)) => ExprKind::MethodCall {
            receiver: Box::new(Expr {
                kind,
                span: object.span,
            }),
            method: name,
            args,
        },
    };
    Expr { kind, span: whole }
}

/// `( a, b, ... )`
///
/// Collection methods take `key : value` pairs (`c.insert("a": 1, "b": 2)`): consecutive pairs
/// become one KEY-VALUE argument.
///
/// Memoized (where a list failed is remembered), as is a constructor's: a constructor that fails
/// is read again as a name, and its list again as a call's (`List(..)`, or `list` then the pair
/// `: T(..)` for `list:T(..)`); without the memo, nested ones with an error inside
/// (`List(List(List(..`) doubled the work at each level.
pub fn arguments<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, Vec<Expr>> {
    expr.clone()
        .then(tok(Token::Colon).ignore_then(expr).or_not())
        .separated_by(tok(Token::Comma))
        .collect::<Vec<_>>()
        .delimited_by(
            tok_labelled(Token::LParen, Label::Arguments),
            tok(Token::RParen),
        )
        .map(merge_pair_arguments)
        .memoized()
        .boxed()
}

/// Turns parsed arguments into expressions, merging runs of `key : value` pairs into one map.
pub fn merge_pair_arguments(items: Vec<(Expr, Option<Expr>)>) -> Vec<Expr> {
    let mut args: Vec<Expr> = Vec::with_capacity(items.len());
    let mut open_map = false;
    for (first, value) in items {
        match value {
            None => {
                open_map = false;
                args.push(first);
            }
            Some(value) => {
                let pair_span = first.span.to(value.span);
                match args.last_mut() {
                    Some(Expr {
                        kind: ExprKind::Map(pairs),
                        span,
                    }) if open_map => {
                        *span = span.to(pair_span);
                        pairs.push((first, value));
                    }
                    _ => args.push(Expr {
                        kind: ExprKind::Map(vec![(first, value)]),
                        span: pair_span,
                    }),
                }
                open_map = true;
            }
        }
    }
    args
}

/// The operand forms, the common ones first: word-led forms (`insert into` before the plain
/// name, as both start with a word), literals, then the rest. Alternatives that start with
/// different tokens cannot both match, and the errors of those failing at the first token are
/// merged whatever their order, so the order only saves failed tries.
fn primary<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, Expr> {
    choice((
        task::insert_into_expression(expr.clone()),
        name_or_call(expr.clone()),
        literal::literal(),
        parenthesised(expr.clone()),
        task::keyed_task_expression(expr.clone()),
        invoke_url_function(expr.clone()),
        brace_literal(expr.clone()),
        bracket_list(expr.clone()),
        conditional(expr),
    ))
    .boxed()
}

/// Creator's legacy function form `invokeUrl(url, type[, body][, headers][, simple])`: a call
/// of the built-in `invokeUrl` (the keyword otherwise opens an `invokeurl [..]` block).
fn invoke_url_function<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, Expr> {
    select! {
        Token::InvokeUrl = e => Ident { name: "invokeUrl".into(), span: span(e.span()) },
    }
    .then(arguments(expr))
    .map_with(|(name, args), e| Expr {
        kind: ExprKind::Call {
            path: vec![name],
            args,
        },
        span: span(e.span()),
    })
    .boxed()
}

/// A word-led operand: a constructor `List()`, a fetch `Form[..]`, a call `f(..)`, or a name.
/// The name is read once; a fetch's clauses are tried before call arguments.
fn name_or_call<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, Expr> {
    let suffix = choice((
        creator::fetch_clauses(expr.clone()).map(|clauses| Suffix::Fetch(Box::new(clauses))),
        arguments(expr.clone()).map(Suffix::Arguments),
    ));
    let named = ident()
        .then(suffix.or_not())
        .map_with(|(name, suffix), e| name_with_suffix(name, suffix, span(e.span())));
    choice((constructor(expr), named)).boxed()
}

/// What may follow the name of a word-led operand.
enum Suffix {
    /// `[criteria] ...`: a record fetch.
    Fetch(Box<creator::FetchClauses>),
    /// `(args)`: a call.
    Arguments(Vec<Expr>),
}

/// The operand for `name` followed by `suffix`, spanning `whole`.
fn name_with_suffix(name: Ident, suffix: Option<Suffix>, whole: Span) -> Expr {
    let kind = match suffix {
        Some(Suffix::Fetch(clauses)) => ExprKind::Fetch(Box::new(clauses.into_fetch(name, whole))),
        Some(Suffix::Arguments(args)) => ExprKind::Call {
            path: vec![name],
            args,
        },
        None => ExprKind::Path(vec![name]),
    };
    Expr { kind, span: whole }
}

/// `List()`, `list:String()`, `Map()`, `Collection()`, `Collection("a": 1)` in any case.
fn constructor<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, Expr> {
    let kind = select! {
        Token::Word(w) if w.soft == Soft::List => ConstructorKind::List,
        Token::Word(w) if w.soft == Soft::Map => ConstructorKind::Map,
        Token::Word(w) if w.soft == Soft::Collection => ConstructorKind::Collection,
    };
    let arg = expr
        .clone()
        .then(tok(Token::Colon).ignore_then(expr).or_not())
        .map(|(first, second)| match second {
            Some(value) => ConstructorArg::Pair(first, value),
            None => ConstructorArg::Value(first),
        });
    kind.then(tok(Token::Colon).ignore_then(ident()).or_not())
        .then(
            arg.separated_by(tok(Token::Comma))
                .collect::<Vec<_>>()
                .delimited_by(tok(Token::LParen), tok(Token::RParen))
                .memoized(),
        )
        .map_with(|((kind, elem_type), args), e| Expr {
            kind: ExprKind::Constructor {
                kind,
                elem_type,
                args,
            },
            span: span(e.span()),
        })
        .boxed()
}

/// `( e )`
fn parenthesised<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, Expr> {
    expr.delimited_by(tok(Token::LParen), tok(Token::RParen))
        .boxed()
}

/// `{}` (empty map), `{k: v, ...}` (map) or `{a, b}` (list): a map when the first element is a
/// `key : value` pair.
fn brace_literal<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, Expr> {
    let element = expr
        .clone()
        .then(tok(Token::Colon).ignore_then(expr).or_not());
    element
        .separated_by(tok(Token::Comma))
        .collect::<Vec<_>>()
        .delimited_by(tok(Token::LBrace), tok(Token::RBrace))
        .validate(|elements, e, emitter| {
            let whole = e.span();
            let kind = brace_kind(elements, whole, emitter);
            Expr {
                kind,
                span: span(whole),
            }
        })
        .boxed()
}

/// Decides list or map for a brace literal, reporting elements of the wrong shape.
fn brace_kind<'s>(
    elements: Vec<(Expr, Option<Expr>)>,
    whole: SimpleSpan,
    emitter: &mut chumsky::input::Emitter<ParseError<'s>>,
) -> ExprKind {
    let is_map = elements.first().is_none_or(|(_, value)| value.is_some());
    let mut mixed = false;
    let kind = if is_map {
        let mut pairs = Vec::with_capacity(elements.len());
        for (key, value) in elements {
            match value {
                Some(value) => pairs.push((key, value)),
                None => mixed = true,
            }
        }
        ExprKind::Map(pairs)
    } else {
        let mut items = Vec::with_capacity(elements.len());
        for (item, value) in elements {
            mixed |= value.is_some();
            items.push(item);
        }
        ExprKind::List(items)
    };
    if mixed {
        emitter.emit(ParseError::problem(
            whole,
            GrammarProblem::Message {
                message: "A literal in braces mixes 'key: value' pairs and plain values".into(),
                hint: Some("write {\"k\": v, ...} for a map or {a, b} for a list".into()),
            },
        ));
    }
    kind
}

/// `[a, b]`, a JSON-style list.
fn bracket_list<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, Expr> {
    expr.separated_by(tok(Token::Comma))
        .collect::<Vec<_>>()
        .delimited_by(tok(Token::LBracket), tok(Token::RBracket))
        .map_with(|items, e| Expr {
            kind: ExprKind::List(items),
            span: span(e.span()),
        })
        .boxed()
}

/// `if(cond, a, b)` in expression position.
fn conditional<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, Expr> {
    tok(Token::If)
        .ignore_then(
            expr.clone()
                .then_ignore(tok(Token::Comma))
                .then(expr.clone())
                .then_ignore(tok(Token::Comma))
                .then(expr)
                .delimited_by(tok(Token::LParen), tok(Token::RParen)),
        )
        .map_with(|((cond, then), otherwise), e| Expr {
            kind: ExprKind::Conditional {
                cond: Box::new(cond),
                then: Box::new(then),
                otherwise: Box::new(otherwise),
            },
            span: span(e.span()),
        })
        .boxed()
}
