//! COLLECTION functions (language.md §2.4, §6.6). A collection starts empty and becomes
//! index-value (list-like) or key-value (map-like) with its first insert; inserting the other
//! kind is an error. In a list-like collection the "keys" are the 0-based indexes.
//!
//! Calling convention for pairs: `c.insert(k : v, ...)` reaches `insert` as ONE KEY-VALUE
//! argument (as the parser builds it); `c.insert(k, v)` with two plain arguments also inserts
//! one pair. `c.insert(x)` with any other single value inserts an element.

use std::cmp::Ordering;

use crate::eval::context::NativeCtx;
use crate::eval::render::display;
use crate::eval::value::{Collection, CollectionData, MapData, Value, ValueType};

use crate::eval::args::{as_int, check_collection_len, Args};
use super::common::{compare, values_equal};
use super::list::{distinct_values, sorted};
use super::map::lookup;
use super::registry::{builtin, Builtin, NativeResult, Receiver};

/// The collection built-ins.
pub static BUILTINS: &[Builtin] = &[
    builtin!("insert", Receiver::Type(ValueType::Collection), "(element: any) | (key : value, ...)", "null", (1, 2), insert, "Adds an element (list-like) or key-value pairs (map-like); the first insert fixes the kind."),
    builtin!("insertAll", Receiver::Type(ValueType::Collection), "(items: LIST | KEY-VALUE | COLLECTION)", "null", (1, 1), insert_all, "Adds every element of a list, or every pair of a map."),
    builtin!("delete", Receiver::Type(ValueType::Collection), "(value: any)", "null", (1, 1), delete, "Removes every element equal to `value` (list-like) or every pair whose value is `value` (map-like)."),
    builtin!("deleteAll", Receiver::Type(ValueType::Collection), "(values: LIST)", "null", (1, 1), delete_all, "delete for each of `values`."),
    builtin!("deleteKey", Receiver::Type(ValueType::Collection), "(key: any)", "null", (1, 1), delete_key, "Removes the pair with `key` (map-like) or the element at index `key` (list-like)."),
    builtin!("deleteKeys", Receiver::Type(ValueType::Collection), "(keys: any, ...)", "null", (1, 255), delete_keys, "deleteKey for each key given (or each element of a list given)."),
    builtin!("get", Receiver::Type(ValueType::Collection), "(key: any)", "any", (1, 1), get, "The value of `key` (map-like; null when absent) or the element at index `key` (list-like)."),
    builtin!("getKey", Receiver::Type(ValueType::Collection), "(value: any)", "any", (1, 1), get_key, "The first key (or index) holding `value`; null when absent."),
    builtin!("getLastKey", Receiver::Type(ValueType::Collection), "()", "any", (0, 0), get_last_key, "The last key (or index); null when empty."),
    builtin!("containsKey", Receiver::Type(ValueType::Collection), "(key: any)", "BOOLEAN", (1, 1), contains_key, "True when `key` is present (map-like) or is a valid index (list-like)."),
    builtin!("containKey", Receiver::Type(ValueType::Collection), "(key: any)", "BOOLEAN", (1, 1), contains_key, "Same as containsKey."),
    builtin!("containsValue", Receiver::Type(ValueType::Collection), "(value: any)", "BOOLEAN", (1, 1), contains_value, "True when some element or value equals `value`."),
    builtin!("contains", Receiver::Type(ValueType::Collection), "(value: any)", "BOOLEAN", (1, 1), contains_value, "Same as containsValue."),
    builtin!("notContains", Receiver::Type(ValueType::Collection), "(value: any)", "BOOLEAN", (1, 1), not_contains, "True when no element or value equals `value`."),
    builtin!("keys", Receiver::Type(ValueType::Collection), "()", "LIST", (0, 0), keys, "The keys (map-like) or the indexes (list-like)."),
    builtin!("values", Receiver::Type(ValueType::Collection), "()", "LIST", (0, 0), values, "The values or elements, in order."),
    builtin!("update", Receiver::Type(ValueType::Collection), "(key: any, value: any)", "null", (2, 2), update, "Sets the value of `key` (map-like) or the element at index `key` (list-like)."),
    builtin!("sort", Receiver::Type(ValueType::Collection), "([ascending: BOOLEAN])", "COLLECTION", (0, 1), sort, "A new collection sorted by element or value; null when types are mixed."),
    builtin!("sortKey", Receiver::Type(ValueType::Collection), "([ascending: BOOLEAN])", "COLLECTION", (0, 1), sort_key, "A new collection with the pairs sorted by key."),
    builtin!("duplicate", Receiver::Type(ValueType::Collection), "([start: NUMBER[, end: NUMBER]])", "LIST or COLLECTION", (0, 2), duplicate, "The elements from `start` to `end` (exclusive; all by default) as a new list; a key-value collection gives a new collection of those pairs."),
    builtin!("distinct", Receiver::Type(ValueType::Collection), "()", "COLLECTION", (0, 0), distinct, "A new collection without repeated elements (or pairs with repeated values)."),
    builtin!("intersect", Receiver::Type(ValueType::Collection), "(other: COLLECTION | LIST | KEY-VALUE)", "COLLECTION", (1, 1), intersect, "A new collection of the elements (or pairs) also in `other`."),
    builtin!("size", Receiver::Type(ValueType::Collection), "()", "NUMBER", (0, 0), size, "Number of elements or pairs."),
    builtin!("count", Receiver::Type(ValueType::Collection), "()", "NUMBER", (0, 0), size, "Same as size."),
    builtin!("clear", Receiver::Type(ValueType::Collection), "()", "null", (0, 0), clear, "Removes everything; the collection can then take either kind."),
    builtin!("toList", Receiver::Type(ValueType::Collection), "()", "LIST", (0, 0), to_list, "The elements (or values) as a new list."),
];

