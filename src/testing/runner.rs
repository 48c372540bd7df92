//! Running the tests: compiling each test file with the code beside it, calling every test
//! function on its own fresh engine state, in parallel, and collecting the results in a
//! stable order (the same whatever `--jobs` is).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use crate::api::engine::{Engine, LARGE_STACK_BYTES};
use crate::eval::coverage::Coverage;
use crate::eval::error::{Error, ErrorPhase};
use crate::eval::ir::Script;
use crate::eval::output::CaptureOutput;
use crate::eval::value::Value;
use crate::testing::assertions::{self, ASSERTION_NAMES};
use crate::testing::cassette::{cassette_path, Cassette, Exchange, RecordedConnection};
use crate::testing::discovery::{discover, TestFile};
#[cfg(feature = "creator")]
use crate::testing::forms::{self, TestApp, FORM_BUILTIN_NAMES};
use crate::testing::replay::{OfflineConnections, ReplayTransport};

/// Where HTTP requests go during the tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpMode {
    /// Answer from each test file's cassette; no network, no connection store.
    Replay,
    /// Send for real through the connections and write the cassettes.
    Record,
}

/// What to run and how.
#[derive(Clone, Debug)]
pub struct TestConfig {
    /// Files and folders to search (the current folder when empty).
    pub paths: Vec<PathBuf>,
    /// Tests run at once (at least 1).
    pub jobs: usize,
    /// Only tests whose full name (`FILE::function`) contains this text.
    pub filter: Option<String>,
    /// Replay or record.
    pub http: HttpMode,
    /// Record line coverage of the code under test.
    pub coverage: bool,
    /// The Creator app each test gets a fresh copy of.
    #[cfg(feature = "creator")]
    pub app: TestApp,
}

/// How one test ended.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Every assertion held.
    Passed,
    /// The test called `skip(reason)`.
    Skipped(String),
    /// An assertion failed or an error stopped it.
    Failed(FailureReport),
}

/// Why a test failed.
#[derive(Clone, Debug)]
pub struct FailureReport {
    /// True for a failed assertion, false for an error.
    pub assertion: bool,
    /// One line.
    pub message: String,
    /// The located error (line, span, call chain), when there is one.
    pub error: Option<Error>,
    /// Expected, actual and diff lines.
    pub details: Vec<String>,
}

/// One test's result.
#[derive(Clone, Debug)]
pub struct TestResult {
    /// The test file as given.
    pub file: String,
    /// The test function.
    pub name: String,
    /// How it ended.
    pub outcome: Outcome,
    /// How long it ran.
    pub duration: Duration,
    /// Its `info` lines.
    pub info: Vec<String>,
    /// The form UI actions its Creator app recorded, as `dlg run` prints them.
    pub form_actions: Vec<String>,
    /// Record mode: the exchanges it made, scrubbed.
    pub recorded: Option<Vec<Exchange>>,
    /// Record mode: the connections its Zoho tasks described (no secrets).
    pub recorded_connections: BTreeMap<String, RecordedConnection>,
}

impl TestResult {
    /// `FILE::function`.
    pub fn full_name(&self) -> String {
        format!("{}::{}", self.file, self.name)
    }
}

/// A test file that could not run (syntax or compile error, unreadable cassette).
#[derive(Clone, Debug)]
pub struct FileProblem {
    /// The test file.
    pub file: String,
    /// What is wrong.
    pub error: Error,
}

impl FileProblem {
    /// True for syntax and compile errors (exit code 2).
    pub fn is_usage(&self) -> bool {
        matches!(self.error.phase, ErrorPhase::Syntax | ErrorPhase::Compile)
    }
}

/// A compiled test file ready to run.
pub struct Plan {
    /// The test file as given.
    pub file: String,
    /// The test file and its code.
    pub script: Arc<Script>,
    /// Its test functions, in definition order, after `--filter`.
    pub tests: Vec<String>,
    cassette: Option<Cassette>,
    cassette_path: PathBuf,
}

/// Everything a run produced.
pub struct Suite {
    /// Per test, in file order then definition order.
    pub results: Vec<TestResult>,
    /// Files that could not run.
    pub problems: Vec<FileProblem>,
    /// The compiled files (for coverage).
    pub plans: Vec<Plan>,
}

