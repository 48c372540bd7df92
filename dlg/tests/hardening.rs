//! Hardening: every limit is a clear error rather than a crash, inputs that once crashed the
//! fuzzers still fail cleanly, round trips of JSON, numbers and dates hold, and no secret ever
//! reaches the output, the errors, `Debug` or a file other users can read.

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use deluge_lang::eval::env::FixedClock;
use deluge_lang::eval::render::{format_datetime, to_json};
use deluge_lang::stdlib::common::{parse_decimal, parse_whole_number};
use deluge_lang::stdlib::datetime::{parse_literal, pattern::Pattern};
use deluge_lang::stdlib::json;
use deluge_lang::{with_large_stack, CaptureOutput, Engine, Error, Limits, Value};
use proptest::prelude::*;

#[path = "../../tests/support/mod.rs"]
mod support;

// The fuzz targets' bodies (fuzz/src/), compiled here so that CI keeps them building, and run
// over the inputs that once crashed them.
#[path = "../../fuzz/src/convert.rs"]
mod fuzz_convert;
#[path = "../../fuzz/src/json.rs"]
mod fuzz_json;
#[path = "../../fuzz/src/parse.rs"]
mod fuzz_parse;
#[path = "../../fuzz/src/run.rs"]
mod fuzz_run;

// ---------------------------------------------------------------- helpers

/// An engine in UTC with a fixed clock, `info` captured, and `limits`.
fn engine_with(limits: Limits) -> (Engine, CaptureOutput) {
    let mut engine = Engine::new();
    engine.set_limits(limits);
    engine.env_mut().time_zone = jiff::tz::TimeZone::UTC;
    engine.env_mut().clock = std::sync::Arc::new(FixedClock(jiff::Timestamp::UNIX_EPOCH));
    let output = CaptureOutput::new();
    engine.set_output(output.clone());
    (engine, output)
}

/// Runs `src` with `limits` on a thread with the stack the `dlg` binary uses.
/// The result is the JSON of the returned value, and the `info` output.
fn run_with(limits: Limits, src: &str) -> (Result<String, Error>, String) {
    let src = src.to_owned();
    with_large_stack(move || {
        let (engine, output) = engine_with(limits);
        let result = engine.run(&src).map(|v| to_json(&v));
        (result, output.text())
    })
}

/// The error of a run that must fail, as its message.
fn run_error(limits: Limits, src: &str) -> String {
    match run_with(limits, src).0 {
        Ok(value) => panic!("expected an error, got {value:?}"),
        Err(error) => error.message().to_owned(),
    }
}

fn assert_contains(haystack: &str, needle: &str) {
    assert!(
        haystack.contains(needle),
        "expected {needle:?} in:\n{haystack}"
    );
}

// ---------------------------------------------------------------- execution limits

#[test]
fn statement_limit_stops_an_endless_loop_with_a_clear_error() {
    let limits = Limits {
        max_statements: Some(5_000),
        ..Limits::default()
    };
    let src = "big = leftpad(\"\", 100000).toList(\"\");\nn = 0;\nfor each c in big { n = n + 1; }";
    let message = run_error(limits, src);
    assert_contains(
        &message,
        "Maximum number of executable statements exceeded: the script ran more than 5000 statements",
    );
}

#[test]
fn call_depth_limit_stops_deep_recursion_at_the_default_1000() {
    let src = "int down(int n) { return down(n + 1); }\ninfo down(0);";
    let message = run_error(Limits::default(), src);
    assert_contains(
        &message,
        "too many nested function calls (more than 1000) while calling `down`",
    );
}

#[test]
fn recursion_exactly_at_the_depth_limit_completes() {
    // depth(999) makes 1,000 nested calls: the top level is not a call.
    let src =
        "int depth(int n) { if (n == 0) { return 0; } return 1 + depth(n - 1); }\ninfo depth(999);";
    let (result, output) = run_with(Limits::default(), src);
    result.unwrap();
    assert_eq!(output, "999\n");
}

#[test]
fn one_call_past_the_depth_limit_is_the_depth_error() {
    // depth(1000) makes 1,001 nested calls.
    let src =
        "int depth(int n) { if (n == 0) { return 0; } return 1 + depth(n - 1); }\ninfo depth(1000);";
    let message = run_error(Limits::default(), src);
    assert_contains(
        &message,
        "too many nested function calls (more than 1000) while calling `depth`",
    );
    let limits = Limits {
        max_call_depth: 3,
        ..Limits::default()
    };
    let src =
        "int depth(int n) { if (n == 0) { return 0; } return 1 + depth(n - 1); }\ninfo depth(2);";
    assert_eq!(run_with(limits.clone(), src).1, "2\n");
    let src =
        "int depth(int n) { if (n == 0) { return 0; } return 1 + depth(n - 1); }\ninfo depth(3);";
    assert_contains(&run_error(limits, src), "more than 3");
}

