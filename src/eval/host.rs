//! Host hooks: how the engine reaches Zoho Creator, CRM and other products' constructs.
//!
//! deluge-lang runs scripts outside Zoho, so nothing provides `input.Field`, form records,
//! `zoho.crm.*` tasks or mail by default. An embedder implements [`Host`] for the constructs it
//! can serve; every method it does not override fails with a message naming the construct and
//! the product it belongs to. A host that wraps another (a layer) names it in [`Host::inner`],
//! and every hook it does not override goes there.

use crate::eval::context::NativeCtx;
use crate::eval::failure::Failure;
use crate::eval::value::Value;

/// A Creator record fetch as the host sees it.
///
/// ```
/// use deluge_lang::{Failure, Engine, FetchRequest, Host, Value};
/// struct Forms;
/// impl Host for Forms {
///     fn fetch(&self, request: &FetchRequest<'_>) -> Result<Value, Failure> {
///         Ok(Value::text(format!("{}[{}]", request.form(), request.criteria())))
///     }
/// }
/// let mut engine = Engine::new();
/// engine.set_host(Forms);
/// let shown: String = engine.eval("id = 5;\nOrders[ID == id]").unwrap();
/// assert_eq!(shown, "Orders[ID == id]");
/// ```
#[derive(Debug)]
pub struct FetchRequest<'a> {
    pub(crate) form: &'a str,
    pub(crate) criteria: &'a str,
    pub(crate) variables: Vec<(&'a str, Value)>,
    pub(crate) sort_by: Option<(&'a str, bool)>,
    pub(crate) range: Option<(Value, Value)>,
}

impl<'a> FetchRequest<'a> {
    /// The form name.
    pub fn form(&self) -> &'a str {
        self.form
    }

    /// The criteria as written (empty for `Form[]`).
    pub fn criteria(&self) -> &'a str {
        self.criteria
    }

    /// The values of the script variables the criteria mention.
    pub fn variables(&self) -> &[(&'a str, Value)] {
        &self.variables
    }

    /// `sort by` field and descending flag.
    pub fn sort_by(&self) -> Option<(&'a str, bool)> {
        self.sort_by
    }

    /// `range from a to b`.
    pub fn range(&self) -> Option<&(Value, Value)> {
        self.range.as_ref()
    }
}

/// The constructs a host provides. All methods have defaults that report "no host".
///
/// A [`Failure`] returned by a method becomes a runtime error at the construct (catchable by
/// `try/catch`, except a failure of kind [`Interrupted`](crate::ErrorKind::Interrupted)). A plain
/// message (`Err("...".into())`, `Err(format!(..).into())`) is an
/// [`ErrorKind::Host`](crate::ErrorKind::Host) error; a failure built with another kind
/// ([`Failure::new`], [`Failure::caused_by`]) keeps its kind and cause to the run's
/// [`Error`](crate::Error). One engine may run scripts on several threads at once, so methods take `&self`
/// and a host keeps mutable state behind a `Mutex` or atomics.
///
/// ```
/// use deluge_lang::{Failure, Engine, Host, Value};
///
/// struct Crm;
///
/// impl Host for Crm {
///     fn call(&self, name: &str, args: &[Value]) -> Result<Value, Failure> {
///         match name {
///             "zoho.crm.getRecordById" => Ok(Value::from_json(&serde_json::json!({
///                 "id": args.get(1).map(|id| id.to_string()),
///                 "Last_Name": "Lovelace",
///             }))),
///             other => Err(format!("{other} is not available here").into()),
///         }
///     }
/// }
///
/// let mut engine = Engine::new();
/// engine.set_host(Crm);
/// let name: String = engine
///     .eval(r#"zoho.crm.getRecordById("Leads", 42).get("Last_Name")"#)
///     .unwrap();
/// assert_eq!(name, "Lovelace");
/// ```
pub trait Host: Send + Sync {
    /// The host this one wraps, when it is a layer (the mail, Zoho and Creator hosts): every
    /// hook the layer does not override goes to it, so a layer implements this and only the
    /// hooks it serves, and a hook added to `Host` reaches the inner host without changing
    /// any layer. `None` (the default): the hooks not overridden report "no host".
    ///
    /// ```
    /// use std::sync::Arc;
    /// use deluge_lang::{Failure, Engine, Host, Value};
    /// struct Crm;
    /// impl Host for Crm {
    ///     fn call(&self, name: &str, _: &[Value]) -> Result<Value, Failure> {
    ///         Ok(Value::text(format!("CRM ran {name}")))
    ///     }
    /// }
    /// /// Answers `zoho.orgname` and hands every other hook to the host below.
    /// struct Org(Arc<dyn Host>);
    /// impl Host for Org {
    ///     fn inner(&self) -> Option<&dyn Host> {
    ///         Some(&*self.0)
    ///     }
    ///     fn value(&self, name: &str) -> Result<Value, Failure> {
    ///         Ok(Value::text(format!("{name}: Acme")))
    ///     }
    /// }
    /// let mut engine = Engine::new();
    /// engine.set_host(Org(Arc::new(Crm)));
    /// assert_eq!(engine.eval::<String>("zoho.orgname").unwrap(), "zoho.orgname: Acme");
    /// let ran: String = engine.eval("zoho.crm.getRecords(\"Leads\")").unwrap();
    /// assert_eq!(ran, "CRM ran zoho.crm.getRecords");
    /// ```
    fn inner(&self) -> Option<&dyn Host> {
        None
    }

