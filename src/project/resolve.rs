//! Finding, among a project's source files, the ones that define the functions a script calls
//! (`standalone.f()`, `thisapp.ns.g()`, `h()`), and the ones those call in turn.
//!
//! Only the files needed are compiled with the script, so a broken or unrelated file elsewhere
//! in the repository does not stop a run. A file is a candidate for a name only when its text
//! contains the name; candidates are parsed once, in path order, and the first file that
//! defines the name wins.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::syntax::lexer::lex;
use crate::syntax::token::Token;

/// A source file read from disk: its path and text.
pub type SourceFile = (PathBuf, String);

/// The files among `candidates` that define the functions `loaded` (the texts of the script and
/// of the files already given) call, directly or through each other, in the order they are
/// needed. `main` itself is never returned, nor a file for a function `loaded` defines.
pub fn needed_files(main: &Path, loaded: &[&str], candidates: &[PathBuf]) -> Vec<SourceFile> {
    let main = std::fs::canonicalize(main).unwrap_or_else(|_| main.to_path_buf());
    let mut index = Index::new(
        candidates
            .iter()
            .filter(|p| std::fs::canonicalize(p).map_or(true, |c| c != main))
            .collect(),
    );
    let defined: HashSet<String> = loaded.iter().flat_map(|t| defined_functions(t)).collect();
    let mut wanted: Vec<String> = loaded
        .iter()
        .flat_map(|t| called_names(t))
        .filter(|name| !defined.contains(name))
        .collect();
    wanted.sort();
    wanted.dedup();
    let mut seen: HashSet<String> = wanted.iter().cloned().collect();
    seen.extend(defined);
    let mut needed = Vec::new();
    while let Some(name) = wanted.pop() {
        let Some(file) = index.definition_of(&name) else {
            continue;
        };
        let (path, text) = file.clone();
        for defined in defined_functions(&text) {
            seen.insert(defined);
        }
        for called in called_names(&text) {
            if seen.insert(called.clone()) {
                wanted.push(called);
            }
        }
        needed.push((path, text));
    }
    needed
}

/// The candidate files, read and parsed on demand.
struct Index<'p> {
    paths: Vec<&'p PathBuf>,
    /// Each file's text and its lower-case form, once read (`None`: unreadable).
    texts: HashMap<usize, Option<(String, String)>>,
    definitions: HashMap<usize, HashSet<String>>,
    taken: HashSet<usize>,
}

impl<'p> Index<'p> {
    fn new(paths: Vec<&'p PathBuf>) -> Index<'p> {
        Index {
            paths,
            texts: HashMap::new(),
            definitions: HashMap::new(),
            taken: HashSet::new(),
        }
    }

    /// The first file not yet taken that defines `name` (lower case).
    fn definition_of(&mut self, name: &str) -> Option<SourceFile> {
        for i in 0..self.paths.len() {
            if self.taken.contains(&i) || !self.mentions(i, name) || !self.defines(i, name) {
                continue;
            }
            self.taken.insert(i);
            return Some((self.paths[i].clone(), self.text(i)));
        }
        None
    }

    fn mentions(&mut self, i: usize, name: &str) -> bool {
        let path = self.paths[i];
        self.texts
            .entry(i)
            .or_insert_with(|| {
                let text = std::fs::read_to_string(path).ok()?;
                let lower = text.to_ascii_lowercase();
                Some((text, lower))
            })
            .as_ref()
            .is_some_and(|(_, lower)| lower.contains(name))
    }

    fn text(&self, i: usize) -> String {
        self.texts
            .get(&i)
            .and_then(|t| t.as_ref())
            .map(|(text, _)| text.clone())
            .unwrap_or_default()
    }

    fn defines(&mut self, i: usize, name: &str) -> bool {
        if !self.definitions.contains_key(&i) {
            let definitions = defined_functions(&self.text(i));
            self.definitions.insert(i, definitions);
        }
        self.definitions.get(&i).is_some_and(|d| d.contains(name))
    }
}

/// The lower-case last names of the functions `text` defines.
fn defined_functions(text: &str) -> HashSet<String> {
    crate::syntax::parse(text)
        .program
        .functions
        .iter()
        .filter_map(|f| f.name.last().map(|n| n.name.to_ascii_lowercase()))
        .collect()
}

/// The lower-case names `text` calls (a name right before `(`): every `standalone.` and
/// `thisapp.` call, and the other names that are not built-ins.
fn called_names(text: &str) -> Vec<String> {
    let tokens = lex(text).tokens;
    let mut names = Vec::new();
    for (i, pair) in tokens.windows(2).enumerate() {
        let [(Token::Word(w), _), (Token::LParen, _)] = pair else {
            continue;
        };
        let name = w.text.to_ascii_lowercase();
        if is_app_call(&tokens[..i]) || crate::stdlib::builtins_named(&name).is_empty() {
            names.push(name);
        }
    }
    names.sort();
    names.dedup();
    names
}

/// Whether the dotted chain that ends at the end of `before` starts with `standalone` or
/// `thisapp` (so the name after it is a user function, even one named like a built-in).
fn is_app_call(before: &[(Token<'_>, chumsky::span::SimpleSpan)]) -> bool {
    let mut head = None;
    let mut rest = before;
    while let [earlier @ .., (Token::Word(w), _), (Token::Dot, _)] = rest {
        head = Some(w.text);
        rest = earlier;
    }
    head.is_some_and(|h| h.eq_ignore_ascii_case("standalone") || h.eq_ignore_ascii_case("thisapp"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_files_defining_called_functions_are_needed_transitively() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            path
        };
        let main = write("main.dg", "info standalone.first(1);");
        let first = write(
            "first.dg",
            "int standalone.first(int n) { return thisapp.util.second(n); }",
        );
        let second = write("second.ds", "int util.second(int n) { return n + 1; }");
        let broken = write("broken.dg", "x = = ;");
        let unrelated = write("other.dg", "void other() { info 1; }");
        let candidates = vec![
            broken,
            first.clone(),
            main.clone(),
            unrelated,
            second.clone(),
        ];
        let needed: Vec<PathBuf> = needed_files(&main, &["info standalone.first(1);"], &candidates)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(needed, vec![first, second]);
    }
}
