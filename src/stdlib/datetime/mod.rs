//! DATE-TIME built-ins (language.md §2.6, §2.7, §6.3, §6.8).
//!
//! - `eval::date_parse`: the date formats of §2.6 and ISO 8601 (literals, `toDate()` without
//!   pattern), in `eval` because the compiler reads date literals with it.
//! - [`pattern`]: Java `SimpleDateFormat` patterns, formatting and parsing.
//! - [`arith`]: calendar arithmetic and differences.
//! - [`methods`]: the `BUILTINS` table.
//!
//! Values are wall-clock times in the application time zone (`RunEnv::time_zone`).

pub mod arith;
pub mod methods;
pub mod pattern;
pub mod zone;

pub use methods::BUILTINS;

pub use crate::eval::date_parse::{check_literal, parse_any, parse_literal};
