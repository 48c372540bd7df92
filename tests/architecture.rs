//! The module graph runs one way (docs/ARCHITECTURE.md, "Module graph"): every `crate::<folder>`
//! (or `super::<folder>` reaching the crate root) in `src/<folder>/**/*.rs` and
//! `dlg/src/<folder>/**/*.rs`, and every `deluge_lang::<folder>` in the `dlg` package, must point
//! to a folder of a lower layer, or be a same-layer edge listed in `SAME_LAYER`. What `dlg` takes
//! from the library's root (`deluge_lang::Engine`) counts as a use of `api`. Test modules (from
//! the first `#[cfg(test)]` of a file on) and comments are not part of the graph.
//!
//! `cargo test --test architecture -- --nocapture` prints the graph.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The folders of the library's `src/`, then of `dlg/src/`, lowest layer first. A folder may use
/// any folder of a lower layer.
const LAYERS: &[&[&str]] = &[
    &["syntax"],
    &["eval"],
    &["stdlib", "http", "connections", "egress"],
    &["api"],
    &[
        "zoho", "mail", "creator", "testing", "project", "fmt", "lint",
    ],
    &["cli", "repl", "ui", "serve", "lsp"],
];

/// Edges allowed inside one layer (from, to).
const SAME_LAYER: &[(&str, &str)] = &[
    // getUrl/postUrl send through the HTTP engine.
    ("stdlib", "http"),
    // Every request and redirect hop is checked against the egress policy.
    ("http", "egress"),
    // Token endpoints and flows are HTTP requests.
    ("connections", "http"),
    // Each test gets its own Creator app (formActions(), setInput()).
    ("testing", "creator"),
    // `dlg test`'s assertion functions are known to the unknown-function lint.
    ("lint", "testing"),
    // `dlg repl` starts the REPL.
    ("cli", "repl"),
    // `dlg ui` starts the Connections page.
    ("cli", "ui"),
    // `dlg serve` starts the HTTP server.
    ("cli", "serve"),
    // `dlg serve` mounts the Connections pages at `/connections`.
    ("serve", "ui"),
    // `dlg lsp` starts the language server.
    ("cli", "lsp"),
];

/// Edges against the layering that are still there, each with why; remove a line when its
/// edge is gone (the test fails if a listed edge no longer occurs, so this list only shrinks).
const KNOWN_UPWARD: &[(&str, &str, &str)] = &[];

/// One use of another folder: where, and which folder.
struct Use {
    from: String,
    to: String,
    at: String,
}

fn layer(folder: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&folder))
}

fn allowed(from: &str, to: &str) -> bool {
    match (layer(from), layer(to)) {
        (Some(a), Some(b)) => b < a || SAME_LAYER.contains(&(from, to)),
        _ => false,
    }
}

/// The source folders of the workspace: the library's, then the `dlg` command's.
const CRATE_SOURCES: &[&str] = &["src", "dlg/src"];

/// The folder names a `crate::` path starts with: `crate::eval::x` -> `eval`,
/// `crate::{eval::x, http}` -> `eval`, `http`.
fn heads(after_crate: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    match after_crate.strip_prefix('{') {
        Some(group) => {
            let mut depth = 0;
            let mut parts = vec![String::new()];
            for c in group.chars() {
                match c {
                    '}' if depth == 0 => break,
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => parts.push(String::new()),
                    _ => {}
                }
                if let Some(last) = parts.last_mut() {
                    last.push(c);
                }
            }
            parts
                .iter()
                .map(|p| ident(p.trim_start_matches(',')))
                .collect()
        }
        None => vec![ident(after_crate)],
    }
}

/// How many `super::` a file's module path has before reaching the crate root:
/// `src/eval/mod.rs` -> 1, `src/eval/env.rs` -> 2, `src/stdlib/json/parse.rs` -> 3.
fn depth_to_root(relative: &Path) -> usize {
    let parts = relative.components().count();
    if relative.file_name().is_some_and(|n| n == "mod.rs") {
        parts - 1
    } else {
        parts
    }
}

fn uses_in(crate_source: &str, relative: &Path, text: &str) -> Vec<Use> {
    let from = relative
        .components()
        .next()
        .and_then(|c| c.as_os_str().to_str())
        .unwrap_or("")
        .to_owned();
    let to_root = "super::".repeat(depth_to_root(relative));
    let mut uses = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let code = line.split("//").next().unwrap_or("");
        let mut targets = Vec::new();
        for (position, _) in code.match_indices("crate::") {
            targets.extend(heads(&code[position + "crate::".len()..]));
        }
        let library_uses = match crate_source {
            "src" => Vec::new(),
            _ => code.match_indices("deluge_lang::").collect(),
        };
        for (position, _) in library_uses {
            let library = heads(&code[position + "deluge_lang::".len()..]);
            targets.extend(library.into_iter().map(|head| match layer(&head) {
                Some(_) => head,
                None => "api".to_owned(),
            }));
        }
        if let Some(position) = code.find(&to_root) {
            let rest = &code[position + to_root.len()..];
            if !rest.starts_with("super::") {
                targets.extend(heads(rest));
            }
        }
        for to in targets {
            if to != from && !to.is_empty() && layer(&to).is_some() {
                let at = format!("{crate_source}/{}:{}", relative.display(), index + 1);
                uses.push(Use {
                    from: from.clone(),
                    to,
                    at,
                });
            }
        }
    }
    uses
}

