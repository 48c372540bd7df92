//! Tab completion: commands, keywords, built-in functions, methods after `.`, variables and
//! user functions in scope, and connection names inside `connection:`.
//!
//! [`complete`] is a pure function of the line, the cursor and a [`Vocabulary`], so that it can
//! be tested without a terminal; the rustyline glue lives in `mod.rs`.

use std::collections::BTreeSet;

use deluge_lang::eval::value::ValueType;
use deluge_lang::stdlib::registry::{Builtin, Receiver};

use super::commands::{find_command, COMMANDS};
use super::pending::PendingVariable;
use super::scan::{is_word_char, scan, PieceKind};

/// Reserved words and statement keywords, in their usual spelling.
pub const KEYWORDS: &[&str] = &[
    "break",
    "catch",
    "collection",
    "continue",
    "each",
    "else",
    "false",
    "for",
    "from",
    "if",
    "ifnull",
    "in",
    "index",
    "info",
    "invokeurl",
    "invokeapi",
    "list",
    "map",
    "not",
    "null",
    "return",
    "sendmail",
    "thisapp",
    "true",
    "try",
    "void",
    "zoho",
];

/// Type names used in function headers.
pub const TYPE_NAMES: &[&str] = &[
    "bool", "date", "decimal", "float", "int", "list", "map", "string", "void",
];

/// Names that start a qualified reference, never a value with methods (`zoho.currentdate`,
/// `thisapp.ns.f()`, `input.Field`, `standalone.f()`).
const HOST_NAMES: &[&str] = &["zoho", "thisapp", "input", "standalone"];

/// A function's name and what it takes and gives, for completion and hints.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Signature {
    /// Name as called (`getPrefix`, `zoho.encryption.md5`, `automation.sync`).
    pub name: String,
    /// Parameters after the receiver, as shown to users: `(search: TEXT)`.
    pub params: String,
    /// Result type: `TEXT`, `void`.
    pub returns: String,
}

impl Signature {
    /// A signature with just a name (tests, functions without documentation).
    pub fn named(name: &str) -> Signature {
        Signature {
            name: name.to_owned(),
            ..Signature::default()
        }
    }
}

/// A built-in method and the values it applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Method {
    /// Its name and parameters.
    pub signature: Signature,
    /// What it applies to.
    pub receiver: Receiver,
}

/// Everything completion can offer. Built-ins are fixed; the scope changes after every entry.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    /// Built-in plain functions, including dotted ones such as `zoho.encryption.md5`.
    pub functions: Vec<Signature>,
    /// Built-in methods.
    pub methods: Vec<Method>,
    /// What the session has defined so far.
    pub scope: SessionNames,
    /// Connection link names, for `connection:` inside `invokeurl`.
    pub connections: Vec<String>,
}

/// The names the session has defined: variables (with the type of their current value) and
/// user functions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SessionNames {
    /// Variables and the type of their value.
    pub variables: Vec<(String, ValueType)>,
    /// User functions, named as they are called (`fib`, `ns.sync`).
    pub functions: Vec<Signature>,
    /// Variables assigned by the earlier lines of the entry being typed, with their type when
    /// a literal shows it (see `pending.rs`).
    pub pending: Vec<PendingVariable>,
}

impl Vocabulary {
    /// The vocabulary of the given built-ins (normally `stdlib::all_builtins()`).
    pub fn from_builtins<'a>(builtins: impl IntoIterator<Item = &'a Builtin>) -> Vocabulary {
        let mut vocabulary = Vocabulary::default();
        for builtin in builtins {
            let signature = Signature {
                name: builtin.name.to_owned(),
                params: builtin.params.to_owned(),
                returns: builtin.returns.to_owned(),
            };
            match builtin.receiver {
                Receiver::None => vocabulary.functions.push(signature),
                receiver => vocabulary.methods.push(Method {
                    signature,
                    receiver,
                }),
            }
        }
        vocabulary
    }

    /// The type of variable `name`'s current value, if it is defined.
    pub fn variable_type(&self, name: &str) -> Option<ValueType> {
        if let Some((_, ty)) = self.scope.pending.iter().find(|(n, _)| n == name) {
            return *ty;
        }
        self.scope
            .variables
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, ty)| *ty)
    }

    /// Every function callable without a receiver: built-in, then user-defined.
    pub fn all_functions(&self) -> impl Iterator<Item = &Signature> {
        self.functions.iter().chain(&self.scope.functions)
    }
}

