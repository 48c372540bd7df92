//! Creator apps locally: each construct against a real SQLite database (through
//! `deluge_lang::creator::CreatorHost`), criteria edge cases, errors, transactions, `.ds`
//! exports, `dlg app`, and the real-world scripts of `tests/creator/`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use deluge_lang::creator::{CreatorHost, CreatorOptions, Outcome};
use deluge_lang::{CaptureOutput, Engine, NoHost};

#[path = "creator/scripts.rs"]
mod creator_scripts;

/// A run's printed lines, or its error as `line N: message`.
fn run(host: &Arc<CreatorHost>, source: &str) -> Result<Vec<String>, String> {
    let output = CaptureOutput::new();
    let mut engine = Engine::new();
    engine.env_mut().time_zone = jiff::tz::TimeZone::UTC;
    engine.set_output(output.clone());
    engine.set_host(Arc::clone(host));
    match engine.run(source) {
        Ok(_) => Ok(output.lines()),
        Err(e) => Err(format!("line {}: {}", e.line(), e.message())),
    }
}

fn memory_app() -> Arc<CreatorHost> {
    Arc::new(CreatorHost::in_memory().unwrap())
}

/// Orders with text, number, decimal, date and empty fields.
fn orders() -> Arc<CreatorHost> {
    let host = memory_app();
    run(
        &host,
        r#"
insert into Orders [ Item = "Pen" Qty = 2 Price = 2.50 Status = "Open" Due = '2024-03-05' ];
insert into Orders [ Item = "ink cartridge" Qty = 5 Price = 10.00 Status = "OPEN" Due = '2024-02-01' ];
insert into Orders [ Item = "Pad" Qty = 1 Price = 9.99 Due = '2024-04-10' ];
insert into Orders [ Item = "Stapler_50%" Qty = 3 Price = 2.5 Status = "Closed" ];
"#,
    )
    .unwrap();
    host
}

fn items(host: &Arc<CreatorHost>, criteria: &str) -> String {
    let lines = run(host, &format!("info Orders[{criteria}].Item.getAll();")).unwrap();
    lines.join("\n")
}

#[test]
fn insert_into_returns_the_new_id_and_fetch_reads_the_record_back() {
    let host = orders();
    let lines = run(
        &host,
        "id = insert into Orders [ Item = \"Clip\" Qty = 9 ];\ninfo id;\nrec = Orders[ID == id];\ninfo rec.Item + \" x\" + rec.Qty;\ninfo rec.count();\ninfo Orders[ID > 0].count();",
    )
    .unwrap();
    assert_eq!(lines, ["5", "Clip x9", "1", "5"]);
}

#[test]
fn text_criteria_ignore_letter_case_as_creator_search_does() {
    let host = orders();
    assert_eq!(items(&host, "Status == \"open\""), "Pen,ink cartridge");
    assert_eq!(items(&host, "Item.contains(\"INK\")"), "ink cartridge");
    assert_eq!(items(&host, "Item.startsWith(\"p\")"), "Pen,Pad");
    assert_eq!(items(&host, "Item.endsWith(\"PAD\")"), "Pad");
    assert_eq!(items(&host, "Status in {\"closed\", \"x\"}"), "Stapler_50%");
    assert_eq!(items(&host, "Item.contains(\"_50%\")"), "Stapler_50%");
    assert_eq!(
        items(&host, "Item.contains(\"%\") && Item.contains(\"r_\")"),
        "Stapler_50%"
    );
    assert_eq!(items(&host, "Item.contains(\"n_\")"), "");
}

#[test]
fn empty_fields_match_null_and_not_equal_but_no_ordering() {
    let host = orders();
    assert_eq!(items(&host, "Status == null"), "Pad");
    assert_eq!(items(&host, "Status is null"), "Pad");
    assert_eq!(
        items(&host, "Status is not null"),
        "Pen,ink cartridge,Stapler_50%"
    );
    assert_eq!(items(&host, "Status != \"Open\""), "Pad,Stapler_50%");
    assert_eq!(items(&host, "Status not in {\"Open\"}"), "Pad,Stapler_50%");
    assert_eq!(items(&host, "Due < '2024-03-01'"), "ink cartridge");
    assert_eq!(items(&host, "Due == \"\""), "Stapler_50%");
    assert_eq!(items(&host, "!(Status == \"Open\")"), "Pad,Stapler_50%");
}

