//! Number functions (language.md §6.4) on NUMBER (64-bit integer) and DECIMAL (exact decimal).
//!
//! NUMBER arithmetic never wraps: an overflow is an error. Results that are irrational
//! (`sqrt`, `log`, `exp`, fractional `power`) are rounded to 16 fractional digits with trailing
//! zeros removed, like a non-terminating division (decisions.md).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, MathematicalOps, RoundingStrategy};

use crate::eval::context::NativeCtx;
use crate::eval::value::{Value, ValueType};

use crate::eval::args::{as_int, Args};
use super::registry::{Builtin, NativeResult, Receiver};

/// Fractional digits kept for irrational results.
const IRRATIONAL_DIGITS: u32 = 16;

/// Expands each row into two entries, one for NUMBER and one for DECIMAL receivers.
macro_rules! numeric_table {
    ($( ($name:literal, $params:literal, $returns:literal, ($min:literal, $max:literal), $func:path, $summary:literal) ),* $(,)?) => {
        &[ $(
            Builtin { name: $name, receiver: Receiver::Type(ValueType::Number), params: $params, returns: $returns, arity: ($min, $max), summary: $summary, func: $func },
            Builtin { name: $name, receiver: Receiver::Type(ValueType::Decimal), params: $params, returns: $returns, arity: ($min, $max), summary: $summary, func: $func },
        )* ]
    };
}

/// Number built-ins for NUMBER and DECIMAL receivers.
pub static BUILTINS: &[Builtin] = numeric_table![
    (
        "abs",
        "()",
        "NUMBER or DECIMAL",
        (0, 0),
        abs,
        "The absolute value."
    ),
    (
        "ceil",
        "()",
        "NUMBER",
        (0, 0),
        ceil,
        "The smallest whole number not below the value."
    ),
    (
        "floor",
        "()",
        "NUMBER",
        (0, 0),
        floor,
        "The largest whole number not above the value."
    ),
    (
        "round",
        "([places: NUMBER])",
        "NUMBER or DECIMAL",
        (0, 1),
        round,
        "Rounds half away from zero to `places` fractional digits (default 0)."
    ),
    (
        "power",
        "(exponent: NUMBER)",
        "DECIMAL",
        (1, 1),
        power,
        "The value raised to `exponent`."
    ),
    ("sqrt", "()", "DECIMAL", (0, 0), sqrt, "The square root."),
    (
        "exp",
        "()",
        "DECIMAL",
        (0, 0),
        exp,
        "e raised to the value."
    ),
    (
        "log",
        "()",
        "DECIMAL",
        (0, 0),
        log,
        "The natural logarithm."
    ),
    (
        "log10",
        "()",
        "DECIMAL",
        (0, 0),
        log10,
        "The base-10 logarithm."
    ),
    (
        "min",
        "(other: NUMBER)",
        "NUMBER or DECIMAL",
        (1, 1),
        min,
        "The smaller of the two numbers."
    ),
    (
        "max",
        "(other: NUMBER)",
        "NUMBER or DECIMAL",
        (1, 1),
        max,
        "The larger of the two numbers."
    ),
    (
        "toHex",
        "()",
        "TEXT",
        (0, 0),
        to_hex,
        "The whole number in lower-case hexadecimal."
    ),
    (
        "isEven",
        "()",
        "BOOLEAN",
        (0, 0),
        is_even,
        "True for an even whole number."
    ),
    (
        "isOdd",
        "()",
        "BOOLEAN",
        (0, 0),
        is_odd,
        "True for an odd whole number."
    ),
];

/// Plain number functions.
pub static FUNCTIONS: &[Builtin] = &[Builtin {
    name: "randomNumber",
    receiver: Receiver::None,
    params: "(start: NUMBER, end: NUMBER)",
    returns: "NUMBER",
    arity: (2, 2),
    summary: "A random whole number from `start` to `end`, both included.",
    func: random_number,
}];

