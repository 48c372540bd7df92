//! Folding ranges: blocks, bracket tasks and lists spanning lines, and block comments.

use lsp_types::{FoldingRange, FoldingRangeKind};

use super::comments::{comments, CommentKind};
use super::workspace::Document;
use deluge_lang::syntax::lexer::lex;
use deluge_lang::syntax::token::Token;

/// The folding ranges of `document`.
pub fn folding_ranges(document: &Document) -> Vec<FoldingRange> {
    let text = &document.text;
    let line = |offset: usize| document.index.position(text, offset).line;
    let lexed = lex(text);
    let mut open: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for (start, end, kind) in comments(text) {
        if kind == CommentKind::Block {
            push(
                &mut out,
                line(start),
                line(end),
                Some(FoldingRangeKind::Comment),
            );
        }
    }
    for (token, span) in &lexed.tokens {
        match token {
            Token::LBrace | Token::LBracket | Token::LParen => open.push(span.start),
            Token::RBrace | Token::RBracket | Token::RParen => {
                if let Some(start) = open.pop() {
                    push(&mut out, line(start), line(span.start), None);
                }
            }
            _ => {}
        }
    }
    out.sort_by_key(|r| r.start_line);
    out
}

fn push(out: &mut Vec<FoldingRange>, start: u32, end: u32, kind: Option<FoldingRangeKind>) {
    if end > start {
        out.push(FoldingRange {
            start_line: start,
            end_line: end.saturating_sub(u32::from(kind.is_none())),
            kind,
            ..FoldingRange::default()
        });
    }
}
