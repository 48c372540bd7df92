//! The source as a sequence of items: tokens and comments, each with the line breaks before it.

use crate::syntax::lexer::Lexed;
use crate::syntax::token::Token;

/// What an item is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind<'s> {
    /// The token with this index in the lexed token list.
    Token(usize, Token<'s>),
    /// A `// ...` comment (without the line break).
    LineComment,
    /// A `/* ... */` comment, kept verbatim even over several lines.
    BlockComment,
}

/// One token or comment.
#[derive(Clone, Copy, Debug)]
pub struct Item<'s> {
    /// What it is.
    pub kind: Kind<'s>,
    /// Its text, exactly as written.
    pub text: &'s str,
    /// How many line breaks separate it from the item before (0 when on the same line).
    pub breaks_before: usize,
}

/// The items of `src`, whose tokens are `lexed`. Comments are found in the gaps between tokens,
/// which hold nothing but whitespace and comments.
pub fn items<'s>(src: &'s str, lexed: &Lexed<'s>) -> Vec<Item<'s>> {
    let mut out = Vec::with_capacity(lexed.tokens.len() + lexed.tokens.len() / 8);
    let mut previous_end = 0;
    for (index, (token, span)) in lexed.tokens.iter().enumerate() {
        let gap = src.get(previous_end..span.start).unwrap_or("");
        let breaks = gap_items(gap, &mut out);
        out.push(Item {
            kind: Kind::Token(index, *token),
            text: src.get(span.start..span.end).unwrap_or(""),
            breaks_before: breaks,
        });
        previous_end = span.end;
    }
    gap_items(src.get(previous_end..).unwrap_or(""), &mut out);
    out
}

/// Pushes the comments of `gap`; returns the line breaks after the last of them (or in the
/// whole gap when it holds none).
fn gap_items<'s>(gap: &'s str, out: &mut Vec<Item<'s>>) -> usize {
    let mut breaks = 0;
    let mut rest = gap;
    while let Some(position) = rest.find('/') {
        breaks += count_breaks(&rest[..position]);
        let tail = &rest[position..];
        let length = if tail.starts_with("//") {
            tail.find('\n').unwrap_or(tail.len())
        } else if let Some(body) = tail.strip_prefix("/*") {
            body.find("*/").map_or(tail.len(), |end| end + 4)
        } else {
            1
        };
        let text = tail[..length].trim_end();
        let kind = if tail.starts_with("//") {
            Kind::LineComment
        } else {
            Kind::BlockComment
        };
        out.push(Item {
            kind,
            text,
            breaks_before: breaks,
        });
        breaks = 0;
        rest = &tail[length..];
    }
    breaks + count_breaks(rest)
}

/// The line breaks in a stretch of whitespace.
fn count_breaks(whitespace: &str) -> usize {
    whitespace.bytes().filter(|&b| b == b'\n').count()
}