    /// Reads `input.Field`.
    ///
    /// ```
    /// use deluge_lang::{Failure, Engine, FetchRequest, Host, Value};
    /// struct Form;
    /// impl Host for Form {
    ///     fn input_get(&self, field: &str) -> Result<Value, Failure> {
    ///         Ok(Value::text(format!("<{field}>")))
    ///     }
    /// }
    /// let mut engine = Engine::new();
    /// engine.set_host(Form);
    /// assert_eq!(engine.eval::<String>("input.Name").unwrap(), "<Name>");
    /// ```
    fn input_get(&self, field: &str) -> Result<Value, Failure> {
        match self.inner() {
            Some(inner) => inner.input_get(field),
            None => Err((no_host(&format!("input.{field}"), Product::Creator)).into()),
        }
    }

    /// Writes `input.Field = value`.
    ///
    /// ```
    /// use deluge_lang::{Failure, Engine, FetchRequest, Host, Value};
    /// struct Form;
    /// impl Host for Form {
    ///     fn input_set(&self, field: &str, value: Value) -> Result<(), Failure> {
    ///         assert_eq!((field, value.to_string().as_str()), ("Total", "42"));
    ///         Ok(())
    ///     }
    /// }
    /// let mut engine = Engine::new();
    /// engine.set_host(Form);
    /// engine.run("input.Total = 42;").unwrap();
    /// ```
    fn input_set(&self, field: &str, value: Value) -> Result<(), Failure> {
        match self.inner() {
            Some(inner) => inner.input_set(field, value),
            None => Err((no_host(&format!("input.{field}"), Product::Creator)).into()),
        }
    }

    /// `Form[criteria]`: the matching records (a LIST of MAPs, or a single MAP).
    ///
    /// ```
    /// use deluge_lang::{Failure, Engine, FetchRequest, Host, Value};
    /// struct Forms;
    /// impl Host for Forms {
    ///     fn fetch(&self, request: &FetchRequest<'_>) -> Result<Value, Failure> {
    ///         Ok(Value::from(vec![request.form().to_owned()]))
    ///     }
    /// }
    /// let mut engine = Engine::new();
    /// engine.set_host(Forms);
    /// assert_eq!(engine.eval::<Vec<String>>("Orders[ID > 1]").unwrap(), ["Orders"]);
    /// ```
    fn fetch(&self, request: &FetchRequest<'_>) -> Result<Value, Failure> {
        match self.inner() {
            Some(inner) => inner.fetch(request),
            None => Err((no_host(
                &format!("{}[criteria]", request.form),
                Product::Creator,
            )).into()),
        }
    }

    /// `delete from Form[criteria]`.
    ///
    /// ```
    /// use deluge_lang::{Failure, Engine, FetchRequest, Host, Value};
    /// struct Forms;
    /// impl Host for Forms {
    ///     fn delete(&self, request: &FetchRequest<'_>) -> Result<(), Failure> {
    ///         assert_eq!((request.form(), request.criteria()), ("Orders", "ID == 3"));
    ///         Ok(())
    ///     }
    /// }
    /// let mut engine = Engine::new();
    /// engine.set_host(Forms);
    /// engine.run("delete from Orders[ID == 3];").unwrap();
    /// ```
    fn delete(&self, request: &FetchRequest<'_>) -> Result<(), Failure> {
        match self.inner() {
            Some(inner) => inner.delete(request),
            None => Err((no_host(
                &format!("delete from {}", request.form),
                Product::Creator,
            )).into()),
        }
    }

