//! `dlg connection create|authorize|list|show|edit|revoke|delete`.

use super::conn_output::{check_display_name, finish, json_text, list_or_none, table};
use super::secret_input::{SecretSource, StdinSource};
use crate::connections::authorizer::allowed_hosts;
use crate::connections::hosts::normalize_host;
use crate::connections::model::now;
use crate::connections::oauth1::connection as oauth1_connection;
use crate::connections::oauth1::flow::FlowOptions;
use crate::connections::oauth2::connection::{
    self as oauth2_connection, AuthorizeOptions, RemoteRevocation,
};
use crate::connections::oauth2::flow::CodeFlowOptions;
use crate::connections::oauth2::ui::TerminalUi;
use crate::connections::{
    api_key, basic, catalog, AuthSpec, Connection, ConnectionError, Credentials, Secret, Service,
    ServiceSecrets, Snapshot, Status, Store, Transaction,
};
use clap::{Args, Subcommand};
use serde_json::json;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// `dlg connection ...`
#[derive(Debug, Args)]
pub struct ConnectionArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: ConnectionCommand,
}

/// The `dlg connection` subcommands.
#[derive(Debug, Subcommand)]
pub enum ConnectionCommand {
    /// Create a connection for a service (not connected until authorized).
    Create {
        /// Link name used in scripts: a lowercase letter, then lowercase letters, digits or _.
        link_name: String,
        /// The service's link name.
        #[arg(long)]
        service: String,
        /// Display name (default: the link name).
        #[arg(long, value_name = "TEXT")]
        display_name: Option<String>,
        /// An OAuth 2 scope (repeatable).
        #[arg(long = "scope", value_name = "SCOPE")]
        scopes: Vec<String>,
    },
    /// Enter or obtain the connection's credentials.
    Authorize(AuthorizeArgs),
    /// List the connections.
    List {
        /// Print JSON (stable, see docs/connections-json.md).
        #[arg(long)]
        json: bool,
    },
    /// Show one connection (secrets masked).
    Show {
        /// The connection's link name.
        link_name: String,
        /// Print JSON (stable, see docs/connections-json.md).
        #[arg(long)]
        json: bool,
    },
    /// Rename a connection, change its scopes or allow another host.
    Edit {
        /// The connection's link name (cannot be changed).
        link_name: String,
        /// New display name.
        #[arg(long, value_name = "TEXT")]
        display_name: Option<String>,
        /// OAuth 2 scopes, replacing the current ones (repeatable).
        #[arg(long = "scope", value_name = "SCOPE")]
        scopes: Vec<String>,
        /// Also allow sending the credentials to this host (repeatable).
        #[arg(long = "add-host", value_name = "HOST")]
        add_hosts: Vec<String>,
    },
    /// Drop the credentials but keep the connection (status: disconnected).
    Revoke {
        /// The connection's link name.
        link_name: String,
    },
    /// Remove the connection and its credentials.
    Delete {
        /// The connection's link name.
        link_name: String,
    },
}

/// `dlg connection authorize LINK_NAME ...`
#[derive(Debug, Args)]
pub struct AuthorizeArgs {
    /// The connection's link name.
    pub link_name: String,
    /// A credential value; `KEY=-` types it at a hidden prompt or reads it from standard input.
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = ParamParser)]
    pub params: Vec<ParamArg>,
    /// OAuth: do not open a browser; print the URL and accept the pasted redirect URL.
    #[arg(long)]
    pub no_browser: bool,
    /// OAuth: the loopback port for the redirect (default: any free port).
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,
}

/// One `--param KEY=VALUE`; the value is a [`Secret`].
#[derive(Clone, Debug)]
pub struct ParamArg {
    /// The parameter key.
    pub key: String,
    /// The value, or `-` to read it.
    pub value: Secret,
}

/// Parses `--param` without ever echoing the value: clap's own errors quote the invalid text,
/// which would print a mistyped secret (`--param password:hunter2`) on standard error.
#[derive(Clone)]
struct ParamParser;

