//! Syntax colours and matching-bracket highlighting for the line being edited.
//!
//! Colours are ANSI SGR codes that take no width, as rustyline requires. rustyline only asks
//! for them when the terminal supports colour and `NO_COLOR` is not set.

use std::ops::Range;

use super::completer::{KEYWORDS, TYPE_NAMES};
use super::scan::{closing_of, scan, Piece, PieceKind};

const RESET: &str = "\x1b[0m";
const KEYWORD: &str = "\x1b[1;35m";
const LITERAL: &str = "\x1b[33m";
const TEXT: &str = "\x1b[32m";
const COMMENT: &str = "\x1b[90m";
const CALL: &str = "\x1b[34m";
const COMMAND: &str = "\x1b[1;36m";
const MATCHED_BRACKET: &str = "\x1b[1;4;36m";
const UNMATCHED_BRACKET: &str = "\x1b[1;31m";
/// The colour of hints (dim grey).
pub const HINT: &str = "\x1b[90m";
/// The colour of the main prompt.
pub const PROMPT: &str = "\x1b[1;32m";
/// The colour of the continuation prompt.
pub const CONTINUATION_PROMPT: &str = "\x1b[90m";

/// `line` with ANSI colours. When `cursor` is given, the bracket under or just before it and
/// its partner are highlighted (a closing bracket without partner in red).
pub fn highlight(line: &str, cursor: Option<usize>) -> String {
    if line.trim_start().starts_with(':') {
        return paint_command(line);
    }
    let pieces = scan(line);
    let brackets = cursor
        .map(|pos| bracket_pair(line, &pieces, pos))
        .unwrap_or_default();
    let mut out = String::with_capacity(line.len() * 2);
    for (i, piece) in pieces.iter().enumerate() {
        let text = &line[piece.range.clone()];
        let colour = match brackets.colour_at(piece.range.start) {
            Some(colour) => Some(colour),
            None => piece_colour(line, &pieces, i),
        };
        match colour {
            Some(colour) => {
                out.push_str(colour);
                out.push_str(text);
                out.push_str(RESET);
            }
            None => out.push_str(text),
        }
    }
    out
}

/// A command line: the command name in colour, the rest plain.
fn paint_command(line: &str) -> String {
    let end = line
        .trim_start()
        .find(char::is_whitespace)
        .map_or(line.len(), |i| i + line.len() - line.trim_start().len());
    format!("{COMMAND}{}{RESET}{}", &line[..end], &line[end..])
}

/// The colour of piece `i`, or `None` for plain text.
fn piece_colour(line: &str, pieces: &[Piece], i: usize) -> Option<&'static str> {
    let piece = &pieces[i];
    match piece.kind {
        PieceKind::Word => word_colour(line, pieces, i),
        PieceKind::Number => Some(LITERAL),
        PieceKind::Text { .. } | PieceKind::Quoted { .. } => Some(TEXT),
        PieceKind::Comment { .. } => Some(COMMENT),
        _ => None,
    }
}

/// Keywords and types, `true`/`false`/`null`, and names that are called.
fn word_colour(line: &str, pieces: &[Piece], i: usize) -> Option<&'static str> {
    let word = &line[pieces[i].range.clone()];
    let is = |list: &[&str]| list.iter().any(|k| k.eq_ignore_ascii_case(word));
    if is(&["true", "false", "null"]) {
        return Some(LITERAL);
    }
    let after_dot = i > 0 && &line[pieces[i - 1].range.clone()] == ".";
    if !after_dot && (is(KEYWORDS) || is(TYPE_NAMES)) {
        return Some(KEYWORD);
    }
    let called = pieces[i + 1..]
        .iter()
        .find(|p| p.kind != PieceKind::Space)
        .is_some_and(|p| &line[p.range.clone()] == "(");
    called.then_some(CALL)
}

/// The brackets to highlight and how.
#[derive(Debug, Default, PartialEq, Eq)]
struct BracketMarks {
    /// Byte offsets of a matched pair.
    matched: Vec<usize>,
    /// Byte offset of a bracket without partner.
    unmatched: Option<usize>,
}

impl BracketMarks {
    fn colour_at(&self, offset: usize) -> Option<&'static str> {
        if self.matched.contains(&offset) {
            Some(MATCHED_BRACKET)
        } else if self.unmatched == Some(offset) {
            Some(UNMATCHED_BRACKET)
        } else {
            None
        }
    }
}

