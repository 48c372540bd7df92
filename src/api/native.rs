//! Host functions and methods registered on an [`Engine`](crate::Engine): the typed-closure
//! traits that turn `|a: i64, b: String| ...` into a native, and the table the compiler
//! resolves names against.

use std::fmt::Display;
use std::sync::Arc;

use crate::api::convert::FromValue;
use crate::eval::engine::Engine;
use crate::eval::value::{Value, ValueType};

/// A registered native after argument conversion was wrapped around it: takes every argument
/// (the receiver first for methods) and returns the value or the error message.
pub(crate) type NativeImpl = dyn Fn(&[Value]) -> Result<Value, String> + Send + Sync;

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
pub trait NativeFunction<Args>: Send + Sync + 'static {
    /// The Deluge type each parameter expects, in order (for messages and arity).
    #[doc(hidden)]
    fn param_types() -> Vec<&'static str>;

    /// Converts the arguments, calls the closure and converts its result.
    #[doc(hidden)]
    fn call_with(&self, name: &str, args: &[Value]) -> Result<Value, String>;
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
pub trait FallibleNativeFunction<Args>: Send + Sync + 'static {
    /// The Deluge type each parameter expects, in order.
    #[doc(hidden)]
    fn param_types() -> Vec<&'static str>;

    /// Converts the arguments, calls the closure and converts its result or error.
    #[doc(hidden)]
    fn call_with(&self, name: &str, args: &[Value]) -> Result<Value, String>;
}

/// Converts argument `index` (0-based) of `name`, or explains which one is wrong.
fn argument<T: FromValue>(name: &str, args: &[Value], index: usize) -> Result<T, String> {
    let value = args.get(index).unwrap_or(&Value::Null);
    T::from_value(value).map_err(|e| format!("argument {} of `{name}`: {e}", index + 1))
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
            fn call_with(&self, name: &str, args: &[Value]) -> Result<Value, String> {
                Ok(self($(argument::<$arg>(name, args, $index)?),*).into())
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
            fn call_with(&self, name: &str, args: &[Value]) -> Result<Value, String> {
                self($(argument::<$arg>(name, args, $index)?),*)
                    .map(Into::into)
                    .map_err(|e| e.to_string())
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

/// One registered function or method.
pub(crate) struct NativeEntry {
    /// The name as registered, for messages: `greet`, `acme.lookup`, `shout`.
    pub name: Box<str>,
    /// The lower-case name the compiler matches.
    pub key: Box<str>,
    /// `Some(type)` for a method on values of that type; `None` for a function.
    pub receiver: Option<ValueType>,
    /// Parameter types after the receiver, for messages.
    pub params: Vec<&'static str>,
    /// How many of the last parameters a call may leave out (the function sees fewer
    /// arguments).
    pub optional: usize,
    /// The implementation (receiver first for methods).
    pub func: Arc<NativeImpl>,
}

impl NativeEntry {
    /// Arguments the script passes (after the receiver), at most.
    pub fn arity(&self) -> usize {
        self.params.len()
    }

    /// True when a call may pass `given` arguments (after the receiver).
    pub fn accepts(&self, given: usize) -> bool {
        given <= self.arity() && given + self.optional >= self.arity()
    }

    /// `name(NUMBER, TEXT)`, for messages.
    pub fn signature(&self) -> String {
        format!("{}({})", self.name, self.params.join(", "))
    }
}

/// Every function and method registered on an engine. Cloning shares the entries; a compiled
/// script keeps the table it was compiled against.
#[derive(Clone, Default)]
pub(crate) struct NativeRegistry {
    entries: Vec<Arc<NativeEntry>>,
}

impl std::fmt::Debug for NativeRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.entries.iter().map(|e| e.signature()))
            .finish()
    }
}

impl NativeRegistry {
    /// Adds `entry`, replacing an earlier one with the same name and receiver.
    pub fn insert(&mut self, entry: NativeEntry) {
        let same = |e: &Arc<NativeEntry>| e.key == entry.key && e.receiver == entry.receiver;
        match self.entries.iter().position(same) {
            Some(index) => self.entries[index] = Arc::new(entry),
            None => self.entries.push(Arc::new(entry)),
        }
    }

    /// The entry at `index`.
    pub fn get(&self, index: u32) -> Option<&NativeEntry> {
        self.entries.get(index as usize).map(|e| &**e)
    }

    /// The function (not method) registered as `name`, any case.
    pub fn function(&self, name: &str) -> Option<u32> {
        let key = name.to_ascii_lowercase();
        self.entries
            .iter()
            .position(|e| e.receiver.is_none() && *e.key == *key)
            .map(|i| i as u32)
    }

    /// Every method registered as `name`, any case.
    pub fn methods(&self, name: &str) -> Vec<u32> {
        let key = name.to_ascii_lowercase();
        (0..self.entries.len())
            .filter(|&i| self.entries[i].receiver.is_some() && *self.entries[i].key == *key)
            .map(|i| i as u32)
            .collect()
    }

    /// The names of registered functions (`methods == false`) or methods, for suggestions.
    pub fn names(&self, methods: bool) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(move |e| e.receiver.is_some() == methods)
            .map(|e| &*e.name)
    }
}

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
    pub fn register_fn<Args, F: NativeFunction<Args>>(&mut self, name: &str, f: F) -> &mut Self {
        let registered = name.to_owned();
        let func = Arc::new(move |args: &[Value]| f.call_with(&registered, args));
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
    pub fn register_fallible_fn<Args, F: FallibleNativeFunction<Args>>(
        &mut self,
        name: &str,
        f: F,
    ) -> &mut Self {
        let registered = name.to_owned();
        let func = Arc::new(move |args: &[Value]| f.call_with(&registered, args));
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
    pub fn register_method<Args, F: NativeFunction<Args>>(
        &mut self,
        receiver: ValueType,
        name: &str,
        f: F,
    ) -> &mut Self {
        let registered = name.to_owned();
        let func = Arc::new(move |args: &[Value]| f.call_with(&registered, args));
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
    pub fn register_fallible_method<Args, F: FallibleNativeFunction<Args>>(
        &mut self,
        receiver: ValueType,
        name: &str,
        f: F,
    ) -> &mut Self {
        let registered = name.to_owned();
        let func = Arc::new(move |args: &[Value]| f.call_with(&registered, args));
        self.register(name, Some(receiver), F::param_types(), func)
    }

    /// Registers a function that takes the argument values as they are, `optional` of its
    /// last `params` may be left out (the testing module's assertions).
    pub(crate) fn register_raw(
        &mut self,
        name: &str,
        params: Vec<&'static str>,
        optional: usize,
        func: Arc<NativeImpl>,
    ) -> &mut Self {
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
        params,
        optional: 0,
        func,
    }
}