    /// `Form[criteria].Field = value;`: sets `field` on every matching record.
    ///
    /// ```
    /// use deluge_lang::{Failure, Engine, FetchRequest, Host, Value};
    /// struct Forms;
    /// impl Host for Forms {
    ///     fn update(&self, request: &FetchRequest<'_>, field: &str, value: Value) -> Result<(), Failure> {
    ///         assert_eq!((request.form(), field, value.to_string().as_str()), ("Orders", "Status", "Paid"));
    ///         Ok(())
    ///     }
    /// }
    /// let mut engine = Engine::new();
    /// engine.set_host(Forms);
    /// engine.run("Orders[ID == 3].Status = \"Paid\";").unwrap();
    /// ```
    fn update(&self, request: &FetchRequest<'_>, field: &str, value: Value) -> Result<(), Failure> {
        match self.inner() {
            Some(inner) => inner.update(request, field, value),
            None => Err((no_host(
                &format!("{}[criteria].{field} = ...", request.form),
                Product::Creator,
            )).into()),
        }
    }

    /// `insert into Form [ Field = value ... ]`: returns the new record's ID.
    ///
    /// ```
    /// use deluge_lang::{Failure, Engine, FetchRequest, Host, Value};
    /// struct Forms;
    /// impl Host for Forms {
    ///     fn insert(&self, form: &str, fields: &[(Box<str>, Value)]) -> Result<Value, Failure> {
    ///         Ok(Value::text(format!("{form}-{}", fields.len())))
    ///     }
    /// }
    /// let mut engine = Engine::new();
    /// engine.set_host(Forms);
    /// let id: String = engine.eval("insert into Orders [ Item = \"pen\" Qty = 2 ]").unwrap();
    /// assert_eq!(id, "Orders-2");
    /// ```
    fn insert(&self, form: &str, fields: &[(Box<str>, Value)]) -> Result<Value, Failure> {
        match self.inner() {
            Some(inner) => inner.insert(form, fields),
            None => Err((no_host(&format!("insert into {form}"), Product::Creator)).into()),
        }
    }

    /// `hide`, `show`, `enable`, `disable`, `clear` on fields.
    ///
    /// ```
    /// use deluge_lang::{Failure, Engine, FetchRequest, Host, Value};
    /// struct Ui;
    /// impl Host for Ui {
    ///     fn form_ui(&self, action: &str, fields: &[Box<str>]) -> Result<(), Failure> {
    ///         assert_eq!((action, fields.len()), ("hide", 2));
    ///         Ok(())
    ///     }
    /// }
    /// let mut engine = Engine::new();
    /// engine.set_host(Ui);
    /// engine.run("hide Discount, Notes;").unwrap();
    /// ```
    fn form_ui(&self, action: &str, fields: &[Box<str>]) -> Result<(), Failure> {
        match self.inner() {
            Some(inner) => inner.form_ui(action, fields),
            None => Err((no_host(action, Product::Creator)).into()),
        }
    }

    /// `alert "text";`
    ///
    /// ```
    /// use deluge_lang::{Failure, Engine, FetchRequest, Host, Value};
    /// struct Ui;
    /// impl Host for Ui {
    ///     fn alert(&self, message: &str) -> Result<(), Failure> {
    ///         assert_eq!(message, "Saved");
    ///         Ok(())
    ///     }
    /// }
    /// let mut engine = Engine::new();
    /// engine.set_host(Ui);
    /// engine.run("alert \"Saved\";").unwrap();
    /// ```
    fn alert(&self, message: &str) -> Result<(), Failure> {
        match self.inner() {
            Some(inner) => inner.alert(message),
            None => Err((no_host("alert", Product::Creator)).into()),
        }
    }

    /// `cancel submit;` / `cancel delete;`
    ///
    /// ```
    /// use deluge_lang::{Failure, Engine, FetchRequest, Host, Value};
    /// struct Ui;
    /// impl Host for Ui {
    ///     fn cancel(&self, what: &str) -> Result<(), Failure> {
    ///         assert_eq!(what, "submit");
    ///         Ok(())
    ///     }
    /// }
    /// let mut engine = Engine::new();
    /// engine.set_host(Ui);
    /// engine.run("cancel submit;").unwrap();
    /// ```
    fn cancel(&self, what: &str) -> Result<(), Failure> {
        match self.inner() {
            Some(inner) => inner.cancel(what),
            None => Err((no_host(&format!("cancel {what}"), Product::Creator)).into()),
        }
    }

