//! Host functions and methods registered on an [`Engine`](crate::Engine): the typed-closure
//! traits that turn `|a: i64, b: String| ...` into a native. The table the compiler resolves
//! names against is `eval::natives`.

use std::fmt::Display;
use std::sync::Arc;

use crate::api::convert::FromValue;
use crate::api::engine::Engine;
use crate::eval::args::Args;
use crate::eval::builtin::NativeResult;
use crate::eval::context::NativeCtx;
use crate::eval::failure::Failure;
use crate::eval::natives::{NativeEntry, NativeImpl};
use crate::eval::value::{Value, ValueType};

/// A Rust closure that can be registered with
/// [`Engine::register_fn`](crate::Engine::register_fn): `Fn(A1, ..., An) -> R` for up to six
/// arguments, each `A` a [`FromValue`] type and `R` anything `Into<Value>`.
///
/// ```
/// use deluge_lang::{CaptureOutput, Engine};
/// let mut engine = Engine::new();
/// engine.register_fn("add", |a: i64, b: i64| a + b);
/// assert_eq!(engine.eval::<i64>("add(40, 2)").unwrap(), 42);
/// ```
pub trait NativeFunction<Params>: Send + Sync + 'static {
    /// The Deluge type each parameter expects, in order (for messages and arity).
    #[doc(hidden)]
    fn param_types() -> Vec<&'static str>;

    /// Converts the arguments, calls the closure and converts its result.
    #[doc(hidden)]
    fn call_with(&self, args: Args<'_>) -> NativeResult;
}

/// A fallible Rust closure for
/// [`Engine::register_fallible_fn`](crate::Engine::register_fallible_fn):
/// `Fn(A1, ..., An) -> Result<R, E>` where `E: Display`. An `Err` stops the script with a
/// runtime error (catchable by `try/catch`) whose message is the error's text, at the call.
///
/// ```
/// use deluge_lang::Engine;
/// let mut engine = Engine::new();
/// engine.register_fallible_fn("half", |n: i64| {
///     if n % 2 == 0 { Ok(n / 2) } else { Err(format!("{n} is odd")) }
/// });
/// assert_eq!(engine.eval::<i64>("half(8)").unwrap(), 4);
/// assert_eq!(engine.eval::<i64>("half(3)").unwrap_err().message(), "3 is odd");
/// ```
pub trait FallibleNativeFunction<Params>: Send + Sync + 'static {
    /// The Deluge type each parameter expects, in order.
    #[doc(hidden)]
    fn param_types() -> Vec<&'static str>;

    /// Converts the arguments, calls the closure and converts its result or error.
    #[doc(hidden)]
    fn call_with(&self, args: Args<'_>) -> NativeResult;
}

/// Converts argument `index` (0-based, the receiver first for a method), or explains which
/// one is wrong.
fn argument<T: FromValue>(args: &Args<'_>, index: usize) -> Result<T, String> {
    T::from_value(args.get(index))
        .map_err(|e| format!("argument {} of `{}`: {e}", index + 1, args.name()))
}

macro_rules! natives {
    ($($arg:ident $index:tt),*) => {
        impl<F, R, $($arg,)*> NativeFunction<($($arg,)*)> for F
        where
            F: Fn($($arg),*) -> R + Send + Sync + 'static,
            R: Into<Value>,
            $($arg: FromValue,)*
        {
            fn param_types() -> Vec<&'static str> {
                vec![$($arg::EXPECTED),*]
            }

            #[allow(unused_variables)]
            fn call_with(&self, args: Args<'_>) -> NativeResult {
                Ok(self($(argument::<$arg>(&args, $index)?),*).into())
            }
        }

        impl<F, R, E, $($arg,)*> FallibleNativeFunction<($($arg,)*)> for F
        where
            F: Fn($($arg),*) -> Result<R, E> + Send + Sync + 'static,
            R: Into<Value>,
            E: Display,
            $($arg: FromValue,)*
        {
            fn param_types() -> Vec<&'static str> {
                vec![$($arg::EXPECTED),*]
            }

            #[allow(unused_variables)]
            fn call_with(&self, args: Args<'_>) -> NativeResult {
                self($(argument::<$arg>(&args, $index)?),*)
                    .map(Into::into)
                    .map_err(|e| Failure::from(e.to_string()))
            }
        }
    };
}

