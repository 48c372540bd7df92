//! The HTTP engine as a run's [`Network`]: the transport every request goes through and the
//! connection store that signs `connection:` requests. The engine (`api`) puts one in
//! `RunEnv::network`; `invokeurl`, `getUrl`, `postUrl` and the Zoho tasks find it there.

use std::any::Any;
use std::sync::Arc;

use super::authorizer::ConnectionAuthorizer;
use super::transport::{ReqwestTransport, Transport};
use crate::eval::context::NativeCtx;
use crate::eval::env::RunEnv;
use crate::eval::failure::Failure;
use crate::eval::network::{Network, NO_NETWORK};
use crate::eval::value::Value;

/// The HTTP engine a run sends its requests with.
///
/// [`Engine`](crate::Engine) builds it from [`Engine::set_transport`](crate::Engine::set_transport)
/// (behind the egress policy) and [`Engine::set_connections`](crate::Engine::set_connections).
///
/// ```
/// use std::sync::Arc;
/// use deluge_lang::http::{invoke_url, HttpNetwork};
/// use deluge_lang::{NativeCtx, RunEnv, Value};
///
/// let env = RunEnv { network: Arc::new(HttpNetwork::default()), ..RunEnv::default() };
/// let params = [("url", Value::text("ftp://example.com"))];
/// let error = invoke_url(&mut NativeCtx::new(&env), &params).unwrap_err();
/// assert!(error.message().contains("ftp"), "{error}");
/// assert_eq!(error.kind(), deluge_lang::ErrorKind::Script);
/// ```
#[derive(Clone)]
pub struct HttpNetwork {
    /// Sends every request and redirect hop (with the engine's egress guard in front of it
    /// when the engine has a policy).
    pub transport: Arc<dyn Transport>,
    /// Signs `invokeurl ... connection: "name"` requests and the Zoho tasks; `None` when the
    /// host offers no connections.
    pub connections: Option<Arc<dyn ConnectionAuthorizer>>,
}

impl Default for HttpNetwork {
    /// The built-in reqwest transport (one keep-alive client, created on the first request)
    /// and no connections.
    fn default() -> Self {
        HttpNetwork {
            transport: Arc::new(ReqwestTransport::new()),
            connections: None,
        }
    }
}

impl Network for HttpNetwork {
    fn invoke_url(
        &self,
        ctx: &mut NativeCtx<'_>,
        params: &[(Box<str>, Value)],
    ) -> Result<Value, Failure> {
        super::invoke::invoke_on(self, ctx, params)
    }
}

/// The HTTP engine of `env`; an error when the run has another network or none.
///
/// ```
/// use deluge_lang::http::network_of;
/// assert!(network_of(deluge_lang::Engine::new().env()).is_ok());
/// assert!(network_of(&deluge_lang::RunEnv::default()).is_err());
/// ```
pub fn network_of(env: &RunEnv) -> Result<&HttpNetwork, String> {
    let network: &dyn Any = &*env.network;
    network
        .downcast_ref::<HttpNetwork>()
        .ok_or_else(|| NO_NETWORK.to_owned())
}

/// The connection store of `env`'s HTTP engine; `None` without one.
///
/// ```
/// let mut engine = deluge_lang::Engine::new();
/// engine.set_connections(None);
/// assert!(deluge_lang::http::connections_of(engine.env()).is_none());
/// ```
pub fn connections_of(env: &RunEnv) -> Option<&dyn ConnectionAuthorizer> {
    network_of(env).ok()?.connections.as_deref()
}
