//! `wrong-arg-count`, `unknown-function` and `unknown-method`.

use foldhash::{HashMap, HashMapExt, HashSet};

use super::name::Name;
use super::walk::{self, Visitor};
use super::{signatures, warning, Lint, LintContext, Signature};
use crate::eval::suggest::closest;
use crate::stdlib::{builtins_named, suggest};
use crate::syntax::ast::{Expr, ExprKind, Ident, Program, Stmt, StmtKind};
use crate::testing::assertions::ASSERTION_NAMES;

/// Functions the runtime provides outside the built-in registry (and `dlg test`'s assertions).
const HOST_FUNCTIONS: [&str; 1] = ["openurl"];

/// Methods provided by hosts (Creator records and fetches, UI qualifiers) rather than the
/// built-in registry.
const HOST_METHODS: [&str; 3] = ["getall", "count", "sum"];

/// Checks every call of `program`.
pub fn check(program: &Program, context: &LintContext, lints: &mut Vec<Lint>) {
    let mut known = signatures(program);
    known.extend(context.functions.iter().cloned());
    let mut variables = Variables::default();
    walk::program(&mut variables, program);
    for function in &program.functions {
        variables.add_all(function.params.iter().map(|p| &p.name));
    }
    let mut by_name: HashMap<Name<'_>, Vec<&Signature>> = HashMap::new();
    for signature in &known {
        by_name
            .entry(Name(last_segment(&signature.name)))
            .or_default()
            .push(signature);
    }
    let mut calls = Calls {
        known: &known,
        by_name: &by_name,
        variables: &variables.names,
        lints,
    };
    walk::program(&mut calls, program);
}

struct Calls<'a> {
    known: &'a [Signature],
    /// The user functions by the last segment of their name.
    by_name: &'a HashMap<Name<'a>, Vec<&'a Signature>>,
    /// Every name assigned, iterated or taken as a parameter: `x.m()` is a method call only
    /// when `x` is one of them (else it may be a Creator namespace: `Billing.f()`).
    variables: &'a HashSet<Name<'a>>,
    lints: &'a mut Vec<Lint>,
}

impl Visitor<'_> for Calls<'_> {
    fn expr(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Call { path, args } => self.call(path, args.len()),
            ExprKind::MethodCall { method, .. } => self.method(method),
            _ => {}
        }
    }
}

impl Calls<'_> {
    /// A call through a path: `f(..)`, `standalone.f(..)`, `thisapp.ns.f(..)`, `x.m(..)`.
    fn call(&mut self, path: &[Ident], count: usize) {
        let (Some(first), Some(last)) = (path.first(), path.last()) else {
            return;
        };
        let head = &*first.name;
        let is_head = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(head));
        let user: &[&Signature] = self
            .by_name
            .get(&Name(&last.name))
            .map_or(&[], Vec::as_slice);
        if is_head(&["zoho", "input"]) {
        } else if is_head(&["thisapp", "standalone"]) {
            self.arity(path, user, count);
        } else if path.len() == 1 {
            if !user.is_empty() {
                self.arity(path, user, count);
            } else if builtins_named(&last.name).is_empty()
                && !is_head(&HOST_FUNCTIONS)
                && !is_head(&ASSERTION_NAMES)
            {
                self.unknown_function(last);
            }
        } else if user.is_empty() && path.len() == 2 && self.variables.contains(&Name(head)) {
            self.method(last);
        }
    }

    /// `wrong-arg-count` when no function of that name takes `count` arguments.
    fn arity(&mut self, path: &[Ident], candidates: &[&Signature], count: usize) {
        let Some(expected) = candidates.first() else {
            return;
        };
        if candidates.iter().any(|s| s.params == count) {
            return;
        }
        let (Some(first), Some(last)) = (path.first(), path.last()) else {
            return;
        };
        let name: Vec<&str> = path.iter().map(|i| i.name.as_ref()).collect();
        self.lints.push(warning(
            "wrong-arg-count",
            first.span.to(last.span),
            format!(
                "`{}` takes {} but is called with {}",
                name.join("."),
                plural(expected.params, "argument"),
                plural(count, "argument")
            ),
            Some(format!(
                "`{}` is declared with {} parameter(s)",
                expected.name, expected.params
            )),
        ));
    }

    fn unknown_function(&mut self, name: &Ident) {
        let user = closest(&name.name, self.known.iter().map(|s| last_segment(&s.name)));
        let near = user.or_else(|| suggest(&name.name));
        self.lints.push(warning(
            "unknown-function",
            name.span,
            format!("unknown function `{}`", name.name),
            Some(match near {
                Some(n) => format!("did you mean `{n}`?"),
                None => "check the spelling; user functions are called as standalone.NAME(...) or thisapp.NAME(...)".into(),
            }),
        ));
    }

    fn method(&mut self, method: &Ident) {
        let is_host_method = HOST_METHODS
            .iter()
            .any(|m| m.eq_ignore_ascii_case(&method.name));
        if !builtins_named(&method.name).is_empty() || is_host_method {
            return;
        }
        let near = suggest(&method.name);
        self.lints.push(warning(
            "unknown-method",
            method.span,
            format!("unknown method `{}`", method.name),
            Some(match near {
                Some(n) => format!("did you mean `{n}`?"),
                None => "see docs/builtins.md for the methods of each type".into(),
            }),
        ));
    }
}

/// The names a program uses as variables.
#[derive(Default)]
struct Variables<'a> {
    names: HashSet<Name<'a>>,
}

impl<'a> Variables<'a> {
    fn add_all(&mut self, idents: impl Iterator<Item = &'a Ident>) {
        self.names.extend(idents.map(|i| Name(&i.name)));
    }
}

impl<'a> Visitor<'a> for Variables<'a> {
    const EXPRESSIONS: bool = false;

    fn stmt(&mut self, stmt: &'a Stmt) {
        match &stmt.kind {
            StmtKind::Assign { target, .. } => self.add_all(target.iter().take(1)),
            StmtKind::ForEach { var, .. }
            | StmtKind::ForEachIndex { var, .. }
            | StmtKind::Try { var, .. } => self.add_all(std::iter::once(var)),
            _ => {}
        }
    }
}

/// The last dotted segment of a function name.
fn last_segment(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// `1 argument`, `2 arguments`.
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
