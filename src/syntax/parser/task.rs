//! Bracket task blocks: `invokeurl`, `invokeapi`, `sendmail` and Creator `insert into`.

use chumsky::prelude::*;

use super::common::{ident, soft, span, tok};
use super::{GrammarProblem, Label, ParseError, P};
use crate::syntax::ast::{Expr, ExprKind, Task, TaskKind, TaskParam, TaskValue};
use crate::syntax::span::Span;
use crate::syntax::token::{Soft, Token};

/// `invokeurl [..]`, `invokeapi [..]` or `sendmail [..]` as an expression (also the value of
/// an assignment or a statement).
pub fn keyed_task_expression<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, Expr> {
    task_as_expression(keyed_task(expr))
}

/// Creator `insert into Form [..]` as an expression.
pub fn insert_into_expression<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, Expr> {
    task_as_expression(insert_into(expr))
}

/// A task as an expression node spanning the whole task.
fn task_as_expression<'t, 's: 't>(task: P<'t, 's, Task>) -> P<'t, 's, Expr> {
    task.map_with(|task: Task, e| Expr {
        kind: ExprKind::Task(Box::new(task)),
        span: span(e.span()),
    })
    .boxed()
}

/// `invokeurl [ key : value ... ]`, likewise `invokeapi` and `sendmail`.
fn keyed_task<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, Task> {
    let kind = select! {
        Token::InvokeUrl = e => (TaskKind::InvokeUrl, e.span()),
        Token::InvokeApi = e => (TaskKind::InvokeApi, e.span()),
        Token::SendMail = e => (TaskKind::SendMail, e.span()),
    };
    let entry_start = task_key().then(tok(Token::Colon));
    let more_values = tok(Token::Comma)
        .ignore_then(expr.clone().and_is(entry_start.not()))
        .repeated()
        .collect::<Vec<_>>();
    let entry = task_key()
        .then_ignore(tok(Token::Colon))
        .then(task_value(expr))
        .then(more_values)
        .validate(|(((key, key_span), value), more), _, emitter| {
            let value = if more.is_empty() {
                value
            } else {
                recipient_list(&key, value, more, emitter)
            };
            TaskParam {
                key: key.into(),
                key_span,
                value,
            }
        });
    kind.then(entries(entry.boxed()))
        .map(|((kind, keyword), params)| Task {
            kind,
            keyword_span: span(keyword),
            params,
        })
        .boxed()
}

/// The keys whose value may be a comma-separated list of expressions (`to: a, b`).
pub const RECIPIENT_KEYS: [&str; 5] = ["to", "cc", "bcc", "reply to", "reply-to"];

/// `to: a, b, c`: the values as one LIST expression. Only the recipient keys of `sendmail` take
/// a list this way; after any other key the extra values are reported.
fn recipient_list<'s>(
    key: &str,
    first: TaskValue,
    more: Vec<Expr>,
    emitter: &mut chumsky::input::Emitter<ParseError<'s>>,
) -> TaskValue {
    let TaskValue::Expr(first) = first else {
        return first;
    };
    let whole = more
        .last()
        .map_or(first.span, |last| first.span.to(last.span));
    if !RECIPIENT_KEYS.contains(&key) {
        let extra = match (more.first(), more.last()) {
            (Some(first_extra), Some(last)) => first_extra.span.to(last.span),
            _ => whole,
        };
        emitter.emit(ParseError::problem(
            SimpleSpan::from(extra.start as usize..extra.end as usize),
            GrammarProblem::Message {
                message: format!("`{key}:` takes one value, not a comma-separated list"),
                hint: Some(
                    "only to, cc, bcc and reply to take several values; write a list as {a, b}"
                        .into(),
                ),
            },
        ));
        return TaskValue::Expr(first);
    }
    let mut items = Vec::with_capacity(more.len() + 1);
    items.push(first);
    items.extend(more);
    TaskValue::Expr(Expr {
        kind: ExprKind::List(items),
        span: whole,
    })
}

/// `[ entry entry ... ]`, entries separated by line breaks or commas.
fn entries<'t, 's: 't>(entry: P<'t, 's, TaskParam>) -> P<'t, 's, Vec<TaskParam>> {
    entry
        .then_ignore(tok(Token::Comma).or_not())
        .repeated()
        .collect::<Vec<_>>()
        .delimited_by(tok(Token::LBracket), tok(Token::RBracket))
        .boxed()
}

/// A task key: words joined by spaces or `-` (`url`, `content type`, `content-type`),
/// normalised to lower case with single separators.
fn task_key<'t, 's: 't>() -> P<'t, 's, (String, Span)> {
    let word = select! { Token::Word(w) => w.text };
    let separator = tok(Token::Minus).to('-').or_not().map(|s| s.unwrap_or(' '));
    word.then(separator.then(word).repeated().collect::<Vec<_>>())
        .map_with(|(first, rest), e| {
            let mut key = first.to_ascii_lowercase();
            for (separator, word) in rest {
                key.push(separator);
                key.push_str(&word.to_ascii_lowercase());
            }
            (key, span(e.span()))
        })
        .labelled(Label::TaskKey)
        .boxed()
}

/// A task value: `:tag:value [:Form recordId] [as FORMAT]` (`Attachments :file:pdf`,
/// `:template:Quote as PDF`, `template:Invoice_PDF:Invoice recId as PDF`) or an expression.
fn task_value<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, TaskValue> {
    let as_word = select! { Token::Word(w) if w.text.eq_ignore_ascii_case("as") => () };
    let record = tok(Token::Colon).ignore_then(ident()).then(expr.clone());
    let tagged = ident()
        .then_ignore(tok(Token::Colon))
        .then(expr.clone())
        .then(record.or_not())
        .then(as_word.ignore_then(ident()).or_not())
        .map(|(((tag, value), record), format)| TaskValue::Tagged {
            tag,
            value,
            record,
            format,
        });
    tagged.or(expr.map(TaskValue::Expr)).boxed()
}

/// Creator `insert into Form [ Field = value ... ]`.
fn insert_into<'t, 's: 't>(expr: P<'t, 's, Expr>) -> P<'t, 's, Task> {
    let entry = ident()
        .then_ignore(tok(Token::Assign))
        .then(expr)
        .map(|(field, value)| TaskParam {
            key: field.name.clone(),
            key_span: field.span,
            value: TaskValue::Expr(value),
        });
    soft(Soft::Insert, Label::Keyword)
        .ignore_then(soft(Soft::Into, Label::Into))
        .ignore_then(ident())
        .map_with(|form, e| (form, span(e.span())))
        .then(entries(entry.boxed()))
        .map(|((form, keyword), params)| Task {
            kind: TaskKind::InsertInto(form),
            keyword_span: keyword,
            params,
        })
        .boxed()
}
