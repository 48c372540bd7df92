//! Parsing date-time text in the formats of language.md §2.6, plus ISO 8601.
//!
//! The date part is read as three components (day, month, year) separated by `-`, `/`, `.`,
//! `,` or spaces, with an optional leading weekday name (`Fri,August 15,1947`). Month names
//! (`Aug`, `August`, any case) make the order clear; all-numeric dates are resolved by the
//! rule in docs/decisions-local.md ("Dates"):
//! - a 3- or 4-digit first number is the year: `yyyy-MM-dd`, `yyyy/MM/dd`, `yyyy.MM.dd`;
//! - otherwise `-` and `/` prefer month first (`MM-dd-yy`, `MM/dd/yyyy`, as Zoho's
//!   `"05-20-13".toDate()` example shows), `.` and spaces prefer day first (`dd.MM.yyyy`,
//!   `dd MM yyyy`); when the preferred reading is not a valid date the other one is used, and
//!   for all-two-digit dates `yy-MM-dd` is tried last.
//!
//! A time part may follow after a space: `HH:mm`, `HH:mm:ss`, `HH:mm:ss.SSS`, each optionally
//! followed by `AM`/`PM` (`hh:mm a`). Two-digit years use Java's window: within 80 years
//! before and 20 years after the current year.

use jiff::civil;

use crate::eval::value::DateTime;

/// Why a text is not a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// The text does not look like a date at all.
    NotADate,
    /// The text looks like a date but a part is out of range; the message says which.
    Invalid(String),
}

impl DateError {
    /// A message for a runtime error about `text`.
    pub fn message(&self, text: &str) -> String {
        match self {
            DateError::NotADate => format!(
                "'{text}' is not a date; write it like '15-Aug-1947' or '15-Aug-1947 19:00:00'"
            ),
            DateError::Invalid(why) => format!("'{text}' is not a valid date: {why}"),
        }
    }
}

/// A parsed date-time: wall-clock time as written, and the offset when the text gave one.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    /// The date-time as written.
    pub written: DateTime,
    /// The UTC offset written in the text (ISO 8601 `Z` or `+05:30`), if any.
    pub offset: Option<jiff::tz::Offset>,
}

impl Parsed {
    /// The wall-clock time in `zone`: a text with an offset names an instant, which is
    /// converted; a text without one is taken as wall-clock time in `zone` already.
    pub fn in_zone(self, zone: &jiff::tz::TimeZone) -> DateTime {
        match self.offset {
            None => self.written,
            Some(offset) => match offset.to_timestamp(self.written.civil) {
                Ok(ts) => DateTime {
                    civil: ts.to_zoned(zone.clone()).datetime(),
                    date_only: false,
                },
                Err(_) => self.written,
            },
        }
    }
}

/// Parses `text` in any accepted format; an offset, if present, is dropped (wall time kept).
pub fn parse_as_written(text: &str, current_year: i16) -> Result<DateTime, DateError> {
    parse(text, current_year).map(|p| p.written)
}

/// Parses `text` in any accepted format (see the module docs).
pub fn parse(text: &str, current_year: i16) -> Result<Parsed, DateError> {
    let text = text.trim();
    match iso_separator(text) {
        Some(b'T') => return parse_iso(text),
        Some(_) => {
            if let Ok(parsed) = parse_iso(text) {
                return Ok(parsed);
            }
        }
        None => {}
    }
    let (date_part, time_part) = split_time(text);
    let date = parse_date_part(&date_part, current_year)?;
    let written = match time_part {
        None => DateTime {
            civil: date.to_datetime(civil::Time::midnight()),
            date_only: true,
        },
        Some(time) => DateTime {
            civil: date.to_datetime(parse_time(&time)?),
            date_only: false,
        },
    };
    Ok(Parsed {
        written,
        offset: None,
    })
}

/// The year a two-digit year `yy` stands for, with Java's window around `current_year`.
pub fn expand_two_digit_year(yy: i64, current_year: i16) -> i64 {
    let start = i64::from(current_year) - 80;
    let mut year = start - start.rem_euclid(100) + yy;
    if year < start {
        year += 100;
    }
    year
}

