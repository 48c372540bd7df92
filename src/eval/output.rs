//! Where `info` lines go: standard output for the CLI, a buffer for tests and embedding.

use std::io::Write;
use std::sync::{Arc, Mutex};

/// A sink for the lines `info` prints.
pub trait Output: Send {
    /// Receives one `info` line (without the newline).
    fn line(&mut self, text: &str);

    /// Pushes buffered lines out (called at the end of a run and before an error is shown).
    fn flush(&mut self) {}
}

/// Writes lines to standard output, buffered.
pub struct StdoutOutput {
    out: std::io::BufWriter<std::io::Stdout>,
}

impl StdoutOutput {
    /// A buffered writer on standard output.
    pub fn new() -> Self {
        StdoutOutput {
            out: std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout()),
        }
    }
}

impl Default for StdoutOutput {
    fn default() -> Self {
        StdoutOutput::new()
    }
}

impl Output for StdoutOutput {
    fn line(&mut self, text: &str) {
        // A closed pipe (`dlg run x | head`) must not abort the run with a panic.
        let _ = self.out.write_all(text.as_bytes());
        let _ = self.out.write_all(b"\n");
    }

    fn flush(&mut self) {
        let _ = self.out.flush();
    }
}

impl Drop for StdoutOutput {
    fn drop(&mut self) {
        let _ = self.out.flush();
    }
}

/// Collects lines in memory; clones share the same buffer.
#[derive(Clone, Default)]
pub struct CaptureOutput {
    lines: Arc<Mutex<Vec<String>>>,
}

impl CaptureOutput {
    /// An empty capture.
    pub fn new() -> Self {
        CaptureOutput::default()
    }

    /// The lines printed so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Everything printed so far, one line per `info`, each ending in a newline.
    pub fn text(&self) -> String {
        self.lines().iter().map(|l| format!("{l}\n")).collect()
    }
}

impl Output for CaptureOutput {
    fn line(&mut self, text: &str) {
        if let Ok(mut lines) = self.lines.lock() {
            lines.push(text.to_owned());
        }
    }
}
