//! Zoho CRM tasks (zoho-tasks.md §2.1): `zoho.crm.X` on `/crm/v2` (or the
//! `zoho.crm.legacy_api_version` setting) and `zoho.crm.v8.X` on `/crm/v8`. Replies are
//! unwrapped as §1.5 family A says.

use crate::eval::failure::Failure;
use crate::eval::value::Value;
use crate::http::request::Method;

use super::args::{id_text, opt, req, Kind};
use super::call::{task, Call, Task};
use super::endpoint::Endpoint;
use super::json::{entries, get, items, map_of};
use super::request::{Reply, TaskRequest};
use super::settings::{ZohoProduct, ZohoSettings};
use super::Family;

/// `zoho.crm.X`.
pub(super) static LEGACY: Family = Family {
    prefix: "zoho.crm",
    product: ZohoProduct::Crm,
    tasks: TASKS,
    root: legacy_root,
    missing: MISSING,
};

/// `zoho.crm.v8.X`.
pub(super) static V8: Family = Family {
    prefix: "zoho.crm.v8",
    product: ZohoProduct::Crm,
    tasks: TASKS,
    root: v8_root,
    missing: MISSING,
};

fn legacy_root(endpoint: &Endpoint, settings: &ZohoSettings) -> String {
    format!("{}/crm/{}", endpoint.api, settings.crm_legacy_api_version())
}

fn v8_root(endpoint: &Endpoint, _: &ZohoSettings) -> String {
    format!("{}/crm/v8", endpoint.api)
}

const MISSING: &[(&str, &str)] = &[
    ("deleteRecord", "delete with zoho.crm.invokeConnector(\"crm.delete\", {\"module\": MODULE, \"id\": ID}) or invokeurl (DELETE /crm/v2/MODULE/ID)"),
    ("searchRecordsByPhone", "use zoho.crm.searchRecords(module, \"\", 1, 200, {\"phone\": number})"),
    ("searchRecordsByEmail", "use zoho.crm.searchRecords(module, \"\", 1, 200, {\"email\": address})"),
    ("upsertRecord", "use zoho.crm.upsert(module, record, options)"),
    ("bulkCreateRecords", "use zoho.crm.bulkCreate(module, records, options)"),
    ("bulkUpdateRecords", "use zoho.crm.bulkUpdate(module, records, options)"),
];

const TASKS: &[Task] = &[
    task(
        "getRecordById",
        &[
            req("module", Kind::Text),
            req("record_id", Kind::Id),
            opt("query_value", Kind::Map),
        ],
        get_record_by_id,
    ),
    task(
        "getRecords",
        &[
            req("module", Kind::Text),
            opt("page", Kind::Number),
            opt("per_page", Kind::Number),
            opt("query_value", Kind::Map),
        ],
        get_records,
    ),
    task(
        "searchRecords",
        &[
            req("module", Kind::Text),
            req("criteria", Kind::Text),
            opt("page", Kind::Number),
            opt("per_page", Kind::Number),
            opt("search_value", Kind::Map),
        ],
        search_records,
    ),
    task(
        "getRelatedRecords",
        &[
            req("relation_name", Kind::Text),
            req("parent_module", Kind::Text),
            req("parent_id", Kind::Id),
            opt("page", Kind::Number),
            opt("per_page", Kind::Number),
            opt("query_value", Kind::Map),
        ],
        get_related_records,
    ),
    task(
        "createRecord",
        &[
            req("module", Kind::Text),
            req("record_details", Kind::Map),
            opt("options_map", Kind::Map),
        ],
        create_record,
    ),
    task(
        "updateRecord",
        &[
            req("module", Kind::Text),
            req("record_id", Kind::Id),
            req("record_value", Kind::Map),
            opt("options_map", Kind::Map),
        ],
        update_record,
    ),
    task(
        "upsert",
        &[
            req("module", Kind::Text),
            req("record_value", Kind::Map),
            opt("options_map", Kind::Map),
        ],
        upsert,
    ),
    task(
        "bulkCreate",
        &[
            req("module", Kind::Text),
            req("records", Kind::List),
            opt("options_map", Kind::Map),
        ],
        bulk_create,
    ),
    task(
        "bulkUpdate",
        &[
            req("module", Kind::Text),
            req("records", Kind::List),
            opt("options_map", Kind::Map),
        ],
        bulk_update,
    ),
    task(
        "attachFile",
        &[
            req("module", Kind::Text),
            req("record_id", Kind::Id),
            req("file", Kind::File),
        ],
        attach_file,
    ),
    task(
        "convertLead",
        &[req("lead_id", Kind::Id), opt("values", Kind::Map)],
        convert_lead,
    ),
    task(
        "getOrgVariable",
        &[req("api_name", Kind::Text)],
        get_org_variable,
    ),
    task(
        "updateRelatedRecord",
        &[
            req("related_list", Kind::Text),
            req("related_id", Kind::Id),
            req("parent_module", Kind::Text),
            req("parent_id", Kind::Id),
            req("values", Kind::Map),
        ],
        update_related_record,
    ),
    task(
        "invokeConnector",
        &[req("connector_api", Kind::Text), req("params", Kind::Map)],
        invoke_connector,
    ),
];

