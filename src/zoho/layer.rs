//! [`ZohoHost`]: the host layer that runs Zoho tasks and hands everything else on.

use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use crate::eval::context::NativeCtx;
use crate::eval::host::{FetchRequest, Host, NoHost};
use crate::eval::value::Value;

/// Runs `zoho.crm.*`, `zoho.crm.v8.*`, `zoho.books.*`, `zoho.inventory.*`, `zoho.creator.*`
/// (V2 and `v2_1`) and `zoho.desk.*` tasks over the run's connections, and delegates every
/// other hook to the host it wraps.
///
/// Tasks need the run's context (connection store, transport, settings), which the engine
/// passes through [`Host::call_in`]; a layer wrapping this one must forward `call_in`.
///
/// ```
/// use std::sync::Arc;
/// use deluge_lang::{Engine, Host, Value};
/// use deluge_lang::zoho::ZohoHost;
///
/// /// Serves Zoho Projects tasks; the Zoho layer hands them on.
/// struct App;
/// impl Host for App {
///     fn call(&self, name: &str, _: &[Value]) -> Result<Value, String> {
///         Ok(Value::text(format!("{name}: 1.0")))
///     }
/// }
/// let mut engine = Engine::new();
/// engine.set_host(ZohoHost::new(Arc::new(App)));
/// let answer: String = engine.eval("zoho.projects.getTasks(\"p\")").unwrap();
/// assert_eq!(answer, "zoho.projects.getTasks: 1.0");
/// ```
#[derive(Clone)]
pub struct ZohoHost {
    inner: Arc<dyn Host>,
    /// Zoho API calls made so far (each task is one call in Zoho), for `--verbose`.
    calls: Arc<AtomicU64>,
}

impl Default for ZohoHost {
    fn default() -> Self {
        ZohoHost::new(Arc::new(NoHost))
    }
}

impl ZohoHost {
    /// A Zoho layer over `inner`, which gets every hook that is not a Zoho task.
    pub fn new(inner: Arc<dyn Host>) -> ZohoHost {
        ZohoHost {
            inner,
            calls: Arc::default(),
        }
    }
}

impl Host for ZohoHost {
    fn input_get(&self, field: &str) -> Result<Value, String> {
        self.inner.input_get(field)
    }

    fn input_set(&self, field: &str, value: Value) -> Result<(), String> {
        self.inner.input_set(field, value)
    }

    fn fetch(&self, request: &FetchRequest<'_>) -> Result<Value, String> {
        self.inner.fetch(request)
    }

    fn delete(&self, request: &FetchRequest<'_>) -> Result<(), String> {
        self.inner.delete(request)
    }

    fn update(&self, request: &FetchRequest<'_>, field: &str, value: Value) -> Result<(), String> {
        self.inner.update(request, field, value)
    }

    fn insert(&self, form: &str, fields: &[(Box<str>, Value)]) -> Result<Value, String> {
        self.inner.insert(form, fields)
    }

    fn form_ui(&self, action: &str, fields: &[Box<str>]) -> Result<(), String> {
        self.inner.form_ui(action, fields)
    }

    fn alert(&self, message: &str) -> Result<(), String> {
        self.inner.alert(message)
    }

    fn cancel(&self, what: &str) -> Result<(), String> {
        self.inner.cancel(what)
    }

    fn field_ui(&self, field: &str, action: &str, args: &[Value]) -> Result<(), String> {
        self.inner.field_ui(field, action, args)
    }

    /// Without the run's context a Zoho task cannot be signed: reached only when a layer in
    /// front forwards `call` instead of `call_in`.
    fn call(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        if super::families().iter().any(|f| {
            name.to_ascii_lowercase()
                .starts_with(&format!("{}.", f.prefix))
        }) {
            return Err(format!(
                "{name}: the Zoho host was called without the run's context; a host layered \
                 in front of it must forward Host::call_in"
            ));
        }
        self.inner.call(name, args)
    }

    fn call_in(&self, ctx: &NativeCtx<'_>, name: &str, args: &[Value]) -> Result<Value, String> {
        match super::run(ctx, &self.calls, name, args) {
            Some(result) => result,
            None => self.inner.call_in(ctx, name, args),
        }
    }

    fn value(&self, name: &str) -> Result<Value, String> {
        self.inner.value(name)
    }

    fn record_field_set(&self, record: &Value, field: &str, value: &Value) -> Result<(), String> {
        self.inner.record_field_set(record, field, value)
    }

    fn related_field(
        &self,
        record: &Value,
        lookup: &str,
        field: &str,
    ) -> Result<Option<Value>, String> {
        self.inner.related_field(record, lookup, field)
    }

    fn send_mail(&self, params: &[(Box<str>, Value)]) -> Result<(), String> {
        self.inner.send_mail(params)
    }

    fn invoke_api(&self, params: &[(Box<str>, Value)]) -> Result<Value, String> {
        self.inner.invoke_api(params)
    }
}
