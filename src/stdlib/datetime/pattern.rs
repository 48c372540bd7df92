//! Java `SimpleDateFormat` patterns on top of jiff: formatting and parsing.
//!
//! Letters: `G` era, `y`/`Y` year (`yy` = two digits), `M`/`L` month (`M`, `MM`, `MMM` = `Aug`,
//! `MMMM` = `August`), `w` week of year, `W` week of month, `D` day of year, `d` day of month,
//! `F` day-of-week in month, `E` day name (`E`-`EEE` = `Fri`, `EEEE` = `Friday`), `u` day
//! number (1 = Monday), `a` AM/PM, `H` hour 0-23, `k` hour 1-24, `K` hour 0-11, `h` hour 1-12,
//! `m` minute, `s` second, `S` millisecond, `z` zone abbreviation, `Z` offset `+0530`,
//! `X` ISO offset (`+05`, `+0530`, `+05:30`, `Z` for UTC). Text in single quotes is literal,
//! `''` is a quote; other non-letters are literal. Any other unquoted letter makes the
//! pattern invalid. Names are English. Weeks follow the US convention (Sunday first, week 1
//! holds 1 January), as Java's default locale does.

use jiff::civil::{self, Date};
use jiff::tz::Offset;

use crate::eval::date_parse::{
    checked_date, expand_two_digit_year, month_from_name, weekday_from_name,
};
use crate::eval::date_parse::{MONTHS, WEEKDAYS};

/// One piece of a compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Item {
    /// A pattern letter repeated `count` times.
    Field(char, usize),
    /// Literal text.
    Literal(String),
}

/// A compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    items: Vec<Item>,
}

const LETTERS: &str = "GyYMLwWDdFEuaHkKhmsSzZX";

impl Pattern {
    /// Compiles `pattern`; fails on an unquoted letter that is not a pattern letter, or an
    /// unclosed quote.
    pub fn compile(pattern: &str) -> Result<Pattern, String> {
        let mut items: Vec<Item> = Vec::new();
        let chars: Vec<char> = pattern.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '\'' {
                let (text, next) = quoted(&chars, i)?;
                push_literal(&mut items, &text);
                i = next;
            } else if c.is_ascii_alphabetic() {
                if !LETTERS.contains(c) {
                    return Err(format!(
                        "'{c}' is not a date pattern letter; put literal text in single quotes"
                    ));
                }
                let start = i;
                while i < chars.len() && chars[i] == c {
                    i += 1;
                }
                items.push(Item::Field(c, i - start));
            } else {
                push_literal(&mut items, &c.to_string());
                i += 1;
            }
        }
        Ok(Pattern { items })
    }

    /// True when the pattern has an hour, minute, second or millisecond field.
    pub fn has_time(&self) -> bool {
        self.items.iter().any(|item| {
            matches!(
                item,
                Item::Field('H' | 'k' | 'K' | 'h' | 'm' | 's' | 'S' | 'a', _)
            )
        })
    }

    /// Formats `zoned` with this pattern.
    pub fn format(&self, zoned: &jiff::Zoned) -> String {
        let mut out = String::new();
        for item in &self.items {
            match item {
                Item::Literal(text) => out.push_str(text),
                Item::Field(letter, count) => format_field(&mut out, *letter, *count, zoned),
            }
        }
        out
    }

    /// Parses `text` with this pattern. Missing fields default to 1970-01-01 00:00:00; text
    /// after the pattern is ignored (as Java does).
    pub fn parse(&self, text: &str, current_year: i16) -> Result<ParsedFields, String> {
        let mut reader = Reader {
            text,
            pos: 0,
            fields: Fields::default(),
            current_year,
        };
        for (i, item) in self.items.iter().enumerate() {
            let next_is_number =
                matches!(self.items.get(i + 1), Some(Item::Field(c, n)) if is_numeric(*c, *n));
            match item {
                Item::Literal(lit) => reader.literal(lit)?,
                Item::Field(letter, count) => reader.field(*letter, *count, next_is_number)?,
            }
        }
        reader.fields.finish()
    }
}

