//! LIST functions (language.md §6.5). Mutators (`add`, `addAll`, `remove`, `removeElement`,
//! `removeAll`, `clear`) change the receiver in place; the others, `sort` included, return new
//! values. Indexes are 0-based. Elements are compared structurally ([`values_equal`]), so
//! `"1"` and `1` differ while `1` and `1.0` are equal.
//!
//! A list may contain itself; every function takes its borrows one at a time so that this
//! never panics.

use std::cmp::Ordering;

use crate::eval::context::NativeCtx;
use crate::eval::list_growth::reserve_items;
use crate::eval::value::{List, Value, ValueType};

use crate::eval::args::{check_collection_len, Args};
use super::common::{compare, values_equal};
use super::registry::{builtin, Builtin, NativeResult, Receiver};

/// The list built-ins.
pub static BUILTINS: &[Builtin] = &[
    builtin!("add", Receiver::Type(ValueType::List), "(element: any)", "null", (1, 1), add, "Appends `element` (a list is added as one element)."),
    builtin!("addAll", Receiver::Type(ValueType::List), "(elements: LIST)", "null", (1, 1), add_all, "Appends every element of `elements`."),
    builtin!("clear", Receiver::Type(ValueType::List), "()", "null", (0, 0), clear, "Removes every element."),
    builtin!("contains", Receiver::Type(ValueType::List), "(element: any)", "BOOLEAN", (1, 1), contains, "True when the list holds `element` (`\"1\"` and `1` differ)."),
    builtin!("notContains", Receiver::Type(ValueType::List), "(element: any)", "BOOLEAN", (1, 1), not_contains, "True when the list does not hold `element`."),
    builtin!("distinct", Receiver::Type(ValueType::List), "()", "LIST", (0, 0), distinct, "A new list without repeated elements, in first-occurrence order."),
    builtin!("get", Receiver::Type(ValueType::List), "(index: NUMBER)", "any", (1, 1), get, "The element at the 0-based `index`."),
    builtin!("indexOf", Receiver::Type(ValueType::List), "(element: any)", "NUMBER", (1, 1), index_of, "0-based index of the first `element`; -1 when absent."),
    builtin!("lastIndexOf", Receiver::Type(ValueType::List), "(element: any)", "NUMBER", (1, 1), last_index_of, "0-based index of the last `element`; -1 when absent."),
    builtin!("intersect", Receiver::Type(ValueType::List), "(other: LIST)", "LIST", (1, 1), intersect, "A new list of the distinct elements also in `other`, in this list's order."),
    builtin!("remove", Receiver::Type(ValueType::List), "(index: NUMBER)", "any", (1, 1), remove, "Removes the element at the 0-based `index` and returns it."),
    builtin!("removeElement", Receiver::Type(ValueType::List), "(element: any)", "BOOLEAN", (1, 1), remove_element, "Removes the first `element`; true when one was removed."),
    builtin!("removeAll", Receiver::Type(ValueType::List), "(elements: LIST)", "BOOLEAN", (1, 1), remove_all, "Removes every element that is in `elements`; true when any was removed."),
    builtin!("size", Receiver::Type(ValueType::List), "()", "NUMBER", (0, 0), size, "Number of elements."),
    builtin!("count", Receiver::Type(ValueType::List), "()", "NUMBER", (0, 0), size, "Same as size."),
    builtin!("sort", Receiver::Type(ValueType::List), "([ascending: BOOLEAN])", "LIST", (0, 1), sort, "A new sorted list (ascending unless `false`); null when element types are mixed. The receiver is unchanged."),
    builtin!("subList", Receiver::Type(ValueType::List), "(start: NUMBER[, end: NUMBER])", "LIST", (1, 2), sub_list, "A new list of the elements from `start` (inclusive) to `end` (exclusive, default: the end)."),
    builtin!("toListString", Receiver::Type(ValueType::List), "()", "LIST", (0, 0), to_list_string, "A new list with every element converted to its text."),
    builtin!("toList", Receiver::Type(ValueType::List), "()", "LIST", (0, 0), to_list, "The list itself."),
];

fn receiver<'a>(a: &Args<'a>) -> Result<&'a List, String> {
    a.list(0)
}

