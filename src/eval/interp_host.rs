//! Running host constructs (Creator statements, `input.*`, `zoho.*` tasks and values) and the
//! bracket tasks. Each task kind calls exactly one function: `invokeurl` the HTTP engine,
//! the others the [`crate::eval::host::Host`].

use crate::eval::context::NativeCtx;
use crate::eval::error::{RtResult, RuntimeError};
use crate::eval::host::FetchRequest;
use crate::eval::interp::Interp;
use crate::eval::ir::{Expr, Fetch, HostExpr, HostStmt, TaskExpr, TaskKind};
use crate::eval::render::display;
use crate::eval::value::Value;
use crate::syntax::span::Span;

impl<'r> Interp<'r> {
    pub(crate) fn host_stmt(&mut self, stmt: &'r HostStmt, span: Span) -> RtResult<()> {
        let at = |m: String| RuntimeError::new(m, span);
        match stmt {
            HostStmt::SetInput(field, value) => {
                let value = self.eval(value)?;
                self.host.input_set(field, value).map_err(at)
            }
            HostStmt::DeleteFrom(fetch) => {
                let variables = self.fetch_variables(fetch);
                let range = self.fetch_range(fetch)?;
                let request = fetch_request(fetch, variables, range);
                self.host.delete(&request).map_err(at)
            }
            HostStmt::FormUi(action, fields) => self.host.form_ui(action, fields).map_err(at),
            HostStmt::Alert(message) => {
                let message = display(&self.eval(message)?);
                self.host.alert(&message).map_err(at)
            }
            HostStmt::Cancel(what) => self.host.cancel(what).map_err(at),
            HostStmt::FieldUi(field, action, args) => {
                let args = self.eval_all(args)?;
                self.host.field_ui(field, action, &args).map_err(at)
            }
        }
    }

    pub(crate) fn host_expr(&mut self, host: &'r HostExpr, span: Span) -> RtResult<Value> {
        let at = |m: String| RuntimeError::new(m, span);
        match host {
            HostExpr::Input(field) => self.host.input_get(field).map_err(at),
            HostExpr::ZohoValue(name) => {
                let key = name
                    .strip_prefix("zoho.")
                    .unwrap_or(name)
                    .to_ascii_lowercase();
                match self.env.system_vars.get(&key) {
                    Some(value) => Ok(Value::text(value.clone())),
                    None => self.host.value(name).map_err(at),
                }
            }
            HostExpr::Task(name, args) => {
                let args = self.eval_all(args)?;
                self.host.call(name, &args).map_err(at)
            }
            HostExpr::Fetch(fetch) => {
                let variables = self.fetch_variables(fetch);
                let range = self.fetch_range(fetch)?;
                let request = fetch_request(fetch, variables, range);
                self.host.fetch(&request).map_err(at)
            }
        }
    }

    pub(crate) fn task(&mut self, task: &'r TaskExpr) -> RtResult<Value> {
        let mut params = Vec::with_capacity(task.params.len());
        for (key, value) in task.params.iter() {
            params.push((key.clone(), self.eval(value)?));
        }
        let at = |m: String| RuntimeError::new(m, task.span);
        match &task.kind {
            TaskKind::InvokeUrl => self.invoke_url(&params).map_err(|message| {
                if self.interrupted() {
                    RuntimeError::limit("interrupted (Ctrl-C)", task.span)
                } else {
                    at(message)
                }
            }),
            TaskKind::InvokeApi => self.host.invoke_api(&params).map_err(at),
            TaskKind::SendMail => self
                .host
                .send_mail(&params)
                .map(|()| Value::Null)
                .map_err(at),
            TaskKind::InsertInto(form) => self.host.insert(form, &params).map_err(at),
        }
    }

    /// `invokeurl [..]`: handed to the HTTP engine, which gives up waiting on Ctrl-C.
    fn invoke_url(&mut self, params: &[(Box<str>, Value)]) -> Result<Value, String> {
        let mut ctx = NativeCtx { env: self.env };
        crate::http::invoke_url(&mut ctx, params, self.interrupt.clone())
    }

    fn eval_all(&mut self, exprs: &'r [Expr]) -> RtResult<Vec<Value>> {
        let mut values = Vec::with_capacity(exprs.len());
        for e in exprs {
            values.push(self.eval(e)?);
        }
        Ok(values)
    }

    fn fetch_variables(&self, fetch: &'r Fetch) -> Vec<(&'r str, Value)> {
        fetch
            .variables
            .iter()
            .map(|(name, slot)| (&**name, self.stack[self.base + *slot as usize].clone()))
            .collect()
    }

    fn fetch_range(&mut self, fetch: &'r Fetch) -> RtResult<Option<(Value, Value)>> {
        match &fetch.range {
            Some(range) => {
                let from = self.eval(&range.0)?;
                let to = self.eval(&range.1)?;
                Ok(Some((from, to)))
            }
            None => Ok(None),
        }
    }
}

fn fetch_request<'a>(
    fetch: &'a Fetch,
    variables: Vec<(&'a str, Value)>,
    range: Option<(Value, Value)>,
) -> FetchRequest<'a> {
    FetchRequest {
        form: &fetch.form,
        criteria: &fetch.criteria,
        variables,
        sort_by: fetch.sort_by.as_ref().map(|(f, d)| (&**f, *d)),
        range,
    }
}
