//! Zoho Creator tasks (zoho-tasks.md §2.3): V2 `zoho.creator.X` on
//! `https://creator.zoho.<tld>/api/v2/{owner}/{app}` and `zoho.creator.v2_1.X` on
//! `{api}/creator/v2.1/data/{owner}/{app}`; Creator's JSON returned unchanged (`code` 3000 is
//! success, 3100 no records).

use crate::eval::failure::Failure;
use crate::eval::value::Value;
use crate::http::request::Method;

use super::args::{opt, req, Kind, Param};
use super::call::{task, Call, Task};
use super::endpoint::Endpoint;
use super::json::{entries, map_of};
use super::request::TaskRequest;
use super::settings::{ZohoProduct, ZohoSettings};
use super::Family;

/// `zoho.creator.X` (V2 API).
pub(super) static V2: Family = Family {
    prefix: "zoho.creator",
    product: ZohoProduct::Creator,
    tasks: V2_TASKS,
    root: v2_root,
    missing: MISSING,
};

/// `zoho.creator.v2_1.X`.
pub(super) static V2_1: Family = Family {
    prefix: "zoho.creator.v2_1",
    product: ZohoProduct::Creator,
    tasks: V2_1_TASKS,
    root: v2_1_root,
    missing: MISSING,
};

const MISSING: &[(&str, &str)] = &[(
    "deleteRecord",
    "Creator has no delete task; use invokeurl with DELETE …/report/REPORT/ID",
)];

fn v2_root(endpoint: &Endpoint, _: &ZohoSettings) -> String {
    format!("{}/api/v2", endpoint.creator)
}

fn v2_1_root(endpoint: &Endpoint, _: &ZohoSettings) -> String {
    format!("{}/creator/v2.1/data", endpoint.api)
}

const OWNER: Param = req("owner", Kind::Text);
const APP: Param = req("app", Kind::Text);
const REPORT: Param = req("report", Kind::Text);
const FORM: Param = req("form", Kind::Text);
const ID: Param = req("record_id", Kind::Id);

const V2_TASKS: &[Task] = &[
    task(
        "getRecords",
        &[
            OWNER,
            APP,
            REPORT,
            opt("criteria", Kind::Text),
            opt("from_index", Kind::Number),
            opt("limit", Kind::Number),
        ],
        v2_get_records,
    ),
    task("getRecordById", &[OWNER, APP, REPORT, ID], get_record_by_id),
    task(
        "createRecord",
        &[
            OWNER,
            APP,
            FORM,
            req("input", Kind::MapOrList),
            opt("other_params", Kind::Map),
        ],
        create_record,
    ),
    task(
        "updateRecord",
        &[
            OWNER,
            APP,
            REPORT,
            ID,
            req("values", Kind::Map),
            opt("other_params", Kind::Map),
        ],
        update_record,
    ),
    task(
        "updateRecords",
        &[
            OWNER,
            APP,
            REPORT,
            req("criteria", Kind::Text),
            req("values", Kind::Map),
            opt("other_params", Kind::Map),
        ],
        update_records,
    ),
];

const V2_1_TASKS: &[Task] = &[
    task(
        "getRecords",
        &[OWNER, APP, REPORT, opt("configuration", Kind::Map)],
        v2_1_get_records,
    ),
    task(
        "getRecordById",
        &[OWNER, APP, REPORT, ID, opt("configuration", Kind::Map)],
        get_record_by_id,
    ),
    task(
        "createRecord",
        &[
            OWNER,
            APP,
            FORM,
            req("input", Kind::Map),
            opt("configuration", Kind::Map),
        ],
        create_record,
    ),
    task(
        "createRecords",
        &[
            OWNER,
            APP,
            FORM,
            req("input", Kind::List),
            opt("configuration", Kind::Map),
        ],
        create_record,
    ),
    task(
        "updateRecordById",
        &[
            OWNER,
            APP,
            REPORT,
            ID,
            req("input", Kind::Map),
            opt("configuration", Kind::Map),
        ],
        update_record,
    ),
    task(
        "updateRecords",
        &[
            OWNER,
            APP,
            REPORT,
            req("criteria", Kind::Text),
            req("input", Kind::Map),
            opt("configuration", Kind::Map),
        ],
        update_records,
    ),
];

/// A request to `{root}/{owner}/{app}/{kind}/{name}/{rest...}`.
fn request(
    call: &Call<'_, '_>,
    method: Method,
    kind: &str,
    rest: &[&str],
) -> Result<TaskRequest, String> {
    let owner = call.product_arg(0, ZohoProduct::Creator, "owner")?;
    let app = call.product_arg(1, ZohoProduct::Creator, "app")?;
    let name = call.args.text(2);
    let segments = [&[owner.as_str(), app.as_str(), kind, name.as_str()], rest].concat();
    call.request(method, &segments)
}

/// A v2.1 `configuration` map: `environment` goes in a header, `record_cursor` too; the
/// rest is returned for the query or body.
fn configured(
    request: TaskRequest,
    configuration: Option<&Value>,
) -> (TaskRequest, Vec<(String, Value)>) {
    let mut request = request;
    let mut rest = Vec::new();
    for (key, value) in configuration.map(entries).unwrap_or_default() {
        if key.eq_ignore_ascii_case("environment") || key.eq_ignore_ascii_case("record_cursor") {
            request = request.header(&key, &super::args::id_text(&value));
        } else if !key.is_empty() {
            rest.push((key, value));
        }
    }
    (request, rest)
}

fn v2_get_records(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let mut request = request(call, Method::Get, "report", &[])?;
    let criteria = call.args.text(3);
    if !criteria.trim().is_empty() {
        request = request.query("criteria", &criteria);
    }
    let request = request
        .query("from", &call.args.number(4, 1).to_string())
        .query("limit", &call.args.number(5, 200).to_string());
    call.send_raw(request)
}

fn v2_1_get_records(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let (request, query) = configured(
        request(call, Method::Get, "report", &[])?,
        call.args.value(3),
    );
    let request = request.query_map(Some(&pairs_map(query)));
    call.send_raw(request)
}

fn get_record_by_id(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let id = call.args.text(3);
    let (request, query) = configured(
        request(call, Method::Get, "report", &[&id])?,
        call.args.value(4),
    );
    call.send_raw(request.query_map(Some(&pairs_map(query))))
}

fn create_record(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let input = call.args.map(3);
    let (request, extra) = configured(
        request(call, Method::Post, "form", &[])?,
        call.args.value(4),
    );
    let body = body(vec![("data".into(), input)], extra);
    call.send_raw_json(request, &body)
}

fn update_record(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let id = call.args.text(3);
    let values = call.args.map(4);
    let (request, extra) = configured(
        request(call, Method::Patch, "report", &[&id])?,
        call.args.value(5),
    );
    let body = body(vec![("data".into(), values)], extra);
    call.send_raw_json(request, &body)
}

fn update_records(call: &Call<'_, '_>) -> Result<Value, Failure> {
    let criteria = Value::text(call.args.text(3));
    let values = call.args.map(4);
    let (request, extra) = configured(
        request(call, Method::Patch, "report", &[])?,
        call.args.value(5),
    );
    let body = body(
        vec![("criteria".into(), criteria), ("data".into(), values)],
        extra,
    );
    call.send_raw_json(request, &body)
}

fn body(mut first: Vec<(String, Value)>, extra: Vec<(String, Value)>) -> Value {
    first.extend(extra);
    pairs_map(first)
}

fn pairs_map(pairs: Vec<(String, Value)>) -> Value {
    map_of(pairs.iter().map(|(k, v)| (k.as_str(), v.clone())).collect())
}
