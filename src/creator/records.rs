//! Record operations on the app database: insert, fetch, update, delete. Every error names the
//! form and the field.

use rusqlite::types::Value as Sql;

use super::criteria::Where;
use super::schema::{system_field, unknown_form, Field, FieldType, Form, SYSTEM_FIELDS};
use super::store::{quote, Store};
use super::values::{decode, encode, number};
use crate::eval::value::{CollectionData, Map, Value};

/// Who and when, for the system fields of the records a run writes.
#[derive(Clone, Debug)]
pub struct Stamp {
    /// `Added_User` / `Modified_User`.
    pub user: String,
    /// `Added_Time` / `Modified_Time` (`YYYY-MM-DD HH:MM:SS`).
    pub now: String,
}

/// A fetched record: its ID and fields (system fields first), in form order.
pub type Record = Vec<(String, Value)>;

/// `sort by` and `range from .. to` of a fetch.
#[derive(Clone, Debug, Default)]
pub struct Order {
    /// Field and descending flag.
    pub sort_by: Option<(String, bool)>,
    /// 1-based first and last record, inclusive.
    pub range: Option<(i64, i64)>,
}

/// The form named `name`, or the error naming it and the forms the app has.
pub fn form<'s>(store: &'s Store, name: &str) -> Result<&'s Form, String> {
    store
        .form(name)
        .ok_or_else(|| unknown_form(name, &store.form_names()))
}

/// `insert into form [..]`: creates the form and its fields on first use unless the app's
/// forms were declared by a `.ds` export; returns the new record's ID.
pub fn insert(
    store: &mut Store,
    form_name: &str,
    fields: &[(Box<str>, Value)],
    stamp: &Stamp,
) -> Result<i64, String> {
    let form_name = resolve_or_create(store, form_name, fields)?;
    let mut columns = vec!["Added_User", "Added_Time", "Modified_User", "Modified_Time"]
        .into_iter()
        .map(quote)
        .collect::<Vec<_>>();
    let mut params = vec![
        Sql::Text(stamp.user.clone()),
        Sql::Text(stamp.now.clone()),
        Sql::Text(stamp.user.clone()),
        Sql::Text(stamp.now.clone()),
    ];
    for (name, value) in fields {
        if let Some(system) = system_field(name) {
            if system == "Added_User" {
                params[0] = Sql::Text(crate::eval::render::display(value));
                continue;
            }
            return Err(format!(
                "insert into {form_name}: `{system}` is a system field; Creator sets it"
            ));
        }
        let field = ensure_field(store, &form_name, name, value)?;
        let stored = encode_checked(store, &form_name, &field, value)?;
        columns.push(quote(&field.name));
        params.push(stored);
    }
    check_mandatory(store, &form_name, fields)?;
    let marks = vec!["?"; params.len()].join(", ");
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({marks})",
        quote(&form_name),
        columns.join(", ")
    );
    store.begin()?;
    store.exec(&sql, params)?;
    Ok(store.last_id())
}

/// Every mandatory (`must have`) field of the form needs a non-empty value in an insert.
fn check_mandatory(store: &Store, form: &str, fields: &[(Box<str>, Value)]) -> Result<(), String> {
    let definition = self::form(store, form)?;
    for field in definition.fields.iter().filter(|f| f.required) {
        let given = fields
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(&field.name))
            .is_some_and(|(_, value)| !super::values::is_empty(value));
        if !given {
            return Err(format!(
                "insert into {form}: `{}` is a mandatory field (must have) and has no value",
                field.name
            ));
        }
    }
    Ok(())
}

/// The form to insert into: existing, or created from the values when the app's forms are not
/// declared.
fn resolve_or_create(
    store: &mut Store,
    name: &str,
    fields: &[(Box<str>, Value)],
) -> Result<String, String> {
    if let Some(form) = store.form(name) {
        return Ok(form.name.clone());
    }
    let names = store.form_names();
    if names
        .iter()
        .any(|f| store.form(f).is_some_and(|form| form.declared))
    {
        return Err(unknown_form(name, &names));
    }
    let _ = fields;
    store.define(name, &[], false)?;
    Ok(name.to_owned())
}

