//! The token set (logos). Keywords match in any letter case.
//!
//! Hard keywords (`if`, `for`, `return`, `true`, `invokeurl`, ...) are their own variants. Words
//! that are keywords only in some positions (`each`, `index`, `info`, `hide`, `list`, `map`,
//! `insert`, ...) are [`Token::Word`]s tagged with a [`Soft`] kind, so they stay usable as
//! variable names and map keys while the parser can still recognise them cheaply.

use std::fmt;

use logos::Logos;

/// What went wrong while cutting the text into tokens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LexError {
    /// A character that starts no token.
    #[default]
    UnexpectedChar,
    /// `"...` with no closing quote on the same line.
    UnterminatedString,
    /// `/* ...` with no closing `*/`.
    UnterminatedComment,
}

/// The position-dependent meaning of a word, decided once by the lexer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Soft {
    /// An ordinary name.
    None,
    /// `each` in `for each`.
    Each,
    /// `index` in `for each index`.
    Index,
    /// `info` statement.
    Info,
    /// Creator `hide`.
    Hide,
    /// Creator `show`.
    Show,
    /// Creator `enable`.
    Enable,
    /// Creator `disable`.
    Disable,
    /// Creator `clear` (empties a field).
    Clear,
    /// Creator `alert`.
    Alert,
    /// Creator `cancel`.
    Cancel,
    /// Creator `insert` (`insert into`).
    Insert,
    /// `into`.
    Into,
    /// Creator `delete` (`delete from`).
    Delete,
    /// `from`.
    From,
    /// `sort` (`sort by`).
    Sort,
    /// `by`.
    By,
    /// `range` (`range from a to b`).
    Range,
    /// `to`.
    To,
    /// `asc`.
    Asc,
    /// `desc`.
    Desc,
    /// `not` (`not in`, `is not null`).
    Not,
    /// `is` (`Field is null`, `Field is not null` in Creator criteria).
    Is,
    /// `List` constructor.
    List,
    /// `Map` constructor.
    Map,
    /// `Collection` constructor.
    Collection,
}

/// A word (identifier or soft keyword) with its text as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Word<'s> {
    /// The text as written.
    pub text: &'s str,
    /// Its soft-keyword kind.
    pub soft: Soft,
}

fn word<'s>(lex: &mut logos::Lexer<'s, Token<'s>>, soft: Soft) -> Word<'s> {
    Word {
        text: lex.slice(),
        soft,
    }
}

fn unterminated_comment<'s>(_: &mut logos::Lexer<'s, Token<'s>>) -> Result<(), LexError> {
    Err(LexError::UnterminatedComment)
}

fn unterminated_string<'s>(_: &mut logos::Lexer<'s, Token<'s>>) -> Result<(), LexError> {
    Err(LexError::UnterminatedString)
}

