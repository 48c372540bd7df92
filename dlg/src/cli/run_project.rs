//! `dlg run` inside a project (a folder tree with a `dlg.toml`): `--include DIR` reads the
//! project's kind of source files, calls to functions the script does not define are looked up
//! in the project's sources, and an unresolved call names where dlg looked.

use std::path::{Path, PathBuf};

use deluge_lang::eval::compile::UNRESOLVED_FUNCTION_HELP;
use deluge_lang::eval::error::Error;
use deluge_lang::project::resolve::needed_files;
use deluge_lang::project::{self, Project};

/// The project the script `file` belongs to, if any; a bad `dlg.toml` is an error message.
pub fn discover(file: &Path) -> Result<Option<Project>, String> {
    Project::discover(file).map_err(|e| format!("{e}"))
}

/// The source files of the folder `dir` given to `--include` (recursively, with the selection
/// of the project `dir` is in).
pub fn include_folder(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let sources = project::sources_at(dir).map_err(|e| format!("{e}"))?;
    let walk = sources.walk(dir);
    match walk.problems.first() {
        Some(problem) => Err(format!("cannot read folder {}: {problem}", dir.display())),
        None => Ok(walk.files),
    }
}

/// The project files (name shown, text) that define functions the script and the files
/// already loaded (`files`, read from `paths`) call, and that are not among them.
pub fn needed_sources(
    project: &Project,
    main: &Path,
    files: &[(String, String)],
    paths: &[PathBuf],
) -> Vec<(String, String)> {
    let loaded: Vec<PathBuf> = paths.iter().map(|p| canonical(p)).collect();
    let candidates: Vec<PathBuf> = project
        .source_files()
        .into_iter()
        .filter(|p| !loaded.contains(&canonical(p)))
        .collect();
    let texts: Vec<&str> = files.iter().map(|(_, text)| text.as_str()).collect();
    needed_files(main, &texts, &candidates)
        .into_iter()
        .map(|(path, text)| (shown(&path), text))
        .collect()
}

/// Rewrites the help of unknown-function errors to name the project's sources.
pub fn explain_unresolved(err: Error, project: Option<&Project>) -> Error {
    let Some(project) = project else {
        return err;
    };
    let help = format!(
        "no file among the project's sources ({}, selected by {}) defines it; define it in one \
         of them, or add its file to [sources] include in dlg.toml",
        project.sources().describe(),
        project.file().display()
    );
    let unresolved = super::engine::setting_names().apply(UNRESOLVED_FUNCTION_HELP);
    err.map_help(|old| old.replace(&unresolved, &help))
}

/// `path` relative to the current folder when inside it.
fn shown(path: &Path) -> String {
    let here = std::env::current_dir().map(|d| canonical(&d)).ok();
    here.and_then(|h| path.strip_prefix(h).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}