fn paged(
    call: &Call<'_, '_>,
    request: TaskRequest,
    page_at: usize,
    query_at: usize,
) -> TaskRequest {
    request
        .query("page", &call.args.number(page_at, 1).to_string())
        .query("per_page", &call.args.number(page_at + 1, 200).to_string())
        .query_map(call.args.value(query_at))
}

fn get_record_by_id(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let (module, id) = (call.args.text(0), call.args.text(1));
    let request = call
        .request(Method::Get, &[&module, &id])?
        .query_map(call.args.value(2));
    Ok(single(call.send(request)?))
}

fn get_records(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let module = call.args.text(0);
    let request = paged(call, call.request(Method::Get, &[&module])?, 1, 3);
    Ok(list(call.send(request)?))
}

fn search_records(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let (module, criteria) = (call.args.text(0), call.args.text(1));
    let mut request = call.request(Method::Get, &[&module, "search"])?;
    if !criteria.trim().is_empty() {
        request = request.query("criteria", &criteria);
    }
    let request = paged(call, request, 2, 4);
    Ok(list(call.send(request)?))
}

fn get_related_records(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let (relation, module, id) = (call.args.text(0), call.args.text(1), call.args.text(2));
    let request = paged(
        call,
        call.request(Method::Get, &[&module, &id, &relation])?,
        3,
        5,
    );
    Ok(list(call.send(request)?))
}

fn create_record(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let module = call.args.text(0);
    let body = write_body(single_data(call.args.value(1)), call.args.value(2));
    let request = call
        .request(Method::Post, &[&module])?
        .json(call.ctx, &body)?;
    Ok(written(call.send(request)?))
}

fn update_record(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let (module, id) = (call.args.text(0), call.args.text(1));
    let body = write_body(single_data(call.args.value(2)), call.args.value(3));
    let request = call
        .request(Method::Put, &[&module, &id])?
        .json(call.ctx, &body)?;
    Ok(written(call.send(request)?))
}

fn upsert(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let module = call.args.text(0);
    let body = write_body(single_data(call.args.value(1)), call.args.value(2));
    let request = call
        .request(Method::Post, &[&module, "upsert"])?
        .json(call.ctx, &body)?;
    Ok(written(call.send(request)?))
}

fn bulk_create(call: &Call<'_, '_>) -> Result<Value, Failure> {
    bulk(call, Method::Post)
}

fn bulk_update(call: &Call<'_, '_>) -> Result<Value, Failure> {
    bulk(call, Method::Put)
}

fn bulk(call: &Call<'_, '_>, method: Method) -> Result<Value, Failure> {
    let module = call.args.text(0);
    let records = call.args.value(1).map(items).unwrap_or_default();
    if records.len() > 100 {
        return Err(format!(
            "{}: at most 100 records per call, got {}",
            call.task,
            records.len()
        )
        .into());
    }
    let body = write_body(Value::list_from(records), call.args.value(2));
    let request = call.request(method, &[&module])?.json(call.ctx, &body)?;
    Ok(all_items(call.send(request)?))
}

fn attach_file(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let (module, id) = (call.args.text(0), call.args.text(1));
    let Some(Value::File(file)) = call.args.value(2) else {
        return Err(format!("{}: argument 3 (file) must be FILE", call.task).into());
    };
    let request = call
        .request(Method::Post, &[&module, &id, "Attachments"])?
        .file("file", file);
    Ok(first_item(call.send(request)?))
}

fn convert_lead(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let id = call.args.text(0);
    let values = call.args.map(1);
    let body = map_of(vec![("data", Value::list_from(vec![values]))]);
    let request = call
        .request(Method::Post, &["Leads", &id, "actions", "convert"])?
        .json(call.ctx, &body)?;
    Ok(first_item(call.send(request)?))
}

fn get_org_variable(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let name = call.args.text(0);
    let reply = call.send(call.request(Method::Get, &["settings", "variables"])?)?;
    let Some(body) = reply.body else {
        return Ok(Value::text(""));
    };
    let Some(variables) = get(&body, "variables") else {
        return Ok(body);
    };
    let value = items(&variables)
        .into_iter()
        .find(|v| get(v, "api_name").is_some_and(|n| id_text(&n) == name))
        .and_then(|v| get(&v, "value"))
        .map(|v| {
            Value::text(if v.is_null() {
                String::new()
            } else {
                id_text(&v)
            })
        });
    Ok(value.unwrap_or_else(|| Value::text("")))
}

fn update_related_record(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let (relation, related_id) = (call.args.text(0), call.args.text(1));
    let (module, parent_id) = (call.args.text(2), call.args.text(3));
    let values = call.args.map(4);
    let body = map_of(vec![("data", Value::list_from(vec![values]))]);
    let request = call
        .request(Method::Put, &[&module, &parent_id, &relation, &related_id])?
        .json(call.ctx, &body)?;
    Ok(written(call.send(request)?))
}

