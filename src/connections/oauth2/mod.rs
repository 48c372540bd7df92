//! OAuth 2.0: authorization code with PKCE and a loopback redirect, client credentials, the
//! device grant, refresh and revocation, on top of the `oauth2` crate.

pub mod client;
pub mod connection;
pub mod error;
pub mod flow;
pub mod http;
pub mod loopback;
pub mod pkce;
pub mod refresh;
pub mod renewals;
pub mod revoke;
pub mod tokens;
pub mod ui;

pub use client::{Endpoints, ScopeJoin};
pub use error::OAuthError;
pub use tokens::TokenSet;

/// The current time to the second.
fn now() -> jiff::Timestamp {
    jiff::Timestamp::from_second(jiff::Timestamp::now().as_second())
        .unwrap_or_else(|_| jiff::Timestamp::now())
}