impl clap::builder::TypedValueParser for ParamParser {
    type Value = ParamArg;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<ParamArg, clap::Error> {
        let invalid = |problem: &str| {
            clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!("invalid --param (value not shown, it may be a secret): {problem}\n"),
            )
            .with_cmd(cmd)
        };
        let text = value
            .to_str()
            .ok_or_else(|| invalid("the text is not valid UTF-8"))?;
        parse_param(text).map_err(|problem| invalid(&problem))
    }
}

fn parse_param(text: &str) -> Result<ParamArg, String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok(ParamArg {
            key: key.to_owned(),
            value: Secret::from(value),
        }),
        _ => Err("expected KEY=VALUE (or KEY=- to type the value hidden)".into()),
    }
}

/// Runs `dlg connection ...` against the default store; returns the exit code.
pub fn run(args: ConnectionArgs) -> i32 {
    let result =
        Store::open_default().and_then(|store| execute(args, &store, &mut StdinSource::new()));
    finish(result)
}

/// Runs a `dlg connection` command and returns what it prints.
pub fn execute(
    args: ConnectionArgs,
    store: &Store,
    input: &mut dyn SecretSource,
) -> Result<String, ConnectionError> {
    match args.command {
        ConnectionCommand::Create {
            link_name,
            service,
            display_name,
            scopes,
        } => create(store, &link_name, &service, display_name.as_deref(), scopes),
        ConnectionCommand::Authorize(authorize_args) => authorize(store, authorize_args, input),
        ConnectionCommand::List { json } => list(store, json),
        ConnectionCommand::Show { link_name, json } => show(store, &link_name, json),
        ConnectionCommand::Edit {
            link_name,
            display_name,
            scopes,
            add_hosts,
        } => edit(
            store,
            &link_name,
            display_name.as_deref(),
            scopes,
            &add_hosts,
        ),
        ConnectionCommand::Revoke { link_name } => revoke(store, &link_name),
        ConnectionCommand::Delete { link_name } => delete(store, &link_name),
    }
}

fn create(
    store: &Store,
    link_name: &str,
    service_name: &str,
    display_name: Option<&str>,
    scopes: Vec<String>,
) -> Result<String, ConnectionError> {
    let display_name = match display_name {
        Some(name) => check_display_name(name)?,
        None => link_name.to_owned(),
    };
    let scopes = clean_scopes(scopes)?;
    store.update(|transaction| {
        if transaction.service(service_name).is_none() {
            add_builtin_service(transaction, service_name)?;
        }
        let service = transaction.require_service(service_name)?;
        check_scopes_apply(service, &scopes)?;
        let mut connection = Connection::new(link_name, &display_name, service_name, now());
        connection.scopes = if scopes.is_empty() {
            default_scopes(service)
        } else {
            scopes
        };
        transaction.add_connection(connection)
    })?;
    Ok(format!(
        "created connection \"{link_name}\" for service \"{service_name}\" (not connected); \
         authorize it with `dlg connection authorize {link_name}`\n"
    ))
}

/// Copies a built-in API-key or Basic service into the store so a connection can use it. A
/// built-in OAuth service first needs the user's own OAuth app (`dlg service create`).
fn add_builtin_service(transaction: &mut Transaction, name: &str) -> Result<(), ConnectionError> {
    let Some(mut service) = catalog::service(name) else {
        return Err(ConnectionError::UnknownService { name: name.into() });
    };
    if let AuthSpec::OAuth1(_) | AuthSpec::OAuth2(_) = service.auth {
        let (flag, what) = match service.auth {
            AuthSpec::OAuth1(_) => ("--consumer-key KEY --consumer-secret -", "consumer key"),
            _ => ("--client-id ID --client-secret -", "client id"),
        };
        return Err(ConnectionError::InvalidInput(format!(
            "service \"{name}\" is built in and uses {}, which needs the {what} of your own app \
             registered with the provider; set it up first with `dlg service create {name} \
             --auth {} {flag}`",
            service.auth.kind().title(),
            service.auth.kind().as_str()
        )));
    }
    let time = now();
    service.created_at = time;
    service.updated_at = time;
    transaction.add_service(service, &ServiceSecrets::default())
}

