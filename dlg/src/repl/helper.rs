//! The rustyline helper: ties completion, hints and highlighting to the editor.
//!
//! Multi-line entries are driven by the REPL loop (one `readline` per line, with a `...`
//! prompt), so the rustyline validator accepts every line.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::Validator;
use rustyline::{Context, Helper};

use super::completer::{complete, Vocabulary};
use super::highlighter::{highlight, CONTINUATION_PROMPT, HINT, PROMPT};
use super::hinter::{hint, Hint};

/// One connection as `:connections` shows it. Holds no secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionSummary {
    /// The link name scripts use in `connection: "..."`.
    pub name: String,
    /// The authentication type: `api-key`, `basic`, `oauth1`, `oauth2`.
    pub auth: String,
    /// The service it belongs to.
    pub service: String,
    /// `connected`, `not connected`, `needs re-authorization`, ..., with token expiry.
    pub status: String,
}

/// Lists the connections (for `:connections`, and their names for completion inside
/// `connection:`), or says why the connection store cannot be read.
pub type ConnectionLister = Box<dyn Fn() -> Result<Vec<ConnectionSummary>, String>>;

/// The editor's helper. The vocabulary is shared with the REPL loop, which refreshes the
/// scope after every entry.
pub struct ReplHelper {
    vocabulary: Rc<RefCell<Vocabulary>>,
    connections: ConnectionLister,
    files: FilenameCompleter,
    history_hints: HistoryHinter,
    final_refresh: Cell<bool>,
}

impl ReplHelper {
    /// A helper reading names from `vocabulary` and connection names from `connections`.
    pub fn new(vocabulary: Rc<RefCell<Vocabulary>>, connections: ConnectionLister) -> Self {
        ReplHelper {
            vocabulary,
            connections,
            files: FilenameCompleter::new(),
            history_hints: HistoryHinter::new(),
            final_refresh: Cell::new(false),
        }
    }
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        if line.trim_start().starts_with(":load ") || line.trim_start().starts_with(":l ") {
            return self.files.complete(line, pos, ctx);
        }
        let mut vocabulary = self.vocabulary.borrow_mut();
        if line.to_ascii_lowercase().contains("connection") {
            vocabulary.connections = (self.connections)()
                .unwrap_or_default()
                .into_iter()
                .map(|connection| connection.name)
                .collect();
        }
        let (start, names) = complete(line, pos, &vocabulary);
        let pairs = names
            .into_iter()
            .map(|name| Pair {
                display: name.clone(),
                replacement: name,
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for ReplHelper {
    type Hint = Hint;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<Hint> {
        if let Some(found) = hint(line, pos, &self.vocabulary.borrow()) {
            return Some(found);
        }
        let rest = self.history_hints.hint(line, pos, ctx)?;
        let first_line = rest.lines().next().unwrap_or_default().to_owned();
        (!first_line.is_empty() && first_line.len() == rest.len()).then(|| Hint {
            display: rest.clone(),
            completion: Some(rest),
        })
    }
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        let cursor = (!self.final_refresh.get()).then_some(pos);
        Cow::Owned(highlight(line, cursor))
    }

    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        default: bool,
    ) -> Cow<'b, str> {
        if !default {
            return Cow::Borrowed(prompt);
        }
        let colour = if prompt.starts_with("...") {
            CONTINUATION_PROMPT
        } else {
            PROMPT
        };
        Cow::Owned(format!("{colour}{prompt}\x1b[0m"))
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        Cow::Owned(format!("{HINT}{hint}\x1b[0m"))
    }

    fn highlight_char(&self, _line: &str, _pos: usize, kind: CmdKind) -> bool {
        self.final_refresh.set(kind == CmdKind::ForcedRefresh);
        true
    }
}

impl Validator for ReplHelper {}

impl Helper for ReplHelper {}
