//! `unknown-connection` and `misspelt-key` (task keys and near-miss map keys).

use foldhash::{HashMap, HashMapExt};

use super::walk::{self, Visitor};
use super::{warning, Lint, LintContext};
use crate::eval::suggest::{closest, edit_distance};
use crate::syntax::ast::{ConstructorArg, Expr, ExprKind, Program, Task, TaskKind, TaskValue};
use crate::syntax::span::Span;

/// The keys `invokeurl` accepts.
const INVOKEURL_KEYS: [&str; 11] = [
    "url",
    "type",
    "parameters",
    "body",
    "headers",
    "content-type",
    "files",
    "connection",
    "detailed",
    "response-format",
    "response-decoding",
];

/// The keys `invokeapi` accepts.
const INVOKEAPI_KEYS: [&str; 7] = [
    "service",
    "path",
    "type",
    "parameters",
    "headers",
    "connection",
    "body",
];

/// The keys `sendmail` accepts.
const SENDMAIL_KEYS: [&str; 9] = [
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

/// The shortest map key compared with the others (short keys differ legitimately: `id`/`ids`).
const MIN_MAP_KEY: usize = 6;

/// Checks tasks and map keys of `program`.
pub fn check(program: &Program, context: &LintContext, lints: &mut Vec<Lint>) {
    let mut keys = Keys {
        context,
        lints,
        map_keys: Vec::new(),
    };
    walk::program(&mut keys, program);
    let map_keys = std::mem::take(&mut keys.map_keys);
    near_miss_map_keys(&map_keys, keys.lints);
}

/// The visitor of one program (`'p`).
struct Keys<'a, 'p> {
    context: &'a LintContext,
    lints: &'a mut Vec<Lint>,
    /// Every literal map key of the file, with where it is written.
    map_keys: Vec<(&'p str, Span)>,
}

impl<'p> Visitor<'p> for Keys<'_, 'p> {
    fn expr(&mut self, expr: &'p Expr) {
        match &expr.kind {
            ExprKind::Task(task) => self.task(task),
            ExprKind::Map(pairs) => {
                for (key, _) in pairs {
                    self.map_key(key);
                }
            }
            ExprKind::Constructor { args, .. } => {
                for arg in args {
                    if let ConstructorArg::Pair(key, _) = arg {
                        self.map_key(key);
                    }
                }
            }
            ExprKind::Call { path, args }
                if path.len() > 1 && is_key_method(&path[path.len() - 1].name) =>
            {
                if let Some(key) = args.first() {
                    self.map_key(key);
                }
            }
            ExprKind::MethodCall { method, args, .. } if is_key_method(&method.name) => {
                if let Some(key) = args.first() {
                    self.map_key(key);
                }
            }
            _ => {}
        }
    }
}

impl<'p> Keys<'_, 'p> {
    fn map_key(&mut self, key: &'p Expr) {
        if let ExprKind::Text(text) = &key.kind {
            self.map_keys.push((text, key.span));
        }
    }

    fn task(&mut self, task: &Task) {
        let known: &[&str] = match task.kind {
            TaskKind::InvokeUrl => &INVOKEURL_KEYS,
            TaskKind::InvokeApi => &INVOKEAPI_KEYS,
            TaskKind::SendMail => &SENDMAIL_KEYS,
            TaskKind::InsertInto(_) => return,
        };
        for param in &task.params {
            let key = param.key.to_ascii_lowercase();
            if known.iter().any(|k| same_key(k, &key)) {
                if key == "connection" && task.kind != TaskKind::SendMail {
                    self.connection(&param.value);
                }
                continue;
            }
            if let Some(near) = closest(&key, known.iter().copied()) {
                self.lints.push(warning(
                    "misspelt-key",
                    param.key_span,
                    format!("unknown key `{}`", param.key),
                    Some(format!("did you mean `{near}`?")),
                ));
            }
        }
    }

    /// `unknown-connection`: a literal link name that the store does not have.
    fn connection(&mut self, value: &TaskValue) {
        let Some(names) = &self.context.connections else {
            return;
        };
        let TaskValue::Expr(Expr {
            kind: ExprKind::Text(name) | ExprKind::SingleQuoted(name),
            span,
        }) = value
        else {
            return;
        };
        if names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            return;
        }
        let help = match closest(name, names.iter().map(String::as_str)) {
            Some(near) => {
                format!("did you mean `{near}`? `dlg connection list` shows the connections")
            }
            None => "create it with `dlg connection create`, or check `dlg connection list`".into(),
        };
        self.lints.push(warning(
            "unknown-connection",
            *span,
            format!("no connection named `{name}` in the connection store"),
            Some(help),
        ));
    }
}

/// Whether `name` is a map method whose first argument is a key (`put`, `get`, ...).
fn is_key_method(name: &str) -> bool {
    ["put", "get", "containkey", "containskey"]
        .iter()
        .any(|m| m.eq_ignore_ascii_case(name))
}

/// Whether two task keys are the same, ignoring case, spaces, `-` and `_` (as the runtime does).
fn same_key(a: &str, b: &str) -> bool {
    fn normal(s: &str) -> impl Iterator<Item = u8> + '_ {
        s.bytes()
            .filter(|c| !matches!(c, b' ' | b'-' | b'_'))
            .map(|c| c.to_ascii_lowercase())
    }
    normal(a).eq(normal(b)) || (a == "attachments" && b == "attachment")
}

/// `misspelt-key` for map keys: a key written once that is one letter away from a key written
/// at least twice. Conservative: both keys at least [`MIN_MAP_KEY`] long, not differing only in
/// case or digits, and neither a prefix of the other (`Contact`/`Contacts`).
fn near_miss_map_keys(keys: &[(&str, Span)], lints: &mut Vec<Lint>) {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for &(key, _) in keys {
        *counts.entry(key).or_default() += 1;
    }
    for &(key, span) in keys {
        if counts[key] != 1 || key.chars().count() < MIN_MAP_KEY {
            continue;
        }
        let near = counts.iter().find(|(other, &n)| {
            n >= 2 && other.chars().count() >= MIN_MAP_KEY && near_miss(key, other)
        });
        if let Some((other, n)) = near {
            lints.push(warning(
                "misspelt-key",
                span,
                format!("map key \"{key}\" is used once; \"{other}\" is used {n} times"),
                Some(format!("did you mean \"{other}\"?")),
            ));
        }
    }
}

/// Whether `a` and `b` differ by one letter (not by case, digits, or a suffix).
fn near_miss(a: &str, b: &str) -> bool {
    if a.len().abs_diff(b.len()) > 1
        || a.eq_ignore_ascii_case(b)
        || a.starts_with(b)
        || b.starts_with(a)
    {
        return false;
    }
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    if digits(a) != digits(b) {
        return false;
    }
    edit_distance(a, b) == 1
}
