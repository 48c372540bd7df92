//! Services (how to authenticate to an API) and connections (one authorized account of a service,
//! addressed from scripts by its link name), plus the credentials a connection holds.
//!
//! These types hold no secrets except [`Credentials`] and [`ServiceSecrets`], which the store
//! keeps encrypted and hands out only on request.

use super::errors::ConnectionError;
use super::secret::Secret;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// The longest link name allowed.
pub const MAX_LINK_NAME_LEN: usize = 50;

/// What a link name names, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    /// A connection link name.
    Connection,
    /// A service link name.
    Service,
}

impl NameKind {
    fn as_str(self) -> &'static str {
        match self {
            NameKind::Connection => "connection",
            NameKind::Service => "service",
        }
    }
}

/// Checks a link name against `^[a-z][a-z0-9_]{0,49}$`, explaining what is wrong.
pub fn validate_link_name(kind: NameKind, name: &str) -> Result<(), ConnectionError> {
    let invalid = |reason: String| ConnectionError::InvalidName {
        kind: kind.as_str(),
        reason,
    };
    let Some(first) = name.chars().next() else {
        return Err(invalid(
            "the name is empty; use 1 to 50 characters: a lowercase letter first, then \
             lowercase letters, digits or _"
                .into(),
        ));
    };
    let length = name.chars().count();
    if length > MAX_LINK_NAME_LEN {
        return Err(invalid(format!(
            "{name:?} is {length} characters long; the limit is {MAX_LINK_NAME_LEN}"
        )));
    }
    if !first.is_ascii_lowercase() {
        return Err(invalid(format!(
            "{name:?} must start with a lowercase letter (a-z), not {first:?}"
        )));
    }
    let bad = name
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_'));
    if let Some((index, c)) = bad {
        return Err(invalid(format!(
            "{name:?} contains {c:?} at position {}; only lowercase letters (a-z), digits and _ \
             are allowed",
            index + 1
        )));
    }
    Ok(())
}

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

/// An OAuth 1.0a service. The consumer secret lives in [`ServiceSecrets`].
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

/// An OAuth 2 service. The client secret lives in [`ServiceSecrets`].
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

/// A service: how to authenticate to one API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    /// Unique id (`^[a-z][a-z0-9_]{0,49}$`).
    pub link_name: String,
    /// Display name.
    pub display_name: String,
    /// True for services shipped with dlg.
    #[serde(default)]
    pub builtin: bool,
    /// Hosts the credentials may be sent to (normalized; `*.example.com` covers subdomains).
    #[serde(default)]
    pub allowed_hosts: Vec<String>,
    /// Authentication type and settings.
    pub auth: AuthSpec,
    /// When it was created.
    #[serde(with = "rfc3339")]
    pub created_at: Timestamp,
    /// When it was last changed.
    #[serde(with = "rfc3339")]
    pub updated_at: Timestamp,
}

/// The secret part of a service definition, stored encrypted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSecrets {
    /// OAuth 2 client secret or OAuth 1 consumer secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Secret>,
}

impl ServiceSecrets {
    /// True when nothing is set.
    pub fn is_empty(&self) -> bool {
        self.client_secret.is_none()
    }
}

/// Where a connection stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Created but never authorized, or the authorization failed.
    NotConnected,
    /// Authorized and usable.
    Connected,
    /// Revoked: credentials dropped, definition kept.
    Disconnected,
    /// The provider rejected the grant; authorize again.
    NeedsReauth,
}

impl Status {
    /// The JSON name: `not_connected`, `connected`, `disconnected`, `needs_reauth`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotConnected => "not_connected",
            Status::Connected => "connected",
            Status::Disconnected => "disconnected",
            Status::NeedsReauth => "needs_reauth",
        }
    }
}

impl fmt::Display for Status {
    /// The human form: `connected`, `not connected`, `disconnected`, `needs re-authorization`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::NotConnected => "not connected",
            Status::Connected => "connected",
            Status::Disconnected => "disconnected",
            Status::NeedsReauth => "needs re-authorization",
        })
    }
}

/// A connection: one authorized use of a service, named by an immutable link name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connection {
    /// The name scripts use (`^[a-z][a-z0-9_]{0,49}$`); never changes.
    pub link_name: String,
    /// Display name; may change.
    pub display_name: String,
    /// The service's link name.
    pub service: String,
    /// OAuth 2 scopes.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Where it stands.
    pub status: Status,
    /// Hosts allowed for this connection on top of the service's.
    #[serde(default)]
    pub extra_hosts: Vec<String>,
    /// When it was created.
    #[serde(with = "rfc3339")]
    pub created_at: Timestamp,
    /// When it was last changed.
    #[serde(with = "rfc3339")]
    pub updated_at: Timestamp,
    /// When it was last authorized.
    #[serde(default, with = "rfc3339_opt", skip_serializing_if = "Option::is_none")]
    pub authorized_at: Option<Timestamp>,
    /// OAuth 2: when the access token expires.
    #[serde(default, with = "rfc3339_opt", skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    /// OAuth 2: when the last refresh succeeded.
    #[serde(default, with = "rfc3339_opt", skip_serializing_if = "Option::is_none")]
    pub last_refresh_at: Option<Timestamp>,
    /// OAuth 2: why the last refresh failed (never a token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_refresh_error: Option<String>,
    /// OAuth 2: failed refreshes since the last success.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub refresh_failures: u32,
}