#[test]
fn timeout_stops_a_long_run_with_a_clear_error() {
    let limits = Limits {
        timeout: Some(Duration::from_millis(200)),
        ..Limits::default()
    };
    let src = "big = leftpad(\"\", 100000).toList(\"\");\nfor each a in big { for each b in big { x = 1; } }";
    let start = Instant::now();
    let message = run_error(limits, src);
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "timeout not honoured"
    );
    assert_contains(
        &message,
        "the script ran longer than its time limit of 0.2 s",
    );
}

#[test]
fn parser_rejects_10000_nested_parentheses_brackets_and_blocks() {
    let depth = 10_000;
    let sources = [
        format!("x = {}1{};", "(".repeat(depth), ")".repeat(depth)),
        format!("x = {}1{};", "[".repeat(depth), "]".repeat(depth)),
        format!("{}{}", "if (true) {".repeat(depth), "}".repeat(depth)),
        format!("x = {}1;", "- ".repeat(depth)),
        format!("x = {}true;", "!".repeat(depth)),
    ];
    for src in sources {
        // On the test thread (2 MiB stack): parsing must not need a big stack.
        let parsed = deluge_lang::syntax::parse(&src);
        assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
        assert_contains(
            &parsed.errors[0].message,
            "Nesting too deep (more than 256 levels)",
        );
        let error = Engine::new().compile(&src).unwrap_err();
        assert_contains(error.message(), "Nesting too deep");
    }
}

#[test]
fn very_long_expression_chains_are_rejected_not_overflowed() {
    let src = format!("x = 1{};", " + 1".repeat(100_000));
    let parsed = deluge_lang::syntax::parse(&src);
    assert_eq!(parsed.errors.len(), 1);
    assert_contains(&parsed.errors[0].message, "Expression too long");
    let src = format!("x = a{};", ".b".repeat(100_000));
    assert_contains(
        &deluge_lang::syntax::parse(&src).errors[0].message,
        "Expression too long",
    );
}

#[test]
fn text_growing_past_the_size_limit_is_an_error() {
    let limits = Limits {
        max_text_bytes: 1024 * 1024,
        ..Limits::default()
    };
    let src = "s = \"x\";\nfor each i in leftpad(\"\", 100).toList(\"\") { s = s + s; }";
    let message = run_error(limits, src);
    assert_contains(&message, "1048576 bytes");
}

#[test]
fn lists_and_maps_growing_past_the_size_limit_are_errors() {
    let limits = || Limits {
        max_collection_len: 1_000,
        ..Limits::default()
    };
    let big = "big = leftpad(\"\", 5000).toList(\"\");\n";
    let message = run_error(
        limits(),
        &format!("{big}l = List();\nfor each c in big {{ l.add(c); }}"),
    );
    assert_contains(&message, "1000");
    let message = run_error(
        limits(),
        &format!("{big}m = Map();\nn = 0;\nfor each c in big {{ n = n + 1; m.put(n, c); }}"),
    );
    assert_contains(&message, "1000");
    let message = run_error(limits(), "big = leftpad(\"\", 5000).toList(\"\");");
    assert_contains(&message, "1000");
}

#[test]
fn json_nested_past_the_depth_limit_is_an_error() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let error = json::parse(&deep).unwrap_err();
    assert_contains(&error, "nested");
    let deep = format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    assert!(json::parse(&deep).is_err());
}

// ---------------------------------------------------------------- deeply nested values

/// The stack the deep-value scripts run on. Measured in a debug build: dropping a plain
/// `Rc<RefCell<Vec<..>>>` chain recursively overflows a 2 MiB stack between 5,000 and 10,000
/// levels (and 256 MiB, the `dlg` stack, before 1,000,000), so 100,000 levels on this stack
/// fail with any recursive drop, print or compare, at a tenth of the time of a million levels
/// on the big stack.
const SMALL_STACK_BYTES: usize = 4 * 1024 * 1024;

/// Levels of nesting in the deep-value tests: over ten times what a recursive walk survives
/// on [`SMALL_STACK_BYTES`].
const DEEP: usize = 100_000;

/// Runs `src` like [`run_with`] but on a [`SMALL_STACK_BYTES`] thread.
fn run_on_small_stack(src: &str) -> (Result<String, Error>, String) {
    let src = src.to_owned();
    std::thread::Builder::new()
        .stack_size(SMALL_STACK_BYTES)
        .spawn(move || {
            let (engine, output) = engine_with(Limits::default());
            let result = engine.run(&src).map(|v| to_json(&v));
            (result, output.text())
        })
        .unwrap()
        .join()
        .unwrap()
}

/// A list of 100,000 one-character texts (the most `leftpad` makes) to loop over.
const BIG: &str = "big = leftpad(\"\", 100000).toList(\"\");\n";

