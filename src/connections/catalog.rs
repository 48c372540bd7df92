//! The built-in service catalog: well-known APIs with their real endpoints, scopes and API
//! hosts, kept in `catalog.json` (a small subset of the shape of Nango's `providers.yaml`).
//!
//! Catalog services carry no client id or secret: those belong to the OAuth app the user
//! registers with the provider, and are supplied when the service is set up.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use jiff::Timestamp;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::hosts::normalize_host;
use super::model::{
    validate_link_name, ApiKeyParam, AuthSpec, ClientAuth, Grant, NameKind, OAuth1Spec, OAuth2Spec,
    Placement, ScopeDelimiter, Service, SignatureMethod,
};

/// The catalog file, compiled into the binary.
const CATALOG_JSON: &str = include_str!("catalog.json");

/// One catalog service with what the model does not keep.
#[derive(Clone, Debug)]
pub struct CatalogEntry {
    /// The service (`builtin: true`; OAuth client id and consumer key left empty).
    pub service: Service,
    /// Scopes requested when the user names none.
    pub default_scopes: Vec<String>,
    /// The API's base URL (may hold a `{placeholder}` such as `{shop}`).
    pub base_url: Option<String>,
    /// Where the provider documents its authentication.
    pub docs: Option<String>,
    /// Categories, e.g. `crm`, `zoho`.
    pub categories: Vec<String>,
    /// Hosts under a namespace anyone can register (`{subdomain}.myshopify.com`), kept as the
    /// suffix after `{subdomain}.`: each connection names its tenant's own subdomain at
    /// `dlg connection create --subdomain`, never a wildcard over every tenant.
    pub tenant_hosts: Vec<String>,
}

/// The placeholder a catalog host starts with when the tenant's subdomain completes it.
pub const SUBDOMAIN_PLACEHOLDER: &str = "{subdomain}.";

impl CatalogEntry {
    /// The tenant's own hosts for `subdomain` (checked as a DNS label), e.g. `myshop` gives
    /// `myshop.myshopify.com`.
    pub fn tenant_hosts_for(&self, subdomain: &str) -> Result<Vec<String>, String> {
        check_dns_label(subdomain)?;
        let label = subdomain.to_ascii_lowercase();
        Ok(self
            .tenant_hosts
            .iter()
            .map(|suffix| format!("{label}.{suffix}"))
            .collect())
    }
}

/// A single DNS label: 1 to 63 letters, digits or hyphens, not starting or ending with one.
pub fn check_dns_label(label: &str) -> Result<(), String> {
    let valid = !label.is_empty()
        && label.len() <= 63
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "--subdomain {label:?} is not a single DNS label: use 1 to 63 letters, digits or \
             hyphens, not starting or ending with a hyphen (just `myshop` for \
             myshop.myshopify.com)"
        ))
    }
}

/// Every catalog entry, in file order.
pub fn entries() -> &'static [CatalogEntry] {
    static ENTRIES: OnceLock<Vec<CatalogEntry>> = OnceLock::new();
    ENTRIES.get_or_init(|| parse(CATALOG_JSON).unwrap_or_default())
}

/// Every catalog service, in file order (for `dlg service list`).
pub fn services() -> Vec<Service> {
    entries()
        .iter()
        .map(|entry| entry.service.clone())
        .collect()
}

/// The catalog entry with this link name.
pub fn entry(link_name: &str) -> Option<&'static CatalogEntry> {
    entries()
        .iter()
        .find(|entry| entry.service.link_name == link_name)
}

/// The catalog service with this link name.
pub fn service(link_name: &str) -> Option<Service> {
    entry(link_name).map(|entry| entry.service.clone())
}

