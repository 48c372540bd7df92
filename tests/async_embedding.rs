//! The engine in async code (issue 20): every run method called directly inside async
//! functions on both tokio runtime flavours, with scripts that call a real httpbin on
//! 127.0.0.1; the async facade (`run_async`, `eval_async`, `call_fn_async`), 200 concurrent
//! runs, and the axum example answering requests.

mod support;

use std::sync::Arc;

use deluge_lang::{Engine, Scope, Value};
use support::httpbin;

mod axum_example {
    #![allow(dead_code)]
    include!("../examples/axum_service.rs");
}

/// A script that asks httpbin to echo `x=<tag>` and returns the echo.
fn echo_script(tag: &str) -> String {
    let url = httpbin::shared().url(&format!("/get?x={tag}"));
    format!("r = invokeurl [ url: \"{url}\" type: GET ];\nreturn r.get(\"args\").get(\"x\");")
}

fn echo_function() -> String {
    let url = httpbin::shared().url("/get");
    format!(
        "string echo(string tag) {{\n  r = invokeurl [ url: \"{url}\" type: GET parameters: \
         {{\"x\": tag}} ];\n  return r.get(\"args\").get(\"x\");\n}}"
    )
}

/// Calls every blocking run method of a fresh engine on the current (runtime) thread, then
/// drops the engine there.
fn every_run_method_works_here() {
    let engine = Engine::new();
    assert_eq!(engine.run(&echo_script("run")).unwrap(), Value::text("run"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("echo.dg");
    std::fs::write(&path, echo_script("file")).unwrap();
    assert_eq!(engine.run_file(&path).unwrap(), Value::text("file"));
    let script = engine.compile(&echo_script("script")).unwrap();
    assert_eq!(engine.run_script(&script).unwrap(), Value::text("script"));
    let mut scope = Scope::new();
    engine
        .run_with_scope(
            &mut scope,
            &format!("{}\n", echo_script("scope")).replace("return ", "got = "),
        )
        .unwrap();
    assert_eq!(scope.get::<String>("got").as_deref(), Some("scope"));
    let with_scope = engine.compile(&echo_script("script-scope")).unwrap();
    let value = engine
        .run_script_with_scope(&with_scope, &mut scope)
        .unwrap();
    assert_eq!(value, Value::text("script-scope"));
    assert_eq!(engine.eval::<String>(&echo_script("eval")).unwrap(), "eval");
    let evaluated: String = engine
        .eval_with_scope(&mut scope, &echo_script("eval-scope"))
        .unwrap();
    assert_eq!(evaluated, "eval-scope");
    let functions = engine.compile(&echo_function()).unwrap();
    let called: String = engine.call_fn(&functions, "echo", ("call",)).unwrap();
    assert_eq!(called, "call");
    let getter = format!(
        "return getUrl(\"{}\");",
        httpbin::shared().url("/get?x=legacy")
    );
    assert!(engine.eval::<String>(&getter).unwrap().contains("legacy"));
    drop(engine);
}

#[tokio::test(flavor = "current_thread")]
async fn every_run_method_works_on_a_current_thread_runtime() {
    every_run_method_works_here();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_run_method_works_on_a_multi_thread_runtime() {
    every_run_method_works_here();
}

#[tokio::test(flavor = "current_thread")]
async fn the_async_facade_returns_converted_values_and_the_output() {
    let engine = Engine::new();
    let script = format!("info \"calling\";\n{}", echo_script("async"));
    let ran = engine.run_async(script).await;
    assert_eq!(ran.output(), "calling\n");
    assert_eq!(ran.into_result().unwrap(), serde_json::json!("async"));
    let ran = engine.eval_async::<String>(echo_script("eval-async")).await;
    assert_eq!(ran.into_result().unwrap(), "eval-async");
    let script = Arc::new(engine.compile(&echo_function()).unwrap());
    let ran = engine
        .call_fn_async::<String>(&script, "echo", ("fn-async",))
        .await;
    assert_eq!(ran.into_result().unwrap(), "fn-async");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_async_run_keeps_its_output_and_says_why() {
    let engine = Engine::new();
    let ran = engine.run_async("info \"before\";\nx = 1 / 0;").await;
    assert_eq!(ran.output(), "before\n");
    let message = ran.into_result().unwrap_err().to_string();
    assert!(
        message.contains("Division by zero") || message.contains("division by zero"),
        "{message}"
    );
    let ran = engine.eval_async::<i64>("\"ten\"").await;
    let message = ran.into_result().unwrap_err().to_string();
    assert!(
        message.contains("the result cannot be converted"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_async_runs_each_get_their_own_answer() {
    let engine = Arc::new(Engine::new());
    let runs = (0..200).map(|n| {
        let engine = Arc::clone(&engine);
        tokio::spawn(async move {
            let ran = engine
                .run_async(format!("info {n};\n{}", echo_script(&n.to_string())))
                .await;
            let (result, output) = ran.into_parts();
            (n, result.unwrap(), output)
        })
    });
    for run in runs.collect::<Vec<_>>() {
        let (n, result, output) = run.await.unwrap();
        assert_eq!(result, serde_json::json!(n.to_string()));
        assert_eq!(output, format!("{n}\n"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_axum_example_answers_requests() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = axum_example::router(Arc::new(axum_example::service_engine()));
    tokio::spawn(async move { axum::serve(listener, app).await });
    let ok = axum_example::post_script(port, "info \"hi\";\nreturn {\"n\": 1 + 1};")
        .await
        .unwrap();
    assert_eq!(
        ok,
        "HTTP/1.1 200 OK\n{\"result\":{\"n\":2},\"output\":\"hi\\n\"}"
    );
    let refused = axum_example::post_script(port, &echo_script("inside"))
        .await
        .unwrap();
    assert!(
        refused.starts_with("HTTP/1.1 422 Unprocessable Entity"),
        "{refused}"
    );
    assert!(
        refused.contains("egress policy: refused 127.0.0.1"),
        "{refused}"
    );
    assert!(
        refused.contains("is loopback, denied by the private-network preset"),
        "{refused}"
    );
}
