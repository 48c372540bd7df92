//! How a service authenticates: API-key parameters and their placement, Basic, the OAuth 1 and
//! OAuth 2 settings, and the names and spellings of each choice.

use crate::connections::ConnectionError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;

/// Where an API-key parameter (or the OAuth 1 protocol parameters) goes in a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Placement {
    /// The URL's query string.
    Query,
    /// An `application/x-www-form-urlencoded` (or multipart) body field.
    Form,
    /// A request header.
    Header,
}

impl Placement {
    /// The name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Placement::Query => "query",
            Placement::Form => "form",
            Placement::Header => "header",
        }
    }
}

impl FromStr for Placement {
    type Err = ConnectionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "query" => Ok(Placement::Query),
            "form" => Ok(Placement::Form),
            "header" => Ok(Placement::Header),
            _ => Err(ConnectionError::InvalidInput(format!(
                "unknown placement {text:?}; use query, form or header"
            ))),
        }
    }
}

/// One parameter of an API-key service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyParam {
    /// The name on the wire: query or form field name, or header name.
    pub key: String,
    /// The label shown when asking for the value.
    pub label: String,
    /// Where the value goes.
    pub placement: Placement,
}

/// OAuth 1 signature methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignatureMethod {
    /// HMAC-SHA1 (the default).
    #[serde(rename = "HMAC-SHA1")]
    HmacSha1,
    /// HMAC-SHA256.
    #[serde(rename = "HMAC-SHA256")]
    HmacSha256,
    /// PLAINTEXT.
    #[serde(rename = "PLAINTEXT")]
    Plaintext,
}

impl SignatureMethod {
    /// The name on the wire and on the command line: `HMAC-SHA1`, `HMAC-SHA256`, `PLAINTEXT`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureMethod::HmacSha1 => "HMAC-SHA1",
            SignatureMethod::HmacSha256 => "HMAC-SHA256",
            SignatureMethod::Plaintext => "PLAINTEXT",
        }
    }
}

impl FromStr for SignatureMethod {
    type Err = ConnectionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_uppercase().as_str() {
            "HMAC-SHA1" => Ok(SignatureMethod::HmacSha1),
            "HMAC-SHA256" => Ok(SignatureMethod::HmacSha256),
            "PLAINTEXT" => Ok(SignatureMethod::Plaintext),
            _ => Err(ConnectionError::InvalidInput(format!(
                "unknown OAuth 1 signature method {text:?}; use HMAC-SHA1, HMAC-SHA256 or \
                 PLAINTEXT"
            ))),
        }
    }
}

/// An OAuth 1.0a service. The consumer secret lives in [`ServiceSecrets`](super::model::ServiceSecrets).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuth1Spec {
    /// Temporary-credentials endpoint.
    pub request_token_url: String,
    /// Where the user approves access.
    pub authorize_url: String,
    /// Token-credentials endpoint.
    pub access_token_url: String,
    /// The consumer (client) key.
    pub consumer_key: String,
    /// How requests are signed.
    pub signature_method: SignatureMethod,
    /// Where the `oauth_*` parameters go.
    pub placement: Placement,
}

/// OAuth 2 grant types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grant {
    /// Authorization code (with PKCE unless disabled).
    AuthorizationCode,
    /// Client credentials.
    ClientCredentials,
    /// Device authorization (RFC 8628).
    Device,
}

impl Grant {
    /// The command-line name: `authorization-code`, `client-credentials`, `device`.
    pub fn as_str(self) -> &'static str {
        match self {
            Grant::AuthorizationCode => "authorization-code",
            Grant::ClientCredentials => "client-credentials",
            Grant::Device => "device",
        }
    }
}

impl FromStr for Grant {
    type Err = ConnectionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().replace('_', "-").as_str() {
            "authorization-code" => Ok(Grant::AuthorizationCode),
            "client-credentials" => Ok(Grant::ClientCredentials),
            "device" => Ok(Grant::Device),
            _ => Err(ConnectionError::InvalidInput(format!(
                "unknown OAuth 2 grant {text:?}; use authorization-code, client-credentials or \
                 device"
            ))),
        }
    }
}

/// How several OAuth 2 scopes are joined.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScopeDelimiter {
    /// `,` (Zoho's default).
    #[default]
    Comma,
    /// ` ` (the RFC 6749 form).
    Space,
    /// `+`.
    Plus,
}

impl ScopeDelimiter {
    /// The command-line name: `comma`, `space`, `plus`.
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeDelimiter::Comma => "comma",
            ScopeDelimiter::Space => "space",
            ScopeDelimiter::Plus => "plus",
        }
    }

    /// The separator character.
    pub fn separator(self) -> &'static str {
        match self {
            ScopeDelimiter::Comma => ",",
            ScopeDelimiter::Space => " ",
            ScopeDelimiter::Plus => "+",
        }
    }
}

