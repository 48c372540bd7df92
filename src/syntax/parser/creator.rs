//! Zoho Creator host syntax: record fetches and the form statements.

use chumsky::prelude::*;

use super::common::{ident, path, soft, span, tok};
use super::expr::arguments;
use super::stmt::assign_op;
use super::{Label, P};
use crate::syntax::ast::{Expr, Fetch, Ident, Path, StmtKind};
use crate::syntax::span::Span;
use crate::syntax::token::{Soft, Token};

/// `Form[criteria]`, optionally `sort by Field [asc|desc]` and `range from a to b`.
pub fn fetch<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, Fetch> {
    ident()
        .then(fetch_clauses(expr))
        .map_with(|(form, clauses), e| clauses.into_fetch(form, span(e.span())))
        .boxed()
}

/// What follows the form name of a fetch.
pub struct FetchClauses {
    /// `[criteria]`, `None` for `[]`.
    pub criteria: Option<Expr>,
    /// `sort by Field`, `true` for descending.
    pub sort_by: Option<(Path, bool)>,
    /// `range from a to b`.
    pub range: Option<(Expr, Expr)>,
}

impl FetchClauses {
    /// The fetch of `form` with these clauses, spanning `whole`.
    pub fn into_fetch(self, form: Ident, whole: Span) -> Fetch {
        Fetch {
            form,
            criteria: self.criteria,
            sort_by: self.sort_by,
            range: self.range,
            span: whole,
        }
    }
}

/// `[criteria]`, optionally `sort by Field [asc|desc]` and `range from a to b`: a fetch after
/// its form name.
pub fn fetch_clauses<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, FetchClauses> {
    let order = select! {
        Token::Word(w) if w.soft == Soft::Asc => false,
        Token::Word(w) if w.soft == Soft::Desc => true,
    };
    let sort_by = soft(Soft::Sort, Label::Keyword)
        .ignore_then(soft(Soft::By, Label::By))
        .ignore_then(path())
        .then(order.or_not().map(|desc| desc.unwrap_or(false)));
    let range = soft(Soft::Range, Label::Keyword)
        .ignore_then(soft(Soft::From, Label::From))
        .ignore_then(expr.clone())
        .then_ignore(soft(Soft::To, Label::To))
        .then(expr.clone());
    expr.or_not()
        .delimited_by(tok(Token::LBracket), tok(Token::RBracket))
        .then(sort_by.or_not())
        .then(range.or_not())
        .map(|((criteria, sort_by), range)| FetchClauses {
            criteria,
            sort_by,
            range,
        })
        .boxed()
}

/// `delete from Form[criteria]`
pub fn delete_from<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, StmtKind> {
    soft(Soft::Delete, Label::Keyword)
        .ignore_then(soft(Soft::From, Label::From))
        .ignore_then(fetch(expr))
        .map(|fetch| StmtKind::DeleteFrom(Box::new(fetch)))
        .boxed()
}

/// `Form[criteria].Field = value` (a record update), also with `+=`, `-=`, ...
pub fn update_record<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, StmtKind> {
    let op = chumsky::primitive::select(|token: Token<'s>, _| assign_op(&token));
    fetch(expr.clone())
        .then_ignore(tok(Token::Dot))
        .then(path())
        .then(op)
        .then(expr)
        .map(|(((fetch, field), op), value)| StmtKind::UpdateRecord {
            fetch: Box::new(fetch),
            field,
            op,
            value,
        })
        .boxed()
}

/// `hide F`, `show Sub.F`, `enable a, b`, `disable F`, `clear F`
pub fn form_ui<'t, 's: 't>() -> P<'t, 's, StmtKind> {
    let action = select! {
        Token::Word(w) = e if matches!(w.soft, Soft::Hide | Soft::Show | Soft::Enable | Soft::Disable | Soft::Clear) =>
            Ident { name: w.text.into(), span: span(e.span()) },
    };
    action
        .then(
            path()
                .separated_by(tok(Token::Comma))
                .at_least(1)
                .collect::<Vec<_>>(),
        )
        .map(|(action, fields)| StmtKind::FormUi { action, fields })
        .boxed()
}

/// `alert "text"`
pub fn alert<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, StmtKind> {
    soft(Soft::Alert, Label::Keyword)
        .ignore_then(expr)
        .map(StmtKind::Alert)
        .boxed()
}

/// `cancel submit`, `cancel delete`
pub fn cancel<'t, 's: 't>() -> P<'t, 's, StmtKind> {
    soft(Soft::Cancel, Label::Keyword)
        .ignore_then(ident())
        .map(StmtKind::Cancel)
        .boxed()
}

/// `row.Product:ui.add(list)`, `input.F:ui.append(x)`
pub fn field_ui<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, StmtKind> {
    path()
        .then_ignore(tok(Token::Colon))
        .then(path())
        .then(arguments(expr))
        .map(|((field, action), args)| StmtKind::FieldUi {
            field,
            action,
            args,
        })
        .boxed()
}