/// The field `name` of `form`; added (its type inferred from `value`) when the form is not
/// declared.
fn ensure_field(store: &mut Store, form: &str, name: &str, value: &Value) -> Result<Field, String> {
    let current = self::form(store, form)?;
    if let Some(field) = current.field(name) {
        let widen = !current.declared
            && field.kind == FieldType::Number
            && matches!(value, Value::Decimal(d) if !d.fract().is_zero());
        let mut field = field.clone();
        if widen {
            store.retype(form, &field.name, FieldType::Decimal)?;
            field.kind = FieldType::Decimal;
        }
        return Ok(field);
    }
    if current.declared {
        return Err(current.unknown_field(name));
    }
    let field = Field {
        name: name.to_owned(),
        kind: FieldType::infer(name, value).unwrap_or(FieldType::Text),
        required: false,
    };
    store.add_field(form, &field)?;
    Ok(field)
}

/// Encodes a value for `field`, giving subform rows their IDs and checking lookups.
fn encode_checked(
    store: &mut Store,
    form: &str,
    field: &Field,
    value: &Value,
) -> Result<Sql, String> {
    let value = match &field.kind {
        FieldType::Subform(_) => with_row_ids(store, value)?,
        FieldType::Lookup(target) => {
            check_lookup(store, form, field, target, value)?;
            value.clone()
        }
        _ => value.clone(),
    };
    encode(&field.kind, &value)
        .map_err(|why| format!("form `{form}`: field `{}` {why}", field.name))
}

/// A lookup must name an existing record of its form (when that form exists locally).
fn check_lookup(
    store: &Store,
    form: &str,
    field: &Field,
    target: &str,
    value: &Value,
) -> Result<(), String> {
    let (Some(target_form), Some(id)) = (store.form(target), number(value)) else {
        return Ok(());
    };
    let sql = format!("SELECT 1 FROM {} WHERE ID = ?1", quote(&target_form.name));
    if store.query(&sql, vec![Sql::Integer(id)])?.is_empty() {
        return Err(format!(
            "form `{form}`: lookup field `{}` refers to record {id} of `{target}`, which does not exist",
            field.name
        ));
    }
    Ok(())
}

/// Subform rows (records) without an ID get one, as Creator gives each row its own ID.
fn with_row_ids(store: &mut Store, value: &Value) -> Result<Value, String> {
    let rows: Vec<Value> = match value {
        Value::List(l) => l.borrow().clone(),
        Value::Collection(c) => match &*c.borrow() {
            CollectionData::List(items) => items.clone(),
            _ => return Ok(value.clone()),
        },
        Value::Map(_) => vec![value.clone()],
        _ => return Ok(value.clone()),
    };
    let id_key = Value::text("ID");
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if let Value::Map(map) = &row {
            let mut data = map.borrow().clone();
            if !data.contains_key(&id_key) {
                data.shift_insert(0, id_key.clone(), Value::Number(store.row_id()?));
            }
            out.push(Value::Map(Map::from_data(data)));
        } else {
            out.push(row);
        }
    }
    Ok(Value::list_from(out))
}

/// The records of `form` matching `filter`, sorted and ranged.
pub fn select(
    store: &Store,
    form_name: &str,
    filter: &Where,
    order: &Order,
) -> Result<Vec<Record>, String> {
    let form = form(store, form_name)?;
    let mut columns: Vec<String> = SYSTEM_FIELDS.iter().map(|s| quote(s)).collect();
    columns.extend(form.fields.iter().map(|f| quote(&f.name)));
    let mut sql = format!(
        "SELECT {} FROM {} WHERE {}",
        columns.join(", "),
        quote(&form.name),
        filter.sql
    );
    sql.push_str(&order_by(form, order)?);
    let mut params = filter.params.clone();
    if let Some((from, to)) = order.range {
        if from < 1 || to < from {
            return Err(format!(
                "`range from {from} to {to}`: the range counts records from 1, and `to` may not come before `from`"
            ));
        }
        sql.push_str(" LIMIT ? OFFSET ?");
        params.push(Sql::Integer(to - from + 1));
        params.push(Sql::Integer(from - 1));
    }
    let rows = store.query(&sql, params)?;
    Ok(rows.into_iter().map(|row| record(form, row)).collect())
}

