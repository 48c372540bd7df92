//! The embedding API beyond the engine's configuration: value conversions, registered
//! natives, scopes, the progress hook and the run methods. Everything public here is
//! re-exported at the crate root; `docs/api.md` says what is public and why.

pub mod convert;
mod egress;
pub mod engine;
pub mod native;
pub use crate::eval::progress;
pub mod run;
#[cfg(feature = "tokio")]
pub mod run_async;
pub mod scope;
