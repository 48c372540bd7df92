//! Document symbols (functions with their variables, top-level variables) and workspace
//! symbols (every user function of the workspace).

use lsp_types::{DocumentSymbol, Location, OneOf, SymbolKind, WorkspaceSymbol};

use super::analysis::Target;
use super::workspace::{Document, Workspace};
use deluge_lang::syntax::span::Span;

/// The outline of `document`.
pub fn document_symbols(document: &Document) -> Vec<DocumentSymbol> {
    let mut out = variables(document, 0);
    for (index, function) in document.analysis.functions.iter().enumerate() {
        out.push(symbol(
            document,
            function.name.clone(),
            Some(function.signature()),
            SymbolKind::FUNCTION,
            function.span,
            function.name_span,
            Some(variables(document, index + 1)),
        ));
    }
    out
}

fn variables(document: &Document, scope: usize) -> Vec<DocumentSymbol> {
    let mut out: Vec<DocumentSymbol> = Vec::new();
    for occurrence in &document.analysis.occurrences {
        let Target::Variable {
            scope: s,
            name,
            def: true,
            ty,
            ..
        } = &occurrence.target
        else {
            continue;
        };
        if *s != scope || out.iter().any(|d| d.name == *name) {
            continue;
        }
        let detail = ty.map(|t| t.name().to_owned());
        let (span, kind) = (occurrence.span, SymbolKind::VARIABLE);
        out.push(symbol(
            document,
            name.clone(),
            detail,
            kind,
            span,
            span,
            None,
        ));
    }
    out
}

#[allow(deprecated)]
fn symbol(
    document: &Document,
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    span: Span,
    selection: Span,
    children: Option<Vec<DocumentSymbol>>,
) -> DocumentSymbol {
    let range = |s: Span| {
        document
            .index
            .range(&document.text, s.start as usize, s.end as usize)
    };
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: range(span),
        selection_range: range(selection),
        children,
    }
}

/// The workspace's functions whose name contains `query` (ignoring case).
pub fn workspace_symbols(workspace: &Workspace, query: &str) -> Vec<WorkspaceSymbol> {
    let query = query.to_ascii_lowercase();
    workspace
        .functions()
        .filter(|f| f.function.name.to_ascii_lowercase().contains(&query))
        .map(|f| {
            let span = f.function.name_span;
            let range =
                f.document
                    .index
                    .range(&f.document.text, span.start as usize, span.end as usize);
            WorkspaceSymbol {
                name: f.function.name.clone(),
                kind: SymbolKind::FUNCTION,
                tags: None,
                container_name: None,
                location: OneOf::Left(Location::new(f.uri.clone(), range)),
                data: None,
            }
        })
        .collect()
}