/// The completions for `line` with the cursor at byte `pos`: where the replaced word starts,
/// and the candidate replacements, sorted, without duplicates.
pub fn complete(line: &str, pos: usize, vocabulary: &Vocabulary) -> (usize, Vec<String>) {
    let pos = floor_boundary(line, pos);
    let before = &line[..pos];
    if let Some(result) = complete_command(before) {
        return result;
    }
    if let Some(result) = complete_connection(before, &vocabulary.connections) {
        return result;
    }
    if inside_literal(before) {
        return (pos, Vec::new());
    }
    let start = dotted_word_start(before);
    let word = &before[start..];
    let candidates = match word.rfind('.') {
        None => plain_names(word, vocabulary),
        Some(dot) => dotted_names(before, start, dot, vocabulary),
    };
    let replace_from = match word.rfind('.') {
        Some(dot) if !is_namespace_completion(word, vocabulary) => start + dot + 1,
        _ => start,
    };
    (replace_from, candidates)
}

/// `:he` completes to `:help`. After a command name, only `:type` and `:time` take an
/// expression (completed as usual); other arguments get nothing here (`:load` completes file
/// names in the rustyline glue).
fn complete_command(before: &str) -> Option<(usize, Vec<String>)> {
    let trimmed = before.trim_start();
    if !trimmed.starts_with(':') {
        return None;
    }
    if let Some(space) = trimmed.find(char::is_whitespace) {
        return match find_command(&trimmed[1..space]) {
            Ok(command) if command.takes_expression => None,
            _ => Some((before.len(), Vec::new())),
        };
    }
    let start = before.len() - trimmed.len();
    let names = COMMANDS
        .iter()
        .map(|c| format!(":{}", c.name))
        .filter(|name| starts_with_ignore_case(name, trimmed))
        .collect();
    Some((start, names))
}

/// Inside `connection: "par` (or without the quote), the connection names starting with `par`,
/// quoted.
fn complete_connection(before: &str, connections: &[String]) -> Option<(usize, Vec<String>)> {
    let lower = before.to_ascii_lowercase();
    let key = lower.rfind("connection")?;
    let rest = before[key + "connection".len()..].trim_start();
    let rest = rest.strip_prefix(':')?.trim_start();
    let partial = rest.strip_prefix('"').unwrap_or(rest);
    if !partial.chars().all(is_word_char) {
        return None;
    }
    let start = before.len() - rest.len();
    let names = matching(connections.iter().map(String::as_str), partial)
        .into_iter()
        .map(|name| format!("\"{name}\""))
        .collect();
    Some((start, names))
}

/// True when the cursor is inside a text literal or a comment.
fn inside_literal(before: &str) -> bool {
    scan(before).last().is_some_and(|piece| {
        matches!(
            piece.kind,
            PieceKind::Text { closed: false }
                | PieceKind::Quoted { closed: false }
                | PieceKind::Comment { .. }
        )
    })
}

/// Where the dotted name ending at the cursor starts (`m.ge`, `zoho.encryption.m`).
pub(super) fn dotted_word_start(before: &str) -> usize {
    before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c) || c == '.')
        .last()
        .map_or(before.len(), |(i, _)| i)
}

/// Keywords, built-in functions, user functions and variables starting with `word`.
fn plain_names(word: &str, vocabulary: &Vocabulary) -> Vec<String> {
    let scope = &vocabulary.scope;
    let names = KEYWORDS
        .iter()
        .chain(TYPE_NAMES)
        .copied()
        .chain(vocabulary.all_functions().map(|f| f.name.as_str()))
        .chain(scope.variables.iter().map(|(name, _)| name.as_str()))
        .chain(scope.pending.iter().map(|(name, _)| name.as_str()));
    matching(names, word)
}

/// True when `word` (with a dot) is the start of a dotted built-in or user function name
/// (`zoho.encryption.`), rather than a method call on a value.
fn is_namespace_completion(word: &str, vocabulary: &Vocabulary) -> bool {
    dotted_functions(vocabulary).any(|name| starts_with_ignore_case(name, word))
}

/// The dotted function names: built-in (`zoho.encryption.md5`) and user (`ns.sync`).
fn dotted_functions(vocabulary: &Vocabulary) -> impl Iterator<Item = &str> {
    vocabulary
        .all_functions()
        .map(|f| f.name.as_str())
        .filter(|name| name.contains('.'))
}

