//! The DATE-TIME built-ins table (language.md §6.3, §6.8).
//!
//! Every method also has the function form with the receiver first (`addDay(d, 1)`). A TEXT
//! given where a date is expected (the second date of `daysBetween`, a holiday) is parsed in
//! the §2.6 formats. Arithmetic returns a DATE-TIME (decisions.md); `toDate()`, `today` and
//! `nextWeekDay`/`previousWeekDay` on a date keep a date.

use jiff::civil::{self, Weekday};
use jiff::Unit;

use super::arith::{self, Step};
use super::pattern::{week_of_year, Pattern};
use super::zone;
use crate::eval::context::NativeCtx;
use crate::eval::date_parse::{self as parse, weekday_from_name};
use crate::eval::render::format_datetime;
use crate::eval::value::{DateTime, Value, ValueType};
use crate::eval::args::Args;
use crate::stdlib::registry::{builtin, Builtin, NativeResult, Receiver};

const DT: Receiver = Receiver::Type(ValueType::DateTime);
const TEXT: Receiver = Receiver::Type(ValueType::Text);
const NUM: Receiver = Receiver::Type(ValueType::Number);

/// DATE-TIME methods and functions, and the date conversions of TEXT and NUMBER.
#[rustfmt::skip]
pub static BUILTINS: &[Builtin] = &[
    builtin!("toString", DT, "([pattern: TEXT[, timeZone: TEXT]])", "TEXT", (0, 2), to_string, "The date-time as text: `dd-MMM-yyyy HH:mm:ss`, or formatted with a Java pattern, optionally in another time zone; an invalid pattern gives null."),
    builtin!("toText", DT, "([pattern: TEXT[, timeZone: TEXT]])", "TEXT", (0, 2), to_string, "Same as toString."),
    builtin!("toDateTimeString", DT, "([pattern: TEXT[, timeZone: TEXT]])", "TEXT", (0, 2), to_date_time_string, "The date-time formatted with a Java pattern in a time zone (DST-aware)."),
    builtin!("toDateTimeString", NUM, "([pattern: TEXT[, timeZone: TEXT]])", "TEXT", (0, 2), to_date_time_string, "Epoch milliseconds formatted with a Java pattern in a time zone (DST-aware)."),
    builtin!("toDate", DT, "()", "DATE-TIME", (0, 2), to_date, "The date part (prints `dd-MMM-yyyy`)."),
    builtin!("toDate", TEXT, "([pattern: TEXT[, timeZone: TEXT]])", "DATE-TIME", (0, 2), to_date, "Parses the text as a date, in the accepted formats or with a Java pattern."),
    builtin!("toDate", NUM, "()", "DATE-TIME", (0, 2), to_date, "The date of an epoch-milliseconds instant in the application time zone."),
    builtin!("toTime", DT, "()", "DATE-TIME", (0, 2), to_time, "The same date-time (a date gets 00:00:00)."),
    builtin!("toTime", TEXT, "([pattern: TEXT[, timeZone: TEXT]])", "DATE-TIME", (0, 2), to_time, "Parses the text as a date-time, in the accepted formats or with a Java pattern; read in `timeZone` when given."),
    builtin!("toTime", NUM, "()", "DATE-TIME", (0, 2), to_time, "The date-time of an epoch-milliseconds instant in the application time zone."),
    builtin!("toDateTime", DT, "()", "DATE-TIME", (0, 2), to_time, "Same as toTime."),
    builtin!("toDateTime", TEXT, "([pattern: TEXT[, timeZone: TEXT]])", "DATE-TIME", (0, 2), to_time, "Same as toTime."),
    builtin!("toDateTime", NUM, "()", "DATE-TIME", (0, 2), to_time, "Same as toTime."),
    builtin!("isDate", TEXT, "()", "BOOLEAN", (0, 0), is_date, "True when the text is a date in one of the accepted formats."),
    builtin!("unixEpoch", TEXT, "([timeZone: TEXT])", "NUMBER", (0, 1), unix_epoch, "Epoch milliseconds of the date-time text read in `timeZone` (application zone by default, GMT when unknown); unrecognised text is returned as is."),
    builtin!("unixEpoch", DT, "([timeZone: TEXT])", "NUMBER", (0, 1), unix_epoch, "Epoch milliseconds of the wall time read in `timeZone` (application zone by default)."),
    builtin!("addDay", DT, "(days: NUMBER)", "DATE-TIME", (1, 1), add_day, "Adds days."),
    builtin!("subDay", DT, "(days: NUMBER)", "DATE-TIME", (1, 1), sub_day, "Subtracts days."),
    builtin!("addWeek", DT, "(weeks: NUMBER)", "DATE-TIME", (1, 1), add_week, "Adds weeks."),
    builtin!("subWeek", DT, "(weeks: NUMBER)", "DATE-TIME", (1, 1), sub_week, "Subtracts weeks."),
    builtin!("addMonth", DT, "(months: NUMBER)", "DATE-TIME", (1, 1), add_month, "Adds months, clamping the day to the month's end."),
    builtin!("subMonth", DT, "(months: NUMBER)", "DATE-TIME", (1, 1), sub_month, "Subtracts months, clamping the day to the month's end."),
    builtin!("addYear", DT, "(years: NUMBER)", "DATE-TIME", (1, 1), add_year, "Adds years (29 February becomes 28 February)."),
    builtin!("subYear", DT, "(years: NUMBER)", "DATE-TIME", (1, 1), sub_year, "Subtracts years (29 February becomes 28 February)."),
    builtin!("addHour", DT, "(hours: NUMBER)", "DATE-TIME", (1, 1), add_hour, "Adds hours."),
    builtin!("subHour", DT, "(hours: NUMBER)", "DATE-TIME", (1, 1), sub_hour, "Subtracts hours."),
    builtin!("addMinutes", DT, "(minutes: NUMBER)", "DATE-TIME", (1, 1), add_minutes, "Adds minutes."),
    builtin!("subMinutes", DT, "(minutes: NUMBER)", "DATE-TIME", (1, 1), sub_minutes, "Subtracts minutes."),
    builtin!("addSeconds", DT, "(seconds: NUMBER)", "DATE-TIME", (1, 1), add_seconds, "Adds seconds."),
    builtin!("subSeconds", DT, "(seconds: NUMBER)", "DATE-TIME", (1, 1), sub_seconds, "Subtracts seconds."),
    builtin!("edate", DT, "(months: NUMBER)", "DATE-TIME", (1, 1), add_month, "The date-time `months` months away (clamped to the month's end)."),
    builtin!("eomonth", DT, "(months: NUMBER)", "DATE-TIME", (1, 1), eomonth, "The last day of the month `months` months away, at 00:00:00."),
    builtin!("toStartOfMonth", DT, "()", "DATE-TIME", (0, 0), to_start_of_month, "The first day of the month, at 00:00:00."),
    builtin!("toStartOfWeek", DT, "()", "DATE-TIME", (0, 0), to_start_of_week, "The Sunday starting the week, at 00:00:00."),
    builtin!("addBusinessDay", DT, "(days: NUMBER[, weekends: LIST[, holidays: LIST]])", "DATE-TIME", (1, 3), add_business_day, "Adds business days, skipping weekends (Saturday and Sunday unless given) and holidays."),
    builtin!("subBusinessDay", DT, "(days: NUMBER[, weekends: LIST[, holidays: LIST]])", "DATE-TIME", (1, 3), sub_business_day, "Subtracts business days, skipping weekends and holidays."),
    builtin!("workday", DT, "(days: NUMBER[, weekends: LIST[, holidays: LIST]])", "DATE-TIME", (1, 3), add_business_day, "Same as addBusinessDay."),
    builtin!("nextWeekDay", DT, "(day: TEXT)", "DATE-TIME", (1, 1), next_week_day, "The next date after this one that falls on the named day (`\"Monday\"`)."),
    builtin!("previousWeekDay", DT, "(day: TEXT)", "DATE-TIME", (1, 1), previous_week_day, "The last date before this one that falls on the named day."),
    builtin!("getDay", DT, "()", "NUMBER", (0, 0), get_day, "Day of the month, 1-31."),
    builtin!("day", DT, "()", "NUMBER", (0, 0), get_day, "Same as getDay."),
    builtin!("getMonth", DT, "()", "NUMBER", (0, 0), get_month, "Month, 1-12."),
    builtin!("month", DT, "()", "NUMBER", (0, 0), get_month, "Same as getMonth."),
    builtin!("getYear", DT, "()", "NUMBER", (0, 0), get_year, "Year."),
    builtin!("year", DT, "()", "NUMBER", (0, 0), get_year, "Same as getYear."),
    builtin!("getHour", DT, "()", "NUMBER", (0, 0), get_hour, "Hour, 0-23."),
    builtin!("hour", DT, "()", "NUMBER", (0, 0), get_hour, "Same as getHour."),
    builtin!("getMinutes", DT, "()", "NUMBER", (0, 0), get_minutes, "Minutes, 0-59."),
    builtin!("minute", DT, "()", "NUMBER", (0, 0), get_minutes, "Same as getMinutes."),
    builtin!("getSeconds", DT, "()", "NUMBER", (0, 0), get_seconds, "Seconds, 0-59."),
    builtin!("second", DT, "()", "NUMBER", (0, 0), get_seconds, "Same as getSeconds."),
    builtin!("getDayOfWeek", DT, "()", "NUMBER", (0, 0), get_day_of_week, "Day of the week, 1 = Sunday ... 7 = Saturday."),
    builtin!("weekday", DT, "()", "NUMBER", (0, 0), get_day_of_week, "Same as getDayOfWeek."),
    builtin!("getDayOfYear", DT, "()", "NUMBER", (0, 0), get_day_of_year, "Day of the year, 1-366."),
    builtin!("getWeekOfYear", DT, "()", "NUMBER", (0, 0), get_week_of_year, "Week of the year, 1-53 (weeks start on Sunday; week 1 holds 1 January)."),
    builtin!("daysBetween", DT, "(end: DATE-TIME)", "NUMBER", (1, 1), days_between, "Calendar days from this date to `end` (times ignored); negative when `end` is earlier."),
    builtin!("days360", DT, "(end: DATE-TIME)", "NUMBER", (1, 1), days360, "Days to `end` on a 360-day year (US/NASD method)."),
    builtin!("monthsBetween", DT, "(end: DATE-TIME)", "NUMBER", (1, 1), months_between, "Whole 30-day months to `end` (days between / 30, as Zoho documents)."),
    builtin!("yearsBetween", DT, "(end: DATE-TIME)", "NUMBER", (1, 1), years_between, "Whole calendar years to `end`."),
    builtin!("hoursBetween", DT, "(end: DATE-TIME)", "NUMBER", (1, 1), hours_between, "Whole hours to `end`."),
    builtin!("totalMonths", DT, "(end: DATE-TIME)", "NUMBER", (1, 1), total_months, "Whole calendar months to `end` (times ignored)."),
    builtin!("totalMonth", DT, "(end: DATE-TIME)", "NUMBER", (1, 1), total_months, "Same as totalMonths."),
    builtin!("totalYears", DT, "(end: DATE-TIME)", "NUMBER", (1, 1), total_years, "Whole calendar years to `end` (times ignored)."),
    builtin!("totalYear", DT, "(end: DATE-TIME)", "NUMBER", (1, 1), total_years, "Same as totalYears."),
];

