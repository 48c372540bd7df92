//! Tests of the DATE-TIME built-ins, with the documented examples.

use std::sync::Arc;

use crate::eval::context::NativeCtx;
use crate::eval::env::{FixedClock, RunEnv};
use crate::eval::render::display;
use crate::eval::value::Value;
use crate::stdlib::datetime::{parse_literal, BUILTINS};
use crate::stdlib::registry::Receiver;

fn env(zone: &str) -> RunEnv {
    RunEnv {
        time_zone: jiff::tz::TimeZone::get(zone).unwrap(),
        clock: Arc::new(FixedClock("2021-07-21T17:25:24Z".parse().unwrap())),
        ..RunEnv::default()
    }
}

fn run_in(zone: &str, name: &str, args: &[Value]) -> Result<Value, String> {
    let env = env(zone);
    let mut ctx = NativeCtx::new(&env);
    let ty = args[0].value_type();
    let builtin = BUILTINS
        .iter()
        .find(|b| b.name.eq_ignore_ascii_case(name) && b.receiver == Receiver::Type(ty))
        .unwrap_or_else(|| panic!("no {name} for {ty}"));
    let extra = (args.len() - 1) as u8;
    assert!(
        extra >= builtin.arity.0 && extra <= builtin.arity.1,
        "arity of {name}"
    );
    builtin.call(&mut ctx, args).map_err(|f| f.to_string())
}

fn run(name: &str, args: &[Value]) -> Result<Value, String> {
    run_in("America/Los_Angeles", name, args)
}

fn show(name: &str, args: &[Value]) -> String {
    match run(name, args) {
        Ok(v) => display(&v),
        Err(e) => format!("error: {e}"),
    }
}

fn d(text: &str) -> Value {
    Value::DateTime(parse_literal(text).unwrap().into())
}

fn t(text: &str) -> Value {
    Value::text(text)
}

fn n(v: i64) -> Value {
    Value::Number(v)
}

#[test]
fn documented_arithmetic_examples() {
    assert_eq!(
        show("addMonth", &[d("21-Aug-2013 16:04:37"), n(3)]),
        "21-Nov-2013 16:04:37"
    );
    assert_eq!(
        show("subYear", &[d("21-Aug-2013 16:04:37"), n(3)]),
        "21-Aug-2010 16:04:37"
    );
    assert_eq!(
        show("addDay", &[d("10-Jan-2019"), n(2)]),
        "12-Jan-2019 00:00:00"
    );
    assert_eq!(
        show("edate", &[d("20-May-2013"), n(3)]),
        "20-Aug-2013 00:00:00"
    );
    assert_eq!(
        show("addMonth", &[d("31-Jan-2019"), n(1)]),
        "28-Feb-2019 00:00:00"
    );
    assert_eq!(
        show("subMonth", &[d("31-Mar-2020"), n(1)]),
        "29-Feb-2020 00:00:00"
    );
    assert_eq!(
        show("addHour", &[d("31-Dec-2019 23:30:00"), n(1)]),
        "01-Jan-2020 00:30:00"
    );
    assert_eq!(
        show("subMinutes", &[d("01-Jan-2020 00:00:00"), n(1)]),
        "31-Dec-2019 23:59:00"
    );
    assert_eq!(
        show("addSeconds", &[d("01-Jan-2020 00:00:00"), n(61)]),
        "01-Jan-2020 00:01:01"
    );
    assert_eq!(
        show("addWeek", &[d("01-Jan-2020"), n(2)]),
        "15-Jan-2020 00:00:00"
    );
    assert_eq!(
        show("subWeek", &[d("15-Jan-2020"), n(2)]),
        "01-Jan-2020 00:00:00"
    );
    assert_eq!(
        show("subDay", &[d("01-Mar-2020"), n(1)]),
        "29-Feb-2020 00:00:00"
    );
    assert_eq!(
        show("addYear", &[d("29-Feb-2020"), n(1)]),
        "28-Feb-2021 00:00:00"
    );
}

