//! Token sets as returned by a token endpoint, reduced to what a connection keeps.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use jiff::Timestamp;
use oauth2::basic::BasicTokenType;
use oauth2::{ExtraTokenFields, StandardTokenResponse, TokenResponse as _};
use serde::{Deserialize, Serialize};

/// How long a token is assumed to live when the provider does not say (connections.md §3,
/// after Nango): one day for user grants, 55 minutes for client credentials.
pub const DEFAULT_USER_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);
/// See [`DEFAULT_USER_TOKEN_LIFETIME`].
pub const DEFAULT_CLIENT_CREDENTIALS_LIFETIME: Duration = Duration::from_secs(55 * 60);

/// Token-response fields besides the standard ones. Only short, non-secret text fields without
/// control characters are kept (e.g. Zoho's `api_domain`, Salesforce's `instance_url`);
/// anything named like a token or a secret (`id_token`, ...) is dropped.
#[derive(Clone, Default, Deserialize, Serialize)]
pub struct ExtraFields {
    #[serde(flatten)]
    fields: BTreeMap<String, serde_json::Value>,
}

impl ExtraTokenFields for ExtraFields {}

impl fmt::Debug for ExtraFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.fields.keys()).finish()
    }
}

impl ExtraFields {
    /// The fields worth keeping as connection metadata.
    pub fn metadata(&self) -> BTreeMap<String, String> {
        self.fields
            .iter()
            .filter(|(name, _)| is_metadata_name(name))
            .filter_map(|(name, value)| Some((name.clone(), value.as_str()?.to_owned())))
            .filter(|(_, value)| value.len() <= 512 && !value.chars().any(char::is_control))
            .collect()
    }
}

fn is_metadata_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !(lower.contains("token") || lower.contains("secret") || lower.contains("code"))
}

/// The token response type used with the `oauth2` crate.
pub type TokenResponse = StandardTokenResponse<ExtraFields, BasicTokenType>;

/// What a successful token request yields. Secrets are plain `String`s here and must go
/// straight into the store's secret type; `Debug` hides them.
#[derive(Clone)]
pub struct TokenSet {
    /// The access token.
    pub access_token: String,
    /// A refresh token, when the provider issued one.
    pub refresh_token: Option<String>,
    /// The `token_type` (e.g. `Bearer`).
    pub token_type: String,
    /// When the access token expires (from `expires_in`, or a default when absent).
    pub expires_at: Timestamp,
    /// Whether the provider stated the lifetime.
    pub lifetime_known: bool,
    /// Granted scopes, when the provider listed them.
    pub scopes: Option<Vec<String>>,
    /// Extra response fields worth keeping.
    pub metadata: BTreeMap<String, String>,
}

impl fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSet")
            .field("access_token", &"***")
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "***"))
            .field("token_type", &self.token_type)
            .field("expires_at", &self.expires_at)
            .field("scopes", &self.scopes)
            .field("metadata", &self.metadata)
            .finish()
    }
}

impl TokenSet {
    /// Reads a token response received at `now`; `default_lifetime` applies when the response
    /// has no `expires_in`. An empty access token, or a lifetime reaching past the year 9999,
    /// is refused: such a response is broken or hostile, and storing it would leave a
    /// connection that never refreshes.
    pub fn from_response(
        response: &TokenResponse,
        now: Timestamp,
        default_lifetime: Duration,
    ) -> Result<TokenSet, String> {
        if response.access_token().secret().trim().is_empty() {
            return Err("the provider's answer has an empty access_token".to_owned());
        }
        let lifetime = response.expires_in();
        let seconds = lifetime.unwrap_or(default_lifetime).as_secs();
        let expires_at = i64::try_from(seconds)
            .ok()
            .and_then(|seconds| {
                now.checked_add(jiff::SignedDuration::from_secs(seconds))
                    .ok()
            })
            .ok_or_else(|| {
                format!(
                    "the provider's answer says the access token lives {seconds} s, past the \
                     year 9999; refusing it"
                )
            })?;
        Ok(TokenSet {
            access_token: response.access_token().secret().clone(),
            refresh_token: response.refresh_token().map(|t| t.secret().clone()),
            token_type: token_type_name(response.token_type()),
            expires_at,
            lifetime_known: lifetime.is_some(),
            scopes: response
                .scopes()
                .map(|scopes| scopes.iter().map(|s| s.to_string()).collect()),
            metadata: response.extra_fields().metadata(),
        })
    }
}

