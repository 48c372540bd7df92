//! Zoho Desk tasks (zoho-tasks.md §2.4): `https://desk.zoho.<tld>/api/v1`, module names
//! lower-cased in the path, the organization in the `orgId` header, Desk's JSON unchanged
//! (`{}` for a 204).

use crate::eval::failure::Failure;
use crate::eval::value::Value;
use crate::http::request::Method;

use super::args::{opt, req, Kind, Param};
use super::call::{task, Call, Task};
use super::endpoint::Endpoint;
use super::request::TaskRequest;
use super::settings::{ZohoProduct, ZohoSettings};
use super::Family;

/// `zoho.desk.X`.
pub(super) static DESK: Family = Family {
    prefix: "zoho.desk",
    product: ZohoProduct::Desk,
    tasks: TASKS,
    root,
    missing: &[],
};

fn root(endpoint: &Endpoint, _: &ZohoSettings) -> String {
    format!("{}/api/v1", endpoint.desk)
}

const ORG: Param = req("orgId", Kind::Id);
const MODULE: Param = req("module", Kind::Text);

const TASKS: &[Task] = &[
    task(
        "getRecordById",
        &[ORG, MODULE, req("record_id", Kind::Id)],
        get_record_by_id,
    ),
    task(
        "getRecords",
        &[
            ORG,
            MODULE,
            opt("from", Kind::Number),
            opt("limit", Kind::Number),
            opt("query_value", Kind::Map),
        ],
        get_records,
    ),
    task(
        "searchRecords",
        &[
            ORG,
            MODULE,
            opt("query", Kind::Map),
            opt("from", Kind::Number),
            opt("limit", Kind::Number),
        ],
        search_records,
    ),
    task(
        "create",
        &[ORG, MODULE, req("record_value", Kind::Map)],
        create,
    ),
    task(
        "update",
        &[
            ORG,
            MODULE,
            req("record_id", Kind::Id),
            req("record_value", Kind::Map),
        ],
        update,
    ),
];

fn request(call: &Call<'_, '_>, method: Method, rest: &[&str]) -> Result<TaskRequest, String> {
    let org = call.product_arg(0, ZohoProduct::Desk, "orgId")?;
    let module = call.args.text(1).to_lowercase();
    let segments = [&[module.as_str()], rest].concat();
    Ok(call.request(method, &segments)?.header("orgId", &org))
}

fn get_record_by_id(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let id = call.args.text(2);
    call.send_raw(request(call, Method::Get, &[&id])?)
}

fn get_records(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let request = request(call, Method::Get, &[])?
        .query("from", &call.args.number(2, 1).to_string())
        .query("limit", &call.args.number(3, 10).to_string())
        .query_map(call.args.value(4));
    call.send_raw(request)
}

fn search_records(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let request = request(call, Method::Get, &["search"])?
        .query_map(call.args.value(2))
        .query("from", &call.args.number(3, 0).to_string())
        .query("limit", &call.args.number(4, 10).to_string());
    call.send_raw(request)
}

fn create(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let body = call.args.map(2);
    call.send_raw_json(request(call, Method::Post, &[])?, &body)
}

fn update(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let id = call.args.text(2);
    let body = call.args.map(3);
    call.send_raw_json(request(call, Method::Patch, &[&id])?, &body)
}
