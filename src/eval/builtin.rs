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

use std::collections::HashMap;

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

/// Every built-in, indexed by lower-case name: what the compiler resolves calls against.
pub struct Builtins {
    tables: &'static [&'static [Builtin]],
    by_name: HashMap<String, Vec<&'static Builtin>>,
}

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
        self.by_name
            .get(&name.to_ascii_lowercase())
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