/// The result of parsing with a pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedFields {
    /// The civil date-time read.
    pub civil: civil::DateTime,
    /// The offset, when the text had a zone field.
    pub offset: Option<Offset>,
}

fn quoted(chars: &[char], start: usize) -> Result<(String, usize), String> {
    if chars.get(start + 1) == Some(&'\'') {
        return Ok(("'".to_owned(), start + 2));
    }
    let mut text = String::new();
    let mut i = start + 1;
    loop {
        match chars.get(i) {
            None => return Err("the pattern has an unclosed single quote".to_owned()),
            Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                text.push('\'');
                i += 2;
            }
            Some('\'') => return Ok((text, i + 1)),
            Some(&c) => {
                text.push(c);
                i += 1;
            }
        }
    }
}

fn push_literal(items: &mut Vec<Item>, text: &str) {
    if let Some(Item::Literal(prev)) = items.last_mut() {
        prev.push_str(text);
    } else {
        items.push(Item::Literal(text.to_owned()));
    }
}

fn is_numeric(letter: char, count: usize) -> bool {
    match letter {
        'M' | 'L' => count <= 2,
        'G' | 'E' | 'a' | 'z' | 'Z' | 'X' => false,
        _ => true,
    }
}

fn pad(out: &mut String, value: i64, width: usize) {
    if value < 0 {
        out.push('-');
    }
    let digits = value.unsigned_abs().to_string();
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(&digits);
}

/// Week of the year, US rules: weeks start on Sunday, week 1 holds 1 January; the days of the
/// last week that holds the next 1 January are week 1.
pub fn week_of_year(date: Date) -> i64 {
    let next_jan1 = Date::new(date.year().saturating_add(1), 1, 1).ok();
    if let Some(next) = next_jan1 {
        let next_offset = i64::from(next.weekday().to_sunday_zero_offset());
        let days_left = i64::from(date.days_in_year()) - i64::from(date.day_of_year());
        if next_offset > 0 && days_left < next_offset {
            return 1;
        }
    }
    let jan1 = date.first_of_year();
    let offset = i64::from(jan1.weekday().to_sunday_zero_offset());
    (i64::from(date.day_of_year()) - 1 + offset) / 7 + 1
}

/// Week of the month, US rules (Sunday first, week 1 holds the 1st).
fn week_of_month(date: Date) -> i64 {
    let offset = i64::from(date.first_of_month().weekday().to_sunday_zero_offset());
    (i64::from(date.day()) - 1 + offset) / 7 + 1
}

fn week_year(date: Date) -> i64 {
    let year = i64::from(date.year());
    if date.month() == 12 && week_of_year(date) == 1 {
        year + 1
    } else {
        year
    }
}

fn format_year(out: &mut String, year: i64, count: usize) {
    if count == 2 {
        pad(out, year.rem_euclid(100), 2);
    } else {
        pad(out, year, count);
    }
}

