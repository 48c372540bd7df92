//! Field values to and from SQLite: how each field type is stored, and the type check an
//! insert or update goes through.
//!
//! Text is TEXT; numbers INTEGER; decimals TEXT (so the scale survives: `12.50` stays `12.50`)
//! compared as REAL; dates `YYYY-MM-DD` and date-times `YYYY-MM-DD HH:MM:SS` TEXT (which sort
//! and compare in time order); decision boxes 0/1; multi-selects, subforms and composite fields
//! JSON.

use rusqlite::types::Value as Sql;
use rust_decimal::Decimal;

use super::schema::FieldType;
use crate::eval::render::display;
use crate::eval::value::{CollectionData, DateTime, Value};

/// Encodes `value` for a field of type `kind`; `Err` says why it does not fit (the caller adds
/// the form and field).
pub fn encode(kind: &FieldType, value: &Value) -> Result<Sql, String> {
    if is_empty(value) {
        return Ok(Sql::Null);
    }
    match kind {
        FieldType::Text => match value {
            Value::List(_) | Value::Map(_) | Value::Collection(_) | Value::File(_) => {
                Err(mismatch(kind, value))
            }
            other => Ok(Sql::Text(display(other))),
        },
        FieldType::Number | FieldType::Lookup(_) => number(value)
            .map(Sql::Integer)
            .ok_or_else(|| mismatch(kind, value)),
        FieldType::Decimal => decimal(value)
            .map(|d| Sql::Text(d.to_string()))
            .ok_or_else(|| mismatch(kind, value)),
        FieldType::Date => date_time(value)
            .map(|dt| Sql::Text(dt.civil.date().to_string()))
            .ok_or_else(|| mismatch(kind, value)),
        FieldType::DateTime => date_time(value)
            .map(|dt| Sql::Text(dt.civil.strftime("%Y-%m-%d %H:%M:%S").to_string()))
            .ok_or_else(|| mismatch(kind, value)),
        FieldType::Boolean => boolean(value)
            .map(|b| Sql::Integer(i64::from(b)))
            .ok_or_else(|| mismatch(kind, value)),
        FieldType::MultiSelect => match value {
            Value::List(_) | Value::Collection(_) => Ok(Sql::Text(value.to_json().to_string())),
            Value::Text(t) => Ok(Sql::Text(serde_json::json!([t.as_str()]).to_string())),
            _ => Err(mismatch(kind, value)),
        },
        FieldType::Subform(_) => subform_rows(value)
            .map(|rows| Sql::Text(Value::list_from(rows).to_json().to_string()))
            .ok_or_else(|| mismatch(kind, value)),
        FieldType::Json => Ok(Sql::Text(value.to_json().to_string())),
    }
}

/// Decodes a stored value of a field of type `kind`.
pub fn decode(kind: &FieldType, stored: Sql) -> Value {
    match (kind, stored) {
        (_, Sql::Null) => Value::Null,
        (FieldType::Boolean, Sql::Integer(n)) => Value::Bool(n != 0),
        (_, Sql::Integer(n)) => Value::Number(n),
        (_, Sql::Real(r)) => Decimal::try_from(r).map(Value::decimal).unwrap_or_default(),
        (FieldType::Decimal, Sql::Text(t)) => t
            .parse::<Decimal>()
            .map(Value::decimal)
            .unwrap_or_else(|_| Value::text(t)),
        (FieldType::Date | FieldType::DateTime, Sql::Text(t)) => {
            match crate::stdlib::datetime::parse_any(&t) {
                Some(dt) => Value::date_time(DateTime {
                    civil: dt.civil,
                    date_only: *kind == FieldType::Date,
                }),
                None => Value::text(t),
            }
        }
        (FieldType::MultiSelect | FieldType::Subform(_) | FieldType::Json, Sql::Text(t)) => {
            match serde_json::from_str::<serde_json::Value>(&t) {
                Ok(json) => Value::from_json(&json),
                Err(_) => Value::text(t),
            }
        }
        (_, Sql::Text(t)) => Value::text(t),
        (_, Sql::Blob(_)) => Value::Null,
    }
}

