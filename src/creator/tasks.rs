//! `zoho.creator.*` tasks whose owner and app name the local app: served from the database in
//! the shape of Creator's V2 API responses (`{"code":3000,"data":..}`; `3100` when no record
//! matches). Calls naming another app go to the inner host (the remote Creator API).

use super::criteria::{translate, Where};
use super::host::CreatorHost;
use super::records::{self, Order};
use super::scope::FetchScope;
use crate::eval::render::display;
use crate::eval::value::{Map, MapData, Value};

/// Runs `name` locally when it is a `zoho.creator.*` task on this app; `None` otherwise.
pub fn call(host: &CreatorHost, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
    let lower = name.to_ascii_lowercase();
    let task = lower.strip_prefix("zoho.creator.")?;
    let names_this_app = args.len() >= 2
        && display(&args[0]).eq_ignore_ascii_case(&host.system().admin_user)
        && display(&args[1]).eq_ignore_ascii_case(&host.system().app_name);
    if !names_this_app {
        return None;
    }
    let arg = |i: usize| args.get(i).cloned().unwrap_or_default();
    Some(match task {
        "getrecords" => get_records(host, &display(&arg(2)), &display(&arg(3)), &arg(4), &arg(5)),
        "getrecordbyid" => get_record_by_id(host, &display(&arg(2)), &arg(3)),
        "createrecord" => create_record(host, &display(&arg(2)), &arg(3)),
        "updaterecord" => update_record(host, &display(&arg(2)), &arg(3), &arg(4)),
        _ => Err(format!(
            "`{name}` is not available for the local app (served locally: getRecords, getRecordById, createRecord, updateRecord)"
        )),
    })
}

fn response(code: i64, data: Option<Value>, message: Option<&str>) -> Value {
    let mut map = MapData::default();
    map.insert(Value::text("code"), Value::Number(code));
    if let Some(data) = data {
        map.insert(Value::text("data"), data);
    }
    if let Some(message) = message {
        map.insert(Value::text("message"), Value::text(message));
    }
    Value::Map(Map::from_data(map))
}

fn no_data() -> Value {
    response(3100, None, Some("No Data Available"))
}

/// A record as the API returns it: the ID as TEXT, as Creator sends record IDs.
fn api_record(record: records::Record) -> Value {
    let mut map = MapData::default();
    for (name, value) in record {
        let value = if name == "ID" {
            Value::text(display(&value))
        } else {
            value
        };
        map.insert(Value::text(name), value);
    }
    Value::Map(Map::from_data(map))
}

fn get_records(
    host: &CreatorHost,
    report: &str,
    criteria: &str,
    from: &Value,
    limit: &Value,
) -> Result<Value, String> {
    let form = host.report_form(report);
    let store = host.store()?;
    let definition = records::form(&store, &form)?;
    let scope = FetchScope {
        variables: &[],
        input: Map::from_data(MapData::default()),
        store: &store,
        system: host.system(),
    };
    let filter = translate(definition, criteria, &scope)
        .map_err(|e| format!("zoho.creator.getRecords on {report}: {e}"))?;
    let from = super::values::number(from).unwrap_or(1).max(1);
    let limit = super::values::number(limit).unwrap_or(200).clamp(1, 200);
    let order = Order {
        sort_by: None,
        range: Some((from, from + limit - 1)),
    };
    let found = records::select(&store, &form, &filter, &order)?;
    if found.is_empty() {
        return Ok(no_data());
    }
    let data = found.into_iter().map(api_record).collect();
    Ok(response(3000, Some(Value::list_from(data)), None))
}

fn get_record_by_id(host: &CreatorHost, report: &str, id: &Value) -> Result<Value, String> {
    let form = host.report_form(report);
    let store = host.store()?;
    let Some(id) = super::values::number(id) else {
        return Ok(no_data());
    };
    let found = records::select(&store, &form, &records::by_id(id), &Order::default())?;
    Ok(match found.into_iter().next() {
        Some(record) => response(3000, Some(api_record(record)), None),
        None => no_data(),
    })
}

fn fields_of(data: &Value, task: &str) -> Result<Vec<(Box<str>, Value)>, String> {
    match data {
        Value::Map(map) => Ok(map
            .borrow()
            .iter()
            .map(|(k, v)| (display(k).into_boxed_str(), v.clone()))
            .collect()),
        other => Err(format!(
            "zoho.creator.{task} takes the field values as a KEY-VALUE, not {}",
            other.value_type().name()
        )),
    }
}

fn id_data(id: i64) -> Value {
    let mut map = MapData::default();
    map.insert(Value::text("ID"), Value::text(id.to_string()));
    Value::Map(Map::from_data(map))
}

fn create_record(host: &CreatorHost, form: &str, data: &Value) -> Result<Value, String> {
    let fields = fields_of(data, "createRecord")?;
    let stamp = host.stamp();
    let id = records::insert(&mut *host.store()?, form, &fields, &stamp)?;
    Ok(response(
        3000,
        Some(id_data(id)),
        Some("Data Added Successfully!"),
    ))
}

fn update_record(
    host: &CreatorHost,
    report: &str,
    id: &Value,
    data: &Value,
) -> Result<Value, String> {
    let form = host.report_form(report);
    let fields = fields_of(data, "updateRecord")?;
    let Some(id) = super::values::number(id) else {
        return Ok(no_data());
    };
    let stamp = host.stamp();
    let mut store = host.store()?;
    let filter: Where = records::by_id(id);
    if records::select(&store, &form, &filter, &Order::default())?.is_empty() {
        return Ok(no_data());
    }
    for (field, value) in &fields {
        records::update(&mut store, &form, &filter, field, value, &stamp)?;
    }
    Ok(response(
        3000,
        Some(id_data(id)),
        Some("Data Updated Successfully!"),
    ))
}
