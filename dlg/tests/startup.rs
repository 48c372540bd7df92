//! How `dlg` starts (docs/performance.md, "start-up memory"): without transparent huge pages
//! until its start-up work is done and with them after; with the functions a start runs at the
//! front of its code, and its relocations packed, when the build linked them so.
#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

fn dlg() -> &'static str {
    env!("CARGO_BIN_EXE_dlg")
}

/// The `THP_enabled` line of a `dlg lsp` that has answered `initialize`, so is past its start.
fn huge_pages_line_of_a_started_dlg(extra_env: &[(&str, &str)]) -> String {
    let home = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(dlg())
        .arg("lsp")
        .env("DLG_HOME", home.path())
        .envs(extra_env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot start dlg lsp");
    let request = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
    let mut stdin = child.stdin.take().expect("stdin");
    write!(stdin, "Content-Length: {}\r\n\r\n{request}", request.len()).expect("write initialize");
    let mut reply = BufReader::new(child.stdout.take().expect("stdout"));
    let mut header = String::new();
    reply.read_line(&mut header).expect("read the reply");
    assert!(
        header.starts_with("Content-Length:"),
        "not an LSP reply: {header:?}"
    );
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", child.id())).expect("/proc status");
    child.kill().expect("stop dlg lsp");
    child.wait().expect("wait for dlg lsp");
    let line = status.lines().find(|line| line.starts_with("THP_enabled:"));
    line.expect("THP_enabled in /proc status (Linux 5.0 and later)")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn huge_pages_are_on_once_dlg_has_started() {
    assert_eq!(huge_pages_line_of_a_started_dlg(&[]), "THP_enabled: 1");
}

#[test]
fn mimalloc_allow_thp_0_keeps_huge_pages_off() {
    assert_eq!(
        huge_pages_line_of_a_started_dlg(&[("MIMALLOC_ALLOW_THP", "0")]),
        "THP_enabled: 0"
    );
}

/// One section header of an ELF64 file.
struct Section {
    name: String,
    address: u64,
    offset: usize,
    size: usize,
    /// The index of the section this one refers to (a symbol table's names).
    link: usize,
}

fn number(bytes: &[u8], at: usize, width: usize) -> usize {
    bytes[at..at + width]
        .iter()
        .rev()
        .fold(0, |value, &byte| value << 8 | usize::from(byte))
}

/// The section headers of a little-endian ELF64 file.
fn sections(elf: &[u8]) -> Vec<Section> {
    assert_eq!(
        &elf[..6],
        b"\x7fELF\x02\x01",
        "not a little-endian ELF64 file"
    );
    let headers = number(elf, 0x28, 8);
    let header = |index: usize| &elf[headers + index * 64..][..64];
    let names_at = number(header(number(elf, 0x3e, 2)), 24, 8);
    (0..number(elf, 0x3c, 2))
        .map(header)
        .map(|raw| Section {
            name: c_string(elf, names_at + number(raw, 0, 4)),
            address: number(raw, 16, 8) as u64,
            offset: number(raw, 24, 8),
            size: number(raw, 32, 8),
            link: number(raw, 40, 4),
        })
        .collect()
}

fn c_string(bytes: &[u8], at: usize) -> String {
    let length = bytes[at..]
        .iter()
        .position(|&byte| byte == 0)
        .unwrap_or(bytes.len() - at);
    String::from_utf8_lossy(&bytes[at..at + length]).into_owned()
}

fn section<'a>(all: &'a [Section], name: &str) -> &'a Section {
    all.iter()
        .find(|section| section.name == name)
        .unwrap_or_else(|| panic!("no {name} section"))
}

/// The names of the functions of the file's `.text` section, by address, a list per address.
fn functions_of_text(elf: &[u8]) -> Vec<Vec<String>> {
    const FUNCTION: usize = 2;
    let all = sections(elf);
    let text = section(&all, ".text");
    let symbols = section(&all, ".symtab");
    let names_at = all[symbols.link].offset;
    let mut functions: Vec<(u64, String)> = elf[symbols.offset..][..symbols.size]
        .chunks_exact(24)
        .filter(|entry| number(entry, 4, 1) & 0xf == FUNCTION)
        .map(|entry| {
            (
                number(entry, 8, 8) as u64,
                c_string(elf, names_at + number(entry, 0, 4)),
            )
        })
        .filter(|(address, _)| (text.address..text.address + text.size as u64).contains(address))
        .collect();
    functions.sort();
    functions
        .chunk_by(|a, b| a.0 == b.0)
        .map(|same| same.iter().map(|(_, name)| name.clone()).collect())
        .collect()
}

/// A linker-script pattern as a glob: `*` stands for any run of characters (symbol names have
/// no `/`, `?`, `[` or `{`).
fn linker_glob(pattern: &str) -> globset::Glob {
    globset::Glob::new(pattern).unwrap_or_else(|error| panic!("{pattern}: {error}"))
}

fn glob_matches(pattern: &str, text: &str) -> bool {
    linker_glob(pattern).compile_matcher().is_match(text)
}

/// The function names of `dlg/startup/layout.ld`'s input-section patterns (`*(.text.NAME ...)`),
/// in the file's order: a set's match indices are the patterns' places.
fn layout_patterns() -> globset::GlobSet {
    let layout = include_str!("../startup/layout.ld");
    let names = layout.lines().filter_map(|line| {
        line.trim()
            .strip_prefix("*(.text.")?
            .split_whitespace()
            .next()
    });
    let mut patterns = globset::GlobSetBuilder::new();
    for name in names {
        patterns.add(linker_glob(name));
    }
    patterns.build().expect("the layout's patterns")
}

#[test]
fn glob_patterns_match_as_the_linker_matches_them() {
    assert!(glob_matches("_RNvCs*_3dlg4main", "_RNvCs1a2B_3dlg4main"));
    assert!(
        glob_matches("a*b*c", "abc")
            && glob_matches("a*", "a")
            && glob_matches("f.llvm.*", "f.llvm.12")
    );
    assert!(
        !glob_matches("_RNvCs*_3dlg4main", "_RNvCs1a2B_3dlg4mainx") && !glob_matches("a*b", "ba")
    );
}

#[test]
fn the_functions_a_start_runs_lead_the_code_in_the_layout_s_order_when_the_build_links_them_so() {
    if option_env!("DLG_START_LAYOUT").is_none() {
        return; // build.rs left the layout out (another linker, or no v0 symbol names)
    }
    let elf = std::fs::read(dlg()).expect("read the dlg binary");
    let patterns = layout_patterns();
    // The linker places the sections of each pattern in turn, so the first functions of `.text`
    // follow the patterns' order; the linker's own order (by object file) would not. A merged
    // function's other names share its address, so an address needs one name in order.
    let mut last = 0;
    for names in functions_of_text(&elf).iter().take(200) {
        let in_order = names
            .iter()
            .flat_map(|name| patterns.matches(name))
            .filter(|&index| index >= last)
            .min();
        last = in_order
            .unwrap_or_else(|| panic!("{names:?} are out of dlg/startup/layout.ld's order"));
    }
}

#[test]
fn relocations_are_packed_when_the_build_links_them_so() {
    if option_env!("DLG_PACKED_RELOCATIONS").is_none() {
        return; // another linker, or a glibc older than 2.36 where the binary is built
    }
    let elf = std::fs::read(dlg()).expect("read the dlg binary");
    let names: Vec<String> = sections(&elf)
        .into_iter()
        .map(|section| section.name)
        .collect();
    assert!(
        names.iter().any(|name| name == ".relr.dyn"),
        "no .relr.dyn among {names:?}"
    );
}