/// A value read from seed data (JSON or CSV): a text written as an ISO date
/// (`2024-03-05`) or date-time (`2024-03-05 10:30:00`) becomes a DATE / DATE-TIME, since
/// JSON and CSV have no date type.
pub fn seed_value(value: Value) -> Value {
    let Value::Text(t) = &value else {
        return value;
    };
    let text = t.as_str();
    let shape_ok = text.len() >= 10
        && text.is_char_boundary(10)
        && text[..10].bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        })
        && (text.len() == 10 || text.as_bytes()[10] == b' ' || text.as_bytes()[10] == b'T');
    match shape_ok
        .then(|| crate::stdlib::datetime::parse_any(text))
        .flatten()
    {
        Some(mut dt) => {
            dt.date_only = text.len() == 10;
            Value::date_time(dt)
        }
        None => value,
    }
}

/// `null`, the empty text and an empty list are an empty field.
pub fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Text(t) => t.is_empty(),
        _ => false,
    }
}

fn mismatch(kind: &FieldType, value: &Value) -> String {
    let shown = match value {
        Value::Text(t) => format!("\"{}\"", t.as_str()),
        other => display(other),
    };
    let shown: String = shown.chars().take(60).collect();
    format!(
        "is {}, and {} {shown} is not one",
        kind.describe(),
        value.value_type().name()
    )
}

/// A NUMBER from a number, a whole decimal, a numeric text or a record (its ID).
pub fn number(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => Some(*n),
        Value::Decimal(d) if d.fract().is_zero() => i64::try_from(d.trunc()).ok(),
        Value::Text(t) => t.trim().parse().ok(),
        Value::Map(m) => m.borrow().get(&Value::text("ID")).and_then(number),
        _ => None,
    }
}

/// A DECIMAL from a number, a decimal or a numeric text.
pub fn decimal(value: &Value) -> Option<Decimal> {
    match value {
        Value::Number(n) => Some(Decimal::from(*n)),
        Value::Decimal(d) => Some(**d),
        Value::Text(t) => t.trim().parse().ok(),
        _ => None,
    }
}

/// A DATE-TIME from a date-time or a text in one of Deluge's date formats.
pub fn date_time(value: &Value) -> Option<DateTime> {
    match value {
        Value::DateTime(dt) => Some(**dt),
        Value::Text(t) => crate::stdlib::datetime::parse_any(t),
        _ => None,
    }
}

/// A BOOLEAN from a boolean or the text `true`/`false`.
pub fn boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Text(t) if t.eq_ignore_ascii_case("true") => Some(true),
        Value::Text(t) if t.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// The rows of a subform value: a LIST or COLLECTION of records (KEY-VALUEs).
fn subform_rows(value: &Value) -> Option<Vec<Value>> {
    let rows: Vec<Value> = match value {
        Value::List(list) => list.borrow().clone(),
        Value::Collection(c) => match &*c.borrow() {
            CollectionData::List(items) => items.clone(),
            CollectionData::Empty => Vec::new(),
            CollectionData::Map(_) => return None,
        },
        Value::Map(_) => vec![value.clone()],
        _ => return None,
    };
    rows.iter()
        .all(|row| matches!(row, Value::Map(_)))
        .then_some(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(kind: FieldType, value: Value) -> String {
        let stored = encode(&kind, &value).unwrap();
        display(&decode(&kind, stored))
    }

    #[test]
    fn values_keep_their_type_and_scale_through_the_database() {
        assert_eq!(
            round_trip(FieldType::Decimal, Value::decimal("12.50".parse().unwrap())),
            "12.50"
        );
        assert_eq!(round_trip(FieldType::Number, Value::text("42")), "42");
        assert_eq!(
            round_trip(FieldType::Date, Value::text("2024-03-05")),
            "05-Mar-2024"
        );
        assert_eq!(round_trip(FieldType::Boolean, Value::Bool(true)), "true");
    }

    #[test]
    fn a_value_of_the_wrong_type_is_refused_with_both_types_named() {
        assert_eq!(
            encode(&FieldType::Number, &Value::text("many")).unwrap_err(),
            "is a NUMBER field, and TEXT \"many\" is not one"
        );
        assert_eq!(
            encode(&FieldType::Date, &Value::Number(3)).unwrap_err(),
            "is a DATE field, and NUMBER 3 is not one"
        );
        assert_eq!(
            encode(&FieldType::Number, &Value::text("")).unwrap(),
            Sql::Null
        );
    }
}
