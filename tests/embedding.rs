//! The embedding API: examples, registered natives, scopes, eval, call_fn, conversions, host
//! hooks, progress/cancel, threads and error rendering.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use deluge_lang::{
    CaptureOutput, Checkpoint, Control, Engine, ErrorPhase, Failure, Host, Scope, Script, Value,
    ValueType,
};

// ---------------------------------------------------------------- examples

#[allow(dead_code)]
mod host_function {
    include!("../examples/host_function.rs");
}

#[allow(dead_code)]
mod capture_info {
    include!("../examples/capture_info.rs");
}

#[allow(dead_code)]
mod custom_store {
    include!("../examples/custom_store.rs");
}

#[allow(dead_code)]
mod zoho_host {
    include!("../examples/zoho_host.rs");
}

#[test]
fn example_host_function_prints_its_results() {
    assert_eq!(
        host_function::transcript(),
        "tax: 24\ntitle / hello-big-world\nBlue pen\nlookup failed: no product with SKU Z-9\n"
    );
}

#[test]
fn example_capture_info_numbers_lines_and_reads_the_scope() {
    assert_eq!(
        capture_info::transcript(),
        " 1 | pens x3\n 2 | paper x10\n 3 | total: 126\nresult: true\ntotal in scope: 126\n"
    );
}

#[test]
fn example_custom_store_signs_through_the_host_store_and_transport() {
    let text = custom_store::transcript();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("GET /v1/deals"));
    assert_eq!(lines.next(), Some("auth: Bearer sk_..."));
    let error = lines.next().unwrap_or_default();
    assert!(
        error.starts_with("error: connection \"nope\" does not exist"),
        "{error}"
    );
    assert_eq!(lines.next(), None);
}

#[test]
fn example_zoho_host_serves_crm_and_mail() {
    assert_eq!(
        zoho_host::transcript(),
        "lead: Lovelace\nerror: no Leads record with ID 7\nmail to ada@example.com: Welcome, Lovelace\n"
    );
}

// ---------------------------------------------------------------- helpers

fn engine() -> (Engine, CaptureOutput) {
    let mut engine = Engine::new();
    let output = CaptureOutput::new();
    engine.set_output(output.clone());
    engine.set_connections(None);
    (engine, output)
}

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn engine_and_script_are_send_and_sync() {
    assert_send_sync::<Engine>();
    assert_send_sync::<Script>();
}

// ---------------------------------------------------------------- registered functions

#[test]
fn typed_functions_convert_arguments_and_results() {
    let (mut engine, output) = engine();
    engine
        .register_fn("add", |a: i64, b: i64| a + b)
        .register_fn("greet", |name: String, times: u32| {
            name.repeat(times as usize)
        })
        .register_fn("nothing", || ())
        .register_fn("maybe", |x: Option<i64>| x.map(|n| n * 2))
        .register_fn("sum", |xs: Vec<i64>| xs.iter().sum::<i64>())
        .register_fn("six", |a: i64, b: i64, c: i64, d: i64, e: i64, f: i64| {
            a + b + c + d + e + f
        });
    engine
        .run(
            "info add(40, 2);\ninfo greet(\"ab\", 3);\ninfo nothing() == null;\ninfo maybe(null) == null;\ninfo maybe(4);\ninfo sum({1, 2, 3});\ninfo six(1, 2, 3, 4, 5, 6);",
        )
        .unwrap();
    assert_eq!(
        output.lines(),
        ["42", "ababab", "true", "true", "8", "6", "21"]
    );
}

#[test]
fn registered_names_are_case_insensitive_and_may_be_dotted() {
    let (mut engine, _) = engine();
    engine.register_fn("Acme.Score", |n: i64| n * 10);
    assert_eq!(
        engine.eval::<i64>("acme.score(2) + ACME.SCORE(1)").unwrap(),
        30
    );
}

#[test]
fn a_wrong_argument_count_is_a_compile_error_naming_the_function() {
    let (mut engine, output) = engine();
    engine.register_fn("add", |a: i64, b: i64| a + b);
    let err = engine.run("info \"before\";\ninfo add(1);").unwrap_err();
    assert_eq!(err.phase(), ErrorPhase::Compile);
    assert_eq!(
        err.message(),
        "function `add` takes 2 arguments, but 1 was given"
    );
    assert_eq!(err.line(), 2);
    assert!(err
        .render(false)
        .contains("registered it as `add(NUMBER, NUMBER)`"));
    assert!(output.lines().is_empty());
}

#[test]
fn a_wrong_argument_type_is_a_runtime_error_naming_the_argument() {
    let (mut engine, _) = engine();
    engine.register_fn("add", |a: i64, b: i64| a + b);
    let err = engine.run("x = add(1, \"two\");").unwrap_err();
    assert_eq!(err.phase(), ErrorPhase::Runtime);
    assert_eq!(
        err.message(),
        "argument 2 of `add`: expected a NUMBER, but got TEXT \"two\""
    );
    let rendered = err.render(false);
    assert!(rendered.contains("<script>:1:5"), "{rendered}");
}

#[test]
fn fallible_functions_raise_catchable_errors_at_the_call() {
    let (mut engine, output) = engine();
    engine.register_fallible_fn("fetch_price", |sku: String| {
        if sku == "A" {
            Ok(10)
        } else {
            Err(format!("unknown SKU {sku}"))
        }
    });
    engine
        .run("info fetch_price(\"A\");\ntry { fetch_price(\"B\"); } catch (e) { info e.message + \" @\" + e.lineNo; }")
        .unwrap();
    assert_eq!(output.lines(), ["10", "unknown SKU B @2"]);
    let err = engine.run("\n\nx = fetch_price(\"C\");").unwrap_err();
    assert_eq!(err.message(), "unknown SKU C");
    assert_eq!(err.line(), 3);
}

