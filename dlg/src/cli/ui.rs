//! `dlg ui [--port N] [--no-browser]`: the Connections page in the browser.

use crate::ui::server::{run as serve, Options};
use clap::Args;
use deluge_lang::connections::Store;

/// `dlg ui`
#[derive(Debug, Args)]
pub struct UiArgs {
    /// Listen on this port of 127.0.0.1 (default: any free port).
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,
    /// Do not open a browser; print the address (it carries a one-time token) instead.
    #[arg(long)]
    pub no_browser: bool,
}

/// Runs `dlg ui` over the default store until Ctrl-C; returns the exit code.
pub fn run(args: UiArgs) -> i32 {
    let started = Store::open_default()
        .map_err(|error| error.to_string())
        .and_then(|store| {
            serve(
                store,
                Options {
                    port: args.port,
                    open_browser: !args.no_browser,
                },
            )
        });
    match started {
        Ok(()) => super::EXIT_OK,
        Err(message) => {
            eprintln!("error: {message}");
            super::EXIT_RUNTIME
        }
    }
}
