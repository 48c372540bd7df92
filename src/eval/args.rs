//! The arguments of a native call, with uniform type-error messages, and the size checks
//! natives share. Argument extraction shared by every built-in, with uniform type-error messages.
//!
//! A native receives `args` with the receiver (if any) at index 0. [`Args`] wraps them together
//! with the function's name and the argument types it expects, so that any mismatch produces the
//! same message everywhere:
//!
//! ```text
//! subString expects (NUMBER[, NUMBER]) but got (TEXT)
//! ```
//!
//! The "got" list shows the arguments after the receiver for methods ([`Args::method`]) and all
//! arguments for plain functions ([`Args::function`]). Index parameters of the accessors always
//! count from the start of `args`, receiver included.

use std::borrow::Cow;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::eval::builtin::{Builtin, Receiver};
use crate::eval::context::NativeCtx;
use crate::eval::render::display;
use crate::eval::value::{Collection, DateTime, List, Map, Value};

/// The arguments of one call, with what the built-in expects, for error messages.
#[derive(Clone, Copy)]
pub struct Args<'a> {
    name: &'a str,
    expects: &'a str,
    values: &'a [Value],
    first_shown: usize,
}

impl<'a> Args<'a> {
    /// The arguments of a call to `builtin`: its table entry supplies the name messages use
    /// (an alias's own spelling) and the parameter types they list.
    pub fn of(builtin: &'a Builtin, values: &'a [Value]) -> Args<'a> {
        Args {
            name: builtin.name,
            expects: builtin.params,
            values,
            first_shown: usize::from(builtin.receiver != Receiver::None),
        }
    }

    /// Arguments of a method: `values[0]` is the receiver, `expects` describes the rest,
    /// e.g. `"NUMBER[, NUMBER]"`.
    pub fn method(name: &'a str, expects: &'a str, values: &'a [Value]) -> Args<'a> {
        Args {
            name,
            expects,
            values,
            first_shown: 1,
        }
    }

    /// Arguments of a plain function (no receiver); `expects` describes them all.
    pub fn function(name: &'a str, expects: &'a str, values: &'a [Value]) -> Args<'a> {
        Args {
            name,
            expects,
            values,
            first_shown: 0,
        }
    }

    /// The built-in's name, for messages.
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// All values, receiver included.
    pub fn values(&self) -> &'a [Value] {
        self.values
    }

    /// Number of values, receiver included.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when there are no values at all.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The value at `i`, or `null` when absent.
    pub fn get(&self, i: usize) -> &'a Value {
        const NULL: &Value = &Value::Null;
        self.values.get(i).unwrap_or(NULL)
    }

    /// True when argument `i` was given.
    pub fn has(&self, i: usize) -> bool {
        i < self.values.len()
    }

    /// The standard type-mismatch message: `name expects (T1, T2) but got (U1, U2)`.
    pub fn mismatch(&self) -> String {
        let got: Vec<&str> = self
            .values
            .iter()
            .skip(self.first_shown)
            .map(|v| v.value_type().name())
            .collect();
        format!(
            "{} expects ({}) but got ({})",
            self.name,
            parameter_types(self.expects),
            got.join(", ")
        )
    }

    /// A message prefixed with the built-in's name: `name: detail`.
    pub fn error(&self, detail: impl std::fmt::Display) -> String {
        format!("{}: {}", self.name, detail)
    }

    /// TEXT at `i`.
    pub fn text(&self, i: usize) -> Result<&'a str, String> {
        match self.values.get(i) {
            Some(Value::Text(t)) => Ok(t.as_str()),
            _ => Err(self.mismatch()),
        }
    }

    /// TEXT at `i`, or the printed form of a NUMBER, DECIMAL or BOOLEAN there
    /// (`"a1".contains(1)` searches for `"1"`).
    pub fn text_like(&self, i: usize) -> Result<Cow<'a, str>, String> {
        match self.values.get(i) {
            Some(Value::Text(t)) => Ok(Cow::Borrowed(t.as_str())),
            Some(v @ (Value::Number(_) | Value::Decimal(_) | Value::Bool(_))) => {
                Ok(Cow::Owned(display(v)))
            }
            _ => Err(self.mismatch()),
        }
    }

    /// TEXT at `i`, or `None` when the argument is absent.
    pub fn opt_text(&self, i: usize) -> Result<Option<&'a str>, String> {
        if self.has(i) {
            self.text(i).map(Some)
        } else {
            Ok(None)
        }
    }

    /// A whole number at `i`: NUMBER, or a DECIMAL without fraction.
    pub fn int(&self, i: usize) -> Result<i64, String> {
        match self.values.get(i) {
            Some(v) => as_int(v).ok_or_else(|| self.mismatch()),
            None => Err(self.mismatch()),
        }
    }

    /// A whole number at `i`, or `None` when absent.
    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, String> {
        if self.has(i) {
            self.int(i).map(Some)
        } else {
            Ok(None)
        }
    }

    /// A NUMBER or DECIMAL at `i`, as an exact decimal.
    pub fn decimal(&self, i: usize) -> Result<Decimal, String> {
        match self.values.get(i) {
            Some(Value::Number(n)) => Ok(Decimal::from(*n)),
            Some(Value::Decimal(d)) => Ok(**d),
            _ => Err(self.mismatch()),
        }
    }

    /// BOOLEAN at `i`.
    pub fn boolean(&self, i: usize) -> Result<bool, String> {
        match self.values.get(i) {
            Some(Value::Bool(b)) => Ok(*b),
            _ => Err(self.mismatch()),
        }
    }

    /// BOOLEAN at `i`, or `default` when absent.
    pub fn bool_or(&self, i: usize, default: bool) -> Result<bool, String> {
        if self.has(i) {
            self.boolean(i)
        } else {
            Ok(default)
        }
    }

    /// DATE-TIME at `i`.
    pub fn datetime(&self, i: usize) -> Result<&'a DateTime, String> {
        match self.values.get(i) {
            Some(Value::DateTime(d)) => Ok(d),
            _ => Err(self.mismatch()),
        }
    }

    /// LIST at `i`.
    pub fn list(&self, i: usize) -> Result<&'a List, String> {
        match self.values.get(i) {
            Some(Value::List(l)) => Ok(l),
            _ => Err(self.mismatch()),
        }
    }

    /// KEY-VALUE at `i`.
    pub fn map(&self, i: usize) -> Result<&'a Map, String> {
        match self.values.get(i) {
            Some(Value::Map(m)) => Ok(m),
            _ => Err(self.mismatch()),
        }
    }

    /// COLLECTION at `i`.
    pub fn collection(&self, i: usize) -> Result<&'a Collection, String> {
        match self.values.get(i) {
            Some(Value::Collection(c)) => Ok(c),
            _ => Err(self.mismatch()),
        }
    }
}

