//! `dlg fmt` and `deluge_lang::fmt`: the layout rules, idempotence and an unchanged syntax tree
//! over every script of the repository, range formatting, and the command line.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use deluge_lang::fmt::{format_range, format_source, FormatError};
use deluge_lang::syntax::parse;

#[path = "../../tests/support/root.rs"]
mod root;
use root::workspace_root;

/// The syntax tree of `src` printed with every span removed.
fn tree_without_spans(src: &str) -> String {
    let tree = format!("{:?}", parse(src).program);
    let spans = regex::Regex::new(r"Span \{ start: \d+, end: \d+ \}").expect("regex");
    spans.replace_all(&tree, "Span").into_owned()
}

/// Every `.dg`, `.deluge` and `.ds` file under `dir`.
fn scripts_under(dir: &Path, found: &mut Vec<PathBuf>) {
    let files = walkdir::WalkDir::new(dir).into_iter().flatten();
    found.extend(files.map(walkdir::DirEntry::into_path).filter(|path| {
        path.is_file()
            && matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("dg" | "deluge" | "ds")
            )
    }));
}

fn repo_scripts() -> Vec<PathBuf> {
    let root = workspace_root();
    let mut found = Vec::new();
    for dir in ["scripts", "examples", "tests", "dlg/tests"] {
        scripts_under(&root.join(dir), &mut found);
    }
    found.sort();
    found
}

#[test]
fn every_script_in_the_repo_formats_idempotently_with_the_same_tree() {
    let scripts = repo_scripts();
    assert!(scripts.len() > 100, "found only {} scripts", scripts.len());
    let mut formatted_count = 0;
    for path in &scripts {
        let Ok(source) = std::fs::read_to_string(path) else {
            continue;
        };
        let shown = path.display();
        if !parse(&source).errors.is_empty() {
            let refused = format_source(&source);
            assert!(
                matches!(refused, Err(FormatError::Syntax(_))),
                "{shown}: a file with syntax errors must be refused"
            );
            continue;
        }
        let once = format_source(&source).unwrap_or_else(|e| panic!("{shown}: {e}"));
        assert!(
            parse(&once).errors.is_empty(),
            "{shown}: output does not parse:\n{once}"
        );
        assert_eq!(
            tree_without_spans(&source),
            tree_without_spans(&once),
            "{shown}: the syntax tree changed:\n{once}"
        );
        let twice = format_source(&once).unwrap_or_else(|e| panic!("{shown}: {e}"));
        assert_eq!(once, twice, "{shown}: not idempotent");
        formatted_count += 1;
    }
    assert!(
        formatted_count > 100,
        "formatted only {formatted_count} scripts"
    );
}

#[test]
fn layout_rules() {
    let source = "void  standalone.f( string a ,int b ){\nx=a+b*-1;y=x; if(x>1){info x;}else{info y;}\nfor each i in {1,2} {continue;}\ntry {z=1/0;} catch(e){info e;}\n}\n";
    let expected = "void standalone.f(string a, int b)\n{\n\tx = a + b * -1;\n\ty = x;\n\tif (x > 1)\n\t{\n\t\tinfo x;\n\t}\n\telse\n\t{\n\t\tinfo y;\n\t}\n\tfor each  i in {1, 2}\n\t{\n\t\tcontinue;\n\t}\n\ttry\n\t{\n\t\tz = 1 / 0;\n\t}\n\tcatch (e)\n\t{\n\t\tinfo e;\n\t}\n}\n";
    assert_eq!(format_source(source).expect("formats"), expected);
}

#[test]
fn comments_stay_and_blank_line_groups_shrink_to_one() {
    let source = "// head\n\n\n\na = 1; // trailing\n/* block\n   kept */\nb = 2;\n\n\nif (a == b)\n{\n\n\t// inside\n\tinfo a;\n\n}\n";
    let expected = "// head\n\na = 1; // trailing\n/* block\n   kept */\nb = 2;\n\nif (a == b)\n{\n\t// inside\n\tinfo a;\n}\n";
    assert_eq!(format_source(source).expect("formats"), expected);
}

#[test]
fn task_blocks_and_real_world_quirks_survive() {
    let source = "resp = invokeUrl [url: \"https://x.test/\" + id\ntype: POST\nparameters: m.toString()\nconnection: \"crm\"\ncontent-type: \"application/json\"];\nsendmail [from: zoho.adminuserid\nto: a, \"b@x.test\"\ncontent type: HTML\nAttachments: file:pdf]\ninsert into Orders [Qty = 1\nName = \"x\"]\nlabel = if(qty > 1, 'items', 'item');\nif (a = 1 && input.Status not in {\"x\"}) { hide Discount; cancel submit; }\nx = a--b;\nn = -9223372036854775808;\nrow.Product:ui.add(names);\nmsg = \"a\" + b\n+ \"c\";\n";
    let expected = "resp = invokeUrl\n[\n\turl :\"https://x.test/\" + id\n\ttype :POST\n\tparameters:m.toString()\n\tconnection:\"crm\"\n\tcontent-type :\"application/json\"\n];\nsendmail\n[\n\tfrom :zoho.adminuserid\n\tto :a, \"b@x.test\"\n\tcontent type :HTML\n\tAttachments :file:pdf\n]\ninsert into Orders\n[\n\tQty = 1\n\tName = \"x\"\n]\nlabel = if(qty > 1, 'items', 'item');\nif (a = 1 && input.Status not in {\"x\"})\n{\n\thide Discount;\n\tcancel submit;\n}\nx = a - -b;\nn = -9223372036854775808;\nrow.Product:ui.add(names);\nmsg = \"a\" + b\n\t+ \"c\";\n";
    let once = format_source(source).expect("formats");
    assert_eq!(once, expected);
    assert_eq!(tree_without_spans(source), tree_without_spans(&once));
}