/// The built-in default scopes of an OAuth 2 service, used when none are given.
fn default_scopes(service: &Service) -> Vec<String> {
    match (&service.auth, catalog::entry(&service.link_name)) {
        (AuthSpec::OAuth2(_), Some(entry)) if service.builtin => entry.default_scopes.clone(),
        _ => Vec::new(),
    }
}

fn authorize(
    store: &Store,
    args: AuthorizeArgs,
    input: &mut dyn SecretSource,
) -> Result<String, ConnectionError> {
    let link_name = args.link_name.as_str();
    let snapshot = store.load()?;
    let connection = snapshot.require_connection(link_name)?;
    let service = service_of(&snapshot, connection)?;
    match &service.auth {
        AuthSpec::ApiKey { .. } | AuthSpec::Basic => {
            authorize_with_values(store, link_name, service, args.params, input)?
        }
        AuthSpec::OAuth1(_) | AuthSpec::OAuth2(_) => authorize_oauth(store, &args, &service.auth)?,
    }
    Ok(format!("connection \"{link_name}\" is connected\n"))
}

/// API key and Basic: the values come from `--param`, prompts or standard input.
fn authorize_with_values(
    store: &Store,
    link_name: &str,
    service: &Service,
    params: Vec<ParamArg>,
    input: &mut dyn SecretSource,
) -> Result<(), ConnectionError> {
    let prompts = prompts_for(&service.auth);
    let entered = collect_values(params, &prompts, input)?;
    let credentials = match &service.auth {
        AuthSpec::ApiKey { params } => api_key::credentials(&service.link_name, params, entered)?,
        _ => basic::credentials(&service.link_name, entered)?,
    };
    save_authorization(store, link_name, &credentials)
}

/// OAuth 1 and 2: the provider's flow, in the browser (or pasted with `--no-browser`).
fn authorize_oauth(
    store: &Store,
    args: &AuthorizeArgs,
    auth: &AuthSpec,
) -> Result<(), ConnectionError> {
    if !args.params.is_empty() {
        return Err(ConnectionError::InvalidInput(format!(
            "--param applies only to API key and Basic connections; connection \"{}\" uses {} \
             and is authorized at the provider",
            args.link_name,
            auth.kind().title()
        )));
    }
    let mut ui = TerminalUi {
        open_browser: !args.no_browser,
        accept_paste: args.no_browser,
    };
    if let AuthSpec::OAuth1(_) = auth {
        let options = FlowOptions {
            port: args.port,
            ..FlowOptions::default()
        };
        return oauth1_connection::authorize_connection(store, &args.link_name, options, &mut ui);
    }
    let options = AuthorizeOptions {
        code_flow: CodeFlowOptions {
            port: args.port,
            ..CodeFlowOptions::default()
        },
    };
    oauth2_connection::authorize_connection(store, &args.link_name, options, &mut ui)
}

/// A value asked for at `authorize`: key, label, hidden.
struct Prompt {
    key: String,
    label: String,
    hidden: bool,
}

/// The values API key and Basic connections ask for (none for OAuth).
fn prompts_for(auth: &AuthSpec) -> Vec<Prompt> {
    match auth {
        AuthSpec::ApiKey { params } => params
            .iter()
            .map(|param| Prompt {
                key: param.key.clone(),
                label: param.label.clone(),
                hidden: true,
            })
            .collect(),
        AuthSpec::Basic => vec![
            Prompt {
                key: "username".into(),
                label: "Username".into(),
                hidden: false,
            },
            Prompt {
                key: "password".into(),
                label: "Password".into(),
                hidden: true,
            },
        ],
        AuthSpec::OAuth1(_) | AuthSpec::OAuth2(_) => Vec::new(),
    }
}

