//! The state of a REPL session and the evaluation of entries.
//!
//! A session keeps the variables (name to value) and the user functions defined so far. Each
//! entry is parsed, its function definitions are added, and its top-level statements run one
//! at a time against the variables. Before each statement the variables are copied; when the
//! statement fails or is interrupted the copy is put back, so the state is what it was before
//! the failing statement. An expression statement shows its value.
//!
//! Running is delegated to a [`Backend`] (the interpreter), so this file knows nothing of
//! slots or frames.

use std::io::Write;
use std::time::{Duration, Instant};

use deluge_lang::eval::ir::Source;
use deluge_lang::eval::render::{try_display, TooLarge, DEFAULT_RENDER_BUDGET};
use deluge_lang::eval::value::Value;
use deluge_lang::syntax::ast::{ExprKind, FunctionDef, Program, Stmt, StmtKind};
use deluge_lang::syntax::diagnostics::render_syntax_errors;
use deluge_lang::syntax::parse;

use super::completer::{SessionNames, Signature};
use super::snapshot::{snapshot, Variables};
use super::validator::normalize;

/// Code to compile: a source and (part of) its syntax tree.
#[derive(Clone, Copy, Debug)]
pub struct Code<'a> {
    /// Where it comes from.
    pub source: &'a Source,
    /// The functions and statements to compile.
    pub program: &'a Program,
}

/// Why a run failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// It does not compile (unknown variable or function, wrong argument count).
    Compile,
    /// A runtime error or a limit.
    Runtime,
    /// Ctrl-C stopped it.
    Interrupted,
}

/// A failed run, with its diagnostics already rendered (ariadne, like `dlg run`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// What kind of failure.
    pub kind: FailureKind,
    /// The report to print on standard error.
    pub report: String,
}

/// What the REPL needs from the interpreter.
pub trait Backend {
    /// Compiles `main`'s statements with every function of `library` callable, starts with the
    /// variables in `variables` bound, runs, and leaves every top-level variable's final value
    /// in `variables` (new ones added). Returns the value of `main`'s last statement when it is
    /// an expression statement with a value (`None` for a void call or another statement).
    /// Diagnostics are rendered with colour when `color` is set.
    fn run(
        &mut self,
        main: Code<'_>,
        library: &[Code<'_>],
        variables: &mut Variables,
        color: bool,
    ) -> Result<Option<Value>, Failure>;

    /// Makes `link_name` the connection of `product`'s Zoho tasks (`:zoho crm LINK`).
    fn set_zoho_connection(
        &mut self,
        product: deluge_lang::zoho::ZohoProduct,
        link_name: &str,
    ) -> Result<(), String> {
        let _ = (product, link_name);
        Err("this session has no Zoho settings".into())
    }
}

/// How an entry ended, from worst to best; decides the exit code of a scripted session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Everything ran.
    Success,
    /// Stopped by Ctrl-C.
    Interrupted,
    /// A compile or runtime error.
    RuntimeError,
    /// The entry does not parse.
    SyntaxError,
}

/// A user function kept by the session, with the source it was defined in.
#[derive(Clone, Debug)]
struct Definition {
    source: Source,
    program: Program,
}

impl Definition {
    fn function(&self) -> Option<&FunctionDef> {
        self.program.functions.first()
    }

    /// The qualified name in lower case (function names are case-insensitive).
    fn key(&self) -> String {
        self.function().map_or_else(String::new, qualified_name_key)
    }
}

/// The state of one REPL session.
pub struct Session<B: Backend> {
    backend: B,
    variables: Variables,
    definitions: Vec<Definition>,
    entry_count: usize,
    color: bool,
}

impl<B: Backend> Session<B> {
    /// A session with no variables or functions.
    pub fn new(backend: B, color: bool) -> Self {
        Session {
            backend,
            variables: Variables::new(),
            definitions: Vec::new(),
            entry_count: 0,
            color,
        }
    }

    /// The variables, in the order they were first assigned.
    pub fn variables(&self) -> &Variables {
        &self.variables
    }

    /// The backend, to change its engine's settings (`:zoho`).
    pub fn backend_mut(&mut self) -> &mut B {
        &mut self.backend
    }

