//! How a run reaches the network: the [`Network`] a run's `invokeurl` tasks go to.
//!
//! `eval` defines the interface and carries it in [`RunEnv`](super::env::RunEnv); the HTTP
//! layer implements it (`http::HttpNetwork`: the transport, behind the egress policy, and the
//! connection store) and the engine (`api`) sets it up, so the interpreter never names the
//! HTTP engine.

use std::any::Any;

use super::context::NativeCtx;
use super::failure::{ErrorKind, Failure};
use super::value::Value;

/// Where a run's HTTP requests go. The interpreter hands every `invokeurl` task to it; the
/// layers above reach their own implementation through `Any` (the HTTP layer's transport and
/// connection store for `getUrl`, `postUrl` and the Zoho tasks).
///
/// Embedders do not implement it: [`Engine::set_transport`](crate::Engine::set_transport)
/// and [`Engine::set_connections`](crate::Engine::set_connections) configure the HTTP one.
///
/// ```
/// let engine = deluge_lang::Engine::new();
/// let network: &dyn std::any::Any = &*engine.env().network;
/// assert!(network.is::<deluge_lang::http::HttpNetwork>());
/// ```
pub trait Network: Any + Send + Sync {
    /// Runs an `invokeurl` task. `params` are the task's `key: value` entries in source order;
    /// an error is the task's runtime error: its message, kind and cause.
    ///
    /// ```
    /// use deluge_lang::eval::network::{Network, NoNetwork};
    /// let env = deluge_lang::RunEnv::default();
    /// let params = [("url".into(), deluge_lang::Value::text("https://example.com"))];
    /// let error = NoNetwork.invoke_url(&mut deluge_lang::NativeCtx::new(&env), &params);
    /// assert!(error.unwrap_err().message().contains("no HTTP network"));
    /// ```
    fn invoke_url(
        &self,
        ctx: &mut NativeCtx<'_>,
        params: &[(Box<str>, Value)],
    ) -> Result<Value, Failure>;
}

/// No network, the default of a bare [`RunEnv`](super::env::RunEnv): every request fails with
/// an error saying so. [`Engine`](crate::Engine) puts the HTTP engine in its place.
///
/// ```
/// let env = deluge_lang::RunEnv::default();
/// let network: &dyn std::any::Any = &*env.network;
/// assert!(network.is::<deluge_lang::eval::network::NoNetwork>());
/// ```
#[derive(Debug, Default)]
pub struct NoNetwork;

/// The message of every request a run without a network makes.
pub const NO_NETWORK: &str =
    "this run has no HTTP network to send requests with (deluge_lang::Engine sets one up)";

impl Network for NoNetwork {
    fn invoke_url(&self, _: &mut NativeCtx<'_>, _: &[(Box<str>, Value)]) -> Result<Value, Failure> {
        Err(Failure::new(ErrorKind::Network, NO_NETWORK))
    }
}