#[test]
fn a_misspelt_registered_function_gets_a_suggestion() {
    let (mut engine, _) = engine();
    engine.register_fn("lookup_customer", |id: i64| id);
    let err = engine.run("x = lookup_custmer(1);").unwrap_err();
    assert_eq!(err.message(), "unknown function `lookup_custmer`");
    assert!(
        err.render(false)
            .contains("did you mean `lookup_customer`?"),
        "{}",
        err.render(false)
    );
}

#[test]
fn registered_functions_override_builtins_and_scripts_override_both() {
    let (mut engine, _) = engine();
    engine.register_fn("abs", |_: i64| "host abs");
    assert_eq!(engine.eval::<String>("abs(-3)").unwrap(), "host abs");
    let own = "int abs(int n) { return 99; }\nreturn abs(-3);";
    assert_eq!(engine.run(own).unwrap(), Value::Number(99));
}

#[test]
fn a_script_compiled_before_a_registration_keeps_its_functions() {
    let (mut engine, _) = engine();
    engine.register_fn("version", || 1);
    let script = engine.compile("return version();").unwrap();
    engine.register_fn("version", || 2);
    assert_eq!(engine.run_script(&script).unwrap(), Value::Number(1));
    assert_eq!(engine.eval::<i64>("version()").unwrap(), 2);
}

// ---------------------------------------------------------------- methods

#[test]
fn registered_methods_apply_to_their_type_and_leave_builtins_alone() {
    let (mut engine, _) = engine();
    engine.register_method(ValueType::Text, "shout", |s: String| s.to_uppercase() + "!");
    engine.register_method(ValueType::Number, "length", |n: i64| {
        n.to_string().len() as i64
    });
    engine.register_method(
        ValueType::Text,
        "wrap",
        |s: String, l: String, r: String| format!("{l}{s}{r}"),
    );
    assert_eq!(engine.eval::<String>("\"hey\".shout()").unwrap(), "HEY!");
    assert_eq!(engine.eval::<i64>("12345.length()").unwrap(), 5);
    assert_eq!(engine.eval::<i64>("\"abc\".length()").unwrap(), 3);
    assert_eq!(
        engine
            .eval::<String>("x = \"a\";\nx.wrap(\"[\", \"]\")")
            .unwrap(),
        "[a]"
    );
}

#[test]
fn a_registered_method_on_the_wrong_type_or_arity_says_so() {
    let (mut engine, _) = engine();
    engine.register_method(ValueType::Text, "shout", |s: String| s.to_uppercase());
    let err = engine.run("x = 5.shout();").unwrap_err();
    assert_eq!(
        err.message(),
        "`shout` cannot be applied to NUMBER 5; it applies to TEXT"
    );
    let err = engine.run("x = \"a\".shout(1);").unwrap_err();
    assert_eq!(
        err.message(),
        "`shout` takes 0 arguments, but 1 was given (registered as `shout()`)"
    );
    let err = engine.run("x = null; y = x.shout();").unwrap_err();
    assert!(
        err.message().starts_with("Value is empty and 'shout'"),
        "{}",
        err.message()
    );
}

#[test]
fn a_variable_receiver_keeps_its_value_through_registered_methods_that_fail() {
    let (mut engine, output) = engine();
    engine.register_fallible_method(ValueType::List, "second", |items: Vec<i64>| {
        items
            .get(1)
            .copied()
            .ok_or("the list has no second element")
    });
    engine
        .run(
            "xs = {7};\n\
             try { info xs.second(); } catch (err) { info err.message; }\n\
             xs.add(xs.size() + 7);\n\
             info xs.second();\n\
             info xs;",
        )
        .unwrap();
    assert_eq!(
        output.lines(),
        ["the list has no second element", "8", "7,8"]
    );
}

#[test]
fn adding_to_a_list_variable_behaves_as_the_call_on_every_receiver_and_at_the_limit() {
    let (mut engine, output) = engine();
    engine.set_limits(deluge_lang::Limits {
        max_collection_len: 3,
        ..deluge_lang::Limits::default()
    });
    engine
        .run(
            "int counted(list seen)\n\
             {\n\
             \tseen.add(\"x\");\n\
             \treturn seen.size();\n\
             }\n\
             seen = List();\n\
             xs = {1};\n\
             ys = xs;\n\
             xs.add(counted(seen));\n\
             info ys;\n\
             xs.add(xs);\n\
             info xs.size();\n\
             try { xs.add(counted(seen)); } catch (e) { info e.lineNo + \": \" + e.message; }\n\
             info xs.size();\n\
             t = \"abc\";\n\
             try { t.add(counted(seen)); } catch (e) { info e.lineNo + \": \" + e.message; }\n\
             info t;\n\
             info seen.size();\n\
             nothing = null;\n\
             try { nothing.add(1); } catch (e) { info e.message; }",
        )
        .unwrap();
    assert_eq!(
        output.lines(),
        [
            "1,1",
            "3",
            "13: add: the result would have 4 entries, over the limit of 3 entries",
            "3",
            "16: `add` cannot be applied to TEXT \"abc\"; it applies to LIST",
            "abc",
            "3",
            "Value is empty and 'add' function cannot be applied (check it with isNull() first)",
        ]
    );
}

// ---------------------------------------------------------------- scope