/// The elements of `value` when it is a LIST (or list-like COLLECTION), copied out so that
/// the receiver can then be borrowed mutably even when both are the same list.
fn elements_of(a: &Args<'_>, i: usize) -> Result<Vec<Value>, String> {
    match a.get(i) {
        Value::List(l) => Ok(l.borrow().clone()),
        Value::Collection(c) => match &*c.borrow() {
            crate::eval::value::CollectionData::Map(_) => Err(a.mismatch()),
            crate::eval::value::CollectionData::List(items) => Ok(items.clone()),
            crate::eval::value::CollectionData::Empty => Ok(Vec::new()),
        },
        _ => Err(a.mismatch()),
    }
}

fn add(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let mut items = receiver(&a)?.borrow_mut();
    make_room(ctx, a.name(), &mut items, 1)?;
    items.push(a.get(1).clone());
    Ok(Value::Null)
}

fn add_all(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let list = receiver(&a)?;
    if let Value::List(other) = a.get(1) {
        if !other.same(list) {
            // Another LIST: its elements are copied straight in, without a copy in between.
            let other = other.borrow();
            let mut items = list.borrow_mut();
            make_room(ctx, a.name(), &mut items, other.len())?;
            items.extend_from_slice(&other);
            return Ok(Value::Null);
        }
    }
    let items = elements_of(&a, 1)?;
    let mut list = list.borrow_mut();
    make_room(ctx, a.name(), &mut list, items.len())?;
    list.extend(items);
    Ok(Value::Null)
}

/// Checks that `additional` more items keep the list within the run's collection limit, and
/// makes room for them ([`reserve_items`]).
fn make_room(
    ctx: &NativeCtx<'_>,
    name: &str,
    items: &mut Vec<Value>,
    additional: usize,
) -> Result<(), String> {
    check_collection_len(ctx, name, items.len() + additional)?;
    reserve_items(items, additional, ctx.env.limits.max_collection_len);
    Ok(())
}

fn clear(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    receiver(&a)?
        .borrow_mut()
        .clear();
    Ok(Value::Null)
}

fn position(list: &List, wanted: &Value, from_end: bool) -> Option<usize> {
    let items = list.borrow();
    if from_end {
        items.iter().rposition(|v| values_equal(v, wanted))
    } else {
        items.iter().position(|v| values_equal(v, wanted))
    }
}

fn contains(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    Ok(Value::Bool(
        position(receiver(&a)?, a.get(1), false).is_some(),
    ))
}

fn not_contains(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    Ok(Value::Bool(
        position(receiver(&a)?, a.get(1), false).is_none(),
    ))
}

fn index_of(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let found = position(receiver(&a)?, a.get(1), false);
    Ok(Value::Number(found.map_or(-1, |i| i as i64)))
}

fn last_index_of(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let found = position(receiver(&a)?, a.get(1), true);
    Ok(Value::Number(found.map_or(-1, |i| i as i64)))
}

/// The distinct values of `items`, in first-occurrence order.
pub fn distinct_values(items: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    let scalars_only = items
        .iter()
        .all(|v| !matches!(v, Value::List(_) | Value::Map(_) | Value::Collection(_)));
    if scalars_only {
        let mut seen = indexmap::IndexSet::with_hasher(crate::eval::value::MapHasher::default());
        for item in items {
            if seen.insert(item) {
                out.push(item.clone());
            }
        }
    } else {
        for item in items {
            if !out.iter().any(|v| values_equal(v, item)) {
                out.push(item.clone());
            }
        }
    }
    out
}

fn distinct(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let items = receiver(&a)?.borrow().clone();
    Ok(Value::list_from(distinct_values(&items)))
}

/// Converts a 0-based index argument, with an error naming the list size when out of range.
fn index_in(a: &Args<'_>, i: usize, len: usize) -> Result<usize, String> {
    let index = a.int(i)?;
    usize::try_from(index)
        .ok()
        .filter(|&ix| ix < len)
        .ok_or_else(|| {
            a.error(format!(
                "index {index} is out of range for a list of {len} element{}",
                if len == 1 { "" } else { "s" }
            ))
        })
}

