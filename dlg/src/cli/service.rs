//! `dlg service list|show|create|configure|delete`: the services connections are made for.

use super::conn_output::finish;
use super::secret_input::{secret_from_flag, SecretSource, StdinSource};
use super::service_configure::{configure, ConfigureServiceArgs};
use super::service_show::{list, show};
use clap::{Args, Subcommand};
use deluge_lang::connections::catalog;
use deluge_lang::connections::model::{
    AuthKind, Grant, Placement, ScopeDelimiter, SignatureMethod,
};
pub use deluge_lang::connections::service_create::check_api_base;
use deluge_lang::connections::service_create::{create, ServiceDraft};
use deluge_lang::connections::{ConnectionError, Secret, Store};
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
        ServiceCommand::Create(create_args) => create(store, draft(*create_args, input)?),
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

/// The draft `dlg service create` hands to the library, its secrets read (`-` or `@FILE`).
fn draft(
    args: CreateServiceArgs,
    input: &mut dyn SecretSource,
) -> Result<ServiceDraft, ConnectionError> {
    let client_secret = read_secret(
        &args.client_secret,
        "--client-secret",
        "Client secret",
        input,
    )?;
    let consumer_secret = read_secret(
        &args.consumer_secret,
        "--consumer-secret",
        "Consumer secret",
        input,
    )?;
    Ok(ServiceDraft {
        name: args.name,
        auth: args.auth,
        display_name: args.display_name,
        hosts: args.hosts,
        allow_insecure_http: args.allow_insecure_http,
        api_base: args.api_base,
        params: args.params,
        authorize_url: args.authorize_url,
        token_url: args.token_url,
        refresh_url: args.refresh_url,
        revoke_url: args.revoke_url,
        device_url: args.device_url,
        client_id: args.client_id,
        client_secret,
        grant: args.grant,
        scope_delimiter: args.scope_delimiter,
        token_prefix: args.token_prefix,
        auth_params: args.auth_params,
        request_token_url: args.request_token_url,
        access_token_url: args.access_token_url,
        consumer_key: args.consumer_key,
        consumer_secret,
        signature: args.signature,
        placement: args.placement,
    })
}

/// A secret flag: `-` reads it (hidden prompt or standard input); absent means none.
fn read_secret(
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
