//! The recursive-descent parser against the chumsky grammar: on every source it accepts, the
//! grammar must find no error and build the same tree, spans included.

use std::path::{Path, PathBuf};

use super::parse;
use crate::syntax::lexer::{check_structure, lex};
use crate::syntax::parser::parse_tokens;
use crate::syntax::ast::{Expr, ExprKind, Stmt, StmtKind};
use crate::syntax::parser_disagreement;
use crate::syntax::token::Token;

/// What the two parsers made of one source.
#[derive(Debug, PartialEq)]
enum Agreement {
    /// Both parsed it without error, to the same tree.
    BothClean,
    /// The descent parser gave up: the grammar found an error, or the source is clean and the
    /// descent parser only slow on it.
    DescentGaveUp { clean: bool },
}

/// Compares the parsers on `src`; panics where they disagree.
fn compare(src: &str, origin: &str) -> Agreement {
    if let Some(disagreement) = parser_disagreement(src) {
        panic!("{origin}: {disagreement}\n{src}");
    }
    let lexed = lex(src);
    if check_structure(&lexed.tokens).is_some() {
        return Agreement::DescentGaveUp { clean: false };
    }
    if parse(&lexed.tokens).is_some() {
        return Agreement::BothClean;
    }
    let (_, errors) = parse_tokens(src.len(), &lexed);
    Agreement::DescentGaveUp {
        clean: errors.is_empty(),
    }
}

/// Every `.dg` file under the repository's scripts, tests, examples and fuzz corpus.
fn repository_scripts() -> Vec<PathBuf> {
    scripts_under(&["scripts", "tests", "examples", "dlg", "fuzz", "benches"])
}

/// Every `.dg` file under these folders of the repository, sorted.
fn scripts_under(folders: &[&str]) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = folders
        .iter()
        .flat_map(|folder| walkdir::WalkDir::new(root.join(folder)).follow_links(true))
        .flatten()
        .map(walkdir::DirEntry::into_path)
        .filter(|path| path.extension().is_some_and(|e| e == "dg"))
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

#[test]
fn every_repository_script_parses_the_same_and_clean_ones_take_the_fast_path() {
    let files = repository_scripts();
    assert!(files.len() > 100, "found only {} scripts", files.len());
    let mut clean = 0;
    for path in &files {
        let Some(src) = read(path) else { continue };
        match compare(&src, &path.display().to_string()) {
            Agreement::BothClean => clean += 1,
            Agreement::DescentGaveUp { clean: false } => {}
            Agreement::DescentGaveUp { clean: true } => {
                panic!("{}: clean, but the descent parser gave up", path.display())
            }
        }
    }
    assert!(clean > 100, "only {clean} clean scripts");
}

/// The source with the token at `index` removed, or replaced by `with`.
fn mutate(src: &str, spans: &[(usize, usize)], index: usize, with: &str) -> String {
    let (start, end) = spans[index];
    format!("{}{}{}", &src[..start], with, &src[end..])
}

/// Tokens that, put in place of another, make near-miss sources: the forms where the grammar
/// backtracks, recovers or reports.
const REPLACEMENTS: [&str; 14] = [
    "", ";", ",", ":", "(", ")", "[", "]", "{", "}", "=", "x", "not", "99999999999999999999",
];

#[test]
fn mutated_corpus_scripts_parse_the_same() {
    let files = scripts_under(&["tests/corpus"]);
    let mut compared = 0;
    let mut clean = 0;
    for path in &files {
        let Some(src) = read(path) else { continue };
        let spans: Vec<(usize, usize)> = lex(&src)
            .tokens
            .iter()
            .filter(|(token, _)| !matches!(token, Token::Error(_)))
            .map(|(_, s)| (s.start, s.end))
            .collect();
        // Every third token, each replacement in turn: all token positions and all
        // replacements are covered across the corpus without parsing each file 14 times a token.
        for index in (0..spans.len()).step_by(3) {
            let with = REPLACEMENTS[(index / 3) % REPLACEMENTS.len()];
            let mutated = mutate(&src, &spans, index, with);
            let origin = format!("{} with token {index} replaced by {with:?}", path.display());
            if compare(&mutated, &origin) == Agreement::BothClean {
                clean += 1;
            }
            compared += 1;
        }
    }
    assert!(compared > 1000, "only {compared} mutations compared");
    assert!(clean > 50, "only {clean} mutations parsed cleanly by both");
}

#[test]
fn blocks_and_lists_keep_no_spare_capacity() {
    let src = "if (a) { f(1); } g(1, 2, 3, 4, 5); h(x, y);";
    let program = parse(&lex(src).tokens).expect("parses");
    let StmtKind::If { branches, .. } = &program.body[0].kind else {
        panic!("{:?}", program.body[0]);
    };
    let block = &branches[0].1;
    assert_eq!((block.len(), block.capacity()), (1, 1));
    for (statement, arguments) in program.body[1..3].iter().zip([5, 2]) {
        let StmtKind::Expr(Expr {
            kind: ExprKind::Call { args, .. },
            ..
        }) = &statement.kind
        else {
            panic!("{statement:?}");
        };
        assert_eq!((args.len(), args.capacity()), (arguments, arguments));
    }
}

#[test]
fn a_statement_is_no_larger_than_a_loop() {
    // `delete from`'s fetch (280 bytes) is boxed: every statement of a block takes the size of
    // the largest form.
    assert!(std::mem::size_of::<Stmt>() <= 136, "{}", std::mem::size_of::<Stmt>());
}

#[test]
fn a_dotted_path_is_built_with_room_for_its_members_only() {
    let program = parse(&lex("x = input.Customer.Name; y = a.b(1).c;").tokens).expect("parses");
    let paths: Vec<(usize, usize)> = program
        .body
        .iter()
        .map(|statement| match &statement.kind {
            StmtKind::Assign { value, .. } => match &value.kind {
                ExprKind::Path(path) => (path.len(), path.capacity()),
                ExprKind::Field { object, .. } => match &object.kind {
                    ExprKind::Call { path, .. } => (path.len(), path.capacity()),
                    other => panic!("{other:?}"),
                },
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(paths, [(3, 3), (2, 2)]);
}
