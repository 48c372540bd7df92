//! The engine's egress policy: [`Engine::set_egress`] wraps the transport in an
//! [`EgressGuard`] so that every request of every run obeys the policy; and the run's
//! network, built from the guarded transport and the connection store.

use std::sync::Arc;

use crate::api::engine::Engine;
use crate::egress::EgressPolicy;
use crate::http::{EgressGuard, HttpNetwork};

impl Engine {
    /// Holds every HTTP request of the engine's runs (`invokeurl`, `getUrl`/`postUrl`, the
    /// Zoho tasks) to `policy`: each request and redirect hop is checked before it is sent,
    /// and the built-in transport checks each address a name resolves to when it connects. A
    /// refusal stops the request with an error naming the host, the address and the rule.
    /// Connections' allowed hosts still apply on top. [`EgressPolicy::allow_all`] removes
    /// the policy.
    ///
    /// ```
    /// use deluge_lang::{Engine, EgressPolicy};
    /// let mut engine = Engine::new();
    /// engine.set_egress(EgressPolicy::deny_private());
    /// let error = engine.run(r#"invokeurl [ url: "http://169.254.169.254/latest/" type: GET ];"#);
    /// let message = error.unwrap_err().to_string();
    /// assert!(message.contains("egress policy: refused 169.254.169.254"), "{message}");
    /// assert!(message.contains("link-local (cloud metadata"), "{message}");
    /// ```
    pub fn set_egress(&mut self, policy: EgressPolicy) {
        self.egress = (!policy.is_open()).then(|| Arc::new(policy));
        self.wire_network();
    }

    /// The egress policy set with [`set_egress`](Engine::set_egress), if any.
    ///
    /// ```
    /// let mut engine = deluge_lang::Engine::new();
    /// assert!(engine.egress().is_none());
    /// engine.set_egress(deluge_lang::EgressPolicy::deny_private());
    /// assert!(engine.egress().is_some());
    /// ```
    pub fn egress(&self) -> Option<&EgressPolicy> {
        self.egress.as_deref()
    }

    /// The transport as set with [`set_transport`](Engine::set_transport) (the built-in one by
    /// default), without the egress guard: to wrap it in another transport.
    ///
    /// ```
    /// let engine = deluge_lang::Engine::new();
    /// let _transport = engine.transport();
    /// ```
    pub fn transport(&self) -> Arc<dyn crate::http::Transport> {
        Arc::clone(&self.transport)
    }

    /// Gives the runs the HTTP engine: the transport as set behind the egress guard (or not,
    /// without a policy) and the connection store as set.
    pub(crate) fn wire_network(&mut self) {
        let transport: Arc<dyn crate::http::Transport> = match &self.egress {
            Some(policy) => Arc::new(EgressGuard::new(
                Arc::clone(&self.transport),
                Arc::clone(policy),
            )),
            None => Arc::clone(&self.transport),
        };
        self.env.network = Arc::new(HttpNetwork {
            transport,
            connections: self.connections.clone(),
        });
    }
}
