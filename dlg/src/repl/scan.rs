//! A forgiving scanner for what the user is typing.
//!
//! The REPL needs to look at half-written input on every keystroke: to colour it, to find the
//! bracket matching the cursor, and to tell an unfinished entry from a finished one. The real
//! lexer reports errors; this scanner never fails: it splits any text into [`Piece`]s, marks
//! strings and comments that are still open, and leaves everything it does not know as
//! punctuation.

use std::ops::Range;

/// What a piece of input is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PieceKind {
    /// A name: a keyword, a variable, a function or a method.
    Word,
    /// A number literal: `42`, `1.50`.
    Number,
    /// A double-quoted text literal; `closed` is false while the closing quote is missing.
    Text {
        /// Whether the closing quote is there.
        closed: bool,
    },
    /// A single-quoted literal (date-time or text).
    Quoted {
        /// Whether the closing quote is there.
        closed: bool,
    },
    /// A `// ...` or `/* ... */` comment.
    Comment {
        /// False for a `/*` comment without its `*/`.
        closed: bool,
    },
    /// `(`, `[` or `{`.
    Open,
    /// `)`, `]` or `}`.
    Close,
    /// Spaces, tabs and newlines.
    Space,
    /// Anything else: operators, `;`, `,`, `:`, `.`.
    Punct,
}

/// One piece of input and where it is (byte range).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// What it is.
    pub kind: PieceKind,
    /// Its byte range in the scanned text.
    pub range: Range<usize>,
}

/// Splits `src` into pieces covering it entirely, in order.
pub fn scan(src: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut pos = 0;
    while let Some(c) = src[pos..].chars().next() {
        let (kind, len) = piece_at(&src[pos..], c);
        pieces.push(Piece {
            kind,
            range: pos..pos + len,
        });
        pos += len;
    }
    pieces
}

/// The kind and byte length of the piece starting `rest`, whose first character is `c`.
fn piece_at(rest: &str, c: char) -> (PieceKind, usize) {
    match c {
        '"' => quoted(rest, '"', |closed| PieceKind::Text { closed }),
        '\'' => quoted(rest, '\'', |closed| PieceKind::Quoted { closed }),
        '/' if rest.starts_with("//") => (
            PieceKind::Comment { closed: true },
            rest.find('\n').unwrap_or(rest.len()),
        ),
        '/' if rest.starts_with("/*") => match rest[2..].find("*/") {
            Some(end) => (PieceKind::Comment { closed: true }, end + 4),
            None => (PieceKind::Comment { closed: false }, rest.len()),
        },
        '(' | '[' | '{' => (PieceKind::Open, 1),
        ')' | ']' | '}' => (PieceKind::Close, 1),
        c if c.is_whitespace() => (PieceKind::Space, run_len(rest, char::is_whitespace)),
        c if c.is_ascii_digit() => (PieceKind::Number, number_len(rest)),
        c if is_word_char(c) => (PieceKind::Word, run_len(rest, is_word_char)),
        c => (PieceKind::Punct, c.len_utf8()),
    }
}

/// True for the characters of a name: letters, digits and `_`.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The byte length of the leading run of characters satisfying `keep`.
fn run_len(rest: &str, keep: impl Fn(char) -> bool) -> usize {
    rest.find(|c: char| !keep(c)).unwrap_or(rest.len())
}

/// The byte length of the number literal at the start of `rest` (digits, one `.` and digits).
fn number_len(rest: &str) -> usize {
    let int = run_len(rest, |c| c.is_ascii_digit());
    let after = &rest[int..];
    let fraction = after.strip_prefix('.').map_or(0, |f| {
        let digits = run_len(f, |c| c.is_ascii_digit());
        if digits > 0 {
            digits + 1
        } else {
            0
        }
    });
    int + fraction
}

/// A literal delimited by `quote` with backslash escapes: its kind and length.
fn quoted(rest: &str, quote: char, kind: impl Fn(bool) -> PieceKind) -> (PieceKind, usize) {
    let mut escaped = false;
    for (i, c) in rest.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            c if c == quote => return (kind(true), i + c.len_utf8()),
            _ => {}
        }
    }
    (kind(false), rest.len())
}

/// The bracket that closes `open`.
pub fn closing_of(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'[' => b']',
        _ => b'}',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(PieceKind, &str)> {
        scan(src)
            .into_iter()
            .filter(|p| p.kind != PieceKind::Space)
            .map(|p| (p.kind, &src[p.range]))
            .collect()
    }

    #[test]
    fn splits_a_statement_into_pieces() {
        use PieceKind::*;
        assert_eq!(
            kinds(r#"x = m.get("a\"b") + 1.50;"#),
            vec![
                (Word, "x"),
                (Punct, "="),
                (Word, "m"),
                (Punct, "."),
                (Word, "get"),
                (Open, "("),
                (Text { closed: true }, r#""a\"b""#),
                (Close, ")"),
                (Punct, "+"),
                (Number, "1.50"),
                (Punct, ";"),
            ]
        );
    }

    #[test]
    fn marks_open_strings_and_comments() {
        use PieceKind::*;
        assert_eq!(kinds("\"abc"), vec![(Text { closed: false }, "\"abc")]);
        assert_eq!(kinds("'1-Jan"), vec![(Quoted { closed: false }, "'1-Jan")]);
        assert_eq!(kinds("/* x"), vec![(Comment { closed: false }, "/* x")]);
        assert_eq!(
            kinds("a // b {\nc"),
            vec![
                (Word, "a"),
                (Comment { closed: true }, "// b {"),
                (Word, "c")
            ]
        );
    }

    #[test]
    fn covers_any_text_without_panicking() {
        for src in ["", "é\"ü", "1.", "/*/", "\\", "'\\'", "€(]"] {
            let end = scan(src).last().map_or(0, |p| p.range.end);
            assert_eq!(end, src.len(), "{src:?}");
        }
    }
}
