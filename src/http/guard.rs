//! [`EgressGuard`]: a transport wrapper that holds every exchange to an egress policy.

use std::sync::Arc;

use super::error::HttpError;
use super::request::HttpRequest;
use super::response::HttpResponse;
use super::transport::{SendOptions, Transport};
use crate::egress::EgressPolicy;

/// Checks each exchange's URL (host, port, literal address) against a policy, then sends it
/// through the inner transport with the policy in [`SendOptions::egress`], where
/// [`ReqwestTransport`](super::ReqwestTransport) checks every address it connects to.
/// Redirects are separate exchanges, so every hop is checked.
/// [`Engine::set_egress`](crate::Engine::set_egress) installs it.
///
/// ```
/// use std::sync::Arc;
/// use deluge_lang::http::{EgressGuard, HttpRequest, Method, ReqwestTransport, SendOptions, Transport};
/// use deluge_lang::EgressPolicy;
///
/// let guard = EgressGuard::new(Arc::new(ReqwestTransport::new()), Arc::new(EgressPolicy::deny_private()));
/// let request = HttpRequest::new(Method::Get, "http://0x7f.1/admin".parse().unwrap());
/// let options = SendOptions::from_limits(&deluge_lang::Limits::default());
/// let error = guard.send(request, &options).unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "egress policy: refused 127.0.0.1 (address 127.0.0.1): 127.0.0.0/8 is loopback, denied \
///      by the private-network preset"
/// );
/// ```
pub struct EgressGuard {
    inner: Arc<dyn Transport>,
    policy: Arc<EgressPolicy>,
}

impl EgressGuard {
    /// Guards `inner` with `policy`.
    ///
    /// ```
    /// use std::sync::Arc;
    /// let _ = deluge_lang::http::EgressGuard::new(
    ///     Arc::new(deluge_lang::http::ReqwestTransport::new()),
    ///     Arc::new(deluge_lang::EgressPolicy::deny_private()),
    /// );
    /// ```
    pub fn new(inner: Arc<dyn Transport>, policy: Arc<EgressPolicy>) -> EgressGuard {
        EgressGuard { inner, policy }
    }
}

impl Transport for EgressGuard {
    fn send(&self, request: HttpRequest, options: &SendOptions) -> Result<HttpResponse, HttpError> {
        self.policy
            .check_url(&request.url)
            .map_err(HttpError::Egress)?;
        let guarded = SendOptions {
            egress: Some(Arc::clone(&self.policy)),
            ..options.clone()
        };
        self.inner.send(request, &guarded)
    }
}
