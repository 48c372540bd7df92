//! Printing values, as `info x;` and `x.toString()` do (decisions.md, "Values and printing").
//!
//! - TEXT prints raw; NUMBER and DECIMAL print their digits (DECIMAL keeps its scale);
//!   `null` prints `null`; BOOLEAN prints `true`/`false`.
//! - DATE-TIME prints `dd-MMM-yyyy HH:mm:ss`, a date without time `dd-MMM-yyyy`.
//! - A LIST prints its elements joined by `,`; an element that is a list or map prints as JSON.
//! - A MAP prints as compact JSON in insertion order.
//!
//! Containers may be nested deeply or even contain themselves; a container inside itself, or
//! nesting past [`MAX_RENDER_DEPTH`], prints as `"..."` instead of recursing without end.

use std::fmt::Write;

use super::value::{CollectionData, DateTime, Value};

/// Deepest container nesting that is rendered; deeper (or cyclic) parts print as `"..."`.
pub const MAX_RENDER_DEPTH: usize = 256;

/// The printed form of `value`, as `info` shows it.
pub fn display(value: &Value) -> String {
    let mut out = String::new();
    write_display(&mut out, value);
    out
}

/// Appends the printed form of `value` to `out`.
pub fn write_display(out: &mut String, value: &Value) {
    match value {
        Value::Text(t) => out.push_str(t.as_str()),
        Value::List(list) => match list.0.try_borrow() {
            Ok(items) => write_list_plain(out, &items),
            Err(_) => out.push_str("..."),
        },
        Value::Collection(c) => match c.0.try_borrow() {
            Ok(data) => match &*data {
                CollectionData::Empty => {}
                CollectionData::List(items) => write_list_plain(out, items),
                CollectionData::Map(_) => write_json(out, value, &mut Vec::new()),
            },
            Err(_) => out.push_str("..."),
        },
        Value::Map(_) => write_json(out, value, &mut Vec::new()),
        Value::Error(e) => out.push_str(&e.message),
        other => write_scalar(out, other),
    }
}

/// The compact JSON text of `value` (maps and lists as JSON; text quoted and escaped).
pub fn to_json(value: &Value) -> String {
    let mut out = String::new();
    write_json(&mut out, value, &mut Vec::new());
    out
}

/// Formats a DATE-TIME: `15-Aug-1947 19:00:00`, or `15-Aug-1947` when it is date-only.
pub fn format_datetime(dt: &DateTime) -> String {
    let pattern = if dt.date_only {
        "%d-%b-%Y"
    } else {
        "%d-%b-%Y %H:%M:%S"
    };
    dt.civil.strftime(pattern).to_string()
}

fn write_list_plain(out: &mut String, items: &[Value]) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match item {
            Value::List(_) | Value::Map(_) | Value::Collection(_) => {
                write_json(out, item, &mut Vec::new())
            }
            other => write_display(out, other),
        }
    }
}

/// The identity of a container value, if it is one.
fn container_id(value: &Value) -> Option<usize> {
    match value {
        Value::List(l) => Some(std::rc::Rc::as_ptr(&l.0) as *const () as usize),
        Value::Map(m) => Some(std::rc::Rc::as_ptr(&m.0) as *const () as usize),
        Value::Collection(c) => Some(std::rc::Rc::as_ptr(&c.0) as *const () as usize),
        _ => None,
    }
}

fn write_scalar(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(itoa::Buffer::new().format(*n)),
        Value::Decimal(d) => {
            let _ = write!(out, "{d}");
        }
        Value::DateTime(dt) => out.push_str(&format_datetime(dt)),
        Value::File(f) => out.push_str(&f.name),
        Value::Text(t) => out.push_str(t.as_str()),
        Value::Error(e) => out.push_str(&e.message),
        Value::List(_) | Value::Map(_) | Value::Collection(_) => {}
    }
}

/// Appends `value` as JSON; `open` holds the containers being written around it.
fn write_json(out: &mut String, value: &Value, open: &mut Vec<usize>) {
    if let Some(id) = container_id(value) {
        if open.len() > MAX_RENDER_DEPTH || open.contains(&id) {
            out.push_str("\"...\"");
            return;
        }
        open.push(id);
        write_json_container(out, value, open);
        open.pop();
        return;
    }
    match value {
        Value::Text(t) => write_json_string(out, t.as_str()),
        Value::DateTime(dt) => write_json_string(out, &format_datetime(dt)),
        Value::File(f) => write_json_string(out, &f.name),
        Value::Error(e) => write_json_string(out, &e.message),
        other => write_scalar(out, other),
    }
}

fn write_json_container(out: &mut String, value: &Value, open: &mut Vec<usize>) {
    match value {
        Value::List(list) => match list.0.try_borrow() {
            Ok(items) => write_json_array(out, &items, open),
            Err(_) => out.push_str("\"...\""),
        },
        Value::Map(map) => match map.0.try_borrow() {
            Ok(entries) => write_json_object(out, entries.iter(), open),
            Err(_) => out.push_str("\"...\""),
        },
        Value::Collection(c) => match c.0.try_borrow() {
            Ok(data) => match &*data {
                CollectionData::Empty => out.push_str("[]"),
                CollectionData::List(items) => write_json_array(out, items, open),
                CollectionData::Map(entries) => write_json_object(out, entries.iter(), open),
            },
            Err(_) => out.push_str("\"...\""),
        },
        other => write_scalar(out, other),
    }
}

fn write_json_array(out: &mut String, items: &[Value], open: &mut Vec<usize>) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_json(out, item, open);
    }
    out.push(']');
}

fn write_json_object<'a>(
    out: &mut String,
    entries: impl Iterator<Item = (&'a Value, &'a Value)>,
    open: &mut Vec<usize>,
) {
    out.push('{');
    for (i, (key, value)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        match key {
            Value::Text(t) => write_json_string(out, t.as_str()),
            Value::List(_) | Value::Map(_) | Value::Collection(_) => {
                write_container_key(out, key, open)
            }
            other => write_json_string(out, &display(other)),
        }
        out.push(':');
        write_json(out, value, open);
    }
    out.push('}');
}

/// Marks, in `open`, that a container key is being written.
const KEY_MARK: usize = usize::MAX;

/// Deepest nesting of container keys inside container keys that is rendered. Each level
/// escapes the one inside it again, doubling its backslashes, so the text grows
/// exponentially with this nesting: a map keyed by a map keyed by a map, 40 levels deep,
/// would print terabytes.
const MAX_KEY_NESTING: usize = 8;

/// Appends a container used as a key: its JSON, as a JSON string.
fn write_container_key(out: &mut String, key: &Value, open: &mut Vec<usize>) {
    if open.iter().filter(|&&id| id == KEY_MARK).count() >= MAX_KEY_NESTING {
        out.push_str("\"...\"");
        return;
    }
    let mut nested = String::new();
    open.push(KEY_MARK);
    write_json(&mut nested, key, open);
    open.pop();
    write_json_string(out, &nested);
}

/// Appends `s` as a JSON string literal, escaping quotes, backslashes and control characters.
pub fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
