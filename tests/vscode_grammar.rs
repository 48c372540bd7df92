//! The VS Code extension under editors/vscode/: its TextMate grammar checked by
//! vscode-tmgrammar-test (npm, pinned by tests/support/tmgrammar/package-lock.json, installed
//! on first use) against the annotated samples in editors/vscode/test/, and its manifest.

mod support;

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use support::peer::{ensure_installed, run_install_step, servers_dir, support_dir};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Installs vscode-tmgrammar-test from the committed lockfile (once) and returns the program.
fn tmgrammar_test() -> PathBuf {
    let source = support_dir().join("tmgrammar");
    let read = |name: &str| {
        fs::read_to_string(source.join(name))
            .unwrap_or_else(|e| panic!("cannot read tests/support/tmgrammar/{name}: {e}"))
    };
    let (package, lock) = (read("package.json"), read("package-lock.json"));
    let dir = servers_dir().join("tmgrammar");
    ensure_installed("tmgrammar", &dir, &format!("{package}\n{lock}"), |dir| {
        for (name, text) in [("package.json", &package), ("package-lock.json", &lock)] {
            fs::write(dir.join(name), text)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", dir.join(name).display()));
        }
        run_install_step(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(dir),
            "`npm ci` for vscode-tmgrammar-test 0.1.3 (needs node and npm)",
        );
    });
    dir.join("node_modules/.bin/vscode-tmgrammar-test")
}

#[test]
fn the_grammar_scopes_every_annotated_sample_as_written() {
    let output = Command::new(tmgrammar_test())
        .args([
            "-g",
            "editors/vscode/syntaxes/deluge.tmLanguage.json",
            "editors/vscode/test/*.dg",
        ])
        .current_dir(manifest_dir())
        .output()
        .expect("cannot run vscode-tmgrammar-test");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    println!("{printed}");
    assert!(output.status.success(), "grammar test failed:\n{printed}");
    assert_eq!(printed.matches("run successfuly").count(), 2, "{printed}");
}

#[test]
fn the_manifest_declares_the_language_grammar_and_client() {
    let dir = manifest_dir().join("editors/vscode");
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("package.json")).expect("package.json"))
            .expect("package.json is JSON");
    let language = &manifest["contributes"]["languages"][0];
    assert_eq!(language["id"], "deluge");
    assert_eq!(
        language["extensions"],
        serde_json::json!([".dg", ".deluge", ".ds"])
    );
    let grammar = &manifest["contributes"]["grammars"][0];
    assert_eq!(grammar["scopeName"], "source.deluge");
    for file in [
        grammar["path"].as_str().unwrap_or(""),
        language["configuration"].as_str().unwrap_or(""),
        manifest["main"].as_str().unwrap_or(""),
    ] {
        let path = dir.join(file);
        assert!(path.is_file(), "{} is missing", path.display());
        if file.ends_with(".json") {
            let text = fs::read_to_string(&path).expect("read");
            serde_json::from_str::<serde_json::Value>(&text).expect("valid JSON");
        }
    }
    let client = fs::read_to_string(dir.join("extension.js")).expect("extension.js");
    assert!(
        client.contains("args: [\"lsp\"]"),
        "the client must start `dlg lsp`"
    );
}