#[test]
fn arithmetic_errors() {
    assert_eq!(
        show("addYear", &[d("01-Jan-2020"), n(10_000)]),
        "error: addYear: adding 10000 gives a date outside the supported range (years 1-9999)"
    );
    assert_eq!(
        show("addDay", &[d("01-Jan-2020"), t("x")]),
        "error: addDay expects (NUMBER) but got (TEXT)"
    );
    assert_eq!(
        show("subDay", &[d("01-Jan-2020"), n(i64::MIN)]),
        "error: subDay: -9223372036854775808 is out of range"
    );
}

#[test]
fn documented_component_examples() {
    assert_eq!(show("getMonth", &[d("20-May-2013")]), "5");
    assert_eq!(show("month", &[d("20-May-2013")]), "5");
    assert_eq!(show("weekday", &[d("21-Aug-2013")]), "4");
    assert_eq!(show("getDayOfWeek", &[d("18-Jul-2021")]), "1");
    let dt = || d("21-Aug-2013 16:04:37");
    assert_eq!(show("getDay", &[dt()]), "21");
    assert_eq!(show("getYear", &[dt()]), "2013");
    assert_eq!(show("getHour", &[dt()]), "16");
    assert_eq!(show("getMinutes", &[dt()]), "4");
    assert_eq!(show("getSeconds", &[dt()]), "37");
    assert_eq!(show("getDayOfYear", &[dt()]), "233");
    assert_eq!(show("getWeekOfYear", &[d("01-Jan-2019")]), "1");
    assert_eq!(show("getWeekOfYear", &[d("06-Jan-2019")]), "2");
}

#[test]
fn documented_differences() {
    assert_eq!(
        show("daysBetween", &[d("1-Jan-2019"), d("31-Dec-2019")]),
        "364"
    );
    assert_eq!(
        show("daysBetween", &[d("1-Jan-2020"), d("31-Dec-2020")]),
        "365"
    );
    assert_eq!(
        show("daysBetween", &[d("1-Jan-2020"), t("31-Dec-2020")]),
        "365"
    );
    assert_eq!(
        show("monthsBetween", &[d("20-May-2013"), d("20-Aug-2013")]),
        "3"
    );
    assert_eq!(
        show("monthsBetween", &[d("01-Feb-2019"), d("01-Mar-2019")]),
        "0"
    );
    assert_eq!(
        show("totalMonths", &[d("01-Feb-2019"), d("01-Mar-2019")]),
        "1"
    );
    assert_eq!(
        show("totalYears", &[d("01-Mar-2018"), d("01-Mar-2019")]),
        "1"
    );
    assert_eq!(
        show("yearsBetween", &[d("20-May-2010"), d("19-May-2013")]),
        "2"
    );
    assert_eq!(
        show(
            "hoursBetween",
            &[d("01-Jan-2019"), d("02-Jan-2019 01:30:00")]
        ),
        "25"
    );
    assert_eq!(
        show("days360", &[d("01-Jan-2019"), d("31-Dec-2019")]),
        "360"
    );
    let spring = [d("10-Mar-2024"), d("11-Mar-2024")];
    assert_eq!(show("hoursBetween", &spring), "23");
    let back = [d("11-Mar-2024"), d("10-Mar-2024 00:59:00")];
    assert_eq!(show("hoursBetween", &back), "-22");
    let night = [d("10-Mar-2024 01:30:00"), n(1)];
    assert_eq!(show("addHour", &night), "10-Mar-2024 03:30:00");
}

#[test]
fn malformed_dates_are_errors() {
    assert_eq!(
        show("daysBetween", &[d("1-Jan-2019"), t("32-Jan-2019")]),
        "error: daysBetween: '32-Jan-2019' is not a valid date: day 32 is out of range for January 2019 (1-31)"
    );
    assert_eq!(
        show("daysBetween", &[d("1-Jan-2019"), t("31-Foo-2019")]),
        "error: daysBetween: '31-Foo-2019' is not a date; write it like '15-Aug-1947' or '15-Aug-1947 19:00:00'"
    );
    assert_eq!(
        show("toDate", &[t("13-13-2019")]),
        "error: toDate: '13-13-2019' is not a valid date: month 13 is out of range (1-12)"
    );
}

