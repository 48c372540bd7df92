//! The layout pass: line breaks, indentation (one tab per level) and spacing, item by item.

use super::items::{items, Item, Kind};
use super::roles::{roles, Role};
use super::spacing::{between, Placed};
use crate::syntax::lexer::{lex, Lexed};
use crate::syntax::token::Token;

/// What an open bracket is, for indentation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// A statement block `{ }`.
    Block,
    /// A task block `[ ]`: keys one level in, continued values two.
    Task,
    /// `( )`, a literal `{ }` or `[ ]`.
    Bracket,
}

/// The layout state while writing.
struct Writer<'s> {
    out: String,
    /// Open brackets with the indentation of the line that opened them.
    frames: Vec<(Frame, usize)>,
    /// The indentation of the current line.
    indent: usize,
    /// Whether the current line has any text.
    line_open: bool,
    /// The last token written.
    previous: Option<Placed<'s>>,
    /// Whether the last item written was a block or task opener.
    after_opener: bool,
    /// Whether a statement has started and not ended at the current block level.
    mid_statement: bool,
    /// Whether the next item must start a new line (a trailing comment excepted).
    pending_break: bool,
    /// The first word of the task key being written.
    key: Option<&'s str>,
}

/// Lays out the tokens (`lexed`) and comments of `src`, which must parse without errors.
pub fn format_tokens<'s>(src: &'s str, lexed: &Lexed<'s>) -> String {
    let roles = roles(lexed);
    let mut writer = Writer {
        out: String::with_capacity(src.len() + src.len() / 8),
        frames: Vec::new(),
        indent: 0,
        line_open: false,
        previous: None,
        after_opener: false,
        mid_statement: false,
        pending_break: false,
        key: None,
    };
    for item in items(src, lexed) {
        match item.kind {
            Kind::Token(index, token) => writer.token(&item, token, roles[index]),
            Kind::LineComment | Kind::BlockComment => writer.comment(&item),
        }
    }
    if writer.line_open {
        writer.out.push('\n');
    }
    writer.out
}

impl<'s> Writer<'s> {
    /// Writes one token.
    fn token(&mut self, item: &Item<'s>, token: Token<'s>, role: Role) {
        let placed = Placed { token, role };
        if role == Role::KeyStart {
            self.key = Some(item.text);
        }
        let forced = matches!(
            role,
            Role::BlockOpen | Role::BlockClose | Role::TaskOpen | Role::TaskClose | Role::KeyStart
        );
        // A `;` (or `.`, ...) stays on its line after a task block's `]`, which may end a statement.
        let pending = self.pending_break
            && !matches!(
                token,
                Token::Semi | Token::Dot | Token::Comma | Token::RParen | Token::RBracket
            );
        if !self.line_open || pending || forced || item.breaks_before > 0 {
            let closing = matches!(token, Token::RParen | Token::RBracket | Token::RBrace);
            let indent = self.token_indent(closing, role);
            self.new_line(item.breaks_before, closing, indent);
        } else if let Some(previous) = &self.previous {
            self.out.push_str(between(previous, &placed, self.key));
        }
        self.out.push_str(item.text);
        self.line_open = true;
        self.after_opener = matches!(role, Role::BlockOpen | Role::TaskOpen);
        self.update(token, role);
        self.previous = Some(placed);
    }

    /// Updates the brackets and statement state after writing `token`.
    fn update(&mut self, token: Token<'s>, role: Role) {
        let at_block_level = matches!(self.frames.last(), None | Some((Frame::Block, _)));
        match (token, role) {
            (_, Role::BlockOpen) => {
                self.frames.push((Frame::Block, self.indent));
                self.mid_statement = false;
                self.pending_break = true;
            }
            (_, Role::BlockClose) => {
                self.frames.pop();
                self.mid_statement = false;
                self.pending_break = true;
            }
            (_, Role::TaskOpen) => {
                self.frames.push((Frame::Task, self.indent));
                self.pending_break = true;
            }
            (Token::LParen | Token::LBracket | Token::LBrace, _) => {
                self.frames.push((Frame::Bracket, self.indent));
            }
            (Token::RParen | Token::RBracket | Token::RBrace, _) => {
                self.frames.pop();
                let at_block_level = matches!(self.frames.last(), None | Some((Frame::Block, _)));
                if role == Role::TaskClose && at_block_level {
                    // `]` may end the statement without a `;`.
                    self.mid_statement = false;
                    self.pending_break = true;
                }
            }
            (Token::Semi, _) if at_block_level => {
                self.mid_statement = false;
                self.pending_break = true;
            }
            _ => {
                if at_block_level {
                    self.mid_statement = true;
                }
            }
        }
    }

    /// Writes one comment: after the code on its line when it was there, else on its own line.
    fn comment(&mut self, item: &Item<'s>) {
        let trailing = self.line_open && item.breaks_before == 0;
        if trailing {
            self.out.push(' ');
        } else {
            let indent = self.comment_indent();
            self.new_line(item.breaks_before, false, indent);
        }
        self.out.push_str(item.text);
        self.line_open = true;
        self.after_opener = false;
        if item.kind == Kind::LineComment {
            self.pending_break = true;
        }
    }

