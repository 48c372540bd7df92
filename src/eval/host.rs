//! Host hooks: how the engine reaches Zoho Creator, CRM and other products' constructs.
//!
//! deluge-lang runs scripts outside Zoho, so nothing provides `input.Field`, form records,
//! `zoho.crm.*` tasks or mail by default. An embedder implements [`Host`] for the constructs it
//! can serve; every method it does not override fails with a message naming the construct and
//! the product it belongs to.

use crate::eval::value::Value;

/// A Creator record fetch as the host sees it.
///
/// ```
/// use deluge_lang::{Engine, FetchRequest, Host, Value};
/// struct Forms;
/// impl Host for Forms {
///     fn fetch(&self, request: &FetchRequest<'_>) -> Result<Value, String> {
///         Ok(Value::text(format!("{}[{}]", request.form, request.criteria)))
///     }
/// }
/// let mut engine = Engine::new();
/// engine.set_host(Forms);
/// let shown: String = engine.eval("id = 5;\nOrders[ID == id]").unwrap();
/// assert_eq!(shown, "Orders[ID == id]");
/// ```
#[derive(Debug)]
pub struct FetchRequest<'a> {
    /// The form name.
    pub form: &'a str,
    /// The criteria as written (empty for `Form[]`).
    pub criteria: &'a str,
    /// The values of the script variables the criteria mention.
    pub variables: Vec<(&'a str, Value)>,
    /// `sort by` field and descending flag.
    pub sort_by: Option<(&'a str, bool)>,
    /// `range from a to b`.
    pub range: Option<(Value, Value)>,
}

/// The constructs a host provides. All methods have defaults that report "no host".
///
/// An error message returned by a method becomes a runtime error at the construct (catchable by
/// `try/catch`). One engine may run scripts on several threads at once, so methods take `&self`
/// and a host keeps mutable state behind a `Mutex` or atomics.
///
/// ```
/// use deluge_lang::{Engine, Host, Value};
///
/// struct Crm;
///
/// impl Host for Crm {
///     fn call(&self, name: &str, args: &[Value]) -> Result<Value, String> {
///         match name {
///             "zoho.crm.getRecordById" => Ok(Value::from_json(&serde_json::json!({
///                 "id": args.get(1).map(|id| id.to_string()),
///                 "Last_Name": "Lovelace",
///             }))),
///             other => Err(format!("{other} is not available here")),
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
    /// Reads `input.Field`.
    fn input_get(&self, field: &str) -> Result<Value, String> {
        Err(no_host(&format!("input.{field}"), Product::Creator))
    }

    /// Writes `input.Field = value`.
    fn input_set(&self, field: &str, value: Value) -> Result<(), String> {
        let _ = value;
        Err(no_host(&format!("input.{field}"), Product::Creator))
    }

    /// `Form[criteria]`: the matching records (a LIST of MAPs, or a single MAP).
    fn fetch(&self, request: &FetchRequest<'_>) -> Result<Value, String> {
        Err(no_host(
            &format!("{}[criteria]", request.form),
            Product::Creator,
        ))
    }

    /// `delete from Form[criteria]`.
    fn delete(&self, request: &FetchRequest<'_>) -> Result<(), String> {
        Err(no_host(
            &format!("delete from {}", request.form),
            Product::Creator,
        ))
    }

    /// `Form[criteria].Field = value;`: sets `field` on every matching record.
    fn update(&self, request: &FetchRequest<'_>, field: &str, value: Value) -> Result<(), String> {
        let _ = value;
        Err(no_host(
            &format!("{}[criteria].{field} = ...", request.form),
            Product::Creator,
        ))
    }

    /// `insert into Form [ Field = value ... ]`: returns the new record's ID.
    fn insert(&self, form: &str, fields: &[(Box<str>, Value)]) -> Result<Value, String> {
        let _ = fields;
        Err(no_host(&format!("insert into {form}"), Product::Creator))
    }

    /// `hide`, `show`, `enable`, `disable`, `clear` on fields.
    fn form_ui(&self, action: &str, fields: &[Box<str>]) -> Result<(), String> {
        let _ = fields;
        Err(no_host(action, Product::Creator))
    }

    /// `alert "text";`
    fn alert(&self, message: &str) -> Result<(), String> {
        let _ = message;
        Err(no_host("alert", Product::Creator))
    }

    /// `cancel submit;` / `cancel delete;`
    fn cancel(&self, what: &str) -> Result<(), String> {
        Err(no_host(&format!("cancel {what}"), Product::Creator))
    }

    /// `row.Field:ui.add(args);`
    fn field_ui(&self, field: &str, action: &str, args: &[Value]) -> Result<(), String> {
        let _ = args;
        Err(no_host(&format!("{field}:{action}"), Product::Creator))
    }

    /// A host task call: `zoho.crm.getRecordById(..)`, `openUrl(..)`, `thisapp.x(..)`.
    fn call(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        let _ = args;
        Err(no_host(name, Product::of_task(name)))
    }

    /// A host value: `zoho.appname`, `zoho.adminuserid`, ...
    fn value(&self, name: &str) -> Result<Value, String> {
        Err(no_host(name, Product::of_task(name)))
    }

    /// `sendmail [..]` with its parameters (lower-case keys).
    fn send_mail(&self, params: &[(Box<str>, Value)]) -> Result<(), String> {
        let _ = params;
        Err(no_host("sendmail", Product::Mail))
    }

    /// `invokeapi [..]` with its parameters (lower-case keys).
    fn invoke_api(&self, params: &[(Box<str>, Value)]) -> Result<Value, String> {
        let _ = params;
        Err(no_host("invokeapi", Product::Services))
    }
}

/// A host shared with the embedder, who keeps a handle to read what scripts did.
impl<T: Host + ?Sized> Host for std::sync::Arc<T> {
    fn input_get(&self, field: &str) -> Result<Value, String> {
        (**self).input_get(field)
    }

    fn input_set(&self, field: &str, value: Value) -> Result<(), String> {
        (**self).input_set(field, value)
    }

    fn fetch(&self, request: &FetchRequest<'_>) -> Result<Value, String> {
        (**self).fetch(request)
    }

    fn delete(&self, request: &FetchRequest<'_>) -> Result<(), String> {
        (**self).delete(request)
    }

    fn update(&self, request: &FetchRequest<'_>, field: &str, value: Value) -> Result<(), String> {
        (**self).update(request, field, value)
    }

    fn insert(&self, form: &str, fields: &[(Box<str>, Value)]) -> Result<Value, String> {
        (**self).insert(form, fields)
    }

    fn form_ui(&self, action: &str, fields: &[Box<str>]) -> Result<(), String> {
        (**self).form_ui(action, fields)
    }

    fn alert(&self, message: &str) -> Result<(), String> {
        (**self).alert(message)
    }

    fn cancel(&self, what: &str) -> Result<(), String> {
        (**self).cancel(what)
    }

    fn field_ui(&self, field: &str, action: &str, args: &[Value]) -> Result<(), String> {
        (**self).field_ui(field, action, args)
    }

    fn call(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        (**self).call(name, args)
    }

    fn value(&self, name: &str) -> Result<Value, String> {
        (**self).value(name)
    }

    fn send_mail(&self, params: &[(Box<str>, Value)]) -> Result<(), String> {
        (**self).send_mail(params)
    }

    fn invoke_api(&self, params: &[(Box<str>, Value)]) -> Result<Value, String> {
        (**self).invoke_api(params)
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