fn get(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let items = receiver(&a)?.borrow();
    let index = index_in(&a, 1, items.len())?;
    Ok(items[index].clone())
}

fn intersect(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let mine = receiver(&a)?.borrow().clone();
    let other = elements_of(&a, 1)?;
    let common: Vec<Value> = mine
        .into_iter()
        .filter(|v| other.iter().any(|o| values_equal(v, o)))
        .collect();
    Ok(Value::list_from(distinct_values(&common)))
}

fn remove(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let list = receiver(&a)?;
    if !matches!(a.get(1), Value::Number(_) | Value::Decimal(_)) {
        return Err(format!(
            "{}; list.remove takes an index, use removeElement to remove a value",
            a.mismatch()
        ).into());
    }
    let len = list.borrow().len();
    let index = index_in(&a, 1, len)?;
    Ok(list.borrow_mut().remove(index))
}

fn remove_element(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let list = receiver(&a)?;
    match position(list, a.get(1), false) {
        Some(index) => {
            list.borrow_mut().remove(index);
            Ok(Value::Bool(true))
        }
        None => Ok(Value::Bool(false)),
    }
}

fn remove_all(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let list = receiver(&a)?;
    let unwanted = elements_of(&a, 1)?;
    let kept: Vec<Value> = list
        .borrow()
        .iter()
        .filter(|v| !unwanted.iter().any(|u| values_equal(v, u)))
        .cloned()
        .collect();
    let changed = kept.len() != list.borrow().len();
    *list.borrow_mut() = kept;
    Ok(Value::Bool(changed))
}

fn size(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    Ok(Value::Number(receiver(&a)?.borrow().len() as i64))
}

/// The elements sorted ascending, or `None` when two of them cannot be compared.
pub fn sorted(items: &[Value]) -> Option<Vec<Value>> {
    let comparable = items
        .windows(2)
        .all(|pair| compare(&pair[0], &pair[1]).is_some());
    if !comparable {
        return None;
    }
    let mut out = items.to_vec();
    out.sort_by(|x, y| compare(x, y).unwrap_or(Ordering::Equal));
    Some(out)
}

fn sort(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let ascending = a.bool_or(1, true)?;
    let items = receiver(&a)?.borrow().clone();
    Ok(match sorted(&items) {
        Some(mut out) => {
            if !ascending {
                out.reverse();
            }
            Value::list_from(out)
        }
        None => Value::Null,
    })
}

fn sub_list(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let items = receiver(&a)?.borrow();
    let len = items.len() as i64;
    let start = a.int(1)?;
    let end = a.opt_int(2)?.unwrap_or(len);
    let out_of_range = |what: &str, v: i64| {
        a.error(format!(
            "{what} index {v} is out of range for a list of {len} elements"
        ))
    };
    if !(0..=len).contains(&start) {
        return Err((out_of_range("start", start)).into());
    }
    if !(0..=len).contains(&end) {
        return Err((out_of_range("end", end)).into());
    }
    if end < start {
        return Err((a.error(format!(
            "the end index {end} is before the start index {start}"
        ))).into());
    }
    Ok(Value::list_from(
        items[start as usize..end as usize].to_vec(),
    ))
}

fn to_list_string(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let texts: Vec<Value> = receiver(&a)?
        .borrow()
        .iter()
        .map(|v| match v {
            Value::Text(_) => v.clone(),
            other => Value::text(crate::eval::render::display(other)),
        })
        .collect();
    Ok(Value::list_from(texts))
}

