//! Finding test files and the code they test.
//!
//! The rule: a test file is a file whose name ends in `_test.dg`. `dlg test PATH...` takes
//! files (each must be a test file) and folders (searched recursively, in name order, skipping
//! folders whose name starts with `.` and the `target` and `node_modules` folders). The code
//! under test of a test file is every other `.dg` file in the same folder that is not itself a
//! test file, in name order: its functions are callable from the tests as with `--include`.

use std::path::{Path, PathBuf};

/// The suffix that makes a `.dg` file a test file.
pub const TEST_FILE_SUFFIX: &str = "_test.dg";

/// One test file and the files beside it that it tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestFile {
    /// The test file.
    pub path: PathBuf,
    /// The `.dg` files beside it that are not test files, in name order.
    pub code: Vec<PathBuf>,
}

/// True when `path` names a test file.
pub fn is_test_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(TEST_FILE_SUFFIX))
}

/// Every test file under `paths` (the current folder when empty), each once, in order.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<TestFile>, String> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut found)?;
        } else if path.is_file() {
            if !is_test_file(path) {
                return Err(format!(
                    "{} is not a test file: test files end in `{TEST_FILE_SUFFIX}`",
                    path.display()
                ));
            }
            found.push(path.clone());
        } else {
            return Err(format!("{}: no such file or folder", path.display()));
        }
    }
    let mut unique: Vec<PathBuf> = Vec::new();
    for path in found {
        if !unique.contains(&path) {
            unique.push(path);
        }
    }
    unique
        .into_iter()
        .map(|path| {
            let code = code_beside(&path)?;
            Ok(TestFile { path, code })
        })
        .collect()
}

fn sorted_entries(folder: &Path) -> Result<Vec<PathBuf>, String> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(|e| format!("cannot read folder {}: {e}", folder.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    Ok(entries)
}

fn walk(folder: &Path, found: &mut Vec<PathBuf>) -> Result<(), String> {
    for entry in sorted_entries(folder)? {
        if entry.is_dir() {
            let name = entry.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                walk(&entry, found)?;
            }
        } else if is_test_file(&entry) {
            found.push(tidy(entry));
        }
    }
    Ok(())
}

/// `./a/b_test.dg` as `a/b_test.dg`.
fn tidy(path: PathBuf) -> PathBuf {
    match path.strip_prefix(".") {
        Ok(rest) if !rest.as_os_str().is_empty() => rest.to_path_buf(),
        _ => path,
    }
}

fn code_beside(test: &Path) -> Result<Vec<PathBuf>, String> {
    let folder = match test.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    Ok(sorted_entries(folder)?
        .into_iter()
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "dg") && !is_test_file(p))
        .map(tidy)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_files_end_in_underscore_test() {
        assert!(is_test_file(Path::new("a/leads_test.dg")));
        assert!(!is_test_file(Path::new("a/leads.dg")));
        assert!(!is_test_file(Path::new("a/test_leads.dg")));
    }

    #[test]
    fn a_file_that_is_not_a_test_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("leads.dg");
        std::fs::write(&file, "").unwrap();
        let err = discover(&[file]).unwrap_err();
        assert!(
            err.ends_with("is not a test file: test files end in `_test.dg`"),
            "{err}"
        );
    }

    #[test]
    fn folders_are_searched_recursively_and_code_is_the_files_beside() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("crm");
        std::fs::create_dir_all(sub.join(".hidden")).unwrap();
        for name in [
            "crm/b.dg",
            "crm/a.dg",
            "crm/a_test.dg",
            "crm/.hidden/x_test.dg",
            "z_test.dg",
        ] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        let found = discover(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].path, sub.join("a_test.dg"));
        assert_eq!(found[0].code, vec![sub.join("a.dg"), sub.join("b.dg")]);
        assert_eq!(found[1].path, dir.path().join("z_test.dg"));
        assert!(found[1].code.is_empty());
    }
}
