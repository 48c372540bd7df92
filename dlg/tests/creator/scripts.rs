//! The real-world-style Creator scripts of `tests/creator/`: each `NAME.dg` runs through `dlg run
//! --app` on a database seeded from `NAME.json` (`seed`: records by form; `input`: the current
//! record; `check`: the forms to print after the run; `ds`: an export to load). Its standard
//! output, exit code and the checked forms' records (system time and user fields left out) are
//! compared with `NAME.out`. `BLESS=1 cargo test --test creator` rewrites the `.out` files.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use deluge_lang::creator::{CreatorHost, CreatorOptions};
use deluge_lang::NoHost;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/creator")
}

fn open(db: &Path) -> CreatorHost {
    let options = CreatorOptions {
        database: Some(db.to_path_buf()),
        ..CreatorOptions::default()
    };
    CreatorHost::open(options, Arc::new(NoHost)).unwrap()
}

fn seed(db: &Path, spec: &serde_json::Value) {
    let host = open(db);
    if let Some(forms) = spec["seed"].as_object() {
        for (form, records) in forms {
            for record in records.as_array().into_iter().flatten() {
                host.seed(form, record).unwrap();
            }
        }
    }
    host.finish(true).unwrap();
}

/// The checked forms' records without the fields that change from run to run.
fn records(db: &Path, spec: &serde_json::Value) -> String {
    let host = open(db);
    let mut out = String::new();
    for form in spec["check"].as_array().into_iter().flatten() {
        let form = form.as_str().unwrap();
        out.push_str(&format!("== {form}\n"));
        for record in host.records(form).unwrap_or_default() {
            let kept: serde_json::Map<String, serde_json::Value> = record
                .into_iter()
                .filter(|(k, _)| !k.starts_with("Added_") && !k.starts_with("Modified_"))
                .map(|(k, v)| (k, v.to_json()))
                .collect();
            out.push_str(&format!("{}\n", serde_json::Value::Object(kept)));
        }
    }
    out
}

fn run_script(script: &Path) -> String {
    let spec: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(script.with_extension("json")).unwrap_or_else(|_| "{}".into()),
    )
    .unwrap();
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("app.db");
    seed(&db, &spec);
    let mut args: Vec<String> = vec![
        "run".into(),
        script.file_name().unwrap().to_string_lossy().into_owned(),
        "--app".into(),
        db.display().to_string(),
        "--time-zone".into(),
        "UTC".into(),
    ];
    if !spec["input"].is_null() {
        args.extend(["--input".into(), spec["input"].to_string()]);
    }
    if let Some(ds) = spec["ds"].as_str() {
        args.extend(["--app-def".into(), ds.to_owned()]);
    }
    let output = Command::new(env!("CARGO_BIN_EXE_dlg"))
        .args(&args)
        .current_dir(dir())
        .env("NO_COLOR", "1")
        .env("DLG_HOME", temp.path().join("home"))
        .output()
        .unwrap();
    format!(
        "{}{}-- exit {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
        output.status.code().unwrap_or(-1),
        records(&db, &spec)
    )
}

#[test]
fn real_world_creator_scripts_give_the_expected_records_and_form_actions() {
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "dg") && p.with_extension("json").exists())
        .collect();
    scripts.sort();
    assert!(
        scripts.len() >= 10,
        "expected 10 scripts, found {}",
        scripts.len()
    );
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    for script in scripts {
        let actual = run_script(&script);
        let expected_path = script.with_extension("out");
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- actual\n{actual}",
                script.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
