//! The built-in functions and methods, one file per value type.
//!
//! Each file exports a `BUILTINS: &[Builtin]` table; `TABLES` lists them all, [`builtins`]
//! indexes them for the compiler, [`builtins_named`] finds the entries for a name,
//! case-insensitively, and [`suggest`] proposes the nearest name for "did you mean".

pub mod collection;
pub mod common;
pub mod datetime;
pub mod docs;
pub mod encoding;
pub mod file;
pub mod http_functions;
pub mod json;
pub mod list;
pub mod map;
pub mod number;
pub mod pattern;
pub mod registry;
pub mod stats;
pub mod system;
#[cfg(test)]
pub mod testing;
pub mod text;
pub mod xml;

use std::sync::OnceLock;

use registry::{Builtin, Receiver};

pub use crate::eval::builtin::dispatch;
use crate::eval::builtin::Builtins;
use crate::eval::suggest::edit_distance;
use crate::eval::value::ValueType;

/// Every table of built-ins. Add a file's `BUILTINS` here to register it.
static TABLES: &[&[Builtin]] = &[
    text::BUILTINS,
    json::BUILTINS,
    common::BUILTINS,
    number::BUILTINS,
    number::FUNCTIONS,
    list::BUILTINS,
    stats::BUILTINS,
    map::BUILTINS,
    collection::BUILTINS,
    collection::CONVERSIONS,
    datetime::BUILTINS,
    file::BUILTINS,
    system::BUILTINS,
    encoding::BUILTINS,
    xml::BUILTINS,
    http_functions::BUILTINS,
];

/// The index of every table, built on first use: what `api` hands the compiler.
pub fn builtins() -> &'static Builtins {
    static INDEX: OnceLock<Builtins> = OnceLock::new();
    INDEX.get_or_init(|| Builtins::new(TABLES))
}

/// Every built-in, in table order.
pub fn all_builtins() -> impl Iterator<Item = &'static Builtin> {
    builtins().all()
}

/// The built-ins spelled `name` (any case), for every receiver type; empty when unknown.
pub fn builtins_named(name: &str) -> &'static [&'static Builtin] {
    builtins().named(name)
}

/// The canonical spelling of the built-in whose name is nearest to `name` (ignoring case),
/// for "did you mean ...?" hints; `None` when nothing is close.
pub fn suggest(name: &str) -> Option<&'static str> {
    suggest_for(name, None)
}

/// Like [`suggest`], but only among the built-ins that apply to a receiver of type `receiver`
/// (every built-in when `None`), and knowing
/// the names other languages use (`list.length()` suggests `size`, `s.split(",")` suggests
/// `toList`).
pub fn suggest_for(name: &str, receiver: Option<ValueType>) -> Option<&'static str> {
    let wanted = name.to_ascii_lowercase();
    let applies = |b: &&'static Builtin| match (receiver, b.receiver) {
        (None, _) => true,
        (Some(_), Receiver::Any) => true,
        (Some(t), Receiver::Type(r)) => t == r,
        (Some(_), Receiver::None) => false,
    };
    let known = |canonical: &str| {
        all_builtins()
            .filter(applies)
            .find(|b| b.name.eq_ignore_ascii_case(canonical))
            .map(|b| b.name)
    };
    if let Some(found) = FOREIGN_NAMES
        .iter()
        .filter(|(foreign, _)| *foreign == wanted)
        .find_map(|(_, canonical)| known(canonical))
    {
        return Some(found);
    }
    let allowed = (wanted.chars().count() / 3).clamp(1, 3);
    all_builtins()
        .filter(applies)
        .map(|b| (edit_distance(&wanted, &b.name.to_ascii_lowercase()), b.name))
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

