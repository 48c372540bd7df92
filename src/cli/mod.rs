//! The `dlg` command line.

mod conn_output;
pub mod connection;
pub mod secret_input;
pub mod service;
