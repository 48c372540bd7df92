//! The embeddable engine: configuration (run environment, limits, output, host), compiling
//! sources to [`Script`]s and running them.
//!
//! ```
//! use deluge_lang::{CaptureOutput, Engine};
//! let mut engine = Engine::new();
//! let out = CaptureOutput::new();
//! engine.set_output(out.clone());
//! engine.run_source("info 1 + 2;").unwrap();
//! assert_eq!(out.text(), "3\n");
//! ```

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::eval::compile::{compile_units, Unit};
use crate::eval::env::RunEnv;
use crate::eval::error::{Error, ErrorPhase, Problem, RuntimeError};
use crate::eval::host::{Host, NoHost};
use crate::eval::interp::Interp;
use crate::eval::ir::{Function, Script, Source};
use crate::eval::limits::Limits;
use crate::eval::output::{Output, StdoutOutput};
use crate::eval::value::Value;

/// Stack size of the thread [`with_large_stack`] runs on.
pub const LARGE_STACK_BYTES: usize = 256 * 1024 * 1024;

/// A configured Deluge engine.
pub struct Engine {
    env: RunEnv,
    interrupt: Option<Arc<AtomicBool>>,
    output: Box<dyn Output>,
    host: Box<dyn Host>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Engine {
    /// An engine with the default environment (machine time zone, default limits), `info` to
    /// standard output and no host.
    pub fn new() -> Self {
        Engine {
            env: RunEnv::default(),
            interrupt: None,
            output: Box::new(StdoutOutput::new()),
            host: Box::new(NoHost),
        }
    }

    /// The run environment.
    pub fn env(&self) -> &RunEnv {
        &self.env
    }

    /// The run environment, to change the time zone, clock or system variables.
    pub fn env_mut(&mut self) -> &mut RunEnv {
        &mut self.env
    }

    /// Replaces the limits.
    pub fn set_limits(&mut self, limits: Limits) {
        self.env.limits = limits;
    }

    /// Sends `info` lines to `output`.
    pub fn set_output(&mut self, output: impl Output + 'static) {
        self.output = Box::new(output);
    }

    /// Registers the host that provides Creator/CRM constructs.
    pub fn set_host(&mut self, host: impl Host + 'static) {
        self.host = Box::new(host);
    }

    /// Compiles one source text named `<script>`.
    pub fn compile(&self, src: &str) -> Result<Script, Error> {
        self.compile_files(("<script>", src), &[])
    }

    /// Compiles a main file with other files whose functions it may call (`--include`).
    /// Each pair is (file name, text).
    pub fn compile_files(
        &self,
        main: (&str, &str),
        includes: &[(&str, &str)],
    ) -> Result<Script, Error> {
        let sources: Vec<Source> = std::iter::once(main)
            .chain(includes.iter().copied())
            .map(|(name, text)| Source {
                name: Arc::from(name),
                text: Arc::from(text),
            })
            .collect();
        let mut problems = Vec::new();
        let mut programs = Vec::with_capacity(sources.len());
        for source in &sources {
            let parsed = crate::syntax::parse(&source.text);
            problems.extend(parsed.errors.iter().map(|e| syntax_problem(source, e)));
            programs.push(parsed.program);
        }
        if !problems.is_empty() {
            return Err(Error {
                phase: ErrorPhase::Syntax,
                problems,
            });
        }
        let units: Vec<Unit<'_>> = sources
            .iter()
            .zip(&programs)
            .map(|(source, program)| Unit {
                source: source.clone(),
                program,
            })
            .collect();
        compile_units(&units).map_err(|problems| Error {
            phase: ErrorPhase::Compile,
            problems,
        })
    }

    /// Runs the script's top-level statements; the value of a top-level `return e;` or null.
    pub fn run(&mut self, script: &Script) -> Result<Value, Error> {
        let result = {
            let mut interp = self.interp(script);
            interp.run_main()
        };
        self.output.flush();
        result.map_err(|e| runtime_error(script, *e))
    }

    /// Calls the function named `name` (any spelling its definition allows) with `args`.
    pub fn call(&mut self, script: &Script, name: &str, args: Vec<Value>) -> Result<Value, Error> {
        let Some(function) = find_function(script, name) else {
            let problem = Problem {
                file: script.sources[0].name.clone(),
                text: script.sources[0].text.clone(),
                span: Default::default(),
                message: format!("no function named `{name}` in this script"),
                label: None,
                help: None,
                trace: Vec::new(),
            };
            return Err(Error {
                phase: ErrorPhase::Compile,
                problems: vec![problem],
            });
        };
        if args.len() != function.params.len() {
            let problem = Problem {
                file: script.sources[function.source as usize].name.clone(),
                text: script.sources[function.source as usize].text.clone(),
                span: function.span,
                message: format!(
                    "function `{}` takes {} argument(s), but {} were given",
                    function.name,
                    function.params.len(),
                    args.len()
                ),
                label: None,
                help: None,
                trace: Vec::new(),
            };
            return Err(Error {
                phase: ErrorPhase::Compile,
                problems: vec![problem],
            });
        }
        let result = {
            let mut interp = self.interp(script);
            interp.call_function(function, args, function.span)
        };
        self.output.flush();
        result.map_err(|e| runtime_error(script, *e))
    }

    /// Stops every later run soon after `flag` becomes true (Ctrl-C in the REPL), with an
    /// error `try/catch` cannot catch. The caller resets the flag.
    pub fn set_interrupt(&mut self, flag: Arc<AtomicBool>) {
        self.interrupt = Some(flag);
    }

    /// Runs a script compiled by [`crate::eval::compile::compile_session`] with its first main
    /// slots set to `frame`; returns the value of a top-level `return e;` (or null) and the
    /// final value of every main slot.
    pub fn run_with_frame(
        &mut self,
        script: &Script,
        frame: Vec<Value>,
    ) -> Result<(Value, Vec<Value>), Error> {
        let result = {
            let mut interp = self.interp(script);
            interp.run_main_with(frame)
        };
        self.output.flush();
        result.map_err(|e| runtime_error(script, *e))
    }

    fn interp<'r>(&'r mut self, script: &'r Script) -> Interp<'r> {
        let mut interp = Interp::new(script, &self.env, &mut *self.output, &mut *self.host);
        if let Some(flag) = &self.interrupt {
            interp.set_interrupt(Arc::clone(flag));
        }
        interp
    }

    /// Compiles and runs one source text.
    pub fn run_source(&mut self, src: &str) -> Result<Value, Error> {
        let script = self.compile(src)?;
        self.run(&script)
    }
}

/// The function called `name`: matched on its full name, else on its last segment.
pub fn find_function<'s>(script: &'s Script, name: &str) -> Option<&'s Function> {
    let wanted = name.to_ascii_lowercase();
    let last = wanted.rsplit('.').next().unwrap_or(&wanted).to_owned();
    script
        .functions
        .iter()
        .find(|f| f.name.to_ascii_lowercase() == wanted)
        .or_else(|| {
            script
                .functions
                .iter()
                .find(|f| f.name.to_ascii_lowercase().rsplit('.').next() == Some(last.as_str()))
        })
}