#[test]
fn text_conversions() {
    assert_eq!(show("toDate", &[t("05-20-13")]), "20-May-2013");
    assert_eq!(
        show("toTime", &[t("Aug 21, 2013 16:04:37")]),
        "21-Aug-2013 16:04:37"
    );
    assert_eq!(
        show("toDateTime", &[t("21-Aug-2013")]),
        "21-Aug-2013 00:00:00"
    );
    assert_eq!(show("toDate", &[t("21-Aug-2013 16:04:37")]), "21-Aug-2013");
    assert_eq!(
        show("toDate", &[t("20130820"), t("yyyyMMdd")]),
        "20-Aug-2013"
    );
    assert_eq!(
        show("toTime", &[t("2013/08/20 4:05 PM"), t("yyyy/MM/dd h:mm a")]),
        "20-Aug-2013 16:05:00"
    );
    assert_eq!(
        show(
            "toTime",
            &[
                t("2019-01-15 10:00"),
                t("yyyy-MM-dd HH:mm"),
                t("Asia/Kolkata")
            ]
        ),
        "14-Jan-2019 20:30:00"
    );
    assert_eq!(
        show("toTime", &[t("2019-01-15T10:00:00+05:30")]),
        "14-Jan-2019 20:30:00"
    );
    assert_eq!(
        show("toDate", &[t("2019.01.15"), t("yyyy-MM-dd")]),
        "error: toDate: '2019.01.15' does not match the pattern: expected '-' at '.01.15'"
    );
    assert_eq!(
        show("toDate", &[t("2019-01-15"), t("yyyy-MM-dd at")]),
        "error: toDate: 't' is not a date pattern letter; put literal text in single quotes"
    );
    assert_eq!(show("isDate", &[t("15-Aug-1947")]), "true");
    assert_eq!(show("isDate", &[t("31-Feb-1947")]), "false");
    assert_eq!(show("isDate", &[t("hello")]), "false");
}

#[test]
fn epoch_conversions_in_the_application_zone() {
    assert_eq!(show("toTime", &[n(1000)]), "31-Dec-1969 16:00:01");
    assert_eq!(show("toDate", &[n(0)]), "31-Dec-1969");
    assert_eq!(show("toTime", &[d("15-Aug-1947")]), "15-Aug-1947 00:00:00");
    assert_eq!(show("toDate", &[d("15-Aug-1947 19:00:00")]), "15-Aug-1947");
    assert_eq!(
        show(
            "unixEpoch",
            &[t("03-Feb-2020 03:48:12"), t("Asia/Calcutta")]
        ),
        "1580681892000"
    );
    assert_eq!(
        show("unixEpoch", &[t("01-Jan-1970 00:00:00"), t("Nowhere/Land")]),
        "0"
    );
    assert_eq!(show("unixEpoch", &[t("31-Dec-1969 16:00:01")]), "1000");
    assert_eq!(show("unixEpoch", &[t("not a date")]), "not a date");
    assert_eq!(show("unixEpoch", &[d("31-Dec-1969 16:00:01")]), "1000");
}

#[test]
fn to_string_with_patterns_and_zones() {
    let dt = || d("15-Aug-1947 19:00:00");
    assert_eq!(show("toString", &[dt()]), "15-Aug-1947 19:00:00");
    assert_eq!(show("toString", &[d("15-Aug-1947")]), "15-Aug-1947");
    assert_eq!(show("toString", &[dt(), t("yyyy-MM-dd")]), "1947-08-15");
    assert_eq!(
        show("toText", &[dt(), t("EEEE, MMMM d, yyyy hh:mm a")]),
        "Friday, August 15, 1947 07:00 PM"
    );
    assert_eq!(show("toString", &[dt(), t("dd-MM-yyyy at HH")]), "null");
    assert_eq!(
        show(
            "toString",
            &[dt(), t("yyyy-MM-dd HH:mm"), t("Asia/Kolkata")]
        ),
        "1947-08-16 08:30"
    );
    assert_eq!(
        show(
            "toString",
            &[d("10-Jan-2021 12:00:00"), t("HH:mm z"), t("Bad/Zone")]
        ),
        "20:00 UTC"
    );
}

