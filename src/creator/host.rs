//! [`CreatorHost`]: Creator forms, records and form UI served from a local SQLite database, as
//! a layer over an inner host that gets every construct it does not handle.

use crate::eval::failure::Failure;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use super::criteria::{translate, Where};
use super::records::{self, Order, Stamp};
use super::run_state::{forget, with_state};
use super::schema::Field;
use super::scope::{FetchScope, SystemValues};
use super::store::Store;
use super::ui::UiAction;
use crate::eval::context::NativeCtx;
use crate::eval::host::{FetchRequest, Host, NoHost};
use crate::eval::render::display;
use crate::eval::value::{Collection, CollectionData, Map, Value};

/// How to open a [`CreatorHost`].
#[derive(Clone, Debug)]
pub struct CreatorOptions {
    /// The database file (created on first use); `None` keeps the app in memory for the run.
    pub database: Option<PathBuf>,
    /// The current record (`input.Field`), a JSON object.
    pub input: serde_json::Value,
    /// `zoho.loginuser`, and `Added_User` of new records.
    pub login_user: String,
    /// The app owner (`zoho.adminuser`): `zoho.creator.*` tasks naming this owner and
    /// [`CreatorOptions::app_name`] run against the local app.
    pub owner: String,
    /// The app's link name (`zoho.appname`).
    pub app_name: String,
    /// The app's time zone (for `Added_Time`, `zoho.currentdate`).
    pub time_zone: jiff::tz::TimeZone,
}

impl Default for CreatorOptions {
    fn default() -> Self {
        CreatorOptions {
            database: None,
            input: serde_json::json!({}),
            login_user: "admin".to_owned(),
            owner: "admin".to_owned(),
            app_name: "app".to_owned(),
            time_zone: crate::eval::env::system_time_zone(),
        }
    }
}

/// How a run's writes ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The writes were saved.
    Committed,
    /// The writes were dropped: the run failed or cancelled the submit or delete.
    RolledBack(String),
}

/// The Creator host. Share it with `Arc` to read the records and UI actions after a run:
///
/// ```
/// use std::sync::Arc;
/// use deluge_lang::creator::{CreatorHost, CreatorOptions};
/// use deluge_lang::{Engine, NoHost};
///
/// let host = Arc::new(CreatorHost::open(CreatorOptions::default(), Arc::new(NoHost)).unwrap());
/// let mut engine = Engine::new();
/// engine.set_host(Arc::clone(&host));
/// let result = engine.run(
///     "id = insert into Orders [ Item = \"pen\" Qty = 2 ];\n\
///      for each o in Orders[Qty > 1] { o.Qty = o.Qty + 1; }\n\
///      if (Orders[ID == id].Qty == 3) { alert \"bumped\"; }",
/// );
/// assert_eq!(host.actions()[0].to_string(), "alert bumped");
/// host.finish(result.is_ok()).unwrap();
/// assert_eq!(host.field_values("Orders", "Qty").unwrap(), ["3"]);
/// ```
pub struct CreatorHost {
    id: u64,
    inner: Arc<dyn Host>,
    /// The app database; an in-memory one is opened on first use, as most runs never touch it.
    store: OnceLock<Result<Mutex<Store>, String>>,
    actions: Mutex<Vec<UiAction>>,
    input_seed: serde_json::Value,
    system: SystemValues,
    reports: Mutex<Vec<(String, String)>>,
}

impl std::fmt::Debug for CreatorHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatorHost")
            .field("app", &self.system.app_name)
            .finish()
    }
}

static NEXT_HOST_ID: AtomicU64 = AtomicU64::new(1);

impl CreatorHost {
    /// `openUrl` and the `zoho.creator.*` tasks on the local app; `None` for every other call,
    /// which belongs to the inner host.
    fn call_locally(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if name.eq_ignore_ascii_case("openUrl") {
            let arg = |i: usize| args.get(i).map(display).unwrap_or_default();
            return Some(
                self.record(UiAction::OpenUrl {
                    url: arg(0),
                    target: arg(1),
                })
                .map(|()| Value::Null),
            );
        }
        super::tasks::call(self, name, args)
    }

