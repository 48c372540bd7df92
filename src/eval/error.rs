//! Errors of compiling and running a script, and their rendering (file:line:col, the source
//! line, the span underlined) through ariadne.

use std::fmt;
use std::sync::Arc;

use crate::syntax::diagnostics::{render, Diagnostic};
use crate::syntax::span::{line_col, Span};

/// What kind of runtime error: ordinary errors are catchable, limits are not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuntimeErrorKind {
    /// A runtime error `try/catch` can catch.
    Error,
    /// A limit was hit (statements, call depth, time): never catchable.
    Limit,
}

/// A runtime error raised while a script runs.
#[derive(Clone, Debug)]
pub struct RuntimeError {
    /// What went wrong, in one sentence.
    pub message: String,
    /// How to fix it, when known.
    pub help: Option<String>,
    /// Where.
    pub span: Span,
    /// The source the span is in (index into the script's sources); filled while unwinding.
    pub source: Option<u32>,
    /// Catchable or a limit.
    pub kind: RuntimeErrorKind,
}

impl RuntimeError {
    /// A catchable error at `span`.
    pub fn new(message: impl Into<String>, span: Span) -> Box<RuntimeError> {
        Box::new(RuntimeError {
            message: message.into(),
            help: None,
            span,
            source: None,
            kind: RuntimeErrorKind::Error,
        })
    }

    /// A limit error at `span` (not catchable).
    pub fn limit(message: impl Into<String>, span: Span) -> Box<RuntimeError> {
        let mut err = RuntimeError::new(message, span);
        err.kind = RuntimeErrorKind::Limit;
        err
    }

    /// Adds a hint on how to fix it.
    pub fn with_help(mut self: Box<Self>, help: impl Into<String>) -> Box<RuntimeError> {
        self.help = Some(help.into());
        self
    }
}

/// The result type of the interpreter.
pub type RtResult<T> = Result<T, Box<RuntimeError>>;

/// Which phase an [`Error`] comes from; decides the CLI exit code.
///
/// ```
/// use deluge_lang::{Engine, ErrorPhase};
/// let engine = Engine::new();
/// assert_eq!(engine.run("x = ;").unwrap_err().phase, ErrorPhase::Syntax);
/// assert_eq!(engine.run("x = y;").unwrap_err().phase, ErrorPhase::Compile);
/// assert_eq!(engine.run("x = 1 / 0;").unwrap_err().phase, ErrorPhase::Runtime);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorPhase {
    /// The text does not parse.
    Syntax,
    /// It parses but cannot be compiled (unknown variable or function, wrong argument count).
    Compile,
    /// It failed while running.
    Runtime,
}

/// One located problem, ready to render.
///
/// ```
/// let err = deluge_lang::Engine::new().run("x = 1;\ny = nope;").unwrap_err();
/// let problem = &err.problems[0];
/// assert_eq!(&*problem.file, "<script>");
/// assert_eq!(&problem.text[problem.span.start as usize..problem.span.end as usize], "nope");
/// assert!(problem.help.is_some());
/// ```
#[derive(Clone, Debug)]
pub struct Problem {
    /// File name.
    pub file: Arc<str>,
    /// The file's text.
    pub text: Arc<str>,
    /// Where.
    pub span: Span,
    /// What.
    pub message: String,
    /// The label under the span.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
}

/// An error from the [`Engine`](crate::Engine): one or more located problems.
///
/// `Display` gives one `file:line:col: message` line per problem; [`Error::render`] draws the
/// source line with the span underlined and the hint.
///
/// ```
/// let err = deluge_lang::Engine::new().run("info 1;\nx = 1 / 0;").unwrap_err();
/// assert_eq!(err.to_string(), "<script>:2:5: division by zero\n");
/// ```
#[derive(Clone, Debug)]
pub struct Error {
    /// Where it comes from.
    pub phase: ErrorPhase,
    /// The problems, in source order.
    pub problems: Vec<Problem>,
}

impl Error {
    /// An error with one problem at the start of `text` (a file that cannot be read, a result
    /// of the wrong type).
    pub(crate) fn located(phase: ErrorPhase, file: &str, text: &str, message: String) -> Error {
        Error {
            phase,
            problems: vec![Problem {
                file: Arc::from(file),
                text: Arc::from(text),
                span: Span::default(),
                message,
                label: None,
                help: None,
            }],
        }
    }

    /// The first problem's message (what `e.message` would show for a runtime error).
    ///
    /// ```
    /// let err = deluge_lang::Engine::new().run("x = 1 / 0;").unwrap_err();
    /// assert_eq!(err.message(), "division by zero");
    /// ```
    pub fn message(&self) -> &str {
        self.problems.first().map_or("", |p| p.message.as_str())
    }

    /// The 1-based line of the first problem.
    ///
    /// ```
    /// let err = deluge_lang::Engine::new().run("\n\nx = 1 / 0;").unwrap_err();
    /// assert_eq!(err.line(), 3);
    /// ```
    pub fn line(&self) -> u32 {
        self.problems
            .first()
            .map_or(0, |p| line_col(&p.text, p.span.start).line)
    }

    /// Every problem rendered with ariadne (source line, span underlined); `color` for terminals.
    ///
    /// ```
    /// let err = deluge_lang::Engine::new().run("x = 1 / 0;").unwrap_err();
    /// let text = err.render(false);
    /// assert!(text.contains("<script>:1:5") && text.contains("x = 1 / 0;"));
    /// ```
    pub fn render(&self, color: bool) -> String {
        self.problems
            .iter()
            .map(|p| render_problem(p, color))
            .collect()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.problems {
            let at = line_col(&p.text, p.span.start);
            writeln!(f, "{}:{}:{}: {}", p.file, at.line, at.col, p.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Renders one problem through the shared diagnostics renderer (file:line:col, the source line,
/// the span underlined and labelled, then the hint).
pub fn render_problem(problem: &Problem, color: bool) -> String {
    let diagnostic = Diagnostic {
        file: &problem.file,
        src: &problem.text,
        span: problem.span,
        message: problem.message.clone(),
        label: problem.label.clone().unwrap_or_else(|| "here".to_owned()),
        hint: problem.help.clone(),
    };
    render(&diagnostic, color)
}
