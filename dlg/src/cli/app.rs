//! `dlg app show FILE.db [FORM] [--json]` and `dlg app load FILE.db FORM data.json|data.csv`:
//! inspecting and seeding a local Creator app database.

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, Subcommand};

use super::{EXIT_OK, EXIT_RUNTIME, EXIT_USAGE};
use deluge_lang::creator::{load, CreatorHost, CreatorOptions};
use deluge_lang::eval::host::NoHost;

/// Arguments of `dlg app`.
#[derive(Debug, Args)]
pub struct AppArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: AppCommand,
}

/// The `dlg app` subcommands.
#[derive(Debug, Subcommand)]
pub enum AppCommand {
    /// Print the forms (with their fields), or one form's records.
    Show {
        /// The app database.
        #[arg(value_name = "FILE.db")]
        database: PathBuf,
        /// The form whose records to print.
        #[arg(value_name = "FORM")]
        form: Option<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Add the records of a JSON array or CSV file (header row) to a form.
    Load {
        /// The app database (created on first use).
        #[arg(value_name = "FILE.db")]
        database: PathBuf,
        /// The form to add the records to (created on first use).
        #[arg(value_name = "FORM")]
        form: String,
        /// The records: a .json array of objects or a .csv file.
        #[arg(value_name = "DATA")]
        data: PathBuf,
    },
}

/// Runs the command; returns the exit code.
pub fn run(args: AppArgs) -> i32 {
    match args.command {
        AppCommand::Show {
            database,
            form,
            json,
        } => {
            if !database.exists() {
                eprintln!(
                    "error: {} does not exist (create it with `dlg app load` or `dlg run --app`)",
                    database.display()
                );
                return EXIT_USAGE;
            }
            let host = match open(database) {
                Ok(host) => host,
                Err(code) => return code,
            };
            match load::show(&host, form.as_deref(), json) {
                Ok(text) => {
                    print!("{text}");
                    EXIT_OK
                }
                Err(message) => fail(&message),
            }
        }
        AppCommand::Load {
            database,
            form,
            data,
        } => {
            let host = match open(database) {
                Ok(host) => host,
                Err(code) => return code,
            };
            let loaded = load::load_file(&host, &form, &data);
            let saved = host.finish(loaded.is_ok());
            match (loaded, saved) {
                (Ok(n), Ok(_)) => {
                    println!("loaded {n} records into {form}");
                    EXIT_OK
                }
                (Err(message), _) | (Ok(_), Err(message)) => fail(&message),
            }
        }
    }
}

fn open(database: PathBuf) -> Result<CreatorHost, i32> {
    let options = CreatorOptions {
        database: Some(database),
        ..CreatorOptions::default()
    };
    CreatorHost::open(options, Arc::new(NoHost)).map_err(|message| fail(&message))
}

fn fail(message: &str) -> i32 {
    eprintln!("error: {}", super::engine::for_dlg(message));
    EXIT_RUNTIME
}
