//! The interactive REPL (`dlg repl`): a rustyline session over a [`Session`].
//!
//! On a terminal, [`run_terminal`] shows a `dlg> ` prompt, continues unfinished entries with
//! `... `, keeps history in the data dir, completes, hints and highlights. Ctrl-C cancels the
//! entry being typed, or stops a running script (a second Ctrl-C while it does not stop ends
//! the process); Ctrl-D leaves. When standard input is not a terminal, [`run_piped`] reads
//! entries without prompts, so the REPL can be scripted.

pub mod backend;
pub mod commands;
pub mod completer;
pub mod helper;
pub mod highlighter;
pub mod hinter;
pub mod history;
pub mod pending;
pub mod scan;
pub mod session;
pub mod snapshot;
pub mod validator;

use std::cell::RefCell;
use std::io::{self, BufRead, Write};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Config, Editor};

use commands::{execute, Flow};
use completer::Vocabulary;
use helper::{ConnectionLister, ConnectionSummary, ReplHelper};
use session::{Backend, Outcome, Session};
use validator::{EntryBuffer, Step};

/// The main prompt.
pub const PROMPT: &str = "dlg> ";
/// The prompt for the next line of an unfinished entry.
pub const CONTINUATION_PROMPT: &str = "...  ";

/// Everything the interactive REPL needs besides the session.
pub struct TerminalOptions {
    /// Set by Ctrl-C while a script runs; the interpreter polls it and stops.
    pub cancel: Arc<AtomicBool>,
    /// Lists the connections for `:connections` and completion.
    pub connections: ConnectionLister,
    /// Where history is kept; `None` keeps it in memory only.
    pub history_file: Option<PathBuf>,
}

/// Runs the interactive REPL until `:quit` or Ctrl-D.
pub fn run_terminal<B: Backend>(
    mut session: Session<B>,
    options: TerminalOptions,
) -> io::Result<()> {
    install_interrupt_handler(&options.cancel)?;
    let vocabulary = Rc::new(RefCell::new(Vocabulary::from_builtins(
        deluge_lang::stdlib::all_builtins(),
    )));
    let TerminalOptions {
        cancel,
        connections,
        history_file,
    } = options;
    let connections = Rc::new(connections);
    let lister = Rc::clone(&connections);
    let helper = ReplHelper::new(
        Rc::clone(&vocabulary),
        Box::new(move || (lister.as_ref())()),
    );
    let mut editor = new_editor(helper).map_err(io::Error::other)?;
    let history_file = history_file.filter(|path| open_history(&mut editor, path));
    println!(
        "Deluge REPL {} — :help for help, Ctrl-D to quit",
        env!("CARGO_PKG_VERSION")
    );
    let mut buffer = EntryBuffer::default();
    loop {
        let mut scope = session.scope();
        scope.pending = pending::assigned_variables(&buffer.text());
        vocabulary.borrow_mut().scope = scope;
        let prompt = if buffer.is_empty() {
            PROMPT
        } else {
            CONTINUATION_PROMPT
        };
        let line = match editor.readline(prompt) {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => {
                buffer.clear();
                continue;
            }
            Err(ReadlineError::Eof) => break,
            Err(error) => return Err(io::Error::other(error)),
        };
        let step = buffer.push(&line);
        let flow = match step {
            Step::Nothing | Step::Continue => Flow::Continue,
            Step::Run(text) => {
                remember(&mut editor, &text, history_file.as_ref());
                cancel.store(false, Ordering::SeqCst);
                session.eval_entry(&text, &mut io::stdout(), &mut io::stderr());
                cancel.store(false, Ordering::SeqCst);
                Flow::Continue
            }
            Step::Command(text) => {
                remember(&mut editor, &text, history_file.as_ref());
                cancel.store(false, Ordering::SeqCst);
                let (flow, _) = execute(
                    &text,
                    &mut session,
                    connections.as_ref(),
                    &mut io::stdout(),
                    &mut io::stderr(),
                );
                flow
            }
        };
        if flow == Flow::Quit {
            break;
        }
    }
    Ok(())
}

/// Reads entries from `input` without prompts and runs them; stops at the end or at `:quit`.
/// Returns the worst outcome, which gives the exit code.
pub fn run_piped<B: Backend>(
    session: &mut Session<B>,
    input: impl BufRead,
    connections: &dyn Fn() -> Result<Vec<ConnectionSummary>, String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let mut buffer = EntryBuffer::default();
    let mut worst = Outcome::Success;
    for line in input.lines() {
        let line = match line {
            Ok(line) => line,
            Err(error) => {
                let _ = writeln!(err, "error: cannot read standard input: {error}");
                return worst.max(Outcome::RuntimeError);
            }
        };
        let outcome = match buffer.push(&line) {
            Step::Nothing | Step::Continue => Outcome::Success,
            Step::Run(text) => session.eval_entry(&text, out, err),
            Step::Command(text) => match execute(&text, session, connections, out, err) {
                (Flow::Quit, outcome) => return worst.max(outcome),
                (Flow::Continue, outcome) => outcome,
            },
        };
        worst = worst.max(outcome);
        let _ = out.flush();
    }
    if let Some(rest) = buffer.finish() {
        worst = worst.max(session.eval_entry(&rest, out, err));
    }
    worst
}

/// The editor with our key settings: emacs keys, list completion, history without duplicates
/// or lines starting with a space.
fn new_editor(helper: ReplHelper) -> rustyline::Result<Editor<ReplHelper, DefaultHistory>> {
    let config = Config::builder()
        .auto_add_history(false)
        .history_ignore_dups(true)?
        .history_ignore_space(true)
        .max_history_size(10_000)?
        .completion_type(rustyline::CompletionType::List)
        .tab_stop(4)
        .indent_size(4)
        .build();
    let mut editor = Editor::with_config(config)?;
    editor.set_helper(Some(helper));
    Ok(editor)
}

/// Creates the history file if needed and loads it. On failure, says why on standard error
/// and returns false: the session then keeps history in memory only.
fn open_history(editor: &mut Editor<ReplHelper, DefaultHistory>, path: &PathBuf) -> bool {
    let loaded = history::prepare(path)
        .map_err(|e| e.to_string())
        .and_then(|()| editor.load_history(path).map_err(|e| e.to_string()));
    match loaded {
        Ok(()) => true,
        Err(error) => {
            eprintln!(
                "warning: history is not saved: cannot use {}: {error}",
                path.display()
            );
            false
        }
    }
}

/// Adds an entry to history and appends it to the history file right away, so that history
/// survives a crash or a second Ctrl-C.
fn remember(editor: &mut Editor<ReplHelper, DefaultHistory>, entry: &str, file: Option<&PathBuf>) {
    let added = editor.add_history_entry(entry).unwrap_or(false);
    if let (true, Some(path)) = (added, file) {
        if let Err(error) = editor.append_history(path) {
            eprintln!(
                "warning: cannot save history to {}: {error}",
                path.display()
            );
        }
    }
}

/// Ctrl-C while a script runs sets `cancel`; if it is still set (the script did not stop), a
/// second Ctrl-C ends the process with the usual status 130. At the prompt, rustyline reads
/// Ctrl-C as a key, so no signal arrives there.
pub(crate) fn install_interrupt_handler(cancel: &Arc<AtomicBool>) -> io::Result<()> {
    use signal_hook::consts::SIGINT;
    signal_hook::flag::register_conditional_shutdown(SIGINT, 130, Arc::clone(cancel))?;
    signal_hook::flag::register(SIGINT, Arc::clone(cancel))?;
    Ok(())
}