    /// Ends the current line (keeping one blank line where the source had some) and indents.
    fn new_line(&mut self, breaks_before: usize, closing: bool, indent: usize) {
        if self.line_open {
            self.out.push('\n');
            if breaks_before >= 2 && !self.after_opener && !closing {
                self.out.push('\n');
            }
        }
        for _ in 0..indent {
            self.out.push('\t');
        }
        self.indent = indent;
        self.line_open = true;
        self.pending_break = false;
    }

    /// The indentation of a line starting with a token.
    fn token_indent(&self, closing: bool, role: Role) -> usize {
        let Some(&(frame, opened_at)) = self.frames.last() else {
            return usize::from(self.continues(role));
        };
        if closing {
            return opened_at;
        }
        match frame {
            Frame::Block => opened_at + 1 + usize::from(self.continues(role)),
            Frame::Task => opened_at + 1 + usize::from(role != Role::KeyStart),
            Frame::Bracket => opened_at + 1,
        }
    }

    /// Whether a line starting with a token of `role` continues a statement (one more level).
    fn continues(&self, role: Role) -> bool {
        self.mid_statement && !matches!(role, Role::BlockOpen | Role::TaskOpen)
    }

    /// The indentation of a comment on its own line.
    fn comment_indent(&self) -> usize {
        match self.frames.last() {
            None => usize::from(self.mid_statement),
            Some(&(Frame::Block, opened_at)) => opened_at + 1 + usize::from(self.mid_statement),
            Some(&(_, opened_at)) => opened_at + 1,
        }
    }
}

/// The text of `source` with the whole statements overlapping lines `start_line..=end_line`
/// (1-based) replaced by their layout in `formatted` (the same tokens, laid out).
pub fn splice_range(source: &str, formatted: &str, start_line: usize, end_line: usize) -> String {
    let before = lex(source).tokens;
    let after = lex(formatted).tokens;
    let lines = LineStarts::new(source);
    let first = before
        .iter()
        .position(|(_, s)| lines.line_of(s.end.saturating_sub(1)) >= start_line);
    let last = before
        .iter()
        .rposition(|(_, s)| lines.line_of(s.start) <= end_line);
    let (Some(first), Some(last)) = (first, last) else {
        return source.to_owned();
    };
    if first > last || before.len() != after.len() {
        return source.to_owned();
    }
    let (first, last) = whole_statements(&before, &lines, first, last);
    let source_range = line_range(source, before[first].1.start, before[last].1.end);
    let formatted_range = line_range(formatted, after[first].1.start, after[last].1.end);
    let mut out = String::with_capacity(source.len());
    out.push_str(&source[..source_range.0]);
    out.push_str(&formatted[formatted_range.0..formatted_range.1]);
    out.push_str(&source[source_range.1..]);
    out
}

type Spanned<'s> = (Token<'s>, chumsky::span::SimpleSpan);

/// Widens `first..=last` to whole statements and whole source lines.
fn whole_statements(
    tokens: &[Spanned<'_>],
    lines: &LineStarts,
    mut first: usize,
    mut last: usize,
) -> (usize, usize) {
    loop {
        let (old_first, old_last) = (first, last);
        first = statement_start(tokens, first);
        last = statement_end(tokens, last);
        let first_line = lines.line_of(tokens[first].1.start);
        while first > 0 && lines.line_of(tokens[first - 1].1.end.saturating_sub(1)) >= first_line {
            first -= 1;
        }
        let last_line = lines.line_of(tokens[last].1.end.saturating_sub(1));
        while last + 1 < tokens.len() && lines.line_of(tokens[last + 1].1.start) <= last_line {
            last += 1;
        }
        if (first, last) == (old_first, old_last) {
            return (first, last);
        }
    }
}

/// The first token of the statement holding token `i`: just after the previous `;`, `{` or `}`.
fn statement_start(tokens: &[Spanned<'_>], i: usize) -> usize {
    let mut start = i;
    while start > 0 && !ends_statement(&tokens[start - 1].0) {
        start -= 1;
    }
    start
}

/// The last token of the statement holding token `i`: the next `;`, `{` or `}`.
fn statement_end(tokens: &[Spanned<'_>], i: usize) -> usize {
    let mut end = i;
    while end + 1 < tokens.len() && !ends_statement(&tokens[end].0) {
        end += 1;
    }
    end
}

/// Whether a statement or a block edge ends at this token.
fn ends_statement(token: &Token<'_>) -> bool {
    matches!(token, Token::Semi | Token::LBrace | Token::RBrace)
}

/// The byte range of the whole lines holding `start..end` (the line break after excluded).
fn line_range(text: &str, start: usize, end: usize) -> (usize, usize) {
    let line_start = text[..start].rfind('\n').map_or(0, |p| p + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |p| end + p);
    (line_start, line_end)
}

/// Where each line of a text starts, to find a byte offset's line.
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineStarts(starts)
    }

    /// The 1-based line of byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.0.partition_point(|&start| start <= offset)
    }
}
