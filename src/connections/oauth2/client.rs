//! The runtime-configured `oauth2` crate client (its HTTP client is [`super::http::OAuthHttp`]).

use std::time::Duration;

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
};
use oauth2::{
    AuthType, AuthUrl, ClientId, ClientSecret, DeviceAuthorizationUrl, EndpointMaybeSet,
    EndpointNotSet, RedirectUrl, StandardRevocableToken, TokenUrl,
};

use super::error::OAuthError;
use super::tokens::TokenResponse;
use crate::connections::hosts::is_loopback;
use crate::connections::secret::Secret;

/// How long one request to an authorization server may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The `oauth2` client with every endpoint optional (our services are configured at run time).
pub type DynClient = oauth2::Client<
    BasicErrorResponse,
    TokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointMaybeSet,
    EndpointMaybeSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
>;

/// How scopes are joined into one `scope` parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeJoin {
    /// `a,b` (Zoho's default).
    Comma,
    /// `a b` (RFC 6749).
    Space,
    /// `a+b`.
    Plus,
}

impl ScopeJoin {
    /// Joins `scopes` with this delimiter; `None` when there are none.
    pub fn join(self, scopes: &[String]) -> Option<String> {
        let separator = match self {
            ScopeJoin::Comma => ",",
            ScopeJoin::Space => " ",
            ScopeJoin::Plus => "+",
        };
        let scopes: Vec<&str> = scopes
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        (!scopes.is_empty()).then(|| scopes.join(separator))
    }
}

/// Everything needed to talk to one OAuth 2 provider. `Debug` hides the client secret.
#[derive(Clone)]
pub struct Endpoints {
    /// The client id.
    pub client_id: String,
    /// The client secret (confidential clients).
    pub client_secret: Option<Secret>,
    /// Authorization endpoint.
    pub authorize_url: Option<String>,
    /// Token endpoint.
    pub token_url: String,
    /// Refresh endpoint when it differs from the token endpoint.
    pub refresh_url: Option<String>,
    /// RFC 7009 revocation endpoint.
    pub revoke_url: Option<String>,
    /// RFC 8628 device authorization endpoint.
    pub device_url: Option<String>,
    /// How scopes are joined.
    pub scope_join: ScopeJoin,
    /// Client authentication at the token endpoint: HTTP Basic (`true`) or in the body.
    pub basic_client_auth: bool,
    /// Whether PKCE S256 is used for the authorization-code grant.
    pub pkce: bool,
    /// Extra authorize-URL parameters (e.g. `access_type=offline`).
    pub auth_params: Vec<(String, String)>,
}

impl std::fmt::Debug for Endpoints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoints")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "***"))
            .field("authorize_url", &self.authorize_url)
            .field("token_url", &self.token_url)
            .field("refresh_url", &self.refresh_url)
            .field("revoke_url", &self.revoke_url)
            .field("device_url", &self.device_url)
            .finish_non_exhaustive()
    }
}

/// Which endpoint serves as the token endpoint for a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenEndpoint {
    /// The token URL.
    Token,
    /// The refresh URL when set, else the token URL.
    Refresh,
}

impl Endpoints {
    /// Builds the `oauth2` client; `redirect` is the loopback redirect URI when one is used.
    pub fn client(
        &self,
        token_endpoint: TokenEndpoint,
        redirect: Option<&str>,
    ) -> Result<DynClient, OAuthError> {
        let token_url = match token_endpoint {
            TokenEndpoint::Refresh => self.refresh_url.as_deref().unwrap_or(&self.token_url),
            TokenEndpoint::Token => &self.token_url,
        };
        let mut client = oauth2::Client::new(ClientId::new(self.client_id.clone()))
            .set_auth_uri_option(parse_opt(
                self.authorize_url.as_deref(),
                "authorize",
                AuthUrl::new,
            )?)
            .set_device_authorization_url_option(parse_opt(
                self.device_url.as_deref(),
                "device authorization",
                DeviceAuthorizationUrl::new,
            )?)
            .set_token_uri_option(parse_opt(Some(token_url), "token", TokenUrl::new)?)
            .set_auth_type(if self.basic_client_auth {
                AuthType::BasicAuth
            } else {
                AuthType::RequestBody
            });
        if let Some(secret) = &self.client_secret {
            client = client.set_client_secret(ClientSecret::new(secret.expose().to_owned()));
        }
        if let Some(redirect) = redirect {
            let redirect = RedirectUrl::new(redirect.to_owned())
                .map_err(|e| OAuthError::Config(format!("bad redirect URI {redirect}: {e}")))?;
            client = client.set_redirect_uri(redirect);
        }
        Ok(client)
    }
}