/// Finds, compiles and runs the tests; `on_result` sees each result in order as soon as it
/// and all before it are done. `Err` is a usage problem (bad path).
pub fn run_tests(
    config: &TestConfig,
    base: &Engine,
    coverage: Option<Arc<Coverage>>,
    on_result: &mut dyn FnMut(&TestResult),
) -> Result<Suite, String> {
    let files = discover(&config.paths)?;
    let mut engine = base.clone();
    assertions::register(&mut engine);
    #[cfg(feature = "creator")]
    forms::register(&mut engine);
    engine.set_coverage(coverage);
    let mut plans = Vec::new();
    let mut problems = Vec::new();
    for file in &files {
        match plan(&engine, base, file, config) {
            Ok(plan) => plans.push(plan),
            Err(error) => problems.push(FileProblem {
                file: file.path.display().to_string(),
                error,
            }),
        }
    }
    let results = run_plans(&engine, &plans, config, on_result);
    if config.http == HttpMode::Record {
        save_cassettes(&plans, &results).map_err(|e| e.to_string())?;
    }
    Ok(Suite {
        results,
        problems,
        plans,
    })
}

fn read(path: &std::path::Path) -> Result<(String, String), Error> {
    let name = path.display().to_string();
    std::fs::read_to_string(path)
        .map(|text| (name.clone(), text))
        .map_err(|e| {
            Error::located(
                ErrorPhase::Syntax,
                &name,
                "",
                format!("cannot read {name}: {e}"),
            )
        })
}

fn plan(
    engine: &Engine,
    base: &Engine,
    file: &TestFile,
    config: &TestConfig,
) -> Result<Plan, Error> {
    let test = read(&file.path)?;
    let mut code: Vec<(String, String)> = file
        .code
        .iter()
        .map(|p| read(p))
        .collect::<Result<_, _>>()?;
    code.extend(app_functions(config));
    let includes: Vec<(&str, &str)> = code.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    if !includes.is_empty() {
        base.compile_files(("<code under test>", ""), &includes)
            .map_err(explain_assertion_outside_tests)?;
    }
    let script = engine.compile_files((&test.0, &test.1), &includes)?;
    let name = test.0.clone();
    let tests = script
        .functions
        .iter()
        .filter(|f| f.source == 0)
        .map(|f| f.name.to_string())
        .filter(|n| is_test_name(n))
        .filter(|n| {
            config
                .filter
                .as_ref()
                .is_none_or(|p| format!("{name}::{n}").contains(p.as_str()))
        })
        .collect();
    let cassette_path = cassette_path(&file.path);
    let cassette = Cassette::load_located(&cassette_path).map_err(|e| {
        let mut error = Error::located(
            ErrorPhase::Runtime,
            &cassette_path.display().to_string(),
            &e.text,
            e.message,
        );
        if let Some(problem) = error.problems.first_mut() {
            problem.span = crate::syntax::span::Span::new(e.offset, e.offset);
        }
        error
    })?;
    Ok(Plan {
        file: name,
        script: Arc::new(script),
        tests,
        cassette,
        cassette_path,
    })
}

/// A test function's name (its last dotted part) starts with `test`, in any case.
pub fn is_test_name(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    last.len() >= 4 && last[..4].eq_ignore_ascii_case("test")
}

/// A code file calling an assertion: say that assertions belong in test files.
fn explain_assertion_outside_tests(mut error: Error) -> Error {
    for problem in &mut error.problems {
        let named = ASSERTION_NAMES.iter().chain(FORM_NAMES).any(|a| {
            problem.message.contains(&format!("'{a}'"))
                || problem.message.contains(&format!("`{a}`"))
        });
        if named {
            problem.help = Some("assertions are available in test files (`*_test.dg`) only".into());
        }
    }
    error
}