/// Conversions to COLLECTION from other types.
pub static CONVERSIONS: &[Builtin] = &[Builtin {
    name: "toCollection",
    receiver: Receiver::Any,
    params: "()",
    returns: "COLLECTION",
    arity: (0, 0),
    summary: "A collection from a list (list-like), a map or JSON object text (map-like), JSON array text or comma-separated text (list-like).",
    func: to_collection,
}];

fn receiver<'a>(a: &Args<'a>) -> Result<&'a Collection, String> {
    a.collection(0)
}

fn new_collection(data: CollectionData) -> Value {
    Value::Collection(Collection::from_data(data))
}

fn len_of(data: &CollectionData) -> usize {
    match data {
        CollectionData::Empty => 0,
        CollectionData::List(items) => items.len(),
        CollectionData::Map(pairs) => pairs.len(),
    }
}

fn wrong_kind(name: &str, holds_pairs: bool) -> String {
    if holds_pairs {
        format!("{name}: this collection holds key-value pairs; insert key : value instead of a single value")
    } else {
        format!("{name}: this collection holds values; a key : value pair cannot be inserted")
    }
}

/// What one `insert` adds.
enum Addition {
    Elements(Vec<Value>),
    Pairs(MapData),
}

fn add(ctx: &NativeCtx<'_>, name: &str, coll: &Collection, addition: Addition) -> NativeResult {
    let current = len_of(&coll.borrow());
    let extra = match &addition {
        Addition::Elements(items) => items.len(),
        Addition::Pairs(pairs) => pairs.len(),
    };
    check_collection_len(ctx, name, current + extra)?;
    let mut data = coll.borrow_mut();
    match (&mut *data, addition) {
        (CollectionData::List(items), Addition::Elements(new)) => items.extend(new),
        (CollectionData::Map(pairs), Addition::Pairs(new)) => pairs.extend(new),
        (CollectionData::Empty, Addition::Elements(new)) => *data = CollectionData::List(new),
        (CollectionData::Empty, Addition::Pairs(new)) => *data = CollectionData::Map(new),
        (CollectionData::List(_), Addition::Pairs(_)) => return Err((wrong_kind(name, false)).into()),
        (CollectionData::Map(_), Addition::Elements(_)) => return Err((wrong_kind(name, true)).into()),
    }
    Ok(Value::Null)
}

fn insert(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let coll = receiver(&a)?;
    let addition = if a.has(2) {
        let mut pair = MapData::default();
        pair.insert(a.get(1).clone(), a.get(2).clone());
        Addition::Pairs(pair)
    } else {
        match a.get(1) {
            Value::Map(m) => Addition::Pairs(m.borrow().clone()),
            other => Addition::Elements(vec![other.clone()]),
        }
    };
    add(ctx, "insert", coll, addition)
}

