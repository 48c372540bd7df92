//! The assertions test files can call: `assertEquals`, `assertNotEquals`, `assertTrue`,
//! `assertFalse`, `assertNull`, `assertNotNull`, `assertContains`, `fail` and `skip`.
//!
//! They are registered natives on the engine that compiles a test file. A failing assertion
//! stops the test with a runtime error at the call (so the report shows the line and span)
//! and leaves its details (expected, actual, diff) in a thread-local slot the runner reads:
//! each test runs on one thread from start to end.

use std::cell::RefCell;

use crate::api::engine::Engine;
use crate::eval::ops::{describe, equals};
use crate::eval::render::display;
use crate::eval::value::{CollectionData, Value};
use crate::testing::diff::{diff, shown};

/// The names of the assertion functions, as test files write them.
pub const ASSERTION_NAMES: [&str; 9] = [
    "assertEquals",
    "assertNotEquals",
    "assertTrue",
    "assertFalse",
    "assertNull",
    "assertNotNull",
    "assertContains",
    "fail",
    "skip",
];

/// Why an assertion stopped a test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The error message the test stopped with (identifies the failure).
    pub message: String,
    /// True when the test called `skip(reason)`.
    pub skipped: bool,
    /// What was expected, as JSON.
    pub expected: Option<String>,
    /// What the code gave, as JSON.
    pub actual: Option<String>,
    /// For LISTs and KEY-VALUEs: one line per difference.
    pub diff: Vec<String>,
}

thread_local! {
    static LAST_FAILURE: RefCell<Option<Failure>> = const { RefCell::new(None) };
}

/// Forgets any failure left by an earlier test on this thread.
pub fn clear() {
    LAST_FAILURE.with(|slot| slot.borrow_mut().take());
}

/// The failure the test stopped with, when `message` is the message of the last assertion
/// that failed on this thread (a caught failure followed by another error is an error).
pub fn take_failure(message: &str) -> Option<Failure> {
    LAST_FAILURE
        .with(|slot| slot.borrow_mut().take())
        .filter(|failure| failure.message == message)
}

/// The last assertion failure on this thread, whatever its message (one a `try/catch` caught).
pub fn take_any() -> Option<Failure> {
    LAST_FAILURE.with(|slot| slot.borrow_mut().take())
}

fn record(failure: Failure) -> Result<Value, String> {
    let message = failure.message.clone();
    LAST_FAILURE.with(|slot| *slot.borrow_mut() = Some(failure));
    Err(message)
}

fn failed(name: &str, note: Option<&Value>, what: String) -> Failure {
    let message = match note.filter(|n| !matches!(n, Value::Null)) {
        Some(note) => format!("{name} failed ({}): {what}", display(note)),
        None => format!("{name} failed: {what}"),
    };
    Failure {
        message,
        skipped: false,
        expected: None,
        actual: None,
        diff: Vec::new(),
    }
}

/// Registers every assertion on `engine`.
pub fn register(engine: &mut Engine) {
    engine.register_raw(
        "assertEquals",
        vec!["ANY", "ANY", "TEXT"],
        1,
        assert_equals,
    );
    engine.register_raw(
        "assertNotEquals",
        vec!["ANY", "ANY", "TEXT"],
        1,
        assert_not_equals,
    );
    engine.register_raw(
        "assertTrue",
        vec!["BOOLEAN", "TEXT"],
        1,
        |a: &[Value]| assert_bool(a, true),
    );
    engine.register_raw(
        "assertFalse",
        vec!["BOOLEAN", "TEXT"],
        1,
        |a: &[Value]| assert_bool(a, false),
    );
    engine.register_raw(
        "assertNull",
        vec!["ANY", "TEXT"],
        1,
        |a: &[Value]| assert_null(a, true),
    );
    engine.register_raw(
        "assertNotNull",
        vec!["ANY", "TEXT"],
        1,
        |a: &[Value]| assert_null(a, false),
    );
    engine.register_raw(
        "assertContains",
        vec!["ANY", "ANY", "TEXT"],
        1,
        assert_contains,
    );
    engine.register_raw("fail", vec!["TEXT"], 0, fail);
    engine.register_raw("skip", vec!["TEXT"], 0, skip);
}

