//! Zoho Books (`{api}/books/v3`) and Zoho Inventory (`{api}/inventory/v1`) tasks
//! (zoho-tasks.md §2.2, §2.5): module names lower-cased in the path, the organization in the
//! `organization_id` query parameter, the product's JSON returned unchanged.

use crate::eval::failure::Failure;
use crate::eval::value::Value;
use crate::http::request::Method;

use super::args::{opt, req, Kind, Param};
use super::call::{task, Call, Task};
use super::endpoint::Endpoint;
use super::request::TaskRequest;
use super::settings::{ZohoProduct, ZohoSettings};
use super::Family;

/// `zoho.books.X`.
pub(super) static BOOKS: Family = Family {
    prefix: "zoho.books",
    product: ZohoProduct::Books,
    tasks: BOOKS_TASKS,
    root: books_root,
    missing: &[],
};

/// `zoho.inventory.X`.
pub(super) static INVENTORY: Family = Family {
    prefix: "zoho.inventory",
    product: ZohoProduct::Inventory,
    tasks: INVENTORY_TASKS,
    root: inventory_root,
    missing: &[],
};

fn books_root(endpoint: &Endpoint, _: &ZohoSettings) -> String {
    format!("{}/books/v3", endpoint.api)
}

fn inventory_root(endpoint: &Endpoint, _: &ZohoSettings) -> String {
    format!("{}/inventory/v1", endpoint.api)
}

const MODULE: Param = req("module", Kind::Text);
const ORG: Param = req("org_id", Kind::Id);
const RECORD: Param = req("record_id", Kind::Id);

const BOOKS_TASKS: &[Task] = &[
    task(
        "getRecords",
        &[MODULE, ORG, opt("search", Kind::MapOrText)],
        get_records,
    ),
    task("getRecordsByID", &[MODULE, ORG, RECORD], get_record),
    task(
        "createRecord",
        &[MODULE, ORG, req("data_map", Kind::Map)],
        create_record,
    ),
    task(
        "updateRecord",
        &[MODULE, ORG, RECORD, req("data_map", Kind::Map)],
        update_record,
    ),
    task(
        "markStatus",
        &[MODULE, ORG, RECORD, req("status", Kind::Text)],
        mark_status,
    ),
    task("getOrganizations", &[], get_organizations),
    task("getTemplates", &[MODULE, ORG], get_templates),
];

const INVENTORY_TASKS: &[Task] = &[
    task(
        "getRecords",
        &[MODULE, ORG, opt("criteria_map", Kind::Map)],
        get_records,
    ),
    task("getRecordsByID", &[MODULE, ORG, RECORD], get_record),
    task(
        "createRecord",
        &[MODULE, ORG, req("data_map", Kind::Map)],
        create_record,
    ),
    task(
        "updateRecord",
        &[MODULE, ORG, RECORD, req("values_map", Kind::Map)],
        update_record,
    ),
];

/// The product (Books or Inventory) from the call's task name.
fn product(call: &Call<'_, '_>) -> ZohoProduct {
    if call.task.starts_with("zoho.inventory.") {
        ZohoProduct::Inventory
    } else {
        ZohoProduct::Books
    }
}

/// A request to `/{module_lc}/{rest...}?organization_id=...`.
fn request(call: &Call<'_, '_>, method: Method, rest: &[&str]) -> Result<TaskRequest, String> {
    let module = call.args.text(0).to_lowercase();
    let org = call.product_arg(1, product(call), "organization_id")?;
    let segments = [&[module.as_str()], rest].concat();
    Ok(call
        .request(method, &segments)?
        .query("organization_id", &org))
}

fn get_records(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let request = request(call, Method::Get, &[])?;
    let request = match call.args.value(2) {
        Some(Value::Text(text)) => request.raw_query(text.as_str()),
        search => request.query_map(search),
    };
    call.send_raw(request)
}

fn get_record(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let id = call.args.text(2);
    call.send_raw(request(call, Method::Get, &[&id])?)
}

fn create_record(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let body = call.args.map(2);
    call.send_raw_json(request(call, Method::Post, &[])?, &body)
}

fn update_record(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let id = call.args.text(2);
    let body = call.args.map(3);
    call.send_raw_json(request(call, Method::Put, &[&id])?, &body)
}

fn mark_status(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let (id, status) = (call.args.text(2), call.args.text(3).to_lowercase());
    call.send_raw(request(call, Method::Post, &[&id, "status", &status])?)
}

fn get_organizations(call: &Call<'_, '_>) -> Result<Value, Failure> {
    call.send_raw(call.request(Method::Get, &["organizations"])?)
}

fn get_templates(call: &Call<'_, '_>) -> Result<Value, Failure> {
    call.send_raw(request(call, Method::Get, &["templates"])?)
}