#[test]
fn decimal_criteria_compare_by_value_and_sort_numerically() {
    let host = orders();
    assert_eq!(items(&host, "Price == 2.5"), "Pen,Stapler_50%");
    assert_eq!(items(&host, "Price > 9.99"), "ink cartridge");
    assert_eq!(items(&host, "Price >= 9.99 && Price < 10"), "Pad");
    assert_eq!(items(&host, "Qty > 1.5"), "Pen,ink cartridge,Stapler_50%");
    let lines = run(
        &host,
        "for each o in Orders[ID > 0] sort by Price desc { info o.Price; }",
    )
    .unwrap();
    assert_eq!(lines, ["10.00", "9.99", "2.5", "2.50"]);
}

#[test]
fn date_criteria_compare_in_time_order_and_accept_date_texts() {
    let host = orders();
    assert_eq!(
        items(&host, "Due >= '01-Mar-2024' && Due <= '2024-04-10'"),
        "Pen,Pad"
    );
    assert_eq!(items(&host, "Due > \"2024-03-05\""), "Pad");
    let lines = run(&host, "d = '05-Mar-2024';\ninfo Orders[Due == d].Item;").unwrap();
    assert_eq!(lines, ["Pen"]);
    assert_eq!(
        items(&host, "Added_Time > '2000-01-01 00:00:00'")
            .matches(',')
            .count(),
        3
    );
}

#[test]
fn sort_by_and_range_pick_records_by_position() {
    let host = orders();
    let lines = run(
        &host,
        "info Orders[ID > 0] sort by Qty desc range from 2 to 3;\nfor each o in Orders[ID > 0] sort by Item range from 1 to 2 { info o.Item; }",
    )
    .unwrap();
    assert!(lines[0].contains("\"Item\":\"Stapler_50%\"") && lines[0].contains("\"Item\":\"Pen\""));
    assert!(!lines[0].contains("ink"));
    assert_eq!(lines[1..], ["ink cartridge", "Pad"]);
}

#[test]
fn script_variables_input_fields_and_record_fields_feed_the_criteria() {
    let host = Arc::new(
        CreatorHost::open(
            CreatorOptions {
                input: serde_json::json!({"Wanted": "pad"}),
                ..CreatorOptions::default()
            },
            Arc::new(NoHost),
        )
        .unwrap(),
    );
    run(&host, "insert into Orders [ Item = \"Pad\" Qty = 1 ];\ninsert into Orders [ Item = \"Pen\" Qty = 4 ];").unwrap();
    let lines = run(
        &host,
        "id = 2;\nmin = 2;\ninfo Orders[ID == id].Item;\ninfo Orders[Item == input.Wanted].Qty;\nfirst = Orders[ID == 1];\ninfo Orders[ID != first.ID && Qty >= min].Item;\ninfo Orders[4 <= Qty].Item;\ninfo Orders[Qty == min * 2 && Item == input.Wanted.toUpperCase().replaceAll(\"AD\", \"EN\")].Item;",
    )
    .unwrap();
    assert_eq!(lines, ["Pen", "1", "Pen", "Pen", "Pen"]);
}

#[test]
fn changing_a_field_of_a_fetched_record_persists_it() {
    let host = orders();
    let lines = run(
        &host,
        r#"
for each o in Orders[Status == "Open"] { o.Qty = o.Qty * 10; }
rec = Orders[Item == "Pad"];
rec.Status = "Reordered";
Orders[Item == "Pen"].Price = 3.75;
Orders[Item == "Pen"].Qty += 1;
m = {"Qty": 1};
m.Qty = 2;
info Orders[ID > 0].Qty.getAll();
info Orders[Status == "Reordered"].Item;
info Orders[Item == "Pen"].Price;
"#,
    )
    .unwrap();
    assert_eq!(lines, ["21,50,1,3", "Pad", "3.75"]);
    assert_eq!(
        host.field_values("Orders", "Qty").unwrap(),
        ["21", "50", "1", "3"]
    );
}