/// Builds a container nested `levels` deep in Deluge, then prints, compares and drops it.
fn nest_script(levels: usize, make: &str, add: &str) -> String {
    let rounds = levels / 100_000;
    format!(
        "{BIG}rounds = leftpad(\"\", {rounds}).toList(\"\");\n\
         a = {make};\n\
         for each r in rounds {{ for each c in big {{ b = {make}; b.{add}; a = b; }} }}\n\
         t = a.toString();\n\
         info t.length() > 0;\n\
         info a == b;\n\
         info a == {make};\n\
         a = null; b = null;\n\
         info \"dropped\";"
    )
}

/// Runs [`nest_script`] for `make` and `add` on a small stack: it must print, compare and drop
/// the nested container.
fn assert_nests_deeply(make: &str, add: &str) {
    let (result, output) = run_on_small_stack(&nest_script(DEEP, make, add));
    result.unwrap_or_else(|e| panic!("{make}.{add}: {}", e.message()));
    assert_eq!(output, "true\ntrue\nfalse\ndropped\n", "{make}.{add}");
}

#[test]
fn a_list_nested_deeply_prints_compares_and_drops() {
    assert_nests_deeply("List()", "add(a)");
}

#[test]
fn a_list_nested_deeply_after_a_text_drops_without_overflow() {
    // Each level's first element is a TEXT, so it is taken apart in one pass, its inner list
    // moved onto the work stack rather than dropped where it is.
    assert_nests_deeply("List()", "add(\"x\"); b.add(a)");
}

#[test]
fn maps_and_collections_nested_deeply_drop_without_overflow() {
    for (make, add) in [
        ("Map()", "put(\"k\", a)"),
        ("Map()", "put(a, 1)"),
        ("Collection()", "insert(a)"),
        ("Collection()", "insert({\"k\": a})"),
    ] {
        assert_nests_deeply(make, add);
    }
}

#[test]
fn maps_keyed_by_maps_nested_deeply_print_in_bounded_size() {
    // Each level escapes the key inside it again: unbounded, 40 levels printed terabytes.
    let src = "a = Map();\nfor each c in leftpad(\"\", 40).toList(\"\") { b = Map(); b.put(a, 1); a = b; }\ninfo a.toString().length() < 1000000;\ninfo a.toString().contains(\"...\");";
    let (result, output) = run_with(Limits::default(), src);
    result.unwrap();
    assert_eq!(output, "true\ntrue\n");
}

/// A list holding the list of the level below twice, `levels` deep: its printed form doubles
/// with every level.
fn doubling_list(levels: usize) -> String {
    format!(
        "a = List();\na.add(1);\nfor each c in leftpad(\"\", {levels}).toList(\"\") {{ b = List(); b.add(a); b.add(a); a = b; }}\n"
    )
}

#[test]
fn printing_a_value_that_doubles_per_level_stops_at_the_text_limit() {
    // 60 levels would print 2^60 copies; it must stop at the limit, not hang or exhaust memory.
    let limits = Limits {
        max_text_bytes: 1_000_000,
        ..Limits::default()
    };
    let expected =
        "value too large to print: its printed form is over 1000000 bytes, the text size limit";
    for print in [
        "info a;",
        "t = a.toString();",
        "t = \"x\" + a;",
        "t = a + \"x\";",
        "t = \"x\"; t = t + a;",
        "t = \"x\".concat(a);",
    ] {
        let src = format!("{}{print}", doubling_list(60));
        let (engine_limits, src_for_render) = (limits.clone(), src.clone());
        let error = with_large_stack(move || {
            let (engine, _) = engine_with(engine_limits);
            engine.run(&src_for_render).unwrap_err()
        });
        assert_contains(error.message(), expected);
        let rendered = error.render(false);
        assert_contains(&rendered, "print a part of it instead");
        assert_contains(&rendered, ":4:");
    }
    // An ordinary error: a script can catch it and go on.
    let src = format!(
        "{}try {{ info a; }} catch (e) {{ info \"caught\"; }}\ninfo a.size();",
        doubling_list(60)
    );
    let (result, output) = run_with(limits, &src);
    result.unwrap();
    assert_eq!(output, "caught\n2\n");
}

#[test]
fn a_doubling_value_within_the_limit_prints_in_full() {
    let src = format!("{}info a.toString().length();", doubling_list(10));
    let (result, output) = run_with(Limits::default(), &src);
    result.unwrap();
    // Level k prints as JSON in 6 * 2^k - 3 bytes (`[1]`, then `[x,x]`); the outer list
    // prints its two elements joined by a comma: 2 * (6 * 2^9 - 3) + 1.
    assert_eq!(output, "6139\n");
}

#[test]
fn dropping_a_deep_value_at_the_end_of_a_run_does_not_overflow() {
    // The nested list is still held by the script's variables when the run ends.
    let src = format!("{BIG}a = List();\nfor each c in big {{ b = List(); b.add(a); a = b; }}");
    run_on_small_stack(&src).0.unwrap();
}