#[test]
fn a_scope_round_trips_variables_between_runs() {
    let (engine, output) = engine();
    let mut scope = Scope::new();
    scope.push("count", 1).push("names", vec!["a", "b"]);
    engine
        .run_with_scope(
            &mut scope,
            "count = count + 1;\nnames.add(\"c\");\nfresh = \"new\";",
        )
        .unwrap();
    assert_eq!(scope.get::<i64>("count"), Some(2));
    assert_eq!(scope.get::<Vec<String>>("names").unwrap(), ["a", "b", "c"]);
    assert_eq!(scope.get::<String>("fresh").as_deref(), Some("new"));
    engine
        .run_with_scope(&mut scope, "info count + \" \" + fresh + \" \" + names;")
        .unwrap();
    assert_eq!(output.lines(), ["2 new a,b,c"]);
}

#[test]
fn a_failed_run_leaves_the_scope_as_it_was() {
    let (engine, _) = engine();
    let mut scope = Scope::new();
    scope.push("count", 1);
    let err = engine
        .run_with_scope(&mut scope, "count = 5;\nx = 1 / 0;")
        .unwrap_err();
    assert_eq!(err.message(), "division by zero");
    assert_eq!(scope.get::<i64>("count"), Some(1));
}

#[test]
fn a_script_compiled_with_a_scope_runs_again_on_it() {
    let (engine, _) = engine();
    let mut scope = Scope::new();
    scope.push("n", 0);
    let script = engine.compile_with_scope(&scope, "n = n + 1;").unwrap();
    for _ in 0..5 {
        engine.run_script_with_scope(&script, &mut scope).unwrap();
    }
    assert_eq!(scope.get::<i64>("n"), Some(5));
}

// ---------------------------------------------------------------- eval

#[test]
fn eval_converts_to_rust_types() {
    let (engine, _) = engine();
    assert_eq!(engine.eval::<i64>("1 + 2").unwrap(), 3);
    assert_eq!(engine.eval::<f64>("1.5 * 2").unwrap(), 3.0);
    assert!(engine.eval::<bool>("3 > 2;").unwrap());
    assert_eq!(engine.eval::<String>("\"a\" + 1").unwrap(), "a1");
    assert_eq!(engine.eval::<Option<i64>>("null").unwrap(), None);
    assert_eq!(engine.eval::<Vec<i64>>("{1, 2}").unwrap(), [1, 2]);
    assert_eq!(engine.eval::<i64>("x = 4;\nreturn x * x;").unwrap(), 16);
    let d = engine.eval::<rust_decimal::Decimal>("0.1 + 0.2").unwrap();
    assert_eq!(d.to_string(), "0.3");
}

#[test]
fn eval_reports_a_result_of_the_wrong_type() {
    let (engine, _) = engine();
    let err = engine.eval::<i64>("{\"a\": 1}").unwrap_err();
    assert_eq!(err.phase(), ErrorPhase::Runtime);
    assert_eq!(
        err.message(),
        "the result cannot be converted: expected a NUMBER, but got KEY-VALUE"
    );
    let err = engine.eval::<u32>("-1").unwrap_err();
    assert_eq!(
        err.message(),
        "the result cannot be converted: -1 does not fit in u32"
    );
}

#[test]
fn eval_reports_syntax_errors_with_their_place() {
    let (engine, _) = engine();
    let err = engine.eval::<i64>("1 +").unwrap_err();
    assert_eq!(err.phase(), ErrorPhase::Syntax);
    assert!(
        err.render(false).contains("<script>:1:"),
        "{}",
        err.render(false)
    );
}

// ---------------------------------------------------------------- serde

#[test]
fn values_convert_to_and_from_serde_json() {
    let (engine, _) = engine();
    let json = serde_json::json!({"name": "Ada", "tags": ["x", "y"], "score": 9.5, "n": 3, "ok": true, "none": null});
    let value = Value::from_json(&json);
    assert_eq!(value.to_json(), json);
    let mut scope = Scope::new();
    scope.push("record", json.clone());
    let out: serde_json::Value = engine
        .eval_with_scope(&mut scope, "record.put(\"seen\", true);\nrecord")
        .unwrap();
    assert_eq!(out["seen"], serde_json::json!(true));
    assert_eq!(out["tags"], serde_json::json!(["x", "y"]));
    let dates: serde_json::Value = engine.eval("{\"d\": '15-Aug-1947'}").unwrap();
    assert_eq!(dates, serde_json::json!({"d": "15-Aug-1947"}));
}

// ---------------------------------------------------------------- call_fn

const LIBRARY: &str = "int twice(int n) { return n * 2; }\n\
string billing.label(string name) { return \"bill:\" + name; }\n\
string shipping.label(string name) { return \"ship:\" + name; }\n\
void shout(string s) { info s.toUpperCase(); }";

#[test]
fn call_fn_finds_functions_by_name_and_namespace() {
    let (engine, output) = engine();
    let script = engine.compile(LIBRARY).unwrap();
    assert_eq!(engine.call_fn::<i64>(&script, "twice", (21,)).unwrap(), 42);
    assert_eq!(engine.call_fn::<i64>(&script, "TWICE", [5]).unwrap(), 10);
    let bill: String = engine.call_fn(&script, "billing.label", ("a",)).unwrap();
    let ship: String = engine
        .call_fn(&script, "thisapp.shipping.label", ("b",))
        .unwrap();
    assert_eq!((bill.as_str(), ship.as_str()), ("bill:a", "ship:b"));
    let none: Value = engine
        .call_fn(&script, "standalone.shout", vec![Value::text("hi")])
        .unwrap();
    assert!(none.is_null());
    assert_eq!(output.lines(), ["HI"]);
}