fn token_type_name(token_type: &BasicTokenType) -> String {
    match token_type {
        BasicTokenType::Bearer => "Bearer".to_owned(),
        BasicTokenType::Mac => "MAC".to_owned(),
        BasicTokenType::Extension(name) => name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> TokenResponse {
        serde_json::from_str(json).expect("token response")
    }

    #[test]
    fn reads_lifetime_refresh_token_and_metadata() {
        let now = Timestamp::from_second(1_700_000_000).unwrap();
        let response = parse(
            r#"{"access_token":"at","token_type":"bearer","expires_in":3600,
                "refresh_token":"rt","api_domain":"https://www.zohoapis.eu","x":"\u001b[2J",
                "id_token":"eyJ.secret","scope":"a b"}"#,
        );
        let set = TokenSet::from_response(&response, now, DEFAULT_USER_TOKEN_LIFETIME).unwrap();
        assert_eq!(set.expires_at.as_second(), 1_700_003_600);
        assert!(set.lifetime_known);
        assert_eq!(set.refresh_token.as_deref(), Some("rt"));
        assert_eq!(set.token_type, "Bearer");
        assert_eq!(set.scopes, Some(vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(set.metadata.len(), 1);
        assert_eq!(set.metadata["api_domain"], "https://www.zohoapis.eu");
    }

    #[test]
    fn missing_expiry_gets_the_default() {
        let now = Timestamp::from_second(1_700_000_000).unwrap();
        let response = parse(r#"{"access_token":"at","token_type":"Bearer"}"#);
        let set =
            TokenSet::from_response(&response, now, DEFAULT_CLIENT_CREDENTIALS_LIFETIME).unwrap();
        assert_eq!(set.expires_at.as_second(), 1_700_000_000 + 55 * 60);
        assert!(!set.lifetime_known);
        assert!(set.refresh_token.is_none());
    }

    #[test]
    fn empty_tokens_and_endless_lifetimes_are_refused() {
        let now = Timestamp::from_second(1_700_000_000).unwrap();
        let empty = parse(r#"{"access_token":"","token_type":"Bearer"}"#);
        let error = TokenSet::from_response(&empty, now, DEFAULT_USER_TOKEN_LIFETIME).unwrap_err();
        assert_eq!(error, "the provider's answer has an empty access_token");
        let endless =
            parse(r#"{"access_token":"at","token_type":"Bearer","expires_in":300000000000}"#);
        let error =
            TokenSet::from_response(&endless, now, DEFAULT_USER_TOKEN_LIFETIME).unwrap_err();
        assert_eq!(
            error,
            "the provider's answer says the access token lives 300000000000 s, past the year \
             9999; refusing it"
        );
    }

    #[test]
    fn debug_hides_tokens() {
        let now = Timestamp::from_second(1_700_000_000).unwrap();
        let response = parse(
            r#"{"access_token":"AT-SECRET","token_type":"Bearer","refresh_token":"RT-SECRET"}"#,
        );
        let shown = format!(
            "{:?}",
            TokenSet::from_response(&response, now, DEFAULT_USER_TOKEN_LIFETIME).unwrap()
        );
        assert!(
            !shown.contains("AT-SECRET") && !shown.contains("RT-SECRET"),
            "{shown}"
        );
        assert!(!format!("{response:?}").contains("AT-SECRET"));
    }
}