#[test]
fn value_drop_is_iterative_on_a_plain_test_thread() {
    // Built and dropped in Rust on the 2 MiB test thread: recursion would overflow.
    let mut value = Value::new_list();
    for _ in 0..DEEP {
        value = Value::list_from(vec![value, Value::Number(1)]);
    }
    let shared = value.clone();
    drop(value);
    drop(shared);
    let mut map = Value::new_map();
    for _ in 0..DEEP {
        let outer = Value::new_map();
        if let Value::Map(m) = &outer {
            m.borrow_mut().insert(Value::text("k"), map);
        }
        map = outer;
    }
    drop(map);
}

// ---------------------------------------------------------------- fuzz regressions

/// The files of `dir` (none when it does not exist) with their bytes, by name.
fn files_in(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .map(|path| {
            let bytes = fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    files.sort();
    files
}

/// The inputs under `tests/regressions/<target>/` that once crashed a fuzz target.
fn regression_inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    files_in(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/regressions")
            .join(target),
    )
}

/// Runs a fuzz target's body on `input` with the stack the `dlg` binary uses; names the file
/// when it panics.
fn fuzz_body_accepts(target: &str, check: fn(&[u8]), path: &Path, input: Vec<u8>) {
    let outcome = std::thread::Builder::new()
        .stack_size(8 * 1024 * 1024)
        .spawn(move || check(&input))
        .unwrap()
        .join();
    assert!(
        outcome.is_ok(),
        "fuzz target `{target}` panicked on {}",
        path.display()
    );
}

/// The parser corpus: seeds for the `parse` and `run` bodies, which have no regression inputs.
fn corpus_scripts() -> Vec<(PathBuf, Vec<u8>)> {
    let mut scripts = files_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus"));
    scripts.retain(|(path, _)| path.extension().is_some_and(|e| e == "dg"));
    scripts
}

#[test]
fn the_fuzz_targets_accept_the_corpus_and_their_regressions() {
    for (path, bytes) in corpus_scripts()
        .into_iter()
        .chain(regression_inputs("parse"))
    {
        fuzz_body_accepts("parse", fuzz_parse::check, &path, bytes.clone());
        fuzz_body_accepts("run", fuzz_run::check, &path, bytes);
    }
    for (path, bytes) in regression_inputs("run") {
        fuzz_body_accepts("run", fuzz_run::check, &path, bytes);
    }
    let json_samples = [
        r#"{"a": [1, 2.5, "x", null, true]}"#,
        "[",
        "1e999",
        "\"\\ud800\"",
    ];
    for sample in json_samples {
        fuzz_body_accepts("json", fuzz_json::check, Path::new(sample), sample.into());
    }
    for (path, bytes) in regression_inputs("json") {
        fuzz_body_accepts("json", fuzz_json::check, &path, bytes);
    }
    for (path, bytes) in regression_inputs("convert") {
        for op in 0..8u8 {
            let mut input = vec![op];
            input.extend_from_slice(bytes.get(1..).unwrap_or_default());
            fuzz_body_accepts("convert", fuzz_convert::check, &path, input);
        }
    }
}

#[test]
fn run_regressions_finish_or_fail_with_a_message() {
    for (path, bytes) in regression_inputs("run") {
        let src = String::from_utf8_lossy(&bytes).into_owned();
        let outcome = std::thread::Builder::new()
            .stack_size(8 * 1024 * 1024)
            .spawn(move || {
                let (engine, _output) = fuzz_run::engine();
                match engine.compile(&src) {
                    Ok(script) => engine.run_script(&script).err(),
                    Err(error) => Some(error),
                }
            })
            .unwrap()
            .join();
        let error = outcome.unwrap_or_else(|_| panic!("{} panicked", path.display()));
        if let Some(error) = error {
            assert!(!error.message().is_empty(), "{}", path.display());
        }
    }
}

#[test]
fn json_regressions_parse_or_fail_with_a_message() {
    for (path, bytes) in regression_inputs("json") {
        let text = String::from_utf8_lossy(&bytes);
        match json::parse(&text) {
            Ok(value) => {
                let printed = to_json(&value);
                let again = json::parse(&printed).unwrap();
                assert_eq!(to_json(&again), printed, "{}", path.display());
            }
            Err(message) => assert!(!message.is_empty(), "{}", path.display()),
        }
    }
}

#[test]
fn convert_regressions_fail_cleanly() {
    for (path, bytes) in regression_inputs("convert") {
        let mut parts = bytes.splitn(2, |b| *b == 0xFF);
        let text = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
        let pattern = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
        let _ = parse_whole_number(&text);
        let _ = parse_decimal(&text);
        let _ = deluge_lang::stdlib::datetime::check_literal(&text);
        let _ = deluge_lang::stdlib::datetime::zone::resolve(&pattern);
        if let Ok(compiled) = Pattern::compile(&pattern) {
            let _ = compiled.parse(&text, 2026);
        }
        let script = format!(
            "t = {};\np = {};\ntry {{ info t.toDate(p); }} catch (e) {{ info e; }}\n\
             try {{ info t.toDateTime(p, \"Asia/Kolkata\"); }} catch (e) {{ info e; }}\n\
             try {{ info t.toDateTime(\"dd-MMM-yyyy HH:mm:ss\", p); }} catch (e) {{ info e; }}\n\
             try {{ info t.toDecimal(); }} catch (e) {{ info e; }}\n\
             try {{ info t.toNumber(); }} catch (e) {{ info e; }}",
            deluge_string(&text),
            deluge_string(&pattern)
        );
        let (result, _) = run_with(fuzz_run::limits(), &script);
        result.unwrap_or_else(|e| panic!("{}: {}", path.display(), e.message()));
    }
}

/// `text` as a Deluge string literal.
fn deluge_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------- round trips

/// JSON-shaped values: maps with text keys, lists, text, numbers, decimals, booleans, null.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Number),
        (any::<i64>(), 0u32..10)
            .prop_map(|(n, scale)| Value::decimal(rust_decimal::Decimal::new(n, scale))),
        any::<String>().prop_map(Value::text),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::list_from),
            prop::collection::vec((any::<String>(), inner), 0..8).prop_map(|entries| {
                let map = Value::new_map();
                if let Value::Map(m) = &map {
                    for (key, value) in entries {
                        m.borrow_mut().insert(Value::text(key), value);
                    }
                }
                map
            }),
        ]
    })
}