fn is_zero(value: &u32) -> bool {
    *value == 0
}

impl Connection {
    /// A new, not yet authorized connection.
    pub fn new(link_name: &str, display_name: &str, service: &str, now: Timestamp) -> Self {
        Connection {
            link_name: link_name.to_owned(),
            display_name: display_name.to_owned(),
            service: service.to_owned(),
            scopes: Vec::new(),
            status: Status::NotConnected,
            extra_hosts: Vec::new(),
            created_at: now,
            updated_at: now,
            authorized_at: None,
            expires_at: None,
            last_refresh_at: None,
            last_refresh_error: None,
            refresh_failures: 0,
        }
    }
}

/// The secret values of an authorized connection, stored encrypted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Credentials {
    /// API key values by parameter key.
    ApiKey {
        /// Value of each declared parameter.
        values: BTreeMap<String, Secret>,
    },
    /// Basic username and password.
    Basic {
        /// User id (must not contain `:`).
        username: Secret,
        /// Password (may be empty).
        password: Secret,
    },
    /// OAuth 1 token credentials.
    #[serde(rename = "oauth1")]
    OAuth1 {
        /// `oauth_token`.
        token: Secret,
        /// `oauth_token_secret`.
        token_secret: Secret,
    },
    /// OAuth 2 tokens.
    #[serde(rename = "oauth2")]
    OAuth2 {
        /// Access token.
        access_token: Secret,
        /// Refresh token, if the provider issued one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        refresh_token: Option<Secret>,
        /// `token_type` of the token response.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token_type: Option<String>,
        /// Extra token-response fields worth keeping (e.g. Zoho's `api_domain`).
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        metadata: BTreeMap<String, String>,
    },
}

impl Credentials {
    /// The names of the secret fields, for masked display (`["username", "password"]`).
    pub fn field_names(&self) -> Vec<String> {
        match self {
            Credentials::ApiKey { values } => values.keys().cloned().collect(),
            Credentials::Basic { .. } => vec!["username".into(), "password".into()],
            Credentials::OAuth1 { .. } => vec!["token".into(), "token_secret".into()],
            Credentials::OAuth2 { refresh_token, .. } => {
                let mut names = vec!["access_token".to_owned()];
                if refresh_token.is_some() {
                    names.push("refresh_token".into());
                }
                names
            }
        }
    }
}

/// Serde for `Timestamp` as RFC 3339 text.
mod rfc3339 {
    use jiff::Timestamp;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(D::Error::custom)
    }
}

/// Serde for `Option<Timestamp>` as RFC 3339 text or null.
mod rfc3339_opt {
    use jiff::Timestamp;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        value: &Option<Timestamp>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.collect_str(value),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Timestamp>, D::Error> {
        let text = Option::<String>::deserialize(deserializer)?;
        text.map(|text| text.parse().map_err(D::Error::custom))
            .transpose()
    }
}

/// The current time, to the second (stored times need no more precision).
pub fn now() -> Timestamp {
    let seconds = Timestamp::now().as_second();
    Timestamp::from_second(seconds).unwrap_or_else(|_| Timestamp::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(name: &str) -> String {
        validate_link_name(NameKind::Connection, name)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn accepts_valid_link_names() {
        for name in ["a", "crm", "zoho_crm_2", &format!("a{}", "b".repeat(49))] {
            assert!(
                validate_link_name(NameKind::Connection, name).is_ok(),
                "{name}"
            );
        }
    }

    #[test]
    fn explains_invalid_link_names() {
        assert!(reason("").contains("is empty"));
        assert!(reason(&"a".repeat(51)).contains("51 characters long; the limit is 50"));
        assert!(reason("Crm").contains("must start with a lowercase letter (a-z), not 'C'"));
        assert!(reason("1crm").contains("not '1'"));
        assert!(reason("_crm").contains("not '_'"));
        assert!(reason("my-crm").contains("contains '-' at position 3"));
        assert!(reason("crmé").contains("contains 'é' at position 4"));
        assert!(reason("my crm").starts_with("invalid connection link name: \"my crm\""));
        let service = validate_link_name(NameKind::Service, "X").unwrap_err();
        assert!(service.to_string().starts_with("invalid service link name"));
    }

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

    #[test]
    fn status_prints_in_words() {
        assert_eq!(Status::NotConnected.to_string(), "not connected");
        assert_eq!(Status::Disconnected.as_str(), "disconnected");
    }

    #[test]
    fn credentials_debug_hides_values() {
        let credentials = Credentials::Basic {
            username: Secret::from("aladdin"),
            password: Secret::from("open sesame"),
        };
        let debug = format!("{credentials:?}");
        assert!(
            !debug.contains("aladdin") && !debug.contains("open sesame"),
            "{debug}"
        );
    }
}