    /// `row.Field:ui.add(args);`
    ///
    /// ```
    /// use deluge_lang::{Failure, Engine, FetchRequest, Host, Value};
    /// struct Ui;
    /// impl Host for Ui {
    ///     fn field_ui(&self, field: &str, action: &str, args: &[Value]) -> Result<(), Failure> {
    ///         assert_eq!((field, action, args.len()), ("Country", "ui.add", 1));
    ///         Ok(())
    ///     }
    /// }
    /// let mut engine = Engine::new();
    /// engine.set_host(Ui);
    /// engine.run("Country:ui.add(\"India\");").unwrap();
    /// ```
    fn field_ui(&self, field: &str, action: &str, args: &[Value]) -> Result<(), Failure> {
        match self.inner() {
            Some(inner) => inner.field_ui(field, action, args),
            None => Err((no_host(&format!("{field}:{action}"), Product::Creator)).into()),
        }
    }

    /// A host task call: `zoho.crm.getRecordById(..)`, `openUrl(..)`, `thisapp.x(..)`.
    ///
    /// ```
    /// use deluge_lang::{Failure, Engine, FetchRequest, Host, Value};
    /// struct Crm;
    /// impl Host for Crm {
    ///     fn call(&self, name: &str, args: &[Value]) -> Result<Value, Failure> {
    ///         Ok(Value::text(format!("{name}/{}", args.len())))
    ///     }
    /// }
    /// let mut engine = Engine::new();
    /// engine.set_host(Crm);
    /// let shown: String = engine.eval("zoho.crm.searchRecords(\"Leads\", \"(x:equals:1)\")").unwrap();
    /// assert_eq!(shown, "zoho.crm.searchRecords/2");
    /// ```
    fn call(&self, name: &str, args: &[Value]) -> Result<Value, Failure> {
        match self.inner() {
            Some(inner) => inner.call(name, args),
            None => Err((no_host(name, Product::of_task(name))).into()),
        }
    }

    /// A host task call with the run's context: its environment (transport, connection
    /// store, limits, settings) and Ctrl-C flag. The engine calls this; the default hands it
    /// to the inner host's `call_in` in a layer (keeping the context), and to [`Host::call`]
    /// otherwise. Hosts that send requests (the Zoho host) override it; a layer that serves
    /// tasks overrides this one rather than `call` (`tests/host_layers.rs` checks every
    /// built-in layer passes each hook on).
    ///
    /// ```
    /// use deluge_lang::{Failure, Engine, Host, Value};
    /// use deluge_lang::NativeCtx;
    /// struct Zone;
    /// impl Host for Zone {
    ///     fn call_in(&self, ctx: &NativeCtx<'_>, _: &str, _: &[Value]) -> Result<Value, Failure> {
    ///         Ok(Value::text(ctx.env().time_zone.iana_name().unwrap_or("?")))
    ///     }
    /// }
    /// let mut engine = Engine::new();
    /// engine.env_mut().time_zone = jiff::tz::TimeZone::UTC;
    /// engine.set_host(Zone);
    /// assert_eq!(engine.eval::<String>("zoho.crm.getRecords(\"Leads\")").unwrap(), "UTC");
    /// ```
    fn call_in(&self, ctx: &NativeCtx<'_>, name: &str, args: &[Value]) -> Result<Value, Failure> {
        match self.inner() {
            Some(inner) => inner.call_in(ctx, name, args),
            None => self.call(name, args),
        }
    }

    /// A host value: a `zoho.*` value that neither a built-in nor `RunEnv::system_vars`
    /// provides (`zoho.orgname`), or a `thisapp.*` value.
    ///
    /// ```
    /// use deluge_lang::{Failure, Engine, FetchRequest, Host, Value};
    /// struct App;
    /// impl Host for App {
    ///     fn value(&self, name: &str) -> Result<Value, Failure> {
    ///         Ok(Value::text(format!("value of {name}")))
    ///     }
    /// }
    /// let mut engine = Engine::new();
    /// engine.set_host(App);
    /// assert_eq!(engine.eval::<String>("zoho.orgname").unwrap(), "value of zoho.orgname");
    /// ```
    fn value(&self, name: &str) -> Result<Value, Failure> {
        match self.inner() {
            Some(inner) => inner.value(name),
            None => Err((no_host(name, Product::of_task(name))).into()),
        }
    }