#[test]
fn syntax_errors_are_reported_not_formatted() {
    let error = format_source("x = ;\ny = 1").expect_err("refused");
    let FormatError::Syntax(errors) = &error else {
        panic!("{error:?}");
    };
    assert!(!errors.is_empty());
    assert!(error.to_string().contains("not formatted"), "{error}");
    let rendered = error.render("bad.dg", "x = ;\ny = 1", false);
    assert!(rendered.contains("bad.dg:1:5"), "{rendered}");
}

#[test]
fn range_formatting_touches_only_the_statements_in_range() {
    let source = "a=1;\nb=2; c=3;\nd=4;\n";
    let ranged = format_range(source, 2, 2).expect("formats");
    assert_eq!(ranged, "a=1;\nb = 2;\nc = 3;\nd=4;\n");
    let multi = "x=f(1,\n2);\ny=1;\n";
    assert_eq!(
        format_range(multi, 2, 2).expect("formats"),
        "x = f(1,\n\t2);\ny=1;\n"
    );
    assert!(format_range("x = ;", 1, 1).is_err());
}

// ---- the command line ----

fn dlg(args: &[&str], dir: &Path, stdin: &str) -> (String, String, i32) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_dlg"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dlg starts");
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.as_bytes()).expect("stdin");
    }
    let out = child.wait_with_output().expect("dlg runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dlg-fmt-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn cli_check_lists_files_that_would_change_and_writes_nothing() {
    let dir = temp_dir("check");
    std::fs::write(dir.join("ugly.dg"), "x=1;").expect("write");
    std::fs::write(dir.join("fine.dg"), "x = 1;\n").expect("write");
    let (out, err, code) = dlg(&["fmt", "--check", "."], &dir, "");
    assert_eq!(code, 1, "{err}");
    assert_eq!(out.trim(), "ugly.dg");
    assert!(
        err.contains("1 file would reformat, 1 file unchanged"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("ugly.dg")).expect("read"),
        "x=1;"
    );
    let (_, _, clean) = dlg(&["fmt", "--check", "fine.dg"], &dir, "");
    assert_eq!(clean, 0);
}

#[test]
fn cli_formats_files_in_place() {
    let dir = temp_dir("write");
    std::fs::write(dir.join("ugly.dg"), "if(a){b=1;}").expect("write");
    let (_, err, code) = dlg(&["fmt", "ugly.dg"], &dir, "");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 file reformatted"), "{err}");
    let text = std::fs::read_to_string(dir.join("ugly.dg")).expect("read");
    assert_eq!(text, "if (a)\n{\n\tb = 1;\n}\n");
    let leftovers: Vec<_> = std::fs::read_dir(&dir).expect("dir").flatten().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
}

#[test]
fn cli_reads_stdin_and_writes_stdout() {
    let dir = temp_dir("stdin");
    let (out, _, code) = dlg(&["fmt", "-"], &dir, "x=1;y=2;");
    assert_eq!(code, 0);
    assert_eq!(out, "x = 1;\ny = 2;\n");
}

#[test]
fn cli_syntax_error_exits_2_and_leaves_the_file() {
    let dir = temp_dir("error");
    std::fs::write(dir.join("bad.dg"), "x = ;\n").expect("write");
    let (_, err, code) = dlg(&["fmt", "bad.dg"], &dir, "");
    assert_eq!(code, 2);
    assert!(err.contains("bad.dg:1:5"), "{err}");
    assert!(
        err.contains("bad.dg: not formatted (fix the syntax errors first)"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("bad.dg")).expect("read"),
        "x = ;\n"
    );
    let (_, err, code) = dlg(&["fmt", "-"], &dir, "x = ;");
    assert_eq!(code, 2);
    assert!(err.contains("<stdin>: not formatted"), "{err}");
}

#[test]
fn cli_unreadable_and_binary_files_are_reported() {
    let dir = temp_dir("unreadable");
    let (_, err, code) = dlg(&["fmt", "missing.dg"], &dir, "");
    assert_eq!(code, 2);
    assert!(err.contains("missing.dg: cannot read it"), "{err}");
    std::fs::write(dir.join("bin.dg"), [0xff, 0xfe, 0x00]).expect("write");
    let (_, err, code) = dlg(&["fmt", "bin.dg"], &dir, "");
    assert_eq!(code, 2);
    assert!(
        err.contains("bin.dg: skipped, not text (not valid UTF-8)"),
        "{err}"
    );
}
