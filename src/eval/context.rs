//! What a native function can see of the running engine.

/// The run-time context passed to every native function.
///
/// It gives access to the application time zone and clock (for `now`, `today`, epoch
/// conversions), the configured size limits and the host hooks. Natives never reach global
/// state: everything nondeterministic comes through here so that tests can pin it.
pub struct NativeCtx<'a> {
    /// The run's environment (time zone, clock, limits, host).
    pub env: &'a crate::eval::env::RunEnv,
}
