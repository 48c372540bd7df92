//! Time zones and instants: zone names, epoch milliseconds, the current time.

use jiff::civil;
use jiff::tz::{Offset, TimeZone};

use crate::eval::context::NativeCtx;
pub use crate::eval::date_ops::from_epoch_ms;
use crate::eval::value::DateTime;

/// The zone named `name`: an IANA name (`Asia/Kolkata`, any case), `UTC`/`GMT`/`Z`, or a
/// fixed offset in Java's custom form `GMT+05:30`, `GMT-8`, `UTC+0530`, `+05:30`.
pub fn resolve(name: &str) -> Option<TimeZone> {
    let name = name.trim();
    if name.eq_ignore_ascii_case("utc") || name.eq_ignore_ascii_case("gmt") || name == "Z" {
        return Some(TimeZone::UTC);
    }
    if let Some(offset) = parse_custom_offset(name) {
        return Some(TimeZone::fixed(offset));
    }
    TimeZone::get(name).ok()
}

/// The zone named `name`, or GMT when the name is unknown (Zoho's documented fallback).
pub fn resolve_or_gmt(name: &str) -> TimeZone {
    resolve(name).unwrap_or(TimeZone::UTC)
}

/// Parses `GMT+05:30`, `UTC-8`, `+0530`, `-08:00` into an offset.
pub fn parse_custom_offset(text: &str) -> Option<Offset> {
    let upper = text.to_ascii_uppercase();
    let rest = upper
        .strip_prefix("GMT")
        .or_else(|| upper.strip_prefix("UTC"))
        .unwrap_or(&upper);
    let (sign, digits) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() > 2 => digits.split_at_checked(digits.len() - 2)?,
        None => (digits, "0"),
    };
    let all_digits =
        |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(hours) || !all_digits(minutes) {
        return None;
    }
    let hours: i32 = hours.parse().ok()?;
    let minutes: i32 = minutes.parse().ok()?;
    if hours > 23 || minutes > 59 {
        return None;
    }
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

/// `dt` (wall time in `tz`) as a zoned value; a time in a DST gap moves forward, an
/// ambiguous time takes the earlier offset.
pub fn zoned(dt: &DateTime, tz: &TimeZone) -> Result<jiff::Zoned, String> {
    dt.civil
        .to_zoned(tz.clone())
        .map_err(|e| format!("the date-time is out of range: {e}"))
}

/// Milliseconds since 1970-01-01T00:00:00Z of `dt` read as wall time in `tz`.
pub fn to_epoch_ms(dt: &DateTime, tz: &TimeZone) -> Result<i64, String> {
    Ok(zoned(dt, tz)?.timestamp().as_millisecond())
}

/// The current wall-clock time in the application zone, to the millisecond.
pub fn now(ctx: &NativeCtx<'_>) -> civil::DateTime {
    let ts = ctx.env.clock.now();
    let ms = ts.as_millisecond();
    let ts = jiff::Timestamp::from_millisecond(ms).unwrap_or(ts);
    ts.to_zoned(ctx.env.time_zone.clone()).datetime()
}

/// The current year in the application zone (for the two-digit-year window).
pub fn current_year(ctx: &NativeCtx<'_>) -> i16 {
    now(ctx).year()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_offset_ending_inside_a_multibyte_character_is_no_offset() {
        assert_eq!(parse_custom_offset("-a\u{FFFD}X"), None);
        assert_eq!(parse_custom_offset("+\u{e9}\u{e9}"), None);
        assert!(resolve("GMT-\u{FFFD}1").is_none());
    }

    #[test]
    fn zone_names() {
        assert!(resolve("Asia/Kolkata").is_some());
        assert!(resolve("asia/kolkata").is_some());
        assert_eq!(resolve("GMT"), Some(TimeZone::UTC));
        assert_eq!(
            parse_custom_offset("GMT+05:30"),
            Offset::from_seconds(19_800).ok()
        );
        assert_eq!(
            parse_custom_offset("GMT-8"),
            Offset::from_seconds(-28_800).ok()
        );
        assert_eq!(
            parse_custom_offset("+0530"),
            Offset::from_seconds(19_800).ok()
        );
        assert_eq!(parse_custom_offset("GMT+25"), None);
        assert!(resolve("Mars/Olympus").is_none());
        assert_eq!(resolve_or_gmt("Mars/Olympus"), TimeZone::UTC);
    }

    #[test]
    fn epoch_in_los_angeles() {
        let la = TimeZone::get("America/Los_Angeles").unwrap();
        let dt = crate::stdlib::datetime::parse_literal("31-Dec-1969 16:00:01").unwrap();
        assert_eq!(to_epoch_ms(&dt, &la), Ok(1000));
        let dt = crate::stdlib::datetime::parse_literal("31-Dec-1969 15:59:59").unwrap();
        assert_eq!(to_epoch_ms(&dt, &la), Ok(-1000));
        let back = from_epoch_ms(0, &la).unwrap();
        assert_eq!(
            crate::eval::render::format_datetime(&back),
            "31-Dec-1969 16:00:00"
        );
    }
}