    /// Opens the app database and wraps `inner`, which gets every construct this host does not
    /// serve (CRM tasks, mail, remote `zoho.creator.*` calls).
    pub fn open(options: CreatorOptions, inner: Arc<dyn Host>) -> Result<CreatorHost, String> {
        let store = match options.database.as_deref() {
            Some(path) => OnceLock::from(Ok(Mutex::new(Store::open(Some(path))?))),
            None => OnceLock::new(),
        };
        Ok(CreatorHost {
            id: NEXT_HOST_ID.fetch_add(1, Ordering::Relaxed),
            inner,
            store,
            actions: Mutex::new(Vec::new()),
            input_seed: options.input,
            system: SystemValues {
                login_user: options.login_user,
                admin_user: options.owner,
                app_name: options.app_name,
                time_zone: options.time_zone,
            },
            reports: Mutex::new(Vec::new()),
        })
    }

    /// A host over [`NoHost`] with an in-memory app.
    pub fn in_memory() -> Result<CreatorHost, String> {
        CreatorHost::open(CreatorOptions::default(), Arc::new(NoHost))
    }

    /// Declares a form and its fields (as a `.ds` export does): inserts may then use only
    /// these fields.
    pub fn define_form(&self, form: &str, fields: &[Field]) -> Result<(), String> {
        self.store()?.define(form, fields, true)
    }

    /// Declares that report `report` shows the records of `form` (for `zoho.creator.*`).
    pub fn define_report(&self, report: &str, form: &str) -> Result<(), String> {
        self.reports
            .lock()
            .map_err(|_| poisoned())?
            .push((report.to_owned(), form.to_owned()));
        Ok(())
    }

    /// Declares the forms and reports of a `.ds` export.
    pub fn define_app(&self, def: &super::ds::AppDef) -> Result<(), String> {
        for (form, fields) in &def.forms {
            self.define_form(form, fields)?;
        }
        for (report, form) in &def.reports {
            self.define_report(report, form)?;
        }
        Ok(())
    }

    /// Sets fields of the current record (`input.Field`) as the form's user would fill them
    /// in, recording no UI action (`dlg test`'s `setInput`); `input.F = v` in a script is
    /// recorded instead.
    pub fn fill_input(&self, fields: &[(String, Value)]) {
        let input = self.input();
        let mut input = input.borrow_mut();
        for (field, value) in fields {
            input.insert(Value::text(field), value.clone());
        }
    }

    /// Adds a record from a JSON object (seeding data); returns its ID.
    pub fn seed(&self, form: &str, record: &serde_json::Value) -> Result<i64, String> {
        let Value::Map(map) = Value::from_json(record) else {
            return Err(format!("a record for form `{form}` must be a JSON object"));
        };
        let fields: Vec<(Box<str>, Value)> = map
            .borrow()
            .iter()
            .map(|(k, v)| {
                (
                    display(k).into_boxed_str(),
                    super::values::seed_value(v.clone()),
                )
            })
            .collect();
        self.seed_fields(form, &fields)
    }

    /// Adds a record with these field values; returns its ID.
    pub fn seed_fields(&self, form: &str, fields: &[(Box<str>, Value)]) -> Result<i64, String> {
        let stamp = self.stamp();
        records::insert(&mut *self.store()?, form, fields, &stamp)
    }

    /// The UI actions recorded so far, in order.
    pub fn actions(&self) -> Vec<UiAction> {
        self.actions.lock().map(|a| a.clone()).unwrap_or_default()
    }

