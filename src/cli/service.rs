//! `dlg service list|show|create|configure|delete`: the services connections are made for.

use super::conn_output::{check_display_name, finish, json_text, list_or_none, table};
use super::secret_input::{secret_from_flag, SecretSource, StdinSource};
use super::service_configure::{configure, fix_command, is_configured, ConfigureServiceArgs};
use crate::connections::api_key::check_param;
use crate::connections::catalog;
use crate::connections::hosts::normalize_host;
use crate::connections::model::{
    now, validate_link_name, ApiKeyParam, AuthKind, AuthSpec, Grant, NameKind, OAuth1Spec,
    OAuth2Spec, Placement, ScopeDelimiter, Service, ServiceSecrets, SignatureMethod,
};
use crate::connections::{ConnectionError, Secret, Snapshot, Store};
use clap::{Args, Subcommand};
use serde_json::json;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::str::FromStr;

/// `dlg service ...`
#[derive(Debug, Args)]
pub struct ServiceArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: ServiceCommand,
}

/// The `dlg service` subcommands.
#[derive(Debug, Subcommand)]
pub enum ServiceCommand {
    /// List the services.
    List {
        /// Print JSON (stable, see docs/connections-json.md).
        #[arg(long)]
        json: bool,
    },
    /// Show one service.
    Show {
        /// The service's link name.
        name: String,
        /// Print JSON (stable, see docs/connections-json.md).
        #[arg(long)]
        json: bool,
    },
    /// Create a custom service.
    Create(Box<CreateServiceArgs>),
    /// Change a stored service: plain-http policy, Zoho tasks' REST API base.
    Edit(EditServiceArgs),
    /// Give an OAuth service (e.g. a catalog one) your app's client id and secret.
    Configure(ConfigureServiceArgs),
    /// Delete a service that no connection uses.
    Delete {
        /// The service's link name.
        name: String,
    },
}

/// `dlg service edit NAME [--allow-insecure-http|--require-https] [--api-base URL|none]`
#[derive(Debug, Args)]
pub struct EditServiceArgs {
    /// The service's link name.
    pub name: String,
    /// Let connections send credentials over plain http:// to hosts other than this machine
    /// (anyone on the network path can read them).
    #[arg(long, conflicts_with = "require_https")]
    pub allow_insecure_http: bool,
    /// Undo --allow-insecure-http: credentials go over https:// only (plain http:// only to
    /// 127.0.0.1, ::1 and localhost).
    #[arg(long)]
    pub require_https: bool,
    /// The REST base URL of Zoho tasks over this service's connections (its host joins the
    /// allowed hosts); `none` removes it.
    #[arg(long, value_name = "URL")]
    pub api_base: Option<String>,
}