/// A civil date-time Deluge can print (years 1000-9999, whole seconds).
fn civil_datetime() -> impl Strategy<Value = jiff::civil::DateTime> {
    (
        1000i16..=9999,
        1i8..=12,
        1i8..=28,
        0i8..24,
        0i8..60,
        0i8..60,
    )
        .prop_map(|(y, mo, d, h, mi, s)| jiff::civil::datetime(y, mo, d, h, mi, s, 0))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn json_to_values_and_back_is_stable(value in json_value()) {
        let printed = to_json(&value);
        let parsed = json::parse(&printed).unwrap();
        prop_assert_eq!(to_json(&parsed), printed.clone());
        // Through the built-ins: text -> toMap/toList -> toString.
        let (result, output) = run_with(
            Limits::default(),
            &format!("v = {}.toJSONList();\ninfo {}.toString() == {};",
                deluge_string(&format!("[{printed}]")),
                deluge_string(&format!("[{printed}]")),
                deluge_string(&format!("[{printed}]"))),
        );
        prop_assert!(result.is_ok(), "{:?}", result.err().map(|e| e.message().to_owned()));
        prop_assert_eq!(output, "true\n");
    }

    #[test]
    fn number_to_text_and_back(n in any::<i64>()) {
        let text = deluge_lang::eval::render::display(&Value::Number(n));
        prop_assert_eq!(parse_whole_number(&text), Some(n));
        let (result, output) = run_with(Limits::default(), &format!("info {}.toNumber() == {n};", deluge_string(&text)));
        prop_assert!(result.is_ok());
        prop_assert_eq!(output, "true\n");
    }

    #[test]
    fn decimal_to_text_and_back_keeps_value_and_scale(n in any::<i64>(), scale in 0u32..=18) {
        let d = rust_decimal::Decimal::new(n, scale);
        let text = deluge_lang::eval::render::display(&Value::decimal(d));
        let back = parse_decimal(&text).unwrap();
        prop_assert_eq!(back, d);
        prop_assert_eq!(back.scale(), d.scale());
        prop_assert_eq!(back.to_string(), text);
    }

    #[test]
    fn dates_to_text_and_back(civil in civil_datetime(), date_only in any::<bool>()) {
        let civil = if date_only { civil.date().to_datetime(jiff::civil::Time::midnight()) } else { civil };
        let dt = deluge_lang::eval::value::DateTime { civil, date_only };
        let text = format_datetime(&dt);
        prop_assert_eq!(parse_literal(&text), Some(dt));
        let iso = Pattern::compile("yyyy-MM-dd'T'HH:mm:ss").unwrap();
        let zoned = civil.to_zoned(jiff::tz::TimeZone::UTC).unwrap();
        let formatted = iso.format(&zoned);
        prop_assert!(iso.parse(&formatted, 2026).is_ok(), "{}", formatted);
        let (result, output) = run_with(
            Limits::default(),
            &format!("d = {}.toDateTime(\"yyyy-MM-dd'T'HH:mm:ss\");\ninfo d.toString(\"yyyy-MM-dd'T'HH:mm:ss\");", deluge_string(&formatted)),
        );
        prop_assert!(result.is_ok(), "{:?}", result.err().map(|e| e.message().to_owned()));
        prop_assert_eq!(output, format!("{formatted}\n"));
    }
}

// ---------------------------------------------------------------- secret hygiene

const CANARY: &str = "S3CRET-canary-123";
const CANARY_USER: &str = "canary-user-77";

struct Cli {
    home: tempfile::TempDir,
    transcript: String,
    /// Pass `--verbose` to every command.
    verbose: bool,
}

impl Cli {
    fn new(verbose: bool) -> Cli {
        Cli {
            home: tempfile::tempdir().unwrap(),
            transcript: String::new(),
            verbose,
        }
    }

