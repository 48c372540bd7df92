//! `dlg test [PATH]... [--jobs N] [--filter PATTERN] [--record] [--junit FILE] [--coverage]
//! [--lcov FILE] [--app-def APP.ds] [--zoho PRODUCT=LINK]... [--zoho-param PRODUCT.NAME=VALUE]...`:
//! runs the tests of `*_test.dg` files (see `deluge_lang::testing`) with the host stack of `dlg run`,
//! a fresh Creator app per test over it.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use tempfile::TempDir;

use super::hosts;
use super::mail_options::MailArgs;
use super::run_app::{self, AppArgs};
use deluge_lang::mail::{install_host, MailHost, MailMode};
use deluge_lang::zoho::ZohoHost;

use deluge_lang::api::engine::Engine;
use deluge_lang::eval::coverage::Coverage;
use deluge_lang::testing::forms::TestApp;
use deluge_lang::testing::report::{self, EXIT_USAGE};
use deluge_lang::testing::runner::{run_tests, HttpMode, TestConfig};

/// Arguments of `dlg test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Test files (`*_test.dg`) and folders to search recursively; default: the current folder.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Tests run at once; default: one per core.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Only the tests whose name `FILE::function` contains PATTERN.
    #[arg(long, value_name = "PATTERN")]
    pub filter: Option<String>,
    /// Send HTTP requests for real (through the connections) and write each test file's
    /// cassette; without it, requests are answered from the cassettes, offline.
    #[arg(long)]
    pub record: bool,
    /// Also write the results as JUnit XML to FILE.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Report line coverage of the code under test.
    #[arg(long)]
    pub coverage: bool,
    /// Write line coverage in lcov format to FILE (implies --coverage).
    #[arg(long, value_name = "FILE")]
    pub lcov: Option<PathBuf>,
    /// A Creator application export: its forms are declared in each test's fresh app and its
    /// functions are callable from the tests, as with `dlg run --app-def`.
    #[arg(long = "app-def", value_name = "APP.ds")]
    pub app_def: Option<PathBuf>,
    /// Zoho task settings, as for `dlg run`.
    #[command(flatten)]
    pub zoho: super::zoho_flags::ZohoArgs,
}

/// Runs the command; returns the exit code.
pub fn run(args: TestArgs) -> i32 {
    if args.jobs == Some(0) {
        eprintln!("error: --jobs needs at least 1");
        return EXIT_USAGE;
    }
    let jobs = args.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    let mut engine = super::engine::with_default_store();
    let _outbox = match configure_hosts(&mut engine, &args) {
        Ok(outbox) => outbox,
        Err(message) => {
            eprintln!("error: {}", super::engine::for_dlg(&message));
            return EXIT_USAGE;
        }
    };
    let app = match test_app(&mut engine, &args) {
        Ok(app) => app,
        Err(message) => {
            eprintln!("error: {}", super::engine::for_dlg(&message));
            return EXIT_USAGE;
        }
    };
    let config = TestConfig {
        paths: args.paths.clone(),
        jobs,
        filter: args.filter.clone(),
        http: if args.record {
            HttpMode::Record
        } else {
            HttpMode::Replay
        },
        coverage: args.coverage || args.lcov.is_some(),
        app,
    };
    if config.http == HttpMode::Replay {
        engine.set_connections(None);
    }
    let coverage = config.coverage.then(|| Arc::new(Coverage::new()));
    let mut stdout = std::io::stdout();
    let mut print = |line: String| {
        let _ = writeln!(stdout, "{line}");
        let _ = stdout.flush();
    };
    let shown = &mut |result: &deluge_lang::testing::runner::TestResult| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", report::result_line(result));
        let _ = out.flush();
    };
    let suite = match run_tests(&config, &engine, coverage.clone(), shown) {
        Ok(suite) => suite,
        Err(message) => {
            eprintln!("error: {}", super::engine::for_dlg(&message));
            return EXIT_USAGE;
        }
    };
    if suite.plans.is_empty() && suite.problems.is_empty() {
        eprintln!("no test files (names ending in `_test.dg`) were found");
    }
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let failures = report::failures(&suite, color);
    if !failures.is_empty() {
        print(failures.trim_end().to_owned());
    }
    if let Some(coverage) = &coverage {
        let report = deluge_lang::testing::coverage::collect(&suite.plans, coverage);
        print(format!("\n{}", report.table().trim_end()));
        if let Some(path) = &args.lcov {
            if let Err(e) = std::fs::write(path, report.lcov()) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return EXIT_USAGE;
            }
        }
    }
    if let Some(path) = &args.junit {
        if let Err(e) = std::fs::write(path, deluge_lang::testing::junit::junit_xml(&suite)) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return EXIT_USAGE;
        }
    }
    print(String::new());
    print(report::summary(&suite));
    report::exit_code(&suite)
}

/// The host stack of `dlg run` (mail over Zoho) with the settings of the project the first
/// path is in, except that mail never leaves the machine: SMTP settings are ignored and mail
/// goes to the outbox (`mail.outbox`, else a temporary folder removed after the run, returned
/// here), or is only logged in `mail.mode = "log"`. Outbox notices appear with `--verbose`.
fn configure_hosts(engine: &mut Engine, args: &TestArgs) -> Result<Option<TempDir>, String> {
    let start = args.paths.first().map_or(Path::new("."), PathBuf::as_path);
    let (settings, root) = hosts::settings_at(start)?;
    hosts::zoho_settings(&settings, &args.zoho, engine.zoho_settings_mut())?;
    let mut mail = hosts::mail_settings(&settings, root.as_deref(), &MailArgs::default())?;
    mail.mode = Some(match mail.mode {
        Some(MailMode::Log) => MailMode::Log,
        _ => MailMode::Outbox,
    });
    let temporary = match mail.outbox {
        Some(_) => None,
        None => {
            let dir = tempfile::Builder::new()
                .prefix("dlg-test-outbox-")
                .tempdir()
                .map_err(|e| format!("cannot create a temporary outbox folder: {e}"))?;
            mail.outbox = Some(dir.path().to_path_buf());
            Some(dir)
        }
    };
    let host = MailHost::new(mail, Arc::new(ZohoHost::default()))
        .with_notices(|line| log::debug!("{}", super::engine::for_dlg(line)));
    install_host(engine, host);
    Ok(temporary)
}

/// The Creator app each test gets a fresh copy of: `--app-def`'s forms and functions, the
/// user, owner and app name `dlg run` would use.
fn test_app(engine: &mut Engine, args: &TestArgs) -> Result<TestApp, String> {
    let app_args = AppArgs {
        app_def: args.app_def.clone(),
        ..AppArgs::default()
    };
    let (options, def) = run_app::prepare(engine, &app_args)?;
    let functions = args
        .app_def
        .as_deref()
        .and_then(|path| run_app::functions(def.clone(), path));
    Ok(TestApp {
        options,
        def,
        functions,
    })
}
