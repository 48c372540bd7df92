//! The Creator app of `dlg test`: every test gets a fresh in-memory app (the forms of
//! `--app-def` declared, no records) as a layer over the engine's host stack, and the test-file
//! built-ins that reach it: `formActions()` (the form UI actions recorded so far in the test, as
//! `dlg run` prints them) and `setInput(map)` (fills in the current record).
//!
//! Like the assertions, the built-ins find the test's app in a thread-local slot: each test runs
//! on one thread from start to end.

use std::cell::RefCell;
use std::sync::Arc;

use crate::api::engine::Engine;
use crate::creator::ds::AppDef;
use crate::creator::{CreatorHost, CreatorOptions};
use crate::eval::host::Host;
use crate::eval::ops::describe;
use crate::eval::render::display;
use crate::eval::value::Value;

/// The names of the form built-ins, as test files write them.
pub const FORM_BUILTIN_NAMES: [&str; 2] = ["formActions", "setInput"];

/// The Creator app every test gets a fresh copy of.
#[derive(Clone, Debug, Default)]
pub struct TestApp {
    /// User, owner, app name and time zone (the database is ignored: each app is in memory).
    pub options: CreatorOptions,
    /// The `--app-def` export: its forms and reports are declared in every test's app.
    pub def: Option<AppDef>,
    /// The export's functions as a `(name, source)` file compiled with each test file.
    pub functions: Option<(String, String)>,
}

impl TestApp {
    /// A fresh app over `inner` (the mail-over-Zoho stack): in memory, forms declared.
    pub fn open(&self, inner: Arc<dyn Host>) -> Result<Arc<CreatorHost>, String> {
        let options = CreatorOptions {
            database: None,
            ..self.options.clone()
        };
        let host = CreatorHost::open(options, inner)?;
        if let Some(def) = &self.def {
            host.define_app(def)?;
        }
        Ok(Arc::new(host))
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<CreatorHost>>> = const { RefCell::new(None) };
}

/// Makes `host` the app the built-ins see on this thread until the guard is dropped.
pub fn enter(host: Arc<CreatorHost>) -> CurrentApp {
    CURRENT.with(|slot| *slot.borrow_mut() = Some(host));
    CurrentApp(())
}

/// While alive, the built-ins on this thread use the app given to [`enter`].
pub struct CurrentApp(());

impl Drop for CurrentApp {
    fn drop(&mut self) {
        let _ = CURRENT.try_with(|slot| slot.borrow_mut().take());
    }
}

/// The form UI actions the current test's app has recorded so far, as `dlg run` prints them.
pub fn current_actions() -> Vec<String> {
    CURRENT
        .with(|slot| slot.borrow().as_ref().map(|host| host.actions()))
        .unwrap_or_default()
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Registers `formActions` and `setInput` on `engine`.
pub fn register(engine: &mut Engine) {
    engine.register_raw("formActions", Vec::new(), 0, form_actions);
    engine.register_raw("setInput", vec!["KEY-VALUE"], 0, set_input);
}

fn form_actions(_: &[Value]) -> Result<Value, String> {
    Ok(Value::list_from(
        current_actions().iter().map(Value::text).collect(),
    ))
}

fn set_input(args: &[Value]) -> Result<Value, String> {
    let fields: Vec<(String, Value)> = match args.first() {
        Some(Value::Map(map)) => map
            .borrow()
            .iter()
            .map(|(k, v)| (display(k), v.clone()))
            .collect(),
        other => {
            return Err(format!(
                "setInput needs a KEY-VALUE of fields such as {{\"Qty\": 3}}, not {}",
                describe(other.unwrap_or(&Value::Null))
            ))
        }
    };
    CURRENT.with(|slot| match slot.borrow().as_ref() {
        Some(host) => {
            host.fill_input(&fields);
            Ok(Value::Null)
        }
        None => Err("setInput: this test has no Creator app".to_owned()),
    })
}
