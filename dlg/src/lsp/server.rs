//! The message loop: the handshake, then each request and notification handed to its feature.

use std::path::PathBuf;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    Completion, DocumentSymbolRequest, FoldingRangeRequest, Formatting, GotoDefinition,
    HoverRequest, RangeFormatting, References, Rename, Request as _, SemanticTokensFullRequest,
    SignatureHelpRequest, WorkspaceSymbolRequest,
};
use lsp_types::{
    CompletionOptions, CompletionResponse, DocumentSymbolResponse, GotoDefinitionResponse,
    InitializeParams, OneOf, Position, PublishDiagnosticsParams, SemanticTokensFullOptions,
    SemanticTokensOptions, SemanticTokensResult, SemanticTokensServerCapabilities,
    ServerCapabilities, SignatureHelpOptions, TextDocumentPositionParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, Url, WorkspaceSymbolResponse,
};
use serde_json::Value;

use super::workspace::Workspace;
use super::{
    completion, diagnostics, folding, formatting, hover, navigation, semantic, signature, symbols,
};

/// What the server can do, as sent in the `initialize` reply.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(true.into()),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into(), "[".into(), ":".into()]),
            ..CompletionOptions::default()
        }),
        signature_help_provider: Some(SignatureHelpOptions {
            trigger_characters: Some(vec!["(".into(), ",".into()]),
            ..SignatureHelpOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(true.into()),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: semantic::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                ..SemanticTokensOptions::default()
            },
        )),
        ..ServerCapabilities::default()
    }
}

/// Runs the server on standard input and output until the client says `exit`.
pub fn run_stdio() -> Result<(), String> {
    let (connection, io_threads) = Connection::stdio();
    let caps = serde_json::to_value(capabilities()).map_err(|e| e.to_string())?;
    let params = connection
        .initialize(caps)
        .map_err(|e| format!("lsp: the initialize handshake failed: {e}"))?;
    let params: InitializeParams = serde_json::from_value(params)
        .map_err(|e| format!("lsp: the initialize parameters are not valid: {e}"))?;
    let mut server = Server {
        workspace: Workspace::new(workspace_root(&params)),
        connection: &connection,
    };
    server.main_loop()?;
    drop(connection);
    io_threads
        .join()
        .map_err(|e| format!("lsp: the stdio threads failed: {e}"))
}

#[allow(deprecated)]
fn workspace_root(params: &InitializeParams) -> Option<PathBuf> {
    let folder = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|f| f.uri.clone())
        .or_else(|| params.root_uri.clone())?;
    folder.to_file_path().ok()
}

struct Server<'c> {
    workspace: Workspace,
    connection: &'c Connection,
}

