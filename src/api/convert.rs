//! Converting between Rust values and Deluge [`Value`]s: `From` impls into [`Value`],
//! [`FromValue`] out of it, and JSON both ways through `serde_json::Value`.

use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;

use crate::eval::ops::describe;
use crate::eval::render::to_json;
use crate::eval::value::{CollectionData, List, Map, MapData, Value};

/// A Rust type a Deluge [`Value`] can be converted to: the arguments of registered functions,
/// the result of [`Engine::eval`](crate::Engine::eval) and [`Scope::get`](crate::Scope::get).
///
/// NUMBER converts to the integer types (when in range) and to `f64`; DECIMAL to `f64` and
/// [`rust_decimal::Decimal`], and to the integer types when it has no fraction; `Option<T>`
/// accepts `null` as `None`; `Vec<T>` takes a LIST; [`Value`] takes anything.
///
/// ```
/// use deluge_lang::{FromValue, Value};
/// assert_eq!(i64::from_value(&Value::Number(7)), Ok(7));
/// assert_eq!(Option::<String>::from_value(&Value::Null), Ok(None));
/// let err = bool::from_value(&Value::text("yes")).unwrap_err();
/// assert_eq!(err, "expected a BOOLEAN, but got TEXT \"yes\"");
/// ```
pub trait FromValue: Sized {
    /// The Deluge type expected, for messages: `NUMBER`, `TEXT`, `LIST`, ...
    ///
    /// ```
    /// use deluge_lang::FromValue;
    /// assert_eq!(<Vec<i64>>::EXPECTED, "LIST");
    /// ```
    const EXPECTED: &'static str;

    /// Converts `value`, or says what was expected and what was found.
    ///
    /// ```
    /// use deluge_lang::{FromValue, Value};
    /// assert_eq!(String::from_value(&Value::text("a")), Ok("a".to_owned()));
    /// ```
    fn from_value(value: &Value) -> Result<Self, String>;
}

/// The message for a value of the wrong type.
fn mismatch<T: FromValue>(value: &Value) -> String {
    format!("expected a {}, but got {}", T::EXPECTED, describe(value))
}

impl FromValue for Value {
    const EXPECTED: &'static str = "value";

    fn from_value(value: &Value) -> Result<Self, String> {
        Ok(value.clone())
    }
}

impl FromValue for bool {
    const EXPECTED: &'static str = "BOOLEAN";

    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Bool(b) => Ok(*b),
            other => Err(mismatch::<Self>(other)),
        }
    }
}

impl FromValue for String {
    const EXPECTED: &'static str = "TEXT";

    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Text(t) => Ok(t.as_str().to_owned()),
            other => Err(mismatch::<Self>(other)),
        }
    }
}

impl FromValue for Decimal {
    const EXPECTED: &'static str = "DECIMAL";

    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Decimal(d) => Ok(**d),
            Value::Number(n) => Ok(Decimal::from(*n)),
            other => Err(mismatch::<Self>(other)),
        }
    }
}

impl FromValue for f64 {
    const EXPECTED: &'static str = "NUMBER or DECIMAL";

    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Number(n) => Ok(*n as f64),
            Value::Decimal(d) => d.to_f64().ok_or_else(|| mismatch::<Self>(value)),
            other => Err(mismatch::<Self>(other)),
        }
    }
}

macro_rules! integer_from_value {
    ($($int:ty),*) => {$(
        impl FromValue for $int {
            const EXPECTED: &'static str = "NUMBER";

            fn from_value(value: &Value) -> Result<Self, String> {
                let whole = match value {
                    Value::Number(n) => Some(*n),
                    Value::Decimal(d) if d.fract().is_zero() => d.to_i64(),
                    _ => None,
                };
                let whole = whole.ok_or_else(|| mismatch::<Self>(value))?;
                <$int>::try_from(whole).map_err(|_| {
                    format!("{whole} does not fit in {}", stringify!($int))
                })
            }
        }
    )*};
}

integer_from_value!(i64, i32, i16, u64, u32, u16, usize);

impl<T: FromValue> FromValue for Option<T> {
    const EXPECTED: &'static str = T::EXPECTED;

    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    const EXPECTED: &'static str = "LIST";

    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::List(list) => list
                .borrow()
                .iter()
                .enumerate()
                .map(|(i, item)| T::from_value(item).map_err(|e| format!("element {i}: {e}")))
                .collect(),
            other => Err(mismatch::<Self>(other)),
        }
    }
}

