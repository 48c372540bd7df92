//! `dlg run FILE [--arg NAME=VALUE]... [--call FUNCTION] [--include PATH]...
//! [--time-zone TZ] [--max-statements N] [--timeout SECONDS] [--max-http-calls N]
//! [--max-http-bytes N] [--egress FILE] [--allow-host ENTRY]...
//! [--deny-private] [--zoho PRODUCT=LINK]...
//! [--zoho-param PRODUCT.NAME=VALUE]... [--app FILE.db] [--app-def APP.ds] [--input JSON|@FILE]`

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use super::{run_body, run_project};
use super::{stderr_color, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE};
use crate::repl::install_interrupt_handler;
use deluge_lang::api::engine::{find_function, with_large_stack, Engine};
use deluge_lang::connections::Store;
use deluge_lang::eval::error::{Error, ErrorPhase};
use deluge_lang::eval::ir::{Function, Script};
use deluge_lang::eval::render::display;
use deluge_lang::eval::value::Value;
use deluge_lang::project::Project;

/// Arguments of `dlg run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The script to run.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// A parameter of the function that runs (repeatable).
    #[arg(long = "arg", value_name = "NAME=VALUE")]
    pub args: Vec<String>,
    /// Run this function instead of the top-level statements.
    #[arg(long, value_name = "FUNCTION")]
    pub call: Option<String>,
    /// A file, or a folder of source files (recursively: *.dg, *.deluge, *.ds and the dlg.toml
    /// [sources] include patterns), whose functions the script may call (repeatable). Inside a
    /// project (a dlg.toml here or above), the project's sources are searched without it.
    #[arg(long = "include", value_name = "PATH")]
    pub include: Vec<PathBuf>,
    /// The application time zone (IANA name, e.g. Asia/Kolkata); default: the machine's.
    #[arg(long, value_name = "TZ")]
    pub time_zone: Option<String>,
    /// Stop with an error after this many statements.
    #[arg(long, value_name = "N")]
    pub max_statements: Option<u64>,
    /// Stop with an error after this many seconds.
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Quotas and egress: --max-http-calls, --max-http-bytes, --egress,
    /// --allow-host, --deny-private.
    #[command(flatten)]
    pub quotas: super::run_limits::RunLimitArgs,
    /// Zoho task settings.
    #[command(flatten)]
    pub zoho: super::zoho_flags::ZohoArgs,
    /// Mail and system values: --smtp, --smtp-connection, --outbox, --system, --mail.
    #[command(flatten)]
    pub mail: super::mail_options::MailArgs,
    /// Record every HTTP exchange (secrets scrubbed) into this cassette file.
    #[arg(long, value_name = "FILE", conflicts_with = "replay")]
    pub record: Option<PathBuf>,
    /// Answer HTTP requests from this cassette file instead of the network.
    #[arg(long, value_name = "FILE")]
    pub replay: Option<PathBuf>,
    /// The Creator app: `--app`, `--app-def`, `--input`.
    #[command(flatten)]
    pub app: super::run_app::AppArgs,
}

/// A usage problem: message for standard error, exit code 2.
struct Usage(String);

/// Runs the command; returns the exit code.
pub fn run(args: RunArgs) -> i32 {
    let project = match run_project::discover(&args.file) {
        Ok(project) => project,
        Err(message) => return usage(&message),
    };
    let mut files = match read_files(&args, project.as_ref()) {
        Ok(files) => files,
        Err(Usage(message)) => return usage(&message),
    };
    let store = super::engine::default_store();
    let mut engine = super::engine::new_engine(store.as_ref());
    if let Err(Usage(message)) = configure(&mut engine, store.as_ref(), &args, project.as_ref()) {
        return usage(&message);
    }
    if let Some(cassette) = &args.replay {
        if let Err(message) = replay_from(&mut engine, cassette) {
            return usage(&message);
        }
    }
    let recorder = args
        .record
        .as_ref()
        .map(|_| deluge_lang::testing::script::record_into(&mut engine));
    let host = match super::run_app::install(&mut engine, &args.app) {
        Ok((host, functions)) => {
            files.extend(functions);
            host
        }
        Err(message) => return usage(&message),
    };
    let interrupt = Arc::new(AtomicBool::new(false));
    if install_interrupt_handler(&interrupt).is_ok() {
        engine.set_interrupt(Arc::clone(&interrupt));
    }
    let code = with_large_stack(|| {
        let code = execute(engine, &args, &files, project.as_ref());
        super::run_app::finish(&host, code)
    });
    if let (Some(recorder), Some(path)) = (recorder, &args.record) {
        if let Err(message) = deluge_lang::testing::script::save_recording(&recorder, path) {
            eprintln!("error: {}", super::engine::for_dlg(&message));
            return EXIT_RUNTIME;
        }
    }
    if interrupt.load(Ordering::SeqCst) {
        EXIT_INTERRUPTED
    } else {
        code
    }
}

