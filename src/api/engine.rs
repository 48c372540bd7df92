//! The embeddable engine: configuration (run environment, limits, output, host, registered
//! natives), compiling sources to [`Script`]s. Running them is in `crate::api::run`.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::api::scope::Scope;
use crate::connections::{ConnectionAuthorizer, ConnectionError};
use crate::eval::compile::{compile_with_natives, Unit};
use crate::eval::coverage::Coverage;
use crate::eval::env::RunEnv;
use crate::eval::error::{Error, ErrorPhase, Problem, RuntimeError};
use crate::eval::host::{Host, NoHost};
use crate::eval::ir::{Function, Script, Source};
use crate::eval::limits::Limits;
use crate::eval::natives::NativeRegistry;
use crate::eval::output::{Output, StdoutOutput};
use crate::eval::progress::{Control, Progress, ProgressHook};
use crate::http::transport::{ReqwestTransport, Transport};
use crate::syntax::ast::Program;

/// Stack size of the thread [`with_large_stack`] runs on.
pub const LARGE_STACK_BYTES: usize = 256 * 1024 * 1024;

/// A configured Deluge engine: the run environment and limits, where `info` goes, the host,
/// and the functions and methods the host registered.
///
/// Configure it once with `&mut self` methods, then share it: every run method takes `&self`
/// and the engine is `Send + Sync`, so one `Arc<Engine>` can run scripts on many threads at
/// once. Each run has its own interpreter state (frames, statement count, clock).
///
/// Cloning is cheap (the configuration is shared behind `Arc`s) and gives an engine that can
/// be changed on its own, e.g. to capture one request's `info` lines:
///
/// ```
/// use deluge_lang::{CaptureOutput, Engine};
/// let mut engine = Engine::new();
/// engine.register_fn("greet", |name: String| format!("Hello, {name}!"));
///
/// let mut per_request = engine.clone();
/// let out = CaptureOutput::new();
/// per_request.set_output(out.clone());
/// per_request.run(r#"info greet("Ada");"#).unwrap();
/// assert_eq!(out.text(), "Hello, Ada!\n");
/// ```
#[derive(Clone)]
pub struct Engine {
    pub(crate) env: RunEnv,
    pub(crate) interrupt: Option<Arc<AtomicBool>>,
    pub(crate) output: Arc<dyn Output>,
    pub(crate) host: Arc<dyn Host>,
    pub(crate) natives: Arc<NativeRegistry>,
    pub(crate) progress: Option<Arc<ProgressHook>>,
    pub(crate) coverage: Option<Arc<Coverage>>,
    /// The transport as set, before the egress guard wraps it into `env.network`.
    pub(crate) transport: Arc<dyn Transport>,
    /// The connection store as set, handed to `env.network`.
    pub(crate) connections: Option<Arc<dyn ConnectionAuthorizer>>,
    /// The egress policy every request obeys (`None`: no policy).
    pub(crate) egress: Option<Arc<crate::egress::EgressPolicy>>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Engine {
    /// An engine with the default environment (machine time zone, default limits), `info` to
    /// standard output, no host, the reqwest HTTP transport and no connection store: a script
    /// that names a connection (`invokeurl ... connection:`, a Zoho task) fails with an error
    /// saying so until one is attached with [`Engine::set_connections`] or the engine is made
    /// with [`Engine::with_default_store`].
    ///
    /// ```
    /// let engine = deluge_lang::Engine::new();
    /// assert_eq!(engine.eval::<i64>("6 * 7").unwrap(), 42);
    /// assert!(engine.connections().is_none());
    /// ```
    pub fn new() -> Self {
        let mut engine = Engine {
            env: RunEnv::default(),
            transport: Arc::new(ReqwestTransport::new()),
            connections: None,
            egress: None,
            interrupt: None,
            output: Arc::new(StdoutOutput::new()),
            host: Arc::new(NoHost),
            natives: Arc::default(),
            progress: None,
            coverage: None,
        };
        engine.wire_network();
        engine
    }

    /// The run environment.
    ///
    /// ```
    /// let engine = deluge_lang::Engine::new();
    /// assert_eq!(engine.env().limits.max_call_depth, 1_000);
    /// ```
    pub fn env(&self) -> &RunEnv {
        &self.env
    }

    /// The run environment, to change the time zone, clock, system variables or random source.
    ///
    /// ```
    /// let mut engine = deluge_lang::Engine::new();
    /// engine.env_mut().time_zone = jiff::tz::TimeZone::UTC;
    /// ```
    pub fn env_mut(&mut self) -> &mut RunEnv {
        &mut self.env
    }

    /// The Zoho tasks' settings (default connection per product, CRM API version, product
    /// arguments), read by [`ZohoHost`](crate::zoho::ZohoHost) at each task call.
    ///
    /// ```
    /// use deluge_lang::zoho::ZohoProduct;
    /// let mut engine = deluge_lang::Engine::new();
    /// engine.zoho_settings_mut().set_default_connection(ZohoProduct::Books, "books_eu");
    /// engine.zoho_settings_mut().set("zoho.books.organization_id", "12345").unwrap();
    /// ```
    pub fn zoho_settings_mut(&mut self) -> &mut crate::eval::zoho_settings::ZohoSettings {
        &mut self.env.zoho
    }

    /// Replaces the limits.
    ///
    /// ```
    /// use deluge_lang::{Engine, Limits};
    /// let mut engine = Engine::new();
    /// engine.set_limits(Limits { max_statements: Some(10), ..Limits::default() });
    /// let err = engine.run("for each x in {1,2,3,4,5,6,7,8,9,10,11} { y = x; }").unwrap_err();
    /// assert!(err.message().starts_with("Maximum number of executable statements"));
    /// ```
    pub fn set_limits(&mut self, limits: Limits) {
        self.env.limits = limits;
    }

    /// Sends `info` lines to `output` (standard output by default).
    ///
    /// ```
    /// use deluge_lang::{CaptureOutput, Engine};
    /// let mut engine = Engine::new();
    /// let out = CaptureOutput::new();
    /// engine.set_output(out.clone());
    /// engine.run("info 1 + 2;").unwrap();
    /// assert_eq!(out.text(), "3\n");
    /// ```
    pub fn set_output(&mut self, output: impl Output + 'static) {
        self.output = Arc::new(output);
    }

    /// Registers the host that provides Creator/CRM constructs, `zoho.*` tasks, `sendmail` and
    /// `invokeapi` (see [`Host`]).
    ///
    /// ```
    /// use deluge_lang::{Failure, Engine, Host, Value};
    /// struct Mail;
    /// impl Host for Mail {
    ///     fn send_mail(&self, params: &[(Box<str>, Value)]) -> Result<(), Failure> {
    ///         assert_eq!(&*params[0].0, "to");
    ///         Ok(())
    ///     }
    /// }
    /// let mut engine = Engine::new();
    /// engine.set_host(Mail);
    /// engine.run(r#"sendmail [ to: "a@example.com" subject: "Hi" message: "..." ]"#).unwrap();
    /// ```
    pub fn set_host(&mut self, host: impl Host + 'static) {
        self.host = Arc::new(host);
    }

    /// The registered host, to wrap in another layer (a layer takes the host it stacks on).
    ///
    /// ```
    /// let engine = deluge_lang::Engine::new();
    /// let host = engine.host();
    /// assert!(host.alert("hi").unwrap_err().message().contains("no Creator host"));
    /// ```
    pub fn host(&self) -> Arc<dyn Host> {
        Arc::clone(&self.host)
    }

    /// Sends `invokeurl`, `getUrl` and `postUrl` requests through `transport` instead of the
    /// built-in reqwest client (a test double, a proxying client, a recorder).
    ///
    /// ```
    /// use deluge_lang::http::{HttpError, HttpRequest, HttpResponse, SendOptions, Transport};
    /// struct Canned;
    /// impl Transport for Canned {
    ///     fn send(&self, request: HttpRequest, _: &SendOptions) -> Result<HttpResponse, HttpError> {
    ///         let body = b"pong".to_vec();
    ///         Ok(HttpResponse { status: 200, headers: vec![], body, url: request.url })
    ///     }
    /// }
    /// let mut engine = deluge_lang::Engine::new();
    /// engine.set_transport(Canned);
    /// let body: String = engine
    ///     .eval(r#"invokeurl [ url: "https://example.com/ping" type: GET ]"#)
    ///     .unwrap();
    /// assert_eq!(body, "pong");
    /// ```
    pub fn set_transport(&mut self, transport: impl Transport + 'static) {
        self.transport = Arc::new(transport);
        self.wire_network();
    }

    /// [`Engine::new`] with the connection store the `dlg` tool uses attached, chosen as `dlg`
    /// chooses it: `DLG_STORE` (a folder or a `postgres://` URL) and `DLG_TENANT` when set,
    /// else the file store under `DLG_HOME` (else the user's configuration folder), keyed by
    /// `DLG_MASTER_KEY` when set. Scripts run by this engine can then use every connection
    /// stored there, so only make one when the person running your program means to lend it
    /// their connections.
    ///
    /// Fails when the store cannot be opened (a bad `DLG_STORE` or tenant name, no
    /// configuration folder); nothing is read until a script names a connection.
    ///
    /// ```
    /// let home = tempfile::tempdir().unwrap();
    /// std::env::set_var("DLG_HOME", home.path());
    /// std::env::remove_var("DLG_STORE");
    /// let engine = deluge_lang::Engine::with_default_store().unwrap();
    /// let err = engine
    ///     .run(r#"invokeurl [ url: "https://example.com" type: GET connection: "crm" ]"#)
    ///     .unwrap_err();
    /// assert!(err.message().contains("connection \"crm\" does not exist"), "{err}");
    /// ```
    pub fn with_default_store() -> Result<Self, ConnectionError> {
        let mut engine = Engine::new();
        let store = crate::connections::FileStoreAuthorizer::open_default()?;
        engine.set_connections(Some(Arc::new(store)));
        Ok(engine)
    }

    /// Signs `invokeurl ... connection: "name"` requests and the Zoho tasks with `store` (the
    /// file store, see [`Engine::with_default_store`], or a host's own secrets service).
    /// `None` (the default) turns connections off: such requests then fail with an error
    /// saying that the engine has no connection store.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use deluge_lang::{FileStoreAuthorizer, Store};
    /// let folder = tempfile::tempdir().unwrap();
    /// let mut engine = deluge_lang::Engine::new();
    /// let store = Store::at(folder.path());
    /// engine.set_connections(Some(Arc::new(FileStoreAuthorizer::new(store))));
    /// ```
    pub fn set_connections(&mut self, store: Option<Arc<dyn ConnectionAuthorizer>>) {
        self.connections = store;
        self.wire_network();
    }

    /// The connection store as set with [`set_connections`](Engine::set_connections) or
    /// [`with_default_store`](Engine::with_default_store) (none by default): to wrap it in
    /// another store.
    ///
    /// ```
    /// let engine = deluge_lang::Engine::new();
    /// assert!(engine.connections().is_none());
    /// ```
    pub fn connections(&self) -> Option<Arc<dyn ConnectionAuthorizer>> {
        self.connections.clone()
    }

    /// Calls `callback` every `every` statements (and before each `invokeurl`) with the run's
    /// progress; returning [`Control::Cancel`] stops the run with an error `try/catch` cannot
    /// catch.
    ///
    /// ```
    /// use deluge_lang::{Control, Engine};
    /// let mut engine = Engine::new();
    /// engine.on_progress(100, |p| {
    ///     if p.statements() >= 1_000 { Control::Cancel } else { Control::Continue }
    /// });
    /// let ten = "l = {1,2,3,4,5,6,7,8,9,10};";
    /// let err = engine
    ///     .run(&format!("{ten} for each a in l {{ for each b in l {{ for each c in l {{ x = 1; }} }} }}"))
    ///     .unwrap_err();
    /// assert_eq!(err.message(), "the host cancelled the run after 1000 statements");
    /// ```
    pub fn on_progress(
        &mut self,
        every: u64,
        callback: impl Fn(&Progress) -> Control + Send + Sync + 'static,
    ) {
        self.progress = Some(Arc::new(ProgressHook {
            every: every.max(1),
            callback: Box::new(callback),
        }));
    }

    /// Stops every later run soon after `flag` becomes true (Ctrl-C in the REPL), with an
    /// error `try/catch` cannot catch. The caller resets the flag.
    ///
    /// ```
    /// use std::sync::{atomic::AtomicBool, Arc};
    /// let mut engine = deluge_lang::Engine::new();
    /// engine.set_interrupt(Arc::new(AtomicBool::new(false)));
    /// ```
    pub fn set_interrupt(&mut self, flag: Arc<AtomicBool>) {
        self.interrupt = Some(flag);
    }

    /// Records which statements every later run executes into `coverage` (`dlg test
    /// --coverage`); `None` turns recording off (the default, at no cost).
    #[doc(hidden)]
    pub fn set_coverage(&mut self, coverage: Option<Arc<Coverage>>) {
        self.coverage = coverage;
    }

    /// Compiles one source text named `<script>`. The [`Script`] can run many times, on any
    /// thread, with [`run_script`](Engine::run_script) and [`call_fn`](Engine::call_fn).
    ///
    /// ```
    /// let engine = deluge_lang::Engine::new();
    /// let script = engine.compile("int twice(int n) { return n * 2; }").unwrap();
    /// assert_eq!(engine.call_fn::<i64>(&script, "twice", (21,)).unwrap(), 42);
    /// ```
    pub fn compile(&self, src: &str) -> Result<Script, Error> {
        self.compile_files(("<script>", src), &[])
    }

    /// Compiles a file; errors name it.
    ///
    /// ```
    /// let engine = deluge_lang::Engine::new();
    /// let err = engine.compile_file("no/such/file.dg").unwrap_err();
    /// assert!(err.message().starts_with("cannot read no/such/file.dg"));
    /// ```
    pub fn compile_file(&self, path: impl AsRef<std::path::Path>) -> Result<Script, Error> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::located(
                ErrorPhase::Syntax,
                &name,
                "",
                format!("cannot read {name}: {e}"),
            )
        })?;
        self.compile_files((&name, &text), &[])
    }

    /// Compiles a main file with other files whose functions it may call (`--include`).
    /// Each pair is (file name, text).
    ///
    /// ```
    /// let engine = deluge_lang::Engine::new();
    /// let lib = "string hello(string n) { return \"hi \" + n; }";
    /// let script = engine.compile_files(("main.dg", "return hello(\"x\");"), &[("lib.dg", lib)]);
    /// assert_eq!(engine.run_script(&script.unwrap()).unwrap().to_string(), "hi x");
    /// ```
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
        self.compile_sources(sources, &[], |_| ())
    }

    /// Compiles `src` so that it can read the variables of `scope` (see
    /// [`run_script_with_scope`](Engine::run_script_with_scope)).
    ///
    /// ```
    /// use deluge_lang::{Engine, Scope};
    /// let engine = Engine::new();
    /// let mut scope = Scope::new();
    /// scope.push("total", 0);
    /// let script = engine.compile_with_scope(&scope, "total = total + 5;").unwrap();
    /// engine.run_script_with_scope(&script, &mut scope).unwrap();
    /// engine.run_script_with_scope(&script, &mut scope).unwrap();
    /// assert_eq!(scope.get::<i64>("total"), Some(10));
    /// ```
    pub fn compile_with_scope(&self, scope: &Scope, src: &str) -> Result<Script, Error> {
        let source = Source {
            name: Arc::from("<script>"),
            text: Arc::from(src),
        };
        self.compile_sources(vec![source], &scope.names(), |_| ())
    }

    /// Parses and compiles `sources` (the main one first) with `predeclared` main variables;
    /// `adjust` may rewrite the main program before it is compiled.
    #[doc(hidden)]
    pub fn compile_sources(
        &self,
        sources: Vec<Source>,
        predeclared: &[&str],
        adjust: impl FnOnce(&mut Program),
    ) -> Result<Script, Error> {
        let mut problems = Vec::new();
        let mut programs = Vec::with_capacity(sources.len());
        for source in &sources {
            let parsed = crate::syntax::parse(&source.text);
            problems.extend(parsed.errors.iter().map(|e| syntax_problem(source, e)));
            programs.push(parsed.program);
        }
        if !problems.is_empty() {
            return Err(Error::new(ErrorPhase::Syntax, problems));
        }
        if let Some(main) = programs.first_mut() {
            adjust(main);
        }
        let units: Vec<Unit<'_>> = sources
            .iter()
            .zip(&programs)
            .map(|(source, program)| Unit {
                source: source.clone(),
                program,
            })
            .collect();
        compile_with_natives(
            &units,
            predeclared,
            &self.natives,
            crate::stdlib::builtins(),
        )
        .map(|(script, _)| script)
        .map_err(|problems| {
            Error::new(ErrorPhase::Compile, problems).reworded(&self.env.setting_names)
        })
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

/// Runs `f` on a thread with a `LARGE_STACK_BYTES` (256 MiB) stack, so deep recursion in
/// scripts hits the call-depth limit long before the native stack. Already on such a thread
/// (a program that runs all its work on one, as `dlg` does), `f` runs there, without another
/// thread. Exits the process if the thread cannot be created.
///
/// ```
/// let message = deluge_lang::with_large_stack(|| {
///     let engine = deluge_lang::Engine::new();
///     engine.run("int f(int n) { return f(n + 1); }\ninfo f(0);").unwrap_err().to_string()
/// });
/// assert!(message.contains("too many nested function calls"));
/// ```
pub fn with_large_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if ON_LARGE_STACK.get() {
        return f();
    }
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("deluge".into())
            .stack_size(LARGE_STACK_BYTES)
            .spawn_scoped(scope, || {
                ON_LARGE_STACK.set(true);
                f()
            });
        match handle {
            Ok(handle) => match handle.join() {
                Ok(value) => value,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            Err(_) => unreachable_thread(),
        }
    })
}

