//! Text conversions: number and decimal parsing, date parsing in the accepted formats, Java
//! date patterns (compile, format, parse) and the built-ins built on them (`toNumber`,
//! `toDecimal`, `toDate`, `toDateTime`, `toString(pattern)`), called as the interpreter calls
//! them. The first byte picks the conversion; a 0xFF byte splits the text from a pattern.

use std::sync::Arc;

use deluge_lang::eval::context::NativeCtx;
use deluge_lang::eval::env::{FixedClock, RunEnv};
use deluge_lang::stdlib::common::{parse_decimal, parse_whole_number};
use deluge_lang::stdlib::datetime::{check_literal, parse_any, pattern::Pattern};
use deluge_lang::stdlib::{builtins_named, dispatch};
use deluge_lang::{Args, Limits, Value};

fn env() -> RunEnv {
    RunEnv {
        time_zone: jiff::tz::TimeZone::UTC,
        clock: Arc::new(FixedClock(jiff::Timestamp::UNIX_EPOCH)),
        limits: Limits {
            max_text_bytes: 64 * 1024,
            max_collection_len: 4_096,
            ..Limits::default()
        },
        ..RunEnv::default()
    }
}

/// Calls built-in `name` as the method `args[0].name(args[1..])`.
fn call(env: &RunEnv, name: &str, args: &[Value]) {
    let Some(entry) = dispatch(builtins_named(name), args.first().map(Value::value_type)) else {
        return;
    };
    let mut ctx = NativeCtx::new(env);
    let _ = (entry.func)(&mut ctx, Args::of(entry, args));
}

fn split(data: &[u8]) -> (String, String) {
    let mut parts = data.splitn(2, |b| *b == 0xFF);
    let text = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let pattern = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    (text, pattern)
}

/// Runs the conversion the first byte of `data` picks.
pub fn check(data: &[u8]) {
    let Some((&op, rest)) = data.split_first() else {
        return;
    };
    let env = env();
    let (text, pattern) = split(rest);
    let t = || Value::text(text.clone());
    let p = || Value::text(pattern.clone());
    match op % 8 {
        0 => {
            let _ = parse_whole_number(&text);
            if let Some(d) = parse_decimal(&text) {
                let again = parse_decimal(&d.to_string()).expect("printed decimal parses");
                assert_eq!(again, d);
            }
            call(&env, "toNumber", &[t()]);
            call(&env, "toDecimal", &[t()]);
        }
        1 => {
            let _ = check_literal(&text);
            let _ = parse_any(&text);
            call(&env, "toDate", &[t()]);
            call(&env, "toDateTime", &[t()]);
        }
        2 => {
            if let Ok(compiled) = Pattern::compile(&pattern) {
                let _ = compiled.parse(&text, 2026);
                let zoned = jiff::Timestamp::UNIX_EPOCH.to_zoned(jiff::tz::TimeZone::UTC);
                let _ = compiled.format(&zoned);
            }
        }
        3 => {
            call(&env, "toDate", &[t(), p()]);
            call(&env, "toDateTime", &[t(), p(), Value::text("Asia/Kolkata")]);
        }
        4 => {
            if let Some(dt) = parse_any(&text) {
                let value = Value::date_time(dt);
                call(&env, "toString", &[value.clone(), p()]);
                call(
                    &env,
                    "toDateTimeString",
                    &[value, p(), Value::text("America/New_York")],
                );
            }
        }
        5 => {
            call(
                &env,
                "toDateTime",
                &[t(), Value::text("dd-MMM-yyyy HH:mm:ss"), p()],
            );
        }
        6 => {
            let ms = text
                .bytes()
                .fold(0i64, |acc, b| acc.wrapping_mul(131).wrapping_add(b as i64));
            call(&env, "toDateTimeString", &[Value::Number(ms), p()]);
            call(&env, "toDate", &[Value::Number(ms)]);
        }
        _ => {
            call(&env, "toDecimal", &[t()]);
            call(&env, "round", &[t(), Value::Number(2)]);
        }
    }
}