    /// `dlg`, with `--verbose` when asked for.
    fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dlg"));
        if self.verbose {
            command.arg("--verbose");
        }
        command
    }

    /// Runs `dlg args`, with `stdin` piped in; records stdout and stderr.
    fn run(&mut self, args: &[&str], stdin: &str) -> Output {
        let output = support::output_with_stdin(
            self.command()
                .args(args)
                .env("DLG_HOME", self.home.path())
                .env_remove("DLG_MASTER_KEY")
                .env("RUST_BACKTRACE", "1")
                .current_dir(self.home.path()),
            stdin.as_bytes(),
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains("panicked"),
            "dlg {args:?} panicked: {stderr}"
        );
        // The arguments are not recorded: some tests pass a secret on purpose.
        self.transcript.push_str(&format!("{stdout}{stderr}"));
        output
    }

    fn ok(&mut self, args: &[&str], stdin: &str) -> String {
        let output = self.run(args, stdin);
        assert!(
            output.status.success(),
            "dlg {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Runs `dlg connection authorize LINK --no-browser` and answers it by pasting the
    /// redirect the provider would send (with the right state), so the flow goes on to the
    /// token exchange instead of waiting for a browser.
    fn authorize_by_paste(&mut self, link: &str, extra: &[&str]) -> Output {
        let mut child = self
            .command()
            .args(["connection", "authorize", link, "--no-browser"])
            .args(extra)
            .env("DLG_HOME", self.home.path())
            .env_remove("DLG_MASTER_KEY")
            .current_dir(self.home.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
        let mut shown = String::new();
        let state = loop {
            let mut line = String::new();
            let read = std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
            assert!(read > 0, "no authorize URL shown:\n{shown}");
            shown.push_str(&line);
            if let Some((_, rest)) = line.split_once("state=") {
                break rest.split('&').next().unwrap().trim().to_owned();
            }
        };
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "http://127.0.0.1:1/cb?code=code-1&state={state}").unwrap();
        drop(stdin);
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(!rest.contains("panicked"), "authorize panicked: {rest}");
        self.transcript.push_str(&format!("{stdout}{shown}{rest}"));
        output
    }

    fn script(&mut self, name: &str, src: &str) -> String {
        let path = self.home.path().join(name);
        fs::write(&path, src).unwrap();
        path.to_string_lossy().into_owned()
    }
}

/// Every variant of the canary a leak could take: plain, Base64 (Basic header), URL-encoded.
fn canary_forms() -> Vec<String> {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    vec![
        CANARY.to_owned(),
        b64.encode(format!("{CANARY_USER}:{CANARY}")),
        b64.encode(CANARY),
        CANARY.to_lowercase(),
        "canary-123".to_owned(),
    ]
}

fn assert_no_canary(what: &str, text: &str) {
    for form in canary_forms() {
        assert!(
            !text.contains(&form),
            "secret {form:?} leaked in {what}:\n{text}"
        );
    }
}

fn assert_private_files(dir: &Path) {
    let mut found = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            let mode = meta.permissions().mode() & 0o777;
            if meta.is_dir() {
                assert_eq!(mode & 0o077, 0, "{} is {mode:o}", path.display());
                stack.push(path);
            } else if path.extension().is_none_or(|e| e != "dg") {
                found += 1;
                assert_eq!(mode, 0o600, "{} is {mode:o}", path.display());
                let bytes = fs::read(&path).unwrap();
                assert_no_canary(
                    &path.display().to_string(),
                    &String::from_utf8_lossy(&bytes),
                );
            }
        }
    }
    assert!(
        found >= 2,
        "expected the store and the key file in {}",
        dir.display()
    );
}

/// A server on 127.0.0.1 for the connection flows: `/redirect` redirects to `/final`,
/// `/unauthorized` answers 401, anything else 200 `ok`.
fn answering_peer() -> u16 {
    loopback_peer(|mut stream| {
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            match std::io::Read::read(&mut stream, &mut buffer) {
                Ok(0) | Err(_) => return,
                Ok(n) => request.extend_from_slice(&buffer[..n]),
            }
        }
        let line = String::from_utf8_lossy(&request);
        let reply = if line.starts_with("GET /redirect") {
            "HTTP/1.1 302 Found\r\nLocation: /final?page=2\r\nContent-Length: 0\r\n\r\n"
        } else if line.starts_with("GET /unauthorized") {
            "HTTP/1.1 401 Unauthorized\r\nContent-Length: 6\r\n\r\ndenied"
        } else {
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        };
        let _ = stream.write_all(reply.as_bytes());
    })
}

#[test]
fn no_connection_flow_or_error_path_leaks_a_secret() {
    let transcript = exercise_every_connection_flow(false);
    assert!(!transcript.contains("dlg: http:"), "{transcript}");
}