/// Completions for a word containing a dot: dotted function names, or methods of the receiver.
fn dotted_names(before: &str, start: usize, dot: usize, vocabulary: &Vocabulary) -> Vec<String> {
    let word = &before[start..];
    if is_namespace_completion(word, vocabulary) {
        return matching(dotted_functions(vocabulary), word);
    }
    let head = word.split('.').next().unwrap_or_default();
    if HOST_NAMES
        .iter()
        .any(|name| name.eq_ignore_ascii_case(head))
    {
        return Vec::new();
    }
    let receiver = receiver_type(before, start, dot, vocabulary);
    let methods = vocabulary
        .methods
        .iter()
        .filter(|m| applies_to(m.receiver, receiver))
        .map(|m| m.signature.name.as_str());
    matching(methods, &word[dot + 1..])
}

/// The type of the value before the last dot, when it can be known without running anything:
/// a variable of the session, or a literal just before the word.
fn receiver_type(
    before: &str,
    start: usize,
    dot: usize,
    vocabulary: &Vocabulary,
) -> Option<ValueType> {
    let receiver = &before[start..start + dot];
    if !receiver.is_empty() {
        return vocabulary.variable_type(receiver);
    }
    let piece = scan(&before[..start]).pop()?;
    match piece.kind {
        PieceKind::Text { closed: true } => Some(ValueType::Text),
        PieceKind::Quoted { closed: true } => Some(ValueType::DateTime),
        _ => None,
    }
}

/// True when a method for `receiver` may be called on a value of type `value` (unknown: any).
fn applies_to(receiver: Receiver, value: Option<ValueType>) -> bool {
    match (receiver, value) {
        (Receiver::None, _) => false,
        (Receiver::Any, _) | (_, None) => true,
        (Receiver::Type(ty), Some(value)) => ty == value,
    }
}

/// The distinct `names` starting with `prefix` (any case), sorted case-insensitively.
fn matching<'a>(names: impl Iterator<Item = &'a str>, prefix: &str) -> Vec<String> {
    let set: BTreeSet<(String, &str)> = names
        .filter(|name| starts_with_ignore_case(name, prefix))
        .map(|name| (name.to_ascii_lowercase(), name))
        .collect();
    let mut seen = BTreeSet::new();
    set.into_iter()
        .filter(|(_, name)| seen.insert(*name))
        .map(|(_, name)| name.to_owned())
        .collect()
}

