//! Statistics over the numbers of a LIST or COLLECTION (Zoho's number functions that take a
//! collection): `sum`, `average`, `median`, `largest`, `smallest`, `nthLargest`,
//! `nthSmallest`, `rank`. Numeric text (`"12"`) counts as a number, as Zoho documents.
//! `largest`/`smallest`/`nth*` also order texts (by code point) and dates.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::eval::context::NativeCtx;
use crate::eval::render::display;
use crate::eval::value::{CollectionData, Value, ValueType};

use crate::eval::args::Args;
use super::common::parse_decimal;
use super::list::sorted;
use super::registry::{Builtin, NativeResult, Receiver};

/// Fractional digits kept for an average or median that does not terminate.
const MEAN_DIGITS: u32 = 16;

/// Expands each row into entries for LIST and COLLECTION receivers.
macro_rules! stats_table {
    ($( ($name:literal, $params:literal, $returns:literal, ($min:literal, $max:literal), $func:path, $summary:literal) ),* $(,)?) => {
        &[ $(
            Builtin { name: $name, receiver: Receiver::Type(ValueType::List), params: $params, returns: $returns, arity: ($min, $max), summary: $summary, func: $func },
            Builtin { name: $name, receiver: Receiver::Type(ValueType::Collection), params: $params, returns: $returns, arity: ($min, $max), summary: $summary, func: $func },
        )* ]
    };
}

/// The statistics built-ins.
pub static BUILTINS: &[Builtin] = stats_table![
    (
        "sum",
        "()",
        "NUMBER or DECIMAL",
        (0, 0),
        sum,
        "The sum of the numbers; 0 when empty."
    ),
    (
        "average",
        "()",
        "DECIMAL",
        (0, 0),
        average,
        "The mean of the numbers; null when empty."
    ),
    (
        "median",
        "()",
        "NUMBER or DECIMAL",
        (0, 0),
        median,
        "The middle number (the mean of the two middle ones for an even count); null when empty."
    ),
    (
        "largest",
        "()",
        "any",
        (0, 0),
        largest,
        "The largest number (or text, or date); null when empty."
    ),
    (
        "smallest",
        "()",
        "any",
        (0, 0),
        smallest,
        "The smallest number (or text, or date); null when empty."
    ),
    (
        "nthLargest",
        "(n: NUMBER)",
        "any",
        (1, 1),
        nth_largest,
        "The `n`-th largest, 1-based."
    ),
    (
        "nthSmallest",
        "(n: NUMBER)",
        "any",
        (1, 1),
        nth_smallest,
        "The `n`-th smallest, 1-based."
    ),
    (
        "rank",
        "(value: NUMBER[, order: TEXT])",
        "NUMBER",
        (1, 2),
        rank,
        "1-based position of `value` among the numbers sorted descending (\"asc\": ascending)."
    ),
];

/// The elements of the receiver (the values of a key-value collection), copied out.
fn elements(a: &Args<'_>) -> Result<Vec<Value>, String> {
    match a.get(0) {
        Value::List(l) => Ok(l.borrow().clone()),
        Value::Collection(c) => Ok(match &*c.borrow() {
            CollectionData::Empty => Vec::new(),
            CollectionData::List(items) => items.clone(),
            CollectionData::Map(pairs) => pairs.values().cloned().collect(),
        }),
        _ => Err(a.mismatch()),
    }
}

/// A number, or numeric text as a NUMBER (whole) or DECIMAL.
fn as_number(value: &Value) -> Option<Value> {
    match value {
        Value::Number(_) | Value::Decimal(_) => Some(value.clone()),
        Value::Text(t) => parse_decimal(t).map(|d| match i64::try_from(d) {
            Ok(n) if d.fract().is_zero() && d.scale() == 0 => Value::Number(n),
            _ => Value::decimal(d),
        }),
        _ => None,
    }
}

fn decimal_of(value: &Value) -> Decimal {
    match value {
        Value::Number(n) => Decimal::from(*n),
        Value::Decimal(d) => **d,
        _ => Decimal::ZERO,
    }
}

