//! The async facade (cargo feature `tokio`): run methods for async code that run the script
//! on tokio's blocking pool and return `Send` results: values converted to Rust or serde
//! types, and everything `info` printed.
//!
//! The plain run methods work on tokio runtime threads too (HTTP runs on the transport's own
//! I/O thread), but they block the calling worker for the whole run; these do not.

use std::sync::Arc;

use crate::api::convert::FromValue;
use crate::api::engine::{with_large_stack, Engine};
use crate::api::run::FuncArgs;
use crate::eval::error::{Error, ErrorPhase};
use crate::eval::ir::Script;
use crate::eval::output::CaptureOutput;
use crate::eval::value::Value;

/// What an async run gives back: its result and the lines `info` printed (each ending in a
/// newline), also when the run failed.
///
/// ```
/// # tokio_test_runtime(async {
/// let engine = deluge_lang::Engine::new();
/// let ran = engine.eval_async::<i64>("info \"working\";\nreturn 6 * 7;").await;
/// assert_eq!(ran.output(), "working\n");
/// assert_eq!(ran.into_result().unwrap(), 42);
/// # });
/// # fn tokio_test_runtime(f: impl std::future::Future<Output = ()>) {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
#[derive(Debug)]
pub struct Ran<T> {
    result: Result<T, Error>,
    output: String,
}

impl<T> Ran<T> {
    /// The converted result, or the error that stopped the run.
    pub fn result(&self) -> &Result<T, Error> {
        &self.result
    }

    /// Everything `info` printed, one line per `info`.
    pub fn output(&self) -> &str {
        &self.output
    }

    /// The result and the output, taken apart.
    pub fn into_parts(self) -> (Result<T, Error>, String) {
        (self.result, self.output)
    }

    /// The result, the output dropped.
    pub fn into_result(self) -> Result<T, Error> {
        self.result
    }
}

impl Engine {
    /// [`run`](Engine::run) for async code: compiles and runs `src` on the blocking pool; the
    /// result is the top-level `return` value as JSON (null when none).
    ///
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let engine = deluge_lang::Engine::new();
    /// let ran = engine.run_async("m = {\"n\": 1};\ninfo m;\nreturn m;").await;
    /// assert_eq!(ran.output(), "{\"n\":1}\n");
    /// assert_eq!(ran.into_result().unwrap(), serde_json::json!({"n": 1}));
    /// # });
    /// ```
    pub async fn run_async(&self, src: impl Into<String>) -> Ran<serde_json::Value> {
        let src = src.into();
        self.on_blocking_pool(move |engine| {
            let value = engine.run(&src)?;
            convert(&value, "<script>", &src)
        })
        .await
    }

    /// [`eval`](Engine::eval) for async code: evaluates `src` on the blocking pool and
    /// converts the result to `T`.
    ///
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let engine = deluge_lang::Engine::new();
    /// let ran = engine.eval_async::<Vec<i64>>("{3, 1, 2}.sort()").await;
    /// assert_eq!(ran.into_result().unwrap(), [1, 2, 3]);
    /// # });
    /// ```
    pub async fn eval_async<T: FromValue + Send + 'static>(
        &self,
        src: impl Into<String>,
    ) -> Ran<T> {
        let src = src.into();
        self.on_blocking_pool(move |engine| engine.eval::<T>(&src))
            .await
    }

    /// [`call_fn`](Engine::call_fn) for async code: calls function `name` of `script` with
    /// `args` (Rust values: a tuple or array of `Send` types, since a [`Value`] stays on its
    /// thread) on the blocking pool and converts its result to `T`.
    ///
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// use std::sync::Arc;
    /// let engine = deluge_lang::Engine::new();
    /// let script = Arc::new(engine.compile("int twice(int n) { return n * 2; }").unwrap());
    /// let ran = engine.call_fn_async::<i64>(&script, "twice", (21,)).await;
    /// assert_eq!(ran.into_result().unwrap(), 42);
    /// # });
    /// ```
    pub async fn call_fn_async<T: FromValue + Send + 'static>(
        &self,
        script: &Arc<Script>,
        name: &str,
        args: impl FuncArgs + Send + 'static,
    ) -> Ran<T> {
        let script = Arc::clone(script);
        let name = name.to_owned();
        self.on_blocking_pool(move |engine| engine.call_fn::<T>(&script, &name, args))
            .await
    }

    /// Runs `work` on a copy of the engine whose output is captured, on the blocking pool
    /// (and there on a large stack, as [`with_large_stack`] does for deep recursion).
    async fn on_blocking_pool<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Engine) -> Result<T, Error> + Send + 'static,
    ) -> Ran<T> {
        let mut engine = self.clone();
        let output = CaptureOutput::new();
        engine.set_output(output.clone());
        let joined = tokio::task::spawn_blocking(move || with_large_stack(|| work(&engine))).await;
        let result = joined.unwrap_or_else(|failure| {
            Err(Error::located(
                ErrorPhase::Runtime,
                "<script>",
                "",
                format!("the run stopped abnormally: {failure}"),
            ))
        });
        Ran {
            result,
            output: output.text(),
        }
    }
}

/// The run's value as JSON (the error located in `text` when it has no JSON form).
fn convert(value: &Value, name: &str, text: &str) -> Result<serde_json::Value, Error> {
    serde_json::Value::from_value(value).map_err(|message| {
        Error::located(
            ErrorPhase::Runtime,
            name,
            text,
            format!("the result cannot be converted: {message}"),
        )
    })
}