/// The exit code after Ctrl-C stopped the run, as a shell reports a process ended by SIGINT.
const EXIT_INTERRUPTED: i32 = 130;

/// `--replay FILE`: the engine answers from the cassette, whose record command messages name.
fn replay_from(engine: &mut Engine, cassette: &Path) -> Result<(), String> {
    let shown = cassette.display().to_string();
    if !cassette.exists() {
        return Err(format!(
            "cassette {shown} does not exist: record it with `dlg run --record {shown} ...`"
        ));
    }
    let hint = format!("dlg run --record {shown}");
    deluge_lang::testing::script::replay_from(engine, cassette, &hint)
}

fn usage(message: &str) -> i32 {
    eprintln!("error: {}", super::engine::for_dlg(message));
    EXIT_USAGE
}

/// The script, the `--include`d files, then the project files defining functions it calls.
fn read_files(args: &RunArgs, project: Option<&Project>) -> Result<Vec<(String, String)>, Usage> {
    let mut files = vec![read_file(&args.file)?];
    let mut loaded = vec![args.file.clone()];
    for path in &args.include {
        let entries = if path.is_dir() {
            run_project::include_folder(path).map_err(Usage)?
        } else {
            vec![path.clone()]
        };
        for entry in entries {
            if entry != args.file {
                files.push(read_file(&entry)?);
                loaded.push(entry);
            }
        }
    }
    if let Some(project) = project {
        let needed = run_project::needed_sources(project, &args.file, &files, &loaded);
        files.extend(needed);
    }
    Ok(files)
}

fn read_file(path: &Path) -> Result<(String, String), Usage> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Usage(format!("cannot read {}: {e}", path.display())))?;
    Ok((path.display().to_string(), text))
}

fn configure(
    engine: &mut Engine,
    store: Option<&Store>,
    args: &RunArgs,
    project: Option<&Project>,
) -> Result<(), Usage> {
    if let Some(tz) = &args.time_zone {
        engine.env_mut().time_zone = jiff::tz::TimeZone::get(tz).map_err(|_| {
            Usage(format!(
                "unknown time zone `{tz}` for --time-zone (use an IANA name such as UTC or Asia/Kolkata)"
            ))
        })?;
    }
    let limits = &mut engine.env_mut().limits;
    if let Some(n) = args.max_statements {
        limits.max_statements = Some(n);
    }
    if let Some(seconds) = args.timeout {
        let timeout = Duration::try_from_secs_f64(seconds).map_err(|_| {
            Usage(format!(
                "--timeout needs a positive number of seconds, not {seconds}"
            ))
        })?;
        limits.timeout = Some(timeout);
    }
    args.quotas.apply(engine).map_err(Usage)?;
    let (settings, root) = super::hosts::settings_of(project).map_err(Usage)?;
    let (zoho, mail) = (&args.zoho, &args.mail);
    super::hosts::configure(engine, store, &settings, root.as_deref(), zoho, mail).map_err(Usage)
}

fn execute(
    engine: Engine,
    args: &RunArgs,
    files: &[(String, String)],
    project: Option<&Project>,
) -> i32 {
    if args.call.is_none()
        && !args.args.is_empty()
        && run_body::has_top_level_statements(&files[0].1)
    {
        return run_bare_body(engine, args, files, project);
    }
    let main = (files[0].0.as_str(), files[0].1.as_str());
    let includes: Vec<(&str, &str)> = files[1..]
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let script = match engine.compile_files(main, &includes) {
        Ok(script) => script,
        Err(err) => return report(&run_project::explain_unresolved(err, project)),
    };
    let outcome = match choose_entry(&script, args) {
        Ok(None) => engine.run_script(&script).map(|_| ()),
        Ok(Some((function, values))) => engine
            .call_fn::<Value>(&script, &function.name, values)
            .map(|value| print_result(function, &value)),
        Err(Usage(message)) => return usage(&message),
    };
    match outcome {
        Ok(()) => EXIT_OK,
        Err(err) => report(&err),
    }
}

