//! JSON reading (language.md §6.9): the built-ins that read JSON text (`toMap`, `toJSONList`,
//! `getJSON`). The parser itself is `eval::json` (re-exported here as [`parse`]); writing JSON
//! is `eval::render::to_json`.

use crate::eval::context::NativeCtx;
pub use crate::eval::json::{parse, parse_limited, MAX_DEPTH};
use crate::eval::value::{CollectionData, Map, Value, ValueType};

use crate::eval::args::{check_collection_len, check_text_len, Args};
use super::registry::{builtin, Builtin, NativeResult, Receiver};

/// The JSON-reading built-ins.
pub static BUILTINS: &[Builtin] = &[
    builtin!("toMap", Receiver::Type(ValueType::Text), "()", "KEY-VALUE", (0, 0), text_to_map, "Parses JSON object text (unquoted keys and values accepted); empty text gives an empty map."),
    builtin!("toMap", Receiver::Type(ValueType::Map), "()", "KEY-VALUE", (0, 0), map_to_map, "The map itself."),
    builtin!("toMap", Receiver::Type(ValueType::Collection), "()", "KEY-VALUE", (0, 0), collection_to_map, "A new map with the pairs of a key-value collection."),
    builtin!("toJSONList", Receiver::Type(ValueType::Text), "()", "LIST", (0, 0), text_to_json_list, "Parses JSON array text into a list; empty text gives an empty list."),
    builtin!("toJSONList", Receiver::Type(ValueType::List), "()", "LIST", (0, 0), list_to_json_list, "The list itself."),
    builtin!("getJSON", Receiver::Type(ValueType::Text), "(key: TEXT)", "any", (1, 1), text_get_json, "Parses JSON object text and returns the value of `key` (maps and lists come back as such); null when absent."),
    builtin!("getJSON", Receiver::Type(ValueType::Map), "(key: TEXT)", "any", (1, 1), map_get_json, "The value of `key`; null when absent."),
];

/// Parses `text` for the built-in `name`, with the standard "not a valid JSON" message.
fn parse_for(ctx: &NativeCtx<'_>, name: &str, text: &str) -> Result<Value, String> {
    check_text_len(ctx, name, text.len())?;
    parse_limited(text, ctx.env.limits.max_collection_len).map_err(|detail| {
        format!(
            "{name}: \"{}\" is not a valid JSON: {detail}",
            excerpt(text)
        )
    })
}

/// The start of `text`, for messages.
fn excerpt(text: &str) -> String {
    const MAX_CHARS: usize = 40;
    let trimmed = text.trim();
    if trimmed.chars().count() <= MAX_CHARS {
        trimmed.to_owned()
    } else {
        let head: String = trimmed.chars().take(MAX_CHARS).collect();
        format!("{head}...")
    }
}

fn text_to_map(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let text = a.text(0)?;
    if text.trim().is_empty() {
        return Ok(Value::new_map());
    }
    match parse_for(ctx, a.name(), text)? {
        map @ Value::Map(_) => Ok(map),
        other => Err(format!(
            "{}: \"{}\" is not a valid JSON object: it is a {}",
            a.name(),
            excerpt(text),
            other.value_type()
        ).into()),
    }
}

fn map_to_map(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    a.map(0)?;
    Ok(args[0].clone())
}

fn collection_to_map(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let data = a.collection(0)?.borrow();
    match &*data {
        CollectionData::Empty => Ok(Value::new_map()),
        CollectionData::Map(pairs) => {
            check_collection_len(ctx, a.name(), pairs.len())?;
            Ok(Value::Map(Map::from_data(pairs.clone())))
        }
        CollectionData::List(_) => Err((a.error(
            "the collection holds values, not key-value pairs; only a key-value collection converts to a map",
        )).into()),
    }
}

fn text_to_json_list(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let text = a.text(0)?;
    if text.trim().is_empty() {
        return Ok(Value::new_list());
    }
    match parse_for(ctx, a.name(), text)? {
        list @ Value::List(_) => Ok(list),
        other => Err(format!(
            "{}: \"{}\" is not a valid JSON array: it is a {}",
            a.name(),
            excerpt(text),
            other.value_type()
        ).into()),
    }
}

fn list_to_json_list(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    a.list(0)?;
    Ok(args[0].clone())
}

fn text_get_json(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let text = a.text(0)?;
    let key = a.text_like(1)?;
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    match parse_for(ctx, a.name(), text)? {
        Value::Map(map) => Ok(map
            .borrow()
            .get(&Value::text(key.as_ref()))
            .cloned()
            .unwrap_or_default()),
        other => Err(format!(
            "{}: \"{}\" is not a JSON object but a {}; use toJSONList() for arrays",
            a.name(),
            excerpt(text),
            other.value_type()
        ).into()),
    }
}

fn map_get_json(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let map = a.map(0)?;
    let key = match a.get(1) {
        Value::Null => return Err(a.mismatch().into()),
        key => key,
    };
    Ok(super::map::lookup(&map.borrow(), key).unwrap_or_default())
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod properties;