fn date_value(civil: civil::DateTime, date_only: bool) -> Value {
    Value::date_time(DateTime { civil, date_only })
}

fn midnight(date: civil::Date) -> civil::DateTime {
    date.to_datetime(civil::Time::midnight())
}

/// Parses date text in the accepted formats, in the application zone.
fn parse_text(
    ctx: &NativeCtx<'_>,
    text: &str,
    zone: &jiff::tz::TimeZone,
) -> Result<DateTime, String> {
    parse::parse(text, zone::current_year(ctx))
        .map(|p| p.in_zone(zone))
        .map_err(|e| e.message(text))
}

/// The date at `i`: a DATE-TIME, or TEXT in an accepted format.
fn date_at(ctx: &NativeCtx<'_>, a: &Args<'_>, i: usize) -> Result<DateTime, String> {
    match a.get(i) {
        Value::DateTime(d) => Ok(**d),
        Value::Text(t) => parse_text(ctx, t, &ctx.env.time_zone).map_err(|e| a.error(e)),
        _ => Err(a.mismatch()),
    }
}

/// The zone named at `i`, the application zone when absent; unknown names fall back to GMT.
fn zone_at(ctx: &NativeCtx<'_>, a: &Args<'_>, i: usize) -> Result<jiff::tz::TimeZone, String> {
    Ok(match a.opt_text(i)? {
        Some(name) => zone::resolve_or_gmt(name),
        None => ctx.env.time_zone.clone(),
    })
}

