//! The table of built-in functions and methods.
//!
//! Every built-in is one [`Builtin`] entry. A method call `recv.name(a, b)` and the function form
//! `name(recv, a, b)` both reach the same entry with `args[0]` as the receiver. Names are matched
//! case-insensitively; several entries may share a name for different receiver types
//! (`remove` on TEXT, LIST and KEY-VALUE), and dispatch picks by the receiver's [`ValueType`].
//! Entries with [`Receiver::None`] are plain functions (`ifnull`, `zoho.encryption.md5`).

use crate::eval::context::NativeCtx;
use crate::eval::value::{Value, ValueType};

/// The result of a native function: a value, or a message. The interpreter adds the span.
pub type NativeResult = Result<Value, String>;

/// A native function. `args[0]` is the receiver for methods.
pub type NativeFn = fn(&mut NativeCtx<'_>, &[Value]) -> NativeResult;

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

/// One [`Builtin`] table entry, in the order the fields are documented:
/// `builtin!(name, receiver, params, returns, (min, max), func, summary)`.
macro_rules! builtin {
    ($name:literal, $recv:expr, $params:literal, $returns:literal, ($min:literal, $max:literal), $func:path, $summary:literal) => {
        $crate::stdlib::registry::Builtin {
            name: $name,
            receiver: $recv,
            params: $params,
            returns: $returns,
            arity: ($min, $max),
            summary: $summary,
            func: $func,
        }
    };
}
pub(crate) use builtin;

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