/// Gathers the values: `--param` flags first (`-` reads the value), then, on a terminal, a
/// prompt for each value not given.
fn collect_values(
    params: Vec<ParamArg>,
    prompts: &[Prompt],
    input: &mut dyn SecretSource,
) -> Result<BTreeMap<String, Secret>, ConnectionError> {
    let mut entered = BTreeMap::new();
    for param in params {
        if entered.contains_key(&param.key) {
            return Err(ConnectionError::InvalidInput(format!(
                "--param {:?} is given twice",
                param.key
            )));
        }
        let value = if param.value.expose() == "-" {
            let prompt = prompts.iter().find(|prompt| prompt.key == param.key);
            let label = prompt.map_or(param.key.as_str(), |prompt| prompt.label.as_str());
            input.read(label, prompt.is_none_or(|prompt| prompt.hidden))?
        } else {
            param.value
        };
        entered.insert(param.key, value);
    }
    if input.is_interactive() {
        for prompt in prompts {
            if !entered.contains_key(&prompt.key) {
                let value = input.read(&prompt.label, prompt.hidden)?;
                entered.insert(prompt.key.clone(), value);
            }
        }
    }
    Ok(entered)
}

fn save_authorization(
    store: &Store,
    link_name: &str,
    credentials: &Credentials,
) -> Result<(), ConnectionError> {
    store.update(|transaction| {
        transaction.set_credentials(link_name, Some(credentials))?;
        let connection = transaction.connection_mut(link_name)?;
        let time = now();
        connection.status = Status::Connected;
        connection.authorized_at = Some(time);
        connection.updated_at = time;
        connection.last_refresh_error = None;
        connection.refresh_failures = 0;
        Ok(())
    })
}

fn list(store: &Store, json: bool) -> Result<String, ConnectionError> {
    let snapshot = store.load()?;
    if json {
        let connections: Vec<_> = snapshot
            .connections()
            .map(|connection| connection_json(&snapshot, connection))
            .collect();
        return Ok(json_text(&json!({ "connections": connections })));
    }
    if snapshot.connections().next().is_none() {
        return Ok("no connections yet; create one with \
                   `dlg connection create LINK --service SERVICE`\n"
            .into());
    }
    let mut rows = vec![vec![
        "LINK NAME".to_owned(),
        "SERVICE".to_owned(),
        "STATUS".to_owned(),
        "DISPLAY NAME".to_owned(),
    ]];
    for connection in snapshot.connections() {
        rows.push(vec![
            connection.link_name.clone(),
            connection.service.clone(),
            connection.status.to_string(),
            connection.display_name.clone(),
        ]);
    }
    Ok(table(&rows))
}

fn show(store: &Store, link_name: &str, json: bool) -> Result<String, ConnectionError> {
    let snapshot = store.load()?;
    let connection = snapshot.require_connection(link_name)?;
    let fields = snapshot
        .credentials(link_name)?
        .map(|credentials| credentials.field_names());
    if json {
        let mut value = connection_json(&snapshot, connection);
        value["credentials"] = match &fields {
            Some(fields) => fields
                .iter()
                .map(|field| (field.clone(), json!("***")))
                .collect::<serde_json::Map<_, _>>()
                .into(),
            None => serde_json::Value::Null,
        };
        return Ok(json_text(&value));
    }
    Ok(describe(&snapshot, connection, fields.as_deref()))
}

/// The stable JSON form of a connection (docs/connections-json.md). Holds no secret.
pub fn connection_json(snapshot: &Snapshot, connection: &Connection) -> serde_json::Value {
    let service = snapshot.service(&connection.service);
    let hosts = match service {
        Some(service) => allowed_hosts(connection, service),
        None => connection.extra_hosts.clone(),
    };
    let time = |value: &Option<jiff::Timestamp>| value.map(|time| time.to_string());
    json!({
        "link_name": connection.link_name,
        "display_name": connection.display_name,
        "service": connection.service,
        "auth": service.map(|service| service.auth.kind().as_str()),
        "status": connection.status.as_str(),
        "scopes": connection.scopes,
        "allowed_hosts": hosts,
        "extra_hosts": connection.extra_hosts,
        "has_credentials": snapshot.has_credentials(&connection.link_name),
        "created_at": connection.created_at.to_string(),
        "updated_at": connection.updated_at.to_string(),
        "authorized_at": time(&connection.authorized_at),
        "expires_at": time(&connection.expires_at),
    })
}

