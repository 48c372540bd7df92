//! `dlg service list` and `dlg service show`: the services as a table, a description or JSON.

use super::conn_output::{json_text, list_or_none, table};
use deluge_lang::connections::catalog;
use deluge_lang::connections::model::{AuthSpec, OAuth1Spec, OAuth2Spec, Service};
use deluge_lang::connections::service_create::{fix_command, is_configured};
use deluge_lang::connections::{ConnectionError, Snapshot, Store};
use serde_json::json;
use std::fmt::Write as _;

/// The stored services, then the built-in ones not stored.
fn all_services(snapshot: &Snapshot) -> Vec<Service> {
    let mut services: Vec<Service> = snapshot.services().cloned().collect();
    services.extend(
        catalog::services()
            .into_iter()
            .filter(|service| snapshot.service(&service.link_name).is_none()),
    );
    services
}

/// A stored service, else a built-in one.
fn find_service(snapshot: &Snapshot, name: &str) -> Result<Service, ConnectionError> {
    snapshot
        .service(name)
        .cloned()
        .or_else(|| catalog::service(name))
        .ok_or_else(|| ConnectionError::UnknownService { name: name.into() })
}

/// `dlg service list [--json]`: every stored and built-in service.
pub(super) fn list(store: &Store, json: bool) -> Result<String, ConnectionError> {
    let snapshot = store.load()?;
    let services = all_services(&snapshot);
    if json {
        let services: Vec<_> = services
            .iter()
            .map(|service| service_json(&snapshot, service))
            .collect();
        return Ok(json_text(&json!({ "services": services })));
    }
    let mut rows = vec![vec![
        "NAME".to_owned(),
        "KIND".to_owned(),
        "AUTH".to_owned(),
        "CONFIGURED".to_owned(),
        "HOSTS".to_owned(),
        "DISPLAY NAME".to_owned(),
    ]];
    for service in &services {
        rows.push(vec![
            service.link_name.clone(),
            origin(service).to_owned(),
            service.auth.kind().as_str().to_owned(),
            yes_no(is_configured(service)).to_owned(),
            list_or_none(&service.allowed_hosts),
            service.display_name.clone(),
        ]);
    }
    Ok(table(&rows))
}

/// `dlg service show NAME [--json]`.
pub(super) fn show(store: &Store, name: &str, json: bool) -> Result<String, ConnectionError> {
    let snapshot = store.load()?;
    let service = find_service(&snapshot, name)?;
    if json {
        return Ok(json_text(&service_json(&snapshot, &service)));
    }
    Ok(describe(&snapshot, &service))
}

/// The stable JSON form of a service (docs/connections-json.md). Holds no secret. A catalog
/// service not in the store has no dates (`null`).
pub fn service_json(snapshot: &Snapshot, service: &Service) -> serde_json::Value {
    let stored = snapshot.service(&service.link_name).is_some();
    let time = |time: &jiff::Timestamp| stored.then(|| time.to_string());
    let mut value = json!({
        "link_name": service.link_name,
        "display_name": service.display_name,
        "builtin": service.builtin,
        "auth": service.auth,
        "allowed_hosts": service.allowed_hosts,
        "allow_insecure_http": service.allow_insecure_http,
        "tenant_hosts": tenant_templates(service),
        "client_secret_set": snapshot.has_service_secrets(&service.link_name),
        "configured": is_configured(service),
        "connections": snapshot.connections_of(&service.link_name),
        "created_at": time(&service.created_at),
        "updated_at": time(&service.updated_at),
    });
    if let (Some(base), Some(object)) = (&service.api_base, value.as_object_mut()) {
        object.insert("api_base".into(), json!(base));
    }
    value
}

/// A built-in service's per-tenant hosts (`{subdomain}.myshopify.com`); each connection names
/// its subdomain at `dlg connection create --subdomain`.
fn tenant_templates(service: &Service) -> Vec<String> {
    catalog::entry(&service.link_name)
        .filter(|_| service.builtin)
        .map(|entry| {
            entry
                .tenant_hosts
                .iter()
                .map(|suffix| format!("{}{suffix}", catalog::SUBDOMAIN_PLACEHOLDER))
                .collect()
        })
        .unwrap_or_default()
}

/// `yes` or `no`.
fn yes_no(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}