natives!();
natives!(A 0);
natives!(A 0, B 1);
natives!(A 0, B 1, C 2);
natives!(A 0, B 1, C 2, D 3);
natives!(A 0, B 1, C 2, D 3, E2 4);
natives!(A 0, B 1, C 2, D 3, E2 4, G 5);

impl Engine {
    /// Registers a host function scripts call as `name(args)`: a closure of up to six
    /// arguments, each converted from the script's value by [`FromValue`],
    /// returning anything `Into<Value>`. `name` may be dotted (`"acme.lookup"`). A registered
    /// function takes precedence over a built-in of the same name; a script's own function
    /// takes precedence over both. Registering a name again replaces the function.
    ///
    /// A call with the wrong number of arguments is a compile error; an argument of the wrong
    /// type is a runtime error naming the function and the argument.
    ///
    /// ```
    /// let mut engine = deluge_lang::Engine::new();
    /// engine.register_fn("acme.tax", |amount: f64, rate: f64| amount * rate);
    /// assert_eq!(engine.eval::<f64>("acme.tax(200, 0.5)").unwrap(), 100.0);
    /// let err = engine.eval::<f64>("acme.tax(\"x\", 1)").unwrap_err();
    /// assert_eq!(
    ///     err.message(),
    ///     "argument 1 of `acme.tax`: expected a NUMBER or DECIMAL, but got TEXT \"x\""
    /// );
    /// ```
    pub fn register_fn<Params, F: NativeFunction<Params>>(&mut self, name: &str, f: F) -> &mut Self {
        let func = Arc::new(move |_: &mut NativeCtx<'_>, args: Args<'_>| f.call_with(args));
        self.register(name, None, F::param_types(), func)
    }

    /// Like [`register_fn`](Engine::register_fn) for a closure returning `Result<T, E>`: an
    /// `Err` becomes a runtime error at the call whose message is the error's text.
    ///
    /// ```
    /// let mut engine = deluge_lang::Engine::new();
    /// engine.register_fallible_fn("parse_id", |s: String| s.parse::<i64>());
    /// assert_eq!(engine.eval::<i64>("parse_id(\"12\")").unwrap(), 12);
    /// let err = engine.run("try { parse_id(\"x\"); } catch (e) { info e; }");
    /// assert!(err.is_ok());
    /// ```
    pub fn register_fallible_fn<Params, F: FallibleNativeFunction<Params>>(
        &mut self,
        name: &str,
        f: F,
    ) -> &mut Self {
        let func = Arc::new(move |_: &mut NativeCtx<'_>, args: Args<'_>| f.call_with(args));
        self.register(name, None, F::param_types(), func)
    }

    /// Registers a method scripts call as `value.name(args)` on values of type `receiver`;
    /// the closure's first argument is the receiver. Built-in methods of the same name keep
    /// working on other types.
    ///
    /// ```
    /// use deluge_lang::{Engine, ValueType};
    /// let mut engine = Engine::new();
    /// engine.register_method(ValueType::Text, "shout", |s: String| s.to_uppercase() + "!");
    /// assert_eq!(engine.eval::<String>("\"hey\".shout()").unwrap(), "HEY!");
    /// ```
    pub fn register_method<Params, F: NativeFunction<Params>>(
        &mut self,
        receiver: ValueType,
        name: &str,
        f: F,
    ) -> &mut Self {
        let func = Arc::new(move |_: &mut NativeCtx<'_>, args: Args<'_>| f.call_with(args));
        self.register(name, Some(receiver), F::param_types(), func)
    }

