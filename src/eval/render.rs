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
//!
//! The printed form is also bounded in size: a list holding the same list twice, nested 256
//! levels deep, would print 2^256 copies. The `try_` functions stop with [`TooLarge`] once the
//! text passes a byte budget (the run's text size limit); the plain ones stop at
//! [`DEFAULT_RENDER_BUDGET`] bytes and end the text with `...`.

use std::fmt::Write;

use super::value::{CollectionData, DateTime, Value};

/// Deepest container nesting that is rendered; deeper (or cyclic) parts print as `"..."`.
pub const MAX_RENDER_DEPTH: usize = 256;

/// Bytes the infallible [`display`] and [`to_json`] write at most: the default text size limit.
pub const DEFAULT_RENDER_BUDGET: usize = 64 * 1024 * 1024;

/// Printing stopped: the printed form passed the byte budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooLarge {
    /// The budget, in bytes.
    pub limit: usize,
}

impl TooLarge {
    /// What to do about it, for the error's help line.
    pub const HELP: &'static str = "print a part of it instead (one entry, `.size()`, `.keys()`); \
         a value that holds the same list or map many times prints every copy in full";
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "value too large to print: its printed form is over {} bytes, the text size limit",
            self.limit
        )
    }
}

impl std::error::Error for TooLarge {}

/// Result of writing part of a printed form.
type Fits = Result<(), TooLarge>;

/// The text being written and the length it may not pass.
struct Sink<'o> {
    out: &'o mut String,
    end: usize,
    limit: usize,
}

impl<'o> Sink<'o> {
    fn new(out: &'o mut String, limit: usize) -> Self {
        let end = out.len().saturating_add(limit);
        Sink { out, end, limit }
    }

    fn check(&self) -> Fits {
        if self.out.len() > self.end {
            Err(TooLarge { limit: self.limit })
        } else {
            Ok(())
        }
    }
}

/// The printed form of `value`, as `info` shows it. Stops after [`DEFAULT_RENDER_BUDGET`]
/// bytes, ending with `...`; use [`try_display`] to get an error instead.
pub fn display(value: &Value) -> String {
    let mut out = String::new();
    write_display(&mut out, value);
    out
}

/// Appends the printed form of `value` to `out`, at most [`DEFAULT_RENDER_BUDGET`] bytes of it
/// (then `...`).
pub fn write_display(out: &mut String, value: &Value) {
    if try_write_display(out, value, DEFAULT_RENDER_BUDGET).is_err() {
        out.push_str("...");
    }
}

/// The printed form of `value`, or [`TooLarge`] when it is over `max_bytes` long.
pub fn try_display(value: &Value, max_bytes: usize) -> Result<String, TooLarge> {
    let mut out = String::new();
    try_write_display(&mut out, value, max_bytes)?;
    Ok(out)
}

/// Appends the printed form of `value` to `out`; [`TooLarge`] when it is over `max_bytes` long
/// (`out` then holds a partial text).
pub fn try_write_display(out: &mut String, value: &Value, max_bytes: usize) -> Fits {
    let mut sink = Sink::new(out, max_bytes);
    display_into(&mut sink, value)?;
    sink.check()
}

fn display_into(sink: &mut Sink<'_>, value: &Value) -> Fits {
    match value {
        Value::Text(t) => sink.out.push_str(t.as_str()),
        Value::List(list) => match list.try_borrow() {
            Ok(items) => write_list_plain(sink, &items)?,
            Err(_) => sink.out.push_str("..."),
        },
        Value::Collection(c) => match c.try_borrow() {
            Ok(data) => match &*data {
                CollectionData::Empty => {}
                CollectionData::List(items) => write_list_plain(sink, items)?,
                CollectionData::Map(_) => write_json(sink, value, &mut Vec::new())?,
            },
            Err(_) => sink.out.push_str("..."),
        },
        Value::Map(_) => write_json(sink, value, &mut Vec::new())?,
        Value::Error(e) => sink.out.push_str(&e.message),
        other => write_scalar(sink.out, other),
    }
    Ok(())
}

/// The compact JSON text of `value` (maps and lists as JSON; text quoted and escaped). Stops
/// after [`DEFAULT_RENDER_BUDGET`] bytes, ending with `...`.
pub fn to_json(value: &Value) -> String {
    let mut out = String::new();
    let mut sink = Sink::new(&mut out, DEFAULT_RENDER_BUDGET);
    if write_json(&mut sink, value, &mut Vec::new()).is_err() {
        out.push_str("...");
    }
    out
}

