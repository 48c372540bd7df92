//! The built-in functions' entry type and the table the compiler resolves names against.
//!
//! Every built-in is one [`Builtin`] entry. A method call `recv.name(a, b)` and the function form
//! `name(recv, a, b)` both reach the same entry with `args[0]` as the receiver. Names are matched
//! case-insensitively; several entries may share a name for different receiver types
//! (`remove` on TEXT, LIST and KEY-VALUE), and [`dispatch`] picks by the receiver's
//! [`ValueType`]. Entries with [`Receiver::None`] are plain functions (`ifnull`,
//! `zoho.encryption.md5`).
//!
//! The entries themselves live in `stdlib` (one table per value type), which builds the
//! [`Builtins`] index once; `api` hands it to the compiler.

use foldhash::{HashMap, HashMapExt};

use crate::eval::context::NativeCtx;
use crate::eval::failure::Failure;
use crate::eval::value::{Value, ValueType};
use crate::eval::args::Args;

/// The result of a native function: a value, or a typed failure (a plain message converts
/// into one of kind [`Script`](crate::ErrorKind::Script)). The interpreter adds the span.
pub type NativeResult = Result<Value, Failure>;

/// A native function. Its [`Args`] carry the values (the receiver first for methods) with the
/// entry's name and parameter types, so argument errors read the same everywhere.
pub type NativeFn = fn(&mut NativeCtx<'_>, Args<'_>) -> NativeResult;

/// What a built-in applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Receiver {
    /// A plain function, no receiver: called as `name(args)` only.
    None,
    /// A method on values of this type (also callable as `name(value, args)`).
    Type(ValueType),
    /// A method on every type (`toString`, `isNull`, ...).
    Any,
}

/// One built-in function or method.
#[derive(Clone, Copy, Debug)]
pub struct Builtin {
    /// Canonical spelling, e.g. `getPrefix`, `zoho.encryption.urlEncode`.
    pub name: &'static str,
    /// What it applies to.
    pub receiver: Receiver,
    /// Parameter list after the receiver, for docs and errors, e.g. `(search: TEXT)`.
    pub params: &'static str,
    /// Result type for docs, e.g. `TEXT`.
    pub returns: &'static str,
    /// Least and most arguments after the receiver.
    pub arity: (u8, u8),
    /// One line for `docs/builtins.md`.
    pub summary: &'static str,
    /// The implementation.
    pub func: NativeFn,
}

impl Builtin {
    /// Calls the built-in with `values` (the receiver first for a method): the one way every
    /// caller (the interpreter, Creator criteria, tests) runs an entry.
    pub fn call(&'static self, ctx: &mut NativeCtx<'_>, values: &[Value]) -> NativeResult {
        (self.func)(ctx, Args::of(self, values))
    }
}

/// Every built-in, indexed by lower-case name: what the compiler resolves calls against, and
/// the lints look every method up in.
pub struct Builtins {
    tables: &'static [&'static [Builtin]],
    by_name: HashMap<String, Vec<&'static Builtin>>,
}

/// At least the length of the longest built-in name (a test checks every name fits): a longer
/// name is no built-in, and any other is lowered on the stack to be looked up.
const LONGEST_NAME: usize = 48;

impl Builtins {
    /// The index of the entries of `tables`, in table order.
    pub fn new(tables: &'static [&'static [Builtin]]) -> Builtins {
        let mut by_name: HashMap<String, Vec<&'static Builtin>> = HashMap::new();
        for builtin in tables.iter().flat_map(|table| table.iter()) {
            by_name
                .entry(builtin.name.to_ascii_lowercase())
                .or_default()
                .push(builtin);
        }
        Builtins { tables, by_name }
    }

    /// Every built-in, in table order.
    pub fn all(&self) -> impl Iterator<Item = &'static Builtin> {
        self.tables.iter().flat_map(|table| table.iter())
    }

    /// The built-ins spelled `name` (any case), for every receiver type; empty when unknown.
    pub fn named(&'static self, name: &str) -> &'static [&'static Builtin] {
        let mut lowered = [0u8; LONGEST_NAME];
        let Some(lowered) = lowered.get_mut(..name.len()) else {
            return &[];
        };
        lowered.copy_from_slice(name.as_bytes());
        lowered.make_ascii_lowercase();
        std::str::from_utf8(lowered)
            .ok()
            .and_then(|lowered| self.by_name.get(lowered))
            .map_or(&[], |entries| entries.as_slice())
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stdlib::{all_builtins, builtins_named};

    #[test]
    fn every_built_in_name_fits_the_lookup_buffer() {
        let longest = all_builtins().map(|b| b.name.len()).max().unwrap_or(0);
        assert!(longest <= LONGEST_NAME, "{longest}");
    }

    #[test]
    fn a_name_is_found_in_any_case_and_an_overlong_or_unknown_one_is_not() {
        for spelling in ["toList", "TOLIST", "tolist"] {
            let found = builtins_named(spelling);
            assert!(!found.is_empty(), "{spelling}");
            assert!(found.iter().all(|b| b.name.eq_ignore_ascii_case("tolist")));
        }
        assert!(builtins_named(&"a".repeat(LONGEST_NAME + 1)).is_empty());
        assert!(builtins_named("noSuchBuiltin").is_empty());
        assert!(builtins_named("tölist").is_empty());
    }
}
