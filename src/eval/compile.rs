//! AST to IR: programs, functions and statements. Expressions are in `compile_expr.rs`, calls
//! and the resolution of their names in `compile_call.rs`, host constructs in
//! `compile_host.rs`.
//!
//! Every function (and the top-level statements) gets one flat frame: Deluge has no block
//! scope, so every name assigned anywhere in the body, every loop and catch variable and every
//! parameter is a slot. Reading a name that is never assigned is a compile error, like Zoho's
//! save-time `Variable 'x' is not defined`.

use std::collections::HashMap;
use std::sync::Arc;

use crate::eval::builtin::Builtins;
use crate::eval::error::Problem;
use crate::eval::ir::{self, AddNumber, BinOp, Block, Const, Expr, HostStmt, Slot, Source, Stmt};
use crate::eval::number_block::NumberBlock;
use crate::eval::number_code::NumberCode;
use crate::eval::natives::NativeRegistry;
use crate::syntax::ast::{self, AssignOp, ExprKind, StmtKind};
use crate::syntax::span::Span;

/// The help under an unknown qualified function (`standalone.f()`, `ns.f()`); front ends that
/// know where the functions could be (a project's sources) replace it.
pub const UNRESOLVED_FUNCTION_HELP: &str =
    "define it in this file, or compile the file that defines it with this one (`Engine::compile_files`)";

/// One parsed file to compile.
pub struct Unit<'a> {
    /// Its name and text.
    pub source: Source,
    /// Its syntax tree.
    pub program: &'a ast::Program,
}

/// A user function's signature, for call resolution.
pub(crate) struct Signature {
    /// Last segment of the name, lower case.
    pub last: String,
    /// Namespace (segments before the last, joined by `.`), lower case; empty when none.
    pub namespace: String,
    /// The name as written.
    pub display: String,
    /// Number of parameters.
    pub arity: usize,
}

/// State shared by every function being compiled.
pub(crate) struct Globals {
    pub sources: Vec<Source>,
    pub signatures: Vec<Signature>,
    pub consts: Vec<Const>,
    pub text_consts: HashMap<Arc<str>, u32>,
    pub problems: Vec<Problem>,
    /// Functions and methods the host registered.
    pub natives: Arc<NativeRegistry>,
    /// The built-in functions and methods (`stdlib`'s tables).
    pub builtins: &'static Builtins,
}

impl Globals {
    /// The index of a TEXT constant, shared between equal texts.
    pub fn text_const(&mut self, text: &str) -> u32 {
        if let Some(&index) = self.text_consts.get(text) {
            return index;
        }
        let arc: Arc<str> = Arc::from(text);
        let index = self.consts.len() as u32;
        self.consts.push(Const::Text(arc.clone()));
        self.text_consts.insert(arc, index);
        index
    }

    /// The index of any other constant.
    pub fn push_const(&mut self, value: Const) -> u32 {
        self.consts.push(value);
        (self.consts.len() - 1) as u32
    }
}

/// The compiler of one function body.
pub(crate) struct FnCompiler<'g> {
    pub globals: &'g mut Globals,
    pub source: u32,
    pub slots: HashMap<Box<str>, Slot>,
    pub loop_depth: u32,
    /// Compiling the top-level statements (a bare function body) rather than a function.
    pub top_level: bool,
}