impl Server<'_> {
    fn main_loop(&mut self) -> Result<(), String> {
        for message in &self.connection.receiver {
            match message {
                Message::Request(request) => {
                    let shutdown = self
                        .connection
                        .handle_shutdown(&request)
                        .map_err(|e| format!("lsp: shutdown failed: {e}"))?;
                    if shutdown {
                        return Ok(());
                    }
                    let response = self.request(request);
                    self.send(Message::Response(response));
                }
                Message::Notification(notification) => self.notification(notification),
                Message::Response(_) => {}
            }
        }
        Ok(())
    }

    fn send(&self, message: Message) {
        let _ = self.connection.sender.send(message);
    }

    fn request(&mut self, request: Request) -> Response {
        let Request { id, method, params } = request;
        let result = self.answer(&method, params);
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        }
    }

    fn answer(&mut self, method: &str, params: Value) -> Result<Value, (ErrorCode, String)> {
        let ws = &self.workspace;
        match method {
            HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = parse(params)?;
                let (document, offset) = self.at(&p.text_document_position_params)?;
                to_json(hover::hover(document, ws, offset))
            }
            Completion::METHOD => {
                let p: lsp_types::CompletionParams = parse(params)?;
                let (document, offset) = self.at(&p.text_document_position)?;
                let items = completion::completion(document, ws, offset);
                to_json(CompletionResponse::Array(items))
            }
            SignatureHelpRequest::METHOD => {
                let p: lsp_types::SignatureHelpParams = parse(params)?;
                let (document, offset) = self.at(&p.text_document_position_params)?;
                to_json(signature::signature_help(document, ws, offset))
            }
            GotoDefinition::METHOD => {
                let p: lsp_types::GotoDefinitionParams = parse(params)?;
                let position = &p.text_document_position_params;
                let (_, offset) = self.at(position)?;
                let found = navigation::definition(ws, &position.text_document.uri, offset);
                to_json(GotoDefinitionResponse::Array(found))
            }
            References::METHOD => {
                let p: lsp_types::ReferenceParams = parse(params)?;
                let position = &p.text_document_position;
                let (_, offset) = self.at(position)?;
                let uri = &position.text_document.uri;
                let declarations = p.context.include_declaration;
                to_json(navigation::references(ws, uri, offset, declarations))
            }
            Rename::METHOD => {
                let p: lsp_types::RenameParams = parse(params)?;
                let position = &p.text_document_position;
                let (_, offset) = self.at(position)?;
                let uri = &position.text_document.uri;
                navigation::rename(ws, uri, offset, &p.new_name)
                    .map_err(|message| (ErrorCode::InvalidParams, message))
                    .and_then(to_json)
            }
            DocumentSymbolRequest::METHOD => {
                let p: lsp_types::DocumentSymbolParams = parse(params)?;
                let document = self.document(&p.text_document.uri)?;
                let found = symbols::document_symbols(document);
                to_json(DocumentSymbolResponse::Nested(found))
            }
            WorkspaceSymbolRequest::METHOD => {
                let p: lsp_types::WorkspaceSymbolParams = parse(params)?;
                let found = symbols::workspace_symbols(ws, &p.query);
                to_json(WorkspaceSymbolResponse::Nested(found))
            }
            FoldingRangeRequest::METHOD => {
                let p: lsp_types::FoldingRangeParams = parse(params)?;
                to_json(folding::folding_ranges(
                    self.document(&p.text_document.uri)?,
                ))
            }
            SemanticTokensFullRequest::METHOD => {
                let p: lsp_types::SemanticTokensParams = parse(params)?;
                let document = self.document(&p.text_document.uri)?;
                let tokens = semantic::semantic_tokens(document, ws);
                to_json(SemanticTokensResult::Tokens(tokens))
            }
            Formatting::METHOD => {
                let p: lsp_types::DocumentFormattingParams = parse(params)?;
                let document = self.document(&p.text_document.uri)?;
                let formatted = formatting::format_document(&document.text)
                    .map_err(|message| (ErrorCode::RequestFailed, message))?;
                to_json(formatting::edits(&document.text, &formatted))
            }
            RangeFormatting::METHOD => {
                let p: lsp_types::DocumentRangeFormattingParams = parse(params)?;
                let document = self.document(&p.text_document.uri)?;
                let (start, end) = (p.range.start.line, p.range.end.line);
                let formatted =
                    formatting::format_range(&document.text, start as usize, end as usize)
                        .map_err(|message| (ErrorCode::RequestFailed, message))?;
                to_json(formatting::edits(&document.text, &formatted))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("dlg lsp does not implement `{other}`"),
            )),
        }
    }

    fn document(&self, uri: &Url) -> Result<&super::workspace::Document, (ErrorCode, String)> {
        self.workspace.document(uri).ok_or_else(|| {
            (
                ErrorCode::InvalidParams,
                format!("{uri} is not open and not a Deluge source of the workspace"),
            )
        })
    }

    fn at(
        &self,
        position: &TextDocumentPositionParams,
    ) -> Result<(&super::workspace::Document, usize), (ErrorCode, String)> {
        let document = self.document(&position.text_document.uri)?;
        Ok((document, offset(document, position.position)))
    }

    fn notification(&mut self, notification: Notification) {
        let Notification { method, params } = notification;
        match method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) = parse::<lsp_types::DidOpenTextDocumentParams>(params) {
                    let uri = p.text_document.uri;
                    self.workspace.open(uri.clone(), p.text_document.text);
                    self.publish(&uri, Some(p.text_document.version));
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) = parse::<lsp_types::DidChangeTextDocumentParams>(params) {
                    let uri = p.text_document.uri;
                    if self.workspace.change(&uri, p.content_changes) {
                        self.publish(&uri, Some(p.text_document.version));
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = parse::<lsp_types::DidCloseTextDocumentParams>(params) {
                    self.workspace.close(&p.text_document.uri);
                    self.clear(p.text_document.uri);
                }
            }
            DidSaveTextDocument::METHOD => {}
            DidChangeWatchedFiles::METHOD => {
                if let Ok(p) = parse::<lsp_types::DidChangeWatchedFilesParams>(params) {
                    for change in p.changes {
                        self.workspace.reload(&change.uri);
                    }
                }
            }
            _ => {}
        }
    }

    fn publish(&self, uri: &Url, version: Option<i32>) {
        let Some(document) = self.workspace.document(uri) else {
            return;
        };
        let diagnostics = diagnostics::diagnostics(document, &self.workspace);
        self.notify(PublishDiagnosticsParams::new(
            uri.clone(),
            diagnostics,
            version,
        ));
    }

    fn clear(&self, uri: Url) {
        self.notify(PublishDiagnosticsParams::new(uri, Vec::new(), None));
    }

    fn notify(&self, params: PublishDiagnosticsParams) {
        let notification = Notification::new(PublishDiagnostics::METHOD.to_owned(), params);
        self.send(Message::Notification(notification));
    }
}

fn offset(document: &super::workspace::Document, position: Position) -> usize {
    document.index.offset(&document.text, position)
}

fn parse<T: serde::de::DeserializeOwned>(params: Value) -> Result<T, (ErrorCode, String)> {
    serde_json::from_value(params)
        .map_err(|e| (ErrorCode::InvalidParams, format!("invalid parameters: {e}")))
}

fn to_json<T: serde::Serialize>(value: T) -> Result<Value, (ErrorCode, String)> {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}
