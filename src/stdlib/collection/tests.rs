use super::*;
use crate::stdlib::testing::{self, call, shown};

fn t(s: &str) -> Value {
    Value::text(s)
}

fn n(v: i64) -> Value {
    Value::Number(v)
}

fn empty() -> Value {
    new_collection(CollectionData::Empty)
}

fn of_values(items: &[Value]) -> Value {
    let c = empty();
    for item in items {
        call(insert, &[c.clone(), item.clone()]).unwrap();
    }
    c
}

fn of_pairs(pairs: &[(&str, i64)]) -> Value {
    let c = empty();
    for (k, v) in pairs {
        call(insert, &[c.clone(), t(k), n(*v)]).unwrap();
    }
    c
}

#[test]
fn delete_documented_examples() {
    let c = of_values(&[t("Creator"), t("CRM"), t("Campaigns")]);
    call(delete, &[c.clone(), t("CRM")]).unwrap();
    assert_eq!(display(&c), "Creator,Campaigns");
    let m = of_pairs(&[("Creator", 5), ("CRM", 2)]);
    call(delete, &[m.clone(), n(2)]).unwrap();
    assert_eq!(display(&m), r#"{"Creator":5}"#);
}

#[test]
fn contains_documented_examples_and_delete_all() {
    let versions = of_pairs(&[("Creator", 5), ("CRM", 2), ("Mail", 8)]);
    assert_eq!(shown(contains_value, &[versions.clone(), n(2)]), "true");
    assert_eq!(shown(contains_key, &[versions.clone(), t("CRM")]), "true");
    let products = of_values(&[t("Creator"), t("CRM"), t("Mail")]);
    assert_eq!(shown(contains_key, &[products.clone(), n(3)]), "false");
    assert_eq!(shown(contains_key, &[products.clone(), n(2)]), "true");
    call(
        delete_all,
        &[
            products.clone(),
            Value::list_from(vec![t("CRM"), t("Mail")]),
        ],
    )
    .unwrap();
    assert_eq!(display(&products), "Creator");
    call(
        delete_all,
        &[versions.clone(), Value::list_from(vec![n(5), n(8)])],
    )
    .unwrap();
    assert_eq!(display(&versions), r#"{"CRM":2}"#);
    assert_eq!(
        call(delete_all, &[versions, t("x")]).unwrap_err(),
        "deleteAll expects (LIST) but got (TEXT)"
    );
}

#[test]
fn values_documented_example() {
    let c = of_pairs(&[("Creator", 5), ("CRM", 2), ("Mail", 8)]);
    assert_eq!(shown(values, std::slice::from_ref(&c)), "5,2,8");
    assert_eq!(shown(keys, &[c]), "Creator,CRM,Mail");
}

#[test]
fn insert_fixes_the_kind() {
    let c = of_values(&[t("a")]);
    assert_eq!(
        call(insert, &[c.clone(), t("k"), n(1)]).unwrap_err(),
        "insert: this collection holds values; a key : value pair cannot be inserted"
    );
    let m = of_pairs(&[("a", 1)]);
    assert_eq!(
        call(insert, &[m.clone(), t("x")]).unwrap_err(),
        "insert: this collection holds key-value pairs; insert key : value instead of a single value"
    );
    call(insert, &[m.clone(), t("a"), n(9)]).unwrap();
    assert_eq!(display(&m), r#"{"a":9}"#);
    let pairs = Value::new_map();
    if let Value::Map(p) = &pairs {
        p.borrow_mut().insert(t("b"), n(2));
    }
    call(insert, &[m.clone(), pairs]).unwrap();
    assert_eq!(display(&m), r#"{"a":9,"b":2}"#);
}

#[test]
fn insert_all_and_limits() {
    let c = empty();
    call(insert_all, &[c.clone(), Value::list_from(vec![n(1), n(2)])]).unwrap();
    assert_eq!(display(&c), "1,2");
    let mut env = testing::env();
    env.limits.max_collection_len = 2;
    let mut ctx = NativeCtx::new(&env);
    assert_eq!(
        crate::stdlib::testing::call_in(&mut ctx, insert, &[c, n(3)]).unwrap_err().to_string(),
        "insert: the result would have 3 entries, over the limit of 2 entries"
    );
}

#[test]
fn keys_get_and_delete_by_key() {
    let m = of_pairs(&[("a", 1), ("b", 2), ("c", 1)]);
    assert_eq!(shown(get, &[m.clone(), t("b")]), "2");
    assert!(call(get, &[m.clone(), t("z")]).unwrap().is_null());
    assert_eq!(shown(get_key, &[m.clone(), n(1)]), "a");
    assert_eq!(shown(get_last_key, std::slice::from_ref(&m)), "c");
    assert_eq!(shown(contains_key, &[m.clone(), t("a")]), "true");
    assert_eq!(shown(contains_value, &[m.clone(), n(2)]), "true");
    assert_eq!(shown(not_contains, &[m.clone(), n(7)]), "true");
    call(delete_key, &[m.clone(), t("a")]).unwrap();
    call(delete_keys, &[m.clone(), t("b"), t("zz")]).unwrap();
    assert_eq!(display(&m), r#"{"c":1}"#);

    let l = of_values(&[t("x"), t("y"), t("z"), t("w")]);
    assert_eq!(shown(get, &[l.clone(), n(1)]), "y");
    assert_eq!(shown(get_key, &[l.clone(), t("z")]), "2");
    assert_eq!(shown(get_last_key, std::slice::from_ref(&l)), "3");
    call(
        delete_keys,
        &[l.clone(), Value::list_from(vec![n(0), n(2)])],
    )
    .unwrap();
    assert_eq!(display(&l), "y,w");
    assert_eq!(
        call(get, &[l, n(5)]).unwrap_err(),
        "get: 5 is not an index of this collection of 2 elements"
    );
}

#[test]
fn update_sort_duplicate_distinct_intersect() {
    let l = of_values(&[n(3), n(1), n(3), n(2)]);
    call(update, &[l.clone(), n(0), n(4)]).unwrap();
    assert_eq!(display(&l), "4,1,3,2");
    assert_eq!(shown(sort, std::slice::from_ref(&l)), "1,2,3,4");
    assert_eq!(shown(sort, &[l.clone(), Value::Bool(false)]), "4,3,2,1");
    assert_eq!(display(&l), "4,1,3,2");
    assert_eq!(shown(duplicate, &[l.clone(), n(1), n(3)]), "1,3");
    assert!(matches!(
        call(duplicate, std::slice::from_ref(&l)).unwrap(),
        Value::List(_)
    ));
    let products = of_values(&[t("Creator"), t("CRM"), t("Books")]);
    assert_eq!(shown(duplicate, &[products, n(0), n(1)]), "Creator");
    assert_eq!(shown(distinct, &[of_values(&[n(1), n(1), n(2)])]), "1,2");
    let other = Value::list_from(vec![n(3), n(4), n(9)]);
    assert_eq!(shown(intersect, &[l.clone(), other]), "4,3");
    let m = of_pairs(&[("b", 2), ("a", 1), ("c", 1)]);
    assert_eq!(
        shown(sort_key, std::slice::from_ref(&m)),
        r#"{"a":1,"b":2,"c":1}"#
    );
    assert_eq!(
        shown(sort, std::slice::from_ref(&m)),
        r#"{"a":1,"c":1,"b":2}"#
    );
    assert_eq!(
        shown(distinct, std::slice::from_ref(&m)),
        r#"{"b":2,"a":1}"#
    );
    assert!(call(sort, &[of_values(&[n(1), t("a")])]).unwrap().is_null());
    assert_eq!(
        call(duplicate, &[l, n(3), n(9)]).unwrap_err(),
        "duplicate: the range 3 to 9 does not fit a collection of 4 entries"
    );
}

#[test]
fn size_clear_to_list() {
    let c = of_values(&[n(1), n(2)]);
    assert_eq!(shown(size, std::slice::from_ref(&c)), "2");
    assert_eq!(shown(to_list, std::slice::from_ref(&c)), "1,2");
    call(clear, std::slice::from_ref(&c)).unwrap();
    assert_eq!(shown(size, std::slice::from_ref(&c)), "0");
    call(insert, &[c.clone(), t("k"), n(1)]).unwrap();
    assert_eq!(display(&c), r#"{"k":1}"#);
}

#[test]
fn to_collection_from_text_list_and_map() {
    assert_eq!(shown(to_collection, &[t("{a:1, b:2}")]), r#"{"a":1,"b":2}"#);
    assert_eq!(shown(to_collection, &[t("[1,2]")]), "1,2");
    assert_eq!(shown(to_collection, &[t("x,y")]), "x,y");
    assert_eq!(shown(to_collection, &[Value::list_from(vec![n(1)])]), "1");
    assert_eq!(
        call(to_collection, &[n(1)]).unwrap_err(),
        "toCollection cannot convert a NUMBER to a COLLECTION"
    );
    assert!(call(to_collection, &[t("{a:")])
        .unwrap_err()
        .starts_with("toCollection: the text is not a valid JSON"));
}
