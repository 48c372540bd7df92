//! What the server knows about names it did not find in the user's code: the built-ins of the
//! stdlib registry, the Zoho tasks, the keywords and the task keys.

use std::sync::OnceLock;

use deluge_lang::eval::value::ValueType;
use deluge_lang::stdlib::registry::{Builtin, Receiver};
use deluge_lang::stdlib::{all_builtins, builtins_named};

/// The keywords offered by completion.
pub const KEYWORDS: &[&str] = &[
    "if",
    "else",
    "for each",
    "in",
    "return",
    "break",
    "continue",
    "try",
    "catch",
    "info",
    "true",
    "false",
    "null",
    "invokeurl",
    "sendmail",
    "invokeapi",
    "void",
    "string",
    "int",
    "decimal",
    "bool",
    "map",
    "list",
    "date",
    "datetime",
    "insert into",
    "delete from",
    "sort by",
    "range from",
    "alert",
    "cancel submit",
    "not in",
];

/// The keys of an `invokeurl [ ... ]` block.
pub fn invokeurl_keys() -> &'static [&'static str] {
    &deluge_lang::http::spec::KEYS
}

/// The keys of a `sendmail [ ... ]` block.
pub const SENDMAIL_KEYS: &[&str] = &[
    "from",
    "to",
    "cc",
    "bcc",
    "reply to",
    "subject",
    "message",
    "content type",
    "attachments",
];

/// `name(params) -> returns` and the summary, as one Markdown text.
pub fn builtin_markdown(builtin: &Builtin) -> String {
    format!(
        "```deluge\n{}\n```\n{}{}",
        builtin_signature(builtin),
        receiver_note(builtin.receiver),
        builtin.summary
    )
}

/// `name(params) -> returns`, with the receiver type in front for methods.
pub fn builtin_signature(builtin: &Builtin) -> String {
    let receiver = match builtin.receiver {
        Receiver::None => String::new(),
        Receiver::Any => "ANY.".to_owned(),
        Receiver::Type(t) => format!("{}.", t.name()),
    };
    let params = builtin.params.trim();
    let params = if params.starts_with('(') {
        params.to_owned()
    } else {
        format!("({params})")
    };
    format!("{receiver}{}{params} -> {}", builtin.name, builtin.returns)
}

fn receiver_note(receiver: Receiver) -> &'static str {
    match receiver {
        Receiver::None => "",
        _ => "*method*: ",
    }
}

/// The built-ins spelled `name` that apply to `receiver` (all of them when it is unknown).
pub fn builtins_for(name: &str, receiver: Option<ValueType>) -> Vec<&'static Builtin> {
    let all = builtins_named(name);
    let applies: Vec<&'static Builtin> = all
        .iter()
        .copied()
        .filter(|b| applies_to(b, receiver))
        .collect();
    if applies.is_empty() {
        all.to_vec()
    } else {
        applies
    }
}

/// True when method `builtin` can be called on a receiver of type `receiver` (unknown: any).
pub fn applies_to(builtin: &Builtin, receiver: Option<ValueType>) -> bool {
    match (builtin.receiver, receiver) {
        (Receiver::None, _) => false,
        (_, None) | (Receiver::Any, _) => true,
        (Receiver::Type(t), Some(r)) => t == r,
    }
}

/// The plain functions (no receiver) whose names have no dot, for completion.
pub fn plain_functions() -> impl Iterator<Item = &'static Builtin> {
    all_builtins().filter(|b| b.receiver == Receiver::None)
}

/// The methods that apply to `receiver`, one per name.
pub fn methods_for(receiver: Option<ValueType>) -> Vec<&'static Builtin> {
    let mut out: Vec<&'static Builtin> = Vec::new();
    for builtin in all_builtins().filter(|b| applies_to(b, receiver)) {
        if !out
            .iter()
            .any(|b| b.name.eq_ignore_ascii_case(builtin.name))
        {
            out.push(builtin);
        }
    }
    out
}

/// Every Zoho task: full name and signature.
pub fn zoho_tasks() -> &'static [(String, String)] {
    static TASKS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    TASKS.get_or_init(deluge_lang::zoho::task_signatures)
}

/// The Zoho task named `full` (any case).
pub fn zoho_task(full: &str) -> Option<&'static (String, String)> {
    zoho_tasks()
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(full))
}

/// The parameter list inside the parentheses of a signature text, split at top-level commas.
pub fn parameters_of(signature: &str) -> Vec<String> {
    let Some(open) = signature.find('(') else {
        return Vec::new();
    };
    let close = signature.rfind(')').unwrap_or(signature.len());
    let inner = signature.get(open + 1..close).unwrap_or("");
    let mut parts = Vec::new();
    let (mut depth, mut current) = (0i32, String::new());
    for c in inner.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(current.trim().to_owned());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        parts.push(current.trim().to_owned());
    }
    parts
}
