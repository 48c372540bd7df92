//! `dlg store copy`: moves services and connections between stores (folders or PostgreSQL
//! URLs), re-encrypting every secret under the target's key.

use super::conn_output::finish;
use clap::{Args, Subcommand};
use deluge_lang::connections::copy::copy;
use deluge_lang::connections::{ConnectionError, Store};

/// Environment variable holding the target store's master key when it differs from the
/// source's (`DLG_MASTER_KEY`, or the source folder's key file).
pub const TARGET_KEY_ENV: &str = "DLG_TARGET_MASTER_KEY";

/// Arguments of `dlg store`.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: StoreCommand,
}

/// The `dlg store` subcommands.
#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Copy every service and connection from one store to another (a folder or a
    /// postgres:// URL). Secrets are sealed again under the target's key (DLG_TARGET_MASTER_KEY
    /// when set); the target is written at once or not at all.
    Copy(CopyArgs),
}

/// Arguments of `dlg store copy`.
#[derive(Debug, Args)]
pub struct CopyArgs {
    /// The source store: a folder (like DLG_HOME) or postgres://USER:PASSWORD@HOST:PORT/DB.
    #[arg(long, value_name = "FOLDER_OR_URL")]
    pub from: String,
    /// The target store: a folder or a postgres:// URL.
    #[arg(long, value_name = "FOLDER_OR_URL")]
    pub to: String,
    /// The source's tenant (default: --tenant, DLG_TENANT, else `default`).
    #[arg(long, value_name = "NAME")]
    pub from_tenant: Option<String>,
    /// The target's tenant (default: --tenant, DLG_TENANT, else `default`).
    #[arg(long, value_name = "NAME")]
    pub to_tenant: Option<String>,
    /// Replace everything the target holds (else a name both stores hold stops the copy).
    #[arg(long)]
    pub replace: bool,
}

/// Runs `dlg store ...`; `tenant` is the global `--tenant`. Returns the exit code.
pub fn run(args: StoreArgs, tenant: Option<String>) -> i32 {
    finish(execute(args, tenant))
}

/// Runs a `dlg store` command and returns what it prints.
pub fn execute(args: StoreArgs, tenant: Option<String>) -> Result<String, ConnectionError> {
    let StoreCommand::Copy(args) = args.command;
    let tenant = tenant.or_else(|| std::env::var(deluge_lang::connections::store::TENANT_ENV).ok());
    let from_tenant = args.from_tenant.or_else(|| tenant.clone());
    let to_tenant = args.to_tenant.or(tenant);
    let from = Store::open(&args.from, from_tenant.as_deref())?;
    let mut to = Store::open(&args.to, to_tenant.as_deref())?;
    if let Ok(key) = std::env::var(TARGET_KEY_ENV) {
        to = to.with_master_key(Some(&key));
    }
    let report = copy(&from, &to, args.replace)?;
    Ok(format!(
        "copied {} service(s) and {} connection(s) from {} to {}\n",
        report.services,
        report.connections,
        from.describe(),
        to.describe()
    ))
}
