//! The `dlg` command line (clap): `run`, `check`; `repl`, `service` and `connection` join here.

pub mod app;
pub mod check;
mod check_report;
mod conn_authorize;
mod conn_output;
mod conn_view;
pub mod connection;
pub mod hosts;
pub mod lsp;
pub mod mail_options;
pub mod repl;
pub mod run;
pub mod run_app;
mod run_body;
mod run_project;
pub mod secret_input;
pub mod service;
pub mod service_configure;
mod service_edit;
pub mod shell;
pub mod test;
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
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a script: its top-level statements, or its only (or `--call`ed) function.
    Run(Box<run::RunArgs>),
    /// Parse scripts, or every script in folders, and report every syntax error (exit 0 when clean).
    Check(check::CheckArgs),
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
    crate::http::verbose::set_enabled(cli.verbose);
    match cli.command {
        Some(Command::Run(args)) => run::run(*args),
        Some(Command::Check(args)) => check::check(args),
        Some(Command::Service(args)) => service::run(args),
        Some(Command::Connection(args)) => connection::run(args),
        Some(Command::Test(args)) => test::run(args),
        Some(Command::Repl(args)) => repl::run(args),
        Some(Command::Completions(args)) => shell::completions(args),
        Some(Command::Manpage(args)) => shell::manpage(args),
        Some(Command::App(args)) => app::run(args),
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
