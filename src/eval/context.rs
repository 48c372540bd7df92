//! What a native function can see of the running engine.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;


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
}