/// Top-level statements with `--arg` values as variables (a bare function body's parameters).
fn run_bare_body(
    engine: Engine,
    args: &RunArgs,
    files: &[(String, String)],
    project: Option<&Project>,
) -> i32 {
    let mut variables: Vec<(String, Value)> = Vec::new();
    for arg in &args.args {
        let Some((name, value)) = arg.split_once('=') else {
            return usage(&format!("--arg {arg}: expected NAME=VALUE"));
        };
        variables.retain(|(n, _)| n != name);
        variables.push((name.to_owned(), run_body::infer_value(value)));
    }
    match run_body::run_with_variables(&engine, files, variables) {
        Ok(()) => EXIT_OK,
        Err(err) => report(&run_project::explain_unresolved(err, project)),
    }
}

fn print_result(function: &Function, value: &Value) {
    if !function.is_void() {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", display(value));
    }
}

fn report(err: &Error) -> i32 {
    eprint!("{}", err.render(stderr_color()));
    match err.phase() {
        ErrorPhase::Runtime => EXIT_RUNTIME,
        _ => EXIT_USAGE,
    }
}

/// `None`: run the top-level statements; else the function to call and its arguments.
fn choose_entry<'s>(
    script: &'s Script,
    args: &RunArgs,
) -> Result<Option<(&'s Function, Vec<Value>)>, Usage> {
    let main_functions = script.functions.iter().filter(|f| f.source == 0);
    let function = match &args.call {
        Some(name) => find_function(script, name).ok_or_else(|| {
            Usage(format!(
                "--call {name}: no such function; the script defines: {}",
                function_names(script)
            ))
        })?,
        None if !script.main.body.is_empty() => return Ok(None),
        None => {
            let candidates: Vec<&Function> = main_functions.collect();
            match candidates.as_slice() {
                [] => return Ok(None),
                [only] => *only,
                _ => {
                    return Err(Usage(format!(
                        "the script has no top-level statements and several functions; pick one with --call (one of: {})",
                        function_names(script)
                    )))
                }
            }
        }
    };
    let values = bind_args(function, &args.args)?;
    Ok(Some((function, values)))
}

fn function_names(script: &Script) -> String {
    script
        .functions
        .iter()
        .map(|f| &*f.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Matches `--arg NAME=VALUE` to the function's parameters, converting by declared type.
fn bind_args(function: &Function, given: &[String]) -> Result<Vec<Value>, Usage> {
    let mut pairs = Vec::new();
    for arg in given {
        let (name, value) = arg
            .split_once('=')
            .ok_or_else(|| Usage(format!("--arg {arg}: expected NAME=VALUE")))?;
        if !function.params.iter().any(|(p, _)| &**p == name) {
            return Err(Usage(format!(
                "--arg {name}: `{}` has no parameter `{name}` (parameters: {})",
                function.name,
                param_list(function)
            )));
        }
        pairs.push((name, value));
    }
    function
        .params
        .iter()
        .map(|(name, ty)| {
            let value = pairs
                .iter()
                .rev()
                .find(|(n, _)| *n == &**name)
                .map(|(_, v)| *v)
                .ok_or_else(|| {
                    Usage(format!(
                        "`{}` needs --arg {name}=VALUE (parameters: {})",
                        function.name,
                        param_list(function)
                    ))
                })?;
            convert_arg(name, ty, value)
        })
        .collect()
}

fn param_list(function: &Function) -> String {
    function
        .params
        .iter()
        .map(|(n, t)| format!("{t} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn convert_arg(name: &str, ty: &str, text: &str) -> Result<Value, Usage> {
    let bad = |what: &str| {
        Usage(format!(
            "--arg {name}={text}: `{name}` is {ty}, and this is not {what}"
        ))
    };
    match ty {
        "int" | "integer" | "number" | "bigint" | "long" => text
            .trim()
            .parse::<i64>()
            .map(Value::Number)
            .map_err(|_| bad("a whole number")),
        "decimal" | "float" | "double" => text
            .trim()
            .parse::<rust_decimal::Decimal>()
            .map(Value::decimal)
            .map_err(|_| bad("a number")),
        "bool" | "boolean" => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(bad("true or false")),
        },
        "map" | "list" | "collection" => serde_json::from_str::<serde_json::Value>(text)
            .map(|json| Value::from_json(&json))
            .map_err(|_| bad("valid JSON")),
        "date" | "datetime" | "date-time" | "timestamp" => {
            deluge_lang::eval::datetime_literal(text)
                .map(Value::date_time)
                .ok_or_else(|| bad("a date such as 15-Aug-1947 or 15-Aug-1947 19:00:00"))
        }
        _ => Ok(Value::text(text)),
    }
}