#[test]
fn call_fn_explains_wrong_names_and_arguments() {
    let (engine, _) = engine();
    let script = engine.compile(LIBRARY).unwrap();
    let err = engine
        .call_fn::<Value>(&script, "label", ("x",))
        .unwrap_err();
    assert_eq!(
        err.message(),
        "`label` is ambiguous: it could be billing.label or shipping.label; give the full name"
    );
    let err = engine
        .call_fn::<Value>(&script, "nothing.here", ())
        .unwrap_err();
    assert_eq!(
        err.message(),
        "no function named `nothing.here` in this script (it defines: twice, billing.label, shipping.label, shout)"
    );
    let empty = engine.compile("x = 1;").unwrap();
    let err = engine.call_fn::<Value>(&empty, "f", ()).unwrap_err();
    assert_eq!(
        err.message(),
        "no function named `f` in this script (it defines no functions)"
    );
    let err = engine.call_fn::<Value>(&script, "twise", (1,)).unwrap_err();
    assert_eq!(
        err.message(),
        "no function named `twise` in this script; did you mean `twice`?"
    );
    let err = engine
        .call_fn::<Value>(&script, "twice", (1, 2))
        .unwrap_err();
    assert_eq!(
        err.message(),
        "function `twice` takes 1 argument, but 2 were given"
    );
    let err = engine
        .call_fn::<i64>(&script, "billing.label", ("x",))
        .unwrap_err();
    assert_eq!(
        err.message(),
        "the result of `billing.label` cannot be converted: expected a NUMBER, but got TEXT \"bill:x\""
    );
}

// ---------------------------------------------------------------- host hooks

/// Records every call and mail; serves one CRM record.
#[derive(Default)]
struct RecordingHost {
    log: Mutex<Vec<String>>,
}

impl Host for RecordingHost {
    fn call(&self, name: &str, args: &[Value]) -> Result<Value, Failure> {
        let shown: Vec<String> = args.iter().map(Value::to_string).collect();
        self.log
            .lock()
            .unwrap()
            .push(format!("{name}({})", shown.join(", ")));
        match name {
            "zoho.crm.getRecordById" => Ok(Value::from_json(
                &serde_json::json!({"id": args[1].to_string(), "Company": "Zylker"}),
            )),
            _ => Err(format!("{name} is not served here").into()),
        }
    }

    fn send_mail(&self, params: &[(Box<str>, Value)]) -> Result<(), Failure> {
        let keys: Vec<&str> = params.iter().map(|(k, _)| &**k).collect();
        self.log
            .lock()
            .unwrap()
            .push(format!("sendmail {}", keys.join(",")));
        Ok(())
    }
}

#[test]
fn the_host_serves_zoho_tasks_and_sendmail() {
    let (mut engine, output) = engine();
    let host = Arc::new(RecordingHost::default());
    engine.set_host(Arc::clone(&host));
    engine
        .run(
            "r = zoho.crm.getRecordById(\"Accounts\", 55);\ninfo r.get(\"Company\");\nsendmail [ from: \"a@x.com\" to: \"b@x.com\" subject: \"s\" message: \"m\" ];\ntry { zoho.books.getRecords(\"x\"); } catch (e) { info e; }",
        )
        .unwrap();
    assert_eq!(
        output.lines(),
        ["Zylker", "zoho.books.getRecords is not served here"]
    );
    assert_eq!(
        *host.log.lock().unwrap(),
        [
            "zoho.crm.getRecordById(Accounts, 55)",
            "sendmail from,to,subject,message",
            "zoho.books.getRecords(x)"
        ]
    );
}

#[test]
fn a_shared_host_receives_record_updates() {
    #[derive(Default)]
    struct Records(Mutex<Vec<String>>);
    impl Host for Records {
        fn update(
            &self,
            request: &deluge_lang::FetchRequest<'_>,
            field: &str,
            value: Value,
        ) -> Result<(), Failure> {
            let line = format!(
                "{}[{}].{field} = {value}",
                request.form(),
                request.criteria()
            );
            self.0.lock().unwrap().push(line);
            Ok(())
        }
    }
    let (mut engine, _) = engine();
    let host = Arc::new(Records::default());
    engine.set_host(Arc::clone(&host));
    engine.run("Orders[ID == 7].Status = \"Shipped\";").unwrap();
    assert_eq!(
        *host.0.lock().unwrap(),
        ["Orders[ID == 7].Status = Shipped"]
    );
}

#[test]
fn a_registered_function_can_serve_a_zoho_task() {
    let (mut engine, _) = engine();
    engine.register_fn(
        "zoho.crm.getRecordById",
        |module: String, id: i64| serde_json::json!({"module": module, "id": id}),
    );
    let name: String = engine
        .eval("r = zoho.crm.getRecordById(\"Deals\", 9);\nr.get(\"module\") + r.get(\"id\")")
        .unwrap();
    assert_eq!(name, "Deals9");
}

#[test]
fn without_a_host_zoho_tasks_say_what_is_missing() {
    let (engine, _) = engine();
    let err = engine
        .run("x = zoho.crm.getRecordById(\"Leads\", 1);")
        .unwrap_err();
    assert!(
        err.message().contains("no CRM host is connected"),
        "{}",
        err.message()
    );
}

// ---------------------------------------------------------------- progress and cancel

const NESTED_LOOPS: &str = "l = {1,2,3,4,5,6,7,8,9,10};\n\
try { for each a in l { for each b in l { for each c in l { x = 1; } } } } catch (e) { info \"caught\"; }";

#[test]
fn the_progress_callback_can_cancel_a_run_uncatchably() {
    let (mut engine, output) = engine();
    let calls = Arc::new(AtomicU64::new(0));
    let seen = Arc::clone(&calls);
    engine.on_progress(250, move |progress| {
        seen.fetch_add(1, Ordering::SeqCst);
        assert_eq!(progress.checkpoint(), Checkpoint::Statements);
        if progress.statements() >= 1_000 {
            Control::Cancel
        } else {
            Control::Continue
        }
    });
    let err = engine.run(NESTED_LOOPS).unwrap_err();
    assert_eq!(err.phase(), ErrorPhase::Runtime);
    assert_eq!(
        err.message(),
        "the host cancelled the run after 1000 statements"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 4);
    assert!(output.lines().is_empty());
}