/// Reads a catalog document; every problem names the entry and the field.
pub fn parse(text: &str) -> Result<Vec<CatalogEntry>, String> {
    let Ordered(raw) =
        serde_json::from_str::<Ordered>(text).map_err(|e| format!("catalog: {e}"))?;
    let mut seen = std::collections::BTreeSet::new();
    raw.into_iter()
        .map(|(name, value)| {
            if !seen.insert(name.clone()) {
                return Err(format!("catalog: service \"{name}\" is defined twice"));
            }
            let raw: RawEntry = serde_json::from_value(value)
                .map_err(|e| format!("catalog: service \"{name}\": {e}"))?;
            raw.into_entry(&name)
                .map_err(|e| format!("catalog: service \"{name}\": {e}"))
        })
        .collect()
}

/// The document's entries in order, duplicates kept (a plain map would hide them).
struct Ordered(Vec<(String, serde_json::Value)>);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedVisitor;
        impl<'de> Visitor<'de> for OrderedVisitor {
            type Value = Ordered;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of services keyed by link name")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Ordered(entries))
            }
        }
        deserializer.deserialize_map(OrderedVisitor)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    display_name: String,
    #[serde(default)]
    categories: Vec<String>,
    auth_mode: String,
    authorization_url: Option<String>,
    token_url: Option<String>,
    refresh_url: Option<String>,
    revoke_url: Option<String>,
    device_authorization_url: Option<String>,
    request_url: Option<String>,
    #[serde(default)]
    authorization_params: BTreeMap<String, String>,
    scope_separator: Option<String>,
    #[serde(default)]
    default_scopes: Vec<String>,
    /// Required on every entry: whether the provider rejects PKCE (only OAuth 2 authorization
    /// code uses it).
    disable_pkce: bool,
    token_request_auth_method: Option<String>,
    token_prefix: Option<String>,
    signature_method: Option<String>,
    placement: Option<String>,
    #[serde(default)]
    api_key_params: Vec<ApiKeyParam>,
    proxy: Option<Proxy>,
    allowed_hosts: Vec<String>,
    docs: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Proxy {
    base_url: String,
}