thread_local! {
    /// Whether this thread was started by [`with_large_stack`].
    static ON_LARGE_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn unreachable_thread<T>() -> T {
    eprintln!("error: could not start the interpreter thread (out of memory?)");
    std::process::exit(1)
}

pub(crate) fn syntax_problem(source: &Source, error: &crate::syntax::SyntaxError) -> Problem {
    let found = error.found.as_deref().unwrap_or("end of input");
    let label = match error.expected.as_slice() {
        [] if error.found.is_none() => "here".to_owned(),
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

pub(crate) fn runtime_error(script: &Script, err: RuntimeError) -> Error {
    crate::eval::error::runtime_error(&script.sources, err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::output::CaptureOutput;
    use crate::eval::failure::Failure;
    use crate::eval::value::Value;

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
        fn input_get(&self, field: &str) -> Result<Value, Failure> {
            Ok(Value::text(format!("value of {field}")))
        }

        fn call(&self, name: &str, args: &[Value]) -> Result<Value, Failure> {
            if let Ok(mut calls) = self.calls.lock() {
                calls.push(format!("{name}/{}", args.len()));
            }
            Ok(Value::Number(42))
        }
    }

    #[test]
    fn info_lines_reach_the_output_sink() {
        let (engine, output) = engine();
        engine.run("x = 2;\ninfo x * 21;\ninfo \"done\";").unwrap();
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
            .run("info input.Name;\ninfo zoho.crm.getRecordById(\"Leads\", 1);")
            .unwrap();
        assert_eq!(output.lines(), vec!["value of Name", "42"]);
        assert_eq!(
            *calls.lock().unwrap(),
            vec!["zoho.crm.getRecordById/2".to_owned()]
        );
    }

    #[test]
    fn runtime_errors_carry_message_line_and_phase() {
        let (engine, output) = engine();
        let err = engine.run("info 1;\nx = 1 / 0;").unwrap_err();
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
        let (engine, output) = engine();
        let err = engine.run("info 1;\ninfo nope;").unwrap_err();
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
            .run("try { for each x in {1,2,3,4} { y = x; } } catch (e) { info e; }")
            .unwrap_err();
        assert!(err
            .message()
            .contains("Maximum number of executable statements"));
    }

    #[test]
    fn functions_can_be_called_by_name_with_values() {
        let (engine, _) = engine();
        let script = engine
            .compile("int twice(int n) { return n * 2; }")
            .unwrap();
        let value: Value = engine.call_fn(&script, "twice", (21,)).unwrap();
        assert_eq!(value, Value::Number(42));
        assert!(engine.call_fn::<Value>(&script, "missing", ()).is_err());
    }

    #[test]
    fn deep_recursion_stops_at_the_call_depth_limit_on_a_large_stack() {
        let message = with_large_stack(|| {
            let (engine, _) = engine();
            let err = engine
                .run("int f(int n) { return f(n + 1); }\ninfo f(0);")
                .unwrap_err();
            err.message().to_owned()
        });
        assert!(
            message.contains("too many nested function calls"),
            "{message}"
        );
    }

    #[test]
    fn work_already_on_a_large_stack_runs_there_without_another_thread() {
        let (outer, inner) = with_large_stack(|| {
            let outer = std::thread::current().id();
            (outer, with_large_stack(|| std::thread::current().id()))
        });
        assert_eq!(outer, inner);
        assert_ne!(outer, std::thread::current().id());
    }

    #[test]
    fn a_text_built_by_appending_is_not_copied_each_time() {
        let (engine, output) = engine();
        engine
            .run("s = \"\";\nfor each i in {1,2,3} { s = s + i; s += \"-\"; }\ninfo s;")
            .unwrap();
        assert_eq!(output.lines(), vec!["1-2-3-"]);
    }
}
