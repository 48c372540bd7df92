//! `dlg check [PATH]... [--json] [--deny-warnings]`: parse, report every syntax error of every
//! file, and the lints (warnings, see `docs/lints.md`) of the files that parse.
//!
//! A folder is checked recursively for the project's source files (`*.dg`, `*.deluge`, `*.ds`
//! and the `[sources] include` patterns of its `dlg.toml`); with no path, the current folder.
//! A file named on the command line is checked whatever its extension. A file that does not
//! parse and is clearly not Deluge (see `project::detect`) is reported in one line.
//!
//! Files are checked `--jobs` at a time (default: one per core). A single large file uses the
//! threads itself: its top-level functions are parsed in parts at once
//! (`syntax::parse_on_threads`), its lints split over two threads, and the line index its
//! report needs is built meanwhile. The report is the same whatever the number of threads.

use std::path::{Path, PathBuf};

use clap::Args;

use super::check_jobs;
use super::check_report::{print_json, print_text, render_report};
use super::{stderr_color, EXIT_OK, EXIT_USAGE};
use deluge_lang::connections::store::Store;
use deluge_lang::lint::{lint_program_on_threads, signatures, Lint, LintContext};
use deluge_lang::project::{self, detect};
use deluge_lang::syntax::ast::Program;
use deluge_lang::syntax::diagnostics::SourceIndex;
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
    /// Threads to check with; default: one per core.
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
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
    /// The text report of its errors or warnings, rendered once it is linted (empty for
    /// `--json`).
    pub rendered: String,
}

