//! The Connections page (`dlg ui`, and `dlg serve` at `/connections`): pick a service or
//! create one, create and connect a connection (values, OAuth 2 consent, OAuth 1, device
//! flow), see every connection with its status and last use, edit, revoke and delete it.
//!
//! Server-rendered HTML (maud) on axum; no JavaScript. Every operation is a library call in
//! [`deluge_lang::connections`], the same the CLI makes. The embedder injects the [`Guard`] (who may
//! use the page, over which store); [`LocalSession`] is the guard of `dlg ui`: a one-time token
//! in the opened URL becomes an `HttpOnly`, `SameSite=Strict` session cookie, and the `Host`
//! header must be the address listened on. Forms carry CSRF tokens; responses carry a strict
//! Content-Security-Policy; no secret is ever rendered.

mod connect;
mod connections;
mod csrf;
mod edit;
mod fields;
mod guard;
pub mod headers;
mod layout;
mod oauth;
mod routes;
pub mod server;
mod services;
mod state;

pub use guard::{Admission, Guard, LocalSession, Refusal};
pub use routes::router;
pub use state::UiState;
