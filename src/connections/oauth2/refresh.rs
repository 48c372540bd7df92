//! The refresh-token grant (RFC 6749 §6) as a single HTTP exchange. Deciding *when* to refresh,
//! single-flight locking and persisting the result live in the connection authorizer.

use oauth2::RefreshToken;

use super::client::{log_token_request, Endpoints, TokenEndpoint};
use super::error::{from_token_error, OAuthError};
use super::http::OAuthHttp;
use super::tokens::{TokenSet, DEFAULT_USER_TOKEN_LIFETIME};

/// Exchanges `refresh_token` for a new token set at the refresh (or token) endpoint. When the
/// response has no refresh token, the caller keeps the old one.
pub fn refresh(endpoints: &Endpoints, refresh_token: &str) -> Result<TokenSet, OAuthError> {
    let client = endpoints.client(TokenEndpoint::Refresh, None)?;
    let token = RefreshToken::new(refresh_token.to_owned());
    let url = endpoints.refresh_url.as_deref();
    log_token_request(
        "refreshing the access token",
        url.unwrap_or(&endpoints.token_url),
    );
    let response = client
        .exchange_refresh_token(&token)
        .map_err(|_| OAuthError::Config("the service has no token URL".to_owned()))?
        .request(&OAuthHttp::new())
        .map_err(|e| from_token_error("refresh", e))?;
    TokenSet::from_response(&response, super::now(), DEFAULT_USER_TOKEN_LIFETIME).map_err(
        |detail| OAuthError::Transport {
            step: "refresh",
            detail,
        },
    )
}
