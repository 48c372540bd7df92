//! Conversion and common functions that apply to every type (language.md §6.3): `toString`,
//! `toNumber`, `toDecimal`, `isNull`, `isEmpty`, `isBlank`, `ifnull`, type tests; and the value
//! comparisons the collection functions share ([`values_equal`], [`compare`]).
//!
//! DATE-TIME formatting with a pattern (`d.toString("dd-MM-yyyy")`) belongs to the date-time
//! table, which registers `toString`/`toText` for DATE-TIME receivers; an exact receiver type
//! wins over these `Any` entries (see `eval::builtin::dispatch`).

use std::cmp::Ordering;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::eval::context::NativeCtx;
use crate::eval::render::{display, try_display, TooLarge};
use crate::eval::value::{CollectionData, MapData, Value};

pub use crate::eval::number_text::{parse_decimal, parse_whole_number};

use crate::eval::args::Args;
use super::registry::{builtin, Builtin, NativeResult, Receiver};

/// Deepest nesting compared by [`values_equal`]; deeper values compare unequal.
const MAX_COMPARE_DEPTH: usize = 256;

/// The conversion and common built-ins.
pub static BUILTINS: &[Builtin] = &[
    builtin!("toString", Receiver::Any, "([pattern: TEXT[, timeZone: TEXT]])", "TEXT", (0, 2), printed, "The printed form: text as is, a list comma-joined, a map as JSON. A pattern applies to DATE-TIME values only."),
    builtin!("toText", Receiver::Any, "([pattern: TEXT[, timeZone: TEXT]])", "TEXT", (0, 2), printed, "Same as toString."),
    builtin!("toNumber", Receiver::Any, "()", "NUMBER", (0, 0), whole_number, "Whole-number text, a NUMBER, a DECIMAL (truncated) or a DATE-TIME (epoch milliseconds) as a NUMBER."),
    builtin!("toLong", Receiver::Any, "()", "NUMBER", (0, 0), whole_number, "Same as toNumber."),
    builtin!("toDecimal", Receiver::Any, "()", "DECIMAL", (0, 0), to_decimal, "Numeric text, a NUMBER or a DECIMAL as a DECIMAL."),
    builtin!("isNull", Receiver::Any, "()", "BOOLEAN", (0, 0), is_null, "True for null and for the empty text."),
    builtin!("isEmpty", Receiver::Any, "()", "BOOLEAN", (0, 0), is_empty, "True for null, the empty text and an empty list, map or collection."),
    builtin!("isBlank", Receiver::Any, "()", "BOOLEAN", (0, 0), is_blank, "True for null, the empty text, white-space-only text and empty containers."),
    builtin!("isNumber", Receiver::Any, "()", "BOOLEAN", (0, 0), is_number, "True for a NUMBER, a DECIMAL, or text holding a number (`\"12\"`, `\"-1.5\"`)."),
    builtin!("isDecimal", Receiver::Any, "()", "BOOLEAN", (0, 0), is_decimal, "True for a DECIMAL, or text holding a number with a fraction."),
    builtin!("isText", Receiver::Any, "()", "BOOLEAN", (0, 0), is_text, "True for a TEXT."),
    builtin!("isDate", Receiver::Any, "()", "BOOLEAN", (0, 0), is_date, "True for a DATE-TIME."),
    builtin!("isFile", Receiver::Any, "()", "BOOLEAN", (0, 0), is_file, "True for a FILE."),
    builtin!("ifnull", Receiver::None, "(value: any, alternative: any)", "any", (2, 2), ifnull, "`alternative` when `value` is null or the empty text, else `value`."),
];



fn printed(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    let name = a.name();
    if let Some(extra) = args.get(1) {
        if !matches!(a.get(0), Value::Text(_)) {
            return Err(format!(
                "{name} takes a date-time pattern only for a DATE-TIME, not for a {} (got the pattern {})",
                a.get(0).value_type(),
                display(extra)
            ).into());
        }
    }
    match a.get(0) {
        text @ Value::Text(_) => Ok(text.clone()),
        other => Ok(try_display(other, ctx.env.limits.max_text_bytes)
            .map(Value::text)
            .map_err(|e| format!("{name}: {e}; {}", TooLarge::HELP))?),
    }
}



fn whole_number(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let name = a.name();
    match a.get(0) {
        Value::Number(n) => Ok(Value::Number(*n)),
        Value::Decimal(d) => Ok(d
            .trunc()
            .to_i64()
            .map(Value::Number)
            .ok_or_else(|| a.error(format!("{d} is too large for a NUMBER")))?),
        Value::Text(t) => Ok(text_to_number(name, t).map(Value::Number)?),
        Value::DateTime(dt) => {
            let zoned = dt
                .civil
                .to_zoned(ctx.env.time_zone.clone())
                .map_err(|e| a.error(e))?;
            Ok(Value::Number(zoned.timestamp().as_millisecond()))
        }
        other => Err(format!(
            "{name} cannot convert a {} to a NUMBER",
            other.value_type()
        ).into()),
    }
}