/// ASCII case-insensitive `starts_with`.
pub fn starts_with_ignore_case(name: &str, prefix: &str) -> bool {
    name.len() >= prefix.len()
        && name.is_char_boundary(prefix.len())
        && name[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// The largest character boundary of `s` at or before `pos`.
fn floor_boundary(s: &str, pos: usize) -> usize {
    let mut pos = pos.min(s.len());
    while !s.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        let method = |name: &str, receiver| Method {
            signature: Signature::named(name),
            receiver,
        };
        Vocabulary {
            functions: [
                "ifnull",
                "zoho.encryption.md5",
                "zoho.encryption.urlEncode",
                "zoho.currentdate",
            ]
            .map(Signature::named)
            .to_vec(),
            methods: vec![
                method("getPrefix", Receiver::Type(ValueType::Text)),
                method("get", Receiver::Type(ValueType::Map)),
                method("get", Receiver::Type(ValueType::List)),
                method("getJSON", Receiver::Type(ValueType::Map)),
                method("toString", Receiver::Any),
                method("addDay", Receiver::Type(ValueType::DateTime)),
            ],
            scope: SessionNames {
                variables: vec![
                    ("m".into(), ValueType::Map),
                    ("name".into(), ValueType::Text),
                    ("total".into(), ValueType::Number),
                ],
                functions: vec![Signature::named("fib"), Signature::named("automation.sync")],
                pending: Vec::new(),
            },
            connections: vec!["zoho_crm".into(), "zendesk".into(), "stripe".into()],
        }
    }

    fn at_end(line: &str) -> (usize, Vec<String>) {
        complete(line, line.len(), &vocabulary())
    }

    #[test]
    fn keywords_variables_and_functions_complete_a_plain_word() {
        assert_eq!(at_end("x = to"), (4, vec!["total".into()]));
        assert_eq!(at_end("inf"), (0, vec!["info".into()]));
        assert_eq!(at_end("x = fi"), (4, vec!["fib".into()]));
        let (start, names) = at_end("IF");
        assert_eq!(start, 0);
        assert_eq!(names, vec!["if", "ifnull"]);
    }

    #[test]
    fn variables_assigned_earlier_in_the_entry_complete() {
        let mut vocabulary = vocabulary();
        vocabulary.scope.pending = crate::repl::pending::assigned_variables(
            "orders = {1, 2};
tax_rate = 0.2;
",
        );
        let (start, names) = complete("x = tax", 7, &vocabulary);
        assert_eq!((start, names), (4, vec!["tax_rate".to_owned()]));
        assert_eq!(
            complete("orders.ge", 9, &vocabulary),
            (7, vec!["get".to_owned()])
        );
        // A pending assignment's type wins over the session's value of the same name.
        vocabulary.scope.pending = crate::repl::pending::assigned_variables(r#"name = {"a": 1};"#);
        assert_eq!(
            complete("name.get", 8, &vocabulary),
            (5, vec!["get".to_owned(), "getJSON".to_owned()])
        );
    }

    #[test]
    fn methods_after_a_dot_follow_the_variable_type() {
        assert_eq!(at_end("m.get"), (2, vec!["get".into(), "getJSON".into()]));
        assert_eq!(at_end("name.get"), (5, vec!["getPrefix".into()]));
        assert_eq!(at_end("total.to"), (6, vec!["toString".into()]));
        assert_eq!(at_end("\"abc\".getP"), (6, vec!["getPrefix".into()]));
        assert_eq!(at_end("'1-Jan-2024'.add"), (13, vec!["addDay".into()]));
    }

    #[test]
    fn an_unknown_receiver_offers_every_method() {
        let (start, names) = at_end("f(x).get");
        assert_eq!(start, 5);
        assert_eq!(names, vec!["get", "getJSON", "getPrefix"]);
    }

    #[test]
    fn dotted_function_names_complete_as_a_whole() {
        assert_eq!(
            at_end("h = zoho.encryption.u"),
            (4, vec!["zoho.encryption.urlEncode".into()])
        );
        let (start, names) = at_end("zoho.");
        assert_eq!(start, 0);
        assert_eq!(names.len(), 3);
        assert_eq!(at_end("thisapp.ge").1, Vec::<String>::new());
        assert_eq!(at_end("input.").1, Vec::<String>::new());
        assert_eq!(at_end("automation.s"), (0, vec!["automation.sync".into()]));
    }

    #[test]
    fn commands_complete_at_the_start_of_a_line() {
        assert_eq!(at_end(":he"), (0, vec![":help".into()]));
        assert_eq!(at_end("  :q"), (2, vec![":quit".into()]));
        assert_eq!(at_end(":load fi").1, Vec::<String>::new());
        assert_eq!(at_end(":type m.getJ"), (8, vec!["getJSON".into()]));
    }

    #[test]
    fn connection_names_complete_inside_connection() {
        assert_eq!(
            at_end("\tconnection: \"z"),
            (13, vec!["\"zendesk\"".into(), "\"zoho_crm\"".into()])
        );
        assert_eq!(at_end("connection:st"), (11, vec!["\"stripe\"".into()]));
        assert_eq!(
            at_end("CONNECTION : "),
            (13, {
                vec![
                    "\"stripe\"".into(),
                    "\"zendesk\"".into(),
                    "\"zoho_crm\"".into(),
                ]
            })
        );
    }

    #[test]
    fn nothing_is_offered_inside_text_or_comments() {
        assert_eq!(at_end("x = \"to").1, Vec::<String>::new());
        assert_eq!(at_end("x = 1; // to").1, Vec::<String>::new());
    }

    #[test]
    fn the_cursor_position_is_respected_and_clamped() {
        let line = "total + na";
        assert_eq!(complete(line, 3, &vocabulary()), (0, vec!["total".into()]));
        assert_eq!(complete("é", 1, &vocabulary()).0, 0);
        assert_eq!(complete("x", 99, &vocabulary()).0, 0);
    }

    #[test]
    fn builtins_split_into_functions_and_methods() {
        fn nothing(
            _: &mut deluge_lang::eval::context::NativeCtx<'_>,
            _: deluge_lang::Args<'_>,
        ) -> deluge_lang::stdlib::registry::NativeResult {
            Ok(deluge_lang::eval::value::Value::Null)
        }
        let entry = |name, receiver| Builtin {
            name,
            receiver,
            params: "",
            returns: "",
            arity: (0, 0),
            summary: "",
            func: nothing,
        };
        let table = [
            entry("ifnull", Receiver::None),
            entry("length", Receiver::Type(ValueType::Text)),
        ];
        let vocabulary = Vocabulary::from_builtins(&table);
        assert_eq!(vocabulary.functions, vec![Signature::named("ifnull")]);
        assert_eq!(vocabulary.methods[0].signature.name, "length");
    }
}
