//! Errors of compiling and running a script, and their rendering (file:line:col, the source
//! line, the span underlined) through ariadne.

use std::fmt;
use std::sync::Arc;

use crate::eval::failure::{Cause, ErrorKind, Failure};
use crate::eval::ir::Source;
use crate::syntax::diagnostics::{render, Diagnostic};
use crate::syntax::span::{line_col, Span};

/// What kind of runtime error: ordinary errors are catchable, limits are not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuntimeErrorKind {
    /// A runtime error `try/catch` can catch.
    Error,
    /// A limit was hit (statements, call depth, time): never catchable.
    Limit,
}

/// A runtime error raised while a script runs.
#[derive(Clone, Debug)]
#[non_exhaustive]
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
    /// The user-function calls the error unwound through, innermost first; filled while
    /// unwinding (see [`CallTrace`]).
    pub trace: CallTrace,
    /// What kind of failure it is (see [`RuntimeError::error_kind`]).
    pub(crate) error_kind: ErrorKind,
    /// The underlying typed error, if any.
    pub(crate) cause: Option<Cause>,
}

/// One user-function call an error unwound through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallFrame {
    /// The called function's name as written (`fib`, `automation.sync`).
    pub function: Box<str>,
    /// Where it was called (source index and span); `None` for the function the run started
    /// with (`dlg run --call`, [`crate::Engine::call_fn`]).
    pub call_site: Option<(u32, Span)>,
    /// The function the call was made from (the next frame's function); `None` for the top
    /// level. Set when the next frame out is pushed.
    pub caller: Option<Box<str>>,
}

/// The calls a runtime error unwound through, innermost first, bounded for deep recursion:
/// the first [`CallTrace::HEAD`] and the last [`CallTrace::TAIL`] frames are kept and the
/// frames between them are only counted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallTrace {
    /// The kept frames, innermost first.
    pub frames: Vec<CallFrame>,
    /// How many frames between the first `HEAD` and the last `TAIL` were dropped.
    pub omitted: usize,
}

impl CallTrace {
    /// Innermost frames kept.
    pub const HEAD: usize = 10;
    /// Outermost frames kept.
    pub const TAIL: usize = 5;

