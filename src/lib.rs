//! deluge-lang: a runtime for the Deluge scripting language, embeddable like Rhai or mlua.
//!
//! An [`Engine`] holds the configuration (limits, time zone, where `info` goes, the [`Host`]
//! that provides Zoho constructs, the HTTP [`Transport`](http::Transport) and connection
//! store, functions registered by the host). It compiles Deluge source to a [`Script`] and
//! runs it; one engine can be shared by many threads.
//!
//! ```
//! use deluge_lang::{CaptureOutput, Engine, Scope, ValueType};
//!
//! let mut engine = Engine::new();
//! engine.register_fn("tax", |amount: f64| amount * 0.2);
//! engine.register_method(ValueType::Text, "shout", |s: String| s.to_uppercase());
//! let output = CaptureOutput::new();
//! engine.set_output(output.clone());
//! let mut scope = Scope::new();
//! scope.push("price", 50);
//! engine.run_with_scope(&mut scope, r#"info "tax".shout() + ": " + tax(price);"#).unwrap();
//! assert_eq!(output.text(), "TAX: 10\n");
//! ```
//!
//! What is public and why: `docs/api.md`. The internals (`api`, `connections`, `eval`,
//! `stdlib`, `syntax`, `testing`) are private; the `internals` feature makes them public,
//! hidden from the documentation, for the `dlg` binary, this crate's tests, benchmarks and
//! fuzz targets. They are not part of the stable API.

#![forbid(unsafe_code)]
#![warn(missing_docs)]
// Without `internals`, what only the `dlg` binary and the tests use looks unused here; the
// workspace build (features unified with `dlg`) is where unused code is reported.
#![cfg_attr(not(feature = "internals"), allow(dead_code, unused_imports))]

/// Declares modules that are private to the crate unless the `internals` feature is on.
macro_rules! internal_modules {
    ($($name:ident),* $(,)?) => {$(
        #[cfg(feature = "internals")]
        #[doc(hidden)]
        pub mod $name;
        #[cfg(not(feature = "internals"))]
        pub(crate) mod $name;
    )*};
}

internal_modules!(api, connections, eval, lint, stdlib, syntax, testing);

#[cfg(feature = "creator")]
pub mod creator;
pub mod egress;
pub mod fmt;
pub mod http;
#[cfg(feature = "mail")]
pub mod mail;
pub mod project;
pub mod zoho;

pub use api::convert::FromValue;
pub use api::engine::{with_large_stack, Engine};
pub use api::native::{FallibleNativeFunction, NativeFunction};
pub use api::progress::{Checkpoint, Control, Progress};
pub use api::run::FuncArgs;
#[cfg(feature = "tokio")]
pub use api::run_async::Ran;
pub use api::scope::Scope;
pub use connections::{FileStoreAuthorizer, Store};
pub use egress::EgressPolicy;
pub use eval::args::Args;
pub use eval::context::NativeCtx;
pub use eval::env::{Clock, FixedClock, RandomSource, RunEnv, SeededRandom, SystemClock};
pub use eval::error::{Error, ErrorPhase, Problem, TraceLine};
pub use eval::failure::{ErrorKind, Failure, LimitKind};
pub use eval::host::{FetchRequest, Host, NoHost};
pub use eval::ir::Script;
pub use eval::limits::Limits;
pub use eval::output::{CaptureOutput, Output, StdoutOutput};
pub use eval::setting_names::SettingNames;
pub use eval::value::{Value, ValueType};
