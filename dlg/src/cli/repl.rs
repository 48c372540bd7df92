//! `dlg repl [--time-zone TZ] [--max-statements N] [--timeout SECONDS] [--no-history]`, also
//! `dlg` alone on a terminal.

use std::io::{self, IsTerminal};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use super::{stderr_color, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE};
use crate::repl::backend::{EngineBackend, LineOutput};
use crate::repl::helper::ConnectionSummary;
use crate::repl::session::{Outcome, Session};
use crate::repl::{history, run_piped, run_terminal, TerminalOptions};
use deluge_lang::api::engine::{with_large_stack, Engine};
use deluge_lang::connections::{Connection, Status, Store};

/// Arguments of `dlg repl`.
#[derive(Debug, Default, Args)]
pub struct ReplArgs {
    /// The application time zone (IANA name, e.g. Asia/Kolkata); default: the machine's.
    #[arg(long, value_name = "TZ")]
    pub time_zone: Option<String>,
    /// Stop an entry with an error after this many statements.
    #[arg(long, value_name = "N")]
    pub max_statements: Option<u64>,
    /// Stop an entry with an error after this many seconds.
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Keep history in memory only (do not read or write the history file).
    #[arg(long)]
    pub no_history: bool,
    /// Zoho task settings.
    #[command(flatten)]
    pub zoho: super::zoho_flags::ZohoArgs,
    /// Mail and system values: --smtp, --smtp-connection, --outbox, --system, --mail.
    #[command(flatten)]
    pub mail: super::mail_options::MailArgs,
}

/// Runs the REPL: interactive on a terminal, prompt-less when standard input is not one.
/// Returns the exit code: 0, or for a scripted session 1 after a runtime error and 2 after a
/// syntax error or a bad command.
pub fn run(args: ReplArgs) -> i32 {
    let store = super::engine::default_store();
    let mut engine = super::engine::new_engine(store.as_ref());
    if let Err(message) = configure(&mut engine, store.as_ref(), &args) {
        eprintln!("error: {}", super::engine::for_dlg(&message));
        return EXIT_USAGE;
    }
    with_large_stack(move || serve(engine, &args))
}

fn serve(mut engine: Engine, args: &ReplArgs) -> i32 {
    engine.set_output(LineOutput);
    let interrupt = Arc::new(AtomicBool::new(false));
    let backend = EngineBackend::new(engine, Arc::clone(&interrupt));
    let mut session = Session::new(backend, stderr_color());
    if !io::stdin().is_terminal() {
        let outcome = run_piped(
            &mut session,
            io::stdin().lock(),
            &connection_summaries,
            &mut io::stdout(),
            &mut io::stderr(),
        );
        return exit_code(outcome);
    }
    let options = TerminalOptions {
        cancel: interrupt,
        connections: Box::new(connection_summaries),
        history_file: (!args.no_history).then(history::history_path).flatten(),
    };
    match run_terminal(session, options) {
        Ok(()) => EXIT_OK,
        Err(error) => {
            eprintln!("error: the terminal failed: {error}");
            EXIT_RUNTIME
        }
    }
}

fn exit_code(outcome: Outcome) -> i32 {
    match outcome {
        Outcome::Success => EXIT_OK,
        Outcome::Interrupted | Outcome::RuntimeError => EXIT_RUNTIME,
        Outcome::SyntaxError => EXIT_USAGE,
    }
}

/// The connections in the store (`DLG_HOME` or the config dir) with their type, service and
/// status, for `:connections` and completion inside `connection:`. Reads no secret.
fn connection_summaries() -> Result<Vec<ConnectionSummary>, String> {
    let snapshot = Store::open_default()
        .and_then(|store| store.load())
        .map_err(|error| error.to_string())?;
    let now = jiff::Timestamp::now();
    Ok(snapshot
        .connections()
        .map(|connection| ConnectionSummary {
            name: connection.link_name.clone(),
            auth: snapshot
                .service(&connection.service)
                .map_or("unknown service", |service| service.auth.kind().as_str())
                .to_owned(),
            service: connection.service.clone(),
            status: status_text(connection, now),
        })
        .collect())
}

/// `connected`, `needs re-authorization`, ...; an access token past its expiry says so (it
/// is renewed on the next request when the provider allows).
fn status_text(connection: &Connection, now: jiff::Timestamp) -> String {
    match connection.expires_at {
        Some(expiry) if connection.status == Status::Connected && expiry <= now => {
            format!("connected, access token expired {expiry} (renewed on next use)")
        }
        _ => connection.status.to_string(),
    }
}

/// Applies `--time-zone`, `--max-statements` and `--timeout`.
fn configure(engine: &mut Engine, store: Option<&Store>, args: &ReplArgs) -> Result<(), String> {
    if let Some(tz) = &args.time_zone {
        engine.env_mut().time_zone = jiff::tz::TimeZone::get(tz).map_err(|_| {
            format!(
                "unknown time zone `{tz}` for --time-zone (use an IANA name such as UTC or Asia/Kolkata)"
            )
        })?;
    }
    let limits = &mut engine.env_mut().limits;
    if let Some(n) = args.max_statements {
        limits.max_statements = Some(n);
    }
    if let Some(seconds) = args.timeout {
        let timeout = Duration::try_from_secs_f64(seconds)
            .map_err(|_| format!("--timeout needs a positive number of seconds, not {seconds}"))?;
        limits.timeout = Some(timeout);
    }
    let (settings, root) = super::hosts::settings_at(Path::new("."))?;
    let (zoho, mail) = (&args.zoho, &args.mail);
    super::hosts::configure(engine, store, &settings, root.as_deref(), zoho, mail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_says_when_an_access_token_has_expired() {
        let now: jiff::Timestamp = "2026-01-02T00:00:00Z".parse().unwrap();
        let mut connection = Connection::new("crm", "CRM", "zoho", now);
        assert_eq!(status_text(&connection, now), "not connected");
        connection.status = Status::Connected;
        connection.expires_at = Some("2026-01-02T01:00:00Z".parse().unwrap());
        assert_eq!(status_text(&connection, now), "connected");
        connection.expires_at = Some("2026-01-01T23:00:00Z".parse().unwrap());
        assert_eq!(
            status_text(&connection, now),
            "connected, access token expired 2026-01-01T23:00:00Z (renewed on next use)"
        );
        connection.status = Status::NeedsReauth;
        assert_eq!(status_text(&connection, now), "needs re-authorization");
    }
}