fn format_in(
    ctx: &NativeCtx<'_>,
    dt: &DateTime,
    pattern: &Pattern,
    tz: &jiff::tz::TimeZone,
) -> Result<String, String> {
    let zoned = zone::zoned(dt, &ctx.env.time_zone)?.with_time_zone(tz.clone());
    Ok(pattern.format(&zoned))
}

fn to_string(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let dt = date_at(ctx, &a, 0)?;
    let Some(pattern) = a.opt_text(1)? else {
        return Ok(Value::text(format_datetime(&dt)));
    };
    let Ok(pattern) = Pattern::compile(pattern) else {
        return Ok(Value::Null);
    };
    let tz = zone_at(ctx, &a, 2)?;
    Ok(format_in(ctx, &dt, &pattern, &tz)
        .map(Value::text)
        .map_err(|e| a.error(e))?)
}

fn to_date_time_string(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let dt = match a.get(0) {
        Value::Number(ms) => {
            zone::from_epoch_ms(*ms, &ctx.env.time_zone).map_err(|e| a.error(e))?
        }
        _ => date_at(ctx, &a, 0)?,
    };
    let pattern = Pattern::compile(a.opt_text(1)?.unwrap_or("dd-MMM-yyyy HH:mm:ss"))
        .map_err(|e| a.error(e))?;
    let tz = zone_at(ctx, &a, 2)?;
    Ok(format_in(ctx, &dt, &pattern, &tz)
        .map(Value::text)
        .map_err(|e| a.error(e))?)
}

