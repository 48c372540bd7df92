//! Zero-argument system values (language.md §6.11): `today`, `now`, `zoho.currentdate`,
//! `zoho.currenttime` and the host-provided `zoho.loginuser`, `zoho.appname`, ...
//!
//! The clock and time zone come from `RunEnv`, so tests and reproducible runs can pin them.
//! Host values come from `RunEnv::system_vars` (keys in lower case without `zoho.`); a value the
//! host did not provide is `null`.

use crate::eval::context::NativeCtx;
use crate::eval::value::{DateTime, Value};
use crate::stdlib::datetime::zone;
use crate::eval::args::Args;
use crate::stdlib::registry::{Builtin, NativeFn, NativeResult, Receiver};

/// The system values, callable with no arguments (the compiler calls them for bare `today`
/// and dotted `zoho.currentdate`).
pub static BUILTINS: &[Builtin] = &[
    date_value(
        "today",
        "The current date in the application time zone.",
        today,
    ),
    date_value(
        "now",
        "The current date-time in the application time zone.",
        now,
    ),
    date_value(
        "zoho.currentdate",
        "The current date in the application time zone.",
        today,
    ),
    date_value(
        "zoho.currenttime",
        "The current date-time in the application time zone.",
        now,
    ),
    host_value(
        "zoho.loginuser",
        "The signed-in user's name (host-provided).",
        login_user,
    ),
    host_value(
        "zoho.loginuserid",
        "The signed-in user's email (host-provided).",
        login_user_id,
    ),
    host_value(
        "zoho.adminuser",
        "The application owner's name (host-provided).",
        admin_user,
    ),
    host_value(
        "zoho.adminuserid",
        "The application owner's email (host-provided).",
        admin_user_id,
    ),
    host_value(
        "zoho.appname",
        "The application's link name (host-provided).",
        app_name,
    ),
    host_value(
        "zoho.appuri",
        "The application's URI path (host-provided).",
        app_uri,
    ),
    host_value(
        "zoho.ipaddress",
        "The caller's IP address (host-provided).",
        ip_address,
    ),
];

const fn date_value(
    name: &'static str,
    summary: &'static str,
    func: NativeFn,
) -> Builtin {
    Builtin {
        name,
        receiver: Receiver::None,
        params: "()",
        returns: "DATE-TIME",
        arity: (0, 0),
        summary,
        func,
    }
}

const fn host_value(
    name: &'static str,
    summary: &'static str,
    func: NativeFn,
) -> Builtin {
    Builtin {
        name,
        receiver: Receiver::None,
        params: "()",
        returns: "TEXT",
        arity: (0, 0),
        summary,
        func,
    }
}

fn today(ctx: &mut NativeCtx<'_>, _: Args<'_>) -> NativeResult {
    let date = zone::now(ctx).date();
    Ok(Value::date_time(DateTime {
        civil: date.to_datetime(jiff::civil::Time::midnight()),
        date_only: true,
    }))
}

fn now(ctx: &mut NativeCtx<'_>, _: Args<'_>) -> NativeResult {
    Ok(Value::date_time(DateTime {
        civil: zone::now(ctx),
        date_only: false,
    }))
}

fn host_var(ctx: &NativeCtx<'_>, key: &str) -> Value {
    ctx.env
        .system_vars
        .get(key)
        .map_or(Value::Null, |v| Value::text(v.as_str()))
}

fn login_user(ctx: &mut NativeCtx<'_>, _: Args<'_>) -> NativeResult {
    Ok(host_var(ctx, "loginuser"))
}

fn login_user_id(ctx: &mut NativeCtx<'_>, _: Args<'_>) -> NativeResult {
    Ok(host_var(ctx, "loginuserid"))
}

fn admin_user(ctx: &mut NativeCtx<'_>, _: Args<'_>) -> NativeResult {
    Ok(host_var(ctx, "adminuser"))
}

fn admin_user_id(ctx: &mut NativeCtx<'_>, _: Args<'_>) -> NativeResult {
    Ok(host_var(ctx, "adminuserid"))
}

fn app_name(ctx: &mut NativeCtx<'_>, _: Args<'_>) -> NativeResult {
    Ok(host_var(ctx, "appname"))
}

fn app_uri(ctx: &mut NativeCtx<'_>, _: Args<'_>) -> NativeResult {
    Ok(host_var(ctx, "appuri"))
}

fn ip_address(ctx: &mut NativeCtx<'_>, _: Args<'_>) -> NativeResult {
    Ok(host_var(ctx, "ipaddress"))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;

    use super::*;
    use crate::eval::env::{FixedClock, RunEnv};
    use crate::eval::render::display;

    fn env() -> RunEnv {
        let mut vars = HashMap::new();
        vars.insert("loginuser".to_owned(), "Ada".to_owned());
        RunEnv {
            time_zone: jiff::tz::TimeZone::get("Asia/Kolkata").unwrap(),
            clock: Arc::new(FixedClock("2020-12-09T20:25:24.789Z".parse().unwrap())),
            system_vars: Arc::new(vars),
            ..RunEnv::default()
        }
    }

    fn call(name: &str) -> Value {
        let env = env();
        let mut ctx = NativeCtx::new(&env);
        let builtin = BUILTINS.iter().find(|b| b.name == name).unwrap();
        builtin.call(&mut ctx, &[]).unwrap()
    }

    #[test]
    fn clock_values_are_in_the_application_zone() {
        assert_eq!(display(&call("today")), "10-Dec-2020");
        assert_eq!(display(&call("zoho.currentdate")), "10-Dec-2020");
        assert_eq!(display(&call("now")), "10-Dec-2020 01:55:24");
        assert_eq!(display(&call("zoho.currenttime")), "10-Dec-2020 01:55:24");
        let Value::DateTime(now) = call("now") else {
            panic!("now is not a date-time")
        };
        assert_eq!(now.civil.subsec_nanosecond(), 789_000_000);
    }

    #[test]
    fn host_values_come_from_system_vars() {
        assert_eq!(display(&call("zoho.loginuser")), "Ada");
        assert!(call("zoho.appname").is_null());
    }

    #[test]
    fn all_take_no_arguments() {
        assert!(BUILTINS
            .iter()
            .all(|b| b.arity == (0, 0) && b.receiver == Receiver::None));
    }
}
