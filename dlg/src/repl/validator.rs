//! Deciding whether an entry is finished: the parser has the last word.
//!
//! An entry is unfinished while a bracket, a block, a task block (`invokeurl [`), a text
//! literal or a `/*` comment is still open, or while the parser's only complaint is that the
//! input ended too early (`if (x)` waiting for its block). A missing final `;` is forgiven:
//! `x = 1` and `x` run as `x = 1;` and `x;`, so an expression typed alone shows its value.
//! Anything else the parser rejects is finished but invalid: it runs so that the user sees the
//! diagnostics.

use deluge_lang::syntax::{parse, SyntaxError};

use super::scan::{scan, PieceKind};

/// What to do with the text typed so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A whole entry: run this text (the input, possibly with a final `;` added).
    Complete(String),
    /// Something is still open: ask for another line with the `...` prompt.
    Incomplete,
    /// The parser rejects it and more lines would not help: run it to show the errors.
    Invalid,
}

/// Decides whether `entry` (every line typed for it, joined by newlines) is finished.
pub fn check(entry: &str) -> Verdict {
    match bracket_balance(entry) {
        Balance::Open => return Verdict::Incomplete,
        Balance::Overclosed => return Verdict::Invalid,
        Balance::Even => {}
    }
    let errors = parse(entry).errors;
    if errors.is_empty() {
        return Verdict::Complete(entry.to_owned());
    }
    if let Some(with_semicolon) = with_final_semicolon(entry) {
        if parse(&with_semicolon).errors.is_empty() {
            return Verdict::Complete(with_semicolon);
        }
    }
    if errors.iter().all(ends_input) {
        Verdict::Incomplete
    } else {
        Verdict::Invalid
    }
}

/// The text to run for a one-line entry given to a command (`:time x`): with its final `;`
/// added when that makes it complete, else unchanged (its errors will show).
pub fn normalize(entry: &str) -> String {
    match check(entry) {
        Verdict::Complete(text) => text,
        Verdict::Incomplete | Verdict::Invalid => entry.to_owned(),
    }
}

/// True when the error is that the input ended where more was expected.
fn ends_input(error: &SyntaxError) -> bool {
    error.found.is_none()
}

/// How the brackets of a text add up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Balance {
    /// Every bracket, literal and comment is closed.
    Even,
    /// Something is still open.
    Open,
    /// A closing bracket has nothing to close.
    Overclosed,
}

/// Counts brackets outside literals and comments, and notices unclosed literals and comments.
pub fn bracket_balance(src: &str) -> Balance {
    let mut depth: i64 = 0;
    for piece in scan(src) {
        match piece.kind {
            PieceKind::Open => depth += 1,
            PieceKind::Close if depth == 0 => return Balance::Overclosed,
            PieceKind::Close => depth -= 1,
            PieceKind::Text { closed: false }
            | PieceKind::Quoted { closed: false }
            | PieceKind::Comment { closed: false } => return Balance::Open,
            _ => {}
        }
    }
    if depth > 0 {
        Balance::Open
    } else {
        Balance::Even
    }
}

/// `entry` with a `;` right after its last token, unless it already ends with `;` or holds no
/// token at all. (A `}` may end a block or a map literal, so it gets one too.)
fn with_final_semicolon(entry: &str) -> Option<String> {
    let pieces = scan(entry);
    let last = pieces
        .iter()
        .rev()
        .find(|p| !matches!(p.kind, PieceKind::Space | PieceKind::Comment { .. }))?;
    if &entry[last.range.clone()] == ";" {
        return None;
    }
    let at = last.range.end;
    Some(format!("{};{}", &entry[..at], &entry[at..]))
}

/// What to do after a line was typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Nothing to run (an empty line at the main prompt).
    Nothing,
    /// The entry goes on: ask for another line with the `...` prompt.
    Continue,
    /// Run this Deluge text.
    Run(String),
    /// Run this REPL command line (`:vars`).
    Command(String),
}

/// The lines of the entry being typed.
#[derive(Clone, Debug, Default)]
pub struct EntryBuffer {
    lines: Vec<String>,
}

impl EntryBuffer {
    /// True when no line of an entry has been typed yet (the main prompt is due).
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Forgets the lines typed so far (Ctrl-C).
    pub fn clear(&mut self) {
        self.lines.clear();
    }

    /// Everything typed so far, joined by newlines.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// Takes one typed line and says what to do. An empty line at the `...` prompt runs the
    /// entry when only the parser wants more (every bracket is closed), and two empty lines in
    /// a row always do, so that a confused entry can always be finished.
    pub fn push(&mut self, line: &str) -> Step {
        if self.lines.is_empty() {
            if line.trim().is_empty() {
                return Step::Nothing;
            }
            if super::commands::is_command(line) {
                return Step::Command(line.trim().to_owned());
            }
        }
        self.lines.push(line.to_owned());
        let text = self.text();
        let step = match check(&text) {
            Verdict::Complete(entry) => Step::Run(entry),
            Verdict::Invalid => Step::Run(text),
            Verdict::Incomplete if line.trim().is_empty() && self.gives_up(&text) => {
                Step::Run(text)
            }
            Verdict::Incomplete => Step::Continue,
        };
        if step != Step::Continue {
            self.lines.clear();
        }
        step
    }

