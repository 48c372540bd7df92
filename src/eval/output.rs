//! Where `info` lines go: standard output for the CLI, a buffer for tests and embedding.

use std::io::Write;
use std::sync::{Arc, Mutex};

/// A sink for the lines `info` prints.
///
/// One engine may run scripts on several threads at once, so an output takes `&self` and is
/// `Send + Sync`; lines from concurrent runs arrive interleaved.
///
/// ```
/// use std::sync::Mutex;
/// use deluge_lang::{Engine, Output};
///
/// #[derive(Default)]
/// struct Log(Mutex<Vec<String>>);
///
/// impl Output for Log {
///     fn line(&self, text: &str) {
///         self.0.lock().unwrap().push(format!("[script] {text}"));
///     }
/// }
///
/// let log = std::sync::Arc::new(Log::default());
/// let mut engine = Engine::new();
/// engine.set_output(log.clone());
/// engine.run("info \"hi\";").unwrap();
/// assert_eq!(*log.0.lock().unwrap(), ["[script] hi"]);
/// ```
pub trait Output: Send + Sync {
    /// Receives one `info` line (without the newline).
    ///
    /// ```
    /// use deluge_lang::{CaptureOutput, Output};
    /// let output = CaptureOutput::new();
    /// output.line("hello");
    /// assert_eq!(output.lines(), ["hello"]);
    /// ```
    fn line(&self, text: &str);

    /// Pushes buffered lines out (called at the end of a run and before an error is shown).
    ///
    /// ```
    /// use deluge_lang::{Output, StdoutOutput};
    /// let out = StdoutOutput::new();
    /// out.line("printed");
    /// out.flush();
    /// ```
    fn flush(&self) {}
}

/// An output shared with the host: the host keeps one handle to read what was printed.
impl<T: Output + ?Sized> Output for std::sync::Arc<T> {
    fn line(&self, text: &str) {
        (**self).line(text);
    }

    fn flush(&self) {
        (**self).flush();
    }
}

/// Writes lines to standard output, buffered.
///
/// ```
/// let mut engine = deluge_lang::Engine::new();
/// engine.set_output(deluge_lang::StdoutOutput::new()); // the default
/// ```
pub struct StdoutOutput {
    out: Mutex<std::io::BufWriter<std::io::Stdout>>,
}

impl StdoutOutput {
    /// A buffered writer on standard output.
    ///
    /// ```
    /// let _ = deluge_lang::StdoutOutput::new();
    /// ```
    pub fn new() -> Self {
        StdoutOutput {
            out: Mutex::new(std::io::BufWriter::with_capacity(
                64 * 1024,
                std::io::stdout(),
            )),
        }
    }
}

impl Default for StdoutOutput {
    fn default() -> Self {
        StdoutOutput::new()
    }
}

impl Output for StdoutOutput {
    fn line(&self, text: &str) {
        // A closed pipe (`dlg run x | head`) must not abort the run with a panic.
        if let Ok(mut out) = self.out.lock() {
            let _ = out.write_all(text.as_bytes());
            let _ = out.write_all(b"\n");
        }
    }

    fn flush(&self) {
        if let Ok(mut out) = self.out.lock() {
            let _ = out.flush();
        }
    }
}

impl Drop for StdoutOutput {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Collects lines in memory; clones share the same buffer.
///
/// ```
/// use deluge_lang::{CaptureOutput, Engine};
/// let mut engine = Engine::new();
/// let output = CaptureOutput::new();
/// engine.set_output(output.clone());
/// engine.run("info 1; info \"two\";").unwrap();
/// assert_eq!(output.lines(), ["1", "two"]);
/// assert_eq!(output.text(), "1\ntwo\n");
/// ```
#[derive(Clone, Default)]
pub struct CaptureOutput {
    lines: Arc<Mutex<Vec<String>>>,
}

impl CaptureOutput {
    /// An empty capture.
    ///
    /// ```
    /// assert!(deluge_lang::CaptureOutput::new().lines().is_empty());
    /// ```
    pub fn new() -> Self {
        CaptureOutput::default()
    }

    /// The lines printed so far.
    ///
    /// ```
    /// use deluge_lang::{CaptureOutput, Output};
    /// let output = CaptureOutput::new();
    /// output.line("a");
    /// assert_eq!(output.lines(), ["a"]);
    /// ```
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Everything printed so far, one line per `info`, each ending in a newline.
    ///
    /// ```
    /// use deluge_lang::{CaptureOutput, Output};
    /// let output = CaptureOutput::new();
    /// output.line("a");
    /// assert_eq!(output.text(), "a\n");
    /// ```
    pub fn text(&self) -> String {
        self.lines().iter().map(|l| format!("{l}\n")).collect()
    }
}

impl Output for CaptureOutput {
    fn line(&self, text: &str) {
        if let Ok(mut lines) = self.lines.lock() {
            lines.push(text.to_owned());
        }
    }
}
