//! Writing the tables of built-in functions and methods: the `builtin!` macro, and the entry
//! types it fills (defined in `eval::builtin`, where the compiler and interpreter use them).

pub use crate::eval::builtin::{Builtin, NativeFn, NativeResult, Receiver};

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
