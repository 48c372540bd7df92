//! `unreachable-code`: statements after a `return`, `break` or `continue` in the same block.

use super::walk::{self, Visitor};
use super::{warning, Lint};
use crate::syntax::ast::{Block, Program, Stmt, StmtKind};

/// Reports the first unreachable statement of every block.
pub fn check(program: &Program, lints: &mut Vec<Lint>) {
    let mut finder = Unreachable { lints };
    block(&mut finder, &program.body);
    for function in &program.functions {
        block(&mut finder, &function.body);
    }
    walk::program(&mut finder, program);
}

struct Unreachable<'l> {
    lints: &'l mut Vec<Lint>,
}

impl Visitor<'_> for Unreachable<'_> {
    const EXPRESSIONS: bool = false;

    fn stmt(&mut self, stmt: &Stmt) {
        match &stmt.kind {
            StmtKind::If {
                branches,
                otherwise,
            } => {
                for (_, body) in branches {
                    block(self, body);
                }
                if let Some(body) = otherwise {
                    block(self, body);
                }
            }
            StmtKind::ForEach { body, .. } | StmtKind::ForEachIndex { body, .. } => {
                block(self, body);
            }
            StmtKind::Try { body, handler, .. } => {
                block(self, body);
                block(self, handler);
            }
            _ => {}
        }
    }
}

/// Checks the statements of one block (not the blocks nested in them).
fn block(finder: &mut Unreachable<'_>, stmts: &Block) {
    let Some(jump) = stmts.iter().position(|s| {
        matches!(
            s.kind,
            StmtKind::Return(_) | StmtKind::Break | StmtKind::Continue
        )
    }) else {
        return;
    };
    let (Some(first), Some(last)) = (stmts.get(jump + 1), stmts.last()) else {
        return;
    };
    let what = match stmts[jump].kind {
        StmtKind::Return(_) => "return",
        StmtKind::Break => "break",
        _ => "continue",
    };
    finder.lints.push(warning(
        "unreachable-code",
        first.span.to(last.span),
        format!("this code never runs: it comes after `{what}`"),
        Some(format!("remove it, or move it before the `{what}`")),
    ));
}