fn text_to_number(name: &str, text: &str) -> Result<i64, String> {
    if let Some(n) = parse_whole_number(text) {
        return Ok(n);
    }
    let shown: String = text.chars().take(40).collect();
    if text.trim().is_empty() {
        return Err(format!("{name}: the text is empty; a NUMBER needs digits"));
    }
    let hint = match parse_decimal(text) {
        Some(d) if d.fract().is_zero() => "it is too large for a NUMBER",
        Some(_) => "it has a fraction; use toDecimal() and then round(), floor() or toNumber()",
        None => "a NUMBER may only have digits and a leading sign",
    };
    Err(format!("{name}: \"{shown}\" is not a whole number: {hint}"))
}

fn to_decimal(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    match a.get(0) {
        Value::Number(n) => Ok(Value::decimal(Decimal::from(*n))),
        Value::Decimal(d) => Ok(Value::Decimal(d.clone())),
        Value::Text(t) => Ok(parse_decimal(t).map(Value::decimal).ok_or_else(|| {
            let shown: String = t.chars().take(40).collect();
            if t.trim().is_empty() {
                a.error("the text is empty; a DECIMAL needs digits")
            } else {
                a.error(format_args!("\"{shown}\" is not a number"))
            }
        })?),
        other => Err(format!(
            "{} cannot convert a {} to a DECIMAL",
            a.name(),
            other.value_type()
        ).into()),
    }
}

/// True for `null` and the empty text (Deluge's `isNull`).
pub fn is_nullish(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Text(t) => t.is_empty(),
        _ => false,
    }
}

/// True for null, empty text and empty containers.
pub fn is_empty_value(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Text(t) => t.is_empty(),
        Value::List(l) => l.borrow().is_empty(),
        Value::Map(m) => m.borrow().is_empty(),
        Value::Collection(c) => match &*c.borrow() {
            CollectionData::Empty => true,
            CollectionData::List(items) => items.is_empty(),
            CollectionData::Map(pairs) => pairs.is_empty(),
        },
        _ => false,
    }
}

fn is_null(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    Ok(Value::Bool(is_nullish(
        a.get(0),
    )))
}

fn is_empty(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    Ok(Value::Bool(is_empty_value(
        a.get(0),
    )))
}

fn is_blank(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let blank = match a.get(0) {
        Value::Text(t) => t.trim().is_empty(),
        other => is_empty_value(other),
    };
    Ok(Value::Bool(blank))
}

fn is_number(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let yes = match a.get(0) {
        Value::Number(_) | Value::Decimal(_) => true,
        Value::Text(t) => parse_decimal(t).is_some(),
        _ => false,
    };
    Ok(Value::Bool(yes))
}

fn is_decimal(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let yes = match a.get(0) {
        Value::Decimal(_) => true,
        Value::Text(t) => parse_whole_number(t).is_none() && parse_decimal(t).is_some(),
        _ => false,
    };
    Ok(Value::Bool(yes))
}

fn is_text(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    Ok(Value::Bool(matches!(args.first(), Some(Value::Text(_)))))
}

fn is_date(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    Ok(Value::Bool(matches!(
        args.first(),
        Some(Value::DateTime(_))
    )))
}

fn is_file(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    Ok(Value::Bool(matches!(args.first(), Some(Value::File(_)))))
}

fn ifnull(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    if is_nullish(a.get(0)) {
        Ok(a.get(1).clone())
    } else {
        Ok(a.get(0).clone())
    }
}

/// Structural equality: numbers by value (`1 == 1.0`), text case-sensitively, lists element by
/// element, maps by their pairs (any order), collections by their contents. Different types are
/// unequal (`"1" != 1`).
pub fn values_equal(a: &Value, b: &Value) -> bool {
    Comparison::default().equal(a, b)
}

/// One structural comparison: the container pairs being compared (to treat a cycle as equal
/// instead of recursing forever) and the nesting depth.
#[derive(Default)]
struct Comparison {
    open: Vec<(usize, usize)>,
}

impl Comparison {
    fn equal(&mut self, a: &Value, b: &Value) -> bool {
        let (Some(x), Some(y)) = (a.container_identity(), b.container_identity()) else {
            return a == b;
        };
        if x == y || self.open.contains(&(x, y)) {
            return true;
        }
        if self.open.len() >= MAX_COMPARE_DEPTH {
            return false;
        }
        self.open.push((x, y));
        let same = self.containers_equal(a, b);
        self.open.pop();
        same
    }

