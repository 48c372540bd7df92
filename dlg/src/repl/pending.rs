//! The variables an unfinished multi-line entry assigns, so that completion offers them on the
//! entry's next lines before the entry has run.
//!
//! Found with the forgiving scanner: `name =`, `name += ...` (also `-=`, `*=`, `/=`, `%=`),
//! `for each name in` and `catch (name)`. The type is guessed from a literal right after `=`
//! (text, number, date-time, boolean, `{"k": ...}`, `{1, ...}`, `List()`, `Map()`,
//! `Collection()`); otherwise it is unknown.

use super::scan::{scan, Piece, PieceKind};
use deluge_lang::eval::value::ValueType;

/// A variable assigned by the entry being typed, with its type when a literal shows it.
pub type PendingVariable = (String, Option<ValueType>);

/// The variables `src` assigns, in order of first assignment (a later assignment's type wins).
pub fn assigned_variables(src: &str) -> Vec<PendingVariable> {
    let pieces: Vec<(PieceKind, &str)> = scan(src)
        .into_iter()
        .filter(|piece| !matches!(piece.kind, PieceKind::Space | PieceKind::Comment { .. }))
        .map(|Piece { kind, range }| (kind, &src[range]))
        .collect();
    let mut found: Vec<PendingVariable> = Vec::new();
    for i in 0..pieces.len() {
        let Some((name, value_at)) = assignment_at(&pieces, i) else {
            continue;
        };
        let ty = value_at.and_then(|at| literal_type(&pieces[at..]));
        match found.iter_mut().find(|(known, _)| known == name) {
            Some(entry) if value_at.is_some() => entry.1 = ty,
            Some(_) => {}
            None => found.push((name.to_owned(), ty)),
        }
    }
    found
}

/// When the piece at `i` is a variable being assigned: its name, and where the assigned value
/// starts (for `=` only; a compound assignment or a loop variable keeps the type it had).
fn assignment_at<'a>(
    pieces: &[(PieceKind, &'a str)],
    i: usize,
) -> Option<(&'a str, Option<usize>)> {
    let (kind, text) = pieces[i];
    if kind != PieceKind::Word {
        return None;
    }
    let previous = i.checked_sub(1).map(|p| pieces[p]);
    let next = |k: usize| pieces.get(i + k).map(|&(_, t)| t);
    if previous.is_some_and(|(_, t)| t == "." || t.eq_ignore_ascii_case("each")) {
        return matches_for_each(pieces, i).then_some((text, None));
    }
    if previous.is_some_and(|(_, t)| t == "(")
        && i >= 2
        && pieces[i - 2].1.eq_ignore_ascii_case("catch")
    {
        return Some((text, None));
    }
    match (next(1), next(2)) {
        (Some("="), Some("=")) => None,
        (Some("="), _) => Some((text, Some(i + 2))),
        (Some("+" | "-" | "*" | "/" | "%"), Some("=")) => Some((text, None)),
        _ => None,
    }
}

/// `for each NAME in`: the piece at `i` is NAME.
fn matches_for_each(pieces: &[(PieceKind, &str)], i: usize) -> bool {
    i >= 2
        && pieces[i - 1].1.eq_ignore_ascii_case("each")
        && pieces[i - 2].1.eq_ignore_ascii_case("for")
        && pieces
            .get(i + 1)
            .is_some_and(|(_, t)| t.eq_ignore_ascii_case("in"))
}

/// The type of the literal the pieces start with, when it shows one.
fn literal_type(pieces: &[(PieceKind, &str)]) -> Option<ValueType> {
    let &(kind, text) = pieces.first()?;
    let second = pieces.get(1).map(|&(_, t)| t);
    match kind {
        PieceKind::Text { .. } => Some(ValueType::Text),
        PieceKind::Quoted { .. } => Some(ValueType::DateTime),
        PieceKind::Number if text.contains('.') => Some(ValueType::Decimal),
        PieceKind::Number => Some(ValueType::Number),
        PieceKind::Word if matches!(text.to_ascii_lowercase().as_str(), "true" | "false") => {
            Some(ValueType::Bool)
        }
        PieceKind::Word if second == Some("(") => match text.to_ascii_lowercase().as_str() {
            "list" => Some(ValueType::List),
            "map" => Some(ValueType::Map),
            "collection" => Some(ValueType::Collection),
            _ => None,
        },
        PieceKind::Open if text == "{" => match pieces.get(2).map(|&(_, t)| t) {
            Some(":") => Some(ValueType::Map),
            Some("," | "}") => Some(ValueType::List),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(src: &str) -> Vec<PendingVariable> {
        assigned_variables(src)
    }

    #[test]
    fn assignments_loops_and_catches_declare_variables() {
        assert_eq!(
            names("total = 0;\nfor each item in items {\n  total += item;\n"),
            vec![
                ("total".into(), Some(ValueType::Number)),
                ("item".into(), None)
            ]
        );
        assert_eq!(
            names("try { x = 1 / 0; } catch (err) {"),
            vec![("x".into(), Some(ValueType::Number)), ("err".into(), None)]
        );
    }

    #[test]
    fn comparisons_fields_and_calls_are_not_assignments() {
        assert!(names("if (a == b) { m.name = 1; f(c); d <= e; g != h; }").is_empty());
    }

    #[test]
    fn literal_types_are_guessed() {
        let src = "s = \"a\"; d = 1.5; t = '1-Jan-2024'; b = true; l = List(); m = Map();\n\
                   c = Collection(); km = {\"a\": 1}; kl = {1, 2}; o = f();";
        assert_eq!(
            names(src),
            vec![
                ("s".into(), Some(ValueType::Text)),
                ("d".into(), Some(ValueType::Decimal)),
                ("t".into(), Some(ValueType::DateTime)),
                ("b".into(), Some(ValueType::Bool)),
                ("l".into(), Some(ValueType::List)),
                ("m".into(), Some(ValueType::Map)),
                ("c".into(), Some(ValueType::Collection)),
                ("km".into(), Some(ValueType::Map)),
                ("kl".into(), Some(ValueType::List)),
                ("o".into(), None),
            ]
        );
    }

    #[test]
    fn a_later_assignment_gives_the_type() {
        assert_eq!(
            names("v = 1;\nv = \"x\";"),
            vec![("v".into(), Some(ValueType::Text))]
        );
    }
}
