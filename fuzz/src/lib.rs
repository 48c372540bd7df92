//! The fuzz targets' bodies, one module per target: `fuzz_targets/NAME.rs` hands libFuzzer's
//! input to `NAME::check`. `dlg/tests/hardening.rs` compiles the same files (so the workspace's
//! CI keeps them building) and runs them over the inputs in `dlg/tests/regressions/`.

pub mod convert;
pub mod json;
pub mod parse;
pub mod run;
