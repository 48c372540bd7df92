//! Line coverage of the code under test: which lines with a statement ran, per file and in
//! total, and the lcov file `genhtml` renders.
//!
//! A line is *executable* when a statement of the code under test starts on it (a `for each`
//! counts at its iterable, when an iteration starts; `try` itself is not a statement, its
//! blocks are), and *covered* when one of those statements ran in any test.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use crate::eval::coverage::Coverage;
use crate::eval::ir::{Block, Stmt};
use crate::syntax::span::line_col;
use crate::testing::runner::Plan;

/// One file's lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileCoverage {
    /// The file as named in the run.
    pub file: String,
    /// Executable lines (1-based) and whether each ran.
    pub lines: BTreeMap<u32, bool>,
}

impl FileCoverage {
    /// Lines that ran.
    pub fn covered(&self) -> usize {
        self.lines.values().filter(|&&hit| hit).count()
    }

    /// Executable lines.
    pub fn total(&self) -> usize {
        self.lines.len()
    }
}

/// Coverage of every file under test, in name order.
#[derive(Clone, Debug, Default)]
pub struct CoverageReport {
    /// Per file.
    pub files: Vec<FileCoverage>,
}

/// The coverage of the code under test of `plans`, from the hits in `coverage`.
pub fn collect(plans: &[Plan], coverage: &Coverage) -> CoverageReport {
    let mut files: BTreeMap<String, FileCoverage> = BTreeMap::new();
    for plan in plans {
        let script = &plan.script;
        for function in script.functions.iter().filter(|f| f.source != 0) {
            let Some(source) = script.sources.get(function.source as usize) else {
                continue;
            };
            let mut offsets = BTreeSet::new();
            statement_offsets(&function.body, &mut offsets);
            let hits = coverage.hits(&source.name);
            let entry = files
                .entry(source.name.to_string())
                .or_insert_with(|| FileCoverage {
                    file: source.name.to_string(),
                    lines: BTreeMap::new(),
                });
            for offset in offsets {
                let line = line_col(&source.text, offset).line;
                let hit = hits.contains(&offset);
                let seen = entry.lines.entry(line).or_insert(false);
                *seen |= hit;
            }
        }
    }
    CoverageReport {
        files: files.into_values().collect(),
    }
}

/// The byte offset at which the interpreter counts each statement of `block`, nested ones too.
fn statement_offsets(block: &Block, out: &mut BTreeSet<u32>) {
    for (stmt, span) in block.iter() {
        match stmt {
            Stmt::Try(try_stmt) => {
                statement_offsets(&try_stmt.body, out);
                statement_offsets(&try_stmt.handler, out);
            }
            Stmt::If(if_stmt) => {
                out.insert(span.start);
                for (_, _, body) in if_stmt.branches.iter() {
                    statement_offsets(body, out);
                }
                if let Some(body) = &if_stmt.otherwise {
                    statement_offsets(body, out);
                }
            }
            Stmt::ForEach(for_each) => {
                out.insert(for_each.span.start);
                statement_offsets(&for_each.body, out);
            }
            Stmt::Host(_, host_span) => {
                out.insert(host_span.start);
            }
            _ => {
                out.insert(span.start);
            }
        }
    }
}

fn percent(covered: usize, total: usize) -> f64 {
    if total == 0 {
        100.0
    } else {
        covered as f64 * 100.0 / total as f64
    }
}

impl CoverageReport {
    /// Covered and executable lines over every file.
    pub fn totals(&self) -> (usize, usize) {
        self.files
            .iter()
            .fold((0, 0), |(c, t), f| (c + f.covered(), t + f.total()))
    }

    /// The table printed after the tests: one line per file, then the total.
    pub fn table(&self) -> String {
        let width = self
            .files
            .iter()
            .map(|f| f.file.len())
            .max()
            .unwrap_or(0)
            .max(5);
        let mut out = String::from("coverage (lines):\n");
        let mut row = |name: &str, covered: usize, total: usize| {
            let _ = writeln!(
                out,
                "  {name:<width$}  {covered:>5}/{total:<5} {:>6.1}%",
                percent(covered, total)
            );
        };
        for file in &self.files {
            row(&file.file, file.covered(), file.total());
        }
        let (covered, total) = self.totals();
        row("total", covered, total);
        out
    }

    /// The report in lcov's tracefile format, source paths absolute (so genhtml finds them
    /// from anywhere).
    pub fn lcov(&self) -> String {
        let mut out = String::from("TN:dlg_test\n");
        for file in &self.files {
            let path = std::fs::canonicalize(Path::new(&file.file))
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| file.file.clone());
            let _ = writeln!(out, "SF:{path}");
            for (line, hit) in &file.lines {
                let _ = writeln!(out, "DA:{line},{}", u8::from(*hit));
            }
            let _ = writeln!(
                out,
                "LF:{}\nLH:{}\nend_of_record",
                file.total(),
                file.covered()
            );
        }
        out
    }
}
