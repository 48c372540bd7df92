//! `dlg test` with the Creator layer: a fresh in-memory app per test (forms of `--app-def`,
//! records the test inserts), `setInput`, and `formActions()` asserting a form workflow's UI
//! actions, alone and in parallel.

use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

/// A folder holding `files` (path, text).
fn project(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// `dlg test ARGS` in `dir` with an empty DLG_HOME: (exit code, standard output, standard error).
fn dlg_test(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let home = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_dlg"))
        .arg("test")
        .args(args)
        .current_dir(dir)
        .env("DLG_HOME", home.path())
        .env("NO_COLOR", "1")
        .env_remove("DLG_MASTER_KEY")
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The output without the times of the per-test lines (`PASS x (1.2ms)` -> `PASS x`).
fn without_times(out: &str) -> String {
    out.lines()
        .map(|line| {
            let timed = ["PASS ", "FAIL ", "SKIP "]
                .iter()
                .any(|p| line.starts_with(p));
            match line.rfind(" (") {
                Some(at) if timed => line[..at].to_owned(),
                _ => line.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn last_line(out: &str) -> &str {
    out.trim_end().lines().last().unwrap_or("")
}

/// A Creator export: products with stock, orders, and the orders form's on-validate function.
const SHOP_DS: &str = r#"
application "Shop"
{
	forms
	{
		form Products
		{
			Name
			(
				type = text
			)
			Stock
			(
				type = number
			)
		}
		form Orders
		{
			Product
			(
				type = text
			)
			Qty
			(
				type = number
			)
			Discount
			(
				type = decimal
			)
		}
	}
	functions
	{
		Deluge
		{
			void Orders.on_validate()
			{
				product = Products[Name == input.Product];
				if (product.count() == 0)
				{
					alert "Unknown product " + input.Product;
					cancel submit;
				}
				else if (input.Qty > product.Stock)
				{
					alert "Only " + product.Stock + " left";
					cancel submit;
				}
				else
				{
					product.Stock = product.Stock - input.Qty;
					if (input.Qty < 10)
					{
						hide Discount;
					}
					insert into Orders [ Product = input.Product Qty = input.Qty ];
				}
			}
		}
	}
}
"#;

const SHOP_TESTS: &str = r#"
void testTooManyCancelsTheSubmitWithAnAlert() {
    insert into Products [ Name = "pen" Stock = 2 ];
    setInput({"Product": "pen", "Qty": 5});
    thisapp.Orders.on_validate();
    assertEquals({"alert Only 2 left", "cancel submit"}, formActions());
    assertEquals(1, Products[Name == "pen" && Stock == 2].count());
    assertEquals(0, Orders[Product == "pen"].count());
}
void testAnUnknownProductIsRefused() {
    setInput({"Product": "ink", "Qty": 1});
    Orders.on_validate();
    assertEquals({"alert Unknown product ink", "cancel submit"}, formActions());
}
void testEnoughStockIsTakenAndTheOrderSaved() {
    insert into Products [ Name = "pen" Stock = 10 ];
    input.Product = "pen";
    input.Qty = 3;
    Orders.on_validate();
    assertEquals({"set Product = pen", "set Qty = 3", "hide Discount"}, formActions());
    assertEquals(7, Products[Name == "pen"].Stock);
    assertEquals(1, Orders[Product == "pen" && Qty == 3].count());
}
void testStartsWithNoRecordsNoInputAndNoActions() {
    assertEquals(0, Products[ID != 0].count());
    assertEquals(0, Orders[ID != 0].count());
    assertNull(input.Qty);
    assertEquals(0, formActions().size());
}
"#;

#[test]
fn a_validation_function_is_tested_by_its_form_actions_and_records() {
    let dir = project(&[("shop.ds", SHOP_DS), ("orders_test.dg", SHOP_TESTS)]);
    let (code, out, err) = dlg_test(dir.path(), &["--app-def", "shop.ds", "--jobs", "1"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        without_times(&out),
        "PASS orders_test.dg::testTooManyCancelsTheSubmitWithAnAlert\n\
         PASS orders_test.dg::testAnUnknownProductIsRefused\n\
         PASS orders_test.dg::testEnoughStockIsTakenAndTheOrderSaved\n\
         PASS orders_test.dg::testStartsWithNoRecordsNoInputAndNoActions\n\
         \n\
         4 passed, 0 failed"
    );
}

#[test]
fn tests_are_isolated_and_parallel_runs_match_one_job() {
    let mut tests = String::from(SHOP_TESTS);
    for n in 0..12 {
        let stock = n + 1;
        let expected = if n % 5 == 0 {
            "hide Qty"
        } else {
            "hide Discount"
        };
        tests.push_str(&format!(
            r#"
void testOrder{n:02}() {{
    assertEquals(0, Products[ID != 0].count());
    insert into Products [ Name = "p{n}" Stock = {stock} ];
    setInput({{"Product": "p{n}", "Qty": 1}});
    Orders.on_validate();
    assertEquals({{"{expected}"}}, formActions());
    assertEquals(1, Products[ID != 0].count());
    assertEquals({n}, Products[Name == "p{n}"].Stock);
}}
"#
        ));
    }
    let dir = project(&[("shop.ds", SHOP_DS), ("orders_test.dg", &tests)]);
    let args = |jobs| ["--app-def", "shop.ds", "--jobs", jobs];
    let (code_one, one, _) = dlg_test(dir.path(), &args("1"));
    let (code_three, three, _) = dlg_test(dir.path(), &args("3"));
    assert_eq!(code_one, 1, "{one}");
    assert_eq!(code_three, 1, "{three}");
    assert_eq!(without_times(&one), without_times(&three));
    assert_eq!(last_line(&one), "13 passed, 3 failed");
    assert!(
        one.contains("--- orders_test.dg::testOrder05 failed ---"),
        "{one}"
    );
}

#[test]
fn a_failed_form_actions_assertion_shows_expected_and_actual() {
    let tests = r#"
void testWrongAlert() {
    insert into Products [ Name = "pen" Stock = 2 ];
    setInput({"Product": "pen", "Qty": 5});
    Orders.on_validate();
    assertEquals({"alert Out of stock", "cancel submit"}, formActions());
}
"#;
    let dir = project(&[("shop.ds", SHOP_DS), ("orders_test.dg", tests)]);
    let (code, out, _) = dlg_test(dir.path(), &["--app-def", "shop.ds"]);
    assert_eq!(code, 1, "{out}");
    let report = &out[out
        .find("--- orders_test.dg::testWrongAlert failed ---")
        .unwrap()..];
    for line in [
        "Error: assertEquals failed: the LISTs differ",
        "expected: [\"alert Out of stock\",\"cancel submit\"]",
        "actual:   [\"alert Only 2 left\",\"cancel submit\"]",
        "  [0]: expected \"alert Out of stock\", actual \"alert Only 2 left\"",
        "form actions:\n  alert Only 2 left\n  cancel submit\n",
    ] {
        assert!(report.contains(line), "missing {line:?} in:\n{report}");
    }
}

#[test]
fn without_an_app_def_forms_appear_on_first_insert_and_code_files_use_them() {
    let dir = project(&[
        (
            "notes.dg",
            "void flag(int id) { if (Notes[ID == id].Text == \"todo\") { alert \"empty note\"; disable Save; } }",
        ),
        (
            "notes_test.dg",
            r#"
void testAnEmptyNoteIsFlagged() {
    id = insert into Notes [ Text = "todo" ];
    insert into Notes [ Text = "hello" ];
    flag(id);
    assertEquals({"alert empty note", "disable Save"}, formActions());
    assertEquals(2, Notes[ID != 0].count());
}
void testNotesFromTheOtherTestAreGone() {
    insert into Notes [ Text = "x" ];
    assertEquals(1, Notes[ID != 0].count());
}
"#,
        ),
    ]);
    let (code, out, err) = dlg_test(dir.path(), &["--jobs", "2"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(last_line(&out), "2 passed, 0 failed");
}

#[test]
fn form_builtin_errors_say_what_to_do() {
    let dir = project(&[
        ("shop.ds", SHOP_DS),
        (
            "orders_test.dg",
            "void testBadInput() { setInput(\"Qty=3\"); }\nvoid testUnknownField() { insert into Products [ Colour = \"red\" ]; }",
        ),
    ]);
    let (code, out, _) = dlg_test(dir.path(), &["--app-def", "shop.ds", "--jobs", "1"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "setInput needs a KEY-VALUE of fields such as {\"Qty\": 3}, not TEXT \"Qty=3\""
        ),
        "{out}"
    );
    assert!(
        out.contains("form `Products` has no field `Colour`; its fields are ID, Added_User, Added_Time, Modified_User, Modified_Time, Name, Stock"),
        "{out}"
    );

    let (code, _, err) = dlg_test(dir.path(), &["--app-def", "missing.ds"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error: cannot read missing.ds: "), "{err}");

    let in_code = project(&[
        ("orders.dg", "list actions() { return formActions(); }"),
        ("orders_test.dg", "void testIt() { actions(); }"),
    ]);
    let (code, out, _) = dlg_test(in_code.path(), &[]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("available in test files (`*_test.dg`) only"),
        "{out}"
    );
}
