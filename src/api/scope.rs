//! [`Scope`]: variables the host gives a script, which keep their values between runs.

use indexmap::IndexMap;

use crate::api::convert::FromValue;
use crate::eval::value::Value;

/// Named variables a host pushes for scripts to read and assign.
///
/// A run with a scope ([`Engine::run_with_scope`](crate::Engine::run_with_scope)) starts with
/// the scope's variables defined; when it ends, every top-level variable of the script (the
/// scope's and any the script assigned) is written back, so the next run sees them. Names are
/// case-sensitive, like Deluge variables.
///
/// A scope holds [`Value`]s, which are single-threaded: use one scope per thread.
///
/// ```
/// use deluge_lang::{Engine, Scope};
/// let engine = Engine::new();
/// let mut scope = Scope::new();
/// scope.push("count", 1);
/// engine.run_with_scope(&mut scope, "count = count + 1; label = \"n\" + count;").unwrap();
/// assert_eq!(scope.get::<i64>("count"), Some(2));
/// assert_eq!(scope.get::<String>("label").as_deref(), Some("n2"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Scope {
    variables: IndexMap<String, Value>,
}

impl Scope {
    /// An empty scope.
    ///
    /// ```
    /// assert!(deluge_lang::Scope::new().is_empty());
    /// ```
    pub fn new() -> Scope {
        Scope::default()
    }

    /// Sets variable `name` to `value`, adding it if it is new.
    ///
    /// ```
    /// let mut scope = deluge_lang::Scope::new();
    /// scope.push("name", "Ada").push("age", 36);
    /// assert_eq!(scope.len(), 2);
    /// ```
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<Value>) -> &mut Scope {
        self.variables.insert(name.into(), value.into());
        self
    }

    /// The value of `name` converted to `T`; `None` when there is no such variable or it does
    /// not convert.
    ///
    /// ```
    /// let mut scope = deluge_lang::Scope::new();
    /// scope.push("n", 5);
    /// assert_eq!(scope.get::<i64>("n"), Some(5));
    /// assert_eq!(scope.get::<String>("n"), None);
    /// ```
    pub fn get<T: FromValue>(&self, name: &str) -> Option<T> {
        self.variables.get(name).and_then(|v| T::from_value(v).ok())
    }

    /// The value of `name` as it is.
    ///
    /// ```
    /// let mut scope = deluge_lang::Scope::new();
    /// scope.push("flag", true);
    /// assert_eq!(scope.value("flag"), Some(&deluge_lang::Value::Bool(true)));
    /// ```
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.variables.get(name)
    }

    /// Removes `name` and returns its value.
    ///
    /// ```
    /// let mut scope = deluge_lang::Scope::new();
    /// scope.push("x", 1);
    /// assert!(scope.remove("x").is_some());
    /// assert!(scope.is_empty());
    /// ```
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.variables.shift_remove(name)
    }

    /// True when `name` is a variable of this scope.
    ///
    /// ```
    /// let mut scope = deluge_lang::Scope::new();
    /// scope.push("x", 1);
    /// assert!(scope.contains("x") && !scope.contains("X"));
    /// ```
    pub fn contains(&self, name: &str) -> bool {
        self.variables.contains_key(name)
    }

    /// The number of variables.
    ///
    /// ```
    /// assert_eq!(deluge_lang::Scope::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.variables.len()
    }

    /// True when there are no variables.
    ///
    /// ```
    /// assert!(deluge_lang::Scope::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.variables.is_empty()
    }

    /// The variables, in the order they were first set.
    ///
    /// ```
    /// let mut scope = deluge_lang::Scope::new();
    /// scope.push("a", 1).push("b", 2);
    /// let names: Vec<&str> = scope.iter().map(|(name, _)| name).collect();
    /// assert_eq!(names, ["a", "b"]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.variables.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The variable names, in order (for compiling a script that reads them).
    pub(crate) fn names(&self) -> Vec<&str> {
        self.variables.keys().map(String::as_str).collect()
    }

    /// Stores a variable's value at the end of a run.
    pub(crate) fn store(&mut self, name: &str, value: Value) {
        match self.variables.get_mut(name) {
            Some(slot) => *slot = value,
            None => {
                self.variables.insert(name.to_owned(), value);
            }
        }
    }
}
