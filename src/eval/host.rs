//! Host hooks: how the engine reaches Zoho Creator, CRM and other products' constructs.
//!
//! deluge-lang runs scripts outside Zoho, so nothing provides `input.Field`, form records,
//! `zoho.crm.*` tasks or mail by default. An embedder implements [`Host`] for the constructs it
//! can serve; every method it does not override fails with a message naming the construct and
//! the product it belongs to.

use crate::eval::value::Value;

/// A Creator record fetch as the host sees it.
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
pub trait Host: Send {
    /// Reads `input.Field`.
    fn input_get(&mut self, field: &str) -> Result<Value, String> {
        Err(no_host(&format!("input.{field}"), Product::Creator))
    }

    /// Writes `input.Field = value`.
    fn input_set(&mut self, field: &str, value: Value) -> Result<(), String> {
        let _ = value;
        Err(no_host(&format!("input.{field}"), Product::Creator))
    }

    /// `Form[criteria]`: the matching records (a LIST of MAPs, or a single MAP).
    fn fetch(&mut self, request: &FetchRequest<'_>) -> Result<Value, String> {
        Err(no_host(
            &format!("{}[criteria]", request.form),
            Product::Creator,
        ))
    }

    /// `delete from Form[criteria]`.
    fn delete(&mut self, request: &FetchRequest<'_>) -> Result<(), String> {
        Err(no_host(
            &format!("delete from {}", request.form),
            Product::Creator,
        ))
    }

    /// `Form[criteria].Field = value;`: sets `field` on every matching record.
    fn update(
        &mut self,
        request: &FetchRequest<'_>,
        field: &str,
        value: Value,
    ) -> Result<(), String> {
        let _ = value;
        Err(no_host(
            &format!("{}[criteria].{field} = ...", request.form),
            Product::Creator,
        ))
    }

    /// `insert into Form [ Field = value ... ]`: returns the new record's ID.
    fn insert(&mut self, form: &str, fields: &[(Box<str>, Value)]) -> Result<Value, String> {
        let _ = fields;
        Err(no_host(&format!("insert into {form}"), Product::Creator))
    }

    /// `hide`, `show`, `enable`, `disable`, `clear` on fields.
    fn form_ui(&mut self, action: &str, fields: &[Box<str>]) -> Result<(), String> {
        let _ = fields;
        Err(no_host(action, Product::Creator))
    }

    /// `alert "text";`
    fn alert(&mut self, message: &str) -> Result<(), String> {
        let _ = message;
        Err(no_host("alert", Product::Creator))
    }

    /// `cancel submit;` / `cancel delete;`
    fn cancel(&mut self, what: &str) -> Result<(), String> {
        Err(no_host(&format!("cancel {what}"), Product::Creator))
    }

    /// `row.Field:ui.add(args);`
    fn field_ui(&mut self, field: &str, action: &str, args: &[Value]) -> Result<(), String> {
        let _ = args;
        Err(no_host(&format!("{field}:{action}"), Product::Creator))
    }

    /// A host task call: `zoho.crm.getRecordById(..)`, `openUrl(..)`, `thisapp.x(..)`.
    fn call(&mut self, name: &str, args: &[Value]) -> Result<Value, String> {
        let _ = args;
        Err(no_host(name, Product::of_task(name)))
    }

    /// A host value: `zoho.appname`, `zoho.adminuserid`, ...
    fn value(&mut self, name: &str) -> Result<Value, String> {
        Err(no_host(name, Product::of_task(name)))
    }

    /// `sendmail [..]` with its parameters (lower-case keys).
    fn send_mail(&mut self, params: &[(Box<str>, Value)]) -> Result<(), String> {
        let _ = params;
        Err(no_host("sendmail", Product::Mail))
    }

    /// `invokeapi [..]` with its parameters (lower-case keys).
    fn invoke_api(&mut self, params: &[(Box<str>, Value)]) -> Result<Value, String> {
        let _ = params;
        Err(no_host("invokeapi", Product::Services))
    }
}

/// The host used when none is registered: every construct fails with a clear message.
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
