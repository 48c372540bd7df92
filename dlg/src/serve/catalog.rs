//! The served functions: the source files of the given paths (selected as `src/project` does,
//! test files left out), compiled together into one script, and looked up by name.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use deluge_lang::api::engine::Engine;
use deluge_lang::eval::ir::{Function, Script};
use deluge_lang::project;

/// One compiled version of the served files.
pub struct Catalog {
    /// The functions of every file.
    pub script: Arc<Script>,
    /// What the files looked like when compiled (to notice changes).
    pub stamp: Stamp,
}

/// The list of source files with their modification time and size.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Stamp(Vec<(PathBuf, Option<SystemTime>, u64)>);

impl Stamp {
    /// The files of the stamp.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.0.iter().map(|(path, _, _)| path.as_path())
    }
}

/// Why the files could not be served.
#[derive(Debug)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The source files of `paths`: a file as given, a folder walked with the source selection of
/// the project it is in; files ending in `_test.dg` (`dlg test` files) are left out.
pub fn source_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, LoadError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let sources = project::sources_at(path)
                .map_err(|e| LoadError(format!("{}: {e}", path.display())))?;
            let walk = sources.walk(path);
            if let Some(problem) = walk.problems.first() {
                return Err(LoadError(format!(
                    "cannot read folder {}: {problem}",
                    path.display()
                )));
            }
            files.extend(walk.files.into_iter().filter(|f| !is_test_file(f)));
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(LoadError(format!(
                "{}: no such file or folder; give .dg files or folders of them",
                path.display()
            )));
        }
    }
    files.dedup();
    Ok(files)
}

fn is_test_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with("_test.dg"))
}

/// The stamp of `files` now (a file that vanished has no time).
pub fn stamp(files: &[PathBuf]) -> Stamp {
    Stamp(
        files
            .iter()
            .map(|path| {
                let meta = std::fs::metadata(path).ok();
                let modified = meta.as_ref().and_then(|m| m.modified().ok());
                (path.clone(), modified, meta.map_or(0, |m| m.len()))
            })
            .collect(),
    )
}

/// Reads and compiles the source files of `paths` with `engine`.
pub fn load(engine: &Engine, paths: &[PathBuf]) -> Result<Catalog, LoadError> {
    let files = source_files(paths)?;
    if files.is_empty() {
        return Err(LoadError(format!(
            "no Deluge source files in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let stamp = stamp(&files);
    let mut texts = Vec::with_capacity(files.len());
    for file in &files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| LoadError(format!("cannot read {}: {e}", file.display())))?;
        texts.push((file.display().to_string(), text));
    }
    let pairs: Vec<(&str, &str)> = texts
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let script = engine
        .compile_files(pairs[0], &pairs[1..])
        .map_err(|e| LoadError(e.to_string().trim_end().to_owned()))?;
    Ok(Catalog {
        script: Arc::new(script),
        stamp,
    })
}

/// The function `name` of `script`: its full name (any case, `thisapp.`/`standalone.` prefix
/// allowed), else the only function whose last segment it is.
pub fn find<'s>(script: &'s Script, name: &str) -> Option<&'s Function> {
    let lower = name.to_ascii_lowercase();
    let wanted = lower
        .strip_prefix("thisapp.")
        .or_else(|| lower.strip_prefix("standalone."))
        .unwrap_or(&lower);
    if let Some(function) = script
        .functions
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(wanted))
    {
        return Some(function);
    }
    let mut same_last = script
        .functions
        .iter()
        .filter(|f| f.name.to_ascii_lowercase().rsplit('.').next() == Some(wanted));
    match (same_last.next(), same_last.next()) {
        (Some(only), None) if !wanted.contains('.') => Some(only),
        _ => None,
    }
}
