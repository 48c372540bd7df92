//! The built-in service catalog as a whole: its size, the rules every entry
//! follows (an explicit `disable_pkce`, no wildcard hosts), and `docs/catalog.md`, the reference
//! of each provider's documented endpoints, generated from `catalog.json`.
//!
//! After changing the catalog, regenerate the reference with
//! `DLG_UPDATE_CATALOG_DOC=1 cargo test --test catalog`.

use deluge_lang::connections::catalog::{entries, CatalogEntry};
use deluge_lang::connections::model::{AuthSpec, Grant};
use std::fmt::Write as _;
use std::path::Path;

const CATALOG_JSON: &str = include_str!("../src/connections/catalog.json");

fn raw_entries() -> serde_json::Map<String, serde_json::Value> {
    serde_json::from_str(CATALOG_JSON).expect("catalog.json is JSON")
}

#[test]
fn the_catalog_holds_at_least_100_services() {
    assert!(entries().len() >= 100, "only {} services", entries().len());
    assert_eq!(
        entries().len(),
        raw_entries().len(),
        "an entry failed to parse"
    );
}

#[test]
fn every_oauth2_entry_states_whether_pkce_is_sent() {
    for (name, entry) in raw_entries() {
        let oauth2 = entry["auth_mode"] == "OAUTH2";
        if oauth2 {
            assert!(
                entry.get("disable_pkce").is_some_and(|v| v.is_boolean()),
                "{name}: set \"disable_pkce\": true (only where the provider rejects PKCE) or false"
            );
        }
    }
}

/// Wildcards under a domain only the provider itself hands out (data-centre or product
/// subdomains), never over a namespace where anyone can register a tenant.
const PROVIDER_OWNED_WILDCARDS: &[&str] = &[
    "*.googleapis.com",
    "*.api.mailchimp.com",
    "*.docusign.net",
    "*.twilio.com",
];

#[test]
fn no_entry_sends_credentials_to_wildcard_hosts() {
    for (name, entry) in raw_entries() {
        for host in entry["allowed_hosts"].as_array().expect("allowed_hosts") {
            let host = host.as_str().unwrap_or_default();
            assert!(
                !host.contains('*') || PROVIDER_OWNED_WILDCARDS.contains(&host),
                "{name}: wildcard host {host}: list the provider's own API hosts instead"
            );
        }
    }
}

/// The reference page: one row per service with its documented endpoints.
fn render_reference() -> String {
    let mut page = String::from(
        "# Built-in services: documented endpoints\n\n\
         Generated from `src/connections/catalog.json` by `tests/catalog.rs`; do not edit by \
         hand. Regenerate with `DLG_UPDATE_CATALOG_DOC=1 cargo test --test catalog`.\n\n\
         Each row gives the endpoints the provider documents, the hosts a connection may send \
         credentials to, and the provider's authentication page. OAuth services need your own \
         app's client id first: `dlg service configure NAME --client-id ID --client-secret -` \
         (OAuth 1: `--consumer-key KEY --consumer-secret -`). See docs/connections.md.\n\n",
    );
    let _ = writeln!(page, "{} services.\n", entries().len());
    page.push_str("| Service | Name | Auth | Endpoints | API hosts | Docs |\n");
    page.push_str("|---|---|---|---|---|---|\n");
    for entry in entries() {
        let service = &entry.service;
        let docs = entry
            .docs
            .as_deref()
            .map_or_else(String::new, |url| format!("[docs]({url})"));
        let _ = writeln!(
            page,
            "| `{}` | {} | {} | {} | {} | {} |",
            service.link_name,
            service.display_name.replace('|', "\\|"),
            auth_label(entry),
            endpoints(entry),
            service
                .allowed_hosts
                .iter()
                .map(|host| format!("`{host}`"))
                .collect::<Vec<_>>()
                .join(", "),
            docs
        );
    }
    page
}

fn auth_label(entry: &CatalogEntry) -> String {
    match &entry.service.auth {
        AuthSpec::OAuth2(spec) => {
            let grant = match spec.grant {
                Grant::ClientCredentials => "client credentials",
                _ => "code",
            };
            let pkce = if spec.pkce { ", PKCE" } else { "" };
            format!("OAuth 2 ({grant}{pkce})")
        }
        AuthSpec::OAuth1(spec) => format!("OAuth 1 ({})", spec.signature_method.as_str()),
        AuthSpec::ApiKey { params } => {
            let params: Vec<String> = params
                .iter()
                .map(|param| format!("`{}` in {}", param.key, param.placement.as_str()))
                .collect();
            format!("API key: {}", params.join(", "))
        }
        AuthSpec::Basic => "Basic".to_owned(),
    }
}

fn endpoints(entry: &CatalogEntry) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut add = |label: &str, url: Option<&String>| {
        if let Some(url) = url {
            parts.push(format!("{label} `{url}`"));
        }
    };
    match &entry.service.auth {
        AuthSpec::OAuth2(spec) => {
            add("authorize", spec.authorize_url.as_ref());
            add("token", Some(&spec.token_url));
            add("refresh", spec.refresh_url.as_ref());
            add("revoke", spec.revoke_url.as_ref());
            add("device", spec.device_url.as_ref());
        }
        AuthSpec::OAuth1(spec) => {
            add("request token", Some(&spec.request_token_url));
            add("authorize", Some(&spec.authorize_url));
            add("access token", Some(&spec.access_token_url));
        }
        AuthSpec::ApiKey { .. } | AuthSpec::Basic => {}
    }
    add("API", entry.base_url.as_ref());
    parts.join("<br>")
}

#[test]
fn the_endpoint_reference_matches_the_catalog() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/catalog.md");
    let expected = render_reference();
    if std::env::var_os("DLG_UPDATE_CATALOG_DOC").is_some() {
        std::fs::write(&path, &expected).expect("write docs/catalog.md");
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == expected,
        "docs/catalog.md is out of date; regenerate it with \
         `DLG_UPDATE_CATALOG_DOC=1 cargo test --test catalog`"
    );
}