/// English month names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// English weekday names, Sunday first.
pub const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// The month (1-12) named by `word`: full name or its first three letters, any case
/// (`Sept` is accepted too).
pub fn month_from_name(word: &str) -> Option<i8> {
    let lower = word.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| {
            let m = m.to_ascii_lowercase();
            lower == m || lower == m[..3] || (lower == "sept" && m == "september")
        })
        .map(|i| i as i8 + 1)
}

/// The weekday (0 = Sunday) named by `word`: full name or its first three letters, any case.
pub fn weekday_from_name(word: &str) -> Option<usize> {
    let lower = word.to_ascii_lowercase();
    WEEKDAYS.iter().position(|d| {
        let d = d.to_ascii_lowercase();
        lower == d || lower == d[..3]
    })
}

/// Checks a year, month and day and builds the date, with a message naming the bad part.
pub fn checked_date(year: i64, month: i64, day: i64) -> Result<civil::Date, DateError> {
    if !(1..=9999).contains(&year) {
        return Err(DateError::Invalid(format!(
            "year {year} is out of range (1-9999)"
        )));
    }
    if !(1..=12).contains(&month) {
        return Err(DateError::Invalid(format!(
            "month {month} is out of range (1-12)"
        )));
    }
    let first = civil::Date::new(year as i16, month as i8, 1)
        .map_err(|e| DateError::Invalid(e.to_string()))?;
    let last = i64::from(first.days_in_month());
    if !(1..=last).contains(&day) {
        return Err(DateError::Invalid(format!(
            "day {day} is out of range for {} {year} (1-{last})",
            MONTHS[(month - 1) as usize]
        )));
    }
    civil::Date::new(year as i16, month as i8, day as i8)
        .map_err(|e| DateError::Invalid(e.to_string()))
}

/// `T` or space when `text` starts like ISO 8601 `yyyy-MM-ddThh:mm` / `yyyy-MM-dd hh:mm`.
fn iso_separator(text: &str) -> Option<u8> {
    let b = text.as_bytes();
    let starts = b.len() > 13
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && matches!(b[10], b'T' | b' ')
        && b[11].is_ascii_digit();
    starts.then(|| b[10])
}

fn parse_iso(text: &str) -> Result<Parsed, DateError> {
    let pieces =
        jiff::fmt::temporal::Pieces::parse(text).map_err(|e| DateError::Invalid(e.to_string()))?;
    let time = pieces.time().unwrap_or_else(civil::Time::midnight);
    let offset = pieces.to_numeric_offset();
    Ok(Parsed {
        written: DateTime {
            civil: pieces.date().to_datetime(time),
            date_only: false,
        },
        offset,
    })
}

/// Splits `text` at the first whitespace-separated word containing `:`.
fn split_time(text: &str) -> (String, Option<String>) {
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.iter().position(|w| w.contains(':')) {
        Some(i) => (words[..i].join(" "), Some(words[i..].join(" "))),
        None => (words.join(" "), None),
    }
}

#[derive(Debug)]
enum Part {
    Num { value: i64, digits: usize },
    Month(i8),
}

/// Reads `HH:mm[:ss[.SSS]] [AM|PM]`.
fn parse_time(text: &str) -> Result<civil::Time, DateError> {
    let lower = text.to_ascii_lowercase();
    let (clock, meridiem) = if let Some(rest) = lower.strip_suffix("am") {
        (rest.trim_end(), Some(false))
    } else if let Some(rest) = lower.strip_suffix("pm") {
        (rest.trim_end(), Some(true))
    } else {
        (lower.as_str(), None)
    };
    let (clock, millis) = match clock.split_once('.') {
        Some((c, frac)) => (c, Some(frac)),
        None => (clock, None),
    };
    let fields: Vec<&str> = clock.split(':').collect();
    if !(2..=3).contains(&fields.len()) {
        return Err(DateError::NotADate);
    }
    let mut numbers = [0i64; 3];
    for (slot, field) in numbers.iter_mut().zip(&fields) {
        if field.is_empty() || field.len() > 2 || !field.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DateError::Invalid(format!(
                "'{field}' in the time must be one or two digits"
            )));
        }
        *slot = field.parse().unwrap_or(0);
    }
    let [mut hour, minute, second] = numbers;
    if let Some(pm) = meridiem {
        if !(1..=12).contains(&hour) {
            return Err(DateError::Invalid(format!(
                "hour {hour} is out of range for AM/PM (1-12)"
            )));
        }
        hour = hour % 12 + if pm { 12 } else { 0 };
    }
    let nanos = match millis {
        Some(frac) => fraction_nanos(frac)?,
        None => 0,
    };
    check_range("hour", hour, 23)?;
    check_range("minute", minute, 59)?;
    check_range("second", second, 59)?;
    civil::Time::new(hour as i8, minute as i8, second as i8, nanos)
        .map_err(|e| DateError::Invalid(e.to_string()))
}

