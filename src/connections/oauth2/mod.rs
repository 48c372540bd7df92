//! OAuth 2.0: authorization code with PKCE, client credentials, device flow, refresh, revoke.

pub mod pkce;