/// One token. Strings and numbers keep their source text; the parser converts them.
#[derive(Logos, Clone, Copy, Debug, PartialEq)]
#[logos(error = LexError)]
#[logos(skip r"[ \t\r\n\f\u{feff}\u{a0}]+")]
#[logos(skip(r"//[^\n]*", allow_greedy = true))]
#[logos(skip r"/\*([^*]|\*+[^*/])*\*+/")]
pub enum Token<'s> {
    /// A block comment that never closes (always turned into a lexical error).
    #[regex(r"/\*([^*]|\*+[^*/])*\**", unterminated_comment)]
    UnclosedComment,
    /// A string whose closing quote is missing (always turned into a lexical error).
    #[regex(r#""([^"\\\n]|\\[^\n])*\\?"#, unterminated_string)]
    #[regex(r#"'([^'\\\n]|\\[^\n])*\\?"#, unterminated_string)]
    UnclosedString,
    /// A lexical error, kept in the stream so the parser reports it in place.
    Error(LexError),

    /// `"..."`, with the quotes, escapes unprocessed.
    #[regex(r#""([^"\\\n]|\\[^\n])*""#)]
    Str(&'s str),
    /// `'...'`, with the quotes, escapes unprocessed.
    #[regex(r#"'([^'\\\n]|\\[^\n])*'"#)]
    SingleQuoted(&'s str),
    /// Digits.
    #[regex(r"[0-9]+")]
    Int(&'s str),
    /// Digits with a fractional part; the integer part may be left out (`.5`).
    #[regex(r"[0-9]*\.[0-9]+")]
    Decimal(&'s str),

    /// A name or a soft keyword.
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*", |lex| word(lex, Soft::None))]
    #[token("each", |lex| word(lex, Soft::Each), ignore(case))]
    #[token("index", |lex| word(lex, Soft::Index), ignore(case))]
    #[token("info", |lex| word(lex, Soft::Info), ignore(case))]
    #[token("hide", |lex| word(lex, Soft::Hide), ignore(case))]
    #[token("show", |lex| word(lex, Soft::Show), ignore(case))]
    #[token("enable", |lex| word(lex, Soft::Enable), ignore(case))]
    #[token("disable", |lex| word(lex, Soft::Disable), ignore(case))]
    #[token("clear", |lex| word(lex, Soft::Clear), ignore(case))]
    #[token("alert", |lex| word(lex, Soft::Alert), ignore(case))]
    #[token("cancel", |lex| word(lex, Soft::Cancel), ignore(case))]
    #[token("insert", |lex| word(lex, Soft::Insert), ignore(case))]
    #[token("into", |lex| word(lex, Soft::Into), ignore(case))]
    #[token("delete", |lex| word(lex, Soft::Delete), ignore(case))]
    #[token("from", |lex| word(lex, Soft::From), ignore(case))]
    #[token("sort", |lex| word(lex, Soft::Sort), ignore(case))]
    #[token("by", |lex| word(lex, Soft::By), ignore(case))]
    #[token("range", |lex| word(lex, Soft::Range), ignore(case))]
    #[token("to", |lex| word(lex, Soft::To), ignore(case))]
    #[token("asc", |lex| word(lex, Soft::Asc), ignore(case))]
    #[token("desc", |lex| word(lex, Soft::Desc), ignore(case))]
    #[token("not", |lex| word(lex, Soft::Not), ignore(case))]
    #[token("is", |lex| word(lex, Soft::Is), ignore(case))]
    #[token("list", |lex| word(lex, Soft::List), ignore(case))]
    #[token("map", |lex| word(lex, Soft::Map), ignore(case))]
    #[token("collection", |lex| word(lex, Soft::Collection), ignore(case))]
    Word(Word<'s>),

    /// `if`
    #[token("if", ignore(case))]
    If,
    /// `else`
    #[token("else", ignore(case))]
    Else,
    /// `for`
    #[token("for", ignore(case))]
    For,
    /// `in`
    #[token("in", ignore(case))]
    In,
    /// `return`
    #[token("return", ignore(case))]
    Return,
    /// `break`
    #[token("break", ignore(case))]
    Break,
    /// `continue`
    #[token("continue", ignore(case))]
    Continue,
    /// `try`
    #[token("try", ignore(case))]
    Try,
    /// `catch`
    #[token("catch", ignore(case))]
    Catch,
    /// `true`
    #[token("true", ignore(case))]
    True,
    /// `false`
    #[token("false", ignore(case))]
    False,
    /// `null`
    #[token("null", ignore(case))]
    Null,
    /// `invokeurl`
    #[token("invokeurl", ignore(case))]
    InvokeUrl,
    /// `invokeapi`
    #[token("invokeapi", ignore(case))]
    InvokeApi,
    /// `sendmail`
    #[token("sendmail", ignore(case))]
    SendMail,
    /// `while` (not Deluge; recognised to explain that).
    #[token("while", ignore(case))]
    While,
    /// `finally` (not Deluge; recognised to explain that).
    #[token("finally", ignore(case))]
    Finally,

    /// `(`
    #[token("(")]
    LParen,
    /// `)`
    #[token(")")]
    RParen,
    /// `{`
    #[token("{")]
    LBrace,
    /// `}`
    #[token("}")]
    RBrace,
    /// `[`
    #[token("[")]
    LBracket,
    /// `]`
    #[token("]")]
    RBracket,
    /// `,`
    #[token(",")]
    Comma,
    /// `;`
    #[token(";")]
    Semi,
    /// `:`
    #[token(":")]
    Colon,
    /// `.`
    #[token(".")]
    Dot,
    /// `+`
    #[token("+")]
    Plus,
    /// `-`
    #[token("-")]
    Minus,
    /// `*`
    #[token("*")]
    Star,
    /// `/`
    #[token("/")]
    Slash,
    /// `%`
    #[token("%")]
    Percent,
    /// `!`
    #[token("!")]
    Bang,
    /// `=`
    #[token("=")]
    Assign,
    /// `==`
    #[token("==")]
    EqEq,
    /// `!=`
    #[token("!=")]
    NotEq,
    /// `<`
    #[token("<")]
    Lt,
    /// `<=`
    #[token("<=")]
    Le,
    /// `>`
    #[token(">")]
    Gt,
    /// `>=`
    #[token(">=")]
    Ge,
    /// `&&`
    #[token("&&")]
    AndAnd,
    /// `||`
    #[token("||")]
    OrOr,
    /// `+=`
    #[token("+=")]
    PlusAssign,
    /// `-=`
    #[token("-=")]
    MinusAssign,
    /// `*=`
    #[token("*=")]
    StarAssign,
    /// `/=`
    #[token("/=")]
    SlashAssign,
    /// `%=`
    #[token("%=")]
    PercentAssign,
    /// `?` (not Deluge; recognised to explain that).
    #[token("?")]
    Question,
    /// `++` (not Deluge; recognised to explain that).
    #[token("++")]
    PlusPlus,
    /// `--` (not Deluge; recognised to explain that).
    #[token("--")]
    MinusMinus,
}

impl Token<'_> {
    /// How the token reads in an error message: `';'`, `'if'`, `'myVar'`.
    pub fn describe(&self) -> String {
        match self {
            Token::Str(s) | Token::SingleQuoted(s) => format!("string {s}"),
            Token::Int(s) | Token::Decimal(s) => format!("number {s}"),
            Token::Word(w) => format!("'{}'", w.text),
            Token::Error(LexError::UnterminatedString) | Token::UnclosedString => {
                "an unterminated string".to_owned()
            }
            Token::Error(LexError::UnterminatedComment) | Token::UnclosedComment => {
                "an unterminated comment".to_owned()
            }
            Token::Error(LexError::UnexpectedChar) => "an unexpected character".to_owned(),
            other => format!("'{other}'"),
        }
    }
}

impl Token<'_> {
    /// Whether the token is an arithmetic, comparison, logical or assignment operator.
    pub fn is_operator(&self) -> bool {
        matches!(
            self,
            Token::Plus
                | Token::Minus
                | Token::Star
                | Token::Slash
                | Token::Percent
                | Token::Bang
                | Token::Assign
                | Token::EqEq
                | Token::NotEq
                | Token::Lt
                | Token::Le
                | Token::Gt
                | Token::Ge
                | Token::AndAnd
                | Token::OrOr
                | Token::PlusAssign
                | Token::MinusAssign
                | Token::StarAssign
                | Token::SlashAssign
                | Token::PercentAssign
        )
    }
}

/// Whether a `{` after `previous` opens a block rather than a map or list literal: a literal
/// can only follow an operator, an opening delimiter, `,`, `:`, `?`, `in` or `return`.
pub fn opens_block(previous: Option<&Token<'_>>) -> bool {
    let Some(token) = previous else {
        return true;
    };
    !token.is_operator()
        && !matches!(
            token,
            Token::LParen
                | Token::LBracket
                | Token::LBrace
                | Token::Comma
                | Token::Colon
                | Token::In
                | Token::Return
                | Token::Question
        )
}

impl fmt::Display for Token<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Token::Str(s) | Token::SingleQuoted(s) | Token::Int(s) | Token::Decimal(s) => s,
            Token::Word(w) => w.text,
            Token::UnclosedComment => "/*",
            Token::UnclosedString => "\"",
            Token::Error(_) => "<error>",
            Token::If => "if",
            Token::Else => "else",
            Token::For => "for",
            Token::In => "in",
            Token::Return => "return",
            Token::Break => "break",
            Token::Continue => "continue",
            Token::Try => "try",
            Token::Catch => "catch",
            Token::True => "true",
            Token::False => "false",
            Token::Null => "null",
            Token::InvokeUrl => "invokeurl",
            Token::InvokeApi => "invokeapi",
            Token::SendMail => "sendmail",
            Token::While => "while",
            Token::Finally => "finally",
            Token::LParen => "(",
            Token::RParen => ")",
            Token::LBrace => "{",
            Token::RBrace => "}",
            Token::LBracket => "[",
            Token::RBracket => "]",
            Token::Comma => ",",
            Token::Semi => ";",
            Token::Colon => ":",
            Token::Dot => ".",
            Token::Plus => "+",
            Token::Minus => "-",
            Token::Star => "*",
            Token::Slash => "/",
            Token::Percent => "%",
            Token::Bang => "!",
            Token::Assign => "=",
            Token::EqEq => "==",
            Token::NotEq => "!=",
            Token::Lt => "<",
            Token::Le => "<=",
            Token::Gt => ">",
            Token::Ge => ">=",
            Token::AndAnd => "&&",
            Token::OrOr => "||",
            Token::PlusAssign => "+=",
            Token::MinusAssign => "-=",
            Token::StarAssign => "*=",
            Token::SlashAssign => "/=",
            Token::PercentAssign => "%=",
            Token::Question => "?",
            Token::PlusPlus => "++",
            Token::MinusMinus => "--",
        };
        f.write_str(text)
    }
}

