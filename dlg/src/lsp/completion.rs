//! Completion: keywords, built-ins, methods for the receiver's type, variables in scope, the
//! workspace's functions (also as `standalone.`/`thisapp.` calls), task keys and connection
//! link names.

use lsp_types::{CompletionItem, CompletionItemKind, Documentation};

use super::catalog::{
    builtin_signature, invokeurl_keys, methods_for, plain_functions, zoho_tasks, KEYWORDS,
    SENDMAIL_KEYS,
};
use super::comments::comments;
use super::hover::function_markdown;
use super::workspace::{Document, Workspace};
use deluge_lang::eval::value::ValueType;
use deluge_lang::stdlib::all_builtins;
use deluge_lang::syntax::lexer::lex;
use deluge_lang::syntax::token::Token;

/// The completion items at byte `offset` of `document`.
pub fn completion(
    document: &Document,
    workspace: &Workspace,
    offset: usize,
) -> Vec<CompletionItem> {
    let text = document.text.get(..offset).unwrap_or("");
    if let Some(task) = enclosing_task(text) {
        return task_items(task, text, workspace);
    }
    if in_string_or_comment(text) {
        return Vec::new();
    }
    match receiver_before(text) {
        Some(receiver) => member_items(document, workspace, offset, &receiver),
        None => general_items(document, workspace, offset),
    }
}

/// Which bracket task the cursor is inside.
#[derive(Clone, Copy, Debug, PartialEq)]
enum TaskBlock {
    InvokeUrl,
    SendMail,
}

fn enclosing_task(text: &str) -> Option<TaskBlock> {
    let lexed = lex(text);
    let mut stack: Vec<Option<TaskBlock>> = Vec::new();
    let mut previous: Option<Token> = None;
    for (token, _) in &lexed.tokens {
        match token {
            Token::LBracket => stack.push(match previous {
                Some(Token::InvokeUrl) => Some(TaskBlock::InvokeUrl),
                Some(Token::SendMail) => Some(TaskBlock::SendMail),
                _ => None,
            }),
            Token::LParen | Token::LBrace => stack.push(None),
            Token::RBracket | Token::RParen | Token::RBrace => {
                stack.pop();
            }
            _ => {}
        }
        previous = Some(*token);
    }
    stack.last().copied().flatten()
}

fn task_items(task: TaskBlock, text: &str, workspace: &Workspace) -> Vec<CompletionItem> {
    let line = text.rsplit(['\n', '[', ',']).next().unwrap_or("");
    if let Some((key, _)) = line.split_once(':') {
        if key.trim().eq_ignore_ascii_case("connection") {
            return workspace
                .connection_names()
                .into_iter()
                .map(|name| item(name, CompletionItemKind::VALUE, "connection", None))
                .collect();
        }
        return Vec::new();
    }
    let keys: &[&str] = match task {
        TaskBlock::InvokeUrl => invokeurl_keys(),
        TaskBlock::SendMail => SENDMAIL_KEYS,
    };
    let what = match task {
        TaskBlock::InvokeUrl => "invokeurl key",
        TaskBlock::SendMail => "sendmail key",
    };
    keys.iter()
        .map(|key| {
            let mut it = item(key.to_string(), CompletionItemKind::PROPERTY, what, None);
            it.insert_text = Some(format!("{key}: "));
            it
        })
        .collect()
}

fn in_string_or_comment(text: &str) -> bool {
    let line = text.rsplit('\n').next().unwrap_or("");
    if comments(line)
        .last()
        .is_some_and(|&(_, end, _)| end == line.len())
    {
        return true;
    }
    matches!(
        lex(line).tokens.last(),
        Some((Token::Error(_) | Token::UnclosedString, _))
    )
}

/// The dotted receiver before a trailing `.` and partial name: `m.` -> `m`, `zoho.cr` -> `zoho`,
/// `"a".` -> `"`.
fn receiver_before(text: &str) -> Option<String> {
    let partial = text.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    let before = partial.strip_suffix('.')?;
    let start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .map_or(0, |i| i + 1);
    let receiver = &before[start..];
    if receiver.is_empty() {
        return Some(before.chars().last().map_or(String::new(), String::from));
    }
    Some(receiver.to_owned())
}

fn member_items(
    document: &Document,
    workspace: &Workspace,
    offset: usize,
    receiver: &str,
) -> Vec<CompletionItem> {
    let path: Vec<&str> = receiver.split('.').collect();
    let head = path[0].to_ascii_lowercase();
    if path.len() == 1 && (head == "standalone" || head == "thisapp") {
        return workspace
            .functions()
            .map(|f| function_item(f.function.name.clone(), f.function))
            .collect();
    }
    if head == "zoho" {
        return zoho_items(receiver);
    }
    let namespace = receiver.to_ascii_lowercase();
    let in_namespace: Vec<CompletionItem> = workspace
        .functions()
        .filter(|f| f.function.namespace().as_deref() == Some(namespace.as_str()))
        .map(|f| function_item(f.function.short_name().to_owned(), f.function))
        .collect();
    if !in_namespace.is_empty() {
        return in_namespace;
    }
    let ty = receiver_type(document, offset, &path);
    methods_for(ty)
        .into_iter()
        .map(|b| {
            let doc = Some(b.summary.to_owned());
            item(
                b.name.to_owned(),
                CompletionItemKind::METHOD,
                &builtin_signature(b),
                doc,
            )
        })
        .collect()
}

