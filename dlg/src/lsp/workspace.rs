//! The documents the server knows: every Deluge source of the workspace folder (as the
//! project's source selection picks them) and the editor's open documents over them.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lsp_types::{TextDocumentContentChangeEvent, Url};

use super::analysis::{Analysis, FunctionInfo};
use super::line_index::LineIndex;

/// One document: its text, line index and analysis.
#[derive(Debug)]
pub struct Document {
    /// The current text.
    pub text: String,
    /// Its line starts.
    pub index: LineIndex,
    /// What the analysis found.
    pub analysis: Analysis,
    /// True while the editor has it open (its text then comes from the editor, not the disk).
    pub open: bool,
}

impl Document {
    /// A document for `text`, analysed.
    pub fn new(text: String, open: bool) -> Document {
        Document {
            index: LineIndex::new(&text),
            analysis: Analysis::new(&text),
            text,
            open,
        }
    }

    /// Applies the editor's changes in order (ranged or whole-text) and analyses again.
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = self.index.offset(&self.text, range.start);
                    let end = self.index.offset(&self.text, range.end).max(start);
                    self.text.replace_range(start..end, &change.text);
                }
                None => self.text = change.text,
            }
            self.index = LineIndex::new(&self.text);
        }
        self.analysis = Analysis::new(&self.text);
    }
}

/// A user function found in the workspace.
pub struct FoundFunction<'a> {
    /// The document defining it.
    pub uri: &'a Url,
    /// That document.
    pub document: &'a Document,
    /// The function.
    pub function: &'a FunctionInfo,
}

/// Every known document, by URI.
#[derive(Debug, Default)]
pub struct Workspace {
    root: Option<PathBuf>,
    documents: BTreeMap<Url, Document>,
    connection_names: RefCell<Option<(Instant, Vec<String>)>>,
}

/// How long the store's connection names are reused before the store is read again (the lints
/// ask on every keystroke).
const CONNECTION_NAMES_TTL: Duration = Duration::from_secs(5);

impl Workspace {
    /// A workspace over folder `root` (none for single files): reads its Deluge sources.
    pub fn new(root: Option<PathBuf>) -> Workspace {
        let mut workspace = Workspace {
            root,
            documents: BTreeMap::new(),
            connection_names: RefCell::new(None),
        };
        for path in workspace.source_files() {
            workspace.load_from_disk(&path);
        }
        workspace
    }

    /// The workspace folder, when there is one.
    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    fn source_files(&self) -> Vec<PathBuf> {
        let Some(root) = &self.root else {
            return Vec::new();
        };
        match deluge_lang::project::sources_at(root) {
            Ok(sources) => sources.walk(root).files,
            Err(_) => {
                deluge_lang::project::Sources::defaults(root)
                    .walk(root)
                    .files
            }
        }
    }

    fn load_from_disk(&mut self, path: &Path) {
        let (Ok(text), Ok(uri)) = (std::fs::read_to_string(path), Url::from_file_path(path)) else {
            return;
        };
        self.documents.insert(uri, Document::new(text, false));
    }

    /// The editor opened `uri` with `text`.
    pub fn open(&mut self, uri: Url, text: String) {
        self.documents.insert(uri, Document::new(text, true));
    }

    /// The editor changed `uri`; false when the document is not open.
    pub fn change(&mut self, uri: &Url, changes: Vec<TextDocumentContentChangeEvent>) -> bool {
        match self.documents.get_mut(uri) {
            Some(document) => {
                document.apply(changes);
                true
            }
            None => false,
        }
    }

    /// The editor closed `uri`: its text comes from the disk again (or it is forgotten).
    pub fn close(&mut self, uri: &Url) {
        self.documents.remove(uri);
        if let Ok(path) = uri.to_file_path() {
            if self.is_source(&path) {
                self.load_from_disk(&path);
            }
        }
    }

    /// A file was saved or changed on disk: read it again unless the editor has it open.
    pub fn reload(&mut self, uri: &Url) {
        if self.documents.get(uri).is_some_and(|d| d.open) {
            return;
        }
        self.close(uri);
    }

    fn is_source(&self, path: &Path) -> bool {
        let Some(root) = &self.root else {
            return false;
        };
        path.starts_with(root) && self.source_files().iter().any(|p| p == path)
    }

    /// The document at `uri`.
    pub fn document(&self, uri: &Url) -> Option<&Document> {
        self.documents.get(uri)
    }

    /// Every document with its URI.
    pub fn documents(&self) -> impl Iterator<Item = (&Url, &Document)> {
        self.documents.iter()
    }

    /// Every user function of the workspace.
    pub fn functions(&self) -> impl Iterator<Item = FoundFunction<'_>> {
        self.documents.iter().flat_map(|(uri, document)| {
            document
                .analysis
                .functions
                .iter()
                .map(move |function| FoundFunction {
                    uri,
                    document,
                    function,
                })
        })
    }

    /// The user functions a call written `path` may name (`f`, `ns.f`, `standalone.f`, ...).
    pub fn functions_called(&self, path: &[String]) -> Vec<FoundFunction<'_>> {
        self.functions()
            .filter(|found| found.function.is_called_by(path))
            .collect()
    }

    /// The link names of the connections in the store (names only; empty when the store
    /// cannot be read), read at most once per [`CONNECTION_NAMES_TTL`].
    pub fn connection_names(&self) -> Vec<String> {
        let mut cached = self.connection_names.borrow_mut();
        match &*cached {
            Some((read_at, names)) if read_at.elapsed() < CONNECTION_NAMES_TTL => names.clone(),
            _ => {
                let names = Self::read_connection_names();
                *cached = Some((Instant::now(), names.clone()));
                names
            }
        }
    }

    fn read_connection_names() -> Vec<String> {
        let Ok(store) = deluge_lang::connections::store::Store::open_default() else {
            return Vec::new();
        };
        match store.load() {
            Ok(snapshot) => snapshot
                .connections()
                .map(|c| c.link_name.clone())
                .collect(),
            Err(_) => Vec::new(),
        }
    }
}
