//! The operators, exactly as decisions.md fixes them.
//!
//! - NUMBER is i64: overflow is an error, `/` truncates toward zero, `%` takes the dividend's
//!   sign, division or modulo by zero is an error.
//! - DECIMAL is exact; a division that does not terminate is rounded to 16 fractional digits
//!   with trailing zeros removed. NUMBER op DECIMAL gives DECIMAL.
//! - TEXT + anything (either side) concatenates printed forms.
//! - `<`, `<=`, `>`, `>=` compare NUMBER/DECIMAL and DATE-TIME; `==`/`!=` compare anything.
//! - `in` / `not in`: list membership, map key, text contains.
//!
//! Every function returns the error message without a location; the interpreter adds it.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::eval::date_ops::date_arithmetic;
use crate::eval::ir::BinOp;
use crate::eval::render::{
    display, try_display, try_write_display, TooLarge, DEFAULT_RENDER_BUDGET,
};
use crate::eval::value::{CollectionData, Value};

/// Fractional digits kept by a DECIMAL division that does not terminate.
pub const DIVISION_SCALE: u32 = 16;

/// Arithmetic and comparison result: a value or an error message.
pub type OpResult = Result<Value, String>;

/// Applies a binary operator other than `&&`/`||` (those short-circuit in the interpreter).
pub fn binary(op: BinOp, lhs: &Value, rhs: &Value) -> OpResult {
    match op {
        BinOp::Add => add(lhs, rhs),
        BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem => arithmetic(op, lhs, rhs),
        BinOp::Eq => Ok(Value::Bool(equals(lhs, rhs))),
        BinOp::Ne => Ok(Value::Bool(!equals(lhs, rhs))),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => compare(op, lhs, rhs),
        BinOp::In => contains(lhs, rhs).map(Value::Bool),
        BinOp::NotIn => contains(lhs, rhs).map(|found| Value::Bool(!found)),
        BinOp::And | BinOp::Or => logical(op, lhs, rhs),
    }
}

/// `a + b`: numbers add, TEXT on either side concatenates printed forms.
pub fn add(lhs: &Value, rhs: &Value) -> OpResult {
    add_within(lhs, rhs, DEFAULT_RENDER_BUDGET)
}

/// `a + b`, failing when the printed form of a non-TEXT operand is over `max_text` bytes.
pub fn add_within(lhs: &Value, rhs: &Value, max_text: usize) -> OpResult {
    match (lhs, rhs) {
        (Value::Number(a), Value::Number(b)) => a
            .checked_add(*b)
            .map(Value::Number)
            .ok_or_else(|| overflow("+", *a, *b)),
        (Value::Text(a), other) => {
            let mut out = String::with_capacity(a.len() + 16);
            out.push_str(a);
            try_write_display(&mut out, other, max_text).map_err(too_large)?;
            Ok(Value::text(out))
        }
        (other, Value::Text(b)) => {
            let mut out = try_display(other, max_text).map_err(too_large)?;
            out.push_str(b);
            Ok(Value::text(out))
        }
        _ => arithmetic(BinOp::Add, lhs, rhs),
    }
}

/// The message for a concatenation whose printed operand is too large.
fn too_large(error: TooLarge) -> String {
    format!("{error}; {}", TooLarge::HELP)
}

/// `-`, `*`, `/`, `%` (and `+` on numbers).
pub fn arithmetic(op: BinOp, lhs: &Value, rhs: &Value) -> OpResult {
    match (lhs, rhs) {
        (Value::Number(a), Value::Number(b)) => number_op(op, *a, *b),
        (Value::Decimal(a), Value::Decimal(b)) => decimal_op(op, **a, **b),
        (Value::Number(a), Value::Decimal(b)) => decimal_op(op, Decimal::from(*a), **b),
        (Value::Decimal(a), Value::Number(b)) => decimal_op(op, **a, Decimal::from(*b)),
        _ => date_arithmetic(op, lhs, rhs).unwrap_or_else(|| Err(type_mismatch(op, lhs, rhs))),
    }
}

