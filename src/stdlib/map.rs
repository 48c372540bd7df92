//! KEY-VALUE (map) functions (language.md §6.7). Maps keep insertion order; `put` on an existing
//! key replaces the value in place. Keys are case-sensitive. `get` with a NUMBER key also finds
//! the same digits stored as a TEXT key (JSON object keys are always text), and vice versa.

use crate::eval::context::NativeCtx;
use crate::eval::value::{CollectionData, Map, MapData, Value, ValueType};

use crate::eval::args::{check_collection_len, Args};
use super::common::{parse_whole_number, values_equal};
use super::registry::{builtin, Builtin, NativeResult, Receiver};

/// The map built-ins.
pub static BUILTINS: &[Builtin] = &[
    builtin!(
        "put",
        Receiver::Type(ValueType::Map),
        "(key: any, value: any)",
        "null",
        (2, 2),
        put,
        "Sets `key` to `value`, replacing an existing value in place."
    ),
    builtin!(
        "putAll",
        Receiver::Type(ValueType::Map),
        "(other: KEY-VALUE)",
        "null",
        (1, 1),
        put_all,
        "Puts every pair of `other`; its values win."
    ),
    builtin!(
        "get",
        Receiver::Type(ValueType::Map),
        "(key: any)",
        "any",
        (1, 1),
        get,
        "The value of `key`; null when absent."
    ),
    builtin!(
        "keys",
        Receiver::Type(ValueType::Map),
        "()",
        "LIST",
        (0, 0),
        keys,
        "The keys, in insertion order."
    ),
    builtin!(
        "values",
        Receiver::Type(ValueType::Map),
        "()",
        "LIST",
        (0, 0),
        values,
        "The values, in insertion order."
    ),
    builtin!(
        "containKey",
        Receiver::Type(ValueType::Map),
        "(key: any)",
        "BOOLEAN",
        (1, 1),
        contains_key,
        "True when `key` is present (case-sensitive)."
    ),
    builtin!(
        "containsKey",
        Receiver::Type(ValueType::Map),
        "(key: any)",
        "BOOLEAN",
        (1, 1),
        contains_key,
        "Same as containKey."
    ),
    builtin!(
        "containValue",
        Receiver::Type(ValueType::Map),
        "(value: any)",
        "BOOLEAN",
        (1, 1),
        contains_value,
        "True when some key has `value`."
    ),
    builtin!(
        "containsValue",
        Receiver::Type(ValueType::Map),
        "(value: any)",
        "BOOLEAN",
        (1, 1),
        contains_value,
        "Same as containValue."
    ),
    builtin!(
        "remove",
        Receiver::Type(ValueType::Map),
        "(key: any)",
        "any",
        (1, 1),
        remove,
        "Removes `key` and returns its value (null when absent)."
    ),
    builtin!(
        "size",
        Receiver::Type(ValueType::Map),
        "()",
        "NUMBER",
        (0, 0),
        size,
        "Number of pairs."
    ),
    builtin!(
        "count",
        Receiver::Type(ValueType::Map),
        "()",
        "NUMBER",
        (0, 0),
        size,
        "Same as size."
    ),
    builtin!(
        "clear",
        Receiver::Type(ValueType::Map),
        "()",
        "null",
        (0, 0),
        clear,
        "Removes every pair."
    ),
];

fn receiver<'a>(a: &Args<'a>) -> Result<&'a Map, String> {
    a.map(0)
}

/// The other spelling of a scalar key: NUMBER `1` for TEXT `"1"` and the reverse.
fn alternate_key(key: &Value) -> Option<Value> {
    match key {
        Value::Number(n) => Some(Value::text(n.to_string())),
        Value::Text(t) => parse_whole_number(t)
            .filter(|n| n.to_string() == t.as_str())
            .map(Value::Number),
        _ => None,
    }
}

/// The value of `key` in `data`, trying the alternate spelling of a scalar key.
pub fn lookup(data: &MapData, key: &Value) -> Option<Value> {
    data.get(key)
        .or_else(|| alternate_key(key).and_then(|alt| data.get(&alt)))
        .cloned()
}

fn put(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let map = receiver(&a)?;
    let key = a.get(1).clone();
    let mut data = map.borrow_mut();
    if data.len() >= ctx.env.limits.max_collection_len && !data.contains_key(&key) {
        check_collection_len(ctx, a.name(), data.len() + 1)?;
    }
    data.insert(key, a.get(2).clone());
    Ok(Value::Null)
}

/// The pairs of a MAP or key-value COLLECTION argument, copied out.
fn pairs_of(a: &Args<'_>, i: usize) -> Result<MapData, String> {
    match a.get(i) {
        Value::Map(m) => Ok(m.borrow().clone()),
        Value::Collection(c) => match &*c.borrow() {
            CollectionData::Map(pairs) => Ok(pairs.clone()),
            CollectionData::Empty => Ok(MapData::default()),
            CollectionData::List(_) => Err(a.mismatch()),
        },
        _ => Err(a.mismatch()),
    }
}

fn put_all(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let map = receiver(&a)?;
    let pairs = pairs_of(&a, 1)?;
    let added = {
        let data = map.borrow();
        pairs.keys().filter(|k| !data.contains_key(*k)).count()
    };
    let len = map.borrow().len();
    check_collection_len(ctx, a.name(), len + added)?;
    map.borrow_mut().extend(pairs);
    Ok(Value::Null)
}

fn get(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let data = receiver(&a)?.borrow();
    Ok(lookup(&data, a.get(1)).unwrap_or_default())
}