/// Parses TEXT (accepted formats, or the pattern at 1), read in the zone at 2.
fn parse_with_args(ctx: &NativeCtx<'_>, a: &Args<'_>) -> Result<DateTime, String> {
    let text = a.text(0)?;
    let app = &ctx.env.time_zone;
    let source = zone_at(ctx, a, 2)?;
    let parsed = match a.opt_text(1)? {
        None => {
            parse::parse(text, zone::current_year(ctx)).map_err(|e| a.error(e.message(text)))?
        }
        Some(pattern) => {
            let pattern = Pattern::compile(pattern).map_err(|e| a.error(e))?;
            let fields = pattern
                .parse(text, zone::current_year(ctx))
                .map_err(|e| a.error(format!("'{text}' does not match the pattern: {e}")))?;
            parse::Parsed {
                written: DateTime {
                    civil: fields.civil,
                    date_only: !pattern.has_time(),
                },
                offset: fields.offset,
            }
        }
    };
    if parsed.offset.is_some() || source == *app {
        return Ok(parsed.in_zone(app));
    }
    let zoned = zone::zoned(&parsed.written, &source).map_err(|e| a.error(e))?;
    Ok(DateTime {
        civil: zoned.with_time_zone(app.clone()).datetime(),
        date_only: false,
    })
}

/// The receiver as a date-time: DATE-TIME as is, NUMBER as epoch ms, TEXT parsed.
fn convert(ctx: &NativeCtx<'_>, a: &Args<'_>) -> Result<DateTime, String> {
    match a.get(0) {
        Value::DateTime(d) => Ok(**d),
        Value::Number(ms) => zone::from_epoch_ms(*ms, &ctx.env.time_zone).map_err(|e| a.error(e)),
        Value::Text(_) => parse_with_args(ctx, a),
        _ => Err(a.mismatch()),
    }
}

fn to_date(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let dt = convert(ctx, &a)?;
    Ok(date_value(midnight(dt.civil.date()), true))
}

fn to_time(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let dt = convert(ctx, &a)?;
    Ok(date_value(dt.civil, false))
}

fn is_date(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    let is = match args.first() {
        Some(Value::Text(t)) => parse::parse(t, zone::current_year(ctx)).is_ok(),
        Some(Value::DateTime(_)) => true,
        _ => false,
    };
    Ok(Value::Bool(is))
}