#[test]
fn to_date_time_string_is_dst_aware() {
    let winter = d("15-Jan-2021 12:00:00");
    let summer = d("15-Jul-2021 12:00:00");
    let pattern = t("yyyy-MM-dd HH:mm z");
    assert_eq!(
        show(
            "toDateTimeString",
            &[winter, pattern.clone(), t("Europe/London")]
        ),
        "2021-01-15 20:00 GMT"
    );
    assert_eq!(
        show(
            "toDateTimeString",
            &[summer, pattern.clone(), t("Europe/London")]
        ),
        "2021-07-15 20:00 BST"
    );
    assert_eq!(
        show(
            "toDateTimeString",
            &[n(0), t("dd-MMM-yyyy HH:mm:ss"), t("UTC")]
        ),
        "01-Jan-1970 00:00:00"
    );
    assert_eq!(
        show("toDateTimeString", &[n(0), t("bad pattern")]),
        "error: toDateTimeString: 'b' is not a date pattern letter; put literal text in single quotes"
    );
}

#[test]
fn business_days_and_week_days() {
    let friday = d("16-Aug-2019");
    assert_eq!(
        show("addBusinessDay", &[friday.clone(), n(1)]),
        "19-Aug-2019 00:00:00"
    );
    assert_eq!(
        show("workday", &[friday.clone(), n(5)]),
        "23-Aug-2019 00:00:00"
    );
    assert_eq!(
        show("subBusinessDay", &[d("19-Aug-2019"), n(1)]),
        "16-Aug-2019 00:00:00"
    );
    let weekends = Value::list_from(vec![t("Friday"), n(7)]);
    let holidays = Value::list_from(vec![t("18-Aug-2019")]);
    assert_eq!(
        show(
            "addBusinessDay",
            &[friday.clone(), n(1), weekends, holidays]
        ),
        "19-Aug-2019 00:00:00"
    );
    assert_eq!(
        show("addBusinessDay", &[friday.clone(), n(1), Value::list_from(vec![t("Caturday")])]),
        "error: addBusinessDay: 'Caturday' is not a day of the week; use names like \"Saturday\" or numbers 1 (Sunday) to 7 (Saturday)"
    );
    assert_eq!(
        show("previousWeekDay", &[d("21-Jul-2021"), t("Monday")]),
        "19-Jul-2021"
    );
    assert_eq!(
        show("previousWeekDay", &[d("21-Jul-2021"), t("Wednesday")]),
        "14-Jul-2021"
    );
    assert_eq!(
        show("nextWeekDay", &[d("21-Jul-2021"), t("wednesday")]),
        "28-Jul-2021"
    );
    assert_eq!(
        show("nextWeekDay", &[d("21-Jul-2021"), t("Someday")]),
        "error: nextWeekDay: 'Someday' is not a day of the week; use Sunday, Monday, ... Saturday"
    );
}

#[test]
fn month_and_week_boundaries() {
    assert_eq!(
        show("eomonth", &[d("15-Jan-2020 10:00:00"), n(1)]),
        "29-Feb-2020 00:00:00"
    );
    assert_eq!(
        show("eomonth", &[d("15-Jan-2020"), n(-1)]),
        "31-Dec-2019 00:00:00"
    );
    assert_eq!(
        show("toStartOfMonth", &[d("15-Jan-2020 10:00:00")]),
        "01-Jan-2020 00:00:00"
    );
    assert_eq!(
        show("toStartOfWeek", &[d("21-Jul-2021 10:00:00")]),
        "18-Jul-2021 00:00:00"
    );
}

#[test]
fn app_zone_changes_epoch_results() {
    let v = run_in("UTC", "toTime", &[n(0)]).unwrap();
    assert_eq!(display(&v), "01-Jan-1970 00:00:00");
}