#[test]
fn delete_from_removes_only_the_matching_records() {
    let host = orders();
    let lines = run(
        &host,
        "delete from Orders[Price < 3];\ninfo Orders[ID > 0].Item.getAll();",
    )
    .unwrap();
    assert_eq!(lines, ["ink cartridge,Pad"]);
}

#[test]
fn subform_rows_are_lists_of_records_with_their_own_ids() {
    let host = memory_app();
    let lines = run(
        &host,
        r#"
rows = List();
rows.add({"Product": "Pen", "Qty": 2, "Rate": 1.50});
rows.add({"Product": "Pad", "Qty": 1, "Rate": 4.00});
id = insert into Orders [ Customer = "Ada" Lines = rows ];
order = Orders[ID == id];
total = 0;
for each row in order.Lines { total = total + row.Qty * row.Rate; }
info total;
info order.Lines.size();
info order.Lines.get(0).ID != order.Lines.get(1).ID;
more = order.Lines;
more.add({"Product": "Ink", "Qty": 3, "Rate": 2});
order.Lines = more;
info Orders[ID == id].Lines.size();
"#,
    )
    .unwrap();
    assert_eq!(lines, ["7.0", "2", "true", "3"]);
}

#[test]
fn lookups_hold_the_related_id_and_criteria_reach_the_related_record() {
    let host = memory_app();
    host.define_form(
        "Customers",
        &[field("Name", deluge_lang::creator::FieldType::Text)],
    )
    .unwrap();
    host.define_form(
        "Orders",
        &[
            field(
                "Customer",
                deluge_lang::creator::FieldType::Lookup("Customers".into()),
            ),
            field("Total", deluge_lang::creator::FieldType::Decimal),
        ],
    )
    .unwrap();
    let lines = run(
        &host,
        r#"
ada = insert into Customers [ Name = "Ada" ];
bob = insert into Customers [ Name = "Bob" ];
insert into Orders [ Customer = ada Total = 10 ];
insert into Orders [ Customer = bob Total = 20 ];
info Orders[Customer == ada].Total;
info Orders[Customer.Name == "bob"].Total;
o = Orders[Total > 15];
info Customers[ID == o.Customer].Name;
for each order in Orders[ID > 0] { info order.Customer.Name; }
"#,
    )
    .unwrap();
    assert_eq!(lines, ["10", "20", "Bob", "Ada", "Bob"]);
    let err = run(
        &host,
        "for each order in Orders[ID > 0] { info order.Customer.Nmae; }",
    )
    .unwrap_err();
    assert_eq!(
        err,
        "line 1: form `Customers` has no field `Nmae`; its fields are ID, Added_User, Added_Time, Modified_User, Modified_Time, Name"
    );
    let plain = run(&host, "m = {\"Customer\": 1};\ninfo m.Customer.Name;").unwrap_err();
    assert!(
        plain.starts_with("line 2: cannot read the field `Name` of"),
        "{plain}"
    );
    let err = run(&host, "insert into Orders [ Customer = 99 Total = 1 ];").unwrap_err();
    assert_eq!(
        err,
        "line 1: form `Orders`: lookup field `Customer` refers to record 99 of `Customers`, which does not exist"
    );
}

fn field(name: &str, kind: deluge_lang::creator::FieldType) -> deluge_lang::creator::Field {
    deluge_lang::creator::Field {
        name: name.into(),
        kind,
        required: false,
    }
}

