//! `dlg serve`: every function of a set of Deluge files callable over HTTP, shaped like Zoho's
//! function REST API (`/functions/<name>/execute`), with API keys, per-request limits, a bounded
//! queue, reload on change, `/healthz`, Prometheus `/metrics` and an access log.
//!
//! [`router`] builds the axum router from small handlers so that another front end can nest
//! its own routes beside it; [`run`] starts the server (tokio runtime, listener, signals).

pub mod access_log;
pub mod admin;
pub mod args;
pub mod auth;
pub mod catalog;
pub mod config;
pub mod engine;
pub mod execute;
pub mod handlers;
pub mod keys;
pub mod metrics;
pub mod pool;
pub mod reload;
pub mod response;
pub mod server;
pub mod state;

pub use config::Config;
pub use server::run;
pub use state::State;

use std::sync::Arc;

use axum::routing::get;
use axum::Router;

/// The HTTP routes of `dlg serve` over `state`: `/functions/{name}/execute` and Zoho's
/// `/functions/{name}/actions/execute` (GET and POST), `/healthz` and `/metrics`. Another router can be merged or nested beside it.
pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route(
            "/functions/{name}/execute",
            get(handlers::execute).post(handlers::execute),
        )
        .route(
            "/functions/{name}/actions/execute",
            get(handlers::execute).post(handlers::execute),
        )
        .route("/healthz", get(handlers::healthz))
        .route("/metrics", get(handlers::metrics))
        .fallback(handlers::not_found)
        .with_state(state)
}
