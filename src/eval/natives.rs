//! The table of host functions and methods registered on an engine, which the compiler
//! resolves names against and the interpreter calls. Registering typed closures is
//! `api::native`.

use std::sync::Arc;

use super::args::Args;
use super::builtin::NativeResult;
use super::context::NativeCtx;
use super::value::{Value, ValueType};

/// A registered native: the same shape as a built-in's [`NativeFn`](super::builtin::NativeFn),
/// as a closure. Typed closures are wrapped into one by `api::native`.
pub(crate) type NativeImpl = dyn Fn(&mut NativeCtx<'_>, Args<'_>) -> NativeResult + Send + Sync;

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
    /// The same, as argument errors list them: `NUMBER, TEXT`.
    pub expects: Box<str>,
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

    /// Calls the native with `values` (the receiver first for a method).
    pub fn call(&self, ctx: &mut NativeCtx<'_>, values: &[Value]) -> NativeResult {
        let args = if self.receiver.is_some() {
            Args::method(&self.name, &self.expects, values)
        } else {
            Args::function(&self.name, &self.expects, values)
        };
        (self.func)(ctx, args)
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