#[test]
fn bad_criteria_types_and_forms_are_errors_naming_form_field_and_line() {
    let host = orders();
    assert_eq!(
        run(&host, "x = 1;\nn = Orders[Stauts == \"Open\"].count();").unwrap_err(),
        "line 2: Orders[Stauts == \"Open\"]: form `Orders` has no field `Stauts`; did you mean `Status`? its fields are ID, Added_User, Added_Time, Modified_User, Modified_Time, Item, Qty, Price, Status, Due"
    );
    assert_eq!(
        run(
            &host,
            "\n\ninsert into Orders [ Item = \"Cap\" Qty = \"many\" ];"
        )
        .unwrap_err(),
        "line 3: form `Orders`: field `Qty` is a NUMBER field, and TEXT \"many\" is not one"
    );
    assert_eq!(
        run(&host, "info Ordrs[ID > 0];").unwrap_err(),
        "line 1: the app has no form `Ordrs`; did you mean `Orders`? (its forms are Orders)"
    );
    assert_eq!(
        run(&host, "info Orders[Qty > \"lots\"];").unwrap_err(),
        "line 1: Orders[Qty > \"lots\"]: the criteria compares field \"Qty\" of form `Orders`, which is a NUMBER field, and TEXT \"lots\" is not one"
    );
    assert_eq!(
        run(&host, "x = null;\ninfo Orders[Qty > ifnull(x, 1)];").unwrap_err(),
        "line 2: Orders[Qty > ifnull(x, 1)]: this value is too complex for a criteria run locally: assign it to a variable before the fetch and compare with the variable"
    );
    assert_eq!(
        run(&host, "for each o in Orders[ID > 0] { o.ID = 5; }").unwrap_err(),
        "line 1: form `Orders`: `ID` is a system field; Creator sets it and scripts cannot change it"
    );
    assert_eq!(
        run(&host, "info Orders[ID > 0] sort by Colour;").unwrap_err(),
        "line 1: sort by: form `Orders` has no field `Colour`; its fields are ID, Added_User, Added_Time, Modified_User, Modified_Time, Item, Qty, Price, Status, Due"
    );
}

#[test]
fn declared_forms_refuse_fields_they_do_not_have() {
    let host = memory_app();
    host.define_form(
        "Tickets",
        &[field("Subject", deluge_lang::creator::FieldType::Text)],
    )
    .unwrap();
    assert_eq!(
        run(&host, "insert into Tickets [ Subject = \"a\" Priority = 1 ];").unwrap_err(),
        "line 1: form `Tickets` has no field `Priority`; its fields are ID, Added_User, Added_Time, Modified_User, Modified_Time, Subject"
    );
    let mut subject = field("Subject", deluge_lang::creator::FieldType::Text);
    subject.required = true;
    host.define_form("Cases", &[subject]).unwrap();
    assert_eq!(
        run(&host, "insert into Cases [ Subject = \"\" ];").unwrap_err(),
        "line 1: insert into Cases: `Subject` is a mandatory field (must have) and has no value"
    );
    assert_eq!(
        run(
            &host,
            "id = insert into Cases [ Subject = \"a\" ];\nc = Cases[ID == id];\nc.Subject = null;"
        )
        .unwrap_err(),
        "line 3: form `Cases`: `Subject` is a mandatory field (must have) and cannot be emptied"
    );
    assert_eq!(
        run(&host, "insert into Ticket [ Subject = \"a\" ];").unwrap_err(),
        "line 1: the app has no form `Ticket`; did you mean `Tickets`? (its forms are Cases, Tickets)"
    );
}

#[test]
fn ui_actions_are_recorded_in_order() {
    let host = Arc::new(
        CreatorHost::open(
            CreatorOptions {
                input: serde_json::json!({"Qty": 0, "Notes": "x"}),
                ..CreatorOptions::default()
            },
            Arc::new(NoHost),
        )
        .unwrap(),
    );
    run(
        &host,
        "if (input.Qty <= 0) { alert \"Quantity must be positive\"; hide Discount, Notes; }\nshow Shipping.Address;\nenable Total;\ndisable Total;\nclear Notes;\ninput.Total = input.Qty + 2;\nCountry:ui.add(\"India\");\nopenUrl(\"https://example.com/done\", \"same window\");\ncancel submit;\ninfo input.Notes;",
    )
    .unwrap();
    let shown: Vec<String> = host.actions().iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "alert Quantity must be positive",
            "hide Discount",
            "hide Notes",
            "show Shipping.Address",
            "enable Total",
            "disable Total",
            "clear Notes",
            "set Total = 2",
            "Country:ui.add(India)",
            "openUrl https://example.com/done (same window)",
            "cancel submit",
        ]
    );
}

fn temp_db(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    (dir, path)
}