/// An irrational result, rounded to [`IRRATIONAL_DIGITS`] with trailing zeros removed.
fn tidy(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(IRRATIONAL_DIGITS, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

fn abs(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    match a.get(0) {
        Value::Number(n) => Ok(n.checked_abs().map(Value::Number).ok_or_else(|| {
            a.error(format!(
                "the absolute value of {n} does not fit in a NUMBER"
            ))
        })?),
        Value::Decimal(d) => Ok(Value::Decimal(d.abs().into())),
        _ => Err(a.mismatch().into()),
    }
}

/// A whole DECIMAL as a NUMBER, or an overflow error.
fn whole_to_number(a: &Args<'_>, d: Decimal) -> NativeResult {
    Ok(d.to_i64()
        .map(Value::Number)
        .ok_or_else(|| a.error(format!("{d} is too large for a NUMBER")))?)
}

fn ceil(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    match a.get(0) {
        Value::Number(n) => Ok(Value::Number(*n)),
        Value::Decimal(d) => whole_to_number(&a, d.ceil()),
        _ => Err(a.mismatch().into()),
    }
}

fn floor(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    match a.get(0) {
        Value::Number(n) => Ok(Value::Number(*n)),
        Value::Decimal(d) => whole_to_number(&a, d.floor()),
        _ => Err(a.mismatch().into()),
    }
}

fn round(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let places = a.opt_int(1)?.unwrap_or(0);
    let value = a.decimal(0)?;
    let rounded = round_half_up(value, places)
        .ok_or_else(|| a.error(format!("rounding {value} to {places} places overflows")))?;
    match a.get(0) {
        Value::Number(_) => whole_to_number(&a, rounded),
        _ => Ok(Value::decimal(rounded)),
    }
}

/// Rounds half away from zero to `places` fractional digits; negative places round to tens,
/// hundreds, ...
fn round_half_up(value: Decimal, places: i64) -> Option<Decimal> {
    let strategy = RoundingStrategy::MidpointAwayFromZero;
    if places >= 0 {
        let places = u32::try_from(places.min(28)).ok()?;
        return Some(value.round_dp_with_strategy(places, strategy));
    }
    let shift = i64::try_from(places.unsigned_abs().min(29)).ok()?;
    let scale = Decimal::TEN.checked_powi(shift)?;
    let rounded = value
        .checked_div(scale)?
        .round_dp_with_strategy(0, strategy);
    rounded.checked_mul(scale)
}

fn power(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let base = a.decimal(0)?;
    let exponent = a.decimal(1)?;
    let overflow = || a.error(format!("{base} to the power {exponent} is out of range"));
    let result = match as_int(a.get(1)) {
        Some(e) if e >= 0 => base.checked_powi(e).ok_or_else(overflow)?,
        Some(e) => tidy(base.checked_powi(e).ok_or_else(overflow)?),
        None if base.is_sign_negative() => {
            return Err((a.error(format!(
                "a negative number ({base}) cannot be raised to a fractional power ({exponent})"
            ))).into())
        }
        None => tidy(base.checked_powd(exponent).ok_or_else(overflow)?),
    };
    Ok(Value::decimal(result))
}

fn sqrt(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let value = a.decimal(0)?;
    Ok(value
        .sqrt()
        .map(|r| Value::Decimal(tidy(r).into()))
        .ok_or_else(|| {
            a.error(format!(
                "the square root of a negative number ({value}) is not defined"
            ))
        })?)
}

fn exp(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let value = a.decimal(0)?;
    Ok(value
        .checked_exp()
        .map(|r| Value::Decimal(tidy(r).into()))
        .ok_or_else(|| a.error(format!("e to the power {value} is out of range")))?)
}

fn logarithm(
    a: Args<'_>,
    f: fn(&Decimal,
) -> Option<Decimal>,
) -> NativeResult {
    let value = a.decimal(0)?;
    if value <= Decimal::ZERO {
        return Err((a.error(format!(
            "the logarithm of {value} is not defined; the number must be positive"
        ))).into());
    }
    Ok(f(&value)
        .map(|r| Value::Decimal(tidy(r).into()))
        .ok_or_else(|| a.error(format!("the logarithm of {value} could not be computed")))?)
}

fn log(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    logarithm(a, Decimal::checked_ln)
}

fn log10(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    logarithm(a, Decimal::checked_log10)
}

fn pick(a: Args<'_>, want_larger: bool) -> NativeResult {
    let args = a.values();
    let x = a.decimal(0)?;
    let y = a.decimal(1)?;
    let first = if want_larger { x >= y } else { x <= y };
    Ok(if first {
        args[0].clone()
    } else {
        args[1].clone()
    })
}

fn min(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    pick(a, false)
}

fn max(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    pick(a, true)
}

/// The receiver as a whole number, or an error naming the function.
fn whole(a: Args<'_>) -> Result<i64, String> {
    as_int(a.get(0)).ok_or_else(|| {
        a.error(format!(
            "{} is not a whole number",
            crate::eval::render::display(a.get(0))
        ))
    })
}

fn to_hex(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    Ok(Value::text(format!("{:x}", whole(a)?)))
}

fn is_even(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    Ok(Value::Bool(whole(a)? % 2 == 0))
}

fn is_odd(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    Ok(Value::Bool(whole(a)? % 2 != 0))
}

fn random_number(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let start = a.int(0)?;
    let end = a.int(1)?;
    if end < start {
        return Err((a.error(format!("the end {end} is below the start {start}"))).into());
    }
    let span = (i128::from(end) - i128::from(start) + 1) as u128;
    let offset = u128::from(ctx.env.random.next_u64()) % span;
    let value = i128::from(start) + offset as i128;
    Ok(Value::Number(value as i64))
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;
    use std::sync::Arc;

    use super::*;
    use crate::eval::env::SeededRandom;
    use crate::eval::render::display;
    use crate::stdlib::testing::{self, call, shown};

    fn d(s: &str) -> Value {
        Value::Decimal(Decimal::from_str(s).unwrap().into())
    }

    fn n(v: i64) -> Value {
        Value::Number(v)
    }

    #[test]
    fn abs_keeps_type_and_checks_overflow() {
        assert_eq!(shown(abs, &[n(-5)]), "5");
        assert_eq!(shown(abs, &[d("-2.50")]), "2.50");
        assert_eq!(
            call(abs, &[n(i64::MIN)]).unwrap_err(),
            "abs: the absolute value of -9223372036854775808 does not fit in a NUMBER"
        );
    }

    #[test]
    fn ceil_and_floor_give_numbers() {
        assert_eq!(shown(ceil, &[d("3.2")]), "4");
        assert_eq!(shown(floor, &[d("3.8")]), "3");
        assert_eq!(shown(ceil, &[d("-3.8")]), "-3");
        assert_eq!(shown(floor, &[d("-3.2")]), "-4");
        assert!(matches!(call(ceil, &[d("3.2")]).unwrap(), Value::Number(4)));
        assert_eq!(shown(floor, &[n(7)]), "7");
    }

    #[test]
    fn round_half_up_to_places() {
        assert_eq!(shown(round, &[d("2.345"), n(2)]), "2.35");
        assert_eq!(shown(round, &[d("2.5")]), "3");
        assert_eq!(shown(round, &[d("-2.5")]), "-3");
        assert_eq!(shown(round, &[d("1.005"), n(2)]), "1.01");
        assert_eq!(shown(round, &[d("1234.5"), n(-2)]), "1200");
        assert_eq!(shown(round, &[n(1234), n(-2)]), "1200");
        assert_eq!(shown(round, &[n(7), n(2)]), "7");
        assert!(call(round, &[n(7), n(i64::MIN)])
            .unwrap_err()
            .contains("overflows"));
        assert_eq!(
            call(round, &[d("1.5"), Value::text("2")]).unwrap_err(),
            "round expects ([NUMBER]) but got (TEXT)"
        );
    }

    #[test]
    fn power_sqrt_exp_logs() {
        assert_eq!(shown(power, &[n(2), n(10)]), "1024");
        assert_eq!(shown(power, &[d("1.5"), n(2)]), "2.25");
        assert_eq!(shown(power, &[n(2), n(-1)]), "0.5");
        assert_eq!(shown(power, &[n(4), d("0.5")]), "2");
        assert_eq!(shown(sqrt, &[n(16)]), "4");
        assert_eq!(shown(sqrt, &[n(2)]), "1.414213562373095");
        assert_eq!(shown(exp, &[n(0)]), "1");
        assert_eq!(shown(log, &[n(1)]), "0");
        assert_eq!(shown(log10, &[n(1000)]), "3");
        assert_eq!(
            call(sqrt, &[n(-4)]).unwrap_err(),
            "sqrt: the square root of a negative number (-4) is not defined"
        );
        assert_eq!(
            call(log, &[n(0)]).unwrap_err(),
            "log: the logarithm of 0 is not defined; the number must be positive"
        );
        assert!(call(power, &[n(10), n(100)])
            .unwrap_err()
            .starts_with("power: 10 to the power 100 is out of range"));
        assert!(call(power, &[n(-8), d("0.5")])
            .unwrap_err()
            .contains("fractional power"));
    }

    #[test]
    fn min_max_keep_the_winner() {
        assert_eq!(shown(min, &[n(3), d("2.5")]), "2.5");
        assert_eq!(shown(max, &[n(3), d("2.5")]), "3");
        assert_eq!(
            call(max, &[n(3), Value::text("4")]).unwrap_err(),
            "max expects (NUMBER) but got (TEXT)"
        );
    }

    #[test]
    fn hex_even_odd() {
        assert_eq!(shown(to_hex, &[n(255)]), "ff");
        assert_eq!(shown(is_even, &[n(4)]), "true");
        assert_eq!(shown(is_odd, &[n(4)]), "false");
        assert_eq!(shown(is_odd, &[n(-3)]), "true");
        assert_eq!(
            call(is_even, &[d("2.5")]).unwrap_err(),
            "isEven: 2.5 is not a whole number"
        );
    }

    #[test]
    fn random_number_is_seedable_and_in_range() {
        let mut env = testing::env();
        env.random = Arc::new(SeededRandom::new(7));
        let mut ctx = NativeCtx::new(&env);
        let first: Vec<String> = (0..5)
            .map(|_| display(&crate::stdlib::testing::call_in(&mut ctx, random_number, &[n(1), n(6)]).unwrap()))
            .collect();
        env.random = Arc::new(SeededRandom::new(7));
        let mut ctx = NativeCtx::new(&env);
        let second: Vec<String> = (0..5)
            .map(|_| display(&crate::stdlib::testing::call_in(&mut ctx, random_number, &[n(1), n(6)]).unwrap()))
            .collect();
        assert_eq!(first, second);
        for _ in 0..100 {
            let Value::Number(v) = crate::stdlib::testing::call_in(&mut ctx, random_number, &[n(-2), n(2)]).unwrap() else {
                panic!()
            };
            assert!((-2..=2).contains(&v));
        }
        assert!(crate::stdlib::testing::call_in(&mut ctx, random_number, &[n(i64::MIN), n(i64::MAX)]).is_ok());
        assert_eq!(
            crate::stdlib::testing::call_in(&mut ctx, random_number, &[n(5), n(1)]).unwrap_err().to_string(),
            "randomNumber: the end 1 is below the start 5"
        );
    }
}
