//! The spaces between two tokens written on the same line.

use super::roles::{ends_operand, Role};
use crate::syntax::token::{Soft, Token};

/// A token with its layout role.
#[derive(Clone, Copy, Debug)]
pub struct Placed<'s> {
    /// The token.
    pub token: Token<'s>,
    /// Its role.
    pub role: Role,
}

/// The task keys the Zoho editor writes without a space before their `:`.
const KEYS_WITHOUT_SPACE: [&str; 3] = ["connection", "parameters", "headers"];

/// The text between `left` and `right` on one line: `""`, `" "`, or `"  "` after `for each`
/// (as the Zoho editor writes it). `key` is the first word of the task key `right` ends, if any.
pub fn between(left: &Placed<'_>, right: &Placed<'_>, key: Option<&str>) -> &'static str {
    if matches!(left.token, Token::Word(w) if w.soft == Soft::Each) {
        return "  ";
    }
    if right.role == Role::KeyColon {
        let tight =
            key.is_some_and(|k| KEYS_WITHOUT_SPACE.iter().any(|t| k.eq_ignore_ascii_case(t)));
        return if tight { "" } else { " " };
    }
    if left.role == Role::KeyColon || right.role == Role::KeyPart || left.role == Role::KeyPart {
        return key_part_space(left, right);
    }
    if left.role == Role::Prefix {
        // Two prefix minus signs must not fuse into `--`.
        let fuse = matches!(left.token, Token::Minus) && matches!(right.token, Token::Minus);
        return if fuse { " " } else { "" };
    }
    if right.role == Role::MapColon {
        return "";
    }
    if left.role == Role::MapColon {
        return " ";
    }
    match (&left.token, &right.token) {
        (_, Token::RParen | Token::RBracket | Token::Comma | Token::Semi | Token::Dot) => "",
        (Token::LParen | Token::LBracket | Token::Dot, _) => "",
        (Token::LBrace, _) if left.role != Role::BlockOpen => "",
        (_, Token::RBrace) if right.role != Role::BlockClose => "",
        (Token::Colon, _) | (_, Token::Colon) => "",
        (_, Token::LParen) => paren_space(left),
        (_, Token::LBracket) if ends_operand(&left.token) => "",
        (Token::PlusPlus | Token::MinusMinus, _) => "",
        (_, Token::PlusPlus | Token::MinusMinus) if ends_operand(&left.token) => "",
        _ => " ",
    }
}

/// Inside a task key: `content type`, `content-type`, `key :value`.
fn key_part_space(left: &Placed<'_>, right: &Placed<'_>) -> &'static str {
    if left.role == Role::KeyColon {
        return "";
    }
    if matches!(left.token, Token::Minus) || matches!(right.token, Token::Minus) {
        ""
    } else {
        " "
    }
}

/// The space before a `(`: none for calls (`f(`, `Map()`, `if(` as an expression), one after
/// statement keywords and operators.
fn paren_space(left: &Placed<'_>) -> &'static str {
    match left.token {
        Token::If if left.role == Role::StatementIf => " ",
        Token::If => "",
        Token::Word(w) if w.soft == Soft::Info => " ",
        Token::Word(_) | Token::RParen | Token::RBracket => "",
        _ => " ",
    }
}
