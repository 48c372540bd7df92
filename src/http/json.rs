//! JSON response bodies to Deluge values.
//!
//! A private conversion until the shared `stdlib::json::parse` is available to this module;
//! it follows the same rules: objects become KEY-VALUE (order kept), arrays LIST, integers
//! NUMBER (DECIMAL past 64 bits), other numbers DECIMAL, `null` null.

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::eval::value::{List, Map, MapData, Value};

/// Parses `text` as JSON. `None` when it is not valid JSON (the caller keeps it as TEXT).
pub fn parse(text: &str) -> Option<Value> {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .map(convert)
}

fn convert(json: serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => number(&n),
        serde_json::Value::String(s) => Value::text(s),
        serde_json::Value::Array(items) => {
            Value::List(List::from_vec(items.into_iter().map(convert).collect()))
        }
        serde_json::Value::Object(entries) => {
            let mut data = MapData::with_capacity_and_hasher(entries.len(), Default::default());
            for (key, value) in entries {
                data.insert(Value::text(key), convert(value));
            }
            Value::Map(Map::from_data(data))
        }
    }
}

fn number(n: &serde_json::Number) -> Value {
    if let Some(i) = n.as_i64() {
        return Value::Number(i);
    }
    let text = n.to_string();
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .map(Value::Decimal)
        .unwrap_or_else(|_| Value::text(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::render::display;

    #[test]
    fn objects_keep_their_order_and_types() {
        let value =
            parse(r#"{"b":1,"a":[true,null,2.5,"x"],"c":{"d":18446744073709551615}}"#).unwrap();
        assert_eq!(
            display(&value),
            r#"{"b":1,"a":[true,null,2.5,"x"],"c":{"d":18446744073709551615}}"#
        );
    }

    #[test]
    fn invalid_json_is_none() {
        assert!(parse("{not json").is_none());
    }
}