    /// `record.Field = value` on a KEY-VALUE the script holds: called after the map changed, so a
    /// host can persist a field of a record it returned from [`Host::fetch`] (Creator's "update
    /// record" task). `record` is the map itself; hosts compare it by identity. The default
    /// passes it to the inner host in a layer (so records fetched through the inner host are
    /// saved) and does nothing otherwise.
    ///
    /// ```
    /// use deluge_lang::{Failure, Engine, Host, Value};
    /// struct Records;
    /// impl Host for Records {
    ///     fn record_field_set(&self, _: &Value, field: &str, value: &Value) -> Result<(), Failure> {
    ///         Err(format!("{field} := {value} refused").into())
    ///     }
    /// }
    /// let mut engine = Engine::new();
    /// engine.set_host(Records);
    /// let err = engine.run("m = Map();\nm.Status = \"Paid\";").unwrap_err();
    /// assert_eq!(err.message(), "Status := Paid refused");
    /// ```
    fn record_field_set(&self, record: &Value, field: &str, value: &Value) -> Result<(), Failure> {
        match self.inner() {
            Some(inner) => inner.record_field_set(record, field, value),
            None => Ok(()),
        }
    }

    /// `rec.Lookup.Field`: a field of the record that lookup field `lookup` of `record` (a
    /// KEY-VALUE a script variable holds) refers to. `Ok(None)` means the host does not know the
    /// record, and reading a field of an ID stays an error; it is the default, after the inner
    /// host in a layer.
    ///
    /// ```
    /// use deluge_lang::{Failure, Engine, Host, Value};
    /// struct Related;
    /// impl Host for Related {
    ///     fn related_field(&self, _: &Value, lookup: &str, field: &str) -> Result<Option<Value>, Failure> {
    ///         Ok(Some(Value::text(format!("{field} of {lookup}"))))
    ///     }
    /// }
    /// let mut engine = Engine::new();
    /// engine.set_host(Related);
    /// let output = deluge_lang::CaptureOutput::new();
    /// engine.set_output(output.clone());
    /// engine.run("rec = {\"Customer\": 7};\ninfo rec.Customer.Name;").unwrap();
    /// assert_eq!(output.text(), "Name of Customer\n");
    /// ```
    fn related_field(
        &self,
        record: &Value,
        lookup: &str,
        field: &str,
    ) -> Result<Option<Value>, Failure> {
        match self.inner() {
            Some(inner) => inner.related_field(record, lookup, field),
            None => Ok(None),
        }
    }

    /// `sendmail [..]` with its parameters (lower-case keys).
    ///
    /// ```
    /// use deluge_lang::{Failure, Engine, FetchRequest, Host, Value};
    /// struct Mail;
    /// impl Host for Mail {
    ///     fn send_mail(&self, params: &[(Box<str>, Value)]) -> Result<(), Failure> {
    ///         let keys: Vec<&str> = params.iter().map(|(k, _)| &**k).collect();
    ///         assert_eq!(keys, ["to", "subject", "message"]);
    ///         Ok(())
    ///     }
    /// }
    /// let mut engine = Engine::new();
    /// engine.set_host(Mail);
    /// engine.run("sendmail [ To: \"a@example.com\" Subject: \"Hi\" Message: \"Hello\" ]").unwrap();
    /// ```
    fn send_mail(&self, params: &[(Box<str>, Value)]) -> Result<(), Failure> {
        match self.inner() {
            Some(inner) => inner.send_mail(params),
            None => Err((no_host("sendmail", Product::Mail)).into()),
        }
    }

    /// `invokeapi [..]` with its parameters (lower-case keys).
    ///
    /// ```
    /// use deluge_lang::{Failure, Engine, FetchRequest, Host, Value};
    /// struct Services;
    /// impl Host for Services {
    ///     fn invoke_api(&self, params: &[(Box<str>, Value)]) -> Result<Value, Failure> {
    ///         Ok(Value::text(params[0].0.to_string()))
    ///     }
    /// }
    /// let mut engine = Engine::new();
    /// engine.set_host(Services);
    /// let first: String = engine
    ///     .eval("invokeapi [ service: ZOHODESK path: \"/api/v1/tickets\" type: GET ]")
    ///     .unwrap();
    /// assert_eq!(first, "service");
    /// ```
    fn invoke_api(&self, params: &[(Box<str>, Value)]) -> Result<Value, Failure> {
        match self.inner() {
            Some(inner) => inner.invoke_api(params),
            None => Err((no_host("invokeapi", Product::Services)).into()),
        }
    }
}

