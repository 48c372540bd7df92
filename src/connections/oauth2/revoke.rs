//! Token revocation (RFC 7009).

use oauth2::{AccessToken, RefreshToken, StandardRevocableToken};

use super::client::{http_client, Endpoints, TokenEndpoint};
use super::error::OAuthError;

/// What a revocation achieved at the provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Revocation {
    /// The provider confirmed (RFC 7009 answers 200 even for unknown tokens).
    Revoked,
    /// The service has no revocation URL: the tokens can only be forgotten locally.
    NoEndpoint,
}

/// Which token to revoke.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A refresh token (revokes the whole grant at most providers).
    Refresh,
    /// An access token.
    Access,
}

/// Revokes `token` at the service's revocation endpoint, with the same client authentication
/// as the token endpoint and a `token_type_hint`.
pub fn revoke(
    endpoints: &Endpoints,
    token: &str,
    kind: TokenKind,
) -> Result<Revocation, OAuthError> {
    if endpoints.revoke_url.is_none() {
        return Ok(Revocation::NoEndpoint);
    }
    let client = endpoints.client(TokenEndpoint::Token, None)?;
    let token = match kind {
        TokenKind::Refresh => {
            StandardRevocableToken::RefreshToken(RefreshToken::new(token.to_owned()))
        }
        TokenKind::Access => {
            StandardRevocableToken::AccessToken(AccessToken::new(token.to_owned()))
        }
    };
    client
        .revoke_token(token)
        .map_err(|e| OAuthError::Config(e.to_string()))?
        .request(&http_client()?)
        .map_err(|e| match e {
            oauth2::RequestTokenError::ServerResponse(response) => OAuthError::Provider {
                step: "revocation",
                code: response.error().to_string(),
                description: response.error_description().cloned(),
            },
            oauth2::RequestTokenError::Request(source) => OAuthError::Transport {
                step: "revocation",
                detail: source.to_string(),
            },
            other => OAuthError::Transport {
                step: "revocation",
                detail: other.to_string(),
            },
        })?;
    Ok(Revocation::Revoked)
}