fn file_app(path: &Path) -> Arc<CreatorHost> {
    Arc::new(
        CreatorHost::open(
            CreatorOptions {
                database: Some(path.to_path_buf()),
                ..CreatorOptions::default()
            },
            Arc::new(NoHost),
        )
        .unwrap(),
    )
}

#[test]
fn a_failed_or_cancelled_run_keeps_none_of_its_writes_and_a_good_one_keeps_all() {
    let (_dir, path) = temp_db("app.db");
    let host = file_app(&path);
    run(&host, "insert into Log [ Text = \"kept\" ];").unwrap();
    assert_eq!(host.finish(true).unwrap(), Outcome::Committed);
    let failed = run(&host, "insert into Log [ Text = \"lost\" ];\nx = 1 / 0;");
    assert!(failed.is_err());
    assert_eq!(
        host.finish(false).unwrap(),
        Outcome::RolledBack("the run failed".into())
    );
    run(
        &host,
        "insert into Log [ Text = \"cancelled\" ];\ncancel submit;",
    )
    .unwrap();
    assert_eq!(
        host.finish(true).unwrap(),
        Outcome::RolledBack("`cancel submit`".into())
    );
    assert!(
        host.actions().is_empty(),
        "finish starts the next run afresh"
    );
    run(&host, "insert into Log [ Text = \"after the cancel\" ];").unwrap();
    assert_eq!(host.finish(true).unwrap(), Outcome::Committed);
    drop(host);
    let again = file_app(&path);
    assert_eq!(
        again.field_values("Log", "Text").unwrap(),
        ["kept", "after the cancel"]
    );
}

#[test]
fn a_locked_database_is_a_clear_error_and_loses_nothing() {
    let (_dir, path) = temp_db("app.db");
    let host = file_app(&path);
    run(&host, "insert into Log [ Text = \"first\" ];").unwrap();
    host.finish(true).unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let err = run(&host, "insert into Log [ Text = \"second\" ];").unwrap_err();
    assert!(
        err.starts_with("line 1: the app database ")
            && err.ends_with(" is locked by another program (another run?); this run's writes were not saved and the data is unchanged: try again when it finishes"),
        "{err}"
    );
    host.finish(false).unwrap();
    other.execute_batch("ROLLBACK").unwrap();
    assert_eq!(host.field_values("Log", "Text").unwrap(), ["first"]);
}

#[test]
fn a_corrupt_database_is_refused_and_left_as_it_was() {
    let (_dir, path) = temp_db("app.db");
    std::fs::write(
        &path,
        "this is not SQLite at all, just some text that is long enough to be a header",
    )
    .unwrap();
    let err = CreatorHost::open(
        CreatorOptions {
            database: Some(path.clone()),
            ..CreatorOptions::default()
        },
        Arc::new(NoHost),
    )
    .unwrap_err();
    assert_eq!(
        err,
        format!(
            "{} is not a readable app database (SQLite: file is not a database); nothing was changed: restore it from a backup or give `CreatorOptions::database` another file",
            path.display()
        )
    );
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .starts_with("this is not SQLite"));
}

#[test]
fn zoho_creator_tasks_on_the_local_app_run_against_the_database() {
    let host = orders();
    let lines = run(
        &host,
        r#"
r = zoho.creator.getRecords("admin", "app", "All_Orders", "Status == \"Open\"", 1, 200, "creator");
info r.get("code") + " " + r.get("data").size() + " " + r.get("data").get(0).get("ID");
one = zoho.creator.getRecordById("admin", "app", "All_Orders", 3, "creator");
info one.get("data").get("Item");
c = zoho.creator.createRecord("admin", "app", "Orders", {"Item": "Tape", "Qty": 7}, Map(), "creator");
info c;
u = zoho.creator.updateRecord("admin", "app", "All_Orders", c.get("data").get("ID"), {"Qty": 8}, Map(), "creator");
info u.get("message") + " " + Orders[Item == "Tape"].Qty;
info zoho.creator.getRecords("admin", "app", "All_Orders", "Qty > 100", 1, 200, "creator");
"#,
    )
    .unwrap();
    assert_eq!(
        lines,
        [
            "3000 2 1",
            "Pad",
            r#"{"code":3000,"data":{"ID":"5"},"message":"Data Added Successfully!"}"#,
            "Data Updated Successfully! 8",
            r#"{"code":3100,"message":"No Data Available"}"#,
        ]
    );
    let remote = run(
        &host,
        "zoho.creator.getRecords(\"acme\", \"crm\", \"All\", \"\", 1, 10, \"c\");",
    )
    .unwrap_err();
    assert!(remote.contains("no Creator host is connected"), "{remote}");
}

