//! The `dlg` command line (clap): `run`, `check`; `repl`, `service` and `connection` join here.

pub mod app;
pub mod check;
mod check_jobs;
mod check_report;
mod conn_authorize;
mod conn_output;
mod conn_view;
pub mod connection;
mod engine;
pub mod fmt;
pub mod hosts;
mod huge_pages;
mod logger;
pub mod lsp;
pub mod mail_options;
pub mod repl;
pub mod run;
pub mod run_app;
mod run_body;
pub mod run_limits;
mod run_project;
pub mod secret_input;
pub mod serve;
pub mod service;
pub mod service_configure;
mod service_edit;
mod service_show;
pub mod shell;
pub mod store;
pub mod test;
pub mod ui;
pub mod zoho_flags;

use std::io::IsTerminal;

use clap::{Parser, Subcommand};

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: the script failed at run time.
pub const EXIT_RUNTIME: i32 = 1;
/// Exit code: syntax error or bad usage.
pub const EXIT_USAGE: i32 = 2;

/// `dlg`: run, check and explore Deluge scripts.
#[derive(Debug, Parser)]
#[command(name = "dlg", version, about = "Run, check and explore Deluge scripts")]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Log HTTP requests (secrets redacted), redirects, token renewals and the connection
    /// store in use to standard error.
    #[arg(long, short = 'v', global = true)]
    pub verbose: bool,
    /// The connection store: a folder, or postgres://USER:PASSWORD@HOST:PORT/DATABASE shared
    /// by many machines (default: DLG_STORE, else DLG_HOME, else the configuration folder).
    #[arg(long, global = true, value_name = "FOLDER_OR_URL")]
    pub store: Option<String>,
    /// The tenant whose services and connections to use (default: DLG_TENANT, else `default`).
    #[arg(long, global = true, value_name = "NAME")]
    pub tenant: Option<String>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a script: its top-level statements, or its only (or `--call`ed) function.
    Run(Box<run::RunArgs>),
    /// Parse scripts, or every script in folders, and report every syntax error (exit 0 when clean).
    Check(check::CheckArgs),
    /// Lay scripts out in the canonical style (`--check` lists the files that would change).
    Fmt(fmt::FmtArgs),
    /// Manage services: how to authenticate to an API.
    Service(service::ServiceArgs),
    /// Manage connections: authorized accounts that `invokeurl` uses by link name.
    Connection(connection::ConnectionArgs),
    /// Run the tests of `*_test.dg` files, HTTP replayed from cassettes (see docs/testing.md).
    Test(test::TestArgs),
    /// Start an interactive session (also `dlg` alone on a terminal).
    Repl(repl::ReplArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(shell::CompletionsArgs),
    /// Print the manual page (roff), or write every page with --dir.
    Manpage(shell::ManpageArgs),
    /// Inspect and seed a local Creator app database (see `dlg run --app`).
    App(app::AppArgs),
    /// Manage connection stores: copy services and connections between a folder and PostgreSQL.
    Store(store::StoreArgs),
    /// Manage services and connections in the browser (the Connections page, on 127.0.0.1).
    Ui(ui::UiArgs),
    /// Serve every function of the given files over HTTP, like Zoho's function REST API.
    Serve(serve::ServeArgs),
    /// Start the language server on standard input and output (for editors; see docs/editors.md).
    Lsp(lsp::LspArgs),
}

/// Parses the command line, runs the command and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            };
        }
    };
    logger::install(cli.verbose);
    deluge_lang::connections::store::choose_default(cli.store.clone(), cli.tenant.clone());
    huge_pages::allow_after_start_up();
    match cli.command {
        Some(Command::Run(args)) => run::run(*args),
        Some(Command::Check(args)) => check::check(args),
        Some(Command::Fmt(args)) => fmt::fmt(args),
        Some(Command::Service(args)) => service::run(args),
        Some(Command::Connection(args)) => connection::run(args),
        Some(Command::Test(args)) => test::run(args),
        Some(Command::Repl(args)) => repl::run(args),
        Some(Command::Completions(args)) => shell::completions(args),
        Some(Command::Manpage(args)) => shell::manpage(args),
        Some(Command::App(args)) => app::run(args),
        Some(Command::Store(args)) => store::run(args, cli.tenant),
        Some(Command::Ui(args)) => ui::run(args),
        Some(Command::Serve(args)) => serve::run(args),
        Some(Command::Lsp(args)) => lsp::run(args),
        None if std::io::stdin().is_terminal() => repl::run(repl::ReplArgs::default()),
        None => {
            eprintln!(
                "usage: dlg run FILE | dlg check [PATH]... | dlg test [PATH]... | dlg repl (see dlg --help)"
            );
            EXIT_USAGE
        }
    }
}

/// True when error reports on standard error should be coloured.
pub fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}