    fn containers_equal(&mut self, a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::List(x), Value::List(y)) => match (x.try_borrow(), y.try_borrow()) {
                (Ok(p), Ok(q)) => self.lists_equal(&p, &q),
                _ => false,
            },
            (Value::Map(x), Value::Map(y)) => match (x.try_borrow(), y.try_borrow()) {
                (Ok(p), Ok(q)) => self.maps_equal(&p, &q),
                _ => false,
            },
            (Value::Collection(x), Value::Collection(y)) => {
                match (x.try_borrow(), y.try_borrow()) {
                    (Ok(p), Ok(q)) => match (&*p, &*q) {
                        (CollectionData::Empty, CollectionData::Empty) => true,
                        (CollectionData::List(p), CollectionData::List(q)) => {
                            self.lists_equal(p, q)
                        }
                        (CollectionData::Map(p), CollectionData::Map(q)) => self.maps_equal(p, q),
                        _ => false,
                    },
                    _ => false,
                }
            }
            _ => false,
        }
    }

    fn lists_equal(&mut self, x: &[Value], y: &[Value]) -> bool {
        x.len() == y.len() && x.iter().zip(y).all(|(p, q)| self.equal(p, q))
    }

    fn maps_equal(&mut self, x: &MapData, y: &MapData) -> bool {
        x.len() == y.len()
            && x.iter()
                .all(|(k, v)| y.get(k).is_some_and(|other| self.equal(v, other)))
    }
}

