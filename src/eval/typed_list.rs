//! The element types of typed list constructors (`List:String()`, `List:Int({1, "2"})`, ...)
//! and how each converts the elements it is given (language.md §2.2).

use crate::eval::number_text::{parse_decimal, parse_whole_number};
use crate::eval::ops::describe;
use crate::eval::render::display;
use crate::eval::value::Value;

/// The element type after the colon in `List:Type(...)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElemType {
    /// `String`, `Text`: every element becomes its printed text.
    Text,
    /// `Int`, `Bigint`, `Long`, `Number`: whole numbers, written bare or quoted.
    Number,
    /// `Decimal`, `Float`, `Double`: numbers, written bare or quoted.
    Decimal,
    /// `Date`, `DateTime`, `Timestamp`: dates; numbers are epoch milliseconds.
    DateTime,
    /// `Bool`, `Boolean`: `true`/`false`, also as text.
    Bool,
}

/// The spellings accepted after `List:`, for the error on an unknown one.
pub const ELEM_TYPE_NAMES: &str =
    "String, Int, Bigint, Decimal, Float, Date, DateTime, Timestamp, Bool or Boolean";

impl ElemType {
    /// The element type named `name` (any case); `None` when unknown.
    pub fn from_name(name: &str) -> Option<ElemType> {
        let lower = name.to_ascii_lowercase();
        Some(match lower.as_str() {
            "string" | "text" => ElemType::Text,
            "int" | "integer" | "bigint" | "long" | "number" => ElemType::Number,
            "decimal" | "float" | "double" => ElemType::Decimal,
            "date" | "datetime" | "timestamp" => ElemType::DateTime,
            "bool" | "boolean" => ElemType::Bool,
            _ => return None,
        })
    }

    fn constructor(self) -> &'static str {
        match self {
            ElemType::Text => "List:String()",
            ElemType::Number => "List:Int()",
            ElemType::Decimal => "List:Decimal()",
            ElemType::DateTime => "List:Date()",
            ElemType::Bool => "List:Bool()",
        }
    }

    /// `value` as an element of this type; `null` stays `null`.
    pub fn convert(self, value: Value, tz: &jiff::tz::TimeZone) -> Result<Value, String> {
        let converted = match (self, &value) {
            (_, Value::Null) => Some(Value::Null),
            (ElemType::Text, Value::Text(_)) => Some(value.clone()),
            (ElemType::Text, other) => Some(Value::text(display(other))),
            (ElemType::Number, Value::Number(_)) => Some(value.clone()),
            (ElemType::Number, Value::Decimal(d)) if d.fract().is_zero() => {
                rust_decimal::prelude::ToPrimitive::to_i64(&**d).map(Value::Number)
            }
            (ElemType::Number, Value::Text(t)) => parse_whole_number(t).map(Value::Number),
            (ElemType::Decimal, Value::Number(n)) => {
                Some(Value::decimal(rust_decimal::Decimal::from(*n)))
            }
            (ElemType::Decimal, Value::Decimal(_)) => Some(value.clone()),
            (ElemType::Decimal, Value::Text(t)) => parse_decimal(t).map(Value::decimal),
            (ElemType::DateTime, Value::DateTime(_)) => Some(value.clone()),
            (ElemType::DateTime, Value::Number(ms)) => {
                let dt = crate::eval::date_ops::from_epoch_ms(*ms, tz)?;
                Some(Value::date_time(dt))
            }
            (ElemType::DateTime, Value::Text(t)) => {
                crate::eval::date_parse::parse_any(t.trim()).map(Value::date_time)
            }
            (ElemType::Bool, Value::Bool(_)) => Some(value.clone()),
            (ElemType::Bool, Value::Text(t)) => match t.trim().to_ascii_lowercase().as_str() {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            },
            _ => None,
        };
        converted.ok_or_else(|| self.refusal(&value))
    }

    fn refusal(self, value: &Value) -> String {
        let holds = match self {
            ElemType::Text => "text",
            ElemType::Number => "whole numbers (written bare or in quotes)",
            ElemType::Decimal => "numbers (written bare or in quotes)",
            ElemType::DateTime => "dates (a DATE-TIME, a date text or epoch milliseconds)",
            ElemType::Bool => "true or false",
        };
        format!(
            "{} holds {holds}, but got {}",
            self.constructor(),
            describe(value)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(ty: &str, value: Value) -> String {
        let ty = ElemType::from_name(ty).expect("a known type");
        match ty.convert(value, &jiff::tz::TimeZone::UTC) {
            Ok(v) => format!("{} {}", v.value_type().name(), display(&v)),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn text_lists_print_every_element() {
        assert_eq!(convert("String", Value::Number(1)), "TEXT 1");
        assert_eq!(convert("string", Value::Bool(true)), "TEXT true");
        assert_eq!(convert("TEXT", Value::Null), "NULL null");
    }

    #[test]
    fn number_lists_take_whole_numbers_bare_or_quoted() {
        assert_eq!(convert("Int", Value::text(" 42 ")), "NUMBER 42");
        assert_eq!(convert("bigint", Value::Number(-3)), "NUMBER -3");
        assert_eq!(
            convert("Int", Value::decimal(rust_decimal::Decimal::new(20, 1))),
            "NUMBER 2"
        );
        assert_eq!(
            convert("Int", Value::text("2.5")),
            "error: List:Int() holds whole numbers (written bare or in quotes), but got TEXT \"2.5\""
        );
        assert!(convert("Int", Value::Bool(true)).starts_with("error: List:Int() holds"));
    }

    #[test]
    fn decimal_date_and_bool_lists() {
        assert_eq!(convert("Float", Value::Number(2)), "DECIMAL 2");
        assert_eq!(convert("decimal", Value::text("1.50")), "DECIMAL 1.50");
        assert_eq!(
            convert("Date", Value::Number(1000)),
            "DATE-TIME 01-Jan-1970 00:00:01"
        );
        assert_eq!(
            convert("Timestamp", Value::text("15-Aug-1947")),
            "DATE-TIME 15-Aug-1947"
        );
        assert!(convert("Date", Value::text("soon")).starts_with("error: List:Date() holds dates"));
        assert_eq!(convert("Boolean", Value::text("TRUE")), "BOOLEAN true");
        assert!(convert("Bool", Value::Number(1)).starts_with("error: List:Bool()"));
    }

    #[test]
    fn unknown_type_names_are_none() {
        assert_eq!(ElemType::from_name("Map"), None);
        assert_eq!(ElemType::from_name("Strnig"), None);
    }
}