fn unix_epoch(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let tz = zone_at(ctx, &a, 1)?;
    let dt = match a.get(0) {
        Value::DateTime(d) => **d,
        Value::Text(t) => match parse::parse(t, zone::current_year(ctx)) {
            Ok(p) => p.in_zone(&tz),
            Err(_) => return Ok(a.get(0).clone()),
        },
        _ => return Err(a.mismatch().into()),
    };
    Ok(zone::to_epoch_ms(&dt, &tz)
        .map(Value::Number)
        .map_err(|e| a.error(e))?)
}

fn shift(ctx: &NativeCtx<'_>, a: Args<'_>, step: Step, sign: i64) -> NativeResult {
    let dt = date_at(ctx, &a, 0)?;
    let amount = a.int(1)?;
    let amount = amount
        .checked_mul(sign)
        .ok_or_else(|| a.error(format!("{amount} is out of range")))?;
    Ok(arith::add_in_zone(dt.civil, step, amount, &ctx.env.time_zone)
        .map(|c| date_value(c, false))
        .map_err(|e| a.error(e))?)
}

macro_rules! shift_fn {
    ($($fn_name:ident, $step:expr, $sign:literal;)*) => {$(
        fn $fn_name(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
            shift(ctx, a, $step, $sign)
        }
    )*};
}

shift_fn! {
    add_day, Step::Days, 1;
    sub_day, Step::Days, -1;
    add_week, Step::Weeks, 1;
    sub_week, Step::Weeks, -1;
    add_month, Step::Months, 1;
    sub_month, Step::Months, -1;
    add_year, Step::Years, 1;
    sub_year, Step::Years, -1;
    add_hour, Step::Hours, 1;
    sub_hour, Step::Hours, -1;
    add_minutes, Step::Minutes, 1;
    sub_minutes, Step::Minutes, -1;
    add_seconds, Step::Seconds, 1;
    sub_seconds, Step::Seconds, -1;
}

fn eomonth(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let dt = date_at(ctx, &a, 0)?;
    let moved = arith::add(dt.civil, Step::Months, a.int(1)?).map_err(|e| a.error(e))?;
    Ok(date_value(midnight(moved.date().last_of_month()), false))
}

fn to_start_of_month(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let dt = date_at(ctx, &a, 0)?;
    Ok(date_value(
        midnight(dt.civil.date().first_of_month()),
        false,
    ))
}

fn to_start_of_week(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let dt = date_at(ctx, &a, 0)?;
    Ok(date_value(
        midnight(arith::start_of_week(dt.civil.date())),
        false,
    ))
}

/// A weekday from a name (`"Saturday"`, `"Sat"`) or a number (1 = Sunday ... 7 = Saturday).
fn weekday_of(value: &Value) -> Option<Weekday> {
    let index = match value {
        Value::Text(t) => weekday_from_name(t.trim())?,
        Value::Number(n @ 1..=7) => (*n - 1) as usize,
        _ => return None,
    };
    Some(Weekday::from_sunday_zero_offset(index as i8).unwrap_or(Weekday::Sunday))
}

fn weekends_at(a: &Args<'_>, i: usize) -> Result<Vec<Weekday>, String> {
    if !a.has(i) || a.get(i).is_null() {
        return Ok(Vec::new());
    }
    let list = a.list(i)?;
    let items = list.borrow();
    items
        .iter()
        .map(|v| {
            weekday_of(v).ok_or_else(|| {
                a.error(format!(
                    "'{}' is not a day of the week; use names like \"Saturday\" or numbers 1 (Sunday) to 7 (Saturday)",
                    crate::eval::render::display(v)
                ))
            })
        })
        .collect()
}

fn holidays_at(ctx: &NativeCtx<'_>, a: &Args<'_>, i: usize) -> Result<Vec<civil::Date>, String> {
    if !a.has(i) || a.get(i).is_null() {
        return Ok(Vec::new());
    }
    let list = a.list(i)?;
    let items = list.borrow();
    items
        .iter()
        .map(|v| match v {
            Value::DateTime(d) => Ok(d.civil.date()),
            Value::Text(t) => parse_text(ctx, t, &ctx.env.time_zone)
                .map(|d| d.civil.date())
                .map_err(|e| a.error(e)),
            other => Err(a.error(format!(
                "a holiday must be a date, not a {}",
                other.value_type()
            ))),
        })
        .collect()
}