fn describe(snapshot: &Snapshot, connection: &Connection, fields: Option<&[String]>) -> String {
    let service = snapshot.service(&connection.service);
    let auth = service.map_or("unknown (service missing)", |service| {
        service.auth.kind().title()
    });
    let hosts = service.map_or_else(
        || connection.extra_hosts.clone(),
        |service| allowed_hosts(connection, service),
    );
    let credentials = match fields {
        Some(fields) => fields
            .iter()
            .map(|field| format!("{field}=***"))
            .collect::<Vec<_>>()
            .join(", "),
        None => "none".into(),
    };
    let mut text = String::new();
    let _ = writeln!(text, "connection:     {}", connection.link_name);
    let _ = writeln!(text, "display name:   {}", connection.display_name);
    let _ = writeln!(text, "service:        {} ({auth})", connection.service);
    let _ = writeln!(text, "status:         {}", connection.status);
    if !connection.scopes.is_empty() {
        let _ = writeln!(text, "scopes:         {}", connection.scopes.join(", "));
    }
    let _ = writeln!(text, "allowed hosts:  {}", list_or_none(&hosts));
    let _ = writeln!(text, "credentials:    {credentials}");
    let _ = writeln!(text, "created:        {}", connection.created_at);
    let _ = writeln!(text, "updated:        {}", connection.updated_at);
    if let Some(time) = connection.authorized_at {
        let _ = writeln!(text, "authorized:     {time}");
    }
    if let Some(time) = connection.expires_at {
        let _ = writeln!(text, "token expires:  {time}");
    }
    if let Some(error) = &connection.last_refresh_error {
        let _ = writeln!(text, "last refresh:   failed: {error}");
    }
    text
}

fn edit(
    store: &Store,
    link_name: &str,
    display_name: Option<&str>,
    scopes: Vec<String>,
    add_hosts: &[String],
) -> Result<String, ConnectionError> {
    if display_name.is_none() && scopes.is_empty() && add_hosts.is_empty() {
        return Err(ConnectionError::InvalidInput(
            "nothing to change; give --display-name, --scope or --add-host".into(),
        ));
    }
    let display_name = display_name.map(check_display_name).transpose()?;
    let scopes = clean_scopes(scopes)?;
    let hosts = add_hosts
        .iter()
        .map(|host| normalize_host(host))
        .collect::<Result<Vec<_>, _>>()?;
    let mut notes = String::new();
    store.update(|transaction| {
        let connection = transaction.require_connection(link_name)?.clone();
        let service = service_of(transaction, &connection)?.clone();
        check_scopes_apply(&service, &scopes)?;
        let connection = transaction.connection_mut(link_name)?;
        if let Some(name) = display_name {
            connection.display_name = name;
        }
        if !scopes.is_empty() && scopes != connection.scopes {
            connection.scopes = scopes;
            if connection.status == Status::Connected {
                let _ = writeln!(
                    notes,
                    "note: run `dlg connection authorize {link_name}` to grant the new scopes"
                );
            }
        }
        for host in hosts {
            if service.allowed_hosts.contains(&host) || connection.extra_hosts.contains(&host) {
                let _ = writeln!(notes, "note: host \"{host}\" is already allowed");
            } else {
                connection.extra_hosts.push(host);
            }
        }
        connection.updated_at = now();
        Ok(())
    })?;
    Ok(format!("updated connection \"{link_name}\"\n{notes}"))
}