/// The elements as numbers, or an error naming the first non-number.
fn numbers(a: &Args<'_>) -> Result<Vec<Value>, String> {
    elements(a)?
        .iter()
        .map(|v| {
            as_number(v).ok_or_else(|| {
                a.error(format!(
                    "the {} holds a {} ({}); only numbers can be used",
                    a.get(0).value_type(),
                    v.value_type(),
                    display(v)
                ))
            })
        })
        .collect()
}

fn overflow(a: &Args<'_>) -> String {
    a.error("the result is too large")
}

fn total(values: &[Value]) -> Option<Decimal> {
    values
        .iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(decimal_of(v)))
}

fn all_whole(values: &[Value]) -> bool {
    values.iter().all(|v| matches!(v, Value::Number(_)))
}

fn sum(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let values = numbers(&a)?;
    let sum = total(&values).ok_or_else(|| overflow(&a))?;
    if all_whole(&values) {
        return Ok(i64::try_from(sum)
            .map(Value::Number)
            .map_err(|_| overflow(&a))?);
    }
    Ok(Value::decimal(sum))
}

fn mean(values: &[Value]) -> Option<Decimal> {
    let quotient = total(values)?.checked_div(Decimal::from(values.len()))?;
    Some(
        quotient
            .round_dp_with_strategy(MEAN_DIGITS, RoundingStrategy::MidpointAwayFromZero)
            .normalize(),
    )
}

fn average(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let values = numbers(&a)?;
    if values.is_empty() {
        return Ok(Value::Null);
    }
    Ok(mean(&values)
        .map(Value::decimal)
        .ok_or_else(|| overflow(&a))?)
}

fn median(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let mut values = numbers(&a)?;
    if values.is_empty() {
        return Ok(Value::Null);
    }
    values.sort_by_key(decimal_of);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        return Ok(values[mid].clone());
    }
    let middle = mean(&values[mid - 1..=mid]).ok_or_else(|| overflow(&a))?;
    match i64::try_from(middle) {
        Ok(n) if all_whole(&values[mid - 1..=mid]) && middle.fract().is_zero() => {
            Ok(Value::Number(n))
        }
        _ => Ok(Value::decimal(middle)),
    }
}

/// The elements sorted ascending: as numbers when they all are numbers (or numeric text),
/// otherwise by their natural order; an error when they cannot be compared.
fn ordered(a: &Args<'_>) -> Result<Vec<Value>, String> {
    let items = elements(a)?;
    let as_numbers: Option<Vec<Value>> = items.iter().map(as_number).collect();
    let candidates = as_numbers.unwrap_or(items);
    sorted(&candidates).ok_or_else(|| {
        a.error("the values cannot be compared with each other (e.g. numbers and words)")
    })
}

fn largest(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    Ok(ordered(&a)?.pop().unwrap_or_default())
}

fn smallest(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    Ok(ordered(&a)?.into_iter().next().unwrap_or_default())
}

fn nth(a: Args<'_>, from_largest: bool) -> NativeResult {
    let n = a.int(1)?;
    let values = ordered(&a)?;
    let len = values.len();
    let position = usize::try_from(n)
        .ok()
        .filter(|&p| (1..=len).contains(&p))
        .ok_or_else(|| a.error(format!("n must be from 1 to {len} (the size), got {n}")))?;
    let index = if from_largest {
        len - position
    } else {
        position - 1
    };
    Ok(values[index].clone())
}

fn nth_largest(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    nth(a, true)
}

fn nth_smallest(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    nth(a, false)
}

