//! Zoho tasks against a local Zoho API server (tests/support/zoho_server.py): for every task,
//! the request it sends (method, path, query, body, `Authorization: Zoho-oauthtoken ...`,
//! `orgId`) and the value the script gets, on success and on failure. Connection choice,
//! errors, token renewal and real-world scripts are in tests/zoho_runs.rs.

#[path = "../../tests/support/mod.rs"]
mod support;

use serde_json::{json, Value};
use support::zoho::{stderr, Fixture};

/// `[method, path, query]` of a logged request.
fn line(request: &Value) -> Value {
    json!([request["method"], request["path"], request["query"]])
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn crm_reads_unwrap_records_and_lists() {
    let f = Fixture::new();
    let out = f.lines(
        r#"
r = zoho.crm.getRecordById("Leads", 42, "c");
info r;
info r.get("Owner").get("id");
info zoho.crm.getRecordById("Leads", "999");
info zoho.crm.getRecordById("Leads", 42, {"fields": "Last_Name"}, "c");
info zoho.crm.getRecords("Contacts").get(1).get("id");
info zoho.crm.getRecords("Contacts", 2, 1, {"fields": {"Last_Name", "Email"}}).size();
info zoho.crm.getRecords("Contacts", 9, 200).size();
info zoho.crm.getRecords("Nope");
"#,
        &[],
    );
    assert_eq!(
        parse(&out[0]),
        json!({"id":"42","Last_Name":"X","Company":"Zylker","Email":"lead@zylker.com","Phone":"555-0100","Owner":{"name":"A","id":"7"}})
    );
    assert_eq!(out[1], "7");
    assert_eq!(
        parse(&out[2]),
        json!({"code":"INVALID_DATA","details":{"resource_path_index":1},"message":"the related id given seems to be invalid","status":"error"})
    );
    assert_eq!(parse(&out[3])["id"], "42");
    assert_eq!(out[4], "501", "a LIST of records");
    assert_eq!(out[5], "1");
    assert_eq!(out[6], "0", "HTTP 204 gives an empty LIST");
    assert_eq!(parse(&out[7])["code"], "INVALID_MODULE");
    let requests = f.requests();
    let token = f.token();
    assert!(requests
        .iter()
        .all(|r| r["authorization"] == token.as_str()));
    let lines: Vec<Value> = requests.iter().map(line).collect();
    assert_eq!(
        lines,
        vec![
            json!(["GET", "/crm/v2/Leads/42", {}]),
            json!(["GET", "/crm/v2/Leads/999", {}]),
            json!(["GET", "/crm/v2/Leads/42", {"fields": "Last_Name"}]),
            json!(["GET", "/crm/v2/Contacts", {"page": "1", "per_page": "200"}]),
            json!(["GET", "/crm/v2/Contacts", {"page": "2", "per_page": "1", "fields": "Last_Name,Email"}]),
            json!(["GET", "/crm/v2/Contacts", {"page": "9", "per_page": "200"}]),
            json!(["GET", "/crm/v2/Nope", {"page": "1", "per_page": "200"}]),
        ]
    );
}

#[test]
fn crm_search_by_criteria_email_phone_and_word_and_related_records() {
    let f = Fixture::new();
    let out = f.lines(
        r#"
info zoho.crm.searchRecords("Leads", "(Email:equals:a@b.c)").size();
hits = zoho.crm.searchRecords("Leads", "(Email:equals:lead@zylker.com)", 1, 200, "c");
info hits.get(0).get("id");
info zoho.crm.searchRecords("Leads", "(Company:starts_with:Ac)or(Last_Name:equals:X)").size();
info zoho.crm.searchRecords("Contacts", "", 1, 200, {"email": "bob@zylker.com"}).get(0).get("id");
info zoho.crm.searchRecords("Leads", "", 1, 200, {"phone": "555-0101"}).get(0).get("id");
info zoho.crm.searchRecords("Leads", "", 1, 10, {"word": "Acme"}).size();
info zoho.crm.searchRecords("Leads", "");
info zoho.crm.getRelatedRecords("Contacts", "Accounts", 300).size();
info zoho.crm.getRelatedRecords("Deals", "Contacts", "501", 1, 200, "c").size();
info zoho.crm.getRelatedRecords("Nothing", "Accounts", 300);
"#,
        &[],
    );
    assert_eq!(out[..6].to_vec(), vec!["0", "42", "2", "501", "43", "1"]);
    assert_eq!(parse(&out[6])["code"], "REQUIRED_PARAM_MISSING");
    assert_eq!(out[7], "2");
    assert_eq!(out[8], "0");
    assert_eq!(
        parse(&out[9])["message"],
        "the related name given seems to be invalid"
    );
    let lines: Vec<Value> = f.requests().iter().map(line).collect();
    assert_eq!(
        lines[0],
        json!(["GET", "/crm/v2/Leads/search", {"criteria": "(Email:equals:a@b.c)", "page": "1", "per_page": "200"}])
    );
    assert_eq!(
        lines[3],
        json!(["GET", "/crm/v2/Contacts/search", {"email": "bob@zylker.com", "page": "1", "per_page": "200"}])
    );
    assert_eq!(
        lines[5],
        json!(["GET", "/crm/v2/Leads/search", {"word": "Acme", "page": "1", "per_page": "10"}])
    );
    assert_eq!(
        lines[7],
        json!(["GET", "/crm/v2/Accounts/300/Contacts", {"page": "1", "per_page": "200"}])
    );
}

#[test]
fn crm_writes_send_triggers_and_return_details_or_the_error_item() {
    let f = Fixture::new();
    let out = f.lines(
        r#"
created = zoho.crm.createRecord("Leads", {"Last_Name": "New", "Company": "Co", "Email": "new@co.com"});
info created.get("id") != null;
info created.keys();
info zoho.crm.createRecord("Leads", {"Company": "No name"});
info zoho.crm.updateRecord("Deals", 5, {"Stage": "Won"}, {"trigger": {"workflow"}}).get("id");
info zoho.crm.updateRecord("Deals", 77, {"Stage": "Won"});
info zoho.crm.createRecord("Leads", {"Last_Name": "Quiet"}, {"trigger": {""}, "lar_id": "9"}, "c").get("id") != null;
info zoho.crm.upsert("Leads", {"Last_Name": "X2", "Email": "lead@zylker.com"}, {"duplicate_check_fields": {"Email"}}).get("id");
info zoho.crm.upsert("Leads", {"Company": "Nameless"});
bulk = zoho.crm.bulkCreate("Contacts", {{"Last_Name": "A"}, {"First_Name": "B"}});
info bulk.size() + " " + bulk.get(0).get("status") + " " + bulk.get(1).get("code");
info zoho.crm.bulkUpdate("Contacts", {{"id": "500", "Mailing_City": "Goa"}}).get(0).get("details").get("id");
info zoho.crm.updateRelatedRecord("Contacts", "501", "Accounts", 300, {"Title": "CFO"});
info zoho.crm.getRecordById("Contacts", 500).get("Mailing_City");
"#,
        &[],
    );
    assert_eq!(out[0], "true");
    assert_eq!(
        out[1],
        "Modified_Time,Modified_By,Created_Time,id,Created_By"
    );
    assert_eq!(
        parse(&out[2]),
        json!({"code":"MANDATORY_NOT_FOUND","details":{"api_name":"Last_Name"},"message":"required field not found","status":"error"})
    );
    assert_eq!(out[3], "5");
    assert_eq!(parse(&out[4])["code"], "INVALID_DATA");
    assert_eq!(out[5], "true");
    assert_eq!(out[6], "42", "upsert found the lead by Email");
    assert_eq!(parse(&out[7])["code"], "MANDATORY_NOT_FOUND");
    assert_eq!(out[8], "2 success MANDATORY_NOT_FOUND");
    assert_eq!(out[9], "500");
    assert_eq!(parse(&out[10])["id"], "501");
    assert_eq!(out[11], "Goa");
    let requests = f.requests();
    let create = &requests[0];
    assert_eq!(line(create), json!(["POST", "/crm/v2/Leads", {}]));
    assert_eq!(create["content_type"], "application/json");
    assert_eq!(
        create["body"],
        json!({"data":[{"Last_Name":"New","Company":"Co","Email":"new@co.com"}],"trigger":["approval","blueprint","orchestration"]})
    );
    assert_eq!(line(&requests[2]), json!(["PUT", "/crm/v2/Deals/5", {}]));
    assert_eq!(
        requests[2]["body"],
        json!({"data":[{"Stage":"Won"}],"trigger":["workflow"]})
    );
    assert_eq!(
        requests[4]["body"],
        json!({"data":[{"Last_Name":"Quiet"}],"trigger":[],"lar_id":"9"})
    );
    assert_eq!(
        line(&requests[5]),
        json!(["POST", "/crm/v2/Leads/upsert", {}])
    );
    assert_eq!(
        requests[5]["body"]["duplicate_check_fields"],
        json!(["Email"])
    );
    assert_eq!(line(&requests[7]), json!(["POST", "/crm/v2/Contacts", {}]));
    assert_eq!(line(&requests[8]), json!(["PUT", "/crm/v2/Contacts", {}]));
    assert_eq!(
        line(&requests[9]),
        json!(["PUT", "/crm/v2/Accounts/300/Contacts/501", {}])
    );
    assert_eq!(requests[9]["body"], json!({"data":[{"Title":"CFO"}]}));
}

#[test]
fn crm_convert_attach_org_variables_and_the_delete_connector() {
    let f = Fixture::new();
    let out = f.lines(
        r#"
resp = zoho.crm.convertLead(43, {"overwrite": true, "Deals": {"Deal_Name": "Acme deal", "Closing_Date": '2024-06-30', "Stage": "Won"}});
info resp.keys();
info resp.get("Deals") != null;
info zoho.crm.convertLead(999);
f = "call notes".toFile("notes.txt");
a = zoho.crm.attachFile("Deals", 5, f);
info a.get("status") + " " + a.get("message") + " " + (a.get("details").get("id") != null);
info zoho.crm.getOrgVariable("Region");
info zoho.crm.getOrgVariable("Missing") == "";
gone = zoho.crm.invokeConnector("crm.delete", {"module": "Leads", "id": 42});
info gone.get("status_code");
info gone.get("response").toMap().get("data").get(0).get("message");
info zoho.crm.getRecordById("Leads", 42).get("code");
"#,
        &[],
    );
    assert_eq!(out[0], "Contacts,Deals,Accounts");
    assert_eq!(out[1], "true");
    assert_eq!(parse(&out[2])["code"], "INVALID_DATA");
    assert_eq!(out[3], "success attachment uploaded successfully true");
    assert_eq!(out[4], "EMEA");
    assert_eq!(out[5], "true");
    assert_eq!(out[6], "200");
    assert_eq!(out[7], "record deleted");
    assert_eq!(out[8], "INVALID_DATA");
    let requests = f.requests();
    assert_eq!(
        line(&requests[0]),
        json!(["POST", "/crm/v2/Leads/43/actions/convert", {}])
    );
    assert_eq!(
        requests[0]["body"],
        json!({"data":[{"overwrite":true,"Deals":{"Deal_Name":"Acme deal","Closing_Date":"2024-06-30","Stage":"Won"}}]})
    );
    assert_eq!(requests[1]["body"], json!({"data":[{}]}));
    assert_eq!(
        line(&requests[2]),
        json!(["POST", "/crm/v2/Deals/5/Attachments", {}])
    );
    let parts = &requests[2]["body"]["multipart"];
    assert_eq!(parts[0]["name"], "file");
    assert_eq!(parts[0]["filename"], "notes.txt");
    assert_eq!(parts[0]["content"], "call notes");
    assert_eq!(
        line(&requests[3]),
        json!(["GET", "/crm/v2/settings/variables", {}])
    );
    assert_eq!(
        line(&requests[5]),
        json!(["DELETE", "/crm/v2/Leads/42", {}])
    );
}

#[test]
fn crm_v8_tasks_and_the_legacy_version_setting_choose_the_api_version() {
    let f = Fixture::new();
    let out = f.lines(
        r#"info zoho.crm.v8.getRecordById("Leads", 42, {"fields": "Last_Name"}).get("Last_Name");
info zoho.crm.v8.searchRecords("Leads", "(Last_Name:equals:X)").size();"#,
        &[],
    );
    assert_eq!(out, vec!["X", "1"]);
    f.lines(
        r#"info zoho.crm.getRecordById("Leads", 42).get("id");"#,
        &[],
    );
    let mut with_env = std::process::Command::new(env!("CARGO_BIN_EXE_dlg"));
    let script = f.home.path().join("v.dg");
    std::fs::write(&script, r#"info zoho.crm.getRecords("Deals").size();"#).unwrap();
    let output = with_env
        .args(["run", script.to_str().unwrap()])
        .env("DLG_HOME", f.home.path())
        .env("DLG_ZOHO_CRM_API_VERSION", "v8")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let paths: Vec<Value> = f.requests().iter().map(|r| r["path"].clone()).collect();
    assert_eq!(
        paths,
        vec![
            json!("/crm/v8/Leads/42"),
            json!("/crm/v8/Leads/search"),
            json!("/crm/v2/Leads/42"),
            json!("/crm/v8/Deals")
        ]
    );
}

#[test]
fn books_tasks_return_books_json_with_the_organization_in_the_query() {
    let f = Fixture::new();
    let out = f.lines(
        r#"
info zoho.books.getRecordsByID("Invoices", "99", "5", "c").get("invoice").get("status");
info zoho.books.getRecordsById("Invoices", 99, 404, "c");
info zoho.books.getRecords("Contacts", 99, {"zcrm_account_id": "300"}, "c").get("contacts").get(0).get("contact_name");
info zoho.books.getRecords("Contacts", 99, "contact_name=Zylker&page=1", "c").get("contacts").size();
inv = zoho.books.createRecord("Invoices", 99, {"customer_id": "460000000026049", "line_items": [{"item_id": "77", "quantity": 2}]}, "c");
info inv.get("code") + " " + inv.get("message");
info zoho.books.createRecord("Invoices", 99, {"line_items": []}, "c");
info zoho.books.updateRecord("Invoices", 99, 5, {"reference_number": "PO-1"}, "c").get("invoice").get("reference_number");
info zoho.books.markStatus("Invoices", 99, 5, "void", "c").get("message");
info zoho.books.getOrganizations("c").get("organizations").get(0).get("organization_id");
info zoho.books.getTemplates("Invoices", 99, "c").get("templates").size();
info zoho.books.getRecords("Invoices", 123, "", "c");
info zoho.books.getRecordsByID("Invoices", "", 5, "c").get("code");
"#,
        &["--zoho-param", "books.organization_id=99"],
    );
    assert_eq!(out[0], "draft");
    assert_eq!(
        parse(&out[1]),
        json!({"code":1002,"message":"Invoice does not exist."})
    );
    assert_eq!(out[2], "Zylker");
    assert_eq!(out[3], "1");
    assert_eq!(out[4], "0 The invoice has been created.");
    assert_eq!(
        parse(&out[5]),
        json!({"code":4,"message":"Invalid value passed for customer_id"})
    );
    assert_eq!(out[6], "PO-1");
    assert_eq!(out[7], "Invoice status has been changed to Void.");
    assert_eq!(out[8], "99");
    assert_eq!(out[9], "1");
    assert_eq!(
        parse(&out[10]),
        json!({"code":6041,"message":"This user is not associated with the CompanyID/CompanyName:123."})
    );
    assert_eq!(
        out[11], "0",
        "the organization comes from --zoho-param when the script leaves it empty"
    );
    let lines: Vec<Value> = f.requests().iter().map(line).collect();
    assert_eq!(
        lines[0],
        json!(["GET", "/books/v3/invoices/5", {"organization_id": "99"}])
    );
    assert_eq!(
        lines[2],
        json!(["GET", "/books/v3/contacts", {"organization_id": "99", "zcrm_account_id": "300"}])
    );
    assert_eq!(
        lines[3],
        json!(["GET", "/books/v3/contacts", {"organization_id": "99", "contact_name": "Zylker", "page": "1"}])
    );
    assert_eq!(
        lines[4],
        json!(["POST", "/books/v3/invoices", {"organization_id": "99"}])
    );
    assert_eq!(
        f.requests()[4]["body"],
        json!({"customer_id":"460000000026049","line_items":[{"item_id":"77","quantity":2}]})
    );
    assert_eq!(
        lines[6],
        json!(["PUT", "/books/v3/invoices/5", {"organization_id": "99"}])
    );
    assert_eq!(
        lines[7],
        json!(["POST", "/books/v3/invoices/5/status/void", {"organization_id": "99"}])
    );
    assert_eq!(lines[8], json!(["GET", "/books/v3/organizations", {}]));
    assert_eq!(
        lines[9],
        json!(["GET", "/books/v3/invoices/templates", {"organization_id": "99"}])
    );
}

#[test]
fn inventory_tasks_use_inventory_v1() {
    let f = Fixture::new();
    let out = f.lines(
        r#"
info zoho.inventory.getRecordsByID("TransferOrders", 99, 12, "c").get("transfer_order").get("line_items").size();
info zoho.inventory.getRecords("Items", "99", {"name": "Renewal"}, "c").get("items").size();
info zoho.inventory.createRecord("SalesOrders", 99, {"customer_id": "460000000026049"}, "c").get("message");
info zoho.inventory.updateRecord("Items", 99, 77, {"rate": 99.50}, "c").get("item").get("rate");
info zoho.inventory.getRecordsByID("Items", 99, 1, "c").get("code");
"#,
        &[],
    );
    assert_eq!(
        out,
        vec!["1", "1", "The salesorder has been created.", "99.5", "1002"]
    );
    let lines: Vec<Value> = f.requests().iter().map(line).collect();
    assert_eq!(
        lines[0],
        json!(["GET", "/inventory/v1/transferorders/12", {"organization_id": "99"}])
    );
    assert_eq!(
        lines[3],
        json!(["PUT", "/inventory/v1/items/77", {"organization_id": "99"}])
    );
    assert_eq!(f.requests()[3]["body"], json!({"rate": 99.50}));
}

#[test]
fn creator_v2_and_v2_1_tasks_return_creator_json() {
    let f = Fixture::new();
    let out = f.lines(
        r#"
info zoho.creator.getRecords("ada", "shop", "All_Orders", "ID != 0", 1, 200, "c").get("code");
info zoho.creator.getRecords("ada", "shop", "All_Orders", "CRM_ID == \"9\"", 1, 200, "c");
info zoho.creator.getRecordById("ada", "shop", "All_Orders", 3001, "c").get("data").get("Name");
made = zoho.creator.createRecord("ada", "shop", "Order", {"Name": "Bo", "Qty": 1}, {"result": {"message": true}}, "c");
info made.get("code") + " " + made.get("message");
info zoho.creator.createRecord("ada", "shop", "Order", {"Qty": 1}, {}, "c").get("code");
info zoho.creator.updateRecord("ada", "shop", "All_Orders", 3001, {"Qty": 5}, {}, "c").get("message");
info zoho.creator.updateRecords("ada", "shop", "All_Orders", "Name == \"Ada\"", {"Qty": 6}, {}, "c").get("result").size();
info zoho.creator.getRecords("ada", "nope", "All_Orders", "", 1, 200, "c").get("code");
info zoho.creator.v2_1.getRecords("", "", "All_Orders", {"criteria": "Qty == 6", "max_records": 200, "environment": "development"}, "c").get("data").size();
info zoho.creator.v2_1.getRecordById("ada", "shop", "All_Orders", 3001, {}, "c").get("data").get("Qty");
info zoho.creator.v2_1.createRecord("ada", "shop", "Order", {"Name": "Cy"}, {"skip_workflow": {"form_workflow"}}, "c").get("code");
info zoho.creator.v2_1.createRecords("ada", "shop", "Order", {{"Name": "D1"}, {"Qty": 2}}, {}, "c").get("result").get(1).get("code");
info zoho.creator.v2_1.updateRecordById("ada", "shop", "All_Orders", 3001, {"Qty": 7}, {}, "c").get("code");
info zoho.creator.v2_1.updateRecords("ada", "shop", "All_Orders", "Qty == 7", {"Qty": 8}, {}, "c").get("result").get(0).get("code");
"#,
        &["--zoho-param", "creator.owner=ada", "--zoho-param", "creator.app=shop"],
    );
    assert_eq!(out[0], "3000");
    assert_eq!(
        parse(&out[1]),
        json!({"code":3100,"message":"No Data Available"})
    );
    assert_eq!(out[2], "Ada");
    assert_eq!(out[3], "3000 Data Added Successfully!");
    assert_eq!(out[4], "3001");
    assert_eq!(out[5], "Data Updated Successfully!");
    assert_eq!(out[6], "1");
    assert_eq!(out[7], "2892");
    assert_eq!(
        out[8..].to_vec(),
        vec!["1", "6", "3000", "3001", "3000", "3000"]
    );
    let requests = f.requests();
    let lines: Vec<Value> = requests.iter().map(line).collect();
    assert_eq!(
        lines[0],
        json!(["GET", "/api/v2/ada/shop/report/All_Orders", {"criteria": "ID != 0", "from": "1", "limit": "200"}])
    );
    assert_eq!(
        lines[2],
        json!(["GET", "/api/v2/ada/shop/report/All_Orders/3001", {}])
    );
    assert_eq!(lines[3], json!(["POST", "/api/v2/ada/shop/form/Order", {}]));
    assert_eq!(
        requests[3]["body"],
        json!({"data":{"Name":"Bo","Qty":1},"result":{"message":true}})
    );
    assert_eq!(
        lines[5],
        json!(["PATCH", "/api/v2/ada/shop/report/All_Orders/3001", {}])
    );
    assert_eq!(
        requests[6]["body"],
        json!({"criteria":"Name == \"Ada\"","data":{"Qty":6}})
    );
    assert_eq!(
        lines[8],
        json!(["GET", "/creator/v2.1/data/ada/shop/report/All_Orders", {"criteria": "Qty == 6", "max_records": "200"}])
    );
    assert_eq!(requests[8]["environment"], "development");
    assert_eq!(
        requests[10]["body"],
        json!({"data":{"Name":"Cy"},"skip_workflow":["form_workflow"]})
    );
    assert_eq!(
        lines[12],
        json!([
            "PATCH",
            "/creator/v2.1/data/ada/shop/report/All_Orders/3001",
            {}
        ])
    );
}

#[test]
fn desk_tasks_send_the_org_id_header_and_return_desk_json() {
    let f = Fixture::new();
    let out = f.lines(
        r#"
info zoho.desk.getRecordById(7, "Tickets", 8, "c").get("status");
info zoho.desk.getRecordById(7, "Tickets", 99, "c").get("errorCode");
info zoho.desk.getRecords(7, "Tickets", 1, 10, {"status": "Open"}, "c").get("data").size();
info zoho.desk.searchRecords(7, "tickets", {"ticketNumber": "7"}, 0, 1, "c");
info zoho.desk.searchRecords("7", "tickets", {"ticketNumber": "404"}, 0, 1, "c");
t = zoho.desk.create(7, "Tickets", {"subject": "Broken", "departmentId": "1", "contactId": "600"}, "c");
info t.get("id") != null && t.get("ticketNumber") != null;
info zoho.desk.create(7, "Tickets", {"departmentId": "1", "contactId": "600"}, "c").get("errors").get(0).get("fieldName");
info zoho.desk.update(7, "Tickets", 8, {"status": "Closed"}, "c").get("status");
info zoho.desk.getRecordById("", "Tickets", 8, "c").get("id");
info zoho.desk.getRecordById(1, "Tickets", 8, "c").get("errorCode");
"#,
        &["--zoho-param", "desk.orgId=7"],
    );
    assert_eq!(out[0], "Open");
    assert_eq!(out[1], "RESOURCE_NOT_FOUND");
    assert_eq!(out[2], "1");
    assert_eq!(parse(&out[3])["data"][0]["id"], "8");
    assert_eq!(out[4], "{}", "204 gives an empty map");
    assert_eq!(out[5], "true");
    assert_eq!(out[6], "/subject");
    assert_eq!(out[7], "Closed");
    assert_eq!(out[8], "8");
    assert_eq!(out[9], "INVALID_DATA");
    let requests = f.requests();
    assert!(requests[..9].iter().all(|r| r["orgId"] == "7"));
    let lines: Vec<Value> = requests.iter().map(line).collect();
    assert_eq!(lines[0], json!(["GET", "/api/v1/tickets/8", {}]));
    assert_eq!(
        lines[2],
        json!(["GET", "/api/v1/tickets", {"from": "1", "limit": "10", "status": "Open"}])
    );
    assert_eq!(
        lines[3],
        json!(["GET", "/api/v1/tickets/search", {"ticketNumber": "7", "from": "0", "limit": "1"}])
    );
    assert_eq!(lines[5], json!(["POST", "/api/v1/tickets", {}]));
    assert_eq!(lines[7], json!(["PATCH", "/api/v1/tickets/8", {}]));
    assert_eq!(requests[7]["body"], json!({"status":"Closed"}));
}