#[test]
fn the_progress_callback_lets_a_run_finish() {
    let (mut engine, output) = engine();
    let calls = Arc::new(AtomicU64::new(0));
    let seen = Arc::clone(&calls);
    engine.on_progress(100, move |_| {
        seen.fetch_add(1, Ordering::SeqCst);
        Control::Continue
    });
    engine.run(NESTED_LOOPS).unwrap();
    assert!(calls.load(Ordering::SeqCst) >= 20);
    assert!(output.lines().is_empty());
}

#[test]
fn the_progress_callback_is_asked_before_each_invokeurl() {
    let (mut engine, _) = engine();
    engine.on_progress(1_000_000, |progress| match progress.checkpoint() {
        Checkpoint::HttpRequest => Control::Cancel,
        _ => Control::Continue,
    });
    let err = engine
        .run("x = 1;\nr = invokeurl [ url: \"http://127.0.0.1:9/\" type: GET ];")
        .unwrap_err();
    assert_eq!(
        err.message(),
        "the host cancelled the run after 2 statements"
    );
    assert_eq!(err.line(), 2);
}

// ---------------------------------------------------------------- threads

#[test]
fn one_engine_runs_scripts_on_eight_threads_at_once() {
    let mut engine = Engine::new();
    let output = CaptureOutput::new();
    engine.set_output(output.clone());
    engine.register_fn("square", |n: i64| n * n);
    let engine = Arc::new(engine);
    let script = Arc::new(
        engine
            .compile("int work(int id) { total = 0; for each i in {1,2,3,4,5} { total = total + square(id) * i; } info \"thread \" + id; return total; }")
            .unwrap(),
    );
    let handles: Vec<_> = (0..8_i64)
        .map(|id| {
            let engine = Arc::clone(&engine);
            let script = Arc::clone(&script);
            std::thread::spawn(move || {
                let mut results = Vec::new();
                for round in 0..20_i64 {
                    let mut scope = Scope::new();
                    scope.push("round", round);
                    let own: i64 = engine
                        .eval_with_scope(&mut scope, &format!("round * 100 + {id}"))
                        .unwrap();
                    let shared: i64 = engine.call_fn(&script, "work", (id,)).unwrap();
                    results.push((own, shared));
                }
                results
            })
        })
        .collect();
    for (id, handle) in handles.into_iter().enumerate() {
        let id = id as i64;
        let results = handle.join().unwrap();
        for (round, (own, shared)) in results.into_iter().enumerate() {
            assert_eq!(own, round as i64 * 100 + id);
            assert_eq!(shared, id * id * 15);
        }
    }
    let lines = output.lines();
    assert_eq!(lines.len(), 160);
    for id in 0..8 {
        let mine = lines
            .iter()
            .filter(|l| **l == format!("thread {id}"))
            .count();
        assert_eq!(mine, 20);
    }
}

#[test]
fn clones_of_one_engine_capture_their_own_output_on_eight_threads() {
    let mut engine = Engine::new();
    engine.register_fn("label", |id: i64| format!("worker-{id}"));
    let engine = Arc::new(engine);
    let handles: Vec<_> = (0..8_i64)
        .map(|id| {
            let engine = Arc::clone(&engine);
            std::thread::spawn(move || {
                let mut mine = (*engine).clone();
                let output = CaptureOutput::new();
                mine.set_output(output.clone());
                mine.run(&format!(
                    "for each i in {{1,2,3}} {{ info label({id}) + \":\" + i; }}"
                ))
                .unwrap();
                output.lines()
            })
        })
        .collect();
    for (id, handle) in handles.into_iter().enumerate() {
        let expected: Vec<String> = (1..=3).map(|i| format!("worker-{id}:{i}")).collect();
        assert_eq!(handle.join().unwrap(), expected);
    }
}

#[test]
fn rust_structs_convert_through_serde() {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Order {
        id: i64,
        items: Vec<String>,
    }
    let (engine, _) = engine();
    let mut scope = Scope::new();
    let order = Order {
        id: 7,
        items: vec!["pen".into()],
    };
    scope.push("order", Value::from_serde(&order).unwrap());
    let value: Value = engine
        .eval_with_scope(&mut scope, "order.get(\"items\").add(\"ink\");\norder")
        .unwrap();
    let back: Order = value.to_serde().unwrap();
    assert_eq!(back.items, ["pen", "ink"]);
    let err = Value::from(3).to_serde::<Order>().unwrap_err();
    assert!(err.to_string().contains("invalid type"), "{err}");
}

// ---------------------------------------------------------------- errors

#[test]
fn errors_render_with_file_line_and_the_span_underlined() {
    let (engine, _) = engine();
    let err = engine
        .compile_files(("orders.dg", "x = 1;\ny = x + missing;"), &[])
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "orders.dg:2:9: Variable 'missing' is not defined\n"
    );
    let rendered = err.render(false);
    assert!(rendered.contains("orders.dg:2:9"), "{rendered}");
    assert!(rendered.contains("y = x + missing;"), "{rendered}");
    assert!(
        rendered.contains("^^^^^^^") || rendered.contains("───"),
        "{rendered}"
    );
    let problem = &err.problems()[0];
    assert_eq!(problem.file(), "orders.dg");
    assert_eq!(problem.span().start, 15);
}