/// A host shared with the embedder, who keeps a handle to read what scripts did: a layer
/// that adds nothing, so every hook reaches the shared host.
impl<T: Host> Host for std::sync::Arc<T> {
    fn inner(&self) -> Option<&dyn Host> {
        Some(&**self)
    }
}

/// A shared host of any type (what the layers hold): every hook reaches it.
impl Host for std::sync::Arc<dyn Host> {
    fn inner(&self) -> Option<&dyn Host> {
        Some(&**self)
    }
}

/// The host used when none is registered: every construct fails with a clear message.
///
/// ```
/// let mut engine = deluge_lang::Engine::new();
/// engine.set_host(deluge_lang::NoHost); // the default
/// let err = engine.run("zoho.crm.getRecordById(\"Leads\", 1);").unwrap_err();
/// assert!(err.message().contains("no CRM host is connected"));
/// ```
#[derive(Debug, Default)]
pub struct NoHost;

impl Host for NoHost {}

/// The Zoho products host constructs belong to, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Product {
    /// Zoho Creator (forms, records, UI statements).
    Creator,
    /// Zoho CRM.
    Crm,
    /// A named Zoho product (`zoho.books`, `zoho.desk`, ...).
    Named(&'static str),
    /// Mail delivery (`sendmail`).
    Mail,
    /// Zoho's service integrations (`invokeapi`).
    Services,
    /// A Zoho system value or an unknown `zoho.*` name.
    Zoho,
}

impl Product {
    /// The product a `zoho.<product>.task` name belongs to.
    pub fn of_task(name: &str) -> Product {
        let lower = name.to_ascii_lowercase();
        let mut parts = lower.split('.');
        let head = parts.next().unwrap_or("");
        let second = parts.next().unwrap_or("");
        match (head, second) {
            ("zoho", "crm") => Product::Crm,
            ("zoho", "creator") | ("thisapp", _) | ("openurl", _) => Product::Creator,
            ("zoho", product) => match KNOWN_PRODUCTS.iter().find(|(key, _)| *key == product) {
                Some((_, label)) => Product::Named(label),
                None => Product::Zoho,
            },
            _ => Product::Zoho,
        }
    }

    fn describe(self, construct: &str) -> String {
        match self {
            Product::Creator => format!(
                "`{construct}` is a Zoho Creator construct; no Creator host is connected to this run"
            ),
            Product::Crm => format!(
                "`{construct}` is a Zoho CRM task; no CRM host is connected to this run"
            ),
            Product::Named(label) => format!(
                "`{construct}` is a {label} task; no {label} host is connected to this run"
            ),
            Product::Mail => format!(
                "`{construct}` sends mail through Zoho; no mail host is connected to this run"
            ),
            Product::Services => format!(
                "`{construct}` calls a Zoho service integration; no host is connected to this run"
            ),
            Product::Zoho => format!(
                "`{construct}` is provided by the Zoho platform; no host is connected to this run"
            ),
        }
    }
}

const KNOWN_PRODUCTS: &[(&str, &str)] = &[
    ("books", "Zoho Books"),
    ("desk", "Zoho Desk"),
    ("inventory", "Zoho Inventory"),
    ("invoice", "Zoho Invoice"),
    ("billing", "Zoho Billing"),
    ("subscriptions", "Zoho Subscriptions"),
    ("projects", "Zoho Projects"),
    ("people", "Zoho People"),
    ("recruit", "Zoho Recruit"),
    ("workdrive", "Zoho WorkDrive"),
    ("writer", "Zoho Writer"),
    ("sign", "Zoho Sign"),
    ("cliq", "Zoho Cliq"),
    ("sheet", "Zoho Sheet"),
    ("mail", "Zoho Mail"),
    ("campaigns", "Zoho Campaigns"),
    ("salesiq", "Zoho SalesIQ"),
    ("bigin", "Bigin"),
    ("expense", "Zoho Expense"),
    ("analytics", "Zoho Analytics"),
];

/// The message for a construct that needs a host none provides.
pub fn no_host(construct: &str, product: Product) -> String {
    format!(
        "{} (deluge-lang runs scripts outside Zoho; embed the engine and register a host to provide it)",
        product.describe(construct)
    )
}
