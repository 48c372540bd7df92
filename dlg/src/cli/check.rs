//! `dlg check [PATH]... [--json] [--deny-warnings]`: parse, report every syntax error of every
//! file, and the lints (warnings, see `docs/lints.md`) of the files that parse.
//!
//! A folder is checked recursively for the project's source files (`*.dg`, `*.deluge`, `*.ds`
//! and the `[sources] include` patterns of its `dlg.toml`); with no path, the current folder.
//! A file named on the command line is checked whatever its extension. A file that does not
//! parse and is clearly not Deluge (see `project::detect`) is reported in one line.

use std::path::{Path, PathBuf};

use clap::Args;

use super::check_report::{print_json, print_text};
use super::{stderr_color, EXIT_OK, EXIT_USAGE};
use deluge_lang::connections::store::Store;
use deluge_lang::lint::{lint_program, signatures, Lint, LintContext};
use deluge_lang::project::{self, detect};
use deluge_lang::syntax::ast::Program;
use deluge_lang::syntax::SyntaxError;

/// Arguments of `dlg check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scripts or folders to check (folders recursively); default: the current folder.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print the report as JSON on standard output.
    #[arg(long)]
    pub json: bool,
    /// Fail (exit 1) when there are warnings (lints).
    #[arg(long)]
    pub deny_warnings: bool,
}

/// What checking one file found.
#[derive(Debug)]
pub enum Outcome {
    /// It parses; these are its lints.
    Ok(Vec<Lint>),
    /// It is Deluge with these syntax errors.
    Errors(Vec<SyntaxError>),
    /// It is not Deluge at all, for this reason.
    NotDeluge(String),
    /// It could not be read.
    Unreadable(String),
}

/// One checked file.
#[derive(Debug)]
pub struct FileReport {
    /// The path as shown.
    pub name: String,
    /// Its text (empty when it could not be read or is not Deluge).
    pub text: String,
    /// What was found.
    pub outcome: Outcome,
    /// The parsed program of a file that parses, kept until it is linted.
    pub program: Option<Program>,
}

/// Checks every file; exit 0 when every Deluge file parses, 2 otherwise.
pub fn check(args: CheckArgs) -> i32 {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut reports = Vec::new();
    for path in &paths {
        if let Err(message) = check_path(path, &mut reports) {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    }
    lint_reports(&mut reports);
    let failed = reports
        .iter()
        .any(|r| matches!(r.outcome, Outcome::Errors(_) | Outcome::Unreadable(_)));
    let warned = reports
        .iter()
        .any(|r| matches!(&r.outcome, Outcome::Ok(lints) if !lints.is_empty()));
    if args.json {
        print_json(&reports);
    } else {
        print_text(&reports, stderr_color());
    }
    if failed {
        EXIT_USAGE
    } else if warned && args.deny_warnings {
        EXIT_WARNINGS
    } else {
        EXIT_OK
    }
}

/// Exit code of `--deny-warnings` when there are warnings.
const EXIT_WARNINGS: i32 = 1;

/// Lints every file that parses, knowing the functions of every checked file and the
/// connections of the store.
fn lint_reports(reports: &mut [FileReport]) {
    let mut context = LintContext {
        functions: Vec::new(),
        connections: store_link_names(),
    };
    for program in reports.iter().filter_map(|report| report.program.as_ref()) {
        context.functions.extend(signatures(program));
    }
    for report in reports.iter_mut() {
        let Some(program) = report.program.take() else {
            continue;
        };
        if let Outcome::Ok(lints) = &mut report.outcome {
            *lints = lint_program(&report.text, &program, &context);
        }
    }
}

/// The link names of the connection store; `None` when there is no store or it holds no
/// connection (then the `unknown-connection` lint is skipped rather than flagging every name).
pub fn store_link_names() -> Option<Vec<String>> {
    let snapshot = Store::open_default().ok()?.load().ok()?;
    let names: Vec<String> = snapshot
        .connections()
        .map(|c| c.link_name.clone())
        .collect();
    (!names.is_empty()).then_some(names)
}

/// Checks `path`, a file or a folder, adding a report per file.
fn check_path(path: &Path, reports: &mut Vec<FileReport>) -> Result<(), String> {
    if !path.is_dir() {
        reports.push(check_file(path));
        return Ok(());
    }
    let sources = project::sources_at(path).map_err(|e| e.to_string())?;
    let walk = sources.walk(path);
    for problem in walk.problems {
        reports.push(FileReport {
            name: problem.clone(),
            text: String::new(),
            outcome: Outcome::Unreadable(problem),
            program: None,
        });
    }
    for file in walk.files {
        reports.push(check_file(&file));
    }
    Ok(())
}

/// Reads and parses one file.
pub fn check_file(path: &Path) -> FileReport {
    let name = shown_name(path);
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            return FileReport {
                name,
                text: String::new(),
                outcome: Outcome::Unreadable(format!("cannot read it: {e}")),
                program: None,
            }
        }
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return FileReport {
            name,
            text: String::new(),
            outcome: Outcome::NotDeluge("not text (not valid UTF-8)".into()),
            program: None,
        };
    };
    let parsed = deluge_lang::syntax::parse(&text);
    if parsed.errors.is_empty() {
        return FileReport {
            name,
            text,
            outcome: Outcome::Ok(Vec::new()),
            program: Some(parsed.program),
        };
    }
    let errors = parsed.errors;
    let outcome = match detect::not_deluge(text.as_bytes()) {
        Some(reason) => Outcome::NotDeluge(reason),
        None => Outcome::Errors(errors),
    };
    FileReport {
        name,
        text,
        outcome,
        program: None,
    }
}

/// `path` as shown in reports: without a leading `./`.
fn shown_name(path: &Path) -> String {
    let shown = path.strip_prefix(".").unwrap_or(path);
    shown.display().to_string()
}
