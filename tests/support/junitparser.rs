//! Python's junitparser (pinned, from PyPI), a real JUnit XML consumer for `dlg test --junit`.
//!
//! Installed on first use into a virtual environment under `target/test-servers/`, like
//! httpbin. Set `DLG_TEST_PYTHON` to choose the Python interpreter (default `python3`).

use std::path::{Path, PathBuf};
use std::process::Command;

use super::pyvenv;

const REQUIREMENT: &str = "junitparser==5.0.3";

/// Reads `xml` with junitparser and prints one line per test case
/// (`suite|case|result|message`) and a last `totals tests failures errors skipped` line.
const READER: &str = r#"
import sys
from junitparser import JUnitXml, Failure, Error, Skipped
xml = JUnitXml.fromfile(sys.argv[1])
for suite in xml:
    for case in suite:
        kinds = [type(r).__name__ for r in case.result]
        message = case.result[0].message if case.result else ""
        print(f"{suite.name}|{case.name}|{','.join(kinds) or 'Passed'}|{message}")
print(f"totals {xml.tests} {xml.failures} {xml.errors} {xml.skipped}")
"#;

fn venv() -> PathBuf {
    pyvenv::pinned_venv("junitparser", REQUIREMENT)
}

/// What junitparser reads from the JUnit file at `path`; panics when it cannot parse it.
pub fn read(path: &Path) -> String {
    let output = Command::new(pyvenv::venv_python(&venv()))
        .args(["-c", READER])
        .arg(path)
        .output()
        .expect("run junitparser");
    assert!(
        output.status.success(),
        "junitparser could not read {}: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}
