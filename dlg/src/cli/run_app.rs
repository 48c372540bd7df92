//! The Creator app of `dlg run`: `--app FILE.db` (in memory by default), `--app-def app.ds`
//! (forms, reports and functions from a Creator export) and `--input` (the current record).
//! After the run, the form actions are printed and the writes saved, or dropped when the run
//! failed or cancelled the submit.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use deluge_lang::api::engine::Engine;
use deluge_lang::creator::ds::{self, AppDef};
use deluge_lang::creator::{render_actions, CreatorHost, CreatorOptions, Outcome};
use deluge_lang::mail::DEFAULT_ADMIN_USER;

/// The Creator options of `dlg run`.
#[derive(Debug, Args, Default)]
pub struct AppArgs {
    /// The Creator app's database (SQLite, created on first use); default: in memory for the run.
    #[arg(long = "app", value_name = "FILE.db")]
    pub app: Option<PathBuf>,
    /// A Creator application export: its forms, fields and types, and its functions.
    #[arg(long = "app-def", value_name = "APP.ds")]
    pub app_def: Option<PathBuf>,
    /// The current record for `input.Field`: a JSON object, or @FILE holding one.
    #[arg(long = "input", value_name = "JSON|@FILE")]
    pub input: Option<String>,
}

/// The installed host and the `.ds` functions as a `(name, source)` file to compile.
pub type Installed = (Arc<CreatorHost>, Option<(String, String)>);

/// Installs the Creator host over the engine's host; returns it and the `.ds` functions'
/// source (an extra file to compile with the script).
pub fn install(engine: &mut Engine, args: &AppArgs) -> Result<Installed, String> {
    let (options, def) = prepare(engine, args)?;
    let host = CreatorHost::open(options, engine.host())?;
    if let Some(def) = &def {
        host.define_app(def)?;
    }
    let functions = args
        .app_def
        .as_deref()
        .and_then(|path| functions(def, path));
    let host = Arc::new(host);
    engine.set_host(Arc::clone(&host));
    Ok((host, functions))
}

/// Reads `--app-def` and `--input` and works out the app's options (user, owner, name, time
/// zone), setting `zoho.loginuser`, `zoho.adminuser` and `zoho.appname` on the engine when
/// unset. Shared by `dlg run` and `dlg test` (which opens a fresh app per test).
pub fn prepare(
    engine: &mut Engine,
    args: &AppArgs,
) -> Result<(CreatorOptions, Option<AppDef>), String> {
    let input = read_input(args.input.as_deref())?;
    let def = match &args.app_def {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            Some(ds::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?)
        }
        None => None,
    };
    let app_name = match (&def, &args.app) {
        (Some(def), _) => def.name.clone(),
        (None, Some(path)) => path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "app".to_owned()),
        (None, None) => "app".to_owned(),
    };
    let vars = &engine.env().system_vars;
    let user = |name: &str| {
        vars.get(name)
            .cloned()
            .unwrap_or_else(|| DEFAULT_ADMIN_USER.to_owned())
    };
    let options = CreatorOptions {
        database: args.app.clone(),
        input,
        login_user: user("loginuser"),
        owner: user("adminuser"),
        app_name,
        time_zone: engine.env().time_zone.clone(),
    };
    let mut vars = (*engine.env().system_vars).clone();
    for (key, value) in [
        ("loginuser", &options.login_user),
        ("adminuser", &options.owner),
        ("appname", &options.app_name),
    ] {
        vars.entry(key.to_owned()).or_insert_with(|| value.clone());
    }
    engine.env_mut().system_vars = Arc::new(vars);
    Ok((options, def))
}

/// The export's functions as a `(name, source)` file to compile, named after the export.
pub fn functions(def: Option<AppDef>, path: &std::path::Path) -> Option<(String, String)> {
    def?.functions
        .map(|source| (format!("{} (functions)", path.display()), source))
}

fn read_input(input: Option<&str>) -> Result<serde_json::Value, String> {
    let Some(input) = input else {
        return Ok(serde_json::json!({}));
    };
    let (text, origin) = match input.strip_prefix('@') {
        Some(path) => (
            std::fs::read_to_string(path)
                .map_err(|e| format!("--input @{path}: cannot read it: {e}"))?,
            format!("--input @{path}"),
        ),
        None => (input.to_owned(), "--input".to_owned()),
    };
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(object @ serde_json::Value::Object(_)) => Ok(object),
        Ok(_) => Err(format!(
            "{origin}: the current record must be a JSON object such as {{\"Qty\": 2}}"
        )),
        Err(e) => Err(format!("{origin}: not valid JSON: {e}")),
    }
}

/// Prints the form actions, then saves or drops the run's writes; returns the exit code.
pub fn finish(host: &CreatorHost, code: i32) -> i32 {
    use std::io::Write;
    let actions = render_actions(&host.actions());
    if !actions.is_empty() {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(actions.as_bytes());
        let _ = out.flush();
    }
    match host.finish(code == super::EXIT_OK) {
        Ok(Outcome::Committed) => code,
        Ok(Outcome::RolledBack(reason)) => {
            if code == super::EXIT_OK {
                eprintln!(
                    "note: {reason}: the run's record changes were rolled back, as Creator does"
                );
            }
            code
        }
        Err(message) => {
            eprintln!("error: {}", super::engine::for_dlg(&message));
            super::EXIT_RUNTIME
        }
    }
}
