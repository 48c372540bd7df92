//! What a native function can see of the running engine.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;


/// The run-time context passed to every native function.
///
/// It gives access to the application time zone and clock (for `now`, `today`, epoch
/// conversions), the configured size limits and the host hooks. Natives never reach global
/// state: everything nondeterministic comes through here so that tests can pin it.
pub struct NativeCtx<'a> {
    pub(crate) env: &'a crate::eval::env::RunEnv,
    pub(crate) interrupt: Option<&'a Arc<AtomicBool>>,
    pub(crate) usage: Option<&'a crate::eval::usage::Usage>,
}

impl<'a> NativeCtx<'a> {
    /// A context over `env` that nothing interrupts.
    pub fn new(env: &'a crate::eval::env::RunEnv) -> Self {
        NativeCtx {
            env,
            interrupt: None,
            usage: None,
        }
    }

    /// The run's environment (time zone, clock, limits, settings, network).
    pub fn env(&self) -> &'a crate::eval::env::RunEnv {
        self.env
    }

    /// Set by Ctrl-C while the run goes on: long waits give up when it becomes true.
    pub fn interrupt(&self) -> Option<&'a Arc<AtomicBool>> {
        self.interrupt
    }
}