#[test]
fn verbose_logs_of_every_connection_flow_hold_no_secret() {
    let transcript = exercise_every_connection_flow(true);
    for logged in [
        "dlg: connection store: ",
        "dlg: http: signing with connection \"keyconn\"",
        "?authtoken=<redacted>",
        "X-Api-Key: <redacted>",
        "Authorization: <redacted>",
        "dlg: http: 200 from 127.0.0.1:",
        "dlg: http: redirect 302 to http://127.0.0.1:",
        "dlg: http: 401: asking connection \"keyconn\" to renew its credentials",
        "dlg: http: failed after ",
        "dlg: oauth2: exchanging the authorization code at http://127.0.0.1:9/token",
    ] {
        assert_contains(&transcript, logged);
    }
}

/// Runs every connection flow the CLI offers and every error path with the canary as the
/// secret, and checks that it appears in no output and no file other users can read.
/// Returns the transcript of standard output and error.
fn exercise_every_connection_flow(verbose: bool) -> String {
    let mut cli = Cli::new(verbose);
    // API key, entered from standard input.
    cli.ok(
        &[
            "service",
            "create",
            "keyed",
            "--auth",
            "api-key",
            "--host",
            "127.0.0.1",
            "--param",
            "X-Api-Key:header",
            "--param",
            "authtoken:query",
        ],
        "",
    );
    cli.ok(
        &["connection", "create", "keyconn", "--service", "keyed"],
        "",
    );
    cli.ok(
        &[
            "connection",
            "authorize",
            "keyconn",
            "--param",
            "X-Api-Key=-",
            "--param",
            "authtoken=-",
        ],
        &format!("{CANARY}\n{CANARY}\n"),
    );
    // Basic, password from standard input.
    cli.ok(
        &[
            "service",
            "create",
            "basicsvc",
            "--auth",
            "basic",
            "--host",
            "127.0.0.1",
        ],
        "",
    );
    cli.ok(
        &["connection", "create", "basicconn", "--service", "basicsvc"],
        "",
    );
    cli.ok(
        &[
            "connection",
            "authorize",
            "basicconn",
            "--param",
            &format!("username={CANARY_USER}"),
            "--param",
            "password=-",
        ],
        &format!("{CANARY}\n"),
    );
    // OAuth 2 and OAuth 1 client secrets.
    cli.ok(
        &[
            "service",
            "create",
            "oauthsvc",
            "--auth",
            "oauth2",
            "--host",
            "127.0.0.1",
            "--authorize-url",
            "http://127.0.0.1:9/authorize",
            "--token-url",
            "http://127.0.0.1:9/token",
            "--client-id",
            "client-1",
            "--client-secret",
            "-",
        ],
        &format!("{CANARY}\n"),
    );
    cli.ok(
        &[
            "service",
            "create",
            "oauth1svc",
            "--auth",
            "oauth1",
            "--host",
            "127.0.0.1",
            "--request-token-url",
            "http://127.0.0.1:9/request",
            "--authorize-url",
            "http://127.0.0.1:9/authorize",
            "--access-token-url",
            "http://127.0.0.1:9/access",
            "--consumer-key",
            "ck",
            "--consumer-secret",
            "-",
        ],
        &format!("{CANARY}\n"),
    );
    cli.ok(
        &["connection", "create", "oauthconn", "--service", "oauthsvc"],
        "",
    );
    // Every way of looking at them.
    for args in [
        vec!["connection", "list"],
        vec!["connection", "list", "--json"],
        vec!["connection", "show", "keyconn"],
        vec!["connection", "show", "keyconn", "--json"],
        vec!["connection", "show", "basicconn"],
        vec!["connection", "show", "basicconn", "--json"],
        vec!["connection", "show", "oauthconn", "--json"],
        vec!["service", "list", "--json"],
        vec!["service", "show", "oauthsvc"],
        vec!["service", "show", "oauthsvc", "--json"],
        vec!["service", "show", "oauth1svc", "--json"],
    ] {
        cli.run(&args, "");
    }
    // Error paths: an OAuth authorize that cannot reach its server, wrong parameters, and
    // scripts using connections for hosts that are not allowed, unknown or revoked.
    let failed = cli.authorize_by_paste("oauthconn", &[]);
    assert!(!failed.status.success());
    assert_contains(&cli.transcript, "authorization code exchange failed");
    cli.run(
        &[
            "connection",
            "authorize",
            "keyconn",
            "--param",
            &format!("nope={CANARY}"),
        ],
        "",
    );
    let typo = cli.run(
        &[
            "connection",
            "authorize",
            "basicconn",
            "--param",
            &format!("password:{CANARY}"),
        ],
        "",
    );
    assert_eq!(typo.status.code(), Some(2));
    assert_contains(
        &String::from_utf8_lossy(&typo.stderr),
        "invalid --param (value not shown, it may be a secret): expected KEY=VALUE",
    );
    let invoke = |url: &str, conn: &str| {
        format!("r = invokeurl [ url: \"{url}\" type: GET connection: \"{conn}\" ];\ninfo r;\n")
    };
    let peer = answering_peer();
    let scripts = [
        invoke(&format!("http://127.0.0.1:{peer}/x?q=1"), "keyconn"),
        invoke(&format!("http://127.0.0.1:{peer}/redirect"), "basicconn"),
        invoke(&format!("http://127.0.0.1:{peer}/unauthorized"), "keyconn"),
        invoke("http://example.com/x", "keyconn"),
        invoke("http://127.0.0.1:9/x", "nope"),
        invoke("http://127.0.0.1:9/x", "basicconn"),
        invoke("http://127.0.0.1:9/x", "keyconn"),
        format!(
            "try {{ {} }} catch (e) {{ info e; }}",
            invoke("http://127.0.0.1:9/x", "basicconn")
        ),
    ];
    for (i, src) in scripts.iter().enumerate() {
        let path = cli.script(&format!("s{i}.dg"), src);
        cli.run(&["run", &path], "");
        cli.run(&["check", &path], "");
    }
    cli.ok(&["connection", "revoke", "keyconn"], "y\n");
    let path = cli.script("revoked.dg", &invoke("http://127.0.0.1:9/x", "keyconn"));
    cli.run(&["run", &path], "");
    cli.run(&["connection", "show", "keyconn", "--json"], "");

    assert_no_canary("the dlg transcript", &cli.transcript);
    assert_private_files(cli.home.path());
    cli.transcript
}