/// The compact JSON text of `value`, or [`TooLarge`] when it is over `max_bytes` long.
pub fn try_to_json(value: &Value, max_bytes: usize) -> Result<String, TooLarge> {
    let mut out = String::new();
    let mut sink = Sink::new(&mut out, max_bytes);
    write_json(&mut sink, value, &mut Vec::new())?;
    sink.check()?;
    Ok(out)
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

fn write_list_plain(sink: &mut Sink<'_>, items: &[Value]) -> Fits {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            sink.out.push(',');
        }
        match item {
            Value::List(_) | Value::Map(_) | Value::Collection(_) => {
                write_json(sink, item, &mut Vec::new())?
            }
            other => display_into(sink, other)?,
        }
        sink.check()?;
    }
    Ok(())
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
fn write_json(sink: &mut Sink<'_>, value: &Value, open: &mut Vec<usize>) -> Fits {
    if let Some(id) = value.container_identity() {
        if open.len() > MAX_RENDER_DEPTH || open.contains(&id) {
            sink.out.push_str("\"...\"");
            return Ok(());
        }
        open.push(id);
        let written = write_json_container(sink, value, open);
        open.pop();
        return written;
    }
    let out = &mut *sink.out;
    match value {
        Value::Text(t) => write_json_string(out, t.as_str()),
        Value::DateTime(dt) => write_json_string(out, &format_datetime(dt)),
        Value::File(f) => write_json_string(out, &f.name),
        Value::Error(e) => write_json_string(out, &e.message),
        other => write_scalar(out, other),
    }
    Ok(())
}

fn write_json_container(sink: &mut Sink<'_>, value: &Value, open: &mut Vec<usize>) -> Fits {
    match value {
        Value::List(list) => match list.try_borrow() {
            Ok(items) => return write_json_array(sink, &items, open),
            Err(_) => sink.out.push_str("\"...\""),
        },
        Value::Map(map) => match map.try_borrow() {
            Ok(entries) => return write_json_object(sink, entries.iter(), open),
            Err(_) => sink.out.push_str("\"...\""),
        },
        Value::Collection(c) => match c.try_borrow() {
            Ok(data) => match &*data {
                CollectionData::Empty => sink.out.push_str("[]"),
                CollectionData::List(items) => return write_json_array(sink, items, open),
                CollectionData::Map(entries) => {
                    return write_json_object(sink, entries.iter(), open)
                }
            },
            Err(_) => sink.out.push_str("\"...\""),
        },
        other => write_scalar(sink.out, other),
    }
    Ok(())
}

fn write_json_array(sink: &mut Sink<'_>, items: &[Value], open: &mut Vec<usize>) -> Fits {
    sink.out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            sink.out.push(',');
        }
        write_json(sink, item, open)?;
        sink.check()?;
    }
    sink.out.push(']');
    Ok(())
}

fn write_json_object<'a>(
    sink: &mut Sink<'_>,
    entries: impl Iterator<Item = (&'a Value, &'a Value)>,
    open: &mut Vec<usize>,
) -> Fits {
    sink.out.push('{');
    for (i, (key, value)) in entries.enumerate() {
        if i > 0 {
            sink.out.push(',');
        }
        match key {
            Value::Text(t) => write_json_string(sink.out, t.as_str()),
            Value::List(_) | Value::Map(_) | Value::Collection(_) => {
                write_container_key(sink, key, open)?
            }
            other => write_json_string(sink.out, &display(other)),
        }
        sink.out.push(':');
        write_json(sink, value, open)?;
        sink.check()?;
    }
    sink.out.push('}');
    Ok(())
}

/// Marks, in `open`, that a container key is being written.
const KEY_MARK: usize = usize::MAX;

/// Deepest nesting of container keys inside container keys that is rendered. Each level
/// escapes the one inside it again, doubling its backslashes, so the text grows
/// exponentially with this nesting: a map keyed by a map keyed by a map, 40 levels deep,
/// would print terabytes.
const MAX_KEY_NESTING: usize = 8;

/// Appends a container used as a key: its JSON, as a JSON string.
fn write_container_key(sink: &mut Sink<'_>, key: &Value, open: &mut Vec<usize>) -> Fits {
    if open.iter().filter(|&&id| id == KEY_MARK).count() >= MAX_KEY_NESTING {
        sink.out.push_str("\"...\"");
        return Ok(());
    }
    let mut nested = String::new();
    let mut nested_sink = Sink {
        end: sink.end.saturating_sub(sink.out.len()),
        limit: sink.limit,
        out: &mut nested,
    };
    open.push(KEY_MARK);
    let written = write_json(&mut nested_sink, key, open);
    open.pop();
    written?;
    write_json_string(sink.out, &nested);
    sink.check()
}

/// Appends `s` as a JSON string literal, escaping quotes, backslashes and control characters.
pub fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    // Runs without anything to escape are copied whole. Every byte escaped is ASCII, and the
    // bytes of a multi-byte character are all 0x80 or above, so each cut is at a character.
    let mut plain = 0;
    for (i, byte) in s.bytes().enumerate() {
        let escaped = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[plain..i]);
        if escaped.is_empty() {
            let _ = write!(out, "\\u{byte:04x}");
        } else {
            out.push_str(escaped);
        }
        plain = i + 1;
    }
    out.push_str(&s[plain..]);
    out.push('"');
}