fn rank(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let wanted = a.decimal(1)?;
    let ascending = match a.opt_text(2)? {
        None => false,
        Some(order) if order.eq_ignore_ascii_case("asc") => true,
        Some(order) if order.eq_ignore_ascii_case("desc") => false,
        Some(order) => {
            return Err((a.error(format!(
                "the order must be \"asc\" or \"desc\", got \"{order}\""
            ))).into())
        }
    };
    let mut values: Vec<Decimal> = numbers(&a)?.iter().map(decimal_of).collect();
    values.sort();
    if !ascending {
        values.reverse();
    }
    Ok(values
        .iter()
        .position(|v| *v == wanted)
        .map(|i| Value::Number(i as i64 + 1))
        .ok_or_else(|| a.error(format!("{wanted} is not among the values")))?)
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;
    use crate::eval::value::Collection;
    use crate::stdlib::testing::{call, shown};

    fn t(s: &str) -> Value {
        Value::text(s)
    }

    fn n(v: i64) -> Value {
        Value::Number(v)
    }

    fn d(s: &str) -> Value {
        Value::Decimal(Decimal::from_str(s).unwrap().into())
    }

    fn list(items: Vec<Value>) -> Value {
        Value::list_from(items)
    }

    fn collection(items: Vec<Value>) -> Value {
        Value::Collection(Collection::from_data(CollectionData::List(items)))
    }

    #[test]
    fn documented_examples() {
        assert_eq!(shown(largest, &[list(vec![n(1), n(5), n(2), n(3)])]), "5");
        let marks = collection(vec![n(300), n(455), n(124), n(926), n(780)]);
        assert_eq!(shown(nth_largest, &[marks, n(5)]), "124");
    }

    #[test]
    fn sums_means_medians() {
        let l = list(vec![n(3), n(1), n(4), n(1), n(5)]);
        assert_eq!(shown(sum, std::slice::from_ref(&l)), "14");
        assert_eq!(shown(average, std::slice::from_ref(&l)), "2.8");
        assert_eq!(shown(median, std::slice::from_ref(&l)), "3");
        assert_eq!(shown(median, &[list(vec![n(1), n(2)])]), "1.5");
        assert_eq!(shown(median, &[list(vec![n(1), n(3)])]), "2");
        assert_eq!(
            shown(average, &[list(vec![n(1), n(2), n(2)])]),
            "1.6666666666666667"
        );
        assert_eq!(shown(sum, &[list(vec![n(1), d("0.5")])]), "1.5");
        assert_eq!(shown(sum, &[list(vec![t("2"), n(3)])]), "5");
        assert_eq!(shown(sum, &[list(vec![])]), "0");
        assert!(call(average, &[list(vec![])]).unwrap().is_null());
        assert!(call(median, &[list(vec![])]).unwrap().is_null());
        assert!(call(sum, &[list(vec![n(i64::MAX), n(1)])])
            .unwrap_err()
            .contains("too large"));
        assert_eq!(
            call(average, &[list(vec![n(1), t("x")])]).unwrap_err(),
            "average: the LIST holds a TEXT (x); only numbers can be used"
        );
    }

    #[test]
    fn ordering_functions() {
        let l = list(vec![n(3), n(1), n(4), n(1), n(5)]);
        assert_eq!(shown(largest, std::slice::from_ref(&l)), "5");
        assert_eq!(shown(smallest, std::slice::from_ref(&l)), "1");
        assert_eq!(shown(nth_largest, &[l.clone(), n(2)]), "4");
        assert_eq!(shown(nth_smallest, &[l.clone(), n(2)]), "1");
        assert_eq!(shown(largest, &[list(vec![t("9"), t("10")])]), "10");
        assert_eq!(shown(largest, &[list(vec![t("b"), t("a")])]), "b");
        assert!(call(largest, &[list(vec![])]).unwrap().is_null());
        assert_eq!(
            call(nth_largest, &[l, n(6)]).unwrap_err(),
            "nthLargest: n must be from 1 to 5 (the size), got 6"
        );
        assert_eq!(
            call(largest, &[list(vec![n(1), t("x")])]).unwrap_err(),
            "largest: the values cannot be compared with each other (e.g. numbers and words)"
        );
    }

    #[test]
    fn rank_orders_descending_by_default() {
        let marks = list(vec![n(100), n(300), d("80.5"), n(500), n(400)]);
        assert_eq!(shown(rank, &[marks.clone(), n(300)]), "3");
        assert_eq!(shown(rank, &[marks.clone(), d("80.5"), t("asc")]), "1");
        assert_eq!(
            call(rank, &[marks.clone(), n(7)]).unwrap_err(),
            "rank: 7 is not among the values"
        );
        assert_eq!(
            call(rank, &[marks, n(7), t("up")]).unwrap_err(),
            "rank: the order must be \"asc\" or \"desc\", got \"up\""
        );
    }
}
