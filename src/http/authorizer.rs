//! What `invokeurl` needs from the connection store: sign a request for a link name, and renew
//! a connection's credentials once after the provider answered 401.
//!
//! This is a local copy of the interface the connection manager (`crate::connections`)
//! implements; it is replaced by that module's trait when it lands. Only `Display` of the
//! error is used here, so messages come from the connection manager unchanged.

use std::fmt;

use super::request::HttpRequest;

/// Why a connection could not sign a request. The message never holds a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionError(pub String);

impl fmt::Display for ConnectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConnectionError {}

/// Adds a connection's credentials to requests.
pub trait ConnectionAuthorizer: Send + Sync {
    /// Adds the credentials of connection `link_name` to `request` (header, query or form
    /// parameters, or a signature over the final request). Fails when the connection is
    /// unknown, not connected, revoked, or may not send credentials to the request's host.
    fn authorize(&self, link_name: &str, request: &mut HttpRequest) -> Result<(), ConnectionError>;

    /// Called once when a signed request got 401: renews the credentials if the connection
    /// can (OAuth 2 refresh). `Ok(true)` means a retry is worthwhile.
    fn renew_after_unauthorized(&self, link_name: &str) -> Result<bool, ConnectionError>;
}
