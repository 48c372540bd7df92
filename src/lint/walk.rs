//! Walking the syntax tree: every statement and expression, depth first, in source order.

use crate::syntax::ast::{
    ConstructorArg, Expr, ExprKind, Fetch, Program, Stmt, StmtKind, TaskValue,
};

/// What a walk visits. Both methods default to doing nothing. `'a` is the tree's lifetime, so a
/// visitor may keep references into it (names, spans) without copying them.
pub trait Visitor<'a> {
    /// Whether the walk goes into expressions. A visitor of statements alone says no, and the
    /// walk skips every expression (no expression holds a statement).
    const EXPRESSIONS: bool = true;
    /// Called for each statement before its parts.
    fn stmt(&mut self, _stmt: &'a Stmt) {}
    /// Called for each expression before its parts.
    fn expr(&mut self, _expr: &'a Expr) {}
}

/// Walks the whole program: the top-level body and every function body.
pub fn program<'a>(v: &mut impl Visitor<'a>, program: &'a Program) {
    block(v, &program.body);
    for function in &program.functions {
        block(v, &function.body);
    }
}

/// Walks every statement of a block.
pub fn block<'a>(v: &mut impl Visitor<'a>, stmts: &'a [Stmt]) {
    for s in stmts {
        stmt(v, s);
    }
}

/// Walks one statement and everything in it.
pub fn stmt<'a>(v: &mut impl Visitor<'a>, s: &'a Stmt) {
    v.stmt(s);
    match &s.kind {
        StmtKind::Assign { value, .. } => expr(v, value),
        StmtKind::Expr(e) | StmtKind::Info(e) | StmtKind::Alert(e) => expr(v, e),
        StmtKind::If {
            branches,
            otherwise,
        } => {
            for (cond, body) in branches {
                expr(v, cond);
                block(v, body);
            }
            if let Some(body) = otherwise {
                block(v, body);
            }
        }
        StmtKind::ForEach { iterable, body, .. }
        | StmtKind::ForEachIndex { iterable, body, .. } => {
            expr(v, iterable);
            block(v, body);
        }
        StmtKind::Return(value) => {
            if let Some(e) = value {
                expr(v, e);
            }
        }
        StmtKind::Try { body, handler, .. } => {
            block(v, body);
            block(v, handler);
        }
        StmtKind::DeleteFrom(f) => fetch(v, f),
        StmtKind::UpdateRecord {
            fetch: f, value, ..
        } => {
            fetch(v, f);
            expr(v, value);
        }
        StmtKind::FieldUi { args, .. } => {
            for a in args {
                expr(v, a);
            }
        }
        StmtKind::Break | StmtKind::Continue | StmtKind::FormUi { .. } | StmtKind::Cancel(_) => {}
    }
}

/// Walks one expression and its parts.
pub fn expr<'a, V: Visitor<'a>>(v: &mut V, e: &'a Expr) {
    if !V::EXPRESSIONS {
        return;
    }
    v.expr(e);
    match &e.kind {
        ExprKind::Call { args, .. } | ExprKind::List(args) => {
            for a in args {
                expr(v, a);
            }
        }
        ExprKind::MethodCall { receiver, args, .. } => {
            expr(v, receiver);
            for a in args {
                expr(v, a);
            }
        }
        ExprKind::Field { object, .. } => expr(v, object),
        ExprKind::Unary { operand, .. } => expr(v, operand),
        ExprKind::Binary { lhs, rhs, .. } => {
            expr(v, lhs);
            expr(v, rhs);
        }
        ExprKind::Map(pairs) => {
            for (k, value) in pairs {
                expr(v, k);
                expr(v, value);
            }
        }
        ExprKind::Constructor { args, .. } => {
            for a in args {
                match a {
                    ConstructorArg::Value(e) => expr(v, e),
                    ConstructorArg::Pair(k, value) => {
                        expr(v, k);
                        expr(v, value);
                    }
                }
            }
        }
        ExprKind::Conditional {
            cond,
            then,
            otherwise,
        } => {
            expr(v, cond);
            expr(v, then);
            expr(v, otherwise);
        }
        ExprKind::Task(task) => {
            for param in &task.params {
                match &param.value {
                    TaskValue::Expr(e) => expr(v, e),
                    TaskValue::Tagged { value, record, .. } => {
                        expr(v, value);
                        if let Some((_, id)) = record {
                            expr(v, id);
                        }
                    }
                }
            }
        }
        ExprKind::Fetch(f) => fetch(v, f),
        ExprKind::Null
        | ExprKind::Bool(_)
        | ExprKind::Number(_)
        | ExprKind::Decimal(_)
        | ExprKind::Text(_)
        | ExprKind::SingleQuoted(_)
        | ExprKind::Path(_) => {}
    }
}

/// Walks a record fetch's criteria and range.
fn fetch<'a>(v: &mut impl Visitor<'a>, f: &'a Fetch) {
    if let Some(c) = &f.criteria {
        expr(v, c);
    }
    if let Some((from, to)) = &f.range {
        expr(v, from);
        expr(v, to);
    }
}