/// NUMBER op NUMBER with overflow and division checks.
pub fn number_op(op: BinOp, a: i64, b: i64) -> OpResult {
    let result = match op {
        BinOp::Add => a.checked_add(b),
        BinOp::Sub => a.checked_sub(b),
        BinOp::Mul => a.checked_mul(b),
        BinOp::Div | BinOp::Rem if b == 0 => return Err(division_by_zero(op)),
        BinOp::Div => a.checked_div(b),
        BinOp::Rem => a.checked_rem(b),
        _ => None,
    };
    result
        .map(Value::Number)
        .ok_or_else(|| overflow(op.symbol(), a, b))
}

/// DECIMAL op DECIMAL, exact; non-terminating division rounds to [`DIVISION_SCALE`] digits.
pub fn decimal_op(op: BinOp, a: Decimal, b: Decimal) -> OpResult {
    let result = match op {
        BinOp::Add => a.checked_add(b),
        BinOp::Sub => a.checked_sub(b),
        BinOp::Mul => a.checked_mul(b),
        BinOp::Div | BinOp::Rem if b.is_zero() => return Err(division_by_zero(op)),
        BinOp::Div => a.checked_div(b).map(round_quotient),
        BinOp::Rem => a.checked_rem(b),
        _ => None,
    };
    result.map(Value::decimal).ok_or_else(|| {
        format!(
            "the DECIMAL result of {a} {} {b} is too large to represent",
            op.symbol()
        )
    })
}

fn round_quotient(q: Decimal) -> Decimal {
    if q.scale() > DIVISION_SCALE {
        q.round_dp(DIVISION_SCALE).normalize()
    } else {
        q
    }
}

/// `-x`
pub fn negate(value: &Value) -> OpResult {
    match value {
        Value::Number(n) => n
            .checked_neg()
            .map(Value::Number)
            .ok_or_else(|| format!("-({n}) does not fit in a NUMBER (64-bit)")),
        Value::Decimal(d) => Ok(Value::decimal(-**d)),
        other => Err(format!(
            "unary `-` needs a NUMBER or DECIMAL, but got {}",
            describe(other)
        )),
    }
}

/// `!x`
pub fn not(value: &Value) -> OpResult {
    match value {
        Value::Bool(b) => Ok(Value::Bool(!b)),
        other => Err(format!("`!` needs a BOOLEAN, but got {}", describe(other))),
    }
}

/// `==`: scalars by value (`1 == 1.0`), lists and maps element by element.
pub fn equals(lhs: &Value, rhs: &Value) -> bool {
    equals_at(lhs, rhs, 0)
}

fn equals_at(lhs: &Value, rhs: &Value, depth: usize) -> bool {
    if depth > crate::eval::render::MAX_RENDER_DEPTH {
        return false;
    }
    match (lhs, rhs) {
        (Value::List(a), Value::List(b)) => {
            if a.same(b) {
                return true;
            }
            let (a, b) = (a.borrow(), b.borrow());
            a.len() == b.len()
                && a.iter()
                    .zip(b.iter())
                    .all(|(x, y)| equals_at(x, y, depth + 1))
        }
        (Value::Map(a), Value::Map(b)) => {
            if a.same(b) {
                return true;
            }
            let (a, b) = (a.borrow(), b.borrow());
            a.len() == b.len()
                && a.iter()
                    .all(|(k, v)| b.get(k).is_some_and(|w| equals_at(v, w, depth + 1)))
        }
        _ => lhs == rhs,
    }
}