fn parse_opt<T>(
    url: Option<&str>,
    what: &str,
    make: impl FnOnce(String) -> Result<T, url::ParseError>,
) -> Result<Option<T>, OAuthError> {
    url.map(|url| {
        let checked = check_endpoint_url(url, what)?;
        make(checked.into()).map_err(|e| {
            OAuthError::Config(format!(
                "the service's {what} URL \"{url}\" is not a valid URL: {e}"
            ))
        })
    })
    .transpose()
}

/// Parses an endpoint URL and refuses plain HTTP except on the loopback interface: tokens and
/// client secrets travel to these endpoints.
pub fn check_endpoint_url(url: &str, what: &str) -> Result<url::Url, OAuthError> {
    let parsed = url::Url::parse(url).map_err(|e| {
        OAuthError::Config(format!(
            "the service's {what} URL \"{url}\" is not a valid URL: {e}"
        ))
    })?;
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if is_loopback(&parsed) => Ok(parsed),
        scheme => Err(OAuthError::Config(format!(
            "the service's {what} URL \"{url}\" uses {scheme}; OAuth endpoints must use https \
             (plain http is accepted only for 127.0.0.1, ::1 and localhost)"
        ))),
    }
}

/// Logs (a debug record) that `what` goes to the token endpoint `url`, secrets redacted.
pub fn log_token_request(what: &str, url: &str) {
    match url::Url::parse(url) {
        Ok(url) => log::debug!(
            "oauth2: {what} at {}",
            crate::http::verbose::redacted_url(&url, &[])
        ),
        Err(_) => log::debug!("oauth2: {what}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_join_with_the_service_delimiter() {
        let scopes = vec![
            "ZohoCRM.modules.ALL".to_owned(),
            " ZohoCRM.users.READ ".to_owned(),
        ];
        assert_eq!(
            ScopeJoin::Comma.join(&scopes).as_deref(),
            Some("ZohoCRM.modules.ALL,ZohoCRM.users.READ")
        );
        assert_eq!(
            ScopeJoin::Space.join(&scopes).as_deref(),
            Some("ZohoCRM.modules.ALL ZohoCRM.users.READ")
        );
        assert_eq!(
            ScopeJoin::Plus.join(&scopes).as_deref(),
            Some("ZohoCRM.modules.ALL+ZohoCRM.users.READ")
        );
        assert_eq!(ScopeJoin::Space.join(&[]), None);
    }

    #[test]
    fn bad_urls_are_reported_with_their_role() {
        let endpoints = Endpoints {
            client_id: "id".into(),
            client_secret: Some(Secret::from("s3cret")),
            authorize_url: Some("not a url".into()),
            token_url: "https://example.com/token".into(),
            refresh_url: None,
            revoke_url: None,
            device_url: None,
            scope_join: ScopeJoin::Space,
            basic_client_auth: true,
            pkce: true,
            auth_params: Vec::new(),
        };
        let error = endpoints.client(TokenEndpoint::Token, None).unwrap_err();
        assert!(
            error.to_string().contains("authorize URL \"not a url\""),
            "{error}"
        );
        assert!(!format!("{endpoints:?}").contains("s3cret"));
    }

    #[test]
    fn plain_http_is_refused_except_on_the_loopback() {
        assert!(check_endpoint_url("http://127.0.0.1:8080/token", "token").is_ok());
        assert!(check_endpoint_url("http://[::1]/token", "token").is_ok());
        assert!(check_endpoint_url("http://localhost/token", "token").is_ok());
        let error = check_endpoint_url("http://auth.example.com/token", "token").unwrap_err();
        assert_eq!(
            error.to_string(),
            "the service's token URL \"http://auth.example.com/token\" uses http; OAuth endpoints \
             must use https (plain http is accepted only for 127.0.0.1, ::1 and localhost)"
        );
    }
}
