//! The arithmetic operators on DATE-TIME values: `d + ms`, `d - ms`, `ms + d` shift a date-time
//! by milliseconds (language.md §3.3), and `d1 - d2` is the difference in milliseconds.
//!
//! DATE-TIME values are civil (wall-clock) times, so the shift is on the wall clock, like
//! `addSeconds`; the result always carries a time (it prints `dd-MMM-yyyy HH:mm:ss`).
//! [`from_epoch_ms`] reads a number of milliseconds since the Unix epoch as a DATE-TIME
//! (`List:Date({0})`, `toDateTime(ms)`).

use jiff::civil;

use crate::eval::ir::BinOp;
use crate::eval::ops::OpResult;
use crate::eval::value::{DateTime, Value};

/// `lhs op rhs` when it is date arithmetic; `None` when neither operand makes it one.
pub fn date_arithmetic(op: BinOp, lhs: &Value, rhs: &Value) -> Option<OpResult> {
    Some(match (op, lhs, rhs) {
        (BinOp::Add, Value::DateTime(d), Value::Number(ms))
        | (BinOp::Add, Value::Number(ms), Value::DateTime(d)) => shift(d, *ms),
        (BinOp::Sub, Value::DateTime(d), Value::Number(ms)) => match ms.checked_neg() {
            Some(back) => shift(d, back),
            None => Err(out_of_range()),
        },
        (BinOp::Sub, Value::DateTime(a), Value::DateTime(b)) => difference(a.civil, b.civil),
        (BinOp::Add | BinOp::Sub, Value::DateTime(_), Value::Decimal(_))
        | (BinOp::Add, Value::Decimal(_), Value::DateTime(_)) => Err(format!(
            "operator `{}` shifts a DATE-TIME by a whole number of milliseconds, not a DECIMAL; \
             use toNumber() or addDay()/addHour()/addSeconds()",
            op.symbol()
        )),
        _ => return None,
    })
}

/// `d` moved by `ms` milliseconds on the wall clock.
fn shift(d: &DateTime, ms: i64) -> OpResult {
    let span = jiff::Span::new()
        .try_milliseconds(ms)
        .map_err(|_| out_of_range())?;
    let civil = d.civil.checked_add(span).map_err(|_| out_of_range())?;
    Ok(Value::date_time(DateTime {
        civil,
        date_only: false,
    }))
}

/// `a - b` in milliseconds.
fn difference(a: civil::DateTime, b: civil::DateTime) -> OpResult {
    let millis = a.duration_since(b).as_millis();
    i64::try_from(millis)
        .map(Value::Number)
        .map_err(|_| out_of_range())
}

fn out_of_range() -> String {
    "the date-time is out of range (years -9999 to 9999)".to_owned()
}

/// The wall time in `tz` of the instant `ms` milliseconds after the Unix epoch.
pub fn from_epoch_ms(ms: i64, tz: &jiff::tz::TimeZone) -> Result<DateTime, String> {
    let ts = jiff::Timestamp::from_millisecond(ms)
        .map_err(|_| format!("{ms} milliseconds is outside the supported date range"))?;
    Ok(DateTime {
        civil: ts.to_zoned(tz.clone()).datetime(),
        date_only: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Value {
        Value::date_time(crate::eval::datetime_literal(text).expect("a date literal"))
    }

    fn shown(result: Option<OpResult>) -> String {
        match result {
            Some(Ok(v)) => crate::eval::render::display(&v),
            Some(Err(e)) => format!("error: {e}"),
            None => "none".to_owned(),
        }
    }

    #[test]
    fn numbers_shift_a_date_time_by_milliseconds() {
        let d = date("15-Aug-1947 19:00:00");
        let hour = Value::Number(3_600_000);
        assert_eq!(
            shown(date_arithmetic(BinOp::Add, &d, &hour)),
            "15-Aug-1947 20:00:00"
        );
        assert_eq!(
            shown(date_arithmetic(BinOp::Add, &hour, &d)),
            "15-Aug-1947 20:00:00"
        );
        assert_eq!(
            shown(date_arithmetic(BinOp::Sub, &d, &Value::Number(86_400_000))),
            "14-Aug-1947 19:00:00"
        );
        assert_eq!(
            shown(date_arithmetic(
                BinOp::Add,
                &date("1-Jan-2020"),
                &Value::Number(1)
            )),
            "01-Jan-2020 00:00:00"
        );
    }

    #[test]
    fn subtracting_date_times_gives_milliseconds() {
        let a = date("02-Jan-2020 01:00:00");
        let b = date("01-Jan-2020");
        assert_eq!(shown(date_arithmetic(BinOp::Sub, &a, &b)), "90000000");
        assert_eq!(shown(date_arithmetic(BinOp::Sub, &b, &a)), "-90000000");
    }

    #[test]
    fn other_combinations_are_errors_or_not_date_arithmetic() {
        let d = date("01-Jan-2020");
        let shown_decimal = shown(date_arithmetic(
            BinOp::Add,
            &d,
            &Value::decimal(rust_decimal::Decimal::new(15, 1)),
        ));
        assert!(shown_decimal.contains("not a DECIMAL"), "{shown_decimal}");
        assert_eq!(shown(date_arithmetic(BinOp::Add, &d, &d)), "none");
        assert_eq!(
            shown(date_arithmetic(BinOp::Mul, &d, &Value::Number(2))),
            "none"
        );
        assert_eq!(
            shown(date_arithmetic(BinOp::Sub, &Value::Number(1), &d)),
            "none"
        );
        let far = shown(date_arithmetic(BinOp::Add, &d, &Value::Number(i64::MAX)));
        assert!(far.contains("out of range"), "{far}");
        let back = shown(date_arithmetic(BinOp::Sub, &d, &Value::Number(i64::MIN)));
        assert!(back.contains("out of range"), "{back}");
    }
}
