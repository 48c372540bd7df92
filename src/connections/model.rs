//! Services (how to authenticate to an API) and connections (one authorized account of a service,
//! addressed from scripts by its link name), plus the credentials a connection holds.
//!
//! These types hold no secrets except [`Credentials`] and [`ServiceSecrets`], which the store
//! keeps encrypted and hands out only on request.

use super::secret::Secret;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

pub use super::auth_spec::{
    ApiKeyParam, AuthKind, AuthSpec, ClientAuth, Grant, OAuth1Spec, OAuth2Spec, Placement,
    ScopeDelimiter, SignatureMethod,
};
pub use super::link_name::{check_display_name, validate_link_name, NameKind, MAX_LINK_NAME_LEN};

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
    /// Whether credentials may go over plain `http://` to hosts other than the loopback
    /// (`--allow-insecure-http`); off unless the user opts in.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_insecure_http: bool,
    /// Authentication type and settings.
    pub auth: AuthSpec,
    /// The REST base URL of Zoho tasks run over its connections (`--api-base`), replacing the
    /// token's `api_domain` and every product host (zoho-tasks.md §1.6); `None` for most services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_base: Option<String>,
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
