//! [`ZohoHost`]: the host layer that runs Zoho tasks and hands everything else on.

use crate::eval::failure::Failure;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use crate::eval::context::NativeCtx;
use crate::eval::host::{Host, NoHost};
use crate::eval::value::Value;

/// Runs `zoho.crm.*`, `zoho.crm.v8.*`, `zoho.books.*`, `zoho.inventory.*`, `zoho.creator.*`
/// (V2 and `v2_1`) and `zoho.desk.*` tasks over the run's connections, and delegates every
/// other hook to the host it wraps.
///
/// Tasks need the run's context (connection store, transport, settings), which the engine
/// passes through [`Host::call_in`]; a layer wrapping this one names it in [`Host::inner`],
/// which forwards `call_in` with the context.
///
/// ```
/// use std::sync::Arc;
/// use deluge_lang::{Failure, Engine, Host, Value};
/// use deluge_lang::zoho::ZohoHost;
///
/// /// Serves Zoho Projects tasks; the Zoho layer hands them on.
/// struct App;
/// impl Host for App {
///     fn call(&self, name: &str, _: &[Value]) -> Result<Value, Failure> {
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
    /// Zoho API calls made so far (each task is one call in Zoho), for the debug log.
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
    fn inner(&self) -> Option<&dyn Host> {
        Some(&*self.inner)
    }

    /// Without the run's context a Zoho task cannot be signed: reached only when a layer in
    /// front forwards `call` instead of `call_in`.
    fn call(&self, name: &str, args: &[Value]) -> Result<Value, Failure> {
        if super::families().iter().any(|f| {
            name.to_ascii_lowercase()
                .starts_with(&format!("{}.", f.prefix))
        }) {
            return Err(format!(
                "{name}: the Zoho host was called without the run's context; a host layered \
                 in front of it must forward Host::call_in"
            )
            .into());
        }
        self.inner.call(name, args)
    }

    fn call_in(&self, ctx: &NativeCtx<'_>, name: &str, args: &[Value]) -> Result<Value, Failure> {
        match super::run(ctx, &self.calls, name, args) {
            Some(result) => result,
            None => self.inner.call_in(ctx, name, args),
        }
    }
}
