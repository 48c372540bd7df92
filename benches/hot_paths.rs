//! Criterion micro-benchmarks of the interpreter's hot paths: parsing, user calls, NUMBER
//! arithmetic, TEXT building, LIST and KEY-VALUE access, JSON round trips.
//! Run with `cargo bench --bench hot_paths`; CI only compiles them.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use deluge_lang::{Engine, Value};

/// Compiles `src` once, then times runs of it; the script ends with `return e;`.
fn bench_script(c: &mut Criterion, name: &str, src: &str, expected: Value) {
    let engine = Engine::new();
    let script = match engine.compile(src) {
        Ok(script) => script,
        Err(err) => panic!("{name} does not compile: {}", err.render(false)),
    };
    match engine.run_script(&script) {
        Ok(value) => assert_eq!(value, expected, "{name} computes the wrong value"),
        Err(err) => panic!("{name} fails: {}", err.render(false)),
    }
    c.bench_function(name, |b| {
        b.iter(|| black_box(engine.run_script(&script).is_ok()))
    });
}

/// A top-level loop of `n` iterations around `body` (index variable `i`).
fn loop_of(n: usize, setup: &str, body: &str, result: &str) -> String {
    format!(
        "{setup}\nfor each index i in leftpad(\"1\", {n}).replaceAll(\" \", \"1,\").toList(\",\")\n{{\n{body}\n}}\nreturn {result};"
    )
}

fn interpreter(c: &mut Criterion) {
    bench_script(
        c,
        "user calls: fib(15)",
        "int fib(int n)\n{\n\tif (n < 2)\n\t{\n\t\treturn n;\n\t}\n\treturn fib(n - 1) + fib(n - 2);\n}\nreturn fib(15);",
        Value::Number(610),
    );
    bench_script(
        c,
        "NUMBER arithmetic and if: 10k iterations",
        &loop_of(
            10_000,
            "s = 0;",
            "m = (i * i) % 7;\nif (m > 2) { s = s + m; } else { s = s + 1; }",
            "s",
        ),
        Value::Number(18_571),
    );
    bench_script(
        c,
        "TEXT append: 10k",
        &loop_of(10_000, "s = \"\";", "s = s + \"ab\";", "s.length()"),
        Value::Number(20_000),
    );
    bench_script(
        c,
        "LIST add and sum: 10k",
        &loop_of(10_000, "xs = List();", "xs.add(i);", "xs.size()"),
        Value::Number(10_000),
    );
    bench_script(
        c,
        "KEY-VALUE put and get: 10k",
        &loop_of(
            10_000,
            "m = Map(); t = 0;",
            "m.put(\"k\" + i, i);\nt = t + m.get(\"k\" + i);",
            "t",
        ),
        Value::Number(49_995_000),
    );
    bench_script(
        c,
        "JSON round trip: 1k maps",
        &loop_of(
            1_000,
            "items = List();",
            "row = Map();\nrow.put(\"id\", i);\nrow.put(\"name\", \"item\" + i);\nitems.add(row);",
            "{\"items\": items}.toString().getJSON(\"items\").toJSONList().size()",
        ),
        Value::Number(1_000),
    );
}

fn parser(c: &mut Criterion) {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&corpus)
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    let text: String = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "dg"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect::<Vec<_>>()
        .join("\n");
    c.bench_function("parse: the tests/corpus scripts", |b| {
        b.iter(|| black_box(deluge_lang::syntax::parse(black_box(&text)).errors.len()))
    });
    c.bench_function("parse: one short statement", |b| {
        b.iter(|| {
            black_box(
                deluge_lang::syntax::parse(black_box("x = 1 + 2;"))
                    .errors
                    .len(),
            )
        })
    });
}

criterion_group!(benches, interpreter, parser);
criterion_main!(benches);