fn fraction_nanos(frac: &str) -> Result<i32, DateError> {
    if frac.is_empty() || frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateError::Invalid(format!(
            "'{frac}' is not a fraction of a second"
        )));
    }
    let padded = format!("{frac:0<9}");
    Ok(padded.parse().unwrap_or(0))
}

fn check_range(what: &str, value: i64, max: i64) -> Result<(), DateError> {
    if (0..=max).contains(&value) {
        Ok(())
    } else {
        Err(DateError::Invalid(format!(
            "{what} {value} is out of range (0-{max})"
        )))
    }
}

/// The separator reported when a date mixes `-`, `/` and `.`.
const MIXED: char = '?';

/// Splits the date part into components and the separator seen between them (space when
/// only spaces and commas, [`MIXED`] when `-`, `/` and `.` are mixed).
fn tokenize_date(text: &str) -> Result<(Vec<Part>, char), DateError> {
    let mut parts = Vec::new();
    let mut separator = ' ';
    let mut seen_weekday = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        if b.is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let digits = i - start;
            if digits > 9 {
                return Err(DateError::Invalid(format!(
                    "'{}' has too many digits",
                    &text[start..i]
                )));
            }
            let value = text[start..i].parse().map_err(|_| DateError::NotADate)?;
            parts.push(Part::Num { value, digits });
        } else if b.is_ascii_alphabetic() {
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            let word = &text[start..i];
            if let Some(month) = month_from_name(word) {
                parts.push(Part::Month(month));
            } else if parts.is_empty() && !seen_weekday && weekday_from_name(word).is_some() {
                seen_weekday = true;
            } else {
                return Err(DateError::NotADate);
            }
        } else if matches!(b, b'-' | b'/' | b'.' | b',' | b' ') {
            if b != b' ' && b != b',' && !parts.is_empty() {
                separator = match separator {
                    ' ' => b as char,
                    same if same == b as char => same,
                    _ => MIXED,
                };
            }
            i += 1;
        } else {
            return Err(DateError::NotADate);
        }
    }
    Ok((parts, separator))
}

fn parse_date_part(text: &str, current_year: i16) -> Result<civil::Date, DateError> {
    let (parts, separator) = tokenize_date(text)?;
    if parts.len() != 3 {
        return Err(DateError::NotADate);
    }
    let month_name = parts.iter().position(|p| matches!(p, Part::Month(_)));
    match month_name {
        Some(at) => named_month_date(&parts, at, current_year),
        None => numeric_date(&parts, separator, current_year),
    }
}

fn year_value(value: i64, digits: usize, current_year: i16) -> Result<i64, DateError> {
    if digits > 4 {
        return Err(DateError::Invalid(format!(
            "year {value} has more than four digits"
        )));
    }
    if digits == 1 || digits == 3 {
        return Err(DateError::NotADate);
    }
    Ok(if digits <= 2 {
        expand_two_digit_year(value, current_year)
    } else {
        value
    })
}

fn named_month_date(
    parts: &[Part],
    at: usize,
    current_year: i16,
) -> Result<civil::Date, DateError> {
    let Part::Month(month) = parts[at] else {
        return Err(DateError::NotADate);
    };
    let numbers: Vec<(i64, usize)> = parts
        .iter()
        .filter_map(|p| match p {
            Part::Num { value, digits } => Some((*value, *digits)),
            Part::Month(_) => None,
        })
        .collect();
    let [(a, a_digits), (b, b_digits)] = numbers[..] else {
        return Err(DateError::NotADate);
    };
    let ((day, day_digits), (year, year_digits)) = if a_digits >= 3 {
        ((b, b_digits), (a, a_digits))
    } else {
        ((a, a_digits), (b, b_digits))
    };
    if day_digits > 2 {
        return Err(DateError::Invalid(format!(
            "day {day} has more than two digits"
        )));
    }
    let year = year_value(year, year_digits, current_year)?;
    checked_date(year, i64::from(month), day)
}