#[test]
fn debug_of_public_secret_types_masks_the_secret() {
    use deluge_lang::connections::{Credentials, Secret, ServiceSecrets};
    let secret = Secret::from(CANARY);
    let values = [("X-Api-Key".to_owned(), Secret::from(CANARY))]
        .into_iter()
        .collect();
    let credentials = Credentials::ApiKey { values };
    let service = ServiceSecrets {
        client_secret: Some(Secret::from(CANARY)),
    };
    for debug in [
        format!("{secret:?}"),
        format!("{secret:#?}"),
        format!("{credentials:?}"),
        format!("{credentials:#?}"),
        format!("{service:?}"),
    ] {
        assert_no_canary("Debug output", &debug);
    }
}

// ---------------------------------------------------------------- network limits

/// A peer on 127.0.0.1 that accepts connections and hands each to `serve` on its own thread.
fn loopback_peer(serve: fn(std::net::TcpStream)) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream));
        }
    });
    port
}

#[test]
fn ctrl_c_stops_dlg_run_waiting_for_a_response_with_a_message() {
    // A server that says when the request arrived and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (arrived, request_arrived) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        if let Ok((stream, _)) = listener.accept() {
            let _ = arrived.send(());
            std::thread::sleep(Duration::from_secs(30));
            drop(stream);
        }
    });
    let home = tempfile::tempdir().unwrap();
    let script = home.path().join("slow.dg");
    fs::write(
        &script,
        format!("info \"sent\";\nr = invokeurl [ url: \"http://127.0.0.1:{port}/\" type: GET ];\ninfo \"never\";"),
    )
    .unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_dlg"))
        .arg("run")
        .arg(&script)
        .env("DLG_HOME", home.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    request_arrived
        .recv_timeout(Duration::from_secs(20))
        .expect("the request never arrived");
    std::thread::sleep(Duration::from_millis(200));
    let pressed = Instant::now();
    // SAFETY: sends SIGINT to the child this test started and still owns.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let output = child.wait_with_output().unwrap();
    assert!(
        pressed.elapsed() < Duration::from_secs(3),
        "took {:?} to stop",
        pressed.elapsed()
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_contains(&stderr, "interrupted (Ctrl-C)");
    assert_contains(&stderr, "slow.dg:2:");
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "sent\n");
}

#[test]
fn a_server_that_accepts_and_never_answers_times_out_cleanly() {
    let port = loopback_peer(|stream| {
        std::thread::sleep(Duration::from_secs(30));
        drop(stream);
    });
    let limits = Limits {
        http_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let src = format!("r = invokeurl [ url: \"http://127.0.0.1:{port}/\" type: GET ];");
    let start = Instant::now();
    let message = run_error(limits, &src);
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "timeout not honoured"
    );
    assert_contains(&message, "socket timeout error");
}

#[test]
fn a_response_over_the_size_cap_is_an_error_not_an_allocation() {
    let port = loopback_peer(|mut stream| {
        let mut request = [0u8; 4096];
        let _ = std::io::Read::read(&mut stream, &mut request);
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n",
        );
        let chunk = vec![b'x'; 64 * 1024];
        for _ in 0..(6 * 16 + 1) {
            let header = format!("{:x}\r\n", chunk.len());
            if stream.write_all(header.as_bytes()).is_err()
                || stream.write_all(&chunk).is_err()
                || stream.write_all(b"\r\n").is_err()
            {
                return;
            }
        }
        let _ = stream.write_all(b"0\r\n\r\n");
    });
    let src = format!("r = invokeurl [ url: \"http://127.0.0.1:{port}/big\" type: GET ];");
    let message = run_error(Limits::default(), &src);
    assert_contains(&message, "5 MiB");
}
