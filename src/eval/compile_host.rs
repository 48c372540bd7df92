//! AST to IR for host constructs: tasks (`invokeurl`, `sendmail`, `insert into`, ...) with
//! their tagged parameters, and Creator fetches (`Form[criteria]`, projections and aggregates
//! such as `Form[..].Field.getAll()`) with the variables their criteria use.

use crate::eval::compile::{join_path, FnCompiler};
use crate::eval::ir::{self, Expr, HostExpr};
use crate::syntax::ast::{self, ExprKind};
use crate::syntax::span::Span;

impl FnCompiler<'_> {
    /// `Form[criteria].Field.getAll()` (dotted fields allowed) as one host projection.
    pub(super) fn fetch_projection(
        &mut self,
        receiver: &ast::Expr,
        method: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
    ) -> Option<Expr> {
        if let (ExprKind::Fetch(fetch), [arg]) = (&receiver.kind, args) {
            return self.fetch_aggregate(fetch, method, arg, span);
        }
        if !args.is_empty() || !method.name.eq_ignore_ascii_case("getAll") {
            return None;
        }
        let ExprKind::Field { object, field } = &receiver.kind else {
            return None;
        };
        let ExprKind::Fetch(fetch) = &object.kind else {
            return None;
        };
        let fetch = self.fetch(fetch);
        Some(Expr::Host(
            Box::new(HostExpr::FetchAll(fetch, field.name.clone())),
            span,
        ))
    }

    /// Creator's aggregates `Form[criteria].sum(Field)` (also `avg`, `median`, `maximum`,
    /// `minimum`, `distinct`, `count`): the built-in of that meaning applied to the field's
    /// non-empty values.
    fn fetch_aggregate(
        &mut self,
        fetch: &ast::Fetch,
        method: &ast::Ident,
        arg: &ast::Expr,
        span: Span,
    ) -> Option<Expr> {
        let ExprKind::Path(field) = &arg.kind else {
            return None;
        };
        let builtin = match method.name.to_ascii_lowercase().as_str() {
            "sum" => "sum",
            "avg" | "average" => "average",
            "median" => "median",
            "maximum" | "max" => "largest",
            "minimum" | "min" => "smallest",
            "distinct" => "distinct",
            "count" => "size",
            _ => return None,
        };
        let fetch = self.fetch(fetch);
        let values = Expr::Host(
            Box::new(HostExpr::FetchAggregate(fetch, join_path(field).into())),
            span,
        );
        let name = ast::Ident {
            name: builtin.into(),
            span: method.span,
        };
        Some(self.method(values, &name, &[], span))
    }

    pub(super) fn task(&mut self, task: &ast::Task) -> Expr {
        let kind = match &task.kind {
            ast::TaskKind::InvokeUrl => ir::TaskKind::InvokeUrl,
            ast::TaskKind::InvokeApi => ir::TaskKind::InvokeApi,
            ast::TaskKind::SendMail => ir::TaskKind::SendMail,
            ast::TaskKind::InsertInto(form) => ir::TaskKind::InsertInto(form.name.clone()),
        };
        let params = task
            .params
            .iter()
            .map(|p| {
                let value = match &p.value {
                    ast::TaskValue::Expr(e) => self.task_value(e),
                    ast::TaskValue::Tagged {
                        tag,
                        value,
                        record,
                        format,
                    } => self.tagged_value(tag, value, record.as_ref(), format.as_ref()),
                };
                (p.key.clone(), value)
            })
            .collect();
        Expr::Task(Box::new(ir::TaskExpr {
            kind,
            params,
            span: task.keyword_span,
        }))
    }

    /// `:file:pdf` as the KEY-VALUE `{"file": pdf}`; `:template:Quote as PDF` as
    /// `{"template": "Quote", "format": "PDF"}`; `template:Quote:Orders id as PDF` as
    /// `{"template": "Quote", "form": "Orders", "record": id, "format": "PDF"}`. The tag is
    /// lower case.
    fn tagged_value(
        &mut self,
        tag: &ast::Ident,
        value: &ast::Expr,
        record: Option<&(ast::Ident, ast::Expr)>,
        format: Option<&ast::Ident>,
    ) -> Expr {
        let key = self.globals.text_const(&tag.name.to_ascii_lowercase());
        let mut pairs = vec![(Expr::Const(key), self.task_value(value))];
        if let Some((form, id)) = record {
            let key = self.globals.text_const("form");
            let name = self.globals.text_const(&form.name);
            pairs.push((Expr::Const(key), Expr::Const(name)));
            let key = self.globals.text_const("record");
            pairs.push((Expr::Const(key), self.expr(id)));
        }
        if let Some(format) = format {
            let key = self.globals.text_const("format");
            let value = self.globals.text_const(&format.name);
            pairs.push((Expr::Const(key), Expr::Const(value)));
        }
        Expr::Map(pairs.into(), tag.span.to(value.span))
    }

    /// A task value: a bare name that is not a variable (`GET`, `HTML`) is its own text.
    fn task_value(&mut self, e: &ast::Expr) -> Expr {
        if let ExprKind::Path(path) = &e.kind {
            let bare = path.len() == 1
                && !self.slots.contains_key(&*path[0].name)
                && self.zero_arg_group(&path[0].name).is_none();
            if bare {
                return Expr::Const(self.globals.text_const(&path[0].name));
            }
        }
        self.expr(e)
    }

    /// A record fetch: form, criteria text, the script variables it mentions, sort and range.
    pub fn fetch(&mut self, fetch: &ast::Fetch) -> ir::Fetch {
        let mut variables = Vec::new();
        let criteria = match &fetch.criteria {
            Some(c) => {
                self.criteria_variables(c, &mut variables);
                self.source_text(c.span).to_owned()
            }
            None => String::new(),
        };
        let range = fetch
            .range
            .as_ref()
            .map(|(a, b)| Box::new((self.expr(a), self.expr(b))));
        ir::Fetch {
            form: fetch.form.name.clone(),
            criteria: criteria.into(),
            variables: variables.into(),
            sort_by: fetch
                .sort_by
                .as_ref()
                .map(|(path, desc)| (join_path(path).into(), *desc)),
            range,
        }
    }

    fn criteria_variables(&self, e: &ast::Expr, out: &mut Vec<(Box<str>, ir::Slot)>) {
        match &e.kind {
            ExprKind::Path(path) | ExprKind::Call { path, .. } => {
                if let Some(head) = path.first() {
                    if let Some(&slot) = self.slots.get(&*head.name) {
                        if !out.iter().any(|(n, _)| **n == *head.name) {
                            out.push((head.name.clone(), slot));
                        }
                    }
                }
                if let ExprKind::Call { args, .. } = &e.kind {
                    args.iter().for_each(|a| self.criteria_variables(a, out));
                }
            }
            ExprKind::Binary { lhs, rhs, .. } => {
                self.criteria_variables(lhs, out);
                self.criteria_variables(rhs, out);
            }
            ExprKind::Unary { operand, .. } => self.criteria_variables(operand, out),
            ExprKind::MethodCall { receiver, args, .. } => {
                self.criteria_variables(receiver, out);
                args.iter().for_each(|a| self.criteria_variables(a, out));
            }
            ExprKind::List(items) => items.iter().for_each(|a| self.criteria_variables(a, out)),
            _ => {}
        }
    }
}
