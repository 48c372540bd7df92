//! Hover: what the name under the cursor is (variable with its type, user function with its
//! signature and comment, built-in with its documentation, Zoho task with its signature).

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::analysis::{FunctionInfo, Target};
use super::catalog::{builtin_markdown, builtins_for, zoho_task};
use super::workspace::{Document, Workspace};
use deluge_lang::stdlib::builtins_named;

/// The hover for byte `offset` of `document`, `None` when there is nothing to say.
pub fn hover(document: &Document, workspace: &Workspace, offset: usize) -> Option<Hover> {
    let occurrence = document.analysis.occurrence_at(offset)?;
    let text = match &occurrence.target {
        Target::Variable {
            name, param, ty, ..
        } => {
            let what = if *param { "parameter" } else { "variable" };
            let ty = ty.map_or("type not known here", |t| t.name());
            format!("```deluge\n{name}: {ty}\n```\n({what})")
        }
        Target::FunctionName(index) => function_markdown(document.analysis.functions.get(*index)?),
        Target::Call(path) => call_markdown(workspace, path)?,
        Target::Method { name, receiver } => {
            let entries = builtins_for(name, *receiver);
            if entries.is_empty() {
                return None;
            }
            join(entries.iter().map(|b| builtin_markdown(b)))
        }
    };
    let range = document.index.range(
        &document.text,
        occurrence.full_span.start as usize,
        occurrence.full_span.end as usize,
    );
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(range),
    })
}

/// A user function's signature and leading comment, as Markdown.
pub fn function_markdown(function: &FunctionInfo) -> String {
    let doc = function.doc.as_deref().unwrap_or("");
    format!("```deluge\n{}\n```\n{doc}", function.signature())
        .trim_end()
        .to_owned()
}

fn call_markdown(workspace: &Workspace, path: &[String]) -> Option<String> {
    let users = workspace.functions_called(path);
    if !users.is_empty() {
        return Some(join(users.iter().map(|found| {
            let file = found
                .uri
                .path_segments()
                .and_then(|mut s| s.next_back())
                .unwrap_or("");
            format!(
                "{}\n\n*defined in {file}*",
                function_markdown(found.function)
            )
        })));
    }
    let full = path.join(".");
    if let Some((_, signature)) = zoho_task(&full) {
        return Some(format!(
            "```deluge\n{signature}\n```\nZoho integration task"
        ));
    }
    let entries = builtins_named(&full);
    (!entries.is_empty()).then(|| join(entries.iter().map(|b| builtin_markdown(b))))
}

fn join(parts: impl Iterator<Item = String>) -> String {
    parts.collect::<Vec<_>>().join("\n\n---\n\n")
}
