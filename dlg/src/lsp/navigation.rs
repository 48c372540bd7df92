//! Go to definition, find references and rename, for user functions (across the workspace)
//! and variables (within their function or the top level).

use std::collections::HashMap;

use lsp_types::{Location, TextEdit, Url, WorkspaceEdit};

use super::analysis::{Occurrence, Target};
use super::workspace::{Document, Workspace};
use deluge_lang::syntax::span::Span;

/// What a name refers to, identified across documents.
enum Symbol {
    /// A variable: the document, its scope and its name.
    Variable(Url, usize, String),
    /// A user function: its short name and namespace (lower case).
    Function(String, Option<String>),
}

fn symbol_at(
    workspace: &Workspace,
    uri: &Url,
    document: &Document,
    offset: usize,
) -> Option<Symbol> {
    let occurrence = document.analysis.occurrence_at(offset)?;
    match &occurrence.target {
        Target::Variable { scope, name, .. } => {
            Some(Symbol::Variable(uri.clone(), *scope, name.clone()))
        }
        Target::FunctionName(index) => {
            let f = document.analysis.functions.get(*index)?;
            Some(Symbol::Function(
                f.short_name().to_ascii_lowercase(),
                f.namespace(),
            ))
        }
        Target::Call(path) => {
            let found = workspace.functions_called(path);
            let f = found.first()?.function;
            Some(Symbol::Function(
                f.short_name().to_ascii_lowercase(),
                f.namespace(),
            ))
        }
        Target::Method { .. } => None,
    }
}

/// Where the name at `offset` is defined.
pub fn definition(workspace: &Workspace, uri: &Url, offset: usize) -> Vec<Location> {
    let Some(document) = workspace.document(uri) else {
        return Vec::new();
    };
    match symbol_at(workspace, uri, document, offset) {
        Some(Symbol::Variable(_, scope, name)) => document
            .analysis
            .occurrences
            .iter()
            .find(|o| is_variable(o, scope, &name, true))
            .map(|o| vec![location(uri, document, o.span)])
            .unwrap_or_default(),
        Some(Symbol::Function(name, namespace)) => workspace
            .functions()
            .filter(|f| same_function(f.function, &name, &namespace))
            .map(|f| location(f.uri, f.document, f.function.name_span))
            .collect(),
        None => Vec::new(),
    }
}

/// Every place the name at `offset` appears (its definitions when `declarations`).
pub fn references(
    workspace: &Workspace,
    uri: &Url,
    offset: usize,
    declarations: bool,
) -> Vec<Location> {
    spans(workspace, uri, offset, declarations)
        .into_iter()
        .filter_map(|(uri, span)| {
            let document = workspace.document(&uri)?;
            Some(location(&uri, document, span))
        })
        .collect()
}

/// The edits renaming the name at `offset` to `new_name` everywhere it appears.
pub fn rename(
    workspace: &Workspace,
    uri: &Url,
    offset: usize,
    new_name: &str,
) -> Result<WorkspaceEdit, String> {
    if !is_identifier(new_name) {
        return Err(format!(
            "`{new_name}` is not a valid name: use letters, digits and _ (not starting with a digit)"
        ));
    }
    let found = spans(workspace, uri, offset, true);
    if found.is_empty() {
        return Err(
            "nothing to rename here: put the cursor on a variable or a user function".into(),
        );
    }
    let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
    for (uri, span) in found {
        let Some(document) = workspace.document(&uri) else {
            continue;
        };
        let range = document
            .index
            .range(&document.text, span.start as usize, span.end as usize);
        changes
            .entry(uri)
            .or_default()
            .push(TextEdit::new(range, new_name.to_owned()));
    }
    Ok(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    })
}

fn spans(workspace: &Workspace, uri: &Url, offset: usize, declarations: bool) -> Vec<(Url, Span)> {
    let Some(document) = workspace.document(uri) else {
        return Vec::new();
    };
    match symbol_at(workspace, uri, document, offset) {
        Some(Symbol::Variable(uri, scope, name)) => document
            .analysis
            .occurrences
            .iter()
            .filter(|o| is_variable(o, scope, &name, false))
            .filter(|o| declarations || !matches!(o.target, Target::Variable { def: true, .. }))
            .map(|o| (uri.clone(), o.span))
            .collect(),
        Some(Symbol::Function(name, namespace)) => {
            function_spans(workspace, &name, &namespace, declarations)
        }
        None => Vec::new(),
    }
}

fn function_spans(
    workspace: &Workspace,
    name: &str,
    namespace: &Option<String>,
    declarations: bool,
) -> Vec<(Url, Span)> {
    let mut out = Vec::new();
    for (uri, document) in workspace.documents() {
        for occurrence in &document.analysis.occurrences {
            let hit = match &occurrence.target {
                Target::FunctionName(index) => {
                    declarations
                        && document
                            .analysis
                            .functions
                            .get(*index)
                            .is_some_and(|f| same_function(f, name, namespace))
                }
                Target::Call(path) => workspace
                    .functions_called(path)
                    .first()
                    .is_some_and(|f| same_function(f.function, name, namespace)),
                _ => false,
            };
            if hit {
                out.push((uri.clone(), occurrence.span));
            }
        }
    }
    out
}

fn same_function(
    function: &super::analysis::FunctionInfo,
    name: &str,
    namespace: &Option<String>,
) -> bool {
    function.short_name().eq_ignore_ascii_case(name) && function.namespace() == *namespace
}

fn is_variable(occurrence: &Occurrence, scope: usize, name: &str, def_only: bool) -> bool {
    matches!(&occurrence.target, Target::Variable { scope: s, name: n, def, .. }
        if *s == scope && n == name && (*def || !def_only))
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn location(uri: &Url, document: &Document, span: Span) -> Location {
    let range = document
        .index
        .range(&document.text, span.start as usize, span.end as usize);
    Location::new(uri.clone(), range)
}
