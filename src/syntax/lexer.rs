//! Source text to spanned tokens, plus the checks that must run before the parser: source size
//! and nesting depth (so the recursive parser never runs deep enough to exhaust the stack).

use std::ops::Range;

use chumsky::span::SimpleSpan;
use logos::Logos;

use super::span::Span;
use super::token::{LexError, Token};

/// The deepest bracket nesting (`(`, `[`, `{`, plus runs of prefix `!`/`-`) the parser accepts.
pub const MAX_NESTING: usize = 256;

/// The most operators (binary operators and `.`) one expression may chain, counted over its
/// enclosing brackets; long chains build deep syntax trees, and this bound keeps every later tree
/// walk shallow.
pub const MAX_CHAIN: usize = 2048;

/// The tokens of one source text.
#[derive(Debug, Default)]
pub struct Lexed<'s> {
    /// Every token with its byte span; lexical errors are `Token::Error` tokens.
    pub tokens: Vec<(Token<'s>, SimpleSpan)>,
    /// For each token, whether a line break separates it from the token before.
    pub line_break_before: Vec<bool>,
}

/// Cuts `src` into tokens. Never fails: bad input becomes `Token::Error` tokens.
pub fn lex(src: &str) -> Lexed<'_> {
    let (mut lexed, minus_signs) = lex_range(src, 0..src.len(), src.len());
    if minus_signs {
        resolve_minus_signs(src, &mut lexed);
    }
    lexed
}

/// The tokens of `src[range]`, spanned in `src`, before `resolve_minus_signs`, and whether it
/// has any work to do. `range` starts at 0 or right after a `\n`, and ends on a character
/// boundary; no token of a whole lex spans its start (`split::lex_on_threads` checks that).
/// The result has room for the tokens of `room_for_bytes` of text: more than `range` holds when
/// the tokens of the rest will be appended, which then need no larger copy.
pub(super) fn lex_range<'s>(
    src: &'s str,
    range: Range<usize>,
    room_for_bytes: usize,
) -> (Lexed<'s>, bool) {
    let part = src.get(range.clone()).unwrap_or("");
    let room = room_for_bytes.max(part.len()) / BYTES_PER_TOKEN_AT_LEAST;
    let mut lexed = Lexed {
        tokens: Vec::with_capacity(room),
        line_break_before: Vec::with_capacity(room),
    };
    // From the `\n` before the range: the gap before its first token holds a line break, as
    // it does in a whole lex.
    let mut previous_end = range.start.saturating_sub(1);
    let mut minus_signs = false;
    let mut lexer = Token::lexer(part);
    while let Some(result) = lexer.next() {
        let span = lexer.span();
        let (start, end) = (range.start + span.start, range.start + span.end);
        let token = result.unwrap_or_else(Token::Error);
        minus_signs |= matches!(token, Token::MinusMinus | Token::Int(MIN_NUMBER_DIGITS));
        let gap = src.get(previous_end..start).unwrap_or("");
        lexed.line_break_before.push(gap.contains('\n'));
        previous_end = end;
        lexed.tokens.push((token, SimpleSpan::from(start..end)));
    }
    (lexed, minus_signs)
}

/// Fewer bytes of text than a token takes on average (about 4.2 in the harness's generated
/// script), so a vector reserved for text / this rarely grows: unused room is address space
/// only, while growing copies every token.
const BYTES_PER_TOKEN_AT_LEAST: usize = 4;

/// The digits of the smallest NUMBER, `-9223372036854775808`, which only exists negated.
const MIN_NUMBER_DIGITS: &str = "9223372036854775808";

/// Reads `a--b` as `a - -b` (a `--` between two operands; elsewhere it stays a `--` token, which
/// the parser explains), and a prefix `-` written directly before `9223372036854775808` as part
/// of the literal, so the smallest NUMBER can be written.
pub(super) fn resolve_minus_signs<'s>(src: &'s str, lexed: &mut Lexed<'s>) {
    let tokens = std::mem::take(&mut lexed.tokens);
    let breaks = std::mem::take(&mut lexed.line_break_before);
    let mut out: Vec<(Token<'s>, SimpleSpan)> = Vec::with_capacity(tokens.len() + 1);
    let mut out_breaks = Vec::with_capacity(tokens.len() + 1);
    for (i, ((token, span), line_break)) in tokens.iter().zip(breaks).enumerate() {
        let previous_is_operand = out.last().is_some_and(|(t, _)| ends_operand(t));
        let next_starts_operand = tokens.get(i + 1).is_some_and(|(t, _)| starts_operand(t));
        match token {
            Token::MinusMinus if previous_is_operand && next_starts_operand => {
                out.push((Token::Minus, SimpleSpan::from(span.start..span.start + 1)));
                out.push((Token::Minus, SimpleSpan::from(span.start + 1..span.end)));
                out_breaks.extend([line_break, false]);
            }
            Token::Int(MIN_NUMBER_DIGITS) if is_adjacent_prefix_minus(&out, span.start) => {
                let (_, minus) = out.pop().unwrap_or((Token::Minus, *span));
                let merged = src.get(minus.start..span.end).unwrap_or(MIN_NUMBER_DIGITS);
                out.push((Token::Int(merged), SimpleSpan::from(minus.start..span.end)));
            }
            _ => {
                out.push((*token, *span));
                out_breaks.push(line_break);
            }
        }
    }
    lexed.tokens = out;
    lexed.line_break_before = out_breaks;
}

