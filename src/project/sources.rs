//! Which files hold Deluge: `*.dg`, `*.deluge` and `*.ds` anywhere, plus the project's
//! `[sources] include` patterns, minus its `exclude` patterns; and walking folders for them.
//!
//! Patterns are globs relative to the project folder (`functions/**/*.ts`; `*` stays within one
//! folder, `**` crosses folders). Walking skips hidden folders (`.git`, ...) and `node_modules`.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// The file extensions that are Deluge without any configuration.
pub const DELUGE_EXTENSIONS: [&str; 3] = ["dg", "deluge", "ds"];

/// A selection of source files under a project folder.
#[derive(Clone, Debug)]
pub struct Sources {
    root: PathBuf,
    include: GlobSet,
    exclude: GlobSet,
    patterns: Vec<String>,
}

/// The files a walk found, and the entries it could not read.
#[derive(Clone, Debug, Default)]
pub struct Walk {
    /// The source files, sorted.
    pub files: Vec<PathBuf>,
    /// Folders or files that could not be read, with the reason.
    pub problems: Vec<String>,
}

impl Sources {
    /// The default selection (Deluge extensions only) relative to `root`.
    pub fn defaults(root: &Path) -> Sources {
        Sources {
            root: canonical(root),
            include: GlobSet::empty(),
            exclude: GlobSet::empty(),
            patterns: Vec::new(),
        }
    }

    /// The default selection plus `include` and minus `exclude` (glob patterns relative to
    /// `root`). A bad pattern is reported with the pattern in the message.
    pub fn new(root: &Path, include: &[String], exclude: &[String]) -> Result<Sources, String> {
        Ok(Sources {
            root: canonical(root),
            include: glob_set(include)?,
            exclude: glob_set(exclude)?,
            patterns: include.to_vec(),
        })
    }

    /// The project folder the patterns are relative to.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether `path` is a source file: not excluded, and a Deluge extension or an include
    /// pattern match.
    pub fn is_source(&self, path: &Path) -> bool {
        let relative = self.relative(path);
        if self.exclude.is_match(&relative) {
            return false;
        }
        has_deluge_extension(path) || self.include.is_match(&relative)
    }

    /// Every source file under `dir` (recursively), sorted.
    pub fn walk(&self, dir: &Path) -> Walk {
        let mut walk = Walk::default();
        let entries = walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_skipped_folder(e));
        for entry in entries {
            match entry {
                Ok(entry) if entry.file_type().is_file() && self.is_source(entry.path()) => {
                    walk.files.push(entry.into_path());
                }
                Ok(_) => {}
                Err(e) => walk.problems.push(e.to_string()),
            }
        }
        walk
    }

    /// How the selection reads in messages: `*.dg, *.deluge, *.ds, functions/**/*.ts under
    /// /path/to/project`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = DELUGE_EXTENSIONS.iter().map(|e| format!("*.{e}")).collect();
        parts.extend(self.patterns.iter().cloned());
        format!("{} under {}", parts.join(", "), self.root.display())
    }

    /// `path` relative to the project folder when it is inside it, else as given.
    fn relative(&self, path: &Path) -> PathBuf {
        let full = canonical(path);
        full.strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .unwrap_or(full)
    }
}

/// Whether the file name ends in `.dg`, `.deluge` or `.ds` (any case).
pub fn has_deluge_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DELUGE_EXTENSIONS.iter().any(|d| e.eq_ignore_ascii_case(d)))
}

fn is_skipped_folder(entry: &walkdir::DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    entry.file_type().is_dir() && (name.starts_with('.') || name == "node_modules")
}

fn glob_set(patterns: &[String]) -> Result<GlobSet, String> {
    let mut set = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map_err(|e| e.to_string())?;
        set.add(glob);
    }
    set.build().map_err(|e| e.to_string())
}

/// The absolute, symlink-free form of `path` when it exists, else its absolute form.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_includes_and_excludes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "a.dg",
            "b.DELUGE",
            "c.ds",
            "notes.txt",
            "functions/f.ts",
            "functions/deep/g.ts",
            "web/app.ts",
            "old/x.dg",
            ".git/h.dg",
            "node_modules/m.dg",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "").unwrap();
        }
        let sources = Sources::new(
            root,
            &["functions/**/*.ts".to_owned()],
            &["old/**".to_owned()],
        )
        .unwrap();
        let found: Vec<String> = sources
            .walk(root)
            .files
            .iter()
            .map(|p| {
                p.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        assert_eq!(
            found,
            vec![
                "a.dg",
                "b.DELUGE",
                "c.ds",
                "functions/deep/g.ts",
                "functions/f.ts"
            ]
        );
        assert!(sources
            .describe()
            .starts_with("*.dg, *.deluge, *.ds, functions/**/*.ts under "));
    }
}