#[test]
fn run_file_names_the_file_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calc.dg");
    std::fs::write(&path, "info 1;\nx = 1 / 0;").unwrap();
    let (engine, output) = engine();
    let err = engine.run_file(&path).unwrap_err();
    assert_eq!(output.lines(), ["1"]);
    assert!(err
        .to_string()
        .starts_with(&format!("{}:2:5: division by zero", path.display())));
    let err = engine.run_file(dir.path().join("absent.dg")).unwrap_err();
    assert!(
        err.message().starts_with("cannot read "),
        "{}",
        err.message()
    );
}

#[test]
fn the_readme_example_is_the_crate_doctest() {
    let readme = include_str!("../README.md");
    let start = readme.find("```rust\n").unwrap() + "```rust\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let crate_doc: String = include_str!("../src/lib.rs")
        .lines()
        .filter_map(|line| line.strip_prefix("//!"))
        .map(|line| format!("{}\n", line.strip_prefix(' ').unwrap_or(line)))
        .collect();
    assert!(
        crate_doc.contains(&readme[start..end]),
        "README and src/lib.rs differ"
    );
}

// ------------------------------------------- standing alone: store, logging, setting names

/// What a script naming a connection gets from an engine without a connection store.
const NO_STORE: &str = "this engine has no connection store; the program running the script \
     attaches one with `Engine::set_connections` (its own store) or makes the engine with \
     `Engine::with_default_store()` (the store the dlg tool uses)";

/// The only test of this binary that touches `DLG_HOME` (the environment is process-wide).
#[test]
fn only_with_default_store_attaches_the_dlg_store() {
    let home = tempfile::tempdir().unwrap();
    std::env::set_var("DLG_HOME", home.path());
    std::env::remove_var("DLG_STORE");
    let script = r#"invokeurl [ url: "https://example.com/x" type: GET connection: "crm" ]"#;

    let bare = Engine::new();
    assert!(bare.connections().is_none());
    let err = bare.run(script).unwrap_err();
    assert_eq!(
        err.message(),
        format!("connection \"crm\" cannot be used: {NO_STORE}")
    );

    let lent = Engine::with_default_store().unwrap();
    let err = lent.run(script).unwrap_err();
    assert!(
        err.message().contains("connection \"crm\" does not exist"),
        "{err}"
    );
}

#[test]
fn a_zoho_task_on_an_engine_without_a_store_says_how_to_attach_one() {
    let mut engine = Engine::new();
    engine.set_host(deluge_lang::zoho::ZohoHost::default());
    let err = engine
        .run(r#"zoho.crm.getRecordById("Leads", 1);"#)
        .unwrap_err();
    assert_eq!(
        err.message(),
        format!("zoho.crm.getRecordById: Zoho tasks are signed with a connection, and {NO_STORE}")
    );
}

#[test]
fn messages_name_the_engine_settings_not_dlg_flags() {
    let help = |err: &deluge_lang::Error| err.problems()[0].help().unwrap_or_default().to_owned();
    let mut engine = Engine::new();
    engine.set_limits(deluge_lang::Limits {
        max_statements: Some(5),
        ..deluge_lang::Limits::default()
    });
    let looping = engine
        .run("for each x in {1,2,3,4,5,6} { y = x; }")
        .unwrap_err();
    assert_eq!(
        help(&looping),
        "raise the limit with `Limits::max_statements`, or look for a loop that never ends"
    );
    let undefined = engine.run("info leadId;").unwrap_err();
    assert!(
        help(&undefined).ends_with(
            "if it is a parameter of this function body, give it in the run's `Scope` (`Scope::push(\"leadId\", VALUE)`)"
        ),
        "{}",
        help(&undefined)
    );
    let unknown = engine.run("info lib.helper(1);").unwrap_err();
    assert_eq!(
        help(&unknown),
        "define it in this file, or compile the file that defines it with this one (`Engine::compile_files`)"
    );
    for err in [&looping, &undefined, &unknown] {
        assert!(!err.render(false).contains("dlg") && !err.render(false).contains("--"));
    }
}

#[test]
fn a_caught_message_speaks_the_front_ends_words_for_the_settings() {
    struct NoCrm;
    impl deluge_lang::connections::ConnectionAuthorizer for NoCrm {
        fn authorize(
            &self,
            _: &str,
            _: &mut deluge_lang::http::HttpRequest,
        ) -> Result<(), deluge_lang::connections::ConnectionError> {
            Ok(())
        }
        fn links(
            &self,
        ) -> Result<Vec<(String, String)>, deluge_lang::connections::ConnectionError> {
            Ok(Vec::new())
        }
    }
    let (mut engine, out) = engine();
    engine.set_host(deluge_lang::zoho::ZohoHost::default());
    engine.set_connections(Some(Arc::new(NoCrm)));
    let script = r#"try { zoho.crm.getRecordById("Leads", 1); } catch (e) { info e; }"#;
    engine.run(script).unwrap();
    assert!(
        out.text().contains(
            "set a default with `ZohoSettings::set_default_connection(ZohoProduct::Crm, LINK)`"
        ),
        "{}",
        out.text()
    );
    let (mut worded, out) = (engine.clone(), CaptureOutput::new());
    worded.set_output(out.clone());
    worded.env_mut().setting_names = deluge_lang::SettingNames::new([(
        "`ZohoSettings::set_default_connection(ZohoProduct::Crm, LINK)`",
        "crm.connection in app.toml",
    )]);
    worded.run(script).unwrap();
    assert!(
        out.text()
            .contains("set a default with crm.connection in app.toml"),
        "{}",
        out.text()
    );
}

/// Collects the library's log records (this binary's only logger).
struct Records(Mutex<Vec<(String, String)>>);

impl log::Log for Records {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let entry = (record.target().to_owned(), record.args().to_string());
        self.0.lock().unwrap().push(entry);
    }
    fn flush(&self) {}
}

