//! Host layering (brief: "Host layering convention"): every built-in layer, stacked as the CLI
//! stacks them (mail over Zoho), hands each hook it does not own to the host below it, and
//! `call_in` arrives there with the run's context. A layer that forwarded `call` instead of
//! `call_in` (the bug found while merging the mail and Zoho layers) fails here.

use std::sync::{Arc, Mutex};

use deluge_lang::mail::{MailHost, MailSettings};
use deluge_lang::zoho::{ZohoHost, ZohoProduct};
use deluge_lang::{Engine, Failure, FetchRequest, Host, NativeCtx, Value};

/// The innermost host: notes every hook that reaches it.
struct Probe(Arc<Mutex<Vec<String>>>);

impl Probe {
    fn note(&self, line: String) {
        self.0.lock().unwrap().push(line);
    }
}

impl Host for Probe {
    fn input_get(&self, field: &str) -> Result<Value, Failure> {
        self.note(format!("input_get {field}"));
        Ok(Value::text("x"))
    }

    fn input_set(&self, field: &str, _: Value) -> Result<(), Failure> {
        self.note(format!("input_set {field}"));
        Ok(())
    }

    fn fetch(&self, request: &FetchRequest<'_>) -> Result<Value, Failure> {
        self.note(format!("fetch {}", request.form()));
        Ok(Value::text("x"))
    }

    fn delete(&self, request: &FetchRequest<'_>) -> Result<(), Failure> {
        self.note(format!("delete {}", request.form()));
        Ok(())
    }

    fn update(&self, request: &FetchRequest<'_>, field: &str, _: Value) -> Result<(), Failure> {
        self.note(format!("update {}.{field}", request.form()));
        Ok(())
    }

    fn insert(&self, form: &str, _: &[(Box<str>, Value)]) -> Result<Value, Failure> {
        self.note(format!("insert {form}"));
        Ok(Value::text("1"))
    }

    fn form_ui(&self, action: &str, fields: &[Box<str>]) -> Result<(), Failure> {
        self.note(format!("form_ui {action} {}", fields.join(",")));
        Ok(())
    }

    fn alert(&self, message: &str) -> Result<(), Failure> {
        self.note(format!("alert {message}"));
        Ok(())
    }

    fn cancel(&self, what: &str) -> Result<(), Failure> {
        self.note(format!("cancel {what}"));
        Ok(())
    }

    fn field_ui(&self, field: &str, action: &str, _: &[Value]) -> Result<(), Failure> {
        self.note(format!("field_ui {field}:{action}"));
        Ok(())
    }

    fn call(&self, name: &str, _: &[Value]) -> Result<Value, Failure> {
        self.note(format!("call {name} without the run's context"));
        Ok(Value::Null)
    }

    fn call_in(&self, ctx: &NativeCtx<'_>, name: &str, _: &[Value]) -> Result<Value, Failure> {
        let link = ctx.env().zoho.default_connection(ZohoProduct::Crm);
        self.note(format!("call_in {name} ctx={}", link.unwrap_or("none")));
        Ok(Value::Null)
    }

    fn value(&self, name: &str) -> Result<Value, Failure> {
        self.note(format!("value {name}"));
        Ok(Value::text("x"))
    }

    fn send_mail(&self, _: &[(Box<str>, Value)]) -> Result<(), Failure> {
        self.note("send_mail".into());
        Ok(())
    }

    fn invoke_api(&self, _: &[(Box<str>, Value)]) -> Result<Value, Failure> {
        self.note("invoke_api".into());
        Ok(Value::Null)
    }

    fn record_field_set(&self, _: &Value, field: &str, _: &Value) -> Result<(), Failure> {
        self.note(format!("record_field_set {field}"));
        Ok(())
    }

    fn related_field(
        &self,
        _: &Value,
        lookup: &str,
        field: &str,
    ) -> Result<Option<Value>, Failure> {
        self.note(format!("related_field {lookup}.{field}"));
        Ok(Some(Value::text("x")))
    }
}

/// Each hook the layers do not own, the script that reaches it, and what the probe notes.
const FORWARDED: &[(&str, &str)] = &[
    ("v = input.Name;", "input_get Name"),
    ("input.Total = 42;", "input_set Total"),
    ("r = Orders[ID == 1];", "fetch Orders"),
    ("delete from Orders[ID == 3];", "delete Orders"),
    ("Orders[ID == 1].Status = \"done\";", "update Orders.Status"),
    (
        "r = insert into Orders [ Item = \"pen\" ];",
        "insert Orders",
    ),
    ("hide Discount, Notes;", "form_ui hide Discount,Notes"),
    ("alert \"careful\";", "alert careful"),
    ("cancel submit;", "cancel submit"),
    ("Country:ui.add(\"India\");", "field_ui Country:ui.add"),
    (
        "r = zoho.projects.getTasks(\"p\");",
        "call_in zoho.projects.getTasks ctx=run-context",
    ),
    ("v = zoho.orgname;", "value zoho.orgname"),
    (
        "m = Map();\nm.Status = \"Paid\";",
        "record_field_set Status",
    ),
    (
        "rec = {\"Customer\": 7};\nv = rec.Customer.Name;",
        "related_field Customer.Name",
    ),
    (
        "r = invokeapi [ service: ZOHODESK path: \"/api/v1/tickets\" type: GET ];",
        "invoke_api",
    ),
];

#[test]
fn every_hook_the_layers_do_not_own_reaches_the_inner_host_with_the_run_context() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let zoho = ZohoHost::new(Arc::new(Probe(Arc::clone(&log))));
    let outbox = tempfile::tempdir().unwrap();
    let settings = MailSettings {
        outbox: Some(outbox.path().to_path_buf()),
        ..MailSettings::default()
    };
    let mail = MailHost::new(settings, Arc::new(zoho)).with_notices(|_| ());
    let mut engine = Engine::new();
    engine.set_host(mail);
    engine
        .zoho_settings_mut()
        .set_default_connection(ZohoProduct::Crm, "run-context");
    for (script, expected) in FORWARDED {
        log.lock().unwrap().clear();
        engine
            .run(script)
            .unwrap_or_else(|e| panic!("{script}: {}", e.message()));
        assert_eq!(*log.lock().unwrap(), [*expected], "{script}");
    }
    log.lock().unwrap().clear();
    engine
        .run("sendmail [ from: \"admin@localhost\" to: \"a@example.com\" subject: \"s\" message: \"m\" ]")
        .unwrap();
    assert!(
        log.lock().unwrap().is_empty(),
        "the mail layer owns sendmail"
    );
    assert_eq!(std::fs::read_dir(outbox.path()).unwrap().count(), 1);
}