fn format_field(out: &mut String, letter: char, count: usize, zoned: &jiff::Zoned) {
    let dt = zoned.datetime();
    let date = dt.date();
    let hour = i64::from(dt.hour());
    match letter {
        'G' => out.push_str(if date.year() > 0 { "AD" } else { "BC" }),
        'y' => format_year(out, i64::from(date.year()), count),
        'Y' => format_year(out, week_year(date), count),
        'M' | 'L' => format_month(out, date.month(), count),
        'w' => pad(out, week_of_year(date), count),
        'W' => pad(out, week_of_month(date), count),
        'D' => pad(out, i64::from(date.day_of_year()), count),
        'd' => pad(out, i64::from(date.day()), count),
        'F' => pad(out, (i64::from(date.day()) - 1) / 7 + 1, count),
        'E' => {
            let name = WEEKDAYS[date.weekday().to_sunday_zero_offset() as usize];
            out.push_str(if count >= 4 { name } else { &name[..3] });
        }
        'u' => pad(out, i64::from(date.weekday().to_monday_one_offset()), count),
        'a' => out.push_str(if hour < 12 { "AM" } else { "PM" }),
        'H' => pad(out, hour, count),
        'k' => pad(out, if hour == 0 { 24 } else { hour }, count),
        'K' => pad(out, hour % 12, count),
        'h' => pad(out, if hour % 12 == 0 { 12 } else { hour % 12 }, count),
        'm' => pad(out, i64::from(dt.minute()), count),
        's' => pad(out, i64::from(dt.second()), count),
        'S' => pad(out, i64::from(dt.millisecond()), count),
        'z' => format_zone_name(out, zoned),
        'Z' => format_offset(out, zoned.offset(), false, false),
        'X' => {
            if zoned.offset() == Offset::UTC {
                out.push('Z');
            } else {
                format_offset(out, zoned.offset(), count >= 3, count == 1);
            }
        }
        _ => {}
    }
}

fn format_month(out: &mut String, month: i8, count: usize) {
    let name = MONTHS[(month - 1) as usize];
    match count {
        1 | 2 => pad(out, i64::from(month), count),
        3 => out.push_str(&name[..3]),
        _ => out.push_str(name),
    }
}

fn format_zone_name(out: &mut String, zoned: &jiff::Zoned) {
    let info = zoned.time_zone().to_offset_info(zoned.timestamp());
    let abbreviation = info.abbreviation();
    if abbreviation.starts_with(['+', '-']) || abbreviation.is_empty() {
        out.push_str("GMT");
        format_offset(out, zoned.offset(), true, false);
    } else {
        out.push_str(abbreviation);
    }
}

fn format_offset(out: &mut String, offset: Offset, colon: bool, hours_only: bool) {
    let seconds = offset.seconds();
    out.push(if seconds < 0 { '-' } else { '+' });
    let minutes = i64::from(seconds.unsigned_abs() / 60);
    pad(out, minutes / 60, 2);
    if hours_only && minutes % 60 == 0 {
        return;
    }
    if colon {
        out.push(':');
    }
    pad(out, minutes % 60, 2);
}

#[derive(Default)]
struct Fields {
    year: Option<i64>,
    month: Option<i64>,
    day: Option<i64>,
    day_of_year: Option<i64>,
    hour: Option<i64>,
    hour12: Option<i64>,
    pm: Option<bool>,
    minute: Option<i64>,
    second: Option<i64>,
    millis: Option<i64>,
    offset: Option<Offset>,
}

impl Fields {
    fn finish(self) -> Result<ParsedFields, String> {
        let year = self.year.unwrap_or(1970);
        let date =
            match (self.day_of_year, self.month, self.day) {
                (Some(doy), None, None) => {
                    let jan1 = checked_date(year, 1, 1).map_err(|e| e.message(""))?;
                    jan1.with()
                        .day_of_year(i16::try_from(doy).unwrap_or(0))
                        .build()
                        .map_err(|_| format!("day of year {doy} is out of range for {year}"))?
                }
                _ => checked_date(year, self.month.unwrap_or(1), self.day.unwrap_or(1)).map_err(
                    |e| match e {
                        crate::eval::date_parse::DateError::Invalid(why) => why,
                        crate::eval::date_parse::DateError::NotADate => "not a date".to_owned(),
                    },
                )?,
            };
        let hour = match (self.hour12, self.pm) {
            (Some(h), pm) => {
                if !(0..=12).contains(&h) {
                    return Err(format!("hour {h} is out of range for AM/PM (1-12)"));
                }
                h % 12 + if pm == Some(true) { 12 } else { 0 }
            }
            (None, Some(true)) => self.hour.unwrap_or(0).max(12),
            (None, _) => self.hour.unwrap_or(0),
        };
        let check = |what: &str, v: i64, max: i64| {
            if (0..=max).contains(&v) {
                Ok(v)
            } else {
                Err(format!("{what} {v} is out of range (0-{max})"))
            }
        };
        let hour = check("hour", hour, 23)?;
        let minute = check("minute", self.minute.unwrap_or(0), 59)?;
        let second = check("second", self.second.unwrap_or(0), 59)?;
        let millis = check("millisecond", self.millis.unwrap_or(0), 999)?;
        let time = civil::Time::new(
            hour as i8,
            minute as i8,
            second as i8,
            (millis * 1_000_000) as i32,
        )
        .map_err(|e| e.to_string())?;
        Ok(ParsedFields {
            civil: date.to_datetime(time),
            offset: self.offset,
        })
    }
}