/// The entries of a KEY-VALUE (or key-value COLLECTION), keys as their text.
fn map_entries<T: FromValue>(value: &Value) -> Result<Vec<(String, T)>, String> {
    let convert = |(k, v): (&Value, &Value)| {
        let key = crate::eval::render::display(k);
        T::from_value(v)
            .map(|v| (key.clone(), v))
            .map_err(|e| format!("key {key:?}: {e}"))
    };
    match value {
        Value::Map(map) => map.borrow().iter().map(convert).collect(),
        Value::Collection(c) => match &*c.borrow() {
            CollectionData::Map(entries) => entries.iter().map(convert).collect(),
            CollectionData::Empty => Ok(Vec::new()),
            CollectionData::List(_) => {
                Err(format!("expected a KEY-VALUE, but got {}", describe(value)))
            }
        },
        other => Err(format!("expected a KEY-VALUE, but got {}", describe(other))),
    }
}

/// A KEY-VALUE as a map from its keys' text.
///
/// ```
/// use std::collections::HashMap;
/// let engine = deluge_lang::Engine::new();
/// let stock: HashMap<String, i64> = engine.eval(r#"{"pens": 3, "ink": 0}"#).unwrap();
/// assert_eq!(stock["pens"], 3);
/// ```
impl<T: FromValue, S: std::hash::BuildHasher + Default> FromValue
    for std::collections::HashMap<String, T, S>
{
    const EXPECTED: &'static str = "KEY-VALUE";

    fn from_value(value: &Value) -> Result<Self, String> {
        map_entries(value).map(|entries| entries.into_iter().collect())
    }
}

/// A KEY-VALUE as a sorted map from its keys' text.
///
/// ```
/// use std::collections::BTreeMap;
/// let engine = deluge_lang::Engine::new();
/// let stock: BTreeMap<String, i64> = engine.eval(r#"{"pens": 3, "ink": 0}"#).unwrap();
/// assert_eq!(stock.keys().collect::<Vec<_>>(), ["ink", "pens"]);
/// ```
impl<T: FromValue> FromValue for std::collections::BTreeMap<String, T> {
    const EXPECTED: &'static str = "KEY-VALUE";

    fn from_value(value: &Value) -> Result<Self, String> {
        map_entries(value).map(|entries| entries.into_iter().collect())
    }
}

/// A KEY-VALUE with the map's entries, in its iteration order.
///
/// ```
/// use std::collections::BTreeMap;
/// let map = BTreeMap::from([("a", 1), ("b", 2)]);
/// assert_eq!(deluge_lang::Value::from(map).to_string(), r#"{"a":1,"b":2}"#);
/// ```
impl<K: Into<Value>, T: Into<Value>> From<std::collections::BTreeMap<K, T>> for Value {
    fn from(map: std::collections::BTreeMap<K, T>) -> Value {
        let data: MapData = map.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        Value::Map(Map::from_data(data))
    }
}

/// A KEY-VALUE with the map's entries, in its (unspecified) iteration order.
///
/// ```
/// use std::collections::HashMap;
/// let map = HashMap::from([("a", 1)]);
/// assert_eq!(deluge_lang::Value::from(map).to_string(), r#"{"a":1}"#);
/// ```
impl<K: Into<Value>, T: Into<Value>, S> From<std::collections::HashMap<K, T, S>> for Value {
    fn from(map: std::collections::HashMap<K, T, S>) -> Value {
        let data: MapData = map.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        Value::Map(Map::from_data(data))
    }
}

impl FromValue for serde_json::Value {
    const EXPECTED: &'static str = "value";

    fn from_value(value: &Value) -> Result<Self, String> {
        Ok(value.to_json())
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Number(n)
    }
}

macro_rules! integer_into_value {
    ($($int:ty),*) => {$(
        impl From<$int> for Value {
            fn from(n: $int) -> Value {
                Value::Number(i64::from(n))
            }
        }
    )*};
}

integer_into_value!(i32, i16, u32, u16);

/// A DECIMAL; NaN and the infinities, which DECIMAL cannot hold, become `null`.
impl From<f64> for Value {
    fn from(x: f64) -> Value {
        Decimal::from_f64(x).map_or(Value::Null, Value::decimal)
    }
}

impl From<Decimal> for Value {
    fn from(d: Decimal) -> Value {
        Value::decimal(d)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::text(s)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::text(s)
    }
}

