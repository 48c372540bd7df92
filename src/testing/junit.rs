//! JUnit XML for CI: one `<testsuite>` per test file, one `<testcase>` per test; a failed
//! assertion is a `<failure>`, an error an `<error>`, `skip(...)` a `<skipped>`; a test file
//! that does not compile is a test case named `(compile)` with an `<error>`.

use std::fmt::Write as _;
use std::time::Duration;

use crate::testing::runner::{Outcome, Suite, TestResult};

/// The XML text of `suite`.
pub fn junit_xml(suite: &Suite) -> String {
    let mut files: Vec<&str> = Vec::new();
    for result in &suite.results {
        if !files.contains(&result.file.as_str()) {
            files.push(&result.file);
        }
    }
    let count = |results: &[&TestResult], pick: fn(&Outcome) -> bool| {
        results.iter().filter(|r| pick(&r.outcome)).count()
    };
    let failed = |o: &Outcome| matches!(o, Outcome::Failed(f) if f.assertion);
    let errored = |o: &Outcome| matches!(o, Outcome::Failed(f) if !f.assertion);
    let skipped = |o: &Outcome| matches!(o, Outcome::Skipped(_));
    let all: Vec<&TestResult> = suite.results.iter().collect();
    let total_time: Duration = suite.results.iter().map(|r| r.duration).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"dlg test\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3}\">",
        all.len() + suite.problems.len(),
        count(&all, failed),
        count(&all, errored) + suite.problems.len(),
        count(&all, skipped),
        total_time.as_secs_f64()
    );
    for file in files {
        let results: Vec<&TestResult> = suite.results.iter().filter(|r| r.file == file).collect();
        let time: Duration = results.iter().map(|r| r.duration).sum();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3}\">",
            escape(file),
            results.len(),
            count(&results, failed),
            count(&results, errored),
            count(&results, skipped),
            time.as_secs_f64()
        );
        for result in results {
            write_case(&mut out, result);
        }
        out.push_str("  </testsuite>\n");
    }
    for problem in &suite.problems {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{0}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0.000\">\n    <testcase classname=\"{0}\" name=\"(compile)\" time=\"0.000\">\n      <error message=\"{1}\" type=\"compile\">{2}</error>\n    </testcase>\n  </testsuite>",
            escape(&problem.file),
            escape(problem.error.message()),
            escape(&problem.error.render(false))
        );
    }
    out.push_str("</testsuites>\n");
    out
}

fn write_case(out: &mut String, result: &TestResult) {
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\">",
        escape(&result.file),
        escape(&result.name),
        result.duration.as_secs_f64()
    );
    match &result.outcome {
        Outcome::Passed => {}
        Outcome::Skipped(reason) => {
            let _ = write!(out, "\n      <skipped message=\"{}\"/>", escape(reason));
        }
        Outcome::Failed(failure) => {
            let tag = if failure.assertion {
                "failure"
            } else {
                "error"
            };
            let kind = if failure.assertion {
                "assertion"
            } else {
                "error"
            };
            let mut body = failure
                .error
                .as_ref()
                .map(|e| e.render(false))
                .unwrap_or_default();
            for line in &failure.details {
                body.push_str(line);
                body.push('\n');
            }
            let _ = write!(
                out,
                "\n      <{tag} message=\"{}\" type=\"{kind}\">{}</{tag}>",
                escape(&failure.message),
                escape(&body)
            );
        }
    }
    if !result.info.is_empty() {
        let _ = write!(
            out,
            "\n      <system-out>{}</system-out>",
            escape(&result.info.join("\n"))
        );
    }
    if !matches!(result.outcome, Outcome::Passed) || !result.info.is_empty() {
        out.push_str("\n    ");
    }
    out.push_str("</testcase>\n");
}

/// Escapes text for XML attributes and content; drops characters XML 1.0 cannot hold.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_and_control_characters_are_escaped() {
        assert_eq!(
            escape("a<b & \"c\"\u{1b}[1m"),
            "a&lt;b &amp; &quot;c&quot;[1m"
        );
    }
}