/// Compiles the main file's top-level statements and every function of every unit, resolving
/// built-in calls against `builtins`.
pub fn compile_units(
    units: &[Unit<'_>],
    builtins: &'static Builtins,
) -> Result<ir::Script, Vec<Problem>> {
    compile_session(units, &[], builtins).map(|(script, _)| script)
}

/// Like [`compile_units`], with the `predeclared` variables taking the first slots of the main
/// frame, in order (a REPL session's variables). Also returns the name of every main slot.
pub fn compile_session(
    units: &[Unit<'_>],
    predeclared: &[&str],
    builtins: &'static Builtins,
) -> Result<(ir::Script, Vec<Box<str>>), Vec<Problem>> {
    compile_with_natives(units, predeclared, &Arc::default(), builtins)
}

/// Like [`compile_session`], resolving names against the host's registered `natives` too.
pub(crate) fn compile_with_natives(
    units: &[Unit<'_>],
    predeclared: &[&str],
    natives: &Arc<NativeRegistry>,
    builtins: &'static Builtins,
) -> Result<(ir::Script, Vec<Box<str>>), Vec<Problem>> {
    let mut globals = Globals {
        natives: Arc::clone(natives),
        builtins,
        sources: units.iter().map(|u| u.source.clone()).collect(),
        signatures: Vec::new(),
        consts: Vec::new(),
        text_consts: HashMap::new(),
        problems: Vec::new(),
    };
    for unit in units {
        for def in &unit.program.functions {
            globals.signatures.push(signature(def));
        }
    }
    let mut functions = Vec::new();
    for (index, unit) in units.iter().enumerate() {
        for def in &unit.program.functions {
            functions.push(compile_function(&mut globals, index as u32, def));
        }
    }
    let empty = ast::Program::default();
    let main_program = units.first().map_or(&empty, |u| u.program);
    let (main, slot_names) = compile_main(&mut globals, main_program, predeclared);
    if !globals.problems.is_empty() {
        globals.problems.sort_by_key(|p| p.span.start);
        return Err(globals.problems);
    }
    let script = ir::Script {
        sources: globals.sources,
        functions,
        main,
        consts: globals.consts,
        main_slots: slot_names.clone(),
        natives: globals.natives,
    };
    Ok((script, slot_names))
}

fn signature(def: &ast::FunctionDef) -> Signature {
    let names: Vec<&str> = def.name.iter().map(|i| &*i.name).collect();
    let (last, namespace) = names.split_last().unwrap_or((&"", &[]));
    Signature {
        last: last.to_ascii_lowercase(),
        namespace: namespace.join(".").to_ascii_lowercase(),
        display: names.join("."),
        arity: def.params.len(),
    }
}

fn compile_function(globals: &mut Globals, source: u32, def: &ast::FunctionDef) -> ir::Function {
    let mut compiler = FnCompiler::new(globals, source);
    for param in &def.params {
        compiler.declare(&param.name.name);
    }
    compiler.declare_block(&def.body);
    let body = compiler.block(&def.body);
    ir::Function {
        name: def
            .name
            .iter()
            .map(|i| &*i.name)
            .collect::<Vec<_>>()
            .join(".")
            .into(),
        return_type: def.return_type.name.to_ascii_lowercase().into(),
        params: def
            .params
            .iter()
            .map(|p| (p.name.name.clone(), p.ty.name.to_ascii_lowercase().into()))
            .collect(),
        n_slots: compiler.slots.len() as u32,
        body,
        source,
        span: def.span,
    }
}

fn compile_main(
    globals: &mut Globals,
    program: &ast::Program,
    predeclared: &[&str],
) -> (ir::Function, Vec<Box<str>>) {
    let mut compiler = FnCompiler::new(globals, 0);
    // A REPL entry (`<repl:N>`) is not a file that `dlg run --arg` could run.
    compiler.top_level =
        (compiler.globals.sources.first()).is_some_and(|s| !s.name.starts_with("<repl"));
    for name in predeclared {
        compiler.declare(name);
    }
    compiler.declare_block(&program.body);
    let body = compiler.block(&program.body);
    let mut slot_names = vec![Box::<str>::from(""); compiler.slots.len()];
    for (name, &slot) in &compiler.slots {
        slot_names[slot as usize] = name.clone();
    }
    let main = ir::Function {
        name: "<main>".into(),
        return_type: "void".into(),
        params: Vec::new(),
        n_slots: compiler.slots.len() as u32,
        body,
        source: 0,
        span: Span::default(),
    };
    (main, slot_names)
}

impl<'g> FnCompiler<'g> {
    fn new(globals: &'g mut Globals, source: u32) -> Self {
        FnCompiler {
            globals,
            source,
            slots: HashMap::new(),
            loop_depth: 0,
            top_level: false,
        }
    }

    /// Gives `name` a slot if it has none yet.
    pub fn declare(&mut self, name: &str) -> Slot {
        if let Some(&slot) = self.slots.get(name) {
            return slot;
        }
        let slot = self.slots.len() as Slot;
        self.slots.insert(name.into(), slot);
        slot
    }

    /// Declares every variable a block assigns, at any depth.
    fn declare_block(&mut self, block: &[ast::Stmt]) {
        for stmt in block {
            match &stmt.kind {
                StmtKind::Assign { target, .. } if target.len() == 1 => {
                    self.declare(&target[0].name);
                }
                StmtKind::If {
                    branches,
                    otherwise,
                } => {
                    for (_, body) in branches {
                        self.declare_block(body);
                    }
                    if let Some(body) = otherwise {
                        self.declare_block(body);
                    }
                }
                StmtKind::ForEach { var, body, .. } | StmtKind::ForEachIndex { var, body, .. } => {
                    self.declare(&var.name);
                    self.declare_block(body);
                }
                StmtKind::Try { body, var, handler } => {
                    self.declare_block(body);
                    self.declare(&var.name);
                    self.declare_block(handler);
                }
                _ => {}
            }
        }
    }

    /// Records a compile error.
    pub fn problem(&mut self, span: Span, message: String, help: Option<String>) {
        let source = &self.globals.sources[self.source as usize];
        self.globals.problems.push(Problem {
            file: source.name.clone(),
            text: source.text.clone(),
            span,
            message,
            label: None,
            help,
            trace: Vec::new(),
        });
    }

    /// The source text under `span`.
    pub fn source_text(&self, span: Span) -> &str {
        let text = &self.globals.sources[self.source as usize].text;
        text.get(span.range()).unwrap_or("")
    }

    fn block(&mut self, block: &[ast::Stmt]) -> Block {
        block.iter().map(|s| (self.stmt(s), s.span)).collect()
    }

    fn stmt(&mut self, stmt: &ast::Stmt) -> Stmt {
        let span = stmt.span;
        match &stmt.kind {
            StmtKind::Assign { target, op, value } => self.assign(target, *op, value, span),
            StmtKind::Expr(e) => crate::eval::compile_call::expr_stmt(self.expr(e)),
            StmtKind::Info(e) => Stmt::Info(self.expr(e)),
            StmtKind::If {
                branches,
                otherwise,
            } => Stmt::If(Box::new(ir::IfStmt {
                branches: branches
                    .iter()
                    .map(|(cond, body)| (self.expr(cond), cond.span, self.block(body)))
                    .collect(),
                otherwise: otherwise.as_ref().map(|b| self.block(b)),
            })),
            StmtKind::ForEach {
                var,
                iterable,
                body,
            } => self.for_each(var, iterable, body, false),
            StmtKind::ForEachIndex {
                var,
                iterable,
                body,
            } => self.for_each(var, iterable, body, true),
            StmtKind::Break | StmtKind::Continue => self.loop_jump(&stmt.kind, span),
            StmtKind::Return(value) => Stmt::Return(value.as_ref().map(|e| self.expr(e))),
            StmtKind::Try { body, var, handler } => Stmt::Try(Box::new(ir::TryStmt {
                body: self.block(body),
                var: self.declare(&var.name),
                handler: self.block(handler),
            })),
            StmtKind::DeleteFrom(fetch) => {
                Stmt::Host(Box::new(HostStmt::DeleteFrom(self.fetch(fetch))), span)
            }
            StmtKind::UpdateRecord {
                fetch,
                field,
                op,
                value,
            } => self.update_record(fetch, field, *op, value, span),
            StmtKind::FormUi { action, fields } => Stmt::Host(
                Box::new(HostStmt::FormUi(
                    action.name.to_ascii_lowercase().into(),
                    fields.iter().map(|f| join_path(f).into()).collect(),
                )),
                span,
            ),
            StmtKind::Alert(e) => Stmt::Host(Box::new(HostStmt::Alert(self.expr(e))), span),
            StmtKind::Cancel(what) => Stmt::Host(
                Box::new(HostStmt::Cancel(what.name.to_ascii_lowercase().into())),
                span,
            ),
            StmtKind::FieldUi {
                field,
                action,
                args,
            } => Stmt::Host(
                Box::new(HostStmt::FieldUi(
                    join_path(field).into(),
                    join_path(action).into(),
                    args.iter().map(|a| self.expr(a)).collect(),
                )),
                span,
            ),
        }
    }

    fn loop_jump(&mut self, kind: &StmtKind, span: Span) -> Stmt {
        let is_break = matches!(kind, StmtKind::Break);
        if self.loop_depth == 0 {
            let word = if is_break { "break" } else { "continue" };
            self.problem(
                span,
                format!("`{word}` outside a `for each` loop"),
                Some(format!("`{word}` is only allowed inside `for each`")),
            );
        }
        if is_break {
            Stmt::Break
        } else {
            Stmt::Continue
        }
    }

    fn for_each(
        &mut self,
        var: &ast::Ident,
        iterable: &ast::Expr,
        body: &[ast::Stmt],
        index: bool,
    ) -> Stmt {
        let iterable_ir = self.expr(iterable);
        let slot = self.declare(&var.name);
        self.loop_depth += 1;
        let body = self.block(body);
        self.loop_depth -= 1;
        Stmt::ForEach(Box::new(ir::ForEach {
            var: slot,
            index,
            iterable: iterable_ir,
            number_body: NumberBlock::compile(&body),
            body,
            span: iterable.span,
        }))
    }

    fn assign(&mut self, target: &ast::Path, op: AssignOp, value: &ast::Expr, span: Span) -> Stmt {
        if target.len() == 1 {
            let slot = self.declare(&target[0].name);
            return self.assign_slot(slot, &target[0].name, op, value, span);
        }
        let head = &target[0].name;
        if !self.slots.contains_key(head) && head.eq_ignore_ascii_case("input") {
            let field = join_path(&target[1..]);
            let read = Expr::Host(Box::new(ir::HostExpr::Input(field.clone().into())), span);
            let value = self.compound(op, read, value, span);
            return Stmt::Host(Box::new(HostStmt::SetInput(field.into(), value)), span);
        }
        let (last, object_path) = target.split_last().unwrap_or((&target[0], &[]));
        let object = self.path_value(object_path, span);
        let key = self.globals.text_const(&last.name);
        let current = if op == AssignOp::Set {
            Expr::Null
        } else {
            let again = self.path_value(object_path, span);
            self.field(again, &last.name, span)
        };
        let value = self.compound(op, current, value, span);
        Stmt::SetField(Box::new(ir::SetField {
            object,
            key,
            value,
            span,
        }))
    }

    /// `Form[criteria].Field op= value`: a compound operator reads the field through a fetch.
    fn update_record(
        &mut self,
        fetch: &ast::Fetch,
        field: &ast::Path,
        op: AssignOp,
        value: &ast::Expr,
        span: Span,
    ) -> Stmt {
        let name = join_path(field);
        let current = if op == AssignOp::Set {
            Expr::Null
        } else {
            let records = Expr::Host(Box::new(ir::HostExpr::Fetch(self.fetch(fetch))), span);
            field
                .iter()
                .fold(records, |object, f| self.field(object, &f.name, f.span))
        };
        let value = self.compound(op, current, value, span);
        let fetch = self.fetch(fetch);
        Stmt::Host(
            Box::new(HostStmt::UpdateRecord(fetch, name.into(), value)),
            span,
        )
    }

    fn assign_slot(
        &mut self,
        slot: Slot,
        name: &str,
        op: AssignOp,
        value: &ast::Expr,
        span: Span,
    ) -> Stmt {
        match op {
            AssignOp::Set => {
                if let ExprKind::Binary {
                    op: ast::BinaryOp::Add,
                    lhs,
                    rhs,
                } = &value.kind
                {
                    if matches!(&lhs.kind, ExprKind::Path(p) if p.len() == 1 && &*p[0].name == name)
                    {
                        return self.add_assign(slot, rhs, value.span);
                    }
                }
                Stmt::Assign(slot, self.expr(value))
            }
            AssignOp::Add => self.add_assign(slot, value, span),
            _ => {
                let value = self.compound(op, Expr::Local(slot), value, span);
                Stmt::Assign(slot, value)
            }
        }
    }

    /// `x = x + value` / `x += value`: [`Stmt::AppendText`] when `value` is a text literal,
    /// [`Stmt::AddNumber`] when it can be NUMBER arithmetic.
    fn add_assign(&mut self, slot: Slot, value: &ast::Expr, span: Span) -> Stmt {
        match self.expr(value) {
            Expr::Const(index) if self.is_text_const(index) => Stmt::AppendText(slot, index, span),
            value => match NumberCode::compile(BinOp::Add, &Expr::Local(slot), &value) {
                Some(sum) => Stmt::AddNumber(Box::new(AddNumber {
                    slot,
                    sum,
                    value,
                    span,
                })),
                None => Stmt::AddAssign(slot, value, span),
            },
        }
    }

    /// Whether constant `index` is a TEXT.
    fn is_text_const(&self, index: u32) -> bool {
        matches!(self.globals.consts.get(index as usize), Some(Const::Text(_)))
    }

    /// The value of `current op= value` (`value` alone for `=`).
    fn compound(&mut self, op: AssignOp, current: Expr, value: &ast::Expr, span: Span) -> Expr {
        let value = self.expr(value);
        let op = match op {
            AssignOp::Set => return value,
            AssignOp::Add => ir::BinOp::Add,
            AssignOp::Sub => ir::BinOp::Sub,
            AssignOp::Mul => ir::BinOp::Mul,
            AssignOp::Div => ir::BinOp::Div,
            AssignOp::Rem => ir::BinOp::Rem,
        };
        Expr::binary(op, current, value, span)
    }
}

/// `a.b.c` as text.
pub(crate) fn join_path(path: &[ast::Ident]) -> String {
    path.iter().map(|i| &*i.name).collect::<Vec<_>>().join(".")
}