/// `invokeConnector("crm.delete", {"module": M, "id": I})`: `DELETE /M/I`, answered as
/// `{"status_code": N, "response": "<JSON text>"}`. Other connectors live only in Zoho.
fn invoke_connector(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let connector = call.args.text(0);
    if !connector.eq_ignore_ascii_case("crm.delete") {
        return Err(format!(
            "{}: connector {connector} is not available outside Zoho (only crm.delete is)",
            call.task
        )
        .into());
    }
    let params = call.args.value(1);
    let param = |key: &str| {
        params
            .and_then(|p| get(p, key))
            .map(|v| id_text(&v))
            .unwrap_or_default()
    };
    let (module, id) = (param("module"), param("id"));
    if module.is_empty() || id.is_empty() {
        return Err(format!(
            "{}: crm.delete needs {{\"module\": MODULE, \"id\": RECORD_ID}}",
            call.task
        )
        .into());
    }
    let reply = call.send(call.request(Method::Delete, &[&module, &id])?)?;
    let text = reply
        .body
        .as_ref()
        .map(|b| super::json::to_json(b, &call.ctx.env.time_zone))
        .transpose()?
        .unwrap_or_default();
    Ok(map_of(vec![
        ("status_code", Value::Number(i64::from(reply.status))),
        ("response", Value::text(text)),
    ]))
}

/// `{"data":[record]}`.
fn single_data(record: Option<&Value>) -> Value {
    Value::list_from(vec![record.cloned().unwrap_or_else(Value::new_map)])
}

/// A write body: `{"data": data, "trigger": [...], ...other options}` (zoho-tasks.md §1.4).
fn write_body(data: Value, options: Option<&Value>) -> Value {
    let options = options.map(entries).unwrap_or_default();
    let trigger = match options
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("trigger"))
    {
        Some((_, value)) => triggers(value),
        None => ["approval", "blueprint", "orchestration"]
            .iter()
            .map(|t| Value::text(*t))
            .collect(),
    };
    let mut pairs = vec![("data", data), ("trigger", Value::list_from(trigger))];
    for (key, value) in &options {
        if !key.eq_ignore_ascii_case("trigger") && !key.is_empty() {
            pairs.push((key.as_str(), value.clone()));
        }
    }
    map_of(pairs)
}

/// The `trigger` list as given, without `""` elements (`{"trigger":{""}}` means none).
fn triggers(value: &Value) -> Vec<Value> {
    let given = match value {
        Value::Text(_) => vec![value.clone()],
        other => items(other),
    };
    given
        .into_iter()
        .filter(|t| !id_text(t).trim().is_empty())
        .collect()
}

/// Single reads: the record itself; a top-level error map unchanged; `{}` when empty.
fn single(reply: Reply) -> Value {
    let body = reply.body_or(Value::new_map());
    match get(&body, "data") {
        Some(data) => items(&data)
            .into_iter()
            .next()
            .unwrap_or_else(Value::new_map),
        None => body,
    }
}

/// List reads: the records; `[]` for 204; a top-level error map unchanged.
fn list(reply: Reply) -> Value {
    let body = reply.body_or(Value::list_from(Vec::new()));
    match get(&body, "data") {
        Some(data) => Value::list_from(items(&data)),
        None => body,
    }
}

/// `data[0]` as a whole (attachFile, convertLead); a top-level error map unchanged.
fn first_item(reply: Reply) -> Value {
    single(reply)
}

/// Writes: `details` of a successful `data[0]`, else the item (the error).
fn written(reply: Reply) -> Value {
    let item = single(reply);
    let succeeded =
        get(&item, "status").is_some_and(|s| id_text(&s).eq_ignore_ascii_case("success"));
    match get(&item, "details") {
        Some(details) if succeeded => details,
        _ => item,
    }
}

/// Bulk writes: every per-record item.
fn all_items(reply: Reply) -> Value {
    list(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_send_the_default_triggers_unless_options_name_them() {
        let zone = jiff::tz::TimeZone::UTC;
        let record = crate::stdlib::json::parse(r#"{"Last_Name":"X"}"#).unwrap();
        let body = write_body(single_data(Some(&record)), None);
        assert_eq!(
            super::super::json::to_json(&body, &zone).unwrap(),
            r#"{"data":[{"Last_Name":"X"}],"trigger":["approval","blueprint","orchestration"]}"#
        );
        let options = crate::stdlib::json::parse(r#"{"trigger":[""],"lar_id":"7"}"#).unwrap();
        let body = write_body(single_data(Some(&record)), Some(&options));
        assert_eq!(
            super::super::json::to_json(&body, &zone).unwrap(),
            r#"{"data":[{"Last_Name":"X"}],"trigger":[],"lar_id":"7"}"#
        );
    }
}