/// Names from other languages (lower case) and the Deluge built-ins they usually mean; the
/// first one that applies to the receiver wins.
const FOREIGN_NAMES: &[(&str, &str)] = &[
    ("length", "size"),
    ("len", "size"),
    ("size", "length"),
    ("count", "length"),
    ("push", "add"),
    ("append", "add"),
    ("insert", "add"),
    ("set", "put"),
    ("delete", "remove"),
    ("has", "containsKey"),
    ("haskey", "containsKey"),
    ("includes", "contains"),
    ("split", "toList"),
    ("substr", "subString"),
    ("slice", "subList"),
    ("slice", "subString"),
    ("lower", "toLowerCase"),
    ("tolower", "toLowerCase"),
    ("upper", "toUpperCase"),
    ("toupper", "toUpperCase"),
    ("strip", "trim"),
    ("replace", "replaceAll"),
    ("parseint", "toLong"),
    ("toint", "toLong"),
    ("tointeger", "toLong"),
    ("tostr", "toString"),
    ("todouble", "toDecimal"),
    ("tofloat", "toDecimal"),
    ("sorted", "sort"),
    ("unique", "distinct"),
];

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn names_are_found_in_any_case() {
        assert!(!builtins_named("GETJSON").is_empty());
        assert!(!builtins_named("getOccurenceCount").is_empty());
        assert!(!builtins_named("containKey").is_empty());
        assert!(!builtins_named("containsKey").is_empty());
        assert!(builtins_named("noSuchFunction").is_empty());
    }

    #[test]
    fn no_two_entries_share_a_name_and_receiver() {
        let mut seen = HashSet::new();
        for b in all_builtins() {
            let key = (b.name.to_ascii_lowercase(), format!("{:?}", b.receiver));
            assert!(
                seen.insert(key),
                "{} is registered twice for {:?}",
                b.name,
                b.receiver
            );
        }
    }

    #[test]
    fn every_entry_is_well_formed() {
        for b in all_builtins() {
            assert!(b.arity.0 <= b.arity.1, "{}: arity {:?}", b.name, b.arity);
            assert!(
                b.params.starts_with('(') && b.params.ends_with(')'),
                "{}: {}",
                b.name,
                b.params
            );
            assert!(!b.summary.is_empty() && !b.returns.is_empty(), "{}", b.name);
        }
    }

    #[test]
    fn dispatch_prefers_the_exact_receiver_type() {
        let entries = builtins_named("contains");
        let text = dispatch(entries, Some(ValueType::Text)).unwrap();
        assert_eq!(text.receiver, Receiver::Type(ValueType::Text));
        let list = dispatch(entries, Some(ValueType::List)).unwrap();
        assert_eq!(list.receiver, Receiver::Type(ValueType::List));
        assert!(dispatch(entries, Some(ValueType::Number)).is_none());
        let any = dispatch(builtins_named("toString"), Some(ValueType::Number)).unwrap();
        assert_eq!(any.receiver, Receiver::Any);
        let plain = dispatch(builtins_named("ifnull"), Some(ValueType::Null)).unwrap();
        assert_eq!(plain.receiver, Receiver::None);
    }

    #[test]
    fn method_and_function_forms_reach_the_same_entry() {
        let env = crate::stdlib::testing::env();
        let mut ctx = crate::eval::context::NativeCtx::new(&env);
        let entry = dispatch(builtins_named("GETPREFIX"), Some(ValueType::Text)).unwrap();
        let args = [
            crate::eval::value::Value::text("Zoho Creator"),
            crate::eval::value::Value::text(" "),
        ];
        let result = entry.call(&mut ctx, &args).unwrap();
        assert_eq!(result.as_text(), Some("Zoho"));
    }

    /// Values of every kind, including awkward ones, for calling natives blindly.
    fn samples() -> Vec<crate::eval::value::Value> {
        use crate::eval::value::{Collection, CollectionData, DateTime, Value};
        let cyclic = Value::new_list();
        if let Value::List(l) = &cyclic {
            l.borrow_mut().push(cyclic.clone());
        }
        let map =
            crate::stdlib::json::parse(r#"{"a":1,"1":[1,"x"],"b":{"c":null}}"#).unwrap_or_default();
        let civil: jiff::civil::DateTime = "2020-02-29T23:59:59".parse().expect("valid date");
        vec![
            Value::Null,
            Value::Bool(true),
            Value::Number(0),
            Value::Number(-1),
            Value::Number(3),
            Value::Number(i64::MAX),
            Value::Number(i64::MIN),
            Value::decimal(rust_decimal::Decimal::new(-255, 1)),
            Value::Decimal(rust_decimal::Decimal::MAX.into()),
            Value::text(""),
            Value::text("Zoho Creator, é😀 İ"),
            Value::text("{a:[1,2], b:'x'}"),
            Value::text("[("),
            Value::text("12"),
            Value::date_time(DateTime {
                civil,
                date_only: false,
            }),
            Value::list_from(vec![Value::Number(2), Value::Number(1), Value::text("1")]),
            cyclic,
            map,
            Value::Collection(Collection::from_data(CollectionData::Empty)),
            Value::Collection(Collection::from_data(CollectionData::List(vec![
                Value::Number(5),
                Value::text("x"),
            ]))),
        ]
    }

    fn arg_lists(
        samples: &[crate::eval::value::Value],
        builtin: &Builtin,
    ) -> Vec<Vec<crate::eval::value::Value>> {
        let receivers: Vec<_> = match builtin.receiver {
            Receiver::Type(t) => samples
                .iter()
                .filter(|v| v.value_type() == t)
                .cloned()
                .collect(),
            Receiver::Any => samples.to_vec(),
            Receiver::None => vec![],
        };
        let (min, max) = (
            usize::from(builtin.arity.0),
            usize::from(builtin.arity.1).min(3),
        );
        let mut lists: Vec<Vec<_>> = if receivers.is_empty() {
            vec![vec![]]
        } else {
            receivers.into_iter().map(|r| vec![r]).collect()
        };
        let mut out = Vec::new();
        for count in 0..=max {
            if count >= min {
                out.extend(lists.iter().cloned());
            }
            if count == max {
                break;
            }
            lists = lists
                .iter()
                .flat_map(|l| {
                    samples.iter().map(move |v| {
                        let mut next = l.clone();
                        next.push(v.clone());
                        next
                    })
                })
                .take(4_000)
                .collect();
        }
        out
    }

    #[test]
    fn no_builtin_panics_on_awkward_arguments() {
        let mut env = crate::stdlib::testing::env();
        env.limits.max_text_bytes = 1 << 16;
        env.limits.max_collection_len = 1 << 10;
        let mut panicked = Vec::new();
        for builtin in all_builtins() {
            let samples = samples();
            for args in arg_lists(&samples, builtin) {
                let mut ctx = crate::eval::context::NativeCtx::new(&env);
                let call = std::panic::AssertUnwindSafe(|| builtin.call(&mut ctx, &args));
                if std::panic::catch_unwind(call).is_err() {
                    let types: Vec<&str> = args.iter().map(|v| v.value_type().name()).collect();
                    panicked.push(format!("{}({})", builtin.name, types.join(", ")));
                    break;
                }
            }
            for value in &samples {
                if let crate::eval::value::Value::List(l) = value {
                    l.borrow_mut().clear();
                }
            }
        }
        assert!(panicked.is_empty(), "natives panicked: {panicked:#?}");
    }

    /// Every entry's type errors come from its own table row: the name the script called
    /// (an alias included) and the parameter types the row lists.
    #[test]
    fn type_errors_name_the_entry_called_and_its_listed_types() {
        let env = crate::stdlib::testing::env();
        let mut checked = 0;
        for builtin in all_builtins() {
            let receiver = match builtin.receiver {
                crate::eval::builtin::Receiver::Type(t) => sample_of(t),
                _ => None,
            };
            let mut args: Vec<crate::eval::value::Value> = receiver.into_iter().collect();
            args.extend((0..builtin.arity.1).map(|_| crate::eval::value::Value::Bool(true)));
            let mut ctx = crate::eval::context::NativeCtx::new(&env);
            let Err(failure) = builtin.call(&mut ctx, &args) else {
                continue;
            };
            let message = failure.message();
            if message.contains(" expects (") {
                let types = crate::stdlib::testing::parameter_types(builtin.params);
                let expected = format!("{} expects ({types}) but got (", builtin.name);
                assert!(message.starts_with(&expected), "{message} (wanted {expected}...)");
                checked += 1;
            }
        }
        assert!(checked > 60, "only {checked} entries reported a type error");
    }

    fn sample_of(t: crate::eval::value::ValueType) -> Option<crate::eval::value::Value> {
        use crate::eval::value::{Value, ValueType};
        Some(match t {
            ValueType::Text => Value::text("abc"),
            ValueType::Number => Value::Number(3),
            ValueType::Decimal => Value::decimal(rust_decimal::Decimal::new(15, 1)),
            ValueType::List => Value::list_from(vec![Value::Number(1)]),
            ValueType::Map => Value::new_map(),
            _ => return None,
        })
    }

    #[test]
    fn suggestions_for_near_misses() {
        assert_eq!(suggest("getOccurrenceCount"), Some("getOccurenceCount"));
        assert_eq!(suggest("subString"), Some("subString"));
        assert_eq!(suggest("lenght"), Some("length"));
        assert_eq!(suggest("toUppercase"), Some("toUpperCase"));
        assert_eq!(suggest("containsKeys"), Some("containsKey"));
        assert_eq!(suggest("frobnicate"), None);
    }

    #[test]
    fn suggestions_know_the_receiver_and_foreign_names() {
        assert_eq!(suggest_for("length", Some(ValueType::List)), Some("size"));
        assert_eq!(suggest_for("size", Some(ValueType::Text)), Some("length"));
        assert_eq!(suggest_for("split", Some(ValueType::Text)), Some("toList"));
        assert_eq!(suggest_for("push", Some(ValueType::List)), Some("add"));
        assert_eq!(suggest_for("set", Some(ValueType::Map)), Some("put"));
        assert_eq!(
            suggest_for("slice", Some(ValueType::Text)),
            Some("subString")
        );
        assert_eq!(suggest_for("slice", Some(ValueType::List)), Some("subList"));
        assert_eq!(
            suggest_for("getprefx", Some(ValueType::Text)),
            Some("getPrefix")
        );
        assert_eq!(
            suggest_for("containKeys", Some(ValueType::Map)),
            Some("containKey")
        );
    }
}
