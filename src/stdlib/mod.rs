//! The built-in functions and methods, one file per value type.
//!
//! Each file exports a `BUILTINS: &[Builtin]` table; [`TABLES`] lists them all and
//! [`builtins_named`] finds the entries for a name, case-insensitively, [`dispatch`] picks the
//! entry for a receiver type and [`suggest`] proposes the nearest name for "did you mean".

pub mod args;
pub mod collection;
pub mod common;
pub mod datetime;
pub mod docs;
pub mod encoding;
pub mod json;
pub mod list;
pub mod map;
pub mod number;
pub mod pattern;
pub mod registry;
pub mod system;
pub mod text;
pub mod xml;

use std::collections::HashMap;
use std::sync::OnceLock;

use registry::{Builtin, Receiver};

use crate::eval::value::ValueType;

/// Every table of built-ins. Add a file's `BUILTINS` here to register it.
static TABLES: &[&[Builtin]] = &[
    text::BUILTINS,
    json::BUILTINS,
    common::BUILTINS,
    number::BUILTINS,
    number::FUNCTIONS,
    list::BUILTINS,
    map::BUILTINS,
    collection::BUILTINS,
    collection::CONVERSIONS,
    datetime::BUILTINS,
    system::BUILTINS,
    encoding::BUILTINS,
    xml::BUILTINS,
];

/// Every built-in, in table order.
pub fn all_builtins() -> impl Iterator<Item = &'static Builtin> {
    TABLES.iter().flat_map(|table| table.iter())
}

/// The built-ins spelled `name` (any case), for every receiver type; empty when unknown.
pub fn builtins_named(name: &str) -> &'static [&'static Builtin] {
    static INDEX: OnceLock<HashMap<String, Vec<&'static Builtin>>> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut index: HashMap<String, Vec<&'static Builtin>> = HashMap::new();
        for builtin in all_builtins() {
            index
                .entry(builtin.name.to_ascii_lowercase())
                .or_default()
                .push(builtin);
        }
        index
    });
    index
        .get(&name.to_ascii_lowercase())
        .map_or(&[], |entries| entries.as_slice())
}

/// The entry of `entries` (all spelled alike) to call when the first value has type `first`:
/// a method for exactly that type wins, then a method on every type (`Receiver::Any`), then a
/// plain function. `first` is `None` for a call without arguments.
pub fn dispatch(
    entries: &[&'static Builtin],
    first: Option<ValueType>,
) -> Option<&'static Builtin> {
    let exact = first.and_then(|t| entries.iter().find(|b| b.receiver == Receiver::Type(t)));
    let any = || first.and_then(|_| entries.iter().find(|b| b.receiver == Receiver::Any));
    let plain = || entries.iter().find(|b| b.receiver == Receiver::None);
    exact.or_else(any).or_else(plain).copied()
}

/// The canonical spelling of the built-in whose name is nearest to `name` (ignoring case),
/// for "did you mean ...?" hints; `None` when nothing is close.
pub fn suggest(name: &str) -> Option<&'static str> {
    let wanted = name.to_ascii_lowercase();
    let allowed = (wanted.chars().count() / 3).clamp(1, 3);
    all_builtins()
        .map(|b| (edit_distance(&wanted, &b.name.to_ascii_lowercase()), b.name))
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

/// Levenshtein distance between `a` and `b`, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            let insertion = current[j] + 1;
            let deletion = previous[j + 1] + 1;
            current.push(substitution.min(insertion).min(deletion));
        }
        previous = current;
    }
    previous[b.len()]
}

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
        let env = crate::stdlib::args::testing::env();
        let mut ctx = crate::eval::context::NativeCtx { env: &env };
        let entry = dispatch(builtins_named("GETPREFIX"), Some(ValueType::Text)).unwrap();
        let args = [
            crate::eval::value::Value::text("Zoho Creator"),
            crate::eval::value::Value::text(" "),
        ];
        let result = (entry.func)(&mut ctx, &args).unwrap();
        assert_eq!(result.as_text(), Some("Zoho"));
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
}
