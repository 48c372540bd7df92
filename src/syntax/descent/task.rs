//! Task blocks (`invokeurl`, `invokeapi`, `sendmail`, `insert into`) and record fetches.

use super::{Fail, Parsed, Parser};
use crate::syntax::ast::{
    Expr, ExprKind, Fetch, Path, Task, TaskKind, TaskParam, TaskValue,
};
use crate::syntax::parser::{FetchClauses, RECIPIENT_KEYS};
use crate::syntax::span::Span;
use crate::syntax::token::{Soft, Token};

impl Parser<'_, '_> {
    /// `Form[criteria] [sort by F [asc|desc]] [range from a to b]`
    pub(super) fn fetch(&mut self) -> Parsed<Fetch> {
        let start = self.pos;
        let form = self.ident()?;
        let clauses = self.fetch_clauses()?;
        Ok(clauses.into_fetch(form, self.span_from(start)))
    }

    /// A fetch after its form name.
    pub(super) fn fetch_clauses(&mut self) -> Parsed<FetchClauses> {
        self.expect(Token::LBracket)?;
        let criteria = self.attempt(Self::expression)?;
        self.expect(Token::RBracket)?;
        let sort_by = self.attempt(Self::sort_clause)?;
        let range = self.attempt(Self::range_clause)?;
        Ok(FetchClauses {
            criteria,
            sort_by,
            range,
        })
    }

    /// `sort by Field [asc|desc]`, `true` for descending.
    fn sort_clause(&mut self) -> Parsed<(Path, bool)> {
        self.soft(Soft::Sort)?;
        self.soft(Soft::By)?;
        let field = self.path()?;
        let descending = match self.peek() {
            Some(Token::Word(w)) if matches!(w.soft, Soft::Asc | Soft::Desc) => {
                self.bump();
                w.soft == Soft::Desc
            }
            _ => false,
        };
        Ok((field, descending))
    }

    /// `range from a to b`
    fn range_clause(&mut self) -> Parsed<(Expr, Expr)> {
        self.soft(Soft::Range)?;
        self.soft(Soft::From)?;
        let from = self.expression()?;
        self.soft(Soft::To)?;
        let to = self.expression()?;
        Ok((from, to))
    }

    /// `invokeurl [..]`, `invokeapi [..]` or `sendmail [..]` as an expression.
    pub(super) fn keyed_task_expression(&mut self) -> Parsed<Expr> {
        let start = self.pos;
        let kind = match self.peek() {
            Some(Token::InvokeUrl) => TaskKind::InvokeUrl,
            Some(Token::InvokeApi) => TaskKind::InvokeApi,
            Some(Token::SendMail) => TaskKind::SendMail,
            _ => return Err(Fail::Miss),
        };
        self.bump();
        let keyword_span = self.span_from(start);
        let params = self.entries(Self::keyed_entry)?;
        Ok(self.task_expression(start, kind, keyword_span, params))
    }

    /// Creator `insert into Form [ Field = value ... ]` as an expression.
    pub(super) fn insert_into_expression(&mut self) -> Parsed<Expr> {
        let start = self.pos;
        self.soft(Soft::Insert)?;
        self.soft(Soft::Into)?;
        let form = self.ident()?;
        let keyword_span = self.span_from(start);
        let params = self.entries(Self::insert_entry)?;
        Ok(self.task_expression(start, TaskKind::InsertInto(form), keyword_span, params))
    }

    /// A task node spanning from the token at `start` to here.
    fn task_expression(
        &self,
        start: usize,
        kind: TaskKind,
        keyword_span: Span,
        params: Vec<TaskParam>,
    ) -> Expr {
        let task = Task {
            kind,
            keyword_span,
            params,
        };
        Expr {
            kind: ExprKind::Task(Box::new(task)),
            span: self.span_from(start),
        }
    }

    /// `[ entry [,] entry [,] ... ]`
    fn entries(&mut self, entry: fn(&mut Self) -> Parsed<TaskParam>) -> Parsed<Vec<TaskParam>> {
        self.expect(Token::LBracket)?;
        let mut params = Vec::new();
        while let Some(param) = self.attempt(entry)? {
            params.push(param);
            self.eat(Token::Comma);
        }
        self.expect(Token::RBracket)?;
        Ok(params)
    }

