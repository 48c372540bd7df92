//! `dlg test`: unit tests for Deluge code (see docs/testing.md).
//!
//! - `discovery`: which files are test files and which code they test;
//! - `assertions` (with `diff`): the functions only test files can call;
//! - `forms`: each test's fresh Creator app and the built-ins that assert its form actions;
//! - `runner`: compiling, running every test on fresh state in parallel, collecting results;
//! - `cassette`, `scrub`, `record`, `replay`, `matching`: HTTP recorded once, replayed offline
//!   (`script`: the same for `dlg run --record/--replay`);
//! - `report`, `junit`, `coverage`: output for people, for CI, and line coverage.

pub mod assertions;
pub mod cassette;
pub mod coverage;
pub mod diff;
pub mod discovery;
#[cfg(feature = "creator")]
pub mod forms;
pub mod junit;
pub mod matching;
pub mod record;
pub mod replay;
pub mod report;
pub mod runner;
pub mod script;
pub mod scrub;