fn receiver_type(document: &Document, offset: usize, path: &[&str]) -> Option<ValueType> {
    match path {
        ["\""] => Some(ValueType::Text),
        [name] => {
            let scope = document.analysis.scope_at(offset);
            document
                .analysis
                .variables_in(scope, offset)
                .into_iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, t)| t)
        }
        _ => None,
    }
}

fn zoho_items(receiver: &str) -> Vec<CompletionItem> {
    let prefix = format!("{}.", receiver.to_ascii_lowercase());
    let mut names: Vec<(String, String, CompletionItemKind)> = Vec::new();
    let mut add = |full: &str, detail: String, kind| {
        let Some(rest) = full
            .to_ascii_lowercase()
            .strip_prefix(&prefix)
            .map(str::len)
        else {
            return;
        };
        let rest = &full[full.len() - rest..];
        let (next, kind) = match rest.split_once('.') {
            Some((segment, _)) => (segment.to_owned(), CompletionItemKind::MODULE),
            None => (rest.to_owned(), kind),
        };
        if !names.iter().any(|(n, _, _)| *n == next) {
            names.push((next, detail, kind));
        }
    };
    for (full, signature) in zoho_tasks() {
        add(full, signature.clone(), CompletionItemKind::FUNCTION);
    }
    for builtin in all_builtins().filter(|b| b.name.contains('.')) {
        add(
            builtin.name,
            builtin_signature(builtin),
            CompletionItemKind::FUNCTION,
        );
    }
    for system in [
        "zoho.currentdate",
        "zoho.currenttime",
        "zoho.loginuser",
        "zoho.loginuserid",
        "zoho.adminuser",
        "zoho.adminuserid",
    ] {
        add(
            system,
            "system value".to_owned(),
            CompletionItemKind::CONSTANT,
        );
    }
    names
        .into_iter()
        .map(|(name, detail, kind)| item(name, kind, &detail, None))
        .collect()
}

fn general_items(document: &Document, workspace: &Workspace, offset: usize) -> Vec<CompletionItem> {
    let mut items: Vec<CompletionItem> = KEYWORDS
        .iter()
        .map(|k| item(k.to_string(), CompletionItemKind::KEYWORD, "keyword", None))
        .collect();
    for builtin in plain_functions().filter(|b| !b.name.contains('.')) {
        if !items
            .iter()
            .any(|i| i.label.eq_ignore_ascii_case(builtin.name))
        {
            let doc = Some(builtin.summary.to_owned());
            let detail = builtin_signature(builtin);
            items.push(item(
                builtin.name.to_owned(),
                CompletionItemKind::FUNCTION,
                &detail,
                doc,
            ));
        }
    }
    let scope = document.analysis.scope_at(offset);
    for (name, ty) in document.analysis.variables_in(scope, offset) {
        let detail = ty.map_or("variable", |t| t.name());
        items.push(item(name, CompletionItemKind::VARIABLE, detail, None));
    }
    for found in workspace.functions() {
        let function = found.function;
        items.push(function_item(function.name.clone(), function));
        for prefix in ["standalone", "thisapp"] {
            items.push(function_item(
                format!("{prefix}.{}", function.name),
                function,
            ));
        }
    }
    for namespace in ["zoho", "standalone", "thisapp", "input"] {
        items.push(item(
            namespace.to_owned(),
            CompletionItemKind::MODULE,
            "namespace",
            None,
        ));
    }
    items
}

fn function_item(label: String, function: &super::analysis::FunctionInfo) -> CompletionItem {
    let doc = Some(function_markdown(function));
    item(
        label,
        CompletionItemKind::FUNCTION,
        &function.signature(),
        doc,
    )
}

fn item(
    label: String,
    kind: CompletionItemKind,
    detail: &str,
    doc: Option<String>,
) -> CompletionItem {
    CompletionItem {
        label,
        kind: Some(kind),
        detail: Some(detail.to_owned()),
        documentation: doc.map(Documentation::String),
        ..CompletionItem::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_receiver_and_task_block_are_found() {
        assert_eq!(receiver_before("x = m.pu").as_deref(), Some("m"));
        assert_eq!(
            receiver_before("x = zoho.crm.").as_deref(),
            Some("zoho.crm")
        );
        assert_eq!(receiver_before("x = \"a\".").as_deref(), Some("\""));
        assert_eq!(receiver_before("x = m"), None);
        assert_eq!(
            enclosing_task("r = invokeurl [\n url: u\n"),
            Some(TaskBlock::InvokeUrl)
        );
        assert_eq!(enclosing_task("r = invokeurl [ url: u ];"), None);
        assert!(in_string_or_comment("x = 1; // note"));
        assert!(in_string_or_comment("x = \"abc"));
        assert!(!in_string_or_comment("u = \"https://a.b\"; x = m"));
    }
}