fn numeric_date(
    parts: &[Part],
    separator: char,
    current_year: i16,
) -> Result<civil::Date, DateError> {
    let nums: Vec<(i64, usize)> = parts
        .iter()
        .filter_map(|p| match p {
            Part::Num { value, digits } => Some((*value, *digits)),
            Part::Month(_) => None,
        })
        .collect();
    let [(a, ad), (b, bd), (c, cd)] = nums[..] else {
        return Err(DateError::NotADate);
    };
    if bd > 2 || separator == MIXED {
        return Err(DateError::NotADate);
    }
    if ad >= 3 {
        let year = year_value(a, ad, current_year)?;
        return checked_date(year, b, c);
    }
    let day_first = matches!(separator, '.' | ' ');
    let mut candidates: Vec<(i64, i64, i64)> = Vec::with_capacity(3);
    let year_last = year_value(c, cd, current_year)?;
    if day_first {
        candidates.push((year_last, b, a));
        candidates.push((year_last, a, b));
    } else {
        candidates.push((year_last, a, b));
        candidates.push((year_last, b, a));
    }
    if cd <= 2 {
        candidates.push((expand_two_digit_year(a, current_year), b, c));
    }
    let first_error = checked_date(candidates[0].0, candidates[0].1, candidates[0].2);
    if first_error.is_ok() {
        return first_error;
    }
    candidates[1..]
        .iter()
        .find_map(|&(y, m, d)| checked_date(y, m, d).ok())
        .ok_or_else(|| first_error.unwrap_err())
}

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
    match parse_as_written(text, current_year()) {
        Ok(dt) => Ok(Some(dt)),
        Err(DateError::NotADate) => Ok(None),
        Err(e) => Err(e.message(text)),
    }
}

/// Parses `text` in any format of language.md §2.6 or ISO 8601, with an optional time part
/// (`HH:mm:ss`, `HH:mm`, `hh:mm a`). An ISO offset is dropped (wall time kept as written);
/// built-ins convert offsets into the application zone instead.
pub fn parse_any(text: &str) -> Option<DateTime> {
    parse_as_written(text, current_year()).ok()
}

/// The current year by the machine's clock, for the two-digit-year window.
fn current_year() -> i16 {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .year()
}

#[cfg(test)]
mod tests {
    use super::*;

    const YEAR: i16 = 2026;

    fn date(text: &str) -> String {
        match parse_as_written(text, YEAR) {
            Ok(dt) => crate::eval::render::format_datetime(&dt),
            Err(e) => format!("error: {}", e.message(text)),
        }
    }

    #[test]
    fn every_documented_format_reads_15_august_1947() {
        let samples = [
            "15-Aug-47",
            "15-Aug-1947",
            "15-August-47",
            "15-August-1947",
            "08-15-47",
            "47-08-15",
            "15-08-47",
            "15-08-1947",
            "08-15-1947",
            "1947-08-15",
            "47/08/15",
            "15/08/47",
            "08/15/47",
            "1947/08/15",
            "08/15/1947",
            "15/08/1947",
            "15 Aug,47",
            "Aug 15,47",
            "15 Aug,1947",
            "Aug 15,1947",
            "15 August,47",
            "August 15,47",
            "15 August,1947",
            "August 15,1947",
            "Fri,August 15,1947",
            "Fri,Aug 15,1947",
            "Aug 15 47",
            "15 Aug 47",
            "Aug 15 1947",
            "15 Aug 1947",
            "August 15 47",
            "15 August 47",
            "15 August 1947",
            "August 15 1947",
            "15.08.47",
            "08.15.47",
            "47.08.15",
            "15 08 1947",
            "15.08.1947",
            "08.15.1947",
            "1947.08.15",
        ];
        for sample in samples {
            assert_eq!(date(sample), "15-Aug-1947", "parsing {sample}");
        }
    }