    /// `Field = value` in `insert into`.
    fn insert_entry(&mut self) -> Parsed<TaskParam> {
        let field = self.ident()?;
        self.expect(Token::Assign)?;
        let value = self.expression()?;
        Ok(TaskParam {
            key: field.name.clone(),
            key_span: field.span,
            value: TaskValue::Expr(value),
        })
    }

    /// `key : value [, more values]` in a keyed task.
    fn keyed_entry(&mut self) -> Parsed<TaskParam> {
        let (key, key_span) = self.task_key()?;
        self.expect(Token::Colon)?;
        let value = self.task_value()?;
        let mut more = Vec::new();
        while let Some(value) = self.attempt(Self::more_value)? {
            more.push(value);
        }
        let value = if more.is_empty() {
            value
        } else {
            recipient_list(&key, value, more)?
        };
        Ok(TaskParam {
            key: key.into(),
            key_span,
            value,
        })
    }

    /// `, expression` after an entry's value, unless a `key :` (the next entry) follows the
    /// comma.
    fn more_value(&mut self) -> Parsed<Expr> {
        self.expect(Token::Comma)?;
        if self.key_end().is_some_and(|end| self.is_at(end, Token::Colon)) {
            return Err(Fail::Miss);
        }
        self.expression()
    }

    /// Where the task key starting at the cursor would end: `word ([-] word)*`.
    fn key_end(&self) -> Option<usize> {
        let is_word = |i: usize| matches!(self.token_at(i), Some(Token::Word(_)));
        if !is_word(self.pos) {
            return None;
        }
        let mut end = self.pos + 1;
        loop {
            if is_word(end) {
                end += 1;
            } else if self.is_at(end, Token::Minus) && is_word(end + 1) {
                end += 2;
            } else {
                return Some(end);
            }
        }
    }

    /// A task key, lower-cased with single separators (`content type`, `content-type`).
    fn task_key(&mut self) -> Parsed<(String, Span)> {
        let start = self.pos;
        let end = self.key_end().ok_or(Fail::Miss)?;
        let mut key = String::new();
        let mut separator = None;
        for (token, _) in &self.tokens[start..end] {
            match token {
                Token::Word(w) => {
                    if !key.is_empty() {
                        key.push(separator.take().unwrap_or(' '));
                    }
                    key.push_str(&w.text.to_ascii_lowercase());
                }
                _ => separator = Some('-'),
            }
        }
        self.pos = end;
        Ok((key, self.span_from(start)))
    }

    /// `:tag:value [:Form recordId] [as FORMAT]` or an expression.
    fn task_value(&mut self) -> Parsed<TaskValue> {
        let tagged =
            matches!(self.peek(), Some(Token::Word(_))) && self.is_at(self.pos + 1, Token::Colon);
        if tagged {
            if let Some(value) = self.attempt(Self::tagged_value)? {
                return Ok(value);
            }
        }
        Ok(TaskValue::Expr(self.expression()?))
    }

    /// `tag : value [: Form recordId] [as FORMAT]`
    fn tagged_value(&mut self) -> Parsed<TaskValue> {
        let tag = self.ident()?;
        self.expect(Token::Colon)?;
        let value = self.expression()?;
        let record = self.attempt(|p| {
            p.expect(Token::Colon)?;
            let form = p.ident()?;
            Ok((form, p.expression()?))
        })?;
        let format = self.attempt(|p| {
            match p.peek() {
                Some(Token::Word(w)) if w.text.eq_ignore_ascii_case("as") => p.bump(),
                _ => return Err(Fail::Miss),
            }
            p.ident()
        })?;
        Ok(TaskValue::Tagged {
            tag,
            value,
            record,
            format,
        })
    }
}

/// `to: a, b, c` as one LIST value; several values after any other key are an error the
/// chumsky grammar reports.
fn recipient_list(key: &str, first: TaskValue, more: Vec<Expr>) -> Parsed<TaskValue> {
    let TaskValue::Expr(first) = first else {
        return Ok(first);
    };
    if !RECIPIENT_KEYS.contains(&key) {
        return Err(Fail::GiveUp);
    }
    let whole = more
        .last()
        .map_or(first.span, |last| first.span.to(last.span));
    let mut items = Vec::with_capacity(more.len() + 1);
    items.push(first);
    items.extend(more);
    Ok(TaskValue::Expr(Expr {
        kind: ExprKind::List(items),
        span: whole,
    }))
}