static RECORDS: Records = Records(Mutex::new(Vec::new()));

#[test]
fn http_exchanges_are_debug_records_of_the_log_facade_with_secrets_redacted() {
    use deluge_lang::http::{HttpError, HttpRequest, HttpResponse, SendOptions, Transport};
    struct Canned;
    impl Transport for Canned {
        fn send(&self, request: HttpRequest, _: &SendOptions) -> Result<HttpResponse, HttpError> {
            Ok(HttpResponse {
                status: 200,
                headers: vec![],
                body: b"ok".to_vec(),
                url: request.url,
            })
        }
    }
    struct Keyed;
    impl deluge_lang::connections::ConnectionAuthorizer for Keyed {
        fn authorize(
            &self,
            _: &str,
            request: &mut HttpRequest,
        ) -> Result<(), deluge_lang::connections::ConnectionError> {
            request
                .headers
                .push(("X-Api-Key".into(), "sk_live_canary".into()));
            Ok(())
        }
    }
    log::set_logger(&RECORDS).unwrap();
    log::set_max_level(log::LevelFilter::Debug);
    let mut engine = Engine::new();
    engine.set_transport(Canned);
    engine.set_connections(Some(Arc::new(Keyed)));
    engine
        .run(r#"invokeurl [ url: "https://api.example.com/v1?q=1" type: GET connection: "k" ]"#)
        .unwrap();
    let records = RECORDS.0.lock().unwrap().clone();
    let lines: Vec<&str> = records.iter().map(|(_, line)| line.as_str()).collect();
    assert!(
        lines.contains(&"http: signing with connection \"k\""),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"http: GET https://api.example.com/v1?q=1"),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("X-Api-Key: <redacted>")),
        "{lines:?}"
    );
    assert!(records.iter().all(|(target, line)| {
        target.starts_with("deluge_lang::") && !line.contains("sk_live_canary")
    }));
}