/// `catalog` for a built-in service (from the default catalog), `custom` for one the user made.
fn origin(service: &Service) -> &'static str {
    if service.builtin {
        "catalog"
    } else {
        "custom"
    }
}

fn describe(snapshot: &Snapshot, service: &Service) -> String {
    let mut text = String::new();
    let kind = service.auth.kind();
    let _ = writeln!(text, "service:        {}", service.link_name);
    let _ = writeln!(text, "display name:   {}", service.display_name);
    let _ = writeln!(text, "kind:           {}", origin(service));
    let _ = writeln!(text, "authentication: {}", kind.title());
    let _ = writeln!(
        text,
        "allowed hosts:  {}",
        list_or_none(&service.allowed_hosts)
    );
    let _ = writeln!(
        text,
        "plain http:     {}",
        if service.allow_insecure_http {
            "allowed to any allowed host (--allow-insecure-http)"
        } else {
            "only to this machine (127.0.0.1, ::1, localhost)"
        }
    );
    let tenant = tenant_templates(service);
    if !tenant.is_empty() {
        let _ = writeln!(
            text,
            "tenant hosts:   {} (each connection names its own: --subdomain)",
            tenant.join(", ")
        );
    }
    if let Some(base) = &service.api_base {
        let _ = writeln!(text, "api base:       {base}");
    }
    match &service.auth {
        AuthSpec::ApiKey { params } => {
            let _ = writeln!(text, "parameters:");
            for param in params {
                let _ = writeln!(
                    text,
                    "  {} ({}), asked as \"{}\"",
                    param.key,
                    param.placement.as_str(),
                    param.label
                );
            }
        }
        AuthSpec::Basic => {
            let _ = writeln!(text, "parameters:     username, password");
        }
        AuthSpec::OAuth1(spec) => describe_oauth1(&mut text, spec),
        AuthSpec::OAuth2(spec) => describe_oauth2(&mut text, spec),
    }
    if matches!(service.auth, AuthSpec::OAuth1(_) | AuthSpec::OAuth2(_)) {
        let secret = if snapshot.has_service_secrets(&service.link_name) {
            "set (hidden)"
        } else {
            "not set"
        };
        let _ = writeln!(text, "client secret:  {secret}");
        let configured = match is_configured(service) {
            true => "yes".to_owned(),
            false => format!("no; {}", fix_command(service)),
        };
        let _ = writeln!(text, "configured:     {configured}");
    }
    let _ = writeln!(
        text,
        "connections:    {}",
        list_or_none(&snapshot.connections_of(&service.link_name))
    );
    if snapshot.service(&service.link_name).is_some() {
        let _ = writeln!(text, "created:        {}", service.created_at);
        let _ = writeln!(text, "updated:        {}", service.updated_at);
    }
    text
}

fn describe_oauth1(text: &mut String, spec: &OAuth1Spec) {
    let _ = writeln!(text, "request token:  {}", spec.request_token_url);
    let _ = writeln!(text, "authorize:      {}", spec.authorize_url);
    let _ = writeln!(text, "access token:   {}", spec.access_token_url);
    let consumer_key = match spec.consumer_key.as_str() {
        "" => "not set",
        key => key,
    };
    let _ = writeln!(text, "consumer key:   {consumer_key}");
    let _ = writeln!(text, "signature:      {}", spec.signature_method.as_str());
    let _ = writeln!(text, "placement:      {}", spec.placement.as_str());
}

fn describe_oauth2(text: &mut String, spec: &OAuth2Spec) {
    let optional = |url: &Option<String>| url.clone().unwrap_or_else(|| "none".into());
    let _ = writeln!(text, "grant:          {}", spec.grant.as_str());
    let client_id = match spec.client_id.as_str() {
        "" => "not set",
        id => id,
    };
    let _ = writeln!(text, "client id:      {client_id}");
    let _ = writeln!(text, "authorize:      {}", optional(&spec.authorize_url));
    let _ = writeln!(text, "token:          {}", spec.token_url);
    let _ = writeln!(text, "refresh:        {}", optional(&spec.refresh_url));
    let _ = writeln!(text, "revoke:         {}", optional(&spec.revoke_url));
    let _ = writeln!(text, "device:         {}", optional(&spec.device_url));
    let _ = writeln!(text, "scope joiner:   {}", spec.scope_delimiter.as_str());
    let _ = writeln!(text, "token prefix:   {}", spec.token_prefix);
}