struct Reader<'t> {
    text: &'t str,
    pos: usize,
    fields: Fields,
    current_year: i16,
}

impl Reader<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn expected(&self, what: &str) -> String {
        let rest = self.rest();
        if rest.is_empty() {
            format!("expected {what} but the text ended")
        } else {
            format!("expected {what} at '{rest}'")
        }
    }

    fn literal(&mut self, lit: &str) -> Result<(), String> {
        if lit.trim().is_empty() {
            let trimmed = self.rest().trim_start();
            if trimmed.len() == self.rest().len() && !self.rest().is_empty() {
                return Err(self.expected(&format!("'{lit}'")));
            }
            self.pos = self.text.len() - trimmed.len();
            return Ok(());
        }
        if self.rest().starts_with(lit) {
            self.pos += lit.len();
            Ok(())
        } else {
            Err(self.expected(&format!("'{lit}'")))
        }
    }

    fn number(&mut self, exact: Option<usize>, what: &str) -> Result<(i64, usize), String> {
        let rest = self.rest().as_bytes();
        let mut len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if let Some(width) = exact {
            len = len.min(width);
        }
        if len == 0 {
            return Err(self.expected(what));
        }
        let digits = &self.rest()[..len.min(18)];
        let value = digits.parse().map_err(|_| self.expected(what))?;
        self.pos += len;
        Ok((value, len))
    }

    fn name(&mut self, names: &[&str], what: &str) -> Result<usize, String> {
        let rest = self.rest();
        let word_len = rest.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
        let word = &rest[..word_len];
        let found = if names.len() == 12 {
            month_from_name(word).map(|m| (m - 1) as usize)
        } else {
            weekday_from_name(word)
        };
        match found {
            Some(index) => {
                self.pos += word_len;
                Ok(index)
            }
            None => Err(self.expected(what)),
        }
    }

    fn field(&mut self, letter: char, count: usize, next_is_number: bool) -> Result<(), String> {
        let exact = next_is_number.then_some(count.max(1));
        match letter {
            'y' | 'Y' => {
                let (value, digits) = self.number(exact, "a year")?;
                let year = if count <= 2 && digits <= 2 {
                    expand_two_digit_year(value, self.current_year)
                } else {
                    value
                };
                self.fields.year = Some(year);
            }
            'M' | 'L' if count >= 3 => {
                let index = self.name(&MONTHS, "a month name")?;
                self.fields.month = Some(index as i64 + 1);
            }
            'M' | 'L' => self.fields.month = Some(self.number(exact, "a month")?.0),
            'd' => self.fields.day = Some(self.number(exact, "a day")?.0),
            'D' => self.fields.day_of_year = Some(self.number(exact, "a day of the year")?.0),
            'E' => {
                self.name(&WEEKDAYS, "a day name")?;
            }
            'a' => self.meridiem()?,
            'H' => self.fields.hour = Some(self.number(exact, "an hour")?.0),
            'k' => self.fields.hour = Some(self.number(exact, "an hour")?.0 % 24),
            'K' | 'h' => self.fields.hour12 = Some(self.number(exact, "an hour")?.0),
            'm' => self.fields.minute = Some(self.number(exact, "minutes")?.0),
            's' => self.fields.second = Some(self.number(exact, "seconds")?.0),
            'S' => self.fields.millis = Some(self.number(exact, "milliseconds")?.0),
            'z' | 'Z' | 'X' => self.zone()?,
            'G' => {
                let rest = self.rest();
                if rest.starts_with("AD") || rest.starts_with("BC") {
                    self.pos += 2;
                }
            }
            _ => {
                self.number(exact, "a number")?;
            }
        }
        Ok(())
    }

    fn meridiem(&mut self) -> Result<(), String> {
        let rest = self.rest();
        let head = rest.get(..2).map(str::to_ascii_uppercase);
        match head.as_deref() {
            Some("AM") => self.fields.pm = Some(false),
            Some("PM") => self.fields.pm = Some(true),
            _ => return Err(self.expected("AM or PM")),
        }
        self.pos += 2;
        Ok(())
    }

    fn zone(&mut self) -> Result<(), String> {
        let rest = self.rest();
        if let Some(stripped) = rest.strip_prefix('Z') {
            if !stripped.starts_with(|c: char| c.is_ascii_alphabetic()) {
                self.pos += 1;
                self.fields.offset = Some(Offset::UTC);
                return Ok(());
            }
        }
        let len = rest
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | ':' | '/' | '_')))
            .map_or(rest.len(), |(i, _)| i);
        let word = &rest[..len];
        let offset = super::zone::parse_custom_offset(word)
            .or_else(|| super::zone::resolve(word).and_then(|tz| tz.to_fixed_offset().ok()));
        match offset {
            Some(offset) => {
                self.fields.offset = Some(offset);
                self.pos += len;
                Ok(())
            }
            None => Err(self.expected("a time zone")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zoned(text: &str, zone: &str) -> jiff::Zoned {
        let civil: civil::DateTime = text.parse().unwrap();
        civil
            .to_zoned(jiff::tz::TimeZone::get(zone).unwrap())
            .unwrap()
    }

    fn fmt(pattern: &str, text: &str) -> String {
        Pattern::compile(pattern)
            .unwrap()
            .format(&zoned(text, "UTC"))
    }

    #[test]
    fn formats_every_letter() {
        let t = "1947-08-15T19:05:03.042";
        assert_eq!(fmt("dd-MMM-yyyy HH:mm:ss", t), "15-Aug-1947 19:05:03");
        assert_eq!(fmt("EEEE, MMMM d, yy", t), "Friday, August 15, 47");
        assert_eq!(fmt("E M/d/y", t), "Fri 8/15/1947");
        assert_eq!(fmt("hh:mm a", t), "07:05 PM");
        assert_eq!(fmt("K k h H", "2019-01-01T00:30:00"), "0 24 12 0");
        assert_eq!(fmt("SSS", t), "042");
        assert_eq!(fmt("D w W F u G", t), "227 33 3 3 5 AD");
        assert_eq!(fmt("yyyy-MM-dd'T'HH:mm:ssX", t), "1947-08-15T19:05:03Z");
        assert_eq!(fmt("'o''clock' ''", t), "o'clock '");
    }

    #[test]
    fn zone_letters() {
        let z = zoned("2019-01-15T10:00:00", "Asia/Kolkata");
        let p = |s: &str| Pattern::compile(s).unwrap().format(&z);
        assert_eq!(p("Z"), "+0530");
        assert_eq!(p("X"), "+0530");
        assert_eq!(p("XX"), "+0530");
        assert_eq!(p("XXX"), "+05:30");
        assert_eq!(p("z"), "IST");
        let la = zoned("2019-07-15T10:00:00", "America/Los_Angeles");
        assert_eq!(
            Pattern::compile("z Z X").unwrap().format(&la),
            "PDT -0700 -07"
        );
    }

    #[test]
    fn week_of_year_us_rules() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(week_of_year(d("2019-01-01")), 1);
        assert_eq!(week_of_year(d("2019-01-05")), 1);
        assert_eq!(week_of_year(d("2019-01-06")), 2);
        assert_eq!(week_of_year(d("2019-12-29")), 1);
        assert_eq!(week_of_year(d("2019-12-28")), 52);
        assert_eq!(week_of_year(d("2017-12-31")), 1);
        assert_eq!(week_of_year(d("2016-12-31")), 53);
    }

    #[test]
    fn invalid_patterns_are_rejected() {
        assert!(Pattern::compile("dd-MMM-yyyy at HH").is_err());
        assert!(Pattern::compile("dd 'unclosed").is_err());
        assert!(Pattern::compile("dd-MMM-yyyy 'at' HH").is_ok());
    }

    fn parse(pattern: &str, text: &str) -> Result<String, String> {
        let parsed = Pattern::compile(pattern)?.parse(text, 2026)?;
        Ok(parsed.civil.to_string())
    }

    #[test]
    fn parses_with_patterns() {
        assert_eq!(
            parse("dd-MMM-yyyy", "15-Aug-1947").unwrap(),
            "1947-08-15T00:00:00"
        );
        assert_eq!(
            parse("MM-dd-yy", "05-20-13").unwrap(),
            "2013-05-20T00:00:00"
        );
        assert_eq!(
            parse("yyyyMMddHHmmss", "20190115103000").unwrap(),
            "2019-01-15T10:30:00"
        );
        assert_eq!(
            parse("MMMM d, yyyy h:mm a", "august 5, 2019 7:30 PM").unwrap(),
            "2019-08-05T19:30:00"
        );
        assert_eq!(
            parse(
                "EEE, dd MMM yyyy HH:mm:ss Z",
                "Tue, 15 Jan 2019 10:00:00 +0530"
            )
            .unwrap(),
            "2019-01-15T10:00:00"
        );
        assert_eq!(
            parse("dd/MM/yyyy", "15/08/1947 ignored").unwrap(),
            "1947-08-15T00:00:00"
        );
    }

    #[test]
    fn parse_errors_say_what_was_expected() {
        assert_eq!(
            parse("dd-MMM-yyyy", "15-Foo-1947").unwrap_err(),
            "expected a month name at 'Foo-1947'"
        );
        assert_eq!(
            parse("dd-MM-yyyy", "31-02-2019").unwrap_err(),
            "day 31 is out of range for February 2019 (1-28)"
        );
        assert_eq!(
            parse("dd-MM-yyyy", "31-13-2019").unwrap_err(),
            "month 13 is out of range (1-12)"
        );
        assert_eq!(
            parse("dd-MM-yyyy", "31-12").unwrap_err(),
            "expected '-' but the text ended"
        );
    }

    #[test]
    fn format_parse_round_trip() {
        let patterns = [
            "dd-MMM-yyyy HH:mm:ss",
            "yyyy-MM-dd'T'HH:mm:ss.SSS",
            "EEEE, MMMM dd, yyyy hh:mm:ss a",
            "MM/dd/yy HH:mm",
            "yyyyMMdd HHmmss",
        ];
        let t = "2021-07-09T21:04:05.123";
        for pattern in patterns {
            let compiled = Pattern::compile(pattern).unwrap();
            let text = compiled.format(&zoned(t, "UTC"));
            let back = compiled.parse(&text, 2026).unwrap();
            let again = compiled.format(&back.civil.to_zoned(jiff::tz::TimeZone::UTC).unwrap());
            assert_eq!(text, again, "round trip of {pattern}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_pattern_or_text(
            pattern in "[GyYMLwWDdFEuaHkKhmsSzZX' :/.-]{0,16}",
            text in "[0-9A-Za-z:/. +-]{0,24}",
        ) {
            if let Ok(compiled) = Pattern::compile(&pattern) {
                let _ = compiled.parse(&text, 2026);
                let _ = compiled.format(&zoned("2021-07-09T21:04:05.123", "Asia/Kolkata"));
            }
        }
    }
}