/// `<`, `<=`, `>`, `>=` on NUMBER/DECIMAL and DATE-TIME.
pub fn compare(op: BinOp, lhs: &Value, rhs: &Value) -> OpResult {
    let ordering = match (lhs, rhs) {
        (Value::Number(a), Value::Number(b)) => a.cmp(b),
        (Value::Decimal(a), Value::Decimal(b)) => a.cmp(b),
        (Value::Number(a), Value::Decimal(b)) => Decimal::from(*a).cmp(b),
        (Value::Decimal(a), Value::Number(b)) => (**a).cmp(&Decimal::from(*b)),
        (Value::DateTime(a), Value::DateTime(b)) => a.civil.cmp(&b.civil),
        _ => return Err(compare_mismatch(op, lhs, rhs)),
    };
    Ok(Value::Bool(ordering_matches(op, ordering)))
}

/// Whether `ordering` satisfies the relational operator `op`.
pub fn ordering_matches(op: BinOp, ordering: Ordering) -> bool {
    match op {
        BinOp::Lt => ordering == Ordering::Less,
        BinOp::Le => ordering != Ordering::Greater,
        BinOp::Gt => ordering == Ordering::Greater,
        BinOp::Ge => ordering != Ordering::Less,
        _ => false,
    }
}

/// `needle in haystack`: list membership, map key, text contains.
pub fn contains(needle: &Value, haystack: &Value) -> Result<bool, String> {
    match haystack {
        Value::List(list) => Ok(list.borrow().iter().any(|v| equals(v, needle))),
        Value::Map(map) => Ok(map.borrow().contains_key(needle)),
        Value::Collection(c) => Ok(match &*c.borrow() {
            CollectionData::Empty => false,
            CollectionData::List(items) => items.iter().any(|v| equals(v, needle)),
            CollectionData::Map(entries) => entries.contains_key(needle),
        }),
        Value::Text(text) => Ok(match needle {
            Value::Text(n) => text.contains(n.as_str()),
            other => text.contains(display(other).as_str()),
        }),
        other => Err(format!(
            "`in` needs a LIST, KEY-VALUE, COLLECTION or TEXT on its right, but got {}",
            describe(other)
        )),
    }
}

fn logical(op: BinOp, lhs: &Value, rhs: &Value) -> OpResult {
    match (lhs, rhs) {
        (Value::Bool(a), Value::Bool(b)) => Ok(Value::Bool(if op == BinOp::And {
            *a && *b
        } else {
            *a || *b
        })),
        _ => Err(type_mismatch(op, lhs, rhs)),
    }
}

/// `TYPE value` for messages: `NUMBER 5`, `TEXT "abc"`, `NULL`.
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "NULL".to_owned(),
        Value::Text(t) => {
            let shown: String = t.chars().take(40).collect();
            let more = if t.chars().count() > 40 { "..." } else { "" };
            format!("TEXT \"{shown}{more}\"")
        }
        Value::Number(_) | Value::Decimal(_) | Value::Bool(_) | Value::DateTime(_) => {
            format!("{} {}", value.value_type(), display(value))
        }
        other => other.value_type().name().to_owned(),
    }
}

fn type_mismatch(op: BinOp, lhs: &Value, rhs: &Value) -> String {
    format!(
        "operator `{}` cannot be applied to {} and {}",
        op.symbol(),
        describe(lhs),
        describe(rhs)
    )
}

fn compare_mismatch(op: BinOp, lhs: &Value, rhs: &Value) -> String {
    format!(
        "operator `{}` compares NUMBER, DECIMAL or DATE-TIME values, but got {} and {}",
        op.symbol(),
        describe(lhs),
        describe(rhs)
    )
}

fn overflow(symbol: &str, a: i64, b: i64) -> String {
    format!("{a} {symbol} {b} does not fit in a NUMBER (64-bit); use toDecimal() for larger values")
}