    /// Ends the run: saves its writes when it succeeded and did not cancel, else drops them
    /// all (Creator runs a workflow as one transaction). Call once per run, after reading
    /// [`CreatorHost::actions`]: the next run starts with no actions and a fresh `input`.
    pub fn finish(&self, run_succeeded: bool) -> Result<Outcome, String> {
        let actions = std::mem::take(&mut *self.actions.lock().map_err(|_| poisoned())?);
        let cancelled = actions
            .into_iter()
            .find(UiAction::is_cancel)
            .map(|a| a.to_string());
        let outcome = match (run_succeeded, cancelled) {
            (true, None) => Outcome::Committed,
            (true, Some(cancel)) => Outcome::RolledBack(format!("`{cancel}`")),
            (false, _) => Outcome::RolledBack("the run failed".to_owned()),
        };
        if self.store.get().is_some() {
            self.store()?.finish(outcome == Outcome::Committed)?;
        }
        forget(self.id);
        Ok(outcome)
    }

    /// Every record of `form` (system fields first), for embedders and tests.
    pub fn records(&self, form: &str) -> Result<Vec<records::Record>, String> {
        let store = self.store()?;
        records::select(
            &store,
            form,
            &Where {
                sql: "1".into(),
                params: Vec::new(),
            },
            &Order::default(),
        )
    }

    /// The values of `field` in every record of `form`, as `info` prints them.
    pub fn field_values(&self, form: &str, field: &str) -> Result<Vec<String>, String> {
        Ok(self
            .records(form)?
            .into_iter()
            .map(|record| {
                record
                    .into_iter()
                    .find(|(name, _)| name == field)
                    .map(|(_, v)| display(&v))
                    .unwrap_or_default()
            })
            .collect())
    }

    /// The names of the app's forms.
    pub fn form_names(&self) -> Result<Vec<String>, String> {
        Ok(self.store()?.form_names())
    }

    /// The form a report shows: a declared report, a form of that name, or `All_X` → `X`.
    pub(crate) fn report_form(&self, report: &str) -> String {
        if let Ok(reports) = self.reports.lock() {
            if let Some((_, form)) = reports.iter().find(|(r, _)| r.eq_ignore_ascii_case(report)) {
                return form.clone();
            }
        }
        let exists = |name: &str| self.store().is_ok_and(|s| s.form(name).is_some());
        if exists(report) {
            return report.to_owned();
        }
        for candidate in [report.strip_prefix("All_"), report.strip_suffix("_Report")]
            .into_iter()
            .flatten()
        {
            if exists(candidate) {
                return candidate.to_owned();
            }
            if let Some(singular) = candidate.strip_suffix('s') {
                if exists(singular) {
                    return singular.to_owned();
                }
            }
        }
        report.to_owned()
    }

    pub(crate) fn store(&self) -> Result<MutexGuard<'_, Store>, String> {
        let opened = self.store.get_or_init(|| Store::open(None).map(Mutex::new));
        match opened {
            Ok(store) => store.lock().map_err(|_| poisoned()),
            Err(message) => Err(message.clone()),
        }
    }

    pub(crate) fn system(&self) -> &SystemValues {
        &self.system
    }

    pub(crate) fn stamp(&self) -> Stamp {
        Stamp {
            user: self.system.login_user.clone(),
            now: self.system.now().strftime("%Y-%m-%d %H:%M:%S").to_string(),
        }
    }

    fn record(&self, action: UiAction) -> Result<(), String> {
        self.actions.lock().map_err(|_| poisoned())?.push(action);
        Ok(())
    }

    fn input(&self) -> Map {
        with_state(self.id, |state| state.input(&self.input_seed))
    }

    /// The criteria of a request as SQL.
    fn filter(&self, store: &Store, request: &FetchRequest<'_>) -> Result<Where, String> {
        let form = records::form(store, request.form)?;
        let scope = FetchScope {
            variables: &request.variables,
            input: self.input(),
            store,
            system: &self.system,
        };
        translate(form, request.criteria, &scope)
            .map_err(|e| format!("{}[{}]: {e}", form.name, request.criteria))
    }

    /// Fetched records as a COLLECTION of KEY-VALUEs, each remembered for updates.
    pub(crate) fn collection(&self, form: &str, found: Vec<records::Record>) -> Value {
        let form: Rc<str> = Rc::from(form);
        let maps: Vec<Value> = with_state(self.id, |state| {
            found
                .into_iter()
                .map(|record| {
                    let id = record
                        .first()
                        .and_then(|(_, v)| super::values::number(v))
                        .unwrap_or_default();
                    let map = records::to_map(record);
                    state.track(&map, &form, id);
                    Value::Map(map)
                })
                .collect()
        });
        Value::Collection(Collection::from_data(CollectionData::List(maps)))
    }
}