fn revoke(store: &Store, link_name: &str) -> Result<String, ConnectionError> {
    let snapshot = store.load()?;
    let connection = snapshot.require_connection(link_name)?;
    let nothing_stored = !snapshot.has_credentials(link_name);
    if nothing_stored
        && matches!(
            connection.status,
            Status::NotConnected | Status::Disconnected
        )
    {
        return Ok(format!(
            "connection \"{link_name}\" holds no credentials; nothing to revoke\n"
        ));
    }
    let remote = match snapshot
        .service(&connection.service)
        .map(|service| &service.auth)
    {
        Some(AuthSpec::OAuth2(_)) => Some(oauth2_connection::revoke_connection(store, link_name)?),
        Some(AuthSpec::OAuth1(_)) => {
            oauth1_connection::revoke_connection(store, link_name)?;
            None
        }
        _ => {
            revoke_locally(store, link_name)?;
            None
        }
    };
    Ok(format!(
        "connection \"{link_name}\" was revoked: its credentials are deleted and its definition \
         kept (authorize it again with `dlg connection authorize {link_name}`)\n{}",
        remote_note(remote)
    ))
}

fn revoke_locally(store: &Store, link_name: &str) -> Result<(), ConnectionError> {
    store.update(|transaction| {
        transaction.set_credentials(link_name, None)?;
        let connection = transaction.connection_mut(link_name)?;
        connection.status = Status::Disconnected;
        connection.expires_at = None;
        connection.updated_at = now();
        Ok(())
    })
}

fn delete(store: &Store, link_name: &str) -> Result<String, ConnectionError> {
    let snapshot = store.load()?;
    let connection = snapshot.require_connection(link_name)?;
    let oauth2 = matches!(
        snapshot
            .service(&connection.service)
            .map(|service| &service.auth),
        Some(AuthSpec::OAuth2(_))
    );
    let remote = if oauth2 && snapshot.has_credentials(link_name) {
        Some(oauth2_connection::delete_connection(store, link_name)?)
    } else {
        store.update(|transaction| transaction.remove_connection(link_name))?;
        None
    };
    Ok(format!(
        "deleted connection \"{link_name}\" and its credentials\n{}",
        remote_note(remote)
    ))
}

/// What the provider said when told about a revocation, as a line to print.
fn remote_note(remote: Option<RemoteRevocation>) -> String {
    match remote {
        Some(RemoteRevocation::Revoked) => "the provider revoked the grant too\n".into(),
        Some(RemoteRevocation::NoEndpoint) => {
            "note: the service has no revocation URL, so the provider was not told; the \
             authorization stays valid there until it expires or you remove it in the \
             provider's settings\n"
                .into()
        }
        Some(RemoteRevocation::Failed(why)) => format!(
            "warning: the provider could not be told ({why}); the tokens were deleted here \
             anyway\n"
        ),
        Some(RemoteRevocation::NothingToRevoke) | None => String::new(),
    }
}

fn service_of<'a>(
    snapshot: &'a Snapshot,
    connection: &Connection,
) -> Result<&'a Service, ConnectionError> {
    snapshot
        .service(&connection.service)
        .ok_or_else(|| ConnectionError::MissingService {
            link_name: connection.link_name.clone(),
            service: connection.service.clone(),
        })
}

fn clean_scopes(scopes: Vec<String>) -> Result<Vec<String>, ConnectionError> {
    let mut clean: Vec<String> = Vec::new();
    for scope in scopes {
        let scope = scope.trim().to_owned();
        if scope.is_empty() || scope.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ConnectionError::InvalidInput(format!(
                "scope {scope:?} is empty or contains spaces; give one --scope per scope"
            )));
        }
        if !clean.contains(&scope) {
            clean.push(scope);
        }
    }
    Ok(clean)
}

fn check_scopes_apply(service: &Service, scopes: &[String]) -> Result<(), ConnectionError> {
    if scopes.is_empty() || matches!(service.auth, AuthSpec::OAuth2(_)) {
        return Ok(());
    }
    Err(ConnectionError::InvalidInput(format!(
        "--scope applies only to OAuth 2 connections; service \"{}\" uses {}",
        service.link_name,
        service.auth.kind().title()
    )))
}
