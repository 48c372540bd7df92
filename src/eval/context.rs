//! What a native function can see of the running engine.

use std::cell::RefCell;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::eval::failure::Failure;

/// The run-time context passed to every native function.
///
/// It gives access to the application time zone and clock (for `now`, `today`, epoch
/// conversions), the configured size limits and the host hooks. Natives never reach global
/// state: everything nondeterministic comes through here so that tests can pin it.
pub struct NativeCtx<'a> {
    /// The run's environment (time zone, clock, limits, host).
    pub env: &'a crate::eval::env::RunEnv,
    /// Set by Ctrl-C while the run goes on: long waits (`getUrl`, `postUrl`) give up when it
    /// becomes true.
    pub interrupt: Option<&'a Arc<AtomicBool>>,
    /// The run's quota counters (`None` outside a run: no quotas).
    pub usage: Option<&'a crate::eval::usage::Usage>,
    /// Where [`NativeCtx::fail`] leaves a typed failure for the interpreter (`None` outside
    /// a run).
    pub(crate) failure: Option<&'a RefCell<Option<Failure>>>,
}

impl<'a> NativeCtx<'a> {
    /// A context over `env` that nothing interrupts.
    pub fn new(env: &'a crate::eval::env::RunEnv) -> Self {
        NativeCtx {
            env,
            interrupt: None,
            usage: None,
            failure: None,
        }
    }

    /// Hands a typed failure to the interpreter and returns its message, for a native (or a
    /// host task) that returns `Err(String)`: the run's error then keeps the failure's kind
    /// and cause ([`Error::kind`](crate::Error::kind),
    /// [`source`](std::error::Error::source)) while the script sees the same text.
    ///
    /// ```
    /// use deluge_lang::{Engine, ErrorKind, Failure, Host, NativeCtx, Value};
    /// struct Directory;
    /// impl Host for Directory {
    ///     fn call_in(&self, ctx: &NativeCtx<'_>, _: &str, _: &[Value]) -> Result<Value, String> {
    ///         Err(ctx.fail(Failure::new(ErrorKind::Timeout, "the directory is slow")))
    ///     }
    /// }
    /// let mut engine = Engine::new();
    /// engine.set_host(Directory);
    /// let err = engine.run("info zoho.crm.getRecords(\"Leads\");").unwrap_err();
    /// assert_eq!((err.kind(), err.message()), (ErrorKind::Timeout, "the directory is slow"));
    /// ```
    pub fn fail(&self, failure: Failure) -> String {
        let message = failure.message().to_owned();
        if let Some(slot) = self.failure {
            *slot.borrow_mut() = Some(failure);
        }
        message
    }
}