fn run_plans(
    engine: &Engine,
    plans: &[Plan],
    config: &TestConfig,
    on_result: &mut dyn FnMut(&TestResult),
) -> Vec<TestResult> {
    let jobs: Vec<(usize, usize)> = plans
        .iter()
        .enumerate()
        .flat_map(|(p, plan)| (0..plan.tests.len()).map(move |t| (p, t)))
        .collect();
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel::<(usize, TestResult)>();
    let mut results: Vec<Option<TestResult>> = vec![None; jobs.len()];
    std::thread::scope(|scope| {
        for _ in 0..config.jobs.max(1).min(jobs.len().max(1)) {
            let sender = sender.clone();
            let (next, jobs) = (&next, &jobs);
            let spawned = std::thread::Builder::new()
                .name("dlg-test".into())
                .stack_size(LARGE_STACK_BYTES)
                .spawn_scoped(scope, move || loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(&(p, t)) = jobs.get(index) else {
                        break;
                    };
                    let result = run_one(engine, &plans[p], &plans[p].tests[t], config);
                    if sender.send((index, result)).is_err() {
                        break;
                    }
                });
            if spawned.is_err() {
                break;
            }
        }
        drop(sender);
        let mut shown = 0;
        for (index, result) in receiver {
            results[index] = Some(result);
            while let Some(Some(result)) = results.get(shown) {
                on_result(result);
                shown += 1;
            }
        }
    });
    results.into_iter().flatten().collect()
}

/// Runs one test on a fresh engine: its own output, transport, interpreter state and
/// Creator app.
fn run_one(base: &Engine, plan: &Plan, name: &str, config: &TestConfig) -> TestResult {
    assertions::clear();
    let mut engine = base.clone();
    let output = CaptureOutput::new();
    engine.set_output(output.clone());
    let mut misses = None;
    let mut recorder = None;
    match config.http {
        HttpMode::Replay => {
            let tape = plan
                .cassette
                .as_ref()
                .map(|c| c.tests.get(name).cloned().unwrap_or_default());
            let shown = plan.cassette_path.display().to_string();
            let hint = "HttpMode::Record";
            let transport = ReplayTransport::new(tape, &shown, hint);
            misses = Some(transport.misses());
            engine.set_transport(transport);
            let described = plan
                .cassette
                .as_ref()
                .map(|c| c.connections.clone())
                .unwrap_or_default();
            engine.set_connections(Some(Arc::new(OfflineConnections::new(
                described, &shown, hint,
            ))));
        }
        HttpMode::Record => {
            let rec = crate::testing::script::record_into(&mut engine);
            recorder = Some(rec);
        }
    }
    let started = Instant::now();
    let (result, form_actions) = call_test(&mut engine, config, plan, name);
    let duration = started.elapsed();
    let missed = misses.and_then(|m| m.lock().ok().and_then(|m| m.first().cloned()));
    TestResult {
        file: plan.file.clone(),
        name: name.to_owned(),
        outcome: outcome(result.err(), missed),
        duration,
        info: output.lines(),
        form_actions,
        recorded_connections: recorder
            .as_ref()
            .map(|r| r.connections())
            .unwrap_or_default(),
        recorded: recorder.map(|r| r.scrubbed()),
    }
}

/// The test's Creator app could not be opened.
/// The functions of the test's Creator app, compiled with the code under test.
#[cfg(feature = "creator")]
fn app_functions(config: &TestConfig) -> Vec<(String, String)> {
    config.app.functions.iter().cloned().collect()
}

/// A build without Creator has no app functions.
#[cfg(not(feature = "creator"))]
fn app_functions(_config: &TestConfig) -> Vec<(String, String)> {
    Vec::new()
}

/// The built-ins of test files besides the assertions: the Creator app's.
#[cfg(feature = "creator")]
const FORM_NAMES: &[&str] = &FORM_BUILTIN_NAMES;
#[cfg(not(feature = "creator"))]
const FORM_NAMES: &[&str] = &[];

/// Calls the test function in a fresh Creator app: its result and the form actions it caused.
#[cfg(feature = "creator")]
fn call_test(
    engine: &mut Engine,
    config: &TestConfig,
    plan: &Plan,
    name: &str,
) -> (Result<Value, Error>, Vec<String>) {
    match config.app.open(engine.host()) {
        Ok(app) => {
            engine.set_host(Arc::clone(&app));
            let _current = forms::enter(app);
            (call(engine, plan, name), forms::current_actions())
        }
        Err(message) => (Err(no_app(plan, &message)), Vec::new()),
    }
}

/// Calls the test function (a build without Creator: no app, no form actions).
#[cfg(not(feature = "creator"))]
fn call_test(
    engine: &mut Engine,
    _config: &TestConfig,
    plan: &Plan,
    name: &str,
) -> (Result<Value, Error>, Vec<String>) {
    (call(engine, plan, name), Vec::new())
}