/// `null`: what a registered function returning nothing gives the script.
impl From<()> for Value {
    fn from((): ()) -> Value {
        Value::Null
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(option: Option<T>) -> Value {
        option.map_or(Value::Null, Into::into)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Value {
        Value::List(List::from_vec(items.into_iter().map(Into::into).collect()))
    }
}

impl From<&serde_json::Value> for Value {
    fn from(json: &serde_json::Value) -> Value {
        Value::from_json(json)
    }
}

impl From<serde_json::Value> for Value {
    fn from(json: serde_json::Value) -> Value {
        Value::from_json(&json)
    }
}

impl Value {
    /// The Deluge value of a JSON value: objects become KEY-VALUE (keys in order), arrays LIST,
    /// integers that fit 64 bits NUMBER, other numbers DECIMAL, strings TEXT.
    ///
    /// ```
    /// use deluge_lang::Value;
    /// let value = Value::from_json(&serde_json::json!({"id": 7, "tags": ["a", "b"]}));
    /// assert_eq!(value.to_string(), r#"{"id":7,"tags":["a","b"]}"#);
    /// ```
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Number(i),
                None => n
                    .to_string()
                    .parse::<Decimal>()
                    .or_else(|_| Decimal::from_scientific(&n.to_string()))
                    .map_or_else(|_| Value::text(n.to_string()), Value::decimal),
            },
            serde_json::Value::String(s) => Value::text(s.clone()),
            serde_json::Value::Array(items) => {
                Value::List(List::from_vec(items.iter().map(Value::from_json).collect()))
            }
            serde_json::Value::Object(entries) => {
                let data: MapData = entries
                    .iter()
                    .map(|(k, v)| (Value::text(k.clone()), Value::from_json(v)))
                    .collect();
                Value::Map(Map::from_data(data))
            }
        }
    }

    /// The JSON value of this value, as `toString()` would write it for a KEY-VALUE: DATE-TIME
    /// as its text, DECIMAL as a number, a container that contains itself as `"..."`.
    ///
    /// ```
    /// use deluge_lang::Value;
    /// let list = Value::from(vec![1_i64, 2]);
    /// assert_eq!(list.to_json(), serde_json::json!([1, 2]));
    /// ```
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::from_str(&to_json(self)).unwrap_or(serde_json::Value::Null)
    }

    /// The value of any `Serialize` Rust value, through its JSON form.
    ///
    /// ```
    /// #[derive(serde::Serialize)]
    /// struct Lead { name: String, score: i64 }
    /// let lead = Lead { name: "Ada".into(), score: 9 };
    /// let value = deluge_lang::Value::from_serde(&lead).unwrap();
    /// assert_eq!(value.to_string(), r#"{"name":"Ada","score":9}"#);
    /// ```
    pub fn from_serde<T: serde::Serialize + ?Sized>(value: &T) -> Result<Value, serde_json::Error> {
        serde_json::to_value(value).map(|json| Value::from_json(&json))
    }

    /// This value as any `Deserialize` Rust type, through its JSON form.
    ///
    /// ```
    /// #[derive(serde::Deserialize, Debug, PartialEq)]
    /// struct Lead { name: String, score: i64 }
    /// let engine = deluge_lang::Engine::new();
    /// let value: deluge_lang::Value = engine.eval(r#"{"name": "Ada", "score": 9}"#).unwrap();
    /// let lead: Lead = value.to_serde().unwrap();
    /// assert_eq!(lead, Lead { name: "Ada".into(), score: 9 });
    /// ```
    pub fn to_serde<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_value(self.to_json())
    }

    /// Converts this value to `T` (see [`FromValue`]).
    ///
    /// ```
    /// use deluge_lang::Value;
    /// let n: i64 = Value::Number(3).to::<i64>().unwrap();
    /// assert_eq!(n, 3);
    /// ```
    pub fn to<T: FromValue>(&self) -> Result<T, String> {
        T::from_value(self)
    }
}

/// Prints the value as `info` does.
impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::eval::render::display(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_check_their_range_and_fraction() {
        assert_eq!(u8_like(&Value::Number(-1)), "-1 does not fit in u32");
        assert_eq!(i64::from_value(&Value::decimal(Decimal::new(30, 1))), Ok(3));
        assert!(i64::from_value(&Value::decimal(Decimal::new(35, 1))).is_err());
    }

    fn u8_like(value: &Value) -> String {
        u32::from_value(value).unwrap_err()
    }

    #[test]
    fn lists_name_the_bad_element() {
        let list = Value::from(vec![Value::Number(1), Value::text("x")]);
        assert_eq!(
            Vec::<i64>::from_value(&list).unwrap_err(),
            "element 1: expected a NUMBER, but got TEXT \"x\""
        );
    }

    #[test]
    fn floats_become_the_shortest_decimal() {
        assert_eq!(Value::from(0.1).to_string(), "0.1");
        assert_eq!(Value::from(50.0 * 0.2).to_string(), "10");
        assert!(Value::from(f64::NAN).is_null());
    }

    #[test]
    fn maps_name_the_bad_key() {
        let map = Value::from(std::collections::BTreeMap::from([("a", Value::from("x"))]));
        let err = std::collections::HashMap::<String, i64>::from_value(&map).unwrap_err();
        assert_eq!(err, "key \"a\": expected a NUMBER, but got TEXT \"x\"");
        let err = std::collections::BTreeMap::<String, i64>::from_value(&Value::Number(1));
        assert_eq!(err.unwrap_err(), "expected a KEY-VALUE, but got NUMBER 1");
    }

    #[test]
    fn json_round_trips_through_values() {
        let json = serde_json::json!({"a": [1, 2.5, "x", null, true], "b": {"c": -3}});
        assert_eq!(Value::from_json(&json).to_json(), json);
    }
}