impl RawEntry {
    fn into_entry(self, name: &str) -> Result<CatalogEntry, String> {
        validate_link_name(NameKind::Service, name).map_err(|e| e.to_string())?;
        let auth = self.auth()?;
        let (templates, fixed): (Vec<&String>, Vec<&String>) = self
            .allowed_hosts
            .iter()
            .partition(|host| host.starts_with(SUBDOMAIN_PLACEHOLDER));
        let allowed_hosts = fixed
            .into_iter()
            .map(|host| normalize_host(host).map_err(|e| e.to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        let tenant_hosts = templates
            .into_iter()
            .map(|host| tenant_suffix(host))
            .collect::<Result<Vec<_>, _>>()?;
        if allowed_hosts.is_empty() && tenant_hosts.is_empty() {
            return Err("allowed_hosts is empty".into());
        }
        let service = Service {
            link_name: name.to_owned(),
            display_name: self.display_name,
            builtin: true,
            allowed_hosts,
            allow_insecure_http: false,
            auth,
            api_base: None,
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
        };
        Ok(CatalogEntry {
            service,
            default_scopes: self.default_scopes,
            base_url: self.proxy.map(|proxy| proxy.base_url),
            docs: self.docs,
            categories: self.categories,
            tenant_hosts,
        })
    }

    fn auth(&self) -> Result<AuthSpec, String> {
        match self.auth_mode.as_str() {
            "OAUTH2" => self.oauth2(Grant::AuthorizationCode),
            "OAUTH2_CC" => self.oauth2(Grant::ClientCredentials),
            "OAUTH1" => self.oauth1(),
            "API_KEY" if self.api_key_params.is_empty() => {
                Err("API_KEY needs at least one entry in api_key_params".into())
            }
            "API_KEY" => Ok(AuthSpec::ApiKey {
                params: self.api_key_params.clone(),
            }),
            "BASIC" => Ok(AuthSpec::Basic),
            other => Err(format!(
                "auth_mode \"{other}\" is not one of OAUTH2, OAUTH2_CC, OAUTH1, API_KEY, BASIC"
            )),
        }
    }

    fn oauth2(&self, grant: Grant) -> Result<AuthSpec, String> {
        let authorize_url = match grant {
            Grant::AuthorizationCode => {
                Some(required(&self.authorization_url, "authorization_url")?)
            }
            _ => None,
        };
        Ok(AuthSpec::OAuth2(OAuth2Spec {
            grant,
            client_id: String::new(),
            authorize_url,
            token_url: required(&self.token_url, "token_url")?,
            refresh_url: self.refresh_url.clone(),
            revoke_url: self.revoke_url.clone(),
            device_url: self.device_authorization_url.clone(),
            scope_delimiter: match self.scope_separator.as_deref().unwrap_or(" ") {
                " " => ScopeDelimiter::Space,
                "," => ScopeDelimiter::Comma,
                "+" => ScopeDelimiter::Plus,
                other => {
                    return Err(format!(
                        "scope_separator \"{other}\" is not \" \", \",\" or \"+\""
                    ))
                }
            },
            token_prefix: self
                .token_prefix
                .clone()
                .unwrap_or_else(|| "Bearer".to_owned()),
            auth_params: self.authorization_params.clone(),
            pkce: !self.disable_pkce,
            client_auth: match self.token_request_auth_method.as_deref().unwrap_or("body") {
                "basic" => ClientAuth::Basic,
                "body" => ClientAuth::Body,
                other => {
                    return Err(format!(
                        "token_request_auth_method \"{other}\" is not basic or body"
                    ))
                }
            },
        }))
    }

    fn oauth1(&self) -> Result<AuthSpec, String> {
        let method = self.signature_method.as_deref().unwrap_or("HMAC-SHA1");
        let placement = self.placement.as_deref().unwrap_or("header");
        Ok(AuthSpec::OAuth1(OAuth1Spec {
            request_token_url: required(&self.request_url, "request_url")?,
            authorize_url: required(&self.authorization_url, "authorization_url")?,
            access_token_url: required(&self.token_url, "token_url")?,
            consumer_key: String::new(),
            signature_method: method
                .parse::<SignatureMethod>()
                .map_err(|e| e.to_string())?,
            placement: placement.parse::<Placement>().map_err(|e| e.to_string())?,
        }))
    }
}

/// `{subdomain}.myshopify.com` gives `myshopify.com` (a normalized, non-wildcard host).
fn tenant_suffix(template: &str) -> Result<String, String> {
    let suffix = &template[SUBDOMAIN_PLACEHOLDER.len()..];
    let host = normalize_host(suffix).map_err(|e| e.to_string())?;
    if host.starts_with('*') || host.contains('{') || !host.contains('.') {
        return Err(format!(
            "allowed host {template:?}: after {{subdomain}}. comes a plain domain"
        ));
    }
    Ok(host)
}

fn required(value: &Option<String>, field: &str) -> Result<String, String> {
    value
        .clone()
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| format!("{field} is required for this auth_mode"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connections::model::AuthKind;

    fn https(url: &str, what: &str, name: &str) {
        let concrete = url.replace("{subdomain}", "example");
        let parsed =
            url::Url::parse(&concrete).unwrap_or_else(|e| panic!("{name}: {what} {url}: {e}"));
        assert_eq!(
            parsed.scheme(),
            "https",
            "{name}: {what} {url} must be https"
        );
        assert!(
            parsed.host_str().is_some_and(|h| h.contains('.')),
            "{name}: {what} {url} has no real host"
        );
    }

    #[test]
    fn the_catalog_parses_and_is_large_enough() {
        let parsed = parse(CATALOG_JSON).expect("catalog.json parses");
        assert!(parsed.len() >= 100, "only {} services", parsed.len());
        assert_eq!(entries().len(), parsed.len());
    }

    #[test]
    fn every_entry_is_complete_and_safe() {
        for entry in entries() {
            let service = &entry.service;
            let name = service.link_name.as_str();
            assert!(service.builtin);
            assert!(
                !service.display_name.is_empty() && service.display_name.chars().count() <= 50,
                "{name}"
            );
            assert!(
                !service.allowed_hosts.is_empty() || !entry.tenant_hosts.is_empty(),
                "{name}: no hosts"
            );
            for host in &service.allowed_hosts {
                assert!(
                    !host.is_empty() && host.contains('.'),
                    "{name}: host {host:?}"
                );
            }
            if let Some(base) = &entry.base_url {
                https(base, "base URL", name);
            }
            if let Some(docs) = &entry.docs {
                https(docs, "docs URL", name);
            }
            match &service.auth {
                AuthSpec::OAuth2(spec) => {
                    https(&spec.token_url, "token URL", name);
                    for (what, url) in [
                        ("authorize URL", &spec.authorize_url),
                        ("refresh URL", &spec.refresh_url),
                        ("revoke URL", &spec.revoke_url),
                        ("device URL", &spec.device_url),
                    ] {
                        if let Some(url) = url {
                            https(url, what, name);
                        }
                    }
                    if spec.grant == Grant::AuthorizationCode {
                        assert!(spec.authorize_url.is_some(), "{name}: authorize URL");
                    }
                    assert!(!spec.token_prefix.is_empty(), "{name}");
                }
                AuthSpec::OAuth1(spec) => {
                    https(&spec.request_token_url, "request token URL", name);
                    https(&spec.authorize_url, "authorize URL", name);
                    https(&spec.access_token_url, "access token URL", name);
                }
                AuthSpec::ApiKey { params } => {
                    assert!(!params.is_empty(), "{name}");
                    for param in params {
                        assert!(!param.key.is_empty() && !param.label.is_empty(), "{name}");
                    }
                }
                AuthSpec::Basic => {}
            }
        }
    }

    #[test]
    fn link_names_are_unique_and_valid() {
        let mut names: Vec<&str> = entries()
            .iter()
            .map(|e| e.service.link_name.as_str())
            .collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
        for name in names {
            assert!(
                validate_link_name(NameKind::Service, name).is_ok(),
                "{name}"
            );
        }
    }

    #[test]
    fn zoho_services_cover_every_data_centre() {
        for product in ["crm", "books", "desk"] {
            for dc in [
                "com", "eu", "in", "com_au", "jp", "ca", "com_cn", "sa", "uk",
            ] {
                let name = format!("zoho_{product}_{dc}");
                let entry = entry(&name).unwrap_or_else(|| panic!("{name} missing"));
                let AuthSpec::OAuth2(spec) = &entry.service.auth else {
                    panic!("{name} is not OAuth 2");
                };
                assert_eq!(spec.token_prefix, "Zoho-oauthtoken");
                assert_eq!(spec.scope_delimiter, ScopeDelimiter::Comma);
                assert_eq!(
                    spec.auth_params.get("access_type").map(String::as_str),
                    Some("offline")
                );
                assert!(spec
                    .revoke_url
                    .as_deref()
                    .is_some_and(|u| u.ends_with("/oauth/v2/token/revoke")));
                assert!(!entry.default_scopes.is_empty());
            }
        }
        let eu = entry("zoho_crm_eu").unwrap();
        assert_eq!(eu.service.allowed_hosts, vec!["www.zohoapis.eu".to_owned()]);
    }

    #[test]
    fn every_auth_type_is_represented() {
        let kinds: Vec<AuthKind> = entries().iter().map(|e| e.service.auth.kind()).collect();
        for kind in [
            AuthKind::OAuth2,
            AuthKind::OAuth1,
            AuthKind::ApiKey,
            AuthKind::Basic,
        ] {
            assert!(kinds.contains(&kind), "{kind:?} missing");
        }
        assert!(service("twitter").is_some() && service("twitter_oauth2").is_some());
        assert!(matches!(
            service("twilio").map(|s| s.auth),
            Some(AuthSpec::Basic)
        ));
        assert!(matches!(
            service("stripe").map(|s| s.auth),
            Some(AuthSpec::ApiKey { .. })
        ));
    }

    #[test]
    fn errors_name_the_entry_and_field() {
        let duplicate = r#"{"a": {"display_name":"A","auth_mode":"BASIC","disable_pkce":true,"allowed_hosts":["a.com"]},
                            "a": {"display_name":"B","auth_mode":"BASIC","disable_pkce":true,"allowed_hosts":["b.com"]}}"#;
        assert_eq!(
            parse(duplicate).unwrap_err(),
            "catalog: service \"a\" is defined twice"
        );
        let missing = r#"{"x": {"display_name":"X","auth_mode":"OAUTH2","disable_pkce":false,"allowed_hosts":["x.com"]}}"#;
        assert_eq!(
            parse(missing).unwrap_err(),
            "catalog: service \"x\": authorization_url is required for this auth_mode"
        );
        let unknown = r#"{"x": {"display_name":"X","auth_mode":"JWT","disable_pkce":true,"allowed_hosts":["x.com"]}}"#;
        assert!(parse(unknown)
            .unwrap_err()
            .contains("auth_mode \"JWT\" is not one of"));
        let no_hosts = r#"{"x": {"display_name":"X","auth_mode":"BASIC","disable_pkce":true,"allowed_hosts":[]}}"#;
        assert_eq!(
            parse(no_hosts).unwrap_err(),
            "catalog: service \"x\": allowed_hosts is empty"
        );
        let bad_name = r#"{"X-1": {"display_name":"X","auth_mode":"BASIC","disable_pkce":true,"allowed_hosts":["x.com"]}}"#;
        assert!(parse(bad_name)
            .unwrap_err()
            .contains("invalid service link name"));
    }

    #[test]
    fn every_entry_says_whether_pkce_is_used_and_zoho_uses_it() {
        let raw: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(CATALOG_JSON).unwrap();
        for (name, entry) in &raw {
            assert!(
                entry
                    .get("disable_pkce")
                    .is_some_and(serde_json::Value::is_boolean),
                "{name}: disable_pkce must be given, true or false"
            );
        }
        let missing =
            r#"{"x": {"display_name":"X","auth_mode":"BASIC","allowed_hosts":["x.com"]}}"#;
        assert!(parse(missing)
            .unwrap_err()
            .contains("service \"x\": missing field `disable_pkce`"));
        for entry in entries() {
            if entry.categories.iter().any(|c| c == "zoho") {
                let AuthSpec::OAuth2(spec) = &entry.service.auth else {
                    panic!("{}", entry.service.link_name);
                };
                assert!(spec.pkce, "{} must use PKCE", entry.service.link_name);
            }
        }
    }

    /// Namespaces where anyone can register a subdomain (a shop, a site, a company domain).
    const REGISTRABLE: [&str; 12] = [
        "myshopify.com",
        "atlassian.net",
        "freshdesk.com",
        "salesforce.com",
        "my.salesforce.com",
        "force.com",
        "pipedrive.com",
        "zendesk.com",
        "herokuapp.com",
        "github.io",
        "azurewebsites.net",
        "appspot.com",
    ];

    #[test]
    fn no_wildcard_covers_a_namespace_anyone_can_register() {
        for entry in entries() {
            for host in &entry.service.allowed_hosts {
                if let Some(suffix) = host.strip_prefix("*.") {
                    assert!(
                        !REGISTRABLE.contains(&suffix),
                        "{}: {host} covers every tenant; use {{subdomain}}.{suffix}",
                        entry.service.link_name
                    );
                }
            }
        }
        let shop = entry("shopify").unwrap();
        assert!(shop.service.allowed_hosts.is_empty());
        assert_eq!(
            shop.tenant_hosts_for("myshop").unwrap(),
            vec!["myshop.myshopify.com".to_owned()]
        );
        for bad in ["", "a.b", "-a", "a-", "a b", "evil.example#"] {
            let error = shop.tenant_hosts_for(bad).unwrap_err();
            assert!(error.contains("is not a single DNS label"), "{error}");
        }
    }
}
