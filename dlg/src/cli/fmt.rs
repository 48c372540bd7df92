//! `dlg fmt [--check] [PATH|-]...`: lay scripts out in the canonical style (see docs/fmt.md).
//!
//! Folders are walked like `dlg check` does (the project's source selection). A file with
//! syntax errors is not touched: its errors are reported and the exit code is 2. `--check`
//! writes nothing and lists the files that would change (exit 1 when there is one). `-` reads
//! standard input and writes the result to standard output. Files are replaced atomically:
//! the new text goes to a temporary file in the same folder, which is then renamed over the
//! original, so a failed write leaves the original intact.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::Args;

use super::{stderr_color, EXIT_OK, EXIT_USAGE};
use deluge_lang::fmt::format_source;
use deluge_lang::project::{self, detect};

/// Exit code of `--check` when a file would change.
const EXIT_WOULD_CHANGE: i32 = 1;

/// Arguments of `dlg fmt`.
#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Scripts or folders to format (folders recursively), `-` for standard input; default:
    /// the current folder.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Write nothing; list the files that would change and exit 1 if there is one.
    #[arg(long)]
    pub check: bool,
}

/// What formatting the files found.
#[derive(Default)]
struct Tally {
    files: usize,
    changed: usize,
    failed: usize,
}

/// Formats every file; see the module documentation for the exit codes.
pub fn fmt(args: FmtArgs) -> i32 {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut tally = Tally::default();
    for path in &paths {
        if path.as_os_str() == "-" {
            tally.files += 1;
            if !format_stdin() {
                tally.failed += 1;
            }
            continue;
        }
        let files = match files_at(path) {
            Ok(files) => files,
            Err(message) => {
                eprintln!("error: {message}");
                return EXIT_USAGE;
            }
        };
        for file in files {
            tally.files += 1;
            match format_file(&file, args.check) {
                Ok(true) => tally.changed += 1,
                Ok(false) => {}
                Err(()) => tally.failed += 1,
            }
        }
    }
    summary(&tally, args.check);
    if tally.failed > 0 {
        EXIT_USAGE
    } else if args.check && tally.changed > 0 {
        EXIT_WOULD_CHANGE
    } else {
        EXIT_OK
    }
}

/// The files to format under `path`: the file itself, or a folder's source files.
fn files_at(path: &Path) -> Result<Vec<PathBuf>, String> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let sources = project::sources_at(path).map_err(|e| e.to_string())?;
    let walk = sources.walk(path);
    for problem in &walk.problems {
        eprintln!("{problem}");
    }
    Ok(walk.files)
}

/// Formats standard input to standard output; false (after reporting) when it cannot.
fn format_stdin() -> bool {
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("<stdin>: cannot read it: {e}");
        return false;
    }
    match format_source(&text) {
        Ok(formatted) => {
            let mut out = std::io::stdout().lock();
            out.write_all(formatted.as_bytes()).is_ok() && out.flush().is_ok()
        }
        Err(error) => {
            eprint!("{}", error.render("<stdin>", &text, stderr_color()));
            eprintln!("<stdin>: not formatted");
            false
        }
    }
}

/// Formats one file; whether it changed (or would, with `check`). Problems are reported.
fn format_file(path: &Path, check: bool) -> Result<bool, ()> {
    let name = shown_name(path);
    let text = match std::fs::read(path).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => {
            eprintln!("{name}: skipped, not text (not valid UTF-8)");
            return Err(());
        }
        Err(e) => {
            eprintln!("{name}: cannot read it: {e}");
            return Err(());
        }
    };
    let formatted = match format_source(&text) {
        Ok(formatted) => formatted,
        Err(error) => {
            if let Some(reason) = detect::not_deluge(text.as_bytes()) {
                eprintln!("{name}: skipped, {reason}");
                return Ok(false);
            }
            eprint!("{}", error.render(&name, &text, stderr_color()));
            eprintln!("{name}: not formatted (fix the syntax errors first)");
            return Err(());
        }
    };
    if formatted == text {
        return Ok(false);
    }
    if check {
        println!("{name}");
        return Ok(true);
    }
    match write_atomically(path, &formatted) {
        Ok(()) => Ok(true),
        Err(e) => {
            eprintln!("{name}: cannot write it ({e}); the file is unchanged");
            Err(())
        }
    }
}

/// Replaces `path` with `text`: writes a temporary file beside it (same permissions), then
/// renames it over the original. On failure the temporary file is removed.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = dir.join(format!(".{file_name}.dlg-fmt-{}", std::process::id()));
    let written =
        write_temporary(path, &temporary, text).and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// Writes and syncs the temporary file, copying the original's permissions.
fn write_temporary(original: &Path, temporary: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::File::create(temporary)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    let permissions = std::fs::metadata(original)?.permissions();
    std::fs::set_permissions(temporary, permissions)
}

/// The closing line on standard error.
fn summary(tally: &Tally, check: bool) {
    let verb = if check {
        "would reformat"
    } else {
        "reformatted"
    };
    let mut line = format!("{} {verb}", plural(tally.changed, "file"));
    let unchanged = tally.files - tally.changed - tally.failed;
    line.push_str(&format!(", {} unchanged", plural(unchanged, "file")));
    if tally.failed > 0 {
        line.push_str(&format!(", {} not formatted", plural(tally.failed, "file")));
    }
    eprintln!("{line}");
}

/// `path` as shown: without a leading `./`.
fn shown_name(path: &Path) -> String {
    let shown = path.strip_prefix(".").unwrap_or(path);
    shown.display().to_string()
}

/// `1 file`, `2 files`.
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
