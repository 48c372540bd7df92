//! Test servers shared by the integration tests. Each runs on 127.0.0.1 only, installed from
//! pinned packages into a cache under `target/test-servers/` on first use.

#![allow(dead_code)]

pub mod browser;
pub mod debian;
pub mod evil;
pub mod genhtml;
pub mod httpbin;
pub mod junitparser;
pub mod mail_run;
pub mod oauth1_peer;
pub mod oidc;
pub mod oidc_store;
pub mod peer;
pub mod postgres;
pub mod pyvenv;
pub mod root;
pub mod serve;
pub mod smtp;
pub mod tls;
pub mod zoho;

use std::io::Write;
use std::process::{Command, Output, Stdio};

pub use root::workspace_root;

/// The `dlg` binary under test. Cargo names it only for the `dlg` package's tests
/// (`dlg/tests/`); the library's tests do not run it.
pub fn dlg_bin() -> &'static str {
    match option_env!("CARGO_BIN_EXE_dlg") {
        Some(path) => path,
        None => panic!("only the dlg package's tests (dlg/tests/) run dlg"),
    }
}

/// Runs `command` with `input` written to its standard input (if it reads it) and returns what
/// it printed.
pub fn output_with_stdin(command: &mut Command, input: &[u8]) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that does not read its input may exit before it is written: not an error.
    if let Err(error) = child.stdin.take().unwrap().write_all(input) {
        assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
    }
    child.wait_with_output().unwrap()
}
