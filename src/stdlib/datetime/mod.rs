//! DATE-TIME built-ins (language.md §2.6, §2.7, §6.3, §6.8).
//!
//! - [`parse`]: the date formats of §2.6 and ISO 8601 (literals, `toDate()` without pattern).
//! - [`pattern`]: Java `SimpleDateFormat` patterns, formatting and parsing.
//! - [`arith`]: calendar arithmetic and differences.
//! - [`methods`]: the `BUILTINS` table.
//!
//! Values are wall-clock times in the application time zone (`RunEnv::time_zone`).

pub mod arith;
pub mod methods;
pub mod parse;
pub mod pattern;
pub mod zone;

pub use methods::BUILTINS;

use crate::eval::value::DateTime;

/// The date of a single-quoted literal such as `'15-Aug-1947'` or `'15-Aug-1947 19:00:00'`:
/// `Some` only when the text is a date in one of the accepted formats (date-only when it has no
/// time part). An ISO 8601 offset, if any, is dropped: the wall time is kept as written.
pub fn parse_literal(text: &str) -> Option<DateTime> {
    check_literal(text).ok().flatten()
}

/// Like [`parse_literal`], but tells a text that is no date (`Ok(None)`) from one that looks
/// like a date with a part out of range (`Err` with a message such as
/// `'30-Feb-2019' is not a valid date: day 30 is out of range for February 2019 (1-28)`).
pub fn check_literal(text: &str) -> Result<Option<DateTime>, String> {
    match parse::parse_as_written(text, current_year()) {
        Ok(dt) => Ok(Some(dt)),
        Err(parse::DateError::NotADate) => Ok(None),
        Err(e) => Err(e.message(text)),
    }
}

/// Parses `text` in any format of language.md §2.6 or ISO 8601, with an optional time part
/// (`HH:mm:ss`, `HH:mm`, `hh:mm a`). An ISO offset is dropped (wall time kept as written);
/// built-ins convert offsets into the application zone instead.
pub fn parse_any(text: &str) -> Option<DateTime> {
    parse::parse_as_written(text, current_year()).ok()
}

/// The current year by the machine's clock, for the two-digit-year window.
fn current_year() -> i16 {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .year()
}