    #[test]
    fn time_parts() {
        assert_eq!(date("15-Aug-1947 19:00:00"), "15-Aug-1947 19:00:00");
        assert_eq!(date("15-Aug-1947 19:00"), "15-Aug-1947 19:00:00");
        assert_eq!(date("15-Aug-1947 07:00 PM"), "15-Aug-1947 19:00:00");
        assert_eq!(date("15-Aug-1947 12:30 am"), "15-Aug-1947 00:30:00");
        assert_eq!(date("Aug 21, 2013 16:04:37"), "21-Aug-2013 16:04:37");
        assert_eq!(date("1-Jan-2019"), "01-Jan-2019");
    }

    #[test]
    fn iso_8601() {
        assert_eq!(date("2019-01-15T10:00:00+05:30"), "15-Jan-2019 10:00:00");
        let utc = jiff::tz::TimeZone::UTC;
        let parsed = parse("2019-01-15T10:00:00+05:30", YEAR)
            .unwrap()
            .in_zone(&utc);
        assert_eq!(
            crate::eval::render::format_datetime(&parsed),
            "15-Jan-2019 04:30:00"
        );
        assert_eq!(date("2019-01-15T10:00:00"), "15-Jan-2019 10:00:00");
        assert_eq!(date("2019-01-15T10:00:00.250Z"), "15-Jan-2019 10:00:00");
        assert_eq!(date("2019-01-15 10:00:00+05:30"), "15-Jan-2019 10:00:00");
        assert_eq!(date("2019-01-15 10:00 PM"), "15-Jan-2019 22:00:00");
        assert!(date("2019-01-15T25:00:00")
            .starts_with("error: '2019-01-15T25:00:00' is not a valid date"));
    }

    #[test]
    fn ambiguous_numeric_dates_follow_the_rule() {
        assert_eq!(date("05-20-13"), "20-May-2013");
        assert_eq!(date("03/04/2020"), "04-Mar-2020");
        assert_eq!(date("03.04.2020"), "03-Apr-2020");
        assert_eq!(date("25/12/2020"), "25-Dec-2020");
        assert_eq!(date("12.25.2020"), "25-Dec-2020");
    }

    #[test]
    fn two_digit_year_window() {
        assert_eq!(expand_two_digit_year(47, 2026), 1947);
        assert_eq!(expand_two_digit_year(45, 2026), 2045);
        assert_eq!(expand_two_digit_year(46, 2026), 1946);
        assert_eq!(expand_two_digit_year(13, 2019), 2013);
    }

    #[test]
    fn malformed_dates_say_why() {
        assert_eq!(
            date("30-Feb-2019"),
            "error: '30-Feb-2019' is not a valid date: day 30 is out of range for February 2019 (1-28)"
        );
        assert_eq!(
            date("2019-13-01"),
            "error: '2019-13-01' is not a valid date: month 13 is out of range (1-12)"
        );
        assert_eq!(
            date("01-Jan-20190"),
            "error: '01-Jan-20190' is not a valid date: year 20190 has more than four digits"
        );
        assert_eq!(
            date("01-Jan-2019 123:00:00"),
            "error: '01-Jan-2019 123:00:00' is not a valid date: '123' in the time must be one or two digits"
        );
        assert_eq!(
            date("01-Jan-2019 25:00:00"),
            "error: '01-Jan-2019 25:00:00' is not a valid date: hour 25 is out of range (0-23)"
        );
        assert!(date("hello").starts_with("error: 'hello' is not a date"));
        assert!(date("2019").starts_with("error:"));
        assert!(date("").starts_with("error:"));
        assert!(date("10:30").starts_with("error:"));
    }

    #[test]
    fn plain_text_in_single_quotes_is_not_a_date() {
        for text in [
            "1 2 3",
            "1.2.3",
            "v1.2.3",
            "15-08/1947",
            "yyyy-MM-dd",
            "closed",
            "May 2021",
            "Meeting 10:30",
            "123-45-6789",
        ] {
            assert_eq!(parse(text, YEAR).err(), Some(DateError::NotADate), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_text(text in "\\PC{0,40}") {
            let _ = parse(&text, YEAR);
        }

        #[test]
        fn never_panics_on_date_like_text(text in "[0-9A-Za-z:/. ,+T-]{0,32}") {
            let _ = parse(&text, YEAR);
        }
    }
}