/// Checks every file; exit 0 when every Deluge file parses, 2 otherwise.
pub fn check(args: CheckArgs) -> i32 {
    if args.jobs == Some(0) {
        eprintln!("error: --jobs needs at least 1");
        return EXIT_USAGE;
    }
    let threads = args.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut found = Vec::new();
    for path in &paths {
        if let Err(message) = find_files(path, &mut found) {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    }
    let shared = Sharing::of(threads, found.len());
    let mut reports = parse_all(found, shared);
    let color = (!args.json).then(stderr_color);
    lint_and_render_all(&mut reports, shared, color);
    let failed = reports
        .iter()
        .any(|r| matches!(r.outcome, Outcome::Errors(_) | Outcome::Unreadable(_)));
    let warned = reports
        .iter()
        .any(|r| matches!(&r.outcome, Outcome::Ok(lints) if !lints.is_empty()));
    if args.json {
        print_json(&reports);
    } else {
        print_text(&reports);
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

/// How the threads are shared: over the files, or, for a single file, within it.
#[derive(Clone, Copy, Debug)]
struct Sharing {
    /// Files checked at once.
    files_at_once: usize,
    /// Threads each file may use for itself.
    threads_per_file: usize,
}

impl Sharing {
    fn of(threads: usize, files: usize) -> Sharing {
        if files == 1 {
            Sharing {
                files_at_once: 1,
                threads_per_file: threads,
            }
        } else {
            Sharing {
                files_at_once: threads,
                threads_per_file: 1,
            }
        }
    }
}

/// A file to check, or why a folder entry could not be listed.
#[derive(Debug)]
enum Found {
    File(PathBuf),
    Problem(String),
}

/// Reads and parses every file found, `shared.files_at_once` at a time, in the order found.
fn parse_all(found: Vec<Found>, shared: Sharing) -> Vec<FileReport> {
    let mut work: Vec<(Found, Option<FileReport>)> =
        found.into_iter().map(|found| (found, None)).collect();
    check_jobs::for_each(&mut work, shared.files_at_once, |(found, report)| {
        *report = Some(match found {
            Found::File(path) => check_file(path, shared.threads_per_file),
            Found::Problem(problem) => FileReport::unreadable(problem.clone(), problem.clone()),
        });
    });
    work.into_iter().filter_map(|(_, report)| report).collect()
}

/// Lints every file that parses, knowing the functions of every checked file and the
/// connections of the store, and renders each file's report in `color` (`None`: no text
/// report, for `--json`).
fn lint_and_render_all(reports: &mut [FileReport], shared: Sharing, color: Option<bool>) {
    let mut context = LintContext {
        functions: Vec::new(),
        connections: store_link_names(),
    };
    for program in reports.iter().filter_map(|report| report.program.as_ref()) {
        context.functions.extend(signatures(program));
    }
    check_jobs::for_each(reports, shared.files_at_once, |report| {
        lint_and_render(report, &context, shared.threads_per_file, color);
    });
}

/// Lints one file (if it parsed) and renders its report. With threads to spare and a large
/// file (checked alone), the line index the report needs is built while the lints run, and
/// the tree is left to the end of the process.
fn lint_and_render(
    report: &mut FileReport,
    context: &LintContext,
    threads: usize,
    color: Option<bool>,
) {
    let FileReport {
        name,
        text,
        outcome,
        program,
        rendered,
    } = report;
    let (text, program) = (text.as_str(), program.take());
    let Some(color) = color else {
        lint(outcome, text, program.as_ref(), context, threads);
        return;
    };
    if program.is_none() || threads < 2 || text.len() < MIN_TEXT_BYTES_FOR_AN_INDEX_THREAD {
        lint(outcome, text, program.as_ref(), context, threads);
        *rendered = render_report(name, text, outcome, None, color);
        return;
    }
    *rendered = std::thread::scope(|scope| {
        let index = std::thread::Builder::new()
            .name("dlg-index".into())
            .spawn_scoped(scope, || SourceIndex::new(text));
        lint(outcome, text, program.as_ref(), context, threads);
        leave_to_the_process_end(program);
        let index = match index {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => SourceIndex::new(text),
        };
        render_report(name, text, outcome, Some(&index), color)
    });
}

/// The smallest file whose line index is worth a thread of its own: about 3,000 lines, as for
/// the lints (`lint::lint_program_on_threads`).
const MIN_TEXT_BYTES_FOR_AN_INDEX_THREAD: usize = 64 * 1024;

/// Leaves the tree of a file checked alone to the end of the process, which follows its
/// report: the system takes the memory back at once, while freeing the tree of 300,000 lines
/// costs some 20 ms of CPU, 6-7 % of the whole check, even on a thread of its own, where it
/// took the CPU from the report's threads. Only a file checked alone uses threads within it
/// (`Sharing`), so the trees of a folder's files are still freed one by one.
fn leave_to_the_process_end(program: Option<Program>) {
    std::mem::forget(program);
}

/// Puts the lints of `program` (parsed from `text`) into `outcome`.
fn lint(
    outcome: &mut Outcome,
    text: &str,
    program: Option<&Program>,
    context: &LintContext,
    threads: usize,
) {
    if let (Some(program), Outcome::Ok(lints)) = (program, outcome) {
        *lints = lint_program_on_threads(text, program, context, threads);
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

/// Finds the files to check at `path`, a file or a folder.
fn find_files(path: &Path, found: &mut Vec<Found>) -> Result<(), String> {
    if !path.is_dir() {
        found.push(Found::File(path.to_owned()));
        return Ok(());
    }
    let sources = project::sources_at(path).map_err(|e| e.to_string())?;
    let walk = sources.walk(path);
    found.extend(walk.problems.into_iter().map(Found::Problem));
    found.extend(walk.files.into_iter().map(Found::File));
    Ok(())
}

impl FileReport {
    /// A file that could not be read (or listed), and why.
    fn unreadable(name: String, reason: String) -> FileReport {
        FileReport::of(name, String::new(), Outcome::Unreadable(reason))
    }

    fn of(name: String, text: String, outcome: Outcome) -> FileReport {
        FileReport {
            name,
            text,
            outcome,
            program: None,
            rendered: String::new(),
        }
    }
}

/// Reads and parses one file, on up to `threads` threads.
pub fn check_file(path: &Path, threads: usize) -> FileReport {
    let name = shown_name(path);
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return FileReport::unreadable(name, format!("cannot read it: {e}")),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        let outcome = Outcome::NotDeluge("not text (not valid UTF-8)".into());
        return FileReport::of(name, String::new(), outcome);
    };
    let parsed = deluge_lang::syntax::parse_on_threads(&text, threads);
    if parsed.errors.is_empty() {
        return FileReport {
            program: Some(parsed.program),
            ..FileReport::of(name, text, Outcome::Ok(Vec::new()))
        };
    }
    let outcome = match detect::not_deluge(text.as_bytes()) {
        Some(reason) => Outcome::NotDeluge(reason),
        None => Outcome::Errors(parsed.errors),
    };
    FileReport::of(name, text, outcome)
}

/// `path` as shown in reports: without a leading `./`.
fn shown_name(path: &Path) -> String {
    let shown = path.strip_prefix(".").unwrap_or(path);
    shown.display().to_string()
}