fn to_list(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    receiver(&a)?;
    Ok(args[0].clone())
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use rust_decimal::Decimal;

    use super::*;
    use crate::eval::render::display;
    use crate::stdlib::testing::{self, call, shown};

    fn t(s: &str) -> Value {
        Value::text(s)
    }

    fn n(v: i64) -> Value {
        Value::Number(v)
    }

    fn d(s: &str) -> Value {
        Value::Decimal(Decimal::from_str(s).unwrap().into())
    }

    fn list(items: Vec<Value>) -> Value {
        Value::list_from(items)
    }

    #[test]
    fn add_appends_a_list_as_one_element() {
        let l = list(vec![t("a")]);
        call(add, &[l.clone(), list(vec![n(1), n(2)])]).unwrap();
        assert_eq!(display(&l), "a,[1,2]");
        call(add_all, &[l.clone(), list(vec![n(3), n(4)])]).unwrap();
        assert_eq!(display(&l), "a,[1,2],3,4");
    }

    #[test]
    fn add_all_of_itself_does_not_panic() {
        let l = list(vec![n(1), n(2)]);
        call(add_all, &[l.clone(), l.clone()]).unwrap();
        assert_eq!(display(&l), "1,2,1,2");
        call(remove_all, &[l.clone(), l.clone()]).unwrap();
        assert_eq!(display(&l), "");
    }

    #[test]
    fn growth_respects_the_limit() {
        let mut env = testing::env();
        env.limits.max_collection_len = 2;
        let mut ctx = NativeCtx::new(&env);
        let l = list(vec![n(1)]);
        assert_eq!(
            crate::stdlib::testing::call_in(&mut ctx, add_all, &[l.clone(), list(vec![n(2), n(3)])]).unwrap_err().to_string(),
            "addAll: the result would have 3 entries, over the limit of 2 entries"
        );
        assert_eq!(display(&l), "1");
        crate::stdlib::testing::call_in(&mut ctx, add, &[l.clone(), n(2)]).unwrap();
        assert!(crate::stdlib::testing::call_in(&mut ctx, add, &[l, n(3)]).is_err());
    }

    #[test]
    fn a_long_list_grows_eight_fold_within_the_limit() {
        use crate::eval::list_growth::{LARGE_GROWTH, LARGE_LIST};
        let mut env = testing::env();
        env.limits.max_collection_len = LARGE_LIST * 3;
        let mut ctx = NativeCtx::new(&env);
        let capacity = |l: &Value| match l {
            Value::List(items) => items.borrow().capacity(),
            _ => unreachable!("a list"),
        };
        let long = || list(vec![Value::Null; LARGE_LIST]);

        let by_add = long();
        testing::call_in(&mut ctx, add, &[by_add.clone(), n(1)]).unwrap();
        assert_eq!(capacity(&by_add), LARGE_LIST * 3);

        env.limits.max_collection_len = usize::MAX;
        let mut ctx = NativeCtx::new(&env);
        let by_add_all = long();
        testing::call_in(&mut ctx, add_all, &[by_add_all.clone(), list(vec![n(1), n(2)])]).unwrap();
        assert_eq!(capacity(&by_add_all), LARGE_LIST * LARGE_GROWTH);
        let Value::List(items) = &by_add_all else { unreachable!("a list") };
        assert_eq!(items.borrow()[LARGE_LIST..], [n(1), n(2)]);
    }

    #[test]
    fn get_documented_example_and_range_errors() {
        let nested = list(vec![t("Projects"), t("Reports")]);
        let l = list(vec![t("Creator"), t("CRM"), nested]);
        assert_eq!(shown(get, &[l.clone(), n(2)]), "Projects,Reports");
        assert_eq!(
            call(get, &[l.clone(), n(3)]).unwrap_err(),
            "get: index 3 is out of range for a list of 3 elements"
        );
        assert_eq!(
            call(get, &[l.clone(), n(-1)]).unwrap_err(),
            "get: index -1 is out of range for a list of 3 elements"
        );
        assert_eq!(
            call(get, &[l, t("0")]).unwrap_err(),
            "get expects (NUMBER) but got (TEXT)"
        );
    }

    #[test]
    fn remove_returns_the_element() {
        let product = list(vec![t("Creator"), t("CRM"), t("Projects")]);
        assert_eq!(shown(remove, &[product.clone(), n(1)]), "CRM");
        assert_eq!(display(&product), "Creator,Projects");
        assert_eq!(
            call(remove, &[product.clone(), t("Creator")]).unwrap_err(),
            "remove expects (NUMBER) but got (TEXT); list.remove takes an index, use removeElement to remove a value"
        );
        assert_eq!(
            shown(remove_element, &[product.clone(), t("Creator")]),
            "true"
        );
        assert_eq!(
            shown(remove_element, &[product.clone(), t("Nope")]),
            "false"
        );
        assert_eq!(display(&product), "Projects");
    }

    #[test]
    fn membership_is_type_sensitive() {
        let l = list(vec![t("1"), n(2), d("3.0")]);
        assert_eq!(shown(contains, &[l.clone(), n(1)]), "false");
        assert_eq!(shown(contains, &[l.clone(), t("1")]), "true");
        assert_eq!(shown(contains, &[l.clone(), n(3)]), "true");
        assert_eq!(shown(not_contains, &[l.clone(), n(1)]), "true");
        assert_eq!(shown(index_of, &[l.clone(), n(2)]), "1");
        assert_eq!(shown(index_of, &[l.clone(), n(9)]), "-1");
        let twice = list(vec![n(1), n(2), n(1)]);
        assert_eq!(shown(last_index_of, &[twice, n(1)]), "2");
    }

    #[test]
    fn contains_compares_maps_structurally() {
        let mut data = crate::eval::value::MapData::default();
        data.insert(t("a"), n(1));
        let m1 = Value::Map(crate::eval::value::Map::from_data(data.clone()));
        let m2 = Value::Map(crate::eval::value::Map::from_data(data));
        let l = list(vec![m1]);
        assert_eq!(shown(contains, &[l, m2]), "true");
    }

    #[test]
    fn distinct_and_intersect() {
        let l = list(vec![t("1"), n(1), n(1), n(2), n(2), n(3)]);
        assert_eq!(shown(distinct, &[l]), "1,1,2,3");
        let a = list(vec![t("Zoho Creator"), t("Zoho CRM"), t("Zoho Projects")]);
        let b = list(vec![t("Zoho Mail"), t("Zoho Analytics"), t("Zoho Creator")]);
        assert_eq!(shown(intersect, &[a, b]), "Zoho Creator");
    }

    #[test]
    fn sort_returns_new_list() {
        let l = list(vec![t("Creator"), t("crm"), t("Zoho Creator")]);
        assert_eq!(
            shown(sort, &[l.clone(), Value::Bool(true)]),
            "Creator,Zoho Creator,crm"
        );
        assert_eq!(
            shown(sort, &[l.clone(), Value::Bool(false)]),
            "crm,Zoho Creator,Creator"
        );
        assert_eq!(display(&l), "Creator,crm,Zoho Creator");
        assert_eq!(shown(sort, &[list(vec![n(3), d("1.5"), n(2)])]), "1.5,2,3");
        assert!(call(sort, &[list(vec![n(1), t("a")])]).unwrap().is_null());
        assert_eq!(shown(sort, &[list(vec![])]), "");
    }

    #[test]
    fn sub_list_ranges() {
        let l = list(vec![n(0), n(1), n(2), n(3)]);
        assert_eq!(shown(sub_list, &[l.clone(), n(1), n(3)]), "1,2");
        assert_eq!(shown(sub_list, &[l.clone(), n(2)]), "2,3");
        assert_eq!(
            call(sub_list, &[l.clone(), n(1), n(5)]).unwrap_err(),
            "subList: end index 5 is out of range for a list of 4 elements"
        );
        assert_eq!(
            call(sub_list, &[l, n(3), n(1)]).unwrap_err(),
            "subList: the end index 1 is before the start index 3"
        );
    }

    #[test]
    fn to_list_string_converts_elements() {
        let converted = call(to_list_string, &[list(vec![n(1), d("2.50"), t("x")])]).unwrap();
        let Value::List(items) = &converted else {
            panic!("list")
        };
        assert!(items.borrow().iter().all(|v| matches!(v, Value::Text(_))));
        assert_eq!(display(&converted), "1,2.50,x");
    }

    #[test]
    fn size_clear_to_list() {
        let l = list(vec![n(1), n(2)]);
        assert_eq!(shown(size, std::slice::from_ref(&l)), "2");
        assert_eq!(shown(to_list, std::slice::from_ref(&l)), "1,2");
        call(clear, std::slice::from_ref(&l)).unwrap();
        assert_eq!(shown(size, &[l]), "0");
    }
}