/// Whether the last token of `out` is a prefix `-` ending right at `start`.
fn is_adjacent_prefix_minus(out: &[(Token<'_>, SimpleSpan)], start: usize) -> bool {
    match out {
        [.., before, (Token::Minus, minus)] => minus.end == start && !ends_operand(&before.0),
        [(Token::Minus, minus)] => minus.end == start,
        _ => false,
    }
}

/// Whether a token can start an operand (so a `-` before it can be a prefix minus).
fn starts_operand(token: &Token<'_>) -> bool {
    is_name_or_literal(token)
        || matches!(
            token,
            Token::If
                | Token::LParen
                | Token::LBracket
                | Token::LBrace
                | Token::Minus
                | Token::Bang
        )
}

/// Whether a token is a whole operand by itself: a name or a literal.
fn is_name_or_literal(token: &Token<'_>) -> bool {
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
    )
}

/// Why the token stream cannot be handed to the parser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructureError {
    /// Where the limit was crossed.
    pub span: Span,
    /// What the limit is.
    pub message: String,
}

/// Checks the nesting depth and chain length limits; `None` when the tokens are safe to parse.
pub fn check_structure(tokens: &[(Token<'_>, SimpleSpan)]) -> Option<StructureError> {
    let mut depth = 0usize;
    let mut prefix_run = 0usize;
    let mut chains = ChainDepth::default();
    let mut previous_is_operand = false;
    for (token, span) in tokens {
        let span = Span::new(span.start, span.end);
        match token {
            Token::LParen | Token::LBracket | Token::LBrace => depth += 1,
            Token::RParen | Token::RBracket | Token::RBrace => depth = depth.saturating_sub(1),
            _ => {}
        }
        let is_prefix = matches!(token, Token::Bang | Token::Minus) && !previous_is_operand;
        prefix_run = if is_prefix { prefix_run + 1 } else { 0 };
        if depth + prefix_run > MAX_NESTING {
            return Some(StructureError {
                span,
                message: format!("Nesting too deep (more than {MAX_NESTING} levels)"),
            });
        }
        if chains.step(token) > MAX_CHAIN {
            return Some(StructureError {
                span,
                message: format!("Expression too long (more than {MAX_CHAIN} chained operators)"),
            });
        }
        previous_is_operand = ends_operand(token);
    }
    None
}

/// Bounds the depth of the tree an operator chain builds: the operators chained at each bracket
/// level, summed over the open levels. A `,` starts a new, independent expression at its level;
/// a `;` ends the statement.
#[derive(Default)]
struct ChainDepth {
    /// The chain counts of the enclosing levels.
    outer: Vec<usize>,
    /// Their sum.
    outer_total: usize,
    /// The chain count at the current level.
    current: usize,
}

impl ChainDepth {
    /// Accounts for `token`; returns the chained depth so far.
    fn step(&mut self, token: &Token<'_>) -> usize {
        match token {
            Token::LParen | Token::LBracket | Token::LBrace => {
                self.outer.push(self.current);
                self.outer_total += self.current;
                self.current = 0;
            }
            Token::RParen | Token::RBracket | Token::RBrace => {
                self.current = self.outer.pop().unwrap_or(0);
                self.outer_total -= self.current;
            }
            Token::Comma | Token::Semi => self.current = 0,
            t if is_chain_operator(t) => self.current += 1,
            _ => {}
        }
        self.outer_total + self.current
    }
}

/// Operators that deepen the syntax tree when chained.
fn is_chain_operator(token: &Token<'_>) -> bool {
    matches!(
        token,
        Token::Dot
            | Token::Plus
            | Token::Minus
            | Token::Star
            | Token::Slash
            | Token::Percent
            | Token::AndAnd
            | Token::OrOr
            | Token::EqEq
            | Token::NotEq
            | Token::Assign
            | Token::Lt
            | Token::Le
            | Token::Gt
            | Token::Ge
            | Token::In
    )
}

/// Whether a token can end an operand (so a following `-` is binary, not prefix).
fn ends_operand(token: &Token<'_>) -> bool {
    is_name_or_literal(token) || matches!(token, Token::RParen | Token::RBracket | Token::RBrace)
}

/// The lexical error carried by a token, if it is one.
pub fn lex_error(token: &Token<'_>) -> Option<LexError> {
    match token {
        Token::Error(e) => Some(*e),
        Token::UnclosedComment => Some(LexError::UnterminatedComment),
        Token::UnclosedString => Some(LexError::UnterminatedString),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::token::Soft;

    fn kinds(src: &str) -> Vec<Token<'_>> {
        lex(src).tokens.into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn keywords_match_in_any_case_and_keep_their_text() {
        let tokens = kinds("For EACH If TRUE invokeUrl List map");
        assert_eq!(tokens[0], Token::For);
        assert!(matches!(tokens[1], Token::Word(w) if w.soft == Soft::Each && w.text == "EACH"));
        assert_eq!(tokens[2], Token::If);
        assert_eq!(tokens[3], Token::True);
        assert_eq!(tokens[4], Token::InvokeUrl);
        assert!(matches!(tokens[5], Token::Word(w) if w.soft == Soft::List));
        assert!(matches!(tokens[6], Token::Word(w) if w.soft == Soft::Map));
    }

    #[test]
    fn words_that_start_with_a_keyword_are_names() {
        let tokens = kinds("iffy index_no format information");
        for t in tokens {
            assert!(matches!(t, Token::Word(w) if w.soft == Soft::None), "{t:?}");
        }
    }

    #[test]
    fn comments_are_skipped_and_unclosed_comment_is_an_error() {
        assert_eq!(kinds("a // x\n /* y \n */ b").len(), 2);
        let tokens = kinds("a /* never closed");
        assert_eq!(tokens[1], Token::Error(LexError::UnterminatedComment));
    }

    #[test]
    fn strings_numbers_and_unterminated_strings() {
        let tokens = kinds(r#""a\"b" 'c' 12 1.50 "open"#);
        assert_eq!(tokens[0], Token::Str(r#""a\"b""#));
        assert_eq!(tokens[1], Token::SingleQuoted("'c'"));
        assert_eq!(tokens[2], Token::Int("12"));
        assert_eq!(tokens[3], Token::Decimal("1.50"));
        assert_eq!(tokens[4], Token::Error(LexError::UnterminatedString));
    }

    #[test]
    fn minus_minus_between_operands_is_minus_then_prefix_minus() {
        assert_eq!(
            kinds("a--b 5--(1)"),
            vec![
                kinds("a")[0],
                Token::Minus,
                Token::Minus,
                kinds("b")[0],
                Token::Int("5"),
                Token::Minus,
                Token::Minus,
                Token::LParen,
                Token::Int("1"),
                Token::RParen,
            ]
        );
        assert_eq!(kinds("x--;")[1], Token::MinusMinus);
        assert_eq!(kinds("--x")[0], Token::MinusMinus);
        let lexed = lex("a--\nb");
        assert_eq!(lexed.line_break_before, vec![false, false, false, true]);
    }

    #[test]
    fn the_smallest_number_literal_keeps_its_sign() {
        assert_eq!(
            kinds("x = -9223372036854775808;")[2],
            Token::Int("-9223372036854775808")
        );
        assert_eq!(
            kinds("1--9223372036854775808")[2],
            Token::Int("-9223372036854775808")
        );
        let spaced = kinds("x = - 9223372036854775808;");
        assert_eq!(spaced[2], Token::Minus);
        let binary = kinds("1-9223372036854775808");
        assert_eq!(binary[1], Token::Minus);
        assert_eq!(binary[2], Token::Int("9223372036854775808"));
    }

    #[test]
    fn line_breaks_are_recorded() {
        let lexed = lex("a b\nc /* \n */ d");
        assert_eq!(lexed.line_break_before, vec![false, false, true, true]);
    }

    #[test]
    fn nesting_and_chain_limits() {
        let deep = "(".repeat(MAX_NESTING + 1);
        assert!(check_structure(&lex(&deep).tokens).is_some());
        let ok = "(".repeat(MAX_NESTING);
        assert!(check_structure(&lex(&ok).tokens).is_none());
        let bangs = "!".repeat(MAX_NESTING + 1);
        assert!(check_structure(&lex(&bangs).tokens).is_some());
        let chain = "x = a".to_owned() + &" + a".repeat(MAX_CHAIN + 1) + ";";
        assert!(check_structure(&lex(&chain).tokens).is_some());
        let subtraction = "x = a".to_owned() + &" - 1".repeat(300) + ";";
        assert!(check_structure(&lex(&subtraction).tokens).is_none());
        let calls = "x = a".to_owned() + &" + f(1, 2)".repeat(MAX_CHAIN + 1) + ";";
        assert!(check_structure(&lex(&calls).tokens).is_some());
        let wide_map = "x = {".to_owned() + &"\"k\": a.b.c(1) + 2, ".repeat(5000) + "\"z\": 1};";
        assert!(check_structure(&lex(&wide_map).tokens).is_none());
        let many_statements = "x = a + b.c;\n".repeat(5000);
        assert!(check_structure(&lex(&many_statements).tokens).is_none());
    }
}
