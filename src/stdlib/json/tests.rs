use super::*;
use crate::eval::render::{display, to_json};
use crate::stdlib::testing::call;

fn round_trip(text: &str) -> String {
    to_json(&parse(text).unwrap())
}

#[test]
fn standard_json_round_trips() {
    let text = r#"{"a":1,"b":[true,false,null],"c":{"d":"x\"y"},"e":-12.50,"f":1E+2}"#;
    assert_eq!(
        round_trip(text),
        r#"{"a":1,"b":[true,false,null],"c":{"d":"x\"y"},"e":-12.50,"f":100}"#
    );
}

#[test]
fn big_integers_and_decimals_are_exact() {
    assert!(matches!(
        parse("4876876000001234567").unwrap(),
        Value::Number(4_876_876_000_001_234_567)
    ));
    assert_eq!(display(&parse("0.1").unwrap()), "0.1");
    assert_eq!(
        display(&parse("99999999999999999999").unwrap()),
        "99999999999999999999"
    );
    assert!(matches!(
        parse("99999999999999999999").unwrap(),
        Value::Decimal(_)
    ));
    assert_eq!(display(&parse("1.5e-3").unwrap()), "0.0015");
}

#[test]
fn escapes_and_surrogate_pairs() {
    let v = parse(r#""a\n\t\u00e9\ud83d\ude00\/""#).unwrap();
    assert_eq!(v.as_text(), Some("a\n\té😀/"));
    assert_eq!(parse(r#""\ud83d""#).unwrap().as_text(), Some("\u{FFFD}"));
    assert_eq!(parse("\"ü日本\"").unwrap().as_text(), Some("ü日本"));
}

#[test]
fn lenient_forms() {
    assert_eq!(
        round_trip("{company:Zoho, product:Creator}"),
        r#"{"company":"Zoho","product":"Creator"}"#
    );
    assert_eq!(
        round_trip("{Name:'Lia Shelton', OrderNo:[343,443,577]}"),
        r#"{"Name":"Lia Shelton","OrderNo":[343,443,577]}"#
    );
    assert_eq!(round_trip("[1,2,]"), "[1,2]");
    assert_eq!(
        round_trip("{name: John Smith }"),
        r#"{"name":"John Smith"}"#
    );
    assert_eq!(
        round_trip("{url: http://a.b/c}"),
        r#"{"url":"http://a.b/c"}"#
    );
}

#[test]
fn errors_say_where() {
    assert_eq!(
        parse(r#"{"a" 1}"#).unwrap_err(),
        "expected ':' at line 1, column 6, found '1'"
    );
    assert_eq!(
        parse("[1,\n2").unwrap_err(),
        "expected ',' or ']' at line 2, column 2, found the end of the text"
    );
    assert_eq!(
        parse(r#""abc"#).unwrap_err(),
        "expected the closing quote of a string at line 1, column 5, found the end of the text"
    );
    assert_eq!(
        parse("[1] 2").unwrap_err(),
        "expected the end of the text at line 1, column 5, found '2'"
    );
    assert_eq!(
        parse("").unwrap_err(),
        "expected a value at line 1, column 1, found the end of the text"
    );
}

#[test]
fn cyclic_values_render_without_hanging() {
    let l = Value::new_list();
    if let Value::List(list) = &l {
        list.borrow_mut().push(l.clone());
        list.borrow_mut().push(l.clone());
    }
    assert_eq!(to_json(&l), r#"["...","..."]"#);
    let m = Value::new_map();
    if let Value::Map(map) = &m {
        map.borrow_mut().insert(m.clone(), m.clone());
    }
    assert_eq!(to_json(&m), r#"{"\"...\"":"..."}"#);
    if let Value::Map(map) = &m {
        map.borrow_mut().clear();
    }
    assert_eq!(display(&l), r#"["...","..."],["...","..."]"#);
    if let Value::List(list) = &l {
        list.borrow_mut().clear();
    }
}

#[test]
fn depth_is_limited() {
    let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
    assert_eq!(
        parse(&deep).unwrap_err(),
        "the JSON is nested more than 512 levels deep"
    );
    let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
    assert!(parse(&ok).is_ok());
}

#[test]
fn entries_are_limited() {
    assert!(parse_limited("[1,2]", 2).is_ok());
    assert_eq!(
        parse_limited("[1,2,3]", 2).unwrap_err(),
        "an array or object has more than 2 entries, over the limit"
    );
    assert!(parse_limited("{a:1,b:2,c:3}", 2).is_err());
}

#[test]
fn to_map_on_text() {
    let v = call(
        text_to_map,
        &[Value::text("{company:Zoho, product:Creator}")],
    )
    .unwrap();
    assert_eq!(display(&v), r#"{"company":"Zoho","product":"Creator"}"#);
    assert_eq!(
        display(&call(text_to_map, &[Value::text(" ")]).unwrap()),
        "{}"
    );
    assert_eq!(
        call(text_to_map, &[Value::text("[1]")]).unwrap_err(),
        "toMap: \"[1]\" is not a valid JSON object: it is a LIST"
    );
    assert_eq!(
        call(text_to_map, &[Value::text("{a:")]).unwrap_err(),
        "toMap: \"{a:\" is not a valid JSON: expected a value at line 1, column 4, found the end of the text"
    );
}

#[test]
fn get_json_then_to_json_list() {
    let text = Value::text("{Name:'Lia Shelton', OrderNo:[343,443,577]}");
    let orders = call(text_get_json, &[text.clone(), Value::text("OrderNo")]).unwrap();
    let list = call(list_to_json_list, &[orders]).unwrap();
    assert_eq!(display(&list), "343,443,577");
    assert!(call(text_get_json, &[text, Value::text("missing")])
        .unwrap()
        .is_null());

    let response = Value::text(
        r#"{"data" : [{"id":1, "firstname":"John"}, {"id":2, "firstname":"Patricia"}]}"#,
    );
    let data = call(text_get_json, &[response, Value::text("data")]).unwrap();
    let Value::List(items) = data else {
        panic!("list")
    };
    let ids: Vec<String> = items
        .borrow()
        .iter()
        .map(|item| display(&call(map_get_json, &[item.clone(), Value::text("id")]).unwrap()))
        .collect();
    assert_eq!(ids, ["1", "2"]);
}

#[test]
fn to_map_on_maps_and_collections() {
    let m = call(text_to_map, &[Value::text("{a:1}")]).unwrap();
    let same = call(map_to_map, std::slice::from_ref(&m)).unwrap();
    assert!(m == same, "toMap on a map returns the same map");
    let pairs = CollectionData::Map(match &m {
        Value::Map(inner) => inner.borrow().clone(),
        _ => unreachable!("a map"),
    });
    let coll = Value::Collection(crate::eval::value::Collection::from_data(pairs));
    assert_eq!(
        display(&call(collection_to_map, &[coll]).unwrap()),
        r#"{"a":1}"#
    );
    let values = Value::Collection(crate::eval::value::Collection::from_data(
        CollectionData::List(vec![Value::Number(1)]),
    ));
    assert_eq!(
        call(collection_to_map, &[values]).unwrap_err(),
        "toMap: the collection holds values, not key-value pairs; only a key-value collection converts to a map"
    );
}

#[test]
fn to_json_list_on_text() {
    let v = call(text_to_json_list, &[Value::text("[343,443,577]")]).unwrap();
    assert_eq!(display(&v), "343,443,577");
    assert_eq!(
        call(text_to_json_list, &[Value::text("{}")]).unwrap_err(),
        "toJSONList: \"{}\" is not a valid JSON array: it is a KEY-VALUE"
    );
    assert_eq!(
        call(text_get_json, &[Value::text("[1]"), Value::text("a")]).unwrap_err(),
        "getJSON: \"[1]\" is not a JSON object but a LIST; use toJSONList() for arrays"
    );
}
