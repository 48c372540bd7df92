//! Semantic tokens: every token classified with what the analysis knows (variables,
//! parameters, user functions, built-ins, namespaces), plus keywords, literals and comments.

use std::collections::HashMap;

use lsp_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensLegend,
};

use super::analysis::{Occurrence, Target};
use super::comments::comments;
use super::workspace::{Document, Workspace};
use deluge_lang::stdlib::builtins_named;
use deluge_lang::syntax::lexer::lex;
use deluge_lang::syntax::token::{Soft, Token};

const KEYWORD: u32 = 0;
const STRING: u32 = 1;
const NUMBER: u32 = 2;
const COMMENT: u32 = 3;
const FUNCTION: u32 = 4;
const METHOD: u32 = 5;
const VARIABLE: u32 = 6;
const PARAMETER: u32 = 7;
const OPERATOR: u32 = 8;
const NAMESPACE: u32 = 9;
const TYPE: u32 = 10;
const PROPERTY: u32 = 11;

const DECLARATION: u32 = 1;
const DEFAULT_LIBRARY: u32 = 2;

/// The token types and modifiers, in the order the numbers above index them.
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: vec![
            SemanticTokenType::KEYWORD,
            SemanticTokenType::STRING,
            SemanticTokenType::NUMBER,
            SemanticTokenType::COMMENT,
            SemanticTokenType::FUNCTION,
            SemanticTokenType::METHOD,
            SemanticTokenType::VARIABLE,
            SemanticTokenType::PARAMETER,
            SemanticTokenType::OPERATOR,
            SemanticTokenType::NAMESPACE,
            SemanticTokenType::TYPE,
            SemanticTokenType::PROPERTY,
        ],
        token_modifiers: vec![
            SemanticTokenModifier::DECLARATION,
            SemanticTokenModifier::DEFAULT_LIBRARY,
        ],
    }
}

/// The semantic tokens of the whole of `document`.
pub fn semantic_tokens(document: &Document, workspace: &Workspace) -> SemanticTokens {
    let text = &document.text;
    let mut raw: Vec<(usize, usize, u32, u32)> = comments(text)
        .into_iter()
        .map(|(start, end, _)| (start, end, COMMENT, 0))
        .collect();
    let by_start: HashMap<u32, &Occurrence> = document
        .analysis
        .occurrences
        .iter()
        .map(|o| (o.span.start, o))
        .collect();
    let types: Vec<u32> = document
        .analysis
        .functions
        .iter()
        .flat_map(|f| f.type_spans.iter().map(|s| s.start))
        .collect();
    let lexed = lex(text);
    let mut previous: Option<Token> = None;
    for (token, span) in &lexed.tokens {
        let start = span.start as u32;
        let class = match token {
            Token::Word(_) if types.contains(&start) => Some((TYPE, 0)),
            Token::Word(word) => match by_start.get(&start) {
                Some(occurrence) => Some(classify(occurrence, workspace)),
                None => word_class(word.text, word.soft, previous),
            },
            other => token_class(other),
        };
        if let Some((kind, modifiers)) = class {
            raw.push((span.start, span.end, kind, modifiers));
        }
        previous = Some(*token);
    }
    call_namespaces(document, &mut raw);
    raw.sort_by_key(|r| r.0);
    SemanticTokens {
        result_id: None,
        data: encode(document, &raw),
    }
}

/// The segments before the callee of dotted calls (`standalone`, `zoho.crm`) are namespaces.
fn call_namespaces(document: &Document, raw: &mut Vec<(usize, usize, u32, u32)>) {
    for occurrence in &document.analysis.occurrences {
        if !matches!(occurrence.target, Target::Call(_)) {
            continue;
        }
        let (from, to) = (
            occurrence.full_span.start as usize,
            occurrence.span.start as usize,
        );
        let Some(prefix) = document.text.get(from..to) else {
            continue;
        };
        let mut at = from;
        for segment in prefix.split('.') {
            let name = segment.trim();
            if !name.is_empty() {
                let start = at + segment.find(name).unwrap_or(0);
                raw.retain(|r| r.0 != start);
                raw.push((start, start + name.len(), NAMESPACE, 0));
            }
            at += segment.len() + 1;
        }
    }
}

fn classify(occurrence: &Occurrence, workspace: &Workspace) -> (u32, u32) {
    match &occurrence.target {
        Target::Variable { def, param, .. } => {
            let kind = if *param { PARAMETER } else { VARIABLE };
            (kind, if *def { DECLARATION } else { 0 })
        }
        Target::FunctionName(_) => (FUNCTION, DECLARATION),
        Target::Call(path) => {
            if workspace.functions_called(path).is_empty() {
                (FUNCTION, DEFAULT_LIBRARY)
            } else {
                (FUNCTION, 0)
            }
        }
        Target::Method { name, .. } => {
            let library = if builtins_named(name).is_empty() {
                0
            } else {
                DEFAULT_LIBRARY
            };
            (METHOD, library)
        }
    }
}

fn word_class(text: &str, soft: Soft, previous: Option<Token>) -> Option<(u32, u32)> {
    if previous == Some(Token::Dot) {
        return Some((PROPERTY, 0));
    }
    let lower = text.to_ascii_lowercase();
    if matches!(lower.as_str(), "zoho" | "input" | "thisapp" | "standalone") {
        return Some((NAMESPACE, 0));
    }
    (soft != Soft::None).then_some((KEYWORD, 0))
}

fn token_class(token: &Token) -> Option<(u32, u32)> {
    let kind = match token {
        Token::Str(_) | Token::SingleQuoted(_) | Token::UnclosedString => STRING,
        Token::Int(_) | Token::Decimal(_) => NUMBER,
        Token::If
        | Token::Else
        | Token::For
        | Token::In
        | Token::Return
        | Token::Break
        | Token::Continue
        | Token::Try
        | Token::Catch
        | Token::True
        | Token::False
        | Token::Null
        | Token::InvokeUrl
        | Token::InvokeApi
        | Token::SendMail
        | Token::While
        | Token::Finally => KEYWORD,
        operator if operator.is_operator() => OPERATOR,
        _ => return None,
    };
    Some((kind, 0))
}

/// Encodes `(start, end, type, modifiers)` byte ranges as LSP's relative tokens, one per line
/// (multi-line comments are split).
fn encode(document: &Document, raw: &[(usize, usize, u32, u32)]) -> Vec<SemanticToken> {
    let text = &document.text;
    let mut out = Vec::with_capacity(raw.len());
    let (mut last_line, mut last_col) = (0u32, 0u32);
    for &(start, end, kind, modifiers) in raw {
        let mut piece_start = start;
        for piece in text.get(start..end).unwrap_or("").split('\n') {
            let piece_end = piece_start + piece.len();
            let position = document.index.position(text, piece_start);
            let length: usize = piece.chars().map(char::len_utf16).sum();
            if length > 0 {
                let delta_line = position.line.saturating_sub(last_line);
                let delta_start = if delta_line == 0 {
                    position.character.saturating_sub(last_col)
                } else {
                    position.character
                };
                out.push(SemanticToken {
                    delta_line,
                    delta_start,
                    length: length as u32,
                    token_type: kind,
                    token_modifiers_bitset: modifiers,
                });
                (last_line, last_col) = (position.line, position.character);
            }
            piece_start = piece_end + 1;
        }
    }
    out
}