/// `dlg service create NAME --auth TYPE ...`
#[derive(Debug, Args)]
pub struct CreateServiceArgs {
    /// Link name: a lowercase letter, then lowercase letters, digits or _ (at most 50).
    pub name: String,
    /// Authentication type: api-key, basic, oauth1 or oauth2.
    #[arg(long, value_name = "TYPE", value_parser = parse::<AuthKind>)]
    pub auth: AuthKind,
    /// Display name (default: the link name).
    #[arg(long, value_name = "TEXT")]
    pub display_name: Option<String>,
    /// A host the credentials may be sent to (repeatable; `*.example.com` for subdomains).
    #[arg(long = "host", value_name = "HOST")]
    pub hosts: Vec<String>,
    /// Let connections send credentials over plain http:// to hosts other than this machine
    /// (anyone on the network path can read them). Off by default.
    #[arg(long)]
    pub allow_insecure_http: bool,
    /// The REST base URL of Zoho tasks (`zoho.crm.*` ...) over its connections, replacing
    /// the data centre's hosts, e.g. `http://127.0.0.1:8080`; its host joins the allowed hosts.
    #[arg(long, value_name = "URL")]
    pub api_base: Option<String>,
    /// api-key: a parameter and where it goes (query, form or header), e.g. `X-Api-Key:header`.
    #[arg(long = "param", value_name = "KEY:PLACEMENT[:LABEL]")]
    pub params: Vec<String>,
    /// oauth1/oauth2: the authorization (consent) URL.
    #[arg(long, value_name = "URL")]
    pub authorize_url: Option<String>,
    /// oauth2: the token URL.
    #[arg(long, value_name = "URL")]
    pub token_url: Option<String>,
    /// oauth2: the refresh URL, if not the token URL.
    #[arg(long, value_name = "URL")]
    pub refresh_url: Option<String>,
    /// oauth2: the RFC 7009 revocation URL.
    #[arg(long, value_name = "URL")]
    pub revoke_url: Option<String>,
    /// oauth2: the RFC 8628 device authorization URL.
    #[arg(long, value_name = "URL")]
    pub device_url: Option<String>,
    /// oauth2: the client id.
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// oauth2: the client secret: `-` to type it hidden or read it from standard input, or
    /// `@FILE` to read it from a file (never the value itself: other users would see it).
    #[arg(long, value_name = "SECRET", value_parser = parse_secret)]
    pub client_secret: Option<Secret>,
    /// oauth2: authorization-code (default), client-credentials or device.
    #[arg(long, value_name = "GRANT", value_parser = parse::<Grant>)]
    pub grant: Option<Grant>,
    /// oauth2: how scopes are joined: comma (default), space or plus.
    #[arg(long, value_name = "DELIMITER", value_parser = parse::<ScopeDelimiter>)]
    pub scope_delimiter: Option<ScopeDelimiter>,
    /// oauth2: the Authorization scheme (default Bearer; Zoho-oauthtoken for Zoho APIs).
    #[arg(long, value_name = "TEXT")]
    pub token_prefix: Option<String>,
    /// oauth2: an extra authorize-URL parameter, e.g. access_type=offline (repeatable).
    #[arg(long = "auth-param", value_name = "KEY=VALUE")]
    pub auth_params: Vec<String>,
    /// oauth1: the request-token URL.
    #[arg(long, value_name = "URL")]
    pub request_token_url: Option<String>,
    /// oauth1: the access-token URL.
    #[arg(long, value_name = "URL")]
    pub access_token_url: Option<String>,
    /// oauth1: the consumer key.
    #[arg(long, value_name = "KEY")]
    pub consumer_key: Option<String>,
    /// oauth1: the consumer secret: `-` to type it hidden or read it from standard input, or
    /// `@FILE` to read it from a file (never the value itself).
    #[arg(long, value_name = "SECRET", value_parser = parse_secret)]
    pub consumer_secret: Option<Secret>,
    /// oauth1: HMAC-SHA1 (default), HMAC-SHA256 or PLAINTEXT.
    #[arg(long, value_name = "METHOD", value_parser = parse::<SignatureMethod>)]
    pub signature: Option<SignatureMethod>,
    /// oauth1: where the oauth_* parameters go: header (default), query or form.
    #[arg(long, value_name = "PLACEMENT", value_parser = parse::<Placement>)]
    pub placement: Option<Placement>,
}

/// Runs `dlg service ...` against the default store; returns the exit code.
pub fn run(args: ServiceArgs) -> i32 {
    let result =
        Store::open_default().and_then(|store| execute(args, &store, &mut StdinSource::new()));
    finish(result)
}

/// Runs a `dlg service` command and returns what it prints.
pub fn execute(
    args: ServiceArgs,
    store: &Store,
    input: &mut dyn SecretSource,
) -> Result<String, ConnectionError> {
    match args.command {
        ServiceCommand::List { json } => list(store, json),
        ServiceCommand::Show { name, json } => show(store, &name, json),
        ServiceCommand::Create(create_args) => create(store, *create_args, input),
        ServiceCommand::Edit(edit_args) => super::service_edit::edit(store, &edit_args),
        ServiceCommand::Configure(configure_args) => configure(store, configure_args, input),
        ServiceCommand::Delete { name } => delete(store, &name),
    }
}

