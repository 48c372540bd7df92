//! Running scripts on an [`Engine`]: source texts, files, compiled [`Script`]s, expressions
//! converted to Rust types, single functions, and runs that share a [`Scope`] with the host.

use std::sync::Arc;

use crate::api::convert::FromValue;
use crate::api::engine::{runtime_error, Engine};
use crate::api::scope::Scope;
use crate::eval::error::{Error, ErrorPhase, Problem, RtResult};
use crate::eval::interp::Interp;
use crate::eval::ir::{Function, Script, Source};
use crate::eval::suggest::closest;
use crate::eval::value::Value;
use crate::syntax::ast::{Program, Stmt, StmtKind};

/// Arguments for [`Engine::call_fn`]: a tuple of up to six values convertible to [`Value`],
/// an array, a `Vec<Value>`, or `()` for none.
///
/// ```
/// use deluge_lang::{FuncArgs, Value};
/// assert_eq!((1, "a").into_args(), vec![Value::Number(1), Value::text("a")]);
/// assert_eq!([true, false].into_args().len(), 2);
/// assert!(().into_args().is_empty());
/// ```
pub trait FuncArgs {
    /// The argument values, in order.
    ///
    /// ```
    /// use deluge_lang::{FuncArgs, Value};
    /// assert_eq!(vec![Value::Null].into_args(), [Value::Null]);
    /// ```
    fn into_args(self) -> Vec<Value>;
}

impl FuncArgs for Vec<Value> {
    fn into_args(self) -> Vec<Value> {
        self
    }
}

impl<T: Into<Value>, const N: usize> FuncArgs for [T; N] {
    fn into_args(self) -> Vec<Value> {
        self.into_iter().map(Into::into).collect()
    }
}

macro_rules! tuple_args {
    ($($arg:ident $index:tt),*) => {
        impl<$($arg: Into<Value>),*> FuncArgs for ($($arg,)*) {
            fn into_args(self) -> Vec<Value> {
                vec![$(self.$index.into()),*]
            }
        }
    };
}

tuple_args!();
tuple_args!(A 0);
tuple_args!(A 0, B 1);
tuple_args!(A 0, B 1, C 2);
tuple_args!(A 0, B 1, C 2, D 3);
tuple_args!(A 0, B 1, C 2, D 3, E 4);
tuple_args!(A 0, B 1, C 2, D 3, E 4, F 5);

impl Engine {
    /// Compiles and runs one source text; returns the value of a top-level `return e;`, or
    /// null.
    ///
    /// ```
    /// let engine = deluge_lang::Engine::new();
    /// let value = engine.run("x = {1, 2, 3};\nreturn x.size();").unwrap();
    /// assert_eq!(value, deluge_lang::Value::Number(3));
    /// ```
    pub fn run(&self, src: &str) -> Result<Value, Error> {
        let script = self.compile(src)?;
        self.run_script(&script)
    }

    /// Reads, compiles and runs a file; errors name it.
    ///
    /// ```
    /// let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("hello.dg");
    /// std::fs::write(&path, "return \"hello\";").unwrap();
    /// let engine = deluge_lang::Engine::new();
    /// assert_eq!(engine.run_file(&path).unwrap().to_string(), "hello");
    /// ```
    pub fn run_file(&self, path: impl AsRef<std::path::Path>) -> Result<Value, Error> {
        let script = self.compile_file(path)?;
        self.run_script(&script)
    }

    /// Runs a compiled script's top-level statements; returns the value of a top-level
    /// `return e;`, or null. A script can run any number of times, on any thread.
    ///
    /// ```
    /// let engine = deluge_lang::Engine::new();
    /// let script = engine.compile("return 6 * 7;").unwrap();
    /// for _ in 0..3 {
    ///     assert_eq!(engine.run_script(&script).unwrap(), deluge_lang::Value::Number(42));
    /// }
    /// ```
    pub fn run_script(&self, script: &Script) -> Result<Value, Error> {
        let result = self.interp(script).run_main();
        self.finish(script, result)
    }

    /// Compiles `src` with the variables of `scope` defined, runs it and writes its top-level
    /// variables back to `scope` (see [`Scope`]). After an error the scope keeps the values it
    /// had before the run (but LIST and KEY-VALUE values changed in place stay changed).
    ///
    /// ```
    /// use deluge_lang::{Engine, Scope};
    /// let engine = Engine::new();
    /// let mut scope = Scope::new();
    /// scope.push("name", "Ada");
    /// engine.run_with_scope(&mut scope, "greeting = \"Hello, \" + name;").unwrap();
    /// assert_eq!(scope.get::<String>("greeting").as_deref(), Some("Hello, Ada"));
    /// ```
    pub fn run_with_scope(&self, scope: &mut Scope, src: &str) -> Result<Value, Error> {
        let script = self.compile_with_scope(scope, src)?;
        self.run_script_with_scope(&script, scope)
    }

