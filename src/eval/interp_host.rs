//! Running host constructs (Creator statements, `input.*`, `zoho.*` tasks and values) and the
//! bracket tasks. Each task kind calls exactly one function: `invokeurl` the HTTP engine,
//! the others the [`crate::eval::host::Host`].

use crate::eval::error::{RtResult, RuntimeError};
use crate::eval::failure::{ErrorKind, Failure, LimitKind};
use crate::eval::host::FetchRequest;
use crate::eval::interp::Interp;
use crate::eval::ir::{Expr, Fetch, HostExpr, HostStmt, TaskExpr, TaskKind};
use crate::eval::progress::Checkpoint;
use crate::eval::render::display;
use crate::eval::value::Value;
use crate::syntax::span::Span;

impl<'r> Interp<'r> {
    pub(crate) fn host_stmt(&mut self, stmt: &'r HostStmt, span: Span) -> RtResult<()> {
        let at = |failure: Failure| RuntimeError::failed(host_failure(failure), span);
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
            HostStmt::UpdateRecord(fetch, field, value) => {
                let value = self.eval(value)?;
                let variables = self.fetch_variables(fetch);
                let range = self.fetch_range(fetch)?;
                let request = fetch_request(fetch, variables, range);
                self.host.update(&request, field, value).map_err(at)
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
        let at = |failure: Failure| RuntimeError::failed(host_failure(failure), span);
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
                let ctx = self.native_ctx();
                let result = self.host.call_in(&ctx, name, &args);
                result.map_err(|failure| self.call_failed(host_failure(failure), span))
            }
            HostExpr::Fetch(fetch) => {
                let variables = self.fetch_variables(fetch);
                let range = self.fetch_range(fetch)?;
                let request = fetch_request(fetch, variables, range);
                self.host.fetch(&request).map_err(at)
            }
            HostExpr::FetchAll(fetch, field) | HostExpr::FetchAggregate(fetch, field) => {
                let variables = self.fetch_variables(fetch);
                let range = self.fetch_range(fetch)?;
                let request = fetch_request(fetch, variables, range);
                let records = self.host.fetch(&request).map_err(at)?;
                let values = field_of_every_record(&records, field);
                if let (HostExpr::FetchAggregate(..), Value::List(list)) = (host, &values) {
                    list.borrow_mut()
                        .retain(|v| !v.is_null() && v.as_text() != Some(""));
                }
                Ok(values)
            }
        }
    }

    pub(crate) fn task(&mut self, task: &'r TaskExpr) -> RtResult<Value> {
        let mut params = Vec::with_capacity(task.params.len());
        for (key, value) in task.params.iter() {
            params.push((key.clone(), self.eval(value)?));
        }
        let at = |failure: Failure| RuntimeError::failed(host_failure(failure), task.span);
        match &task.kind {
            TaskKind::InvokeUrl => {
                self.report_progress(Checkpoint::HttpRequest, task.span)?;
                self.invoke_url(&params)
                    .map_err(|failure| self.call_failed(failure, task.span))
            }
            TaskKind::InvokeApi => self.host.invoke_api(&params).map_err(at),
            TaskKind::SendMail => {
                self.usage.count_email(&self.env.limits).map_err(|quota| {
                    RuntimeError::limit(ErrorKind::Limit(LimitKind::Quota), quota, task.span)
                })?;
                self.host
                    .send_mail(&params)
                    .map(|()| Value::Null)
                    .map_err(at)
            }
            TaskKind::InsertInto(form) => self.host.insert(form, &params).map_err(at),
        }
    }

    /// `invokeurl [..]`: handed to the run's network, which gives up waiting on Ctrl-C.
    fn invoke_url(&mut self, params: &[(Box<str>, Value)]) -> Result<Value, Failure> {
        let mut ctx = self.native_ctx();
        self.env.network.invoke_url(&mut ctx, params)
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

/// `field` of each record (a MAP) in `records` (a LIST of records or a single record); records
/// without the field give `null`.
fn field_of_every_record(records: &Value, field: &str) -> Value {
    let key = Value::text(field);
    let of = |record: &Value| match record {
        Value::Map(m) => m.borrow().get(&key).cloned().unwrap_or_default(),
        _ => Value::Null,
    };
    let values = match records {
        Value::List(list) => list.borrow().iter().map(of).collect(),
        Value::Collection(c) => match &*c.borrow() {
            crate::eval::value::CollectionData::List(items) => items.iter().map(of).collect(),
            _ => Vec::new(),
        },
        Value::Null => Vec::new(),
        record => vec![of(record)],
    };
    Value::list_from(values)
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

/// A host hook's failure as the run reports it: a plain message (kind
/// [`Script`](ErrorKind::Script), what `String` converts into) is a
/// [`Host`](ErrorKind::Host) failure; a hook that chose a kind keeps it.
fn host_failure(failure: Failure) -> Failure {
    if failure.kind() == ErrorKind::Script {
        failure.with_kind(ErrorKind::Host)
    } else {
        failure
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use crate::api::engine::Engine;
    use crate::eval::host::{FetchRequest, Host};
    use crate::eval::render::display;
    use crate::eval::failure::Failure;
    use crate::eval::value::Value;

    /// Records every record update it is asked for; fetches return one record.
    struct UpdateHost(Arc<Mutex<Vec<String>>>);

    impl Host for UpdateHost {
        fn fetch(&self, _: &FetchRequest<'_>) -> Result<Value, Failure> {
            Ok(crate::stdlib::json::parse(r#"{"Qty": 4}"#)?)
        }

        fn update(
            &self,
            request: &FetchRequest<'_>,
            field: &str,
            value: Value,
        ) -> Result<(), Failure> {
            let vars: Vec<String> = request
                .variables
                .iter()
                .map(|(n, v)| format!("{n}={}", display(v)))
                .collect();
            self.0.lock().map_err(|e| e.to_string())?.push(format!(
                "{}[{}] {vars:?} {field} := {}",
                request.form,
                request.criteria,
                display(&value)
            ));
            Ok(())
        }
    }

    #[test]
    fn a_record_update_reaches_the_host_with_its_criteria_and_value() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut engine = Engine::new();
        engine.set_host(UpdateHost(Arc::clone(&log)));
        engine
            .run("id = 7;\nOrders[ID == id].Status = \"Closed\";\nOrders[ID == id].Qty += 1;")
            .unwrap();
        assert_eq!(
            *log.lock().unwrap(),
            vec![
                r#"Orders[ID == id] ["id=7"] Status := Closed"#.to_owned(),
                r#"Orders[ID == id] ["id=7"] Qty := 5"#.to_owned(),
            ]
        );
    }

    /// Serves every fetch with two records.
    struct TwoRecords;

    impl Host for TwoRecords {
        fn fetch(&self, _: &FetchRequest<'_>) -> Result<Value, Failure> {
            Ok(crate::stdlib::json::parse(r#"[{"ID": 1, "Name": "a"}, {"ID": 2}]"#)?)
        }
    }

    #[test]
    fn get_all_projects_a_field_of_every_fetched_record() {
        let output = crate::eval::output::CaptureOutput::new();
        let mut engine = Engine::new();
        engine.set_output(output.clone());
        engine.set_host(TwoRecords);
        engine
            .run("info Orders[ID > 0].ID.getAll();\ninfo Orders[ID > 0].Name.GETALL().size();\ninfo Orders[ID > 0].count();")
            .unwrap();
        assert_eq!(output.lines(), vec!["1,2", "2", "2"]);
    }

    #[test]
    fn get_all_without_a_host_names_the_fetch() {
        let err = Engine::new()
            .run("ids = Orders[ID > 0].ID.getAll();")
            .unwrap_err();
        assert!(
            err.message()
                .starts_with("`Orders[criteria]` is a Zoho Creator construct"),
            "{}",
            err.message()
        );
    }

    /// Records what `sendmail` receives.
    struct MailHost(Arc<Mutex<Vec<String>>>);

    impl Host for MailHost {
        fn send_mail(&self, params: &[(Box<str>, Value)]) -> Result<(), Failure> {
            let mut log = self.0.lock().map_err(|e| e.to_string())?;
            for (key, value) in params {
                log.push(format!("{key}={}", display(value)));
            }
            Ok(())
        }
    }

    #[test]
    fn a_tagged_task_value_reaches_the_host_as_a_map_keyed_by_its_tag() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut engine = Engine::new();
        engine.set_host(MailHost(Arc::clone(&log)));
        engine
            .run(
                "pdf = \"bytes\";\nsendmail [\n to :\"a@b.c\"\n Attachments :file:pdf\n Attachments :Template:Quote as PDF\n]",
            )
            .unwrap();
        assert_eq!(
            *log.lock().unwrap(),
            vec![
                "to=a@b.c".to_owned(),
                r#"attachments={"file":"bytes"}"#.to_owned(),
                r#"attachments={"template":"Quote","format":"PDF"}"#.to_owned(),
            ]
        );
    }

    /// Records the type and value of each `sendmail` parameter.
    struct TypedMailHost(Arc<Mutex<Vec<String>>>);

    impl Host for TypedMailHost {
        fn send_mail(&self, params: &[(Box<str>, Value)]) -> Result<(), Failure> {
            let mut log = self.0.lock().map_err(|e| e.to_string())?;
            for (key, value) in params {
                log.push(format!("{key}: {} {}", value.value_type(), display(value)));
            }
            Ok(())
        }
    }

    #[test]
    fn comma_separated_recipients_reach_the_host_as_a_list_and_templates_name_their_record() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut engine = Engine::new();
        engine.set_host(TypedMailHost(Arc::clone(&log)));
        engine
            .run(
                "rec = {\"Email\": \"r@x.com\"};\nrecId = 42;\nsendmail [\n to: \"a@x.com\", rec.get(\"Email\")\n cc: \"c@x.com\"\n attachments: template: Invoice_PDF: Invoice recId as PDF\n];",
            )
            .unwrap();
        assert_eq!(
            *log.lock().unwrap(),
            vec![
                "to: LIST a@x.com,r@x.com".to_owned(),
                "cc: TEXT c@x.com".to_owned(),
                r#"attachments: KEY-VALUE {"template":"Invoice_PDF","form":"Invoice","record":42,"format":"PDF"}"#
                    .to_owned(),
            ]
        );
    }

    #[test]
    fn a_record_update_without_a_host_names_the_construct_and_creator() {
        let err = Engine::new()
            .run("Orders[ID == 1].Status = \"Closed\";")
            .unwrap_err();
        assert!(
            err.message()
                .starts_with("`Orders[criteria].Status = ...` is a Zoho Creator construct"),
            "{}",
            err.message()
        );
    }
}
