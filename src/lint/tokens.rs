//! `assign-as-comparison`: a single `=` inside the condition of an `if` statement. Deluge reads
//! it as `==`, but it reads like an assignment and other languages treat it as one.

use super::{warning, Lint};
use crate::syntax::lexer::lex;
use crate::syntax::span::Span;
use crate::syntax::token::Token;

/// Reports every `=` inside `if (...)` conditions.
pub fn check(source: &str, lints: &mut Vec<Lint>) {
    let tokens = lex(source).tokens;
    let mut i = 0;
    while i < tokens.len() {
        let is_if = matches!(tokens[i].0, Token::If);
        let opens = matches!(tokens.get(i + 1), Some((Token::LParen, _)));
        if !(is_if && opens) {
            i += 1;
            continue;
        }
        let mut depth = 0usize;
        let mut j = i + 1;
        while let Some((token, span)) = tokens.get(j) {
            match token {
                Token::LParen | Token::LBracket | Token::LBrace => depth += 1,
                Token::RParen | Token::RBracket | Token::RBrace => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Token::Comma if depth == 1 => break,
                Token::Assign => lints.push(warning(
                    "assign-as-comparison",
                    Span::new(span.start, span.end),
                    "`=` in a condition compares, it does not assign".into(),
                    Some("write `==` to make the comparison plain".into()),
                )),
                _ => {}
            }
            j += 1;
        }
        i = j.max(i + 1);
    }
}