    /// Runs a compiled script with its top-level variables taken from `scope` (by name) and
    /// written back when it ends. Compile with [`compile_with_scope`](Engine::compile_with_scope)
    /// for the script to read variables it does not assign itself.
    ///
    /// ```
    /// use deluge_lang::{Engine, Scope};
    /// let engine = Engine::new();
    /// let script = engine.compile("runs = 1;").unwrap();
    /// let mut scope = Scope::new();
    /// engine.run_script_with_scope(&script, &mut scope).unwrap();
    /// assert_eq!(scope.get::<i64>("runs"), Some(1));
    /// ```
    pub fn run_script_with_scope(
        &self,
        script: &Script,
        scope: &mut Scope,
    ) -> Result<Value, Error> {
        let frame = script
            .main_slots
            .iter()
            .map(|name| scope.value(name).cloned().unwrap_or_default())
            .collect();
        let result = self.interp(script).run_main_with(frame);
        let (value, frame) = self.finish(script, result)?;
        for (name, value) in script.main_slots.iter().zip(frame) {
            if !value.is_null() || scope.contains(name) {
                scope.store(name, value);
            }
        }
        Ok(value)
    }

    /// Evaluates an expression (or a script whose last statement is an expression or a
    /// `return`) and converts the result to `T`.
    ///
    /// ```
    /// let engine = deluge_lang::Engine::new();
    /// assert_eq!(engine.eval::<String>("\"a,b\".toUpperCase()").unwrap(), "A,B");
    /// assert_eq!(engine.eval::<Vec<i64>>("x = {3, 1, 2};\nx.sort()").unwrap(), [1, 2, 3]);
    /// let err = engine.eval::<i64>("\"ten\"").unwrap_err();
    /// assert_eq!(err.message(), "the result cannot be converted: expected a NUMBER, but got TEXT \"ten\"");
    /// ```
    pub fn eval<T: FromValue>(&self, src: &str) -> Result<T, Error> {
        self.eval_with_scope(&mut Scope::new(), src)
    }

    /// [`eval`](Engine::eval) with the variables of `scope`, written back as by
    /// [`run_with_scope`](Engine::run_with_scope).
    ///
    /// ```
    /// use deluge_lang::{Engine, Scope};
    /// let engine = Engine::new();
    /// let mut scope = Scope::new();
    /// scope.push("price", 12).push("qty", 3);
    /// assert_eq!(engine.eval_with_scope::<i64>(&mut scope, "price * qty").unwrap(), 36);
    /// ```
    pub fn eval_with_scope<T: FromValue>(&self, scope: &mut Scope, src: &str) -> Result<T, Error> {
        let text = statement_text(src);
        let source = Source {
            name: Arc::from("<script>"),
            text: Arc::from(text.as_str()),
        };
        let script = self.compile_sources(vec![source], &scope.names(), |program| {
            return_last_expression(program);
        })?;
        let value = self.run_script_with_scope(&script, scope)?;
        T::from_value(&value).map_err(|message| {
            Error::located(
                ErrorPhase::Runtime,
                "<script>",
                &text,
                format!("the result cannot be converted: {message}"),
            )
        })
    }

    /// Calls the function `name` of a compiled script with `args`, and converts its result to
    /// `T`. `name` is the name as defined, any case: `"total"`, `"billing.total"`; the
    /// `thisapp.` and `standalone.` prefixes scripts use are accepted too.
    ///
    /// ```
    /// use deluge_lang::{Engine, Value};
    /// let engine = Engine::new();
    /// let script = engine
    ///     .compile("string billing.label(string name, int n) { return name + \" x\" + n; }")
    ///     .unwrap();
    /// let label: String = engine.call_fn(&script, "billing.label", ("pens", 3)).unwrap();
    /// assert_eq!(label, "pens x3");
    /// let err = engine.call_fn::<Value>(&script, "billing.lable", ()).unwrap_err();
    /// assert!(err.message().contains("did you mean `billing.label`?"));
    /// ```
    pub fn call_fn<T: FromValue>(
        &self,
        script: &Script,
        name: &str,
        args: impl FuncArgs,
    ) -> Result<T, Error> {
        let function = function_named(script, name)?;
        let args = args.into_args();
        if args.len() != function.params.len() {
            return Err(wrong_arity(script, function, args.len()));
        }
        let result = self
            .interp(script)
            .call_function(function, args, function.span);
        let value = self.finish(script, result)?;
        T::from_value(&value).map_err(|message| {
            let source = &script.sources[function.source as usize];
            let problem = Problem {
                file: source.name.clone(),
                text: source.text.clone(),
                span: function.span,
                message: format!(
                    "the result of `{}` cannot be converted: {message}",
                    function.name
                ),
                label: None,
                help: None,
                trace: Vec::new(),
            };
            Error::new(ErrorPhase::Runtime, vec![problem])
        })
    }

