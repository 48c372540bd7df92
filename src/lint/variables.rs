//! `unused-variable`, `unused-parameter` and `assignment-never-read`.
//!
//! Deluge variables live for the whole function (or script body); names compare ignoring case.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::name::Name;
use super::walk::{self, Visitor};
use super::{warning, Lint};
use crate::syntax::ast::{AssignOp, Block, Expr, ExprKind, Ident, Program, Stmt, StmtKind};
use crate::syntax::span::Span;

/// Runs the three lints over every body of `program`.
pub fn check(program: &Program, lints: &mut Vec<Lint>) {
    body(&program.body, &[], lints);
    for function in &program.functions {
        let params: Vec<_> = function.params.iter().map(|p| &p.name).collect();
        body(&function.body, &params, lints);
    }
}

/// Checks one function body (or the script body) with its parameters.
fn body(block: &Block, params: &[&Ident], lints: &mut Vec<Lint>) {
    let mut reads = Reads::default();
    walk::block(&mut reads, block);
    let read_somewhere: HashSet<Name<'_>> = reads.names.into_iter().collect();
    for param in params {
        if !read_somewhere.contains(&Name(&param.name)) {
            lints.push(warning(
                "unused-parameter",
                param.span,
                format!("parameter `{}` is never used", param.name),
                Some("remove it (and the argument at every call), or use it".into()),
            ));
        }
    }
    let mut writes = Writes::default();
    walk::block(&mut writes, block);
    for (name, span) in writes.first {
        if !read_somewhere.contains(&name) && !params.iter().any(|p| Name(&p.name) == name) {
            lints.push(warning(
                "unused-variable",
                span,
                format!("variable `{}` is assigned but never used", name.0),
                Some("remove the assignment, or use the variable".into()),
            ));
        }
    }
    overwritten(block, &read_somewhere, lints);
}

/// The names read under the visited nodes (with repeats), and whether a `return`, `break` or
/// `continue` occurs among them.
#[derive(Default)]
struct Reads<'a> {
    names: Vec<Name<'a>>,
    jumps: bool,
}

impl<'a> Visitor<'a> for Reads<'a> {
    fn stmt(&mut self, stmt: &'a Stmt) {
        match &stmt.kind {
            StmtKind::Assign { target, op, .. } if target.len() > 1 || *op != AssignOp::Set => {
                self.names.push(Name(&target[0].name));
            }
            StmtKind::FieldUi { field, .. } => {
                if let Some(first) = field.first() {
                    self.names.push(Name(&first.name));
                }
            }
            StmtKind::FormUi { fields, .. } => {
                let firsts = fields.iter().filter_map(|field| field.first());
                self.names.extend(firsts.map(|first| Name(&first.name)));
            }
            StmtKind::Return(_) | StmtKind::Break | StmtKind::Continue => self.jumps = true,
            _ => {}
        }
    }

    fn expr(&mut self, expr: &'a Expr) {
        match &expr.kind {
            ExprKind::Path(path) => {
                if let Some(first) = path.first() {
                    self.names.push(Name(&first.name));
                }
            }
            ExprKind::Call { path, .. } if path.len() > 1 => self.names.push(Name(&path[0].name)),
            _ => {}
        }
    }
}

/// The first plain assignment (`x = ...`) of each variable, spelled as there.
#[derive(Default)]
struct Writes<'a> {
    first: Vec<(Name<'a>, Span)>,
    seen: HashSet<Name<'a>>,
}

impl<'a> Visitor<'a> for Writes<'a> {
    const EXPRESSIONS: bool = false;

    fn stmt(&mut self, stmt: &'a Stmt) {
        if let Some((name, span)) = plain_assignment(stmt) {
            if self.seen.insert(Name(name)) {
                self.first.push((Name(name), span));
            }
        }
    }
}

/// `x = value` with a one-word target: the name and its span.
fn plain_assignment(stmt: &Stmt) -> Option<(&str, Span)> {
    match &stmt.kind {
        StmtKind::Assign {
            target,
            op: AssignOp::Set,
            ..
        } if target.len() == 1 => Some((&target[0].name, target[0].span)),
        _ => None,
    }
}

/// `assignment-never-read`: `x = a;` followed in the same block by `x = b;` with no read of `x`
/// and no `return`/`break`/`continue` between (and `b` not reading `x`). Only variables read
/// somewhere are considered (the others are `unused-variable`). Try bodies are skipped: a
/// failing statement between the two assignments could let the catch block read the first.
///
/// Only names given a plain assignment at least twice directly in a block can be overwritten
/// unread there, so a block without such a name costs no more than its nested blocks.
fn overwritten<'a>(
    block: &'a Block,
    read_somewhere: &HashSet<Name<'a>>,
    lints: &mut Vec<Lint>,
) {
    let tracked = assigned_twice(block);
    if !tracked.is_empty() {
        overwrites_in(block, &tracked, read_somewhere, lints);
    }
    for stmt in block {
        nested_blocks(stmt, read_somewhere, lints);
    }
}

/// The names given a plain assignment at least twice directly in `block`.
fn assigned_twice(block: &Block) -> HashSet<Name<'_>> {
    let mut once = HashSet::new();
    let mut twice = HashSet::new();
    for (name, _) in block.iter().filter_map(plain_assignment) {
        if !once.insert(Name(name)) {
            twice.insert(Name(name));
        }
    }
    twice
}

/// One backward pass over `block` for the `tracked` names: for each, whether the next thing
/// that happens to it after the current statement is a plain overwrite (`true`) or a read
/// (`false`); a jump forgets all.
fn overwrites_in<'a>(
    block: &'a Block,
    tracked: &HashSet<Name<'a>>,
    read_somewhere: &HashSet<Name<'a>>,
    lints: &mut Vec<Lint>,
) {
    let mut next_is_overwrite: HashMap<Name<'a>, bool> = HashMap::new();
    for stmt in block.iter().rev() {
        let mut facts = Reads::default();
        walk::stmt(&mut facts, stmt);
        if let Some((name, span)) = plain_assignment(stmt) {
            let lost = next_is_overwrite.get(&Name(name)).copied().unwrap_or(false);
            if lost && read_somewhere.contains(&Name(name)) {
                lints.push(warning(
                    "assignment-never-read",
                    span,
                    format!(
                        "the value assigned to `{name}` here is never read: it is overwritten first"
                    ),
                    Some("remove this assignment, or use the value before assigning again".into()),
                ));
            }
            if tracked.contains(&Name(name)) && !facts.names.contains(&Name(name)) {
                next_is_overwrite.insert(Name(name), true);
            }
        }
        if facts.jumps {
            next_is_overwrite.clear();
        }
        for name in facts.names {
            if tracked.contains(&name) {
                next_is_overwrite.insert(name, false);
            }
        }
    }
}

/// Runs [`overwritten`] over the blocks nested in `stmt` (except try bodies).
fn nested_blocks<'a>(stmt: &'a Stmt, read_somewhere: &HashSet<Name<'a>>, lints: &mut Vec<Lint>) {
    match &stmt.kind {
        StmtKind::If {
            branches,
            otherwise,
        } => {
            for (_, body) in branches {
                overwritten(body, read_somewhere, lints);
            }
            if let Some(body) = otherwise {
                overwritten(body, read_somewhere, lints);
            }
        }
        StmtKind::ForEach { body, .. } | StmtKind::ForEachIndex { body, .. } => {
            overwritten(body, read_somewhere, lints);
        }
        StmtKind::Try { handler, .. } => overwritten(handler, read_somewhere, lints),
        _ => {}
    }
}
