//! Task signatures and argument checking (zoho-tasks.md §1.1 step 1, §1.2 positional rule).
//!
//! Every task takes an optional connection link name as its last parameter. A TEXT given as
//! the last argument in a slot that expects a MAP or a NUMBER is that connection too, as
//! real scripts write `zoho.crm.getRecordById("Contacts", id, "crm_connection")`.

use crate::eval::value::{CollectionData, Value};

/// The type a parameter accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// TEXT.
    Text,
    /// An ID: NUMBER or TEXT (written in decimal).
    Id,
    /// A MAP (KEY-VALUE).
    Map,
    /// A LIST.
    List,
    /// A MAP or a LIST.
    MapOrList,
    /// A MAP or a TEXT (Books' `search`).
    MapOrText,
    /// A NUMBER (or TEXT holding one).
    Number,
    /// A FILE.
    File,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Text => "TEXT",
            Kind::Id => "NUMBER|TEXT",
            Kind::Map => "MAP",
            Kind::List => "LIST",
            Kind::MapOrList => "MAP|LIST",
            Kind::MapOrText => "MAP|TEXT",
            Kind::Number => "NUMBER",
            Kind::File => "FILE",
        }
    }

    fn accepts(self, value: &Value) -> bool {
        let is_map = is_map(value);
        let is_list = is_list(value);
        match self {
            Kind::Text => matches!(value, Value::Text(_)),
            Kind::Id => matches!(value, Value::Text(_) | Value::Number(_) | Value::Decimal(_)),
            Kind::Map => is_map,
            Kind::List => is_list,
            Kind::MapOrList => is_map || is_list,
            Kind::MapOrText => is_map || matches!(value, Value::Text(_)),
            Kind::Number => match value {
                Value::Number(_) => true,
                Value::Decimal(d) => d.fract().is_zero(),
                Value::Text(t) => t.as_str().trim().parse::<i64>().is_ok(),
                _ => false,
            },
            Kind::File => matches!(value, Value::File(_)),
        }
    }

    /// Whether a TEXT in this slot, given last, is the connection instead.
    fn yields_to_connection(self) -> bool {
        matches!(
            self,
            Kind::Map | Kind::Number | Kind::List | Kind::MapOrList
        )
    }
}

fn is_map(value: &Value) -> bool {
    match value {
        Value::Map(_) => true,
        Value::Collection(c) => {
            matches!(&*c.borrow(), CollectionData::Map(_) | CollectionData::Empty)
        }
        _ => false,
    }
}

fn is_list(value: &Value) -> bool {
    match value {
        Value::List(_) => true,
        Value::Collection(c) => matches!(
            &*c.borrow(),
            CollectionData::List(_) | CollectionData::Empty
        ),
        _ => false,
    }
}

/// One parameter: name, type, and whether it may be left out.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    /// The name Zoho's documentation gives it.
    pub name: &'static str,
    /// What it accepts.
    pub kind: Kind,
    /// True when it may be left out.
    pub optional: bool,
}

/// A required parameter.
pub const fn req(name: &'static str, kind: Kind) -> Param {
    Param {
        name,
        kind,
        optional: false,
    }
}

/// An optional parameter.
pub const fn opt(name: &'static str, kind: Kind) -> Param {
    Param {
        name,
        kind,
        optional: true,
    }
}

/// A task's name (as Zoho spells it) and parameters, without the trailing connection.
#[derive(Clone, Copy, Debug)]
pub struct Signature {
    /// The name after the product prefix, e.g. `getRecordById`.
    pub name: &'static str,
    /// The parameters before the connection.
    pub params: &'static [Param],
}

impl Signature {
    /// `zoho.crm.getRecordById(module TEXT, record_id NUMBER|TEXT, [query_value MAP], [connection TEXT])`
    /// for `full_name` `zoho.crm.getRecordById`.
    pub fn describe(&self, full_name: &str) -> String {
        let mut parts: Vec<String> = self
            .params
            .iter()
            .map(|p| {
                let text = format!("{} {}", p.name, p.kind.label());
                if p.optional {
                    format!("[{text}]")
                } else {
                    text
                }
            })
            .collect();
        parts.push("[connection TEXT]".into());
        format!("{full_name}({})", parts.join(", "))
    }