#[test]
fn a_mail_host_without_a_store_never_reads_the_users_store() {
    use deluge_lang::mail::{install, MailSettings};
    let mut settings = MailSettings::default();
    settings.set("mail.smtp.url", "smtp://127.0.0.1:9").unwrap();
    settings.set("mail.smtp.connection", "smtp_login").unwrap();
    settings
        .set("mail.admin_address", "ada@example.com")
        .unwrap();
    let mut engine = Engine::new();
    install(&mut engine, settings, Arc::new(deluge_lang::NoHost));
    let err = engine
        .run(r#"sendmail [ from: zoho.adminuserid to: "bo@example.com" subject: "Hi" message: "." ]"#)
        .unwrap_err();
    assert_eq!(
        err.message(),
        "sendmail: connection \"smtp_login\" cannot be used: this mail host has no connection \
         store; the program running the script gives it one with `MailHost::with_store`"
    );
}

#[test]
fn adding_a_text_literal_to_a_variable_appends_to_text_and_adds_to_anything_else() {
    let (engine, output) = engine();
    engine
        .run(
            "s = \"ab\";\n\
             copy = s;\n\
             s = s + \"cd\";\n\
             s += \"e\";\n\
             n = 1;\n\
             n = n + \"x\";\n\
             d = 1.5;\n\
             d += \"y\";\n\
             z = null;\n\
             z = z + \"w\";\n\
             info s;\ninfo copy;\ninfo n;\ninfo d;\ninfo z;",
        )
        .unwrap();
    assert_eq!(output.text(), "abcde\nab\n1x\n1.5y\nnullw\n");
}

#[test]
fn number_arithmetic_gives_the_general_values_and_errors_when_an_operand_is_not_a_number() {
    // Every line here compiles to `Expr::NumberOp` (variables and NUMBER literals); each case
    // that is not two NUMBERs, overflows or divides by zero must give what the general
    // operators give.
    let (engine, output) = engine();
    engine
        .run(
            "a = 7; b = 2; t = \"x\"; n = null; d = 1.5; z = 0;\n\
             big = 9223372036854775807; m = -9223372036854775808;\n\
             info a / b; info a % b; info (a * a) % 5 - b; info b - a - 1;\n\
             info t + a; info a + t; info a * d; info a > d; info a == d; info t == a;\n\
             try { info a + n; } catch (e) { info e.message; }\n\
             try { c = (big + a) * 2; } catch (e) { info e.message; }\n\
             try { c = a / z; } catch (e) { info e.message; }\n\
             try { c = (a % z) + 1; } catch (e) { info e.message; }\n\
             try { if (t < a) { info \"lt\"; } } catch (e) { info e.message; }\n\
             try { info m % -1; } catch (e) { info e.message; }\n\
             x = a; x -= 10; x *= x; info x; info if(a > b, \"yes\", \"no\");",
        )
        .unwrap();
    let expected = [
        "3",
        "1",
        "2",
        "-6",
        "x7",
        "7x",
        "10.5",
        "true",
        "false",
        "false",
        "operator `+` cannot be applied to NUMBER 7 and NULL",
        "9223372036854775807 + 7 does not fit in a NUMBER (64-bit); use toDecimal() for larger values",
        "division by zero",
        "modulo by zero",
        "operator `<` compares NUMBER, DECIMAL or DATE-TIME values, but got TEXT \"x\" and NUMBER 7",
        "-9223372036854775808 % -1 does not fit in a NUMBER (64-bit); use toDecimal() for larger values",
        "9",
        "yes",
    ];
    assert_eq!(output.text(), expected.join("\n") + "\n");
}

#[test]
fn adding_to_a_variable_gives_the_general_values_and_errors_when_either_is_not_a_number() {
    // `x = x + e` and `x += e` with `e` a variable, a NUMBER literal or NUMBER arithmetic
    // compile to `Stmt::AddNumber`: its `i64` sum when both are NUMBERs, the general `+`
    // otherwise, and a failed `+` leaves `x` as it was.
    let (engine, output) = engine();
    engine
        .run(
            "a = 7; t = \"x\"; d = 1.5; n = null;\n\
             s = 1; s = s + a; s += a * 2; s = s + 3; info s;\n\
             t = t + a; t += a % 4; info t;\n\
             u = a; u = u + t; info u;\n\
             d = d + a; info d;\n\
             big = 9223372036854775807;\n\
             try { big = big + a; } catch (e) { info e.message; }\n\
             info big;\n\
             try { n += a; } catch (e) { info e.message; }\n\
             info n;\n\
             out = \"\"; for each index i in {1, 2, 3} { out = out + i; } info out;",
        )
        .unwrap();
    let expected = [
        "25",
        "x73",
        "7x73",
        "8.5",
        "9223372036854775807 + 7 does not fit in a NUMBER (64-bit); use toDecimal() for larger values",
        "9223372036854775807",
        "operator `+` cannot be applied to NULL and NUMBER 7",
        "null",
        "012",
    ];
    assert_eq!(output.text(), expected.join("\n") + "\n");
}

#[test]
fn a_number_loop_body_goes_on_through_the_general_path_from_a_statement_that_gives_up() {
    // Each body here is all NUMBER statements, so it also compiles to a `NumberBlock`; a
    // statement that meets a TEXT, an overflow or a division by zero hands the rest of the
    // iteration to the general path, after the statements before it ran.
    let (engine, output) = engine();
    engine
        .run(
            "s = \"t\"; for each index i in {1, 2, 3} { m = i * 2; if (m > 2) { s = s + m; } else { s += 1; } } info s;\n\
             a = 0; b = 1; c = 0;\n\
             try { for each index i in {1, 2, 3, 4, 5, 6} { a = i; b = b * 3037000499; c = i; } }\n\
             catch (e) { info e.message; }\n\
             info a; info c;\n\
             d = 4; r = 0;\n\
             try { for each index i in {1, 2, 3} { d = d - 2; r = 10 / d; } } catch (e) { info e.message; }\n\
             info d; info r;\n\
             x = 1; for each index i in {1, 2} { if (x > 0) { x = x + 1; } y = x; } info y;",
        )
        .unwrap();
    let expected = [
        "t114",
        "9223372030926249001 * 3037000499 does not fit in a NUMBER (64-bit); use toDecimal() for larger values",
        "2",
        "1",
        "division by zero",
        "0",
        "5",
        "3",
    ];
    assert_eq!(output.text(), expected.join("\n") + "\n");
}

#[test]
fn a_number_loop_body_counts_every_statement_for_the_progress_hook_and_the_statement_limit() {
    // The fast path runs an iteration only when it cannot pass the next check, so the host
    // sees the same counts as on the general path: exactly `every` statements each time.
    let script = "s = 0; for each index i in {0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15} \
                  { m = (i * i) % 7; if (m > 2) { s = s + m; } else if (m > 1) { s = s - 1; } else { } }";
    for every in 1..=40 {
        let mut engine = Engine::new();
        engine.on_progress(every, |_| deluge_lang::Control::Cancel);
        let err = engine.run(script).unwrap_err();
        assert_eq!(
            err.message(),
            format!("the host cancelled the run after {every} statements")
        );
    }
    let mut limited = Engine::new();
    limited.set_limits(deluge_lang::Limits {
        max_statements: Some(20),
        ..deluge_lang::Limits::default()
    });
    let err = limited.run(script).unwrap_err();
    assert_eq!(
        err.message(),
        "Maximum number of executable statements exceeded: the script ran more than 20 statements"
    );
    let (engine, output) = engine();
    engine.run(&format!("{script} info s;")).unwrap();
    assert_eq!(output.text(), "12\n");
}

#[test]
fn a_guard_clause_return_counts_as_a_statement() {
    // `if (n < 2) { return n; }` returns without a call to run the branch as a block; its
    // `return` still counts: f(10) makes 177 calls of 2 statements each, plus `info`.
    let script =
        "int f(int n) { if (n < 2) { return n; } return f(n - 1) + f(n - 2); } info f(10);";
    let run_with_limit = |max| {
        let (mut engine, output) = engine();
        engine.set_limits(deluge_lang::Limits {
            max_statements: Some(max),
            ..deluge_lang::Limits::default()
        });
        engine.run(script).map(|_| output.text())
    };
    assert_eq!(run_with_limit(355).unwrap(), "55\n");
    let err = run_with_limit(354).unwrap_err();
    assert_eq!(
        err.message(),
        "Maximum number of executable statements exceeded: the script ran more than 354 statements"
    );
}

#[test]
fn an_append_over_the_text_limit_leaves_the_text_as_it_was() {
    let mut engine = Engine::new();
    engine.set_limits(deluge_lang::Limits {
        max_text_bytes: 6,
        ..deluge_lang::Limits::default()
    });
    let output = CaptureOutput::new();
    engine.set_output(output.clone());
    engine
        .run(
            "s = \"abc\";\n\
             try { s = s + \"defgh\"; } catch (e) { info e.message; }\n\
             info s;\n\
             s = s + \"def\";\n\
             info s;",
        )
        .unwrap();
    let text = output.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "a TEXT grew to 8 bytes, past the size limit of 6 bytes"
    );
    assert_eq!(&lines[1..], ["abc", "abcdef"]);
}