/// The types of a parameter list, as messages show them: `(start: NUMBER[, end: NUMBER])`
/// becomes `NUMBER[, NUMBER]`; a list already without names and parentheses stays as it is.
pub(crate) fn parameter_types(params: &str) -> String {
    let inner = params
        .strip_prefix('(')
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or(params);
    let mut types = String::with_capacity(inner.len());
    let mut word = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if c == ':' && chars.peek() == Some(&' ') {
            chars.next();
            word.clear();
            continue;
        }
        types.push_str(&word);
        word.clear();
        types.push(c);
    }
    types.push_str(&word);
    types
}

/// A whole number: NUMBER, or a DECIMAL without fraction that fits in 64 bits.
pub fn as_int(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => Some(*n),
        Value::Decimal(d) if d.fract().is_zero() => d.to_i64(),
        _ => None,
    }
}

/// Fails with a clear message when a TEXT of `bytes` bytes would exceed the configured limit.
pub fn check_text_len(ctx: &NativeCtx<'_>, name: &str, bytes: usize) -> Result<(), String> {
    let max = ctx.env.limits.max_text_bytes;
    if bytes > max {
        Err(format!(
            "{name}: the result would be {bytes} bytes of text, over the limit of {max} bytes"
        ))
    } else {
        Ok(())
    }
}

/// Fails with a clear message when a LIST, MAP or COLLECTION of `len` entries would exceed the
/// configured limit.
pub fn check_collection_len(ctx: &NativeCtx<'_>, name: &str, len: usize) -> Result<(), String> {
    let max = ctx.env.limits.max_collection_len;
    if len > max {
        Err(format!(
            "{name}: the result would have {len} entries, over the limit of {max} entries"
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::env::RunEnv;

    #[test]
    fn mismatch_lists_expected_and_actual_types_after_receiver() {
        let values = [Value::text("abc"), Value::text("x")];
        let args = Args::method("subString", "NUMBER[, NUMBER]", &values);
        assert_eq!(
            args.int(1).unwrap_err(),
            "subString expects (NUMBER[, NUMBER]) but got (TEXT)"
        );
    }

    #[test]
    fn function_mismatch_lists_all_arguments() {
        let values = [Value::Null, Value::Number(1)];
        let args = Args::function("power", "NUMBER, NUMBER", &values);
        assert_eq!(
            args.decimal(0).unwrap_err(),
            "power expects (NUMBER, NUMBER) but got (NULL, NUMBER)"
        );
    }

    #[test]
    fn parameter_types_drop_names_and_parentheses() {
        assert_eq!(parameter_types("(start: NUMBER[, end: NUMBER])"), "NUMBER[, NUMBER]");
        assert_eq!(parameter_types("([pattern: TEXT[, timeZone: TEXT]])"), "[TEXT[, TEXT]]");
        assert_eq!(parameter_types("()"), "");
        assert_eq!(parameter_types("TEXT, TEXT[, TEXT]"), "TEXT, TEXT[, TEXT]");
    }

    #[test]
    fn int_accepts_whole_decimals_only() {
        assert_eq!(as_int(&Value::decimal(Decimal::new(30, 1))), Some(3));
        assert_eq!(as_int(&Value::decimal(Decimal::new(35, 1))), None);
        assert_eq!(as_int(&Value::text("3")), None);
    }

    #[test]
    fn limits_give_clear_messages() {
        let mut env = RunEnv::default();
        env.limits.max_text_bytes = 10;
        env.limits.max_collection_len = 2;
        let ctx = NativeCtx::new(&env);
        assert!(check_text_len(&ctx, "repeat", 10).is_ok());
        assert_eq!(
            check_text_len(&ctx, "repeat", 11).unwrap_err(),
            "repeat: the result would be 11 bytes of text, over the limit of 10 bytes"
        );
        assert_eq!(
            check_collection_len(&ctx, "addAll", 3).unwrap_err(),
            "addAll: the result would have 3 entries, over the limit of 2 entries"
        );
    }
}