    /// True when an empty line should end an entry that is still incomplete.
    fn gives_up(&self, text: &str) -> bool {
        let blank_lines = self
            .lines
            .iter()
            .rev()
            .take_while(|l| l.trim().is_empty())
            .count();
        blank_lines >= 2 || bracket_balance(text) == Balance::Even
    }

    /// What is left when the input ends: the unfinished entry, to run so that its errors show.
    pub fn finish(&mut self) -> Option<String> {
        let text = self.text();
        self.lines.clear();
        (!text.trim().is_empty()).then_some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_literals_and_comments_decide_openness() {
        assert_eq!(bracket_balance("m = {\"a\": [1, (2"), Balance::Open);
        assert_eq!(bracket_balance("x = \"{\";"), Balance::Even);
        assert_eq!(bracket_balance("x = 1; // {"), Balance::Even);
        assert_eq!(bracket_balance("x = \"abc"), Balance::Open);
        assert_eq!(bracket_balance("d = '1-Jan"), Balance::Open);
        assert_eq!(bracket_balance("/* note"), Balance::Open);
        assert_eq!(bracket_balance("x = 1; }"), Balance::Overclosed);
        assert_eq!(bracket_balance("r = invokeurl\n[\n url: u"), Balance::Open);
    }

    #[test]
    fn open_blocks_brackets_and_task_blocks_continue() {
        assert_eq!(check("if (x > 1) {"), Verdict::Incomplete);
        assert_eq!(
            check("for each i in {1, 2}\n{\n info i;"),
            Verdict::Incomplete
        );
        assert_eq!(check("m = {\"a\": 1,"), Verdict::Incomplete);
        assert_eq!(check("l = list(1,"), Verdict::Incomplete);
        assert_eq!(
            check("r = invokeurl\n[\n\turl: \"http://127.0.0.1\""),
            Verdict::Incomplete
        );
        assert_eq!(check("s = \"multi\nline"), Verdict::Incomplete);
    }

    #[test]
    fn the_buffer_joins_lines_until_the_entry_is_complete() {
        let mut buffer = EntryBuffer::default();
        assert_eq!(buffer.push("   "), Step::Nothing);
        assert_eq!(buffer.push(" :vars "), Step::Command(":vars".into()));
        assert_eq!(buffer.push("m = {"), Step::Continue);
        assert!(!buffer.is_empty());
        assert_eq!(buffer.push(":vars"), Step::Continue);
        assert_eq!(buffer.push("\"a\": 1"), Step::Continue);
        buffer.clear();
        assert!(buffer.is_empty());
        assert_eq!(buffer.push("l = {1,"), Step::Continue);
        assert_eq!(buffer.push(""), Step::Continue);
        assert_eq!(buffer.push(""), Step::Run("l = {1,\n\n".into()));
        assert!(buffer.is_empty());
    }

    #[test]
    fn finishing_returns_the_unfinished_entry() {
        let mut buffer = EntryBuffer::default();
        assert_eq!(buffer.finish(), None);
        assert_eq!(buffer.push("f(1,"), Step::Continue);
        assert_eq!(buffer.finish(), Some("f(1,".into()));
        assert!(buffer.is_empty());
    }

    #[test]
    fn the_parser_decides_once_brackets_are_closed() {
        assert_eq!(check("x = 1;"), Verdict::Complete("x = 1;".into()));
        assert_eq!(check("x = 1"), Verdict::Complete("x = 1;".into()));
        assert_eq!(check("x"), Verdict::Complete("x;".into()));
        assert_eq!(check("if (x > 1)"), Verdict::Incomplete);
        assert_eq!(check("x = 1 +"), Verdict::Incomplete);
        assert_eq!(check("x = = 1;"), Verdict::Invalid);
        assert_eq!(
            check("if (x) { info 1; }"),
            Verdict::Complete("if (x) { info 1; }".into())
        );
        assert_eq!(
            check("int twice(int n) { return n * 2; }"),
            Verdict::Complete("int twice(int n) { return n * 2; }".into())
        );
    }

    #[test]
    fn an_empty_line_ends_an_entry_only_the_parser_finds_unfinished() {
        let mut buffer = EntryBuffer::default();
        assert_eq!(buffer.push("if (x > 1)"), Step::Continue);
        assert_eq!(buffer.push(""), Step::Run("if (x > 1)\n".into()));
    }

    #[test]
    fn a_closing_bracket_without_opener_is_invalid() {
        assert_eq!(check("x = 1);"), Verdict::Invalid);
    }

    #[test]
    fn final_semicolon_is_added_only_after_the_last_token() {
        assert_eq!(with_final_semicolon("x = 1"), Some("x = 1;".into()));
        assert_eq!(
            with_final_semicolon("x = 1 // one\n"),
            Some("x = 1; // one\n".into())
        );
        assert_eq!(with_final_semicolon("x = 1;"), None);
        assert_eq!(with_final_semicolon("m = {}"), Some("m = {};".into()));
        assert_eq!(with_final_semicolon("  // only a comment"), None);
    }
}