/// One Rust source file of `src/` or `dlg/src/`.
struct SourceFile {
    /// `src` or `dlg/src`.
    crate_source: &'static str,
    /// The path under `crate_source`.
    relative: PathBuf,
    text: String,
}

/// Every `.rs` file of the crate sources, in path order.
fn source_files() -> Vec<SourceFile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for crate_source in CRATE_SOURCES {
        let src = root.join(crate_source);
        for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
            let entry = entry.expect("the source folder is readable");
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            files.push(SourceFile {
                crate_source,
                relative: path
                    .strip_prefix(&src)
                    .expect("under the source folder")
                    .into(),
                text: std::fs::read_to_string(path).expect("source files are UTF-8"),
            });
        }
    }
    files
}

/// The uses of the files inside a folder (the crate roots' own files belong to no folder).
fn all_uses() -> Vec<Use> {
    source_files()
        .iter()
        .filter(|file| file.relative.components().count() >= 2)
        .flat_map(|file| uses_in(file.crate_source, &file.relative, &file.text))
        .collect()
}

/// Edges with how often they occur and the first place.
fn graph(uses: &[Use]) -> BTreeMap<(String, String), (usize, String)> {
    let mut edges: BTreeMap<(String, String), (usize, String)> = BTreeMap::new();
    for u in uses {
        let entry = edges
            .entry((u.from.clone(), u.to.clone()))
            .or_insert((0, u.at.clone()));
        entry.0 += 1;
    }
    edges
}

#[test]
fn every_folder_is_in_a_layer() {
    for crate_source in CRATE_SOURCES {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(crate_source);
        for entry in std::fs::read_dir(src).expect("the source folder is readable") {
            let entry = entry.expect("the source folder is readable");
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.path().is_dir() {
                assert!(
                    layer(&name).is_some(),
                    "{crate_source}/{name}/ is in no layer: add it to LAYERS in \
                     tests/architecture.rs and to the graph in docs/ARCHITECTURE.md"
                );
            }
        }
    }
}

#[test]
fn dependencies_run_one_way() {
    let uses = all_uses();
    let known = |u: &Use| KNOWN_UPWARD.iter().any(|k| k.0 == u.from && k.1 == u.to);
    let wrong: Vec<String> = uses
        .iter()
        .filter(|u| !allowed(&u.from, &u.to) && !known(u))
        .map(|u| {
            format!(
                "{}: `{}` uses `{}`, a folder of the same or a higher layer",
                u.at, u.from, u.to
            )
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "dependencies must run one way (layers in tests/architecture.rs, \
         docs/ARCHITECTURE.md); move the item to the lower folder or define a trait where it \
         is used:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn known_upward_edges_still_exist() {
    let edges = graph(&all_uses());
    for (from, to, why) in KNOWN_UPWARD {
        assert!(
            edges.contains_key(&(from.to_string(), to.to_string())),
            "`{from}` no longer uses `{to}` ({why}): remove the line from KNOWN_UPWARD in \
             tests/architecture.rs"
        );
    }
}

#[test]
fn print_the_module_graph() {
    for ((from, to), (count, first)) in graph(&all_uses()) {
        let mark = if allowed(&from, &to) { "" } else { "  UPWARD" };
        println!("{from} -> {to} ({count}, e.g. {first}){mark}");
    }
}

#[test]
fn the_scanner_reads_grouped_and_relative_paths() {
    let text = "use crate::{eval::x, http::{a, b}};\nuse super::super::stdlib::y;\n// crate::cli\n";
    let uses = uses_in("src", Path::new("zoho/books.rs"), text);
    let found: Vec<(&str, &str)> = uses.iter().map(|u| (&*u.to, &*u.at)).collect();
    assert_eq!(
        found,
        [
            ("eval", "src/zoho/books.rs:1"),
            ("http", "src/zoho/books.rs:1"),
            ("stdlib", "src/zoho/books.rs:2")
        ]
    );
    assert!(!allowed("eval", "api"));
    assert!(allowed("api", "eval"));
}

/// `jiff::tz::TimeZone::system()` loads jiff's whole time zone database, walking every file
/// under `/usr/share/zoneinfo`: that walk was most of `dlg run`'s start-up, twice. The machine's
/// zone comes from `deluge_lang::eval::env::system_time_zone`, which reads `/etc/localtime`
/// alone; only that function may fall back to jiff's.
#[test]
fn only_system_time_zone_asks_jiff_for_the_machine_zone() {
    let callers: Vec<String> = source_files()
        .iter()
        .map(|file| {
            (
                Path::new(file.crate_source).join(&file.relative),
                &file.text,
            )
        })
        .filter(|(path, _)| path != Path::new("src/eval/env.rs"))
        .filter(|(_, text)| {
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            code.contains("TimeZone::system()")
        })
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(
        callers.is_empty(),
        "use deluge_lang::eval::env::system_time_zone() instead of jiff's \
         TimeZone::system() (it loads the whole zone database at start-up) in: {}",
        callers.join(", ")
    );
}