/// Runs `f` on a thread with a [`LARGE_STACK_BYTES`] stack, so deep recursion in scripts hits
/// the call-depth limit long before the native stack. Falls back to the current thread if the
/// thread cannot be created.
pub fn with_large_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("deluge".into())
            .stack_size(LARGE_STACK_BYTES)
            .spawn_scoped(scope, f);
        match handle {
            Ok(handle) => match handle.join() {
                Ok(value) => value,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            Err(_) => unreachable_thread(),
        }
    })
}

fn unreachable_thread<T>() -> T {
    eprintln!("error: could not start the interpreter thread (out of memory?)");
    std::process::exit(1)
}

fn syntax_problem(source: &Source, error: &crate::syntax::SyntaxError) -> Problem {
    let found = error.found.as_deref().unwrap_or("end of input");
    let label = match error.expected.as_slice() {
        [] => format!("found {found}"),
        [only] => format!("expected {only}, found {found}"),
        many => format!("expected one of {}, found {found}", many.join(", ")),
    };
    Problem {
        file: source.name.clone(),
        text: source.text.clone(),
        span: error.span,
        message: error.message.clone(),
        label: Some(label),
        help: error.hint.clone(),
        trace: Vec::new(),
    }
}

fn runtime_error(script: &Script, err: RuntimeError) -> Error {
    crate::eval::error::runtime_error(&script.sources, err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::output::CaptureOutput;

    fn engine() -> (Engine, CaptureOutput) {
        let mut engine = Engine::new();
        let output = CaptureOutput::new();
        engine.set_output(output.clone());
        (engine, output)
    }

    /// A host that serves `input.*` from a map and records CRM calls.
    struct FormHost {
        calls: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    }

    impl Host for FormHost {
        fn input_get(&mut self, field: &str) -> Result<Value, String> {
            Ok(Value::text(format!("value of {field}")))
        }

        fn call(&mut self, name: &str, args: &[Value]) -> Result<Value, String> {
            if let Ok(mut calls) = self.calls.lock() {
                calls.push(format!("{name}/{}", args.len()));
            }
            Ok(Value::Number(42))
        }
    }

    #[test]
    fn info_lines_reach_the_output_sink() {
        let (mut engine, output) = engine();
        engine
            .run_source("x = 2;\ninfo x * 21;\ninfo \"done\";")
            .unwrap();
        assert_eq!(output.lines(), vec!["42", "done"]);
    }

    #[test]
    fn a_registered_host_answers_input_and_tasks() {
        let (mut engine, output) = engine();
        let calls = std::sync::Arc::default();
        engine.set_host(FormHost {
            calls: std::sync::Arc::clone(&calls),
        });
        engine
            .run_source("info input.Name;\ninfo zoho.crm.getRecordById(\"Leads\", 1);")
            .unwrap();
        assert_eq!(output.lines(), vec!["value of Name", "42"]);
        assert_eq!(
            *calls.lock().unwrap(),
            vec!["zoho.crm.getRecordById/2".to_owned()]
        );
    }

    #[test]
    fn runtime_errors_carry_message_line_and_phase() {
        let (mut engine, output) = engine();
        let err = engine.run_source("info 1;\nx = 1 / 0;").unwrap_err();
        assert_eq!(err.phase, ErrorPhase::Runtime);
        assert_eq!(err.message(), "division by zero");
        assert_eq!(err.line(), 2);
        assert_eq!(output.lines(), vec!["1"]);
        let rendered = err.render(false);
        assert!(rendered.contains("<script>:2:5"), "{rendered}");
        assert!(rendered.contains("x = 1 / 0;"), "{rendered}");
    }

    #[test]
    fn compile_errors_are_reported_before_anything_runs() {
        let (mut engine, output) = engine();
        let err = engine.run_source("info 1;\ninfo nope;").unwrap_err();
        assert_eq!(err.phase, ErrorPhase::Compile);
        assert_eq!(err.message(), "Variable 'nope' is not defined");
        assert!(output.lines().is_empty());
    }

    #[test]
    fn the_statement_limit_is_configurable_and_not_catchable() {
        let (mut engine, _) = engine();
        engine.set_limits(Limits {
            max_statements: Some(3),
            ..Limits::default()
        });
        let err = engine
            .run_source("try { for each x in {1,2,3,4} { y = x; } } catch (e) { info e; }")
            .unwrap_err();
        assert!(err
            .message()
            .contains("Maximum number of executable statements"));
    }

    #[test]
    fn functions_can_be_called_by_name_with_values() {
        let (mut engine, _) = engine();
        let script = engine
            .compile("int twice(int n) { return n * 2; }")
            .unwrap();
        let value = engine
            .call(&script, "twice", vec![Value::Number(21)])
            .unwrap();
        assert_eq!(value, Value::Number(42));
        assert!(engine.call(&script, "missing", Vec::new()).is_err());
    }

    #[test]
    fn deep_recursion_stops_at_the_call_depth_limit_on_a_large_stack() {
        let message = with_large_stack(|| {
            let (mut engine, _) = engine();
            let err = engine
                .run_source("int f(int n) { return f(n + 1); }\ninfo f(0);")
                .unwrap_err();
            err.message().to_owned()
        });
        assert!(
            message.contains("too many nested function calls"),
            "{message}"
        );
    }

    #[test]
    fn a_text_built_by_appending_is_not_copied_each_time() {
        let (mut engine, output) = engine();
        engine
            .run_source("s = \"\";\nfor each i in {1,2,3} { s = s + i; s += \"-\"; }\ninfo s;")
            .unwrap();
        assert_eq!(output.lines(), vec!["1-2-3-"]);
    }
}
