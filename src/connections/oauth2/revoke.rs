//! Token revocation (RFC 7009): `POST token=…&token_type_hint=…` with the same client
//! authentication as the token endpoint. Written by hand because the `oauth2` crate refuses
//! plain-HTTP revocation URLs even on the loopback interface. Sent through [`OAuthHttp`]
//! (1 MiB cap, errors without the URL).

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;

use super::client::{check_endpoint_url, Endpoints};
use super::error::OAuthError;
use super::http::OAuthHttp;
use crate::http::request::{host_port, Body, HttpRequest, Method};

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

impl TokenKind {
    fn hint(self) -> &'static str {
        match self {
            TokenKind::Refresh => "refresh_token",
            TokenKind::Access => "access_token",
        }
    }
}

/// Revokes `token` at the service's revocation endpoint.
pub fn revoke(
    endpoints: &Endpoints,
    token: &str,
    kind: TokenKind,
) -> Result<Revocation, OAuthError> {
    let Some(url) = endpoints.revoke_url.as_deref() else {
        return Ok(Revocation::NoEndpoint);
    };
    let url = check_endpoint_url(url, "revoke")?;
    let mut form = vec![
        ("token".to_owned(), token.to_owned()),
        ("token_type_hint".to_owned(), kind.hint().to_owned()),
    ];
    let mut request = HttpRequest::new(Method::Post, url.clone());
    if endpoints.basic_client_auth && endpoints.client_secret.is_some() {
        request.set_header("Authorization", basic_client_auth(endpoints));
    } else {
        form.push(("client_id".to_owned(), endpoints.client_id.clone()));
        if let Some(secret) = &endpoints.client_secret {
            form.push(("client_secret".to_owned(), secret.expose().to_owned()));
        }
    }
    request.set_header("Accept", "application/json");
    request.body = Body::Form(form);
    let response = OAuthHttp::new()
        .send(request)
        .map_err(|e| OAuthError::Transport {
            step: "revocation",
            detail: e.to_string(),
        })?;
    if (200..300).contains(&response.status) {
        return Ok(Revocation::Revoked);
    }
    let body = String::from_utf8_lossy(&response.body);
    Err(error_from_body(response.status, &body, &host_port(&url)))
}

/// `Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1).
fn basic_client_auth(endpoints: &Endpoints) -> String {
    let encode =
        |text: &str| url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
    let secret = endpoints
        .client_secret
        .as_ref()
        .map(|s| s.expose())
        .unwrap_or_default();
    let pair = format!("{}:{}", encode(&endpoints.client_id), encode(secret));
    format!("Basic {}", BASE64.encode(pair))
}

/// The error a non-2xx answer stands for; `host` is `host:port` (never the URL).
fn error_from_body(status: u16, body: &str, host: &str) -> OAuthError {
    let json: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let field = |name: &str| {
        json.as_ref()
            .and_then(|v| v.get(name))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    match field("error") {
        Some(code) => OAuthError::Provider {
            step: "revocation",
            code,
            description: field("error_description"),
        },
        None => OAuthError::Transport {
            step: "revocation",
            detail: format!("HTTP {status} from {host}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connections::oauth2::ScopeJoin;

    #[test]
    fn basic_client_auth_form_encodes_both_parts() {
        let endpoints = Endpoints {
            client_id: "my id".into(),
            client_secret: Some(crate::connections::secret::Secret::from("a:b&c")),
            authorize_url: None,
            token_url: "https://example.com/token".into(),
            refresh_url: None,
            revoke_url: None,
            device_url: None,
            scope_join: ScopeJoin::Space,
            basic_client_auth: true,
            pkce: true,
            auth_params: Vec::new(),
        };
        let expected = format!("Basic {}", BASE64.encode("my+id:a%3Ab%26c"));
        assert_eq!(basic_client_auth(&endpoints), expected);
    }

    #[test]
    fn error_bodies_become_messages() {
        let error = error_from_body(400, r#"{"error":"unsupported_token_type"}"#, "x:443");
        assert_eq!(
            error.to_string(),
            "the provider rejected the revocation: unsupported_token_type"
        );
        let error = error_from_body(503, "busy", "x:443");
        assert_eq!(error.to_string(), "revocation failed: HTTP 503 from x:443");
    }
}
