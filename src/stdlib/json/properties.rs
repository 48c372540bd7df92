use proptest::prelude::*;

use super::*;
use crate::eval::render::to_json;
use crate::eval::value::MapData;
use rust_decimal::Decimal;

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Number),
        (any::<i64>(), 0u32..10).prop_map(|(m, s)| Value::decimal(Decimal::new(m, s))),
        any::<String>().prop_map(Value::text),
    ]
}

fn tree() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::list_from),
            prop::collection::vec((any::<String>(), inner), 0..6).prop_map(|pairs| {
                let mut data = MapData::default();
                for (k, v) in pairs {
                    data.insert(Value::text(k), v);
                }
                Value::Map(Map::from_data(data))
            }),
        ]
    })
}

proptest! {
    #[test]
    fn parse_never_panics(text in any::<String>()) {
        let _ = parse(&text);
    }

    #[test]
    fn parse_never_panics_on_json_like_text(text in "[\\[\\]{}:,'\"\\\\ a-z0-9.eE+-]{0,40}") {
        let _ = parse(&text);
    }

    #[test]
    fn rendered_json_parses_back_to_the_same_json(value in tree()) {
        let json = to_json(&value);
        let parsed = parse(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
        prop_assert_eq!(to_json(&parsed), json);
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them(text in any::<String>()) {
        let mut written = String::new();
        crate::eval::render::write_json_string(&mut written, &text);
        prop_assert_eq!(written, serde_json::to_string(&text).unwrap());
    }

    #[test]
    fn strings_of_control_and_escaped_characters_are_escaped_as_serde_json_does(
        text in "[\\x00-\\x1f\"\\\\a\u{e9}\u{1F600}]{0,20}"
    ) {
        let mut written = String::new();
        crate::eval::render::write_json_string(&mut written, &text);
        prop_assert_eq!(written, serde_json::to_string(&text).unwrap());
    }
}