impl FromStr for ScopeDelimiter {
    type Err = ConnectionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "comma" | "," => Ok(ScopeDelimiter::Comma),
            "space" | " " => Ok(ScopeDelimiter::Space),
            "plus" | "+" => Ok(ScopeDelimiter::Plus),
            _ => Err(ConnectionError::InvalidInput(format!(
                "unknown scope delimiter {text:?}; use comma, space or plus"
            ))),
        }
    }
}

/// How an OAuth 2 client authenticates at the token endpoint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClientAuth {
    /// HTTP Basic with the client id and secret (RFC 6749 §2.3.1, recommended).
    #[default]
    Basic,
    /// `client_id` and `client_secret` in the form body.
    Body,
}

fn default_true() -> bool {
    true
}

fn default_token_prefix() -> String {
    "Bearer".to_owned()
}

/// An OAuth 2 service. The client secret lives in [`ServiceSecrets`](super::model::ServiceSecrets).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuth2Spec {
    /// The grant used by `dlg connection authorize`.
    pub grant: Grant,
    /// The client id.
    pub client_id: String,
    /// Authorization endpoint (authorization-code grant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorize_url: Option<String>,
    /// Token endpoint.
    pub token_url: String,
    /// Refresh endpoint, when it differs from the token endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_url: Option<String>,
    /// RFC 7009 revocation endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke_url: Option<String>,
    /// RFC 8628 device authorization endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_url: Option<String>,
    /// How scopes are joined.
    #[serde(default)]
    pub scope_delimiter: ScopeDelimiter,
    /// The `Authorization` scheme: `Bearer`, or `Zoho-oauthtoken` for Zoho APIs.
    #[serde(default = "default_token_prefix")]
    pub token_prefix: String,
    /// Extra parameters for the authorize URL (e.g. `access_type=offline`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub auth_params: BTreeMap<String, String>,
    /// Whether PKCE (S256) is used.
    #[serde(default = "default_true")]
    pub pkce: bool,
    /// How the client authenticates at the token endpoint.
    #[serde(default)]
    pub client_auth: ClientAuth,
}

/// The authentication type of a service and its settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AuthSpec {
    /// API key: any number of parameters, each placed in the query, form body or a header.
    ApiKey {
        /// The parameters asked for when authorizing.
        params: Vec<ApiKeyParam>,
    },
    /// HTTP Basic (RFC 7617): username and password.
    Basic,
    /// OAuth 1.0a.
    #[serde(rename = "oauth1")]
    OAuth1(OAuth1Spec),
    /// OAuth 2.
    #[serde(rename = "oauth2")]
    OAuth2(OAuth2Spec),
}

impl AuthSpec {
    /// The kind of authentication.
    pub fn kind(&self) -> AuthKind {
        match self {
            AuthSpec::ApiKey { .. } => AuthKind::ApiKey,
            AuthSpec::Basic => AuthKind::Basic,
            AuthSpec::OAuth1(_) => AuthKind::OAuth1,
            AuthSpec::OAuth2(_) => AuthKind::OAuth2,
        }
    }
}

/// The four authentication types, without their settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthKind {
    /// API key.
    ApiKey,
    /// Basic.
    Basic,
    /// OAuth 1.
    OAuth1,
    /// OAuth 2.
    OAuth2,
}

impl AuthKind {
    /// The name used on the command line and in JSON: `api-key`, `basic`, `oauth1`, `oauth2`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthKind::ApiKey => "api-key",
            AuthKind::Basic => "basic",
            AuthKind::OAuth1 => "oauth1",
            AuthKind::OAuth2 => "oauth2",
        }
    }

    /// The name used in sentences.
    pub fn title(self) -> &'static str {
        match self {
            AuthKind::ApiKey => "API key",
            AuthKind::Basic => "Basic authentication",
            AuthKind::OAuth1 => "OAuth 1",
            AuthKind::OAuth2 => "OAuth 2",
        }
    }
}

impl FromStr for AuthKind {
    type Err = ConnectionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().replace('_', "-").as_str() {
            "api-key" | "apikey" => Ok(AuthKind::ApiKey),
            "basic" => Ok(AuthKind::Basic),
            "oauth1" => Ok(AuthKind::OAuth1),
            "oauth2" => Ok(AuthKind::OAuth2),
            _ => Err(ConnectionError::InvalidInput(format!(
                "unknown authentication type {text:?}; use api-key, basic, oauth1 or oauth2"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_spec_json_shape() {
        let spec = AuthSpec::ApiKey {
            params: vec![ApiKeyParam {
                key: "api-key".into(),
                label: "API key".into(),
                placement: Placement::Header,
            }],
        };
        let json = serde_json::to_string(&spec).unwrap();
        assert_eq!(
            json,
            r#"{"type":"api_key","params":[{"key":"api-key","label":"API key","placement":"header"}]}"#
        );
        assert_eq!(
            serde_json::to_string(&AuthSpec::Basic).unwrap(),
            r#"{"type":"basic"}"#
        );
    }
}