fn keys(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let keys: Vec<Value> = receiver(&a)?.borrow().keys().cloned().collect();
    Ok(Value::list_from(keys))
}

fn values(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let values: Vec<Value> = receiver(&a)?.borrow().values().cloned().collect();
    Ok(Value::list_from(values))
}

fn contains_key(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let data = receiver(&a)?.borrow();
    Ok(Value::Bool(lookup(&data, a.get(1)).is_some()))
}

fn contains_value(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let data = receiver(&a)?.borrow();
    let wanted = a.get(1);
    Ok(Value::Bool(data.values().any(|v| values_equal(v, wanted))))
}

fn remove(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let map = receiver(&a)?;
    let key = a.get(1);
    let mut data = map.borrow_mut();
    let removed = data
        .shift_remove(key)
        .or_else(|| alternate_key(key).and_then(|alt| data.shift_remove(&alt)));
    Ok(removed.unwrap_or_default())
}

fn size(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    Ok(Value::Number(receiver(&a)?.borrow().len() as i64))
}

fn clear(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    receiver(&a)?
        .borrow_mut()
        .clear();
    Ok(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::render::display;
    use crate::stdlib::testing::{self, call, shown};

    fn t(s: &str) -> Value {
        Value::text(s)
    }

    fn map(pairs: &[(Value, Value)]) -> Value {
        let m = Value::new_map();
        for (k, v) in pairs {
            call(put, &[m.clone(), k.clone(), v.clone()]).unwrap();
        }
        m
    }

    fn product() -> Value {
        map(&[(t("Product"), t("Creator")), (t("Company"), t("Zoho"))])
    }

    #[test]
    fn get_documented_examples() {
        assert_eq!(shown(get, &[product(), t("Product")]), "Creator");
        assert!(call(get, &[product(), t("Creator")]).unwrap().is_null());
    }

    #[test]
    fn put_overwrites_in_place() {
        let m = product();
        call(put, &[m.clone(), t("Product"), t("CRM")]).unwrap();
        assert_eq!(display(&m), r#"{"Product":"CRM","Company":"Zoho"}"#);
    }

    #[test]
    fn put_all_merges_and_the_argument_wins() {
        let m = product();
        let other = map(&[
            (t("Company"), t("Zoho Corp")),
            (t("Year"), Value::Number(1996)),
        ]);
        call(put_all, &[m.clone(), other]).unwrap();
        assert_eq!(
            display(&m),
            r#"{"Product":"Creator","Company":"Zoho Corp","Year":1996}"#
        );
        call(put_all, &[m.clone(), m.clone()]).unwrap();
        assert_eq!(shown(size, &[m]), "3");
    }

    #[test]
    fn keys_and_values_in_order() {
        let m = map(&[
            (t("Product"), t("Zoho Creator")),
            (t("Version"), Value::Number(5)),
        ]);
        assert_eq!(shown(keys, std::slice::from_ref(&m)), "Product,Version");
        assert_eq!(shown(values, std::slice::from_ref(&m)), "Zoho Creator,5");
        assert_eq!(shown(size, &[m]), "2");
        let mixed = map(&[(Value::Number(1), t("Number")), (t("a"), t("Alphabet"))]);
        assert_eq!(shown(keys, &[mixed]), "1,a");
    }

    #[test]
    fn contain_key_is_case_sensitive() {
        assert_eq!(shown(contains_key, &[product(), t("product")]), "false");
        assert_eq!(shown(contains_key, &[product(), t("Product")]), "true");
        assert_eq!(shown(contains_value, &[product(), t("Zoho")]), "true");
        assert_eq!(shown(contains_value, &[product(), t("zoho")]), "false");
    }

    #[test]
    fn number_and_text_keys_find_each_other() {
        let m = map(&[(t("1"), t("one")), (Value::Number(2), t("two"))]);
        assert_eq!(shown(get, &[m.clone(), Value::Number(1)]), "one");
        assert_eq!(shown(get, &[m.clone(), t("2")]), "two");
        assert!(call(get, &[m.clone(), t("01")]).unwrap().is_null());
        assert_eq!(shown(remove, &[m.clone(), Value::Number(1)]), "one");
        assert_eq!(shown(size, &[m]), "1");
    }

    #[test]
    fn remove_returns_value_and_keeps_order() {
        let m = map(&[
            (t("a"), Value::Number(1)),
            (t("b"), Value::Number(2)),
            (t("c"), Value::Number(3)),
        ]);
        assert_eq!(shown(remove, &[m.clone(), t("a")]), "1");
        assert!(call(remove, &[m.clone(), t("zz")]).unwrap().is_null());
        assert_eq!(display(&m), r#"{"b":2,"c":3}"#);
        call(clear, std::slice::from_ref(&m)).unwrap();
        assert_eq!(display(&m), "{}");
    }

    #[test]
    fn limits_and_type_errors() {
        let mut env = testing::env();
        env.limits.max_collection_len = 1;
        let mut ctx = NativeCtx::new(&env);
        let m = Value::new_map();
        crate::stdlib::testing::call_in(&mut ctx, put, &[m.clone(), t("a"), t("1")]).unwrap();
        crate::stdlib::testing::call_in(&mut ctx, put, &[m.clone(), t("a"), t("2")]).unwrap();
        assert_eq!(
            crate::stdlib::testing::call_in(&mut ctx, put, &[m.clone(), t("b"), t("3")]).unwrap_err().to_string(),
            "put: the result would have 2 entries, over the limit of 1 entries"
        );
        assert_eq!(
            call(put_all, &[m, t("x")]).unwrap_err(),
            "putAll expects (KEY-VALUE) but got (TEXT)"
        );
    }
}