    /// Checks `args` of task `full_name` against the signature and splits off the connection.
    pub fn bind<'a>(&self, full_name: &str, args: &'a [Value]) -> Result<Bound<'a>, String> {
        let fail =
            |what: String| format!("{full_name}: {what}; usage: {}", self.describe(full_name));
        let total = self.params.len();
        let mut given = args.len();
        let mut connection = None;
        if given == total + 1 {
            match &args[total] {
                Value::Text(t) => connection = Some(t.as_str().trim().to_owned()),
                other => {
                    return Err(fail(format!(
                        "the connection (last argument) must be TEXT, not {}",
                        other.value_type().name()
                    )))
                }
            }
            given = total;
        } else if given > total + 1 {
            return Err(fail(format!(
                "takes at most {} arguments, got {given}",
                total + 1
            )));
        } else if let (Some(Value::Text(t)), Some(param)) =
            (args.last(), self.params.get(given.wrapping_sub(1)))
        {
            let numeric = t.as_str().trim().parse::<i64>().is_ok();
            if given > 0
                && param.kind.yields_to_connection()
                && !(param.kind == Kind::Number && numeric)
            {
                connection = Some(t.as_str().trim().to_owned());
                given -= 1;
            }
        }
        let required = self.params.iter().filter(|p| !p.optional).count();
        if given < required {
            return Err(fail(format!(
                "needs at least {required} arguments, got {}",
                args.len()
            )));
        }
        let mut values = Vec::with_capacity(total);
        for (index, param) in self.params.iter().enumerate() {
            let value = args[..given].get(index).filter(|v| !v.is_null());
            if let Some(value) = value {
                if !param.kind.accepts(value) {
                    return Err(fail(format!(
                        "argument {} ({}) must be {}, not {}",
                        index + 1,
                        param.name,
                        param.kind.label(),
                        value.value_type().name()
                    )));
                }
            } else if !param.optional {
                return Err(fail(format!(
                    "argument {} ({}) is null",
                    index + 1,
                    param.name
                )));
            }
            values.push(value);
        }
        Ok(Bound { values, connection })
    }
}

/// Checked arguments, by parameter position.
#[derive(Debug)]
pub struct Bound<'a> {
    values: Vec<Option<&'a Value>>,
    /// The connection link name the script gave, if any.
    pub connection: Option<String>,
}

impl<'a> Bound<'a> {
    /// The value at `index`, `None` when left out or null.
    pub fn value(&self, index: usize) -> Option<&'a Value> {
        self.values.get(index).copied().flatten()
    }

    /// The TEXT at `index` (empty when left out).
    pub fn text(&self, index: usize) -> String {
        match self.value(index) {
            Some(Value::Text(t)) => t.as_str().to_owned(),
            Some(other) => id_text(other),
            None => String::new(),
        }
    }

    /// The value at `index`, or an empty KEY-VALUE when left out (a record or body to send).
    pub fn map(&self, index: usize) -> Value {
        self.value(index).cloned().unwrap_or_else(Value::new_map)
    }

    /// The NUMBER at `index`, or `default` when left out.
    pub fn number(&self, index: usize, default: i64) -> i64 {
        match self.value(index) {
            Some(Value::Number(n)) => *n,
            Some(Value::Decimal(d)) => d.trunc().to_string().parse().unwrap_or(default),
            Some(Value::Text(t)) => t.as_str().trim().parse().unwrap_or(default),
            _ => default,
        }
    }
}

/// An ID or other scalar written as Zoho expects it in paths and queries: decimal digits for
/// numbers, text as it is.
pub fn id_text(value: &Value) -> String {
    match value {
        Value::Text(t) => t.as_str().trim().to_owned(),
        Value::Number(n) => n.to_string(),
        Value::Decimal(d) if d.fract().is_zero() => d.trunc().to_string(),
        other => crate::eval::render::display(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GET: Signature = Signature {
        name: "getRecordById",
        params: &[
            req("module", Kind::Text),
            req("record_id", Kind::Id),
            opt("query_value", Kind::Map),
        ],
    };

    #[test]
    fn a_text_in_a_map_slot_given_last_is_the_connection() {
        let args = [Value::text("Leads"), Value::Number(5), Value::text("crm")];
        let bound = GET.bind("zoho.crm.getRecordById", &args).unwrap();
        assert_eq!(bound.connection.as_deref(), Some("crm"));
        assert!(bound.value(2).is_none());
        assert_eq!(bound.text(1), "5");
    }

    #[test]
    fn a_numeric_text_in_a_number_slot_stays_an_argument() {
        const SEARCH: Signature = Signature {
            name: "searchRecords",
            params: &[
                req("module", Kind::Text),
                req("criteria", Kind::Text),
                opt("page", Kind::Number),
            ],
        };
        let args = [
            Value::text("Leads"),
            Value::text("(a:equals:b)"),
            Value::text("2"),
        ];
        let bound = SEARCH.bind("zoho.crm.searchRecords", &args).unwrap();
        assert_eq!((bound.connection.as_deref(), bound.number(2, 1)), (None, 2));
    }

    #[test]
    fn wrong_arguments_name_the_task_and_its_signature() {
        let usage = "usage: zoho.crm.getRecordById(module TEXT, record_id NUMBER|TEXT, [query_value MAP], [connection TEXT])";
        assert_eq!(
            GET.bind("zoho.crm.getRecordById", &[Value::text("Leads")])
                .unwrap_err(),
            format!("zoho.crm.getRecordById: needs at least 2 arguments, got 1; {usage}")
        );
        assert_eq!(
            GET.bind("zoho.crm.getRecordById", &[Value::text("Leads"), Value::Bool(true)]).unwrap_err(),
            format!("zoho.crm.getRecordById: argument 2 (record_id) must be NUMBER|TEXT, not BOOLEAN; {usage}")
        );
    }
}