    /// Runs a script compiled by [`crate::eval::compile::compile_session`] with its first main
    /// slots set to `frame`; returns the value of a top-level `return e;` (or null) and the
    /// final value of every main slot. (The REPL's entry point.)
    #[doc(hidden)]
    pub fn run_with_frame(
        &self,
        script: &Script,
        frame: Vec<Value>,
    ) -> Result<(Value, Vec<Value>), Error> {
        let result = self.interp(script).run_main_with(frame);
        self.finish(script, result)
    }

    /// A fresh interpreter for one run of `script` with this engine's configuration.
    fn interp<'r>(&'r self, script: &'r Script) -> Interp<'r> {
        let mut interp = Interp::new(script, &self.env, &*self.output, &*self.host);
        if let Some(flag) = &self.interrupt {
            interp.set_interrupt(Arc::clone(flag));
        }
        if let Some(hook) = &self.progress {
            interp.set_progress(hook);
        }
        if let Some(coverage) = &self.coverage {
            interp.set_coverage(coverage);
        }
        interp
    }

    /// Flushes the output and turns a runtime error into an [`Error`] in the front end's words
    /// for the engine's settings.
    fn finish<R>(&self, script: &Script, result: RtResult<R>) -> Result<R, Error> {
        self.output.flush();
        result.map_err(|e| runtime_error(script, *e).reworded(&self.env.setting_names))
    }
}

/// `src` as statements: a final expression without its `;` gets one (unless the text only
/// parses without it, as after a final `}` of a block).
fn statement_text(src: &str) -> String {
    let trimmed = src.trim_end();
    if trimmed.is_empty() || trimmed.ends_with(';') {
        return src.to_owned();
    }
    let completed = format!("{trimmed};");
    let completed_fails = !crate::syntax::parse(&completed).errors.is_empty();
    if completed_fails && crate::syntax::parse(src).errors.is_empty() {
        src.to_owned()
    } else {
        completed
    }
}

/// Turns a final expression statement into `return e;`, so that its value is the result.
pub fn return_last_expression(program: &mut Program) -> bool {
    let Some(last) = program.body.last_mut() else {
        return false;
    };
    let StmtKind::Expr(expr) = &last.kind else {
        return false;
    };
    *last = Stmt {
        kind: StmtKind::Return(Some(expr.clone())),
        span: last.span,
    };
    true
}

/// The function `name` of `script`: its full name (any case, without a `thisapp.` or
/// `standalone.` prefix), or its last segment when `name` has no namespace and only one
/// function has it.
fn function_named<'s>(script: &'s Script, name: &str) -> Result<&'s Function, Error> {
    let lower = name.to_ascii_lowercase();
    let wanted = lower
        .strip_prefix("thisapp.")
        .or_else(|| lower.strip_prefix("standalone."))
        .unwrap_or(&lower);
    if let Some(function) = script
        .functions
        .iter()
        .find(|f| f.name.to_ascii_lowercase() == wanted)
    {
        return Ok(function);
    }
    let same_last: Vec<&Function> = script
        .functions
        .iter()
        .filter(|f| f.name.to_ascii_lowercase().rsplit('.').next() == Some(wanted))
        .collect();
    match same_last.as_slice() {
        [only] if !wanted.contains('.') => Ok(only),
        [_, _, ..] if !wanted.contains('.') => {
            let names: Vec<&str> = same_last.iter().map(|f| &*f.name).collect();
            let message = format!(
                "`{name}` is ambiguous: it could be {}; give the full name",
                names.join(" or ")
            );
            Err(script_error(script, message))
        }
        _ => Err(unknown_function(script, name)),
    }
}

fn unknown_function(script: &Script, name: &str) -> Error {
    let names: Vec<&str> = script.function_names().collect();
    let mut message = format!("no function named `{name}` in this script");
    match closest(name, names.iter().copied()) {
        Some(near) => message.push_str(&format!("; did you mean `{near}`?")),
        None if names.is_empty() => message.push_str(" (it defines no functions)"),
        None => message.push_str(&format!(" (it defines: {})", names.join(", "))),
    }
    script_error(script, message)
}

/// An error about the script as a whole, located at the start of its main file.
fn script_error(script: &Script, message: String) -> Error {
    let main = &script.sources[0];
    Error::located(ErrorPhase::Compile, &main.name, &main.text, message)
}

fn wrong_arity(script: &Script, function: &Function, given: usize) -> Error {
    let source = &script.sources[function.source as usize];
    let expected = function.params.len();
    let problem = Problem {
        file: source.name.clone(),
        text: source.text.clone(),
        span: function.span,
        message: format!(
            "function `{}` takes {expected} argument{}, but {given} {} given",
            function.name,
            if expected == 1 { "" } else { "s" },
            if given == 1 { "was" } else { "were" }
        ),
        label: None,
        help: None,
        trace: Vec::new(),
    };
    Error::new(ErrorPhase::Compile, vec![problem])
}