/// The bracket at the cursor (or just before it) and its partner.
fn bracket_pair(line: &str, pieces: &[Piece], cursor: usize) -> BracketMarks {
    let brackets: Vec<&Piece> = pieces
        .iter()
        .filter(|p| matches!(p.kind, PieceKind::Open | PieceKind::Close))
        .collect();
    let at = |offset: usize| brackets.iter().position(|p| p.range.start == offset);
    let Some(index) = at(cursor).or_else(|| cursor.checked_sub(1).and_then(at)) else {
        return BracketMarks::default();
    };
    let bytes = line.as_bytes();
    let offsets: Vec<Range<usize>> = brackets.iter().map(|p| p.range.clone()).collect();
    match partner(bytes, &offsets, index) {
        Some(other) => BracketMarks {
            matched: vec![offsets[index].start, offsets[other].start],
            unmatched: None,
        },
        // An opening bracket not closed yet is normal while typing; only a stray closing
        // bracket is an error worth showing.
        None if matches!(bytes[offsets[index].start], b')' | b']' | b'}') => BracketMarks {
            matched: Vec::new(),
            unmatched: Some(offsets[index].start),
        },
        None => BracketMarks::default(),
    }
}

/// The index in `brackets` of the partner of bracket `index`, if the kinds agree.
fn partner(bytes: &[u8], brackets: &[Range<usize>], index: usize) -> Option<usize> {
    let mut stack: Vec<usize> = Vec::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (i, range) in brackets.iter().enumerate() {
        let c = bytes[range.start];
        if matches!(c, b'(' | b'[' | b'{') {
            stack.push(i);
        } else if let Some(open) = stack.pop() {
            if closing_of(bytes[brackets[open].start]) == c {
                pairs.push((open, i));
            }
        }
    }
    pairs.iter().find_map(|&(open, close)| match index {
        i if i == open => Some(close),
        i if i == close => Some(open),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn colours_take_no_width() {
        for line in [
            "if (x == \"a\") { info 1.5; } // done",
            ":load a.dg",
            "é'1-Jan-2024'\"",
            "",
        ] {
            assert_eq!(strip(&highlight(line, Some(3))), line);
        }
    }

    #[test]
    fn keywords_literals_and_calls_are_coloured() {
        let out = highlight("if (x) { info f(\"a\", 2, TRUE); } // c", None);
        assert!(out.contains(&format!("{KEYWORD}if{RESET}")), "{out:?}");
        assert!(out.contains(&format!("{KEYWORD}info{RESET}")), "{out:?}");
        assert!(out.contains(&format!("{CALL}f{RESET}")), "{out:?}");
        assert!(out.contains(&format!("{TEXT}\"a\"{RESET}")), "{out:?}");
        assert!(out.contains(&format!("{LITERAL}2{RESET}")), "{out:?}");
        assert!(out.contains(&format!("{LITERAL}TRUE{RESET}")), "{out:?}");
        assert!(out.contains(&format!("{COMMENT}// c{RESET}")), "{out:?}");
    }

    #[test]
    fn a_method_named_like_a_keyword_is_not_a_keyword() {
        let out = highlight("l.list()", None);
        assert!(!out.contains(KEYWORD), "{out:?}");
    }

    #[test]
    fn the_bracket_at_the_cursor_and_its_partner_are_marked() {
        let line = "f(a[1], {2})";
        let marked = |cursor| bracket_pair(line, &scan(line), cursor);
        assert_eq!(marked(1).matched, vec![1, 11]);
        assert_eq!(marked(12).matched, vec![11, 1]);
        assert_eq!(marked(4).matched, vec![3, 5]);
        assert_eq!(marked(7), BracketMarks::default());
        let out = highlight(line, Some(8));
        assert!(
            out.contains(&format!("{MATCHED_BRACKET}{{{RESET}")),
            "{out:?}"
        );
        assert!(
            out.contains(&format!("{MATCHED_BRACKET}}}{RESET}")),
            "{out:?}"
        );
    }

    #[test]
    fn a_closing_bracket_without_partner_is_red() {
        let line = "x = (1]";
        assert_eq!(bracket_pair(line, &scan(line), 7).unmatched, Some(6));
        assert_eq!(bracket_pair(line, &scan(line), 4), BracketMarks::default());
        let quoted = "\"(\" )";
        assert_eq!(bracket_pair(quoted, &scan(quoted), 5).unmatched, Some(4));
    }
}