impl Drop for CreatorHost {
    fn drop(&mut self) {
        forget(self.id);
    }
}

fn poisoned() -> String {
    "the Creator host is unusable after an earlier failure in another thread".to_owned()
}

fn order(request: &FetchRequest<'_>) -> Result<Order, String> {
    let range = match &request.range {
        Some((from, to)) => {
            let number = |v: &Value| {
                super::values::number(v).ok_or_else(|| {
                    format!(
                        "`range from .. to ..` needs whole numbers, not {}",
                        display(v)
                    )
                })
            };
            Some((number(from)?, number(to)?))
        }
        None => None,
    };
    Ok(Order {
        sort_by: request.sort_by.map(|(f, d)| (f.to_owned(), d)),
        range,
    })
}

impl Host for CreatorHost {
    fn inner(&self) -> Option<&dyn Host> {
        Some(&*self.inner)
    }

    fn input_get(&self, field: &str) -> Result<Value, Failure> {
        let input = self.input();
        let value = input.borrow().get(&Value::text(field)).cloned();
        Ok(value.unwrap_or_default())
    }

    fn input_set(&self, field: &str, value: Value) -> Result<(), Failure> {
        let shown = display(&value);
        self.input().borrow_mut().insert(Value::text(field), value);
        Ok(self.record(UiAction::Set {
            field: field.to_owned(),
            value: shown,
        })?)
    }

    fn fetch(&self, request: &FetchRequest<'_>) -> Result<Value, Failure> {
        let found = {
            let store = self.store()?;
            let filter = self.filter(&store, request)?;
            let form = records::form(&store, request.form)?.name.clone();
            (
                form.clone(),
                records::select(&store, &form, &filter, &order(request)?)?,
            )
        };
        Ok(self.collection(&found.0, found.1))
    }

    fn delete(&self, request: &FetchRequest<'_>) -> Result<(), Failure> {
        let mut store = self.store()?;
        let filter = self.filter(&store, request)?;
        Ok(records::delete(&mut store, request.form, &filter).map(|_| ())?)
    }

    fn update(&self, request: &FetchRequest<'_>, field: &str, value: Value) -> Result<(), Failure> {
        let stamp = self.stamp();
        let mut store = self.store()?;
        let filter = self.filter(&store, request)?;
        Ok(
            records::update(&mut store, request.form, &filter, field, &value, &stamp)
                .map(|_| ())?,
        )
    }

    fn insert(&self, form: &str, fields: &[(Box<str>, Value)]) -> Result<Value, Failure> {
        let stamp = self.stamp();
        let id = records::insert(&mut *self.store()?, form, fields, &stamp)?;
        Ok(Value::Number(id))
    }

    fn form_ui(&self, action: &str, fields: &[Box<str>]) -> Result<(), Failure> {
        let action = action.to_ascii_lowercase();
        for field in fields {
            if action == "clear" {
                self.input()
                    .borrow_mut()
                    .insert(Value::text(&**field), Value::Null);
            }
            self.record(UiAction::Field {
                action: action.clone(),
                field: field.to_string(),
            })?;
        }
        Ok(())
    }

    fn alert(&self, message: &str) -> Result<(), Failure> {
        Ok(self.record(UiAction::Alert(message.to_owned()))?)
    }

    fn cancel(&self, what: &str) -> Result<(), Failure> {
        Ok(self.record(UiAction::Cancel(what.to_ascii_lowercase()))?)
    }

    fn field_ui(&self, field: &str, action: &str, args: &[Value]) -> Result<(), Failure> {
        Ok(self.record(UiAction::FieldCall {
            field: field.to_owned(),
            call: action.to_owned(),
            args: args.iter().map(display).collect(),
        })?)
    }