impl Token<'_> {
    /// A small number identifying the token's kind (its variant), below [`KIND_COUNT`].
    pub fn kind(&self) -> u8 {
        match self {
            Token::UnclosedComment => 0,
            Token::UnclosedString => 1,
            Token::Error(_) => 2,
            Token::Str(_) => 3,
            Token::SingleQuoted(_) => 4,
            Token::Int(_) => 5,
            Token::Decimal(_) => 6,
            Token::Word(_) => 7,
            Token::If => 8,
            Token::Else => 9,
            Token::For => 10,
            Token::In => 11,
            Token::Return => 12,
            Token::Break => 13,
            Token::Continue => 14,
            Token::Try => 15,
            Token::Catch => 16,
            Token::True => 17,
            Token::False => 18,
            Token::Null => 19,
            Token::InvokeUrl => 20,
            Token::InvokeApi => 21,
            Token::SendMail => 22,
            Token::While => 23,
            Token::Finally => 24,
            Token::LParen => 25,
            Token::RParen => 26,
            Token::LBrace => 27,
            Token::RBrace => 28,
            Token::LBracket => 29,
            Token::RBracket => 30,
            Token::Comma => 31,
            Token::Semi => 32,
            Token::Colon => 33,
            Token::Dot => 34,
            Token::Plus => 35,
            Token::Minus => 36,
            Token::Star => 37,
            Token::Slash => 38,
            Token::Percent => 39,
            Token::Bang => 40,
            Token::Assign => 41,
            Token::EqEq => 42,
            Token::NotEq => 43,
            Token::Lt => 44,
            Token::Le => 45,
            Token::Gt => 46,
            Token::Ge => 47,
            Token::AndAnd => 48,
            Token::OrOr => 49,
            Token::PlusAssign => 50,
            Token::MinusAssign => 51,
            Token::StarAssign => 52,
            Token::SlashAssign => 53,
            Token::PercentAssign => 54,
            Token::Question => 55,
            Token::PlusPlus => 56,
            Token::MinusMinus => 57,
        }
    }
}