fn division_by_zero(op: BinOp) -> String {
    if op == BinOp::Rem {
        "modulo by zero".to_owned()
    } else {
        "division by zero".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Value {
        Value::decimal(s.parse().unwrap())
    }

    fn shown(result: OpResult) -> String {
        match result {
            Ok(v) => display(&v),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn number_division_truncates_and_remainder_takes_the_dividend_sign() {
        assert_eq!(
            shown(binary(BinOp::Div, &Value::Number(-7), &Value::Number(2))),
            "-3"
        );
        assert_eq!(
            shown(binary(BinOp::Rem, &Value::Number(-7), &Value::Number(3))),
            "-1"
        );
        assert_eq!(
            shown(binary(BinOp::Rem, &Value::Number(7), &Value::Number(-3))),
            "1"
        );
    }

    #[test]
    fn overflow_and_division_by_zero_are_errors() {
        let max = Value::Number(i64::MAX);
        assert!(shown(binary(BinOp::Add, &max, &Value::Number(1))).contains("does not fit"));
        assert!(shown(binary(BinOp::Mul, &max, &Value::Number(2))).contains("does not fit"));
        let min = Value::Number(i64::MIN);
        assert!(shown(binary(BinOp::Div, &min, &Value::Number(-1))).contains("does not fit"));
        assert_eq!(
            shown(binary(BinOp::Div, &Value::Number(1), &Value::Number(0))),
            "error: division by zero"
        );
        assert_eq!(
            shown(binary(BinOp::Rem, &dec("1.5"), &Value::Number(0))),
            "error: modulo by zero"
        );
        assert!(shown(negate(&min)).contains("does not fit"));
    }

    #[test]
    fn decimals_are_exact_and_long_quotients_round_to_16_digits() {
        assert_eq!(shown(add(&dec("0.1"), &dec("0.2"))), "0.3");
        assert_eq!(
            shown(binary(BinOp::Div, &Value::Number(1), &dec("3.0"))),
            "0.3333333333333333"
        );
        assert_eq!(
            shown(binary(BinOp::Div, &dec("2.0"), &Value::Number(3))),
            "0.6666666666666667"
        );
        assert_eq!(
            shown(binary(BinOp::Div, &Value::Number(10), &dec("4.0"))),
            "2.5"
        );
        assert_eq!(
            shown(binary(BinOp::Mul, &dec("1.50"), &Value::Number(2))),
            "3.00"
        );
    }

    #[test]
    fn text_concatenates_printed_forms_on_either_side() {
        assert_eq!(shown(add(&Value::text("a"), &Value::Null)), "anull");
        assert_eq!(shown(add(&Value::Number(1), &Value::text("2"))), "12");
        let list = Value::list_from(vec![Value::Number(1), Value::text("a")]);
        assert_eq!(shown(add(&Value::text("l:"), &list)), "l:1,a");
    }

    #[test]
    fn type_errors_name_both_operands() {
        let message = shown(binary(BinOp::Sub, &Value::text("a"), &Value::Number(1)));
        assert_eq!(
            message,
            "error: operator `-` cannot be applied to TEXT \"a\" and NUMBER 1"
        );
        let message = shown(compare(BinOp::Lt, &Value::text("a"), &Value::text("b")));
        assert!(
            message.contains("compares NUMBER, DECIMAL or DATE-TIME"),
            "{message}"
        );
        assert!(shown(not(&Value::Number(1))).contains("needs a BOOLEAN"));
    }

    #[test]
    fn equality_handles_null_numbers_and_containers() {
        assert!(equals(&Value::Null, &Value::Null));
        assert!(!equals(&Value::text(""), &Value::Null));
        assert!(equals(&Value::Number(1), &dec("1.0")));
        let a = Value::list_from(vec![Value::Number(1)]);
        let b = Value::list_from(vec![Value::Number(1)]);
        assert!(equals(&a, &b));
    }

    #[test]
    fn in_checks_lists_map_keys_and_text() {
        let list = Value::list_from(vec![Value::text("EU")]);
        assert_eq!(contains(&Value::text("EU"), &list), Ok(true));
        assert_eq!(
            contains(&Value::text("ell"), &Value::text("hello")),
            Ok(true)
        );
        assert!(contains(&Value::Number(1), &Value::Number(1)).is_err());
    }
}