fn arg(args: &[Value], index: usize) -> &Value {
    args.get(index).unwrap_or(&Value::Null)
}

fn with_values(mut failure: Failure, expected: &Value, actual: &Value) -> Failure {
    failure.expected = Some(typed(expected, actual));
    failure.actual = Some(typed(actual, expected));
    failure.diff = diff(expected, actual);
    failure
}

/// The value as JSON, with its type when the other value's type differs.
fn typed(value: &Value, other: &Value) -> String {
    if value.value_type() == other.value_type() {
        shown(value)
    } else {
        format!("{} ({})", shown(value), value.value_type().name())
    }
}

fn assert_equals(args: &[Value]) -> Result<Value, String> {
    let (expected, actual) = (arg(args, 0), arg(args, 1));
    if equals(expected, actual) {
        return Ok(Value::Null);
    }
    let what = if matches!(
        (expected, actual),
        (Value::Map(_), Value::Map(_)) | (Value::List(_), Value::List(_))
    ) {
        format!("the {}s differ", expected.value_type().name())
    } else {
        format!(
            "expected {}, actual {}",
            typed(expected, actual),
            typed(actual, expected)
        )
    };
    let failure = failed("assertEquals", args.get(2), what);
    record(with_values(failure, expected, actual))
}

fn assert_not_equals(args: &[Value]) -> Result<Value, String> {
    let (unexpected, actual) = (arg(args, 0), arg(args, 1));
    if !equals(unexpected, actual) {
        return Ok(Value::Null);
    }
    let what = format!("both are {}", shown(actual));
    let mut failure = failed("assertNotEquals", args.get(2), what);
    failure.actual = Some(shown(actual));
    record(failure)
}

fn assert_bool(args: &[Value], wanted: bool) -> Result<Value, String> {
    let value = arg(args, 0);
    if matches!(value, Value::Bool(b) if *b == wanted) {
        return Ok(Value::Null);
    }
    let name = if wanted { "assertTrue" } else { "assertFalse" };
    let what = format!("expected {wanted}, actual {}", describe(value));
    let failure = failed(name, args.get(1), what);
    record(with_values(failure, &Value::Bool(wanted), value))
}

fn assert_null(args: &[Value], wanted: bool) -> Result<Value, String> {
    let value = arg(args, 0);
    if matches!(value, Value::Null) == wanted {
        return Ok(Value::Null);
    }
    let (name, what) = if wanted {
        (
            "assertNull",
            format!("expected null, actual {}", describe(value)),
        )
    } else {
        ("assertNotNull", "the value is null".to_owned())
    };
    let mut failure = failed(name, args.get(1), what);
    failure.actual = Some(shown(value));
    record(failure)
}

fn assert_contains(args: &[Value]) -> Result<Value, String> {
    let (container, item) = (arg(args, 0), arg(args, 1));
    let found = match container {
        Value::Text(text) => text.contains(display(item).as_str()),
        Value::List(list) => list.borrow().iter().any(|v| equals(v, item)),
        Value::Map(map) => map.borrow().contains_key(item),
        Value::Collection(c) => match &*c.borrow() {
            CollectionData::Empty => false,
            CollectionData::List(items) => items.iter().any(|v| equals(v, item)),
            CollectionData::Map(map) => map.contains_key(item),
        },
        other => {
            return Err(format!(
                "assertContains needs TEXT, a LIST or a KEY-VALUE as its first argument, not {}",
                describe(other)
            ))
        }
    };
    if found {
        return Ok(Value::Null);
    }
    let what = match container {
        Value::Map(_) => format!("the KEY-VALUE has no key {}", shown(item)),
        Value::Text(_) => format!("the text does not contain {}", shown(item)),
        _ => format!("the LIST has no item {}", shown(item)),
    };
    let mut failure = failed("assertContains", args.get(2), what);
    failure.expected = Some(shown(item));
    failure.actual = Some(shown(container));
    record(failure)
}

fn fail(args: &[Value]) -> Result<Value, String> {
    let reason = display(arg(args, 0));
    record(failed("fail", None, reason))
}

fn skip(args: &[Value]) -> Result<Value, String> {
    let mut failure = failed("skip", None, display(arg(args, 0)));
    failure.message = format!("skipped: {}", display(arg(args, 0)));
    failure.skipped = true;
    record(failure)
}
