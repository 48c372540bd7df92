//! What each token does in the layout: opens or closes a block, a task block or a bracket, is
//! part of a task key, starts a statement. Decided once, before laying out.

use crate::syntax::lexer::Lexed;
use crate::syntax::token::{opens_block, Soft, Token};

/// The layout role of one token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Role {
    /// Anything else.
    #[default]
    Plain,
    /// `{` opening a statement block.
    BlockOpen,
    /// `}` closing a statement block.
    BlockClose,
    /// `[` of a task block (`invokeurl`, `sendmail`, `insert into`).
    TaskOpen,
    /// `]` of a task block.
    TaskClose,
    /// The first word of a task key (or of an `insert into` field).
    KeyStart,
    /// A later word or `-` of a task key.
    KeyPart,
    /// The `:` after a task key.
    KeyColon,
    /// `:` directly inside a map literal or a `Map("k": v)` constructor.
    MapColon,
    /// `if` starting a statement (written `if (`; the expression form is written `if(`).
    StatementIf,
    /// `-` or `!` used as a prefix operator.
    Prefix,
}

/// An open bracket while assigning roles.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    Block,
    Paren,
    Literal,
    Index,
    Task { insert: bool },
}

/// The role of every token of `lexed`, by index.
pub fn roles(lexed: &Lexed<'_>) -> Vec<Role> {
    let tokens = &lexed.tokens;
    let mut roles = vec![Role::Plain; tokens.len()];
    let mut stack: Vec<Open> = Vec::new();
    for (i, (token, _)) in tokens.iter().enumerate() {
        let previous = i.checked_sub(1).map(|p| &tokens[p].0);
        let top = stack.last().copied();
        match token {
            Token::LBrace => {
                let at_statement_level = matches!(top, None | Some(Open::Block));
                if at_statement_level && opens_block_after(previous) {
                    roles[i] = Role::BlockOpen;
                    stack.push(Open::Block);
                } else {
                    stack.push(Open::Literal);
                }
            }
            Token::RBrace if stack.pop() == Some(Open::Block) => roles[i] = Role::BlockClose,
            Token::LParen => stack.push(Open::Paren),
            Token::RParen => {
                stack.pop();
            }
            Token::LBracket => match task_bracket(tokens, i) {
                Some(insert) => {
                    roles[i] = Role::TaskOpen;
                    stack.push(Open::Task { insert });
                }
                None => stack.push(Open::Index),
            },
            Token::RBracket => {
                if matches!(stack.pop(), Some(Open::Task { .. })) {
                    roles[i] = Role::TaskClose;
                }
            }
            Token::Colon if matches!(top, Some(Open::Literal | Open::Paren)) => {
                roles[i] = Role::MapColon;
            }
            Token::If if starts_statement(previous, &roles, i) => roles[i] = Role::StatementIf,
            Token::Minus | Token::Bang if !previous.is_some_and(ends_operand) => {
                roles[i] = Role::Prefix;
            }
            Token::Word(_) => {
                if let Some(Open::Task { insert }) = top {
                    mark_key(lexed, i, insert, &mut roles);
                }
            }
            _ => {}
        }
    }
    roles
}

/// Whether the `[` at `i` opens a task block: `Some(true)` for `insert into Form [`,
/// `Some(false)` for `invokeurl [`, `invokeapi [` and `sendmail [`.
fn task_bracket(tokens: &[(Token<'_>, chumsky::span::SimpleSpan)], i: usize) -> Option<bool> {
    let before = |back: usize| i.checked_sub(back).map(|p| &tokens[p].0);
    match before(1) {
        Some(Token::InvokeUrl | Token::InvokeApi | Token::SendMail) => Some(false),
        Some(Token::Word(_)) => {
            let into = matches!(before(2), Some(Token::Word(w)) if w.soft == Soft::Into);
            let insert = matches!(before(3), Some(Token::Word(w)) if w.soft == Soft::Insert);
            (into && insert).then_some(true)
        }
        _ => None,
    }
}

/// Marks the key starting at word `i` directly inside a task block, if one starts there: a word
/// after the `[`, a `,` or the end of a value on an earlier line, followed by more key words and
/// `:` (or by `=` in `insert into`).
fn mark_key(lexed: &Lexed<'_>, i: usize, insert: bool, roles: &mut [Role]) {
    let tokens = &lexed.tokens;
    let previous = i.checked_sub(1).map(|p| (&tokens[p].0, roles[p]));
    let after_separator = match previous {
        Some((_, Role::TaskOpen)) | Some((Token::Comma, _)) => true,
        Some((token, _)) => ends_operand(token) && lexed.line_break_before[i],
        None => false,
    };
    if !after_separator {
        return;
    }
    if insert {
        if matches!(tokens.get(i + 1), Some((Token::Assign, _))) {
            roles[i] = Role::KeyStart;
        }
        return;
    }
    let mut j = i + 1;
    loop {
        match tokens.get(j).map(|(t, _)| t) {
            Some(Token::Word(_)) | Some(Token::Minus) => j += 1,
            Some(Token::Colon) => break,
            _ => return,
        }
    }
    roles[i] = Role::KeyStart;
    for role in &mut roles[i + 1..j] {
        *role = Role::KeyPart;
    }
    roles[j] = Role::KeyColon;
}

/// Whether an `if` after `previous` starts a statement.
fn starts_statement(previous: Option<&Token<'_>>, roles: &[Role], i: usize) -> bool {
    match previous {
        None | Some(Token::Semi | Token::Else) => true,
        Some(Token::LBrace | Token::RBrace) => {
            matches!(roles[i - 1], Role::BlockOpen | Role::BlockClose)
        }
        _ => false,
    }
}

/// Whether a `{` after `previous` opens a block rather than a map or list literal (the rule of
/// the parser's error recovery, plus `info {...}`).
fn opens_block_after(previous: Option<&Token<'_>>) -> bool {
    opens_block(previous) && !matches!(previous, Some(Token::Word(w)) if w.soft == Soft::Info)
}

/// Whether a token can end an operand.
pub fn ends_operand(token: &Token<'_>) -> bool {
    matches!(
        token,
        Token::Word(_)
            | Token::Int(_)
            | Token::Decimal(_)
            | Token::Str(_)
            | Token::SingleQuoted(_)
            | Token::True
            | Token::False
            | Token::Null
            | Token::RParen
            | Token::RBracket
            | Token::RBrace
    )
}