fn order_by(form: &Form, order: &Order) -> Result<String, String> {
    let Some((field, desc)) = &order.sort_by else {
        return Ok(" ORDER BY ID".to_owned());
    };
    let direction = if *desc { "DESC" } else { "ASC" };
    let (name, kind) = match (system_field(field), form.field(field)) {
        (Some(system), _) => (system.to_owned(), FieldType::DateTime),
        (None, Some(f)) => (f.name.clone(), f.kind.clone()),
        (None, None) => return Err(format!("sort by: {}", form.unknown_field(field))),
    };
    let column = match kind {
        FieldType::Decimal => format!("CAST({} AS REAL)", quote(&name)),
        FieldType::Text => format!("{} COLLATE NOCASE", quote(&name)),
        _ => quote(&name),
    };
    Ok(format!(" ORDER BY {column} {direction}, ID {direction}"))
}

fn record(form: &Form, row: Vec<Sql>) -> Record {
    let mut out = Vec::with_capacity(row.len());
    let mut values = row.into_iter();
    for system in SYSTEM_FIELDS {
        let kind = match system {
            "Added_Time" | "Modified_Time" => FieldType::DateTime,
            _ => FieldType::Text,
        };
        let stored = values.next().unwrap_or(Sql::Null);
        out.push((system.to_owned(), decode(&kind, stored)));
    }
    for field in &form.fields {
        let stored = values.next().unwrap_or(Sql::Null);
        out.push((field.name.clone(), decode(&field.kind, stored)));
    }
    out
}

/// Sets `field` to `value` on the records matching `filter`; returns how many changed.
pub fn update(
    store: &mut Store,
    form_name: &str,
    filter: &Where,
    field_name: &str,
    value: &Value,
    stamp: &Stamp,
) -> Result<usize, String> {
    let form = form(store, form_name)?.clone();
    if let Some(system) = system_field(field_name) {
        return Err(format!(
            "form `{}`: `{system}` is a system field; Creator sets it and scripts cannot change it",
            form.name
        ));
    }
    let field = ensure_field(store, &form.name, field_name, value)?;
    if field.required && super::values::is_empty(value) {
        return Err(format!(
            "form `{}`: `{}` is a mandatory field (must have) and cannot be emptied",
            form.name, field.name
        ));
    }
    let stored = encode_checked(store, &form.name, &field, value)?;
    let sql = format!(
        "UPDATE {} SET {} = ?, Modified_User = ?, Modified_Time = ? WHERE {}",
        quote(&form.name),
        quote(&field.name),
        filter.sql
    );
    let mut params = vec![
        stored,
        Sql::Text(stamp.user.clone()),
        Sql::Text(stamp.now.clone()),
    ];
    params.extend(filter.params.iter().cloned());
    store.begin()?;
    store.exec(&sql, params)
}

/// Deletes the records matching `filter`; returns how many.
pub fn delete(store: &mut Store, form_name: &str, filter: &Where) -> Result<usize, String> {
    let form = form(store, form_name)?;
    let sql = format!("DELETE FROM {} WHERE {}", quote(&form.name), filter.sql);
    let params = filter.params.clone();
    store.begin()?;
    store.exec(&sql, params)
}

/// The filter for one record by ID.
pub fn by_id(id: i64) -> Where {
    Where {
        sql: "ID = ?".to_owned(),
        params: vec![Sql::Integer(id)],
    }
}

/// A record as a KEY-VALUE (the shape scripts see).
pub fn to_map(record: Record) -> Map {
    let mut data = crate::eval::value::MapData::default();
    for (name, value) in record {
        data.insert(Value::text(name), value);
    }
    Map::from_data(data)
}
