//! Form definitions: each form's fields and their Creator field types, declared by a `.ds`
//! export or inferred from the first value a field receives.

use crate::eval::value::{CollectionData, Value};

/// The system fields every record has, in the order records show them.
pub const SYSTEM_FIELDS: [&str; 5] = [
    "ID",
    "Added_User",
    "Added_Time",
    "Modified_User",
    "Modified_Time",
];

/// How a field stores its value (Creator's field types, grouped by the value they hold).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// Single line, multi line, email, URL, phone, drop-down, radio, rich text: TEXT.
    Text,
    /// Number and auto number: NUMBER.
    Number,
    /// Decimal, currency, percent: DECIMAL (kept with its scale).
    Decimal,
    /// Date: a DATE.
    Date,
    /// Date-time: a DATE-TIME.
    DateTime,
    /// Decision box: BOOLEAN.
    Boolean,
    /// Multi select and checkboxes: a LIST of TEXT.
    MultiSelect,
    /// A lookup: holds the ID of a record of the named form.
    Lookup(String),
    /// A subform: a LIST of rows (records with their own ID).
    Subform(String),
    /// Anything else (a KEY-VALUE such as a Name or Address field): stored as JSON.
    Json,
}

impl FieldType {
    /// The type's name as stored in the database and shown by `dlg app show`.
    pub fn name(&self) -> String {
        match self {
            FieldType::Text => "text".into(),
            FieldType::Number => "number".into(),
            FieldType::Decimal => "decimal".into(),
            FieldType::Date => "date".into(),
            FieldType::DateTime => "datetime".into(),
            FieldType::Boolean => "boolean".into(),
            FieldType::MultiSelect => "multiselect".into(),
            FieldType::Lookup(form) => format!("lookup:{form}"),
            FieldType::Subform(form) => format!("subform:{form}"),
            FieldType::Json => "json".into(),
        }
    }

    /// Parses [`FieldType::name`]'s output.
    pub fn from_name(name: &str) -> Option<FieldType> {
        if let Some(form) = name.strip_prefix("lookup:") {
            return Some(FieldType::Lookup(form.to_owned()));
        }
        if let Some(form) = name.strip_prefix("subform:") {
            return Some(FieldType::Subform(form.to_owned()));
        }
        Some(match name {
            "text" => FieldType::Text,
            "number" => FieldType::Number,
            "decimal" => FieldType::Decimal,
            "date" => FieldType::Date,
            "datetime" => FieldType::DateTime,
            "boolean" => FieldType::Boolean,
            "multiselect" => FieldType::MultiSelect,
            "json" => FieldType::Json,
            _ => return None,
        })
    }

    /// The type a field gets from the first non-empty value stored in it (`None` for `null`).
    pub fn infer(field: &str, value: &Value) -> Option<FieldType> {
        Some(match value {
            Value::Null => return None,
            Value::Text(t) if t.is_empty() => return None,
            Value::Bool(_) => FieldType::Boolean,
            Value::Number(_) => FieldType::Number,
            Value::Decimal(_) => FieldType::Decimal,
            Value::DateTime(dt) if dt.date_only => FieldType::Date,
            Value::DateTime(_) => FieldType::DateTime,
            Value::List(list) => list_type(field, &list.borrow()),
            Value::Collection(c) => match &*c.borrow() {
                CollectionData::List(items) => list_type(field, items),
                _ => FieldType::Json,
            },
            Value::Map(_) => FieldType::Json,
            _ => FieldType::Text,
        })
    }

    /// A user-facing description for messages: `a NUMBER field`, `a lookup to Customers`, ...
    pub fn describe(&self) -> String {
        match self {
            FieldType::Text => "a text field".into(),
            FieldType::Number => "a NUMBER field".into(),
            FieldType::Decimal => "a DECIMAL field".into(),
            FieldType::Date => "a DATE field".into(),
            FieldType::DateTime => "a DATE-TIME field".into(),
            FieldType::Boolean => "a decision box (BOOLEAN) field".into(),
            FieldType::MultiSelect => "a multi-select (LIST) field".into(),
            FieldType::Lookup(form) => format!("a lookup to {form} (a record ID)"),
            FieldType::Subform(_) => "a subform (a LIST of rows)".into(),
            FieldType::Json => "a composite (KEY-VALUE) field".into(),
        }
    }
}

/// A list of records is a subform; any other list a multi-select.
fn list_type(field: &str, items: &[Value]) -> FieldType {
    if items.first().is_some_and(|v| matches!(v, Value::Map(_))) {
        FieldType::Subform(field.to_owned())
    } else {
        FieldType::MultiSelect
    }
}

/// One field of a form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The link name.
    pub name: String,
    /// How it stores its value.
    pub kind: FieldType,
    /// A mandatory (`must have`) field: an insert needs a value and an update may not empty it.
    pub required: bool,
}

/// A form: its link name and fields in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Form {
    /// The link name (also the table name).
    pub name: String,
    /// The fields in order (system fields excluded).
    pub fields: Vec<Field>,
    /// True when declared by a `.ds` export: inserts may not add fields.
    pub declared: bool,
}

impl Form {
    /// The field named `name` (exact link name first, then ignoring letter case).
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name).or_else(|| {
            self.fields
                .iter()
                .find(|f| f.name.eq_ignore_ascii_case(name))
        })
    }

    /// The message for a field the form does not have, with the fields it does have.
    pub fn unknown_field(&self, name: &str) -> String {
        let mut names: Vec<&str> = SYSTEM_FIELDS.to_vec();
        names.extend(self.fields.iter().map(|f| f.name.as_str()));
        let hint = crate::eval::suggest::closest(name, names.iter().copied())
            .map(|near| format!("did you mean `{near}`? "))
            .unwrap_or_default();
        format!(
            "form `{}` has no field `{name}`; {hint}its fields are {}",
            self.name,
            names.join(", ")
        )
    }
}

/// Whether `name` is one of the system fields (any letter case), and which.
pub fn system_field(name: &str) -> Option<&'static str> {
    SYSTEM_FIELDS
        .iter()
        .copied()
        .find(|s| s.eq_ignore_ascii_case(name))
}

/// The message for a form the app does not have.
pub fn unknown_form(name: &str, forms: &[String]) -> String {
    let hint = crate::eval::suggest::closest(name, forms.iter().map(String::as_str))
        .map(|near| format!("; did you mean `{near}`?"))
        .unwrap_or_default();
    if forms.is_empty() {
        format!(
            "the app has no form `{name}` (it has no forms yet: insert a record, load data with `CreatorHost::seed`, or define the app with `CreatorHost::define_app`)"
        )
    } else {
        format!(
            "the app has no form `{name}`{hint} (its forms are {})",
            forms.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_round_trip() {
        for kind in [
            FieldType::Text,
            FieldType::Decimal,
            FieldType::Lookup("Customers".into()),
            FieldType::Subform("Lines".into()),
        ] {
            assert_eq!(FieldType::from_name(&kind.name()), Some(kind));
        }
        assert_eq!(FieldType::from_name("blob"), None);
    }

    #[test]
    fn unknown_fields_are_named_with_a_suggestion() {
        let form = Form {
            name: "Orders".into(),
            fields: vec![Field {
                name: "Status".into(),
                kind: FieldType::Text,
                required: false,
            }],
            declared: false,
        };
        assert!(form.field("status").is_some());
        assert_eq!(
            form.unknown_field("Stauts"),
            "form `Orders` has no field `Stauts`; did you mean `Status`? its fields are ID, Added_User, Added_Time, Modified_User, Modified_Time, Status"
        );
    }
}
