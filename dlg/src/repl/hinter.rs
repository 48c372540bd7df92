//! Hints shown after the cursor in grey: a function's parameters right after its `(`, or the
//! rest of the only possible completion of the word being typed (→ or End accepts it).
//! The rustyline glue falls back to the most recent matching history entry.

use super::completer::{complete, dotted_word_start, Signature, Vocabulary};
use super::scan::{scan, PieceKind};
use deluge_lang::stdlib::registry::Receiver;

/// A hint: what is shown, and what accepting it inserts (nothing for a parameter list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    /// The grey text after the cursor.
    pub display: String,
    /// Inserted when the hint is accepted.
    pub completion: Option<String>,
}

impl rustyline::hint::Hint for Hint {
    fn display(&self) -> &str {
        &self.display
    }

    fn completion(&self) -> Option<&str> {
        self.completion.as_deref()
    }
}

/// The hint for `line` with the cursor at `pos`; only at the end of the line.
pub fn hint(line: &str, pos: usize, vocabulary: &Vocabulary) -> Option<Hint> {
    if pos != line.len() || line.trim().is_empty() {
        return None;
    }
    signature_hint(line, vocabulary).or_else(|| completion_hint(line, vocabulary))
}

/// Right after `name(`, the parameters and result of `name`.
fn signature_hint(line: &str, vocabulary: &Vocabulary) -> Option<Hint> {
    let before = line.trim_end().strip_suffix('(')?;
    let pieces = scan(line);
    let last = pieces.last()?;
    if last.kind != PieceKind::Open {
        return None;
    }
    let start = dotted_word_start(before);
    let name = &before[start..];
    let signature = find_signature(before, start, name, vocabulary)?;
    let params = signature.params.trim();
    if params.is_empty() {
        return None;
    }
    let params = params.strip_prefix('(').unwrap_or(params);
    let params = if params.ends_with(')') {
        params.to_owned()
    } else {
        format!("{params})")
    };
    let display = match signature.returns.trim() {
        "" => params,
        returns => format!("{params} → {returns}"),
    };
    Some(Hint {
        display,
        completion: None,
    })
}

/// The signature of the function or method called `name` (which may be dotted).
fn find_signature<'v>(
    before: &str,
    start: usize,
    name: &str,
    vocabulary: &'v Vocabulary,
) -> Option<&'v Signature> {
    if name.is_empty() {
        return None;
    }
    let function = vocabulary
        .all_functions()
        .find(|f| f.name.eq_ignore_ascii_case(name));
    if function.is_some() {
        return function;
    }
    let (receiver, method) = match name.rfind('.') {
        Some(dot) => (&name[..dot], &name[dot + 1..]),
        None if before[..start].ends_with('.') => ("", name),
        None => return None,
    };
    let receiver_type = vocabulary.variable_type(receiver);
    let methods = || {
        vocabulary
            .methods
            .iter()
            .filter(move |m| m.signature.name.eq_ignore_ascii_case(method))
    };
    methods()
        .find(|m| receiver_type.is_some_and(|ty| m.receiver == Receiver::Type(ty)))
        .or_else(|| methods().next())
        .map(|m| &m.signature)
}

/// The rest of the only completion of the word at the end of the line.
fn completion_hint(line: &str, vocabulary: &Vocabulary) -> Option<Hint> {
    let (start, candidates) = complete(line, line.len(), vocabulary);
    let typed = &line[start..];
    let [only] = candidates.as_slice() else {
        return None;
    };
    let long_enough = typed.len() >= 2 || line[..start].ends_with('.');
    if !long_enough || only.len() <= typed.len() || !only.is_char_boundary(typed.len()) {
        return None;
    }
    let rest = only[typed.len()..].to_owned();
    Some(Hint {
        display: rest.clone(),
        completion: Some(rest),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repl::completer::{Method, SessionNames};
    use deluge_lang::eval::value::ValueType;

    fn vocabulary() -> Vocabulary {
        let signature = |name: &str, params: &str, returns: &str| Signature {
            name: name.into(),
            params: params.into(),
            returns: returns.into(),
        };
        Vocabulary {
            functions: vec![signature("ifnull", "(value: ANY, other: ANY)", "ANY")],
            methods: vec![
                Method {
                    signature: signature("getPrefix", "(search: TEXT)", "TEXT"),
                    receiver: Receiver::Type(ValueType::Text),
                },
                Method {
                    signature: signature("get", "(index: NUMBER)", "ANY"),
                    receiver: Receiver::Type(ValueType::List),
                },
                Method {
                    signature: signature("get", "(key: ANY)", "ANY"),
                    receiver: Receiver::Type(ValueType::Map),
                },
            ],
            scope: SessionNames {
                variables: vec![
                    ("m".into(), ValueType::Map),
                    ("total".into(), ValueType::Number),
                ],
                functions: vec![signature("fib", "(int n)", "int")],
                pending: Vec::new(),
            },
            connections: Vec::new(),
        }
    }

    fn display(line: &str) -> Option<String> {
        hint(line, line.len(), &vocabulary()).map(|h| h.display)
    }

    #[test]
    fn parameters_show_after_an_opening_parenthesis() {
        assert_eq!(
            display("x = ifnull("),
            Some("value: ANY, other: ANY) → ANY".into())
        );
        assert_eq!(display("m.get("), Some("key: ANY) → ANY".into()));
        assert_eq!(
            display("\"ab\".getPrefix("),
            Some("search: TEXT) → TEXT".into())
        );
        assert_eq!(display("fib("), Some("int n) → int".into()));
        assert_eq!(display("unknown("), None);
    }

    #[test]
    fn the_only_completion_is_hinted_and_can_be_accepted() {
        let h = hint("x = tot", 7, &vocabulary()).unwrap();
        assert_eq!(h.display, "al");
        assert_eq!(h.completion.as_deref(), Some("al"));
        assert_eq!(display("inf"), Some("o".into()));
        assert_eq!(display("m.getP"), None);
    }

    #[test]
    fn no_hint_in_the_middle_or_for_short_or_ambiguous_words() {
        assert_eq!(hint("x = tot", 3, &vocabulary()), None);
        assert_eq!(display("t"), None);
        assert_eq!(display("f"), None);
        assert_eq!(display("   "), None);
    }
}