fn business_days(ctx: &NativeCtx<'_>, a: Args<'_>, sign: i64) -> NativeResult {
    let dt = date_at(ctx, &a, 0)?;
    let amount = a.int(1)?.saturating_mul(sign);
    let weekends = weekends_at(&a, 2)?;
    let holidays = holidays_at(ctx, &a, 3)?;
    Ok(arith::add_business_days(dt.civil, amount, &weekends, &holidays)
        .map(|c| date_value(c, false))
        .map_err(|e| a.error(e))?)
}

fn add_business_day(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    business_days(ctx, a, 1)
}

fn sub_business_day(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    business_days(ctx, a, -1)
}

fn week_day(ctx: &NativeCtx<'_>, a: Args<'_>, forward: bool) -> NativeResult {
    let dt = date_at(ctx, &a, 0)?;
    let day = a.text(1)?;
    let weekday = weekday_from_name(day.trim())
        .and_then(|i| Weekday::from_sunday_zero_offset(i as i8).ok())
        .ok_or_else(|| {
            a.error(format!(
                "'{day}' is not a day of the week; use Sunday, Monday, ... Saturday"
            ))
        })?;
    let date = arith::next_weekday(dt.civil.date(), weekday, forward).map_err(|e| a.error(e))?;
    Ok(date_value(date.to_datetime(dt.civil.time()), dt.date_only))
}

fn next_week_day(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    week_day(ctx, a, true)
}

fn previous_week_day(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    week_day(ctx, a, false)
}

fn component(
    ctx: &NativeCtx<'_>,
    a: Args<'_>,
    get: fn(civil::DateTime) -> i64,
) -> NativeResult {
    let dt = date_at(ctx, &a, 0)?;
    Ok(Value::Number(get(dt.civil)))
}

macro_rules! component_fn {
    ($($fn_name:ident, $get:expr;)*) => {$(
        fn $fn_name(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
            component(ctx, a, $get)
        }
    )*};
}

component_fn! {
    get_day, |d| i64::from(d.day());
    get_month, |d| i64::from(d.month());
    get_year, |d| i64::from(d.year());
    get_hour, |d| i64::from(d.hour());
    get_minutes, |d| i64::from(d.minute());
    get_seconds, |d| i64::from(d.second());
    get_day_of_week, |d| i64::from(d.weekday().to_sunday_one_offset());
    get_day_of_year, |d| i64::from(d.day_of_year());
    get_week_of_year, |d| week_of_year(d.date());
}

fn difference(
    ctx: &NativeCtx<'_>,
    a: Args<'_>,
    measure: fn(civil::DateTime, civil::DateTime) -> Result<i64, String>,
) -> NativeResult {
    let from = date_at(ctx, &a, 0)?;
    let to = date_at(ctx, &a, 1)?;
    Ok(measure(from.civil, to.civil)
        .map(Value::Number)
        .map_err(|e| a.error(e))?)
}

macro_rules! difference_fn {
    ($($fn_name:ident, $measure:expr;)*) => {$(
        fn $fn_name(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
            difference(ctx, a, $measure)
        }
    )*};
}

difference_fn! {
    days_between, |f, t| Ok(arith::days_between(f.date(), t.date()));
    days360, |f, t| Ok(arith::days360(f.date(), t.date()));
    months_between, |f, t| Ok(arith::days_between(f.date(), t.date()) / 30);
    years_between, |f, t| arith::between(f, t, Unit::Year);
    total_months, |f, t| arith::between(midnight(f.date()), midnight(t.date()), Unit::Month);
    total_years, |f, t| arith::between(midnight(f.date()), midnight(t.date()), Unit::Year);
}

/// Whole elapsed hours in the application zone (a spring-forward night has 23).
fn hours_between(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let from = date_at(ctx, &a, 0)?;
    let to = date_at(ctx, &a, 1)?;
    let tz = &ctx.env.time_zone;
    let from_ms = zone::to_epoch_ms(&from, tz).map_err(|e| a.error(e))?;
    let to_ms = zone::to_epoch_ms(&to, tz).map_err(|e| a.error(e))?;
    Ok(Value::Number((to_ms - from_ms) / 3_600_000))
}

#[cfg(test)]
mod tests;