/// Calls the test function `name` of `plan`'s script.
fn call(engine: &Engine, plan: &Plan, name: &str) -> Result<Value, Error> {
    engine
        .call_fn::<Value>(&plan.script, name, ())
        .map_err(|error| explain_parameters(error, &plan.script, name))
}

#[cfg(feature = "creator")]
fn no_app(plan: &Plan, message: &str) -> Error {
    Error::located(
        ErrorPhase::Runtime,
        &plan.file,
        "",
        format!("cannot open the test's Creator app: {message}"),
    )
}

/// A test function with parameters cannot be called: say how tests are written.
fn explain_parameters(mut error: Error, script: &Script, name: &str) -> Error {
    let takes_parameters =
        crate::api::engine::find_function(script, name).is_some_and(|f| !f.params.is_empty());
    if let (true, Some(problem)) = (takes_parameters, error.problems.first_mut()) {
        problem.help = Some(
            "test functions take no parameters: call the function under test with the values instead"
                .into(),
        );
    }
    error
}

fn outcome(error: Option<Error>, missed: Option<String>) -> Outcome {
    let Some(error) = error else {
        if let Some(failure) = assertions::take_any() {
            return caught_failure(failure);
        }
        return match missed {
            None => Outcome::Passed,
            Some(message) => Outcome::Failed(FailureReport {
                assertion: false,
                message,
                error: None,
                details: Vec::new(),
            }),
        };
    };
    let message = error.message().to_owned();
    match assertions::take_failure(&message) {
        Some(failure) if failure.skipped => {
            Outcome::Skipped(message.trim_start_matches("skipped: ").to_owned())
        }
        Some(failure) => Outcome::Failed(FailureReport {
            assertion: true,
            message,
            error: Some(error),
            details: failure_details(&failure),
        }),
        None => Outcome::Failed(FailureReport {
            assertion: false,
            message,
            error: Some(error),
            details: Vec::new(),
        }),
    }
}

/// Expected, actual and the differences, as lines.
fn failure_details(failure: &assertions::Failure) -> Vec<String> {
    let mut details = Vec::new();
    if let Some(expected) = &failure.expected {
        details.push(format!("expected: {expected}"));
    }
    if let Some(actual) = &failure.actual {
        details.push(format!("actual:   {actual}"));
    }
    if !failure.diff.is_empty() {
        details.push("differences:".into());
        details.extend(failure.diff.iter().map(|d| format!("  {d}")));
    }
    details
}

/// A test that ended normally after a `try/catch` caught a failed assertion (or `skip`): it
/// counts all the same.
fn caught_failure(failure: assertions::Failure) -> Outcome {
    if failure.skipped {
        return Outcome::Skipped(failure.message.trim_start_matches("skipped: ").to_owned());
    }
    Outcome::Failed(FailureReport {
        assertion: true,
        message: format!(
            "{} (a try/catch in the test caught it; the test fails all the same)",
            failure.message
        ),
        error: None,
        details: failure_details(&failure),
    })
}

/// Writes each test file's cassette: the tests that ran replace their tapes, the others keep
/// theirs (so `--filter` re-records only some).
fn save_cassettes(plans: &[Plan], results: &[TestResult]) -> Result<(), String> {
    let mut by_file: BTreeMap<&str, Vec<&TestResult>> = BTreeMap::new();
    for result in results {
        by_file
            .entry(result.file.as_str())
            .or_default()
            .push(result);
    }
    for plan in plans {
        let Some(ran) = by_file.get(plan.file.as_str()) else {
            continue;
        };
        let mut cassette = plan.cassette.clone().unwrap_or(Cassette {
            version: crate::testing::cassette::CASSETTE_VERSION,
            ..Cassette::default()
        });
        for result in ran {
            cassette.connections.extend(
                result
                    .recorded_connections
                    .iter()
                    .map(|(link, connection)| (link.clone(), connection.clone())),
            );
            match &result.recorded {
                Some(exchanges) if !exchanges.is_empty() => {
                    cassette
                        .tests
                        .insert(result.name.clone(), exchanges.clone());
                }
                _ => {
                    cassette.tests.remove(&result.name);
                }
            }
        }
        if !cassette.tests.is_empty() || plan.cassette.is_some() {
            cassette.save(&plan.cassette_path)?;
        }
    }
    Ok(())
}