/// Parses a flag value with the type's `FromStr`.
pub fn parse<T: FromStr<Err = ConnectionError>>(text: &str) -> Result<T, String> {
    text.parse()
        .map_err(|error: ConnectionError| error.to_string())
}

/// Wraps a secret flag value so that it never shows in `Debug`.
pub fn parse_secret(text: &str) -> Result<Secret, String> {
    Ok(Secret::from(text))
}

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

fn list(store: &Store, json: bool) -> Result<String, ConnectionError> {
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

fn show(store: &Store, name: &str, json: bool) -> Result<String, ConnectionError> {
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

fn create(
    store: &Store,
    args: CreateServiceArgs,
    input: &mut dyn SecretSource,
) -> Result<String, ConnectionError> {
    validate_link_name(NameKind::Service, &args.name)?;
    check_flags_apply(&args)?;
    let base = builtin_base(&args)?;
    let display_name = match (&args.display_name, &base) {
        (Some(name), _) => check_display_name(name)?,
        (None, Some(base)) => base.display_name.clone(),
        (None, None) => args.name.clone(),
    };
    let mut allowed_hosts = base
        .as_ref()
        .map(|base| base.allowed_hosts.clone())
        .unwrap_or_default();
    for host in normalize_hosts(&args.hosts)? {
        if !allowed_hosts.contains(&host) {
            allowed_hosts.push(host);
        }
    }
    let api_base = args.api_base.as_deref().map(check_api_base).transpose()?;
    if let Some((_, host)) = &api_base {
        if !allowed_hosts.contains(host) {
            allowed_hosts.push(host.clone());
        }
    }
    let (auth, secrets) = build_auth(&args, base.as_ref().map(|base| &base.auth), input)?;
    let created = now();
    let service = Service {
        link_name: args.name.clone(),
        display_name,
        builtin: base.is_some(),
        allowed_hosts,
        allow_insecure_http: args.allow_insecure_http,
        auth,
        api_base: api_base.map(|(url, _)| url),
        created_at: created,
        updated_at: created,
    };
    let per_tenant = base.is_some()
        && catalog::entry(&args.name).is_some_and(|entry| !entry.tenant_hosts.is_empty());
    let no_hosts = service.allowed_hosts.is_empty() && !per_tenant;
    store.update(|transaction| transaction.add_service(service, &secrets))?;
    let mut text = format!(
        "created service \"{}\" ({}); connect to it with `dlg connection create LINK --service {}`\n",
        args.name,
        args.auth.title(),
        args.name
    );
    if no_hosts {
        let _ = writeln!(
            text,
            "note: no --host was given, so its connections may not send credentials anywhere \
             until you allow a host with `dlg connection edit LINK --add-host HOST`"
        );
    }
    Ok(text)
}

/// `dlg service edit NAME --api-base URL|none`.
/// An `--api-base` URL (http or https, with a host, no query) and its host.
pub(super) fn check_api_base(url: &str) -> Result<(String, String), ConnectionError> {
    let bad = |why: &str| {
        ConnectionError::InvalidInput(format!(
            "--api-base {url:?}: {why}; give an http(s) URL such as https://www.zohoapis.eu"
        ))
    };
    let parsed = url::Url::parse(url.trim()).map_err(|_| bad("not a URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad("not http or https"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(bad("it has a query or fragment"));
    }
    let host = normalize_host(url.trim()).map_err(|_| bad("it has no host"))?;
    Ok((url.trim().trim_end_matches('/').to_owned(), host))
}

fn delete(store: &Store, name: &str) -> Result<String, ConnectionError> {
    let builtin = catalog::entry(name).is_some();
    store.update(|transaction| {
        if builtin && transaction.service(name).is_none() {
            return Err(ConnectionError::BuiltinService { name: name.into() });
        }
        transaction.remove_service(name)
    })?;
    if builtin {
        return Ok(format!(
            "deleted your set-up of service \"{name}\"; the built-in definition stays available\n"
        ));
    }
    Ok(format!("deleted service \"{name}\"\n"))
}

fn normalize_hosts(hosts: &[String]) -> Result<Vec<String>, ConnectionError> {
    let mut normalized: Vec<String> = Vec::new();
    for host in hosts {
        let host = normalize_host(host)?;
        if !normalized.contains(&host) {
            normalized.push(host);
        }
    }
    Ok(normalized)
}

/// Refuses flags that do not belong to the chosen authentication type.
fn check_flags_apply(args: &CreateServiceArgs) -> Result<(), ConnectionError> {
    use AuthKind::*;
    let flags: [(&str, bool, &[AuthKind]); 18] = [
        ("--param", !args.params.is_empty(), &[ApiKey]),
        (
            "--authorize-url",
            args.authorize_url.is_some(),
            &[OAuth1, OAuth2],
        ),
        ("--token-url", args.token_url.is_some(), &[OAuth2]),
        ("--refresh-url", args.refresh_url.is_some(), &[OAuth2]),
        ("--revoke-url", args.revoke_url.is_some(), &[OAuth2]),
        ("--device-url", args.device_url.is_some(), &[OAuth2]),
        ("--client-id", args.client_id.is_some(), &[OAuth2]),
        ("--client-secret", args.client_secret.is_some(), &[OAuth2]),
        ("--grant", args.grant.is_some(), &[OAuth2]),
        (
            "--scope-delimiter",
            args.scope_delimiter.is_some(),
            &[OAuth2],
        ),
        ("--token-prefix", args.token_prefix.is_some(), &[OAuth2]),
        ("--auth-param", !args.auth_params.is_empty(), &[OAuth2]),
        (
            "--request-token-url",
            args.request_token_url.is_some(),
            &[OAuth1],
        ),
        (
            "--access-token-url",
            args.access_token_url.is_some(),
            &[OAuth1],
        ),
        ("--consumer-key", args.consumer_key.is_some(), &[OAuth1]),
        (
            "--consumer-secret",
            args.consumer_secret.is_some(),
            &[OAuth1],
        ),
        ("--signature", args.signature.is_some(), &[OAuth1]),
        ("--placement", args.placement.is_some(), &[OAuth1]),
    ];
    for (flag, given, kinds) in flags {
        if given && !kinds.contains(&args.auth) {
            let owners: Vec<&str> = kinds.iter().map(|kind| kind.as_str()).collect();
            return Err(ConnectionError::InvalidInput(format!(
                "{flag} applies only to --auth {}, not to --auth {}",
                owners.join(" or "),
                args.auth.as_str()
            )));
        }
    }
    Ok(())
}

/// The built-in definition when NAME is a catalog service: the base that flags complete
/// (typically with the client id and secret of the user's own OAuth app).
fn builtin_base(args: &CreateServiceArgs) -> Result<Option<Service>, ConnectionError> {
    let Some(base) = catalog::service(&args.name) else {
        return Ok(None);
    };
    let kind = base.auth.kind();
    if kind != args.auth {
        return Err(ConnectionError::InvalidInput(format!(
            "service \"{}\" is built in and uses {}; set it up with --auth {}",
            args.name,
            kind.title(),
            kind.as_str()
        )));
    }
    Ok(Some(base))
}

fn build_auth(
    args: &CreateServiceArgs,
    base: Option<&AuthSpec>,
    input: &mut dyn SecretSource,
) -> Result<(AuthSpec, ServiceSecrets), ConnectionError> {
    match (args.auth, base) {
        (AuthKind::ApiKey, Some(AuthSpec::ApiKey { params })) if args.params.is_empty() => Ok((
            AuthSpec::ApiKey {
                params: params.clone(),
            },
            ServiceSecrets::default(),
        )),
        (AuthKind::ApiKey, _) => Ok((api_key_spec(&args.params)?, ServiceSecrets::default())),
        (AuthKind::Basic, _) => Ok((AuthSpec::Basic, ServiceSecrets::default())),
        (AuthKind::OAuth1, base) => {
            let base = match base {
                Some(AuthSpec::OAuth1(spec)) => Some(spec),
                _ => None,
            };
            let spec = oauth1_spec(args, base)?;
            let secret = resolve_secret(
                &args.consumer_secret,
                "--consumer-secret",
                "Consumer secret",
                input,
            )?;
            Ok((
                AuthSpec::OAuth1(spec),
                ServiceSecrets {
                    client_secret: secret,
                },
            ))
        }
        (AuthKind::OAuth2, base) => {
            let base = match base {
                Some(AuthSpec::OAuth2(spec)) => Some(spec),
                _ => None,
            };
            let spec = oauth2_spec(args, base)?;
            let secret = resolve_secret(
                &args.client_secret,
                "--client-secret",
                "Client secret",
                input,
            )?;
            Ok((
                AuthSpec::OAuth2(spec),
                ServiceSecrets {
                    client_secret: secret,
                },
            ))
        }
    }
}

fn oauth1_spec(
    args: &CreateServiceArgs,
    base: Option<&OAuth1Spec>,
) -> Result<OAuth1Spec, ConnectionError> {
    let from_base = |field: fn(&OAuth1Spec) -> &String| base.map(|base| field(base).clone());
    Ok(OAuth1Spec {
        request_token_url: required_url(
            &either(&args.request_token_url, from_base(|b| &b.request_token_url)),
            "--request-token-url",
        )?,
        authorize_url: required_url(
            &either(&args.authorize_url, from_base(|b| &b.authorize_url)),
            "--authorize-url",
        )?,
        access_token_url: required_url(
            &either(&args.access_token_url, from_base(|b| &b.access_token_url)),
            "--access-token-url",
        )?,
        consumer_key: required(&args.consumer_key, "--consumer-key")?,
        signature_method: args
            .signature
            .or(base.map(|base| base.signature_method))
            .unwrap_or(SignatureMethod::HmacSha1),
        placement: args
            .placement
            .or(base.map(|base| base.placement))
            .unwrap_or(Placement::Header),
    })
}

/// The flag's value if given, else the built-in one (an empty built-in value counts as none).
fn either(given: &Option<String>, builtin: Option<String>) -> Option<String> {
    given.clone().or(builtin.filter(|value| !value.is_empty()))
}

fn oauth2_spec(
    args: &CreateServiceArgs,
    base: Option<&OAuth2Spec>,
) -> Result<OAuth2Spec, ConnectionError> {
    let from_base = |field: fn(&OAuth2Spec) -> &Option<String>| base.and_then(|b| field(b).clone());
    let grant = args
        .grant
        .or(base.map(|base| base.grant))
        .unwrap_or(Grant::AuthorizationCode);
    let authorize_url = optional_url(
        &either(&args.authorize_url, from_base(|b| &b.authorize_url)),
        "--authorize-url",
    )?;
    let device_url = optional_url(
        &either(&args.device_url, from_base(|b| &b.device_url)),
        "--device-url",
    )?;
    if grant == Grant::AuthorizationCode && authorize_url.is_none() {
        return Err(missing("--authorize-url", "the authorization-code grant"));
    }
    if grant == Grant::Device && device_url.is_none() {
        return Err(missing("--device-url", "the device grant"));
    }
    let token_prefix = match &either(&args.token_prefix, base.map(|b| b.token_prefix.clone())) {
        Some(prefix) if prefix.trim().is_empty() || prefix.contains(char::is_whitespace) => {
            return Err(ConnectionError::InvalidInput(format!(
                "--token-prefix {prefix:?} must be one word, such as Bearer or Zoho-oauthtoken"
            )))
        }
        Some(prefix) => prefix.clone(),
        None => "Bearer".into(),
    };
    let mut auth_params = base.map(|b| b.auth_params.clone()).unwrap_or_default();
    auth_params.extend(key_values(&args.auth_params, "--auth-param")?);
    Ok(OAuth2Spec {
        grant,
        client_id: required(&args.client_id, "--client-id")?,
        authorize_url,
        token_url: required_url(
            &either(&args.token_url, base.map(|b| b.token_url.clone())),
            "--token-url",
        )?,
        refresh_url: optional_url(
            &either(&args.refresh_url, from_base(|b| &b.refresh_url)),
            "--refresh-url",
        )?,
        revoke_url: optional_url(
            &either(&args.revoke_url, from_base(|b| &b.revoke_url)),
            "--revoke-url",
        )?,
        device_url,
        scope_delimiter: args
            .scope_delimiter
            .or(base.map(|b| b.scope_delimiter))
            .unwrap_or_default(),
        token_prefix,
        auth_params,
        pkce: base.is_none_or(|b| b.pkce),
        client_auth: base.map(|b| b.client_auth).unwrap_or_default(),
    })
}

/// Parses `--param KEY:PLACEMENT[:LABEL]` flags.
fn api_key_spec(params: &[String]) -> Result<AuthSpec, ConnectionError> {
    if params.is_empty() {
        return Err(ConnectionError::InvalidInput(
            "an api-key service needs at least one --param KEY:PLACEMENT[:LABEL], e.g. \
             --param X-Api-Key:header:\"API key\""
                .into(),
        ));
    }
    let mut parsed: Vec<ApiKeyParam> = Vec::new();
    for text in params {
        let mut parts = text.splitn(3, ':');
        let key = parts.next().unwrap_or_default();
        let placement = parts.next().ok_or_else(|| {
            ConnectionError::InvalidInput(format!(
                "--param {text:?} needs a placement: KEY:query, KEY:form or KEY:header"
            ))
        })?;
        let label = parts
            .next()
            .map(str::trim)
            .filter(|label| !label.is_empty());
        let param = ApiKeyParam {
            key: key.to_owned(),
            label: label.unwrap_or(key).to_owned(),
            placement: placement.parse()?,
        };
        check_param(&param)?;
        if parsed.iter().any(|other| other.key == param.key) {
            return Err(ConnectionError::InvalidInput(format!(
                "--param {:?} is given twice",
                param.key
            )));
        }
        parsed.push(param);
    }
    Ok(AuthSpec::ApiKey { params: parsed })
}

/// Parses repeated `KEY=VALUE` flags.
fn key_values(items: &[String], flag: &str) -> Result<BTreeMap<String, String>, ConnectionError> {
    let mut map = BTreeMap::new();
    for item in items {
        let (key, value) = item
            .split_once('=')
            .filter(|(key, _)| !key.is_empty())
            .ok_or_else(|| {
                ConnectionError::InvalidInput(format!("{flag} {item:?} must be KEY=VALUE"))
            })?;
        map.insert(key.to_owned(), value.to_owned());
    }
    Ok(map)
}

/// A secret flag: `-` reads it (hidden prompt or standard input); absent means none.
fn resolve_secret(
    given: &Option<Secret>,
    flag: &str,
    label: &str,
    input: &mut dyn SecretSource,
) -> Result<Option<Secret>, ConnectionError> {
    match given {
        Some(value) if value.is_empty() => Ok(None),
        Some(value) => secret_from_flag(value, &format!("{flag} "), label, input).map(Some),
        None => Ok(None),
    }
}

fn required(value: &Option<String>, flag: &str) -> Result<String, ConnectionError> {
    match value {
        Some(value) if !value.trim().is_empty() => Ok(value.trim().to_owned()),
        _ => Err(ConnectionError::InvalidInput(format!("{flag} is required"))),
    }
}

fn required_url(value: &Option<String>, flag: &str) -> Result<String, ConnectionError> {
    let value = required(value, flag)?;
    check_url(&value, flag)?;
    Ok(value)
}

fn optional_url(value: &Option<String>, flag: &str) -> Result<Option<String>, ConnectionError> {
    match value {
        Some(_) => required_url(value, flag).map(Some),
        None => Ok(None),
    }
}

fn check_url(value: &str, flag: &str) -> Result<(), ConnectionError> {
    match url::Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(()),
        _ => Err(ConnectionError::InvalidInput(format!(
            "{flag} {value:?} is not an http(s) URL"
        ))),
    }
}

fn missing(flag: &str, what: &str) -> ConnectionError {
    ConnectionError::InvalidInput(format!("{flag} is required for {what}"))
}
