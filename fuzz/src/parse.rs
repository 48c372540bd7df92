//! Lexer and parsers: any text gives a program or syntax errors, never a panic, every error
//! span lies inside the source, and the fast recursive-descent parser agrees with the chumsky
//! grammar (same tree, and it accepts nothing the grammar rejects) and with itself when the
//! source is lexed in two halves and parsed cut at its top-level functions, as
//! `syntax::parse_on_threads` does.

/// Parses `data` (when it is UTF-8) and checks every error.
pub fn check(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = deluge_lang::syntax::parse(src);
    for error in &parsed.errors {
        assert!(
            error.span.end as usize <= src.len(),
            "error span past the end"
        );
        assert!(!error.message.is_empty(), "empty syntax error message");
    }
    if let Some(disagreement) = deluge_lang::syntax::parser_disagreement(src) {
        panic!("the parsers disagree on {src:?}: {disagreement}");
    }
}
