//! Signature help: the parameters of the call the cursor is in, the current one highlighted.

use lsp_types::{ParameterInformation, ParameterLabel, SignatureHelp, SignatureInformation};

use super::catalog::{builtin_signature, builtins_for, parameters_of, zoho_task};
use super::hover::function_markdown;
use super::workspace::{Document, Workspace};
use deluge_lang::stdlib::builtins_named;
use deluge_lang::syntax::lexer::lex;
use deluge_lang::syntax::token::Token;

/// The call around byte `offset`: its callee path and the index of the argument at the cursor.
pub struct CallSite {
    /// The callee as written: `["m", "put"]`, `["zoho", "crm", "getRecordById"]`.
    pub path: Vec<String>,
    /// True when the callee follows an expression that is not a name (`f().get(`).
    pub on_expression: bool,
    /// 0-based index of the argument at the cursor.
    pub argument: u32,
}

/// Finds the innermost unclosed `(` before `offset` and the callee in front of it.
pub fn call_site(text: &str, offset: usize) -> Option<CallSite> {
    let cut = text.get(..offset)?;
    let lexed = lex(cut);
    let tokens: Vec<Token> = lexed.tokens.iter().map(|(t, _)| *t).collect();
    let mut open: Vec<(usize, u32)> = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::LParen | Token::LBracket | Token::LBrace => open.push((i, 0)),
            Token::RParen | Token::RBracket | Token::RBrace => {
                open.pop();
            }
            Token::Comma => {
                if let Some(last) = open.last_mut() {
                    last.1 += 1;
                }
            }
            _ => {}
        }
    }
    let &(paren, argument) = open.last()?;
    if tokens[paren] != Token::LParen {
        return None;
    }
    let mut path = Vec::new();
    let mut i = paren;
    while i > 0 {
        let Token::Word(word) = tokens[i - 1] else {
            break;
        };
        path.insert(0, word.text.to_owned());
        if i >= 2 && tokens[i - 2] == Token::Dot {
            i -= 2;
        } else {
            i -= 1;
            break;
        }
    }
    let on_expression = i > 0 && tokens.get(i.saturating_sub(1)) == Some(&Token::Dot);
    (!path.is_empty()).then_some(CallSite {
        path,
        on_expression,
        argument,
    })
}

/// Signature help at byte `offset` of `document`.
pub fn signature_help(
    document: &Document,
    workspace: &Workspace,
    offset: usize,
) -> Option<SignatureHelp> {
    let site = call_site(&document.text, offset)?;
    let signatures = signatures(document, workspace, offset, &site);
    (!signatures.is_empty()).then_some(SignatureHelp {
        signatures,
        active_signature: Some(0),
        active_parameter: Some(site.argument),
    })
}

fn signatures(
    document: &Document,
    workspace: &Workspace,
    offset: usize,
    site: &CallSite,
) -> Vec<SignatureInformation> {
    let last = site.path.last().map_or("", String::as_str);
    let scope = document.analysis.scope_at(offset);
    let variables = document.analysis.variables_in(scope, offset);
    let receiver = match site.path.first() {
        Some(head) if site.path.len() > 1 => variables.iter().find(|(n, _)| n == head),
        _ => None,
    };
    if site.on_expression || receiver.is_some() {
        let ty = receiver.and_then(|(_, t)| *t);
        return builtins_for(last, ty)
            .iter()
            .map(|b| information(builtin_signature(b), Some(b.summary.to_owned())))
            .collect();
    }
    let users = workspace.functions_called(&site.path);
    if !users.is_empty() {
        return users
            .iter()
            .map(|f| information(f.function.signature(), Some(function_markdown(f.function))))
            .collect();
    }
    let full = site.path.join(".");
    if let Some((_, signature)) = zoho_task(&full) {
        return vec![information(signature.clone(), None)];
    }
    builtins_named(&full)
        .iter()
        .map(|b| information(builtin_signature(b), Some(b.summary.to_owned())))
        .collect()
}

fn information(label: String, doc: Option<String>) -> SignatureInformation {
    let parameters = parameters_of(&label)
        .into_iter()
        .map(|p| ParameterInformation {
            label: ParameterLabel::Simple(p),
            documentation: None,
        })
        .collect();
    SignatureInformation {
        label,
        documentation: doc.map(lsp_types::Documentation::String),
        parameters: Some(parameters),
        active_parameter: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_call_site_names_the_callee_and_the_argument() {
        let site = call_site("x = zoho.crm.getRecordById(\"Leads\", ", 36);
        let site = site.map(|s| (s.path.join("."), s.argument));
        assert_eq!(site, Some(("zoho.crm.getRecordById".to_owned(), 1)));
        assert!(call_site("f(a);", 5).is_none());
    }
}