fn dlg(args: &[&str], dir: &Path) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_dlg"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("DLG_HOME", dir.join("home"))
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/creator")
}

#[test]
fn dlg_app_load_and_show_seed_and_print_records() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("c.csv"),
        "Name,Credit\nAda,10.50\n\"Lovelace, B\",3\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("o.json"),
        r#"[{"Item":"Pen","Qty":2},{"Item":"Pad","Qty":1}]"#,
    )
    .unwrap();
    assert_eq!(
        dlg(&["app", "load", "a.db", "Customers", "c.csv"], dir.path()).0,
        "loaded 2 records into Customers\n"
    );
    assert_eq!(
        dlg(&["app", "load", "a.db", "Orders", "o.json"], dir.path()).0,
        "loaded 2 records into Orders\n"
    );
    let (forms, _, code) = dlg(&["app", "show", "a.db"], dir.path());
    assert_eq!(code, 0);
    assert_eq!(
        forms,
        "form      | fields\n----------+------------------------------\nCustomers | Name (text), Credit (decimal)\nOrders    | Item (text), Qty (number)\n"
    );
    let (json, _, _) = dlg(&["app", "show", "a.db", "Customers", "--json"], dir.path());
    let records: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(records[1]["Name"], "Lovelace, B");
    assert_eq!(records[0]["Credit"], serde_json::json!(10.5));
    let (table, _, _) = dlg(&["app", "show", "a.db", "Orders"], dir.path());
    assert!(
        table.lines().next().unwrap().starts_with("ID | Added_User"),
        "{table}"
    );
    assert!(table.contains("| Pad  | 1"), "{table}");
    let (_, err, code) = dlg(
        &["app", "load", "a.db", "Orders", "missing.json"],
        dir.path(),
    );
    assert_eq!(code, 1);
    assert!(
        err.starts_with("error: cannot read missing.json: "),
        "{err}"
    );
    let (_, err, code) = dlg(&["app", "show", "a.db", "Invoices"], dir.path());
    assert_eq!(
        (err.as_str(), code),
        (
            "error: the app has no form `Invoices` (its forms are Customers, Orders)\n",
            1
        )
    );
    let (_, err, code) = dlg(&["app", "show", "nope.db"], dir.path());
    assert_eq!(
        (err.as_str(), code),
        (
            "error: nope.db does not exist (create it with `dlg app load` or `dlg run --app`)\n",
            2
        )
    );
}

#[test]
fn dlg_run_with_an_app_file_keeps_records_between_runs_and_prints_form_actions() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("add.dg"),
        "insert into Notes [ Text = input.Text ];\ninfo Notes[ID > 0].count();\nalert \"saved\";",
    )
    .unwrap();
    std::fs::write(dir.path().join("in.json"), r#"{"Text": "second"}"#).unwrap();
    let first = dlg(
        &[
            "run",
            "add.dg",
            "--app",
            "n.db",
            "--input",
            r#"{"Text": "first"}"#,
        ],
        dir.path(),
    );
    assert_eq!(first.0, "1\n--- form actions ---\nalert saved\n");
    let second = dlg(
        &["run", "add.dg", "--app", "n.db", "--input", "@in.json"],
        dir.path(),
    );
    assert_eq!(second.0, "2\n--- form actions ---\nalert saved\n");
    let memory = dlg(&["run", "add.dg", "--input", "@in.json"], dir.path());
    assert_eq!(memory.0, "1\n--- form actions ---\nalert saved\n");
    std::fs::write(
        dir.path().join("bad.db"),
        "not a database, only text".repeat(8),
    )
    .unwrap();
    let corrupt = dlg(&["run", "add.dg", "--app", "bad.db"], dir.path());
    assert_eq!(
        (corrupt.1.as_str(), corrupt.2),
        ("error: bad.db is not a readable app database (SQLite: file is not a database); nothing was changed: restore it from a backup or give --app another file\n", 2)
    );
    let no_def = dlg(&["run", "add.dg", "--app-def", "none.ds"], dir.path());
    assert!(
        no_def.1.starts_with("error: cannot read none.ds: "),
        "{}",
        no_def.1
    );
    let bad = dlg(&["run", "add.dg", "--input", "[1]"], dir.path());
    assert_eq!(
        (bad.1.as_str(), bad.2),
        (
            "error: --input: the current record must be a JSON object such as {\"Qty\": 2}\n",
            2
        )
    );
}