/// How many token kinds there are.
pub const KIND_COUNT: usize = 58;

/// How each token kind reads in an "expected ..." list, indexed by [`Token::kind`].
pub const KIND_DESCRIPTIONS: [&str; KIND_COUNT] = [
    "an unterminated comment",
    "an unterminated string",
    "an invalid character",
    "a string",
    "a quoted text",
    "a number",
    "a decimal number",
    "a name",
    "'if'",
    "'else'",
    "'for'",
    "'in'",
    "'return'",
    "'break'",
    "'continue'",
    "'try'",
    "'catch'",
    "'true'",
    "'false'",
    "'null'",
    "'invokeurl'",
    "'invokeapi'",
    "'sendmail'",
    "'while'",
    "'finally'",
    "'('",
    "')'",
    "'{'",
    "'}'",
    "'['",
    "']'",
    "','",
    "';'",
    "':'",
    "'.'",
    "'+'",
    "'-'",
    "'*'",
    "'/'",
    "'%'",
    "'!'",
    "'='",
    "'=='",
    "'!='",
    "'<'",
    "'<='",
    "'>'",
    "'>='",
    "'&&'",
    "'||'",
    "'+='",
    "'-='",
    "'*='",
    "'/='",
    "'%='",
    "'?'",
    "'++'",
    "'--'",
];
