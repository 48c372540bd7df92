//! `dlg connection create|authorize|list|show|edit|revoke|delete`.

use super::conn_authorize::authorize;
use super::conn_output::finish;
pub use super::conn_view::connection_json;
use super::conn_view::{list, show};
use super::secret_input::{SecretSource, StdinSource};
use clap::{Args, Subcommand};
use deluge_lang::connections::manage::{create, delete, edit, revoke};
use deluge_lang::connections::{ConnectionError, Secret, Store};

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
        /// Your tenant's own subdomain, for built-in services whose hosts differ per tenant
        /// (e.g. `myshop` for myshop.myshopify.com).
        #[arg(long, value_name = "LABEL")]
        subdomain: Option<String>,
    },
    /// Enter or obtain the connection's credentials.
    Authorize(AuthorizeArgs),
    /// List the connections.
    List {
        /// Print JSON (stable, see docs/connections-json.md).
        #[arg(long)]
        json: bool,
        /// Print only the link names, one a line (used by shell completion).
        #[arg(long, hide = true, conflicts_with = "json")]
        names: bool,
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
    /// A credential value: `KEY=-` types it at a hidden prompt or reads it from standard input,
    /// `KEY=@FILE` reads it from a file. Secret values are refused on the command line (only
    /// the Basic `username=NAME` may be given as is).
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = ParamParser)]
    pub params: Vec<ParamArg>,
    /// OAuth: do not open a browser; print the URL and accept the pasted redirect URL.
    #[arg(long)]
    pub no_browser: bool,
    /// OAuth: the loopback port for the redirect (default: any free port).
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,
    /// OAuth 2 device grant: give up after this many seconds without approval (default 900,
    /// at most a day).
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub max_wait: Option<u64>,
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
            subdomain,
        } => create(
            store,
            &link_name,
            &service,
            display_name.as_deref(),
            scopes,
            subdomain.as_deref(),
        ),
        ConnectionCommand::Authorize(authorize_args) => authorize(store, authorize_args, input),
        ConnectionCommand::List { names: true, .. } => link_names(store),
        ConnectionCommand::List { json, .. } => list(store, json),
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

/// The link names of every connection, one a line: nothing else, so shell completion can call
/// it safely.
fn link_names(store: &Store) -> Result<String, ConnectionError> {
    let snapshot = store.load()?;
    Ok(snapshot
        .connections()
        .map(|connection| format!("{}\n", connection.link_name))
        .collect())
}