#[test]
fn a_ds_export_declares_forms_and_its_functions_run() {
    let dir = fixtures();
    let (out, err, code) = dlg(
        &[
            "run",
            "ds_app_functions.dg",
            "--app-def",
            "order_desk.ds",
            "--time-zone",
            "UTC",
        ],
        &dir,
    );
    assert_eq!((err.as_str(), code), ("", 0), "{out}");
    assert_eq!(
        out,
        std::fs::read_to_string(dir.join("ds_app_functions.out")).unwrap()
    );
    let (_, err, code) = dlg(
        &[
            "run",
            "ds_app_unknown_field.dg",
            "--app-def",
            "order_desk.ds",
        ],
        &dir,
    );
    assert_eq!(code, 1);
    assert!(
        err.starts_with("Error: form `Orders` has no field `Colour`; its fields are ID, Added_User, Added_Time, Modified_User, Modified_Time, Customer, Order_Date, Status, Total, Paid, Tags, Lines"),
        "{err}"
    );
}

/// The fetch-update loop of the performance note: `cargo test --release --test creator --
/// --ignored --nocapture fetch_update_loop`.
#[test]
#[ignore = "timing: run by hand"]
fn fetch_update_loop_over_100_000_records() {
    let host = memory_app();
    let started = std::time::Instant::now();
    let rows: Vec<String> = (0..100_000)
        .map(|i| format!("{{\"Qty\": {}}}", i % 100))
        .collect();
    let seed = std::env::temp_dir().join(format!("creator-seed-{}.json", std::process::id()));
    std::fs::write(&seed, format!("[{}]", rows.join(","))).unwrap();
    deluge_lang::creator::load::load_file(&host, "Items", &seed).unwrap();
    let _ = std::fs::remove_file(&seed);
    println!("seeded 100000 records in {:?}", started.elapsed());
    let started = std::time::Instant::now();
    let lines = run(
        &host,
        "n = 0;\nfor each r in Items[Qty >= 0] { r.Qty = r.Qty + 1; n = n + 1; }\ninfo n;",
    )
    .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(lines, ["100000"]);
    assert_eq!(host.finish(true).unwrap(), Outcome::Committed);
    println!("fetch-update loop over 100000 records: {elapsed:?}");
}

#[test]
fn aggregates_over_a_fetch_skip_empty_fields() {
    let host = orders();
    let lines = run(
        &host,
        "info Orders[ID > 0].sum(Qty);\ninfo Orders[Status == \"open\"].avg(Price);\ninfo Orders[ID > 0].maximum(Due);\ninfo Orders[ID > 0].minimum(Price);\ninfo Orders[ID > 0].count(Status);\ninfo Orders[ID > 0].distinct(Status);\ninfo Orders[ID > 0].median(Qty);",
    )
    .unwrap();
    assert_eq!(
        lines,
        [
            "11",
            "6.25",
            "10-Apr-2024",
            "2.50",
            "3",
            "Open,OPEN,Closed",
            "2.5"
        ]
    );
}

#[test]
fn is_null_and_is_not_null_read_as_comparisons_with_null() {
    let engine = Engine::new();
    assert!(engine.eval::<bool>("null is null").unwrap());
    assert!(!engine.eval::<bool>("\"a\" is null").unwrap());
    assert!(engine
        .eval::<bool>("\"a\" is not null && 1 + 1 is not null")
        .unwrap());
    let is = engine.eval::<i64>("is = 3;\nis + 1").unwrap();
    assert_eq!(is, 4, "`is` stays an ordinary name");
}