    /// Forgets every variable and function.
    pub fn reset(&mut self) {
        self.variables.clear();
        self.definitions.clear();
    }

    /// The names completion and hints can offer.
    pub fn scope(&self) -> SessionNames {
        SessionNames {
            variables: self
                .variables
                .iter()
                .map(|(name, value)| (name.clone(), value.value_type()))
                .collect(),
            functions: self.definitions.iter().filter_map(signature).collect(),
            pending: Vec::new(),
        }
    }

    /// One line per user function: `int fib(int n)`.
    pub fn function_headers(&self) -> Vec<String> {
        self.definitions
            .iter()
            .filter_map(|d| d.function())
            .map(header)
            .collect()
    }

    /// Runs one entry typed at the prompt.
    pub fn eval_entry(&mut self, text: &str, out: &mut dyn Write, err: &mut dyn Write) -> Outcome {
        self.entry_count += 1;
        let name = format!("<repl:{}>", self.entry_count);
        self.eval_source(&name, text, out, err)
    }

    /// Runs a whole source text (an entry or a loaded file): its functions are kept, its
    /// statements run in order until one fails.
    pub fn eval_source(
        &mut self,
        name: &str,
        text: &str,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Outcome {
        let parsed = parse(text);
        if !parsed.errors.is_empty() {
            let report = render_syntax_errors(name, text, &parsed.errors, self.color);
            let _ = err.write_all(report.as_bytes());
            return Outcome::SyntaxError;
        }
        let source = Source {
            name: name.into(),
            text: text.into(),
        };
        if let Err(failure) = self.define(&source, &parsed.program.functions) {
            return report_failure(&failure, err);
        }
        for statement in &parsed.program.body {
            let result = self.run_statement(&source, statement);
            match result {
                Ok(Some(value)) if shows_value(statement, &value) => {
                    match try_display(&value, DEFAULT_RENDER_BUDGET) {
                        Ok(text) => {
                            let _ = writeln!(out, "{text}");
                        }
                        Err(e) => {
                            let _ = writeln!(err, "error: {e}\nhelp: {}", TooLarge::HELP);
                            return Outcome::RuntimeError;
                        }
                    }
                }
                Ok(_) => {}
                Err(failure) => return report_failure(&failure, err),
            }
        }
        Outcome::Success
    }

    /// Evaluates one expression without changing the state, for `:type`.
    pub fn evaluate_quietly(&mut self, expression: &str) -> Result<Option<Value>, Failure> {
        let text = normalize(expression);
        let parsed = parse(&text);
        if !parsed.errors.is_empty() {
            return Err(Failure {
                kind: FailureKind::Compile,
                report: render_syntax_errors("<type>", &text, &parsed.errors, self.color),
            });
        }
        let source = Source {
            name: "<type>".into(),
            text: text.as_str().into(),
        };
        let saved = snapshot(&self.variables);
        let mut last = None;
        for statement in &parsed.program.body {
            match self.run_statement(&source, statement) {
                Ok(value) => last = value,
                Err(failure) => {
                    self.variables = saved;
                    return Err(failure);
                }
            }
        }
        self.variables = saved;
        Ok(last)
    }

    /// Runs an entry and measures it, for `:time`.
    pub fn eval_timed(
        &mut self,
        text: &str,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> (Outcome, Duration) {
        let text = normalize(text);
        let started = Instant::now();
        let outcome = self.eval_entry(&text, out, err);
        (outcome, started.elapsed())
    }

    /// Adds `functions` (replacing same-named ones) if they compile with what is defined.
    fn define(&mut self, source: &Source, functions: &[FunctionDef]) -> Result<(), Failure> {
        if functions.is_empty() {
            return Ok(());
        }
        let mut definitions = self.definitions.clone();
        for function in functions {
            let new = Definition {
                source: source.clone(),
                program: Program {
                    functions: vec![function.clone()],
                    body: Vec::new(),
                },
            };
            let key = new.key();
            definitions.retain(|d| d.key() != key);
            definitions.push(new);
        }
        let empty = Program::default();
        let library: Vec<Code<'_>> = definitions.iter().map(code).collect();
        let mut scratch = self.variables.clone();
        let main = Code {
            source,
            program: &empty,
        };
        self.backend.run(main, &library, &mut scratch, self.color)?;
        self.definitions = definitions;
        Ok(())
    }

    /// Runs one top-level statement; on failure the variables are put back as they were.
    fn run_statement(
        &mut self,
        source: &Source,
        statement: &Stmt,
    ) -> Result<Option<Value>, Failure> {
        let program = Program {
            functions: Vec::new(),
            body: vec![statement.clone()],
        };
        let library: Vec<Code<'_>> = self.definitions.iter().map(code).collect();
        let saved = snapshot(&self.variables);
        let main = Code {
            source,
            program: &program,
        };
        let result = self
            .backend
            .run(main, &library, &mut self.variables, self.color);
        if result.is_err() {
            self.variables = saved;
        }
        result
    }
}

/// Prints a failure's report and says what kind of outcome it was.
fn report_failure(failure: &Failure, err: &mut dyn Write) -> Outcome {
    let _ = err.write_all(failure.report.as_bytes());
    match failure.kind {
        FailureKind::Interrupted => Outcome::Interrupted,
        FailureKind::Compile | FailureKind::Runtime => Outcome::RuntimeError,
    }
}

/// Whether an expression statement's value is shown: always, except `null` from a call (a
/// void method such as `l.add(x)` or `m.put(k, v)`).
fn shows_value(statement: &Stmt, value: &Value) -> bool {
    let StmtKind::Expr(expr) = &statement.kind else {
        return false;
    };
    let is_call = matches!(
        expr.kind,
        ExprKind::Call { .. } | ExprKind::MethodCall { .. } | ExprKind::Task(_)
    );
    !(is_call && value.is_null())
}

fn code(definition: &Definition) -> Code<'_> {
    Code {
        source: &definition.source,
        program: &definition.program,
    }
}

fn qualified_name(function: &FunctionDef) -> String {
    function
        .name
        .iter()
        .map(|i| &*i.name)
        .collect::<Vec<_>>()
        .join(".")
}

fn qualified_name_key(function: &FunctionDef) -> String {
    qualified_name(function).to_ascii_lowercase()
}

/// `int fib(int n)`
fn header(function: &FunctionDef) -> String {
    format!(
        "{} {}{}",
        function.return_type.name,
        qualified_name(function),
        parameter_list(function)
    )
}

/// `(int n, string s)`
fn parameter_list(function: &FunctionDef) -> String {
    let params: Vec<String> = function
        .params
        .iter()
        .map(|p| format!("{} {}", p.ty.name, p.name.name))
        .collect();
    format!("({})", params.join(", "))
}

fn signature(definition: &Definition) -> Option<Signature> {
    let function = definition.function()?;
    Some(Signature {
        name: qualified_name(function),
        params: parameter_list(function),
        returns: function.return_type.name.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;

    use super::*;
    use crate::repl::backend::EngineBackend;
    use deluge_lang::api::engine::Engine;
    use deluge_lang::eval::output::CaptureOutput;
    use deluge_lang::eval::render::display;

    struct Run {
        out: String,
        err: String,
        outcome: Outcome,
    }

    fn session() -> (Session<EngineBackend>, CaptureOutput) {
        let mut engine = Engine::new();
        let info = CaptureOutput::new();
        engine.set_output(info.clone());
        let backend = EngineBackend::new(engine, Arc::new(AtomicBool::new(false)));
        (Session::new(backend, false), info)
    }

    fn eval(session: &mut Session<EngineBackend>, text: &str) -> Run {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let outcome = session.eval_entry(text, &mut out, &mut err);
        Run {
            out: String::from_utf8(out).unwrap(),
            err: String::from_utf8(err).unwrap(),
            outcome,
        }
    }

    #[test]
    fn variables_and_functions_persist_between_entries() {
        let (mut s, info) = session();
        assert_eq!(eval(&mut s, "x = 20;").outcome, Outcome::Success);
        assert_eq!(
            eval(&mut s, "int add(int a) { return a + x0; }").outcome,
            Outcome::RuntimeError
        );
        eval(&mut s, "int add(int a, int b) { return a + b; }");
        assert_eq!(eval(&mut s, "add(x, 1);").out, "21\n");
        eval(&mut s, "info x * 2;");
        assert_eq!(info.text(), "40\n");
        assert_eq!(s.function_headers(), vec!["int add(int a, int b)"]);
    }

    #[test]
    fn redefining_a_function_replaces_it() {
        let (mut s, _) = session();
        eval(&mut s, "int f(int a) { return a; }");
        eval(&mut s, "int F(int a) { return a * 10; }");
        assert_eq!(eval(&mut s, "f(2);").out, "20\n");
        assert_eq!(s.function_headers().len(), 1);
    }

    #[test]
    fn a_failing_statement_leaves_the_state_as_before_it() {
        let (mut s, _) = session();
        eval(&mut s, "l = list(); l.add(1); n = 1;");
        let run = eval(
            &mut s,
            "n = 2; for each d in {1, 0} { l.add(10 / d); n = 3; }",
        );
        assert_eq!(run.outcome, Outcome::RuntimeError);
        assert!(run.err.contains("<repl:2>"), "{}", run.err);
        assert_eq!(eval(&mut s, "l;").out, "1\n");
        assert_eq!(eval(&mut s, "n;").out, "2\n");
    }

    #[test]
    fn an_interrupted_statement_is_undone() {
        let mut engine = Engine::new();
        engine.set_output(CaptureOutput::new());
        let flag = Arc::new(AtomicBool::new(true));
        let mut s = Session::new(EngineBackend::new(engine, Arc::clone(&flag)), false);
        let run = eval(
            &mut s,
            "n = 1; d = {1,2,3,4,5,6,7,8,9,10}; for each a in d { for each b in d { for each c in d { n = n + 1; } } }",
        );
        assert_eq!(run.outcome, Outcome::Interrupted);
        assert!(run.err.contains("interrupted (Ctrl-C)"), "{}", run.err);
        flag.store(false, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(eval(&mut s, "n;").out, "1\n");
    }

    #[test]
    fn values_show_except_null_from_calls() {
        let (mut s, _) = session();
        assert_eq!(eval(&mut s, "m = Map(); m.put(\"a\", 1);").out, "");
        assert_eq!(eval(&mut s, "m;").out, "{\"a\":1}\n");
        assert_eq!(eval(&mut s, "null;").out, "null\n");
        assert_eq!(eval(&mut s, "x = 1;").out, "");
    }

    #[test]
    fn syntax_errors_point_into_the_entry_and_run_nothing() {
        let (mut s, info) = session();
        let run = eval(&mut s, "info 1;\nx = = 2;");
        assert_eq!(run.outcome, Outcome::SyntaxError);
        assert!(run.err.contains("<repl:1>:2:"), "{}", run.err);
        assert_eq!(info.text(), "");
    }

    #[test]
    fn evaluating_quietly_changes_nothing() {
        let (mut s, _) = session();
        eval(&mut s, "l = {1};");
        let value = s.evaluate_quietly("l.add(2)").unwrap();
        assert!(value.is_none() || value == Some(Value::Null));
        assert_eq!(
            s.evaluate_quietly("l").unwrap().map(|v| display(&v)),
            Some("1".into())
        );
        assert_eq!(eval(&mut s, "l;").out, "1\n");
        assert!(s
            .evaluate_quietly("nope")
            .unwrap_err()
            .report
            .contains("nope"));
    }

    #[test]
    fn the_scope_lists_variables_with_types_and_functions() {
        let (mut s, _) = session();
        eval(&mut s, "t = \"a\"; int f(int n) { return n; }");
        let scope = s.scope();
        assert_eq!(
            scope.variables,
            vec![("t".into(), deluge_lang::eval::value::ValueType::Text)]
        );
        assert_eq!(scope.functions[0].name, "f");
        assert_eq!(scope.functions[0].params, "(int n)");
        s.reset();
        assert_eq!(s.scope(), SessionNames::default());
    }
}
