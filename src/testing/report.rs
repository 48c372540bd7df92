//! The report for people: one line per test with its time as it finishes, then every failure
//! in full, then the summary line (`N passed, N failed`, `, N skipped` when some are).

use std::fmt::Write as _;
use std::time::Duration;

use crate::testing::runner::{Outcome, Suite, TestResult};

/// Exit code when every test passed.
pub const EXIT_PASSED: i32 = 0;
/// Exit code when a test failed.
pub const EXIT_FAILED: i32 = 1;
/// Exit code for a syntax or compile error in a test file (or bad usage).
pub const EXIT_USAGE: i32 = 2;

/// The line printed for `result` as soon as it is known.
pub fn result_line(result: &TestResult) -> String {
    let status = match &result.outcome {
        Outcome::Passed => "PASS",
        Outcome::Skipped(_) => "SKIP",
        Outcome::Failed(_) => "FAIL",
    };
    let mut line = format!(
        "{status} {} ({})",
        result.full_name(),
        duration(result.duration)
    );
    if let Outcome::Skipped(reason) = &result.outcome {
        let _ = write!(line, ": {reason}");
    }
    line
}

/// Milliseconds below ten seconds, else seconds.
pub fn duration(d: Duration) -> String {
    if d < Duration::from_secs(10) {
        format!("{:.1} ms", d.as_secs_f64() * 1000.0)
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

/// Every failure and every test file that could not run, in full.
pub fn failures(suite: &Suite, color: bool) -> String {
    let mut out = String::new();
    for problem in &suite.problems {
        let _ = writeln!(out, "\n--- {} could not run ---", problem.file);
        out.push_str(&problem.error.render(color));
    }
    for result in &suite.results {
        let Outcome::Failed(failure) = &result.outcome else {
            continue;
        };
        let what = if failure.assertion { "failed" } else { "error" };
        let _ = writeln!(out, "\n--- {} {what} ---", result.full_name());
        match &failure.error {
            Some(error) => out.push_str(&error.render(color)),
            None => {
                let _ = writeln!(out, "{}", failure.message);
            }
        }
        for line in &failure.details {
            let _ = writeln!(out, "{line}");
        }
        if !result.form_actions.is_empty() {
            out.push_str("form actions:\n");
            for line in &result.form_actions {
                let _ = writeln!(out, "  {line}");
            }
        }
        if !result.info.is_empty() {
            out.push_str("info output:\n");
            for line in &result.info {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    out
}

/// `N passed, N failed` and `, N skipped` when some were (test files that could not run
/// count as failed).
pub fn summary(suite: &Suite) -> String {
    let count =
        |pick: fn(&Outcome) -> bool| suite.results.iter().filter(|r| pick(&r.outcome)).count();
    let passed = count(|o| matches!(o, Outcome::Passed));
    let failed = count(|o| matches!(o, Outcome::Failed(_))) + suite.problems.len();
    let skipped = count(|o| matches!(o, Outcome::Skipped(_)));
    let mut line = format!("{passed} passed, {failed} failed");
    if skipped > 0 {
        let _ = write!(line, ", {skipped} skipped");
    }
    line
}

/// 2 when a test file has a syntax or compile error, else 1 when anything failed, else 0.
pub fn exit_code(suite: &Suite) -> i32 {
    if suite.problems.iter().any(|p| p.is_usage()) {
        EXIT_USAGE
    } else if !suite.problems.is_empty()
        || suite
            .results
            .iter()
            .any(|r| matches!(r.outcome, Outcome::Failed(_)))
    {
        EXIT_FAILED
    } else {
        EXIT_PASSED
    }
}
