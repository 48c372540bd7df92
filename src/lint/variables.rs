//! `unused-variable`, `unused-parameter` and `assignment-never-read`.
//!
//! Deluge variables live for the whole function (or script body); names compare ignoring case.

use foldhash::{HashMap, HashMapExt, HashSet};

use super::walk::{self, Visitor};
use super::{warning, Lint};
use crate::syntax::ast::{AssignOp, Block, Expr, ExprKind, Program, Stmt, StmtKind};
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
fn body(block: &Block, params: &[&crate::syntax::ast::Ident], lints: &mut Vec<Lint>) {
    let mut reads = Reads::default();
    walk::block(&mut reads, block);
    for param in params {
        if !reads.names.contains(&param.name.to_ascii_lowercase()) {
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
        if !reads.names.contains(&name)
            && !params.iter().any(|p| p.name.eq_ignore_ascii_case(&name))
        {
            let shown = &writes.spelling[&name];
            lints.push(warning(
                "unused-variable",
                span,
                format!("variable `{shown}` is assigned but never used"),
                Some("remove the assignment, or use the variable".into()),
            ));
        }
    }
    overwritten(block, &reads.names, lints);
}

/// The names read anywhere under the visited nodes (lower case), and whether a `return`,
/// `break` or `continue` occurs among them.
#[derive(Default)]
struct Reads {
    names: HashSet<String>,
    jumps: bool,
    /// The name being added, lowered: a name already in the set costs no allocation.
    lowered: String,
}

impl Visitor for Reads {
    fn stmt(&mut self, stmt: &Stmt) {
        match &stmt.kind {
            StmtKind::Assign { target, op, .. } if target.len() > 1 || *op != AssignOp::Set => {
                self.add(&target[0].name);
            }
            StmtKind::FieldUi { field, .. } => {
                if let Some(first) = field.first() {
                    self.add(&first.name);
                }
            }
            StmtKind::FormUi { fields, .. } => {
                for field in fields {
                    if let Some(first) = field.first() {
                        self.add(&first.name);
                    }
                }
            }
            StmtKind::Return(_) | StmtKind::Break | StmtKind::Continue => self.jumps = true,
            _ => {}
        }
    }

    fn expr(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Path(path) => {
                if let Some(first) = path.first() {
                    self.add(&first.name);
                }
            }
            ExprKind::Call { path, .. } if path.len() > 1 => self.add(&path[0].name),
            _ => {}
        }
    }
}

impl Reads {
    fn add(&mut self, name: &str) {
        self.lowered.clear();
        self.lowered.push_str(name);
        self.lowered.make_ascii_lowercase();
        if !self.names.contains(&self.lowered) {
            self.names.insert(self.lowered.clone());
        }
    }
}

/// The first plain assignment (`x = ...`) of each variable.
#[derive(Default)]
struct Writes {
    first: Vec<(String, Span)>,
    spelling: HashMap<String, String>,
}

impl Visitor for Writes {
    fn stmt(&mut self, stmt: &Stmt) {
        if let Some((name, span)) = plain_assignment(stmt) {
            let lower = name.to_ascii_lowercase();
            if !self.spelling.contains_key(&lower) {
                self.spelling.insert(lower.clone(), name.to_owned());
                self.first.push((lower, span));
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
/// One backward pass: for each name, whether the next thing that happens to it after the
/// current statement is a plain overwrite (`true`) or a read (`false`); a jump forgets all.
fn overwritten(block: &Block, read_somewhere: &HashSet<String>, lints: &mut Vec<Lint>) {
    let mut next_is_overwrite: HashMap<String, bool> = HashMap::new();
    for stmt in block.iter().rev() {
        let facts = StmtFacts::of(stmt);
        if let Some((name, span)) = plain_assignment(stmt) {
            let lower = name.to_ascii_lowercase();
            let lost = next_is_overwrite.get(&lower).copied().unwrap_or(false);
            if lost && read_somewhere.contains(&lower) {
                lints.push(warning(
                    "assignment-never-read",
                    span,
                    format!(
                        "the value assigned to `{name}` here is never read: it is overwritten first"
                    ),
                    Some("remove this assignment, or use the value before assigning again".into()),
                ));
            }
            if !facts.reads.contains(&lower) {
                next_is_overwrite.insert(lower, true);
            }
        }
        if facts.jumps {
            next_is_overwrite.clear();
        }
        for name in facts.reads {
            next_is_overwrite.insert(name, false);
        }
        nested_blocks(stmt, read_somewhere, lints);
    }
}

/// Runs [`overwritten`] over the blocks nested in `stmt` (except try bodies).
fn nested_blocks(stmt: &Stmt, read_somewhere: &HashSet<String>, lints: &mut Vec<Lint>) {
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

/// What one statement reads and whether it may jump out of the block.
struct StmtFacts {
    reads: HashSet<String>,
    jumps: bool,
}

impl StmtFacts {
    fn of(stmt: &Stmt) -> Self {
        let mut reads = Reads::default();
        walk::stmt(&mut reads, stmt);
        StmtFacts {
            reads: reads.names,
            jumps: reads.jumps,
        }
    }
}