/// Ordering for sorting and `largest`/`smallest`: numbers by value, text by code point,
/// date-times chronologically, booleans false before true. `None` for values of different
/// kinds or containers.
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => Some(x.cmp(y)),
        (Value::Decimal(x), Value::Decimal(y)) => Some(x.cmp(y)),
        (Value::Number(x), Value::Decimal(y)) => Some(Decimal::from(*x).cmp(y)),
        (Value::Decimal(x), Value::Number(y)) => Some((**x).cmp(&Decimal::from(*y))),
        (Value::Text(x), Value::Text(y)) => Some(x.as_str().cmp(y.as_str())),
        (Value::DateTime(x), Value::DateTime(y)) => Some(x.civil.cmp(&y.civil)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::value::DateTime;
    use crate::stdlib::testing::{call, call_named, shown};
    use std::str::FromStr;

    fn dec(s: &str) -> Value {
        Value::Decimal(Decimal::from_str(s).unwrap().into())
    }

    fn truth(f: crate::eval::builtin::NativeFn, v: Value) -> bool {
        matches!(call(f, &[v]).unwrap(), Value::Bool(true))
    }

    #[test]
    fn to_string_prints() {
        let list = Value::list_from(vec![Value::Number(1), Value::text("a")]);
        assert_eq!(shown(printed, &[list]), "1,a");
        assert_eq!(shown(printed, &[dec("1.50")]), "1.50");
        assert_eq!(shown(printed, &[Value::Null]), "null");
        assert_eq!(
            shown(printed, &[Value::text("x"), Value::text("dd")]),
            "x"
        );
        assert_eq!(
            call(printed, &[Value::Bool(true), Value::text("dd")]).unwrap_err(),
            "toString takes a date-time pattern only for a DATE-TIME, not for a BOOLEAN (got the pattern dd)"
        );
    }

    #[test]
    fn to_number_documented_examples() {
        assert_eq!(shown(whole_number, &[dec("123.25")]), "123");
        assert_eq!(shown(whole_number, &[dec("99.9")]), "99");
        assert_eq!(shown(whole_number, &[dec("-99.9")]), "-99");
        assert_eq!(shown(whole_number, &[Value::text("100")]), "100");
        assert_eq!(shown(whole_number, &[Value::text(" 1234 ")]), "1234");
        assert_eq!(shown(whole_number, &[Value::text("-42")]), "-42");
        assert_eq!(
            call(whole_number, &[Value::text("134A123B")]).unwrap_err(),
            "toNumber: \"134A123B\" is not a whole number: a NUMBER may only have digits and a leading sign"
        );
        assert_eq!(
            call(whole_number, &[Value::text("")]).unwrap_err(),
            "toNumber: the text is empty; a NUMBER needs digits"
        );
        assert!(call(whole_number, &[Value::text("12.5")])
            .unwrap_err()
            .contains("use toDecimal()"));
        assert!(call(whole_number, &[Value::text("99999999999999999999")])
            .unwrap_err()
            .contains("too large"));
        assert_eq!(
            call(whole_number, &[Value::Null]).unwrap_err(),
            "toNumber cannot convert a NULL to a NUMBER"
        );
    }

    #[test]
    fn to_number_of_date_is_epoch_millis_in_app_zone() {
        let civil: jiff::civil::DateTime = "1970-01-01T00:00:01".parse().unwrap();
        let v = Value::date_time(DateTime {
            civil,
            date_only: false,
        });
        assert_eq!(shown(whole_number, &[v]), "1000");
    }

    #[test]
    fn to_long_and_to_text_name_themselves() {
        assert_eq!(shown(whole_number, &[Value::text("100")]), "100");
        assert_eq!(
            call_named("toLong", &[Value::text("x")]).unwrap_err(),
            "toLong: \"x\" is not a whole number: a NUMBER may only have digits and a leading sign"
        );
        assert_eq!(shown(printed, &[Value::Number(5)]), "5");
        assert!(call_named("toText", &[Value::Number(5), Value::text("x")])
            .unwrap_err()
            .starts_with("toText takes"));
    }

    #[test]
    fn to_decimal_examples() {
        assert_eq!(shown(to_decimal, &[dec("99.9")]), "99.9");
        assert_eq!(shown(to_decimal, &[Value::text("100")]), "100");
        assert_eq!(shown(to_decimal, &[Value::Number(7)]), "7");
        assert_eq!(shown(to_decimal, &[Value::text("-1.50")]), "-1.50");
        assert_eq!(shown(to_decimal, &[Value::text("2.5e3")]), "2500");
        assert_eq!(
            call(to_decimal, &[Value::text("")]).unwrap_err(),
            "toDecimal: the text is empty; a DECIMAL needs digits"
        );
        assert_eq!(
            call(to_decimal, &[Value::text("abc")]).unwrap_err(),
            "toDecimal: \"abc\" is not a number"
        );
    }

    #[test]
    fn null_and_empty_checks() {
        assert!(truth(is_null, Value::text("")));
        assert!(truth(is_null, Value::Null));
        assert!(!truth(is_null, Value::text(" ")));
        assert!(!truth(is_empty, Value::text(" ")));
        assert!(truth(is_empty, Value::new_map()));
        assert!(truth(is_empty, Value::Collection(Default::default())));
        assert!(!truth(
            is_empty,
            Value::list_from(vec![Value::text("Projects")])
        ));
        assert!(truth(is_blank, Value::text(" \t")));
        assert!(truth(is_blank, Value::Null));
        assert!(!truth(is_blank, Value::text(" a")));
    }

    #[test]
    fn type_tests() {
        assert!(truth(is_number, Value::text("12")));
        assert!(truth(is_number, Value::text("-1.5")));
        assert!(!truth(is_number, Value::text("1a")));
        assert!(!truth(is_number, Value::text("")));
        assert!(truth(is_number, Value::Number(3)));
        assert!(truth(is_decimal, Value::text("1.5")));
        assert!(!truth(is_decimal, Value::text("15")));
        assert!(truth(is_text, Value::text("")));
        assert!(!truth(is_text, Value::Number(1)));
        assert!(!truth(is_date, Value::text("01-01-2020")));
        assert!(!truth(is_file, Value::Null));
    }

    #[test]
    fn ifnull_treats_empty_text_as_null() {
        assert_eq!(shown(ifnull, &[Value::Null, Value::text("x")]), "x");
        assert_eq!(shown(ifnull, &[Value::text(""), Value::text("x")]), "x");
        assert_eq!(shown(ifnull, &[Value::text("a"), Value::text("x")]), "a");
        assert_eq!(shown(ifnull, &[Value::Number(0), Value::Number(5)]), "0");
    }

    #[test]
    fn cyclic_values_compare_without_hanging() {
        let a = Value::new_list();
        let b = Value::new_list();
        for (l, other) in [(&a, &a), (&a, &a), (&b, &b), (&b, &b)] {
            if let Value::List(list) = l {
                list.borrow_mut().push(other.clone());
            }
        }
        assert!(values_equal(&a, &b));
        let c = Value::list_from(vec![Value::Number(1)]);
        assert!(!values_equal(&a, &c));
    }

    #[test]
    fn structural_equality_and_ordering() {
        let a = Value::list_from(vec![Value::Number(1), Value::text("x")]);
        let b = Value::list_from(vec![dec("1.0"), Value::text("x")]);
        assert!(values_equal(&a, &b));
        assert!(!values_equal(&Value::text("1"), &Value::Number(1)));
        assert_eq!(
            compare(&Value::text("Zoho"), &Value::text("crm")),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare(&Value::Number(2), &dec("1.5")),
            Some(Ordering::Greater)
        );
        assert_eq!(compare(&Value::Number(2), &Value::text("1")), None);
    }
}