    fn call(&self, name: &str, args: &[Value]) -> Result<Value, Failure> {
        match self.call_locally(name, args) {
            Some(result) => Ok(result?),
            None => self.inner.call(name, args),
        }
    }

    fn call_in(&self, ctx: &NativeCtx<'_>, name: &str, args: &[Value]) -> Result<Value, Failure> {
        match self.call_locally(name, args) {
            Some(result) => Ok(result?),
            None => self.inner.call_in(ctx, name, args),
        }
    }

    fn value(&self, name: &str) -> Result<Value, Failure> {
        match name
            .strip_prefix("zoho.")
            .and_then(|n| self.system.value(n))
        {
            Some(value) => Ok(value),
            None => self.inner.value(name),
        }
    }

    fn record_field_set(&self, record: &Value, field: &str, value: &Value) -> Result<(), Failure> {
        let Value::Map(map) = record else {
            return self.inner.record_field_set(record, field, value);
        };
        let Some((form, id)) = with_state(self.id, |state| state.record_of(map)) else {
            return self.inner.record_field_set(record, field, value);
        };
        let stamp = self.stamp();
        let mut store = self.store()?;
        Ok(
            records::update(&mut store, &form, &records::by_id(id), field, value, &stamp)
                .map(|_| ())?,
        )
    }

    fn related_field(
        &self,
        record: &Value,
        lookup: &str,
        field: &str,
    ) -> Result<Option<Value>, Failure> {
        let map = match record {
            Value::Map(map) => Some(map.clone()),
            Value::Collection(c) => match &*c.borrow() {
                CollectionData::List(items) => match items.first() {
                    Some(Value::Map(map)) => Some(map.clone()),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        let tracked = map
            .as_ref()
            .and_then(|map| with_state(self.id, |state| state.record_of(map)));
        let (Some(map), Some((form, _))) = (map, tracked) else {
            return self.inner.related_field(record, lookup, field);
        };
        let store = self.store()?;
        let target = match records::form(&store, &form)?.field(lookup).map(|f| &f.kind) {
            Some(super::schema::FieldType::Lookup(target)) => target.clone(),
            _ => return Ok(None),
        };
        let id = map
            .borrow()
            .get(&Value::text(lookup))
            .and_then(super::values::number);
        let Some(id) = id else {
            return Ok(Some(Value::Null));
        };
        let found = records::select(&store, &target, &records::by_id(id), &Order::default())?;
        let related = found.into_iter().next().ok_or_else(|| {
            format!("lookup `{lookup}` of form `{form}` refers to record {id} of `{target}`, which does not exist")
        })?;
        match related
            .into_iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(field))
        {
            Some((_, value)) => Ok(Some(value)),
            None => Err((records::form(&store, &target)?.unknown_field(field)).into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{CreatorHost, CreatorOptions, Outcome};
    use crate::eval::host::NoHost;
    use std::sync::Arc;

    #[test]
    fn an_in_memory_app_is_opened_only_when_a_script_uses_it() {
        let host = CreatorHost::in_memory().unwrap();
        assert!(host.store.get().is_none(), "opened before any use");
        assert_eq!(host.finish(true).unwrap(), Outcome::Committed);
        assert!(host.store.get().is_none(), "finishing opened it");

        let host = CreatorHost::in_memory().unwrap();
        host.seed("Orders", &serde_json::json!({"Qty": 2})).unwrap();
        assert!(host.store.get().is_some());
        assert_eq!(host.field_values("Orders", "Qty").unwrap(), ["2"]);
    }

    #[test]
    fn an_app_file_is_opened_at_once_so_a_bad_path_fails_before_the_run() {
        let options = CreatorOptions {
            database: Some("/nonexistent-folder/app.db".into()),
            ..CreatorOptions::default()
        };
        let error = CreatorHost::open(options, Arc::new(NoHost)).unwrap_err();
        assert!(error.contains("/nonexistent-folder/app.db"), "{error}");
    }
}