fn insert_all(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let coll = receiver(&a)?;
    let addition = match a.get(1) {
        Value::List(l) => Addition::Elements(l.borrow().clone()),
        Value::Map(m) => Addition::Pairs(m.borrow().clone()),
        Value::Collection(c) => match &*c.borrow() {
            CollectionData::Empty => return Ok(Value::Null),
            CollectionData::List(items) => Addition::Elements(items.clone()),
            CollectionData::Map(pairs) => Addition::Pairs(pairs.clone()),
        },
        _ => return Err(a.mismatch().into()),
    };
    add(ctx, "insertAll", coll, addition)
}

/// Removes every element, or pair whose value, equals one of `unwanted`.
fn delete_values(coll: &Collection, unwanted: &[Value]) {
    let is_unwanted = |v: &Value| unwanted.iter().any(|u| values_equal(v, u));
    let kept = match &*coll.borrow() {
        CollectionData::Empty => return,
        CollectionData::List(items) => {
            CollectionData::List(items.iter().filter(|v| !is_unwanted(v)).cloned().collect())
        }
        CollectionData::Map(pairs) => CollectionData::Map(
            pairs
                .iter()
                .filter(|(_, v)| !is_unwanted(v))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
    };
    *coll.borrow_mut() = kept;
}

fn delete(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    delete_values(receiver(&a)?, std::slice::from_ref(a.get(1)));
    Ok(Value::Null)
}

fn delete_all(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let unwanted = match a.get(1) {
        Value::List(l) => l.borrow().clone(),
        Value::Collection(c) => match &*c.borrow() {
            CollectionData::List(items) => items.clone(),
            CollectionData::Map(pairs) => pairs.values().cloned().collect(),
            CollectionData::Empty => Vec::new(),
        },
        _ => return Err(a.mismatch().into()),
    };
    delete_values(receiver(&a)?, &unwanted);
    Ok(Value::Null)
}

/// The index named by `key` in a list-like collection of `len` elements.
fn index_of_key(name: &str, key: &Value, len: usize) -> Result<usize, String> {
    as_int(key)
        .and_then(|i| usize::try_from(i).ok())
        .filter(|&i| i < len)
        .ok_or_else(|| {
            format!(
                "{name}: {} is not an index of this collection of {len} elements",
                display(key)
            )
        })
}

fn delete_one_key(name: &str, coll: &Collection, key: &Value) -> Result<(), String> {
    let mut data = coll.borrow_mut();
    match &mut *data {
        CollectionData::Empty => {}
        CollectionData::Map(pairs) => {
            pairs.shift_remove(key);
        }
        CollectionData::List(items) => {
            let index = index_of_key(name, key, items.len())?;
            items.remove(index);
        }
    }
    Ok(())
}

fn delete_key(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    delete_one_key("deleteKey", receiver(&a)?, a.get(1))?;
    Ok(Value::Null)
}

fn delete_keys(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    let coll = receiver(&a)?;
    let mut keys: Vec<Value> = match args.get(1..) {
        Some([Value::List(l)]) => l.borrow().clone(),
        Some(rest) => rest.to_vec(),
        None => Vec::new(),
    };
    if matches!(&*coll.borrow(), CollectionData::List(_)) {
        // Delete the highest indexes first so that earlier deletions do not shift later ones.
        keys.sort_by(|x, y| compare(y, x).unwrap_or(Ordering::Equal));
        keys.dedup_by(|x, y| values_equal(x, y));
    }
    for key in &keys {
        delete_one_key("deleteKeys", coll, key)?;
    }
    Ok(Value::Null)
}

fn get(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let data = receiver(&a)?.borrow();
    match &*data {
        CollectionData::Empty => Ok(Value::Null),
        CollectionData::Map(pairs) => Ok(lookup(pairs, a.get(1)).unwrap_or_default()),
        CollectionData::List(items) => {
            let index = index_of_key("get", a.get(1), items.len())?;
            Ok(items[index].clone())
        }
    }
}

fn get_key(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let wanted = a.get(1);
    let data = receiver(&a)?.borrow();
    Ok(match &*data {
        CollectionData::Empty => Value::Null,
        CollectionData::Map(pairs) => pairs
            .iter()
            .find(|(_, v)| values_equal(v, wanted))
            .map(|(k, _)| k.clone())
            .unwrap_or_default(),
        CollectionData::List(items) => items
            .iter()
            .position(|v| values_equal(v, wanted))
            .map_or(Value::Null, |i| Value::Number(i as i64)),
    })
}

fn get_last_key(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let data = receiver(&a)?.borrow();
    Ok(match &*data {
        CollectionData::Empty => Value::Null,
        CollectionData::Map(pairs) => pairs.keys().last().cloned().unwrap_or_default(),
        CollectionData::List(items) => items
            .len()
            .checked_sub(1)
            .map_or(Value::Null, |i| Value::Number(i as i64)),
    })
}

fn contains_key(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let data = receiver(&a)?.borrow();
    Ok(Value::Bool(match &*data {
        CollectionData::Empty => false,
        CollectionData::Map(pairs) => lookup(pairs, a.get(1)).is_some(),
        CollectionData::List(items) => index_of_key("", a.get(1), items.len()).is_ok(),
    }))
}

fn holds_value(coll: &Collection, wanted: &Value) -> bool {
    match &*coll.borrow() {
        CollectionData::Empty => false,
        CollectionData::Map(pairs) => pairs.values().any(|v| values_equal(v, wanted)),
        CollectionData::List(items) => items.iter().any(|v| values_equal(v, wanted)),
    }
}

fn contains_value(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    Ok(Value::Bool(holds_value(receiver(&a)?, a.get(1))))
}

fn not_contains(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    Ok(Value::Bool(!holds_value(receiver(&a)?, a.get(1))))
}

fn keys(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let data = receiver(&a)?.borrow();
    let keys = match &*data {
        CollectionData::Empty => Vec::new(),
        CollectionData::Map(pairs) => pairs.keys().cloned().collect(),
        CollectionData::List(items) => (0..items.len() as i64).map(Value::Number).collect(),
    };
    Ok(Value::list_from(keys))
}

fn values_of(data: &CollectionData) -> Vec<Value> {
    match data {
        CollectionData::Empty => Vec::new(),
        CollectionData::Map(pairs) => pairs.values().cloned().collect(),
        CollectionData::List(items) => items.clone(),
    }
}

fn values(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    Ok(Value::list_from(values_of(&receiver(&a)?.borrow())))
}

fn to_list(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    Ok(Value::list_from(values_of(&receiver(&a)?.borrow())))
}

fn update(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let coll = receiver(&a)?;
    let key = a.get(1).clone();
    let value = a.get(2).clone();
    let mut data = coll.borrow_mut();
    match &mut *data {
        CollectionData::List(items) => {
            let index = index_of_key("update", &key, items.len())?;
            items[index] = value;
        }
        CollectionData::Map(pairs) => {
            if !pairs.contains_key(&key) {
                check_collection_len(ctx, a.name(), pairs.len() + 1)?;
            }
            pairs.insert(key, value);
        }
        CollectionData::Empty => {
            let mut pairs = MapData::default();
            pairs.insert(key, value);
            *data = CollectionData::Map(pairs);
        }
    }
    Ok(Value::Null)
}

fn ordered_pairs(pairs: &MapData, by_key: bool) -> Option<MapData> {
    let entries: Vec<(&Value, &Value)> = pairs.iter().collect();
    fn key_of<'v>(e: &(&'v Value, &'v Value), by_key: bool) -> &'v Value {
        if by_key {
            e.0
        } else {
            e.1
        }
    }
    let comparable = entries
        .windows(2)
        .all(|w| compare(key_of(&w[0], by_key), key_of(&w[1], by_key)).is_some());
    if !comparable {
        return None;
    }
    let mut entries = entries;
    entries
        .sort_by(|x, y| compare(key_of(x, by_key), key_of(y, by_key)).unwrap_or(Ordering::Equal));
    Some(
        entries
            .into_iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}

fn sorted_collection(a: Args<'_>, by_key: bool) -> NativeResult {
    let ascending = a.bool_or(1, true)?;
    let data = receiver(&a)?.borrow();
    let result = match &*data {
        CollectionData::Empty => Some(CollectionData::Empty),
        CollectionData::List(items) if by_key => Some(CollectionData::List(items.clone())),
        CollectionData::List(items) => sorted(items).map(CollectionData::List),
        CollectionData::Map(pairs) => ordered_pairs(pairs, by_key).map(CollectionData::Map),
    };
    Ok(match result {
        Some(mut data) => {
            if !ascending {
                match &mut data {
                    CollectionData::List(items) => items.reverse(),
                    CollectionData::Map(pairs) => pairs.reverse(),
                    CollectionData::Empty => {}
                }
            }
            new_collection(data)
        }
        None => Value::Null,
    })
}

fn sort(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    sorted_collection(a, false)
}

fn sort_key(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    sorted_collection(a, true)
}

fn duplicate(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let data = receiver(&a)?.borrow();
    let len = len_of(&data);
    let start = a.opt_int(1)?.unwrap_or(0);
    let end = a.opt_int(2)?.unwrap_or(len as i64);
    let valid = 0 <= start && start <= end && end <= len as i64;
    if !valid {
        return Err((a.error(format!(
            "the range {start} to {end} does not fit a collection of {len} entries"
        ))).into());
    }
    let (start, end) = (start as usize, end as usize);
    let copy = match &*data {
        CollectionData::Empty => CollectionData::Empty,
        CollectionData::List(items) => return Ok(Value::list_from(items[start..end].to_vec())),
        CollectionData::Map(pairs) => CollectionData::Map(
            pairs
                .iter()
                .skip(start)
                .take(end - start)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
    };
    Ok(new_collection(copy))
}

fn distinct(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let data = receiver(&a)?.borrow();
    let result = match &*data {
        CollectionData::Empty => CollectionData::Empty,
        CollectionData::List(items) => CollectionData::List(distinct_values(items)),
        CollectionData::Map(pairs) => {
            let mut seen: Vec<&Value> = Vec::new();
            let mut kept = MapData::default();
            for (k, v) in pairs {
                if !seen.iter().any(|s| values_equal(s, v)) {
                    seen.push(v);
                    kept.insert(k.clone(), v.clone());
                }
            }
            CollectionData::Map(kept)
        }
    };
    Ok(new_collection(result))
}

fn intersect(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let other = match a.get(1) {
        Value::Collection(c) => match &*c.borrow() {
            CollectionData::Empty => CollectionData::Empty,
            CollectionData::List(items) => CollectionData::List(items.clone()),
            CollectionData::Map(pairs) => CollectionData::Map(pairs.clone()),
        },
        Value::List(l) => CollectionData::List(l.borrow().clone()),
        Value::Map(m) => CollectionData::Map(m.borrow().clone()),
        _ => return Err(a.mismatch().into()),
    };
    let data = receiver(&a)?.borrow();
    let result = match (&*data, &other) {
        (CollectionData::List(mine), CollectionData::List(theirs)) => {
            let common: Vec<Value> = mine
                .iter()
                .filter(|v| theirs.iter().any(|o| values_equal(v, o)))
                .cloned()
                .collect();
            CollectionData::List(distinct_values(&common))
        }
        (CollectionData::Map(mine), CollectionData::Map(theirs)) => CollectionData::Map(
            mine.iter()
                .filter(|(k, v)| theirs.get(*k).is_some_and(|o| values_equal(v, o)))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        _ => CollectionData::Empty,
    };
    Ok(new_collection(result))
}

fn size(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    Ok(Value::Number(len_of(&receiver(&a)?.borrow()) as i64))
}

fn clear(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    *receiver(&a)?.borrow_mut() = CollectionData::Empty;
    Ok(Value::Null)
}

fn to_collection(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    let data = match a.get(0) {
        Value::Collection(_) => return Ok(args[0].clone()),
        Value::List(l) => CollectionData::List(l.borrow().clone()),
        Value::Map(m) => CollectionData::Map(m.borrow().clone()),
        Value::Text(t) => text_to_collection(ctx, t)?,
        other => {
            return Err(format!(
                "{} cannot convert a {} to a COLLECTION",
                a.name(),
                other.value_type()
            ).into())
        }
    };
    Ok(new_collection(data))
}

fn text_to_collection(ctx: &NativeCtx<'_>, text: &str) -> Result<CollectionData, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(CollectionData::Empty);
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let parsed = super::json::parse(trimmed)
            .map_err(|e| format!("toCollection: the text is not a valid JSON: {e}"))?;
        return Ok(match parsed {
            Value::Map(m) => CollectionData::Map(m.borrow().clone()),
            Value::List(l) => CollectionData::List(l.borrow().clone()),
            other => CollectionData::List(vec![other]),
        });
    }
    check_collection_len(ctx, "toCollection", text.matches(',').count() + 1)?;
    Ok(CollectionData::List(
        text.split(',').map(Value::text).collect(),
    ))
}

#[cfg(test)]
mod tests;
