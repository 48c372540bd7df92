//! Zoho tasks against a local Zoho API server (tests/support/zoho_server.py): for every task,
//! the request it sends (method, path, query, body, `Authorization: Zoho-oauthtoken ...`,
//! `orgId`) and the value the script gets, on success and on failure; connection choice,
//! errors, token renewal, and real-world scripts with checked-in expected output.

mod support;

use std::path::Path;
use std::process::Output;

use serde_json::{json, Value};
use support::peer::Peer;
use support::zoho;

/// A server, a `dlg` home with service `zoho_crm_local` and connection `c` to it.
struct Fixture {
    server: Peer,
    home: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let server = zoho::start(None);
        let home = tempfile::tempdir().unwrap();
        zoho::connect(home.path(), &server, "zoho_crm_local", "c");
        Fixture { server, home }
    }

    /// Runs `script` with `dlg run [flags]`.
    fn run(&self, script: &str, flags: &[&str]) -> Output {
        let path = self.home.path().join("script.dg");
        std::fs::write(&path, script).unwrap();
        let mut args = vec!["run", path.to_str().unwrap()];
        args.extend_from_slice(flags);
        zoho::dlg(self.home.path(), &args)
    }

    /// Runs `script` and returns its `info` lines; panics when it fails.
    fn lines(&self, script: &str, flags: &[&str]) -> Vec<String> {
        let output = self.run(script, flags);
        assert!(
            output.status.success(),
            "the script failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// The API requests the server received (not token requests), oldest first.
    fn requests(&self) -> Vec<Value> {
        zoho::requests(&self.server)
    }

    fn token(&self) -> String {
        let auth = self.requests()[0]["authorization"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(auth.starts_with("Zoho-oauthtoken tok-"), "{auth}");
        auth
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

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
    let path = Path::new("/");
    let _ = path;
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

#[test]
fn connection_failures_are_catchable_runtime_errors_and_api_errors_are_values() {
    let f = Fixture::new();
    let out = f.lines(
        r#"
try {
    r = zoho.crm.getRecordById("Leads", 42, "zz");
} catch (e) {
    info "caught: " + e;
}
try {
    r = zoho.crm.getRecords("Broken");
} catch (e) {
    info "caught: " + e;
}
info zoho.crm.getRecordById("Leads", 999).get("code");
"#,
        &[],
    );
    assert_eq!(
        out[0],
        "caught: zoho.crm.getRecordById: connection \"zz\" does not exist; create it with `dlg connection create zz --service SERVICE` (`dlg connection list` shows the existing ones)"
    );
    assert_eq!(
        out[1],
        format!(
            "caught: zoho.crm.getRecords: the reply from 127.0.0.1:{} (HTTP 502) is not JSON (no object or array): <html><body>502 Bad Gateway</body></html>",
            f.server.port
        )
    );
    assert_eq!(out[2], "INVALID_DATA");
}

#[test]
fn a_server_that_is_down_is_a_catchable_error() {
    let f = Fixture::new();
    let port = f.server.port;
    drop(f.server);
    let path = f.home.path().join("down.dg");
    std::fs::write(
        &path,
        "try { r = zoho.crm.getRecords(\"Leads\"); } catch (e) { info e; }",
    )
    .unwrap();
    let output = zoho::dlg(f.home.path(), &["run", path.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        text.starts_with("zoho.crm.getRecords: ") && text.contains(&format!("127.0.0.1:{port}")),
        "{text}"
    );
}

#[test]
fn wrong_arguments_name_the_task_and_its_signature() {
    let f = Fixture::new();
    let cases = [
        (
            r#"r = zoho.crm.getRecordById("Leads");"#,
            "zoho.crm.getRecordById: needs at least 2 arguments, got 1; usage: zoho.crm.getRecordById(module TEXT, record_id NUMBER|TEXT, [query_value MAP], [connection TEXT])",
        ),
        (
            r#"r = zoho.crm.createRecord("Leads", "x", {}, "c", "d");"#,
            "zoho.crm.createRecord: takes at most 4 arguments, got 5; usage: zoho.crm.createRecord(module TEXT, record_details MAP, [options_map MAP], [connection TEXT])",
        ),
        (
            r#"r = zoho.books.getRecords("Invoices", true);"#,
            "zoho.books.getRecords: argument 2 (org_id) must be NUMBER|TEXT, not BOOLEAN; usage: zoho.books.getRecords(module TEXT, org_id NUMBER|TEXT, [search MAP|TEXT], [connection TEXT])",
        ),
        (
            r#"r = zoho.desk.update(7, "Tickets", 8, {}, 5);"#,
            "zoho.desk.update: the connection (last argument) must be TEXT, not NUMBER; usage: zoho.desk.update(orgId NUMBER|TEXT, module TEXT, record_id NUMBER|TEXT, record_value MAP, [connection TEXT])",
        ),
        (
            r#"r = zoho.crm.deleteRecord("Leads", 1);"#,
            "no such task: zoho.crm.deleteRecord; delete with zoho.crm.invokeConnector(\"crm.delete\", {\"module\": MODULE, \"id\": ID}) or invokeurl (DELETE /crm/v2/MODULE/ID)",
        ),
        (
            r#"r = zoho.creator.deleteRecord("ada", "shop", "All_Orders", 1);"#,
            "no such task: zoho.creator.deleteRecord; Creator has no delete task; use invokeurl with DELETE …/report/REPORT/ID",
        ),
        (
            r#"r = zoho.desk.getTicket(1);"#,
            "`zoho.desk.getTicket` is not supported: deluge-lang runs these Zoho Desk tasks under zoho.desk: getRecordById, getRecords, searchRecords, create, update",
        ),
        (
            r#"r = zoho.crm.invokeConnector("crm.set", {"apiname": "x", "value": 1});"#,
            "zoho.crm.invokeConnector: connector crm.set is not available outside Zoho (only crm.delete is)",
        ),
        (
            r#"r = zoho.books.getRecords("Invoices", "", "", "c");"#,
            "zoho.books.getRecords: no organization_id given: pass it as argument 2 or set it for the run with `--zoho-param books.organization_id=VALUE`",
        ),
        (
            r#"r = zoho.projects.getRecords("x");"#,
            "`zoho.projects.getRecords` is a Zoho Projects task; no Zoho Projects host is connected to this run",
        ),
    ];
    for (script, message) in cases {
        let output = f.run(script, &[]);
        assert_eq!(output.status.code(), Some(1), "{script}");
        let text = stderr(&output);
        assert!(
            text.starts_with(&format!("Error: {message}")),
            "{script}\n{text}"
        );
    }
    assert!(
        f.requests().is_empty(),
        "nothing was sent: {:?}",
        f.requests()
    );
}

#[test]
fn without_a_connection_argument_the_default_or_the_only_product_connection_is_used() {
    let f = Fixture::new();
    let script = r#"info zoho.crm.getRecordById("Leads", 42).get("id");"#;
    assert_eq!(
        f.lines(script, &[]),
        vec!["42"],
        "the only zoho_crm_* connection"
    );
    let base = f.server.base_url();
    zoho::dlg_ok(
        f.home.path(),
        &["connection", "create", "c2", "--service", "zoho_crm_local"],
    );
    zoho::dlg_ok(f.home.path(), &["connection", "authorize", "c2"]);
    let output = f.run(script, &[]);
    assert!(
        stderr(&output).starts_with("Error: zoho.crm.getRecordById: no connection given and several Zoho CRM connections (c, c2); pass the connection's link name as the task's last argument, or set a default with `dlg run --zoho crm=LINK` (DLG_ZOHO_CRM; `:zoho crm LINK` in the REPL)"),
        "{}",
        stderr(&output)
    );
    assert_eq!(f.lines(script, &["--zoho", "crm=c2"]), vec!["42"]);
    let books = r#"info zoho.books.getOrganizations().get("code");"#;
    let output = f.run(books, &[]);
    assert!(
        stderr(&output).starts_with("Error: zoho.books.getOrganizations: no connection given and no default Zoho Books connection (dlg connection create … --service zoho_books_com); pass the connection's link name as the task's last argument, or set a default with `dlg run --zoho books=LINK` (DLG_ZOHO_BOOKS; `:zoho books LINK` in the REPL)"),
        "{}",
        stderr(&output)
    );
    let with_env = std::process::Command::new(env!("CARGO_BIN_EXE_dlg"))
        .args(["run", f.home.path().join("script.dg").to_str().unwrap()])
        .env("DLG_HOME", f.home.path())
        .env("DLG_ZOHO_BOOKS", "c")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&with_env.stdout),
        "0\n",
        "{}",
        stderr(&with_env)
    );
    let output = f.run(script, &["--zoho", "mail=c"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: unknown Zoho product `mail`; use crm, books, creator, desk or inventory\n"
    );
    let _ = base;
}

#[test]
fn a_rejected_token_is_renewed_once_and_the_task_succeeds() {
    let f = Fixture::new();
    assert_eq!(
        f.lines(
            r#"info zoho.crm.getRecordById("Leads", 42).get("id");"#,
            &[]
        ),
        vec!["42"]
    );
    let old = f.token();
    let expire = format!("{}/_admin/expire", f.server.base_url());
    let answer = std::process::Command::new("python3")
        .args([
            "-c",
            &format!("import urllib.request as u; u.urlopen(u.Request('{expire}', method='POST'))"),
        ])
        .output()
        .unwrap();
    assert!(answer.status.success());
    assert_eq!(
        f.lines(
            r#"info zoho.crm.getRecordById("Leads", 42).get("id");"#,
            &["-v"]
        ),
        vec!["42"]
    );
    let requests = f.requests();
    assert_eq!(
        requests.len(),
        3,
        "first call, the rejected retry, the renewed one"
    );
    assert_eq!(requests[1]["authorization"], old.as_str());
    assert_ne!(requests[2]["authorization"], old.as_str());
    let refreshes = f
        .server
        .stdout_lines()
        .iter()
        .filter(|l| l.as_str() == "EVENT token refresh_token")
        .count();
    assert_eq!(refreshes, 1);
}

#[test]
fn verbose_logging_redacts_the_token() {
    let f = Fixture::new();
    let output = f.run(
        r#"info zoho.crm.getRecordById("Leads", 42).get("id");"#,
        &["--verbose"],
    );
    assert!(output.status.success());
    let log = stderr(&output);
    let token = f.token();
    let token = token.trim_start_matches("Zoho-oauthtoken ");
    assert!(log.contains("GET http://127.0.0.1"), "{log}");
    assert!(log.contains("signing with connection \"c\""), "{log}");
    assert!(
        log.contains("zoho: API call 1: zoho.crm.getRecordById over connection \"c\""),
        "{log}"
    );
    assert!(!log.contains(token), "the token leaked: {log}");
}

#[test]
fn a_host_outside_the_allowed_hosts_gets_no_credentials() {
    let server = zoho::start(None);
    let home = tempfile::tempdir().unwrap();
    let base = server.base_url();
    let token_url = format!("{base}/oauth/v2/token");
    zoho::dlg_ok(
        home.path(),
        &[
            "service",
            "create",
            "zoho_crm_other",
            "--auth",
            "oauth2",
            "--grant",
            "client-credentials",
            "--token-url",
            &token_url,
            "--client-id",
            "i",
            "--client-secret",
            "s",
            "--token-prefix",
            "Zoho-oauthtoken",
            "--host",
            "www.zohoapis.com",
        ],
    );
    zoho::dlg_ok(
        home.path(),
        &["connection", "create", "o", "--service", "zoho_crm_other"],
    );
    zoho::dlg_ok(home.path(), &["connection", "authorize", "o"]);
    let script = home.path().join("s.dg");
    std::fs::write(&script, r#"r = zoho.crm.getRecordById("Leads", 42, "o");"#).unwrap();
    let output = zoho::dlg(home.path(), &["run", script.to_str().unwrap()]);
    let text = stderr(&output);
    assert!(
        text.starts_with(
            "Error: zoho.crm.getRecordById: connection \"o\" may not send its credentials to host \"127.0.0.1\" (it allows only \"www.zohoapis.com\")"
        ),
        "the token's api_domain is the local server, which the service does not allow: {text}"
    );
    assert!(zoho::requests(&server).is_empty());
    zoho::dlg_ok(
        home.path(),
        &["service", "edit", "zoho_crm_other", "--api-base", &base],
    );
    let output = zoho::dlg(home.path(), &["run", script.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn the_repl_sets_a_product_connection_with_the_zoho_command() {
    let f = Fixture::new();
    zoho::dlg_ok(
        f.home.path(),
        &["connection", "create", "c2", "--service", "zoho_crm_local"],
    );
    zoho::dlg_ok(f.home.path(), &["connection", "authorize", "c2"]);
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_dlg"));
    command
        .args(["repl", "--no-history"])
        .env("DLG_HOME", f.home.path());
    let output = support::output_with_stdin(
        &mut command,
        b":zoho crm c2\ninfo zoho.crm.getRecordById(\"Leads\", 42).get(\"Company\");\n:zoho crm\n",
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("Zoho CRM tasks now use connection \"c2\".\nZylker\n"),
        "{text}{}",
        stderr(&output)
    );
    assert!(
        stderr(&output)
            .contains("error: `:zoho` needs a product and a connection: `:zoho crm LINK`"),
        "{}",
        stderr(&output)
    );
}

/// Runs `dlg connection authorize LINK`, plays the browser on oidc-provider's consent pages
/// and lets the redirect reach dlg's loopback listener.
fn authorize_in_browser(home: &Path, link: &str) {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_dlg"))
        .args(["connection", "authorize", link])
        .env("DLG_HOME", home)
        .env_remove("DLG_MASTER_KEY")
        .env("PATH", "/nonexistent")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dlg");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let url = loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).expect("read") > 0,
            "dlg printed no URL"
        );
        if let Some(rest) = line.trim().strip_prefix("http://127.0.0.1") {
            break url::Url::parse(&format!("http://127.0.0.1{rest}")).expect("URL");
        }
    };
    let mut browser = support::browser::Browser::new();
    let target = browser
        .walk_to_redirect(&url, support::browser::Choice::Approve)
        .expect("redirect");
    assert_eq!(browser.get(&target).status, 200);
    let output = child.wait_with_output().expect("dlg output");
    assert!(output.status.success(), "authorize failed");
}

#[test]
fn tasks_signed_by_a_real_oauth2_connection_refresh_an_expired_token_once() {
    use deluge_lang::connections::Store;
    let oidc = support::oidc::start();
    let oidc_base = oidc.base_url();
    let server = zoho::start(Some(&format!("{oidc_base}/me")));
    let home = tempfile::tempdir().unwrap();
    let api = server.base_url();
    zoho::dlg_ok(
        home.path(),
        &[
            "service",
            "create",
            "zoho_crm_oidc",
            "--auth",
            "oauth2",
            "--authorize-url",
            &format!("{oidc_base}/auth"),
            "--token-url",
            &format!("{oidc_base}/token"),
            "--client-id",
            "short",
            "--client-secret",
            "short-secret",
            "--scope-delimiter",
            "space",
            "--token-prefix",
            "Zoho-oauthtoken",
            "--api-base",
            &api,
        ],
    );
    zoho::dlg_ok(
        home.path(),
        &[
            "connection",
            "create",
            "crm",
            "--service",
            "zoho_crm_oidc",
            "--scope",
            "openid",
            "--scope",
            "offline_access",
        ],
    );
    authorize_in_browser(home.path(), "crm");
    let script = home.path().join("s.dg");
    std::fs::write(
        &script,
        r#"info zoho.crm.updateRecord("Deals", 5, {"Stage": "Won"}).get("id");"#,
    )
    .unwrap();
    let run = || zoho::dlg(home.path(), &["run", script.to_str().unwrap()]);
    let refreshes = || {
        oidc.stdout_lines()
            .iter()
            .filter(|l| l.starts_with("EVENT grant.success refresh_token"))
            .count()
    };
    // The token expired (2 s) and the store knows it: one refresh before the call. (One task
    // per run: tokens this short are renewed before every use.)
    std::thread::sleep(std::time::Duration::from_millis(3200));
    let output = run();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "5\n");
    assert_eq!(refreshes(), 1);
    // Expired again, but the store believes it good for an hour: Zoho's 401, one refresh,
    // one retry.
    std::thread::sleep(std::time::Duration::from_millis(3200));
    let store = Store::at(home.path()).with_master_key(None);
    store
        .update(|tx| {
            let later = jiff::Timestamp::now().as_second() + 3600;
            tx.connection_mut("crm")?.expires_at =
                Some(jiff::Timestamp::from_second(later).unwrap());
            Ok(())
        })
        .unwrap();
    let output = run();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "5\n");
    // Zoho's 401 made dlg renew the token (oidc-provider's 2 s tokens are also renewed again
    // before the retry, being inside the 60 s renewal margin).
    assert!(refreshes() >= 2, "{:?}", oidc.stdout_lines());
    let paths: Vec<Value> = zoho::requests(&server)
        .iter()
        .map(|r| r["path"].clone())
        .collect();
    assert_eq!(
        paths,
        vec![json!("/crm/v2/Deals/5"); 3],
        "the second run's first call was rejected once and retried"
    );
}

/// Real-world-style scripts in tests/zoho_golden: each runs unchanged against a fresh server
/// with the flags of its `.args` file (one per line, `{base}` standing for the server's URL)
/// and must print its `.out` file. `ZOHO_GOLDEN_BLESS=1` rewrites the `.out` files.
#[test]
fn real_world_scripts_print_their_expected_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/zoho_golden");
    let mut scripts: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "dg"))
        .collect();
    scripts.sort();
    assert_eq!(scripts.len(), 10, "{scripts:?}");
    let bless = std::env::var_os("ZOHO_GOLDEN_BLESS").is_some();
    let mut failures = Vec::new();
    for script in scripts {
        let f = Fixture::new();
        let base = f.server.base_url();
        let args_text = std::fs::read_to_string(script.with_extension("args")).unwrap_or_default();
        let flags: Vec<String> = args_text
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| l.replace("{base}", &base))
            .collect();
        let mut args = vec!["run".to_owned(), script.display().to_string()];
        args.extend(flags);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = zoho::dlg(f.home.path(), &args);
        let actual = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let expected_path = script.with_extension("out");
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected || !output.status.success() {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- actual\n{actual}",
                script.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn ctrl_c_stops_a_task_waiting_for_zoho() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let f = Fixture::new();
    let script = f.home.path().join("slow.dg");
    std::fs::write(
        &script,
        "info \"sent\";\nr = zoho.crm.getRecords(\"Slow\");\ninfo \"never\";",
    )
    .unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_dlg"))
        .arg("run")
        .arg(&script)
        .env("DLG_HOME", f.home.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let waiting = Instant::now();
    while !f
        .server
        .stdout_lines()
        .iter()
        .any(|l| l.contains("/crm/v2/Slow"))
    {
        assert!(
            waiting.elapsed() < Duration::from_secs(20),
            "the request never arrived"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(200));
    let pressed = Instant::now();
    // SAFETY: sends SIGINT to the child this test started and still owns.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let output = child.wait_with_output().unwrap();
    assert!(
        pressed.elapsed() < Duration::from_secs(3),
        "took {:?}",
        pressed.elapsed()
    );
    let text = stderr(&output);
    assert!(text.starts_with("Error: interrupted (Ctrl-C)"), "{text}");
    assert!(text.contains("slow.dg:2:"), "{text}");
    assert_eq!(output.status.code(), Some(130), "{text}");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "sent\n");
}

/// An embedder's own transport and connection store: the Zoho host sends through the engine's
/// transport (what `dlg test` records) and asks the store where the connection's API lives.
#[test]
fn embedders_route_zoho_tasks_through_their_transport_and_store() {
    use deluge_lang::http::{
        ConnectionAuthorizer, ConnectionError, ConnectionInfo, HttpError, HttpRequest,
        HttpResponse, SendOptions, Transport,
    };
    use deluge_lang::zoho::{ZohoHost, ZohoProduct};
    use std::sync::{Arc, Mutex};

    struct Store;
    impl ConnectionAuthorizer for Store {
        fn authorize(&self, _: &str, request: &mut HttpRequest) -> Result<(), ConnectionError> {
            request.set_header("Authorization", "Zoho-oauthtoken embedded");
            Ok(())
        }
        fn describe(&self, link: &str) -> Result<Option<ConnectionInfo>, ConnectionError> {
            Ok(Some(ConnectionInfo {
                link_name: link.into(),
                service: "zoho_crm_eu".into(),
                api_domain: Some("https://www.zohoapis.eu".into()),
                api_base: None,
            }))
        }
    }
    struct Recorder(Arc<Mutex<Vec<String>>>);
    impl Transport for Recorder {
        fn send(&self, request: HttpRequest, _: &SendOptions) -> Result<HttpResponse, HttpError> {
            let auth = request.header("authorization").unwrap_or("").to_owned();
            self.0.lock().unwrap().push(format!(
                "{} {} {auth}",
                request.method.as_str(),
                request.url
            ));
            let body = br#"{"data":[{"id":"1","Last_Name":"Lovelace"}]}"#.to_vec();
            Ok(HttpResponse {
                status: 200,
                headers: vec![],
                body,
                url: request.url,
            })
        }
    }
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut engine = deluge_lang::Engine::new();
    engine.set_transport(Recorder(Arc::clone(&log)));
    engine.set_connections(Some(Arc::new(Store)));
    engine.set_host(ZohoHost::default());
    engine
        .zoho_settings_mut()
        .set_default_connection(ZohoProduct::Crm, "mine");
    let name: String = engine
        .eval(r#"zoho.crm.getRecordById("Leads", 1).get("Last_Name")"#)
        .unwrap();
    assert_eq!(name, "Lovelace");
    let desk: String = engine
        .eval(r#"zoho.desk.getRecordById(7, "Tickets", 8, "mine").keys().toString()"#)
        .unwrap();
    assert_eq!(desk, "data", "Desk gets the reply unchanged");
    assert_eq!(
        *log.lock().unwrap(),
        vec![
            "GET https://www.zohoapis.eu/crm/v2/Leads/1 Zoho-oauthtoken embedded".to_owned(),
            "GET https://desk.zoho.eu/api/v1/tickets/8 Zoho-oauthtoken embedded".to_owned(),
        ]
    );
}
