//! Helpers for the built-ins' unit tests: a run environment with a pinned clock, and calls
//! that go through a native's own table entry (so messages carry its name and parameter
//! types, as in a script).

use std::sync::Arc;

use crate::eval::builtin::{Builtin, NativeFn};
use crate::eval::context::NativeCtx;
use crate::eval::env::{FixedClock, RunEnv};
use crate::eval::render::display;
use crate::eval::value::Value;

pub(crate) use crate::eval::args::parameter_types;

/// A run environment with a UTC time zone and a clock fixed at 2020-12-09T17:25:24Z.
pub fn env() -> RunEnv {
    RunEnv {
        time_zone: jiff::tz::TimeZone::UTC,
        clock: Arc::new(FixedClock(
            "2020-12-09T17:25:24Z".parse().expect("valid timestamp"),
        )),
        ..RunEnv::default()
    }
}

/// The first table entry implemented by `f`.
pub fn entry_of(f: NativeFn) -> &'static Builtin {
    super::all_builtins()
        .find(|b| std::ptr::fn_addr_eq(b.func, f))
        .expect("the native is in a table")
}

/// Calls native `f` through its entry with `args` in `ctx`; an error is its message.
pub fn call_in(ctx: &mut NativeCtx<'_>, f: NativeFn, args: &[Value]) -> Result<Value, String> {
    entry_of(f)
        .call(ctx, args)
        .map_err(|failure| failure.to_string())
}

/// Calls native `f` through its entry with `args` in a fresh [`env`].
pub fn call(f: NativeFn, args: &[Value]) -> Result<Value, String> {
    let env = env();
    call_in(&mut NativeCtx::new(&env), f, args)
}

/// Calls the built-in a script reaches as `name` with `args` (the receiver first), in a
/// fresh [`env`]; an error is its message.
pub fn call_named(name: &str, args: &[Value]) -> Result<Value, String> {
    let receiver = args.first().map(Value::value_type);
    let builtin = crate::eval::builtin::dispatch(super::builtins_named(name), receiver)
        .expect("a built-in of that name takes that receiver");
    let env = env();
    builtin
        .call(&mut NativeCtx::new(&env), args)
        .map_err(|failure| failure.to_string())
}

/// The printed form of what `f` returns for `args`; panics on an error.
pub fn shown(f: NativeFn, args: &[Value]) -> String {
    display(&call(f, args).unwrap())
}
