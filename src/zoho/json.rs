//! Deluge values to request JSON (zoho-tasks.md §1.4) and reply JSON to values (§1.5).
//!
//! MAP keeps its key order; DATE is `yyyy-MM-dd` and DATE-TIME `yyyy-MM-ddTHH:mm:ss±hh:mm` in
//! the run's time zone.

use crate::eval::render::write_json_string;
use crate::eval::value::{CollectionData, Value};

/// Deepest nesting written; deeper (or cyclic) values are an error, never a stack overflow.
const MAX_DEPTH: usize = 256;

/// The JSON text of `value`.
pub fn to_json(value: &Value, zone: &jiff::tz::TimeZone) -> Result<String, String> {
    let mut out = String::new();
    write(&mut out, value, zone, 0)?;
    Ok(out)
}

fn write(
    out: &mut String,
    value: &Value,
    zone: &jiff::tz::TimeZone,
    depth: usize,
) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err(format!(
            "the request body nests deeper than {MAX_DEPTH} levels (or contains itself)"
        ));
    }
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::Decimal(d) => out.push_str(&d.to_string()),
        Value::Text(t) => write_json_string(out, t.as_str()),
        Value::DateTime(dt) => {
            let text = if dt.date_only {
                dt.civil.date().strftime("%Y-%m-%d").to_string()
            } else {
                match dt.civil.to_zoned(zone.clone()) {
                    Ok(zoned) => zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
                    Err(_) => dt.civil.strftime("%Y-%m-%dT%H:%M:%S").to_string(),
                }
            };
            write_json_string(out, &text);
        }
        Value::List(list) => write_list(out, &list.borrow(), zone, depth)?,
        Value::Map(map) => write_map(out, map.borrow().iter(), zone, depth)?,
        Value::Collection(c) => match &*c.borrow() {
            CollectionData::Empty => out.push_str("[]"),
            CollectionData::List(items) => write_list(out, items, zone, depth)?,
            CollectionData::Map(map) => write_map(out, map.iter(), zone, depth)?,
        },
        Value::File(file) => write_json_string(out, &String::from_utf8_lossy(&file.bytes)),
        Value::Error(_) => write_json_string(out, &crate::eval::render::display(value)),
    }
    Ok(())
}

fn write_list(
    out: &mut String,
    items: &[Value],
    zone: &jiff::tz::TimeZone,
    depth: usize,
) -> Result<(), String> {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write(out, item, zone, depth + 1)?;
    }
    out.push(']');
    Ok(())
}

fn write_map<'v>(
    out: &mut String,
    entries: impl Iterator<Item = (&'v Value, &'v Value)>,
    zone: &jiff::tz::TimeZone,
    depth: usize,
) -> Result<(), String> {
    out.push('{');
    for (i, (key, value)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_json_string(out, &crate::eval::render::display(key));
        out.push(':');
        write(out, value, zone, depth + 1)?;
    }
    out.push('}');
    Ok(())
}

/// Replaces, in a parsed reply, every integer too large for a NUMBER (read as a DECIMAL with
/// no fraction digits) with its TEXT, as zoho-tasks.md §1.5 decides: such values are IDs.
pub fn big_integers_as_text(value: &mut Value) {
    match value {
        Value::Decimal(d) if d.scale() == 0 => *value = Value::text(d.to_string()),
        Value::List(list) => list.borrow_mut().iter_mut().for_each(big_integers_as_text),
        Value::Map(map) => map.borrow_mut().values_mut().for_each(big_integers_as_text),
        _ => {}
    }
}

/// The entries of a MAP (or map-like COLLECTION) as key text and value; empty for others.
pub fn entries(value: &Value) -> Vec<(String, Value)> {
    let pairs = |map: &crate::eval::value::MapData| {
        map.iter()
            .map(|(k, v)| (crate::eval::render::display(k), v.clone()))
            .collect()
    };
    match value {
        Value::Map(map) => pairs(&map.borrow()),
        Value::Collection(c) => match &*c.borrow() {
            CollectionData::Map(map) => pairs(map),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// The items of a LIST (or list-like COLLECTION); empty for others.
pub fn items(value: &Value) -> Vec<Value> {
    match value {
        Value::List(list) => list.borrow().clone(),
        Value::Collection(c) => match &*c.borrow() {
            CollectionData::List(items) => items.clone(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// The value under `key` in a MAP, if any.
pub fn get(value: &Value, key: &str) -> Option<Value> {
    match value {
        Value::Map(map) => map.borrow().get(&Value::text(key)).cloned(),
        _ => None,
    }
}

/// A MAP built from `pairs`, in order.
pub fn map_of(pairs: Vec<(&str, Value)>) -> Value {
    let map = Value::new_map();
    if let Value::Map(m) = &map {
        let mut data = m.borrow_mut();
        for (key, value) in pairs {
            data.insert(Value::text(key), value);
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_beyond_64_bits_become_text_and_fractions_stay_decimal() {
        let mut value =
            crate::stdlib::json::parse(r#"{"id":123456789012345678901234,"a":[1.50,7]}"#).unwrap();
        big_integers_as_text(&mut value);
        let zone = jiff::tz::TimeZone::UTC;
        assert_eq!(
            to_json(&value, &zone).unwrap(),
            r#"{"id":"123456789012345678901234","a":[1.50,7]}"#
        );
    }

    #[test]
    fn dates_lists_and_maps_become_zoho_json() {
        let zone = jiff::tz::TimeZone::get("Asia/Kolkata").unwrap();
        let value = crate::stdlib::json::parse(r#"{"b":[1,2.50,"x"],"a":null,"t":true}"#).unwrap();
        assert_eq!(
            to_json(&value, &zone).unwrap(),
            r#"{"b":[1,2.50,"x"],"a":null,"t":true}"#
        );
        let civil: jiff::civil::DateTime = "2024-05-02T11:17:33".parse().unwrap();
        let dt = Value::date_time(crate::eval::value::DateTime {
            civil,
            date_only: false,
        });
        assert_eq!(
            to_json(&dt, &zone).unwrap(),
            r#""2024-05-02T11:17:33+05:30""#
        );
        let date = Value::date_time(crate::eval::value::DateTime {
            civil,
            date_only: true,
        });
        assert_eq!(to_json(&date, &zone).unwrap(), r#""2024-05-02""#);
    }
}
