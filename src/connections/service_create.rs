//! Creating services: a custom one, or a catalog one set up with the user's own OAuth app,
//! shared by `dlg service create` and the Connections page (`dlg ui`). Secrets arrive already
//! read (the CLI reads `-` and `@FILE` before calling).

use super::api_key::check_param;
use super::catalog;
use super::hosts::normalize_host;
use super::link_name::check_display_name;
use super::model::{
    now, validate_link_name, ApiKeyParam, AuthKind, AuthSpec, Grant, NameKind, OAuth1Spec,
    OAuth2Spec, Placement, ScopeDelimiter, Service, ServiceSecrets, SignatureMethod,
};
use super::{ConnectionError, Secret, Store};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What `dlg service create` (and the page's "Create your own") asks for; the field names are
/// the flag names, which the error messages quote.
#[derive(Debug, Clone)]
pub struct ServiceDraft {
    /// Link name: a lowercase letter, then lowercase letters, digits or _ (at most 50).
    pub name: String,
    /// Authentication type.
    pub auth: AuthKind,
    /// Display name (default: the link name).
    pub display_name: Option<String>,
    /// Hosts the credentials may be sent to.
    pub hosts: Vec<String>,
    /// Allow plain http:// to hosts other than this machine.
    pub allow_insecure_http: bool,
    /// The REST base URL of Zoho tasks.
    pub api_base: Option<String>,
    /// api-key: `KEY:PLACEMENT[:LABEL]` parameters.
    pub params: Vec<String>,
    /// oauth1/oauth2: the authorization (consent) URL.
    pub authorize_url: Option<String>,
    /// oauth2: the token URL.
    pub token_url: Option<String>,
    /// oauth2: the refresh URL.
    pub refresh_url: Option<String>,
    /// oauth2: the revocation URL.
    pub revoke_url: Option<String>,
    /// oauth2: the device authorization URL.
    pub device_url: Option<String>,
    /// oauth2: the client id.
    pub client_id: Option<String>,
    /// oauth2: the client secret.
    pub client_secret: Option<Secret>,
    /// oauth2: the grant.
    pub grant: Option<Grant>,
    /// oauth2: how scopes are joined.
    pub scope_delimiter: Option<ScopeDelimiter>,
    /// oauth2: the Authorization scheme.
    pub token_prefix: Option<String>,
    /// oauth2: extra authorize-URL parameters, `KEY=VALUE`.
    pub auth_params: Vec<String>,
    /// oauth1: the request-token URL.
    pub request_token_url: Option<String>,
    /// oauth1: the access-token URL.
    pub access_token_url: Option<String>,
    /// oauth1: the consumer key.
    pub consumer_key: Option<String>,
    /// oauth1: the consumer secret.
    pub consumer_secret: Option<Secret>,
    /// oauth1: the signature method.
    pub signature: Option<SignatureMethod>,
    /// oauth1: where the oauth_* parameters go.
    pub placement: Option<Placement>,
}

impl ServiceDraft {
    /// An empty draft for service `name` with authentication `auth`.
    pub fn new(name: &str, auth: AuthKind) -> ServiceDraft {
        ServiceDraft {
            name: name.to_owned(),
            auth,
            display_name: None,
            hosts: Vec::new(),
            allow_insecure_http: false,
            api_base: None,
            params: Vec::new(),
            authorize_url: None,
            token_url: None,
            refresh_url: None,
            revoke_url: None,
            device_url: None,
            client_id: None,
            client_secret: None,
            grant: None,
            scope_delimiter: None,
            token_prefix: None,
            auth_params: Vec::new(),
            request_token_url: None,
            access_token_url: None,
            consumer_key: None,
            consumer_secret: None,
            signature: None,
            placement: None,
        }
    }
}

/// Creates a custom service (or sets up a catalog one) from `args`; returns the message to show.
pub fn create(store: &Store, args: ServiceDraft) -> Result<String, ConnectionError> {
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
    let (auth, secrets) = build_auth(&args, base.as_ref().map(|base| &base.auth))?;
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

/// An `--api-base` URL (http or https, with a host, no query) and its host.
pub fn check_api_base(url: &str) -> Result<(String, String), ConnectionError> {
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

/// True when an OAuth service has its app's client id (or consumer key); other kinds need none.
pub fn is_configured(service: &Service) -> bool {
    match &service.auth {
        AuthSpec::OAuth2(spec) => !spec.client_id.is_empty(),
        AuthSpec::OAuth1(spec) => !spec.consumer_key.is_empty(),
        AuthSpec::ApiKey { .. } | AuthSpec::Basic => true,
    }
}

/// The one command that gives an OAuth service what it lacks.
pub fn fix_command(service: &Service) -> String {
    let name = &service.link_name;
    match &service.auth {
        AuthSpec::OAuth1(_) => format!(
            "configure it with `dlg service configure {name} --consumer-key KEY --consumer-secret -`"
        ),
        _ => format!(
            "configure it with `dlg service configure {name} --client-id ID --client-secret -`"
        ),
    }
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
fn check_flags_apply(args: &ServiceDraft) -> Result<(), ConnectionError> {
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
fn builtin_base(args: &ServiceDraft) -> Result<Option<Service>, ConnectionError> {
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
    args: &ServiceDraft,
    base: Option<&AuthSpec>,
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
            let secret = given_secret(&args.consumer_secret);
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
            let secret = given_secret(&args.client_secret);
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
    args: &ServiceDraft,
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
    args: &ServiceDraft,
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

/// A secret as given; an empty one counts as none.
fn given_secret(given: &Option<Secret>) -> Option<Secret> {
    given.clone().filter(|value| !value.is_empty())
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