    /// Like [`register_method`](Engine::register_method) for a closure returning
    /// `Result<T, E>`.
    ///
    /// ```
    /// use deluge_lang::{Engine, ValueType};
    /// let mut engine = Engine::new();
    /// engine.register_fallible_method(ValueType::Number, "checked_half", |n: i64| {
    ///     if n % 2 == 0 { Ok(n / 2) } else { Err("odd") }
    /// });
    /// assert_eq!(engine.eval::<i64>("10.checked_half()").unwrap(), 5);
    /// assert_eq!(engine.eval::<i64>("3.checked_half()").unwrap_err().message(), "odd");
    /// ```
    pub fn register_fallible_method<Params, F: FallibleNativeFunction<Params>>(
        &mut self,
        receiver: ValueType,
        name: &str,
        f: F,
    ) -> &mut Self {
        let func = Arc::new(move |_: &mut NativeCtx<'_>, args: Args<'_>| f.call_with(args));
        self.register(name, Some(receiver), F::param_types(), func)
    }

    /// Registers a native of the same shape as every built-in: a closure over the run's
    /// [`NativeCtx`] and the call's [`Args`], returning the value or a typed [`Failure`].
    /// `receiver` makes it a method on that type (the receiver is argument 0); `params`
    /// names the Deluge types of the arguments after it, for the arity check and messages.
    /// A failure keeps its [`ErrorKind`](crate::ErrorKind) to the top of the run's error.
    ///
    /// ```
    /// use deluge_lang::{Args, Engine, ErrorKind, Failure, NativeCtx, Value};
    /// let mut engine = Engine::new();
    /// engine.register_native("acme.stock", None, &["TEXT"], |_: &mut NativeCtx<'_>, args: Args<'_>| {
    ///     match args.text(0)? {
    ///         "widget" => Ok(Value::Number(12)),
    ///         _ => Err(Failure::new(ErrorKind::Timeout, "the warehouse did not answer")),
    ///     }
    /// });
    /// assert_eq!(engine.eval::<i64>("acme.stock(\"widget\")").unwrap(), 12);
    /// let err = engine.run("info acme.stock(\"gadget\");").unwrap_err();
    /// assert_eq!((err.kind(), err.message()), (ErrorKind::Timeout, "the warehouse did not answer"));
    /// let err = engine.run("info acme.stock(3);").unwrap_err();
    /// assert_eq!(err.message(), "acme.stock expects (TEXT) but got (NUMBER)");
    /// ```
    pub fn register_native<F>(
        &mut self,
        name: &str,
        receiver: Option<ValueType>,
        params: &[&'static str],
        f: F,
    ) -> &mut Self
    where
        F: Fn(&mut NativeCtx<'_>, Args<'_>) -> NativeResult + Send + Sync + 'static,
    {
        let mut types = params.to_vec();
        if receiver.is_some() {
            types.insert(0, receiver.map_or("", |t| t.name()));
        }
        self.register(name, receiver, types, Arc::new(f))
    }

    /// Registers a function that takes the argument values as they are, `optional` of its
    /// last `params` may be left out (the testing module's assertions).
    pub(crate) fn register_raw(
        &mut self,
        name: &str,
        params: Vec<&'static str>,
        optional: usize,
        func: impl Fn(&[Value]) -> Result<Value, String> + Send + Sync + 'static,
    ) -> &mut Self {
        let func = Arc::new(move |_: &mut NativeCtx<'_>, args: Args<'_>| {
            func(args.values()).map_err(Failure::from)
        });
        let mut native = entry(name, None, params, func);
        native.optional = optional;
        Arc::make_mut(&mut self.natives).insert(native);
        self
    }

    /// Adds a native to the engine's table (shared with clones until changed).
    fn register(
        &mut self,
        name: &str,
        receiver: Option<ValueType>,
        params: Vec<&'static str>,
        func: Arc<NativeImpl>,
    ) -> &mut Self {
        Arc::make_mut(&mut self.natives).insert(entry(name, receiver, params, func));
        self
    }
}

/// Builds the registry entry of a typed closure.
fn entry(
    name: &str,
    receiver: Option<ValueType>,
    mut params: Vec<&'static str>,
    func: Arc<NativeImpl>,
) -> NativeEntry {
    if receiver.is_some() && !params.is_empty() {
        params.remove(0);
    }
    NativeEntry {
        name: name.into(),
        key: name.to_ascii_lowercase().into(),
        receiver,
        expects: params.join(", ").into(),
        params,
        optional: 0,
        func,
    }
}