    /// Adds the next outer frame, dropping the oldest of the tail frames when full.
    pub fn push(&mut self, frame: CallFrame) {
        if let Some(inner) = self.frames.last_mut() {
            inner.caller = Some(frame.function.clone());
        }
        if self.frames.len() == Self::HEAD + Self::TAIL {
            self.frames.remove(Self::HEAD);
            self.omitted += 1;
        }
        self.frames.push(frame);
    }
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
            trace: CallTrace::default(),
            error_kind: ErrorKind::Script,
            cause: None,
        })
    }

    /// A limit error of `kind` at `span` (not catchable).
    pub fn limit(kind: ErrorKind, message: impl Into<String>, span: Span) -> Box<RuntimeError> {
        let mut err = RuntimeError::new(message, span);
        err.kind = RuntimeErrorKind::Limit;
        err.error_kind = kind;
        err
    }

    /// A catchable error at `span` from a typed failure: its message, kind and cause.
    pub(crate) fn failed(failure: Failure, span: Span) -> Box<RuntimeError> {
        let (kind, message, cause) = failure.into_parts();
        let mut err = RuntimeError::new(message, span);
        err.error_kind = kind;
        err.cause = cause;
        err
    }

    /// The same error, of `kind`.
    pub(crate) fn of_kind(mut self: Box<Self>, kind: ErrorKind) -> Box<RuntimeError> {
        self.error_kind = kind;
        self
    }

    /// What kind of failure it is. (The `kind` field says only whether `try/catch` can catch
    /// it.)
    ///
    /// ```
    /// use deluge_lang::eval::error::RuntimeError;
    /// use deluge_lang::ErrorKind;
    /// let err = RuntimeError::new("division by zero", Default::default());
    /// assert_eq!(err.error_kind(), ErrorKind::Script);
    /// ```
    pub fn error_kind(&self) -> ErrorKind {
        self.error_kind
    }

    /// The underlying typed error (an `HttpError`, a `ConnectionError`...), if any.
    pub fn cause(&self) -> Option<&Cause> {
        self.cause.as_ref()
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
/// assert_eq!(engine.run("x = ;").unwrap_err().phase(), ErrorPhase::Syntax);
/// assert_eq!(engine.run("x = y;").unwrap_err().phase(), ErrorPhase::Compile);
/// assert_eq!(engine.run("x = 1 / 0;").unwrap_err().phase(), ErrorPhase::Runtime);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
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
/// let problem = &err.problems()[0];
/// assert_eq!(problem.file(), "<script>");
/// assert_eq!(&problem.source_text()[problem.span()], "nope");
/// assert!(problem.help().is_some());
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Problem {
    pub(crate) file: Arc<str>,
    pub(crate) text: Arc<str>,
    pub(crate) span: Span,
    pub(crate) message: String,
    pub(crate) label: Option<String>,
    pub(crate) help: Option<String>,
    pub(crate) trace: Vec<TraceLine>,
}

impl Problem {
    /// The name of the file it is in (`<script>` for text given directly).
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The whole text of that file.
    pub fn source_text(&self) -> &str {
        &self.text
    }

    /// Where: the byte range in [`source_text`](Problem::source_text).
    pub fn span(&self) -> std::ops::Range<usize> {
        self.span.start as usize..self.span.end as usize
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The label drawn under the span, when it says more than the message.
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }

    /// How to fix it, when known.
    pub fn help(&self) -> Option<&str> {
        self.help.as_deref()
    }

    /// For a runtime error inside user functions: where each enclosing call was made,
    /// innermost first (empty otherwise).
    pub fn trace(&self) -> &[TraceLine] {
        &self.trace
    }
}

/// One line of a runtime error's call chain: a location and the function it is in.
///
/// ```
/// use deluge_lang::{Engine, TraceLine};
/// let err = Engine::new().run("int f(int n) { return 1 / n; }\ninfo f(0);").unwrap_err();
/// match &err.problems()[0].trace()[0] {
///     TraceLine::At { function, line, .. } => {
///         assert_eq!(function.as_deref(), Some("f"));
///         assert_eq!(*line, 1);
///     }
///     other => panic!("expected a location, got {other:?}"),
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TraceLine {
    /// `function` (`None` = the top level) at `file:line:col`.
    At {
        /// The function containing the location; `None` for the top-level statements.
        function: Option<Box<str>>,
        /// File name.
        file: Arc<str>,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        col: u32,
    },
    /// This many calls (deep recursion) are not shown.
    Omitted(usize),
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
#[non_exhaustive]
pub struct Error {
    /// Where it comes from.
    pub(crate) phase: ErrorPhase,
    /// The problems, in source order.
    pub(crate) problems: Vec<Problem>,
    /// What kind of failure it is (see [`Error::kind`]).
    kind: ErrorKind,
    /// The underlying typed error (see [`Error::source`](std::error::Error::source)).
    cause: Option<Cause>,
}

impl Error {
    /// An error of `phase` with `problems`, of the phase's own kind (syntax, compile, or a
    /// script error).
    #[doc(hidden)]
    pub fn new(phase: ErrorPhase, problems: Vec<Problem>) -> Error {
        let kind = match phase {
            ErrorPhase::Syntax => ErrorKind::Syntax,
            ErrorPhase::Compile => ErrorKind::Compile,
            ErrorPhase::Runtime => ErrorKind::Script,
        };
        Error {
            phase,
            problems,
            kind,
            cause: None,
        }
    }

    /// What kind of failure it is: match on it to tell a timeout from a rejected credential
    /// without reading the message. The underlying typed error, when there is one, is
    /// [`source`](std::error::Error::source).
    ///
    /// ```
    /// use deluge_lang::{Engine, ErrorKind};
    /// let err = Engine::new().run("x = 1 / 0;").unwrap_err();
    /// match err.kind() {
    ///     ErrorKind::Timeout | ErrorKind::ConnectionRefused => println!("try again later"),
    ///     ErrorKind::Script => assert_eq!(err.message(), "division by zero"),
    ///     other => panic!("unexpected {other:?}"),
    /// }
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// An error with one problem at the start of `text` (a file that cannot be read, a result
    /// of the wrong type).
    pub(crate) fn located(phase: ErrorPhase, file: &str, text: &str, message: String) -> Error {
        let problem = Problem {
            file: Arc::from(file),
            text: Arc::from(text),
            span: Span::default(),
            message,
            label: None,
            help: None,
            trace: Vec::new(),
        };
        Error::new(phase, vec![problem])
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

    /// Where it comes from: the text did not parse, did not compile, or the run failed.
    ///
    /// ```
    /// use deluge_lang::{Engine, ErrorPhase};
    /// assert_eq!(Engine::new().run("x = ;").unwrap_err().phase(), ErrorPhase::Syntax);
    /// ```
    pub fn phase(&self) -> ErrorPhase {
        self.phase
    }

    /// The problems, in source order (a syntax or compile error may have several; a runtime
    /// error has one).
    ///
    /// ```
    /// let err = deluge_lang::Engine::new().run("a = ;\nb = ;").unwrap_err();
    /// let lines: Vec<&str> = err.problems().iter().map(|p| p.message()).collect();
    /// assert_eq!(lines.len(), 2);
    /// ```
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The same error with every problem's help rewritten by `rewrite` (a front end putting
    /// a hint in its own words).
    ///
    /// ```
    /// let err = deluge_lang::Engine::new().run("x = y;").unwrap_err();
    /// let err = err.map_help(|help| format!("{help} (see the manual)"));
    /// assert!(err.problems()[0].help().unwrap().ends_with("(see the manual)"));
    /// ```
    pub fn map_help(mut self, rewrite: impl Fn(&str) -> String) -> Error {
        for problem in &mut self.problems {
            problem.help = problem.help.as_deref().map(&rewrite);
        }
        self
    }

    /// The error with its messages and hints in the front end's words for the engine's
    /// settings (see [`SettingNames`](crate::SettingNames)).
    #[doc(hidden)]
    pub fn reworded(mut self, names: &crate::eval::setting_names::SettingNames) -> Error {
        if names.is_empty() {
            return self;
        }
        for problem in &mut self.problems {
            problem.message = names.reword(std::mem::take(&mut problem.message));
            problem.help = problem.help.take().map(|help| names.reword(help));
        }
        self
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

impl std::error::Error for Error {
    /// The underlying typed error: the [`HttpError`](crate::http::HttpError) of a failed
    /// request, the `ConnectionError` of a connection that could not sign it.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause
            .as_deref()
            .map(|cause| cause as &(dyn std::error::Error + 'static))
    }
}

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
        notes: trace_note(&problem.trace).into_iter().collect(),
    };
    render(&diagnostic, color)
}

/// The call chain as one note: the error's location first, then every call site outwards.
fn trace_note(trace: &[TraceLine]) -> Option<String> {
    if trace.is_empty() {
        return None;
    }
    let mut note = String::from("call chain, innermost first:");
    for (i, line) in trace.iter().enumerate() {
        note.push_str("\n  ");
        match line {
            TraceLine::At {
                function,
                file,
                line,
                col,
            } => {
                let verb = if i == 0 { "in" } else { "called from" };
                match function {
                    Some(name) => note.push_str(&format!("{verb} function `{name}`")),
                    None => note.push_str(&format!("{verb} the top level")),
                }
                note.push_str(&format!(" at {file}:{line}:{col}"));
            }
            TraceLine::Omitted(n) => note.push_str(&format!("… {n} more calls")),
        }
    }
    Some(note)
}

/// A runtime error as an [`Error`], with its call chain resolved to file, line and column.
pub fn runtime_error(sources: &[Source], err: RuntimeError) -> Error {
    let index = err.source.unwrap_or(0) as usize;
    let source = &sources[index.min(sources.len().saturating_sub(1))];
    let problem = Problem {
        file: source.name.clone(),
        text: source.text.clone(),
        span: err.span,
        trace: trace_lines(sources, source, err.span, &err.trace),
        message: err.message,
        label: None,
        help: err.help,
    };
    Error {
        phase: ErrorPhase::Runtime,
        problems: vec![problem],
        kind: err.error_kind,
        cause: err.cause,
    }
}

/// Pairs each location (the error, then each call site) with the function it is in: the
/// callee of the next frame out, or the top level after the last frame.
fn trace_lines(sources: &[Source], at: &Source, span: Span, trace: &CallTrace) -> Vec<TraceLine> {
    if trace.frames.is_empty() {
        return Vec::new();
    }
    let locate = |source: &Source, span: Span, function: Option<&Box<str>>| {
        let at = line_col(&source.text, span.start);
        TraceLine::At {
            function: function.cloned(),
            file: source.name.clone(),
            line: at.line,
            col: at.col,
        }
    };
    let mut lines = vec![locate(at, span, trace.frames.first().map(|f| &f.function))];
    for (i, frame) in trace.frames.iter().enumerate() {
        if i == CallTrace::HEAD && trace.omitted > 0 {
            lines.push(TraceLine::Omitted(trace.omitted));
        }
        let Some((source, span)) = frame.call_site else {
            break;
        };
        let Some(source) = sources.get(source as usize) else {
            break;
        };
        lines.push(locate(source, span, frame.caller.as_ref()));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::engine::Engine;
    use crate::eval::value::Value;

    fn frame(name: &str, at: usize) -> CallFrame {
        CallFrame {
            function: name.into(),
            call_site: Some((0, Span::new(at, at + 1))),
            caller: None,
        }
    }

    #[test]
    fn a_deep_trace_keeps_the_first_and_last_frames_and_counts_the_rest() {
        let mut trace = CallTrace::default();
        for i in 0..100 {
            trace.push(frame(&format!("f{i}"), i));
        }
        assert_eq!(trace.frames.len(), CallTrace::HEAD + CallTrace::TAIL);
        assert_eq!(trace.omitted, 85);
        assert_eq!(&*trace.frames[9].function, "f9");
        assert_eq!(trace.frames[9].caller.as_deref(), Some("f10"));
        assert_eq!(&*trace.frames[10].function, "f95");
        assert_eq!(trace.frames[14].caller, None);
    }

    #[test]
    fn a_runtime_error_lists_each_call_site_with_the_function_it_is_in() {
        let src = "int f(int a) { return a / 0; }\nint g(int b) { return f(b); }\ninfo g(1);";
        let err = Engine::new().run(src).unwrap_err();
        let lines: Vec<String> = err.problems[0]
            .trace
            .iter()
            .map(|l| match l {
                TraceLine::At {
                    function,
                    line,
                    col,
                    ..
                } => format!("{}@{line}:{col}", function.as_deref().unwrap_or("top")),
                TraceLine::Omitted(n) => format!("+{n}"),
            })
            .collect();
        assert_eq!(lines, ["f@1:23", "g@2:23", "top@3:6"]);
        let shown = err.render(false);
        assert!(
            shown.contains("called from function `g` at <script>:2:23"),
            "{shown}"
        );
        assert!(
            shown.contains("called from the top level at <script>:3:6"),
            "{shown}"
        );
    }

    #[test]
    fn an_error_at_the_top_level_has_no_call_chain() {
        let err = Engine::new().run("x = 1 / 0;").unwrap_err();
        assert!(err.problems[0].trace.is_empty());
        assert!(!err.render(false).contains("call chain"));
    }

    #[test]
    fn the_function_a_run_starts_with_ends_the_chain() {
        let engine = Engine::new();
        let script = engine
            .compile("int f(int a) { return a / 0; }\nvoid main() { info f(1); }")
            .unwrap();
        let err = engine.call_fn::<Value>(&script, "main", ()).unwrap_err();
        let shown = err.render(false);
        assert!(
            shown.contains("called from function `main` at <script>:2:20"),
            "{shown}"
        );
        assert!(!shown.contains("top level"), "{shown}");
    }
}
