//! Lexer and parser: any text gives a program or syntax errors, never a panic, and every
//! error span lies inside the source.

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
}
